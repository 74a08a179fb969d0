#!/usr/bin/env bash
# AMQP throughput benchmark: PerfTest directly, through HAProxy and through the sidecar's
# AMQP proxy, in one run. Writes bench/results/amqp-perftest.md. Usage: bench/amqp-perftest.sh [seconds]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/install-bench-deps.sh"
(cd "$root" && mvn -B -q -ntp install -DskipTests)
cp="$(cd "$here" && mvn -B -q -ntp dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
(cd "$here" && mvn -B -q -ntp compile)
exec java -cp "$here/target/classes:$cp" ossidecar.bench.AmqpPerfBench "$here/results/amqp-perftest.md" "${1:-30}"
