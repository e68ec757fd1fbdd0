/*
 * dmarc.c: the DMARC check (RFC 9989, with RFC 7489 differences noted).
 *
 * Judges: which record applies to the domain and where it was found (the
 * DNS Tree Walk, dmarc_walk.c), the effective policy for the domain (p for
 * its own record; sp, or np for a name that does not exist, for a record
 * found above), what is wrong with the record's text (dmarc_findings.c),
 * where its reports go and whether they can arrive (dmarc_reports.c), and
 * where receivers that still follow RFC 7489 (Public Suffix List, no np)
 * would decide differently.
 *
 * Ignores: alignment of real mail (that needs the mail, or the reports),
 * failure-report options beyond their syntax, and anything at a _dmarc name
 * a receiver would not ask. A failed lookup leaves the policy undetermined,
 * never "missing".
 *
 * The walk is asked all at once: its names do not depend on each other's
 * answers, so discovery costs one round trip instead of up to eight. The
 * report destinations are asked as soon as the record that applies is
 * known (follow() runs once per answer, in any order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc_int.h"
#include "dd/util.h"

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct dd_text msg_missing_apex = {
	"No DMARC record applies to {1}: the DMARC record published at {1} itself is never read; receivers look only at _dmarc.{1}.",
	"{1} に適用される DMARC レコードがありません。{1} 自体に公開された DMARC レコードは参照されず、受信側は _dmarc.{1} だけを見ます。",
};
static const struct dd_text fix_missing_apex = {
	"Move the record to a TXT record at _dmarc.{1}.",
	"レコードを _dmarc.{1} の TXT レコードに移してください。",
};
static const struct dd_text fix_missing_parked = {
	"Publish a TXT record \"v=DMARC1; p=reject\" at _dmarc.{1}: it sends no mail, so nothing legitimate can fail.",
	"_dmarc.{1} に TXT レコード \"v=DMARC1; p=reject\" を公開してください。メールを送らないドメインなので、正規のメールが失敗することはありません。",
};
static const struct dd_text msg_no_rua_parked = {
	"The DMARC record of {1} has no rua tag; for a domain that sends no mail, reports would show who forges it.",
	"{1} の DMARC レコードに rua タグがありません。メールを送らないドメインでも、レポートがあれば誰が偽装しているか分かります。",
};
static const struct dd_text msg_missing_offline = {
	"No DMARC record applies to {1}: the zone files publish none. Not looked up (--offline): {2}, above the Organizational Domain, where only a public suffix operator could publish a record.",
	"{1} に適用される DMARC レコードがありません。ゾーンファイルには公開されていません。問い合わせていない名前 (--offline): {2}。組織ドメインより上の公開接尾辞で、レコードを公開できるのは公開接尾辞の運営者だけです。",
};
static const struct dd_text msg_7489_none = {
	"Receivers that still follow RFC 7489 apply no DMARC policy to {1} (several records at _dmarc.{1}, or no record at the Public Suffix List's Organizational Domain); RFC 9989 receivers apply {4}.",
	"RFC 7489 に従う受信側は {1} に DMARC ポリシーを適用しません (_dmarc.{1} のレコードが複数あるか、公開接尾辞リストによる組織ドメインにレコードがありません)。RFC 9989 の受信側は {4} を適用します。",
};
/* clang-format on */

static void dmarc_wants(const struct dd_posture *p, struct dd_wants *out)
{
	char names[DD_DMARC_WALK_MAX][DD_NAME_MAX + 1];
	size_t n = dd_dmarc_walk_names(p->domain, names, DD_DMARC_WALK_MAX);
	for (size_t i = 0; i < n; i++)
		dd_wants_add(out, names[i], DD_RR_TXT);
	/* whether the domain exists decides between sp and np (RFC 9989 §4.10.1) */
	dd_wants_add(out, p->domain, DD_RR_TXT);
	/* RFC 7489 receivers ask the Organizational Domain of the Public Suffix List */
	char org[DD_NAME_MAX + 1];
	if (dmarc_psl_org(p, p->domain, org, sizeof(org)) && strlen(org) + 7 <= DD_NAME_MAX) {
		char name[DD_NAME_MAX + 8];
		snprintf(name, sizeof(name), "_dmarc.%s", org);
		dd_wants_add(out, name, DD_RR_TXT);
	}
}

static void dmarc_follow(const struct dd_posture *p, size_t qi, struct dd_wants *out)
{
	const struct dd_query *q = &p->queries[qi];
	if (q->type == DD_RR_MX) {
		dmarc_reports_follow(p, qi, out);
		return;
	}
	if (q->type != DD_RR_TXT)
		return;
	struct dmarc_walk w;
	dmarc_walk_read(p, &w);
	dmarc_reports_want(p, &w, out);
	dmarc_walk_finish(&w);
}

