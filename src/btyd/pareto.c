/*-------------------------------------------------------------------------
 *
 * pareto.c
 *	  Pareto/NBD: likelihood, gradient, fit and predictions (see pareto.h).
 *
 * While active a customer buys at rate lambda ~ Gamma(r, alpha) and drops
 * out at an exponential time of rate mu ~ Gamma(s, beta).  For x repeat
 * purchases, the last at t_x, observed for T (Fader & Hardie 2005, eq. 2
 * and the note's (11)-(13)):
 *
 *	 L = Gamma(r + x) alpha^r beta^s / Gamma(r)
 *		 [ (alpha + T)^-(r + x) (beta + T)^-s  +  s I ]
 *	 I = integral from t_x to T of (alpha + y)^-(r + x) (beta + y)^-(s + 1) dy
 *
 * The note writes s I = s / (r + s + x) A0 with A0 a difference of two
 * Gaussian hypergeometric terms, one form for alpha >= beta and one for
 * alpha < beta.  Both are one formula: with (M, m, P, Q) = (alpha, beta,
 * r + x, s + 1) when alpha >= beta and (beta, alpha, s + 1, r + x)
 * otherwise, A = P + Q - 1 = r + s + x and z(y) = (M - m) / (M + y) in
 * [0, 1),
 *
 *	 I = (H(t_x) - H(T)) / A,  H(y) = (M + y)^-A 2F1(A, Q; A + 1; z(y))
 *
 * and Euler's transformation 2F1(A, Q; A + 1; z) = (1 - z)^(1 - Q)
 * 2F1(1, P; P + Q; z) gives
 *
 *	 H(y) = (M + y)^-P (m + y)^(1 - Q) G(z(y)),  G(z) = 2F1(1, P; P + Q; z)
 *
 * G's series has positive terms, each at most z times the one before: no
 * cancellation, no overflow (G lies in [1, 1 / (1 - z)]), a known bound on
 * the remainder, and derivatives in P, Q and z summed in the same loop
 * (term by term), which give the analytic gradient.  It needs about
 * 37 / (1 - z) terms at worst: fast unless one of alpha, beta is far
 * smaller than the other and t_x is small beside it.
 *
 * Predictions (the note's (16) and (19)):
 *
 *	 P(alive) = 1 / (1 + s I (alpha + T)^(r + x) (beta + T)^s)
 *	 E[X(t) | x, t_x, T] = P(alive) (r + x) (beta + T) / ((alpha + T) (s - 1))
 *		 [1 - ((beta + T) / (beta + T + t))^(s - 1)]
 *
 * (for s = 1 the bracket over s - 1 is its limit ln((beta + T + t) / (beta + T))).
 *
 *-------------------------------------------------------------------------
 */
#include "pareto.h"

#include <math.h>

#define SERIES_MAX 1000000

/*
 * G = 2F1(1, P; P + Q; z) and, when d is not NULL, d[0..2] = dG/dP, dG/dQ,
 * dG/dz.  Term k is t_k = prod_{j<k} (P + j) / (P + Q + j) z.  *nterms
 * (if not NULL) gets the number of terms summed.
 */
