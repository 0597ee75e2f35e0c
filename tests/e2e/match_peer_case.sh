#!/usr/bin/env bash
# One peer case of tests/fixtures/peer-cases (see its README), run through the real binary.
# usage: match_peer_case.sh SMARTPICK CASE.rp
#   - X.ropt.match present: `smartpick match X.rp --format match` equals it exactly (comments
#     and blank lines of the stored file aside); X.hopt.match present: the same with
#     --proposing programs.
#   - otherwise (couples, or singles with only other tools' matchings): the output is
#     either a matching that `--check` finds stable, or `m 0` with "no stable matching
#     found" on stderr and exit 1. Either way within 5 s (SP_PEER_LIMIT_MS overrides, for
#     sanitizer builds).
#   - every other stored X.*.match is checked with --check: "*unstable*" files must be
#     rejected (exit 1), the rest (verified by matchvf) accepted.
set -u
SP=${1:?usage: match_peer_case.sh SMARTPICK CASE.rp}
RP=${2:?usage: match_peer_case.sh SMARTPICK CASE.rp}
base=${RP%.rp}
WORK=$(mktemp -d /tmp/sp-peer-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
strip() { grep -v -e '^#' -e '^[[:space:]]*$' "$1"; }

for mode in ropt hopt; do
  want=$base.$mode.match
  [ -f "$want" ] || continue
  side=applicants
  [ "$mode" = hopt ] && side=programs
  if "$SP" match "$RP" --format match --proposing "$side" >"$WORK/out" 2>"$WORK/err"; then
    if diff <(strip "$want") "$WORK/out" >"$WORK/diff"; then ok; else
      bad "$mode: output differs from $want"; head -10 "$WORK/diff" >&2; fi
  else
    bad "$mode: exit $?"; cat "$WORK/err" >&2
  fi
done

if [ ! -f "$base.ropt.match" ]; then
  t0=$EPOCHREALTIME
  "$SP" match "$RP" --format match --out "$WORK/out.match" 2>"$WORK/err"
  rc=$?
  ms=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%d", (b - a) * 1000}')
  limit=${SP_PEER_LIMIT_MS:-5000}
  if [ "$ms" -lt "$limit" ]; then ok; else bad "took $ms ms (limit $limit)"; fi
  if [ "$rc" -eq 0 ]; then
    if "$SP" match "$RP" --check "$WORK/out.match" >"$WORK/chk" 2>&1 && grep -q '^stable' "$WORK/chk"
    then ok; else bad "our matching is not verified stable"; cat "$WORK/chk" >&2; fi
    echo "stable matching found in $ms ms"
  elif [ "$rc" -eq 1 ] && grep -q 'no stable matching found' "$WORK/err" &&
       [ "$(strip "$WORK/out.match")" = "m 0" ]; then
    ok
    echo "no stable matching found, reported in $ms ms: $(cat "$WORK/err")"
  else
    bad "exit $rc without a clear status"; cat "$WORK/err" >&2
  fi
fi

for other in "$base".*.match; do
  [ -f "$other" ] || continue
  case $other in *.ropt.match | *.hopt.match) continue ;; esac
  "$SP" match "$RP" --check "$other" >"$WORK/chk" 2>&1
  rc=$?
  case $other in
    *unstable*)
      if [ "$rc" -eq 1 ] && grep -q '^unstable' "$WORK/chk"; then ok; else
        bad "checker accepted $other"; cat "$WORK/chk" >&2; fi ;;
    *)
      if [ "$rc" -eq 0 ]; then ok; else bad "checker rejected $other"; cat "$WORK/chk" >&2; fi ;;
  esac
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
