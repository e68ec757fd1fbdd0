/*
 * html.c: one self-contained HTML file for a person who will not read JSON -
 * the owner of a small business, handed the report by their consultant.
 *
 * One domain: the headline (stage, next step, the record to publish with a
 * copy button, readiness), each area's verdict with its findings, fixes and
 * RFC links, and the SPF include tree with the cost of each branch. Several
 * domains (-f FILE): the same sections, and a portfolio table - one row per
 * domain, sortable and filterable - shown first (CSS order) but written
 * last, so results still stream and memory stays flat but for one short row
 * per domain.
 *
 * Nothing is fetched when the file is opened: CSS and script are inline,
 * charts are SVG drawn here (html_chart.c), fonts are the system's. A
 * Content-Security-Policy allows no request and only the one script whose
 * hash it names, so even text that escaped the escaper could not run.
 * Every byte from DNS or a report passes dd_escape_html().
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "render/html.h"
#include "dd/dnssec.h"
#include "dd/mail.h"
#include "dd/render.h"

enum ui {
	UI_TITLE,
	UI_UNKNOWN,
	UI_ERROR,
	UI_NEXT,
	UI_NO_NEXT,
	UI_FIX_FIRST,
	UI_PUBLISH,
	UI_COPY,
	UI_COPIED,
	UI_STEPS,
	UI_AREAS,
	UI_AREA,
	UI_VERDICT,
	UI_RECORD,
	UI_OK,
	UI_NOT_FOUND,
	UI_SPF_SEVERAL,
	UI_DMARC_SEVERAL,
	UI_UNDETERMINED,
	UI_NOT_ASKED,
	UI_FINDINGS,
	UI_NO_FINDINGS,
	UI_FIX,
	UI_VIA,
	UI_SPF_TREE,
	UI_LOOKUPS,
	UI_LOOKUP_ONE,
	UI_LOWER,
	UI_VOID,
	UI_PORTFOLIO,
	UI_DOMAIN,
	UI_STAGE,
	UI_READY,
	UI_WORST,
	UI_COUNTS,
	UI_FILTER,
	UI_ALL_STAGES,
	UI_DOMAINS_N,
	UI_SUPPRESSED,
	UI_DKIM_KEYS,
	UI_MX_HOSTS,
	UI_NULL_MX,
	UI_INHERITED,
	UI_GENERATED,
	UI_COUNT
};

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct dd_text ui_text[UI_COUNT] = {
	[UI_TITLE] = {"Email authentication report", "メール送信ドメイン認証レポート"},
	[UI_UNKNOWN] = {"DMARC could not be determined: a DNS lookup failed or was not made",
			"DMARC を判定できません: DNS の問い合わせが失敗したか、行われていません"},
	[UI_ERROR] = {"Could not be checked: {1}", "確認できませんでした: {1}"},
	[UI_NEXT] = {"Next step", "次の段階"},
	[UI_NO_NEXT] = {"Nothing further: the strictest policy is in force", "これ以上の段階はありません: 最も厳しいポリシーです"},
	[UI_FIX_FIRST] = {"fix first", "先に修正"},
	[UI_PUBLISH] = {"Publish", "公開するレコード"},
	[UI_COPY] = {"Copy", "コピー"},
	[UI_COPIED] = {"Copied", "コピーしました"},
	[UI_STEPS] = {"What to do", "手順"},
	[UI_AREAS] = {"Areas", "項目"},
	[UI_AREA] = {"Area", "項目"},
	[UI_VERDICT] = {"Verdict", "判定"},
	[UI_RECORD] = {"Record", "レコード"},
	[UI_OK] = {"ok", "問題なし"},
	[UI_NOT_FOUND] = {"no record", "レコードなし"},
	[UI_SPF_SEVERAL] = {"{1} records: receivers return permerror",
			    "レコードが {1} 個: 受信側は permerror を返します"},
	[UI_DMARC_SEVERAL] = {"{1} records: receivers discard them all",
			      "レコードが {1} 個: 受信側はすべて破棄します"},
	[UI_UNDETERMINED] = {"undetermined (DNS failure)", "判定不能 (DNS エラー)"},
	[UI_NOT_ASKED] = {"not looked up", "未確認"},
	[UI_FINDINGS] = {"Findings", "指摘事項"},
	[UI_NO_FINDINGS] = {"No findings.", "指摘事項はありません。"},
	[UI_FIX] = {"Fix", "対処"},
	[UI_VIA] = {"via", "経路"},
	[UI_SPF_TREE] = {"SPF include tree (DNS lookups per branch; receivers allow 10)",
			 "SPF の展開 (枝ごとの DNS 参照回数。上限は 10 回)"},
	[UI_LOOKUPS] = {"{1} lookups", "参照 {1} 回"},
	[UI_LOOKUP_ONE] = {"1 lookup", "参照 1 回"},
	[UI_LOWER] = {"at least ", "最低 "},
	[UI_VOID] = {"void", "空"},
	[UI_PORTFOLIO] = {"Portfolio", "ドメイン一覧"},
	[UI_DOMAIN] = {"Domain", "ドメイン"},
	[UI_STAGE] = {"Stage", "段階"},
	[UI_READY] = {"Ready", "準備"},
	[UI_WORST] = {"Worst finding", "最も重い指摘"},
	[UI_COUNTS] = {"Errors / warnings", "エラー / 警告"},
	[UI_FILTER] = {"Filter", "絞り込み"},
	[UI_ALL_STAGES] = {"all stages", "すべての段階"},
	[UI_DOMAINS_N] = {"{1} domains", "{1} ドメイン"},
	[UI_SUPPRESSED] = {"... and {1} more findings of kinds already listed",
			   "... ほかに同じ種類の指摘が {1} 件あります"},
	[UI_DKIM_KEYS] = {"keys found at {1} of the {2} selectors probed", "調べた {2} 個のセレクタのうち {1} 個に鍵"},
	[UI_MX_HOSTS] = {"{1} hosts", "{1} ホスト"},
	[UI_NULL_MX] = {"null MX: receives no mail", "null MX: メールを受け取りません"},
	[UI_INHERITED] = {"policy from {1}", "{1} のポリシー"},
	[UI_GENERATED] = {"Made by dmarc-doctor {1}", "dmarc-doctor {1} で作成"},
};
/* clang-format on */

