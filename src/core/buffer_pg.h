/*-------------------------------------------------------------------------
 *
 * buffer_pg.h
 *	  Large work arrays (rfm, btyd), mapped in transparent huge pages where the
 *	  kernel offers them (see buffer_pg.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_CORE_BUFFER_PG_H
#define SEGMENTATION_CORE_BUFFER_PG_H

#include "utils/palloc.h"

/* arrays from this size on are mapped; smaller ones are better palloc'd */
#define RFM_BUFFER_MAP_MIN ((Size) 4 * 1024 * 1024)

typedef struct RfmBuffer
{
	void	   *mem;			/* the usable memory, or NULL */
	Size		size;			/* its size in bytes */
	void	   *map;			/* the mapping under mem, or NULL (palloc'd) */
	Size		maplen;
	MemoryContext cxt;			/* where it was allocated, or NULL */
	bool		registered;		/* cb is registered on cxt */
	MemoryContextCallback cb;	/* unmaps at cxt's reset or deletion */
} RfmBuffer;

/*
 * buf must be zeroed (or released) and live in cxt, or in a context that
 * outlives it, until cxt is reset: the unmapping callback points into it.
 * Errors out (53200) as palloc does when memory is short.
 */
extern void *rfm_buffer_alloc(RfmBuffer *buf, MemoryContext cxt, Size size);

/* Grow to size bytes, keeping the first used bytes; returns the new memory. */
extern void *rfm_buffer_grow(RfmBuffer *buf, Size size, Size used);

/* Give the memory back now; buf can be allocated again. */
extern void rfm_buffer_release(RfmBuffer *buf);

#endif							/* SEGMENTATION_CORE_BUFFER_PG_H */
