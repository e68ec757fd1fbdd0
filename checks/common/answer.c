/*
 * answer.c: DNS answers as every module sees them, and the names of the
 * enums that go into the output (part of the JSON contract: never rename).
 */
#include <stdlib.h>
#include <string.h>

#include "dd/types.h"
#include "dd/util.h"

const char *dd_dns_status_name(enum dd_dns_status status)
{
	switch (status) {
	case DD_DNS_OK: return "ok";
	case DD_DNS_NXDOMAIN: return "nxdomain";
	case DD_DNS_NODATA: return "nodata";
	case DD_DNS_SERVFAIL: return "servfail";
	case DD_DNS_TIMEOUT: return "timeout";
	case DD_DNS_REFUSED: return "refused";
	case DD_DNS_UNKNOWN: return "unknown";
	}
	return "unknown";
}

bool dd_dns_status_is_failure(enum dd_dns_status status)
{
	return status == DD_DNS_SERVFAIL || status == DD_DNS_TIMEOUT || status == DD_DNS_REFUSED;
}

bool dd_dns_status_is_absent(enum dd_dns_status status)
{
	return status == DD_DNS_NXDOMAIN || status == DD_DNS_NODATA;
}

bool dd_answer_settles(const struct dd_answer *a, enum dd_record_state *state)
{
	if (!a || a->status == DD_DNS_UNKNOWN)
		*state = DD_STATE_UNKNOWN;
	else if (dd_dns_status_is_failure(a->status))
		*state = DD_STATE_UNDETERMINED;
	else
		return false;
	return true;
}

const char *dd_record_state_name(enum dd_record_state state)
{
	switch (state) {
	case DD_STATE_MISSING: return "missing";
	case DD_STATE_FOUND: return "found";
	case DD_STATE_UNDETERMINED: return "undetermined";
	case DD_STATE_UNKNOWN: return "unknown";
	}
	return "unknown";
}

const char *dd_rrtype_name(uint16_t type)
{
	switch (type) {
	case DD_RR_A: return "A";
	case DD_RR_NS: return "NS";
	case DD_RR_CNAME: return "CNAME";
	case DD_RR_SOA: return "SOA";
	case DD_RR_PTR: return "PTR";
	case DD_RR_MX: return "MX";
	case DD_RR_TXT: return "TXT";
	case DD_RR_AAAA: return "AAAA";
	case DD_RR_DS: return "DS";
	case DD_RR_RRSIG: return "RRSIG";
	case DD_RR_NSEC: return "NSEC";
	case DD_RR_DNSKEY: return "DNSKEY";
	case DD_RR_NSEC3: return "NSEC3";
	case DD_RR_TLSA: return "TLSA";
	case DD_RR_SPF: return "SPF";
	}
	return "TYPE?";
}

struct dd_answer *dd_answer_create(const char *qname, uint16_t qtype, enum dd_dns_status status)
{
	/* one allocation: the name lives behind the answer (most answers of a
	 * batch are an empty NXDOMAIN and nothing else) */
	size_t len = strlen(qname);
	struct dd_answer *a = xcalloc(1, sizeof(*a) + len + 1);
	a->qname = memcpy((char *)(a + 1), qname, len + 1);
	a->qtype = qtype;
	a->status = status;
	a->refs = 1;
	return a;
}

struct dd_rr *dd_answer_add_rr(struct dd_answer *ans, const char *data, size_t len, uint32_t ttl)
{
	size_t cap = ans->nrrs; /* exact-size growth: answers are small and long-lived */
	ans->rrs = xrealloc(ans->rrs, (cap + 1) * sizeof(*ans->rrs));
	struct dd_rr *rr = &ans->rrs[ans->nrrs++];
	memset(rr, 0, sizeof(*rr));
	rr->data = xstrndup(data ? data : "", data ? len : 0);
	rr->len = data ? len : 0;
	rr->ttl = ttl;
	return rr;
}

void dd_rr_add_string(struct dd_rr *rr, const char *data, size_t len)
{
	rr->data = xrealloc(rr->data, rr->len + len + 1);
	memcpy(rr->data + rr->len, data, len);
	rr->len += len;
	rr->data[rr->len] = '\0';
	rr->string_lens = xrealloc(rr->string_lens, (rr->nstrings + 1) * sizeof(uint16_t));
	rr->string_lens[rr->nstrings++] = (uint16_t)len;
}

void dd_answer_add_cname(struct dd_answer *ans, const char *target)
{
	ans->cnames = xrealloc(ans->cnames, (ans->ncnames + 1) * sizeof(char *));
	ans->cnames[ans->ncnames++] = xstrdup(target);
}

void dd_answer_add_sec(struct dd_answer *ans, const char *rr)
{
	ans->sec = xrealloc(ans->sec, (ans->nsec + 1) * sizeof(char *));
	ans->sec[ans->nsec++] = xstrdup(rr);
}

struct dd_answer *dd_answer_ref(struct dd_answer *ans)
{
	ans->refs++;
	return ans;
}

void dd_answer_unref(struct dd_answer *ans)
{
	if (!ans || --ans->refs > 0)
		return;
	for (size_t i = 0; i < ans->nrrs; i++) {
		free(ans->rrs[i].data);
		free(ans->rrs[i].string_lens);
	}
	for (size_t i = 0; i < ans->ncnames; i++)
		free(ans->cnames[i]);
	for (size_t i = 0; i < ans->nsec; i++)
		free(ans->sec[i]);
	free(ans->sec);
	free(ans->rrs);
	free(ans->cnames);
	free(ans);
}

size_t dd_answer_count_records(const struct dd_answer *ans, bool (*is)(const char *txt, size_t len),
                               const struct dd_rr **first)
{
	size_t n = 0;
	*first = NULL;
	for (size_t i = 0; ans && ans->status == DD_DNS_OK && i < ans->nrrs; i++)
		if (is(ans->rrs[i].data, ans->rrs[i].len) && n++ == 0)
			*first = &ans->rrs[i];
	return n;
}

const char *dd_answer_owner(const struct dd_answer *ans)
{
	return ans->ncnames ? ans->cnames[ans->ncnames - 1] : ans->qname;
}

size_t dd_answer_size(const struct dd_answer *ans)
{
	size_t n = sizeof(*ans) + strlen(ans->qname) + 1 + ans->nrrs * sizeof(struct dd_rr);
	for (size_t i = 0; i < ans->nrrs; i++)
		n += ans->rrs[i].len + 1 + ans->rrs[i].nstrings * sizeof(uint16_t);
	for (size_t i = 0; i < ans->ncnames; i++)
		n += strlen(ans->cnames[i]) + 1 + sizeof(char *);
	for (size_t i = 0; i < ans->nsec; i++)
		n += strlen(ans->sec[i]) + 1 + sizeof(char *);
	return n;
}
