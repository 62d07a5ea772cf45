/*
 * test_rfm.c
 *	  Unit tests of the RFM core: rank_scores against a brute-force count of
 *	  strictly worse values, thresholds reproducing the scores, and the
 *	  standard segment map's coverage.
 */
#include "rfm/rank.h"
#include "unit.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the rule of API.md, counted directly: O(n^2) */
static int
brute_score(const double *v, const bool *isnull, int n, int i, int bins, bool lower)
{
	int			cnt = 0,
				nn = 0;

	for (int j = 0; j < n; j++)
	{
		if (isnull[j])
			continue;
		nn++;
		if (lower ? rank_cmp(v[j], v[i]) > 0 : rank_cmp(v[j], v[i]) < 0)
			cnt++;
	}
	return 1 + (int) ((long) bins * cnt / nn);
}

static void
check_random(int n, int distinct, int bins, bool lower, unsigned seed)
{
	double	   *v = malloc(sizeof(double) * n);
	double	   *copy = malloc(sizeof(double) * n);
	bool	   *isnull = malloc(n);
	uint8_t    *scores = malloc(n);
	RankPair   *work = malloc(sizeof(RankPair) * 2 * n);
	double	   *tmp = malloc(sizeof(double) * n);
	double		thr[RFM_MAX_BINS];
	int			bad = 0,
				badthr = 0,
				m = 0;

	srand(seed);
	for (int i = 0; i < n; i++)
	{
		isnull[i] = rand() % 10 == 0;
		v[i] = (rand() % distinct) * 0.5 - 3;
		if (rand() % 50 == 0)
			v[i] = NAN;
		if (!isnull[i])
			copy[m++] = v[i];
	}
	rank_scores(v, isnull, n, bins, lower, work, scores);
	if (m > 0)
		rank_thresholds(copy, tmp, m, bins, lower, thr);
	for (int i = 0; i < n; i++)
	{
		if (isnull[i])
		{
			bad += scores[i] != 0;
			continue;
		}
		if (scores[i] != brute_score(v, isnull, n, i, bins, lower))
			bad++;
		if (rank_score_against(v[i], thr, bins, lower) != scores[i])
			badthr++;
	}
	CHECK(bad == 0, "rank_scores equals the counted rule (n=%d, %d distinct, bins=%d, %s)",
		  n, distinct, bins, lower ? "lower is better" : "higher is better");
	CHECK(badthr == 0, "thresholds reproduce the scores (n=%d, %d distinct, bins=%d, %s)",
		  n, distinct, bins, lower ? "lower is better" : "higher is better");
	free(v);
	free(copy);
	free(isnull);
	free(scores);
	free(work);
	free(tmp);
}

/*
 * Runs: the values split into parts as the workers of a parallel plan would
 * hold them, each part sorted and written as runs (keys and variable-length
 * counts, the counts left out where every run holds one value, as serialize
 * does) and read back; the breakpoints read off the parts' runs at once, and
 * off the parts merged in turn, must be the very doubles rank_thresholds
 * picks from all the values sorted.
 */