/* The one script: copy buttons, and the portfolio's sort and filter. Its
 * SHA-256 goes into the Content-Security-Policy. */
static const char script[] =
        "document.addEventListener('click',function(e){"
        "var b=e.target.closest('button.copy');if(b){"
        "var t=document.getElementById(b.dataset.target).textContent;"
        "var done=function(){b.textContent=b.dataset.done;};"
        "if(navigator.clipboard){navigator.clipboard.writeText(t).then(done,function(){});}"
        "return;}"
        "var h=e.target.closest('th[data-key]');if(!h)return;"
        "var tb=h.closest('table').tBodies[0],k=h.dataset.key,"
        "dir=h.dataset.dir==='asc'?'desc':'asc';h.dataset.dir=dir;"
        "var rows=Array.prototype.slice.call(tb.rows);"
        "rows.sort(function(a,b){var x=a.dataset[k],y=b.dataset[k];"
        "var c=isNaN(x)||isNaN(y)?x.localeCompare(y):x-y;return dir==='asc'?c:-c;});"
        "rows.forEach(function(r){tb.appendChild(r);});});"
        "function filter(){var q=document.getElementById('pf-q').value.toLowerCase(),"
        "s=document.getElementById('pf-stage').value;"
        "Array.prototype.forEach.call(document.querySelectorAll('#portfolio tbody tr'),"
        "function(r){r.hidden=(q&&r.dataset.domain.indexOf(q)<0)||(s&&r.dataset.stage!==s);});}"
        "document.addEventListener('input',function(e){if(e.target.closest('.filters'))filter();});"
        "document.documentElement.dataset.ready=performance.now().toFixed(0);";

