/*
 * psl.h: the Public Suffix List view that receivers following RFC 7489 use
 * to find a domain's Organizational Domain (RFC 7489 §3.2), from libpsl.
 *
 * Debian's libpsl reads the list from /usr/share/publicsuffix at run time,
 * so this lives in cmd/ (files) and reaches the pure checks only as the
 * callback in dd_check_options (RFC 9989 replaced the list with the DNS
 * Tree Walk; the DMARC check reports where the two disagree).
 */
#ifndef DD_PSL_H
#define DD_PSL_H

#include "dd/types.h"

struct dd_psl;

/* The newest list libpsl has (system file or built in); NULL when there is none. */
struct dd_psl *dd_psl_open(void);
void dd_psl_close(struct dd_psl *psl); /* accepts NULL */

/* Fill the PSL callback of opts; leaves it NULL when psl is NULL. */
void dd_psl_attach(struct dd_psl *psl, struct dd_check_options *opts);

/* The registrable domain of a lowercase A-label name; false for a public suffix. */
bool dd_psl_org_domain(const void *psl, const char *domain, char *out, size_t outsz);

#endif
