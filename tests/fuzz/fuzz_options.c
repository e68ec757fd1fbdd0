/*
 * fuzz_options.c: a hostile command line -> the option parser
 * (cmd/options.c), including the domain names it turns into A-labels. The
 * input is split into argv words at NUL and newline bytes. The parser must
 * never exit() and never write to the real terminal: its two streams go to
 * a memory buffer here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "options.h"

#define MAX_WORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	char *argv[MAX_WORDS + 2];
	int argc = 0;
	argv[argc++] = "dmarc-doctor";
	char *w = copy;
	for (size_t i = 0; i <= size && argc <= MAX_WORDS; i++) {
		if (i == size || copy[i] == '\n' || copy[i] == '\0') {
			copy[i] = '\0';
			argv[argc++] = w;
			w = copy + i + 1;
		}
	}
	argv[argc] = NULL;

	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct dd_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	dd_options_parse(argc, argv, &cfg, out, out);
	dd_config_finish(&cfg);
	fclose(out);
	free(text);
	free(copy);
	return 0;
}
