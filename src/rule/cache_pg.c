/*-------------------------------------------------------------------------
 *
 * cache_pg.c
 *	  What a rule compiles to, kept per call site: the row evaluator keeps
 *	  the compiled expression of a (rule, row type), the jsonb evaluator the
 *	  compiled rule.  One cache in fn_extra serves both (segment_match over
 *	  a row hands jsonb documents to the jsonb evaluator on the same call
 *	  site).
 *
 * A few entries (RULE_CACHE_SIZE), keyed by the rule's bytes and a type,
 * evicted in turn, so that a join of saved segments with customers compiles
 * each segment once per query.  Each entry owns a memory context, and the
 * caller's release callback frees what a context cannot (an ExprContext, a
 * slot).  An entry whose compilation failed (an error while binding) holds
 * no data; its context is emptied and it is compiled again on its next use.
 * The cache also remembers what the call site's row argument is (its base
 * type, and whether that is a row), which does not change from row to row.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "rule_pg.h"

struct RuleCache
{
	/*
	 * rule_cache_get_arg: the entry a constant rule's datum (this very
	 * pointer) last found; first, for rule_cache_const_entry (rule_pg.h)
	 */
	RuleCacheConst konst;
	int			n;
	int			next;			/* the entry to evict next */
	RuleCacheEntry *entries[RULE_CACHE_SIZE];
	MemoryContext scratch;		/* reset by the caller after each call */
	void	   *user;			/* the caller's own fast path, */
	MemoryContext user_cxt;		/* allocated here */
	Oid			arg_type;		/* a declared argument type, */
	Oid			arg_base;		/* its base type, */
	bool		arg_row;		/* and whether that is a row type */
	/* rule_cache_argno_type: the argument whose type is kept above */
	int			arg_no;
	/* rule_cache_get_arg: whether the rule argument is a Const (-1: not yet
	 * known) */
	int			rule_const;
};

/* Forget the caller's fast path, and free what it allocated. */
static void
forget_user(RuleCache *c)
{
	c->user = NULL;
	if (c->user_cxt != NULL)
		MemoryContextReset(c->user_cxt);
}

static RuleCache *
cache_of(FmgrInfo *flinfo)
{
	if (flinfo->fn_extra == NULL)
	{
		RuleCache  *c = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(RuleCache));

		c->rule_const = -1;
		c->arg_no = -1;
		flinfo->fn_extra = c;
	}
	return flinfo->fn_extra;
}

static void
release_entry(RuleCacheEntry *e)
{
	if (e->data != NULL && e->release != NULL)
		e->release(e->data);
	e->data = NULL;
}

#define RULE_SLICE ((Size) 4 * 1024 * 1024)

void
rule_memcpy_interruptible(void *dst, const void *src, Size len)
{
	for (Size at = 0; at < len; at += RULE_SLICE)
	{
		CHECK_FOR_INTERRUPTS();
		memcpy((char *) dst + at, (const char *) src + at, Min(RULE_SLICE, len - at));
	}
}

int
rule_memcmp_interruptible(const void *a, const void *b, Size len)
{
	for (Size at = 0; at < len; at += RULE_SLICE)
	{
		int			c;

		CHECK_FOR_INTERRUPTS();
		c = memcmp((const char *) a + at, (const char *) b + at, Min(RULE_SLICE, len - at));
		if (c != 0)
			return c;
	}
	return 0;
}

RuleCacheEntry *
rule_cache_get(FmgrInfo *flinfo, struct varlena *rule, Oid typid, int32 typmod,
			   RuleCacheRelease release)
{
	RuleCache  *c = cache_of(flinfo);
	const char *bytes = VARDATA_ANY(rule);
	int			len = VARSIZE_ANY_EXHDR(rule);
	RuleCacheEntry *e;
	MemoryContext cxt;

	for (int i = 0; i < c->n; i++)
	{
		e = c->entries[i];
		if (e->typid == typid && e->typmod == typmod && e->rulelen == len &&
			rule_memcmp_interruptible(e->rule, bytes, len) == 0)
		{
			if (e->data == NULL)
			{
				MemoryContextReset(e->cxt);	/* its compilation failed: again */
				forget_user(c);
			}
			return e;
		}
	}

	if (c->n == RULE_CACHE_SIZE)
	{
		e = c->entries[c->next];
		c->entries[c->next] = c->entries[--c->n];
		c->next = (c->next + 1) % RULE_CACHE_SIZE;
		if (c->konst.entry == e)
			c->konst.entry = NULL;
		release_entry(e);
		MemoryContextDelete(e->cxt);
		pfree(e->rule);
		pfree(e);
		forget_user(c);			/* it may have pointed into the entry */
	}

	/* the entry and its key in fn_mcxt, what it compiles to in its context */
	cxt = AllocSetContextCreate(flinfo->fn_mcxt, "segment rule", ALLOCSET_SMALL_SIZES);
	e = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(RuleCacheEntry));
	e->cxt = cxt;
	e->rule = MemoryContextAlloc(flinfo->fn_mcxt, len);
	rule_memcpy_interruptible(e->rule, bytes, len);
	e->rulelen = len;
	e->typid = typid;
	e->typmod = typmod;
	e->release = release;
	c->entries[c->n++] = e;
	return e;
}

