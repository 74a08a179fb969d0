#!/usr/bin/env bash
# AMQP throughput benchmark: PerfTest directly, through HAProxy and through the sidecar's
# AMQP proxy, in one run. Writes bench/results/amqp-perftest.md. Usage: bench/amqp-perftest.sh [seconds]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/run-bench.sh" ossidecar.bench.AmqpPerfBench "$here/results/amqp-perftest.md" "${1:-30}"
