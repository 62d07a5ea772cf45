/*-------------------------------------------------------------------------
 *
 * thresholds_pg.c
 *	  The rfm_thresholds type, the aggregate that computes it, and scoring
 *	  against it.
 *
 * An rfm_thresholds value holds, for each dimension, the number of values it
 * was computed from and the bins - 1 breakpoints of rank.h; scoring a
 * population against its own thresholds gives exactly the window function's
 * scores, and scoring new customers places them in yesterday's bins.
 *
 * Text form (JSON-shaped; NaN and Infinity appear bare):
 *	 {"bins": 5, "n": [1000, 1000, 998], "recency": [r2, ..., r5],
 *	  "frequency": [...], "monetary": [...]}
 * A dimension computed from no values has an empty list and scores NULL.
 * Breakpoints must be ordered: non-increasing for recency (lower is better),
 * non-decreasing for frequency and monetary.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "buffer_pg.h"
#include "core_pg.h"
#include "rank.h"
#include "rfm_pg.h"

#define NDIM 3
#define THRESHOLDS_VERSION 1

static const char *const dim_names[NDIM] = {"recency", "frequency", "monetary"};

typedef struct RfmThresholds
{
	int32		vl_len_;		/* varlena header */
	int16		version;
	int16		bins;
	int64		n[NDIM];		/* values each dimension was computed from */
	double		t[FLEXIBLE_ARRAY_MEMBER];	/* NDIM * (bins - 1) breakpoints */
} RfmThresholds;

#define THR_SIZE(bins) (offsetof(RfmThresholds, t) + sizeof(double) * NDIM * ((bins) - 1))
#define THR_DIM(thr, d) (&(thr)->t[(d) * ((thr)->bins - 1)])
#define DatumGetThresholds(d) ((RfmThresholds *) PG_DETOAST_DATUM(d))

static RfmThresholds *
thresholds_alloc(int bins)
{
	RfmThresholds *thr = palloc0(THR_SIZE(bins));

	SET_VARSIZE(thr, THR_SIZE(bins));
	thr->version = THRESHOLDS_VERSION;
	thr->bins = bins;
	return thr;
}

/*
 * Check what text or binary input claims: n >= 0 and ordered breakpoints.
 * sqlstate distinguishes text (22P02) from binary (22P03) input.
 */
static void
thresholds_validate(const RfmThresholds *thr, int sqlstate)
{
	for (int d = 0; d < NDIM; d++)
	{
		const double *t = THR_DIM(thr, d);

		if (thr->n[d] < 0)
			ereport(ERROR,
					(errcode(sqlstate),
					 errmsg("invalid rfm_thresholds: negative count for %s", dim_names[d])));
		if (thr->n[d] == 0)
			continue;
		for (int s = 1; s < thr->bins - 1; s++)
		{
			int			c = rank_cmp(t[s - 1], t[s]);

			if (d == 0 ? c < 0 : c > 0)
				ereport(ERROR,
						(errcode(sqlstate),
						 errmsg("invalid rfm_thresholds: %s breakpoints are out of order",
								dim_names[d]),
						 errdetail("Breakpoints must be %s.",
								   d == 0 ? "non-increasing for recency, where lower is better"
								   : "non-decreasing")));
		}
	}
}

/* ---------------------------------------------------------------------
 * Text I/O
 * ---------------------------------------------------------------------
 */

typedef struct ThrParser
{
	const char *input;			/* whole input, for messages */
	const char *p;
} ThrParser;

/*
 * The 1-based character position of p in the input, as PostgreSQL's own
 * syntax errors and the rule language's count (not a byte offset).  The
 * text form is ASCII, so a parse stops at the first other character and
 * the two agree; counting characters keeps that true if it ever is not.
 */
static int
thr_charpos(ThrParser *ps, const char *p)
{
	return pg_mbstrlen_with_len(ps->input, (int) (p - ps->input)) + 1;
}

static void pg_attribute_noreturn()
thr_syntax(ThrParser *ps, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type rfm_thresholds: \"%s\"", ps->input),
			 errdetail("Expected %s at character %d.", expected, thr_charpos(ps, ps->p))));
}

