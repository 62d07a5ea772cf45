/*-------------------------------------------------------------------------
 *
 * model.h
 *	  A fitted CLV model (pure core): its kind, the purchase model's fit
 *	  (BG/NBD, Pareto/NBD or MBG/NBD) and the Gamma-Gamma fit, the time unit
 *	  and the penalizer; its canonical text form, which reads back to the
 *	  same bits, its validation, the predictions of every kind (the one
 *	  place that dispatches on the kind), and the discounted CLV of one
 *	  customer (lifetimes' customer_lifetime_value).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CLV_MODEL_H
#define SEGMENTATION_CLV_MODEL_H

#include "btyd.h"

/*
 * The kind of purchase model.  The numbers are stored (format version 3):
 * never renumber.  BG/BB and the shifted-beta-geometric model have their
 * numbers reserved; a kind is known once clv_kind_info gives its entry.
 */
typedef enum ClvModelKind
{
	CLV_KIND_BGNBD = 0,			/* BG/NBD (Fader, Hardie & Lee 2005) */
	CLV_KIND_PARETO_NBD = 1,	/* Pareto/NBD (Schmittlein et al. 1987) */
	CLV_KIND_MBGNBD = 2,		/* MBG/NBD (Batislam et al. 2007) */
	CLV_KIND_BGBB = 3,			/* reserved: BG/BB (Fader, Hardie & Shang 2010) */
	CLV_KIND_SBG = 4			/* reserved: shifted-beta-geometric */
} ClvModelKind;

#define CLV_NKINDS 5

/*
 * What a kind is: its names, its parameters, its fit and its predictions
 * (NULL where a prediction is not defined for the kind: the SQL function is
 * then an error).  Every prediction of a purchase model is P(alive) times
 * an expectation given alive that depends on (x, T, t) only, which is what
 * lets clv_estimate cache it per (x, T).
 */
typedef struct ClvKindInfo
{
	const char *name;			/* "pareto_nbd": kind= in text, jsonb key */
	const char *label;			/* "Pareto/NBD": in messages */
	int			nparams;
	const char *params[BTYD_MAX_PARAMS];	/* their names in text and jsonb */
	bool		(*fit) (const BtydPoint *pts, int64_t npts, double penalizer,
						BtydFit *fit, CoreError *err);
	double		(*p_alive) (const double *params, double x, double tx, double T);
	double		(*purchases_alive) (const double *params, double x, double T, double t);
	bool		has_spend;		/* a Gamma-Gamma fit beside it */
} ClvKindInfo;

/* The kind's entry, or NULL for a number that is no kind (yet). */
extern const ClvKindInfo *clv_kind_info(int kind);
/* The kind of a name ("bgnbd", "pareto_nbd", "mbgnbd"), or -1. */
extern int	clv_kind_by_name(const char *name, size_t len);

/*
 * Format versions: 1 (0.1.0) has 27 fields; 2 adds bgnbd_boundary (a
 * BG/NBD fit at its no-dropout boundary, whose a and b are NaN); 3 adds the
 * kind, first, for every kind but BG/NBD, and names the purchase model's
 * fields by the kind (pareto_nbd_loglik, s, beta, ...).  A value is written
 * in the oldest version that holds it (a BG/NBD model without boundary in
 * version 1, as 0.1.0 wrote it), and every version is read.
 */
#define CLV_MODEL_VERSION 3

typedef struct ClvModel
{
	ClvModelKind kind;
	double		unit_days;		/* the summaries' time unit, in days */
	double		penalizer;
	BtydFit		purchase;		/* the kind's parameters: r, alpha, a, b
								 * (BG/NBD, MBG/NBD) or r, alpha, s, beta
								 * (Pareto/NBD) */
	BtydFit		gg;				/* p, q, gamma */
} ClvModel;

/* The fields of a model of the newest version: text, binary and jsonb
 * forms all list them in the order of clv_model_field_at. */
#define CLV_MODEL_NFIELDS 29

/* the highest months of clv_estimate: 100 years of 30-day months */
#define CLV_MAX_MONTHS 1200

/* field i's name in a model of the kind (buf of CLV_FIELD_NAME_LEN) */
#define CLV_FIELD_NAME_LEN 48
extern const char *clv_model_field_name(int kind, int i, char *buf);
extern double clv_model_get(const ClvModel *m, int i);
extern void clv_model_set(ClvModel *m, int i, double v);
/* v in range for field i (before clv_model_set, which may round it) */
extern bool clv_model_field_ok(int i, double v);

/* The oldest format version that holds the model (1, 2 or 3). */
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
 * k ln(n) - 2 LL, k the parameters estimated (clv_fit_nparams: 2 for a
 * boundary BG/NBD fit), n its customers. */
extern int	clv_fit_nparams(const BtydFit *fit);
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
 * The predictions of one customer (x, t_x, T, mean spend) under a model of
 * any kind: false with err (22023-class) when the prediction is not defined
 * for the model's kind, fn naming the SQL function for the message.
 */
extern bool clv_model_p_alive(const ClvModel *m, const char *fn, double x, double tx, double T,
							  double *out, CoreError *err);
extern bool clv_model_expected_purchases(const ClvModel *m, const char *fn, double x, double tx,
										 double T, double t, double *out, CoreError *err);
extern bool clv_model_expected_spend(const ClvModel *m, const char *fn, double x, double mbar,
									 double *out, CoreError *err);

/*
 * lifetimes' customer_lifetime_value for one customer: with f = 30 days in
 * the model's unit and S the Gamma-Gamma expected spend,
 *
 *	 CLV = sum over k = 1..months of S (E[X(k f)] - E[X((k-1) f)]) / (1 + d)^k
 *
 * where E[X(t)] is the purchase model's expected number of purchases in the
 * next t units given (x, t_x, T).  Since E[X(t)] = P(alive | x, t_x, T) times
 * a function of (x, T, t) (the kind's purchases_alive), the sum factors:
 *
 *	 CLV = S P(alive) G(x, T),  G = sum over k of (A(k f) - A((k-1) f)) / (1 + d)^k
 *
 * and clv_model_discounted_purchases gives G alone, which callers scoring
 * many customers cache by (x, T).  false with err for months < 0 or a
 * discount rate below 0 (or not finite), months above CLV_MAX_MONTHS, or a
 * kind for which the CLV is not defined.
 */
extern bool clv_model_discounted_purchases(const ClvModel *m, double x, double T, int months,
										   double discount, double *g, CoreError *err);
extern bool clv_model_value(const ClvModel *m, double x, double tx, double T, double monetary,
							int months, double discount, double *clv, CoreError *err);

#endif							/* SEGMENTATION_CLV_MODEL_H */
