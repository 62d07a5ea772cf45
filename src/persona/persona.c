/*-------------------------------------------------------------------------
 *
 * persona.c
 *	  A segment against its population (pure core): per attribute the
 *	  segment's mean or share, the population's, the lift and the
 *	  standardised difference, largest first, and the readable line.
 *
 * The standardised difference is (segment - population) / sd, sd the
 * population's standard deviation of the attribute (population form,
 * divisor N); for a share p it is sqrt(p (1 - p)), the standard deviation
 * of the 0/1 indicator, so that a boolean or a category value reads like a
 * 0/1 number (Cohen's d against the population, as the standardised mean
 * difference of Austin 2009 with the reference group's deviation).
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

static double
ratio(double a, double b)
{
	return (isnan(a) || isnan(b) || b == 0) ? NAN : a / b;
}

static double
share(int64_t count, int64_t n)
{
	return n > 0 ? (double) count / (double) n : NAN;
}

static void
fill(PersonaItem *it, double seg, double pop, double sd)
{
	it->segment = seg;
	it->population = pop;
	it->lift = ratio(seg, pop);
	it->difference = (isnan(sd) || sd <= 0) ? NAN : ratio(seg - pop, sd);
}

static double
share_sd(double p)
{
	return isnan(p) ? NAN : sqrt(p * (1 - p));
}

static int64_t
level_count(const ProfileAttr *a, const char *v, int len)
{
	if (a == NULL || a->kind != PROFILE_CATEGORY)
		return 0;
	for (int i = 0; i < a->nlevels; i++)
		if (seg_profile_text_cmp(a->levels[i].text, a->levels[i].len, v, len) == 0)
			return a->levels[i].count;
	return 0;
}

/* the items of one attribute, present in s, p or both, appended */
static void
compare_attr(const ProfileAttr *s, const ProfileAttr *p, int kind, PersonaItem *items, int *n, int *order)
{
	const ProfileAttr *named = s ? s : p;
	int64_t		sn = s ? s->n : 0,
				pn = p ? p->n : 0;

	if (kind == PROFILE_CATEGORY)
	{
		/* every value of either, in order: a merge of two sorted lists */
		int			i = 0,
					j = 0,
					si = s && s->kind == kind ? s->nlevels : 0,
					pj = p && p->kind == kind ? p->nlevels : 0;

		while (i < si || j < pj)
		{
			const ProfileLevel *l;
			int			c;
			PersonaItem *it = &items[(*n)++];
			double		ps;

			core_check_interrupts();
			if (i >= si)
				c = 1;
			else if (j >= pj)
				c = -1;
			else
				c = seg_profile_text_cmp(s->levels[i].text, s->levels[i].len, p->levels[j].text, p->levels[j].len);
			l = c <= 0 ? &s->levels[i] : &p->levels[j];
			memset(it, 0, sizeof(*it));
			it->attribute = named->name;
			it->attribute_len = named->len;
			it->value = l->text;
			it->value_len = l->len;
			it->kind = kind;
			it->order = (*order)++;
			ps = share(level_count(p, l->text, l->len), pn);
			fill(it, share(level_count(s, l->text, l->len), sn), ps, share_sd(ps));
			if (c <= 0)
				i++;
			if (c >= 0)
				j++;
		}
		return;
	}
	{
		PersonaItem *it = &items[(*n)++];

		memset(it, 0, sizeof(*it));
		it->attribute = named->name;
		it->attribute_len = named->len;
		it->kind = kind;
		it->order = (*order)++;
		if (kind == PROFILE_NUMBER)
			fill(it, sn > 0 ? s->sx / (double) sn : NAN, pn > 0 ? p->sx / (double) pn : NAN,
				 pn > 0 ? sqrt(p->sxx / (double) pn) : NAN);
		else
		{
			double		ps = share(p ? p->trues : 0, pn);

			fill(it, share(s ? s->trues : 0, sn), ps, share_sd(ps));
		}
	}
}

