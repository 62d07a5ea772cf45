/*-------------------------------------------------------------------------
 *
 * summary.c
 *	  BTYD summaries of a customer's orders (see summary.h).
 *
 *-------------------------------------------------------------------------
 */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

void
btyd_orders_init(BtydOrders *o)
{
	o->n = 0;
	o->cap = 0;
	o->orders = NULL;
}

static void
reserve(BtydOrders *o, int64_t need)
{
	int64_t		cap;

	if (need <= o->cap)
		return;
	cap = o->cap < 8 ? 8 : o->cap;
	while (cap < need)
		cap *= 2;
	o->orders = o->orders == NULL ? core_alloc(sizeof(BtydOrder) * cap)
		: core_realloc(o->orders, sizeof(BtydOrder) * cap);
	o->cap = cap;
}

void
btyd_orders_add(BtydOrders *o, int32_t day, double amount)
{
	reserve(o, o->n + 1);
	o->orders[o->n].day = day;
	o->orders[o->n].amount = amount;
	o->n++;
}

void
btyd_orders_merge(BtydOrders *dst, const BtydOrders *src)
{
	if (src->n == 0)
		return;
	reserve(dst, dst->n + src->n);
	memcpy(dst->orders + dst->n, src->orders, sizeof(BtydOrder) * src->n);
	dst->n += src->n;
}

static int
order_cmp(const void *a, const void *b)
{
	const BtydOrder *x = a;
	const BtydOrder *y = b;

	/* by day, then amount: a day's spend is summed in one order whatever
	 * order the rows arrived in, so parallel plans give identical bits */
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->amount < y->amount ? -1 : x->amount > y->amount ? 1 : 0;
}

/* Neumaier's compensated sum: spend totals exact to the last bit or two. */
typedef struct Sum
{
	double		s;
	double		c;
} Sum;

static void
sum_add(Sum *sum, double x)
{
	double		t = sum->s + x;

	if ((sum->s >= 0 ? sum->s : -sum->s) >= (x >= 0 ? x : -x))
		sum->c += (sum->s - t) + x;
	else
		sum->c += (x - t) + sum->s;
	sum->s = t;
}

static double
sum_value(const Sum *sum)
{
	return sum->s + sum->c;
}

bool
btyd_summarize(BtydOrders *o, int32_t end_day, int32_t holdout_end_day,
			   double unit_days, BtydSummary *out)
{
	int64_t		cal_days = 0,
				hold_days = 0;
	int32_t		first = 0,
				last = 0;
	Sum			repeat = {0, 0},
				hold = {0, 0};

	memset(out, 0, sizeof(*out));
	if (o->n > 1)
		qsort(o->orders, o->n, sizeof(BtydOrder), order_cmp);

	for (int64_t i = 0; i < o->n;)
	{
		int32_t		day = o->orders[i].day;
		Sum			spend = {0, 0};

		if ((i & 0xFFFF) == 0)
			core_check_interrupts();
		/* one purchase day: its orders summed */
		for (; i < o->n && o->orders[i].day == day; i++)
			sum_add(&spend, o->orders[i].amount);
		if (day <= end_day)
		{
			if (cal_days == 0)
				first = day;
			else
			{
				sum_add(&repeat, spend.s);
				sum_add(&repeat, spend.c);
			}
			last = day;
			cal_days++;
		}
		else if (day <= holdout_end_day)
		{
			sum_add(&hold, spend.s);
			sum_add(&hold, spend.c);
			hold_days++;
		}
	}
	if (cal_days == 0)
		return false;

	out->frequency = cal_days - 1;
	out->recency = (double) (last - first) / unit_days;
	out->T = (double) (end_day - first) / unit_days;
	out->monetary = cal_days > 1 ? sum_value(&repeat) / (double) (cal_days - 1) : 0.0;
	out->frequency_holdout = hold_days;
	out->monetary_holdout = hold_days > 0 ? sum_value(&hold) / (double) hold_days : 0.0;
	out->duration_holdout = (double) (holdout_end_day - end_day) / unit_days;
	return true;
}
