/*-------------------------------------------------------------------------
 *
 * bgbb.c
 *	  BG/BB: likelihood, gradient, fit and predictions (see bgbb.h).
 *
 * Fader, Hardie & Shang (2010), eq. 5: with lB(u, v) = log B(u, v),
 *
 *	 L(alpha, beta, gamma, delta | x, t_x, n)
 *	   = B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n)/B(gamma, delta)
 *	   + sum over i = 0 .. n-t_x-1 of
 *		 B(alpha+x, beta+t_x-x+i)/B(alpha, beta) B(gamma+1, delta+t_x+i)/B(gamma, delta)
 *
 * The first term is the customer alive through all n opportunities; term i
 * of the sum, the customer dying at the start of opportunity t_x+i+1.
 * Consecutive terms of the sum differ by the factor
 *
 *	 (beta+t_x-x+i)/(alpha+beta+t_x+i) * (delta+t_x+i)/(gamma+delta+t_x+i+1)
 *
 * (B(u, v+1) = B(u, v) v/(u+v)), which is below 1: the terms fall, the
 * first is the largest, and the sum runs in linear scale relative to the
 * larger of it and the first term, with no lgamma or digamma per term; the
 * gradient of each term's log is the first's plus the factors' logarithmic
 * derivatives.  A tail that cannot change the sum in double precision is
 * cut.
 *
 * Predictions (eqs. 8, 11, 13) use the sum of survival probabilities
 *
 *	 sum over t = n0+1 .. n0+k of B(gamma, delta+t)/B(gamma, delta)
 *	   = Gamma(gamma+delta)/Gamma(delta) (f(n0) - f(n0+k)) / (gamma-1),
 *	 f(t) = Gamma(1+delta+t)/Gamma(gamma+delta+t),
 *
 * the paper's closed form, summed term by term instead where gamma is
 * within 0.01 of 1 (where the closed form divides a cancellation by
 * gamma - 1).
 *
 *-------------------------------------------------------------------------
 */
#include "bgbb.h"

#include <float.h>
#include <math.h>
#include <string.h>

/*
 * A fit that did not converge with alpha + beta or gamma + delta above this
 * is at a boundary (see bgbb_fit).
 */
#define BOUNDARY_SUM 1e4

/* log B(u, v) */
static double
lbeta(double u, double v)
{
	return lgamma(u) + lgamma(v) - lgamma(u + v);
}

bool
bgbb_check(double x, double tx, double n, CoreError *err)
{
	if (!(isfinite(x) && isfinite(tx) && isfinite(n) &&
		  x == floor(x) && tx == floor(tx) && n == floor(n)))
	{
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "invalid BG/BB summary (%s, %s, %s)", CORE_G(x), CORE_G(tx), CORE_G(n));
		core_detail(err, "The frequency, recency and opportunities must be whole numbers.");
		return false;
	}
	if (!(x >= 0 && x <= tx && tx <= n && n <= BGBB_MAX_N) || (x == 0 && tx != 0))
	{
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "invalid BG/BB summary (%s, %s, %s)", CORE_G(x), CORE_G(tx), CORE_G(n));
		core_detail(err, "A summary needs 0 <= frequency <= recency <= opportunities <= %s, and recency 0 when frequency is 0.",
					CORE_INT(BGBB_MAX_N));
		return false;
	}
	return true;
}

bool
bgbb_check_params(const double *p, CoreError *err)
{
	for (int k = 0; k < BGBB_NPARAMS; k++)
		if (!(isfinite(p[k]) && p[k] > 0))
			return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
							 "invalid BG/BB model: alpha, beta, gamma and delta must be finite and above 0");
	return true;
}

