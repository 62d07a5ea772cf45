/*
 * test_rule.c
 *	  Unit tests of the segment rule parser and printer: the tree each
 *	  construct parses to (written as an S-expression by a dumper that is
 *	  independent of rule_print), SQL precedence, the canonical text of each
 *	  case, parse(print(x)) == x, the attributes a rule names, and every
 *	  error with its code and byte position.
 *
 *	  Behavioural conditions dump their aggregate where a path would be:
 *	  (cmp >= (count [orders] :where (cmp = [status] s:paid) :within 30 days) n:3)
 *	  with the aggregates count, countd (count distinct), sum, avg, min,
 *	  max, first, last and exists, and the windows ":within N unit" and
 *	  ":ago FROM TO unit".
 */
#include "rule/ast.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

/* ---- an independent view of the tree ---- */

typedef struct Sx
{
	char		buf[4096];
	size_t		len;
} Sx;

static void
sx_put(Sx *s, const char *t)
{
	size_t		n = strlen(t);

	if (s->len + n < sizeof(s->buf))
	{
		memcpy(s->buf + s->len, t, n + 1);
		s->len += n;
	}
}

static const char *const units[] = {"?", "days", "weeks", "months"};

static void sx_node(Sx *s, const RuleNode *n);

static void
sx_agg(Sx *s, const RuleAggregate *a)
{
	static const char *const aggs[] = {"?", "count", "countd", "sum", "avg", "min", "max",
		"first", "last", "exists"};
	char		num[64];

	sx_put(s, " (");
	sx_put(s, aggs[a->kind]);
	sx_put(s, " [");
	sx_put(s, a->source);
	sx_put(s, "]");
	if (a->column)
	{
		sx_put(s, ".[");
		sx_put(s, a->column);
		sx_put(s, "]");
	}
	if (a->filter)
	{
		sx_put(s, " :where ");
		sx_node(s, a->filter);
	}
	if (a->window == RULE_WINDOW_WITHIN)
		snprintf(num, sizeof(num), " :within %d %s", (int) a->from, units[a->unit]);
	else if (a->window == RULE_WINDOW_AGO)
		snprintf(num, sizeof(num), " :ago %d %d %s", (int) a->from, (int) a->to, units[a->unit]);
	else
		num[0] = '\0';
	sx_put(s, num);
	sx_put(s, ")");
}

static void
sx_node(Sx *s, const RuleNode *n)
{
	static const char *const kinds[] = {"?", "and", "or", "not", "cmp", "in", "between",
		"isnull", "like", "ilike", "icueq", "contains", "any", "all", "within", "bool",
	"exists", "matches", "starts", "ends"};
	static const char *const ops[] = {"?", "=", "<>", "<", "<=", ">", ">="};
	static const char *const lk[] = {"?", "s:", "n:", "b:", "null"};

	sx_put(s, "(");
	sx_put(s, kinds[n->kind]);
	if (n->negated)
		sx_put(s, "!");
	if (n->kind == RULE_CMP)
	{
		sx_put(s, " ");
		sx_put(s, ops[n->op]);
	}
	if (n->kind == RULE_WITHIN)
	{
		sx_put(s, " ");
		sx_put(s, units[n->unit]);
	}
	if (n->agg)
		sx_agg(s, n->agg);
	for (int i = 0; i < n->path.nparts; i++)
	{
		sx_put(s, i ? "." : " ");
		sx_put(s, "[");
		sx_put(s, n->path.parts[i]);
		sx_put(s, "]");
	}
	for (int i = 0; i < n->nlits; i++)
	{
		sx_put(s, " ");
		sx_put(s, lk[n->lits[i].kind]);
		if (n->lits[i].kind != RULE_LIT_NULL)
			sx_put(s, n->lits[i].text);
	}
	if (n->locale)
	{
		sx_put(s, " @");
		sx_put(s, n->locale);
	}
	for (int i = 0; i < n->nargs; i++)
	{
		sx_put(s, " ");
		sx_node(s, n->args[i]);
	}
	sx_put(s, ")");
}

static const char *
sx(const RuleNode *n, Sx *s)
{
	s->len = 0;
	s->buf[0] = '\0';
	sx_node(s, n);
	return s->buf;
}

/* text for a test name: control characters as \xNN, cut at 60 bytes */
static const char *
esc(const char *s)
{
	static char buf[8][256];
	static int	k;
	char	   *b = buf[k++ % 8];
	size_t		n = 0;

	for (; *s && n < 240; s++)
	{
		if ((unsigned char) *s < 0x20)
			n += snprintf(b + n, 256 - n, "\\x%02x", (unsigned char) *s);
		else
			b[n++] = *s;
		if (n > 60)
		{
			memcpy(b + n, "...", 4);
			return b;
		}
	}
	b[n] = '\0';
	return b;
}

static RuleNode *
parse(const char *text, CoreError *err)
{
	return rule_parse(text, strlen(text), err);
}

/* ---- grammar: input, tree, canonical text ---- */

typedef struct Case
{
	const char *in;
	const char *tree;
	const char *canon;
} Case;

