/*
 * test_rule_binary.c
 *	  Unit tests of the flattened form of a segment rule: the byte layout of
 *	  small rules written out by hand (a = 1, exists(e), and an aggregate
 *	  with a column, a filter and a window), tree -> flat -> tree and
 *	  text -> tree -> text round trips over thousands of random trees, and
 *	  decoding of hand-crafted, mutated, truncated, extended, misaligned and
 *	  random buffers, which must give an error or a value whose own bytes
 *	  are exactly the input (one byte sequence per rule), and never an
 *	  AddressSanitizer or UBSan report.
 */
#include "rule/ast.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>


static char *
dup(const char *s)
{
	char	   *d = core_alloc(strlen(s) + 1);

	strcpy(d, s);
	return d;
}

/* ---- random canonical trees ---- */

static const char *const names[] = {
	"country", "age", "a", "in", "Weird Name", "say \"hi\"", "x$", "\xc3\xa4ge", "_",
	"not", "days", "any", "A", "1st", "properties", "plan", "tags", "a.b", "'q'",
	"count", "distinct", "where", "ago", "matches", "starts", "with", "exists", "within"
};
static const char *const strings[] = {
	"", "DE", "O'Brien", "''", "back\\slash", "line\nbreak", "%@gmail.com",
	"M\xc3\xbcnchen", "--not a comment", "\"", "collate", " spaced "
};
static const char *const numbers[] = {
	"0", "1", "-2.5", ".5e-3", "1e+10", "5.", "-0", "123456789012345678901234567890", "1e3"
};
static const char *const locales[] = {"de", "tr", "und", "de-DE", "de@collation=phonebook"};

static void
random_literal(RuleLiteral *lit)
{
	lit->location = -1;
	switch (unit_rand(5))
	{
		case 0:
		case 1:
			lit->kind = RULE_LIT_STRING;
			lit->text = dup(strings[unit_rand(sizeof(strings) / sizeof(*strings))]);
			break;
		case 2:
			lit->kind = RULE_LIT_NUMBER;
			lit->text = dup(numbers[unit_rand(sizeof(numbers) / sizeof(*numbers))]);
			break;
		case 3:
			lit->kind = RULE_LIT_BOOL;
			lit->text = dup(unit_rand(2) ? "true" : "false");
			break;
		default:
			lit->kind = RULE_LIT_NULL;
			lit->text = NULL;
			break;
	}
}

static RuleNode *random_tree(int depth, RuleNodeKind parent, bool in_filter);

/* Window counts at and near their edges; from >= to for a window ago. */
static int32_t
random_count(void)
{
	static const int32_t counts[] = {0, 1, 2, 30, 210, 2147483647};

	return counts[unit_rand(6)];
}

/* An aggregate of the given kind (0: any but exists) with every option. */
static RuleAggregate *
random_aggregate(RuleAggKind kind)
{
	RuleAggregate *a = core_alloc0(sizeof(RuleAggregate));
	int			column;

	a->kind = kind ? kind : RULE_AGG_COUNT + unit_rand(RULE_AGG_LAST - RULE_AGG_COUNT + 1);
	a->location = -1;
	a->source = dup(names[unit_rand(sizeof(names) / sizeof(*names))]);
	column = a->kind == RULE_AGG_COUNT ? (int) unit_rand(2) : a->kind == RULE_AGG_EXISTS ? 0 : 1;
	if (column)
		a->column = dup(names[unit_rand(sizeof(names) / sizeof(*names))]);
	if (unit_rand(2))
		a->filter = random_tree(1 + unit_rand(4), 0, true);
	a->window = unit_rand(3);
	if (a->window != RULE_WINDOW_NONE)
	{
		a->unit = RULE_UNIT_DAYS + unit_rand(3);
		a->from = random_count();
	}
	if (a->window == RULE_WINDOW_AGO)
	{
		a->to = random_count();
		if (a->to > a->from)
		{
			int32_t		t = a->to;

			a->to = a->from;
			a->from = t;
		}
	}
	return a;
}

/*
 * A random canonical tree: and / or / not down to depth, then predicates of
 * every kind; outside a filter, a quarter of the predicates are behavioural
 * (an aggregate subject, or exists).
 */
