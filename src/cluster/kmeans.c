/*-------------------------------------------------------------------------
 *
 * kmeans.c
 *	  k-means++ and Lloyd's algorithm over plain arrays, the aggregate's
 *	  bounded sample, silhouette and Davies-Bouldin (pure core, see
 *	  kmeans.h).
 *
 * Seeding is the greedy k-means++ of Arthur & Vassilvitskii (2007) as
 * scikit-learn implements it (_kmeans_plusplus: 2 + floor(ln k) candidates
 * per centre, the one that lowers the potential most is kept); iterations
 * are Lloyd's (1982), run until no point changes cluster or
 * KM_MAX_ITERATIONS; an emptied cluster is moved onto the point farthest
 * from its centroid, as scikit-learn does.
 *
 * The sample: an aggregate sees each row once, and a fit needs several
 * passes.  The state therefore keeps the KM_SAMPLE_ROWS rows whose key, a
 * hash of the row's values and the seed, is smallest: a uniform sample of
 * the distinct rows (with their duplicates), the same whatever the order of
 * the rows and however parallel workers split them, because "the cap
 * smallest" of a multiset does not depend on the order of insertion or on
 * merging.  Below the cap the sample is the whole input.
 *
 *-------------------------------------------------------------------------
 */
#include "kmeans.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint64_t
km_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t
km_next(uint64_t *state)
{
	*state += UINT64_C(0x9e3779b97f4a7c15);
	return km_mix64(*state);
}

