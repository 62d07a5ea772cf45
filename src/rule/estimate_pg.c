/*-------------------------------------------------------------------------
 *
 * estimate_pg.c
 *	  segment_estimate: how many rows of a relation a rule matches, without
 *	  counting them all.
 *
 * A rule over the row's own columns is estimated by the planner: the row
 * estimate of SELECT 1 FROM rel WHERE <segment_sql>, from pg_statistic and
 * the relation's size, in about a millisecond.
 *
 * The planner has no statistics of what a behavioural condition tests, an
 * aggregate of each customer's events: the HAVING of its sub-select gets a
 * default selectivity, the CASE of an aggregate that can be NULL is a SubPlan
 * at one half, and the number of customers with events comes from ANALYZE's
 * n_distinct of the source's key, often a third of the truth.  On the bench
 * CRM its estimates were up to 21 times off.  So a rule with a behavioural
 * condition is counted on a Bernoulli sample of the relation instead,
 *
 *	 SELECT count(*) FROM rel s TABLESAMPLE bernoulli (100 f) REPEATABLE (0)
 *	 WHERE segment_match(rule, s.*, as_of)
 *
 * and the estimate is the count divided by f, the Horvitz-Thompson estimator
 * of a Bernoulli sample: unbiased, its relative standard error
 * sqrt((1 - f) / m) for m matches expected, whatever the rule.  The rule is
 * inlined as in any query, so the conditions on the row run first and its
 * sub-selects are SubPlans that the planner runs as a probe per sampled
 * customer (an index on the source's key serves it) or as one hashed pass
 * over the source, whichever it costs less for the sample's size.
 *
 * The sample grows fourfold, from about 1,000 rows to
 * segmentation.estimate_sample_rows (a sample of the same seed at a larger
 * fraction holds the smaller one), and stops at the first with at least 100
 * matches, a relative standard error of at most 10%: a large audience costs
 * about 1,000 evaluations, a small one up to the limit.  With no match at all
 * a sample of part of the relation says only that the audience is small,
 * below 3 / f with 95% confidence: the planner's estimate is returned, at
 * most that.  A sample of all of it (f = 1) is the exact count.  A view or
 * foreign table, which TABLESAMPLE cannot read, and
 * segmentation.estimate_sample_rows = 0 keep the planner's estimate.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "catalog/pg_class.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "tcop/tcopprot.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "bind_pg.h"
#include "rule_pg.h"

/* the first sample's size, its growth, and the matches that end sampling */
#define ESTIMATE_FIRST_SAMPLE 1000.0
#define ESTIMATE_GROWTH 4.0
#define ESTIMATE_ENOUGH_MATCHES 100

/* The planner's row estimate for the query sql, without running it. */
static double
planned_rows(const char *sql)
{
	List	   *raw = pg_parse_query(sql);
	List	   *queries;
	PlannedStmt *plan;

	if (list_length(raw) != 1)
		elog(ERROR, "segment_estimate built %d statements", list_length(raw));
	queries = pg_analyze_and_rewrite_fixedparams(linitial_node(RawStmt, raw), sql, NULL, 0, NULL);
	if (list_length(queries) != 1)
		elog(ERROR, "segment_estimate rewrote to %d queries", list_length(queries));
	plan = pg_plan_query(linitial_node(Query, queries), sql, 0, NULL);
	return plan->planTree->plan_rows;
}

/*
 * The rows of relation that match the rule on as_of, estimated from growing
 * Bernoulli samples by segment_match in the same schema as the calling
 * function fn_oid; planned is the planner's estimate, for a sample without
 * matches.
 */
