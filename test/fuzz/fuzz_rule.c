/*
 * fuzz_rule.c
 *	  libFuzzer targets for the segment rule core, built outside the server
 *	  against the same source files (src/rule/*.c but the glue):
 *
 *	  -DFUZZ_PARSE	the input is rule text: rule_parse must return a tree or
 *					an error; a tree must print, parse back and flatten to the
 *					same bytes, and decode from its flat form to the same text.
 *	  -DFUZZ_DECODE	the input is a flattened rule: rule_decode must return a
 *					tree or an error; a tree must flatten back to exactly the
 *					input (one byte sequence per rule) and its text must parse
 *					to the same tree.
 *
 *	  A broken invariant aborts, which libFuzzer reports like a crash; so do
 *	  AddressSanitizer, UBSan and LeakSanitizer.  Without libFuzzer, link with
 *	  fuzz_main.c, a deterministic mutation loop with the same entry point.
 */
#include "rule/ast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const char *text)
{
	fprintf(stderr, "invariant broken: %s\n%s\n", what, text ? text : "");
	abort();
}

/* tree -> flat -> tree -> text, and text -> tree -> flat, agree */
static void
check_tree(const RuleNode *tree, const void *flat_in, size_t flat_in_len)
{
	CoreError	err;
	size_t		len,
				len2;
	void	   *flat = rule_flatten(tree, &len);
	char	   *text = rule_print(tree);
	RuleNode   *back = rule_parse(text, strlen(text), &err);
	RuleNode   *dec;
	void	   *flat2;
	char	   *text2;
	int			count;
	char	  **attrs;

	if (flat_in && (len != flat_in_len || memcmp(flat, flat_in, len) != 0))
		fail("a decoded rule does not flatten back to its input", text);
	if (back == NULL)
		fail("the canonical text does not parse", text);
	flat2 = rule_flatten(back, &len2);
	if (len2 != len || memcmp(flat, flat2, len) != 0)
		fail("parse(print(x)) differs from x", text);
	dec = rule_decode(flat, len, &err);
	if (dec == NULL)
		fail("a flattened tree does not decode", text);
	text2 = rule_print(dec);
	if (strcmp(text, text2) != 0)
		fail("decode(flatten(x)) prints differently", text);
	attrs = rule_attributes(tree, &count);
	for (int i = 0; i < count; i++)
		core_free(attrs[i]);
	core_free(attrs);
	core_free(text2);
	rule_free(dec);
	core_free(flat2);
	rule_free(back);
	core_free(text);
	core_free(flat);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CoreError	err;
	RuleNode   *tree;

#if defined(FUZZ_PARSE)
	tree = rule_parse((const char *) data, size, &err);
	if (tree)
		check_tree(tree, NULL, 0);
#elif defined(FUZZ_DECODE)
	tree = rule_decode(data, size, &err);
	if (tree)
		check_tree(tree, data, size);
#else
#error "define FUZZ_PARSE or FUZZ_DECODE"
#endif
	if (tree == NULL && (err.code == CORE_OK || err.message.text == NULL))
		fail("an error without a code or a message", NULL);
	if (tree == NULL)
		core_error_free(&err);
	rule_free(tree);
	return 0;
}
