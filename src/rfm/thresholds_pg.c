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
#include "miscadmin.h"
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
 * A dimension's values: those the transition function gathered, unsorted,
 * in v[d][0..n[d]-1], and sets of sorted runs (rank.h) that workers of a
 * parallel plan passed on (at most RANK_MAX_SETS).  A worker's serialize
 * function sorts its own values and writes them as runs, so the sort is
 * shared out among the processes and fewer bytes cross the tuple queues; the
 * leader's combine keeps each worker's runs as they came (ownership moves,
 * nothing is copied or merged), and the final function reads the
 * breakpoints off all of them in one walk.  Serially nothing changes: the
 * values are gathered and sorted once at the end.
 */
typedef struct ThrRunSet
{
	RankRuns	r;
	RfmBuffer  *keybuf;			/* r.keys' buffer (buffer_pg.c) */
	RfmBuffer  *cntbuf;			/* r.counts' buffer, or NULL */
	struct ThrRunSet *next;
} ThrRunSet;

typedef struct ThrState
{
	int32		bins;
	bool		loose;			/* made by deserialize and referenced by nothing
								 * else: combine may take it over, or free it */
	int64		n[NDIM];		/* unsorted values */
	int64		cap[NDIM];
	double	   *v[NDIM];		/* the unsorted values */
	RfmBuffer  *big[NDIM];		/* where v[d] is RFM_BUFFER_MAP_MIN or more:
								 * its buffer (buffer_pg.c, huge pages); a
								 * pointer, so a customer's state stays small */
	ThrRunSet  *sets[NDIM];		/* at most RANK_MAX_SETS */
} ThrState;

/*
 * At most this many values in a dimension: as many as an array in memory can
 * hold.  Runs could claim more than their bytes (a run's count is any
 * number), so deserialize and combine check it; (bins - 1) * n cannot
 * overflow.
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

/* A set of nruns runs for n values, its counts where with_counts. */
static ThrRunSet *
set_new(MemoryContext cxt, int64 nruns, int64 n, bool with_counts)
{
	ThrRunSet  *set = MemoryContextAllocZero(cxt, sizeof(ThrRunSet));

	set->r.keys = array_new(cxt, &set->keybuf, nruns * sizeof(uint64));
	if (with_counts)
		set->r.counts = array_new(cxt, &set->cntbuf, nruns * sizeof(int64));
	set->r.nruns = nruns;
	set->r.n = n;
	return set;
}

static ThrRunSet *
set_copy(MemoryContext cxt, const ThrRunSet *from)
{
	ThrRunSet  *set = set_new(cxt, from->r.nruns, from->r.n, from->r.counts != NULL);

	memcpy((uint64 *) set->r.keys, from->r.keys, from->r.nruns * sizeof(uint64));
	if (from->r.counts != NULL)
		memcpy((int64 *) set->r.counts, from->r.counts, from->r.nruns * sizeof(int64));
	return set;
}

static void
set_free(ThrRunSet *set)
{
	array_drop(&set->keybuf);
	array_drop(&set->cntbuf);
	pfree(set);
}

/* Give back dimension d's arrays. */
static void
state_free_array(ThrState *st, int d)
{
	if (st->big[d] != NULL)
		array_drop(&st->big[d]);
	else if (st->v[d] != NULL)
		pfree(st->v[d]);
	st->v[d] = NULL;
	while (st->sets[d] != NULL)
	{
		ThrRunSet  *next = st->sets[d]->next;

		set_free(st->sets[d]);
		st->sets[d] = next;
	}
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

/* the values of dimension d, unsorted and sorted: at most STATE_MAX_VALUES */
static int64
state_values(const ThrState *st, int d)
{
	int64		n = st->n[d];

	/* counted, not kept: a customer's state stays small */
	for (ThrRunSet *set = st->sets[d]; set != NULL; set = set->next)
		n += set->r.n;
	return n;
}

static int
state_nsets(const ThrState *st, int d)
{
	int			k = 0;

	for (ThrRunSet *set = st->sets[d]; set != NULL; set = set->next)
		k++;
	return k;
}

/* Check that dimension d can take more values. */
static void
state_room(const ThrState *st, int d, int64 more)
{
	if (more > STATE_MAX_VALUES - state_values(st, d))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("rfm_thresholds state holds too many values")));
}

