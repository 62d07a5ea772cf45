/*-------------------------------------------------------------------------
 *
 * parse.c
 *	  The recursive-descent parser of the segment rule language (pure core,
 *	  see ast.h; the grammar in EBNF is in doc/rules.md).
 *
 *	  rule      = or_expr
 *	  or_expr   = and_expr { "or" and_expr }
 *	  and_expr  = not_expr { "and" not_expr }
 *	  not_expr  = "not" not_expr | "(" or_expr ")" | predicate
 *	  predicate = subject tail | path | "exists" "(" events ")"
 *	  subject   = path | agg_name "(" [ "distinct" ] events ")"
 *	  events    = source [ "." column ] [ "where" or_expr ] [ window ]
 *
 * One idea: SQL's precedence falls out of one function per level, and the
 * tree the parser builds is already canonical: chains of and (or of or)
 * become one n-ary node, even across parentheses, because both are
 * associative in SQL's three-valued logic.  So the printer can print a tree
 * with the fewest parentheses and the parser reads back the same tree, and
 * two rules are equal exactly when their flattened bytes are.
 *
 * Every recursion calls core_check_stack(); nesting of parentheses and not
 * is capped at RULE_MAX_DEPTH while parsing, and the depth of the resulting
 * tree is checked against the same limit, which rule_decode also enforces.
 * The parser owns what it allocates until it returns: on error it frees
 * every partial tree (rule_free), so the fuzzers' leak checker stays quiet.
 *
 * No word but the reserved ones is a keyword everywhere: the names of the
 * aggregates and exists are function names only before "(", distinct only
 * right after "count(", where, within and between only after the source of
 * an aggregate, ago only after its window, matches, starts, ends and with
 * only after a subject.  So every column name that worked before the
 * behavioural conditions still works.  The filter after where is an
 * or_expr read as far as it goes, like everything else here; the printer
 * puts it in parentheses where that would swallow the window (print.c).
 *
 *-------------------------------------------------------------------------
 */
#include "lex.h"

#include <string.h>

typedef struct RuleParser
{
	RuleLexer	lex;
	RuleToken	tok;			/* the lookahead */
	int			nesting;		/* open parentheses and nots */
	bool		in_filter;		/* reading the filter of an aggregate */
	CoreError  *err;
} RuleParser;

static RuleNode *parse_or(RuleParser *p);

void
rule_free(RuleNode *node)
{
	if (node == NULL)
		return;
	core_check_stack();
	for (int i = 0; i < node->nargs; i++)
		rule_free(node->args[i]);
	core_free(node->args);
	for (int i = 0; i < node->path.nparts; i++)
		core_free(node->path.parts[i]);
	core_free(node->path.parts);
	for (int i = 0; i < node->nlits; i++)
		core_free(node->lits[i].text);
	core_free(node->lits);
	core_free(node->locale);
	if (node->agg)
	{
		core_free(node->agg->source);
		core_free(node->agg->column);
		rule_free(node->agg->filter);
		core_free(node->agg);
	}
	core_free(node);
}

static bool
advance(RuleParser *p)
{
	core_free(p->tok.value);
	p->tok.value = NULL;
	return rule_lex_next(&p->lex, &p->tok, p->err);
}

/* Take the lookahead's value; the caller owns it. */
static char *
take_value(RuleParser *p)
{
	char	   *v = p->tok.value;

	p->tok.value = NULL;
	return v;
}

static bool
is_keyword(const RuleParser *p, const char *word)
{
	return p->tok.kind == TOK_IDENT && strcmp(p->tok.value, word) == 0;
}

/* A syntax error at the lookahead: what was found and what was expected. */
static bool
syntax_error(RuleParser *p, const char *expected)
{
	char		buf[64];

	if (p->tok.kind == TOK_EOF)
		core_fail(p->err, CORE_ERR_SYNTAX, p->tok.start,
				  "syntax error at end of segment rule");
	else
		core_fail(p->err, CORE_ERR_SYNTAX, p->tok.start,
				  "syntax error at or near \"%s\" in segment rule",
				  rule_token_excerpt(p->lex.text, p->lex.len, p->tok.start,
									 p->tok.len, buf, sizeof(buf)));
	core_detail(p->err, "Expected %s at offset %d.", expected, p->tok.start);
	return false;
}

