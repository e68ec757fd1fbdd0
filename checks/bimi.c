/*
 * bimi.c: Brand Indicators for Message Identification (the BIMI Group's
 * draft, draft-brand-indicators-for-message-identification). The TXT record
 * at <selector>._bimi.<domain> ("default" unless --bimi-selector) names a
 * logo (l=, an SVG Tiny PS over HTTPS) and a mark certificate (a=, a VMC or
 * CMC PEM). Mailbox providers show the logo only for mail that passes DMARC
 * under an enforcing policy: p=quarantine or p=reject, sp not none, and no
 * pct below 100 (RFC 7489 receivers sample). Judged: the record, that
 * requirement, the SVG (bimi_svg.c) and the certificate (bimi_cert.c).
 *
 * Deliberately ignored: the fallback to the Organizational Domain's record
 * (a receiver's concern when the domain has none) and the trust chain of
 * the mark certificate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dd/check.h"
#include "dd/parse.h"
#include "dd/util.h"

bool dd_bimi_record_is_bimi(const char *txt, size_t len)
{
	return len >= 7 && memcmp(txt, "v=BIMI1", 7) == 0 &&
	       (len == 7 || txt[7] == ';' || txt[7] == ' ' || txt[7] == '\t');
}

static bool url_tag(const struct dd_tag *t, char **out)
{
	char host[DD_NAME_MAX + 1];
	uint16_t port;
	if (!t)
		return true;
	*out = xstrndup(t->value, t->value_len);
	return t->value_len == 0 || dd_url_parse_https(t->value, t->value_len, host, &port);
}

void dd_bimi_record_parse(const char *txt, size_t len, struct dd_bimi_record *out)
{
	memset(out, 0, sizeof(*out));
	struct dd_taglist tl;
	dd_taglist_parse(txt, len, &tl);
	out->syntax_ok = tl.error == NULL && !tl.truncated;
	out->version_ok = tl.n > 0 && tl.tags[0].name_len == 1 && tl.tags[0].name[0] == 'v' &&
	                  tl.tags[0].value_len == 5 && memcmp(tl.tags[0].value, "BIMI1", 5) == 0;
	out->l_ok = url_tag(dd_taglist_get(&tl, "l"), &out->l);
	out->a_ok = url_tag(dd_taglist_get(&tl, "a"), &out->a);
}

void dd_bimi_record_finish(struct dd_bimi_record *r)
{
	free(r->l);
	free(r->a);
	memset(r, 0, sizeof(*r));
}

void dd_bimi_info_finish(struct dd_bimi_info *b)
{
	free(b->selector);
	free(b->found_at);
	free(b->record);
	free(b->logo_url);
	free(b->authority_url);
	memset(b, 0, sizeof(*b));
}

static const char *selector(const struct dd_posture *p)
{
	return p->opts && p->opts->bimi_selector ? p->opts->bimi_selector : "default";
}

static bool bimi_name(const struct dd_posture *p, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%s._bimi.%s", selector(p), p->domain);
	return n > 0 && (size_t)n < outsz;
}

static void bimi_wants(const struct dd_posture *p, struct dd_wants *out)
{
	char name[DD_NAME_MAX + 80];
	if (bimi_name(p, name, sizeof(name)))
		dd_wants_add(out, name, DD_RR_TXT);
}

static size_t count_records(const struct dd_answer *a, const struct dd_rr **first)
{
	return dd_answer_count_records(a, dd_bimi_record_is_bimi, first);
}

static void bimi_follow(const struct dd_posture *p, size_t qi, struct dd_wants *out)
{
	char name[DD_NAME_MAX + 80];
	const struct dd_query *q = &p->queries[qi];
	const struct dd_rr *rec;
	if (q->type != DD_RR_TXT || !bimi_name(p, name, sizeof(name)) ||
	    strcmp(q->name, name) != 0 || count_records(q->answer, &rec) != 1)
		return;
	struct dd_bimi_record br;
	dd_bimi_record_parse(rec->data, rec->len, &br);
	if (br.version_ok && br.l && br.l_ok && br.l[0])
		dd_wants_fetch(out, br.l, strlen(br.l));
	if (br.version_ok && br.a && br.a_ok && br.a[0])
		dd_wants_fetch(out, br.a, strlen(br.a));
	dd_bimi_record_finish(&br);
}

static struct dd_finding *add(struct dd_result *r, const struct dd_posture *p, const char *id,
                              long qi, const struct dd_rr *rr, const char *a2, const char *a3)
{
	struct dd_finding *f = dd_findings_add(&r->findings, id, p->domain, a2, a3, NULL);
	if (qi >= 0) {
		dd_finding_from_query(f, p, (size_t)qi);
		dd_finding_locate(f, p->queries[qi].answer, rr);
	}
	if (rr)
		dd_finding_set_record(f, rr->data, rr->len);
	return f;
}

/* BIMI needs DMARC enforcement: quarantine or reject, sp not none, no pct < 100.
 * why and why_ja (as large) say what the policy is. */
