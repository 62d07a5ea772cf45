/*-------------------------------------------------------------------------
 *
 * stage.h
 *	  Lifecycle stages: the seven rules, and the constant-size summary of a
 *	  customer's orders that decides them.
 *
 * Times are microseconds (PostgreSQL's timestamptz); windows are spans in
 * microseconds, an interval read as PostgreSQL compares intervals (a month
 * is 30 days, a day 24 hours).  Every rule compares an elapsed time with a
 * window, so a stage depends on nothing but its inputs: not on TimeZone.
 *
 * Pure core: no server headers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_LIFECYCLE_STAGE_H
#define SEGMENTATION_LIFECYCLE_STAGE_H

#include "core.h"

/* The stages, in the order of the SQL enum lifecycle_stage. */
typedef enum LifecycleStage
{
	STAGE_PROSPECT = 0,
	STAGE_NEW,
	STAGE_ACTIVE,
	STAGE_LOYAL,
	STAGE_AT_RISK,
	STAGE_LAPSED,
	STAGE_REACTIVATED
} LifecycleStage;

#define LIFECYCLE_NSTAGES 7

extern const char *const lifecycle_stage_names[LIFECYCLE_NSTAGES];

typedef struct LifecyclePolicy
{
	int64_t		new_window;
	int64_t		active_window;
	int64_t		lapse_after;
	int64_t		loyal_window;
	int32_t		loyal_orders;
} LifecyclePolicy;

/*
 * What decides a customer's stage on as_of, kept while the orders stream in
 * (in any order, split into partial states and merged in any order):
 *
 *	 n			orders on or before as_of
 *	 first,last	the earliest and latest of them
 *	 loyal		those with as_of - t < loyal_window
 *	 recent		the earliest order with as_of - t <= new_window (the "new
 *				window" W), if any
 *	 before		the latest order before W, if any
 *
 * Each is a count, a minimum or a maximum, so merging is exact.  Why recent
 * and before suffice for rule 5 (reactivated): policies require new_window
 * <= lapse_after, so two orders inside W are never more than lapse_after
 * apart; a gap longer than lapse_after that ends inside W must therefore
 * run from the latest order before W to the earliest order in W, and no
 * later gap can exist.  The rule holds exactly when both exist and
 * recent - before > lapse_after.
 */
typedef struct LifecycleState
{
	int64_t		as_of;
	int64_t		n;
	int64_t		first;
	int64_t		last;
	int64_t		loyal;
	int64_t		recent;			/* valid when has_recent */
	int64_t		before;			/* valid when has_before */
	bool		has_recent;
	bool		has_before;
} LifecycleState;

/* Checks a policy; on error fills err (22023, naming the argument). */
extern bool lifecycle_policy_check(const LifecyclePolicy *policy, CoreError *err);

extern void lifecycle_init(LifecycleState *st, int64_t as_of);
extern void lifecycle_add(LifecycleState *st, const LifecyclePolicy *policy, int64_t t);
extern void lifecycle_merge(LifecycleState *dst, const LifecycleState *src);
extern LifecycleStage lifecycle_decide(const LifecycleState *st,
									   const LifecyclePolicy *policy);

/*
 * The stage from pre-aggregated figures (first and last order, their count):
 * an approximation that can't see reactivation, and where loyal counts all
 * orders.  first and last must not be after as_of.
 */
extern LifecycleStage lifecycle_decide_summary(int64_t first, int64_t last,
											   int64_t count, int64_t as_of,
											   const LifecyclePolicy *policy);

#endif							/* SEGMENTATION_LIFECYCLE_STAGE_H */
