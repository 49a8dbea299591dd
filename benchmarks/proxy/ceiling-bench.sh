#!/usr/bin/env bash
# How far the data plane's stack can go, side by side in one run (wrk, 64 connections, medians):
#   direct          wrk -> upstream (nginx answering 200 "hello")
#   nginx           wrk -> nginx keep-alive reverse proxy -> upstream
#   netty-epoll     wrk -> BareNettyProxy (Netty's HTTP codec and nothing else, epoll) -> upstream
#   netty-io_uring  the same on io_uring
#   wasmesh-epoll   wrk -> wasmesh, no filter (the default transport) -> upstream
#   wasmesh-io_uring  wrk -> wasmesh --transport io_uring, no filter -> upstream
# Servers share CPU 0, wrk runs on CPU 1, as in proxy-bench.sh. Warm-up: WARMUP_RUNS x DURATION of wrk on each
# Java target before measuring; then ROUNDS interleaved rounds, then ROUNDS paced rounds (each target offered
# about PACED_RPS requests/s: the p99 a proxy adds below saturation).
#
#   benchmarks/proxy/ceiling-bench.sh [JAVA_HOME]      (needs wrk and nginx: apt-get install -y wrk nginx)
bench=ceiling-bench
source "$(dirname "$0")/bench-common.sh"
benchjar="$root/benchmarks/target/benchmarks.jar"
[[ -f $benchjar ]] || (cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -pl benchmarks -am package)
for t in epoll io_uring; do
  port=$([[ $t == epoll ]] && echo 18082 || echo 18083)
  {
    echo "listeners: [{name: http, address: 127.0.0.1, port: $port}]"
    echo "admin: {address: 127.0.0.1, port: $((port + 10))}"
    echo "tenants:"
    tenant_yaml f0 0
  } > "$work/wasmesh-$t.yaml"
done
jvm=(${JAVA_OPTS:--XX:-DontCompileHugeMethods})
start_nginx_proxy
taskset -c 0 "$java" "${jvm[@]}" -cp "$benchjar" io.wasmesh.benchmarks.BareNettyProxy 18084 18080 epoll \
  > "$work/logs/netty-epoll.log" 2>&1 & pids+=($!)
taskset -c 0 "$java" "${jvm[@]}" -cp "$benchjar" io.wasmesh.benchmarks.BareNettyProxy 18085 18080 io_uring \
  > "$work/logs/netty-io_uring.log" 2>&1 & pids+=($!)
taskset -c 0 "$java" "${jvm[@]}" -jar "$jar" proxy --config "$work/wasmesh-epoll.yaml" \
  > "$work/logs/wasmesh-epoll.log" 2>&1 & pids+=($!)
taskset -c 0 "$java" "${jvm[@]}" -jar "$jar" proxy --config "$work/wasmesh-io_uring.yaml" --transport io_uring \
  > "$work/logs/wasmesh-io_uring.log" 2>&1 & pids+=($!)
await_up http://127.0.0.1:18080/ http://127.0.0.1:18081/ http://127.0.0.1:18084/ http://127.0.0.1:18085/ \
  http://127.0.0.1:18092/ready http://127.0.0.1:18093/ready
targets=(
  "direct http://127.0.0.1:18080/ localhost"
  "nginx http://127.0.0.1:18081/ localhost"
  "netty-epoll http://127.0.0.1:18084/ localhost"
  "netty-io_uring http://127.0.0.1:18085/ localhost"
  "wasmesh-epoll http://127.0.0.1:18082/ f0.bench"
  "wasmesh-io_uring http://127.0.0.1:18083/ f0.bench"
)
measure 2
names=$(for t in "${targets[@]}"; do set -- $t; printf '%s,' "$1"; done)
python3 "$root/benchmarks/proxy/summarize.py" "$out" "$rounds" "JDK $(java_version), $conns connections, $duration per run" \
  "${names%,}" | tee "$out/summary.md"
echo "raw wrk output: $out"
