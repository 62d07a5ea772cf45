/*-------------------------------------------------------------------------
 *
 * btyd.c
 *	  BG/NBD and Gamma-Gamma: likelihoods, gradients, the BFGS fit and the
 *	  predictions (see btyd.h).
 *
 * BG/NBD, one customer with x repeat purchases, the last at t_x, observed
 * for T (Fader, Hardie & Lee 2005, eq. 6), in logs:
 *
 *	 A1 = lgamma(r + x) - lgamma(r) + r log(alpha)
 *	 A2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
 *	 A3 = -(r + x) log(alpha + T)
 *	 A4 = log(a) - log(b + x - 1) - (r + x) log(alpha + t_x)	(x > 0 only)
 *	 LL = A1 + A2 + log(exp(A3) + exp(A4))
 *
 * Gamma-Gamma, one customer with x > 0 repeat purchases of mean m (Fader &
 * Hardie 2013):
 *
 *	 LL = lgamma(p x + q) - lgamma(p x) - lgamma(q) + q log(gamma)
 *		  + (p x - 1) log(m) + p x log(x) - (p x + q) log(x m + gamma)
 *
 * The terms that depend on x alone (the lgamma and digamma of x-shifted
 * parameters) are computed once per distinct x: points are sorted by x, and
 * frequencies take few distinct values, so an evaluation costs a few
 * logarithms per point.
 *
 *-------------------------------------------------------------------------
 */
#include "btyd.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIT_MAX_ITER	500
#define FIT_GRAD_TOL	1e-7	/* on the gradient of the mean log-likelihood */
#define FIT_NOISE_TOL	1e-5	/* the same, once steps no longer change the
								 * objective in floating point */
#define FIT_STALL		3		/* iterations without change that mean that */

/* a dropout gain at most this (per customer, see btyd.h) keeps the boundary */
#define BOUNDARY_TOL 1e-9
/* a BG/NBD fit whose mean dropout probability a / (a + b) is below this
 * and whose likelihood is no better than the NBD's is the boundary */
#define BOUNDARY_DROPOUT 1e-6
/* an NBD probe stalled in noise (bgnbd_fit) with a dropout gain above this
 * leaves the NBD for the BG/NBD (the 1M bench CRM: about 1e137) */
#define PROBE_GAIN 1e-3

double
btyd_digamma(double x)
{
	double		r = 0,
				f;

	if (x <= 0 && x == floor(x))
		return NAN;
	if (x < 0)					/* reflection */
		return btyd_digamma(1 - x) - M_PI / tan(M_PI * x);
	while (x < 6)
	{
		r -= 1 / x;
		x += 1;
	}
	f = 1 / (x * x);
	return r + log(x) - 0.5 / x -
		f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}

/* ---------------------------------------------------------------------
 * BG/NBD
 * ---------------------------------------------------------------------
 */

/*
 * The parts of a BG/NBD evaluation that depend on the parameters and x
 * only, the parameter-only constants folded in: a point then costs two or
 * three logarithms, two exponentials and a log1p.
 */
typedef struct BgXTerms
{
	double		x;
	double		lg;				/* A1 + A2 but r log(alpha) excluded: lgamma(r+x) - lgamma(r)
								 * + lgamma(a+b) + lgamma(b+x) - lgamma(b) - lgamma(a+b+x)
								 * + r log(alpha) */
	double		c4;				/* log(a) - log(b + x - 1), x > 0 */
	double		d_r;			/* digamma(r+x) - digamma(r) + log(alpha) */
	double		d_a;			/* digamma(a+b) - digamma(a+b+x) */
	double		d_b;			/* digamma(a+b) - digamma(b) + digamma(b+x) - digamma(a+b+x) */
	double		inv_bx1;		/* 1 / (b + x - 1), x > 0 */
} BgXTerms;

static void
bg_xterms(const double *p, double x, BgXTerms *xt)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2],
				b = p[3];
	double		dab = btyd_digamma(a + b),
				dabx = btyd_digamma(a + b + x);

	xt->x = x;
	xt->lg = lgamma(r + x) - lgamma(r) + lgamma(a + b) + lgamma(b + x) - lgamma(b) -
		lgamma(a + b + x) + r * log(alpha);
	xt->c4 = x > 0 ? log(a) - log(b + x - 1) : 0;
	xt->inv_bx1 = x > 0 ? 1 / (b + x - 1) : 0;
	xt->d_r = btyd_digamma(r + x) - btyd_digamma(r) + log(alpha);
	xt->d_a = dab - dabx;
	xt->d_b = dab - btyd_digamma(b) + btyd_digamma(b + x) - dabx;
}

/*
 * LL of one point given its x-terms and la_T = log(alpha + T), la_tx =
 * log(alpha + t_x) (x > 0 only); its gradient in (r, alpha, a, b) in g when
 * g is not NULL (*has_g false when it has none: an impossible point).
 * log(exp(A3) + exp(A4)) = max(A3, A4) + log1p(exp(-|A4 - A3|)): for x = 0
 * (A4 = -infinity) that is A3 and the gradient needs no exponential.  The
 * terms' shares of the sum, exp(A3 - lse) and exp(A4 - lse), are computed
 * as such rather than as 1 / (1 + e) and e / (1 + e), which would round
 * differently and change the path of a fit on a flat likelihood.
 */
static double
bg_terms(const double *p, const BgXTerms *xt, const BtydPoint *pt, double la_T, double la_tx,
		 double *g, bool *has_g)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2];
	double		x = pt->x;
	double		A3 = -(r + x) * la_T;
	double		A4,
				hi,
				lse;

	*has_g = g != NULL;
	if (!(x > 0))
	{
		if (g)
		{
			g[0] = xt->d_r - la_T;
			g[1] = r / alpha - (r + x) / (alpha + pt->T);
			g[2] = xt->d_a;
			g[3] = xt->d_b;
		}
		return xt->lg + A3;
	}
	A4 = xt->c4 - (r + x) * la_tx;
	hi = A3 > A4 ? A3 : A4;
	if (hi == -INFINITY)
	{
		*has_g = false;
		return xt->lg + hi;
	}
	lse = hi + log1p(exp((A3 > A4 ? A4 : A3) - hi));
	if (g)
	{
		double		w3 = exp(A3 - lse),
					w4 = exp(A4 - lse);

		g[0] = xt->d_r - w3 * la_T - w4 * la_tx;
		g[1] = r / alpha - w3 * (r + x) / (alpha + pt->T) -
			w4 * ((r + x) / (alpha + pt->tx));
		g[2] = xt->d_a + w4 / a;
		g[3] = xt->d_b - w4 * xt->inv_bx1;
	}
	return xt->lg + lse;
}

/*
 * The same with w times the gradient (r, alpha, a, b) added to grad (when
 * not NULL): bg_terms gives a point's terms unweighted, so that points
 * that differ only in spend (the same x, t_x and T) share one evaluation.
 */
static double
bg_point(const double *p, const BgXTerms *xt, const BtydPoint *pt, double la_T, double la_tx,
		 double *grad, double w)
{
	double		g[BGNBD_NPARAMS];
	bool		has_g;
	double		v = bg_terms(p, xt, pt, la_T, la_tx, grad ? g : NULL, &has_g);

	if (has_g)
		for (int k = 0; k < BGNBD_NPARAMS; k++)
			grad[k] += w * g[k];
	return v;
}

double
bgnbd_loglik(const double *params, const BtydPoint *pt, double *grad)
{
	BgXTerms	xt;

	bg_xterms(params, pt->x, &xt);
	if (grad)
		memset(grad, 0, sizeof(double) * BGNBD_NPARAMS);
	return bg_point(params, &xt, pt, log(params[1] + pt->T),
					pt->x > 0 ? log(params[1] + pt->tx) : 0, grad, 1.0);
}

/* ---------------------------------------------------------------------
 * NBD: the BG/NBD without dropout (a / (a + b) -> 0)
 *
 *	 LL = lgamma(r + x) - lgamma(r) + r log(alpha) - (r + x) log(alpha + T)
 * ---------------------------------------------------------------------
 */
