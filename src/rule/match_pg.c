/*-------------------------------------------------------------------------
 *
 * match_pg.c
 *	  segment_match over a row of any table, view or composite type, the @@
 *	  operator of the same test, and segment_rule_check.
 *
 * A rule is bound (bind_pg.c) once per rule and row type into an
 * expression whose columns are Vars of the scan tuple and whose as_of is
 * parameter $1, planned and compiled with ExecInitExpr, and kept in
 * fn_extra (cache_pg.c), so that a join of saved segments with customers
 * binds each segment once per query.  Each row is
 * then stored in a slot without copying and the compiled expression
 * deforms only the columns it reads, as a qual of a scan does.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/params.h"
#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "parser/parsetree.h"
#include "tcop/tcopprot.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/ruleutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "bind_pg.h"
#include "guard_pg.h"
#include "rule_pg.h"

/*
 * What a rule, or a catalogue of rules, over a row type compiles to (the
 * data of a cache entry): one compiled expression per rule over one slot.
 */
typedef struct BoundRow
{
	TupleTableSlot *slot;
	int			nstates;
	ExprState **states;
	ExprContext *econtext;
	ParamListInfo params;		/* $1 = as_of */
	Datum	   *names;			/* a catalogue's segment names (text) */
	CatalogueGuards *guards;	/* a catalogue's guards (guard_pg.c); a rule
								 * whose state is NULL is true of every row
								 * that passes its guard */
	TupleDesc	rowdesc;		/* the row's own columns when some are of type
								 * unknown (the rule sees them as text), or
								 * NULL: see untyped_as_text */
	int			first_value;	/* the values form (segment_match_values and
								 * the like): the argument of the first
								 * column's value; -1 for a row argument */

	/*
	 * The values form: the columns whose values each row loads into the
	 * slot, those the rules, their guards and their behavioural conditions'
	 * keys read (or every column but the dropped ones, when a rule reads the
	 * whole row), by attribute index: plain ones, then varlena ones.  The
	 * slot holds a virtual tuple from compile_rules on, every other column
	 * NULL, and each row overwrites the loaded columns in place.
	 */
	int			nplain;
	int			nvarlena;
	int16	   *loads;
} BoundRow;

/*
 * The fast path of a catalogue's call site: the entry it last used, and the
 * two arguments as they arrived (still compressed or toasted), so that the
 * next row with the same catalogue is recognised without detoasting it.
 */
typedef struct LastCatalogue
{
	RuleCacheEntry *entry;
	char	   *raw;			/* raw names then raw rules */
	Size		raw_names;
	Size		raw_rules;
} LastCatalogue;

static Param *
as_of_param(void)
{
	Param	   *p = makeNode(Param);

	p->paramkind = PARAM_EXTERN;
	p->paramid = 1;
	p->paramtype = TIMESTAMPTZOID;
	p->paramtypmod = -1;
	p->paramcollid = InvalidOid;
	p->location = -1;
	return p;
}

/*
 * Bind a rule to the columns of tupdesc (the row type typid) in the current
 * memory context, as_of being the expression within counts back from.
 */
static Node *
bind_rule(const RuleNode *tree, TupleDesc tupdesc, Oid typid, Oid fn_oid, Node *as_of,
		  List **behaviours)
{
	RuleBindTarget target;

	rule_bind_target_init(&target, fn_oid);
	target.tupdesc = tupdesc;
	target.rowtype = typid;
	target.varno = 1;
	target.as_of = as_of;
	target.behaviours = behaviours;
	return rule_bind(&target, tree);
}

/*
 * A row whose columns include the type unknown, as ROW(1, 'a') has: SQL
 * resolves an untyped literal as text, so the rule sees such a column as text
 * (the binder would find no coercion from unknown and fail with XX000).
 * Returns a copy of tupdesc with text for unknown, or NULL when there is
 * none; load_row converts the values (cstrings) of each row.
 */
static TupleDesc
untyped_as_text(TupleDesc tupdesc)
{
	TupleDesc	astext = NULL;

	for (int i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);

		if (att->attisdropped || att->atttypid != UNKNOWNOID)
			continue;
		if (astext == NULL)
			astext = CreateTupleDescCopy(tupdesc);
		TupleDescInitEntry(astext, att->attnum, NameStr(att->attname), TEXTOID, -1, 0);
	}
	return astext;
}

/*
 * The values form of a call: the arguments from first on are the values of
 * the columns of tupdesc, one per attribute in order (any value, NULL as a
 * rule, for a dropped one), each of its column's type.  Checked once per
 * compiled entry, against the very row type its expressions read, so that a
 * hand-written call cannot hand the expressions a value of another type.
 */
static void
check_values(FunctionCallInfo fcinfo, TupleDesc tupdesc, int first)
{
	const char *fname = get_func_name(fcinfo->flinfo->fn_oid);

	if (PG_NARGS() - first != tupdesc->natts)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s needs one value for each column of type %s",
						fname ? fname : "segment_match_values", format_type_be(tupdesc->tdtypeid)),
				 errdetail("Found %d values for %d columns.", PG_NARGS() - first, tupdesc->natts)));
	for (int i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);
		Oid			argtype = get_fn_expr_argtype(fcinfo->flinfo, first + i);

		if (!att->attisdropped && argtype != att->atttypid)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s needs a value of type %s for column \"%s\" of type %s, not type %s",
							fname ? fname : "segment_match_values", format_type_be(att->atttypid),
							NameStr(att->attname), format_type_be(tupdesc->tdtypeid),
							format_type_be(argtype))));
	}
}

