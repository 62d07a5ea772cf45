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

int
rank_cmp(double a, double b)
{
	if (isnan(a))
		return isnan(b) ? 0 : 1;
	if (isnan(b))
		return -1;
	return (a > b) - (a < b);
}

static int
pair_cmp(const void *pa, const void *pb)
{
	const RankPair *a = pa;
	const RankPair *b = pb;

	return rank_cmp(a->value, b->value);
}

static int
double_cmp(const void *pa, const void *pb)
{
	return rank_cmp(*(const double *) pa, *(const double *) pb);
}

/* 1 + floor(bins * count / n), computed exactly in integers. */
static inline int
score_of(int64_t count, int64_t n, int bins)
{
	return 1 + (int) ((count * bins) / n);
}

void
rank_scores(const double *values, const bool *isnull, int64_t n, int bins,
			bool lower_is_better, RankPair *work, uint8_t *scores)
{
	int64_t		m = 0;
	int64_t		start;

	for (int64_t i = 0; i < n; i++)
	{
		if (isnull && isnull[i])
		{
			scores[i] = 0;
			continue;
		}
		work[m].value = values[i];
		work[m].index = i;
		m++;
	}
	if (m == 0)
		return;

	qsort(work, (size_t) m, sizeof(RankPair), pair_cmp);

	/* walk the runs of equal values: [start, end) */
	start = 0;
	while (start < m)
	{
		int64_t		end = start + 1;
		int			score;

		if ((start & 0xFFFF) == 0)
			core_check_interrupts();
		while (end < m && rank_cmp(work[end].value, work[start].value) == 0)
			end++;
		/* strictly lower: start values; strictly higher: m - end values */
		score = score_of(lower_is_better ? m - end : start, m, bins);
		for (int64_t k = start; k < end; k++)
			scores[work[k].index] = (uint8_t) score;
		start = end;
	}
}

void
rank_thresholds(double *values, int64_t n, int bins, bool lower_is_better,
				double *thresholds)
{
	qsort(values, (size_t) n, sizeof(double), double_cmp);

	for (int s = 2; s <= bins; s++)
	{
		/* k_s = ceil((s - 1) * n / bins), 1-based; n > 0 so k_s >= 1 */
		int64_t		k = ((int64_t) (s - 1) * n + bins - 1) / bins;

		/* the k-th smallest, or where lower is better the k-th largest */
		thresholds[s - 2] = lower_is_better ? values[n - k] : values[k - 1];
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
