#!/usr/bin/env bash
# Data-plane benchmark: requests/s and p50/p99 latency at 64 connections, side by side in one run, for
#   direct      wrk -> upstream (nginx answering 200 "hello")
#   nginx       wrk -> nginx keep-alive reverse proxy -> upstream
#   wasmesh-0   wrk -> wasmesh, no filter -> upstream
#   wasmesh-1   wrk -> wasmesh, 1 Wasm filter (add_header, C) -> upstream
#   wasmesh-5   wrk -> wasmesh, 5 Wasm filters -> upstream
# Servers share CPU 0, wrk runs on CPU 1 (taskset), as in ../shared/research/anchors-measured-here.md.
# Warm-up: wasmesh gets 3 x 10 s of wrk per configuration before measuring (the JIT needs ~30 s on one core).
# Then ROUNDS interleaved rounds of DURATION each; the table gives medians and ratios. Then ROUNDS paced rounds,
# each target offered about PACED_RPS requests/s (wrk's delay hook, paced.lua): latency below saturation, where
# the p99 a proxy adds is its own and not the queue of a saturated core.
#
#   benchmarks/proxy/proxy-bench.sh [JAVA_HOME]      (needs wrk and nginx: apt-get install -y wrk nginx)
# Environment: ROUNDS (3), DURATION (10s), CONNECTIONS (64), WARMUP_RUNS (3), PACED_RPS (10000), JAVA_OPTS,
# WASMESH_ARGS (extra `wasmesh proxy` flags, e.g. --wasm-idle-spin-us 0).
bench=proxy-bench
source "$(dirname "$0")/bench-common.sh"
{
  echo "listeners: [{name: http, address: 127.0.0.1, port: 18082}]"
  echo "admin: {address: 127.0.0.1, port: 18090}"
  echo "tenants:"
  for t in 0 1 5; do tenant_yaml "f$t" "$t"; done
} > "$work/wasmesh.yaml"

start_nginx_proxy
# shellcheck disable=SC2086
taskset -c 0 "$java" ${JAVA_OPTS:--XX:-DontCompileHugeMethods} -jar "$jar" proxy --config "$work/wasmesh.yaml" ${WASMESH_ARGS:-} > "$work/logs/wasmesh.log" 2>&1 & pids+=($!)
await_up http://127.0.0.1:18080/ http://127.0.0.1:18081/ http://127.0.0.1:18090/ready
targets=(
  "direct http://127.0.0.1:18080/ localhost"
  "nginx http://127.0.0.1:18081/ localhost"
  "wasmesh-0 http://127.0.0.1:18082/ f0.bench"
  "wasmesh-1 http://127.0.0.1:18082/ f1.bench"
  "wasmesh-5 http://127.0.0.1:18082/ f5.bench"
)
measure 2
curl -s http://127.0.0.1:18090/metrics > "$out/wasmesh-metrics.txt"
python3 "$root/benchmarks/proxy/summarize.py" "$out" "$rounds" "JDK $(java_version), $conns connections, $duration per run" | tee "$out/summary.md"
echo "raw wrk output: $out"
