/*
 * dane.c: DANE for SMTP (RFC 7672) - the TLSA records at _25._tcp.<host>
 * of each MX host, and whether a sending MTA may use them.
 *
 * follow(): the domain's MX answer gives the hosts (at most
 * DD_DANE_MAX_HOSTS; a null MX none), each gets its TLSA question and the
 * DNSKEY/DS questions of its own chain (those above it are shared).
 * judge(): TLSA records count only when their answer validates (RFC 7672
 * §2.2: unsigned TLSA records are ignored; a bogus answer makes DANE
 * senders defer the mail); each record is checked against RFC 7672 §3.1.
 *
 * Deliberately ignored: whether the server's certificate matches (that
 * needs an SMTP connection: no check opens sockets), TLSA records reached
 * through CNAMEs (RFC 7672 §2.2.2), and MX hosts that are CNAMEs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnssec_int.h"
#include "dd/util.h"

#define DANE_FANOUT 96 /* new questions one MX answer may cause (the engine cuts at 128) */

static bool tlsa_name(const char *host, char *out, size_t n)
{
	int len = snprintf(out, n, "_25._tcp.%s", host);
	return len > 0 && (size_t)len < n && (size_t)len <= DD_NAME_MAX;
}

/* The MX hosts worth a TLSA question: real names, each once. */
static size_t mx_hosts(const struct dd_answer *a, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; a && a->status == DD_DNS_OK && i < a->nrrs && n < max; i++) {
		const char *h = a->rrs[i].data;
		if (strcmp(h, ".") == 0 || !*h)
			continue;
		bool dup = false;
		for (size_t j = 0; j < n && !dup; j++)
			dup = strcmp(out[j], h) == 0;
		if (!dup)
			out[n++] = h;
	}
	return n;
}

static void dane_wants(const struct dd_posture *p, struct dd_wants *out)
{
	struct dd_dnssec_ctx c;
	if (!dd_dnssec_ctx_init(&c, p, p->domain))
		return;
	dd_wants_add(out, p->domain, DD_RR_MX); /* shared with the MX check */
	dd_dnssec_ctx_finish(&c);
}

static void dane_follow(const struct dd_posture *p, size_t qi, struct dd_wants *out)
{
	const struct dd_query *q = &p->queries[qi];
	if (q->type != DD_RR_MX || strcmp(q->name, p->domain) != 0)
		return;
	const char *hosts[DD_DANE_MAX_HOSTS];
	size_t n = mx_hosts(q->answer, hosts, DD_DANE_MAX_HOSTS);
	for (size_t i = 0; i < n; i++) {
		char name[DD_NAME_MAX + 16];
		struct dd_dnssec_ctx c;
		if (!tlsa_name(hosts[i], name, sizeof(name)) ||
		    !dd_dnssec_ctx_init(&c, p, hosts[i]))
			continue;
		/* stay well inside the engine's fan-out cap: past it the posture
		 * would count as truncated, and SPF's counts as lower bounds */
		if (out->n + 1 + 2 * dd_name_labels(hosts[i]) > DANE_FANOUT) {
			dd_dnssec_ctx_finish(&c);
			break;
		}
		size_t before = out->n;
		dd_wants_add(out, name, DD_RR_TLSA);
		dd_dnssec_want_chain(&c, hosts[i], out);
		/* two hosts in one zone need its chain once */
		for (size_t j = before + 1; j < out->n; j++)
			for (size_t k = 0; k < before; k++)
				if (out->v[k].type == out->v[j].type &&
				    strcmp(out->v[k].name, out->v[j].name) == 0) {
					out->v[j--] = out->v[--out->n];
					break;
				}
		dd_dnssec_ctx_finish(&c);
	}
}

static void malformed(struct dd_result *r, const char *name, const struct dd_text *why)
{
	dd_finding_arg_ja(dd_findings_add(&r->findings, "dane.tlsa-malformed", name, why->en, NULL),
	                  1, why->ja);
}

static void judge_tlsa_record(struct dd_result *r, struct dd_dane_host *h, const struct dd_rr *rr,
                              bool signed_set)
{
	h->tlsa = xrealloc(h->tlsa, (h->ntlsa + 1) * sizeof(*h->tlsa));
	struct dd_dane_tlsa *t = &h->tlsa[h->ntlsa++];
	memset(t, 0, sizeof(*t));
	t->record = xstrndup(rr->data, rr->len);
	struct dd_tlsa parsed;
	const struct dd_text *err = NULL;
	if (!dd_tlsa_parse(rr->data, rr->len, &parsed, &err)) {
		malformed(r, h->name, err);
		return;
	}
	t->parsed = true;
	t->usage = parsed.usage;
	t->selector = parsed.selector;
	t->mtype = parsed.mtype;
	t->flags = dd_tlsa_judge(&parsed);
	t->usable = dd_tlsa_usable(t->flags);
	char num[8];
	if (t->flags & DD_TLSA_UNUSABLE_USAGE) {
		snprintf(num, sizeof(num), "%u", t->usage);
		dd_findings_add(&r->findings, "dane.tlsa-pkix-usage", h->name, num, NULL);
	}
	static const struct dd_text usage = { "the usage is not 0 to 3",
		                              "用途が 0 から 3 のどれでもありません" };
	static const struct dd_text selector = { "the selector is not 0 or 1",
		                                 "セレクタが 0 でも 1 でもありません" };
	static const struct dd_text mtype = { "the matching type is not 0 to 2",
		                              "照合形式が 0 から 2 のどれでもありません" };
	static const struct dd_text sha256 = { "a SHA2-256 digest is 32 octets",
		                               "SHA2-256 のダイジェストは 32 オクテットです" };
	static const struct dd_text sha512 = { "a SHA2-512 digest is 64 octets",
		                               "SHA2-512 のダイジェストは 64 オクテットです" };
	const struct dd_text *why = (t->flags & DD_TLSA_UNKNOWN_USAGE)      ? &usage
	                            : (t->flags & DD_TLSA_UNKNOWN_SELECTOR) ? &selector
	                            : (t->flags & DD_TLSA_UNKNOWN_MTYPE)    ? &mtype
	                            : (t->flags & DD_TLSA_BAD_LENGTH)
	                                    ? (t->mtype == 1 ? &sha256 : &sha512)
	                                    : NULL;
	if (why)
		malformed(r, h->name, why);
	if (t->flags & DD_TLSA_FULL)
		dd_findings_add(&r->findings, "dane.tlsa-full-match", h->name, NULL);
	if (t->usable && signed_set)
		h->usable = true;
	dd_tlsa_finish(&parsed);
}

