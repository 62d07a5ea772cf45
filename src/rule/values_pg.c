/*-------------------------------------------------------------------------
 *
 * values_pg.c
 *	  The planner's rewrite of a rule call over a table's whole row into the
 *	  same call over the table's columns.
 *
 * segment_match(rule, c), c @@ rule, segment_classify(names, rules, c) and
 * segment_memberships(names, rules, c) take the whole row c.  Where the
 * planner does not inline the rule (a rule read from a column, a parameter
 * of a generic plan, a catalogue, segmentation.inline_rules off), the
 * executor would form every row into a composite value to pass it: every
 * column deformed, the tuple formed again and its toasted values fetched,
 * only for the function to deform it once more.  The planner support
 * function instead rewrites the call into its values form,
 *
 *	   segment_match_values(rule, as_of, NULL::customers, c.customer_id, c.email, ...)
 *
 * whose arguments after the NULL of the row type are the row's columns, one
 * per attribute in order (a NULL for a dropped one).  The executor passes
 * the scan's deformed values; the function puts them in a virtual slot for
 * the compiled rule (match_pg.c).  A NULL row (the nullable side of an outer
 * join) becomes all columns NULL, which is what the function makes of a NULL
 * row of a named type; a missing as_of becomes now(), the transaction
 * timestamp the function reads.  A table of more columns than a function
 * takes arguments keeps the whole-row call.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "optimizer/optimizer.h"
#include "parser/parse_func.h"
#include "parser/parsetree.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "bind_pg.h"

RuleCallKind
rule_call_kind(Oid funcid)
{
	static const struct
	{
		const char *name;
		RuleCallKind kind;
	}			names[] = {
		{"segment_match", RULE_CALL_MATCH},
		{"segment_rule_match_row", RULE_CALL_MATCH_OP},
		{"segment_classify", RULE_CALL_CLASSIFY},
		{"segment_memberships", RULE_CALL_MEMBERSHIPS},
		{"segment_match_values", RULE_CALL_MATCH_VALUES},
	};
	char	   *name = get_func_name(funcid);

	if (name == NULL)
		return RULE_CALL_OTHER;
	for (int i = 0; i < lengthof(names); i++)
		if (strcmp(name, names[i].name) == 0)
			return names[i].kind;
	return RULE_CALL_OTHER;
}

/*
 * The columns of a row argument as a list of expressions, one per attribute
 * of its type *rowtype (a NULL for a dropped one): the Vars of a table's
 * whole-row Var, or the arguments of a RowExpr of a named row type (a view's
 * row, once the planner pulled the view up); NIL when the row is neither.
 */
static List *
row_columns(PlannerInfo *root, Node *row, Oid *rowtype)
{
	TupleDesc	tupdesc;
	List	   *columns = NIL;

	if (IsA(row, Var))
	{
		Var		   *var = (Var *) row;
		RangeTblEntry *rte;

		if (var->varattno != InvalidAttrNumber || var->varlevelsup != 0 ||
			var->vartype == RECORDOID || get_typtype(var->vartype) != TYPTYPE_COMPOSITE ||
			root->parse == NULL || var->varno > list_length(root->parse->rtable))
			return NIL;
		rte = rt_fetch(var->varno, root->parse->rtable);
		if (rte->rtekind != RTE_RELATION ||
			(rte->relkind != RELKIND_RELATION && rte->relkind != RELKIND_PARTITIONED_TABLE &&
			 rte->relkind != RELKIND_MATVIEW && rte->relkind != RELKIND_FOREIGN_TABLE))
			return NIL;
		tupdesc = lookup_rowtype_tupdesc_copy(var->vartype, -1);
		for (int i = 0; i < tupdesc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(tupdesc, i);

			if (att->attisdropped)
				columns = lappend(columns, makeNullConst(INT4OID, -1, InvalidOid));
			else
				columns = lappend(columns, makeVar(var->varno, att->attnum, att->atttypid,
												   att->atttypmod, att->attcollation, 0));
		}
		*rowtype = var->vartype;
		return columns;
	}
	if (IsA(row, RowExpr))
	{
		RowExpr    *re = (RowExpr *) row;
		ListCell   *lc;
		int			i = 0;

		if (re->row_typeid == RECORDOID || get_typtype(re->row_typeid) != TYPTYPE_COMPOSITE)
			return NIL;
		tupdesc = lookup_rowtype_tupdesc_copy(re->row_typeid, -1);
		if (tupdesc->natts != list_length(re->args))
			return NIL;
		foreach(lc, re->args)
		{
			Form_pg_attribute att = TupleDescAttr(tupdesc, i++);

			if (!att->attisdropped && exprType(lfirst(lc)) != att->atttypid)
				return NIL;
		}
		*rowtype = re->row_typeid;
		return list_copy(re->args);
	}
	return NIL;
}

