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

#include <sys/mman.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
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
	bool		custom;			/* the policy follows st[ndates - 1]; else it
								 * is default_policy */
	LifecycleState st[FLEXIBLE_ARRAY_MEMBER];	/* ndates of them */
} StageAgg;

/*
 * A state holds only what it needs: the dates asked for, and the policy
 * only when it is not the default one.  One customer's lifecycle_stage
 * state under the default policy is 72 bytes (112 when it held the policy
 * always), which a hash aggregate keeps per customer.
 */
#define STAGE_AGG_SIZE(ndates, custom) \
	(offsetof(StageAgg, st) + sizeof(LifecycleState) * (ndates) + \
	 ((custom) ? sizeof(LifecyclePolicy) : 0))

static inline const LifecyclePolicy *
agg_policy(const StageAgg *agg)
{
	return agg->custom ? (const LifecyclePolicy *) &agg->st[agg->ndates] : &default_policy;
}

/* field by field: a struct's padding is not part of its value */
static bool
policy_equal(const LifecyclePolicy *q, const LifecyclePolicy *p)
{
	return q->new_window == p->new_window && q->active_window == p->active_window &&
		q->lapse_after == p->lapse_after && q->loyal_window == p->loyal_window &&
		q->loyal_orders == p->loyal_orders;
}

/* A zeroed state in mem (STAGE_AGG_SIZE bytes) under policy p. */
static StageAgg *
agg_make(void *mem, int ndates, const LifecyclePolicy *p)
{
	StageAgg   *agg = mem;

	agg->ndates = ndates;
	agg->custom = !policy_equal(p, &default_policy);
	if (agg->custom)
		memcpy(&agg->st[ndates], p, sizeof(LifecyclePolicy));
	return agg;
}

/* ---------------------------------------------------------------------
 * The groups' states, carved out of large areas of the aggregate context
 *
 * A per-customer GROUP BY keeps one state per customer: a million states,
 * each a palloc chunk rounded up to a power of two behind a 16-byte header
 * (144 bytes for the 112-byte state this file had).  The first write to a
 * fresh 4 kB page costs 15 us or more on the virtual machines this project
 * is measured on (test/bench/pagefault.c), more than the aggregate's work
 * on the states a page holds, and a parallel worker is a fresh process
 * that faults in every page of its states (a serial backend's freed memory
 * goes back to the system between queries too).  Two workers faulting at
 * once were slower than one backend over the partitioned layout of
 * test/bench/50_parallel.sql (speed-up 0.77, PostgreSQL's own aggregates
 * 1.04): faulting does not scale with the cores there.
 *
 * So the states of one aggregate context are carved, at their exact size
 * and without a header, from areas palloc'd in that context: small ones
 * while the groups are few (from 1 kB, doubling: a plain aggregate has one
 * state, and a sorted GroupAggregate resets the context after each group),
 * then areas of 8 MB whose 2 MB-aligned interior (6 MB or more, the only
 * part used) is advised as transparent huge pages
 * (madvise(MADV_HUGEPAGE)), which Linux gives where it is set to "madvise"
 * (Debian's default) or "always": one fault per 2 MB instead of 512, as for
 * the RFM arrays (rfm/buffer_pg.c).  Refused, the area works in small
 * pages.  The areas are ordinary palloc memory of the aggregate context:
 * the hash aggregate's memory accounting sees them, and a reset or deletion
 * of the context frees them with everything else.  So that an area never
 * makes a hash aggregate spill much earlier than its states would, none is
 * larger than a sixteenth of the hash memory limit (work_mem times
 * hash_mem_multiplier): with the default 4 MB, areas stay at 512 kB.  A state is never freed
 * alone (a group's state lives as long as its context).
 * ---------------------------------------------------------------------
 */
#define ARENA_FIRST ((Size) 1024)
#define ARENA_SMALL ((Size) 128 * 1024)	/* doubling areas up to this much */
#define ARENA_LARGE ((Size) 8 * 1024 * 1024)
#define HUGE_PAGE ((Size) 2 * 1024 * 1024)

typedef struct StageArena
{
	MemoryContext cxt;			/* the context the areas are in, or NULL */
	char	   *next;			/* the free part of the current area */
	Size		left;
	Size		taken;			/* bytes of areas taken in cxt */
	MemoryContextCallback cb;	/* forgets the areas when cxt is reset */
} StageArena;

static void
arena_forget(void *arg)
{
	StageArena *a = (StageArena *) arg;

	a->cxt = NULL;
	a->next = NULL;
	a->left = 0;
	a->taken = 0;
}

/*
 * A zeroed state of size bytes in cxt.  The arena lives in fn_mcxt, which
 * outlives every aggregate context of the call site (both are the
 * executor's; the aggregate contexts are deleted first), so the callback
 * registered on cxt may point at it.  A second context at once (sorted
 * grouping sets keep one per set) takes palloc's path.
 */
