/*
 * mx.c: the MX view other checks share - does the domain receive mail, and
 * does it say it never will (null MX, RFC 7505)? - and the MX hosts
 * themselves: each exchange must be a name (not an address literal) with
 * A or AAAA records of its own, not an alias (RFC 5321 §5.1: "the domain
 * name ... MUST NOT be an alias"), listed once, and a null MX must be the
 * only MX record (RFC 7505 §3).
 *
 * Deliberately ignored: whether the hosts answer on port 25 (no SMTP
 * connection is made) and preference values (any order is legal).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/util.h"

static void mx_wants(const struct dd_posture *p, struct dd_wants *out)
{
	dd_wants_add(out, p->domain, DD_RR_MX);
}

/* The domain's MX answer: the address of every exchange that is a name. */
static void mx_follow(const struct dd_posture *p, size_t qi, struct dd_wants *out)
{
	const struct dd_query *q = &p->queries[qi];
	if (q->type != DD_RR_MX || q->parent >= 0 || strcmp(q->name, p->domain) != 0 ||
	    !q->answer || q->answer->status != DD_DNS_OK)
		return;
	for (size_t i = 0; i < q->answer->nrrs; i++) {
		const struct dd_rr *rr = &q->answer->rrs[i];
		if (strcmp(rr->data, ".") == 0 || dd_is_ip_literal(rr->data, rr->len))
			continue;
		dd_wants_add(out, rr->data, DD_RR_A);
		dd_wants_add(out, rr->data, DD_RR_AAAA);
	}
}

void dd_mx_info_finish(struct dd_mx_info *mx)
{
	for (size_t i = 0; i < mx->nlist; i++) {
		free(mx->hosts[i].name);
		free(mx->hosts[i].cname);
	}
	free(mx->hosts);
	memset(mx, 0, sizeof(*mx));
}

static int by_pref(const void *a, const void *b)
{
	const struct dd_mx_host *x = a, *y = b;
	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line; /* stable enough: file order */
}

/* What the A and AAAA answers say about one exchange. */
static void host_addresses(const struct dd_posture *p, struct dd_mx_host *h)
{
	const struct dd_answer *a[2] = { dd_posture_answer(p, h->name, DD_RR_A),
		                         dd_posture_answer(p, h->name, DD_RR_AAAA) };
	bool failed = false, unknown = false;
	for (int t = 0; t < 2; t++) {
		if (!a[t] || a[t]->status == DD_DNS_UNKNOWN) {
			unknown = true;
			continue;
		}
		failed |= dd_dns_status_is_failure(a[t]->status);
		if (a[t]->ncnames && !h->cname)
			h->cname = xstrdup(a[t]->cnames[0]);
		if (a[t]->status == DD_DNS_OK)
			*(t ? &h->nv6 : &h->nv4) = a[t]->nrrs;
	}
	h->addr_state = h->nv4 + h->nv6 ? DD_STATE_FOUND
	                : failed        ? DD_STATE_UNDETERMINED
	                : unknown       ? DD_STATE_UNKNOWN
	                                : DD_STATE_MISSING;
}

static struct dd_finding *host_finding(const struct dd_posture *p, struct dd_result *r,
                                       const char *id, const struct dd_answer *ans,
                                       const struct dd_rr *rr, const char *host, const char *extra)
{
	char pref[8];
	snprintf(pref, sizeof(pref), "%u", rr->pref);
	struct dd_finding *f =
	        dd_findings_add(&r->findings, id, p->domain, host, pref, extra, NULL);
	long qi = dd_posture_find(p, p->domain, DD_RR_MX);
	if (qi >= 0)
		dd_finding_from_query(f, p, (size_t)qi);
	dd_finding_locate(f, ans, rr);
	return f;
}

static void mx_judge(const struct dd_posture *p, struct dd_result *r)
{
	const struct dd_answer *ans = dd_posture_answer(p, p->domain, DD_RR_MX);
	struct dd_mx_info *mx = &r->mx;
	if (!ans || ans->status == DD_DNS_UNKNOWN) {
		mx->state = DD_STATE_UNKNOWN;
		return;
	}
	if (dd_dns_status_is_failure(ans->status)) {
		mx->state = DD_STATE_UNDETERMINED;
		return;
	}
	mx->nhosts = ans->nrrs;
	mx->state = ans->nrrs ? DD_STATE_FOUND : DD_STATE_MISSING;
	/* RFC 7505 §3: a single MX with an empty exchange ("."), preference 0 */
	mx->null_mx = ans->nrrs == 1 && strcmp(ans->rrs[0].data, ".") == 0;
	if (!ans->nrrs)
		return;

	mx->hosts = xcalloc(ans->nrrs, sizeof(*mx->hosts));
	bool has_null = false;
	for (size_t i = 0; i < ans->nrrs; i++) {
		const struct dd_rr *rr = &ans->rrs[i];
		struct dd_mx_host *h = &mx->hosts[mx->nlist++];
		char norm[DD_NAME_MAX + 1];
		h->pref = rr->pref;
		h->line = rr->line;
		h->file = rr->file ? rr->file : ans->file;
		if (strcmp(rr->data, ".") == 0) {
			h->name = xstrdup(".");
			h->addr_state = DD_STATE_MISSING;
			has_null = true;
			continue;
		}
		if (dd_is_ip_literal(rr->data, rr->len)) {
			h->name = xstrndup(rr->data, rr->len);
			h->ip_literal = true;
			h->addr_state = DD_STATE_MISSING;
			host_finding(p, r, "mx.ip-literal", ans, rr, h->name, NULL);
			continue;
		}
		if (!dd_name_normalize(rr->data, rr->len, norm, sizeof(norm))) {
			h->name = xstrndup(rr->data, rr->len);
			h->addr_state = DD_STATE_MISSING;
			host_finding(p, r, "mx.host-no-address", ans, rr, h->name, NULL);
			continue;
		}
		h->name = xstrdup(norm);
		for (size_t k = 0; k + 1 < mx->nlist; k++)
			if (strcmp(mx->hosts[k].name, norm) == 0)
				h->duplicate = true;
		if (h->duplicate) {
			host_finding(p, r, "mx.duplicate", ans, rr, h->name, NULL);
			continue;
		}
		host_addresses(p, h);
		if (h->cname)
			host_finding(p, r, "mx.host-cname", ans, rr, h->name, h->cname);
		if (h->addr_state == DD_STATE_MISSING)
			host_finding(p, r, "mx.host-no-address", ans, rr, h->name, NULL);
	}
	if (has_null && ans->nrrs > 1) {
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "mx.null-mixed", p->domain, NULL);
		long qi = dd_posture_find(p, p->domain, DD_RR_MX);
		if (qi >= 0)
			dd_finding_from_query(f, p, (size_t)qi);
		dd_finding_locate(f, ans, NULL);
	}
	qsort(mx->hosts, mx->nlist, sizeof(*mx->hosts), by_pref);
}

const struct dd_check dd_check_mx = {
	.name = "mx",
	.wants = mx_wants,
	.follow = mx_follow,
	.judge = mx_judge,
};
