/*
 * fuzz_lines.c: a hostile domain list (-f FILE) -> the line reader
 * (cmd/lines.c) and every line it returns -> dd_domain_from_input(), the
 * UTS #46 mapping and name checks that argv domains go through too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lines.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	struct dd_line_reader *r = calloc(1, sizeof(*r));
	r->file = f;
	char *line;
	const struct dd_text *bad;
	unsigned long last = 0;
	while (dd_line_next(r, &line, &bad) == DD_LINE_OK) {
		if (r->line_no <= last) /* the line number only grows */
			abort();
		last = r->line_no;
		if (strlen(line) > DD_LINE_MAX)
			abort();
		if (!bad) {
			struct dd_words why = { 0 };
			char *name = dd_domain_from_input(line, &why);
			if (!name && (!why.en || !why.ja))
				abort(); /* a refusal always says why, in each language */
			dd_words_finish(&why);
			free(name);
		}
	}
	fclose(f);
	free(r);
	return 0;
}
