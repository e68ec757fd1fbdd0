/*
 * dmarc.c: DMARC policy discovery (RFC 9989 §4.10).
 *
 * Judges: which record applies to the domain, where it was found, and the
 * effective policy for the domain itself (p for its own record; sp, or np
 * for a name that does not exist, for a record inherited from above).
 * Missing records give dmarc.missing; several records at one name give
 * dmarc.multiple. A failed lookup on the walk leaves the policy undetermined
 * (never "missing").
 *
 * The walk is asked all at once: its at most five names do not depend on
 * each other's answers, so the whole discovery costs one round trip instead
 * of up to five. RFC 7489 receivers use the Public Suffix List instead of the
 * walk (RFC 9989 §C.3); where the two disagree is the DMARC checker's to say.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/util.h"

#define WALK_MAX 5

struct walk_level {
	const char *name;   /* _dmarc.<domain> */
	const char *domain; /* name without "_dmarc." */
	const struct dd_answer *ans;
	bool failed;
	size_t nrecords;        /* TXT records that start with v=DMARC1 */
	const struct dd_rr *rr; /* the record, when exactly one */
	struct dd_dmarc_record rec;
};

static void dmarc_wants(const struct dd_posture *p, struct dd_wants *out)
{
	char names[WALK_MAX][DD_NAME_MAX + 1];
	size_t n = dd_dmarc_walk_names(p->domain, names, WALK_MAX);
	for (size_t i = 0; i < n; i++)
		dd_wants_add(out, names[i], DD_RR_TXT);
	/* whether the domain exists decides between sp and np (RFC 9989 §4.10.1) */
	dd_wants_add(out, p->domain, DD_RR_TXT);
}

static size_t read_walk(const struct dd_posture *p, char names[][DD_NAME_MAX + 1],
                        struct walk_level *lv)
{
	size_t n = dd_dmarc_walk_names(p->domain, names, WALK_MAX);
	for (size_t i = 0; i < n; i++) {
		memset(&lv[i], 0, sizeof(lv[i]));
		lv[i].name = names[i];
		lv[i].domain = names[i] + 7;
		lv[i].ans = dd_posture_answer(p, names[i], DD_RR_TXT);
		if (!lv[i].ans)
			continue;
		lv[i].failed = dd_dns_status_is_failure(lv[i].ans->status) ||
		               lv[i].ans->status == DD_DNS_UNKNOWN;
		for (size_t r = 0; r < lv[i].ans->nrrs; r++) {
			const struct dd_rr *rr = &lv[i].ans->rrs[r];
			if (!dd_dmarc_is_record(rr->data, rr->len))
				continue;
			if (lv[i].nrecords++ == 0)
				lv[i].rr = rr;
		}
		if (lv[i].nrecords == 1)
			dd_dmarc_record_scan(lv[i].rr->data, lv[i].rr->len, &lv[i].rec);
		else
			lv[i].rr =
			        NULL; /* RFC 9989 §4.10 step 2: several records are all discarded */
	}
	return n;
}

/* The domain of `queried` that has one label more than `psd`. */
static const char *one_below(const char *queried, const char *psd)
{
	size_t want = dd_name_labels(psd) + 1;
	const char *cur = queried;
	while (cur && dd_name_labels(cur) > want)
		cur = dd_name_parent(cur);
	return cur;
}

/*
 * RFC 9989 §4.10.2: from the longest name to the shortest, a record with
 * psd=n is the Organizational Domain; a record with psd=y (other than the
 * starting one) puts it one label below; otherwise the record with the
 * fewest labels. With no record at all, the domain itself.
 */
static const char *org_domain(const char *queried, const struct walk_level *lv, size_t n,
                              size_t *psd_level)
{
	const char *org = NULL;
	*psd_level = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if (!lv[i].rr)
			continue;
		if (lv[i].rec.psd == 'n')
			return lv[i].domain;
		if (lv[i].rec.psd == 'y' && i > 0) {
			*psd_level = i;
			return one_below(queried, lv[i].domain);
		}
		org = lv[i].domain;
	}
	return org ? org : queried;
}

/* RFC 9989 §4.10.1: a record without a valid p, but with a rua, counts as p=none. */
static enum dd_policy requested_policy(const struct dd_dmarc_record *rec)
{
	if (rec->p == DD_POLICY_NONE || rec->p == DD_POLICY_QUARANTINE ||
	    rec->p == DD_POLICY_REJECT)
		return rec->p;
	return rec->has_rua ? DD_POLICY_NONE : DD_POLICY_INVALID;
}

static bool is_policy(enum dd_policy p)
{
	return p == DD_POLICY_NONE || p == DD_POLICY_QUARANTINE || p == DD_POLICY_REJECT;
}

