/*-------------------------------------------------------------------------
 *
 * guard_pg.h
 *	  The guards of a catalogue of rules (segment_classify,
 *	  segment_memberships): a rule that requires a text column to equal a
 *	  string is skipped, without evaluating it, for a row whose column holds
 *	  another string.  See guard_pg.c.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_GUARD_PG_H
#define SEGMENTATION_GUARD_PG_H

#include "executor/tuptable.h"
#include "nodes/primnodes.h"

/* the distinct columns a catalogue's guards read, each read once a row */
#define GUARD_MAX_COLUMNS 8
/* the guards a rule keeps at most (its first equalities on distinct columns) */
#define GUARD_PER_RULE 4

typedef struct GuardColumn
{
	AttrNumber	attnum;
	int			nvalues;		/* distinct strings the rules require */
	uint32		mask;			/* the table's size - 1 (a power of 2) */
	int		   *ids;			/* per slot: a value's id, or -1 (empty) */
	uint32	   *hashes;			/* per slot: its hash */
	text	  **values;			/* per slot: the string (not toasted) */
} GuardColumn;

/* the guards of one rule: each a column (its index in columns[]) and the id
 * of the string the column must hold */
typedef struct RuleGuards
{
	int			n;
	int			column[GUARD_PER_RULE];
	int			value[GUARD_PER_RULE];
	text	   *string[GUARD_PER_RULE];	/* until guards_finish */
} RuleGuards;

typedef struct CatalogueGuards
{
	int			nrules;
	RuleGuards *rules;
	int			ncolumns;
	GuardColumn columns[GUARD_MAX_COLUMNS];

	/*
	 * The rules a row can match, in catalogue order, by the row's id in the
	 * column that guards the most rules (primary): candidates[id + 1] has
	 * ncandidates[id + 1] rules (id -1: a NULL or a string no rule needs).
	 * Without a primary column, candidates[0] is every rule.
	 */
	int			primary;		/* an index in columns[], or -1 */
	int		  **candidates;
	int		   *ncandidates;
} CatalogueGuards;

struct RuleNode;

extern CatalogueGuards *guards_create(int nrules);
extern Expr *guards_add(CatalogueGuards *g, int rule, const struct RuleNode *tree,
						TupleDesc tupdesc, Expr *expr);
extern void guards_finish(CatalogueGuards *g);
extern int	guards_lookup(const CatalogueGuards *g, int c, TupleTableSlot *slot);

/*
 * A row's ids, column by column as the rules need them: row_ids[c] is the id
 * of the row's value in columns[c] (-1 for NULL or a string no rule
 * requires), or GUARD_UNKNOWN until looked up.
 */
#define GUARD_UNKNOWN (-2)

static inline void
guards_row(const CatalogueGuards *g, int *row_ids)
{
	for (int c = 0; c < g->ncolumns; c++)
		row_ids[c] = GUARD_UNKNOWN;
}

/* the rules that may be true of the row, in order: *n of them (each still
 * to pass guards_pass) */
static inline const int *
guards_candidates(const CatalogueGuards *g, int *row_ids, TupleTableSlot *slot, int *n)
{
	int			k = 0;

	if (g->primary >= 0)
	{
		row_ids[g->primary] = guards_lookup(g, g->primary, slot);
		k = row_ids[g->primary] + 1;
	}
	*n = g->ncandidates[k];
	return g->candidates[k];
}

/* whether rule may be true of the row */
static inline bool
guards_pass(const CatalogueGuards *g, int rule, int *row_ids, TupleTableSlot *slot)
{
	const RuleGuards *r = &g->rules[rule];

	for (int j = 0; j < r->n; j++)
	{
		int			c = r->column[j];

		if (row_ids[c] == GUARD_UNKNOWN)
			row_ids[c] = guards_lookup(g, c, slot);
		if (row_ids[c] != r->value[j])
			return false;
	}
	return true;
}

#endif							/* SEGMENTATION_GUARD_PG_H */
