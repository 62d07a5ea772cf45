/*
 * test_persona.c
 *	  Unit tests of the persona core (src/persona): a profile's sums against
 *	  two-pass means and deviations, merging in any split equal to one pass,
 *	  the flat form's round trip and its validation of damaged bytes, and the
 *	  comparison and the readable line on cases computed by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "persona/profile.h"
#include "unit.h"

static ProfileAttr *
attr(Profile *p, const char *name)
{
	CoreError	err;
	ProfileAttr *a = seg_profile_attr(p, name, (int) strlen(name), &err);

	if (a == NULL)
	{
		printf("# %s\n", CORE_TEXT(err.message));
		core_error_free(&err);
		abort();
	}
	return a;
}

/* row i of a small population: spend, a flag, a country */
static void
add_row(Profile *p, int i)
{
	CoreError	err;
	static const char *const countries[] = {"DE", "FR", "DE", "AT", "DE"};

	p->rows++;
	if (!seg_profile_add_number(attr(p, "spend"), 10.0 * (i % 7) + 0.25 * i, &err) ||
		!seg_profile_add_boolean(attr(p, "opted in"), i % 3 == 0, &err) ||
		(i % 11 != 0 && !seg_profile_add_category(attr(p, "country"), countries[i % 5], 2, &err)))
	{
		printf("# %s\n", CORE_TEXT(err.message));
		abort();
	}
}

static void
test_sums(void)
{
	Profile		p;
	double		sum = 0,
				ss = 0;
	int			n = 200,
				present = 0;
	ProfileAttr *a;

	seg_profile_init(&p);
	for (int i = 0; i < n; i++)
		add_row(&p, i);
	for (int i = 0; i < n; i++)
		sum += 10.0 * (i % 7) + 0.25 * i;
	for (int i = 0; i < n; i++)
	{
		double		d = 10.0 * (i % 7) + 0.25 * i - sum / n;

		ss += d * d;
	}
	a = attr(&p, "spend");
	CHECK(p.rows == n && p.nattrs == 3, "200 rows, 3 attributes");
	CHECK_CLOSE(a->sx / a->n, sum / n, 1e-14, "the mean is the two-pass mean");
	CHECK_CLOSE(a->sxx, ss, 1e-12, "the sum of squared deviations is the two-pass one");
	a = attr(&p, "opted in");
	CHECK(a->kind == PROFILE_BOOLEAN && a->n == n && a->trues == 67, "67 of 200 rows opted in (i %% 3 == 0)");
	for (int i = 0; i < n; i++)
		present += i % 11 != 0;
	a = attr(&p, "country");
	CHECK(a->kind == PROFILE_CATEGORY && a->n == present && a->nlevels == 3, "country: %d rows with it, 3 values", present);
	CHECK(a->levels[0].len == 2 && memcmp(a->levels[0].text, "AT", 2) == 0, "values in order: AT first");
	CHECK(strcmp(p.attrs[0].name, "spend") == 0 && strcmp(p.attrs[1].name, "country") == 0,
		  "attributes in jsonb key order (length, then bytes)");
	seg_profile_free(&p);
}

static void
test_errors(void)
{
	Profile		p;
	CoreError	err;
	char		name[16];

	seg_profile_init(&p);
	seg_profile_add_number(attr(&p, "x"), 1, &err);
	CHECK(!seg_profile_add_category(attr(&p, "x"), "a", 1, &err) && err.code == CORE_ERR_INVALID_PARAMETER &&
		  strstr(CORE_TEXT(err.message), "is a number in one row and a category in another") != NULL,
		  "a number then a string is 22023: %s", CORE_TEXT(err.message));
	core_error_free(&err);
	CHECK(!seg_profile_add_number(attr(&p, "x"), NAN, &err) && err.code == CORE_ERR_INVALID_PARAMETER,
		  "NaN is 22023: %s", CORE_TEXT(err.message));
	core_error_free(&err);
	seg_profile_add_number(attr(&p, "y"), 1.5e308, &err);
	CHECK(!seg_profile_add_number(attr(&p, "y"), 1.5e308, &err) && err.code == CORE_ERR_OUT_OF_RANGE,
		  "a sum beyond float8 is 22003: %s", CORE_TEXT(err.message));
	core_error_free(&err);
	for (int i = 0; i < PROFILE_MAX_ATTRIBUTES - 2; i++)
	{
		snprintf(name, sizeof(name), "a%d", i);
		attr(&p, name);
	}
	CHECK(seg_profile_attr(&p, "one more", 8, &err) == NULL && err.code == CORE_ERR_PROGRAM_LIMIT,
		  "the 101st attribute is 54000: %s", CORE_TEXT(err.message));
	core_error_free(&err);
	{
		ProfileAttr *c = attr(&p, "a0");
		bool		ok = true;

		for (int i = 0; i < PROFILE_MAX_LEVELS && ok; i++)
		{
			snprintf(name, sizeof(name), "v%d", i);
			ok = seg_profile_add_category(c, name, (int) strlen(name), &err);
		}
		CHECK(ok && !seg_profile_add_category(c, "v-1", 3, &err) && err.code == CORE_ERR_PROGRAM_LIMIT,
			  "the 1001st value of a category is 54000: %s", CORE_TEXT(err.message));
		core_error_free(&err);
	}
	seg_profile_free(&p);
}