static Node *
now_call(void)
{
	return (Node *) makeFuncExpr(F_NOW, TIMESTAMPTZOID, NIL, InvalidOid, InvalidOid,
								 COERCE_EXPLICIT_CALL);
}

Node *
rule_values_call(PlannerInfo *root, FuncExpr *fcall)
{
	List	   *args = fcall->args;
	int			nargs = list_length(args);
	List	   *lead;
	Node	   *row;
	Node	   *as_of;
	const char *vname;
	Oid			argtypes[5];
	int			nlead;
	List	   *columns;
	Oid			rowtype = InvalidOid;
	Oid			vfunc;
	RuleBindTarget t;

	if (root == NULL)
		return NULL;
	switch (rule_call_kind(fcall->funcid))
	{
		case RULE_CALL_MATCH:
			if (nargs < 2)
				return NULL;
			lead = list_make1(linitial(args));
			row = lsecond(args);
			as_of = nargs > 2 ? lthird(args) : now_call();
			vname = "segment_match_values";
			break;
		case RULE_CALL_MATCH_OP:
			if (nargs != 2)
				return NULL;
			lead = list_make1(lsecond(args));
			row = linitial(args);
			as_of = now_call();
			vname = "segment_match_values";
			break;
		case RULE_CALL_CLASSIFY:
		case RULE_CALL_MEMBERSHIPS:
			if (nargs < 3)
				return NULL;
			lead = list_make2(linitial(args), lsecond(args));
			row = lthird(args);
			as_of = nargs > 3 ? lfourth(args) : now_call();
			vname = rule_call_kind(fcall->funcid) == RULE_CALL_CLASSIFY ?
				"segment_classify_values" : "segment_memberships_values";
			break;
		default:
			return NULL;
	}
	columns = row_columns(root, row, &rowtype);
	nlead = list_length(lead);
	if (columns == NIL || nlead + 2 + list_length(columns) > FUNC_MAX_ARGS)
		return NULL;

	rule_bind_target_init(&t, fcall->funcid);
	if (nlead == 1)
		argtypes[0] = t.rule_type;
	else
	{
		argtypes[0] = TEXTARRAYOID;
		argtypes[1] = get_array_type(t.rule_type);
	}
	argtypes[nlead] = TIMESTAMPTZOID;
	argtypes[nlead + 1] = ANYELEMENTOID;
	argtypes[nlead + 2] = ANYOID;
	for (int i = 0; i < nlead; i++)
		if (exprType(list_nth(lead, i)) != argtypes[i])
			return NULL;
	if (exprType(as_of) != TIMESTAMPTZOID)
		return NULL;

	/* absent where the library is newer than the extension's SQL objects */
	vfunc = LookupFuncName(list_make2(makeString(get_namespace_name(t.namespace)),
									  makeString(pstrdup(vname))),
						   nlead + 3, argtypes, true);
	if (!OidIsValid(vfunc))
		return NULL;
	return (Node *) makeFuncExpr(vfunc, fcall->funcresulttype,
								 list_concat(lappend(lappend(lead, as_of),
													 makeNullConst(rowtype, -1, InvalidOid)),
											 columns),
								 fcall->funccollid, fcall->inputcollid, COERCE_EXPLICIT_CALL);
}

bool
rule_values_target(List *args, RuleBindTarget *target, Const **rule)
{
	List	   *columns;
	Oid			rowtype;
	int			i = 0;
	ListCell   *lc;

	if (list_length(args) < 4)
		return false;
	*rule = (Const *) linitial(args);
	if (!IsA(*rule, Const) || (*rule)->constisnull || exprType((Node *) *rule) != target->rule_type)
		return false;
	rowtype = exprType(lthird(args));
	if (rowtype == RECORDOID || get_typtype(rowtype) != TYPTYPE_COMPOSITE)
		return false;
	columns = list_copy_tail(args, 3);
	target->tupdesc = lookup_rowtype_tupdesc_copy(rowtype, -1);
	if (target->tupdesc->natts != list_length(columns))
		return false;
	foreach(lc, columns)
	{
		Form_pg_attribute att = TupleDescAttr(target->tupdesc, i++);

		if (!att->attisdropped && exprType(lfirst(lc)) != att->atttypid)
			return false;
	}
	target->rowtype = rowtype;
	target->columns = columns;
	target->as_of = lsecond(args);
	return !contain_volatile_functions(target->as_of);
}
