/*-------------------------------------------------------------------------
 *
 * rank.c
 *	  RFM scores by rank within a population (pure core, see rank.h).
 *
 * One idea: sort the values once, then every run of equal values shares the
 * count of values strictly below it, which is all the score rule needs.
 *
 *-------------------------------------------------------------------------
 */
#include "rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int
rank_cmp(double a, double b)
{
	if (isnan(a))
		return isnan(b) ? 0 : 1;
	if (isnan(b))
		return -1;
	return (a > b) - (a < b);
}

uint64_t
rank_key(double v)
{
	uint64_t	bits;

	if (isnan(v))
		v = NAN;				/* one NaN, above +Infinity */
	else if (v == 0)
		v = 0.0;				/* -0 equals 0 */
	memcpy(&bits, &v, sizeof(bits));
	/* negative: reverse all bits; positive: set the sign bit */
	return (bits & UINT64_C(0x8000000000000000)) ? ~bits : bits | UINT64_C(0x8000000000000000);
}

double
rank_key_value(uint64_t key)
{
	uint64_t	bits = (key & UINT64_C(0x8000000000000000)) ? key & ~UINT64_C(0x8000000000000000) : ~key;
	double		v;

	memcpy(&v, &bits, sizeof(v));
	return v;
}

/*
 * LSD radix sort by key, 11 bits a pass (6 passes), skipping the passes in
 * which every key has the same digit (the high bits of most data).  Linear
 * time, and stable, so equal keys keep the order of their rows.
 */
#define RADIX_BITS 11
#define RADIX_SIZE (1 << RADIX_BITS)
#define RADIX_PASSES ((64 + RADIX_BITS - 1) / RADIX_BITS)

/* core_check_interrupts every 65536 steps of a loop over the values */
#define CHECK_EVERY(i) \
	do { \
		if (((i) & 0xFFFF) == 0xFFFF) \
			core_check_interrupts(); \
	} while (0)

#define DEFINE_RADIX_SORT(name, type, keyof) \
static type * \
name(type *a, type *tmp, int64_t n) \
{ \
	int64_t    *count; \
	\
	if (n < 2) \
		return a; \
	count = core_alloc(sizeof(int64_t) * RADIX_SIZE); \
	for (int pass = 0; pass < RADIX_PASSES; pass++) \
	{ \
		int			shift = pass * RADIX_BITS; \
		int64_t		sum = 0; \
		type	   *swap; \
		\
		memset(count, 0, sizeof(int64_t) * RADIX_SIZE); \
		for (int64_t i = 0; i < n; i++) \
		{ \
			CHECK_EVERY(i); \
			count[(keyof(a[i]) >> shift) & (RADIX_SIZE - 1)]++; \
		} \
		if (count[(keyof(a[0]) >> shift) & (RADIX_SIZE - 1)] == n) \
			continue;			/* one digit for all: nothing to move */ \
		for (int d = 0; d < RADIX_SIZE; d++) \
		{ \
			int64_t		c = count[d]; \
			\
			count[d] = sum; \
			sum += c; \
		} \
		for (int64_t i = 0; i < n; i++) \
		{ \
			CHECK_EVERY(i); \
			tmp[count[(keyof(a[i]) >> shift) & (RADIX_SIZE - 1)]++] = a[i]; \
		} \
		swap = a; \
		a = tmp; \
		tmp = swap; \
	} \
	core_free(count); \
	return a;					/* the sorted copy: the input or tmp */ \
}

#define PAIR_KEY(p) ((p).key)
#define PLAIN_KEY(k) (k)
DEFINE_RADIX_SORT(sort_pairs, RankPair, PAIR_KEY)
DEFINE_RADIX_SORT(sort_keys, uint64_t, PLAIN_KEY)

/* 1 + floor(bins * count / n), computed exactly in integers. */
static inline int
score_of(int64_t count, int64_t n, int bins)
{
	return 1 + (int) ((count * bins) / n);
}

