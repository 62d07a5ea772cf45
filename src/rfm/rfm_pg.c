/*-------------------------------------------------------------------------
 *
 * rfm_pg.c
 *	  SQL glue of RFM scoring: the rfm_score window function, the
 *	  rfm_thresholds aggregate, scoring against stored thresholds, and the
 *	  segment maps.  The ranking itself is in rank.c.
 *
 * The window function reads its partition one dimension at a time as plain
 * doubles, ranks them once (rank_scores) and keeps three bytes per row for
 * the rest of the partition: it sorts values, never rows.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include "buffer_pg.h"
#include "core_pg.h"
#include "decimal.h"
#include "rank.h"
#include "rfm_pg.h"

#define NDIM 3

static RfmCellText *rfm_cell_text(RfmResultCache *cache, int bins, const int *scores);

/* ---------------------------------------------------------------------
 * Shared helpers
 * ---------------------------------------------------------------------
 */

int
rfm_check_bins(int32 bins)
{
	if (bins < RFM_MIN_BINS || bins > RFM_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins %d is out of range", bins),
				 errhint("bins must be between %d and %d.", RFM_MIN_BINS, RFM_MAX_BINS)));
	return bins;
}

/*
 * The on-disk layout of a numeric (utils/adt/numeric.c keeps it private; it
 * is stable, being what tables store): after the varlena header a uint16
 * header, then for the long form an int16 weight, then base-10000 digits.
 * The header's two top bits: 00 positive, 01 negative, 10 short form,
 * 11 special (NaN, +-Infinity).
 */
#define NUM_FLAG_MASK			0xC000
#define NUM_FLAG_POS			0x0000
#define NUM_FLAG_NEG			0x4000
#define NUM_FLAG_SHORT			0x8000
#define NUM_DSCALE_MASK			0x3FFF
#define NUM_SHORT_SIGN_MASK		0x2000
#define NUM_SHORT_DSCALE_MASK	0x1F80
#define NUM_SHORT_DSCALE_SHIFT	7
#define NUM_SHORT_WEIGHT_SIGN	0x0040
#define NUM_SHORT_WEIGHT_MASK	0x003F
/* more groups than decimal_double_fast can ever take, zero groups aside */
#define NUM_FAST_MAX_DIGITS		8

/*
 * numeric to double without printing it: decimal_double_fast on the digits
 * as stored.  false where it does not apply (the caller then takes
 * numeric_float8_no_overflow's path, which gives the same double where
 * this one applies).  Reads the value packed, as it lies in the tuple, so
 * that a short varlena header is not copied out first.
 */
static bool
numeric_double_fast(Datum d, double *out)
{
	struct varlena *p = PG_DETOAST_DATUM_PACKED(d);
	const char *body = VARDATA_ANY(p);
	Size		len = VARSIZE_ANY_EXHDR(p);
	uint16		header;
	int			hdrlen;
	int			weight;
	int			dscale;
	int			ndigits;
	bool		negative;
	int16		digits[NUM_FAST_MAX_DIGITS];
	bool		ok = false;

	if (len < sizeof(uint16))
		goto done;
	memcpy(&header, body, sizeof(uint16));
	switch (header & NUM_FLAG_MASK)
	{
		case NUM_FLAG_SHORT:
			negative = (header & NUM_SHORT_SIGN_MASK) != 0;
			dscale = (header & NUM_SHORT_DSCALE_MASK) >> NUM_SHORT_DSCALE_SHIFT;
			weight = ((header & NUM_SHORT_WEIGHT_SIGN) ? ~NUM_SHORT_WEIGHT_MASK : 0) |
				(header & NUM_SHORT_WEIGHT_MASK);
			hdrlen = sizeof(uint16);
			break;
		case NUM_FLAG_POS:
		case NUM_FLAG_NEG:
			{
				int16		w;

				if (len < sizeof(uint16) + sizeof(int16))
					goto done;
				negative = (header & NUM_FLAG_MASK) == NUM_FLAG_NEG;
				dscale = header & NUM_DSCALE_MASK;
				memcpy(&w, body + sizeof(uint16), sizeof(int16));
				weight = w;
				hdrlen = sizeof(uint16) + sizeof(int16);
				break;
			}
		default:
			goto done;			/* NaN, +-Infinity */
	}
	ndigits = (len - hdrlen) / sizeof(int16);
	if (ndigits > NUM_FAST_MAX_DIGITS)
		goto done;
	/* the digits are unaligned after a short varlena header */
	memcpy(digits, body + hdrlen, ndigits * sizeof(int16));
	ok = decimal_double_fast(negative, digits, ndigits, weight, dscale, out);
done:
	if ((Pointer) p != DatumGetPointer(d))
		pfree(p);
	return ok;
}