static void
thr_skip(ThrParser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static void
thr_expect(ThrParser *ps, char c)
{
	char		what[8];

	thr_skip(ps);
	if (*ps->p != c)
	{
		snprintf(what, sizeof(what), "\"%c\"", c);
		thr_syntax(ps, what);
	}
	ps->p++;
}

static bool
thr_accept(ThrParser *ps, char c)
{
	thr_skip(ps);
	if (*ps->p != c)
		return false;
	ps->p++;
	return true;
}

static void
thr_key(ThrParser *ps, const char *key)
{
	size_t		len = strlen(key);
	char		what[32];

	thr_skip(ps);
	if (ps->p[0] != '"' || strncmp(ps->p + 1, key, len) != 0 || ps->p[len + 1] != '"')
	{
		snprintf(what, sizeof(what), "key \"%s\"", key);
		thr_syntax(ps, what);
	}
	ps->p += len + 2;
	thr_expect(ps, ':');
}

/* Skip a run of digits; false if there is none. */
static bool
thr_digits(const char **p)
{
	const char *start = *p;

	while (**p >= '0' && **p <= '9')
		(*p)++;
	return *p > start;
}

/*
 * A breakpoint: a JSON number (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?)
 * or NaN, Infinity, -Infinity, which rfm_thresholds_out writes bare.  The
 * token is delimited by this grammar before float8in reads it, so nothing
 * strtod alone would accept (0x50, inf, leading spaces) gets in.
 */
static double
thr_number(ThrParser *ps)
{
	const char *q;
	char	   *tok;
	char	   *end;
	double		v;
	bool		bad = false;

	thr_skip(ps);
	q = ps->p;
	if (*q == '-')
		q++;
	if (strncmp(q, "Infinity", 8) == 0)
		q += 8;
	else if (q == ps->p && strncmp(q, "NaN", 3) == 0)
		q += 3;
	else
	{
		if (*q == '0')
			q++;
		else if (!thr_digits(&q))
			thr_syntax(ps, "a number");
		if (*q == '.')
		{
			q++;
			if (!thr_digits(&q))
				thr_syntax(ps, "a number");
		}
		if (*q == 'e' || *q == 'E')
		{
			q++;
			if (*q == '+' || *q == '-')
				q++;
			if (!thr_digits(&q))
				thr_syntax(ps, "a number");
		}
	}
	/* a number runs into the next delimiter, never into letters or digits */
	if (*q != '\0' && strchr(" \t\n\r,]", *q) == NULL)
		thr_syntax(ps, "a number");

	tok = pnstrdup(ps->p, q - ps->p);
	v = float8in_internal_opt_error(tok, &end, "double precision", ps->input, &bad);
	if (bad || *end != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type rfm_thresholds: \"%s\"", ps->input),
				 errdetail("Breakpoint %s at character %d is out of range for type double precision.",
						   tok, thr_charpos(ps, ps->p))));
	pfree(tok);
	ps->p = q;
	return v;
}

/*
 * A whole number written as one (bins, counts): digits only, read as an
 * int64 without passing through a double, up to PG_INT64_MAX as the binary
 * form allows.  expected names it in the error.
 */
static int64
thr_integer(ThrParser *ps, const char *expected)
{
	const char *q;
	int64		v = 0;

	thr_skip(ps);
	q = ps->p;
	if (*q == '0' ? (q[1] >= '0' && q[1] <= '9') : !(*q >= '1' && *q <= '9'))
		thr_syntax(ps, expected);
	for (; *q >= '0' && *q <= '9'; q++)
		if (pg_mul_s64_overflow(v, 10, &v) || pg_add_s64_overflow(v, *q - '0', &v))
			thr_syntax(ps, psprintf("%s of at most " INT64_FORMAT, expected, PG_INT64_MAX));
	if (*q != '\0' && strchr(" \t\n\r,]}", *q) == NULL)
		thr_syntax(ps, expected);
	ps->p = q;
	return v;
}

/* a list of numbers: [x, y, ...], at most max of them; returns the count */
static int
thr_list(ThrParser *ps, double *out, int max)
{
	int			k = 0;

	thr_expect(ps, '[');
	if (thr_accept(ps, ']'))
		return 0;
	do
	{
		double		v = thr_number(ps);

		if (k >= max)
			thr_syntax(ps, "\"]\" (too many values)");
		out[k++] = v;
	} while (thr_accept(ps, ','));
	thr_expect(ps, ']');
	return k;
}

