#!/usr/bin/env bash
# Repository rules the compiler cannot see: the core does no I/O and reads no
# environment; the core's subsystems depend on each other one way only; nobody calls a
# banned function; every .c includes banned.h.
set -u
root=${1:?usage: repo_rules.sh SOURCE_DIR}
cd "$root" || exit 2
fail=0
shopt -s nullglob
core_c=(core/*/*.c core/*/*.h include/smartpick/*.h include/smartpick/*/*.h)
all_c=(util/*.c core/*/*.c store/*.c format/*.c service/*.c cli/*.c server/*.c fuzz/*.c bench/*.c)

core_io=$(grep -nE '\b(printf|fprintf|puts|fputs|putchar|perror|exit|abort|getenv|fopen|sqlite3_[a-z_]+|json_[a-z_]+|MHD_[A-Za-z_]+)\s*\(' "${core_c[@]}" \
          | grep -v 'snprintf\|vsnprintf' || true)
if [ -n "$core_io" ]; then
  echo "core (core/, include/smartpick/) must not do I/O, exit, read the environment, or use SQLite/jansson/HTTP:"
  echo "$core_io"
  fail=1
fi

# The core's subsystems (core/README.md): catalog <- model <- plan; match alone; sim uses
# catalog, model and match. A subsystem includes only its own headers and those it may use.
declare -A may=([catalog]="catalog" [model]="catalog model" [plan]="catalog model plan"
                [match]="match" [sim]="catalog model match sim")
for sub in "${!may[@]}"; do
  for used in $(cat core/$sub/*.[ch] include/smartpick/$sub/*.h 2>/dev/null \
                | grep -o '#include "smartpick/[a-z]*/' | sed 's|.*smartpick/||; s|/||' | sort -u); do
    case " ${may[$sub]} " in
      *" $used "*) ;;
      *) echo "core/$sub may not include smartpick/$used/ (allowed: ${may[$sub]})"; fail=1 ;;
    esac
  done
done

banned=$(grep -nE '(^|[^_a-z])(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)\s*\(' \
         "${all_c[@]}" | grep -vE 'snprintf|vsnprintf|banned.h' || true)
if [ -n "$banned" ]; then
  echo "banned functions (util/banned.h) in use:"
  echo "$banned"
  fail=1
fi

for f in "${all_c[@]}"; do
  grep -q '#include "banned.h"' "$f" || { echo "$f: does not include banned.h"; fail=1; }
done

if [ "$fail" -eq 0 ]; then
  echo "repo rules: 3 passed, 0 failed"
fi
exit "$fail"