/* A dimension's value as a double, whatever numeric type it was given as. */
double
rfm_datum_double(Datum d, Oid type)
{
	switch (type)
	{
		case FLOAT8OID:
			return DatumGetFloat8(d);
		case NUMERICOID:
			{
				double		v;

				if (numeric_double_fast(d, &v))
					return v;
				/* beyond double precision's range: +-Infinity, never an error */
				return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, d));
			}
		case INT4OID:
			return (double) DatumGetInt32(d);
		case INT8OID:
			return (double) DatumGetInt64(d);
		default:
			elog(ERROR, "unexpected type %u for an RFM dimension", type);
	}
	return 0;					/* keep compiler quiet */
}

/*
 * The "cell" of a score: its three digits ('545'); with 10 bins a score can
 * take two digits, so the scores are then separated by '-' ('10-4-7').
 */
static text *
rfm_cell(int bins, const int *scores)
{
	char		buf[16];

	if (bins < 10)
		snprintf(buf, sizeof(buf), "%d%d%d", scores[0], scores[1], scores[2]);
	else
		snprintf(buf, sizeof(buf), "%d-%d-%d", scores[0], scores[1], scores[2]);
	return cstring_to_text(buf);
}

/*
 * recency and frequency as the rfm type's int fields.  Scores are of the
 * exact value; the field shows it rounded to the nearest integer, as ::integer
 * rounds, and is NULL where no int holds it (NaN, +-Infinity, beyond the int
 * range), because the type is stored in users' tables and cannot widen.
 */
static bool
rfm_echo_int(double v, int32 *out)
{
	double		r = rint(v);

	if (isnan(r) || !FLOAT8_FITS_IN_INT32(r))
		return false;
	*out = (int32) r;
	return true;
}

/*
 * Build an rfm composite.  values/isnull are the three inputs as given,
 * types their SQL types; scores[d] is 0 where the dimension is NULL.  The
 * standard segment is filled in for 5-bin scores only.  The cell and
 * segment texts come from the cache (rfm_cell_text), so a row costs one
 * heap_form_tuple and no text formatting.
 */
Datum
rfm_make_result(RfmResultCache *cache, const Datum *values, const bool *isnull,
				const Oid *types, const int *scores, int bins)
{
	Datum		out[8];
	bool		nulls[8];
	bool		complete = true;

	memset(nulls, 0, sizeof(nulls));

	/* recency, frequency: int (rfm_echo_int) */
	for (int d = 0; d < 2; d++)
	{
		int32		v;

		if (!isnull[d] && rfm_echo_int(rfm_datum_double(values[d], types[d]), &v))
			out[d] = Int32GetDatum(v);
		else
			nulls[d] = true;
	}
	/* monetary: numeric, exactly as given when it was numeric */
	if (isnull[2])
		nulls[2] = true;
	else if (types[2] == NUMERICOID)
		out[2] = values[2];
	else
		out[2] = DirectFunctionCall1(float8_numeric,
									 Float8GetDatum(rfm_datum_double(values[2], types[2])));

	for (int d = 0; d < NDIM; d++)
	{
		if (scores[d] == 0)
		{
			nulls[3 + d] = true;
			complete = false;
		}
		else
			out[3 + d] = Int16GetDatum((int16) scores[d]);
	}
	if (complete)
	{
		RfmCellText *ct = rfm_cell_text(cache, bins, scores);

		out[6] = PointerGetDatum(ct->cell);
		if (ct->segment != NULL)
			out[7] = PointerGetDatum(ct->segment);
		else
			nulls[7] = true;
	}
	else
		nulls[6] = nulls[7] = true;

	return HeapTupleGetDatum(heap_form_tuple(cache->tupdesc, out, nulls));
}

