#!/usr/bin/env bash
# Micro-benchmarks (JMH) of the AMQP method codec, MySQL packet framing and the statement
# classifier: ns and bytes allocated per operation. Writes bench/results/jmh-codecs.{txt,json}.
# Usage: bench/jmh.sh [JMH options, e.g. -f 2 -i 10]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
(cd "$root" && mvn -B -q -ntp install -DskipTests)
mkdir -p "$here/target"
(cd "$here" && mvn -B -q -ntp dependency:build-classpath -Dmdep.outputFile="$here/target/classpath.txt")
cp="$(cat "$here/target/classpath.txt")"
(cd "$here" && mvn -B -q -ntp compile)
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), commit $(cd "$root" && git describe --always --dirty)"
  java -cp "$here/target/classes:$cp" org.openjdk.jmh.Main 'ossidecar.bench.jmh.CodecBench' -prof gc \
    -rf json -rff "$here/results/jmh-codecs.json" "$@" 2>&1 | grep -v '^WARNING'
} | tee "$here/target/jmh-codecs.log"
# the summary table: score (ns/op) and gc.alloc.rate.norm (bytes/op) per benchmark
{
  head -1 "$here/target/jmh-codecs.log"
  echo
  sed -n '/^Benchmark /,$p' "$here/target/jmh-codecs.log" | grep -E '^Benchmark +Mode|^CodecBench\.[A-Za-z]+ |alloc\.rate\.norm'
} > "$here/results/jmh-codecs.txt"
