# Helpers for the server's end-to-end tests: source after lib.sh. Starts the real
# binary on 127.0.0.1 with an ephemeral port and stops it when the script exits.
SRV_PID=""
PORT=""
U=""
JSON='Content-Type: application/json'

stop_server() {
  if [ -n "$SRV_PID" ] && kill -0 "$SRV_PID" 2>/dev/null; then
    kill -TERM "$SRV_PID" 2>/dev/null
    wait "$SRV_PID" 2>/dev/null
  fi
  SRV_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# start_server DB [ARGS...]: start, wait for "listening on http://127.0.0.1:PORT"
# (up to 60 s: sanitizer builds load slowly), set PORT and U.
start_server() {
  local db=$1; shift
  : >"$WORK/srv.out"
  "$SP" serve --port 0 --db "$db" "$@" >"$WORK/srv.out" 2>>"$WORK/srv.err" &
  SRV_PID=$!
  PORT=""
  for _ in $(seq 1 600); do
    PORT=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$WORK/srv.out")
    [ -n "$PORT" ] && break
    kill -0 "$SRV_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$PORT" ]; then
    echo "FAIL: the server did not start" >&2
    sed 's/^/  server: /' "$WORK/srv.err" >&2
    exit 1
  fi
  U="http://127.0.0.1:$PORT"
}

# req METHOD PATH [CURL ARGS...]: body -> $WORK/body, headers -> $WORK/hdr,
# status -> $STATUS. PATH is sent as is (no dot-segment folding).
req() {
  local method=$1 path=$2; shift 2
  STATUS=$(curl -s --path-as-is -X "$method" -o "$WORK/body" -D "$WORK/hdr" \
           -w '%{http_code}' "$@" "$U$path")
}

# post PATH FILE [CURL ARGS...]: POST FILE as JSON.
post() {
  local path=$1 file=$2; shift 2
  req POST "$path" -H "$JSON" --data-binary "@$file" "$@"
}

# expect_status WANT WHAT
expect_status() {
  if [ "$STATUS" = "$1" ]; then ok; else
    bad "$2: status $STATUS, want $1"; head -c 400 "$WORK/body" | sed 's/^/  body: /' >&2; echo >&2; fi
}

# expect_error STATUS CODE WHAT [FIELD]: the status, a JSON error body with this
# code, a message, and the field (when given; "null" for none).
expect_error() {
  expect_status "$1" "$3"
  local code field msg
  code=$(jq -r '.error.code' "$WORK/body" 2>/dev/null)
  msg=$(jq -r '.error.message | length > 0' "$WORK/body" 2>/dev/null)
  expect_eq "$code" "$2" "$3: error code"
  expect_eq "$msg" true "$3: error message"
  if [ $# -ge 4 ]; then
    field=$(jq -r '.error.field // "null"' "$WORK/body" 2>/dev/null)
    expect_eq "$field" "$4" "$3: error field"
  fi
}

# header NAME: the value of a response header of the last request.
header() {
  tr -d '\r' <"$WORK/hdr" | awk -v n="$(echo "$1" | tr 'A-Z' 'a-z')" -F': ' \
    'tolower($1) == n {sub(/^[^:]*: /, ""); print; exit}'
}

expect_security_headers() {
  expect_eq "$(header Content-Security-Policy)" \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'" \
    "$1: Content-Security-Policy"
  expect_eq "$(header X-Content-Type-Options)" nosniff "$1: X-Content-Type-Options"
  expect_eq "$(header X-Frame-Options)" DENY "$1: X-Frame-Options"
  expect_eq "$(header Referrer-Policy)" no-referrer "$1: Referrer-Policy"
}