/* does node read a behavioural condition's value (a Param from $2 on)? */
static bool
reads_behaviour(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, Param) && ((Param *) node)->paramkind == PARAM_EXTERN &&
		((Param *) node)->paramid >= 2)
		return true;
	return expression_tree_walker(node, reads_behaviour, context);
}

/*
 * The conjuncts of a rule's top-level AND in the order the planner gives the
 * quals of a scan (order_qual_clauses): cheapest per row first, ties in the
 * rule's order, so that a cheap test (not unsubscribed, age >= 25) turns a
 * row away before a costly one (country in a list of strings) is evaluated.
 * An AND is true, false or NULL whatever the order of its arguments; the
 * order is the inlined rule's, whose quals the planner sorts the same way.
 * A conjunct that reads a behavioural condition (a query of the customer's
 * events, made only when a row gets that far) goes after every other.
 */
static Expr *
order_conjuncts(Expr *expr)
{
	BoolExpr   *and = (BoolExpr *) expr;
	int			n;
	Node	  **args;
	Cost	   *costs;
	List	   *sorted = NIL;
	int			i = 0;
	ListCell   *lc;

	if (expr == NULL || !IsA(expr, BoolExpr) || and->boolop != AND_EXPR ||
		list_length(and->args) < 2)
		return expr;
	n = list_length(and->args);
	args = palloc(sizeof(Node *) * n);
	costs = palloc(sizeof(Cost) * n);
	foreach(lc, and->args)
	{
		QualCost	qc;
		Node	   *arg = lfirst(lc);
		int			j = i++;

		cost_qual_eval_node(&qc, arg, NULL);
		if (reads_behaviour(arg, NULL))
			qc.per_tuple += disable_cost;
		/* insertion sort, stable: after every conjunct of the same cost */
		while (j > 0 && costs[j - 1] > qc.per_tuple)
		{
			args[j] = args[j - 1];
			costs[j] = costs[j - 1];
			j--;
		}
		args[j] = arg;
		costs[j] = qc.per_tuple;
	}
	for (i = 0; i < n; i++)
		sorted = lappend(sorted, args[i]);
	return makeBoolExpr(AND_EXPR, sorted, and->location);
}

/*
 * The columns a compiled rule reads from its slot: the attribute numbers of
 * its Vars.  all is set where a rule may read any column (a whole-row Var, a
 * system column, a Var of another relation or level, a sub-query): every
 * column is then loaded.
 */
typedef struct ColumnsRead
{
	Bitmapset  *attnos;
	bool		all;
} ColumnsRead;

static bool
columns_read(Node *node, ColumnsRead *r)
{
	if (node == NULL)
		return false;
	if (IsA(node, Var))
	{
		Var		   *var = (Var *) node;

		if (var->varno != 1 || var->varlevelsup != 0 || var->varattno <= 0)
			r->all = true;
		else
			r->attnos = bms_add_member(r->attnos, var->varattno);
		return false;
	}
	if (IsA(node, Query) || IsA(node, SubLink) || IsA(node, SubPlan) ||
		IsA(node, AlternativeSubPlan))
	{
		r->all = true;
		return false;
	}
	return expression_tree_walker(node, columns_read, r);
}

/* The values form's loads (see BoundRow) of the columns of tupdesc. */
static void
plan_loads(BoundRow *b, TupleDesc tupdesc, const ColumnsRead *r)
{
	int			n = 0;

	b->loads = palloc(sizeof(int16) * Max(1, tupdesc->natts));
	for (int varlena = 0; varlena <= 1; varlena++)
	{
		for (int i = 0; i < tupdesc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(tupdesc, i);

			if (att->attisdropped || (att->attlen == -1) != varlena ||
				(!r->all && !bms_is_member(i + 1, r->attnos)))
				continue;
			b->loads[n++] = (int16) i;
		}
		if (varlena == 0)
			b->nplain = n;
	}
	b->nvarlena = n - b->nplain;
}

static void
release_bound_row(void *data)
{
	BoundRow   *b = data;

	FreeExprContext(b->econtext, true);
	ExecDropSingleTupleTableSlot(b->slot);
}

/*
 * Compile nrules rules over a row type in the cache entry e's context (its
 * data NULL): the expressions, for a catalogue the guards, and the slot and
 * context they are evaluated in.  The caller sets e->data once the rest of
 * what it keeps is in place, so that an entry with data is complete.
 */
