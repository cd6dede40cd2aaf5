#!/usr/bin/env bash
# Node-inference hot path: feature windows and ONNX scoring at batch sizes 1, 8, 64, 256.
# Usage: bench/run-inference.sh [--nodes 200] [--minutes 20]   (one thread; run it alone)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests -Dspotless.apply.skip=true -Dspotless.check.skip=true package
exec java -Xmx2g -Dai.djl.offline=true -cp "$(cat bench/target/bench.classpath):$(ls bench/target/vigil-bench-*.jar | head -n 1)" \
  dev.vigil.bench.InferenceBenchmark "$@"
