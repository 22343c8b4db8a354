#!/usr/bin/env python3
"""Merges the phase outputs of bench/gpu/run.sh into results.json and results.md, with the issue's targets.

    python3 bench/gpu/report.py WORK_DIR OUT_DIR

WORK_DIR holds what the phases wrote (env.json, phases.json, engine.json, variants.json, torch.json,
parity.json, served-fp16.json, served-fp32.json); any may be missing (a phase skipped or failed), and
the report says so. Standard library only.
"""
from __future__ import annotations

import json
import os
import sys

PHASE_FILES = ("env", "phases", "engine", "variants", "torch", "parity", "served-fp16", "served-fp32")
HEADLINE_BATCHES = (1, 32)


def load(work: str) -> dict:
    out = {}
    for name in PHASE_FILES:
        path = os.path.join(work, f"{name}.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                out[name] = json.load(f)
    return out


def engine_row(data: dict, precision: str, batch: int, fetch: str, source: str = "engine") -> dict | None:
    for result in data.get(source, []):
        if result["precision"] != precision:
            continue
        for row in result["rows"]:
            if row["batch"] == batch and "+".join(row["fetch"]) == fetch:
                return {**row, "loadMs": result["loadMs"]}
    return None


def torch_ms(data: dict, mode: str, batch: int) -> float | None:
    for row in data.get("torch", {}).get("rows", []):
        if row["mode"] == mode and row["batch"] == batch and "msPerFace" in row:
            return row["msPerFace"]
    return None


def target(name: str, value, limit, passed) -> dict:
    return {"name": name, "value": value, "limit": limit, "pass": passed}


def targets(data: dict) -> list[dict]:
    """The issue's targets, each with its measured value (None: not measured in this run)."""
    out = []
    for batch, limit in ((32, 2.0), (1, 4.0)):
        for fetch in ("uv", "texture+shape"):
            row = engine_row(data, "fp16", batch, fetch)
            ms = row["msPerFace"] if row else None
            out.append(target(f"engine fp16 ms/face, batch {batch}, fetch {fetch}", ms, f"<= {limit}",
                              None if ms is None else ms <= limit))
    for batch in HEADLINE_BATCHES:
        row = engine_row(data, "fp16", batch, "uv")
        for mode in ("eager-fp16-cl", "cudagraph-fp16-cl", "compile-fp16-cl"):
            ref = torch_ms(data, mode, batch)
            if mode == "compile-fp16-cl" and ref is None:
                continue
            value = row["msPerFace"] / ref if row and ref else None
            moonshot = " (moonshot)" if mode.startswith("compile") else ""
            out.append(target(f"engine fp16 / torch {mode} ms per face, batch {batch}{moonshot}", value, "< 1",
                              None if value is None else value < 1))
    for row in data.get("parity", {}).get("rows", []):
        if row["name"].startswith("onnx-"):
            out.append(target(f"parity {row['name']} vs {row['against']} (max relative error)",
                              row["maxRelativeError"], "< 1e-2", row["maxRelativeError"] < 1e-2))
    loads = [r["loadMs"] + row["warmupMs"] for r in data.get("engine", []) for row in r["rows"][:1]]
    failed = [r for r in data.get("engine", []) + data.get("variants", []) if r.get("error")]
    for r in failed:
        batches = ",".join(str(b) for b in r["batches"])
        out.append(target(f"engine {r['precision']} {r['upsample']} {r['branches']} batches {batches} ran",
                          r["error"], "exit 0", False))
    worst = max(loads) / 1000 if loads else None
    out.append(target("engine load + first run, worst configuration (s)", worst, "< 60",
                      None if worst is None else worst < 60))
    for precision in ("fp16", "fp32"):
        served = data.get(f"served-{precision}")
        if not served:
            continue
        ready = served["serverReadyMs"] / 1000
        out.append(target(f"server {precision} start to ready, warm-up included (s)", ready, "< 60", ready < 60))
        fetch = "+".join(o["output"] for o in served["outputs"])
        row = engine_row(data, precision, served["batchMaxSize"], fetch)
        ratio = served["saturationFacesPerSecond"] / row["facesPerSecond"] if row else None
        out.append(target(f"served {precision} at saturation / engine-only (batch {served['batchMaxSize']}, "
                          f"fetch {fetch})", ratio, ">= 0.8", None if ratio is None else ratio >= 0.8))
    return out


def fmt(v, digits: int = 2) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        return f"{v:.2e}" if v != 0 and abs(v) < 1e-2 else f"{v:.{digits}f}"
    return str(v)


def pct(v) -> str:
    return "-" if v is None else f"{100 * v:.0f}%"


def table(header: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(fmt(c) if not isinstance(c, str) else c for c in r) + " |" for r in rows)]


