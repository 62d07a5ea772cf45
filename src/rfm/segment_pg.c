/*-------------------------------------------------------------------------
 *
 * segment_pg.c
 *	  rfm_segment: the named segment of an RFM score, from the standard map
 *	  or from a map the user supplies as jsonb.
 *
 * A user map is a jsonb array of entries in priority order; the first entry
 * whose ranges cover the score names its segment:
 *	 [{"segment": "VIP", "r": [4, 5], "fm": [5, 5]},
 *	  {"segment": "Dormant", "r": 1},
 *	  {"segment": "Everyone else"}]
 * Keys: "segment" (required), and any of "r", "f", "m", "fm" (the rounded-up
 * mean of f and m) as [low, high] or a single score; a missing key covers
 * every score.  The parsed map is cached in fn_extra, so a constant map is
 * read once per query; a new map replaces it (CachedMap).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "rank.h"

static const char *const range_keys[4] = {"r", "f", "m", "fm"};

static int
check_score(int32 s, const char *what)
{
	if (s < 1 || s > RFM_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s score %d is out of range", what, s),
				 errhint("Scores lie between 1 and the number of bins (at most %d).",
						 RFM_MAX_BINS)));
	return s;
}

PG_FUNCTION_INFO_V1(rfm_segment_standard);
Datum
rfm_segment_standard(PG_FUNCTION_ARGS)
{
	int			r = PG_GETARG_INT32(0);
	int			f = PG_GETARG_INT32(1);
	int			m = PG_GETARG_INT32(2);

	if (r < 1 || r > 5 || f < 1 || f > 5 || m < 1 || m > 5)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("score (%d, %d, %d) is outside the standard map", r, f, m),
				 errdetail("The standard segment map is defined for scores from 1 to 5 (bins = 5)."),
				 errhint("Pass a segment map of your own as jsonb for other bins.")));
	PG_RETURN_TEXT_P(cstring_to_text(segmap_lookup(&rfm_standard_map, r, f, m)));
}

/* ---------------------------------------------------------------------
 * User maps
 * ---------------------------------------------------------------------
 */

/*
 * The map of a call site, parsed once per distinct map: it lives in a
 * context of its own, deleted when a row brings a different map, so that a
 * query whose map changes from row to row keeps one map, not all of them.
 */
typedef struct CachedMap
{
	MemoryContext cxt;			/* holds source and map */
	Jsonb	   *source;			/* the jsonb it was parsed from */
	SegmentMap	map;
} CachedMap;

static void pg_attribute_noreturn()
map_error(int entry, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid RFM segment map entry %d", entry + 1),
			 errdetail("%s", detail),
			 errhint("An entry looks like {\"segment\": \"Champions\", \"r\": [4, 5], \"fm\": [4, 5]}.")));
}

/*
 * A score of a map entry: a whole number from 1 to 10.  Checked as numeric,
 * before any conversion, so that 1.5 is not rounded to a score and 1e999 is
 * the map's error, not an integer overflow.
 */
static int
map_int(JsonbValue *v, int entry)
{
	Datum		n;

	if (v->type != jbvNumeric)
		map_error(entry, "Scores must be numbers.");
	n = NumericGetDatum(v->val.numeric);
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, n,
										  DirectFunctionCall1(numeric_floor, n))) != 0)
		map_error(entry, "Scores must be whole numbers.");
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, n,
										  NumericGetDatum(int64_to_numeric(1)))) < 0 ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, n,
										  NumericGetDatum(int64_to_numeric(RFM_MAX_BINS)))) > 0)
		map_error(entry, "Scores must lie between 1 and 10.");
	return DatumGetInt32(DirectFunctionCall1(numeric_int4, n));
}

