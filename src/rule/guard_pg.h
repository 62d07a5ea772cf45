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

typedef struct GuardColumn
{
	AttrNumber	attnum;
	int			nvalues;		/* distinct strings the rules require */
	uint32		mask;			/* the table's size - 1 (a power of 2) */
	int		   *ids;			/* per slot: a value's id, or -1 (empty) */
	uint32	   *hashes;			/* per slot: its hash */
	text	  **values;			/* per slot: the string (not toasted) */
} GuardColumn;

typedef struct CatalogueGuards
{
	int			nrules;
	int		   *rule_column;	/* per rule: its guard's column in columns[],
								 * or -1 (no guard) */
	int		   *rule_value;		/* per rule: the id of the string it needs */
	text	  **rule_text;		/* per rule: that string, until guards_finish */
	int			ncolumns;
	GuardColumn columns[GUARD_MAX_COLUMNS];
} CatalogueGuards;

extern CatalogueGuards *guards_create(int nrules);
extern bool guards_add(CatalogueGuards *g, int rule, AttrNumber attnum, text *value);
extern void guards_finish(CatalogueGuards *g);
extern void guards_row(const CatalogueGuards *g, TupleTableSlot *slot, int *row_ids);
extern Expr *guards_strip(Expr *expr, AttrNumber attnum, const text *value);

/* whether rule may be true of the row whose guard ids guards_row gave */
static inline bool
guards_pass(const CatalogueGuards *g, int rule, const int *row_ids)
{
	int			c = g->rule_column[rule];

	return c < 0 || row_ids[c] == g->rule_value[rule];
}

#endif							/* SEGMENTATION_GUARD_PG_H */
