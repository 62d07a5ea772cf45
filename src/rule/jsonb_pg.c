/*-------------------------------------------------------------------------
 *
 * jsonb_pg.c
 *	  segment_match over a jsonb document: names bind to keys, dotted paths
 *	  reach into nested objects, a missing key (or a JSON null) is NULL.
 *
 * A document has no column types, so a comparison types its operands by
 * what it finds (README, "Rules over jsonb"):
 *
 *	 JSON number  with a number, or a string that reads as one: numerically
 *	 JSON string  with a string: as dates/timestamps when both read as ISO
 *				  8601 (literal.c), else as text by the database collation
 *	 JSON boolean with true/false (or a string that reads as a boolean)
 *	 anything else (objects, arrays in comparisons, a number with a string
 *	 that is not one): NULL, as jsonpath's unknown
 *
 * A rule is compiled once per rule into a tree of JNodes whose literals are
 * read ahead (numeric, timestamp, boolean, folded ilike pattern) and kept in
 * the call site's cache (cache_pg.c); each document is then walked with binary key lookups in the
 * jsonb container, without deserializing it.  The binder also calls this
 * evaluator, through the SQL function, for paths into jsonb columns of a
 * row, so the rules are the same there.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "catalog/pg_collation.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "access/xact.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "bind_pg.h"
#include "icu_pg.h"
#include "literal.h"
#include "rule_pg.h"

typedef enum Tri
{
	TRI_FALSE = 0,
	TRI_TRUE = 1,
	TRI_NULL = 2
} Tri;

typedef struct JLit
{
	RuleLitKind kind;
	const char *text;
	int			len;
	bool		has_num;
	Numeric		num;
	bool		has_ts;
	TimestampTz ts;
	bool		has_bool;
	bool		boolval;
} JLit;

typedef struct JNode
{
	RuleNodeKind kind;
	bool		negated;
	RuleCmpOp	op;
	int			nparts;
	char	  **parts;
	int		   *partlens;
	int			nargs;
	struct JNode **args;
	int			nlits;
	JLit	   *lits;
	const char *locale;
	text	   *folded;			/* ilike: the folded pattern */
	Interval   *span;			/* within: N units */
	bool		lo_valid;		/* within: lo = as_of - span, for as_of_for */
	TimestampTz as_of_for;
	TimestampTz lo;
} JNode;

/* ---------------------------------------------------------------------------
 * Reading strings as timestamps
 * ---------------------------------------------------------------------------
 */

/* An ISO 8601 string as a timestamptz (without a zone: in the session's
 * TimeZone, as '2024-01-01'::timestamptz reads it); false if it is not one. */
static bool
read_timestamptz(const char *s, int len, TimestampTz *out)
{
	RuleDateTime dt;
	struct pg_tm tm;
	int			tz;

	if (!rule_read_datetime(s, len, &dt))
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = dt.year;
	tm.tm_mon = dt.month;
	tm.tm_mday = dt.day;
	tm.tm_hour = dt.hour;
	tm.tm_min = dt.minute;
	tm.tm_sec = dt.second;
	if (dt.has_zone)
		tz = -dt.zone_seconds;
	else
		tz = DetermineTimeZoneOffset(&tm, session_timezone);
	return tm2timestamp(&tm, dt.usec, &tz, out) == 0;
}

/* ---------------------------------------------------------------------------
 * Compiling
 * ---------------------------------------------------------------------------
 */

/*
 * A string literal as numeric_in reads it (as a numeric column reads it: a
 * row and its to_jsonb agree), or false.  Literals are compiled once per
 * rule, so the cost of catching numeric_in's error does not recur per row.
 */
static bool
read_numeric(const char *s, Numeric *out)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool ok = true;

	PG_TRY();
	{
		*out = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(s),
												   ObjectIdGetDatum(InvalidOid),
												   Int32GetDatum(-1)));
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_INVALID_TEXT_REPRESENTATION &&
			edata->sqlerrcode != ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE)
			PG_RE_THROW();
		FlushErrorState();
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/* A string literal as boolin reads it (white space around it ignored). */
static bool
read_bool(const char *s, int len, bool *out)
{
	while (len > 0 && isspace((unsigned char) *s))
		s++, len--;
	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	return parse_bool_with_len(s, len, out);
}