static void
state_append(MemoryContext cxt, ThrState *st, int d, const double *v, int64 n)
{
	if (n == 0)
		return;
	state_room(st, d, n);
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

/* Merge all of dimension d's sets into one. */
static void
state_fold_sets(MemoryContext cxt, ThrState *st, int d)
{
	ThrRunSet  *acc = st->sets[d];

	if (acc == NULL)
		return;
	st->sets[d] = acc->next;
	acc->next = NULL;
	while (st->sets[d] != NULL)
	{
		ThrRunSet  *set = st->sets[d];
		ThrRunSet  *out = set_new(cxt, acc->r.nruns + set->r.nruns,
								  acc->r.n + set->r.n, true);

		out->r.nruns = rank_merge_runs(&acc->r, &set->r,
									   (uint64 *) out->r.keys, (int64 *) out->r.counts);
		st->sets[d] = set->next;
		set_free(acc);
		set_free(set);
		acc = out;
	}
	st->sets[d] = acc;
}

/* Add a set of runs to dimension d, which takes it over. */
static void
state_add_set(MemoryContext cxt, ThrState *st, int d, ThrRunSet *set)
{
	state_room(st, d, set->r.n);
	set->next = st->sets[d];
	st->sets[d] = set;
	/* many partial states (partitions, say) are merged, to walk few at once */
	if (state_nsets(st, d) > RANK_MAX_SETS)
		state_fold_sets(cxt, st, d);
}

/* A scratch array of n doubles in the current context; *work gives it back. */
static double *
scratch_new(RfmBuffer **work, int64 n)
{
	/* in the current context, which its unmapping callback then outlives */
	return array_new(CurrentMemoryContext, work, n * sizeof(double));
}

/* Sort dimension d's unsorted values into a set of runs of their own. */
static void
state_sort_values(MemoryContext cxt, ThrState *st, int d)
{
	int64		n = st->n[d];
	RfmBuffer  *work = NULL;
	uint64	   *sorted;
	int64		nruns;
	int64		countbytes;
	ThrRunSet  *set;

	if (n == 0)
		return;
	sorted = rank_sort_keys(st->v[d], scratch_new(&work, n), n);
	rank_runs_measure(sorted, n, &nruns, &countbytes);
	set = set_new(cxt, nruns, n, countbytes > 0);
	if (countbytes > 0)
		rank_compress_runs(sorted, n, (uint64 *) set->r.keys, (int64 *) set->r.counts);
	else
		memcpy((uint64 *) set->r.keys, sorted, n * sizeof(uint64));
	array_drop(&work);
	st->n[d] = 0;
	state_add_set(cxt, st, d, set);
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
		/* partial states of one process (partitionwise): unsorted values */
		state_append(aggcxt, a, d, b->v[d], b->n[d]);
		/* a worker's runs: taken over from a loose state, else copied */
		if (b->loose)
			while (b->sets[d] != NULL)
			{
				ThrRunSet  *set = b->sets[d];

				b->sets[d] = set->next;
				state_add_set(aggcxt, a, d, set);
			}
		else
			for (ThrRunSet *from = b->sets[d]; from != NULL; from = from->next)
				state_add_set(aggcxt, a, d, set_copy(aggcxt, from));
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
 * The serialized state: int32 bins; then for each dimension int64 n (its
 * values), int64 nruns and int64 countbytes, its nruns keys (rank_key of
 * the values, increasing, 8 bytes each in the server's byte order: the
 * state only passes between the processes of one query) and countbytes
 * bytes of counts (rank_runs_write), none where every run holds one value.
 * The worker sorts its values here, so that the sort is shared out.
 */
PG_FUNCTION_INFO_V1(rfm_thresholds_serialize);
Datum
rfm_thresholds_serialize(PG_FUNCTION_ARGS)
{
	ThrState   *st = (ThrState *) PG_GETARG_POINTER(0);
	MemoryContext aggcxt;
	StringInfoData buf;
	Size		bound = sizeof(int32);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "rfm_thresholds_serialize called in non-aggregate context");
	/* runs already sorted (a state that combined others) become one set */
	for (int d = 0; d < NDIM; d++)
		if (st->sets[d] != NULL)
		{
			state_sort_values(aggcxt, st, d);
			state_fold_sets(aggcxt, st, d);
		}

	/*
	 * Room for the whole state at once where it can be had: grown by
	 * doubling, the buffer would allocate (and fault in) about three times
	 * the state's size.  At most 8 bytes of key and one of count a value;
	 * pages never written are never faulted in.
	 */
	for (int d = 0; d < NDIM; d++)
		bound += 3 * sizeof(int64) + 9 * (Size) state_values(st, d);
	pq_begintypsend(&buf);
	if (bound < MaxAllocSize - VARHDRSZ)
		enlargeStringInfo(&buf, (int) bound);
	pq_sendint32(&buf, st->bins);
	for (int d = 0; d < NDIM; d++)
	{
		int64		n = state_values(st, d);
		int64		nruns = 0;
		int64		countbytes = 0;
		uint64	   *sorted = NULL;
		RfmBuffer  *work = NULL;
		Size		size;

		if (st->sets[d] != NULL)
		{
			nruns = st->sets[d]->r.nruns;
			countbytes = rank_counts_bytes(st->sets[d]->r.counts, nruns);
		}
		else if (n > 0)
		{
			/* sorting reorders the state but keeps its values: still the same state */
			sorted = rank_sort_keys(st->v[d], scratch_new(&work, n), n);
			rank_runs_measure(sorted, n, &nruns, &countbytes);
		}
		size = 3 * sizeof(int64) + nruns * sizeof(uint64) + countbytes;
		if (size >= MaxAllocSize - VARHDRSZ - buf.len)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("rfm_thresholds state of %zu bytes is too large for a parallel worker to pass on",
							size + buf.len),
					 errhint("Aggregate fewer rows per worker, or turn off parallel query for this statement.")));
		enlargeStringInfo(&buf, (int) size);
		pq_sendint64(&buf, n);
		pq_sendint64(&buf, nruns);
		pq_sendint64(&buf, countbytes);
		if (sorted != NULL)
		{
			rank_runs_write(sorted, n, countbytes, (uint8 *) buf.data + buf.len,
							(uint8 *) buf.data + buf.len + nruns * sizeof(uint64));
			/* the state's values again, in sorted order */
			for (int64 i = 0; i < n; i++)
			{
				if ((i & 0xFFFF) == 0xFFFF)
					CHECK_FOR_INTERRUPTS();
				st->v[d][i] = rank_key_value(sorted[i]);
			}
			array_drop(&work);
		}
		else if (nruns > 0)
		{
			memcpy(buf.data + buf.len, st->sets[d]->r.keys, nruns * sizeof(uint64));
			if (countbytes > 0)
				rank_counts_write(st->sets[d]->r.counts, nruns,
								  (uint8 *) buf.data + buf.len + nruns * sizeof(uint64));
		}
		buf.len += nruns * sizeof(uint64) + countbytes;
		buf.data[buf.len] = '\0';
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* a deserialized state that is not one: detail a translatable sentence */
#define state_invalid(detail) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), \
			 errmsg("invalid rfm_thresholds aggregate state"), \
			 errdetail(detail)))

