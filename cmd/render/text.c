/*
 * text.c: the human report. Its first lines answer the question the user
 * came with - where the domain stands, the one next step, the record to
 * publish - and the details follow. Japanese under a Japanese locale.
 * Findings from a zone file read like compiler messages (file:line: ...).
 */
#include <stdlib.h>
#include <string.h>

#include "dd/render.h"
#include "render/text_dnssec.h"
#include "render/evidence.h"

enum ui {
	UI_UNKNOWN,
	UI_ERROR,
	UI_NEXT,
	UI_PUBLISH,
	UI_AT,
	UI_NO_RECORD,
	UI_SPF_SEVERAL,
	UI_DMARC_SEVERAL,
	UI_UNDETERMINED,
	UI_NOT_ASKED,
	UI_NO_KEYS_OTHERS_NOT_ASKED,
	UI_SELECTORS,
	UI_NO_KEYS,
	UI_DKIM_REVOKED,
	UI_DKIM_UNUSABLE,
	UI_DKIM_WILDCARD,
	UI_DKIM_PROBABLY,
	UI_DKIM_GENERIC,
	UI_DKIM_FAILED,
	UI_MX_HOSTS,
	UI_NULL_MX,
	UI_MX_NO_ADDRESS,
	UI_MX_ALIAS,
	UI_MX_LITERAL,
	UI_MX_MORE,
	UI_STS_POLICY,
	UI_FETCH_FAILED,
	UI_FETCH_SKIPPED,
	UI_BIMI_LOGO,
	UI_BIMI_CERT,
	UI_BIMI_WAITS,
	UI_OK,
	UI_INVALID,
	UI_FIX,
	UI_VIA,
	UI_NO_FINDINGS,
	UI_SUMMARY,
	UI_TESTING,
	UI_INHERITED,
	UI_FIX_FIRST,
	UI_NO_POLICY,
	UI_SPF_COUNTS,
	UI_SPF_COUNTS_MIN,
	UI_SPF_TREE,
	UI_SPF_LOOKUPS,
	UI_SPF_LOOKUP_ONE,
	UI_SPF_VOID,
	UI_CHECK_HOST,
	UI_CH_TERM,
	UI_CH_STOPPED,
	UI_CH_DEFAULT,
	UI_CH_PATH,
	UI_CH_REASON,
	UI_CH_EXPLANATION,
	UI_KNOWN,
	UI_UNKNOWN_OFFLINE,
	UI_SUPPRESSED,
	UI_KEY_CUT,
	UI_COUNT
};

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct dd_text ui_text[UI_COUNT] = {
	[UI_UNKNOWN] = {"DMARC could not be determined: a DNS lookup failed",
			"DMARC を判定できません: DNS の問い合わせに失敗しました"},
	[UI_ERROR] = {"could not be checked: {1}", "確認できませんでした: {1}"},
	[UI_NEXT] = {"next step", "次の段階"},
	[UI_PUBLISH] = {"publish", "公開"},
	[UI_AT] = {"at", "場所"},
	[UI_NO_RECORD] = {"no record", "レコードなし"},
	[UI_SPF_SEVERAL] = {"{1} records: receivers return permerror (spf.multiple)",
			    "レコードが {1} 個: 受信側は permerror を返します (spf.multiple)"},
	[UI_DMARC_SEVERAL] = {"{1} records: receivers discard them all (dmarc.multiple)",
			      "レコードが {1} 個: 受信側はすべて破棄します (dmarc.multiple)"},
	[UI_UNDETERMINED] = {"undetermined (DNS failure)", "判定不能 (DNS エラー)"},
	[UI_NOT_ASKED] = {"not looked up (offline)", "未確認 (オフライン)"},
	[UI_NO_KEYS_OTHERS_NOT_ASKED] = {"no key at the {1} selectors probed, the others not looked up (offline)", "調べた {1} 個のセレクタに鍵なし、ほかは未確認 (オフライン)"},
	[UI_SELECTORS] = {"keys at {1} of the {2} selectors probed", "{2} 個中 {1} 個のセレクタで発見"},
	[UI_NO_KEYS] = {"no key at the {1} selectors probed", "調べた {1} 個のセレクタに鍵なし"},
	[UI_DKIM_REVOKED] = {"revoked", "失効"},
	[UI_DKIM_UNUSABLE] = {"unusable (see below)", "使用不可 (下記参照)"},
	[UI_DKIM_WILDCARD] = {"wildcard", "ワイルドカード"},
	[UI_DKIM_PROBABLY] = {"probably {1}", "{1} の可能性"},
	[UI_DKIM_GENERIC] = {"generic name", "汎用の名前"},
	[UI_DKIM_FAILED] = {"{1} of {2} lookups failed", "{2} 件中 {1} 件の問い合わせに失敗"},
	[UI_MX_HOSTS] = {"{1} hosts", "{1} ホスト"},
	[UI_MX_NO_ADDRESS] = {"no address", "アドレスなし"},
	[UI_MX_ALIAS] = {"CNAME", "CNAME"},
	[UI_MX_LITERAL] = {"IP address", "IP アドレス"},
	[UI_MX_MORE] = {"and {1} more", "ほか {1} 件"},
	[UI_STS_POLICY] = {"policy: mode {1}, max_age {2}, {3} mx",
			   "ポリシー: mode {1}、max_age {2}、mx {3} 件"},
	[UI_FETCH_FAILED] = {"not fetched: {1}", "取得できません: {1}"},
	[UI_FETCH_SKIPPED] = {"not fetched (--offline or --no-http)",
			      "未取得 (--offline または --no-http)"},
	[UI_BIMI_LOGO] = {"logo", "ロゴ"},
	[UI_BIMI_CERT] = {"certificate", "証明書"},
	[UI_BIMI_WAITS] = {"not shown until DMARC enforces", "DMARC が強制になるまで表示されません"},
	[UI_OK] = {"ok", "OK"},
	[UI_INVALID] = {"invalid", "不正"},
	[UI_NULL_MX] = {"null MX: receives no mail (RFC 7505)",
			"null MX: メールを受け取りません (RFC 7505)"},
	[UI_FIX] = {"fix", "対処"},
	[UI_VIA] = {"via", "経路"},
	[UI_NO_FINDINGS] = {"no findings", "指摘事項なし"},
	[UI_SUMMARY] = {"{1} domains: {2} clean, {3} failing, {4} undetermined",
			"{1} ドメイン: 問題なし {2}、要対応 {3}、判定不能 {4}"},
	[UI_TESTING] = {"DMARC p={1} in test mode (t=y): RFC 9989 receivers apply {2}",
			"DMARC p={1} の試験モード (t=y): RFC 9989 の受信側は {2} を適用"},
	[UI_INHERITED] = {"policy from {1}", "{1} のポリシー"},
	[UI_FIX_FIRST] = {"fix first", "先に修正"},
	[UI_NO_POLICY] = {"no usable DMARC policy: the record sets none that receivers accept",
			  "有効な DMARC ポリシーなし: 受信側が受け付けるポリシーがレコードにありません"},
	[UI_SPF_COUNTS] = {"{1} DNS lookups, {2} void", "DNS 参照 {1} 回、空の参照 {2} 回"},
	[UI_SPF_COUNTS_MIN] = {"at least {1} DNS lookups, at least {2} void",
			       "DNS 参照 {1} 回以上、空の参照 {2} 回以上"},
	[UI_SPF_TREE] = {"SPF tree", "SPF の展開"},
	[UI_SPF_LOOKUPS] = {"{1} lookups", "参照 {1} 回"},
	[UI_SPF_LOOKUP_ONE] = {"1 lookup", "参照 1 回"},
	[UI_SPF_VOID] = {"void", "空"},
	[UI_CHECK_HOST] = {"SPF for {1} (sender {2}, HELO {3}): {4}",
			   "{1} からの SPF (送信者 {2}、HELO {3}): {4}"},
	[UI_CH_TERM] = {"matched", "一致"},
	[UI_CH_STOPPED] = {"stopped at", "中断箇所"},
	[UI_CH_DEFAULT] = {"no term matched: the default result", "一致する項目なし: 既定の結果"},
	[UI_CH_PATH] = {"path", "経路"},
	[UI_CH_REASON] = {"because", "理由"},
	[UI_CH_EXPLANATION] = {"explanation", "説明"},
	[UI_KNOWN] = {"(in the baseline)", "(ベースラインにあり)"},
	[UI_UNKNOWN_OFFLINE] = {"DMARC could not be determined: names outside the zone files were not looked up (--offline)",
				"DMARC を判定できません: ゾーンファイル外の名前を問い合わせていません (--offline)"},
	[UI_SUPPRESSED] = {"... and {1} more findings of kinds already listed {2} times (JSON: findings_suppressed)",
			   "... ほかに同じ種類の指摘が {1} 件あります (各種類 {2} 件まで表示。JSON: findings_suppressed)"},
	[UI_KEY_CUT] = {"(the key cut short; -v shows it whole)", "(鍵は一部だけ表示。-v で全体を表示)"},
};
/* clang-format on */

