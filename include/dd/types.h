/*
 * types.h: the data that flows through dmarc-doctor.
 *
 *   dd_query  (what a check wants: name + type)
 *   dd_answer (its DNS outcome: status, records, TTL, source)
 *   dd_posture (every query of one domain, with its answer)
 *   dd_result (posture + what the checks extracted + findings + advice;
 *              one dd_result_destroy frees it all)
 *
 * Nothing here does I/O; checks/ reads these, cmd/ fills them.
 */
#ifndef DD_TYPES_H
#define DD_TYPES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/fetch.h"

/* A presentation-format domain name never exceeds 253 octets (RFC 1035 §2.3.4). */
#define DD_NAME_MAX 253

/* RR types we ask for (IANA numbers). */
/* A text in every language we ship; `ja` may not be NULL (a test checks it). */
struct dd_text {
	const char *en;
	const char *ja;
};

/* A reason composed at run time, in every language we ship (struct dd_text
 * above is the static kind). Both owned; ja NULL means en serves. */
struct dd_words {
	char *en;
	char *ja;
};

enum dd_rrtype {
	DD_RR_A = 1,
	DD_RR_NS = 2,
	DD_RR_CNAME = 5,
	DD_RR_SOA = 6,
	DD_RR_PTR = 12,
	DD_RR_MX = 15,
	DD_RR_TXT = 16,
	DD_RR_AAAA = 28,
	DD_RR_DS = 43,
	DD_RR_RRSIG = 46,
	DD_RR_NSEC = 47,
	DD_RR_DNSKEY = 48,
	DD_RR_NSEC3 = 50,
	DD_RR_TLSA = 52,
	DD_RR_SPF = 99, /* obsolete SPF RR type, RFC 7208 §3.1 */
};

const char *dd_rrtype_name(uint16_t type);

/*
 * The DNS outcome of one question. A temporary failure (SERVFAIL, TIMEOUT,
 * REFUSED) is never the same as a missing record (NXDOMAIN, NODATA).
 * UNKNOWN is for names that were deliberately not asked (--offline).
 */
enum dd_dns_status {
	DD_DNS_OK = 0,
	DD_DNS_NXDOMAIN,
	DD_DNS_NODATA,
	DD_DNS_SERVFAIL,
	DD_DNS_TIMEOUT,
	DD_DNS_REFUSED,
	DD_DNS_UNKNOWN,
};

const char *dd_dns_status_name(enum dd_dns_status status);
/* True for SERVFAIL, TIMEOUT and REFUSED: the answer says nothing about the data. */
bool dd_dns_status_is_failure(enum dd_dns_status status);
/* True for NXDOMAIN and NODATA: the data is known to be absent. */
bool dd_dns_status_is_absent(enum dd_dns_status status);

/* What a check could establish about a record. */
enum dd_record_state {
	DD_STATE_MISSING = 0, /* the DNS says there is none */
	DD_STATE_FOUND,
	DD_STATE_UNDETERMINED, /* a lookup failed: we cannot tell */
	DD_STATE_UNKNOWN,      /* not asked (--offline) */
};

const char *dd_record_state_name(enum dd_record_state state);

/* Where an answer came from. */
enum dd_source {
	DD_SOURCE_LIVE = 0, /* a DNS server */
	DD_SOURCE_ZONE,     /* a zone file given with --zone */
	DD_SOURCE_FIXTURE,  /* a test fixture */
	DD_SOURCE_NONE,     /* not asked (offline) */
};

/*
 * One resource record. `data` is NUL-terminated, but TXT data may hold NUL
 * bytes, so `len` is the truth.
 *   TXT:        the character-strings joined with no separator (RFC 7208 §3.3,
 *               RFC 6376 §3.6.2.2, RFC 9989 §4.5); `string_lens` keeps where
 *               they were split, for findings about mid-token splits.
 *   A / AAAA:   the address in presentation form.
 *   MX:         the exchange (no trailing dot), `pref` its preference;
 *               "." for a null MX (RFC 7505).
 *   CNAME, PTR, NS: the target name, no trailing dot.
 *   other:      the rdata in presentation form.
 */
