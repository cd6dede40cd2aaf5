#!/usr/bin/env bash
# Carbon hot path: node ledgers (exact, sorted at the watermark) against naive double trapezoids.
# Usage: bench/run-carbon.sh [--nodes 200] [--minutes 20]   (one thread; run it alone)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests -Dspotless.apply.skip=true -Dspotless.check.skip=true package
exec java -Xmx2g -cp "$(cat bench/target/bench.classpath):$(ls bench/target/vigil-bench-*.jar | head -n 1)" \
  dev.vigil.bench.CarbonBenchmark "$@"
