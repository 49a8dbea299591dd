#!/usr/bin/env bash
# Wasm services through the proxy, side by side in one run (wrk, 64 connections, medians):
#   java-hello   a plain Vert.x Java handler answering what the hello service answers (no proxy)
#   wagi-hello   wasmesh -> the hello WAGI service (C): a fresh Wasm instance per request
#   pw-echo      wasmesh -> the echo proxy-wasm service (C): pooled VMs kept between requests
#   java-via-proxy  wasmesh -> java-hello as an upstream: the Java service behind its sidecar, as a
#                mesh reaches it (what a Wasm service in the proxy replaces)
#   proxy-answer wasmesh answering the same text from its config (a direct response, no Wasm): the most any
#                service reached through the proxy can do
# and the noisy-neighbour figure: the quiet tenant's wagi-hello latency while another tenant floods
# a runaway service (a second wrk, 8 connections, on a service that spins to its 50 ms deadline); the
# noisy tenant has a Wasm time budget of NOISY_CPU_PER_SECOND (default 100ms per second; 0s = none).
# The noisy-neighbour figure is taken twice: at saturation (the quiet tenant's 64 connections as fast as they go,
# where its p99 is the queue of a shared core) and paced (the quiet tenant offered about PACED_RPS requests/s,
# ../proxy/paced.lua, the load a tenant's latency budget is set for).
# Servers share CPU 0, wrk runs on CPU 1. Warm-up: 3 x DURATION on each target first, and one flood.
#
#   benchmarks/services/services-bench.sh [JAVA_HOME]     (needs wrk: apt-get install -y wrk)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
java_home="${1:-${JAVA_HOME:-}}"
java="${java_home:+$java_home/bin/}java"
rounds="${ROUNDS:-3}"; duration="${DURATION:-10s}"; conns="${CONNECTIONS:-64}"; warmups="${WARMUP_RUNS:-3}"
paced_rps="${PACED_RPS:-5000}"
command -v wrk >/dev/null || { echo "services-bench: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
jar="$root/launcher/target/wasmesh.jar"; bench="$root/benchmarks/target/benchmarks.jar"
[[ -f $jar && -f $bench ]] || (cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true package)

work="$(mktemp -d /tmp/wasmesh-services-bench.XXXXXX)"
out="$root/benchmarks/target/services-bench-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

cat > "$work/wasmesh.yaml" <<YAML
listeners: [{name: http, address: 127.0.0.1, port: 18182}]
admin: {address: 127.0.0.1, port: 18190}
tenants:
  - name: quiet
    domains: [quiet.bench]
    services:
      - {name: hello, module: "$root/services/hello/hello.wasm"}
      - {name: echo, module: "$root/services/echo/echo.wasm"}
    routes:
      - {match: {prefix: /hello}, service: hello}
      - {match: {prefix: /echo}, service: echo}
  - name: answer
    domains: [answer.bench]
    routes: [{directResponse: {status: 200, body: "Hello, ada!\\nmethod=GET path=/hello host=answer.bench\\n"}}]
  - name: javaup
    domains: [javaup.bench]
    clusters: [{name: java, endpoints: ["127.0.0.1:18185"]}]
    routes: [{cluster: java}]
  - name: noisy
    domains: [noisy.bench]
    limits: {cpuPerSecond: ${NOISY_CPU_PER_SECOND:-100ms}}
    services: [{name: spin, module: "$root/wasm-host/src/test/resources/wasm/wagi_probe.wasm", timeout: 50ms}]
    routes: [{service: spin}]
YAML
taskset -c 0 "$java" ${JAVA_OPTS:--XX:-DontCompileHugeMethods} -cp "$bench" io.wasmesh.benchmarks.JavaHelloServer 18185 > "$work/java.log" 2>&1 & pids+=($!)
taskset -c 0 "$java" ${JAVA_OPTS:--XX:-DontCompileHugeMethods -XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19} -jar "$jar" proxy --config "$work/wasmesh.yaml" > "$work/wasmesh.log" 2>&1 & pids+=($!)
for url in http://127.0.0.1:18185/hello http://127.0.0.1:18190/ready; do
  for _ in $(seq 150); do curl -sf -o /dev/null "$url" && break; sleep 0.2; done
done
curl -sf -o /dev/null http://127.0.0.1:18190/ready || { cat "$work/wasmesh.log"; exit 1; }

run() { # name url host suffix
  taskset -c 1 wrk -t1 -c"$conns" -d"$duration" --latency -H "Host: $3" "$2" ${5:+-s "$root/benchmarks/proxy/paced.lua"} \
    ${5:+-- "$5" "$conns"} > "$out/$1.$4.txt"
}
# flood TAG: the noisy tenant's flood of its runaway service, in the background (pid in $flood).
flood() {
  taskset -c 1 wrk -t1 -c8 -d"$duration" -H "Host: noisy.bench" "http://127.0.0.1:18182/?loop" > "$out/noisy-flood.$1.txt" &
  flood=$!
}
targets=(
  "java-hello http://127.0.0.1:18185/hello?name=ada localhost"
  "wagi-hello http://127.0.0.1:18182/hello?name=ada quiet.bench"
  "pw-echo http://127.0.0.1:18182/echo quiet.bench"
  "java-via-proxy http://127.0.0.1:18182/hello?name=ada javaup.bench"
  "proxy-answer http://127.0.0.1:18182/hello?name=ada answer.bench"
)
echo "services-bench: warming up ($warmups x $duration per target)..."
for ((w = 1; w <= warmups; w++)); do for t in "${targets[@]}"; do set -- $t; run "$1" "$2" "$3" "warmup$w"; done; done
# The noisy tenant's path is warmed too: the JIT compiling it the first time costs the quiet tenant up to ~300 ms
# of p99 on a shared core, once per process (noted in docs/benchmarks.md), not per flood.
flood warmup; wait "$flood" || true
for ((r = 1; r <= rounds; r++)); do
  echo "services-bench: round $r of $rounds"
  for t in "${targets[@]}"; do set -- $t; run "$1" "$2" "$3" "round$r"; done
  # The noisy neighbour: flood the other tenant's runaway service while measuring the quiet one.
  flood "round$r"
  run wagi-hello-noisy "http://127.0.0.1:18182/hello?name=ada" quiet.bench "round$r"
  wait "$flood" || true
  # The same, paced: the quiet tenant alone, then during the flood.
  run wagi-hello-paced "http://127.0.0.1:18182/hello?name=ada" quiet.bench "round$r" "$paced_rps"
  flood "paced$r"
  run wagi-hello-paced-noisy "http://127.0.0.1:18182/hello?name=ada" quiet.bench "round$r" "$paced_rps"
  wait "$flood" || true
done
curl -s http://127.0.0.1:18190/metrics > "$out/wasmesh-metrics.txt"
python3 "$root/benchmarks/services/summarize.py" "$out" "$rounds" | tee "$out/summary.md"
echo "raw wrk output: $out"
