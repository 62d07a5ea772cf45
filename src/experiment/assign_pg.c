/*-------------------------------------------------------------------------
 *
 * assign_pg.c
 *	  segment_hash, segment_variant and segment_variant_name: the SQL side
 *	  of GrowthBook-compatible variant assignment (assign.c).
 *
 * A bigint key is hashed as its decimal text, as an application passes a
 * numeric user id to GrowthBook as a string.  Text that is not UTF-8 (a
 * database in another encoding) is converted to UTF-8 first, because the
 * hash is defined over the UTF-16 code units of the characters.  The
 * experiment's prefix of the hash, the bucket ranges and the variant of each
 * of the 10,000 buckets are cached in fn_extra, keyed by the experiment
 * name, weights and coverage, so that a row costs the hash of its key and
 * one table lookup.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "core_pg.h"
#include "experiment/assign.h"

typedef struct AssignCache
{
	bool		valid;
	char	   *raw_experiment;	/* the arguments as given, to recognise them */
	int			raw_experiment_len;
	char	   *raw_weights;	/* the weights array's bytes, or NULL */
	int			raw_weights_len;
	char	   *seed;			/* the experiment name, UTF-8 */
	int			seedlen;
	uint32		seed_hash;		/* FNV-1a state after the seed */
	int			nweights;		/* 0: no weights given (two equal variants) */
	double		weights[ASSIGN_MAX_VARIANTS];
	double		coverage;
	int			n;
	double		ranges[2 * ASSIGN_MAX_VARIANTS];
	bool		db_utf8;		/* the database encoding is UTF-8 */
	unsigned char table[ASSIGN_BUCKETS];	/* bucket -> variant */
} AssignCache;

/* Whether s[0..len-1] is ASCII (the server's test takes a C string). */
static bool
ascii_only(const char *s, int len)
{
	for (int i = 0; i < len; i++)
		if ((unsigned char) s[i] >= 0x80)
			return false;
	return true;
}

/* s as UTF-8: itself in a UTF-8 database or when it is ASCII. */
static const char *
as_utf8(const char *s, int len, int *outlen)
{
	char	   *c;

	*outlen = len;
	if (GetDatabaseEncoding() == PG_UTF8 || ascii_only(s, len))
		return s;
	c = (char *) pg_do_encoding_conversion((unsigned char *) pnstrdup(s, len), len,
										   GetDatabaseEncoding(), PG_UTF8);
	*outlen = strlen(c);
	return c;
}


/* The weights array as doubles; 22023 for NULLs, dimensions or length. */
static int
read_weights(ArrayType *arr, double *out)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights must be a one-dimensional array")));
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	if (n < 1 || n > ASSIGN_MAX_VARIANTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an experiment must have between 1 and %d variants, not %d",
						ASSIGN_MAX_VARIANTS, n),
				 errhint("Give one weight per variant.")));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight %d of the experiment is NULL", i + 1)));
		out[i] = DatumGetFloat8(elems[i]);
	}
	return n;
}

/*
 * The cache for this call site, up to date for (experiment, weights,
 * coverage).  weights NULL: two variants of equal weight.
 */
static AssignCache *
assign_setup(FunctionCallInfo fcinfo, text *experiment, ArrayType *weights,
			 double coverage)
{
	AssignCache *c = (AssignCache *) fcinfo->flinfo->fn_extra;
	double		w[ASSIGN_MAX_VARIANTS];
	int			nw = 0;
	int			seedlen;
	const char *seed;
	CoreError	err;

	/* the common case: the same constant arguments as on the last row */
	if (likely(c != NULL) && c->valid &&
		c->raw_experiment_len == VARSIZE_ANY_EXHDR(experiment) &&
		memcmp(c->raw_experiment, VARDATA_ANY(experiment), c->raw_experiment_len) == 0 &&
		(weights == NULL ? c->raw_weights == NULL :
		 (c->raw_weights != NULL && c->raw_weights_len == VARSIZE(weights) &&
		  memcmp(c->raw_weights, weights, c->raw_weights_len) == 0)) &&
		c->coverage == coverage)
		return c;
	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(AssignCache));
		c->db_utf8 = GetDatabaseEncoding() == PG_UTF8;
		fcinfo->flinfo->fn_extra = c;
	}
	seed = as_utf8(VARDATA_ANY(experiment), VARSIZE_ANY_EXHDR(experiment), &seedlen);
	if (weights != NULL)
		nw = read_weights(weights, w);

	if (c->valid && c->seedlen == seedlen && memcmp(c->seed, seed, seedlen) == 0 &&
		c->nweights == nw && memcmp(c->weights, w, nw * sizeof(double)) == 0 &&
		(c->coverage == coverage || (isnan(c->coverage) && isnan(coverage))))
		return c;

	c->valid = false;
	if (!assign_bucket_ranges(nw ? nw : 2, coverage, nw ? w : NULL, c->ranges, &err))
		core_ereport(&err);
	if (c->seed)
		pfree(c->seed);
	c->seed = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, seedlen + 1);
	memcpy(c->seed, seed, seedlen);
	c->seedlen = seedlen;
	c->seed_hash = assign_fnv32a_utf16(ASSIGN_FNV_BASIS, seed, seedlen);
	c->nweights = nw;
	memcpy(c->weights, w, nw * sizeof(double));
	c->coverage = coverage;
	c->n = nw ? nw : 2;
	assign_bucket_table(c->n, c->ranges, c->table);
	if (c->raw_experiment)
		pfree(c->raw_experiment);
	c->raw_experiment_len = VARSIZE_ANY_EXHDR(experiment);
	c->raw_experiment = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, c->raw_experiment_len + 1);
	memcpy(c->raw_experiment, VARDATA_ANY(experiment), c->raw_experiment_len);
	if (c->raw_weights)
		pfree(c->raw_weights);
	c->raw_weights = NULL;
	if (weights != NULL)
	{
		c->raw_weights_len = VARSIZE(weights);
		c->raw_weights = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, c->raw_weights_len);
		memcpy(c->raw_weights, weights, c->raw_weights_len);
	}
	c->valid = true;
	return c;
}

