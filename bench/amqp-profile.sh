#!/usr/bin/env bash
# Profiles the AMQP proxy with Java Flight Recorder under PerfTest (one case, through the proxy
# and, for comparison in the same run, directly and through HAProxy) and writes the top frames
# and allocation sites to bench/results/amqp-profile.md (the benchmark's own table goes to
# bench/target/, not over the recorded results). The recording stays in bench/target/.
# Usage: bench/amqp-profile.sh [case (1x1-1kb-confirms)] [seconds (30)]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$here/target/profile"
cp_results="$here/target/profile/amqp-perftest.md"
"$here/run-bench.sh" ossidecar.bench.AmqpPerfBench "$cp_results" "${2:-30}" 1 "${1:-1x1-1kb-confirms}" \
  --jfr "$here/target/profile/amqp-proxy.jfr"
cp "$here/target/profile/amqp-profile.md" "$here/results/amqp-profile.md"
