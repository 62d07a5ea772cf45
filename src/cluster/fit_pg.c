/*-------------------------------------------------------------------------
 *
 * fit_pg.c
 *	  The k-means aggregates: segment_kmeans (fit one k) and
 *	  segment_kmeans_choose_k (fit k = 2..K and score each).
 *
 * The state is the bounded sample of kmeans.c (KM_SAMPLE_ROWS rows with
 * the smallest hash keys) plus counts; transition, combine, serialize and
 * deserialize only move rows in and out of it, and the final function
 * does the work: scaling (log1p, z-score from the sample), k-means++ with
 * KM_RESTARTS restarts and Lloyd's iterations.  Because the sample is a
 * function of the multiset of rows, and the final function sorts it before
 * fitting, a parallel plan gives the serial model bit for bit.
 *
 * Memory: at most KM_SAMPLE_ROWS * (8 + 8 * features) bytes per group
 * (16 MB at 100 features), grown by doubling; work_mem is not consulted,
 * so that the model does not depend on a session setting.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "cluster_pg.h"

typedef struct KmAgg
{
	int			k;				/* k, or the largest k to try */
	int			scaling;
	int64		seed;
	int64		rows;			/* rows with a complete vector */
	int64		skipped;		/* rows with a NULL vector or feature */
	KmSample	sample;			/* sample.d = 0 until the first row */
} KmAgg;

static KmAgg *
agg_new(MemoryContext cxt, int k, int scaling, int64 seed)
{
	KmAgg	   *agg = MemoryContextAllocZero(cxt, sizeof(KmAgg));

	agg->k = k;
	agg->scaling = scaling;
	agg->seed = seed;
	return agg;
}

static void
same_setting(int64 was, int64 now, const char *what, const char *aggname)
{
	if (was != now)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be the same on every row of a %s group", what, aggname),
				 errdetail("Found " INT64_FORMAT " and " INT64_FORMAT ".", was, now)));
}

/* the transition of both aggregates; min_k is 1 for a fit, 2 for choose_k */
static Datum
kmeans_trans(FunctionCallInfo fcinfo, int min_k, const char *aggname, const char *kname)
{
	MemoryContext aggcxt,
				old;
	KmAgg	   *agg = PG_ARGISNULL(0) ? NULL : (KmAgg *) PG_GETARG_POINTER(0);
	int			k,
				scaling = SCALING_ZSCORE,
				d;
	int64		seed = 0;
	double		x[KM_MAX_FEATURES];
	CoreError	err;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", aggname);
	for (int i = 2; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be null", i == 2 ? kname : i == 3 ? "scaling" : "seed")));
	k = PG_GETARG_INT32(2);
	if (k < min_k || k > KM_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between %d and %d", kname, min_k, KM_MAX_K),
				 errdetail("Found %d.", k)));
	if (PG_NARGS() > 3)
	{
		char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(3));

		scaling = clusters_scaling_parse(name);
		if (scaling < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown scaling \"%s\" for k-means", name),
					 errhint("Use zscore, log1p or none.")));
	}
	if (PG_NARGS() > 4)
		seed = PG_GETARG_INT64(4);
	if (agg == NULL)
		agg = agg_new(aggcxt, k, scaling, seed);
	else
	{
		same_setting(agg->k, k, kname, aggname);
		same_setting(agg->scaling, scaling, "scaling", aggname);
		same_setting(agg->seed, seed, "seed", aggname);
	}

	if (PG_ARGISNULL(1) || (d = clusters_read_features(PG_GETARG_ARRAYTYPE_P(1), x)) < 0)
	{
		agg->skipped++;
		PG_RETURN_POINTER(agg);
	}
	for (int j = 0; j < d; j++)
	{
		double		t;

		if (!clusters_transform(scaling, x[j], j, &t, &err))
			core_ereport(&err);
	}
	if (agg->sample.d == 0)
	{
		old = MemoryContextSwitchTo(aggcxt);
		km_sample_init(&agg->sample, d, KM_SAMPLE_ROWS);
		MemoryContextSwitchTo(old);
	}
	else if (agg->sample.d != d)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("features must have the same length on every row of a %s group", aggname),
				 errdetail("Found %d and %d features.", agg->sample.d, d)));
	agg->rows++;
	old = MemoryContextSwitchTo(aggcxt);
	km_sample_add(&agg->sample, km_row_key(x, d, (uint64_t) seed), x);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(agg);
}

PG_FUNCTION_INFO_V1(segment_kmeans_trans);
Datum
segment_kmeans_trans(PG_FUNCTION_ARGS)
{
	return kmeans_trans(fcinfo, 1, "segment_kmeans", "k");
}

PG_FUNCTION_INFO_V1(segment_kmeans_choose_trans);
Datum
segment_kmeans_choose_trans(PG_FUNCTION_ARGS)
{
	return kmeans_trans(fcinfo, 2, "segment_kmeans_choose_k", "max_k");
}

