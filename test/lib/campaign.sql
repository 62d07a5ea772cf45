-- A simulated campaign over the customers of test/lib/crm.sql, with a known
-- true effect, for the experiment workflow of doc/experiments.md and the
-- demo report (test/demo/report/50_experiment.sql).  Run after crm.sql, with
-- the extension installed.  It only adds a table: every table crm.sql and
-- events.sql make stays as it was, and its random numbers come from a stream
-- of its own (hashint8extended seed 1801, used nowhere else).
--
--   campaign_outcomes(customer_id, converted)
--
-- The spring sale went to the saved segment of customers reachable by email
-- (consent_email and not unsubscribed), split by
-- segment_variant(customer_id, 'spring-sale', '{0.5,0.5}') into a holdout
-- (variant 0) and the campaign (variant 1).  Each of them has one outcome
-- row: 10% convert whatever happens; the campaign adds 10 points for the
-- plan 'pro' and nothing for any other plan.  That is the truth the lift
-- table should find.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP TABLE IF EXISTS campaign_outcomes;

CREATE TABLE campaign_outcomes (
	customer_id bigint PRIMARY KEY,
	converted   boolean NOT NULL
);

INSERT INTO campaign_outcomes
SELECT customer_id,
	   ((hashint8extended(customer_id, 1801) >> 11) & 9007199254740991)::float8 / 9007199254740992.0
		   < 0.10 + CASE WHEN plan = 'pro'
							  AND segment_variant(customer_id, 'spring-sale', '{0.5,0.5}') = 1
						 THEN 0.10 ELSE 0 END
FROM customers
WHERE consent_email AND NOT unsubscribed;

ANALYZE campaign_outcomes;
