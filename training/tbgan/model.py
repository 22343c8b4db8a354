"""TBGAN's generator (`G_paper`, research/tbgan.md §1) in PyTorch, written from the spec.

The same network as the service's ONNX graph (src/model/graph-builder.ts) and the literal numpy
forward (tbgan/reference.py), for speed comparisons on a GPU and, later, training. Only plain torch
ops (conv2d, conv_transpose2d, linear, leaky_relu), so it runs on torch 1.13 (CPU, CI) and 2.x (CUDA,
CUDA graphs, torch.compile). No I/O: `load_variables` takes arrays already read (tbgan/package.py).

DESIGN NOTES
- Weights. TBGAN variables (names and TF layouts of tbgan.md §4.3) map to PyTorch layouts on load
  and back on `variables()`: Dense [in, 16C] -> linear [16C, in] (output j is NCHW (j // 16, y, x));
  conv [k, k, in, out] -> [out, in, k, k]; Conv0_up [3, 3, out, in] -> [in, out, 3, 3], the layout of
  conv_transpose2d. `use_wscale=False` (packages, inference): parameters are the effective weights;
  `use_wscale=True` (training): parameters are N(0, 1) and multiplied by gain / sqrt(fan_in) at use.
- The fused up-convolution is TF's: the 3x3 kernel zero-padded to 5x5, its four shifted 4x4 windows
  summed, then a transposed convolution with stride 2 (`padding=1` gives 2H; tbgan.md §1.6).
- Branches (tbgan.md §1.4) run as one grouped convolution per layer (`grouped`, as the ONNX graph
  by default) or as three tensors (`split`, the official form). Either way PixelNorm in a branch
  normalises over that branch's channels only.
- Precision. Inputs are float32 and the output is float32. The input PixelNorm runs in float32, the
  layers in the parameters' dtype (`.half()` for fp16), PixelNorm's statistics always in float32: in
  float16 the squares of small activations are subnormal (the ONNX graph does the same).
- Derived kernels (4x4 up-conv kernels, grouped stacks, scaled weights) are recomputed at every call
  unless `freeze()` caches them for inference (call it last: after `.eval()` and `.to(...)`);
  `train()` and `load_variables` drop the cache.
"""
from __future__ import annotations

import math
from typing import Mapping

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .architecture import BRANCHES, Architecture, Layer, layer_plan


