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
#include "mbgnbd.h"
#include "pareto.h"

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
	FK_BOOL,					/* 0 or 1 */
	FK_KIND						/* a known kind (clv_kind_info) */
} FieldKind;

/*
 * A field.  The purchase model's (fit 1) are named by the kind: a
 * parameter or its standard error by the kind's parameter names, the others
 * as the kind's name, "_", name ("bgnbd_loglik", "pareto_nbd_loglik").
 */
typedef struct Field
{
	const char *name;
	FieldKind	kind;
	int			fit;			/* 0: the model, 1: purchase, 2: gg */
	int			index;			/* params / se index, or a member code */
} Field;

/* member codes of a fit */
enum
{
	M_PARAM, M_SE = 10, M_LOGLIK = 20, M_CUSTOMERS, M_ITERATIONS, M_GRADIENT, M_CONVERGED,
	M_BOUNDARY, M_UNIT = 30, M_PENALIZER, M_VERSION, M_KIND
};

static const Field fields[CLV_MODEL_NFIELDS] = {
	{"unit_days", FK_POSITIVE, 0, M_UNIT},
	{"penalizer", FK_NONNEG, 0, M_PENALIZER},
	{NULL, FK_POSITIVE, 1, M_PARAM + 0},
	{NULL, FK_POSITIVE, 1, M_PARAM + 1},
	{NULL, FK_DROPOUT, 1, M_PARAM + 2},
	{NULL, FK_DROPOUT, 1, M_PARAM + 3},
	{NULL, FK_SE, 1, M_SE + 0},
	{NULL, FK_SE, 1, M_SE + 1},
	{NULL, FK_SE, 1, M_SE + 2},
	{NULL, FK_SE, 1, M_SE + 3},
	{"loglik", FK_FINITE, 1, M_LOGLIK},
	{"customers", FK_COUNT, 1, M_CUSTOMERS},
	{"iterations", FK_ITER, 1, M_ITERATIONS},
	{"gradient_norm", FK_NONNEG, 1, M_GRADIENT},
	{"converged", FK_BOOL, 1, M_CONVERGED},
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
	{"boundary", FK_BOOL, 1, M_BOUNDARY},	/* version 2 */
	{"format_version", FK_COUNT, 0, M_VERSION},
	{"kind", FK_KIND, 0, M_KIND},	/* version 3, listed first */
};

#define FIELD_BOUNDARY 26
#define FIELD_VERSION 27
#define FIELD_KIND 28

/* ---------------------------------------------------------------------
 * The kinds: the one table every prediction dispatches through
 * ---------------------------------------------------------------------
 */
static const ClvKindInfo kinds[CLV_NKINDS] = {
	[CLV_KIND_BGNBD] = {"bgnbd", "BG/NBD", BGNBD_NPARAMS, {"r", "alpha", "a", "b"},
		bgnbd_fit, bgnbd_p_alive, bgnbd_expected_purchases_alive, true},
	[CLV_KIND_PARETO_NBD] = {"pareto_nbd", "Pareto/NBD", BGNBD_NPARAMS, {"r", "alpha", "s", "beta"},
		pareto_fit, pareto_p_alive, pareto_expected_purchases_alive, true},
	[CLV_KIND_MBGNBD] = {"mbgnbd", "MBG/NBD", BGNBD_NPARAMS, {"r", "alpha", "a", "b"},
		mbgnbd_fit, mbgnbd_p_alive, mbgnbd_expected_purchases_alive, true},
	/* CLV_KIND_BGBB and CLV_KIND_SBG: not built yet (name NULL) */
};

const ClvKindInfo *
clv_kind_info(int kind)
{
	if (kind < 0 || kind >= CLV_NKINDS || kinds[kind].name == NULL)
		return NULL;
	return &kinds[kind];
}

int
clv_kind_by_name(const char *name, size_t len)
{
	for (int k = 0; k < CLV_NKINDS; k++)
		if (kinds[k].name && strlen(kinds[k].name) == len &&
			memcmp(kinds[k].name, name, len) == 0)
			return k;
	return -1;
}

int
clv_model_version(const ClvModel *m)
{
	if (m->kind != CLV_KIND_BGNBD)
		return 3;
	return m->purchase.boundary ? 2 : 1;
}

