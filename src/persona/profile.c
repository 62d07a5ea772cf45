/*-------------------------------------------------------------------------
 *
 * profile.c
 *	  The segment_profile state (pure core): adding rows, merging two
 *	  profiles, and the flat form with its validation.
 *
 * Numbers are accumulated as PostgreSQL's float8_accum and float8_combine
 * do (Youngs & Cramer 1971; Chan, Golub & LeVeque 1979 for the merge):
 * N, Sx and Sxx, the sum of squared deviations from the running mean, so
 * that the mean is Sx / N and the population standard deviation
 * sqrt(Sxx / N), as avg() and stddev_pop() give them.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <string.h>

#include "profile.h"

void
seg_profile_init(Profile *p)
{
	memset(p, 0, sizeof(*p));
}

static void
attr_free(ProfileAttr *a)
{
	for (int i = 0; i < a->nlevels; i++)
		core_free(a->levels[i].text);
	core_free(a->levels);
	core_free(a->name);
}

void
seg_profile_free(Profile *p)
{
	for (int i = 0; i < p->nattrs; i++)
		attr_free(&p->attrs[i]);
	core_free(p->attrs);
	seg_profile_init(p);
}

int
seg_profile_text_cmp(const char *a, int alen, const char *b, int blen)
{
	int			c;

	if (alen != blen)
		return alen < blen ? -1 : 1;
	c = memcmp(a, b, alen);
	return c < 0 ? -1 : c > 0;
}

static char *
copy_text(const char *s, int len)
{
	char	   *t = core_alloc(len + 1);

	memcpy(t, s, len);
	t[len] = '\0';
	return t;
}

/* the first index whose text is >= (s, len), by binary search */
#define LOWER_BOUND(arr, count, field, lenfield, s, len, out) \
	do { \
		int _lo = 0, _hi = (count); \
		while (_lo < _hi) \
		{ \
			int _mid = (_lo + _hi) / 2; \
			if (seg_profile_text_cmp((arr)[_mid].field, (arr)[_mid].lenfield, (s), (len)) < 0) \
				_lo = _mid + 1; \
			else \
				_hi = _mid; \
		} \
		(out) = _lo; \
	} while (0)

static void
text_too_long(const char *what, int len, CoreError *err)
{
	core_fail(err, CORE_ERR_PROGRAM_LIMIT, -1,
			  "%s of %s bytes is too long for a segment profile", what, CORE_INT(len));
	core_hint(err, "Names and category values can be at most 200 bytes long.");
}

ProfileAttr *
seg_profile_attr(Profile *p, const char *name, int len, CoreError *err)
{
	int			i;
	ProfileAttr *a;

	LOWER_BOUND(p->attrs, p->nattrs, name, len, name, len, i);
	if (i < p->nattrs && seg_profile_text_cmp(p->attrs[i].name, p->attrs[i].len, name, len) == 0)
		return &p->attrs[i];
	if (len > PROFILE_MAX_TEXT)
	{
		text_too_long("an attribute name", len, err);
		return NULL;
	}
	if (p->nattrs >= PROFILE_MAX_ATTRIBUTES)
	{
		core_fail(err, CORE_ERR_PROGRAM_LIMIT, -1, "a segment profile can have at most %s attributes",
				  CORE_INT(PROFILE_MAX_ATTRIBUTES));
		return NULL;
	}
	if (p->nattrs == p->alloc)
	{
		p->alloc = p->alloc ? 2 * p->alloc : 8;
		p->attrs = core_realloc(p->attrs, sizeof(ProfileAttr) * p->alloc);
	}
	memmove(&p->attrs[i + 1], &p->attrs[i], sizeof(ProfileAttr) * (p->nattrs - i));
	p->nattrs++;
	a = &p->attrs[i];
	memset(a, 0, sizeof(*a));
	a->name = copy_text(name, len);
	a->len = len;
	return a;
}

const char *
seg_profile_kind_name(int kind)
{
	switch (kind)
	{
		case PROFILE_NUMBER:
			return "number";
		case PROFILE_BOOLEAN:
			return "boolean";
		case PROFILE_CATEGORY:
			return "category";
		default:
			return "null";
	}
}

/* a takes kind, or fails if it has another */
static bool
set_kind(ProfileAttr *a, int kind, CoreError *err)
{
	if (a->kind == kind)
		return true;
	if (a->kind == PROFILE_NULL)
	{
		a->kind = kind;
		return true;
	}
	core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
			  "attribute \"%s\" is a %s in one row and a %s in another",
			  a->name, seg_profile_kind_name(a->kind), seg_profile_kind_name(kind));
	core_hint(err, "Give an attribute values of one kind: numbers, booleans or strings.");
	return false;
}

