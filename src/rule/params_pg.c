/*-------------------------------------------------------------------------
 *
 * params_pg.c
 *	  A rule bound as text or varchar: the function of the implicit casts
 *	  text -> segment_rule and varchar -> segment_rule (rule_params.sql).
 *
 * It reads the text as segment_rule_in reads a literal.  For a constant
 * (a literal cast to text, the value a custom plan binds to $1) the planner
 * folds the call, which is IMMUTABLE, into a segment_rule constant before
 * segment_match's support function sees it, so the rule is inlined as a
 * literal is.  In a generic plan the rule is a parameter and the cast runs
 * for every row: it keeps the last text it read and that text's rule in
 * fn_extra, so that a row costs a comparison of the text and a copy of the
 * rule, not a parse.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "rule_pg.h"

typedef struct TextRule
{
	int			len;			/* the text's length in bytes, */
	char	   *text;			/* its bytes, */
	struct varlena *rule;		/* and the rule it reads as */
} TextRule;

PG_FUNCTION_INFO_V1(segment_rule_from_text);
Datum
segment_rule_from_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	const char *bytes = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	FmgrInfo   *flinfo = fcinfo->flinfo;
	TextRule   *last = flinfo != NULL ? (TextRule *) flinfo->fn_extra : NULL;
	char	   *str;
	CoreError	err;
	RuleNode   *node;
	struct varlena *rule;
	struct varlena *copy;
	MemoryContext old;

	if (last != NULL && last->len == len && memcmp(last->text, bytes, len) == 0)
	{
		copy = palloc(VARSIZE(last->rule));
		memcpy(copy, last->rule, VARSIZE(last->rule));
		PG_RETURN_POINTER(copy);
	}

	str = text_to_cstring(t);
	node = rule_parse(str, strlen(str), &err);
	if (node == NULL)
		segment_rule_ereport(&err);
	rule = segment_rule_from_tree(node);
	rule_free(node);
	pfree(str);
	if (flinfo == NULL)
		PG_RETURN_POINTER(rule);

	/* keep this text and its rule for the next row */
	old = MemoryContextSwitchTo(flinfo->fn_mcxt);
	if (last == NULL)
		last = palloc0(sizeof(TextRule));
	else
	{
		pfree(last->text);
		pfree(last->rule);
	}
	last->len = len;
	last->text = palloc(Max(len, 1));
	memcpy(last->text, bytes, len);
	last->rule = palloc(VARSIZE(rule));
	memcpy(last->rule, rule, VARSIZE(rule));
	flinfo->fn_extra = last;
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(rule);
}
