/*-------------------------------------------------------------------------
 *
 * rule_pg.h
 *	  The segment_rule type on the server side: what other glue (the binder,
 *	  the planner support, audiences) needs to read and build rule values.
 *
 * A segment_rule Datum is a varlena whose payload is exactly the bytes of
 * rule_flatten (ast.h, binary.c), in the database encoding.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEGMENTATION_RULE_PG_H
#define SEGMENTATION_RULE_PG_H

#include "fmgr.h"

#include "ast.h"

#define DatumGetSegmentRuleP(X)		((struct varlena *) PG_DETOAST_DATUM_PACKED(X))
#define PG_GETARG_SEGMENT_RULE_P(n)	DatumGetSegmentRuleP(PG_GETARG_DATUM(n))

/* The tree of a rule value (palloc'd in the current context); ereports
 * 22P03 if the stored bytes are damaged. */
extern RuleNode *segment_rule_tree(Datum rule);

/* A rule value (palloc'd varlena) holding a tree. */
extern struct varlena *segment_rule_from_tree(const RuleNode *node);

/* Raise a core error of the rule language (parse, decode) as an ERROR. */
extern void segment_rule_ereport(const CoreError *err) pg_attribute_noreturn();

/*
 * cache_pg.c: what a rule compiles to, per call site (fn_extra).  An entry
 * for (rule, typid, typmod); data NULL means the caller compiles it now, in
 * entry->cxt, and sets data.  release frees what the context cannot when
 * the entry is evicted.
 */
#define RULE_CACHE_SIZE 16

typedef void (*RuleCacheRelease) (void *data);

typedef struct RuleCacheEntry
{
	MemoryContext cxt;			/* holds data */
	char	   *rule;			/* the key: the rule's bytes */
	int			rulelen;
	Oid			typid;			/* and a type (InvalidOid for jsonb) */
	int32		typmod;
	void	   *data;			/* the caller's compiled form */
	RuleCacheRelease release;
} RuleCacheEntry;

typedef struct RuleCache RuleCache;

/*
 * memcpy and memcmp for what may be hundreds of megabytes (a catalogue's two
 * arrays, the key of its cache entry): in slices of a few megabytes with an
 * interrupt check between them, so that a cancel is served within one slice.
 */
extern void rule_memcpy_interruptible(void *dst, const void *src, Size len);
extern int	rule_memcmp_interruptible(const void *a, const void *b, Size len);

extern RuleCacheEntry *rule_cache_get(FmgrInfo *flinfo, struct varlena *rule, Oid typid,
									  int32 typmod, RuleCacheRelease release);

/* The entry of the rule in argument argno of the call (detoasted only when
 * its bytes must be compared): a constant rule is found by its address. */
extern RuleCacheEntry *rule_cache_get_arg(FunctionCallInfo fcinfo, int argno, Oid typid,
										  int32 typmod, RuleCacheRelease release);

/*
 * The start of every call site's cache (fn_extra): the entry of a constant
 * rule, found by the rule's address (rule_cache_get_arg), inline here
 * because a call site looks it up on every row.
 */
typedef struct RuleCacheConst
{
	Pointer		rule;			/* the Const's datum */
	RuleCacheEntry *entry;		/* its entry, or NULL */
} RuleCacheConst;

/* The compiled entry of a constant rule in argument argno that an earlier
 * row of the call site found (whatever its type: a call site's row type does
 * not change), or NULL. */
static inline RuleCacheEntry *
rule_cache_const_entry(FunctionCallInfo fcinfo, int argno)
{
	const RuleCacheConst *c = fcinfo->flinfo->fn_extra;

	if (c != NULL && c->entry != NULL && c->entry->data != NULL &&
		c->rule == DatumGetPointer(fcinfo->args[argno].value))
		return c->entry;
	return NULL;
}

/* A pointer the caller may keep with the cache (a fast path to an entry's
 * data), and the context (*cxt) for what it points to; whenever an entry is
 * freed or recompiled, the cache clears the pointer and resets the context. */
extern void **rule_cache_user(FmgrInfo *flinfo, MemoryContext *cxt);

/*
 * The base type of a valid declared argument type argtype (domains looked
 * through), and in *is_row whether that is a row type: looked up once per
 * call site, where the declared type stays the same from row to row.
 */
extern Oid	rule_cache_arg_type(FmgrInfo *flinfo, Oid argtype, bool *is_row);

/* The same for argument argno of the call site, whose declared type
 * (*argtype, InvalidOid if it cannot be determined) is looked up once. */
extern Oid	rule_cache_argno_type(FmgrInfo *flinfo, int argno, Oid *argtype, bool *is_row);

/* A scratch context of the call site, for the caller to reset. */
extern MemoryContext rule_cache_scratch(FmgrInfo *flinfo);

/* match_pg.c: the rule over relid's columns as the SQL text of segment_sql,
 * as_of as given or now() where it is NULL (fn_oid: the calling function, for
 * the binder's cache); 42P01 / 42809 for a relation without a row type. */
struct Node;
extern char *segment_rule_sql(Datum rule, Oid relid, Oid fn_oid, struct Node *as_of);

/* jsonb_pg.c: the rule in argument rulearg over the jsonb document in
 * argument docarg, on as_of in argument 2 (has_as_of) or the transaction
 * timestamp; segment_match over jsonb and, for documents, the @@ operator. */
extern Datum segment_match_doc(FunctionCallInfo fcinfo, int rulearg, int docarg,
							   bool has_as_of);

#endif							/* SEGMENTATION_RULE_PG_H */
