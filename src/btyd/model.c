/*-------------------------------------------------------------------------
 *
 * model.c
 *	  A fitted CLV model: fields, validation, text form and the discounted
 *	  customer lifetime value (pure core, see model.h).
 *
 * One idea: a model is a flat list of named numbers.  The text form, the
 * binary form and the jsonb view are three spellings of that list, each
 * produced by walking one table of fields, so they cannot drift apart, and
 * one validation covers every way a model can come in.
 *
 *-------------------------------------------------------------------------
 */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum FieldKind
{
	FK_POSITIVE,				/* finite, > 0 */
	FK_DROPOUT,					/* finite, > 0; NaN in a boundary fit */
	FK_NONNEG,					/* finite, >= 0 */
	FK_SE,						/* >= 0, or NaN (not estimable) */
	FK_FINITE,					/* finite */
	FK_COUNT,					/* integral, >= 1 */
	FK_ITER,					/* integral int, >= 0 */
	FK_BOOL						/* 0 or 1 */
} FieldKind;

typedef struct Field
{
	const char *name;
	FieldKind	kind;
	int			fit;			/* 0: the model, 1: bgnbd, 2: gg */
	int			index;			/* params / se index, or a member code */
} Field;

/* member codes of a fit */
enum
{
	M_PARAM, M_SE = 10, M_LOGLIK = 20, M_CUSTOMERS, M_ITERATIONS, M_GRADIENT, M_CONVERGED,
	M_BOUNDARY, M_UNIT = 30, M_PENALIZER
};

static const Field fields[CLV_MODEL_NFIELDS] = {
	{"unit_days", FK_POSITIVE, 0, M_UNIT},
	{"penalizer", FK_NONNEG, 0, M_PENALIZER},
	{"r", FK_POSITIVE, 1, M_PARAM + 0},
	{"alpha", FK_POSITIVE, 1, M_PARAM + 1},
	{"a", FK_DROPOUT, 1, M_PARAM + 2},
	{"b", FK_DROPOUT, 1, M_PARAM + 3},
	{"r_se", FK_SE, 1, M_SE + 0},
	{"alpha_se", FK_SE, 1, M_SE + 1},
	{"a_se", FK_SE, 1, M_SE + 2},
	{"b_se", FK_SE, 1, M_SE + 3},
	{"bgnbd_loglik", FK_FINITE, 1, M_LOGLIK},
	{"bgnbd_customers", FK_COUNT, 1, M_CUSTOMERS},
	{"bgnbd_iterations", FK_ITER, 1, M_ITERATIONS},
	{"bgnbd_gradient_norm", FK_NONNEG, 1, M_GRADIENT},
	{"bgnbd_converged", FK_BOOL, 1, M_CONVERGED},
	{"p", FK_POSITIVE, 2, M_PARAM + 0},
	{"q", FK_POSITIVE, 2, M_PARAM + 1},
	{"gamma", FK_POSITIVE, 2, M_PARAM + 2},
	{"p_se", FK_SE, 2, M_SE + 0},
	{"q_se", FK_SE, 2, M_SE + 1},
	{"gamma_se", FK_SE, 2, M_SE + 2},
	{"gg_loglik", FK_FINITE, 2, M_LOGLIK},
	{"gg_customers", FK_COUNT, 2, M_CUSTOMERS},
	{"gg_iterations", FK_ITER, 2, M_ITERATIONS},
	{"gg_gradient_norm", FK_NONNEG, 2, M_GRADIENT},
	{"gg_converged", FK_BOOL, 2, M_CONVERGED},
	{"bgnbd_boundary", FK_BOOL, 1, M_BOUNDARY},	/* version 2 */
	{"format_version", FK_COUNT, 0, -1},
};

#define FIELD_BOUNDARY 26
#define FIELD_VERSION 27

int
clv_model_version(const ClvModel *m)
{
	return m->bgnbd.boundary ? 2 : 1;
}

int
clv_model_nfields(int version)
{
	return version == 1 ? CLV_MODEL_NFIELDS - 1 : CLV_MODEL_NFIELDS;
}

int
clv_model_field_at(int version, int pos)
{
	/* version 1: every field but bgnbd_boundary */
	if (version == 1 && pos >= FIELD_BOUNDARY)
		return pos + 1;
	return pos;
}

double
clv_fit_aic(const BtydFit *fit)
{
	int			k = fit->boundary ? NBD_NPARAMS : fit->nparams;

	return 2.0 * k - 2 * fit->loglik;
}

