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

	/*
	 * Where pts lives: core_realloc and core_free when resize is NULL, else
	 * the caller's allocator (btyd_points_init_alloc): resize returns an
	 * array of size bytes (mem NULL: a new one) that keeps the first used
	 * bytes of mem, release gives mem back.
	 */
	void	   *(*resize) (void *arg, void *mem, size_t size, size_t used);
	void		(*release) (void *arg, void *mem);
	void	   *alloc_arg;
} BtydPointSet;

extern void btyd_points_init(BtydPointSet *s);
extern void btyd_points_init_alloc(BtydPointSet *s,
								   void *(*resize) (void *arg, void *mem, size_t size, size_t used),
								   void (*release) (void *arg, void *mem), void *arg);
/* Free the points; the set is empty, with the same allocator. */
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

/*
 * Move from's points, and their allocator, into an empty into (whose own
 * array is freed; from is left empty, with core_realloc): a combine function
 * adopts a deserialized state's points rather than copying them.  A
 * non-empty into merges them instead.
 */
extern void btyd_points_take(BtydPointSet *into, BtydPointSet *from);

/*
 * The serialized form of a point set, shared by the aggregates' serialize
 * and deserialize functions.  A state travels from a parallel worker to the
 * leader through a tuple queue and is copied several times into fresh
 * memory on the way, so it is compact: per point a tag byte, then x, t_x
 * and T each either nothing (the previous point's value: sorted points
 * come in runs), 2 bytes (a whole number from 0 to 65535, in network byte
 * order) or a float8, then m as a float8 (only if with_m), then w as a
 * float8 unless it is 1; float8s in network byte order, as pq_sendfloat8
 * sends them.  btyd_points_encoded_size gives the size of s's points,
 * btyd_points_write writes them to out and returns that size;
 * btyd_points_read appends n points read from the len bytes at in (as
 * btyd_points_add would, m = 0 without with_m), marks the set sorted if it
 * is (a state serialized sorted) and returns the bytes it read, or -1 when
 * in does not hold n valid points.
 */
#define BTYD_POINT_MIN_BYTES(with_m) ((with_m) ? 1 + 8 : 1)
#define BTYD_POINT_MAX_BYTES(with_m) ((with_m) ? 1 + 5 * 8 : 1 + 4 * 8)

extern size_t btyd_points_encoded_size(const BtydPointSet *s, bool with_m);
extern size_t btyd_points_write(const BtydPointSet *s, bool with_m, unsigned char *out);
extern int64_t btyd_points_read(BtydPointSet *s, const unsigned char *in, size_t len, int64_t n,
								bool with_m);

#endif							/* SEGMENTATION_CLV_POINTS_H */
