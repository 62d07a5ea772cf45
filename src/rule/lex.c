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

const char *
rule_token_excerpt(const char *text, size_t textlen, int start, int len,
				   char *buf, size_t bufsize)
{
	size_t		n = (size_t) len;
	const size_t max = 40;

	if (start < 0 || (size_t) start > textlen)
		start = (int) textlen;
	if ((size_t) start + n > textlen)
		n = textlen - (size_t) start;
	if (n > max)
	{
		/* whole characters only, as many as fit in max bytes */
		size_t		cut = 0;

		while (cut < n)
		{
			size_t		c = (size_t) core_char_length(text + start + cut);

			if (cut + c > max || cut + c + 4 > bufsize)
				break;
			cut += c;
		}
		n = cut;
		memcpy(buf, text + start, n);
		memcpy(buf + n, "...", 4);
		return buf;
	}
	if (n + 1 > bufsize)
		n = bufsize - 1;
	memcpy(buf, text + start, n);
	buf[n] = '\0';
	return buf;
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
			core_fail(err, CORE_ERR_SYNTAX, (int) lex->pos,
					  quote == '\'' ? "unterminated quoted string in segment rule"
					  : "unterminated quoted identifier in segment rule");
			core_detail(err, "The %s opening at offset %d has no closing %s.",
						quote == '\'' ? "string" : "identifier", (int) lex->pos,
						quote == '\'' ? "quote" : "double quote");
			return false;
		}
		if (lex->text[i] == '\0')
		{
			core_fail(err, CORE_ERR_SYNTAX, (int) i,
					  "invalid byte 0x00 in segment rule");
			core_detail(err, "A rule may not contain a zero byte (offset %d).", (int) i);
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
	char		buf[64];

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

		while (junk < lex->len && (is_ident_cont(t[junk]) || t[junk] == '.'))
			junk++;
		core_fail(err, CORE_ERR_SYNTAX, (int) lex->pos,
				  "trailing junk after numeric literal at or near \"%s\" in segment rule",
				  rule_token_excerpt(t, lex->len, (int) lex->pos,
									 (int) (junk - lex->pos), buf, sizeof(buf)));
		core_detail(err, "A number must be followed by a space, an operator or a parenthesis (offset %d).",
					(int) end);
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
		char		buf[64];

		core_fail(err, CORE_ERR_PROGRAM_LIMIT, tok->start,
				  "name \"%s\" is too long in segment rule",
				  rule_token_excerpt(lex->text, lex->len, tok->start, tok->len,
									 buf, sizeof(buf)));
		core_detail(err, "A name may have at most %d bytes; this one has %d (offset %d).",
					RULE_MAX_NAME, (int) tok->vlen, tok->start);
		return false;
	}
	if (tok->vlen == 0)
	{
		core_fail(err, CORE_ERR_SYNTAX, tok->start,
				  "zero-length quoted identifier in segment rule");
		core_detail(err, "A quoted name must have at least one character (offset %d).",
					tok->start);
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
				core_fail(err, CORE_ERR_SYNTAX, (int) lex->pos,
						  "invalid byte 0x%02x in segment rule", c);
				core_detail(err, "Control characters may appear only inside quoted strings (offset %d).",
							(int) lex->pos);
			}
			else
			{
				core_fail(err, CORE_ERR_SYNTAX, (int) lex->pos,
						  "unexpected character \"%c\" in segment rule", c);
				core_detail(err, "No token of the rule language starts with \"%c\" (offset %d).",
							c, (int) lex->pos);
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