static bool
overflow(const ProfileAttr *a, CoreError *err)
{
	return core_fail(err, CORE_ERR_OUT_OF_RANGE, -1,
					 "the sum of attribute \"%s\" is out of range", a->name);
}

bool
seg_profile_add_number(ProfileAttr *a, double x, CoreError *err)
{
	double		n,
				sx,
				tmp;

	if (!set_kind(a, PROFILE_NUMBER, err))
		return false;
	if (!isfinite(x))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "attribute \"%s\" is not a finite number", a->name);
	/* float8_accum */
	n = (double) (a->n + 1);
	sx = a->sx + x;
	if (a->n > 0)
	{
		tmp = x * n - sx;
		a->sxx += tmp * tmp / (n * (n - 1.0));
	}
	a->sx = sx;
	a->n++;
	if (!isfinite(a->sx) || !isfinite(a->sxx))
		return overflow(a, err);
	return true;
}

bool
seg_profile_add_boolean(ProfileAttr *a, bool b, CoreError *err)
{
	if (!set_kind(a, PROFILE_BOOLEAN, err))
		return false;
	a->n++;
	a->trues += b;
	return true;
}

/* add count to value v of category a, inserting it in order */
static bool
add_level(ProfileAttr *a, const char *v, int len, int64_t count, CoreError *err)
{
	int			i;
	ProfileLevel *l;

	LOWER_BOUND(a->levels, a->nlevels, text, len, v, len, i);
	if (i < a->nlevels && seg_profile_text_cmp(a->levels[i].text, a->levels[i].len, v, len) == 0)
	{
		a->levels[i].count += count;
		a->n += count;
		return true;
	}
	if (len > PROFILE_MAX_TEXT)
	{
		text_too_long("a category value", len, err);
		return false;
	}
	if (a->nlevels >= PROFILE_MAX_LEVELS)
	{
		core_fail(err, CORE_ERR_PROGRAM_LIMIT, -1,
				  "attribute \"%s\" has more than %s distinct values", a->name, CORE_INT(PROFILE_MAX_LEVELS));
		core_hint(err, "Group rare values into one, or profile the attribute as a number.");
		return false;
	}
	if (a->nlevels == a->alloc)
	{
		a->alloc = a->alloc ? 2 * a->alloc : 8;
		a->levels = core_realloc(a->levels, sizeof(ProfileLevel) * a->alloc);
	}
	memmove(&a->levels[i + 1], &a->levels[i], sizeof(ProfileLevel) * (a->nlevels - i));
	a->nlevels++;
	l = &a->levels[i];
	l->text = copy_text(v, len);
	l->len = len;
	l->count = count;
	a->n += count;
	return true;
}

bool
seg_profile_add_category(ProfileAttr *a, const char *v, int len, CoreError *err)
{
	if (!set_kind(a, PROFILE_CATEGORY, err))
		return false;
	return add_level(a, v, len, 1, err);
}

/* b's attribute into a's (same name) */
static bool
merge_attr(ProfileAttr *a, const ProfileAttr *b, CoreError *err)
{
	if (b->kind == PROFILE_NULL)
		return true;
	if (!set_kind(a, b->kind, err))
		return false;
	switch (b->kind)
	{
		case PROFILE_NUMBER:
			/* float8_combine */
			if (b->n == 0)
				break;
			if (a->n == 0)
			{
				a->n = b->n;
				a->sx = b->sx;
				a->sxx = b->sxx;
				break;
			}
			{
				double		n1 = (double) a->n,
							n2 = (double) b->n,
							n = n1 + n2,
							tmp = a->sx / n1 - b->sx / n2;

				a->sx += b->sx;
				a->sxx += b->sxx + n1 * n2 * tmp * tmp / n;
				a->n += b->n;
				if (!isfinite(a->sx) || !isfinite(a->sxx))
					return overflow(a, err);
			}
			break;
		case PROFILE_BOOLEAN:
			a->n += b->n;
			a->trues += b->trues;
			break;
		case PROFILE_CATEGORY:
			for (int i = 0; i < b->nlevels; i++)
			{
				core_check_interrupts();
				if (!add_level(a, b->levels[i].text, b->levels[i].len, b->levels[i].count, err))
					return false;
			}
			break;
	}
	return true;
}