#define BOLD   "\033[1m"
#define RED    "\033[31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define CYAN   "\033[36m"
#define RESET  "\033[0m"

static const char *ui(const struct dd_render *r, enum ui id)
{
	return dd_text_get(&ui_text[id], r->opts.lang);
}

static char *ui_fmt(const struct dd_render *r, enum ui id, const char *a, const char *b,
                    const char *c, const char *d)
{
	char *args[4] = { (char *)a, (char *)b, (char *)c, (char *)d };
	return dd_text_format(&ui_text[id], r->opts.lang, args, 4);
}

/* A label of ours padded to `width` terminal columns (a CJK character is
 * two): "%-10s" counts bytes, and the Japanese labels would not line up. */
static void put_label(struct dd_render *r, const char *label, int width)
{
	dd_text_put_padded(r->out, label, strlen(label), width);
}

static void color(const struct dd_render *r, const char *code)
{
	if (r->opts.color)
		fputs(code, r->out);
}

/* Every DNS-origin string reaches the terminal through here. */
static void put_safe(const struct dd_render *r, const char *s, size_t len)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_text(&b, s, len);
	if (b.len)
		fwrite(b.s, 1, b.len, r->out);
	dd_strbuf_finish(&b);
}

static void puts_safe(const struct dd_render *r, const char *s)
{
	put_safe(r, s, strlen(s));
}

