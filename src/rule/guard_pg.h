/*-------------------------------------------------------------------------
 *
 * guard_pg.h
 *	  The guards of a catalogue of rules (segment_classify,
 *	  segment_memberships): the simple conditions of a rule (plan = 'pro',
 *	  age >= 30) checked natively before its compiled expression, so that a
 *	  rule a row cannot satisfy is skipped without evaluating it.  See
 *	  guard_pg.c.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_GUARD_PG_H
#define SEGMENTATION_GUARD_PG_H

#include "executor/tuptable.h"
#include "nodes/primnodes.h"

/* the distinct text columns a catalogue's guards read, each once a row */
#define GUARD_MAX_COLUMNS 8
/* the guards a rule keeps at most (its first simple conditions) */
#define GUARD_PER_RULE 6

/* a row's id in a text column: its string's id, or one of these */
#define GUARD_UNKNOWN (-2)		/* not looked up yet */
#define GUARD_OTHER (-1)		/* a string no rule names */
#define GUARD_NULL (-3)			/* NULL */

typedef struct GuardColumn
{
	AttrNumber	attnum;
	int			nvalues;		/* distinct strings the rules name */
	uint32		mask;			/* the table's size - 1 (a power of 2) */
	int		   *ids;			/* per slot: a value's id, or -1 (empty) */
	uint32	   *hashes;			/* per slot: its hash */
	text	  **values;			/* per slot: the string (not toasted) */
} GuardColumn;

typedef enum GuardKind
{
	GUARD_TEXT_EQ,				/* text column = string */
	GUARD_TEXT_NE,				/* text column <> string */
	GUARD_INT_EQ,				/* integer column op constant */
	GUARD_INT_NE,
	GUARD_INT_LT,
	GUARD_INT_LE,
	GUARD_INT_GT,
	GUARD_INT_GE
} GuardKind;

/* the guards of one rule */
typedef struct RuleGuards
{
	int			n;
	GuardKind	kind[GUARD_PER_RULE];
	int			column[GUARD_PER_RULE]; /* text: an index in columns[];
										 * integer: the attribute number */
	int			value[GUARD_PER_RULE];	/* text: the string's id */
	int64		bound[GUARD_PER_RULE];	/* integer: the constant */
	bool		is_int8[GUARD_PER_RULE];	/* integer: the column is int8 */
	text	   *string[GUARD_PER_RULE]; /* text: the string, until
										 * guards_finish */
} RuleGuards;

typedef struct CatalogueGuards
{
	int			nrules;
	RuleGuards *rules;
	int			ncolumns;
	GuardColumn columns[GUARD_MAX_COLUMNS];

	/*
	 * The rules a row can match, in catalogue order, by the row's id in the
	 * text column that guards the most rules with an equality (primary):
	 * candidates[id + 1] has ncandidates[id + 1] rules, candidates[0] those
	 * for a NULL or a string no rule names.  Without a primary column,
	 * candidates[0] is every rule.
	 */
	int			primary;		/* an index in columns[], or -1 */
	int		  **candidates;
	int		   *ncandidates;
} CatalogueGuards;

extern CatalogueGuards *guards_create(int nrules);
extern Expr *guards_add(CatalogueGuards *g, int rule, Expr *expr);
extern void guards_finish(CatalogueGuards *g);
extern int	guards_lookup(const CatalogueGuards *g, int c, TupleTableSlot *slot);
extern bool guards_int_pass(const RuleGuards *r, int j, TupleTableSlot *slot);

/* a row's ids, all GUARD_UNKNOWN until the rules need them */
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
		k = Max(row_ids[g->primary], GUARD_OTHER) + 1;
	}
	*n = g->ncandidates[k];
	return g->candidates[k];
}

/* whether rule may be true of the row: all its guards are true */
static inline bool
guards_pass(const CatalogueGuards *g, int rule, int *row_ids, TupleTableSlot *slot)
{
	const RuleGuards *r = &g->rules[rule];

	for (int j = 0; j < r->n; j++)
	{
		int			c = r->column[j];

		if (r->kind[j] == GUARD_TEXT_EQ || r->kind[j] == GUARD_TEXT_NE)
		{
			if (row_ids[c] == GUARD_UNKNOWN)
				row_ids[c] = guards_lookup(g, c, slot);
			if (r->kind[j] == GUARD_TEXT_EQ ? row_ids[c] != r->value[j] :
				(row_ids[c] == GUARD_NULL || row_ids[c] == r->value[j]))
				return false;
		}
		else if (!guards_int_pass(r, j, slot))
			return false;
	}
	return true;
}

#endif							/* SEGMENTATION_GUARD_PG_H */