void
rank_score_pairs(RankPair *pairs, RankPair *tmp, int64_t m, int bins,
				 bool lower_is_better, uint8_t *scores)
{
	RankPair   *sorted;
	int64_t		start = 0;
	int64_t		runs = 0;

	if (m == 0)
		return;
	sorted = sort_pairs(pairs, tmp, m);

	/* walk the runs of equal values: [start, end) */
	while (start < m)
	{
		int64_t		end = start + 1;
		int			score;

		while (end < m && sorted[end].key == sorted[start].key)
		{
			CHECK_EVERY(end);
			end++;
		}
		/* strictly lower: start values; strictly higher: m - end values */
		score = score_of(lower_is_better ? m - end : start, m, bins);
		for (int64_t k = start; k < end; k++)
			scores[sorted[k].index] = (uint8_t) score;
		CHECK_EVERY(runs);
		runs++;
		start = end;
	}
}

void
rank_scores(const double *values, const bool *isnull, int64_t n, int bins,
			bool lower_is_better, RankPair *work, uint8_t *scores)
{
	int64_t		m = 0;

	for (int64_t i = 0; i < n; i++)
	{
		CHECK_EVERY(i);
		if (isnull && isnull[i])
		{
			scores[i] = 0;
			continue;
		}
		work[m].key = rank_key(values[i]);
		work[m].index = i;
		m++;
	}
	rank_score_pairs(work, work + n, m, bins, lower_is_better, scores);
}

uint64_t *
rank_sort_keys(double *values, double *tmp, int64_t n)
{
	uint64_t   *keys = (uint64_t *) values;

	/* doubles and their keys have the same size: convert in place */
	for (int64_t i = 0; i < n; i++)
	{
		CHECK_EVERY(i);
		keys[i] = rank_key(values[i]);
	}
	return sort_keys(keys, (uint64_t *) tmp, n);
}

/* k_s = ceil((s - 1) * n / bins), 1-based; n > 0 so k_s >= 1 */
static inline int64_t
threshold_rank(int s, int64_t n, int bins)
{
	return ((int64_t) (s - 1) * n + bins - 1) / bins;
}

void
rank_thresholds(double *values, double *tmp, int64_t n, int bins,
				bool lower_is_better, double *thresholds)
{
	uint64_t   *sorted = rank_sort_keys(values, tmp, n);

	for (int s = 2; s <= bins; s++)
	{
		int64_t		k = threshold_rank(s, n, bins);

		/* the k-th smallest, or where lower is better the k-th largest */
		thresholds[s - 2] = rank_key_value(lower_is_better ? sorted[n - k] : sorted[k - 1]);
	}
	/* leave values as doubles again (sorted), whichever buffer holds them */
	for (int64_t i = 0; i < n; i++)
	{
		CHECK_EVERY(i);
		values[i] = rank_key_value(sorted[i]);
	}
}

/* the bytes of c as a variable-length integer: 7 bits a byte, low first */
static inline int
varint_len(uint64_t c)
{
	int			len = 1;

	while (c >= 0x80)
	{
		len++;
		c >>= 7;
	}
	return len;
}

static inline uint8_t *
varint_put(uint8_t *out, uint64_t c)
{
	while (c >= 0x80)
	{
		*out++ = (uint8_t) (c | 0x80);
		c >>= 7;
	}
	*out++ = (uint8_t) c;
	return out;
}

int64_t
rank_counts_bytes(const int64_t *counts, int64_t nruns)
{
	int64_t		bytes = 0;

	for (int64_t r = 0; r < nruns; r++)
	{
		CHECK_EVERY(r);
		bytes += varint_len((uint64_t) counts[r]);
	}
	return bytes;
}

void
rank_counts_write(const int64_t *counts, int64_t nruns, uint8_t *out)
{
	for (int64_t r = 0; r < nruns; r++)
	{
		CHECK_EVERY(r);
		out = varint_put(out, (uint64_t) counts[r]);
	}
}

void
rank_runs_measure(const uint64_t *sorted, int64_t n, int64_t *nruns, int64_t *countbytes)
{
	int64_t		runs = 0,
				bytes = 0,
				start = 0;

	for (int64_t i = 1; i <= n; i++)
	{
		CHECK_EVERY(i);
		if (i == n || sorted[i] != sorted[i - 1])
		{
			runs++;
			bytes += varint_len((uint64_t) (i - start));
			start = i;
		}
	}
	*nruns = runs;
	*countbytes = runs == n ? 0 : bytes;
}

