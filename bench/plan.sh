#!/usr/bin/env bash
# Benchmarks for `smartpick plan`: the whole process on the full catalog with a $2,500
# budget (each IR example), and the optimizer alone as the catalog grows 1x, 4x, 16x.
# Usage: bench/plan.sh   (builds the bench preset if needed; RUNS=N, default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/bench/cli/smartpick
BENCH=build/bench/bench/bench_plan
. bench/lib.sh
bench_build "$BIN" "$BENCH"
RUNS=${RUNS:-20}

"$BIN" programs --db "$TMP/e.db" >/dev/null
for ex in ir-at-risk ir-moderate ir-highly-competitive; do
  echo "smartpick plan examples/$ex.json --budget-usd 2500 --format json:"
  for i in $(seq "$RUNS"); do
    ms "$BIN" plan --db "$TMP/e.db" "examples/$ex.json" --budget-usd 2500 --format json
  done | stats
  /usr/bin/time -f "  peak memory %M KiB" "$BIN" plan --db "$TMP/e.db" "examples/$ex.json" \
    --budget-usd 2500 --format json 2>&1 >/dev/null | tail -1
done

echo "optimizer alone (sp_plan_build), ir-at-risk, \$2,500, catalog copies:"
"$BENCH" "$TMP/e.db" data/model.json examples/ir-at-risk.json 2500 5
