/*
 * mta_sts.c: MTA-STS (RFC 8461). The TXT record at _mta-sts.<domain>
 * announces a policy; the policy itself is fetched over HTTPS from
 * https://mta-sts.<domain>/.well-known/mta-sts.txt (§3.3: certificate
 * verified, no redirects, text/plain) and says which MX hosts senders may
 * deliver to over verified TLS. Judged: the record (one, v=STSv1 first, a
 * valid id; a v=STSv1 record at the domain itself is in the wrong place),
 * the fetch, the policy's grammar, max_age, and every MX host against the
 * policy's mx patterns (§4.1).
 *
 * Deliberately ignored: the MX hosts' own certificates (no SMTP connection
 * is made) and policy caching (a sender's concern). Without HTTP
 * (--offline, --no-http) the policy is unknown, never missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/parse.h"
#include "dd/util.h"

static const struct dd_text temporary_fix = {
	"Check again later; if it keeps failing, make sure mta-sts.{1} resolves and answers on "
	"port 443.",
	"時間をおいて再度確認してください。失敗が続く場合は mta-sts.{1} が解決でき、443 "
	"番ポートで応答することを確認してください。",
};

static bool record_name(const struct dd_posture *p, char *out, size_t outsz, const char *prefix)
{
	int n = snprintf(out, outsz, "%s.%s", prefix, p->domain);
	return n > 0 && (size_t)n < outsz;
}

static void sts_wants(const struct dd_posture *p, struct dd_wants *out)
{
	char name[DD_NAME_MAX + 16];
	if (record_name(p, name, sizeof(name), "_mta-sts"))
		dd_wants_add(out, name, DD_RR_TXT);
}

static size_t count_records(const struct dd_answer *a, const struct dd_rr **first)
{
	return dd_answer_count_records(a, dd_sts_record_is_sts, first);
}

static bool policy_url(const struct dd_posture *p, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "https://mta-sts.%s/.well-known/mta-sts.txt", p->domain);
	return n > 0 && (size_t)n < outsz;
}

/* One valid record: fetch the policy (RFC 8461 §3.3). */
static void sts_follow(const struct dd_posture *p, size_t qi, struct dd_wants *out)
{
	char name[DD_NAME_MAX + 16], url[DD_NAME_MAX + 64];
	const struct dd_query *q = &p->queries[qi];
	const struct dd_rr *rec;
	if (q->type != DD_RR_TXT || !record_name(p, name, sizeof(name), "_mta-sts") ||
	    strcmp(q->name, name) != 0 || count_records(q->answer, &rec) != 1)
		return;
	if (policy_url(p, url, sizeof(url)))
		dd_wants_fetch(out, url, strlen(url));
}

void dd_mta_sts_info_finish(struct dd_mta_sts_info *m)
{
	free(m->record);
	free(m->id);
	free(m->policy_url);
	for (size_t i = 0; i < m->nmx; i++)
		free(m->mx[i]);
	free(m->mx);
	for (size_t i = 0; i < m->nunmatched; i++)
		free(m->unmatched[i]);
	free(m->unmatched);
	memset(m, 0, sizeof(*m));
}

static struct dd_finding *add(struct dd_result *r, const struct dd_posture *p, const char *id,
                              long qi, const struct dd_rr *rr, const char *a2, const char *a3,
                              const char *a4)
{
	struct dd_finding *f = dd_findings_add(&r->findings, id, p->domain, a2, a3, a4, NULL);
	if (qi >= 0) {
		dd_finding_from_query(f, p, (size_t)qi);
		dd_finding_locate(f, p->queries[qi].answer, rr);
	}
	if (rr)
		dd_finding_set_record(f, rr->data, rr->len);
	return f;
}

/* A v=STSv1 record at the domain itself (asked by SPF anyway). */
static void wrong_place(const struct dd_posture *p, struct dd_result *r)
{
	long qi = dd_posture_find(p, p->domain, DD_RR_TXT);
	const struct dd_rr *rec;
	if (qi >= 0 && count_records(p->queries[qi].answer, &rec))
		add(r, p, "mta-sts.wrong-place", qi, rec, p->domain, NULL, NULL);
}

