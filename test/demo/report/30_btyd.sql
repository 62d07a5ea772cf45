-- BTYD summaries of the sample CRM at the end of as_of, in weeks: what the
-- CLV models read, per repeat-purchase bucket.
-- btyd_summary counts whole days: any time on the as_of day means that day
\set asof_day 'TIMESTAMPTZ ''' :as_of ''''
\echo
\echo == BTYD summaries (weeks) at the end of :as_of, by repeat purchases
SELECT CASE WHEN (s).frequency = 0 THEN '0'
			WHEN (s).frequency < 5 THEN '1-4'
			WHEN (s).frequency < 20 THEN '5-19'
			ELSE '20+' END AS "repeat purchase days",
	   count(*) AS customers,
	   round(avg((s).recency)::numeric, 1) AS "avg recency",
	   round(avg((s).t)::numeric, 1) AS "avg age T",
	   round(avg((s).monetary) FILTER (WHERE (s).frequency > 0)::numeric, 2) AS "avg repeat-day spend"
FROM (SELECT btyd_summary(ordered_at, amount, :asof_day, '7 days') AS s
	  FROM orders GROUP BY customer_id) x
WHERE s IS NOT NULL
GROUP BY 1 ORDER BY min((s).frequency);
