/*
 * spf.h: SPF (RFC 7208) - the record parser (checks/spf_parse.c), macro
 * expansion (checks/spf_macro.c), the whole-tree lookup count
 * (checks/spf_tree.c), check_host() (checks/spf_eval.c), and what the SPF
 * check extracts for the renderers (checks/spf.c).
 *
 * Everything here is pure: records and answers in, structures out.
 */
#ifndef DD_SPF_H
#define DD_SPF_H

#include "dd/types.h"
#include "dd/util.h"

/* ------------------------------------------------------------- parser */

/* Hard cap on the terms read from one record; the rest is left unread. */
#define DD_SPF_MAX_TERMS 1024

/* RFC 7208 §4.6.4: DNS-querying terms and void lookups a receiver allows. */
#define DD_SPF_MAX_LOOKUPS 10
#define DD_SPF_MAX_VOID    2
/* RFC 7208 §4.6.4: names of one mx (or ptr) looked up for addresses. */
#define DD_SPF_MAX_NAMES 10
/* Past DD_SPF_MAX_NAMES an mx term is a permerror and receivers look up no host
 * (§4.6.4); the gather still asks the A/AAAA of up to this many MX hosts, so
 * that the repair can write their addresses in the mx's place (spf_repair_mx.c). */
#define DD_SPF_MX_REPAIR_HOSTS 50

enum dd_spf_qualifier {
	DD_SPF_Q_PASS = 0, /* "+", the default */
	DD_SPF_Q_FAIL,     /* "-" */
	DD_SPF_Q_SOFTFAIL, /* "~" */
	DD_SPF_Q_NEUTRAL,  /* "?" */
};

enum dd_spf_kind {
	DD_SPF_ALL = 0,
	DD_SPF_INCLUDE,
	DD_SPF_A,
	DD_SPF_MX,
	DD_SPF_PTR,
	DD_SPF_IP4,
	DD_SPF_IP6,
	DD_SPF_EXISTS,
	DD_SPF_REDIRECT, /* modifiers from here on */
	DD_SPF_EXP,
	DD_SPF_MODIFIER, /* an unknown modifier: ignored by receivers (RFC 7208 §6) */
};

/* One term; the pointers point into the parsed text. */
struct dd_spf_term {
	enum dd_spf_kind kind;
	enum dd_spf_qualifier qualifier;
	const char *text; /* the whole term, qualifier included */
	size_t len;
	size_t column;    /* 1-based, in the record */
	const char *spec; /* domain-spec (or an unknown modifier's value); NULL when absent */
	size_t spec_len;
	bool macro;             /* spec holds a macro-expand (RFC 7208 §7.1) */
	int cidr4, cidr6;       /* prefix lengths; -1 when absent (ip4 uses cidr4, ip6 cidr6) */
	unsigned char addr[16]; /* ip4 (4 octets) or ip6 network, host bits as written */
	const char *name;       /* an unknown modifier's name */
	size_t name_len;
	/* A DNS-querying term whose argument does not parse ("include:x.example~all"):
	 * kept, without a spec, so that the lookup is still counted. */
	bool invalid;
};

struct dd_spf_record {
	struct dd_spf_term *terms; /* the terms that parsed (and invalid DNS terms), in order */
	size_t nterms;
	bool truncated;       /* more than DD_SPF_MAX_TERMS terms: the rest was not read */
	size_t unread_column; /* with truncated: the 1-based column of the first term not read */
	/* The first syntax error (RFC 7208 §4.6: any error makes the record permerror). */
	const struct dd_text *error;
	size_t error_column;
	/* "redirect=" or "exp=" when the error is a second one of it (RFC 7208 §6), else NULL */
	const char *duplicate;
	long all, redirect, exp; /* index of the term, -1 when absent */
};

/* True when a TXT string is an SPF record: "v=spf1" then end or space (RFC 7208 §4.5). */
bool dd_spf_is_record(const char *txt, size_t len);
/* How many SPF records a TXT answer holds (one is right, RFC 7208 §4.5), and the first. */
size_t dd_spf_records(const struct dd_answer *a, const struct dd_rr **first);
/*
 * Parse a record (RFC 7208 §4.6.1, §5, §6, §7.1, §12). Never fails outright:
 * the terms that parse are kept, the first error is reported with its column.
 */
void dd_spf_parse(const char *txt, size_t len, struct dd_spf_record *out);
void dd_spf_record_finish(struct dd_spf_record *r);
/* include, a, mx, ptr, exists and redirect query the DNS (RFC 7208 §4.6.4). */
bool dd_spf_kind_queries_dns(enum dd_spf_kind k);
const char *dd_spf_kind_name(enum dd_spf_kind k);
char dd_spf_qualifier_char(enum dd_spf_qualifier q);

