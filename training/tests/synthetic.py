"""Synthetic inputs in the official formats, for tests: random packages, checkpoints, UV dictionaries.

A checkpoint is made from a random model package by the inverse of the conversion: each effective
weight divided by its equalized-LR constant, in the official layouts (the Dense's NCHW column order
and the up-conv's [k, k, out, in] are the package's too), pickled as `(G, D, Gs)` of a class whose
path is `uv_gan.tfutil.Network` or `tfutil.Network`, at any pickle protocol.
"""
from __future__ import annotations

import contextlib
import pickle
import sys
import types

import numpy as np

from tbgan.architecture import Architecture, variable_plan, weight_layers
from tbgan.package import write_package

# The tbgan-tiny preset (src/model/presets.ts) and the G_paper kwargs that build it.
TINY = Architecture(resolution=32, latentSize=48, labelSize=7, numChannels=9, fmapBase=256, fmapDecay=1.0,
                    fmapMax=16, widthMultiplier=3, lodSep=3, pixelNormEpsilon=1e-8, leakyReluAlpha=0.2)
TINY_KWARGS = {"num_channels": 9, "resolution": 32, "label_size": 7, "fmap_base": 256, "fmap_max": 16, "lod_sep": 3}
FAKE_SOURCE = "# not TBGAN's networks.py: a stand-in for the source every snapshot embeds\ndef G_paper(): pass\n"


def random_effective(arch: Architecture, seed: int, lod: float = 0.0, bias_std: float = 0.2) -> dict:
    """Effective weights as TF makes them: stored ~ N(0, 1) float32 times np.float32(gain / sqrt(fan_in))."""
    rng = np.random.default_rng(seed)
    layers = weight_layers(arch)
    out = {}
    for name, shape in variable_plan(arch):
        if name == "lod":
            out[name] = np.array(lod, dtype=np.float32)
        elif name in layers:
            out[name] = np.multiply(rng.standard_normal(shape, dtype=np.float32), layers[name].weight_scale(),
                                    dtype=np.float32)
        else:
            out[name] = rng.normal(0, bias_std, shape).astype(np.float32)
    return out


def write_random_package(out_dir: str, arch: Architecture, effective: dict) -> dict:
    """A `random-init` package holding these effective weights (the converter's writer, Python side)."""
    manifest = {
        "format": "tbgan-model-package", "formatVersion": 1, "name": "synthetic", "version": "0.0.0-test",
        "description": "synthetic test package", "trained": False, "architecture": arch.to_json(),
        "labels": {"names": [f"class{i}" for i in range(arch.labelSize)], "neutral": None,
                   "scale": [1] * arch.labelSize, "default": [0] * arch.labelSize},
        "outputs": {"uv": {"layout": "NCHW", "range": [-1, 1]},
                    "texture": {"channels": [0, 3], "decode": "x"}, "shape": {"channels": [3, 6], "units": "x"},
                    "normals": {"channels": [6, 9], "decode": "x"}},
        "topology": None,
        "provenance": {"method": "random-init", "createdBy": "tests", "createdAt": "2024-01-01T00:00:00.000Z"},
        "licence": {"name": "test", "redistributable": True},
        "weights": {"file": "weights.safetensors", "dtype": "float32", "equalizedLearningRateFolded": True},
    }
    plan = variable_plan(arch)
    return write_package(out_dir, manifest, plan, ((n, effective[n]) for n, _ in plan))


def unfold(effective: np.ndarray, scale: np.float32) -> np.ndarray:
    """The stored float32 weight whose float32 product with `scale` is exactly `effective`.

    `effective / scale` rounded can be one ulp off; its neighbours are tried too.
    """
    stored = (effective.astype(np.float64) / np.float64(scale)).astype(np.float32)
    for _ in range(3):
        wrong = np.multiply(stored, scale, dtype=np.float32) != effective
        if not wrong.any():
            return stored
        up = np.nextafter(stored, np.float32(np.inf))
        down = np.nextafter(stored, np.float32(-np.inf))
        stored = np.where(wrong & (np.multiply(up, scale, dtype=np.float32) == effective), up,
                          np.where(wrong & (np.multiply(down, scale, dtype=np.float32) == effective), down, stored))
    raise AssertionError("an effective weight has no exact float32 preimage")


def stored_variables(arch: Architecture, effective: dict) -> dict:
    """The inverse transform: what the official checkpoint stores for these effective weights."""
    layers = weight_layers(arch)
    return {name: unfold(v, layers[name].weight_scale()) if name in layers else v.copy()
            for name, v in effective.items()}


def network_state(name: str, variables: dict, kwargs: dict, source: str = FAKE_SOURCE,
                  func: str = "G_paper") -> dict:
    """A tfutil.Network's pickled state (research/tbgan.md §4.2)."""
    return {"version": 2, "name": name, "static_kwargs": dict(kwargs), "build_module_src": source,
            "build_func_name": func, "variables": list(variables.items())}


