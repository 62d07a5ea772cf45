/*-------------------------------------------------------------------------
 *
 * rule_pg.c
 *	  The segment_rule base type: text and binary I/O, casts to and from
 *	  bytea, equality, ordering and hashing, and segment_rule_attributes.
 *
 * One idea: a value holds the flattened bytes of binary.c, and those bytes
 * are canonical (one byte sequence per rule tree; rule_decode accepts no
 * other), so comparing and hashing rules is comparing and hashing bytes, and
 * every path that accepts bytes from outside (recv, the bytea cast) runs
 * them through rule_decode before they can be stored.
 *
 * Binary send/recv carry the same layout with strings in the client
 * encoding, as the send functions of text-like types do; the bytea cast
 * carries it in the database encoding, checked on the way in.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "core_pg.h"
#include "rule_pg.h"

void
segment_rule_ereport(const CoreError *err)
{
	core_ereport(err);
}

static struct varlena *
flat_to_value(const void *data, size_t len)
{
	struct varlena *v = palloc(VARHDRSZ + len);

	SET_VARSIZE(v, VARHDRSZ + len);
	memcpy(VARDATA(v), data, len);
	return v;
}

struct varlena *
segment_rule_from_tree(const RuleNode *node)
{
	size_t		len;
	void	   *flat = rule_flatten(node, &len);
	struct varlena *v = flat_to_value(flat, len);

	pfree(flat);
	return v;
}

static RuleNode *
decode_or_error(const void *data, size_t len)
{
	CoreError	err;
	RuleNode   *node = rule_decode(data, len, &err);

	if (node == NULL)
		segment_rule_ereport(&err);
	return node;
}

RuleNode *
segment_rule_tree(Datum rule)
{
	struct varlena *v = DatumGetSegmentRuleP(rule);

	return decode_or_error(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
}

PG_FUNCTION_INFO_V1(segment_rule_in);
Datum
segment_rule_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CoreError	err;
	RuleNode   *node = rule_parse(str, strlen(str), &err);
	struct varlena *v;

	if (node == NULL)
		segment_rule_ereport(&err);
	v = segment_rule_from_tree(node);
	rule_free(node);
	PG_RETURN_POINTER(v);
}

PG_FUNCTION_INFO_V1(segment_rule_out);
Datum
segment_rule_out(PG_FUNCTION_ARGS)
{
	RuleNode   *node = segment_rule_tree(PG_GETARG_DATUM(0));
	char	   *out = rule_print(node);

	rule_free(node);
	PG_RETURN_CSTRING(out);
}

/*
 * Every string of a tree through an encoding conversion: to the client's
 * encoding for send, from it (which also verifies it) for recv.
 */
static void
convert_strings(RuleNode *node, bool to_client)
{
#define CONV(s) (to_client ? pg_server_to_client((s), strlen(s)) \
				 : pg_client_to_server((s), strlen(s)))

	check_stack_depth();
	for (int i = 0; i < node->nargs; i++)
		convert_strings(node->args[i], to_client);
	for (int i = 0; i < node->path.nparts; i++)
		node->path.parts[i] = CONV(node->path.parts[i]);
	for (int i = 0; i < node->nlits; i++)
		if (node->lits[i].text)
			node->lits[i].text = CONV(node->lits[i].text);
	/* a locale is ASCII: the same in every encoding */
#undef CONV
}

/* Every string of a tree is valid in the database encoding (or error). */
static void
verify_strings(const RuleNode *node)
{
	check_stack_depth();
	for (int i = 0; i < node->nargs; i++)
		verify_strings(node->args[i]);
	for (int i = 0; i < node->path.nparts; i++)
		pg_verifymbstr(node->path.parts[i], strlen(node->path.parts[i]), false);
	for (int i = 0; i < node->nlits; i++)
		if (node->lits[i].text)
			pg_verifymbstr(node->lits[i].text, strlen(node->lits[i].text), false);
}

/*
 * A value from a tree whose strings were converted: flatten it and decode
 * the result once more, since a conversion may have made a name longer
 * than a name may be.
 */
static struct varlena *
checked_value(const RuleNode *node)
{
	struct varlena *v = segment_rule_from_tree(node);

	(void) decode_or_error(VARDATA(v), VARSIZE(v) - VARHDRSZ);
	return v;
}

