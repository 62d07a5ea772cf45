/*-------------------------------------------------------------------------
 *
 * summary_pg.c
 *	  The btyd_summary and btyd_holdout_summary aggregates: a customer's
 *	  orders to the (frequency, recency, T, monetary) summary of the BTYD
 *	  models, and the calibration/holdout variant.
 *
 * Purchase days are dates in the session's TimeZone (the day an analyst
 * sees), so the transition functions are STABLE.  The state keeps each
 * order's (day, amount) up to the end of the observation: 16 bytes an order,
 * merged by concatenation, so parallel and partial aggregation give exactly
 * the serial result.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

#include "core_pg.h"
#include "summary.h"

typedef struct SummaryAgg
{
	bool		holdout;		/* btyd_holdout_summary */
	int32		end_day;		/* the last calibration day */
	int32		holdout_end_day;	/* the last observed day (= end_day without
									 * holdout) */
	TimestampTz end_ts;			/* the arguments, to check every row's */
	TimestampTz holdout_end_ts;
	double		unit_days;
	BtydOrders	orders;
} SummaryAgg;

static const char *
summary_name(bool holdout)
{
	return holdout ? "btyd_holdout_summary" : "btyd_summary";
}

/* The date of a timestamptz in the session's TimeZone. */
static int32
day_of(TimestampTz t, const char *what)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be finite", what)));
	return DatumGetDateADT(DirectFunctionCall1(timestamptz_date, TimestampTzGetDatum(t)));
}

static void
same_arg(TimestampTz was, TimestampTz now, const char *what, bool holdout)
{
	core_agg_same_timestamptz(was, now, what, summary_name(holdout));
}

/*
 * args: (state, ordered_at, amount, end [, observation_end] [, unit]).
 * Rows with a NULL ordered_at or amount are skipped.
 */
static Datum
summary_trans(FunctionCallInfo fcinfo, bool holdout)
{
	MemoryContext aggcxt,
				old;
	SummaryAgg *agg = PG_ARGISNULL(0) ? NULL : (SummaryAgg *) PG_GETARG_POINTER(0);
	int			nends = holdout ? 2 : 1;
	int			unit_arg = 3 + nends;
	const char *end_name = holdout ? "calibration_end" : "as_of";
	TimestampTz end,
				hend;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s_trans called in non-aggregate context", summary_name(holdout));
	if (PG_ARGISNULL(3) || (holdout && PG_ARGISNULL(4)))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", PG_ARGISNULL(3) ? end_name : "observation_end")));
	if (PG_NARGS() > unit_arg && PG_ARGISNULL(unit_arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("unit must not be null")));
	end = PG_GETARG_TIMESTAMPTZ(3);
	hend = holdout ? PG_GETARG_TIMESTAMPTZ(4) : end;

	if (agg == NULL)
	{
		agg = MemoryContextAllocZero(aggcxt, sizeof(SummaryAgg));
		agg->holdout = holdout;
		agg->end_ts = end;
		agg->holdout_end_ts = hend;
		agg->end_day = day_of(end, end_name);
		agg->holdout_end_day = day_of(hend, "observation_end");
		if (agg->holdout_end_day < agg->end_day)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("observation_end must not be before calibration_end")));
		agg->unit_days = PG_NARGS() > unit_arg ? core_unit_days(PG_GETARG_INTERVAL_P(unit_arg)) : 1.0;
		btyd_orders_init(&agg->orders);
	}
	else
	{
		same_arg(agg->end_ts, end, end_name, holdout);
		if (holdout)
			same_arg(agg->holdout_end_ts, hend, "observation_end", holdout);
		if (PG_NARGS() > unit_arg &&
			core_unit_days(PG_GETARG_INTERVAL_P(unit_arg)) != agg->unit_days)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unit must be the same on every row of a %s group", summary_name(holdout))));
	}

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(2))
	{
		int32		day = day_of(PG_GETARG_TIMESTAMPTZ(1), "ordered_at");
		double		amount = PG_GETARG_FLOAT8(2);

		if (isnan(amount) || isinf(amount))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("amount must be a finite number")));
		if (day <= agg->holdout_end_day)
		{
			old = MemoryContextSwitchTo(aggcxt);
			btyd_orders_add(&agg->orders, day, amount);
			MemoryContextSwitchTo(old);
		}
	}
	PG_RETURN_POINTER(agg);
}

PG_FUNCTION_INFO_V1(btyd_summary_trans);
Datum
btyd_summary_trans(PG_FUNCTION_ARGS)
{
	return summary_trans(fcinfo, false);
}

PG_FUNCTION_INFO_V1(btyd_holdout_summary_trans);
Datum
btyd_holdout_summary_trans(PG_FUNCTION_ARGS)
{
	return summary_trans(fcinfo, true);
}

