/*-------------------------------------------------------------------------
 *
 * core_pg.h
 *	  Server side of the core interface: turning a CoreError into ereport.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CORE_PG_H
#define SEGMENTATION_CORE_PG_H

#include "core.h"

/* Raise err as an ERROR with the SQLSTATE of its code; never returns. */
extern void core_ereport(const CoreError *err) pg_attribute_noreturn();

/* The SQLSTATE (as an ERRCODE_ value) that a core error code maps to. */
extern int	core_sqlstate(CoreErrorCode code);

#endif							/* SEGMENTATION_CORE_PG_H */
