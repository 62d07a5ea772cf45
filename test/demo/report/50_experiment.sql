-- Experiments over the sample CRM (doc/experiments.md): the spring sale of
-- test/lib/campaign.sql went to the saved segment of customers reachable by
-- email, half of them held out; its true effect is known (+10 points of
-- conversion for the plan 'pro', none for the others).  The lift per segment
-- with Benjamini-Hochberg adjusted p-values should find it in 'pro' alone.

-- 0. planning: customers per group to see +10 points on a 10% base rate
SELECT segment_sample_size(0.10, 0.10) AS per_group_for_10_points,
	   segment_sample_size(0.10, 0.02) AS per_group_for_2_points;

-- 1. the holdout: the saved segment the campaign went to, split into two
-- stable halves, the same split a GrowthBook-instrumented application makes
-- for experiment 'spring-sale'
CREATE TEMP TABLE spring_sale AS
SELECT customer_id, plan AS segment,
	   segment_variant(customer_id, 'spring-sale', '{0.5,0.5}') AS variant
FROM customers c
WHERE c @@ 'consent_email and not unsubscribed'::segment_rule;

-- the split matches the weights: Pearson's chi-square (1 degree of freedom;
-- above 3.84 would be suspicious at the 5% level)
WITH split AS (
	SELECT variant, count(*) AS customers, (ARRAY[0.5, 0.5])[variant + 1] AS weight
	FROM spring_sale GROUP BY variant),
expected AS (SELECT *, weight * sum(customers) OVER () AS expected FROM split)
SELECT variant, customers, weight, round(expected) AS expected,
	   round(sum((customers - expected) ^ 2 / expected) OVER ()::numeric, 3) AS chi_square
FROM expected ORDER BY variant;

-- 2. lift per segment: the campaign's outcomes joined, one GROUP BY, the
-- campaign's row of each segment, p-values adjusted across the segments
SELECT segment, r.n, round(r.mean::numeric, 4) AS rate,
	   round(r.lift::numeric, 4) AS lift,
	   format('[%s, %s]', round(r.lift_lower::numeric, 4), round(r.lift_upper::numeric, 4)) AS ci95,
	   round(r.p_value::numeric, 4) AS p,
	   round(segment_p_adjust(r.p_value) OVER ()::numeric, 4) AS p_adjusted,
	   CASE WHEN segment_p_adjust(r.p_value) OVER () < 0.05 THEN 'lift' ELSE '' END AS found
FROM (SELECT a.segment, segment_lift_conversion(a.variant, o.converted) AS results
	  FROM spring_sale a JOIN campaign_outcomes o USING (customer_id)
	  GROUP BY a.segment) s,
	 unnest(s.results) r
WHERE r.variant = 1
ORDER BY segment;
