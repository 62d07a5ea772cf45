/*-------------------------------------------------------------------------
 *
 * points_pg.h
 *	  A point set (points.h) as part of an aggregate's serialized state:
 *	  clv_fit's and bgbb_fit/sbg_fit's states send theirs the same way.
 *
 *-------------------------------------------------------------------------
 */
#ifndef POINTS_PG_H
#define POINTS_PG_H

#include "lib/stringinfo.h"

#include "points.h"

extern void btyd_points_send(StringInfo buf, const BtydPointSet *set, bool with_m,
							 const char *what);
extern void btyd_points_recv(StringInfo buf, BtydPointSet *set, bool with_m,
							 MemoryContext cxt, const char *what);

#endif							/* POINTS_PG_H */
