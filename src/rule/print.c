/*-------------------------------------------------------------------------
 *
 * print.c
 *	  The canonical text of a segment rule, and the attributes it names
 *	  (pure core, see ast.h).
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
 *-------------------------------------------------------------------------
 */
#include "lex.h"

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
			put(b, " ", 1);
			{
				/* "1 day", "2 days": the parser reads both, the tree keeps the unit */
				const char *u = unit_text[node->unit >= RULE_UNIT_DAYS &&
										  node->unit <= RULE_UNIT_MONTHS ? node->unit : 0];

				put(b, u, strcmp(node->lits[0].text, "1") == 0 ? strlen(u) - 1 : strlen(u));
			}
			break;
		default:				/* RULE_BOOL_ATTR: the path alone */
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
