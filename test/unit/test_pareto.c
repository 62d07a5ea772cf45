/*
 * test_pareto.c
 *	  Pareto/NBD and MBG/NBD: the hypergeometric integral of the Pareto/NBD
 *	  likelihood against mpmath at 80 digits over alpha >= beta and
 *	  alpha < beta (test/unit/ref/pareto_mbgnbd.py computed the values),
 *	  gradients against central differences, both fits on the CDNOW sample
 *	  against the published parameters, the predictions against the
 *	  references, and parameter recovery from simulated customers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "btyd/mbgnbd.h"
#include "btyd/pareto.h"
#include "unit.h"

/* a seeded uniform in (0, 1), and Gamma draws (as test_btyd.c) */
static uint64_t rng = UINT64_C(0x9E3779B97F4A7C15);

static double
uni(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((rng >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double
normal(void)
{
	return sqrt(-2 * log(uni())) * cos(2 * M_PI * uni());
}

/* Gamma(shape k, scale 1), Marsaglia and Tsang */
static double
gamma1(double k)
{
	double		d,
				c;

	if (k < 1)
		return gamma1(k + 1) * pow(uni(), 1 / k);
	d = k - 1.0 / 3;
	c = 1 / sqrt(9 * d);
	for (;;)
	{
		double		x = normal(),
					v = 1 + c * x,
					u = uni();

		if (v <= 0)
			continue;
		v = v * v * v;
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

/* (r, alpha, s, beta, x, t_x, T, log I): test/unit/ref/pareto_mbgnbd.py,
 * mpmath.hyp2f1 of Fader & Hardie's closed forms, checked by quadrature */
static const double integral_ref[][8] = {
#include "ref/pareto_integral.inc"
};

/* Pareto/NBD at the CDNOW parameters of the BTYD walkthrough
 * (r, alpha, s, beta = 0.5534, 10.5802, 0.6061, 11.6562):
 * (x, t_x, T, t, P(alive), E[X(t) | x, t_x, T]), the same script */
static const double pareto_ref[][6] = {
#include "ref/pareto_predictions.inc"
};

/* MBG/NBD at BTYDplus's CDNOW parameters (0.525, 6.183, 0.891, 1.614):
 * (x, t_x, T, t, P(alive), E[X(t)], LL), the same script */
static const double mbg_ref[][7] = {
#include "ref/mbgnbd_predictions.inc"
};

/*
 * lifetimes' BetaGeoFitter, ParetoNBDFitter, ModifiedBetaGeoFitter and
 * GammaGammaFitter (commit 4f2833f), run with numpy standing in for
 * autograd: their predictions at the CDNOW parameters, and their own fits
 * of the CDNOW sample
 * (test/unit/ref/pareto_mbgnbd_lifetimes.py printed this file)
 */
#include "ref/pareto_mbgnbd_lifetimes.inc"

static void
integral(void)
{
	double		worst = 0;
	int			n = sizeof(integral_ref) / sizeof(*integral_ref);

	for (int i = 0; i < n; i++)
	{
		const double *c = integral_ref[i];
		double		li = pareto_log_integral(c, c[4], c[5], c[6], NULL);

		if (!(fabs(li - c[7]) <= 1e-12 * fmax(1, fabs(c[7]))))
			printf("# case %d: log I = %.17g, mpmath %.17g\n", i, li, c[7]);
		worst = fmax(worst, fabs(li - c[7]) / fmax(1, fabs(c[7])));
	}
	CHECK(worst <= 1e-12, "log I of %d cases (alpha >= beta and alpha < beta, z up to 0.99, x up to 500) within %.1e of mpmath",
		  n, worst);

	/* its gradient against central differences */
	worst = 0;
	for (int i = 0; i < n; i++)
	{
		const double *c = integral_ref[i];
		double		g[4];

		pareto_log_integral(c, c[4], c[5], c[6], g);
		for (int k = 0; k < 4; k++)
		{
			double		p1[4],
						p2[4],
						h = 1e-6 * c[k],
						fd;

			memcpy(p1, c, sizeof(p1));
			memcpy(p2, c, sizeof(p2));
			p1[k] += h;
			p2[k] -= h;
			fd = (pareto_log_integral(p1, c[4], c[5], c[6], NULL) -
				  pareto_log_integral(p2, c[4], c[5], c[6], NULL)) / (2 * h);
			worst = fmax(worst, fabs(fd - g[k]) / fmax(1, fabs(fd)));
		}
	}
	CHECK(worst < 1e-6, "the gradient of log I agrees with central differences (worst %.1e)", worst);

	CHECK(pareto_log_integral(integral_ref[0], 2, 30, 30, NULL) == -INFINITY,
		  "t_x = T: I = 0, log I = -inf");
	CHECK(fabs(pareto_hyp2f1(1.5, 0.7, 0) - 1) == 0 && isnan(pareto_hyp2f1(1.5, 0.7, 1)),
		  "G(0) = 1; z = 1 is outside the series (NaN)");
	/* 2F1(1, P; P + 1; z) = P z^-P B_z(P, 0) ... a closed form: P = 1,
	 * Q = 1: 2F1(1, 1; 2; z) = -ln(1 - z) / z */
	CHECK_CLOSE(pareto_hyp2f1(1, 1, 0.9), -log(0.1) / 0.9, 1e-14, "2F1(1, 1; 2; 0.9) = -ln(0.1) / 0.9");
	CHECK_CLOSE(pareto_hyp2f1(1, 1, 0.999), -log(0.001) / 0.999, 1e-13, "2F1(1, 1; 2; 0.999) = -ln(0.001) / 0.999");
	/* P = 2, Q = 1: 2F1(1, 2; 3; z) = 2 (-ln(1 - z) - z) / z^2 */
	CHECK_CLOSE(pareto_hyp2f1(2, 1, 0.5), 2 * (-log(0.5) - 0.5) / 0.25, 1e-14, "2F1(1, 2; 3; 0.5)");
}

typedef double (*LogLik) (const double *params, const BtydPoint *pt, double *grad);

static double
gradient_gap(LogLik ll, const double *params, const BtydPoint *pt)
{
	double		g[4],
				worst = 0;

	ll(params, pt, g);
	for (int k = 0; k < 4; k++)
	{
		double		p1[4],
					p2[4],
					h = 1e-6 * params[k],
					fd;

		memcpy(p1, params, sizeof(p1));
		memcpy(p2, params, sizeof(p2));
		p1[k] += h;
		p2[k] -= h;
		fd = (ll(p1, pt, NULL) - ll(p2, pt, NULL)) / (2 * h);
		worst = fmax(worst, fabs(fd - g[k]) / fmax(1, fabs(fd)));
	}
	return worst;
}

static void
gradients(void)
{
	static const double params[][4] = {
		{0.55, 10.58, 0.61, 11.67},	/* alpha < beta */
		{0.55, 11.67, 0.61, 10.58},	/* alpha > beta */
		{0.8, 5, 1.3, 5},		/* alpha = beta: z = 0 */
		{2.5, 0.3, 0.2, 40},
		{0.3, 40, 3, 0.5},
		{1, 1, 1, 1},			/* s = 1 */
	};
	static const BtydPoint pts[] = {
		{0, 0, 38.86, 0, 1}, {1, 1.71, 38.86, 0, 1}, {2, 30.43, 38.86, 0, 1},
		{26, 30.86, 31, 0, 1}, {7, 0.5, 52, 0, 1}, {120, 51.9, 52, 0, 1}, {3, 20, 20, 0, 1},
	};
	double		pw = 0,
				mw = 0;

	for (size_t i = 0; i < sizeof(params) / sizeof(*params); i++)
		for (size_t j = 0; j < sizeof(pts) / sizeof(*pts); j++)
		{
			double		gp = gradient_gap(pareto_loglik, params[i], &pts[j]),
						gm = gradient_gap(mbgnbd_loglik, params[i], &pts[j]);

			if (!(gp < 1e-6) || !isfinite(pareto_loglik(params[i], &pts[j], NULL)))
				printf("# Pareto/NBD params %zu point %zu: gap %g\n", i, j, gp);
			if (!(gm < 1e-6) || !isfinite(mbgnbd_loglik(params[i], &pts[j], NULL)))
				printf("# MBG/NBD params %zu point %zu: gap %g\n", i, j, gm);
			pw = fmax(pw, gp);
			mw = fmax(mw, gm);
		}
	CHECK(pw < 1e-6, "Pareto/NBD gradient = central differences at 42 (parameters, customer) pairs (worst %.1e)", pw);
	CHECK(mw < 1e-6, "MBG/NBD gradient = central differences at 42 pairs (worst %.1e)", mw);
}

/* the CDNOW sample (test/data), in weeks */
static BtydPoint *
cdnow(int *n)
{
	FILE	   *f = fopen("test/data/cdnow_customers_summary_with_transactions.csv", "r");
	BtydPoint  *pts = malloc(sizeof(BtydPoint) * 3000);
	char		line[256];

	*n = 0;
	if (f == NULL)
		return pts;
	if (fgets(line, sizeof(line), f) == NULL)	/* header */
		*n = 0;
	while (*n < 3000 && fgets(line, sizeof(line), f))
	{
		int			id;
		double		x,
					tx,
					T,
					m;

		if (sscanf(line, "%d,%lf,%lf,%lf,%lf", &id, &x, &tx, &T, &m) == 5)
			pts[(*n)++] = (BtydPoint) {x, tx, T, m, 1};
	}
	fclose(f);
	return pts;
}

static void
cdnow_fits(void)
{
	int			n;
	BtydPoint  *pts = cdnow(&n);
	BtydFit		fit;
	CoreError	err = {0};
	/* Fader & Hardie's published Pareto/NBD fit of the CDNOW sample */
	static const double pub[4] = {0.55, 10.58, 0.61, 11.67};
	/* BTYDplus's MBG/NBD fit of it (lifetimes' test_params_out_is_close_to_BTYDplus) */
	static const double btydplus[4] = {0.525, 6.183, 0.891, 1.614};

	CHECK(n == 2357, "the CDNOW sample has 2,357 customers (%d read)", n);
	if (pareto_fit(pts, n, 0, &fit, &err))
	{
		bool		ok = true;

		for (int k = 0; k < 4; k++)
			ok &= fabs(fit.params[k] - pub[k]) <= 0.005;
		printf("# Pareto/NBD CDNOW: r %.6f alpha %.6f s %.6f beta %.6f LL %.4f (%d iterations)\n",
			   fit.params[0], fit.params[1], fit.params[2], fit.params[3], fit.loglik, fit.iterations);
		CHECK(ok, "Pareto/NBD on CDNOW: r = 0.55, alpha = 10.58, s = 0.61, beta = 11.67 to the published 2 decimals");
		CHECK(fabs(fit.loglik - -9595.0) <= 0.05, "and LL = -9595.0 (%.4f)", fit.loglik);
		CHECK(fit.converged && fit.se[0] > 0 && fit.se[3] > 0, "converged, with standard errors");
	}
	else
	{
		CHECK(false, "Pareto/NBD fit of CDNOW: %s %s", CORE_TEXT(err.message), CORE_TEXT(err.detail));
		core_error_free(&err);
	}
	if (mbgnbd_fit(pts, n, 0, &fit, &err))
	{
		bool		ok = true;

		for (int k = 0; k < 4; k++)
			ok &= fabs(fit.params[k] - btydplus[k]) <= 0.0005;
		printf("# MBG/NBD CDNOW: r %.6f alpha %.6f a %.6f b %.6f LL %.4f\n",
			   fit.params[0], fit.params[1], fit.params[2], fit.params[3], fit.loglik);
		CHECK(ok, "MBG/NBD on CDNOW: BTYDplus's r = 0.525, alpha = 6.183, a = 0.891, b = 1.614 to 3 decimals");
	}
	else
	{
		CHECK(false, "MBG/NBD fit of CDNOW: %s %s", CORE_TEXT(err.message), CORE_TEXT(err.detail));
		core_error_free(&err);
	}
	/* the total log-likelihood over the points equals the sum of the points' */
	{
		double		p[4] = {0.525, 6.183, 0.891, 1.614},
					sum = 0,
					tot = btyd_loglik_total(&mbgnbd_likelihood, p, pts, n, NULL);

		for (int i = 0; i < n; i++)
			sum += mbgnbd_loglik(p, &pts[i], NULL);
		CHECK_CLOSE(tot, sum, 1e-12, "btyd_loglik_total over the points is the sum of their log-likelihoods");
	}
	free(pts);
}

static void
predictions(void)
{
	static const double cd[4] = {0.5534, 10.5802, 0.6061, 11.6562};
	static const double mb[4] = {0.525, 6.183, 0.891, 1.614};
	double		worst = 0;

	for (size_t i = 0; i < sizeof(pareto_ref) / sizeof(*pareto_ref); i++)
	{
		const double *c = pareto_ref[i];
		double		pa = pareto_p_alive(cd, c[0], c[1], c[2]),
					e = pa * pareto_expected_purchases_alive(cd, c[0], c[2], c[3]);

		worst = fmax(worst, fmax(fabs(pa / c[4] - 1), fabs(e / c[5] - 1)));
	}
	CHECK(worst < 1e-12, "Pareto/NBD P(alive) and E[X(t)] of 5 customers within %.1e of mpmath", worst);
	/* the BTYD walkthrough (R package BTYD, page 8): P(alive | 26, 30.86, 31) = 0.9979 */
	CHECK(fabs(pareto_p_alive(cd, 26, 30.86, 31) - 0.9979) < 0.0005,
		  "the BTYD walkthrough's P(alive) = 0.9979 for x = 26, t_x = 30.86, T = 31");

	worst = 0;
	for (size_t i = 0; i < sizeof(mbg_ref) / sizeof(*mbg_ref); i++)
	{
		const double *c = mbg_ref[i];
		BtydPoint	pt = {c[0], c[1], c[2], 0, 1};
		double		pa = mbgnbd_p_alive(mb, c[0], c[1], c[2]),
					e = pa * mbgnbd_expected_purchases_alive(mb, c[0], c[2], c[3]),
					ll = mbgnbd_loglik(mb, &pt, NULL);

		worst = fmax(worst, fmax(fabs(pa / c[4] - 1), fmax(fabs(e / c[5] - 1), fabs(ll / c[6] - 1))));
	}
	CHECK(worst < 1e-12, "MBG/NBD P(alive), E[X(t)] and LL of 5 customers within %.1e of mpmath", worst);
	CHECK(mbgnbd_p_alive(mb, 0, 0, 1) < 1, "MBG/NBD: a customer without repeat purchases may have dropped out");
	/* s = 1: the limit ln((beta + T + t) / (beta + T)) */
	{
		double		p1[4] = {0.5, 10, 1, 12},
					p2[4] = {0.5, 10, 1 + 1e-7, 12};

		CHECK_CLOSE(pareto_expected_purchases_alive(p1, 3, 30, 52),
					(0.5 + 3) * (12 + 30) / (10 + 30.0) * log((12 + 30 + 52) / (12 + 30.0)), 1e-14,
					"Pareto/NBD E[X(t)] at s = 1 is the logarithmic limit");
		CHECK_CLOSE(pareto_expected_purchases_alive(p2, 3, 30, 52), pareto_expected_purchases_alive(p1, 3, 30, 52),
					1e-6, "and continuous through it");
	}
}

static double
rel_gap(double got, double want)
{
	return fabs(got - want) / fabs(want);
}

/* one model's three predictions, as lifetimes computes them */
typedef void (*LtPredict) (const double *params, const double *c, double out[3]);

static void
lt_pareto(const double *p, const double *c, double out[3])
{
	out[0] = pareto_p_alive(p, c[0], c[1], c[2]);
	out[1] = out[0] * pareto_expected_purchases_alive(p, c[0], c[2], c[3]);
	out[2] = pareto_p_alive(p, 0, 0, 0) * pareto_expected_purchases_alive(p, 0, 0, c[3]);
}

static void
lt_mbgnbd(const double *p, const double *c, double out[3])
{
	out[0] = mbgnbd_p_alive(p, c[0], c[1], c[2]);
	out[1] = out[0] * mbgnbd_expected_purchases_alive(p, c[0], c[2], c[3]);
	out[2] = mbgnbd_p_alive(p, 0, 0, 0) * mbgnbd_expected_purchases_alive(p, 0, 0, c[3]);
}

static void
lt_bgnbd(const double *p, const double *c, double out[3])
{
	out[0] = bgnbd_p_alive(p, c[0], c[1], c[2]);
	out[1] = bgnbd_expected_purchases(p, c[0], c[1], c[2], c[3]);
	out[2] = bgnbd_expected_purchases_new(p, c[3]);
}

/*
 * P(alive), E[X(t) | x, t_x, T] and a new customer's E[X(t)] (ours: the
 * conditional expectation at x = t_x = T = 0) of each row (x, t_x, T, t,
 * then lifetimes' three values) against lifetimes', to 1e-3 relative as
 * issue 17 asks; the worst gap is printed.
 */
static void
lt_check(const char *model, LtPredict predict, const double *params,
		 const double (*rows)[7], int n)
{
	double		worst = 0;

	for (int i = 0; i < n; i++)
	{
		const double *c = rows[i];
		double		v[3],
					gap;

		predict(params, c, v);
		gap = fmax(rel_gap(v[0], c[4]), fmax(rel_gap(v[1], c[5]), rel_gap(v[2], c[6])));
		if (!(gap <= 1e-3))
			printf("# %s (%g, %g, %g, %g): P(alive) %.17g, E %.17g, new %.17g; lifetimes %.17g %.17g %.17g\n",
				   model, c[0], c[1], c[2], c[3], v[0], v[1], v[2], c[4], c[5], c[6]);
		worst = fmax(worst, gap);
	}
	CHECK(worst <= 1e-3, "%s P(alive), E[X(t) | x, t_x, T] and E[X(t)] of %d customers equal lifetimes' to 1e-3 relative (worst %.1e)",
		  model, n, worst);
}

/*
 * Against lifetimes: the predictions of ten customers under each model, and
 * the CDNOW fits against lifetimes' fits of the same data.
 */
static void
lifetimes_compare(void)
{
	static const double cd[4] = {0.5534, 10.5802, 0.6061, 11.6562};
	static const double mb[4] = {0.525, 6.183, 0.891, 1.614};
	static const double bg[4] = {0.243, 4.414, 0.793, 2.426};
	int			n = sizeof(lt_pareto_predictions) / sizeof(*lt_pareto_predictions);
	BtydPoint  *pts;
	BtydFit		fit;
	CoreError	err = {0};

	lt_check("BG/NBD", lt_bgnbd, bg, lt_bgnbd_predictions,
			 sizeof(lt_bgnbd_predictions) / sizeof(*lt_bgnbd_predictions));
	lt_check("Pareto/NBD", lt_pareto, cd, lt_pareto_predictions, n);
	lt_check("MBG/NBD", lt_mbgnbd, mb, lt_mbgnbd_predictions,
			 sizeof(lt_mbgnbd_predictions) / sizeof(*lt_mbgnbd_predictions));

	pts = cdnow(&n);

	/*
	 * BG/NBD and Gamma-Gamma on CDNOW: Fader, Hardie & Lee (2005)'s
	 * r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4; Fader &
	 * Hardie's Gamma-Gamma note: p = 6.25, q = 3.74, gamma = 15.44; and
	 * lifetimes' fits of the same data
	 */
	if (bgnbd_fit(pts, n, 0, &fit, &err))
	{
		static const double pub[4] = {0.243, 4.414, 0.793, 2.426};
		bool		ok = fabs(fit.loglik - -9582.4) <= 0.05;
		double		gap = 0,
					segap = 0;

		for (int k = 0; k < 4; k++)
		{
			ok &= fabs(fit.params[k] - pub[k]) <= 0.0005;
			gap = fmax(gap, rel_gap(fit.params[k], lt_bgnbd_fit[k]));
			segap = fmax(segap, rel_gap(fit.se[k], lt_bgnbd_fit[4 + k]));
		}
		printf("# BG/NBD CDNOW: ours %.6f %.6f %.6f %.6f LL %.6f; lifetimes %.6f %.6f %.6f %.6f LL %.6f\n",
			   fit.params[0], fit.params[1], fit.params[2], fit.params[3], fit.loglik,
			   lt_bgnbd_fit[0], lt_bgnbd_fit[1], lt_bgnbd_fit[2], lt_bgnbd_fit[3], lt_bgnbd_fit[8]);
		CHECK(ok, "BG/NBD on CDNOW: the published r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 to 3 decimals, LL = -9582.4 (%.4f)",
			  fit.loglik);
		CHECK(gap <= 1e-3 && segap <= 1e-2 && fit.loglik >= lt_bgnbd_fit[8] - 1e-6 && fit.loglik - lt_bgnbd_fit[8] < 0.01,
			  "BG/NBD on CDNOW: parameters within 1e-3 relative of lifetimes' fit (worst %.1e), standard errors within 1e-2 (%.1e)",
			  gap, segap);
	}
	else
	{
		CHECK(false, "BG/NBD fit of CDNOW: %s %s", CORE_TEXT(err.message), CORE_TEXT(err.detail));
		core_error_free(&err);
	}
	if (gg_fit(pts, n, 0, &fit, &err))
	{
		static const double pub[3] = {6.25, 3.74, 15.44};
		static const double spend[4][2] = {{1, 10}, {2, 22.35}, {6, 43.5}, {30, 150}};
		bool		ok = true;
		double		gap = 0,
					segap = 0,
					sgap = 0;

		for (int k = 0; k < 3; k++)
		{
			ok &= fabs(fit.params[k] - pub[k]) <= 0.01;
			gap = fmax(gap, rel_gap(fit.params[k], lt_gg_fit[k]));
			segap = fmax(segap, rel_gap(fit.se[k], lt_gg_fit[3 + k]));
		}
		for (int i = 0; i < 4; i++)
			sgap = fmax(sgap, rel_gap(gg_expected_spend(fit.params, spend[i][0], spend[i][1]), lt_gg_spend[i]));
		printf("# Gamma-Gamma CDNOW: ours %.6f %.6f %.6f; lifetimes %.6f %.6f %.6f\n",
			   fit.params[0], fit.params[1], fit.params[2], lt_gg_fit[0], lt_gg_fit[1], lt_gg_fit[2]);
		/* the note's gamma = 15.44 is 15.4477 truncated (lifetimes: 15.4477 too) */
		CHECK(ok, "Gamma-Gamma on CDNOW: the published p = 6.25, q = 3.74, gamma = 15.44 within 0.01 (%.4f %.4f %.4f)",
			  fit.params[0], fit.params[1], fit.params[2]);
		CHECK(gap <= 1e-3 && segap <= 1e-2 && sgap <= 1e-3,
			  "Gamma-Gamma on CDNOW: parameters (%.1e), standard errors (%.1e) and E[M | x, m] of 4 customers (%.1e) as lifetimes'",
			  gap, segap, sgap);
	}
	else
	{
		CHECK(false, "Gamma-Gamma fit of CDNOW: %s %s", CORE_TEXT(err.message), CORE_TEXT(err.detail));
		core_error_free(&err);
	}

	for (int model = 0; model < 2; model++)
	{
		const char *name = model == 0 ? "Pareto/NBD" : "MBG/NBD";
		const double *lt = model == 0 ? lt_pareto_fit : lt_mbgnbd_fit;
		bool		ok = model == 0 ? pareto_fit(pts, n, 0, &fit, &err) : mbgnbd_fit(pts, n, 0, &fit, &err);
		double		gap = 0,
					segap = 0;

		if (!ok)
		{
			CHECK(false, "%s fit of CDNOW: %s %s", name, CORE_TEXT(err.message), CORE_TEXT(err.detail));
			core_error_free(&err);
			continue;
		}
		for (int k = 0; k < 4; k++)
		{
			gap = fmax(gap, rel_gap(fit.params[k], lt[k]));
			if (lt[4 + k] > 0)
				segap = fmax(segap, rel_gap(fit.se[k], lt[4 + k]));
		}
		printf("# %s CDNOW: ours %.6f %.6f %.6f %.6f LL %.6f; lifetimes %.6f %.6f %.6f %.6f LL %.6f\n", name,
			   fit.params[0], fit.params[1], fit.params[2], fit.params[3], fit.loglik, lt[0], lt[1], lt[2], lt[3], lt[8]);
		CHECK(gap <= 1e-3 && fit.loglik >= lt[8] - 1e-6 && fit.loglik - lt[8] < 0.01,
			  "%s on CDNOW: every parameter within 1e-3 relative of lifetimes' fit (worst %.1e), LL %.6f, lifetimes' %.6f",
			  name, gap, fit.loglik, lt[8]);
		if (model == 1)
			CHECK(segap <= 1e-2, "%s on CDNOW: standard errors within 1e-2 relative of lifetimes' (worst %.1e)",
				  name, segap);
	}
	free(pts);
}

/*
 * Customers simulated from each model (seeded), observed for 30 to 39
 * weeks; every parameter recovered within 3 standard errors.
 */
static void
recovery(void)
{
	const double pp[4] = {0.55, 10.58, 0.61, 11.67};
	const double mp[4] = {0.525, 6.183, 0.891, 1.614};
	int			n = 50000;
	BtydPoint  *pts = malloc(sizeof(BtydPoint) * n);
	BtydFit		fit;
	CoreError	err = {0};

	for (int model = 0; model < 2; model++)
	{
		const double *p = model == 0 ? pp : mp;
		const char *name = model == 0 ? "Pareto/NBD" : "MBG/NBD";
		bool		ok,
					within = true;

		for (int i = 0; i < n; i++)
		{
			double		lambda = gamma1(p[0]) / p[1],
						T = 30 + 9 * uni(),
						t = 0,
						x = 0,
						tx = 0;

			if (model == 0)
			{
				/* alive until an exponential time of rate mu ~ Gamma(s, beta) */
				double		mu = gamma1(p[2]) / p[3],
							death = -log(uni()) / mu;

				for (;;)
				{
					t += -log(uni()) / lambda;
					if (t > T || t > death)
						break;
					x++;
					tx = t;
				}
			}
			else
			{
				/* drops out at time 0 and after each purchase with p ~ Beta(a, b) */
				double		ga = gamma1(p[2]),
							gb = gamma1(p[3]),
							pdie = ga / (ga + gb);

				for (;;)
				{
					if (uni() < pdie)
						break;
					t += -log(uni()) / lambda;
					if (t > T)
						break;
					x++;
					tx = t;
				}
			}
			pts[i] = (BtydPoint) {x, tx, T, 0, 1};
		}
		ok = model == 0 ? pareto_fit(pts, n, 0, &fit, &err) : mbgnbd_fit(pts, n, 0, &fit, &err);
		if (!ok)
		{
			CHECK(false, "%s fit of simulated customers: %s %s", name, CORE_TEXT(err.message), CORE_TEXT(err.detail));
			core_error_free(&err);
			continue;
		}
		for (int k = 0; k < 4; k++)
		{
			printf("# %s %d: true %g, fitted %g, se %g\n", name, k, p[k], fit.params[k], fit.se[k]);
			within &= fabs(fit.params[k] - p[k]) <= 3 * fit.se[k];
		}
		CHECK(within, "%s recovers every parameter within 3 standard errors (50,000 customers, %d iterations)",
			  name, fit.iterations);
	}
	/*
	 * Customers who never drop out (the NBD, r = 2, alpha = 4): both fits
	 * end at the edge, dropout near 0, r and alpha the NBD's, P(alive) 1.
	 */
	for (int i = 0; i < 20000; i++)
	{
		double		lambda = gamma1(2) / 4,
					T = floor(30 + 70 * uni()),
					t = 0,
					x = 0,
					tx = 0;

		for (;;)
		{
			t += -log(uni()) / lambda;
			if (t > T)
				break;
			x++;
			tx = t;
		}
		pts[i] = (BtydPoint) {x, floor(tx), T, 0, 1};
	}
	for (int model = 0; model < 2; model++)
	{
		const char *name = model == 0 ? "Pareto/NBD" : "MBG/NBD";
		bool		ok = model == 0 ? pareto_fit(pts, 20000, 0, &fit, &err) : mbgnbd_fit(pts, 20000, 0, &fit, &err);
		double		pa = model == 0 ? pareto_p_alive(fit.params, 3, 10, 90) : mbgnbd_p_alive(fit.params, 3, 10, 90);

		printf("# %s without dropout: %g %g %g %g, P(alive | 3, 10, 90) = %g\n", name,
			   fit.params[0], fit.params[1], fit.params[2], fit.params[3], pa);
		CHECK(ok && fabs(fit.params[0] / 2 - 1) < 0.05 && fabs(fit.params[1] / 4 - 1) < 0.05 &&
			  fit.params[2] < 1e-4 && pa > 0.999,
			  "%s on 20,000 customers who never drop out: r, alpha near 2, 4, dropout near 0, P(alive) near 1 (%s)",
			  name, CORE_TEXT(err.message));
		if (!ok)
			core_error_free(&err);
	}

	/* nobody repeats: not identifiable */
	for (int i = 0; i < n; i++)
		pts[i].x = pts[i].tx = 0;
	CHECK(!pareto_fit(pts, n, 0, &fit, &err) && err.code == CORE_ERR_INVALID_PARAMETER &&
		  strstr(CORE_TEXT(err.message), "Pareto/NBD"),
		  "everyone at frequency 0: Pareto/NBD is not identifiable (%s)", CORE_TEXT(err.message));
	core_error_free(&err);
	free(pts);
}

/*
 * The budget counts what yterms reports: a model whose per-(x, y) terms
 * report a cost (the NBD, log(alpha + T) as its y-term) fits as nbd_fit
 * when they are cheap, and ends not converged, within the budget plus half,
 * when a single evaluation would cost more than the whole budget.
 */
static double costly_units;
static long costly_calls;

static double
costly_yterms(const double *p, const double *xc, double x, double y, double *yc, bool grad)
{
	(void) xc;
	(void) x;
	(void) grad;
	costly_calls++;
	yc[0] = log(p[1] + y);
	return costly_units;
}

static double
costly_point(const double *p, const double *xc, const double *yc_tx, const double *yc_T,
			 const BtydPoint *pt, double *grad, double w)
{
	double		r = p[0],
				alpha = p[1],
				x = pt->x;

	(void) xc;
	(void) yc_tx;
	if (grad)
	{
		grad[0] += w * (btyd_digamma(r + x) - btyd_digamma(r) + log(alpha) - yc_T[0]);
		grad[1] += w * (r / alpha - (r + x) / (alpha + pt->T));
	}
	return lgamma(r + x) - lgamma(r) + r * log(alpha) - (r + x) * yc_T[0];
}

static void
bounded_cost(void)
{
	static const BtydLikelihood costly = {"costly NBD", NBD_NPARAMS, NULL, costly_yterms, 1,
	costly_point, 1};
	int			n = 5000;
	BtydPoint  *pts = malloc(sizeof(BtydPoint) * n);
	BtydFit		fit,
				nbd;
	CoreError	err = {0},
				err2 = {0};
	bool		ok,
				nok;

	/* NBD customers (r = 2, alpha = 4) observed for 5,000 distinct T */
	for (int i = 0; i < n; i++)
	{
		double		T = 10 + i * 0.01;
		double		lambda = gamma1(2) / 4;
		int			x = 0;

		for (double t = -log(uni()) / lambda; t < T; t += -log(uni()) / lambda)
			x++;
		pts[i] = (BtydPoint) {x, x > 0 ? T / 2 : 0, T, 0, 1};
	}
	costly_units = 0.25;
	ok = btyd_fit_likelihood(&costly, pts, n, 0, &fit, &err);
	nok = nbd_fit(pts, n, 0, &nbd, &err2);
	CHECK(ok && nok && fabs(fit.params[0] / nbd.params[0] - 1) < 1e-6 &&
		  fabs(fit.params[1] / nbd.params[1] - 1) < 1e-6,
		  "a likelihood with y-terms fits as nbd_fit (r %g, alpha %g against %g, %g)",
		  fit.params[0], fit.params[1], nbd.params[0], nbd.params[1]);
	if (!ok)
		core_error_free(&err);
	if (!nok)
		core_error_free(&err2);
	/* each distinct T costs 10^4: one evaluation, 5 * 10^7, is over budget */
	costly_units = 1e4;
	costly_calls = 0;
	ok = btyd_fit_likelihood(&costly, pts, n, 0, &fit, &err);
	CHECK(!ok && err.code == CORE_ERR_NOT_CONVERGED && strstr(CORE_TEXT(err.detail), "evaluations"),
		  "a fit whose y-terms cost more than the budget ends not converged (%s %s)",
		  CORE_TEXT(err.message), CORE_TEXT(err.detail));
	CHECK(costly_calls * costly_units <= 1.5 * BTYD_FIT_BUDGET + costly_units,
		  "within the budget and a half: %ld y-terms of 10^4", costly_calls);
	if (!ok)
		core_error_free(&err);
	free(pts);
}

int
main(void)
{
	integral();
	gradients();
	cdnow_fits();
	predictions();
	lifetimes_compare();
	recovery();
	bounded_cost();
	return unit_done();
}
