#!/usr/bin/env bash
# One sha256 over the TypeScript sources dist-bench/ is compiled from (run from the repository root).
set -euo pipefail
find src bench test -name '*.ts' -not -name '*.test.ts' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum |
  sha256sum | cut -d' ' -f1