/* After the DNSSEC check: r->dnssec says whether the domain was checked at all. */
static void dane_judge(const struct dd_posture *p, struct dd_result *r)
{
	struct dd_dane_info *d = &r->dane;
	d->state = DD_STATE_UNKNOWN;
	if (r->dnssec.state == DD_DNSSEC_UNKNOWN)
		return;
	const char *hosts[DD_DANE_MAX_HOSTS];
	size_t n = mx_hosts(dd_posture_answer(p, p->domain, DD_RR_MX), hosts, DD_DANE_MAX_HOSTS);
	size_t found = 0, signed_zones = 0, failed = 0;
	d->state = DD_STATE_MISSING;
	for (size_t i = 0; i < n; i++) {
		char name[DD_NAME_MAX + 16];
		const struct dd_answer *a;
		if (!tlsa_name(hosts[i], name, sizeof(name)) ||
		    !(a = dd_posture_answer(p, name, DD_RR_TLSA)))
			continue;
		d->hosts = xrealloc(d->hosts, (d->nhosts + 1) * sizeof(*d->hosts));
		struct dd_dane_host *h = &d->hosts[d->nhosts++];
		memset(h, 0, sizeof(*h));
		h->host = xstrdup(hosts[i]);
		h->name = xstrdup(name);
		struct dd_dnssec_ctx c;
		if (a->status == DD_DNS_UNKNOWN || !dd_dnssec_ctx_init(&c, p, hosts[i])) {
			h->state = DD_STATE_UNKNOWN;
			continue;
		}
		if (dd_dns_status_is_failure(a->status)) {
			h->state = DD_STATE_UNDETERMINED;
			h->dnssec = DD_DNSSEC_UNDETERMINED;
			failed++;
			dd_dnssec_ctx_finish(&c);
			continue;
		}
		struct dd_walk w;
		dd_dnssec_walk(&c, hosts[i], &w, NULL);
		char *signer = NULL;
		struct dd_words reason = { NULL, NULL };
		struct dd_sec_detail det;
		h->dnssec = dd_dnssec_answer_state(&c, &w, a, &signer, &reason, &det);
		if (w.state == DD_DNSSEC_SIGNED)
			signed_zones++;
		h->state = a->status == DD_DNS_OK ? DD_STATE_FOUND : DD_STATE_MISSING;
		if (h->state == DD_STATE_FOUND) {
			found++;
			bool ok = h->dnssec == DD_DNSSEC_SIGNED;
			if (h->dnssec == DD_DNSSEC_UNSIGNED)
				/* RFC 7672 §2.2: TLSA records an MTA cannot validate are ignored */
				dd_findings_add(&r->findings, "dane.tlsa-unsigned", name, w.zone,
				                NULL);
			else if (h->dnssec == DD_DNSSEC_BOGUS)
				dd_finding_arg_ja(dd_findings_add(&r->findings, "dane.tlsa-bogus",
				                                  name, reason.en ? reason.en : "",
				                                  NULL),
				                  1, reason.ja);
			for (size_t j = 0; j < a->nrrs; j++)
				judge_tlsa_record(r, h, &a->rrs[j], ok);
			if (ok && !h->usable)
				dd_findings_add(&r->findings, "dane.no-usable-tlsa", name, NULL);
		}
		free(signer);
		dd_words_finish(&reason);
		dd_walk_finish(&w);
		dd_dnssec_ctx_finish(&c);
	}
	if (found)
		d->state = DD_STATE_FOUND;
	else if (failed)
		d->state = DD_STATE_UNDETERMINED;
	else if (n && signed_zones == d->nhosts && r->dnssec.state == DD_DNSSEC_SIGNED)
		/* signed all the way: DANE is one TLSA record away */
		dd_findings_add(&r->findings, "dane.none", p->domain, NULL);
}

const struct dd_check dd_check_dane = {
	.name = "dane",
	.wants = dane_wants,
	.follow = dane_follow,
	.judge = dane_judge,
};
