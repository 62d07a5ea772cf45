/*-------------------------------------------------------------------------
 *
 * icu_pg.c
 *	  ICU for the rule language: ~= (equality at primary strength, so case
 *	  and accents do not count: 'munchen' ~= 'München') and ilike (SQL LIKE
 *	  over ICU full case folding, so 'STRASSE' ilike 'straße').
 *
 * Collators are opened once per backend and locale, set to primary
 * strength, and kept for the life of the backend in a short list in
 * TopMemoryContext, most recently used first.  A backend meets a handful of
 * locales; since any string names a locale (ICU falls back to the root for
 * what it does not know), the list keeps at most MAX_COLLATORS and closes the
 * least recently used beyond that, so no sequence of calls grows it without
 * bound.  Strings travel
 * to ICU in UTF-8, converted from the database encoding where it differs.
 *
 * ilike folds both sides and runs PostgreSQL's own LIKE over the folded
 * text (C collation, so that LIKE itself compares code points); folding is
 * locale-independent except for the dotted and dotless i of Turkish and
 * Azerbaijani, which a locale starting with tr or az selects.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <unicode/ucol.h>
#include <unicode/ustring.h>

#include "catalog/pg_collation.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "icu_pg.h"

typedef struct CachedCollator
{
	char	   *locale;
	UCollator  *collator;
	struct CachedCollator *next;
} CachedCollator;

#define MAX_COLLATORS 16

static CachedCollator *collators = NULL;

static UCollator *
primary_collator(const char *locale)
{
	CachedCollator *c,
			   *prev = NULL;
	UErrorCode	status = U_ZERO_ERROR;
	UCollator  *coll;
	int			n = 0;

	for (c = collators; c != NULL; prev = c, c = c->next, n++)
		if (strcmp(c->locale, locale) == 0)
		{
			if (prev != NULL)
			{
				/* to the front */
				prev->next = c->next;
				c->next = collators;
				collators = c;
			}
			return c->collator;
		}

	if (n >= MAX_COLLATORS)
	{
		/* close the least recently used, the last one */
		for (prev = NULL, c = collators; c->next != NULL; prev = c, c = c->next)
			;
		prev->next = NULL;
		ucol_close(c->collator);
		pfree(c->locale);
		pfree(c);
	}

	coll = ucol_open(locale, &status);
	if (U_FAILURE(status))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("could not open an ICU collator for locale \"%s\": %s",
						locale, u_errorName(status))));
	ucol_setStrength(coll, UCOL_PRIMARY);

	c = MemoryContextAlloc(TopMemoryContext, sizeof(CachedCollator));
	c->locale = MemoryContextStrdup(TopMemoryContext, locale);
	c->collator = coll;
	c->next = collators;
	collators = c;
	return coll;
}

/* s in UTF-8: s itself in a UTF-8 database, else a converted copy */
static const char *
to_utf8(const char *s, int len, int *outlen)
{
	char	   *u;

	if (GetDatabaseEncoding() == PG_UTF8)
	{
		*outlen = len;
		return s;
	}
	u = pg_server_to_any(s, len, PG_UTF8);
	*outlen = (u == s) ? len : strlen(u);
	return u;
}

bool
rule_icu_equal(const char *a, int alen, const char *b, int blen, const char *locale)
{
	UCollator  *coll = primary_collator(locale);
	UErrorCode	status = U_ZERO_ERROR;
	UCollationResult r;
	int			ul,
				vl;
	const char *u = to_utf8(a, alen, &ul);
	const char *v = to_utf8(b, blen, &vl);

	r = ucol_strcollUTF8(coll, u, ul, v, vl, &status);
	if (U_FAILURE(status))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("ICU collation failed: %s", u_errorName(status))));
	return r == UCOL_EQUAL;
}

static bool
turkic(const char *locale)
{
	return (strncmp(locale, "tr", 2) == 0 || strncmp(locale, "az", 2) == 0) &&
		(locale[2] == '\0' || locale[2] == '-' || locale[2] == '_');
}

static void
check_icu(UErrorCode status, const char *what)
{
	if (U_FAILURE(status))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("ICU %s failed: %s", what, u_errorName(status))));
}

