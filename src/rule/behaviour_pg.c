/*-------------------------------------------------------------------------
 *
 * behaviour_pg.c
 *	  Behavioural conditions of segment rules: a predicate over an aggregate
 *	  of a customer's events in a source (count(orders within 30 days) >= 3),
 *	  bound by the same binder as a predicate over a column.
 *
 * What one means is a correlated subquery over the source (doc/rules.md):
 *
 *	 P((SELECT agg FROM source e WHERE e.key = row.customer_key
 *		AND e.time <= as_of [AND window] [AND filter]))
 *
 * with count and sum 0 over no events.  The binder writes it in one of two
 * forms, from the same raw trees:
 *
 * - The planner's: correlated EXISTS SubLinks whose own query has no
 *	 aggregate, EXISTS (SELECT 1 FROM (SELECT e.key FROM source e WHERE ...
 *	 GROUP BY e.key HAVING P(agg)) g WHERE row.key = g.key), which the planner
 *	 plans two ways and chooses between by cost: one hashed set of keys (the
 *	 source read once per query) where it fits in hash_mem, or a probe per
 *	 customer (served by an index on the source's key).  Where P over no
 *	 events is false (count >= 3) that alone is the condition; where it is
 *	 true (count = 0), it is NOT EXISTS (... HAVING NOT P); where P or the
 *	 aggregate can be NULL, a CASE over the customers for whom P is true,
 *	 false, or who have events at all keeps SQL's three values exactly.
 *	 This is what segment_match inlines, segment_sql prints and
 *	 segment_estimate plans.
 * - The evaluator's: P over a Param, and beside it the query
 *	 SELECT agg FROM source e WHERE $2 = e.key AND ... that computes the
 *	 Param for one customer ($1 is as_of).  match_pg.c plans the query once per
 *	 call site and runs it when the expression first reads the Param for a
 *	 row, so that a condition that and/or short-circuits costs nothing.
 *
 * The event filter is a rule over the source's row type, bound by the same
 * binder against it (its Vars are those of the sub-select).  Sources are read
 * with the privileges of the role that binds the rule, and the sub-selects are
 * rewritten, so a view as a source is expanded and row-level security applies.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/relation.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/analyze.h"
#include "parser/parse_node.h"
#include "rewrite/rewriteHandler.h"
#include "rewrite/rewriteManip.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "bind_pg.h"

/* The aliases of the source and of its groups in the sub-selects. */
#define EVENT_ALIAS "segment_event"
#define GROUP_ALIAS "segment_customer"

/* The Param standing for as_of in a bound filter, until it is placed. */
#define AS_OF_PLACEHOLDER 0x5345474d

typedef struct RuleSource
{
	const char *name;
	Oid			relid;
	char	   *nspname;
	char	   *relname;
	TupleDesc	tupdesc;
	Oid			rowtype;
	char	   *event_key;
	char	   *event_time;		/* or NULL: no windows */
	char	   *customer_key;
} RuleSource;

bool
rule_has_behaviour(const RuleNode *n)
{
	check_stack_depth();
	if (n->agg != NULL)
		return true;
	for (int i = 0; i < n->nargs; i++)
		if (rule_has_behaviour(n->args[i]))
			return true;
	return false;
}

char *
rule_span_text(int32 count, int unit)
{
	static const char *const units[] = {NULL, "days", "weeks", "months"};

	Assert(unit >= RULE_UNIT_DAYS && unit <= RULE_UNIT_MONTHS);
	return psprintf("%d %s", count, units[unit]);
}

/* ---------------------------------------------------------------------------
 * Sources
 * ---------------------------------------------------------------------------
 */

static char *
spi_text(int col)
{
	char	   *v = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col);

	return v;					/* palloc'd in the caller's context by SPI */
}

/*
 * The source called name, from segment_source; 42P01 if there is none or its
 * relation is gone, 42501 if the role may not read it, 42703 for a key or
 * time column the relation no longer has.
 */
