# Sourced by the node-driven tests (tests/browser/run.sh, tests/lint/run.sh):
# need_node_package TEST DIR PACKAGE exits 77 (ctest SKIP_RETURN_CODE) when node is
# missing and 1 when `npm ci --prefix tests/<DIR's name>` has not installed PACKAGE in DIR.
need_node_package() {
  local test=$1 dir=$2 package=$3
  if ! command -v node >/dev/null 2>&1; then
    echo "$test: SKIP: node is not installed (apt-get install nodejs npm)"
    exit 77
  fi
  if [ ! -f "$dir/node_modules/$package/package.json" ]; then
    echo "$test: $package is missing: run 'npm ci --prefix tests/${dir##*/}' first" >&2
    exit 1
  fi
}
