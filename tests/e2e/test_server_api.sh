#!/usr/bin/env bash
# `smartpick serve`: every endpoint of docs/HTTP_API.md against the real binary on
# 127.0.0.1 (ephemeral port, temp database), the same documents as the CLI, the
# exports, saved profiles and plans, every error path with its status and JSON
# error, and the server still answering after all of them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
EX="$SRC/examples"
cli() { "$SP" "$1" --db "$DB" "${@:2}"; }

start_server "$DB"

# ---- health, assets, headers -------------------------------------------------
req GET /healthz
expect_status 200 "healthz"
expect_eq "$(jq -c . "$WORK/body")" '{"status":"ok"}' "healthz body"
expect_security_headers "healthz"
req HEAD /healthz
expect_status 200 "HEAD healthz"

req GET /
expect_status 200 "GET /"
expect_eq "$(header Content-Type)" "text/html; charset=utf-8" "index content type"
cmp -s "$WORK/body" "$SRC/web/index.html" && ok || bad "/ is not web/index.html"
expect_security_headers "index"
etag=$(header ETag)
req GET / -H "If-None-Match: $etag"
expect_status 304 "If-None-Match"
# Every embedded file, byte for byte, with its content type.
for f in "$SRC"/web/*; do
  name=${f#"$SRC"/web/}
  case "$name" in *.html) type="text/html; charset=utf-8" ;; *.js) type="text/javascript; charset=utf-8" ;;
    *.css) type="text/css; charset=utf-8" ;; *.svg) type="image/svg+xml" ;; *) type="" ;; esac
  req GET "/$name"
  expect_status 200 "GET /$name"
  cmp -s "$WORK/body" "$f" && ok || bad "/$name differs from web/$name"
  [ -n "$type" ] && expect_eq "$(header Content-Type)" "$type" "/$name content type"
done

# ---- the documents are the CLI's -----------------------------------------------
jq '{profile: .}' "$EX/ir-moderate.json" >"$WORK/mod.body"
post /api/v1/plan "$WORK/mod.body"
expect_status 200 "POST /plan"
expect_eq "$(header Content-Type)" "application/json" "plan content type"
cli plan "$EX/ir-moderate.json" --format json >"$WORK/plan.cli"
cmp -s "$WORK/body" "$WORK/plan.cli" && ok || bad "POST /plan differs from smartpick plan --format json"
cp "$WORK/body" "$WORK/plan.api"

jq '{profile: ., options: {budget_usd: 1500, objective: "match", max: {"IM": 5}, exclude: ["4162500001"], per_city: 2, pgy1: 10}}' \
  "$EX/ir-moderate.json" >"$WORK/opts.body"
post /api/v1/plan "$WORK/opts.body"
expect_status 200 "POST /plan with options"
cli plan "$EX/ir-moderate.json" --budget-usd 1500 --objective match --max IM=5 --exclude 4162500001 \
  --per-city 2 --pgy1 10 --format json >"$WORK/opts.cli"
cmp -s "$WORK/body" "$WORK/opts.cli" && ok || bad "POST /plan with options differs from the CLI with the same flags"

for ex in ir-at-risk do-applicant img-visa; do
  jq '{profile: .}' "$EX/$ex.json" >"$WORK/ex.body"
  post /api/v1/plan "$WORK/ex.body"
  cli plan "$EX/$ex.json" --format json | cmp -s - "$WORK/body" && ok || bad "POST /plan $ex differs from the CLI"
done

# Exports: content type, a download name, the CLI's bytes.
post "/api/v1/plan?format=csv" "$WORK/mod.body"
expect_status 200 "plan csv"
expect_eq "$(header Content-Type)" "text/csv; charset=utf-8" "csv content type"
expect_eq "$(header Content-Disposition)" 'attachment; filename="smartpick-plan.csv"' "csv disposition"
cli plan "$EX/ir-moderate.json" --format csv | cmp -s - "$WORK/body" && ok || bad "CSV export differs from the CLI"
post "/api/v1/plan?format=html" "$WORK/mod.body"
expect_status 200 "plan html"
expect_eq "$(header Content-Type)" "text/html; charset=utf-8" "html content type"
expect_eq "$(header Content-Disposition)" 'attachment; filename="smartpick-plan.html"' "html disposition"
cli plan "$EX/ir-moderate.json" --format html | cmp -s - "$WORK/body" && ok || bad "HTML export differs from the CLI"
post "/api/v1/plan?format=xlsx" "$WORK/mod.body"
expect_status 200 "plan xlsx"
expect_eq "$(header Content-Type)" "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" "xlsx content type"
expect_eq "$(header Content-Disposition)" 'attachment; filename="smartpick-plan.xlsx"' "xlsx disposition"
expect_eq "$(head -c 2 "$WORK/body")" PK "xlsx is a zip"
post "/api/v1/plan?format=pdf" "$WORK/mod.body"
expect_error 400 invalid "plan format pdf" format
post "/api/v1/plan?fromat=csv" "$WORK/mod.body"
expect_error 400 unknown_field "plan unknown query parameter" query

post /api/v1/assess "$WORK/mod.body"
expect_status 200 "POST /assess"
cli assess "$EX/ir-moderate.json" --format json | cmp -s - "$WORK/body" && ok || bad "POST /assess differs from the CLI"
post /api/v1/fit "$WORK/mod.body"
expect_status 200 "POST /fit"
cli fit "$EX/ir-moderate.json" --format json | cmp -s - "$WORK/body" && ok || bad "POST /fit differs from the CLI"
post /api/v1/profile/validate "$WORK/mod.body"
expect_status 200 "validate"
expect_eq "$(jq -c '[.ok, (.assumptions | type)]' "$WORK/body")" '[true,"array"]' "validate body"
jq '{profile: {schema: "smartpick.profile/1", applicant_type: "us_md"}}' -n >"$WORK/min.body"
post /api/v1/profile/validate "$WORK/min.body"
expect_eq "$(jq '.assumptions | length > 0' "$WORK/body")" true "validate lists the assumptions of a sparse profile"

jq --slurpfile p "$EX/ir-moderate.json" '.profile = $p[0]' "$EX/ir-moderate.rank.json" >"$WORK/rank.body"
post /api/v1/rank "$WORK/rank.body"
expect_status 200 "POST /rank"
cli rank "$EX/ir-moderate.rank.json" --format json | cmp -s - "$WORK/body" && ok || bad "POST /rank differs from the CLI"
post /api/v1/rank "$EX/ir-moderate.rank.json"
expect_error 400 invalid "rank with a profile path" profile

jq '{instance: .}' "$SRC/tests/fixtures/match/mock.json" >"$WORK/match.body"
post /api/v1/match "$WORK/match.body"
expect_status 200 "POST /match"
"$SP" match "$SRC/tests/fixtures/match/mock.json" --format json | cmp -s - "$WORK/body" && ok || bad "POST /match differs from the CLI"
jq '{instance: ., proposing: "programs"}' "$SRC/tests/fixtures/match/mock.json" >"$WORK/match2.body"
post /api/v1/match "$WORK/match2.body"
if jq -e '.couples | length > 0' "$SRC/tests/fixtures/match/mock.json" >/dev/null 2>&1; then
  expect_error 400 invalid "program-proposing with couples" proposing
else
  expect_status 200 "program-proposing"
fi
echo '{"instance": {"programs": 3}}' >"$WORK/bad.body"
post /api/v1/match "$WORK/bad.body"
expect_error 400 invalid "match instance with a bad programs list"
echo '{"instance": {}, "proposing": "hospitals"}' >"$WORK/bad.body"
post /api/v1/match "$WORK/bad.body"
expect_error 400 invalid "match proposing" proposing

# ---- programs and specialties --------------------------------------------------
req GET "/api/v1/programs?specialty=IR"
expect_status 200 "programs IR"
cli programs --specialty IR --format json | cmp -s - "$WORK/body" && ok || bad "programs?specialty=IR differs from the CLI"
req GET "/api/v1/programs?specialty=IR&specialty=DR&state=TX&state=OK"
cli programs --specialty IR --specialty DR --state TX --state OK --format json | cmp -s - "$WORK/body" \
  && ok || bad "programs with repeated parameters differs from the CLI"
req GET "/api/v1/programs?specialty=IR&state=XX"
expect_error 400 invalid "programs in an unknown state" state
expect_eq "$(jq -r .error.message "$WORK/body")" "state: 'XX' is not a US state code (e.g. TX)" "unknown state named"
req GET "/api/v1/programs?specialty=IR&near=Dallas,%20TX&radius=300"
cli programs --specialty IR --near "Dallas, TX" --radius 300 --format json | cmp -s - "$WORK/body" \
  && ok || bad "programs near Dallas differs from the CLI"
expect_eq "$(jq '[.programs[].distance_miles] | . == sort and all(. <= 300)' "$WORK/body")" true "sorted by distance, within the radius"
req GET "/api/v1/programs?zip=75390&radius=50&specialty=IR&sort=name"
cli programs --zip 75390 --radius 50 --specialty IR --sort name --format json | cmp -s - "$WORK/body" \
  && ok || bad "programs by ZIP differs from the CLI"
req GET "/api/v1/programs?division=west_south_central&esir=1&new=0&do_friendly=0"
cli programs --division west_south_central --esir --format json | cmp -s - "$WORK/body" \
  && ok || bad "programs esir in a division differs from the CLI"
req GET "/api/v1/programs?specialty=IM&format=csv"
expect_eq "$(header Content-Type)" "text/csv; charset=utf-8" "programs csv content type"
cli programs --specialty IM --format csv | cmp -s - "$WORK/body" && ok || bad "programs csv differs from the CLI"
req GET "/api/v1/programs?specialty=XR"
expect_error 400 invalid "programs bad specialty" specialty
req GET "/api/v1/programs?colour=red"
expect_error 400 unknown_field "programs unknown parameter" query
req GET "/api/v1/programs?radius=50"
expect_error 400 invalid "radius without a place" radius
req GET "/api/v1/programs?near=Dallas,%20TX&zip=75390"
expect_error 400 invalid "near and zip"
req GET "/api/v1/programs?near=Nowhere,%20TX"
expect_error 400 invalid "unknown city" near
req GET "/api/v1/programs?sort=size"
expect_error 400 invalid "bad sort" sort
req GET "/api/v1/programs?esir=maybe"
expect_error 400 invalid "bad flag" esir
req GET "/api/v1/programs?specialty=%zz"
expect_error 400 invalid "bad escape in the query" query

req GET /api/v1/specialties
expect_status 200 "specialties"
cli specialties --format json | cmp -s - "$WORK/body" && ok || bad "specialties differs from the CLI"

# ---- saved profiles ---------------------------------------------------------------
jq '{name: "Moderate IR", profile: .}' "$EX/ir-moderate.json" >"$WORK/p.body"
post /api/v1/profiles "$WORK/p.body"
expect_status 201 "create profile"
pid=$(jq -r .id "$WORK/body")
expect_eq "$(header Location)" "/api/v1/profiles/$pid" "profile Location"
expect_eq "$(jq -r '[.name, (.created_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"))] | @tsv' "$WORK/body")" \
  "Moderate IR	true" "created profile fields"
jq '{name: "At risk", profile: .}' "$EX/ir-at-risk.json" >"$WORK/p2.body"
post /api/v1/profiles "$WORK/p2.body"
pid2=$(jq -r .id "$WORK/body")
req GET /api/v1/profiles
expect_eq "$(jq -c '[.profiles[] | .name]' "$WORK/body")" '["At risk","Moderate IR"]' "profiles newest first"
req GET "/api/v1/profiles/$pid"
expect_status 200 "get profile"
expect_eq "$(jq -r '.name' "$WORK/body")" "Moderate IR" "got profile name"
# The stored profile is the same profile: it plans to the same bytes.
jq '{profile: .profile}' "$WORK/body" >"$WORK/again.body"
post /api/v1/plan "$WORK/again.body"
cmp -s "$WORK/body" "$WORK/plan.api" && ok || bad "a saved profile plans differently"
req DELETE "/api/v1/profiles/$pid"
expect_status 204 "delete profile"
req GET "/api/v1/profiles/$pid"
expect_error 404 not_found "deleted profile" id
req DELETE "/api/v1/profiles/$pid"
expect_error 404 not_found "delete twice" id
req GET /api/v1/profiles/abc
expect_error 404 not_found "profile id not a number" id
req GET /api/v1/profiles
expect_eq "$(jq '.profiles | length' "$WORK/body")" 1 "one profile left"
jq '{profile: .}' "$EX/ir-moderate.json" >"$WORK/noname.body"
post /api/v1/profiles "$WORK/noname.body"
expect_error 400 invalid "profile without a name" name
jq '{name: "", profile: .}' "$EX/ir-moderate.json" >"$WORK/noname.body"
post /api/v1/profiles "$WORK/noname.body"
expect_error 400 invalid "empty name" name
jq '{name: "x", profile: (. + {visa: "h9"})}' "$EX/ir-moderate.json" >"$WORK/badp.body"
post /api/v1/profiles "$WORK/badp.body"
expect_error 400 invalid "saving an invalid profile" profile.visa
req PUT "/api/v1/profiles/$pid2"
expect_error 405 method_not_allowed "PUT a profile"
expect_eq "$(header Allow)" "GET, HEAD, DELETE" "Allow of a profile"

# ---- saved plans ----------------------------------------------------------------
jq '{name: "Plan A", profile: ., options: {budget_usd: 2500}}' "$EX/ir-moderate.json" >"$WORK/pl.body"
post /api/v1/plans "$WORK/pl.body"
expect_status 201 "create plan"
plid=$(jq -r .id "$WORK/body")
expect_eq "$(header Location)" "/api/v1/plans/$plid" "plan Location"
jq '.plan' "$WORK/body" >"$WORK/saved.plan"
jq '{profile: .profile, options: .options}' "$WORK/pl.body" >"$WORK/pl2.body"
post /api/v1/plan "$WORK/pl2.body"
jq . "$WORK/body" | cmp -s - "$WORK/saved.plan" && ok || bad "the saved plan is not the plan computed"
jq '{name: "Plan B", profile: .}' "$EX/ir-at-risk.json" >"$WORK/pl3.body"
post /api/v1/plans "$WORK/pl3.body"
expect_status 201 "create plan B"
req GET /api/v1/plans
expect_status 200 "list plans"
expect_eq "$(jq -c '[.plans[].name]' "$WORK/body")" '["Plan B","Plan A"]' "plans newest first"
expect_eq "$(jq --slurpfile p "$WORK/saved.plan" '.plans[1] | .p_match_any == $p[0].p_match_any and .cost_usd == $p[0].cost_usd and .n_programs == ($p[0].programs | length)' "$WORK/body")" \
  true "plan list figures match the plan"
req GET "/api/v1/plans/$plid"
expect_status 200 "get plan"
expect_eq "$(jq -c '.options' "$WORK/body")" '{"budget_usd":2500}' "saved options"
jq '.plan' "$WORK/body" | cmp -s - "$WORK/saved.plan" && ok || bad "got plan differs from the saved one"
expect_eq "$(jq -r '.profile.name' "$WORK/body")" "IR applicant, moderately competitive" "saved plan's profile"
req DELETE "/api/v1/plans/$plid"
expect_status 204 "delete plan"
req GET "/api/v1/plans/$plid"
expect_error 404 not_found "deleted plan" id
req GET /api/v1/plans/99999999
expect_error 404 not_found "no such plan" id
jq '{name: "bad", profile: ., options: {budget_usd: 100}}' "$EX/ir-moderate.json" >"$WORK/bad.body"
post /api/v1/plans "$WORK/bad.body"
expect_error 400 invalid "plan over a too small budget" options.budget_usd
req GET /api/v1/plans
expect_eq "$(jq '.plans | length' "$WORK/body")" 1 "a refused plan is not saved"

# ---- every error path -------------------------------------------------------------
printf '{"profile": {"schema": "smartpick.profile/1",\n  "applicant_type": }' >"$WORK/bad.body"
post /api/v1/plan "$WORK/bad.body"
expect_error 400 bad_json "bad JSON" null
expect_eq "$(jq -r '.error.message | test("^line 2, column [0-9]+: ")' "$WORK/body")" true "bad JSON names line and column"
echo '{"profile": {}, "profile": {}}' >"$WORK/bad.body"
post /api/v1/assess "$WORK/bad.body"
expect_error 400 bad_json "duplicate key"
echo '[1, 2]' >"$WORK/bad.body"
post /api/v1/assess "$WORK/bad.body"
expect_error 400 invalid "body not an object"
: >"$WORK/empty.body"
post /api/v1/assess "$WORK/empty.body"
expect_error 400 bad_json "empty body"
jq '{profile: ., budget: 3}' "$EX/ir-moderate.json" >"$WORK/bad.body"
post /api/v1/plan "$WORK/bad.body"
expect_error 400 unknown_field "unknown top-level field" budget
jq '{profile: (. + {reserch: {}})}' "$EX/ir-moderate.json" >"$WORK/bad.body"
post /api/v1/assess "$WORK/bad.body"
expect_error 400 unknown_field "unknown profile field" profile.reserch
expect_eq "$(jq -r .error.message "$WORK/body")" "profile.reserch: unknown key (did you mean 'research'?)" "the CLI's suggestion"
jq '{profile: ., options: {budgt_usd: 2000}}' "$EX/ir-moderate.json" >"$WORK/bad.body"
post /api/v1/plan "$WORK/bad.body"
expect_error 400 unknown_field "unknown option" options.budgt_usd
jq '.research.publications = -2 | {profile: .}' "$EX/ir-moderate.json" >"$WORK/bad.body"
post /api/v1/assess "$WORK/bad.body"
expect_error 400 invalid "invalid profile value" profile.research.publications
expect_eq "$(jq -r .error.message "$WORK/body")" "profile.research.publications: -2 must be >= 0" "the CLI's message"
echo '{"options": {}}' >"$WORK/bad.body"
post /api/v1/plan "$WORK/bad.body"
expect_error 400 invalid "missing profile" profile
# The options: the CLI's rules and messages.
opt_error() { # opt_error OPTIONS_JSON FIELD MESSAGE
  jq --argjson o "$1" '{profile: ., options: $o}' "$EX/ir-moderate.json" >"$WORK/bad.body"
  post /api/v1/plan "$WORK/bad.body"
  expect_error 400 invalid "options $1" "$2"
  expect_eq "$(jq -r .error.message "$WORK/body")" "$3" "options $1: message"
}
opt_error '{"budget_usd": -5}' options.budget_usd "options.budget_usd: '-5' must be a number of dollars in (0, 100000]"
opt_error '{"budget_usd": "lots"}' options.budget_usd "options.budget_usd: 'lots' must be a number of dollars in (0, 100000]"
opt_error '{"budget_usd": 100}' options.budget_usd 'options.budget_usd: 100 does not cover the USMLE transcript and the PGY-1 applications ($245)'
opt_error '{"objective": "cheapest"}' options.objective "options.objective: 'cheapest' must be utility, match or min-cost"
opt_error '{"include": ["1400000000"]}' options.include "options.include: '1400000000' is not in the catalog"
opt_error '{"include": ["12"]}' "options.include[0]" "options.include[0]: '12' must be a 10-digit ACGME ID"
opt_error '{"min": {"XX": 3}}' options.min.XX "options.min.XX: 'XX' is not a specialty (did you mean IR?)"
opt_error '{"max": {"IM": -1}}' options.max.IM "options.max.IM: '-1' must be a count from 0 to 1000"
opt_error '{"max_applications": 2.5}' options.max_applications "options.max_applications: '2.5' must be a count from 1 to 2000"
opt_error '{"target": 1}' options.target "options.target: '1' must be a probability in (0, 1)"
opt_error '{"per_city": 0}' options.per_city "options.per_city: '0' must be a count from 1"
opt_error '{"pgy1": 101}' options.pgy1 "options.pgy1: '101' must be a count from 0 to 100"
opt_error '{"budget_usd": 2000, "max_applications": 20}' options.budget_usd "options.budget_usd, options.max_applications: give one budget"
opt_error '[1]' options "options: '[1]' must be an object"

# Body over the cap: refused from Content-Length, and when sent chunked.
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$WORK/big.body"
post /api/v1/plan "$WORK/big.body"
expect_error 413 too_large "body over 1 MiB"
expect_security_headers "413"
post /api/v1/plan "$WORK/big.body" -H "Transfer-Encoding: chunked"
expect_error 413 too_large "chunked body over 1 MiB"
# Just under the cap is read (and is bad JSON: all spaces).
head -c $((1024 * 1024 - 16)) /dev/zero | tr '\0' ' ' >"$WORK/big.body"
post /api/v1/plan "$WORK/big.body"
expect_error 400 bad_json "a body under the cap is read"

req POST /api/v1/plan -d '{"profile": {}}'
expect_error 415 unsupported_media_type "form-encoded body"
req POST /api/v1/plan -H 'Content-Type: text/plain' -d '{}'
expect_error 415 unsupported_media_type "text/plain body"
req POST /api/v1/plan -H 'Content-Type: application/json; charset=utf-8' --data-binary "@$WORK/mod.body"
expect_status 200 "JSON with a charset"

req GET /api/v1/plan
expect_error 405 method_not_allowed "GET /plan"
expect_eq "$(header Allow)" "POST" "Allow of /plan"
expect_security_headers "405"
req DELETE /api/v1/plans
expect_error 405 method_not_allowed "DELETE /plans"
expect_eq "$(header Allow)" "GET, HEAD, POST" "Allow of /plans"
req POST /index.html -H "$JSON" -d '{}'
expect_error 405 method_not_allowed "POST an asset"
expect_eq "$(header Allow)" "GET, HEAD" "Allow of an asset"

for path in /nope /api/v1/nope /api/v2/plan /api/v1/plans/ /api/v1/plan/extra /index.htm /web/index.html; do
  req GET "$path"
  expect_error 404 not_found "GET $path"
done
expect_security_headers "404"
# Path traversal, plain and encoded: a 404 in JSON, never a file.
for path in /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /..%2f..%2fetc/passwd \
            /%252e%252e/%252e%252e/etc/passwd /%2e%2e%2f%2e%2e%2fetc%2fpasswd /..%5c..%5cetc/passwd \
            /api/v1/../../etc/passwd /./index.html //etc/passwd /index.html%00.js /%00 /%zz /etc/passwd; do
  req GET "$path"
  expect_error 404 not_found "GET $path"
  grep -q "root:" "$WORK/body" && bad "GET $path returned /etc/passwd"
done
req GET / -H "Host: evil.example:$PORT"
expect_error 403 forbidden "a foreign Host (DNS rebinding)"

# After all of that, still serving.
req GET /healthz
expect_status 200 "healthz after the bad requests"
post /api/v1/plan "$WORK/mod.body"
cmp -s "$WORK/body" "$WORK/plan.api" && ok || bad "plans after the bad requests differ"
kill -0 "$SRV_PID" 2>/dev/null && ok || bad "the server died"

# SIGTERM stops it cleanly.
kill -TERM "$SRV_PID"
wait "$SRV_PID"
expect_eq "$?" 0 "exit status after SIGTERM"
SRV_PID=""
grep -q "SIGTERM, stopping" "$WORK/srv.err" && ok || bad "no stop message"

# --web-root: files of the asset table from disk; nothing else.
mkdir -p "$WORK/webroot"
cp "$SRC"/web/* "$WORK/webroot/" 2>/dev/null
echo "<!doctype html><title>dev copy</title>" >"$WORK/webroot/index.html"
echo "secret" >"$WORK/webroot/secret.txt"
start_server "$DB" --web-root "$WORK/webroot"
req GET /
expect_status 200 "web-root index"
cmp -s "$WORK/body" "$WORK/webroot/index.html" && ok || bad "--web-root does not serve the file on disk"
req GET /secret.txt
expect_error 404 not_found "a file outside the asset table"
req GET /../secret.txt
expect_error 404 not_found "traversal with --web-root"
stop_server

# Usage errors.
expect_exit 2 "$SP" serve --port 70000
expect_err_contains "port: '70000' must be a port from 0 to 65535"
expect_exit 2 "$SP" serve --bind nowhere --db "$DB"
expect_err_contains "bind: 'nowhere' must be an IPv4 or IPv6 address"
expect_exit 2 "$SP" serve --threads 0
expect_exit 2 "$SP" serve extra

finish
