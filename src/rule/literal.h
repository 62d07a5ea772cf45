/*-------------------------------------------------------------------------
 *
 * literal.h
 *	  How the jsonb evaluator reads a string (pure core): is it a number in
 *	  JSON's grammar, is it an ISO 8601 date or timestamp.  Strict forms
 *	  only, so that what a string means never depends on DateStyle.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_RULE_LITERAL_H
#define SEGMENTATION_RULE_LITERAL_H

#include "core.h"

/* A date or timestamp in ISO 8601: YYYY-MM-DD, optionally followed by
 * T or a space and hh:mm[:ss[.ffffff]], optionally followed by Z or a
 * numeric offset (+hh, +hhmm, +hh:mm). */
typedef struct RuleDateTime
{
	int			year;			/* 1 .. 9999 */
	int			month;			/* 1 .. 12 */
	int			day;			/* 1 .. days in that month */
	int			hour;			/* 0 .. 23 */
	int			minute;			/* 0 .. 59 */
	int			second;			/* 0 .. 59 */
	int			usec;			/* 0 .. 999999 */
	bool		has_time;
	bool		has_zone;
	int			zone_seconds;	/* east of UTC: +02:00 is 7200 */
} RuleDateTime;

extern bool rule_read_datetime(const char *s, size_t len, RuleDateTime *out);

/* -?digits[.digits][(e|E)[+-]digits] (JSON's number, with an optional
 * leading + or . allowed as the rule language allows them) */
extern bool rule_is_number(const char *s, size_t len);

#endif							/* SEGMENTATION_RULE_LITERAL_H */