static RuleSource *
source_lookup(BindState *bs, const char *name)
{
	RuleSource *src = palloc0(sizeof(RuleSource));
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	bool		pushed = false;
	char	   *known = NULL;
	bool		found;
	Relation	rel;

	src->name = name;
	args[0] = CStringGetTextDatum(name);
	if (!ActiveSnapshotSet())
	{
		PushActiveSnapshot(GetTransactionSnapshot());
		pushed = true;
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args(psprintf("SELECT relation::oid, event_key::text, event_time::text, "
									   "customer_key::text FROM %s.segment_source WHERE name = $1",
									   quote_identifier(bs->schema)),
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading segment_source failed");
	found = SPI_processed == 1;
	if (found)
	{
		src->relid = (Oid) strtoul(spi_text(1), NULL, 10);
		src->event_key = SPI_palloc(NAMEDATALEN);
		strlcpy(src->event_key, spi_text(2), NAMEDATALEN);
		if (SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3) != NULL)
		{
			src->event_time = SPI_palloc(NAMEDATALEN);
			strlcpy(src->event_time, spi_text(3), NAMEDATALEN);
		}
		src->customer_key = SPI_palloc(NAMEDATALEN);
		strlcpy(src->customer_key, spi_text(4), NAMEDATALEN);
	}
	else if (SPI_execute(psprintf("SELECT string_agg(quote_ident(name), ', ' ORDER BY name) "
								  "FROM %s.segment_source", quote_identifier(bs->schema)),
						 true, 1) == SPI_OK_SELECT && SPI_processed == 1)
	{
		char	   *v = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		if (v != NULL)
		{
			known = SPI_palloc(strlen(v) + 1);
			strcpy(known, v);
		}
	}
	SPI_finish();
	if (pushed)
		PopActiveSnapshot();

	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("segment rule source \"%s\" does not exist", name),
				 known ? errhint("The declared sources are %s.", known)
				 : errhint("Declare a source of events with segment_source_add(name, relation, time_column).")));

	src->relname = get_rel_name(src->relid);
	if (src->relname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("the relation of segment rule source \"%s\" does not exist", name),
				 errhint("Declare the source again with segment_source_add.")));
	if (pg_class_aclcheck(src->relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK &&
		pg_attribute_aclcheck_all(src->relid, GetUserId(), ACL_SELECT, ACLMASK_ALL) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for table %s", src->relname),
				 errdetail("Segment rule source \"%s\" reads its events from it.", name),
				 errhint("A behavioural condition reads its source with the privileges of the role evaluating the rule.")));
	rel = relation_open(src->relid, AccessShareLock);
	src->tupdesc = CreateTupleDescCopy(RelationGetDescr(rel));
	src->rowtype = RelationGetForm(rel)->reltype;
	src->nspname = get_namespace_name(RelationGetNamespace(rel));
	relation_close(rel, NoLock);

	if (rule_find_attribute(src->tupdesc, src->event_key) < 0 ||
		(src->event_time && rule_find_attribute(src->tupdesc, src->event_time) < 0))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("relation %s of segment rule source \"%s\" has no column \"%s\"",
						src->relname, name,
						rule_find_attribute(src->tupdesc, src->event_key) < 0
						? src->event_key : src->event_time),
				 errhint("Declare the source again with segment_source_add.")));
	return src;
}

/* The type of column col of the source (42703 with the nearest names). */
static Form_pg_attribute
event_column(RuleSource *src, const char *col)
{
	int			i = rule_find_attribute(src->tupdesc, col);

	if (i < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("segment rule source \"%s\" has no column \"%s\"", src->name, col),
				 errhint("%s", nearest_names(src->tupdesc, col))));
	return TupleDescAttr(src->tupdesc, i);
}

/* ---------------------------------------------------------------------------
 * Raw trees of the sub-selects
 * ---------------------------------------------------------------------------
 */

static Node *
raw_event_col(const char *col)
{
	ColumnRef  *c = makeNode(ColumnRef);

	c->fields = list_make2(makeString(EVENT_ALIAS), makeString(pstrdup(col)));
	c->location = -1;
	return (Node *) c;
}

/* $2: the customer key in the evaluator's query */
static Node *
raw_key_param(void)
{
	ParamRef   *p = makeNode(ParamRef);

	p->number = 2;
	p->location = -1;
	return (Node *) p;
}

static FuncCall *
raw_catalog_call(const char *fname, List *args)
{
	return makeFuncCall(list_make2(makeString("pg_catalog"), makeString(pstrdup(fname))),
						args, COERCE_EXPLICIT_CALL, -1);
}

