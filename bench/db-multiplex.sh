#!/usr/bin/env bash
# What 1,000 mostly idle sessions cost through the DB router (multiplexing) and through HAProxy:
# proxy memory and backend connections, interleaved over rounds. Writes bench/results/db-multiplex.md.
# Usage: bench/db-multiplex.sh [sessions] [rounds]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/run-bench.sh" ossidecar.bench.DbMultiplexBench "$here/results/db-multiplex.md" "${1:-1000}" "${2:-3}"
