/*-------------------------------------------------------------------------
 *
 * persona_pg.c
 *	  Personas in SQL: the segment_profile type (binary and hex text I/O,
 *	  a jsonb view), the segment_profile aggregate over one jsonb object of
 *	  attributes per row, segment_profile_merge (profiles into one, as a
 *	  window over a GROUP BY gives the population), and the comparison of a
 *	  segment with its population (segment_persona, segment_persona_line).
 *
 * The value is the core's flat form (profile.c) behind a varlena header;
 * every way in validates it, and the aggregates' serialised state is the
 * same form, so a parallel plan moves profiles, not rows.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

#include "core_pg.h"
#include "persona/profile.h"

/* the names and values of a profile read from outside are text of the
 * database encoding */
static void
check_encoding(const Profile *p, CoreErrorCode code)
{
	int			sqlstate = core_sqlstate(code);

	for (int i = 0; i < p->nattrs; i++)
	{
		const ProfileAttr *a = &p->attrs[i];
		bool		ok = pg_verifymbstr(a->name, a->len, true);

		for (int j = 0; ok && j < a->nlevels; j++)
			ok = pg_verifymbstr(a->levels[j].text, a->levels[j].len, true);
		if (!ok)
			ereport(ERROR,
					(errcode(sqlstate),
					 errmsg("invalid segment_profile value"),
					 errdetail("A name or category value is not valid in the database encoding.")));
	}
}

/* decode and check bytes into p, raising code on damage */
static void
read_profile(const char *bytes, size_t len, Profile *p, CoreErrorCode code)
{
	CoreError	err;

	if (!seg_profile_decode(bytes, len, p, code, &err))
		core_ereport(&err);
	check_encoding(p, code);
}

static bytea *
profile_value(const Profile *p)
{
	size_t		size;
	char	   *flat = seg_profile_encode(p, &size);
	bytea	   *v = palloc(VARHDRSZ + size);

	SET_VARSIZE(v, VARHDRSZ + size);
	memcpy(VARDATA(v), flat, size);
	pfree(flat);
	return v;
}

/* a segment_profile argument, decoded (values on disk were checked on
 * their way in; reading checks them again, at the cost of one pass) */
static void
arg_profile(FunctionCallInfo fcinfo, int i, Profile *p)
{
	bytea	   *v = PG_GETARG_BYTEA_PP(i);

	read_profile(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), p, CORE_ERR_INVALID_BINARY);
}

/* ---------------------------------------------------------------------------
 * The type
 * ---------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(segment_profile_in);
Datum
segment_profile_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	size_t		n = strlen(s);
	char	   *bytes;
	Profile		p;

	if (n % 2 != 0 || strspn(s, "0123456789abcdefABCDEF") != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid segment_profile value"),
				 errdetail("The text form of a segment profile is its binary form in hexadecimal digits.")));
	bytes = palloc(n / 2 + 1);
	hex_decode(s, n, bytes);
	read_profile(bytes, n / 2, &p, CORE_ERR_INVALID_TEXT);
	PG_RETURN_BYTEA_P(profile_value(&p));
}

PG_FUNCTION_INFO_V1(segment_profile_out);
Datum
segment_profile_out(PG_FUNCTION_ARGS)
{
	bytea	   *v = PG_GETARG_BYTEA_PP(0);
	size_t		n = VARSIZE_ANY_EXHDR(v);
	char	   *s = palloc(2 * n + 1);

	s[hex_encode(VARDATA_ANY(v), n, s)] = '\0';
	PG_RETURN_CSTRING(s);
}

PG_FUNCTION_INFO_V1(segment_profile_recv);
Datum
segment_profile_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			n = buf->len - buf->cursor;
	const char *bytes = pq_getmsgbytes(buf, n);
	Profile		p;

	read_profile(bytes, n, &p, CORE_ERR_INVALID_BINARY);
	PG_RETURN_BYTEA_P(profile_value(&p));
}

PG_FUNCTION_INFO_V1(segment_profile_send);
Datum
segment_profile_send(PG_FUNCTION_ARGS)
{
	bytea	   *v = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
append_number(StringInfo s, double v)
{
	if (isnan(v))
		appendStringInfoString(s, "null");
	else
		appendStringInfoString(s, float8out_internal(v));
}

PG_FUNCTION_INFO_V1(segment_profile_jsonb);
Datum
segment_profile_jsonb(PG_FUNCTION_ARGS)
{
	Profile		p;
	StringInfoData s;

	arg_profile(fcinfo, 0, &p);
	initStringInfo(&s);
	appendStringInfo(&s, "{\"rows\": " INT64_FORMAT ", \"attributes\": [", p.rows);
	for (int i = 0; i < p.nattrs; i++)
	{
		const ProfileAttr *a = &p.attrs[i];

		appendStringInfoString(&s, i ? ", {\"name\": " : "{\"name\": ");
		escape_json(&s, a->name);
		appendStringInfo(&s, ", \"kind\": \"%s\", \"n\": " INT64_FORMAT, seg_profile_kind_name(a->kind), a->n);
		if (a->kind == PROFILE_NUMBER)
		{
			appendStringInfoString(&s, ", \"mean\": ");
			append_number(&s, a->n ? a->sx / a->n : NAN);
			appendStringInfoString(&s, ", \"sd\": ");
			append_number(&s, a->n ? sqrt(a->sxx / a->n) : NAN);
			appendStringInfoString(&s, ", \"sum\": ");
			append_number(&s, a->sx);
			appendStringInfoString(&s, ", \"ssd\": ");
			append_number(&s, a->sxx);
		}
		else if (a->kind == PROFILE_BOOLEAN)
			appendStringInfo(&s, ", \"true\": " INT64_FORMAT, a->trues);
		else if (a->kind == PROFILE_CATEGORY)
		{
			appendStringInfoString(&s, ", \"values\": {");
			for (int j = 0; j < a->nlevels; j++)
			{
				if (j)
					appendStringInfoString(&s, ", ");
				escape_json(&s, a->levels[j].text);
				appendStringInfo(&s, ": " INT64_FORMAT, a->levels[j].count);
			}
			appendStringInfoChar(&s, '}');
		}
		appendStringInfoChar(&s, '}');
	}
	appendStringInfoString(&s, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}

/* ---------------------------------------------------------------------------
 * The aggregates
 * ---------------------------------------------------------------------------
 */

