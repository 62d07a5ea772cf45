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

/*
 * An error's message, detail or hint.  fmt is the English format as the core
 * wrote it: a string literal that core_fail, core_detail and core_hint (and
 * the parser's syntax_error) mark for translation, as errmsg marks PostgreSQL's
 * (nls.mk lists them as gettext triggers), with %s conversions only.  The
 * glue hands fmt and args to errmsg, errdetail and errhint, which translate
 * the format in the extension's text domain when they raise the error; so the
 * arguments are strings, numbers formatted by the core (CORE_INT).  args are
 * copies in one allocation of the exact size, and text is the English text in
 * full (for the unit tests and fuzzers): nothing is cut.
 */
#define CORE_MAX_ARGS 4

typedef struct CoreText
{
	const char *fmt;			/* NULL if the error has no such text */
	const char *args[CORE_MAX_ARGS];	/* fmt's arguments, in block */
	const char *text;			/* fmt formatted in English, in block */
	char	   *block;			/* the one allocation, or NULL */
} CoreText;

typedef struct CoreError
{
	CoreErrorCode code;
	int			position;		/* 0-based byte offset into the input, or -1 */
	CoreText	message;
	CoreText	detail;
	CoreText	hint;
} CoreError;

#if defined(__GNUC__) || defined(__clang__)
#define CORE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CORE_PRINTF(f, a)
#endif

/*
 * Marks a string for translation where it is not the format argument of one
 * of the functions below (a choice between two formats), as gettext_noop
 * does in PostgreSQL; it changes nothing at run time.
 */
#define core_N_(x) (x)

/* Room for a formatted long long or %g double, with its sign and NUL. */
#define CORE_NUM_LEN 32

/* n as decimal text, in a buffer that lives until the end of the statement */
#define CORE_INT(n) core_int_text((long long) (n), (char[CORE_NUM_LEN]) {0})
/* x as %g text */
#define CORE_G(x) core_g_text((double) (x), (char[CORE_NUM_LEN]) {0})
/*
 * The 1-based character position of byte offset off of text, as decimal
 * text: the position PostgreSQL reports for an error in a query.
 */
#define CORE_CHARPOS(text, len, off) \
	core_char_position_text((text), (len), (off), (char[CORE_NUM_LEN]) {0})

extern const char *core_int_text(long long n, char *buf);
extern const char *core_g_text(double x, char *buf);
extern const char *core_char_position_text(const char *text, size_t len, size_t off, char *buf);
extern long core_char_position(const char *text, size_t len, size_t off);

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
 * The format has at most CORE_MAX_ARGS conversions, each %s (a format with any
 * other conversion is replaced by a generic message, so that the glue never
 * passes errmsg an argument of the wrong type).  core_fail starts a new error
 * (*err need not be initialised and must hold no allocation: free a reused
 * one with core_error_free); core_detail and core_hint set or replace the
 * detail and hint of the error core_fail started.
 */
extern bool core_fail(CoreError *err, CoreErrorCode code, int position,
					  const char *fmt,...) CORE_PRINTF(4, 5);
extern void core_detail(CoreError *err, const char *fmt,...) CORE_PRINTF(2, 3);
extern void core_hint(CoreError *err, const char *fmt,...) CORE_PRINTF(2, 3);

/* A text of an error in English, "" if the error has none (tests, fuzzers). */
#define CORE_TEXT(t) ((t).text ? (t).text : "")

/* Free what an error holds (the glue need not: the error is raised in a
 * memory context that is reset); err may be reused afterwards. */
extern void core_error_free(CoreError *err);

#endif							/* SEGMENTATION_CORE_H */
