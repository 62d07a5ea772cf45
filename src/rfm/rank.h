/*-------------------------------------------------------------------------
 *
 * rank.h
 *	  RFM scoring by rank within a population, and the segment maps.
 *
 * The score rule (API.md, section 1): for a dimension where higher is better
 * a value's score is 1 + floor(bins * L / n), L the number of values strictly
 * lower and n the number of (non-NULL) values; where lower is better
 * (recency) L counts the values strictly higher.  Equal values therefore
 * always share a score, and distinct values fill equal-sized bins.
 *
 * The same scores can be stored as bins - 1 breakpoints per dimension (an
 * rfm_thresholds value): with x(k) the k-th smallest value, score >= s holds
 * exactly when L >= k_s = ceil((s - 1) * n / bins), that is when the value is
 * strictly greater than x(k_s) (strictly less than the k_s-th largest, where
 * lower is better).  Scoring the population against its own thresholds thus
 * gives exactly the window function's scores.
 *
 * Pure core: values are doubles; NaN sorts above every number and equals
 * itself, as in PostgreSQL.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_RFM_RANK_H
#define SEGMENTATION_RFM_RANK_H

#include "core.h"

#define RFM_MIN_BINS 2
#define RFM_MAX_BINS 10

/* Three-way comparison of doubles with PostgreSQL's NaN ordering. */
extern int	rank_cmp(double a, double b);

/*
 * Values are ranked through 64-bit keys that sort as the doubles do (NaN
 * above everything, -0 equal to 0): equal keys are exactly equal values.
 * No value has the key 0, so callers may use 0 to mark a NULL.
 */
typedef struct RankPair
{
	uint64_t	key;
	int64_t		index;			/* the row the value came from */
} RankPair;

extern uint64_t rank_key(double v);
extern double rank_key_value(uint64_t key);

/*
 * Score the m non-NULL values in pairs[0..m-1] (key and row index): sets
 * scores[index] for each, and leaves the other entries of scores alone (the
 * caller zeroes the rows whose value is NULL).  pairs is reordered; tmp is
 * scratch space of m pairs.
 */
extern void rank_score_pairs(RankPair *pairs, RankPair *tmp, int64_t m,
							 int bins, bool lower_is_better, uint8_t *scores);

/*
 * The same from plain arrays: scores[i] gets the score of values[i], or 0
 * where isnull[i] (isnull may be NULL).  work must hold 2 * n RankPairs.
 */
extern void rank_scores(const double *values, const bool *isnull, int64_t n,
						int bins, bool lower_is_better, RankPair *work,
						uint8_t *scores);

/*
 * Sort values[0..n-1] in place and write the bins - 1 breakpoints into
 * thresholds[0..bins-2] (thresholds[s-2] decides score >= s).  n must be > 0;
 * tmp is scratch space of n doubles.
 */
extern void rank_thresholds(double *values, double *tmp, int64_t n, int bins,
							bool lower_is_better, double *thresholds);

/*
 * Sorted runs: a dimension's values as their distinct keys in increasing
 * order, each with the number of values it stands for.  Recency and
 * frequency take few distinct values, so their runs are short.  A parallel
 * plan's workers sort their own values and pass them on as runs (the sort
 * is shared out, and fewer bytes cross the tuple queues); the leader reads
 * the breakpoints off the workers' runs in one walk, without sorting or
 * merging them into new memory.
 */
typedef struct RankRuns
{
	const uint64_t *keys;		/* nruns keys, strictly increasing */
	const int64_t *counts;		/* nruns counts, or NULL: one value each */
	int64_t		nruns;
	int64_t		n;				/* the values they stand for */
} RankRuns;

/* rank_thresholds_runs reads at most this many sets of runs at once */
#define RANK_MAX_SETS 8

/*
 * Sort values[0..n-1] (n > 0) by key and return them as keys, in values or in
 * tmp (scratch space of n doubles); the values are overwritten.
 */
extern uint64_t *rank_sort_keys(double *values, double *tmp, int64_t n);

/*
 * The runs of sorted keys[0..n-1]: their number, and the bytes their counts
 * take as variable-length integers (7 bits a byte, low first), 0 where
 * every run holds one value (the counts are then left out).  The counts'
 * bytes are at most n.
 */
extern void rank_runs_measure(const uint64_t *sorted, int64_t n,
							  int64_t *nruns, int64_t *countbytes);

/*
 * Write the runs of sorted[0..n-1] as rank_runs_measure counted them: the
 * keys (8 bytes each, native order, no alignment needed) to keys_out, and
 * where countbytes > 0 the counts to counts_out.
 */
extern void rank_runs_write(const uint64_t *sorted, int64_t n, int64_t countbytes,
							uint8_t *keys_out, uint8_t *counts_out);

/* The bytes of counts[0..nruns-1] as variable-length integers, and writing them. */
extern int64_t rank_counts_bytes(const int64_t *counts, int64_t nruns);
extern void rank_counts_write(const int64_t *counts, int64_t nruns, uint8_t *out);

/*
 * Read nruns counts written by rank_runs_write from len bytes; false unless
 * the bytes are exactly nruns well-formed positive counts.
 */
extern bool rank_counts_read(const uint8_t *in, int64_t len, int64_t nruns,
							 int64_t *counts);

/*
 * Compress sorted[0..n-1] into its runs: keys[r] and counts[r]; keys may be
 * sorted itself (written behind the reading).  Returns the number of runs.
 */
extern int64_t rank_compress_runs(const uint64_t *sorted, int64_t n,
								  uint64_t *keys, int64_t *counts);

/*
 * Merge two sets of runs into out_keys and out_counts (room for a->nruns +
 * b->nruns runs); returns the number of runs out.
 */
extern int64_t rank_merge_runs(const RankRuns *a, const RankRuns *b,
							   uint64_t *out_keys, int64_t *out_counts);

/*
 * Whether runs are well formed: keys strictly increasing, each the key of a
 * double as rank_key makes it, counts (where not NULL) positive, summing to
 * n (without counts, n runs).
 */
extern bool rank_runs_valid(const RankRuns *runs);

/*
 * rank_thresholds from nsets (1 to RANK_MAX_SETS) sets of runs standing for
 * n > 0 values in all: the same breakpoints as from those values sorted.
 */
extern void rank_thresholds_runs(const RankRuns *sets, int nsets, int64_t n,
								 int bins, bool lower_is_better, double *thresholds);

/* The score of value v against breakpoints made by rank_thresholds. */
extern int	rank_score_against(double v, const double *thresholds, int bins,
							   bool lower_is_better);

/*
 * Segment maps.  An entry names a segment and the ranges of r, f, m and fm
 * (the rounded-up mean of f and m) that it covers, inclusive; the first
 * entry that covers a score gives its segment.
 */
typedef struct SegmentMapEntry
{
	const char *name;
	int			lo[4];			/* r, f, m, fm */
	int			hi[4];
} SegmentMapEntry;

typedef struct SegmentMap
{
	int			nentries;
	const SegmentMapEntry *entries;
} SegmentMap;

#define SEGMAP_R  0
#define SEGMAP_F  1
#define SEGMAP_M  2
#define SEGMAP_FM 3

/* The standard 11-segment map over 1..5 scores (README, "RFM segments"). */
extern const SegmentMap rfm_standard_map;

/* fm, the combined frequency-monetary score: ceil((f + m) / 2). */
extern int	rank_fm(int f, int m);

/* The segment of (r, f, m) in map, or NULL where no entry covers it. */
extern const char *segmap_lookup(const SegmentMap *map, int r, int f, int m);

#endif							/* SEGMENTATION_RFM_RANK_H */
