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

/*
 * A dimension holds its values one of two ways.  Unsorted, as the transition
 * function gathers them: v[d][0..n[d]-1].  Or as sorted runs (rank.h): the
 * distinct keys in v[d] read as uint64 (nruns[d] of them), each with its
 * count in cnt[d] (NULL where every run holds one value).  A parallel worker's
 * serialize function sorts its own values into runs, so the sort is shared
 * out; the leader's combine merges runs in linear time, and the final
 * function reads the breakpoints off the runs without sorting.  Serially
 * nothing changes: the values are gathered and sorted once at the end.
 */
typedef struct ThrState
{
	int32		bins;
	bool		loose;			/* made by deserialize and referenced by nothing
								 * else: combine may take it over, or free it */
	bool		runs[NDIM];		/* dimension d holds sorted runs */
	int64		n[NDIM];		/* the number of values */
	int64		cap[NDIM];		/* room in v[d], unsorted */
	int64		nruns[NDIM];	/* the number of runs, sorted */
	double	   *v[NDIM];		/* the values, or the runs' keys */
	RfmBuffer  *big[NDIM];		/* where v[d] is RFM_BUFFER_MAP_MIN or more, or
								 * holds runs: its buffer (buffer_pg.c, huge
								 * pages); a pointer, so a customer's state
								 * stays small */
	int64	   *cnt[NDIM];		/* the runs' counts, or NULL */
	RfmBuffer  *cntbuf[NDIM];	/* cnt[d]'s buffer */
} ThrState;

/*
 * At most this many values in a dimension: as many as an array in memory can
 * hold.  A state's runs could claim more than their bytes (a run's count is
 * any number), so deserialize checks it; (bins - 1) * n cannot overflow.
 */
#define STATE_MAX_VALUES ((int64) (MaxAllocHugeSize / sizeof(double)))

/* A fresh array of bytes in a buffer of its own, *buf (buffer_pg.c). */
static void *
array_new(MemoryContext cxt, RfmBuffer **buf, Size bytes)
{
	*buf = MemoryContextAllocZero(cxt, sizeof(RfmBuffer));
	return rfm_buffer_alloc(*buf, cxt, bytes);
}

/* Give back the array of *buf, if any. */
static void
array_drop(RfmBuffer **buf)
{
	if (*buf == NULL)
		return;
	rfm_buffer_release(*buf);
	/* a mapped buffer's struct stays for its unmapping callback */
	if (!(*buf)->registered)
		pfree(*buf);
	*buf = NULL;
}

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

/* Give back dimension d's arrays. */
static void
state_free_array(ThrState *st, int d)
{
	if (st->big[d] != NULL)
		array_drop(&st->big[d]);
	else if (st->v[d] != NULL)
		pfree(st->v[d]);
	array_drop(&st->cntbuf[d]);
	st->v[d] = NULL;
	st->cnt[d] = NULL;
	st->cap[d] = 0;
}

