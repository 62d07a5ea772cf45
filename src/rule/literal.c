/*-------------------------------------------------------------------------
 *
 * literal.c
 *	  Strict readers of numbers and ISO 8601 dates and timestamps for the
 *	  jsonb evaluator (pure core, see literal.h).
 *
 *-------------------------------------------------------------------------
 */
#include "literal.h"

#include <string.h>

static bool
digits(const char *s, size_t len, size_t *pos, int n, int *value)
{
	int			v = 0;

	if (*pos + n > len)
		return false;
	for (int i = 0; i < n; i++)
	{
		char		c = s[*pos + i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*pos += n;
	*value = v;
	return true;
}

static bool
expect(const char *s, size_t len, size_t *pos, char c)
{
	if (*pos < len && s[*pos] == c)
	{
		(*pos)++;
		return true;
	}
	return false;
}

static int
days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return days[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool
rule_read_datetime(const char *s, size_t len, RuleDateTime *out)
{
	size_t		pos = 0;

	memset(out, 0, sizeof(*out));
	if (!digits(s, len, &pos, 4, &out->year) || !expect(s, len, &pos, '-') ||
		!digits(s, len, &pos, 2, &out->month) || !expect(s, len, &pos, '-') ||
		!digits(s, len, &pos, 2, &out->day))
		return false;
	if (out->year < 1 || out->month < 1 || out->month > 12 ||
		out->day < 1 || out->day > days_in_month(out->year, out->month))
		return false;
	if (pos == len)
		return true;

	if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
		return false;
	pos++;
	out->has_time = true;
	if (!digits(s, len, &pos, 2, &out->hour) || !expect(s, len, &pos, ':') ||
		!digits(s, len, &pos, 2, &out->minute))
		return false;
	if (expect(s, len, &pos, ':'))
	{
		if (!digits(s, len, &pos, 2, &out->second))
			return false;
		if (expect(s, len, &pos, '.'))
		{
			int			n = 0;
			int			scale = 100000;

			while (pos < len && s[pos] >= '0' && s[pos] <= '9')
			{
				if (n < 6)
					out->usec += (s[pos] - '0') * scale;
				scale /= 10;
				n++;
				pos++;
			}
			if (n == 0 || n > 6)
				return false;
		}
	}
	/* as timestamptz_in reads them: 24:00:00 is the next day's midnight, a
	 * second of 60 the next minute (a leap second), neither with more */
	if (out->hour > 24 || out->minute > 59 || out->second > 60 ||
		(out->hour == 24 && (out->minute > 0 || out->second > 0 || out->usec > 0)) ||
		(out->second == 60 && out->usec > 0))
		return false;
	if (pos == len)
		return true;

	if (s[pos] == 'Z' || s[pos] == 'z')
	{
		out->has_zone = true;
		return pos + 1 == len;
	}
	if (s[pos] == '+' || s[pos] == '-')
	{
		int			sign = s[pos] == '-' ? -1 : 1;
		int			hh;
		int			mm = 0;

		pos++;
		if (!digits(s, len, &pos, 2, &hh))
			return false;
		if (pos < len)
		{
			expect(s, len, &pos, ':');
			if (!digits(s, len, &pos, 2, &mm))
				return false;
		}
		if (pos != len || hh > 15 || mm > 59)
			return false;
		out->has_zone = true;
		out->zone_seconds = sign * (hh * 3600 + mm * 60);
		return true;
	}
	return false;
}

bool
rule_is_number(const char *s, size_t len)
{
	size_t		pos = 0;
	size_t		start;
	bool		intpart;

	if (pos < len && (s[pos] == '-' || s[pos] == '+'))
		pos++;
	start = pos;
	while (pos < len && s[pos] >= '0' && s[pos] <= '9')
		pos++;
	intpart = pos > start;
	if (pos < len && s[pos] == '.')
	{
		size_t		frac = ++pos;

		while (pos < len && s[pos] >= '0' && s[pos] <= '9')
			pos++;
		if (!intpart && pos == frac)
			return false;
	}
	else if (!intpart)
		return false;
	if (pos < len && (s[pos] == 'e' || s[pos] == 'E'))
	{
		size_t		exp;

		pos++;
		if (pos < len && (s[pos] == '-' || s[pos] == '+'))
			pos++;
		exp = pos;
		while (pos < len && s[pos] >= '0' && s[pos] <= '9')
			pos++;
		if (pos == exp)
			return false;
	}
	return pos == len;
}
