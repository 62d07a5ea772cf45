/*-------------------------------------------------------------------------
 *
 * bind_pg.h
 *	  The binder: a segment rule and a row type in, a PostgreSQL boolean
 *	  expression over that row's columns out.  The evaluator (segment_match
 *	  over a row) and the planner support compile the same expression, so
 *	  they can never disagree about what a rule means.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_BIND_PG_H
#define SEGMENTATION_BIND_PG_H

#include "postgres.h"

#include "access/tupdesc.h"
#include "nodes/primnodes.h"

#include "ast.h"

typedef struct RuleBindTarget
{
	TupleDesc	tupdesc;		/* the row type's columns */
	Oid			rowtype;		/* its type, for messages (RECORDOID too) */
	Index		varno;			/* the columns become Vars with this varno */
	List	   *columns;		/* or, if not NIL, these expressions (one per
								 * attribute, in order: a RowExpr's args) */
	Node	   *as_of;			/* a timestamptz expression for within */
	Oid			namespace;		/* the extension's schema */
	Oid			rule_type;		/* segment_rule */
} RuleBindTarget;

/* The extension's schema and the segment_rule type, from any of its
 * functions' OIDs (fcinfo->flinfo->fn_oid). */
extern void rule_bind_target_init(RuleBindTarget *target, Oid any_fn_oid);

/*
 * Bind a rule tree: a boolean expression, not yet planned (run
 * expression_planner before ExecInitExpr).  Errors name the attribute:
 * 42703 for an unknown one (with the nearest names), 42804 for a comparison
 * or construct its type does not have, 22P02 for a literal its type cannot
 * read.
 */
extern Node *rule_bind(const RuleBindTarget *target, const RuleNode *tree);

/* segmentation.inline_rules (segmentation.c) */
extern bool segmentation_inline_rules;

/* The index in tupdesc of the live attribute called name, or -1. */
extern int	rule_find_attribute(TupleDesc tupdesc, const char *name);

/* A within predicate's span as interval text: "30 days" (palloc'd). */
extern char *rule_within_text(const RuleNode *n);

/* "a.b.c" (palloc'd) */
extern char *rule_path_string(const RulePath *path);

#endif							/* SEGMENTATION_BIND_PG_H */
