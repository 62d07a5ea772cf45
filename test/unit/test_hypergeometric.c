/*
 * test_hypergeometric.c
 *	  The hypergeometric terms of the BTYD models over their parameter
 *	  ranges (issue 17): btyd_hyp2f1 (BG/NBD's and MBG/NBD's expectations,
 *	  sBG's DERL) against closed forms of 2F1; the expectations and DERL
 *	  built on it, and Pareto/NBD's series G(P, Q, z) = 2F1(1, P; P+Q; z),
 *	  against mpmath at 40 digits (test/unit/ref/hypergeometric.py) and
 *	  against closed forms; BG/BB's sums of beta functions (the paper's
 *	  closed form, and the term-by-term sum near gamma = 1) against the sums
 *	  themselves in long double.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "btyd/bgbb.h"
#include "btyd/btyd.h"
#include "btyd/mbgnbd.h"
#include "btyd/pareto.h"
#include "btyd/sbg.h"
#include "unit.h"

#include "ref/hypergeometric.inc"

static double
rel(double got, double want)
{
	return fabs(got - want) / fmax(fabs(want), 1e-300);
}

/* worst relative gap of btyd_hyp2f1 over a family; counts failures to converge */
typedef struct Worst
{
	double		gap;
	int			cases;
	int			failed;
	double		at[4];
} Worst;

static void
note(Worst *w, double a, double b, double c, double z, double want, double scale)
{
	bool		ok;
	double		got = btyd_hyp2f1(a, b, c, z, &ok),
				gap = fabs(got - want) / fmax(fabs(want), scale);

	w->cases++;
	if (!ok)
		w->failed++;
	if (!(gap <= w->gap))
	{
		w->gap = gap;
		w->at[0] = a;
		w->at[1] = b;
		w->at[2] = c;
		w->at[3] = z;
	}
}

static void
report(const Worst *w, double tol, const char *family)
{
	if (!(w->gap <= tol) || w->failed)
		printf("# worst at 2F1(%g, %g; %g; %g)\n", w->at[0], w->at[1], w->at[2], w->at[3]);
	CHECK(w->gap <= tol && w->failed == 0, "btyd_hyp2f1 = %s over %d cases within %.0e (worst %.1e, %d not converged)",
		  family, w->cases, tol, w->gap, w->failed);
}

static void
closed_forms(void)
{
	static const double zs[] = {0.001, 0.1, 0.5, 0.9, 0.99, 0.999};
	static const double as[] = {-0.9, -0.3, 0.05, 0.5, 1, 2.7, 12, 150};
	static const double bs[] = {0.2, 1, 6.5, 80};
	Worst		w;
	bool		ok;

	/* 2F1(a, b; b; z) = (1 - z)^-a, both orders of a and b */
	memset(&w, 0, sizeof(w));
	for (size_t i = 0; i < sizeof(as) / sizeof(*as); i++)
		for (size_t j = 0; j < sizeof(bs) / sizeof(*bs); j++)
			for (size_t k = 0; k < sizeof(zs) / sizeof(*zs); k++)
			{
				double		want = pow(1 - zs[k], -as[i]);

				if (want > 1e250)
					continue;
				note(&w, as[i], bs[j], bs[j], zs[k], want, 0);
				note(&w, bs[j], as[i], bs[j], zs[k], want, 0);
			}
	report(&w, 1e-12, "(1 - z)^-a for 2F1(a, b; b; z), a from -0.9 to 150, z to 0.999");

	/* 2F1(a, a + 1/2; 1/2; y^2) = ((1 + y)^-2a + (1 - y)^-2a) / 2 */
	memset(&w, 0, sizeof(w));
	for (double a = 0.1; a < 9; a *= 1.7)
		for (size_t k = 0; k < sizeof(zs) / sizeof(*zs); k++)
		{
			double		y = sqrt(zs[k]);

			note(&w, a, a + 0.5, 0.5, zs[k], (pow(1 + y, -2 * a) + pow(1 - y, -2 * a)) / 2, 0);
		}
	/* (1 - y) rounds to 1e-13 relative at y^2 = 0.999, raised to -2a up to -15 */
	report(&w, 1e-11, "((1 + y)^-2a + (1 - y)^-2a) / 2 for 2F1(a, a + 1/2; 1/2; y^2)");

	/* 2F1(a, a + 1/2; 3/2; y^2) = ((1 + y)^(1-2a) - (1 - y)^(1-2a)) / (2 y (1 - 2a)) */
	memset(&w, 0, sizeof(w));
	for (double a = 0.13; a < 9; a *= 1.7)
		for (size_t k = 0; k < sizeof(zs) / sizeof(*zs); k++)
		{
			double		y = sqrt(zs[k]);

			note(&w, a, a + 0.5, 1.5, zs[k],
				 (pow(1 + y, 1 - 2 * a) - pow(1 - y, 1 - 2 * a)) / (2 * y * (1 - 2 * a)), 0);
		}
	report(&w, 1e-12, "((1 + y)^(1-2a) - (1 - y)^(1-2a)) / (2y(1 - 2a)) for 2F1(a, a + 1/2; 3/2; y^2)");

	/*
	 * 2F1(a, 1 - a; 3/2; sin^2 u) = sin((2a - 1) u) / ((2a - 1) sin u): one
	 * of a, 1 - a negative, terms of both signs; the gap is measured
	 * against max(1, |value|)
	 */
	memset(&w, 0, sizeof(w));
	for (double a = -3.3; a < 4.5; a += 0.7)
		for (double u = 0.1; u < 1.5; u += 0.35)
		{
			double		s = sin(u);

			note(&w, a, 1 - a, 1.5, s * s, sin((2 * a - 1) * u) / ((2 * a - 1) * s), 1);
		}
	report(&w, 1e-12, "sin((2a - 1) u) / ((2a - 1) sin u) for 2F1(a, 1 - a; 3/2; sin^2 u), a from -3.3 to 4.1");

	/* 2F1(1, 1; 2; z) = -ln(1 - z) / z and 2F1(1/2, 1/2; 3/2; y^2) = asin(y) / y, z to 0.9999 */
	memset(&w, 0, sizeof(w));
	for (double z = 0.0001; z < 0.99995; z = 1 - (1 - z) * 0.6)
	{
		note(&w, 1, 1, 2, z, -log1p(-z) / z, 0);
		note(&w, 0.5, 0.5, 1.5, z, asin(sqrt(z)) / sqrt(z), 0);
	}
	/* up to 370,000 terms at z = 0.9999: rounding accumulates past 1e-12 */
	report(&w, 1e-11, "-ln(1 - z) / z and asin(y) / y up to z = 0.9999");

	/* a series that cannot converge within its bound says so */
	btyd_hyp2f1(1, 1, 2, 1 - 1e-9, &ok);
	CHECK(!ok, "2F1(1, 1; 2; 1 - 1e-9) needs more than 10^6 terms: reported as not converged");
	CHECK(btyd_hyp2f1(-2, 3, 4, 0.5, &ok) == 1 - 2 * 3 / 4.0 * 0.5 + 3 * 4 / 20.0 * 0.25 && ok,
		  "2F1(-2, 3; 4; z) is the polynomial 1 - 3z/2 + 3z^2/5");
}

