/*
 * check.h: what a check module is, what it produces (findings), and the
 * result that owns everything one domain's run produced.
 *
 * A check is three pure functions over a posture (STYLE.md habits 3-4):
 *   wants()  the names it needs before any answer,
 *   follow() the names an arriving answer makes it need next,
 *   judge()  its findings and extracted records, once every answer is in.
 * The gather engine owns DNS, the seen-set, the caps and the cache.
 */
#ifndef DD_CHECK_H
#define DD_CHECK_H

#include <stdarg.h>

#include "dd/dkim.h"
#include "dd/dnssec.h"
#include "dd/dmarc.h"
#include "dd/mail.h"
#include "dd/spf.h"
#include "dd/types.h"

/* ---------------------------------------------------------------- wants */

struct dd_want {
	char name[DD_NAME_MAX + 1];
	uint16_t type;
};

struct dd_wants {
	struct dd_want *v;
	size_t n;
	size_t cap;
	char **urls; /* HTTPS resources (dd/fetch.h) */
	size_t nurls;
	size_t urls_cap;
};

/*
 * Ask for (name, type). The name is normalised (lowercase, no trailing dot).
 * Returns false, and asks nothing, when name is not a valid DNS name: the
 * check reports that itself as a finding.
 */
bool dd_wants_add(struct dd_wants *out, const char *name, uint16_t type);
void dd_wants_finish(struct dd_wants *w);
/*
 * Ask for an https:// resource. The engine asks the host's A and AAAA
 * itself, then fetches (or records why not). Returns false, and asks
 * nothing, for a URL dd_url_parse_https() refuses.
 */
bool dd_wants_fetch(struct dd_wants *out, const char *url, size_t len);

/* ------------------------------------------------------------- findings */

enum dd_severity {
	DD_SEV_INFO = 0,
	DD_SEV_WARNING,
	DD_SEV_ERROR,
};

const char *dd_severity_name(enum dd_severity sev);
/* Parses "error", "warning", "info"; returns -1 when unknown. */
int dd_severity_parse(const char *s);

enum dd_lang {
	DD_LANG_EN = 0,
	DD_LANG_JA,
};

const char *dd_text_get(const struct dd_text *t, enum dd_lang lang);
/* A printf format in a language: both literals stay where -Wformat checks them. */
#define DD_LANG_PICK(lang, en, ja) ((lang) == DD_LANG_JA ? (ja) : (en))

/* struct dd_words (dd/types.h): set takes both strings, freeing what it held. */
void dd_words_set(struct dd_words *w, char *en, char *ja);
void dd_words_copy(struct dd_words *dst, const struct dd_words *src);
const char *dd_words_get(const struct dd_words *w, enum dd_lang lang);
void dd_words_finish(struct dd_words *w);
/* Sets w from an English and a Japanese format of the same arguments (a
 * caller declares both formats with the format attribute, so that the
 * compiler checks each against them). */
void dd_words_vformat(struct dd_words *w, const char *en, const char *ja, va_list ap)
        __attribute__((format(printf, 2, 0), format(printf, 3, 0)));

/*
 * One row of the finding table (checks/findings.c). Templates hold {1}..{4},
 * replaced by the finding's arguments.
 */
struct dd_finding_def {
	const char *id; /* stable, dotted; never renamed */
	enum dd_severity severity;
	/* The document the rule comes from: an RFC section ("RFC 7208 §4.6.4",
	 * its section on rfc-editor.org), or for a mailbox provider's own rule
	 * that provider's published guidelines (a name and its URL). The JSON
	 * keys stay "rfc" and "rfc_url". */
	const char *rfc;
	const char *rfc_url;
	struct dd_text summary; /* what the id means, one line */
	struct dd_text message; /* this occurrence, one sentence */
	struct dd_text fix;     /* what to do */
};

const struct dd_finding_def *dd_finding_def_find(const char *id);
extern const struct dd_finding_def dd_finding_defs[];
extern const size_t dd_finding_ndefs;

#define DD_FINDING_MAXARGS 4

