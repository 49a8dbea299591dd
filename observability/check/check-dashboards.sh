#!/usr/bin/env bash
# Runs `wasmesh up`, a local Prometheus scraping it (Debian's `prometheus` package; no Docker needed), some
# traffic and a config change, then evaluates every dashboard expression against that Prometheus.
# Empty results are expected where nothing happened (no 5xx, no http_call, no Wasm failure, no NACK).
#   observability/check/check-dashboards.sh          (apt-get install -y prometheus first)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
command -v prometheus >/dev/null || { echo "check-dashboards: prometheus is missing (apt-get install -y prometheus)" >&2; exit 1; }
work="$(mktemp -d /tmp/wasmesh-dashboards.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - {job_name: wasmesh-proxy, static_configs: [{targets: ["127.0.0.1:9901"]}]}
  - {job_name: wasmesh-control-plane, static_configs: [{targets: ["127.0.0.1:7070"]}]}
YAML
(cd "$work" && exec "$root/bin/wasmesh" up) > "$work/up.log" 2>&1 & pids+=($!)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address=127.0.0.1:9090 > "$work/prometheus.log" 2>&1 & pids+=($!)
for _ in $(seq 180); do grep -q Serving "$work/up.log" && break; sleep 1; done
grep -q Serving "$work/up.log" || { cat "$work/up.log"; exit 1; }
sed -i 's/x-team: payments/x-team: platform/' "$work/wasmesh-data/demo-tenant.yaml"
(cd "$work" && "$root/bin/wasmesh" apply -f wasmesh-data/demo-tenant.yaml)
for _ in $(seq 300); do
  curl -s -o /dev/null http://localhost:8080/; curl -s -o /dev/null "http://localhost:8080/hello/up?name=x"
done
sleep 5
python3 "$root/observability/check/query_dashboards.py"
