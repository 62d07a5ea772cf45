/*-------------------------------------------------------------------------
 *
 * guard_pg.c
 *	  The guards of a catalogue of rules: for each rule that requires a text
 *	  column to equal a string, the column and the string's id.
 *
 * A catalogue as a marketing team keeps it tests the same few columns
 * against a few strings again and again (plan = 'pro', country = 'DE').  A
 * guard is a top-level conjunct "column = 'string'" on a text column under a
 * deterministic collation, where equality is equality of bytes (match_pg.c's
 * find_guard chooses it).  The strings of each guarded column go into one
 * hash table, so that a row's value is hashed and looked up once, giving its
 * id (or -1 when no rule requires it, or when it is NULL); a rule whose
 * string has another id cannot be true of the row and is skipped without
 * evaluating it.  A rule whose string has the row's id is evaluated, less the
 * conjunct the guard has already decided (guards_strip): a rule that is only
 * its guard is true without evaluating anything.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"

#include "guard_pg.h"

/* The guards of nrules rules, none yet, in the current memory context. */
CatalogueGuards *
guards_create(int nrules)
{
	CatalogueGuards *g = palloc0(sizeof(CatalogueGuards));

	g->nrules = nrules;
	g->rule_column = palloc(sizeof(int) * Max(1, nrules));
	g->rule_value = palloc0(sizeof(int) * Max(1, nrules));
	g->rule_text = palloc0(sizeof(text *) * Max(1, nrules));
	for (int i = 0; i < nrules; i++)
		g->rule_column[i] = -1;
	return g;
}

/*
 * Rule number rule requires column attnum to equal value (a text that is
 * not toasted).  Beyond GUARD_MAX_COLUMNS distinct columns, the rule keeps
 * no guard (it is evaluated for every row): false.
 */
bool
guards_add(CatalogueGuards *g, int rule, AttrNumber attnum, text *value)
{
	int			c;

	for (c = 0; c < g->ncolumns && g->columns[c].attnum != attnum; c++)
		;
	if (c == g->ncolumns)
	{
		if (c == GUARD_MAX_COLUMNS)
			return false;
		g->columns[c].attnum = attnum;
		g->ncolumns++;
	}
	g->columns[c].nvalues++;	/* an upper bound until guards_finish */
	g->rule_column[rule] = c;
	g->rule_text[rule] = value;
	return true;
}

static inline uint32
hash_text(const char *data, int len)
{
	return hash_bytes((const unsigned char *) data, len);
}

/*
 * The slot of the string (data, len) of hash h in column c's table: where it
 * is, or the empty slot where it would go.
 */
static inline uint32
probe(const GuardColumn *col, const char *data, int len, uint32 h)
{
	uint32		i = h & col->mask;

	for (;;)
	{
		text	   *v;

		if (col->ids[i] < 0)
			return i;
		v = col->values[i];
		if (col->hashes[i] == h && VARSIZE(v) - VARHDRSZ == len &&
			memcmp(VARDATA(v), data, len) == 0)
			return i;
		i = (i + 1) & col->mask;
	}
}

/*
 * Build each column's table from the rules' strings, and give each rule the
 * id of its string (the same string, the same id).
 */
void
guards_finish(CatalogueGuards *g)
{
	for (int c = 0; c < g->ncolumns; c++)
	{
		GuardColumn *col = &g->columns[c];
		uint32		size = pg_nextpower2_32(Max(4, 2 * col->nvalues));

		col->mask = size - 1;
		col->ids = palloc(sizeof(int) * size);
		col->hashes = palloc0(sizeof(uint32) * size);
		col->values = palloc0(sizeof(text *) * size);
		for (uint32 i = 0; i < size; i++)
			col->ids[i] = -1;
		col->nvalues = 0;
	}
	for (int r = 0; r < g->nrules; r++)
	{
		GuardColumn *col;
		text	   *v = g->rule_text[r];
		uint32		h;
		uint32		i;

		if (r % 1024 == 0)
			CHECK_FOR_INTERRUPTS();
		if (g->rule_column[r] < 0)
			continue;
		col = &g->columns[g->rule_column[r]];
		h = hash_text(VARDATA(v), VARSIZE(v) - VARHDRSZ);
		i = probe(col, VARDATA(v), VARSIZE(v) - VARHDRSZ, h);
		if (col->ids[i] < 0)
		{
			col->ids[i] = col->nvalues++;
			col->hashes[i] = h;
			col->values[i] = v;
		}
		g->rule_value[r] = col->ids[i];
	}
	pfree(g->rule_text);
	g->rule_text = NULL;
}

