#!/usr/bin/env bash
# Lint of the web app: run.sh SOURCE_DIR
#
# eslint (eslint.config.js: undefined names, unused variables, == for ===, innerHTML, the
# files' shared format) over web/*.js and the node scripts of tests/browser and tests/lint,
# then check_imports.mjs (pages import only shared modules, no import cycle, every import
# resolves, localStorage only in state.js). eslint is pinned in package-lock.json and installed
# by `npm ci --prefix tests/lint`. Exits 77 (ctest SKIP_RETURN_CODE) only when node is missing;
# a missing `npm ci` is a failure.
set -u
src=${1:?usage: run.sh SOURCE_DIR}
case ${BASH_SOURCE[0]} in */*) here=${BASH_SOURCE[0]%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)

. "$here/../node_package.sh"
need_node_package web_lint "$here" eslint
cd "$src" || exit 1

status=0
node "$here/node_modules/eslint/bin/eslint.js" --config "$here/eslint.config.js" --max-warnings 0 \
  web tests/browser/*.mjs tests/lint/*.mjs tests/lint/*.js \
  || status=1
node "$here/check_imports.mjs" web || status=1
if [ "$status" -eq 0 ]; then
  echo "web_lint: passed (eslint, check_imports)"
fi
exit "$status"
