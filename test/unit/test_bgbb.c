/*
 * test_bgbb.c
 *	  BG/BB (Fader, Hardie & Shang 2010) and the shifted-beta-geometric
 *	  model (Fader & Hardie 2007): analytic gradients against finite
 *	  differences; likelihoods and predictions against values computed
 *	  independently (test/unit/bgbb_reference.py: mpmath at 40 digits,
 *	  every term from beta functions) and against lifetimes 0.11.3's
 *	  BetaGeoBetaBinomFitter (test/unit/bgbb_lifetimes.py); the paper's
 *	  donations fit (test/data/donations.csv) and the sBG paper's two
 *	  cohorts against their published parameters; parameter recovery from
 *	  50,000 customers simulated from each model with a seeded generator.
 */
#include "btyd/bgbb.h"
#include "btyd/sbg.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * A seeded generator: uniform, normal, gamma, beta
 * ---------------------------------------------------------------------
 */
static uint64_t rng_state = UINT64_C(20100617);

static double
uniform(void)
{
	/* splitmix64, 53 bits in (0, 1) */
	uint64_t	z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	z ^= z >> 31;
	return ((z >> 11) + 0.5) / 9007199254740992.0;
}

static double
normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

/* Marsaglia & Tsang (2000); shape < 1 by Gamma(a+1) U^(1/a) */
static double
gamma_variate(double a)
{
	double		d,
				c;

	if (a < 1)
		return gamma_variate(a + 1) * pow(uniform(), 1 / a);
	d = a - 1.0 / 3;
	c = 1 / sqrt(9 * d);
	for (;;)
	{
		double		z = normal(),
					v = pow(1 + c * z, 3);

		if (v > 0 && log(uniform()) < z * z / 2 + d - d * v + d * log(v))
			return d * v;
	}
}

static double
beta_variate(double a, double b)
{
	double		x = gamma_variate(a);

	return x / (x + gamma_variate(b));
}

/* ---------------------------------------------------------------------
 * Gradients
 * ---------------------------------------------------------------------
 */
static void
test_gradients(void)
{
	int			bad_bgbb = 0,
				bad_sbg = 0;

	for (int c = 0; c < 400; c++)
	{
		double		p[4],
					g[4];
		BgbbPoint	pt;

		for (int k = 0; k < 4; k++)
			p[k] = 0.05 + 6 * uniform();
		pt.n = (double) (c % 3 == 0 ? unit_rand(400) : unit_rand(12));
		pt.tx = pt.n > 0 ? (double) unit_rand((uint32_t) pt.n + 1) : 0;
		pt.x = pt.tx > 0 ? 1 + (double) unit_rand((uint32_t) pt.tx) : 0;
		pt.w = 1;
		bgbb_loglik(p, &pt, g);
		for (int k = 0; k < 4; k++)
		{
			double		q1[4],
						q2[4],
						h = 1e-6 * p[k],
						fd;

			memcpy(q1, p, sizeof(q1));
			memcpy(q2, p, sizeof(q2));
			q1[k] += h;
			q2[k] -= h;
			fd = (bgbb_loglik(q1, &pt, NULL) - bgbb_loglik(q2, &pt, NULL)) / (2 * h);
			if (!(fabs(fd - g[k]) <= 1e-5 * fmax(1, fabs(fd))))
			{
				if (bad_bgbb++ < 5)
					printf("# BG/BB (%g,%g,%g) param %d: analytic %.10g, numeric %.10g\n",
						   pt.x, pt.tx, pt.n, k, g[k], fd);
			}
		}
	}
	CHECK(bad_bgbb == 0, "BG/BB gradient equals central differences at 400 random points and parameters (%d off)",
		  bad_bgbb);

	for (int c = 0; c < 400; c++)
	{
		double		p[2],
					g[2];
		SbgPoint	pt;

		p[0] = 0.05 + 6 * uniform();
		p[1] = 0.05 + 6 * uniform();
		pt.churned = c % 2;
		pt.t = (double) unit_rand(c % 5 == 0 ? 100000 : 20) + (pt.churned ? 1 : 0);
		pt.w = 1;
		sbg_loglik(p, &pt, g);
		for (int k = 0; k < 2; k++)
		{
			/*
			 * at t near 100,000 the log-likelihood is a difference of
			 * lgammas near 10^6, whose rounding a step of 10^-6 would
			 * magnify to 10^-4: a longer step there
			 */
			double		q1[2] = {p[0], p[1]},
						q2[2] = {p[0], p[1]},
						h = (pt.t > 1000 ? 1e-3 : 1e-6) * p[k],
						fd;

			q1[k] += h;
			q2[k] -= h;
			fd = (sbg_loglik(q1, &pt, NULL) - sbg_loglik(q2, &pt, NULL)) / (2 * h);
			if (!(fabs(fd - g[k]) <= 1e-5 * fmax(1, fabs(fd))))
			{
				if (bad_sbg++ < 5)
					printf("# sBG (t=%g, churned=%d) param %d: analytic %.10g, numeric %.10g\n",
						   pt.t, pt.churned, k, g[k], fd);
			}
		}
	}
	CHECK(bad_sbg == 0, "sBG gradient equals central differences at 400 random points and parameters (%d off)",
		  bad_sbg);
}