/* ------------------------------------------------------- macros (§7) */

/* The sending client of check_host(): what macros may expand to. It points
 * into itself: initialise it in place and never copy it. */
struct dd_spf_client {
	bool has_ip;
	int family; /* 4 or 6; an IPv4-mapped IPv6 address is 4 (RFC 7208 §5) */
	unsigned char ip[16];
	const char *sender; /* local@domain; NULL when unknown */
	const char *local;  /* local-part ("postmaster" when empty, §4.3) */
	const char *sender_domain;
	const char *helo; /* NULL when unknown */
	/* storage for the above */
	char sender_buf[DD_NAME_MAX + 130];
	char local_buf[128];
};

/*
 * The client as the options describe it: without an IP only %{d} and %{o}
 * can be expanded (the whole-tree count); with one, every macro.
 * `sender` defaults to postmaster@<domain>, `helo` to <domain>.
 * Returns false when ip is given but is not an IP address.
 */
bool dd_spf_client_init(struct dd_spf_client *c, const char *domain, const char *ip,
                        const char *sender, const char *helo);

struct dd_spf_macro_env {
	const struct dd_spf_client *client;
	const char *domain;    /* %{d}: the domain whose record is evaluated */
	const char *validated; /* %{p}: the validated name or "unknown"; NULL while not known */
};

enum dd_spf_expand {
	DD_SPF_EXPAND_OK = 0,
	DD_SPF_EXPAND_NEEDS_CLIENT, /* a macro of the sending client, which we do not have */
	DD_SPF_EXPAND_NEEDS_PTR,    /* %{p}, whose PTR lookups are not all in yet */
	DD_SPF_EXPAND_BAD,          /* a syntax error in the macro-string */
};

/*
 * Expand a macro-string (RFC 7208 §7.1-§7.4). `explain` allows the letters
 * c, r and t and requires printable ASCII (an explanation string, §6.2).
 */
enum dd_spf_expand dd_spf_expand(const char *s, size_t len, const struct dd_spf_macro_env *env,
                                 bool explain, struct dd_strbuf *out);
/*
 * A domain-spec to the name to ask: expanded, left labels dropped beyond 253
 * octets (§7.3), the trailing dot ignored, normalised. `*valid` is false
 * when the result is no DNS name (an empty or over-long label): such a term
 * asks nothing and matches nothing.
 */
enum dd_spf_expand dd_spf_target(const char *spec, size_t len, const struct dd_spf_macro_env *env,
                                 char out[DD_NAME_MAX + 1], bool *valid);
/*
 * SPF's name normaliser: as dd_name_normalize(), but a label may hold any
 * printable ASCII and spaces, which macros copy from local-parts (§7.3).
 */
bool dd_spf_name(const char *in, size_t len, char out[DD_NAME_MAX + 1]);
/* The reverse-lookup name of the client's IP (in-addr.arpa or ip6.arpa). */
void dd_spf_reverse_name(const struct dd_spf_client *c, char out[DD_NAME_MAX + 1]);

/* ----------------------------------------------------- the whole tree */

enum dd_spf_node_status {
	DD_SPF_NODE_OK = 0,       /* one SPF record, walked */
	DD_SPF_NODE_VOID,         /* NXDOMAIN or NODATA: a void lookup, no record */
	DD_SPF_NODE_NO_RECORD,    /* TXT records, none an SPF record */
	DD_SPF_NODE_MULTIPLE,     /* several SPF records: permerror */
	DD_SPF_NODE_FAILED,       /* the lookup failed (SERVFAIL, timeout, refused) */
	DD_SPF_NODE_LOOP,         /* the name is already on the path from the root */
	DD_SPF_NODE_UNRESOLVED,   /* the target needs a macro of the sending client */
	DD_SPF_NODE_INVALID,      /* the target is not a DNS name */
	DD_SPF_NODE_NOT_FOLLOWED, /* not looked up: a cap, or --offline */
};

const char *dd_spf_node_status_name(enum dd_spf_node_status s);

/* The record of the domain, or of one include:/redirect= target. */
struct dd_spf_node {
	char *name; /* the target as asked (the domain-spec when unresolved) */
	char *term; /* the term of the parent's record; NULL at the root */
	bool redirect;
	enum dd_spf_node_status status;
	char *record; /* NULL unless one SPF record was found */
	size_t record_len;
	int lookups;            /* its cost: its own term (1, 0 at the root) and all below */
	int own_lookups;        /* DNS-querying terms of its record */
	int void_lookups;       /* void lookups of its own term and all below */
	bool lower_bound;       /* something below could not be counted */
	struct dd_words *voids; /* the terms of its record that met a void lookup, and why */
	size_t nvoids;
	struct dd_spf_node *children; /* include:/redirect= targets, in record order */
	size_t nchildren;

