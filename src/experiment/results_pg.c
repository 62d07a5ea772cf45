/*-------------------------------------------------------------------------
 *
 * results_pg.c
 *	  The experiment result aggregates: segment_lift_conversion,
 *	  segment_lift_mean, segment_lift_cuped and segment_lift_ratio over
 *	  (variant, outcome [, covariate or denominator] [, confidence]).
 *
 * The state is one ExpMoments per variant index (0 = control, at most
 * ASSIGN_MAX_VARIANTS), so it is small and merges exactly as the moments
 * merge (stats.c): parallel and partial aggregation combine states.  The
 * final function returns segment_experiment_result[], one element per
 * variant, the control's first; stats.c computes the tests.
 *
 * A row with a NULL variant is not in the experiment and is skipped without
 * a trace; a row with a NULL outcome (or covariate, or denominator) is
 * skipped and counted in its variant's n_null.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "core_pg.h"
#include "experiment/assign.h"
#include "experiment/stats.h"

typedef struct LiftState
{
	int32		metric;			/* ExpMetric */
	double		confidence;		/* two-sided level, 0.95 by default */
	int32		nvariants;		/* 1 + the largest variant seen */
	int32		capacity;
	ExpMoments *m;
} LiftState;

static const char *
metric_name(int metric)
{
	switch (metric)
	{
		case EXP_CONVERSION:
			return "segment_lift_conversion";
		case EXP_MEAN:
			return "segment_lift_mean";
		case EXP_CUPED:
			return "segment_lift_cuped";
		case EXP_RATIO:
			return "segment_lift_ratio";
	}
	return "segment_lift";
}

static LiftState *
state_new(MemoryContext cxt, int metric, double confidence)
{
	LiftState  *s = MemoryContextAllocZero(cxt, sizeof(LiftState));

	s->metric = metric;
	s->confidence = confidence;
	s->capacity = 2;
	s->m = MemoryContextAllocZero(cxt, s->capacity * sizeof(ExpMoments));
	return s;
}

/* Make room for variant v (0-based) in s. */
static void
state_grow(LiftState *s, MemoryContext cxt, int v)
{
	if (v >= s->capacity)
	{
		int			cap = s->capacity;
		ExpMoments *m;

		while (cap <= v)
			cap *= 2;
		if (cap > ASSIGN_MAX_VARIANTS)
			cap = ASSIGN_MAX_VARIANTS;
		m = MemoryContextAllocZero(cxt, cap * sizeof(ExpMoments));
		memcpy(m, s->m, s->nvariants * sizeof(ExpMoments));
		pfree(s->m);
		s->m = m;
		s->capacity = cap;
	}
	if (v >= s->nvariants)
		s->nvariants = v + 1;
}

static double
read_confidence(double c, const char *agg)
{
	if (!(c > 0.0 && c < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the confidence level of %s must be between 0 and 1 (exclusive)", agg),
				 errhint("Give a level such as 0.95.")));
	return c;
}

/*
 * The shared transition: args (state, variant int, y, [x], [confidence]).
 * nvals is 1 or 2 (y only, or y and x).
 */
