#!/usr/bin/env bash
# Read/write splitting: sysbench oltp_read_only and oltp_read_write at 8 threads, direct to the
# writer, through HAProxy, through the router's writer listener and its split listener,
# interleaved over rounds, with each node's CPU. Writes bench/results/db-split.md
# (db-split-<ps-mode>.md for a ps-mode other than auto).
# Usage: bench/db-split.sh [seconds-per-run] [rounds] [auto|disable]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="${3:-auto}"
out="$here/results/db-split.md"
if [ "$mode" != "auto" ]; then
  out="$here/results/db-split-$mode.md"
fi
exec "$here/run-bench.sh" ossidecar.bench.DbSplitBench "$out" "${1:-20}" "${2:-3}" "$mode"
