#!/usr/bin/env bash
# Catalogue comments and discoverability: every member object of the
# extension (pg_depend deptype 'e': functions, aggregates, types, operators,
# casts, tables, views, operator classes and families) has a COMMENT, which
# psql's \df+ and \dT+ and BI tools' object browsers show; the objects that
# lack one are printed.  segmentation_objects lists each member exactly once,
# with its comment as its description, and a role without any grant reads it.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=seg_comments
. "$top/test/lib/suite.sh"
fresh_db
run -c 'CREATE EXTENSION segmentation' >/dev/null || { echo "not ok - CREATE EXTENSION"; exit 1; }

members="SELECT d.classid, d.objid FROM pg_depend d JOIN pg_extension e
	ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
	WHERE e.extname = 'segmentation' AND d.deptype = 'e'"

missing=$(run -c "WITH m AS ($members)
	SELECT pg_describe_object(m.classid, m.objid, 0) FROM m
	 WHERE NOT EXISTS (SELECT 1 FROM pg_description x
					   WHERE x.classoid = m.classid AND x.objoid = m.objid AND x.objsubid = 0
						 AND btrim(x.description) <> '')
	 ORDER BY 1" 2>&1)
n=$(run -c "WITH m AS ($members) SELECT count(*) FROM m")
if [ -z "$missing" ] && [ "${n:-0}" -gt 100 ]; then
	echo "ok - every one of the extension's $n objects has a COMMENT"
else
	echo "not ok - $(grep -c . <<<"$missing") of the extension's $n objects have no COMMENT:"
	sed 's/^/#   /' <<<"$missing"
fi

# a composite type's fields and the view's columns are described too
missing=$(run -c "WITH m AS ($members)
	SELECT format('%s.%s', c.relname, a.attname) FROM m
	  JOIN pg_class c ON (m.classid = 'pg_class'::regclass AND c.oid = m.objid AND c.relkind = 'v')
	  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	 WHERE col_description(c.oid, a.attnum) IS NULL ORDER BY 1" 2>&1)
result "every column of the extension's views has a COMMENT" "$missing" ""

# segmentation_objects: each member once, its description the comment
check "segmentation_objects lists every member object exactly once, none unnamed" \
	"WITH m AS ($members) SELECT (SELECT count(*) FROM m) - (SELECT count(*) FROM segmentation_objects)
		+ (SELECT count(*) FROM segmentation_objects WHERE name IS NULL OR signature IS NULL)
		+ (SELECT count(*) FROM (SELECT kind, signature FROM segmentation_objects GROUP BY 1, 2 HAVING count(*) > 1) d)"
check "segmentation_objects: each function's description is its COMMENT" \
	"SELECT count(*) FROM pg_proc p JOIN segmentation_objects o
		ON o.signature = p.proname || '(' || pg_get_function_arguments(p.oid) || ') returns ' || pg_get_function_result(p.oid)
	 WHERE o.description IS DISTINCT FROM obj_description(p.oid, 'pg_proc')"
check "segmentation_objects: the kinds a reader looks for" \
	"aggregate|btyd_summary|t
base type|segment_rule|t
cast|text AS segment_rule|t
composite type|rfm|t
enum type|lifecycle_stage|t
operator|@@|t
view|segmentation_objects|t
window function|rfm_score|t" \
	"SELECT DISTINCT kind, name, description <> '' FROM segmentation_objects
	 WHERE (kind, name) IN (('aggregate', 'btyd_summary'), ('base type', 'segment_rule'), ('cast', 'text AS segment_rule'),
		('composite type', 'rfm'), ('enum type', 'lifecycle_stage'), ('operator', '@@'),
		('view', 'segmentation_objects'), ('window function', 'rfm_score')) ORDER BY 1"
check "segmentation_objects: an enum's labels and a composite's fields in the signature" \
	"lifecycle_stage ('prospect', 'new', 'active', 'loyal', 'at_risk', 'lapsed', 'reactivated')" \
	"SELECT signature FROM segmentation_objects WHERE kind = 'enum type' AND name = 'lifecycle_stage'"
run -c "DROP ROLE IF EXISTS seg_comments_reader" -c "CREATE ROLE seg_comments_reader" >/dev/null
check "a role without grants reads segmentation_objects" \
	"t" "SET ROLE seg_comments_reader; SELECT count(*) > 100 FROM segmentation_objects"
drop_db
psql -qX -c "DROP ROLE seg_comments_reader" >/dev/null
