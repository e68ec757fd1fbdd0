/*
 * zone_findings.c: what a run over proposed zone files (--zone) adds to a
 * domain's result.
 *
 * dns.offline: with --offline, names outside the zone files are answered
 * "unknown" (never "missing"). One info finding names them, so the reader
 * knows that SPF lookup counts are lower bounds and that, say, a DMARC record
 * above the zone apex could not be seen. It never fails the gate.
 *
 * Anchoring: a CI annotation needs a file and a line. Findings about one
 * record already carry its line (dd_finding_locate); a finding about no
 * single record - no DMARC record, a lookup that failed - of a domain that a
 * zone file holds points at that domain's first line in the file, or, for a
 * name the zone does not hold, at its SOA record: where the record belongs.
 */
#include <stdio.h>
#include <string.h>

#include "dd/check.h"
#include "dd/util.h"

#define LISTED_NAMES 5

void dd_note_offline(const struct dd_posture *p, struct dd_result *r)
{
	size_t count = 0;
	struct dd_strbuf names;
	dd_strbuf_init(&names);
	for (size_t i = 0; i < p->nqueries; i++) {
		const struct dd_answer *a = p->queries[i].answer;
		if (!a || a->status != DD_DNS_UNKNOWN)
			continue;
		/* the name not asked is where the CNAMEs led, not the name asked */
		const char *name = dd_answer_owner(a);
		bool listed = false;
		for (size_t k = 0; k < i && !listed; k++) {
			const struct dd_answer *b = p->queries[k].answer;
			listed = b && b->status == DD_DNS_UNKNOWN &&
			         strcmp(dd_answer_owner(b), name) == 0;
		}
		if (listed)
			continue;
		if (count < LISTED_NAMES) {
			if (count)
				dd_strbuf_adds(&names, ", ");
			dd_strbuf_adds(&names, name);
		} else if (count == LISTED_NAMES) {
			dd_strbuf_adds(&names, ", ...");
		}
		count++;
	}
	if (count) {
		char n[24];
		snprintf(n, sizeof(n), "%zu", count);
		dd_findings_add(&r->findings, "dns.offline", n, names.s, NULL);
	}
	dd_strbuf_finish(&names);
}

void dd_anchor_findings(const struct dd_posture *p, struct dd_result *r)
{
	const struct dd_answer *a = dd_posture_answer(p, p->domain, DD_RR_TXT);
	if (!a || a->source != DD_SOURCE_ZONE)
		a = dd_posture_answer(p, p->domain, DD_RR_MX);
	if (!a || a->source != DD_SOURCE_ZONE || !a->file)
		return;
	for (size_t i = 0; i < r->findings.n; i++) {
		struct dd_finding *f = &r->findings.v[i];
		if (f->file)
			continue;
		f->file = a->file;
		f->line = a->line ? a->line : 1;
	}
}
