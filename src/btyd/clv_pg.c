/*-------------------------------------------------------------------------
 *
 * clv_pg.c
 *	  Customer lifetime value in SQL: the closed-form estimate for data too
 *	  thin for a model.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

#include "btyd.h"
#include "core_pg.h"

PG_FUNCTION_INFO_V1(clv_estimate_closed_form);
Datum
clv_estimate_closed_form(PG_FUNCTION_ARGS)
{
	CoreError	err;
	double		clv;

	if (!clv_closed_form(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
						 PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4), &clv, &err))
		core_ereport(&err);
	PG_RETURN_FLOAT8(clv);
}