static BoundRow *
compile_rules(FunctionCallInfo fcinfo, RuleCacheEntry *e, Datum *rules, int nrules,
			  Oid typid, int32 typmod, bool catalogue, int first_value)
{
	MemoryContext old = MemoryContextSwitchTo(e->cxt);
	TupleDesc	tupdesc = lookup_rowtype_tupdesc_copy(typid, typmod);
	TupleDesc	astext = untyped_as_text(tupdesc);
	BoundRow   *b = palloc0(sizeof(BoundRow));
	List	   *behaviours = NIL;
	ColumnsRead reads = {NULL, false};

	b->first_value = first_value;
	if (first_value >= 0)
		check_values(fcinfo, tupdesc, first_value);
	else if (astext != NULL)
	{
		b->rowdesc = tupdesc;
		tupdesc = astext;
	}

	b->nstates = nrules;
	b->states = palloc(sizeof(ExprState *) * Max(1, nrules));
	if (catalogue)
		b->guards = guards_create(nrules);
	for (int i = 0; i < nrules; i++)
	{
		RuleNode   *tree = segment_rule_tree(rules[i]);
		Node	   *expr = bind_rule(tree, tupdesc, typid, fcinfo->flinfo->fn_oid,
									 (Node *) as_of_param(), &behaviours);
		Expr	   *planned = expression_planner((Expr *) expr);

		CHECK_FOR_INTERRUPTS();	/* a catalogue may hold thousands of rules */
		/* the guards read the columns of the conjuncts they take over */
		if (first_value >= 0)
			(void) columns_read((Node *) planned, &reads);
		if (catalogue)
			planned = guards_add(b->guards, i, planned);
		planned = order_conjuncts(planned);
		b->states[i] = planned ? ExecInitExpr(planned, NULL) : NULL;
	}
	if (catalogue)
		guards_finish(b->guards);
	b->econtext = CreateStandaloneExprContext();
	if (behaviours != NIL)
	{
		RuleBindTarget target;

		rule_bind_target_init(&target, fcinfo->flinfo->fn_oid);
		target.as_of = (Node *) as_of_param();
		b->params = rule_events_params(&target, behaviours, b->econtext);
	}
	else
		b->params = rule_events_params(NULL, NIL, b->econtext);
	b->econtext->ecxt_param_list_info = b->params;
	b->slot = MakeSingleTupleTableSlot(tupdesc, b->rowdesc || first_value >= 0 ?
									   &TTSOpsVirtual : &TTSOpsHeapTuple);
	if (first_value >= 0)
	{
		ListCell   *lc;

		/* a behavioural condition's customer key is read over the row */
		foreach(lc, behaviours)
			(void) columns_read(((RuleBehaviour *) lfirst(lc))->key, &reads);
		plan_loads(b, tupdesc, &reads);
		ExecStoreAllNullTuple(b->slot);
	}
	MemoryContextSwitchTo(old);
	return b;
}

/*
 * The row argument: its type (42804 if not a row; segment_match also takes
 * jsonb, a catalogue function does not), and its
 * tuple; false for a NULL row of an anonymous record type (nothing to bind).
 */
static bool
row_argument(FunctionCallInfo fcinfo, int rowarg, const char *fname, bool catalogue,
			 Oid *typid, int32 *typmod, HeapTupleData *tuple)
{
	Oid			argtype = get_fn_expr_argtype(fcinfo->flinfo, rowarg);
	Oid			basetype;
	bool		is_row;

	if (!OidIsValid(argtype))
		elog(ERROR, "could not determine the row type of %s", fname);
	basetype = rule_cache_arg_type(fcinfo->flinfo, argtype, &is_row);
	if (!is_row && !catalogue)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s needs a row or a jsonb document, not type %s",
						fname, format_type_be(argtype)),
				 errhint("Pass the whole row: %s(rule, c) for FROM customers c.", fname)));
	if (!is_row)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s needs a row, not type %s", fname, format_type_be(argtype)),
				 errhint("Pass the whole row: %s(names, rules, c) for FROM customers c.", fname)));
	if (!PG_ARGISNULL(rowarg))
	{
		HeapTupleHeader td = PG_GETARG_HEAPTUPLEHEADER(rowarg);

		*typid = HeapTupleHeaderGetTypeId(td);
		*typmod = HeapTupleHeaderGetTypMod(td);
		tuple->t_len = HeapTupleHeaderGetDatumLength(td);
		ItemPointerSetInvalid(&tuple->t_self);
		tuple->t_tableOid = InvalidOid;
		tuple->t_data = td;
		return true;
	}
	/* a NULL row of a known type: every attribute is NULL */
	*typid = basetype;
	*typmod = -1;
	tuple->t_data = NULL;
	return basetype != RECORDOID;
}

/* Put the row in the slot and as_of in $1, before evaluating. */
static void
load_row(FunctionCallInfo fcinfo, BoundRow *b, HeapTupleData *tuple, int as_of_arg)
{
	if (b->first_value >= 0)
	{
		/*
		 * the values form: the columns' values are the arguments; the slot
		 * keeps its virtual tuple, whose columns the rules read are
		 * overwritten (the others stay NULL)
		 */
		const NullableDatum *arg = &fcinfo->args[b->first_value];
		Datum	   *values = b->slot->tts_values;
		bool	   *isnull = b->slot->tts_isnull;
		const int16 *loads = b->loads;
		int			k = 0;

		for (; k < b->nplain; k++)
		{
			int			a = loads[k];

			values[a] = arg[a].value;
			isnull[a] = arg[a].isnull;
		}
		for (; k < b->nplain + b->nvarlena; k++)
		{
			int			a = loads[k];
			Datum		v = arg[a].value;

			isnull[a] = arg[a].isnull;
			/* the rule reads a read-write expanded value, never changes it */
			values[a] = !isnull[a] && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(v)) ?
				MakeExpandedObjectReadOnlyInternal(v) : v;
		}
	}
	else if (tuple->t_data == NULL)
		ExecStoreAllNullTuple(b->slot);
	else if (b->rowdesc != NULL)
	{
		/* columns of type unknown hold cstrings: give the rule text */
		MemoryContext old = MemoryContextSwitchTo(b->econtext->ecxt_per_tuple_memory);
		TupleTableSlot *slot = b->slot;

		ExecClearTuple(slot);
		heap_deform_tuple(tuple, b->rowdesc, slot->tts_values, slot->tts_isnull);
		for (int i = 0; i < b->rowdesc->natts; i++)
			if (!slot->tts_isnull[i] && TupleDescAttr(b->rowdesc, i)->atttypid == UNKNOWNOID)
				slot->tts_values[i] =
					PointerGetDatum(cstring_to_text(DatumGetCString(slot->tts_values[i])));
		MemoryContextSwitchTo(old);
		ExecStoreVirtualTuple(slot);
	}
	else
		ExecStoreHeapTuple(tuple, b->slot, false);
	b->econtext->ecxt_scantuple = b->slot;
	if (b->params->paramFetch != NULL)
		rule_events_next_row(b->params);
	if (as_of_arg >= 0)
	{
		b->params->params[0].isnull = PG_ARGISNULL(as_of_arg);
		b->params->params[0].value = PG_ARGISNULL(as_of_arg) ? (Datum) 0 : PG_GETARG_DATUM(as_of_arg);
	}
	else
	{
		b->params->params[0].isnull = false;
		b->params->params[0].value = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	}
}

