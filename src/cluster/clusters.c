/*-------------------------------------------------------------------------
 *
 * clusters.c
 *	  The segment_clusters model: validation, text form, scaling (pure
 *	  core, see clusters.h).
 *
 * One validation (clusters_check) guards every way a model comes in: text,
 * binary, and the fit itself.  Whatever passes it can be used without
 * further checks: d and k are bounded, sizes add up, every number is finite.
 *
 *-------------------------------------------------------------------------
 */
#include "clusters.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const scaling_names[] = {"none", "zscore", "log1p"};

const char *
clusters_scaling_name(int scaling)
{
	return scaling >= 0 && scaling <= 2 ? scaling_names[scaling] : "?";
}

int
clusters_scaling_parse(const char *name)
{
	for (int i = 0; i <= 2; i++)
		if (strcmp(name, scaling_names[i]) == 0)
			return i;
	return -1;
}

static bool
bad(CoreError *err, CoreErrorCode code, const char *fmt, const char *field, double v)
{
	core_fail(err, code, -1, "invalid segment_clusters value");
	core_detail(err, fmt, field, CORE_G(v));
	return false;
}

bool
clusters_check(const ClustersModel *m, size_t size, CoreErrorCode code, CoreError *err)
{
	const double *arr;
	double		sum = 0;

	if (size < sizeof(ClustersModel))
		return bad(err, code, core_N_("The value is too short for its %s (%s bytes)."), "head", (double) size);
	if (m->version != CLUSTERS_VERSION)
		return bad(err, code, core_N_("Field %s is %s; this version of segmentation reads format 1."),
				   "format_version", m->version);
	if (m->d < 1 || m->d > KM_MAX_FEATURES)
		return bad(err, code, core_N_("Field %s is out of range (1 to 100): %s."), "features", m->d);
	if (m->k < 1 || m->k > KM_MAX_K)
		return bad(err, code, core_N_("Field %s is out of range (1 to 100): %s."), "k", m->k);
	if (size != CLUSTERS_SIZE(m->d, m->k))
		return bad(err, code, core_N_("The %s do not match the value's length of %s bytes."),
				   "features and k", (double) size);
	if (m->scaling < 0 || m->scaling > 2)
		return bad(err, code, core_N_("Field %s is not a known scaling: %s."), "scaling", m->scaling);
	if (m->restarts < 1 || m->restarts > 1000)
		return bad(err, code, core_N_("Field %s is out of range (1 to 1000): %s."), "restarts", m->restarts);
	if (m->iterations < 1 || m->iterations > KM_MAX_ITERATIONS)
		return bad(err, code, core_N_("Field %s is out of range (1 to 300): %s."), "iterations", m->iterations);
	if (m->rows < 1)
		return bad(err, code, core_N_("Field %s must be at least 1: %s."), "rows", (double) m->rows);
	if (m->skipped < 0)
		return bad(err, code, core_N_("Field %s must not be negative: %s."), "skipped", (double) m->skipped);
	if (m->sample < m->k || m->sample > m->rows)
		return bad(err, code, core_N_("Field %s must lie between k and rows: %s."), "sample", (double) m->sample);
	if (!isfinite(m->wcss) || m->wcss < 0)
		return bad(err, code, core_N_("Field %s must be finite and not negative: %s."), "wcss", m->wcss);
	arr = clusters_mean(m);
	for (int j = 0; j < m->d; j++)
		if (!isfinite(arr[j]))
			return bad(err, code, core_N_("Field %s has a value that is not finite: %s."), "mean", arr[j]);
	arr = clusters_scale(m);
	for (int j = 0; j < m->d; j++)
		if (!isfinite(arr[j]) || !(arr[j] > 0))
			return bad(err, code, core_N_("Field %s must be finite and positive: %s."), "scale", arr[j]);
	arr = clusters_centroids(m);
	for (size_t i = 0; i < (size_t) m->k * m->d; i++)
		if (!isfinite(arr[i]))
			return bad(err, code, core_N_("Field %s has a value that is not finite: %s."), "centroids", arr[i]);
	arr = clusters_sizes(m);
	for (int c = 0; c < m->k; c++)
	{
		if (!(arr[c] >= 1) || arr[c] != floor(arr[c]) || arr[c] > (double) m->sample)
			return bad(err, code, core_N_("Field %s must hold whole numbers from 1 to sample: %s."), "sizes", arr[c]);
		sum += arr[c];
	}
	if (sum != (double) m->sample)
		return bad(err, code, core_N_("Field %s must add up to sample; they add up to %s."), "sizes", sum);
	arr = clusters_cluster_wcss(m);
	sum = 0;
	for (int c = 0; c < m->k; c++)
	{
		if (!isfinite(arr[c]) || arr[c] < 0)
			return bad(err, code, core_N_("Field %s must be finite and not negative: %s."), "cluster_wcss", arr[c]);
		sum += arr[c];
	}
	/* the fit adds them up in this order; a text form rounds nothing */
	if (!(fabs(sum - m->wcss) <= 1e-9 * (m->wcss > 1 ? m->wcss : 1)))
		return bad(err, code, core_N_("Field %s must add up to wcss; it adds up to %s."), "cluster_wcss", sum);
	return true;
}

