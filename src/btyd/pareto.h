/*-------------------------------------------------------------------------
 *
 * pareto.h
 *	  The Pareto/NBD purchase model (Schmittlein, Morrison & Colombo 1987,
 *	  "Counting your customers: who are they and what will they do next?",
 *	  Management Science 33(1)): likelihood with gradient, fit and the
 *	  predictions, in the form of Fader & Hardie's notes ("A note on deriving
 *	  the Pareto/NBD model and related expressions", 2005).  Pure core.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLV_PARETO_H
#define SEGMENTATION_CLV_PARETO_H

#include "btyd.h"

/* parameters r, alpha, s, beta */
extern const BtydLikelihood pareto_likelihood;

extern double pareto_loglik(const double *params, const BtydPoint *pt, double *grad);
extern bool pareto_fit(const BtydPoint *pts, int64_t npts, double penalizer,
					   BtydFit *fit, CoreError *err);
extern double pareto_p_alive(const double *params, double x, double tx, double T);
/* E[X(t) | x, t_x, T] / P(alive): depends on (x, T, t) only */
extern double pareto_expected_purchases_alive(const double *params, double x, double T, double t);

/*
 * The hypergeometric part of the likelihood (see pareto.c):
 *
 *	 I = integral from t_x to T of (alpha + y)^-(r + x) (beta + y)^-(s + 1) dy
 *
 * log I (-inf when t_x = T), and when grad is not NULL the gradient of log I
 * in (r, alpha, s, beta); NaN if a series does not converge.
 */
extern double pareto_log_integral(const double *params, double x, double tx, double T,
								  double *grad);

/* 2F1(1, P; P + Q; z) for P > 0, Q > 0, 0 <= z < 1, by its series of
 * positive terms; NaN if it has not converged in 10^6 terms */
extern double pareto_hyp2f1(double P, double Q, double z);

#endif							/* SEGMENTATION_CLV_PARETO_H */
