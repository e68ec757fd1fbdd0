/*
 * dkim.h: what the DKIM check extracts (RFC 6376, RFC 8301, RFC 8463).
 *
 * Three layers, one file each in checks/:
 *   dkim_selectors.c  which selectors to probe, and who uses them
 *   dkim_parse.c      a key record's tags (RFC 6376 §3.6.1)
 *   dkim_key.c        the p= key itself, decoded with OpenSSL
 * and the check that ties them together: dkim.c asks the selectors and says
 * what no key means, dkim_record.c judges each key record found.
 */
#ifndef DD_DKIM_H
#define DD_DKIM_H

#include "dd/types.h"

/* ------------------------------------------------------------ the key */

enum dd_dkim_key_type {
	DD_DKIM_KEY_NONE = 0, /* revoked, or not decoded */
	DD_DKIM_KEY_RSA,
	DD_DKIM_KEY_ED25519,
	DD_DKIM_KEY_UNKNOWN, /* k= names a type we do not know (not decoded either) */
};

/* How the key bytes were laid out in p=. */
enum dd_dkim_key_encoding {
	DD_DKIM_ENC_NONE = 0,
	DD_DKIM_ENC_SPKI,  /* SubjectPublicKeyInfo: what almost every signer publishes */
	DD_DKIM_ENC_PKCS1, /* a bare RSAPublicKey (RFC 6376 §3.6.1 text, erratum 3017) */
	DD_DKIM_ENC_RAW,   /* ed25519: the 32 key bytes (RFC 8463 §4.2) */
};

/*
 * The outcome of decoding one p= value. `error` is a static reason (in
 * every language we ship) when the key cannot be used; `error_offset` is then the byte offset in the
 * p= value where decoding broke, or DD_DKIM_NO_OFFSET.
 */
#define DD_DKIM_NO_OFFSET ((size_t)-1)

struct dd_dkim_key {
	enum dd_dkim_key_type type;
	enum dd_dkim_key_encoding encoding;
	unsigned bits; /* RSA: exact modulus length; ed25519: 256 */
	const struct dd_text *error;
	size_t error_offset;
	char bad_char; /* base64 errors: the offending character, 0 otherwise */
};

/*
 * Decode a p= value for key type k ("rsa" or "ed25519"; k_len 0 means the
 * default, rsa). Base64 is strict (RFC 6376 §3.6.1 base64string): folding
 * whitespace between characters is allowed, anything else is an error.
 */
void dd_dkim_key_decode(const char *k, size_t k_len, const char *p, size_t p_len,
                        struct dd_dkim_key *out);
const char *dd_dkim_key_type_name(enum dd_dkim_key_type t);         /* "rsa", NULL */
const char *dd_dkim_key_encoding_name(enum dd_dkim_key_encoding e); /* "spki", NULL */

/* ---------------------------------------------------------- the record */

/* Caps for one record: a hostile one cannot make us keep more. The flags
 * below (h_sha256, s_email, testing...) are read from every item. */
#define DD_DKIM_MAX_LIST 16

/* One colon-separated list item (h=, s=, t=), pointing into the record. */
struct dd_dkim_item {
	const char *s;
	size_t len;
};

/*
 * A key record split into its tags (RFC 6376 §3.6.1). Pointers go into the
 * record text, which must outlive this struct. Columns are 1-based.
 */
struct dd_dkim_record {
	/* v= */
	bool has_v;
	bool v_first;    /* v= is the first tag, as §3.6.1 requires */
	bool v_is_dkim1; /* its value is exactly "DKIM1" */
	const char *v;   /* the value as written */
	size_t v_len;
	size_t v_column;     /* of the value */
	size_t v_tag_column; /* of the tag name */
	/* k= (empty when absent: the default is rsa) */
	const char *k;
	size_t k_len;
	size_t k_column;
	/* p= */
	bool has_p;
	const char *p;
	size_t p_len;
	size_t p_column; /* where the value starts */
	/* h=, s=, t= as lists; `has_*` false when the tag is absent */
	bool has_h, has_s, has_t;
	struct dd_dkim_item h[DD_DKIM_MAX_LIST], s[DD_DKIM_MAX_LIST], t[DD_DKIM_MAX_LIST];
	size_t nh, ns, nt;
	bool h_sha1, h_sha256; /* h= names these (case-insensitive) */
	bool s_email;          /* s= names "email" or "*" (or s= is absent) */
	bool testing;          /* t= has the flag y */
	bool strict;           /* t= has the flag s */
	/* n= and the obsolete g= (RFC 4871 §3.6.1), kept for the output */
	const char *n;
	size_t n_len;
	const char *g;
	size_t g_len;
	/* The first syntax problem of the tag list, 1-based column; NULL if none. */
	const struct dd_text *error;
	size_t error_column;
	/* The first '"' in the record: quotes left by a copy-paste (0: none). */
	size_t quote_column;
};

