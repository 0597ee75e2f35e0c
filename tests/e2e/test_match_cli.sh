#!/usr/bin/env bash
# `smartpick match`: formats, the same mock match from JSON and CSV, errors with file:line
# and exit codes, --check, couples without a stable matching. Peer cases: match_peer_case.sh.
. "$(dirname "$0")/lib.sh"
M=$SRC/tests/fixtures/match
P=$SRC/tests/fixtures/peer-cases

# The mock match (tracks, supplemental lists, a couple), from JSON and from CSV.
expect_exit 0 "$SP" match "$M/mock.json"
expect_eq "$(head -1 "$WORK/out")" \
  "Match: stable, no blocking pair (applicant-proposing, 1 try, 12 applications)" "verdict line"
expect_eq "$(grep '^ana ' "$WORK/out" | tr -s ' ')" "ana DR-UTSW 2 TY-METH 1" "ana: advanced + PGY-1"
expect_eq "$(grep '^dee ' "$WORK/out" | tr -s ' ')" "dee IM-UTSW 2" "dee: no PGY-1 without advanced"
expect_eq "$(grep '^gus ' "$WORK/out" | tr -s ' ')" "gus IM-UTSW 1 eve+gus" "couple member"
expect_exit 0 "$SP" match "$M/mock.json" --format match
cp "$WORK/out" "$WORK/json.match"
expect_exit 0 "$SP" match "$M/mock.csv" --format match
expect_out_equals "$WORK/json.match"
expect_exit 0 "$SP" match "$M/mock.json" --format json
expect_eq "$(jq -r '.status, .summary.matched, .summary.unfilled, .summary.blocking_pairs' "$WORK/out" | tr '\n' ' ')" \
  "stable 7 0 0 " "json summary"
expect_eq "$(jq -r '.assignments[] | select(.applicant == "ben") | "\(.program) \(.rank) \(.pgy1_program) \(.pgy1_rank)"' "$WORK/out")" \
  "DR-BAYLOR 1 PRE-PARK 2" "json assignment"
expect_exit 0 "$SP" match "$M/mock.csv" --format csv --out "$WORK/r.csv"
expect_eq "$(sed -n 2p "$WORK/r.csv")" "status,stable,,,,,,,," "csv status row"
expect_eq "$(grep '^applicant,eve,' "$WORK/r.csv")" "applicant,eve,DR-UTSW,1,eve+gus,,,,," "csv row"
expect_eq "$(grep -c '^program,' "$WORK/r.csv")" 6 "csv program rows"

# Program-proposing on a textbook case; refused with couples.
expect_exit 0 "$SP" match "$P/textbook/gi_1_6_5.rp" --format match --proposing programs
expect_out_equals <(grep -v '^#' "$P/textbook/gi_1_6_5.hopt.match")
expect_exit 2 "$SP" match "$M/mock.json" --proposing programs
expect_err_contains "program-proposing is defined for singles only"

# Bad input: file:line and exit 2.
printf 'r 0 1 7\np 1 1 0\n' >"$WORK/bad.rp"
expect_exit 2 "$SP" match "$WORK/bad.rp"
expect_err_contains "bad.rp:1: resident 0 ranks program 7, which is not declared"
printf 'r 8 0\nc 0 8 9 0 0\np 0 2 8 9\n' >"$WORK/member.rp"
expect_exit 2 "$SP" match "$WORK/member.rp"
expect_err_contains "member.rp:2: resident 8 is in a couple (line 2) and has its own r line (line 1)"
printf 'type,id\nprogram,P,-2,,A\napplicant,A,P\n' >"$WORK/neg.csv"
expect_exit 2 "$SP" match "$WORK/neg.csv"
expect_err_contains "neg.csv:2: program 'P': capacity -2 must be >= 0"
printf 'type,id\nprogram,P,1,,A\napplicant,A,P,P\n' >"$WORK/dup.csv"
expect_exit 2 "$SP" match "$WORK/dup.csv"
expect_err_contains "dup.csv:3: applicant 'A' ranks program 'P' twice"
printf '{"programs": [{"id": "P", "capacity": 1, "ranks": ["A"]}],\n "applicants": [{"id": "A", "ranks": ["Q"]}]}\n' >"$WORK/unknown.json"
expect_exit 2 "$SP" match "$WORK/unknown.json"
expect_err_contains "unknown.json: applicants[0].ranks[0]: applicant 'A' ranks program 'Q', which is not declared"
printf '{"programs": [\n  {"id": "P" "capacity": 1}]}\n' >"$WORK/syntax.json"
expect_exit 2 "$SP" match "$WORK/syntax.json"
expect_err_contains "syntax.json:2:"
expect_exit 2 "$SP" match "$WORK/instance.txt"
expect_err_contains "no known extension"
expect_exit 1 "$SP" match "$WORK/missing.rp"
expect_exit 2 "$SP" match "$M/mock.json" --format xml
expect_exit 2 "$SP" match
expect_exit 0 "$SP" match --help

# --check: the peers' unstable regression matching is rejected, the right one accepted.
expect_exit 1 "$SP" match "$P/regression/unsorted_hold_list.rp" \
  --check "$P/regression/unsorted_hold_list.jdm_unstable.match"
expect_eq "$(head -1 "$WORK/out")" "unstable: 1 blocking pair or invalid assignment" "check verdict"
expect_exit 0 "$SP" match "$P/regression/unsorted_hold_list.rp" \
  --check "$P/regression/unsorted_hold_list.ropt.match"
expect_eq "$(head -1 "$WORK/out")" "stable: a valid matching with no blocking pair" "check ok"
expect_exit 0 "$SP" match "$M/mock.json" --check "$WORK/json.match" --format json
expect_eq "$(jq -r .stable "$WORK/out")" "true" "check json"

# Couples: try3 (Roth-Peranson cycles; the search finds the stable matching) and an
# instance with no stable matching at all.
expect_exit 0 "$SP" match "$P/smsuite/try3.rp" --format match --out "$WORK/try3.match"
expect_exit 0 "$SP" match "$P/smsuite/try3.rp" --check "$WORK/try3.match"
printf 'c 0 0 1 0 1\nr 3 2 0\nr 4 1 2\np 0 1 3 0\np 1 1 1 4\np 2 1 4 3\n' >"$WORK/none.rp"
expect_exit 1 "$SP" match "$WORK/none.rp" --format match
expect_err_contains "no stable matching found: none exists"
expect_eq "$(cat "$WORK/out")" "m 0" "m 0 when none exists"
expect_exit 1 "$SP" match "$WORK/none.rp" --format json
expect_eq "$(jq -r .status "$WORK/out")" "no_stable_matching" "json status"

finish