/*
 * The variant of the call's key (argument 0), or -1 outside the coverage: a
 * bigint hashed as its decimal text, a text as its UTF-8 characters, as
 * GrowthBook's SDKs hash a user id; the bucket of hash(seed, key, 2) looked
 * up in the cached table of chooseVariation.
 */
static int
key_variant(FunctionCallInfo fcinfo, const AssignCache *c, bool key_is_int8)
{
	int			bucket;
	int			v;

	if (key_is_int8)
	{
		char		buf[MAXINT8LEN + 1];
		int			len = pg_lltoa(PG_GETARG_INT64(0), buf);

		bucket = assign_hash_bucket(c->seed_hash, buf, len);
	}
	else
	{
		text	   *key = PG_GETARG_TEXT_PP(0);
		int			len = VARSIZE_ANY_EXHDR(key);
		const char *s = VARDATA_ANY(key);

		if (!c->db_utf8)
			s = as_utf8(s, len, &len);
		bucket = assign_hash_bucket(c->seed_hash, s, len);
	}
	v = c->table[bucket];
	return v == ASSIGN_NO_VARIANT ? -1 : v;
}

static int
variant_of(FunctionCallInfo fcinfo, bool key_is_int8, int weights_arg, int coverage_arg)
{
	text	   *experiment = PG_GETARG_TEXT_PP(1);
	ArrayType  *weights = weights_arg >= 0 ? PG_GETARG_ARRAYTYPE_P(weights_arg) : NULL;
	double		coverage = coverage_arg >= 0 ? PG_GETARG_FLOAT8(coverage_arg) : 1.0;
	AssignCache *c = assign_setup(fcinfo, experiment, weights, coverage);

	return key_variant(fcinfo, c, key_is_int8);
}

PG_FUNCTION_INFO_V1(segment_hash);
Datum
segment_hash(PG_FUNCTION_ARGS)
{
	text	   *seed = PG_GETARG_TEXT_PP(0);
	text	   *value = PG_GETARG_TEXT_PP(1);
	int			sl,
				vl;
	const char *s = as_utf8(VARDATA_ANY(seed), VARSIZE_ANY_EXHDR(seed), &sl);
	const char *v = as_utf8(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value), &vl);

	PG_RETURN_FLOAT8(assign_hash_v2(s, sl, v, vl));
}

#define VARIANT_RESULT(v) \
	do { \
		int _v = (v); \
		if (_v < 0) \
			PG_RETURN_NULL(); \
		PG_RETURN_INT32(_v); \
	} while (0)

PG_FUNCTION_INFO_V1(segment_variant_text);
Datum
segment_variant_text(PG_FUNCTION_ARGS)
{
	VARIANT_RESULT(variant_of(fcinfo, false, PG_NARGS() > 2 ? 2 : -1, PG_NARGS() > 3 ? 3 : -1));
}

PG_FUNCTION_INFO_V1(segment_variant_int8);
Datum
segment_variant_int8(PG_FUNCTION_ARGS)
{
	VARIANT_RESULT(variant_of(fcinfo, true, PG_NARGS() > 2 ? 2 : -1, PG_NARGS() > 3 ? 3 : -1));
}

/*
 * segment_variant_name(key, experiment, names text[] [, weights]): the name
 * of the variant; without weights the names share equally, as GrowthBook's
 * getEqualWeights.
 */
static Datum
variant_name(FunctionCallInfo fcinfo, bool key_is_int8)
{
	ArrayType  *names = PG_GETARG_ARRAYTYPE_P(2);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			v;

	if (ARR_NDIM(names) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("variant names must be a one-dimensional array")));
	deconstruct_array(names, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n < 1 || n > ASSIGN_MAX_VARIANTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an experiment must have between 1 and %d variants, not %d",
						ASSIGN_MAX_VARIANTS, n)));
	if (PG_NARGS() > 3)
	{
		ArrayType  *w = PG_GETARG_ARRAYTYPE_P(3);

		if (ARR_NDIM(w) != 1 || ARR_DIMS(w)[0] != n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("an experiment of %d variant names needs %d weights", n, n)));
		v = variant_of(fcinfo, key_is_int8, 3, -1);
	}
	else
	{
		/* equal weights, the doubles of getEqualWeights */
		Datum		wd[ASSIGN_MAX_VARIANTS];
		ArrayType  *w;
		AssignCache *c;

		for (int i = 0; i < n; i++)
			wd[i] = Float8GetDatum(1.0 / n);
		w = construct_array(wd, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
		c = assign_setup(fcinfo, PG_GETARG_TEXT_PP(1), w, 1.0);
		v = key_variant(fcinfo, c, key_is_int8);
	}
	if (v < 0 || nulls[v])
		PG_RETURN_NULL();
	PG_RETURN_DATUM(elems[v]);
}

PG_FUNCTION_INFO_V1(segment_variant_name_text);
Datum
segment_variant_name_text(PG_FUNCTION_ARGS)
{
	return variant_name(fcinfo, false);
}

PG_FUNCTION_INFO_V1(segment_variant_name_int8);
Datum
segment_variant_name_int8(PG_FUNCTION_ARGS)
{
	return variant_name(fcinfo, true);
}