double
bgbb_loglik(const double *p, const BgbbPoint *pt, double *grad)
{
	double		a = p[0],
				b = p[1],
				g = p[2],
				d = p[3];
	double		x = pt->x,
				k = pt->tx,
				n = pt->n;
	double		dab = btyd_digamma(a + b),
				dgd = btyd_digamma(g + d),
				da = btyd_digamma(a),
				db = btyd_digamma(b),
				dd = btyd_digamma(d),
				dax = btyd_digamma(a + x);
	double		c = -lbeta(a, b) - lbeta(g, d);
	/* the alive term: log and gradient of its log */
	double		lA = lbeta(a + x, b + n - x) + lbeta(g, d + n) + c;
	double		gA[4];
	/* the first dying term */
	double		l0,
				gi[4],
				gsum[4] = {0, 0, 0, 0};
	double		M,
				eA,
				ei,
				s;
	int64_t		terms = (int64_t) (n - k);

	if (grad)
	{
		double		dabn = btyd_digamma(a + b + n),
					dgdn = btyd_digamma(g + d + n);

		gA[0] = dax - dabn - da + dab;
		gA[1] = btyd_digamma(b + n - x) - dabn - db + dab;
		gA[2] = dgd - dgdn;
		gA[3] = btyd_digamma(d + n) - dgdn - dd + dgd;
	}
	if (terms <= 0)
	{
		if (grad)
			memcpy(grad, gA, sizeof(gA));
		return lA;
	}
	l0 = lbeta(a + x, b + k - x) + lbeta(g + 1, d + k) + c;
	if (grad)
	{
		double		dabk = btyd_digamma(a + b + k),
					dgdk1 = btyd_digamma(g + d + k + 1);

		gi[0] = dax - dabk - da + dab;
		gi[1] = btyd_digamma(b + k - x) - dabk - db + dab;
		gi[2] = btyd_digamma(g + 1) - dgdk1 - btyd_digamma(g) + dgd;
		gi[3] = btyd_digamma(d + k) - dgdk1 - dd + dgd;
	}
	M = lA > l0 ? lA : l0;
	eA = exp(lA - M);
	ei = exp(l0 - M);
	s = eA;
	for (int64_t i = 0; i < terms; i++)
	{
		double		u = b + k - x + i,
					v = a + b + k + i,
					y = d + k + i,
					z = g + d + k + i + 1;

		if ((i & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		s += ei;
		if (grad)
			for (int j = 0; j < 4; j++)
				gsum[j] += ei * gi[j];
		/* the rest of the terms, each at most ei, cannot change s */
		if (ei * (double) (terms - i) < DBL_EPSILON / 4 * s)
			break;
		ei *= u / v * (y / z);
		if (grad)
		{
			gi[0] -= 1 / v;
			gi[1] += 1 / u - 1 / v;
			gi[2] -= 1 / z;
			gi[3] += 1 / y - 1 / z;
		}
	}
	if (grad)
		for (int j = 0; j < 4; j++)
			grad[j] = (eA * gA[j] + gsum[j]) / s;
	return M + log(s);
}

/* ---------------------------------------------------------------------
 * The fit
 * ---------------------------------------------------------------------
 */
typedef struct BgbbData
{
	const BgbbPoint *pts;
	int64_t		npts;
} BgbbData;

static double
bgbb_total(void *arg, const double *params, double *grad)
{
	BgbbData   *data = arg;
	double		ll = 0,
				g[BGBB_NPARAMS];

	if (grad)
		memset(grad, 0, sizeof(double) * BGBB_NPARAMS);
	for (int64_t i = 0; i < data->npts; i++)
	{
		const BgbbPoint *pt = &data->pts[i];

		if ((i & 0x3FF) == 0x3FF)
			core_check_interrupts();
		ll += pt->w * bgbb_loglik(params, pt, grad ? g : NULL);
		if (grad)
			for (int j = 0; j < BGBB_NPARAMS; j++)
				grad[j] += pt->w * g[j];
	}
	return ll;
}

bool
bgbb_fit(const BgbbPoint *pts, int64_t npts, double penalizer, BtydFit *fit, CoreError *err)
{
	BgbbData	data = {pts, npts};
	BtydModelSpec spec;
	double		wsum = 0,
				cost = 0,
				wmulti = 0;

	memset(fit, 0, sizeof(*fit));
	for (int64_t i = 0; i < npts; i++)
	{
		if (!(pts[i].w > 0) || !bgbb_check(pts[i].x, pts[i].tx, pts[i].n, err))
		{
			if (!(pts[i].w > 0))
				return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
								 "invalid BG/BB point weight %s", CORE_G(pts[i].w));
			return false;
		}
		wsum += pts[i].w;
		/* 20 lgamma and digamma, then a few flops a term */
		cost += 1 + (pts[i].n - pts[i].tx) / 16;
		if (pts[i].n >= 2)
			wmulti += pts[i].w;
	}
	if (wsum == 0 || wmulti == 0)
	{
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "the BG/BB model is not identifiable from these customers");
		core_detail(err, wsum == 0 ? core_N_("There are no customers.")
					: core_N_("No customer has two or more opportunities."));
		return false;
	}
	spec.name = "BG/BB";
	spec.nparams = BGBB_NPARAMS;
	spec.customers = wsum;
	spec.cost = cost;
	spec.loglik = bgbb_total;
	spec.arg = &data;
	if (btyd_fit_model(&spec, penalizer, fit, err))
		return true;
	/*
	 * A fit that heads for alpha + beta or gamma + delta -> infinity is
	 * heading for a boundary of the parameter space, where every customer
	 * shares one transaction or one dropout probability (a beta
	 * distribution without spread); the BG/BB has no interior maximum
	 * there.  Say so rather than "did not converge".
	 */
	if (err->code == CORE_ERR_NOT_CONVERGED &&
		(fit->params[0] + fit->params[1] > BOUNDARY_SUM ||
		 fit->params[2] + fit->params[3] > BOUNDARY_SUM))
	{
		bool		p_side = fit->params[0] + fit->params[1] > BOUNDARY_SUM;
		const char *which = p_side ? "transaction" : "dropout";
		double		mean = p_side ? fit->params[0] / (fit->params[0] + fit->params[1])
			: fit->params[2] / (fit->params[2] + fit->params[3]);

		core_error_free(err);
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "the BG/BB fit is at a boundary: every customer appears to have the same %s probability",
				  which);
		core_detail(err, "The likelihood grows as the spread of the %s probability goes to 0 (alpha + beta = %s, gamma + delta = %s); its mean is about %s.",
					which, CORE_G(fit->params[0] + fit->params[1]),
					CORE_G(fit->params[2] + fit->params[3]), CORE_G(mean));
		core_hint(err, "Predict with the common probability in the detail: it is the model at this boundary.  A penalizer keeps the parameters finite but forces a spread the data do not show, and its predictions are biased.");
	}
	return false;
}

