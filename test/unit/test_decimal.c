/*
 * test_decimal.c
 *	  Unit tests of decimal_double_fast (src/rfm/decimal.c) against the
 *	  conversion it replaces: the number printed as PostgreSQL's numeric_out
 *	  prints it (get_str_from_var, written again below), read back by the C
 *	  library's strtod.  Every case the fast path takes must give the same
 *	  double bit for bit; random digits, weights and scales, and the edges
 *	  (2^53, 10^22, zero groups, digits beyond dscale, bad digits).
 */
#include "rfm/decimal.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

/*
 * The text numeric_out makes of a finite numeric: sign, the integer groups
 * (4 digits each; leading zeros are harmless to strtod), then exactly dscale
 * decimals, truncated.  Groups outside 0..ndigits-1 are 0.
 */
static void
numeric_text(bool negative, const int16_t *digits, int ndigits, int weight,
			 int dscale, char *buf)
{
	char	   *cp = buf;

	if (negative)
		*cp++ = '-';
	if (weight < 0)
		*cp++ = '0';
	for (int g = 0; g <= weight; g++)
		cp += sprintf(cp, "%04d", g < ndigits ? digits[g] : 0);
	if (dscale > 0)
	{
		char	   *end;

		*cp++ = '.';
		end = cp + dscale;
		for (int g = weight + 1, i = 0; i < dscale; g++, i += DECIMAL_BASE_DIGITS)
			cp += sprintf(cp, "%04d", g >= 0 && g < ndigits ? digits[g] : 0);
		cp = end;
	}
	*cp = '\0';
}

static int	fast_taken;
static int	mismatches;

/* one case: where the fast path applies, it must equal strtod's double */
static bool
check_case(bool negative, const int16_t *digits, int ndigits, int weight, int dscale)
{
	char		buf[512];
	double		fast = 12345.0;
	double		ref;

	if (!decimal_double_fast(negative, digits, ndigits, weight, dscale, &fast))
		return true;
	fast_taken++;
	numeric_text(negative, digits, ndigits, weight, dscale, buf);
	ref = strtod(buf, NULL);
	if (memcmp(&fast, &ref, sizeof(double)) != 0)
	{
		if (mismatches++ < 5)
			printf("# %s: fast %.17g, strtod %.17g\n", buf, fast, ref);
		return false;
	}
	return true;
}

