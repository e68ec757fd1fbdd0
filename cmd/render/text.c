/*
 * text.c: the human report. Its first lines answer the question the user
 * came with - where the domain stands, the one next step, the record to
 * publish - and the details follow. Japanese under a Japanese locale.
 * Findings from a zone file read like compiler messages (file:line: ...).
 */
#include <stdlib.h>
#include <string.h>

#include "dd/render.h"

enum ui {
	UI_MISSING,
	UI_NONE,
	UI_QUARANTINE,
	UI_REJECT,
	UI_UNKNOWN,
	UI_ERROR,
	UI_NEXT,
	UI_PUBLISH,
	UI_AT,
	UI_NO_RECORD,
	UI_UNDETERMINED,
	UI_NOT_ASKED,
	UI_SELECTORS,
	UI_NO_KEYS,
	UI_MX_HOSTS,
	UI_NULL_MX,
	UI_FIX,
	UI_VIA,
	UI_NO_FINDINGS,
	UI_SUMMARY,
	UI_KNOWN,
	UI_UNKNOWN_OFFLINE,
	UI_COUNT
};

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct dd_text ui_text[UI_COUNT] = {
	[UI_MISSING] = {"no DMARC policy: anyone can send mail as this domain",
			"DMARC ポリシーなし: 誰でもこのドメインを名乗ってメールを送れます"},
	[UI_NONE] = {"DMARC p=none: monitoring only, spoofed mail is still delivered",
		     "DMARC p=none: 監視のみで、なりすましメールは配送されます"},
	[UI_QUARANTINE] = {"DMARC p=quarantine: spoofed mail goes to spam",
			   "DMARC p=quarantine: なりすましメールは迷惑メールになります"},
	[UI_REJECT] = {"DMARC p=reject: spoofed mail is refused",
		       "DMARC p=reject: なりすましメールは拒否されます"},
	[UI_UNKNOWN] = {"DMARC could not be determined: a DNS lookup failed",
			"DMARC を判定できません: DNS の問い合わせに失敗しました"},
	[UI_ERROR] = {"could not be checked: {1}", "確認できませんでした: {1}"},
	[UI_NEXT] = {"next step", "次の段階"},
	[UI_PUBLISH] = {"publish", "公開"},
	[UI_AT] = {"at", "場所"},
	[UI_NO_RECORD] = {"none", "なし"},
	[UI_UNDETERMINED] = {"undetermined (DNS failure)", "判定不能 (DNS エラー)"},
	[UI_NOT_ASKED] = {"not looked up (offline)", "未確認 (オフライン)"},
	[UI_SELECTORS] = {"{1} of {2} selectors probed", "{2} 個中 {1} 個のセレクタで発見"},
	[UI_NO_KEYS] = {"no key at the {1} selectors probed", "調べた {1} 個のセレクタに鍵なし"},
	[UI_MX_HOSTS] = {"{1} hosts", "{1} ホスト"},
	[UI_NULL_MX] = {"null MX: receives no mail (RFC 7505)",
			"null MX: メールを受け取りません (RFC 7505)"},
	[UI_FIX] = {"fix", "対処"},
	[UI_VIA] = {"via", "経路"},
	[UI_NO_FINDINGS] = {"no findings", "指摘事項なし"},
	[UI_SUMMARY] = {"{1} domains: {2} clean, {3} failing, {4} undetermined",
			"{1} ドメイン: 問題なし {2}、要対応 {3}、判定不能 {4}"},
	[UI_KNOWN] = {"(in the baseline)", "(ベースラインにあり)"},
	[UI_UNKNOWN_OFFLINE] = {"DMARC could not be determined: names outside the zone files were not looked up (--offline)",
				"DMARC を判定できません: ゾーンファイル外の名前を問い合わせていません (--offline)"},
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
		char *s = ui_fmt(r, UI_ERROR, res->error, NULL, NULL, NULL);
		color(r, RED);
		puts_safe(r, s);
		color(r, RESET);
		fputc('\n', r->out);
		free(s);
		return;
	}
	const struct dd_advice *a = &res->advice;
	/* no lookup failed, yet DMARC is open: names were not asked (--offline) */
	enum ui line = res->undetermined ? UI_UNKNOWN : UI_UNKNOWN_OFFLINE;
	const char *tint = YELLOW;
	if (a->present) {
		static const enum ui by_stage[] = { UI_MISSING, UI_NONE, UI_QUARANTINE, UI_REJECT };
		static const char *const tints[] = { RED, RED, YELLOW, GREEN };
		line = by_stage[a->current];
		tint = tints[a->current];
	}
	color(r, tint);
	fputs(ui(r, line), r->out);
	color(r, RESET);
	fputc('\n', r->out);
	if (!a->present)
		return;
	if (a->has_next) {
		fprintf(r->out, "  %-10s p=%s\n", ui(r, UI_NEXT), dd_stage_name(a->next));
		fprintf(r->out, "  %-10s ", ui(r, UI_PUBLISH));
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
	fprintf(r->out, "  %-6s ", label);
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

static void records(struct dd_render *r, const struct dd_result *res)
{
	fputc('\n', r->out);
	state_line(r, res, "SPF", res->spf.state, res->spf.record, res->spf.record_len);
	if (res->spf.counted)
		fprintf(r->out, "  (%d DNS lookups, %d void)", res->spf.lookups,
		        res->spf.void_lookups);
	fputc('\n', r->out);

	const struct dd_dmarc_info *d = &res->dmarc;
	state_line(r, res, "DMARC", d->state, d->record, d->record_len);
	if (d->found_at) {
		fprintf(r->out, "  (%s ", ui(r, UI_AT));
		puts_safe(r, d->found_at);
		fputc(')', r->out);
	}
	fputc('\n', r->out);

	fprintf(r->out, "  %-6s ", "DKIM");
	char probed[24], found[24];
	snprintf(probed, sizeof(probed), "%zu", res->dkim.probed);
	snprintf(found, sizeof(found), "%zu", res->dkim.n);
	if (res->dkim.n == 0) {
		char *s = ui_fmt(r, UI_NO_KEYS, probed, NULL, NULL, NULL);
		fputs(s, r->out);
		free(s);
	}
	for (size_t i = 0; i < res->dkim.n; i++) {
		const struct dd_dkim_selector *s = &res->dkim.v[i];
		if (i)
			fputs(", ", r->out);
		puts_safe(r, s->selector);
		if (s->provider)
			fprintf(r->out, " (%s)", s->provider);
	}
	if (res->dkim.n) {
		char *s = ui_fmt(r, UI_SELECTORS, found, probed, NULL, NULL);
		fprintf(r->out, "  [%s]", s);
		free(s);
	}
	fputc('\n', r->out);

	if (res->mx.state == DD_STATE_FOUND) {
		fprintf(r->out, "  %-6s ", "MX");
		if (res->mx.null_mx) {
			fputs(ui(r, UI_NULL_MX), r->out);
		} else {
			char n[24];
			snprintf(n, sizeof(n), "%zu", res->mx.nhosts);
			char *s = ui_fmt(r, UI_MX_HOSTS, n, NULL, NULL, NULL);
			fputs(s, r->out);
			free(s);
		}
		fputc('\n', r->out);
	} else {
		state_line(r, res, "MX", res->mx.state, NULL, 0);
		fputc('\n', r->out);
	}
}

static const char *severity_tint(enum dd_severity s)
{
	return s == DD_SEV_ERROR ? RED : s == DD_SEV_WARNING ? YELLOW : CYAN;
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
		fputs("      \"", r->out);
		puts_safe(r, f->record);
		fputs("\"\n", r->out);
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
	fprintf(r->out, " (%s)\n", f->def->rfc);
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
	fputc('\n', r->out);
	if (res->findings.n == 0)
		fprintf(r->out, "  %s\n", ui(r, UI_NO_FINDINGS));
	/* most severe first, table order within a severity */
	for (int sev = DD_SEV_ERROR; sev >= DD_SEV_INFO; sev--)
		for (size_t i = 0; i < res->findings.n; i++)
			if ((int)res->findings.v[i].severity == sev)
				finding(r, &res->findings.v[i]);
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