static void
check_runs(int n, int distinct, int parts, int bins, bool lower, unsigned seed)
{
	double	   *v = malloc(sizeof(double) * n);
	double	   *all = malloc(sizeof(double) * n);
	double	   *tmp = malloc(sizeof(double) * n);
	uint64_t   *keys = malloc(sizeof(uint64_t) * n);
	int64_t    *counts = malloc(sizeof(int64_t) * n);
	uint8_t    *kbytes = malloc(sizeof(uint64_t) * n);
	uint8_t    *cbytes = malloc(n);
	uint64_t   *mkeys = malloc(sizeof(uint64_t) * n);
	int64_t    *mcounts = malloc(sizeof(int64_t) * n);
	uint64_t   *okeys = malloc(sizeof(uint64_t) * n);
	int64_t    *ocounts = malloc(sizeof(int64_t) * n);
	RankRuns	sets[RANK_MAX_SETS];
	RankRuns	merged = {mkeys, mcounts, 0, 0};
	int			nsets = 0;
	int64_t		used = 0;		/* keys and counts taken by earlier parts */
	double		want[RFM_MAX_BINS],
				got[RFM_MAX_BINS],
				gotm[RFM_MAX_BINS];
	bool		valid = true;

	srand(seed);
	for (int i = 0; i < n; i++)
	{
		v[i] = (rand() % distinct) * 0.25 - 7;
		if (rand() % 97 == 0)
			v[i] = rand() % 2 ? NAN : -0.0;
		all[i] = v[i];
	}
	rank_thresholds(all, tmp, n, bins, lower, want);
	for (int p = 0; p < parts; p++)
	{
		int64_t		lo = (int64_t) n * p / parts,
					hi = (int64_t) n * (p + 1) / parts,
					m = hi - lo,
					nruns,
					countbytes;
		uint64_t   *sorted;
		RankRuns   *set = &sets[nsets];

		if (m == 0)
			continue;
		sorted = rank_sort_keys(v + lo, tmp, m);
		rank_runs_measure(sorted, m, &nruns, &countbytes);
		CHECK(countbytes <= m, "the counts take at most a byte a value");
		rank_runs_write(sorted, m, countbytes, kbytes, cbytes);
		memcpy(keys + used, kbytes, nruns * sizeof(uint64_t));
		set->keys = keys + used;
		set->counts = NULL;
		set->nruns = nruns;
		set->n = m;
		if (countbytes > 0)
		{
			valid &= rank_counts_read(cbytes, countbytes, nruns, counts + used);
			valid &= !rank_counts_read(cbytes, countbytes - 1, nruns, counts + used);
			set->counts = counts + used;
		}
		else
			valid &= nruns == m;
		used += nruns;
		valid &= rank_runs_valid(set);
		merged.nruns = rank_merge_runs(&merged, set, okeys, ocounts);
		merged.n += m;
		memcpy(mkeys, okeys, merged.nruns * sizeof(uint64_t));
		memcpy(mcounts, ocounts, merged.nruns * sizeof(int64_t));
		valid &= rank_runs_valid(&merged);
		nsets++;
	}
	CHECK(valid, "each part's runs, read back, and each merge are well formed (n=%d, %d parts)", n, parts);
	rank_thresholds_runs(sets, nsets, n, bins, lower, got);
	rank_thresholds_runs(&merged, 1, n, bins, lower, gotm);
	CHECK(memcmp(want, got, sizeof(double) * (bins - 1)) == 0 &&
		  memcmp(want, gotm, sizeof(double) * (bins - 1)) == 0,
		  "breakpoints from the parts' runs and from them merged are those of the sorted values (n=%d, %d distinct, %d parts, bins=%d, %s)",
		  n, distinct, parts, bins, lower ? "lower is better" : "higher is better");
	free(v);
	free(all);
	free(tmp);
	free(keys);
	free(counts);
	free(kbytes);
	free(cbytes);
	free(mkeys);
	free(mcounts);
	free(okeys);
	free(ocounts);
}

