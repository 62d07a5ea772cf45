/*-------------------------------------------------------------------------
 *
 * guard_pg.c
 *	  The guards of a catalogue of rules: the simple conditions of each
 *	  rule, checked natively before its compiled expression.
 *
 * A catalogue as a marketing team keeps it tests the same few columns
 * again and again (plan = 'pro', country = 'DE', age between 30 and 39).
 * Each rule's compiled expression (after expression_planner) is a
 * conjunction; its first GUARD_PER_RULE conjuncts of these forms become its
 * guards:
 *
 *	 column = 'string', column <> 'string'	texteq / textne under a
 *		deterministic collation, where equality is equality of bytes, on a
 *		text column (or one binary-coercible to text, as varchar is);
 *	 column op constant						=, <>, <, <=, >, >= of int4 or
 *		int8, the column's own type.
 *
 * A guard is true exactly when its conjunct is, and false otherwise (NULL
 * included): a rule one of whose guards is false cannot be true of the row
 * (an AND is then false or NULL, and NULL counts as not matching), so it is
 * skipped without evaluating it; a rule whose guards are all true is
 * evaluated less those conjuncts (true conjuncts change neither the AND's
 * value nor which of the others run), and a rule that is only guards is true
 * without evaluating anything.
 *
 * The strings of each text column go into one hash table: a row's value is
 * hashed and looked up once, when a rule first needs it, giving its id, and
 * each guard compares ids.  The rules a row can match are listed per string
 * of the column that guards the most rules with an equality, so a row walks
 * only its candidates.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

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
	g->rules = palloc0(sizeof(RuleGuards) * Max(1, nrules));
	return g;
}

/* node without the RelabelTypes over it */
static Node *
strip_relabel(Node *node)
{
	while (node && IsA(node, RelabelType))
		node = (Node *) ((RelabelType *) node)->arg;
	return node;
}

/* the attribute number of node if it is a column of the row, else 0 */
static AttrNumber
row_column(Node *node)
{
	if (node && IsA(node, Var) && ((Var *) node)->varlevelsup == 0 &&
		((Var *) node)->varattno > 0)
		return ((Var *) node)->varattno;
	return 0;
}

/*
 * Whether node is texteq or textne of a column and a string under a
 * deterministic collation: its column, string and whether it is <>.
 */
static bool
text_guard(Node *node, AttrNumber *attnum, text **value, bool *ne)
{
	OpExpr	   *op = (OpExpr *) node;
	Node	   *l;
	Node	   *r;
	Const	   *c;

	if (!IsA(node, OpExpr) || (op->opfuncid != F_TEXTEQ && op->opfuncid != F_TEXTNE) ||
		list_length(op->args) != 2 || !OidIsValid(op->inputcollid) ||
		!get_collation_isdeterministic(op->inputcollid))
		return false;
	l = strip_relabel(linitial(op->args));
	r = strip_relabel(lsecond(op->args));
	if (IsA(l, Const))
	{
		Node	   *t = l;

		l = r;
		r = t;
	}
	c = (Const *) r;
	*attnum = row_column(l);
	if (*attnum == 0 || !IsA(r, Const) || c->constisnull || c->consttype != TEXTOID)
		return false;
	*value = DatumGetTextPCopy(c->constvalue);
	*ne = op->opfuncid == F_TEXTNE;
	return true;
}

/*
 * Whether node is a comparison of an int4 or int8 column with a constant of
 * its type: its column, kind (constant on the right) and constant.
 */
static bool
int_guard(Node *node, AttrNumber *attnum, GuardKind *kind, int64 *bound, bool *is_int8)
{
	static const struct
	{
		Oid			func;
		Oid			type;
		GuardKind	kind;
		GuardKind	commuted;
	}			ops[] = {
		{F_INT4EQ, INT4OID, GUARD_INT_EQ, GUARD_INT_EQ},
		{F_INT4NE, INT4OID, GUARD_INT_NE, GUARD_INT_NE},
		{F_INT4LT, INT4OID, GUARD_INT_LT, GUARD_INT_GT},
		{F_INT4LE, INT4OID, GUARD_INT_LE, GUARD_INT_GE},
		{F_INT4GT, INT4OID, GUARD_INT_GT, GUARD_INT_LT},
		{F_INT4GE, INT4OID, GUARD_INT_GE, GUARD_INT_LE},
		{F_INT8EQ, INT8OID, GUARD_INT_EQ, GUARD_INT_EQ},
		{F_INT8NE, INT8OID, GUARD_INT_NE, GUARD_INT_NE},
		{F_INT8LT, INT8OID, GUARD_INT_LT, GUARD_INT_GT},
		{F_INT8LE, INT8OID, GUARD_INT_LE, GUARD_INT_GE},
		{F_INT8GT, INT8OID, GUARD_INT_GT, GUARD_INT_LT},
		{F_INT8GE, INT8OID, GUARD_INT_GE, GUARD_INT_LE},
	};
	OpExpr	   *op = (OpExpr *) node;
	Node	   *l;
	Node	   *r;
	bool		commuted = false;

	if (!IsA(node, OpExpr) || list_length(op->args) != 2)
		return false;
	for (int i = 0; i < lengthof(ops); i++)
	{
		if (op->opfuncid != ops[i].func)
			continue;
		l = linitial(op->args);
		r = lsecond(op->args);
		if (IsA(l, Const))
		{
			Node	   *t = l;

			l = r;
			r = t;
			commuted = true;
		}
		*attnum = row_column(l);
		if (*attnum == 0 || exprType(l) != ops[i].type || !IsA(r, Const) ||
			((Const *) r)->constisnull || ((Const *) r)->consttype != ops[i].type)
			return false;
		*is_int8 = ops[i].type == INT8OID;
		*bound = *is_int8 ? DatumGetInt64(((Const *) r)->constvalue) :
			DatumGetInt32(((Const *) r)->constvalue);
		*kind = commuted ? ops[i].commuted : ops[i].kind;
		return true;
	}
	return false;
}