static Profile *
state_new(MemoryContext aggcxt)
{
	Profile    *p = MemoryContextAlloc(aggcxt, sizeof(Profile));

	seg_profile_init(p);
	return p;
}

static MemoryContext
agg_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", fname);
	return aggcxt;
}

/* one attribute's value of one row */
static void
add_value(Profile *p, const JsonbValue *key, const JsonbValue *v)
{
	CoreError	err;
	ProfileAttr *a = seg_profile_attr(p, key->val.string.val, key->val.string.len, &err);
	bool		ok = true;

	if (a == NULL)
		core_ereport(&err);
	switch (v->type)
	{
		case jbvNull:
			break;
		case jbvNumeric:
			ok = seg_profile_add_number(a, DatumGetFloat8(DirectFunctionCall1(numeric_float8,
																		  NumericGetDatum(v->val.numeric))),
									&err);
			break;
		case jbvBool:
			ok = seg_profile_add_boolean(a, v->val.boolean, &err);
			break;
		case jbvString:
			ok = seg_profile_add_category(a, v->val.string.val, v->val.string.len, &err);
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("attribute \"%s\" of a segment profile is not a number, boolean, string or null",
							pnstrdup(key->val.string.val, key->val.string.len)),
					 errhint("Profile a nested value through its own key, e.g. jsonb_build_object('plan', doc->>'plan').")));
	}
	if (!ok)
		core_ereport(&err);
}

PG_FUNCTION_INFO_V1(segment_profile_trans);
Datum
segment_profile_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = agg_context(fcinfo, "segment_profile_trans"),
				old;
	Profile    *p = PG_ARGISNULL(0) ? state_new(aggcxt) : (Profile *) PG_GETARG_POINTER(0);
	Jsonb	   *jb;
	JsonbIterator *it;
	JsonbValue	k,
				v;
	JsonbIteratorToken tok;

	p->rows++;
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(p);
	jb = PG_GETARG_JSONB_P(1);
	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the attributes of a segment profile must be a jsonb object"),
				 errhint("Build it with jsonb_build_object('name', value, ...).")));
	it = JsonbIteratorInit(&jb->root);
	old = MemoryContextSwitchTo(aggcxt);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		if (tok != WJB_KEY)
			continue;
		CHECK_FOR_INTERRUPTS();
		tok = JsonbIteratorNext(&it, &v, true);
		Assert(tok == WJB_VALUE);
		add_value(p, &k, &v);
	}
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(p);
}