static const Case cases[] = {
	{"country = 'DE'", "(cmp = [country] s:DE)", "country = 'DE'"},
	{"Country='DE'", "(cmp = [country] s:DE)", "country = 'DE'"},
	{"age<>30", "(cmp <> [age] n:30)", "age <> 30"},
	{"age != 30", "(cmp <> [age] n:30)", "age <> 30"},
	{"age < -3.5", "(cmp < [age] n:-3.5)", "age < -3.5"},
	{"age <= +7", "(cmp <= [age] n:7)", "age <= 7"},
	{"age > 1E3", "(cmp > [age] n:1e3)", "age > 1e3"},
	{"age >= .5e-2", "(cmp >= [age] n:.5e-2)", "age >= .5e-2"},
	{"age >= 5.", "(cmp >= [age] n:5.)", "age >= 5."},
	{"x = - 4", "(cmp = [x] n:-4)", "x = -4"},
	{"paid = TRUE", "(cmp = [paid] b:true)", "paid = true"},
	{"paid = false", "(cmp = [paid] b:false)", "paid = false"},
	{"x = NULL", "(cmp = [x] null)", "x = null"},
	{"name = 'O''Brien'", "(cmp = [name] s:O'Brien)", "name = 'O''Brien'"},
	{"name = ''", "(cmp = [name] s:)", "name = ''"},
	{"name = 'back\\slash'", "(cmp = [name] s:back\\slash)", "name = 'back\\slash'"},
	{"name = 'M\xc3\xbcnchen'", "(cmp = [name] s:M\xc3\xbcnchen)", "name = 'M\xc3\xbcnchen'"},
	{"country in ('DE', 'AT')", "(in [country] s:DE s:AT)", "country in ('DE', 'AT')"},
	{"country IN('DE')", "(in [country] s:DE)", "country in ('DE')"},
	{"age not in (1,2 , null)", "(in! [age] n:1 n:2 null)", "age not in (1, 2, null)"},
	{"age between 25 and 54", "(between [age] n:25 n:54)", "age between 25 and 54"},
	{"age NOT BETWEEN -1 AND 2", "(between! [age] n:-1 n:2)", "age not between -1 and 2"},
	{"age is null", "(isnull [age])", "age is null"},
	{"age IS NOT NULL", "(isnull! [age])", "age is not null"},
	{"email like '%@x.com'", "(like [email] s:%@x.com)", "email like '%@x.com'"},
	{"email not like 'a%'", "(like! [email] s:a%)", "email not like 'a%'"},
	{"email ilike '%@GMAIL.com'", "(ilike [email] s:%@GMAIL.com)", "email ilike '%@GMAIL.com'"},
	{"email not ilike 'x' collate 'tr'", "(ilike! [email] s:x @tr)", "email not ilike 'x' collate 'tr'"},
	{"city ~= 'munchen'", "(icueq [city] s:munchen)", "city ~= 'munchen'"},
	{"city~='munchen' COLLATE 'de-DE'", "(icueq [city] s:munchen @de-DE)", "city ~= 'munchen' collate 'de-DE'"},
	{"tags contains 'vip'", "(contains [tags] s:vip)", "tags contains 'vip'"},
	{"tags contains any ('a', 'b')", "(any [tags] s:a s:b)", "tags contains any ('a', 'b')"},
	{"tags CONTAINS ALL ('a')", "(all [tags] s:a)", "tags contains all ('a')"},
	{"last_order_at within 30 days", "(within days [last_order_at] n:30)", "last_order_at within 30 days"},
	{"t within 1 day", "(within days [t] n:1)", "t within 1 day"},
	{"t within 007 Weeks", "(within weeks [t] n:7)", "t within 7 weeks"},
	{"t within 0 month", "(within months [t] n:0)", "t within 0 months"},
	{"t within 2147483647 months", "(within months [t] n:2147483647)", "t within 2147483647 months"},
	{"unsubscribed", "(bool [unsubscribed])", "unsubscribed"},
	{"not unsubscribed", "(not (bool [unsubscribed]))", "not unsubscribed"},
	{"properties.plan = 'pro'", "(cmp = [properties].[plan] s:pro)", "properties.plan = 'pro'"},
	{"a . b . c", "(bool [a].[b].[c])", "a.b.c"},
	{"\"Weird Name\" = 1", "(cmp = [Weird Name] n:1)", "\"Weird Name\" = 1"},
	{"\"say \"\"hi\"\"\" is null", "(isnull [say \"hi\"])", "\"say \"\"hi\"\"\" is null"},
	{"\"in\" = 1", "(cmp = [in] n:1)", "\"in\" = 1"},
	{"\"lower\" = 1", "(cmp = [lower] n:1)", "lower = 1"},
	{"profile.in = 1", "(cmp = [profile].[in] n:1)", "profile.\"in\" = 1"},
	{"days > 3 and any and all", "(and (cmp > [days] n:3) (bool [any]) (bool [all]))", "days > 3 and any and all"},
	{"\xc3\xa4ge > 1", "(cmp > [\xc3\xa4ge] n:1)", "\"\xc3\xa4ge\" > 1"},
	{"col$1 = 1", "(cmp = [col$1] n:1)", "\"col$1\" = 1"},
	{"_x1 = 1", "(cmp = [_x1] n:1)", "_x1 = 1"},
	/* boolean structure and SQL precedence */
	{"a and b", "(and (bool [a]) (bool [b]))", "a and b"},
	{"a or b and c", "(or (bool [a]) (and (bool [b]) (bool [c])))", "a or b and c"},
	{"a and b or c", "(or (and (bool [a]) (bool [b])) (bool [c]))", "a and b or c"},
	{"(a or b) and c", "(and (or (bool [a]) (bool [b])) (bool [c]))", "(a or b) and c"},
	{"not a and b", "(and (not (bool [a])) (bool [b]))", "not a and b"},
	{"not (a and b)", "(not (and (bool [a]) (bool [b])))", "not (a and b)"},
	{"not not a", "(not (not (bool [a])))", "not not a"},
	{"not (not (a))", "(not (not (bool [a])))", "not not a"},
	{"a and (b and c) and d", "(and (bool [a]) (bool [b]) (bool [c]) (bool [d]))", "a and b and c and d"},
	{"(a or b) or (c or d)", "(or (bool [a]) (bool [b]) (bool [c]) (bool [d]))", "a or b or c or d"},
	{"((((a))))", "(bool [a])", "a"},
	{"x between 1 and 2 and y", "(and (between [x] n:1 n:2) (bool [y]))", "x between 1 and 2 and y"},
	{"not x in (1) or y is null", "(or (not (in [x] n:1)) (isnull [y]))", "not x in (1) or y is null"},
	{"a -- a comment\n and b -- another", "(and (bool [a]) (bool [b]))", "a and b"},
	{"\t a \n\r\f\v", "(bool [a])", "a"},
	{"country in ('DE', 'AT') and plan <> 'free' and not unsubscribed",
		"(and (in [country] s:DE s:AT) (cmp <> [plan] s:free) (not (bool [unsubscribed])))",
	"country in ('DE', 'AT') and plan <> 'free' and not unsubscribed"},
	{"last_order_at within 30 days and (tags contains 'vip' or monetary > 1000)",
		"(and (within days [last_order_at] n:30) (or (contains [tags] s:vip) (cmp > [monetary] n:1000)))",
	"last_order_at within 30 days and (tags contains 'vip' or monetary > 1000)"},
	/* behavioural conditions: the examples of doc/rules.md */
	{"count(orders where status = 'paid' within 30 days) >= 3",
		"(cmp >= (count [orders] :where (cmp = [status] s:paid) :within 30 days) n:3)",
	"count(orders where status = 'paid' within 30 days) >= 3"},
	{"sum(orders.amount within 90 days) > 500",
		"(cmp > (sum [orders].[amount] :within 90 days) n:500)",
	"sum(orders.amount within 90 days) > 500"},
	{"count(distinct orders.category within 365 days) >= 3",
		"(cmp >= (countd [orders].[category] :within 365 days) n:3)",
	"count(distinct orders.category within 365 days) >= 3"},
	{"exists(events where name = 'cart_add' within 2 days)",
		"(exists (exists [events] :where (cmp = [name] s:cart_add) :within 2 days))",
	"exists(events where name = 'cart_add' within 2 days)"},
	{"not exists(orders within 2 days)", "(not (exists (exists [orders] :within 2 days)))",
	"not exists(orders within 2 days)"},
	{"first(orders.ordered_at) within 30 days", "(within days (first [orders].[ordered_at]) n:30)",
	"first(orders.ordered_at) within 30 days"},
	{"count(orders between 210 and 30 days ago) = 0", "(cmp = (count [orders] :ago 210 30 days) n:0)",
	"count(orders between 210 and 30 days ago) = 0"},
	{"name matches '^a.*z$'", "(matches [name] s:^a.*z$)", "name matches '^a.*z$'"},
	{"name not matches 'x'", "(matches! [name] s:x)", "name not matches 'x'"},
	{"email ends with '@gmail.com'", "(ends [email] s:@gmail.com)", "email ends with '@gmail.com'"},
	{"sku starts with 'AB'", "(starts [sku] s:AB)", "sku starts with 'AB'"},
	/* spelling: case, spaces, units, leading zeros */
	{"COUNT ( Orders WHERE Status='paid' WITHIN 030 Day ) >= 3",
		"(cmp >= (count [orders] :where (cmp = [status] s:paid) :within 30 days) n:3)",
	"count(orders where status = 'paid' within 30 days) >= 3"},
	{"Count(Distinct O.C) > 1", "(cmp > (countd [o].[c]) n:1)", "count(distinct o.c) > 1"},
	{"count(o within 1 days) > 0", "(cmp > (count [o] :within 1 days) n:0)", "count(o within 1 day) > 0"},
	{"count(o within 0 week) > 0", "(cmp > (count [o] :within 0 weeks) n:0)", "count(o within 0 weeks) > 0"},
	{"count(o within 2147483647 months) > 0", "(cmp > (count [o] :within 2147483647 months) n:0)",
	"count(o within 2147483647 months) > 0"},
	{"count(o between 2147483647 and 0 weeks ago) > 0", "(cmp > (count [o] :ago 2147483647 0 weeks) n:0)",
	"count(o between 2147483647 and 0 weeks ago) > 0"},
	{"count(o between 1 and 1 days ago) > 0", "(cmp > (count [o] :ago 1 1 days) n:0)",
	"count(o between 1 and 1 day ago) > 0"},
	{"count(o between 2 and 1 day ago) > 0", "(cmp > (count [o] :ago 2 1 days) n:0)",
	"count(o between 2 and 1 days ago) > 0"},
	{"count(o between 007 and 00 MONTH AGO) > 0", "(cmp > (count [o] :ago 7 0 months) n:0)",
	"count(o between 7 and 0 months ago) > 0"},
	/* every aggregate, every tail */
	{"count(orders.coupon) > 0", "(cmp > (count [orders].[coupon]) n:0)", "count(orders.coupon) > 0"},
	{"avg(o.amount) between 10 and 20", "(between (avg [o].[amount]) n:10 n:20)", "avg(o.amount) between 10 and 20"},
	{"min(o.amount) is null", "(isnull (min [o].[amount]))", "min(o.amount) is null"},
	{"max(o.amount) not in (1, 2)", "(in! (max [o].[amount]) n:1 n:2)", "max(o.amount) not in (1, 2)"},
	{"last(o.status) = 'paid'", "(cmp = (last [o].[status]) s:paid)", "last(o.status) = 'paid'"},
	{"last(o.city) not ilike 'm%' collate 'de'", "(ilike! (last [o].[city]) s:m% @de)",
	"last(o.city) not ilike 'm%' collate 'de'"},
	{"last(o.city) ~= 'munchen'", "(icueq (last [o].[city]) s:munchen)", "last(o.city) ~= 'munchen'"},
	{"first(o.tags) contains any ('a')", "(any (first [o].[tags]) s:a)", "first(o.tags) contains any ('a')"},
	{"last(o.sku) not matches '^X'", "(matches! (last [o].[sku]) s:^X)", "last(o.sku) not matches '^X'"},
	{"last(o.sku) starts with 'AB'", "(starts (last [o].[sku]) s:AB)", "last(o.sku) starts with 'AB'"},
	{"count(o) > 1 and not exists(r) or x", "(or (and (cmp > (count [o]) n:1) (not (exists (exists [r])))) (bool [x]))",
	"count(o) > 1 and not exists(r) or x"},
	{"(count(o) > 1 and a) and b", "(and (cmp > (count [o]) n:1) (bool [a]) (bool [b]))", "count(o) > 1 and a and b"},
	{"count(o where a = 1 or b = 2) >= 1", "(cmp >= (count [o] :where (or (cmp = [a] n:1) (cmp = [b] n:2))) n:1)",
	"count(o where a = 1 or b = 2) >= 1"},
	{"count(o where ((a = 1))) >= 1", "(cmp >= (count [o] :where (cmp = [a] n:1)) n:1)", "count(o where a = 1) >= 1"},
	/* the filter swallows what it can parse; the printer parenthesises it before a window */
	{"count(e where (flag) within 2 days) > 0", "(cmp > (count [e] :where (bool [flag]) :within 2 days) n:0)",
	"count(e where (flag) within 2 days) > 0"},
	{"count(e where a = 1 and flag within 2 days) > 0",
		"(cmp > (count [e] :where (and (cmp = [a] n:1) (within days [flag] n:2))) n:0)",
	"count(e where a = 1 and flag within 2 days) > 0"},
	{"count(e where a = 1 and (flag) within 2 days) > 0",
		"(cmp > (count [e] :where (and (cmp = [a] n:1) (bool [flag])) :within 2 days) n:0)",
	"count(e where (a = 1 and flag) within 2 days) > 0"},
	{"count(e where (not flag) between 3 and 1 days ago) > 0",
		"(cmp > (count [e] :where (not (bool [flag])) :ago 3 1 days) n:0)",
	"count(e where (not flag) between 3 and 1 days ago) > 0"},
	{"count(e where a and (b or flag) within 2 days) > 0",
		"(cmp > (count [e] :where (and (bool [a]) (or (bool [b]) (bool [flag]))) :within 2 days) n:0)",
	"count(e where (a and (b or flag)) within 2 days) > 0"},
	{"count(e where flag or b = 1 within 2 days) > 0",
		"(cmp > (count [e] :where (or (bool [flag]) (cmp = [b] n:1)) :within 2 days) n:0)",
	"count(e where flag or b = 1 within 2 days) > 0"},
	{"count(e where (flag)) > 0", "(cmp > (count [e] :where (bool [flag])) n:0)", "count(e where flag) > 0"},
	{"count(e where a between 1 and 2 between 3 and 1 days ago) > 0",
		"(cmp > (count [e] :where (between [a] n:1 n:2) :ago 3 1 days) n:0)",
	"count(e where a between 1 and 2 between 3 and 1 days ago) > 0"},
	{"count(e.x where y within 1 day) is null", "(isnull (count [e].[x] :where (within days [y] n:1)))",
	"count(e.x where y within 1 day) is null"},
	/* the new words are keywords only in their places: columns, sources and event columns keep them */
	{"count = 1", "(cmp = [count] n:1)", "count = 1"},
	{"matches = 'x'", "(cmp = [matches] s:x)", "matches = 'x'"},
	{"distinct > 2", "(cmp > [distinct] n:2)", "distinct > 2"},
	{"where = 1", "(cmp = [where] n:1)", "where = 1"},
	{"ago = 2", "(cmp = [ago] n:2)", "ago = 2"},
	{"starts = 1", "(cmp = [starts] n:1)", "starts = 1"},
	{"ends is null and with = 1", "(and (isnull [ends]) (cmp = [with] n:1))", "ends is null and with = 1"},
	{"exists and count or sum", "(or (and (bool [exists]) (bool [count])) (bool [sum]))", "exists and count or sum"},
	{"count.x = 1 and first.y > 2", "(and (cmp = [count].[x] n:1) (cmp > [first].[y] n:2))", "count.x = 1 and first.y > 2"},
	{"matches matches 'x'", "(matches [matches] s:x)", "matches matches 'x'"},
	{"starts starts with 's'", "(starts [starts] s:s)", "starts starts with 's'"},
	{"count(where where where = 1) > 0", "(cmp > (count [where] :where (cmp = [where] n:1)) n:0)",
	"count(where where where = 1) > 0"},
	{"count(ago.ago where ago = 1 between 2 and 1 days ago) > 0",
		"(cmp > (count [ago].[ago] :where (cmp = [ago] n:1) :ago 2 1 days) n:0)",
	"count(ago.ago where ago = 1 between 2 and 1 days ago) > 0"},
	{"count(\"distinct\") > 1", "(cmp > (count [distinct]) n:1)", "count(\"distinct\") > 1"},
	{"count(distinct \"distinct\".x) > 1", "(cmp > (countd [distinct].[x]) n:1)", "count(distinct distinct.x) > 1"},
	{"sum(distinct.x) > 1", "(cmp > (sum [distinct].[x]) n:1)", "sum(distinct.x) > 1"},
	{"sum(\"Orders\".\"in\") > 1", "(cmp > (sum [Orders].[in]) n:1)", "sum(\"Orders\".\"in\") > 1"},
	{"count(o.within within 1 day) > 0", "(cmp > (count [o].[within] :within 1 days) n:0)",
	"count(o.\"within\" within 1 day) > 0"},
	{"exists(\"Weird Name\")", "(exists (exists [Weird Name]))", "exists(\"Weird Name\")"},
};