/* Room for need values in dimension d: the capacity doubles, from 8. */
static void
state_reserve(MemoryContext cxt, ThrState *st, int d, int64 need)
{
	int64		cap = Max(st->cap[d], 8);

	Assert(!st->runs[d]);
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

/* A scratch array of n doubles in the current context; *work gives it back. */
static double *
scratch_new(RfmBuffer **work, int64 n)
{
	/* in the current context, which its unmapping callback then outlives */
	return array_new(CurrentMemoryContext, work, n * sizeof(double));
}

/*
 * Sort dimension d's unsorted values into runs, in place: the keys take
 * v[d]'s room, the counts an array of their own where runs repeat.
 */
static void
state_make_runs(MemoryContext cxt, ThrState *st, int d)
{
	int64		n = st->n[d];
	RfmBuffer  *work = NULL;
	uint64	   *sorted;
	uint64	   *keys = (uint64 *) st->v[d];
	int64		nruns;

	if (st->runs[d])
		return;
	st->runs[d] = true;
	st->nruns[d] = 0;
	if (n == 0)
		return;
	sorted = rank_sort_keys(st->v[d], scratch_new(&work, n), n);
	nruns = rank_count_runs(sorted, n);
	if (nruns == n)
	{
		if (sorted != keys)
			memcpy(keys, sorted, n * sizeof(uint64));
	}
	else
	{
		st->cnt[d] = array_new(cxt, &st->cntbuf[d], nruns * sizeof(int64));
		rank_compress_runs(sorted, n, keys, st->cnt[d]);
	}
	st->nruns[d] = nruns;
	array_drop(&work);
}

/*
 * Merge b's runs of dimension d into a's (both sorted): fresh arrays for the
 * result, a's old ones given back.
 */
static void
state_merge_runs(MemoryContext cxt, ThrState *a, const ThrState *b, int d)
{
	int64		room = a->nruns[d] + b->nruns[d];
	RfmBuffer  *keybuf = NULL;
	RfmBuffer  *cntbuf = NULL;
	uint64	   *keys;
	int64	   *cnt;
	int64		nruns;

	Assert(a->runs[d] && b->runs[d]);
	if (b->n[d] == 0)
		return;
	if (b->n[d] > STATE_MAX_VALUES - a->n[d])
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("rfm_thresholds state holds too many values")));
	keys = array_new(cxt, &keybuf, room * sizeof(uint64));
	cnt = array_new(cxt, &cntbuf, room * sizeof(int64));
	nruns = rank_merge_runs((uint64 *) a->v[d], a->cnt[d], a->nruns[d],
							(uint64 *) b->v[d], b->cnt[d], b->nruns[d],
							keys, cnt);
	state_free_array(a, d);
	a->v[d] = (double *) keys;
	a->big[d] = keybuf;
	a->cnt[d] = cnt;
	a->cntbuf[d] = cntbuf;
	a->nruns[d] = nruns;
	a->n[d] += b->n[d];
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
	{
		if (!a->runs[d] && !b->runs[d])
		{
			/* partial states of one process (partitionwise), unsorted */
			state_append(aggcxt, a, d, b->v[d], b->n[d]);
			continue;
		}
		/* a worker's sorted runs: merge, sorting the other side first */
		state_make_runs(aggcxt, a, d);
		if (b->runs[d])
			state_merge_runs(aggcxt, a, b, d);
		else
		{
			/* b is not ours to reorder: sort a copy of its values */
			ThrState	copy = {0};

			copy.bins = b->bins;
			copy.n[d] = copy.cap[d] = b->n[d];
			if (b->n[d] > 0)
			{
				copy.v[d] = array_new(aggcxt, &copy.big[d], b->n[d] * sizeof(double));
				memcpy(copy.v[d], b->v[d], b->n[d] * sizeof(double));
			}
			state_make_runs(aggcxt, &copy, d);
			state_merge_runs(aggcxt, a, &copy, d);
			state_free_array(&copy, d);
		}
	}
	if (b->loose)
	{
		for (int d = 0; d < NDIM; d++)
			state_free_array(b, d);
		pfree(b);
	}
	PG_RETURN_POINTER(a);
}

/*
 * The serialized state: int32 bins; for each dimension int64 n and int64
 * nruns; then for each dimension its nruns keys, and its nruns counts where
 * nruns < n (otherwise every run holds one value).  Keys and counts are in
 * the server's byte order: the state only passes between the processes of
 * one query.  The worker sorts its values into runs here, so that the sort
 * is shared out among the workers.
 */
