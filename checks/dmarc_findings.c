/*
 * dmarc_findings.c: findings about the text of DMARC records - bad values,
 * duplicate and unknown tags, removed tags, report URIs - and about what
 * else sits at a _dmarc name: several records, records that receivers do
 * not recognise (quotes pasted into the data, v=dmarc1, ...), other TXT.
 *
 * Each problem gets a message of its own in every language (a variant of
 * the finding table's message), so that the reason reads naturally in
 * Japanese too; the table keeps the id, severity, RFC and fix.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc_int.h"
#include "dd/util.h"

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct dd_text msg_grammar = {
	"The DMARC record at {1} does not parse at column {3} ({2}); receivers may ignore that part or the whole record.",
	"{1} の DMARC レコードは {3} 桁目 ({2}) で構文が崩れています。受信側はその部分、またはレコード全体を無視することがあります。",
};
static const struct dd_text msg_bad_policy = {
	"{2} at column {3} of the DMARC record at {1} is not none, quarantine or reject: RFC 9989 receivers then treat the whole record as p=none if it has a valid rua, and apply no DMARC otherwise (OpenDMARC also accepts abbreviations such as p=r).",
	"{1} の DMARC レコードの {2} ({3} 桁目) は none、quarantine、reject のいずれでもありません。RFC 9989 の受信側は、有効な rua があればレコード全体を p=none として扱い、なければ DMARC を適用しません (OpenDMARC は p=r のような省略形も受け付けます)。",
};
static const struct dd_text msg_bad_rors = {
	"{2} at column {3} of the DMARC record at {1} is not r (relaxed) or s (strict); receivers use the default, r.",
	"{1} の DMARC レコードの {2} ({3} 桁目) は r (relaxed) でも s (strict) でもありません。受信側は既定値の r を使います。",
};
static const struct dd_text msg_bad_t = {
	"{2} at column {3} of the DMARC record at {1} is not y or n; receivers use the default, n.",
	"{1} の DMARC レコードの {2} ({3} 桁目) は y でも n でもありません。受信側は既定値の n を使います。",
};
static const struct dd_text msg_bad_psd = {
	"{2} at column {3} of the DMARC record at {1} is not y, n or u; receivers use the default, u.",
	"{1} の DMARC レコードの {2} ({3} 桁目) は y、n、u のいずれでもありません。受信側は既定値の u を使います。",
};
static const struct dd_text msg_bad_fo = {
	"{2} at column {3} of the DMARC record at {1} is not a list of 0, 1, d and s separated by ':'; receivers use the default, 0.",
	"{1} の DMARC レコードの {2} ({3} 桁目) は 0、1、d、s を ':' で区切った値ではありません。受信側は既定値の 0 を使います。",
};
static const struct dd_text msg_bad_list = {
	"{2} at column {3} of the DMARC record at {1} has an empty entry in its list of URIs.",
	"{1} の DMARC レコードの {2} ({3} 桁目) の URI の並びに空の項目があります。",
};
static const struct dd_text msg_duplicate = {
	"The tag {2} appears more than once in the DMARC record at {1} (again at column {3}): RFC 6376 §3.2 makes such a tag list invalid; some receivers discard the record, others use the first or the last value.",
	"{1} の DMARC レコードにタグ {2} が複数あります ({3} 桁目)。RFC 6376 §3.2 ではこのようなタグの並びは無効です。レコードを破棄する受信側も、最初または最後の値を使う受信側もあります。",
};
static const struct dd_text msg_no_scheme = {
	"{2} at column {3} of the DMARC record at {1} is not a URI (mailto: is missing); receivers ignore it.",
	"{1} の DMARC レコードの {2} ({3} 桁目) は URI ではありません (mailto: がありません)。受信側は無視します。",
};
static const struct dd_text msg_bad_address = {
	"{2} at column {3} of the DMARC record at {1} is not a usable mailto:local@domain address; receivers ignore it.",
	"{1} の DMARC レコードの {2} ({3} 桁目) は mailto:ローカル部@ドメイン の形の使えるアドレスではありません。受信側は無視します。",
};
static const struct dd_text msg_bad_size = {
	"The size limit after '!' in {2} (column {3} of the DMARC record at {1}) is not a number with an optional k, m, g or t; receivers may ignore the URI.",
	"{1} の DMARC レコードの {2} ({3} 桁目) の '!' の後のサイズ制限は、数字と省略可能な k、m、g、t の形ではありません。受信側はこの URI を無視することがあります。",
};
static const struct dd_text msg_leading_space = {
	"The DMARC record at {1} starts with whitespace: the RFC 9989 grammar does not allow it; OpenDMARC trims it, but strict parsers (checkdmarc) reject the record.",
	"{1} の DMARC レコードは空白で始まっています。RFC 9989 の文法では許されません。OpenDMARC は空白を除きますが、厳密な実装 (checkdmarc) はレコードを拒否します。",
};
static const struct dd_text fix_leading_space = {
	"Remove the whitespace so the record starts with v=DMARC1.",
	"レコードが v=DMARC1 で始まるよう空白を削除してください。",
};
static const struct dd_text msg_no_p_no_rua = {
	"The DMARC record at {1} has neither a p tag nor a valid rua: receivers apply no DMARC at all.",
	"{1} の DMARC レコードには p タグも有効な rua もありません。受信側は DMARC を一切適用しません。",
};
static const struct dd_text msg_pct_100 = {
	"pct={1} is removed in RFC 9989; at 100 every receiver applies the policy to all failing mail anyway.",
	"pct={1} は RFC 9989 で廃止されました。100 であれば、どの受信側も失敗したメールすべてにポリシーを適用します。",
};
static const struct dd_text msg_pct_bad = {
	"pct={1} is removed in RFC 9989, and is not a number from 0 to 100: RFC 9989 receivers ignore it, RFC 7489 receivers may discard the record (OpenDMARC does).",
	"pct={1} は RFC 9989 で廃止されており、0 から 100 の数でもありません。RFC 9989 の受信側は無視し、RFC 7489 の受信側はレコードを破棄することがあります (OpenDMARC は破棄します)。",
};
static const struct dd_text msg_rf = {
	"The DMARC record at {1} has {2}: RFC 9989 removed rf; failure reports use the AFRF format (RFC 6591) everywhere, so it changes nothing.",
	"{1} の DMARC レコードに {2} があります。rf は RFC 9989 で廃止されました。失敗レポートはどこでも AFRF 形式 (RFC 6591) なので、効果はありません。",
};
static const struct dd_text msg_ri = {
	"The DMARC record at {1} has {2}: RFC 9989 removed ri; receivers send aggregate reports at least daily whatever it says.",
	"{1} の DMARC レコードに {2} があります。ri は RFC 9989 で廃止されました。受信側は値にかかわらず、少なくとも 1 日 1 回集計レポートを送ります。",
};
static const struct dd_text msg_too_many = {
	"The DMARC record at {1} has more tags than dmarc-doctor reads (64); the rest, from column {3}, was not checked.",
	"{1} の DMARC レコードはタグが多すぎます (dmarc-doctor が読むのは 64 個まで)。{3} 桁目以降は確認していません。",
};
static const struct dd_text msg_too_many_uris = {
	"The DMARC record at {1} lists more report URIs than dmarc-doctor reads (16); the rest, from column {3}, was not checked.",
	"{1} の DMARC レコードはレポート送付先の URI が多すぎます (dmarc-doctor が読むのは 16 個まで)。{3} 桁目以降は確認していません。",
};
static const struct dd_text msg_policy_none_sub = {
	"The DMARC policy for {1} is none ({2}=none in the record at {3}): spoofed mail is still delivered.",
	"{1} の DMARC ポリシーは none です ({3} のレコードの {2}=none)。なりすましメールはそのまま配送されます。",
};
static const struct dd_text msg_multiple_walk = {
	"{1} holds {2} DMARC records; receivers discard them all: RFC 9989 receivers then look further up the tree, RFC 7489 receivers (and mailauth) apply no DMARC.",
	"{1} に DMARC レコードが {2} 個あります。受信側はすべて破棄します。RFC 9989 の受信側はさらに上位を探し、RFC 7489 の受信側 (と mailauth) は DMARC を適用しません。",
};
/* clang-format on */

