/*-------------------------------------------------------------------------
 *
 * bind_pg.c
 *	  The binder: a segment rule over a row type becomes the PostgreSQL
 *	  boolean expression that the rule reads like.
 *
 * One idea: a rule is SQL's WHERE with fewer words, so the binder does not
 * reimplement SQL's typing; it writes the raw parse tree that the SQL parser
 * would have produced for the predicate (column op 'literal', col in (...),
 * col like '...') and hands it to transformExpr.  Operators are then
 * resolved, untyped literals read with the column type's input function and
 * implicit casts chosen exactly as for a hand-written WHERE.  The leaves are
 * the attribute (a Var, or FieldSelects into composite columns) and as_of,
 * written as a ColumnRef and a ParamRef that the parser hooks of the
 * ParseState answer with the bound expressions.
 *
 * Two things a hand-written WHERE does not do:
 *
 * - Operator names are looked up with the search path narrowed to
 *   pg_catalog and the schema of the attribute's type, so that a stored
 *   rule means the same thing to every user and an operator planted in a
 *   schema on someone's search_path cannot capture it.
 * - What SQL has no operator for is a call of one of the extension's own
 *   functions, qualified with its schema: ~= and ilike (ICU, icu_pg.c), and
 *   a predicate on a path into a jsonb column, which becomes
 *   segment_match('<the predicate, path shortened>', column, as_of) over
 *   the jsonb evaluator (jsonb_pg.c).
 *
 * Errors name the attribute and the row type; each predicate is bound under
 * an error context that quotes it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "parser/parse_coerce.h"
#include "parser/parse_collate.h"
#include "parser/parse_expr.h"
#include "parser/analyze.h"
#include "parser/parse_node.h"
#include "rewrite/rewriteManip.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
#include "utils/varlena.h"

#include "bind_pg.h"

/* What the error context of one predicate quotes. */
typedef struct PredicateContext
{
	const RuleNode *node;
	Oid			coltype;
} PredicateContext;

static Node *bind_node(BindState *bs, const RuleNode *node);

/* How many query levels pstate is below the binder's own. */
static int
levels_below(BindState *bs, ParseState *pstate)
{
	int			levels = 0;

	for (; pstate != NULL && pstate != bs->pstate; pstate = pstate->parentParseState)
		levels++;
	return levels;
}

/* e, an expression of the binder's level, as seen from levels below it */
static Node *
at_level(Node *e, int levels)
{
	e = copyObject(e);
	if (levels > 0)
		IncrementVarSublevelsUp(e, levels, 0);
	return e;
}

/*
 * transformExpr takes Vars and FieldSelects as they are, but not a Param:
 * the raw trees name as_of as $1 (and, in the query of a behavioural
 * condition, the customer key as $2), and this hook answers with the
 * target's expressions, adjusted to the query level that refers to them.
 */
static Node *
as_of_paramref(ParseState *pstate, ParamRef *pref)
{
	BindState  *bs = pstate->p_ref_hook_state;

	if (pref->number == 1)
		return at_level(bs->target->as_of, levels_below(bs, pstate));
	if (pref->number == 2 && bs->key_param != NULL)
		return copyObject(bs->key_param);
	return NULL;
}

/*
 * The ColumnRefs the raw trees use for what is already bound: the attribute
 * of the predicate, and for behavioural conditions the customer key and the
 * event filter.  None is a name a rule can reach: each has a space.
 */
static Node *
attribute_columnref(ParseState *pstate, ColumnRef *cref)
{
	BindState  *bs = pstate->p_ref_hook_state;
	const char *name;

	if (list_length(cref->fields) != 1 || !IsA(linitial(cref->fields), String))
		return NULL;
	name = strVal(linitial(cref->fields));
	if (strcmp(name, ATTRIBUTE_REF) == 0)
		return copyObject(bs->column);
	if (strcmp(name, KEY_REF) == 0 && bs->key != NULL)
		return at_level(bs->key, levels_below(bs, pstate));
	if (strncmp(name, FILTER_REF " ", strlen(FILTER_REF) + 1) == 0)
	{
		int			i = atoi(name + strlen(FILTER_REF) + 1);

		if (i >= 0 && i < list_length(bs->filters))
			return rule_filter_at_level(bs, i, levels_below(bs, pstate));
	}
	return NULL;
}

