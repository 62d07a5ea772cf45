/*-------------------------------------------------------------------------
 *
 * points.h
 *	  The state of clv_fit (pure core): customers' summaries as weighted
 *	  points.  A row appends its summary (no hashing per row: a hash table
 *	  of a million points misses the cache on every row); sorting collapses
 *	  identical summaries into one point with their weights added and puts
 *	  the points in a canonical order, so that a fit does not depend on the
 *	  order rows arrived in or on how parallel workers or shards split them.
 *	  A set that grows large is compacted (sorted) whenever it has doubled
 *	  since it last was, so it holds at most about twice its distinct points
 *	  beyond BTYD_POINTS_COMPACT.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLV_POINTS_H
#define SEGMENTATION_CLV_POINTS_H

#include "btyd.h"

/* below this many points a set is never compacted before it is sorted */
#define BTYD_POINTS_COMPACT (INT64_C(1) << 21)

typedef struct BtydPointSet
{
	BtydPoint  *pts;			/* n points */
	int64_t		n;
	int64_t		cap;
	int64_t		nsorted;		/* pts[0 .. nsorted) sorted and distinct */
} BtydPointSet;

extern void btyd_points_init(BtydPointSet *s);
extern void btyd_points_free(BtydPointSet *s);

/* Add w customers with summary (x, tx, T, m) (-0 as 0). */
extern void btyd_points_add(BtydPointSet *s, double x, double tx, double T, double m, double w);

/* Every point of from into into (a linear merge when both are sorted). */
extern void btyd_points_merge(BtydPointSet *into, const BtydPointSet *from);

/* Mark the set sorted if its points are in strictly increasing order (a
 * deserialized sorted state), so that a merge of it is linear. */
extern void btyd_points_mark_sorted(BtydPointSet *s);

/*
 * Sort by (x, tx, T, m) and collapse equal points (equal bit for bit) into
 * one whose weight is their sum.  The set stays a valid set to add to.
 */
extern void btyd_points_sort(BtydPointSet *s);

#endif							/* SEGMENTATION_CLV_POINTS_H */
