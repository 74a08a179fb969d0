#!/usr/bin/env bash
# What the DB router's commit markers cost: sysbench oltp_read_write through a router with
# markers and one without, interleaved over rounds. Writes bench/results/db-commit-markers.md.
# Usage: bench/db-commit-markers.sh [seconds-per-run] [rounds]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/run-bench.sh" ossidecar.bench.DbCommitMarkerBench "$here/results/db-commit-markers.md" "${1:-20}" "${2:-5}"