Node *
raw_named_ref(const char *name)
{
	ColumnRef  *c = makeNode(ColumnRef);

	c->fields = list_make1(makeString(pstrdup(name)));
	c->location = -1;
	return (Node *) c;
}

static Node *
raw_column(void)
{
	return raw_named_ref(ATTRIBUTE_REF);
}

Node *
raw_as_of(void)
{
	ParamRef   *p = makeNode(ParamRef);

	p->number = 1;
	p->location = -1;
	return (Node *) p;
}

void
rule_bind_target_init(RuleBindTarget *target, Oid any_fn_oid)
{
	memset(target, 0, sizeof(*target));
	target->namespace = get_func_namespace(any_fn_oid);
	target->rule_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
										CStringGetDatum("segment_rule"),
										ObjectIdGetDatum(target->namespace));
	if (!OidIsValid(target->rule_type))
		elog(ERROR, "type segment_rule not found in the schema of function %u",
			 any_fn_oid);
}

char *
rule_within_text(const RuleNode *n)
{
	static const char *const units[] = {NULL, "days", "weeks", "months"};

	return psprintf("%s %s", n->lits[0].text, units[n->unit]);
}

/* What a predicate is about, for messages: its path, or its aggregate
 * ("sum(orders.amount)"). */
char *
rule_subject_string(const RuleNode *n)
{
	static const char *const aggs[] = {NULL, "count", "count", "sum", "avg", "min", "max",
	"first", "last", "exists"};
	const RuleAggregate *a = n->agg;

	if (a == NULL)
		return rule_path_string(&n->path);
	return psprintf("%s(%s%s%s%s)", aggs[a->kind],
					a->kind == RULE_AGG_COUNT_DISTINCT ? "distinct " : "",
					a->source, a->column ? "." : "", a->column ? a->column : "");
}

char *
rule_path_string(const RulePath *path)
{
	StringInfoData s;

	initStringInfo(&s);
	for (int i = 0; i < path->nparts; i++)
	{
		if (i > 0)
			appendStringInfoChar(&s, '.');
		appendStringInfoString(&s, path->parts[i]);
	}
	return s.data;
}

/* ---------------------------------------------------------------------------
 * Attributes
 * ---------------------------------------------------------------------------
 */

/*
 * The hint of an unknown attribute: the nearest names of the row type (by
 * Levenshtein distance, at most a third of the name's length, at least 2),
 * or, when none is near, the first names it has.
 */
char *
nearest_names(TupleDesc tupdesc, const char *name)
{
	int			len = strlen(name);
	int			maxd = Max(2, len / 3);
	int			best = maxd + 1;
	StringInfoData near;
	StringInfoData all;
	int			nnear = 0;
	int			nall = 0;

	initStringInfo(&near);
	initStringInfo(&all);
	/* two passes: find the best distance, then list the names at it */
	for (int pass = 0; pass < 2; pass++)
	{
		for (int i = 0; i < tupdesc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(tupdesc, i);
			const char *an = NameStr(att->attname);
			int			d;

			if (att->attisdropped)
				continue;
			d = varstr_levenshtein_less_equal(name, len, an, strlen(an),
											  1, 1, 1, maxd, true);
			if (pass == 0)
			{
				best = Min(best, d);
				if (nall < 10)
					appendStringInfo(&all, "%s\"%s\"", nall++ ? ", " : "", an);
			}
			else if (d == best && nnear < 5)
				appendStringInfo(&near, "%s\"%s\"", nnear++ ? ", " : "", an);
		}
		if (best > maxd)
			break;
	}
	if (nnear > 0)
		return psprintf("Perhaps you meant %s.", near.data);
	if (nall > 0)
		return psprintf("Its attributes include %s.", all.data);
	return pstrdup("It has no attributes.");
}

int
rule_find_attribute(TupleDesc tupdesc, const char *name)
{
	for (int i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);

		if (!att->attisdropped && strcmp(NameStr(att->attname), name) == 0)
			return i;
	}
	return -1;
}

/*
 * The expression of the longest prefix of a path that SQL can reach: the
 * column, then a FieldSelect per part into composite types.  Stops at a
 * jsonb value with parts left (*consumed tells how many were used); the
 * jsonb evaluator takes the rest.
 */
