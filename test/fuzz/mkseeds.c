/*
 * mkseeds.c
 *	  Writes the flattened form of each rule text given on the command line
 *	  (files) into the directory named first, as seeds for the decode fuzzer.
 *	  usage: mkseeds OUTDIR FILE...
 */
#include "rule/ast.h"

#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	for (int i = 2; i < argc; i++)
	{
		char		text[65536];
		char		path[4096];
		FILE	   *f = fopen(argv[i], "rb");
		size_t		n,
					len;
		CoreError	err;
		RuleNode   *tree;
		void	   *flat;
		const char *base = strrchr(argv[i], '/');

		if (f == NULL)
			continue;
		n = fread(text, 1, sizeof(text), f);
		fclose(f);
		if ((tree = rule_parse(text, n, &err)) == NULL)
		{
			fprintf(stderr, "%s: %s\n", argv[i], CORE_TEXT(err.message));
			return 1;
		}
		flat = rule_flatten(tree, &len);
		snprintf(path, sizeof(path), "%s/%s.bin", argv[1], base ? base + 1 : argv[i]);
		if ((f = fopen(path, "wb")) == NULL)
			return 1;
		fwrite(flat, 1, len, f);
		fclose(f);
		core_free(flat);
		rule_free(tree);
	}
	return 0;
}
