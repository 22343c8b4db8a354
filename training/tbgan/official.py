"""The official TBGAN checkpoint (`network-snapshot-*.pkl`) read with numpy only: no TensorFlow.

The file is a pickle of `(G, D, Gs)`, three TF1 `tfutil.Network` objects (class path with or without
the `uv_gan.` prefix) whose state is `{'version': 2, 'name', 'static_kwargs', 'build_module_src',
'build_func_name', 'variables': [(local name, ndarray), ...]}` (research/tbgan.md §4.2). We take Gs,
the smoothed generator every official script uses, check its configuration and variables against
the architecture, and fold the equalized-learning-rate constant into each weight (§1.5): a model
package stores effective weights, in TBGAN's own names and layouts, without any permutation.

DESIGN NOTES (memory): the whole pickle is unpickled, G and D included, then only Gs is kept. Each
array views the bytes the unpickler read (see unpickle.py), so the peak is about the file size plus
one folded tensor; the issue's bound is twice the file size. Skipping G and D's payloads would need
a hand-written pickle VM that seeks past them (peak about 0.35x); not worth it under that bound.
"""
from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator

import numpy as np

from .architecture import OFFICIAL, Architecture, architecture_problems, feature_maps, variable_plan, weight_layers
from .errors import ConversionError
from .unpickle import BASE_GLOBALS, ProgressReader, RefusedGlobal, RestrictedUnpickler, Stub, as_array, stub_class

_NETWORK = stub_class("tfutil", "Network")
# The training code imported `from uv_gan import tfutil`; later code strips the prefix (§4.2).
NETWORK_GLOBALS = {("tfutil", "Network"): _NETWORK, ("uv_gan.tfutil", "Network"): _NETWORK}

# G_paper's keyword defaults (TBGAN networks.py; tbgan.md §1.2). `static_kwargs` holds only what
# the training script passed; everything else took these values.
G_PAPER_DEFAULTS = {
    "num_channels": 1, "resolution": 32, "label_size": 0, "fmap_base": 8192, "fmap_decay": 1.0,
    "fmap_max": 512, "latent_size": None, "normalize_latents": True, "use_wscale": True,
    "use_pixelnorm": True, "pixelnorm_epsilon": 1e-8, "use_leakyrelu": True, "dtype": "float32",
    "fused_scale": True, "structure": None, "is_template_graph": False, "lod_sep": 9,
}
# What train.py passed for the released model: dataset shape and labels, config.py's `G.lod_sep = 7`.
OFFICIAL_KWARGS = {"num_channels": 9, "resolution": 512, "label_size": 7, "lod_sep": 7}
# Switches the graph builder implements in one position only.
_REQUIRED_SWITCHES = {"normalize_latents": True, "use_wscale": True, "use_pixelnorm": True,
                      "use_leakyrelu": True, "dtype": "float32", "fused_scale": True}