struct dd_finding {
	const struct dd_finding_def *def;
	enum dd_severity severity;     /* def->severity unless a check raised/lowered it */
	const struct dd_text *message; /* def->message or a variant of the check's */
	const struct dd_text *fix;     /* def->fix or a variant */
	char *args[DD_FINDING_MAXARGS];
	/* an argument's Japanese words, where it is a sentence (a reason) and
	 * not a name or a number; NULL: args[i] serves both languages */
	char *args_ja[DD_FINDING_MAXARGS];
	char *record; /* evidence: the record text, may be NULL */
	char **chain; /* evidence: names that led here, root first */
	size_t nchain;
	const char *file; /* zone file of the record, NULL when live */
	uint32_t line;
	uint32_t column; /* 1-based column in `record`, 0 when none */
	bool known;      /* --baseline: the baseline has it too, so it does not fail the gate */
	/* This occurrence's source when it is not def->rfc (dns.offline cites what
	 * fits the names it skipped); both NULL: def's. Static strings. */
	const char *rfc;
	const char *rfc_url;
};

/* At most this many findings of one id for one domain: a hostile record with
 * a thousand bad terms gets 32 findings and a count, not a thousand. */
#define DD_FINDINGS_PER_ID 32

struct dd_findings {
	struct dd_finding *v;
	size_t n;
	size_t cap;
	unsigned *per_id;           /* findings so far, by index in dd_finding_defs */
	size_t suppressed;          /* findings left out past DD_FINDINGS_PER_ID */
	struct dd_finding overflow; /* what dd_findings_add() returns for those */
};

/*
 * Add a finding by id with its template arguments, NULL-terminated.
 * An unknown id is a programming error and aborts (a test covers the table).
 */
struct dd_finding *dd_findings_add(struct dd_findings *fs, const char *id, ...);
/* Argument i (0-based) in Japanese, for a template's {i+1}. */
void dd_finding_arg_ja(struct dd_finding *f, size_t i, const char *ja);
void dd_finding_set_record(struct dd_finding *f, const char *record, size_t len);
void dd_finding_add_chain(struct dd_finding *f, const char *name);
/* Evidence from a posture: the chain of names that led to query qi, its record line. */
void dd_finding_from_query(struct dd_finding *f, const struct dd_posture *p, size_t qi);
void dd_finding_locate(struct dd_finding *f, const struct dd_answer *ans, const struct dd_rr *rr);
/* The document a finding cites (its own, else its definition's), and its URL. */
const char *dd_finding_rfc(const struct dd_finding *f);
const char *dd_finding_rfc_url(const struct dd_finding *f);
/* Format the message (or fix) of a finding in a language into buf. */
char *dd_finding_message(const struct dd_finding *f, enum dd_lang lang);
char *dd_finding_fix(const struct dd_finding *f, enum dd_lang lang);
char *dd_text_format(const struct dd_text *t, enum dd_lang lang, char *const args[], size_t nargs);
bool dd_findings_has(const struct dd_findings *fs, const char *id);
enum dd_severity dd_findings_worst(const struct dd_findings *fs, bool *any);
void dd_findings_finish(struct dd_findings *fs);

/* --------------------------------------------------------------- advice */

struct dd_evidence; /* dd/evidence.h */

enum dd_stage {
	DD_STAGE_MISSING = 0,
	DD_STAGE_NONE,
	DD_STAGE_QUARANTINE,
	DD_STAGE_REJECT,
	DD_STAGE_UNKNOWN, /* the DMARC lookups failed */
};

const char *dd_stage_name(enum dd_stage s);

struct dd_step {
	const struct dd_text *text;
	char *args[DD_FINDING_MAXARGS];
};

/* Whether the reports show the next step is safe (JSON advice.ready). */
enum dd_ready {
	DD_READY_UNKNOWN = 0, /* null: no report covers the domain, or nothing to judge */
	DD_READY_NO,
	DD_READY_YES,
};

struct dd_advice {
	bool present; /* false when nothing could be advised */
	enum dd_ready ready;
	struct dd_step ready_why; /* why (not) ready; text NULL when ready is unknown */
	enum dd_stage current;
	bool has_next;
	enum dd_stage next;
	char **blockers; /* finding ids that must be fixed first */
	size_t nblockers;
	struct dd_step *steps;
	size_t nsteps;
	char *record;      /* the full TXT value to publish next */
	char *record_name; /* where to publish it: _dmarc.<domain> */
};

void dd_advice_add_step(struct dd_advice *a, const struct dd_text *text, ...);
char *dd_step_format(const struct dd_step *s, enum dd_lang lang);
void dd_advice_finish(struct dd_advice *a);

/* --------------------------------------------------------------- result */

enum dd_result_status {
	DD_RESULT_OK = 0,
	DD_RESULT_ERROR, /* the domain could not be judged */
};