	/* Its record's all mechanism, when it has one (status ok). */
	bool has_all;
	enum dd_spf_qualifier all;
	bool after_all; /* its term follows its parent's all: never evaluated (RFC 7208 §5.1) */
	/* Its record has more terms than the parser reads (DD_SPF_MAX_TERMS): an
	 * all or redirect= may be in the unread part, so no verdict may rest on
	 * their absence (spf.parse-cap says so). */
	bool unread;
};

void dd_spf_node_finish(struct dd_spf_node *n);

/* ------------------------------------------------------ check_host() */

enum dd_spf_result {
	DD_SPF_NONE = 0,
	DD_SPF_NEUTRAL,
	DD_SPF_PASS,
	DD_SPF_FAIL,
	DD_SPF_SOFTFAIL,
	DD_SPF_TEMPERROR,
	DD_SPF_PERMERROR,
};

const char *dd_spf_result_name(enum dd_spf_result r);

/* One record on the way to the result: its domain and the term that led on or matched. */
struct dd_spf_step {
	char *domain;
	char *term; /* NULL: no term matched (the default result) */
};

struct dd_spf_verdict {
	bool evaluated;
	enum dd_spf_result result;
	char *ip, *sender, *helo; /* as evaluated */
	struct dd_spf_step *path; /* root first; the last step holds the matching term */
	size_t npath;
	char *explanation;      /* the exp= text for a fail, NULL when none */
	struct dd_words reason; /* why none, permerror or temperror */
	int lookups;            /* DNS-querying terms evaluated, as a receiver counts them */
	int void_lookups;
	bool incomplete;  /* a lookup it needed was not made (a cap): the result is temperror */
	size_t ptr_names; /* PTR names of the client, when ptr or %{p} looked them up */
};

void dd_spf_verdict_finish(struct dd_spf_verdict *v);

/* ---------------------------------------------------- what SPF extracts */

struct dd_spf_info {
	enum dd_record_state state;
	char *record; /* the one v=spf1 record, strings joined; NULL when absent */
	size_t record_len;
	size_t nrecords;  /* v=spf1 records found: more than one is spf.multiple, record NULL */
	const char *file; /* zone file and line of the record, when from a zone */
	uint32_t line;
	bool counted;     /* lookups/void_lookups below are meaningful */
	int lookups;      /* DNS-querying terms in the whole expanded tree (RFC 7208 §4.6.4) */
	int void_lookups; /* of those, answered NXDOMAIN or NODATA */
	bool lower_bound; /* part of the tree could not be counted: the counts are minimums */
	const char *all;  /* the effective all ("-all", "~all", "?all", "+all"), NULL when none */
	struct dd_spf_node *tree;         /* NULL when no record was found */
	struct dd_spf_verdict check_host; /* with --ip */
	struct dd_spf_repair *repair;     /* a proposed record (spf_repair.c); NULL when none */
};

void dd_spf_info_finish(struct dd_spf_info *info);

/* ------------------------------------------ judging (spf_tree, spf_eval) */

struct dd_findings;

/*
 * Walk the whole tree of the domain's one SPF record (the `rr` of the TXT
 * answer `ans`) over the posture's answers: every include/redirect target,
 * counted as often as it is referenced. Adds the findings about the records
 * of the tree (syntax, includes without a record, loops, ranges, ...).
 */
void dd_spf_tree_build(const struct dd_posture *p, const struct dd_answer *ans,
                       const struct dd_rr *rr, struct dd_spf_node *root, struct dd_findings *fs);
/*
 * %{p} for `domain` (RFC 7208 §7.3) from the posture's PTR and address
 * answers; false while some of them are not in (then `out` is untouched).
 */
bool dd_spf_validated_name(const struct dd_posture *p, const struct dd_spf_client *client,
                           const char *domain, char out[DD_NAME_MAX + 1]);
/* check_host(ip, domain, sender) over the posture's answers (RFC 7208 §4-§6). */
void dd_spf_check_host(const struct dd_posture *p, const struct dd_spf_client *client,
                       struct dd_spf_verdict *out);

/* ------------------------------------------------ repair (spf_repair.c) */

struct dd_text;

enum dd_spf_change_kind {
	DD_SPF_CH_AFTER_ALL = 0,    /* a mechanism after all: never evaluated (§5.1) */
	DD_SPF_CH_REDIRECT_IGNORED, /* redirect= beside all (§6.1) */
	DD_SPF_CH_DUPLICATE,        /* the same mechanism again */
	DD_SPF_CH_MERGE_RANGES,     /* ip4:/ip6: ranges merged (CIDR aggregation) */
	DD_SPF_CH_NEVER_MATCHES,    /* a term whose every address is decided before it */
	DD_SPF_CH_COVERED_INCLUDE,  /* an include whose every address is authorised by the rest */
	DD_SPF_CH_INLINE_INCLUDE,   /* an include replaced by its addresses ("flattened") */
	DD_SPF_CH_ALL_QUALIFIER,    /* +all or ?all made ~all: results change (proof) */
	DD_SPF_CH_INLINE_REDIRECT,  /* redirect= replaced by its target's terms */
	DD_SPF_CH_INLINE_MX,        /* an mx past 10 MX hosts replaced by their addresses */
};

