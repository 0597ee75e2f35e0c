#!/usr/bin/env bash
# Benchmarks of the Match engine (docs/BENCHMARKS.md "Match engine"): regenerates the
# national-scale instances, builds the bench preset, and reports the match phase
# (bench_match: read + layout, sp_match_run over repeated runs, the checker), the wall time
# of the whole `smartpick match` process, and peak memory of each.
# Usage: bench/match.sh            (RUNS=N repeats, default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-30}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
GEN=tests/fixtures/peer-cases/synthetic

echo "generating instances in $TMP"
python3 "$GEN/gen.py" 45000 6000 7 12 2 "$TMP/syn45k"
python3 "$GEN/gen_couples.py" 45000 6000 8 12 1000 13 "$TMP/cpl45k"

cmake --preset bench >/dev/null
cmake --build --preset bench --target bench_match smartpick -- -j2 >/dev/null
BIN=build/bench/cli/smartpick

echo
echo "== match phase (bench_match -n $RUNS)"
build/bench/bench/bench_match -n "$RUNS" "$TMP/syn45k.rp" "$TMP/cpl45k.rp"

# Wall time in ms of one command, via bash's EPOCHREALTIME.
ms() { local t0=$EPOCHREALTIME; "$@" >/dev/null; local t1=$EPOCHREALTIME;
       awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) * 1000}'; }
stats() { sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms, min %.1f ms, max %.1f ms (n=%d)\n", a[int((NR+1)/2)], a[1], a[NR], NR}'; }

for name in syn45k cpl45k; do
  echo
  echo "== whole process: smartpick match $name.rp --format match --out FILE"
  for i in $(seq "$RUNS"); do
    ms "$BIN" match "$TMP/$name.rp" --format match --out "$TMP/$name.match"
  done | stats
  echo "peak memory (max RSS): $(/usr/bin/time -f '%M KiB' "$BIN" match "$TMP/$name.rp" \
    --format match --out "$TMP/$name.match" 2>&1 >/dev/null | tail -1)"
  echo "verdict: $("$BIN" match "$TMP/$name.rp" --check "$TMP/$name.match" | head -1)"
done
