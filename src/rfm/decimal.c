/*-------------------------------------------------------------------------
 *
 * decimal.c
 *	  A decimal number as the nearest double, the fast way (see decimal.h).
 *
 *-------------------------------------------------------------------------
 */
#include "decimal.h"

/* 10^0 .. 10^22: every one a double exactly (5^22 < 2^53) */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

#define POW10_MAX 22
#define EXACT_INT_MAX (UINT64_C(1) << 53)

bool
decimal_double_fast(bool negative, const int16_t *digits, int ndigits,
					int weight, int dscale, double *out)
{
	int			first = 0;
	int			last = ndigits - 1;
	uint64_t	n = 0;
	int			exp10;
	double		v;

	if (dscale < 0)
		return false;
	for (int i = 0; i < ndigits; i++)
		if (digits[i] < 0 || digits[i] >= DECIMAL_BASE)
			return false;
	/* zero groups at either end change the exponent only */
	while (first <= last && digits[first] == 0)
		first++;
	while (last >= first && digits[last] == 0)
		last--;
	if (first > last)
		return false;			/* zero: numeric_out's sign of it is the caller's */
	/* four groups make at most 10^16 - 1: no overflow of n below */
	if (last - first >= 4)
		return false;
	for (int i = first; i <= last; i++)
		n = n * DECIMAL_BASE + (uint64_t) digits[i];
	/* the number is n * 10^exp10, the last group's place */
	exp10 = (weight - last) * DECIMAL_BASE_DIGITS;
	while (n % 10 == 0)
	{
		n /= 10;
		exp10++;
	}
	/* a digit beyond dscale: numeric_out would drop it */
	if (exp10 < 0 && -exp10 > dscale)
		return false;
	if (n > EXACT_INT_MAX)
		return false;
	if (exp10 >= 0)
	{
		if (exp10 > POW10_MAX)
			return false;
		v = (double) n * pow10_exact[exp10];
	}
	else
	{
		if (-exp10 > POW10_MAX)
			return false;
		v = (double) n / pow10_exact[-exp10];
	}
	*out = negative ? -v : v;
	return true;
}