/* ---------------------------------------------------------------------
 * Likelihood and predictions against the references
 * ---------------------------------------------------------------------
 */

/*
 * At the paper's parameters (1.204, 0.750, 0.657, 2.783): log-likelihood,
 * P(alive) at n and n + 1, E[X(n, n+5)] and E[X(n, n+1)].  mpmath from
 * bgbb_reference.py; lifetimes from bgbb_lifetimes.py (which adds 1e-15 to
 * the likelihood's sum, hence its last digits).
 */
static const struct
{
	double		x,
				tx,
				n,
				ll,
				alive0,
				alive1,
				e5,
				e1;
	double		lt_alive0,
				lt_alive1,
				lt_e5,
				lt_e1;
}			bgbb_ref[] =
{
	{0, 0, 6, -1.1672624726738938, 0.11609661329298467, 0.10801658416867418, 0.072802877475043007, 0.016350511357692197,
	0.11609661329298412, 0.10801658416867374, 0.072802877475043451, 0.016350511357692134},
	{1, 1, 6, -2.2885316856662579, 0.074600068298967204, 0.06940809320654967, 0.085635398337870303, 0.019232516649136971,
	0.074600068298966329, 0.069408093206548879, 0.085635398337870053, 0.019232516649136725},
	{3, 5, 6, -5.6158947463614153, 0.82408851553679208, 0.76673404999572514, 1.8044259997945682, 0.40524892458914114,
	0.82408851553652063, 0.76673404999547257, 1.8044259997939913, 0.40524892458900752},
	{6, 6, 6, -2.1822484476182997, 1, 0.93040254237288134, 3.7521156075998148, 0.84267285834224759,
	0.99999999999998945, 0.93040254237287201, 3.7521156075998188, 0.84267285834224004},
	{2, 3, 10, -4.7797212670836533, 0.059862175462800947, 0.05693587715334706, 0.070046078729335604, 0.015260377312976742,
	0.059862175462792287, 0.056935877153338837, 0.070046078729333883, 0.015260377312976081},
	{5, 40, 60, -21.370241525863104, 0.39189493421627125, 0.38783637539249938, 0.19032596388126946, 0.038837474141057336,
	0.39189403698197511, 0.38783548745017982, 0.19032552813412387, 0.038837385223398947},
};

