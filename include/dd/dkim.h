/*
 * dkim.h: what the DKIM check extracts (RFC 6376, RFC 8301, RFC 8463).
 */
#ifndef DD_DKIM_H
#define DD_DKIM_H

#include "dd/types.h"

/* One selector where a DKIM key record was found. */
struct dd_dkim_selector {
	char *selector;
	char *found_at;       /* the owner after CNAMEs */
	const char *provider; /* from the selector table, NULL when unknown */
	char *record;
	size_t record_len;
	const char *file;
	uint32_t line;
};

struct dd_dkim_info {
	struct dd_dkim_selector *v;
	size_t n;
	size_t probed; /* selectors asked */
	size_t failed; /* of those, lookups that failed (SERVFAIL, timeout, ...) */
};

void dd_dkim_info_finish(struct dd_dkim_info *info);

/* The selectors probed for every domain (built-in table + --selector). */
size_t dd_dkim_builtin_count(void);
const char *dd_dkim_builtin_selector(size_t i);
const char *dd_dkim_builtin_provider(size_t i);

#endif
