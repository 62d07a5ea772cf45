/*
 * test_clv_model.c
 *	  The pure parts of clv_model and clv_fit: shortest round-trip doubles,
 *	  the text form (round trip, every error), and the weighted point set
 *	  (merging in any split and order gives the same sorted points; the
 *	  sort against the C library's qsort; compaction bounds a large set).
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
	CHECK(strcmp(t, t2) == 0 && memcmp(&m.purchase.params, &back.purchase.params, sizeof(m.purchase.params)) == 0,
		  "and prints the same, bit for bit");
	CHECK(isnan(back.purchase.se[3]) && !back.gg.converged && back.gg.iterations == 20,
		  "NaN standard errors, flags and counts survive");
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
	{
		CHECK(!clv_model_parse(bad[i], &back, &err) && err.code == CORE_ERR_INVALID_TEXT,
			  "\"%s\" is not a model (%s)", bad[i], CORE_TEXT(err.detail));
		core_error_free(&err);
	}
	/* every single field of version 1 removed: missing */
	for (int pos = 0; pos < clv_model_nfields(1); pos++)
	{
		int			i = clv_model_field_at(1, pos);
		char	   *cut = strdup(t);
		char		buf[CLV_FIELD_NAME_LEN];
		const char *name = clv_model_field_name(CLV_KIND_BGNBD, i, buf);
		char	   *at = strstr(cut, name);
		char	   *end;

		while (at && at != cut && at[-1] != ' ')
			at = strstr(at + 1, name);
		end = at ? strchr(at, ' ') : NULL;
		if (at)
			memmove(at, end ? end + 1 : at + strlen(at), strlen(end ? end + 1 : "") + 1);
		CHECK(!clv_model_parse(cut, &back, &err), "without %s the text is not a model", name);
		core_error_free(&err);
		free(cut);
	}
	free(t);
	free(t2);
}

/*
 * Format versions: a model without boundary is written as 0.1.0 wrote it
 * (version 1, 27 fields); a boundary fit is version 2 (28 fields); both
 * read back, in text and in float8s, and every mix-up is an error.
 */
static void
versions(void)
{
	ClvModel	m = sample_model(),
				b,
				back;
	CoreError	err = {0};
	double		f[CLV_MODEL_NFIELDS];
	char	   *t;
	int			n;

	t = clv_model_format(&m);
	CHECK(clv_model_version(&m) == 1 && strstr(t, "format_version=1") && !strstr(t, "bgnbd_boundary"),
		  "a model without boundary prints in format version 1, as 0.1.0 did");
	free(t);
	n = clv_model_encode(&m, f);
	CHECK(n == 27 && f[26] == 1, "and encodes as 27 float8s, the version last");
	CHECK(clv_model_decode(f, n, &back, &err) &&
		  memcmp(back.purchase.params, m.purchase.params, sizeof(m.purchase.params)) == 0 &&
		  back.gg.iterations == m.gg.iterations && !back.purchase.boundary,
		  "which decode to the same model");
	f[26] = 2;
	CHECK(!clv_model_decode(f, n, &back, &err) && err.code == CORE_ERR_INVALID_BINARY,
		  "27 float8s claiming version 2 are not a model (%s)", CORE_TEXT(err.detail));
	core_error_free(&err);
	CHECK(!clv_model_decode(f, 26, &back, &err) && err.code == CORE_ERR_INVALID_BINARY,
		  "nor are 26 float8s");
	core_error_free(&err);

	/* a boundary fit */
	b = m;
	b.purchase.boundary = true;
	b.purchase.params[2] = b.purchase.params[3] = NAN;
	b.purchase.se[2] = b.purchase.se[3] = NAN;
	t = clv_model_format(&b);
	CHECK(clv_model_version(&b) == 2 && strstr(t, "a=NaN b=NaN") && strstr(t, "bgnbd_boundary=true format_version=2"),
		  "a boundary fit prints in format version 2: a=NaN b=NaN ... bgnbd_boundary=true format_version=2");
	CHECK(clv_model_parse(t, &back, &err) && back.purchase.boundary && isnan(back.purchase.params[2]),
		  "and reads back (%s)", CORE_TEXT(err.detail));
	free(t);
	n = clv_model_encode(&b, f);
	CHECK(n == 28 && f[26] == 1 && f[27] == 2 && clv_model_decode(f, n, &back, &err) && back.purchase.boundary,
		  "and encodes as 28 float8s that decode back");
	f[2 + 2] = 0.5;				/* a finite a in a boundary fit */
	CHECK(!clv_model_decode(f, n, &back, &err), "a boundary fit with a finite a is not a model (%s)", CORE_TEXT(err.detail));
	core_error_free(&err);
	f[2 + 2] = NAN;
	f[26] = 0;					/* NaN a and b without boundary */
	CHECK(!clv_model_decode(f, n, &back, &err), "nor NaN a and b without boundary");
	core_error_free(&err);

	/* text mix-ups */
	{
		static const char *const bad[] = {
			/* version 1 with the version 2 field */
			"bgnbd_boundary=false format_version=1",
			/* version 2 without boundary: version 1 holds it */
			"bgnbd_boundary=false format_version=2",
			/* version 2 boundary with finite a */
			"bgnbd_boundary=true format_version=2",
			/* an unknown version */
			"format_version=3",
		};
		char	   *v1 = clv_model_format(&m);
		char	   *cut = strstr(v1, " format_version=1");

		*cut = '\0';
		for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		{
			char		text[2048];

			snprintf(text, sizeof(text), "%s %s", v1, bad[i]);
			CHECK(!clv_model_parse(text, &back, &err) && err.code == CORE_ERR_INVALID_TEXT,
				  "\"... %s\" is not a model (%s)", bad[i], CORE_TEXT(err.detail));
			core_error_free(&err);
		}
		free(v1);
	}
}