/* Print on A4; Japanese readers get the fonts their system has. */
static const char style[] =
        ":root{--ok:#1a7f37;--warn:#9a6700;--err:#cf222e;--info:#0969da;--mute:#57606a;"
        "--line:#d0d7de;--bg:#f6f8fa}"
        "body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI','Hiragino Sans',"
        "'Hiragino Kaku Gothic ProN','Noto Sans CJK JP','Noto Sans JP','Yu Gothic UI',"
        "Meiryo,sans-serif;color:#1f2328}"
        ".layout{display:flex;flex-direction:column;max-width:960px;margin:0 auto;padding:16px}"
        "h1.title{order:-2}#portfolio{order:-1}"
        "h1{font-size:22px;margin:8px 0}h2{font-size:20px;margin:0 0 4px}"
        "h3{font-size:16px;margin:20px 0 8px;border-bottom:1px solid var(--line)}"
        "h4{font-size:15px;margin:12px 0 4px}"
        "code,pre{font-family:ui-monospace,'SFMono-Regular',Menlo,Consolas,monospace;"
        "font-size:13px}"
        "pre{white-space:pre-wrap;word-break:break-all;background:var(--bg);padding:6px 8px;"
        "border-radius:4px;margin:4px 0}"
        "section.domain{border:1px solid var(--line);border-radius:8px;padding:16px;"
        "margin:12px 0;content-visibility:auto;contain-intrinsic-size:auto 1600px}"
        ".headline{border-left:6px solid var(--mute);padding-left:12px}"
        ".stage-missing,.stage-none{border-color:var(--err)}"
        ".stage-quarantine{border-color:var(--warn)}.stage-reject{border-color:var(--ok)}"
        ".badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;"
        "background:var(--mute);font-size:13px;font-weight:600}"
        ".badge.stage-missing,.badge.stage-none,.badge.sev-error{background:var(--err)}"
        ".badge.stage-quarantine,.badge.sev-warning{background:var(--warn)}"
        ".badge.stage-reject,.badge.ok{background:var(--ok)}.badge.sev-info{background:var(--info)}"
        ".verdict{font-size:17px;font-weight:600;margin:4px 0}"
        ".label{display:inline-block;min-width:8em;color:var(--mute)}"
        ".publish{display:flex;gap:8px;align-items:flex-start;margin:6px 0}"
        ".publish pre{flex:1;margin:0}"
        "button{font:inherit;font-size:13px;padding:2px 10px;border:1px solid var(--line);"
        "border-radius:6px;background:#fff;cursor:pointer}"
        "table{border-collapse:collapse;width:100%}"
        "th,td{text-align:left;vertical-align:top;padding:4px 8px;"
        "border-bottom:1px solid var(--line)}"
        "th[data-key]{cursor:pointer;user-select:none}"
        "article.finding{border-left:4px solid var(--info);padding:2px 0 2px 10px;"
        "margin:8px 0}"
        "article.sev-error{border-color:var(--err)}article.sev-warning{border-color:var(--warn)}"
        ".finding p{margin:2px 0}.muted{color:var(--mute)}"
        "ul.tree{list-style:none;padding-left:18px;margin:2px 0}"
        ".tree .over{color:var(--err);font-weight:600}"
        ".filters{display:flex;gap:8px;margin:8px 0}"
        "footer{color:var(--mute);font-size:12px;margin-top:24px}"
        "td.num{text-align:right;white-space:nowrap}figure.chart{margin:8px 0}"
        "figcaption .key{margin-right:14px;font-size:13px}tr.fix td{border-top:none}"
        "@page{size:A4;margin:14mm}"
        "@media print{body{font-size:11pt}button,.filters{display:none}"
        "section.domain{content-visibility:visible}"
        ".layout{max-width:none;padding:0}"
        "section.domain{border:none;padding:0;break-before:page}"
        "#portfolio+section.domain{break-before:auto}"
        "article.finding,tr{break-inside:avoid}}";

struct portfolio_row {
	char *domain; /* escaped already */
	const char *stage;
	char *next;
	int ready;   /* -1 unknown (no reports), 0 no, 1 yes */
	char *worst; /* escaped "id: message" of the worst finding, or NULL */
	int worst_sev;
	size_t errors, warnings;
};

struct html_state {
	struct portfolio_row *rows;
	size_t n;
	size_t cap;
};

static const char *ui(const struct dd_render *r, enum ui id)
{
	return dd_text_get(&ui_text[id], r->opts.lang);
}

static char *ui_fmt(const struct dd_render *r, enum ui id, const char *a, const char *b)
{
	char *args[2] = { (char *)a, (char *)b };
	return dd_text_format(&ui_text[id], r->opts.lang, args, 2);
}

void dd_html_put(FILE *out, const char *s, size_t len)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_html(&b, s, len);
	if (b.len)
		fwrite(b.s, 1, b.len, out);
	dd_strbuf_finish(&b);
}

void dd_html_puts(FILE *out, const char *s)
{
	if (s)
		dd_html_put(out, s, strlen(s));
}

static void put_own(FILE *out, char *s)
{
	dd_html_puts(out, s);
	free(s);
}

static char *escaped(const char *s)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_html(&b, s, strlen(s));
	return dd_strbuf_own(&b);
}

/* 'sha256-<base64>' of the script, for script-src (CSP Level 2 §4.2.4). */
static void script_hash(char out[64])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_Digest(script, sizeof(script) - 1, md, &mdlen, EVP_sha256(), NULL);
	EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen); /* 44 characters for 32 bytes */
}

static void html_begin(struct dd_render *r)
{
	r->state = xcalloc(1, sizeof(struct html_state));
	char hash[64];
	script_hash(hash);
	FILE *o = r->out;
	fprintf(o,
	        "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	        "style-src 'unsafe-inline'; img-src data:; script-src 'sha256-%s'; "
	        "base-uri 'none'; form-action 'none'\">\n"
	        "<title>dmarc-doctor: %s</title>\n<style>%s</style>\n</head>\n<body>\n"
	        "<div class=\"layout\">\n<h1 class=\"title\">%s</h1>\n",
	        r->opts.lang == DD_LANG_JA ? "ja" : "en", hash, ui(r, UI_TITLE), style,
	        ui(r, UI_TITLE));
}

static const char *stage_class(const struct dd_result *res)
{
	if (res->status == DD_RESULT_ERROR || !res->advice.present)
		return "unknown";
	return dd_stage_name(res->advice.current);
}