static Datum
lift_trans(FunctionCallInfo fcinfo, int metric, int nvals)
{
	MemoryContext aggcxt;
	LiftState  *s = PG_ARGISNULL(0) ? NULL : (LiftState *) PG_GETARG_POINTER(0);
	int			conf_arg = 2 + nvals;
	double		confidence = 0.95;
	int32		v;
	bool		null_value = false;
	double		y = 0.0,
				x = 0.0;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", metric_name(metric));

	if (PG_NARGS() > conf_arg)
	{
		if (PG_ARGISNULL(conf_arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the confidence level of %s must not be NULL", metric_name(metric))));
		confidence = read_confidence(PG_GETARG_FLOAT8(conf_arg), metric_name(metric));
	}
	if (s == NULL)
		s = state_new(aggcxt, metric, confidence);
	else if (s->confidence != confidence)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the confidence level of %s must be the same in every row of a group", metric_name(metric))));

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(s);
	v = PG_GETARG_INT32(1);
	if (v < 0 || v >= ASSIGN_MAX_VARIANTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("variant %d is out of range in %s", v, metric_name(metric)),
				 errdetail("Variants are numbered from 0 (the control) to %d.", ASSIGN_MAX_VARIANTS - 1)));
	state_grow(s, aggcxt, v);

	for (int i = 0; i < nvals; i++)
		if (PG_ARGISNULL(2 + i))
			null_value = true;
	if (null_value)
	{
		s->m[v].n_null += 1.0;
		PG_RETURN_POINTER(s);
	}
	if (metric == EXP_CONVERSION)
		y = PG_GETARG_BOOL(2) ? 1.0 : 0.0;
	else
	{
		y = PG_GETARG_FLOAT8(2);
		if (nvals > 1)
			x = PG_GETARG_FLOAT8(3);
		if (!isfinite(y) || !isfinite(x))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s needs finite values, not %g", metric_name(metric), isfinite(y) ? x : y)));
	}
	exp_moments_add(&s->m[v], y, x);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(segment_lift_conversion_trans);
Datum
segment_lift_conversion_trans(PG_FUNCTION_ARGS)
{
	return lift_trans(fcinfo, EXP_CONVERSION, 1);
}

PG_FUNCTION_INFO_V1(segment_lift_mean_trans);
Datum
segment_lift_mean_trans(PG_FUNCTION_ARGS)
{
	return lift_trans(fcinfo, EXP_MEAN, 1);
}

PG_FUNCTION_INFO_V1(segment_lift_cuped_trans);
Datum
segment_lift_cuped_trans(PG_FUNCTION_ARGS)
{
	return lift_trans(fcinfo, EXP_CUPED, 2);
}

PG_FUNCTION_INFO_V1(segment_lift_ratio_trans);
Datum
segment_lift_ratio_trans(PG_FUNCTION_ARGS)
{
	return lift_trans(fcinfo, EXP_RATIO, 2);
}

PG_FUNCTION_INFO_V1(segment_lift_combine);
Datum
segment_lift_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	LiftState  *a = PG_ARGISNULL(0) ? NULL : (LiftState *) PG_GETARG_POINTER(0);
	LiftState  *b = PG_ARGISNULL(1) ? NULL : (LiftState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "segment_lift_combine called in non-aggregate context");
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = state_new(aggcxt, b->metric, b->confidence);
	}
	else if (a->confidence != b->confidence)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the confidence level of %s must be the same in every row of a group",
						metric_name(a->metric))));
	if (b->nvariants > 0)
		state_grow(a, aggcxt, b->nvariants - 1);
	for (int i = 0; i < b->nvariants; i++)
		exp_moments_combine(&a->m[i], &b->m[i]);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(segment_lift_serialize);