/* the index of text column attnum in g->columns, added if new; -1 if full */
static int
text_column(CatalogueGuards *g, AttrNumber attnum)
{
	int			c;

	for (c = 0; c < g->ncolumns && g->columns[c].attnum != attnum; c++)
		;
	if (c == g->ncolumns)
	{
		if (c == GUARD_MAX_COLUMNS)
			return -1;
		g->columns[c].attnum = attnum;
		g->ncolumns++;
	}
	return c;
}

/*
 * The guards of rule number rule, whose compiled expression (after
 * expression_planner) is expr.  Returns what remains to evaluate for a row
 * that passes them: expr less the conjuncts that became guards, or NULL when
 * nothing remains (the rule is true).
 */
Expr *
guards_add(CatalogueGuards *g, int rule, Expr *expr)
{
	RuleGuards *r = &g->rules[rule];
	bool		is_and = IsA(expr, BoolExpr) && ((BoolExpr *) expr)->boolop == AND_EXPR;
	List	   *conjuncts = is_and ? ((BoolExpr *) expr)->args : list_make1(expr);
	List	   *rest = NIL;
	ListCell   *lc;

	foreach(lc, conjuncts)
	{
		Node	   *conj = lfirst(lc);
		AttrNumber	attnum;
		text	   *value;
		bool		ne;
		GuardKind	kind;
		int64		bound;
		bool		is_int8;
		int			c;

		if (r->n < GUARD_PER_RULE && text_guard(conj, &attnum, &value, &ne) &&
			(c = text_column(g, attnum)) >= 0)
		{
			g->columns[c].nvalues++;	/* an upper bound until guards_finish */
			r->kind[r->n] = ne ? GUARD_TEXT_NE : GUARD_TEXT_EQ;
			r->column[r->n] = c;
			r->string[r->n] = value;
			r->n++;
		}
		else if (r->n < GUARD_PER_RULE && int_guard(conj, &attnum, &kind, &bound, &is_int8))
		{
			r->kind[r->n] = kind;
			r->column[r->n] = attnum;
			r->bound[r->n] = bound;
			r->is_int8[r->n] = is_int8;
			r->n++;
		}
		else
			rest = lappend(rest, conj);
	}
	if (rest == NIL)
		return NULL;
	if (list_length(rest) == list_length(conjuncts))
		return expr;
	if (list_length(rest) == 1)
		return (Expr *) linitial(rest);
	return makeBoolExpr(AND_EXPR, rest, ((BoolExpr *) expr)->location);
}

/*
 * A string's hash for the guards' tables: eight bytes at a time, for the
 * short strings guards compare (hash_bytes costs more than the lookup it
 * serves).  An unlucky hash only lengthens a probe, never changes its result.
 */
