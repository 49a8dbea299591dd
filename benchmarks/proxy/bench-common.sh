# Shared by proxy-bench.sh and tracing-bench.sh (sourced, not run): settings, tools, the launcher jar, a work
# folder whose servers are stopped on exit, the nginx upstream on 127.0.0.1:18080 (CPU 0), and wrk runs (CPU 1).
# Before sourcing, set `bench` to the script's name. Environment: ROUNDS (3), DURATION (10s), CONNECTIONS (64),
# WARMUP_RUNS (3), PACED_RPS (10000), JAVA_OPTS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
java_home="${1:-${JAVA_HOME:-}}"
java="${java_home:+$java_home/bin/}java"
rounds="${ROUNDS:-3}"; duration="${DURATION:-10s}"; conns="${CONNECTIONS:-64}"; warmups="${WARMUP_RUNS:-3}"
paced_rps="${PACED_RPS:-10000}"
for tool in wrk nginx taskset; do
  command -v "$tool" >/dev/null || { echo "$bench: $tool is missing (apt-get install -y wrk nginx)" >&2; exit 1; }
done
jar="$root/launcher/target/wasmesh.jar"
[[ -f $jar ]] || (cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -pl launcher -am package)

work="$(mktemp -d "/tmp/wasmesh-$bench.XXXXXX")"
out="$root/benchmarks/target/$bench-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out" "$work/logs"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# The upstream: nginx answering 200 "hello, world" to anything (also OTLP posts) on 127.0.0.1:18080, CPU 0.
cat > "$work/upstream.conf" <<NGINX
worker_processes 1; daemon off; pid $work/upstream.pid; error_log $work/logs/upstream.err;
events { worker_connections 4096; }
http { access_log off; client_max_body_size 64m;
  server { listen 127.0.0.1:18080; location / { return 200 "hello, world\n"; } } }
NGINX
taskset -c 0 nginx -c "$work/upstream.conf" -p "$work" & pids+=($!)

filter="$root/filter-sdk/examples/c/add_header.wasm"

# tenant_yaml NAME FILTERS: a tenant NAME.bench routing everything to the upstream through FILTERS add_header filters.
tenant_yaml() {
  echo "  - name: $1"
  echo "    domains: [$1.bench]"
  echo "    clusters: [{name: up, endpoints: [\"127.0.0.1:18080\"], maxConnectionsPerEndpoint: 64}]"
  echo "    routes: [{cluster: up}]"
  echo "    filters:"
  [[ $2 == 0 ]] && echo "      []"
  for ((i = 1; i <= $2; i++)); do
    echo "      - {name: add-$i, module: $filter, configuration: \"add=x-filter-$i: yes\"}"
  done
}

# await_up URL...: waits up to 30 s for each URL to answer.
await_up() {
  for url in "$@"; do
    for _ in $(seq 150); do curl -sf -o /dev/null "$url" && break; sleep 0.2; done
    curl -sf -o /dev/null "$url" || { echo "$bench: $url did not come up"; tail -n 20 "$work"/logs/*.log; exit 1; }
  done
}

# run NAME URL HOST TAG: one wrk run on CPU 1, its output in $out/NAME.TAG.txt.
run() { taskset -c 1 wrk -t1 -c"$conns" -d"$duration" --latency -H "Host: $3" "$2" > "$out/$1.$4.txt"; }

# run_paced NAME URL HOST TAG: the same, offering about PACED_RPS requests/s in all (latency below saturation).
run_paced() {
  taskset -c 1 wrk -t1 -c"$conns" -d"$duration" --latency -s "$root/benchmarks/proxy/paced.lua" -H "Host: $3" "$2" \
    -- "$paced_rps" "$conns" > "$out/$1.$4.txt"
}

java_version() { "$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.version =/{print $2}'; }

# start_nginx_proxy: nginx as a keep-alive reverse proxy (64 idle upstream connections) to the upstream, on
# 127.0.0.1:18081, CPU 0.
start_nginx_proxy() {
  cat > "$work/nginx-proxy.conf" <<NGINX
worker_processes 1; daemon off; pid $work/proxy.pid; error_log $work/logs/proxy.err;
events { worker_connections 4096; }
http { access_log off;
  upstream up { server 127.0.0.1:18080; keepalive 64; }
  server { listen 127.0.0.1:18081;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
NGINX
  taskset -c 0 nginx -c "$work/nginx-proxy.conf" -p "$work" & pids+=($!)
}

# measure FIRST_JVM: runs the targets (set targets=("NAME URL HOST" ...) first): WARMUP_RUNS warm-up runs of
# each target from index FIRST_JVM on (the JVMs, which need ~30 s of JIT), then ROUNDS interleaved rounds, then
# ROUNDS paced rounds; the wrk outputs go to $out.
measure() {
  local first_jvm=$1
  echo "$bench: warming the JVMs up ($warmups x $duration per target)..."
  for ((w = 1; w <= warmups; w++)); do
    for t in "${targets[@]:$first_jvm}"; do set -- $t; run "$1" "$2" "$3" "warmup$w"; done
  done
  for ((r = 1; r <= rounds; r++)); do
    echo "$bench: round $r of $rounds"
    for t in "${targets[@]}"; do set -- $t; run "$1" "$2" "$3" "round$r"; done
  done
  for ((r = 1; r <= rounds; r++)); do
    echo "$bench: paced round $r of $rounds (about $paced_rps requests/s)"
    for t in "${targets[@]}"; do set -- $t; run_paced "$1" "$2" "$3" "paced$r"; done
  done
}