static void headline(struct dd_render *r, const struct dd_result *res, size_t idx)
{
	FILE *o = r->out;
	const struct dd_advice *a = &res->advice;
	fprintf(o, "<header class=\"headline stage-%s\">\n<h2>", stage_class(res));
	dd_html_puts(o, res->display);
	if (strcmp(res->display, res->domain) != 0) {
		fputs(" <span class=\"muted\">(", o);
		dd_html_puts(o, res->domain);
		fputs(")</span>", o);
	}
	fputs("</h2>\n", o);
	if (res->status == DD_RESULT_ERROR) {
		fputs("<p class=\"verdict\">", o);
		char *args[1] = { (char *)dd_words_get(&res->error, r->opts.lang) };
		put_own(o, dd_text_format(&ui_text[UI_ERROR], r->opts.lang, args, 1));
		fputs("</p>\n</header>\n", o);
		return;
	}
	bool staged = a->present && a->current <= DD_STAGE_REJECT;
	fprintf(o, "<p class=\"verdict\"><span class=\"badge stage-%s\">%s</span> %s",
	        stage_class(res), a->present ? dd_stage_name(a->current) : "?",
	        staged ? dd_text_get(&dd_stage_verdicts[a->current], r->opts.lang)
	               : ui(r, UI_UNKNOWN));
	if (a->present && res->dmarc.inherited && res->dmarc.found_at) {
		fputs(" <span class=\"muted\">(", o);
		put_own(o, ui_fmt(r, UI_INHERITED, res->dmarc.found_at, NULL));
		fputs(")</span>", o);
	}
	fputs("</p>\n", o);
	if (!a->present) {
		fputs("</header>\n", o);
		return;
	}
	fprintf(o, "<p class=\"next\"><span class=\"label\">%s</span> ", ui(r, UI_NEXT));
	if (a->has_next) {
		fprintf(o, "<strong>p=%s</strong>", dd_stage_name(a->next));
		for (size_t i = 0; i < a->nblockers; i++) {
			fprintf(o, "%s", i ? ", " : " (");
			if (i == 0)
				fprintf(o, "%s: ", ui(r, UI_FIX_FIRST));
			fputs("<code>", o);
			dd_html_puts(o, a->blockers[i]);
			fputs("</code>", o);
		}
		fputs(a->nblockers ? ")" : "", o);
	} else {
		fputs(ui(r, UI_NO_NEXT), o);
	}
	fputs("</p>\n", o);
	if (a->record) {
		fprintf(o,
		        "<div class=\"publish\"><span class=\"label\">%s</span>"
		        "<pre id=\"rec-%zu\">",
		        ui(r, UI_PUBLISH), idx);
		dd_html_puts(o, a->record_name);
		fputs(" TXT \"", o);
		dd_html_puts(o, a->record);
		fprintf(o,
		        "\"</pre><button type=\"button\" class=\"copy\" data-target=\"rec-%zu\" "
		        "data-done=\"%s\">%s</button></div>\n",
		        idx, ui(r, UI_COPIED), ui(r, UI_COPY));
	}
	dd_html_readiness(r, res);
	if (a->nsteps) {
		fprintf(o, "<details open><summary>%s</summary><ol class=\"steps\">\n",
		        ui(r, UI_STEPS));
		for (size_t i = 0; i < a->nsteps; i++) {
			fputs("<li>", o);
			put_own(o, dd_step_format(&a->steps[i], r->opts.lang));
			fputs("</li>\n", o);
		}
		fputs("</ol></details>\n", o);
	}
	fputs("</header>\n", o);
}

/* The areas of the report and the finding ids that belong to each (the id's
 * first label); findings of an id no area names go to the last one. */
struct area {
	const char *title; /* a protocol's name, the same in every language */
	const char *prefix;
	struct dd_text words; /* for the areas that are not protocols */
};

/* clang-format off */
static const struct area areas[] = {
	{"DMARC", "dmarc", {0}}, {"SPF", "spf", {0}}, {"DKIM", "dkim", {0}}, {"MX", "mx", {0}},
	{"MTA-STS", "mta-sts", {0}}, {"TLS-RPT", "tls-rpt", {0}}, {"BIMI", "bimi", {0}},
	{"DNSSEC", "dnssec", {0}}, {"DANE", "dane", {0}},
	{NULL, "reports", {"Aggregate reports", "集計レポート"}},
	{NULL, "provider", {"Mailbox providers", "メールボックス事業者"}},
	{NULL, "dns", {"DNS", "DNS"}},
	{NULL, NULL, {"Other", "その他"}},
};
/* clang-format on */

static const char *area_title(const struct dd_render *r, const struct area *ar)
{
	return ar->title ? ar->title : dd_text_get(&ar->words, r->opts.lang);
}

/* clang-format off */
static const struct dd_text severity_words[] = {
	[DD_SEV_INFO] = {"info", "情報"},
	[DD_SEV_WARNING] = {"warning", "警告"},
	[DD_SEV_ERROR] = {"error", "エラー"},
};
/* clang-format on */

static const char *severity_word(const struct dd_render *r, int sev)
{
	return dd_text_get(&severity_words[sev], r->opts.lang);
}

