/*-------------------------------------------------------------------------
 *
 * stats.h
 *	  The statistics of experiment results, sample sizes and multiple
 *	  testing, over plain C values.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_EXPERIMENT_STATS_H
#define SEGMENTATION_EXPERIMENT_STATS_H

#include "core.h"

/* Distributions (stats.c cites the algorithms). */
extern double stat_norm_cdf(double z);
extern double stat_norm_quantile(double p);
extern double stat_incbeta(double a, double b, double x);
extern double stat_t_cdf(double t, double df);
extern double stat_t_quantile(double p, double df);

/*
 * Moments of (y, x) pairs of one variant: count, means and centred sums of
 * squares and products, updated as Welford and merged as Chan, Golub and
 * LeVeque (1979) do, so partial states combine.  n_null counts the rows
 * skipped for a NULL outcome (or covariate).
 */
typedef struct ExpMoments
{
	double		n;
	double		n_null;
	double		my;
	double		mx;
	double		syy;
	double		sxx;
	double		sxy;
} ExpMoments;

extern void exp_moments_add(ExpMoments *m, double y, double x);
extern void exp_moments_combine(ExpMoments *a, const ExpMoments *b);

/* The metric kinds of the result aggregates. */
typedef enum ExpMetric
{
	EXP_CONVERSION = 1,			/* y boolean: two-proportion test */
	EXP_MEAN = 2,				/* y numeric: Welch's t-test */
	EXP_CUPED = 3,				/* y numeric, x the pre-period covariate */
	EXP_RATIO = 4				/* y numerator, x denominator: delta method */
} ExpMetric;

/*
 * One variant against control (variant 0).  NaN stands for "undefined"
 * (the glue returns NULL): a variant or control without enough rows, a
 * zero standard error, a lift relative to a zero control.
 */
typedef struct ExpResult
{
	int			variant;
	double		n;
	double		n_null;
	double		mean;			/* rate, mean, CUPED-adjusted mean or ratio */
	double		lift;			/* mean - control mean */
	double		lift_lower;
	double		lift_upper;
	double		rel;			/* mean / control mean - 1 */
	double		rel_lower;
	double		rel_upper;
	double		p_value;		/* two-sided, of lift = 0 */
	double		var_reduction;	/* CUPED: 1 - adjusted / raw variance */
} ExpResult;

/*
 * Results of nvariants variants (out[0] is the control's own row) at
 * two-sided confidence level 1 - alpha.
 */
extern void exp_results(ExpMetric metric, int nvariants, const ExpMoments *m,
						double alpha, ExpResult *out);

/*
 * Customers per group for a two-sided two-proportion test (Fleiss, Levin
 * and Paik 2003, eq. 4.14, with n2 = ratio * n1) and for a difference of
 * means with known standard deviation; false with err on bad arguments.
 */
extern bool exp_sample_size_proportion(double baseline, double mde, double alpha,
									   double power, double ratio, double *n1,
									   CoreError *err);
extern bool exp_sample_size_mean(double sd, double mde, double alpha,
								 double power, double ratio, double *n1,
								 CoreError *err);

/*
 * Benjamini-Hochberg adjusted p-values of p[0..n-1] into adj (NaN in, NaN
 * out, not counted in m).  order is scratch space of n ints.
 */
extern void exp_p_adjust_bh(const double *p, int n, double *adj, int *order);

#endif							/* SEGMENTATION_EXPERIMENT_STATS_H */