text *
rule_icu_fold(const char *s, int len, const char *locale)
{
	UErrorCode	status = U_ZERO_ERROR;
	int			ul;
	const char *u = to_utf8(s, len, &ul);
	int32_t		n16;
	UChar	   *src;
	UChar	   *dst;
	int32_t		nfold;
	int32_t		n8;
	char	   *out;
	char	   *server;
	uint32		opt = turkic(locale) ? U_FOLD_CASE_EXCLUDE_SPECIAL_I : U_FOLD_CASE_DEFAULT;

	/* UTF-8 to UTF-16: at most one unit per byte */
	src = palloc((ul + 1) * sizeof(UChar));
	u_strFromUTF8(src, ul + 1, &n16, u, ul, &status);
	check_icu(status, "conversion from UTF-8");

	/* folding grows a string by at most three times (ß to ss, ΐ to three) */
	dst = palloc((3 * n16 + 1) * sizeof(UChar));
	nfold = u_strFoldCase(dst, 3 * n16 + 1, src, n16, opt, &status);
	check_icu(status, "case folding");

	/* back to UTF-8: at most three bytes per unit */
	out = palloc(3 * nfold + 1);
	u_strToUTF8(out, 3 * nfold + 1, &n8, dst, nfold, &status);
	check_icu(status, "conversion to UTF-8");
	pfree(src);
	pfree(dst);

	server = (GetDatabaseEncoding() == PG_UTF8) ? out
		: pg_any_to_server(out, n8, PG_UTF8);
	return cstring_to_text_with_len(server, server == out ? n8 : (int) strlen(server));
}

bool
rule_icu_ilike(const char *s, int len, text *folded_pattern, const char *locale)
{
	text	   *fs = rule_icu_fold(s, len, locale);
	bool		r;

	r = DatumGetBool(DirectFunctionCall2Coll(textlike, C_COLLATION_OID,
											 PointerGetDatum(fs),
											 PointerGetDatum(folded_pattern)));
	pfree(fs);
	return r;
}

/* ---------------------------------------------------------------------------
 * SQL functions: segment_icu_equal(a, b, locale), segment_icu_ilike(s,
 * pattern, locale).  The binder calls them for ~= and ilike.
 * ---------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(segment_icu_equal);
Datum
segment_icu_equal(PG_FUNCTION_ARGS)
{
	text	   *a = PG_GETARG_TEXT_PP(0);
	text	   *b = PG_GETARG_TEXT_PP(1);
	char	   *locale = text_to_cstring(PG_GETARG_TEXT_PP(2));

	PG_RETURN_BOOL(rule_icu_equal(VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a),
								  VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), locale));
}

/* fn_extra of segment_icu_ilike: the last pattern and locale, folded */
typedef struct FoldedPattern
{
	char	   *pattern;		/* bytes of the pattern as given */
	int			patlen;
	char	   *locale;
	text	   *folded;
} FoldedPattern;

PG_FUNCTION_INFO_V1(segment_icu_ilike);
Datum
segment_icu_ilike(PG_FUNCTION_ARGS)
{
	text	   *s = PG_GETARG_TEXT_PP(0);
	text	   *pat = PG_GETARG_TEXT_PP(1);
	char	   *locale = text_to_cstring(PG_GETARG_TEXT_PP(2));
	FoldedPattern *fp = fcinfo->flinfo->fn_extra;

	if (fp == NULL || VARSIZE_ANY_EXHDR(pat) != fp->patlen ||
		memcmp(VARDATA_ANY(pat), fp->pattern, fp->patlen) != 0 ||
		strcmp(locale, fp->locale) != 0)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		/* fold first: if it fails, the cached pattern is still whole */
		text	   *folded = rule_icu_fold(VARDATA_ANY(pat), VARSIZE_ANY_EXHDR(pat), locale);

		if (fp == NULL)
			fp = palloc0(sizeof(FoldedPattern));
		else
		{
			pfree(fp->pattern);
			pfree(fp->locale);
			pfree(fp->folded);
		}
		fp->patlen = VARSIZE_ANY_EXHDR(pat);
		fp->pattern = palloc(fp->patlen + 1);
		memcpy(fp->pattern, VARDATA_ANY(pat), fp->patlen);
		fp->locale = pstrdup(locale);
		fp->folded = folded;
		fcinfo->flinfo->fn_extra = fp;
		MemoryContextSwitchTo(old);
	}
	PG_RETURN_BOOL(rule_icu_ilike(VARDATA_ANY(s), VARSIZE_ANY_EXHDR(s), fp->folded, locale));
}