/* dmarc.not-recognized, by the reason the text is not a DMARC record */
/* clang-format off */
static const struct dd_text msg_quoted = {
	"The TXT record at {1} starts with a double quote: quotes were pasted into the data, so it does not start with v=DMARC1 and receivers ignore it.",
	"{1} の TXT レコードは二重引用符で始まっています。引用符がデータの一部として登録されているため v=DMARC1 で始まらず、受信側は無視します。",
};
static const struct dd_text fix_quoted = {
	"Remove the inner quotes: in a zone file write \"v=DMARC1; ...\", not \"\\\"v=DMARC1; ...\\\"\"; in a DNS provider's form, enter the text without quotes.",
	"内側の引用符を削除してください。ゾーンファイルでは \"\\\"v=DMARC1; ...\\\"\" ではなく \"v=DMARC1; ...\" と書き、DNS 事業者の画面では引用符なしで入力してください。",
};
static const struct dd_text msg_version_case = {
	"The TXT record at {1} starts with v= but not with exactly DMARC1: RFC 9989 wants the version to match exactly, so receivers such as mailauth ignore it (OpenDMARC accepts other letter case).",
	"{1} の TXT レコードは v= で始まりますが、値が正確に DMARC1 ではありません。RFC 9989 は完全一致を求めるため、mailauth などの受信側は無視します (OpenDMARC は大文字小文字の違いを受け付けます)。",
};
static const struct dd_text msg_version_garbage = {
	"The TXT record at {1} has v=DMARC1 followed by something other than ';', so receivers do not see a DMARC record.",
	"{1} の TXT レコードは v=DMARC1 の後に ';' 以外が続いているため、受信側は DMARC レコードと認識しません。",
};
static const struct dd_text msg_version_not_first = {
	"The TXT record at {1} has a v=DMARC1 tag that is not the first tag; RFC 9989 requires it first, so receivers ignore the record.",
	"{1} の TXT レコードの v=DMARC1 タグが先頭にありません。RFC 9989 は先頭を求めるため、受信側はレコードを無視します。",
};
static const struct dd_text msg_version_other = {
	"The TXT record at {1} looks like a DMARC record but does not start with v=DMARC1; receivers ignore it.",
	"{1} の TXT レコードは DMARC レコードのようですが v=DMARC1 で始まっていません。受信側は無視します。",
};
static const struct dd_text msg_other_spf = {
	"{1} holds an SPF record: SPF is read at the domain itself, never at _dmarc, so it has no effect here.",
	"{1} に SPF レコードがあります。SPF はドメイン自体で参照され、_dmarc では参照されないため、ここでは効果がありません。",
};
/* clang-format on */