static void
unload_row(BoundRow *b)
{
	if (b->first_value < 0)
		ExecClearTuple(b->slot);
	ResetExprContext(b->econtext);
}

/*
 * The rule over a row: the common body of segment_match(rule, row [, as_of])
 * and row @@ rule.
 */
static Datum
match_row(FunctionCallInfo fcinfo, int rulearg, int rowarg, bool has_as_of)
{
	Oid			argtype = get_fn_expr_argtype(fcinfo->flinfo, rowarg);
	Oid			typid;
	int32		typmod;
	RuleCacheEntry *e;
	BoundRow   *b;
	HeapTupleData tuple;
	Datum		rule;
	Datum		result;
	bool		isnull;
	bool		is_row;

	if (OidIsValid(argtype) &&
		rule_cache_arg_type(fcinfo->flinfo, argtype, &is_row) == JSONBOID)
		return segment_match_doc(fcinfo, rulearg, rowarg, has_as_of);
	if (!row_argument(fcinfo, rowarg, "segment_match", false, &typid, &typmod, &tuple) ||
		PG_ARGISNULL(rulearg))
		PG_RETURN_NULL();

	e = rule_cache_get_arg(fcinfo, rulearg, typid, typmod, release_bound_row);
	if (e->data == NULL)
	{
		rule = PointerGetDatum(PG_GETARG_SEGMENT_RULE_P(rulearg));
		e->data = compile_rules(fcinfo, e, &rule, 1, typid, typmod, false, -1);
	}
	b = e->data;
	load_row(fcinfo, b, &tuple, has_as_of ? 2 : -1);
	result = ExecEvalExprSwitchContext(b->states[0], b->econtext, &isnull);
	unload_row(b);
	if (isnull)
		PG_RETURN_NULL();
	return result;
}

PG_FUNCTION_INFO_V1(segment_match_row);
Datum
segment_match_row(PG_FUNCTION_ARGS)
{
	return match_row(fcinfo, 0, 1, PG_NARGS() > 2);
}

/* row @@ rule, and doc @@ rule for jsonb documents */
PG_FUNCTION_INFO_V1(segment_rule_match_row);
Datum
segment_rule_match_row(PG_FUNCTION_ARGS)
{
	return match_row(fcinfo, 1, 0, false);
}

/*
 * The row type named by the type of argument argno of a values-form call (a
 * NULL of that type): 42804 unless it is a row type with a name.
 */
static Oid
values_row_type(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	bool		is_row;
	Oid			argtype;
	Oid			typid = rule_cache_argno_type(fcinfo->flinfo, argno, &argtype, &is_row);

	if (!OidIsValid(argtype))
		elog(ERROR, "could not determine the row type of %s", fname);
	if (!is_row || typid == RECORDOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s needs a NULL of a named row type, not type %s",
						fname, format_type_be(argtype)),
				 errhint("segment_match(rule, c) over a table row is planned as this call.")));
	return typid;
}

/*
 * segment_match_values(rule, as_of, NULL::rowtype, VARIADIC column values):
 * the rule over the row of the named row type whose columns hold the given
 * values (one per attribute, in order).  The planner support of
 * segment_match and @@ rewrites a call over a table's whole row that it does
 * not inline (a rule from a column, a parameter of a generic plan,
 * segmentation.inline_rules off) into this call over the table's columns:
 * the executor then hands over the scan's deformed values, where a row
 * argument costs a copy of every row into a composite value (every column
 * deformed, the tuple formed again and any toasted value fetched).  The
 * compiled rule reads the values from a virtual slot.
 */
PG_FUNCTION_INFO_V1(segment_match_values);
Datum
segment_match_values(PG_FUNCTION_ARGS)
{
	RuleCacheEntry *e;
	BoundRow   *b;
	Datum		result;
	bool		isnull;

	if (PG_ARGISNULL(0))
	{
		(void) values_row_type(fcinfo, 2, "segment_match_values");
		PG_RETURN_NULL();
	}
	/* a constant rule, compiled on an earlier row: nothing to look up */
	e = rule_cache_const_entry(fcinfo, 0);
	if (e == NULL)
	{
		Oid			typid = values_row_type(fcinfo, 2, "segment_match_values");

		e = rule_cache_get_arg(fcinfo, 0, typid, -1, release_bound_row);
		if (e->data == NULL)
		{
			Datum		rule = PointerGetDatum(PG_GETARG_SEGMENT_RULE_P(0));

			e->data = compile_rules(fcinfo, e, &rule, 1, typid, -1, false, 3);
		}
	}
	b = e->data;
	load_row(fcinfo, b, NULL, 1);
	result = ExecEvalExprSwitchContext(b->states[0], b->econtext, &isnull);
	unload_row(b);
	if (isnull)
		PG_RETURN_NULL();
	return result;
}

