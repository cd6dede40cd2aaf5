#!/usr/bin/env bash
# Audit hot paths: chain appends vs SHA-256 floor, tree-head signing, verification.
# Usage: bench/run-audit.sh [--entries 200000] [--payload 500]   (one thread; run it alone)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests -Dspotless.apply.skip=true -Dspotless.check.skip=true package
exec java -Xmx2g -cp "$(cat bench/target/bench.classpath):$(ls bench/target/vigil-bench-*.jar | head -n 1)" \
  dev.vigil.bench.AuditBenchmark "$@"