PG_FUNCTION_INFO_V1(rfm_thresholds_in);
Datum
rfm_thresholds_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	ThrParser	ps = {str, str};
	RfmThresholds *thr;
	int64		bins64;
	int			bins;

	thr_expect(&ps, '{');
	thr_key(&ps, "bins");
	bins64 = thr_integer(&ps, "a whole number of bins");
	if (bins64 < RFM_MIN_BINS || bins64 > RFM_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type rfm_thresholds: \"%s\"", str),
				 errdetail("bins must be a whole number between %d and %d.",
						   RFM_MIN_BINS, RFM_MAX_BINS)));
	bins = (int) bins64;
	thr = thresholds_alloc(bins);

	/* counts: [n, n, n] */
	thr_expect(&ps, ',');
	thr_key(&ps, "n");
	thr_expect(&ps, '[');
	for (int d = 0; d < NDIM; d++)
	{
		if (d > 0 && !thr_accept(&ps, ','))
			thr_syntax(&ps, "three counts in \"n\"");
		thr->n[d] = thr_integer(&ps, "a whole, non-negative count in \"n\"");
	}
	if (!thr_accept(&ps, ']'))
		thr_syntax(&ps, "\"]\" after three counts in \"n\"");
	for (int d = 0; d < NDIM; d++)
	{
		int			k;

		thr_expect(&ps, ',');
		thr_key(&ps, dim_names[d]);
		k = thr_list(&ps, THR_DIM(thr, d), bins - 1);
		if (k != (thr->n[d] > 0 ? bins - 1 : 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type rfm_thresholds: \"%s\"", str),
					 errdetail("\"%s\" must list %d breakpoints (bins - 1), or none when its count is 0.",
							   dim_names[d], bins - 1)));
	}
	thr_expect(&ps, '}');
	thr_skip(&ps);
	if (*ps.p != '\0')
		thr_syntax(&ps, "end of input");

	thresholds_validate(thr, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(thr);
}