static Oid	relation_rowtype(Oid relid);

/*
 * segment_rule_check(rule, regclass): bind the rule to the relation's row
 * type, raising what binding raises; true when it binds.
 */
PG_FUNCTION_INFO_V1(segment_rule_check);
Datum
segment_rule_check(PG_FUNCTION_ARGS)
{
	struct varlena *rule = PG_GETARG_SEGMENT_RULE_P(0);
	Oid			relid = PG_GETARG_OID(1);

	Oid			typid = relation_rowtype(relid);

	(void) bind_rule(segment_rule_tree(PointerGetDatum(rule)), lookup_rowtype_tupdesc_copy(typid, -1), typid,
					 fcinfo->flinfo->fn_oid, (Node *) as_of_param(), NULL);
	PG_RETURN_BOOL(true);
}

/*
 * The planner support of segment_match(rule, row [, as_of]) and of row @@
 * rule: where the rule is a constant and the row the whole row of a table
 * (plain, partitioned, materialized view or foreign) of the query, the call
 * is replaced by the expression the binder makes of the rule over that
 * table's columns (SupportRequestSimplify).  The planner then sees native
 * quals: indexes, its own selectivity estimates and JIT apply, and no row is
 * ever formed into a composite value.  The meaning is the evaluator's,
 * because the binder is the same; segmentation.inline_rules turns it off.
 */
/*
 * The arguments of a segment_match or @@ call the planner may bind: a
 * constant rule, and a row that is the whole row of a relation of the query
 * (a Var) or, after a view was pulled up, its row of column expressions (a
 * RowExpr of a named row type).  False when the call is not of that shape.
 */
static bool
bindable_call(PlannerInfo *root, Oid funcid, List *args, RuleBindTarget *target, Const **rule)
{
	Node	   *row;
	int			nargs = list_length(args);

	if (root == NULL || nargs < 2)
		return false;
	rule_bind_target_init(target, funcid);
	if (rule_call_kind(funcid) == RULE_CALL_MATCH_VALUES)
		return rule_values_target(args, target, rule);
	if (exprType(linitial(args)) == target->rule_type)
	{
		*rule = (Const *) linitial(args);
		row = lsecond(args);
	}
	else
	{
		row = linitial(args);
		*rule = (Const *) lsecond(args);
	}
	if (!IsA(*rule, Const) || (*rule)->constisnull)
		return false;

	if (IsA(row, Var))
	{
		Var		   *var = (Var *) row;
		RangeTblEntry *rte;

		if (var->varattno != InvalidAttrNumber || var->varlevelsup != 0 ||
			var->vartype == RECORDOID || !type_is_rowtype(var->vartype))
			return false;
		rte = rt_fetch(var->varno, root->parse->rtable);
		if (rte->rtekind != RTE_RELATION ||
			(rte->relkind != RELKIND_RELATION && rte->relkind != RELKIND_PARTITIONED_TABLE &&
			 rte->relkind != RELKIND_MATVIEW && rte->relkind != RELKIND_FOREIGN_TABLE))
			return false;
		target->tupdesc = lookup_rowtype_tupdesc_copy(var->vartype, -1);
		target->rowtype = var->vartype;
		target->varno = var->varno;
	}
	else if (IsA(row, RowExpr))
	{
		RowExpr    *re = (RowExpr *) row;

		if (re->row_typeid == RECORDOID || !type_is_rowtype(re->row_typeid) ||
			contain_volatile_functions((Node *) re->args))
			return false;
		target->tupdesc = lookup_rowtype_tupdesc_copy(re->row_typeid, -1);
		if (target->tupdesc->natts != list_length(re->args))
			return false;
		target->rowtype = re->row_typeid;
		target->columns = re->args;
	}
	else
		return false;

	if (nargs > 2)
	{
		target->as_of = lthird(args);
		if (contain_volatile_functions(target->as_of))
			return false;
	}
	else
		target->as_of = (Node *) makeFuncExpr(F_NOW, TIMESTAMPTZOID, NIL, InvalidOid, InvalidOid,
											  COERCE_EXPLICIT_CALL);
	return true;
}

/* Does a query in expr read a relation under row-level security? */
static bool
reads_row_security(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, Query))
	{
		if (((Query *) node)->hasRowSecurity)
			return true;
		return query_tree_walker((Query *) node, reads_row_security, context, 0);
	}
	return expression_tree_walker(node, reads_row_security, context);
}

/* the number of predicates of a rule, for its cost */
static int
count_predicates(const RuleNode *n)
{
	int			c = 0;

	check_stack_depth();
	if (n->kind != RULE_AND && n->kind != RULE_OR && n->kind != RULE_NOT)
		return 1;
	for (int i = 0; i < n->nargs; i++)
		c += count_predicates(n->args[i]);
	return c;
}

/*
 * The planner support of segment_match(rule, row [, as_of]) and of row @@
 * rule.
 *
 * SupportRequestSimplify: where the rule is a constant and the row the whole
 * row of a table (plain, partitioned, materialized view or foreign) or the
 * column expressions of a pulled-up view, the call is replaced by the
 * expression the binder makes of the rule over those columns.  The planner
 * then sees native quals: indexes, its own selectivity estimates and JIT
 * apply, and no row is formed into a composite value.  The meaning is the
 * evaluator's, because the binder is the same.  segmentation.inline_rules
 * turns it off.
 *
 * SupportRequestSelectivity: when the call stays (inlining off), the
 * planner's selectivity of that same expression.  SupportRequestCost: a
 * cost per row that grows with the rule's predicates, so that the planner
 * orders a rule after cheaper quals.
 */