PG_FUNCTION_INFO_V1(btyd_summary_combine);
Datum
btyd_summary_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt,
				old;
	SummaryAgg *a = PG_ARGISNULL(0) ? NULL : (SummaryAgg *) PG_GETARG_POINTER(0);
	SummaryAgg *b = PG_ARGISNULL(1) ? NULL : (SummaryAgg *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "btyd_summary_combine called in non-aggregate context");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	old = MemoryContextSwitchTo(aggcxt);
	if (a == NULL)
	{
		a = palloc(sizeof(SummaryAgg));
		*a = *b;
		btyd_orders_init(&a->orders);
	}
	else
	{
		same_arg(a->end_ts, b->end_ts, a->holdout ? "calibration_end" : "as_of", a->holdout);
		same_arg(a->holdout_end_ts, b->holdout_end_ts, "observation_end", a->holdout);
		if (a->unit_days != b->unit_days)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unit must be the same on every row of a %s group", summary_name(a->holdout))));
	}
	btyd_orders_merge(&a->orders, &b->orders);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(btyd_summary_serialize);
Datum
btyd_summary_serialize(PG_FUNCTION_ARGS)
{
	SummaryAgg *agg = (SummaryAgg *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, agg->holdout);
	pq_sendint64(&buf, agg->end_ts);
	pq_sendint64(&buf, agg->holdout_end_ts);
	pq_sendint32(&buf, agg->end_day);
	pq_sendint32(&buf, agg->holdout_end_day);
	pq_sendfloat8(&buf, agg->unit_days);
	pq_sendint64(&buf, agg->orders.n);
	for (int64 i = 0; i < agg->orders.n; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		pq_sendint32(&buf, agg->orders.orders[i].day);
		pq_sendfloat8(&buf, agg->orders.orders[i].amount);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(btyd_summary_deserialize);
Datum
btyd_summary_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	SummaryAgg *agg;
	int64		n;

	/*
	 * In the current context, the per-input-tuple one the executor runs a
	 * deserialize function in: btyd_summary_combine copies the orders into
	 * the aggregate's context, so this copy is needed only until then (made
	 * in the aggregate's context, every partial state the leader received
	 * stayed allocated to the end of the query, in fresh pages).
	 */
	(void) core_agg_deserialize_begin(fcinfo, "btyd_summary_deserialize", &buf);
	agg = palloc0(sizeof(SummaryAgg));
	agg->holdout = pq_getmsgbyte(&buf) != 0;
	agg->end_ts = pq_getmsgint64(&buf);
	agg->holdout_end_ts = pq_getmsgint64(&buf);
	agg->end_day = pq_getmsgint(&buf, 4);
	agg->holdout_end_day = pq_getmsgint(&buf, 4);
	agg->unit_days = pq_getmsgfloat8(&buf);
	n = pq_getmsgint64(&buf);
	if (n < 0 || n > (buf.len - buf.cursor) / 12)
		elog(ERROR, "invalid btyd_summary aggregate state");
	btyd_orders_init(&agg->orders);
	for (int64 i = 0; i < n; i++)
	{
		int32		day = pq_getmsgint(&buf, 4);

		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();

		btyd_orders_add(&agg->orders, day, pq_getmsgfloat8(&buf));
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(agg);
}

PG_FUNCTION_INFO_V1(btyd_summary_final);
Datum
btyd_summary_final(PG_FUNCTION_ARGS)
{
	SummaryAgg *agg = PG_ARGISNULL(0) ? NULL : (SummaryAgg *) PG_GETARG_POINTER(0);
	BtydSummary s;
	TupleDesc	tupdesc;
	Datum		values[8];
	bool		nulls[8] = {false};
	int			natts;

	/* no rows, or no order by the end of the (calibration) period */
	if (agg == NULL ||
		!btyd_summarize(&agg->orders, agg->end_day, agg->holdout_end_day, agg->unit_days, &s))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "%s must return a composite type", summary_name(agg->holdout));
	tupdesc = BlessTupleDesc(tupdesc);
	/* 0.2.0's types have the unit last; 0.1.0's (a database not yet
	 * updated to this library's version) do not */
	natts = tupdesc->natts;
	if (natts != (agg->holdout ? 8 : 5) && natts != (agg->holdout ? 7 : 4))
		elog(ERROR, "%s returns a composite of %d attributes, not %d",
			 summary_name(agg->holdout), tupdesc->natts, agg->holdout ? 8 : 5);
	if (s.frequency > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a customer has more than %d purchase days", PG_INT32_MAX)));
	values[0] = Int32GetDatum((int32) s.frequency);
	values[1] = Float8GetDatum(s.recency);
	values[2] = Float8GetDatum(s.T);
	values[3] = Float8GetDatum(s.monetary);
	values[4] = Int32GetDatum((int32) s.frequency_holdout);
	values[5] = Float8GetDatum(s.monetary_holdout);
	values[6] = Float8GetDatum(s.duration_holdout);
	/* the unit travels with the summary: clv_fit and the predictions read it */
	if (natts == 5 || natts == 8)
		values[natts - 1] = Float8GetDatum(agg->unit_days);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
