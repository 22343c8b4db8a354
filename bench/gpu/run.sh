#!/usr/bin/env bash
# bench/gpu/run.sh: every number of the GPU issue in one run (read bench/gpu/README.md first).
#
#   bash bench/gpu/run.sh [--dry-run] [--compile] [--variants] [--phases LIST] [--compiled] [OUT_DIR]
#
# On a machine with CUDA, PyTorch and Node (the repository's production node_modules, dist-bench/
# built by `npm run build:bench`): creates (or reuses) a random-weight tbgan-512 package under
# bench/.models/, then runs the phases in this order, writing OUT_DIR/results.json, results.md and
# run.log after each, so a run cut short still leaves what it measured:
#   engine       ONNX Runtime from Node (bench/engine.ts), CUDA EP, fp32 and fp16, batches 1 8 32 64,
#                fetching the raw uv and texture+shape; load and first-run times; GPU-busy fraction
#   torch        PyTorch on the same weights (torch_bench.py): eager fp32, eager fp16 NCHW and
#                channels-last, CUDA graphs; torch.compile max-autotune with --compile (minutes)
#   parity       the ONNX graph's raw output (fp32, fp16, CUDA EP) against PyTorch fp32 (parity.py)
#   served-fp16  the real server (TBGAN_EP=cuda) under REST clients asking for a PNG texture and the
#   served-fp32  shape (zip), at increasing concurrency: faces/s, latency, GPU-busy fraction
#   variants     (--variants) every up-conv form x branch layout, fp16, batch 32, engine only
# --dry-run: the same on the CPU with tbgan-tiny, tiny batches and a few iterations (CI runs it).
# --phases engine,torch,...: only those. --compiled: run dist-bench/ even where tsx is installed.
# Settings come from BENCH_* variables (defaults below, per mode): BENCH_PRESET, BENCH_EP,
# BENCH_BATCHES, BENCH_MIN_SECONDS, BENCH_SERVE_SECONDS, BENCH_CONCURRENCY, BENCH_SERVE_BATCH,
# BENCH_SERVE_BATCH_CONCURRENCY, BENCH_TORCH_DEVICE, BENCH_TORCH_ITERS, BENCH_PARITY_COUNT,
# BENCH_ENGINE_PROCESS_PER (batch: a process per batch size; config: per precision); PYTHON.
# (Not TBGAN_*: the server refuses TBGAN_ names it does not know.)
set -euo pipefail
CALLER=$PWD
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

DRY=0 COMPILE=0 VARIANTS=0 COMPILED=0 PHASES="" OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY=1 ;;
    --compile) COMPILE=1 ;;
    --variants) VARIANTS=1 ;;
    --compiled) COMPILED=1 ;;
    --phases) PHASES=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) OUT=$1 ;;
  esac
  shift