PG_FUNCTION_INFO_V1(segment_rule_recv);
Datum
segment_rule_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RuleNode   *node = decode_or_error(buf->data + buf->cursor,
									   buf->len - buf->cursor);

	buf->cursor = buf->len;
	if (pg_get_client_encoding() == GetDatabaseEncoding())
	{
		verify_strings(node);
		PG_RETURN_POINTER(segment_rule_from_tree(node));
	}
	convert_strings(node, false);
	PG_RETURN_POINTER(checked_value(node));
}

PG_FUNCTION_INFO_V1(segment_rule_send);
Datum
segment_rule_send(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_GETARG_SEGMENT_RULE_P(0);
	RuleNode   *node;
	size_t		len;
	void	   *flat;
	bytea	   *out;

	if (pg_get_client_encoding() == GetDatabaseEncoding())
		PG_RETURN_BYTEA_P(flat_to_value(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v)));
	node = decode_or_error(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
	convert_strings(node, true);
	flat = rule_flatten(node, &len);
	out = (bytea *) flat_to_value(flat, len);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(segment_rule_from_bytea);
Datum
segment_rule_from_bytea(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	RuleNode   *node = decode_or_error(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));

	verify_strings(node);
	rule_free(node);
	PG_RETURN_POINTER(flat_to_value(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)));
}

PG_FUNCTION_INFO_V1(segment_rule_to_bytea);
Datum
segment_rule_to_bytea(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_GETARG_SEGMENT_RULE_P(0);

	PG_RETURN_BYTEA_P(flat_to_value(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v)));
}

/* ---- comparison: bytes, then length (an arbitrary but total order) ---- */

static int
rule_cmp_datums(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_SEGMENT_RULE_P(0);
	struct varlena *b = PG_GETARG_SEGMENT_RULE_P(1);
	size_t		la = VARSIZE_ANY_EXHDR(a),
				lb = VARSIZE_ANY_EXHDR(b);
	int			c = memcmp(VARDATA_ANY(a), VARDATA_ANY(b), Min(la, lb));

	if (c == 0)
		c = (la > lb) - (la < lb);
	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return c;
}

PG_FUNCTION_INFO_V1(segment_rule_cmp);
Datum
segment_rule_cmp(PG_FUNCTION_ARGS)
{
	int			c = rule_cmp_datums(fcinfo);

	PG_RETURN_INT32(c < 0 ? -1 : c > 0 ? 1 : 0);
}

#define RULE_CMP_FN(name, test) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	int			c = rule_cmp_datums(fcinfo); \
	PG_RETURN_BOOL(test); \
}

RULE_CMP_FN(segment_rule_eq, c == 0)
RULE_CMP_FN(segment_rule_ne, c != 0)
RULE_CMP_FN(segment_rule_lt, c < 0)
RULE_CMP_FN(segment_rule_le, c <= 0)
RULE_CMP_FN(segment_rule_gt, c > 0)
RULE_CMP_FN(segment_rule_ge, c >= 0)

PG_FUNCTION_INFO_V1(segment_rule_hash);
Datum
segment_rule_hash(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_GETARG_SEGMENT_RULE_P(0);
	Datum		h = hash_any((unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));

	PG_FREE_IF_COPY(v, 0);
	return h;
}

PG_FUNCTION_INFO_V1(segment_rule_hash_extended);
Datum
segment_rule_hash_extended(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_GETARG_SEGMENT_RULE_P(0);
	Datum		h = hash_any_extended((unsigned char *) VARDATA_ANY(v),
									  VARSIZE_ANY_EXHDR(v), PG_GETARG_INT64(1));

	PG_FREE_IF_COPY(v, 0);
	return h;
}

/* ---- what a rule names ---- */

PG_FUNCTION_INFO_V1(segment_rule_attributes);
Datum
segment_rule_attributes(PG_FUNCTION_ARGS)
{
	RuleNode   *node = segment_rule_tree(PG_GETARG_DATUM(0));
	int			count;
	char	  **names = rule_attributes(node, &count);
	Datum	   *elems = palloc(sizeof(Datum) * Max(count, 1));

	for (int i = 0; i < count; i++)
	{
		elems[i] = PointerGetDatum(cstring_to_text(names[i]));
		pfree(names[i]);
	}
	pfree(names);
	rule_free(node);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, count, TEXTOID, -1, false, TYPALIGN_INT));
}
