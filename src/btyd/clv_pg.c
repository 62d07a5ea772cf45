/*-------------------------------------------------------------------------
 *
 * clv_pg.c
 *	  Customer lifetime value in SQL: the clv_model type, the clv_fit
 *	  aggregate, the per-customer predictions and the closed-form estimate.
 *
 * A clv_model value holds the CLV_MODEL_NFIELDS numbers of model.c as
 * float8s, in their canonical order; text, binary and jsonb forms walk the
 * same list, and every way in (text, binary) runs clv_model_check.
 *
 * clv_fit's state is a BtydPointSet (points.c): identical summaries
 * collapse into one weighted point, states merge for parallel and partial
 * aggregation, and the final function sorts the points before fitting, so a
 * parallel fit is bit for bit the serial one.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "btyd.h"
#include "core_pg.h"
#include "model.h"
#include "points.h"
#include "points_pg.h"
#include "buffer_pg.h"

static bytea *
model_to_value(const ClvModel *m)
{
	float8		f[CLV_MODEL_NFIELDS];
	int			n = clv_model_encode(m, f);
	bytea	   *v = palloc(VARHDRSZ + n * sizeof(float8));

	SET_VARSIZE(v, VARHDRSZ + n * sizeof(float8));
	memcpy(VARDATA(v), f, n * sizeof(float8));
	return v;
}

static void
model_check_or_error(const ClvModel *m)
{
	CoreError	err;

	if (!clv_model_check(m, &err))
		core_ereport(&err);
}

/* the size of a value of one of the format versions */
static bool
model_size_ok(int nbytes)
{
	for (int v = 1; v <= CLV_MODEL_VERSION; v++)
		if (nbytes == clv_model_nfields(v) * (int) sizeof(float8))
			return true;
	return false;
}

/*
 * The model of a value, of any format version (a value stored by 0.1.0
 * is version 1); stored values were checked on the way in, but a damaged
 * one is an error, not a crash.
 */
static void
value_to_model(Datum d, ClvModel *m)
{
	bytea	   *v = DatumGetByteaPP(d);
	float8		f[CLV_MODEL_NFIELDS];
	int			nbytes = VARSIZE_ANY_EXHDR(v);
	CoreError	err;

	if (!model_size_ok(nbytes))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("clv_model value has %d bytes, not %d, %d or %d", nbytes,
						(int) (clv_model_nfields(1) * sizeof(float8)),
						(int) (clv_model_nfields(2) * sizeof(float8)),
						(int) (clv_model_nfields(3) * sizeof(float8)))));
	memcpy(f, VARDATA_ANY(v), nbytes);
	if (!clv_model_decode(f, nbytes / sizeof(float8), m, &err))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("clv_model value is damaged"),
				 core_errdetail(&err)));
}

PG_FUNCTION_INFO_V1(clv_model_in);
Datum
clv_model_in(PG_FUNCTION_ARGS)
{
	ClvModel	m;
	CoreError	err;

	if (!clv_model_parse(PG_GETARG_CSTRING(0), &m, &err))
		core_ereport(&err);
	PG_RETURN_BYTEA_P(model_to_value(&m));
}

PG_FUNCTION_INFO_V1(clv_model_out);
Datum
clv_model_out(PG_FUNCTION_ARGS)
{
	ClvModel	m;

	value_to_model(PG_GETARG_DATUM(0), &m);
	PG_RETURN_CSTRING(clv_model_format(&m));
}

PG_FUNCTION_INFO_V1(clv_model_recv);
Datum
clv_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ClvModel	m;
	float8		f[CLV_MODEL_NFIELDS];
	int			nbytes = buf->len - buf->cursor;
	CoreError	err;

	if (!model_size_ok(nbytes))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary clv_model"),
				 errdetail("A clv_model is %d float8 values (format version 1), %d (version 2) or %d (version 3); received %d bytes.",
						   clv_model_nfields(1), clv_model_nfields(2), clv_model_nfields(3), nbytes)));
	for (int i = 0; i < nbytes / (int) sizeof(float8); i++)
		f[i] = pq_getmsgfloat8(buf);
	if (!clv_model_decode(f, nbytes / sizeof(float8), &m, &err))
		core_ereport(&err);
	PG_RETURN_BYTEA_P(model_to_value(&m));
}