PG_FUNCTION_INFO_V1(segment_match_support);
Datum
segment_match_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	RuleBindTarget target;
	Const	   *rule;

	if (IsA(rawreq, SupportRequestSimplify))
	{
		SupportRequestSimplify *req = (SupportRequestSimplify *) rawreq;

		RuleNode   *tree;
		Node	   *expr;

		RuleCallKind kind = rule_call_kind(req->fcall->funcid);

		/* a catalogue is evaluated, over the row's columns */
		if (kind == RULE_CALL_CLASSIFY || kind == RULE_CALL_MEMBERSHIPS)
			PG_RETURN_POINTER(rule_values_call(req->root, req->fcall));
		if (kind != RULE_CALL_MATCH && kind != RULE_CALL_MATCH_OP)
			PG_RETURN_POINTER(NULL);
		if (!segmentation_inline_rules ||
			!bindable_call(req->root, req->fcall->funcid, req->fcall->args, &target, &rule))
			PG_RETURN_POINTER(rule_values_call(req->root, req->fcall));
		tree = segment_rule_tree(rule->constvalue);
		if (!rule_has_behaviour(tree))
			PG_RETURN_POINTER(rule_bind(&target, tree));

		/*
		 * Behavioural conditions inline as SubLinks, which the planner turns
		 * into SubPlans only in a query it knows to have them; one that reads
		 * a source under row-level security depends on the role.
		 */
		if (req->root->parse == NULL)
			PG_RETURN_POINTER(rule_values_call(req->root, req->fcall));

		/*
		 * An as_of that changes from row to row (a column) would make every
		 * sub-select correlated on it, grouping the whole source again for
		 * each row; the evaluator's query per customer reads only that
		 * customer's events.
		 */
		if (contain_var_clause(target.as_of))
			PG_RETURN_POINTER(rule_values_call(req->root, req->fcall));
		expr = rule_bind(&target, tree);
		req->root->parse->hasSubLinks = true;
		req->root->glob->relationOids = lappend_oid(req->root->glob->relationOids,
													get_relname_relid("segment_source",
																	  target.namespace));
		if (reads_row_security(expr, NULL))
			req->root->glob->dependsOnRole = true;
		PG_RETURN_POINTER(expr);
	}
	if (IsA(rawreq, SupportRequestSelectivity))
	{
		SupportRequestSelectivity *req = (SupportRequestSelectivity *) rawreq;
		Node	   *expr;

		RuleNode   *tree;

		if (req->is_join || rule_call_kind(req->funcid) == RULE_CALL_CLASSIFY ||
			rule_call_kind(req->funcid) == RULE_CALL_MEMBERSHIPS ||
			!bindable_call(req->root, req->funcid, req->args, &target, &rule))
			PG_RETURN_POINTER(NULL);
		tree = segment_rule_tree(rule->constvalue);
		if (rule_has_behaviour(tree))
			PG_RETURN_POINTER(NULL);	/* the planner's default */
		expr = rule_bind(&target, tree);
		req->selectivity = clauselist_selectivity(req->root, list_make1(expr), req->varRelid,
												  req->jointype, req->sjinfo);
		PG_RETURN_POINTER(req);
	}
	if (IsA(rawreq, SupportRequestCost))
	{
		SupportRequestCost *req = (SupportRequestCost *) rawreq;
		List	   *args = NIL;
		int			npred = 5;	/* a rule not known at plan time */
		ListCell   *lc;

		/* a catalogue keeps the cost of its declaration */
		if (rule_call_kind(req->funcid) == RULE_CALL_CLASSIFY ||
			rule_call_kind(req->funcid) == RULE_CALL_MEMBERSHIPS)
			PG_RETURN_POINTER(NULL);

		if (req->node && IsA(req->node, FuncExpr))
			args = ((FuncExpr *) req->node)->args;
		else if (req->node && IsA(req->node, OpExpr))
			args = ((OpExpr *) req->node)->args;
		rule_bind_target_init(&target, req->funcid);
		foreach(lc, args)
		{
			Node	   *a = lfirst(lc);

			if (foreach_current_index(lc) > 1)
				break;			/* the rule is argument 1 or 2 */
			if (IsA(a, Const) && !((Const *) a)->constisnull && exprType(a) == target.rule_type)
				npred = count_predicates(segment_rule_tree(((Const *) a)->constvalue));
		}
		req->startup = 0;
		req->per_tuple = cpu_operator_cost * (1 + 2 * npred);
		PG_RETURN_POINTER(req);
	}
	PG_RETURN_POINTER(NULL);
}

/*
 * The relation a rule is checked, printed or estimated against: its row
 * type, and 42P01 / 42809 for what has none.
 */
static Oid
relation_rowtype(Oid relid)
{
	Oid			typid = get_rel_type_id(relid);

	if (!OidIsValid(typid))
	{
		char	   *name = get_rel_name(relid);

		if (name == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("relation with OID %u does not exist", relid)));
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" has no row type to bind a segment rule to", name)));
	}
	return typid;
}

/*
 * An expression over relid's columns as SQL text in which every function,
 * operator, type and relation is qualified with its schema, pg_catalog's
 * too: ruleutils qualifies what the search path would not find, so it
 * prints under an empty one.  Pasted into a policy or a view, the text means
 * the same under any search_path (a now() planted in a schema on it cannot
 * capture it).
 */
