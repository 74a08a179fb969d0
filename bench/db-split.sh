#!/usr/bin/env bash
# Read/write splitting: sysbench oltp_read_only and oltp_read_write at 8 threads, direct to the
# writer, through HAProxy, through the router's writer listener and its split listener,
# interleaved over rounds, with each node's CPU. Writes bench/results/db-split.md.
# Usage: bench/db-split.sh [seconds-per-run] [rounds]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/run-bench.sh" ossidecar.bench.DbSplitBench "$here/results/db-split.md" "${1:-20}" "${2:-3}"