/* A policy problem in a language: its words, and the text it is about. */
static const char *problem_text(const struct dd_sts_problem *pr, enum dd_lang lang, char *buf,
                                size_t bufsz)
{
	/* clang-format off */
	static const struct dd_text what[] = {
		[DD_STS_P_NO_VERSION] = {"no \"version: STSv1\" line",
			"\"version: STSv1\" の行がありません"},
		[DD_STS_P_BAD_VERSION] = {"the version is not STSv1",
			"バージョンが STSv1 ではありません"},
		[DD_STS_P_NO_MODE] = {"no \"mode:\" line", "\"mode:\" の行がありません"},
		[DD_STS_P_BAD_MODE] = {"the mode is not enforce, testing or none",
			"mode が enforce、testing、none のどれでもありません"},
		[DD_STS_P_NO_MAX_AGE] = {"no \"max_age:\" line", "\"max_age:\" の行がありません"},
		[DD_STS_P_BAD_MAX_AGE] = {"max_age is not a number of seconds from 0 to 31557600",
			"max_age が 0 から 31557600 の秒数ではありません"},
		[DD_STS_P_NO_MX] = {"no \"mx:\" line, so no MX host may receive mail",
			"\"mx:\" の行がないため、どの MX ホストもメールを受け取れません"},
		[DD_STS_P_BAD_MX] = {"an mx value that is neither a host name nor \"*.\" and a domain",
			"mx の値がホスト名でも \"*.\" とドメインでもありません"},
		[DD_STS_P_DUPLICATE] = {"a field given twice", "同じ項目が 2 回あります"},
		[DD_STS_P_BAD_LINE] = {"a line that is not \"key: value\"",
			"\"key: value\" の形でない行があります"},
		[DD_STS_P_TOO_MANY_MX] = {"more mx lines than are read (64)",
			"mx の行が読める数 (64) より多くあります"},
		[DD_STS_P_NOT_TEXT] = {"control bytes in the policy",
			"ポリシーに制御文字があります"},
	};
	/* clang-format on */
	const char *w = dd_text_get(&what[pr->code], lang);
	if (pr->text)
		snprintf(buf, bufsz, "%s (\"%s\")", w, pr->text);
	else
		snprintf(buf, bufsz, "%s", w);
	return buf;
}

static void judge_policy(const struct dd_posture *p, struct dd_result *r, const struct dd_fetch *f)
{
	struct dd_mta_sts_info *m = &r->mta_sts;
	m->fetch_status = f->status;
	m->http_code = f->http_code;
	if (f->status == DD_FETCH_NOT_FETCHED) {
		m->policy_state = DD_STATE_UNKNOWN;
		return;
	}
	if (f->status != DD_FETCH_OK) {
		char why[DD_FETCH_WHY_MAX];
		struct dd_finding *fi =
		        add(r, p, "mta-sts.policy-unavailable", f->parent, NULL, f->url,
		            dd_fetch_why(f, DD_LANG_EN, why, sizeof(why)), NULL);
		dd_finding_arg_ja(fi, 2, dd_fetch_why(f, DD_LANG_JA, why, sizeof(why)));
		if (dd_fetch_status_is_failure(f->status)) {
			m->policy_state = DD_STATE_UNDETERMINED;
			fi->severity = DD_SEV_WARNING;
			fi->fix = &temporary_fix;
		} else {
			m->policy_state = DD_STATE_MISSING;
		}
		return;
	}
	m->policy_state = DD_STATE_FOUND;
	char type[128], charset[64];
	if (!f->content_type ||
	    !dd_media_type_parse(f->content_type, strlen(f->content_type), type, sizeof(type),
	                         charset, sizeof(charset)) ||
	    strcmp(type, "text/plain") != 0)
		add(r, p, "mta-sts.media-type", f->parent, NULL,
		    f->content_type ? f->content_type : "(none)", NULL, NULL);

	struct dd_sts_policy pol;
	dd_sts_policy_parse(f->body, f->body_len, &pol);
	m->mode = pol.mode;
	m->max_age = pol.max_age;
	m->mx = pol.mx;
	m->nmx = pol.nmx;
	pol.mx = NULL;
	pol.nmx = 0;
	for (size_t i = 0; i < pol.nproblems; i++) {
		char line[16], buf[192];
		snprintf(line, sizeof(line), "%u", pol.problems[i].line);
		struct dd_finding *fi =
		        add(r, p, "mta-sts.policy-syntax", f->parent, NULL, line,
		            problem_text(&pol.problems[i], DD_LANG_EN, buf, sizeof(buf)), NULL);
		dd_finding_arg_ja(fi, 2,
		                  problem_text(&pol.problems[i], DD_LANG_JA, buf, sizeof(buf)));
	}
	dd_sts_policy_finish(&pol);
	if (m->max_age >= 0 && m->max_age < DD_STS_MAX_AGE_LOW) {
		char n[24];
		snprintf(n, sizeof(n), "%ld", m->max_age);
		add(r, p, "mta-sts.max-age-low", f->parent, NULL, n, NULL, NULL);
	}
	if (m->mode == DD_STS_MODE_TESTING)
		add(r, p, "mta-sts.testing", f->parent, NULL, NULL, NULL, NULL);
	if (m->mode == DD_STS_MODE_NONE)
		add(r, p, "mta-sts.mode-none", f->parent, NULL, NULL, NULL, NULL);
	if (m->mode != DD_STS_MODE_ENFORCE && m->mode != DD_STS_MODE_TESTING)
		return;
	/* RFC 8461 §4.1: every MX host senders may pick must match a pattern */
	for (size_t i = 0; i < r->mx.nlist; i++) {
		const struct dd_mx_host *h = &r->mx.hosts[i];
		if (h->ip_literal || h->duplicate || strcmp(h->name, ".") == 0)
			continue;
		bool ok = false;
		for (size_t k = 0; k < m->nmx && !ok; k++)
			ok = dd_sts_mx_match(m->mx[k], h->name);
		if (ok)
			continue;
		m->unmatched = xrealloc(m->unmatched, (m->nunmatched + 1) * sizeof(char *));
		m->unmatched[m->nunmatched++] = xstrdup(h->name);
		struct dd_finding *fi = add(r, p, "mta-sts.mx-mismatch", f->parent, NULL, h->name,
		                            dd_sts_mode_name(m->mode), NULL);
		if (m->mode == DD_STS_MODE_TESTING)
			fi->severity = DD_SEV_WARNING;
	}
}

