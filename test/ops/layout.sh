#!/usr/bin/env bash
# The source layout keeps PostgreSQL's include rules: only .c files include
# postgres.h (first, before any other header), no header does; and no folder
# of ours on the include path has the name of a directory of the server's
# include path (src/common would shadow its common/ headers).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
bad=$(grep -l '#include "postgres.h"' src/*.h src/*/*.h 2>/dev/null | tr '\n' ' ')
if [ -z "$bad" ]; then echo "ok - no header includes postgres.h"; else echo "not ok - headers including postgres.h: $bad"; fi
late=""
for f in src/*.c src/*/*.c; do
	grep -q '#include "postgres.h"' "$f" || continue
	first=$(grep -m1 '^#include' "$f")
	[ "$first" = '#include "postgres.h"' ] || late="$late $f"
done
if [ -z "$late" ]; then echo "ok - every .c file that includes postgres.h includes it first"; else echo "not ok - postgres.h not first in:$late"; fi
server=$(pg_config --includedir-server)
clash=""
for d in src/*/; do
	d=$(basename "$d")
	[ -d "$server/$d" ] && clash="$clash $d"
done
if [ -z "$clash" ]; then echo "ok - no folder of src/ shadows a directory of the server's include path"; else echo "not ok - src/ folders named like server include directories:$clash"; fi