static SegmentMap
parse_map(Jsonb *jb)
{
	SegmentMap	map;
	SegmentMapEntry *entries;
	int			n;

	if (!JB_ROOT_IS_ARRAY(jb) || JB_ROOT_IS_SCALAR(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an RFM segment map must be a jsonb array of entries")));
	n = JB_ROOT_COUNT(jb);
	entries = palloc0(sizeof(SegmentMapEntry) * Max(n, 1));

	for (int i = 0; i < n; i++)
	{
		JsonbValue *e = getIthJsonbValueFromContainer(&jb->root, i);
		JsonbValue	v;
		JsonbIterator *it;
		JsonbIteratorToken tok;

		CHECK_FOR_INTERRUPTS();
		if (e->type != jbvBinary || !JsonContainerIsObject(e->val.binary.data))
			map_error(i, "Each entry must be an object.");

		/* reject keys we do not know: a typo must not widen a range silently */
		it = JsonbIteratorInit(e->val.binary.data);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
			if (tok == WJB_KEY)
			{
				bool		known = v.val.string.len == 7 &&
					strncmp(v.val.string.val, "segment", 7) == 0;

				for (int k = 0; k < 4 && !known; k++)
					known = v.val.string.len == strlen(range_keys[k]) &&
						strncmp(v.val.string.val, range_keys[k], v.val.string.len) == 0;
				if (!known)
					map_error(i, psprintf("Unknown key \"%.*s\"; the keys are segment, r, f, m and fm.",
										  v.val.string.len, v.val.string.val));
			}

		if (!getKeyJsonValueFromContainer(e->val.binary.data, "segment", 7, &v) ||
			v.type != jbvString)
			map_error(i, "Each entry needs a \"segment\" name as a string.");
		entries[i].name = pnstrdup(v.val.string.val, v.val.string.len);

		for (int k = 0; k < 4; k++)
		{
			entries[i].lo[k] = 1;
			entries[i].hi[k] = RFM_MAX_BINS;
			if (!getKeyJsonValueFromContainer(e->val.binary.data, range_keys[k],
											  strlen(range_keys[k]), &v))
				continue;
			if (v.type == jbvNumeric)
				entries[i].lo[k] = entries[i].hi[k] = map_int(&v, i);
			else if (v.type == jbvBinary && JsonContainerIsArray(v.val.binary.data) &&
					 JsonContainerSize(v.val.binary.data) == 2)
			{
				entries[i].lo[k] = map_int(getIthJsonbValueFromContainer(v.val.binary.data, 0), i);
				entries[i].hi[k] = map_int(getIthJsonbValueFromContainer(v.val.binary.data, 1), i);
				if (entries[i].lo[k] > entries[i].hi[k])
					map_error(i, "A range must be [low, high] with low <= high.");
			}
			else
				map_error(i, "A range must be a score or a [low, high] pair of scores.");
		}
	}
	map.nentries = n;
	map.entries = entries;
	return map;
}

PG_FUNCTION_INFO_V1(rfm_segment_map);
Datum
rfm_segment_map(PG_FUNCTION_ARGS)
{
	int			r = check_score(PG_GETARG_INT32(0), "recency");
	int			f = check_score(PG_GETARG_INT32(1), "frequency");
	int			m = check_score(PG_GETARG_INT32(2), "monetary");
	Jsonb	   *jb = PG_GETARG_JSONB_P(3);
	CachedMap  *cache = (CachedMap *) fcinfo->flinfo->fn_extra;
	const char *name;

	if (cache == NULL || VARSIZE(cache->source) != VARSIZE(jb) ||
		memcmp(cache->source, jb, VARSIZE(jb)) != 0)
	{
		MemoryContext cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt,
												  "rfm_segment map",
												  ALLOCSET_SMALL_SIZES);
		MemoryContext old = MemoryContextSwitchTo(cxt);
		SegmentMap	map = parse_map(jb);
		Jsonb	   *source = palloc(VARSIZE(jb));

		memcpy(source, jb, VARSIZE(jb));
		MemoryContextSwitchTo(old);

		/* replace the cached map only once the new one parsed */
		if (cache == NULL)
			cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CachedMap));
		else
			MemoryContextDelete(cache->cxt);
		cache->cxt = cxt;
		cache->map = map;
		cache->source = source;
		fcinfo->flinfo->fn_extra = cache;
	}

	name = segmap_lookup(&cache->map, r, f, m);
	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

/* The standard map as a jsonb user map, to copy and edit. */
PG_FUNCTION_INFO_V1(rfm_standard_map_jsonb);
Datum
rfm_standard_map_jsonb(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	for (int i = 0; i < rfm_standard_map.nentries; i++)
	{
		const SegmentMapEntry *e = &rfm_standard_map.entries[i];

		appendStringInfo(&buf, "%s{\"segment\": ", i ? ", " : "");
		escape_json(&buf, e->name);
		for (int k = 0; k < 4; k++)
			if (e->lo[k] != 1 || e->hi[k] != 5)
				appendStringInfo(&buf, ", \"%s\": [%d, %d]", range_keys[k], e->lo[k], e->hi[k]);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, ']');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}
