/*-------------------------------------------------------------------------
 *
 * guard_pg.c
 *	  The guards of a catalogue of rules: for each rule that requires a text
 *	  column to equal a string, the column and the string's id.
 *
 * A catalogue as a marketing team keeps it tests the same few columns
 * against a few strings again and again (plan = 'pro', country = 'DE').  A
 * guard is a top-level conjunct "column = 'string'" on a text column under a
 * deterministic collation, where equality is equality of bytes; a rule keeps
 * up to GUARD_PER_RULE of them.  The strings of each guarded column go into one
 * hash table, so that a row's value is hashed and looked up once, giving its
 * id (or -1 when no rule requires it, or when it is NULL); a rule one of
 * whose strings has another id cannot be true of the row and is skipped
 * without evaluating it.  A rule whose strings all have the row's ids is
 * evaluated less the conjuncts its guards have already decided
 * (guards_strip): a rule that is only guards is true without evaluating
 * anything.
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
#include "utils/typcache.h"

#include "bind_pg.h"
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

static Expr *guards_strip(Expr *expr, AttrNumber attnum, const text *value);

/*
 * The guards of rule number rule (its tree, bound over tupdesc to expr, after
 * expression_planner): its top-level conjuncts "column = 'string'" on a text
 * or varchar column with a deterministic collation, where equality is
 * equality of bytes; at most GUARD_PER_RULE of them, over at most
 * GUARD_MAX_COLUMNS columns in the catalogue.  A row whose column differs
 * (or is NULL) cannot make the rule true.  Returns what remains to evaluate
 * of expr for a row that passes them: see guards_strip.
 */
Expr *
guards_add(CatalogueGuards *g, int rule, const RuleNode *tree, TupleDesc tupdesc, Expr *expr)
{
	RuleGuards *r = &g->rules[rule];
	int			n = tree->kind == RULE_AND ? tree->nargs : 1;

	for (int i = 0; i < n && r->n < GUARD_PER_RULE; i++)
	{
		const RuleNode *conj = tree->kind == RULE_AND ? tree->args[i] : tree;
		Form_pg_attribute attr;
		Oid			base;
		int			a;
		int			c;
		text	   *value;

		if (conj->kind != RULE_CMP || conj->op != RULE_OP_EQ || conj->path.nparts != 1 ||
			conj->lits[0].kind != RULE_LIT_STRING)
			continue;
		a = rule_find_attribute(tupdesc, conj->path.parts[0]);
		if (a < 0)
			continue;
		attr = TupleDescAttr(tupdesc, a);
		base = getBaseType(attr->atttypid);
		if ((base != TEXTOID && base != VARCHAROID) || !OidIsValid(attr->attcollation) ||
			!get_collation_isdeterministic(attr->attcollation))
			continue;
		for (c = 0; c < g->ncolumns && g->columns[c].attnum != attr->attnum; c++)
			;
		if (c == g->ncolumns)
		{
			if (c == GUARD_MAX_COLUMNS)
				continue;		/* too many columns: no guard */
			g->columns[c].attnum = attr->attnum;
			g->ncolumns++;
		}
		value = cstring_to_text(conj->lits[0].text);
		g->columns[c].nvalues++;	/* an upper bound until guards_finish */
		r->column[r->n] = c;
		r->string[r->n] = value;
		r->n++;
		expr = guards_strip(expr, attr->attnum, value);
	}
	return expr;
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

/* the id rule requires in column c, or -1 if it has no guard on it */
static int
rule_id_in(const RuleGuards *r, int c)
{
	for (int j = 0; j < r->n; j++)
		if (r->column[j] == c)
			return r->value[j];
	return -1;
}

/*
 * The candidate lists (see CatalogueGuards) over the column that guards the
 * most rules.  A list holds the rules without a guard on it besides those
 * that need the row's string, so the lists hold at most (strings + 1) times
 * the unguarded rules; beyond about 16 times the catalogue's size, a single
 * list of every rule.
 */
static void
build_candidates(CatalogueGuards *g)
{
	int			best = 0;
	int			nids;
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
	for (int k = 0; k <= nids; k++)
		g->candidates[k] = palloc(sizeof(int) * Max(1, unguarded + best));
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
		RuleGuards *rg = &g->rules[r];

		if (r % 1024 == 0)
			CHECK_FOR_INTERRUPTS();
		for (int j = 0; j < rg->n; j++)
		{
			GuardColumn *col = &g->columns[rg->column[j]];
			text	   *v = rg->string[j];
			uint32		h = hash_text(VARDATA(v), VARSIZE(v) - VARHDRSZ);
			uint32		i = probe(col, VARDATA(v), VARSIZE(v) - VARHDRSZ, h);

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
 * The id of the row's value in guarded column c: -1 for NULL or a string no
 * rule requires.
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

	if (isnull)
		return -1;
	t = DatumGetTextPP(d);
	data = VARDATA_ANY(t);
	len = VARSIZE_ANY_EXHDR(t);
	return col->ids[probe(col, data, len, hash_text(data, len))];
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
static Expr *
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