int
clv_model_nfields(int version)
{
	return version == 1 ? CLV_MODEL_NFIELDS - 2
		: version == 2 ? CLV_MODEL_NFIELDS - 1 : CLV_MODEL_NFIELDS;
}

int
clv_model_field_at(int version, int pos)
{
	/* version 1: every field but boundary and kind; 2: all but kind */
	if (version == 1 && pos >= FIELD_BOUNDARY)
		return pos + 1;
	/* version 3: the kind first, then version 2's */
	if (version == 3)
		return pos == 0 ? FIELD_KIND : pos - 1;
	return pos;
}

int
clv_fit_nparams(const BtydFit *fit)
{
	return fit->boundary ? NBD_NPARAMS : fit->nparams;
}

double
clv_fit_aic(const BtydFit *fit)
{
	return 2.0 * clv_fit_nparams(fit) - 2 * fit->loglik;
}

double
clv_fit_bic(const BtydFit *fit)
{
	return clv_fit_nparams(fit) * log(fit->customers) - 2 * fit->loglik;
}

const char *
clv_model_field_name(int kind, int i, char *buf)
{
	const Field *f = &fields[i];
	const ClvKindInfo *k = clv_kind_info(kind);

	if (f->fit != 1)
		return f->name;
	if (k == NULL)
		k = &kinds[CLV_KIND_BGNBD];
	if (f->index < M_SE)
		return k->params[f->index - M_PARAM];
	if (f->index < M_LOGLIK)
		snprintf(buf, CLV_FIELD_NAME_LEN, "%s_se", k->params[f->index - M_SE]);
	else
		snprintf(buf, CLV_FIELD_NAME_LEN, "%s_%s", k->name, f->name);
	return buf;
}

static BtydFit *
fit_of(const ClvModel *m, int fit)
{
	return (BtydFit *) (fit == 1 ? &m->purchase : &m->gg);
}

double
clv_model_get(const ClvModel *m, int i)
{
	const Field *f = &fields[i];
	BtydFit    *fit;

	if (f->fit == 0)
		return f->index == M_UNIT ? m->unit_days
			: f->index == M_PENALIZER ? m->penalizer
			: f->index == M_KIND ? (double) m->kind : clv_model_version(m);
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
		else if (f->index == M_KIND)
			m->kind = (ClvModelKind) v;	/* in range: checked first */
		return;					/* the version is checked, not stored */
	}
	fit = fit_of(m, f->fit);
	fit->nparams = f->fit == 2 ? GG_NPARAMS
		: clv_kind_info(m->kind) ? clv_kind_info(m->kind)->nparams : BGNBD_NPARAMS;
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
		case FK_KIND:
			return v >= 0 && v < CLV_NKINDS && v == floor(v) && clv_kind_info((int) v) != NULL;
	}
	return false;
}

/*
 * The detail for a field out of its range: "Field %s must be ...", with the
 * value as written when not (each a whole sentence, for translation).
 */
static const char *
kind_detail(FieldKind kind, bool with_value)
{
	switch (kind)
	{
		case FK_POSITIVE:
			return with_value ? core_N_("Field %s must be a finite number above 0, not \"%s\".")
				: core_N_("Field %s must be a finite number above 0.");
		case FK_DROPOUT:
			return with_value ? core_N_("Field %s must be a finite number above 0 (NaN in a boundary fit), not \"%s\".")
				: core_N_("Field %s must be a finite number above 0 (NaN in a boundary fit).");
		case FK_NONNEG:
			return with_value ? core_N_("Field %s must be a finite number of at least 0, not \"%s\".")
				: core_N_("Field %s must be a finite number of at least 0.");
		case FK_SE:
			return with_value ? core_N_("Field %s must be a finite number of at least 0, or NaN, not \"%s\".")
				: core_N_("Field %s must be a finite number of at least 0, or NaN.");
		case FK_FINITE:
			return with_value ? core_N_("Field %s must be a finite number, not \"%s\".")
				: core_N_("Field %s must be a finite number.");
		case FK_COUNT:
			return with_value ? core_N_("Field %s must be a whole number of at least 1, not \"%s\".")
				: core_N_("Field %s must be a whole number of at least 1.");
		case FK_ITER:
			return with_value ? core_N_("Field %s must be a whole number of at least 0, not \"%s\".")
				: core_N_("Field %s must be a whole number of at least 0.");
		case FK_BOOL:
			return with_value ? core_N_("Field %s must be true or false, not \"%s\".")
				: core_N_("Field %s must be true or false.");
		case FK_KIND:
			return with_value ? core_N_("Field %s must be bgnbd, pareto_nbd or mbgnbd, not \"%s\".")
				: core_N_("Field %s must be bgnbd, pareto_nbd or mbgnbd.");
	}
	return core_N_("Field %s is out of range.");
}

