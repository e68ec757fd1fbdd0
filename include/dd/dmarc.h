/*
 * dmarc.h: the DMARC record as the checker reads it (RFC 9989 §4.7, §4.8),
 * policy discovery (RFC 9989 §4.10) and what the DMARC check extracts.
 * Where receivers that still follow RFC 7489 behave differently, the
 * comments say so.
 *
 * The parser is pure and allocates nothing: a parsed record points into the
 * text it was given, which must outlive it. The advisor and the tests parse
 * records back with it.
 */
#ifndef DD_DMARC_H
#define DD_DMARC_H

#include "dd/parse.h"
#include "dd/types.h"

enum dd_policy {
	DD_POLICY_UNSET = 0, /* the tag is absent */
	DD_POLICY_NONE,
	DD_POLICY_QUARANTINE,
	DD_POLICY_REJECT,
	DD_POLICY_INVALID, /* present with a value that is not one of the three */
};

const char *dd_policy_name(enum dd_policy p);
/* Parses none/quarantine/reject, case-insensitively (RFC 5234 §2.3 literals). */
enum dd_policy dd_policy_parse(const char *s, size_t len);
/* True for none, quarantine and reject. */
bool dd_policy_valid(enum dd_policy p);

/* The tags of RFC 9989 §4.7, the ones it removed, and everything else. */
enum dd_dmarc_tag_id {
	DD_DMARC_TAG_UNKNOWN = 0,
	DD_DMARC_TAG_V,
	DD_DMARC_TAG_P,
	DD_DMARC_TAG_SP,
	DD_DMARC_TAG_NP,
	DD_DMARC_TAG_ADKIM,
	DD_DMARC_TAG_ASPF,
	DD_DMARC_TAG_FO,
	DD_DMARC_TAG_RUA,
	DD_DMARC_TAG_RUF,
	DD_DMARC_TAG_T,
	DD_DMARC_TAG_PSD,
	DD_DMARC_TAG_PCT, /* removed by RFC 9989 (Appendix C.5.2) */
	DD_DMARC_TAG_RF,  /* removed */
	DD_DMARC_TAG_RI,  /* removed */
};

/* "p", "sp", ... for a known tag; NULL for DD_DMARC_TAG_UNKNOWN. */
const char *dd_dmarc_tag_name(enum dd_dmarc_tag_id id);

struct dd_dmarc_tag {
	enum dd_dmarc_tag_id id;
	const char *name; /* as written (tag names are read case-insensitively) */
	size_t name_len;
	const char *value; /* surrounding whitespace trimmed */
	size_t value_len;
	size_t column;       /* 1-based, where the name starts */
	size_t value_column; /* 1-based, where the value starts */
	bool duplicate;      /* a later occurrence of a tag seen before */
};

/* One entry of a rua or ruf list (RFC 9989 §4.6, §4.8 dmarc-urilist). */
struct dd_dmarc_uri {
	bool ruf;         /* from ruf, else rua */
	const char *text; /* the entry as written, "!size" included */
	size_t len;
	size_t column;
	bool valid;       /* a URI at all (scheme ":" ...) with a usable address for mailto */
	bool mailto;      /* scheme mailto (RFC 6068), the one every receiver must support */
	size_t uri_len;   /* length of the URI without any "!size" suffix */
	bool size_limit;  /* an RFC 7489 "!size" suffix: removed by RFC 9989 (Appendix C.4) */
	const char *addr; /* mailto: the address (local@domain), without ?hfields */
	size_t addr_len;
	char host[DD_NAME_MAX + 1]; /* mailto: the domain, normalised; "" when unusable */
};

