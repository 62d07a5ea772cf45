/*-------------------------------------------------------------------------
 *
 * design_pg.c
 *	  segment_sample_size, segment_sample_size_mean and the window function
 *	  segment_p_adjust (Benjamini-Hochberg): planning an experiment and
 *	  reading many segments' p-values together.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include "core_pg.h"
#include "experiment/stats.h"

static Datum
ceil_count(double n)
{
	if (!(n < 9.2e18))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the sample size is out of range for bigint")));
	return Int64GetDatum((int64) ceil(n - 1e-9));
}

/*
 * segment_sample_size(baseline_rate, minimum_detectable_effect, alpha,
 * power, ratio): customers in the control group; the treatment group needs
 * ratio times as many.  The effect is absolute (0.02 = two points).
 */
PG_FUNCTION_INFO_V1(segment_sample_size);
Datum
segment_sample_size(PG_FUNCTION_ARGS)
{
	double		n;
	CoreError	err;

	if (!exp_sample_size_proportion(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1),
									PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3),
									PG_GETARG_FLOAT8(4), &n, &err))
		core_ereport(&err);
	PG_RETURN_DATUM(ceil_count(n));
}

PG_FUNCTION_INFO_V1(segment_sample_size_mean);
Datum
segment_sample_size_mean(PG_FUNCTION_ARGS)
{
	double		n;
	CoreError	err;

	if (!exp_sample_size_mean(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1),
							  PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3),
							  PG_GETARG_FLOAT8(4), &n, &err))
		core_ereport(&err);
	PG_RETURN_DATUM(ceil_count(n));
}

typedef struct PAdjustPartition
{
	bool		done;
	int64		n;
	double	   *adj;
} PAdjustPartition;

/*
 * segment_p_adjust(p) OVER (...): reads the partition's p-values once, on
 * its first row, and answers each row from the adjusted array.
 */
PG_FUNCTION_INFO_V1(segment_p_adjust);
Datum
segment_p_adjust(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	PAdjustPartition *part;
	int64		pos;

	part = (PAdjustPartition *) WinGetPartitionLocalMemory(winobj, sizeof(PAdjustPartition));
	if (!part->done)
	{
		int64		n = WinGetPartitionRowCount(winobj);
		MemoryContext cxt = GetMemoryChunkContext(part);
		double	   *p;
		int		   *order;

		if (n > (int64) (MaxAllocSize / sizeof(double)))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("segment_p_adjust takes at most %d rows in a window partition",
							(int) (MaxAllocSize / sizeof(double)))));
		p = MemoryContextAlloc(cxt, Max(n, 1) * sizeof(double));
		order = MemoryContextAlloc(cxt, Max(n, 1) * sizeof(int));
		part->adj = MemoryContextAlloc(cxt, Max(n, 1) * sizeof(double));
		for (int64 i = 0; i < n; i++)
		{
			bool		isnull,
						isout;
			Datum		d;

			CHECK_FOR_INTERRUPTS();
			d = WinGetFuncArgInPartition(winobj, 0, (int) i, WINDOW_SEEK_HEAD, false,
										 &isnull, &isout);
			if (isnull || isout)
				p[i] = NAN;
			else
			{
				p[i] = DatumGetFloat8(d);
				if (!(p[i] >= 0.0 && p[i] <= 1.0))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("p-value %g is not between 0 and 1", p[i])));
			}
		}
		exp_p_adjust_bh(p, (int) n, part->adj, order);
		pfree(p);
		pfree(order);
		part->n = n;
		part->done = true;
	}
	pos = WinGetCurrentPosition(winobj);
	if (pos < 0 || pos >= part->n || isnan(part->adj[pos]))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(part->adj[pos]);
}