struct dd_finding *dmarc_finding_at(struct dd_result *r, const struct dd_posture *p,
                                    const struct dmarc_level *lv, const struct dd_rr *rr,
                                    const char *id, const char *a1, const char *a2, const char *a3,
                                    const char *a4)
{
	struct dd_finding *f = dd_findings_add(&r->findings, id, a1, a2, a3, a4, NULL);
	if (rr)
		dd_finding_set_record(f, rr->data, rr->len);
	if (lv->qi >= 0)
		dd_finding_from_query(f, p, (size_t)lv->qi);
	dd_finding_locate(f, lv->ans, rr);
	return f;
}

/* "tag=value" as written, for a message. */
static char *tag_text(const struct dd_dmarc_tag *t)
{
	return xasprintf("%.*s=%.*s", (int)t->name_len, t->name, (int)t->value_len, t->value);
}

static const struct dd_text *bad_value_text(enum dd_dmarc_tag_id id)
{
	switch (id) {
	case DD_DMARC_TAG_P:
	case DD_DMARC_TAG_SP:
	case DD_DMARC_TAG_NP: return &msg_bad_policy;
	case DD_DMARC_TAG_ADKIM:
	case DD_DMARC_TAG_ASPF: return &msg_bad_rors;
	case DD_DMARC_TAG_T: return &msg_bad_t;
	case DD_DMARC_TAG_PSD: return &msg_bad_psd;
	case DD_DMARC_TAG_FO: return &msg_bad_fo;
	case DD_DMARC_TAG_RUA:
	case DD_DMARC_TAG_RUF: return &msg_bad_list;
	default: return &msg_grammar; /* a second v */
	}
}

