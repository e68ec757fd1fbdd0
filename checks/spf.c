/*
 * spf.c: the SPF record of a domain (RFC 7208).
 *
 * Judges: whether the domain publishes exactly one "v=spf1" TXT record
 * (RFC 7208 §4.5), its text (strings joined with no separator, §3.3).
 * A failed TXT lookup leaves SPF undetermined, never missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/util.h"

/* RFC 7208 §4.5: "v=spf1" (ABNF literals are case-insensitive) then SP or end. */
bool dd_spf_is_record(const char *txt, size_t len)
{
	if (!dd_memcaseprefix(txt, len, "v=spf1"))
		return false;
	return len == 6 || txt[6] == ' ';
}

static void spf_wants(const struct dd_posture *p, struct dd_wants *out)
{
	dd_wants_add(out, p->domain, DD_RR_TXT);
}

static void spf_judge(const struct dd_posture *p, struct dd_result *r)
{
	struct dd_spf_info *info = &r->spf;
	long qi = dd_posture_find(p, p->domain, DD_RR_TXT);
	const struct dd_answer *ans = qi < 0 ? NULL : p->queries[qi].answer;
	if (!ans || ans->status == DD_DNS_UNKNOWN) {
		info->state = DD_STATE_UNKNOWN;
		return;
	}
	if (dd_dns_status_is_failure(ans->status)) {
		info->state = DD_STATE_UNDETERMINED;
		return;
	}
	size_t nspf = 0;
	const struct dd_rr *first = NULL;
	for (size_t i = 0; i < ans->nrrs; i++) {
		if (!dd_spf_is_record(ans->rrs[i].data, ans->rrs[i].len))
			continue;
		if (nspf++ == 0)
			first = &ans->rrs[i];
	}
	if (nspf == 0) {
		info->state = DD_STATE_MISSING;
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "spf.missing", p->domain, NULL);
		dd_finding_from_query(f, p, (size_t)qi);
		dd_finding_locate(f, ans, NULL);
		return;
	}
	info->state = DD_STATE_FOUND;
	if (nspf > 1) {
		char count[24];
		snprintf(count, sizeof(count), "%zu", nspf);
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "spf.multiple", p->domain, count, NULL);
		dd_finding_from_query(f, p, (size_t)qi);
		dd_finding_locate(f, ans, first);
		return;
	}
	info->record = xstrndup(first->data, first->len);
	info->record_len = first->len;
	if (ans->source == DD_SOURCE_ZONE) {
		info->file = ans->file;
		info->line = first->line;
	}
}

const struct dd_check dd_check_spf = {
	.name = "spf",
	.wants = spf_wants,
	.follow = NULL,
	.judge = spf_judge,
};

void dd_spf_info_finish(struct dd_spf_info *info)
{
	free(info->record);
	memset(info, 0, sizeof(*info));
}