/*
 * The cell and segment texts of a complete score, made once per distinct
 * (r, f, m) and bins and kept in the call's cache: there are at most bins^3
 * of them (1,000; 3,024 for all bins together), against millions of rows.
 */
static RfmCellText *
rfm_cell_text(RfmResultCache *cache, int bins, const int *scores)
{
	RfmCellText *ct;

	Assert(bins >= RFM_MIN_BINS && bins <= RFM_MAX_BINS);
	/* one table per bins: stored thresholds may differ in bins row to row */
	if (cache->cells[bins] == NULL)
		cache->cells[bins] = MemoryContextAllocZero(cache->mcxt,
													sizeof(RfmCellText) * bins * bins * bins);
	ct = &cache->cells[bins][((scores[0] - 1) * bins + scores[1] - 1) * bins + scores[2] - 1];
	if (ct->cell == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(cache->mcxt);

		ct->cell = rfm_cell(bins, scores);
		ct->segment = bins == 5
			? cstring_to_text(segmap_lookup(&rfm_standard_map,
											scores[0], scores[1], scores[2]))
			: NULL;
		MemoryContextSwitchTo(old);
	}
	return ct;
}

/*
 * The result cache of a call site, in fn_extra: the blessed tuple descriptor
 * of the rfm result type, the argument types, and the cell texts.
 */
RfmResultCache *
rfm_result_cache(FunctionCallInfo fcinfo)
{
	RfmResultCache *cache = (RfmResultCache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	tupdesc;

		cache = palloc0(sizeof(RfmResultCache));
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "rfm_score must return the rfm composite type");
		cache->tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		for (int d = 0; d < NDIM; d++)
			cache->types[d] = get_fn_expr_argtype(fcinfo->flinfo, d);
		cache->mcxt = fcinfo->flinfo->fn_mcxt;
		fcinfo->flinfo->fn_extra = cache;
		MemoryContextSwitchTo(old);
	}
	return cache;
}

/* ---------------------------------------------------------------------
 * rfm_score(recency, frequency, monetary [, bins]) OVER (...)
 * ---------------------------------------------------------------------
 */

typedef struct RfmPartition
{
	bool		ranked;
	int32		bins;
	int64		nrows;
	uint8	   *scores;			/* NDIM * nrows: recency, frequency, monetary */
} RfmPartition;

/*
 * Rank the whole partition.  The partition is read once, front to back, all
 * three arguments of a row before the next row: once the window buffer has
 * spilled to disk, going back to the first row costs a read per row (a
 * temporary file is read backwards one tuple at a time), so a pass per
 * dimension would read the partition from disk twice more, tuple by tuple.
 * The recency values go straight into sort pairs (key, row); frequency and
 * monetary are kept as keys (0 for NULL, a key rank_key never makes) until
 * their turn to be sorted.  Peak memory is 48 bytes per row, in one buffer
 * (buffer_pg.c: huge pages, where a fresh 4 kB page is slow to fault in);
 * what stays for the rest of the partition is 3 bytes per row of scores.
 */
