#!/usr/bin/env python3
"""Convert the official TBGAN checkpoint and its UV template into a model package.

    npm run convert-official -- --pkl network-snapshot-013600.pkl --uv-dict 512_UV_dict.pkl \\
        --out models/tbgan-official
    python3 training/scripts/convert_official.py --pkl ... --uv-dict ... --out ...   # the same

Needs Python 3.9+ and numpy only (Debian/Ubuntu: apt install python3-numpy); no TensorFlow. Reads
Gs from the (G, D, Gs) pickle without running any code from it, checks its configuration and
variables, folds the equalized-learning-rate scale into the weights, and writes weights.safetensors,
topology.json and model.json. Peak memory is about the checkpoint's size (2.5 GB for the release).
Exit status: 0 converted, 1 the inputs cannot be converted (nothing was written), 2 bad arguments.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

try:
    import numpy  # noqa: F401
except ImportError:
    sys.exit("error: this converter needs numpy (Debian/Ubuntu: apt install python3-numpy; or pip install numpy);\n"
             f"       {sys.executable} cannot import it. `npm run convert-official` looks for a python3 that can,\n"
             "       or set TBGAN_PYTHON to one.")

from tbgan.convert import ConvertOptions, convert_official  # noqa: E402
from tbgan.errors import ConversionError  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(prog="convert-official", description=__doc__.split("\n\n")[0])
    p.add_argument("--pkl", required=True, help="the official checkpoint, network-snapshot-*.pkl")
    p.add_argument("--uv-dict", help="512_UV_dict.pkl from the TBGAN repository: the mesh template (topology.json)")
    p.add_argument("--out", required=True, help="the package directory to write, e.g. models/tbgan-official")
    p.add_argument("--name", default="tbgan-official", help="the model's name in model.json (default: %(default)s)")
    p.add_argument("--expressions", help="the 7 class names in label order, comma-separated, once known "
                                         "(default: class0..class6: the official order is unknown)")
    p.add_argument("--neutral", help="which of --expressions is the neutral class")
    p.add_argument("--allow-other-config", action="store_true",
                   help="convert a G_paper checkpoint whose static_kwargs are not the official model's "
                        "(e.g. a smaller test configuration)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    options = ConvertOptions(
        name=args.name,
        expressions=args.expressions.split(",") if args.expressions else None,
        neutral=args.neutral,
        allow_other_config=args.allow_other_config,
        force=args.force,
    )

    def progress(line):
        if not args.quiet:
            print(line, file=sys.stderr, flush=True)

    try:
        result = convert_official(args.pkl, args.uv_dict, args.out, options, report=progress)
    except ConversionError as e:
        print(f"error: {e}\nnothing was written.", file=sys.stderr)
        return 1
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    m = result.manifest
    source = m["provenance"]["source"]
    uv = m["provenance"]["uvDict"]
    print(f"wrote {args.out}: {m['name']} {m['version']}")
    print(f"  source    {source['file']} sha256 {source['sha256']}")
    print(f"  generator {result.architecture.resolution}px, latent {result.architecture.latentSize}, "
          f"{result.architecture.labelSize} labels, lod {result.lod}")
    topology = "none" if uv is None else f"{uv['vertices']} vertices, {uv['triangles']} triangles"
    print(f"  topology  {topology}")
    print(f"  labels    {', '.join(m['labels']['names'])}")
    print(f"next: npm run model -- inspect {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