double
clv_fit_bic(const BtydFit *fit)
{
	int			k = fit->boundary ? NBD_NPARAMS : fit->nparams;

	return k * log(fit->customers) - 2 * fit->loglik;
}

const char *
clv_model_field_name(int i)
{
	return fields[i].name;
}

static BtydFit *
fit_of(const ClvModel *m, int fit)
{
	return (BtydFit *) (fit == 1 ? &m->bgnbd : &m->gg);
}

double
clv_model_get(const ClvModel *m, int i)
{
	const Field *f = &fields[i];
	BtydFit    *fit;

	if (f->fit == 0)
		return f->index == M_UNIT ? m->unit_days
			: f->index == M_PENALIZER ? m->penalizer : clv_model_version(m);
	fit = fit_of(m, f->fit);
	if (f->index < M_SE)
		return fit->params[f->index - M_PARAM];
	if (f->index < M_LOGLIK)
		return fit->se[f->index - M_SE];
	switch (f->index)
	{
		case M_LOGLIK:
			return fit->loglik;
		case M_CUSTOMERS:
			return fit->customers;
		case M_ITERATIONS:
			return fit->iterations;
		case M_GRADIENT:
			return fit->grad_norm;
		case M_BOUNDARY:
			return fit->boundary ? 1 : 0;
		default:
			return fit->converged ? 1 : 0;
	}
}

void
clv_model_set(ClvModel *m, int i, double v)
{
	const Field *f = &fields[i];
	BtydFit    *fit;

	if (f->fit == 0)
	{
		if (f->index == M_UNIT)
			m->unit_days = v;
		else if (f->index == M_PENALIZER)
			m->penalizer = v;
		return;					/* the version is checked, not stored */
	}
	fit = fit_of(m, f->fit);
	fit->nparams = f->fit == 1 ? BGNBD_NPARAMS : GG_NPARAMS;
	if (f->index < M_SE)
		fit->params[f->index - M_PARAM] = v;
	else if (f->index < M_LOGLIK)
		fit->se[f->index - M_SE] = v;
	else if (f->index == M_LOGLIK)
		fit->loglik = v;
	else if (f->index == M_CUSTOMERS)
		fit->customers = v;
	else if (f->index == M_ITERATIONS)
		fit->iterations = (v >= 0 && v <= 1e9) ? (int) v : -1;
	else if (f->index == M_GRADIENT)
		fit->grad_norm = v;
	else if (f->index == M_BOUNDARY)
		fit->boundary = v != 0;
	else
		fit->converged = v != 0;
}

static bool
in_range(FieldKind kind, double v)
{
	switch (kind)
	{
		case FK_POSITIVE:
			return isfinite(v) && v > 0;
		case FK_DROPOUT:
			return isnan(v) || (isfinite(v) && v > 0);
		case FK_NONNEG:
			return isfinite(v) && v >= 0;
		case FK_SE:
			return isnan(v) || (isfinite(v) && v >= 0);
		case FK_FINITE:
			return isfinite(v);
		case FK_COUNT:
			return isfinite(v) && v >= 1 && v <= 9007199254740992.0 && v == floor(v);
		case FK_ITER:
			return isfinite(v) && v >= 0 && v <= 1e9 && v == floor(v);
		case FK_BOOL:
			return v == 0 || v == 1;
	}
	return false;
}

static const char *
kind_text(FieldKind kind)
{
	switch (kind)
	{
		case FK_POSITIVE:
			return "a finite number above 0";
		case FK_DROPOUT:
			return "a finite number above 0 (NaN in a boundary fit)";
		case FK_NONNEG:
			return "a finite number of at least 0";
		case FK_SE:
			return "a finite number of at least 0, or NaN";
		case FK_FINITE:
			return "a finite number";
		case FK_COUNT:
			return "a whole number of at least 1";
		case FK_ITER:
			return "a whole number of at least 0";
		case FK_BOOL:
			return "true or false";
	}
	return "";
}

bool
clv_model_field_ok(int i, double v)
{
	return in_range(fields[i].kind, v);
}

