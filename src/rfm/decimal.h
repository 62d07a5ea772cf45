/*-------------------------------------------------------------------------
 *
 * decimal.h
 *	  A decimal number as the nearest double, the fast way where one IEEE
 *	  operation gives it exactly.
 *
 * rfm_score and rfm_thresholds take numeric dimensions as doubles, and
 * PostgreSQL's numeric-to-double conversion prints the number and parses
 * the text back (numeric_out, strtod): a few hundred nanoseconds a value.
 * For most amounts that is not needed: an integer N of at most 2^53 is a
 * double exactly, and so is 10^k for k <= 22, so N * 10^k and N / 10^k are
 * one correctly rounded multiplication or division, which is the nearest
 * double to the decimal: the same double strtod returns (W. D. Clinger,
 * "How to read floating point numbers accurately", PLDI 1990).  Other
 * numbers are left to the caller's exact path.
 *
 * Pure core.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_RFM_DECIMAL_H
#define SEGMENTATION_RFM_DECIMAL_H

#include "core.h"

/* digits of a numeric: base 10000 */
#define DECIMAL_BASE 10000
#define DECIMAL_BASE_DIGITS 4

/*
 * The number (-1)^negative * sum digits[i] * 10000^(weight - i), i < ndigits,
 * as PostgreSQL's numeric_out prints it with dscale decimals (it truncates
 * the digits beyond them), converted to the nearest double.  Returns true
 * with *out set when the fast path applies; false, *out untouched, when it
 * does not: zero (its sign), a digit out of range, more than 2^53 in the
 * significant digits, a power of ten beyond 10^22, or nonzero digits beyond
 * dscale.
 */
extern bool decimal_double_fast(bool negative, const int16_t *digits, int ndigits,
								int weight, int dscale, double *out);

#endif							/* SEGMENTATION_RFM_DECIMAL_H */
