/*
 * unit.h
 *	  A minimal test vocabulary for the C unit tests of the pure cores.
 *	  Each check prints "ok N - name" or "not ok N - name" (TAP), and
 *	  unit_done() prints the plan and returns the exit status.
 */
#ifndef SEGMENTATION_UNIT_H
#define SEGMENTATION_UNIT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>

static int	unit_count;
static int	unit_failed;

#define CHECK(cond, ...) \
	do { \
		unit_count++; \
		if (cond) \
			printf("ok %d - ", unit_count); \
		else \
		{ \
			unit_failed++; \
			printf("not ok %d - ", unit_count); \
		} \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} while (0)

/* |a - b| <= tol * max(1, |b|) */
#define CHECK_CLOSE(a, b, tol, ...) \
	do { \
		double _a = (a), _b = (b); \
		double _s = fabs(_b) > 1.0 ? fabs(_b) : 1.0; \
		if (!(fabs(_a - _b) <= (tol) * _s)) \
			printf("# got %.17g, expected %.17g\n", _a, _b); \
		CHECK(fabs(_a - _b) <= (tol) * _s, __VA_ARGS__); \
	} while (0)

/*
 * A deterministic pseudo-random number in [0, n) (xorshift64), so that a
 * failing random case comes back on every run.  n = 0 gives 0.
 */
static uint64_t unit_rng = UINT64_C(0x9e3779b97f4a7c15);

static inline uint32_t
unit_rand(uint32_t n)
{
	unit_rng ^= unit_rng << 13;
	unit_rng ^= unit_rng >> 7;
	unit_rng ^= unit_rng << 17;
	return n ? (uint32_t) (unit_rng % n) : 0;
}

static inline int
unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}

#endif
