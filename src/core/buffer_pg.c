/*-------------------------------------------------------------------------
 *
 * buffer_pg.c
 *	  Large RFM work arrays in transparent huge pages.
 *
 * rfm_score ranks a partition in 45 to 48 bytes a row, and rfm_thresholds
 * keeps 8 bytes a value in its state, copies it to pass it between
 * parallel processes, and sorts it with a scratch array of the same size:
 * tens of megabytes for a million customers, written once.  On the virtual
 * machines this project is measured on, the first write to a fresh 4 kB page
 * costs 15 us or more (test/bench/pagefault.c), more than the ranking does
 * with the 512 values a page holds, and glibc maps a large allocation afresh
 * on every query.  perf put a third of rfm_score's time in such faults.
 *
 * So an array of 4 MB or more is mapped here directly, 2 MB aligned, and
 * madvise(MADV_HUGEPAGE) asks for transparent huge pages, which Linux then
 * gives where it is set to "madvise" (Debian's default) or "always": one
 * fault per 2 MB instead of 512.  Where it refuses, or on a system without
 * them, the mapping works with small pages.  Smaller arrays, and a failed
 * mapping, take palloc's path.  A reset callback on the owning memory
 * context unmaps the array when the context goes (an error included), so the
 * arrays follow PostgreSQL's memory lifetimes like palloc'd ones.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sys/mman.h>

#include "utils/memutils.h"

#include "buffer_pg.h"

#define MAP_MIN RFM_BUFFER_MAP_MIN
#define HUGE_ALIGN ((Size) 2 * 1024 * 1024)

static void
buffer_unmap(void *arg)
{
	RfmBuffer  *buf = (RfmBuffer *) arg;

	if (buf->map != NULL)
		munmap(buf->map, buf->maplen);
	buf->map = NULL;
	buf->mem = NULL;
	buf->size = 0;
}

/* A fresh area of size bytes (> 0): mapped, or palloc'd in cxt. */
static void
buffer_take(RfmBuffer *buf, MemoryContext cxt, Size size)
{
	buf->cxt = cxt;
	buf->map = NULL;
	buf->size = size;
	if (size >= MAP_MIN && size <= MaxAllocHugeSize)
	{
		Size		len = size + HUGE_ALIGN;
		void	   *map = mmap(NULL, len, PROT_READ | PROT_WRITE,
							   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (map != MAP_FAILED)
		{
			if (!buf->registered)
			{
				buf->cb.func = buffer_unmap;
				buf->cb.arg = buf;
				MemoryContextRegisterResetCallback(cxt, &buf->cb);
				buf->registered = true;
			}
			buf->map = map;
			buf->maplen = len;
			buf->mem = (void *) TYPEALIGN(HUGE_ALIGN, map);
#ifdef MADV_HUGEPAGE
			/* a hint: refused, the area still works in small pages */
			(void) madvise(buf->mem, TYPEALIGN(HUGE_ALIGN, size), MADV_HUGEPAGE);
#endif
			return;
		}
	}
	buf->mem = MemoryContextAllocHuge(cxt, size);
}

void *
rfm_buffer_alloc(RfmBuffer *buf, MemoryContext cxt, Size size)
{
	Assert(buf->mem == NULL);
	buffer_take(buf, cxt, Max(size, 1));
	return buf->mem;
}

void *
rfm_buffer_grow(RfmBuffer *buf, Size size, Size used)
{
	RfmBuffer	old = *buf;

	Assert(buf->mem != NULL && used <= buf->size);
	if (size <= buf->size)
		return buf->mem;
	if (old.map == NULL && size < MAP_MIN)
	{
		/* small stays small: repalloc keeps (and may extend) the block */
		buf->mem = repalloc_huge(buf->mem, size);
		buf->size = size;
		return buf->mem;
	}
	buffer_take(buf, old.cxt, size);
	memcpy(buf->mem, old.mem, used);
	if (old.map != NULL)
		munmap(old.map, old.maplen);
	else
		pfree(old.mem);
	return buf->mem;
}

void
rfm_buffer_release(RfmBuffer *buf)
{
	if (buf->map != NULL)
		buffer_unmap(buf);		/* the callback then finds nothing to do */
	else if (buf->mem != NULL)
		pfree(buf->mem);
	buf->mem = NULL;
	buf->size = 0;
}