static int
item_cmp(const void *a, const void *b)
{
	const PersonaItem *x = a,
			   *y = b;
	bool		xn = isnan(x->difference),
				yn = isnan(y->difference);

	if (xn != yn)
		return xn ? 1 : -1;
	if (!xn && fabs(x->difference) != fabs(y->difference))
		return fabs(x->difference) > fabs(y->difference) ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

bool
persona_compare(const Profile *segment, const Profile *population, PersonaItem **items, int *nitems,
				CoreError *err)
{
	int			max = 0,
				n = 0,
				order = 0,
				i = 0,
				j = 0;
	PersonaItem *out;

	for (int a = 0; a < segment->nattrs; a++)
		max += segment->attrs[a].kind == PROFILE_CATEGORY ? segment->attrs[a].nlevels : 1;
	for (int a = 0; a < population->nattrs; a++)
		max += population->attrs[a].kind == PROFILE_CATEGORY ? population->attrs[a].nlevels : 1;
	out = core_alloc(sizeof(PersonaItem) * (max ? max : 1));

	while (i < segment->nattrs || j < population->nattrs)
	{
		const ProfileAttr *s = NULL,
				   *p = NULL;
		int			c,
					kind;

		if (i >= segment->nattrs)
			c = 1;
		else if (j >= population->nattrs)
			c = -1;
		else
			c = seg_profile_text_cmp(segment->attrs[i].name, segment->attrs[i].len,
								 population->attrs[j].name, population->attrs[j].len);
		if (c <= 0)
			s = &segment->attrs[i++];
		if (c >= 0)
			p = &population->attrs[j++];
		if (s && p && s->kind != PROFILE_NULL && p->kind != PROFILE_NULL && s->kind != p->kind)
		{
			core_free(out);
			core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
					  "attribute \"%s\" is a %s in the segment and a %s in the population",
					  s->name, seg_profile_kind_name(s->kind), seg_profile_kind_name(p->kind));
			core_hint(err, "Compare profiles built from the same attributes.");
			return false;
		}
		kind = (s && s->kind != PROFILE_NULL) ? s->kind : p ? p->kind : PROFILE_NULL;
		if (kind == PROFILE_NULL)
			continue;
		compare_attr(s, p, kind, out, &n, &order);
	}
	qsort(out, n, sizeof(PersonaItem), item_cmp);
	*items = out;
	*nitems = n;
	return true;
}

/* ---- the readable line ---- */

typedef struct Line
{
	char	   *buf;
	size_t		len;
	size_t		alloc;
} Line;

static void
add(Line *l, const char *s, size_t n)
{
	if (l->len + n + 1 > l->alloc)
	{
		while (l->len + n + 1 > l->alloc)
			l->alloc = l->alloc ? 2 * l->alloc : 128;
		l->buf = core_realloc(l->buf, l->alloc);
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

static void
add_str(Line *l, const char *s)
{
	add(l, s, strlen(s));
}

static void
add_percent(Line *l, double share)
{
	char		b[CORE_NUM_LEN];

	snprintf(b, sizeof(b), "%d%% ", (int) floor(100 * share + 0.5));
	add_str(l, b);
}

/* one item's words */
static void
describe(Line *l, const PersonaItem *it)
{
	if (it->kind == PROFILE_NUMBER)
	{
		const char *bar = memchr(it->attribute, '|', it->attribute_len);

		if (bar != NULL)
		{
			if (it->difference < 0)
				add(l, it->attribute, bar - it->attribute);
			else
				add(l, bar + 1, it->attribute + it->attribute_len - bar - 1);
			return;
		}
		add_str(l, it->difference < 0 ? "low " : "high ");
		add(l, it->attribute, it->attribute_len);
	}
	else if (it->kind == PROFILE_BOOLEAN)
	{
		if (it->difference < 0)
			add_str(l, "only ");
		add_percent(l, it->segment);
		add(l, it->attribute, it->attribute_len);
	}
	else
	{
		if (it->difference < 0 && floor(100 * it->segment + 0.5) == 0)
			add_str(l, "no ");
		else if (it->difference < 0)
		{
			add_str(l, "only ");
			add_percent(l, it->segment);
		}
		else if (it->segment >= 0.5)
			add_str(l, "mostly ");
		else
			add_percent(l, it->segment);
		add(l, it->value, it->value_len);
	}
}

char *
persona_line(const PersonaItem *items, int nitems, int top, double min_difference)
{
	Line		l = {0};
	const PersonaItem **chosen = core_alloc(sizeof(PersonaItem *) * (nitems ? nitems : 1));
	int			nchosen = 0;
	bool		any = false;

	/* items come largest first: take each attribute's first, while they qualify */
	for (int i = 0; i < nitems && nchosen < top; i++)
	{
		bool		seen = false;

		if (isnan(items[i].difference) || !(fabs(items[i].difference) >= min_difference))
			break;
		for (int c = 0; c < nchosen && !seen; c++)
			seen = chosen[c]->attribute == items[i].attribute;
		if (!seen)
			chosen[nchosen++] = &items[i];
	}
	/* numbers first, joined by commas; then the others, by semicolons */
	for (int pass = 0; pass < 2; pass++)
		for (int c = 0; c < nchosen; c++)
		{
			if ((chosen[c]->kind == PROFILE_NUMBER) != (pass == 0))
				continue;
			if (any)
				add_str(&l, pass == 0 ? ", " : "; ");
			describe(&l, chosen[c]);
			any = true;
		}
	if (!any)
		add_str(&l, "like the population");
	core_free(chosen);
	return l.buf;
}