/* count items of size bytes from buf, or an error where it holds fewer */
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
	 * them is trusted: counts are bounded, keys checked to be increasing
	 * and counts to add up before anything reads them.
	 */
	bins = pq_getmsgint(&buf, 4);
	if (bins < RFM_MIN_BINS || bins > RFM_MAX_BINS)
		state_invalid("bins is out of range.");
	st = state_new(aggcxt, bins);
	st->loose = true;
	for (int d = 0; d < NDIM; d++)
	{
		int64		n = pq_getmsgint64(&buf);
		int64		nruns = pq_getmsgint64(&buf);
		int64		countbytes = pq_getmsgint64(&buf);
		ThrRunSet  *set;
		const char *keys;
		const char *counts;

		if (n < 0 || n > STATE_MAX_VALUES || nruns < 0 || nruns > n ||
			(n > 0 && nruns == 0) || countbytes < 0 || (countbytes == 0) != (nruns == n))
			state_invalid("A count is out of range.");
		if (n == 0)
			continue;
		keys = state_bytes(&buf, nruns, sizeof(uint64));
		counts = state_bytes(&buf, countbytes, 1);
		set = set_new(aggcxt, nruns, n, countbytes > 0);
		memcpy((uint64 *) set->r.keys, keys, nruns * sizeof(uint64));
		if (countbytes > 0 &&
			!rank_counts_read((const uint8 *) counts, countbytes, nruns, (int64 *) set->r.counts))
			state_invalid("Its counts of values are malformed.");
		if (!rank_runs_valid(&set->r))
			state_invalid("Its values are not in order, or their counts do not add up.");
		state_add_set(aggcxt, st, d, set);
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(rfm_thresholds_final);
Datum
rfm_thresholds_final(PG_FUNCTION_ARGS)
{
	ThrState   *st = PG_ARGISNULL(0) ? NULL : (ThrState *) PG_GETARG_POINTER(0);
	MemoryContext aggcxt;
	RfmThresholds *thr;
	int64		most = 0;
	double	   *tmp = NULL;
	RfmBuffer  *work = NULL;

	if (st == NULL)
		PG_RETURN_NULL();
	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "rfm_thresholds_final called in non-aggregate context");
	thr = thresholds_alloc(st->bins);
	for (int d = 0; d < NDIM; d++)
	{
		/* beside runs, unsorted values become runs too */
		if (st->sets[d] != NULL)
			state_sort_values(aggcxt, st, d);
		else
			most = Max(most, st->n[d]);
	}
	/* one scratch array for the sorts */
	if (most > 0)
		tmp = scratch_new(&work, most);
	for (int d = 0; d < NDIM; d++)
	{
		thr->n[d] = state_values(st, d);
		if (thr->n[d] == 0)
			continue;
		if (st->sets[d] != NULL)
		{
			RankRuns	sets[RANK_MAX_SETS];
			int			k = 0;

			for (ThrRunSet *set = st->sets[d]; set != NULL && k < RANK_MAX_SETS; set = set->next)
				sets[k++] = set->r;
			rank_thresholds_runs(sets, k, thr->n[d], st->bins, d == 0, THR_DIM(thr, d));
		}
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
