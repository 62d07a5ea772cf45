/*-------------------------------------------------------------------------
 *
 * ast.h
 *	  The segment rule language: its tree, and the functions that move a
 *	  rule between text, tree and the flattened (stored) form.
 *
 * Three forms of one rule:
 *
 *	 text ──rule_parse──▶ RuleNode tree ──rule_flatten──▶ flat bytes (varlena
 *	 text ◀─rule_print─── RuleNode tree ◀─rule_decode──── payload, stored)
 *
 * The tree is the in-memory model that every consumer reads: the printer,
 * the binder that turns a rule into a PostgreSQL expression (bind_pg.c), the
 * jsonb evaluator and segment_rule_attributes.  The flat form is what a
 * segment_rule value holds on disk and on the wire; rule_decode validates
 * every byte of it (it is also the receive path), so a tree built from any
 * input is well formed.  Attribute names are stored as names, never as
 * attribute numbers, so a stored rule survives ALTER TABLE.
 *
 * Pure core: no server headers.  Trees are allocated with core_alloc and
 * freed with their memory context (or leaked in short-lived test processes).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_RULE_AST_H
#define SEGMENTATION_RULE_AST_H

#include "core.h"

/* Limits, documented in README; exceeding one is CORE_ERR_TOO_DEEP or
 * CORE_ERR_PROGRAM_LIMIT with a message that names the limit. */
#define RULE_MAX_DEPTH		100		/* nesting of and/or/not/parentheses */
#define RULE_MAX_TEXT		65536	/* bytes of rule text */
#define RULE_MAX_LIST		1000	/* literals in one in (...) / contains any (...) */
#define RULE_MAX_PATH		8		/* parts of a dotted attribute path */
#define RULE_MAX_NAME		63		/* bytes of one path part (NAMEDATALEN - 1) */

typedef enum RuleNodeKind
{
	RULE_AND = 1,				/* args[0..nargs-1], nargs >= 2 */
	RULE_OR,					/* args[0..nargs-1], nargs >= 2 */
	RULE_NOT,					/* args[0] */
	RULE_CMP,					/* path cmp lits[0] */
	RULE_IN,					/* path [not] in (lits[0..nlits-1]) */
	RULE_BETWEEN,				/* path [not] between lits[0] and lits[1] */
	RULE_IS_NULL,				/* path is [not] null */
	RULE_LIKE,					/* path [not] like lits[0] */
	RULE_ILIKE,					/* path [not] ilike lits[0] (ICU case folding) */
	RULE_ICU_EQ,				/* path ~= lits[0] (ICU primary strength) */
	RULE_CONTAINS,				/* path contains lits[0] */
	RULE_CONTAINS_ANY,			/* path contains any (lits[...]) */
	RULE_CONTAINS_ALL,			/* path contains all (lits[...]) */
	RULE_WITHIN,				/* path within lits[0] (a NUMBER) unit */
	RULE_BOOL_ATTR,				/* a bare boolean attribute: path */
	RULE_EXISTS,				/* exists(events): agg only, kind EXISTS */
	RULE_MATCHES,				/* path [not] matches lits[0] (POSIX regex) */
	RULE_STARTS_WITH,			/* path starts with lits[0] */
	RULE_ENDS_WITH				/* path ends with lits[0] */
} RuleNodeKind;

/*
 * Behavioural conditions.  The subject of a predicate is either a path (an
 * attribute of the row) or an aggregate over the events of a source: every
 * predicate but a bare boolean attribute takes either subject, so
 * count(orders within 30 days) >= 3 is RULE_CMP with agg set and no path,
 * and first(orders.ordered_at) within 30 days is RULE_WITHIN likewise.
 * exists(src ...) is RULE_EXISTS, whose agg has kind RULE_AGG_EXISTS.
 */
typedef enum RuleAggKind
{
	RULE_AGG_COUNT = 1,			/* count(src ...): events; count(src.col): non-null values */
	RULE_AGG_COUNT_DISTINCT,	/* count(distinct src.col ...) */
	RULE_AGG_SUM,				/* sum(src.col ...), 0 over no events */
	RULE_AGG_AVG,				/* avg(src.col ...) */
	RULE_AGG_MIN,				/* min(src.col ...) */
	RULE_AGG_MAX,				/* max(src.col ...) */
	RULE_AGG_FIRST,				/* first(src.col ...): col of the earliest event */
	RULE_AGG_LAST,				/* last(src.col ...): col of the latest event */
	RULE_AGG_EXISTS				/* exists(src ...): only under RULE_EXISTS */
} RuleAggKind;