PG_FUNCTION_INFO_V1(rfm_thresholds_out);
Datum
rfm_thresholds_out(PG_FUNCTION_ARGS)
{
	RfmThresholds *thr = DatumGetThresholds(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"bins\": %d, \"n\": [" INT64_FORMAT ", " INT64_FORMAT ", " INT64_FORMAT "]",
					 thr->bins, thr->n[0], thr->n[1], thr->n[2]);
	for (int d = 0; d < NDIM; d++)
	{
		appendStringInfo(&buf, ", \"%s\": [", dim_names[d]);
		if (thr->n[d] > 0)
			for (int s = 0; s < thr->bins - 1; s++)
			{
				/* shortest text that reads back as the same double */
				char	   *v = float8out_internal(THR_DIM(thr, d)[s]);

				appendStringInfo(&buf, "%s%s", s ? ", " : "", v);
				pfree(v);
			}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(rfm_thresholds_send);
Datum
rfm_thresholds_send(PG_FUNCTION_ARGS)
{
	RfmThresholds *thr = DatumGetThresholds(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint16(&buf, thr->version);
	pq_sendint16(&buf, thr->bins);
	for (int d = 0; d < NDIM; d++)
		pq_sendint64(&buf, thr->n[d]);
	for (int i = 0; i < NDIM * (thr->bins - 1); i++)
		pq_sendfloat8(&buf, thr->t[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(rfm_thresholds_recv);
Datum
rfm_thresholds_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RfmThresholds *thr;
	int			version;
	int			bins;

	/* pq_getmsg* raise 08P01 on a short message, so lengths need no check */
	version = pq_getmsgint(buf, 2);
	if (version != THRESHOLDS_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid rfm_thresholds: unsupported format version %d", version)));
	bins = (int16) pq_getmsgint(buf, 2);
	if (bins < RFM_MIN_BINS || bins > RFM_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid rfm_thresholds: bins %d is out of range", bins)));
	thr = thresholds_alloc(bins);
	for (int d = 0; d < NDIM; d++)
		thr->n[d] = pq_getmsgint64(buf);
	for (int i = 0; i < NDIM * (bins - 1); i++)
		thr->t[i] = pq_getmsgfloat8(buf);
	thresholds_validate(thr, ERRCODE_INVALID_BINARY_REPRESENTATION);
	/* a dimension without values stores zeros, so equal values send equal bytes */
	for (int d = 0; d < NDIM; d++)
		if (thr->n[d] == 0)
			memset(THR_DIM(thr, d), 0, sizeof(double) * (bins - 1));
	PG_RETURN_POINTER(thr);
}

/* ---------------------------------------------------------------------
 * The rfm_thresholds aggregate: gather the values, pick order statistics
 * ---------------------------------------------------------------------
 */

typedef struct ThrState
{
	int32		bins;
	bool		loose;			/* made by deserialize and referenced by nothing
								 * else: combine may take it over, or free it */
	int64		n[NDIM];
	int64		cap[NDIM];
	double	   *v[NDIM];		/* the values */
	RfmBuffer  *big[NDIM];		/* where v[d] is RFM_BUFFER_MAP_MIN or more:
								 * its buffer (buffer_pg.c, huge pages); a
								 * pointer, so a customer's state stays small */
} ThrState;

/*
 * Dimension d's array resized to cap values, keeping its n[d]: palloc'd while
 * small, a buffer of huge pages from RFM_BUFFER_MAP_MIN on.
 */
static double *
state_array(MemoryContext cxt, ThrState *st, int d, int64 cap)
{
	Size		bytes = cap * sizeof(double);
	double	   *mem;

	if (st->big[d] != NULL)
		return rfm_buffer_grow(st->big[d], bytes, st->n[d] * sizeof(double));
	if (bytes < RFM_BUFFER_MAP_MIN)
		return st->v[d]
			? repalloc_huge(st->v[d], bytes)
			: MemoryContextAllocHuge(cxt, bytes);
	/* the buffer holds the unmapping callback: it lives as long as cxt */
	st->big[d] = MemoryContextAllocZero(cxt, sizeof(RfmBuffer));
	mem = rfm_buffer_alloc(st->big[d], cxt, bytes);
	if (st->v[d] != NULL)
	{
		memcpy(mem, st->v[d], st->n[d] * sizeof(double));
		pfree(st->v[d]);
	}
	return mem;
}

/* Give back dimension d's array. */
static void
state_free_array(ThrState *st, int d)
{
	if (st->big[d] != NULL)
		rfm_buffer_release(st->big[d]);	/* the struct stays for its callback */
	else if (st->v[d] != NULL)
		pfree(st->v[d]);
	st->v[d] = NULL;
}

/* Room for need values in dimension d: the capacity doubles, from 8. */
static void
state_reserve(MemoryContext cxt, ThrState *st, int d, int64 need)
{
	int64		cap = Max(st->cap[d], 8);

	if (need <= st->cap[d])
		return;
	while (cap < need)
		cap *= 2;
	st->v[d] = state_array(cxt, st, d, cap);
	st->cap[d] = cap;
}

static inline void
state_push(MemoryContext cxt, ThrState *st, int d, double v)
{
	if (st->n[d] == st->cap[d])
		state_reserve(cxt, st, d, st->n[d] + 1);
	st->v[d][st->n[d]++] = v;
}

static void
state_append(MemoryContext cxt, ThrState *st, int d, const double *v, int64 n)
{
	if (n == 0)
		return;
	state_reserve(cxt, st, d, st->n[d] + n);
	memcpy(st->v[d] + st->n[d], v, n * sizeof(double));
	st->n[d] += n;
}

static ThrState *
state_new(MemoryContext cxt, int32 bins)
{
	ThrState   *st = MemoryContextAllocZero(cxt, sizeof(ThrState));

	st->bins = bins;
	return st;
}

static void
state_same_bins(const ThrState *st, int32 bins)
{
	if (st->bins != bins)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins must be the same on every row of an rfm_thresholds group"),
				 errdetail("Got %d after %d.", bins, st->bins)));
}

PG_FUNCTION_INFO_V1(rfm_thresholds_trans);
Datum
rfm_thresholds_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ThrState   *st = PG_ARGISNULL(0) ? NULL : (ThrState *) PG_GETARG_POINTER(0);
	int32		bins = 5;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "rfm_thresholds_trans called in non-aggregate context");

	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("bins must not be null")));
		bins = PG_GETARG_INT32(4);
	}
	if (st == NULL)
		st = state_new(aggcxt, rfm_check_bins(bins));
	else
		state_same_bins(st, bins);

	for (int d = 0; d < NDIM; d++)
		if (!PG_ARGISNULL(d + 1))
			state_push(aggcxt, st, d, PG_GETARG_FLOAT8(d + 1));
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(rfm_thresholds_combine);
Datum
rfm_thresholds_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ThrState   *a = PG_ARGISNULL(0) ? NULL : (ThrState *) PG_GETARG_POINTER(0);
	ThrState   *b = PG_ARGISNULL(1) ? NULL : (ThrState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "rfm_thresholds_combine called in non-aggregate context");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL && b->loose)
	{
		/*
		 * A partial state just deserialized, in this aggregate's context:
		 * it becomes the running state rather than being copied.  In the
		 * leader of a parallel plan these arrays hold every worker's values,
		 * and each copy of them is fresh memory to fault in.
		 */
		b->loose = false;
		PG_RETURN_POINTER(b);
	}
	if (a == NULL)
		a = state_new(aggcxt, b->bins);
	else
		state_same_bins(a, b->bins);

	for (int d = 0; d < NDIM; d++)
		state_append(aggcxt, a, d, b->v[d], b->n[d]);
	if (b->loose)
	{
		for (int d = 0; d < NDIM; d++)
			state_free_array(b, d);
		pfree(b);
	}
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(rfm_thresholds_serialize);
Datum
rfm_thresholds_serialize(PG_FUNCTION_ARGS)
{
	ThrState   *st = (ThrState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	Size		size = sizeof(int32) + NDIM * sizeof(int64);

	for (int d = 0; d < NDIM; d++)
		size += st->n[d] * sizeof(double);
	/*
	 * Room for the whole state at once: grown by doubling, the buffer would
	 * allocate (and fault in) about three times the state's size.
	 */
	if (size >= MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("rfm_thresholds state of %zu bytes is too large for a parallel worker to pass on", size),
				 errhint("Aggregate fewer rows per worker, or turn off parallel query for this statement.")));
	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, (int) size);
	pq_sendint32(&buf, st->bins);
	for (int d = 0; d < NDIM; d++)
		pq_sendint64(&buf, st->n[d]);
	for (int d = 0; d < NDIM; d++)
		pq_sendbytes(&buf, (char *) st->v[d], st->n[d] * sizeof(double));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(rfm_thresholds_deserialize);
