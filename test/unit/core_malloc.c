/*
 * core_malloc.c
 *	  The test implementation of core.h: malloc, and no interrupts.
 */
#include "../../src/core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *
checked(void *p)
{
	if (p == NULL)
	{
		fprintf(stderr, "out of memory\n");
		abort();
	}
	return p;
}

void *
core_alloc(size_t size)
{
	return checked(malloc(size ? size : 1));
}

void *
core_alloc0(size_t size)
{
	return checked(calloc(1, size ? size : 1));
}

void *
core_realloc(void *ptr, size_t size)
{
	return checked(realloc(ptr, size ? size : 1));
}

void
core_free(void *ptr)
{
	free(ptr);
}

void
core_check_interrupts(void)
{
}

void
core_check_stack(void)
{
}

/* UTF-8, as the server's pg_mblen reads it */
int
core_char_length(const char *s)
{
	unsigned char c = (unsigned char) *s;

	return c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
}
