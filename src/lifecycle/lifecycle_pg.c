/*-------------------------------------------------------------------------
 *
 * lifecycle_pg.c
 *	  Lifecycle stages in SQL: the policy value, the lifecycle_stage and
 *	  lifecycle_transitions aggregates over a customer's orders, and the
 *	  function over pre-aggregated figures.
 *
 * The aggregates keep the constant-size summary of stage.h (one per as_of:
 * one for lifecycle_stage, two for lifecycle_transitions), so their state is
 * a few dozen bytes per customer whatever the number of orders, and partial
 * states from parallel workers merge exactly.
 *
 * Windows are intervals read as PostgreSQL compares intervals (a month is
 * 30 days, a day 24 hours), and every rule compares an elapsed time with a
 * window, so stages do not depend on TimeZone: the functions are IMMUTABLE.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "core_pg.h"
#include "stage.h"

/* the attributes of the lifecycle_policy composite, in order */
#define POLICY_NATTS 5
static const char *const policy_names[POLICY_NATTS] = {
	"new_window", "active_window", "lapse_after", "loyal_orders", "loyal_window"
};

static const LifecyclePolicy default_policy = {
	30 * USECS_PER_DAY, 90 * USECS_PER_DAY, 365 * USECS_PER_DAY, 365 * USECS_PER_DAY, 5
};

/* An interval as a span of microseconds, as interval comparison reads it. */
static int64
interval_span(const Interval *iv)
{
#ifdef HAVE_INT128
	int128		span = (int128) iv->month * DAYS_PER_MONTH * USECS_PER_DAY +
		(int128) iv->day * USECS_PER_DAY + iv->time;

	if (span > PG_INT64_MAX)
		return PG_INT64_MAX;
	if (span < -PG_INT64_MAX)
		return -PG_INT64_MAX;
	return (int64) span;
#else
	long double span = (long double) iv->month * DAYS_PER_MONTH * USECS_PER_DAY +
		(long double) iv->day * USECS_PER_DAY + iv->time;

	return span > PG_INT64_MAX ? PG_INT64_MAX : span < -PG_INT64_MAX ? -PG_INT64_MAX : (int64) span;
#endif
}

static void
policy_check(const LifecyclePolicy *p)
{
	CoreError	err;

	if (!lifecycle_policy_check(p, &err))
		core_ereport(&err);
}

/* The policy of a lifecycle_policy composite value, validated. */
static LifecyclePolicy
policy_from_datum(Datum d)
{
	HeapTupleHeader tup = DatumGetHeapTupleHeader(d);
	LifecyclePolicy p;
	Datum		v[POLICY_NATTS];

	for (int i = 0; i < POLICY_NATTS; i++)
	{
		bool		isnull;

		v[i] = GetAttributeByNum(tup, i + 1, &isnull);
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s of a lifecycle policy must not be null", policy_names[i])));
	}
	p.new_window = interval_span(DatumGetIntervalP(v[0]));
	p.active_window = interval_span(DatumGetIntervalP(v[1]));
	p.lapse_after = interval_span(DatumGetIntervalP(v[2]));
	p.loyal_orders = DatumGetInt32(v[3]);
	p.loyal_window = interval_span(DatumGetIntervalP(v[4]));
	policy_check(&p);
	return p;
}

/* The policy of five arguments from argument first on, validated. */
static LifecyclePolicy
policy_from_args(FunctionCallInfo fcinfo, int first)
{
	LifecyclePolicy p;

	p.new_window = interval_span(PG_GETARG_INTERVAL_P(first));
	p.active_window = interval_span(PG_GETARG_INTERVAL_P(first + 1));
	p.lapse_after = interval_span(PG_GETARG_INTERVAL_P(first + 2));
	p.loyal_orders = PG_GETARG_INT32(first + 3);
	p.loyal_window = interval_span(PG_GETARG_INTERVAL_P(first + 4));
	policy_check(&p);
	return p;
}

/* ---------------------------------------------------------------------
 * lifecycle_policy(new_window, active_window, lapse_after, loyal_orders,
 *					loyal_window): a validated policy value
 * ---------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(lifecycle_policy_make);
Datum
lifecycle_policy_make(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[POLICY_NATTS];
	bool		nulls[POLICY_NATTS] = {false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "lifecycle_policy must return a composite type");
	tupdesc = BlessTupleDesc(tupdesc);

	/* validate: errors name the argument */
	(void) policy_from_args(fcinfo, 0);

	for (int i = 0; i < POLICY_NATTS; i++)
		values[i] = PG_GETARG_DATUM(i);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ---------------------------------------------------------------------
 * The enum value of a stage
 * ---------------------------------------------------------------------
 */

