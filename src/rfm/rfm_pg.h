/*-------------------------------------------------------------------------
 *
 * rfm_pg.h
 *	  What the RFM glue files share.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_RFM_PG_H
#define SEGMENTATION_RFM_PG_H

#include "fmgr.h"
#include "access/tupdesc.h"

#include "rank.h"

/* bins, checked to lie in 2..10 (22023 otherwise) */
extern int	rfm_check_bins(int32 bins);

/* a dimension's value (float8, numeric, int4 or int8) as a double */
extern double rfm_datum_double(Datum d, Oid type);

/* the texts of one complete score (segment NULL unless 5 bins) */
typedef struct RfmCellText
{
	text	   *cell;
	text	   *segment;
} RfmCellText;

/* what a call site of rfm_score keeps in fn_extra */
typedef struct RfmResultCache
{
	TupleDesc	tupdesc;		/* the rfm result type, blessed */
	Oid			types[3];		/* the argument types of recency, frequency, monetary */
	MemoryContext mcxt;			/* fn_mcxt: where the texts live */
	RfmCellText *cells[RFM_MAX_BINS + 1];		/* by bins (2..10): bins^3 texts by (r, f, m),
								 * made on first use */
} RfmResultCache;

/* the rfm composite result, and its cache */
extern RfmResultCache *rfm_result_cache(FunctionCallInfo fcinfo);
extern Datum rfm_make_result(RfmResultCache *cache, const Datum *values,
							 const bool *isnull, const Oid *types,
							 const int *scores, int bins);

#endif							/* SEGMENTATION_RFM_PG_H */