# sha256 of networks.py as UTF-8 with LF line endings, per commit of github.com/barisgecer/TBGAN (§4.2).
KNOWN_SOURCE = "a2c0f68800aaa155a044f0b3148b6f2b357f4359d17a80f62fe457f4772ce83b"  # 5eeaa47, HEAD's
OTHER_SOURCES = {
    "d2c51a388003fe50352d26927f59e75a7cd68b704cd729f1bd9230e34090b6bb": "TBGAN networks.py at ebdf976, "
                                                                        "an earlier version than HEAD's 5eeaa47",
    "0ebc0f8f8776f274bc67073ce43720a59eda14e5b6ee564c13c7ee28175070c8": "ProGAN's networks.py (no branches)",
}
# The lines of TBGAN's networks.py the conversion relies on, as sha256[:16] of the stripped line (we
# do not ship the CC BY-NC source), with what each means and a pattern that finds its counterpart
# in another version. Used to explain an unknown `build_module_src`.
KEY_LINES: list[tuple[str, str, str]] = [
    ("dc65dee5a080808f", "widths nf(stage) = 3 * min(fmap_base / 2^stage, fmap_max) (§1.2)", r"def nf\("),
    ("907702542d58ba92", "default fan-in = prod(shape[:-1]) (§1.5)", r"fan_in = "),
    ("61ac175408a3abb6", "He constant gain / sqrt(fan_in) (§1.5)", r"std = "),
    ("1e87f33d7a6b06a8", "wscale is that constant in float32 (§1.5)", r"wscale = "),
    ("47e43c22e57c356a", "stored weight ~ N(0, 1), multiplied by wscale at run time (§1.5)", r"\* wscale"),
    ("c2103f73659ea939", "up-conv weight [k, k, out, in], fan-in k*k*in (§1.5)",
     r"get_weight\(\[kernel, kernel, fmaps"),
    ("1c003e0a9914cbc8", "up-conv kernel zero-padded to 5x5 (§1.6)", r"tf\.pad\(w"),
    ("a305ab46118b2ecd", "... and summed over its four shifted 4x4 windows (§1.6)", r"add_n"),
    ("a8c42efd689908a1", "conv2d_transpose, stride 2, SAME, NCHW (§1.6)", r"conv2d_transpose\("),
    ("14848a960ec63f7a", "conv weight [k, k, in, out]", r"get_weight\(\[kernel, kernel, x"),
    ("feb60ab08452fb95", "conv2d stride 1, SAME, NCHW", r"tf\.nn\.conv2d\(x"),
    ("bf8a9b125db0ce4d", "dense weight [in, out]", r"get_weight\(\[x\.shape"),
    ("613ef8b9188a1141", "Dense gain sqrt(2)/4 (§1.5)", r"dense\(x, fmaps"),
    ("35fc3456ba756e03", "Dense output reshaped to NCHW [C, 4, 4] (§4.4)", r"tf\.reshape\(x, \[-1, nf"),
    ("4f84f719b2b33b1f", "bias per channel, unscaled", r"tf\.reshape\(b"),
    ("21a2cd6c686f14e1", "leaky ReLU slope 0.2", r"def leaky_relu"),
    ("28d06c3766934239", "leaky ReLU = max(alpha x, x)", r"tf\.maximum"),
    ("5e9fdf4a36bf187c", "PixelNorm over channels, eps inside the rsqrt (§1.4)", r"rsqrt"),
    ("2568d09aa27505af", "label concatenated after z (§1.3)", r"combo_in = "),
    ("fc908a6912101acc", "PixelNorm of concat(z, label) (§1.3)", r"normalize_latents:"),
    ("e139b4f2a6d91f61", "trunk blocks up to lod_sep (§1.4)", r"elif res <= "),
    ("0e70f21df1bab3d0", "3-way channel split tex, shp, nor (§1.4)", r"tf\.split\("),
    ("1ae57a664df24027", "branch outputs concatenated tex, shp, nor (§1.4)", r"x = tf\.concat\(\["),
    ("a589db785bf845e0", "ToRGB 1x1 with gain 1 (§1.5)", r"fmaps=num_channels, kernel=1"),
    ("4b4e243037bd4c62", "ToRGB outputs concatenated tex, shp, nor", r"return tf\.concat\(\["),
    ("df22e7c4fd5a707d", "lerp(a, b, t) = a + (b - a) t (§1.9)", r"def lerp\("),
    ("0c542e6e3bcf0533", "fade-in lerp(ToRGB(y), up(ToRGB(x)), lod) (§1.9)", r"lambda: upscale2d\(lerp"),
]

LARGE_FILE_BYTES = 64 * 1024 * 1024  # progress is printed for files at least this large


@dataclass
class Checkpoint:
    """What the converter takes from a checkpoint: Gs and facts about the file."""

    path: str
    file_bytes: int
    sha256: str
    network_name: str
    static_kwargs: dict
    build_func_name: str
    source_sha256: str
    source: str
    variables: dict[str, np.ndarray]
    warnings: list[str] = field(default_factory=list)


