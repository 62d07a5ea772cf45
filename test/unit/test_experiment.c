/*
 * test_experiment.c
 *	  Unit tests of the experiment cores (src/experiment): GrowthBook's
 *	  published hash and bucket vectors, and the distributions against
 *	  scipy's values.
 *
 * GrowthBook vectors: the "hash" (version 2 only), "getBucketRange" and
 * "chooseVariation" arrays of packages/sdk-js/test/cases.json in the public
 * repository github.com/growthbook/growthbook, commit
 * 8f1db4456915a8e7b7faf23d5632ca7219d2f469 (2026-08-21), transcribed as they
 * are.  Where GrowthBook silently falls back to equal weights or clamps the
 * coverage, segment_variant reports 22023 instead (expect_error below).
 *
 * Distribution values: Debian bookworm's python3-scipy 1.10.1,
 * scipy.stats.norm.ppf, scipy.stats.t.cdf, scipy.stats.t.ppf and
 * scipy.special.betainc, printed with repr (17 significant digits).
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "experiment/assign.h"
#include "experiment/stats.h"

static const struct
{
	const char *seed;
	const char *value;
	double		expected;
}			hash_cases[] = {
	{"seed", "a", 0.0505},
	{"seed", "b", 0.2696},
	{"foo", "ab", 0.2575},
	{"foo", "def", 0.2019},
	{"89123klj", "8952klfjas09ujkasdf", 0.124},
	{"90850943850283058242805", "123", 0.7516},
	{"()**(%$##$%#$#", "___)((*\":&", 0.0128},
};

static const struct
{
	const char *name;
	int			n;
	double		coverage;
	bool		has_weights;
	double		weights[4];
	double		ranges[8];
	bool		expect_error;	/* GrowthBook falls back; we refuse */
}			range_cases[] = {
	{"normal 50/50", 2, 1, false, {0}, {0, 0.5, 0.5, 1}, false},
	{"reduced coverage", 2, 0.5, false, {0}, {0, 0.25, 0.5, 0.75}, false},
	{"zero coverage", 2, 0, false, {0}, {0, 0, 0.5, 0.5}, false},
	{"4 variations", 4, 1, false, {0}, {0, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1}, false},
	{"uneven weights", 2, 1, true, {0.4, 0.6}, {0, 0.4, 0.4, 1}, false},
	{"uneven weights, 3 variations", 3, 1, true, {0.2, 0.3, 0.5}, {0, 0.2, 0.2, 0.5, 0.5, 1}, false},
	{"uneven weights, reduced coverage, 3 variations", 3, 0.2, true, {0.2, 0.3, 0.5}, {0, 0.04, 0.2, 0.26, 0.5, 0.6}, false},
	{"negative coverage", 2, -0.2, false, {0}, {0, 0, 0.5, 0.5}, true},
	{"coverage above 1", 2, 1.5, false, {0}, {0, 0.5, 0.5, 1}, true},
	{"weights sum below 1", 2, 1, true, {0.4, 0.1}, {0, 0.5, 0.5, 1}, true},
	{"weights sum above 1", 2, 1, true, {0.7, 0.6}, {0, 0.5, 0.5, 1}, true},
	/* "weights.length not equal to num variations" is an SQL-level case */
	{"weights sum almost equals 1", 2, 1, true, {0.4, 0.5999}, {0, 0.4, 0.4, 0.9999}, false},
};

static const struct
{
	const char *name;
	double		h;
	int			n;
	double		ranges[6];
	int			expected;
}			choose_cases[] = {
	{"even range, 0.2", 0.2, 2, {0, 0.5, 0.5, 1}, 0},
	{"even range, 0.4", 0.4, 2, {0, 0.5, 0.5, 1}, 0},
	{"even range, 0.6", 0.6, 2, {0, 0.5, 0.5, 1}, 1},
	{"even range, 0.8", 0.8, 2, {0, 0.5, 0.5, 1}, 1},
	{"even range, 0", 0, 2, {0, 0.5, 0.5, 1}, 0},
	{"even range, 0.5", 0.5, 2, {0, 0.5, 0.5, 1}, 1},
	{"reduced range, 0.2", 0.2, 2, {0, 0.25, 0.5, 0.75}, 0},
	{"reduced range, 0.4", 0.4, 2, {0, 0.25, 0.5, 0.75}, -1},
	{"reduced range, 0.6", 0.6, 2, {0, 0.25, 0.5, 0.75}, 1},
	{"reduced range, 0.8", 0.8, 2, {0, 0.25, 0.5, 0.75}, -1},
	{"reduced range, 0.25", 0.25, 2, {0, 0.25, 0.5, 0.75}, -1},
	{"reduced range, 0.5", 0.5, 2, {0, 0.25, 0.5, 0.75}, 1},
	{"zero range", 0.5, 3, {0, 0.5, 0.5, 0.5, 0.5, 1}, 2},
};

