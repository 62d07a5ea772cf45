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

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	/* GUCs of the features are defined here as they arrive. */
}