static void
test_merge_and_bytes(void)
{
	Profile		one,
				parts[3],
				merged,
				back;
	CoreError	err;
	size_t		s1,
				s2;
	char	   *b1,
			   *b2;
	bool		all_bad = true;

	seg_profile_init(&one);
	seg_profile_init(&merged);
	for (int k = 0; k < 3; k++)
		seg_profile_init(&parts[k]);
	for (int i = 0; i < 300; i++)
	{
		add_row(&one, i);
		add_row(&parts[(i * 7) % 3], i);
	}
	for (int k = 2; k >= 0; k--)
		CHECK(seg_profile_merge(&merged, &parts[k], &err), "merge part %d", k);
	{
		ProfileAttr *x = attr(&one, "spend"),
				   *y = attr(&merged, "spend");

		CHECK(x->n == y->n && x->sx == y->sx, "merged count and sum equal one pass");
		CHECK_CLOSE(y->sxx, x->sxx, 1e-12, "merged sum of squared deviations equals one pass");
		/* make them bit-equal so that the rest of the bytes can be compared */
		y->sxx = x->sxx;
	}
	b1 = seg_profile_encode(&one, &s1);
	b2 = seg_profile_encode(&merged, &s2);
	CHECK(s1 == s2 && memcmp(b1, b2, s1) == 0, "merged in another order, the same bytes (%zu)", s1);
	CHECK(seg_profile_decode(b1, s1, &back, CORE_ERR_INVALID_BINARY, &err), "the flat form reads back");
	{
		size_t		s3;
		char	   *b3 = seg_profile_encode(&back, &s3);

		CHECK(s3 == s1 && memcmp(b3, b1, s1) == 0, "and encodes to the same bytes");
		core_free(b3);
	}
	seg_profile_free(&back);
	/* every truncation fails cleanly */
	for (size_t cut = 0; cut < s1; cut++)
	{
		if (seg_profile_decode(b1, cut, &back, CORE_ERR_INVALID_BINARY, &err))
		{
			all_bad = false;
			seg_profile_free(&back);
		}
		else
			core_error_free(&err);
	}
	CHECK(all_bad, "every truncation of the flat form is rejected");
	/* single-byte damage: rejected, or read as a valid profile (a count changed) */
	{
		int			rejected = 0,
					read = 0;

		for (size_t i = 0; i < s1; i++)
			for (int bit = 0; bit < 8; bit++)
			{
				b1[i] ^= (char) (1 << bit);
				if (seg_profile_decode(b1, s1, &back, CORE_ERR_INVALID_BINARY, &err))
				{
					read++;
					seg_profile_free(&back);
				}
				else
				{
					rejected++;
					core_error_free(&err);
				}
				b1[i] ^= (char) (1 << bit);
			}
		CHECK(rejected > 0, "bit flips: %d rejected, %d read as another valid profile, none crashed", rejected, read);
	}
	{
		char		saved = b1[3];

		b1[3] = 2;
		CHECK(!seg_profile_decode(b1, s1, &back, CORE_ERR_INVALID_BINARY, &err) && err.code == CORE_ERR_INVALID_BINARY &&
			  strstr(CORE_TEXT(err.detail), "version") != NULL, "another format version: %s", CORE_TEXT(err.detail));
		core_error_free(&err);
		b1[3] = saved;
	}
	core_free(b1);
	core_free(b2);
	seg_profile_free(&one);
	seg_profile_free(&merged);
	for (int k = 0; k < 3; k++)
		seg_profile_free(&parts[k]);
}

/*
 * By hand: population of 10 rows, spend 1..10 (mean 5.5, population sd
 * sqrt(8.25)); the segment is rows 8, 9, 10 (mean 9), 2 of its 3 opted in
 * against 4 of 10; country: segment DE, DE, FR; population 6 DE, 3 FR, 1 AT.
 */
