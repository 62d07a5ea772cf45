/*-------------------------------------------------------------------------
 *
 * bgbb_pg.c
 *	  The discrete-time models in SQL: BG/BB (bgbb_summary, bgbb_fit, the
 *	  bgbb_ predictions) and the shifted-beta-geometric retention model
 *	  (sbg_fit as an aggregate over customers and as a function of a
 *	  cohort's survivors, the sbg_ projections).
 *
 * Models are composite types (bgbb_model, sbg_model): their fields are the
 * parameters, standard errors and fit statistics, readable as (m).alpha,
 * storable in a table, and checked by every prediction that reads them.
 *
 * Both fits keep a BtydPointSet (points.c) as their aggregate state:
 * identical summaries collapse into one weighted point, states merge for
 * parallel and partial aggregation, and the final function sorts the
 * points before fitting, so a parallel fit is bit for bit the serial one.
 * A BG/BB point is (x, t_x, n, 0), an sBG point (t, churned, 0, 0).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "bgbb.h"
#include "core_pg.h"
#include "points.h"
#include "points_pg.h"
#include "sbg.h"

/* ---------------------------------------------------------------------------
 * bgbb_summary(period bigint, as_of_period bigint)
 * ---------------------------------------------------------------------------
 */

typedef struct PeriodAgg
{
	int64		as_of;
	int64	   *p;				/* periods <= as_of, deduplicated when full */
	int			n;
	int			cap;
} PeriodAgg;

static int
int64_cmp(const void *a, const void *b, void *arg)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * Sort and drop duplicates.  A group may hold tens of millions of periods
 * (the cap doubles up to MaxAllocSize): the sort can take seconds, so it is
 * one that answers a cancel.
 */
static void
periods_unique(PeriodAgg *agg)
{
	int			k = 0;

	if (agg->n == 0)
		return;
	qsort_interruptible(agg->p, agg->n, sizeof(int64), int64_cmp, NULL);
	for (int i = 1; i < agg->n; i++)
		if (agg->p[i] != agg->p[k])
			agg->p[++k] = agg->p[i];
	agg->n = k + 1;
}

static void
periods_add(PeriodAgg *agg, int64 period)
{
	if (agg->n == agg->cap)
	{
		periods_unique(agg);
		if (agg->n > agg->cap / 2)
		{
			if (agg->cap > (int) (MaxAllocSize / sizeof(int64) / 2))
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("a bgbb_summary group has more than %d distinct periods",
								agg->cap)));
			agg->cap *= 2;
			agg->p = repalloc(agg->p, sizeof(int64) * agg->cap);
		}
	}
	agg->p[agg->n++] = period;
}

static PeriodAgg *
period_agg_new(MemoryContext cxt, int64 as_of)
{
	PeriodAgg  *agg = MemoryContextAllocZero(cxt, sizeof(PeriodAgg));

	agg->as_of = as_of;
	agg->cap = 8;
	agg->p = MemoryContextAlloc(cxt, sizeof(int64) * agg->cap);
	return agg;
}

static void
same_as_of(int64 was, int64 now)
{
	if (was != now)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of_period must be the same on every row of a bgbb_summary group"),
				 errdetail("Found " INT64_FORMAT " and " INT64_FORMAT ".", was, now)));
}

PG_FUNCTION_INFO_V1(bgbb_summary_trans);
Datum
bgbb_summary_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt,
				old;
	PeriodAgg  *agg = PG_ARGISNULL(0) ? NULL : (PeriodAgg *) PG_GETARG_POINTER(0);
	int64		as_of;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "bgbb_summary_trans called in non-aggregate context");
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of_period must not be null")));
	as_of = PG_GETARG_INT64(2);
	if (agg == NULL)
		agg = period_agg_new(aggcxt, as_of);
	else
		same_as_of(agg->as_of, as_of);
	/* a NULL period is skipped, a period after as_of_period ignored */
	if (PG_ARGISNULL(1) || PG_GETARG_INT64(1) > as_of)
		PG_RETURN_POINTER(agg);
	old = MemoryContextSwitchTo(aggcxt);
	periods_add(agg, PG_GETARG_INT64(1));
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(agg);
}

