/*-------------------------------------------------------------------------
 *
 * btyd.h
 *	  The BG/NBD purchase model (Fader, Hardie & Lee 2005) and the
 *	  Gamma-Gamma spend model (Fader & Hardie 2013): log-likelihoods with
 *	  analytic gradients, a maximum-likelihood fit over weighted summary
 *	  points, and the per-customer predictions.
 *
 * A point is one distinct customer summary (x = frequency, t_x = recency,
 * T = age, m = mean repeat spend) with a weight: the number of customers
 * who share it.  Fits work in log-parameters, so every parameter stays
 * positive, and maximise the mean log-likelihood per customer minus a
 * penalty pen * sum(parameter^2), as lifetimes does.
 *
 * Pure core: no server headers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLV_BTYD_H
#define SEGMENTATION_CLV_BTYD_H

#include "core.h"

typedef struct BtydPoint
{
	double		x;				/* frequency: repeat purchases */
	double		tx;				/* recency */
	double		T;				/* age */
	double		m;				/* mean spend of the repeat purchases */
	double		w;				/* how many customers share the point */
} BtydPoint;

/* BG/NBD parameters in the order r, alpha, a, b; Gamma-Gamma: p, q, gamma;
 * the NBD (BG/NBD without dropout): r, alpha */
#define BGNBD_NPARAMS 4
#define GG_NPARAMS 3
#define NBD_NPARAMS 2
#define BTYD_MAX_PARAMS 4

typedef struct BtydFit
{
	int			nparams;
	double		params[BTYD_MAX_PARAMS];
	double		se[BTYD_MAX_PARAMS];	/* standard errors (inverse Hessian) */
	double		loglik;			/* total log-likelihood at the optimum */
	double		customers;		/* total weight of the points used */
	int			iterations;
	double		grad_norm;		/* of the mean log-likelihood, in log-params */
	bool		converged;
	/*
	 * BG/NBD only: the likelihood is highest at the boundary of the
	 * parameter space where the dropout probability a / (a + b) goes to 0:
	 * the model is the NBD of params[0..1] (r, alpha); a and b are NaN and
	 * every customer is alive.
	 */
	bool		boundary;
} BtydFit;

/*
 * The most point evaluations (one customer summary's log-likelihood and
 * gradient) one fit (NBD, BG/NBD or Gamma-Gamma) may spend, line searches
 * and standard errors included: a fit that has not converged by then fails
 * with CORE_ERR_NOT_CONVERGED.  At 50 to 150 ns an evaluation, a fit is
 * bounded to a few seconds whatever the data (see README, "Bounded cost").
 */
#define BTYD_FIT_BUDGET 4e7

/*
 * The optimizer for other models (BG/BB, sBG): BFGS in log-parameters over
 * a model's total log-likelihood, as bgnbd_fit runs it, with the same
 * stopping rules, budget and standard errors.  loglik returns the total
 * log-likelihood at params (each positive) and, when grad is not NULL, its
 * gradient in params; one call counts as cost point evaluations against
 * BTYD_FIT_BUDGET, and a loglik whose cost grows with the data checks for
 * interrupts itself.  Starts from every parameter 1.
 */
typedef double (*BtydLoglikFn) (void *arg, const double *params, double *grad);

typedef struct BtydModelSpec
{
	const char *name;			/* in messages: "BG/BB" */
	int			nparams;		/* at most BTYD_MAX_PARAMS */
	double		customers;		/* total weight of the data */
	double		cost;			/* point evaluations one loglik call costs */
	BtydLoglikFn loglik;
	void	   *arg;
} BtydModelSpec;

extern bool btyd_fit_model(const BtydModelSpec *spec, double penalizer, BtydFit *fit,
						   CoreError *err);

/* digamma, for the gradients (no libm function in C99) */
extern double btyd_digamma(double x);

/*
 * Log-likelihood of one point's customer under BG/NBD, and its gradient
 * with respect to (r, alpha, a, b) when grad is not NULL.
 */
extern double bgnbd_loglik(const double *params, const BtydPoint *pt, double *grad);

/* Same under Gamma-Gamma (p, q, gamma), for x > 0 and m > 0. */
extern double gg_loglik(const double *params, const BtydPoint *pt, double *grad);

/* Same under the NBD (r, alpha): the BG/NBD without dropout. */
extern double nbd_loglik(const double *params, const BtydPoint *pt, double *grad);

/*
 * Fit BG/NBD (all points) or Gamma-Gamma (points with x > 0 and m > 0) by
 * BFGS in log-parameters.  Returns false with err filled when there is
 * nothing to fit, the model is not identifiable, or the optimizer fails to
 * converge (CORE_ERR_NOT_CONVERGED, with iterations and gradient norm).
 */
extern bool bgnbd_fit(const BtydPoint *pts, int64_t npts, double penalizer,
					  BtydFit *fit, CoreError *err);
extern bool gg_fit(const BtydPoint *pts, int64_t npts, double penalizer,
				   BtydFit *fit, CoreError *err);
extern bool nbd_fit(const BtydPoint *pts, int64_t npts, double penalizer,
					BtydFit *fit, CoreError *err);

