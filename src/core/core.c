/*-------------------------------------------------------------------------
 *
 * core.c
 *	  Error values for the pure cores (server-independent).
 *
 *-------------------------------------------------------------------------
 */
#include "core.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool
core_fail(CoreError *err, CoreErrorCode code, int position, const char *fmt,...)
{
	va_list		ap;

	memset(err, 0, sizeof(*err));
	err->code = code;
	err->position = position;
	va_start(ap, fmt);
	vsnprintf(err->message, CORE_MSG_LEN, fmt, ap);
	va_end(ap);
	return false;
}

void
core_detail(CoreError *err, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(err->detail, CORE_MSG_LEN, fmt, ap);
	va_end(ap);
}

void
core_hint(CoreError *err, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(err->hint, CORE_MSG_LEN, fmt, ap);
	va_end(ap);
}
