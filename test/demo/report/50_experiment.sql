-- Experiments over the sample CRM (README, chapter "Experiments"): a split of
-- every customer into control (variant 0) and campaign (variant 1), a
-- simulated campaign whose true effect is known (+6 points of conversion for
-- the plan 'pro', none for the others), and the lift per segment with
-- Benjamini-Hochberg adjusted p-values.

-- 0. planning: customers per group to see +6 points on a 10% base rate
SELECT segment_sample_size(0.10, 0.06) AS per_group_for_6_points,
	   segment_sample_size(0.10, 0.02) AS per_group_for_2_points;

-- 1. assignment: stable for every customer, the same split a
-- GrowthBook-instrumented application makes for experiment 'spring-sale'
CREATE TEMP TABLE spring_sale AS
SELECT customer_id, plan AS segment,
	   segment_variant(customer_id, 'spring-sale', '{0.5,0.5}') AS variant
FROM customers;

-- the split matches the weights: Pearson's chi-square (1 degree of freedom;
-- above 3.84 would be suspicious at the 5% level)
WITH split AS (
	SELECT variant, count(*) AS customers, (ARRAY[0.5, 0.5])[variant + 1] AS weight
	FROM spring_sale GROUP BY variant),
expected AS (SELECT *, weight * sum(customers) OVER () AS expected FROM split)
SELECT variant, customers, weight, round(expected) AS expected,
	   round(sum((customers - expected) ^ 2 / expected) OVER ()::numeric, 3) AS chi_square
FROM expected ORDER BY variant;

-- 2. the campaign's outcome, simulated: 10% convert, +6 points for 'pro'
-- customers who got the campaign
CREATE TEMP TABLE spring_sale_outcome AS
SELECT customer_id,
	   u < 0.10 + CASE WHEN segment = 'pro' AND variant = 1 THEN 0.06 ELSE 0 END AS converted
FROM spring_sale,
	 LATERAL (SELECT ((hashint8extended(customer_id, 101) >> 11) & 9007199254740991)::float8
					 / 9007199254740992.0 AS u) r;

-- 3. lift per segment: one GROUP BY, the campaign's row of each segment,
-- p-values adjusted across the segments
SELECT segment, r.n, round(r.mean::numeric, 4) AS rate,
	   round(r.lift::numeric, 4) AS lift,
	   format('[%s, %s]', round(r.lift_lower::numeric, 4), round(r.lift_upper::numeric, 4)) AS ci95,
	   round(r.p_value::numeric, 4) AS p,
	   round(segment_p_adjust(r.p_value) OVER ()::numeric, 4) AS p_adjusted
FROM (SELECT a.segment, segment_lift_conversion(a.variant, o.converted) AS results
	  FROM spring_sale a JOIN spring_sale_outcome o USING (customer_id)
	  GROUP BY a.segment) s,
	 unnest(s.results) r
WHERE r.variant = 1
ORDER BY segment;