PG_FUNCTION_INFO_V1(clv_model_send);
Datum
clv_model_send(PG_FUNCTION_ARGS)
{
	ClvModel	m;
	StringInfoData buf;
	float8		f[CLV_MODEL_NFIELDS];
	int			n;

	value_to_model(PG_GETARG_DATUM(0), &m);
	n = clv_model_encode(&m, f);
	pq_begintypsend(&buf);
	for (int i = 0; i < n; i++)
		pq_sendfloat8(&buf, f[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* a JSON number (shortest round-trip form), or null for NaN */
static void
append_number(StringInfo s, double v)
{
	char		num[32];

	if (isnan(v))
	{
		appendStringInfoString(s, "null");
		return;
	}
	clv_shortest_double(v, num);
	appendStringInfoString(s, num);
}

/*
 * The jsonb view: {"kind": "bgnbd", "bgnbd": {"r": ..., ..., "se": {...},
 * "loglik": ..., "aic": ..., "bic": ...}, "gamma_gamma": {...},
 * "unit_days": ..., "penalizer": ..., ...}; the purchase model's key is its
 * kind ("pareto_nbd": {"r", "alpha", "s", "beta", ...}).
 */
PG_FUNCTION_INFO_V1(clv_model_jsonb);
Datum
clv_model_jsonb(PG_FUNCTION_ARGS)
{
	ClvModel	m;
	StringInfoData s;
	const ClvKindInfo *kind;
	static const char *const gg[] = {"p", "q", "gamma"};

	value_to_model(PG_GETARG_DATUM(0), &m);
	kind = clv_kind_info(m.kind);
	initStringInfo(&s);
	appendStringInfo(&s, "{\"kind\": \"%s\"", kind->name);
	for (int model = 0; model < 2; model++)
	{
		const BtydFit *fit = model == 0 ? &m.purchase : &m.gg;
		const char *const *names = model == 0 ? kind->params : gg;
		int			n = model == 0 ? kind->nparams : GG_NPARAMS;

		if (model == 1 && !kind->has_spend)
			break;
		if (model == 0)
			appendStringInfo(&s, ", \"%s\": {", kind->name);
		else
			appendStringInfoString(&s, ", \"gamma_gamma\": {");
		for (int k = 0; k < n; k++)
		{
			appendStringInfo(&s, "\"%s\": ", names[k]);
			append_number(&s, fit->params[k]);
			appendStringInfoString(&s, ", ");
		}
		appendStringInfoString(&s, "\"se\": {");
		for (int k = 0; k < n; k++)
		{
			appendStringInfo(&s, "%s\"%s\": ", k ? ", " : "", names[k]);
			append_number(&s, fit->se[k]);
		}
		appendStringInfoString(&s, "}, \"loglik\": ");
		append_number(&s, fit->loglik);
		appendStringInfo(&s, ", \"nparams\": %d, \"aic\": ", clv_fit_nparams(fit));
		append_number(&s, clv_fit_aic(fit));
		appendStringInfoString(&s, ", \"bic\": ");
		append_number(&s, clv_fit_bic(fit));
		if (model == 0)
			appendStringInfo(&s, ", \"boundary\": %s", fit->boundary ? "true" : "false");
		appendStringInfoString(&s, ", \"customers\": ");
		append_number(&s, fit->customers);
		appendStringInfo(&s, ", \"iterations\": %d, \"gradient_norm\": ", fit->iterations);
		append_number(&s, fit->grad_norm);
		appendStringInfo(&s, ", \"converged\": %s}", fit->converged ? "true" : "false");
	}
	appendStringInfoString(&s, ", \"unit_days\": ");
	append_number(&s, m.unit_days);
	appendStringInfoString(&s, ", \"penalizer\": ");
	append_number(&s, m.penalizer);
	appendStringInfo(&s, ", \"format_version\": %d}", clv_model_version(&m));
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}

/* ---------------------------------------------------------------------------
 * Reading a btyd_summary argument
 * ---------------------------------------------------------------------------
 */

typedef struct Summary
{
	double		x,
				tx,
				T,
				m;
	double		duration;		/* btyd_holdout: duration_holdout, else 0 */
	double		unit_days;		/* NaN: a summary stored by 0.1.0, without unit */
} Summary;

#define SUMMARY_NATTS 5
#define HOLDOUT_NATTS 8

/*
 * The summary in argument argno, a btyd_summary or the calibration part of
 * a btyd_holdout (whose first four fields are a summary's, its unit the
 * last); false if the summary or one of its fields but the unit is NULL
 * (the prediction is then NULL).  22023 for a summary no customer can have.
 */
static bool
read_summary(FunctionCallInfo fcinfo, int argno, Summary *s)
{
	Datum		values[HOLDOUT_NATTS];
	bool		nulls[HOLDOUT_NATTS];
	int			natts;
	bool		has_unit;

	if (PG_ARGISNULL(argno))
		return false;
	/* 0.1.0's types (a database not yet updated) have no unit: 4 and 7 */
	natts = core_deform_row(PG_GETARG_HEAPTUPLEHEADER(argno), HOLDOUT_NATTS, values, nulls);
	if (natts != SUMMARY_NATTS && natts != HOLDOUT_NATTS &&
		natts != SUMMARY_NATTS - 1 && natts != HOLDOUT_NATTS - 1)
		elog(ERROR, "a btyd_summary has %d fields and a btyd_holdout %d, not %d",
			 SUMMARY_NATTS, HOLDOUT_NATTS, natts);
	has_unit = natts == SUMMARY_NATTS || natts == HOLDOUT_NATTS;
	if (!has_unit)
		nulls[natts++] = true;	/* the unit, NULL */
	s->duration = 0;
	if (natts == HOLDOUT_NATTS)
	{
		if (nulls[6])
			return false;
		s->duration = DatumGetFloat8(values[6]);
	}
	if (nulls[0] || nulls[1] || nulls[2] || nulls[3])
		return false;
	s->x = DatumGetInt32(values[0]);
	s->tx = DatumGetFloat8(values[1]);
	s->T = DatumGetFloat8(values[2]);
	s->m = DatumGetFloat8(values[3]);
	s->unit_days = nulls[natts - 1] ? NAN : DatumGetFloat8(values[natts - 1]);
	if (!(s->x >= 0) || !(s->tx >= 0) || !(s->T >= s->tx) || !isfinite(s->T) ||
		!(s->m >= 0) || !isfinite(s->m) || (s->x == 0 && s->tx != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid btyd_summary (%g, %g, %g, %g)", s->x, s->tx, s->T, s->m),
				 errdetail("A summary needs frequency >= 0, 0 <= recency <= t, recency 0 without repeat purchases, and a finite monetary >= 0.")));
	if (!nulls[natts - 1] && !(s->unit_days > 0 && isfinite(s->unit_days)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid btyd_summary unit_days %g", s->unit_days),
				 errdetail("The unit of a summary is a finite number of days above 0, or NULL in a summary stored by segmentation 0.1.0.")));
	return true;
}

/*
 * A prediction reads a summary in the model's unit: a summary of another
 * unit is an error (a summary without unit, stored by 0.1.0, is taken to
 * be in the model's, as 0.1.0 took it).
 */
static void
same_unit(const ClvModel *m, const Summary *s)
{
	if (!isnan(s->unit_days) && s->unit_days != m->unit_days)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the summary's unit_days %g does not match the model's unit_days %g",
						s->unit_days, m->unit_days),
				 errhint("Summarize with the model's unit: btyd_summary(ordered_at, amount, as_of, unit).")));
}

