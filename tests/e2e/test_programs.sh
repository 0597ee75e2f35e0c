#!/usr/bin/env bash
# `smartpick programs` and `smartpick specialties` against a fresh database.
. "$(dirname "$0")/lib.sh"

count() { "$SP" programs --db "$DB" "$@" --format json | jq '.count'; }

# First use creates the database; the default path honours XDG_DATA_HOME.
expect_exit 0 "$SP" programs --specialty IR
[ -f "$XDG_DATA_HOME/smartpick/smartpick.db" ] && ok || bad "no database under XDG_DATA_HOME"

expect_eq "$(count --specialty DR)" 193 "DR programs"
expect_eq "$(count --specialty IR)" 103 "IR programs"
expect_eq "$(count)" 2207 "all programs"
all9=$(count --specialty IR --specialty DR --specialty IM --specialty GS --specialty VS \
       --specialty ANES --specialty EM --specialty NEURO --specialty PMR)
expect_eq "$all9" 2207 "nine specialties"
expect_eq "$(count --specialty im)" 693 "IM by lower-case code"
expect_eq "$(count --specialty 140)" 693 "IM by ACGME code"
expect_eq "$(count --esir)" 9 "documented ESIR programs"
expect_eq "$(count --new)" 29 "new programs"
expect_eq "$(count --do-friendly)" 54 "osteopathic-recognized programs"
expect_eq "$(count --state TX --specialty IR)" \
  "$(awk -F, '$2=="416" && $6=="TX"' "$SRC/data/programs.csv" | wc -l)" "IR in Texas"

# The Dallas-area IR programs from a ZIP, with distances (golden file).
expect_exit 0 "$SP" programs --db "$DB" --zip 75390 --radius 50 --specialty IR --format csv
expect_out_equals "$SRC/tests/e2e/expected/ir_75390_50mi.csv"
# The README's main job.
expect_exit 0 "$SP" programs --db "$DB" --specialty IR --near "Dallas, TX" --radius 300
expect_out_equals "$SRC/tests/e2e/expected/ir_dallas_300mi.txt"

# Every JSON program carries its facts with a source; distances are sorted.
"$SP" programs --db "$DB" --specialty DR --near "Chicago, IL" --radius 500 --format json >"$WORK/dr.json"
expect_eq "$(jq '[.programs[].facts.esir.source] | unique | sort | join(",")' -r "$WORK/dr.json")" \
  "documented,none" "ESIR sources"
expect_eq "$(jq '[.programs[].distance_miles] | . == sort' "$WORK/dr.json")" true "sorted by distance"
expect_eq "$(jq '[.programs[].distance_miles] | max <= 500' "$WORK/dr.json")" true "within radius"

# The school NIH fact (data/school_nih.csv): millions of USD, source "published", for the
# mapped programs only; the others say unknown, not zero.
"$SP" programs --db "$DB" --specialty IR --format json >"$WORK/ir.json"
nih() { jq -r --arg id "$1" '.programs[] | select(.acgme_id==$id) | .facts.school_nih_musd | "\(.value)/\(.source)"' "$WORK/ir.json"; }
expect_eq "$(nih 4162300001)" "571.755774/published" "Johns Hopkins IR school NIH"
expect_eq "$(nih 4162400001)" "null/none" "MGH IR (Harvard's hospitals not mapped)"
expect_eq "$(jq '[.programs[] | select(.facts.school_nih_musd.source=="published")] | length' "$WORK/ir.json")" \
  47 "IR programs with a school NIH figure"
expect_eq "$("$SP" programs --db "$DB" --format json | jq '[.programs[] | select(.facts.school_nih_musd.source=="published")] | length')" \
  "$(($(wc -l <"$SRC/data/school_nih.csv") - 1))" "every row of school_nih.csv loaded"

# CSV output parses back: same number of rows as the JSON count.
"$SP" programs --db "$DB" --specialty GS --format csv >"$WORK/gs.csv"
expect_eq "$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1]))))' "$WORK/gs.csv")" \
  362 "GS rows in CSV"

# Bad input: a clear message naming the value, exit 2.
expect_exit 2 "$SP" programs --db "$DB" --state XX
expect_err_contains "state: 'XX' is not a US state code (e.g. TX)"
expect_exit 2 "$SP" programs --db "$DB" --specialty IRR
expect_err_contains "specialty: 'IRR' is not one of IR DR IM GS VS ANES EM NEURO PMR (did you mean IR?)"
expect_exit 2 "$SP" programs --db "$DB" --near "Dalas, TX" --radius 50
expect_err_contains "did you mean 'Dallas, TX'"
expect_exit 2 "$SP" programs --db "$DB" --near "Dallas" --radius 50
expect_err_contains "must be \"City, ST\""
expect_exit 2 "$SP" programs --db "$DB" --zip 7539 --radius 50
expect_err_contains "zip: '7539' must be 5 digits"
expect_exit 2 "$SP" programs --db "$DB" --zip 00000
expect_err_contains "zip: '00000' is not in the GeoNames ZIP list"
expect_exit 2 "$SP" programs --db "$DB" --radius 50
expect_err_contains "radius: needs --near"
expect_exit 2 "$SP" programs --db "$DB" --radius -3 --zip 75390
expect_err_contains "radius: '-3' must be a number of miles"
expect_exit 2 "$SP" programs --db "$DB" --format xml
expect_err_contains "format: 'xml' must be one of table, csv, json"
expect_exit 2 "$SP" programs --db "$DB" --bogus
expect_err_contains "unknown option '--bogus'"
expect_exit 2 "$SP" programs --db "$DB" --division south
expect_err_contains "division: 'south' is not a Census division"
expect_exit 2 "$SP" nonsense
expect_err_contains "'nonsense' is not a command"

# Help and version.
expect_exit 0 "$SP" programs --help
grep -q -- "--radius MILES" "$WORK/out" && ok || bad "programs --help lacks --radius"
expect_exit 0 "$SP" --version
grep -qE '^smartpick [0-9]+\.[0-9]+\.[0-9]+$' "$WORK/out" && ok || bad "version format"
for cmd in programs specialties import; do
  expect_exit 0 "$SP" "$cmd" --help
done

# Specialties: every figure has a year and a source.
expect_exit 0 "$SP" specialties --db "$DB" --format json
expect_eq "$(jq '.specialties | length' "$WORK/out")" 9 "nine specialties"
expect_eq "$(jq '[.specialties[].figures[] | select(.source_url | startswith("http") | not)] | length' "$WORK/out")" 0 "figures without a source"
expect_eq "$(jq -r '.specialties[] | select(.code=="IR") | .figures[] | select(.metric=="positions") | .value' "$WORK/out")" 245 "IR positions"
expect_eq "$(jq -r '.specialties[] | select(.code=="DR") | .programs_in_catalog' "$WORK/out")" 193 "DR programs"
expect_exit 0 "$SP" specialties --db "$DB"
grep -q "Sources:" "$WORK/out" && ok || bad "specialties table lacks sources"

finish
