/*-------------------------------------------------------------------------
 *
 * bgbb.h
 *	  The BG/BB model of repeat transactions in discrete time (Fader,
 *	  Hardie & Shang 2010, "Customer-Base Analysis in a Discrete-Time
 *	  Noncontractual Setting", Marketing Science 29(6)): log-likelihood
 *	  with its analytic gradient, the maximum-likelihood fit, and the
 *	  per-customer predictions.
 *
 * A customer has n transaction opportunities after the first transaction
 * (yearly campaigns, events, seasons); x of them saw a transaction, the
 * last at opportunity t_x (0 when x = 0).  While alive, a customer
 * transacts at each opportunity with probability p ~ Beta(alpha, beta);
 * before each opportunity they die with probability theta ~ Beta(gamma,
 * delta).  A point is one distinct (x, t_x, n) with a weight: how many
 * customers share it.
 *
 * Pure core: no server headers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLV_BGBB_H
#define SEGMENTATION_CLV_BGBB_H

#include "btyd.h"

/* parameters in the order alpha, beta, gamma, delta */
#define BGBB_NPARAMS 4

/*
 * The most opportunities a customer may have: the likelihood sums n - t_x
 * terms, so n bounds the cost of one customer (100,000 daily opportunities
 * are 270 years).
 */
#define BGBB_MAX_N 100000

typedef struct BgbbPoint
{
	double		x;				/* opportunities with a transaction */
	double		tx;				/* the opportunity of the last, 0 if none */
	double		n;				/* opportunities observed */
	double		w;				/* customers who share the point */
} BgbbPoint;

/*
 * A valid summary: x, t_x and n whole numbers with 0 <= x <= t_x <= n <=
 * BGBB_MAX_N, and t_x = 0 when x = 0.  Returns false with err filled.
 */
extern bool bgbb_check(double x, double tx, double n, CoreError *err);

/* Parameters of a model: four finite positive numbers. */
extern bool bgbb_check_params(const double *params, CoreError *err);

/*
 * Log-likelihood of one customer (eq. 5), and its gradient in (alpha, beta,
 * gamma, delta) when grad is not NULL.  The point must pass bgbb_check.
 */
extern double bgbb_loglik(const double *params, const BgbbPoint *pt, double *grad);

/*
 * Maximum-likelihood fit over weighted points (each passing bgbb_check),
 * by btyd_fit_model.  False with err filled when there is nothing to fit,
 * nobody ever had a second opportunity, or the fit does not converge.
 */
extern bool bgbb_fit(const BgbbPoint *pts, int64_t npts, double penalizer, BtydFit *fit,
					 CoreError *err);

/*
 * Predictions for a customer (x, t_x, n); m and nstar are whole numbers of
 * future opportunities, at least 0.
 *
 * bgbb_alive_at: P(alive at opportunity n + m | x, t_x, n) (eq. 11 for m =
 * 1; m = 0 is alive now, after opportunity n).
 * bgbb_purchases_next: E[X(n, n + nstar) | x, t_x, n], the transactions
 * expected in the next nstar opportunities (eq. 13).
 * bgbb_purchases_first: E[X(n)], the transactions expected in the
 * first n opportunities of a new customer (eq. 8).
 */
extern double bgbb_alive_at(const double *params, double x, double tx, double n, double m);
extern double bgbb_purchases_next(const double *params, double x, double tx, double n,
									  double nstar);
extern double bgbb_purchases_first(const double *params, double n);

#endif							/* SEGMENTATION_CLV_BGBB_H */