static void
test_bgbb_reference(void)
{
	double		pub[4] = {1.204, 0.750, 0.657, 2.783};
	double		worst = 0,
				worst_lt = 0;

	for (size_t i = 0; i < sizeof(bgbb_ref) / sizeof(bgbb_ref[0]); i++)
	{
		BgbbPoint	pt = {bgbb_ref[i].x, bgbb_ref[i].tx, bgbb_ref[i].n, 1};
		double		got[5] = {
			bgbb_loglik(pub, &pt, NULL),
			bgbb_alive_at(pub, pt.x, pt.tx, pt.n, 0),
			bgbb_alive_at(pub, pt.x, pt.tx, pt.n, 1),
			bgbb_purchases_next(pub, pt.x, pt.tx, pt.n, 5),
			bgbb_purchases_next(pub, pt.x, pt.tx, pt.n, 1)};
		double		ref[5] = {bgbb_ref[i].ll, bgbb_ref[i].alive0, bgbb_ref[i].alive1,
		bgbb_ref[i].e5, bgbb_ref[i].e1};
		double		lt[4] = {bgbb_ref[i].lt_alive0, bgbb_ref[i].lt_alive1,
		bgbb_ref[i].lt_e5, bgbb_ref[i].lt_e1};

		for (int k = 0; k < 5; k++)
			worst = fmax(worst, fabs(got[k] - ref[k]) / fabs(ref[k]));
		for (int k = 0; k < 4; k++)
			worst_lt = fmax(worst_lt, fabs(got[k + 1] - lt[k]) / fabs(lt[k]));
	}
	CHECK(worst <= 1e-11, "BG/BB log-likelihood, P(alive) and E[X(n, n+n*)] of 6 customers equal mpmath's to 1e-11 relative (worst %.3g)",
		  worst);
	CHECK(worst_lt <= 1e-3, "BG/BB P(alive) and E[X(n, n+n*)] equal lifetimes' to 1e-3 relative (worst %.3g)",
		  worst_lt);

	/* gamma near 1: the term-by-term sum */
	{
		double		p1[4] = {1.204, 0.750, 1.003, 2.783};

		CHECK_CLOSE(bgbb_purchases_next(p1, 2, 3, 6, 10), 0.57844990968319099, 1e-12,
					"E[X(n, n+10)] at gamma = 1.003 (summed term by term) equals mpmath's");
	}
	CHECK_CLOSE(bgbb_purchases_first(pub, 6), 2.2196313934872989, 1e-12,
				"a new customer's E[X(6)] (eq. 8) equals mpmath's");
}

/* Fader & Hardie (2007): survivors per 1,000 over years 0..12 */
static const double regular[] = {1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173};
static const double high_end[] = {1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394};

static void
test_sbg_reference(void)
{
	double		q[2] = {0.668, 3.806};
	SbgPoint	pts[13];
	BtydFit		fit;
	CoreError	err;
	int64_t		n;

	CHECK_CLOSE(sbg_survival_at(q, 5), 0.56186897556692639, 1e-12, "sBG S(5) equals mpmath's");
	CHECK_CLOSE(sbg_churn_at(q, 3), 0.077064709383479202, 1e-12, "sBG P(T = 3) equals mpmath's");
	CHECK_CLOSE(sbg_retention_at(q, 3), sbg_survival_at(q, 3) / sbg_survival_at(q, 2), 1e-13,
				"sBG r(3) = S(3)/S(2)");
	CHECK_CLOSE(sbg_derl_at(q, 0, 0.1), 5.4148560483740402, 1e-12,
				"sBG DERL after 0 renewals at d = 0.1 equals mpmath's sum of S(n+1+j)/S(n)/(1+d)^j");
	CHECK_CLOSE(sbg_derl_at(q, 4, 0.1), 6.8970573977460905, 1e-12,
				"sBG DERL after 4 renewals at d = 0.1 equals mpmath's");

	/*
	 * The paper fits years 1-7 of each cohort: regular alpha = 0.704, beta
	 * = 1.182; high end alpha = 0.668, beta = 3.806 (scipy on the same
	 * likelihood: 0.70408, 1.18204, LL -1680.2652; 0.66809, 3.80610, LL
	 * -1611.1581).
	 */
	n = sbg_cohort_points(regular, 8, pts, &err);
	CHECK(n == 8 && sbg_fit(pts, n, 0, &fit, &err), "sBG fits the regular cohort, years 1-7");
	CHECK(fabs(fit.params[0] - 0.704) <= 0.0005 && fabs(fit.params[1] - 1.182) <= 0.0005 &&
		  fabs(fit.loglik - -1680.2652) <= 1e-3,
		  "regular cohort: alpha %.5f, beta %.5f (paper 0.704, 1.182), LL %.4f (scipy -1680.2652)",
		  fit.params[0], fit.params[1], fit.loglik);
	n = sbg_cohort_points(high_end, 8, pts, &err);
	CHECK(n == 8 && sbg_fit(pts, n, 0, &fit, &err), "sBG fits the high-end cohort, years 1-7");
	CHECK(fabs(fit.params[0] - 0.668) <= 0.0005 && fabs(fit.params[1] - 3.806) <= 0.0005 &&
		  fabs(fit.loglik - -1611.1581) <= 1e-3,
		  "high-end cohort: alpha %.5f, beta %.5f (paper 0.668, 3.806), LL %.4f (scipy -1611.1581)",
		  fit.params[0], fit.params[1], fit.loglik);
	/* the projection of years 8-12 from the fit (scipy's: 460.44 .. 378.00) */
	CHECK(fabs(1000 * sbg_survival_at(fit.params, 8) - 460.44) <= 0.01 &&
		  fabs(1000 * sbg_survival_at(fit.params, 12) - 378.00) <= 0.01,
		  "high-end survivors projected for years 8 and 12: %.2f and %.2f (actual 468 and 394)",
		  1000 * sbg_survival_at(fit.params, 8), 1000 * sbg_survival_at(fit.params, 12));

	/* errors */
	{
		double		up[] = {1000, 600, 700};
		SbgPoint	one = {1, true, 10};

		CHECK(sbg_cohort_points(up, 3, pts, &err) < 0, "an increasing cohort is an error: %s",
			  CORE_TEXT(err.message));
		core_error_free(&err);
		CHECK(sbg_cohort_points(up, 2, pts, &err) < 0, "a cohort of one period is an error: %s",
			  CORE_TEXT(err.message));
		core_error_free(&err);
		CHECK(!sbg_fit(&one, 1, 0, &fit, &err) && err.code == CORE_ERR_INVALID_PARAMETER,
			  "nobody renewed: %s (%s)", CORE_TEXT(err.message), CORE_TEXT(err.detail));
		core_error_free(&err);
		CHECK(!sbg_check(0, true, &err), "cancelling in period 0 is an error: %s", CORE_TEXT(err.message));
		core_error_free(&err);
	}
}