static void
test_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		CoreError	err = {0};
		RuleNode   *n = parse(cases[i].in, &err);
		Sx			s1,
					s2;

		if (n == NULL)
		{
			CHECK(false, "parse %s: %s (%s)", esc(cases[i].in), CORE_TEXT(err.message), CORE_TEXT(err.detail));
			core_error_free(&err);
			continue;
		}
		CHECK(strcmp(sx(n, &s1), cases[i].tree) == 0, "tree of %s", esc(cases[i].in));
		if (strcmp(s1.buf, cases[i].tree) != 0)
			printf("# got      %s\n# expected %s\n", s1.buf, cases[i].tree);
		{
			char	   *p = rule_print(n);
			RuleNode   *back;

			CHECK(strcmp(p, cases[i].canon) == 0, "canonical text of %s", esc(cases[i].in));
			if (strcmp(p, cases[i].canon) != 0)
				printf("# got      %s\n# expected %s\n", p, cases[i].canon);
			back = parse(p, &err);
			CHECK(back && strcmp(sx(back, &s2), s1.buf) == 0, "parse(print(x)) == x for %s", esc(cases[i].in));
			rule_free(back);
			core_free(p);
		}
		rule_free(n);
	}
}

/* ---- locations ---- */

static void
test_locations(void)
{
	CoreError	err = {0};
	RuleNode   *n = parse("a = 1 and  not b in ('x', 'y')", &err);

	CHECK(n && n->location == 0 && n->args[0]->location == 0 &&
		  n->args[0]->lits[0].location == 4, "locations of the first predicate");
	CHECK(n && n->args[1]->kind == RULE_NOT && n->args[1]->location == 11 &&
		  n->args[1]->args[0]->location == 15 &&
		  n->args[1]->args[0]->lits[1].location == 26, "locations of not, its predicate and a list value");
	rule_free(n);

	/* x = 1 and count(o where a = 2 within 3 days) >= 1: count at 10, a at 24 */
	n = parse("x = 1 and count(o where a = 2 within 3 days) >= 1", &err);
	CHECK(n && n->args[1]->location == 10 && n->args[1]->agg->location == 10 &&
		  n->args[1]->path.nparts == 0 && n->args[1]->lits[0].location == 48,
		  "locations of an aggregate predicate, its aggregate and its value");
	CHECK(n && n->args[1]->agg->filter->location == 24 &&
		  n->args[1]->agg->filter->lits[0].location == 28,
		  "locations inside the filter are offsets in the whole rule");
	rule_free(n);
	n = parse("not exists(e)", &err);
	CHECK(n && n->location == 0 && n->args[0]->kind == RULE_EXISTS &&
		  n->args[0]->location == 4 && n->args[0]->agg->location == 4 &&
		  n->args[0]->nlits == 0 && n->args[0]->path.nparts == 0 &&
		  n->args[0]->agg->column == NULL && n->args[0]->agg->filter == NULL &&
		  n->args[0]->agg->window == RULE_WINDOW_NONE && n->args[0]->agg->unit == 0,
		  "not exists(e): a not over an exists with no path, values, column, filter or window");
	rule_free(n);
	n = parse("count(o between 9 and 2 weeks ago) > 0", &err);
	CHECK(n && n->agg->window == RULE_WINDOW_AGO && n->agg->from == 9 && n->agg->to == 2 &&
		  n->agg->unit == RULE_UNIT_WEEKS && n->agg->kind == RULE_AGG_COUNT,
		  "a window between 9 and 2 weeks ago: from 9, to 2, unit weeks");
	rule_free(n);
}