/* Where the domain stands, in one line: the stage, test mode, where the policy comes from. */
static void verdict_line(struct dd_render *r, const struct dd_result *res)
{
	const struct dd_advice *a = &res->advice;
	const struct dd_dmarc_info *d = &res->dmarc;
	char *text = NULL;
	const char *tint = YELLOW;
	if (!a->present) {
		/* no lookup failed, yet DMARC is open: names were not asked (--offline) */
		text = xstrdup(ui(r, res->undetermined ? UI_UNKNOWN : UI_UNKNOWN_OFFLINE));
	} else if (d->state == DD_STATE_FOUND && d->t == 'y' && a->current != DD_STAGE_REJECT &&
	           (d->policy == DD_POLICY_QUARANTINE || d->policy == DD_POLICY_REJECT)) {
		text = ui_fmt(r, UI_TESTING, dd_policy_name(d->policy), dd_stage_name(a->current),
		              NULL, NULL);
	} else if (d->state == DD_STATE_FOUND && a->current == DD_STAGE_MISSING) {
		text = xstrdup(ui(r, UI_NO_POLICY));
		tint = RED;
	} else {
		static const char *const tints[] = { RED, RED, YELLOW, GREEN };
		text = xstrdup(dd_text_get(&dd_stage_verdicts[a->current], r->opts.lang));
		tint = tints[a->current];
	}
	color(r, tint);
	fputs(text, r->out);
	color(r, RESET);
	if (a->present && d->inherited && d->found_at) {
		char *from = ui_fmt(r, UI_INHERITED, d->found_at, NULL, NULL, NULL);
		fputs("  (", r->out);
		puts_safe(r, from);
		fputc(')', r->out);
		free(from);
	}
	fputc('\n', r->out);
	free(text);
}

static void verdict(struct dd_render *r, const struct dd_result *res)
{
	color(r, BOLD);
	puts_safe(r, res->display);
	if (strcmp(res->display, res->domain) != 0) {
		fputs(" (", r->out);
		puts_safe(r, res->domain);
		fputs(")", r->out);
	}
	color(r, RESET);
	fputs("  ", r->out);
	if (res->status == DD_RESULT_ERROR) {
		char *s = ui_fmt(r, UI_ERROR, dd_words_get(&res->error, r->opts.lang), NULL, NULL,
		                 NULL);
		color(r, RED);
		puts_safe(r, s);
		color(r, RESET);
		fputc('\n', r->out);
		free(s);
		return;
	}
	const struct dd_advice *a = &res->advice;
	verdict_line(r, res);
	if (!a->present)
		return;
	dd_text_ready(r, a);
	if (a->has_next) {
		fputs("  ", r->out);
		put_label(r, ui(r, UI_NEXT), 10);
		fprintf(r->out, " p=%s", dd_stage_name(a->next));
		for (size_t i = 0; i < a->nblockers; i++) {
			if (i == 0)
				fprintf(r->out, "  (%s: ", ui(r, UI_FIX_FIRST));
			fprintf(r->out, "%s%s", i ? ", " : "", a->blockers[i]);
		}
		fputs(a->nblockers ? ")\n" : "\n", r->out);
	}
	if (a->record) {
		fputs("  ", r->out);
		put_label(r, ui(r, UI_PUBLISH), 10);
		fputc(' ', r->out);
		puts_safe(r, a->record_name);
		fputs(" TXT \"", r->out);
		color(r, BOLD);
		puts_safe(r, a->record);
		color(r, RESET);
		fputs("\"\n", r->out);
	}
	for (size_t i = 0; i < a->nsteps; i++) {
		char *s = dd_step_format(&a->steps[i], r->opts.lang);
		fprintf(r->out, "  %zu. ", i + 1);
		puts_safe(r, s);
		fputc('\n', r->out);
		free(s);
	}
}

