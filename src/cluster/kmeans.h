/*-------------------------------------------------------------------------
 *
 * kmeans.h
 *	  k-means over plain arrays (pure core): a deterministic random number
 *	  generator, the bounded sample an aggregate keeps, k-means++ seeding,
 *	  Lloyd's iterations, and the quality measures used to choose k.
 *
 * Points are rows of a row-major double array (n rows of d values).
 * Everything here is a function of its inputs and a seed: no global state,
 * no random(), so that the same data and seed give the same bits.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_KMEANS_H
#define SEGMENTATION_KMEANS_H

#include "core.h"

#define KM_MAX_FEATURES 100		/* features per vector */
#define KM_MAX_K 100			/* clusters */
#define KM_SAMPLE_ROWS 20000	/* rows an aggregate keeps (see kmeans.c) */
#define KM_RESTARTS 10			/* k-means++ initialisations per fit */
#define KM_MAX_ITERATIONS 300	/* Lloyd iterations per initialisation */
#define KM_SILHOUETTE_ROWS 2000 /* rows the silhouette is computed on */

/* splitmix64 (Steele, Lea & Flood 2014): a tiny generator, and its mixer */
extern uint64_t km_mix64(uint64_t x);
extern uint64_t km_next(uint64_t *state);
/* a uniform double in [0, 1) from 53 random bits */
extern double km_uniform(uint64_t *state);

/* The sampling key of a feature vector: a hash of its values (-0 read as
 * 0) and the seed.  Identical vectors share a key. */
extern uint64_t km_row_key(const double *x, int d, uint64_t seed);

/*
 * The bounded sample: the cap rows with the smallest (key, values), held as
 * a max-heap so that a row that cannot enter costs one comparison.  The
 * result is a function of the multiset of rows seen, whatever their order
 * and however they were split between merged samples: that is what makes a
 * parallel aggregate give the serial result.
 */
typedef struct KmSample
{
	int			d;
	int			cap;			/* at most this many rows */
	int			n;
	int			alloc;			/* rows allocated, doubling up to cap */
	uint64_t   *keys;			/* alloc */
	double	   *rows;			/* alloc * d */
} KmSample;

extern void km_sample_init(KmSample *s, int d, int cap);
extern void km_sample_add(KmSample *s, uint64_t key, const double *x);
/* add every row of b to a (same d) */
extern void km_sample_merge(KmSample *a, const KmSample *b);
/* sort ascending by (key, values): a canonical order for the fit */
extern void km_sample_sort(KmSample *s);
extern void km_sample_free(KmSample *s);

/* The result of one fit, in the (standardised) space of its input. */
typedef struct KmResult
{
	int			k;
	int			iterations;		/* Lloyd iterations of the best restart */
	double		wcss;
	double	   *centroids;		/* k * d */
	double	   *sizes;			/* k */
	double	   *cluster_wcss;	/* k */
	int		   *labels;			/* n, 0-based */
} KmResult;

/*
 * Fit k clusters to the n points x (n >= 1, 1 <= k): restarts runs of
 * greedy k-means++ seeding (as scikit-learn: 2 + floor(ln k) candidates per
 * centre) and Lloyd's iterations until no point changes cluster, seeded from
 * seed; the run with the smallest within-cluster sum of squares wins (the
 * first on a tie).  Clusters are numbered by size, largest first, then by
 * centroid.  false with err (22023) when the points have fewer than k
 * distinct values.  res's arrays are core_alloc'd.
 */
extern bool km_fit(const double *x, int n, int d, int k, uint64_t seed, int restarts,
				   KmResult *res, CoreError *err);
extern void km_result_free(KmResult *res);

/* Index of the nearest of k centroids (the first on a tie), and the squared
 * distance to it. */
extern int	km_nearest(const double *x, const double *centroids, int k, int d, double *dist2);

/*
 * Mean silhouette (Rousseeuw 1987) of the first m points with labels, as
 * scikit-learn's silhouette_score: s = (b - a) / max(a, b), 0 for a point
 * alone in its cluster; NaN when the points have fewer than 2 labels.
 */
extern double km_silhouette(const double *x, const int *labels, int m, int d, int k);

/*
 * Davies-Bouldin index (Davies & Bouldin 1979), as scikit-learn's
 * davies_bouldin_score: the mean over clusters of the largest
 * (s_i + s_j) / |c_i - c_j|, s the mean distance of a cluster's points to
 * its centroid.
 */
extern double km_davies_bouldin(const double *x, const int *labels, int n, int d, int k,
								const double *centroids);

#endif							/* SEGMENTATION_KMEANS_H */