void
rank_runs_write(const uint64_t *sorted, int64_t n, int64_t countbytes,
				uint8_t *keys_out, uint8_t *counts_out)
{
	int64_t		start = 0;

	for (int64_t i = 1; i <= n; i++)
	{
		CHECK_EVERY(i);
		if (i == n || sorted[i] != sorted[i - 1])
		{
			memcpy(keys_out, &sorted[start], sizeof(uint64_t));
			keys_out += sizeof(uint64_t);
			if (countbytes > 0)
				counts_out = varint_put(counts_out, (uint64_t) (i - start));
			start = i;
		}
	}
}

bool
rank_counts_read(const uint8_t *in, int64_t len, int64_t nruns, int64_t *counts)
{
	const uint8_t *end = in + len;

	for (int64_t r = 0; r < nruns; r++)
	{
		uint64_t	c = 0;
		int			shift = 0;

		CHECK_EVERY(r);
		for (;;)
		{
			uint8_t		byte;

			if (in == end || shift > 56)
				return false;	/* cut short, or more than 63 bits */
			byte = *in++;
			c |= (uint64_t) (byte & 0x7F) << shift;
			shift += 7;
			if (!(byte & 0x80))
				break;
		}
		if (c == 0 || c > (uint64_t) INT64_MAX)
			return false;
		counts[r] = (int64_t) c;
	}
	return in == end;
}

int64_t
rank_compress_runs(const uint64_t *sorted, int64_t n, uint64_t *keys, int64_t *counts)
{
	int64_t		r = -1;
	uint64_t	last = 0;

	for (int64_t i = 0; i < n; i++)
	{
		uint64_t	k = sorted[i];

		CHECK_EVERY(i);
		if (r < 0 || k != last)
		{
			/* r + 1 <= i: keys may be sorted, already read up to i */
			keys[++r] = k;
			counts[r] = 0;
			last = k;
		}
		counts[r]++;
	}
	return r + 1;
}

#define RUN_COUNT(runs, i) ((runs)->counts ? (runs)->counts[i] : 1)

int64_t
rank_merge_runs(const RankRuns *a, const RankRuns *b,
				uint64_t *out_keys, int64_t *out_counts)
{
	int64_t		i = 0,
				j = 0,
				o = 0;

	while (i < a->nruns || j < b->nruns)
	{
		CHECK_EVERY(o);
		if (j == b->nruns || (i < a->nruns && a->keys[i] <= b->keys[j]))
		{
			out_keys[o] = a->keys[i];
			out_counts[o] = RUN_COUNT(a, i);
			if (j < b->nruns && b->keys[j] == a->keys[i])
			{
				out_counts[o] += RUN_COUNT(b, j);
				j++;
			}
			i++;
		}
		else
		{
			out_keys[o] = b->keys[j];
			out_counts[o] = RUN_COUNT(b, j);
			j++;
		}
		o++;
	}
	return o;
}

bool
rank_runs_valid(const RankRuns *runs)
{
	int64_t		sum = 0;
	int64_t		n = runs->n;

	if (runs->nruns < 0 || n < 0 || runs->nruns > n || (n > 0 && runs->nruns == 0))
		return false;
	if (runs->counts == NULL && runs->nruns != n)
		return false;
	for (int64_t r = 0; r < runs->nruns; r++)
	{
		uint64_t	k = runs->keys[r];

		CHECK_EVERY(r);
		/* the key of a double as rank_key makes it: one NaN, no -0 */
		if (k == 0 || rank_key(rank_key_value(k)) != k)
			return false;
		if (r > 0 && k <= runs->keys[r - 1])
			return false;
		if (runs->counts != NULL)
		{
			if (runs->counts[r] <= 0 || runs->counts[r] > n - sum)
				return false;
			sum += runs->counts[r];
		}
	}
	return runs->counts == NULL || sum == n;
}