static RuleNode *
random_tree(int depth, RuleNodeKind parent, bool in_filter)
{
	RuleNode   *n = core_alloc0(sizeof(RuleNode));
	int			k;

	n->location = -1;
	if (depth > 1 && unit_rand(3) != 0)
	{
		do
			k = RULE_AND + unit_rand(3);
		while (k == (int) parent && k != RULE_NOT);
		n->kind = k;
		n->nargs = k == RULE_NOT ? 1 : 2 + unit_rand(3);
		n->args = core_alloc(sizeof(RuleNode *) * n->nargs);
		for (int i = 0; i < n->nargs; i++)
			n->args[i] = random_tree(depth - 1, k, in_filter);
		return n;
	}
	n->kind = RULE_CMP + unit_rand(RULE_ENDS_WITH - RULE_CMP + 1);
	if (n->kind == RULE_EXISTS && in_filter)
		n->kind = RULE_CMP;
	if (n->kind == RULE_EXISTS)
		n->agg = random_aggregate(RULE_AGG_EXISTS);
	else if (!in_filter && n->kind != RULE_BOOL_ATTR && unit_rand(4) == 0)
		n->agg = random_aggregate(0);
	else
	{
		n->path.nparts = 1 + unit_rand(3);
		n->path.parts = core_alloc(sizeof(char *) * n->path.nparts);
		for (int i = 0; i < n->path.nparts; i++)
			n->path.parts[i] = dup(names[unit_rand(sizeof(names) / sizeof(*names))]);
	}
	switch (n->kind)
	{
		case RULE_IN:
		case RULE_CONTAINS_ANY:
		case RULE_CONTAINS_ALL:
			n->nlits = 1 + unit_rand(4);
			break;
		case RULE_BETWEEN:
			n->nlits = 2;
			break;
		case RULE_IS_NULL:
		case RULE_BOOL_ATTR:
		case RULE_EXISTS:
			n->nlits = 0;
			break;
		default:
			n->nlits = 1;
	}
	if (n->nlits)
		n->lits = core_alloc0(sizeof(RuleLiteral) * n->nlits);
	for (int i = 0; i < n->nlits; i++)
		random_literal(&n->lits[i]);
	if (n->kind == RULE_CMP)
		n->op = RULE_OP_EQ + unit_rand(6);
	if (n->kind == RULE_WITHIN)
	{
		static const char *const counts[] = {"0", "1", "30", "2147483647"};

		n->unit = RULE_UNIT_DAYS + unit_rand(3);
		core_free(n->lits[0].text);
		n->lits[0].kind = RULE_LIT_NUMBER;
		n->lits[0].text = dup(counts[unit_rand(4)]);
	}
	if (n->kind == RULE_MATCHES || n->kind == RULE_STARTS_WITH || n->kind == RULE_ENDS_WITH)
	{
		core_free(n->lits[0].text);
		n->lits[0].kind = RULE_LIT_STRING;
		n->lits[0].text = dup(strings[unit_rand(sizeof(strings) / sizeof(*strings))]);
	}
	if (n->kind == RULE_IN || n->kind == RULE_BETWEEN || n->kind == RULE_IS_NULL ||
		n->kind == RULE_LIKE || n->kind == RULE_ILIKE || n->kind == RULE_MATCHES)
		n->negated = unit_rand(2);
	if ((n->kind == RULE_ILIKE || n->kind == RULE_ICU_EQ) && unit_rand(2))
		n->locale = dup(locales[unit_rand(sizeof(locales) / sizeof(*locales))]);
	return n;
}