/*
 * Does this TXT string look like a DKIM key record at all? v= first with a
 * value starting "DKIM", or a p= or k= tag. Other TXT records at a selector
 * (an SPF record from a wildcard, a verification token) are not judged.
 */
bool dd_dkim_looks_like_key(const char *txt, size_t len);
/* Parse a key record. Never fails: problems are recorded in `out`. */
void dd_dkim_record_parse(const char *txt, size_t len, struct dd_dkim_record *out);
/* A TXT string that is only a host name (a CNAME target pasted as TXT). */
bool dd_dkim_looks_like_hostname(const char *txt, size_t len);

/* ------------------------------------------------------- the selectors */

/* One selector where a DKIM key record was found (JSON: dkim.selectors[]). */
struct dd_dkim_selector {
	char *selector; /* "*" for a wildcard key */
	char *found_at; /* the owner after CNAMEs */
	/* who uses this selector or serves its CNAME target; NULL when unknown */
	const char *provider;
	/* why `provider` says so: "cname" (the CNAME target names it), "selector"
	 * (the table), "selector-shared" (the table, but others use the name too),
	 * "generic" (a name any signer uses: no provider), NULL (--selector) */
	const char *provider_basis;
	char *record;
	size_t record_len;
	const char *file;
	uint32_t line;
	bool wildcard; /* answered for any selector: *._domainkey */
	bool cname;    /* reached through a CNAME */
	bool revoked;  /* empty p= */
	bool testing;  /* t=y */
	bool malformed; /* the key cannot be used (a dkim.malformed or dkim.stray-quotes finding says why) */
	const char *key_type;     /* "rsa", "ed25519"; NULL when revoked or unusable */
	const char *key_encoding; /* "spki", "pkcs1", "raw"; NULL likewise */
	unsigned key_bits;        /* 0 when unknown */
	char **hash_algorithms;   /* h=, as written; NULL/0 when absent (any) */
	size_t nhash_algorithms;
	char **flags; /* t=, as written */
	size_t nflags;
	char **service_types; /* s=, as written; NULL/0 when absent (any) */
	size_t nservice_types;
	char *notes; /* n=, NULL when absent */
};

struct dd_dkim_info {
	enum dd_record_state state; /* found / missing / undetermined (a probe failed) / unknown */
	struct dd_dkim_selector *v;
	size_t n;
	size_t probed; /* selectors asked */
	size_t failed; /* of those, lookups that failed (SERVFAIL, timeout, ...) */
	size_t usable; /* keys a verifier can use: not revoked, not malformed */
	bool wildcard; /* *._domainkey answers every selector */
	/* _domainkey.<domain>: "exists", "nxdomain" (RFC 8020: no selector below
	 * it, so the table was not asked; they count as probed), "broken" (an
	 * NXDOMAIN, yet a selector below it answered: every selector was asked),
	 * "undetermined", "unknown"; NULL when not asked */
	const char *domainkey;
};

void dd_dkim_info_finish(struct dd_dkim_info *info);

/* The selectors probed for every domain (built-in table + --selector). */
size_t dd_dkim_builtin_count(void);
const char *dd_dkim_builtin_selector(size_t i);
const char *dd_dkim_builtin_provider(size_t i);
/* True when other signers use the same name, so the provider is a guess. */
bool dd_dkim_builtin_shared(size_t i);

/* The provider that serves a CNAME target (e.g. *.onmicrosoft.com), or NULL. */
const char *dd_dkim_provider_by_target(const char *name);
/* Providers whose selectors are per-domain tokens that no list can guess. */
size_t dd_dkim_unguessable_count(void);
const char *dd_dkim_unguessable_provider(size_t i);
/* The token-selector provider an SPF include: names (amazonses.com ...), or NULL. */
const char *dd_dkim_unguessable_by_spf_include(const char *domain, size_t len);

/* The probe that detects a wildcard *._domainkey: no signer uses this name. */
#define DD_DKIM_WILDCARD_PROBE "dmarc-doctor-wildcard-probe"

#endif