Node *
bind_path(BindState *bs, const RulePath *path, int *consumed)
{
	const RuleBindTarget *t = bs->target;
	TupleDesc	tupdesc = t->tupdesc;
	Oid			tuptype = t->rowtype;
	Node	   *expr = NULL;
	int			i;

	for (i = 0; i < path->nparts; i++)
	{
		const char *part = path->parts[i];
		int			attno = rule_find_attribute(tupdesc, part);
		Form_pg_attribute att;

		if (attno < 0)
		{
			char	   *hint = nearest_names(tupdesc, part);

			if (i == 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("segment rule attribute \"%s\" does not exist in row type %s",
								part, format_type_be(tuptype)),
						 errhint("%s", hint)));
			else
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("segment rule attribute \"%s\": field \"%s\" does not exist in type %s",
								rule_path_string(path), part, format_type_be(tuptype)),
						 errhint("%s", hint)));
		}
		att = TupleDescAttr(tupdesc, attno);
		if (expr == NULL && t->columns != NIL)
		{
			if (att->attnum > list_length(t->columns))
				elog(ERROR, "row expression has %d columns, attribute \"%s\" is number %d",
					 list_length(t->columns), part, att->attnum);
			expr = copyObject(list_nth(t->columns, att->attnum - 1));
		}
		else if (expr == NULL)
			expr = (Node *) makeVar(t->varno, att->attnum, att->atttypid,
									att->atttypmod, att->attcollation, 0);
		else
		{
			FieldSelect *fs = makeNode(FieldSelect);

			fs->arg = (Expr *) expr;
			fs->fieldnum = att->attnum;
			fs->resulttype = att->atttypid;
			fs->resulttypmod = att->atttypmod;
			fs->resultcollid = att->attcollation;
			expr = (Node *) fs;
		}

		if (i + 1 < path->nparts)
		{
			int32		typmod = att->atttypmod;
			Oid			base = getBaseTypeAndTypmod(att->atttypid, &typmod);

			if (base == JSONBOID)
			{
				i++;
				break;
			}
			if (!type_is_rowtype(base))
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("segment rule attribute \"%s\": \"%s\" is of type %s, which has no fields",
								rule_path_string(path), part, format_type_be(att->atttypid)),
						 errhint("A dotted path reaches into composite and jsonb columns.")));
			tupdesc = lookup_rowtype_tupdesc_copy(base, typmod);
			tuptype = att->atttypid;
		}
	}
	*consumed = i;
	return expr;
}

/* ---------------------------------------------------------------------------
 * Raw parse nodes
 * ---------------------------------------------------------------------------
 */

Node *
raw_string(const char *s)
{
	A_Const    *c = makeNode(A_Const);

	c->val.sval.type = T_String;
	c->val.sval.sval = pstrdup(s);
	c->location = -1;
	return (Node *) c;
}

/* A literal as the SQL parser reads the same token: a string is untyped,
 * a number is int4, int8 or numeric by its size and form, true/false are
 * boolean, null is an untyped NULL. */
Node *
raw_literal(const RuleLiteral *lit)
{
	A_Const    *c = makeNode(A_Const);

	c->location = -1;
	switch (lit->kind)
	{
		case RULE_LIT_STRING:
			return raw_string(lit->text);
		case RULE_LIT_NUMBER:
			{
				char	   *end;
				long		v;

				errno = 0;
				v = strtol(lit->text, &end, 10);
				if (errno == 0 && *end == '\0' && v >= PG_INT32_MIN && v <= PG_INT32_MAX)
				{
					c->val.ival.type = T_Integer;
					c->val.ival.ival = (int) v;
				}
				else
				{
					c->val.fval.type = T_Float;
					c->val.fval.fval = pstrdup(lit->text);
				}
				break;
			}
		case RULE_LIT_BOOL:
			c->val.boolval.type = T_Boolean;
			c->val.boolval.boolval = (strcmp(lit->text, "true") == 0);
			break;
		case RULE_LIT_NULL:
			c->isnull = true;
			break;
	}
	return (Node *) c;
}

Node *
raw_op(const char *op, Node *l, Node *r)
{
	return (Node *) makeSimpleA_Expr(AEXPR_OP, pstrdup(op), l, r, -1);
}

