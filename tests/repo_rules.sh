#!/usr/bin/env bash
# Repository rules the compiler cannot see: the core does no I/O and reads no
# environment; nobody calls a banned function; every .c includes banned.h.
set -u
root=${1:?usage: repo_rules.sh SOURCE_DIR}
cd "$root" || exit 2
fail=0

core_io=$(grep -nE '\b(printf|fprintf|puts|fputs|putchar|perror|exit|abort|getenv|fopen|sqlite3_[a-z_]+|json_[a-z_]+|MHD_[A-Za-z_]+)\s*\(' lib/*.c include/smartpick/*.h 2>/dev/null \
          | grep -v 'snprintf\|vsnprintf' || true)
if [ -n "$core_io" ]; then
  echo "core (lib/, include/smartpick/) must not do I/O, exit, read the environment, or use SQLite/jansson/HTTP:"
  echo "$core_io"
  fail=1
fi

banned=$(grep -nE '(^|[^_a-z])(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)\s*\(' \
         util/*.c lib/*.c store/*.c render/*.c cli/*.c fuzz/*.c bench/*.c 2>/dev/null \
         | grep -vE 'snprintf|vsnprintf|banned.h' || true)
if [ -n "$banned" ]; then
  echo "banned functions (util/banned.h) in use:"
  echo "$banned"
  fail=1
fi

for f in util/*.c lib/*.c store/*.c render/*.c cli/*.c; do
  [ -e "$f" ] || continue
  grep -q '#include "banned.h"' "$f" || { echo "$f: does not include banned.h"; fail=1; }
done

if [ "$fail" -eq 0 ]; then
  echo "repo rules: 1 passed, 0 failed"
fi
exit "$fail"