PG_FUNCTION_INFO_V1(bgbb_summary_combine);
Datum
bgbb_summary_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt,
				old;
	PeriodAgg  *a = PG_ARGISNULL(0) ? NULL : (PeriodAgg *) PG_GETARG_POINTER(0);
	PeriodAgg  *b = PG_ARGISNULL(1) ? NULL : (PeriodAgg *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "bgbb_summary_combine called in non-aggregate context");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = period_agg_new(aggcxt, b->as_of);
	same_as_of(a->as_of, b->as_of);
	old = MemoryContextSwitchTo(aggcxt);
	for (int i = 0; i < b->n; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		periods_add(a, b->p[i]);
	}
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(bgbb_summary_serialize);
Datum
bgbb_summary_serialize(PG_FUNCTION_ARGS)
{
	PeriodAgg  *agg = (PeriodAgg *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	periods_unique(agg);
	pq_begintypsend(&buf);
	pq_sendint64(&buf, agg->as_of);
	pq_sendint32(&buf, agg->n);
	for (int i = 0; i < agg->n; i++)
		pq_sendint64(&buf, agg->p[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(bgbb_summary_deserialize);
Datum
bgbb_summary_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	int64		as_of;
	int			n;
	PeriodAgg  *agg;

	/*
	 * In the current context, the per-input-tuple one the executor runs a
	 * deserialize function in: bgbb_summary_combine copies the periods into
	 * the aggregate's context, so this copy is needed only until then (made
	 * in the aggregate's context, every partial state the leader received
	 * stayed allocated to the end of the query).
	 */
	(void) core_agg_deserialize_begin(fcinfo, "bgbb_summary_deserialize", &buf);
	as_of = pq_getmsgint64(&buf);
	n = pq_getmsgint(&buf, 4);
	agg = period_agg_new(CurrentMemoryContext, as_of);
	if (n < 0 || n > (buf.len - buf.cursor) / (int) sizeof(int64))
		elog(ERROR, "bgbb_summary state claims %d periods", n);
	for (int i = 0; i < n; i++)
		periods_add(agg, pq_getmsgint64(&buf));
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(agg);
}

PG_FUNCTION_INFO_V1(bgbb_summary_final);
Datum
bgbb_summary_final(PG_FUNCTION_ARGS)
{
	PeriodAgg  *agg = PG_ARGISNULL(0) ? NULL : (PeriodAgg *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int64		first,
				n;

	/* no rows, or no transaction by as_of_period: no summary */
	if (agg == NULL || agg->n == 0)
		PG_RETURN_NULL();
	periods_unique(agg);
	first = agg->p[0];
	if (pg_sub_s64_overflow(agg->as_of, first, &n) || n > BGBB_MAX_N)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a customer's first period " INT64_FORMAT " is more than %d opportunities before as_of_period " INT64_FORMAT,
						first, BGBB_MAX_N, agg->as_of)));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE || tupdesc->natts != 3)
		elog(ERROR, "bgbb_summary must return a composite of 3 attributes");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int32GetDatum(agg->n - 1);
	values[1] = Int32GetDatum((int32) (agg->p[agg->n - 1] - first));
	values[2] = Int32GetDatum((int32) n);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ---------------------------------------------------------------------------
 * Reading summaries and models
 * ---------------------------------------------------------------------------
 */

/*
 * The bgbb_summary in argument argno; false if it or a field is NULL.
 * 22023 for a summary no customer can have.
 */
static bool
read_bgbb_summary(FunctionCallInfo fcinfo, int argno, BgbbPoint *pt)
{
	Datum		values[3];
	bool		nulls[3];
	CoreError	err;

	if (PG_ARGISNULL(argno))
		return false;
	if (core_deform_row(PG_GETARG_HEAPTUPLEHEADER(argno), 3, values, nulls) != 3)
		elog(ERROR, "a bgbb_summary has 3 fields");
	if (nulls[0] || nulls[1] || nulls[2])
		return false;
	pt->x = DatumGetInt32(values[0]);
	pt->tx = DatumGetInt32(values[1]);
	pt->n = DatumGetInt32(values[2]);
	pt->w = 1;
	if (!bgbb_check(pt->x, pt->tx, pt->n, &err))
		core_ereport(&err);
	return true;
}

/*
 * The first nparams fields of a model composite (argument 0) into params;
 * false if a parameter is NULL.  natts is the type's number of fields.
 */
static bool
read_model(FunctionCallInfo fcinfo, int natts, int nparams, double *params)
{
	Datum		values[16];
	bool		nulls[16];

	if (core_deform_row(PG_GETARG_HEAPTUPLEHEADER(0), 16, values, nulls) != natts)
		elog(ERROR, "a model composite of %d fields was expected", natts);
	for (int k = 0; k < nparams; k++)
	{
		if (nulls[k])
			return false;
		params[k] = DatumGetFloat8(values[k]);
	}
	return true;
}

#define BGBB_MODEL_NATTS 14
#define SBG_MODEL_NATTS 10

static bool
read_bgbb_model(FunctionCallInfo fcinfo, double *params)
{
	CoreError	err;

	if (!read_model(fcinfo, BGBB_MODEL_NATTS, BGBB_NPARAMS, params))
		return false;
	if (!bgbb_check_params(params, &err))
		core_ereport(&err);
	return true;
}

static bool
read_sbg_model(FunctionCallInfo fcinfo, double *params)
{
	CoreError	err;

	if (!read_model(fcinfo, SBG_MODEL_NATTS, SBG_NPARAMS, params))
		return false;
	if (!sbg_check_params(params, &err))
		core_ereport(&err);
	return true;
}

/*
 * A model composite from a fit: the parameters, their standard errors, then
 * loglik, aic, bic, customers, iterations (int) and penalizer.
 */
static Datum
model_datum(FunctionCallInfo fcinfo, const BtydFit *fit, int nparams, double penalizer)
{
	TupleDesc	tupdesc;
	Datum		values[16];
	bool		nulls[16] = {false};
	int			k = 0;
	double		nll2 = -2 * fit->loglik;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
		tupdesc->natts != 2 * nparams + 6)
		elog(ERROR, "a fit must return a model composite of %d fields", 2 * nparams + 6);
	tupdesc = BlessTupleDesc(tupdesc);
	for (int i = 0; i < nparams; i++)
		values[k++] = Float8GetDatum(fit->params[i]);
	for (int i = 0; i < nparams; i++)
	{
		nulls[k] = isnan(fit->se[i]);
		values[k++] = Float8GetDatum(fit->se[i]);
	}
	values[k++] = Float8GetDatum(fit->loglik);
	values[k++] = Float8GetDatum(2 * nparams + nll2);
	values[k++] = Float8GetDatum(nparams * log(fit->customers) + nll2);
	values[k++] = Float8GetDatum(fit->customers);
	values[k++] = Int32GetDatum(fit->iterations);
	values[k++] = Float8GetDatum(penalizer);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ---------------------------------------------------------------------------
 * The fits' state: weighted points
 * ---------------------------------------------------------------------------
 */

typedef struct PointAgg
{
	BtydPointSet set;
	double		penalizer;
	bool		transient;		/* deserialized: a combine may take its points */
} PointAgg;

static PointAgg *
point_agg_new(MemoryContext cxt, double penalizer)
{
	PointAgg   *agg = MemoryContextAllocZero(cxt, sizeof(PointAgg));

	btyd_points_init(&agg->set);
	agg->penalizer = penalizer;
	return agg;
}

static void
same_penalizer(double was, double now, const char *aggname)
{
	if (was != now)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("penalizer must be the same on every row of a %s group", aggname),
				 errdetail("Found %g and %g.", was, now)));
}

