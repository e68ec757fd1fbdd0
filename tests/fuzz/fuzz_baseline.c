/*
 * fuzz_baseline.c: a --baseline file (JSON, an array or JSON lines, as
 * --format json wrote it - or not) -> the reader (cmd/baseline.c), then
 * applied to a result of example.com with findings to match, a DMARC
 * policy to compare and an SPF count over the limit.
 */
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "fuzz.h"

static struct dd_result *a_result(void)
{
	struct dd_result *r = dd_result_create("example.com", NULL);
	struct dd_finding *f =
	        dd_findings_add(&r->findings, "spf.lookup-limit", "example.com", "12", NULL);
	dd_finding_add_chain(f, "example.com");
	dd_findings_add(&r->findings, "dmarc.policy-none", "example.com", NULL);
	f = dd_findings_add(&r->findings, "dkim.weak-key", "s._domainkey.example.com", "512", NULL);
	dd_finding_add_chain(f, "s._domainkey.example.com");
	r->dmarc.state = DD_STATE_FOUND;
	r->dmarc.policy = DD_POLICY_NONE;
	r->spf.state = DD_STATE_FOUND;
	r->spf.counted = true;
	r->spf.lookups = 12;
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* dd_baseline_parse wants the text NUL-terminated at size, as a file read gives it */
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	char *err = NULL;
	struct dd_baseline *b = dd_baseline_parse(text, size, "fuzz.json", &err);
	free(text);
	free(err);
	if (!b)
		return 0;
	struct dd_result *r = a_result();
	dd_baseline_apply(b, r);
	for (size_t i = 0; i < r->findings.n; i++)
		free(dd_finding_message(&r->findings.v[i], DD_LANG_EN));
	dd_result_destroy(r);
	dd_baseline_destroy(b);
	return 0;
}