static void
test_compare(void)
{
	Profile		seg,
				pop;
	CoreError	err;
	PersonaItem *items;
	int			n;
	char	   *line;
	static const char *const country[] = {"DE", "DE", "AT", "FR", "DE", "FR", "DE", "DE", "DE", "FR"};

	seg_profile_init(&seg);
	seg_profile_init(&pop);
	for (int i = 1; i <= 10; i++)
	{
		Profile    *ps[2] = {&pop, &seg};

		for (int k = 0; k < (i >= 8 ? 2 : 1); k++)
		{
			ps[k]->rows++;
			seg_profile_add_number(attr(ps[k], "recent|lapsed"), i, &err);
			seg_profile_add_boolean(attr(ps[k], "opted in"), i == 1 || i == 2 || i == 8 || i == 10, &err);
			seg_profile_add_category(attr(ps[k], "country"), country[i - 1], 2, &err);
		}
	}
	CHECK(persona_compare(&seg, &pop, &items, &n, &err), "compare");
	CHECK(n == 5, "5 items: a number, a boolean, 3 countries (%d)", n);
	/* differences: number (9 - 5.5) / sqrt(8.25) = 1.2185; opted in
	 * (2/3 - 0.4) / sqrt(0.24) = 0.5443; FR (1/3 - 0.3) / sqrt(0.21) =
	 * 0.0727; DE (2/3 - 0.6) / sqrt(0.24) = 0.1361; AT (0 - 0.1) / 0.3 =
	 * -0.3333 */
	CHECK(n == 5 && items[0].kind == PROFILE_NUMBER, "the number sets the segment apart most");
	CHECK_CLOSE(items[0].segment, 9, 1e-15, "segment mean 9");
	CHECK_CLOSE(items[0].population, 5.5, 1e-15, "population mean 5.5");
	CHECK_CLOSE(items[0].lift, 9 / 5.5, 1e-15, "lift 9 / 5.5");
	CHECK_CLOSE(items[0].difference, 3.5 / sqrt(8.25), 1e-14, "difference 3.5 / sqrt(8.25)");
	CHECK(items[1].kind == PROFILE_BOOLEAN, "then opted in");
	CHECK_CLOSE(items[1].difference, (2.0 / 3 - 0.4) / sqrt(0.24), 1e-14, "(2/3 - 0.4) / sqrt(0.24)");
	CHECK(items[2].value != NULL && memcmp(items[2].value, "AT", 2) == 0, "then AT, absent from the segment");
	CHECK_CLOSE(items[2].segment, 0, 0, "AT's share is 0 in the segment");
	CHECK_CLOSE(items[2].difference, -0.1 / 0.3, 1e-14, "(0 - 0.1) / 0.3");
	CHECK(memcmp(items[3].value, "DE", 2) == 0 && memcmp(items[4].value, "FR", 2) == 0, "then DE, FR");
	line = persona_line(items, n, 5, 0.2);
	CHECK(strcmp(line, "lapsed; 67% opted in; no AT") == 0, "the line: %s", line);
	core_free(line);
	line = persona_line(items, n, 5, 0.5);
	CHECK(strcmp(line, "lapsed; 67% opted in") == 0, "min_difference 0.5: %s", line);
	core_free(line);
	line = persona_line(items, n, 1, 0.0);
	CHECK(strcmp(line, "lapsed") == 0, "top 1: %s", line);
	core_free(line);
	line = persona_line(items, n, 5, 2);
	CHECK(strcmp(line, "like the population") == 0, "none qualifies: %s", line);
	core_free(line);
	core_free(items);

	/* a kind conflict between the two profiles */
	seg_profile_add_number(attr(&seg, "plan"), 1, &err);
	seg_profile_add_category(attr(&pop, "plan"), "pro", 3, &err);
	CHECK(!persona_compare(&seg, &pop, &items, &n, &err) && err.code == CORE_ERR_INVALID_PARAMETER,
		  "a number against a category is 22023: %s", CORE_TEXT(err.message));
	core_error_free(&err);
	seg_profile_free(&seg);
	seg_profile_free(&pop);
}

/* "high", "mostly" and the join */
static void
test_line_words(void)
{
	Profile		seg,
				pop;
	CoreError	err;
	PersonaItem *items;
	int			n;
	char	   *line;

	seg_profile_init(&seg);
	seg_profile_init(&pop);
	for (int i = 0; i < 100; i++)
	{
		Profile    *ps[2] = {&pop, &seg};

		for (int k = 0; k < (i < 20 ? 2 : 1); k++)
		{
			ps[k]->rows++;
			seg_profile_add_number(attr(ps[k], "spend"), i < 20 ? 100 + i : i % 10, &err);
			seg_profile_add_number(attr(ps[k], "infrequent|frequent"), i < 20 ? 0 : 5 + i % 3, &err);
			seg_profile_add_category(attr(ps[k], "country"), i < 18 ? "DE" : i % 2 ? "FR" : "IT", 2, &err);
		}
	}
	CHECK(persona_compare(&seg, &pop, &items, &n, &err), "compare");
	line = persona_line(items, n, 5, 0.2);
	CHECK(strcmp(line, "high spend, infrequent; mostly DE") == 0, "the line: %s", line);
	core_free(line);
	core_free(items);
	seg_profile_free(&seg);
	seg_profile_free(&pop);
}

int
main(void)
{
	test_sums();
	test_errors();
	test_merge_and_bytes();
	test_compare();
	test_line_words();
	return unit_done();
}