/* The spec of the tag list around a column ("p" in "v=DMARC1; p"), for grammar errors. */
static char *spec_at(const char *rec, size_t len, size_t column)
{
	size_t at = column ? column - 1 : 0, start = at, end = at;
	if (at > len)
		at = start = end = len;
	while (start > 0 && rec[start - 1] != ';')
		start--;
	while (end < len && rec[end] != ';')
		end++;
	while (start < end && (rec[start] == ' ' || rec[start] == '\t'))
		start++;
	return xstrndup(rec + start, end - start);
}

static void problem_finding(const struct dd_posture *p, const struct dmarc_level *lv,
                            const struct dd_dmarc_problem *pr, struct dd_result *r)
{
	const struct dd_dmarc_record *rec = lv->rec;
	const struct dd_dmarc_tag *t = pr->tag != SIZE_MAX ? &rec->tags[pr->tag] : NULL;
	const struct dd_dmarc_uri *u = pr->uri != SIZE_MAX ? &rec->uris[pr->uri] : NULL;
	char col[24];
	snprintf(col, sizeof(col), "%zu", pr->column);
	char *what = NULL;
	if (u)
		what = xstrndup(u->text, u->len);
	else if (t && pr->kind == DD_DMARC_P_DUPLICATE)
		what = xstrndup(t->name, t->name_len);
	else if (t)
		what = tag_text(t);
	else
		what = spec_at(lv->rr->data, lv->rr->len, pr->column);

	const char *id = "dmarc.syntax";
	const struct dd_text *msg = NULL, *fix = NULL;
	bool value_first = false;
	enum dd_severity sev = DD_SEV_ERROR;
	switch (pr->kind) {
	case DD_DMARC_P_GRAMMAR: msg = &msg_grammar; break;
	case DD_DMARC_P_BAD_VALUE: msg = bad_value_text(t ? t->id : DD_DMARC_TAG_UNKNOWN); break;
	case DD_DMARC_P_DUPLICATE: msg = &msg_duplicate; break;
	case DD_DMARC_P_URI_NO_SCHEME: msg = &msg_no_scheme; break;
	case DD_DMARC_P_URI_ADDRESS: msg = &msg_bad_address; break;
	case DD_DMARC_P_URI_SIZE_BAD: msg = &msg_bad_size; break;
	case DD_DMARC_P_LEADING_SPACE:
		msg = &msg_leading_space;
		fix = &fix_leading_space;
		sev = DD_SEV_WARNING;
		break;
	case DD_DMARC_P_NO_POLICY:
		id = "dmarc.p-missing";
		if (!rec->has_rua) {
			msg = &msg_no_p_no_rua;
			sev = DD_SEV_ERROR;
		} else {
			sev = DD_SEV_WARNING;
		}
		break;
	case DD_DMARC_P_PCT:
		/* the table's message reads pct={1} ... {1}% */
		id = "dmarc.pct-obsolete";
		sev = DD_SEV_WARNING;
		value_first = true;
		free(what);
		what = xstrndup(t->value, t->value_len);
		if (rec->pct == 100) {
			msg = &msg_pct_100;
			sev = DD_SEV_INFO;
		} else if (rec->pct < 0) {
			msg = &msg_pct_bad;
		}
		break;
	case DD_DMARC_P_REMOVED:
		id = "dmarc.removed-tag";
		msg = t->id == DD_DMARC_TAG_RF ? &msg_rf : &msg_ri;
		sev = DD_SEV_INFO;
		break;
	case DD_DMARC_P_UNKNOWN_TAG:
		id = "dmarc.unknown-tag";
		free(what);
		what = xstrndup(t->name, t->name_len);
		sev = DD_SEV_WARNING;
		break;
	case DD_DMARC_P_URI_SIZE:
		id = "dmarc.uri-size";
		sev = DD_SEV_WARNING;
		break;
	case DD_DMARC_P_URI_SCHEME:
		id = "dmarc.uri-scheme";
		sev = DD_SEV_WARNING;
		break;
	case DD_DMARC_P_TOO_MANY_TAGS:
		msg = &msg_too_many;
		sev = DD_SEV_WARNING;
		break;
	case DD_DMARC_P_TOO_MANY_URIS:
		msg = &msg_too_many_uris;
		sev = DD_SEV_WARNING;
		break;
	}
	struct dd_finding *f =
	        value_first ? dmarc_finding_at(r, p, lv, lv->rr, id, what, lv->name, NULL, NULL)
	                    : dmarc_finding_at(r, p, lv, lv->rr, id, lv->name, what, col, NULL);
	f->column = (uint32_t)pr->column;
	f->severity = sev;
	if (msg)
		f->message = msg;
	if (fix)
		f->fix = fix;
	free(what);
}