struct dd_rr {
	char *data;
	size_t len;
	uint16_t *string_lens; /* TXT only */
	size_t nstrings;
	uint16_t pref;
	uint32_t ttl;
	uint32_t line;    /* zone-file line, 0 when not from a file */
	const char *file; /* the file of `line` (an $INCLUDE may differ from the answer's) */
};

/*
 * The answer to (qname, qtype). Answers are shared between the cache and
 * every posture that asked the same question, so they are reference-counted
 * (the program is single-threaded).
 */
struct dd_answer {
	char *qname;
	uint16_t qtype;
	enum dd_dns_status status;
	/* CNAMEs followed from qname, in order; the records belong to the last. */
	char **cnames;
	size_t ncnames;
	struct dd_rr *rrs;
	size_t nrrs;
	enum dd_source source;
	const char *file; /* zone or fixture file, static for the run; NULL when live */
	/* first line of the owner in `file`, 0 when unknown; for a name a zone
	 * does not hold, the zone's SOA line (a domain the zone lacks is placed there) */
	uint32_t line;
	/*
	 * The DNSSEC material of a live answer (asked with the DO bit), each a
	 * whole record in presentation form: the answer's records at the owner
	 * as sent, the RRSIGs covering them, and for a negative answer the
	 * authority section's NSEC/NSEC3 records and their RRSIGs. Empty
	 * when the message held no RRSIG, NSEC or NSEC3 (an unsigned zone), and
	 * for zone-file and fixture answers. checks/dnssec.c reads it.
	 */
	char **sec;
	size_t nsec;
	/* A live question sent once more because its answer was overdue
	 * (resolver_cares.c); `lost_try`: the copy sent later answered first,
	 * so the first was lost - a sign of congestion for the window (aimd.h). */
	bool resent, lost_try;
	/* A NODATA answer ending in a CNAME chain whose authority section holds
	 * the SOA of a zone enclosing the chain's last name: the server answered
	 * for that name and it has no record of the type (RFC 2308 §2.2), so the
	 * target need not be asked again. False when the target was left to the
	 * client (an authoritative server does not chase out of its zones). */
	bool target_proven_empty;
	/* atomic: the engine's cache and a posture hold references, and a
	 * batch judges and frees postures on a thread of its own (cmd/run.c) */
	_Atomic unsigned refs;
};

struct dd_answer *dd_answer_create(const char *qname, uint16_t qtype, enum dd_dns_status status);
/* Whether an answer (NULL: not asked) decides a record's state alone:
 * unknown when it was not asked, undetermined when the lookup failed.
 * False (and *state untouched) when its records are to be read. */
bool dd_answer_settles(const struct dd_answer *a, enum dd_record_state *state);

/* Append a record; takes a copy of `len` bytes of data. Returns it for MX/TXT details. */
struct dd_rr *dd_answer_add_rr(struct dd_answer *ans, const char *data, size_t len, uint32_t ttl);
/* TXT: append one character-string to the last record. */
void dd_rr_add_string(struct dd_rr *rr, const char *data, size_t len);
void dd_answer_add_cname(struct dd_answer *ans, const char *target);
/* Append one record of DNSSEC material (see `sec`); takes a copy. */
void dd_answer_add_sec(struct dd_answer *ans, const char *rr);
struct dd_answer *dd_answer_ref(struct dd_answer *ans);
void dd_answer_unref(struct dd_answer *ans); /* accepts NULL */
/*
 * The records of an OK answer that `is` recognises (v=STSv1, v=TLSRPTv1,
 * v=BIMI1 ...): how many, and the first in *first (NULL when none). A record
 * type of its own must be published once, so callers count.
 */
