/*-------------------------------------------------------------------------
 *
 * stage.c
 *	  The lifecycle rules over a constant-size, mergeable summary of a
 *	  customer's orders (see stage.h for why the summary suffices).
 *
 * The first rule that holds gives the stage:
 *	 1. prospect	no orders on or before as_of
 *	 2. lapsed		as_of - last > lapse_after
 *	 3. at_risk		as_of - last > active_window
 *	 4. new			as_of - first <= new_window
 *	 5. reactivated	a gap longer than lapse_after between two consecutive
 *					orders, the order ending the latest such gap within
 *					new_window of as_of
 *	 6. loyal		at least loyal_orders orders in (as_of - loyal_window, as_of]
 *	 7. active		otherwise
 *
 * Elapsed times are computed in 128 bits where the compiler has them, so
 * that no pair of timestamps overflows.
 *
 *-------------------------------------------------------------------------
 */
#include "stage.h"

const char *const lifecycle_stage_names[LIFECYCLE_NSTAGES] = {
	"prospect", "new", "active", "loyal", "at_risk", "lapsed", "reactivated"
};

#if defined(__SIZEOF_INT128__)
typedef __int128 wide_t;
#else
typedef long double wide_t;		/* exact to 64 bits of mantissa */
#endif

/* later - earlier > span */
static inline bool
longer(int64_t later, int64_t earlier, int64_t span)
{
	return (wide_t) later - (wide_t) earlier > (wide_t) span;
}

static bool
window_check(CoreError *err, int64_t span, const char *name)
{
	if (span > 0)
		return true;
	core_fail(err, CORE_ERR_INVALID_PARAMETER, -1, "%s must be a positive interval", name);
	core_detail(err, "A window of zero or negative length holds no orders.");
	return false;
}

bool
lifecycle_policy_check(const LifecyclePolicy *p, CoreError *err)
{
	if (!window_check(err, p->new_window, "new_window") ||
		!window_check(err, p->active_window, "active_window") ||
		!window_check(err, p->lapse_after, "lapse_after") ||
		!window_check(err, p->loyal_window, "loyal_window"))
		return false;
	if (p->loyal_orders < 1)
	{
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "loyal_orders must be at least 1, not %s", CORE_INT(p->loyal_orders));
		return false;
	}
	if (p->new_window > p->active_window)
	{
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "new_window must not be longer than active_window");
		core_detail(err, "A customer is new only while still active.");
		return false;
	}
	if (p->active_window > p->lapse_after)
	{
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "active_window must not be longer than lapse_after");
		core_detail(err, "A customer is at risk between active_window and lapse_after after the last order.");
		return false;
	}
	return true;
}

void
lifecycle_init(LifecycleState *st, int64_t as_of)
{
	st->as_of = as_of;
	st->n = 0;
	st->first = 0;
	st->last = 0;
	st->loyal = 0;
	st->recent = 0;
	st->before = 0;
	st->has_recent = false;
	st->has_before = false;
}

void
lifecycle_add(LifecycleState *st, const LifecyclePolicy *policy, int64_t t)
{
	if (t > st->as_of)
		return;					/* orders after as_of are ignored */
	if (st->n == 0 || t < st->first)
		st->first = t;
	if (st->n == 0 || t > st->last)
		st->last = t;
	st->n++;
	if (!longer(st->as_of, t, policy->loyal_window - 1))
		st->loyal++;			/* as_of - t < loyal_window */
	if (!longer(st->as_of, t, policy->new_window))
	{
		/* in the new window */
		if (!st->has_recent || t < st->recent)
			st->recent = t;
		st->has_recent = true;
	}
	else if (!st->has_before || t > st->before)
	{
		st->before = t;
		st->has_before = true;
	}
}

void
lifecycle_merge(LifecycleState *dst, const LifecycleState *src)
{
	if (src->n == 0)
		return;
	if (dst->n == 0 || src->first < dst->first)
		dst->first = src->first;
	if (dst->n == 0 || src->last > dst->last)
		dst->last = src->last;
	dst->n += src->n;
	dst->loyal += src->loyal;
	if (src->has_recent && (!dst->has_recent || src->recent < dst->recent))
	{
		dst->recent = src->recent;
		dst->has_recent = true;
	}
	if (src->has_before && (!dst->has_before || src->before > dst->before))
	{
		dst->before = src->before;
		dst->has_before = true;
	}
}

LifecycleStage
lifecycle_decide(const LifecycleState *st, const LifecyclePolicy *policy)
{
	if (st->n == 0)
		return STAGE_PROSPECT;
	if (longer(st->as_of, st->last, policy->lapse_after))
		return STAGE_LAPSED;
	if (longer(st->as_of, st->last, policy->active_window))
		return STAGE_AT_RISK;
	if (!longer(st->as_of, st->first, policy->new_window))
		return STAGE_NEW;
	if (st->has_recent && st->has_before &&
		longer(st->recent, st->before, policy->lapse_after))
		return STAGE_REACTIVATED;
	if (st->loyal >= policy->loyal_orders)
		return STAGE_LOYAL;
	return STAGE_ACTIVE;
}

LifecycleStage
lifecycle_decide_summary(int64_t first, int64_t last, int64_t count,
						 int64_t as_of, const LifecyclePolicy *policy)
{
	if (count <= 0)
		return STAGE_PROSPECT;
	if (longer(as_of, last, policy->lapse_after))
		return STAGE_LAPSED;
	if (longer(as_of, last, policy->active_window))
		return STAGE_AT_RISK;
	if (!longer(as_of, first, policy->new_window))
		return STAGE_NEW;
	if (count >= policy->loyal_orders)
		return STAGE_LOYAL;
	return STAGE_ACTIVE;
}