static bool
enter(RuleParser *p)
{
	core_check_stack();
	if (++p->nesting > RULE_MAX_DEPTH)
	{
		core_fail(p->err, CORE_ERR_TOO_DEEP, p->tok.start,
				  "segment rule is nested too deeply");
		core_detail(p->err, "A rule may nest and, or, not and parentheses at most %d deep; the limit was passed at offset %d.",
					RULE_MAX_DEPTH, p->tok.start);
		return false;
	}
	return true;
}

static RuleNode *
new_node(RuleNodeKind kind, int location)
{
	RuleNode   *n = core_alloc0(sizeof(RuleNode));

	n->kind = kind;
	n->location = location;
	return n;
}

/* path = name { "." name }; the first name may not be a reserved word */
static bool
parse_path(RuleParser *p, RulePath *path)
{
	path->parts = core_alloc0(sizeof(char *) * RULE_MAX_PATH);
	path->nparts = 0;
	for (;;)
	{
		bool		ok = p->tok.kind == TOK_QIDENT ||
			(p->tok.kind == TOK_IDENT &&
			 (path->nparts > 0 || !rule_keyword_reserved(p->tok.value)));

		if (!ok)
			return syntax_error(p, path->nparts == 0 ? "an attribute name"
								: "a name after \".\"");
		if (path->nparts == RULE_MAX_PATH)
		{
			core_fail(p->err, CORE_ERR_PROGRAM_LIMIT, p->tok.start,
					  "attribute path is too long in segment rule");
			core_detail(p->err, "A path may have at most %d parts (offset %d).",
						RULE_MAX_PATH, p->tok.start);
			return false;
		}
		path->parts[path->nparts++] = take_value(p);
		if (!advance(p))
			return false;
		if (p->tok.kind != TOK_DOT)
			return true;
		if (!advance(p))
			return false;
	}
}

/* literal = string | ["-" | "+"] number | "true" | "false" | "null" */
static bool
parse_literal(RuleParser *p, RuleLiteral *lit)
{
	lit->location = p->tok.start;
	switch (p->tok.kind)
	{
		case TOK_STRING:
			lit->kind = RULE_LIT_STRING;
			lit->text = take_value(p);
			return advance(p);
		case TOK_NUMBER:
			lit->kind = RULE_LIT_NUMBER;
			lit->text = take_value(p);
			return advance(p);
		case TOK_MINUS:
		case TOK_PLUS:
			{
				bool		minus = p->tok.kind == TOK_MINUS;

				if (!advance(p))
					return false;
				if (p->tok.kind != TOK_NUMBER)
					return syntax_error(p, "a number after the sign");
				lit->kind = RULE_LIT_NUMBER;
				if (minus)
				{
					lit->text = core_alloc(p->tok.vlen + 2);
					lit->text[0] = '-';
					memcpy(lit->text + 1, p->tok.value, p->tok.vlen + 1);
				}
				else
					lit->text = take_value(p);
				return advance(p);
			}
		case TOK_IDENT:
			if (strcmp(p->tok.value, "true") == 0 || strcmp(p->tok.value, "false") == 0)
			{
				lit->kind = RULE_LIT_BOOL;
				lit->text = take_value(p);
				return advance(p);
			}
			if (strcmp(p->tok.value, "null") == 0)
			{
				lit->kind = RULE_LIT_NULL;
				lit->text = NULL;
				return advance(p);
			}
			/* FALLTHROUGH */
		case TOK_QIDENT:
			{
				char		buf[64];

				syntax_error(p, "a value: a 'quoted string', a number, true, false or null");
				core_hint(p->err, "Text values take single quotes, as in SQL: '%s'.",
						  p->tok.kind == TOK_QIDENT ? p->tok.value :
						  rule_token_excerpt(p->lex.text, p->lex.len, p->tok.start,
											 p->tok.len, buf, sizeof(buf)));
				return false;
			}
		default:
			return syntax_error(p, "a value: a 'quoted string', a number, true, false or null");
	}
}