/* ---- attributes ---- */

static void
test_attributes(void)
{
	CoreError	err = {0};
	RuleNode   *n = parse("b = 1 and (a.x > 2 or b is null or not \"C d\" or a.x = 3 or a = 1)", &err);
	int			count = 0;
	char	  **attrs = n ? rule_attributes(n, &count) : NULL;

	CHECK(count == 4 && strcmp(attrs[0], "b") == 0 && strcmp(attrs[1], "a.x") == 0 &&
		  strcmp(attrs[2], "C d") == 0 && strcmp(attrs[3], "a") == 0 && attrs[4] == NULL,
		  "rule_attributes: distinct paths in order of first appearance");
	for (int i = 0; i < count; i++)
		core_free(attrs[i]);
	core_free(attrs);
	rule_free(n);

	/* behavioural conditions name a source and its columns, not the row's attributes */
	n = parse("b = 1 and count(o.c where d = 1) > 0 and exists(e where f) and g matches 'x'"
			  " and not last(o.b) is null and b and h starts with 'a'", &err);
	attrs = n ? rule_attributes(n, &count) : NULL;
	CHECK(count == 3 && strcmp(attrs[0], "b") == 0 && strcmp(attrs[1], "g") == 0 &&
		  strcmp(attrs[2], "h") == 0 && attrs[3] == NULL,
		  "rule_attributes: nothing from aggregates, exists or their filters");
	for (int i = 0; i < count; i++)
		core_free(attrs[i]);
	core_free(attrs);
	rule_free(n);
	n = parse("exists(e)", &err);
	attrs = n ? rule_attributes(n, &count) : NULL;
	CHECK(n && count == 0 && attrs[0] == NULL, "rule_attributes of exists(e) is empty");
	core_free(attrs);
	rule_free(n);
}