const char *
cmp_op_name(RuleCmpOp op)
{
	switch (op)
	{
		case RULE_OP_EQ:
			return "=";
		case RULE_OP_NE:
			return "<>";
		case RULE_OP_LT:
			return "<";
		case RULE_OP_LE:
			return "<=";
		case RULE_OP_GT:
			return ">";
		case RULE_OP_GE:
			return ">=";
	}
	elog(ERROR, "unknown segment rule operator %d", (int) op);
	return NULL;
}

/* A call of one of the extension's functions, qualified with its schema. */
Node *
raw_own_call(BindState *bs, const char *fname, List *args)
{
	return (Node *) makeFuncCall(list_make2(makeString(bs->schema), makeString(pstrdup(fname))),
								 args, COERCE_EXPLICIT_CALL, -1);
}

Node *
raw_not(Node *arg, bool negate)
{
	return negate ? (Node *) makeBoolExpr(NOT_EXPR, list_make1(arg), -1) : arg;
}

/* as_of - 'span'::interval, or with once, (SELECT as_of - 'span'::interval):
 * a scalar sub-select the planner evaluates once per query (an InitPlan)
 * instead of once per row it is compared with */
Node *
raw_as_of_minus(const char *span, bool once)
{
	TypeCast   *iv = makeNode(TypeCast);
	Node	   *e;
	SelectStmt *s;
	ResTarget  *rt;
	SubLink    *sl;

	iv->arg = raw_string(span);
	iv->typeName = makeTypeNameFromOid(INTERVALOID, -1);
	iv->location = -1;
	e = raw_op("-", raw_as_of(), (Node *) iv);
	if (!once)
		return e;
	rt = makeNode(ResTarget);
	rt->val = e;
	rt->location = -1;
	s = makeNode(SelectStmt);
	s->targetList = list_make1(rt);
	s->limitOption = LIMIT_OPTION_DEFAULT;
	s->op = SETOP_NONE;
	sl = makeNode(SubLink);
	sl->subLinkType = EXPR_SUBLINK;
	sl->subselect = (Node *) s;
	sl->location = -1;
	return (Node *) sl;
}

/*
 * col in [as_of - from, as_of] (to NULL: what within means), or in
 * [as_of - from, as_of - to]; from and to are interval text ("30 days").
 * With once, the bounds are computed once per query (see raw_as_of_minus):
 * for the sub-selects of behavioural conditions, which compare them with
 * every event of a source.
 */
Node *
raw_time_window(Node *col, const char *from, const char *to, bool once)
{
	return (Node *) makeBoolExpr(AND_EXPR,
								 list_make2(raw_op(">=", col, raw_as_of_minus(from, once)),
											raw_op("<=", col,
												   to ? raw_as_of_minus(to, once) : raw_as_of())),
								 -1);
}

/*
 * A LIKE pattern matching s literally (%, _ and backslash escaped): anywhere
 * (%s%), at the start (s%) or at the end (%s).
 */
static char *
like_pattern(const char *s, bool at_start, bool at_end)
{
	StringInfoData p;

	initStringInfo(&p);
	if (!at_start)
		appendStringInfoChar(&p, '%');
	for (; *s; s++)
	{
		if (*s == '%' || *s == '_' || *s == '\\')
			appendStringInfoChar(&p, '\\');
		appendStringInfoChar(&p, *s);
	}
	if (!at_end)
		appendStringInfoChar(&p, '%');
	return p.data;
}

void
datatype_mismatch(const RuleNode *node, Oid coltype, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("segment rule attribute \"%s\" is of type %s, %s",
					rule_subject_string(node), format_type_be(coltype), what)));
}

/*
 * The raw tree of one predicate over subject col (a raw expression: the
 * bound attribute bs->column, or a behavioural condition's aggregate), of
 * type coltype and typmod coltypmod.
 */