/* What the parser found wrong or noteworthy; dmarc.c turns them into findings. */
enum dd_dmarc_problem_kind {
	/* errors: receivers ignore the value or the whole record (dmarc.syntax) */
	DD_DMARC_P_GRAMMAR,       /* the tag list does not parse at that column */
	DD_DMARC_P_BAD_VALUE,     /* a value its tag's grammar does not allow */
	DD_DMARC_P_DUPLICATE,     /* a tag given twice (RFC 6376 §3.2: the list is invalid) */
	DD_DMARC_P_URI_NO_SCHEME, /* "reports@example.com" without "mailto:" */
	DD_DMARC_P_URI_ADDRESS,   /* mailto: without a usable local@domain */
	DD_DMARC_P_URI_SIZE_BAD,  /* a "!" suffix that is not a size */
	/* notes */
	DD_DMARC_P_LEADING_SPACE, /* whitespace before v=DMARC1: the ABNF does not allow it */
	DD_DMARC_P_NO_POLICY,     /* no p tag */
	DD_DMARC_P_PCT,           /* pct (removed; RFC 7489 receivers sample) */
	DD_DMARC_P_REMOVED,       /* rf or ri (removed; ignored) */
	DD_DMARC_P_UNKNOWN_TAG,   /* a tag RFC 9989 does not define: ignored */
	DD_DMARC_P_URI_SIZE,      /* a "!size" suffix (removed by RFC 9989) */
	DD_DMARC_P_URI_SCHEME,    /* a scheme other than mailto: receivers need not support it */
	DD_DMARC_P_TOO_MANY_TAGS, /* more than DD_PARSE_MAX_TAGS: the rest was not read */
	DD_DMARC_P_TOO_MANY_URIS, /* more than DD_DMARC_MAX_URIS: the rest was not read */
};

struct dd_dmarc_problem {
	enum dd_dmarc_problem_kind kind;
	size_t tag;    /* index into tags, or SIZE_MAX */
	size_t uri;    /* index into uris, or SIZE_MAX */
	size_t column; /* 1-based */
};

#define DD_DMARC_MAX_URIS     16
#define DD_DMARC_MAX_PROBLEMS 32

/*
 * A parsed DMARC record. Values of tags that are absent or invalid are 0 /
 * DD_POLICY_UNSET / DD_POLICY_INVALID; the problems say which.
 */
struct dd_dmarc_record {
	bool valid_version; /* "v=DMARC1" first: it is a DMARC record at all */
	struct dd_dmarc_tag tags[DD_PARSE_MAX_TAGS];
	size_t ntags;
	bool tags_truncated;
	enum dd_policy p, sp, np;
	char adkim, aspf; /* 'r', 's' or 0 */
	char t;           /* 'y', 'n' or 0 */
	char psd;         /* 'y', 'n', 'u' or 0 */
	bool fo_valid;    /* an fo tag with a valid value */
	long pct;         /* the pct value, -1 when absent or not a number */
	bool has_rua;     /* at least one syntactically valid rua URI (RFC 9989 §4.10.1) */
	struct dd_dmarc_uri uris[DD_DMARC_MAX_URIS];
	size_t nuris;
	bool uris_truncated;
	struct dd_dmarc_problem problems[DD_DMARC_MAX_PROBLEMS];
	size_t nproblems;
	bool problems_truncated;
};

/* True when a TXT string starts with a "v" tag whose value is exactly DMARC1. */
bool dd_dmarc_is_record(const char *txt, size_t len);

/*
 * Parse a record. Returns false, with only valid_version cleared, when the
 * text is not a DMARC record; otherwise every tag is read and checked.
 * Never fails on bad input: problems are reported in `out`.
 */
bool dd_dmarc_parse(const char *txt, size_t len, struct dd_dmarc_record *out);

/* The first tag with this id, or NULL. */
const struct dd_dmarc_tag *dd_dmarc_get(const struct dd_dmarc_record *rec, enum dd_dmarc_tag_id id);

/* True when a problem is an error (dmarc.syntax), false for a note. */
bool dd_dmarc_problem_is_error(enum dd_dmarc_problem_kind kind);

/*
 * RFC 9989 §4.10.1: the policy a record requests for the domain it is
 * published at: p when p, sp and np are valid or absent; otherwise none when
 * a valid rua is present; otherwise DD_POLICY_INVALID (no DMARC processing).
 */
enum dd_policy dd_dmarc_requested_policy(const struct dd_dmarc_record *rec);