static void state_line(struct dd_render *r, const struct dd_result *res, const char *label,
                       enum dd_record_state state, const char *record, size_t len)
{
	/* undetermined without a failed lookup: what decides was not asked (--offline) */
	if (state == DD_STATE_UNDETERMINED && !res->undetermined)
		state = DD_STATE_UNKNOWN;
	fprintf(r->out, "  %-7s ", label);
	switch (state) {
	case DD_STATE_FOUND:
		if (record)
			put_safe(r, record, len);
		break;
	case DD_STATE_MISSING: fputs(ui(r, UI_NO_RECORD), r->out); break;
	case DD_STATE_UNDETERMINED: fputs(ui(r, UI_UNDETERMINED), r->out); break;
	case DD_STATE_UNKNOWN: fputs(ui(r, UI_NOT_ASKED), r->out); break;
	}
}

/* Several records where one belongs, so none of them applies (RFC 7208
 * §4.5, RFC 9989 §4.10 step 2): the count, not an empty line. */
static void several_line(struct dd_render *r, const char *label, enum ui what, size_t n)
{
	char count[24];
	snprintf(count, sizeof(count), "%zu", n);
	char *s = ui_fmt(r, what, count, NULL, NULL, NULL);
	fprintf(r->out, "  %-7s %s", label, s);
	free(s);
}

/* One line per key: selector (provider): type and size. */
static void dkim_key_line(struct dd_render *r, const struct dd_dkim_selector *s)
{
	puts_safe(r, s->selector);
	const char *basis = s->provider_basis ? s->provider_basis : "";
	if (s->wildcard) {
		fprintf(r->out, " (%s)", ui(r, UI_DKIM_WILDCARD));
	} else if (s->provider && strcmp(basis, "selector-shared") == 0) {
		char *p = ui_fmt(r, UI_DKIM_PROBABLY, s->provider, NULL, NULL, NULL);
		fprintf(r->out, " (%s)", p);
		free(p);
	} else if (s->provider) {
		fprintf(r->out, " (%s)", s->provider);
	} else if (strcmp(basis, "generic") == 0) {
		fprintf(r->out, " (%s)", ui(r, UI_DKIM_GENERIC));
	}
	fputs(": ", r->out);
	if (s->revoked)
		fputs(ui(r, UI_DKIM_REVOKED), r->out);
	else if (s->malformed || !s->key_type)
		fputs(ui(r, UI_DKIM_UNUSABLE), r->out);
	else if (strcmp(s->key_type, "rsa") == 0)
		fprintf(r->out, "RSA %u", s->key_bits);
	else
		fputs(s->key_type, r->out);
	if (s->testing)
		fputs(" t=y", r->out);
	if (s->cname) {
		fputs("  -> ", r->out);
		puts_safe(r, s->found_at);
	}
	fputc('\n', r->out);
}

