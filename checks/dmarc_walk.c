/*
 * dmarc_walk.c: DMARC policy discovery by the DNS Tree Walk (RFC 9989
 * §4.10), the Organizational Domain (§4.10.2), the effective policy of the
 * domain (p, sp or np), and the view of receivers that still follow
 * RFC 7489 (§6.6.3, the Public Suffix List instead of the walk).
 *
 * Every name of the walk is asked at once; this file reads the answers as
 * a receiver would walk them, one name after another, stopping where a
 * receiver stops. A failed lookup at a name the receiver would ask leaves
 * the result undetermined; names after the stop do not matter.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc_int.h"
#include "dd/util.h"

static void read_level(const struct dd_posture *p, struct dmarc_level *lv)
{
	lv->qi = dd_posture_find(p, lv->name, DD_RR_TXT);
	lv->ans = lv->qi < 0 ? NULL : p->queries[lv->qi].answer;
	if (lv->qi < 0) {
		lv->failed = true; /* never asked: a cap stopped it */
		return;
	}
	if (!lv->ans)
		return;
	lv->failed = dd_dns_status_is_failure(lv->ans->status) || lv->ans->status == DD_DNS_UNKNOWN;
	for (size_t r = 0; r < lv->ans->nrrs; r++) {
		const struct dd_rr *rr = &lv->ans->rrs[r];
		if (!dd_dmarc_is_record(rr->data, rr->len))
			continue;
		if (lv->nrecords++ == 0)
			lv->rr = rr;
	}
	/* RFC 9989 §4.10 step 2: several records are all discarded */
	if (lv->nrecords != 1) {
		lv->rr = NULL;
		return;
	}
	lv->rec = xmalloc(sizeof(*lv->rec));
	dd_dmarc_parse(lv->rr->data, lv->rr->len, lv->rec);
}

/* The ancestor of `queried` (or itself) with one label more than `psd`. */
static const char *one_below(const char *queried, const char *psd)
{
	size_t want = dd_name_labels(psd) + 1;
	const char *cur = queried;
	while (cur && dd_name_labels(cur) > want)
		cur = dd_name_parent(cur);
	return cur;
}

/*
 * RFC 9989 §4.10 steps 2 and 6 (where a receiver stops) and §4.10.2 (which
 * record names the Organizational Domain): from the longest name to the
 * shortest, psd=n is the Organizational Domain; psd=y on a record other
 * than the first puts it one label below; psd=y on the first record stops
 * the walk there; otherwise the record with the fewest labels. With no
 * record, the domain itself.
 */
static void organizational_domain(const char *queried, struct dmarc_walk *w)
{
	const char *org = NULL;
	w->stop = w->n ? w->n - 1 : 0;
	for (size_t i = 0; i < w->n; i++) {
		const struct dmarc_level *lv = &w->lv[i];
		if (!lv->ans && !lv->failed) {
			w->pending = true;
			return;
		}
		if (lv->failed) {
			w->failed = true;
			return;
		}
		if (!lv->rec)
			continue;
		if (lv->rec->psd == 'n') {
			w->stop = i;
			w->org = lv->domain;
			return;
		}
		if (lv->rec->psd == 'y') {
			w->stop = i;
			w->org = i == 0 ? lv->domain : one_below(queried, lv->domain);
			return;
		}
		org = lv->domain;
	}
	w->org = org ? org : queried;
}

/* RFC 9989 §4.10.1: the record of the Organizational Domain, else of the PSD. */
static void policy_discovery(const char *queried, struct dmarc_walk *w)
{
	if (w->n == 0) {
		w->state = DD_STATE_MISSING;
		return;
	}
	const struct dmarc_level *first = &w->lv[0];
	if (first->ans && first->rec) { /* the domain's own record wins, whatever is above */
		w->state = DD_STATE_FOUND;
		w->applies = first;
		w->own = true;
		return;
	}
	if (w->pending || (!first->ans && !first->failed))
		return;
	if (first->failed || w->failed) {
		bool unknown = false;
		for (size_t i = 0; i <= w->stop && i < w->n; i++)
			unknown |= w->lv[i].ans && w->lv[i].ans->status == DD_DNS_UNKNOWN;
		w->state = unknown ? DD_STATE_UNKNOWN : DD_STATE_UNDETERMINED;
		return;
	}
	for (size_t i = 1; i <= w->stop && !w->applies; i++)
		if (w->lv[i].rec && strcmp(w->lv[i].domain, w->org) == 0)
			w->applies = &w->lv[i];
	/* no record at the Organizational Domain: the PSD's record (psd=y stopped the walk) */
	if (!w->applies && w->lv[w->stop].rec && w->lv[w->stop].rec->psd == 'y' && w->stop > 0)
		w->applies = &w->lv[w->stop];
	w->state = w->applies ? DD_STATE_FOUND : DD_STATE_MISSING;
	(void)queried;
}