static void
expectations(void)
{
	int			n = sizeof(ref_expected) / sizeof(*ref_expected);
	double		worst_bg = 0,
				worst_mbg = 0;

	for (int i = 0; i < n; i++)
	{
		const double *c = ref_expected[i];
		double		p[4] = {c[0], c[1], c[2], c[3]},
					bg = bgnbd_expected_purchases_alive(p, c[4], c[5], c[6]),
					mbg = mbgnbd_expected_purchases_alive(p, c[4], c[5], c[6]);

		if (!(rel(bg, c[7]) <= 1e-10))
			printf("# BG/NBD (%g, %g, %g, %g) x %g T %g t %g: %.17g, mpmath %.17g\n",
				   c[0], c[1], c[2], c[3], c[4], c[5], c[6], bg, c[7]);
		if (!(rel(mbg, c[8]) <= 1e-10))
			printf("# MBG/NBD (%g, %g, %g, %g) x %g T %g t %g: %.17g, mpmath %.17g\n",
				   c[0], c[1], c[2], c[3], c[4], c[5], c[6], mbg, c[8]);
		worst_bg = fmax(worst_bg, rel(bg, c[7]));
		worst_mbg = fmax(worst_mbg, rel(mbg, c[8]));
	}
	CHECK(worst_bg <= 1e-10, "BG/NBD E[X(t) | alive] (Euler-transformed 2F1) = mpmath's untransformed 2F1 at %d points, a from 0.2 to 8, x to 500 (worst %.1e)",
		  n, worst_bg);
	CHECK(worst_mbg <= 1e-10, "MBG/NBD E[X(t) | alive] = mpmath's at the same %d points (worst %.1e)", n, worst_mbg);
}