typedef struct NbdXTerms
{
	double		x;
	double		lg;				/* lgamma(r+x) - lgamma(r) + r log(alpha) */
	double		d_r;			/* digamma(r+x) - digamma(r) + log(alpha) */
} NbdXTerms;

static void
nbd_xterms(const double *p, double x, NbdXTerms *xt)
{
	xt->x = x;
	xt->lg = lgamma(p[0] + x) - lgamma(p[0]) + p[0] * log(p[1]);
	xt->d_r = btyd_digamma(p[0] + x) - btyd_digamma(p[0]) + log(p[1]);
}

/* LL of one point given la_T = log(alpha + T); grad (r, alpha) added */
static double
nbd_point(const double *p, const NbdXTerms *xt, const BtydPoint *pt, double la_T,
		  double *grad, double w)
{
	if (grad)
	{
		grad[0] += w * (xt->d_r - la_T);
		grad[1] += w * (p[0] / p[1] - (p[0] + pt->x) / (p[1] + pt->T));
	}
	return xt->lg - (p[0] + pt->x) * la_T;
}

double
nbd_loglik(const double *params, const BtydPoint *pt, double *grad)
{
	NbdXTerms	xt;

	nbd_xterms(params, pt->x, &xt);
	if (grad)
		memset(grad, 0, sizeof(double) * NBD_NPARAMS);
	return nbd_point(params, &xt, pt, log(params[1] + pt->T), grad, 1.0);
}

/* ---------------------------------------------------------------------
 * Gamma-Gamma
 * ---------------------------------------------------------------------
 */
/* The x-dependent parts of a Gamma-Gamma evaluation, parameter-only
 * constants folded in. */
typedef struct GgXTerms
{
	double		x;
	double		lg;				/* lgamma(px+q) - lgamma(px) - lgamma(q) + q log(g) + px log(x) */
	double		d_p;			/* x (digamma(px+q) - digamma(px) + log(x)) */
	double		d_q;			/* digamma(px+q) - digamma(q) + log(g) */
} GgXTerms;

static void
gg_xterms(const double *params, double x, GgXTerms *xt)
{
	double		p = params[0],
				q = params[1],
				g = params[2];
	double		dpq = btyd_digamma(p * x + q);

	xt->x = x;
	xt->lg = lgamma(p * x + q) - lgamma(p * x) - lgamma(q) + q * log(g) + p * x * log(x);
	xt->d_p = x * (dpq - btyd_digamma(p * x) + log(x));
	xt->d_q = dpq - btyd_digamma(q) + log(g);
}

/*
 * LL of one point given lm = log(m) and lxm = log(x m + gamma); grad (p, q,
 * gamma) added, weighted
 */
static inline double
gg_point_l(const double *params, const GgXTerms *xt, const BtydPoint *pt, double lm,
		   double lxm, double *grad, double w)
{
	double		p = params[0],
				q = params[1],
				g = params[2];
	double		x = pt->x;

	if (grad)
	{
		grad[0] += w * (xt->d_p + x * (lm - lxm));
		grad[1] += w * (xt->d_q - lxm);
		grad[2] += w * (q / g - (p * x + q) / (x * pt->m + g));
	}
	return xt->lg + (p * x - 1) * lm - (p * x + q) * lxm;
}

/* the same, lxm computed */
static double
gg_point(const double *params, const GgXTerms *xt, const BtydPoint *pt, double lm,
		 double *grad, double w)
{
	return gg_point_l(params, xt, pt, lm, log(pt->x * pt->m + params[2]), grad, w);
}

double
gg_loglik(const double *params, const BtydPoint *pt, double *grad)
{
	GgXTerms	xt;

	gg_xterms(params, pt->x, &xt);
	if (grad)
		memset(grad, 0, sizeof(double) * GG_NPARAMS);
	return gg_point(params, &xt, pt, log(pt->m), grad, 1.0);
}

/* ---------------------------------------------------------------------
 * The objective over all points, in log-parameters
 * ---------------------------------------------------------------------
 */
typedef enum ModelKind
{
	MK_BGNBD, MK_GG, MK_NBD,
	MK_CUSTOM					/* a BtydLikelihood (btyd_fit_likelihood) */
} ModelKind;

static const char *const kind_name[] = {"BG/NBD", "Gamma-Gamma", "NBD", "custom"};

typedef struct Objective
{
	ModelKind	kind;
	int			n;				/* parameters */
	const BtydPoint *pts;		/* sorted by x */
	int64_t		npts;
	double		wsum;
	double		penalizer;
	double		spent;			/* point evaluations so far (BTYD_FIT_BUDGET) */
	bool		no_se;			/* a warm-start fit: no standard errors */
	double		nbd_f;			/* BG/NBD: the NBD fit's objective, or NaN */

	/*
	 * The NBD stage of bgnbd_fit over all points (probe): BFGS stops as soon
	 * as it is lost in the objective's rounding noise (probe_stalled, see
	 * bfgs_from), so that bgnbd_fit can test for dropout there first.
	 */
	bool		probe;
	bool		probe_stalled;
	/* BG/NBD: an accepted step had a / (a + b) below BOUNDARY_DROPOUT */
	bool		touched_boundary;
	bool		own_pts;		/* pts is a copy, freed with the objective */

	/*
	 * Gamma-Gamma reads the caller's array, of nall points, and skips those
	 * it does not use (x = 0 or m = 0: see point_used) rather than copy the
	 * others; npts counts the used ones.  Otherwise nall = npts.
	 */
	int64_t		nall;
	bool		skip;

	/*
	 * BG/NBD and NBD: ages and recencies take few distinct values (whole
	 * days or weeks), so log(alpha + T) and log(alpha + t_x) are computed
	 * once per distinct value and evaluation, in lv, and looked up per
	 * point.  Gamma-Gamma: log(m) per point, computed once.
	 */
	uint32_t   *iT;				/* per point: index of T in vals */
	uint32_t   *itx;			/* per point: index of t_x in vals */
	double	   *vals;			/* the distinct values of T and t_x */
	double	   *lv;				/* log(alpha + vals[k]) at the current alpha */
	int64_t		nvals;
	double	   *lm;				/* Gamma-Gamma: log(m) per point */
	const BtydLikelihood *lik;	/* MK_CUSTOM: the model */

	/*
	 * MK_CUSTOM with yterms: yc holds lik->nyc doubles per distinct value
	 * (iT, itx), valid while its ystamp is yrun; yrun changes with x and
	 * with each evaluation, so yterms runs once per distinct (x, y) pair.
	 */
	double	   *yc;
	int64_t    *ystamp;
	int64_t		yrun;
	const BtydModelSpec *spec;	/* a whole-data likelihood (btyd_fit_model) */

	/*
	 * The last total log-likelihood of a built-in kind and its parameters:
	 * the fit's final log-likelihood and the NBD's objective for the BG/NBD
	 * are asked at parameters just evaluated, and get the same number
	 * without a pass over the points (the budget still counts the pass).
	 */
	bool		ll_valid;
	ModelKind	ll_kind;
	double		ll_params[BTYD_MAX_PARAMS];
	double		ll_value;
} Objective;

/* whether a fit of kind uses a point */
static inline bool
point_used(ModelKind kind, const BtydPoint *pt)
{
	return pt->w > 0 && (kind != MK_GG || (pt->x > 0 && pt->m > 0));
}

/* a hash of a double's bits (whole numbers have zero low bits: mix) */
static inline uint64_t
value_hash(double v)
{
	uint64_t	h;

	memcpy(&h, &v, sizeof(h));
	h ^= h >> 33;
	h *= UINT64_C(0xFF51AFD7ED558CCD);
	h ^= h >> 33;
	return h;
}

/*
 * The index of v in ob->vals, added if new; slots is an open-addressing
 * table of index + 1 (0 empty) of *nslots entries, a power of two that
 * doubles as vals fills half of it.
 */