/* Why a TXT record that is not a DMARC record looks like a failed attempt at one. */
enum dd_dmarc_near_miss {
	DD_DMARC_NOT_CLOSE = 0,   /* unrelated text */
	DD_DMARC_QUOTED,          /* literal '"' around v=DMARC1... (quotes pasted into the data) */
	DD_DMARC_VERSION_CASE,    /* v=dmarc1: the value must match exactly */
	DD_DMARC_VERSION_GARBAGE, /* v=DMARC1 followed by something other than ';' */
	DD_DMARC_VERSION_NOT_FIRST, /* a v=DMARC1 tag, but not the first tag */
	DD_DMARC_VERSION_OTHER,     /* another v= value, or DMARC-looking text without v=DMARC1 */
};

enum dd_dmarc_near_miss dd_dmarc_near_miss(const char *txt, size_t len);

/*
 * RFC 9989 §4.10: the names of a DNS Tree Walk from a domain: _dmarc.<domain>,
 * then one label less while more than seven remain... at most eight names.
 */
#define DD_DMARC_WALK_MAX 8
size_t dd_dmarc_walk_names(const char *domain, char out[][DD_NAME_MAX + 1], size_t max);

/* ---------------------------------------------------------- the check */

/* Whether a report destination accepts reports about the domain (RFC 9990). */
enum dd_report_auth {
	DD_REPORT_AUTH_INTERNAL = 0, /* inside the Organizational Domain: nothing to ask */
	DD_REPORT_AUTH_YES,          /* <domain>._report._dmarc.<host> holds v=DMARC1 */
	DD_REPORT_AUTH_NO,           /* it does not: receivers drop the URI */
	DD_REPORT_AUTH_UNDETERMINED, /* the lookup failed */
	DD_REPORT_AUTH_UNKNOWN,      /* not looked up (offline) */
};

/* Whether the destination domain can receive mail (RFC 5321 §5.1, RFC 7505). */
enum dd_report_mail {
	DD_REPORT_MAIL_YES = 0,
	DD_REPORT_MAIL_NO, /* null MX, or no MX and no address */
	DD_REPORT_MAIL_UNDETERMINED,
	DD_REPORT_MAIL_UNKNOWN,
};

const char *dd_report_auth_name(enum dd_report_auth a);
const char *dd_report_mail_name(enum dd_report_mail m);

/* One rua/ruf destination of the record that applies. */
struct dd_dmarc_dest {
	bool ruf;
	char *uri;  /* without any !size suffix */
	char *host; /* the mailto domain */
	bool external;
	char *auth_name; /* <domain>._report._dmarc.<host>, NULL when internal */
	enum dd_report_auth auth;
	enum dd_report_mail mail;
};

struct dd_dmarc_info {
	enum dd_record_state state;
	char *record;       /* the record that applies; NULL when none */
	size_t record_len;  /* it may hold NUL bytes */
	char *found_at;     /* the name holding it, e.g. _dmarc.example.co.jp */
	char *cname_target; /* the name the record really sits at, when found_at is a CNAME */
	/* DMARC records at _dmarc.<domain> when there are several, which
	 * receivers discard all (dmarc.multiple); 0 otherwise */
	size_t discarded;
	const char *file;
	uint32_t line;
	bool inherited;        /* found above the domain by the tree walk */
	bool exists;           /* the domain itself exists (decides sp against np) */
	enum dd_policy policy; /* effective for the queried domain (sp/np applied) */
	enum dd_policy p, sp, np;
	char t;           /* 'y' when the record asks for test mode (RFC 9989 §4.7) */
	char *org_domain; /* RFC 9989 §4.10.2, NULL when undetermined */
	/* RFC 7489 receivers: the Public Suffix List view (NULL/UNSET when unknown) */
	char *psl_org_domain;
	bool rfc7489_known;
	enum dd_policy rfc7489_policy; /* DD_POLICY_INVALID: no DMARC at those receivers */
	char *rfc7489_found_at;
	struct dd_dmarc_dest *dests;
	size_t ndests;
};

void dd_dmarc_info_finish(struct dd_dmarc_info *info);

#endif