def _short(value, limit=80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def read_checkpoint(path: str, report: Callable[[str], None] | None = None,
                    large_file_bytes: int = LARGE_FILE_BYTES) -> Checkpoint:
    """Unpickles `path` safely and returns Gs; raises ConversionError with the reason if it cannot."""
    try:
        file_bytes = os.path.getsize(path)
        raw = open(path, "rb")
    except OSError as e:
        raise ConversionError(f"{path}: cannot read the checkpoint ({e.strerror or e})") from None
    with raw:
        if file_bytes == 0:
            raise ConversionError(f"{path}: the file is empty")
        reader = ProgressReader(raw, file_bytes, os.path.basename(path),
                                report if file_bytes >= large_file_bytes else None)
        unpickler = RestrictedUnpickler(reader, {**BASE_GLOBALS, **NETWORK_GLOBALS})
        try:
            obj = unpickler.load()
        except RefusedGlobal as e:
            raise ConversionError(f"{path}: {e}") from None
        except EOFError:
            raise ConversionError(f"{path}: truncated: the pickle ends after {reader.consumed:,} bytes, "
                                  "before its end (an incomplete download?)") from None
        except Exception as e:  # noqa: BLE001 - any failure of an untrusted file is the file's fault
            message = str(e)
            if "truncated" in message or reader.consumed >= file_bytes:
                raise ConversionError(f"{path}: truncated: the pickle ends after {reader.consumed:,} bytes, "
                                      f"before its end (an incomplete download?) ({message})") from None
            if message.startswith("invalid load key") or reader.consumed <= 2:
                raise ConversionError(f"{path}: not a pickle file ({message})") from None
            raise ConversionError(f"{path}: not a readable TBGAN checkpoint ({type(e).__name__}: {message})") from None
        del unpickler  # its memo holds every object of the file
        sha256, trailing = reader.finish()

    if not (isinstance(obj, tuple) and len(obj) == 3 and all(isinstance(o, _NETWORK) for o in obj)):
        found = type(obj).__name__ + (f" of {len(obj)}" if isinstance(obj, (tuple, list)) else "")
        raise ConversionError(f"{path}: expected the tuple (G, D, Gs) of three tfutil.Network objects, found {found}")
    g, d, gs = obj
    del obj, g, d  # only Gs is converted: G and D's arrays are freed here
    return _read_gs(path, file_bytes, sha256, trailing, gs)


def _read_gs(path: str, file_bytes: int, sha256: str, trailing: int, gs: Stub) -> Checkpoint:
    state = gs.state
    if not isinstance(state, dict):
        raise ConversionError(f"{path}: Gs has no state dictionary (found {type(state).__name__})")
    required = ("version", "name", "static_kwargs", "build_module_src", "build_func_name", "variables")
    missing = [k for k in required if k not in state]
    if missing:
        raise ConversionError(f"{path}: Gs's state lacks {', '.join(missing)} (is this a ProGAN/TBGAN snapshot?)")
    if state["version"] != 2:
        raise ConversionError(f"{path}: Gs has state version {_short(state['version'])}, expected 2 (tfutil.py)")
    if state["build_func_name"] != "G_paper":
        raise ConversionError(f"{path}: Gs was built by {_short(state['build_func_name'])}, expected G_paper")
    if not isinstance(state["static_kwargs"], dict):
        raise ConversionError(f"{path}: Gs's static_kwargs is a {type(state['static_kwargs']).__name__}, not a dict")
    source = state["build_module_src"]
    if isinstance(source, bytes):
        source = source.decode("utf-8", errors="replace")
    if not isinstance(source, str):
        raise ConversionError(f"{path}: Gs's build_module_src is a {type(source).__name__}, not text")

    variables: dict[str, np.ndarray] = {}
    entries = state["variables"]
    if not isinstance(entries, (list, tuple)):
        raise ConversionError(f"{path}: Gs's variables are a {type(entries).__name__}, not a list")
    for entry in entries:
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], str)):
            raise ConversionError(f"{path}: Gs's variables hold {_short(entry)}, expected (name, array) pairs")
        name, value = entry
        if name in variables:
            raise ConversionError(f"{path}: Gs has the variable '{name}' twice")
        try:
            variables[name] = as_array(value, name)
        except TypeError as e:
            raise ConversionError(f"{path}: Gs variable {e}") from None

    normalized = source.replace("\r\n", "\n").replace("\r", "\n")
    checkpoint = Checkpoint(path=path, file_bytes=file_bytes, sha256=sha256, network_name=str(state["name"]),
                            static_kwargs=dict(state["static_kwargs"]), build_func_name=state["build_func_name"],
                            source_sha256=hashlib.sha256(normalized.encode("utf-8")).hexdigest(),
                            source=normalized, variables=variables)
    if state["name"] != "Gs":
        checkpoint.warnings.append(f"the third network is named {_short(state['name'])}, not 'Gs'; "
                                   "converting it anyway")
    if trailing:
        checkpoint.warnings.append(f"{trailing:,} bytes follow the end of the pickle; they were ignored")
    checkpoint.warnings.extend(source_warnings(checkpoint.source_sha256, normalized))
    return checkpoint


