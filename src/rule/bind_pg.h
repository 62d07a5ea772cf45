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

#include "access/tupdesc.h"
#include "nodes/params.h"
#include "nodes/parsenodes.h"
#include "nodes/primnodes.h"
#include "parser/parse_node.h"

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

	/*
	 * Behavioural conditions.  NULL: each becomes SubLinks over its source
	 * that the planner can hash (the planner's form).  Otherwise the
	 * evaluator's form: each becomes a Param ($2, $3, ... across every rule
	 * bound with the same list) standing for the aggregate's value, and a
	 * RuleBehaviour appended here says how to compute it for a row.
	 */
	List	  **behaviours;
} RuleBindTarget;

/*
 * The evaluator's form of one behavioural condition: the Param paramid of
 * the bound expression stands for the value of the condition's aggregate
 * over the events of the customer whose key is key (an expression over the
 * row).  rule_behaviour_queries turns the conditions of a call site into one
 * query per source and key, which reads the customer's events once for all
 * the conditions on that source.
 */
struct RuleSource;
typedef struct RuleBehaviour
{
	int			paramid;
	Oid			valtype;		/* the aggregate's type */
	Node	   *key;			/* the customer key over the row */
	struct RuleSource *source;
	const RuleAggregate *agg;
	Node	   *filter;			/* bound over the source's row, or NULL */
} RuleBehaviour;

/*
 * SELECT agg1 FILTER (WHERE window1 AND filter1), agg2 ... FROM source WHERE
 * $2 = key AND time <= $1: column i is the value of Param paramids[i] for
 * the customer whose key ($2) is key over the row, $1 being as_of.
 * Rewritten, not planned.
 */
typedef struct RuleEventQuery
{
	Node	   *key;
	Oid			keytype;
	Query	   *query;
	int			ncols;
	int		   *paramids;
} RuleEventQuery;

/* behaviour_pg.c: the queries of a call site's behaviours (a list of
 * RuleEventQuery) */
extern List *rule_behaviour_queries(const RuleBindTarget *target, List *behaviours);

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

/* events_pg.c: the parameters of rules bound with behaviours over target
 * ($1 as_of in params[0], set by the caller), and the next row of econtext */
struct ExprContext;
extern ParamListInfo rule_events_params(const RuleBindTarget *target, List *behaviours,
										struct ExprContext *econtext);
extern void rule_events_next_row(ParamListInfo params);

/* Does the rule have a behavioural condition? */
extern bool rule_has_behaviour(const RuleNode *tree);

/* segmentation.inline_rules and segmentation.estimate_sample_rows
 * (segmentation.c) */
extern bool segmentation_inline_rules;
extern int	segmentation_estimate_sample_rows;

/*
 * values_pg.c: the calls over a whole row the planner support knows, by
 * function name, and their values form (a call over the row's columns).
 */
typedef enum RuleCallKind
{
	RULE_CALL_OTHER,
	RULE_CALL_MATCH,			/* segment_match(rule, row [, as_of]) */
	RULE_CALL_MATCH_OP,			/* segment_rule_match_row(row, rule): @@ */
	RULE_CALL_CLASSIFY,			/* segment_classify(names, rules, row [, as_of]) */
	RULE_CALL_MEMBERSHIPS,		/* segment_memberships(...), the same */
	RULE_CALL_MATCH_VALUES		/* segment_match_values(rule, as_of, NULL::t,
								 * columns...) */
} RuleCallKind;

extern RuleCallKind rule_call_kind(Oid funcid);

/* The values form of a call over a table's whole row or a RowExpr of a
 * named row type, or NULL where there is none. */
struct PlannerInfo;
extern Node *rule_values_call(struct PlannerInfo *root, FuncExpr *fcall);

/* For a segment_match_values call with a constant rule: the target its
 * columns make (target initialised by rule_bind_target_init); false if the
 * call is not of that shape. */
extern bool rule_values_target(List *args, RuleBindTarget *target, Const **rule);

/* The index in tupdesc of the live attribute called name, or -1. */
extern int	rule_find_attribute(TupleDesc tupdesc, const char *name);

/* A within predicate's span as interval text: "30 days" (palloc'd). */
extern char *rule_within_text(const RuleNode *n);

/* a predicate's path or aggregate, for messages (palloc'd) */
extern char *rule_subject_string(const RuleNode *n);

/* "a.b.c" (palloc'd) */
extern char *rule_path_string(const RulePath *path);

/* ---------------------------------------------------------------------------
 * Internal to the binder (bind_pg.c and behaviour_pg.c)
 * ---------------------------------------------------------------------------
 */

typedef struct BindState
{
	const RuleBindTarget *target;
	ParseState *pstate;
	char	   *schema;			/* the extension's schema name */
	Node	   *column;			/* the attribute of the predicate being bound */
	/* while a behavioural condition is bound (behaviour_pg.c): */
	Node	   *key;			/* the customer key over the row */
	Oid			key_type;
	Node	   *key_param;		/* the evaluator's query: $2, the key */
	List	   *filters;		/* event filters, bound; as_of a placeholder */
} BindState;

/* The names raw trees give what the hooks answer with bound expressions
 * (not names a rule can reach: each has a space). */
#define ATTRIBUTE_REF "segment rule attribute"
#define KEY_REF "segment rule key"
#define FILTER_REF "segment rule filter"	/* then a space and an index
											 * into filters */

extern Node *raw_named_ref(const char *name);
extern Node *raw_as_of(void);
extern Node *raw_string(const char *s);
extern Node *raw_literal(const RuleLiteral *lit);
extern Node *raw_op(const char *op, Node *l, Node *r);
extern Node *raw_own_call(BindState *bs, const char *fname, List *args);
extern Node *raw_not(Node *arg, bool negate);
extern Node *raw_as_of_minus(const char *span, bool once);
extern Node *raw_time_window(Node *col, const char *from, const char *to, bool once);
extern const char *cmp_op_name(RuleCmpOp op);
extern Node *raw_predicate(BindState *bs, const RuleNode *n, Node *col, Oid coltype,
						   int32 coltypmod);
extern Node *transform_narrowed(BindState *bs, const RuleNode *n, Node *raw, Oid coltype);
extern Query *rule_analyze_select(BindState *bs, SelectStmt *select);
extern Node *transform_predicate(BindState *bs, const RuleNode *n, Node *raw, Oid coltype);
extern Node *bind_path(BindState *bs, const RulePath *path, int *consumed);
extern char *nearest_names(TupleDesc tupdesc, const char *name);
extern void datatype_mismatch(const RuleNode *node, Oid coltype, const char *what);

/* behaviour_pg.c */
extern Node *rule_bind_behaviour(BindState *bs, const RuleNode *n);
extern Node *rule_filter_at_level(BindState *bs, int i, int levels);
extern char *rule_span_text(int32 count, int unit);

#endif							/* SEGMENTATION_BIND_PG_H */
