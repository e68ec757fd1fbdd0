/*
 * spf.h: what the SPF check extracts (RFC 7208).
 */
#ifndef DD_SPF_H
#define DD_SPF_H

#include "dd/types.h"

struct dd_spf_info {
	enum dd_record_state state;
	char *record; /* the one v=spf1 record, strings joined; NULL when absent */
	size_t record_len;
	const char *file; /* zone file and line of the record, when from a zone */
	uint32_t line;
	bool counted;     /* lookups/void_lookups below are meaningful */
	int lookups;      /* DNS-querying terms in the whole expanded tree (RFC 7208 §4.6.4) */
	int void_lookups; /* of those, answered NXDOMAIN or NODATA */
};

void dd_spf_info_finish(struct dd_spf_info *info);

/* True when a TXT string is an SPF record: "v=spf1" then end or space (RFC 7208 §4.5). */
bool dd_spf_is_record(const char *txt, size_t len);

#endif