/* ---------------------------------------------------------------------
 * Predictions
 * ---------------------------------------------------------------------
 */

/* sum over t = n0+1 .. n0+k of B(gamma, delta+t)/B(gamma, delta) */
static double
survival_sum(double g, double d, double n0, double k)
{
	if (k <= 0)
		return 0;
	if (fabs(g - 1) < 0.01)
	{
		/* term by term: B(g, d+t+1)/B(g, d+t) = (d+t)/(g+d+t) */
		double		term = exp(lbeta(g, d + n0 + 1) - lbeta(g, d)),
					s = 0;

		for (int64_t t = 0; t < (int64_t) k; t++)
		{
			if ((t & 0xFFFF) == 0xFFFF)
				core_check_interrupts();
			s += term;
			term *= (d + n0 + 1 + t) / (g + d + n0 + 1 + t);
		}
		return s;
	}
	else
	{
		double		lf0 = lgamma(1 + d + n0) - lgamma(g + d + n0),
					lf1 = lgamma(1 + d + n0 + k) - lgamma(g + d + n0 + k);

		/* Gamma(g+d)/Gamma(d) f(n0) (1 - f(n0+k)/f(n0)) / (g - 1) */
		return exp(lgamma(g + d) - lgamma(d) + lf0) * -expm1(lf1 - lf0) / (g - 1);
	}
}

double
bgbb_alive_at(const double *p, double x, double tx, double n, double m)
{
	BgbbPoint	pt = {x, tx, n, 1};
	double		ll = bgbb_loglik(p, &pt, NULL);

	return exp(lbeta(p[0] + x, p[1] + n - x) - lbeta(p[0], p[1]) +
			   lbeta(p[2], p[3] + n + m) - lbeta(p[2], p[3]) - ll);
}

double
bgbb_purchases_next(const double *p, double x, double tx, double n, double nstar)
{
	BgbbPoint	pt = {x, tx, n, 1};
	double		ll = bgbb_loglik(p, &pt, NULL);

	if (nstar <= 0)
		return 0;
	return exp(lbeta(p[0] + x + 1, p[1] + n - x) - lbeta(p[0], p[1]) - ll) *
		survival_sum(p[2], p[3], n, nstar);
}

double
bgbb_purchases_first(const double *p, double n)
{
	return p[0] / (p[0] + p[1]) * survival_sum(p[2], p[3], 0, n);
}
