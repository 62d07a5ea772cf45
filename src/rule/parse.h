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

/* The 1-based character position of byte offset off of the rule, as text. */
#define AT(p, off) CORE_CHARPOS((p)->lex.text, (p)->lex.len, (size_t) (off))

/*
 * A syntax error at the lookahead: the message quotes what was found, whole;
 * detail is the format of the detail, which says what was expected and has
 * one %s, the lookahead's character position.
 */
static inline bool
syntax_error(RuleParser *p, const char *detail)
{
	if (p->tok.kind == TOK_EOF)
		core_fail(p->err, CORE_ERR_SYNTAX, p->tok.start,
				  "syntax error at end of segment rule");
	else
	{
		char	   *near = rule_token_text(p->lex.text, p->lex.len, p->tok.start, p->tok.len);

		core_fail(p->err, CORE_ERR_SYNTAX, p->tok.start,
				  "syntax error at or near \"%s\" in segment rule", near);
		core_free(near);
	}
	core_detail(p->err, detail, AT(p, p->tok.start));
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
		core_detail(p->err, "A rule may nest and, or, not and parentheses at most %s deep; the limit was passed at character %s.",
					CORE_INT(RULE_MAX_DEPTH), AT(p, p->tok.start));
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
