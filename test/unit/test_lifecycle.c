/*
 * test_lifecycle.c
 *	  The lifecycle core against the seven rules applied literally: every
 *	  consecutive gap of the sorted orders, every order counted in the loyal
 *	  window.  Random customers and policies, with orders placed exactly on
 *	  window edges, duplicates and orders after as_of; each customer's orders
 *	  are split among three partial states, merged in a random order.  Then
 *	  the boundaries one by one, and policy validation.
 */
#include "lifecycle/stage.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#define DAY INT64_C(86400000000)

static int
cmp64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a;
	int64_t		y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

/* The rules as the issue states them, over the whole sorted order list. */
static LifecycleStage
reference(const int64_t *orders, int n_all, int64_t as_of, const LifecyclePolicy *p)
{
	int64_t    *t = malloc(sizeof(int64_t) * (n_all + 1));
	int			n = 0;
	int64_t		loyal = 0;
	int			gap_end = -1;
	LifecycleStage s;

	for (int i = 0; i < n_all; i++)
		if (orders[i] <= as_of)
			t[n++] = orders[i];
	qsort(t, n, sizeof(int64_t), cmp64);
	for (int i = 1; i < n; i++)
		if (t[i] - t[i - 1] > p->lapse_after)
			gap_end = i;		/* the latest gap longer than lapse_after */
	for (int i = 0; i < n; i++)
		if (as_of - t[i] < p->loyal_window)
			loyal++;
	if (n == 0)
		s = STAGE_PROSPECT;
	else if (as_of - t[n - 1] > p->lapse_after)
		s = STAGE_LAPSED;
	else if (as_of - t[n - 1] > p->active_window)
		s = STAGE_AT_RISK;
	else if (as_of - t[0] <= p->new_window)
		s = STAGE_NEW;
	else if (gap_end >= 0 && as_of - t[gap_end] <= p->new_window)
		s = STAGE_REACTIVATED;
	else if (loyal >= p->loyal_orders)
		s = STAGE_LOYAL;
	else
		s = STAGE_ACTIVE;
	free(t);
	return s;
}

static LifecycleStage
streamed(const int64_t *orders, int n, int64_t as_of, const LifecyclePolicy *p)
{
	LifecycleState part[3];
	LifecycleState total;
	int			order[3] = {0, 1, 2};

	for (int k = 0; k < 3; k++)
		lifecycle_init(&part[k], as_of);
	for (int i = 0; i < n; i++)
		lifecycle_add(&part[unit_rand(3)], p, orders[i]);
	for (int k = 2; k > 0; k--)
	{
		int			j = unit_rand(k + 1);
		int			tmp = order[k];

		order[k] = order[j];
		order[j] = tmp;
	}
	lifecycle_init(&total, as_of);
	for (int k = 0; k < 3; k++)
		lifecycle_merge(&total, &part[order[k]]);
	return lifecycle_decide(&total, p);
}

static LifecyclePolicy
policy_days(int nw, int aw, int lapse, int loyal_orders, int loyal_window)
{
	LifecyclePolicy p = {nw * DAY, aw * DAY, lapse * DAY, loyal_window * DAY, loyal_orders};

	return p;
}

static LifecycleStage
stage_of(const int64_t *orders, int n, int64_t as_of, LifecyclePolicy p)
{
	LifecycleState st;

	lifecycle_init(&st, as_of);
	for (int i = 0; i < n; i++)
		lifecycle_add(&st, &p, orders[i]);
	return lifecycle_decide(&st, &p);
}