/* ---------------------------------------------------------------------------
 * Predictions
 * ---------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(clv_expected_purchases);
Datum
clv_expected_purchases(PG_FUNCTION_ARGS)
{
	ClvModel	m;
	Summary		s;
	CoreError	err;
	double		out;
	double		t = PG_GETARG_FLOAT8(2);

	if (!read_summary(fcinfo, 1, &s))
		PG_RETURN_NULL();
	if (!(t >= 0) || !isfinite(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must be a finite number of at least 0")));
	value_to_model(PG_GETARG_DATUM(0), &m);
	same_unit(&m, &s);
	if (!clv_model_expected_purchases(&m, "clv_expected_purchases", s.x, s.tx, s.T, t, &out, &err))
		core_ereport(&err);
	PG_RETURN_FLOAT8(out);
}

/* clv_expected_purchases(model, holdout): over the holdout's duration */
PG_FUNCTION_INFO_V1(clv_expected_purchases_holdout);
Datum
clv_expected_purchases_holdout(PG_FUNCTION_ARGS)
{
	ClvModel	m;
	Summary		s;
	CoreError	err;
	double		out;

	if (!read_summary(fcinfo, 1, &s))
		PG_RETURN_NULL();
	value_to_model(PG_GETARG_DATUM(0), &m);
	same_unit(&m, &s);
	if (!clv_model_expected_purchases(&m, "clv_expected_purchases", s.x, s.tx, s.T, s.duration,
									  &out, &err))
		core_ereport(&err);
	PG_RETURN_FLOAT8(out);
}