Datum
segment_lift_serialize(PG_FUNCTION_ARGS)
{
	LiftState  *s = (LiftState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "segment_lift_serialize called in non-aggregate context");
	pq_begintypsend(&buf);
	pq_sendint32(&buf, s->metric);
	pq_sendfloat8(&buf, s->confidence);
	pq_sendint32(&buf, s->nvariants);
	for (int i = 0; i < s->nvariants; i++)
	{
		const ExpMoments *m = &s->m[i];

		pq_sendfloat8(&buf, m->n);
		pq_sendfloat8(&buf, m->n_null);
		pq_sendfloat8(&buf, m->my);
		pq_sendfloat8(&buf, m->mx);
		pq_sendfloat8(&buf, m->syy);
		pq_sendfloat8(&buf, m->sxx);
		pq_sendfloat8(&buf, m->sxy);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(segment_lift_deserialize);
Datum
segment_lift_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	MemoryContext aggcxt = core_agg_deserialize_begin(fcinfo, "segment_lift_deserialize", &buf);
	int			metric;
	double		confidence;
	int			n;
	LiftState  *s;

	metric = pq_getmsgint(&buf, 4);
	confidence = pq_getmsgfloat8(&buf);
	n = pq_getmsgint(&buf, 4);
	if (metric < EXP_CONVERSION || metric > EXP_RATIO || !(confidence > 0.0 && confidence < 1.0) ||
		n < 0 || n > ASSIGN_MAX_VARIANTS || buf.len - buf.cursor != n * 7 * 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid segment_lift aggregate state")));
	s = state_new(aggcxt, metric, confidence);
	if (n > 0)
		state_grow(s, aggcxt, n - 1);
	for (int i = 0; i < n; i++)
	{
		ExpMoments *m = &s->m[i];

		m->n = pq_getmsgfloat8(&buf);
		m->n_null = pq_getmsgfloat8(&buf);
		m->my = pq_getmsgfloat8(&buf);
		m->mx = pq_getmsgfloat8(&buf);
		m->syy = pq_getmsgfloat8(&buf);
		m->sxx = pq_getmsgfloat8(&buf);
		m->sxy = pq_getmsgfloat8(&buf);
		if (!(m->n >= 0.0 && m->n_null >= 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid segment_lift aggregate state")));
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(s);
}

static Datum
float_or_null(double v, bool *isnull)
{
	*isnull = isnan(v);
	return Float8GetDatum(isnan(v) ? 0.0 : v);
}

PG_FUNCTION_INFO_V1(segment_lift_final);
Datum
segment_lift_final(PG_FUNCTION_ARGS)
{
	LiftState  *s = PG_ARGISNULL(0) ? NULL : (LiftState *) PG_GETARG_POINTER(0);
	Oid			arraytype = get_fn_expr_rettype(fcinfo->flinfo);
	Oid			elemtype;
	TupleDesc	tupdesc;
	Datum	   *elems;
	ExpResult  *res;

	if (s == NULL || s->nvariants == 0)
		PG_RETURN_NULL();
	elemtype = get_element_type(arraytype);
	if (!OidIsValid(elemtype))
		elog(ERROR, "segment_lift_final must return an array of segment_experiment_result");
	tupdesc = lookup_rowtype_tupdesc_copy(elemtype, -1);
	if (tupdesc->natts != 12)
		elog(ERROR, "segment_experiment_result has %d attributes, not 12", tupdesc->natts);
	tupdesc = BlessTupleDesc(tupdesc);

	res = palloc0(s->nvariants * sizeof(ExpResult));
	exp_results(s->metric, s->nvariants, s->m, 1.0 - s->confidence, res);
	elems = palloc(s->nvariants * sizeof(Datum));
	for (int i = 0; i < s->nvariants; i++)
	{
		Datum		values[12];
		bool		nulls[12] = {0};
		ExpResult  *r = &res[i];

		values[0] = Int32GetDatum(r->variant);
		values[1] = Int64GetDatum((int64) r->n);
		values[2] = Int64GetDatum((int64) r->n_null);
		values[3] = float_or_null(r->mean, &nulls[3]);
		values[4] = float_or_null(r->lift, &nulls[4]);
		values[5] = float_or_null(r->lift_lower, &nulls[5]);
		values[6] = float_or_null(r->lift_upper, &nulls[6]);
		values[7] = float_or_null(r->rel, &nulls[7]);
		values[8] = float_or_null(r->rel_lower, &nulls[8]);
		values[9] = float_or_null(r->rel_upper, &nulls[9]);
		values[10] = float_or_null(r->p_value, &nulls[10]);
		values[11] = float_or_null(r->var_reduction, &nulls[11]);
		elems[i] = HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, s->nvariants, elemtype, -1, false, TYPALIGN_DOUBLE));
}
