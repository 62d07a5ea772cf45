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

/* bins, checked to lie in 2..10 (22023 otherwise) */
extern int	rfm_check_bins(int32 bins);

/* a dimension's value (float8, numeric, int4 or int8) as a double */
extern double rfm_datum_double(Datum d, Oid type);

/* the rfm composite result, and its cached descriptor */
extern TupleDesc rfm_result_desc(FunctionCallInfo fcinfo);
extern Datum rfm_make_result(TupleDesc tupdesc, const Datum *values,
							 const bool *isnull, const Oid *types,
							 const int *scores, int bins);

#endif							/* SEGMENTATION_RFM_PG_H */
