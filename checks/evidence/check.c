/*
 * check.c: the report evidence as a check of the registry. wants() asks the
 * reverse DNS (PTR) of the busiest source addresses of the domain's report
 * rows that DKIM and SPF do not already trace to a service (at most
 * MAX_PTR), so the gather engine asks them with every other question,
 * concurrently and cached; judge() builds the evidence (evidence.c) and its
 * findings. The DKIM check probes the selectors the reports show.
 *
 * Judges: senders not aligned (a blocker), spoofing volume, forwarded mail,
 * too little data, and a policy the reporters saw that differs from what
 * DNS publishes now. Does nothing for a domain without reports: its advice
 * is that of the DNS alone.
 * Ignores: --offline asks no PTR (sources stay /24 and /48 unless DKIM or
 * SPF name them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evidence_int.h"
#include "dd/util.h"

/* At most this many source addresses get a PTR question per domain. */
#define MAX_PTR 24

struct ip_count {
	const char *ip;
	uint64_t n;
};

static int by_n_desc(const void *a, const void *b)
{
	const struct ip_count *x = a, *y = b;
	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->ip, y->ip);
}

static bool in_window(const struct dd_posture *p, const struct dd_report *r)
{
	const struct dd_check_options *o = p->opts;
	if (!o || o->reports_to <= o->reports_from)
		return true;
	return r->end >= o->reports_from && r->begin <= o->reports_to;
}

static void evidence_wants(const struct dd_posture *p, struct dd_wants *out)
{
	const struct dd_report_set *set = p->reports;
	if (!set || (p->opts && p->opts->offline))
		return;
	struct ip_count *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < set->n; i++) {
		const struct dd_report *r = set->v[i];
		if (!in_window(p, r))
			continue;
		for (size_t k = 0; k < r->nrows; k++) {
			const struct dd_report_row *row = &r->rows[k];
			if (!ev_row_concerns(row, p->domain))
				continue;
			if (ev_row_identified(row)) /* DKIM or SPF names it already */
				continue;
			size_t j = 0;
			while (j < n && strcmp(v[j].ip, row->source_ip) != 0)
				j++;
			if (j == n) {
				if (n >= 4096)
					continue;
				v = xgrow(v, &cap, n + 1, sizeof(*v));
				v[n++] = (struct ip_count){ row->source_ip, 0 };
			}
			v[j].n += row->count;
		}
	}
	if (n) /* qsort(NULL, 0, ...) is undefined */
		qsort(v, n, sizeof(*v), by_n_desc);
	for (size_t i = 0; i < n && i < MAX_PTR; i++) {
		char name[DD_NAME_MAX + 1];
		if (dd_ptr_name(v[i].ip, name, sizeof(name)))
			dd_wants_add(out, name, DD_RR_PTR);
	}
	free(v);
}

/* The first PTR name of an address, from the posture. */
static const char *ptr_of(const void *ctx, const char *ip)
{
	const struct dd_posture *p = ctx;
	char name[DD_NAME_MAX + 1];
	if (!dd_ptr_name(ip, name, sizeof(name)))
		return NULL;
	const struct dd_answer *a = dd_posture_answer(p, name, DD_RR_PTR);
	if (!a || a->status != DD_DNS_OK || a->nrrs == 0)
		return NULL;
	return a->rrs[0].data;
}

static const char *published_policy(const struct dd_result *r)
{
	if (r->dmarc.state != DD_STATE_FOUND)
		return NULL;
	switch (r->dmarc.policy) {
	case DD_POLICY_NONE: return "none";
	case DD_POLICY_QUARANTINE: return "quarantine";
	case DD_POLICY_REJECT: return "reject";
	default: return NULL;
	}
}

static void num(char *out, size_t outsz, uint64_t n)
{
	snprintf(out, outsz, "%llu", (unsigned long long)n);
}

/* Up to three senders of one class, busiest first: "203.0.113.0/24 (40), ...". */
static char *names_of(const struct dd_evidence *e, enum dd_sender_class c)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	size_t k = 0;
	for (size_t i = 0; i < e->nsenders; i++) {
		const struct dd_evidence_sender *s = &e->senders[i];
		if (s->cls != c)
			continue;
		if (k++ == 3) {
			dd_strbuf_adds(&b, ", ...");
			break;
		}
		dd_strbuf_addf(&b, "%s%s (%llu)", b.len ? ", " : "", s->name,
		               (unsigned long long)s->messages);
	}
	return dd_strbuf_own(&b);
}