/* btyd_holdout AS btyd_summary: the calibration summary */
PG_FUNCTION_INFO_V1(btyd_holdout_summary_part);
Datum
btyd_holdout_summary_part(PG_FUNCTION_ARGS)
{
	TupleDesc	out;
	Datum		values[HOLDOUT_NATTS];
	bool		nulls[HOLDOUT_NATTS];
	int			natts;

	if (get_call_result_type(fcinfo, NULL, &out) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "btyd_holdout_summary_part must return a composite");
	/* 0.2.0's types, or 0.1.0's without unit (a database not yet updated) */
	natts = core_deform_row(PG_GETARG_HEAPTUPLEHEADER(0), HOLDOUT_NATTS, values, nulls);
	if (natts != HOLDOUT_NATTS && natts != HOLDOUT_NATTS - 1)
		elog(ERROR, "a btyd_holdout has %d fields", HOLDOUT_NATTS);
	if (out->natts != SUMMARY_NATTS && out->natts != SUMMARY_NATTS - 1)
		elog(ERROR, "a btyd_summary has %d fields", SUMMARY_NATTS);
	/* the four calibration fields, and the unit */
	if (out->natts == SUMMARY_NATTS)
	{
		values[SUMMARY_NATTS - 1] = natts == HOLDOUT_NATTS ? values[HOLDOUT_NATTS - 1] : (Datum) 0;
		nulls[SUMMARY_NATTS - 1] = natts == HOLDOUT_NATTS ? nulls[HOLDOUT_NATTS - 1] : true;
	}
	out = BlessTupleDesc(out);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(out, values, nulls)));
}

PG_FUNCTION_INFO_V1(clv_p_alive);
Datum
clv_p_alive(PG_FUNCTION_ARGS)
{
	ClvModel	m;
	Summary		s;
	CoreError	err;
	double		out;

	if (!read_summary(fcinfo, 1, &s))
		PG_RETURN_NULL();
	value_to_model(PG_GETARG_DATUM(0), &m);
	same_unit(&m, &s);
	if (!clv_model_p_alive(&m, "clv_p_alive", s.x, s.tx, s.T, &out, &err))
		core_ereport(&err);
	PG_RETURN_FLOAT8(out);
}

PG_FUNCTION_INFO_V1(clv_expected_spend);
Datum
clv_expected_spend(PG_FUNCTION_ARGS)
{
	ClvModel	m;
	Summary		s;
	CoreError	err;
	double		out;

	if (!read_summary(fcinfo, 1, &s))
		PG_RETURN_NULL();
	value_to_model(PG_GETARG_DATUM(0), &m);
	same_unit(&m, &s);
	if (!clv_model_expected_spend(&m, "clv_expected_spend", s.x, s.m, &out, &err))
		core_ereport(&err);
	PG_RETURN_FLOAT8(out);
}

/*
 * clv_estimate over many customers: G(x, T) of clv_model_discounted_purchases
 * (months evaluations of a hypergeometric series each) is kept in fn_extra
 * by (x, T), which customers share in the thousands (whole days, repeat
 * counts); a customer then costs P(alive) and the Gamma-Gamma spend.  The
 * cache holds one model, months and discount rate at a time and is emptied
 * when they change or it fills.
 */
#define GCACHE_SIZE 65536		/* a power of two */

typedef struct GCacheEntry
{
	double		x;
	double		T;
	double		g;
	bool		used;
} GCacheEntry;

typedef struct GCache
{
	float8		model[CLV_MODEL_NFIELDS];	/* the value it was filled for */
	int			model_bytes;
	int			months;
	double		discount;
	bool		valid;
	ClvModel	m;
	int			n;
	GCacheEntry e[GCACHE_SIZE];
} GCache;

