#!/usr/bin/env bash
# End-to-end benchmark on the real local cluster: the pass-through ceiling, the jobs and the full
# pipeline from a backlog (throughput), then live at half the sustainable rate (latency).
# Usage: bench/run-e2e.sh [--preset small|standard] [--profile] [options in bench/README.md]
# The small preset takes under five minutes. Run it alone: it starts its own broker and Flink
# cluster on free ports and needs both cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests -Dspotless.apply.skip=true -Dspotless.check.skip=true package
exec java -Xmx1g -cp "$(cat bench/target/bench.classpath):$(ls bench/target/vigil-bench-*.jar | head -n 1)" \
  dev.vigil.bench.e2e.EndToEndBenchmark "$@"