static void dkim_lines(struct dd_render *r, const struct dd_dkim_info *d)
{
	char probed[24], found[24], failed[24];
	snprintf(probed, sizeof(probed), "%zu", d->probed);
	snprintf(found, sizeof(found), "%zu", d->n);
	snprintf(failed, sizeof(failed), "%zu", d->failed);
	fprintf(r->out, "  %-7s ", "DKIM");
	for (size_t i = 0; i < d->n; i++) {
		if (i)
			fprintf(r->out, "  %-7s ", "");
		dkim_key_line(r, &d->v[i]);
	}
	if (d->n)
		fprintf(r->out, "  %-7s ", "");
	char *line;
	if (d->n == 0 && d->state == DD_STATE_UNDETERMINED) {
		fputs(ui(r, UI_UNDETERMINED), r->out);
		line = ui_fmt(r, UI_DKIM_FAILED, failed, probed, NULL, NULL);
		fprintf(r->out, ": %s\n", line);
	} else if (d->n == 0 && d->state == DD_STATE_UNKNOWN && d->probed > 0) {
		/* --offline: some selectors' CNAMEs left the zone files */
		line = ui_fmt(r, UI_NO_KEYS_OTHERS_NOT_ASKED, probed, NULL, NULL, NULL);
		fprintf(r->out, "%s\n", line);
	} else if (d->n == 0 && d->state == DD_STATE_UNKNOWN) {
		line = NULL;
		fprintf(r->out, "%s\n", ui(r, UI_NOT_ASKED));
	} else if (d->n == 0) {
		line = ui_fmt(r, UI_NO_KEYS, probed, NULL, NULL, NULL);
		fprintf(r->out, "%s\n", line);
	} else {
		line = ui_fmt(r, UI_SELECTORS, found, probed, NULL, NULL);
		fprintf(r->out, "[%s]\n", line);
	}
	free(line);
	if (d->state == DD_STATE_UNKNOWN)
		return;
	char *note = dd_dkim_coverage_note(d, r->opts.lang);
	fprintf(r->out, "  %-7s ", "");
	puts_safe(r, note);
	fputc('\n', r->out);
	free(note);
}

/* --verbose: one line per include/redirect target with its cost, void lookups below it. */
static void spf_tree(struct dd_render *r, const struct dd_spf_node *n, int depth)
{
	char num[24];
	fprintf(r->out, "          %*s", depth * 2, "");
	puts_safe(r, n->term ? n->term : n->name);
	snprintf(num, sizeof(num), "%d", n->lookups);
	char *s = ui_fmt(r, n->lookups == 1 ? UI_SPF_LOOKUP_ONE : UI_SPF_LOOKUPS, num, NULL, NULL,
	                 NULL);
	fprintf(r->out, "  %s%s", n->lower_bound ? ">= " : "", s);
	free(s);
	if (n->void_lookups)
		fprintf(r->out, ", %s %d", ui(r, UI_SPF_VOID), n->void_lookups);
	if (n->status != DD_SPF_NODE_OK)
		fprintf(r->out, "  [%s]", dd_spf_node_status_name(n->status));
	fputc('\n', r->out);
	for (size_t i = 0; i < n->nvoids; i++) {
		fprintf(r->out, "          %*s  %s: ", depth * 2, "", ui(r, UI_SPF_VOID));
		puts_safe(r, dd_words_get(&n->voids[i], r->opts.lang));
		fputc('\n', r->out);
	}
	for (size_t i = 0; i < n->nchildren; i++)
		spf_tree(r, &n->children[i], depth + 1);
}

/* --ip: the receiver's verdict for one client, the term and the path that decided it. */
static void check_host(struct dd_render *r, const struct dd_spf_verdict *v)
{
	if (!v->evaluated)
		return;
	char *s =
	        ui_fmt(r, UI_CHECK_HOST, v->ip, v->sender, v->helo, dd_spf_result_name(v->result));
	fputs("          ", r->out);
	puts_safe(r, s);
	fputc('\n', r->out);
	free(s);
	const struct dd_spf_step *last = v->npath ? &v->path[v->npath - 1] : NULL;
	bool decided = v->result == DD_SPF_PASS || v->result == DD_SPF_FAIL ||
	               v->result == DD_SPF_SOFTFAIL || v->result == DD_SPF_NEUTRAL;
	if (last && last->term) {
		fputs("            ", r->out);
		put_label(r, ui(r, decided ? UI_CH_TERM : UI_CH_STOPPED), 12);
		fputc(' ', r->out);
		puts_safe(r, last->term);
		fputs("  (", r->out);
		puts_safe(r, last->domain);
		fputs(")\n", r->out);
	} else if (last && (v->result == DD_SPF_NEUTRAL)) {
		fputs("            ", r->out);
		put_label(r, ui(r, UI_CH_TERM), 12);
		fprintf(r->out, " %s\n", ui(r, UI_CH_DEFAULT));
	}
	if (v->npath > 1) {
		fputs("            ", r->out);
		put_label(r, ui(r, UI_CH_PATH), 12);
		fputc(' ', r->out);
		for (size_t i = 0; i < v->npath; i++) {
			if (i)
				fputs(" -> ", r->out);
			puts_safe(r, v->path[i].domain);
			if (v->path[i].term && i + 1 < v->npath) {
				fputs(" (", r->out);
				puts_safe(r, v->path[i].term);
				fputc(')', r->out);
			}
		}
		fputc('\n', r->out);
	}
	if (v->reason.en && !decided) {
		fputs("            ", r->out);
		put_label(r, ui(r, UI_CH_REASON), 12);
		fputc(' ', r->out);
		puts_safe(r, dd_words_get(&v->reason, r->opts.lang));
		fputc('\n', r->out);
	}
	if (v->explanation) {
		fputs("            ", r->out);
		put_label(r, ui(r, UI_CH_EXPLANATION), 12);
		fputs(" \"", r->out);
		puts_safe(r, v->explanation);
		fputs("\"\n", r->out);
	}
}

