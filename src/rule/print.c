/*-------------------------------------------------------------------------
 *
 * print.c
 *	  The canonical text of a segment rule, and the attributes of the row it
 *	  names (pure core, see ast.h).
 *
 * One idea: canonical text is the shortest conventional spelling that the
 * parser reads back as the same tree.  Keywords are lower case, operators
 * and keywords are separated by one space, lists by ", ", a name is quoted
 * only when it must be (not a plain lower-case identifier, or reserved),
 * strings always take single quotes, numbers are printed as written, a
 * within count of 1 takes a singular unit (1 day, 2 days), and
 * parentheses appear only where SQL precedence needs them: around an or
 * inside an and, and around an and or an or under not.
 *
 * Behavioural conditions add one case.  The filter of an aggregate is read
 * as far as it parses, so in count(e where flag within 2 days) the window
 * would be read as the row condition flag within 2 days; when a window
 * follows a filter whose last condition is a bare boolean attribute, the
 * filter is printed in parentheses: count(e where (flag) within 2 days).
 *
 *-------------------------------------------------------------------------
 */
#include "lex.h"

#include <stdio.h>
#include <string.h>

typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Buf;

static void
put(Buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
	{
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 128;
		b->data = core_realloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void
puts_(Buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* s quoted with q, an inner q doubled */
static void
put_quoted(Buf *b, const char *s, char q)
{
	const char *run = s;

	put(b, &q, 1);
	for (const char *c = s; *c; c++)
		if (*c == q)
		{
			put(b, run, c - run + 1);
			run = c;			/* the quote again, doubling it */
		}
	puts_(b, run);
	put(b, &q, 1);
}

static bool
name_needs_quotes(const char *s)
{
	if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return true;
	for (const char *c = s + 1; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return true;
	return rule_keyword_reserved(s);
}

static void
put_path(Buf *b, const RulePath *path)
{
	for (int i = 0; i < path->nparts; i++)
	{
		if (i > 0)
			put(b, ".", 1);
		if (name_needs_quotes(path->parts[i]))
			put_quoted(b, path->parts[i], '"');
		else
			puts_(b, path->parts[i]);
	}
}

static void
put_literal(Buf *b, const RuleLiteral *lit)
{
	switch (lit->kind)
	{
		case RULE_LIT_STRING:
			put_quoted(b, lit->text, '\'');
			break;
		case RULE_LIT_NULL:
			puts_(b, "null");
			break;
		default:
			puts_(b, lit->text);
			break;
	}
}

static void
put_list(Buf *b, const RuleNode *node)
{
	put(b, "(", 1);
	for (int i = 0; i < node->nlits; i++)
	{
		if (i > 0)
			put(b, ", ", 2);
		put_literal(b, &node->lits[i]);
	}
	put(b, ")", 1);
}

static void
put_collate(Buf *b, const RuleNode *node)
{
	if (node->locale)
	{
		puts_(b, " collate ");
		put_quoted(b, node->locale, '\'');
	}
}

static const char *const op_text[] = {"?", "=", "<>", "<", "<=", ">", ">="};
static const char *const unit_text[] = {"?s", "days", "weeks", "months"};

/* " 30 days", " 1 day": a unit is singular after a count of exactly 1 */
static void
put_unit(Buf *b, int unit, bool singular)
{
	const char *u = unit_text[unit >= RULE_UNIT_DAYS && unit <= RULE_UNIT_MONTHS ? unit : 0];

	put(b, " ", 1);
	put(b, u, singular ? strlen(u) - 1 : strlen(u));
}

static void put_node(Buf *b, const RuleNode *node, RuleNodeKind parent);

/*
 * Would the window after this filter be read as part of it?  Yes when the
 * filter's last condition (down the last operand of and / or, through not)
 * is a bare boolean attribute: flag within 2 days is a condition.
 */
static bool
filter_swallows_window(const RuleNode *node)
{
	while (node->kind == RULE_AND || node->kind == RULE_OR || node->kind == RULE_NOT)
		node = node->args[node->nargs - 1];
	return node->kind == RULE_BOOL_ATTR;
}

/* agg_name "(" [ "distinct " ] source [ "." column ] [ " where " filter ] [ window ] ")" */
static void
put_aggregate(Buf *b, const RuleAggregate *agg)
{
	char		num[16];

	puts_(b, rule_agg_name(agg->kind));
	put(b, "(", 1);
	if (agg->kind == RULE_AGG_COUNT_DISTINCT)
		puts_(b, "distinct ");
	/* right after "count(" the word distinct is the keyword */
	if (name_needs_quotes(agg->source) ||
		(agg->kind == RULE_AGG_COUNT && strcmp(agg->source, "distinct") == 0))
		put_quoted(b, agg->source, '"');
	else
		puts_(b, agg->source);
	if (agg->column)
	{
		put(b, ".", 1);
		if (name_needs_quotes(agg->column))
			put_quoted(b, agg->column, '"');
		else
			puts_(b, agg->column);
	}
	if (agg->filter)
	{
		bool		parens = agg->window != RULE_WINDOW_NONE &&
			filter_swallows_window(agg->filter);

		puts_(b, parens ? " where (" : " where ");
		put_node(b, agg->filter, 0);
		if (parens)
			put(b, ")", 1);
	}
	if (agg->window == RULE_WINDOW_WITHIN)
	{
		snprintf(num, sizeof(num), " within %d", (int) agg->from);
		puts_(b, num);
		put_unit(b, agg->unit, agg->from == 1);
	}
	else if (agg->window == RULE_WINDOW_AGO)
	{
		snprintf(num, sizeof(num), " between %d", (int) agg->from);
		puts_(b, num);
		snprintf(num, sizeof(num), " and %d", (int) agg->to);
		puts_(b, num);
		/* singular only for "between 1 and 1 day ago" */
		put_unit(b, agg->unit, agg->from == 1 && agg->to == 1);
		puts_(b, " ago");
	}
	put(b, ")", 1);
}

static void
put_node(Buf *b, const RuleNode *node, RuleNodeKind parent)
{
	core_check_stack();
	switch (node->kind)
	{
		case RULE_AND:
		case RULE_OR:
			{
				bool		parens = parent == RULE_NOT || parent == node->kind ||
					(node->kind == RULE_OR && parent == RULE_AND);

				if (parens)
					put(b, "(", 1);
				for (int i = 0; i < node->nargs; i++)
				{
					if (i > 0)
						puts_(b, node->kind == RULE_AND ? " and " : " or ");
					put_node(b, node->args[i], node->kind);
				}
				if (parens)
					put(b, ")", 1);
				return;
			}
		case RULE_NOT:
			puts_(b, "not ");
			put_node(b, node->args[0], RULE_NOT);
			return;
		default:
			break;
	}

	if (node->agg)
		put_aggregate(b, node->agg);
	else
		put_path(b, &node->path);
	switch (node->kind)
	{
		case RULE_CMP:
			put(b, " ", 1);
			puts_(b, op_text[node->op >= RULE_OP_EQ && node->op <= RULE_OP_GE ? node->op : 0]);
			put(b, " ", 1);
			put_literal(b, &node->lits[0]);
			break;
		case RULE_IN:
			puts_(b, node->negated ? " not in " : " in ");
			put_list(b, node);
			break;
		case RULE_BETWEEN:
			puts_(b, node->negated ? " not between " : " between ");
			put_literal(b, &node->lits[0]);
			puts_(b, " and ");
			put_literal(b, &node->lits[1]);
			break;
		case RULE_IS_NULL:
			puts_(b, node->negated ? " is not null" : " is null");
			break;
		case RULE_LIKE:
		case RULE_ILIKE:
			if (node->negated)
				puts_(b, " not");
			puts_(b, node->kind == RULE_LIKE ? " like " : " ilike ");
			put_literal(b, &node->lits[0]);
			put_collate(b, node);
			break;
		case RULE_ICU_EQ:
			puts_(b, " ~= ");
			put_literal(b, &node->lits[0]);
			put_collate(b, node);
			break;
		case RULE_CONTAINS:
			puts_(b, " contains ");
			put_literal(b, &node->lits[0]);
			break;
		case RULE_CONTAINS_ANY:
		case RULE_CONTAINS_ALL:
			puts_(b, node->kind == RULE_CONTAINS_ANY ? " contains any " : " contains all ");
			put_list(b, node);
			break;
		case RULE_WITHIN:
			puts_(b, " within ");
			put_literal(b, &node->lits[0]);
			/* "1 day", "2 days": the parser reads both, the tree keeps the unit */
			put_unit(b, node->unit, strcmp(node->lits[0].text, "1") == 0);
			break;
		case RULE_MATCHES:
			puts_(b, node->negated ? " not matches " : " matches ");
			put_literal(b, &node->lits[0]);
			break;
		case RULE_STARTS_WITH:
		case RULE_ENDS_WITH:
			puts_(b, node->kind == RULE_STARTS_WITH ? " starts with " : " ends with ");
			put_literal(b, &node->lits[0]);
			break;
		default:				/* RULE_BOOL_ATTR: the path alone; RULE_EXISTS:
								 * the aggregate alone */
			break;
	}
}

char *
rule_print(const RuleNode *node)
{
	Buf			b = {0};

	put(&b, "", 0);
	put_node(&b, node, 0);
	return b.data;
}

size_t
rule_print_length(const RuleNode *node)
{
	char	   *text = rule_print(node);
	size_t		len = strlen(text);

	core_free(text);
	return len;
}

/* ---- the attributes a rule names ---- */

typedef struct Attrs
{
	const RulePath **paths;
	int			n;
	int			cap;
} Attrs;

static bool
path_equal(const RulePath *a, const RulePath *b)
{
	if (a->nparts != b->nparts)
		return false;
	for (int i = 0; i < a->nparts; i++)
		if (strcmp(a->parts[i], b->parts[i]) != 0)
			return false;
	return true;
}

static void
collect(Attrs *acc, const RuleNode *node)
{
	core_check_stack();
	if (node->kind == RULE_AND || node->kind == RULE_OR || node->kind == RULE_NOT)
	{
		for (int i = 0; i < node->nargs; i++)
			collect(acc, node->args[i]);
		return;
	}
	/* a behavioural condition names a source and its columns, not the row's */
	if (node->agg)
		return;
	/* linear search: a rule names few distinct attributes */
	core_check_interrupts();
	for (int i = 0; i < acc->n; i++)
		if (path_equal(acc->paths[i], &node->path))
			return;
	if (acc->n == acc->cap)
	{
		acc->cap = acc->cap ? acc->cap * 2 : 8;
		acc->paths = core_realloc(acc->paths, sizeof(RulePath *) * acc->cap);
	}
	acc->paths[acc->n++] = &node->path;
}

char **
rule_attributes(const RuleNode *node, int *count)
{
	Attrs		acc = {0};
	char	  **out;

	collect(&acc, node);
	out = core_alloc(sizeof(char *) * (acc.n + 1));
	for (int i = 0; i < acc.n; i++)
	{
		Buf			b = {0};

		put(&b, "", 0);
		for (int j = 0; j < acc.paths[i]->nparts; j++)
		{
			if (j > 0)
				put(&b, ".", 1);
			puts_(&b, acc.paths[i]->parts[j]);
		}
		out[i] = b.data;
	}
	out[acc.n] = NULL;
	*count = acc.n;
	core_free(acc.paths);
	return out;
}