static void *
arena_alloc(StageArena *a, MemoryContext cxt, Size size)
{
	void	   *p;

	size = MAXALIGN(size);
	if (a->cxt != cxt)
	{
		if (a->cxt != NULL)
			return MemoryContextAllocZero(cxt, size);
		a->cxt = cxt;
		a->next = NULL;
		a->left = 0;
		a->taken = 0;
		a->cb.func = arena_forget;
		a->cb.arg = a;
		MemoryContextRegisterResetCallback(cxt, &a->cb);
	}
	if (a->left < size)
	{
		Size		len = Max(a->taken, ARENA_FIRST);
		char	   *area;

		if (a->taken >= ARENA_SMALL)
		{
			Size		most = get_hash_memory_limit() / 16;

			len = ARENA_SMALL;
			while (len < ARENA_LARGE && len * 2 <= most)
				len *= 2;
		}
		area = MemoryContextAlloc(cxt, len);

		a->next = area;
		a->left = len;
		a->taken += len;
		if (len == ARENA_LARGE)
		{
			/*
			 * Only the whole huge pages inside: the bytes before the first
			 * are never touched, so never faulted in either.
			 */
			a->next = (char *) TYPEALIGN(HUGE_PAGE, area);
			a->left = (char *) TYPEALIGN_DOWN(HUGE_PAGE, area + len) - a->next;
#ifdef MADV_HUGEPAGE
			/* a hint: refused, the area still works in small pages */
			(void) madvise(a->next, a->left, MADV_HUGEPAGE);
#endif
		}
	}
	p = a->next;
	a->next += size;
	a->left -= size;
	memset(p, 0, size);
	return p;
}

/*
 * What a call site keeps in fn_extra: the arena of its states and, for a
 * transition function, the last policy argument it read (per call site
 * rather than per group: rows almost always pass the same policy, whose
 * bytes are then compared instead of decoded again).
 */
typedef struct StageExtra
{
	StageArena	arena;
	struct varlena *bytes;
	LifecyclePolicy policy;
} StageExtra;

static StageExtra *
stage_extra(FunctionCallInfo fcinfo)
{
	StageExtra *x = fcinfo->flinfo->fn_extra;

	if (x == NULL)
	{
		x = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(StageExtra));
		fcinfo->flinfo->fn_extra = x;
	}
	return x;
}

static LifecyclePolicy
policy_cached(FunctionCallInfo fcinfo, Datum d)
{
	StageExtra *c = stage_extra(fcinfo);
	struct varlena *bytes = PG_DETOAST_DATUM(d);

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
	if (!policy_equal(agg_policy(agg), p))
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
		LifecyclePolicy p = has_policy ? policy_cached(fcinfo, PG_GETARG_DATUM(2 + ndates)) : default_policy;
		bool		custom = !policy_equal(&p, &default_policy);

		agg = agg_make(arena_alloc(&stage_extra(fcinfo)->arena, aggcxt,
								   STAGE_AGG_SIZE(ndates, custom)),
					   ndates, &p);
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
			lifecycle_add(&agg->st[d], agg_policy(agg), PG_GETARG_TIMESTAMPTZ(1));
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
		a = arena_alloc(&stage_extra(fcinfo)->arena, aggcxt, STAGE_AGG_SIZE(b->ndates, b->custom));
		memcpy(a, b, STAGE_AGG_SIZE(b->ndates, b->custom));
		PG_RETURN_POINTER(a);
	}
	same_policy(a, agg_policy(b));
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
	const LifecyclePolicy *p = agg_policy(agg);
	StringInfoData buf;

	/* the same bytes whether or not the state holds its policy */
	pq_begintypsend(&buf);
	pq_sendint32(&buf, agg->ndates);
	pq_sendint64(&buf, p->new_window);
	pq_sendint64(&buf, p->active_window);
	pq_sendint64(&buf, p->lapse_after);
	pq_sendint64(&buf, p->loyal_window);
	pq_sendint32(&buf, p->loyal_orders);
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
	LifecyclePolicy p;
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
	p.new_window = pq_getmsgint64(&buf);
	p.active_window = pq_getmsgint64(&buf);
	p.lapse_after = pq_getmsgint64(&buf);
	p.loyal_window = pq_getmsgint64(&buf);
	p.loyal_orders = pq_getmsgint(&buf, 4);
	agg = agg_make(palloc0(STAGE_AGG_SIZE(ndates, !policy_equal(&p, &default_policy))),
				   ndates, &p);
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
	PG_RETURN_OID(oids[lifecycle_decide(&agg->st[0], agg_policy(agg))]);
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
		values[d] = ObjectIdGetDatum(oids[lifecycle_decide(&agg->st[d], agg_policy(agg))]);
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