/* The MX line: each host with its preference, and what is wrong with it. */
static void mx_hosts(struct dd_render *r, const struct dd_mx_info *mx)
{
	enum { SHOWN = 8 };
	for (size_t i = 0; i < mx->nlist && i < SHOWN; i++) {
		const struct dd_mx_host *h = &mx->hosts[i];
		if (i)
			fputs(", ", r->out);
		fprintf(r->out, "%u ", h->pref);
		puts_safe(r, h->name);
		const char *note = h->ip_literal                       ? ui(r, UI_MX_LITERAL)
		                   : h->cname                          ? ui(r, UI_MX_ALIAS)
		                   : h->addr_state == DD_STATE_MISSING ? ui(r, UI_MX_NO_ADDRESS)
		                                                       : NULL;
		if (note && strcmp(h->name, ".") != 0)
			fprintf(r->out, " (%s)", note);
	}
	if (mx->nlist > SHOWN) {
		char n[24];
		snprintf(n, sizeof(n), "%zu", mx->nlist - SHOWN);
		char *s = ui_fmt(r, UI_MX_MORE, n, NULL, NULL, NULL);
		fprintf(r->out, ", %s", s);
		free(s);
	}
	if (!mx->nlist) {
		char n[24];
		snprintf(n, sizeof(n), "%zu", mx->nhosts);
		char *s = ui_fmt(r, UI_MX_HOSTS, n, NULL, NULL, NULL);
		fputs(s, r->out);
		free(s);
	}
}

/* "(ok)", "(invalid)", "(not fetched: TLS error)" for one fetched file */
static void fetched(struct dd_render *r, enum dd_fetch_status st, bool checked, bool ok)
{
	if (checked) {
		fputs(ui(r, ok ? UI_OK : UI_INVALID), r->out);
	} else if (st == DD_FETCH_NOT_FETCHED) {
		fputs(ui(r, UI_FETCH_SKIPPED), r->out);
	} else {
		char *s = ui_fmt(r, UI_FETCH_FAILED, dd_fetch_status_brief(st, r->opts.lang), NULL,
		                 NULL, NULL);
		fputs(s, r->out);
		free(s);
	}
}

/* One line each: MTA-STS, TLS-RPT, BIMI. */
static void mail_lines(struct dd_render *r, const struct dd_result *res)
{
	const struct dd_mta_sts_info *m = &res->mta_sts;
	state_line(r, res, "MTA-STS", m->state, m->record, m->record ? strlen(m->record) : 0);
	if (m->state == DD_STATE_FOUND && m->policy_url) {
		fputs("  (", r->out);
		if (m->fetch_status == DD_FETCH_OK) {
			char age[24], n[24];
			snprintf(age, sizeof(age), "%ld", m->max_age);
			snprintf(n, sizeof(n), "%zu", m->nmx);
			char *s = ui_fmt(r, UI_STS_POLICY, dd_sts_mode_name(m->mode),
			                 m->max_age >= 0 ? age : "?", n, NULL);
			fputs(s, r->out);
			free(s);
		} else {
			fetched(r, m->fetch_status, false, false);
		}
		fputc(')', r->out);
	}
	fputc('\n', r->out);
	const struct dd_tls_rpt_info *t = &res->tls_rpt;
	state_line(r, res, "TLS-RPT", t->state, t->record, t->record ? strlen(t->record) : 0);
	fputc('\n', r->out);
	const struct dd_bimi_info *b = &res->bimi;
	state_line(r, res, "BIMI", b->state, b->record, b->record ? strlen(b->record) : 0);
	if (b->state == DD_STATE_FOUND && !b->declined) {
		fputs("  (", r->out);
		if (b->logo_url) {
			fprintf(r->out, "%s: ", ui(r, UI_BIMI_LOGO));
			fetched(r, b->logo_fetch, b->logo_checked, b->logo_ok);
		}
		if (b->authority_url) {
			fprintf(r->out, "%s%s: ", b->logo_url ? "; " : "", ui(r, UI_BIMI_CERT));
			fetched(r, b->cert_fetch, b->cert_checked, b->cert_ok);
		}
		if (!b->dmarc_allows)
			fprintf(r->out, "%s%s", b->logo_url || b->authority_url ? "; " : "",
			        ui(r, UI_BIMI_WAITS));
		fputc(')', r->out);
	}
	fputc('\n', r->out);
}