static bool dmarc_allows(const struct dd_result *r, char *why, char *why_ja, size_t whysz)
{
	const struct dd_dmarc_info *d = &r->dmarc;
	if (d->state != DD_STATE_FOUND || !d->record) {
		snprintf(why, whysz, "(none)");
		snprintf(why_ja, whysz, "(なし)");
		return false;
	}
	struct dd_dmarc_record rec;
	dd_dmarc_parse(d->record, d->record_len, &rec);
	bool ok = d->policy == DD_POLICY_QUARANTINE || d->policy == DD_POLICY_REJECT;
	const char *pol = dd_policy_name(d->policy);
	snprintf(why, whysz, "p=%s", pol);
	snprintf(why_ja, whysz, "p=%s", pol);
	if (ok && rec.sp == DD_POLICY_NONE) {
		ok = false;
		snprintf(why, whysz, "p=%s with sp=none", pol);
		snprintf(why_ja, whysz, "p=%s で sp=none", pol);
	}
	if (ok && rec.pct >= 0 && rec.pct < 100) {
		ok = false;
		snprintf(why, whysz, "p=%s with pct=%ld", pol, rec.pct);
		snprintf(why_ja, whysz, "p=%s で pct=%ld", pol, rec.pct);
	}
	return ok;
}

static void judge_logo(const struct dd_posture *p, struct dd_result *r, long qi)
{
	struct dd_bimi_info *b = &r->bimi;
	const struct dd_fetch *f = dd_posture_fetch(p, b->logo_url);
	b->logo_fetch = f ? f->status : DD_FETCH_NOT_FETCHED;
	if (!f || f->status == DD_FETCH_NOT_FETCHED)
		return;
	char why[DD_FETCH_WHY_MAX];
	if (f->status != DD_FETCH_OK) {
		struct dd_finding *fi = add(r, p, "bimi.logo-unavailable", qi, NULL, b->logo_url,
		                            dd_fetch_why(f, DD_LANG_EN, why, sizeof(why)));
		dd_finding_arg_ja(fi, 2, dd_fetch_why(f, DD_LANG_JA, why, sizeof(why)));
		if (dd_fetch_status_is_failure(f->status))
			fi->severity = DD_SEV_WARNING;
		return;
	}
	/* clang-format off */
	static const struct dd_text what[DD_SVG_PROBLEM_COUNT] = {
		[DD_SVG_NOT_XML] = {"not well-formed XML", "整形式の XML ではありません"},
		[DD_SVG_NOT_SVG] = {"the root element is not <svg> in the SVG namespace",
			"ルート要素が SVG 名前空間の <svg> ではありません"},
		[DD_SVG_NOT_TINY_PS] = {"baseProfile is not \"tiny-ps\"",
			"baseProfile が \"tiny-ps\" ではありません"},
		[DD_SVG_NO_TITLE] = {"no <title> in the root element", "ルート要素に <title> がありません"},
		[DD_SVG_SCRIPT] = {"a script", "スクリプトがあります"},
		[DD_SVG_EXTERNAL] = {"an external reference", "外部への参照があります"},
		[DD_SVG_ANIMATION] = {"animation", "アニメーションがあります"},
		[DD_SVG_NOT_SQUARE] = {"the viewBox is not square", "viewBox が正方形ではありません"},
		[DD_SVG_TOO_LARGE] = {"larger than 32 KiB", "32 KiB を超えています"},
		[DD_SVG_X_Y] = {"x or y on the root element", "ルート要素に x か y があります"},
	};
	/* clang-format on */
	struct dd_svg_check sc;
	dd_svg_check(f->body, f->body_len, &sc);
	b->logo_checked = true;
	b->logo_ok = true;
	for (int i = 0; i < DD_SVG_PROBLEM_COUNT; i++) {
		if (!sc.problems[i])
			continue;
		b->logo_ok = false;
		char en[224], ja[256];
		const char *detail = sc.detail[i];
		snprintf(en, sizeof(en), "%s%s%s%s", what[i].en, detail[0] ? " (" : "", detail,
		         detail[0] ? ")" : "");
		snprintf(ja, sizeof(ja), "%s%s%s%s", what[i].ja, detail[0] ? " (" : "", detail,
		         detail[0] ? ")" : "");
		dd_finding_arg_ja(add(r, p, "bimi.svg-invalid", qi, NULL, b->logo_url, en), 2, ja);
	}
}

