#!/usr/bin/env bash
# Tracing overhead: requests/s and p50/p99 of the same proxy config with tracing off, sampled at 1 %,
# and at 100 %, side by side in one run. Three wasmesh processes (one per setting) share CPU 0 with the
# upstream (nginx answering 200, which also stands in for the OTLP/HTTP collector: spans are really
# serialized and sent); wrk runs on CPU 1. Each process serves tenant f5 (5 Wasm filters: 5 request and 5
# response callbacks, i.e. 11 spans per traced request with the server and client spans) and f0 (none).
# Warm-up: WARMUP_RUNS x DURATION of wrk per process and tenant before measuring; then ROUNDS interleaved
# rounds; medians.
#
#   benchmarks/proxy/tracing-bench.sh [JAVA_HOME]     (needs wrk and nginx: apt-get install -y wrk nginx)
# Environment: ROUNDS (3), DURATION (10s), CONNECTIONS (64), WARMUP_RUNS (3), JAVA_OPTS.
bench=tracing-bench
source "$(dirname "$0")/bench-common.sh"
config() { # port admin-port -> yaml
  echo "listeners: [{name: http, address: 127.0.0.1, port: $1}]"
  echo "admin: {address: 127.0.0.1, port: $2}"
  echo "tenants:"
  tenant_yaml f0 0
  tenant_yaml f5 5
}
start() { # name port admin env...
  local name=$1 port=$2 admin=$3; shift 3
  config "$port" "$admin" > "$work/$name.yaml"
  # shellcheck disable=SC2086
  env "$@" taskset -c 0 "$java" ${JAVA_OPTS:--XX:-DontCompileHugeMethods} -jar "$jar" proxy \
    --config "$work/$name.yaml" > "$work/logs/$name.log" 2>&1 & pids+=($!)
}
otlp=(OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:18080 OTEL_METRICS_EXPORTER=none)
start off 18082 18092 OTEL_SDK_DISABLED=false
start sampled-1 18083 18093 "${otlp[@]}" OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.01
start sampled-100 18084 18094 "${otlp[@]}" OTEL_TRACES_SAMPLER=parentbased_always_on
await_up http://127.0.0.1:18080/ http://127.0.0.1:18092/ready http://127.0.0.1:18093/ready http://127.0.0.1:18094/ready
targets=(
  "off-0 http://127.0.0.1:18082/ f0.bench"
  "1pct-0 http://127.0.0.1:18083/ f0.bench"
  "100pct-0 http://127.0.0.1:18084/ f0.bench"
  "off-5 http://127.0.0.1:18082/ f5.bench"
  "1pct-5 http://127.0.0.1:18083/ f5.bench"
  "100pct-5 http://127.0.0.1:18084/ f5.bench"
)
echo "tracing-bench: warming up ($warmups x $duration per target)..."
for ((w = 1; w <= warmups; w++)); do
  for t in "${targets[@]}"; do set -- $t; run "$1" "$2" "$3" "warmup$w"; done
done
for ((r = 1; r <= rounds; r++)); do
  echo "tracing-bench: round $r of $rounds"
  for t in "${targets[@]}"; do set -- $t; run "$1" "$2" "$3" "round$r"; done
done
grep -h "Exporter failed\|Failed to export" "$work"/logs/*.log | head -3 || true
# Spans the batch processor dropped for want of queue room (none, or the 100 % figure flatters).
curl -s http://127.0.0.1:18094/metrics | grep '^processedSpans' | tee "$out/processed-spans.txt" || true
python3 "$root/benchmarks/proxy/summarize_tracing.py" "$out" "$rounds" \
  "JDK $(java_version), $conns connections, $duration per run" | tee "$out/summary.md"
echo "raw wrk output: $out"