/* The state, created with the penalizer of argument argno (0 if none). */
static PointAgg *
point_agg_get(FunctionCallInfo fcinfo, int argno, const char *aggname, MemoryContext *aggcxt)
{
	PointAgg   *agg = PG_ARGISNULL(0) ? NULL : (PointAgg *) PG_GETARG_POINTER(0);
	double		penalizer = 0;

	if (!AggCheckCallContext(fcinfo, aggcxt))
		elog(ERROR, "%s called in non-aggregate context", aggname);
	if (argno < PG_NARGS())
	{
		if (PG_ARGISNULL(argno))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("penalizer must not be null")));
		penalizer = PG_GETARG_FLOAT8(argno);
		if (!(penalizer >= 0) || !isfinite(penalizer))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("penalizer must be a finite number of at least 0")));
	}
	if (agg == NULL)
		agg = point_agg_new(*aggcxt, penalizer);
	else
		same_penalizer(agg->penalizer, penalizer, aggname);
	return agg;
}

static void
point_agg_add(PointAgg *agg, MemoryContext aggcxt, double a, double b, double c, double w)
{
	MemoryContext old = MemoryContextSwitchTo(aggcxt);

	btyd_points_add(&agg->set, a, b, c, 0, w);
	MemoryContextSwitchTo(old);
}