def discriminator_variables(seed: int) -> dict:
    """A few D-like variables: the converter must ignore them."""
    rng = np.random.default_rng(seed)
    return {"lod": np.array(0, dtype=np.float32),
            "FromRGB_lod0/tex/weight": rng.standard_normal((1, 1, 3, 16), dtype=np.float32),
            "4x4/Dense1/weight": rng.standard_normal((64, 8), dtype=np.float32)}


@contextlib.contextmanager
def fake_class(module: str, name: str, cls: type):
    """Registers `cls` as `module.name` so pickle writes that global path."""
    parts = module.split(".")
    added = []
    for i in range(1, len(parts) + 1):
        mod = ".".join(parts[:i])
        if mod not in sys.modules:
            sys.modules[mod] = types.ModuleType(mod)
            added.append(mod)
    setattr(sys.modules[module], name, cls)
    cls.__module__, cls.__qualname__ = module, name
    try:
        yield
    finally:
        for mod in added:
            del sys.modules[mod]


class _Network:
    def __init__(self, state):
        self.state = state

    def __getstate__(self):
        return self.state


def pickle_networks(states: tuple, protocol: int = 4, module: str = "uv_gan.tfutil") -> bytes:
    """Pickles network states as the training script did: `pickle.dump((G, D, Gs))` of tfutil.Network."""
    cls = type("Network", (_Network,), {})
    with fake_class(module, "Network", cls):
        return pickle.dumps(tuple(cls(s) for s in states), protocol=protocol)


def write_networks(path, states: tuple, protocol: int = 4, module: str = "uv_gan.tfutil") -> None:
    """`pickle_networks` streamed to a file (large checkpoints)."""
    cls = type("Network", (_Network,), {})
    with fake_class(module, "Network", cls), open(path, "wb") as f:
        pickle.dump(tuple(cls(s) for s in states), f, protocol=protocol)


def checkpoint_bytes(gs_stored: dict, kwargs: dict = TINY_KWARGS, protocol: int = 4, module: str = "uv_gan.tfutil",
                     gs_state: dict | None = None, seed: int = 0) -> bytes:
    """An official-format checkpoint: G (other weights), D, and Gs with `gs_stored`."""
    g = {k: v + np.float32(1) if v.ndim else v.copy() for k, v in gs_stored.items()}  # G differs from Gs
    states = (network_state("G", g, kwargs), network_state("D", discriminator_variables(seed), kwargs, func="D_paper"),
              gs_state if gs_state is not None else network_state("Gs", gs_stored, kwargs))
    return pickle_networks(states, protocol, module)


def tiny_checkpoint(tmp_path, seed: int = 1, lod: float = 0.0, **kwargs) -> tuple[str, dict]:
    """Writes a tiny checkpoint to tmp_path; returns its path and the effective weights it encodes."""
    effective = random_effective(TINY, seed, lod)
    path = tmp_path / f"network-snapshot-{seed:06d}.pkl"
    path.write_bytes(checkpoint_bytes(stored_variables(TINY, effective), **kwargs))
    return str(path), effective


# ---- 512_UV_dict.pkl in menpo's format ----

def _menpo_classes() -> dict:
    def setstate(self, state):
        self.__dict__.update(state)

    return {name: type(name, (), {"__setstate__": setstate}) for name in ("PointCloud", "BooleanImage")}


def uv_dict_bytes(uvs: np.ndarray, trilist: np.ndarray, protocol: int = 2, pixel_scaled: np.ndarray | None = None,
                  extra: dict | None = None) -> bytes:
    """A menpo-style pickle: {'tcoords': PointCloud, 'tcoords_pixel_scaled': PointCloud, 'trilist', masks}."""
    classes = _menpo_classes()
    point_cloud, boolean_image = classes["PointCloud"], classes["BooleanImage"]

    def cloud(points):
        pc = point_cloud.__new__(point_cloud)
        pc.__dict__.update({"points": points, "_landmarks": None})
        return pc

    mask = boolean_image.__new__(boolean_image)
    mask.__dict__.update({"pixels": np.ones((1, 8, 8), dtype=bool), "_landmarks": None})
    if pixel_scaled is None:
        pixel_scaled = np.stack([(1 - uvs[:, 1]) * 512, uvs[:, 0] * 512], axis=1)
    data = {"tcoords": cloud(uvs), "tcoords_pixel_scaled": cloud(pixel_scaled), "trilist": trilist,
            "tmask": np.ones(len(uvs), dtype=bool), "tmask_image": mask, **(extra or {})}
    with fake_class("menpo.shape.pointcloud", "PointCloud", point_cloud), \
            fake_class("menpo.image.boolean", "BooleanImage", boolean_image):
        return pickle.dumps(data, protocol=protocol)


def grid_template(n: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """An n x n vertex grid over the UV square and its 2 (n - 1)^2 triangles."""
    u, v = np.meshgrid(np.linspace(0, 1, n), np.linspace(0, 1, n))
    uvs = np.stack([u.ravel(), v.ravel()], axis=1)
    tris = []
    for y in range(n - 1):
        for x in range(n - 1):
            i = y * n + x
            tris += [[i, i + 1, i + n], [i + 1, i + n + 1, i + n]]
    return uvs, np.array(tris, dtype=np.uint32)