bool
seg_profile_merge(Profile *a, const Profile *b, CoreError *err)
{
	a->rows += b->rows;
	for (int i = 0; i < b->nattrs; i++)
	{
		ProfileAttr *x = seg_profile_attr(a, b->attrs[i].name, b->attrs[i].len, err);

		if (x == NULL || !merge_attr(x, &b->attrs[i], err))
			return false;
	}
	return true;
}

/* ---- the flat form ---- */

typedef struct Writer
{
	char	   *buf;
	size_t		len;
	size_t		alloc;
} Writer;

static void
put(Writer *w, const void *src, size_t n)
{
	if (w->len + n > w->alloc)
	{
		while (w->len + n > w->alloc)
			w->alloc = w->alloc ? 2 * w->alloc : 256;
		w->buf = core_realloc(w->buf, w->alloc);
	}
	memcpy(w->buf + w->len, src, n);
	w->len += n;
}

static void
put_uint(Writer *w, uint64_t v, int bytes)
{
	unsigned char b[8];

	for (int i = 0; i < bytes; i++)
		b[i] = (unsigned char) (v >> (8 * (bytes - 1 - i)));
	put(w, b, bytes);
}

static void
put_double(Writer *w, double d)
{
	uint64_t	v;

	memcpy(&v, &d, 8);
	put_uint(w, v, 8);
}

static void
put_text(Writer *w, const char *s, int len)
{
	put_uint(w, (uint64_t) len, 2);
	put(w, s, len);
}

char *
seg_profile_encode(const Profile *p, size_t *size)
{
	Writer		w = {0};

	put_uint(&w, PROFILE_VERSION, 4);
	put_uint(&w, (uint64_t) p->rows, 8);
	put_uint(&w, (uint64_t) p->nattrs, 4);
	for (int i = 0; i < p->nattrs; i++)
	{
		const ProfileAttr *a = &p->attrs[i];

		put_text(&w, a->name, a->len);
		put_uint(&w, (uint64_t) a->kind, 1);
		put_uint(&w, (uint64_t) a->n, 8);
		switch (a->kind)
		{
			case PROFILE_NUMBER:
				put_double(&w, a->sx);
				put_double(&w, a->sxx);
				break;
			case PROFILE_BOOLEAN:
				put_uint(&w, (uint64_t) a->trues, 8);
				break;
			case PROFILE_CATEGORY:
				put_uint(&w, (uint64_t) a->nlevels, 4);
				for (int j = 0; j < a->nlevels; j++)
				{
					put_text(&w, a->levels[j].text, a->levels[j].len);
					put_uint(&w, (uint64_t) a->levels[j].count, 8);
				}
				break;
		}
	}
	*size = w.len;
	return w.buf;
}

typedef struct Reader
{
	const unsigned char *start;
	const unsigned char *p;
	size_t		left;
	CoreErrorCode code;
	CoreError  *err;
	bool		failed;
} Reader;

static bool
bad(Reader *r, const char *what)
{
	if (!r->failed)
	{
		core_fail(r->err, r->code, -1, "invalid segment_profile value");
		core_detail(r->err, what, CORE_INT(r->p - r->start));
		r->failed = true;
	}
	return false;
}

static uint64_t
get_uint(Reader *r, int bytes)
{
	uint64_t	v = 0;

	if (r->failed)
		return 0;
	if (r->left < (size_t) bytes)
	{
		bad(r, core_N_("The value ends too early (at byte %s)."));
		return 0;
	}
	for (int i = 0; i < bytes; i++)
		v = (v << 8) | r->p[i];
	r->p += bytes;
	r->left -= bytes;
	return v;
}

static double
get_double(Reader *r)
{
	uint64_t	v = get_uint(r, 8);
	double		d;

	memcpy(&d, &v, 8);
	return d;
}

/* a count: at most max (and at most INT64_MAX) */
static int64_t
get_count(Reader *r, int64_t max, const char *what)
{
	uint64_t	v = get_uint(r, 8);

	if (v > (uint64_t) max)
	{
		bad(r, what);
		return 0;
	}
	return (int64_t) v;
}

/* a name or value: at most PROFILE_MAX_TEXT bytes, no NUL */
static const char *
get_text(Reader *r, int *len)
{
	int			n = (int) get_uint(r, 2);
	const char *s;

	*len = 0;
	if (r->failed)
		return NULL;
	if (n > PROFILE_MAX_TEXT)
		return bad(r, core_N_("A name or category value is too long (at byte %s).")), NULL;
	if (r->left < (size_t) n)
		return bad(r, core_N_("The value ends too early (at byte %s).")), NULL;
	if (memchr(r->p, '\0', n) != NULL)
		return bad(r, core_N_("A name or category value holds a zero byte (at byte %s).")), NULL;
	s = (const char *) r->p;
	r->p += n;
	r->left -= n;
	*len = n;
	return copy_text(s, n);
}

