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

#include "access/htup.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/timestamp.h"

/* Raise err as an ERROR with the SQLSTATE of its code; never returns. */
extern void core_ereport(const CoreError *err) pg_attribute_noreturn();

/* errdetail() of err's detail, for an ereport of the glue's own; 0 if none */
extern int	core_errdetail(const CoreError *err);

/* The SQLSTATE (as an ERRCODE_ value) that a core error code maps to. */
extern int	core_sqlstate(CoreErrorCode code);

/*
 * For an aggregate's deserialize function: checks the aggregate context,
 * points buf at the bytea of argument 0 (read it with pq_getmsg*) and
 * returns the aggregate's memory context.
 */
extern MemoryContext core_agg_deserialize_begin(FunctionCallInfo fcinfo, const char *fname,
												StringInfo buf);

/*
 * A timestamp argument that must be the same on every row of an aggregate's
 * group: 22023 naming the argument and the aggregate, with both values.
 */
extern void core_agg_same_timestamptz(TimestampTz was, TimestampTz now,
									  const char *arg, const char *aggname);

/* The length of a time unit in days, as interval comparison reads it (a
 * month is 30 days); 22023 unless positive. */
extern double core_unit_days(const Interval *unit);

/* Deform a composite value into values/nulls (at most max fields, else an
 * internal error); returns its number of fields. */
extern int	core_deform_row(HeapTupleHeader td, int max, Datum *values, bool *nulls);

#endif							/* SEGMENTATION_CORE_PG_H */
