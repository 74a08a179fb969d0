#!/usr/bin/env bash
# AMQP throughput benchmark: PerfTest directly, through HAProxy and through the sidecar's
# AMQP proxy, in one run. Writes bench/results/amqp-perftest.md. Usage: bench/amqp-perftest.sh [seconds]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/install-bench-deps.sh"
(cd "$root" && mvn -B -q -ntp install -DskipTests)
mkdir -p "$here/target"
(cd "$here" && mvn -B -q -ntp dependency:build-classpath -Dmdep.outputFile="$here/target/classpath.txt")
# read from a file: stdout may carry terminal escape codes that would corrupt the first entry
cp="$(cat "$here/target/classpath.txt")"
(cd "$here" && mvn -B -q -ntp compile)
exec java -cp "$here/target/classes:$cp" ossidecar.bench.AmqpPerfBench "$here/results/amqp-perftest.md" "${1:-30}"
