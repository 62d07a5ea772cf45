/*-------------------------------------------------------------------------
 *
 * parse.c
 *	  The recursive-descent parser of the segment rule language (pure core,
 *	  see ast.h and parse.h; the grammar in EBNF is in doc/rules.md).
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
 * No word but the reserved ones is a keyword everywhere: matches, starts,
 * ends and with are keywords only after a subject, and the words of
 * aggregates only where parse_events.c expects them, so every column name
 * that worked before the behavioural conditions still works.  The filter
 * after where is an or_expr read as far as it goes, like everything else
 * here; the printer puts it in parentheses where that would swallow the
 * window (print.c).
 *
 *-------------------------------------------------------------------------
 */
#include "parse.h"

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
			return syntax_error(p, path->nparts == 0 ? core_N_("Expected an attribute name at character %s.")
								: core_N_("Expected a name after \".\" at character %s."));
		if (path->nparts == RULE_MAX_PATH)
		{
			core_fail(p->err, CORE_ERR_PROGRAM_LIMIT, p->tok.start,
					  "attribute path is too long in segment rule");
			core_detail(p->err, "A path may have at most %s parts (character %s).",
						CORE_INT(RULE_MAX_PATH), AT(p, p->tok.start));
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
					return syntax_error(p, "Expected a number after the sign at character %s.");
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
				char	   *word = p->tok.kind == TOK_QIDENT ? NULL :
					rule_token_text(p->lex.text, p->lex.len, p->tok.start, p->tok.len);

				syntax_error(p, "Expected a value: a 'quoted string', a number, true, false or null at character %s.");
				core_hint(p->err, "Text values take single quotes, as in SQL: '%s'.",
						  word ? word : p->tok.value);
				core_free(word);
				return false;
			}
		default:
			return syntax_error(p, "Expected a value: a 'quoted string', a number, true, false or null at character %s.");
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
		core_detail(p->err, "A list may hold at most %s values (character %s).",
					CORE_INT(RULE_MAX_LIST), AT(p, p->tok.start));
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
		return syntax_error(p, "Expected \"(\" and a list of values at character %s.");
	if (!advance(p))
		return false;
	for (;;)
	{
		if (!add_literal(p, node, &cap))
			return false;
		if (p->tok.kind == TOK_RPAREN)
			return advance(p);
		if (p->tok.kind != TOK_COMMA)
			return syntax_error(p, "Expected \",\" or \")\" at character %s.");
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
		return syntax_error(p, "Expected an ICU locale in single quotes, such as 'de' or 'tr' at character %s.");
	if (!rule_locale_valid(p->tok.value, p->tok.vlen))
	{
		char	   *locale = rule_token_text(p->lex.text, p->lex.len, p->tok.start, p->tok.len);

		core_fail(p->err, CORE_ERR_INVALID_PARAMETER, p->tok.start,
				  "invalid locale %s in segment rule", locale);
		core_free(locale);
		core_detail(p->err, "A locale is 1 to %s letters, digits and the characters - _ @ = ; . (character %s).",
					CORE_INT(RULE_MAX_NAME), AT(p, p->tok.start));
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


/* "within" count unit, after the path or aggregate of a predicate */
static bool
parse_within(RuleParser *p, RuleNode *node)
{
	int			unit = 0;

	node->lits = core_alloc0(sizeof(RuleLiteral));
	node->nlits = 1;
	node->lits[0].kind = RULE_LIT_NUMBER;
	node->lits[0].location = p->tok.start;
	if (!rule_parse_count(p, "within", &node->lits[0].text) || !rule_parse_unit(p, &unit))
		return false;
	node->unit = unit;
	return true;
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
			return syntax_error(p, "Expected \"in\", \"between\", \"like\", \"ilike\" or \"matches\" after \"not\" at character %s.");
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
			return syntax_error(p, "Expected \"and\" and the upper bound of between at character %s.");
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
			return syntax_error(p, n->negated ? core_N_("Expected \"null\" at character %s.") : core_N_("Expected \"null\" or \"not null\" at character %s."));
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
		return advance(p) && parse_pattern(p, n, core_N_("Expected a regular expression in single quotes at character %s."),
										   "name matches '^a.*z$'");
	}
	if (is_keyword(p, "starts") || is_keyword(p, "ends"))
	{
		bool		starts = is_keyword(p, "starts");

		n->kind = starts ? RULE_STARTS_WITH : RULE_ENDS_WITH;
		if (!advance(p))
			return false;
		if (!is_keyword(p, "with"))
			return syntax_error(p, starts ? core_N_("Expected \"with\" after \"starts\" at character %s.") : core_N_("Expected \"with\" after \"ends\" at character %s."));
		return advance(p) && parse_pattern(p, n, core_N_("Expected text in single quotes at character %s."),
										   starts ? "sku starts with 'AB'"
										   : "email ends with '@gmail.com'");
	}
	if (n->agg)
	{
		/* an aggregate is a number or a value, never a condition by itself */
		syntax_error(p, "Expected a comparison at character %s.");
		core_detail(p->err, "Expected a comparison after %s(...) at character %s, as in %s.",
					rule_agg_name(n->agg->kind), AT(p, p->tok.start),
					rule_agg_example(n->agg->kind));
		return false;
	}
	if (at_follow(p))
	{
		n->kind = RULE_BOOL_ATTR;
		return true;
	}
	return syntax_error(p, "Expected an operator (=, <>, !=, <, <=, >, >=, ~=, in, between, is, like, ilike, contains, within, matches, starts with or ends with), \"and\", \"or\" or the end of the condition at character %s.");
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

	if (rule_at_function(p))
	{
		ok = rule_parse_aggregate(p, n);
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
		if (!enter(p) || !advance(p) || (n = rule_parse_or(p)) == NULL)
			return NULL;
		if (p->tok.kind != TOK_RPAREN)
		{
			syntax_error(p, "Expected \"and\", \"or\" or \")\" at character %s.");
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

RuleNode *
rule_parse_or(RuleParser *p)
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
		core_detail(err, "A rule may have at most %s bytes; this one has %s.",
					CORE_INT(RULE_MAX_TEXT), CORE_INT(len));
		return NULL;
	}
	p.lex.text = text;
	p.lex.len = len;
	root = advance(&p) ? rule_parse_or(&p) : NULL;
	if (root != NULL && p.tok.kind != TOK_EOF)
	{
		syntax_error(&p, p.tok.kind == TOK_RPAREN ? core_N_("Expected the end of the rule (this \")\" has no \"(\") at character %s.")
					 : core_N_("Expected \"and\", \"or\" or the end of the rule at character %s."));
		rule_free(root);
		root = NULL;
	}
	core_free(p.tok.value);
	if (root == NULL)
		return NULL;

	if ((deep = too_deep(root, 1)) != NULL)
	{
		core_fail(err, CORE_ERR_TOO_DEEP, deep->location, "segment rule is nested too deeply");
		core_detail(err, "A rule's tree of and, or, not and filters may be at most %s levels deep; the limit was passed at character %s.",
					CORE_INT(RULE_MAX_DEPTH), CORE_CHARPOS(text, len, deep->location));
		rule_free(root);
		return NULL;
	}
	/* what is stored must print within the limit, so that it reads back */
	if ((canon_len = rule_print_length(root)) > RULE_MAX_TEXT)
	{
		core_fail(err, CORE_ERR_PROGRAM_LIMIT, 0, "segment rule is too long");
		core_detail(err, "A rule's canonical text may have at most %s bytes; this one has %s.",
					CORE_INT(RULE_MAX_TEXT), CORE_INT(canon_len));
		rule_free(root);
		return NULL;
	}
	return root;
}
