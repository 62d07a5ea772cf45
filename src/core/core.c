/*-------------------------------------------------------------------------
 *
 * core.c
 *	  Error values for the pure cores (server-independent).
 *
 * An error text keeps its untranslated format and copies of its string
 * arguments, so that the glue can pass both to errmsg (which translates the
 * format) and nothing is cut: the copies and the English text are sized to
 * what they hold, in one allocation per text.
 *
 *-------------------------------------------------------------------------
 */
#include "core.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Used in place of a format that breaks the %s-only rule (a bug). */
static const char bad_format[] = "internal error: invalid error message format";

/* The number of conversions in fmt, or -1 unless each is %s (%% aside). */
static int
count_args(const char *fmt)
{
	int			n = 0;

	for (const char *c = fmt; *c; c++)
	{
		if (*c != '%')
			continue;
		c++;
		if (*c == '%')
			continue;
		if (*c != 's' || ++n > CORE_MAX_ARGS)
			return -1;
	}
	return n;
}

static void
text_free(CoreText *t)
{
	core_free(t->block);
	memset(t, 0, sizeof(*t));
}

static void
text_set(CoreText *t, const char *fmt, va_list ap)
{
	int			nargs = count_args(fmt);
	const char *args[CORE_MAX_ARGS] = {NULL};
	size_t		lens[CORE_MAX_ARGS] = {0};
	size_t		size = 0,
				textlen = 0;
	char	   *at;

	if (nargs < 0)
	{
		fmt = bad_format;
		nargs = 0;
	}
	for (int i = 0; i < nargs; i++)
	{
		args[i] = va_arg(ap, const char *);
		if (args[i] == NULL)
			args[i] = "";
		lens[i] = strlen(args[i]);
		size += lens[i] + 1;
	}
	/* the English text: the format's length plus the arguments' bounds it */
	textlen = strlen(fmt) + size;
	t->fmt = fmt;
	t->block = core_alloc(size + textlen + 1);
	at = t->block;
	for (int i = 0; i < CORE_MAX_ARGS; i++)
	{
		if (i >= nargs)
		{
			t->args[i] = NULL;
			continue;
		}
		memcpy(at, args[i], lens[i] + 1);
		t->args[i] = at;
		at += lens[i] + 1;
	}
	/* formats have %s conversions only, so this is the whole text */
	snprintf(at, textlen + 1, fmt, t->args[0], t->args[1], t->args[2], t->args[3]);
	t->text = at;
}

bool
core_fail(CoreError *err, CoreErrorCode code, int position, const char *fmt,...)
{
	va_list		ap;

	memset(err, 0, sizeof(*err));
	err->code = code;
	err->position = position;
	va_start(ap, fmt);
	text_set(&err->message, fmt, ap);
	va_end(ap);
	return false;
}

void
core_detail(CoreError *err, const char *fmt,...)
{
	va_list		ap;

	text_free(&err->detail);
	va_start(ap, fmt);
	text_set(&err->detail, fmt, ap);
	va_end(ap);
}

void
core_hint(CoreError *err, const char *fmt,...)
{
	va_list		ap;

	text_free(&err->hint);
	va_start(ap, fmt);
	text_set(&err->hint, fmt, ap);
	va_end(ap);
}

void
core_error_free(CoreError *err)
{
	text_free(&err->message);
	text_free(&err->detail);
	text_free(&err->hint);
}

const char *
core_int_text(long long n, char *buf)
{
	snprintf(buf, CORE_NUM_LEN, "%lld", n);
	return buf;
}

const char *
core_g_text(double x, char *buf)
{
	snprintf(buf, CORE_NUM_LEN, "%g", x);
	return buf;
}

long
core_char_position(const char *text, size_t len, size_t off)
{
	long		chars = 0;
	size_t		i = 0;

	if (off > len)
		off = len;
	while (i < off)
	{
		int			c = core_char_length(text + i);

		i += c > 0 ? (size_t) c : 1;
		chars++;
	}
	return chars + 1;
}

const char *
core_char_position_text(const char *text, size_t len, size_t off, char *buf)
{
	return core_int_text(core_char_position(text, len, off), buf);
}