static void
compile_literal(const RuleLiteral *lit, JLit *out)
{
	out->kind = lit->kind;
	out->text = lit->text;
	out->len = lit->text ? strlen(lit->text) : 0;
	switch (lit->kind)
	{
		case RULE_LIT_NUMBER:
			out->has_num = true;
			out->num = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														   CStringGetDatum(out->text),
														   ObjectIdGetDatum(InvalidOid),
														   Int32GetDatum(-1)));
			break;
		case RULE_LIT_STRING:
			/* what a numeric column would read it as, spaces, NaN and
			 * Infinity included */
			out->has_num = read_numeric(out->text, &out->num);
			out->has_ts = read_timestamptz(out->text, out->len, &out->ts);
			out->has_bool = read_bool(out->text, out->len, &out->boolval);
			break;
		case RULE_LIT_BOOL:
			out->has_bool = true;
			out->boolval = strcmp(lit->text, "true") == 0;
			break;
		case RULE_LIT_NULL:
			break;
	}
}

static JNode *
compile_node(const RuleNode *n)
{
	JNode	   *j = palloc0(sizeof(JNode));

	check_stack_depth();
	if (n->agg != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("segment rule behavioural condition \"%s\" needs a customer row, not a jsonb document",
						rule_subject_string(n)),
				 errhint("Match the rule against the customer table's row, whose key the source's events refer to.")));
	j->kind = n->kind;
	j->negated = n->negated;
	j->op = n->op;
	j->nparts = n->path.nparts;
	j->parts = n->path.parts;
	j->partlens = palloc(sizeof(int) * Max(1, j->nparts));
	for (int i = 0; i < j->nparts; i++)
		j->partlens[i] = strlen(j->parts[i]);
	j->nargs = n->nargs;
	j->args = palloc(sizeof(JNode *) * Max(1, n->nargs));
	for (int i = 0; i < n->nargs; i++)
		j->args[i] = compile_node(n->args[i]);
	j->nlits = n->nlits;
	j->lits = palloc0(sizeof(JLit) * Max(1, n->nlits));
	for (int i = 0; i < n->nlits; i++)
		compile_literal(&n->lits[i], &j->lits[i]);
	j->locale = n->locale ? n->locale : "";
	if (n->kind == RULE_ILIKE && n->lits[0].kind != RULE_LIT_NULL)
		j->folded = rule_icu_fold(j->lits[0].text, j->lits[0].len, j->locale);
	if (n->kind == RULE_WITHIN)
	{
		j->span = DatumGetIntervalP(DirectFunctionCall3(interval_in,
														CStringGetDatum(rule_within_text(n)),
														ObjectIdGetDatum(InvalidOid),
														Int32GetDatum(-1)));
	}
	return j;
}

/* The compiled form of a rule, from the call site's cache (cache_pg.c). */
static JNode *
compiled_rule(FunctionCallInfo fcinfo, struct varlena *rule)
{
	RuleCacheEntry *e = rule_cache_get(fcinfo->flinfo, rule, InvalidOid, -1, NULL);
	MemoryContext old;

	if (e->data == NULL)
	{
		old = MemoryContextSwitchTo(e->cxt);
		e->data = compile_node(segment_rule_tree(PointerGetDatum(rule)));
		MemoryContextSwitchTo(old);
	}
	return e->data;
}

/* ---------------------------------------------------------------------------
 * Evaluating
 * ---------------------------------------------------------------------------
 */

/* The value at the node's path; false when missing or JSON null. */
static bool
lookup(JsonbContainer *root, const JNode *j, JsonbValue *out)
{
	JsonbContainer *c = root;

	if (c == NULL)
		return false;
	for (int i = 0; i < j->nparts; i++)
	{
		if (!JsonContainerIsObject(c))
			return false;
		if (getKeyJsonValueFromContainer(c, j->parts[i], j->partlens[i], out) == NULL)
			return false;
		if (i + 1 < j->nparts)
		{
			if (out->type != jbvBinary)
				return false;
			c = out->val.binary.data;
		}
	}
	return out->type != jbvNull;
}

/* Compare a JSON value with a literal by the typing rules; false when the
 * two have no common type. */
