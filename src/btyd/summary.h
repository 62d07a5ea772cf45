/*-------------------------------------------------------------------------
 *
 * summary.h
 *	  BTYD summaries: a customer's orders reduced to (frequency, recency, T,
 *	  monetary), with the semantics of lifetimes'
 *	  summary_data_from_transaction_data and calibration_and_holdout_data at
 *	  a period of one day.
 *
 *	 purchase days	 the distinct days (in the caller's calendar) with an order
 *	 frequency		 purchase days up to the end of the period - 1
 *	 recency		 last purchase day - first purchase day, in units
 *	 T				 end day - first purchase day, in units
 *	 monetary		 mean spend of the repeat purchase days (a day's orders
 *					 summed; the first day left out); 0 when frequency is 0
 *
 * Holdout: for the days after the calibration end up to the observation
 * end, the number of purchase days, their mean spend (0 if none), and the
 * length of the holdout period in units.
 *
 * The state is the customer's (day, amount) pairs; they arrive in any order
 * and partial states merge by concatenation.
 *
 * Pure core: no server headers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLV_SUMMARY_H
#define SEGMENTATION_CLV_SUMMARY_H

#include "core.h"

typedef struct BtydOrder
{
	int32_t		day;			/* a day number, e.g. PostgreSQL's DateADT */
	double		amount;
} BtydOrder;

typedef struct BtydOrders
{
	int64_t		n;
	int64_t		cap;
	BtydOrder  *orders;
} BtydOrders;

typedef struct BtydSummary
{
	int64_t		frequency;
	double		recency;
	double		T;
	double		monetary;
	/* holdout figures, when summarized with a holdout period */
	int64_t		frequency_holdout;
	double		monetary_holdout;
	double		duration_holdout;
} BtydSummary;

extern void btyd_orders_init(BtydOrders *o);
extern void btyd_orders_add(BtydOrders *o, int32_t day, double amount);
extern void btyd_orders_merge(BtydOrders *dst, const BtydOrders *src);

/*
 * Summarize the orders with day <= end_day (the orders are sorted in place).
 * With holdout_end_day > end_day, the days in (end_day, holdout_end_day]
 * give the holdout figures; pass holdout_end_day = end_day for none.
 * unit_days is the length of the unit in days (> 0).  Returns false when
 * there is no order on or before end_day: the customer has no summary.
 */
extern bool btyd_summarize(BtydOrders *o, int32_t end_day, int32_t holdout_end_day,
						   double unit_days, BtydSummary *out);

#endif							/* SEGMENTATION_CLV_SUMMARY_H */
