/*-------------------------------------------------------------------------
 *
 * clusters.h
 *	  A fitted k-means model, segment_clusters (pure core): its flat layout,
 *	  validation, text form, the feature scaling, and assignment.
 *
 * The model is one flat block (the glue puts a varlena header before it):
 * a fixed head, then mean[d], scale[d], centroids[k * d] (in the scaled
 * space), sizes[k] and cluster_wcss[k].  Scaling is per feature:
 * z = (t(x) - mean) / scale, t the identity or log1p.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLUSTERS_H
#define SEGMENTATION_CLUSTERS_H

#include "kmeans.h"

#define CLUSTERS_VERSION 1

typedef enum ClustersScaling
{
	SCALING_NONE = 0,			/* features as they are */
	SCALING_ZSCORE = 1,			/* (x - mean) / sd */
	SCALING_LOG1P = 2			/* (log1p(x) - mean) / sd */
} ClustersScaling;

typedef struct ClustersModel
{
	int32_t		version;
	int32_t		d;				/* features */
	int32_t		k;				/* clusters */
	int32_t		scaling;		/* ClustersScaling */
	int32_t		restarts;
	int32_t		iterations;		/* Lloyd iterations of the best restart */
	int64_t		seed;
	int64_t		rows;			/* rows with a complete feature vector */
	int64_t		skipped;		/* rows skipped for a NULL vector or feature */
	int64_t		sample;			/* rows fitted (<= rows) */
	double		wcss;			/* within-cluster sum of squares, scaled */
	double		data[];			/* mean, scale, centroids, sizes, cluster_wcss */
} ClustersModel;

#define CLUSTERS_NDOUBLES(d, k) (2 * (size_t) (d) + (size_t) (k) * (d) + 2 * (size_t) (k))
#define CLUSTERS_SIZE(d, k) (sizeof(ClustersModel) + sizeof(double) * CLUSTERS_NDOUBLES(d, k))

static inline double *
clusters_mean(const ClustersModel *m)
{
	return (double *) m->data;
}
static inline double *
clusters_scale(const ClustersModel *m)
{
	return (double *) m->data + m->d;
}
static inline double *
clusters_centroids(const ClustersModel *m)
{
	return (double *) m->data + 2 * m->d;
}
static inline double *
clusters_sizes(const ClustersModel *m)
{
	return (double *) m->data + 2 * m->d + (size_t) m->k * m->d;
}
static inline double *
clusters_cluster_wcss(const ClustersModel *m)
{
	return clusters_sizes(m) + m->k;
}

/* "zscore" etc.; parse returns -1 for an unknown name */
extern const char *clusters_scaling_name(int scaling);
extern int	clusters_scaling_parse(const char *name);

/* Every field in range and consistent; false with err (code given) naming
 * the first that is not. */
extern bool clusters_check(const ClustersModel *m, size_t size, CoreErrorCode code, CoreError *err);

/* The text form: name=value pairs in canonical order, arrays as
 * comma-separated numbers, each in the shortest form that reads back to the
 * same bits (core_alloc'd). */
extern char *clusters_format(const ClustersModel *m);

/* Parse the text form (fields in canonical order); a core_alloc'd model of
 * *size bytes, or NULL with err (22P02). */
extern ClustersModel *clusters_parse(const char *s, size_t *size, CoreError *err);

/*
 * Check a raw feature value for the scaling (finite; above -1 for log1p)
 * and return it transformed (log1p or as is); false with err (22023) naming
 * feature j (1-based in the message).
 */
extern bool clusters_transform(int scaling, double v, int j, double *out, CoreError *err);

/*
 * Fill mean and scale from the n transformed rows x (n >= 1): the mean and
 * population standard deviation of each feature (1 for a constant feature,
 * as scikit-learn's StandardScaler), or 0 and 1 without scaling; then scale
 * x in place.
 */
extern void clusters_standardize(int scaling, double *x, int n, int d, double *mean, double *scale);

/* The scaled vector z (d) of raw features x: false with err (22023) for a
 * value the scaling cannot take. */
extern bool clusters_scale_row(const ClustersModel *m, const double *x, double *z, CoreError *err);

/* centroid c in the features' own units (d values into out) */
extern void clusters_centroid_original(const ClustersModel *m, int c, double *out);

#endif							/* SEGMENTATION_CLUSTERS_H */
