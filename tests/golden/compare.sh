#!/usr/bin/env bash
# The golden test (issue 13): every example's text, JSON, CSV and HTML output, the help
# texts and the bad-input messages, byte for byte against tests/golden/expected/ (captured
# on main before the layout change). An intended change of output re-captures with
#   tests/golden/capture.sh build/release/cli/smartpick tests/golden/expected
# and says why in its commit.
# usage: compare.sh SMARTPICK
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
got=$(mktemp -d)
trap 'rm -rf "$got"' EXIT
"$here/capture.sh" "$1" "$got"
if ! diff -r "$here/expected" "$got" >"$got.diff"; then
    head -n 60 "$got.diff"
    echo "golden: outputs differ from tests/golden/expected (above)" >&2
    rm -f "$got.diff"
    exit 1
fi
rm -f "$got.diff"
echo "golden: $(ls "$here/expected" | wc -l) outputs byte-identical"
