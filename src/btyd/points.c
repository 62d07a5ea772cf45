/*-------------------------------------------------------------------------
 *
 * points.c
 *	  Weighted, deduplicated customer summaries for clv_fit (pure core, see
 *	  points.h).
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
	core_free(s->slots);
	memset(s, 0, sizeof(*s));
}

static uint64_t
mix(uint64_t h, double v)
{
	uint64_t	bits;

	if (v == 0)
		v = 0;					/* -0 and 0 are one summary */
	memcpy(&bits, &v, sizeof(bits));
	h ^= bits + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
	return h;
}

static uint64_t
point_hash(const BtydPoint *p)
{
	uint64_t	h = mix(mix(mix(mix(0, p->x), p->tx), p->T), p->m);

	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDULL;
	h ^= h >> 33;
	return h;
}

static bool
same(const BtydPoint *a, const BtydPoint *b)
{
	return a->x == b->x && a->tx == b->tx && a->T == b->T && a->m == b->m;
}

static void
rehash(BtydPointSet *s, int64_t nslots)
{
	core_free(s->slots);
	s->slots = core_alloc0(sizeof(int64_t) * nslots);
	s->nslots = nslots;
	for (int64_t i = 0; i < s->n; i++)
	{
		uint64_t	k = point_hash(&s->pts[i]) & (nslots - 1);

		if ((i & 0xFFFF) == 0xFFFF)
			core_check_interrupts();

		while (s->slots[k] != 0)
			k = (k + 1) & (nslots - 1);
		s->slots[k] = i + 1;
	}
}

void
btyd_points_add(BtydPointSet *s, double x, double tx, double T, double m, double w)
{
	BtydPoint	p = {x == 0 ? 0 : x, tx == 0 ? 0 : tx, T == 0 ? 0 : T, m == 0 ? 0 : m, w};
	uint64_t	k;

	if (s->nslots < 2 * (s->n + 1))
		rehash(s, s->nslots ? 2 * s->nslots : 1024);
	k = point_hash(&p) & (s->nslots - 1);
	while (s->slots[k] != 0)
	{
		BtydPoint  *q = &s->pts[s->slots[k] - 1];

		if (same(q, &p))
		{
			q->w += w;
			return;
		}
		k = (k + 1) & (s->nslots - 1);
	}
	if (s->n == s->cap)
	{
		s->cap = s->cap ? 2 * s->cap : 512;
		s->pts = core_realloc(s->pts, sizeof(BtydPoint) * s->cap);
	}
	s->pts[s->n] = p;
	s->slots[k] = ++s->n;
}

void
btyd_points_merge(BtydPointSet *into, const BtydPointSet *from)
{
	for (int64_t i = 0; i < from->n; i++)
	{
		const BtydPoint *p = &from->pts[i];

		if ((i & 0xFFFF) == 0xFFFF)
			core_check_interrupts();

		btyd_points_add(into, p->x, p->tx, p->T, p->m, p->w);
	}
}

static int
cmp(const void *pa, const void *pb)
{
	const BtydPoint *a = pa;
	const BtydPoint *b = pb;

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

void
btyd_points_sort(BtydPointSet *s)
{
	core_free(s->slots);
	s->slots = NULL;
	s->nslots = 0;
	if (s->n > 1)
		qsort(s->pts, s->n, sizeof(BtydPoint), cmp);
}
