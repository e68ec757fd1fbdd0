/*
 * dnssec_ldns.h: the DNSSEC validator of the checks (dd/dnssec.h) on ldns,
 * and the trust anchor file (--trust-anchor).
 */
#ifndef DD_DNSSEC_LDNS_H
#define DD_DNSSEC_LDNS_H

#include "dd/dnssec.h"
#include "dd/types.h"

/* Debian's dns-root-data: the root zone's key-signing keys. */
#define DD_DEFAULT_TRUST_ANCHOR "/usr/share/dns/root.key"

extern const struct dd_dnssec_ops dd_dnssec_ldns_ops;

struct dd_trust_anchor {
	char **rrs; /* DS or DNSKEY records in presentation form */
	size_t n;
};

/*
 * Read a trust anchor file: DS or DNSKEY records of one or more owners, in
 * zone-file syntax (BIND's root.key, unbound's root.ds, `keymgr ds`
 * output; ';' comments). Returns false with *err (owned) naming the file
 * and line when it cannot be read or holds no DS or DNSKEY record.
 */
bool dd_trust_anchor_load(const char *path, struct dd_trust_anchor *out, char **err);
void dd_trust_anchor_finish(struct dd_trust_anchor *ta);

#endif
