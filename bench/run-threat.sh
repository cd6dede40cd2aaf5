#!/usr/bin/env bash
# Threat-detection benchmark on the real local cluster (free ports, temporary directory).
# Usage: bench/run-threat.sh [--nodes 200] [--minutes 20] [--live-seconds 120] [--repeats 3]
#        [--sets 0,15,100,1000,1000-rare]   (each figure is the median of the repeats)
# Run it alone: it starts its own broker and Flink cluster and needs both cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests -Dspotless.apply.skip=true -Dspotless.check.skip=true package
exec java -Xmx1g -cp "$(cat bench/target/bench.classpath):$(ls bench/target/vigil-bench-*.jar | head -n 1)" \
  dev.vigil.bench.ThreatBenchmark "$@"