/* ---- errors ---- */

typedef struct ErrCase
{
	const char *in;
	CoreErrorCode code;
	int			position;
	const char *message;		/* a substring of the message */
	const char *detail;			/* a substring of the detail, or NULL */
} ErrCase;

static const ErrCase errors[] = {
	{"", CORE_ERR_SYNTAX, 0, "syntax error at end of segment rule", "Expected an attribute name at character 1."},
	{"   ", CORE_ERR_SYNTAX, 3, "at end of segment rule", "an attribute name"},
	{"a =", CORE_ERR_SYNTAX, 3, "at end", "a value"},
	{"a = b", CORE_ERR_SYNTAX, 4, "at or near \"b\"", "a value"},
	{"country = DE", CORE_ERR_SYNTAX, 10, "at or near \"DE\"", "'quoted string'"},
	{"a = 1 b", CORE_ERR_SYNTAX, 6, "at or near \"b\"", "\"and\", \"or\" or the end of the rule"},
	{"(a = 1 b)", CORE_ERR_SYNTAX, 7, "at or near \"b\"", "\"and\", \"or\" or \")\""},
	{"(a = 1", CORE_ERR_SYNTAX, 6, "at end", "\")\""},
	{"a = 1)", CORE_ERR_SYNTAX, 5, "at or near \")\"", "has no \"(\""},
	{"a b", CORE_ERR_SYNTAX, 2, "at or near \"b\"", "an operator"},
	{"a and", CORE_ERR_SYNTAX, 5, "at end", "an attribute name"},
	{"and a", CORE_ERR_SYNTAX, 0, "at or near \"and\"", "an attribute name"},
	{"in = 1", CORE_ERR_SYNTAX, 0, "at or near \"in\"", "an attribute name"},
	{"a. = 1", CORE_ERR_SYNTAX, 3, "at or near \"=\"", "a name after"},
	{"a not = 1", CORE_ERR_SYNTAX, 6, "at or near \"=\"", "after \"not\""},
	{"a in 1", CORE_ERR_SYNTAX, 5, "at or near \"1\"", "\"(\""},
	{"a in ()", CORE_ERR_SYNTAX, 6, "at or near \")\"", "a value"},
	{"a in (1 2)", CORE_ERR_SYNTAX, 8, "at or near \"2\"", "\",\" or \")\""},
	{"a in (1,", CORE_ERR_SYNTAX, 8, "at end", "a value"},
	{"a between 1 or 2", CORE_ERR_SYNTAX, 12, "at or near \"or\"", "\"and\" and the upper bound"},
	{"a is 1", CORE_ERR_SYNTAX, 5, "at or near \"1\"", "\"null\" or \"not null\""},
	{"a is not 1", CORE_ERR_SYNTAX, 9, "at or near \"1\"", "\"null\""},
	{"a contains any 'x'", CORE_ERR_SYNTAX, 15, "at or near \"'x'\"", "\"(\""},
	{"a within days", CORE_ERR_SYNTAX, 9, "at or near \"days\"", "whole number"},
	{"a within 1.5 days", CORE_ERR_SYNTAX, 9, "at or near \"1.5\"", "whole number"},
	{"a within -1 days", CORE_ERR_SYNTAX, 9, "at or near \"-\"", "whole number"},
	{"a within 3 years", CORE_ERR_SYNTAX, 11, "at or near \"years\"", "days, weeks or months"},
	{"a within 2147483648 days", CORE_ERR_OUT_OF_RANGE, 9, "within count 2147483648 is out of range", NULL},
	{"a ~= 'x' collate tr", CORE_ERR_SYNTAX, 17, "at or near \"tr\"", "ICU locale"},
	{"a ~= 'x' collate 'a b'", CORE_ERR_INVALID_PARAMETER, 17, "invalid locale 'a b'", NULL},
	{"a ~= 'x' collate ''", CORE_ERR_INVALID_PARAMETER, 17, "invalid locale", NULL},
	{"a like 'x' collate 'de'", CORE_ERR_SYNTAX, 11, "at or near \"collate\"", NULL},
	{"a = -'x'", CORE_ERR_SYNTAX, 5, "at or near \"'x'\"", "a number after the sign"},
	{"a = 'abc", CORE_ERR_SYNTAX, 4, "unterminated quoted string", "opening at character 5"},
	{"\"abc = 1", CORE_ERR_SYNTAX, 0, "unterminated quoted identifier", NULL},
	{"\"\" = 1", CORE_ERR_SYNTAX, 0, "zero-length quoted identifier", NULL},
	{"a = 30days", CORE_ERR_SYNTAX, 4, "trailing junk after numeric literal at or near \"30days\"", NULL},
	{"a = 1.2.3", CORE_ERR_SYNTAX, 4, "trailing junk", NULL},
	{"a = #", CORE_ERR_SYNTAX, 4, "unexpected character \"#\"", NULL},
	{"a ! 1", CORE_ERR_SYNTAX, 2, "unexpected character \"!\"", NULL},
	{"a = 1 \x01", CORE_ERR_SYNTAX, 6, "invalid byte 0x01", NULL},
	{"a.b.c.d.e.f.g.h.i = 1", CORE_ERR_PROGRAM_LIMIT, 16, "attribute path is too long", "at most 8 parts"},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = 1", CORE_ERR_PROGRAM_LIMIT, 0,
	"is too long in segment rule", "at most 63 bytes; this one has 64"},
	/* behavioural conditions */
	{"count(orders)", CORE_ERR_SYNTAX, 13, "at end", "Expected a comparison after count(...) at character 14, as in count(orders) >= 1."},
	{"count(orders) and a", CORE_ERR_SYNTAX, 14, "at or near \"and\"", "a comparison after count(...)"},
	{"sum(orders) > 1", CORE_ERR_SYNTAX, 10, "at or near \")\"", "sum needs an event column, as in sum(orders.amount)"},
	{"avg(o where a = 1) > 1", CORE_ERR_SYNTAX, 6, "at or near \"where\"", "avg needs an event column"},
	{"first(o) within 3 days", CORE_ERR_SYNTAX, 7, "at or near \")\"", "first needs an event column"},
	{"count(distinct o) > 1", CORE_ERR_SYNTAX, 16, "at or near \")\"", "count(distinct ...) needs an event column"},
	{"exists(o.x)", CORE_ERR_SYNTAX, 8, "at or near \".\"", "exists takes no event column"},
	{"count(e where count(f) > 1) > 0", CORE_ERR_SYNTAX, 14, "behavioural conditions cannot be nested", "character 15"},
	{"count(e where not exists(f)) > 0", CORE_ERR_SYNTAX, 18, "behavioural conditions cannot be nested", NULL},
	{"exists(e where a or (b and sum(f.x) > 1))", CORE_ERR_SYNTAX, 27, "behavioural conditions cannot be nested", NULL},
	{"count(e between 30 and 210 days ago) > 0", CORE_ERR_INVALID_PARAMETER, 16,
	"window between 30 and 210 days ago ends before it starts", "may not be less than the second"},
	{"count(e within 2147483648 days) > 0", CORE_ERR_OUT_OF_RANGE, 15, "within count 2147483648 is out of range", NULL},
	{"count(e between 2147483648 and 1 days ago) > 0", CORE_ERR_OUT_OF_RANGE, 16, "window count 2147483648 is out of range", NULL},
	{"count(e between 5 and 2147483648 days ago) > 0", CORE_ERR_OUT_OF_RANGE, 22, "window count 2147483648 is out of range", NULL},
	{"count(e where a) within 2147483648 days", CORE_ERR_OUT_OF_RANGE, 24, "within count 2147483648 is out of range", NULL},
	{"count(e within 3 years) > 0", CORE_ERR_SYNTAX, 17, "at or near \"years\"", "days, weeks or months"},
	{"count(e between 3 and 1 days) > 0", CORE_ERR_SYNTAX, 28, "at or near \")\"", "Expected \"ago\""},
	{"count(e between 3 or 1 days ago) > 0", CORE_ERR_SYNTAX, 18, "at or near \"or\"", "\"and\" and the nearer end"},
	{"count(e within -1 days) > 0", CORE_ERR_SYNTAX, 15, "at or near \"-\"", "whole number"},
	{"count(e where flag within 2 days)", CORE_ERR_SYNTAX, 33, "at end", "a comparison after count(...)"},
	{"count(e where not flag between 3 and 1 days ago) > 0", CORE_ERR_SYNTAX, 39, "at or near \"days\"",
	"Expected \"and\", \"or\", \"within\", \"between\" or \")\""},
	{"count(e x) > 0", CORE_ERR_SYNTAX, 8, "at or near \"x\"", "Expected \".\", \"where\", \"within\", \"between\" or \")\""},
	{"exists(e x)", CORE_ERR_SYNTAX, 9, "at or near \"x\"", "Expected \"where\", \"within\", \"between\" or \")\""},
	{"count() > 0", CORE_ERR_SYNTAX, 6, "at or near \")\"", "the name of an event source"},
	{"count(in) > 0", CORE_ERR_SYNTAX, 6, "at or near \"in\"", "the name of an event source"},
	{"count(distinct) > 0", CORE_ERR_SYNTAX, 14, "at or near \")\"", "the name of an event source"},
	{"count(e.) > 0", CORE_ERR_SYNTAX, 8, "at or near \")\"", "an event column after"},
	{"count(e where) > 0", CORE_ERR_SYNTAX, 13, "at or near \")\"", "an attribute name"},
	{"count(e within 3 days where a) > 0", CORE_ERR_SYNTAX, 22, "at or near \"where\"", "Expected \")\""},
	{"exists(", CORE_ERR_SYNTAX, 7, "at end", "the name of an event source"},
	{"count(e", CORE_ERR_SYNTAX, 7, "at end", "Expected \".\", \"where\""},
	{"count(e > 1", CORE_ERR_SYNTAX, 8, "at or near \">\"", "Expected \".\", \"where\""},
	{"exists(e) = 1", CORE_ERR_SYNTAX, 10, "at or near \"=\"", "\"and\", \"or\" or the end of the rule"},
	/* matches, starts with, ends with */
	{"x matches 1", CORE_ERR_SYNTAX, 10, "at or near \"1\"", "a regular expression in single quotes"},
	{"x matches y", CORE_ERR_SYNTAX, 10, "at or near \"y\"", "a regular expression in single quotes"},
	{"x not matches", CORE_ERR_SYNTAX, 13, "at end", "a regular expression in single quotes"},
	{"x starts 'a'", CORE_ERR_SYNTAX, 9, "at or near \"'a'\"", "\"with\" after \"starts\""},
	{"x ends 'a'", CORE_ERR_SYNTAX, 7, "at or near \"'a'\"", "\"with\" after \"ends\""},
	{"x ends with 5", CORE_ERR_SYNTAX, 12, "at or near \"5\"", "text in single quotes"},
	{"x starts with null", CORE_ERR_SYNTAX, 14, "at or near \"null\"", "text in single quotes"},
	{"x not starts with 'a'", CORE_ERR_SYNTAX, 6, "at or near \"starts\"", "after \"not\""},
	{"x starts with 'a' collate 'de'", CORE_ERR_SYNTAX, 18, "at or near \"collate\"", "\"and\", \"or\" or the end"},
	{"x matches 'a' 'b'", CORE_ERR_SYNTAX, 14, "at or near \"'b'\"", NULL},
	/* a long non-ASCII name is shown whole */
	{"\"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
		"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
		"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
		"\xc3\xbc\xc3\xbc\" = 1", CORE_ERR_PROGRAM_LIMIT, 0,
		"name \"\"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
		"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
		"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
		"\xc3\xbc\xc3\xbc\"\" is too long",
	"this one has 64"},
	/* positions are 1-based characters: "b" is byte 10, character 9 */
	{"\xc3\xbc = '\xc3\xa4' b", CORE_ERR_SYNTAX, 10, "at or near \"b\"", "the end of the rule at character 9."},
	{"\xc3\xbc\xc3\xbc = 'x", CORE_ERR_SYNTAX, 7, "unterminated quoted string", "opening at character 6 "},
	{"\xe2\x82\xac = 1 #", CORE_ERR_SYNTAX, 8, "unexpected character \"#\"", "(character 7)"},
};

