/*-------------------------------------------------------------------------
 *
 * sbg.c
 *	  The shifted-beta-geometric model: likelihood, gradient, fit and
 *	  projections (see sbg.h).
 *
 * Fader & Hardie (2007), eqs. 5-7: a customer who cancelled in period t
 * contributes log P(T = t), one still active after t renewals log S(t):
 *
 *	 log P(T = t) = lB(alpha+1, beta+t-1) - lB(alpha, beta)
 *	 log S(t)	 = lB(alpha, beta+t) - lB(alpha, beta)
 *
 * with lB the log of the beta function, whose derivatives are digamma
 * differences: d lB(u, v)/du = psi(u) - psi(u+v).  The paper's cohort
 * likelihood (the survivors of a cohort per period) is the same sum with
 * the customers lost in each period as weights.
 *
 *-------------------------------------------------------------------------
 */
#include "sbg.h"

#include <math.h>
#include <string.h>

static double
lbeta(double u, double v)
{
	return lgamma(u) + lgamma(v) - lgamma(u + v);
}

bool
sbg_check(double t, bool churned, CoreError *err)
{
	if (!(isfinite(t) && t == floor(t) && t >= (churned ? 1 : 0) && t <= SBG_MAX_T))
	{
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "invalid sBG period %s", CORE_G(t));
		core_detail(err, churned ? core_N_("A customer who cancelled did so in a period from 1 to 1000000000.")
					: core_N_("An active customer has made from 0 to 1000000000 renewals."));
		return false;
	}
	return true;
}

bool
sbg_check_params(const double *p, CoreError *err)
{
	if (!(isfinite(p[0]) && p[0] > 0 && isfinite(p[1]) && p[1] > 0))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "invalid sBG model: alpha and beta must be finite and above 0");
	return true;
}

double
sbg_loglik(const double *p, const SbgPoint *pt, double *grad)
{
	double		a = p[0],
				b = p[1],
				t = pt->t;

	if (pt->churned)
	{
		if (grad)
		{
			double		d = btyd_digamma(a + b) - btyd_digamma(a + b + t);

			grad[0] = 1 / a + d;
			grad[1] = btyd_digamma(b + t - 1) - btyd_digamma(b) + d;
		}
		return lbeta(a + 1, b + t - 1) - lbeta(a, b);
	}
	if (grad)
	{
		double		d = btyd_digamma(a + b) - btyd_digamma(a + b + t);

		grad[0] = d;
		grad[1] = btyd_digamma(b + t) - btyd_digamma(b) + d;
	}
	return lbeta(a, b + t) - lbeta(a, b);
}

typedef struct SbgData
{
	const SbgPoint *pts;
	int64_t		npts;
} SbgData;

static double
sbg_total(void *arg, const double *params, double *grad)
{
	SbgData    *data = arg;
	double		ll = 0,
				g[SBG_NPARAMS];

	if (grad)
		memset(grad, 0, sizeof(double) * SBG_NPARAMS);
	for (int64_t i = 0; i < data->npts; i++)
	{
		const SbgPoint *pt = &data->pts[i];

		if ((i & 0x3FFF) == 0x3FFF)
			core_check_interrupts();
		ll += pt->w * sbg_loglik(params, pt, grad ? g : NULL);
		if (grad)
		{
			grad[0] += pt->w * g[0];
			grad[1] += pt->w * g[1];
		}
	}
	return ll;
}

