/*-------------------------------------------------------------------------
 *
 * mbgnbd.h
 *	  The MBG/NBD purchase model (Batislam, Denizel & Filiztekin 2007,
 *	  "Empirical validation and comparison of models for customer base
 *	  analysis", IJRM 24(3)), as lifetimes' ModifiedBetaGeoFitter: BG/NBD
 *	  in which a customer may also drop out right after the first purchase.
 *	  Likelihood with gradient, fit and predictions; pure core.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLV_MBGNBD_H
#define SEGMENTATION_CLV_MBGNBD_H

#include "btyd.h"

/* parameters r, alpha, a, b */
extern const BtydLikelihood mbgnbd_likelihood;

extern double mbgnbd_loglik(const double *params, const BtydPoint *pt, double *grad);
extern bool mbgnbd_fit(const BtydPoint *pts, int64_t npts, double penalizer,
					   BtydFit *fit, CoreError *err);
extern double mbgnbd_p_alive(const double *params, double x, double tx, double T);
/* E[X(t) | x, t_x, T] / P(alive): depends on (x, T, t) only */
extern double mbgnbd_expected_purchases_alive(const double *params, double x, double T, double t);

#endif							/* SEGMENTATION_CLV_MBGNBD_H */