size_t dd_answer_count_records(const struct dd_answer *ans, bool (*is)(const char *txt, size_t len),
                               const struct dd_rr **first);
/* The name the records belong to: the last CNAME target, or qname. */
const char *dd_answer_owner(const struct dd_answer *ans);
/* Approximate heap size, for the cache's memory bound. */
size_t dd_answer_size(const struct dd_answer *ans);

struct dd_dnssec_ops;

/* Options the checks read (a view of the command line, owned by cmd/). */
struct dd_check_options {
	const char *const *selectors; /* --selector, in addition to the built-in list */
	size_t nselectors;
	bool offline; /* names outside the zone files were not asked */
	/* Ask every DKIM selector at once, not only after _domainkey is known
	 * to exist (RFC 8020): one domain's wall time matters more than its
	 * questions. cmd/ sets it when a single domain is checked. */
	bool dkim_eager;
	/* check_host() inputs (--ip/--sender/--helo); ip is NULL when not given. */
	const char *ip;
	const char *sender;
	const char *helo;
	/*
	 * The Public Suffix List view that RFC 7489 receivers use (RFC 7489
	 * §3.2): writes the registrable domain of `domain` (lowercase A-labels)
	 * into out and returns true, or returns false when the list has no
	 * answer (the name is itself a public suffix). cmd/psl.c fills it from
	 * libpsl; NULL when unavailable. checks/ only calls it, so the checks
	 * stay pure: the list is loaded by cmd/ before any domain is judged.
	 */
	bool (*psl_org_domain)(const void *ctx, const char *domain, char *out, size_t outsz);
	const void *psl_ctx;
	bool no_http;              /* --no-http (and --offline): HTTPS resources are not fetched */
	const char *bimi_selector; /* --bimi-selector; NULL: "default" */
	/*
	 * DNSSEC (checks/dnssec.c): the validator (dd/dnssec.h; ldns in
	 * cmd/dnssec_ldns.c, NULL turns the DNSSEC and DANE checks off), the
	 * trust anchor's DS or DNSKEY records in presentation form (--trust-anchor).
	 */
	const struct dd_dnssec_ops *dnssec;
	const void *dnssec_ctx;
	const char *const *trust_anchor;
	size_t ntrust_anchor;
	/* the run's clock (seconds since the epoch), read once by cmd/: BIMI
	 * certificates and DNSSEC signatures are judged at it */
	int64_t now;
	/* The report window (--since), seconds since the epoch; cmd/ reads the
	 * clock. Used only for postures that carry reports. */
	int64_t reports_from, reports_to;
};

struct dd_report_set; /* dd/report.h */

/*
 * One question asked for a domain. The gather engine appends them; checks
 * read them. `parent` links the chain of names that led to a question.
 */
struct dd_query {
	char *name; /* lowercase A-labels, no trailing dot */
	uint16_t type;
	uint32_t askers;          /* bit i set: check i of the registry asked it */
	int32_t parent;           /* index of the query whose answer led here, -1 for a root */
	uint16_t depth;           /* 0 for roots */
	struct dd_answer *answer; /* NULL while in flight */
};

struct dd_posture {
	char *domain;  /* the domain judged: lowercase A-labels */
	char *display; /* as the user wrote it (may be a U-label) */
	const struct dd_check_options *opts;
	struct dd_query *queries;
	size_t nqueries;
	size_t cap;
	/* open-addressing index over queries by (name, type) */
	uint32_t *index;
	size_t index_cap;
	/* The engine stopped following because a cap was hit; counts are lower bounds. */
	bool truncated;
	struct dd_fetch *fetches; /* HTTPS resources (dd/fetch.h), in the order asked */
	size_t nfetches;
	size_t fetches_cap;
	/* The DMARC aggregate reports of the domain (--reports/--store), owned;
	 * NULL when there are none. cmd/ sets it before gathering. */
	struct dd_report_set *reports;
};

#endif
