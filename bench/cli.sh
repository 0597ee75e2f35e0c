#!/usr/bin/env bash
# Wall-time benchmarks of whole `smartpick` processes: first-use database creation,
# `programs`, `assess`, and `calibrate`.
# Usage: bench/cli.sh [BINARY]   (default: build/bench/cli/smartpick, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/bench/cli/smartpick}
. bench/lib.sh
bench_build "$BIN"
RUNS=${RUNS:-30}

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