bool
clv_model_check(const ClvModel *m, CoreError *err)
{
	for (int i = 0; i < CLV_MODEL_NFIELDS; i++)
		if (!in_range(fields[i].kind, clv_model_get(m, i)))
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
			core_detail(err, "Field %s must be %s.", fields[i].name, kind_text(fields[i].kind));
			return false;
		}
	/* a and b are NaN exactly in a boundary fit, as are their errors */
	if (m->bgnbd.boundary != isnan(m->bgnbd.params[2]) ||
		m->bgnbd.boundary != isnan(m->bgnbd.params[3]) ||
		(m->bgnbd.boundary && !(isnan(m->bgnbd.se[2]) && isnan(m->bgnbd.se[3]))))
	{
		core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
		core_detail(err, "Fields a, b, a_se and b_se must be NaN when bgnbd_boundary is true, and a and b finite numbers above 0 otherwise.");
		return false;
	}
	return true;
}

int
clv_model_encode(const ClvModel *m, double *f)
{
	int			version = clv_model_version(m),
				n = clv_model_nfields(version);

	for (int pos = 0; pos < n; pos++)
		f[pos] = clv_model_get(m, clv_model_field_at(version, pos));
	return n;
}

bool
clv_model_decode(const double *f, int nf, ClvModel *m, CoreError *err)
{
	int			version;

	memset(m, 0, sizeof(*m));
	if (nf != clv_model_nfields(1) && nf != clv_model_nfields(2))
	{
		core_fail(err, CORE_ERR_INVALID_BINARY, -1, "invalid binary clv_model");
		core_detail(err, "A clv_model is %d (format version 1) or %d (version 2) float8 values, not %d.",
					clv_model_nfields(1), clv_model_nfields(2), nf);
		return false;
	}
	version = nf == clv_model_nfields(1) ? 1 : 2;
	if (f[nf - 1] != version)
	{
		core_fail(err, CORE_ERR_INVALID_BINARY, -1, "invalid binary clv_model");
		core_detail(err, "Format version %g is not known to this version of segmentation, or does not match the value's %d fields.",
					f[nf - 1], nf);
		return false;
	}
	for (int pos = 0; pos < nf; pos++)
	{
		int			i = clv_model_field_at(version, pos);

		if (!in_range(fields[i].kind, f[pos]))
		{
			core_fail(err, CORE_ERR_INVALID_BINARY, -1, "invalid binary clv_model");
			core_detail(err, "Field %s is out of range: %g.", fields[i].name, f[pos]);
			return false;
		}
		clv_model_set(m, i, f[pos]);
	}
	if (!clv_model_check(m, err))
	{
		err->code = CORE_ERR_INVALID_BINARY;
		return false;
	}
	if (clv_model_version(m) != version)
	{
		core_fail(err, CORE_ERR_INVALID_BINARY, -1, "invalid binary clv_model");
		core_detail(err, "A model without a boundary fit is written in format version 1.");
		return false;
	}
	return true;
}