static SortBy *
raw_sort(Node *e, bool desc)
{
	SortBy	   *s = makeNode(SortBy);

	s->node = e;
	s->sortby_dir = desc ? SORTBY_DESC : SORTBY_ASC;
	s->sortby_nulls = SORTBY_NULLS_LAST;
	s->location = -1;
	return s;
}

static Node *
raw_int(int v)
{
	A_Const    *c = makeNode(A_Const);

	c->val.ival.type = T_Integer;
	c->val.ival.ival = v;
	c->location = -1;
	return (Node *) c;
}

/* The aggregate of a condition over the events of one customer. */
static Node *
raw_aggregate(RuleSource *src, const RuleAggregate *agg)
{
	FuncCall   *fc;

	switch (agg->kind)
	{
		case RULE_AGG_COUNT:
		case RULE_AGG_EXISTS:
			if (agg->column != NULL)
				return (Node *) raw_catalog_call("count", list_make1(raw_event_col(agg->column)));
			fc = raw_catalog_call("count", NIL);
			fc->agg_star = true;
			return (Node *) fc;
		case RULE_AGG_COUNT_DISTINCT:
			fc = raw_catalog_call("count", list_make1(raw_event_col(agg->column)));
			fc->agg_distinct = true;
			return (Node *) fc;
		case RULE_AGG_SUM:
			{
				CoalesceExpr *c = makeNode(CoalesceExpr);

				c->args = list_make2(raw_catalog_call("sum", list_make1(raw_event_col(agg->column))),
									 raw_int(0));
				c->location = -1;
				return (Node *) c;
			}
		case RULE_AGG_AVG:
			return (Node *) raw_catalog_call("avg", list_make1(raw_event_col(agg->column)));
		case RULE_AGG_MIN:
			return (Node *) raw_catalog_call("min", list_make1(raw_event_col(agg->column)));
		case RULE_AGG_MAX:
			return (Node *) raw_catalog_call("max", list_make1(raw_event_col(agg->column)));
		case RULE_AGG_FIRST:
		case RULE_AGG_LAST:
			{
				bool		last = agg->kind == RULE_AGG_LAST;
				A_Indirection *ind;
				A_Indices  *one;

				if (src->event_time == NULL)
					ereport(ERROR,
							(errcode(ERRCODE_DATATYPE_MISMATCH),
							 errmsg("segment rule source \"%s\" has no time column: %s needs one",
									src->name, last ? "last" : "first"),
							 errhint("Declare its time column with segment_source_add(name, relation, time_column).")));
				/* the time itself: its least or greatest value */
				if (strcmp(agg->column, src->event_time) == 0)
					return (Node *) raw_catalog_call(last ? "max" : "min",
													 list_make1(raw_event_col(agg->column)));
				/* otherwise the value of the earliest (latest) event, ties
				 * broken by the least (greatest) value, NULLs last */
				fc = raw_catalog_call("array_agg", list_make1(raw_event_col(agg->column)));
				fc->agg_order = list_make2(raw_sort(raw_event_col(src->event_time), last),
										   raw_sort(raw_event_col(agg->column), last));
				one = makeNode(A_Indices);
				one->uidx = raw_int(1);
				ind = makeNode(A_Indirection);
				ind->arg = (Node *) fc;
				ind->indirection = list_make1(one);
				return (Node *) ind;
			}
	}
	elog(ERROR, "unknown segment rule aggregate %d", (int) agg->kind);
	return NULL;
}

static Node *
raw_and(List *args)
{
	if (list_length(args) == 1)
		return linitial(args);
	return (Node *) makeBoolExpr(AND_EXPR, args, -1);
}

static Node *
raw_null_test(Node *arg, NullTestType t)
{
	NullTest   *nt = makeNode(NullTest);

	nt->arg = (Expr *) arg;
	nt->nulltesttype = t;
	nt->location = -1;
	return (Node *) nt;
}

/* The window of a condition: its time in [as_of - from, as_of] or
 * [as_of - from, as_of - to], the bounds computed once per query where once
 * is set (the planner's form, which reads the whole source); 42804 for a
 * source without a time column. */