static bool in_area(const struct dd_finding *f, const struct area *ar)
{
	const char *id = f->def->id;
	const char *dot = strchr(id, '.');
	size_t n = dot ? (size_t)(dot - id) : strlen(id);
	if (ar->prefix)
		return strlen(ar->prefix) == n && strncmp(id, ar->prefix, n) == 0;
	for (size_t i = 0; i + 1 < DD_ARRAY_LEN(areas); i++)
		if (in_area(f, &areas[i]))
			return false;
	return true;
}

/* The worst severity among an area's findings; -1 when it has none. */
static int area_worst(const struct dd_result *res, const struct area *ar)
{
	int worst = -1;
	for (size_t i = 0; i < res->findings.n; i++)
		if (in_area(&res->findings.v[i], ar) && (int)res->findings.v[i].severity > worst)
			worst = (int)res->findings.v[i].severity;
	return worst;
}

static void state_cell(struct dd_render *r, enum dd_record_state st, bool undetermined)
{
	if (st == DD_STATE_UNDETERMINED && !undetermined)
		st = DD_STATE_UNKNOWN; /* nothing failed: what decides was not asked */
	switch (st) {
	case DD_STATE_FOUND: break;
	case DD_STATE_MISSING: fputs(ui(r, UI_NOT_FOUND), r->out); break;
	case DD_STATE_UNDETERMINED: fputs(ui(r, UI_UNDETERMINED), r->out); break;
	case DD_STATE_UNKNOWN: fputs(ui(r, UI_NOT_ASKED), r->out); break;
	}
}

/* Several records where one belongs (spf.multiple, dmarc.multiple): none applies. */
static void several_cell(struct dd_render *r, enum ui what, size_t n)
{
	char count[24];
	snprintf(count, sizeof(count), "%zu", n);
	put_own(r->out, ui_fmt(r, what, count, NULL));
}

static void record_cell(struct dd_render *r, const struct dd_result *res, const struct area *ar)
{
	FILE *o = r->out;
	char n1[24], n2[24];
	if (ar->prefix && strcmp(ar->prefix, "spf") == 0) {
		state_cell(r, res->spf.state, res->undetermined);
		if (res->spf.state == DD_STATE_FOUND && res->spf.nrecords > 1)
			several_cell(r, UI_SPF_SEVERAL, res->spf.nrecords);
		if (res->spf.record) {
			fputs("<code>", o);
			dd_html_put(o, res->spf.record, res->spf.record_len);
			fputs("</code>", o);
		}
		if (res->spf.counted) {
			snprintf(n1, sizeof(n1), "%d", res->spf.lookups);
			fprintf(o, " <span class=\"muted\">(%s",
			        res->spf.lower_bound ? ui(r, UI_LOWER) : "");
			put_own(o, ui_fmt(r, res->spf.lookups == 1 ? UI_LOOKUP_ONE : UI_LOOKUPS, n1,
			                  NULL));
			fputs(")</span>", o);
		}
	} else if (ar->prefix && strcmp(ar->prefix, "dmarc") == 0) {
		if (res->dmarc.state == DD_STATE_MISSING && res->dmarc.discarded)
			several_cell(r, UI_DMARC_SEVERAL, res->dmarc.discarded);
		else
			state_cell(r, res->dmarc.state, res->undetermined);
		if (res->dmarc.record) {
			fputs("<code>", o);
			dd_html_put(o, res->dmarc.record, res->dmarc.record_len);
			fputs("</code>", o);
		}
	} else if (ar->prefix && strcmp(ar->prefix, "dkim") == 0) {
		if (res->dkim.n == 0)
			state_cell(r, res->dkim.state, res->undetermined);
		snprintf(n1, sizeof(n1), "%zu", res->dkim.n);
		snprintf(n2, sizeof(n2), "%zu", res->dkim.probed);
		if (res->dkim.n)
			put_own(o, ui_fmt(r, UI_DKIM_KEYS, n1, n2));
		for (size_t i = 0; i < res->dkim.n; i++) {
			const struct dd_dkim_selector *s = &res->dkim.v[i];
			fputs("<br><code>", o);
			dd_html_puts(o, s->selector);
			fputs("</code>", o);
			if (s->provider) {
				fputs(" (", o);
				dd_html_puts(o, s->provider);
				fputs(")", o);
			}
			if (s->key_type) {
				fputs(": ", o);
				dd_html_puts(o, s->key_type);
				if (s->key_bits)
					fprintf(o, " %u", s->key_bits);
			}
		}
	} else if (ar->prefix && strcmp(ar->prefix, "mx") == 0) {
		state_cell(r, res->mx.state, res->undetermined);
		if (res->mx.state == DD_STATE_FOUND && res->mx.null_mx) {
			fputs(ui(r, UI_NULL_MX), o);
		} else if (res->mx.state == DD_STATE_FOUND) {
			for (size_t i = 0; i < res->mx.nlist; i++) {
				fprintf(o, "%s%u <code>", i ? "<br>" : "", res->mx.hosts[i].pref);
				dd_html_puts(o, res->mx.hosts[i].name);
				fputs("</code>", o);
			}
		}
	} else if (ar->prefix && strcmp(ar->prefix, "mta-sts") == 0) {
		state_cell(r, res->mta_sts.state, res->undetermined);
		if (res->mta_sts.mode != DD_STS_MODE_UNSET)
			fprintf(o, "mode: %s", dd_sts_mode_name(res->mta_sts.mode));
	} else if (ar->prefix && strcmp(ar->prefix, "tls-rpt") == 0) {
		state_cell(r, res->tls_rpt.state, res->undetermined);
		if (res->tls_rpt.record) {
			fputs("<code>", o);
			dd_html_puts(o, res->tls_rpt.record);
			fputs("</code>", o);
		}
	} else if (ar->prefix && strcmp(ar->prefix, "bimi") == 0) {
		state_cell(r, res->bimi.state, res->undetermined);
		if (res->bimi.record) {
			fputs("<code>", o);
			dd_html_puts(o, res->bimi.record);
			fputs("</code>", o);
		}
	} else if (ar->prefix && strcmp(ar->prefix, "dnssec") == 0) {
		fputs(dd_dnssec_state_name(res->dnssec.state), o);
	} else if (ar->prefix && strcmp(ar->prefix, "dane") == 0) {
		state_cell(r, res->dane.state, res->undetermined);
		if (res->dane.state == DD_STATE_FOUND) {
			snprintf(n1, sizeof(n1), "%zu", res->dane.nhosts);
			put_own(o, ui_fmt(r, UI_MX_HOSTS, n1, NULL));
		}
	}
}