PG_FUNCTION_INFO_V1(segment_kmeans_combine);
Datum
segment_kmeans_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt,
				old;
	KmAgg	   *a = PG_ARGISNULL(0) ? NULL : (KmAgg *) PG_GETARG_POINTER(0);
	KmAgg	   *b = PG_ARGISNULL(1) ? NULL : (KmAgg *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "segment_kmeans_combine called in non-aggregate context");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = agg_new(aggcxt, b->k, b->scaling, b->seed);
	same_setting(a->k, b->k, "k", "segment_kmeans");
	same_setting(a->scaling, b->scaling, "scaling", "segment_kmeans");
	same_setting(a->seed, b->seed, "seed", "segment_kmeans");
	a->rows += b->rows;
	a->skipped += b->skipped;
	if (b->sample.d == 0)
		PG_RETURN_POINTER(a);
	old = MemoryContextSwitchTo(aggcxt);
	if (a->sample.d == 0)
		km_sample_init(&a->sample, b->sample.d, KM_SAMPLE_ROWS);
	MemoryContextSwitchTo(old);
	if (a->sample.d != b->sample.d)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("features must have the same length on every row of a segment_kmeans group"),
				 errdetail("Found %d and %d features.", a->sample.d, b->sample.d)));
	old = MemoryContextSwitchTo(aggcxt);
	km_sample_merge(&a->sample, &b->sample);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(segment_kmeans_serialize);