void dmarc_record_findings(const struct dd_posture *p, const struct dmarc_level *lv,
                           struct dd_result *r)
{
	for (size_t i = 0; i < lv->rec->nproblems; i++)
		problem_finding(p, lv, &lv->rec->problems[i], r);
	if (lv->rec->t == 'y') {
		enum dd_policy pol = dd_dmarc_requested_policy(lv->rec);
		if (pol == DD_POLICY_QUARANTINE || pol == DD_POLICY_REJECT) {
			const char *applied = pol == DD_POLICY_REJECT ? "quarantine" : "none";
			dmarc_finding_at(r, p, lv, lv->rr, "dmarc.testing", lv->name,
			                 dd_policy_name(pol), applied, NULL);
		}
	}
}

static void multiple(const struct dd_posture *p, const struct dmarc_level *lv, struct dd_result *r)
{
	char count[24];
	snprintf(count, sizeof(count), "%zu", lv->nrecords);
	struct dd_finding *f =
	        dmarc_finding_at(r, p, lv, NULL, "dmarc.multiple", lv->name, count, NULL, NULL);
	f->message = &msg_multiple_walk;
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
}

static const struct dd_text *near_miss_text(enum dd_dmarc_near_miss why)
{
	switch (why) {
	case DD_DMARC_QUOTED: return &msg_quoted;
	case DD_DMARC_VERSION_CASE: return &msg_version_case;
	case DD_DMARC_VERSION_GARBAGE: return &msg_version_garbage;
	case DD_DMARC_VERSION_NOT_FIRST: return &msg_version_not_first;
	case DD_DMARC_VERSION_OTHER: return &msg_version_other;
	case DD_DMARC_NOT_CLOSE: break;
	}
	return NULL;
}

/*
 * What a _dmarc name holds besides one valid record: several records, TXT
 * that looks like a failed attempt at DMARC, and other TXT (RFC 9989 §4.10
 * step 2 discards all of them).
 */
void dmarc_level_findings(const struct dd_posture *p, const struct dmarc_level *lv,
                          struct dd_result *r)
{
	if (!lv->ans || lv->failed)
		return;
	if (lv->nrecords > 1)
		multiple(p, lv, r);
	size_t other = 0;
	const struct dd_rr *spf = NULL;
	for (size_t i = 0; i < lv->ans->nrrs; i++) {
		const struct dd_rr *rr = &lv->ans->rrs[i];
		if (dd_dmarc_is_record(rr->data, rr->len))
			continue;
		enum dd_dmarc_near_miss why = dd_dmarc_near_miss(rr->data, rr->len);
		if (why == DD_DMARC_NOT_CLOSE) {
			other++;
			if (dd_spf_is_record(rr->data, rr->len))
				spf = rr;
			continue;
		}
		struct dd_finding *f = dmarc_finding_at(r, p, lv, rr, "dmarc.not-recognized",
		                                        lv->name, NULL, NULL, NULL);
		f->message = near_miss_text(why);
		if (why == DD_DMARC_QUOTED)
			f->fix = &fix_quoted;
		f->column = 1;
		/* a valid record beside it still applies: the broken one is noise */
		if (lv->nrecords == 1)
			f->severity = DD_SEV_WARNING;
	}
	if (spf) {
		struct dd_finding *f = dmarc_finding_at(r, p, lv, spf, "dmarc.other-txt", lv->name,
		                                        "1", NULL, NULL);
		f->message = &msg_other_spf;
	} else if (other) {
		char n[24];
		snprintf(n, sizeof(n), "%zu", other);
		dmarc_finding_at(r, p, lv, NULL, "dmarc.other-txt", lv->name, n, NULL, NULL);
	}
}

const struct dd_text *dmarc_policy_none_sub_text(void)
{
	return &msg_policy_none_sub;
}
