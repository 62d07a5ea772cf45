/*-------------------------------------------------------------------------
 *
 * events_pg.c
 *	  The evaluator's side of behavioural conditions: the value of each
 *	  condition's aggregate for the row being evaluated, computed when the
 *	  compiled rule first reads it.
 *
 * The binder's evaluator form (behaviour_pg.c) leaves, for each condition,
 * a Param $k in the rule's expression and a query that computes it for one
 * customer ($1 as_of, $2 the customer key).  Here each query is planned once
 * per call site, and $k is fetched through the ParamListInfo's paramFetch
 * hook: the first read of $k for a row evaluates the key over the row and
 * runs the plan; later reads of the same row reuse the value.  A condition
 * that and/or never reaches for a row is never run for it.
 *
 * Each run is a whole executor cycle under the query's snapshot, with the
 * privileges of the current role (so 42501 for a source it may not read),
 * which is what SPI would do; its memory goes with the executor state, and
 * the value is copied into the row's memory context.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/params.h"
#include "optimizer/optimizer.h"
#include "tcop/tcopprot.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"

#include "bind_pg.h"
#include "rule_pg.h"

typedef struct EventRun
{
	Oid			valtype;
	int16		typlen;
	bool		typbyval;
	ExprState  *key;
	PlannedStmt *plan;
	ParamListInfo qparams;		/* $1 as_of, $2 the key */
	uint64		row;			/* the row value is for */
	Datum		value;
	bool		isnull;
} EventRun;

typedef struct EventRuns
{
	ExprContext *econtext;		/* where the row is (its scan tuple) */
	uint64		row;			/* the current row, counted */
	int			nruns;
	EventRun   *runs;			/* run k is Param $(k + 2) */
} EventRuns;

/* A DestReceiver keeping the first column of the first row. */
typedef struct ValueReceiver
{
	DestReceiver pub;
	EventRun   *run;
	MemoryContext cxt;
	bool		got;
} ValueReceiver;

static bool
value_receive(TupleTableSlot *slot, DestReceiver *self)
{
	ValueReceiver *vr = (ValueReceiver *) self;
	EventRun   *r = vr->run;
	Datum		v;
	bool		isnull;

	if (vr->got)
		return true;
	v = slot_getattr(slot, 1, &isnull);
	r->isnull = isnull;
	r->value = (Datum) 0;
	if (!isnull)
	{
		MemoryContext old = MemoryContextSwitchTo(vr->cxt);

		r->value = datumCopy(v, r->typbyval, r->typlen);
		MemoryContextSwitchTo(old);
	}
	vr->got = true;
	return true;
}

static void
value_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
value_shutdown(DestReceiver *self)
{
}

static void
value_destroy(DestReceiver *self)
{
}

/* Run r's plan for the current row, leaving the value in r. */
static void
run_events(EventRuns *er, EventRun *r, ParamListInfo params)
{
	ValueReceiver vr;
	QueryDesc  *qd;
	bool		keynull;
	Datum		key;
	bool		pushed = false;

	key = ExecEvalExpr(r->key, er->econtext, &keynull);
	r->qparams->params[0] = params->params[0];
	r->qparams->params[1].value = key;
	r->qparams->params[1].isnull = keynull;

	memset(&vr, 0, sizeof(vr));
	vr.pub.receiveSlot = value_receive;
	vr.pub.rStartup = value_startup;
	vr.pub.rShutdown = value_shutdown;
	vr.pub.rDestroy = value_destroy;
	vr.pub.mydest = DestNone;
	vr.run = r;
	vr.cxt = er->econtext->ecxt_per_tuple_memory;
	r->isnull = true;
	r->value = (Datum) 0;

	if (!ActiveSnapshotSet())
	{
		PushActiveSnapshot(GetTransactionSnapshot());
		pushed = true;
	}
	qd = CreateQueryDesc(r->plan, "segment rule behavioural condition", GetActiveSnapshot(),
						 InvalidSnapshot, (DestReceiver *) &vr, r->qparams, NULL, 0);
	ExecutorStart(qd, 0);
	ExecutorRun(qd, ForwardScanDirection, 0, true);
	ExecutorFinish(qd);
	ExecutorEnd(qd);
	FreeQueryDesc(qd);
	if (pushed)
		PopActiveSnapshot();
}

static ParamExternData *
fetch_param(ParamListInfo params, int paramid, bool speculative, ParamExternData *workspace)
{
	EventRuns  *er = params->paramFetchArg;
	EventRun   *r;

	if (paramid < 2 || paramid - 2 >= er->nruns)
		return &params->params[paramid - 1];
	r = &er->runs[paramid - 2];
	if (r->row != er->row)
	{
		if (speculative)
		{
			/* not for an estimate: say nothing is known */
			workspace->ptype = InvalidOid;
			return workspace;
		}
		run_events(er, r, params);
		r->row = er->row;
	}
	workspace->value = r->value;
	workspace->isnull = r->isnull;
	workspace->pflags = 0;
	workspace->ptype = r->valtype;
	return workspace;
}

/*
 * The parameters of rules bound with behaviours: $1 as_of (set by the
 * caller in params[0]), and a value for each behaviour, fetched when read.
 * The plans are made in the current memory context, which must live as long
 * as the compiled rules.
 */
ParamListInfo
rule_events_params(List *behaviours, ExprContext *econtext)
{
	int			n = list_length(behaviours);
	ParamListInfo params = makeParamList(1 + n);
	EventRuns  *er = palloc0(sizeof(EventRuns));
	ListCell   *lc;
	int			k = 0;

	params->params[0].ptype = TIMESTAMPTZOID;
	params->params[0].pflags = PARAM_FLAG_CONST;
	er->econtext = econtext;
	er->row = 1;
	er->nruns = n;
	er->runs = palloc0(sizeof(EventRun) * Max(1, n));
	foreach(lc, behaviours)
	{
		RuleBehaviour *rb = lfirst(lc);
		EventRun   *r = &er->runs[k];

		Assert(rb->paramid == k + 2);
		r->valtype = rb->valtype;
		get_typlenbyval(rb->valtype, &r->typlen, &r->typbyval);
		r->key = ExecInitExpr(expression_planner((Expr *) rb->key), NULL);
		r->plan = pg_plan_query(rb->query, NULL, 0, NULL);
		r->qparams = makeParamList(2);
		r->qparams->params[0].ptype = TIMESTAMPTZOID;
		r->qparams->params[0].pflags = PARAM_FLAG_CONST;
		r->qparams->params[1].ptype = rb->keytype;
		r->qparams->params[1].pflags = PARAM_FLAG_CONST;
		params->params[k + 1].ptype = rb->valtype;
		k++;
		CHECK_FOR_INTERRUPTS();
	}
	params->paramFetch = fetch_param;
	params->paramFetchArg = er;
	return params;
}

/* A new row is in the expression context: forget the values of the last. */
void
rule_events_next_row(ParamListInfo params)
{
	if (params->paramFetch == fetch_param)
		((EventRuns *) params->paramFetchArg)->row++;
}
