/*-------------------------------------------------------------------------
 *
 * binary.c
 *	  The flattened form of a segment rule: what a segment_rule value holds
 *	  on disk and sends on the wire (pure core, see ast.h).
 *
 * One idea: the tree written in prefix order as a stream of 4-byte-aligned
 * little-endian words, with no pointers and no offsets to trust, and one
 * byte sequence per tree.  rule_decode accepts exactly the sequences that
 * rule_flatten writes for the trees that rule_parse can build: every tag,
 * count, length, terminator, padding byte and reserved field is checked, so
 * hostile bytes are an error and never a crash or a read out of bounds, and
 * two values are equal exactly when their bytes are (equality and hashing
 * compare bytes).  The layout (doc/rules.md, "Binary format"):
 *
 *	 rule    = u32 version (= 1), node, and nothing after it
 *	 node    = u8 kind, u8 flags, u8 sub, u8 nparts, u32 count, body
 *			   flags: 1 = negated, 2 = a locale follows, 4 = the subject is
 *			   an aggregate; sub: RuleCmpOp for RULE_CMP, RuleWithinUnit for
 *			   RULE_WITHIN, else 0; nparts: the parts of a predicate's path,
 *			   0 for and / or / not and for an aggregate subject
 *	 body    = and / or / not: count child nodes
 *			 | predicate: [aggregate if flags & 4], nparts strings (the
 *			   path), count literals, [locale string]
 *	 aggregate = u8 kind (RuleAggKind), u8 flags (1 = a column follows,
 *			   2 = a filter follows), u8 window (RuleWindowKind), u8 unit
 *			   (0 without a window), u32 from, u32 to, string source,
 *			   [string column], [node filter]
 *	 string  = u32 n, text
 *	 literal = u32 (kind | n << 8), text unless the kind is null (n = 0)
 *	 text    = n bytes (no zero byte), a zero byte, zero bytes up to the next
 *			   multiple of 4
 *
 * Numbers are read byte by byte, so the bytes need no alignment in memory
 * and read the same on every architecture: the stored form and the wire
 * form are one.  The kinds and flags leave room to grow; a new construct
 * takes a new kind and the version stays 1 until a meaning changes.
 *
 *-------------------------------------------------------------------------
 */
#include "lex.h"

#include <string.h>

#define RULE_FORMAT_VERSION 1
#define FLAG_NEGATED	1
#define FLAG_LOCALE		2
#define FLAG_AGGREGATE	4

/* the flags of an aggregate block */
#define AGG_COLUMN		1
#define AGG_FILTER		2

/*
 * No canonical text of RULE_MAX_TEXT bytes flattens to more than about four
 * times as many bytes (doc/rules.md); anything longer is rejected unread.
 */
#define RULE_MAX_FLAT	(16 * RULE_MAX_TEXT)

/* ---- writing ---- */

typedef struct Out
{
	uint8_t    *data;
	size_t		len;
	size_t		cap;
} Out;

static void
reserve(Out *o, size_t n)
{
	if (o->len + n > o->cap)
	{
		while (o->len + n > o->cap)
			o->cap = o->cap ? o->cap * 2 : 256;
		o->data = core_realloc(o->data, o->cap);
	}
}

static void
put_u8x4(Out *o, int a, int b, int c, int d)
{
	reserve(o, 4);
	o->data[o->len++] = (uint8_t) a;
	o->data[o->len++] = (uint8_t) b;
	o->data[o->len++] = (uint8_t) c;
	o->data[o->len++] = (uint8_t) d;
}

static void
put_u32(Out *o, uint32_t v)
{
	put_u8x4(o, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24);
}

/* n bytes of s, a zero byte, zero padding to a multiple of 4 */
static void
put_text(Out *o, const char *s, size_t n)
{
	size_t		padded = (n + 1 + 3) & ~(size_t) 3;

	reserve(o, padded);
	memcpy(o->data + o->len, s, n);
	memset(o->data + o->len + n, 0, padded - n);
	o->len += padded;
}

static void
put_str(Out *o, const char *s)
{
	size_t		n = strlen(s);

	put_u32(o, (uint32_t) n);
	put_text(o, s, n);
}

static bool
is_predicate(RuleNodeKind kind)
{
	return kind >= RULE_CMP && kind <= RULE_ENDS_WITH;
}