static Node *
raw_window(RuleSource *src, const RuleAggregate *agg, bool once)
{
	if (src->event_time == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("segment rule source \"%s\" has no time column: a window needs one",
						src->name),
				 errhint("Declare its time column with segment_source_add(name, relation, time_column).")));
	return raw_time_window(raw_event_col(src->event_time), rule_span_text(agg->from, agg->unit),
						   agg->window == RULE_WINDOW_AGO ? rule_span_text(agg->to, agg->unit) : NULL,
						   once);
}

/*
 * SELECT target FROM source segment_event WHERE cond AND <window> AND
 * <filter> [GROUP BY key HAVING having]: the events of a condition.
 */
static SelectStmt *
raw_events_select(BindState *bs, RuleSource *src, const RuleAggregate *agg,
				  Node *target, Node *cond, Node *having)
{
	SelectStmt *s = makeNode(SelectStmt);
	ResTarget  *rt = makeNode(ResTarget);
	RangeVar   *rv = makeRangeVar(src->nspname, src->relname, -1);
	List	   *where = list_make1(cond);

	rt->val = target;
	rt->location = -1;
	rv->alias = makeAlias(EVENT_ALIAS, NIL);
	s->targetList = list_make1(rt);
	s->fromClause = list_make1(rv);
	if (agg->window != RULE_WINDOW_NONE)
		where = lappend(where, raw_window(src, agg, true));
	else if (src->event_time != NULL)
		where = lappend(where, raw_op("<=", raw_event_col(src->event_time), raw_as_of()));
	if (bs->filters != NIL)
		where = lappend(where, raw_named_ref(FILTER_REF " 0"));
	s->whereClause = raw_and(where);
	if (having != NULL)
	{
		s->groupClause = list_make1(raw_event_col(src->event_key));
		s->havingClause = having;
	}
	s->limitOption = LIMIT_OPTION_DEFAULT;
	s->op = SETOP_NONE;
	return s;
}

/*
 * Whether the customer has events of the condition: EXISTS (SELECT 1 FROM
 * source e WHERE key = e.key AND ...), or, with having, whether the customer
 * is among the groups of events that pass it:
 *
 *	 EXISTS (SELECT 1 FROM (SELECT e.key FROM source e WHERE e.key IS NOT NULL
 *			 AND ... GROUP BY e.key HAVING having) g WHERE key = g.key)
 *
 * A correlated EXISTS whose own query has no aggregate is what the planner
 * plans both ways and chooses between by cost (an AlternativeSubPlan): a
 * hashed set of the keys read once, when it fits in hash_mem, or a probe of
 * the source per customer (an index on the key serves it).  A NULL key
 * matches no events.
 */
static Node *
raw_exists_events(BindState *bs, RuleSource *src, const RuleAggregate *agg, Node *having)
{
	SubLink    *sl = makeNode(SubLink);

	sl->subLinkType = EXISTS_SUBLINK;
	sl->location = -1;
	if (having == NULL)
		sl->subselect = (Node *) raw_events_select(bs, src, agg, raw_int(1),
												   raw_op("=", raw_named_ref(KEY_REF),
														  raw_event_col(src->event_key)),
												   NULL);
	else
	{
		SelectStmt *inner = raw_events_select(bs, src, agg, raw_event_col(src->event_key),
											  raw_null_test(raw_event_col(src->event_key),
															IS_NOT_NULL),
											  having);
		RangeSubselect *rs = makeNode(RangeSubselect);
		SelectStmt *outer = makeNode(SelectStmt);
		ResTarget  *rt = makeNode(ResTarget);
		ColumnRef  *gk = makeNode(ColumnRef);

		castNode(ResTarget, linitial(inner->targetList))->name = "key";
		rs->subquery = (Node *) inner;
		rs->alias = makeAlias(GROUP_ALIAS, NIL);
		rt->val = raw_int(1);
		rt->location = -1;
		gk->fields = list_make2(makeString(GROUP_ALIAS), makeString("key"));
		gk->location = -1;
		outer->targetList = list_make1(rt);
		outer->fromClause = list_make1(rs);
		outer->whereClause = raw_op("=", raw_named_ref(KEY_REF), (Node *) gk);
		outer->limitOption = LIMIT_OPTION_DEFAULT;
		outer->op = SETOP_NONE;
		sl->subselect = (Node *) outer;
	}
	return (Node *) sl;
}

