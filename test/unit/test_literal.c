/*
 * test_literal.c
 *	  The strict readers of the jsonb evaluator (src/rule/literal.c): what
 *	  is a number, what is an ISO 8601 date or timestamp, and what is not.
 */
#include <string.h>

#include "rule/literal.h"
#include "unit.h"

static bool
dt(const char *s, RuleDateTime *out)
{
	return rule_read_datetime(s, strlen(s), out);
}

static bool
num(const char *s)
{
	return rule_is_number(s, strlen(s));
}

int
main(void)
{
	RuleDateTime d;
	static const char *const good_numbers[] = {"0", "5", "-1", "+2", "2.5", ".5", "5.", "1e3", "1E-3", "-2.5e+10", "007"};
	static const char *const bad_numbers[] = {"", "-", ".", "e3", "1e", "1e+", "1.2.3", "5 ", " 5", "0x10", "NaN", "Infinity", "1,5", "--1"};
	static const char *const bad_dates[] = {
		"", "2024", "2024-1-05", "24-01-05", "2024-13-01", "2024-00-10", "2024-02-30", "2023-02-29",
		"2024-04-31", "0000-01-01", "2024-01-05T", "2024-01-05T1:00", "2024-01-05T24:01", "2024-01-05T24:00:00.5",
		"2024-01-05T25:00", "2024-01-05T10:60", "2024-01-05T10:00:61", "2024-01-05T10:00:60.5",
		"2024-01-05T10:00:00.", "2024-01-05T10:00:00.1234567", "2024-01-05X10:00",
		"2024-01-05T10:00+2", "2024-01-05T10:00+02:0", "2024-01-05T10:00+16", "2024-01-05T10:00Zz",
		"2024/01/05", "05.01.2024", "Jan 5 2024", "2024-01-05 ", " 2024-01-05", "yesterday"};

	for (size_t i = 0; i < sizeof(good_numbers) / sizeof(*good_numbers); i++)
		CHECK(num(good_numbers[i]), "\"%s\" is a number", good_numbers[i]);
	for (size_t i = 0; i < sizeof(bad_numbers) / sizeof(*bad_numbers); i++)
		CHECK(!num(bad_numbers[i]), "\"%s\" is not a number", bad_numbers[i]);

	CHECK(dt("2024-02-29", &d) && d.year == 2024 && d.month == 2 && d.day == 29 && !d.has_time && !d.has_zone,
		  "a leap day is a date");
	CHECK(dt("2000-02-29", &d) && !dt("1900-02-29", &d), "leap years: 2000 yes, 1900 no");
	CHECK(dt("2024-01-05T10:30", &d) && d.has_time && d.hour == 10 && d.minute == 30 && d.second == 0 && !d.has_zone,
		  "date and hh:mm");
	CHECK(dt("2024-01-05 23:59:59.5", &d) && d.second == 59 && d.usec == 500000,
		  "a space separates, a fraction is microseconds");
	CHECK(dt("2024-01-05t00:00:00.000001z", &d) && d.usec == 1 && d.has_zone && d.zone_seconds == 0,
		  "lower-case t and z");
	CHECK(dt("2024-01-05T10:00:00+02:00", &d) && d.has_zone && d.zone_seconds == 7200, "+02:00 is 7200 s east");
	CHECK(dt("2024-01-05T10:00-0530", &d) && d.zone_seconds == -(5 * 3600 + 30 * 60), "-0530 without a colon");
	CHECK(dt("2024-01-05T10:00:00+14", &d) && d.zone_seconds == 14 * 3600, "+14, hours only");
	CHECK(dt("9999-12-31T23:59:59.999999Z", &d) && d.year == 9999, "the last representable instant");
	CHECK(dt("2024-01-05T24:00", &d) && d.hour == 24 && d.minute == 0 && dt("2024-01-05 24:00:00", &d),
		  "24:00 is read, as timestamptz_in reads it (the next midnight)");
	CHECK(dt("2024-01-05T10:00:60", &d) && d.second == 60, "a second of 60 is read, as timestamptz_in reads it");
	for (size_t i = 0; i < sizeof(bad_dates) / sizeof(*bad_dates); i++)
		CHECK(!dt(bad_dates[i], &d), "\"%s\" is not an ISO date or timestamp", bad_dates[i]);
	/* the length bounds the read: a valid prefix of a longer buffer */
	CHECK(rule_read_datetime("2024-01-05garbage", 10, &d) && d.day == 5, "reads exactly len bytes");
	CHECK(!rule_read_datetime("2024-01-05", 9, &d), "a cut date is not a date");

	return unit_done();
}
