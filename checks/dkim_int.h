/*
 * dkim_int.h: what the DKIM check (dkim.c: which selectors, what no key
 * means) shares with the judgement of one key record (dkim_record.c). Not
 * part of the API.
 */
#ifndef DD_DKIM_INT_H
#define DD_DKIM_INT_H

#include "dd/check.h"

/* Where a key record was found: what its findings need. */
struct dkim_site {
	const struct dd_posture *p;
	struct dd_result *r;
	const char *name; /* selector._domainkey.domain as asked, or *._domainkey.domain */
	const struct dd_answer *ans;
	const struct dd_rr *rr; /* the record judged */
	long qi;                /* its query in the posture, -1 when none */
};

/* A finding about the site, {1} its name, with the record, chain and file:line. */
struct dd_finding *dkim_finding(const struct dkim_site *s, const char *id, const char *a2,
                                const char *a3, const char *a4);
/* Judge s->rr into its new entry `e`; `nkeys` key records answered the name. */
void dkim_judge_record(const struct dkim_site *s, struct dd_dkim_selector *e, size_t nkeys);

#endif