double
km_uniform(uint64_t *state)
{
	return (double) (km_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* the bits of v, with -0 read as 0 */
static uint64_t
value_bits(double v)
{
	uint64_t	b;

	if (v == 0)
		v = 0;
	memcpy(&b, &v, sizeof(b));
	return b;
}

uint64_t
km_row_key(const double *x, int d, uint64_t seed)
{
	uint64_t	h = km_mix64(seed ^ UINT64_C(0x5eed5eed5eed5eed));

	for (int j = 0; j < d; j++)
		h = km_mix64(h ^ value_bits(x[j])) + UINT64_C(0x9e3779b97f4a7c15);
	return km_mix64(h);
}

/* ---------------------------------------------------------------------------
 * The bounded sample
 * ---------------------------------------------------------------------------
 */

/* (ka, a) against (kb, b): key first, then the values' bits */
static int
row_cmp(uint64_t ka, const double *a, uint64_t kb, const double *b, int d)
{
	if (ka != kb)
		return ka < kb ? -1 : 1;
	for (int j = 0; j < d; j++)
	{
		uint64_t	x = value_bits(a[j]),
					y = value_bits(b[j]);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

void
km_sample_init(KmSample *s, int d, int cap)
{
	s->d = d;
	s->cap = cap;
	s->n = 0;
	s->alloc = cap < 64 ? cap : 64;
	s->keys = core_alloc(sizeof(uint64_t) * s->alloc);
	s->rows = core_alloc(sizeof(double) * (size_t) s->alloc * d);
}

void
km_sample_free(KmSample *s)
{
	core_free(s->keys);
	core_free(s->rows);
	s->keys = NULL;
	s->rows = NULL;
	s->n = 0;
}

static void
heap_swap(KmSample *s, int i, int j)
{
	uint64_t	k = s->keys[i];
	double		tmp[KM_MAX_FEATURES];
	int			d = s->d;

	s->keys[i] = s->keys[j];
	s->keys[j] = k;
	memcpy(tmp, s->rows + (size_t) i * d, sizeof(double) * d);
	memcpy(s->rows + (size_t) i * d, s->rows + (size_t) j * d, sizeof(double) * d);
	memcpy(s->rows + (size_t) j * d, tmp, sizeof(double) * d);
}

static int
heap_cmp(const KmSample *s, int i, int j)
{
	return row_cmp(s->keys[i], s->rows + (size_t) i * s->d, s->keys[j], s->rows + (size_t) j * s->d, s->d);
}

static void
sift_down(KmSample *s, int i, int n)
{
	for (;;)
	{
		int			l = 2 * i + 1,
					r = l + 1,
					m = i;

		if (l < n && heap_cmp(s, l, m) > 0)
			m = l;
		if (r < n && heap_cmp(s, r, m) > 0)
			m = r;
		if (m == i)
			return;
		heap_swap(s, i, m);
		i = m;
	}
}

void
km_sample_add(KmSample *s, uint64_t key, const double *x)
{
	int			d = s->d;

	if (s->n < s->cap)
	{
		int			i;

		if (s->n == s->alloc)
		{
			s->alloc = s->alloc > s->cap / 2 ? s->cap : 2 * s->alloc;
			s->keys = core_realloc(s->keys, sizeof(uint64_t) * s->alloc);
			s->rows = core_realloc(s->rows, sizeof(double) * (size_t) s->alloc * d);
		}
		i = s->n++;

		s->keys[i] = key;
		memcpy(s->rows + (size_t) i * d, x, sizeof(double) * d);
		while (i > 0 && heap_cmp(s, (i - 1) / 2, i) < 0)
		{
			heap_swap(s, (i - 1) / 2, i);
			i = (i - 1) / 2;
		}
		return;
	}
	/* full: enter only below the largest, which leaves */
	if (row_cmp(key, x, s->keys[0], s->rows, d) >= 0)
		return;
	s->keys[0] = key;
	memcpy(s->rows, x, sizeof(double) * d);
	sift_down(s, 0, s->n);
}

void
km_sample_merge(KmSample *a, const KmSample *b)
{
	for (int i = 0; i < b->n; i++)
	{
		if ((i & 1023) == 1023)
			core_check_interrupts();
		km_sample_add(a, b->keys[i], b->rows + (size_t) i * b->d);
	}
}

void
km_sample_sort(KmSample *s)
{
	/* heapsort of the max-heap: ascending order in place */
	for (int i = s->n / 2 - 1; i >= 0; i--)
		sift_down(s, i, s->n);
	for (int end = s->n - 1; end > 0; end--)
	{
		if ((end & 1023) == 1023)
			core_check_interrupts();
		heap_swap(s, 0, end);
		sift_down(s, 0, end);
	}
}

/* ---------------------------------------------------------------------------
 * k-means
 * ---------------------------------------------------------------------------
 */

static inline double
dist2(const double *a, const double *b, int d)
{
	double		s = 0;

	for (int j = 0; j < d; j++)
	{
		double		t = a[j] - b[j];

		s += t * t;
	}
	return s;
}

int
km_nearest(const double *x, const double *centroids, int k, int d, double *best)
{
	int			arg = 0;
	double		b = dist2(x, centroids, d);

	for (int c = 1; c < k; c++)
	{
		double		t = dist2(x, centroids + (size_t) c * d, d);

		if (t < b)
		{
			b = t;
			arg = c;
		}
	}
	if (best)
		*best = b;
	return arg;
}

/*
 * Greedy k-means++ into centers (k * d); false when the points have fewer
 * than k distinct values (the potential falls to 0 first).
 */
static bool
seed_plusplus(const double *x, int n, int d, int k, uint64_t *rng, double *centers,
			  double *closest, double *cum)
{
	int			trials = 2 + (int) floor(log((double) k));
	int			first = (int) (km_uniform(rng) * n);
	double		pot = 0;

	if (first >= n)
		first = n - 1;
	memcpy(centers, x + (size_t) first * d, sizeof(double) * d);
	for (int i = 0; i < n; i++)
	{
		closest[i] = dist2(x + (size_t) i * d, centers, d);
		pot += closest[i];
	}
	for (int c = 1; c < k; c++)
	{
		int			best_cand = -1;
		double		best_pot = 0;

		core_check_interrupts();
		cum[0] = closest[0];
		for (int i = 1; i < n; i++)
			cum[i] = cum[i - 1] + closest[i];
		pot = cum[n - 1];
		if (!(pot > 0))
			return false;
		for (int t = 0; t < trials; t++)
		{
			double		r = km_uniform(rng) * pot;
			int			lo = 0,
						hi = n - 1;
			double		cpot = 0;

			/* the first index whose cumulative sum exceeds r */
			while (lo < hi)
			{
				int			mid = lo + (hi - lo) / 2;

				if (cum[mid] > r)
					hi = mid;
				else
					lo = mid + 1;
			}
			while (lo > 0 && closest[lo] == 0)
				lo--;			/* rounding at the top end: a point with mass */
			for (int i = 0; i < n; i++)
			{
				double		t2 = dist2(x + (size_t) i * d, x + (size_t) lo * d, d);

				cpot += t2 < closest[i] ? t2 : closest[i];
			}
			if (best_cand < 0 || cpot < best_pot)
			{
				best_cand = lo;
				best_pot = cpot;
			}
		}
		memcpy(centers + (size_t) c * d, x + (size_t) best_cand * d, sizeof(double) * d);
		for (int i = 0; i < n; i++)
		{
			double		t2 = dist2(x + (size_t) i * d, centers + (size_t) c * d, d);

			if (t2 < closest[i])
				closest[i] = t2;
		}
	}
	return true;
}

/* means of the labelled points into centers; counts into sizes */
static void
update_means(const double *x, int n, int d, int k, const int *labels, double *centers, double *sizes)
{
	memset(centers, 0, sizeof(double) * (size_t) k * d);
	memset(sizes, 0, sizeof(double) * k);
	for (int i = 0; i < n; i++)
	{
		double	   *c = centers + (size_t) labels[i] * d;

		for (int j = 0; j < d; j++)
			c[j] += x[(size_t) i * d + j];
		sizes[labels[i]] += 1;
	}
	for (int c = 0; c < k; c++)
		if (sizes[c] > 0)
			for (int j = 0; j < d; j++)
				centers[(size_t) c * d + j] /= sizes[c];
}

/* one run of Lloyd from centers; returns iterations, leaves labels */
static int
lloyd(const double *x, int n, int d, int k, double *centers, int *labels, double *sizes,
	  double *closest)
{
	int			it;

	for (int i = 0; i < n; i++)
		labels[i] = -1;
	for (it = 1;; it++)
	{
		int			changed = 0;
		bool		moved = false;

		for (int i = 0; i < n; i++)
		{
			int			c;

			if ((i & 1023) == 1023)
				core_check_interrupts();
			c = km_nearest(x + (size_t) i * d, centers, k, d, &closest[i]);
			if (c != labels[i])
			{
				labels[i] = c;
				changed++;
			}
		}
		if (changed == 0 || it >= KM_MAX_ITERATIONS)
			break;
		update_means(x, n, d, k, labels, centers, sizes);
		/* an empty cluster takes the point farthest from its centroid */
		for (int c = 0; c < k; c++)
		{
			int			far = -1;

			if (sizes[c] > 0)
				continue;
			for (int i = 0; i < n; i++)
				if (sizes[labels[i]] > 1 && (far < 0 || closest[i] > closest[far]))
					far = i;
			if (far < 0)
				break;
			sizes[labels[far]] -= 1;
			sizes[c] = 1;
			closest[far] = 0;
			memcpy(centers + (size_t) c * d, x + (size_t) far * d, sizeof(double) * d);
			moved = true;
		}
		if (moved)
		{
			/* the donors' means without the moved points */
			int		   *tmp = labels;

			for (int i = 0; i < n; i++)
			{
				int			c = km_nearest(x + (size_t) i * d, centers, k, d, NULL);

				tmp[i] = c;
			}
			update_means(x, n, d, k, labels, centers, sizes);
		}
	}
	return it;
}

typedef struct ClusterOrder
{
	int			c;
	double		size;
	const double *centroid;
	int			d;
} ClusterOrder;

static int
order_cmp(const void *a, const void *b)
{
	const ClusterOrder *x = a,
			   *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	for (int j = 0; j < x->d; j++)
		if (x->centroid[j] != y->centroid[j])
			return x->centroid[j] < y->centroid[j] ? -1 : 1;
	return x->c - y->c;
}

bool
km_fit(const double *x, int n, int d, int k, uint64_t seed, int restarts,
	   KmResult *res, CoreError *err)
{
	double	   *centers = core_alloc(sizeof(double) * (size_t) k * d);
	double	   *sizes = core_alloc(sizeof(double) * k);
	double	   *closest = core_alloc(sizeof(double) * n);
	double	   *cum = core_alloc(sizeof(double) * n);
	int		   *labels = core_alloc(sizeof(int) * n);
	ClusterOrder *order = core_alloc(sizeof(ClusterOrder) * k);
	int		   *rank = core_alloc(sizeof(int) * k);
	double	   *tmp = core_alloc(sizeof(double) * (size_t) k * d);
	bool		found = false;

	memset(res, 0, sizeof(*res));
	res->k = k;
	res->centroids = core_alloc(sizeof(double) * (size_t) k * d);
	res->sizes = core_alloc(sizeof(double) * k);
	res->cluster_wcss = core_alloc0(sizeof(double) * k);
	res->labels = core_alloc(sizeof(int) * n);

	for (int r = 0; r < restarts; r++)
	{
		uint64_t	rng = km_mix64(seed + (uint64_t) r * UINT64_C(0x632be59bd9b4e019));
		int			it;
		double		wcss = 0;

		if (!seed_plusplus(x, n, d, k, &rng, centers, closest, cum))
		{
			km_result_free(res);
			core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
					  "k is larger than the number of distinct feature vectors");
			core_detail(err, "k is %s; the %s rows fitted have fewer distinct feature vectors.", CORE_INT(k), CORE_INT(n));
			core_hint(err, "Choose a smaller k.");
			found = false;
			goto done;
		}
		it = lloyd(x, n, d, k, centers, labels, sizes, closest);
		/* the centroids are the means of the final assignment */
		update_means(x, n, d, k, labels, centers, sizes);
		for (int i = 0; i < n; i++)
			wcss += dist2(x + (size_t) i * d, centers + (size_t) labels[i] * d, d);
		if (!found || wcss < res->wcss)
		{
			found = true;
			res->wcss = wcss;
			res->iterations = it;
			memcpy(res->centroids, centers, sizeof(double) * (size_t) k * d);
			memcpy(res->sizes, sizes, sizeof(double) * k);
			memcpy(res->labels, labels, sizeof(int) * n);
		}
	}

	/* canonical numbering: largest cluster first, then by centroid */
	for (int c = 0; c < k; c++)
	{
		order[c].c = c;
		order[c].size = res->sizes[c];
		order[c].centroid = res->centroids + (size_t) c * d;
		order[c].d = d;
	}
	qsort(order, k, sizeof(ClusterOrder), order_cmp);
	for (int c = 0; c < k; c++)
	{
		rank[order[c].c] = c;
		memcpy(tmp + (size_t) c * d, order[c].centroid, sizeof(double) * d);
		sizes[c] = order[c].size;
	}
	memcpy(res->centroids, tmp, sizeof(double) * (size_t) k * d);
	memcpy(res->sizes, sizes, sizeof(double) * k);
	res->wcss = 0;
	for (int i = 0; i < n; i++)
	{
		double		t;

		res->labels[i] = rank[res->labels[i]];
		t = dist2(x + (size_t) i * d, res->centroids + (size_t) res->labels[i] * d, d);
		res->cluster_wcss[res->labels[i]] += t;
	}
	for (int c = 0; c < k; c++)
		res->wcss += res->cluster_wcss[c];
	found = true;

done:
	core_free(centers);
	core_free(sizes);
	core_free(closest);
	core_free(cum);
	core_free(labels);
	core_free(order);
	core_free(rank);
	core_free(tmp);
	return found;
}

void
km_result_free(KmResult *res)
{
	core_free(res->centroids);
	core_free(res->sizes);
	core_free(res->cluster_wcss);
	core_free(res->labels);
	res->centroids = res->sizes = res->cluster_wcss = NULL;
	res->labels = NULL;
}

/* ---------------------------------------------------------------------------
 * Choosing k
 * ---------------------------------------------------------------------------
 */

double
km_silhouette(const double *x, const int *labels, int m, int d, int k)
{
	double	   *sums = core_alloc0(sizeof(double) * (size_t) m * k);
	int		   *count = core_alloc0(sizeof(int) * k);
	int			present = 0;
	double		total = 0;

	for (int i = 0; i < m; i++)
		if (count[labels[i]]++ == 0)
			present++;
	if (present < 2)
	{
		core_free(sums);
		core_free(count);
		return NAN;
	}
	/* sums[i * k + c]: distances from point i to the points of cluster c */
	for (int i = 0; i < m; i++)
	{
		core_check_interrupts();
		for (int j = i + 1; j < m; j++)
		{
			double		t = sqrt(dist2(x + (size_t) i * d, x + (size_t) j * d, d));

			sums[(size_t) i * k + labels[j]] += t;
			sums[(size_t) j * k + labels[i]] += t;
		}
	}
	for (int i = 0; i < m; i++)
	{
		int			own = labels[i];
		double		a,
					b = INFINITY;

		if (count[own] <= 1)
			continue;			/* s = 0 */
		a = sums[(size_t) i * k + own] / (count[own] - 1);
		for (int c = 0; c < k; c++)
			if (c != own && count[c] > 0 && sums[(size_t) i * k + c] / count[c] < b)
				b = sums[(size_t) i * k + c] / count[c];
		if (a > 0 || b > 0)
			total += (b - a) / (a > b ? a : b);
	}
	core_free(sums);
	core_free(count);
	return total / m;
}

double
km_davies_bouldin(const double *x, const int *labels, int n, int d, int k,
				  const double *centroids)
{
	double	   *s = core_alloc0(sizeof(double) * k);
	int		   *count = core_alloc0(sizeof(int) * k);
	double		total = 0;

	for (int i = 0; i < n; i++)
	{
		s[labels[i]] += sqrt(dist2(x + (size_t) i * d, centroids + (size_t) labels[i] * d, d));
		count[labels[i]]++;
	}
	for (int c = 0; c < k; c++)
		if (count[c] > 0)
			s[c] /= count[c];
	for (int a = 0; a < k; a++)
	{
		double		worst = 0;

		for (int b = 0; b < k; b++)
		{
			double		m,
						r;

			if (b == a)
				continue;
			m = sqrt(dist2(centroids + (size_t) a * d, centroids + (size_t) b * d, d));
			r = m > 0 ? (s[a] + s[b]) / m : 0;
			if (r > worst)
				worst = r;
		}
		total += worst;
	}
	core_free(s);
	core_free(count);
	return total / k;
}
