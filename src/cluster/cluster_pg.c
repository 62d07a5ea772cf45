/*-------------------------------------------------------------------------
 *
 * cluster_pg.c
 *	  The segment_clusters type in SQL: text and binary I/O, the jsonb view,
 *	  and assigning a customer to a cluster (segment_cluster,
 *	  segment_cluster_distance).
 *
 * Every way in (text, binary, the fit) runs clusters_check, so the
 * functions that read a stored model trust it.  segment_cluster keeps a
 * copy of the last model it saw in fn_extra, keyed by the model's bytes:
 * a constant model, or a model read from a one-row table, is detoasted and
 * copied once per call site, not once per row.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/jsonb.h"

#include "cluster_pg.h"

#define DatumGetClusters(d) ((struct varlena *) PG_DETOAST_DATUM(d))

struct varlena *
clusters_value(const ClustersModel *m, size_t size)
{
	struct varlena *v = palloc0(CLUSTERS_HDRSZ + size);

	SET_VARSIZE(v, CLUSTERS_HDRSZ + size);
	memcpy(clusters_of(v), m, size);
	return v;
}

int
clusters_read_features(ArrayType *a, double *x)
{
	int			n;
	bits8	   *nulls;
	float8	   *data;

	if (ARR_NDIM(a) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("features must not be an empty array")));
	if (ARR_NDIM(a) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("features must be a one-dimensional array"),
				 errdetail("The array has %d dimensions.", ARR_NDIM(a))));
	Assert(ARR_ELEMTYPE(a) == FLOAT8OID);
	n = ARR_DIMS(a)[0];
	if (n > KM_MAX_FEATURES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many features for k-means: %d", n),
				 errdetail("At most %d features are supported.", KM_MAX_FEATURES)));
	nulls = ARR_NULLBITMAP(a);
	data = (float8 *) ARR_DATA_PTR(a);
	for (int j = 0; j < n; j++)
	{
		if (nulls && !(nulls[j / 8] & (1 << (j % 8))))
			return -1;
		x[j] = *data++;
	}
	return n;
}

/* ---------------------------------------------------------------------------
 * I/O
 * ---------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(segment_clusters_in);
Datum
segment_clusters_in(PG_FUNCTION_ARGS)
{
	CoreError	err;
	size_t		size;
	ClustersModel *m = clusters_parse(PG_GETARG_CSTRING(0), &size, &err);

	if (m == NULL)
		core_ereport(&err);
	PG_RETURN_POINTER(clusters_value(m, size));
}

PG_FUNCTION_INFO_V1(segment_clusters_out);
Datum
segment_clusters_out(PG_FUNCTION_ARGS)
{
	struct varlena *v = DatumGetClusters(PG_GETARG_DATUM(0));

	PG_RETURN_CSTRING(clusters_format(clusters_of(v)));
}

/*
 * Binary form: int32 format_version, features, k, scaling, restarts,
 * iterations; int64 seed, rows, skipped, sample; float8 wcss; then the
 * float8 arrays mean, scale, centroids, sizes, cluster_wcss.  The version
 * comes first so that a later format can be told apart.
 */
#define CLUSTERS_BIN_HEAD (6 * 4 + 4 * 8 + 8)

PG_FUNCTION_INFO_V1(segment_clusters_recv);
Datum
segment_clusters_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ClustersModel head;
	ClustersModel *m;
	CoreError	err;
	size_t		n,
				size;

	memset(&head, 0, sizeof(head));
	if (buf->len - buf->cursor < CLUSTERS_BIN_HEAD)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary segment_clusters value"),
				 errdetail("The value has %d bytes; its head alone has %d.",
						   buf->len - buf->cursor, CLUSTERS_BIN_HEAD)));
	head.version = pq_getmsgint(buf, 4);
	if (head.version != CLUSTERS_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary segment_clusters value"),
				 errdetail("Format version %d is not known to this version of segmentation.",
						   head.version)));
	head.d = pq_getmsgint(buf, 4);
	head.k = pq_getmsgint(buf, 4);
	head.scaling = pq_getmsgint(buf, 4);
	head.restarts = pq_getmsgint(buf, 4);
	head.iterations = pq_getmsgint(buf, 4);
	head.seed = pq_getmsgint64(buf);
	head.rows = pq_getmsgint64(buf);
	head.skipped = pq_getmsgint64(buf);
	head.sample = pq_getmsgint64(buf);
	head.wcss = pq_getmsgfloat8(buf);
	if (head.d < 1 || head.d > KM_MAX_FEATURES || head.k < 1 || head.k > KM_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary segment_clusters value"),
				 errdetail("features (%d) and k (%d) must each be between 1 and 100.", head.d, head.k)));
	n = CLUSTERS_NDOUBLES(head.d, head.k);
	if ((size_t) (buf->len - buf->cursor) != n * sizeof(float8))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary segment_clusters value"),
				 errdetail("%d features and %d clusters need %d bytes after the head; received %d.",
						   head.d, head.k, (int) (n * sizeof(float8)), buf->len - buf->cursor)));
	size = CLUSTERS_SIZE(head.d, head.k);
	m = palloc0(size);
	*m = head;
	for (size_t i = 0; i < n; i++)
		m->data[i] = pq_getmsgfloat8(buf);
	if (!clusters_check(m, size, CORE_ERR_INVALID_BINARY, &err))
		core_ereport(&err);
	PG_RETURN_POINTER(clusters_value(m, size));
}

