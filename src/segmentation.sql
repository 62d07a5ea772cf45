-- segmentation: customer segmentation inside PostgreSQL.
-- This script is assembled by the Makefile from src/segmentation.sql and the
-- src/*/*.sql file of every feature, in that order.  Every object is created
-- in @extschema@ and every reference is schema-qualified, so that a hostile
-- search_path at CREATE EXTENSION time changes nothing.

\echo Use "CREATE EXTENSION segmentation" to load this file. \quit