int
main(void)
{
	int64_t		as_of = INT64_C(820000000) * 1000000;	/* a day in 2026 */
	LifecyclePolicy def = policy_days(30, 90, 365, 5, 365);
	CoreError	err = {0};
	int			seen[LIFECYCLE_NSTAGES] = {0};
	int			diffs = 0;

	/* random customers, random valid policies */
	for (int c = 0; c < 200000; c++)
	{
		int64_t		orders[40];
		int			n = unit_rand(12) == 0 ? 0 : 1 + unit_rand(unit_rand(4) == 0 ? 40 : 8);
		int			nw = 1 + unit_rand(60);
		int			aw = nw + unit_rand(120);
		int			lapse = aw + unit_rand(400);
		LifecyclePolicy p = policy_days(nw, aw, lapse, 1 + unit_rand(8), 1 + unit_rand(500));
		int64_t		edges[6] = {p.new_window, p.active_window, p.lapse_after, p.loyal_window, 0, -DAY};

		for (int i = 0; i < n; i++)
		{
			switch (unit_rand(4))
			{
				case 0:			/* exactly on an edge, or a microsecond off */
					orders[i] = as_of - edges[unit_rand(6)] + (int64_t) unit_rand(3) - 1;
					break;
				case 1:			/* a duplicate */
					orders[i] = i > 0 ? orders[unit_rand(i)] : as_of;
					break;
				default:
					orders[i] = as_of - (int64_t) unit_rand(1500) * DAY
						+ (int64_t) unit_rand(3) * DAY / 2 - DAY / 4;
			}
		}
		{
			LifecycleStage want = reference(orders, n, as_of, &p);
			LifecycleStage got = streamed(orders, n, as_of, &p);

			seen[want]++;
			if (got != want && diffs++ < 5)
				printf("# customer %d: got %s, want %s\n", c,
					   lifecycle_stage_names[got], lifecycle_stage_names[want]);
		}
	}
	CHECK(diffs == 0, "200000 random customers: partial states merged in any order give the literal rules' stage (%d differences)", diffs);
	for (int s = 0; s < LIFECYCLE_NSTAGES; s++)
		CHECK(seen[s] > 100, "the random customers reach stage %s (%d times)",
			  lifecycle_stage_names[s], seen[s]);

	/* boundaries, default policy: 30 / 90 / 365 days, 5 orders in 365 days */
	{
		int64_t		o[8];

		CHECK(stage_of(o, 0, as_of, def) == STAGE_PROSPECT, "no orders: prospect");
		o[0] = as_of + 1;
		CHECK(stage_of(o, 1, as_of, def) == STAGE_PROSPECT, "only an order after as_of: prospect");
		o[0] = as_of - 365 * DAY;
		CHECK(stage_of(o, 1, as_of, def) == STAGE_AT_RISK, "last order exactly lapse_after ago: at_risk, not lapsed");
		o[0] = as_of - 365 * DAY - 1;
		CHECK(stage_of(o, 1, as_of, def) == STAGE_LAPSED, "a microsecond more: lapsed");
		o[0] = as_of - 90 * DAY;
		CHECK(stage_of(o, 1, as_of, def) == STAGE_ACTIVE, "last order exactly active_window ago: active");
		o[0] = as_of - 90 * DAY - 1;
		CHECK(stage_of(o, 1, as_of, def) == STAGE_AT_RISK, "a microsecond more: at_risk");
		o[0] = as_of - 30 * DAY;
		CHECK(stage_of(o, 1, as_of, def) == STAGE_NEW, "first order exactly new_window ago: new");
		o[0] = as_of - 30 * DAY - 1;
		CHECK(stage_of(o, 1, as_of, def) == STAGE_ACTIVE, "a microsecond more: active");
		o[0] = as_of;
		CHECK(stage_of(o, 1, as_of, def) == STAGE_NEW, "an order at as_of itself counts: new");

		/* reactivation: a gap of more than 365 days ending within 30 days */
		o[0] = as_of - 500 * DAY;
		o[1] = as_of - 30 * DAY;
		CHECK(stage_of(o, 2, as_of, def) == STAGE_REACTIVATED, "a 470-day gap ending new_window ago: reactivated");
		o[1] = as_of - 30 * DAY - 1;
		CHECK(stage_of(o, 2, as_of, def) == STAGE_ACTIVE, "ending a microsecond earlier: active");
		o[0] = as_of - 30 * DAY - 365 * DAY;
		o[1] = as_of - 30 * DAY;
		CHECK(stage_of(o, 2, as_of, def) == STAGE_ACTIVE, "a gap of exactly lapse_after: not reactivated");
		o[0] = as_of - 30 * DAY - 365 * DAY - 1;
		CHECK(stage_of(o, 2, as_of, def) == STAGE_REACTIVATED, "a microsecond longer: reactivated");
		o[2] = as_of - 10 * DAY;
		CHECK(stage_of(o, 3, as_of, def) == STAGE_REACTIVATED, "later orders after the returning one keep reactivated");

		/* loyal: 5 orders in (as_of - 365 days, as_of] */
		for (int i = 0; i < 5; i++)
			o[i] = as_of - (40 + 50 * i) * DAY;
		CHECK(stage_of(o, 5, as_of, def) == STAGE_LOYAL, "five orders in the loyal window: loyal");
		o[4] = as_of - 365 * DAY;
		CHECK(stage_of(o, 5, as_of, def) == STAGE_ACTIVE, "the fifth exactly loyal_window ago is outside: active");
		o[4] = as_of - 40 * DAY;
		CHECK(stage_of(o, 5, as_of, def) == STAGE_LOYAL, "duplicate timestamps count as separate orders: loyal");
	}

	/* the pre-aggregated approximation */
	CHECK(lifecycle_decide_summary(as_of - 400 * DAY, as_of - 20 * DAY, 6, as_of, &def) == STAGE_LOYAL,
		  "summary: six orders, the last 20 days ago: loyal (all orders count)");
	CHECK(lifecycle_decide_summary(as_of - 400 * DAY, as_of - 20 * DAY, 2, as_of, &def) == STAGE_ACTIVE,
		  "summary: two orders: active (reactivation is not seen)");
	CHECK(lifecycle_decide_summary(0, 0, 0, as_of, &def) == STAGE_PROSPECT, "summary: no orders: prospect");

	/* no overflow at the ends of the timestamp range */
	{
		int64_t		o[2] = {INT64_MIN + 1, INT64_MAX - 1};

		CHECK(stage_of(o, 1, INT64_MAX, def) == STAGE_LAPSED, "an order at the start of time, as_of at its end: lapsed");
		CHECK(stage_of(o + 1, 1, INT64_MAX, def) == STAGE_NEW, "no overflow for orders near the end of time");
	}

	/* policy validation */
	CHECK(lifecycle_policy_check(&def, &err), "the default policy is valid");
	core_error_free(&err);
	{
		struct
		{
			LifecyclePolicy p;
			const char *name;
		}			bad[] = {
			{{0, 90 * DAY, 365 * DAY, 365 * DAY, 5}, "new_window"},
			{{30 * DAY, -DAY, 365 * DAY, 365 * DAY, 5}, "active_window"},
			{{30 * DAY, 90 * DAY, 0, 365 * DAY, 5}, "lapse_after"},
			{{30 * DAY, 90 * DAY, 365 * DAY, -1, 5}, "loyal_window"},
			{{30 * DAY, 90 * DAY, 365 * DAY, 365 * DAY, 0}, "loyal_orders"},
			{{91 * DAY, 90 * DAY, 365 * DAY, 365 * DAY, 5}, "new_window must not be longer than active_window"},
			{{30 * DAY, 366 * DAY, 365 * DAY, 365 * DAY, 5}, "active_window must not be longer than lapse_after"},
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		{
			memset(&err, 0, sizeof(err));
			CHECK(!lifecycle_policy_check(&bad[i].p, &err) &&
				  err.code == CORE_ERR_INVALID_PARAMETER && strstr(CORE_TEXT(err.message), bad[i].name) != NULL,
				  "invalid policy rejected, naming %s: %s", bad[i].name, CORE_TEXT(err.message));
			core_error_free(&err);
		}
	}
	return unit_done();
}
