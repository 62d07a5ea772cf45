/*-------------------------------------------------------------------------
 *
 * points_pg.c
 *	  A point set in an aggregate's serialized state: its count, then its
 *	  points as btyd_points_write encodes them (with or without spend).
 *	  what names the state in the errors, which SQL cannot reach (the
 *	  deserialize functions take internal).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "utils/memutils.h"

#include "points_pg.h"

/* append n and the encoded points to buf (begun with pq_begintypsend) */
void
btyd_points_send(StringInfo buf, const BtydPointSet *set, bool with_m, const char *what)
{
	int64		nbytes = (int64) btyd_points_encoded_size(set, with_m);

	pq_sendint64(buf, set->n);
	/* more than a bytea holds: enlargeStringInfo's error */
	enlargeStringInfo(buf, nbytes < MaxAllocSize ? (int) nbytes : MaxAllocSize);
	if ((int64) btyd_points_write(set, with_m, (unsigned char *) buf->data + buf->len) != nbytes)
		elog(ERROR, "%s state written in other than %lld bytes", what, (long long) nbytes);
	buf->len += (int) nbytes;
	buf->data[buf->len] = '\0';
}

/* read what btyd_points_send wrote into set, allocating in cxt */
void
btyd_points_recv(StringInfo buf, BtydPointSet *set, bool with_m, MemoryContext cxt,
				 const char *what)
{
	int64		n = pq_getmsgint64(buf);
	int64		nread;
	MemoryContext old;

	if (n < 0 || n > (buf->len - buf->cursor) / BTYD_POINT_MIN_BYTES(with_m))
		elog(ERROR, "%s state claims %lld points", what, (long long) n);
	old = MemoryContextSwitchTo(cxt);
	nread = btyd_points_read(set, (const unsigned char *) buf->data + buf->cursor,
							 buf->len - buf->cursor, n, with_m);
	MemoryContextSwitchTo(old);
	if (nread < 0)
		elog(ERROR, "invalid %s state", what);
	buf->cursor += (int) nread;
}
