/*
 * test_btyd.c
 *	  The BTYD core: analytic gradients against finite differences (BG/NBD and
 *	  Gamma-Gamma, from ordinary customers to frequency 1,000 and T 10,000),
 *	  the worked example of Fader, Hardie & Lee (2005), 2F1 against closed
 *	  forms, parameter recovery from simulated customers, and the errors.
 */
#include "btyd/btyd.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

/* a seeded uniform in (0, 1), and Gamma / Beta / exponential draws */
static uint64_t rng = UINT64_C(0x2545F4914F6CDD1D);

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

typedef double (*LogLik) (const double *params, const BtydPoint *pt, double *grad);

/* The largest relative gap between the analytic and a central-difference gradient. */
static double
gradient_gap(LogLik ll, int n, const double *params, const BtydPoint *pt)
{
	double		g[BTYD_MAX_PARAMS],
				worst = 0;

	ll(params, pt, g);
	for (int k = 0; k < n; k++)
	{
		double		p1[BTYD_MAX_PARAMS],
					p2[BTYD_MAX_PARAMS],
					h = 1e-6 * params[k],
					fd;

		memcpy(p1, params, sizeof(double) * n);
		memcpy(p2, params, sizeof(double) * n);
		p1[k] += h;
		p2[k] -= h;
		fd = (ll(p1, pt, NULL) - ll(p2, pt, NULL)) / (2 * h);
		worst = fmax(worst, fabs(fd - g[k]) / fmax(1, fabs(fd)));
	}
	return worst;
}

static void
gradient_checks(void)
{
	const double bg[][4] = {{0.243, 4.414, 0.793, 2.426}, {2.5, 0.3, 5.0, 0.7}, {0.05, 40, 0.2, 12}};
	const double gg[][3] = {{6.25, 3.74, 15.44}, {0.8, 12, 0.5}};
	const BtydPoint pts[] = {
		{0, 0, 38.86, 0, 1}, {2, 30.43, 38.86, 45.2, 1}, {1, 0.5, 1, 3, 1},
		{1000, 9990, 10000, 12.5, 1}, {37, 1.25, 200, 0.01, 1}};

	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 5; j++)
		{
			double		worst = gradient_gap(bgnbd_loglik, BGNBD_NPARAMS, bg[i], &pts[j]);

			CHECK(worst < 1e-6 && isfinite(bgnbd_loglik(bg[i], &pts[j], NULL)),
				  "BG/NBD gradient = finite differences, params %d, x %g T %g (%.2g)",
				  i, pts[j].x, pts[j].T, worst);
		}
	/* Gamma-Gamma needs x > 0: every point but the first */
	for (int i = 0; i < 2; i++)
		for (int j = 1; j < 5; j++)
		{
			double		worst = gradient_gap(gg_loglik, GG_NPARAMS, gg[i], &pts[j]);

			CHECK(worst < 1e-5, "Gamma-Gamma gradient = finite differences, params %d, x %g (%.2g)",
				  i, pts[j].x, worst);
		}
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 5; j++)
		{
			double		worst = gradient_gap(nbd_loglik, NBD_NPARAMS, bg[i], &pts[j]);

			CHECK(worst < 1e-6, "NBD gradient = finite differences, params %d, x %g T %g (%.2g)",
				  i, pts[j].x, pts[j].T, worst);
		}
}

/*
 * Customers who never drop out: purchases a Poisson process of rate
 * lambda ~ Gamma(r, 1/alpha), observed for T.
 */
static BtydPoint *
nbd_customers(const double *nbd, int n)
{
	BtydPoint  *pts = malloc(sizeof(BtydPoint) * n);

	for (int i = 0; i < n; i++)
	{
		double		lambda = gamma1(nbd[0]) / nbd[1],
					T = 20 + 60 * uni(),
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
		pts[i] = (BtydPoint) {x, tx, T, x > 0 ? 10 + uni() : 0, 1};
	}
	return pts;
}

/*
 * The boundary: S(b) of btyd.h against the slope of the BG/NBD likelihood
 * in a at a -> 0 by finite differences; no-dropout data fit at the
 * boundary with the NBD's parameters recovered; P(alive) 1 and the NBD's
 * expectation there.
 */