static uint32_t
value_slot(Objective *ob, uint32_t **slots, int64_t *nslots, double v)
{
	uint64_t	k;

	if (v == 0)
		v = 0;					/* -0 and 0 are one value */
	if (2 * (ob->nvals + 1) > *nslots)
	{
		int64_t		ns = *nslots ? 2 * *nslots : 1024;

		core_free(*slots);
		*slots = core_alloc(sizeof(uint32_t) * ns);
		memset(*slots, 0, sizeof(uint32_t) * ns);
		*nslots = ns;
		ob->vals = core_realloc(ob->vals, sizeof(double) * ns / 2);
		for (int64_t i = 0; i < ob->nvals; i++)
		{
			k = value_hash(ob->vals[i]) & (ns - 1);
			while ((*slots)[k] != 0)
				k = (k + 1) & (ns - 1);
			(*slots)[k] = i + 1;
		}
	}
	k = value_hash(v) & (*nslots - 1);
	while ((*slots)[k] != 0)
	{
		uint32_t	i = (*slots)[k] - 1;

		if (ob->vals[i] == v)
			return i;
		k = (k + 1) & (*nslots - 1);
	}
	ob->vals[ob->nvals] = v;
	(*slots)[k] = ++ob->nvals;
	return ob->nvals - 1;
}

/* The per-point constants of ob's points (see Objective). */
static void
objective_prepare(Objective *ob)
{
	ob->iT = ob->itx = NULL;
	ob->vals = ob->lv = ob->lm = ob->yc = NULL;
	ob->ystamp = NULL;
	ob->nvals = 0;
	ob->ll_valid = false;
	if (ob->kind == MK_GG)
	{
		ob->lm = core_alloc(sizeof(double) * (ob->nall > 0 ? ob->nall : 1));
		for (int64_t i = 0; i < ob->nall; i++)
		{
			if ((i & 0xFFFF) == 0xFFFF)
				core_check_interrupts();
			ob->lm[i] = ob->pts[i].m > 0 ? log(ob->pts[i].m) : 0;
		}
	}
	else if (ob->kind != MK_CUSTOM || ob->lik->yterms)
	{
		uint32_t   *slots = NULL;
		int64_t		nslots = 0;

		ob->iT = core_alloc(sizeof(uint32_t) * (ob->nall > 0 ? ob->nall : 1));
		ob->itx = core_alloc(sizeof(uint32_t) * (ob->nall > 0 ? ob->nall : 1));
		for (int64_t i = 0; i < ob->nall; i++)
		{
			if ((i & 0xFFFF) == 0xFFFF)
				core_check_interrupts();
			ob->iT[i] = value_slot(ob, &slots, &nslots, ob->pts[i].T);
			ob->itx[i] = value_slot(ob, &slots, &nslots, ob->pts[i].tx);
		}
		core_free(slots);
		if (ob->kind != MK_CUSTOM)
			ob->lv = core_alloc(sizeof(double) * (ob->nvals > 0 ? ob->nvals : 1));
		else
		{
			ob->yc = core_alloc(sizeof(double) * ob->lik->nyc * (ob->nvals > 0 ? ob->nvals : 1));
			ob->ystamp = core_alloc0(sizeof(int64_t) * (ob->nvals > 0 ? ob->nvals : 1));
		}
	}
}

static void
objective_release(Objective *ob)
{
	core_free(ob->iT);
	core_free(ob->itx);
	core_free(ob->vals);
	core_free(ob->lv);
	core_free(ob->lm);
	core_free(ob->yc);
	core_free(ob->ystamp);
	ob->iT = ob->itx = NULL;
	ob->vals = ob->lv = ob->lm = ob->yc = NULL;
	ob->ystamp = NULL;
}

/* MK_CUSTOM: the yterms of value iv for the current x (see Objective) */
static const double *
custom_yterms(Objective *ob, const double *params, const double *xc, double x, uint32_t iv,
			  bool grad)
{
	double	   *yc = ob->yc + (size_t) iv * ob->lik->nyc;

	if (ob->ystamp[iv] != ob->yrun)
	{
		/*
		 * A series' length depends on the parameters: past the budget by
		 * half, an evaluation's remaining pairs are NaN, so that a fit ends
		 * (not converged) within a bounded cost even when one evaluation
		 * would be long.
		 */
		if (ob->spent > BTYD_FIT_BUDGET * 1.5)
			for (int k = 0; k < ob->lik->nyc; k++)
				yc[k] = NAN;
		else
			ob->spent += ob->lik->yterms(params, xc, x, ob->vals[iv], yc, grad);
		ob->ystamp[iv] = ob->yrun;
	}
	return yc;
}

/* the name of the model an objective fits, for messages */
static const char *
objective_name(const Objective *ob)
{
	if (ob->spec)
		return ob->spec->name;
	return ob->kind == MK_CUSTOM ? ob->lik->name : kind_name[ob->kind];
}

/*
 * Total log-likelihood at params, with its gradient in params (not logs)
 * when grad is not NULL.
 */
static double
total_loglik(Objective *ob, const double *params, double *grad)
{
	double		ll = 0;
	BgXTerms	xt = {.x = -1};
	GgXTerms	gxt = {.x = -1};
	NbdXTerms	nxt = {.x = -1};
	const double *lv = ob->lv;
	double		cxt[BTYD_XCACHE];
	double		cx = -1;
	const BtydPoint *prev = NULL;	/* MK_CUSTOM: the last point computed */
	double		cl = 0,
				cg[BTYD_MAX_PARAMS];
	double		bg_g[BGNBD_NPARAMS],
				bg_v = 0;
	bool		bg_has_g = false;
	uint32_t	key_T = UINT32_MAX,
				key_tx = UINT32_MAX;
	bool		cacheable = ob->spec == NULL && ob->kind != MK_CUSTOM;

	if (grad)
		memset(grad, 0, sizeof(double) * ob->n);
	/* a costlier model's point counts as several against the budget */
	ob->spent += ob->npts * (ob->kind == MK_CUSTOM && ob->lik->cost > 1 ? ob->lik->cost : 1);
	if (ob->spec)
		return ob->spec->loglik(ob->spec->arg, params, grad);
	if (cacheable && grad == NULL && ob->ll_valid && ob->ll_kind == ob->kind &&
		memcmp(params, ob->ll_params, sizeof(double) * ob->n) == 0)
		return ob->ll_value;
	if (ob->lv != NULL)
		for (int64_t k = 0; k < ob->nvals; k++)
		{
			if ((k & 0x3FFF) == 0x3FFF)
				core_check_interrupts();
			ob->lv[k] = log(params[1] + ob->vals[k]);
		}
	for (int64_t i = 0; i < ob->nall; i++)
	{
		const BtydPoint *pt = &ob->pts[i];

		if ((i & 0x3FFF) == 0)
			core_check_interrupts();
		if (ob->skip && !point_used(ob->kind, pt))
			continue;
		switch (ob->kind)
		{
			case MK_GG:
				if (pt->x != gxt.x)
					gg_xterms(params, pt->x, &gxt);
				ll += pt->w * gg_point(params, &gxt, pt, ob->lm[i], grad, pt->w);
				break;
			case MK_BGNBD:
				/* points that differ only in spend are evaluated once */
				if (pt->x != xt.x)
				{
					bg_xterms(params, pt->x, &xt);
					key_T = key_tx = UINT32_MAX;
				}
				if (ob->iT[i] != key_T || ob->itx[i] != key_tx)
				{
					key_T = ob->iT[i];
					key_tx = ob->itx[i];
					bg_v = bg_terms(params, &xt, pt, lv[key_T], lv[key_tx],
									grad ? bg_g : NULL, &bg_has_g);
				}
				ll += pt->w * bg_v;
				if (bg_has_g)
					for (int k = 0; k < BGNBD_NPARAMS; k++)
						grad[k] += pt->w * bg_g[k];
				break;
			case MK_NBD:
				if (pt->x != nxt.x)
					nbd_xterms(params, pt->x, &nxt);
				ll += pt->w * nbd_point(params, &nxt, pt, lv[ob->iT[i]], grad, pt->w);
				break;
			case MK_CUSTOM:
				{
					const double *yc_tx = NULL,
							   *yc_T = NULL;

					/*
					 * Sorted points that differ in m alone (which purchase
					 * models do not read) reuse the previous point's
					 * log-likelihood and gradient: point adds w times its
					 * gradient, so cg, its gradient at w = 1, times w adds
					 * the same.
					 */
					if (prev && pt->x == prev->x && pt->tx == prev->tx && pt->T == prev->T)
					{
						ll += pt->w * cl;
						if (grad)
							for (int k = 0; k < ob->n; k++)
								grad[k] += pt->w * cg[k];
						break;
					}
					prev = pt;
					if (pt->x != cx)
					{
						if (ob->lik->xterms)
							ob->lik->xterms(params, pt->x, cxt);
						ob->yrun++;
					}
					cx = pt->x;
					if (ob->yc)
					{
						yc_tx = custom_yterms(ob, params, cxt, pt->x, ob->itx[i], grad != NULL);
						yc_T = custom_yterms(ob, params, cxt, pt->x, ob->iT[i], grad != NULL);
					}
					if (grad)
						memset(cg, 0, sizeof(cg));
					cl = ob->lik->point(params, cxt, yc_tx, yc_T, pt, grad ? cg : NULL, 1);
					ll += pt->w * cl;
					if (grad)
						for (int k = 0; k < ob->n; k++)
							grad[k] += pt->w * cg[k];
				}
				break;
		}
	}
	if (cacheable)
	{
		ob->ll_valid = true;
		ob->ll_kind = ob->kind;
		memcpy(ob->ll_params, params, sizeof(double) * ob->n);
		ob->ll_value = ll;
	}
	return ll;
}

