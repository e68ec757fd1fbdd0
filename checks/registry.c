/*
 * registry.c: the check modules, in the order they judge. A check that
 * reads another's extracted data (the advisor reads them all) comes after it.
 */
#include "dd/check.h"
#include "dd/util.h"

extern const struct dd_check dd_check_spf;
extern const struct dd_check dd_check_dmarc;
extern const struct dd_check dd_check_dkim;
extern const struct dd_check dd_check_mx;
extern const struct dd_check dd_check_providers; /* reads SPF, DMARC and DKIM */
extern const struct dd_check dd_check_evidence;  /* the reports; reads DMARC */

const struct dd_check *const dd_checks[] = {
	&dd_check_mx, /* first: whether the domain receives mail decides some severities */
	&dd_check_spf,       &dd_check_dmarc,
	&dd_check_dkim, /* after MX and SPF: a non-sending domain needs no key */
	&dd_check_providers, &dd_check_evidence, /* after DMARC: the policy published now */
};

const size_t dd_nchecks = DD_ARRAY_LEN(dd_checks);