def source_warnings(sha256: str, source: str, max_lines: int = 12) -> list[str]:
    """Warnings about an embedded networks.py that is not TBGAN's HEAD version: which key lines differ."""
    if sha256 == KNOWN_SOURCE:
        return []
    what = OTHER_SOURCES.get(sha256, "not a known version of TBGAN's networks.py")
    lines = [line.strip() for line in source.split("\n")]
    present = {hashlib.sha256(line.encode("utf-8")).hexdigest()[:16] for line in lines}
    missing = [(desc, pattern) for sha, desc, pattern in KEY_LINES if sha not in present]
    head = f"the generator source embedded in the checkpoint (sha256 {sha256[:16]}...) is {what}"
    if not missing:
        return [f"{head}; every line the conversion relies on ({len(KEY_LINES)}) is unchanged, so the "
                "difference is elsewhere"]
    diff = []
    for desc, pattern in missing:
        diff.append(f"  - TBGAN: {desc}")
        diff.extend(f"  + here: {line}" for line in lines if re.search(pattern, line))
    shown = diff[:max_lines] + ([f"  ... ({len(diff) - max_lines} more lines)"] if len(diff) > max_lines else [])
    return [f"{head}; {len(missing)} of {len(KEY_LINES)} lines the conversion relies on differ "
            "(the converted model assumes TBGAN's operations: check these):\n" + "\n".join(shown)]


def architecture_from_kwargs(static_kwargs: dict, variables: dict[str, np.ndarray],
                             allow_other_config: bool) -> tuple[Architecture, list[str]]:
    """The architecture Gs was built with, from its static_kwargs and the Dense weight; plus warnings."""
    unknown = sorted(k for k in static_kwargs if k not in G_PAPER_DEFAULTS)
    kw = {**G_PAPER_DEFAULTS, **{k: v for k, v in static_kwargs.items() if k in G_PAPER_DEFAULTS}}
    official = {**G_PAPER_DEFAULTS, **OFFICIAL_KWARGS}
    differences = [f"{k}={_short(kw[k])} (official {_short(official[k])})" for k in G_PAPER_DEFAULTS
                   if kw[k] != official[k] and k not in ("structure", "is_template_graph")]
    if (differences or unknown) and not allow_other_config:
        found = ", ".join(differences + [f"{k}={_short(static_kwargs[k])} (unknown to G_paper)" for k in unknown])
        raise ConversionError(f"Gs's static_kwargs are not the official model's: {found}. "
                              "Pass --allow-other-config to convert a checkpoint of another configuration.")
    for k, v in _REQUIRED_SWITCHES.items():
        if kw[k] != v:
            raise ConversionError(f"Gs was built with {k}={_short(kw[k])}; only {k}={v!r} is supported")
    warnings = [f"static_kwargs has keys G_paper ignores: {', '.join(unknown)}"] if unknown else []

    def integer(key):
        v = kw[key]
        if isinstance(v, (bool, float)) or not isinstance(v, (int, np.integer)):
            raise ConversionError(f"Gs's static_kwargs {key}={_short(v)} is not an integer")
        return int(v)

    decay = kw["fmap_decay"]
    if not isinstance(decay, (int, float, np.floating, np.integer)) or isinstance(decay, bool):
        raise ConversionError(f"Gs's static_kwargs fmap_decay={_short(decay)} is not a number")
    eps = float(kw["pixelnorm_epsilon"])
    arch = Architecture(resolution=integer("resolution"), latentSize=1, labelSize=integer("label_size"),
                        numChannels=integer("num_channels"), fmapBase=integer("fmap_base"), fmapDecay=float(decay),
                        fmapMax=integer("fmap_max"), widthMultiplier=3, lodSep=integer("lod_sep"),
                        pixelNormEpsilon=eps, leakyReluAlpha=0.2)
    expected_latent = feature_maps(arch, 0) if kw["latent_size"] is None else integer("latent_size")
    dense = variables.get("4x4/Dense/weight")
    latent = expected_latent
    if dense is not None and dense.ndim == 2:
        latent = dense.shape[0] - arch.labelSize
        if latent != expected_latent:
            raise ConversionError(f"4x4/Dense/weight has {dense.shape[0]} rows = latent {latent} + "
                                  f"{arch.labelSize} labels, but the static_kwargs give a latent size of "
                                  f"{expected_latent}")
    arch = replace(arch, latentSize=latent)
    problems = architecture_problems(arch)
    if problems:
        raise ConversionError("Gs's architecture cannot be served: " + "; ".join(problems))
    if arch != OFFICIAL and not allow_other_config:  # e.g. a latent_size that matches nothing official
        raise ConversionError(f"Gs's architecture {arch.to_json()} is not the official one; "
                              "pass --allow-other-config to convert it")
    return arch, warnings