/* Whether the area has something published to call ok (a record, a signed zone). */
static bool area_found(const struct dd_result *res, const struct area *ar)
{
	const char *p = ar->prefix;
	if (!p)
		return true;
	if (strcmp(p, "dnssec") == 0)
		return res->dnssec.state == DD_DNSSEC_SIGNED;
	enum dd_record_state st = strcmp(p, "dmarc") == 0     ? res->dmarc.state
	                          : strcmp(p, "spf") == 0     ? res->spf.state
	                          : strcmp(p, "dkim") == 0    ? res->dkim.state
	                          : strcmp(p, "mx") == 0      ? res->mx.state
	                          : strcmp(p, "mta-sts") == 0 ? res->mta_sts.state
	                          : strcmp(p, "tls-rpt") == 0 ? res->tls_rpt.state
	                          : strcmp(p, "bimi") == 0    ? res->bimi.state
	                          : strcmp(p, "dane") == 0    ? res->dane.state
	                                                      : DD_STATE_FOUND;
	return st == DD_STATE_FOUND;
}

static bool area_shown(const struct dd_result *res, const struct area *ar)
{
	/* the protocols always have a row; the rest when they have findings */
	static const char *const always[] = { "dmarc",   "spf",  "dkim",   "mx",  "mta-sts",
		                              "tls-rpt", "bimi", "dnssec", "dane" };
	for (size_t i = 0; i < DD_ARRAY_LEN(always); i++)
		if (ar->prefix && strcmp(ar->prefix, always[i]) == 0)
			return true;
	return area_worst(res, ar) >= 0;
}

static void areas_table(struct dd_render *r, const struct dd_result *res)
{
	FILE *o = r->out;
	fprintf(o,
	        "<section class=\"areas\"><h3>%s</h3>\n<table><thead><tr><th>%s</th><th>%s</th>"
	        "<th>%s</th></tr></thead><tbody>\n",
	        ui(r, UI_AREAS), ui(r, UI_AREA), ui(r, UI_VERDICT), ui(r, UI_RECORD));
	for (size_t i = 0; i < DD_ARRAY_LEN(areas); i++) {
		const struct area *ar = &areas[i];
		if (!area_shown(res, ar))
			continue;
		int worst = area_worst(res, ar);
		fprintf(o, "<tr data-area=\"%s\"><td>%s</td><td>",
		        ar->prefix ? ar->prefix : "other", area_title(r, ar));
		if (worst < 0 && !area_found(res, ar))
			fputs("<span class=\"badge\">&ndash;</span>",
			      o); /* nothing there to judge */
		else if (worst < 0)
			fprintf(o, "<span class=\"badge ok\">%s</span>", ui(r, UI_OK));
		else
			fprintf(o, "<span class=\"badge sev-%s\">%s</span>",
			        dd_severity_name((enum dd_severity)worst), severity_word(r, worst));
		fputs("</td><td>", o);
		record_cell(r, res, ar);
		fputs("</td></tr>\n", o);
	}
	fputs("</tbody></table></section>\n", o);
}