static void
test_donations(void)
{
	FILE	   *f = fopen("test/data/donations.csv", "r");
	BgbbPoint	pts[64];
	int			n = 0;
	char		line[256];
	BtydFit		fit;
	CoreError	err;
	double		w = 0;

	CHECK(f != NULL, "test/data/donations.csv opens");
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	while (n < 64 && fgets(line, sizeof(line), f))
	{
		if (sscanf(line, "%lf,%lf,%lf,%lf", &pts[n].x, &pts[n].tx, &pts[n].n, &pts[n].w) == 4)
		{
			w += pts[n].w;
			n++;
		}
	}
	fclose(f);
	CHECK(n == 22 && w == 11104, "the donations data: 22 patterns of 11,104 donors (%d, %g)", n, w);
	CHECK(bgbb_fit(pts, n, 0, &fit, &err), "BG/BB fits the donations data");
	/* published: 1.204, 0.750, 0.657, 2.783, LL -33,225.6 */
	CHECK(fabs(fit.params[0] - 1.204) <= 0.0005 && fabs(fit.params[1] - 0.750) <= 0.0005 &&
		  fabs(fit.params[2] - 0.657) <= 0.0005 && fabs(fit.params[3] - 2.783) <= 0.0005 &&
		  fabs(fit.loglik - -33225.6) <= 0.05,
		  "donations: alpha %.4f beta %.4f gamma %.4f delta %.4f LL %.2f (paper 1.204, 0.750, 0.657, 2.783, -33225.6)",
		  fit.params[0], fit.params[1], fit.params[2], fit.params[3], fit.loglik);
	/* scipy's optimum of the same likelihood (bgbb_reference.py) */
	CHECK(fabs(fit.params[0] / 1.2035222669867383 - 1) <= 1e-4 &&
		  fabs(fit.params[1] / 0.7497163213945801 - 1) <= 1e-4 &&
		  fabs(fit.params[2] / 0.6567182208373928 - 1) <= 1e-4 &&
		  fabs(fit.params[3] / 2.7834423228228307 - 1) <= 1e-4 &&
		  fabs(fit.loglik - -33225.58127434699) <= 1e-5,
		  "donations: the same optimum as scipy's to 1e-4 relative, LL %.6f (scipy -33225.581274)", fit.loglik);
	CHECK(fit.se[0] > 0 && fit.se[3] > 0 && fit.converged, "standard errors %.4f %.4f %.4f %.4f",
		  fit.se[0], fit.se[1], fit.se[2], fit.se[3]);

	/* errors */
	CHECK(!bgbb_check(2, 1, 6, &err), "x above t_x: %s (%s)", CORE_TEXT(err.message), CORE_TEXT(err.detail));
	core_error_free(&err);
	CHECK(!bgbb_check(1, 1.5, 6, &err), "a fractional t_x: %s", CORE_TEXT(err.message));
	core_error_free(&err);
	CHECK(!bgbb_check(0, 0, BGBB_MAX_N + 1, &err), "too many opportunities: %s", CORE_TEXT(err.message));
	core_error_free(&err);
	{
		BgbbPoint	one = {1, 1, 1, 5};

		CHECK(!bgbb_fit(&one, 1, 0, &fit, &err), "a single opportunity: %s (%s)",
			  CORE_TEXT(err.message), CORE_TEXT(err.detail));
		core_error_free(&err);
	}
}