/*
 * The row's id in each guarded column (row_ids[c] for columns[c]): the id of
 * its value, or -1 for NULL or a string no rule requires.
 */
void
guards_row(const CatalogueGuards *g, TupleTableSlot *slot, int *row_ids)
{
	for (int c = 0; c < g->ncolumns; c++)
	{
		const GuardColumn *col = &g->columns[c];
		bool		isnull;
		Datum		d = slot_getattr(slot, col->attnum, &isnull);
		text	   *t;
		const char *data;
		int			len;
		uint32		i;

		row_ids[c] = -1;
		if (isnull)
			continue;
		t = DatumGetTextPP(d);
		data = VARDATA_ANY(t);
		len = VARSIZE_ANY_EXHDR(t);
		i = probe(col, data, len, hash_text(data, len));
		row_ids[c] = col->ids[i];
	}
}

/* whether node is column attnum of the scan's row, possibly relabelled */
static bool
is_column(Node *node, AttrNumber attnum)
{
	while (node && IsA(node, RelabelType))
		node = (Node *) ((RelabelType *) node)->arg;
	return node && IsA(node, Var) && ((Var *) node)->varattno == attnum &&
		((Var *) node)->varlevelsup == 0;
}

/* whether node is a text constant of value's bytes */
static bool
is_string(Node *node, const text *value)
{
	Const	   *c = (Const *) node;
	text	   *t;

	if (node == NULL || !IsA(node, Const) || c->constisnull || c->consttype != TEXTOID)
		return false;
	t = DatumGetTextPP(c->constvalue);
	return VARSIZE_ANY_EXHDR(t) == VARSIZE(value) - VARHDRSZ &&
		memcmp(VARDATA_ANY(t), VARDATA(value), VARSIZE(value) - VARHDRSZ) == 0;
}

/*
 * Whether node is texteq(column attnum, value) under a deterministic
 * collation (either way round): true of every row whose column holds
 * exactly value's bytes, which is what the guard has checked.
 */
static bool
is_guard_test(Node *node, AttrNumber attnum, const text *value)
{
	OpExpr	   *op = (OpExpr *) node;
	Node	   *l;
	Node	   *r;

	if (node == NULL || !IsA(node, OpExpr) || op->opfuncid != F_TEXTEQ ||
		list_length(op->args) != 2 || !OidIsValid(op->inputcollid) ||
		!get_collation_isdeterministic(op->inputcollid))
		return false;
	l = linitial(op->args);
	r = lsecond(op->args);
	return (is_column(l, attnum) && is_string(r, value)) ||
		(is_column(r, attnum) && is_string(l, value));
}

/*
 * A rule's compiled expression (after expression_planner) less the test its
 * guard (column attnum = value) has decided, for the rows that pass the
 * guard: the expression itself when it has no such top-level test, the
 * other conjuncts when it has, or NULL when it is nothing else (true).
 * Removing a conjunct that is true changes neither the value of the AND nor
 * which of the other conjuncts run.
 */
Expr *
guards_strip(Expr *expr, AttrNumber attnum, const text *value)
{
	BoolExpr   *b = (BoolExpr *) expr;
	ListCell   *lc;

	if (is_guard_test((Node *) expr, attnum, value))
		return NULL;
	if (expr == NULL || !IsA(expr, BoolExpr) || b->boolop != AND_EXPR)
		return expr;
	foreach(lc, b->args)
	{
		if (is_guard_test(lfirst(lc), attnum, value))
		{
			List	   *rest = list_delete_nth_cell(list_copy(b->args),
													foreach_current_index(lc));

			if (list_length(rest) == 1)
				return (Expr *) linitial(rest);
			return makeBoolExpr(AND_EXPR, rest, b->location);
		}
	}
	return expr;
}
