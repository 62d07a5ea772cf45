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
btyd_points_init_alloc(BtydPointSet *s,
					   void *(*resize) (void *arg, void *mem, size_t size, size_t used),
					   void (*release) (void *arg, void *mem), void *arg)
{
	memset(s, 0, sizeof(*s));
	s->resize = resize;
	s->release = release;
	s->alloc_arg = arg;
}

void
btyd_points_free(BtydPointSet *s)
{
	if (s->pts != NULL)
	{
		if (s->release)
			s->release(s->alloc_arg, s->pts);
		else
			core_free(s->pts);
	}
	s->pts = NULL;
	s->n = s->cap = s->nsorted = 0;
}

/* room for cap points, the first n kept */
static void
set_capacity(BtydPointSet *s, int64_t cap)
{
	if (s->resize)
		s->pts = s->resize(s->alloc_arg, s->pts, sizeof(BtydPoint) * cap,
						   sizeof(BtydPoint) * s->n);
	else
		s->pts = core_realloc(s->pts, sizeof(BtydPoint) * cap);
	s->cap = cap;
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
		set_capacity(s, cap);
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
 * appended.  The merge runs from the top down in into's own array, grown
 * to hold both: no second array of the whole size is touched (fresh memory
 * costs a page fault per 4 kB page).  The result is the one of a forward
 * merge: the same points in the same order, an equal pair's weight into's
 * plus from's.
 */
void
btyd_points_merge(BtydPointSet *into, const BtydPointSet *from)
{
	if (from->n == 0)
		return;
	if (into->n > 0 && into->nsorted == into->n && from->nsorted == from->n)
	{
		int64_t		n1 = into->n,
					i = into->n - 1,
					j = from->n - 1,
					top = into->n + from->n;
		BtydPoint  *v;
		const BtydPoint *f = from->pts;

		if (into->cap < top)
			set_capacity(into, top);
		v = into->pts;
		/* v[top ..) is the merged tail; v[0 .. i] and f[0 .. j] remain */
		while (j >= 0)
		{
			int			c = i < 0 ? -1 : pt_cmp(&v[i], &f[j]);

			if ((j & 0xFFFF) == 0xFFFF)
				core_check_interrupts();
			if (c > 0)
				v[--top] = v[i--];
			else if (c < 0)
				v[--top] = f[j--];
			else
			{
				BtydPoint	t = v[i];

				t.w = v[i].w + f[j].w;
				v[--top] = t;
				i--;
				j--;
			}
		}
		/* the rest of into is in place; close the gap left by collapses */
		if (top > i + 1)
			memmove(&v[i + 1], &v[top], sizeof(BtydPoint) * (n1 + from->n - top));
		into->n = into->nsorted = i + 1 + (n1 + from->n - top);
		return;
	}
	reserve(into, from->n);
	memcpy(into->pts + into->n, from->pts, sizeof(BtydPoint) * from->n);
	if (into->n == 0)
		into->nsorted = from->nsorted;
	into->n += from->n;
}

void
btyd_points_take(BtydPointSet *into, BtydPointSet *from)
{
	if (into->n > 0)
	{
		btyd_points_merge(into, from);
		btyd_points_free(from);
		return;
	}
	btyd_points_free(into);
	*into = *from;
	btyd_points_init(from);
}

static inline unsigned char *
put_double(unsigned char *out, double v)
{
	uint64_t	u;

	memcpy(&u, &v, sizeof(u));
	for (int b = 7; b >= 0; b--)
		*out++ = (unsigned char) (u >> (8 * b));
	return out;
}

static inline double
get_double(const unsigned char *in)
{
	uint64_t	u = 0;
	double		v;

	for (int b = 0; b < 8; b++)
		u = (u << 8) | in[b];
	memcpy(&v, &u, sizeof(v));
	return v;
}

/*
 * The encoding of one point (points.h): a tag byte, then x, t_x and T each
 * as the tag says (nothing when equal to the previous point's, 2 bytes for
 * a whole number from 0 to 65535, else the float8), m as a float8 (with_m),
 * and w as a float8 unless it is 1.
 */
#define ENC_SAME 0
#define ENC_U16 1
#define ENC_F8 2
#define TAG_W_ONE 0x40

static inline int
value_code(double v, double prev)
{
	if (v == prev)
		return ENC_SAME;
	if (v >= 0 && v <= 65535 && v == (double) (uint16_t) v)
		return ENC_U16;
	return ENC_F8;
}

static inline int
point_tag(const BtydPoint *p, const BtydPoint *prev)
{
	return value_code(p->x, prev->x) | value_code(p->tx, prev->tx) << 2 |
		value_code(p->T, prev->T) << 4 | (p->w == 1 ? TAG_W_ONE : 0);
}

static const int code_bytes[4] = {0, 2, 8, 8};

static inline unsigned char *
put_value(unsigned char *out, int code, double v)
{
	if (code == ENC_U16)
	{
		uint16_t	u = (uint16_t) v;

		*out++ = (unsigned char) (u >> 8);
		*out++ = (unsigned char) u;
		return out;
	}
	return code == ENC_F8 ? put_double(out, v) : out;
}

size_t
btyd_points_encoded_size(const BtydPointSet *s, bool with_m)
{
	BtydPoint	prev = {0};
	size_t		size = 0;

	for (int64_t i = 0; i < s->n; i++)
	{
		const BtydPoint *p = &s->pts[i];
		int			tag = point_tag(p, &prev);

		if ((i & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		size += 1 + code_bytes[tag & 3] + code_bytes[(tag >> 2) & 3] +
			code_bytes[(tag >> 4) & 3] + (with_m ? 8 : 0) + (tag & TAG_W_ONE ? 0 : 8);
		prev = *p;
	}
	return size;
}

size_t
btyd_points_write(const BtydPointSet *s, bool with_m, unsigned char *out)
{
	BtydPoint	prev = {0};
	unsigned char *start = out;

	for (int64_t i = 0; i < s->n; i++)
	{
		const BtydPoint *p = &s->pts[i];
		int			tag = point_tag(p, &prev);

		if ((i & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		*out++ = (unsigned char) tag;
		out = put_value(out, tag & 3, p->x);
		out = put_value(out, (tag >> 2) & 3, p->tx);
		out = put_value(out, (tag >> 4) & 3, p->T);
		if (with_m)
			out = put_double(out, p->m);
		if (!(tag & TAG_W_ONE))
			out = put_double(out, p->w);
		prev = *p;
	}
	return (size_t) (out - start);
}

/* one value coded code from *in (prev when ENC_SAME); false past end */
static inline bool
get_value(const unsigned char **in, const unsigned char *end, int code, double prev,
		  double *v)
{
	if (end - *in < code_bytes[code])
		return false;
	if (code == ENC_SAME)
		*v = prev;
	else if (code == ENC_U16)
		*v = (double) (((unsigned) (*in)[0] << 8) | (*in)[1]);
	else
		*v = get_double(*in);
	*in += code_bytes[code];
	return true;
}

int64_t
btyd_points_read(BtydPointSet *s, const unsigned char *in, size_t len, int64_t n,
				 bool with_m)
{
	int64_t		first = s->n;
	const unsigned char *start = in,
			   *end = in + len;
	BtydPoint	prev = {0};

	if (n <= 0)
		return 0;
	if (n > (int64_t) (len / BTYD_POINT_MIN_BYTES(with_m)))
		return -1;
	reserve(s, n);
	for (int64_t i = 0; i < n; i++)
	{
		BtydPoint  *p = &s->pts[s->n];
		double		x,
					tx,
					T,
					m = 0,
					w = 1;
		int			tag;

		if ((i & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		if (in >= end)
			return -1;
		tag = *in++;
		if ((tag & ~(TAG_W_ONE | 0x3F)) != 0 || (tag & 3) == 3 || ((tag >> 2) & 3) == 3 ||
			((tag >> 4) & 3) == 3)
			return -1;
		if (!get_value(&in, end, tag & 3, prev.x, &x) ||
			!get_value(&in, end, (tag >> 2) & 3, prev.tx, &tx) ||
			!get_value(&in, end, (tag >> 4) & 3, prev.T, &T) ||
			(with_m && !get_value(&in, end, ENC_F8, 0, &m)) ||
			(!(tag & TAG_W_ONE) && !get_value(&in, end, ENC_F8, 0, &w)))
			return -1;
		/* -0 and 0 are one summary, as in btyd_points_add */
		p->x = x == 0 ? 0 : x;
		p->tx = tx == 0 ? 0 : tx;
		p->T = T == 0 ? 0 : T;
		p->m = m == 0 ? 0 : m;
		p->w = w;
		prev = *p;
		s->n++;
	}
	if (first == 0)
		btyd_points_mark_sorted(s);
	return in - start;
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
