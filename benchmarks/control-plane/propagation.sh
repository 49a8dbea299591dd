#!/usr/bin/env bash
# Config propagation: API write -> every proxy applied, with N control-plane members and M proxies in one JVM.
# Usage: benchmarks/control-plane/propagation.sh [JAVA_HOME] [members] [proxies] [writes] [warmup] [runs]
# Prints each run's percentiles; docs/benchmarks.md quotes the median run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
java="${1:-$JAVA_HOME}/bin/java"; members="${2:-3}"; proxies="${3:-20}"; writes="${4:-300}"; warmup="${5:-100}"
runs="${6:-3}"
bench="$root/benchmarks/target/benchmarks.jar"
[[ -f $bench ]] || (cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -pl benchmarks -am package)
for run in $(seq 1 "$runs"); do
  echo "== run $run"
  "$java" -XX:-DontCompileHugeMethods \
    --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
    --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
    -Djava.util.logging.config.file="$root/control-plane/src/test/resources/logging.properties" \
    -Dslf4j.internal.verbosity=WARN \
    -cp "$bench" io.wasmesh.benchmarks.PropagationBench "$members" "$proxies" "$writes" "$warmup" 2>&1 \
    | grep -v '^SLF4J'
done