PG_FUNCTION_INFO_V1(segment_profile_merge_trans);
Datum
segment_profile_merge_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = agg_context(fcinfo, "segment_profile_merge_trans"),
				old;
	Profile    *p = PG_ARGISNULL(0) ? state_new(aggcxt) : (Profile *) PG_GETARG_POINTER(0);
	Profile		b;
	CoreError	err;
	bool		ok;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(p);
	arg_profile(fcinfo, 1, &b);
	old = MemoryContextSwitchTo(aggcxt);
	ok = seg_profile_merge(p, &b, &err);
	MemoryContextSwitchTo(old);
	if (!ok)
		core_ereport(&err);
	PG_RETURN_POINTER(p);
}

PG_FUNCTION_INFO_V1(segment_profile_combine);
Datum
segment_profile_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = agg_context(fcinfo, "segment_profile_combine"),
				old;
	Profile    *a = PG_ARGISNULL(0) ? NULL : (Profile *) PG_GETARG_POINTER(0);
	Profile    *b = PG_ARGISNULL(1) ? NULL : (Profile *) PG_GETARG_POINTER(1);
	CoreError	err;
	bool		ok;

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = state_new(aggcxt);
	old = MemoryContextSwitchTo(aggcxt);
	ok = seg_profile_merge(a, b, &err);
	MemoryContextSwitchTo(old);
	if (!ok)
		core_ereport(&err);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(segment_profile_serialize);
Datum
segment_profile_serialize(PG_FUNCTION_ARGS)
{
	(void) agg_context(fcinfo, "segment_profile_serialize");
	PG_RETURN_BYTEA_P(profile_value((Profile *) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(segment_profile_deserialize);
Datum
segment_profile_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	MemoryContext aggcxt = core_agg_deserialize_begin(fcinfo, "segment_profile_deserialize", &buf);
	MemoryContext old = MemoryContextSwitchTo(aggcxt);
	Profile    *p = state_new(aggcxt);

	read_profile(buf.data, buf.len, p, CORE_ERR_INVALID_BINARY);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(p);
}

PG_FUNCTION_INFO_V1(segment_profile_final);
Datum
segment_profile_final(PG_FUNCTION_ARGS)
{
	(void) agg_context(fcinfo, "segment_profile_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	/* reads the state only: the aggregate may also run as a window */
	PG_RETURN_BYTEA_P(profile_value((Profile *) PG_GETARG_POINTER(0)));
}

/* ---------------------------------------------------------------------------
 * Personas
 * ---------------------------------------------------------------------------
 */

static Datum
float_or_null(double v, bool *isnull)
{
	*isnull = isnan(v);
	return Float8GetDatum(*isnull ? 0 : v);
}

static void
compare(FunctionCallInfo fcinfo, Profile *seg, Profile *pop, PersonaItem **items, int *n)
{
	CoreError	err;

	arg_profile(fcinfo, 0, seg);
	arg_profile(fcinfo, 1, pop);
	if (!persona_compare(seg, pop, items, n, &err))
		core_ereport(&err);
}

PG_FUNCTION_INFO_V1(segment_persona);
Datum
segment_persona(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Profile		seg,
				pop;
	PersonaItem *items;
	int			n;

	InitMaterializedSRF(fcinfo, 0);
	compare(fcinfo, &seg, &pop, &items, &n);
	for (int i = 0; i < n; i++)
	{
		const PersonaItem *it = &items[i];
		Datum		values[8];
		bool		nulls[8] = {0};

		CHECK_FOR_INTERRUPTS();
		values[0] = Int32GetDatum(i + 1);
		values[1] = PointerGetDatum(cstring_to_text_with_len(it->attribute, it->attribute_len));
		if (it->value != NULL)
			values[2] = PointerGetDatum(cstring_to_text_with_len(it->value, it->value_len));
		else
			nulls[2] = true;
		values[3] = CStringGetTextDatum(it->kind == PROFILE_NUMBER ? "mean" : "share");
		values[4] = float_or_null(it->segment, &nulls[4]);
		values[5] = float_or_null(it->population, &nulls[5]);
		values[6] = float_or_null(it->lift, &nulls[6]);
		values[7] = float_or_null(it->difference, &nulls[7]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(segment_persona_line);
Datum
segment_persona_line(PG_FUNCTION_ARGS)
{
	Profile		seg,
				pop;
	PersonaItem *items;
	int			n;
	int32		top = PG_GETARG_INT32(2);
	float8		min_difference = PG_GETARG_FLOAT8(3);

	if (top < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("top must be at least 1"),
				 errdetail("Found %d.", top)));
	if (!(min_difference >= 0) || isinf(min_difference))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_difference must be a finite number of at least 0"),
				 errdetail("Found %g.", min_difference)));
	compare(fcinfo, &seg, &pop, &items, &n);
	PG_RETURN_TEXT_P(cstring_to_text(persona_line(items, n, top, min_difference)));
}
