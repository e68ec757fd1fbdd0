/*
 * dnssec.h: what the DNSSEC and DANE checks extract (checks/dnssec.c,
 * checks/dane.c), the pure helpers they share (the RFC 8624 algorithm
 * policy, the TLSA parser), and the validator they call.
 *
 * The validator (struct dd_dnssec_ops) is ldns' DNSSEC code in
 * cmd/dnssec_ldns.c, handed to the checks through dd_check_options as the
 * Public Suffix List is: checks/ links only libc and OpenSSL (STYLE.md), and
 * ldns lives in cmd/. The ops do no I/O and read no clock - the time to
 * validate at is an argument - so the checks stay pure functions of the
 * gathered answers.
 */
#ifndef DD_DNSSEC_H
#define DD_DNSSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/types.h"

/* ------------------------------------------------------------ validator */

enum dd_sec_verdict {
	DD_SEC_SECURE = 0,    /* a signature by the given keys verifies */
	DD_SEC_BOGUS,         /* signatures present, none verifies (detail says why) */
	DD_SEC_INDETERMINATE, /* nothing to verify: no RRSIG, no NSEC/NSEC3 */
	DD_SEC_UNSUPPORTED,   /* only algorithms the validator does not implement */
	DD_SEC_UNREADABLE,    /* a record the validator cannot read back: no verdict */
};

enum dd_sec_problem {
	DD_SEC_OK = 0,
	DD_SEC_EXPIRED,  /* RFC 4035 §5.3.1: the signature's expiration is past */
	DD_SEC_NOT_YET,  /* its inception is still to come */
	DD_SEC_BAD_SIG,  /* the signature does not match the data or the key */
	DD_SEC_NO_KEY,   /* no key with the RRSIG's key tag and algorithm */
	DD_SEC_NO_PROOF, /* a negative answer without a matching NSEC/NSEC3 */
};

struct dd_sec_detail {
	enum dd_sec_problem problem;
	uint8_t algorithm;            /* of the verifying (or last tried) RRSIG */
	char signer[DD_NAME_MAX + 1]; /* its signer's name, normalised; "" when none */
	uint32_t expiration;          /* of that RRSIG, seconds since 1970 */
	uint32_t inception;
	bool delegation; /* denial: the name has NS and no SOA (a zone cut without DS) */
	bool opt_out;    /* denial: an NSEC3 opt-out span covers the name */
	char why[160];   /* the validator's words (English: ldns has no others) */
	unsigned unread; /* DD_SEC_UNREADABLE: how many records could not be read */
};

struct dd_dnssec_ops {
	/*
	 * Verify the records of `type` among rrs (whole records in presentation
	 * form, their RRSIGs among them) with the DNSKEY records among keys, at
	 * `now` (seconds since 1970).
	 */
	enum dd_sec_verdict (*verify)(const void *ctx, const char *const *rrs, size_t nrrs,
	                              uint16_t type, const char *const *keys, size_t nkeys,
	                              int64_t now, struct dd_sec_detail *out);
	/* Set matched[i] for each DNSKEY among keys that a DS or DNSKEY of anchors
	 * names (RFC 4034 §5.1.4 digest, or the same key); returns how many. */
	size_t (*match)(const void *ctx, const char *const *anchors, size_t nanchors,
	                const char *const *keys, size_t nkeys, bool *matched);
	/* A negative answer to (qname, qtype): the NSEC/NSEC3 records among rrs
	 * prove it, and their RRSIGs verify with keys at `now`. */
	enum dd_sec_verdict (*denial)(const void *ctx, const char *qname, uint16_t qtype,
	                              bool nxdomain, const char *const *rrs, size_t nrrs,
	                              const char *const *keys, size_t nkeys, int64_t now,
	                              struct dd_sec_detail *out);
};

/* -------------------------------------------------------------- policy */

/* RFC 8624 §3.1 (DNSKEY algorithms) and §3.3 (DS digest types), for signing. */
enum dd_alg_policy {
	DD_ALG_OK = 0,          /* MUST, RECOMMENDED or MAY */
	DD_ALG_NOT_RECOMMENDED, /* RSASHA1, RSASHA1-NSEC3-SHA1, RSASHA512; SHA-1 DS */
	DD_ALG_MUST_NOT,        /* RSAMD5, DSA, DSA-NSEC3-SHA1, ECC-GOST; GOST DS */
	DD_ALG_UNKNOWN,         /* unassigned or private */
};

enum dd_alg_policy dd_dnskey_alg_policy(unsigned alg);
enum dd_alg_policy dd_ds_digest_policy(unsigned digest);
const char *
dd_dnskey_alg_name(unsigned alg); /* "ECDSAP256SHA256"; "ALG<n>" static buffer-free: NULL */
const char *dd_ds_digest_name(unsigned digest); /* "SHA-256"; NULL when unknown */

/* ---------------------------------------------------------------- TLSA */