/*
 * The entry of the rule in argument argno.  A rule that is a constant of the
 * plan (a Const: the rule a query names) is the same datum, at the same
 * address, on every row for as long as the call site lives, so once its
 * entry is compiled that address finds it without comparing the rule's
 * bytes.  A rule from a column or a parameter is compared each time: the
 * memory of a parameter (a PL/pgSQL variable) may hold another rule later.
 */
RuleCacheEntry *
rule_cache_get_arg(FunctionCallInfo fcinfo, int argno, Oid typid, int32 typmod,
				   RuleCacheRelease release)
{
	RuleCache  *c = cache_of(fcinfo->flinfo);
	Pointer		raw = DatumGetPointer(fcinfo->args[argno].value);
	RuleCacheEntry *e;

	if (c->konst.entry != NULL && c->konst.rule == raw && c->konst.entry->data != NULL &&
		c->konst.entry->typid == typid && c->konst.entry->typmod == typmod)
		return c->konst.entry;
	e = rule_cache_get(fcinfo->flinfo, DatumGetSegmentRuleP(fcinfo->args[argno].value), typid,
					   typmod, release);
	if (c->rule_const < 0)
	{
		Node	   *expr = fcinfo->flinfo->fn_expr;
		List	   *args = NIL;

		if (expr != NULL && IsA(expr, FuncExpr))
			args = ((FuncExpr *) expr)->args;
		else if (expr != NULL && IsA(expr, OpExpr))
			args = ((OpExpr *) expr)->args;
		c->rule_const = argno < list_length(args) && IsA(list_nth(args, argno), Const);
	}
	if (c->rule_const)
	{
		c->konst.rule = raw;
		c->konst.entry = e;
	}
	return e;
}

MemoryContext
rule_cache_scratch(FmgrInfo *flinfo)
{
	RuleCache  *c = cache_of(flinfo);

	if (c->scratch == NULL)
		c->scratch = AllocSetContextCreate(flinfo->fn_mcxt, "segment rule scratch",
										   ALLOCSET_SMALL_SIZES);
	return c->scratch;
}

void	  **
rule_cache_user(FmgrInfo *flinfo, MemoryContext *cxt)
{
	RuleCache  *c = cache_of(flinfo);

	if (c->user_cxt == NULL)
		c->user_cxt = AllocSetContextCreate(flinfo->fn_mcxt, "segment rule fast path",
											ALLOCSET_SMALL_SIZES);
	*cxt = c->user_cxt;
	return &c->user;
}

Oid
rule_cache_arg_type(FmgrInfo *flinfo, Oid argtype, bool *is_row)
{
	RuleCache  *c = cache_of(flinfo);

	c->arg_no = -1;
	if (c->arg_type != argtype)
	{
		c->arg_type = InvalidOid;	/* until both lookups succeed */
		c->arg_base = getBaseType(argtype);
		c->arg_row = type_is_rowtype(c->arg_base);
		c->arg_type = argtype;
	}
	*is_row = c->arg_row;
	return c->arg_base;
}

Oid
rule_cache_argno_type(FmgrInfo *flinfo, int argno, Oid *argtype, bool *is_row)
{
	RuleCache  *c = cache_of(flinfo);

	if (c->arg_no != argno || !OidIsValid(c->arg_type))
	{
		Oid			t = get_fn_expr_argtype(flinfo, argno);

		if (!OidIsValid(t))
		{
			*argtype = InvalidOid;
			*is_row = false;
			return InvalidOid;
		}
		(void) rule_cache_arg_type(flinfo, t, is_row);
		c->arg_no = argno;
	}
	*argtype = c->arg_type;
	*is_row = c->arg_row;
	return c->arg_base;
}