bool
sbg_fit(const SbgPoint *pts, int64_t npts, double penalizer, BtydFit *fit, CoreError *err)
{
	SbgData		data = {pts, npts};
	BtydModelSpec spec;
	double		wsum = 0,
				wchurn = 0,
				wstay = 0;

	memset(fit, 0, sizeof(*fit));
	for (int64_t i = 0; i < npts; i++)
	{
		if (!(pts[i].w > 0 && isfinite(pts[i].w)))
			return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
							 "invalid sBG point weight %s", CORE_G(pts[i].w));
		if (!sbg_check(pts[i].t, pts[i].churned, err))
			return false;
		wsum += pts[i].w;
		if (pts[i].churned)
			wchurn += pts[i].w;
		/* someone who renewed at least once */
		if (pts[i].t >= (pts[i].churned ? 2 : 1))
			wstay += pts[i].w;
	}
	if (wchurn == 0 || wstay == 0)
	{
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "the sBG model is not identifiable from these customers");
		core_detail(err, wsum == 0 ? core_N_("There are no customers.")
					: wchurn == 0 ? core_N_("No customer has cancelled.")
					: core_N_("No customer has renewed."));
		return false;
	}
	spec.name = "sBG";
	spec.nparams = SBG_NPARAMS;
	spec.customers = wsum;
	spec.cost = (double) npts;
	spec.loglik = sbg_total;
	spec.arg = &data;
	if (btyd_fit_model(&spec, penalizer, fit, err))
		return true;
	/*
	 * Heading for alpha + beta -> infinity: every customer churns with the
	 * same probability (the geometric model, the beta distribution without
	 * spread), which the sBG only reaches in the limit.  Say so, with the
	 * geometric model's estimate: the cancellations over the periods
	 * customers were exposed to the risk.
	 */
	if (err->code == CORE_ERR_NOT_CONVERGED && fit->params[0] + fit->params[1] > 1e4)
	{
		double		exposure = 0;

		for (int64_t i = 0; i < npts; i++)
			exposure += pts[i].w * pts[i].t;
		core_error_free(err);
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "the sBG fit is at its boundary: every customer appears to have the same churn probability");
		core_detail(err, "The likelihood grows as alpha + beta goes to infinity (%s): the churn probability has no spread, and the geometric model with churn probability %s (cancellations over periods at risk) fits as well.",
					CORE_G(fit->params[0] + fit->params[1]), CORE_G(wchurn / exposure));
		core_hint(err, "Predict with the geometric model in the detail: it is the model at this boundary.  A penalizer keeps the parameters finite but forces a spread the data do not show, and its predictions are biased.");
	}
	return false;
}

int64_t
sbg_cohort_points(const double *alive, int64_t nalive, SbgPoint *pts, CoreError *err)
{
	int64_t		n = 0;

	if (nalive < 3)
	{
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "an sBG cohort needs its size and the customers alive after at least 2 periods");
		return -1;
	}
	if (nalive - 1 > SBG_MAX_T)
	{
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1, "an sBG cohort has too many periods");
		return -1;
	}
	for (int64_t t = 0; t < nalive; t++)
	{
		if (!(isfinite(alive[t]) && alive[t] >= 0) || (t > 0 && alive[t] > alive[t - 1]))
		{
			core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
					  "invalid sBG cohort: %s customers alive after %s periods",
					  CORE_G(alive[t]), CORE_INT(t));
			core_detail(err, "The counts must be finite, at least 0 and never increase.");
			return -1;
		}
		if ((t & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		if (t > 0 && alive[t - 1] - alive[t] > 0)
		{
			pts[n].t = (double) t;
			pts[n].churned = true;
			pts[n].w = alive[t - 1] - alive[t];
			n++;
		}
	}
	if (alive[nalive - 1] > 0)
	{
		pts[n].t = (double) (nalive - 1);
		pts[n].churned = false;
		pts[n].w = alive[nalive - 1];
		n++;
	}
	return n;
}

double
sbg_survival_at(const double *p, double t)
{
	return exp(lbeta(p[0], p[1] + t) - lbeta(p[0], p[1]));
}

double
sbg_churn_at(const double *p, double t)
{
	return exp(lbeta(p[0] + 1, p[1] + t - 1) - lbeta(p[0], p[1]));
}

double
sbg_retention_at(const double *p, double t)
{
	return (p[1] + t - 1) / (p[0] + p[1] + t - 1);
}

double
sbg_derl_at(const double *p, double n, double d)
{
	bool		ok;
	double		F = btyd_hyp2f1(1, p[1] + n + 1, p[0] + p[1] + n + 1, 1 / (1 + d), &ok);

	if (!ok)
		return NAN;
	return (p[1] + n) / (p[0] + p[1] + n) * F;
}
