/*-------------------------------------------------------------------------
 *
 * segmentation.c
 *	  Module magic and initialisation of the segmentation extension.
 *
 * Each feature lives in its own directory under src/ (rfm, lifecycle, rule,
 * btyd); this file only holds what the whole library needs once.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "rule/bind_pg.h"

PG_MODULE_MAGIC;

bool		segmentation_inline_rules = true;
int			segmentation_estimate_sample_rows = 20000;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomBoolVariable("segmentation.inline_rules",
							 "Replaces segment_match over a table row with the expression its constant rule means, at plan time.",
							 "With it, the planner sees the rule's conditions as native quals: indexes, its own estimates and JIT apply.",
							 &segmentation_inline_rules,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomIntVariable("segmentation.estimate_sample_rows",
							"Sets the most rows segment_estimate evaluates a rule with a behavioural condition on.",
							"It counts the rule on growing samples of the relation, up to this many rows; 0 takes the planner's estimate instead.",
							&segmentation_estimate_sample_rows,
							20000,
							0, 100000000,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("segmentation");
}