static void records(struct dd_render *r, const struct dd_result *res)
{
	fputc('\n', r->out);
	if (res->spf.state == DD_STATE_FOUND && res->spf.nrecords > 1)
		several_line(r, "SPF", UI_SPF_SEVERAL, res->spf.nrecords);
	else
		state_line(r, res, "SPF", res->spf.state, res->spf.record, res->spf.record_len);
	if (res->spf.counted) {
		char n[2][24];
		snprintf(n[0], sizeof(n[0]), "%d", res->spf.lookups);
		snprintf(n[1], sizeof(n[1]), "%d", res->spf.void_lookups);
		char *s = ui_fmt(r, res->spf.lower_bound ? UI_SPF_COUNTS_MIN : UI_SPF_COUNTS, n[0],
		                 n[1], NULL, NULL);
		fprintf(r->out, "  (%s)", s);
		free(s);
	}
	fputc('\n', r->out);
	if (r->opts.verbose && res->spf.tree) {
		fprintf(r->out, "          %s:\n", ui(r, UI_SPF_TREE));
		spf_tree(r, res->spf.tree, 0);
	}
	check_host(r, &res->spf.check_host);
	dd_text_spf_repair(r->out, res->spf.repair, res->domain, r->opts.lang, r->opts.verbose);

	const struct dd_dmarc_info *d = &res->dmarc;
	if (d->state == DD_STATE_MISSING && d->discarded)
		several_line(r, "DMARC", UI_DMARC_SEVERAL, d->discarded);
	else
		state_line(r, res, "DMARC", d->state, d->record, d->record_len);
	if (d->found_at) {
		fprintf(r->out, "  (%s ", ui(r, UI_AT));
		puts_safe(r, d->found_at);
		fputc(')', r->out);
	}
	fputc('\n', r->out);

	dkim_lines(r, &res->dkim);

	if (res->mx.state == DD_STATE_FOUND) {
		fprintf(r->out, "  %-7s ", "MX");
		if (res->mx.null_mx) {
			fputs(ui(r, UI_NULL_MX), r->out);
		} else {
			mx_hosts(r, &res->mx);
		}
		fputc('\n', r->out);
	} else {
		state_line(r, res, "MX", res->mx.state, NULL, 0);
		fputc('\n', r->out);
	}
	mail_lines(r, res);
	dd_text_dnssec_lines(r->out, res, r->opts.lang);
}

static const char *severity_tint(enum dd_severity s)
{
	return s == DD_SEV_ERROR ? RED : s == DD_SEV_WARNING ? YELLOW : CYAN;
}

/*
 * A DKIM key is some 400 characters of base64 that says nothing to the
 * reader of a finding about its size, t=y or revocation: the text report
 * shows its first and last characters (-v and JSON show it whole). Kept
 * whole where the finding is about the record's text itself.
 */
#define KEY_SHOWN_HEAD 16
#define KEY_SHOWN_TAIL 8

static bool key_cut_short(const struct dd_render *r, const struct dd_finding *f)
{
	return !r->opts.verbose && f->column == 0 && strncmp(f->def->id, "dkim.", 5) == 0 &&
	       strcmp(f->def->id, "dkim.malformed") != 0 &&
	       strcmp(f->def->id, "dkim.stray-quotes") != 0;
}

/* The record with each long p= value cut to its head and tail; NULL when
 * nothing was cut. */
static char *short_keys(const char *rec)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	bool cut = false;
	const char *s = rec;
	while (*s) {
		/* a tag starts the record, a line (several records) or follows ';' */
		bool tag_start =
		        s == rec || s[-1] == ';' || s[-1] == '\n' || s[-1] == ' ' || s[-1] == '\t';
		if (tag_start && s[0] == 'p' && s[1] == '=') {
			size_t n = strcspn(s + 2, ";\n");
			while (n && (s[2 + n - 1] == ' ' || s[2 + n - 1] == '\t'))
				n--;
			if (n > KEY_SHOWN_HEAD + KEY_SHOWN_TAIL + 8) {
				dd_strbuf_add(&b, s, 2 + KEY_SHOWN_HEAD);
				dd_strbuf_adds(&b, "...");
				dd_strbuf_add(&b, s + 2 + n - KEY_SHOWN_TAIL, KEY_SHOWN_TAIL);
				s += 2 + n;
				cut = true;
				continue;
			}
		}
		dd_strbuf_add(&b, s, 1);
		s++;
	}
	if (!cut) {
		dd_strbuf_finish(&b);
		return NULL;
	}
	return dd_strbuf_own(&b);
}