/* AIC, BIC, the months bound, the boundary model's CLV */
static void
criteria_and_months(void)
{
	ClvModel	m = sample_model(),
				b;
	CoreError	err = {0};
	double		g,
				want = 0;

	CHECK_CLOSE(clv_fit_aic(&m.purchase), 2 * 4 + 2 * 9582.4, 1e-15, "BG/NBD AIC = 2 k - 2 LL");
	CHECK_CLOSE(clv_fit_bic(&m.purchase), 4 * log(2357) + 2 * 9582.4, 1e-15, "BG/NBD BIC = k ln(n) - 2 LL");
	CHECK_CLOSE(clv_fit_aic(&m.gg), 2 * 3 + 2 * 4000, 1e-15, "Gamma-Gamma AIC");
	CHECK_CLOSE(clv_fit_bic(&m.gg), 3 * log(946) + 2 * 4000, 1e-15, "Gamma-Gamma BIC");
	CHECK(clv_model_discounted_purchases(&m, 2, 38.86, CLV_MAX_MONTHS, 0.01, &g, &err) && isfinite(g) && g > 0,
		  "months = %d is within the bound (G = %g)", CLV_MAX_MONTHS, g);
	CHECK(!clv_model_discounted_purchases(&m, 2, 38.86, CLV_MAX_MONTHS + 1, 0.01, &g, &err) &&
		  err.code == CORE_ERR_INVALID_PARAMETER, "months = %d is not (%s)", CLV_MAX_MONTHS + 1, CORE_TEXT(err.message));
	core_error_free(&err);
	CHECK(!clv_model_discounted_purchases(&m, 2, 38.86, 2147483647, 0.01, &g, &err) &&
		  err.code == CORE_ERR_INVALID_PARAMETER, "nor months = 2147483647, at once");
	core_error_free(&err);
	CHECK(!clv_model_discounted_purchases(&m, 2, 38.86, -1, 0.01, &g, &err), "nor months = -1");
	core_error_free(&err);

	/* at the boundary E[X(t)] = (r + x) t / (alpha + T): G is a geometric sum */
	b = m;
	b.purchase.boundary = true;
	b.purchase.params[2] = b.purchase.params[3] = NAN;
	for (int k = 1; k <= 24; k++)
		want += (0.243 + 2) * (30.0 / 7) / (4.414 + 38.86) / pow(1.01, k);
	CHECK(clv_model_discounted_purchases(&b, 2, 38.86, 24, 0.01, &g, &err), "a boundary model's G");
	CHECK_CLOSE(g, want, 1e-13, "is the NBD's discounted sum of (r + x) f / (alpha + T) over 24 months");
}