static void set_found(struct dd_dmarc_info *info, const struct dmarc_level *lv)
{
	info->state = DD_STATE_FOUND;
	info->record = xstrndup(lv->rr->data, lv->rr->len);
	info->record_len = lv->rr->len;
	info->found_at = xstrdup(lv->name);
	if (lv->ans->ncnames)
		info->cname_target = xstrdup(dd_answer_owner(lv->ans));
	if (lv->ans->source == DD_SOURCE_ZONE) {
		/* an $INCLUDEd record lives in its own file, not the answer's */
		info->file = lv->rr->file ? lv->rr->file : lv->ans->file;
		info->line = lv->rr->line;
	}
	info->p = lv->rec->p;
	info->sp = lv->rec->sp;
	info->np = lv->rec->np;
	info->t = lv->rec->t;
}

/* A DMARC record published at the domain itself instead of _dmarc (a common slip). */
static const struct dd_rr *record_at_apex(const struct dd_posture *p, const struct dd_answer **ans)
{
	*ans = dd_posture_answer(p, p->domain, DD_RR_TXT);
	for (size_t i = 0; *ans && i < (*ans)->nrrs; i++)
		if (dd_dmarc_is_record((*ans)->rrs[i].data, (*ans)->rrs[i].len))
			return &(*ans)->rrs[i];
	return NULL;
}

static void report_missing(const struct dd_posture *p, const struct dmarc_walk *w,
                           struct dd_result *r)
{
	if (w->n > 0 && w->lv[0].nrecords > 1)
		return; /* dmarc.multiple already says why */
	struct dd_finding *f = dd_findings_add(&r->findings, "dmarc.missing", p->domain, NULL);
	if (w->n > 0 && w->lv[0].qi >= 0) {
		dd_finding_from_query(f, p, (size_t)w->lv[0].qi);
		/* a _dmarc name the zone file holds (other records, a TXT that is
		 * not DMARC) is where the record belongs; one it does not hold has
		 * no line of its own, so the finding points at the domain, as
		 * every other finding about the domain as a whole does
		 * (dd_anchor_findings) */
		if (w->lv[0].ans && w->lv[0].ans->status != DD_DNS_NXDOMAIN)
			dd_finding_locate(f, w->lv[0].ans, NULL);
	}
	if (w->nunseen) {
		struct dd_strbuf names;
		dd_strbuf_init(&names);
		for (size_t i = 0; i < w->n; i++) {
			if (!w->lv[i].unseen)
				continue;
			if (names.len)
				dd_strbuf_adds(&names, ", ");
			dd_strbuf_adds(&names, w->lv[i].name);
		}
		f->args[1] = dd_strbuf_own(&names);
		f->message = &msg_missing_offline;
	}
	if (dd_result_is_non_sending(r))
		f->fix = &fix_missing_parked;
	const struct dd_answer *apex;
	const struct dd_rr *rr = record_at_apex(p, &apex);
	if (rr) {
		f->message = &msg_missing_apex;
		f->fix = &fix_missing_apex;
		dd_finding_set_record(f, rr->data, rr->len);
		dd_finding_locate(f, apex, rr);
	}
}

static void policy_findings(const struct dd_posture *p, const struct dmarc_walk *w,
                            struct dd_result *r)
{
	const struct dmarc_level *lv = w->applies;
	const struct dd_dmarc_info *info = &r->dmarc;
	if (info->policy == DD_POLICY_NONE) {
		struct dd_finding *f = dmarc_finding_at(r, p, lv, lv->rr, "dmarc.policy-none",
		                                        p->domain, NULL, NULL, NULL);
		enum dd_dmarc_tag_id tag = dmarc_policy_tag(lv->rec, w->own, info->exists);
		if (tag != DD_DMARC_TAG_P &&
		    info->policy == (tag == DD_DMARC_TAG_SP ? lv->rec->sp : lv->rec->np)) {
			free(f->args[1]);
			f->args[1] = xstrdup(dd_dmarc_tag_name(tag));
			f->args[2] = xstrdup(lv->name);
			f->message = dmarc_policy_none_sub_text();
		}
	}
	/* past the tag cap, a rua may be in the part not read (dmarc.syntax says so) */
	if (!lv->rec->has_rua && !lv->rec->tags_truncated) {
		struct dd_finding *f = dmarc_finding_at(r, p, lv, lv->rr, "dmarc.no-rua", p->domain,
		                                        NULL, NULL, NULL);
		if (dd_result_is_non_sending(r)) {
			f->severity = DD_SEV_INFO;
			f->message = &msg_no_rua_parked;
		}
	}
	if (lv->ans->ncnames)
		dmarc_finding_at(r, p, lv, lv->rr, "dmarc.cname", lv->name,
		                 dd_answer_owner(lv->ans), NULL, NULL);
}