/*
 * What BFGS minimizes: f(theta) = -LL(exp theta) / W + pen * sum(exp(2 theta)),
 * and its gradient in theta.
 */
static double
objective(Objective *ob, const double *theta, double *g)
{
	double		params[BTYD_MAX_PARAMS],
				grad[BTYD_MAX_PARAMS];
	double		f;

	for (int k = 0; k < ob->n; k++)
		params[k] = exp(theta[k]);
	f = -total_loglik(ob, params, g ? grad : NULL) / ob->wsum;
	for (int k = 0; k < ob->n; k++)
	{
		f += ob->penalizer * params[k] * params[k];
		if (g)
			g[k] = -grad[k] / ob->wsum * params[k] +
				2 * ob->penalizer * params[k] * params[k];
	}
	return f;
}

static double
norm2(const double *v, int n)
{
	double		s = 0;

	for (int k = 0; k < n; k++)
		s += v[k] * v[k];
	return sqrt(s);
}

/* Invert a small symmetric positive-definite matrix (Gauss-Jordan). */
static bool
invert(double *m, int n)
{
	double		aug[BTYD_MAX_PARAMS][2 * BTYD_MAX_PARAMS];

	for (int i = 0; i < n; i++)
		for (int j = 0; j < 2 * n; j++)
			aug[i][j] = j < n ? m[i * n + j] : (j - n == i);
	for (int c = 0; c < n; c++)
	{
		int			piv = c;

		for (int i = c + 1; i < n; i++)
			if (fabs(aug[i][c]) > fabs(aug[piv][c]))
				piv = i;
		if (!(fabs(aug[piv][c]) > 0))
			return false;
		if (piv != c)
			for (int j = 0; j < 2 * n; j++)
			{
				double		t = aug[c][j];

				aug[c][j] = aug[piv][j];
				aug[piv][j] = t;
			}
		for (int j = 2 * n - 1; j >= c; j--)
			aug[c][j] /= aug[c][c];
		for (int i = 0; i < n; i++)
			if (i != c)
				for (int j = 2 * n - 1; j >= c; j--)
					aug[i][j] -= aug[i][c] * aug[c][j];
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			m[i * n + j] = aug[i][j + n];
	return true;
}

/*
 * The gradients of the total log-likelihood at nset parameter vectors (at
 * most SE_SETS) in one pass over the points, for a built-in kind (BG/NBD,
 * Gamma-Gamma, NBD): each is the very sum total_loglik(ob, params[k],
 * grads[k]) computes, term by term in the same order, so the same number to
 * the last bit; the pass shares the reading of the points, the per-x and
 * per-(t_x, T) bookkeeping and, for Gamma-Gamma, log(x m + gamma) between
 * vectors of the same gamma.  It counts nset passes against the budget.
 */
#define SE_SETS (2 * BTYD_MAX_PARAMS)

static void
gradients_fused(Objective *ob, int nset, const double (*params)[BTYD_MAX_PARAMS],
				double (*grads)[BTYD_MAX_PARAMS])
{
	BgXTerms	xt[SE_SETS];
	GgXTerms	gxt[SE_SETS];
	NbdXTerms	nxt[SE_SETS];
	double		bg_g[SE_SETS][BGNBD_NPARAMS];
	bool		bg_has_g[SE_SETS];
	int			gsame[SE_SETS]; /* GG: the first set of the same gamma */
	double	   *lv = NULL;
	double		cur_x = -1;
	uint32_t	key_T = UINT32_MAX,
				key_tx = UINT32_MAX;

	for (int k = 0; k < nset; k++)
	{
		memset(grads[k], 0, sizeof(double) * ob->n);
		gsame[k] = k;
		for (int j = 0; j < k; j++)
			if (memcmp(&params[j][2], &params[k][2], sizeof(double)) == 0)
			{
				gsame[k] = j;
				break;
			}
	}
	ob->spent += (double) nset * ob->npts;
	if (ob->lv != NULL)
	{
		lv = core_alloc(sizeof(double) * nset * (ob->nvals > 0 ? ob->nvals : 1));
		for (int k = 0; k < nset; k++)
			for (int64_t v = 0; v < ob->nvals; v++)
			{
				if ((v & 0x3FFF) == 0x3FFF)
					core_check_interrupts();
				lv[k * ob->nvals + v] = log(params[k][1] + ob->vals[v]);
			}
	}
	for (int64_t i = 0; i < ob->nall; i++)
	{
		const BtydPoint *pt = &ob->pts[i];

		if ((i & 0x3FFF) == 0)
			core_check_interrupts();
		if (ob->skip && !point_used(ob->kind, pt))
			continue;
		switch (ob->kind)
		{
			case MK_GG:
				{
					double		lxm[SE_SETS];

					if (pt->x != cur_x)
					{
						cur_x = pt->x;
						for (int k = 0; k < nset; k++)
							gg_xterms(params[k], pt->x, &gxt[k]);
					}
					for (int k = 0; k < nset; k++)
					{
						lxm[k] = gsame[k] == k ? log(pt->x * pt->m + params[k][2]) : lxm[gsame[k]];
						(void) gg_point_l(params[k], &gxt[k], pt, ob->lm[i], lxm[k], grads[k], pt->w);
					}
				}
				break;
			case MK_BGNBD:
				if (pt->x != cur_x)
				{
					cur_x = pt->x;
					for (int k = 0; k < nset; k++)
						bg_xterms(params[k], pt->x, &xt[k]);
					key_T = key_tx = UINT32_MAX;
				}
				if (ob->iT[i] != key_T || ob->itx[i] != key_tx)
				{
					key_T = ob->iT[i];
					key_tx = ob->itx[i];
					for (int k = 0; k < nset; k++)
						(void) bg_terms(params[k], &xt[k], pt, lv[k * ob->nvals + key_T],
										lv[k * ob->nvals + key_tx], bg_g[k], &bg_has_g[k]);
				}
				for (int k = 0; k < nset; k++)
					if (bg_has_g[k])
						for (int c = 0; c < BGNBD_NPARAMS; c++)
							grads[k][c] += pt->w * bg_g[k][c];
				break;
			case MK_NBD:
				if (pt->x != cur_x)
				{
					cur_x = pt->x;
					for (int k = 0; k < nset; k++)
						nbd_xterms(params[k], pt->x, &nxt[k]);
				}
				for (int k = 0; k < nset; k++)
					(void) nbd_point(params[k], &nxt[k], pt, lv[k * ob->nvals + ob->iT[i]],
									 grads[k], pt->w);
				break;
			case MK_CUSTOM:
				break;
		}
	}
	core_free(lv);
}

/*
 * Standard errors: the inverse of the Hessian of -LL in the parameters,
 * the Hessian by central differences of the analytic gradient (the 2 n
 * gradients in one pass for a built-in kind).
 */
static void
standard_errors(Objective *ob, BtydFit *fit)
{
	int			n = ob->n;
	double		h[BTYD_MAX_PARAMS * BTYD_MAX_PARAMS];
	double		ps[SE_SETS][BTYD_MAX_PARAMS],
				gs[SE_SETS][BTYD_MAX_PARAMS],
				steps[BTYD_MAX_PARAMS];
	bool		fused = ob->spec == NULL && ob->kind != MK_CUSTOM;

	for (int j = 0; j < n; j++)
	{
		steps[j] = 1e-5 * fit->params[j];
		memcpy(ps[2 * j], fit->params, sizeof(ps[0]));
		memcpy(ps[2 * j + 1], fit->params, sizeof(ps[0]));
		ps[2 * j][j] += steps[j];
		ps[2 * j + 1][j] -= steps[j];
	}
	if (fused)
		gradients_fused(ob, 2 * n, (const double (*)[BTYD_MAX_PARAMS]) ps, gs);
	else
		for (int k = 0; k < 2 * n; k++)
			total_loglik(ob, ps[k], gs[k]);
	for (int j = 0; j < n; j++)
	{
		const double *g1 = gs[2 * j],
				   *g2 = gs[2 * j + 1];
		double		step = steps[j];

		for (int i = 0; i < n; i++)
			h[i * n + j] = -(g1[i] - g2[i]) / (2 * step);
	}
	/* symmetrize */
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			h[i * n + j] = h[j * n + i] = (h[i * n + j] + h[j * n + i]) / 2;
	if (!invert(h, n))
	{
		for (int k = 0; k < n; k++)
			fit->se[k] = NAN;
		return;
	}
	for (int k = 0; k < n; k++)
		fit->se[k] = h[k * n + k] > 0 ? sqrt(h[k * n + k]) : NAN;
}

/* BFGS with a backtracking (Armijo) line search, from theta = 0. */
static bool
bfgs_from(Objective *ob, const double *theta0, double (*H0)[BTYD_MAX_PARAMS],
		  BtydFit *fit, CoreError *err, double (*Hout)[BTYD_MAX_PARAMS])
{
	int			n = ob->n;
	double		theta[BTYD_MAX_PARAMS] = {0},
				g[BTYD_MAX_PARAMS],
				H[BTYD_MAX_PARAMS][BTYD_MAX_PARAMS];
	double		f;
	int			it;
	int			stall = 0;

	for (int i = 0; i < n; i++)
	{
		if (theta0)
			theta[i] = theta0[i];
		for (int j = 0; j < n; j++)
			H[i][j] = H0 ? H0[i][j] : i == j;
	}
	f = objective(ob, theta, g);
	/* (an evaluation cut short by the budget ends not converged, below) */
	if (!isfinite(f) && ob->spent <= BTYD_FIT_BUDGET)
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "the log-likelihood is not finite at the starting point");

	/* the budget keeps room for the standard errors' 2 n gradients */
	for (it = 0; it < FIT_MAX_ITER && norm2(g, n) > FIT_GRAD_TOL &&
		 ob->spent + (2 * n + 2) * (double) ob->npts <= BTYD_FIT_BUDGET; it++)
	{
		double		d[BTYD_MAX_PARAMS],
					tn[BTYD_MAX_PARAMS],
					gn[BTYD_MAX_PARAMS],
					s[BTYD_MAX_PARAMS],
					y[BTYD_MAX_PARAMS];
		double		slope = 0,
					step = 1,
					fn = NAN,
					sy = 0;

		for (int i = 0; i < n; i++)
		{
			d[i] = 0;
			for (int j = 0; j < n; j++)
				d[i] -= H[i][j] * g[j];
			slope += d[i] * g[i];
		}
		if (!(slope < 0))
		{
			/* not a descent direction: restart from steepest descent */
			for (int i = 0; i < n; i++)
			{
				for (int j = 0; j < n; j++)
					H[i][j] = i == j;
				d[i] = -g[i];
			}
			slope = -norm2(g, n) * norm2(g, n);
		}
		/*
		 * A Newton-like step gains about -slope/2; once that is below the
		 * objective's rounding noise no line search can show progress, so
		 * stop (the gradient must then be within FIT_NOISE_TOL).
		 */
		if (-slope / 2 <= 8 * DBL_EPSILON * fabs(f))
		{
			stall = FIT_STALL;
			break;
		}

		/*
		 * The objective is a sum over npts points, and its rounding noise
		 * grows about as sqrt(npts) times that of one term: at a million
		 * summaries it is some 1e-13 of f, a thousand times the test above.
		 * An NBD probe (bgnbd_fit) whose gradient is within FIT_NOISE_TOL
		 * and whose step can gain no more than that noise stops here, not
		 * converged but marked, rather than spend the rest of the budget on
		 * line searches that noise decides.
		 */
		if (ob->probe && norm2(g, n) <= FIT_NOISE_TOL &&
			-slope / 2 <= 8 * DBL_EPSILON * fabs(f) * sqrt((double) ob->npts))
		{
			ob->probe_stalled = true;
			break;
		}
		/* keep a step in log-parameters within e^3 either way */
		{
			double		dmax = 0;

			for (int i = 0; i < n; i++)
				dmax = fabs(d[i]) > dmax ? fabs(d[i]) : dmax;
			if (dmax > 3)
				step = 3 / dmax;
		}
		for (int tries = 0; tries < 40 && ob->spent + (2 * n + 1) * (double) ob->npts <= BTYD_FIT_BUDGET;
			 tries++, step /= 2)
		{
			for (int i = 0; i < n; i++)
				tn[i] = theta[i] + step * d[i];
			fn = objective(ob, tn, gn);
			if (isfinite(fn) && fn <= f + 1e-4 * step * slope)
				break;
		}
		if (!(isfinite(fn) && fn <= f + 1e-4 * step * slope))
			break;				/* no progress possible: report below */
		for (int i = 0; i < n; i++)
		{
			s[i] = tn[i] - theta[i];
			y[i] = gn[i] - g[i];
			sy += s[i] * y[i];
		}
		if (sy > 1e-12 * norm2(s, n) * norm2(y, n))
		{
			double		Hy[BTYD_MAX_PARAMS],
						yHy = 0;

			for (int i = 0; i < n; i++)
			{
				Hy[i] = 0;
				for (int j = 0; j < n; j++)
					Hy[i] += H[i][j] * y[j];
				yHy += y[i] * Hy[i];
			}
			for (int i = 0; i < n; i++)
				for (int j = 0; j < n; j++)
					H[i][j] += (sy + yHy) * s[i] * s[j] / (sy * sy) -
						(Hy[i] * s[j] + s[i] * Hy[j]) / sy;
		}
		memcpy(theta, tn, sizeof(theta));
		memcpy(g, gn, sizeof(g));
		/*
		 * At the optimum of a sum over a million points the objective's
		 * rounding noise outgrows what a step can still gain: accepted steps
		 * stop changing it.  Stop there rather than spin; the gradient must
		 * then be within FIT_NOISE_TOL.
		 */
		stall = fabs(f - fn) <= 4 * DBL_EPSILON * fabs(f) ? stall + 1 : 0;
		f = fn;
		if (stall >= FIT_STALL)
		{
			it++;
			break;
		}

		if (ob->kind == MK_BGNBD &&
			exp(theta[2]) / (exp(theta[2]) + exp(theta[3])) < BOUNDARY_DROPOUT)
			ob->touched_boundary = true;

		/*
		 * A BG/NBD fit heading for the boundary (the mean dropout probability
		 * a / (a + b) vanishing) without doing better than the NBD: stop,
		 * bgnbd_fit returns the boundary.
		 */
		if (ob->kind == MK_BGNBD && !isnan(ob->nbd_f) &&
			exp(theta[2]) / (exp(theta[2]) + exp(theta[3])) < BOUNDARY_DROPOUT &&
			f >= ob->nbd_f - 1e-12 * fabs(ob->nbd_f))
		{
			it++;
			break;
		}
	}

	fit->nparams = n;
	for (int k = 0; k < n; k++)
		fit->params[k] = exp(theta[k]);
	fit->iterations = it;
	fit->grad_norm = norm2(g, n);
	fit->customers = ob->wsum;
	fit->loglik = total_loglik(ob, fit->params, NULL);
	fit->converged = fit->grad_norm <= FIT_GRAD_TOL ||
		(stall >= FIT_STALL && fit->grad_norm <= FIT_NOISE_TOL);
	if (!fit->converged)
	{
		core_fail(err, CORE_ERR_NOT_CONVERGED, -1,
				  "the %s fit did not converge", objective_name(ob));
		if (isfinite(fit->grad_norm))
			core_detail(err, "After %s iterations (%s evaluations of a customer's likelihood, of at most %s) the gradient norm is %s.",
						CORE_INT(it), CORE_INT(ob->spent), CORE_INT(BTYD_FIT_BUDGET),
						CORE_G(fit->grad_norm));
		else
			core_detail(err, "The evaluation budget (%s evaluations of a customer's likelihood) ran out after %s iterations, before the likelihood's gradient was computed.",
						CORE_INT(BTYD_FIT_BUDGET), CORE_INT(it));
		core_hint(err, "A penalizer (for example 0.001) regularizes a flat likelihood.");
		return false;
	}
	if (Hout)
		memcpy(Hout, H, sizeof(H));
	if (!ob->no_se)
		standard_errors(ob, fit);
	return true;
}

