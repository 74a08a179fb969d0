#!/usr/bin/env bash
# AMQP benchmark: RabbitMQ PerfTest directly, through HAProxy and through the sidecar's AMQP
# proxy, interleaved over rounds; medians and spread. Writes bench/results/amqp-perftest.{md,json}.
# Usage: bench/amqp-perftest.sh [seconds per run (20)] [rounds (3)] [cases, comma-separated (all)]
# Further args go to the benchmark: --baseline DIR (an earlier build's jars), --nio-too, --jvm-variant "OPTS".
# Cases: 1x1-1kb-confirms, 1x1-1kb, 10x10-1kb-confirms, 1x1-100kb-confirms.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/run-bench.sh" ossidecar.bench.AmqpPerfBench "$here/results/amqp-perftest.md" "${1:-20}" "${2:-3}" "${3:-1x1-1kb-confirms,1x1-1kb,10x10-1kb-confirms,1x1-100kb-confirms}" "${@:4}"
