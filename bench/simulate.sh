#!/usr/bin/env bash
# Benchmark of `smartpick simulate` on the full national market (nine
# specialties, ~28,000 applicants, ~22,400 positions): replications per second
# at 1 and 2 threads, the time per replication, and peak memory.
# Usage: bench/simulate.sh   (REPS=N, default 20; BIN=path to smartpick,
# default the bench preset's, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/bench/cli/smartpick}
if [ ! -x "$BIN" ]; then
  cmake --preset bench >/dev/null && cmake --build --preset bench >/dev/null
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
REPS=${REPS:-20}

"$BIN" programs --db "$TMP/e.db" >/dev/null
# Fixed cost (loading the world, building the market): one replication.
secs() { local t0=$EPOCHREALTIME; "$@" >/dev/null; local t1=$EPOCHREALTIME;
         awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}'; }
one=$(secs "$BIN" simulate --db "$TMP/e.db" --replications 1 --threads 1)
for t in 1 2; do
  total=$(secs "$BIN" simulate --db "$TMP/e.db" --replications "$REPS" --threads "$t")
  awk -v n="$REPS" -v t="$t" -v s="$total" -v one="$one" 'BEGIN {
    printf "threads %d: %d replications in %.2f s: %.2f replications/s (%.0f ms per replication after the %.2f s start)\n",
           t, n, s, n / s, 1000 * (s - one) / (n - 1) * t, one }'
done
/usr/bin/time -f "peak memory, 2 threads, $REPS replications: %M KiB" \
  "$BIN" simulate --db "$TMP/e.db" --replications "$REPS" --threads 2 2>&1 >/dev/null | tail -1
