/*
 * test_kmeans.c
 *	  Unit tests of the k-means core (src/cluster): the generator, the
 *	  bounded sample's independence of order and merging, k-means on cases
 *	  with known answers, the quality measures against hand computations, and
 *	  the model's text form and validation.
 */
#include <stdlib.h>
#include <string.h>

#include "cluster/clusters.h"
#include "cluster/kmeans.h"
#include "unit.h"

/* the multiset of (key, row) of a sample, sorted, as one comparable array */
static void
sample_sorted(KmSample *s)
{
	km_sample_sort(s);
}

static void
test_generator(void)
{
	uint64_t	st = 0,
				st2 = 0;
	double		lo = 1,
				hi = 0,
				sum = 0;

	/* splitmix64 from 0: the published first output */
	CHECK(km_next(&st) == UINT64_C(0xe220a8397b1dcdaf), "splitmix64's first output from seed 0 is e220a8397b1dcdaf");
	for (int i = 0; i < 100000; i++)
	{
		double		u = km_uniform(&st2);

		if (u < lo)
			lo = u;
		if (u > hi)
			hi = u;
		sum += u;
	}
	CHECK(lo >= 0 && hi < 1 && fabs(sum / 100000 - 0.5) < 0.01, "uniform draws lie in [0, 1) with mean 0.5 (%g)", sum / 100000);
	{
		double		a[2] = {0.0, 1.5},
					b[2] = {-0.0, 1.5},
					c[2] = {1.5, 0.0};

		CHECK(km_row_key(a, 2, 1) == km_row_key(b, 2, 1), "-0 and 0 give the same key");
		CHECK(km_row_key(a, 2, 1) != km_row_key(c, 2, 1), "the order of the values matters");
		CHECK(km_row_key(a, 2, 1) != km_row_key(a, 2, 2), "the seed changes the key");
	}
}

static void
test_sample(void)
{
	enum
	{
		N = 5000, CAP = 300, D = 2
	};
	double	   *rows = malloc(sizeof(double) * N * D);
	KmSample	serial,
				reversed,
				parts[3],
				merged;
	bool		same = true;

	for (int i = 0; i < N; i++)
	{
		rows[i * D] = unit_rand(50);	/* many duplicates */
		rows[i * D + 1] = unit_rand(7);
	}
	km_sample_init(&serial, D, CAP);
	km_sample_init(&reversed, D, CAP);
	for (int i = 0; i < N; i++)
	{
		km_sample_add(&serial, km_row_key(rows + i * D, D, 9), rows + i * D);
		km_sample_add(&reversed, km_row_key(rows + (N - 1 - i) * D, D, 9), rows + (N - 1 - i) * D);
	}
	for (int p = 0; p < 3; p++)
		km_sample_init(&parts[p], D, CAP);
	for (int i = 0; i < N; i++)
		km_sample_add(&parts[unit_rand(3)], km_row_key(rows + i * D, D, 9), rows + i * D);
	km_sample_init(&merged, D, CAP);
	km_sample_merge(&merged, &parts[2]);
	km_sample_merge(&merged, &parts[0]);
	km_sample_merge(&merged, &parts[1]);
	sample_sorted(&serial);
	sample_sorted(&reversed);
	sample_sorted(&merged);
	CHECK(serial.n == CAP && reversed.n == CAP && merged.n == CAP, "the sample holds its cap of rows");
	for (int i = 0; i < CAP; i++)
		if (serial.keys[i] != reversed.keys[i] || serial.keys[i] != merged.keys[i] ||
			memcmp(serial.rows + i * D, merged.rows + i * D, sizeof(double) * D) != 0 ||
			memcmp(serial.rows + i * D, reversed.rows + i * D, sizeof(double) * D) != 0)
			same = false;
	CHECK(same, "the sample is the same in reverse order and when merged from three parts");
	{
		/* the kept keys are the CAP smallest of all N */
		uint64_t   *all = malloc(sizeof(uint64_t) * N);
		int			below = 0;

		for (int i = 0; i < N; i++)
			all[i] = km_row_key(rows + i * D, D, 9);
		for (int i = 0; i < N; i++)
			if (all[i] < serial.keys[CAP - 1])
				below++;
		CHECK(below < CAP && serial.keys[0] <= serial.keys[CAP - 1], "no row outside the sample has a key below its largest (%d below)", below);
		free(all);
	}
	km_sample_free(&serial);
	km_sample_free(&reversed);
	km_sample_free(&merged);
	for (int p = 0; p < 3; p++)
		km_sample_free(&parts[p]);
	free(rows);
}