PG_FUNCTION_INFO_V1(bgbb_state_combine);
Datum
bgbb_state_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt,
				old;
	PointAgg   *a = PG_ARGISNULL(0) ? NULL : (PointAgg *) PG_GETARG_POINTER(0);
	PointAgg   *b = PG_ARGISNULL(1) ? NULL : (PointAgg *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "bgbb_state_combine called in non-aggregate context");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = point_agg_new(aggcxt, b->penalizer);
	same_penalizer(a->penalizer, b->penalizer, "fit");
	old = MemoryContextSwitchTo(aggcxt);
	if (b->transient)
		btyd_points_take(&a->set, &b->set);
	else
		btyd_points_merge(&a->set, &b->set);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(bgbb_state_serialize);
Datum
bgbb_state_serialize(PG_FUNCTION_ARGS)
{
	PointAgg   *agg = (PointAgg *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendfloat8(&buf, agg->penalizer);
	btyd_points_send(&buf, &agg->set, false, "bgbb_fit or sbg_fit");
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(bgbb_state_deserialize);
Datum
bgbb_state_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	MemoryContext aggcxt = core_agg_deserialize_begin(fcinfo, "bgbb_state_deserialize", &buf);
	double		penalizer = pq_getmsgfloat8(&buf);
	PointAgg   *agg = point_agg_new(aggcxt, penalizer);

	btyd_points_recv(&buf, &agg->set, false, aggcxt, "bgbb_fit or sbg_fit");
	agg->transient = true;
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(agg);
}

/*
 * The state's points, sorted in place with identical ones collapsed (as
 * clv_fit's final function does): the state stays the same multiset of
 * summaries, so it can take more rows and be finalized again (window use);
 * agg->set.n then counts the distinct points.
 */
static BtydPoint *
sorted_points(PointAgg *agg)
{
	btyd_points_sort(&agg->set);
	return agg->set.pts;
}

/* ---------------------------------------------------------------------------
 * bgbb_fit(summary [, weight [, penalizer]])
 * ---------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(bgbb_fit_trans);
Datum
bgbb_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	PointAgg   *agg = point_agg_get(fcinfo, 3, "bgbb_fit", &aggcxt);
	BgbbPoint	pt;
	double		w = 1;

	if (PG_NARGS() > 2)
	{
		if (PG_ARGISNULL(2))
			PG_RETURN_POINTER(agg);
		w = PG_GETARG_FLOAT8(2);
		if (!(w >= 0) || !isfinite(w))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid bgbb_fit weight %g", w),
					 errdetail("A weight is the number of customers who share a summary: a finite number of at least 0.")));
	}
	/* a NULL summary or field is skipped, as is a weight of 0 */
	if (!read_bgbb_summary(fcinfo, 1, &pt) || w == 0)
		PG_RETURN_POINTER(agg);
	point_agg_add(agg, aggcxt, pt.x, pt.tx, pt.n, w);
	PG_RETURN_POINTER(agg);
}

