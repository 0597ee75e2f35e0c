#!/usr/bin/env bash
# Wall-time benchmarks of whole `smartpick` processes: first-use database creation,
# `programs`, `assess`, and `calibrate`.
# Usage: bench/cli.sh [BINARY]   (default: build/bench/cli/smartpick, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/bench/cli/smartpick}
if [ ! -x "$BIN" ]; then
  cmake --preset bench >/dev/null && cmake --build --preset bench >/dev/null
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
RUNS=${RUNS:-30}

# Wall time in ms of one command, via bash's EPOCHREALTIME.
ms() { local t0=$EPOCHREALTIME; "$@" >/dev/null; local t1=$EPOCHREALTIME;
       awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) * 1000}'; }
stats() { sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms, min %.1f ms, max %.1f ms (n=%d)\n", a[int((NR+1)/2)], a[1], a[NR], NR}'; }

echo "first-use creation (programs --specialty IR on a new database):"
for i in $(seq "$RUNS"); do rm -f "$TMP"/c.db*; ms "$BIN" programs --db "$TMP/c.db" --specialty IR; done | stats

echo "programs --specialty IM --format csv, existing database:"
"$BIN" programs --db "$TMP/e.db" >/dev/null
for i in $(seq "$RUNS"); do ms "$BIN" programs --db "$TMP/e.db" --specialty IM --format csv; done | stats

echo "peak memory (max RSS) of programs --specialty IM --format csv:"
/usr/bin/time -f "%M KiB" "$BIN" programs --db "$TMP/e.db" --specialty IM --format csv 2>&1 >/dev/null | tail -1

echo "assess examples/ir-moderate.json --format json, existing database:"
for i in $(seq "$RUNS"); do ms "$BIN" assess --db "$TMP/e.db" examples/ir-moderate.json --format json; done | stats
echo "peak memory (max RSS) of assess:"
/usr/bin/time -f "%M KiB" "$BIN" assess --db "$TMP/e.db" examples/ir-moderate.json --format json 2>&1 >/dev/null | tail -1

echo "calibrate (fit every target; writes to a temp dir), 3 runs:"
for i in 1 2 3; do ms "$BIN" calibrate --db "$TMP/e.db" --out "$TMP/m.json" --report "$TMP/c.md"; done | stats
