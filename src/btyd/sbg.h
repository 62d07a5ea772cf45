/*-------------------------------------------------------------------------
 *
 * sbg.h
 *	  The shifted-beta-geometric (sBG) model of contract renewals (Fader &
 *	  Hardie 2007, "How to Project Customer Retention", Journal of
 *	  Interactive Marketing 21(1)): log-likelihood with its analytic
 *	  gradient, the maximum-likelihood fit, survival, retention rates and
 *	  the discounted expected residual lifetime (Fader & Hardie 2010,
 *	  "Customer-Base Valuation in a Contractual Setting: The Perils of
 *	  Ignoring Heterogeneity", Marketing Science 29(1)).
 *
 * At the end of each period a customer cancels with probability theta,
 * theta ~ Beta(alpha, beta) across customers.  T, the period in which a
 * customer cancels (1, 2, ...), has
 *
 *	 P(T = t) = B(alpha+1, beta+t-1)/B(alpha, beta)
 *	 S(t) = P(T > t) = B(alpha, beta+t)/B(alpha, beta)
 *	 r(t) = S(t)/S(t-1) = (beta+t-1)/(alpha+beta+t-1)
 *
 * A point is a customer who cancelled in period t >= 1 (churned) or is
 * still a customer after t >= 0 renewals, with a weight: how many
 * customers share it.
 *
 * Pure core: no server headers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLV_SBG_H
#define SEGMENTATION_CLV_SBG_H

#include "btyd.h"

/* parameters in the order alpha, beta */
#define SBG_NPARAMS 2

/* the most periods a point or prediction may name */
#define SBG_MAX_T 1000000000.0

typedef struct SbgPoint
{
	double		t;				/* the period cancelled in, or renewals so far */
	bool		churned;
	double		w;				/* customers who share the point */
} SbgPoint;

/* A valid point: t whole, 1 <= t (churned) or 0 <= t (active), t <=
 * SBG_MAX_T.  False with err filled. */
extern bool sbg_check(double t, bool churned, CoreError *err);

/* Parameters of a model: two finite positive numbers. */
extern bool sbg_check_params(const double *params, CoreError *err);

/* Log-likelihood of one point's customer, gradient in (alpha, beta). */
extern double sbg_loglik(const double *params, const SbgPoint *pt, double *grad);

/* Maximum-likelihood fit over weighted points (each passing sbg_check). */
extern bool sbg_fit(const SbgPoint *pts, int64_t npts, double penalizer, BtydFit *fit,
					CoreError *err);

/*
 * A cohort's customers alive after 0, 1, ..., k periods (alive[0] the
 * cohort's size) as points: alive[t-1] - alive[t] cancelled in period t,
 * alive[k] still active after k renewals.  pts holds k + 1 points; returns
 * how many have a weight above 0, or -1 with err filled when the counts
 * are not finite, negative or increasing, or k < 2.
 */
extern int64_t sbg_cohort_points(const double *alive, int64_t nalive, SbgPoint *pts,
								 CoreError *err);

/* S(t), P(T = t) (t >= 1), r(t) (t >= 1) */
extern double sbg_survival_at(const double *params, double t);
extern double sbg_churn_at(const double *params, double t);
extern double sbg_retention_at(const double *params, double t);

/*
 * The discounted expected residual lifetime of a customer after n
 * renewals, just before the next renewal (Fader & Hardie 2010, eq. 6 with
 * their n - 1 renewals our n):
 *
 *	 DERL = sum over j >= 0 of S(n+1+j)/S(n) / (1+d)^j
 *		  = (beta+n)/(alpha+beta+n) 2F1(1, beta+n+1; alpha+beta+n+1; 1/(1+d))
 *
 * the expected number of further payments (one a period, the next one now)
 * discounted at d > 0 a period.  NaN if the series does not converge within
 * btyd_hyp2f1's terms (d below about 1e-5).
 */
extern double sbg_derl_at(const double *params, double n, double d);

#endif							/* SEGMENTATION_CLV_SBG_H */
