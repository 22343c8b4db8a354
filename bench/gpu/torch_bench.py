#!/usr/bin/env python3
"""PyTorch's speed on the same model package: the reference the ONNX Runtime engine is measured against.

    python3 bench/gpu/torch_bench.py --package bench/.models/tbgan-512 --device cuda \\
        --batches 1,8,32,64 [--compile] --json torch.json

Modes (training/tbgan/model.py, weights of the package, derived kernels frozen):
  eager-fp32          float32, NCHW; PyTorch's defaults (cuDNN convolutions may use TF32, as ORT's do)
  eager-fp16          float16, NCHW
  eager-fp16-cl       float16, channels-last (NHWC): cuDNN's fast layout for tensor cores
  cudagraph-fp16-cl   the same captured once per batch size in a CUDA graph and replayed
  compile-fp16-cl     torch.compile(mode="max-autotune") (only with --compile, at --compile-batches: minutes each)
Each (mode, batch): warm-ups, then --iters timed forwards, each between two CUDA events (on the CPU:
the wall clock); the median is reported as ms per face. `msPerFaceWithCopy` adds the raw output's
copy to host memory (wall clock, synchronised), what a server would pay without in-graph decoding.
Modes that need CUDA are listed as skipped on the CPU (the harness's dry run).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))

import torch  # noqa: E402

from tbgan.model import Generator  # noqa: E402
from tbgan.package import read_package  # noqa: E402
from tbgan.seeds import latents_for_request  # noqa: E402

MODES = {  # name: (dtype, channels_last, runner)
    "eager-fp32": (torch.float32, False, "eager"),
    "eager-fp16": (torch.float16, False, "eager"),
    "eager-fp16-cl": (torch.float16, True, "eager"),
    "cudagraph-fp16-cl": (torch.float16, True, "cudagraph"),
    "compile-fp16-cl": (torch.float16, True, "compile"),
}


def timed(fn, iters: int, device: torch.device) -> list[float]:
    """Milliseconds of each of `iters` calls: CUDA events on a GPU, the wall clock on the CPU."""
    times = []
    for _ in range(iters):
        if device.type == "cuda":
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end))
        else:
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
    return times


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def make_runner(model, runner: str, z: torch.Tensor, labels: torch.Tensor, device: torch.device):
    """A no-argument callable running one forward pass, and the seconds it took to prepare."""
    start = time.perf_counter()
    if runner == "eager":
        fn = lambda: model(z, labels)  # noqa: E731
    elif runner == "cudagraph":
        stream = torch.cuda.Stream(device)
        stream.wait_stream(torch.cuda.current_stream(device))
        with torch.cuda.stream(stream):
            for _ in range(3):  # warm-ups off the default stream, as capture requires
                model(z, labels)
        torch.cuda.current_stream(device).wait_stream(stream)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            out = model(z, labels)
        fn = lambda: (graph.replay(), out)[1]  # noqa: E731
    else:
        compiled = torch.compile(model, mode="max-autotune", dynamic=False)  # one static graph per batch size
        compiled(z, labels)  # compiles for this batch size
        fn = lambda: compiled(z, labels)  # noqa: E731
    synchronize(device)
    return fn, time.perf_counter() - start


def bench_mode(name: str, package: tuple, batches: list[int], args, device: torch.device) -> list[dict]:
    arch, lod, variables = package
    dtype, channels_last, runner = MODES[name]
    start = time.perf_counter()
    model = Generator(arch, lod, args.branches).load_variables(variables).eval()
    model = model.to(device=device, dtype=dtype)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    model.freeze()
    synchronize(device)
    load_seconds = time.perf_counter() - start
    rows = []
    for batch in batches if runner != "compile" else [b for b in batches if b in args.compile_batches]:
        row = {"mode": name, "batch": batch}
        try:
            z = torch.from_numpy(latents_for_request(batch, batch, arch.latentSize)).to(device)
            labels = torch.zeros(batch, arch.labelSize, device=device)
            if device.type == "cuda":
                torch.cuda.reset_peak_memory_stats(device)
            with torch.no_grad():
                t = time.perf_counter()
                fn, prepare_seconds = make_runner(model, runner, z, labels, device)
                first = timed(fn, 1, device)[0]  # cuDNN's autotuning (benchmark mode) happens here
                row["warmupMs"] = (time.perf_counter() - t) * 1000
                row["prepareSeconds"] = prepare_seconds
                timed(fn, args.warmup, device)
                times = timed(fn, args.iters, device)
                copies = []
                for _ in range(max(2, args.iters // 2)):
                    synchronize(device)
                    t = time.perf_counter()
                    fn().cpu()
                    copies.append((time.perf_counter() - t) * 1000)
            ms = statistics.median(times) / batch
            row.update({"msPerFace": ms, "facesPerSecond": 1000 / ms, "iters": len(times), "firstRunMs": first,
                        "msPerFaceWithCopy": statistics.median(copies) / batch, "loadSeconds": load_seconds})
            if device.type == "cuda":
                row["maxMemoryGB"] = torch.cuda.max_memory_allocated(device) / 1e9
        except Exception as e:  # out of memory, a failed capture or compile: recorded, the other rows go on
            row["error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]
        finally:
            fn = None  # a CUDA graph's memory pool lives as long as its replay function
            if device.type == "cuda":
                torch.cuda.empty_cache()
        rows.append(row)
        print(f"torch {name} batch {batch}: " + (f"{row['msPerFace']:.3f} ms/face" if "msPerFace" in row
                                                 else row["error"]), file=sys.stderr, flush=True)
    del model
    return rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="torch_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--package", required=True)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--batches", default="1,8,32,64")
    p.add_argument("--modes", default="eager-fp32,eager-fp16,eager-fp16-cl,cudagraph-fp16-cl")
    p.add_argument("--compile", action="store_true", help="add compile-fp16-cl (max-autotune: minutes per batch)")
    p.add_argument("--compile-batches", default="32")
    p.add_argument("--branches", default="grouped", choices=["grouped", "split"])
    p.add_argument("--iters", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--json", required=True, help="where to write the results")
    args = p.parse_args(argv)
    args.compile_batches = [int(b) for b in args.compile_batches.split(",")]
    device = torch.device(args.device)
    torch.backends.cudnn.benchmark = True  # autotune convolution algorithms, as ORT's cuDNN search does
    package = read_package(args.package)
    modes = args.modes.split(",") + (["compile-fp16-cl"] if args.compile else [])
    result = {
        "package": os.path.abspath(args.package),
        "device": str(device),
        "deviceName": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version() if device.type == "cuda" else None,
        "branches": args.branches,
        "timing": "CUDA events, median" if device.type == "cuda" else "wall clock, median",
        "rows": [],
        "skipped": [],
    }
    for name in modes:
        if name not in MODES:
            p.error(f"unknown mode {name}")
        dtype, _, runner = MODES[name]
        if device.type != "cuda" and (dtype == torch.float16 or runner != "eager"):
            result["skipped"].append({"mode": name, "reason": "needs CUDA"})
            continue
        result["rows"] += bench_mode(name, package, [int(b) for b in args.batches.split(",")], args, device)
        write(args.json, result)  # after every mode: a run stopped by a time limit keeps what it measured
    write(args.json, result)
    return 0


def write(path: str, result: dict) -> None:
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    sys.exit(main())
