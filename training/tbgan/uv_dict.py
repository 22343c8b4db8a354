"""TBGAN's `512_UV_dict.pkl` -> the package's `topology.json`, so meshes use the model's own template.

The file (repository root of github.com/barisgecer/TBGAN) is a menpo pickle of a dict (research/
tbgan.md §3.3): `tcoords`, a menpo PointCloud of [V, 2] (u, v) in [0, 1] with the origin bottom-left
(v up); `trilist`, [T, 3] vertex indices; `tcoords_pixel_scaled`, the (row, col) pixel of each vertex
at 512 px, `((1 - v) * 512, u * 512)` by menpo's definition; and masks. It is read without menpo and
without running code (unpickle.py): menpo classes become stubs that keep their state.

Topology format (shared with the geometry code): `{"format": "tbgan-topology", "formatVersion": 1,
"name", "vFlip", "uvs": flat [V, 2], "indices": flat [T, 3]}`, `vFlip: true` meaning v points up.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
from dataclasses import dataclass, field

import numpy as np

from .errors import ConversionError
from .unpickle import BASE_GLOBALS, RefusedGlobal, RestrictedUnpickler, Stub, as_array, stub_class

TOPOLOGY_FORMAT = "tbgan-topology"
TOPOLOGY_FORMAT_VERSION = 1
UV_PIXELS = 512  # the resolution `tcoords_pixel_scaled` refers to (§3.3)


class PathStub(Stub):
    """pathlib paths (an image's `path`) pickle as `PosixPath(*parts)`: keep the parts."""

    def __init__(self, *parts):
        self.state = parts


# menpo classes that can occur in the dict (shapes, images, their landmarks); pathlib for image paths.
_MENPO = [
    ("menpo.shape.pointcloud", "PointCloud"), ("menpo.shape.mesh.base", "TriMesh"),
    ("menpo.shape.mesh.textured", "TexturedTriMesh"), ("menpo.shape.mesh.coloured", "ColouredTriMesh"),
    ("menpo.image.base", "Image"), ("menpo.image.boolean", "BooleanImage"), ("menpo.image.masked", "MaskedImage"),
    ("menpo.landmark.base", "LandmarkManager"),
]
UV_DICT_GLOBALS = {key: stub_class(*key) for key in _MENPO}
for _name in ("PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"):
    UV_DICT_GLOBALS[("pathlib", _name)] = type(_name, (PathStub,), {"pickled_as": f"pathlib.{_name}"})


@dataclass
class UvDict:
    """The template read from a UV dictionary."""

    path: str
    sha256: str
    file_bytes: int
    uvs: np.ndarray  # [V, 2] float64 (u, v) in [0, 1]
    indices: np.ndarray  # [T, 3] int64
    v_flip: bool
    keys: list[str]
    warnings: list[str] = field(default_factory=list)


def _array_of(value, key: str, attribute: str) -> np.ndarray:
    """The array of a dict entry that is an array or a menpo object holding one in `attribute`."""
    if isinstance(value, Stub) and isinstance(value.state, dict) and attribute in value.state:
        value = value.state[attribute]
    try:
        return as_array(value, key)
    except TypeError:
        found = getattr(value, "pickled_as", type(value).__name__)
        raise ConversionError(f"'{key}' is a {found}, expected an array or a menpo object with .{attribute}") from None


def read_uv_dict(path: str) -> UvDict:
    """Reads and checks a `512_UV_dict.pkl` (plain or gzipped); raises ConversionError with the reason."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ConversionError(f"{path}: cannot read the UV dictionary ({e.strerror or e})") from None
    sha256 = hashlib.sha256(data).hexdigest()
    payload = data
    if data[:2] == b"\x1f\x8b":  # menpo also writes .pkl.gz
        try:
            payload = gzip.decompress(data)
        except (OSError, EOFError) as e:
            raise ConversionError(f"{path}: a damaged gzip file ({e})") from None
    try:
        obj = RestrictedUnpickler(io.BytesIO(payload), {**BASE_GLOBALS, **UV_DICT_GLOBALS}).load()
    except RefusedGlobal as e:
        raise ConversionError(f"{path}: {e}") from None
    except Exception as e:  # noqa: BLE001 - any failure of an untrusted file is the file's fault
        raise ConversionError(f"{path}: not a readable UV dictionary pickle ({type(e).__name__}: {e})") from None
    try:
        return _check(obj, path, sha256, len(data))
    except ConversionError as e:
        raise ConversionError(f"{path}: {e}") from None


def _check(obj, path: str, sha256: str, file_bytes: int) -> UvDict:
    if not isinstance(obj, dict):
        raise ConversionError(f"expected a dict with 'tcoords' and 'trilist', found {type(obj).__name__}")
    keys = sorted(str(k) for k in obj)
    missing = [k for k in ("tcoords", "trilist") if k not in obj]
    if missing:
        raise ConversionError(f"the dict lacks {', '.join(missing)} (it has: {', '.join(keys)})")
    uvs = _array_of(obj["tcoords"], "tcoords", "points")
    indices = _array_of(obj["trilist"], "trilist", "trilist")
    if uvs.ndim != 2 or uvs.shape[1] != 2 or uvs.shape[0] < 3 or uvs.dtype.kind != "f":
        raise ConversionError(f"'tcoords' must be [V, 2] floats, found {list(uvs.shape)} {uvs.dtype}")
    if not np.isfinite(uvs).all():
        raise ConversionError("'tcoords' has non-finite values")
    lo, hi = float(uvs.min()), float(uvs.max())
    if lo < -1e-6 or hi > 1 + 1e-6:
        raise ConversionError(f"'tcoords' must lie in [0, 1], found values in [{lo}, {hi}]")
    uvs = np.clip(uvs.astype(np.float64), 0.0, 1.0)
    if indices.ndim != 2 or indices.shape[1] != 3 or indices.shape[0] < 1:
        raise ConversionError(f"'trilist' must be [T, 3], found {list(indices.shape)}")
    if indices.dtype.kind not in "iu":
        raise ConversionError(f"'trilist' must hold integers, found {indices.dtype}")
    indices = indices.astype(np.int64)
    v = uvs.shape[0]
    if indices.min() < 0 or indices.max() >= v:
        raise ConversionError(f"'trilist' indices must be in [0, {v}), found [{indices.min()}, {indices.max()}]")
    result = UvDict(path=path, sha256=sha256, file_bytes=file_bytes, uvs=uvs, indices=indices, v_flip=True, keys=keys)
    if "tcoords_pixel_scaled" in obj:
        _check_pixel_scaled(obj["tcoords_pixel_scaled"], result)
    return result


def _check_pixel_scaled(value, result: UvDict) -> None:
    """`tcoords_pixel_scaled` is what the official code samples at: it decides which way v points."""
    try:
        pixels = _array_of(value, "tcoords_pixel_scaled", "points").astype(np.float64)
    except ConversionError as e:
        result.warnings.append(f"{e}; not used to check the v direction")
        return
    if pixels.shape != result.uvs.shape:
        result.warnings.append(f"'tcoords_pixel_scaled' is {list(pixels.shape)}, not {list(result.uvs.shape)}: "
                               "not used to check the v direction")
        return
    u, v = result.uvs[:, 0], result.uvs[:, 1]
    up = np.abs(pixels - np.stack([(1 - v) * UV_PIXELS, u * UV_PIXELS], axis=1)).max()  # menpo: v points up
    down = np.abs(pixels - np.stack([v * UV_PIXELS, u * UV_PIXELS], axis=1)).max()
    if up <= 1.0:
        return
    if down <= 1.0:
        result.v_flip = False
        result.warnings.append("'tcoords_pixel_scaled' is (v * 512, u * 512): v points down in this file, "
                               "so the topology is written with vFlip false")
        return
    result.warnings.append(f"'tcoords_pixel_scaled' matches neither ((1 - v) * 512, u * 512) (off by up to "
                           f"{up:.1f} px) nor (v * 512, u * 512) ({down:.1f} px); assuming menpo's v-up tcoords")


def topology_json(uv: UvDict, name: str = "tbgan-official") -> bytes:
    """The topology file's bytes (compact JSON)."""
    doc = {
        "format": TOPOLOGY_FORMAT,
        "formatVersion": TOPOLOGY_FORMAT_VERSION,
        "name": name,
        "vFlip": uv.v_flip,
        "uvs": uv.uvs.ravel().tolist(),
        "indices": uv.indices.ravel().tolist(),
    }
    return (json.dumps(doc, separators=(",", ":")) + "\n").encode("utf-8")
