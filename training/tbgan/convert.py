"""Official checkpoint + UV dictionary -> model package: the steps of `scripts/convert_official.py`.

Everything is read and checked before anything is written; the package is then written into a
temporary directory and renamed into place (package.py), so a failure writes nothing.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .architecture import OFFICIAL, Architecture, variable_plan
from .errors import ConversionError
from .official import (KNOWN_SOURCE, OTHER_SOURCES, Checkpoint, architecture_from_kwargs, check_variables,
                       describe, folded_variables, read_checkpoint, snapshot_kimg)
from .package import (MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION, STANDARD_OUTPUTS, WEIGHTS_FILE, check_destination,
                      now_iso, write_package)
from .uv_dict import UvDict, read_uv_dict, topology_json

TOPOLOGY_FILE = "topology.json"
# Inside the package: git never picks the licensed weights up, wherever the package is written.
GITIGNORE = b"# TBGAN EULA: these weights must not be redistributed; keep them out of git.\n*\n"
LICENCE = {
    "name": "TBGAN EULA, do not redistribute",
    "redistributable": False,
    "notice": "Weights of the official TBGAN model (Gecer et al., ECCV 2020), obtained by the user under the "
              "End User Licence Agreement of https://ibug.doc.ic.ac.uk/resources/tbgan/ (academic use). "
              "Do not redistribute this package or anything derived from its weights.",
}
# The official interpolation demo feeds softmax(noise) * these (util_scripts.py L219-L220, tbgan.md §1.3):
# label = scale * p reproduces it for a probability vector p. Other official scripts feed zeros.
OFFICIAL_LABEL_SCALE = [10, 10, 10, 10, 5, 3, 10]
_LABEL_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass
class ConvertOptions:
    """What the command line chooses."""

    name: str = "tbgan-official"
    expressions: list[str] | None = None  # class names in label order, if the user knows them
    neutral: str | None = None
    allow_other_config: bool = False
    force: bool = False


@dataclass
class ConvertResult:
    manifest: dict
    architecture: Architecture
    lod: float
    warnings: list[str] = field(default_factory=list)


def check_options(options: ConvertOptions, label_size: int | None = None) -> None:
    """Checks the naming options (before the slow read, and again once the label size is known)."""
    names = options.expressions
    if names is not None:
        bad = [n for n in names if not _LABEL_NAME.match(n)]
        if bad:
            raise ConversionError(f"--expressions: {', '.join(bad)}: names must be lower-case identifiers")
        if len(set(names)) != len(names):
            raise ConversionError("--expressions: names must be unique")
        if label_size is not None and len(names) != label_size:
            raise ConversionError(f"--expressions: the model has {label_size} label classes, {len(names)} names given")
    if options.neutral is not None and options.neutral not in (names or []):
        raise ConversionError(f"--neutral {options.neutral}: not one of the --expressions names")


def convert_official(pkl: str, uv_dict: str | None, out_dir: str, options: ConvertOptions,
                     report: Callable[[str], None] = lambda _: None) -> ConvertResult:
    """Converts a checkpoint (and its UV dictionary) into a model package at `out_dir`."""
    check_destination(out_dir, options.force)
    check_options(options)
    uv = read_uv_dict(uv_dict) if uv_dict is not None else None
    checkpoint = read_checkpoint(pkl, report=report)
    arch, config_warnings = architecture_from_kwargs(checkpoint.static_kwargs, checkpoint.variables,
                                                     options.allow_other_config)
    lod = check_variables(checkpoint.variables, arch)
    check_options(options, arch.labelSize)
    warnings = checkpoint.warnings + config_warnings + (uv.warnings if uv else [])
    if uv is None:
        warnings.append("no --uv-dict: the package has no topology, so the service cannot make meshes from it")
    manifest = official_manifest(checkpoint, arch, lod, uv, options, warnings)
    report(f"converting Gs: {describe(arch)}, lod {lod}")
    write_package(out_dir, manifest, variable_plan(arch), folded_variables(checkpoint.variables, arch),
                  {TOPOLOGY_FILE: topology_json(uv)} if uv else None, force=options.force,
                  unlisted_files={".gitignore": GITIGNORE})
    return ConvertResult(manifest=manifest, architecture=arch, lod=lod, warnings=warnings)


def _json_safe(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def official_manifest(checkpoint: Checkpoint, arch: Architecture, lod: float, uv: UvDict | None,
                      options: ConvertOptions, warnings: list[str]) -> dict:
    """`model.json` without `files` for a converted checkpoint."""
    n = arch.labelSize
    names = options.expressions or [f"class{i}" for i in range(n)]
    kimg = snapshot_kimg(checkpoint.path)
    source_file = os.path.basename(checkpoint.path)
    version = f"official-{'' if kimg is None else f'{kimg:06d}-'}{checkpoint.sha256[:12]}"
    source_known = ("TBGAN networks.py at 5eeaa47 (HEAD)" if checkpoint.source_sha256 == KNOWN_SOURCE
                    else OTHER_SOURCES.get(checkpoint.source_sha256, "unknown"))
    manifest = {
        "format": MANIFEST_FORMAT,
        "formatVersion": MANIFEST_FORMAT_VERSION,
        "name": options.name,
        "version": version,
        "description": f"TBGAN (Gecer et al., ECCV 2020) generator converted from {source_file} "
                       f"(sha256 {checkpoint.sha256[:12]}...). TBGAN EULA: do not redistribute.",
        "trained": True,
    }
    if arch == OFFICIAL:
        manifest["preset"] = "tbgan-512"
    manifest.update({
        "architecture": arch.to_json(),
        "labels": {
            "names": names,
            "neutral": options.neutral,
            "scale": OFFICIAL_LABEL_SCALE if n == len(OFFICIAL_LABEL_SCALE) else [1] * n,
            "default": [0] * n,
        },
        "outputs": STANDARD_OUTPUTS,
        "topology": {"kind": "file", "path": TOPOLOGY_FILE} if uv else None,
        "provenance": {
            "method": "converted",
            "createdBy": "tbgan-serve training/scripts/convert_official.py",
            "createdAt": now_iso(),
            "source": {
                "file": source_file,
                "sha256": checkpoint.sha256,
                "bytes": checkpoint.file_bytes,
                "snapshotKimg": kimg,
                "network": checkpoint.network_name,
                "buildFuncName": checkpoint.build_func_name,
                "staticKwargs": _json_safe(checkpoint.static_kwargs),
                "buildModuleSrcSha256": checkpoint.source_sha256,
                "buildModuleSrc": source_known,
            },
            "lod": lod,
            "uvDict": None if uv is None else {
                "file": os.path.basename(uv.path),
                "sha256": uv.sha256,
                "bytes": uv.file_bytes,
                "keys": uv.keys,
                "vertices": int(uv.uvs.shape[0]),
                "triangles": int(uv.indices.shape[0]),
                "vFlip": uv.v_flip,
            },
            "expressionNames": "given by the user" if options.expressions else
            "unknown: the official code does not name its 7 classes (research/tbgan.md §1.3); placeholders class0..",
            "labelEncoding": "scale = the official demo's softmax(noise) * [10, 10, 10, 10, 5, 3, 10]; default = "
                             "zeros, as the official generate_fake_images",
            "warnings": warnings,
        },
        "licence": LICENCE,
        "weights": {"file": WEIGHTS_FILE, "dtype": "float32", "equalizedLearningRateFolded": True},
    })
    return manifest
