/*
 * dmarc_int.h: what the files of the DMARC check share (dmarc.c,
 * dmarc_walk.c, dmarc_reports.c, dmarc_findings.c). Not part of the API.
 */
#ifndef DD_DMARC_INT_H
#define DD_DMARC_INT_H

#include "dd/check.h"
#include "dd/dmarc.h"

/* One name of the DNS Tree Walk and what its TXT answer holds. */
struct dmarc_level {
	const char *name;            /* _dmarc.<domain> */
	const char *domain;          /* name without "_dmarc." */
	long qi;                     /* the query in the posture, -1 when not asked */
	const struct dd_answer *ans; /* NULL while pending */
	bool failed;                 /* SERVFAIL, timeout, refused, or not asked (offline) */
	bool unseen;                 /* not asked (offline), a public suffix: taken as no record */
	size_t nrecords;             /* TXT records that start with v=DMARC1 */
	const struct dd_rr *rr;      /* the record, when exactly one */
	struct dd_dmarc_record *rec; /* it, parsed */
};

/*
 * RFC 9989 §4.10: the walk read from the posture. The names are all asked at
 * once (they do not depend on each other), so it is judged here as a
 * receiver would walk it, stopping where a receiver stops.
 */
struct dmarc_walk {
	char names[DD_DMARC_WALK_MAX][DD_NAME_MAX + 1];
	struct dmarc_level lv[DD_DMARC_WALK_MAX];
	size_t n;
	bool pending;    /* an answer the judgement needs has not arrived */
	size_t stop;     /* the last level a receiver asks (psd= stops the walk, §4.10 step 2/6) */
	bool failed;     /* a level up to `stop` failed: the Organizational Domain is unknown */
	const char *org; /* RFC 9989 §4.10.2, NULL when undetermined */
	enum dd_record_state state;        /* of the policy that applies to the domain */
	const struct dmarc_level *applies; /* the record that applies, NULL when none */
	bool own;                          /* applies is the domain's own record */
	size_t nunseen;                    /* levels taken to hold no record (--offline) */
};

/* Read the walk of p->domain; free with dmarc_walk_finish(). */
void dmarc_walk_read(const struct dd_posture *p, struct dmarc_walk *w);
void dmarc_walk_finish(struct dmarc_walk *w);

/*
 * Whether the domain exists (RFC 9989 §3.2.x Non-existent Domains, RFC 8020):
 * NXDOMAIN for any of its questions says no, an answer or NODATA says yes.
 * *known is false when every question about it failed.
 */
bool dmarc_domain_exists(const struct dd_posture *p, bool *known);

/*
 * The policy a record found above the domain gives it (RFC 9989 §4.10.1 and
 * §4.7): sp when the domain exists, np when it does not, np falling back to
 * sp, then to p; a record with an invalid p, sp or np counts as p=none when
 * it has a valid rua, and as no policy otherwise.
 */
enum dd_policy dmarc_inherited_policy(const struct dd_dmarc_record *rec, bool exists);

/* The tag of the record that decides the domain's policy: "p", "sp" or "np". */
enum dd_dmarc_tag_id dmarc_policy_tag(const struct dd_dmarc_record *rec, bool own, bool exists);

/*
 * RFC 7489 §6.6.3 with the Public Suffix List: the policy a receiver that
 * still follows RFC 7489 applies. Sets *known false when a lookup it needs
 * failed or no PSL view is available.
 */
void dmarc_rfc7489_view(const struct dd_posture *p, const struct dmarc_walk *w, const char *psl_org,
                        struct dd_dmarc_info *info);

/* The registrable domain by the PSL (dd_check_options), into out; false when unknown. */
bool dmarc_psl_org(const struct dd_posture *p, const char *domain, char *out, size_t outsz);

/* dmarc_reports.c: the report destinations of the record that applies. */
void dmarc_reports_want(const struct dd_posture *p, const struct dmarc_walk *w,
                        struct dd_wants *out);
void dmarc_reports_follow(const struct dd_posture *p, size_t qi, struct dd_wants *out);
void dmarc_reports_judge(const struct dd_posture *p, const struct dmarc_walk *w,
                         struct dd_result *r);

/* dmarc_findings.c: findings about the text of a record. */
void dmarc_record_findings(const struct dd_posture *p, const struct dmarc_level *lv,
                           struct dd_result *r);
void dmarc_level_findings(const struct dd_posture *p, const struct dmarc_level *lv,
                          struct dd_result *r);

/* The message of dmarc.policy-none when sp or np decides: {1} domain, {2} tag, {3} name. */
const struct dd_text *dmarc_policy_none_sub_text(void);

/* A finding located at a walk level's answer (chain, file:line). */
struct dd_finding *dmarc_finding_at(struct dd_result *r, const struct dd_posture *p,
                                    const struct dmarc_level *lv, const struct dd_rr *rr,
                                    const char *id, const char *a1, const char *a2, const char *a3,
                                    const char *a4);

#endif