typedef enum RuleWindowKind
{
	RULE_WINDOW_NONE = 0,		/* every event up to as_of */
	RULE_WINDOW_WITHIN,			/* within from unit: [as_of - from, as_of] */
	RULE_WINDOW_AGO				/* between from and to unit ago:
								 * [as_of - from, as_of - to], from >= to */
} RuleWindowKind;

typedef struct RuleAggregate
{
	RuleAggKind kind;
	char	   *source;			/* the source's name (1..63 bytes) */
	char	   *column;			/* the event column, or NULL (count, exists) */
	struct RuleNode *filter;	/* where ...: a rule over the event's columns
								 * with no behavioural condition; or NULL */
	RuleWindowKind window;
	int			unit;			/* a RuleWithinUnit unless RULE_WINDOW_NONE */
	int32_t		from;			/* 0 .. INT32_MAX; see RuleWindowKind */
	int32_t		to;				/* RULE_WINDOW_AGO only, else 0 */
	int			location;		/* byte offset of the aggregate's name, -1 if
								 * decoded */
} RuleAggregate;

typedef enum RuleCmpOp
{
	RULE_OP_EQ = 1,				/* =  */
	RULE_OP_NE,					/* <> (the parser also reads !=) */
	RULE_OP_LT,					/* <  */
	RULE_OP_LE,					/* <= */
	RULE_OP_GT,					/* >  */
	RULE_OP_GE					/* >= */
} RuleCmpOp;

typedef enum RuleWithinUnit
{
	RULE_UNIT_DAYS = 1,
	RULE_UNIT_WEEKS,
	RULE_UNIT_MONTHS
} RuleWithinUnit;

/*
 * A literal keeps the text the user wrote, so that the binder can read it as
 * a value of the attribute's type exactly as SQL reads an untyped literal.
 * The kind matters only where the target has no SQL type (jsonb documents):
 * 'x' is a string, 12.5 a number, true/false a boolean.
 */
typedef enum RuleLitKind
{
	RULE_LIT_STRING = 1,		/* 'text' (SQL quoting, '' for a quote) */
	RULE_LIT_NUMBER,			/* -12, 3.5, 1e3 (text as written, canonical) */
	RULE_LIT_BOOL,				/* true / false: text is "true" or "false" */
	RULE_LIT_NULL				/* null: text is NULL */
} RuleLitKind;

typedef struct RuleLiteral
{
	RuleLitKind kind;
	char	   *text;			/* NUL-terminated, no embedded NUL */
	int			location;		/* byte offset in the text, -1 if decoded */
} RuleLiteral;

/* An attribute: a column name, or a dotted path into a composite or jsonb. */
typedef struct RulePath
{
	int			nparts;			/* 1..RULE_MAX_PATH */
	char	  **parts;			/* each NUL-terminated, case as resolved */
} RulePath;

typedef struct RuleNode
{
	RuleNodeKind kind;
	bool		negated;		/* not in / not between / is not null /
								 * not like / not ilike / not matches */
	RuleCmpOp	op;				/* RULE_CMP only */
	RuleWithinUnit unit;		/* RULE_WITHIN only */
	RulePath	path;			/* every kind but AND/OR/NOT; nparts = 0 when
								 * agg is set */
	RuleAggregate *agg;			/* a behavioural subject, or NULL */
	int			nargs;			/* AND/OR/NOT children */
	struct RuleNode **args;
	int			nlits;			/* predicate literals */
	RuleLiteral *lits;
	char	   *locale;			/* ~= and ilike: ICU locale, NULL = root */
	int			location;		/* byte offset in the text, -1 if decoded */
} RuleNode;

/* parse.c: text -> tree; on error returns NULL with err filled (position set) */
extern RuleNode *rule_parse(const char *text, size_t len, CoreError *err);

/* print.c: tree -> canonical text (core_alloc'd, NUL-terminated) */
extern char *rule_print(const RuleNode *node);

/* binary.c: tree -> flat bytes (core_alloc'd, *len set); never fails for a
 * tree that came from rule_parse or rule_decode */
extern void *rule_flatten(const RuleNode *node, size_t *len);

/* binary.c: flat bytes -> tree, validating every tag, offset and length;
 * on malformed input returns NULL with err filled (CORE_ERR_INVALID_BINARY) */
extern RuleNode *rule_decode(const void *data, size_t len, CoreError *err);

/* parse.c: free a tree and everything it owns (the server frees trees with
 * their memory context; tests and fuzzers call this) */
extern void rule_free(RuleNode *node);

/* attributes.c (or print.c): the distinct attribute paths a rule uses, in
 * order of first appearance, dotted ("properties.plan") */
extern char **rule_attributes(const RuleNode *node, int *count);

#endif							/* SEGMENTATION_RULE_AST_H */
