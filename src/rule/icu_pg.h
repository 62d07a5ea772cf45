/*-------------------------------------------------------------------------
 *
 * icu_pg.h
 *	  ICU for the rule language: equality at primary strength (~=) and LIKE
 *	  over full case folding (ilike), with collators opened once per backend.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_ICU_PG_H
#define SEGMENTATION_ICU_PG_H

/* a ~= b: equal at ICU primary strength under locale ("" = root) */
extern bool rule_icu_equal(const char *a, int alen, const char *b, int blen,
						   const char *locale);

/* s folded with ICU full case folding (Turkic rules for tr and az), as a
 * palloc'd text in the database encoding */
extern text *rule_icu_fold(const char *s, int len, const char *locale);

/* s ilike pattern, where folded_pattern is rule_icu_fold of the pattern */
extern bool rule_icu_ilike(const char *s, int len, text *folded_pattern,
						   const char *locale);

#endif							/* SEGMENTATION_ICU_PG_H */
