-- RFM segments of the sample CRM: every customer with orders, scored by rank
-- (5 bins), named with the standard map.
\echo == RFM segments as of :as_of
WITH c AS (
	SELECT customer_id, (DATE :'as_of' - max(ordered_at)::date) AS recency,
		   count(*) AS frequency, sum(amount) AS monetary
	FROM orders WHERE ordered_at < DATE :'as_of' + 1 GROUP BY customer_id),
s AS (SELECT rfm_score(recency, frequency, monetary) OVER () AS s, monetary FROM c)
SELECT (s).segment AS segment, count(*) AS customers,
	   round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "share %",
	   round(avg(monetary), 2) AS "avg spend",
	   round(avg((s).recency)) AS "avg days since order",
	   round(avg((s).frequency), 1) AS "avg orders"
FROM s GROUP BY 1 ORDER BY avg(monetary) DESC;