int
main(void)
{
	/* exact small cases */
	{
		int16_t		d[] = {12, 3400};
		double		v = 0;

		CHECK(decimal_double_fast(false, d, 2, 0, 2, &v) && v == 12.34, "12.34");
		CHECK(decimal_double_fast(true, d, 2, 0, 2, &v) && v == -12.34, "-12.34");
		CHECK(!decimal_double_fast(false, d, 2, 0, 1, &v),
			  "a nonzero digit beyond dscale is left to the exact path");
	}
	{
		int16_t		d[] = {1};
		double		v = 0;

		CHECK(decimal_double_fast(false, d, 1, 5, 0, &v) && v == 1e20, "1 at weight 5 is 1e20");
		CHECK(!decimal_double_fast(false, d, 1, 6, 0, &v), "1e24: 10^24 is beyond 10^22");
		CHECK(decimal_double_fast(false, d, 1, -5, 20, &v) && v == 1e-20, "1e-20");
		CHECK(!decimal_double_fast(false, d, 1, -6, 24, &v), "1e-24 is left to the exact path");
	}
	{
		int16_t		zero[] = {0, 0};
		int16_t		bad[] = {10000};
		int16_t		neg[] = {-1};
		double		v = 7;

		CHECK(!decimal_double_fast(false, zero, 0, 0, 0, &v) &&
			  !decimal_double_fast(true, zero, 2, 0, 0, &v) && v == 7,
			  "zero (and its sign) is left to the exact path");
		CHECK(!decimal_double_fast(false, bad, 1, 0, 0, &v) &&
			  !decimal_double_fast(false, neg, 1, 0, 0, &v), "digits out of 0..9999 are refused");
		CHECK(!decimal_double_fast(false, bad, 1, 0, -1, &v), "a negative dscale is refused");
	}
	{
		/* 2^53 = 9007199254740992 and 2^53 + 1 */
		int16_t		p53[] = {9007, 1992, 5474, 992, 0};
		int16_t		p53b[] = {9007, 1992, 5474, 993};
		double		v = 0;

		CHECK(decimal_double_fast(false, p53, 5, 3, 0, &v) && v == 9007199254740992.0,
			  "2^53 (with a trailing zero group stripped) is exact");
		CHECK(!decimal_double_fast(false, p53b, 4, 3, 0, &v), "2^53 + 1 is left to the exact path");
	}
	{
		int16_t		five[] = {1, 2, 3, 4, 5};
		int16_t		padded[] = {0, 0, 5, 0, 0};
		double		v = 0;

		CHECK(!decimal_double_fast(false, five, 5, 4, 0, &v), "five nonzero groups are refused");
		CHECK(decimal_double_fast(false, padded, 5, 1, 4, &v) && v == 0.0005,
			  "zero groups at both ends are skipped");
		CHECK(check_case(false, padded, 5, 1, 12), "zero groups at both ends: as strtod");
	}

	/* random numbers, as stored: the fast path equals numeric_out + strtod */
	{
		bool		all = true;

		for (int k = 0; k < 2000000; k++)
		{
			int16_t		d[6];
			int			nd = unit_rand(7);
			int			weight = (int) unit_rand(17) - 8;
			int			frac;
			int			dscale;
			bool		negative = unit_rand(2);

			if (nd > 6)
				nd = 6;
			for (int i = 0; i < nd; i++)
			{
				switch (unit_rand(5))
				{
					case 0:
						d[i] = 0;
						break;
					case 1:
						d[i] = 9999;
						break;
					case 2:
						d[i] = (int16_t) (unit_rand(10) * 1000);
						break;
					default:
						d[i] = (int16_t) unit_rand(10000);
				}
			}
			/* mostly valid scales (every stored digit shown), some short */
			frac = (nd - 1 - weight) * DECIMAL_BASE_DIGITS;
			if (frac < 0)
				frac = 0;
			dscale = unit_rand(8) == 0 ? (int) unit_rand(frac + 1) : frac + (int) unit_rand(3);
			all &= check_case(negative, d, nd, weight, dscale);
		}
		CHECK(all && mismatches == 0, "2,000,000 random numerics: every fast double equals strtod of numeric_out's text (%d mismatches)", mismatches);
		CHECK(fast_taken > 500000, "the fast path took %d of them", fast_taken);
	}

	/* amounts as money is stored: cents up to 10^13 */
	{
		bool		all = true;
		int			before = fast_taken;

		for (int k = 0; k < 1000000; k++)
		{
			uint64_t	cents = ((uint64_t) unit_rand(1000000) * 1000000 + unit_rand(1000000)) % UINT64_C(10000000000000);
			int16_t		d[5];
			int			nd = 0;
			uint64_t	whole = cents / 100;
			int			fraction = (int) (cents % 100);
			int16_t		groups[5];
			int			ng = 0;
			int			weight;

			do
			{
				groups[ng++] = (int16_t) (whole % 10000);
				whole /= 10000;
			} while (whole > 0 && ng < 5);
			weight = ng - 1;
			for (int i = ng - 1; i >= 0; i--)
				d[nd++] = groups[i];
			d[nd++] = (int16_t) (fraction * 100);
			all &= check_case(false, d, nd, weight, 2);
		}
		CHECK(all, "1,000,000 amounts with cents: as strtod");
		CHECK(fast_taken - before == 1000000,
			  "amounts take the fast path (%d)", fast_taken - before);
	}
	return unit_done();
}