/*
 * BFGS over many points starts where a fit of a sample of them ends, with
 * that fit's inverse Hessian (the objective is a mean per customer, so it
 * has the scale of the whole's): a few iterations over every point then
 * finish it, within BTYD_FIT_BUDGET.  The sample is every k-th point in the
 * canonical order (sorted by x), so it spans every frequency; a fit of it
 * that fails only means a cold start.
 */
#define WARM_MIN_POINTS 100000
#define WARM_SAMPLE 25000

static bool
bfgs(Objective *ob, BtydFit *fit, CoreError *err)
{
	Objective	sub;
	BtydFit		subfit;
	CoreError	suberr;
	double		H[BTYD_MAX_PARAMS][BTYD_MAX_PARAMS],
				theta[BTYD_MAX_PARAMS];
	BtydPoint  *pts;
	int64_t		k,
				n = 0;
	bool		ok;

	if (ob->npts < WARM_MIN_POINTS)
		return bfgs_from(ob, NULL, NULL, fit, err, NULL);
	k = (ob->npts + WARM_SAMPLE - 1) / WARM_SAMPLE;
	pts = core_alloc(sizeof(BtydPoint) * (ob->npts / k + 1));
	sub = *ob;
	sub.wsum = 0;
	for (int64_t i = 0, used = 0; i < ob->nall; i++)
	{
		if (ob->skip && !point_used(ob->kind, &ob->pts[i]))
			continue;
		if (used++ % k != 0)
			continue;
		pts[n++] = ob->pts[i];
		sub.wsum += ob->pts[i].w;
	}
	sub.pts = pts;
	sub.npts = sub.nall = n;
	sub.skip = false;
	objective_prepare(&sub);
	/* the sample's fit may spend a quarter of the budget */
	sub.spent = BTYD_FIT_BUDGET * 0.75;
	sub.no_se = true;
	sub.probe = false;
	sub.touched_boundary = false;
	ok = bfgs_from(&sub, NULL, NULL, &subfit, &suberr, H);
	ob->touched_boundary |= sub.touched_boundary;
	objective_release(&sub);
	core_free(pts);
	ob->spent += sub.spent - BTYD_FIT_BUDGET * 0.75;
	if (!ok)
		return bfgs_from(ob, NULL, NULL, fit, err, NULL);
	for (int i = 0; i < ob->n; i++)
		theta[i] = log(subfit.params[i]);
	return bfgs_from(ob, theta, H, fit, err, NULL);
}

