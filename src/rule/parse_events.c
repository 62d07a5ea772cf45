/*-------------------------------------------------------------------------
 *
 * parse_events.c
 *	  The behavioural conditions of the segment rule parser: aggregates over
 *	  the events of a source, exists, and their windows (pure core, see
 *	  parse.h; the grammar in EBNF is in doc/rules.md).
 *
 *	  aggregate = agg_name "(" [ "distinct" ] events ")"
 *	  events    = source [ "." column ] [ "where" or_expr ] [ window ]
 *	  window    = "within" count unit | "between" count "and" count unit "ago"
 *
 * One idea: none of these words is reserved.  A function name is one only
 * before "(" (rule_at_function reads the token after it with a copy of the
 * lexer), distinct only right after "count(", where and the window only
 * after the source, ago only after a window's unit; so every column name
 * that worked before still works.  The filter is an or_expr read by
 * parse.c as far as it goes, with in_filter set so that a behavioural
 * condition inside it is an error; which aggregate takes which event
 * column is rule_agg_column, shared with the decoder.
 *
 *-------------------------------------------------------------------------
 */
#include "parse.h"

/*
 * count = digit { digit }, 0 .. 2147483647 (within, and the windows of
 * aggregates).  *canon gets the count without leading zeros as soon as it
 * is read, so that the caller owns it even when it is out of range.
 */
bool
rule_parse_count(RuleParser *p, const char *what, char **canon)
{
	const char *v;
	size_t		skip = 0;

	if (p->tok.kind != TOK_NUMBER || strspn(p->tok.value, "0123456789") != p->tok.vlen)
		return syntax_error(p, "Expected a whole number of days, weeks or months at character %s.");
	v = p->tok.value;
	while (skip + 1 < p->tok.vlen && v[skip] == '0')
		skip++;
	*canon = core_alloc(p->tok.vlen - skip + 1);
	memcpy(*canon, v + skip, p->tok.vlen - skip + 1);
	if (!rule_count_valid(*canon))
	{
		core_fail(p->err, CORE_ERR_OUT_OF_RANGE, p->tok.start,
				  "%s count %s is out of range in segment rule", what, v);
		core_detail(p->err, "The count must be at most 2147483647 (character %s).",
					AT(p, p->tok.start));
		return false;
	}
	return advance(p);
}

/* unit = "day" | "days" | "week" | "weeks" | "month" | "months" */
bool
rule_parse_unit(RuleParser *p, int *unit)
{
	static const char *const units[] = {"day", "days", "week", "weeks", "month", "months"};

	for (int i = 0; i < 6; i++)
		if (is_keyword(p, units[i]))
		{
			*unit = RULE_UNIT_DAYS + i / 2;
			return advance(p);
		}
	return syntax_error(p, "Expected days, weeks or months at character %s.");
}

/* A count as rule_parse_count read it: canonical digits that fit an int32. */
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
	bool		ok = rule_parse_count(p, what, &canon);

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
			rule_parse_unit(p, &agg->unit);
	}
	agg->window = RULE_WINDOW_AGO;
	if (!advance(p))
		return false;
	loc = p->tok.start;
	if (!window_count(p, "window", &agg->from))
		return false;
	if (!is_keyword(p, "and"))
		return syntax_error(p, "Expected \"and\" and the nearer end of the window at character %s.");
	if (!advance(p) || !window_count(p, "window", &agg->to) || !rule_parse_unit(p, &agg->unit))
		return false;
	if (!is_keyword(p, "ago"))
	{
		syntax_error(p, "Expected \"ago\" at character %s.");
		core_hint(p->err, "A window between two counts reaches back from the evaluation date, as in between 210 and 30 days ago.");
		return false;
	}
	if (agg->from < agg->to)
	{
		static const char *const units[] = {"?", "days", "weeks", "months"};

		core_fail(p->err, CORE_ERR_INVALID_PARAMETER, loc,
				  "window between %s and %s %s ago ends before it starts in segment rule",
				  CORE_INT(agg->from), CORE_INT(agg->to), units[agg->unit]);
		core_detail(p->err, "The first count is the far end of the window and may not be less than the second (character %s).",
					AT(p, loc));
		core_hint(p->err, "Write the larger number first, as in between %s and %s %s ago.",
				  CORE_INT(agg->to), CORE_INT(agg->from), units[agg->unit]);
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
bool
rule_at_function(const RuleParser *p)
{
	RuleLexer	lex = p->lex;
	RuleToken	tok;
	CoreError	scratch;
	bool		ok;

	if (p->tok.kind != TOK_IDENT || agg_kind(p->tok.value) == 0)
		return false;
	ok = rule_lex_next(&lex, &tok, &scratch);
	core_free(tok.value);
	if (!ok)
		core_error_free(&scratch);
	return ok && tok.kind == TOK_LPAREN;
}

/* An example of each aggregate, for error details. */
const char *
rule_agg_example(RuleAggKind kind)
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
 * [ window ] ")", the lookahead being the name (rule_at_function is true).
 */
bool
rule_parse_aggregate(RuleParser *p, RuleNode *n)
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
		core_detail(p->err, "The filter after \"where\" reads the columns of one event; %s(...) at character %s is a behavioural condition of its own.",
					p->tok.value, AT(p, p->tok.start));
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
		return syntax_error(p, "Expected the name of an event source at character %s.");
	agg->source = take_value(p);
	if (!advance(p))
		return false;
	if (p->tok.kind == TOK_DOT)
	{
		if (column < 0)
		{
			syntax_error(p, "Expected \"where\", \"within\", \"between\" or \")\" at character %s.");
			core_detail(p->err, "%s takes no event column, as in exists(orders where coupon is not null) (character %s).",
						name, AT(p, p->tok.start));
			return false;
		}
		if (!advance(p))
			return false;
		if (p->tok.kind != TOK_QIDENT && p->tok.kind != TOK_IDENT)
			return syntax_error(p, "Expected an event column after \".\" at character %s.");
		agg->column = take_value(p);
		if (!advance(p))
			return false;
	}
	else if (column > 0)
	{
		syntax_error(p, "Expected \".\" and an event column at character %s.");
		core_detail(p->err, "%s needs an event column, as in %s (character %s).",
					name, rule_agg_example(agg->kind), AT(p, p->tok.start));
		return false;
	}
	if (is_keyword(p, "where"))
	{
		if (!advance(p))
			return false;
		p->in_filter = true;
		agg->filter = rule_parse_or(p);
		p->in_filter = false;
		if (agg->filter == NULL)
			return false;
	}
	if ((is_keyword(p, "within") || is_keyword(p, "between")) && !parse_window(p, agg))
		return false;
	if (p->tok.kind != TOK_RPAREN)
		return syntax_error(p, agg->window != RULE_WINDOW_NONE ? core_N_("Expected \")\" at character %s.")
							: agg->filter ? core_N_("Expected \"and\", \"or\", \"within\", \"between\" or \")\" at character %s.")
							: agg->column || column < 0 ? core_N_("Expected \"where\", \"within\", \"between\" or \")\" at character %s.")
							: core_N_("Expected \".\", \"where\", \"within\", \"between\" or \")\" at character %s."));
	p->nesting--;
	return advance(p);
}
