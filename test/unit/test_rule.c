/*
 * test_rule.c
 *	  Unit tests of the segment rule parser and printer: the tree each
 *	  construct parses to (written as an S-expression by a dumper that is
 *	  independent of rule_print), SQL precedence, the canonical text of each
 *	  case, parse(print(x)) == x, the attributes a rule names, and every
 *	  error with its code and byte position.
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

static void
sx_node(Sx *s, const RuleNode *n)
{
	static const char *const kinds[] = {"?", "and", "or", "not", "cmp", "in", "between",
		"isnull", "like", "ilike", "icueq", "contains", "any", "all", "within", "bool"};
	static const char *const ops[] = {"?", "=", "<>", "<", "<=", ">", ">="};
	static const char *const units[] = {"?", "days", "weeks", "months"};
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
};

static void
test_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		CoreError	err;
		RuleNode   *n = parse(cases[i].in, &err);
		Sx			s1,
					s2;

		if (n == NULL)
		{
			CHECK(false, "parse %s: %s (%s)", esc(cases[i].in), err.message, err.detail);
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
	CoreError	err;
	RuleNode   *n = parse("a = 1 and  not b in ('x', 'y')", &err);

	CHECK(n && n->location == 0 && n->args[0]->location == 0 &&
		  n->args[0]->lits[0].location == 4, "locations of the first predicate");
	CHECK(n && n->args[1]->kind == RULE_NOT && n->args[1]->location == 11 &&
		  n->args[1]->args[0]->location == 15 &&
		  n->args[1]->args[0]->lits[1].location == 26, "locations of not, its predicate and a list value");
	rule_free(n);
}

/* ---- attributes ---- */

static void
test_attributes(void)
{
	CoreError	err;
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
	{"", CORE_ERR_SYNTAX, 0, "syntax error at end of segment rule", "Expected an attribute name at offset 0."},
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
	{"a = 'abc", CORE_ERR_SYNTAX, 4, "unterminated quoted string", "opening at offset 4"},
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
	/* a long non-ASCII name is shown, cut before a whole character */
	{"\"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
		"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
		"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
		"\xc3\xbc\xc3\xbc\" = 1", CORE_ERR_PROGRAM_LIMIT, 0,
		"name \"\"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
		"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc...\" is too long",
	"this one has 64"},
};

static void
test_errors(void)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
	{
		CoreError	err;
		RuleNode   *n = parse(errors[i].in, &err);
		bool		ok = n == NULL && err.code == errors[i].code &&
			err.position == errors[i].position &&
			strstr(err.message, errors[i].message) != NULL &&
			(errors[i].detail == NULL || strstr(err.detail, errors[i].detail) != NULL);

		CHECK(ok, "error for %s", esc(errors[i].in));
		if (!ok)
			printf("# code %d position %d: %s | %s\n", n ? -1 : (int) err.code,
				   err.position, err.message, err.detail);
		rule_free(n);
	}
}

/* the hint for an unquoted text value */
static void
test_hint(void)
{
	CoreError	err;

	CHECK(parse("country = \"DE\"", &err) == NULL && strstr(err.hint, "'DE'") != NULL,
		  "a double-quoted value gets a hint to use single quotes");
	CHECK(parse("country = de", &err) == NULL && strstr(err.hint, "'de'") != NULL,
		  "a bare word value gets a hint to use single quotes");
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
	CoreError	err;
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
	free(s);
	/* 101 parentheses: the parser's own nesting limit */
	s = repeat("", "(", 101, "a");
	n = parse(s, &err);
	CHECK(n == NULL && err.code == CORE_ERR_TOO_DEEP && err.position == 100,
		  "101 open parentheses: too deep at the 101st (%d)", err.position);
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
	free(s);
	/* text size: the input, and the canonical text */
	s = repeat("a = '", "x", RULE_MAX_TEXT - 6, "'");
	n = parse(s, &err);
	CHECK(n != NULL, "a rule of exactly %d bytes parses", RULE_MAX_TEXT);
	rule_free(n);
	free(s);
	s = repeat("a = '", "x", RULE_MAX_TEXT - 5, "'");
	n = parse(s, &err);
	CHECK(n == NULL && err.code == CORE_ERR_PROGRAM_LIMIT && strstr(err.message, "too long"),
		  "a rule of %d bytes is too long", RULE_MAX_TEXT + 1);
	free(s);
	s = repeat("a=1", " or a=1", (RULE_MAX_TEXT - 3) / 7, "");
	n = parse(s, &err);
	CHECK(n == NULL && err.code == CORE_ERR_PROGRAM_LIMIT && strstr(err.detail, "canonical"),
		  "a rule whose canonical text passes the limit is too long");
	free(s);
}

int
main(void)
{
	test_cases();
	test_locations();
	test_attributes();
	test_errors();
	test_hint();
	test_limits();
	return unit_done();
}
