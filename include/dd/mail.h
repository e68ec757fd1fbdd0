/*
 * mail.h: what the receiving-side checks extract - MX hosts (RFC 5321,
 * RFC 7505), MTA-STS (RFC 8461), TLS-RPT (RFC 8460) and BIMI - and the pure
 * parsers they use (the fuzz harnesses and unit tests call them directly).
 */
#ifndef DD_MAIL_H
#define DD_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/fetch.h"
#include "dd/types.h"

/* ------------------------------------------------------------------ MX */

struct dd_mx_host {
	char *name; /* the exchange as published, normalised when it is a name */
	uint16_t pref;
	enum dd_record_state addr_state; /* found: A or AAAA; missing: neither */
	size_t nv4, nv6;
	char *cname;     /* the alias target when the exchange is a CNAME (RFC 5321 §5.1) */
	bool ip_literal; /* an address where a name belongs */
	bool duplicate;  /* listed before */
	const char *file;
	uint32_t line;
};

/* The MX view the other checks share (null MX: RFC 7505). */
struct dd_mx_info {
	enum dd_record_state state;
	bool null_mx;
	size_t nhosts;            /* MX records (the JSON `hosts`, a number) */
	struct dd_mx_host *hosts; /* the records, by preference (`host_list`) */
	size_t nlist;
};

void dd_mx_info_finish(struct dd_mx_info *mx);
/* "192.0.2.1", "[192.0.2.1]", "2001:db8::1", "[IPv6:...]": an address, not a name. */
bool dd_is_ip_literal(const char *s, size_t len);

/* ------------------------------------------------------------- MTA-STS */

enum dd_sts_mode {
	DD_STS_MODE_UNSET = 0,
	DD_STS_MODE_ENFORCE,
	DD_STS_MODE_TESTING,
	DD_STS_MODE_NONE,
	DD_STS_MODE_INVALID,
};

const char *dd_sts_mode_name(enum dd_sts_mode m);

/* RFC 8461 §3.2: max_age is at most 31557600 s (about a year). */
#define DD_STS_MAX_AGE_MAX 31557600L
/* Below a day a policy protects little between fetches (RFC 8461 §3.2 advises weeks). */
#define DD_STS_MAX_AGE_LOW  86400L
#define DD_STS_MAX_MX       64
#define DD_STS_MAX_PROBLEMS 16

enum dd_sts_problem_code {
	DD_STS_P_NO_VERSION = 0, /* no "version: STSv1" first */
	DD_STS_P_BAD_VERSION,
	DD_STS_P_NO_MODE,
	DD_STS_P_BAD_MODE,
	DD_STS_P_NO_MAX_AGE,
	DD_STS_P_BAD_MAX_AGE, /* not 1-10 digits, or over DD_STS_MAX_AGE_MAX */
	DD_STS_P_NO_MX,       /* enforce/testing without an mx line */
	DD_STS_P_BAD_MX,      /* not a name or a "*." wildcard of one */
	DD_STS_P_DUPLICATE,   /* version, mode or max_age twice */
	DD_STS_P_BAD_LINE,    /* not "key: value" */
	DD_STS_P_TOO_MANY_MX, /* past DD_STS_MAX_MX */
	DD_STS_P_NOT_TEXT,    /* NUL or control bytes */
};

struct dd_sts_problem {
	enum dd_sts_problem_code code;
	uint32_t line; /* 1-based line of the policy, 0 for the whole policy */
	char *text;    /* the offending value, may be NULL */
};

struct dd_sts_policy {
	bool version_ok;
	enum dd_sts_mode mode;
	long max_age; /* -1 when absent or invalid */
	char **mx;    /* patterns, lowercase, as written ("*.example.net" or a name) */
	size_t nmx;
	struct dd_sts_problem problems[DD_STS_MAX_PROBLEMS];
	size_t nproblems;
	size_t problems_dropped;
};

/* RFC 8461 §3.2 grammar; never fails, every deviation is a problem. */
void dd_sts_policy_parse(const char *body, size_t len, struct dd_sts_policy *out);
void dd_sts_policy_finish(struct dd_sts_policy *p);
/* RFC 8461 §4.1: an MX host matches a pattern; "*." matches one leftmost label. */
bool dd_sts_mx_match(const char *pattern, const char *host);

/* The _mta-sts TXT record (RFC 8461 §3.1): "v=STSv1; id=...;". */
struct dd_sts_record {
	bool version_ok;
	char id[33];
	bool id_ok; /* 1-32 alphanumerics */
	bool has_id;
	bool syntax_ok;
};

bool dd_sts_record_is_sts(const char *txt, size_t len);
void dd_sts_record_parse(const char *txt, size_t len, struct dd_sts_record *out);

struct dd_mta_sts_info {
	enum dd_record_state state; /* the _mta-sts TXT record */
	char *record;
	char *id;
	char *policy_url;
	enum dd_record_state
	        policy_state; /* found, missing (fetch failed), undetermined, unknown */
	enum dd_fetch_status fetch_status;
	long http_code;
	enum dd_sts_mode mode;
	long max_age;
	char **mx; /* the policy's patterns */
	size_t nmx;
	char **unmatched; /* MX hosts no pattern covers */
	size_t nunmatched;
};