/*
 * For a record found above the domain: sp when the domain exists, np when it
 * does not (RFC 9989 §4.7 np: absent np falls back to sp, then p).
 */
static enum dd_policy inherited_policy(const struct dd_dmarc_record *rec, bool exists)
{
	enum dd_policy base = requested_policy(rec);
	if (!is_policy(base))
		return base;
	if (!exists && is_policy(rec->np))
		return rec->np;
	if (is_policy(rec->sp))
		return rec->sp;
	return base;
}

static void report_multiple(const struct dd_posture *p, const struct walk_level *lv,
                            struct dd_result *r)
{
	char count[24];
	snprintf(count, sizeof(count), "%zu", lv->nrecords);
	struct dd_finding *f =
	        dd_findings_add(&r->findings, "dmarc.multiple", lv->name, count, NULL);
	struct dd_strbuf all;
	dd_strbuf_init(&all);
	for (size_t i = 0; i < lv->ans->nrrs; i++) {
		const struct dd_rr *rr = &lv->ans->rrs[i];
		if (!dd_dmarc_is_record(rr->data, rr->len))
			continue;
		if (all.len)
			dd_strbuf_adds(&all, "\n");
		dd_strbuf_add(&all, rr->data, rr->len);
	}
	dd_finding_set_record(f, all.s, all.len);
	dd_strbuf_finish(&all);
	long qi = dd_posture_find(p, lv->name, DD_RR_TXT);
	if (qi >= 0)
		dd_finding_from_query(f, p, (size_t)qi);
	dd_finding_locate(f, lv->ans, NULL);
}

static void set_found(struct dd_dmarc_info *info, const struct walk_level *lv)
{
	info->state = DD_STATE_FOUND;
	info->record = xstrndup(lv->rr->data, lv->rr->len);
	info->record_len = lv->rr->len;
	info->found_at = xstrdup(lv->name);
	if (lv->ans->source == DD_SOURCE_ZONE) {
		info->file = lv->ans->file;
		info->line = lv->rr->line;
	}
	info->p = lv->rec.p;
	info->sp = lv->rec.sp;
	info->np = lv->rec.np;
}

static void dmarc_judge(const struct dd_posture *p, struct dd_result *r)
{
	char names[WALK_MAX][DD_NAME_MAX + 1];
	struct walk_level lv[WALK_MAX];
	size_t n = read_walk(p, names, lv);
	struct dd_dmarc_info *info = &r->dmarc;

	bool any_failed = false;
	for (size_t i = 0; i < n; i++) {
		any_failed |= lv[i].failed;
		if (lv[i].nrecords > 1)
			report_multiple(p, &lv[i], r);
	}

	size_t psd_level;
	const char *org = org_domain(p->domain, lv, n, &psd_level);
	if (!any_failed)
		info->org_domain = xstrdup(org);

	/* The domain's own record decides, whatever lies above (RFC 9989 §4.10.1). */
	if (n > 0 && lv[0].rr) {
		set_found(info, &lv[0]);
		info->policy = requested_policy(&lv[0].rec);
		return;
	}
	if (n > 0 && lv[0].failed) {
		info->state = DD_STATE_UNDETERMINED;
		return;
	}
	/* Above the domain, any failed level could have held the record that applies. */
	if (any_failed) {
		info->state = DD_STATE_UNDETERMINED;
		return;
	}

	const struct walk_level *found = NULL;
	for (size_t i = 1; i < n && !found; i++)
		if (lv[i].rr && strcmp(lv[i].domain, org) == 0)
			found = &lv[i];
	if (!found && psd_level != SIZE_MAX)
		found = &lv[psd_level];
	if (!found) {
		info->state = DD_STATE_MISSING;
		if (n > 0 && lv[0].nrecords <= 1) /* several records were reported above */
			dd_findings_add(&r->findings, "dmarc.missing", p->domain, NULL);
		return;
	}

	const struct dd_answer *apex = dd_posture_answer(p, p->domain, DD_RR_TXT);
	bool exists = !(apex && apex->status == DD_DNS_NXDOMAIN);
	set_found(info, found);
	info->inherited = true;
	info->policy = inherited_policy(&found->rec, exists);
}

const struct dd_check dd_check_dmarc = {
	.name = "dmarc",
	.wants = dmarc_wants,
	.follow = NULL,
	.judge = dmarc_judge,
};

void dd_dmarc_info_finish(struct dd_dmarc_info *info)
{
	free(info->record);
	free(info->found_at);
	free(info->org_domain);
	memset(info, 0, sizeof(*info));
}