static bool
decode_attr(Reader *r, ProfileAttr *a, int64_t rows)
{
	a->kind = (int) get_uint(r, 1);
	a->n = get_count(r, rows, core_N_("An attribute is present in more rows than the profile has (at byte %s)."));
	if (r->failed)
		return false;
	switch (a->kind)
	{
		case PROFILE_NULL:
			if (a->n != 0)
				return bad(r, core_N_("An attribute without a kind has values (at byte %s)."));
			break;
		case PROFILE_NUMBER:
			a->sx = get_double(r);
			a->sxx = get_double(r);
			if (r->failed)
				return false;
			if (!isfinite(a->sx) || !isfinite(a->sxx) || a->sxx < 0 ||
				(a->n == 0 && (a->sx != 0 || a->sxx != 0)) || (a->n == 1 && a->sxx != 0))
				return bad(r, core_N_("A number's sums are not those of any data (at byte %s)."));
			break;
		case PROFILE_BOOLEAN:
			a->trues = get_count(r, a->n, core_N_("A boolean is true in more rows than it has (at byte %s)."));
			break;
		case PROFILE_CATEGORY:
			{
				int64_t		total = 0;
				uint64_t	nl = get_uint(r, 4);

				if (r->failed)
					return false;
				if (nl > PROFILE_MAX_LEVELS || nl > (uint64_t) a->n)
					return bad(r, core_N_("A category has too many values (at byte %s)."));
				a->levels = core_alloc0(sizeof(ProfileLevel) * (nl ? nl : 1));
				a->alloc = (int) (nl ? nl : 1);
				for (int j = 0; j < (int) nl; j++)
				{
					ProfileLevel *l = &a->levels[j];

					core_check_interrupts();
					l->text = (char *) get_text(r, &l->len);
					if (l->text != NULL)
						a->nlevels++;
					l->count = get_count(r, a->n - total, core_N_("A category's counts do not add up to its rows (at byte %s)."));
					if (r->failed)
						return false;
					if (l->count < 1)
						return bad(r, core_N_("A category value has no rows (at byte %s)."));
					if (j > 0 && seg_profile_text_cmp(a->levels[j - 1].text, a->levels[j - 1].len, l->text, l->len) >= 0)
						return bad(r, core_N_("A category's values are not in order (at byte %s)."));
					total += l->count;
				}
				if (total != a->n)
					return bad(r, core_N_("A category's counts do not add up to its rows (at byte %s)."));
			}
			break;
		default:
			return bad(r, core_N_("An attribute has an unknown kind (at byte %s)."));
	}
	return !r->failed;
}

bool
seg_profile_decode(const char *buf, size_t size, Profile *p, CoreErrorCode code, CoreError *err)
{
	Reader		r = {(const unsigned char *) buf, (const unsigned char *) buf, size, code, err, false};
	uint64_t	version,
				nattrs;
	int64_t		rows;

	seg_profile_init(p);
	version = get_uint(&r, 4);
	if (!r.failed && version != PROFILE_VERSION)
		bad(&r, core_N_("The format version is not 1 (at byte %s)."));
	rows = get_count(&r, INT64_MAX, core_N_("The row count is out of range (at byte %s)."));
	nattrs = get_uint(&r, 4);
	if (r.failed)
		return false;
	if (nattrs > PROFILE_MAX_ATTRIBUTES)
		bad(&r, core_N_("There are more than 100 attributes (at byte %s)."));
	if (r.failed)
		return false;
	p->rows = rows;
	p->attrs = core_alloc0(sizeof(ProfileAttr) * (nattrs ? nattrs : 1));
	p->alloc = (int) (nattrs ? nattrs : 1);
	for (int i = 0; i < (int) nattrs; i++)
	{
		ProfileAttr *a = &p->attrs[i];

		core_check_interrupts();
		a->name = (char *) get_text(&r, &a->len);
		if (r.failed)
			break;
		p->nattrs++;
		if (i > 0 && seg_profile_text_cmp(p->attrs[i - 1].name, p->attrs[i - 1].len, a->name, a->len) >= 0)
		{
			bad(&r, core_N_("The attributes are not in order (at byte %s)."));
			break;
		}
		if (!decode_attr(&r, a, rows))
			break;
	}
	if (!r.failed && r.left != 0)
		bad(&r, core_N_("There are bytes after the last attribute (at byte %s)."));
	if (r.failed)
		seg_profile_free(p);
	return !r.failed;
}