static double
cached_g(GCache *c, double x, double T, CoreError *err, bool *ok)
{
	uint64		bits[2];
	uint32		h;
	double		g;

	memcpy(&bits[0], &x, sizeof(double));
	memcpy(&bits[1], &T, sizeof(double));
	h = hash_bytes((const unsigned char *) bits, sizeof(bits)) & (GCACHE_SIZE - 1);
	while (c->e[h].used)
	{
		if (c->e[h].x == x && c->e[h].T == T)
			return c->e[h].g;
		h = (h + 1) & (GCACHE_SIZE - 1);
	}
	*ok = clv_model_discounted_purchases(&c->m, x, T, c->months, c->discount, &g, err);
	if (!*ok)
		return 0;
	if (c->n >= GCACHE_SIZE / 2)
	{
		memset(c->e, 0, sizeof(c->e));
		c->n = 0;
		return g;
	}
	c->e[h] = (GCacheEntry) {x, T, g, true};
	c->n++;
	return g;
}

PG_FUNCTION_INFO_V1(clv_estimate_model);
Datum
clv_estimate_model(PG_FUNCTION_ARGS)
{
	GCache	   *c = fcinfo->flinfo->fn_extra;
	bytea	   *model = PG_GETARG_BYTEA_PP(0);
	int			months = PG_GETARG_INT32(2);
	double		discount = PG_GETARG_FLOAT8(3);
	Summary		s;
	CoreError	err;
	bool		ok = true;
	double		g,
				alive,
				spend;

	if (months < 0 || months > CLV_MAX_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("months must be between 0 and %d, not %d", CLV_MAX_MONTHS, months)));
	if (!read_summary(fcinfo, 1, &s))
		PG_RETURN_NULL();
	if (c == NULL)
		c = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(GCache));
	if (!c->valid || c->months != months || c->discount != discount ||
		VARSIZE_ANY_EXHDR(model) != c->model_bytes ||
		memcmp(VARDATA_ANY(model), c->model, c->model_bytes) != 0)
	{
		c->valid = false;
		value_to_model(PointerGetDatum(model), &c->m);
		c->model_bytes = VARSIZE_ANY_EXHDR(model);
		memcpy(c->model, VARDATA_ANY(model), c->model_bytes);
		c->months = months;
		c->discount = discount;
		memset(c->e, 0, sizeof(c->e));
		c->n = 0;
		c->valid = true;
	}
	same_unit(&c->m, &s);
	g = cached_g(c, s.x, s.T, &err, &ok);
	if (!ok)
	{
		c->valid = false;
		core_ereport(&err);
	}
	if (!clv_model_p_alive(&c->m, "clv_estimate", s.x, s.tx, s.T, &alive, &err) ||
		!clv_model_expected_spend(&c->m, "clv_estimate", s.x, s.m, &spend, &err))
		core_ereport(&err);
	PG_RETURN_FLOAT8(spend * alive * g);
}

PG_FUNCTION_INFO_V1(clv_estimate_closed_form);
Datum
clv_estimate_closed_form(PG_FUNCTION_ARGS)
{
	CoreError	err;
	double		clv;

	if (!clv_closed_form(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
						 PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4), &clv, &err))
		core_ereport(&err);
	PG_RETURN_FLOAT8(clv);
}

/* ---------------------------------------------------------------------------
 * clv_fit(summary [, penalizer [, unit]])
 * ---------------------------------------------------------------------------
 */

/*
 * The memory of a state's points: a million customers' summaries take
 * 40 MB, written once per query, so a large array is mapped in transparent
 * huge pages (core/buffer_pg.c, where the first write to each fresh 4 kB
 * page costs about 15 us on the machines measured); a small one is palloc'd.
 */
typedef struct PointMem
{
	RfmBuffer	buf;
	MemoryContext cxt;
} PointMem;

static void *
points_resize(void *arg, void *mem, size_t size, size_t used)
{
	PointMem   *pm = (PointMem *) arg;

	if (mem == NULL)
		return rfm_buffer_alloc(&pm->buf, pm->cxt, size);
	return rfm_buffer_grow(&pm->buf, size, used);
}

static void
points_release(void *arg, void *mem)
{
	rfm_buffer_release(&((PointMem *) arg)->buf);
}

