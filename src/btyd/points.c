/*-------------------------------------------------------------------------
 *
 * points.c
 *	  Weighted customer summaries for clv_fit (pure core, see points.h).
 *
 * The sort is an introsort specialised for BtydPoint (the comparison
 * inlined, no callback): quicksort with a median-of-three pivot and Hoare
 * partitioning (equal keys split evenly), heapsort past 2 log2(n) levels,
 * insertion sort below 24 points.  It recurses into the smaller part only,
 * so its depth is at most log2(n) < 64.
 *
 *-------------------------------------------------------------------------
 */
#include "points.h"

#include <stdlib.h>
#include <string.h>

void
btyd_points_init(BtydPointSet *s)
{
	memset(s, 0, sizeof(*s));
}

void
btyd_points_free(BtydPointSet *s)
{
	core_free(s->pts);
	memset(s, 0, sizeof(*s));
}

static inline int
pt_cmp(const BtydPoint *a, const BtydPoint *b)
{
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->tx != b->tx)
		return a->tx < b->tx ? -1 : 1;
	if (a->T != b->T)
		return a->T < b->T ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	return 0;
}

static inline bool
same(const BtydPoint *a, const BtydPoint *b)
{
	return a->x == b->x && a->tx == b->tx && a->T == b->T && a->m == b->m;
}

static inline void
pt_swap(BtydPoint *a, BtydPoint *b)
{
	BtydPoint	t = *a;

	*a = *b;
	*b = t;
}

static void
heap_sift(BtydPoint *v, int64_t n, int64_t i)
{
	for (;;)
	{
		int64_t		c = 2 * i + 1;

		if (c >= n)
			return;
		if (c + 1 < n && pt_cmp(&v[c], &v[c + 1]) < 0)
			c++;
		if (pt_cmp(&v[i], &v[c]) >= 0)
			return;
		pt_swap(&v[i], &v[c]);
		i = c;
	}
}

static void
heap_sort(BtydPoint *v, int64_t n)
{
	for (int64_t i = n / 2; i-- > 0;)
		heap_sift(v, n, i);
	for (int64_t e = n - 1; e > 0; e--)
	{
		if ((e & 0xFFFF) == 0)
			core_check_interrupts();
		pt_swap(&v[0], &v[e]);
		heap_sift(v, e, 0);
	}
}

static void
sort_points(BtydPoint *v, int64_t n, int depth)
{
	while (n > 24)
	{
		const BtydPoint *a = &v[0],
				   *b = &v[n / 2],
				   *c = &v[n - 1];
		BtydPoint	pivot;
		int64_t		i = -1,
					j = n;

		if (n > 0xFFFF)
			core_check_interrupts();
		if (depth-- <= 0)
		{
			heap_sort(v, n);
			return;
		}
		if (pt_cmp(a, b) < 0)
			pivot = pt_cmp(b, c) < 0 ? *b : pt_cmp(a, c) < 0 ? *c : *a;
		else
			pivot = pt_cmp(a, c) < 0 ? *a : pt_cmp(b, c) < 0 ? *c : *b;
		/* Hoare: afterwards v[0 .. j] <= pivot <= v[j + 1 .. n), both non-empty */
		for (;;)
		{
			do
				i++;
			while (pt_cmp(&v[i], &pivot) < 0);
			do
				j--;
			while (pt_cmp(&v[j], &pivot) > 0);
			if (i >= j)
				break;
			pt_swap(&v[i], &v[j]);
		}
		if (j + 1 < n - (j + 1))
		{
			sort_points(v, j + 1, depth);
			v += j + 1;
			n -= j + 1;
		}
		else
		{
			sort_points(v + j + 1, n - (j + 1), depth);
			n = j + 1;
		}
	}
	for (int64_t i = 1; i < n; i++)
	{
		BtydPoint	t = v[i];
		int64_t		k = i;

		while (k > 0 && pt_cmp(&v[k - 1], &t) > 0)
		{
			v[k] = v[k - 1];
			k--;
		}
		v[k] = t;
	}
}

void
btyd_points_sort(BtydPointSet *s)
{
	int			depth = 0;
	int64_t		k = 0;

	if (s->nsorted == s->n)
		return;
	for (int64_t n = s->n; n > 1; n >>= 1)
		depth += 2;
	sort_points(s->pts, s->n, depth);
	/* collapse runs of equal points */
	for (int64_t i = 0; i < s->n; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		if (k > 0 && same(&s->pts[k - 1], &s->pts[i]))
			s->pts[k - 1].w += s->pts[i].w;
		else
			s->pts[k++] = s->pts[i];
	}
	s->n = s->nsorted = k;
}

/* Room for extra more points; a large set that has doubled since its last
 * compaction is compacted first. */
static void
reserve(BtydPointSet *s, int64_t extra)
{
	if (s->n + extra <= s->cap)
		return;
	if (s->n >= BTYD_POINTS_COMPACT && s->n >= 2 * s->nsorted)
		btyd_points_sort(s);
	if (s->n + extra > s->cap)
	{
		int64_t		cap = s->cap ? 2 * s->cap : 1024;

		while (cap < s->n + extra)
			cap *= 2;
		s->pts = core_realloc(s->pts, sizeof(BtydPoint) * cap);
		s->cap = cap;
	}
}

void
btyd_points_add(BtydPointSet *s, double x, double tx, double T, double m, double w)
{
	BtydPoint  *p;

	if (s->n == s->cap)
		reserve(s, 1);
	p = &s->pts[s->n++];
	/* -0 and 0 are one summary */
	p->x = x == 0 ? 0 : x;
	p->tx = tx == 0 ? 0 : tx;
	p->T = T == 0 ? 0 : T;
	p->m = m == 0 ? 0 : m;
	p->w = w;
}

/*
 * Two sorted, distinct sets (parallel workers' states: clv_fit_serialize
 * sorts them) merge in one linear pass, equal points collapsed, so that the
 * final function has nothing left to sort; otherwise from's points are
 * appended.
 */
void
btyd_points_merge(BtydPointSet *into, const BtydPointSet *from)
{
	if (from->n == 0)
		return;
	if (into->n > 0 && into->nsorted == into->n && from->nsorted == from->n)
	{
		int64_t		cap = into->n + from->n,
					i = 0,
					j = 0,
					k = 0;
		BtydPoint  *out = core_alloc(sizeof(BtydPoint) * cap);

		while (i < into->n || j < from->n)
		{
			const BtydPoint *next;
			int			c = i == into->n ? 1 : j == from->n ? -1 :
				pt_cmp(&into->pts[i], &from->pts[j]);

			if (((i + j) & 0xFFFF) == 0xFFFF)
				core_check_interrupts();
			next = c <= 0 ? &into->pts[i++] : &from->pts[j++];
			if (k > 0 && same(&out[k - 1], next))
				out[k - 1].w += next->w;
			else
				out[k++] = *next;
		}
		core_free(into->pts);
		into->pts = out;
		into->cap = cap;
		into->n = into->nsorted = k;
		return;
	}
	reserve(into, from->n);
	memcpy(into->pts + into->n, from->pts, sizeof(BtydPoint) * from->n);
	if (into->n == 0)
		into->nsorted = from->nsorted;
	into->n += from->n;
}

void
btyd_points_mark_sorted(BtydPointSet *s)
{
	for (int64_t i = s->nsorted > 0 ? s->nsorted : 1; i < s->n; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		if (pt_cmp(&s->pts[i - 1], &s->pts[i]) >= 0)
			return;
	}
	s->nsorted = s->n;
}