/*
 * --offline: the names outside the zone files are "unknown", never
 * missing, and the walk stops at the first of them - so a proposed zone
 * with no _dmarc record at all got no dmarc.missing and passed a CI gate.
 * A name above the Organizational Domain of the Public Suffix List is a
 * public suffix: only its operator could publish a record there (RFC 9989
 * §4.10, psd=y), which is rare and no policy of the domain owner's. Such a
 * name, not looked up, is taken to hold no record, and the findings say it
 * was not looked up. A name at or below the PSL's Organizational Domain
 * stays unknown: a record there (sp=) is how a subdomain's zone normally
 * gets its policy.
 */
static void assume_suffixes_empty(const struct dd_posture *p, struct dmarc_walk *w)
{
	bool any = false;
	for (size_t i = 0; i < w->n && !any; i++)
		any = w->lv[i].ans && w->lv[i].ans->status == DD_DNS_UNKNOWN;
	char org[DD_NAME_MAX + 1];
	if (!any || !dmarc_psl_org(p, p->domain, org, sizeof(org)))
		return; /* live DNS: nothing to assume, no list to consult */
	for (size_t i = 0; i < w->n; i++) {
		struct dmarc_level *lv = &w->lv[i];
		if (!lv->ans || lv->ans->status != DD_DNS_UNKNOWN || strcmp(lv->domain, org) == 0 ||
		    !dd_name_is_under(org, lv->domain))
			continue;
		lv->failed = false;
		lv->unseen = true;
		w->nunseen++;
	}
}

void dmarc_walk_read(const struct dd_posture *p, struct dmarc_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->n = dd_dmarc_walk_names(p->domain, w->names, DD_DMARC_WALK_MAX);
	for (size_t i = 0; i < w->n; i++) {
		w->lv[i].name = w->names[i];
		w->lv[i].domain = w->names[i] + 7;
		read_level(p, &w->lv[i]);
	}
	assume_suffixes_empty(p, w);
	w->state = DD_STATE_UNKNOWN;
	organizational_domain(p->domain, w);
	if (w->pending || w->failed)
		w->org = NULL;
	policy_discovery(p->domain, w);
}

void dmarc_walk_finish(struct dmarc_walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->lv[i].rec);
	memset(w, 0, sizeof(*w));
}

bool dmarc_domain_exists(const struct dd_posture *p, bool *known)
{
	static const uint16_t types[] = { DD_RR_TXT, DD_RR_MX };
	bool failed = false, answered = false;
	for (size_t i = 0; i < DD_ARRAY_LEN(types); i++) {
		const struct dd_answer *a = dd_posture_answer(p, p->domain, types[i]);
		if (!a || a->status == DD_DNS_UNKNOWN || dd_dns_status_is_failure(a->status)) {
			failed = true;
			continue;
		}
		answered = true;
		if (a->status == DD_DNS_NXDOMAIN) {
			*known = true;
			return false;
		}
	}
	*known = answered || !failed;
	return true;
}

enum dd_dmarc_tag_id dmarc_policy_tag(const struct dd_dmarc_record *rec, bool own, bool exists)
{
	if (own)
		return DD_DMARC_TAG_P;
	if (!exists && dd_policy_valid(rec->np))
		return DD_DMARC_TAG_NP;
	if (dd_policy_valid(rec->sp))
		return DD_DMARC_TAG_SP;
	return DD_DMARC_TAG_P;
}

