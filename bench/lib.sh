# Shared by the wall-time benchmarks (bench/cli.sh, bench/plan.sh), sourced from the
# repository root after `set -euo pipefail`:
#   bench_build FILE...  builds the bench preset when any FILE is not an executable
#   TMP                  a temporary directory, removed on exit
#   ms CMD...            the wall time in ms of one run of CMD (bash's EPOCHREALTIME)
#   stats                median, min and max of the times on standard input
bench_build() {
  local f
  for f in "$@"; do
    if [ ! -x "$f" ]; then
      cmake --preset bench >/dev/null && cmake --build --preset bench >/dev/null
      return
    fi
  done
}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ms() { local t0=$EPOCHREALTIME; "$@" >/dev/null; local t1=$EPOCHREALTIME;
       awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) * 1000}'; }
stats() { sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms, min %.1f ms, max %.1f ms (n=%d)\n", a[int((NR+1)/2)], a[1], a[NR], NR}'; }
