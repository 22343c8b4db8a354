#!/usr/bin/env python3
"""Parity on the same weights and seeds: the service's ONNX graph (fp32, fp16) against PyTorch fp32.

    python3 bench/gpu/parity.py --package bench/.models/tbgan-512 --node "node dist-bench/src/cli/model.js" \\
        --ep cuda --device cuda --seed 1 --count 4 --json parity.json

Latents come from training/tbgan/seeds.py (bit for bit the service's seed -> latent), labels are the
package's default label. ONNX outputs are the raw uv [N, 9, R, R] of `model generate --ep EP`
(ONNX Runtime from Node); the reference is the PyTorch generator in float32 with TF32 off (strict
fp32 on a GPU). Error = max|a - b| / max|b| over all 9 channels (also per modality, for reading).
At 64 px or less the reference is itself checked against the float64 numpy forward (tbgan/reference.py).
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from tbgan.architecture import weight_layers  # noqa: E402
from tbgan.model import Generator  # noqa: E402
from tbgan.package import read_package  # noqa: E402
from tbgan.reference import generator, max_relative_error  # noqa: E402
from tbgan.seeds import latents_for_request  # noqa: E402

MODALITIES = {"texture": 0, "shape": 3, "normals": 6}


def errors(got: np.ndarray, expected: np.ndarray) -> dict:
    out = {"maxRelativeError": max_relative_error(got, expected)}
    for name, c in MODALITIES.items():
        out[f"{name}MaxRelativeError"] = max_relative_error(got[:, c:c + 3], expected[:, c:c + 3])
    out["rmsRelativeError"] = float(np.sqrt(np.mean((got.astype(np.float64) - expected) ** 2)) / np.abs(expected).max())
    return out


def torch_forward(package, z, labels, device, dtype=torch.float32, channels_last=False) -> np.ndarray:
    arch, lod, variables = package
    model = Generator(arch, lod).load_variables(variables).eval().to(device=device, dtype=dtype)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    model.freeze()
    with torch.no_grad():
        out = model(torch.from_numpy(z).to(device), torch.from_numpy(labels).to(device)).cpu().numpy()
    del model
    if device.type == "cuda":
        torch.cuda.empty_cache()
    return out


def numpy_reference(package, z, labels) -> np.ndarray:
    """tbgan/reference.py on the package's weights (it applies the equalized-LR scale, so divide it out)."""
    arch, lod, variables = package
    layers = weight_layers(arch)
    stored = {n: v.astype(np.float64) / (layers[n].gain / np.sqrt(layers[n].fan_in)) if n in layers else v
              for n, v in variables.items()}
    stored["lod"] = np.array(lod, dtype=np.float32)
    return generator(stored, arch.resolution, arch.lodSep, z, labels, arch.pixelNormEpsilon)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="parity", description=__doc__.split("\n\n")[0])
    p.add_argument("--package", required=True)
    p.add_argument("--node", required=True,
                   help="command running the model CLI, e.g. 'node dist-bench/src/cli/model.js'")
    p.add_argument("--ep", default="cpu")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=4)
    p.add_argument("--precisions", default="fp32,fp16")
    p.add_argument("--json", required=True)
    args = p.parse_args(argv)
    device = torch.device(args.device)
    torch.backends.cudnn.allow_tf32 = False  # the reference is strict fp32
    torch.backends.cuda.matmul.allow_tf32 = False

    with open(os.path.join(args.package, "model.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    package = read_package(args.package)
    arch = package[0]
    z = latents_for_request(args.seed, args.count, arch.latentSize)
    labels = np.tile(np.asarray(manifest["labels"]["default"], dtype=np.float32), (args.count, 1))
    reference = torch_forward(package, z, labels, device)
    result = {
        "package": os.path.abspath(args.package),
        "seeds": [args.seed + i for i in range(args.count)],
        "reference": f"PyTorch float32 on {device} (TF32 off), torch {torch.__version__}",
        "metric": "max|a - b| / max|b| over all 9 channels",
        "rows": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        np.save(os.path.join(tmp, "z.npy"), z)
        np.save(os.path.join(tmp, "labels.npy"), labels)
        for precision in args.precisions.split(","):
            out = os.path.join(tmp, f"uv-{precision}.npy")
            command = [*shlex.split(args.node), "generate", args.package, "--latents", os.path.join(tmp, "z.npy"),
                       "--labels", os.path.join(tmp, "labels.npy"), "--out", out, "--ep", args.ep,
                       "--batch-size", str(args.count), *(["--fp16"] if precision == "fp16" else [])]
            start = time.monotonic()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            result["rows"].append({"name": f"onnx-{args.ep}-{precision}", "against": "torch-fp32",
                                   "seconds": time.monotonic() - start, **errors(np.load(out), reference)})
    if device.type == "cuda":
        half = torch_forward(package, z, labels, device, torch.float16, channels_last=True)
        result["rows"].append({"name": "torch-fp16-cl", "against": "torch-fp32", **errors(half, reference)})
        torch.backends.cudnn.allow_tf32 = True  # PyTorch's default for convolutions, and ORT's for fp32
        tf32 = torch_forward(package, z, labels, device)
        torch.backends.cudnn.allow_tf32 = False
        result["rows"].append({"name": "torch-fp32-tf32", "against": "torch-fp32", **errors(tf32, reference)})
    if arch.resolution <= 64:  # the float64 numpy forward is minutes per face at 512 px
        result["rows"].append({"name": "torch-fp32", "against": "numpy-float64",
                               **errors(reference, numpy_reference(package, z, labels))})
    for row in result["rows"]:
        print(f"parity {row['name']} vs {row['against']}: {row['maxRelativeError']:.2e}", file=sys.stderr)
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
