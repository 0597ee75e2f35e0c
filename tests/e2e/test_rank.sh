#!/usr/bin/env bash
# `smartpick rank`: true preference order, probabilities that add up, warnings for
# truncation and a missing PGY-1 list, and clear errors.
. "$(dirname "$0")/lib.sh"
EX="$SRC/examples"

"$SP" rank --db "$DB" "$EX/ir-moderate.rank.json" --format json >"$WORK/r.json"
expect_eq "$(jq -r '[.ranks[].acgme_id] | join(",")' "$WORK/r.json")" \
  "$(jq -r '[.interviews[] | select(.acceptable != false)] | sort_by(.preference) | [.[].acgme_id] | join(",")' "$EX/ir-moderate.rank.json")" \
  "ranks in preference order, unacceptable left off"
expect_eq "$(jq '.ranks | length' "$WORK/r.json")" 7 "seven acceptable programs ranked"
expect_eq "$(jq '((.ranks | last).p_match_cumulative + .p_unmatched - 1) | fabs < 2e-4' "$WORK/r.json")" true "adds up"
expect_eq "$(jq '[.ranks[] | has("acgme_id","p_match_here","p_match_cumulative")] | all' "$WORK/r.json")" true "rank keys"
expect_eq "$(jq 'has("p_unmatched") and has("expected_utility")' "$WORK/r.json")" true "result keys"
expect_eq "$(jq '[.warnings[] | select(test("unacceptable"))] | length' "$WORK/r.json")" 1 "truncation warning"
expect_eq "$(jq '.supplemental_pgy1 | length' "$WORK/r.json")" 3 "supplemental list"

# An inline profile, advanced positions without a PGY-1 list.
cat >"$WORK/inline.json" <<'JSON'
{"schema": "smartpick.rank/1",
 "profile": {"schema": "smartpick.profile/1", "applicant_type": "us_md"},
 "interviews": [{"acgme_id": "4164800001", "preference": 1, "advanced": true},
                {"acgme_id": "4204800001", "preference": 2}]}
JSON
"$SP" rank --db "$DB" "$WORK/inline.json" --format json >"$WORK/i.json"
expect_eq "$(jq '[.warnings[] | select(test("supplemental list"))] | length' "$WORK/i.json")" 1 "PGY-1 warning"
expect_exit 0 "$SP" rank --db "$DB" "$WORK/inline.json"
grep -q "Recommended rank order list" "$WORK/out" && ok || bad "text report"

# Bad input names the path, the value and the rule.
expect_rejects rank '{"schema": "smartpick.rank/1", "profile": "x.json", "interviews": [{"acgme_id": "4164800001", "preferense": 1}]}' \
  "interviews[0].preferense: unknown key (did you mean 'preference'?)"
expect_rejects rank '{"schema": "smartpick.rank/1", "profile": {"schema": "smartpick.profile/1", "applicant_type": "us_md"}, "interviews": [{"acgme_id": "4169999999", "preference": 1}]}' \
  "interviews[0].acgme_id: '4169999999' is not in the catalog"
expect_rejects rank '{"schema": "smartpick.rank/1", "profile": {"schema": "smartpick.profile/1", "applicant_type": "us_md"}, "interviews": [{"acgme_id": "4164800001", "preference": 1}, {"acgme_id": "4164800001", "preference": 2}]}' \
  "interviews[1].acgme_id: '4164800001' is listed twice"
expect_rejects rank '{"schema": "smartpick.rank/1", "interviews": [' "line 1, column"
expect_exit 2 "$SP" rank --db "$DB"

finish
