/*-------------------------------------------------------------------------
 *
 * stats.c
 *	  Distributions, the tests behind the experiment result aggregates,
 *	  sample sizes and Benjamini-Hochberg adjustment.
 *
 * Algorithms, each written here from its published description:
 *	- normal CDF: 0.5 erfc(-z / sqrt 2) with C99's erfc;
 *	- normal quantile: Wichura (1988), Algorithm AS 241 (PPND16), Applied
 *	  Statistics 37(3), 477-484, accurate to about 1e-16;
 *	- Student's t CDF: through the regularized incomplete beta function,
 *	  P(|T| > t) = I_{df/(df+t^2)}(df/2, 1/2), the incomplete beta evaluated
 *	  by its continued fraction with the modified Lentz method (Press et al.,
 *	  Numerical Recipes, 3rd ed., section 6.4, eq. 6.4.5 and 6.4.6);
 *	- Student's t quantile: bisection on that CDF to full precision.
 * The tests (formulas in README, chapter "Experiments"):
 *	- conversions: two-proportion z-test with the pooled standard error;
 *	  interval for the difference by Newcombe's hybrid score method (method
 *	  10 of Newcombe 1998, Statistics in Medicine 17, 873-890), built from
 *	  Wilson score intervals; interval for the ratio by the log method (Katz
 *	  et al. 1978);
 *	- means: Welch's t-test with the Welch-Satterthwaite degrees of freedom;
 *	  the relative lift's interval by the delta method;
 *	- CUPED (Deng, Xu, Kohavi and Walker 2013): y - theta (x - mean x) with
 *	  theta = cov(y, x) / var(x) over all rows of the experiment, then Welch;
 *	- ratio metrics: the delta method for a ratio of means (Deng, Knoblich
 *	  and Lu 2018, section 3), normal intervals.
 *
 *-------------------------------------------------------------------------
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

double
stat_norm_cdf(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

/* Wichura (1988), AS 241 PPND16. */
double
stat_norm_quantile(double p)
{
	double		q,
				r,
				val;

	if (isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	if (p == 0.0)
		return -INFINITY;
	if (p == 1.0)
		return INFINITY;
	q = p - 0.5;
	if (fabs(q) <= 0.425)
	{
		r = 0.180625 - q * q;
		return q * (((((((2.5090809287301226727e+3 * r +
						  3.3430575583588128105e+4) * r +
						 6.7265770927008700853e+4) * r +
						4.5921953931549871457e+4) * r +
					   1.3731693765509461125e+4) * r +
					  1.9715909503065514427e+3) * r +
					 1.3314166789178437745e+2) * r +
					3.3871328727963666080e0) /
			(((((((5.2264952788528545610e+3 * r +
				   2.8729085735721942674e+4) * r +
				  3.9307895800092710610e+4) * r +
				 2.1213794301586595867e+4) * r +
				5.3941960214247511077e+3) * r +
			   6.8718700749205790830e+2) * r +
			  4.2313330701600911252e+1) * r + 1.0);
	}
	r = q < 0.0 ? p : 1.0 - p;
	r = sqrt(-log(r));
	if (r <= 5.0)
	{
		r -= 1.6;
		val = (((((((7.74545014278341407640e-4 * r +
					 2.27238449892691845833e-2) * r +
					2.41780725177450611770e-1) * r +
				   1.27045825245236838258e0) * r +
				  3.64784832476320460504e0) * r +
				 5.76949722146069140550e0) * r +
				4.63033784615654529590e0) * r +
			   1.42343711074968357734e0) /
			(((((((1.05075007164441684324e-9 * r +
				   5.47593808499534494600e-4) * r +
				  1.51986665636164571966e-2) * r +
				 1.48103976427480074590e-1) * r +
				6.89767334985100004550e-1) * r +
			   1.67638483018380384940e0) * r +
			  2.05319162663775882187e0) * r + 1.0);
	}
	else
	{
		r -= 5.0;
		val = (((((((2.01033439929228813265e-7 * r +
					 2.71155556874348757815e-5) * r +
					1.24266094738807843860e-3) * r +
				   2.65321895265761230930e-2) * r +
				  2.96560571828504891230e-1) * r +
				 1.78482653991729133580e0) * r +
				5.46378491116411436990e0) * r +
			   6.65790464350110377720e0) /
			(((((((2.04426310338993978564e-15 * r +
				   1.42151175831644588870e-7) * r +
				  1.84631831751005468180e-5) * r +
				 7.86869131145613259100e-4) * r +
				1.48753612908506148525e-2) * r +
			   1.36929880922735805310e-1) * r +
			  5.99832206555887937690e-1) * r + 1.0);
	}
	return q < 0.0 ? -val : val;
}

/*
 * The continued fraction of the incomplete beta function (Numerical
 * Recipes eq. 6.4.5), by the modified Lentz method; converges fast for
 * x < (a + 1) / (a + b + 2).
 */
static double
betacf(double a, double b, double x)
{
	const double tiny = 1e-300;
	const double eps = 1e-16;
	double		qab = a + b,
				qap = a + 1.0,
				qam = a - 1.0;
	double		c = 1.0,
				d = 1.0 - qab * x / qap,
				h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (int m = 1; m <= 10000; m++)
	{
		int			m2 = 2 * m;
		double		aa = m * (b - m) * x / ((qam + m2) * (a + m2));
		double		del;

		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) < eps)
			break;
	}
	return h;
}

