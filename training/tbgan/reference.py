"""TBGAN's G_paper applied literally to a checkpoint's variables, in float64 numpy (no TensorFlow).

Written from research/tbgan.md §1.3-1.9 and the official operations it quotes, independently of the
converter and of the TypeScript graph builder: NCHW like the official graph, the stored (unscaled)
weights multiplied by `gain / sqrt(fan_in)` at use as `get_weight` does, the Dense output reshaped
to [N, C, 4, 4], the fused up-convolution done as TF does it (kernel zero-padded to 5x5, summed over
four shifted 4x4 windows, `conv2d_transpose` with stride 2 and SAME padding), and the recursive
`grow` structure with its lod fade-in. For parity tests of converted packages; slow at 512 px.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

SQRT2 = np.sqrt(2)


def pixel_norm(x, epsilon):
    return x * (1.0 / np.sqrt(np.mean(np.square(x), axis=1, keepdims=True) + epsilon))


def leaky_relu(x, alpha=0.2):
    return np.maximum(x * alpha, x)


def apply_bias(x, b):
    return x + b if x.ndim == 2 else x + b.reshape(1, -1, 1, 1)


def conv2d(x, w):
    """tf.nn.conv2d(x, w, strides 1, 'SAME', NCHW); w is [k, k, in, out] (cross-correlation)."""
    k = w.shape[0]
    p = (k - 1) // 2
    n, c, h, wd = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    out = np.zeros((n, h, wd, w.shape[3]))
    for ky in range(k):
        for kx in range(k):  # sum over c of x[n, c, y + ky - p, x + kx - p] * w[ky, kx, c, o]
            out += np.tensordot(xp[:, :, ky:ky + h, kx:kx + wd], w[ky, kx], axes=([1], [0]))
    return out.transpose(0, 3, 1, 2)


def conv2d_transpose_s2_same(x, w):
    """tf.nn.conv2d_transpose(x, w, [N, out, 2H, 2W], strides 2, 'SAME', NCHW); w is [4, 4, out, in].

    It is the gradient of conv2d(stride 2, SAME) on a 2H x 2W input, which pads 1 before: input
    pixel (i, j) adds `x[i, j] * w[ky, kx]` to output pixel (2i + ky - 1, 2j + kx - 1).
    """
    n, c, h, wd = x.shape
    k = w.shape[0]
    out = np.zeros((n, 2 * h + k - 2, 2 * wd + k - 2, w.shape[2]))  # offset by the 1 pixel of padding
    for ky in range(k):
        for kx in range(k):  # sum over c of x[n, c, i, j] * w[ky, kx, o, c]
            out[:, ky:ky + 2 * h:2, kx:kx + 2 * wd:2] += np.tensordot(x, w[ky, kx], axes=([1], [1]))
    return out[:, 1:1 + 2 * h, 1:1 + 2 * wd].transpose(0, 3, 1, 2)


def upscale2d_conv2d(x, w):
    """The fused up-conv: w [3, 3, out, in] padded to 5x5, four shifted 4x4 windows summed, transposed conv."""
    w = np.pad(w, ((1, 1), (1, 1), (0, 0), (0, 0)))
    w = w[1:, 1:] + w[:-1, 1:] + w[1:, :-1] + w[:-1, :-1]
    return conv2d_transpose_s2_same(x, w)


def upscale2d(x, factor=2):
    """Nearest-neighbour upscaling by tiling, as the official `upscale2d`."""
    if factor == 1:
        return x
    n, c, h, w = x.shape
    x = np.tile(x.reshape(n, c, h, 1, w, 1), (1, 1, 1, factor, 1, factor))
    return x.reshape(n, c, h * factor, w * factor)


def generator(variables: dict[str, np.ndarray], resolution: int, lod_sep: int, z: np.ndarray, labels: np.ndarray,
              epsilon: float = 1e-8) -> np.ndarray:
    """Images [N, 9, R, R] float64 for latents z [N, L] and labels [N, labelSize] (checkpoint variables)."""
    res_log2 = int(math.log2(resolution))
    lod_in = float(variables["lod"])

    def get_weight(scope, gain=SQRT2, fan_in=None):
        w = variables[f"{scope}/weight"].astype(np.float64)
        if fan_in is None:
            fan_in = np.prod(w.shape[:-1])
        return w * (gain / np.sqrt(fan_in))  # use_wscale: the He constant applied at run time

    def bias(scope):
        return variables[f"{scope}/bias"].astype(np.float64)

    def pn(x):
        return pixel_norm(x, epsilon)

    def layer(x, scope):  # PN(act(apply_bias(...)))
        return pn(leaky_relu(apply_bias(x, bias(scope))))

    def conv(x, scope):
        return layer(conv2d(x, get_weight(scope)), scope)

    def conv_up(x, scope):
        w = variables[f"{scope}/weight"]
        return layer(upscale2d_conv2d(x, get_weight(scope, fan_in=9 * w.shape[3])), scope)  # fan-in k*k*in

    def block(x, res):
        px = f"{2 ** res}x{2 ** res}"
        if res == 2:
            x = pn(x)  # normalize_latents: over all of concat(z, label)
            x = x @ get_weight(f"{px}/Dense", gain=SQRT2 / 4)
            x = x.reshape(-1, bias(f"{px}/Dense").shape[0], 4, 4)
            x = layer(x, f"{px}/Dense")
            return conv(x, f"{px}/Conv")
        if res <= lod_sep:
            return conv(conv_up(x, f"{px}/Conv0_up"), f"{px}/Conv1")
        inputs = np.split(x, 3, axis=1)
        return np.concatenate([conv(conv_up(inputs[i], f"{px}/{b}/Conv0_up"), f"{px}/{b}/Conv1")
                               for i, b in enumerate(("tex", "shp", "nor"))], axis=1)

    def torgb(x, res):
        scope = f"ToRGB_lod{res_log2 - res}"
        if res <= lod_sep:
            return apply_bias(conv2d(x, get_weight(scope, gain=1)), bias(scope))
        inputs = np.split(x, 3, axis=1)
        return np.concatenate([apply_bias(conv2d(inputs[i], get_weight(f"{scope}/{b}", gain=1)), bias(f"{scope}/{b}"))
                               for i, b in enumerate(("tex", "shp", "nor"))], axis=1)

    def lerp(a, b, t):
        return a + (b - a) * t

    def cset(cur: Callable, cond: bool, new: Callable) -> Callable:
        return lambda: new() if cond else cur()

    def grow(x, res, lod):  # the official recursive structure
        y = block(x, res)
        img = lambda: upscale2d(torgb(y, res), 2 ** lod)  # noqa: E731
        if res > 2:
            img = cset(img, lod_in > lod,
                       lambda: upscale2d(lerp(torgb(y, res), upscale2d(torgb(x, res - 1)), lod_in - lod), 2 ** lod))
        if lod > 0:
            img = cset(img, lod_in < lod, lambda: grow(y, res + 1, lod - 1))
        return img()

    combo_in = np.concatenate([z, labels], axis=1).astype(np.float64)
    return grow(combo_in, 2, res_log2 - 2)


def max_relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max|a - b| / max|b| over every element (all 9 channels): the parity measure of the tests and bench/gpu."""
    a64, b64 = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a64.shape == b64.shape, f"shapes differ: {a64.shape} vs {b64.shape}"
    return float(np.abs(a64 - b64).max() / np.abs(b64).max())
