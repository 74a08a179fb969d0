#!/usr/bin/env bash
# DB benchmark: sysbench oltp_point_select, oltp_read_only, oltp_read_write directly to the
# writer, through HAProxy and through the sidecar's DB router, in one run.
# Writes bench/results/db-sysbench.md. Usage: bench/db-sysbench.sh [seconds-per-test]
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
exec java -cp "$here/target/classes:$cp" ossidecar.bench.DbSysbenchBench "$here/results/db-sysbench.md" "${1:-20}"
