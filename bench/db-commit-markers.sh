#!/usr/bin/env bash
# What the DB router's commit markers cost: sysbench through a router with markers and one
# without, interleaved over rounds. oltp_read_write (transactions: one marker INSERT before each
# COMMIT) by default; oltp_insert measures autocommit writes (each wrapped in BEGIN ... COMMIT).
# Writes bench/results/db-commit-markers.md (or db-commit-markers-<test>.md for another test).
# Usage: bench/db-commit-markers.sh [seconds-per-run] [rounds] [sysbench-test]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
test="${3:-oltp_read_write}"
out="$here/results/db-commit-markers.md"
if [ "$test" != "oltp_read_write" ]; then
  out="$here/results/db-commit-markers-$test.md"
fi
exec "$here/run-bench.sh" ossidecar.bench.DbCommitMarkerBench "$out" "${1:-20}" "${2:-5}" "$test"