def markdown(data: dict, goals: list[dict]) -> str:
    env = data.get("env", {})
    lines = ["# bench/gpu results", "", f"Mode: {env.get('mode', '?')}; preset {env.get('preset', '?')}; "
             f"execution provider {env.get('ep', '?')}; commit {env.get('commit', '?')}; {env.get('date', '')}", ""]
    lines += [f"- {k}: {v}" for k, v in env.items() if k not in ("mode", "preset", "ep", "commit", "date")]
    lines += ["", "## Targets", "", *table(["target", "value", "limit", "met"],
                                           [[g["name"], g["value"], g["limit"], g["pass"]] for g in goals])]
    engine = [{**r, "run": "engine"} for r in data.get("engine", [])] + \
             [{**r, "run": "variants"} for r in data.get("variants", [])]
    if engine:
        lines += ["", "## Engine only: ONNX Runtime from Node (`bench/engine.ts`)", "",
                  "ms/face: median run / batch; GPU busy: nvidia-smi while timing; "
                  "first run: cuDNN's algorithm search included.", ""]
        lines += table(["phase", "precision", "up-conv", "branches", "batch", "fetch", "ms/face", "faces/s",
                        "GPU busy", "first run ms", "load s"],
                       [[r["run"], r["precision"], r["upsample"], r["branches"], row["batch"], "+".join(row["fetch"]),
                         row["msPerFace"], row["facesPerSecond"], pct(row["gpuBusyFraction"]), row["warmupMs"],
                         r["loadMs"] / 1000] for r in engine for row in r["rows"]])
    torch_data = data.get("torch")
    if torch_data:
        lines += ["", f"## PyTorch on the same weights (`bench/gpu/torch_bench.py`, {torch_data['deviceName']}, "
                  f"torch {torch_data['torch']}, {torch_data['timing']})", ""]
        lines += table(["mode", "batch", "ms/face", "faces/s", "ms/face with D2H copy", "first run ms", "max GB",
                        "error"],
                       [[r["mode"], r["batch"], r.get("msPerFace"), r.get("facesPerSecond"),
                         r.get("msPerFaceWithCopy"), r.get("firstRunMs"), r.get("maxMemoryGB"), r.get("error", "")]
                        for r in torch_data["rows"]])
        lines += [f"- skipped: {s['mode']} ({s['reason']})" for s in torch_data["skipped"]]
    parity = data.get("parity")
    if parity:
        lines += ["", f"## Parity (`bench/gpu/parity.py`, seeds {parity['seeds']}, {parity['metric']})", "",
                  f"Reference: {parity['reference']}.", ""]
        lines += table(["output", "against", "max rel. error", "texture", "shape", "normals", "RMS rel."],
                       [[r["name"], r["against"], r["maxRelativeError"], r["textureMaxRelativeError"],
                         r["shapeMaxRelativeError"], r["normalsMaxRelativeError"], r["rmsRelativeError"]]
                        for r in parity["rows"]])
    for precision in ("fp16", "fp32"):
        served = data.get(f"served-{precision}")
        if not served:
            continue
        outputs = " + ".join(f"{o['output']}:{o.get('format', 'default')}" for o in served["outputs"])
        lines += ["", f"## Served {precision} (`bench/serve.ts`): REST, {outputs} as {served['accept']}, "
                  f"batch <= {served['batchMaxSize']}, {served['batchConcurrency']} batch(es) in flight, "
                  f"{served['encodeThreads']} encode threads, ready in {served['serverReadyMs'] / 1000:.1f} s", ""]
        lines += table(["clients", "faces/s", "p50 ms", "p99 ms", "mean batch", "engine busy", "GPU busy",
                        "server cores", "client cores", "MB/s out", "loop lag ms"],
                       [[r["concurrency"], r["facesPerSecond"], r["p50Ms"], r["p99Ms"], r["meanBatchSize"],
                         pct(r["engineBusyFraction"]), pct(r["gpuBusyFraction"]), r["serverCpuCores"],
                         r["clientCpuCores"], r["responseMBPerSecond"], r["eventLoopLagMaxMs"]]
                        for r in served["served"]])
    phases = data.get("phases", [])
    if phases:
        lines += ["", "## Phases", "", *table(["phase", "status", "seconds"],
                                              [[p["phase"], p["status"], p["seconds"]] for p in phases])]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    work, out = argv
    data = load(work)
    goals = targets(data)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"targets": goals, **data}, f, indent=2)
    with open(os.path.join(out, "results.md"), "w", encoding="utf-8") as f:
        f.write(markdown(data, goals))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
