/*
 * result.c: one domain's result, and dd_judge(): every check's judgement,
 * the DNS-failure accounting and the advisor, in that order.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/evidence.h"
#include "dd/util.h"

extern const struct dd_check dd_check_evidence;

/* At most this many dns.temporary-failure findings name a lookup each;
 * the rest are counted in one more, so a dead server does not bury the output. */
#define MAX_LISTED_FAILURES 8

static const struct dd_text more_failures = {
	"{1} more lookups failed as well; their results are unknown.",
	"ほかに {1} 件の問い合わせも失敗しました。結果は不明です。",
};
static const struct dd_text more_failures_fix = {
	"Run the check again; if lookups keep failing, fix the name servers (see --verbose for "
	"every lookup).",
	"もう一度実行してください。失敗が続く場合はネームサーバを修正してください (--verbose "
	"ですべての問い合わせを表示します)。",
};

struct dd_result *dd_result_create(const char *domain, const char *display)
{
	struct dd_result *r = xcalloc(1, sizeof(*r));
	r->domain = xstrdup(domain);
	r->display = xstrdup(display ? display : domain);
	return r;
}

void dd_result_destroy(struct dd_result *r)
{
	if (!r)
		return;
	dd_spf_info_finish(&r->spf);
	dd_dmarc_info_finish(&r->dmarc);
	dd_dkim_info_finish(&r->dkim);
	dd_mx_info_finish(&r->mx);
	dd_mta_sts_info_finish(&r->mta_sts);
	dd_tls_rpt_info_finish(&r->tls_rpt);
	dd_bimi_info_finish(&r->bimi);
	dd_dnssec_info_finish(&r->dnssec);
	dd_dane_info_finish(&r->dane);
	dd_findings_finish(&r->findings);
	dd_advice_finish(&r->advice);
	dd_evidence_destroy(r->evidence);
	dd_posture_destroy(r->posture);
	free(r->domain);
	free(r->display);
	dd_words_finish(&r->error);
	free(r);
}

bool dd_result_is_non_sending(const struct dd_result *r)
{
	bool no_mail_in = r->mx.null_mx || r->mx.state == DD_STATE_MISSING;
	if (!no_mail_in || r->spf.state != DD_STATE_FOUND || !r->spf.record)
		return false;
	/* "v=spf1" then only "-all", with any spacing (RFC 7208 §4.6.1) */
	const char *s = r->spf.record + 6;
	while (*s == ' ')
		s++;
	if (!dd_strncaseeq(s, "-all", 4))
		return false;
	for (s += 4; *s == ' '; s++)
		;
	return *s == '\0';
}

/*
 * Every failed lookup becomes a dns.temporary-failure finding. When no
 * lookup at all got an answer, the domain could not be judged.
 */
static void account_failures(const struct dd_posture *p, struct dd_result *r)
{
	size_t failed = 0, answered = 0;
	const struct dd_answer *first_failure = NULL;
	uint32_t evidence_only = 0;
	for (size_t i = 0; i < dd_nchecks; i++)
		if (dd_checks[i] == &dd_check_evidence)
			evidence_only = 1u << i;
	for (size_t i = 0; i < p->nqueries; i++) {
		const struct dd_answer *a = p->queries[i].answer;
		/* The obsolete SPF type (99) is probed only for a hint (RFC 7208 §3.1),
		 * and some servers fail questions for it: that says nothing about the domain. */
		if (!a || p->queries[i].type == DD_RR_SPF)
			continue;
		/* The DNSSEC and DANE lookups (DS, DNSKEY up to the trust anchor,
		 * TLSA) say how far the answers can be trusted, not what the records
		 * are; checks/dnssec.c reports their failures (dnssec.undetermined). */
		if (dd_dnssec_own_type(p->queries[i].type))
			continue;
		/* Reverse DNS of report sources only names senders: many addresses
		 * have none, and a failure there leaves the domain's judgement whole. */
		if (p->queries[i].askers == evidence_only)
			continue;
		if (!dd_dns_status_is_failure(a->status)) {
			answered++;
			continue;
		}
		if (!first_failure)
			first_failure = a;
		if (++failed > MAX_LISTED_FAILURES)
			continue;
		struct dd_finding *f = dd_findings_add(
		        &r->findings, "dns.temporary-failure", p->queries[i].name,
		        dd_rrtype_name(p->queries[i].type), dd_dns_status_name(a->status), NULL);
		dd_finding_from_query(f, p, i);
	}
	if (failed > MAX_LISTED_FAILURES) {
		char count[24];
		snprintf(count, sizeof(count), "%zu", failed - MAX_LISTED_FAILURES);
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "dns.temporary-failure", count, NULL);
		f->message = &more_failures;
		f->fix = &more_failures_fix;
	}
	r->undetermined = failed > 0;
	if (failed > 0 && answered == 0) {
		r->status = DD_RESULT_ERROR;
		const char *status = dd_dns_status_name(first_failure->status);
		dd_words_set(&r->error, xasprintf("every DNS lookup failed (%s)", status),
		             xasprintf("すべての DNS 問い合わせに失敗しました (%s)", status));
	}
}

void dd_judge(struct dd_result *r, struct dd_posture *p)
{
	r->posture = p;
	for (size_t i = 0; i < dd_nchecks; i++)
		dd_checks[i]->judge(p, r);
	account_failures(p, r);
	dd_note_offline(p, r);
	dd_anchor_findings(p, r);
	if (r->status == DD_RESULT_OK)
		dd_advise(r, &r->advice);
}

void dd_advice_add_step(struct dd_advice *a, const struct dd_text *text, ...)
{
	a->steps = xrealloc(a->steps, (a->nsteps + 1) * sizeof(*a->steps));
	struct dd_step *s = &a->steps[a->nsteps++];
	memset(s, 0, sizeof(*s));
	s->text = text;
	va_list ap;
	va_start(ap, text);
	for (size_t i = 0; i < DD_FINDING_MAXARGS; i++) {
		const char *arg = va_arg(ap, const char *);
		if (!arg)
			break;
		s->args[i] = xstrdup(arg);
	}
	va_end(ap);
}

char *dd_step_format(const struct dd_step *s, enum dd_lang lang)
{
	return dd_text_format(s->text, lang, s->args, DD_FINDING_MAXARGS);
}

void dd_advice_finish(struct dd_advice *a)
{
	for (size_t i = 0; i < a->nblockers; i++)
		free(a->blockers[i]);
	free(a->blockers);
	for (size_t i = 0; i < a->nsteps; i++)
		for (size_t j = 0; j < DD_FINDING_MAXARGS; j++)
			free(a->steps[i].args[j]);
	for (size_t j = 0; j < DD_FINDING_MAXARGS; j++)
		free(a->ready_why.args[j]);
	free(a->steps);
	free(a->record);
	free(a->record_name);
	memset(a, 0, sizeof(*a));
}

const char *dd_stage_name(enum dd_stage s)
{
	switch (s) {
	case DD_STAGE_MISSING: return "missing";
	case DD_STAGE_NONE: return "none";
	case DD_STAGE_QUARANTINE: return "quarantine";
	case DD_STAGE_REJECT: return "reject";
	case DD_STAGE_UNKNOWN: return "unknown";
	}
	return "unknown";
}
