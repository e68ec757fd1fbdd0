/*
 * psl.c: the Public Suffix List through libpsl (see psl.h).
 *
 * psl_latest() picks the newest of the list built into libpsl and the one
 * installed by Debian's "publicsuffix" package. Both sections of the list
 * (ICANN and private) count, as in the effective_tld_names.dat that
 * OpenDMARC reads.
 */
#include <libpsl.h>
#include <string.h>

#include "psl.h"

struct dd_psl *dd_psl_open(void)
{
	return (struct dd_psl *)psl_latest(NULL);
}

void dd_psl_close(struct dd_psl *psl)
{
	if (psl)
		psl_free((psl_ctx_t *)psl);
}

bool dd_psl_org_domain(const void *psl, const char *domain, char *out, size_t outsz)
{
	if (!psl || !domain)
		return false;
	const char *reg = psl_registrable_domain((const psl_ctx_t *)psl, domain);
	if (!reg || strlen(reg) + 1 > outsz)
		return false;
	memcpy(out, reg, strlen(reg) + 1);
	return true;
}

void dd_psl_attach(struct dd_psl *psl, struct dd_check_options *opts)
{
	opts->psl_org_domain = psl ? dd_psl_org_domain : NULL;
	opts->psl_ctx = psl;
}
