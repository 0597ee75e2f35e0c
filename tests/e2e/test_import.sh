#!/usr/bin/env bash
# `smartpick import`: user values override, new programs join the catalog, and a
# file with one bad row changes nothing (the whole database dump is compared).
. "$(dirname "$0")/lib.sh"
FIX="$SRC/tests/fixtures/import"

dump() { sqlite3 "$DB" .dump; }
fact() { "$SP" programs --db "$DB" --format json | jq -r --arg id "$1" --arg f "$2" \
           '.programs[] | select(.acgme_id==$id) | .facts[$f] | "\(.value)/\(.source)"'; }

expect_exit 0 "$SP" programs --db "$DB" --specialty IR   # create

# A good file: values land with source "user".
expect_exit 0 "$SP" import --db "$DB" "$FIX/good.csv"
grep -q "2 rows: 0 programs added, 2 updated" "$WORK/out" && ok || bad "import summary: $(cat "$WORK/out")"
expect_eq "$(fact 4164800001 positions)" "3/user" "positions override"
expect_eq "$(fact 4164800001 program_type)" "academic/user" "program type"
expect_eq "$(fact 4164800001 visa_sponsorship)" "j1/user" "visa"
expect_eq "$(fact 4200121006 esir)" "true/user" "ESIR set by user"
expect_eq "$(fact 4200121006 median_step2)" "null/none" "empty cell leaves a value unknown"
expect_eq "$(fact 4200421012 esir)" "true/documented" "documented ESIR untouched"

# A new program (CRLF file, quoted comma) placed by its city's centroid.
expect_exit 0 "$SP" import --db "$DB" "$FIX/new_program_crlf.csv"
expect_eq "$("$SP" programs --db "$DB" --specialty IR --format json | jq .count)" 104 "IR count after adding"
"$SP" programs --db "$DB" --zip 75390 --radius 30 --specialty IR --format json >"$WORK/near.json"
expect_eq "$(jq -r '.programs[] | select(.acgme_id=="4164899990") | .institution' "$WORK/near.json")" \
  "North Texas IR, Plano Campus" "new program near Dallas"

# One bad row: file:line:column, exit 2, and the database exactly as before.
before=$(dump)
expect_exit 2 "$SP" import --db "$DB" "$FIX/one_bad_row.csv"
expect_err_contains "one_bad_row.csv:3:14: pct_img: '101' must be between 0 and 100"
expect_err_contains "nothing imported from this file"
after=$(dump)
[ "$before" = "$after" ] && ok || bad "database changed by a failed import"
expect_eq "$(fact 4164800001 positions)" "3/user" "earlier value kept"

# Several files: each is its own transaction; the good one still loads.
printf 'acgme_id,positions\n4164800005,7\n' >"$WORK/ok2.csv"
expect_exit 2 "$SP" import --db "$DB" "$FIX/one_bad_row.csv" "$WORK/ok2.csv"
expect_eq "$(fact 4164800005 positions)" "7/user" "second file loaded"

# Numbers are decimal: hexadecimal (strtod would read 0x10 as 16) is refused.
printf 'acgme_id,positions\n4164800005,0x10\n' >"$WORK/hex.csv"
expect_exit 2 "$SP" import --db "$DB" "$WORK/hex.csv"
expect_err_contains "hex.csv:2:12: positions: '0x10' must be a number"
expect_eq "$(fact 4164800005 positions)" "7/user" "hexadecimal not imported"

# Missing file, no file.
expect_exit 1 "$SP" import --db "$DB" "$WORK/missing.csv"
expect_err_contains "missing.csv: No such file or directory"
expect_exit 2 "$SP" import --db "$DB"
expect_err_contains "import: name at least one CSV file"

# A user's figure overrides the published school NIH dollars (millions).
expect_eq "$(fact 4162300001 school_nih_musd)" "571.755774/published" "published school NIH"
printf 'acgme_id,school_nih_musd\n4162300001,600.5\n' >"$WORK/nih.csv"
expect_exit 0 "$SP" import --db "$DB" "$WORK/nih.csv"
expect_eq "$(fact 4162300001 school_nih_musd)" "600.5/user" "school NIH override"
expect_eq "$(fact 4162300002 school_nih_musd)" "167.849423/published" "University of Maryland untouched"
printf 'acgme_id,school_nih_musd\n4162300001,571755774\n' >"$WORK/nih_usd.csv"
expect_exit 2 "$SP" import --db "$DB" "$WORK/nih_usd.csv"
expect_err_contains "nih_usd.csv:2:12: school_nih_musd: '571755774' must be between 0 and 5000"

# Round trip: an exported CSV imports back unchanged.
# (documented ESIR stays documented, user values stay the user's).
"$SP" programs --db "$DB" --specialty DR --specialty IR --format csv >"$WORK/rt.csv"
before=$(dump)
expect_exit 0 "$SP" import --db "$DB" "$WORK/rt.csv"
after=$(dump)
[ "$before" = "$after" ] && ok || bad "export/import round trip changed the database"

finish