/*
 * Stirling's series of lgamma without its (x - 1/2) log x - x + log(2 pi)/2
 * part (Abramowitz and Stegun 6.1.41), for x >= 100.
 */
static double
stirling_tail(double x)
{
	double		x2 = x * x;

	return (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - 1.0 / (1680.0 * x2)) / x2) / x2) / x;
}

/*
 * log B(a, b).  For b = 1/2 (Student's t) and large a, lgamma(a + 1/2) -
 * lgamma(a) loses digits to cancellation; there Stirling's series gives the
 * difference directly: 0.5 log a + a log1p(1/(2a)) - 1/2 + tail(a + 1/2) -
 * tail(a).
 */
static double
log_beta(double a, double b)
{
	if (a < b)
	{
		double		t = a;

		a = b;
		b = t;
	}
	if (b == 0.5 && a >= 100.0)
	{
		double		d = 0.5 * log(a) + a * log1p(0.5 / a) - 0.5 +
			stirling_tail(a + 0.5) - stirling_tail(a);

		/* log B = lgamma(a) + lgamma(1/2) - lgamma(a + 1/2) */
		return 0.5 * log(M_PI) - d;
	}
	return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/*
 * I_x(a, b) with y = 1 - x and log x, log y given, so that a caller who knows
 * them more precisely than 1 - x and log(x) (Student's t) keeps the digits.
 */
static double
incbeta_xy(double a, double b, double x, double y, double logx, double logy)
{
	double		front = exp(-log_beta(a, b) + a * logx + b * logy);

	if (x < (a + 1.0) / (a + b + 2.0))
		return front * betacf(a, b, x) / a;
	return 1.0 - front * betacf(b, a, y) / b;
}

/* The regularized incomplete beta function I_x(a, b), a, b > 0. */
double
stat_incbeta(double a, double b, double x)
{
	if (isnan(a) || isnan(b) || isnan(x) || a <= 0.0 || b <= 0.0)
		return NAN;
	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	return incbeta_xy(a, b, x, 1.0 - x, log(x), log1p(-x));
}

/*
 * P(T > t) for t >= 0: 0.5 I_x(df/2, 1/2) with x = df / (df + t^2), its
 * logarithms from log1p so that large df keeps full precision.
 */
static double
t_upper_tail(double t, double df)
{
	double		r = t * t / df;

	if (r == 0.0)
		return 0.5;
	return 0.5 * incbeta_xy(df / 2.0, 0.5, 1.0 / (1.0 + r), r / (1.0 + r),
							-log1p(r), log(r) - log1p(r));
}

/* P(T <= t) for Student's t with df > 0 degrees of freedom. */
double
stat_t_cdf(double t, double df)
{
	double		tail;

	if (isnan(t) || isnan(df) || df <= 0.0)
		return NAN;
	if (isinf(df))
		return stat_norm_cdf(t);
	if (isinf(t))
		return t > 0 ? 1.0 : 0.0;
	tail = t_upper_tail(fabs(t), df);
	return t > 0 ? 1.0 - tail : tail;
}

/* The t with P(T <= t) = p, by bisection on the upper tail. */
double
stat_t_quantile(double p, double df)
{
	double		lo,
				hi,
				tail;

	if (isnan(p) || isnan(df) || df <= 0.0 || p < 0.0 || p > 1.0)
		return NAN;
	if (isinf(df))
		return stat_norm_quantile(p);
	if (p == 0.5)
		return 0.0;
	if (p < 0.5)
		return -stat_t_quantile(1.0 - p, df);
	if (p == 1.0)
		return INFINITY;
	tail = 1.0 - p;
	lo = 0.0;
	hi = 1.0;
	while (t_upper_tail(hi, df) > tail)
	{
		lo = hi;
		hi *= 2.0;
		if (hi > 1e300)
			return INFINITY;
	}
	for (int i = 0; i < 2000; i++)
	{
		double		mid = 0.5 * (lo + hi);

		if (mid <= lo || mid >= hi)
			break;
		if (t_upper_tail(mid, df) > tail)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

void
exp_moments_add(ExpMoments *m, double y, double x)
{
	double		dx = x - m->mx;
	double		dy = y - m->my;

	m->n += 1.0;
	m->mx += dx / m->n;
	m->my += dy / m->n;
	m->sxx += dx * (x - m->mx);
	m->syy += dy * (y - m->my);
	m->sxy += dx * (y - m->my);
}

void
exp_moments_combine(ExpMoments *a, const ExpMoments *b)
{
	double		n = a->n + b->n;
	double		dx,
				dy,
				f;

	a->n_null += b->n_null;
	if (b->n == 0.0)
		return;
	if (a->n == 0.0)
	{
		double		nn = a->n_null;

		*a = *b;
		a->n_null = nn;
		return;
	}
	dx = b->mx - a->mx;
	dy = b->my - a->my;
	f = a->n * b->n / n;
	a->sxx += b->sxx + dx * dx * f;
	a->syy += b->syy + dy * dy * f;
	a->sxy += b->sxy + dx * dy * f;
	a->mx += dx * b->n / n;
	a->my += dy * b->n / n;
	a->n = n;
}

/* Wilson score interval of x successes in n (Newcombe 1998, method 3). */
static void
wilson(double x, double n, double z, double *lo, double *hi)
{
	double		z2 = z * z;
	double		centre = (x + z2 / 2.0) / (n + z2);
	double		half = z / (n + z2) * sqrt(x * (n - x) / n + z2 / 4.0);

	*lo = centre - half;
	*hi = centre + half;
	if (*lo < 0.0)
		*lo = 0.0;
	if (*hi > 1.0)
		*hi = 1.0;
}

static void
result_conversion(const ExpMoments *c, const ExpMoments *t, double alpha, ExpResult *r)
{
	double		z = stat_norm_quantile(1.0 - alpha / 2.0);
	double		x0 = round(c->my * c->n),
				x1 = round(t->my * t->n);
	double		p0 = x0 / c->n,
				p1 = x1 / t->n;
	double		pool = (x0 + x1) / (c->n + t->n);
	double		se = sqrt(pool * (1.0 - pool) * (1.0 / c->n + 1.0 / t->n));
	double		l0,
				u0,
				l1,
				u1;

	r->mean = p1;
	r->lift = p1 - p0;
	if (se > 0.0)
		r->p_value = 2.0 * stat_norm_cdf(-fabs(r->lift / se));
	wilson(x0, c->n, z, &l0, &u0);
	wilson(x1, t->n, z, &l1, &u1);
	r->lift_lower = r->lift - sqrt((p1 - l1) * (p1 - l1) + (u0 - p0) * (u0 - p0));
	r->lift_upper = r->lift + sqrt((u1 - p1) * (u1 - p1) + (p0 - l0) * (p0 - l0));
	if (x0 > 0.0)
	{
		r->rel = p1 / p0 - 1.0;
		if (x1 > 0.0)
		{
			double		sel = sqrt(1.0 / x1 - 1.0 / t->n + 1.0 / x0 - 1.0 / c->n);
			double		lr = log(p1 / p0);

			r->rel_lower = exp(lr - z * sel) - 1.0;
			r->rel_upper = exp(lr + z * sel) - 1.0;
		}
	}
}

/*
 * Welch's test of means m1 - m0 with variances of the means v1, v0 (s^2/n)
 * and df terms; the relative lift m1 / m0 - 1 by the delta method:
 * var(m1 / m0) = v1 / m0^2 + m1^2 v0 / m0^4.
 */
static void
result_welch(double m0, double v0, double n0, double m1, double v1, double n1,
			 double alpha, ExpResult *r)
{
	double		se = sqrt(v0 + v1);

	r->mean = m1;
	r->lift = m1 - m0;
	if (m0 != 0.0)
		r->rel = m1 / m0 - 1.0;
	if (!(se > 0.0) || !isfinite(se))
		return;
	{
		double		df = (v0 + v1) * (v0 + v1) /
			(v0 * v0 / (n0 - 1.0) + v1 * v1 / (n1 - 1.0));
		double		t = r->lift / se;
		double		q = stat_t_quantile(1.0 - alpha / 2.0, df);
		double		z = stat_norm_quantile(1.0 - alpha / 2.0);

		r->p_value = 2.0 * stat_t_cdf(-fabs(t), df);
		r->lift_lower = r->lift - q * se;
		r->lift_upper = r->lift + q * se;
		if (m0 != 0.0)
		{
			double		ser = sqrt(v1 / (m0 * m0) + m1 * m1 * v0 / (m0 * m0 * m0 * m0));

			r->rel_lower = r->rel - z * ser;
			r->rel_upper = r->rel + z * ser;
		}
	}
}

/* Delta-method variance of the ratio of means mean(y) / mean(x). */
static double
ratio_variance(const ExpMoments *m)
{
	double		n = m->n;
	double		vy = m->syy / (n - 1.0),
				vx = m->sxx / (n - 1.0),
				cxy = m->sxy / (n - 1.0);
	double		mx = m->mx,
				my = m->my;

	return (vy / (mx * mx) - 2.0 * my * cxy / (mx * mx * mx) +
			my * my * vx / (mx * mx * mx * mx)) / n;
}

static void
result_ratio(const ExpMoments *c, const ExpMoments *t, double alpha, ExpResult *r)
{
	double		z = stat_norm_quantile(1.0 - alpha / 2.0);
	double		r0,
				r1,
				v0,
				v1,
				se;

	if (c->mx == 0.0 || t->mx == 0.0)
		return;
	r0 = c->my / c->mx;
	r1 = t->my / t->mx;
	r->mean = r1;
	r->lift = r1 - r0;
	if (r0 != 0.0)
		r->rel = r1 / r0 - 1.0;
	if (c->n < 2.0 || t->n < 2.0)
		return;
	v0 = ratio_variance(c);
	v1 = ratio_variance(t);
	se = sqrt(v0 + v1);
	if (!(se > 0.0) || !isfinite(se))
		return;
	r->p_value = 2.0 * stat_norm_cdf(-fabs(r->lift / se));
	r->lift_lower = r->lift - z * se;
	r->lift_upper = r->lift + z * se;
	if (r0 != 0.0)
	{
		double		ser = sqrt(v1 / (r0 * r0) + r1 * r1 * v0 / (r0 * r0 * r0 * r0));

		r->rel_lower = r->rel - z * ser;
		r->rel_upper = r->rel + z * ser;
	}
}

void
exp_results(ExpMetric metric, int nvariants, const ExpMoments *m,
			double alpha, ExpResult *out)
{
	double		theta = NAN;
	ExpMoments	all = {0};

	if (metric == EXP_CUPED)
	{
		for (int i = 0; i < nvariants; i++)
			exp_moments_combine(&all, &m[i]);
		if (all.sxx > 0.0)
			theta = all.sxy / all.sxx;
		else
			theta = 0.0;
	}

	for (int i = 0; i < nvariants; i++)
	{
		ExpResult  *r = &out[i];
		const ExpMoments *c = &m[0];
		const ExpMoments *t = &m[i];

		r->variant = i;
		r->n = t->n;
		r->n_null = t->n_null;
		r->mean = r->lift = r->lift_lower = r->lift_upper = NAN;
		r->rel = r->rel_lower = r->rel_upper = r->p_value = NAN;
		r->var_reduction = NAN;

		if (t->n > 0.0)
		{
			switch (metric)
			{
				case EXP_CONVERSION:
					/* the exact count, not the running mean's rounding */
					r->mean = round(t->my * t->n) / t->n;
					break;
				case EXP_MEAN:
					r->mean = t->my;
					break;
				case EXP_CUPED:
					r->mean = t->my - theta * (t->mx - all.mx);
					if (t->syy > 0.0)
						r->var_reduction = 1.0 -
							(t->syy - 2.0 * theta * t->sxy + theta * theta * t->sxx) / t->syy;
					break;
				case EXP_RATIO:
					if (t->mx != 0.0)
						r->mean = t->my / t->mx;
					break;
			}
		}
		if (i == 0 || c->n == 0.0 || t->n == 0.0)
			continue;

		switch (metric)
		{
			case EXP_CONVERSION:
				result_conversion(c, t, alpha, r);
				break;
			case EXP_MEAN:
				if (c->n < 2.0 || t->n < 2.0)
				{
					r->lift = t->my - c->my;
					if (c->my != 0.0)
						r->rel = t->my / c->my - 1.0;
				}
				else
					result_welch(c->my, c->syy / (c->n - 1.0) / c->n, c->n,
								 t->my, t->syy / (t->n - 1.0) / t->n, t->n,
								 alpha, r);
				break;
			case EXP_CUPED:
				{
					double		m0 = c->my - theta * (c->mx - all.mx);
					double		m1 = t->my - theta * (t->mx - all.mx);

					if (c->n < 2.0 || t->n < 2.0)
					{
						r->lift = m1 - m0;
						if (m0 != 0.0)
							r->rel = m1 / m0 - 1.0;
					}
					else
					{
						double		s0 = c->syy - 2.0 * theta * c->sxy + theta * theta * c->sxx;
						double		s1 = t->syy - 2.0 * theta * t->sxy + theta * theta * t->sxx;

						if (s0 < 0.0)
							s0 = 0.0;
						if (s1 < 0.0)
							s1 = 0.0;
						result_welch(m0, s0 / (c->n - 1.0) / c->n, c->n,
									 m1, s1 / (t->n - 1.0) / t->n, t->n,
									 alpha, r);
					}
				}
				break;
			case EXP_RATIO:
				result_ratio(c, t, alpha, r);
				break;
		}
	}
}

static bool
check_design(double alpha, double power, double ratio, CoreError *err)
{
	if (!(alpha > 0.0 && alpha < 1.0))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "alpha must be between 0 and 1 (exclusive)");
	if (!(power > 0.0 && power < 1.0))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "power must be between 0 and 1 (exclusive)");
	if (!(ratio > 0.0 && isfinite(ratio)))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "ratio must be positive and finite");
	return true;
}

