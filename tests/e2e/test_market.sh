#!/usr/bin/env bash
# The stored market (issue 14): a model's market beside it, checked on load (missing,
# truncated, another version, another model, too few replications: exit 2 naming the
# file and the rule); `calibrate --market` builds one; `simulate --records` writes the
# market's applicants and applications, the same bytes for any --threads; and the plan
# agrees with the same student inserted into the simulated market.
. "$(dirname "$0")/lib.sh"
EX="$SRC/examples"
M="$WORK/m"
mkdir -p "$M"
cp "$SRC/data/model.json" "$M/model.json"

# A model of the user's needs its market beside it.
expect_exit 2 "$SP" assess --db "$DB" --model "$M/model.json" "$EX/ir-moderate.json"
expect_err_contains "$M/market.bin"
expect_err_contains "calibrate --market"
head -c 1000 "$SRC/data/market.bin" >"$M/market.bin"
expect_exit 2 "$SP" plan --db "$DB" --model "$M/model.json" "$EX/ir-moderate.json"
expect_err_contains "$M/market.bin: 1000 bytes"
expect_err_contains "truncated"
cp "$SRC/data/market.bin" "$M/market.bin"
printf '\002' | dd of="$M/market.bin" bs=1 seek=8 conv=notrunc 2>/dev/null
expect_exit 2 "$SP" plan --db "$DB" --model "$M/model.json" "$EX/ir-moderate.json"
expect_err_contains "version 2: this SmartPick reads version 1"
printf 'XX' | dd of="$M/market.bin" bs=1 seek=0 conv=notrunc 2>/dev/null
expect_exit 2 "$SP" rank --db "$DB" --model "$M/model.json" "$EX/ir-moderate.rank.json"
expect_err_contains "not a SmartPick market file"
cp "$SRC/data/market.bin" "$M/market.bin"
sed 's/"lambda": 0.8,/"lambda": 0.81,/' "$SRC/data/model.json" >"$M/model.json"
expect_exit 2 "$SP" plan --db "$DB" --model "$M/model.json" "$EX/ir-moderate.json"
expect_err_contains "built for another model"
# The market beside the bundled model's copy works and gives the bundled answer.
cp "$SRC/data/model.json" "$M/model.json"
expect_exit 0 "$SP" assess --db "$DB" --model "$M/model.json" "$EX/ir-moderate.json" --format json
cp "$WORK/out" "$WORK/a_file.json"
expect_exit 0 "$SP" assess --db "$DB" "$EX/ir-moderate.json" --format json
expect_out_equals "$WORK/a_file.json"

# A catalog changed since the market was built is refused, naming the program: positions an
# import gave a program, or a program the market has never seen.
DB2="$WORK/imported.db"
expect_exit 0 "$SP" import --db "$DB2" "$SRC/tests/fixtures/import/good.csv"
expect_exit 2 "$SP" plan --db "$DB2" "$EX/ir-moderate.json"
expect_err_contains "has 8 positions in the catalog but"
expect_err_contains "calibrate --check --market"
expect_exit 0 "$SP" programs --db "$DB2" --specialty IR
DB3="$WORK/new.db"
expect_exit 0 "$SP" import --db "$DB3" "$SRC/tests/fixtures/import/new_program_crlf.csv"
expect_exit 2 "$SP" assess --db "$DB3" "$EX/ir-moderate.json"
expect_err_contains "is in the catalog but not in the market"

# calibrate --market builds a market for the model; fewer than 500 replications are
# refused where probabilities are computed.
expect_exit 0 "$SP" calibrate --db "$DB" --check --targets "$SRC/data/calibration_targets.csv" \
  --market "$M/market.bin" --market-replications 3 --threads 2
expect_err_contains "wrote $M/market.bin (3 replications)"
expect_exit 2 "$SP" plan --db "$DB" --model "$M/model.json" "$EX/ir-moderate.json"
expect_err_contains "3 replications of 2207 programs: needs at least 500 replications"

# Records: both files, their header, every recorded applicant prefers IR or DR, the
# application rows add up to the applicants' counts, a matched applicant has its one
# matched application, and the bytes do not depend on --threads.
R="$WORK/rec"
expect_exit 0 "$SP" simulate --db "$DB" --replications 2 --threads 2 --records "$R" \
  --records-specialties IR,DR
expect_eq "$(head -1 "$R/applicants.csv")" \
  "replication,applicant_id,type,preferred_specialty,step2_ck,n_applications,n_interviews,n_ranked,matched_specialty,matched_acgme_id,matched_rank" \
  "applicants.csv header"
expect_eq "$(head -1 "$R/applications.csv")" \
  "replication,applicant_id,acgme_id,specialty,signal,geographic_connection,interviewed,ranked,matched" \
  "applications.csv header"
expect_eq "$(awk -F, 'NR > 1 && $4 != "IR" && $4 != "DR"' "$R/applicants.csv" | wc -l)" 0 \
  "only IR and DR applicants"
expect_eq "$(awk -F, 'NR > 1 {s += $6} END {print s}' "$R/applicants.csv")" \
  "$(($(wc -l <"$R/applications.csv") - 1))" "application rows = applicants' n_applications"
expect_eq "$(awk -F, 'NR > 1 && $10 != ""' "$R/applicants.csv" | wc -l)" \
  "$(awk -F, 'NR > 1 && $9 == 1' "$R/applications.csv" | wc -l)" "one matched application per match"
expect_eq "$(awk -F, 'NR > 1 && $7 < $9' "$R/applications.csv" | wc -l)" 0 "matched only where interviewed"
expect_exit 0 "$SP" simulate --db "$DB" --replications 2 --threads 1 --records "$WORK/rec1" \
  --records-specialties IR,DR
cmp -s "$R/applicants.csv" "$WORK/rec1/applicants.csv" &&
  cmp -s "$R/applications.csv" "$WORK/rec1/applications.csv" && ok ||
  bad "records differ between 1 and 2 threads"
expect_eq "$(ls -A "$R" | wc -l)" 2 "no part files left"
expect_exit 2 "$SP" simulate --db "$DB" --replications 1 --records "$R" --records-specialties XX
expect_err_contains "records-specialties: 'XX' is not a specialty code"
expect_exit 2 "$SP" simulate --db "$DB" --replications 1 --records-specialties IR
expect_err_contains "needs --records DIR"

# One market: the plan's P(match) and the same student inserted into the simulated
# market agree within the market's 95% interval widened by 2 points.
"$SRC/scripts/market-agreement" "$SP" 40 "us_md non_us_img" "IR" "258" >"$WORK/agree.csv" &&
  ok || bad "market-agreement failed"
expect_eq "$(awk -F, 'NR > 1 && ($4 < $6 - 0.02 || $4 > $7 + 0.02)' "$WORK/agree.csv" | wc -l)" 0 \
  "plan outside the market's interval: $(tr '\n' ' ' <"$WORK/agree.csv")"
expect_eq "$(($(wc -l <"$WORK/agree.csv") - 1))" 2 "agreement rows"

finish
