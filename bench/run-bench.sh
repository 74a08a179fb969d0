#!/usr/bin/env bash
# Shared by the bench scripts: installs what is missing, builds the project and the bench
# module, then runs one bench main class. Usage: bench/run-bench.sh MAIN_CLASS ARGS...
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
exec java -cp "$here/target/classes:$cp" "$@"