static void
points(void)
{
	BtydPointSet one,
				a,
				b,
				a2,
				b2,
				c2;
	int			n = 20000;

	btyd_points_init(&one);
	btyd_points_init(&a);
	btyd_points_init(&b);
	btyd_points_init(&a2);
	btyd_points_init(&b2);
	btyd_points_init(&c2);
	for (int i = 0; i < n; i++)
	{
		double		x = next() % 5,
					T = 10 + next() % 20,
					tx = x > 0 ? (double) (next() % (uint64_t) T) : 0,
					m = x > 0 ? 1 + next() % 3 : 0;

		bool		left = next() & 1;

		btyd_points_add(&one, x, tx, T, m, 1);
		btyd_points_add(left ? &a : &b, x, tx, T, m, 1);
		btyd_points_add(left ? &a2 : &b2, x, tx, T, m, 1);
	}
	btyd_points_add(&a, -0.0, 0, 10, 0, 1);
	btyd_points_add(&a2, -0.0, 0, 10, 0, 1);
	btyd_points_add(&one, 0.0, 0, 10, 0, 1);
	btyd_points_merge(&b, &a);

	/* sorted states (as clv_fit_serialize sends them) merge linearly */
	btyd_points_sort(&a2);
	btyd_points_sort(&b2);
	btyd_points_merge(&c2, &a2);	/* into an empty set: a copy */
	btyd_points_merge(&c2, &b2);
	CHECK(c2.nsorted == c2.n, "two sorted sets merge into a sorted set (%lld of %lld points)",
		  (long long) c2.nsorted, (long long) c2.n);
	b2.nsorted = 0;
	btyd_points_mark_sorted(&b2);
	CHECK(b2.nsorted == b2.n, "a set in increasing order is recognised as sorted");
	btyd_points_add(&b2, 0, 0, 10, 0, 1);
	btyd_points_mark_sorted(&b2);
	CHECK(b2.nsorted == b2.n - 1, "a point out of order leaves it unsorted");
	btyd_points_sort(&one);
	btyd_points_sort(&b);
	btyd_points_sort(&c2);
	CHECK(one.n == b.n && memcmp(one.pts, b.pts, sizeof(BtydPoint) * one.n) == 0,
		  "20,001 summaries in one set, or split in two and merged, give the same %lld sorted points",
		  (long long) one.n);
	CHECK(one.n == c2.n && memcmp(one.pts, c2.pts, sizeof(BtydPoint) * one.n) == 0,
		  "the same when the two halves are sorted before they merge");
	{
		double		w = 0;

		for (int64_t i = 0; i < one.n; i++)
			w += one.pts[i].w;
		CHECK(w == n + 1 && one.n < n / 2, "weights add up to the customers, identical summaries collapse");
	}
	{
		/* the serialized form (points.h), with and without m */
		BtydPointSet r5,
					r4,
					t;
		size_t		size5 = btyd_points_encoded_size(&one, true);
		unsigned char *buf = malloc(one.n * BTYD_POINT_MAX_BYTES(true));
		static const unsigned char one_be[8] = {0x3F, 0xF0, 0, 0, 0, 0, 0, 0};
		bool		same4 = true;

		btyd_points_init(&r5);
		btyd_points_init(&r4);
		btyd_points_init(&t);
		CHECK(btyd_points_write(&one, true, buf) == size5 &&
			  btyd_points_read(&r5, buf, size5, one.n, true) == (int64_t) size5,
			  "the %lld points are written in the %lld bytes their size says, and read back from as many",
			  (long long) one.n, (long long) size5);
		CHECK(r5.n == one.n && r5.nsorted == r5.n &&
			  memcmp(r5.pts, one.pts, sizeof(BtydPoint) * one.n) == 0,
			  "points written and read back are the same, and read as sorted");
		CHECK(size5 < (size_t) one.n * 20,
			  "sorted points with whole-number x, t_x and T take less than 20 bytes a point (%.1f; 5 float8s took 40)",
			  (double) size5 / one.n);
		{
			BtydPointSet p1,
						p2;
			static const unsigned char half_be[8] = {0x3F, 0xE0, 0, 0, 0, 0, 0, 0};
			static const unsigned char m3_be[8] = {0x40, 0x08, 0, 0, 0, 0, 0, 0};
			static const double odd[][5] = {
				/* x, t_x, T, m, w: large, fractional and NaN values travel as float8s */
				{1, 0.5, 2, 3, 1}, {1, 0.5, 2, 3.5, 2}, {2, 70000, 1e300, 0, 0.25},
				{65535, 65535, 65536, 1e-300, 1}, {70000, NAN, INFINITY, NAN, 3},
				{0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}, {1.5, 1.5, 1.5, 1.5, 1.5}};
			size_t		sz;
			bool		same = true;

			btyd_points_init(&p1);
			btyd_points_init(&p2);
			btyd_points_add(&p1, 1, 0.5, 2, 3, 1);
			sz = btyd_points_write(&p1, true, buf);
			/* tag: x and T 2-byte whole numbers, t_x a float8, w 1 */
			CHECK(sz == 1 + 2 + 8 + 2 + 8 && buf[0] == (1 | 2 << 2 | 1 << 4 | 0x40) &&
				  buf[1] == 0 && buf[2] == 1 && memcmp(buf + 3, half_be, 8) == 0 &&
				  buf[11] == 0 && buf[12] == 2 && memcmp(buf + 13, m3_be, 8) == 0,
				  "x = 1, t_x = 0.5, T = 2, m = 3, w = 1 are written as a tag, 2 bytes, a float8 in network byte order, 2 bytes and a float8");
			btyd_points_free(&p1);
			for (int k = 0; k < (int) (sizeof(odd) / sizeof(odd[0])); k++)
				btyd_points_add(&p1, odd[k][0], odd[k][1], odd[k][2], odd[k][3], odd[k][4]);
			sz = btyd_points_write(&p1, true, buf);
			CHECK(sz == btyd_points_encoded_size(&p1, true) &&
				  btyd_points_read(&p2, buf, sz, p1.n, true) == (int64_t) sz && p2.n == p1.n &&
				  memcmp(p2.pts, p1.pts, sizeof(BtydPoint) * p1.n) == 0,
				  "unsorted points with large, fractional, infinite and NaN values read back bit for bit");
			for (size_t cut = 0; cut < sz; cut++)
			{
				btyd_points_free(&p2);
				same &= btyd_points_read(&p2, buf, cut, p1.n, true) == -1;
			}
			CHECK(same, "every truncation of a state is refused (-1)");
			btyd_points_free(&p2);
			buf[0] = 0xFF;
			CHECK(btyd_points_read(&p2, buf, sz, p1.n, true) == -1, "a tag with an unknown code is refused");
			btyd_points_free(&p2);
			CHECK(btyd_points_read(&p2, one_be, 8, 1, true) == -1,
				  "a point with m needs at least 9 bytes");
			btyd_points_free(&p1);
			btyd_points_free(&p2);
		}
		size5 = btyd_points_write(&one, false, buf);
		CHECK(btyd_points_read(&r4, buf, size5, one.n, false) == (int64_t) size5, "without m too");
		for (int64_t i = 0; i < one.n; i++)
			same4 &= r4.pts[i].x == one.pts[i].x && r4.pts[i].tx == one.pts[i].tx &&
				r4.pts[i].T == one.pts[i].T && r4.pts[i].m == 0 && r4.pts[i].w == one.pts[i].w;
		CHECK(r4.n == one.n && same4, "without m, points read back have m = 0 and the rest the same");
		btyd_points_take(&t, &r5);
		CHECK(t.n == one.n && r5.n == 0 && r5.pts == NULL &&
			  memcmp(t.pts, one.pts, sizeof(BtydPoint) * one.n) == 0,
			  "an empty set takes another's points, which is left empty");
		btyd_points_take(&t, &c2);
		CHECK(t.n == one.n && c2.n == 0 && t.pts[0].w == 2 * one.pts[0].w,
			  "a non-empty set merges the points it takes");
		free(buf);
		btyd_points_free(&r5);
		btyd_points_free(&r4);
		btyd_points_free(&t);
	}
	btyd_points_free(&one);
	btyd_points_free(&a);
	btyd_points_free(&b);
	btyd_points_free(&a2);
	btyd_points_free(&b2);
	btyd_points_free(&c2);
}