static void policy_mismatch(const struct dd_evidence *e, const struct dd_result *r,
                            struct dd_result *out)
{
	const char *now = published_policy(r);
	bool now_t = r->dmarc.state == DD_STATE_FOUND && r->dmarc.t == 'y';
	if (!e->seen_policy || !now)
		return;
	if (strcmp(e->seen_policy, now) == 0 && e->seen_testing == now_t)
		return;
	char seen[64], pub[64], when[32];
	snprintf(seen, sizeof(seen), "p=%s%s", e->seen_policy, e->seen_testing ? "; t=y" : "");
	snprintf(pub, sizeof(pub), "p=%s%s", now, now_t ? "; t=y" : "");
	time_t t = (time_t)e->seen_at;
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d", &tm);
	else
		snprintf(when, sizeof(when), "?");
	dd_findings_add(&out->findings, "reports.policy-mismatch", r->domain, seen, pub, when,
	                NULL);
}

static void evidence_judge(const struct dd_posture *p, struct dd_result *r)
{
	if (!p->reports)
		return;
	const struct dd_check_options *o = p->opts;
	struct dd_evidence_input in = {
		.domain = p->domain,
		.from = o && o->reports_to > o->reports_from ? o->reports_from : INT64_MIN / 2,
		.to = o && o->reports_to > o->reports_from ? o->reports_to : INT64_MAX / 2,
		.org_domain = o ? o->psl_org_domain : NULL,
		.org_ctx = o ? o->psl_ctx : NULL,
		.domain_org = r->dmarc.org_domain,
		.ptr = ptr_of,
		.ptr_ctx = p,
		.published_policy = published_policy(r),
		.published_testing = r->dmarc.t == 'y',
	};
	struct dd_evidence *e = dd_evidence_build(p->reports, &in);
	if (!e)
		return;
	r->evidence = e;
	char a[4][160];
	if (!e->enough) {
		snprintf(a[0], sizeof(a[0]), "%u", e->days);
		snprintf(a[1], sizeof(a[1]), "%zu", e->reporters);
		num(a[2], sizeof(a[2]), e->messages);
		dd_findings_add(&r->findings, "reports.insufficient", r->domain, a[0], a[1], a[2],
		                NULL);
	}
	for (size_t i = 0; i < e->nsenders; i++) {
		const struct dd_evidence_sender *s = &e->senders[i];
		if (s->cls != DD_CLASS_FIXABLE)
			continue;
		char name[DD_NAME_MAX + 80];
		snprintf(name, sizeof(name), "%s%s%s", s->name, s->subdomain ? " @" : "",
		         s->subdomain ? s->subdomain : "");
		num(a[0], sizeof(a[0]), s->by_class[DD_CLASS_FIXABLE]);
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "reports.sender-not-aligned",
		                        s->subdomain ? s->subdomain : r->domain, name, a[0],
		                        s->fix_detail ? s->fix_detail : "-", NULL);
		if (s->service)
			f->fix = &s->service->fix;
		if (!s->blocks)
			f->severity = DD_SEV_INFO; /* too little to block the next step */
	}
	if (e->by_class[DD_CLASS_UNAUTHENTICATED]) {
		char *top = names_of(e, DD_CLASS_UNAUTHENTICATED);
		num(a[0], sizeof(a[0]), e->by_class[DD_CLASS_UNAUTHENTICATED]);
		snprintf(a[1], sizeof(a[1]), "%.1f%%",
		         100.0 * (double)e->by_class[DD_CLASS_UNAUTHENTICATED] /
		                 (double)e->messages);
		dd_findings_add(&r->findings, "reports.unauthenticated", r->domain, a[0], a[1], top,
		                NULL);
		free(top);
	}
	if (e->by_class[DD_CLASS_FORWARDED]) {
		char *top = names_of(e, DD_CLASS_FORWARDED);
		num(a[0], sizeof(a[0]), e->by_class[DD_CLASS_FORWARDED]);
		dd_findings_add(&r->findings, "reports.forwarded", r->domain, a[0], top, NULL);
		free(top);
	}
	policy_mismatch(e, r, r);
}

const struct dd_check dd_check_evidence = {
	.name = "reports", /* named as its findings (reports.*) */
	.wants = evidence_wants,
	.follow = NULL,
	.judge = evidence_judge,
};