static int
point_cmp_x(const void *a, const void *b)
{
	double		x = ((const BtydPoint *) a)->x;
	double		y = ((const BtydPoint *) b)->x;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * The points a fit uses, sorted by x, with their per-point constants
 * (objective_prepare): the caller's own array when it is sorted by x and
 * every point is used, a copy otherwise (ob->own_pts); false with err when
 * there is nothing to fit.  objective_free releases them.  For MK_CUSTOM,
 * ob->lik is the model on entry.
 */
static bool
fit_points(ModelKind kind, const BtydPoint *pts, int64_t npts, double penalizer,
		   Objective *ob, CoreError *err)
{
	BtydPoint  *use = NULL;
	int64_t		nuse = 0;
	double		wsum = 0,
				wrepeat = 0;
	bool		gg = kind == MK_GG;
	bool		sorted = true;
	double		lastx = -INFINITY;
	const BtydLikelihood *lik = kind == MK_CUSTOM ? ob->lik : NULL;

	memset(ob, 0, sizeof(*ob));
	ob->lik = lik;
	ob->nbd_f = NAN;
	if (!(penalizer >= 0) || !isfinite(penalizer))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "penalizer must be a finite number of at least 0");
	for (int64_t i = 0; i < npts; i++)
	{
		const BtydPoint *pt = &pts[i];

		if ((i & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		if (!point_used(kind, pt))
			continue;
		if (pt->x < lastx)
			sorted = false;
		lastx = pt->x;
		nuse++;
		wsum += pt->w;
		if (pt->x > 0)
			wrepeat += pt->w;
	}
	if (nuse == 0 || (!gg && wrepeat == 0))
	{
		if (gg)
			return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
							 "no customer with repeat purchases of positive spend to fit the Gamma-Gamma model");
		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
				  "the %s model is not identifiable from these customers",
				  lik ? lik->name : kind_name[kind == MK_NBD ? MK_BGNBD : kind]);	/* the NBD is fitted as a BG/NBD's first stage */
		core_detail(err, nuse == 0 ? core_N_("There are no customers.")
					: core_N_("No customer has a repeat purchase (every frequency is 0)."));
		return false;
	}
	/* the per-point indexes are 32-bit */
	if (nuse > INT32_MAX / 2)
		return core_fail(err, CORE_ERR_PROGRAM_LIMIT, -1,
						 "too many distinct customer summaries to fit: %s, at most %s",
						 CORE_INT(nuse), CORE_INT(INT32_MAX / 2));
	ob->nall = nuse;
	if (sorted && (nuse == npts || gg))
	{
		/* the caller's points: Gamma-Gamma skips the unused ones */
		ob->pts = pts;
		ob->nall = npts;
		ob->skip = nuse < npts;
	}
	else
	{
		use = core_alloc(sizeof(BtydPoint) * nuse);
		nuse = 0;
		for (int64_t i = 0; i < npts; i++)
		{
			const BtydPoint *pt = &pts[i];

			if ((i & 0xFFFF) == 0xFFFF)
				core_check_interrupts();
			if (!point_used(kind, pt))
				continue;
			use[nuse++] = *pt;
		}
		/* clv_fit's points come sorted (points.h): then no sort is needed */
		if (!sorted)
			qsort(use, nuse, sizeof(BtydPoint), point_cmp_x);
		ob->pts = use;
		ob->own_pts = true;
	}
	ob->kind = kind;
	ob->n = kind == MK_GG ? GG_NPARAMS : kind == MK_NBD ? NBD_NPARAMS : BGNBD_NPARAMS;
	if (kind == MK_CUSTOM)
		ob->n = ob->lik->nparams;
	ob->npts = nuse;
	ob->wsum = wsum;
	ob->penalizer = penalizer;
	objective_prepare(ob);
	return true;
}

static void
objective_free(Objective *ob)
{
	objective_release(ob);
	if (ob->own_pts)
		core_free((void *) ob->pts);
	ob->pts = NULL;
}