int
main(void)
{
	/* small exact cases */
	{
		double		v[] = {10, 20, 30, 40, 50};
		uint8_t		s[5];
		RankPair	w[2 * 5];

		rank_scores(v, NULL, 5, 5, false, w, s);
		CHECK(s[0] == 1 && s[1] == 2 && s[2] == 3 && s[3] == 4 && s[4] == 5,
			  "five distinct values fill five bins");
		rank_scores(v, NULL, 5, 5, true, w, s);
		CHECK(s[0] == 5 && s[4] == 1, "lower is better reverses the scores");
	}
	{
		double		v[] = {7, 7, 7, 7};
		uint8_t		s[4];
		RankPair	w[2 * 4];

		rank_scores(v, NULL, 4, 5, false, w, s);
		CHECK(s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] == 1,
			  "equal values share score 1 (none strictly lower)");
	}
	{
		double		v[] = {1, 2, 2, 2, 3};
		uint8_t		s[5];
		RankPair	w[2 * 5];

		rank_scores(v, NULL, 5, 5, false, w, s);
		/* L = 0,1,1,1,4 -> 1 + floor(5L/5) = 1,2,2,2,5 */
		CHECK(s[0] == 1 && s[1] == 2 && s[3] == 2 && s[4] == 5, "ties never split");
	}
	{
		double		v[] = {42};
		uint8_t		s[1];
		RankPair	w[2 * 1];

		rank_scores(v, NULL, 1, 5, false, w, s);
		CHECK(s[0] == 1, "one value scores 1");
	}

	/* keys order as the doubles do, and map back */
	{
		double		v[] = {-INFINITY, -1e300, -2.5, -1e-300, 0.0, 1e-300, 3, 1e300, INFINITY, NAN};
		bool		ordered = true,
					back = true;

		for (int i = 0; i + 1 < 10; i++)
			ordered &= rank_key(v[i]) < rank_key(v[i + 1]);
		for (int i = 0; i < 9; i++)
			back &= rank_key_value(rank_key(v[i])) == v[i];
		CHECK(ordered, "rank_key orders -Inf < negatives < 0 < positives < Inf < NaN");
		CHECK(back, "rank_key_value inverts rank_key");
		CHECK(rank_key(-0.0) == rank_key(0.0), "-0 and 0 share a key");
		CHECK(rank_key(-NAN) == rank_key(NAN), "every NaN shares one key");
		{
			uint64_t	allones = ~UINT64_C(0);
			double		negnan;

			memcpy(&negnan, &allones, sizeof(negnan));
			CHECK(rank_key(negnan) != 0 && rank_key(-INFINITY) != 0 && rank_key(-DBL_MAX) != 0,
				  "no value has the key 0 (the NULL mark), not even a NaN of all one bits");
		}
	}

	for (int bins = 2; bins <= RFM_MAX_BINS; bins += 3)
		for (int lower = 0; lower <= 1; lower++)
		{
			check_random(997, 40, bins, lower, 17 + bins);
			check_random(500, 500, bins, lower, 31 + bins);
			check_random(64, 3, bins, lower, 5 + bins);
			check_random(20000, 5000, bins, lower, 7 + bins);
		}

	for (int bins = 2; bins <= RFM_MAX_BINS; bins += 4)
		for (int lower = 0; lower <= 1; lower++)
		{
			check_runs(5000, 30, 2, bins, lower, 3 + bins);
			check_runs(5000, 1000000, 2, bins, lower, 9 + bins);
			check_runs(3001, 7, 5, bins, lower, 11 + bins);
			check_runs(40000, 300, 8, bins, lower, 23 + bins);
			check_runs(1, 1, 1, bins, lower, 13);
			check_runs(3, 2, 4, bins, lower, 19);	/* a part without values */
		}

	/* runs a deserialize must refuse */
	{
		uint64_t	k[3] = {rank_key(1), rank_key(2), rank_key(3)};
		uint64_t	unsorted[2] = {rank_key(2), rank_key(1)};
		uint64_t	twice[2] = {rank_key(2), rank_key(2)};
		uint64_t	zero[1] = {0};
		uint64_t	nan2[1] = {rank_key(NAN) + 1};
		int64_t		c[3] = {1, 2, 3};
		int64_t		neg[3] = {1, -2, 7};
		int64_t		big[2] = {INT64_MAX, INT64_MAX};
		int64_t		got[3];
		uint8_t		ok[] = {0x01, 0x81, 0x01, 0x05};	/* 1, 129, 5 */
		uint8_t		cut[] = {0x01, 0x81};
		uint8_t		zerocount[] = {0x01, 0x00, 0x05};
		uint8_t		long10[] = {0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01};
		RankRuns	r;

#define RUNS(kk, cc, nr, nn) (r = (RankRuns) {kk, cc, nr, nn}, &r)
		CHECK(rank_runs_valid(RUNS(k, c, 3, 6)) && rank_runs_valid(RUNS(k, NULL, 3, 3)),
			  "well-formed runs are accepted");
		CHECK(!rank_runs_valid(RUNS(k, c, 3, 7)), "counts that do not add up to n are refused");
		CHECK(!rank_runs_valid(RUNS(k, neg, 3, 6)), "a negative count is refused");
		CHECK(!rank_runs_valid(RUNS(k, big, 2, INT64_MAX)), "counts that overflow are refused");
		CHECK(!rank_runs_valid(RUNS(unsorted, NULL, 2, 2)), "keys out of order are refused");
		CHECK(!rank_runs_valid(RUNS(twice, NULL, 2, 2)), "a key twice is refused");
		CHECK(!rank_runs_valid(RUNS(zero, NULL, 1, 1)), "the key 0 is refused");
		CHECK(!rank_runs_valid(RUNS(nan2, NULL, 1, 1)), "a key no double has through rank_key is refused");
		CHECK(!rank_runs_valid(RUNS(k, NULL, 3, 4)), "without counts, n must be the number of runs");
		CHECK(!rank_runs_valid(RUNS(k, c, 0, 6)), "no runs for n > 0 values is refused");
#undef RUNS
		CHECK(rank_counts_read(ok, 4, 3, got) && got[0] == 1 && got[1] == 129 && got[2] == 5,
			  "variable-length counts read back");
		{
			uint8_t		out[4];

			rank_counts_write(c + 0, 1, out);
			CHECK(rank_counts_bytes(got, 3) == 4 && rank_counts_bytes(c, 3) == 3,
				  "counts measure a byte each below 128, two from 128");
			rank_counts_write(got, 3, out);
			CHECK(memcmp(out, ok, 4) == 0, "counts write as they read");
		}
		CHECK(!rank_counts_read(ok, 4, 2, got), "bytes left over are refused");
		CHECK(!rank_counts_read(ok, 4, 4, got), "too few counts are refused");
		CHECK(!rank_counts_read(cut, 2, 2, got), "a count cut short is refused");
		CHECK(!rank_counts_read(zerocount, 3, 3, got), "a count of 0 is refused");
		CHECK(!rank_counts_read(long10, 10, 1, got), "a count of more than 63 bits is refused");
	}

	/* the standard map covers every cell and uses all eleven names */
	{
		int			missing = 0;
		const char *seen[16];
		int			nseen = 0;

		for (int r = 1; r <= 5; r++)
			for (int f = 1; f <= 5; f++)
				for (int m = 1; m <= 5; m++)
				{
					const char *name = segmap_lookup(&rfm_standard_map, r, f, m);
					bool		known = false;

					if (name == NULL)
					{
						missing++;
						continue;
					}
					for (int k = 0; k < nseen; k++)
						known |= strcmp(seen[k], name) == 0;
					if (!known && nseen < 16)
						seen[nseen++] = name;
				}
		CHECK(missing == 0, "standard map covers all 125 scores");
		CHECK(nseen == 11, "standard map uses eleven segments (saw %d)", nseen);
	}
	CHECK(strcmp(segmap_lookup(&rfm_standard_map, 5, 5, 5), "Champions") == 0, "555 is Champions");
	CHECK(strcmp(segmap_lookup(&rfm_standard_map, 1, 1, 1), "Lost") == 0, "111 is Lost");
	CHECK(strcmp(segmap_lookup(&rfm_standard_map, 1, 5, 5), "Can't Lose Them") == 0, "155 is Can't Lose Them");
	CHECK(strcmp(segmap_lookup(&rfm_standard_map, 5, 1, 1), "New Customers") == 0, "511 is New Customers");
	CHECK(strcmp(segmap_lookup(&rfm_standard_map, 3, 3, 3), "Need Attention") == 0, "333 is Need Attention");
	CHECK(strcmp(segmap_lookup(&rfm_standard_map, 2, 1, 1), "Hibernating") == 0, "211 is Hibernating");
	CHECK(rank_fm(4, 5) == 5 && rank_fm(1, 2) == 2 && rank_fm(3, 3) == 3, "fm rounds the mean of f and m up");
	return unit_done();
}