/* scipy.stats.norm.ppf */
static const double norm_ppf[][2] = {
	{1e-300, -37.0470962993612},
	{1e-100, -21.273453560965322},
	{1e-20, -9.262340089798409},
	{1e-10, -6.361340902404056},
	{1e-05, -4.264890793922825},
	{0.001, -3.090232306167813},
	{0.01, -2.3263478740408408},
	{0.025, -1.9599639845400545},
	{0.05, -1.6448536269514729},
	{0.1, -1.2815515655446004},
	{0.3, -0.5244005127080409},
	{0.425, -0.18911842627279252},
	{0.5, 0.0},
	{0.6, 0.2533471031357997},
	{0.9, 1.2815515655446004},
	{0.975, 1.959963984540054},
	{0.99, 2.3263478740408408},
	{0.999999, 4.753424308817087},
	{0.999999999999, 7.0344869100478356},
};

/* t, df, scipy.stats.t.cdf(t, df) */
static const double t_cdf[][3] = {
	{-3, 1, 0.10241638234956672},
	{0.5, 1, 0.6475836176504333},
	{2, 2.5, 0.9213042521210171},
	{-1.7, 3, 0.09384532077670496},
	{1.96, 10, 0.9607818798761502},
	{2.2, 30.7, 0.9822676660492917},
	{-4, 100, 6.076182215038079e-05},
	{0.1, 1000, 0.539817815488198},
	{3, 1000000.0, 0.9986500687292891},
	{-12, 4, 0.0001382142742514865},
	{40, 2, 0.9996877926639076},
};

/*
 * p, df, the t quantile from mpmath 1.2.1 (Debian's python3-mpmath, 50
 * digits: findroot of betainc(df/2, 1/2, 0, df/(df+t^2))/2 = 1 - p);
 * scipy.stats.t.ppf is off by up to 2e-9 relative here (12.706204736432095
 * at p = 0.975, df = 1, where tan(0.475 pi) = 12.706204736174696).
 */
static const double t_ppf[][3] = {
	{0.975, 1, 12.706204736174693},
	{0.975, 2, 4.3026527297494618},
	{0.975, 5.5, 2.5018586175892397},
	{0.95, 10, 1.8124611228116759},
	{0.995, 30, 2.749995653567225},
	{0.975, 123.4, 1.9793749463174198},
	{0.9, 100000.0, 1.2815600314493611},
	{0.025, 7, -2.3646242515927853},
	{0.9999, 3, 22.203742273205002},
};

/* a, b, x, scipy.special.betainc(a, b, x) */
static const double betainc[][4] = {
	{0.5, 0.5, 0.3, 0.3690101195655454},
	{2, 3, 0.4, 0.5247999999999999},
	{10, 0.5, 0.9, 0.15164090963470997},
	{100, 200, 0.33, 0.45661816333401317},
	{0.1, 5, 0.01, 0.769088920784346},
	{50, 0.5, 0.999, 0.7523690199653768},
};

#define LEN(a) ((int) (sizeof(a) / sizeof((a)[0])))

/*
 * A reference of hash(seed, value, 2) written the plain way, one code unit
 * at a time with the digits printed by snprintf, for well-formed UTF-8: the
 * optimised path (eight ASCII bytes at a time, digits by independent
 * divisions, bucket tables) must agree with it on every input.
 */
static uint32_t
ref_fnv(uint32_t h, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *) s;

	for (size_t i = 0; i < len;)
	{
		uint32_t	cp;
		int			extra;

		if (u[i] < 0x80)
			cp = u[i], extra = 0;
		else if (u[i] < 0xE0)
			cp = u[i] & 0x1F, extra = 1;
		else if (u[i] < 0xF0)
			cp = u[i] & 0x0F, extra = 2;
		else
			cp = u[i] & 0x07, extra = 3;
		for (int k = 1; k <= extra; k++)
			cp = (cp << 6) | (u[i + k] & 0x3F);
		i += extra + 1;
		if (cp >= 0x10000)
		{
			h = (h ^ (0xD800 | ((cp - 0x10000) >> 10))) * 16777619u;
			h = (h ^ (0xDC00 | ((cp - 0x10000) & 0x3FF))) * 16777619u;
		}
		else
			h = (h ^ cp) * 16777619u;
	}
	return h;
}

