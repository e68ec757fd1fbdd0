/*
 * dnssec_int.h: the chain walk of checks/dnssec.c, shared with checks/dane.c.
 */
#ifndef DD_DNSSEC_INT_H
#define DD_DNSSEC_INT_H

#include "dd/check.h"
#include "dd/dnssec.h"

/* Where the chain of trust from the anchor to a name ends. */
struct dd_walk {
	enum dd_dnssec_state state;
	char zone[DD_NAME_MAX + 1];    /* the deepest zone reached: signed apex or insecure cut */
	const struct dd_answer *keys;  /* the zone's validated DNSKEY answer, when signed */
	char at[DD_NAME_MAX + 1];      /* where the chain broke (bogus, undetermined) */
	char unasked[DD_NAME_MAX + 1]; /* the first name below zone whose DS was not asked, or "" */
	struct dd_words reason;        /* owned; why not signed */
	struct dd_sec_detail detail;   /* of the failed verification */
};

struct dd_dnssec_ctx {
	const struct dd_posture *p;
	const struct dd_check_options *o;
	const char *anchor;   /* the anchor's owner, "." for the root */
	const char **anchors; /* its records */
	size_t nanchors;
};

/* False when no trust anchor covers name (or DNSSEC is off). */
bool dd_dnssec_ctx_init(struct dd_dnssec_ctx *c, const struct dd_posture *p, const char *name);
void dd_dnssec_ctx_finish(struct dd_dnssec_ctx *c);

/* Add the DNSKEY and DS questions from the anchor down to name not yet asked. */
void dd_dnssec_want_chain(const struct dd_dnssec_ctx *c, const char *name, struct dd_wants *out);

/* Walk from the anchor down to `target`; links go to info when it is not NULL. */
void dd_dnssec_walk(const struct dd_dnssec_ctx *c, const char *target, struct dd_walk *w,
                    struct dd_dnssec_info *info);
void dd_walk_finish(struct dd_walk *w);

/* The verdict on one answer (its records, or its denial) under a walk. */
enum dd_dnssec_state dd_dnssec_answer_state(const struct dd_dnssec_ctx *c, const struct dd_walk *w,
                                            const struct dd_answer *a, char **signer,
                                            struct dd_words *reason, struct dd_sec_detail *detail);

/* True when name is zone or below it ("." holds every name). */
bool dd_dnssec_under(const char *name, const char *zone);

/* A date for messages: "2026-12-03 06:00 UTC". */
void dd_dnssec_format_time(uint32_t t, char *buf, size_t n);

#endif
