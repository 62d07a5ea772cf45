/*-------------------------------------------------------------------------
 *
 * lex.c
 *	  The lexer of the segment rule language (pure core, see lex.h).
 *
 * One idea: a rule is read with SQL's own lexical conventions, so that an
 * analyst who can write a WHERE clause can write a rule, and every token a
 * rule may hold can be printed back in a form that reads the same.
 *
 *-------------------------------------------------------------------------
 */
#include "lex.h"

#include <stdio.h>
#include <string.h>

static const char *const reserved[] = {
	"and", "between", "collate", "contains", "false", "ilike", "in", "is",
	"like", "not", "null", "or", "true", "within", NULL
};

bool
rule_keyword_reserved(const char *word)
{
	for (int i = 0; reserved[i]; i++)
		if (strcmp(word, reserved[i]) == 0)
			return true;
	return false;
}

static inline bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
is_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static inline bool
is_ident_cont(unsigned char c)
{
	return is_ident_start(c) || is_digit(c) || c == '$';
}

char *
rule_token_text(const char *text, size_t textlen, int start, int len)
{
	size_t		n = (size_t) len;
	char	   *v;

	if (start < 0 || (size_t) start > textlen)
		start = (int) textlen;
	if (len < 0 || (size_t) start + n > textlen)
		n = textlen - (size_t) start;
	v = core_alloc(n + 1);
	memcpy(v, text + start, n);
	v[n] = '\0';
	return v;
}

/* Copy bytes [from, to) of the text, dropping one of each doubled quote. */
static char *
unquote(const char *text, size_t from, size_t to, char quote, size_t *vlen)
{
	char	   *v = core_alloc(to - from + 1);
	size_t		n = 0;

	for (size_t i = from; i < to; i++)
	{
		v[n++] = text[i];
		if (text[i] == quote)
			i++;				/* the second of a doubled quote */
	}
	v[n] = '\0';
	*vlen = n;
	return v;
}

/* Scan a quoted token opening at lex->pos; returns the closing offset. */
static bool
scan_quoted(RuleLexer *lex, char quote, size_t *close, CoreError *err)
{
	size_t		i = lex->pos + 1;

	for (;;)
	{
		if (i >= lex->len)
		{
			const char *at = CORE_CHARPOS(lex->text, lex->len, lex->pos);

			if (quote == '\'')
			{
				core_fail(err, CORE_ERR_SYNTAX, (int) lex->pos,
						  "unterminated quoted string in segment rule");
				core_detail(err, "The string opening at character %s has no closing quote.", at);
			}
			else
			{
				core_fail(err, CORE_ERR_SYNTAX, (int) lex->pos,
						  "unterminated quoted identifier in segment rule");
				core_detail(err, "The identifier opening at character %s has no closing double quote.",
							at);
			}
			return false;
		}
		if (lex->text[i] == '\0')
		{
			core_fail(err, CORE_ERR_SYNTAX, (int) i,
					  "invalid byte 0x00 in segment rule");
			core_detail(err, "A rule may not contain a zero byte (character %s).",
						CORE_CHARPOS(lex->text, lex->len, i));
			return false;
		}
		if (lex->text[i] == quote)
		{
			if (i + 1 < lex->len && lex->text[i + 1] == quote)
			{
				i += 2;
				continue;
			}
			*close = i;
			return true;
		}
		i++;
	}
}

static bool
scan_number(RuleLexer *lex, RuleToken *tok, CoreError *err)
{
	const char *t = lex->text;
	size_t		i = lex->pos;
	size_t		end;

	while (i < lex->len && is_digit(t[i]))
		i++;
	if (i < lex->len && t[i] == '.')
	{
		i++;
		while (i < lex->len && is_digit(t[i]))
			i++;
	}
	if (i < lex->len && (t[i] == 'e' || t[i] == 'E'))
	{
		size_t		j = i + 1;

		if (j < lex->len && (t[j] == '+' || t[j] == '-'))
			j++;
		if (j < lex->len && is_digit(t[j]))
		{
			while (j < lex->len && is_digit(t[j]))
				j++;
			i = j;
		}
	}
	end = i;
	if (end < lex->len && (is_ident_cont(t[end]) || t[end] == '.'))
	{
		size_t		junk = end;
		char	   *near;

		while (junk < lex->len && (is_ident_cont(t[junk]) || t[junk] == '.'))
			junk++;
		near = rule_token_text(t, lex->len, (int) lex->pos, (int) (junk - lex->pos));

		core_fail(err, CORE_ERR_SYNTAX, (int) lex->pos,
				  "trailing junk after numeric literal at or near \"%s\" in segment rule", near);
		core_detail(err, "A number must be followed by a space, an operator or a parenthesis (character %s).",
					CORE_CHARPOS(t, lex->len, end));
		core_free(near);
		return false;
	}
	tok->kind = TOK_NUMBER;
	tok->value = core_alloc(end - lex->pos + 1);
	for (size_t k = lex->pos; k < end; k++)
		tok->value[k - lex->pos] = (t[k] == 'E') ? 'e' : t[k];
	tok->vlen = end - lex->pos;
	tok->value[tok->vlen] = '\0';
	lex->pos = end;
	return true;
}