bool
clv_model_field_ok(int i, double v)
{
	return in_range(fields[i].kind, v);
}

/* the name of field i of m, in buf */
#define NAME(m, i, buf) clv_model_field_name((m)->kind, (i), (buf))

bool
clv_model_check(const ClvModel *m, CoreError *err)
{
	char		buf[CLV_FIELD_NAME_LEN];
	const ClvKindInfo *k;

	/* the kind first: it names the other fields */
	if (!in_range(FK_KIND, (double) m->kind))
	{
		core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
		core_detail(err, kind_detail(FK_KIND, false), fields[FIELD_KIND].name);
		return false;
	}
	k = clv_kind_info(m->kind);
	for (int i = 0; i < CLV_MODEL_NFIELDS; i++)
		if (!in_range(fields[i].kind, clv_model_get(m, i)))
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
			core_detail(err, kind_detail(fields[i].kind, false), NAME(m, i, buf));
			return false;
		}
	/* only a BG/NBD fit has a boundary (a and b NaN exactly then, and
	 * their errors) */
	if (m->kind != CLV_KIND_BGNBD && (m->purchase.boundary ||
									  isnan(m->purchase.params[2]) || isnan(m->purchase.params[3])))
	{
		core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
		core_detail(err, "A %s model has no boundary fit: fields %s and %s must be finite numbers above 0.",
					k->label, k->params[2], k->params[3]);
		return false;
	}
	if (m->purchase.boundary != isnan(m->purchase.params[2]) ||
		m->purchase.boundary != isnan(m->purchase.params[3]) ||
		(m->purchase.boundary && !(isnan(m->purchase.se[2]) && isnan(m->purchase.se[3]))))
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
	char		buf[CLV_FIELD_NAME_LEN];

	memset(m, 0, sizeof(*m));
	if (nf != clv_model_nfields(1) && nf != clv_model_nfields(2) && nf != clv_model_nfields(3))
	{
		core_fail(err, CORE_ERR_INVALID_BINARY, -1, "invalid binary clv_model");
		core_detail(err, "A clv_model is %s (format version 1), %s (version 2) or %s (version 3) float8 values, not %s.",
					CORE_INT(clv_model_nfields(1)), CORE_INT(clv_model_nfields(2)),
					CORE_INT(clv_model_nfields(3)), CORE_INT(nf));
		return false;
	}
	version = nf == clv_model_nfields(1) ? 1 : nf == clv_model_nfields(2) ? 2 : 3;
	if (f[nf - 1] != version)
	{
		core_fail(err, CORE_ERR_INVALID_BINARY, -1, "invalid binary clv_model");
		core_detail(err, "Format version %s is not known to this version of segmentation, or does not match the value's %s fields.",
					CORE_G(f[nf - 1]), CORE_INT(nf));
		return false;
	}
	/* the kind (first in version 3) names the fields after it */
	for (int pos = 0; pos < nf; pos++)
	{
		int			i = clv_model_field_at(version, pos);

		if (!in_range(fields[i].kind, f[pos]))
		{
			core_fail(err, CORE_ERR_INVALID_BINARY, -1, "invalid binary clv_model");
			core_detail(err, "Field %s is out of range: %s.", NAME(m, i, buf), CORE_G(f[pos]));
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
		core_detail(err, "A BG/NBD model is written in format version 1 (2 for a boundary fit), a model of another kind in version 3.");
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
	/* 29 fields of at most 48 + 1 + 24 + 1 bytes */
	char	   *out = core_alloc(CLV_MODEL_NFIELDS * 80 + 1);
	char	   *p = out;
	int			version = clv_model_version(m);

	for (int pos = 0; pos < clv_model_nfields(version); pos++)
	{
		int			i = clv_model_field_at(version, pos);
		const Field *f = &fields[i];
		double		v = clv_model_get(m, i);
		char		num[32];
		char		buf[CLV_FIELD_NAME_LEN];

		if (f->kind == FK_BOOL)
			strcpy(num, v != 0 ? "true" : "false");
		else if (f->kind == FK_KIND)
			strcpy(num, kinds[m->kind].name);
		else
			clv_shortest_double(v, num);
		p += sprintf(p, "%s%s=%s", pos ? " " : "", NAME(m, i, buf), num);
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

/* A NUL-terminated core_alloc'd copy of n bytes, for an error message. */
static char *
span_copy(const char *s, size_t n)
{
	char	   *v = core_alloc(n + 1);

	memcpy(v, s, n);
	v[n] = '\0';
	return v;
}

/*
 * The kind a text names: the value of its first kind= field (BG/NBD without
 * one); false with err for a kind that is not known.  The fields' names
 * depend on it, so it is read before them.
 */
static bool
parse_kind(const char *s, ClvModelKind *kind, CoreError *err)
{
	const char *at = s;

	*kind = CLV_KIND_BGNBD;
	while ((at = strstr(at, "kind=")) != NULL)
	{
		size_t		n;
		int			k;

		if (at != s && !strchr(" \t\n\r", at[-1]))
		{
			at++;
			continue;
		}
		at += 5;
		n = strcspn(at, " \t\n\r");
		k = clv_kind_by_name(at, n);
		if (k < 0)
		{
			char	   *value = span_copy(at, n);

			core_fail(err, CORE_ERR_INVALID_TEXT, (int) (at - s), "invalid clv_model");
			core_detail(err, kind_detail(FK_KIND, true), fields[FIELD_KIND].name, value);
			core_free(value);
			return false;
		}
		*kind = (ClvModelKind) k;
		return true;
	}
	return true;
}

bool
clv_model_parse(const char *s, ClvModel *m, CoreError *err)
{
	bool		seen[CLV_MODEL_NFIELDS] = {false};
	size_t		pos = 0,
				len = strlen(s);
	int			version = 0;
	ClvModelKind kind;
	char		buf[CLV_FIELD_NAME_LEN];

	memset(m, 0, sizeof(*m));
	if (!parse_kind(s, &kind, err))
		return false;
	m->kind = kind;
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
			core_detail(err, "Expected name=value at character %s.", CORE_CHARPOS(s, len, start));
			return false;
		}
		for (i = 0; i < CLV_MODEL_NFIELDS; i++)
		{
			const char *name = NAME(m, i, buf);

			if (strlen(name) == eq - start && memcmp(name, s + start, eq - start) == 0)
				break;
		}
		if (i == CLV_MODEL_NFIELDS)
		{
			char	   *name = span_copy(s + start, eq - start);

			core_fail(err, CORE_ERR_INVALID_TEXT, (int) start, "invalid clv_model");
			if (kind == CLV_KIND_BGNBD)
				core_detail(err, "Unknown field \"%s\" at character %s.", name,
							CORE_CHARPOS(s, len, start));
			else
				core_detail(err, "Unknown field \"%s\" at character %s of a %s model.", name,
							CORE_CHARPOS(s, len, start), kinds[kind].label);
			core_free(name);
			return false;
		}
		if (seen[i])
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, (int) start, "invalid clv_model");
			core_detail(err, "Field %s appears twice.", NAME(m, i, buf));
			return false;
		}
		seen[i] = true;
		if (i == FIELD_KIND)
			continue;			/* read by parse_kind */
		if (!parse_value(s + eq + 1, end - eq - 1, fields[i].kind, &v))
		{
			char	   *value = span_copy(s + eq + 1, end - eq - 1);

			core_fail(err, CORE_ERR_INVALID_TEXT, (int) eq + 1, "invalid clv_model");
			core_detail(err, kind_detail(fields[i].kind, true), NAME(m, i, buf), value);
			core_free(value);
			return false;
		}
		if (!in_range(fields[i].kind, v))
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, (int) eq + 1, "invalid clv_model");
			core_detail(err, kind_detail(fields[i].kind, false), NAME(m, i, buf));
			return false;
		}
		if (i == FIELD_VERSION && !(v >= 1 && v <= CLV_MODEL_VERSION))
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, (int) eq + 1, "invalid clv_model");
			core_detail(err, "Format version %s is not known to this version of segmentation (it reads 1 to %s).",
						CORE_G(v), CORE_INT(CLV_MODEL_VERSION));
			return false;
		}
		if (i == FIELD_VERSION)
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
	for (int pos = 0; pos < clv_model_nfields(version); pos++)
	{
		int			i = clv_model_field_at(version, pos);

		if (!seen[i])
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
			core_detail(err, "Field %s is missing.", NAME(m, i, buf));
			return false;
		}
		seen[i] = false;
	}
	for (int i = 0; i < CLV_MODEL_NFIELDS; i++)
		if (seen[i])
		{
			core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
			core_detail(err, "Field %s is not part of format version %s.", NAME(m, i, buf),
						CORE_INT(version));
			return false;
		}
	if (!clv_model_check(m, err))
		return false;
	if (clv_model_version(m) != version)
	{
		core_fail(err, CORE_ERR_INVALID_TEXT, -1, "invalid clv_model");
		core_detail(err, "A BG/NBD model is written in format version 1 (2 for a boundary fit), a model of another kind in version 3.");
		return false;
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Predictions: dispatch on the kind
 * ---------------------------------------------------------------------
 */

static bool
not_defined(const ClvModel *m, const char *fn, CoreError *err)
{
	core_fail(err, CORE_ERR_INVALID_PARAMETER, -1, "%s is not defined for %s models",
			  fn, kinds[m->kind].label);
	core_hint(err, "Fit a model of a kind that has it, for example with clv_fit.");
	return false;
}

bool
clv_model_p_alive(const ClvModel *m, const char *fn, double x, double tx, double T,
				  double *out, CoreError *err)
{
	const ClvKindInfo *k = &kinds[m->kind];

	if (k->p_alive == NULL)
		return not_defined(m, fn, err);
	*out = k->p_alive(m->purchase.params, x, tx, T);
	return true;
}

bool
clv_model_expected_purchases(const ClvModel *m, const char *fn, double x, double tx, double T,
							 double t, double *out, CoreError *err)
{
	const ClvKindInfo *k = &kinds[m->kind];

	if (k->p_alive == NULL || k->purchases_alive == NULL)
		return not_defined(m, fn, err);
	*out = k->p_alive(m->purchase.params, x, tx, T) *
		k->purchases_alive(m->purchase.params, x, T, t);
	return true;
}

bool
clv_model_expected_spend(const ClvModel *m, const char *fn, double x, double mbar,
						 double *out, CoreError *err)
{
	if (!kinds[m->kind].has_spend)
		return not_defined(m, fn, err);
	*out = gg_expected_spend(m->gg.params, x, mbar);
	return true;
}

bool
clv_model_discounted_purchases(const ClvModel *m, double x, double T, int months,
							   double discount, double *g, CoreError *err)
{
	const ClvKindInfo *k = &kinds[m->kind];
	double		f = 30.0 / m->unit_days;
	double		prev = 0,
				sum = 0,
				disc = 1;

	if (months < 0 || months > CLV_MAX_MONTHS)
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "months must be between 0 and %s, not %s", CORE_INT(CLV_MAX_MONTHS), CORE_INT(months));
	if (!(discount >= 0) || !isfinite(discount))
		return core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
						 "discount_rate must be a finite number of at least 0");
	if (k->purchases_alive == NULL || !k->has_spend)
		return not_defined(m, "clv_estimate", err);
	for (int i = 1; i <= months; i++)
	{
		double		e;

		core_check_interrupts();	/* months is the caller's, up to CLV_MAX_MONTHS */
		e = k->purchases_alive(m->purchase.params, x, T, i * f);

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
	double		g,
				alive,
				spend;

	if (!clv_model_discounted_purchases(m, x, T, months, discount, &g, err) ||
		!clv_model_p_alive(m, "clv_estimate", x, tx, T, &alive, err) ||
		!clv_model_expected_spend(m, "clv_estimate", x, monetary, &spend, err))
		return false;
	*clv = spend * alive * g;
	return true;
}
