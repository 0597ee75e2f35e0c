#!/usr/bin/env bash
# End-to-end browser test of the web app: run.sh SMARTPICK_BINARY SOURCE_DIR
#
# Drives Debian's /usr/bin/chromium with playwright-core (tests/browser/package.json,
# installed by `npm ci --prefix tests/browser`; no browser download). Exits 77 (ctest
# SKIP_RETURN_CODE) only when chromium or node is missing; a missing `npm ci` is a failure.
# Screenshots go to a temporary directory and, when SP_SCREENSHOT_DIR is set, there too.
set -u
bin=${1:?usage: run.sh SMARTPICK_BINARY SOURCE_DIR}
src=${2:?usage: run.sh SMARTPICK_BINARY SOURCE_DIR}
case ${BASH_SOURCE[0]} in */*) here=${BASH_SOURCE[0]%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)

if [ ! -x /usr/bin/chromium ]; then
  echo "browser_plan: SKIP: /usr/bin/chromium is not installed (apt-get install chromium)"
  exit 77
fi
. "$here/../node_package.sh"
need_node_package browser_plan "$here" playwright-core
if [ ! -x "$bin" ]; then
  echo "browser_plan: $bin is not an executable" >&2
  exit 1
fi

exec node "$here/plan.test.mjs" "$bin" "$src"