static void spf_node(struct dd_render *r, const struct dd_spf_node *n)
{
	FILE *o = r->out;
	char num[24];
	snprintf(num, sizeof(num), "%d", n->lookups);
	fputs("<li><code>", o);
	dd_html_puts(o, n->term ? n->term : n->name);
	fprintf(o, "</code> <span class=\"%s\">%s", n->lookups > 10 ? "over" : "muted",
	        n->lower_bound ? "&ge; " : "");
	put_own(o, ui_fmt(r, n->lookups == 1 ? UI_LOOKUP_ONE : UI_LOOKUPS, num, NULL));
	if (n->void_lookups)
		fprintf(o, ", %s %d", ui(r, UI_VOID), n->void_lookups);
	fputs("</span>", o);
	if (n->status != DD_SPF_NODE_OK)
		fprintf(o, " <span class=\"badge sev-warning\">%s</span>",
		        dd_spf_node_status_name(n->status));
	if (n->nchildren) {
		fputs("\n<ul class=\"tree\">\n", o);
		for (size_t i = 0; i < n->nchildren; i++)
			spf_node(r, &n->children[i]);
		fputs("</ul>", o);
	}
	fputs("</li>\n", o);
}

static void finding(struct dd_render *r, const struct dd_finding *f)
{
	FILE *o = r->out;
	const char *sev = dd_severity_name(f->severity);
	fprintf(o,
	        "<article class=\"finding sev-%s\" data-id=\"%s\"><p><span class=\"badge "
	        "sev-%s\">%s</span> <code>%s</code> ",
	        sev, f->def->id, sev, severity_word(r, (int)f->severity), f->def->id);
	put_own(o, dd_finding_message(f, r->opts.lang));
	fputs("</p>\n", o);
	if (f->file) {
		fputs("<p class=\"muted\">", o);
		dd_html_puts(o, f->file);
		fprintf(o, ":%u</p>\n", f->line);
	}
	if (f->record) {
		fputs("<pre>", o);
		dd_html_puts(o, f->record);
		fputs("</pre>\n", o);
	}
	if (f->nchain > 1) {
		fprintf(o, "<p class=\"muted\">%s: ", ui(r, UI_VIA));
		for (size_t i = 0; i < f->nchain; i++) {
			fputs(i ? " &rarr; " : "", o);
			dd_html_puts(o, f->chain[i]);
		}
		fputs("</p>\n", o);
	}
	fprintf(o, "<p><strong>%s:</strong> ", ui(r, UI_FIX));
	put_own(o, dd_finding_fix(f, r->opts.lang));
	fputs(" <a href=\"", o);
	dd_html_puts(o, f->def->rfc_url);
	fputs("\">", o);
	dd_html_puts(o, f->def->rfc);
	fputs("</a></p></article>\n", o);
}

static void findings(struct dd_render *r, const struct dd_result *res)
{
	FILE *o = r->out;
	fprintf(o, "<section class=\"findings\"><h3>%s</h3>\n", ui(r, UI_FINDINGS));
	if (res->findings.n == 0)
		fprintf(o, "<p>%s</p>\n", ui(r, UI_NO_FINDINGS));
	for (size_t a = 0; a < DD_ARRAY_LEN(areas); a++) {
		if (area_worst(res, &areas[a]) < 0)
			continue;
		fprintf(o, "<h4>%s</h4>\n", area_title(r, &areas[a]));
		for (int sev = DD_SEV_ERROR; sev >= DD_SEV_INFO; sev--)
			for (size_t i = 0; i < res->findings.n; i++) {
				const struct dd_finding *f = &res->findings.v[i];
				if ((int)f->severity == sev && in_area(f, &areas[a]))
					finding(r, f);
			}
	}
	if (res->findings.suppressed) {
		char n[24];
		snprintf(n, sizeof(n), "%zu", res->findings.suppressed);
		fputs("<p class=\"muted\">", o);
		put_own(o, ui_fmt(r, UI_SUPPRESSED, n, NULL));
		fputs("</p>\n", o);
	}
	fputs("</section>\n", o);
}

/* The portfolio keeps one short row per domain; the worst finding decides it. */
static void remember(struct dd_render *r, const struct dd_result *res)
{
	struct html_state *st = r->state;
	st->rows = xgrow(st->rows, &st->cap, st->n + 1, sizeof(*st->rows));
	struct portfolio_row *row = &st->rows[st->n++];
	memset(row, 0, sizeof(*row));
	row->domain = escaped(res->display);
	row->stage = stage_class(res);
	row->next = xstrdup(
	        res->advice.present && res->advice.has_next ? dd_stage_name(res->advice.next) : "");
	row->ready = dd_html_ready(res);
	row->worst_sev = -1;
	const struct dd_finding *worst = NULL;
	for (size_t i = 0; i < res->findings.n; i++) {
		const struct dd_finding *f = &res->findings.v[i];
		row->errors += f->severity == DD_SEV_ERROR;
		row->warnings += f->severity == DD_SEV_WARNING;
		if ((int)f->severity > row->worst_sev) {
			row->worst_sev = (int)f->severity;
			worst = f;
		}
	}
	if (worst) {
		char *msg = dd_finding_message(worst, r->opts.lang);
		char *text = xasprintf("%s: %s", worst->def->id, msg);
		row->worst = escaped(text);
		free(text);
		free(msg);
	}
}