static void
boundary(void)
{
	const double nbd[2] = {2.0, 4.0};
	int			n = 50000;
	BtydPoint  *pts = nbd_customers(nbd, n);
	BtydFit		fit,
				nfit;
	CoreError	err;
	double		worst = 0;

	/* the slope S(b), on 2,000 customers, at the NBD's true parameters */
	for (int e = -2; e <= 8; e += 2)
	{
		double		b = pow(10, e / 2.0),
					a = 1e-7 * b,
					fd = 0,
					sb = btyd_dropout_slope(nbd, pts, 2000, b);

		for (int i = 0; i < 2000; i++)
			fd += (bgnbd_loglik((double[]) {nbd[0], nbd[1], a, b}, &pts[i], NULL) -
				   nbd_loglik(nbd, &pts[i], NULL)) / a;
		worst = fmax(worst, fabs(fd - sb) / fmax(1, fabs(sb)));
	}
	CHECK(worst < 1e-4, "S(b) = the slope of the BG/NBD log-likelihood in a at a = 0, b from 0.1 to 10^4 (%.2g)", worst);
	{
		double		b = 1e5,
					fd = 0,
					lim = btyd_dropout_slope(nbd, pts, 2000, INFINITY);

		for (int i = 0; i < 2000; i++)
			fd += (bgnbd_loglik((double[]) {nbd[0], nbd[1], 1e-2, b}, &pts[i], NULL) -
				   nbd_loglik(nbd, &pts[i], NULL)) / 1e-2 * b;
		CHECK(fabs(fd - lim) <= 1e-2 * fmax(1, fabs(lim)), "b S(b) -> sum (R - x) as b -> infinity (%g at b = 1e5, %g)", fd, lim);
	}

	if (!nbd_fit(pts, n, 0, &nfit, &err))
		CHECK(false, "NBD fit: %s %s", err.message, err.detail);
	else
	{
		double		gain = btyd_dropout_gain(nfit.params, pts, n),
					best = btyd_dropout_slope(nfit.params, pts, n, INFINITY) / n;

		for (int e = -8; e <= 20; e++)
		{
			double		b = pow(10, e / 2.0);

			best = fmax(best, btyd_dropout_slope(nfit.params, pts, n, b) * (b + 1) / n);
		}
		CHECK(fabs(gain - best) <= 1e-9 * fmax(1, fabs(best)),
			  "the dropout gain is the grouped maximum of S(b) over the grid (%g, %g)", gain, best);
		/* a few customers silent since their only repeat purchase make a
		 * tiny dropout pay at small b: the fit then runs BFGS, which ends
		 * at the boundary (checked below) */
		printf("# dropout gain of the simulated no-dropout customers: %g\n", gain);
	}

	if (!bgnbd_fit(pts, n, 0, &fit, &err))
		CHECK(false, "BG/NBD fit of no-dropout customers: %s %s", err.message, err.detail);
	else
	{
		bool		within = true;

		for (int k = 0; k < 2; k++)
		{
			printf("# NBD %d: true %g, fitted %g, se %g\n", k, nbd[k], fit.params[k], fit.se[k]);
			within &= fabs(fit.params[k] - nbd[k]) <= 3 * fit.se[k];
		}
		CHECK(fit.boundary && isnan(fit.params[2]) && isnan(fit.params[3]) && fit.converged,
			  "the BG/NBD fit of 50,000 no-dropout customers is at its boundary, a and b NaN");
		CHECK(within, "and recovers r and alpha within 3 standard errors");
		CHECK(fit.loglik == nfit.loglik, "its log-likelihood is the NBD's (%.6f)", fit.loglik);
		CHECK(bgnbd_p_alive(fit.params, 3, 1, 50) == 1, "P(alive) is 1 at the boundary, even long silent");
		CHECK_CLOSE(bgnbd_expected_purchases(fit.params, 3, 1, 50, 10),
					(fit.params[0] + 3) * 10 / (fit.params[1] + 50), 1e-15,
					"E[Y(t)] is the NBD's (r + x) t / (alpha + T)");
		CHECK_CLOSE(bgnbd_expected_purchases_new(fit.params, 10), fit.params[0] * 10 / fit.params[1], 1e-15,
					"and a new customer's r t / alpha");
	}

	/*
	 * Every buyer bought last at the end (t_x = T): R = 1, so S(b) <= 0 for
	 * every b (x = 1 gives 0, x >= 2 less): the first-order test alone
	 * returns the boundary.
	 */
	for (int i = 0; i < n; i++)
		if (pts[i].x > 0)
			pts[i].tx = pts[i].T;
	if (!nbd_fit(pts, n, 0, &nfit, &err))
		CHECK(false, "NBD fit: %s %s", err.message, err.detail);
	else
	{
		double		gain = btyd_dropout_gain(nfit.params, pts, n);

		CHECK(gain <= 0, "buyers whose last purchase is at T: no b at which dropout raises the likelihood (%g)", gain);
		CHECK(bgnbd_fit(pts, n, 0, &fit, &err) && fit.boundary && fit.loglik == nfit.loglik &&
			  fit.params[0] == nfit.params[0] && fit.params[1] == nfit.params[1] && fit.se[0] == nfit.se[0],
			  "so the BG/NBD fit is the NBD's, at the boundary");
	}
	free(pts);
}

