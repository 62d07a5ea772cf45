/*-------------------------------------------------------------------------
 *
 * mbgnbd.c
 *	  MBG/NBD: likelihood, gradient, fit and predictions (see mbgnbd.h).
 *
 * While active a customer buys at rate lambda ~ Gamma(r, alpha); at time 0
 * and after each purchase they drop out with probability p ~ Beta(a, b)
 * (BG/NBD lets them drop out only after a repeat purchase, so BG/NBD's
 * P(alive) of a customer without repeat purchases is always 1).  For x
 * repeat purchases, the last at t_x, observed for T (Batislam et al. 2007,
 * eq. 4; lifetimes' ModifiedBetaGeoFitter), in logs:
 *
 *	 A1 = lgamma(r + x) - lgamma(r) + r log(alpha)
 *	 A2 = lgamma(a + b) + lgamma(b + x + 1) - lgamma(b) - lgamma(a + b + x + 1)
 *	 A3 = -(r + x) log(alpha + T)
 *	 A4 = log(a) - log(b + x) - (r + x) log(alpha + t_x)
 *	 LL = A1 + A2 + log(exp(A3) + exp(A4))
 *
 *	 P(alive) = 1 / (1 + a / (b + x) ((alpha + T) / (alpha + t_x))^(r + x))
 *	 E[X(t) | x, t_x, T] = P(alive) (a + b + x) / (a - 1)
 *		 [1 - ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x + 1; a + b + x; z)]
 *
 * with z = t / (alpha + T + t): BG/NBD's expectation given alive with b + 1
 * in place of b, which bgnbd_expected_purchases_alive evaluates (Euler's
 * transformation, see btyd.c).
 *
 *-------------------------------------------------------------------------
 */
#include "mbgnbd.h"

#include <math.h>

/* x-terms: xc[0] A1 + A2, xc[1] log(a) - log(b + x), xc[2..4] the digamma
 * parts of d/dr, d/da, d/db, xc[5] 1 / (b + x) */
static void
mbg_xterms(const double *p, double x, double *xc)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2],
				b = p[3];
	double		dab = btyd_digamma(a + b),
				dabx = btyd_digamma(a + b + x + 1);

	xc[0] = lgamma(r + x) - lgamma(r) + r * log(alpha) +
		lgamma(a + b) + lgamma(b + x + 1) - lgamma(b) - lgamma(a + b + x + 1);
	xc[1] = log(a) - log(b + x);
	xc[2] = btyd_digamma(r + x) - btyd_digamma(r) + log(alpha);
	xc[3] = dab - dabx;
	xc[4] = dab + btyd_digamma(b + x + 1) - btyd_digamma(b) - dabx;
	xc[5] = 1 / (b + x);
}

/* y-terms: yc[0] log(alpha + y), computed once per distinct (x, y) */
static double
mbg_yterms(const double *p, const double *xc, double x, double y, double *yc, bool grad)
{
	(void) xc;
	(void) x;
	(void) grad;
	yc[0] = log(p[1] + y);
	return 0.25;				/* a logarithm: a quarter of a point */
}

static double
mbg_point(const double *p, const double *xc, const double *yc_tx, const double *yc_T,
		  const BtydPoint *pt, double *grad, double w)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2];
	double		x = pt->x;
	double		lT = yc_T[0],
				ltx = yc_tx[0];
	double		u3 = -(r + x) * lT,
				u4 = xc[1] - (r + x) * ltx;
	double		hi = u3 > u4 ? u3 : u4;
	double		e3 = exp(u3 - hi),
				e4 = exp(u4 - hi);
	double		l = hi + log(e3 + e4);

	if (grad)
	{
		double		w3 = e3 / (e3 + e4),
					w4 = e4 / (e3 + e4);

		grad[0] += w * (xc[2] - w3 * lT - w4 * ltx);
		grad[1] += w * (r / alpha - (r + x) * (w3 / (alpha + pt->T) + w4 / (alpha + pt->tx)));
		grad[2] += w * (xc[3] + w4 / a);
		grad[3] += w * (xc[4] - w4 * xc[5]);
	}
	return xc[0] + l;
}

const BtydLikelihood mbgnbd_likelihood = {
	"MBG/NBD", BGNBD_NPARAMS, mbg_xterms, mbg_yterms, 1, mbg_point, 1
};

double
mbgnbd_loglik(const double *params, const BtydPoint *pt, double *grad)
{
	return btyd_likelihood_point(&mbgnbd_likelihood, params, pt, grad);
}

bool
mbgnbd_fit(const BtydPoint *pts, int64_t npts, double penalizer, BtydFit *fit, CoreError *err)
{
	return btyd_fit_likelihood(&mbgnbd_likelihood, pts, npts, penalizer, fit, err);
}

double
mbgnbd_p_alive(const double *p, double x, double tx, double T)
{
	double		lo = log(p[2]) - log(p[3] + x) + (p[0] + x) * (log(p[1] + T) - log(p[1] + tx));

	return 1.0 / (1.0 + exp(lo));
}

double
mbgnbd_expected_purchases_alive(const double *p, double x, double T, double t)
{
	double		q[BGNBD_NPARAMS] = {p[0], p[1], p[2], p[3] + 1};

	return bgnbd_expected_purchases_alive(q, x, T, t);
}
