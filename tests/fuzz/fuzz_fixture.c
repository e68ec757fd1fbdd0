/*
 * fuzz_fixture.c: a fixture file -> the fixture resolver's parser, then a
 * few questions to it (the zone-like data of tests must never crash us).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "dd/resolver.h"

static void ignore(void *arg, struct dd_answer *ans)
{
	(void)arg;
	dd_answer_unref(ans);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	char *err = NULL;
	struct dd_resolver *r = dd_resolver_fixture_create_from_string(text, "fuzz", &err);
	free(text);
	free(err);
	if (!r)
		return 0;
	dd_resolver_query(r, "example.com", DD_RR_TXT, ignore, NULL);
	dd_resolver_query(r, "_dmarc.example.com", DD_RR_TXT, ignore, NULL);
	dd_resolver_query(r, "a.b.example.com", DD_RR_MX, ignore, NULL);
	dd_resolver_process(r, 0);
	dd_resolver_destroy(r);
	return 0;
}