/* The predicate of n over a raw subject. */
static Node *
raw_condition(BindState *bs, const RuleNode *n, Node *subject, Oid type, int32 typmod)
{
	if (n->kind == RULE_IS_NULL)
		return raw_null_test(subject, n->negated ? IS_NOT_NULL : IS_NULL);
	return raw_predicate(bs, n, subject, type, typmod);
}

static Node *
raw_bool_test(Node *arg, BoolTestType t)
{
	BooleanTest *b = makeNode(BooleanTest);

	b->arg = (Expr *) arg;
	b->booltesttype = t;
	b->location = -1;
	return (Node *) b;
}

static Node *
raw_bool(bool v)
{
	A_Const    *c = makeNode(A_Const);

	c->val.boolval.type = T_Boolean;
	c->val.boolval.boolval = v;
	c->location = -1;
	return (Node *) c;
}

/* The value of the aggregate over no events: 0 for counts and sums, else
 * NULL, of the aggregate's type. */
static Node *
raw_empty_value(const RuleAggregate *agg, Oid type, int32 typmod)
{
	TypeCast   *tc = makeNode(TypeCast);
	A_Const    *c = makeNode(A_Const);

	c->location = -1;
	if (agg->kind == RULE_AGG_COUNT || agg->kind == RULE_AGG_COUNT_DISTINCT ||
		agg->kind == RULE_AGG_SUM || agg->kind == RULE_AGG_EXISTS)
	{
		c->val.ival.type = T_Integer;
		c->val.ival.ival = 0;
	}
	else
		c->isnull = true;
	tc->arg = (Node *) c;
	tc->typeName = makeTypeNameFromOid(type, typmod);
	tc->location = -1;
	return (Node *) tc;
}

static bool
has_null_literal(const RuleNode *n)
{
	for (int i = 0; i < n->nlits; i++)
		if (n->lits[i].kind == RULE_LIT_NULL)
			return true;
	return false;
}

/* ---------------------------------------------------------------------------
 * Binding
 * ---------------------------------------------------------------------------
 */

/* replace the as_of placeholder of a bound filter */
static Node *
place_as_of(Node *node, void *as_of)
{
	if (node == NULL)
		return NULL;
	if (IsA(node, Param) && ((Param *) node)->paramkind == PARAM_EXTERN &&
		((Param *) node)->paramid == AS_OF_PLACEHOLDER)
		return copyObject((Node *) as_of);
	return expression_tree_mutator(node, place_as_of, as_of);
}

Node *
rule_filter_at_level(BindState *bs, int i, int levels)
{
	Node	   *as_of = copyObject(bs->target->as_of);

	if (levels > 0)
		IncrementVarSublevelsUp(as_of, levels, 0);
	return place_as_of(copyObject(list_nth(bs->filters, i)), as_of);
}

/* The event filter, bound against the source's row type (varno 1 of the
 * sub-select), as_of a placeholder. */
static Node *
bind_filter(BindState *bs, RuleSource *src, const RuleNode *filter)
{
	RuleBindTarget t = *bs->target;
	Param	   *p = makeNode(Param);

	p->paramkind = PARAM_EXTERN;
	p->paramid = AS_OF_PLACEHOLDER;
	p->paramtype = TIMESTAMPTZOID;
	p->paramtypmod = -1;
	p->paramcollid = InvalidOid;
	p->location = -1;
	t.tupdesc = src->tupdesc;
	t.rowtype = src->rowtype;
	t.varno = 1;
	t.columns = NIL;
	t.as_of = (Node *) p;
	t.behaviours = NULL;
	return rule_bind(&t, filter);
}

/* Rewrite the sub-selects of SubLinks in place: views, row-level security. */
static bool
rewrite_sublinks(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, SubLink))
	{
		SubLink    *sl = (SubLink *) node;
		List	   *rewritten;

		if (expression_tree_walker(sl->testexpr, rewrite_sublinks, context))
			return true;
		rewritten = QueryRewrite(castNode(Query, sl->subselect));
		if (list_length(rewritten) != 1)
			elog(ERROR, "a behavioural condition rewrote to %d queries", list_length(rewritten));
		sl->subselect = linitial(rewritten);
		return false;
	}
	return expression_tree_walker(node, rewrite_sublinks, context);
}