static void
predictions(void)
{
	const double p[4] = {0.243, 4.414, 0.793, 2.426};
	bool		ok;
	double		e = bgnbd_expected_purchases(p, 2, 30.43, 38.86, 39);

	CHECK(fabs(e - 1.226) < 0.0005, "Fader, Hardie & Lee (2005): E[Y(39) | 2, 30.43, 38.86] = 1.226 (%.6f)", e);
	CHECK_CLOSE(btyd_hyp2f1(1, 1, 2, 0.5, &ok), -log(0.5) / 0.5, 1e-14, "2F1(1,1;2;z) = -ln(1-z)/z");
	CHECK_CLOSE(btyd_hyp2f1(0.5, 1, 1.5, 0.81, &ok), atanh(0.9) / 0.9, 1e-13, "2F1(1/2,1;3/2;z^2) = atanh(z)/z");
	CHECK(bgnbd_p_alive(p, 0, 0, 38) == 1, "P(alive) is 1 without repeat purchases");
	CHECK(bgnbd_p_alive(p, 2, 30.43, 38.86) > bgnbd_p_alive(p, 2, 10, 38.86),
		  "P(alive) falls with an older last purchase");
	e = bgnbd_expected_purchases(p, 1000, 9990, 10000, 52);
	CHECK(isfinite(e) && e > 0, "E[Y] finite at frequency 1,000 and T 10,000 (%g)", e);
	e = bgnbd_expected_purchases(p, 0, 0, 38.86, 39);
	CHECK(isfinite(e) && e > 0 && e < bgnbd_expected_purchases_new(p, 39),
		  "a customer silent for 39 weeks buys less than a new one");
	CHECK_CLOSE(gg_expected_spend((double[]) {6.25, 3.74, 15.44}, 0, 0), 6.25 * 15.44 / 2.74, 1e-14,
				"Gamma-Gamma without history: the population mean p gamma / (q - 1)");
}

static void
recovery(void)
{
	const double bg[4] = {0.243, 4.414, 0.793, 2.426};
	const double gg[3] = {6.25, 3.74, 15.44};
	int			n = 50000;
	BtydPoint  *pts = malloc(sizeof(BtydPoint) * n);
	BtydFit		fit;
	CoreError	err;

	for (int i = 0; i < n; i++)
	{
		double		lambda = gamma1(bg[0]) / bg[1];
		double		pa = gamma1(bg[2]),
					pb = gamma1(bg[3]),
					pdie = pa / (pa + pb);
		double		T = 30 + 9 * uni(),
					t = 0,
					x = 0,
					tx = 0,
					nu = gamma1(gg[1]) / gg[2],
					spend = 0;

		for (;;)
		{
			if (uni() < pdie && x > 0)
				break;			/* dies after a repeat purchase */
			t += -log(uni()) / lambda;
			if (t > T)
				break;
			x++;
			tx = t;
			spend += gamma1(gg[0]) / nu;
		}
		pts[i] = (BtydPoint) {x, tx, T, x > 0 ? spend / x : 0, 1};
	}
	if (bgnbd_fit(pts, n, 0, &fit, &err))
	{
		bool		within = true;

		for (int k = 0; k < 4; k++)
		{
			printf("# BG/NBD %d: true %g, fitted %g, se %g\n", k, bg[k], fit.params[k], fit.se[k]);
			within &= fabs(fit.params[k] - bg[k]) <= 3 * fit.se[k];
		}
		CHECK(within, "BG/NBD recovers every parameter within 3 standard errors (50,000 customers, %d iterations)",
			  fit.iterations);
		CHECK(!fit.boundary, "customers who drop out: the fit is not at the boundary");
	}
	else
		CHECK(false, "BG/NBD fit: %s %s", err.message, err.detail);
	if (gg_fit(pts, n, 0, &fit, &err))
	{
		bool		within = true;

		for (int k = 0; k < 3; k++)
		{
			printf("# Gamma-Gamma %d: true %g, fitted %g, se %g\n", k, gg[k], fit.params[k], fit.se[k]);
			within &= fabs(fit.params[k] - gg[k]) <= 3 * fit.se[k];
		}
		CHECK(within, "Gamma-Gamma recovers every parameter within 3 standard errors (%g customers)", fit.customers);
	}
	else
		CHECK(false, "Gamma-Gamma fit: %s %s", err.message, err.detail);

	/* nobody repeats: not identifiable */
	for (int i = 0; i < n; i++)
		pts[i].x = 0;
	CHECK(!bgnbd_fit(pts, n, 0, &fit, &err) && err.code == CORE_ERR_INVALID_PARAMETER,
		  "everyone at frequency 0: BG/NBD is not identifiable (%s)", err.message);
	CHECK(!gg_fit(pts, n, 0, &fit, &err), "no repeat spend: no Gamma-Gamma fit (%s)", err.message);
	CHECK(!bgnbd_fit(pts, n, -1, &fit, &err), "a negative penalizer is an error");
	free(pts);
}

int
main(void)
{
	gradient_checks();
	predictions();
	recovery();
	boundary();
	return unit_done();
}
