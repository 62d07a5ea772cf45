#!/usr/bin/env bash
# META.json against the PGXN meta spec 1.0.0 (its required keys, value
# shapes and semver versions), checked with jsonb in the test cluster so that
# no other tool is needed; and its version against segmentation.control.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
control=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$top/segmentation.control")
got=$(psql -qAtX -v ON_ERROR_STOP=1 -v meta="$(cat "$top/META.json")" -v control="$control" <<'SQL' 2>&1
WITH m AS (SELECT :'meta'::jsonb AS j),
semver AS (SELECT '^\d+\.\d+\.\d+(-[0-9A-Za-z-]+)?$' AS re),
problems AS (
	SELECT 'missing ' || k FROM m, unnest(ARRAY['name', 'abstract', 'maintainer', 'license', 'provides', 'version', 'meta-spec']) k
	 WHERE NOT j ? k
	UNION ALL SELECT 'meta-spec version is not 1.0.0' FROM m WHERE j #>> '{meta-spec,version}' IS DISTINCT FROM '1.0.0'
	UNION ALL SELECT 'version is not semver' FROM m, semver WHERE NOT (j ->> 'version') ~ re
	UNION ALL SELECT 'version differs from segmentation.control' FROM m WHERE j ->> 'version' <> :'control'
	UNION ALL SELECT 'name is not segmentation' FROM m WHERE j ->> 'name' <> 'segmentation'
	UNION ALL SELECT 'provides.' || key || ' lacks abstract or semver version' FROM m, semver, jsonb_each(j -> 'provides')
	 WHERE NOT value ? 'abstract' OR NOT coalesce(value ->> 'version' ~ re, false)
	UNION ALL SELECT 'license is not a known PGXN licence' FROM m
	 WHERE NOT j ->> 'license' = ANY (ARRAY['agpl_3', 'apache_2_0', 'bsd', 'gpl_3', 'lgpl_3_0', 'mit', 'mozilla_2_0', 'postgresql', 'open_source', 'unrestricted'])
	UNION ALL SELECT 'release_status is not stable, testing or unstable' FROM m
	 WHERE j ? 'release_status' AND NOT j ->> 'release_status' = ANY (ARRAY['stable', 'testing', 'unstable']))
SELECT coalesce(string_agg(p, '; '), '') FROM problems p(p);
SQL
)
if [ -z "$got" ]; then echo "ok - META.json follows the PGXN meta spec 1.0.0 and matches the control file"; else echo "not ok - META.json: $got"; fi