bool
exp_sample_size_proportion(double baseline, double mde, double alpha,
						   double power, double ratio, double *n1,
						   CoreError *err)
{
	double		p1 = baseline,
				p2 = baseline + mde;
	double		pbar,
				za,
				zb,
				a;

	if (!check_design(alpha, power, ratio, err))
		return false;
	if (!(baseline > 0.0 && baseline < 1.0))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "baseline_rate must be between 0 and 1 (exclusive)");
	if (!(mde != 0.0 && p2 > 0.0 && p2 < 1.0))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "minimum_detectable_effect must be non-zero and keep baseline_rate + minimum_detectable_effect between 0 and 1");
	pbar = (p1 + ratio * p2) / (1.0 + ratio);
	za = stat_norm_quantile(1.0 - alpha / 2.0);
	zb = stat_norm_quantile(power);
	a = za * sqrt(pbar * (1.0 - pbar) * (1.0 + 1.0 / ratio)) +
		zb * sqrt(p1 * (1.0 - p1) + p2 * (1.0 - p2) / ratio);
	*n1 = a * a / (mde * mde);
	return true;
}

bool
exp_sample_size_mean(double sd, double mde, double alpha, double power,
					 double ratio, double *n1, CoreError *err)
{
	double		z;

	if (!check_design(alpha, power, ratio, err))
		return false;
	if (!(sd > 0.0 && isfinite(sd)))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "the standard deviation must be positive and finite");
	if (!(mde != 0.0 && isfinite(mde)))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "minimum_detectable_effect must be non-zero and finite");
	z = stat_norm_quantile(1.0 - alpha / 2.0) + stat_norm_quantile(power);
	*n1 = z * z * sd * sd * (1.0 + 1.0 / ratio) / (mde * mde);
	return true;
}

static const double *sort_p;

static int
cmp_p(const void *a, const void *b)
{
	double		x = sort_p[*(const int *) a],
				y = sort_p[*(const int *) b];

	if (x < y)
		return -1;
	if (x > y)
		return 1;
	return (*(const int *) a) - (*(const int *) b);
}

/*
 * Benjamini and Hochberg (1995): with the m p-values in ascending order,
 * adj_(i) = min over j >= i of min(1, p_(j) m / j).
 */
void
exp_p_adjust_bh(const double *p, int n, double *adj, int *order)
{
	int			m = 0;
	double		run = 1.0;

	for (int i = 0; i < n; i++)
	{
		adj[i] = NAN;
		if (!isnan(p[i]))
			order[m++] = i;
	}
	sort_p = p;
	qsort(order, m, sizeof(int), cmp_p);
	sort_p = NULL;
	for (int j = m - 1; j >= 0; j--)
	{
		double		v = p[order[j]] * m / (j + 1);

		if (v < run)
			run = v;
		adj[order[j]] = run;
		if ((j & 1023) == 0)
			core_check_interrupts();
	}
}