static void
pareto_series(void)
{
	int			n = sizeof(ref_pareto_g) / sizeof(*ref_pareto_g);
	double		worst = 0;

	for (int i = 0; i < n; i++)
	{
		const double *c = ref_pareto_g[i];
		double		g = pareto_hyp2f1(c[0], c[1], c[2]);

		if (!(rel(g, c[3]) <= 1e-12))
			printf("# G(%g, %g, %g) = %.17g, mpmath %.17g\n", c[0], c[1], c[2], g, c[3]);
		worst = fmax(worst, rel(g, c[3]));
	}
	CHECK(worst <= 1e-12, "Pareto/NBD G(P, Q, z) = 2F1(1, P; P+Q; z) equals mpmath's at %d points, P and Q from 0.05 to 500, z to 0.999 (worst %.1e)",
		  n, worst);

	/* closed forms: P + Q = 1 gives (1 - z)^-P; P + Q = 2 gives (1 - (1 - z)^(1-P)) / ((1 - P) z) */
	worst = 0;
	for (double P = 0.05; P < 1; P += 0.15)
		for (double z = 0.01; z < 0.9995; z = 1 - (1 - z) * 0.5)
		{
			worst = fmax(worst, rel(pareto_hyp2f1(P, 1 - P, z), pow(1 - z, -P)));
			worst = fmax(worst, rel(pareto_hyp2f1(P, 2 - P, z), (1 - pow(1 - z, 1 - P)) / ((1 - P) * z)));
		}
	CHECK(worst <= 1e-12, "G(P, 1 - P, z) = (1 - z)^-P and G(P, 2 - P, z) = (1 - (1 - z)^(1-P)) / ((1 - P) z), z to 0.999 (worst %.1e)",
		  worst);
}

static void
derl(void)
{
	int			n = sizeof(ref_derl) / sizeof(*ref_derl);
	double		worst = 0;

	for (int i = 0; i < n; i++)
	{
		const double *c = ref_derl[i];
		double		q[2] = {c[0], c[1]},
					v = sbg_derl_at(q, c[2], c[3]);

		if (!(rel(v, c[4]) <= 1e-10))
			printf("# DERL (%g, %g) n %g d %g = %.17g, mpmath %.17g\n", c[0], c[1], c[2], c[3], v, c[4]);
		worst = fmax(worst, rel(v, c[4]));
	}
	CHECK(worst <= 1e-10, "sBG DERL = mpmath's 2F1 at %d points, alpha 0.1 to 30, n to 1,000, d from 0.0001 to 10 (worst %.1e)",
		  n, worst);
}

/*
 * BG/BB's sum of B(gamma, delta + k) / B(gamma, delta) over k = 1..n, in
 * a new customer's E[X(n)] = alpha / (alpha + beta) * sum: the code's
 * closed form (and its term-by-term sum within 0.01 of gamma = 1) against
 * the sum itself, term by term in long double from the ratio of
 * consecutive terms, (delta + k) / (gamma + delta + k).  Measured: 1e-9
 * relative at worst, where the closed form divides a difference of
 * Gamma-function ratios (exponentials of differences of lgamma near
 * 10^6 at n = 100,000, near 200 at delta = 60) by gamma - 1 just outside
 * the term-by-term band (gamma = 0.98, 1.011, 1.02); 2e-12 elsewhere at
 * n <= 100.
 */
static void
bgbb_sums(void)
{
	static const double gs[] = {0.05, 0.5, 0.98, 0.9901, 0.995, 1, 1.005, 1.0099, 1.011, 1.02, 3, 40};
	static const double ds[] = {0.1, 2.783, 60};
	static const double ns[] = {1, 6, 100, 10000, 100000};
	double		worst = 0,
				worst_small = 0;
	int			cases = 0;

	for (size_t i = 0; i < sizeof(gs) / sizeof(*gs); i++)
		for (size_t j = 0; j < sizeof(ds) / sizeof(*ds); j++)
			for (size_t k = 0; k < sizeof(ns) / sizeof(*ns); k++)
			{
				double		p[4] = {1.204, 0.75, gs[i], ds[j]};
				long double term = 1,
							sum = 0;
				double		want,
							got;

				for (long t = 1; t <= (long) ns[k]; t++)
				{
					term *= (ds[j] + t - 1) / (long double) (gs[i] + ds[j] + t - 1);
					sum += term;
				}
				want = (double) (sum * 1.204L / (1.204L + 0.75L));
				got = bgbb_purchases_first(p, ns[k]);
				if (!(rel(got, want) <= 1e-8))
					printf("# BG/BB gamma %g delta %g n %g: %.17g, the sum %.17g\n", gs[i], ds[j], ns[k], got, want);
				worst = fmax(worst, rel(got, want));
				if (ns[k] <= 100 && fabs(gs[i] - 1) > 0.1)
					worst_small = fmax(worst_small, rel(got, want));
				cases++;
			}
	CHECK(worst_small <= 1e-11, "BG/BB's sums of B(gamma, delta + k) = the sums within 1e-11 for n <= 100, gamma off 1 by more than 0.1 (worst %.1e)",
		  worst_small);
	CHECK(worst <= 1e-8, "BG/BB's sums of B(gamma, delta + k) (closed form, term by term near gamma = 1) = the sums at %d points, gamma 0.05 to 40, n to 100,000 (worst %.1e)",
		  cases, worst);
}

int
main(void)
{
	closed_forms();
	expectations();
	pareto_series();
	derl();
	bgbb_sums();
	return unit_done();
}
