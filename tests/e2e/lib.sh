# Helpers for end-to-end tests: source after setting SP (the binary) and SRC.
# Each test script runs in its own temporary directory, removed on exit.
set -u
SP=${1:?usage: test_X.sh SMARTPICK_BINARY SOURCE_DIR}
SRC=${2:?usage: test_X.sh SMARTPICK_BINARY SOURCE_DIR}
WORK=$(mktemp -d /tmp/sp-e2e-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export XDG_DATA_HOME="$WORK/xdg"   # never touch the user's database
DB="$WORK/sp.db"
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# expect_exit CODE CMD...: run CMD (stdout -> $WORK/out, stderr -> $WORK/err).
expect_exit() {
  local want=$1; shift
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else
    bad "exit $got, want $want: $*"; sed 's/^/  stderr: /' "$WORK/err" >&2; fi
}

# expect_err_contains TEXT: the last command's stderr contains TEXT.
expect_err_contains() {
  if grep -qF -- "$1" "$WORK/err"; then ok; else
    bad "stderr lacks '$1'"; sed 's/^/  stderr: /' "$WORK/err" >&2; fi
}

# expect_out_equals FILE: the last command's stdout equals FILE byte for byte.
expect_out_equals() {
  if cmp -s "$WORK/out" "$1"; then ok; else
    bad "stdout differs from $1"; diff "$1" "$WORK/out" | head -20 >&2; fi
}

# expect_rejects CMD JSON TEXT: `smartpick CMD --db $DB FILE`, FILE holding JSON, exits 2
# with TEXT on stderr.
expect_rejects() {
  printf '%s' "$2" >"$WORK/rejected.json"
  expect_exit 2 "$SP" "$1" --db "$DB" "$WORK/rejected.json"
  expect_err_contains "$3"
}

# expect_eq GOT WANT WHAT
expect_eq() {
  if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', want '$2'"; fi
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