static bool
compare(const JsonbValue *v, const JLit *lit, int *cmp)
{
	switch (v->type)
	{
		case jbvNumeric:
			if (!lit->has_num)
				return false;
			*cmp = DatumGetInt32(DirectFunctionCall2(numeric_cmp,
													 NumericGetDatum(v->val.numeric),
													 NumericGetDatum(lit->num)));
			return true;
		case jbvString:
			if (lit->kind != RULE_LIT_STRING)
				return false;
			if (lit->has_ts)
			{
				TimestampTz ts;

				if (read_timestamptz(v->val.string.val, v->val.string.len, &ts))
				{
					*cmp = timestamp_cmp_internal(ts, lit->ts);
					return true;
				}
			}
			*cmp = varstr_cmp(v->val.string.val, v->val.string.len,
							  lit->text, lit->len, DEFAULT_COLLATION_OID);
			return true;
		case jbvBool:
			if (!lit->has_bool)
				return false;
			*cmp = (int) v->val.boolean - (int) lit->boolval;
			return true;
		default:
			return false;
	}
}

static bool
string_equal(const JsonbValue *v, const JLit *lit)
{
	return v->val.string.len == lit->len &&
		memcmp(v->val.string.val, lit->text, lit->len) == 0;
}

/* v = lit in three-valued logic; equality of two strings that are not both
 * timestamps is byte equality (the database collation is deterministic). */
static Tri
json_equal(const JsonbValue *v, const JLit *lit)
{
	int			cmp;

	if (lit->kind == RULE_LIT_NULL)
		return TRI_NULL;
	if (v->type == jbvString && lit->kind == RULE_LIT_STRING && !lit->has_ts)
		return string_equal(v, lit) ? TRI_TRUE : TRI_FALSE;
	if (!compare(v, lit, &cmp))
		return TRI_NULL;
	return cmp == 0 ? TRI_TRUE : TRI_FALSE;
}

static Tri
cmp_op(const JsonbValue *v, RuleCmpOp op, const JLit *lit)
{
	int			cmp;
	bool		r = false;

	if (op == RULE_OP_EQ || op == RULE_OP_NE)
	{
		Tri			e = json_equal(v, lit);

		if (e == TRI_NULL || op == RULE_OP_EQ)
			return e;
		return e == TRI_TRUE ? TRI_FALSE : TRI_TRUE;
	}
	if (lit->kind == RULE_LIT_NULL || !compare(v, lit, &cmp))
		return TRI_NULL;
	switch (op)
	{
		case RULE_OP_LT:
			r = cmp < 0;
			break;
		case RULE_OP_LE:
			r = cmp <= 0;
			break;
		case RULE_OP_GT:
			r = cmp > 0;
			break;
		case RULE_OP_GE:
			r = cmp >= 0;
			break;
		default:
			break;
	}
	return r ? TRI_TRUE : TRI_FALSE;
}

static Tri
tri_not(Tri t)
{
	return t == TRI_NULL ? TRI_NULL : (t == TRI_TRUE ? TRI_FALSE : TRI_TRUE);
}

static Tri
tri_and(Tri a, Tri b)
{
	if (a == TRI_FALSE || b == TRI_FALSE)
		return TRI_FALSE;
	return (a == TRI_NULL || b == TRI_NULL) ? TRI_NULL : TRI_TRUE;
}

static Tri
negate_if(Tri t, bool negated)
{
	return negated ? tri_not(t) : t;
}

static bool
substring(const JsonbValue *v, const JLit *lit)
{
	const char *hay = v->val.string.val;
	int			n = v->val.string.len;

	if (lit->len == 0)
		return true;
	if (GetDatabaseEncoding() == PG_UTF8 || pg_database_encoding_max_length() == 1)
	{
		for (int i = 0; i + lit->len <= n; i++)
		{
			if ((i & 0xFFFF) == 0xFFFF)
				CHECK_FOR_INTERRUPTS();	/* up to 1 GB of text, per literal */
			if (hay[i] == lit->text[0] && memcmp(hay + i, lit->text, lit->len) == 0)
				return true;
		}
		return false;
	}
	return DatumGetInt32(DirectFunctionCall2Coll(textpos, DEFAULT_COLLATION_OID,
												 PointerGetDatum(cstring_to_text_with_len(hay, n)),
												 PointerGetDatum(cstring_to_text_with_len(lit->text, lit->len)))) > 0;
}