static double
hyp_g(double P, double Q, double z, double *d, int *nterms)
{
	double		t = 1,
				g = 1,
				sp = 0,			/* sum_{j<k} 1/(P+j) - 1/(P+Q+j) */
				sq = 0,			/* sum_{j<k} -1/(P+Q+j) */
				gp = 0,
				gq = 0,
				gz = 0,
				v = 1;			/* c_{k+1} z^k, c_k = prod_{j<k} (P+j)/(P+Q+j) */
	double		zc = 1 - z;

	if (!(z >= 0 && z < 1))
		return NAN;
	for (int k = 0; k < SERIES_MAX; k++)
	{
		double		rho = (P + k) / (P + Q + k);

		if ((k & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		/* t_{k+1} = v z, and dG/dz gains (k + 1) c_{k+1} z^k */
		v = k == 0 ? rho : v * rho * z;
		gz += (k + 1) * v;
		sp += 1 / (P + k) - 1 / (P + Q + k);
		sq -= 1 / (P + Q + k);
		t = v * z;
		g += t;
		gp += t * sp;
		gq += t * sq;
		/* the rest is below t z / (1 - z), its derivatives' below that
		 * times (k + 2) / (1 - z) and the slowly growing sp, sq */
		if (t * (k + 2) <= 1e-17 * g * zc * zc || t == 0)
		{
			if (nterms)
				*nterms = k + 1;
			if (d)
			{
				d[0] = gp;
				d[1] = gq;
				d[2] = gz;
			}
			return g;
		}
	}
	if (nterms)
		*nterms = SERIES_MAX;
	return NAN;
}

double
pareto_hyp2f1(double P, double Q, double z)
{
	return hyp_g(P, Q, z, NULL, NULL);
}

/*
 * log H(y) and, when dh is not NULL, its gradient in (P, Q, M, m); *nterms
 * as hyp_g's.
 */
static double
log_h(double M, double m, double P, double Q, double y, double *dh, int *nterms)
{
	double		z = (M - m) / (M + y);
	double		d[3];
	double		g = hyp_g(P, Q, z, dh ? d : NULL, nterms);

	if (dh)
	{
		double		gz = d[2] / g;

		dh[0] = -log(M + y) + d[0] / g;
		dh[1] = -log(m + y) + d[1] / g;
		dh[2] = -P / (M + y) + gz * (m + y) / ((M + y) * (M + y));
		dh[3] = (1 - Q) / (m + y) - gz / (M + y);
	}
	return -P * log(M + y) + (1 - Q) * log(m + y) + log(g);
}

/* The (M, m, P, Q, A) of parameters p and x (see the top of the file). */
typedef struct ParetoForm
{
	bool		ab;				/* alpha >= beta */
	double		M,
				m,
				P,
				Q,
				A;
} ParetoForm;

static ParetoForm
pareto_form(const double *p, double x)
{
	ParetoForm	f;

	f.ab = p[1] >= p[3];
	f.M = f.ab ? p[1] : p[3];
	f.m = f.ab ? p[3] : p[1];
	f.P = f.ab ? p[0] + x : p[2] + 1;
	f.Q = f.ab ? p[2] + 1 : p[0] + x;
	f.A = p[0] + p[2] + x;
	return f;
}

/*
 * What the likelihood needs of one time y for a customer with x purchases:
 * yc[0] = log H(y), yc[1..4] its gradient in (P, Q, M, m) (when grad),
 * yc[5] = log(alpha + y), yc[6] = log(beta + y).  Returns its cost in point evaluations against the fit's budget: one,
 * and one more per 16 terms of the series.
 */
static double
pareto_yterms(const double *p, const double *xc, double x, double y, double *yc, bool grad)
{
	ParetoForm	f = pareto_form(p, x);
	int			nterms = 0;

	(void) xc;
	yc[0] = log_h(f.M, f.m, f.P, f.Q, y, grad ? yc + 1 : NULL, &nterms);
	yc[5] = log(p[1] + y);
	yc[6] = log(p[3] + y);
	return 1 + nterms / 16.0;
}

/*
 * log I from log H at t_x (h1) and at T (h2), each with its gradient in
 * (P, Q, M, m) after it when grad is not NULL; lA = log(r + s + x).
 */
static double
log_integral_from(const double *p, double x, double tx, double T, const double *h1,
				  const double *h2, double lA, double *grad)
{
	ParetoForm	f = pareto_form(p, x);
	double		e,
				em,
				li;

	if (!(T > tx))
	{
		if (grad)
			for (int k = 0; k < 4; k++)
				grad[k] = 0;
		return -INFINITY;
	}
	/* I = (H(t_x) - H(T)) / A = H(t_x) (1 - e^(h2 - h1)) / A */
	e = exp(h2[0] - h1[0]);
	em = -expm1(h2[0] - h1[0]);
	li = h1[0] + log(em) - lA;
	if (grad)
	{
		double		dd[4];

		/* d log(H1 - H2) = (d h1 - e d h2) / (1 - e), in (P, Q, M, m) */
		for (int k = 0; k < 4; k++)
			dd[k] = (h1[1 + k] - e * h2[1 + k]) / em;
		grad[0] = (f.ab ? dd[0] : dd[1]) - 1 / f.A;	/* r */
		grad[1] = f.ab ? dd[2] : dd[3];	/* alpha */
		grad[2] = (f.ab ? dd[1] : dd[0]) - 1 / f.A;	/* s */
		grad[3] = f.ab ? dd[3] : dd[2];	/* beta */
	}
	return li;
}

double
pareto_log_integral(const double *params, double x, double tx, double T, double *grad)
{
	double		h1[7],
				h2[7];

	if (T > tx)
	{
		pareto_yterms(params, NULL, x, tx, h1, grad != NULL);
		pareto_yterms(params, NULL, x, T, h2, grad != NULL);
	}
	return log_integral_from(params, x, tx, T, h1, h2, log(params[0] + params[2] + x), grad);
}

/* x-terms: xc[0] lgamma(r + x) - lgamma(r), xc[1] its d/dr, xc[2..5] the
 * logarithms of alpha, beta, s and r + s + x */
static void
pareto_xterms(const double *p, double x, double *xc)
{
	xc[0] = lgamma(p[0] + x) - lgamma(p[0]);
	xc[1] = btyd_digamma(p[0] + x) - btyd_digamma(p[0]);
	xc[2] = log(p[1]);
	xc[3] = log(p[3]);
	xc[4] = log(p[2]);
	xc[5] = log(p[0] + p[2] + x);
}

static double
pareto_point(const double *p, const double *xc, const double *yc_tx, const double *yc_T,
			 const BtydPoint *pt, double *grad, double w)
{
	double		r = p[0],
				alpha = p[1],
				s = p[2],
				beta = p[3];
	double		x = pt->x,
				T = pt->T;
	double		la = yc_T[5],
				lb = yc_T[6];
	double		u1 = -(r + x) * la - s * lb;
	double		gi[4];
	double		u2 = xc[4] + log_integral_from(p, x, pt->tx, T, yc_tx, yc_T, xc[5], grad ? gi : NULL);
	double		hi = u1 > u2 ? u1 : u2;
	double		e1 = exp(u1 - hi),
				e2 = exp(u2 - hi);

	if (grad)
	{
		double		w1 = e1 / (e1 + e2),
					w2 = e2 / (e1 + e2);

		grad[0] += w * (xc[1] + xc[2] - w1 * la + w2 * gi[0]);
		grad[1] += w * (r / alpha - w1 * (r + x) / (alpha + T) + w2 * gi[1]);
		grad[2] += w * (xc[3] - w1 * lb + w2 * (1 / s + gi[2]));
		grad[3] += w * (s / beta - w1 * s / (beta + T) + w2 * gi[3]);
	}
	return xc[0] + r * xc[2] + s * xc[3] + hi + log(e1 + e2);
}

/* the series run once per distinct (x, t_x) and (x, T) pair, which
 * pareto_yterms charges against the budget */
const BtydLikelihood pareto_likelihood = {
	"Pareto/NBD", BGNBD_NPARAMS, pareto_xterms, pareto_yterms, 7, pareto_point, 1
};

double
pareto_loglik(const double *params, const BtydPoint *pt, double *grad)
{
	return btyd_likelihood_point(&pareto_likelihood, params, pt, grad);
}

bool
pareto_fit(const BtydPoint *pts, int64_t npts, double penalizer, BtydFit *fit, CoreError *err)
{
	return btyd_fit_likelihood(&pareto_likelihood, pts, npts, penalizer, fit, err);
}

double
pareto_p_alive(const double *p, double x, double tx, double T)
{
	double		li = pareto_log_integral(p, x, tx, T, NULL);
	double		lo = log(p[2]) + li + (p[0] + x) * log(p[1] + T) + p[2] * log(p[3] + T);

	return 1.0 / (1.0 + exp(lo));
}

double
pareto_expected_purchases_alive(const double *p, double x, double T, double t)
{
	double		r = p[0],
				alpha = p[1],
				s = p[2],
				beta = p[3];
	double		l = log1p(t / (beta + T));
	/* [1 - ((beta + T) / (beta + T + t))^(s - 1)] / (s - 1) */
	double		f = fabs(s - 1) < 1e-8 ? l * (1 - (s - 1) * l / 2)
		: -expm1(-(s - 1) * l) / (s - 1);

	return (r + x) * (beta + T) / (alpha + T) * f;
}