static void put_node(Out *o, const RuleNode *node);

static void
put_aggregate(Out *o, const RuleAggregate *agg)
{
	put_u8x4(o, agg->kind, (agg->column ? AGG_COLUMN : 0) | (agg->filter ? AGG_FILTER : 0),
			 agg->window, agg->window == RULE_WINDOW_NONE ? 0 : agg->unit);
	put_u32(o, (uint32_t) agg->from);
	put_u32(o, (uint32_t) agg->to);
	put_str(o, agg->source);
	if (agg->column)
		put_str(o, agg->column);
	if (agg->filter)
		put_node(o, agg->filter);
}

static void
put_node(Out *o, const RuleNode *node)
{
	int			flags = 0,
				sub = 0;

	core_check_stack();
	if (node->negated)
		flags |= FLAG_NEGATED;
	if (node->locale)
		flags |= FLAG_LOCALE;
	if (node->agg)
		flags |= FLAG_AGGREGATE;
	if (node->kind == RULE_CMP)
		sub = node->op;
	else if (node->kind == RULE_WITHIN)
		sub = node->unit;
	put_u8x4(o, node->kind, flags, sub, node->path.nparts);
	if (!is_predicate(node->kind))
	{
		put_u32(o, (uint32_t) node->nargs);
		for (int i = 0; i < node->nargs; i++)
			put_node(o, node->args[i]);
		return;
	}
	put_u32(o, (uint32_t) node->nlits);
	if (node->agg)
		put_aggregate(o, node->agg);
	for (int i = 0; i < node->path.nparts; i++)
		put_str(o, node->path.parts[i]);
	for (int i = 0; i < node->nlits; i++)
	{
		size_t		n = node->lits[i].kind == RULE_LIT_NULL ? 0 : strlen(node->lits[i].text);

		put_u32(o, (uint32_t) node->lits[i].kind | (uint32_t) n << 8);
		if (node->lits[i].kind != RULE_LIT_NULL)
			put_text(o, node->lits[i].text, n);
	}
	if (node->locale)
		put_str(o, node->locale);
}

void *
rule_flatten(const RuleNode *node, size_t *len)
{
	Out			o = {0};

	put_u32(&o, RULE_FORMAT_VERSION);
	put_node(&o, node);
	*len = o.len;
	return o.data;
}

/* ---- reading ---- */

typedef struct In
{
	const uint8_t *data;
	size_t		len;
	size_t		pos;
	CoreError  *err;
} In;

static bool
decode_error(In *in, size_t at, const char *detail)
{
	core_fail(in->err, CORE_ERR_INVALID_BINARY, (int) at,
			  "invalid binary segment_rule value");
	core_detail(in->err, detail, CORE_INT(at));
	return false;
}

static bool
get_u8x4(In *in, uint8_t b[4])
{
	if (in->len - in->pos < 4)
		return decode_error(in, in->pos, "The value ends in the middle of a field at offset %s.");
	memcpy(b, in->data + in->pos, 4);
	in->pos += 4;
	return true;
}

static bool
get_u32(In *in, uint32_t *v)
{
	uint8_t		b[4];

	if (!get_u8x4(in, b))
		return false;
	*v = (uint32_t) b[0] | (uint32_t) b[1] << 8 | (uint32_t) b[2] << 16 | (uint32_t) b[3] << 24;
	return true;
}

/* The n bytes of text whose header word was at offset at. */
static bool
get_text(In *in, size_t at, size_t n, char **out)
{
	size_t		padded;
	const uint8_t *s;

	if (n >= in->len - in->pos)
		return decode_error(in, at, "A string runs past the end of the value at offset %s.");
	padded = ((size_t) n + 1 + 3) & ~(size_t) 3;
	if (padded > in->len - in->pos)
		return decode_error(in, at, "A string's padding runs past the end of the value at offset %s.");
	s = in->data + in->pos;
	if (memchr(s, 0, n) != NULL)
		return decode_error(in, at, "A string contains a zero byte at offset %s.");
	for (size_t i = n; i < padded; i++)
		if (s[i] != 0)
			return decode_error(in, in->pos + i, "A string is not terminated and padded with zero bytes at offset %s.");
	*out = core_alloc((size_t) n + 1);
	memcpy(*out, s, (size_t) n + 1);
	in->pos += padded;
	return true;
}