PG_FUNCTION_INFO_V1(rfm_thresholds_serialize);
Datum
rfm_thresholds_serialize(PG_FUNCTION_ARGS)
{
	ThrState   *st = (ThrState *) PG_GETARG_POINTER(0);
	MemoryContext aggcxt;
	StringInfoData buf;
	Size		size = sizeof(int32) + NDIM * 2 * sizeof(int64);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "rfm_thresholds_serialize called in non-aggregate context");
	for (int d = 0; d < NDIM; d++)
	{
		/* sorting reorders the state but keeps its values: still the same state */
		state_make_runs(aggcxt, st, d);
		size += st->nruns[d] * sizeof(uint64);
		if (st->cnt[d] != NULL)
			size += st->nruns[d] * sizeof(int64);
	}

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
	{
		pq_sendint64(&buf, st->n[d]);
		pq_sendint64(&buf, st->nruns[d]);
	}
	for (int d = 0; d < NDIM; d++)
	{
		pq_sendbytes(&buf, (char *) st->v[d], st->nruns[d] * sizeof(uint64));
		if (st->cnt[d] != NULL)
			pq_sendbytes(&buf, (char *) st->cnt[d], st->nruns[d] * sizeof(int64));
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void pg_attribute_noreturn()
state_invalid(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid rfm_thresholds aggregate state"),
			 errdetail("%s", what)));
}

/* n bytes of buf (a deserialize's), or an error if it holds fewer */
static const char *
state_bytes(StringInfo buf, int64 count, Size size)
{
	if (count > (buf->len - buf->cursor) / (int64) size)
		state_invalid("The state is shorter than its counts say.");
	return pq_getmsgbytes(buf, (int) (count * size));
}

PG_FUNCTION_INFO_V1(rfm_thresholds_deserialize);
Datum
rfm_thresholds_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	MemoryContext aggcxt = core_agg_deserialize_begin(fcinfo, "rfm_thresholds_deserialize", &buf);
	ThrState   *st;
	int			bins;

	/*
	 * The bytes come from a worker's serialize function; still, nothing in
	 * them is trusted: counts are bounded, keys checked to be sorted and
	 * runs to add up, before the final function reads them.
	 */
	bins = pq_getmsgint(&buf, 4);
	if (bins < RFM_MIN_BINS || bins > RFM_MAX_BINS)
		state_invalid("bins is out of range.");
	st = state_new(aggcxt, bins);
	st->loose = true;
	for (int d = 0; d < NDIM; d++)
	{
		st->n[d] = pq_getmsgint64(&buf);
		st->nruns[d] = pq_getmsgint64(&buf);
		st->runs[d] = true;
		if (st->n[d] < 0 || st->n[d] > STATE_MAX_VALUES ||
			st->nruns[d] < 0 || st->nruns[d] > st->n[d] ||
			(st->n[d] > 0 && st->nruns[d] == 0))
			state_invalid("A count is out of range.");
	}
	for (int d = 0; d < NDIM; d++)
	{
		int64		nruns = st->nruns[d];

		if (nruns == 0)
			continue;
		st->v[d] = array_new(aggcxt, &st->big[d], nruns * sizeof(uint64));
		memcpy(st->v[d], state_bytes(&buf, nruns, sizeof(uint64)), nruns * sizeof(uint64));
		if (nruns < st->n[d])
		{
			st->cnt[d] = array_new(aggcxt, &st->cntbuf[d], nruns * sizeof(int64));
			memcpy(st->cnt[d], state_bytes(&buf, nruns, sizeof(int64)), nruns * sizeof(int64));
		}
		if (!rank_runs_valid((uint64 *) st->v[d], st->cnt[d], nruns, st->n[d]))
			state_invalid("Its runs of values are not sorted or do not add up.");
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
		if (!st->runs[d])
			most = Max(most, st->n[d]);
	/* one scratch array for the sorts */
	if (most > 0)
		tmp = scratch_new(&work, most);
	for (int d = 0; d < NDIM; d++)
	{
		thr->n[d] = st->n[d];
		if (st->n[d] == 0)
			continue;
		if (st->runs[d])
			rank_thresholds_runs((uint64 *) st->v[d], st->cnt[d], st->nruns[d],
								 st->n[d], st->bins, d == 0, THR_DIM(thr, d));
		else
		{
			/* sorting reorders the state but keeps its values: still the same state */
			rank_thresholds(st->v[d], tmp, st->n[d], st->bins, d == 0, THR_DIM(thr, d));
		}
	}
	array_drop(&work);
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
