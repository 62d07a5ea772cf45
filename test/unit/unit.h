/*
 * unit.h
 *	  A minimal test vocabulary for the C unit tests of the pure cores.
 *	  Each check prints "ok N - name" or "not ok N - name" (TAP), and
 *	  unit_done() prints the plan and returns the exit status.
 */
#ifndef SEGMENTATION_UNIT_H
#define SEGMENTATION_UNIT_H

#include <math.h>
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

static inline int
unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}

#endif
