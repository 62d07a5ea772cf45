/*-------------------------------------------------------------------------
 *
 * parse.h
 *	  The state of the segment rule parser and the helpers its two files
 *	  share (internal to src/rule).
 *
 * parse.c reads the boolean structure and the predicates of a rule;
 * parse_events.c reads the aggregates of behavioural conditions and their
 * windows, and calls back into parse.c for the filter after "where".  Both
 * read tokens through the same one-token lookahead.
 *
 * Pure core: no server headers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_RULE_PARSE_H
#define SEGMENTATION_RULE_PARSE_H

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

static inline bool
advance(RuleParser *p)
{
	core_free(p->tok.value);
	p->tok.value = NULL;
	return rule_lex_next(&p->lex, &p->tok, p->err);
}

/* Take the lookahead's value; the caller owns it. */
static inline char *
take_value(RuleParser *p)
{
	char	   *v = p->tok.value;

	p->tok.value = NULL;
	return v;
}

static inline bool
is_keyword(const RuleParser *p, const char *word)
{
	return p->tok.kind == TOK_IDENT && strcmp(p->tok.value, word) == 0;
}

/* A syntax error at the lookahead: what was found and what was expected. */
static inline bool
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

static inline bool
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

/* parse.c: or_expr, the filter of an aggregate */
extern RuleNode *rule_parse_or(RuleParser *p);

/* parse_events.c */
extern bool rule_parse_count(RuleParser *p, const char *what, char **canon);
extern bool rule_parse_unit(RuleParser *p, int *unit);
extern bool rule_at_function(const RuleParser *p);
extern bool rule_parse_aggregate(RuleParser *p, RuleNode *n);
extern const char *rule_agg_example(RuleAggKind kind);

#endif							/* SEGMENTATION_RULE_PARSE_H */