static char *
deparse_qualified(Node *expr, Oid relid)
{
	OverrideSearchPath *none = palloc0(sizeof(OverrideSearchPath));
	List	   *context = deparse_context_for(get_rel_name(relid), relid);
	char	   *volatile text = NULL;

	none->schemas = NIL;
	none->addCatalog = false;
	none->addTemp = false;
	PushOverrideSearchPath(none);
	PG_TRY();
	{
		text = deparse_expression(expr, context, false, false);
	}
	PG_FINALLY();
	{
		PopOverrideSearchPath();
	}
	PG_END_TRY();
	return text;
}

/* The rule over relid's columns as SQL text, as_of as given or now(). */
char *
segment_rule_sql(Datum rule, Oid relid, Oid fn_oid, Node *as_of)
{
	Oid			typid = relation_rowtype(relid);
	Node	   *expr;

	if (as_of == NULL)
		as_of = (Node *) makeFuncExpr(F_NOW, TIMESTAMPTZOID, NIL, InvalidOid, InvalidOid,
									  COERCE_EXPLICIT_CALL);
	expr = bind_rule(segment_rule_tree(rule), lookup_rowtype_tupdesc_copy(typid, -1), typid,
					 fn_oid, as_of, NULL);
	return deparse_qualified(expr, relid);
}

/*
 * segment_sql(rule, regclass [, as_of]): the native WHERE clause the rule
 * means on that relation, as the binder builds it and ruleutils prints it
 * (operators qualified where the search path would not find them).
 */
PG_FUNCTION_INFO_V1(segment_sql);
Datum
segment_sql(PG_FUNCTION_ARGS)
{
	Node	   *as_of = NULL;

	if (PG_NARGS() > 2)
		as_of = (Node *) makeConst(TIMESTAMPTZOID, -1, InvalidOid, sizeof(TimestampTz),
								   PG_GETARG_DATUM(2), false, FLOAT8PASSBYVAL);
	PG_RETURN_TEXT_P(cstring_to_text(segment_rule_sql(PG_GETARG_DATUM(0), PG_GETARG_OID(1),
											  fcinfo->flinfo->fn_oid, as_of)));
}

/* ---------------------------------------------------------------------------
 * Catalogues: segment_classify and segment_memberships
 * ---------------------------------------------------------------------------
 */

/*
 * A catalogue is two arrays of the same length, names and rules, in
 * priority order.  The rules compile once per call site and row type into
 * one BoundRow (a compiled expression per rule over one slot, the row
 * deformed once); the names are kept with it.
 */
/* the raw bytes of argument n, or NULL for an expanded object (no bytes) */
static Pointer
raw_argument(FunctionCallInfo fcinfo, int n, Size *len)
{
	Pointer		p = DatumGetPointer(PG_GETARG_DATUM(n));

	if (VARATT_IS_EXTERNAL_EXPANDED(p))
		return NULL;
	*len = VARSIZE_ANY(p);
	return p;
}

static void
remember(FunctionCallInfo fcinfo, LastCatalogue **last, MemoryContext cxt, RuleCacheEntry *e)
{
	Size		nl = 0,
				rl = 0;
	Pointer		n = raw_argument(fcinfo, 0, &nl);
	Pointer		r = raw_argument(fcinfo, 1, &rl);

	if (*last == NULL)
		*last = MemoryContextAllocZero(cxt, sizeof(LastCatalogue));
	(*last)->entry = e;
	if ((*last)->raw)
		pfree((*last)->raw);
	(*last)->raw = NULL;
	if (n && r)
	{
		(*last)->raw = MemoryContextAllocHuge(cxt, nl + rl);
		rule_memcpy_interruptible((*last)->raw, n, nl);
		rule_memcpy_interruptible((*last)->raw + nl, r, rl);
		(*last)->raw_names = nl;
		(*last)->raw_rules = rl;
	}
}