static bool
name_length_ok(RuleLexer *lex, RuleToken *tok, CoreError *err)
{
	if (tok->vlen > RULE_MAX_NAME)
	{
		char	   *name = rule_token_text(lex->text, lex->len, tok->start, tok->len);

		core_fail(err, CORE_ERR_PROGRAM_LIMIT, tok->start,
				  "name \"%s\" is too long in segment rule", name);
		core_detail(err, "A name may have at most %s bytes; this one has %s (character %s).",
					CORE_INT(RULE_MAX_NAME), CORE_INT(tok->vlen),
					CORE_CHARPOS(lex->text, lex->len, tok->start));
		core_free(name);
		return false;
	}
	if (tok->vlen == 0)
	{
		core_fail(err, CORE_ERR_SYNTAX, tok->start,
				  "zero-length quoted identifier in segment rule");
		core_detail(err, "A quoted name must have at least one character (character %s).",
					CORE_CHARPOS(lex->text, lex->len, tok->start));
		return false;
	}
	return true;
}

bool
rule_lex_next(RuleLexer *lex, RuleToken *tok, CoreError *err)
{
	const char *t = lex->text;
	unsigned char c;

	/* white space and -- comments */
	for (;;)
	{
		while (lex->pos < lex->len && is_space(t[lex->pos]))
			lex->pos++;
		if (lex->pos + 1 < lex->len && t[lex->pos] == '-' && t[lex->pos + 1] == '-')
		{
			while (lex->pos < lex->len && t[lex->pos] != '\n')
				lex->pos++;
			continue;
		}
		break;
	}

	memset(tok, 0, sizeof(*tok));
	tok->start = (int) lex->pos;
	if (lex->pos >= lex->len)
	{
		tok->kind = TOK_EOF;
		return true;
	}
	c = t[lex->pos];

	if (is_ident_start(c))
	{
		size_t		e = lex->pos;

		while (e < lex->len && is_ident_cont(t[e]))
			e++;
		tok->kind = TOK_IDENT;
		tok->vlen = e - lex->pos;
		tok->value = core_alloc(tok->vlen + 1);
		for (size_t k = 0; k < tok->vlen; k++)
		{
			unsigned char ch = t[lex->pos + k];

			tok->value[k] = (ch >= 'A' && ch <= 'Z') ? ch + ('a' - 'A') : ch;
		}
		tok->value[tok->vlen] = '\0';
		tok->len = (int) tok->vlen;
		lex->pos = e;
		return name_length_ok(lex, tok, err);
	}
	if (c == '"' || c == '\'')
	{
		size_t		close;

		if (!scan_quoted(lex, c, &close, err))
			return false;
		tok->kind = (c == '"') ? TOK_QIDENT : TOK_STRING;
		tok->value = unquote(t, lex->pos + 1, close, c, &tok->vlen);
		tok->len = (int) (close + 1 - lex->pos);
		lex->pos = close + 1;
		return c == '"' ? name_length_ok(lex, tok, err) : true;
	}
	if (is_digit(c) || (c == '.' && lex->pos + 1 < lex->len && is_digit(t[lex->pos + 1])))
	{
		if (!scan_number(lex, tok, err))
			return false;
		tok->len = (int) tok->vlen;
		return true;
	}

	tok->len = 1;
	switch (c)
	{
		case '(':
			tok->kind = TOK_LPAREN;
			break;
		case ')':
			tok->kind = TOK_RPAREN;
			break;
		case ',':
			tok->kind = TOK_COMMA;
			break;
		case '.':
			tok->kind = TOK_DOT;
			break;
		case '-':
			tok->kind = TOK_MINUS;
			break;
		case '+':
			tok->kind = TOK_PLUS;
			break;
		case '=':
			tok->kind = TOK_OP;
			break;
		case '<':
			tok->kind = TOK_OP;
			if (lex->pos + 1 < lex->len && (t[lex->pos + 1] == '>' || t[lex->pos + 1] == '='))
				tok->len = 2;
			break;
		case '>':
			tok->kind = TOK_OP;
			if (lex->pos + 1 < lex->len && t[lex->pos + 1] == '=')
				tok->len = 2;
			break;
		case '!':
		case '~':
			if (lex->pos + 1 < lex->len && t[lex->pos + 1] == '=')
			{
				tok->kind = TOK_OP;
				tok->len = 2;
				break;
			}
			/* FALLTHROUGH */
		default:
			if (c < 0x20 || c == 0x7f)
			{
				char		hex[8];

				snprintf(hex, sizeof(hex), "0x%02x", c);
				core_fail(err, CORE_ERR_SYNTAX, (int) lex->pos,
						  "invalid byte %s in segment rule", hex);
				core_detail(err, "Control characters may appear only inside quoted strings (character %s).",
							CORE_CHARPOS(t, lex->len, lex->pos));
			}
			else
			{
				char	   *ch = rule_token_text(t, lex->len, (int) lex->pos,
												 core_char_length(t + lex->pos));

				core_fail(err, CORE_ERR_SYNTAX, (int) lex->pos,
						  "unexpected character \"%s\" in segment rule", ch);
				core_detail(err, "No token of the rule language starts with \"%s\" (character %s).",
							ch, CORE_CHARPOS(t, lex->len, lex->pos));
				core_free(ch);
			}
			return false;
	}
	tok->value = core_alloc(tok->len + 1);
	memcpy(tok->value, t + lex->pos, tok->len);
	tok->value[tok->len] = '\0';
	tok->vlen = tok->len;
	lex->pos += tok->len;
	return true;
}