/*
 * The aggregate's type, from parse analysis of SELECT agg FROM source:
 * a sum over text is 42804, naming the column.
 */
static Node *
probe_aggregate(BindState *bs, const RuleNode *n, RuleSource *src)
{
	SelectStmt *s = makeNode(SelectStmt);
	ResTarget  *rt = makeNode(ResTarget);
	RangeVar   *rv = makeRangeVar(src->nspname, src->relname, -1);
	ParseState *pstate = make_parsestate(NULL);
	MemoryContext cxt = CurrentMemoryContext;
	Query	   *q = NULL;

	rt->val = raw_aggregate(src, n->agg);
	rt->location = -1;
	rv->alias = makeAlias(EVENT_ALIAS, NIL);
	s->targetList = list_make1(rt);
	s->fromClause = list_make1(rv);
	PG_TRY();
	{
		q = transformStmt(pstate, (Node *) s);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_UNDEFINED_FUNCTION &&
			edata->sqlerrcode != ERRCODE_DATATYPE_MISMATCH)
			PG_RE_THROW();
		FlushErrorState();
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("segment rule cannot aggregate column \"%s\" of source \"%s\" this way",
						n->agg->column, src->name),
				 errdetail("%s", edata->message),
				 errhint("sum and avg take a numeric column; first and last a column with an order.")));
	}
	PG_END_TRY();
	free_parsestate(pstate);
	return (Node *) castNode(TargetEntry, linitial(q->targetList))->expr;
}