done
case "$OUT" in "") OUT=$ROOT/bench/gpu/out ;; /*) ;; *) OUT=$CALLER/$OUT ;; esac
mkdir -p "$OUT"
if [ -z "$PHASES" ]; then
  PHASES=engine,torch,parity,served-fp16,served-fp32
  if [ $VARIANTS = 1 ]; then PHASES="$PHASES,variants"; fi
fi
for p in ${PHASES//,/ }; do
  case "$p" in engine|torch|parity|served-fp16|served-fp32|variants) ;; *) echo "unknown phase $p" >&2; exit 2 ;; esac
done

if [ $DRY = 1 ]; then
  : "${BENCH_PRESET:=tbgan-tiny}" "${BENCH_EP:=cpu}" "${BENCH_BATCHES:=1,2}" "${BENCH_MIN_SECONDS:=0.1}"
  : "${BENCH_SERVE_SECONDS:=0.5}" "${BENCH_CONCURRENCY:=1,2}" "${BENCH_SERVE_BATCH:=2}"
  : "${BENCH_SERVE_BATCH_CONCURRENCY:=1}"
  : "${BENCH_TORCH_DEVICE:=cpu}" "${BENCH_TORCH_ITERS:=2}" "${BENCH_PARITY_COUNT:=2}"
  : "${BENCH_ENGINE_PROCESS_PER:=batch}"
else
  : "${BENCH_PRESET:=tbgan-512}" "${BENCH_EP:=cuda}" "${BENCH_BATCHES:=1,8,32,64}" "${BENCH_MIN_SECONDS:=2}"
  : "${BENCH_SERVE_SECONDS:=6}" "${BENCH_CONCURRENCY:=1,8,32,64,128}" "${BENCH_SERVE_BATCH:=32}"
  : "${BENCH_SERVE_BATCH_CONCURRENCY:=2}"
  : "${BENCH_TORCH_DEVICE:=cuda}" "${BENCH_TORCH_ITERS:=10}" "${BENCH_PARITY_COUNT:=4}"
  : "${BENCH_ENGINE_PROCESS_PER:=config}"
fi

export BENCH_PRESET BENCH_EP BENCH_BATCHES BENCH_MIN_SECONDS BENCH_SERVE_SECONDS BENCH_CONCURRENCY BENCH_SERVE_BATCH \
  BENCH_SERVE_BATCH_CONCURRENCY BENCH_TORCH_DEVICE BENCH_TORCH_ITERS BENCH_PARITY_COUNT BENCH_ENGINE_PROCESS_PER

die() { echo "bench/gpu/run.sh: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is not on PATH"

# Node: the TypeScript sources under tsx where it is installed, else dist-bench/ (checked against the sources).
if [ $COMPILED = 0 ] && [ -e node_modules/tsx ]; then
  NODE=(node --import tsx) JS=. EXT=ts
else
  [ -f dist-bench/SOURCES.sha256 ] ||
    die "no tsx and no dist-bench/: run 'npm run build:bench' before copying the repository"
  [ "$(cat dist-bench/SOURCES.sha256)" = "$(bash bench/gpu/sources-hash.sh)" ] ||
    die "dist-bench/ was built from other sources: run 'npm run build:bench' again"
  NODE=(node) JS=dist-bench EXT=js
fi
PY=""
for p in ${PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import torch, numpy' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || die "no Python with torch and numpy (set PYTHON)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-gpu.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
LOG="$OUT/run.log"
: > "$LOG"
rm -f "$OUT/results.json" "$OUT/results.md"
MODELS=bench/.models
PKG="$MODELS/$BENCH_PRESET"
PHASE_ROWS=()

report() {
  local IFS=,
  echo "[${PHASE_ROWS[*]}]" > "$WORK/phases.json"
  "$PY" bench/gpu/report.py "$WORK" "$OUT" >> "$LOG" 2>&1 || echo "report failed (see run.log)"
}

LIMIT=()
if command -v timeout >/dev/null; then LIMIT=(timeout --kill-after=10); fi

# phase NAME SECONDS STDOUT_FILE|- COMMAND...: runs COMMAND under a time limit (its stdout into the file,
# kept only if it succeeds; else into the log, with its stderr), records its status, rewrites the report.
phase() {
  local name=$1 limit=$2 file=$3 start=$SECONDS status=ok
  shift 3
  case ",$PHASES," in *",$name,"*) ;; *) return 0 ;; esac
  echo "== $name (limit ${limit}s)" | tee -a "$LOG"
  echo "\$ $*" >> "$LOG"
  if [ "$file" = - ]; then
    "${LIMIT[@]}" ${LIMIT:+"$limit"} "$@" >> "$LOG" 2>&1 || status="failed (exit $?)"
  elif "${LIMIT[@]}" ${LIMIT:+"$limit"} "$@" > "$file.tmp" 2>> "$LOG"; then
    mv "$file.tmp" "$file"
  else
    status="failed (exit $?)"
  fi
  echo "== $name: $status in $((SECONDS - start)) s" | tee -a "$LOG"
  PHASE_ROWS+=("{\"phase\":\"$name\",\"status\":\"$status\",\"seconds\":$((SECONDS - start))}")
  report
}

"$PY" - "$WORK/env.json" <<EOF
import json, os, platform, subprocess, sys, datetime
def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return ""
import torch
env = {
    "mode": "dry-run (CPU)" if "$DRY" == "1" else "gpu", "preset": "$BENCH_PRESET", "ep": "$BENCH_EP",
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "commit": run("git", "-C", "$ROOT", "rev-parse", "--short", "HEAD")
              or (open("dist-bench/COMMIT").read().strip() if os.path.exists("dist-bench/COMMIT") else "unknown"),
    "gpu": run("nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader") or "none",
    "cpu": f"{os.cpu_count()} x " + next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                                           if line.startswith("model name")), platform.machine()),
    "node": run("node", "--version"),
    "onnxruntimeNode": json.load(open("node_modules/onnxruntime-node/package.json"))["version"],
    "python": platform.python_version(), "torch": torch.__version__, "torchCuda": torch.version.cuda,
    "nodeCode": "$JS ($EXT)",
    "settings": {k: v for k, v in os.environ.items() if k.startswith("BENCH_")},
}
json.dump(env, open(sys.argv[1], "w"), indent=2)
EOF

if [ ! -f "$PKG/model.json" ]; then
  echo "== creating $PKG (random weights)" | tee -a "$LOG"
  "${NODE[@]}" "$JS/src/cli/model.$EXT" init --preset "$BENCH_PRESET" --seed 1 --name "$BENCH_PRESET-bench" \
    --out "$PKG" >> "$LOG" 2>&1
fi

# ONNX Runtime warnings into run.log: nodes the CUDA provider did not take, Memcpy nodes inserted
ENGINE=("${NODE[@]}" "$JS/bench/engine.$EXT" --preset "$BENCH_PRESET" --models-dir "$MODELS" --ep "$BENCH_EP"
  --min-seconds "$BENCH_MIN_SECONDS" --ort-log-level 2 --json)
# one process per precision (each loads the model once), or per batch size where its peak memory matters
phase engine 420 "$WORK/engine.json" "${ENGINE[@]}" --precision fp16,fp32 --batches "$BENCH_BATCHES" \
  --upsample phase --branches grouped --fetch uv --fetch texture,shape --process-per "$BENCH_ENGINE_PROCESS_PER"
phase torch "$([ $COMPILE = 1 ] && echo 1500 || echo 300)" - "$PY" bench/gpu/torch_bench.py --package "$PKG" \
  --device "$BENCH_TORCH_DEVICE" --batches "$BENCH_BATCHES" --iters "$BENCH_TORCH_ITERS" \
  $([ $COMPILE = 1 ] && echo --compile) --json "$WORK/torch.json"
phase parity 300 - "$PY" bench/gpu/parity.py --package "$PKG" --node "${NODE[*]} $JS/src/cli/model.$EXT" \
  --ep "$BENCH_EP" --device "$BENCH_TORCH_DEVICE" --count "$BENCH_PARITY_COUNT" --json "$WORK/parity.json"
for precision in fp16 fp32; do
  phase "served-$precision" 300 "$WORK/served-$precision.json" "${NODE[@]}" "$JS/bench/serve.$EXT" \
    --model "$PKG" --ep "$BENCH_EP" --precision "$precision" --outputs texture:png,shape:npy --accept zip \
    --batch-max-size "$BENCH_SERVE_BATCH" --batch-concurrency "$BENCH_SERVE_BATCH_CONCURRENCY" \
    --concurrency "$BENCH_CONCURRENCY" --seconds "$BENCH_SERVE_SECONDS" --skip-back-to-back --json
done
phase variants 600 "$WORK/variants.json" "${ENGINE[@]}" --precision fp16 --batches 32 \
  --upsample phase,conv-transpose,resize-conv --branches grouped,split --fetch uv

report
# keep the log small enough to bring back: its head and its tail
if [ "$(stat -c %s "$LOG")" -gt 8000000 ]; then
  { head -c 1000000 "$LOG"; printf '\n[... cut ...]\n'; tail -c 6000000 "$LOG"; } > "$WORK/log" && mv "$WORK/log" "$LOG"
fi
echo
cat "$OUT/results.md" 2>/dev/null || echo "no results.md (see $LOG)"
echo "results: $OUT/results.json, $OUT/results.md, $OUT/run.log"