def pixel_norm(x: torch.Tensor, epsilon: float, groups: int = 1) -> torch.Tensor:
    """x * rsqrt(mean(x^2 over channels) + eps), within each of `groups` channel groups; statistics in float32."""
    n, c = x.shape[:2]
    spatial = x.shape[2:]
    x32 = x.float().reshape(n, groups, c // groups, *spatial)
    scale = torch.rsqrt(x32.square().mean(dim=2, keepdim=True) + epsilon)  # [N, groups, 1, ...]
    return (x.reshape(n, groups, c // groups, *spatial) * scale.to(x.dtype)).reshape(x.shape)


def up_kernel(w: torch.Tensor) -> torch.Tensor:
    """[in, out, 3, 3] -> [in, out, 4, 4]: zero-padded to 5x5, the four shifted 4x4 windows summed."""
    w = F.pad(w, (1, 1, 1, 1))
    return w[..., 1:, 1:] + w[..., :-1, 1:] + w[..., 1:, :-1] + w[..., :-1, :-1]


class _Weighted(nn.Module):
    """One weight-bearing layer: a weight in PyTorch layout, a bias, and its equalized-LR scale."""

    def __init__(self, layer: Layer, shape: tuple[int, ...], use_wscale: bool):
        super().__init__()
        self.layer = layer
        self.weight = nn.Parameter(torch.randn(shape) if use_wscale else torch.zeros(shape))
        self.bias = nn.Parameter(torch.zeros(layer.out_channels))
        self.scale = float(layer.weight_scale()) if use_wscale else 1.0

    def kernel(self) -> torch.Tensor:
        """The weight the op uses: scaled; for the up-conv, the summed 4x4 kernel."""
        w = self.weight * self.scale if self.scale != 1.0 else self.weight
        return up_kernel(w) if self.layer.kind == "conv-up" else w


def _torch_shape(layer: Layer) -> tuple[int, ...]:
    if layer.kind == "dense":
        return (layer.out_channels * 16, layer.in_channels)
    if layer.kind == "conv-up":
        return (layer.in_channels, layer.out_channels, 3, 3)
    k = 1 if layer.kind == "to-rgb" else 3
    return (layer.out_channels, layer.in_channels, k, k)


def from_tf_layout(layer: Layer, w: np.ndarray) -> np.ndarray:
    """A TBGAN weight (TF layout, tbgan.md §4.3) in this module's PyTorch layout."""
    if layer.kind == "dense":
        return w.T  # [in, 16C] -> [16C, in]
    if layer.kind == "conv-up":
        return w.transpose(3, 2, 0, 1)  # [k, k, out, in] -> [in, out, k, k]
    return w.transpose(3, 2, 0, 1)  # [k, k, in, out] -> [out, in, k, k]


def to_tf_layout(layer: Layer, w: np.ndarray) -> np.ndarray:
    """The inverse of `from_tf_layout`."""
    return w.T if layer.kind == "dense" else w.transpose(2, 3, 1, 0)


class Generator(nn.Module):
    """TBGAN's generator: (z [N, L], labels [N, labelSize]) float32 -> uv [N, 9, R, R] float32."""

    def __init__(self, arch: Architecture, lod: float = 0.0, branches: str = "grouped", use_wscale: bool = False):
        super().__init__()
        assert 0 <= lod < 1, f"lod must be in [0, 1) (a fade-in at most), got {lod}"
        assert branches in ("grouped", "split"), f"branches must be 'grouped' or 'split', got {branches!r}"
        self.arch = arch
        self.lod = float(lod)
        self.branches = branches
        self.res_log2 = int(math.log2(arch.resolution))
        self.plan = {layer.scope: layer for layer in layer_plan(arch)}
        self.layers = nn.ModuleDict({_key(s): _Weighted(layer, _torch_shape(layer), use_wscale)
                                     for s, layer in self.plan.items()})
        self._frozen: dict[tuple[str, ...], tuple[torch.Tensor, torch.Tensor]] | None = None

    # ---- weights ----

    def load_variables(self, variables: Mapping[str, np.ndarray]) -> Generator:
        """Copies TBGAN variables (`<scope>/weight` in TF layout, `<scope>/bias`) into the parameters.

        With `use_wscale=False` they are effective weights (a model package's); with `use_wscale=True`
        stored ones (an official checkpoint's). Every layer's variables must be present.
        """
        with torch.no_grad():
            for scope, layer in self.plan.items():
                module = self.layers[_key(scope)]
                weight = np.ascontiguousarray(from_tf_layout(layer, np.asarray(variables[f"{scope}/weight"])))
                assert weight.shape == tuple(module.weight.shape), f"{scope}/weight: {weight.shape}"
                module.weight.copy_(torch.from_numpy(weight))
                module.bias.copy_(torch.from_numpy(np.asarray(variables[f"{scope}/bias"])))
        self._frozen = None
        return self

    def variables(self) -> dict[str, np.ndarray]:
        """The parameters as TBGAN variables in TF layouts, float32 (what `load_variables` takes)."""
        out = {}
        for scope, layer in self.plan.items():
            module = self.layers[_key(scope)]
            weight = module.weight.detach().float().cpu().numpy()
            out[f"{scope}/weight"] = np.ascontiguousarray(to_tf_layout(layer, weight))
            out[f"{scope}/bias"] = module.bias.detach().float().cpu().numpy()
        return out

    def freeze(self) -> Generator:
        """Computes every derived kernel once, for inference; call after moving the model (`.to`)."""
        self._frozen = None
        frozen = {}
        with torch.no_grad():
            for scopes in self._op_scopes():
                frozen[scopes] = self._weights(scopes)
        self._frozen = frozen
        return self

    def train(self, mode: bool = True) -> Generator:
        if mode:
            self._frozen = None  # parameters are about to change
        return super().train(mode)

    def _memory_format(self) -> torch.memory_format:
        """channels_last once the model was moved with `.to(memory_format=torch.channels_last)`."""
        w = self.layers[_key("4x4/Conv")].weight  # [C, C, 3, 3]: channel stride 1 only when channels-last
        return torch.channels_last if w.stride()[1] == 1 else torch.contiguous_format

    def _op_scopes(self) -> list[tuple[str, ...]]:
        """The layer scopes of every op the forward pass runs (a grouped op: its branches' scopes)."""
        ops = [(s,) for s in self.plan if "/tex" not in s and "/shp" not in s and "/nor" not in s]
        for s in self.plan:
            if "/tex" in s:
                group = tuple(s.replace("/tex", f"/{b}") for b in BRANCHES)
                ops += [group] if self.branches == "grouped" else [(g,) for g in group]
        return ops

    def _weights(self, scopes: tuple[str, ...]) -> tuple[torch.Tensor, torch.Tensor]:
        """(weight, bias) of an op: one layer's, or branch layers' stacked along the grouped dimension."""
        if self._frozen is not None:
            return self._frozen[scopes]
        modules = [self.layers[_key(s)] for s in scopes]
        if len(modules) == 1:
            w, b = modules[0].kernel(), modules[0].bias
        else:
            w, b = torch.cat([m.kernel() for m in modules]), torch.cat([m.bias for m in modules])
        return (w.contiguous(memory_format=self._memory_format()) if w.dim() == 4 else w), b

    # ---- forward ----

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        arch = self.arch
        eps, alpha = arch.pixelNormEpsilon, arch.leakyReluAlpha
        dtype = self.layers[_key("4x4/Dense")].weight.dtype
        memory_format = self._memory_format()

        def act(x: torch.Tensor, groups: int = 1) -> torch.Tensor:  # PN(lrelu(x)), bias already added
            return pixel_norm(F.leaky_relu(x, alpha), eps, groups)

        def conv(x: torch.Tensor, scopes: tuple[str, ...]) -> torch.Tensor:
            w, b = self._weights(scopes)
            pad = (w.shape[-1] - 1) // 2
            return F.conv2d(x, w, b, padding=pad, groups=len(scopes))

        def up_conv(x: torch.Tensor, scopes: tuple[str, ...]) -> torch.Tensor:  # [N, in, H, W] -> [N, out, 2H, 2W]
            w, b = self._weights(scopes)
            return F.conv_transpose2d(x, w, b, stride=2, padding=1, groups=len(scopes))

        # 4x4: PixelNorm of concat(z, labels) in float32, Dense -> [N, C, 4, 4] (index c*16 + y*4 + x)
        x = pixel_norm(torch.cat([z.float(), labels.float()], dim=1), eps).to(dtype)  # [N, L + K]
        w, b = self._weights(("4x4/Dense",))
        x = F.linear(x, w).reshape(x.shape[0], -1, 4, 4) + b.reshape(1, -1, 1, 1)  # [N, C, 4, 4]
        x = act(x.contiguous(memory_format=memory_format))
        x = act(conv(x, ("4x4/Conv",)))

        # Trunk to 2^lodSep, then the branches: parts is [x] (grouped) or one tensor per branch (split).
        groups = [tuple(BRANCHES)] if self.branches == "grouped" else [(b,) for b in BRANCHES]
        parts: list[torch.Tensor] = []
        lod1_features: list[torch.Tensor] = []
        for r in range(3, self.res_log2 + 1):
            px = f"{2 ** r}x{2 ** r}"
            if r <= arch.lodSep:
                x = act(conv(act(up_conv(x, (f"{px}/Conv0_up",))), (f"{px}/Conv1",)))
            else:
                if not parts:
                    parts = [x] if len(groups) == 1 else list(torch.chunk(x, 3, dim=1))
                parts = [act(conv(act(up_conv(p, _scopes(px, "Conv0_up", g)), len(g)), _scopes(px, "Conv1", g)), len(g))
                         for p, g in zip(parts, groups)]
            if r == self.res_log2 - 1:
                lod1_features = parts or [x]

        def to_rgb(features: list[torch.Tensor], lod: int) -> torch.Tensor:  # -> [N, 9, H, W]
            if len(features) == 1 and self.res_log2 - lod <= arch.lodSep:
                return conv(features[0], (f"ToRGB_lod{lod}",))
            return torch.cat([conv(f, tuple(f"ToRGB_lod{lod}/{b}" for b in g)) for f, g in zip(features, groups)], 1)

        uv = to_rgb(parts, 0)  # [N, 9, R, R]
        if self.lod > 0:  # fade-in (tbgan.md §1.9): lerp(lod0, upscale2d(lod1), lod)
            low = F.interpolate(to_rgb(lod1_features, 1), scale_factor=2, mode="nearest")
            uv = uv + (low - uv) * self.lod
        return uv.float()


def _key(scope: str) -> str:
    """A module name for a TBGAN scope: `8x8/Conv0_up` -> `8x8_Conv0_up`."""
    return scope.replace("/", "_")


def _scopes(px: str, name: str, branches: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{px}/{b}/{name}" for b in branches)