Datum
rfm_thresholds_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	MemoryContext aggcxt = core_agg_deserialize_begin(fcinfo, "rfm_thresholds_deserialize", &buf);
	ThrState   *st;

	st = state_new(aggcxt, pq_getmsgint(&buf, 4));
	st->loose = true;
	for (int d = 0; d < NDIM; d++)
	{
		st->n[d] = pq_getmsgint64(&buf);
		st->cap[d] = st->n[d];
	}
	for (int d = 0; d < NDIM; d++)
		if (st->n[d] > 0)
		{
			st->v[d] = state_array(aggcxt, st, d, st->n[d]);
			memcpy(st->v[d], pq_getmsgbytes(&buf, st->n[d] * sizeof(double)),
				   st->n[d] * sizeof(double));
		}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(rfm_thresholds_final);
Datum
rfm_thresholds_final(PG_FUNCTION_ARGS)
{
	ThrState   *st = PG_ARGISNULL(0) ? NULL : (ThrState *) PG_GETARG_POINTER(0);
	RfmThresholds *thr;
	int64		most = 0;
	double	   *tmp = NULL;
	RfmBuffer  *work = NULL;

	if (st == NULL)
		PG_RETURN_NULL();
	thr = thresholds_alloc(st->bins);
	for (int d = 0; d < NDIM; d++)
		most = Max(most, st->n[d]);
	/* one scratch array for the three sorts */
	if (most > 0)
	{
		/* in the current context, which its unmapping callback then outlives */
		work = palloc0(sizeof(RfmBuffer));
		tmp = rfm_buffer_alloc(work, CurrentMemoryContext, most * sizeof(double));
	}
	for (int d = 0; d < NDIM; d++)
	{
		thr->n[d] = st->n[d];
		/* sorting reorders the state but keeps its values: still the same state */
		if (st->n[d] > 0)
			rank_thresholds(st->v[d], tmp, st->n[d], st->bins, d == 0, THR_DIM(thr, d));
	}
	if (work != NULL)
		rfm_buffer_release(work);
	PG_RETURN_POINTER(thr);
}

/* ---------------------------------------------------------------------
 * rfm_score(recency, frequency, monetary, thresholds)
 * ---------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(rfm_score_thresholds);
Datum
rfm_score_thresholds(PG_FUNCTION_ARGS)
{
	RfmResultCache *cache;
	const Oid  *types;
	RfmThresholds *thr;
	Datum		values[NDIM];
	bool		isnull[NDIM];
	int			scores[NDIM];

	if (PG_ARGISNULL(3))
		PG_RETURN_NULL();
	thr = DatumGetThresholds(PG_GETARG_DATUM(3));
	cache = rfm_result_cache(fcinfo);
	types = cache->types;

	for (int d = 0; d < NDIM; d++)
	{
		isnull[d] = PG_ARGISNULL(d);
		values[d] = isnull[d] ? (Datum) 0 : PG_GETARG_DATUM(d);
		scores[d] = (isnull[d] || thr->n[d] == 0) ? 0
			: rank_score_against(rfm_datum_double(values[d], types[d]),
								 THR_DIM(thr, d), thr->bins, d == 0);
	}
	PG_RETURN_DATUM(rfm_make_result(cache, values, isnull,
									types, scores, thr->bins));
}

PG_FUNCTION_INFO_V1(rfm_thresholds_bins);
Datum
rfm_thresholds_bins(PG_FUNCTION_ARGS)
{
	RfmThresholds *thr = DatumGetThresholds(PG_GETARG_DATUM(0));

	PG_RETURN_INT32(thr->bins);
}