/*
 * RFC 9989 §4.10.1: "the Domain Owner Assessment Policy is taken from the sp
 * tag (if any) if the Author Domain exists, or the np tag (if any) if the
 * Author Domain does not exist"; §4.7 np: "If the np tag is absent, the
 * policy specified by the sp tag (if the sp tag is present) or the policy
 * specified by the p tag, if the sp tag is not present, MUST be applied for
 * non-existent subdomains". So: np -> sp -> p for a name that does not
 * exist, sp -> p for one that does.
 */
enum dd_policy dmarc_inherited_policy(const struct dd_dmarc_record *rec, bool exists)
{
	bool clean = dd_policy_valid(rec->p) && rec->sp != DD_POLICY_INVALID &&
	             rec->np != DD_POLICY_INVALID;
	if (!clean) /* p=none (with a valid rua) or no DMARC at all */
		return dd_dmarc_requested_policy(rec);
	switch (dmarc_policy_tag(rec, false, exists)) {
	case DD_DMARC_TAG_NP: return rec->np;
	case DD_DMARC_TAG_SP: return rec->sp;
	default: return rec->p;
	}
}

bool dmarc_psl_org(const struct dd_posture *p, const char *domain, char *out, size_t outsz)
{
	if (!p->opts || !p->opts->psl_org_domain)
		return false;
	char tmp[DD_NAME_MAX + 1];
	if (!p->opts->psl_org_domain(p->opts->psl_ctx, domain, tmp, sizeof(tmp)))
		return false;
	/* the callback's answer is untrusted as any input: a name at or above the domain */
	if (!dd_name_normalize(tmp, strlen(tmp), out, outsz) || !dd_name_is_under(domain, out))
		return false;
	return true;
}

/* RFC 7489 knows p and sp only; np came with RFC 9091 and RFC 9989. */
static enum dd_policy rfc7489_policy(const struct dd_dmarc_record *rec, bool own)
{
	bool p_ok = dd_policy_valid(rec->p), sp_ok = rec->sp != DD_POLICY_INVALID;
	if (!p_ok || !sp_ok)
		return rec->has_rua ? DD_POLICY_NONE : DD_POLICY_INVALID;
	if (!own && dd_policy_valid(rec->sp))
		return rec->sp;
	return rec->p;
}

static bool level_of(const struct dd_posture *p, const char *name, struct dmarc_level *lv)
{
	memset(lv, 0, sizeof(*lv));
	lv->name = name;
	lv->domain = name + 7;
	read_level(p, lv);
	return lv->ans != NULL;
}

/*
 * RFC 7489 §6.6.3: the record at the domain; when there is none (or one that
 * is not a valid DMARC record), the record at the Organizational Domain of
 * the Public Suffix List; several records at either end discovery with no
 * DMARC at all - unlike RFC 9989, which walks on.
 */
void dmarc_rfc7489_view(const struct dd_posture *p, const struct dmarc_walk *w, const char *psl_org,
                        struct dd_dmarc_info *info)
{
	info->rfc7489_known = false;
	if (!psl_org || w->n == 0)
		return;
	const struct dmarc_level *first = &w->lv[0];
	if (!first->ans || first->failed)
		return;
	info->rfc7489_known = true;
	info->rfc7489_policy = DD_POLICY_INVALID;
	if (first->nrecords > 1)
		return;
	if (first->rec) {
		info->rfc7489_policy = rfc7489_policy(first->rec, true);
		info->rfc7489_found_at = xstrdup(first->name);
		return;
	}
	if (strcmp(psl_org, p->domain) == 0)
		return;
	char name[DD_NAME_MAX + 8];
	if (strlen(psl_org) + 7 > DD_NAME_MAX)
		return;
	memcpy(name, "_dmarc.", 7);
	memcpy(name + 7, psl_org, strlen(psl_org) + 1);
	struct dmarc_level lv;
	if (!level_of(p, name, &lv) || lv.failed) {
		info->rfc7489_known = false;
		free(lv.rec);
		return;
	}
	if (lv.rec) {
		info->rfc7489_policy = rfc7489_policy(lv.rec, false);
		info->rfc7489_found_at = xstrdup(name);
	}
	free(lv.rec);
}
