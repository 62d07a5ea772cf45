-- segmentation 0.1.0 -> 0.2.0
--
-- Takes a database at 0.1.0 (releases/segmentation--0.1.0.sql) to what
-- src/ installs for 0.2.0.  Every change of 0.2.0 extends this one script,
-- in the order of the commits that made them; test/ops/upgrade.sh checks
-- that the result equals a fresh install and that stored values survive.

\echo Use "ALTER EXTENSION segmentation UPDATE TO '0.2.0'" to load this file. \quit