static void html_result(struct dd_render *r, const struct dd_result *res)
{
	FILE *o = r->out;
	size_t idx = r->count;
	fprintf(o, "<section class=\"domain\" id=\"d-%zu\">\n", idx);
	headline(r, res, idx);
	if (res->status != DD_RESULT_ERROR) {
		areas_table(r, res);
		dd_html_evidence(r, res);
		if (res->spf.tree && res->spf.tree->nchildren) {
			fprintf(o, "<section class=\"spf-tree\"><h3>%s</h3>\n<ul class=\"tree\">\n",
			        ui(r, UI_SPF_TREE));
			spf_node(r, res->spf.tree);
			fputs("</ul></section>\n", o);
		}
		findings(r, res);
	}
	fputs("</section>\n", o);
	if (r->opts.many)
		remember(r, res);
}

static void portfolio(struct dd_render *r)
{
	struct html_state *st = r->state;
	FILE *o = r->out;
	char n[24];
	snprintf(n, sizeof(n), "%zu", st->n);
	fprintf(o, "<section id=\"portfolio\"><h2>%s <span class=\"muted\">(", ui(r, UI_PORTFOLIO));
	put_own(o, ui_fmt(r, UI_DOMAINS_N, n, NULL));
	fprintf(o,
	        ")</span></h2>\n<div class=\"filters\"><label>%s <input id=\"pf-q\" "
	        "type=\"search\"></label><select id=\"pf-stage\"><option value=\"\">%s</option>",
	        ui(r, UI_FILTER), ui(r, UI_ALL_STAGES));
	static const char *const stages[] = { "missing", "none", "quarantine", "reject",
		                              "unknown" };
	for (size_t i = 0; i < DD_ARRAY_LEN(stages); i++)
		fprintf(o, "<option>%s</option>", stages[i]);
	fprintf(o,
	        "</select></div>\n<table><thead><tr><th data-key=\"domain\">%s</th>"
	        "<th data-key=\"rank\">%s</th><th data-key=\"ready\">%s</th>"
	        "<th data-key=\"sev\">%s</th><th data-key=\"errors\">%s</th></tr></thead><tbody>\n",
	        ui(r, UI_DOMAIN), ui(r, UI_STAGE), ui(r, UI_READY), ui(r, UI_WORST),
	        ui(r, UI_COUNTS));
	for (size_t i = 0; i < st->n; i++) {
		const struct portfolio_row *row = &st->rows[i];
		/* rank sorts missing < none < quarantine < reject, unknown last */
		static const char *const rank = "01234";
		size_t k = 0;
		while (k + 1 < DD_ARRAY_LEN(stages) && strcmp(stages[k], row->stage) != 0)
			k++;
		fprintf(o,
		        "<tr data-domain=\"%s\" data-stage=\"%s\" data-rank=\"%c\" "
		        "data-ready=\"%d\" "
		        "data-sev=\"%d\" data-errors=\"%zu\"><td><a href=\"#d-%zu\">%s</a></td>"
		        "<td><span class=\"badge stage-%s\">%s</span>%s%s</td><td>%s</td><td>",
		        row->domain, row->stage, rank[k], row->ready, row->worst_sev, row->errors,
		        i, row->domain, row->stage, row->stage, *row->next ? " &rarr; " : "",
		        row->next,
		        row->ready < 0 ? "&ndash;"
		        : row->ready   ? "&#10003;"
		                       : "&#10007;");
		if (row->worst)
			fprintf(o, "<span class=\"badge sev-%s\">%s</span> %s",
			        dd_severity_name((enum dd_severity)row->worst_sev),
			        severity_word(r, row->worst_sev), row->worst);
		fprintf(o, "</td><td>%zu / %zu</td></tr>\n", row->errors, row->warnings);
	}
	fputs("</tbody></table></section>\n", o);
}

static void html_end(struct dd_render *r, const struct dd_run_summary *sum)
{
	(void)sum;
	struct html_state *st = r->state;
	FILE *o = r->out;
	if (r->opts.many)
		portfolio(r);
	fputs("<footer>", o);
	put_own(o, ui_fmt(r, UI_GENERATED, DD_VERSION, NULL));
	fprintf(o, "</footer>\n</div>\n<script>%s</script>\n</body>\n</html>\n", script);
	for (size_t i = 0; st && i < st->n; i++) {
		free(st->rows[i].domain);
		free(st->rows[i].next);
		free(st->rows[i].worst);
	}
	if (st)
		free(st->rows);
	free(st);
	r->state = NULL;
}

const struct dd_renderer dd_render_html = {
	.name = "html",
	.begin = html_begin,
	.result = html_result,
	.end = html_end,
};
