-- audience: segment_membership_trigger in one session (entries, exits,
-- deletes, key changes, the history it keeps) and its errors (notifications,
-- whose payloads carry times, and concurrency are in test/ops/live_membership.sh;
-- catalogues are in rule_match.sql).
CREATE TABLE people (id int PRIMARY KEY, country text, score int);
CREATE TABLE segments (name text PRIMARY KEY, priority int NOT NULL, rule segment_rule NOT NULL);
INSERT INTO segments VALUES ('dach', 1, 'country in (''DE'', ''AT'')'), ('high', 2, 'score >= 70');
CREATE TABLE membership (customer_key text NOT NULL, segment text NOT NULL,
						 entered_at timestamptz NOT NULL, left_at timestamptz);
CREATE TRIGGER m AFTER INSERT OR UPDATE OR DELETE ON people
	FOR EACH ROW EXECUTE FUNCTION segment_membership_trigger('segments', 'membership', 'id', 'people_segments');
CREATE FUNCTION pg_temp.state() RETURNS TABLE (customer_key text, segment text, open boolean) LANGUAGE sql AS $$
	SELECT customer_key, segment, left_at IS NULL FROM membership ORDER BY customer_key, segment, entered_at
$$;
INSERT INTO people VALUES (1, 'DE', 80), (2, 'FR', 10), (3, 'AT', 20);
SELECT * FROM pg_temp.state();
UPDATE people SET score = 90 WHERE id = 3;		-- 3 enters high
UPDATE people SET country = 'FR' WHERE id = 1;	-- 1 leaves dach
UPDATE people SET score = score WHERE id = 2;	-- nothing changes
SELECT * FROM pg_temp.state();
UPDATE people SET id = 30 WHERE id = 3;			-- a new key: 3 leaves all, 30 enters
DELETE FROM people WHERE id = 1;				-- 1 leaves all
SELECT * FROM pg_temp.state();
BEGIN;
UPDATE people SET score = 99 WHERE id = 2;
ROLLBACK;										-- no trace of 2 entering high
SELECT count(*) FILTER (WHERE customer_key = '2') AS rows_for_2 FROM membership;

-- errors
CREATE TABLE other (id int, x int);
CREATE TRIGGER bad AFTER INSERT ON other FOR EACH ROW EXECUTE FUNCTION segment_membership_trigger('segments');
INSERT INTO other VALUES (1, 1);
DROP TRIGGER bad ON other;
CREATE TRIGGER bad AFTER INSERT ON other FOR EACH ROW EXECUTE FUNCTION segment_membership_trigger('nosuch', 'membership', 'id');
INSERT INTO other VALUES (1, 1);
DROP TRIGGER bad ON other;
CREATE TRIGGER bad AFTER INSERT ON other FOR EACH ROW EXECUTE FUNCTION segment_membership_trigger('segments', 'membership', 'nokey');
INSERT INTO other VALUES (1, 1);
DROP TRIGGER bad ON other;
CREATE TRIGGER bad AFTER INSERT ON other FOR EACH ROW EXECUTE FUNCTION segment_membership_trigger('segments', 'membership', 'id');
INSERT INTO other VALUES (1, 1);

-- leave the database as found (the regress tests share it)
DROP TABLE people, segments, membership, other;