static inline uint32
hash_text(const char *data, int len)
{
	uint64		h = (uint64) len * UINT64CONST(0x9E3779B97F4A7C15);
	uint64		w;

	while (len >= 8)
	{
		memcpy(&w, data, 8);
		h = (h ^ w) * UINT64CONST(0xBF58476D1CE4E5B9);
		h ^= h >> 31;
		data += 8;
		len -= 8;
	}
	if (len > 0)
	{
		w = 0;
		memcpy(&w, data, len);
		h = (h ^ w) * UINT64CONST(0xBF58476D1CE4E5B9);
	}
	h ^= h >> 32;
	h *= UINT64CONST(0x94D049BB133111EB);
	h ^= h >> 29;
	return (uint32) h;
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

/* the id rule requires column c to equal, or -1 if it requires none */
static int
rule_id_in(const RuleGuards *r, int c)
{
	for (int j = 0; j < r->n; j++)
		if (r->kind[j] == GUARD_TEXT_EQ && r->column[j] == c)
			return r->value[j];
	return -1;
}

/*
 * The candidate lists (see CatalogueGuards) over the column that guards the
 * most rules with an equality.  A list holds the rules without such a guard
 * on it besides those that need the list's string, so the lists hold at most
 * (strings + 1) times the other rules; beyond about 16 times the catalogue's
 * size, a single list of every rule.
 */
static void
build_candidates(CatalogueGuards *g)
{
	int			best = 0;
	int			nids = 0;
	int			unguarded = 0;

	g->primary = -1;
	for (int c = 0; c < g->ncolumns; c++)
	{
		int			n = 0;

		for (int r = 0; r < g->nrules; r++)
			n += rule_id_in(&g->rules[r], c) >= 0;
		if (n > best)
		{
			best = n;
			g->primary = c;
		}
	}
	if (g->primary >= 0)
	{
		unguarded = g->nrules - best;
		nids = g->columns[g->primary].nvalues;
		if ((double) unguarded * (nids + 1) > 16.0 * g->nrules + 1024)
			g->primary = -1;
	}
	if (g->primary < 0)
	{
		g->candidates = palloc(sizeof(int *));
		g->ncandidates = palloc(sizeof(int));
		g->candidates[0] = palloc(sizeof(int) * Max(1, g->nrules));
		for (int r = 0; r < g->nrules; r++)
			g->candidates[0][r] = r;
		g->ncandidates[0] = g->nrules;
		return;
	}
	g->candidates = palloc(sizeof(int *) * (nids + 1));
	g->ncandidates = palloc0(sizeof(int) * (nids + 1));
	/* each list's length: its string's rules and the unguarded ones */
	for (int r = 0; r < g->nrules; r++)
	{
		int			id = rule_id_in(&g->rules[r], g->primary);

		if (id >= 0)
			g->ncandidates[id + 1]++;
	}
	for (int k = 0; k <= nids; k++)
	{
		g->candidates[k] = palloc(sizeof(int) * Max(1, g->ncandidates[k] + unguarded));
		g->ncandidates[k] = 0;
	}
	for (int r = 0; r < g->nrules; r++)
	{
		int			id = rule_id_in(&g->rules[r], g->primary);

		if (r % 1024 == 0)
			CHECK_FOR_INTERRUPTS();
		if (id >= 0)
			g->candidates[id + 1][g->ncandidates[id + 1]++] = r;
		else
			for (int k = 0; k <= nids; k++)
				g->candidates[k][g->ncandidates[k]++] = r;
	}
}

/*
 * Build each text column's table from the rules' strings, give each guard
 * the id of its string (the same string, the same id), and list the
 * candidates.
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
		RuleGuards *rg = &g->rules[r];

		if (r % 1024 == 0)
			CHECK_FOR_INTERRUPTS();
		for (int j = 0; j < rg->n; j++)
		{
			GuardColumn *col;
			text	   *v = rg->string[j];
			uint32		h;
			uint32		i;

			if (rg->kind[j] != GUARD_TEXT_EQ && rg->kind[j] != GUARD_TEXT_NE)
				continue;
			col = &g->columns[rg->column[j]];
			h = hash_text(VARDATA(v), VARSIZE(v) - VARHDRSZ);
			i = probe(col, VARDATA(v), VARSIZE(v) - VARHDRSZ, h);
			if (col->ids[i] < 0)
			{
				col->ids[i] = col->nvalues++;
				col->hashes[i] = h;
				col->values[i] = v;
			}
			rg->value[j] = col->ids[i];
			rg->string[j] = NULL;
		}
	}
	build_candidates(g);
}

/*
 * The id of the row's value in text column c: GUARD_NULL, or GUARD_OTHER
 * for a string no rule names.
 */
int
guards_lookup(const CatalogueGuards *g, int c, TupleTableSlot *slot)
{
	const GuardColumn *col = &g->columns[c];
	bool		isnull;
	Datum		d = slot_getattr(slot, col->attnum, &isnull);
	text	   *t;
	const char *data;
	int			len;
	int			id;

	if (isnull)
		return GUARD_NULL;
	t = DatumGetTextPP(d);
	data = VARDATA_ANY(t);
	len = VARSIZE_ANY_EXHDR(t);
	id = col->ids[probe(col, data, len, hash_text(data, len))];
	return id < 0 ? GUARD_OTHER : id;
}

/* whether integer guard j of r is true of the row (false for NULL) */
bool
guards_int_pass(const RuleGuards *r, int j, TupleTableSlot *slot)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, r->column[j], &isnull);
	int64		v;
	int64		b = r->bound[j];

	if (isnull)
		return false;
	v = r->is_int8[j] ? DatumGetInt64(d) : DatumGetInt32(d);
	switch (r->kind[j])
	{
		case GUARD_INT_EQ:
			return v == b;
		case GUARD_INT_NE:
			return v != b;
		case GUARD_INT_LT:
			return v < b;
		case GUARD_INT_LE:
			return v <= b;
		case GUARD_INT_GT:
			return v > b;
		case GUARD_INT_GE:
			return v >= b;
		default:
			return false;
	}
}