static void
test_fit(void)
{
	/* two tight groups on a line: centroids 1 and 11, wcss 4 x 1 = 4 */
	double		x[8] = {0, 2, 0, 2, 10, 12, 10, 12};
	KmResult	r;
	CoreError	err = {0};

	CHECK(km_fit(x, 8, 1, 2, 0, 3, &r, &err), "two groups fit");
	CHECK_CLOSE(r.centroids[0], 1, 1e-12, "centroid 1 is 1");
	CHECK_CLOSE(r.centroids[1], 11, 1e-12, "centroid 2 is 11");
	CHECK_CLOSE(r.wcss, 8, 1e-12, "the within-cluster sum of squares is 8");
	CHECK(r.labels[0] == 0 && r.labels[4] == 1, "labels follow the centroids");
	/* Davies-Bouldin: s = 1 each, |c1 - c2| = 10: (1 + 1) / 10 = 0.2 */
	CHECK_CLOSE(km_davies_bouldin(x, r.labels, 8, 1, 2, r.centroids), 0.2, 1e-12, "Davies-Bouldin of two groups is 0.2");
	/*
	 * silhouette of point 0 (value 0): a = mean |0 - {2, 0, 2}| = 4/3, b = mean
	 * |0 - {10, 12, 10, 12}| = 11; s = (11 - 4/3) / 11.  By symmetry every
	 * point of the outer values 0 and 12 has it, and those of 2 and 10
	 * have a = 4/3, b = 9: s = (9 - 4/3) / 9.
	 */
	CHECK_CLOSE(km_silhouette(x, r.labels, 8, 1, 2), ((11 - 4.0 / 3) / 11 + (9 - 4.0 / 3) / 9) / 2, 1e-12,
				"silhouette by hand");
	km_result_free(&r);

	CHECK(!km_fit(x, 8, 1, 5, 0, 3, &r, &err) && err.code == CORE_ERR_INVALID_PARAMETER,
		  "k = 5 over 4 distinct values is an error (%s)", CORE_TEXT(err.message));
	core_error_free(&err);
	CHECK(km_fit(x, 8, 1, 4, 0, 3, &r, &err) && r.wcss == 0, "k = 4 over 4 distinct values: sum of squares 0");
	km_result_free(&r);
	CHECK(km_fit(x, 8, 1, 1, 0, 1, &r, &err) && fabs(r.centroids[0] - 6) < 1e-12, "k = 1: the mean");
	km_result_free(&r);
	{
		/* the same bits from the same seed, other bits from another */
		double		y[400];
		KmResult	a,
					b;

		for (int i = 0; i < 400; i++)
			y[i] = unit_rand(1000) / 10.0;
		km_fit(y, 200, 2, 6, 5, 4, &a, &err);
		km_fit(y, 200, 2, 6, 5, 4, &b, &err);
		CHECK(memcmp(a.centroids, b.centroids, sizeof(double) * 12) == 0 && a.wcss == b.wcss, "a fit is reproducible");
		for (int c = 1; c < 6; c++)
			if (a.sizes[c] > a.sizes[c - 1])
				CHECK(0, "clusters are numbered by size");
		km_result_free(&a);
		km_result_free(&b);
	}
}

static void
test_model(void)
{
	const char *text = "format_version=1 features=2 k=2 scaling=zscore seed=-3 restarts=10 iterations=3 rows=5 "
		"skipped=1 sample=4 wcss=0.5 mean=1.5,-2 scale=0.1,3 centroids=-1,0.25,1,-0.25 sizes=2,2 cluster_wcss=0.25,0.25";
	size_t		size;
	CoreError	err = {0};
	ClustersModel *m = clusters_parse(text, &size, &err);
	char	   *back;
	double		z[2],
				orig[2];
	double		x[2] = {1.4, -2};

	CHECK(m != NULL, "a valid text form parses");
	if (!m)
		return;
	back = clusters_format(m);
	CHECK(strcmp(back, text) == 0, "and prints back the same: %s", back);
	CHECK(clusters_scale_row(m, x, z, &err) && fabs(z[0] + 1) < 1e-12 && z[1] == 0, "scaling: (1.4 - 1.5) / 0.1 = -1");
	clusters_centroid_original(m, 0, orig);
	CHECK(fabs(orig[0] - 1.4) < 1e-12 && fabs(orig[1] + 1.25) < 1e-12, "centroid 1 in original units is (1.4, -1.25)");
	x[0] = NAN;
	CHECK(!clusters_scale_row(m, x, z, &err), "NaN is refused: %s", CORE_TEXT(err.message));
	core_error_free(&err);
	m->scaling = SCALING_LOG1P;
	x[0] = -1;
	CHECK(!clusters_scale_row(m, x, z, &err), "log1p refuses -1: %s", CORE_TEXT(err.message));
	core_error_free(&err);
	free(back);
	free(m);

	/* subnormal numbers read back as printed */
	{
		const char *tiny = "format_version=1 features=1 k=1 scaling=none seed=0 restarts=1 iterations=1 rows=1 "
			"skipped=0 sample=1 wcss=0 mean=5e-324 scale=1e-310 centroids=-4.9e-320 sizes=1 cluster_wcss=0";
		ClustersModel *t = clusters_parse(tiny, &size, &err);
		char	   *p = t ? clusters_format(t) : NULL;

		CHECK(t && strcmp(p, tiny) == 0, "subnormal values read back as printed: %s", t ? p : CORE_TEXT(err.detail));
		free(p);
		free(t);
	}
		/* every truncation of the text is an error, never a crash */
	{
		char		buf[512];
		int			errors = 0;

		for (size_t n = 0; n < strlen(text); n++)
		{
			memcpy(buf, text, n);
			buf[n] = '\0';
			m = clusters_parse(buf, &size, &err);
			if (m == NULL)
			{
				errors++;
				core_error_free(&err);
			}
			free(m);
		}
		CHECK(errors == (int) strlen(text), "every proper prefix of the text form is refused (%d)", errors);
	}
}

int
main(void)
{
	test_generator();
	test_sample();
	test_fit();
	test_model();
	return unit_done();
}
