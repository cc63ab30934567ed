#!/usr/bin/env bash
# CPU profiles of the gateway under the peers.sh load (wrk -t1 -c50 against ../shared/bench/upstream.js), one per
# scenario (GET customer, POST order), steady state only (profile-on-signal.ts), each summarized by
# profile-summary.ts. The gateway runs on CPU 0, the upstream and wrk on CPU 1.
#
#   bash bench/gateway/profile.sh          # OUT=/tmp/portico-profile-XXXX DURATION=10 WARMUP=3
# Needs wrk (../shared/bench/peers.sh installs it). Stops only the processes it started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHARED="${SHARED_BENCH_DIR:-$ROOT/../shared/bench}"
OUT="${OUT:-$(mktemp -d /tmp/portico-profile-XXXX)}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
UPSTREAM_PORT="${UPSTREAM_PORT:-9201}"
GATEWAY_PORT="${GATEWAY_PORT:-9260}"
command -v wrk >/dev/null || { echo "wrk is missing (bash ../shared/bench/peers.sh installs it)" >&2; exit 1; }
mkdir -p "$OUT"
cd "$ROOT"
shopt -s nullglob
profiles() { local p=("$OUT"/gateway-*.cpuprofile); echo "${#p[@]}"; }

eval "$(node --import tsx bench/gateway/prepare-peers.ts 2>/dev/null)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$PORTICO_BENCH_DATA_DIR"
}
trap cleanup EXIT

taskset -c 1 env UPSTREAM_PORT="$UPSTREAM_PORT" node "$SHARED/upstream.js" >"$OUT/upstream.log" 2>&1 &
PIDS+=($!)
taskset -c 0 env NODE_ENV=production PORT="$GATEWAY_PORT" UPSTREAM_URL="http://127.0.0.1:$UPSTREAM_PORT" \
  PORTICO_BENCH_DATA_DIR="$PORTICO_BENCH_DATA_DIR" PORTICO_BENCH_PROFILE_DIR="$OUT" \
  node --import tsx bench/gateway/peer-gateway.ts >"$OUT/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
BASE="http://127.0.0.1:$GATEWAY_PORT"
for _ in $(seq 150); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$BASE$GET_PATH")" == 200 ]] && break
  sleep 0.2
done

for scenario in get post; do
  if [[ $scenario == get ]]; then url="$BASE$GET_PATH" method=GET body=''; else url="$BASE$POST_PATH" method=POST body="$POST_BODY"; fi
  load() { WRK_METHOD=$method WRK_BODY=$body taskset -c 1 wrk -t1 -c50 -d"$1s" -s "$SHARED/wrk/bench.lua" \
    -H "Authorization: Bearer $KEY" "$url"; }
  load "$WARMUP" >/dev/null
  before=$(profiles)
  kill -USR2 "$GATEWAY_PID"
  load "$DURATION" | sed -n 's/^WRKJSON /wrk: /p'
  kill -USR2 "$GATEWAY_PID"
  for _ in $(seq 50); do (($(profiles) > before)) && break; sleep 0.2; done
  profile=$(ls -t "$OUT"/gateway-*.cpuprofile | head -1)
  mv "$profile" "$OUT/$scenario.cpuprofile"
  node --import tsx bench/gateway/profile-summary.ts "$OUT/$scenario.cpuprofile" >"$OUT/$scenario.md"
  echo "$scenario: $OUT/$scenario.cpuprofile, summary $OUT/$scenario.md"
done
