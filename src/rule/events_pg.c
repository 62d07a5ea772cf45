/*-------------------------------------------------------------------------
 *
 * events_pg.c
 *	  The evaluator's side of behavioural conditions: the value of each
 *	  condition's aggregate for the row being evaluated, computed when the
 *	  compiled rule first reads it.
 *
 * The binder's evaluator form (behaviour_pg.c) leaves, for each condition,
 * a Param $k in the rule's expression; rule_behaviour_queries makes one
 * query per source (and customer key) that computes every condition on it
 * for one customer ($1 as_of, $2 the customer key).  Here each query is
 * planned once per call site, and $k is fetched through the ParamListInfo's
 * paramFetch hook: the first read of a value for a row evaluates the key over
 * the row and runs its query, which sets the values of all its conditions;
 * later reads for the same row reuse them.  A source that and/or never
 * reaches for a row is never read for it.
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

/* One query of a call site: the events of one source for one key. */
typedef struct EventRun
{
	ExprState  *key;
	PlannedStmt *plan;
	ParamListInfo qparams;		/* $1 as_of, $2 the key */
	uint64		row;			/* the row values are for */
	int			ncols;
	int		   *paramids;
} EventRun;

/* The value of one behaviour's Param for the current row. */
typedef struct EventValue
{
	Oid			valtype;
	int16		typlen;
	bool		typbyval;
	EventRun   *run;			/* the query that computes it */
	Datum		value;
	bool		isnull;
} EventValue;

typedef struct EventRuns
{
	ExprContext *econtext;		/* where the row is (its scan tuple) */
	uint64		row;			/* the current row, counted */
	int			nvalues;
	EventValue *values;			/* value k is Param $(k + 2) */
} EventRuns;

/* A DestReceiver keeping the first column of the first row. */
typedef struct ValueReceiver
{
	DestReceiver pub;
	EventRuns  *er;
	EventRun   *run;
	bool		got;
} ValueReceiver;

/* The first (only) row: each column into its behaviour's value, copied into
 * the row's memory. */
static bool
value_receive(TupleTableSlot *slot, DestReceiver *self)
{
	ValueReceiver *vr = (ValueReceiver *) self;
	EventRun   *r = vr->run;
	MemoryContext old;

	if (vr->got)
		return true;
	old = MemoryContextSwitchTo(vr->er->econtext->ecxt_per_tuple_memory);
	for (int i = 0; i < r->ncols; i++)
	{
		EventValue *v = &vr->er->values[r->paramids[i] - 2];
		Datum		d = slot_getattr(slot, i + 1, &v->isnull);

		v->value = v->isnull ? (Datum) 0 : datumCopy(d, v->typbyval, v->typlen);
	}
	MemoryContextSwitchTo(old);
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

/* Run r's plan for the current row, leaving its values in er. */
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
	vr.er = er;
	vr.run = r;

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
	if (!vr.got)
		elog(ERROR, "the events query of a segment rule returned no row");
	r->row = er->row;
}

static ParamExternData *
fetch_param(ParamListInfo params, int paramid, bool speculative, ParamExternData *workspace)
{
	EventRuns  *er = params->paramFetchArg;
	EventValue *v;

	if (paramid < 2 || paramid - 2 >= er->nvalues)
		return &params->params[paramid - 1];
	v = &er->values[paramid - 2];
	if (v->run->row != er->row)
	{
		if (speculative)
		{
			/* not for an estimate: say nothing is known */
			workspace->ptype = InvalidOid;
			return workspace;
		}
		run_events(er, v->run, params);
	}
	workspace->value = v->value;
	workspace->isnull = v->isnull;
	workspace->pflags = 0;
	workspace->ptype = v->valtype;
	return workspace;
}

/*
 * The parameters of rules bound with behaviours: $1 as_of (set by the
 * caller in params[0]), and a value for each behaviour, fetched when read.
 * The plans are made in the current memory context, which must live as long
 * as the compiled rules.
 */
ParamListInfo
rule_events_params(const RuleBindTarget *target, List *behaviours, ExprContext *econtext)
{
	int			n = list_length(behaviours);
	ParamListInfo params = makeParamList(1 + n);
	EventRuns  *er = palloc0(sizeof(EventRuns));
	ListCell   *lc;

	params->params[0].ptype = TIMESTAMPTZOID;
	params->params[0].pflags = PARAM_FLAG_CONST;
	er->econtext = econtext;
	er->row = 1;
	er->nvalues = n;
	er->values = palloc0(sizeof(EventValue) * Max(1, n));
	foreach(lc, behaviours)
	{
		RuleBehaviour *rb = lfirst(lc);
		EventValue *v = &er->values[rb->paramid - 2];

		v->valtype = rb->valtype;
		get_typlenbyval(rb->valtype, &v->typlen, &v->typbyval);
		params->params[rb->paramid - 1].ptype = rb->valtype;
	}
	foreach(lc, rule_behaviour_queries(target, behaviours))
	{
		RuleEventQuery *eq = lfirst(lc);
		EventRun   *r = palloc0(sizeof(EventRun));

		r->key = ExecInitExpr(expression_planner((Expr *) eq->key), NULL);
		r->plan = pg_plan_query(eq->query, NULL, 0, NULL);
		r->qparams = makeParamList(2);
		r->qparams->params[0].ptype = TIMESTAMPTZOID;
		r->qparams->params[0].pflags = PARAM_FLAG_CONST;
		r->qparams->params[1].ptype = eq->keytype;
		r->qparams->params[1].pflags = PARAM_FLAG_CONST;
		r->ncols = eq->ncols;
		r->paramids = eq->paramids;
		for (int i = 0; i < eq->ncols; i++)
			er->values[eq->paramids[i] - 2].run = r;
		CHECK_FOR_INTERRUPTS();
	}
	if (n > 0)
	{
		params->paramFetch = fetch_param;
		params->paramFetchArg = er;
	}
	return params;
}

/* A new row is in the expression context: forget the values of the last. */
void
rule_events_next_row(ParamListInfo params)
{
	if (params->paramFetch == fetch_param)
		((EventRuns *) params->paramFetchArg)->row++;
}
