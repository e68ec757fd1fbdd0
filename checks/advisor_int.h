/*
 * advisor_int.h: what advisor.c and advisor_record.c share. Not an API.
 */
#ifndef DD_ADVISOR_INT_H
#define DD_ADVISOR_INT_H

#include "dd/check.h"
#include "dd/dmarc.h"

/* The change the next record makes. */
struct advisor_change {
	enum dd_dmarc_tag_id lever; /* p, sp or np: the policy that moves */
	enum dd_policy policy;      /* its new value */
	bool add_np; /* np=reject where np is absent (an Organizational Domain's record) */
	const char *np_domain;   /* the domain np covers, for the step */
	const char *default_rua; /* an address to add when no valid rua remains, or NULL */
	bool subdomain_copy;     /* a subdomain's own copy of its parent's record: no sp, np, psd */
};

/*
 * The record to publish: `old` (NULL when there is none) with the change
 * applied, every valid tag kept, everything else left out. Adds a step for
 * each tag left out and each tag added. Never NULL.
 */
char *advisor_record(const struct dd_dmarc_record *old, const struct advisor_change *c,
                     struct dd_advice *a);

#endif