/* Append one literal to node->lits (capacity grows by doubling). */
static bool
add_literal(RuleParser *p, RuleNode *node, int *cap)
{
	if (node->nlits == RULE_MAX_LIST)
	{
		core_fail(p->err, CORE_ERR_PROGRAM_LIMIT, p->tok.start,
				  "too many values in a list of a segment rule");
		core_detail(p->err, "A list may hold at most %d values (offset %d).",
					RULE_MAX_LIST, p->tok.start);
		return false;
	}
	if (node->nlits == *cap)
	{
		*cap = *cap ? *cap * 2 : 4;
		node->lits = core_realloc(node->lits, sizeof(RuleLiteral) * *cap);
	}
	memset(&node->lits[node->nlits], 0, sizeof(RuleLiteral));
	node->nlits++;
	return parse_literal(p, &node->lits[node->nlits - 1]);
}

/* list = "(" literal { "," literal } ")" */
static bool
parse_list(RuleParser *p, RuleNode *node)
{
	int			cap = 0;

	if (p->tok.kind != TOK_LPAREN)
		return syntax_error(p, "\"(\" and a list of values");
	if (!advance(p))
		return false;
	for (;;)
	{
		if (!add_literal(p, node, &cap))
			return false;
		if (p->tok.kind == TOK_RPAREN)
			return advance(p);
		if (p->tok.kind != TOK_COMMA)
			return syntax_error(p, "\",\" or \")\"");
		if (!advance(p))
			return false;
	}
}

static bool
one_literal(RuleParser *p, RuleNode *node)
{
	int			cap = 0;

	return add_literal(p, node, &cap);
}

/* Is a locale name safe to store and to print inside quotes? */
bool
rule_locale_valid(const char *s, size_t len)
{
	if (len == 0 || len > RULE_MAX_NAME)
		return false;
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '@' ||
			  c == '=' || c == ';' || c == '.'))
			return false;
	}
	return true;
}

/* [ "collate" string ], after the pattern of ilike or the value of ~= */
static bool
parse_collate(RuleParser *p, RuleNode *node)
{
	if (!is_keyword(p, "collate"))
		return true;
	if (!advance(p))
		return false;
	if (p->tok.kind != TOK_STRING)
		return syntax_error(p, "an ICU locale in single quotes, such as 'de' or 'tr'");
	if (!rule_locale_valid(p->tok.value, p->tok.vlen))
	{
		char		buf[64];

		core_fail(p->err, CORE_ERR_INVALID_PARAMETER, p->tok.start,
				  "invalid locale %s in segment rule",
				  rule_token_excerpt(p->lex.text, p->lex.len, p->tok.start,
									 p->tok.len, buf, sizeof(buf)));
		core_detail(p->err, "A locale is 1 to %d letters, digits and the characters - _ @ = ; . (offset %d).",
					RULE_MAX_NAME, p->tok.start);
		core_hint(p->err, "Use an ICU locale such as 'de', 'tr' or 'und'.");
		return false;
	}
	node->locale = take_value(p);
	return advance(p);
}

/* Is s a whole number of at most 10 digits without leading zeros that fits
 * in an int32?  (The canonical count of within.) */