void
rank_thresholds_runs(const RankRuns *sets, int nsets, int64_t n, int bins,
					 bool lower_is_better, double *thresholds)
{
	int64_t		at[RANK_MAX_SETS] = {0};	/* each set's next run */
	int64_t		before = 0;		/* values in the runs walked */
	int			i = 0;			/* breakpoints found */
	int64_t		steps = 0;

	/*
	 * The breakpoints' 0-based positions in the sorted values grow with s,
	 * or where lower is better shrink: one walk over the runs of every set
	 * at once, in key order, finds them all.
	 */
	while (i < bins - 1)
	{
		uint64_t	min = 0;
		bool		any = false;
		int64_t		c = 0;

		CHECK_EVERY(steps);
		steps++;
		for (int k = 0; k < nsets; k++)
			if (at[k] < sets[k].nruns && (!any || sets[k].keys[at[k]] < min))
			{
				min = sets[k].keys[at[k]];
				any = true;
			}
		if (!any)
			break;				/* fewer than n values: not for valid sets */
		for (int k = 0; k < nsets; k++)
			if (at[k] < sets[k].nruns && sets[k].keys[at[k]] == min)
			{
				c += RUN_COUNT(&sets[k], at[k]);
				at[k]++;
			}
		before += c;
		for (; i < bins - 1; i++)
		{
			int			s = lower_is_better ? bins - i : i + 2;
			int64_t		k = threshold_rank(s, n, bins);
			int64_t		pos = lower_is_better ? n - k : k - 1;

			if (pos >= before)
				break;
			thresholds[s - 2] = rank_key_value(min);
		}
	}
}

int
rank_score_against(double v, const double *thresholds, int bins,
				   bool lower_is_better)
{
	int			score = 1;

	for (int s = 2; s <= bins; s++)
	{
		int			c = rank_cmp(v, thresholds[s - 2]);

		if (lower_is_better ? c < 0 : c > 0)
			score++;
	}
	return score;
}

int
rank_fm(int f, int m)
{
	return (f + m + 1) / 2;
}

const char *
segmap_lookup(const SegmentMap *map, int r, int f, int m)
{
	int			key[4];

	key[SEGMAP_R] = r;
	key[SEGMAP_F] = f;
	key[SEGMAP_M] = m;
	key[SEGMAP_FM] = rank_fm(f, m);

	for (int i = 0; i < map->nentries; i++)
	{
		const SegmentMapEntry *e = &map->entries[i];
		bool		covers = true;

		CHECK_EVERY(i);			/* a user's map may have millions of entries */

		for (int d = 0; d < 4 && covers; d++)
			covers = key[d] >= e->lo[d] && key[d] <= e->hi[d];
		if (covers)
			return e->name;
	}
	return NULL;
}

/*
 * The standard map, over r and fm (f and m unconstrained), in priority
 * order.  It covers all 25 (r, fm) cells of 1..5 scores; the grid it draws
 * is in README.
 */
static const SegmentMapEntry standard_entries[] = {
	{"Champions", {4, 1, 1, 4}, {5, 5, 5, 5}},
	{"Need Attention", {3, 1, 1, 3}, {3, 5, 5, 3}},
	{"Loyal Customers", {3, 1, 1, 3}, {4, 5, 5, 5}},
	{"Potential Loyalist", {4, 1, 1, 2}, {5, 5, 5, 3}},
	{"New Customers", {5, 1, 1, 1}, {5, 5, 5, 1}},
	{"Promising", {3, 1, 1, 1}, {4, 5, 5, 1}},
	{"About To Sleep", {2, 1, 1, 2}, {3, 5, 5, 2}},
	{"Can't Lose Them", {1, 1, 1, 5}, {2, 5, 5, 5}},
	{"At Risk", {1, 1, 1, 3}, {2, 5, 5, 4}},
	{"Hibernating", {2, 1, 1, 1}, {2, 5, 5, 1}},
	{"Lost", {1, 1, 1, 1}, {1, 5, 5, 2}},
};

const SegmentMap rfm_standard_map = {
	sizeof(standard_entries) / sizeof(standard_entries[0]),
	standard_entries
};