static void
test_errors(void)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
	{
		CoreError	err = {0};
		RuleNode   *n = parse(errors[i].in, &err);
		bool		ok = n == NULL && err.code == errors[i].code &&
			err.position == errors[i].position &&
			strstr(CORE_TEXT(err.message), errors[i].message) != NULL &&
			(errors[i].detail == NULL || strstr(CORE_TEXT(err.detail), errors[i].detail) != NULL);

		CHECK(ok, "error for %s", esc(errors[i].in));
		if (!ok)
			printf("# code %d position %d: %s | %s\n", n ? -1 : (int) err.code,
				   err.position, CORE_TEXT(err.message), CORE_TEXT(err.detail));
		rule_free(n);
		core_error_free(&err);
	}
}

/*
 * Nothing is cut: a long token appears whole in the message and the hint,
 * however long the text grows (the texts used to be 256-byte buffers, and
 * the token an excerpt of 40 bytes).
 */
static void
test_whole(void)
{
	CoreError	err = {0};
	size_t		n = 3000;
	char	   *lit = malloc(n + 3);
	char	   *rule = malloc(n + 64);
	char	   *word = malloc(n + 1);
	char	   *want = malloc(n + 64);

	/* a string literal where "and" or "or" was expected */
	lit[0] = '\'';
	for (size_t i = 1; i <= n; i++)
		lit[i] = "abcdefghij"[i % 10];
	lit[n + 1] = '\'';
	lit[n + 2] = '\0';
	snprintf(rule, n + 64, "a = 1 %s", lit);
	snprintf(want, n + 64, "syntax error at or near \"%s\" in segment rule", lit);
	CHECK(parse(rule, &err) == NULL && strcmp(CORE_TEXT(err.message), want) == 0 &&
		  strlen(CORE_TEXT(err.message)) > 3000,
		  "a 3002-byte literal appears whole in the message (%zu bytes)",
		  strlen(CORE_TEXT(err.message)));
	CHECK(err.message.args[0] != NULL && strcmp(err.message.args[0], lit) == 0 &&
		  strcmp(err.message.fmt, "syntax error at or near \"%s\" in segment rule") == 0,
		  "the message keeps its untranslated format and the literal as its argument");
	core_error_free(&err);

	/* an unquoted word of the longest a name may be (63 bytes, once cut at 40) */
	for (size_t i = 0; i < n; i++)
		word[i] = "klmnopqrst"[i % 10];
	word[63] = '\0';
	snprintf(rule, n + 64, "country = %s", word);
	snprintf(want, n + 64, "Text values take single quotes, as in SQL: '%s'.", word);
	CHECK(parse(rule, &err) == NULL && strcmp(CORE_TEXT(err.hint), want) == 0,
		  "a 63-byte word appears whole in the hint (%s)", CORE_TEXT(err.hint));
	core_error_free(&err);
	word[63] = "klmnopqrst"[63 % 10];
	word[n] = '\0';

	/* a name too long: whole, with the count of bytes */
	snprintf(rule, n + 64, "%s = 1", word);
	snprintf(want, n + 64, "name \"%s\" is too long in segment rule", word);
	CHECK(parse(rule, &err) == NULL && strcmp(CORE_TEXT(err.message), want) == 0 &&
		  strstr(CORE_TEXT(err.detail), "this one has 3000 (character 1)") != NULL,
		  "a 3000-byte name appears whole in the message (%s)", CORE_TEXT(err.detail));
	core_error_free(&err);
	free(lit);
	free(rule);
	free(word);
	free(want);
}