/* A string of min to max bytes. */
static bool
get_str(In *in, size_t min, size_t max, char **out)
{
	size_t		at = in->pos;
	uint32_t	n;

	if (!get_u32(in, &n))
		return false;
	if (n < min || n > max)
		return decode_error(in, at, "A name has a length out of range at offset %s.");
	return get_text(in, at, n, out);
}

/* The syntax of a number literal as the parser stores it. */
static bool
number_valid(const char *s)
{
	bool		digits = false;

	if (*s == '-')
		s++;
	while (*s >= '0' && *s <= '9')
		s++, digits = true;
	if (*s == '.')
	{
		s++;
		while (*s >= '0' && *s <= '9')
			s++, digits = true;
	}
	if (!digits)
		return false;
	if (*s == 'e')
	{
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

static bool
get_literal(In *in, RuleLiteral *lit)
{
	size_t		at = in->pos;
	uint32_t	w;

	if (!get_u32(in, &w))
		return false;
	if ((w & 0xff) < RULE_LIT_STRING || (w & 0xff) > RULE_LIT_NULL)
		return decode_error(in, at, "Unknown literal kind at offset %s.");
	lit->kind = w & 0xff;
	lit->location = -1;
	if (lit->kind == RULE_LIT_NULL)
		return (w >> 8) == 0 ? true : decode_error(in, at, "A null literal has a length at offset %s.");
	if (!get_text(in, at, w >> 8, &lit->text))
		return false;
	if (lit->kind == RULE_LIT_NUMBER && !number_valid(lit->text))
		return decode_error(in, at, "A number literal is malformed at offset %s.");
	if (lit->kind == RULE_LIT_BOOL &&
		strcmp(lit->text, "true") != 0 && strcmp(lit->text, "false") != 0)
		return decode_error(in, at, "A boolean literal is neither true nor false at offset %s.");
	return true;
}

/* How many literals each predicate kind takes: [min, max]. */
static void
literal_count(RuleNodeKind kind, uint32_t *min, uint32_t *max)
{
	switch (kind)
	{
		case RULE_IN:
		case RULE_CONTAINS_ANY:
		case RULE_CONTAINS_ALL:
			*min = 1;
			*max = RULE_MAX_LIST;
			break;
		case RULE_BETWEEN:
			*min = *max = 2;
			break;
		case RULE_IS_NULL:
		case RULE_BOOL_ATTR:
		case RULE_EXISTS:
			*min = *max = 0;
			break;
		default:
			*min = *max = 1;
			break;
	}
}

static RuleNode *get_node(In *in, int level, bool in_filter);

/* The aggregate block of a predicate whose flags have FLAG_AGGREGATE. */
static bool
get_aggregate(In *in, RuleNode *node, int level)
{
	size_t		at = in->pos;
	uint8_t		b[4];
	uint32_t	from,
				to;
	RuleAggregate *agg;
	int			column;

	if (!get_u8x4(in, b) || !get_u32(in, &from) || !get_u32(in, &to))
		return false;
	agg = node->agg = core_alloc0(sizeof(RuleAggregate));
	agg->location = -1;
	if (b[0] < RULE_AGG_COUNT || b[0] > RULE_AGG_EXISTS)
		return decode_error(in, at, "Unknown aggregate kind at offset %s.");
	agg->kind = b[0];
	if ((agg->kind == RULE_AGG_EXISTS) != (node->kind == RULE_EXISTS))
		return decode_error(in, at, "An exists aggregate outside an exists condition, or another aggregate in one at offset %s.");
	if (b[1] & ~(AGG_COLUMN | AGG_FILTER))
		return decode_error(in, at + 1, "An aggregate has an unknown flag at offset %s.");
	column = rule_agg_column(agg->kind);
	if ((column > 0 && !(b[1] & AGG_COLUMN)) || (column < 0 && (b[1] & AGG_COLUMN)))
		return decode_error(in, at + 1, "An aggregate lacks the event column its kind needs, or has one its kind does not take at offset %s.");
	if (b[2] > RULE_WINDOW_AGO)
		return decode_error(in, at + 2, "Unknown window kind at offset %s.");
	agg->window = b[2];
	if (agg->window == RULE_WINDOW_NONE ? b[3] != 0
		: (b[3] < RULE_UNIT_DAYS || b[3] > RULE_UNIT_MONTHS))
		return decode_error(in, at + 3, "A window has an unknown unit, or a unit without a window at offset %s.");
	agg->unit = b[3];
	if (from > INT32_MAX || to > INT32_MAX)
		return decode_error(in, from > INT32_MAX ? at + 4 : at + 8, "A window count is out of range at offset %s.");
	if (agg->window == RULE_WINDOW_NONE ? (from != 0 || to != 0)
		: agg->window == RULE_WINDOW_WITHIN ? to != 0
		: from < to)
		return decode_error(in, at + 4, "A window's counts do not fit its kind at offset %s.");
	agg->from = (int32_t) from;
	agg->to = (int32_t) to;
	if (!get_str(in, 1, RULE_MAX_NAME, &agg->source))
		return false;
	if ((b[1] & AGG_COLUMN) && !get_str(in, 1, RULE_MAX_NAME, &agg->column))
		return false;
	/* the filter hangs one level below its predicate, and has no aggregate */
	if ((b[1] & AGG_FILTER) && (agg->filter = get_node(in, level + 1, true)) == NULL)
		return false;
	return true;
}

static bool
get_predicate(In *in, RuleNode *node, uint32_t count, int flags, int nparts, int level)
{
	size_t		at = in->pos;
	uint32_t	min,
				max;

	literal_count(node->kind, &min, &max);
	if (count < min || count > max)
		return decode_error(in, at - 4, "A condition has the wrong number of values at offset %s.");
	if (flags & FLAG_AGGREGATE)
	{
		if (nparts != 0)
			return decode_error(in, at - 5, "A condition on an aggregate has an attribute path at offset %s.");
		if (!get_aggregate(in, node, level))
			return false;
	}
	else if (nparts < 1 || nparts > RULE_MAX_PATH)
		return decode_error(in, at - 5, "An attribute path has a number of parts out of range at offset %s.");
	if (nparts > 0)
		node->path.parts = core_alloc0(sizeof(char *) * nparts);
	for (int i = 0; i < nparts; i++)
	{
		if (!get_str(in, 1, RULE_MAX_NAME, &node->path.parts[i]))
			return false;
		node->path.nparts++;
	}
	if (count > 0)
		node->lits = core_alloc0(sizeof(RuleLiteral) * count);
	for (uint32_t i = 0; i < count; i++)
	{
		size_t		lat = in->pos;

		node->nlits++;
		if (!get_literal(in, &node->lits[i]))
			return false;
		if ((node->kind == RULE_MATCHES || node->kind == RULE_STARTS_WITH ||
			 node->kind == RULE_ENDS_WITH) && node->lits[i].kind != RULE_LIT_STRING)
			return decode_error(in, lat, "The pattern of matches, starts with or ends with is not a string at offset %s.");
	}
	if (node->kind == RULE_WITHIN &&
		(node->lits[0].kind != RULE_LIT_NUMBER || !rule_count_valid(node->lits[0].text)))
		return decode_error(in, at, "The count of within is not a whole number in range at offset %s.");
	if (flags & FLAG_LOCALE)
	{
		size_t		lat = in->pos;

		if (!get_str(in, 1, RULE_MAX_NAME, &node->locale))
			return false;
		if (!rule_locale_valid(node->locale, strlen(node->locale)))
			return decode_error(in, lat, "A locale name has characters that no locale has at offset %s.");
	}
	return true;
}

/*
 * One node at depth level (the root is 1).  in_filter: the node is in the
 * filter of an aggregate, where no behavioural condition may appear.
 */
static RuleNode *
get_node(In *in, int level, bool in_filter)
{
	size_t		at = in->pos;
	uint8_t		b[4];
	uint32_t	count;
	RuleNode   *node;
	RuleNodeKind kind;
	bool		ok;

	core_check_stack();
	if (level > RULE_MAX_DEPTH)
	{
		decode_error(in, at, "The rule is nested more deeply than a rule may be at offset %s.");
		return NULL;
	}
	if (!get_u8x4(in, b) || !get_u32(in, &count))
		return NULL;
	kind = b[0];
	if (kind < RULE_AND || kind > RULE_ENDS_WITH)
	{
		decode_error(in, at, "Unknown node kind at offset %s.");
		return NULL;
	}
	if ((b[1] & ~(FLAG_NEGATED | FLAG_LOCALE | FLAG_AGGREGATE)) ||
		((b[1] & FLAG_NEGATED) &&
		 !(kind == RULE_IN || kind == RULE_BETWEEN || kind == RULE_IS_NULL ||
		   kind == RULE_LIKE || kind == RULE_ILIKE || kind == RULE_MATCHES)) ||
		((b[1] & FLAG_LOCALE) && !(kind == RULE_ILIKE || kind == RULE_ICU_EQ)) ||
		((b[1] & FLAG_AGGREGATE) && !(is_predicate(kind) && kind != RULE_BOOL_ATTR)) ||
		(kind == RULE_EXISTS && !(b[1] & FLAG_AGGREGATE)))
	{
		decode_error(in, at, "A node has flags its kind does not allow at offset %s.");
		return NULL;
	}
	if (in_filter && (b[1] & FLAG_AGGREGATE))
	{
		decode_error(in, at, "A behavioural condition is nested in the filter of another at offset %s.");
		return NULL;
	}
	if (kind == RULE_CMP ? (b[2] < RULE_OP_EQ || b[2] > RULE_OP_GE)
		: kind == RULE_WITHIN ? (b[2] < RULE_UNIT_DAYS || b[2] > RULE_UNIT_MONTHS)
		: b[2] != 0)
	{
		decode_error(in, at, "A node has an unknown operator or unit at offset %s.");
		return NULL;
	}

	node = core_alloc0(sizeof(RuleNode));
	node->kind = kind;
	node->location = -1;
	node->negated = (b[1] & FLAG_NEGATED) != 0;
	if (kind == RULE_CMP)
		node->op = b[2];
	if (kind == RULE_WITHIN)
		node->unit = b[2];

	if (is_predicate(kind))
		ok = get_predicate(in, node, count, b[1], b[3], level);
	else if (b[3] != 0)
		ok = decode_error(in, at + 3, "A node of and, or or not has a path at offset %s.");
	else if (kind == RULE_NOT ? count != 1
			 : (count < 2 || count > (in->len - in->pos) / 8))
		ok = decode_error(in, at + 4, "A node of and, or or not has the wrong number of operands at offset %s.");
	else
	{
		ok = true;
		node->args = core_alloc0(sizeof(RuleNode *) * count);
		for (uint32_t i = 0; i < count && ok; i++)
		{
			size_t		cat = in->pos;
			RuleNode   *child = get_node(in, level + 1, in_filter);

			if (child == NULL)
				ok = false;
			else
			{
				node->args[node->nargs++] = child;
				/* canonical: an and is never an operand of an and (nor or of or) */
				if (kind != RULE_NOT && child->kind == kind)
					ok = decode_error(in, cat, "An and is an operand of an and, or an or of an or at offset %s.");
			}
		}
	}
	if (!ok)
	{
		rule_free(node);
		return NULL;
	}
	return node;
}

RuleNode *
rule_decode(const void *data, size_t len, CoreError *err)
{
	In			in = {data, len, 0, err};
	uint32_t	version;
	RuleNode   *root;

	if (len > RULE_MAX_FLAT)
	{
		decode_error(&in, 0, "The value is longer than any rule at offset %s.");
		return NULL;
	}
	if (!get_u32(&in, &version))
		return NULL;
	if (version != RULE_FORMAT_VERSION)
	{
		decode_error(&in, 0, "Unknown format version at offset %s.");
		return NULL;
	}
	if ((root = get_node(&in, 1, false)) == NULL)
		return NULL;
	if (in.pos != len)
	{
		decode_error(&in, in.pos, "Bytes follow the end of the rule at offset %s.");
		rule_free(root);
		return NULL;
	}
	/* the canonical text must read back: within the parser's limit */
	if (rule_print_length(root) > RULE_MAX_TEXT)
	{
		decode_error(&in, 0, "The rule's text would be longer than a rule may be at offset %s.");
		rule_free(root);
		return NULL;
	}
	return root;
}