static bool
same_bytes(const void *a, size_t alen, const void *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* What the random trees hold, so that a change to the generator that stops
 * producing a construct fails a check instead of going unnoticed. */
typedef struct Tally
{
	int			agg[RULE_AGG_EXISTS + 1];
	int			window[3];
	int			filter;
	int			count_column[2];
	int			kind[RULE_ENDS_WITH + 1];
	int			negated_matches;
	int			filter_before_window;	/* filters the printer parenthesises */
} Tally;

static void
tally(Tally *t, const RuleNode *n)
{
	t->kind[n->kind]++;
	if (n->kind == RULE_MATCHES && n->negated)
		t->negated_matches++;
	for (int i = 0; i < n->nargs; i++)
		tally(t, n->args[i]);
	if (n->agg)
	{
		t->agg[n->agg->kind]++;
		t->window[n->agg->window]++;
		if (n->agg->kind == RULE_AGG_COUNT)
			t->count_column[n->agg->column != NULL]++;
		if (n->agg->filter)
		{
			const RuleNode *last = n->agg->filter;

			t->filter++;
			tally(t, n->agg->filter);
			while (last->nargs > 0)
				last = last->args[last->nargs - 1];
			if (last->kind == RULE_BOOL_ATTR && n->agg->window != RULE_WINDOW_NONE)
				t->filter_before_window++;
		}
	}
}

static void
test_random_round_trips(void)
{
	int			flat_ok = 0,
				text_ok = 0,
				trees = 3000;
	Tally		seen = {0};
	bool		all = true;

	for (int t = 0; t < trees; t++)
	{
		RuleNode   *tree = random_tree(1 + unit_rand(6), 0, false);
		size_t		len,
					len2,
					len3;
		void	   *flat = rule_flatten(tree, &len);
		CoreError	err = {0};
		RuleNode   *dec = rule_decode(flat, len, &err);
		char	   *text = rule_print(tree);
		RuleNode   *reparsed = rule_parse(text, strlen(text), &err);

		if (dec)
		{
			void	   *flat2 = rule_flatten(dec, &len2);
			char	   *text2 = rule_print(dec);

			if (same_bytes(flat, len, flat2, len2) && strcmp(text, text2) == 0)
				flat_ok++;
			else
				printf("# tree -> flat -> tree differs: %s\n", text);
			core_free(flat2);
			core_free(text2);
			rule_free(dec);
		}
		else
			printf("# decode failed: %s (%s) for %s\n", CORE_TEXT(err.message), CORE_TEXT(err.detail), text);
		if (reparsed)
		{
			void	   *flat3 = rule_flatten(reparsed, &len3);

			if (same_bytes(flat, len, flat3, len3))
				text_ok++;
			else
				printf("# text -> tree differs: %s\n", text);
			core_free(flat3);
			rule_free(reparsed);
		}
		else
			printf("# parse failed: %s (%s) for %s\n", CORE_TEXT(err.message), CORE_TEXT(err.detail), text);
		tally(&seen, tree);
		core_free(flat);
		core_free(text);
		rule_free(tree);
	}
	for (int k = RULE_AGG_COUNT; k <= RULE_AGG_EXISTS; k++)
		all = all && seen.agg[k] >= 20;
	for (int k = RULE_CMP; k <= RULE_ENDS_WITH; k++)
		all = all && seen.kind[k] >= 20;
	CHECK(all && seen.window[0] >= 20 && seen.window[1] >= 20 && seen.window[2] >= 20 &&
		  seen.filter >= 20 && seen.count_column[0] >= 10 && seen.count_column[1] >= 10 &&
		  seen.negated_matches >= 10 && seen.filter_before_window >= 10,
		  "the random trees hold every kind, aggregate and window, filters, count with and without a column, not matches, and filters that need parentheses (%d of them)",
		  seen.filter_before_window);
	CHECK(flat_ok == trees, "tree -> flat -> tree is the identity on %d random trees (%d)", trees, flat_ok);
	CHECK(text_ok == trees, "tree -> text -> tree is the identity on %d random trees (%d)", trees, text_ok);
}

/* ---- the byte layout, by hand ---- */

static const uint8_t a_eq_1[] = {
	1, 0, 0, 0,					/* version */
	RULE_CMP, 0, RULE_OP_EQ, 1,	/* node: kind, flags, op, one path part */
	1, 0, 0, 0,					/* one literal */
	1, 0, 0, 0, 'a', 0, 0, 0,	/* the name "a" */
	RULE_LIT_NUMBER, 1, 0, 0,	/* a number of 1 byte */
	'1', 0, 0, 0				/* "1" */
};

/* exists(e): the example of doc/rules.md */
static const uint8_t exists_e[] = {
	1, 0, 0, 0,					/* version */
	RULE_EXISTS, 4, 0, 0,		/* node: exists, an aggregate subject, no path */
	0, 0, 0, 0,					/* no literal */
	RULE_AGG_EXISTS, 0, 0, 0,	/* aggregate: exists, no column or filter, no
								 * window, no unit */
	0, 0, 0, 0,					/* from */
	0, 0, 0, 0,					/* to */
	1, 0, 0, 0, 'e', 0, 0, 0	/* the source "e" */
};

/* sum(o.x where (f) between 7 and 1 days ago) > 5: every field of the block */
static const uint8_t sum_ago[] = {
	1, 0, 0, 0,					/* version */
	RULE_CMP, 4, RULE_OP_GT, 0, /* cmp >, an aggregate subject, no path */
	1, 0, 0, 0,					/* one literal */
	RULE_AGG_SUM, 3, RULE_WINDOW_AGO, RULE_UNIT_DAYS,	/* column and filter */
	7, 0, 0, 0,					/* from 7 */
	1, 0, 0, 0,					/* to 1 */
	1, 0, 0, 0, 'o', 0, 0, 0,	/* the source "o" */
	1, 0, 0, 0, 'x', 0, 0, 0,	/* the column "x" */
	RULE_BOOL_ATTR, 0, 0, 1,	/* the filter: a boolean attribute */
	0, 0, 0, 0,					/* no literal */
	1, 0, 0, 0, 'f', 0, 0, 0,	/* the name "f" */
	RULE_LIT_NUMBER, 1, 0, 0,	/* the literal of >: a number of 1 byte */
	'5', 0, 0, 0				/* "5" */
};

static void
layout_is(const char *text, const uint8_t *bytes, size_t nbytes)
{
	CoreError	err = {0};
	RuleNode   *n = rule_parse(text, strlen(text), &err);
	size_t		len = 0;
	void	   *flat = n ? rule_flatten(n, &len) : NULL;
	RuleNode   *d = rule_decode(bytes, nbytes, &err);
	char	   *back = d ? rule_print(d) : NULL;

	CHECK(n && same_bytes(flat, len, bytes, nbytes), "the bytes of %s are as written out by hand", text);
	CHECK(back && strcmp(back, text) == 0, "the bytes written out by hand decode to %s", text);
	core_free(back);
	rule_free(d);
	core_free(flat);
	rule_free(n);
}

static void
test_layout(void)
{
	layout_is("a = 1", a_eq_1, sizeof(a_eq_1));
	layout_is("exists(e)", exists_e, sizeof(exists_e));
	layout_is("sum(o.x where (f) between 7 and 1 days ago) > 5", sum_ago, sizeof(sum_ago));
}

/* Decode a copy at an odd address (no alignment may be assumed). */
static RuleNode *
decode_copy(const uint8_t *data, size_t len, CoreError *err)
{
	uint8_t    *buf = malloc(len + 1);
	RuleNode   *n;

	memcpy(buf + 1, data, len);
	n = rule_decode(buf + 1, len, err);
	free(buf);
	return n;
}

/* A decoded value must re-flatten to exactly its input. */
static bool
decode_is_exact(const uint8_t *data, size_t len, bool *decoded)
{
	CoreError	err = {0};
	RuleNode   *n = decode_copy(data, len, &err);
	bool		ok;

	*decoded = n != NULL;
	if (n == NULL)
	{
		ok = err.code == CORE_ERR_INVALID_BINARY && err.message.text != NULL;
		core_error_free(&err);
		return ok;
	}
	{
		size_t		l2;
		void	   *f2 = rule_flatten(n, &l2);
		char	   *text = rule_print(n);
		RuleNode   *back = rule_parse(text, strlen(text), &err);

		ok = same_bytes(data, len, f2, l2) && back != NULL;
		if (!ok)
			printf("# accepted but not canonical: %s\n", text);
		rule_free(back);
		core_free(text);
		core_free(f2);
	}
	rule_free(n);
	return ok;
}

static uint8_t *
flat_of(const char *text, size_t *len)
{
	CoreError	err = {0};
	RuleNode   *n = rule_parse(text, strlen(text), &err);
	uint8_t    *f;

	if (n == NULL)
	{
		printf("# %s: %s\n", text, CORE_TEXT(err.message));
		*len = 0;
		return NULL;
	}
	f = rule_flatten(n, len);
	rule_free(n);
	return f;
}

typedef struct Patch
{
	const char *what;
	int			at;
	uint8_t		value;
} Patch;

static void
test_crafted(void)
{
	static const Patch patches[] = {
		{"version 2", 0, 2},
		{"a nonzero byte in the version word", 1, 1},
		{"node kind 0", 4, 0},
		{"node kind 16", 4, 16},
		{"an unknown flag", 5, 4},
		{"negated =", 5, 1},
		{"a locale on =", 5, 2},
		{"operator 0", 6, 0},
		{"operator 7", 6, 7},
		{"no path parts", 7, 0},
		{"nine path parts", 7, 9},
		{"two literals for =", 8, 2},
		{"no literal for =", 8, 0},
		{"a count beyond the value", 11, 0x80},
		{"an empty name", 12, 0},
		{"a name longer than the value", 12, 200},
		{"a name of 64 bytes", 12, 64},
		{"a name with a zero byte", 16, 0},
		{"a name not terminated", 17, 'b'},
		{"nonzero padding after a name", 19, 'x'},
		{"literal kind 0", 20, 0},
		{"literal kind 5", 20, 5},
		{"a literal length that takes in its terminator", 21, 2},
		{"a null literal with a length", 20, RULE_LIT_NULL},
		{"a number with a letter", 24, 'x'},
		{"a boolean that is not true or false", 20, RULE_LIT_BOOL},
		{"a string length past the end", 21, 5},
	};
	CoreError	err = {0};
	uint8_t		buf[sizeof(a_eq_1) + 8];

	for (size_t i = 0; i < sizeof(patches) / sizeof(*patches); i++)
	{
		RuleNode   *n;

		memcpy(buf, a_eq_1, sizeof(a_eq_1));
		buf[patches[i].at] = patches[i].value;
		n = decode_copy(buf, sizeof(a_eq_1), &err);
		CHECK(n == NULL && err.code == CORE_ERR_INVALID_BINARY,
			  "decode rejects %s (%s)", patches[i].what, n ? "accepted" : CORE_TEXT(err.detail));
		core_error_free(&err);
		rule_free(n);
	}
	memcpy(buf, a_eq_1, sizeof(a_eq_1));
	memset(buf + sizeof(a_eq_1), 0, 4);
	CHECK(decode_copy(buf, sizeof(a_eq_1) + 4, &err) == NULL &&
		  strstr(CORE_TEXT(err.detail), "Bytes follow the end of the rule at offset 28") != NULL,
		  "decode rejects bytes after the rule (%s)", CORE_TEXT(err.detail));
	core_error_free(&err);
	CHECK(rule_decode(buf, 0, &err) == NULL && err.code == CORE_ERR_INVALID_BINARY,
		  "decode rejects an empty value");
	core_error_free(&err);
	CHECK(rule_decode(NULL, (size_t) 16 * RULE_MAX_TEXT + 1, &err) == NULL &&
		  strstr(CORE_TEXT(err.detail), "longer than any rule") != NULL,
		  "decode rejects a value longer than any rule without reading it");
	core_error_free(&err);

	/* structure: and with one operand, and inside and, within counts */
	{
		static const struct
		{
			const char *text;
			int			at;
			uint8_t		value;
			const char *what;
		}			s[] = {
			{"a and b", 8, 1, "an and with one operand"},
			{"a and b", 7, 1, "an and with a path"},
			{"a and (b or c)", 28, RULE_AND, "an and as an operand of an and"},
			{"a or (b and c)", 28, RULE_OR, "an or as an operand of an or"},
			{"not a", 8, 2, "a not with two operands"},
			{"a within 5 days", 6, 4, "within unit 4"},
			{"a within 5 days", 24, '0', "within count 05 (a leading zero)"},
			{"a within 5 days", 20, RULE_LIT_STRING, "within with a string count"},
			{"a like 'x'", 5, 2, "a locale flag on like (no locale follows)"},
			{"a is null", 8, 1, "a literal for is null"},
		};

		for (size_t i = 0; i < sizeof(s) / sizeof(*s); i++)
		{
			size_t		len;
			uint8_t    *f = flat_of(s[i].text, &len);
			RuleNode   *n;

			if (s[i].at == 24 && s[i].value == '0')
			{
				/* "5" -> "05": a 2-byte count in the same padded word */
				f[21] = 2;
				f[24] = '0';
				f[25] = '5';
			}
			else
				f[s[i].at] = s[i].value;
			n = decode_copy(f, len, &err);
			CHECK(n == NULL && err.code == CORE_ERR_INVALID_BINARY,
				  "decode rejects %s (%s)", s[i].what, n ? "accepted" : CORE_TEXT(err.detail));
			core_error_free(&err);
			rule_free(n);
			core_free(f);
		}
	}

	/* the aggregate block, patched one field at a time */
	{
		static const struct
		{
			const uint8_t *base;
			size_t		len;
			int			at;
			uint8_t		value;
			const char *what;
		}			a[] = {
			{exists_e, sizeof(exists_e), 5, 0, "exists without an aggregate"},
			{exists_e, sizeof(exists_e), 5, 5, "a negated exists"},
			{exists_e, sizeof(exists_e), 5, 6, "an exists with a locale"},
			{exists_e, sizeof(exists_e), 6, 1, "an exists with an operator"},
			{exists_e, sizeof(exists_e), 7, 1, "an aggregate subject with a path"},
			{exists_e, sizeof(exists_e), 8, 1, "an exists with a literal"},
			{exists_e, sizeof(exists_e), 12, 0, "aggregate kind 0"},
			{exists_e, sizeof(exists_e), 12, 10, "aggregate kind 10"},
			{exists_e, sizeof(exists_e), 12, RULE_AGG_COUNT, "count as the aggregate of exists"},
			{exists_e, sizeof(exists_e), 13, 1, "exists with a column"},
			{exists_e, sizeof(exists_e), 13, 4, "an unknown aggregate flag"},
			{exists_e, sizeof(exists_e), 14, 3, "window kind 3"},
			{exists_e, sizeof(exists_e), 14, RULE_WINDOW_WITHIN, "a window without a unit"},
			{exists_e, sizeof(exists_e), 15, RULE_UNIT_DAYS, "a unit without a window"},
			{exists_e, sizeof(exists_e), 16, 1, "a from count without a window"},
			{exists_e, sizeof(exists_e), 20, 1, "a to count without a window"},
			{exists_e, sizeof(exists_e), 24, 0, "an empty source"},
			{exists_e, sizeof(exists_e), 24, 64, "a source of 64 bytes"},
			{exists_e, sizeof(exists_e), 28, 0, "a source with a zero byte"},
			{sum_ago, sizeof(sum_ago), 4, RULE_BOOL_ATTR, "a boolean attribute with an aggregate"},
			{sum_ago, sizeof(sum_ago), 4, RULE_AND, "an and with an aggregate"},
			{sum_ago, sizeof(sum_ago), 12, RULE_AGG_EXISTS, "exists as the aggregate of cmp"},
			{sum_ago, sizeof(sum_ago), 13, 2, "sum without a column"},
			{sum_ago, sizeof(sum_ago), 15, 0, "a window ago without a unit"},
			{sum_ago, sizeof(sum_ago), 15, 4, "unit 4"},
			{sum_ago, sizeof(sum_ago), 16, 0, "a window ago whose from is less than its to"},
			{sum_ago, sizeof(sum_ago), 19, 0x80, "a from count beyond int32"},
			{sum_ago, sizeof(sum_ago), 23, 0x80, "a to count beyond int32"},
			{sum_ago, sizeof(sum_ago), 14, RULE_WINDOW_WITHIN, "a window within with a to count"},
			{sum_ago, sizeof(sum_ago), 41, 4, "a boolean attribute with an aggregate flag in a filter"},
			{sum_ago, sizeof(sum_ago), 40, RULE_EXISTS, "exists as a filter"},
			{sum_ago, sizeof(sum_ago), 40, 0, "a filter of node kind 0"},
		};

		for (size_t i = 0; i < sizeof(a) / sizeof(*a); i++)
		{
			uint8_t    *f = malloc(a[i].len);
			RuleNode   *n;

			memcpy(f, a[i].base, a[i].len);
			f[a[i].at] = a[i].value;
			n = decode_copy(f, a[i].len, &err);
			CHECK(n == NULL && err.code == CORE_ERR_INVALID_BINARY,
				  "decode rejects %s (%s)", a[i].what, n ? "accepted" : CORE_TEXT(err.detail));
			core_error_free(&err);
			rule_free(n);
			free(f);
		}
	}

	/* patterns: exactly one string, negated only for matches */
	{
		static const struct
		{
			const char *text;
			int			at;
			uint8_t		value;
			const char *what;
		}			m[] = {
			{"x matches '1'", 20, RULE_LIT_NUMBER, "matches with a number (a string \"1\" retyped)"},
			{"x starts with '1'", 20, RULE_LIT_NUMBER, "starts with with a number"},
			{"x ends with 'true'", 20, RULE_LIT_BOOL, "ends with with a boolean (a string \"true\" retyped)"},
			{"x starts with 'a'", 5, 1, "a negated starts with"},
			{"x ends with 'a'", 5, 1, "a negated ends with"},
			{"x matches 'a'", 5, 2, "matches with a locale"},
			{"x matches 'a'", 8, 2, "matches with two literals"},
			{"x matches 'a'", 8, 0, "matches with no literal"},
			{"x matches 'a'", 6, 1, "matches with an operator"},
		};

		for (size_t i = 0; i < sizeof(m) / sizeof(*m); i++)
		{
			size_t		len;
			uint8_t    *f = flat_of(m[i].text, &len);
			RuleNode   *n;

			f[m[i].at] = m[i].value;
			n = decode_copy(f, len, &err);
			CHECK(n == NULL && err.code == CORE_ERR_INVALID_BINARY,
				  "decode rejects %s (%s)", m[i].what, n ? "accepted" : CORE_TEXT(err.detail));
			core_error_free(&err);
			rule_free(n);
			core_free(f);
		}
		{
			size_t		len;
			uint8_t    *f = flat_of("x not matches 'a'", &len);
			bool		decoded;

			CHECK(f && f[5] == 1 && decode_is_exact(f, len, &decoded) && decoded,
				  "decode accepts a negated matches");
			core_free(f);
		}
	}

	/* trees the parser cannot build, flattened by hand: decode refuses them */
	{
		RuleNode   *outer = rule_parse("count(o where a) > 0", 20, &err);
		RuleNode   *inner = rule_parse("exists(e)", 9, &err);
		RuleNode   *saved = outer->agg->filter;
		size_t		len;
		void	   *f;
		RuleNode   *n;

		outer->agg->filter = inner;
		f = rule_flatten(outer, &len);
		n = decode_copy(f, len, &err);
		CHECK(n == NULL && strstr(CORE_TEXT(err.detail), "nested in the filter") != NULL,
			  "decode rejects exists in a filter (%s)", n ? "accepted" : CORE_TEXT(err.detail));
		core_error_free(&err);
		rule_free(n);
		core_free(f);
		outer->agg->filter = saved;
		rule_free(inner);

		/* a negated count() > 0 is not a form the grammar has */
		outer->negated = true;
		f = rule_flatten(outer, &len);
		n = decode_copy(f, len, &err);
		CHECK(n == NULL && err.code == CORE_ERR_INVALID_BINARY,
			  "decode rejects a negated comparison of an aggregate");
		core_error_free(&err);
		rule_free(n);
		core_free(f);
		rule_free(outer);
	}

	/* depth: a filter hangs one level below its predicate */
	for (int depth = 99; depth <= 100; depth++)
	{
		size_t		leaf,
					len;
		uint8_t    *f = flat_of("count(e where a) > 0", &leaf);
		uint8_t    *g = malloc(leaf + 8 * (depth - 1));
		RuleNode   *n;

		memcpy(g, f, 4);
		for (int i = 0; i < depth - 1; i++)
		{
			static const uint8_t not_node[8] = {RULE_NOT, 0, 0, 0, 1, 0, 0, 0};

			memcpy(g + 4 + 8 * i, not_node, 8);
		}
		memcpy(g + 4 + 8 * (depth - 1), f + 4, leaf - 4);
		len = leaf + 8 * (depth - 1);
		n = decode_copy(g, len, &err);
		if (depth == 99)
			CHECK(n != NULL, "decode accepts an aggregate at depth 99 whose filter is at 100");
		else
		{
			CHECK(n == NULL && strstr(CORE_TEXT(err.detail), "nested more deeply") != NULL,
				  "decode rejects an aggregate at depth 100 whose filter is at 101");
			core_error_free(&err);
		}
		rule_free(n);
		free(g);
		core_free(f);
	}

	/* depth: a chain of nots, 100 deep is fine, 101 is not */
	for (int depth = 100; depth <= 101; depth++)
	{
		size_t		leaf,
					len;
		uint8_t    *f = flat_of("a", &leaf);
		uint8_t    *g = malloc(leaf + 8 * (depth - 1));
		RuleNode   *n;

		memcpy(g, f, 4);
		for (int i = 0; i < depth - 1; i++)
		{
			static const uint8_t not_node[8] = {RULE_NOT, 0, 0, 0, 1, 0, 0, 0};

			memcpy(g + 4 + 8 * i, not_node, 8);
		}
		memcpy(g + 4 + 8 * (depth - 1), f + 4, leaf - 4);
		len = leaf + 8 * (depth - 1);
		n = decode_copy(g, len, &err);
		if (depth == 100)
			CHECK(n != NULL, "decode accepts a tree 100 deep");
		else
		{
			CHECK(n == NULL && strstr(CORE_TEXT(err.detail), "nested more deeply") != NULL,
				  "decode rejects a tree 101 deep");
			core_error_free(&err);
		}
		rule_free(n);
		free(g);
		core_free(f);
	}
}

/* every byte of real rules, changed in several ways; every prefix */
static void
test_mutations(void)
{
	static const char *const rules[] = {
		"country in ('DE', 'AT') and plan <> 'free' and not unsubscribed",
		"age between 25 and 54 and signup_date >= '2024-01-01'",
		"last_order_at within 30 days and (tags contains 'vip' or monetary > 1000)",
		"city ~= 'munchen' collate 'de' or email not ilike '%@GMAIL.com' or x is not null",
		"\"Weird Name\".p.q contains all (1, -2.5e3, true, null, 'x''y') or not not b",
		"count(orders where status = 'paid' and not flag within 30 days) >= 3 and not exists(r between 210 and 30 weeks ago)",
		"first(o.\"At\") within 1 day or x not matches '^a' or y starts with 'AB' or count(distinct o.c where (f) between 2 and 1 months ago) is null",
	};
	static const int deltas[] = {0x00, 0x01, 0xff, 0x80, 0x7f, 0x02, 0x10};
	int			cases = 0,
				exact = 0,
				accepted = 0,
				prefixes = 0,
				prefixes_rejected = 0;

	for (size_t r = 0; r < sizeof(rules) / sizeof(*rules); r++)
	{
		size_t		len;
		uint8_t    *f = flat_of(rules[r], &len);
		uint8_t    *m = malloc(len);
		bool		decoded;

		for (size_t i = 0; i < len; i++)
		{
			for (size_t d = 0; d < sizeof(deltas) / sizeof(*deltas); d++)
			{
				for (int mode = 0; mode < 3; mode++)
				{
					memcpy(m, f, len);
					m[i] = mode == 0 ? deltas[d] : mode == 1 ? m[i] ^ deltas[d] : m[i] + deltas[d];
					cases++;
					if (decode_is_exact(m, len, &decoded))
						exact++;
					accepted += decoded;
				}
			}
		}
		for (size_t l = 0; l < len; l++)
		{
			prefixes++;
			if (decode_is_exact(f, l, &decoded) && !decoded)
				prefixes_rejected++;
		}
		free(m);
		core_free(f);
	}
	CHECK(exact == cases, "%d single-byte mutations: each an error or an exact value (%d accepted)",
		  cases, accepted);
	CHECK(prefixes_rejected == prefixes, "every one of %d proper prefixes is rejected", prefixes);
}

/* random bytes, some behind a valid version word */
static void
test_random_bytes(void)
{
	int			runs = 200000,
				clean = 0;
	uint8_t		buf[256];

	for (int r = 0; r < runs; r++)
	{
		size_t		len = unit_rand(sizeof(buf));
		bool		decoded;

		for (size_t i = 0; i < len; i++)
			buf[i] = unit_rand(4) == 0 ? unit_rand(256) : unit_rand(8);	/* small values reach deeper */
		if (len >= 4 && unit_rand(2))
			memcpy(buf, "\1\0\0\0", 4);
		if (len >= 8 && unit_rand(2))
			buf[4] = 1 + unit_rand(RULE_ENDS_WITH);
		if (len >= 8 && unit_rand(4) == 0)
			buf[5] = 4;			/* an aggregate subject */
		if (decode_is_exact(buf, len, &decoded))
			clean++;
	}
	CHECK(clean == runs, "%d random buffers: each an error or an exact value", runs);
}

int
main(void)
{
	test_layout();
	test_random_round_trips();
	test_crafted();
	test_mutations();
	test_random_bytes();
	return unit_done();
}
