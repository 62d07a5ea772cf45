#!/usr/bin/env bash
# Upgrades.  The install script of every released version is frozen in
# releases/ (never edited); the current version is default_version in
# segmentation.control.
#   1. If the current version is released, src/ must still generate its frozen
#      script byte for byte: otherwise the SQL changed without a version bump.
#   2. For every older release V: a database created with CREATE EXTENSION
#      segmentation VERSION 'V', holding a table of values of each of its
#      types (test/lib/typed_values.sql, shared with test/ops/dump.sh; a new
#      type adds its own table there), a view and indexes over them, and
#      brought forward with ALTER EXTENSION segmentation UPDATE has exactly
#      the objects of a fresh install of the current version
#      (test/lib/describe.sql, compared line by line), and its stored values
#      read back the same.
#   3. The comparison can fail: changing one thing at a time in a fresh install
#      (a function's cost, comment, ACL and settings, an aggregate, a type, an
#      enum, a composite, an operator, a cast, an operator family, membership,
#      the version) must each show up as a difference.
#   4. A simulated release, in an installation and cluster of the suite's own:
#      an older version "<current>-test" whose script differs from the current
#      one (an object the current version dropped, a changed cost and comment)
#      goes through step 2 with its complete upgrade script, and is caught
#      with an incomplete one.
set -uo pipefail
export PGOPTIONS="-c client_min_messages=warning"
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/test/lib/cluster.sh"
work=$(mktemp -d /tmp/seg-upgrade.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$top/segmentation.control")
# released versions: releases/segmentation--V.sql, oldest first
released=$(ls "$top/releases" 2>/dev/null | sed -n 's/^segmentation--\(.*\)\.sql$/\1/p' | grep -v -- -- | sort -V)

. "$top/test/lib/suite.sh"		# run, fresh_db, drop_db, result; no $db of its own
# the first lines of a diff, as TAP comments
show() { head -${2:-12} "$1" | cut -c1-240 | sed 's/^/#   /'; }

# describe DB FILE: the facts of test/lib/describe.sql; fails on an error or
# an empty description
describe() {
	run -d "$1" -f "$top/test/lib/describe.sql" >"$2" 2>"$2.err" && [ -s "$2" ] && [ ! -s "$2.err" ]
}

# same NAME A B: ok when the descriptions A and B have no difference
same() {
	local d=$work/diff
	diff "$2" "$3" >"$d"
	local n
	n=$(grep -c '^[<>]' "$d")
	if [ "$n" -eq 0 ]; then
		echo "ok - $1 ($(wc -l <"$2") lines, 0 differences)"
	else
		echo "not ok - $1: $n lines differ (< $(basename "$2"), > $(basename "$3"))"
		show "$d" 30
	fi
}

# differs NAME A B PATTERN: ok when A and B differ in a line containing PATTERN
differs() {
	local d=$work/diff
	diff "$2" "$3" >"$d"
	if grep '^[<>]' "$d" | grep -qF -- "$4"; then
		echo "ok - $1 (differences: $(grep -c '^[<>]' "$d") lines)"
	else
		echo "not ok - $1: no difference mentions '$4'"
		show "$d"
	fi
}

# store_values DB: the tables t_<type> (id, v) of values of each type of the
# extension and their indexes (test/lib/typed_values.sql, which test/ops/dump.sh
# shares; a new type adds its own table there), and a view calling extension
# functions, which an upgrade script must not break
store_values() {
	run -d "$1" -f "$top/test/lib/typed_values.sql" \
		-c "CREATE VIEW v_rfm AS SELECT id, (v).cell, rfm_segment((v).r, (v).f, (v).m) AS segment FROM t_rfm" >/dev/null
}

# the extension's types that no table column has (arrays count), at the
# extension's version in DB
untabled_types() {
	run -d "$1" -c "SELECT coalesce(string_agg(t.oid::regtype::text, ', ' ORDER BY 1), '')
		FROM pg_depend d JOIN pg_type t ON d.classid = 'pg_type'::regclass AND t.oid = d.objid
		WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
		  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'segmentation')
		  AND NOT EXISTS (SELECT FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
						  WHERE c.relkind = 'r' AND c.relname LIKE 't\_%' AND NOT a.attisdropped
							AND a.atttypid IN (t.oid, t.typarray))"
}

