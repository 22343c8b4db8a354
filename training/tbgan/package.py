"""Model packages written from Python: `weights.safetensors` + `model.json` (docs/model-package.md).

The same bytes as the TypeScript writer (`src/model/safetensors.ts`, `writeModelPackage`): header JSON
without spaces, `__metadata__` first, tensors in plan order, padded with spaces to 8 bytes; then
`model.json` with the sha256 and size of every other file. A package is written into a temporary
directory beside its destination and renamed into place, so a failure leaves nothing behind.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import tempfile
from datetime import datetime, timezone
from typing import Iterable

import numpy as np

from .architecture import Architecture
from .errors import ConversionError

MANIFEST_FORMAT = "tbgan-model-package"
MANIFEST_FORMAT_VERSION = 1
WEIGHTS_FILE = "weights.safetensors"
SAFETENSORS_METADATA = {"format": "tbgan", "layout": "tbgan-tf"}

# The official output layout, as STANDARD_OUTPUTS in src/model/manifest.ts (tbgan.md §1.7).
STANDARD_OUTPUTS = {
    "uv": {"layout": "NCHW", "range": [-1, 1]},
    "texture": {"channels": [0, 3], "decode": "rgb = clip(x / 2 + 0.5, 0, 1)"},
    "shape": {"channels": [3, 6], "units": "normalised XYZ of the training data (no de-normalisation upstream)"},
    "normals": {"channels": [6, 9], "decode": "n / |n|, encoded as (n + 1) / 2"},
}
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def now_iso() -> str:
    """The current UTC time as `2024-01-02T03:04:05.678Z` (the manifest's `createdAt`)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def safetensors_header(plan: list[tuple[str, tuple[int, ...]]]) -> bytes:
    """The 8-byte length and the padded JSON header of float32 tensors laid out in plan order."""
    header: dict = {"__metadata__": SAFETENSORS_METADATA}
    offset = 0
    for name, shape in plan:
        nbytes = int(np.prod(shape, dtype=np.int64)) * 4
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)  # the byte buffer starts 8-byte aligned
    return struct.pack("<Q", len(text)) + text


def write_safetensors(path: str, plan: list[tuple[str, tuple[int, ...]]],
                      tensors: Iterable[tuple[str, np.ndarray]]) -> dict:
    """Streams the tensors (in plan order, one in memory at a time) to `path`; returns its files entry."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "wb") as f:
        def put(data) -> None:
            nonlocal size
            f.write(data)
            digest.update(data)
            size += len(data)

        put(safetensors_header(plan))
        produced = iter(tensors)
        for name, shape in plan:
            got_name, array = next(produced)
            if got_name != name or array.shape != tuple(shape) or array.dtype != np.dtype("<f4"):
                raise ValueError(f"tensor {got_name} {array.shape} {array.dtype} out of plan: "
                                 f"expected {name} {shape} <f4")
            put(memoryview(array.astype("<f4", order="C", copy=False).reshape(-1)).cast("B"))
            del array
    return {"sha256": digest.hexdigest(), "bytes": size}


def read_safetensors(path: str) -> dict[str, np.ndarray]:
    """All tensors of a safetensors file (F32/F16), by name: for tests and checks."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        dtype = {"F32": "<f4", "F16": "<f2"}[entry["dtype"]]
        out[name] = np.frombuffer(data[begin:end], dtype=dtype).reshape(entry["shape"])
    return out


def read_package(package_dir: str) -> tuple[Architecture, float, dict[str, np.ndarray]]:
    """A package's architecture, `lod` and effective weights (TBGAN names and layouts, float32).

    Reads `model.json` and the weights file only: the service checks sizes and hashes, this does not.
    """
    with open(os.path.join(package_dir, "model.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    tensors = read_safetensors(os.path.join(package_dir, manifest["weights"]["file"]))
    variables = {name: t.astype(np.float32) for name, t in tensors.items()}
    return Architecture(**manifest["architecture"]), float(variables.pop("lod")), variables


def file_entry(data: bytes) -> dict:
    """The manifest's `files` entry of some bytes."""
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_destination(out_dir: str, force: bool) -> None:
    """Refuses an existing destination unless `force`; call before any slow work."""
    if os.path.lexists(out_dir) and not os.path.isdir(out_dir):
        raise ConversionError(f"{out_dir}: exists and is not a directory")
    if os.path.isdir(out_dir) and os.listdir(out_dir) and not force:
        raise ConversionError(f"{out_dir}: already exists; pass --force to replace it")


def write_package(out_dir: str, manifest: dict, plan: list[tuple[str, tuple[int, ...]]],
                  tensors: Iterable[tuple[str, np.ndarray]], extra_files: dict[str, bytes] | None = None,
                  force: bool = False, unlisted_files: dict[str, bytes] | None = None) -> dict:
    """Writes a package: the weights, the extra files, then `model.json`; returns the full manifest.

    `manifest` is everything but `files`; `extra_files` are listed in it, `unlisted_files` (a
    `.gitignore`) are not. The package appears at `out_dir` only when complete.
    """
    if not NAME_PATTERN.match(manifest["name"]):
        raise ConversionError(f"model name {manifest['name']!r} must be lower-case letters, digits, '.', '-', '_'")
    check_destination(out_dir, force)
    out_dir = os.path.abspath(out_dir)
    parent = os.path.dirname(out_dir)
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=f".{os.path.basename(out_dir)}.partial-", dir=parent)
    try:
        os.chmod(work, 0o777 & ~_umask())  # mkdtemp's 0700 would hide the package from a service user
        for name, data in (unlisted_files or {}).items():
            with open(os.path.join(work, name), "wb") as f:
                f.write(data)
        files = {}
        for name, data in (extra_files or {}).items():
            with open(os.path.join(work, name), "wb") as f:
                f.write(data)
            files[name] = file_entry(data)
        files[manifest["weights"]["file"]] = write_safetensors(
            os.path.join(work, manifest["weights"]["file"]), plan, tensors)
        full = {**manifest, "files": files}
        with open(os.path.join(work, "model.json"), "w", encoding="utf-8") as f:
            f.write(json.dumps(full, indent=2, ensure_ascii=False) + "\n")
        if os.path.isdir(out_dir):
            old = work + ".old"
            os.rename(out_dir, old)
            os.rename(work, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(work, out_dir)
        return full
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
