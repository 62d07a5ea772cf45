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
	MarkGUCPrefixReserved("segmentation");
}