static BoundRow *
bound_catalogue(FunctionCallInfo fcinfo, Oid typid, int32 typmod, int first_value)
{
	MemoryContext lastcxt,
				old;
	LastCatalogue **last = (LastCatalogue **) rule_cache_user(fcinfo->flinfo, &lastcxt);
	ArrayType  *names;
	ArrayType  *rules;
	RuleCacheEntry *e;
	BoundRow   *b;
	Datum	   *rd;
	bool	   *rn;
	Datum	   *nd;
	bool	   *nn;
	int			nrules;
	int			nnames;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	struct varlena *key;
	Size		nl,
				rl;

	/* the very same arguments as on the last row, bytes as they arrived
	 * (compressed, or a toast pointer): nothing to detoast */
	if (*last != NULL && (*last)->raw != NULL)
	{
		LastCatalogue *l = *last;
		RuleCacheEntry *le = l->entry;
		Size		a = 0,
					bl = 0;
		Pointer		n = raw_argument(fcinfo, 0, &a);
		Pointer		r = raw_argument(fcinfo, 1, &bl);

		if (n && r && a == l->raw_names && bl == l->raw_rules &&
			le->typid == typid && le->typmod == typmod &&
			rule_memcmp_interruptible(l->raw, n, a) == 0 &&
			rule_memcmp_interruptible(l->raw + a, r, bl) == 0 &&
			le->data != NULL)
			return le->data;
	}

	names = PG_GETARG_ARRAYTYPE_P(0);
	rules = PG_GETARG_ARRAYTYPE_P(1);
	nl = VARSIZE(names);
	rl = VARSIZE(rules);

	/* the key: both arrays, names then rules */
	key = palloc(VARHDRSZ + nl + rl);
	SET_VARSIZE(key, VARHDRSZ + nl + rl);
	rule_memcpy_interruptible(VARDATA(key), names, nl);
	rule_memcpy_interruptible(VARDATA(key) + nl, rules, rl);
	e = rule_cache_get(fcinfo->flinfo, key, typid, typmod, release_bound_row);
	if (e->data != NULL)
	{
		remember(fcinfo, last, lastcxt, e);
		return e->data;
	}

	if (ARR_NDIM(rules) > 1 || ARR_NDIM(names) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a segment catalogue is two one-dimensional arrays")));
	get_typlenbyvalalign(ARR_ELEMTYPE(rules), &typlen, &typbyval, &typalign);
	deconstruct_array(rules, ARR_ELEMTYPE(rules), typlen, typbyval, typalign, &rd, &rn, &nrules);
	deconstruct_array(names, TEXTOID, -1, false, TYPALIGN_INT, &nd, &nn, &nnames);
	if (nrules != nnames)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a segment catalogue needs as many names as rules"),
				 errdetail("Found %d names and %d rules.", nnames, nrules)));
	for (int i = 0; i < nrules; i++)
	{
		if (i % 65536 == 0)
			CHECK_FOR_INTERRUPTS();
		if (rn[i] || nn[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("segment %d of the catalogue has a NULL %s", i + 1, rn[i] ? "rule" : "name")));
	}
	b = compile_rules(fcinfo, e, rd, nrules, typid, typmod, true, first_value);
	old = MemoryContextSwitchTo(e->cxt);
	b->names = palloc(sizeof(Datum) * Max(1, nrules));
	for (int i = 0; i < nrules; i++)
	{
		if (i % 65536 == 0)
			CHECK_FOR_INTERRUPTS();
		b->names[i] = datumCopy(nd[i], false, -1);
	}
	MemoryContextSwitchTo(old);
	e->data = b;
	remember(fcinfo, last, lastcxt, e);
	return b;
}

static Datum
catalogue(FunctionCallInfo fcinfo, bool all, const char *fname, bool values)
{
	Oid			typid;
	int32		typmod = -1;
	HeapTupleData tuple;
	BoundRow   *b;
	Datum	   *hits = NULL;
	int			nhits = 0;
	int			gids[GUARD_MAX_COLUMNS];
	const int  *cand;
	int			ncand;

	if (values)
	{
		/* (names, rules, as_of, NULL::rowtype, column values...) */
		typid = values_row_type(fcinfo, 3, fname);
		if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
			PG_RETURN_NULL();
		b = bound_catalogue(fcinfo, typid, typmod, 4);
		load_row(fcinfo, b, NULL, 2);
	}
	else
	{
		if (!row_argument(fcinfo, 2, fname, true, &typid, &typmod, &tuple) ||
			PG_ARGISNULL(0) || PG_ARGISNULL(1))
			PG_RETURN_NULL();
		b = bound_catalogue(fcinfo, typid, typmod, -1);
		load_row(fcinfo, b, &tuple, PG_NARGS() > 3 ? 3 : -1);
	}
	/* the guarded columns' values, each looked up once for the row */
	guards_row(b->guards, gids);
	if (all)
		hits = palloc(sizeof(Datum) * Max(1, b->nstates));
	cand = guards_candidates(b->guards, gids, b->slot, &ncand);
	for (int k = 0; k < ncand; k++)
	{
		int			i = cand[k];
		bool		isnull;
		Datum		r;

		CHECK_FOR_INTERRUPTS();	/* a catalogue may hold thousands of rules */
		if (!guards_pass(b->guards, i, gids, b->slot))
			continue;
		if (b->states[i] != NULL)
		{
			r = ExecEvalExprSwitchContext(b->states[i], b->econtext, &isnull);
			if (isnull || !DatumGetBool(r))
				continue;
		}
		if (!all)
		{
			unload_row(b);
			PG_RETURN_TEXT_P(DatumGetTextPCopy(b->names[i]));
		}
		hits[nhits++] = b->names[i];
	}
	unload_row(b);
	if (!all)
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(construct_array(hits, nhits, TEXTOID, -1, false, TYPALIGN_INT));
}

/* segment_classify(names, rules, row [, as_of]): the first segment whose rule
 * is true (NULL counts as not matching, as in WHERE), or NULL */
PG_FUNCTION_INFO_V1(segment_classify);
Datum
segment_classify(PG_FUNCTION_ARGS)
{
	return catalogue(fcinfo, false, "segment_classify", false);
}

/* segment_memberships(names, rules, row [, as_of]): every segment whose rule
 * is true, in catalogue order */
PG_FUNCTION_INFO_V1(segment_memberships);
Datum
segment_memberships(PG_FUNCTION_ARGS)
{
	return catalogue(fcinfo, true, "segment_memberships", false);
}

/*
 * segment_classify_values(names, rules, as_of, NULL::rowtype, VARIADIC
 * column values) and segment_memberships_values: what the planner makes of
 * segment_classify and segment_memberships over a table's row (see
 * segment_match_values).
 */
PG_FUNCTION_INFO_V1(segment_classify_values);
Datum
segment_classify_values(PG_FUNCTION_ARGS)
{
	return catalogue(fcinfo, false, "segment_classify_values", true);
}

PG_FUNCTION_INFO_V1(segment_memberships_values);
Datum
segment_memberships_values(PG_FUNCTION_ARGS)
{
	return catalogue(fcinfo, true, "segment_memberships_values", true);
}