static void sts_judge(const struct dd_posture *p, struct dd_result *r)
{
	struct dd_mta_sts_info *m = &r->mta_sts;
	char name[DD_NAME_MAX + 16], url[DD_NAME_MAX + 64];
	m->max_age = -1;
	wrong_place(p, r);
	if (!record_name(p, name, sizeof(name), "_mta-sts")) {
		m->state = DD_STATE_MISSING;
		return;
	}
	long qi = dd_posture_find(p, name, DD_RR_TXT);
	const struct dd_answer *a = qi >= 0 ? p->queries[qi].answer : NULL;
	if (dd_answer_settles(a, &m->state))
		return;
	const struct dd_rr *rec;
	size_t n = count_records(a, &rec);
	if (n == 0) {
		m->state = DD_STATE_MISSING;
		return;
	}
	m->state = DD_STATE_FOUND;
	m->record = xstrndup(rec->data, rec->len);
	if (n > 1) {
		char cnt[24];
		snprintf(cnt, sizeof(cnt), "%zu", n);
		add(r, p, "mta-sts.multiple", qi, rec, cnt, NULL, NULL);
		return;
	}
	struct dd_sts_record sr;
	dd_sts_record_parse(rec->data, rec->len, &sr);
	static const struct dd_text version = { "v=STSv1 must be the first tag",
		                                "最初のタグは v=STSv1 でなければなりません" };
	static const struct dd_text no_id = { "there is no id", "id がありません" };
	static const struct dd_text bad_id = { "the id is not 1 to 32 letters or digits",
		                               "id が 1 から 32 文字の英数字ではありません" };
	const struct dd_text *why = !sr.version_ok  ? &version
	                            : !sr.syntax_ok ? &dd_taglist_broken
	                            : !sr.has_id    ? &no_id
	                            : !sr.id_ok     ? &bad_id
	                                            : NULL;
	if (why)
		dd_finding_arg_ja(add(r, p, "mta-sts.record-syntax", qi, rec, why->en, NULL, NULL),
		                  1, why->ja);
	if (sr.has_id)
		m->id = xstrdup(sr.id);
	if (!policy_url(p, url, sizeof(url)))
		return;
	m->policy_url = xstrdup(url);
	const struct dd_fetch *f = dd_posture_fetch(p, url);
	if (f)
		judge_policy(p, r, f);
	else
		m->policy_state = DD_STATE_UNKNOWN;
}

const struct dd_check dd_check_mta_sts = {
	.name = "mta-sts",
	.wants = sts_wants,
	.follow = sts_follow,
	.judge = sts_judge,
};
