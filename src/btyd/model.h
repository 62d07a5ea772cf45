/*-------------------------------------------------------------------------
 *
 * model.h
 *	  A fitted CLV model (pure core): the BG/NBD and Gamma-Gamma fits, the
 *	  time unit and the penalizer; its canonical text form, which reads back
 *	  to the same bits, its validation, and the discounted CLV of one
 *	  customer (lifetimes' customer_lifetime_value).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLV_MODEL_H
#define SEGMENTATION_CLV_MODEL_H

#include "btyd.h"

#define CLV_MODEL_VERSION 1

typedef struct ClvModel
{
	double		unit_days;		/* the summaries' time unit, in days */
	double		penalizer;
	BtydFit		bgnbd;			/* r, alpha, a, b */
	BtydFit		gg;				/* p, q, gamma */
} ClvModel;

/* The fields of a model, in canonical order: text, binary and jsonb forms
 * all list them so. */
#define CLV_MODEL_NFIELDS 27

extern const char *clv_model_field_name(int i);
extern double clv_model_get(const ClvModel *m, int i);
extern void clv_model_set(ClvModel *m, int i, double v);
/* v in range for field i (before clv_model_set, which may round it) */
extern bool clv_model_field_ok(int i, double v);

/* Every value in range (parameters positive and finite, counts integral,
 * ...); false with err (22P02-class CORE_ERR_INVALID_TEXT) naming the first
 * field that is not. */
extern bool clv_model_check(const ClvModel *m, CoreError *err);

/* "name=value name=value ..." in canonical order, every double in the
 * shortest form that reads back to the same bits (core_alloc'd). */
extern char *clv_model_format(const ClvModel *m);

/* The text form, fields in any order, each exactly once. */
extern bool clv_model_parse(const char *s, ClvModel *m, CoreError *err);

/* The shortest "%.*g" of v that strtod reads back to v (buf >= 32 bytes);
 * NaN and infinities as "NaN", "Infinity", "-Infinity". */
extern void clv_shortest_double(double v, char *buf);

/*
 * lifetimes' customer_lifetime_value for one customer: with f = 30 days in
 * the model's unit and S the Gamma-Gamma expected spend,
 *
 *	 CLV = sum over k = 1..months of S (E[X(k f)] - E[X((k-1) f)]) / (1 + d)^k
 *
 * where E[X(t)] is the BG/NBD expected number of purchases in the next t
 * units given (x, t_x, T).  Since E[X(t)] = P(alive | x, t_x, T) times a
 * function of (x, T, t) (bgnbd_expected_purchases_alive), the sum factors:
 *
 *	 CLV = S P(alive) G(x, T),  G = sum over k of (A(k f) - A((k-1) f)) / (1 + d)^k
 *
 * and clv_model_discounted_purchases gives G alone, which callers scoring
 * many customers cache by (x, T).  false with err for months < 0 or a
 * discount rate below 0 (or not finite).
 */
extern bool clv_model_discounted_purchases(const ClvModel *m, double x, double T, int months,
										   double discount, double *g, CoreError *err);
extern bool clv_model_value(const ClvModel *m, double x, double tx, double T, double monetary,
							int months, double discount, double *clv, CoreError *err);

#endif							/* SEGMENTATION_CLV_MODEL_H */