PG_FUNCTION_INFO_V1(bgbb_fit_final);
Datum
bgbb_fit_final(PG_FUNCTION_ARGS)
{
	PointAgg   *agg = PG_ARGISNULL(0) ? NULL : (PointAgg *) PG_GETARG_POINTER(0);
	BtydPoint  *sorted;
	BgbbPoint  *pts;
	BtydFit		fit;
	CoreError	err;

	if (agg == NULL || agg->set.n == 0)
		PG_RETURN_NULL();
	sorted = sorted_points(agg);
	pts = palloc_extended(sizeof(BgbbPoint) * agg->set.n, MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < agg->set.n; i++)
	{
		pts[i].x = sorted[i].x;
		pts[i].tx = sorted[i].tx;
		pts[i].n = sorted[i].T;
		pts[i].w = sorted[i].w;
	}
	if (!bgbb_fit(pts, agg->set.n, agg->penalizer, &fit, &err))
		core_ereport(&err);
	return model_datum(fcinfo, &fit, BGBB_NPARAMS, agg->penalizer);
}

/* ---------------------------------------------------------------------------
 * BG/BB predictions
 * ---------------------------------------------------------------------------
 */

static double
opportunities_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	int32		n = PG_GETARG_INT32(argno);

	if (n < 0 || n > BGBB_MAX_N)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between 0 and %d, not %d", what, BGBB_MAX_N, n)));
	return n;
}

PG_FUNCTION_INFO_V1(bgbb_p_alive);
Datum
bgbb_p_alive(PG_FUNCTION_ARGS)
{
	double		params[BGBB_NPARAMS];
	BgbbPoint	pt;
	double		m = 0;

	if (PG_NARGS() > 2)
		m = opportunities_arg(fcinfo, 2, "future");
	if (!read_bgbb_model(fcinfo, params) || !read_bgbb_summary(fcinfo, 1, &pt))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(bgbb_alive_at(params, pt.x, pt.tx, pt.n, m));
}

PG_FUNCTION_INFO_V1(bgbb_expected_purchases);
Datum
bgbb_expected_purchases(PG_FUNCTION_ARGS)
{
	double		params[BGBB_NPARAMS];
	BgbbPoint	pt;
	double		nstar = opportunities_arg(fcinfo, 2, "opportunities");

	if (!read_bgbb_model(fcinfo, params) || !read_bgbb_summary(fcinfo, 1, &pt))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(bgbb_purchases_next(params, pt.x, pt.tx, pt.n, nstar));
}

PG_FUNCTION_INFO_V1(bgbb_expected_purchases_new);
Datum
bgbb_expected_purchases_new(PG_FUNCTION_ARGS)
{
	double		params[BGBB_NPARAMS];
	double		n = opportunities_arg(fcinfo, 1, "opportunities");

	if (!read_bgbb_model(fcinfo, params))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(bgbb_purchases_first(params, n));
}

/* ---------------------------------------------------------------------------
 * sbg_fit(periods, churned [, penalizer]) and sbg_fit(alive float8[])
 * ---------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(sbg_fit_trans);
Datum
sbg_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	PointAgg   *agg = point_agg_get(fcinfo, 3, "sbg_fit", &aggcxt);
	double		t;
	bool		churned;
	CoreError	err;

	/* a customer with a NULL period or state is skipped */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(agg);
	t = PG_GETARG_INT32(1);
	churned = PG_GETARG_BOOL(2);
	if (!sbg_check(t, churned, &err))
		core_ereport(&err);
	point_agg_add(agg, aggcxt, t, churned ? 1 : 0, 0, 1);
	PG_RETURN_POINTER(agg);
}

static Datum
sbg_fit_points(FunctionCallInfo fcinfo, SbgPoint *pts, int64 n, double penalizer)
{
	BtydFit		fit;
	CoreError	err;

	if (!sbg_fit(pts, n, penalizer, &fit, &err))
		core_ereport(&err);
	return model_datum(fcinfo, &fit, SBG_NPARAMS, penalizer);
}