# values DB: per table and view of the test (not the extension's own
# configuration tables), the row count and an md5 of the rows' text;
# the definitions of the indexes and views.  A column of a composite type
# reads as its attributes that are not NULL (jsonb_strip_nulls(to_jsonb())):
# an attribute an update adds to a composite (btyd_summary's unit_days in
# 0.2.0) is NULL in the rows stored before, which then read the same.
values() {
	run -d "$1" <<'SQL'
SELECT format('SELECT %L || '' '' || count(*) || '' '' || md5(coalesce(string_agg(x::text, ''|'' ORDER BY x::text), '''')) FROM (SELECT %s FROM %I) x',
			  relname, (SELECT string_agg(CASE WHEN t.typtype = 'c' THEN format('jsonb_strip_nulls(to_jsonb(%I)) AS %I', a.attname, a.attname)
											   ELSE quote_ident(a.attname) END, ', ' ORDER BY a.attnum)
						FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
						WHERE a.attrelid = pg_class.oid AND a.attnum > 0 AND NOT a.attisdropped), relname)
FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v')
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
				  AND d.objid = pg_class.oid AND d.deptype = 'e')
ORDER BY relname \gexec
SELECT indexrelid::regclass || ' ' || pg_get_indexdef(indexrelid) FROM pg_index
WHERE indrelid::regclass::text LIKE 't\_%' ORDER BY 1;
SELECT 'view ' || c.oid::regclass || ' ' || pg_get_viewdef(c.oid) FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'v'
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
				  AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1;
SQL
}

# clv DB: what the stored CLV values compute: every stored model's
# predictions for every stored summary and holdout summary, and a fit of the
# stored summaries (0.1.0's summaries have no unit: they are read in the
# model's, and clv_fit is told it, as 0.1.0 read them)
clv() {
	run -d "$1" <<'SQL'
SELECT m.id, s.id, clv_estimate(m.v, s.v), clv_p_alive(m.v, s.v), clv_expected_purchases(m.v, s.v, 10),
	   clv_expected_spend(m.v, s.v)
FROM t_clv_model m, t_btyd_summary s WHERE m.v IS NOT NULL AND (s.v).t IS NOT NULL ORDER BY 1, 2;
SELECT m.id, h.id, clv_expected_purchases(m.v, h.v)
FROM t_clv_model m, t_btyd_holdout h WHERE m.v IS NOT NULL AND (h.v).t IS NOT NULL ORDER BY 1, 2;
SELECT clv_fit(v, 0.01, '7 days')::text FROM t_btyd_summary;
SQL
}

# update LABEL FROM DB: the extension at FROM in a fresh DB holding values,
# then ALTER EXTENSION UPDATE; describes DB into $work/updated and leaves
# the values before and after in $work/before and $work/after
update() {
	local label=$1 from=$2 target=$3 out path
	fresh_db "$target"
	if ! out=$(run -d "$target" -c "CREATE EXTENSION segmentation VERSION '$from'" 2>&1); then
		echo "not ok - $label: CREATE EXTENSION segmentation VERSION '$from': $out"
		return 1
	fi
	if ! out=$(store_values "$target" 2>&1); then
		echo "not ok - $label: storing values at $from: $out"
		return 1
	fi
	result "$label: every type of $from has a table of values" "$(untabled_types "$target")" ""
	values "$target" >"$work/before" 2>&1 || { echo "not ok - $label: reading the values: $(head -3 "$work/before")"; return 1; }
	clv "$target" >"$work/clv_before" 2>&1
	path=$(run -d "$target" -c "SELECT path FROM pg_extension_update_paths('segmentation')
							 WHERE source = '$from' AND target = '$current'")
	if ! out=$(run -d "$target" -c "ALTER EXTENSION segmentation UPDATE" 2>&1); then
		echo "not ok - $label: ALTER EXTENSION segmentation UPDATE from $from: $out"
		return 1
	fi
	result "$label: ALTER EXTENSION segmentation UPDATE goes from $from to $current (path $path)" \
		"$(run -d "$target" -c "SELECT extversion FROM pg_extension WHERE extname = 'segmentation'")" "$current"
	values "$target" >"$work/after" 2>&1 || { echo "not ok - $label: reading the values after the update: $(head -3 "$work/after")"; return 1; }
	clv "$target" >"$work/clv_after" 2>&1
	describe "$target" "$work/updated" || { echo "not ok - $label: describing the updated extension: $(cat "$work/updated.err")"; return 1; }
}

# 1. the guard: a released version's SQL does not change
built=$top/segmentation--$current.sql
frozen=$top/releases/segmentation--$current.sql
if [ -z "$current" ]; then
	echo "not ok - no default_version in segmentation.control"
	exit 1
elif [ ! -f "$built" ]; then
	echo "not ok - segmentation--$current.sql is not built: run make first"
elif [ ! -f "$frozen" ]; then
	echo "ok - $current is not released yet (no releases/segmentation--$current.sql), its SQL may still change"
elif cmp -s "$built" "$frozen"; then
	echo "ok - $current is released and src/ still generates releases/segmentation--$current.sql byte for byte"
else
	echo "not ok - the install SQL changed without a version bump: src/ no longer generates releases/segmentation--$current.sql (diff: $(diff "$frozen" "$built" | grep -c "^[<>]") lines). $current is released and frozen: set default_version in segmentation.control to the next version and write segmentation--$current--NEXT.sql with the changes"
	diff "$frozen" "$built" | grep '^[<>]' | head -10 | cut -c1-200 | sed 's/^/#   /'
fi

# every release and the current version are installed (the Makefile
# installs releases/ and builds the current script)
versions=$(echo $released $current | tr ' ' '\n' | LC_ALL=C sort -u | xargs)
installed=$(run -c "SELECT string_agg(version, ' ' ORDER BY version COLLATE \"C\") FROM pg_available_extension_versions
					WHERE name = 'segmentation' AND version = ANY (string_to_array('$versions', ' '))")
result "every released version and the current one are installed ($versions)" "$installed" "$versions"

# a fresh install of the current version, twice: the description has no
# OIDs or other accidents of one database
fresh_db seg_upgrade_fresh
fresh_db seg_upgrade_other
run -d seg_upgrade_fresh -c "CREATE EXTENSION segmentation" &&
	run -d seg_upgrade_other -c "CREATE EXTENSION segmentation" &&
	describe seg_upgrade_fresh "$work/fresh" && describe seg_upgrade_other "$work/other" ||
	{ echo "not ok - describing a fresh install: $(cat "$work"/*.err 2>/dev/null)"; exit 1; }
same "two fresh installs of $current describe the same" "$work/fresh" "$work/other"
notdescribed=$(grep -c '| member | yes, not described$' "$work/fresh")
result "every member of the extension is of a kind test/lib/describe.sql describes" "$notdescribed" 0
[ "$notdescribed" -eq 0 ] || grep '| member | yes, not described$' "$work/fresh" | head | sed 's/^/#   /'

# 2. every older release, updated, against the fresh install
older=0
for v in $released; do
	[ "$v" = "$current" ] && continue
	older=$((older + 1))
	update "from $v" "$v" seg_upgrade_old || continue
	same "from $v: the updated extension has the objects of a fresh install of $current" "$work/fresh" "$work/updated"
	same "from $v: the stored values, indexes and view read the same after the update" "$work/before" "$work/after"
	result "from $v: the stored CLV models and summaries compute ($(grep -c . "$work/clv_before") lines, no error)" \
		"$(grep -ci error "$work/clv_before")" 0
	same "from $v: every stored model's predictions for every stored summary, and a fit of them, are the same after the update" \
		"$work/clv_before" "$work/clv_after"
done
drop_db seg_upgrade_old
[ "$older" -eq 0 ] && echo "ok - # SKIP no older released version to update from (released: $(echo $released); current: $current)"

# 3. the comparison sees a change of each kind.  One member of each kind,
# found in the catalog; each change runs in a transaction that is rolled back.
member() {	# KIND: the first member of that kind, by name
	run -d seg_upgrade_other -c "
WITH m AS (SELECT classid, objid FROM pg_depend
		   WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
			 AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'segmentation'))
SELECT min(x) FROM (
	SELECT 'function', p.oid::regprocedure::text FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid WHERE p.prokind = 'f'
	UNION ALL SELECT 'aggregate', p.oid::regprocedure::text FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid WHERE p.prokind = 'a'
	UNION ALL SELECT 'base', t.oid::regtype::text FROM m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid WHERE t.typtype = 'b'
	UNION ALL SELECT 'enum', t.oid::regtype::text FROM m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid WHERE t.typtype = 'e'
	UNION ALL SELECT 'composite', t.oid::regtype::text FROM m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid WHERE t.typtype = 'c'
	UNION ALL SELECT 'operator', o.oid::regoperator::text FROM m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
	UNION ALL SELECT 'cast', c.oid::text FROM m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
	UNION ALL SELECT 'family', p.oid::text FROM m JOIN pg_amproc p ON m.classid = 'pg_opfamily'::regclass AND p.amprocfamily = m.objid
) s(kind, x) WHERE kind = '$1'"
}
f=$(member function)
agg=$(member aggregate)
base=$(member base)
enum=$(member enum)
composite=$(member composite)
op=$(member operator)
cast=$(member cast)
amproc=$(member family)
mutate() {	# NAME PATTERN SQL: SQL, run in seg_upgrade_other, shows as a difference mentioning PATTERN
	if [ -z "$3" ]; then
		echo "ok - # SKIP the comparison notices $1: the extension has no such member"
	elif run -d seg_upgrade_other -c "BEGIN" -c "$3" -f "$top/test/lib/describe.sql" -c "ROLLBACK" >"$work/changed" 2>"$work/changed.err"; then
		differs "the comparison notices $1" "$work/fresh" "$work/changed" "$2"
	else
		echo "not ok - the comparison notices $1: $3: $(cat "$work/changed.err")"
	fi
}
mutate "a function's cost" "| cost | 999" "${f:+ALTER FUNCTION $f COST 999}"
mutate "a function's comment" "| comment | 'changed'" "${f:+COMMENT ON FUNCTION $f IS 'changed'}"
mutate "a function's ACL" "| ACL |" "${f:+REVOKE EXECUTE ON FUNCTION $f FROM PUBLIC}"
mutate "a function's settings" "| configuration | {work_mem=1MB}" "${f:+ALTER FUNCTION $f SET work_mem = '1MB'}"
mutate "an aggregate's final-modify flag" "| aggregate final modify |" \
	"${agg:+UPDATE pg_aggregate SET aggfinalmodify = CASE aggfinalmodify WHEN 'r' THEN 's' ELSE 'r' END WHERE aggfnoid = '$agg'::regprocedure}"
mutate "a type's alignment" "| alignment |" \
	"${base:+UPDATE pg_type SET typalign = CASE typalign WHEN 'd' THEN 'i' ELSE 'd' END WHERE oid = '$base'::regtype}"
mutate "a new enum label" "| labels |" "${enum:+ALTER TYPE $enum ADD VALUE 'upgrade_test'}"
mutate "a new composite attribute" "upgrade_test integer" "${composite:+ALTER TYPE $composite ADD ATTRIBUTE upgrade_test int}"
mutate "an operator's hashes flag" "| hashes |" \
	"${op:+UPDATE pg_operator SET oprcanhash = NOT oprcanhash WHERE oid = '$op'::regoperator}"
mutate "a cast's context" "| context |" \
	"${cast:+UPDATE pg_cast SET castcontext = CASE castcontext WHEN 'e' THEN 'a' ELSE 'e' END WHERE oid = $cast}"
mutate "an operator family's support function" "operator family" \
	"${amproc:+UPDATE pg_amproc SET amprocnum = amprocnum + 10 WHERE oid = $amproc}"
mutate "an object leaving the extension" "| member | yes" "${f:+ALTER EXTENSION segmentation DROP FUNCTION $f}"
mutate "the version" "| version | upgrade-test" "UPDATE pg_extension SET extversion = 'upgrade-test' WHERE extname = 'segmentation'"

# and the values comparison sees a changed value
run -d seg_upgrade_other -c "CREATE TABLE t_segment_rule (id int, v segment_rule)" \
	-c "INSERT INTO t_segment_rule VALUES (1, 'a = 1')" >/dev/null
values seg_upgrade_other >"$work/values1" 2>&1
run -d seg_upgrade_other -c "UPDATE t_segment_rule SET v = 'a = 2'" >/dev/null
values seg_upgrade_other >"$work/values2" 2>&1
differs "the values comparison notices a changed value" "$work/values1" "$work/values2" "t_segment_rule"

# the function whose cost and comment the simulated release changes
fcost=
fcomment=
if [ -n "$f" ]; then
	fcost=$(run -d seg_upgrade_other -c "SELECT procost FROM pg_proc WHERE oid = '$f'::regprocedure")
	fcomment=$(run -d seg_upgrade_other -c "SELECT quote_nullable(obj_description('$f'::regprocedure, 'pg_proc'))")
fi
drop_db seg_upgrade_fresh
drop_db seg_upgrade_other

# 4. a simulated release in an installation of the suite's own, so that
# nothing is written into the one the other suites use
if [ -z "$f" ] || [ ! -f "$built" ]; then
	echo "ok - # SKIP simulated release: no function to change or no built script"
	exit 0
fi
sim=$current-test
bad=$current-test-incomplete
bindir=$(cd "$top" && bash test/lib/pgtree.sh "$work/root" 2>"$work/pgtree.err") ||
	{ echo "not ok - simulated release: staging an installation: $(cat "$work/pgtree.err")"; exit 0; }
extdir=$work/root$(pg_config --sharedir)/extension
{
	cat "$built"
	echo "-- the simulated older release $sim of test/ops/upgrade.sh"
	echo "CREATE FUNCTION upgrade_test_dropped() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 1';"
	echo "ALTER FUNCTION $f COST 999;"
	echo "COMMENT ON FUNCTION $f IS 'the comment of $sim';"
} >"$extdir/segmentation--$sim.sql"
cp "$extdir/segmentation--$sim.sql" "$extdir/segmentation--$bad.sql"
{
	echo "-- from the simulated release $sim to $current"
	echo "DROP FUNCTION upgrade_test_dropped();"
	echo "ALTER FUNCTION $f COST $fcost;"
	echo "COMMENT ON FUNCTION $f IS $fcomment;"
} >"$extdir/segmentation--$sim--$current.sql"
# the same, but it forgets the comment
head -3 "$extdir/segmentation--$sim--$current.sql" >"$extdir/segmentation--$bad--$current.sql"
(
	trap 'cluster_stop "$work/cluster"' EXIT
	SEG_CLUSTER_CONF="shared_buffers = '32MB'" cluster_start "$work/cluster" "$bindir" >/dev/null 2>"$work/cluster.err" ||
		{ echo "not ok - simulated release: starting a cluster: $(cat "$work/cluster.err")"; exit 0; }
	fresh_db seg_upgrade_fresh
	run -d seg_upgrade_fresh -c "CREATE EXTENSION segmentation" && describe seg_upgrade_fresh "$work/fresh" ||
		{ echo "not ok - simulated release: describing a fresh install"; exit 0; }
	if update "simulated release $sim" "$sim" seg_upgrade_old; then
		same "simulated release $sim: the updated extension has the objects of a fresh install of $current" "$work/fresh" "$work/updated"
		same "simulated release $sim: the stored values, indexes and view read the same after the update" "$work/before" "$work/after"
	fi
	if update "simulated release $bad" "$bad" seg_upgrade_old; then
		differs "simulated release $bad: the comparison catches the comment its upgrade script forgets" "$work/fresh" "$work/updated" "| comment | 'the comment of $sim'"
	fi
)
