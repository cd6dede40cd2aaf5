#!/usr/bin/env bash
# JMH microbenchmarks of the per-event hot paths (decoding + validation, feature windows, energy
# integration, audit hash chaining). Arguments go to JMH, e.g. bench/run-jmh.sh -f 1 -wi 2 -i 3
# (one thread; run it alone).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests -Dspotless.apply.skip=true -Dspotless.check.skip=true package
exec java -Xmx1g -cp "$(cat bench/target/bench.classpath):$(ls bench/target/vigil-bench-*.jar | head -n 1)" \
  org.openjdk.jmh.Main "$@"
