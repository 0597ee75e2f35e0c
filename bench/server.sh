#!/usr/bin/env bash
# Load test of `smartpick serve` with wrk: POST /api/v1/plan (examples/ir-moderate.json
# wrapped as {"profile": ...}) and GET /api/v1/programs?specialty=IR, each at 64
# connections from 2 wrk threads for DURATION (default 30s), after a warm-up; prints
# wrk's report (requests/s, latency percentiles, errors) and the server's resident
# memory (VmRSS, /proc/PID/status) before and after each run.
# Usage: bench/server.sh [BINARY]   (default: build/bench/cli/smartpick, built if missing)
#        DURATION=10s THREADS=N bench/server.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/bench/cli/smartpick}
DURATION=${DURATION:-30s}
command -v wrk >/dev/null || { echo "bench/server.sh: wrk is not installed (scripts/install-deps)" >&2; exit 1; }
if [ ! -x "$BIN" ]; then
  cmake --preset bench >/dev/null && cmake --build --preset bench >/dev/null
fi
TMP=$(mktemp -d)
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

jq '{profile: .}' examples/ir-moderate.json >"$TMP/plan.json"
"$BIN" serve --port 0 --db "$TMP/sp.db" ${THREADS:+--threads "$THREADS"} >"$TMP/out" 2>"$TMP/err" &
PID=$!
for _ in $(seq 300); do
  PORT=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$TMP/out")
  [ -n "${PORT:-}" ] && break
  sleep 0.1
done
[ -n "${PORT:-}" ] || { echo "bench/server.sh: the server did not start" >&2; cat "$TMP/err" >&2; exit 1; }
U="http://127.0.0.1:$PORT"
rss() { awk '/^VmRSS/ {print $2 " " $3}' "/proc/$PID/status"; }

echo "server: $BIN serve (pid $PID, $(nproc) CPUs), $U"
# The same answer as the CLI, before measuring anything.
curl -sf -H 'Content-Type: application/json' --data-binary "@$TMP/plan.json" "$U/api/v1/plan" >"$TMP/api.json"
"$BIN" plan --db "$TMP/sp.db" examples/ir-moderate.json --format json | cmp -s - "$TMP/api.json" \
  || { echo "bench/server.sh: POST /api/v1/plan differs from smartpick plan --format json" >&2; exit 1; }

echo "warm-up (5 s of each)"
wrk -t2 -c64 -d5s -s bench/server_plan.lua "$U/api/v1/plan" -- "$TMP/plan.json" >/dev/null
wrk -t2 -c64 -d5s "$U/api/v1/programs?specialty=IR" >/dev/null

echo
echo "== POST /api/v1/plan (examples/ir-moderate.json) =="
echo "RSS before: $(rss)"
wrk -t2 -c64 -d"$DURATION" --latency --timeout 10s -s bench/server_plan.lua "$U/api/v1/plan" \
  -- "$TMP/plan.json"
echo "RSS after: $(rss)"

echo
echo "== GET /api/v1/programs?specialty=IR =="
echo "RSS before: $(rss)"
wrk -t2 -c64 -d"$DURATION" --latency --timeout 10s "$U/api/v1/programs?specialty=IR"
echo "RSS after: $(rss)"

curl -sf "$U/healthz" >/dev/null && echo && echo "still serving: GET /healthz ok"
