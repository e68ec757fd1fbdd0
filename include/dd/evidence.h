/*
 * evidence.h: what the DMARC aggregate reports of a domain show - who sends
 * as it, which of those senders pass DMARC, and what the next policy would
 * cost. Pure (checks/evidence/): report rows in, senders, classes and
 * readiness out. The clock is read in cmd/, which passes the window.
 */
#ifndef DD_EVIDENCE_H
#define DD_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/check.h"
#include "dd/report.h"

/* ------------------------------------------------- the table of services */

enum dd_service_kind {
	DD_SERVICE_SENDER = 0, /* sends mail for its customers: can be set up to align */
	DD_SERVICE_FORWARDER,  /* mailing lists and forwarders: re-sends others' mail */
};

/*
 * One mail service (checks/evidence/services.c). The lists are
 * space-separated domain suffixes: "sendgrid.net" matches sendgrid.net and
 * every name below it. Every row cites its source.
 */
struct dd_mail_service {
	const char *name;
	enum dd_service_kind kind;
	const char *dkim_domains; /* DKIM d= the service signs with when not set up */
	const char *spf_domains;  /* its envelope (return-path) domains */
	const char *ptr_domains;  /* reverse DNS of its outbound servers */
	const char *selectors;    /* selectors it uses at the customer's domain (space-separated) */
	struct dd_text fix;       /* {1} the domain, {2} the service */
	const char *source;       /* where the naming is documented */
};

extern const struct dd_mail_service dd_mail_services[];
extern const size_t dd_mail_nservices;

/* The service whose list holds `name` (a suffix match), or NULL. */
const struct dd_mail_service *dd_service_by_dkim(const char *domain);
const struct dd_mail_service *dd_service_by_spf(const char *domain);
const struct dd_mail_service *dd_service_by_ptr(const char *name);
/* Only a selector that the table marks as the service's own (google, selector1, ...). */
const struct dd_mail_service *dd_service_by_selector(const char *selector);

/* ------------------------------------------------------------ the senders */

enum dd_sender_class {
	DD_CLASS_ALIGNED = 0,     /* passes DMARC through aligned SPF or DKIM */
	DD_CLASS_FIXABLE,         /* a real service authenticating as itself, not aligned */
	DD_CLASS_FORWARDED,       /* failures consistent with forwarding or mailing lists */
	DD_CLASS_UNAUTHENTICATED, /* fails everything: spoofing, or a sender never set up */
};

const char *dd_sender_class_name(enum dd_sender_class c);

struct dd_strlist {
	char **v;
	size_t n;
};

struct dd_evidence_sender {
	char *name;      /* the service, an authenticated domain, or a /24 or /48 */
	char *subdomain; /* the header_from below the domain; NULL for the domain itself */
	const struct dd_mail_service *service; /* NULL when no table row matched */
	const char *identified_by; /* "dkim", "spf", "ptr", "selector", "domain", "prefix" */
	enum dd_sender_class cls;
	const char *basis; /* how the class was decided, in words (English, stable) */
	uint64_t messages;
	uint64_t dmarc_pass;    /* our verdict: aligned SPF pass or aligned DKIM pass */
	uint64_t spf_aligned;   /* of those, through SPF */
	uint64_t dkim_aligned;  /* through DKIM */
	uint64_t reporter_pass; /* the reporters' verdict (policy_evaluated) */
	uint64_t disagree;      /* messages where the reporters' verdict differs from ours */
	uint64_t by_class[4];   /* messages by the class of their row */
	uint64_t would_fail;    /* messages failing DMARC: what the next policy acts on */
	bool blocks;            /* a fixable sender above the share that blocks the next step */
	/* Its fixable messages in the reports showing quarantine applied, and
	 * whether they are above the blocking share of that period's mail:
	 * reject readiness looks at the quarantine period on its own. */
	uint64_t quarantine_fixable;
	bool blocks_reject;
	struct dd_strlist dkim_domains; /* d= of passing signatures */
	struct dd_strlist spf_domains;  /* SPF domains that passed */
	struct dd_strlist sources;      /* source IPs, busiest first (at most 8) */
	char *fix_detail;               /* what is wrong, e.g. "DKIM d=sendgrid.net" */
};

/* ------------------------------------------------------------- the input */

struct dd_evidence_input {
	const char *domain; /* lowercase A-labels */
	int64_t from, to;   /* the window, seconds since the epoch */
	/* The Organizational Domain of a name for relaxed alignment (RFC 9989
	 * §4.10.2 / RFC 7489 §3.2). NULL: the fallback below. */
	bool (*org_domain)(const void *ctx, const char *name, char *out, size_t outsz);
	const void *org_ctx;
	/* The domain's Organizational Domain as the DMARC check found it;
	 * NULL when unknown. Used when org_domain is NULL or has no answer. */
	const char *domain_org;
	/* Reverse DNS of a source IP (first PTR name), NULL when unknown. */
	const char *(*ptr)(const void *ctx, const char *ip);
	const void *ptr_ctx;
	/* What DNS publishes now for the domain: "none", "quarantine",
	 * "reject", or NULL when no record applies; testing: t=y. */
	const char *published_policy;
	bool published_testing;
};

