/*-------------------------------------------------------------------------
 *
 * assign.h
 *	  Deterministic variant assignment, bit for bit as GrowthBook's SDKs do
 *	  it (hash version 2, bucket ranges, chooseVariation).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_EXPERIMENT_ASSIGN_H
#define SEGMENTATION_EXPERIMENT_ASSIGN_H

#include "core.h"

/* The most variants an experiment may have (weights array length). */
#define ASSIGN_MAX_VARIANTS 100

/*
 * GrowthBook's tolerance: weights must add up to 1 within 0.01
 * (getBucketRanges accepts a total in [0.99, 1.01]).
 */
#define ASSIGN_WEIGHT_TOLERANCE 0.01

/* FNV-1a 32-bit over the UTF-16 code units of UTF-8 text, continuing h. */
extern uint32_t assign_fnv32a_utf16(uint32_t h, const char *s, size_t len);

/* The FNV-1a 32-bit offset basis, the start value of assign_fnv32a_utf16. */
#define ASSIGN_FNV_BASIS UINT32_C(0x811c9dc5)

/*
 * GrowthBook's hash(seed, value, 2): fnv32a(str(fnv32a(seed + value)))
 * % 10000 / 10000, a value in [0, 0.9999] in steps of 0.0001.
 */
extern double assign_hash_v2(const char *seed, size_t seedlen,
							 const char *value, size_t valuelen);

/*
 * The bucket, 0 .. ASSIGN_BUCKETS - 1, that hash(seed, value, 2) is
 * bucket / ASSIGN_BUCKETS of; seed_state is assign_fnv32a_utf16 of the
 * seed from ASSIGN_FNV_BASIS, computed once per experiment.
 */
#define ASSIGN_BUCKETS 10000
extern int	assign_hash_bucket(uint32_t seed_state, const char *value, size_t valuelen);

/*
 * Bucket ranges of n variants: ranges[2i], ranges[2i+1] = [start, end) of
 * variant i, as GrowthBook's getBucketRanges computes them for valid
 * arguments.  weights may be NULL (equal weights).  Where GrowthBook falls
 * back silently (weights of the wrong length or total, coverage outside
 * [0, 1]), we report CORE_ERR_INVALID_PARAMETER; also for a negative or
 * non-finite weight and for n outside 1..ASSIGN_MAX_VARIANTS.
 */
extern bool assign_bucket_ranges(int n, double coverage, const double *weights,
								 double *ranges, CoreError *err);

/* GrowthBook's chooseVariation: the first i with start <= h < end, or -1. */
extern int	assign_choose(double h, int n, const double *ranges);

/*
 * chooseVariation for every bucket: table[k] is the variant of hash value
 * k / ASSIGN_BUCKETS (the same double assign_hash_v2 returns), or
 * ASSIGN_NO_VARIANT outside the coverage.  A call site computes it once
 * per experiment and then looks the variant up instead of comparing doubles.
 */
#define ASSIGN_NO_VARIANT 0xFF
extern void assign_bucket_table(int n, const double *ranges, unsigned char *table);

#endif							/* SEGMENTATION_EXPERIMENT_ASSIGN_H */
