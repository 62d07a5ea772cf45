/*-------------------------------------------------------------------------
 *
 * assign.c
 *	  Deterministic variant assignment compatible with GrowthBook's SDKs.
 *
 * The one idea: a customer's variant is a pure function of (experiment,
 * key), computed exactly as GrowthBook's JavaScript SDK computes it
 * (packages/sdk-js/src/util.ts: hashFnv32a, hash, getBucketRanges,
 * chooseVariation), so that a holdout drawn in SQL is the split an
 * instrumented application makes for the same user and seed.
 *
 * hashFnv32a is FNV-1a 32-bit (Fowler, Noll, Vo) over str.charCodeAt(i),
 * i.e. over UTF-16 code units, not bytes: we decode UTF-8 and feed code
 * units (a character above U+FFFF as its surrogate pair).  The JavaScript
 * multiply by the FNV prime is written as shifts and adds in doubles and
 * truncated to 32 bits at the next xor, which equals the multiplication
 * modulo 2^32 done here.  The ranges are computed with the same double
 * additions in the same order, so the borders are the same doubles.
 *
 *-------------------------------------------------------------------------
 */
#include "assign.h"

#include <math.h>
#include <string.h>

#define FNV_PRIME UINT32_C(16777619)

static inline uint32_t
fnv_step(uint32_t h, uint32_t unit)
{
	h ^= unit;
	return h * FNV_PRIME;
}

/*
 * Decode one UTF-8 character at s[*i] (advancing *i).  A malformed byte
 * reads as itself (one byte), so that no input can stop the hash; text from
 * a UTF-8 database is always well formed.
 */
