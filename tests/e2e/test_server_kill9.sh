#!/usr/bin/env bash
# The database survives `kill -9` mid-write: writers POST plans in a loop, the
# server is killed with SIGKILL while they run, restarted on the same file; the
# database passes PRAGMA integrity_check and every plan whose POST got 201 is
# there, whole. Three rounds, so the kill lands at different points of a write.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
EX="$SRC/examples"
WRITERS=3
ROUNDS=3

# A small plan keeps each write quick, so more of them are in flight at the kill.
jq '{name: "w", profile: ., options: {max_applications: 12}}' "$EX/ir-moderate.json" >"$WORK/plan.body"

# writer K ROUND: POST plans until the server is gone; record "ID NAME" of each 201.
writer() {
  local k=$1 round=$2 i=0 code
  while :; do
    i=$((i + 1))
    jq --arg n "r$round-w$k-$i" '.name = $n' "$WORK/plan.body" >"$WORK/w$k.body"
    code=$(curl -s -o "$WORK/w$k.out" -w '%{http_code}' -H "$JSON" \
           --data-binary "@$WORK/w$k.body" "$U/api/v1/plans" 2>/dev/null)
    case "$code" in
      201) echo "$(jq -r .id "$WORK/w$k.out") r$round-w$k-$i" >>"$WORK/committed" ;;
      000) return ;; # connection refused or reset: the server is gone
    esac
  done
}

: >"$WORK/committed"
for round in $(seq "$ROUNDS"); do
  start_server "$DB"
  before=$(wc -l <"$WORK/committed")
  pids=""
  for k in $(seq "$WRITERS"); do
    writer "$k" "$round" &
    pids="$pids $!"
  done
  # Kill once a few writes of this round have committed (at most ~60 s).
  for _ in $(seq 600); do
    [ $(($(wc -l <"$WORK/committed") - before)) -ge $((2 + round)) ] && break
    sleep 0.1
  done
  sleep "0.$((RANDOM % 10))"
  kill -9 "$SRV_PID"
  wait "$SRV_PID" 2>/dev/null
  SRV_PID=""
  for p in $pids; do wait "$p"; done
  n=$(($(wc -l <"$WORK/committed") - before))
  [ "$n" -gt 0 ] && ok || bad "round $round: no plan was committed before the kill"

  expect_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok "round $round: integrity_check"
  # Reopen through the server: every committed plan is there, whole.
  start_server "$DB"
  missing=0
  while read -r id name; do
    req GET "/api/v1/plans/$id"
    if [ "$STATUS" != 200 ] || [ "$(jq -r .name "$WORK/body")" != "$name" ] ||
       ! jq -e '.plan.programs | length > 0' "$WORK/body" >/dev/null; then
      missing=$((missing + 1))
      echo "  lost: plan $id ($name): status $STATUS" >&2
    fi
  done <"$WORK/committed"
  expect_eq "$missing" 0 "round $round: committed plans lost"
  # No half-written row: every stored plan document is complete JSON.
  expect_eq "$(sqlite3 "$DB" 'SELECT count(*) FROM saved_plan WHERE NOT json_valid(plan_json) OR NOT json_valid(profile_json) OR NOT json_valid(options_json)')" \
    0 "round $round: partial rows"
  req GET /api/v1/plans
  expect_eq "$(jq '.plans | length' "$WORK/body")" "$(sqlite3 "$DB" 'SELECT count(*) FROM saved_plan')" \
    "round $round: the list shows every row"
  stop_server
done
echo "committed before kills: $(wc -l <"$WORK/committed") plans in $ROUNDS rounds"

finish
