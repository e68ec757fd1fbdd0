/*
 * report.h: one DMARC aggregate report as its reporter sent it, kept whole
 * (RFC 9990 §3; RFC 7489 Appendix C). cmd/reports/ fills these from XML and
 * the store; checks/evidence/ reads them. Nothing here does I/O.
 *
 * Text fields are NUL-terminated UTF-8 exactly as reported (trimmed of
 * surrounding whitespace), NULL when the element was absent or empty.
 * Enumerated values (disposition, results, policies) are lowercased, so
 * "Pass" and "pass" compare equal; an unknown value is kept as written
 * (lowercased), never dropped: "hardfail" stays "hardfail". The reader
 * (cmd/reports/report_xml.c) also lowercases every domain: the policy
 * domain, header_from, envelope_from, envelope_to and the DKIM and SPF
 * result domains (docs/reports.md).
 */
#ifndef DD_REPORT_H
#define DD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dd_report_schema {
	DD_REPORT_RFC7489 = 0, /* no namespace, or dmarc.org's 0.1 */
	DD_REPORT_RFC9990,     /* urn:ietf:params:xml:ns:dmarc-2.0, or <version>2.0 */
};

/* <auth_results><dkim> (RFC 9990 §3.1.3.4 DKIMAuthResultType) */
struct dd_report_dkim {
	char *domain;
	char *selector;
	char *result; /* none pass fail policy neutral temperror permerror, or as sent */
	char *human_result;
};

/* <auth_results><spf> (RFC 9990 SPFAuthResultType) */
struct dd_report_spf {
	char *domain;
	char *scope;  /* helo | mfrom; NULL when absent (RFC 7489 reporters often omit it) */
	char *result; /* none neutral pass fail softfail temperror permerror, or as sent */
	char *human_result;
};

/* <policy_evaluated><reason> (PolicyOverrideReason) */
struct dd_report_reason {
	char *type; /* forwarded sampled_out trusted_forwarder mailing_list local_policy other */
	char *comment;
};

struct dd_report_row {
	char source_ip[46]; /* canonical presentation form (inet_ntop), never empty */
	uint64_t count;
	char *disposition; /* none | quarantine | reject; NULL when the reporter left it empty */
	char *dkim_eval;   /* policy_evaluated dkim: pass | fail; NULL when empty */
	char *spf_eval;    /* policy_evaluated spf: pass | fail; NULL when empty */
	struct dd_report_reason *reasons;
	size_t nreasons;
	char *header_from;   /* identifiers/header_from, lowercased */
	char *envelope_from; /* lowercased; NULL when absent */
	char *envelope_to;
	struct dd_report_dkim *dkim;
	size_t ndkim;
	struct dd_report_spf *spf;
	size_t nspf;
};

struct dd_report {
	enum dd_report_schema schema;
	/* report_metadata */
	char *org_name; /* may be NULL: real reporters send an empty <org_name> */
	char *email;
	char *extra_contact_info;
	char *report_id; /* required: a report without one is skipped */
	int64_t begin;   /* date_range, seconds since the epoch (UTC) */
	int64_t end;
	char *generator; /* RFC 9990 */
	char **errors;   /* <error> elements */
	size_t nerrors;
	/* policy_published */
	char *domain; /* lowercased */
	char *p;
	char *sp;
	char *np;    /* RFC 9990 (and RFC 9091) */
	char *adkim; /* r | s; NULL: absent (relaxed) */
	char *aspf;
	char *fo;
	char *testing;          /* RFC 9990 t: y | n; NULL when absent */
	char *discovery_method; /* RFC 9990: psl | treewalk */
	int pct;                /* RFC 7489 only; -1 when absent */
	struct dd_report_row *rows;
	size_t nrows;
	size_t rowcap; /* rows allocated (dd_report_add_row, dd_report_reserve_rows) */
	/* Its text fields (not errors[]) were copied into an arena: its set's
	 * (dd_report_set_strndup, the store's load) or its own (below, the XML
	 * reader); freed with that arena, not one by one. */
	bool arena_strings;
	/* Its rows' dkim, spf and reasons arrays are in its set's arena too
	 * (dd_report_set_alloc, the store's load): not freed one by one. */
	bool arena_items;
	struct dd_report_arena *arena; /* its own: NULL until dd_report_strndup */
};

/* A set of reports, e.g. those of one domain over a window. */
struct dd_report_set {
	struct dd_report **v;
	size_t n;
	size_t cap;
	struct dd_report_arena *arena; /* NULL until dd_report_set_strndup */
};

struct dd_report *dd_report_create(void);
/* Append a row (zeroed, count 0) and return it. */
struct dd_report_row *dd_report_add_row(struct dd_report *r);
/* Room for `more` rows to be added without growing the array again. */
void dd_report_reserve_rows(struct dd_report *r, size_t more);
struct dd_report_dkim *dd_report_row_add_dkim(struct dd_report_row *row);
struct dd_report_spf *dd_report_row_add_spf(struct dd_report_row *row);
struct dd_report_reason *dd_report_row_add_reason(struct dd_report_row *row);
void dd_report_add_error(struct dd_report *r, const char *text);
void dd_report_destroy(struct dd_report *r); /* accepts NULL */

/* Takes ownership of r. */
void dd_report_set_add_own(struct dd_report_set *s, struct dd_report *r);
void dd_report_set_finish(struct dd_report_set *s);
/*
 * A NUL-terminated copy of `len` bytes of `text` in the set's arena (big
 * blocks, freed by dd_report_set_finish): for a loader that makes
 * thousands of small strings (the store: a string per column of every
 * row). The reports using it set arena_strings.
 */
char *dd_report_set_strndup(struct dd_report_set *s, const char *text, size_t len);
/* `size` bytes (not zeroed) in the set's arena, aligned for any struct of
 * this header: the dkim, spf and reasons arrays of a loaded row. The
 * reports using it set arena_items. */
void *dd_report_set_alloc(struct dd_report_set *s, size_t size);
/* The same in the report's own arena (freed by dd_report_destroy), for the
 * XML reader: one block instead of a malloc per field of every row. Sets
 * arena_strings; mixing with xstrdup'ed fields in one report leaks. */
char *dd_report_strndup(struct dd_report *r, const char *text, size_t len);

#endif