const char *dd_spf_change_kind_name(enum dd_spf_change_kind k);

/* One step of a repair: the terms it took out, the terms it put in their place, and why. */
struct dd_spf_change {
	enum dd_spf_change_kind kind;
	char **removed; /* terms as written */
	size_t nremoved;
	char **added;
	size_t nadded;
	const struct dd_text *why; /* {1}..{4} from args */
	char *args[4];
	/* inline-include: the include's smallest TTL, and the provider when it is one */
	uint32_t ttl;
	const char *provider;     /* NULL unless the include is a provider's */
	const char *provider_url; /* where the provider documents its include */
	size_t ranges;            /* ranges the include became */
	size_t hosts;             /* inline-mx: the MX hosts whose addresses were written */
};

enum dd_spf_risk {
	DD_SPF_RISK_NONE = 0, /* the same results for every client, nothing copied */
	DD_SPF_RISK_STALE,    /* the same results today; copied addresses may go stale */
	DD_SPF_RISK_CHANGES,  /* some clients get another result: the proof lists them */
};

const char *dd_spf_risk_name(enum dd_spf_risk r);

/* What changes between two records, for every client address (ranges as ip4:/ip6: text). */
struct dd_spf_result_change {
	enum dd_spf_result from, to; /* DD_SPF_NONE with unknown set: not computable */
	bool from_unknown, to_unknown;
	char **ranges;
	size_t nranges;
};

struct dd_spf_proof {
	bool equal;              /* every client gets the same result from both records */
	char **added, **removed; /* ranges that gain or lose pass */
	size_t nadded, nremoved;
	struct dd_spf_result_change *changed; /* every result change, pass included */
	size_t nchanged;
	char **unprovable;    /* terms whose sets depend on the client: "term (domain: why)" */
	char **unprovable_ja; /* the same, why in Japanese; as many */
	size_t nunprovable;
};

struct dd_spf_repair {
	char *record; /* the proposed record */
	size_t record_len;
	int lookups, void_lookups; /* the proposal counted by spf_tree.c, as if published */
	bool lower_bound;
	int lookups_before, void_lookups_before;
	size_t nstrings;     /* 255-octet strings of the zone line */
	char *zone_line;     /* "example.com. 3600 IN TXT \"v=spf1 ...\"" */
	char *old_zone_line; /* the record it replaces, in the same form */
	bool too_long;       /* over 450 octets (RFC 7208 §3.4): the answer may need TCP */
	bool within_limits;  /* lookups <= 10 and void lookups <= 2 */
	struct dd_spf_change *changes;
	size_t nchanges;
	enum dd_spf_risk risk;
	struct dd_spf_proof proof;
	char *alternative; /* the exists:%{i} form for inlined includes, NULL when none */
	const char *file;  /* zone file and line of the record it replaces */
	uint32_t line;
};

/*
 * Propose a repaired record for the domain's one SPF record (rr of the TXT
 * answer ans) over the gathered posture, with the proof: NULL when the
 * record is within the limits and nothing in it is redundant, or when it
 * cannot be repaired (a syntax error).
 */
struct dd_spf_repair *dd_spf_repair_create(const struct dd_posture *p, const struct dd_answer *ans,
                                           const struct dd_rr *rr, const struct dd_spf_info *info);
/*
 * The same without the pre-check below (for the test that the pre-check never
 * skips a record this would repair), and the pre-check: true when no repair
 * step can apply to the parsed record with the published counts.
 */
struct dd_spf_repair *dd_spf_repair_create_full(const struct dd_posture *p,
                                                const struct dd_answer *ans, const struct dd_rr *rr,
                                                const struct dd_spf_info *info);
bool dd_spf_repair_needless(const struct dd_spf_record *rec, int lookups, int voids);
void dd_spf_repair_destroy(struct dd_spf_repair *r); /* accepts NULL */
/*
 * The proof alone: what changes for every client between the record the
 * domain publishes (rr) and `proposed`, over the same posture.
 */
void dd_spf_prove(const struct dd_posture *p, const char *domain, const char *original,
                  size_t original_len, const char *proposed, size_t proposed_len,
                  struct dd_spf_proof *out);
void dd_spf_proof_finish(struct dd_spf_proof *pr);

#endif
