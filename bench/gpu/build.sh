#!/usr/bin/env bash
# `npm run build:bench`: the TypeScript of src/ and bench/ compiled to dist-bench/ (plus proto/, which the
# gRPC server reads beside the code), for machines whose node_modules has no tsx (production installs,
# such as a GPU machine that gets node and node_modules brought to it). dist-bench/SOURCES.sha256 fingerprints the
# sources it was built from; bench/gpu/run.sh refuses a dist-bench/ built from other sources.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rm -rf dist-bench
npx tsc -p tsconfig.bench.json
cp -r proto dist-bench/proto
bash bench/gpu/sources-hash.sh > dist-bench/SOURCES.sha256
# the commit, for the results of a machine the repository reaches without .git (uncommitted changes marked)
echo "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo +changes)" \
  > dist-bench/COMMIT
echo "built dist-bench/ ($(du -sh dist-bench | cut -f1)) from sources $(cut -c1-12 dist-bench/SOURCES.sha256)"