static bool
fit_model(ModelKind kind, const BtydPoint *pts, int64_t npts, double penalizer,
		  BtydFit *fit, CoreError *err)
{
	Objective	ob;
	bool		ok;

	memset(fit, 0, sizeof(*fit));
	if (!fit_points(kind, pts, npts, penalizer, &ob, err))
		return false;
	ok = bfgs(&ob, fit, err);
	objective_free(&ob);
	return ok;
}

bool
btyd_fit_model(const BtydModelSpec *spec, double penalizer, BtydFit *fit, CoreError *err)
{
	Objective	ob;

	memset(fit, 0, sizeof(*fit));
	memset(&ob, 0, sizeof(ob));
	ob.nbd_f = NAN;
	if (!(penalizer >= 0) || !isfinite(penalizer))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "penalizer must be a finite number of at least 0");
	ob.kind = MK_BGNBD;			/* unused: spec decides */
	ob.spec = spec;
	ob.n = spec->nparams;
	/* the budget arithmetic of bfgs_from counts calls times npts */
	ob.npts = spec->cost >= 1 ? (int64_t) ceil(spec->cost) : 1;
	ob.wsum = spec->customers;
	ob.penalizer = penalizer;
	return bfgs_from(&ob, NULL, NULL, fit, err, NULL);
}

/* sum over j = 0 .. x - 1 of 1 / (b + j) = digamma(b + x) - digamma(b) */
static double
harmonic(double b, double x)
{
	double		h = 0;

	if (x > 64)
		return btyd_digamma(b + x) - btyd_digamma(b);
	for (int j = 0; j < (int) x; j++)
		h += 1 / (b + j);
	return h;
}

/*
 * max over b of S(b) (b + 1) / customers (see btyd.h), over b from 1e-4 to
 * 1e10 and the limit b -> infinity; +infinity when a customer's R
 * overflows (dropout then surely pays).  pts sorted by x.  ob, if not
 * NULL, is the NBD objective over pts: log(alpha + T) and log(alpha + t_x)
 * come from its table of distinct values, filled at alpha here (the same
 * logarithms, computed once per value).
 */