typedef struct FitAgg
{
	BtydPointSet set;
	PointMem	mem;			/* where set's points live */
	double		penalizer;
	double		arg_unit;		/* clv_fit's unit argument in days; NaN: none */
	double		unit_days;		/* the summaries' unit; NaN before the first */
	bool		transient;		/* deserialized: a combine may take its points */
} FitAgg;

static FitAgg *
fit_agg_new(MemoryContext cxt, double penalizer, double arg_unit)
{
	FitAgg	   *agg = MemoryContextAllocZero(cxt, sizeof(FitAgg));

	agg->mem.cxt = cxt;
	btyd_points_init_alloc(&agg->set, points_resize, points_release, &agg->mem);
	agg->penalizer = penalizer;
	agg->arg_unit = arg_unit;
	agg->unit_days = NAN;
	return agg;
}

static void
same_double(double was, double now, const char *what)
{
	/* NaN is "not given" for the unit argument: the same as itself */
	if (was != now && !(isnan(was) && isnan(now)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be the same on every row of a clv_fit group", what),
				 errdetail("Found %g and %g.", was, now)));
}

/* A group's summaries share one unit (NaN: no summary yet). */
static void
same_summary_unit(FitAgg *agg, double unit_days)
{
	if (isnan(unit_days))
		return;
	if (isnan(agg->unit_days))
		agg->unit_days = unit_days;
	else if (agg->unit_days != unit_days)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("clv_fit over summaries of different units"),
				 errdetail("Found summaries with unit_days %g and %g.",
						   agg->unit_days, unit_days),
				 errhint("Summarize every customer with the same unit.")));
}

PG_FUNCTION_INFO_V1(clv_fit_trans);
Datum
clv_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FitAgg	   *agg = PG_ARGISNULL(0) ? NULL : (FitAgg *) PG_GETARG_POINTER(0);
	double		penalizer = 0;
	double		arg_unit = NAN;
	double		unit;
	Summary		s;
	MemoryContext old;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "clv_fit_trans called in non-aggregate context");
	if (PG_NARGS() > 2)
	{
		if (PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("penalizer must not be null")));
		penalizer = PG_GETARG_FLOAT8(2);
		if (!(penalizer >= 0) || !isfinite(penalizer))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("penalizer must be a finite number of at least 0")));
	}
	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("unit must not be null")));
		arg_unit = core_unit_days(PG_GETARG_INTERVAL_P(3));
	}
	if (agg == NULL)
		agg = fit_agg_new(aggcxt, penalizer, arg_unit);
	else
	{
		same_double(agg->penalizer, penalizer, "penalizer");
		same_double(agg->arg_unit, arg_unit, "unit");
	}
	/* a NULL summary (a customer without orders) or field is skipped */
	if (!read_summary(fcinfo, 1, &s))
		PG_RETURN_POINTER(agg);

	/*
	 * The summary's own unit; a summary stored by 0.1.0 has none and is in
	 * the unit argument, days without it, as 0.1.0 read it.  A unit argument
	 * that contradicts the summaries' is an error.
	 */
	unit = !isnan(s.unit_days) ? s.unit_days : !isnan(arg_unit) ? arg_unit : 1.0;
	if (!isnan(arg_unit) && unit != arg_unit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("clv_fit's unit of %g days does not match the summary's unit_days %g",
						arg_unit, unit),
				 errhint("The unit travels with the summary: clv_fit(summary) or clv_fit(summary, penalizer) reads it.")));
	same_summary_unit(agg, unit);
	old = MemoryContextSwitchTo(aggcxt);
	btyd_points_add(&agg->set, s.x, s.tx, s.T, s.m, 1);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(agg);
}

PG_FUNCTION_INFO_V1(clv_fit_combine);
Datum
clv_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FitAgg	   *a = PG_ARGISNULL(0) ? NULL : (FitAgg *) PG_GETARG_POINTER(0);
	FitAgg	   *b = PG_ARGISNULL(1) ? NULL : (FitAgg *) PG_GETARG_POINTER(1);
	MemoryContext old;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "clv_fit_combine called in non-aggregate context");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = fit_agg_new(aggcxt, b->penalizer, b->arg_unit);
	same_double(a->penalizer, b->penalizer, "penalizer");
	same_double(a->arg_unit, b->arg_unit, "unit");
	same_summary_unit(a, b->unit_days);
	old = MemoryContextSwitchTo(aggcxt);
	if (b->transient)
		btyd_points_take(&a->set, &b->set);
	else
		btyd_points_merge(&a->set, &b->set);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(clv_fit_serialize);
