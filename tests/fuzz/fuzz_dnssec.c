/*
 * fuzz_dnssec.c: a DNS response from a hostile server, asked with the DO
 * bit -> dd_answer with its DNSSEC material (cmd/gather/wire.c), then every
 * validator operation over that material (cmd/dnssec_ldns.c): the records
 * turned back into ldns records, RRSIGs verified with the DNSKEYs among
 * them, DS digests matched, NSEC/NSEC3 denials checked.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "dnssec_ldns.h"
#include "gather/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t types[] = { DD_RR_TXT, DD_RR_MX, DD_RR_DS, DD_RR_DNSKEY, DD_RR_TLSA };
	const struct dd_dnssec_ops *ops = &dd_dnssec_ldns_ops;
	/* the question's name, so that the proofs are checked for what was asked */
	char qname[DD_NAME_MAX + 1] = "example.co.jp";
	ldns_pkt *pkt = NULL;
	if (ldns_wire2pkt(&pkt, data, size) == LDNS_STATUS_OK && ldns_pkt_qdcount(pkt) == 1 &&
	    ldns_pkt_question(pkt) && ldns_rr_list_rr_count(ldns_pkt_question(pkt)) == 1) {
		char *n = dd_wire_name(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(pkt), 0)));
		if (strlen(n) <= DD_NAME_MAX)
			memcpy(qname, n, strlen(n) + 1);
		free(n);
	}
	ldns_pkt_free(pkt);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct dd_answer *a = dd_wire_answer(qname, types[i], data, size);
		const char *const *sec = (const char *const *)a->sec;
		struct dd_sec_detail d;
		/* 2026-12-05: inside the validity of the seeds' signatures (made 2026-12-03) */
		ops->verify(NULL, sec, a->nsec, types[i], sec, a->nsec, 1796428800, &d);
		ops->denial(NULL, dd_answer_owner(a), types[i], a->status == DD_DNS_NXDOMAIN, sec,
		            a->nsec, sec, a->nsec, 1796428800, &d);
		bool matched[64];
		if (a->nsec <= 64)
			ops->match(NULL, sec, a->nsec, sec, a->nsec, matched);
		dd_answer_unref(a);
	}
	return 0;
}
