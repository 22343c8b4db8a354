#!/usr/bin/env python3
"""Check a converted package against its checkpoint: the service's ONNX graph vs TBGAN's operations.

    python3 training/scripts/verify_official.py --pkl network-snapshot-013600.pkl \\
        --package models/tbgan-official [--seed 0] [--count 1] [--upsample phase]

Runs `npm run model -- generate` on the package (ONNX Runtime, CPU) and tbgan/reference.py, a float64
numpy forward that applies the official operations literally to Gs's stored variables, on the same
latents (seed -> latent as the service does) and the package's default label, and prints the
largest difference per output. The official model takes a few minutes per face on two cores.
Exit status: 0 within --tolerance, 1 not.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

from tbgan.official import G_PAPER_DEFAULTS, read_checkpoint  # noqa: E402
from tbgan.reference import generator  # noqa: E402
from tbgan.seeds import latents_for_request  # noqa: E402

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="verify_official", description=__doc__.split("\n\n")[0])
    p.add_argument("--pkl", required=True)
    p.add_argument("--package", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--upsample", default="phase", choices=["phase", "conv-transpose", "resize-conv"])
    p.add_argument("--tolerance", type=float, default=1e-3, help="largest absolute difference allowed")
    args = p.parse_args(argv)

    manifest = json.load(open(os.path.join(args.package, "model.json"), encoding="utf-8"))
    arch = manifest["architecture"]
    z = latents_for_request(args.seed, args.count, arch["latentSize"])
    labels = np.tile(np.array(manifest["labels"]["default"], dtype=np.float32), (args.count, 1))
    with tempfile.TemporaryDirectory() as tmp:
        np.save(os.path.join(tmp, "z.npy"), z)
        np.save(os.path.join(tmp, "labels.npy"), labels)
        start = time.monotonic()
        subprocess.run(["npm", "run", "--silent", "model", "--", "generate", args.package, "--latents",
                        os.path.join(tmp, "z.npy"), "--labels", os.path.join(tmp, "labels.npy"), "--out",
                        os.path.join(tmp, "uv.npy"), "--upsample", args.upsample], cwd=REPO, check=True)
        uv = np.load(os.path.join(tmp, "uv.npy"))
    print(f"onnx graph: {time.monotonic() - start:.0f} s", file=sys.stderr)

    checkpoint = read_checkpoint(args.pkl, report=lambda line: print(line, file=sys.stderr))
    kwargs = {**G_PAPER_DEFAULTS, **checkpoint.static_kwargs}
    start = time.monotonic()
    expected = generator(checkpoint.variables, int(kwargs["resolution"]), int(kwargs["lod_sep"]), z, labels,
                         float(kwargs["pixelnorm_epsilon"]))
    print(f"numpy reference: {time.monotonic() - start:.0f} s", file=sys.stderr)

    worst = 0.0
    for name, c in (("texture", 0), ("shape", 3), ("normals", 6)):
        diff = float(np.abs(uv[:, c:c + 3] - expected[:, c:c + 3]).max())
        scale = float(np.abs(expected[:, c:c + 3]).max())
        print(f"{name:8s} max |onnx - reference| = {diff:.3g} (values up to {scale:.3g})")
        worst = max(worst, diff)
    print(f"lod {float(checkpoint.variables['lod'])}; {'OK' if worst <= args.tolerance else 'MISMATCH'}")
    return 0 if worst <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