Node *
rule_bind_behaviour(BindState *bs, const RuleNode *n)
{
	const RuleAggregate *agg = n->agg;
	RuleSource *src = source_lookup(bs, agg->source);
	RulePath	keypath;
	char	   *keyname = src->customer_key;
	int			consumed;
	Node	   *probe;
	Oid			type;
	int32		typmod;
	Node	   *result;
	Node	   *raw;

	if (agg->column != NULL)
		(void) event_column(src, agg->column);
	if (agg->filter != NULL)
		bs->filters = list_make1(bind_filter(bs, src, agg->filter));
	if (rule_find_attribute(bs->target->tupdesc, keyname) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("segment rule source \"%s\" needs customer key \"%s\", which row type %s does not have",
						src->name, keyname, format_type_be(bs->target->rowtype)),
				 errhint("Match the rule against the customers the source's events refer to, or declare the source with the key this row type has.")));
	keypath.nparts = 1;
	keypath.parts = &keyname;
	bs->key = bind_path(bs, &keypath, &consumed);
	bs->key_type = exprType(bs->key);
	probe = probe_aggregate(bs, n, src);
	type = exprType(probe);
	typmod = exprTypmod(probe);

	if (bs->target->behaviours != NULL)
	{
		/* the evaluator's form: P($k); rule_behaviour_queries computes $k */
		RuleBehaviour *rb = palloc0(sizeof(RuleBehaviour));
		Param	   *p = makeNode(Param);

		p->paramkind = PARAM_EXTERN;
		p->paramid = 2 + list_length(*bs->target->behaviours);
		p->paramtype = type;
		p->paramtypmod = typmod;
		p->paramcollid = exprCollation(probe);
		p->location = -1;
		rb->paramid = p->paramid;
		rb->valtype = type;
		rb->key = bs->key;
		rb->source = src;
		rb->agg = agg;
		rb->filter = bs->filters ? linitial(bs->filters) : NULL;
		*bs->target->behaviours = lappend(*bs->target->behaviours, rb);
		bs->column = (Node *) p;
		if (n->kind == RULE_EXISTS)
			result = transform_predicate(bs, n, raw_op(">", raw_named_ref(ATTRIBUTE_REF), raw_int(0)), type);
		else
			result = transform_predicate(bs, n, raw_condition(bs, n, raw_named_ref(ATTRIBUTE_REF), type, typmod),
										 type);
	}
	else
	{
		/* the planner's form */
		bool		nullable = !(agg->kind == RULE_AGG_COUNT || agg->kind == RULE_AGG_COUNT_DISTINCT ||
								 agg->kind == RULE_AGG_SUM || agg->kind == RULE_AGG_EXISTS);
		bool		two_valued = n->kind == RULE_IS_NULL || (!nullable && !has_null_literal(n));
		Node	   *empty = NULL;

		if (n->kind != RULE_EXISTS)
			empty = eval_const_expressions(NULL,
										   transform_predicate(bs, n,
															   raw_condition(bs, n, raw_empty_value(agg, type, typmod),
																			 type, typmod),
															   type));
		if (n->kind == RULE_EXISTS)
			raw = raw_exists_events(bs, src, agg, NULL);
		else if (two_valued && IsA(empty, Const) && !((Const *) empty)->constisnull &&
				 !DatumGetBool(((Const *) empty)->constvalue))
			/* false over no events: the customers for whom it is true */
			raw = raw_exists_events(bs, src, agg,
									raw_condition(bs, n, raw_aggregate(src, agg), type, typmod));
		else if (two_valued && IsA(empty, Const) && !((Const *) empty)->constisnull)
			/* true over no events: all but those for whom it is false */
			raw = raw_not(raw_exists_events(bs, src, agg,
											raw_not(raw_condition(bs, n, raw_aggregate(src, agg),
																  type, typmod), true)),
						  true);
		else
		{
			/* three values: true, false, NULL for those with events; the
			 * value over no events for the others */
			CaseExpr   *c = makeNode(CaseExpr);
			CaseWhen   *w;

			for (int i = 0; i < 3; i++)
			{
				if (i == 2 && IsA(empty, Const) && ((Const *) empty)->constisnull)
					break;
				w = makeNode(CaseWhen);
				w->expr = (Expr *) raw_exists_events(bs, src, agg,
													 i == 2 ? NULL
													 : raw_bool_test(raw_condition(bs, n, raw_aggregate(src, agg),
																			   type, typmod),
																 i == 0 ? IS_TRUE : IS_FALSE));
				if (i < 2)
					w->result = (Expr *) raw_bool(i == 0);
				else
				{
					A_Const    *nc = makeNode(A_Const);

					nc->isnull = true;
					nc->location = -1;
					w->result = (Expr *) nc;
				}
				w->location = -1;
				c->args = lappend(c->args, w);
			}
			/* the value over no events, folded where it is a constant */
			if (IsA(empty, Const) && ((Const *) empty)->constisnull)
			{
				A_Const    *nc = makeNode(A_Const);

				nc->isnull = true;
				nc->location = -1;
				c->defresult = (Expr *) nc;
			}
			else if (IsA(empty, Const))
				c->defresult = (Expr *) raw_bool(DatumGetBool(((Const *) empty)->constvalue));
			else
				c->defresult = (Expr *) raw_condition(bs, n, raw_empty_value(agg, type, typmod),
													  type, typmod);
			c->location = -1;
			raw = (Node *) c;
		}
		result = transform_predicate(bs, n, raw, type);
		(void) rewrite_sublinks(result, NULL);
	}
	bs->filters = NIL;
	bs->key = NULL;
	bs->key_type = InvalidOid;
	bs->key_param = NULL;
	return result;
}

/*
 * The trigger on segment_source: a plan that inlined a behavioural condition
 * depends on the table (segment_match_support records it), so a change of a
 * source's declaration invalidates the table's relcache entry, and with it
 * every cached plan that read a declaration.
 */
PG_FUNCTION_INFO_V1(segment_source_changed);
Datum
segment_source_changed(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("segment_source_changed must be called as a trigger")));
	CacheInvalidateRelcache(((TriggerData *) fcinfo->context)->tg_relation);
	return PointerGetDatum(NULL);
}

/* ---------------------------------------------------------------------------
 * The evaluator's queries
 * ---------------------------------------------------------------------------
 */

/* agg with FILTER (WHERE cond) on its aggregate call */
static Node *
raw_aggregate_where(RuleSource *src, const RuleAggregate *agg, Node *cond)
{
	Node	   *a = raw_aggregate(src, agg);
	Node	   *call = a;

	if (cond == NULL)
		return a;
	if (IsA(call, CoalesceExpr))
		call = linitial(((CoalesceExpr *) call)->args);
	else if (IsA(call, A_Indirection))
		call = ((A_Indirection *) call)->arg;
	castNode(FuncCall, call)->agg_filter = cond;
	return a;
}