static void finding(struct dd_render *r, const struct dd_finding *f)
{
	char *msg = dd_finding_message(f, r->opts.lang);
	char *fix = dd_finding_fix(f, r->opts.lang);
	/* From a zone file, the line starts like a compiler's, at column 1, so
	 * editors and CI problem matchers jump to it: FILE:LINE: SEVERITY: ID: ...
	 * (f->column counts in the record's text, not in the file: not shown here). */
	if (f->file) {
		puts_safe(r, f->file);
		fprintf(r->out, ":%u: ", f->line);
	} else {
		fputs("  ", r->out);
	}
	color(r, severity_tint(f->severity));
	fprintf(r->out, "%s", dd_severity_name(f->severity));
	color(r, RESET);
	fputs(f->file ? ": " : " ", r->out);
	fprintf(r->out, "%s: ", f->def->id);
	puts_safe(r, msg);
	if (r->opts.baseline && f->known)
		fprintf(r->out, " %s", ui(r, UI_KNOWN));
	fputc('\n', r->out);
	if (f->record) {
		char *cut = key_cut_short(r, f) ? short_keys(f->record) : NULL;
		fputs("      \"", r->out);
		puts_safe(r, cut ? cut : f->record);
		fputc('"', r->out);
		if (cut)
			fprintf(r->out, "  %s", ui(r, UI_KEY_CUT));
		fputc('\n', r->out);
		free(cut);
	}
	if (f->nchain > 1) {
		fprintf(r->out, "      %s: ", ui(r, UI_VIA));
		for (size_t i = 0; i < f->nchain; i++) {
			if (i)
				fputs(" -> ", r->out);
			puts_safe(r, f->chain[i]);
		}
		fputc('\n', r->out);
	}
	fprintf(r->out, "      %s: ", ui(r, UI_FIX));
	puts_safe(r, fix);
	fprintf(r->out, " (%s)\n", dd_finding_rfc(f));
	free(msg);
	free(fix);
}

static void text_result(struct dd_render *r, const struct dd_result *res)
{
	if (r->count)
		fputc('\n', r->out);
	verdict(r, res);
	if (res->status == DD_RESULT_ERROR)
		return;
	records(r, res);
	dd_text_senders(r, res->evidence);
	fputc('\n', r->out);
	if (res->findings.n == 0)
		fprintf(r->out, "  %s\n", ui(r, UI_NO_FINDINGS));
	/* most severe first, table order within a severity */
	for (int sev = DD_SEV_ERROR; sev >= DD_SEV_INFO; sev--)
		for (size_t i = 0; i < res->findings.n; i++)
			if ((int)res->findings.v[i].severity == sev)
				finding(r, &res->findings.v[i]);
	if (res->findings.suppressed) {
		char n[24], per[24];
		snprintf(n, sizeof(n), "%zu", res->findings.suppressed);
		snprintf(per, sizeof(per), "%d", DD_FINDINGS_PER_ID);
		char *s = ui_fmt(r, UI_SUPPRESSED, n, per, NULL, NULL);
		fprintf(r->out, "  %s\n", s);
		free(s);
	}
}

static void text_end(struct dd_render *r, const struct dd_run_summary *sum)
{
	if (!r->opts.many)
		return;
	char n[4][24];
	snprintf(n[0], sizeof(n[0]), "%zu", sum->domains);
	snprintf(n[1], sizeof(n[1]), "%zu", sum->clean);
	snprintf(n[2], sizeof(n[2]), "%zu", sum->failing);
	snprintf(n[3], sizeof(n[3]), "%zu", sum->undetermined + sum->errors);
	char *s = ui_fmt(r, UI_SUMMARY, n[0], n[1], n[2], n[3]);
	fprintf(r->out, "\n%s (%.1f s)\n", s, sum->seconds);
	free(s);
}

const struct dd_renderer dd_render_text = {
	.name = "text",
	.begin = NULL,
	.result = text_result,
	.end = text_end,
};
