#!/usr/bin/env bash
# `smartpick plan`: the outcomes for the three IR tiers emerge from the optimizer, the
# JSON contract, budgets, objectives, formats, determinism and bad input.
. "$(dirname "$0")/lib.sh"
EX="$SRC/examples"

plan() { "$SP" plan --db "$DB" "$@" --format json; }
apps() { jq -r --arg c "$2" '[.by_specialty[] | select(.code == $c) | .n_applications][0] // 0' "$1"; }

plan "$EX/ir-at-risk.json" >"$WORK/risk.json"
plan "$EX/ir-moderate.json" >"$WORK/mod.json"
plan "$EX/ir-highly-competitive.json" >"$WORK/top.json"

# At risk, against the market: the plan keeps a backup outside IR and DR, the
# backup adds to P(match) beyond IR's own, and every IR program is harder to be
# interviewed at than for the highly competitive student applying there.
ir=$(apps "$WORK/risk.json" IR)
backup=$(jq -r '[.by_specialty[] | select(.code != "IR" and .code != "DR")] | max_by(.n_applications) | .n_applications' "$WORK/risk.json")
[ "$ir" -gt 0 ] && [ "$backup" -gt 0 ] && ok || bad "at-risk: backup $backup vs IR $ir"
expect_eq "$(jq '.p_match_any > ([.by_specialty[] | select(.code == "IR")][0].p_match + 0.01)' "$WORK/risk.json")" true "at-risk: the backup adds to P(match)"
expect_eq "$(jq -s '(.[0].programs | map(select(.specialty == "IR")) | map({key: .acgme_id, value: .p_interview}) | from_entries) as $r
  | [.[1].programs[] | select(.specialty == "IR" and ($r[.acgme_id] != null) and .signal == "none") | $r[.acgme_id] <= .p_interview + 1e-9] | all' "$WORK/risk.json" "$WORK/top.json")" true "at-risk IR interviews are harder than the top student's"

# Moderately competitive: IR and DR together.
[ "$(apps "$WORK/mod.json" IR)" -gt 0 ] && [ "$(apps "$WORK/mod.json" DR)" -gt 0 ] && ok || bad "moderate: not dual IR + DR"

# Highly competitive: concentrated on IR, applying broadly there because the market
# says so (no rule sets the count), with a focused DR backup and no backup beyond it
# (at most one application elsewhere, where a free signal makes it worth its fee).
ir=$(apps "$WORK/top.json" IR); dr=$(apps "$WORK/top.json" DR)
others=$(jq '[.by_specialty[] | select(.code != "IR" and .code != "DR") | .n_applications] | add // 0' "$WORK/top.json")
[ "$ir" -gt "$dr" ] && [ "$ir" -ge 15 ] && [ "$dr" -gt 0 ] && [ "$others" -le 1 ] && ok || bad "top: IR $ir DR $dr others $others"
# Capacity: no program's P(match) is above what one student's share of it allows,
# and the per-program P(match) add up to P(match anywhere).
expect_eq "$(jq '[.programs[].p_match] | max < 0.5' "$WORK/top.json")" true "top: no program near-certain"
expect_eq "$(jq '([.programs[].p_match] | add) - .p_match_any | fabs < 2e-3' "$WORK/top.json")" true "per-program P(match) add up (rounded to 4 places)"

# The JSON contract.
for key in p_match_any p_match_any_low p_match_any_high by_specialty programs cost_usd curve strategy checklist assumptions; do
  expect_eq "$(jq --arg k "$key" 'has($k)' "$WORK/mod.json")" true "plan key $key"
done
expect_eq "$(jq '[.by_specialty[] | has("code","n_applications","p_match","cost_usd","signals_gold","signals_silver")] | all' "$WORK/mod.json")" true "by_specialty keys"
expect_eq "$(jq '[.programs[] | has("acgme_id","specialty","p_interview","p_match","tier","signal")] | all' "$WORK/mod.json")" true "program keys"
expect_eq "$(jq '.p_match_any_low <= .p_match_any and .p_match_any <= .p_match_any_high' "$WORK/mod.json")" true "interval"
expect_eq "$(jq '(.programs | length) == ([.by_specialty[].n_applications] | add)' "$WORK/mod.json")" true "counts add up"
expect_eq "$(jq '([.by_specialty[].p_match] | add) - .p_match_any | fabs < 1e-3' "$WORK/mod.json")" true "per-specialty shares add to the total"
# Signals within the pools: DR and IR share 6 gold + 6 silver.
expect_eq "$(jq '[.by_specialty[] | select(.code == "IR" or .code == "DR") | .signals_gold] | add <= 6' "$WORK/mod.json")" true "DR+IR gold pool"
expect_eq "$(jq '([.programs[] | select(.signal == "gold")] | length) == ([.by_specialty[].signals_gold] | add)' "$WORK/mod.json")" true "signal counts"
# The curve rises (never falls) with applications, and reaches past the plan.
expect_eq "$(jq '[.curve[].p_match_any] as $p | [range(1; $p | length) | $p[.] >= $p[. - 1] - 1e-9] | all' "$WORK/mod.json")" true "curve non-decreasing"
expect_eq "$(jq '(.curve | last).n_applications >= (.programs | length)' "$WORK/mod.json")" true "curve past the plan"

