/*
 * fuzz_main.c
 *	  A deterministic mutation loop for machines whose compiler has no
 *	  libFuzzer: it calls LLVMFuzzerTestOneInput (fuzz_rule.c) with seeds
 *	  read from the directories on its command line and with mutations of
 *	  them (bit flips, interesting bytes, insertions of dictionary tokens,
 *	  deletions, duplications, splices, truncations), under ASan and UBSan.
 *	  It reads libFuzzer's -runs=N and -max_total_time=S and ends with the
 *	  same "Done N runs in S second(s)" line, so test/fuzz/fuzz.sh drives
 *	  either the same way.  Same seeds, same runs: same inputs.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 4096
#define MAX_SEEDS 4096

static uint64_t state = 0x2545f4914f6cdd1dULL;

static uint32_t
rnd(uint32_t n)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return n ? (uint32_t) (state % n) : 0;
}

typedef struct Seed
{
	uint8_t    *data;
	size_t		len;
} Seed;

static Seed seeds[MAX_SEEDS];
static int	nseeds;

static const char *const tokens[] = {
	" and ", " or ", "not ", "(", ")", " = ", " <> ", " != ", " < ", " <= ", " > ",
	" >= ", " ~= ", " in (", " not in (", " between ", " is null", " is not null",
	" like ", " ilike ", " contains ", " contains any (", " contains all (",
	" within ", " days", " weeks", " months", " collate 'de'", "'x'", "''", "\"",
	"\"a b\"", "'", ".", ",", "-", "1e3", ".5", "true", "false", "null", "--\n",
	"\x01\x00\x00\x00", "\x00\x00\x00\x00", "\xff\xff\xff\xff", "\x02\x00\x00\x00"
};

static void
add_seed(const uint8_t *d, size_t n)
{
	if (nseeds == MAX_SEEDS || n > MAX_INPUT)
		return;
	seeds[nseeds].data = malloc(n ? n : 1);
	memcpy(seeds[nseeds].data, d, n);
	seeds[nseeds].len = n;
	nseeds++;
}

static void
load_dir(const char *dir)
{
	DIR		   *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
	{
		char		path[4096];
		uint8_t		buf[MAX_INPUT];
		FILE	   *f;
		size_t		n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		add_seed(buf, n);
	}
	closedir(d);
}

/* One mutation of buf[0..*len) in place. */
static void
mutate(uint8_t *buf, size_t *len)
{
	size_t		n = *len;

	switch (rnd(8))
	{
		case 0:					/* flip a bit */
			if (n)
				buf[rnd(n)] ^= 1 << rnd(8);
			break;
		case 1:					/* an interesting byte */
			if (n)
			{
				static const uint8_t v[] = {0, 1, 2, 3, 4, 8, 15, 16, 0x7f, 0x80, 0xff, '\'', '"', '(', ')', ' '};

				buf[rnd(n)] = v[rnd(sizeof(v))];
			}
			break;
		case 2:					/* insert a token */
			{
				const char *t = tokens[rnd(sizeof(tokens) / sizeof(*tokens))];
				size_t		tl = strlen(t) ? strlen(t) : 4;
				size_t		at = rnd(n + 1);

				if (n + tl <= MAX_INPUT)
				{
					memmove(buf + at + tl, buf + at, n - at);
					memcpy(buf + at, t, tl);
					n += tl;
				}
				break;
			}
		case 3:					/* delete a range */
			if (n)
			{
				size_t		at = rnd(n),
							dl = 1 + rnd(n - at < 8 ? n - at : 8);

				memmove(buf + at, buf + at + dl, n - at - dl);
				n -= dl;
			}
			break;
		case 4:					/* duplicate a range */
			if (n)
			{
				size_t		at = rnd(n),
							dl = 1 + rnd(n - at < 16 ? n - at : 16);

				if (n + dl <= MAX_INPUT)
				{
					memmove(buf + at + dl, buf + at, n - at);
					n += dl;
				}
			}
			break;
		case 5:					/* splice the tail of another seed */
			if (nseeds)
			{
				const Seed *s = &seeds[rnd(nseeds)];
				size_t		at = rnd(n + 1),
							from = rnd(s->len + 1),
							sl = s->len - from;

				if (at + sl > MAX_INPUT)
					sl = MAX_INPUT - at;
				memcpy(buf + at, s->data + from, sl);
				n = at + sl;
			}
			break;
		case 6:					/* truncate */
			n = rnd(n + 1);
			break;
		default:				/* a random byte */
			if (n)
				buf[rnd(n)] = (uint8_t) rnd(256);
			break;
	}
	*len = n;
}

int
main(int argc, char **argv)
{
	long		runs = -1;
	long		budget = -1;
	long		done = 0;
	time_t		start = time(NULL);
	uint8_t		buf[MAX_INPUT];

	for (int i = 1; i < argc; i++)
	{
		if (strncmp(argv[i], "-runs=", 6) == 0)
			runs = atol(argv[i] + 6);
		else if (strncmp(argv[i], "-max_total_time=", 16) == 0)
			budget = atol(argv[i] + 16);
		else if (argv[i][0] != '-')
			load_dir(argv[i]);
	}
	if (nseeds == 0)
		add_seed((const uint8_t *) "a = 1", 5);
	for (int i = 0; i < nseeds; i++, done++)
		LLVMFuzzerTestOneInput(seeds[i].data, seeds[i].len);
	while ((runs < 0 || done < runs))
	{
		const Seed *s = &seeds[rnd(nseeds)];
		size_t		len = s->len;
		int			k = 1 + rnd(4);

		if ((done & 1023) == 0 && budget >= 0 && time(NULL) - start >= budget)
			break;
		memcpy(buf, s->data, len);
		while (k--)
			mutate(buf, &len);
		LLVMFuzzerTestOneInput(buf, len);
		done++;
	}
	printf("Done %ld runs in %ld second(s)\n", done, (long) (time(NULL) - start));
	for (int i = 0; i < nseeds; i++)
		free(seeds[i].data);
	return 0;
}