def check_variables(variables: dict[str, np.ndarray], arch: Architecture) -> float:
    """Checks names, shapes, dtypes and values against the architecture; returns `lod`."""
    plan = variable_plan(arch)
    expected = dict(plan)
    problems = []
    missing = [n for n, _ in plan if n not in variables]
    extra = [n for n in variables if n not in expected]

    def listing(names):
        return ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")

    if missing:
        problems.append(f"{len(missing)} variable(s) missing: {listing(missing)}")
    if extra:
        problems.append(f"{len(extra)} unexpected variable(s): {listing(extra)}")
    for name, shape in plan:
        v = variables.get(name)
        if v is None:
            continue
        if v.shape != shape:
            problems.append(f"'{name}' has shape {list(v.shape)}, expected {list(shape)}")
        elif v.dtype.kind != "f" or v.dtype.itemsize != 4:
            problems.append(f"'{name}' has dtype {v.dtype}, expected float32")
        elif not np.isfinite(v).all():
            bad = int(np.flatnonzero(~np.isfinite(v.ravel()))[0])
            problems.append(f"'{name}' holds {v.ravel()[bad]} at flat index {bad}")
    if problems:
        raise ConversionError("Gs's variables do not match the architecture "
                              f"{arch.resolution}px, latent {arch.latentSize}, lodSep {arch.lodSep}:\n  "
                              + "\n  ".join(problems))
    lod = float(variables["lod"])
    if not lod < 1:
        raise ConversionError(f"lod = {lod}: the snapshot was taken while growing below full resolution "
                              "(research/tbgan.md §1.9); only snapshots with 0 <= lod < 1 can be served")
    if not lod >= 0:
        raise ConversionError(f"lod = {lod}: expected a value in [0, 1)")
    return lod


def folded_variables(variables: dict[str, np.ndarray], arch: Architecture) -> Iterator[tuple[str, np.ndarray]]:
    """Each variable in plan order as little-endian float32, weights times their equalized-LR constant.

    `stored * np.float32(gain / np.sqrt(fan_in))` in float32 is the product TF computes at run time
    (`get_weight`), so these are bit for bit the weights the official graph used. Biases and `lod` are
    not scaled. Nothing is permuted: the package keeps the checkpoint's layouts (docs/model-package.md).
    """
    layers = weight_layers(arch)
    for name, _ in variable_plan(arch):
        v = variables[name]
        layer = layers.get(name)
        if layer is not None:
            out = np.multiply(v, layer.weight_scale(), dtype=np.float32)
        else:
            out = np.asarray(v, dtype=np.float32)
        yield name, out.astype("<f4", order="C", copy=False)


def snapshot_kimg(path: str) -> int | None:
    """The kimg of `network-snapshot-013600.pkl` (13600), if the name says."""
    m = re.search(r"network-snapshot-(\d+)", os.path.basename(path))
    return int(m.group(1)) if m else None


def describe(arch: Architecture) -> str:
    """One line: resolution, latent, widths."""
    widths = [feature_maps(arch, s) for s in range(1, int(math.log2(arch.resolution)))]
    return (f"{arch.resolution}px, latent {arch.latentSize} + {arch.labelSize} labels, trunk to "
            f"{2 ** arch.lodSep}px, widths {widths}")