/* ---------------------------------------------------------------------------
 * Text form
 * ---------------------------------------------------------------------------
 */

/* the shortest "%.*g" that reads back to v (finite v) */
static int
shortest(char *buf, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		return sprintf(buf, "%.0f", v == 0 ? 0.0 : v);
	for (int prec = 1; prec <= 17; prec++)
	{
		snprintf(buf, 32, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return (int) strlen(buf);
}

static char *
put_array(char *p, const char *name, const double *v, size_t n)
{
	p += sprintf(p, " %s=", name);
	for (size_t i = 0; i < n; i++)
	{
		if (i)
			*p++ = ',';
		p += shortest(p, v[i]);
	}
	return p;
}

char *
clusters_format(const ClustersModel *m)
{
	size_t		n = CLUSTERS_NDOUBLES(m->d, m->k);
	char	   *out = core_alloc(400 + 26 * n);
	char	   *p = out;
	char		w[32];

	shortest(w, m->wcss);
	p += sprintf(p, "format_version=%d features=%d k=%d scaling=%s seed=%lld restarts=%d "
				 "iterations=%d rows=%lld skipped=%lld sample=%lld wcss=%s",
				 (int) m->version, (int) m->d, (int) m->k, clusters_scaling_name(m->scaling),
				 (long long) m->seed, (int) m->restarts, (int) m->iterations,
				 (long long) m->rows, (long long) m->skipped, (long long) m->sample, w);
	p = put_array(p, "mean", clusters_mean(m), m->d);
	p = put_array(p, "scale", clusters_scale(m), m->d);
	p = put_array(p, "centroids", clusters_centroids(m), (size_t) m->k * m->d);
	p = put_array(p, "sizes", clusters_sizes(m), m->k);
	put_array(p, "cluster_wcss", clusters_cluster_wcss(m), m->k);
	return out;
}

typedef struct Cursor
{
	const char *s;
	const char *p;
	CoreError  *err;
} Cursor;

static bool
syntax(Cursor *c, const char *detail, const char *name)
{
	core_fail(c->err, CORE_ERR_INVALID_TEXT, (int) (c->p - c->s),
			  "invalid input syntax for type segment_clusters");
	core_detail(c->err, detail, name, CORE_CHARPOS(c->s, strlen(c->s), (size_t) (c->p - c->s)));
	return false;
}

/* "name=" at the cursor (after spaces) */
static bool
expect_name(Cursor *c, const char *name)
{
	size_t		len = strlen(name);

	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
		c->p++;
	if (strncmp(c->p, name, len) != 0 || c->p[len] != '=')
		return syntax(c, core_N_("Expected \"%s=\" at character %s (fields come in the order segment_clusters prints them)."), name);
	c->p += len + 1;
	return true;
}

/* one number ending at a space, comma or the end */
static bool
number(Cursor *c, const char *name, double *v)
{
	char		buf[64];
	size_t		len = strcspn(c->p, " \t\n\r,");
	char	   *end;

	if (len == 0 || len >= sizeof(buf))
		return syntax(c, core_N_("Field %s needs a number at character %s."), name);
	memcpy(buf, c->p, len);
	buf[len] = '\0';
	*v = strtod(buf, &end);
	/* an underflow to a subnormal reads back as printed; overflow is
	 * refused by clusters_check as not finite */
	if (*end != '\0')
		return syntax(c, core_N_("Field %s has an invalid number at character %s."), name);
	c->p += len;
	return true;
}

/* a whole number in [lo, hi], read as an integer (not through a double) */
static bool
integer(Cursor *c, const char *name, int64_t lo, int64_t hi, int64_t *v)
{
	char	   *end;
	long long	x;

	if (!expect_name(c, name))
		return false;
	errno = 0;
	x = strtoll(c->p, &end, 10);
	if (end == c->p || errno == ERANGE ||
		(*end != '\0' && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r'))
		return syntax(c, core_N_("Field %s needs a whole number at character %s."), name);
	if (x < lo || x > hi)
		return syntax(c, core_N_("Field %s is out of range at character %s."), name);
	c->p = end;
	*v = (int64_t) x;
	return true;
}

static bool
array(Cursor *c, const char *name, double *v, size_t n)
{
	if (!expect_name(c, name))
		return false;
	for (size_t i = 0; i < n; i++)
	{
		if (i > 0)
		{
			if (*c->p != ',')
				return syntax(c, core_N_("Field %s needs more values, expected \",\" at character %s."), name);
			c->p++;
		}
		if (!number(c, name, &v[i]))
			return false;
	}
	if (*c->p == ',')
		return syntax(c, core_N_("Field %s has too many values at character %s."), name);
	return true;
}

ClustersModel *
clusters_parse(const char *s, size_t *size, CoreError *err)
{
	Cursor		c = {s, s, err};
	ClustersModel head;
	ClustersModel *m;
	int64_t		v;
	char		scaling[16];
	size_t		len;
	double		w;

	memset(&head, 0, sizeof(head));
	if (!integer(&c, "format_version", 0, INT32_MAX, &v))
		return NULL;
	if (v != CLUSTERS_VERSION)
	{
		c.p = s;
		syntax(&c, core_N_("Format version %s is not known to this version of segmentation (at character %s)."), "format_version");
		core_detail(err, "Format version %s is not known to this version of segmentation.", CORE_INT(v));
		return NULL;
	}
	head.version = (int32_t) v;
	if (!integer(&c, "features", 1, KM_MAX_FEATURES, &v))
		return NULL;
	head.d = (int32_t) v;
	if (!integer(&c, "k", 1, KM_MAX_K, &v))
		return NULL;
	head.k = (int32_t) v;
	if (!expect_name(&c, "scaling"))
		return NULL;
	len = strcspn(c.p, " \t\n\r");
	if (len >= sizeof(scaling))
		len = sizeof(scaling) - 1;
	memcpy(scaling, c.p, len);
	scaling[len] = '\0';
	if ((head.scaling = clusters_scaling_parse(scaling)) < 0)
	{
		syntax(&c, core_N_("Field %s must be none, zscore or log1p, at character %s."), "scaling");
		return NULL;
	}
	c.p += len;
	if (!integer(&c, "seed", INT64_MIN, INT64_MAX, &head.seed))
		return NULL;
	if (!integer(&c, "restarts", 1, 1000, &v))
		return NULL;
	head.restarts = (int32_t) v;
	if (!integer(&c, "iterations", 1, KM_MAX_ITERATIONS, &v))
		return NULL;
	head.iterations = (int32_t) v;
	if (!integer(&c, "rows", 1, INT64_MAX, &head.rows) ||
		!integer(&c, "skipped", 0, INT64_MAX, &head.skipped) ||
		!integer(&c, "sample", 1, INT64_MAX, &head.sample))
		return NULL;
	if (!expect_name(&c, "wcss") || !number(&c, "wcss", &w))
		return NULL;
	head.wcss = w;

	*size = CLUSTERS_SIZE(head.d, head.k);
	m = core_alloc0(*size);
	*m = head;
	if (!array(&c, "mean", clusters_mean(m), m->d) ||
		!array(&c, "scale", clusters_scale(m), m->d) ||
		!array(&c, "centroids", clusters_centroids(m), (size_t) m->k * m->d) ||
		!array(&c, "sizes", clusters_sizes(m), m->k) ||
		!array(&c, "cluster_wcss", clusters_cluster_wcss(m), m->k))
	{
		core_free(m);
		return NULL;
	}
	while (*c.p == ' ' || *c.p == '\t' || *c.p == '\n' || *c.p == '\r')
		c.p++;
	if (*c.p != '\0')
	{
		core_free(m);
		syntax(&c, core_N_("Unexpected text after the last field (%s) at character %s."), "cluster_wcss");
		return NULL;
	}
	if (!clusters_check(m, *size, CORE_ERR_INVALID_TEXT, err))
	{
		core_free(m);
		return NULL;
	}
	return m;
}

/* ---------------------------------------------------------------------------
 * Scaling and assignment
 * ---------------------------------------------------------------------------
 */

bool
clusters_transform(int scaling, double v, int j, double *out, CoreError *err)
{
	if (!isfinite(v))
	{
		const char *found = isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";

		core_fail(err, CORE_ERR_INVALID_PARAMETER, -1, "feature %s is not a finite number", CORE_INT(j + 1));
		core_detail(err, "k-means needs finite features; found %s.", found);
		return false;
	}
	if (scaling == SCALING_LOG1P)
	{
		if (!(v > -1))
		{
			core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
					  "feature %s must be greater than -1 for log1p scaling", CORE_INT(j + 1));
			core_detail(err, "Found %s.", CORE_G(v));
			return false;
		}
		v = log1p(v);
	}
	*out = v;
	return true;
}

void
clusters_standardize(int scaling, double *x, int n, int d, double *mean, double *scale)
{
	for (int j = 0; j < d; j++)
	{
		double		s = 0,
					ss = 0;

		if (scaling == SCALING_NONE)
		{
			mean[j] = 0;
			scale[j] = 1;
			continue;
		}
		for (int i = 0; i < n; i++)
			s += x[(size_t) i * d + j];
		mean[j] = s / n;
		for (int i = 0; i < n; i++)
		{
			double		t = x[(size_t) i * d + j] - mean[j];

			ss += t * t;
		}
		scale[j] = sqrt(ss / n);
		/* a (numerically) constant feature is centred, not scaled */
		if (!(scale[j] > 1e-12 * (fabs(mean[j]) > 1 ? fabs(mean[j]) : 1)) || !isfinite(scale[j]))
			scale[j] = 1;
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < d; j++)
			x[(size_t) i * d + j] = (x[(size_t) i * d + j] - mean[j]) / scale[j];
}

bool
clusters_scale_row(const ClustersModel *m, const double *x, double *z, CoreError *err)
{
	const double *mean = clusters_mean(m);
	const double *scale = clusters_scale(m);

	for (int j = 0; j < m->d; j++)
	{
		double		t;

		if (!clusters_transform(m->scaling, x[j], j, &t, err))
			return false;
		z[j] = (t - mean[j]) / scale[j];
		if (!isfinite(z[j]) || fabs(z[j]) > 1e150)
		{
			core_fail(err, CORE_ERR_INVALID_PARAMETER, -1,
					  "feature %s is out of range for the model", CORE_INT(j + 1));
			core_detail(err, "Found %s; scaled, it is %s standard deviations from the mean.", CORE_G(x[j]), CORE_G(z[j]));
			return false;
		}
	}
	return true;
}

void
clusters_centroid_original(const ClustersModel *m, int c, double *out)
{
	const double *z = clusters_centroids(m) + (size_t) c * m->d;

	for (int j = 0; j < m->d; j++)
	{
		double		t = z[j] * clusters_scale(m)[j] + clusters_mean(m)[j];

		out[j] = m->scaling == SCALING_LOG1P ? expm1(t) : t;
	}
}