void dd_mta_sts_info_finish(struct dd_mta_sts_info *m);

/* ------------------------------------------------------------- TLS-RPT */

#define DD_TLSRPT_MAX_RUA 16

struct dd_tlsrpt_record {
	bool version_ok;
	bool syntax_ok;
	char *rua[DD_TLSRPT_MAX_RUA];
	size_t nrua;
	size_t bad_rua; /* URIs that are not mailto:/https: with a valid address or host */
	char *first_bad;
	bool no_rua;
};

bool dd_tlsrpt_record_is_tlsrpt(const char *txt, size_t len);
void dd_tlsrpt_record_parse(const char *txt, size_t len, struct dd_tlsrpt_record *out);
void dd_tlsrpt_record_finish(struct dd_tlsrpt_record *r);

struct dd_tls_rpt_info {
	enum dd_record_state state;
	char *record;
	char **rua;
	size_t nrua;
};

void dd_tls_rpt_info_finish(struct dd_tls_rpt_info *t);

/* ---------------------------------------------------------------- BIMI */

/* The BIMI Group's SVG Tiny PS profile: at most 32 KiB. */
#define DD_BIMI_SVG_MAX (32u * 1024u)

struct dd_bimi_record {
	bool version_ok;
	bool syntax_ok;
	char *l; /* NULL when absent; "" when empty (declination) */
	char *a;
	bool l_ok, a_ok; /* https:// URLs (or empty) */
};

bool dd_bimi_record_is_bimi(const char *txt, size_t len);
void dd_bimi_record_parse(const char *txt, size_t len, struct dd_bimi_record *out);
void dd_bimi_record_finish(struct dd_bimi_record *r);

enum dd_svg_problem {
	DD_SVG_NOT_XML = 0, /* expat failed: the message holds why */
	DD_SVG_NOT_SVG,     /* the root is not <svg> in the SVG namespace */
	DD_SVG_NOT_TINY_PS, /* baseProfile is not "tiny-ps" */
	DD_SVG_NO_TITLE,    /* no <title> child of the root */
	DD_SVG_SCRIPT,      /* <script> or on* event attributes */
	DD_SVG_EXTERNAL,    /* href/xlink:href outside the document, <image>, <foreignObject> */
	DD_SVG_ANIMATION,   /* <animate>, <set>, ... */
	DD_SVG_NOT_SQUARE,  /* viewBox width != height, or none */
	DD_SVG_TOO_LARGE,   /* over DD_BIMI_SVG_MAX */
	DD_SVG_X_Y,         /* x= or y= on the root (not allowed by the profile) */
	DD_SVG_PROBLEM_COUNT,
};

struct dd_svg_check {
	bool problems[DD_SVG_PROBLEM_COUNT];
	char detail[DD_SVG_PROBLEM_COUNT][96]; /* the element or attribute that caused each */
	char title[128];
	double vb_width, vb_height;
};

void dd_svg_check(const char *data, size_t len, struct dd_svg_check *out);

/* A VMC/CMC (PEM chain; the first certificate is the holder's). */
struct dd_bimi_cert {
	bool parsed;
	const struct dd_text *error; /* why not parsed, in every language we ship */
	int64_t not_after;           /* seconds since the epoch */
	int64_t not_before;
	bool expired;       /* `now` is outside the validity period (never when now is 0) */
	bool san_match;     /* a dNSName SAN equals the domain (or <selector>._bimi.<domain>) */
	int logotype_match; /* 1 hash matches the SVG, 0 differs, -1 no logotype extension */
	char san_first[128];
};

/*
 * The value of a logotype extension (RFC 3709, DER) against the SVG served:
 * 1 it holds the logo (a data: URI of it, or a hash of its bytes), 0 it
 * holds another, -1 it holds neither hash nor data.
 */
int dd_bimi_logotype_match(const unsigned char *der, size_t len, const char *svg, size_t svg_len);
void dd_bimi_cert_check(const char *pem, size_t len, const char *domain, const char *selector,
                        const char *svg, size_t svg_len, int64_t now, struct dd_bimi_cert *out);

struct dd_bimi_info {
	enum dd_record_state state;
	char *selector;
	char *found_at;
	char *record;
	char *logo_url;
	char *authority_url;
	bool declined;     /* l= and a= empty: the domain says it has no logo */
	bool dmarc_allows; /* an enforcing DMARC policy (quarantine/reject, no pct < 100) */
	enum dd_fetch_status logo_fetch;
	bool logo_checked;
	bool logo_ok; /* every SVG Tiny PS essential holds */
	enum dd_fetch_status cert_fetch;
	bool cert_checked;
	int64_t cert_not_after;
	bool cert_ok;
};

void dd_bimi_info_finish(struct dd_bimi_info *b);

#endif