static double
ref_hash_v2(const char *seed, const char *value, size_t valuelen)
{
	char		digits[16];
	uint32_t	h = ref_fnv(ref_fnv(ASSIGN_FNV_BASIS, seed, strlen(seed)), value, valuelen);

	snprintf(digits, sizeof(digits), "%u", (unsigned int) h);
	h = ref_fnv(ASSIGN_FNV_BASIS, digits, strlen(digits));
	return (double) (h % 10000) / 10000.0;
}

/* a small deterministic generator for the random strings */
static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint32_t
rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t) (rng_state >> 32);
}

int
main(void)
{
	CoreError	err = {0};

	for (int i = 0; i < LEN(hash_cases); i++)
	{
		double		h = assign_hash_v2(hash_cases[i].seed, strlen(hash_cases[i].seed),
									   hash_cases[i].value, strlen(hash_cases[i].value));

		CHECK(h == hash_cases[i].expected, "GrowthBook hash(\"%s\", \"%s\", 2) = %g (got %g)",
			  hash_cases[i].seed, hash_cases[i].value, hash_cases[i].expected, h);
	}

	for (int i = 0; i < LEN(range_cases); i++)
	{
		double		r[8];
		bool		ok = assign_bucket_ranges(range_cases[i].n, range_cases[i].coverage,
											  range_cases[i].has_weights ? range_cases[i].weights : NULL,
											  r, &err);

		if (range_cases[i].expect_error)
			CHECK(!ok && err.code == CORE_ERR_INVALID_PARAMETER,
				  "getBucketRange \"%s\": refused", range_cases[i].name);
		else
		{
			bool		same = ok;

			/* cases.json rounds, so within 1e-12 */
			for (int k = 0; ok && k < 2 * range_cases[i].n; k++)
				same = same && fabs(r[k] - range_cases[i].ranges[k]) < 1e-12;
			CHECK(same, "getBucketRange \"%s\"", range_cases[i].name);
		}
		if (!ok)
			core_error_free(&err);
	}

	for (int i = 0; i < LEN(choose_cases); i++)
		CHECK(assign_choose(choose_cases[i].h, choose_cases[i].n, choose_cases[i].ranges) ==
			  choose_cases[i].expected, "chooseVariation \"%s\"", choose_cases[i].name);

	/* more than 100 variants, none, a negative or NaN weight */
	{
		double		r[2 * 101];
		double		w[3] = {0.5, 0.6, -0.1};

		CHECK(!assign_bucket_ranges(101, 1.0, NULL, r, &err), "101 variants refused");
		core_error_free(&err);
		CHECK(assign_bucket_ranges(100, 1.0, NULL, r, &err) && r[199] > 0.9999999,
			  "100 variants accepted, the last range ends at 1");
		CHECK(!assign_bucket_ranges(0, 1.0, NULL, r, &err), "0 variants refused");
		core_error_free(&err);
		CHECK(!assign_bucket_ranges(3, 1.0, w, r, &err), "a negative weight refused though the sum is 1");
		core_error_free(&err);
		w[2] = NAN;
		CHECK(!assign_bucket_ranges(3, 1.0, w, r, &err), "a NaN weight refused");
		core_error_free(&err);
	}

	/* UTF-16 code units: "é" (U+00E9) hashes as one unit, "😀" as two */
	{
		uint32_t	a = assign_fnv32a_utf16(ASSIGN_FNV_BASIS, "\xc3\xa9", 2);
		uint32_t	b = ((ASSIGN_FNV_BASIS ^ 0xE9u) * 16777619u);
		uint32_t	c = assign_fnv32a_utf16(ASSIGN_FNV_BASIS, "\xf0\x9f\x98\x80", 4);
		uint32_t	d = (((ASSIGN_FNV_BASIS ^ 0xD83Du) * 16777619u) ^ 0xDE00u) * 16777619u;

		CHECK(a == b, "a two-byte UTF-8 character is one UTF-16 code unit");
		CHECK(c == d, "a four-byte UTF-8 character is a surrogate pair");
		/* malformed input never reads past the end */
		(void) assign_fnv32a_utf16(ASSIGN_FNV_BASIS, "\xf0\x9f", 2);
		(void) assign_fnv32a_utf16(ASSIGN_FNV_BASIS, "\xe0", 1);
		CHECK(true, "truncated UTF-8 sequences are hashed byte by byte");
	}

	/* the optimised hash equals the plain one on random UTF-8 strings */
	{
		/* one-, two-, three- and four-byte characters */
		static const char *const pieces[] = {"a", "Z", "7", "@", ".", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
		int			mismatches = 0;

		for (int t = 0; t < 20000; t++)
		{
			char		buf[256];
			size_t		len = 0;
			int			nchars = (int) (rng_next() % 48);
			bool		ascii = rng_next() % 2 == 0;
			double		h;

			for (int k = 0; k < nchars; k++)
			{
				const char *p = pieces[rng_next() % (ascii ? 5 : LEN(pieces))];

				memcpy(buf + len, p, strlen(p));
				len += strlen(p);
			}
			h = assign_hash_v2("exp", 3, buf, len);
			if (h != ref_hash_v2("exp", buf, len))
				mismatches++;
		}
		CHECK(mismatches == 0, "hash v2 equals the plain reference on 20,000 random strings (%d differ)",
			  mismatches);
	}

	/* every number of digits of the intermediate hash, through its value */
	{
		static const char *const values[] = {"", "0", "user-1", "123456789", "x"};
		bool		same = true;

		for (int i = 0; i < LEN(values); i++)
			for (int s = 0; s < 2000; s++)
			{
				char		seed[16];

				snprintf(seed, sizeof(seed), "s%d", s);
				same = same && assign_hash_v2(seed, strlen(seed), values[i], strlen(values[i])) ==
					ref_hash_v2(seed, values[i], strlen(values[i]));
			}
		CHECK(same, "hash v2 equals the reference over 10,000 seeds");
	}

	/* the bucket table is chooseVariation at every bucket */
	for (int i = 0; i < LEN(range_cases); i++)
	{
		double		r[8];
		unsigned char table[ASSIGN_BUCKETS];
		bool		same = true;

		if (!assign_bucket_ranges(range_cases[i].n, range_cases[i].coverage,
								  range_cases[i].has_weights ? range_cases[i].weights : NULL,
								  r, &err))
		{
			core_error_free(&err);
			continue;
		}
		assign_bucket_table(range_cases[i].n, r, table);
		for (int k = 0; k < ASSIGN_BUCKETS; k++)
		{
			int			v = assign_choose((double) k / 10000.0, range_cases[i].n, r);

			same = same && table[k] == (v < 0 ? ASSIGN_NO_VARIANT : v);
		}
		CHECK(same, "bucket table of \"%s\" is chooseVariation at every bucket", range_cases[i].name);
	}

	for (int i = 0; i < LEN(norm_ppf); i++)
		CHECK_CLOSE(stat_norm_quantile(norm_ppf[i][0]), norm_ppf[i][1], 1e-14,
					"AS 241 normal quantile at p = %g", norm_ppf[i][0]);
	for (int i = 0; i < LEN(t_cdf); i++)
		CHECK_CLOSE(stat_t_cdf(t_cdf[i][0], t_cdf[i][1]), t_cdf[i][2], 1e-13,
					"t CDF at t = %g, df = %g", t_cdf[i][0], t_cdf[i][1]);
	for (int i = 0; i < LEN(t_ppf); i++)
		CHECK_CLOSE(stat_t_quantile(t_ppf[i][0], t_ppf[i][1]), t_ppf[i][2], 1e-12,
					"t quantile at p = %g, df = %g", t_ppf[i][0], t_ppf[i][1]);
	for (int i = 0; i < LEN(betainc); i++)
		CHECK_CLOSE(stat_incbeta(betainc[i][0], betainc[i][1], betainc[i][2]), betainc[i][3], 1e-13,
					"I_x(a, b) at a = %g, b = %g, x = %g", betainc[i][0], betainc[i][1], betainc[i][2]);
	CHECK(isnan(stat_t_cdf(1.0, 0.0)) && isnan(stat_norm_quantile(NAN)),
		  "undefined arguments give NaN");

	return unit_done();
}
