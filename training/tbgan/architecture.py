"""The generator's layer plan in Python, number for number the one of `src/model/architecture.ts`.

Variable names and shapes in TBGAN's layouts (research/tbgan.md §4.3), the equalized-learning-rate
gain and fan-in of every weight (§1.5), and the architecture problems the TypeScript manifest
check reports. The converter uses it to check a checkpoint's variables and to fold the scale in.
Field names of `Architecture` are the manifest's (camelCase), so `asdict()` is the JSON as written.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

BRANCHES = ("tex", "shp", "nor")  # channel order of the branches (tbgan.md §1.4)


@dataclass(frozen=True)
class Architecture:
    """The numbers that fully describe a generator (manifest `architecture`)."""

    resolution: int
    latentSize: int
    labelSize: int
    numChannels: int
    fmapBase: int
    fmapDecay: float
    fmapMax: int
    widthMultiplier: int
    lodSep: int
    pixelNormEpsilon: float
    leakyReluAlpha: float

    def to_json(self) -> dict:
        d = asdict(self)
        # 1.0 -> 1, as the TypeScript presets write it
        return {k: (int(v) if isinstance(v, float) and v.is_integer() and k != "pixelNormEpsilon" else v)
                for k, v in d.items()}


# The official generator: the `tbgan-512` preset of src/model/presets.ts.
OFFICIAL = Architecture(resolution=512, latentSize=1536, labelSize=7, numChannels=9, fmapBase=8192,
                        fmapDecay=1.0, fmapMax=512, widthMultiplier=3, lodSep=7,
                        pixelNormEpsilon=1e-8, leakyReluAlpha=0.2)


@dataclass(frozen=True)
class Layer:
    """One weight-bearing layer: TBGAN scope, kind, and the equalized-LR gain and fan-in of its weight."""

    scope: str
    kind: str  # 'dense' | 'conv' | 'conv-up' | 'to-rgb'
    res_log2: int
    in_channels: int
    out_channels: int
    gain: float
    fan_in: int

    def weight_shape(self) -> tuple[int, ...]:
        if self.kind == "dense":
            return (self.in_channels, self.out_channels * 16)  # output j is NCHW (j // 16, j % 16 // 4, j % 4)
        if self.kind == "conv":
            return (3, 3, self.in_channels, self.out_channels)
        if self.kind == "conv-up":
            return (3, 3, self.out_channels, self.in_channels)  # the fused up-conv's [k, k, out, in]
        return (1, 1, self.in_channels, self.out_channels)

    def weight_scale(self) -> np.float32:
        """`np.float32(gain / np.sqrt(fan_in))`, exactly the constant TF multiplies in (`get_weight`, §1.5)."""
        return np.float32(self.gain / np.sqrt(self.fan_in))


def feature_maps(arch: Architecture, stage: int) -> int:
    """`nf(stage) = 3 * min(int(fmap_base / 2^(stage * fmap_decay)), fmap_max)` (tbgan.md §1.2)."""
    return arch.widthMultiplier * min(int(arch.fmapBase / 2.0 ** (stage * arch.fmapDecay)), arch.fmapMax)


def architecture_problems(arch: Architecture) -> list[str]:
    """What makes an architecture unbuildable, as the TypeScript manifest check words it; empty if fine."""
    problems = []
    r_log2 = math.log2(arch.resolution) if arch.resolution > 0 else -1
    if not (r_log2 == int(r_log2) and r_log2 >= 3):
        problems.append(f"resolution must be a power of two >= 8, got {arch.resolution}")
    if arch.numChannels != 9:
        problems.append(f"numChannels must be 9 (3 per branch), got {arch.numChannels}")
    if not (isinstance(arch.lodSep, int) and 2 <= arch.lodSep < r_log2):
        problems.append(f"lodSep must be an integer in [2, log2(resolution) - 1], got {arch.lodSep}")
    for key in ("latentSize", "labelSize", "fmapBase", "fmapMax", "widthMultiplier"):
        v = getattr(arch, key)
        if not (isinstance(v, int) and v > 0):
            problems.append(f"{key} must be a positive integer, got {v}")
    if problems:
        return problems
    for r in range(arch.lodSep, int(r_log2) + 1):
        width = feature_maps(arch, r - 1)
        if width % len(BRANCHES) != 0:
            problems.append(f"width {width} of block {2 ** r}px must split into 3 branches")
    return problems


def layer_plan(arch: Architecture) -> list[Layer]:
    """The weight-bearing layers in the official creation order: each block, then its ToRGB."""
    r_log2 = int(math.log2(arch.resolution))
    sqrt2 = float(np.sqrt(2))
    layers = []
    for r in range(2, r_log2 + 1):
        px = f"{2 ** r}x{2 ** r}"
        out = feature_maps(arch, r - 1)
        lod = r_log2 - r
        if r == 2:
            fan_in = arch.latentSize + arch.labelSize
            # gain sqrt(2)/4 "to match the original Theano implementation" (tbgan.md §1.5)
            layers.append(Layer(f"{px}/Dense", "dense", r, fan_in, out, sqrt2 / 4, fan_in))
            layers.append(Layer(f"{px}/Conv", "conv", r, out, out, sqrt2, 9 * out))
        elif r <= arch.lodSep:
            inc = feature_maps(arch, r - 2)
            # The fused up-conv passes fan_in = k*k*in explicitly: its layout is [k, k, out, in] (§1.5).
            layers.append(Layer(f"{px}/Conv0_up", "conv-up", r, inc, out, sqrt2, 9 * inc))
            layers.append(Layer(f"{px}/Conv1", "conv", r, out, out, sqrt2, 9 * out))
        else:
            inc, outc = feature_maps(arch, r - 2) // 3, out // 3
            for b in BRANCHES:
                layers.append(Layer(f"{px}/{b}/Conv0_up", "conv-up", r, inc, outc, sqrt2, 9 * inc))
                layers.append(Layer(f"{px}/{b}/Conv1", "conv", r, outc, outc, sqrt2, 9 * outc))
        if r <= arch.lodSep:
            layers.append(Layer(f"ToRGB_lod{lod}", "to-rgb", r, out, arch.numChannels, 1.0, out))
        else:
            for b in BRANCHES:
                layers.append(Layer(f"ToRGB_lod{lod}/{b}", "to-rgb", r, out // 3, arch.numChannels // 3, 1.0, out // 3))
    return layers


def variable_plan(arch: Architecture) -> list[tuple[str, tuple[int, ...]]]:
    """Every checkpoint variable `(name, shape)` in creation order: `lod`, then weight and bias per layer."""
    out: list[tuple[str, tuple[int, ...]]] = [("lod", ())]
    for layer in layer_plan(arch):
        out.append((f"{layer.scope}/weight", layer.weight_shape()))
        out.append((f"{layer.scope}/bias", (layer.out_channels,)))
    return out


def weight_layers(arch: Architecture) -> dict[str, Layer]:
    """The layer of each `.../weight` variable, by variable name."""
    return {f"{layer.scope}/weight": layer for layer in layer_plan(arch)}