static uint32_t
utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	unsigned char c = s[*i];
	int			extra;
	uint32_t	cp;
	uint32_t	min;

	if (c < 0x80)
	{
		(*i)++;
		return c;
	}
	if ((c & 0xE0) == 0xC0)
	{
		extra = 1;
		cp = c & 0x1F;
		min = 0x80;
	}
	else if ((c & 0xF0) == 0xE0)
	{
		extra = 2;
		cp = c & 0x0F;
		min = 0x800;
	}
	else if ((c & 0xF8) == 0xF0)
	{
		extra = 3;
		cp = c & 0x07;
		min = 0x10000;
	}
	else
	{
		(*i)++;
		return c;
	}
	if (*i + extra >= len)
	{
		(*i)++;
		return c;
	}
	for (int k = 1; k <= extra; k++)
	{
		if ((s[*i + k] & 0xC0) != 0x80)
		{
			(*i)++;
			return c;
		}
		cp = (cp << 6) | (s[*i + k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF)
	{
		(*i)++;
		return c;
	}
	*i += extra + 1;
	return cp;
}

/*
 * FNV-1a over ASCII bytes (each byte one code unit).  The hash is one chain
 * of xor and multiply, about 4 cycles a byte, which no rewriting shortens;
 * what the loop can do is stay small (three instructions a byte, unrolled),
 * so that the processor overlaps the chain with the executor's work around
 * the call.
 */
static inline uint32_t
fnv_ascii(uint32_t h, const unsigned char *u, size_t len)
{
	size_t		i = 0;

	for (; i + 4 <= len; i += 4)
	{
		h = fnv_step(h, u[i]);
		h = fnv_step(h, u[i + 1]);
		h = fnv_step(h, u[i + 2]);
		h = fnv_step(h, u[i + 3]);
	}
	for (; i < len; i++)
		h = fnv_step(h, u[i]);
	return h;
}

/* Whether the 8 bytes at u are all ASCII. */
static inline bool
ascii8(const unsigned char *u)
{
	uint64_t	w;

	memcpy(&w, u, sizeof(w));
	return (w & UINT64_C(0x8080808080808080)) == 0;
}

uint32_t
assign_fnv32a_utf16(uint32_t h, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		i = 0;

	while (i < len)
	{
		uint32_t	cp;

		/* runs of ASCII, eight bytes at a time */
		while (i + 8 <= len && ascii8(u + i))
		{
			h = fnv_ascii(h, u + i, 8);
			i += 8;
		}
		if (i >= len)
			break;
		if (u[i] < 0x80)
		{
			h = fnv_step(h, u[i]);
			i++;
			continue;
		}
		cp = utf8_next(u, len, &i);
		if (cp >= 0x10000)
		{
			cp -= 0x10000;
			h = fnv_step(h, 0xD800 | (cp >> 10));
			h = fnv_step(h, 0xDC00 | (cp & 0x3FF));
		}
		else
			h = fnv_step(h, cp);
	}
	return h;
}

/*
 * FNV-1a of the decimal digits of v (JavaScript's String(v)).  The digits
 * are taken by independent divisions by powers of ten, which the processor
 * runs side by side, rather than by the chain of divisions by ten that
 * printing does; then hashed from the most significant.
 */
static inline uint32_t
fnv_decimal(uint32_t v)
{
	static const uint32_t pow10[10] = {
		1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u,
		100000000u, 1000000000u
	};
	unsigned char digits[10];
	int			nd = 1;

	for (int k = 1; k < 10; k++)
		nd += v >= pow10[k];
	for (int k = 0; k < 10; k++)
		digits[9 - k] = (unsigned char) ('0' + (v / pow10[k]) % 10);
	return fnv_ascii(ASSIGN_FNV_BASIS, digits + 10 - nd, (size_t) nd);
}

int
assign_hash_bucket(uint32_t seed_state, const char *value, size_t valuelen)
{
	uint32_t	h = assign_fnv32a_utf16(seed_state, value, valuelen);

	return (int) (fnv_decimal(h) % ASSIGN_BUCKETS);
}

double
assign_hash_v2(const char *seed, size_t seedlen, const char *value, size_t valuelen)
{
	uint32_t	h = assign_fnv32a_utf16(ASSIGN_FNV_BASIS, seed, seedlen);

	return (double) assign_hash_bucket(h, value, valuelen) / (double) ASSIGN_BUCKETS;
}

bool
assign_bucket_ranges(int n, double coverage, const double *weights,
					 double *ranges, CoreError *err)
{
	double		cumulative = 0.0;
	double		total = 0.0;

	if (n < 1 || n > ASSIGN_MAX_VARIANTS)
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "an experiment must have between 1 and %s variants, not %s",
						 CORE_INT(ASSIGN_MAX_VARIANTS), CORE_INT(n));
	if (!(coverage >= 0.0 && coverage <= 1.0))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "coverage must be between 0 and 1");
	if (weights != NULL)
	{
		for (int i = 0; i < n; i++)
		{
			if (!isfinite(weights[i]))
				return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
								 "weight %s of the experiment is not finite", CORE_INT(i + 1));
			if (weights[i] < 0.0)
				return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
								 "weight %s of the experiment is %s, but weights must not be negative",
								 CORE_INT(i + 1), CORE_G(weights[i]));
			/* the same order of additions as GrowthBook's reduce */
			total = total + weights[i];
		}
		if (total < 1.0 - ASSIGN_WEIGHT_TOLERANCE || total > 1.0 + ASSIGN_WEIGHT_TOLERANCE)
			return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
							 "the weights of the experiment add up to %s, not 1",
							 CORE_G(total));
	}
	for (int i = 0; i < n; i++)
	{
		double		w = weights ? weights[i] : 1.0 / n;
		double		start = cumulative;

		cumulative += w;
		ranges[2 * i] = start;
		ranges[2 * i + 1] = start + coverage * w;
	}
	return true;
}

int
assign_choose(double h, int n, const double *ranges)
{
	for (int i = 0; i < n; i++)
		if (h >= ranges[2 * i] && h < ranges[2 * i + 1])
			return i;
	return -1;
}

void
assign_bucket_table(int n, const double *ranges, unsigned char *table)
{
	for (int k = 0; k < ASSIGN_BUCKETS; k++)
	{
		int			v = assign_choose((double) k / (double) ASSIGN_BUCKETS, n, ranges);

		table[k] = v < 0 ? ASSIGN_NO_VARIANT : (unsigned char) v;
	}
}
