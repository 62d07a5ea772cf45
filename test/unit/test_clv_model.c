/*
 * test_clv_model.c
 *	  The pure parts of clv_model and clv_fit: shortest round-trip doubles,
 *	  the text form (round trip, every error), and the weighted point set
 *	  (merging in any split and order gives the same sorted points).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "btyd/model.h"
#include "btyd/points.h"
#include "unit.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static ClvModel
sample_model(void)
{
	ClvModel	m;
	CoreError	err = {0};
	const char *text = "unit_days=7 penalizer=0.001 r=0.243 alpha=4.414 a=0.793 b=2.426 r_se=0.013 "
		"alpha_se=0.378 a_se=0.186 b_se=NaN bgnbd_loglik=-9582.4 bgnbd_customers=2357 "
		"bgnbd_iterations=30 bgnbd_gradient_norm=1e-09 bgnbd_converged=true p=6.25 q=3.74 "
		"gamma=15.44 p_se=0.5 q_se=0.3 gamma_se=2 gg_loglik=-4000 gg_customers=946 "
		"gg_iterations=20 gg_gradient_norm=0 gg_converged=false format_version=1";

	if (!clv_model_parse(text, &m, &err))
		printf("# %s %s\n", CORE_TEXT(err.message), CORE_TEXT(err.detail));
	return m;
}

static void
shortest(void)
{
	int			bad = 0,
				longer = 0;
	char		buf[32];

	for (int i = 0; i < 200000; i++)
	{
		uint64_t	bits = next();
		double		v;

		memcpy(&v, &bits, sizeof(v));
		if (!isfinite(v))
			continue;
		clv_shortest_double(v, buf);
		if (strtod(buf, NULL) != v)
			bad++;
		if (strlen(buf) > 24)
			longer++;
	}
	CHECK(bad == 0 && longer == 0, "200,000 random doubles print in at most 24 characters and read back exactly (%d wrong)", bad);
	clv_shortest_double(0.1, buf);
	CHECK(strcmp(buf, "0.1") == 0, "0.1 prints as 0.1 (%s)", buf);
	clv_shortest_double(20, buf);
	CHECK(strcmp(buf, "20") == 0, "a whole number prints without exponent (%s)", buf);
	clv_shortest_double(NAN, buf);
	CHECK(strcmp(buf, "NaN") == 0, "NaN prints as NaN");
}

static void
text_form(void)
{
	ClvModel	m = sample_model(),
				back;
	CoreError	err = {0};
	char	   *t = clv_model_format(&m);
	char	   *t2;
	static const char *const bad[] = {
		"", "r=1", "unit_days", "unit_days=", "x=1", "r=0x10", "r=inf", "r=-1",
	};

	CHECK(clv_model_parse(t, &back, &err), "the text form reads back");
	core_error_free(&err);
	t2 = clv_model_format(&back);
	CHECK(strcmp(t, t2) == 0 && memcmp(&m.bgnbd.params, &back.bgnbd.params, sizeof(m.bgnbd.params)) == 0,
		  "and prints the same, bit for bit");
	CHECK(isnan(back.bgnbd.se[3]) && !back.gg.converged && back.gg.iterations == 20,
		  "NaN standard errors, flags and counts survive");
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
	{
		CHECK(!clv_model_parse(bad[i], &back, &err) && err.code == CORE_ERR_INVALID_TEXT,
			  "\"%s\" is not a model (%s)", bad[i], CORE_TEXT(err.detail));
		core_error_free(&err);
	}
	/* every single field removed: missing */
	for (int i = 0; i < CLV_MODEL_NFIELDS; i++)
	{
		char	   *cut = strdup(t);
		char	   *at = strstr(cut, clv_model_field_name(i));
		char	   *end;

		while (at && at != cut && at[-1] != ' ')
			at = strstr(at + 1, clv_model_field_name(i));
		end = at ? strchr(at, ' ') : NULL;
		if (at)
			memmove(at, end ? end + 1 : at + strlen(at), strlen(end ? end + 1 : "") + 1);
		CHECK(!clv_model_parse(cut, &back, &err), "without %s the text is not a model", clv_model_field_name(i));
		core_error_free(&err);
		free(cut);
	}
	free(t);
	free(t2);
}

static void
points(void)
{
	BtydPointSet one,
				a,
				b;
	int			n = 20000;

	btyd_points_init(&one);
	btyd_points_init(&a);
	btyd_points_init(&b);
	for (int i = 0; i < n; i++)
	{
		double		x = next() % 5,
					T = 10 + next() % 20,
					tx = x > 0 ? (double) (next() % (uint64_t) T) : 0,
					m = x > 0 ? 1 + next() % 3 : 0;

		btyd_points_add(&one, x, tx, T, m, 1);
		btyd_points_add((next() & 1) ? &a : &b, x, tx, T, m, 1);
	}
	btyd_points_add(&a, -0.0, 0, 10, 0, 1);
	btyd_points_add(&one, 0.0, 0, 10, 0, 1);
	btyd_points_merge(&b, &a);
	btyd_points_sort(&one);
	btyd_points_sort(&b);
	CHECK(one.n == b.n && memcmp(one.pts, b.pts, sizeof(BtydPoint) * one.n) == 0,
		  "20,001 summaries in one set, or split in two and merged, give the same %lld sorted points",
		  (long long) one.n);
	{
		double		w = 0;

		for (int64_t i = 0; i < one.n; i++)
			w += one.pts[i].w;
		CHECK(w == n + 1 && one.n < n / 2, "weights add up to the customers, identical summaries collapse");
	}
	btyd_points_free(&one);
	btyd_points_free(&a);
	btyd_points_free(&b);
}

int
main(void)
{
	shortest();
	text_form();
	points();
	return unit_done();
}