bool
rule_count_valid(const char *s)
{
	size_t		n = strlen(s);
	long long	v = 0;

	if (n == 0 || n > 10 || (n > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 2147483647LL;
}

/*
 * count = digit { digit }, 0 .. 2147483647 (within, and the windows of
 * aggregates).  *canon gets the count without leading zeros as soon as it
 * is read, so that the caller owns it even when it is out of range.
 */
static bool
parse_count(RuleParser *p, const char *what, char **canon)
{
	const char *v;
	size_t		skip = 0;

	if (p->tok.kind != TOK_NUMBER || strspn(p->tok.value, "0123456789") != p->tok.vlen)
		return syntax_error(p, "a whole number of days, weeks or months");
	v = p->tok.value;
	while (skip + 1 < p->tok.vlen && v[skip] == '0')
		skip++;
	*canon = core_alloc(p->tok.vlen - skip + 1);
	memcpy(*canon, v + skip, p->tok.vlen - skip + 1);
	if (!rule_count_valid(*canon))
	{
		core_fail(p->err, CORE_ERR_OUT_OF_RANGE, p->tok.start,
				  "%s count %s is out of range in segment rule", what, v);
		core_detail(p->err, "The count must be at most 2147483647 (offset %d).", p->tok.start);
		return false;
	}
	return advance(p);
}

/* unit = "day" | "days" | "week" | "weeks" | "month" | "months" */
static bool
parse_unit(RuleParser *p, int *unit)
{
	static const char *const units[] = {"day", "days", "week", "weeks", "month", "months"};

	for (int i = 0; i < 6; i++)
		if (is_keyword(p, units[i]))
		{
			*unit = RULE_UNIT_DAYS + i / 2;
			return advance(p);
		}
	return syntax_error(p, "days, weeks or months");
}

/* "within" count unit, after the path or aggregate of a predicate */
static bool
parse_within(RuleParser *p, RuleNode *node)
{
	int			unit = 0;

	node->lits = core_alloc0(sizeof(RuleLiteral));
	node->nlits = 1;
	node->lits[0].kind = RULE_LIT_NUMBER;
	node->lits[0].location = p->tok.start;
	if (!parse_count(p, "within", &node->lits[0].text) || !parse_unit(p, &unit))
		return false;
	node->unit = unit;
	return true;
}

/* A count as parse_count read it: canonical digits that fit an int32. */
static int32_t
count_value(const char *canon)
{
	int32_t		v = 0;

	for (const char *c = canon; *c; c++)
		v = v * 10 + (*c - '0');
	return v;
}

/* One count of a window into *value; false on error. */
static bool
window_count(RuleParser *p, const char *what, int32_t *value)
{
	char	   *canon = NULL;
	bool		ok = parse_count(p, what, &canon);

	if (ok)
		*value = count_value(canon);
	core_free(canon);
	return ok;
}

/*
 * window = "within" count unit | "between" count "and" count unit "ago",
 * after the source (and filter) of an aggregate.
 */
static bool
parse_window(RuleParser *p, RuleAggregate *agg)
{
	int			loc;

	if (is_keyword(p, "within"))
	{
		agg->window = RULE_WINDOW_WITHIN;
		return advance(p) && window_count(p, "within", &agg->from) &&
			parse_unit(p, &agg->unit);
	}
	agg->window = RULE_WINDOW_AGO;
	if (!advance(p))
		return false;
	loc = p->tok.start;
	if (!window_count(p, "window", &agg->from))
		return false;
	if (!is_keyword(p, "and"))
		return syntax_error(p, "\"and\" and the nearer end of the window");
	if (!advance(p) || !window_count(p, "window", &agg->to) || !parse_unit(p, &agg->unit))
		return false;
	if (!is_keyword(p, "ago"))
	{
		syntax_error(p, "\"ago\"");
		core_hint(p->err, "A window between two counts reaches back from the evaluation date, as in between 210 and 30 days ago.");
		return false;
	}
	if (agg->from < agg->to)
	{
		static const char *const units[] = {"?", "days", "weeks", "months"};

		core_fail(p->err, CORE_ERR_INVALID_PARAMETER, loc,
				  "window between %d and %d %s ago ends before it starts in segment rule",
				  (int) agg->from, (int) agg->to, units[agg->unit]);
		core_detail(p->err, "The first count is the far end of the window and may not be less than the second (offset %d).",
					loc);
		core_hint(p->err, "Write the larger number first, as in between %d and %d %s ago.",
				  (int) agg->to, (int) agg->from, units[agg->unit]);
		return false;
	}
	return advance(p);
}

/* The aggregates by RuleAggKind, as they are written. */
const char *
rule_agg_name(RuleAggKind kind)
{
	static const char *const names[] = {
		"?", "count", "count", "sum", "avg", "min", "max", "first", "last", "exists"
	};

	return kind >= RULE_AGG_COUNT && kind <= RULE_AGG_EXISTS ? names[kind] : names[0];
}

/* Does an aggregate take an event column?  1 it must, 0 it may, -1 it may not. */
int
rule_agg_column(RuleAggKind kind)
{
	return kind == RULE_AGG_COUNT ? 0 : kind == RULE_AGG_EXISTS ? -1 : 1;
}

/* The aggregate a function name spells, or 0. */
static RuleAggKind
agg_kind(const char *word)
{
	for (int k = RULE_AGG_COUNT; k <= RULE_AGG_EXISTS; k++)
		if (k != RULE_AGG_COUNT_DISTINCT && strcmp(word, rule_agg_name(k)) == 0)
			return k;
	return 0;
}

/* Is the lookahead a function name, that is, an aggregate's name or exists
 * before "("?  (Reads the token after it with a copy of the lexer.) */
static bool
at_function(const RuleParser *p)
{
	RuleLexer	lex = p->lex;
	RuleToken	tok;
	CoreError	scratch;
	bool		ok;

	if (p->tok.kind != TOK_IDENT || agg_kind(p->tok.value) == 0)
		return false;
	ok = rule_lex_next(&lex, &tok, &scratch);
	core_free(tok.value);
	return ok && tok.kind == TOK_LPAREN;
}

/* An example of each aggregate, for error details. */
static const char *
agg_example(RuleAggKind kind)
{
	switch (kind)
	{
		case RULE_AGG_COUNT:
			return "count(orders) >= 1";
		case RULE_AGG_COUNT_DISTINCT:
			return "count(distinct orders.category) >= 3";
		case RULE_AGG_SUM:
			return "sum(orders.amount) > 500";
		case RULE_AGG_AVG:
			return "avg(orders.amount) > 50";
		case RULE_AGG_MIN:
			return "min(orders.amount) >= 10";
		case RULE_AGG_MAX:
			return "max(orders.amount) < 1000";
		case RULE_AGG_FIRST:
			return "first(orders.ordered_at) within 30 days";
		case RULE_AGG_LAST:
			return "last(orders.status) = 'paid'";
		default:
			return "exists(orders within 30 days)";
	}
}

/*
 * agg_name "(" [ "distinct" ] source [ "." column ] [ "where" or_expr ]
 * [ window ] ")", the lookahead being the name (at_function is true).
 */
static bool
parse_aggregate(RuleParser *p, RuleNode *n)
{
	RuleAggregate *agg = core_alloc0(sizeof(RuleAggregate));
	const char *name;
	int			column;

	n->agg = agg;
	agg->kind = agg_kind(p->tok.value);
	agg->location = p->tok.start;
	if (p->in_filter)
	{
		core_fail(p->err, CORE_ERR_SYNTAX, p->tok.start,
				  "behavioural conditions cannot be nested in segment rule");
		core_detail(p->err, "The filter after \"where\" reads the columns of one event; %s(...) at offset %d is a behavioural condition of its own.",
					p->tok.value, p->tok.start);
		core_hint(p->err, "Combine behavioural conditions with and, or and not, as in count(orders) > 0 and not exists(returns).");
		return false;
	}
	if (!advance(p) || !enter(p) || !advance(p))
		return false;
	if (agg->kind == RULE_AGG_COUNT && is_keyword(p, "distinct"))
	{
		agg->kind = RULE_AGG_COUNT_DISTINCT;
		if (!advance(p))
			return false;
	}
	name = agg->kind == RULE_AGG_COUNT_DISTINCT ? "count(distinct ...)" : rule_agg_name(agg->kind);
	column = rule_agg_column(agg->kind);

	if (!(p->tok.kind == TOK_QIDENT ||
		  (p->tok.kind == TOK_IDENT && !rule_keyword_reserved(p->tok.value))))
		return syntax_error(p, "the name of an event source");
	agg->source = take_value(p);
	if (!advance(p))
		return false;
	if (p->tok.kind == TOK_DOT)
	{
		if (column < 0)
		{
			syntax_error(p, "\"where\", \"within\", \"between\" or \")\"");
			core_detail(p->err, "%s takes no event column, as in exists(orders where coupon is not null) (offset %d).",
						name, p->tok.start);
			return false;
		}
		if (!advance(p))
			return false;
		if (p->tok.kind != TOK_QIDENT && p->tok.kind != TOK_IDENT)
			return syntax_error(p, "an event column after \".\"");
		agg->column = take_value(p);
		if (!advance(p))
			return false;
	}
	else if (column > 0)
	{
		syntax_error(p, "\".\" and an event column");
		core_detail(p->err, "%s needs an event column, as in %s (offset %d).",
					name, agg_example(agg->kind), p->tok.start);
		return false;
	}
	if (is_keyword(p, "where"))
	{
		if (!advance(p))
			return false;
		p->in_filter = true;
		agg->filter = parse_or(p);
		p->in_filter = false;
		if (agg->filter == NULL)
			return false;
	}
	if ((is_keyword(p, "within") || is_keyword(p, "between")) && !parse_window(p, agg))
		return false;
	if (p->tok.kind != TOK_RPAREN)
		return syntax_error(p, agg->window != RULE_WINDOW_NONE ? "\")\""
							: agg->filter ? "\"and\", \"or\", \"within\", \"between\" or \")\""
							: agg->column || column < 0 ? "\"where\", \"within\", \"between\" or \")\""
							: "\".\", \"where\", \"within\", \"between\" or \")\"");
	p->nesting--;
	return advance(p);
}

/* What may follow a complete predicate, or a bare boolean attribute. */
static bool
at_follow(const RuleParser *p)
{
	return p->tok.kind == TOK_EOF || p->tok.kind == TOK_RPAREN ||
		is_keyword(p, "and") || is_keyword(p, "or");
}

/*
 * The one operand of matches, starts with and ends with: a string, since a
 * pattern compared as a number would mean nothing.
 */
static bool
parse_pattern(RuleParser *p, RuleNode *node, const char *expected, const char *example)
{
	if (p->tok.kind != TOK_STRING)
	{
		syntax_error(p, expected);
		core_hint(p->err, "A pattern is text in single quotes, as in %s.", example);
		return false;
	}
	return one_literal(p, node);
}

static const char *const cmp_ops[] = {"=", "<>", "<", "<=", ">", ">="};

/* The operator and operands after the subject (path or aggregate) of a predicate. */
static bool
parse_predicate_tail(RuleParser *p, RuleNode *n)
{
	if (p->tok.kind == TOK_OP)
	{
		if (strcmp(p->tok.value, "~=") == 0)
		{
			n->kind = RULE_ICU_EQ;
			return advance(p) && one_literal(p, n) && parse_collate(p, n);
		}
		n->kind = RULE_CMP;
		n->op = strcmp(p->tok.value, "!=") == 0 ? RULE_OP_NE : 0;
		for (int i = 0; i < 6 && n->op == 0; i++)
			if (strcmp(p->tok.value, cmp_ops[i]) == 0)
				n->op = RULE_OP_EQ + i;
		return advance(p) && one_literal(p, n);
	}
	if (is_keyword(p, "not"))
	{
		n->negated = true;
		if (!advance(p))
			return false;
		if (!(is_keyword(p, "in") || is_keyword(p, "between") ||
			  is_keyword(p, "like") || is_keyword(p, "ilike") ||
			  is_keyword(p, "matches")))
			return syntax_error(p, "\"in\", \"between\", \"like\", \"ilike\" or \"matches\" after \"not\"");
	}
	if (is_keyword(p, "in"))
	{
		n->kind = RULE_IN;
		return advance(p) && parse_list(p, n);
	}
	if (is_keyword(p, "between"))
	{
		n->kind = RULE_BETWEEN;
		if (!advance(p) || !one_literal(p, n))
			return false;
		if (!is_keyword(p, "and"))
			return syntax_error(p, "\"and\" and the upper bound of between");
		return advance(p) && one_literal(p, n);
	}
	if (is_keyword(p, "like") || is_keyword(p, "ilike"))
	{
		n->kind = is_keyword(p, "like") ? RULE_LIKE : RULE_ILIKE;
		if (!advance(p) || !one_literal(p, n))
			return false;
		return n->kind == RULE_LIKE || parse_collate(p, n);
	}
	if (is_keyword(p, "is"))
	{
		n->kind = RULE_IS_NULL;
		if (!advance(p))
			return false;
		if (is_keyword(p, "not"))
		{
			n->negated = true;
			if (!advance(p))
				return false;
		}
		if (!is_keyword(p, "null"))
			return syntax_error(p, n->negated ? "\"null\"" : "\"null\" or \"not null\"");
		return advance(p);
	}
	if (is_keyword(p, "contains"))
	{
		if (!advance(p))
			return false;
		if (is_keyword(p, "any") || is_keyword(p, "all"))
		{
			n->kind = is_keyword(p, "any") ? RULE_CONTAINS_ANY : RULE_CONTAINS_ALL;
			return advance(p) && parse_list(p, n);
		}
		n->kind = RULE_CONTAINS;
		return one_literal(p, n);
	}
	if (is_keyword(p, "within"))
	{
		n->kind = RULE_WITHIN;
		return advance(p) && parse_within(p, n);
	}
	if (is_keyword(p, "matches"))
	{
		n->kind = RULE_MATCHES;
		return advance(p) && parse_pattern(p, n, "a regular expression in single quotes",
										   "name matches '^a.*z$'");
	}
	if (is_keyword(p, "starts") || is_keyword(p, "ends"))
	{
		bool		starts = is_keyword(p, "starts");

		n->kind = starts ? RULE_STARTS_WITH : RULE_ENDS_WITH;
		if (!advance(p))
			return false;
		if (!is_keyword(p, "with"))
			return syntax_error(p, starts ? "\"with\" after \"starts\"" : "\"with\" after \"ends\"");
		return advance(p) && parse_pattern(p, n, "text in single quotes",
										   starts ? "sku starts with 'AB'"
										   : "email ends with '@gmail.com'");
	}
	if (n->agg)
	{
		/* an aggregate is a number or a value, never a condition by itself */
		syntax_error(p, "a comparison");
		core_detail(p->err, "Expected a comparison after %s(...) at offset %d, as in %s.",
					rule_agg_name(n->agg->kind), p->tok.start, agg_example(n->agg->kind));
		return false;
	}
	if (at_follow(p))
	{
		n->kind = RULE_BOOL_ATTR;
		return true;
	}
	return syntax_error(p, "an operator (=, <>, !=, <, <=, >, >=, ~=, in, between, is, like, ilike, contains, within, matches, starts with or ends with), \"and\", \"or\" or the end of the condition");
}

/*
 * predicate = subject tail | path | "exists" "(" events ")": the subject is
 * a path or an aggregate; exists(...) is a condition by itself.
 */
static RuleNode *
parse_predicate(RuleParser *p)
{
	RuleNode   *n = new_node(RULE_BOOL_ATTR, p->tok.start);
	bool		ok;

	if (at_function(p))
	{
		ok = parse_aggregate(p, n);
		if (ok && n->agg->kind == RULE_AGG_EXISTS)
			n->kind = RULE_EXISTS;
		else
			ok = ok && parse_predicate_tail(p, n);
	}
	else
		ok = parse_path(p, &n->path) && parse_predicate_tail(p, n);
	if (!ok)
	{
		rule_free(n);
		return NULL;
	}
	return n;
}

/* not_expr = "not" not_expr | "(" or_expr ")" | predicate */
static RuleNode *
parse_not(RuleParser *p)
{
	RuleNode   *n;

	core_check_stack();
	if (is_keyword(p, "not"))
	{
		RuleNode   *child;
		int			loc = p->tok.start;

		if (!enter(p) || !advance(p) || (child = parse_not(p)) == NULL)
			return NULL;
		p->nesting--;
		n = new_node(RULE_NOT, loc);
		n->args = core_alloc(sizeof(RuleNode *));
		n->args[0] = child;
		n->nargs = 1;
		return n;
	}
	if (p->tok.kind == TOK_LPAREN)
	{
		if (!enter(p) || !advance(p) || (n = parse_or(p)) == NULL)
			return NULL;
		if (p->tok.kind != TOK_RPAREN)
		{
			syntax_error(p, "\"and\", \"or\" or \")\"");
			rule_free(n);
			return NULL;
		}
		p->nesting--;
		if (!advance(p))
		{
			rule_free(n);
			return NULL;
		}
		return n;
	}
	return parse_predicate(p);
}

/*
 * A chain of operands joined by one keyword, as one n-ary node; an operand
 * of the same kind (from parentheses) is spliced in: (a and b) and c is
 * a and b and c.
 */
static RuleNode *
parse_chain(RuleParser *p, RuleNodeKind kind)
{
	const char *word = kind == RULE_AND ? "and" : "or";
	RuleNode   *first,
			   *n;
	int			cap = 4;

	core_check_stack();
	first = kind == RULE_AND ? parse_not(p) : parse_chain(p, RULE_AND);
	if (first == NULL || !is_keyword(p, word))
		return first;

	n = new_node(kind, first->location);
	n->args = core_alloc(sizeof(RuleNode *) * cap);
	for (RuleNode *child = first;;)
	{
		int			need = child->kind == kind ? child->nargs : 1;

		if (n->nargs + need > cap)
		{
			while (n->nargs + need > cap)
				cap *= 2;
			n->args = core_realloc(n->args, sizeof(RuleNode *) * cap);
		}
		if (child->kind == kind)
		{
			memcpy(n->args + n->nargs, child->args, sizeof(RuleNode *) * child->nargs);
			n->nargs += child->nargs;
			child->nargs = 0;
			rule_free(child);
		}
		else
			n->args[n->nargs++] = child;

		if (!is_keyword(p, word))
			break;
		core_check_interrupts();
		if (!advance(p) ||
			(child = kind == RULE_AND ? parse_not(p) : parse_chain(p, RULE_AND)) == NULL)
		{
			rule_free(n);
			return NULL;
		}
	}
	return n;
}

static RuleNode *
parse_or(RuleParser *p)
{
	return parse_chain(p, RULE_OR);
}

/* The first node deeper than RULE_MAX_DEPTH, or NULL. */
static const RuleNode *
too_deep(const RuleNode *node, int level)
{
	core_check_stack();
	if (level > RULE_MAX_DEPTH)
		return node;
	for (int i = 0; i < node->nargs; i++)
	{
		const RuleNode *d = too_deep(node->args[i], level + 1);

		if (d)
			return d;
	}
	/* the filter of an aggregate hangs below its predicate */
	if (node->agg && node->agg->filter)
		return too_deep(node->agg->filter, level + 1);
	return NULL;
}

RuleNode *
rule_parse(const char *text, size_t len, CoreError *err)
{
	RuleParser	p;
	RuleNode   *root;
	const RuleNode *deep;
	size_t		canon_len;

	memset(&p, 0, sizeof(p));
	p.err = err;
	if (len > RULE_MAX_TEXT)
	{
		core_fail(err, CORE_ERR_PROGRAM_LIMIT, RULE_MAX_TEXT, "segment rule is too long");
		core_detail(err, "A rule may have at most %d bytes; this one has %zu.",
					RULE_MAX_TEXT, len);
		return NULL;
	}
	p.lex.text = text;
	p.lex.len = len;
	root = advance(&p) ? parse_or(&p) : NULL;
	if (root != NULL && p.tok.kind != TOK_EOF)
	{
		syntax_error(&p, p.tok.kind == TOK_RPAREN ? "the end of the rule (this \")\" has no \"(\")"
					 : "\"and\", \"or\" or the end of the rule");
		rule_free(root);
		root = NULL;
	}
	core_free(p.tok.value);
	if (root == NULL)
		return NULL;

	if ((deep = too_deep(root, 1)) != NULL)
	{
		core_fail(err, CORE_ERR_TOO_DEEP, deep->location, "segment rule is nested too deeply");
		core_detail(err, "A rule's tree of and, or, not and filters may be at most %d levels deep; the limit was passed at offset %d.",
					RULE_MAX_DEPTH, deep->location);
		rule_free(root);
		return NULL;
	}
	/* what is stored must print within the limit, so that it reads back */
	if ((canon_len = rule_print_length(root)) > RULE_MAX_TEXT)
	{
		core_fail(err, CORE_ERR_PROGRAM_LIMIT, 0, "segment rule is too long");
		core_detail(err, "A rule's canonical text may have at most %d bytes; this one has %zu.",
					RULE_MAX_TEXT, canon_len);
		rule_free(root);
		return NULL;
	}
	return root;
}
