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

/*
 * What the skipped names leave open, and the rule that says so: SPF lookup
 * counts become lower bounds (RFC 7208 §4.6.4) only when SPF names were
 * skipped; otherwise the DMARC tree walk (RFC 9989 §4.10), DKIM key
 * records (RFC 6376 §3.6.2.1) or MX targets (RFC 5321 §5.1) stay unknown.
 */
static void cite_skipped(struct dd_finding *f, uint32_t askers)
{
	static const struct dd_text no_spf = {
		"Names outside the zone files were not looked up (--offline), {1} in all: {2}; "
		"what "
		"those names hold is unknown.",
		"ゾーンファイル外の {1} 個の名前は問い合わせていません (--offline): {2}。"
		"これらの名前の内容は不明です。",
	};
	static const struct {
		const char *check, *rfc, *url;
	} cites[] = {
		{ "spf", "RFC 7208 §4.6.4",
		  "https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4" },
		{ "dmarc", "RFC 9989 §4.10",
		  "https://www.rfc-editor.org/rfc/rfc9989#section-4.10" },
		{ "dkim", "RFC 6376 §3.6.2.1",
		  "https://www.rfc-editor.org/rfc/rfc6376#section-3.6.2.1" },
		{ "mx", "RFC 5321 §5.1", "https://www.rfc-editor.org/rfc/rfc5321#section-5.1" },
	};
	bool spf = false;
	for (size_t k = 0; k < DD_ARRAY_LEN(cites); k++) {
		for (size_t i = 0; i < dd_nchecks; i++) {
			if (!(askers & (1u << i)) ||
			    strcmp(dd_checks[i]->name, cites[k].check) != 0)
				continue;
			spf |= k == 0;
			if (!f->rfc) {
				f->rfc = cites[k].rfc;
				f->rfc_url = cites[k].url;
			}
		}
	}
	if (!spf)
		f->message = &no_spf;
}

void dd_note_offline(const struct dd_posture *p, struct dd_result *r)
{
	size_t count = 0;
	uint32_t askers = 0; /* the checks whose names were skipped */
	struct dd_strbuf names;
	dd_strbuf_init(&names);
	for (size_t i = 0; i < p->nqueries; i++) {
		const struct dd_answer *a = p->queries[i].answer;
		if (!a || a->status != DD_DNS_UNKNOWN)
			continue;
		askers |= p->queries[i].askers;
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
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "dns.offline", n, names.s, NULL);
		cite_skipped(f, askers);
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