/* The OIDs of the enum's labels, looked up once per query in fn_extra. */
static Oid *
stage_oids(FunctionCallInfo fcinfo, Oid enumtype)
{
	Oid		   *oids = (Oid *) fcinfo->flinfo->fn_extra;

	if (oids == NULL)
	{
		oids = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Oid) * LIFECYCLE_NSTAGES);
		for (int s = 0; s < LIFECYCLE_NSTAGES; s++)
			oids[s] = DatumGetObjectId(DirectFunctionCall2(enum_in,
														   CStringGetDatum(lifecycle_stage_names[s]),
														   ObjectIdGetDatum(enumtype)));
		fcinfo->flinfo->fn_extra = oids;
	}
	return oids;
}

/* ---------------------------------------------------------------------
 * Aggregates: lifecycle_stage(ordered_at, as_of [, policy]) and
 * lifecycle_transitions(ordered_at, from_as_of, to_as_of [, policy])
 * ---------------------------------------------------------------------
 */

typedef struct StageAgg
{
	int32		ndates;			/* 1: lifecycle_stage, 2: transitions */
	LifecyclePolicy policy;
	LifecycleState st[FLEXIBLE_ARRAY_MEMBER];	/* ndates of them */
} StageAgg;

/*
 * A state holds only the dates it needs: one customer's lifecycle_stage
 * state is 112 bytes (a 128-byte chunk), which a hash aggregate keeps per
 * customer.
 */
#define STAGE_AGG_SIZE(ndates) (offsetof(StageAgg, st) + sizeof(LifecycleState) * (ndates))

/*
 * The last policy argument a transition function read, kept per call site
 * (in fn_extra) rather than per group: rows almost always pass the same
 * policy, whose bytes are then compared instead of decoded again.
 */
typedef struct PolicyCache
{
	struct varlena *bytes;
	LifecyclePolicy policy;
} PolicyCache;

static LifecyclePolicy
policy_cached(FunctionCallInfo fcinfo, Datum d)
{
	PolicyCache *c = fcinfo->flinfo->fn_extra;
	struct varlena *bytes = PG_DETOAST_DATUM(d);

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PolicyCache));
		fcinfo->flinfo->fn_extra = c;
	}
	if (c->bytes == NULL || VARSIZE(bytes) != VARSIZE(c->bytes) ||
		memcmp(bytes, c->bytes, VARSIZE(bytes)) != 0)
	{
		LifecyclePolicy p = policy_from_datum(PointerGetDatum(bytes));

		if (c->bytes != NULL)
			pfree(c->bytes);
		c->bytes = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE(bytes));
		memcpy(c->bytes, bytes, VARSIZE(bytes));
		c->policy = p;
	}
	return c->policy;
}

static const char *
agg_name(int ndates)
{
	return ndates == 1 ? "lifecycle_stage" : "lifecycle_transitions";
}

static void
same_policy(const StageAgg *agg, const LifecyclePolicy *p)
{
	const LifecyclePolicy *q = &agg->policy;

	/* field by field: a struct's padding is not part of its value */
	if (q->new_window != p->new_window || q->active_window != p->active_window ||
		q->lapse_after != p->lapse_after || q->loyal_window != p->loyal_window ||
		q->loyal_orders != p->loyal_orders)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the policy must be the same on every row of a %s group",
						agg_name(agg->ndates)),
				 errhint("Group by customer with one policy, or compute each policy in its own query.")));
}

static void
same_as_of(const StageAgg *agg, int d, int64 as_of)
{
	core_agg_same_timestamptz(agg->st[d].as_of, as_of,
							  agg->ndates == 1 ? "as_of" : d == 0 ? "from_as_of" : "to_as_of",
							  agg_name(agg->ndates));
}

/*
 * The transition: args are (state, ordered_at, as_of [, to_as_of]
 * [, policy]).  NULL ordered_at is skipped, but the group still gets a
 * state, so a customer whose only row is a LEFT JOIN's NULL is a prospect.
 */