/* character positions against byte offsets, at every offset of a rule */
static void
test_char_positions(void)
{
	/* 1 + 2 + 3 + 4 bytes: a, ü, €, 𝄞 */
	const char *t = "a\xc3\xbc\xe2\x82\xac\xf0\x9d\x84\x9e";
	size_t		len = strlen(t);
	static const long expect[] = {1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5};
	bool		ok = true;

	for (size_t off = 0; off <= len; off++)
		ok &= core_char_position(t, len, off) == expect[off];
	CHECK(ok && core_char_position(t, len, len + 5) == 5,
		  "byte offsets map to 1-based character positions");
}

/* the hint for an unquoted text value */
static void
test_hint(void)
{
	CoreError	err = {0};

	CHECK(parse("country = \"DE\"", &err) == NULL && strstr(CORE_TEXT(err.hint), "'DE'") != NULL,
		  "a double-quoted value gets a hint to use single quotes");
	core_error_free(&err);
	CHECK(parse("country = de", &err) == NULL && strstr(CORE_TEXT(err.hint), "'de'") != NULL,
		  "a bare word value gets a hint to use single quotes");
	core_error_free(&err);
	CHECK(parse("x matches 1", &err) == NULL && strstr(CORE_TEXT(err.hint), "'^a.*z$'") != NULL,
		  "a pattern that is not a string gets a hint with an example");
	core_error_free(&err);
	CHECK(parse("count(e between 30 and 210 days ago) > 0", &err) == NULL &&
		  strstr(CORE_TEXT(err.hint), "between 210 and 30 days ago") != NULL,
		  "a window between a smaller and a larger count gets a hint with them swapped");
	core_error_free(&err);
	CHECK(parse("count(e where exists(f)) > 0", &err) == NULL && err.hint.text != NULL,
		  "a nested behavioural condition gets a hint");
	core_error_free(&err);
}

/* ---- limits that need big inputs ---- */