void
clv_shortest_double(double v, char *buf)
{
	if (isnan(v))
	{
		strcpy(buf, "NaN");
		return;
	}
	if (isinf(v))
	{
		strcpy(buf, v > 0 ? "Infinity" : "-Infinity");
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15)
	{
		snprintf(buf, 32, "%.0f", v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++)
	{
		snprintf(buf, 32, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

char *
clv_model_format(const ClvModel *m)
{
	/* 28 fields of at most 20 + 1 + 24 + 1 bytes */
	char	   *out = core_alloc(CLV_MODEL_NFIELDS * 48 + 1);
	char	   *p = out;
	int			version = clv_model_version(m);

	for (int pos = 0; pos < clv_model_nfields(version); pos++)
	{
		int			i = clv_model_field_at(version, pos);
		const Field *f = &fields[i];
		double		v = clv_model_get(m, i);
		char		num[32];

		if (f->kind == FK_BOOL)
			strcpy(num, v != 0 ? "true" : "false");
		else
			clv_shortest_double(v, num);
		p += sprintf(p, "%s%s=%s", pos ? " " : "", f->name, num);
	}
	return out;
}

static bool
parse_value(const char *text, size_t len, FieldKind kind, double *v)
{
	char		buf[64];
	char	   *end;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (kind == FK_BOOL)
	{
		if (strcmp(buf, "true") == 0)
			*v = 1;
		else if (strcmp(buf, "false") == 0)
			*v = 0;
		else
			return false;
		return true;
	}
	if (strcmp(buf, "NaN") == 0)
	{
		*v = NAN;
		return true;
	}
	/* strtod would also read hex, inf and nan spellings: only decimals */
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789+-.eE", buf[i]))
			return false;
	*v = strtod(buf, &end);
	return *end == '\0';
}

bool
clv_model_parse(const char *s, ClvModel *m, CoreError *err)
{
	bool		seen[CLV_MODEL_NFIELDS] = {false};
	size_t		pos = 0,
				len = strlen(s);
	int			version = 0;

	memset(m, 0, sizeof(*m));
	for (;;)
	{
		size_t		start,
					eq,
					end;
		int			i;
		double		v;

		while (pos < len && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
			pos++;
		if (pos == len)
			break;
		start = pos;
		while (pos < len && s[pos] != ' ' && s[pos] != '\t' && s[pos] != '\n' && s[pos] != '\r')
			pos++;
		end = pos;
		for (eq = start; eq < end && s[eq] != '='; eq++)
			;
		if (eq == end)
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, (int) start, "invalid clv_model");
			core_detail(err, "Expected name=value at offset %d.", (int) start);
			return false;
		}
		for (i = 0; i < CLV_MODEL_NFIELDS; i++)
			if (strlen(fields[i].name) == eq - start &&
				memcmp(fields[i].name, s + start, eq - start) == 0)
				break;
		if (i == CLV_MODEL_NFIELDS)
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, (int) start, "invalid clv_model");
			core_detail(err, "Unknown field \"%.*s\" at offset %d.", (int) (eq - start), s + start,
						(int) start);
			return false;
		}
		if (seen[i])
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, (int) start, "invalid clv_model");
			core_detail(err, "Field %s appears twice.", fields[i].name);
			return false;
		}
		seen[i] = true;
		if (!parse_value(s + eq + 1, end - eq - 1, fields[i].kind, &v))
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, (int) eq + 1, "invalid clv_model");
			core_detail(err, "Field %s must be %s, not \"%.*s\".", fields[i].name,
						kind_text(fields[i].kind), (int) (end - eq - 1), s + eq + 1);
			return false;
		}
		if (!in_range(fields[i].kind, v))
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, (int) eq + 1, "invalid clv_model");
			core_detail(err, "Field %s must be %s.", fields[i].name, kind_text(fields[i].kind));
			return false;
		}
		if (fields[i].index == -1 && v != 1 && v != CLV_MODEL_VERSION)
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, (int) eq + 1, "invalid clv_model");
			core_detail(err, "Format version %g is not known to this version of segmentation (it reads 1 to %d).",
						v, CLV_MODEL_VERSION);
			return false;
		}
		if (fields[i].index == -1)
			version = (int) v;
		clv_model_set(m, i, v);
	}
	/* every field of the version, and no other */
	if (!seen[FIELD_VERSION])
	{
		core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
		core_detail(err, "Field format_version is missing.");
		return false;
	}
	for (int i = 0; i < CLV_MODEL_NFIELDS; i++)
		if (!seen[i] && !(version == 1 && i == FIELD_BOUNDARY))
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
			core_detail(err, "Field %s is missing.", fields[i].name);
			return false;
		}
	if (version == 1 && seen[FIELD_BOUNDARY])
	{
		core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
		core_detail(err, "Field bgnbd_boundary is not part of format version 1.");
		return false;
	}
	if (!clv_model_check(m, err))
		return false;
	if (clv_model_version(m) != version)
	{
		core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
		core_detail(err, "A model without a boundary fit is written in format version 1.");
		return false;
	}
	return true;
}

bool
clv_model_discounted_purchases(const ClvModel *m, double x, double T, int months,
							   double discount, double *g, CoreError *err)
{
	double		f = 30.0 / m->unit_days;
	double		prev = 0,
				sum = 0,
				disc = 1;

	if (months < 0 || months > CLV_MAX_MONTHS)
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "months must be between 0 and %d, not %d", CLV_MAX_MONTHS, months);
	if (!(discount >= 0) || !isfinite(discount))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "discount_rate must be a finite number of at least 0");
	for (int k = 1; k <= months; k++)
	{
		double		e;

		core_check_interrupts();	/* months is the caller's, up to CLV_MAX_MONTHS */
		e = bgnbd_expected_purchases_alive(m->bgnbd.params, x, T, k * f);

		disc *= 1 + discount;
		sum += (e - prev) / disc;
		prev = e;
	}
	*g = sum;
	return true;
}

bool
clv_model_value(const ClvModel *m, double x, double tx, double T, double monetary,
				int months, double discount, double *clv, CoreError *err)
{
	double		g;

	if (!clv_model_discounted_purchases(m, x, T, months, discount, &g, err))
		return false;
	*clv = gg_expected_spend(m->gg.params, x, monetary) * bgnbd_p_alive(m->bgnbd.params, x, tx, T) * g;
	return true;
}