PG_FUNCTION_INFO_V1(segment_clusters_send);
Datum
segment_clusters_send(PG_FUNCTION_ARGS)
{
	ClustersModel *m = clusters_of(DatumGetClusters(PG_GETARG_DATUM(0)));
	StringInfoData buf;
	size_t		n = CLUSTERS_NDOUBLES(m->d, m->k);

	pq_begintypsend(&buf);
	pq_sendint32(&buf, m->version);
	pq_sendint32(&buf, m->d);
	pq_sendint32(&buf, m->k);
	pq_sendint32(&buf, m->scaling);
	pq_sendint32(&buf, m->restarts);
	pq_sendint32(&buf, m->iterations);
	pq_sendint64(&buf, m->seed);
	pq_sendint64(&buf, m->rows);
	pq_sendint64(&buf, m->skipped);
	pq_sendint64(&buf, m->sample);
	pq_sendfloat8(&buf, m->wcss);
	for (size_t i = 0; i < n; i++)
		pq_sendfloat8(&buf, m->data[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------------
 * The jsonb view
 * ---------------------------------------------------------------------------
 */

static void
append_number(StringInfo s, double v)
{
	/* finite by clusters_check; float8out's shortest round-trip form */
	appendStringInfoString(s, float8out_internal(v));
}

static void
append_array(StringInfo s, const char *name, const double *v, int n)
{
	appendStringInfo(s, ", \"%s\": [", name);
	for (int i = 0; i < n; i++)
	{
		if (i)
			appendStringInfoString(s, ", ");
		append_number(s, v[i]);
	}
	appendStringInfoChar(s, ']');
}

PG_FUNCTION_INFO_V1(segment_clusters_jsonb);
Datum
segment_clusters_jsonb(PG_FUNCTION_ARGS)
{
	ClustersModel *m = clusters_of(DatumGetClusters(PG_GETARG_DATUM(0)));
	StringInfoData s;
	double		orig[KM_MAX_FEATURES];

	initStringInfo(&s);
	appendStringInfo(&s, "{\"format_version\": %d, \"features\": %d, \"k\": %d, \"scaling\": \"%s\", "
					 "\"seed\": " INT64_FORMAT ", \"restarts\": %d, \"iterations\": %d, "
					 "\"rows\": " INT64_FORMAT ", \"skipped\": " INT64_FORMAT ", \"sample\": " INT64_FORMAT
					 ", \"wcss\": ",
					 m->version, m->d, m->k, clusters_scaling_name(m->scaling), m->seed, m->restarts,
					 m->iterations, m->rows, m->skipped, m->sample);
	append_number(&s, m->wcss);
	append_array(&s, "mean", clusters_mean(m), m->d);
	append_array(&s, "scale", clusters_scale(m), m->d);
	appendStringInfoString(&s, ", \"clusters\": [");
	for (int c = 0; c < m->k; c++)
	{
		appendStringInfo(&s, "%s{\"cluster\": %d, \"size\": ", c ? ", " : "", c + 1);
		append_number(&s, clusters_sizes(m)[c]);
		appendStringInfoString(&s, ", \"wcss\": ");
		append_number(&s, clusters_cluster_wcss(m)[c]);
		clusters_centroid_original(m, c, orig);
		append_array(&s, "centroid", orig, m->d);
		append_array(&s, "centroid_scaled", clusters_centroids(m) + (size_t) c * m->d, m->d);
		appendStringInfoChar(&s, '}');
	}
	appendStringInfoString(&s, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}

/* ---------------------------------------------------------------------------
 * Assignment
 * ---------------------------------------------------------------------------
 */

typedef struct ClustersCache
{
	Size		len;			/* VARSIZE of the cached value */
	struct varlena *value;		/* in fn_mcxt */
} ClustersCache;

/* The model of argument 0, from the call site's cache when its bytes match. */
static ClustersModel *
cached_model(FunctionCallInfo fcinfo)
{
	ClustersCache *cache = (ClustersCache *) fcinfo->flinfo->fn_extra;
	struct varlena *v = DatumGetClusters(PG_GETARG_DATUM(0));
	Size		len = VARSIZE(v);

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ClustersCache));
		fcinfo->flinfo->fn_extra = cache;
	}
	if (cache->value == NULL || cache->len != len || memcmp(cache->value, v, len) != 0)
	{
		if (cache->value)
			pfree(cache->value);
		cache->value = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len);
		memcpy(cache->value, v, len);
		cache->len = len;
	}
	if ((Pointer) v != DatumGetPointer(PG_GETARG_DATUM(0)))
		pfree(v);
	return clusters_of(cache->value);
}

/* the nearest cluster (0-based) to the features of argument 1, or -1 for a
 * NULL feature; its squared distance into *dist2 */
static int
assign(FunctionCallInfo fcinfo, double *dist2)
{
	ClustersModel *m = cached_model(fcinfo);
	double		x[KM_MAX_FEATURES],
				z[KM_MAX_FEATURES];
	int			d = clusters_read_features(PG_GETARG_ARRAYTYPE_P(1), x);
	CoreError	err;

	if (d < 0)
		return -1;
	if (d != m->d)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("features have %d values, the model has %d", d, m->d),
				 errhint("Pass the features in the order and number the model was fitted on.")));
	if (!clusters_scale_row(m, x, z, &err))
		core_ereport(&err);
	return km_nearest(z, clusters_centroids(m), m->k, m->d, dist2);
}

PG_FUNCTION_INFO_V1(segment_cluster);
Datum
segment_cluster(PG_FUNCTION_ARGS)
{
	double		dist2;
	int			c = assign(fcinfo, &dist2);

	if (c < 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(c + 1);
}

PG_FUNCTION_INFO_V1(segment_cluster_distance);
Datum
segment_cluster_distance(PG_FUNCTION_ARGS)
{
	double		dist2;
	int			c = assign(fcinfo, &dist2);

	if (c < 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sqrt(dist2));
}