/*
 * One query per source and customer key for the behaviours of a call site,
 * in order of first appearance:
 *
 *	 SELECT agg1 FILTER (WHERE window1 AND filter1), ... FROM source e
 *	 WHERE $2 = e.key AND e.time <= $1 [AND e.time >= LEAST(lower bounds)]
 *
 * (the last where every condition has a window),
 * so that a customer's events are read once for every condition on the
 * source (a catalogue of twenty segments over orders reads a customer's
 * orders once), by an index on (key, time) where there is one.
 */
List *
rule_behaviour_queries(const RuleBindTarget *target, List *behaviours)
{
	List	   *result = NIL;
	List	   *pending = list_copy(behaviours);

	while (pending != NIL)
	{
		RuleBehaviour *first = linitial(pending);
		RuleSource *src = first->source;
		RuleEventQuery *eq = palloc0(sizeof(RuleEventQuery));
		BindState	bs;
		SelectStmt *s = makeNode(SelectStmt);
		RangeVar   *rv = makeRangeVar(src->nspname, src->relname, -1);
		Param	   *kp = makeNode(Param);
		List	   *where;
		List	   *lows = NIL;		/* the windows' lower bounds */
		bool		all_windowed = true;
		List	   *rest = NIL;
		ListCell   *lc;
		List	   *rewritten;

		memset(&bs, 0, sizeof(bs));
		bs.target = target;
		bs.key = first->key;
		bs.key_type = exprType(first->key);
		kp->paramkind = PARAM_EXTERN;
		kp->paramid = 2;
		kp->paramtype = bs.key_type;
		kp->paramtypmod = exprTypmod(first->key);
		kp->paramcollid = exprCollation(first->key);
		kp->location = -1;
		bs.key_param = (Node *) kp;
		eq->key = first->key;
		eq->keytype = bs.key_type;
		eq->paramids = palloc(sizeof(int) * list_length(pending));

		foreach(lc, pending)
		{
			RuleBehaviour *rb = lfirst(lc);
			List	   *cond = NIL;
			ResTarget  *rt;

			if (rb->source->relid != src->relid || !equal(rb->key, first->key))
			{
				rest = lappend(rest, rb);
				continue;
			}
			if (rb->agg->window != RULE_WINDOW_NONE)
			{
				cond = lappend(cond, raw_window(src, rb->agg, false));
				lows = lappend(lows, raw_as_of_minus(rule_span_text(rb->agg->from, rb->agg->unit),
													 false));
			}
			else
				all_windowed = false;
			if (rb->filter != NULL)
			{
				cond = lappend(cond, raw_named_ref(psprintf("%s %d", FILTER_REF,
															list_length(bs.filters))));
				bs.filters = lappend(bs.filters, rb->filter);
			}
			rt = makeNode(ResTarget);
			rt->val = raw_aggregate_where(src, rb->agg, cond ? raw_and(cond) : NULL);
			rt->location = -1;
			s->targetList = lappend(s->targetList, rt);
			eq->paramids[eq->ncols++] = rb->paramid;
		}
		list_free(pending);
		pending = rest;

		rv->alias = makeAlias(EVENT_ALIAS, NIL);
		s->fromClause = list_make1(rv);
		where = list_make1(raw_op("=", raw_key_param(), raw_event_col(src->event_key)));
		if (src->event_time != NULL)
			where = lappend(where, raw_op("<=", raw_event_col(src->event_time), raw_as_of()));
		if (all_windowed && lows != NIL)
		{
			/* every condition has a window: read only the events from the
			 * earliest of them on, an index range on (key, time) */
			MinMaxExpr *least = makeNode(MinMaxExpr);

			least->op = IS_LEAST;
			least->args = lows;
			least->location = -1;
			where = lappend(where, raw_op(">=", raw_event_col(src->event_time), (Node *) least));
		}
		s->whereClause = raw_and(where);
		s->limitOption = LIMIT_OPTION_DEFAULT;
		s->op = SETOP_NONE;

		eq->query = rule_analyze_select(&bs, s);
		rewritten = QueryRewrite(eq->query);
		if (list_length(rewritten) != 1)
			elog(ERROR, "the events of a segment rule source rewrote to %d queries",
				 list_length(rewritten));
		eq->query = linitial_node(Query, rewritten);
		result = lappend(result, eq);
		CHECK_FOR_INTERRUPTS();
	}
	return result;
}
