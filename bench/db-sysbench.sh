#!/usr/bin/env bash
# DB benchmark: sysbench directly to the Galera writer, through HAProxy and through the sidecar's
# DB router, interleaved over rounds; medians and spread, router CPU per 1,000 queries and RSS.
# Writes bench/results/db-sysbench.{md,json}.
# Usage: bench/db-sysbench.sh [seconds per run (20)] [rounds (3)] [threads (1,8,32)]
#        [tests (oltp_point_select,oltp_read_only,oltp_read_write)] [--baseline DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/run-bench.sh" ossidecar.bench.DbSysbenchBench "$here/results/db-sysbench.md" "${1:-20}" "${2:-3}" \
  "${3:-1,8,32}" "${4:-oltp_point_select,oltp_read_only,oltp_read_write}" "${@:5}"
