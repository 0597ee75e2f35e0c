#!/usr/bin/env bash
# The stored market (issue 14): building it (`calibrate --check --market`, 500 replications
# of the national Match on all cores), its size, and the whole processes that read it
# (assess, plan, rank) with their memory.
# Usage: bench/market.sh   (builds the bench preset if needed; RUNS=N, default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/bench/cli/smartpick
. bench/lib.sh
bench_build "$BIN"
RUNS=${RUNS:-20}

"$BIN" programs --db "$TMP/e.db" >/dev/null
echo "calibrate --check --market (500 replications, $(nproc) threads):"
ms "$BIN" calibrate --db "$TMP/e.db" --check --market "$TMP/market.bin" 2>/dev/null | stats
echo "market file: $(stat -c %s "$TMP/market.bin") bytes; bundled data/market.bin the same: \
$(cmp -s "$TMP/market.bin" data/market.bin && echo yes || echo no)"
for cmd in "assess examples/ir-moderate.json --format json" \
           "plan examples/ir-moderate.json --format json" \
           "rank examples/ir-moderate.rank.json --format json"; do
  echo "smartpick $cmd:"
  # shellcheck disable=SC2086
  for i in $(seq "$RUNS"); do ms "$BIN" $cmd --db "$TMP/e.db"; done | stats
  # shellcheck disable=SC2086
  /usr/bin/time -f "  peak memory %M KiB" "$BIN" $cmd --db "$TMP/e.db" 2>&1 >/dev/null | tail -1
done