/* the order points.h promises, for qsort: (x, tx, T, m) */
static int
ref_cmp(const void *pa, const void *pb)
{
	const BtydPoint *a = pa,
			   *b = pb;

	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->tx != b->tx)
		return a->tx < b->tx ? -1 : 1;
	if (a->T != b->T)
		return a->T < b->T ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	return 0;
}

/*
 * The introsort of points.c against qsort and a plain collapse of equal
 * runs, on sets shaped to stress it: all equal, sorted, reversed, few
 * distinct keys, many distinct; then compaction: 3 x BTYD_POINTS_COMPACT
 * adds of 1,000 distinct summaries keep the set small.
 */
static void
points_sort(void)
{
	static const int sizes[] = {0, 1, 2, 3, 24, 25, 100, 1000, 100000};

	for (int shape = 0; shape < 5; shape++)
		for (int si = 0; si < (int) (sizeof(sizes) / sizeof(sizes[0])); si++)
		{
			int			n = sizes[si];
			BtydPointSet s;
			BtydPoint  *ref = malloc(sizeof(BtydPoint) * (n + 1));
			int64_t		nref = 0;
			bool		ok;

			btyd_points_init(&s);
			for (int i = 0; i < n; i++)
			{
				double		x = shape == 0 ? 1 : shape == 1 ? i / 7 : shape == 2 ? n - i / 7 :
					shape == 3 ? (double) (next() % 3) : (double) (next() % 50);
				double		tx = shape >= 3 ? (double) (next() % 4) : 2,
							T = shape >= 3 ? 10 + (double) (next() % (shape == 3 ? 2 : 1000)) : 10,
							m = shape == 4 ? (double) (next() % 1000) / 8 : 3;

				btyd_points_add(&s, x, tx, T, m, 1 + (double) (i % 3));
				ref[i] = (BtydPoint) {x, tx, T, m, 1 + (double) (i % 3)};
			}
			qsort(ref, n, sizeof(BtydPoint), ref_cmp);
			for (int i = 0; i < n; i++)
			{
				if (nref > 0 && ref_cmp(&ref[nref - 1], &ref[i]) == 0)
					ref[nref - 1].w += ref[i].w;
				else
					ref[nref++] = ref[i];
			}
			btyd_points_sort(&s);
			ok = s.n == nref && (nref == 0 || memcmp(s.pts, ref, sizeof(BtydPoint) * nref) == 0);
			CHECK(ok, "shape %d, %d points: sorted and collapsed as qsort and a merge of equal runs (%lld points)",
				  shape, n, (long long) s.n);
			btyd_points_free(&s);
			free(ref);
		}

	{
		BtydPointSet s;
		int64_t		adds = 3 * BTYD_POINTS_COMPACT,
					maxn = 0;
		double		w = 0;

		btyd_points_init(&s);
		for (int64_t i = 0; i < adds; i++)
		{
			btyd_points_add(&s, (double) (i % 10), 1, 20 + (double) (i % 100), 5, 1);
			maxn = s.n > maxn ? s.n : maxn;
		}
		btyd_points_sort(&s);
		for (int64_t i = 0; i < s.n; i++)
			w += s.pts[i].w;
		CHECK(s.n == 100 && w == (double) adds && maxn <= BTYD_POINTS_COMPACT + 1,
			  "%lld adds of 100 distinct summaries: at most %lld points held, 100 after sorting, weights %.0f",
			  (long long) adds, (long long) maxn, w);
		btyd_points_free(&s);
	}
}