static void
rank_partition(WindowObject winobj, RfmPartition *part, const Oid *types)
{
	MemoryContext partcxt = GetMemoryChunkContext(part);
	MemoryContext convcxt;
	MemoryContext old;
	int64		n = WinGetPartitionRowCount(winobj);
	RankPair   *pairs;
	RankPair   *tmp;
	uint64	   *keys[NDIM];
	int64		m = 0;
	RfmBuffer  *work;

	/* the window API addresses rows by int offsets */
	if (n > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("rfm_score cannot rank a window partition of more than %d rows",
						PG_INT32_MAX),
				 errhint("Partition the window, or score against rfm_thresholds computed by the aggregate.")));
	part->nrows = n;
	part->scores = MemoryContextAllocHuge(partcxt, Max(n, 1) * NDIM);
	if (n == 0)
		return;

	/* pairs, tmp, and the frequency and monetary keys, in one area */
	work = MemoryContextAllocZero(partcxt, sizeof(RfmBuffer));
	pairs = rfm_buffer_alloc(work, partcxt,
							 (Size) n * (2 * sizeof(RankPair) + (NDIM - 1) * sizeof(uint64)));
	tmp = pairs + n;
	keys[0] = NULL;
	for (int d = 1; d < NDIM; d++)
		keys[d] = (uint64 *) (tmp + n) + (d - 1) * n;
	/* numeric conversion allocates: do it in a context reset every 1024 rows */
	convcxt = AllocSetContextCreate(partcxt, "rfm_score conversion", ALLOCSET_SMALL_SIZES);

	for (int64 i = 0; i < n; i++)
	{
		/* a partition may be billions of rows, read back from disk */
		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(convcxt);
		for (int d = 0; d < NDIM; d++)
		{
			bool		isnull;
			bool		isout;
			Datum		v = WinGetFuncArgInPartition(winobj, d, i,
													 WINDOW_SEEK_HEAD, false,
													 &isnull, &isout);
			uint64		key = isnull ? 0 : rank_key(rfm_datum_double(v, types[d]));

			if (d > 0)
				keys[d][i] = key;
			else if (isnull)
				part->scores[i] = 0;
			else
			{
				pairs[m].key = key;
				pairs[m].index = i;
				m++;
			}
		}
		MemoryContextSwitchTo(old);
		if ((i & 0x3FF) == 0x3FF)
			MemoryContextReset(convcxt);
	}
	MemoryContextDelete(convcxt);

	for (int d = 0; d < NDIM; d++)
	{
		uint8	   *scores = part->scores + d * n;

		if (d > 0)
		{
			m = 0;
			for (int64 i = 0; i < n; i++)
			{
				if ((i & 0xFFFF) == 0xFFFF)
					CHECK_FOR_INTERRUPTS();
				if (keys[d][i] == 0)
				{
					scores[i] = 0;
					continue;
				}
				pairs[m].key = keys[d][i];
				pairs[m].index = i;
				m++;
			}
		}
		rank_score_pairs(pairs, tmp, m, part->bins, d == 0, scores);
	}
	rfm_buffer_release(work);
}

PG_FUNCTION_INFO_V1(rfm_score_window);
Datum
rfm_score_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	RfmResultCache *cache = rfm_result_cache(fcinfo);
	const Oid  *types = cache->types;
	RfmPartition *part;
	Datum		values[NDIM];
	bool		isnull[NDIM];
	int			scores[NDIM];
	int32		bins = 5;
	int64		pos;

	if (PG_NARGS() > 3)
	{
		bool		binsnull;

		bins = DatumGetInt32(WinGetFuncArgCurrent(winobj, 3, &binsnull));
		if (binsnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("bins must not be null")));
	}

	part = (RfmPartition *) WinGetPartitionLocalMemory(winobj, sizeof(RfmPartition));
	if (!part->ranked)
	{
		part->bins = rfm_check_bins(bins);
		rank_partition(winobj, part, types);
		part->ranked = true;
	}
	else if (bins != part->bins)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins must be the same on every row of a window partition")));

	pos = WinGetCurrentPosition(winobj);
	for (int d = 0; d < NDIM; d++)
	{
		values[d] = WinGetFuncArgCurrent(winobj, d, &isnull[d]);
		scores[d] = part->scores[d * part->nrows + pos];
	}
	PG_RETURN_DATUM(rfm_make_result(cache, values, isnull,
									types, scores, part->bins));
}

/*
 * A probe for test/diff/rfm.sh, not part of the extension's SQL: the test
 * declares it in its own database to compare the fast numeric-to-double
 * path with PostgreSQL's conversion over many values.  The fast path's
 * double, or NULL where it does not apply.
 */
PG_FUNCTION_INFO_V1(rfm_numeric_double_probe);
Datum
rfm_numeric_double_probe(PG_FUNCTION_ARGS)
{
	double		v;

	if (!numeric_double_fast(PG_GETARG_DATUM(0), &v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}
