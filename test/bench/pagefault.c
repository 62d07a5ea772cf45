/*
 * pagefault.c: what a first touch of fresh memory costs on this machine.
 *
 * A parallel worker is a new process: every page of its own memory (hash
 * tables, aggregate states) and every page of shared memory it maps is
 * faulted in anew, where a long-lived serial backend reuses pages it faulted
 * long ago.  Where a fault is slow, this cost, not the aggregates, bounds
 * the parallel speed-up; make bench prints it beside the parallel figures.
 *
 * Prints the best of three: microseconds per 4 kB page when 64 MB of fresh
 * anonymous memory is touched once, and the same region rewritten (no
 * faults) for scale.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define REGION (64UL << 20)
#define PAGE 4096UL

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int
main(void)
{
	double		fault = -1,
				rewrite = -1;

	for (int run = 0; run < 3; run++)
	{
		volatile char *p = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
								MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		double		t0,
					t1,
					t2;

		if (p == MAP_FAILED)
		{
			perror("mmap");
			return 1;
		}
		t0 = now_us();
		for (unsigned long i = 0; i < REGION; i += PAGE)
			p[i] = 1;
		t1 = now_us();
		for (unsigned long i = 0; i < REGION; i += PAGE)
			p[i] = 2;
		t2 = now_us();
		munmap((void *) p, REGION);
		if (fault < 0 || t1 - t0 < fault)
			fault = t1 - t0;
		if (rewrite < 0 || t2 - t1 < rewrite)
			rewrite = t2 - t1;
	}
	printf("page faults: %.2f us per fresh 4 kB page (touching it again: %.3f us)\n",
		   fault / (REGION / PAGE), rewrite / (REGION / PAGE));
	return 0;
}