/* Does v (an array or a string) contain one literal?  An array contains it
 * when one of its elements equals it (as @> on arrays: never NULL); a string
 * when it has it as a substring. */
static Tri
contains_one(const JsonbValue *v, const JLit *lit)
{
	if (lit->kind == RULE_LIT_NULL)
		return TRI_NULL;
	if (v->type == jbvString)
		return substring(v, lit) ? TRI_TRUE : TRI_FALSE;
	if (v->type == jbvBinary && JsonContainerIsArray(v->val.binary.data))
	{
		JsonbContainer *a = v->val.binary.data;
		uint32		n = JsonContainerSize(a);

		for (uint32 i = 0; i < n; i++)
		{
			JsonbValue *e = getIthJsonbValueFromContainer(a, i);

			if ((i & 0x3FF) == 0x3FF)
				CHECK_FOR_INTERRUPTS();

			if (e != NULL && e->type != jbvNull && json_equal(e, lit) == TRI_TRUE)
				return TRI_TRUE;
		}
		return TRI_FALSE;
	}
	return TRI_NULL;
}

static Tri
eval(JNode *j, JsonbContainer *doc, bool as_of_null, TimestampTz as_of);

static Tri
eval_predicate(JNode *j, const JsonbValue *v, bool as_of_null, TimestampTz as_of)
{
	switch (j->kind)
	{
		case RULE_CMP:
			return cmp_op(v, j->op, &j->lits[0]);

		case RULE_IN:
			{
				Tri			r = TRI_FALSE;

				for (int i = 0; i < j->nlits && r != TRI_TRUE; i++)
				{
					Tri			e = json_equal(v, &j->lits[i]);

					if (e != TRI_FALSE)
						r = e;
				}
				return negate_if(r, j->negated);
			}

		case RULE_BETWEEN:
			return negate_if(tri_and(cmp_op(v, RULE_OP_GE, &j->lits[0]),
									 cmp_op(v, RULE_OP_LE, &j->lits[1])),
							 j->negated);

		case RULE_LIKE:
			if (v->type != jbvString || j->lits[0].kind == RULE_LIT_NULL)
				return TRI_NULL;
			return negate_if(DatumGetBool(DirectFunctionCall2Coll(textlike, DEFAULT_COLLATION_OID,
																  PointerGetDatum(cstring_to_text_with_len(v->val.string.val, v->val.string.len)),
																  PointerGetDatum(cstring_to_text_with_len(j->lits[0].text, j->lits[0].len))))
							 ? TRI_TRUE : TRI_FALSE, j->negated);

		case RULE_MATCHES:
			if (v->type != jbvString)
				return TRI_NULL;
			return negate_if(DatumGetBool(DirectFunctionCall2Coll(textregexeq, DEFAULT_COLLATION_OID,
																  PointerGetDatum(cstring_to_text_with_len(v->val.string.val, v->val.string.len)),
																  PointerGetDatum(cstring_to_text_with_len(j->lits[0].text, j->lits[0].len))))
							 ? TRI_TRUE : TRI_FALSE, j->negated);

		case RULE_STARTS_WITH:
		case RULE_ENDS_WITH:
			{
				/* byte comparison: LIKE 'x%' under a deterministic collation */
				int			n = j->lits[0].len;

				if (v->type != jbvString)
					return TRI_NULL;
				return (v->val.string.len >= n &&
						memcmp(v->val.string.val +
							   (j->kind == RULE_STARTS_WITH ? 0 : v->val.string.len - n),
							   j->lits[0].text, n) == 0)
					? TRI_TRUE : TRI_FALSE;
			}

		case RULE_ILIKE:
			if (v->type != jbvString || j->folded == NULL)
				return TRI_NULL;
			return negate_if(rule_icu_ilike(v->val.string.val, v->val.string.len,
											j->folded, j->locale) ? TRI_TRUE : TRI_FALSE,
							 j->negated);

		case RULE_ICU_EQ:
			if (v->type != jbvString || j->lits[0].kind == RULE_LIT_NULL)
				return TRI_NULL;
			return rule_icu_equal(v->val.string.val, v->val.string.len,
								  j->lits[0].text, j->lits[0].len, j->locale)
				? TRI_TRUE : TRI_FALSE;

		case RULE_CONTAINS:
			return contains_one(v, &j->lits[0]);

		case RULE_CONTAINS_ANY:
		case RULE_CONTAINS_ALL:
			{
				bool		all = j->kind == RULE_CONTAINS_ALL;
				Tri			r = all ? TRI_TRUE : TRI_FALSE;

				for (int i = 0; i < j->nlits; i++)
				{
					Tri			c = contains_one(v, &j->lits[i]);

					if (all)
						r = tri_and(r, c);
					else if (c == TRI_TRUE || (c == TRI_NULL && r == TRI_FALSE))
						r = c;
				}
				return r;
			}

		case RULE_WITHIN:
			{
				TimestampTz ts;

				if (as_of_null || v->type != jbvString ||
					!read_timestamptz(v->val.string.val, v->val.string.len, &ts))
					return TRI_NULL;
				if (!j->lo_valid || j->as_of_for != as_of)
				{
					j->lo = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_mi_interval,
																	TimestampTzGetDatum(as_of),
																	IntervalPGetDatum(j->span)));
					j->as_of_for = as_of;
					j->lo_valid = true;
				}
				return (ts >= j->lo && ts <= as_of) ? TRI_TRUE : TRI_FALSE;
			}

		case RULE_BOOL_ATTR:
			if (v->type != jbvBool)
				return TRI_NULL;
			return v->val.boolean ? TRI_TRUE : TRI_FALSE;

		default:
			break;
	}
	elog(ERROR, "unexpected segment rule node %d", (int) j->kind);
	return TRI_NULL;
}