static double
dropout_gain_sorted(const double *nbd, const BtydPoint *pts, int64_t npts, const Objective *ob)
{
	/* per distinct x > 0: sum of w R and of w */
	double	   *xs = core_alloc(sizeof(double) * 3 * (npts > 0 ? npts : 1));
	int64_t		nx = 0;
	double		wsum = 0,
				best,
				lim = 0;

	for (int64_t i = 0; i < npts; i++)
	{
		const BtydPoint *pt = &pts[i];
		double		lr;

		if ((i & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		if (!(pt->w > 0))
			continue;
		wsum += pt->w;
		if (!(pt->x > 0))
			continue;
		if (ob)
			lr = (nbd[0] + pt->x) * (ob->lv[ob->iT[i]] - ob->lv[ob->itx[i]]);
		else
			lr = (nbd[0] + pt->x) * (log(nbd[1] + pt->T) - log(nbd[1] + pt->tx));
		if (lr > 700)
		{
			core_free(xs);
			return INFINITY;
		}
		if (nx == 0 || xs[3 * (nx - 1)] != pt->x)
		{
			xs[3 * nx] = pt->x;
			xs[3 * nx + 1] = 0;
			xs[3 * nx + 2] = 0;
			nx++;
		}
		xs[3 * (nx - 1) + 1] += pt->w * exp(lr);
		xs[3 * (nx - 1) + 2] += pt->w;
	}
	for (int64_t k = 0; k < nx; k++)
		lim += xs[3 * k + 1] - xs[3 * k] * xs[3 * k + 2];
	best = lim / wsum;
	for (int e = -8; e <= 20; e++)
	{
		double		b = pow(10, e / 2.0),
					sb = 0;

		for (int64_t k = 0; k < nx; k++)
			sb += xs[3 * k + 1] / (b + xs[3 * k] - 1) - xs[3 * k + 2] * harmonic(b, xs[3 * k]);
		sb = sb * (b + 1) / wsum;
		if (sb > best)
			best = sb;
	}
	core_free(xs);
	return best;
}

double
btyd_dropout_slope(const double *nbd, const BtydPoint *pts, int64_t npts, double b)
{
	double		sum = 0;

	for (int64_t i = 0; i < npts; i++)
	{
		double		x = pts[i].x,
					R = x > 0 ? pow((nbd[1] + pts[i].T) / (nbd[1] + pts[i].tx), nbd[0] + x) : 0;

		if (isinf(b))
			sum += pts[i].w * (x > 0 ? R - x : 0);
		else
			sum += pts[i].w * ((x > 0 ? R / (b + x - 1) : 0) - harmonic(b, x));
	}
	return sum;
}

double
btyd_dropout_gain(const double *nbd_params, const BtydPoint *pts, int64_t npts)
{
	BtydPoint  *s = core_alloc(sizeof(BtydPoint) * (npts > 0 ? npts : 1));
	double		g;

	memcpy(s, pts, sizeof(BtydPoint) * npts);
	qsort(s, npts, sizeof(BtydPoint), point_cmp_x);
	g = dropout_gain_sorted(nbd_params, s, npts, NULL);
	core_free(s);
	return g;
}

/* the NBD fit as a BG/NBD fit at its boundary */
static void
as_boundary(const BtydFit *nbd, BtydFit *fit)
{
	*fit = *nbd;
	fit->nparams = BGNBD_NPARAMS;
	fit->params[2] = fit->params[3] = NAN;
	fit->se[2] = fit->se[3] = NAN;
	fit->boundary = true;
}


bool
bgnbd_fit(const BtydPoint *pts, int64_t npts, double penalizer, BtydFit *fit, CoreError *err)
{
	Objective	ob;
	BtydFit		nbd;
	CoreError	nbd_err;
	bool		nbd_ok,
				ok;

	memset(fit, 0, sizeof(*fit));
	memset(&nbd, 0, sizeof(nbd));
	if (!fit_points(MK_NBD, pts, npts, penalizer, &ob, err))
		return false;			/* its messages name the BG/NBD model */
	/* the NBD's standard errors are needed only if it is the answer */
	ob.no_se = true;
	ob.probe = true;
	nbd_ok = bfgs(&ob, &nbd, &nbd_err);
	ob.probe = false;
	if (!nbd_ok && ob.probe_stalled)
	{
		/*
		 * The NBD is at its optimum but for rounding noise (many points:
		 * bfgs_from).  Where dropout clearly pays already there (a gain
		 * above PROBE_GAIN; the NBD's parameters are not quite the
		 * optimum's, so the gain's own tolerance would be too fine), fit the
		 * BG/NBD at once, cold, as after an NBD fit that fails.  If that fit
		 * converges without a step near the boundary (where the NBD's
		 * objective could have stopped it), it is the fit the NBD, fitted to
		 * the end, would have led to.  Otherwise, and where dropout does
		 * not clearly pay, fit the NBD again without the probe, to the end,
		 * along the same path, and go on from there.
		 */
		core_error_free(&nbd_err);
		for (int64_t k = 0; k < ob.nvals; k++)
		{
			if ((k & 0x3FFF) == 0x3FFF)
				core_check_interrupts();
			ob.lv[k] = log(nbd.params[1] + ob.vals[k]);
		}
		if (dropout_gain_sorted(nbd.params, ob.pts, ob.npts, &ob) > PROBE_GAIN)
		{
			ob.kind = MK_BGNBD;
			ob.n = BGNBD_NPARAMS;
			ob.spent = 0;
			ob.no_se = false;
			ob.touched_boundary = false;
			if (bfgs(&ob, fit, err))
			{
				if (!ob.touched_boundary)
				{
					objective_free(&ob);
					return true;
				}
			}
			else
				core_error_free(err);
			memset(fit, 0, sizeof(*fit));
			ob.kind = MK_NBD;
			ob.n = NBD_NPARAMS;
			ob.no_se = true;
		}
		ob.spent = 0;
		ob.probe_stalled = false;
		memset(&nbd, 0, sizeof(nbd));
		nbd_ok = bfgs(&ob, &nbd, &nbd_err);
		if (!nbd_ok)
			core_error_free(&nbd_err);
	}
	else if (!nbd_ok)
		core_error_free(&nbd_err);	/* the BG/NBD fit below starts cold */
	ob.no_se = false;
	if (nbd_ok)
		for (int64_t k = 0; k < ob.nvals; k++)
		{
			if ((k & 0x3FFF) == 0x3FFF)
				core_check_interrupts();
			ob.lv[k] = log(nbd.params[1] + ob.vals[k]);
		}
	if (nbd_ok && dropout_gain_sorted(nbd.params, ob.pts, ob.npts, &ob) <= BOUNDARY_TOL)
	{
		standard_errors(&ob, &nbd);
		objective_free(&ob);
		as_boundary(&nbd, fit);
		return true;
	}
	/* the same points, sorted, for the BG/NBD */
	ob.kind = MK_BGNBD;
	ob.n = BGNBD_NPARAMS;
	ob.spent = 0;
	if (nbd_ok)
	{
		double		theta[NBD_NPARAMS] = {log(nbd.params[0]), log(nbd.params[1])};

		ob.kind = MK_NBD;
		ob.n = NBD_NPARAMS;
		ob.nbd_f = objective(&ob, theta, NULL);
		ob.kind = MK_BGNBD;
		ob.n = BGNBD_NPARAMS;
		ob.spent = 0;
	}
	ok = bfgs(&ob, fit, err);
	if (nbd_ok && fit->loglik <= nbd.loglik + 1e-9 * fabs(nbd.loglik) &&
		fit->params[2] / (fit->params[2] + fit->params[3]) < BOUNDARY_DROPOUT)
	{
		/* BFGS went to the boundary: no dropout fits better than none */
		if (!ok)
			core_error_free(err);
		ob.kind = MK_NBD;
		ob.n = NBD_NPARAMS;
		standard_errors(&ob, &nbd);
		objective_free(&ob);
		as_boundary(&nbd, fit);
		return true;
	}
	objective_free(&ob);
	return ok;
}

bool
gg_fit(const BtydPoint *pts, int64_t npts, double penalizer, BtydFit *fit, CoreError *err)
{
	return fit_model(MK_GG, pts, npts, penalizer, fit, err);
}

bool
nbd_fit(const BtydPoint *pts, int64_t npts, double penalizer, BtydFit *fit, CoreError *err)
{
	return fit_model(MK_NBD, pts, npts, penalizer, fit, err);
}

bool
btyd_fit_likelihood(const BtydLikelihood *lik, const BtydPoint *pts, int64_t npts,
					double penalizer, BtydFit *fit, CoreError *err)
{
	Objective	ob;
	bool		ok;

	memset(fit, 0, sizeof(*fit));
	ob.lik = lik;
	if (!fit_points(MK_CUSTOM, pts, npts, penalizer, &ob, err))
		return false;
	ok = bfgs(&ob, fit, err);
	objective_free(&ob);
	return ok;
}

double
btyd_loglik_total(const BtydLikelihood *lik, const double *params, const BtydPoint *pts,
				  int64_t npts, double *grad)
{
	Objective	ob;
	double		ll;

	memset(&ob, 0, sizeof(ob));
	ob.kind = MK_CUSTOM;
	ob.lik = lik;
	ob.n = lik->nparams;
	ob.pts = pts;
	ob.npts = ob.nall = npts;
	objective_prepare(&ob);
	ll = total_loglik(&ob, params, grad);
	objective_release(&ob);
	return ll;
}

double
btyd_likelihood_point(const BtydLikelihood *lik, const double *params, const BtydPoint *pt,
					  double *grad)
{
	double		xc[BTYD_XCACHE],
				y1[BTYD_YCACHE],
				y2[BTYD_YCACHE];

	if (grad)
		for (int k = 0; k < lik->nparams; k++)
			grad[k] = 0;
	if (lik->xterms)
		lik->xterms(params, pt->x, xc);
	if (!lik->yterms)
		return lik->point(params, xc, NULL, NULL, pt, grad, 1);
	lik->yterms(params, xc, pt->x, pt->tx, y1, grad != NULL);
	lik->yterms(params, xc, pt->x, pt->T, y2, grad != NULL);
	return lik->point(params, xc, y1, y2, pt, grad, 1);
}

/* ---------------------------------------------------------------------
 * Predictions
 * ---------------------------------------------------------------------
 */

double
btyd_hyp2f1(double a, double b, double c, double z, bool *ok)
{
	double		term = 1,
				sum = 1;

	*ok = true;
	if (z == 0)
		return 1;
	for (int k = 0; k < 1000000; k++)
	{
		if ((k & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
		sum += term;
		if (fabs(term) <= 1e-16 * fabs(sum) && k > 2)
			return sum;
		if (!isfinite(sum))
			break;
	}
	*ok = false;
	return sum;
}

/*
 * log of the odds term a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x) of P(alive)
 * and of the conditional expectation; -inf for x = 0.
 */
static double
log_dead_odds(const double *p, double x, double tx, double T)
{
	if (x <= 0 || isnan(p[2]))	/* a boundary fit: nobody drops out */
		return -INFINITY;
	return log(p[2]) - log(p[3] + x - 1) + (p[0] + x) * (log(p[1] + T) - log(p[1] + tx));
}

double
bgnbd_p_alive(const double *params, double x, double tx, double T)
{
	double		lo = log_dead_odds(params, x, tx, T);

	return lo == -INFINITY ? 1.0 : 1.0 / (1.0 + exp(lo));
}

/*
 * E[Y(t) | x, t_x, T] (eq. 10).  With z = t / (alpha + T + t), Euler's
 * transformation turns (1 - z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z) into
 * (1 - z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), whose terms shrink from the
 * start whatever x: no overflow at large frequencies.
 */
double
bgnbd_expected_purchases_alive(const double *params, double x, double T, double t)
{
	double		r = params[0],
				alpha = params[1],
				a = params[2],
				b = params[3];
	double		z = t / (alpha + T + t);
	bool		ok;
	double		F;

	if (isnan(a))				/* the NBD (a boundary fit) */
		return (r + x) * t / (alpha + T);
	F = btyd_hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z, &ok);
	if (!ok)
		return NAN;
	return (a + b + x - 1) / (a - 1) * (1 - pow(1 - z, a - 1) * F);
}

double
bgnbd_expected_purchases(const double *params, double x, double tx, double T, double t)
{
	return bgnbd_p_alive(params, x, tx, T) * bgnbd_expected_purchases_alive(params, x, T, t);
}

double
bgnbd_expected_purchases_new(const double *params, double t)
{
	double		r = params[0],
				alpha = params[1],
				a = params[2],
				b = params[3];
	double		z = t / (alpha + t);
	bool		ok;
	double		F;

	if (isnan(a))				/* the NBD (a boundary fit) */
		return r * t / alpha;
	F = btyd_hyp2f1(a + b - 1 - r, a - 1, a + b - 1, z, &ok);
	if (!ok)
		return NAN;
	return (a + b - 1) / (a - 1) * (1 - pow(1 - z, a - 1) * F);
}

double
gg_expected_spend(const double *params, double x, double m)
{
	double		p = params[0],
				q = params[1],
				g = params[2];

	/* a weighted mean of the population mean p g / (q - 1) and the
	 * customer's own mean m */
	return (g + x * m) * p / (p * x + q - 1);
}

bool
clv_closed_form(double avg_order_value, double purchases_per_year, double margin,
				double retention, double discount, double *clv, CoreError *err)
{
	if (!isfinite(avg_order_value) || !isfinite(purchases_per_year) || avg_order_value < 0 ||
		purchases_per_year < 0)
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "avg_order_value and purchases_per_year must be finite and not negative");
	if (!(margin >= 0 && margin <= 1))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "margin must be between 0 and 1, not %s", CORE_G(margin));
	if (!(retention >= 0 && retention < 1))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "retention_rate must be at least 0 and less than 1, not %s",
						 CORE_G(retention));
	if (!(discount >= 0) || !isfinite(discount))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "discount_rate must be a finite number of at least 0, not %s",
						 CORE_G(discount));
	*clv = avg_order_value * purchases_per_year * margin * retention / (1 + discount - retention);
	return true;
}
