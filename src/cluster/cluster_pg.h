/*-------------------------------------------------------------------------
 *
 * cluster_pg.h
 *	  What the k-means glue files share: the segment_clusters value and
 *	  reading a feature vector.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLUSTER_PG_H
#define SEGMENTATION_CLUSTER_PG_H

#include "clusters.h"
#include "core_pg.h"

#include "utils/array.h"

/*
 * A segment_clusters value: the varlena header, 4 zero bytes so that the
 * model's doubles are aligned, then the ClustersModel of clusters.h.
 */
#define CLUSTERS_HDRSZ 8

static inline ClustersModel *
clusters_of(struct varlena *v)
{
	return (ClustersModel *) ((char *) v + CLUSTERS_HDRSZ);
}

/* A new value holding a copy of the model of size bytes. */
extern struct varlena *clusters_value(const ClustersModel *m, size_t size);

/*
 * The features of an array into x (KM_MAX_FEATURES values): their number,
 * or -1 when the array holds a NULL.  22023 for an empty or
 * multi-dimensional array, 54000 beyond KM_MAX_FEATURES.  No check of the
 * values themselves.
 */
extern int	clusters_read_features(ArrayType *a, double *x);

#endif							/* SEGMENTATION_CLUSTER_PG_H */