/*
 * Kinds (format version 3): a Pareto/NBD or MBG/NBD model names its kind
 * first and its fields by the kind, reads back bit for bit in text and
 * binary, and every inconsistency is an error; BG/NBD stays version 1 or 2.
 */
static void
kinds(void)
{
	ClvModel	m = sample_model(),
				back;
	CoreError	err = {0};
	double		f[CLV_MODEL_NFIELDS];
	char	   *t;
	int			n;
	static const char *const bad[] = {
		/* an unknown kind, and a reserved one not built */
		"kind=paretonbd",
		"kind=bgbb",
		/* BG/NBD's names in a Pareto/NBD model */
		"kind=pareto_nbd a=1",
	};

	CHECK(clv_kind_info(CLV_KIND_PARETO_NBD) && clv_kind_info(CLV_KIND_MBGNBD) &&
		  !clv_kind_info(CLV_KIND_BGBB) && !clv_kind_info(CLV_KIND_SBG) && !clv_kind_info(-1) &&
		  !clv_kind_info(CLV_NKINDS), "three kinds are built, BG/BB and sBG reserved");
	CHECK(clv_kind_by_name("pareto_nbd", 10) == CLV_KIND_PARETO_NBD &&
		  clv_kind_by_name("mbgnbd", 6) == CLV_KIND_MBGNBD && clv_kind_by_name("pareto", 6) == -1,
		  "kinds by name");

	m.kind = CLV_KIND_PARETO_NBD;
	t = clv_model_format(&m);
	CHECK(clv_model_version(&m) == 3 && strncmp(t, "kind=pareto_nbd unit_days=7 ", 28) == 0 &&
		  strstr(t, " r=0.243 alpha=4.414 s=0.793 beta=2.426 r_se=0.013 alpha_se=0.378 s_se=0.186 beta_se=NaN pareto_nbd_loglik=-9582.4 pareto_nbd_customers=2357 ") &&
		  strstr(t, " pareto_nbd_boundary=false format_version=3") && !strstr(t, "bgnbd"),
		  "a Pareto/NBD model is version 3, kind first, r alpha s beta (%s)", t);
	CHECK(clv_model_parse(t, &back, &err) && back.kind == CLV_KIND_PARETO_NBD &&
		  memcmp(back.purchase.params, m.purchase.params, sizeof(m.purchase.params)) == 0 &&
		  back.gg.iterations == 20, "and reads back (%s)", CORE_TEXT(err.detail));
	free(t);
	n = clv_model_encode(&m, f);
	CHECK(n == 29 && f[0] == CLV_KIND_PARETO_NBD && f[28] == 3 &&
		  clv_model_decode(f, n, &back, &err) && back.kind == CLV_KIND_PARETO_NBD &&
		  back.purchase.params[3] == 2.426, "29 float8s, the kind first, decode back");
	f[0] = CLV_KIND_BGBB;
	CHECK(!clv_model_decode(f, n, &back, &err) && err.code == CORE_ERR_INVALID_BINARY,
		  "a kind not built is not a model (%s)", CORE_TEXT(err.detail));
	core_error_free(&err);
	f[0] = CLV_KIND_BGNBD;
	CHECK(!clv_model_decode(f, n, &back, &err) && err.code == CORE_ERR_INVALID_BINARY,
		  "nor BG/NBD in version 3 (%s)", CORE_TEXT(err.detail));
	core_error_free(&err);
	f[0] = 1.5;
	CHECK(!clv_model_decode(f, n, &back, &err), "nor kind 1.5");
	core_error_free(&err);

	m.kind = CLV_KIND_MBGNBD;
	t = clv_model_format(&m);
	CHECK(strncmp(t, "kind=mbgnbd ", 12) == 0 && strstr(t, " a=0.793 b=2.426 ") &&
		  strstr(t, " mbgnbd_loglik=-9582.4 ") && clv_model_parse(t, &back, &err) &&
		  back.kind == CLV_KIND_MBGNBD, "an MBG/NBD model: kind=mbgnbd, a, b, mbgnbd_loglik (%s)", t);
	free(t);

	/* a boundary is BG/NBD's only */
	m.kind = CLV_KIND_PARETO_NBD;
	m.purchase.boundary = true;
	m.purchase.params[2] = m.purchase.params[3] = NAN;
	m.purchase.se[2] = m.purchase.se[3] = NAN;
	CHECK(!clv_model_check(&m, &err) && err.code == CORE_ERR_INVALID_TEXT,
		  "a Pareto/NBD model at a boundary is not a model (%s)", CORE_TEXT(err.detail));
	core_error_free(&err);

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
	{
		CHECK(!clv_model_parse(bad[i], &back, &err) && err.code == CORE_ERR_INVALID_TEXT,
			  "\"%s\" is not a model (%s)", bad[i], CORE_TEXT(err.detail));
		core_error_free(&err);
	}
	/* a BG/NBD text (version 1) with a kind field; a version-3 text that
	 * says version 1 */
	{
		ClvModel	bg = sample_model();
		char	   *v1 = clv_model_format(&bg);
		char	   *k = malloc(strlen(v1) + 16);

		sprintf(k, "kind=bgnbd %s", v1);
		CHECK(!clv_model_parse(k, &back, &err) && strstr(CORE_TEXT(err.detail), "kind is not part of format version 1"),
			  "kind=bgnbd in a version-1 text is an error (%s)", CORE_TEXT(err.detail));
		core_error_free(&err);
		free(k);
		free(v1);
		bg.kind = CLV_KIND_MBGNBD;
		v1 = clv_model_format(&bg);
		strcpy(strstr(v1, "format_version=3"), "format_version=2");
		CHECK(!clv_model_parse(v1, &back, &err) && err.code == CORE_ERR_INVALID_TEXT,
			  "an MBG/NBD text that says version 2 is an error (%s)", CORE_TEXT(err.detail));
		core_error_free(&err);
		free(v1);
	}
}

int
main(void)
{
	shortest();
	text_form();
	versions();
	kinds();
	criteria_and_months();
	points();
	points_sort();
	return unit_done();
}
