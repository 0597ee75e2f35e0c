#!/usr/bin/env bash
# Capture every user-facing output of SmartPick for the checked-in examples: plan, assess,
# fit, rank, match, programs, specialties, simulate and the help texts, in every text format
# (XLSX aside: its zip container carries timestamps). Writes one file per output into OUTDIR.
# Used by tests/golden/compare.sh (a ctest) against tests/golden/expected/, which was
# captured before the layout change of issue 13, so a refactor that changes a byte fails.
# usage: capture.sh SMARTPICK OUTDIR
set -euo pipefail
bin=$1
out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
db=$(mktemp -d)/golden.db
trap 'rm -rf "$(dirname "$db")"' EXIT
sp() { "$bin" "$@" --db "$db"; }
run() { # name, then the command; stdout and the exit status are captured
    local name=$1
    shift
    local rc=0
    "$@" >"$out/$name" 2>"$out/$name.err" || rc=$?
    echo "exit $rc" >>"$out/$name.err"
}
cd "$root"
for p in examples/*.json; do
    b=$(basename "$p" .json)
    case $b in *.rank) continue ;; esac
    for f in text json csv html; do
        run "plan.$b.$f" sp plan "$p" --format "$f"
    done
    run "plan.$b.match.json" sp plan "$p" --objective match --format json
    run "plan.$b.mincost.txt" sp plan "$p" --objective min-cost --target 0.9
    run "plan.$b.budget.json" sp plan "$p" --budget-usd 800 --min DR=5 --max IM=10 --format json
    for f in text json; do
        run "assess.$b.$f" sp assess "$p" --format "$f"
        run "fit.$b.$f" sp fit "$p" --format "$f"
    done
done
for f in text json; do
    run "rank.ir-moderate.$f" sp rank examples/ir-moderate.rank.json --format "$f"
    run "specialties.$f" sp specialties --format "$f"
done
for f in text json csv match; do
    run "match.mock-json.$f" "$bin" match tests/fixtures/match/mock.json --format "$f"
    run "match.mock-csv.$f" "$bin" match tests/fixtures/match/mock.csv --format "$f"
done
for f in table csv json; do
    run "programs.ir.$f" sp programs --specialty IR --format "$f"
    run "programs.near.$f" sp programs --near "Dallas, TX" --radius 300 --sort distance --format "$f"
done
run programs.ma-esir.text sp programs --state MA --esir
run simulate.text sp simulate --replications 4 --threads 2 --seed 3
run simulate.json sp simulate --replications 4 --threads 1 --seed 3 --format json
sp plan examples/ir-at-risk.json --format json --out "$(dirname "$db")/at-risk.plan.json" >/dev/null
run simulate.profile.json sp simulate --replications 4 --seed 5 --format json \
    --profile examples/ir-at-risk.json --plan "$(dirname "$db")/at-risk.plan.json"
run help.txt "$bin" --help
for c in plan programs specialties import assess fit rank calibrate match serve simulate; do
    run "help.$c.txt" "$bin" "$c" --help
done
# Bad input: the message and the exit status are part of the contract.
run bad.plan-missing.txt sp plan does-not-exist.json
run bad.plan-budget.txt sp plan examples/ir-moderate.json --budget-usd -5
run bad.plan-format.txt sp plan examples/ir-moderate.json --format pdf
run bad.programs-spec.txt sp programs --specialty XX
run bad.match-missing.txt "$bin" match does-not-exist.json
run match.peer.rp "$bin" match tests/fixtures/peer-cases/smsuite/$(ls tests/fixtures/peer-cases/smsuite | grep '\.rp$' | head -1) --format match