Datum
clv_fit_serialize(PG_FUNCTION_ARGS)
{
	FitAgg	   *agg = (FitAgg *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	/*
	 * Sorted (the same multiset of summaries, identical ones collapsed), so
	 * that the leader merges the workers' states in linear passes and its
	 * final function has nothing left to sort: the sorting is done by the
	 * workers, in parallel.
	 */
	btyd_points_sort(&agg->set);
	pq_begintypsend(&buf);
	pq_sendfloat8(&buf, agg->penalizer);
	pq_sendfloat8(&buf, agg->arg_unit);
	pq_sendfloat8(&buf, agg->unit_days);
	btyd_points_send(&buf, &agg->set, true, "clv_fit");
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(clv_fit_deserialize);
Datum
clv_fit_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	MemoryContext aggcxt = core_agg_deserialize_begin(fcinfo, "clv_fit_deserialize", &buf);
	double		penalizer = pq_getmsgfloat8(&buf);
	double		arg_unit = pq_getmsgfloat8(&buf);
	double		unit_days = pq_getmsgfloat8(&buf);
	FitAgg	   *agg = fit_agg_new(aggcxt, penalizer, arg_unit);

	agg->unit_days = unit_days;
	btyd_points_recv(&buf, &agg->set, true, aggcxt, "clv_fit");
	agg->transient = true;
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(agg);
}

/*
 * The final functions of clv_fit (BG/NBD), clv_fit_pareto_nbd and
 * clv_fit_mbgnbd: one state, one transition; the kind's fit (model.h's
 * table) and, for a kind with spend, Gamma-Gamma.
 */
static Datum
fit_final(FunctionCallInfo fcinfo, ClvModelKind kind)
{
	FitAgg	   *agg = PG_ARGISNULL(0) ? NULL : (FitAgg *) PG_GETARG_POINTER(0);
	const ClvKindInfo *info = clv_kind_info(kind);
	ClvModel	m;
	CoreError	err;

	if (agg == NULL || agg->set.n == 0)
		PG_RETURN_NULL();

	/*
	 * Sort the state in place: its points, identical ones collapsed, in
	 * canonical order.  The state stays the same multiset of summaries, so
	 * it can take more rows and be finalized again (window use).
	 */
	btyd_points_sort(&agg->set);

	memset(&m, 0, sizeof(m));
	m.kind = kind;
	m.unit_days = isnan(agg->unit_days) ? 1.0 : agg->unit_days;
	m.penalizer = agg->penalizer;
	if (!info->fit(agg->set.pts, agg->set.n, agg->penalizer, &m.purchase, &err) ||
		(info->has_spend && !gg_fit(agg->set.pts, agg->set.n, agg->penalizer, &m.gg, &err)))
		core_ereport(&err);
	if (m.purchase.boundary)
		ereport(NOTICE,
				(errmsg("the BG/NBD fit is at its boundary: no customer appears to drop out"),
				 errdetail("The likelihood is highest as the dropout probability a / (a + b) goes to 0: the model is the NBD with r = %g and alpha = %g, a and b are NaN, and every customer is alive.",
						   m.purchase.params[0], m.purchase.params[1])));
	model_check_or_error(&m);
	PG_RETURN_BYTEA_P(model_to_value(&m));
}

PG_FUNCTION_INFO_V1(clv_fit_final);
Datum
clv_fit_final(PG_FUNCTION_ARGS)
{
	return fit_final(fcinfo, CLV_KIND_BGNBD);
}

PG_FUNCTION_INFO_V1(clv_fit_pareto_nbd_final);
Datum
clv_fit_pareto_nbd_final(PG_FUNCTION_ARGS)
{
	return fit_final(fcinfo, CLV_KIND_PARETO_NBD);
}

PG_FUNCTION_INFO_V1(clv_fit_mbgnbd_final);
Datum
clv_fit_mbgnbd_final(PG_FUNCTION_ARGS)
{
	return fit_final(fcinfo, CLV_KIND_MBGNBD);
}