PG_FUNCTION_INFO_V1(sbg_fit_final);
Datum
sbg_fit_final(PG_FUNCTION_ARGS)
{
	PointAgg   *agg = PG_ARGISNULL(0) ? NULL : (PointAgg *) PG_GETARG_POINTER(0);
	BtydPoint  *sorted;
	SbgPoint   *pts;

	if (agg == NULL || agg->set.n == 0)
		PG_RETURN_NULL();
	sorted = sorted_points(agg);
	pts = palloc_extended(sizeof(SbgPoint) * agg->set.n, MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < agg->set.n; i++)
	{
		pts[i].t = sorted[i].x;
		pts[i].churned = sorted[i].tx != 0;
		pts[i].w = sorted[i].w;
	}
	return sbg_fit_points(fcinfo, pts, agg->set.n, agg->penalizer);
}

PG_FUNCTION_INFO_V1(sbg_fit_cohort);
Datum
sbg_fit_cohort(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	double		penalizer = PG_GETARG_FLOAT8(1);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	double	   *alive;
	SbgPoint   *pts;
	int64		npts;
	CoreError	err;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("sbg_fit's alive counts must be a one-dimensional array"),
				 errdetail("The array has %d dimensions.", ARR_NDIM(arr))));
	if (!(penalizer >= 0) || !isfinite(penalizer))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("penalizer must be a finite number of at least 0")));
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	alive = palloc(sizeof(double) * (n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("sbg_fit's alive counts must not contain NULL"),
					 errdetail("Element %d is NULL.", i + 1)));
		alive[i] = DatumGetFloat8(elems[i]);
	}
	pts = palloc(sizeof(SbgPoint) * (n + 1));
	npts = sbg_cohort_points(alive, n, pts, &err);
	if (npts < 0)
		core_ereport(&err);
	return sbg_fit_points(fcinfo, pts, npts, penalizer);
}

/* ---------------------------------------------------------------------------
 * sBG projections
 * ---------------------------------------------------------------------------
 */

static double
period_arg(FunctionCallInfo fcinfo, int argno, int least, const char *what)
{
	int32		t = PG_GETARG_INT32(argno);

	if (t < least)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be at least %d, not %d", what, least, t)));
	return t;
}

PG_FUNCTION_INFO_V1(sbg_survival);
Datum
sbg_survival(PG_FUNCTION_ARGS)
{
	double		params[SBG_NPARAMS];
	double		t = period_arg(fcinfo, 1, 0, "periods");

	if (!read_sbg_model(fcinfo, params))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sbg_survival_at(params, t));
}

PG_FUNCTION_INFO_V1(sbg_churn_probability);
Datum
sbg_churn_probability(PG_FUNCTION_ARGS)
{
	double		params[SBG_NPARAMS];
	double		t = period_arg(fcinfo, 1, 1, "period");

	if (!read_sbg_model(fcinfo, params))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sbg_churn_at(params, t));
}

PG_FUNCTION_INFO_V1(sbg_retention_rate);
Datum
sbg_retention_rate(PG_FUNCTION_ARGS)
{
	double		params[SBG_NPARAMS];
	double		t = period_arg(fcinfo, 1, 1, "period");

	if (!read_sbg_model(fcinfo, params))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sbg_retention_at(params, t));
}

PG_FUNCTION_INFO_V1(sbg_derl);
Datum
sbg_derl(PG_FUNCTION_ARGS)
{
	double		params[SBG_NPARAMS];
	double		n = period_arg(fcinfo, 1, 0, "renewals");
	double		d = PG_GETARG_FLOAT8(2);

	if (!(d >= 1e-4) || !isfinite(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount_rate must be a finite number of at least 0.0001, not %g", d),
				 errdetail("The expected residual lifetime is a series in 1 / (1 + discount_rate), which converges too slowly below that.")));
	if (!read_sbg_model(fcinfo, params))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sbg_derl_at(params, n, d));
}