/* Where the Public Suffix List (RFC 7489 receivers) and the tree walk disagree. */
static void rfc7489_findings(const struct dd_posture *p, const struct dmarc_walk *w,
                             struct dd_result *r)
{
	struct dd_dmarc_info *info = &r->dmarc;
	if (info->state != DD_STATE_FOUND)
		return;
	const struct dmarc_level *lv = w->applies;
	if (info->org_domain && info->psl_org_domain &&
	    strcmp(info->org_domain, info->psl_org_domain) != 0)
		dmarc_finding_at(r, p, lv, NULL, "dmarc.org-domain-differs", p->domain,
		                 info->org_domain, info->psl_org_domain, NULL);
	if (!info->rfc7489_known || info->rfc7489_policy == info->policy)
		return;
	const char *now = dd_policy_name(info->policy);
	if (info->rfc7489_policy == DD_POLICY_INVALID) {
		struct dd_finding *f = dmarc_finding_at(r, p, lv, NULL, "dmarc.rfc7489-differs",
		                                        p->domain, "-", "-", now ? now : "-");
		f->message = &msg_7489_none;
		return;
	}
	dmarc_finding_at(r, p, lv, NULL, "dmarc.rfc7489-differs", p->domain,
	                 dd_policy_name(info->rfc7489_policy), info->rfc7489_found_at,
	                 now ? now : "-");
}

static bool is_interesting_level(const struct dmarc_walk *w, size_t i, const char *psl_org)
{
	const char *d = w->lv[i].domain;
	return i == 0 || (w->org && strcmp(d, w->org) == 0) || (psl_org && strcmp(d, psl_org) == 0);
}

static void dmarc_judge(const struct dd_posture *p, struct dd_result *r)
{
	struct dmarc_walk w;
	dmarc_walk_read(p, &w);
	struct dd_dmarc_info *info = &r->dmarc;
	char psl_buf[DD_NAME_MAX + 1];
	const char *psl_org =
	        dmarc_psl_org(p, p->domain, psl_buf, sizeof(psl_buf)) ? psl_buf : NULL;

	/* what sits at the names a receiver asks (beyond the stop, nobody looks) */
	size_t last = w.failed ? w.n : w.stop + 1;
	for (size_t i = 0; i < last && i < w.n; i++)
		if (is_interesting_level(&w, i, psl_org) || w.lv[i].nrecords > 1)
			dmarc_level_findings(p, &w.lv[i], r);

	bool known;
	info->exists = dmarc_domain_exists(p, &known);
	if (w.org)
		info->org_domain = xstrdup(w.org);
	if (psl_org)
		info->psl_org_domain = xstrdup(psl_org);
	info->state = w.state;
	if (w.n > 0 && w.lv[0].nrecords > 1)
		info->discarded = w.lv[0].nrecords;

	if (w.state == DD_STATE_MISSING)
		report_missing(p, &w, r);
	if (w.state == DD_STATE_FOUND) {
		const struct dd_dmarc_record *rec = w.applies->rec;
		/* a failed existence test matters only when sp and np disagree */
		if (!w.own && !known &&
		    dmarc_inherited_policy(rec, true) != dmarc_inherited_policy(rec, false)) {
			info->state = DD_STATE_UNDETERMINED;
			goto out;
		}
		set_found(info, w.applies);
		info->inherited = !w.own;
		info->policy = w.own ? dd_dmarc_requested_policy(rec)
		                     : dmarc_inherited_policy(rec, info->exists);
		dmarc_record_findings(p, w.applies, r);
		policy_findings(p, &w, r);
		dmarc_reports_judge(p, &w, r);
	}
	dmarc_rfc7489_view(p, &w, psl_org, info);
	rfc7489_findings(p, &w, r);
out:
	dmarc_walk_finish(&w);
}

const struct dd_check dd_check_dmarc = {
	.name = "dmarc",
	.wants = dmarc_wants,
	.follow = dmarc_follow,
	.judge = dmarc_judge,
};

void dd_dmarc_info_finish(struct dd_dmarc_info *info)
{
	free(info->record);
	free(info->found_at);
	free(info->cname_target);
	free(info->org_domain);
	free(info->psl_org_domain);
	free(info->rfc7489_found_at);
	for (size_t i = 0; i < info->ndests; i++) {
		free(info->dests[i].uri);
		free(info->dests[i].host);
		free(info->dests[i].auth_name);
	}
	free(info->dests);
	memset(info, 0, sizeof(*info));
}