static Tri
eval(JNode *j, JsonbContainer *doc, bool as_of_null, TimestampTz as_of)
{
	JsonbValue	v;

	check_stack_depth();
	switch (j->kind)
	{
		case RULE_AND:
		case RULE_OR:
			{
				bool		and = j->kind == RULE_AND;
				Tri			r = and ? TRI_TRUE : TRI_FALSE;

				for (int i = 0; i < j->nargs; i++)
				{
					Tri			a = eval(j->args[i], doc, as_of_null, as_of);

					if (and ? a == TRI_FALSE : a == TRI_TRUE)
						return a;
					if (a == TRI_NULL)
						r = TRI_NULL;
				}
				return r;
			}
		case RULE_NOT:
			return tri_not(eval(j->args[0], doc, as_of_null, as_of));
		case RULE_IS_NULL:
			return (lookup(doc, j, &v) == j->negated) ? TRI_TRUE : TRI_FALSE;
		default:
			if (!lookup(doc, j, &v))
				return TRI_NULL;
			return eval_predicate(j, &v, as_of_null, as_of);
	}
}

Datum
segment_match_doc(FunctionCallInfo fcinfo, int rulearg, int docarg, bool has_as_of)
{
	JNode	   *root;
	MemoryContext scratch;
	Jsonb	   *doc;
	MemoryContext old;
	TimestampTz as_of;
	bool		as_of_null = false;
	Tri			r;

	if (PG_ARGISNULL(rulearg))
		PG_RETURN_NULL();
	root = compiled_rule(fcinfo, PG_GETARG_SEGMENT_RULE_P(rulearg));
	scratch = rule_cache_scratch(fcinfo->flinfo);
	doc = PG_ARGISNULL(docarg) ? NULL : PG_GETARG_JSONB_P(docarg);
	if (!has_as_of)
		as_of = GetCurrentTransactionStartTimestamp();
	else if (PG_ARGISNULL(2))
	{
		as_of_null = true;
		as_of = 0;
	}
	else
		as_of = PG_GETARG_TIMESTAMPTZ(2);

	old = MemoryContextSwitchTo(scratch);
	r = eval(root, doc ? &doc->root : NULL, as_of_null, as_of);
	MemoryContextSwitchTo(old);
	MemoryContextReset(scratch);
	if (r == TRI_NULL)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(r == TRI_TRUE);
}

PG_FUNCTION_INFO_V1(segment_match_jsonb);
Datum
segment_match_jsonb(PG_FUNCTION_ARGS)
{
	return segment_match_doc(fcinfo, 0, 1, PG_NARGS() > 2);
}