Datum
segment_kmeans_serialize(PG_FUNCTION_ARGS)
{
	KmAgg	   *agg = (KmAgg *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			d = agg->sample.d;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, agg->k);
	pq_sendint32(&buf, agg->scaling);
	pq_sendint64(&buf, agg->seed);
	pq_sendint64(&buf, agg->rows);
	pq_sendint64(&buf, agg->skipped);
	pq_sendint32(&buf, d);
	pq_sendint32(&buf, agg->sample.n);
	for (int i = 0; i < agg->sample.n; i++)
	{
		if ((i & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(&buf, agg->sample.keys[i]);
		for (int j = 0; j < d; j++)
			pq_sendfloat8(&buf, agg->sample.rows[(size_t) i * d + j]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(segment_kmeans_deserialize);
Datum
segment_kmeans_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	MemoryContext aggcxt = core_agg_deserialize_begin(fcinfo, "segment_kmeans_deserialize", &buf);
	MemoryContext old;
	int			k = pq_getmsgint(&buf, 4);
	int			scaling = pq_getmsgint(&buf, 4);
	int64		seed = pq_getmsgint64(&buf);
	KmAgg	   *agg = agg_new(aggcxt, k, scaling, seed);
	int			d,
				n;
	double		x[KM_MAX_FEATURES];

	agg->rows = pq_getmsgint64(&buf);
	agg->skipped = pq_getmsgint64(&buf);
	d = pq_getmsgint(&buf, 4);
	n = pq_getmsgint(&buf, 4);
	if (d < 0 || d > KM_MAX_FEATURES || n < 0 || n > KM_SAMPLE_ROWS || (d == 0 && n > 0))
		elog(ERROR, "segment_kmeans state claims %d rows of %d features", n, d);
	if (d > 0)
	{
		old = MemoryContextSwitchTo(aggcxt);
		km_sample_init(&agg->sample, d, KM_SAMPLE_ROWS);
		for (int i = 0; i < n; i++)
		{
			uint64		key = pq_getmsgint64(&buf);

			if ((i & 1023) == 1023)
				CHECK_FOR_INTERRUPTS();
			for (int j = 0; j < d; j++)
				x[j] = pq_getmsgfloat8(&buf);
			km_sample_add(&agg->sample, key, x);
		}
		MemoryContextSwitchTo(old);
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(agg);
}

/*
 * The sample of the state, sorted and scaled, ready to fit: its rows in
 * *x (n * d), mean and scale filled.  Leaves the state as it was (a final
 * function may run more than once over one state).
 */
static double *
prepare(KmAgg *agg, double *mean, double *scale)
{
	KmSample	s = agg->sample;
	int			n = s.n,
				d = s.d;
	double	   *x;
	double		total = 0;
	CoreError	err;

	/* sort a copy: the canonical order of the rows, whatever came first */
	s.keys = palloc(sizeof(uint64) * n);
	s.rows = palloc_extended(sizeof(double) * (size_t) n * d, MCXT_ALLOC_HUGE);
	memcpy(s.keys, agg->sample.keys, sizeof(uint64) * n);
	memcpy(s.rows, agg->sample.rows, sizeof(double) * (size_t) n * d);
	s.alloc = n;
	km_sample_sort(&s);
	pfree(s.keys);
	x = s.rows;
	for (size_t i = 0; i < (size_t) n * d; i++)
		if (!clusters_transform(agg->scaling, x[i], (int) (i % d), &x[i], &err))
			core_ereport(&err);
	clusters_standardize(agg->scaling, x, n, d, mean, scale);
	for (size_t i = 0; i < (size_t) n * d; i++)
		total += x[i] * x[i];
	if (!isfinite(4 * total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("features are too large for k-means"),
				 errdetail("Their sum of squares overflows a float8 after scaling \"%s\".",
						   clusters_scaling_name(agg->scaling)),
				 errhint("Use scaling zscore or log1p, or scale the features down.")));
	for (int j = 0; j < d; j++)
		if (!isfinite(mean[j]) || !isfinite(scale[j]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("features are too large for k-means"),
					 errdetail("The mean or standard deviation of feature %d overflows a float8.", j + 1)));
	return x;
}

PG_FUNCTION_INFO_V1(segment_kmeans_final);
Datum
segment_kmeans_final(PG_FUNCTION_ARGS)
{
	KmAgg	   *agg = PG_ARGISNULL(0) ? NULL : (KmAgg *) PG_GETARG_POINTER(0);
	int			n,
				d,
				k;
	double	   *x;
	double		mean[KM_MAX_FEATURES],
				scale[KM_MAX_FEATURES];
	KmResult	res;
	CoreError	err;
	size_t		size;
	ClustersModel *m;

	if (agg == NULL || agg->rows == 0)
		PG_RETURN_NULL();
	n = agg->sample.n;
	d = agg->sample.d;
	k = agg->k;
	x = prepare(agg, mean, scale);
	if (!km_fit(x, n, d, k, (uint64) agg->seed, KM_RESTARTS, &res, &err))
		core_ereport(&err);

	size = CLUSTERS_SIZE(d, k);
	m = palloc0(size);
	m->version = CLUSTERS_VERSION;
	m->d = d;
	m->k = k;
	m->scaling = agg->scaling;
	m->restarts = KM_RESTARTS;
	m->iterations = res.iterations;
	m->seed = agg->seed;
	m->rows = agg->rows;
	m->skipped = agg->skipped;
	m->sample = n;
	m->wcss = res.wcss;
	memcpy(clusters_mean(m), mean, sizeof(double) * d);
	memcpy(clusters_scale(m), scale, sizeof(double) * d);
	memcpy(clusters_centroids(m), res.centroids, sizeof(double) * (size_t) k * d);
	memcpy(clusters_sizes(m), res.sizes, sizeof(double) * k);
	memcpy(clusters_cluster_wcss(m), res.cluster_wcss, sizeof(double) * k);
	if (!clusters_check(m, size, CORE_ERR_OUT_OF_RANGE, &err))
		core_ereport(&err);
	km_result_free(&res);
	pfree(x);
	PG_RETURN_POINTER(clusters_value(m, size));
}

/*
 * segment_kmeans_choose_k: for k = 2 .. max_k (fewer when the sample has
 * fewer distinct vectors), the within-cluster sum of squares, the silhouette
 * of the first KM_SILHOUETTE_ROWS rows of the (random) sample, the
 * Davies-Bouldin index and the iterations, as an array of
 * segment_kmeans_choice rows.
 */
PG_FUNCTION_INFO_V1(segment_kmeans_choose_final);
Datum
segment_kmeans_choose_final(PG_FUNCTION_ARGS)
{
	KmAgg	   *agg = PG_ARGISNULL(0) ? NULL : (KmAgg *) PG_GETARG_POINTER(0);
	Oid			arraytype = get_fn_expr_rettype(fcinfo->flinfo);
	Oid			elemtype = OidIsValid(arraytype) ? get_element_type(arraytype) : InvalidOid;
	TupleDesc	tupdesc;
	Datum	   *rows;
	int			nrows = 0,
				n,
				d;
	double	   *x;
	double		mean[KM_MAX_FEATURES],
				scale[KM_MAX_FEATURES];
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (!OidIsValid(elemtype))
		elog(ERROR, "segment_kmeans_choose_final: cannot determine its result type");
	if (agg == NULL || agg->rows == 0)
		PG_RETURN_NULL();
	tupdesc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(elemtype, -1));
	if (tupdesc->natts != 5)
		elog(ERROR, "segment_kmeans_choice has %d attributes, expected 5", tupdesc->natts);
	n = agg->sample.n;
	d = agg->sample.d;
	x = prepare(agg, mean, scale);
	rows = palloc(sizeof(Datum) * agg->k);
	for (int k = 2; k <= agg->k && k <= n; k++)
	{
		KmResult	res;
		CoreError	err;
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		double		sil;

		if (!km_fit(x, n, d, k, (uint64) agg->seed, KM_RESTARTS, &res, &err))
			break;				/* fewer distinct vectors than k: stop */
		sil = km_silhouette(x, res.labels, n < KM_SILHOUETTE_ROWS ? n : KM_SILHOUETTE_ROWS, d, k);
		values[0] = Int32GetDatum(k);
		values[1] = Float8GetDatum(res.wcss);
		values[2] = Float8GetDatum(sil);
		nulls[2] = isnan(sil);
		values[3] = Float8GetDatum(km_davies_bouldin(x, res.labels, n, d, k, res.centroids));
		values[4] = Int32GetDatum(res.iterations);
		rows[nrows++] = HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
		km_result_free(&res);
	}
	pfree(x);
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(rows, nrows, elemtype, typlen, typbyval, typalign));
}
