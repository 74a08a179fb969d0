#!/usr/bin/env bash
# DB benchmark: sysbench oltp_point_select, oltp_read_only, oltp_read_write directly to the
# writer, through HAProxy and through the sidecar's DB router, in one run.
# Writes bench/results/db-sysbench.md. Usage: bench/db-sysbench.sh [seconds-per-test]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/run-bench.sh" ossidecar.bench.DbSysbenchBench "$here/results/db-sysbench.md" "${1:-20}"
