#!/usr/bin/env bash
# Benchmarks for the catalog: first-use database creation from the bundled CSVs, and
# `smartpick programs --specialty IM --format csv` on an existing database.
# Usage: bench/programs.sh [BINARY]   (default: build/bench/cli/smartpick, built if missing)
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

echo "peak memory (max RSS), existing database:"
/usr/bin/time -f "%M KiB" "$BIN" programs --db "$TMP/e.db" --specialty IM --format csv 2>&1 >/dev/null | tail -1