Node *
raw_predicate(BindState *bs, const RuleNode *n, Node *col, Oid coltype, int32 coltypmod)
{
	int32		basemod = coltypmod;
	Oid			base = getBaseTypeAndTypmod(coltype, &basemod);

	switch (n->kind)
	{
		case RULE_CMP:
			return raw_op(cmp_op_name(n->op), col, raw_literal(&n->lits[0]));

		case RULE_IN:
			{
				List	   *lits = NIL;

				for (int i = 0; i < n->nlits; i++)
					lits = lappend(lits, raw_literal(&n->lits[i]));
				return (Node *) makeSimpleA_Expr(AEXPR_IN, n->negated ? "<>" : "=",
												 col, (Node *) lits, -1);
			}

		case RULE_BETWEEN:
			/* as the SQL parser expands it: a >= x and a <= y, or its negation
			 * a < x or a > y */
			if (!n->negated)
				return (Node *) makeBoolExpr(AND_EXPR,
											 list_make2(raw_op(">=", col, raw_literal(&n->lits[0])),
														raw_op("<=", col, raw_literal(&n->lits[1]))),
											 -1);
			return (Node *) makeBoolExpr(OR_EXPR,
										 list_make2(raw_op("<", col, raw_literal(&n->lits[0])),
													raw_op(">", col, raw_literal(&n->lits[1]))),
										 -1);

		case RULE_LIKE:
			return raw_op(n->negated ? "!~~" : "~~", col, raw_literal(&n->lits[0]));

		case RULE_ILIKE:
		case RULE_ICU_EQ:
			if (TypeCategory(base) != TYPCATEGORY_STRING)
				datatype_mismatch(n, coltype, n->kind == RULE_ILIKE
								  ? "not text: ilike compares text"
								  : "not text: ~= compares text");
			return raw_not(raw_own_call(bs, n->kind == RULE_ILIKE ? "segment_icu_ilike" : "segment_icu_equal",
										list_make3(col, raw_literal(&n->lits[0]),
												   raw_string(n->locale ? n->locale : ""))),
						   n->negated);

		case RULE_CONTAINS:
		case RULE_CONTAINS_ANY:
		case RULE_CONTAINS_ALL:
			if (OidIsValid(get_element_type(base)))
			{
				/* col @> ARRAY[...]::coltype, or && for any: what a GIN index
				 * on the array column serves */
				A_ArrayExpr *arr = makeNode(A_ArrayExpr);
				TypeCast   *tc = makeNode(TypeCast);

				arr->location = -1;
				for (int i = 0; i < n->nlits; i++)
					arr->elements = lappend(arr->elements, raw_literal(&n->lits[i]));
				tc->arg = (Node *) arr;
				tc->typeName = makeTypeNameFromOid(base, basemod);
				tc->location = -1;
				return raw_op(n->kind == RULE_CONTAINS_ANY ? "&&" : "@>", col, (Node *) tc);
			}
			if (TypeCategory(base) == TYPCATEGORY_STRING)
			{
				/* a substring: col like '%lit%' for each literal */
				List	   *likes = NIL;

				for (int i = 0; i < n->nlits; i++)
				{
					const RuleLiteral *lit = &n->lits[i];
					Node	   *pat = lit->kind == RULE_LIT_NULL ? raw_literal(lit)
						: raw_string(like_pattern(lit->text, false, false));

					likes = lappend(likes, raw_op("~~", col, pat));
				}
				if (list_length(likes) == 1)
					return linitial(likes);
				return (Node *) makeBoolExpr(n->kind == RULE_CONTAINS_ALL ? AND_EXPR : OR_EXPR,
											 likes, -1);
			}
			datatype_mismatch(n, coltype,
							  "not an array or text: contains tests array membership or a substring");
			break;

		case RULE_WITHIN:
			if (base != DATEOID && base != TIMESTAMPOID && base != TIMESTAMPTZOID)
				datatype_mismatch(n, coltype,
								  "not a date or timestamp: within needs one");
			return raw_time_window(col, rule_within_text(n), NULL, false);

		case RULE_MATCHES:
			return raw_op(n->negated ? "!~" : "~", col, raw_literal(&n->lits[0]));

		case RULE_STARTS_WITH:
		case RULE_ENDS_WITH:
			if (TypeCategory(base) != TYPCATEGORY_STRING)
				datatype_mismatch(n, coltype, n->kind == RULE_STARTS_WITH
								  ? "not text: starts with compares text"
								  : "not text: ends with compares text");
			return raw_op("~~", col,
						  raw_string(like_pattern(n->lits[0].text, n->kind == RULE_STARTS_WITH,
												  n->kind == RULE_ENDS_WITH)));

		case RULE_BOOL_ATTR:
			if (base != BOOLOID)
				datatype_mismatch(n, coltype,
								  "not boolean: a bare attribute must be boolean (compare it instead)");
			return col;

		case RULE_IS_NULL:
		case RULE_EXISTS:
		case RULE_AND:
		case RULE_OR:
		case RULE_NOT:
			break;
	}
	elog(ERROR, "unexpected segment rule node %d", (int) n->kind);
	return NULL;
}

