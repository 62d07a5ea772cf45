/*-------------------------------------------------------------------------
 *
 * lex.h
 *	  The tokens of the segment rule language (internal to src/rule).
 *
 * The lexer reads SQL's lexical conventions: unquoted identifiers fold to
 * lower case, "quoted identifiers" keep their case and double an inner
 * quote, 'string literals' double an inner quote (standard_conforming_strings:
 * a backslash is an ordinary character), numbers are SQL numeric constants,
 * and -- starts a comment that runs to the end of the line.  Keywords are
 * unquoted identifiers that the parser recognises by name; the reserved ones
 * can name an attribute only when quoted, and the printer quotes them.  The
 * words of behavioural conditions (count ... exists, distinct, where, ago,
 * matches, starts, ends, with) are not reserved: the parser reads them as
 * keywords only where the grammar expects one (parse.c).
 *
 * Pure core: no server headers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_RULE_LEX_H
#define SEGMENTATION_RULE_LEX_H

#include "ast.h"

typedef enum RuleTokKind
{
	TOK_EOF = 0,
	TOK_IDENT,					/* unquoted identifier or keyword; value folded */
	TOK_QIDENT,					/* "quoted identifier"; value unescaped */
	TOK_STRING,					/* 'string'; value unescaped */
	TOK_NUMBER,					/* value as written, exponent marker 'e' */
	TOK_OP,						/* = <> != < <= > >= ~= ; value is the operator */
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_COMMA,
	TOK_DOT,
	TOK_MINUS,
	TOK_PLUS
} RuleTokKind;

typedef struct RuleToken
{
	RuleTokKind kind;
	int			start;			/* byte offset of the token in the text */
	int			len;			/* bytes of the token in the text */
	char	   *value;			/* core_alloc'd, NUL-terminated; or NULL */
	size_t		vlen;			/* bytes of value */
} RuleToken;

typedef struct RuleLexer
{
	const char *text;
	size_t		len;
	size_t		pos;			/* next byte to read */
} RuleLexer;

/* Read the next token; false with err filled on a lexical error. */
extern bool rule_lex_next(RuleLexer *lex, RuleToken *tok, CoreError *err);

/* Is this (lower-case) word reserved, so that it must be quoted as a name? */
extern bool rule_keyword_reserved(const char *word);

/*
 * The token as the user wrote it, whole, for an error message: a
 * core_alloc'd NUL-terminated copy of len bytes from start (clipped to the
 * text), for the caller to core_free.
 */
extern char *rule_token_text(const char *text, size_t textlen, int start, int len);

/* print.c: bytes of the canonical text (both parse and decode limit it) */
extern size_t rule_print_length(const RuleNode *node);

/* parse.c: the checks that the parser and rule_decode share */
extern bool rule_locale_valid(const char *s, size_t len);
extern bool rule_count_valid(const char *s);
extern const char *rule_agg_name(RuleAggKind kind);
extern int	rule_agg_column(RuleAggKind kind);

#endif							/* SEGMENTATION_RULE_LEX_H */