/*
 * Another purchase model fitted by the same optimizer (Pareto/NBD, MBG/NBD,
 * ...): its log-likelihood of one point, with w times its gradient in the
 * parameters added to grad when grad is not NULL; it reads x, t_x and T,
 * not m (points that differ in m alone share one evaluation).  xterms, if not NULL,
 * fills xc (BTYD_XCACHE doubles) with what depends on the parameters and x
 * alone; points come sorted by x, so it runs once per distinct x, and point
 * reads xc.  yterms, if not NULL, fills yc (nyc doubles, at most
 * BTYD_YCACHE) with what depends on the parameters, x and one time y alone
 * (with the parts of the gradient when grad is true) and returns what it
 * cost, in point evaluations: it runs once per distinct (x, y) pair of an
 * evaluation, y being a t_x or a T, and point reads the pair's yc of t_x
 * and of T (NULL when yterms is NULL).  btyd_fit_likelihood fits every
 * point of positive weight (at least one with x > 0) as bgnbd_fit does,
 * within BTYD_FIT_BUDGET (each point evaluation counting cost, plus what
 * yterms reports); btyd_loglik_total is the total over points (in any
 * order), for tests, and btyd_likelihood_point one point's log-likelihood
 * (and its gradient when grad is not NULL).
 */
#define BTYD_XCACHE 16
#define BTYD_YCACHE 8

typedef struct BtydLikelihood
{
	const char *name;			/* "Pareto/NBD", in messages */
	int			nparams;		/* at most BTYD_MAX_PARAMS */
	void		(*xterms) (const double *params, double x, double *xc);
	double		(*yterms) (const double *params, const double *xc, double x, double y,
						   double *yc, bool grad);
	int			nyc;			/* doubles yterms fills */
	double		(*point) (const double *params, const double *xc, const double *yc_tx,
						  const double *yc_T, const BtydPoint *pt, double *grad, double w);
	double		cost;			/* a point's evaluation against BTYD_FIT_BUDGET,
								 * in BG/NBD points (1 if below 1) */
} BtydLikelihood;

extern bool btyd_fit_likelihood(const BtydLikelihood *lik, const BtydPoint *pts, int64_t npts,
								double penalizer, BtydFit *fit, CoreError *err);
extern double btyd_loglik_total(const BtydLikelihood *lik, const double *params,
								const BtydPoint *pts, int64_t npts, double *grad);
extern double btyd_likelihood_point(const BtydLikelihood *lik, const double *params,
									const BtydPoint *pt, double *grad);

/*
 * bgnbd_fit first fits the NBD, then tests whether the NBD is a local
 * maximum of the BG/NBD likelihood along every direction that adds dropout:
 * near a = 0, LL(r, alpha, a, b) = LL_NBD(r, alpha) + a S(b) + O(a^2) with
 *
 *	 S(b) = sum over customers with x > 0 of R / (b + x - 1)
 *			- sum over all customers of (digamma(b + x) - digamma(b)),
 *	 R = ((alpha + T) / (alpha + t_x))^(r + x)
 *
 * (and b S(b) -> sum (R - x) as b -> infinity).  When S(b) <= 0 for every b
 * the fit returns the boundary model (fit->boundary); otherwise BFGS finds
 * the interior optimum.  btyd_dropout_gain gives max over b of the
 * normalized S(b) (S(b) (b + 1) / customers), for the tests.
 */
extern double btyd_dropout_gain(const double *nbd_params, const BtydPoint *pts, int64_t npts);
/* S(b) itself, point by point (b = INFINITY: the limit of b S(b)); the
 * grid of btyd_dropout_gain is b = 10^(e/2), e = -8 .. 20. */
extern double btyd_dropout_slope(const double *nbd_params, const BtydPoint *pts, int64_t npts,
								 double b);

/*
 * Predictions for one customer (x, tx, T) under fitted BG/NBD parameters;
 * a and b NaN (a boundary fit) give the NBD's: P(alive) 1 and
 * E[Y(t) | x, T] = (r + x) t / (alpha + T).
 */
extern double bgnbd_p_alive(const double *params, double x, double tx, double T);
extern double bgnbd_expected_purchases(const double *params, double x, double tx,
									   double T, double t);
/*
 * The same for a customer known to be alive: the expected purchases are
 * P(alive) times this, which depends on (x, T) but not on t_x.
 */
extern double bgnbd_expected_purchases_alive(const double *params, double x, double T, double t);
/* Unconditional E[X(t)] for a new customer. */
extern double bgnbd_expected_purchases_new(const double *params, double t);

/* Gauss hypergeometric 2F1(a, b; c; z) for 0 <= z < 1, and its accuracy. */
extern double btyd_hyp2f1(double a, double b, double c, double z, bool *ok);

/* Gamma-Gamma conditional expected mean spend for (x, m). */
extern double gg_expected_spend(const double *params, double x, double m);

/*
 * The closed-form CLV of the simple retention model (Gupta & Lehmann 2003,
 * "Customers as Assets"): a yearly margin M = avg_order_value *
 * purchases_per_year * margin, earned at the end of each year the customer
 * is still there (retained from one year to the next with probability
 * retention), discounted at discount per year:
 *
 *	 CLV = sum over t >= 1 of M retention^t / (1 + discount)^t
 *		 = M retention / (1 + discount - retention)
 *
 * Returns false with err filled for a retention outside [0, 1), a
 * negative discount, a margin outside [0, 1] or a non-finite input.
 */
extern bool clv_closed_form(double avg_order_value, double purchases_per_year, double margin,
							double retention, double discount, double *clv, CoreError *err);

#endif							/* SEGMENTATION_CLV_BTYD_H */
