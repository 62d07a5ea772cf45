/*-------------------------------------------------------------------------
 *
 * core_pg.c
 *	  The server implementation of core.h: palloc, interrupts, stack
 *	  checks, and the mapping from core error values to ereport.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/typcache.h"

#include "core_pg.h"

void *
core_alloc(size_t size)
{
	return MemoryContextAllocHuge(CurrentMemoryContext, size);
}

void *
core_alloc0(size_t size)
{
	return palloc0(size);
}

void *
core_realloc(void *ptr, size_t size)
{
	return ptr ? repalloc_huge(ptr, size) : MemoryContextAllocHuge(CurrentMemoryContext, size);
}

void
core_free(void *ptr)
{
	if (ptr)
		pfree(ptr);
}

void
core_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

void
core_check_stack(void)
{
	check_stack_depth();
}

int
core_char_length(const char *s)
{
	return pg_mblen(s);
}

int
core_sqlstate(CoreErrorCode code)
{
	switch (code)
	{
		case CORE_ERR_INVALID_PARAMETER:
		case CORE_ERR_NOT_CONVERGED:
			return ERRCODE_INVALID_PARAMETER_VALUE;
		case CORE_ERR_SYNTAX:
			return ERRCODE_SYNTAX_ERROR;
		case CORE_ERR_INVALID_TEXT:
			return ERRCODE_INVALID_TEXT_REPRESENTATION;
		case CORE_ERR_INVALID_BINARY:
			return ERRCODE_INVALID_BINARY_REPRESENTATION;
		case CORE_ERR_UNDEFINED_COLUMN:
			return ERRCODE_UNDEFINED_COLUMN;
		case CORE_ERR_DATATYPE_MISMATCH:
			return ERRCODE_DATATYPE_MISMATCH;
		case CORE_ERR_TOO_DEEP:
			return ERRCODE_STATEMENT_TOO_COMPLEX;
		case CORE_ERR_PROGRAM_LIMIT:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		case CORE_ERR_OUT_OF_RANGE:
			return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
		case CORE_OK:
		case CORE_ERR_INTERNAL:
			break;
	}
	return ERRCODE_INTERNAL_ERROR;
}

/*
 * The format is the core's untranslated string literal: errmsg, errdetail and
 * errhint translate it in this library's text domain, as they do the glue's
 * own formats, and format the string arguments the core kept (count_args in
 * core.c guarantees %s conversions only, at most CORE_MAX_ARGS).
 */
#define CORE_TEXT_ARGS(t) (t).args[0], (t).args[1], (t).args[2], (t).args[3]

void
core_ereport(const CoreError *err)
{
	ereport(ERROR,
			(errcode(core_sqlstate(err->code)),
			 errmsg(err->message.fmt, CORE_TEXT_ARGS(err->message)),
			 err->detail.fmt ? errdetail(err->detail.fmt, CORE_TEXT_ARGS(err->detail)) : 0,
			 err->hint.fmt ? errhint(err->hint.fmt, CORE_TEXT_ARGS(err->hint)) : 0));
	pg_unreachable();
}

int
core_errdetail(const CoreError *err)
{
	return err->detail.fmt ? errdetail(err->detail.fmt, CORE_TEXT_ARGS(err->detail)) : 0;
}

MemoryContext
core_agg_deserialize_begin(FunctionCallInfo fcinfo, const char *fname, StringInfo buf)
{
	MemoryContext aggcxt;
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", fname);
	/* the bytes come from the serialize function in a parallel worker */
	buf->data = VARDATA_ANY(bytes);
	buf->len = VARSIZE_ANY_EXHDR(bytes);
	buf->maxlen = 0;
	buf->cursor = 0;
	return aggcxt;
}

void
core_agg_same_timestamptz(TimestampTz was, TimestampTz now, const char *arg, const char *aggname)
{
	if (was != now)
	{
		/* timestamptz_to_str returns a static buffer: copy each result */
		char	   *a = pstrdup(timestamptz_to_str(was));
		char	   *b = pstrdup(timestamptz_to_str(now));

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be the same on every row of a %s group", arg, aggname),
				 errdetail("Found %s and %s.", a, b)));
	}
}

double
core_unit_days(const Interval *unit)
{
	double		days = (double) unit->month * DAYS_PER_MONTH + unit->day +
		(double) unit->time / USECS_PER_DAY;

	if (!(days > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit must be a positive interval"),
				 errhint("Use interval '1 day', '7 days' or '1 mon' (30 days).")));
	return days;
}

int
core_deform_row(HeapTupleHeader td, int max, Datum *values, bool *nulls)
{
	TupleDesc	tupdesc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(td),
												 HeapTupleHeaderGetTypMod(td));
	HeapTupleData tuple;
	int			natts = tupdesc->natts;

	if (natts > max)
		elog(ERROR, "a row of %d fields where at most %d were expected", natts, max);
	tuple.t_len = HeapTupleHeaderGetDatumLength(td);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = td;
	heap_deform_tuple(&tuple, tupdesc, values, nulls);
	ReleaseTupleDesc(tupdesc);
	return natts;
}
