#!/usr/bin/env bash
# mpi_sim (registered only with -DSP_MPI=ON): smartpick-mpi-sim on 2 ranks gives the
# same bytes as the threaded `smartpick simulate` for the same seed (JSON and text),
# including an odd replication count that splits unevenly.
set -euo pipefail
sp=$1
mpisim=$2
mpirun=${3:-mpirun}
[ -n "$mpirun" ] && [ "$mpirun" != "MPIEXEC_EXECUTABLE-NOTFOUND" ] || mpirun=mpirun
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/sp.db
export OMPI_MCA_rmaps_base_oversubscribe=1

"$sp" simulate --replications 5 --seed 11 --threads 2 --format json --db "$db" >"$tmp/single.json"
"$mpirun" --allow-run-as-root --oversubscribe -n 2 \
    "$mpisim" --replications 5 --seed 11 --threads 1 --format json --db "$db" --out "$tmp/mpi.json"
cmp "$tmp/single.json" "$tmp/mpi.json" || { echo "mpi_sim: JSON differs"; diff "$tmp/single.json" "$tmp/mpi.json" | head -20; exit 1; }

"$sp" simulate --replications 3 --seed 7 --threads 1 --db "$db" >"$tmp/single.txt"
"$mpirun" --allow-run-as-root --oversubscribe -n 2 \
    "$mpisim" --replications 3 --seed 7 --db "$db" >"$tmp/mpi.txt"
cmp "$tmp/single.txt" "$tmp/mpi.txt" || { echo "mpi_sim: text differs"; exit 1; }

# Bad options: a usage error, exit status 2, and nothing on stdout.
set +e
"$mpirun" --allow-run-as-root --oversubscribe -n 2 "$mpisim" --replications 0 >"$tmp/bad.out" 2>"$tmp/bad.err"
st=$?
set -e
[ "$st" -ne 0 ] || { echo "mpi_sim: --replications 0 accepted"; exit 1; }
[ ! -s "$tmp/bad.out" ] || { echo "mpi_sim: output on a usage error"; exit 1; }
# A model file that breaks a rule: every rank stops, exit status 2, the rule on stderr.
jq '.reference.share_geo = 1.5' "$(dirname "$0")/../../data/model.json" >"$tmp/badmodel.json"
set +e
"$mpirun" --allow-run-as-root --oversubscribe -n 2 "$mpisim" --replications 2 --db "$db" \
    --model "$tmp/badmodel.json" >"$tmp/badm.out" 2>"$tmp/badm.err"
st=$?
set -e
[ "$st" -eq 2 ] || { echo "mpi_sim: bad model exit $st, want 2"; exit 1; }
grep -q "share_geo 1.5 must satisfy" "$tmp/badm.err" || { echo "mpi_sim: bad model message"; cat "$tmp/badm.err"; exit 1; }
[ ! -s "$tmp/badm.out" ] || { echo "mpi_sim: output on a bad model"; exit 1; }
echo "mpi_sim: ok"