/* --------------------------------------------------------- the evidence */

/*
 * The thresholds (README "Report evidence" says why):
 *  - at least DD_EVIDENCE_MIN_DAYS days covered by report date ranges:
 *    weekly and monthly senders (payroll, newsletters) show up;
 *  - at least DD_EVIDENCE_MIN_REPORTERS reporters: one receiver sees only
 *    the part of the mail its users get;
 *  - at least DD_EVIDENCE_MIN_MESSAGES messages;
 *  - a fixable sender blocks when its share of the messages is at least
 *    DD_EVIDENCE_BLOCK_PERMILLE per mille (a one-off test send does not);
 *  - reject: quarantine applied (not under t=y) for DD_EVIDENCE_QUARANTINE_DAYS,
 *    and no sender's fixable mail above the blocking share of the mail of
 *    those reports (a sender can hide in a long window and still be lost).
 */
#define DD_EVIDENCE_MIN_DAYS        14
#define DD_EVIDENCE_MIN_REPORTERS   2
#define DD_EVIDENCE_MIN_MESSAGES    100
#define DD_EVIDENCE_BLOCK_PERMILLE  1
#define DD_EVIDENCE_QUARANTINE_DAYS 14

struct dd_evidence {
	char *domain;     /* the domain the rows concern */
	int64_t from, to; /* the window */
	unsigned days;    /* days of the window covered by report date ranges */
	size_t reports;   /* reports with rows for the domain in the window */
	size_t reporters; /* distinct org_name (or email) */
	size_t ignored;   /* reports outside the window */
	uint64_t messages;
	uint64_t dmarc_pass;
	uint64_t reporter_pass;
	uint64_t disagree; /* messages where reporters judged otherwise than we did */
	uint64_t by_class[4];
	struct dd_evidence_sender *senders; /* longest first */
	size_t nsenders;
	struct dd_strlist selectors; /* DKIM selectors seen with d= the domain */
	/* the policies reporters saw for the domain */
	char *seen_policy;        /* of the newest report */
	bool seen_testing;        /* t=y in the newest report */
	int64_t seen_at;          /* the newest report's end */
	unsigned quarantine_days; /* days covered by reports showing quarantine applied */
	unsigned testing_days;    /* days covered by reports showing t=y */
	bool enough;              /* the data thresholds are met */
	/* the messages of the reports showing quarantine applied */
	uint64_t quarantine_messages;
	/* For the HTML report's charts (series.c): one entry per UTC day of the
	 * window, and the reporters, busiest first. */
	struct dd_evidence_day *daily;
	size_t ndaily;
	struct dd_evidence_reporter *reporter_list;
	size_t nreporter_list;
};

/* The messages of one day; a report over several days is spread evenly over them. */
struct dd_evidence_day {
	int64_t start; /* 00:00 UTC */
	uint64_t by_class[4];
	uint64_t dmarc_pass;
};

struct dd_evidence_reporter {
	char *name; /* org_name, else the email, else "(unnamed)" */
	size_t reports;
	uint64_t messages;
};

/* Build the evidence from the reports of the set that concern in->domain.
 * Returns NULL when no report in the window has a row for the domain. */
struct dd_evidence *dd_evidence_build(const struct dd_report_set *set,
                                      const struct dd_evidence_input *in);
void dd_evidence_destroy(struct dd_evidence *e); /* accepts NULL */
/* The fix for a fixable sender, in a language: the service's own (services.c)
 * or the generic one; NULL for other classes. Caller frees. */
char *dd_evidence_fix(const struct dd_evidence *e, const struct dd_evidence_sender *s,
                      enum dd_lang lang);

/*
 * Readiness for moving from `current` to `target` (readiness.c): ready
 * when the data thresholds are met, no fixable sender blocks, and (for
 * reject) quarantine has applied long enough. `why` gets one sentence
 * saying so; its texts are static. DD_READY_UNKNOWN when e is NULL.
 */
enum dd_ready dd_evidence_readiness(const struct dd_evidence *e, const char *domain,
                                    enum dd_stage current, enum dd_stage target,
                                    struct dd_step *why);

/* The selectors reports show for `domain` (d= the domain), deduplicated, at
 * most `max`; for the DKIM check's probes. Caller frees with dd_strlist_finish. */
void dd_report_selectors(const struct dd_report_set *set, const char *domain, size_t max,
                         struct dd_strlist *out);
void dd_strlist_finish(struct dd_strlist *l);
/* The reverse-DNS name of an address (…in-addr.arpa / …ip6.arpa); false if not an IP. */
bool dd_ptr_name(const char *ip, char *out, size_t outsz);

#endif