static void judge_cert(const struct dd_posture *p, struct dd_result *r, long qi)
{
	struct dd_bimi_info *b = &r->bimi;
	const struct dd_fetch *f = dd_posture_fetch(p, b->authority_url);
	b->cert_fetch = f ? f->status : DD_FETCH_NOT_FETCHED;
	if (!f || f->status == DD_FETCH_NOT_FETCHED)
		return;
	char why[DD_FETCH_WHY_MAX];
	if (f->status != DD_FETCH_OK) {
		struct dd_finding *fi =
		        add(r, p, "bimi.cert-unavailable", qi, NULL, b->authority_url,
		            dd_fetch_why(f, DD_LANG_EN, why, sizeof(why)));
		dd_finding_arg_ja(fi, 2, dd_fetch_why(f, DD_LANG_JA, why, sizeof(why)));
		if (dd_fetch_status_is_failure(f->status))
			fi->severity = DD_SEV_WARNING;
		return;
	}
	const struct dd_fetch *logo = b->logo_url ? dd_posture_fetch(p, b->logo_url) : NULL;
	bool have_svg = logo && logo->status == DD_FETCH_OK;
	struct dd_bimi_cert c;
	dd_bimi_cert_check(f->body, f->body_len, p->domain, selector(p),
	                   have_svg ? logo->body : NULL, have_svg ? logo->body_len : 0,
	                   p->opts ? p->opts->now : 0, &c);
	b->cert_checked = true;
	if (!c.parsed) {
		dd_finding_arg_ja(
		        add(r, p, "bimi.cert-unavailable", qi, NULL, b->authority_url, c.error->en),
		        2, c.error->ja);
		return;
	}
	b->cert_not_after = c.not_after;
	b->cert_ok = true;
	if (c.expired) {
		time_t t = (time_t)c.not_after;
		struct tm tm;
		char date[32] = "?";
		if (gmtime_r(&t, &tm))
			strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", &tm);
		add(r, p, "bimi.cert-expired", qi, NULL, b->authority_url, date);
		b->cert_ok = false;
	}
	if (!c.san_match) {
		add(r, p, "bimi.cert-san-mismatch", qi, NULL, b->authority_url, c.san_first);
		b->cert_ok = false;
	}
	if (have_svg && c.logotype_match == 0) {
		add(r, p, "bimi.cert-logo-mismatch", qi, NULL, b->logo_url, NULL);
		b->cert_ok = false;
	}
}

static void bimi_judge(const struct dd_posture *p, struct dd_result *r)
{
	struct dd_bimi_info *b = &r->bimi;
	char name[DD_NAME_MAX + 80], why[64], why_ja[64];
	b->selector = xstrdup(selector(p));
	b->logo_fetch = b->cert_fetch = DD_FETCH_NOT_FETCHED;
	b->dmarc_allows = dmarc_allows(r, why, why_ja, sizeof(why));
	long qi = bimi_name(p, name, sizeof(name)) ? dd_posture_find(p, name, DD_RR_TXT) : -1;
	const struct dd_answer *a = qi >= 0 ? p->queries[qi].answer : NULL;
	if (dd_answer_settles(a, &b->state))
		return;
	const struct dd_rr *rec;
	size_t n = count_records(a, &rec);
	if (!n) {
		b->state = DD_STATE_MISSING;
		return;
	}
	b->state = DD_STATE_FOUND;
	b->found_at = xstrdup(name);
	b->record = xstrndup(rec->data, rec->len);
	if (n > 1) {
		char cnt[24];
		snprintf(cnt, sizeof(cnt), "%zu", n);
		add(r, p, "bimi.multiple", qi, rec, name, cnt);
		return;
	}
	struct dd_bimi_record br;
	dd_bimi_record_parse(rec->data, rec->len, &br);
	static const struct dd_text version = { "v=BIMI1 must be the first tag",
		                                "最初のタグは v=BIMI1 でなければなりません" };
	static const struct dd_text l_url = { "l= is not an https:// URL",
		                              "l= が https:// の URL ではありません" };
	static const struct dd_text a_url = { "a= is not an https:// URL",
		                              "a= が https:// の URL ではありません" };
	static const struct dd_text no_l = { "there is no l= (the logo)",
		                             "l= (ロゴ) がありません" };
	const struct dd_text *bad = !br.version_ok  ? &version
	                            : !br.syntax_ok ? &dd_taglist_broken
	                            : !br.l_ok      ? &l_url
	                            : !br.a_ok      ? &a_url
	                            : !br.l         ? &no_l
	                                            : NULL;
	if (bad)
		dd_finding_arg_ja(add(r, p, "bimi.syntax", qi, rec, name, bad->en), 2, bad->ja);
	b->declined = br.l && !br.l[0] && (!br.a || !br.a[0]);
	if (br.l && br.l[0] && br.l_ok)
		b->logo_url = xstrdup(br.l);
	if (br.a && br.a[0] && br.a_ok)
		b->authority_url = xstrdup(br.a);
	bool version_ok = br.version_ok;
	dd_bimi_record_finish(&br);
	if (b->declined)
		return;
	if (!b->dmarc_allows)
		dd_finding_arg_ja(add(r, p, "bimi.dmarc-not-enforcing", qi, rec, why, NULL), 1,
		                  why_ja);
	if (b->logo_url)
		judge_logo(p, r, qi);
	if (b->authority_url)
		judge_cert(p, r, qi);
	else if (version_ok)
		add(r, p, "bimi.no-authority", qi, rec, NULL, NULL);
}

const struct dd_check dd_check_bimi = {
	.name = "bimi",
	.wants = bimi_wants,
	.follow = bimi_follow,
	.judge = bimi_judge,
};
