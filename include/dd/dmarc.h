/*
 * dmarc.h: what the DMARC check extracts (RFC 9989, differences from RFC 7489
 * noted where they matter).
 */
#ifndef DD_DMARC_H
#define DD_DMARC_H

#include "dd/types.h"

enum dd_policy {
	DD_POLICY_UNSET = 0, /* the tag is absent */
	DD_POLICY_NONE,
	DD_POLICY_QUARANTINE,
	DD_POLICY_REJECT,
	DD_POLICY_INVALID, /* present with a value that is not one of the three */
};

const char *dd_policy_name(enum dd_policy p);
/* Parses none/quarantine/reject (case-insensitive, RFC 9989 §4.7). */
enum dd_policy dd_policy_parse(const char *s, size_t len);

/* The tags of a DMARC record that policy discovery needs. */
struct dd_dmarc_record {
	bool valid_version; /* starts with v=DMARC1 (RFC 9989 §4.7) */
	enum dd_policy p, sp, np;
	char psd; /* 'y', 'n', 'u' or 0 when absent (RFC 9989 §4.7) */
	bool has_rua;
};

/*
 * Parse the tags discovery needs; tolerant (the DMARC check reports syntax).
 * Returns false when the text is not a DMARC record at all.
 */
bool dd_dmarc_record_scan(const char *txt, size_t len, struct dd_dmarc_record *out);
/* True when a TXT string starts with "v=DMARC1" (RFC 9989 §4.7: version first). */
bool dd_dmarc_is_record(const char *txt, size_t len);

/* RFC 9989 §4.10: the names of a DNS Tree Walk from a domain, at most 5. */
size_t dd_dmarc_walk_names(const char *domain, char out[][DD_NAME_MAX + 1], size_t max);

struct dd_dmarc_info {
	enum dd_record_state state;
	char *record;      /* the record that applies; NULL when none */
	size_t record_len; /* it may hold NUL bytes */
	char *found_at;    /* the name holding it, e.g. _dmarc.example.co.jp */
	const char *file;
	uint32_t line;
	bool inherited;        /* found above the domain by the tree walk */
	enum dd_policy policy; /* effective for the queried domain (sp/np applied) */
	enum dd_policy p, sp, np;
	char *org_domain; /* RFC 9989 §4.10.2, NULL when undetermined */
};

void dd_dmarc_info_finish(struct dd_dmarc_info *info);

#endif
