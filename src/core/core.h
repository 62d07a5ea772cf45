/*-------------------------------------------------------------------------
 *
 * core.h
 *	  What every pure core shares: allocation, error values, interrupts.
 *
 * The pure cores (rule parser, ranking, lifecycle rules, BTYD mathematics)
 * include only the C standard library and this header, so that they can be
 * unit-tested and fuzzed outside the server.  They allocate through
 * core_alloc(), which is palloc in the server (core_pg.c) and malloc in the
 * tests (test/unit/core_malloc.c), and they report failure as a CoreError
 * value that the glue turns into an ereport with the right SQLSTATE.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CORE_H
#define SEGMENTATION_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kinds of failure a core can report; core_pg.c maps each to a SQLSTATE. */
typedef enum CoreErrorCode
{
	CORE_OK = 0,
	CORE_ERR_INVALID_PARAMETER, /* 22023 invalid_parameter_value */
	CORE_ERR_SYNTAX,			/* 42601 syntax_error */
	CORE_ERR_INVALID_TEXT,		/* 22P02 invalid_text_representation */
	CORE_ERR_INVALID_BINARY,	/* 22P03 invalid_binary_representation */
	CORE_ERR_UNDEFINED_COLUMN,	/* 42703 undefined_column */
	CORE_ERR_DATATYPE_MISMATCH, /* 42804 datatype_mismatch */
	CORE_ERR_TOO_DEEP,			/* 54001 statement_too_complex */
	CORE_ERR_PROGRAM_LIMIT,		/* 54000 program_limit_exceeded */
	CORE_ERR_OUT_OF_RANGE,		/* 22003 numeric_value_out_of_range */
	CORE_ERR_NOT_CONVERGED,		/* 2F000-like: reported as 22023 with detail */
	CORE_ERR_INTERNAL			/* XX000: a bug, never user input */
} CoreErrorCode;

#define CORE_MSG_LEN 256

typedef struct CoreError
{
	CoreErrorCode code;
	int			position;		/* 0-based byte offset into the input, or -1 */
	char		message[CORE_MSG_LEN];
	char		detail[CORE_MSG_LEN];
	char		hint[CORE_MSG_LEN];
} CoreError;

#if defined(__GNUC__) || defined(__clang__)
#define CORE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CORE_PRINTF(f, a)
#endif

/* Allocation: palloc in the server (errors out on OOM), malloc in tests. */
extern void *core_alloc(size_t size);
extern void *core_alloc0(size_t size);
extern void *core_realloc(void *ptr, size_t size);
extern void core_free(void *ptr);

/* CHECK_FOR_INTERRUPTS in the server, nothing in tests; call in long loops. */
extern void core_check_interrupts(void);

/* check_stack_depth in the server, nothing in tests; call in recursion. */
extern void core_check_stack(void);

/*
 * Bytes of the character that starts at s (at least 1): pg_mblen of the
 * server encoding in the server, UTF-8 in tests.  For cutting text at a
 * character boundary.
 */
extern int	core_char_length(const char *s);

/*
 * Fill *err and return false, so that a core can write
 *		return core_fail(err, CORE_ERR_SYNTAX, pos, "unexpected \"%s\"", tok);
 */
extern bool core_fail(CoreError *err, CoreErrorCode code, int position,
					  const char *fmt,...) CORE_PRINTF(4, 5);
extern void core_detail(CoreError *err, const char *fmt,...) CORE_PRINTF(2, 3);
extern void core_hint(CoreError *err, const char *fmt,...) CORE_PRINTF(2, 3);

#endif							/* SEGMENTATION_CORE_H */