/* ---------------------------------------------------------------------------
 * Binding one predicate
 * ---------------------------------------------------------------------------
 */

static void
predicate_error_context(void *arg)
{
	PredicateContext *pc = arg;

	if (OidIsValid(pc->coltype))
		errcontext("segment rule predicate \"%s\" on attribute \"%s\" of type %s",
				   rule_print(pc->node), rule_subject_string(pc->node),
				   format_type_be(pc->coltype));
	else
		errcontext("segment rule predicate \"%s\"", rule_print(pc->node));
}

static Oid
type_namespace(Oid typid)
{
	HeapTuple	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
	Oid			nsp;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", typid);
	nsp = ((Form_pg_type) GETSTRUCT(tup))->typnamespace;
	ReleaseSysCache(tup);
	return nsp;
}

/*
 * The schemas operators of this predicate are looked up in: pg_catalog,
 * then the schema of the attribute's (base, element) type.
 */
static List *
add_type_schema(List *schemas, Oid typid)
{
	Oid			t = getBaseType(typid);
	Oid			elem = get_element_type(t);
	Oid			nsp;

	if (OidIsValid(elem))
		t = getBaseType(elem);
	nsp = type_namespace(t);
	if (OidIsValid(nsp))
		schemas = list_append_unique_oid(schemas, nsp);
	return schemas;
}

/*
 * (For a behavioural condition, the customer key's type too: its = compares
 * the key with the events'.)
 */
static OverrideSearchPath *
operator_search_path(Oid coltype, Oid keytype)
{
	OverrideSearchPath *osp = palloc0(sizeof(OverrideSearchPath));

	osp->schemas = list_make1_oid(PG_CATALOG_NAMESPACE);
	osp->schemas = add_type_schema(osp->schemas, coltype);
	if (OidIsValid(keytype))
		osp->schemas = add_type_schema(osp->schemas, keytype);
	osp->addCatalog = false;
	osp->addTemp = false;
	return osp;
}

/*
 * transformExpr of a raw tree under the narrowed search path; "operator
 * does not exist" (42883) becomes the rule language's type mismatch
 * (42804), naming the attribute.
 */
Node *
transform_narrowed(BindState *bs, const RuleNode *n, Node *raw, Oid coltype)
{
	MemoryContext cxt = CurrentMemoryContext;
	OverrideSearchPath *osp = operator_search_path(coltype, bs->key_type);
	volatile bool pushed = false;
	Node	   *result = NULL;

	PG_TRY();
	{
		PushOverrideSearchPath(osp);
		pushed = true;
		result = transformExpr(bs->pstate, raw, EXPR_KIND_WHERE);
		assign_expr_collations(bs->pstate, result);
		PopOverrideSearchPath();
		pushed = false;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		if (pushed)
			PopOverrideSearchPath();
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_UNDEFINED_FUNCTION)
			PG_RE_THROW();
		FlushErrorState();
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("segment rule cannot compare attribute \"%s\" of type %s this way",
						rule_subject_string(n), format_type_be(coltype)),
				 errdetail("%s", edata->message),
				 errhint("A literal is read as a value of the attribute's type: quote it as that type reads it.")));
	}
	PG_END_TRY();
	return result;
}

/*
 * Parse analysis of a whole SELECT under the binder's hooks (as_of $1, the
 * key $2, the filters) and the search path narrowed to pg_catalog and the
 * key type's schema: the evaluator's query of a source.
 */
Query *
rule_analyze_select(BindState *bs, SelectStmt *select)
{
	OverrideSearchPath *osp = operator_search_path(bs->key_type, bs->key_type);
	Query	   *volatile q = NULL;

	bs->pstate = make_parsestate(NULL);
	bs->pstate->p_paramref_hook = as_of_paramref;
	bs->pstate->p_pre_columnref_hook = attribute_columnref;
	bs->pstate->p_ref_hook_state = bs;
	PushOverrideSearchPath(osp);
	PG_TRY();
	{
		q = transformStmt(bs->pstate, (Node *) select);
	}
	PG_FINALLY();
	{
		PopOverrideSearchPath();
	}
	PG_END_TRY();
	free_parsestate(bs->pstate);
	bs->pstate = NULL;
	return q;
}