static char *
repeat(const char *head, const char *unit, int n, const char *tail)
{
	size_t		hl = strlen(head),
				ul = strlen(unit),
				tl = strlen(tail);
	char	   *s = malloc(hl + ul * n + tl + 1);
	char	   *p = s;

	memcpy(p, head, hl);
	p += hl;
	for (int i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

static void
test_limits(void)
{
	CoreError	err = {0};
	char	   *s;
	RuleNode   *n;

	/* 99 nots: tree depth 100, allowed; 100 nots: depth 101 */
	s = repeat("", "not ", 99, "a");
	n = parse(s, &err);
	CHECK(n != NULL, "99 nested nots parse (tree depth 100)");
	rule_free(n);
	free(s);
	s = repeat("", "not ", 100, "a");
	n = parse(s, &err);
	CHECK(n == NULL && err.code == CORE_ERR_TOO_DEEP && err.position == 400,
		  "100 nested nots: too deep at the innermost predicate (%d)", err.position);
	core_error_free(&err);
	free(s);
	/* 101 parentheses: the parser's own nesting limit */
	s = repeat("", "(", 101, "a");
	n = parse(s, &err);
	CHECK(n == NULL && err.code == CORE_ERR_TOO_DEEP && err.position == 100,
		  "101 open parentheses: too deep at the 101st (%d)", err.position);
	core_error_free(&err);
	free(s);
	/* 100 parentheses around one predicate: tree depth 1 */
	{
		char	   *open = repeat("", "(", 100, "a"),
				   *all = repeat(open, ")", 100, "");

		n = parse(all, &err);
		CHECK(n != NULL && n->kind == RULE_BOOL_ATTR, "100 parentheses around a predicate parse");
		rule_free(n);
		free(open);
		free(all);
	}
	/* alternating and/or through parentheses: tree depth grows by one per level */
	{
		char		buf[4096] = "";

		for (int i = 0; i < 100; i++)
			strcat(buf, i % 2 ? "a and (" : "a or (");
		strcat(buf, "a");
		for (int i = 0; i < 100; i++)
			strcat(buf, ")");
		n = parse(buf, &err);
		CHECK(n == NULL && err.code == CORE_ERR_TOO_DEEP, "a tree 101 levels deep is too deep");
		core_error_free(&err);
	}
	/* the filter of an aggregate hangs below its predicate */
	s = repeat("", "not ", 98, "count(e where a) > 0");
	n = parse(s, &err);
	CHECK(n != NULL, "98 nots over an aggregate with a filter parse (filter at depth 100)");
	rule_free(n);
	free(s);
	s = repeat("", "not ", 99, "count(e where a) > 0");
	n = parse(s, &err);
	CHECK(n == NULL && err.code == CORE_ERR_TOO_DEEP && err.position == 410,
		  "99 nots over an aggregate with a filter: too deep at the filter (%d)", err.position);
	core_error_free(&err);
	free(s);
	s = repeat("count(e where ", "not ", 98, "a) > 0");
	n = parse(s, &err);
	CHECK(n != NULL, "98 nots in a filter parse (its predicate at depth 100)");
	rule_free(n);
	free(s);
	s = repeat("count(e where ", "not ", 99, "a) > 0");
	n = parse(s, &err);
	CHECK(n == NULL && err.code == CORE_ERR_TOO_DEEP && err.position == 410,
		  "99 nots in a filter: too deep at its predicate (%d)", err.position);
	core_error_free(&err);
	free(s);
	{
		char	   *head = repeat("", "not ", 50, "exists(e where "),
				   *ok = repeat(head, "not ", 48, "a)"),
				   *deep = repeat(head, "not ", 49, "a)");

		n = parse(ok, &err);
		CHECK(n != NULL, "50 nots, exists, 48 nots in its filter: depth 100");
		rule_free(n);
		n = parse(deep, &err);
		CHECK(n == NULL && err.code == CORE_ERR_TOO_DEEP && err.position == 411,
			  "50 nots, exists, 49 nots in its filter: too deep (%d)", err.position);
		core_error_free(&err);
		free(head);
		free(ok);
		free(deep);
	}
	{
		char	   *open = repeat("count(e where ", "(", 99, "a"),
				   *all = repeat(open, ")", 99, ") > 0"),
				   *open2 = repeat("count(e where ", "(", 100, "a"),
				   *all2 = repeat(open2, ")", 100, ") > 0");

		n = parse(all, &err);
		CHECK(n != NULL, "an aggregate's parenthesis and 99 more nest 100 deep");
		rule_free(n);
		n = parse(all2, &err);
		CHECK(n == NULL && err.code == CORE_ERR_TOO_DEEP && err.position == 113,
			  "an aggregate's parenthesis and 100 more: too deep at the 100th (%d)", err.position);
		core_error_free(&err);
		free(open);
		free(all);
		free(open2);
		free(all2);
	}
	/* lists */
	s = repeat("a in (0", ",1", 999, ")");
	n = parse(s, &err);
	CHECK(n != NULL && n->nlits == 1000, "a list of 1000 values parses");
	rule_free(n);
	free(s);
	s = repeat("a in (0", ",1", 1000, ")");
	n = parse(s, &err);
	CHECK(n == NULL && err.code == CORE_ERR_PROGRAM_LIMIT && err.position == 2006,
		  "a list of 1001 values is too long, at the 1001st (%d)", err.position);
	core_error_free(&err);
	free(s);
	/* text size: the input, and the canonical text */
	s = repeat("a = '", "x", RULE_MAX_TEXT - 6, "'");
	n = parse(s, &err);
	CHECK(n != NULL, "a rule of exactly %d bytes parses", RULE_MAX_TEXT);
	rule_free(n);
	free(s);
	s = repeat("a = '", "x", RULE_MAX_TEXT - 5, "'");
	n = parse(s, &err);
	CHECK(n == NULL && err.code == CORE_ERR_PROGRAM_LIMIT && strstr(CORE_TEXT(err.message), "too long"),
		  "a rule of %d bytes is too long", RULE_MAX_TEXT + 1);
	core_error_free(&err);
	free(s);
	s = repeat("a=1", " or a=1", (RULE_MAX_TEXT - 3) / 7, "");
	n = parse(s, &err);
	CHECK(n == NULL && err.code == CORE_ERR_PROGRAM_LIMIT && strstr(CORE_TEXT(err.detail), "canonical"),
		  "a rule whose canonical text passes the limit is too long");
	core_error_free(&err);
	free(s);
}

int
main(void)
{
	test_cases();
	test_locations();
	test_attributes();
	test_errors();
	test_whole();
	test_char_positions();
	test_hint();
	test_limits();
	return unit_done();
}
