/*-------------------------------------------------------------------------
 *
 * points.h
 *	  The state of clv_fit (pure core): customers' summaries, identical ones
 *	  collapsed into one weighted point, in a hash table that merges with
 *	  another (parallel workers, shards) and sorts into a canonical order, so
 *	  that a fit does not depend on the order rows arrived in.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLV_POINTS_H
#define SEGMENTATION_CLV_POINTS_H

#include "btyd.h"

typedef struct BtydPointSet
{
	BtydPoint  *pts;			/* n points, in order of first arrival */
	int64_t		n;
	int64_t		cap;
	int64_t    *slots;			/* open addressing: index + 1, 0 = empty */
	int64_t		nslots;			/* a power of two, at least 2 n */
} BtydPointSet;

extern void btyd_points_init(BtydPointSet *s);
extern void btyd_points_free(BtydPointSet *s);

/* Add w customers with summary (x, tx, T, m): one more point, or more
 * weight on the equal one (equal bit for bit, -0 as 0). */
extern void btyd_points_add(BtydPointSet *s, double x, double tx, double T, double m, double w);

/* Every point of from into into. */
extern void btyd_points_merge(BtydPointSet *into, const BtydPointSet *from);

/* Sort by (x, tx, T, m); the hash index is dropped (no more adds). */
extern void btyd_points_sort(BtydPointSet *s);

#endif							/* SEGMENTATION_CLV_POINTS_H */
