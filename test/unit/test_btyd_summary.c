/*
 * test_btyd_summary.c
 *	  BTYD summaries: the worked example of lifetimes' documentation style
 *	  (several orders a day, orders after the end), then random customers
 *	  against a direct count over a day-by-day table, with the orders split
 *	  between two partial states merged in either order.
 */
#include "btyd/summary.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static void
hand_cases(void)
{
	BtydOrders	o;
	BtydSummary s;

	/* days 10 (2 orders: 5 + 7), 13 (4), 20 (1 + 1 + 1); end 30; holdout to 40 */
	btyd_orders_init(&o);
	btyd_orders_add(&o, 20, 1);
	btyd_orders_add(&o, 10, 5);
	btyd_orders_add(&o, 35, 100);
	btyd_orders_add(&o, 13, 4);
	btyd_orders_add(&o, 20, 1);
	btyd_orders_add(&o, 10, 7);
	btyd_orders_add(&o, 41, 1000);
	btyd_orders_add(&o, 20, 1);
	btyd_orders_add(&o, 35, 50);
	btyd_orders_add(&o, 36, 10);
	CHECK(btyd_summarize(&o, 30, 40, 1.0, &s), "a customer with orders has a summary");
	CHECK(s.frequency == 2, "frequency counts repeat purchase days (%lld)", (long long) s.frequency);
	CHECK_CLOSE(s.recency, 10, 0, "recency = last - first day");
	CHECK_CLOSE(s.T, 20, 0, "T = end - first day");
	CHECK_CLOSE(s.monetary, 3.5, 1e-15, "monetary = mean spend of repeat days (4 and 3)");
	CHECK(s.frequency_holdout == 2, "holdout purchase days (35 and 36)");
	CHECK_CLOSE(s.monetary_holdout, 80, 1e-15, "holdout mean spend per day (150 and 10)");
	CHECK_CLOSE(s.duration_holdout, 10, 0, "holdout duration");
	CHECK(btyd_summarize(&o, 30, 30, 7.0, &s) && fabs(s.T - 20 / 7.0) < 1e-15 &&
		  fabs(s.recency - 10 / 7.0) < 1e-15 && s.frequency_holdout == 0 &&
		  s.duration_holdout == 0, "weeks: fractional recency and T, no holdout");
	CHECK(!btyd_summarize(&o, 9, 9, 1.0, &s), "no order by the end: no summary");
	CHECK(btyd_summarize(&o, 10, 10, 1.0, &s) && s.frequency == 0 && s.monetary == 0 &&
		  s.recency == 0 && s.T == 0, "one purchase day: frequency 0, monetary 0");

	/* compensated sums: 0.1 ten times on repeat days */
	free(o.orders);
	btyd_orders_init(&o);
	for (int d = 0; d <= 10; d++)
		btyd_orders_add(&o, d, 0.1);
	btyd_summarize(&o, 10, 10, 1.0, &s);
	CHECK(s.monetary == 0.1, "ten repeat days of 0.1 average exactly 0.1 (%.17g)", s.monetary);
	free(o.orders);
}

static void
random_cases(void)
{
	int			bad = 0;

	for (int c = 0; c < 20000; c++)
	{
		int			n = unit_rand(30);
		int32_t		end = 100 + unit_rand(50);
		int32_t		hend = end + unit_rand(40);
		double		unit = 1 + unit_rand(3);
		double		daysum[300] = {0};
		int			daycnt[300] = {0};
		BtydOrders	a,
					b;
		BtydSummary s;
		bool		has;
		int64_t		freq = -1,
					hfreq = 0;
		int			first = -1,
					last = -1;
		double		rep = 0,
					hsum = 0;

		btyd_orders_init(&a);
		btyd_orders_init(&b);
		for (int i = 0; i < n; i++)
		{
			int32_t		day = unit_rand(200);
			double		amount = unit_rand(10000) / 100.0;

			btyd_orders_add(unit_rand(2) ? &a : &b, day, amount);
			daysum[day] += amount;
			daycnt[day]++;
		}
		if (unit_rand(2))
			btyd_orders_merge(&a, &b);
		else
		{
			BtydOrders	t = a;

			btyd_orders_merge(&b, &a);
			a = b;
			b = t;
		}
		for (int d = 0; d < 200; d++)
		{
			if (!daycnt[d])
				continue;
			if (d <= end)
			{
				if (first < 0)
					first = d;
				else
					rep += daysum[d];
				last = d;
				freq++;
			}
			else if (d <= hend)
			{
				hfreq++;
				hsum += daysum[d];
			}
		}
		has = btyd_summarize(&a, end, hend, unit, &s);
		if (has != (first >= 0))
			bad++;
		else if (has &&
				 (s.frequency != freq || s.recency != (last - first) / unit ||
				  s.T != (end - first) / unit ||
				  fabs(s.monetary - (freq ? rep / freq : 0)) > 1e-9 ||
				  s.frequency_holdout != hfreq ||
				  fabs(s.monetary_holdout - (hfreq ? hsum / hfreq : 0)) > 1e-9 ||
				  s.duration_holdout != (hend - end) / unit))
			bad++;
		free(a.orders);
		free(b.orders);
	}
	CHECK(bad == 0, "20000 random customers, split and merged, equal the day-by-day count (%d differ)", bad);
}

int
main(void)
{
	hand_cases();
	random_cases();
	return unit_done();
}
