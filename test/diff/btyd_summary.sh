#!/usr/bin/env bash
# Differential test of btyd_summary and btyd_holdout_summary against their
# definition in plain SQL (purchase days as dates in the session's TimeZone,
# spend per day summed in numeric, the first day left out of monetary):
# 100,000 customers with several orders a day, orders after as_of, NULL
# amounts and timestamps, under a TimeZone with daylight saving time, in days
# and in weeks.  Relative differences above 1e-12 count (the SQL side sums
# exactly in numeric); then parallel plans against serial, bit for bit.
set -uo pipefail
db=btyd_diff
export PGOPTIONS="-c client_min_messages=warning -c TimeZone=America/New_York"
. "$(dirname "$0")/../lib/suite.sh"
fresh_db
run -c 'CREATE EXTENSION segmentation' -c "
SELECT setseed(0.42);
CREATE TABLE orders AS
SELECT c, timestamptz '2024-01-01 00:00' + (random() * 800) * interval '1 day' AS t,
	   round((random() * 300)::numeric, 2) AS amount
FROM generate_series(1, 100000) c, generate_series(1, 1 + (c % 11)) k;
-- several orders on one day, NULLs
INSERT INTO orders SELECT c, date_trunc('day', t) + interval '23 hours 59 minutes', 1.25 FROM orders WHERE c % 7 = 0;
INSERT INTO orders SELECT c, NULL, 5 FROM generate_series(1, 100000, 13) c;
INSERT INTO orders SELECT c, timestamptz '2025-01-01', NULL FROM generate_series(1, 100000, 17) c;
ANALYZE orders;

CREATE FUNCTION ref(as_of timestamptz, unit float8) RETURNS TABLE (c int, frequency int, recency float8, t float8, monetary numeric)
LANGUAGE sql STABLE AS \$\$
	WITH d AS (
		SELECT c, t::date AS day, sum(amount) AS spend
		FROM orders WHERE t IS NOT NULL AND amount IS NOT NULL AND t::date <= as_of::date
		GROUP BY 1, 2),
	f AS (SELECT c, min(day) AS first, max(day) AS last, count(*) AS n, sum(spend) AS total FROM d GROUP BY c)
	SELECT f.c, (n - 1)::int, (last - first) / unit, (as_of::date - first) / unit,
		   CASE WHEN n > 1 THEN (total - d.spend) / (n - 1) ELSE 0 END
	FROM f JOIN d ON d.c = f.c AND d.day = f.first
\$\$;
" >/dev/null || { echo "not ok - setting up $db"; exit 1; }

differs() {	# a summary s against a reference row r
	echo "s IS NULL OR (s).frequency <> r.frequency OR abs((s).recency - r.recency) > 1e-12 * greatest(1, r.recency)
		  OR abs((s).t - r.t) > 1e-12 * greatest(1, r.t)
		  OR abs((s).monetary - r.monetary::float8) > 1e-12 * greatest(1, r.monetary::float8)"
}

for u in "1 day|1" "7 days|7"; do
	unit=${u%|*}; days=${u#*|}
	check "btyd_summary equals its SQL definition and records its unit, 100000 customers, unit $unit" "0" "
	SELECT count(*) FROM ref('2025-06-30 15:00', $days) r
	FULL JOIN (SELECT c, btyd_summary(t, amount, '2025-06-30 15:00', '$unit') AS s FROM orders GROUP BY c) x USING (c)
	WHERE r.c IS NULL AND x.s IS NOT NULL OR r.c IS NOT NULL AND ($(differs) OR (s).unit_days IS DISTINCT FROM $days)"
done

check "btyd_holdout_summary: calibration part equals btyd_summary at calibration_end" "0" "
SELECT count(*) FROM (SELECT c, btyd_holdout_summary(t, amount, '2025-01-31', '2025-06-30') AS h,
							 btyd_summary(t, amount, '2025-01-31') AS s FROM orders GROUP BY c) x
WHERE ((h).frequency, (h).recency, (h).t, (h).monetary, (h).unit_days) IS DISTINCT FROM ((s).frequency, (s).recency, (s).t, (s).monetary, (s).unit_days)"

check "btyd_holdout_summary: holdout days, spend per day and duration equal SQL" "0" "
WITH d AS (SELECT c, t::date AS day, sum(amount) AS spend FROM orders
		   WHERE t IS NOT NULL AND amount IS NOT NULL AND t::date > DATE '2025-01-31' AND t::date <= DATE '2025-06-30'
		   GROUP BY 1, 2),
	 h AS (SELECT c, count(*) AS n, avg(spend) AS mean FROM d GROUP BY c)
SELECT count(*) FROM (SELECT c, btyd_holdout_summary(t, amount, '2025-01-31', '2025-06-30') AS x FROM orders GROUP BY c) q
LEFT JOIN h USING (c)
WHERE (x) IS NOT NULL AND ((x).frequency_holdout <> coalesce(h.n, 0)
	OR abs((x).monetary_holdout - coalesce(h.mean, 0)::float8) > 1e-12 * greatest(1, coalesce(h.mean, 0)::float8)
	OR (x).duration_holdout <> 150)"

forced="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
		SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;"
q="SELECT c, btyd_summary(t, amount, '2025-06-30') AS s, btyd_holdout_summary(t, amount, '2025-01-31', '2025-06-30', '7 days') AS h FROM orders GROUP BY c"
fp="SELECT count(*) || ':' || md5(string_agg(x::text, '|' ORDER BY c)) FROM ($q) x"
a=$(run -c "SET max_parallel_workers_per_gather = 0" -c "$fp")
b=$(run -c "$forced SET enable_sort = off; SET work_mem = '512MB'" -c "$fp")
c=$(run -c "$forced SET enable_hashagg = off" -c "$fp")
d=$(run -c "SET force_parallel_mode = on" -c "$fp")
plan=$(run -c "$forced SET enable_hashagg = off" -c "EXPLAIN (COSTS OFF) $q")
if grep -q Partial <<<"$plan" && [ "$a" = "$b" ] && [ "$a" = "$c" ] && [ "$a" = "$d" ]; then
	echo "ok - parallel and partial aggregation give the serial summaries bit for bit ($a)"
else
	echo "not ok - parallel differs: serial $a, hash $b, sorted partial $c, force_parallel_mode $d"
	sed 's/^/# /' <<<"$plan"
fi
# Purchase days are the session's local dates in any zone: an order at t and
# an end at t + h, h from 0 to 48 hours, are T days apart exactly when SQL's
# dates are, in fixed-offset zones either side of UTC (as far as -11 and +14
# hours) and in two with a calendar, over 20,000 timestamps from 1981 to 2019.
for zone in UTC Etc/GMT+11 Etc/GMT-14 America/New_York Asia/Kolkata; do
	check "purchase days in $zone equal SQL's dates (20,000 order and end pairs)" "
SET TimeZone = '$zone';
SELECT count(*) FROM (
	SELECT t, h, btyd_summary(t, 1, t + h) AS s FROM (
		SELECT timestamptz '2000-01-01 00:00+00' + (i * 3607 + (i % 7) * 86400 * 1000) * interval '1 second' * (1 - 2 * (i % 2)) AS t,
			   (i * 7919 % 172800) * interval '1 second' AS h
		FROM generate_series(1, 20000) i) p GROUP BY t, h) x
WHERE (s).t IS DISTINCT FROM ((t + h)::date - t::date)::float8"
done
psql -qX -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