struct dd_result {
	char *domain;
	char *display;
	enum dd_result_status status;
	struct dd_words error; /* why, when status is DD_RESULT_ERROR */
	bool undetermined;     /* a DNS failure left part of the judgement open (exit 3) */
	struct dd_posture *posture;
	struct dd_spf_info spf;
	struct dd_dmarc_info dmarc;
	struct dd_dkim_info dkim;
	struct dd_mx_info mx;
	struct dd_mta_sts_info mta_sts;
	struct dd_tls_rpt_info tls_rpt;
	struct dd_bimi_info bimi;
	struct dd_dnssec_info dnssec;
	struct dd_dane_info dane;
	struct dd_findings findings;
	struct dd_advice advice;
	struct dd_evidence *evidence; /* the reports' evidence; NULL when none covers the domain */
};

struct dd_result *dd_result_create(const char *domain, const char *display);
/*
 * A domain that says it sends no mail: no MX or a null MX (RFC 7505), and
 * an SPF record that authorises nothing ("v=spf1 -all"). Valid once MX and
 * SPF have judged. Such a domain needs no DKIM key and can go to p=reject.
 */
bool dd_result_is_non_sending(const struct dd_result *r);
void dd_result_destroy(struct dd_result *r); /* accepts NULL */

/* ---------------------------------------------------------------- check */

struct dd_check {
	const char *name;
	void (*wants)(const struct dd_posture *p, struct dd_wants *out);
	/* Called once per answered query this check asked (query index qi). */
	void (*follow)(const struct dd_posture *p, size_t qi, struct dd_wants *out);
	void (*judge)(const struct dd_posture *p, struct dd_result *out);
};

/* The registry, in judge order (checks/registry.c). At most 32 checks. */
extern const struct dd_check *const dd_checks[];
extern const size_t dd_nchecks;

/*
 * Judge a fully gathered posture: run every check's judge, the DNS-failure
 * accounting and the advisor. The result takes ownership of the posture.
 */
void dd_judge(struct dd_result *r, struct dd_posture *p);

/*
 * zone_findings.c, run by dd_judge: dns.offline when names were not asked
 * (--offline), and a place for every finding of a domain whose name a zone
 * file holds - a finding about no single record (dmarc.missing, ...) points
 * at the zone file where the record belongs.
 */
void dd_note_offline(const struct dd_posture *p, struct dd_result *r);
void dd_anchor_findings(const struct dd_posture *p, struct dd_result *r);

/* advisor.c: pure, reads the judged result. */
void dd_advise(const struct dd_result *r, struct dd_advice *out);

/* dkim.c: what the DKIM probes could not cover, in words (the output always
 * says that no key at guessed selectors does not prove no signing). */
char *dd_dkim_coverage_note(const struct dd_dkim_info *info, enum dd_lang lang);

/* ------------------------------------------------------- posture access */

struct dd_posture *dd_posture_create(const char *domain, const char *display,
                                     const struct dd_check_options *opts);
void dd_posture_destroy(struct dd_posture *p); /* accepts NULL */
/* Index of (name, type), or -1. `name` must be normalised. */
long dd_posture_find(const struct dd_posture *p, const char *name, uint16_t type);
/* The answer to (name, type), or NULL when not asked or not answered. */
const struct dd_answer *dd_posture_answer(const struct dd_posture *p, const char *name,
                                          uint16_t type);
/* Why a fetch gave nothing, in lang, for a finding's sentence: "HTTP status
 * 404", "the connection failed (refused or unreachable): \"<curl's words>\"".
 * Returns buf; DD_FETCH_WHY_MAX bytes hold the longest. */
#define DD_FETCH_WHY_MAX 512
const char *dd_fetch_why(const struct dd_fetch *f, enum dd_lang lang, char *buf, size_t bufsz);
/* The same in a word or two, for a line of the text report ("TLS error"). */
const char *dd_fetch_status_brief(enum dd_fetch_status s, enum dd_lang lang);
/* The fetch of url, or NULL when not asked. */
const struct dd_fetch *dd_posture_fetch(const struct dd_posture *p, const char *url);
/* Append a fetch (the engine does this); returns its index. */
size_t dd_posture_add_fetch(struct dd_posture *p, const char *url, const char *host, uint16_t port,
                            int32_t parent, unsigned check);
/* Append a query (the engine does this); returns its index. */
size_t dd_posture_add(struct dd_posture *p, const char *name, uint16_t type, int32_t parent,
                      unsigned check);

#endif
