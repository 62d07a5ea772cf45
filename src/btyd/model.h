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

/*
 * Format versions: 1 (0.1.0) has 27 fields; 2 adds bgnbd_boundary (a
 * BG/NBD fit at its no-dropout boundary, whose a and b are NaN).  A value is
 * written in the oldest version that holds it (a model without boundary in
 * version 1, as 0.1.0 wrote it), and every version is read.
 */
#define CLV_MODEL_VERSION 2

typedef struct ClvModel
{
	double		unit_days;		/* the summaries' time unit, in days */
	double		penalizer;
	BtydFit		bgnbd;			/* r, alpha, a, b */
	BtydFit		gg;				/* p, q, gamma */
} ClvModel;

/* The fields of a model of the newest version, in canonical order: text,
 * binary and jsonb forms all list them so; format_version is the last. */
#define CLV_MODEL_NFIELDS 28

/* the highest months of clv_estimate: 100 years of 30-day months */
#define CLV_MAX_MONTHS 1200

extern const char *clv_model_field_name(int i);
extern double clv_model_get(const ClvModel *m, int i);
extern void clv_model_set(ClvModel *m, int i, double v);
/* v in range for field i (before clv_model_set, which may round it) */
extern bool clv_model_field_ok(int i, double v);

/* The oldest format version that holds the model (1 or 2). */
extern int	clv_model_version(const ClvModel *m);
/* The number of fields of a version, and the field at position pos of it. */
extern int	clv_model_nfields(int version);
extern int	clv_model_field_at(int version, int pos);

/*
 * The binary and stored forms: the float8s of the fields of
 * clv_model_version(m), in its order (clv_model_encode returns how many,
 * f holds CLV_MODEL_NFIELDS); clv_model_decode reads nf of them, of either
 * version (told by nf and the format_version field), every field in range
 * and clv_model_check passed, else false with err.
 */
extern int	clv_model_encode(const ClvModel *m, double *f);
extern bool clv_model_decode(const double *f, int nf, ClvModel *m, CoreError *err);

/* Akaike and Bayesian information criteria of a fit: 2 k - 2 LL and
 * k ln(n) - 2 LL, k the parameters estimated (2 for a boundary BG/NBD fit),
 * n its customers. */
extern double clv_fit_aic(const BtydFit *fit);
extern double clv_fit_bic(const BtydFit *fit);

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
 * discount rate below 0 (or not finite), months above CLV_MAX_MONTHS.
 */
extern bool clv_model_discounted_purchases(const ClvModel *m, double x, double T, int months,
										   double discount, double *g, CoreError *err);
extern bool clv_model_value(const ClvModel *m, double x, double tx, double T, double monetary,
							int months, double discount, double *clv, CoreError *err);

#endif							/* SEGMENTATION_CLV_MODEL_H */