static Datum
stage_trans(FunctionCallInfo fcinfo, int ndates)
{
	MemoryContext aggcxt;
	StageAgg   *agg = PG_ARGISNULL(0) ? NULL : (StageAgg *) PG_GETARG_POINTER(0);
	bool		has_policy = PG_NARGS() > 2 + ndates;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s_trans called in non-aggregate context", agg_name(ndates));

	for (int d = 0; d < ndates; d++)
		if (PG_ARGISNULL(2 + d))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be null",
							ndates == 1 ? "as_of" : d == 0 ? "from_as_of" : "to_as_of")));
	if (has_policy && PG_ARGISNULL(2 + ndates))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the policy of %s must not be null", agg_name(ndates)),
				 errhint("Pass lifecycle_policy() for the default policy.")));

	if (agg == NULL)
	{
		agg = MemoryContextAllocZero(aggcxt, STAGE_AGG_SIZE(ndates));
		agg->ndates = ndates;
		agg->policy = has_policy ? policy_cached(fcinfo, PG_GETARG_DATUM(2 + ndates)) : default_policy;
		for (int d = 0; d < ndates; d++)
			lifecycle_init(&agg->st[d], PG_GETARG_TIMESTAMPTZ(2 + d));
	}
	else
	{
		for (int d = 0; d < ndates; d++)
			same_as_of(agg, d, PG_GETARG_TIMESTAMPTZ(2 + d));
		if (has_policy)
		{
			LifecyclePolicy p = policy_cached(fcinfo, PG_GETARG_DATUM(2 + ndates));

			same_policy(agg, &p);
		}
	}

	if (!PG_ARGISNULL(1))
		for (int d = 0; d < ndates; d++)
			lifecycle_add(&agg->st[d], &agg->policy, PG_GETARG_TIMESTAMPTZ(1));
	PG_RETURN_POINTER(agg);
}