/* transform_narrowed of a predicate, which must be boolean */
Node *
transform_predicate(BindState *bs, const RuleNode *n, Node *raw, Oid coltype)
{
	Node	   *result = transform_narrowed(bs, n, raw, coltype);

	if (exprType(result) != BOOLOID)
		elog(ERROR, "segment rule predicate \"%s\" bound to type %s, not boolean",
			 rule_print(n), format_type_be(exprType(result)));
	return result;
}

/* A predicate on a path into a jsonb column: the jsonb evaluator's
 * segment_match over the column with the rest of the path. */
static Node *
raw_jsonb_predicate(BindState *bs, const RuleNode *n, int consumed)
{
	RuleNode	sub = *n;
	TypeCast   *tc = makeNode(TypeCast);

	sub.path.nparts = n->path.nparts - consumed;
	sub.path.parts = n->path.parts + consumed;
	tc->arg = raw_string(rule_print(&sub));
	tc->typeName = makeTypeNameFromNameList(list_make2(makeString(bs->schema),
													   makeString("segment_rule")));
	tc->location = -1;
	return raw_own_call(bs, "segment_match",
						list_make3(tc, raw_column(), raw_as_of()));
}

static Node *
bind_predicate(BindState *bs, const RuleNode *n)
{
	PredicateContext pc = {n, InvalidOid};
	ErrorContextCallback cb;
	Node	   *col;
	Node	   *result;
	int			consumed;

	cb.callback = predicate_error_context;
	cb.arg = &pc;
	cb.previous = error_context_stack;
	error_context_stack = &cb;

	if (n->agg != NULL)
	{
		result = rule_bind_behaviour(bs, n);
		error_context_stack = cb.previous;
		return result;
	}
	col = bind_path(bs, &n->path, &consumed);
	pc.coltype = exprType(col);
	bs->column = col;

	if (consumed < n->path.nparts)
		result = transform_predicate(bs, n, raw_jsonb_predicate(bs, n, consumed),
									 pc.coltype);
	else if (n->kind == RULE_IS_NULL)
	{
		NullTest   *nt = makeNode(NullTest);

		nt->arg = (Expr *) col;
		nt->nulltesttype = n->negated ? IS_NOT_NULL : IS_NULL;
		nt->argisrow = type_is_rowtype(pc.coltype);
		nt->location = -1;
		result = (Node *) nt;
	}
	else
		result = transform_predicate(bs, n, raw_predicate(bs, n, raw_column(), pc.coltype,
														  exprTypmod(col)),
									 pc.coltype);

	error_context_stack = cb.previous;
	return result;
}

static Node *
bind_node(BindState *bs, const RuleNode *n)
{
	check_stack_depth();
	CHECK_FOR_INTERRUPTS();

	switch (n->kind)
	{
		case RULE_AND:
		case RULE_OR:
			{
				List	   *args = NIL;

				for (int i = 0; i < n->nargs; i++)
					args = lappend(args, bind_node(bs, n->args[i]));
				return (Node *) makeBoolExpr(n->kind == RULE_AND ? AND_EXPR : OR_EXPR,
											 args, -1);
			}
		case RULE_NOT:
			return (Node *) makeBoolExpr(NOT_EXPR, list_make1(bind_node(bs, n->args[0])), -1);
		default:
			return bind_predicate(bs, n);
	}
}

Node *
rule_bind(const RuleBindTarget *target, const RuleNode *tree)
{
	BindState	bs;
	Node	   *result;

	memset(&bs, 0, sizeof(bs));
	bs.target = target;
	bs.pstate = make_parsestate(NULL);
	bs.pstate->p_paramref_hook = as_of_paramref;
	bs.pstate->p_pre_columnref_hook = attribute_columnref;
	bs.pstate->p_ref_hook_state = &bs;
	bs.schema = get_namespace_name(target->namespace);
	if (bs.schema == NULL)
		elog(ERROR, "schema %u of segmentation not found", target->namespace);
	result = bind_node(&bs, tree);
	free_parsestate(bs.pstate);
	return result;
}