/* ---------------------------------------------------------------------
 * Parameter recovery
 * ---------------------------------------------------------------------
 */
#define SIM_CUSTOMERS 50000
#define SIM_MAXN 10

static void
test_bgbb_recovery(void)
{
	static double w[SIM_MAXN + 1][SIM_MAXN + 1][SIM_MAXN + 1];
	double		truth[4] = {1.2, 0.75, 0.66, 2.8};
	BgbbPoint  *pts = malloc(sizeof(BgbbPoint) * (SIM_MAXN + 1) * (SIM_MAXN + 1) * (SIM_MAXN + 1));
	int64_t		npts = 0;
	BtydFit		fit;
	CoreError	err;
	bool		within = true;

	memset(w, 0, sizeof(w));
	for (int c = 0; c < SIM_CUSTOMERS; c++)
	{
		double		p = beta_variate(truth[0], truth[1]),
					theta = beta_variate(truth[2], truth[3]);
		int			n = 4 + c % (SIM_MAXN - 3),
					x = 0,
					tx = 0;

		for (int t = 1; t <= n; t++)
		{
			if (uniform() < theta)
				break;			/* dies at the start of opportunity t */
			if (uniform() < p)
			{
				x++;
				tx = t;
			}
		}
		w[x][tx][n] += 1;
	}
	for (int x = 0; x <= SIM_MAXN; x++)
		for (int tx = 0; tx <= SIM_MAXN; tx++)
			for (int n = 0; n <= SIM_MAXN; n++)
				if (w[x][tx][n] > 0)
					pts[npts++] = (BgbbPoint) {x, tx, n, w[x][tx][n]};
	CHECK(bgbb_fit(pts, npts, 0, &fit, &err), "BG/BB fits 50,000 simulated customers (%lld points)",
		  (long long) npts);
	for (int k = 0; k < 4; k++)
	{
		if (!(fabs(fit.params[k] - truth[k]) <= 3 * fit.se[k]))
			within = false;
		printf("# BG/BB param %d: true %g, fitted %.4f, se %.4f\n", k, truth[k], fit.params[k], fit.se[k]);
	}
	CHECK(within, "BG/BB: every parameter within 3 standard errors of the truth");
	free(pts);
}

static void
test_sbg_recovery(void)
{
	static double w[14][2];
	double		truth[2] = {0.7, 1.2};
	SbgPoint	pts[28];
	int64_t		npts = 0;
	BtydFit		fit;
	CoreError	err;
	bool		within = true;

	memset(w, 0, sizeof(w));
	for (int c = 0; c < SIM_CUSTOMERS; c++)
	{
		double		theta = beta_variate(truth[0], truth[1]);
		int			k = 1 + c % 12,	/* renewals observed so far */
					t;

		for (t = 1; t <= k; t++)
			if (uniform() < theta)
				break;
		if (t <= k)
			w[t][1] += 1;		/* cancelled in period t */
		else
			w[k][0] += 1;		/* active after k renewals */
	}
	for (int t = 0; t < 14; t++)
		for (int ch = 0; ch < 2; ch++)
			if (w[t][ch] > 0)
				pts[npts++] = (SbgPoint) {t, ch, w[t][ch]};
	CHECK(sbg_fit(pts, npts, 0, &fit, &err), "sBG fits 50,000 simulated customers");
	for (int k = 0; k < 2; k++)
	{
		if (!(fabs(fit.params[k] - truth[k]) <= 3 * fit.se[k]))
			within = false;
		printf("# sBG param %d: true %g, fitted %.4f, se %.4f\n", k, truth[k], fit.params[k], fit.se[k]);
	}
	CHECK(within, "sBG: every parameter within 3 standard errors of the truth");
}


