#!/usr/bin/env bash
# The docs cannot rot: every ```sql block of README.md and doc/*.md runs, in
# the order of its file, against the sample CRM of `make demo` (5,000
# customers with their orders and events, as of 2026-06-30, and the simulated
# campaign of test/lib/campaign.sql), one database per
# file, so that a block may use what an earlier block of its file created.
# A block fenced ```sql norun is skipped (it needs what the demo lacks: a
# second server, pg_cron, tables of the reader's own); the count of those is
# printed.  A block that fails prints its error and the block.  The role
# `marketing` that the consent recipes grant to is created for the run (roles
# are not part of a database); files a block writes (\copy) go to a temporary
# directory.  A statement of a block that ends in `; -- N` (a count, commas
# allowed) states its result: it is run again alone and must print N.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/test/lib/suite.sh"
template=seg_docs_template
work=$(mktemp -d /tmp/segmentation-docs.XXXXXX)
trap 'rm -rf "$work"' EXIT

fresh_db $template
made_role=$(psql -qAtX -c "SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'marketing')")
[ "$made_role" = t ] && psql -qX -c 'CREATE ROLE marketing NOLOGIN' >/dev/null
cd "$work"
if ! psql -qAtX -v ON_ERROR_STOP=1 -d $template -c 'CREATE EXTENSION segmentation' \
		-v customers=5000 -v as_of=2026-06-30 -f "$top/test/lib/crm.sql" \
		-v as_of=2026-06-30 -f "$top/test/lib/events.sql" \
		-f "$top/test/lib/campaign.sql" >"$work/load.out" 2>&1; then
	echo "not ok - loading the sample CRM into the template database"
	sed 's/^/# /' "$work/load.out" | head -20
	exit 1
fi

skipped=0
for doc in "$top"/README.md "$top"/doc/*.md; do
	name=${doc#"$top"/}
	db=seg_docs_$(basename "$doc" .md | tr -c 'a-z0-9\n' _)
	psql -qX -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db TEMPLATE $template" >/dev/null
	rm -f "$work"/block.*
	# one file per block, named by the line its fence opens on; norun blocks
	# are counted in a file of their own
	awk -v dir="$work" '
		!inblock && /^```sql[ \t]*$/ { inblock = 1; out = sprintf("%s/block.%06d", dir, NR); printf "" > out; next }
		!inblock && /^```sql[ \t]+norun[ \t]*$/ { inblock = 2; print NR >> (dir "/norun"); next }
		inblock && /^```[ \t]*$/ { if (inblock == 1) close(out); inblock = 0; next }
		inblock == 1 { print > out }
	' "$doc"
	if [ -f "$work/norun" ]; then
		skipped=$((skipped + $(wc -l <"$work/norun")))
		rm -f "$work/norun"
	fi
	for block in "$work"/block.*; do
		[ -f "$block" ] || continue
		line=$((10#${block##*.}))
		if out=$(psql -qX -v ON_ERROR_STOP=1 -d $db -f "$block" 2>&1) && ! grep -q '^psql:.*error' <<<"$out"; then
			echo "ok - $name:$line runs"
			# statements ending in "; -- N": each alone must print N
			perl -ne '
				$s .= $_;
				if (/;\s*--\s*([0-9][0-9,]*)\s*$/) {
					(my $n = $1) =~ tr/,//d;
					(my $q = $s) =~ s/--\s*[0-9][0-9,]*\s*$//;
					$q =~ s/^(\s*--[^\n]*\n)+//;
					$q =~ s/\n/ /g;
					print "$n\t$q\n";
					$s = "";
				} elsif (/;\s*(--.*)?$/) { $s = ""; }
			' "$block" >"$work/stated"
			while IFS=$'\t' read -r want query; do
				got=$(psql -qAtX -d $db -c "$query" 2>&1)
				result "$name:$line states $want for: ${query:0:90}" "$got" "$want"
			done <"$work/stated"
		else
			echo "not ok - $name:$line fails:"
			grep -E 'ERROR|DETAIL|HINT|^psql:' <<<"$out" | head -5 | sed 's/^/#   /'
			sed 's/^/#   | /' "$block" | head -15
		fi
	done
	psql -qX -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
done
echo "# $skipped blocks fenced sql norun were not run"
psql -qX -c "DROP DATABASE IF EXISTS $template WITH (FORCE)" >/dev/null
[ "$made_role" = t ] && psql -qX -c 'DROP ROLE marketing' >/dev/null
exit 0