PG_FUNCTION_INFO_V1(lifecycle_stage_trans);
Datum
lifecycle_stage_trans(PG_FUNCTION_ARGS)
{
	return stage_trans(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(lifecycle_transitions_trans);
Datum
lifecycle_transitions_trans(PG_FUNCTION_ARGS)
{
	return stage_trans(fcinfo, 2);
}

PG_FUNCTION_INFO_V1(lifecycle_stage_combine);
Datum
lifecycle_stage_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	StageAgg   *a = PG_ARGISNULL(0) ? NULL : (StageAgg *) PG_GETARG_POINTER(0);
	StageAgg   *b = PG_ARGISNULL(1) ? NULL : (StageAgg *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "lifecycle_stage_combine called in non-aggregate context");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
	{
		a = MemoryContextAlloc(aggcxt, STAGE_AGG_SIZE(b->ndates));
		memcpy(a, b, STAGE_AGG_SIZE(b->ndates));
		PG_RETURN_POINTER(a);
	}
	same_policy(a, &b->policy);
	for (int d = 0; d < a->ndates; d++)
	{
		same_as_of(a, d, b->st[d].as_of);
		lifecycle_merge(&a->st[d], &b->st[d]);
	}
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(lifecycle_stage_serialize);
Datum
lifecycle_stage_serialize(PG_FUNCTION_ARGS)
{
	StageAgg   *agg = (StageAgg *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, agg->ndates);
	pq_sendint64(&buf, agg->policy.new_window);
	pq_sendint64(&buf, agg->policy.active_window);
	pq_sendint64(&buf, agg->policy.lapse_after);
	pq_sendint64(&buf, agg->policy.loyal_window);
	pq_sendint32(&buf, agg->policy.loyal_orders);
	for (int d = 0; d < agg->ndates; d++)
	{
		const LifecycleState *st = &agg->st[d];

		pq_sendint64(&buf, st->as_of);
		pq_sendint64(&buf, st->n);
		pq_sendint64(&buf, st->first);
		pq_sendint64(&buf, st->last);
		pq_sendint64(&buf, st->loyal);
		pq_sendint64(&buf, st->recent);
		pq_sendint64(&buf, st->before);
		pq_sendbyte(&buf, st->has_recent);
		pq_sendbyte(&buf, st->has_before);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(lifecycle_stage_deserialize);
Datum
lifecycle_stage_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	int32		ndates;
	StageAgg   *agg;

	/*
	 * The state is made in the current context, the per-input-tuple one the
	 * executor runs a deserialize function in: it lives only until the
	 * combine function has merged it, and that copies it into the
	 * aggregate's context when it is a group's first.  Made in the aggregate
	 * context instead, every partial state the leader received stayed
	 * allocated to the end of the query, fresh memory faulted in page by
	 * page (test/bench/50_parallel.sql, doc/performance.md).
	 */
	(void) core_agg_deserialize_begin(fcinfo, "lifecycle_stage_deserialize", &buf);
	ndates = pq_getmsgint(&buf, 4);
	if (ndates < 1 || ndates > 2)
		elog(ERROR, "invalid lifecycle aggregate state");
	agg = palloc0(STAGE_AGG_SIZE(ndates));
	agg->ndates = ndates;
	agg->policy.new_window = pq_getmsgint64(&buf);
	agg->policy.active_window = pq_getmsgint64(&buf);
	agg->policy.lapse_after = pq_getmsgint64(&buf);
	agg->policy.loyal_window = pq_getmsgint64(&buf);
	agg->policy.loyal_orders = pq_getmsgint(&buf, 4);
	for (int d = 0; d < agg->ndates; d++)
	{
		LifecycleState *st = &agg->st[d];

		st->as_of = pq_getmsgint64(&buf);
		st->n = pq_getmsgint64(&buf);
		st->first = pq_getmsgint64(&buf);
		st->last = pq_getmsgint64(&buf);
		st->loyal = pq_getmsgint64(&buf);
		st->recent = pq_getmsgint64(&buf);
		st->before = pq_getmsgint64(&buf);
		st->has_recent = pq_getmsgbyte(&buf) != 0;
		st->has_before = pq_getmsgbyte(&buf) != 0;
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(agg);
}

PG_FUNCTION_INFO_V1(lifecycle_stage_final);
Datum
lifecycle_stage_final(PG_FUNCTION_ARGS)
{
	StageAgg   *agg = PG_ARGISNULL(0) ? NULL : (StageAgg *) PG_GETARG_POINTER(0);
	Oid		   *oids;

	if (agg == NULL)
		PG_RETURN_NULL();		/* no rows at all */
	oids = stage_oids(fcinfo, get_fn_expr_rettype(fcinfo->flinfo));
	PG_RETURN_OID(oids[lifecycle_decide(&agg->st[0], &agg->policy)]);
}

PG_FUNCTION_INFO_V1(lifecycle_transitions_final);
Datum
lifecycle_transitions_final(PG_FUNCTION_ARGS)
{
	StageAgg   *agg = PG_ARGISNULL(0) ? NULL : (StageAgg *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	Oid		   *oids;

	if (agg == NULL)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "lifecycle_transitions must return a composite type");
	tupdesc = BlessTupleDesc(tupdesc);
	oids = stage_oids(fcinfo, TupleDescAttr(tupdesc, 0)->atttypid);
	for (int d = 0; d < 2; d++)
		values[d] = ObjectIdGetDatum(oids[lifecycle_decide(&agg->st[d], &agg->policy)]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ---------------------------------------------------------------------
 * lifecycle_stage(first_order, last_order, order_count, as_of,
 *				   new_window, active_window, lapse_after, loyal_orders,
 *				   loyal_window): from pre-aggregated figures
 * ---------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(lifecycle_stage_summary);
Datum
lifecycle_stage_summary(PG_FUNCTION_ARGS)
{
	LifecyclePolicy p;
	TimestampTz as_of;
	int64		count;
	Oid		   *oids;
	LifecycleStage stage;

	/* as_of or a policy argument NULL: unknown */
	for (int i = 3; i < 9; i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_NULL();
	as_of = PG_GETARG_TIMESTAMPTZ(3);
	p = policy_from_args(fcinfo, 4);

	/* no orders (NULLs of a LEFT JOIN, or a zero count), or all after as_of */
	count = PG_ARGISNULL(2) ? 0 : PG_GETARG_INT64(2);
	if (count < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("order_count %lld is negative", (long long) count),
				 errdetail("Pre-aggregated figures must describe the orders up to as_of."),
				 errhint("Pass the number of orders, 0 or NULL for a customer without orders.")));
	if (count == 0 || PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_GETARG_TIMESTAMPTZ(0) > as_of)
		stage = STAGE_PROSPECT;
	else
	{
		if (PG_GETARG_TIMESTAMPTZ(1) > as_of)
		{
			char	   *last = pstrdup(timestamptz_to_str(PG_GETARG_TIMESTAMPTZ(1)));
			char	   *asof = pstrdup(timestamptz_to_str(as_of));

			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("last_order %s is after as_of %s", last, asof),
					 errdetail("Pre-aggregated figures must describe the orders up to as_of."),
					 errhint("Aggregate the orders with ordered_at <= as_of, or use the lifecycle_stage aggregate over the orders.")));
		}
		if (PG_GETARG_TIMESTAMPTZ(0) > PG_GETARG_TIMESTAMPTZ(1))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("first_order is after last_order")));
		stage = lifecycle_decide_summary(PG_GETARG_TIMESTAMPTZ(0), PG_GETARG_TIMESTAMPTZ(1),
										 count, as_of, &p);
	}
	oids = stage_oids(fcinfo, get_fn_expr_rettype(fcinfo->flinfo));
	PG_RETURN_OID(oids[stage]);
}