/*
 * Customers who all share one probability: the fits head for alpha + beta
 * -> infinity, and say so (a clear error, within the fit's budget).
 */
static void
test_boundaries(void)
{
	static double w[SIM_MAXN + 1][SIM_MAXN + 1][SIM_MAXN + 1];
	BgbbPoint  *pts = malloc(sizeof(BgbbPoint) * (SIM_MAXN + 1) * (SIM_MAXN + 1) * (SIM_MAXN + 1));
	int64_t		npts = 0;
	double		alive[13];
	SbgPoint	spts[14];
	BtydFit		fit;
	CoreError	err;
	bool		ok;

	memset(w, 0, sizeof(w));
	for (int c = 0; c < SIM_CUSTOMERS; c++)
	{
		int			n = 4 + c % (SIM_MAXN - 3),
					x = 0,
					tx = 0;

		for (int t = 1; t <= n; t++)
		{
			if (uniform() < 0.2)
				break;
			if (uniform() < 0.5)
			{
				x++;
				tx = t;
			}
		}
		w[x][tx][n] += 1;
	}
	for (int x = 0; x <= SIM_MAXN; x++)
		for (int tx = 0; tx <= SIM_MAXN; tx++)
			for (int n = 0; n <= SIM_MAXN; n++)
				if (w[x][tx][n] > 0)
					pts[npts++] = (BgbbPoint) {x, tx, n, w[x][tx][n]};
	ok = bgbb_fit(pts, npts, 0, &fit, &err);
	CHECK(!ok && err.code == CORE_ERR_INVALID_PARAMETER && strstr(CORE_TEXT(err.message), "boundary"),
		  "BG/BB over customers with one transaction and one dropout probability: %s (%s)",
		  CORE_TEXT(err.message), CORE_TEXT(err.detail));
	if (!ok)
		core_error_free(&err);
	CHECK(bgbb_fit(pts, npts, 0.001, &fit, &err), "the same with a penalizer of 0.001 fits");
	free(pts);

	/* a cohort that loses exactly 30% a period */
	alive[0] = 1000;
	for (int t = 1; t < 13; t++)
		alive[t] = alive[t - 1] * 0.7;
	npts = sbg_cohort_points(alive, 13, spts, &err);
	ok = sbg_fit(spts, npts, 0, &fit, &err);

	/*
	 * The optimizer either stops on the flat ridge towards the boundary
	 * (a churn probability with next to no spread: alpha / (alpha + beta)
	 * = 0.3, alpha + beta large) or reports the boundary.
	 */
	if (ok)
		CHECK(fabs(fit.params[0] / (fit.params[0] + fit.params[1]) - 0.3) < 1e-4 &&
			  fit.params[0] + fit.params[1] > 1e3,
			  "sBG over a cohort that loses 30%% a period: alpha %g, beta %g (mean 0.3, no spread)",
			  fit.params[0], fit.params[1]);
	else
		CHECK(err.code == CORE_ERR_INVALID_PARAMETER && strstr(CORE_TEXT(err.message), "boundary") &&
			  strstr(CORE_TEXT(err.detail), "churn probability 0.3 "),
			  "sBG over a cohort that loses 30%% a period: %s (%s)", CORE_TEXT(err.message),
			  CORE_TEXT(err.detail));
	if (!ok)
		core_error_free(&err);
}

int
main(void)
{
	test_gradients();
	test_bgbb_reference();
	test_sbg_reference();
	test_donations();
	test_bgbb_recovery();
	test_sbg_recovery();
	test_boundaries();
	return unit_done();
}