# Budgets: respected, and more budget never lowers P(match).
prev=0
for b in 400 800 1600 3200; do
  plan "$EX/ir-moderate.json" --budget-usd "$b" --objective match >"$WORK/b.json"
  expect_eq "$(jq --argjson b "$b" '.cost_usd <= $b + 1e-6' "$WORK/b.json")" true "cost within \$$b"
  p=$(jq .p_match_any "$WORK/b.json")
  expect_eq "$(awk -v a="$p" -v b="$prev" 'BEGIN {print (a >= b - 1e-9) ? "yes" : "no"}')" yes "budget $b lowers P(match)"
  prev=$p
done
plan "$EX/ir-moderate.json" --max-applications 20 >"$WORK/m.json"
expect_eq "$(jq '.programs | length <= 20' "$WORK/m.json")" true "max applications"

# min-cost reaches the target when it can, and costs no more than the utility plan.
plan "$EX/ir-moderate.json" --objective min-cost --target 0.9 >"$WORK/mc.json"
expect_eq "$(jq '.p_match_any >= 0.9' "$WORK/mc.json")" true "min-cost meets its target"
expect_eq "$(jq -s '.[0].cost_usd <= .[1].cost_usd' "$WORK/mc.json" "$WORK/mod.json")" true "min-cost is cheaper"

# Constraints.
plan "$EX/ir-moderate.json" --max IM=5 --min DR=12 --exclude 4162500001 >"$WORK/c.json"
expect_eq "$(apps "$WORK/c.json" IM)" "$(apps "$WORK/c.json" IM | awk '{print ($1 <= 5) ? $1 : "over"}')" "max IM"
expect_eq "$(apps "$WORK/c.json" DR | awk '{print ($1 >= 12) ? "ok" : $1}')" ok "min DR"
expect_eq "$(jq '[.programs[] | select(.acgme_id == "4162500001")] | length' "$WORK/c.json")" 0 "exclude"

# Same inputs, same bytes.
plan "$EX/ir-moderate.json" >"$WORK/mod2.json"
cmp -s "$WORK/mod.json" "$WORK/mod2.json" && ok || bad "plan JSON is not reproducible"

# Other formats.
expect_exit 0 "$SP" plan --db "$DB" "$EX/ir-moderate.json"
grep -q "IR" "$WORK/out" && ok || bad "text plan"
expect_exit 0 "$SP" plan --db "$DB" "$EX/ir-moderate.json" --format csv --out "$WORK/p.csv"
expect_eq "$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1]))))' "$WORK/p.csv")" \
  "$(jq '.programs | length' "$WORK/mod.json")" "CSV rows"
expect_exit 0 "$SP" plan --db "$DB" "$EX/ir-moderate.json" --format html --out "$WORK/p.html"
expect_eq "$(grep -c '<svg' "$WORK/p.html" | awk '{print ($1 >= 2)}')" 1 "HTML charts"
expect_exit 0 "$SP" plan --db "$DB" "$EX/ir-moderate.json" --format xlsx --out "$WORK/p.xlsx"
expect_eq "$(head -c 2 "$WORK/p.xlsx")" PK "XLSX is a zip"

# Bad input.
expect_exit 2 "$SP" plan --db "$DB" "$EX/ir-moderate.json" --budget-usd -5
expect_err_contains "budget-usd: '-5' must be a number of dollars"
expect_exit 2 "$SP" plan --db "$DB" "$EX/ir-moderate.json" --budget-usd 0x10
expect_err_contains "budget-usd: '0x10' must be a number of dollars"
expect_exit 2 "$SP" plan --db "$DB" "$EX/ir-moderate.json" --objective cheapest
expect_err_contains "objective: 'cheapest' must be utility, match or min-cost"
expect_exit 2 "$SP" plan --db "$DB" "$EX/ir-moderate.json" --include 1400000000
expect_err_contains "include: '1400000000' is not in the catalog"
expect_exit 2 "$SP" plan --db "$DB" "$EX/ir-moderate.json" --format xlsx
expect_err_contains "xlsx needs --out"
expect_exit 2 "$SP" plan --db "$DB" "$EX/ir-moderate.json" --budget-usd 100
expect_err_contains "does not cover the USMLE transcript and the PGY-1 applications"
expect_exit 2 "$SP" plan --db "$DB" "$EX/ir-moderate.json" --min XX=3
expect_err_contains "min: 'XX' is not a specialty"

finish