/* RFC 6698 §2.1 / RFC 7218 names. */
enum {
	DD_TLSA_PKIX_TA = 0,
	DD_TLSA_PKIX_EE = 1,
	DD_TLSA_DANE_TA = 2,
	DD_TLSA_DANE_EE = 3,
};

#define DD_TLSA_DATA_MAX 8192 /* a certificate in full, hex-decoded */

struct dd_tlsa {
	unsigned usage, selector, mtype;
	uint8_t *data; /* the certificate association data, decoded; owned */
	size_t len;
};

/*
 * Parse a TLSA record's presentation rdata ("3 1 1 ab12..."; the hex may be
 * split by white space, RFC 6698 §2.2). Returns false with *err (static
 * text) when it is not a TLSA record; out->data is then NULL. Values that
 * parse but make no sense for SMTP are for dd_tlsa_judge().
 */
bool dd_tlsa_parse(const char *text, size_t len, struct dd_tlsa *out, const struct dd_text **err);
void dd_tlsa_finish(struct dd_tlsa *t);

/* What RFC 7672 §3.1 makes of one parsed record; a problem text per flag. */
enum {
	DD_TLSA_UNUSABLE_USAGE = 1 << 0,   /* 0/1 (PKIX-*): not for SMTP (§3.1.3) */
	DD_TLSA_UNKNOWN_USAGE = 1 << 1,    /* > 3 */
	DD_TLSA_UNKNOWN_SELECTOR = 1 << 2, /* > 1 */
	DD_TLSA_UNKNOWN_MTYPE = 1 << 3,    /* > 2 */
	DD_TLSA_BAD_LENGTH = 1 << 4,       /* SHA2-256 not 32 octets, SHA2-512 not 64 */
	DD_TLSA_FULL = 1 << 5, /* matching type 0: discouraged (§3.1.2, RFC 7671 §10.1.2) */
};
unsigned dd_tlsa_judge(const struct dd_tlsa *t);
/* Usable by an SMTP client (RFC 7672 §3.1): none of the flags but FULL. */
bool dd_tlsa_usable(unsigned flags);

/* ------------------------------------------------------------- results */

enum dd_dnssec_state {
	DD_DNSSEC_UNKNOWN = 0,  /* not checked: zone file, --offline, no anchor covers it */
	DD_DNSSEC_SIGNED,       /* validates from the trust anchor */
	DD_DNSSEC_UNSIGNED,     /* provably insecure: a delegation without DS */
	DD_DNSSEC_BOGUS,        /* signed, and the signatures or the chain fail */
	DD_DNSSEC_UNDETERMINED, /* a lookup failed, or an answer could not be read back */
};

const char *dd_dnssec_state_name(enum dd_dnssec_state s);

/* One zone on the chain from the anchor down. */
struct dd_dnssec_link {
	char *zone;
	enum dd_dnssec_state state;
	uint8_t algorithms[8]; /* of the zone's DNSKEYs, each once */
	size_t nalgorithms;
	uint8_t digests[4]; /* of the DS records the parent publishes, each once */
	size_t ndigests;
	struct dd_words reason; /* why bogus or undetermined, NULL otherwise */
};

/* A mail record's own signature: SPF, DMARC, MX. */
struct dd_dnssec_record {
	const char *what; /* "spf", "dmarc", "mx" */
	char *name;
	uint16_t type;
	enum dd_dnssec_state state;
	char *signer; /* the zone whose key signed it; NULL when unsigned */
	struct dd_words reason;
};

struct dd_dnssec_info {
	enum dd_dnssec_state state;
	char *anchor; /* the trust anchor's owner ("."), NULL when none applies */
	char *zone;   /* the domain's zone (the deepest zone cut above it) */
	struct dd_dnssec_link *chain;
	size_t nchain;
	struct dd_dnssec_record *records;
	size_t nrecords;
	struct dd_words reason; /* why unknown, bogus or undetermined */
};

void dd_dnssec_info_finish(struct dd_dnssec_info *d);

struct dd_dane_tlsa {
	char *record; /* the rdata as presented */
	bool parsed;
	unsigned usage, selector, mtype;
	unsigned flags; /* dd_tlsa_judge() */
	bool usable;
};

struct dd_dane_host {
	char *host;                  /* the MX exchange */
	char *name;                  /* _25._tcp.<host> */
	enum dd_record_state state;  /* of the TLSA lookup */
	enum dd_dnssec_state dnssec; /* of the TLSA answer (or the denial) */
	struct dd_dane_tlsa *tlsa;
	size_t ntlsa;
	bool usable; /* at least one usable record, signed */
};

struct dd_dane_info {
	enum dd_record_state state; /* found: some host publishes TLSA */
	struct dd_dane_host *hosts;
	size_t nhosts;
};

void dd_dane_info_finish(struct dd_dane_info *d);

/* DS, DNSKEY and TLSA: asked by the DNSSEC check alone. */
bool dd_dnssec_own_type(uint16_t type);

/* At most this many MX hosts get a TLSA lookup (a hostile MX set gets no more). */
#define DD_DANE_MAX_HOSTS 16

#endif
