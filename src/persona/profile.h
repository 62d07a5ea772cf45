/*-------------------------------------------------------------------------
 *
 * profile.h
 *	  What a group of customers looks like, attribute by attribute (pure
 *	  core): the state of the segment_profile aggregate, its merge, its flat
 *	  (binary) form, and the comparison of a segment with its population
 *	  that personas are made of.
 *
 * An attribute is a number (count, sum and sum of squared deviations, as
 * PostgreSQL's float8 avg and stddev_pop keep them: Youngs & Cramer 1971),
 * a boolean (count of true) or a category (a count per value).  Rows
 * without the attribute, or with it null, count as missing: n is the
 * number of rows that have it.  Attributes and category values are kept
 * sorted (by length, then bytes, the order of jsonb's keys), so that two
 * profiles merge in one pass and a profile's bytes do not depend on the
 * order its rows came in.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_PROFILE_H
#define SEGMENTATION_PROFILE_H

#include "core.h"

#define PROFILE_VERSION 1
#define PROFILE_MAX_ATTRIBUTES 100	/* attributes per profile */
#define PROFILE_MAX_LEVELS 1000 /* values per category */
#define PROFILE_MAX_TEXT 200	/* bytes of a name or a category value */

typedef enum ProfileKind
{
	PROFILE_NULL = 0,			/* only ever missing so far */
	PROFILE_NUMBER = 1,
	PROFILE_BOOLEAN = 2,
	PROFILE_CATEGORY = 3
} ProfileKind;

typedef struct ProfileLevel
{
	char	   *text;			/* not NUL-terminated */
	int			len;
	int64_t		count;			/* >= 1 */
} ProfileLevel;

typedef struct ProfileAttr
{
	char	   *name;			/* not NUL-terminated */
	int			len;
	int			kind;			/* ProfileKind */
	int64_t		n;				/* rows that have the attribute */
	double		sx;				/* number: sum */
	double		sxx;			/* number: sum of squared deviations */
	int64_t		trues;			/* boolean: rows with true */
	int			nlevels;		/* category: distinct values, sorted */
	int			alloc;
	ProfileLevel *levels;
} ProfileAttr;

typedef struct Profile
{
	int64_t		rows;
	int			nattrs;
	int			alloc;
	ProfileAttr *attrs;			/* sorted by (len, bytes) of the name */
} Profile;

extern void seg_profile_init(Profile *p);
extern void seg_profile_free(Profile *p);

/* the order of names and values: length, then bytes (jsonb's key order) */
extern int	seg_profile_text_cmp(const char *a, int alen, const char *b, int blen);

/* The attribute called name, added (kind PROFILE_NULL) if new; NULL with
 * err (54000) beyond PROFILE_MAX_ATTRIBUTES or PROFILE_MAX_TEXT. */
extern ProfileAttr *seg_profile_attr(Profile *p, const char *name, int len, CoreError *err);

/* One row's value of an attribute.  false with err (22023) when the
 * attribute had another kind, x is not finite, or a category value is too
 * long or one too many; 22003 when a sum overflows. */
extern bool seg_profile_add_number(ProfileAttr *a, double x, CoreError *err);
extern bool seg_profile_add_boolean(ProfileAttr *a, bool b, CoreError *err);
extern bool seg_profile_add_category(ProfileAttr *a, const char *v, int len, CoreError *err);

/* add b into a (as if a had seen b's rows too) */
extern bool seg_profile_merge(Profile *a, const Profile *b, CoreError *err);

/* The flat form (big-endian, core_alloc'd, *size bytes): the binary form
 * of segment_profile, and the aggregate's serialised state. */
extern char *seg_profile_encode(const Profile *p, size_t *size);

/* Read and check a flat form into p (initialised here, strings copied);
 * false with err (code) naming what is wrong, and p empty. */
extern bool seg_profile_decode(const char *buf, size_t size, Profile *p,
						   CoreErrorCode code, CoreError *err);

/* kind's name in messages and views: "number", "boolean", "category" */
extern const char *seg_profile_kind_name(int kind);

/*
 * One line of a persona: an attribute (and, for a category, one of its
 * values) in a segment and in the population.  value is the segment's mean
 * (a number) or share (a boolean's share of true, a category value's share
 * of the rows that have the attribute); lift = segment / population;
 * difference = (segment - population) / the population's standard
 * deviation (for a share p, sqrt(p (1 - p)), the standard deviation of its
 * 0/1 indicator).  NaN where there is no such number (no rows, a zero
 * population value or deviation).
 */
typedef struct PersonaItem
{
	const char *attribute;
	int			attribute_len;
	const char *value;			/* NULL for a number or boolean */
	int			value_len;
	int			kind;
	int			order;			/* position in the profiles' order */
	double		segment;
	double		population;
	double		lift;
	double		difference;
} PersonaItem;

/*
 * The comparison of segment with population, every attribute of either
 * (every value of a category), the largest |difference| first (NaN last,
 * then in the profiles' order).  *items is core_alloc'd and points into the
 * two profiles.  false with err (22023) when an attribute has two kinds.
 */
extern bool persona_compare(const Profile *segment, const Profile *population,
							PersonaItem **items, int *nitems, CoreError *err);

/*
 * The persona as one readable line, from persona_compare's items: the top
 * attributes (the value of a category that differs most) whose |difference|
 * is at least min_difference.  Numbers read "high name" or "low name" (or,
 * for a name "low|high", the word of its side), joined by ", "; then
 * booleans ("80% opted in", "only 12% opted in" below the population) and
 * categories ("mostly DE" above half, "35% FR", "only 3% AT", "no AT"),
 * each after "; ".  "like the population" when none qualifies.
 * core_alloc'd.
 */
extern char *persona_line(const PersonaItem *items, int nitems, int top, double min_difference);

#endif							/* SEGMENTATION_PROFILE_H */