static int64
sampled_estimate(Oid fn_oid, const char *relation, Datum rule, Datum as_of, double planned)
{
	double		rows = planned_rows(psprintf("SELECT 1 FROM %s", relation));
	double		limit = segmentation_estimate_sample_rows;
	double		target = Min(ESTIMATE_FIRST_SAMPLE, limit);
	const char *schema = quote_identifier(get_namespace_name(get_func_namespace(fn_oid)));
	Oid		   *fnargs;
	int			nfnargs;
	Oid			argtypes[2];
	Datum		values[2] = {rule, as_of};
	float4		percent;
	int64		matches;

	(void) get_func_signature(fn_oid, &fnargs, &nfnargs);
	argtypes[0] = fnargs[0];	/* segment_rule */
	argtypes[1] = TIMESTAMPTZOID;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	for (;;)
	{
		char	   *sql;
		bool		isnull;

		CHECK_FOR_INTERRUPTS();
		/* the fraction as TABLESAMPLE reads it: a real, in percent */
		percent = rows <= target ? 100.0f : (float4) (100.0 * target / rows);

		/*
		 * The rule as a constant over the whole row of the sampled table:
		 * segment_match's support function inlines it, so that the planner
		 * runs the conditions on the row first and a behavioural one only
		 * for the rows that pass them.
		 */
		sql = psprintf("SELECT pg_catalog.count(*) FROM %s AS segment_sampled "
					   "TABLESAMPLE pg_catalog.bernoulli (%.9g) REPEATABLE (0) "
					   "WHERE %s.segment_match($1, segment_sampled.*, $2)",
					   relation, (double) percent, schema);
		if (SPI_execute_with_args(sql, 2, argtypes, values, NULL, true, 1) != SPI_OK_SELECT ||
			SPI_processed != 1)
			elog(ERROR, "segment_estimate could not count a sample");
		matches = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
											  &isnull));
		SPI_freetuptable(SPI_tuptable);
		if (matches >= ESTIMATE_ENOUGH_MATCHES || percent >= 100.0f || target >= limit)
			break;
		target = Min(target * ESTIMATE_GROWTH, limit);
	}
	SPI_finish();
	if (matches == 0 && percent < 100.0f)
		return (int64) Min(rint(planned), ceil(3.0 * 100.0 / percent));
	return (int64) rint(matches * 100.0 / percent);
}

/*
 * segment_estimate(rule, regclass [, as_of]): the audience's size, from the
 * planner's statistics for a rule over columns, from a sample for a rule with
 * a behavioural condition (above).  Needs SELECT on the relation; a sample
 * is read with the caller's privileges, row-level security applying.
 */
PG_FUNCTION_INFO_V1(segment_estimate);
Datum
segment_estimate(PG_FUNCTION_ARGS)
{
	Datum		rule = PG_GETARG_DATUM(0);
	Oid			relid = PG_GETARG_OID(1);
	Node	   *as_of = NULL;
	Datum		as_of_value = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	char	   *where;
	char	   *relation;
	char		relkind;
	double		planned;
	AclResult	acl;

	if (PG_NARGS() > 2)
	{
		as_of_value = PG_GETARG_DATUM(2);
		as_of = (Node *) makeConst(TIMESTAMPTZOID, -1, InvalidOid, sizeof(TimestampTz),
								   as_of_value, false, FLOAT8PASSBYVAL);
	}
	where = segment_rule_sql(rule, relid, fcinfo->flinfo->fn_oid, as_of);
	acl = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT);
	relkind = get_rel_relkind(relid);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, get_relkind_objtype(relkind), get_rel_name(relid));
	relation = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
										  get_rel_name(relid));
	planned = planned_rows(psprintf("SELECT 1 FROM %s WHERE %s", relation, where));
	if (segmentation_estimate_sample_rows > 0 &&
		(relkind == RELKIND_RELATION || relkind == RELKIND_MATVIEW ||
		 relkind == RELKIND_PARTITIONED_TABLE) &&
		rule_has_behaviour(segment_rule_tree(rule)))
		PG_RETURN_INT64(sampled_estimate(fcinfo->flinfo->fn_oid, relation, rule, as_of_value,
										 planned));
	PG_RETURN_INT64((int64) rint(planned));
}
