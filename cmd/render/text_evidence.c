/*
 * text_evidence.c: the report evidence for a person at a terminal: the
 * line under the verdict that says whether the next step is safe, and the
 * sender table (name, class, messages, pass %), longest first, the domain's
 * own senders before each subdomain's. Names come from reports and reverse
 * DNS: untrusted, so every one passes the escaper.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/evidence.h"

#define BOLD   "\033[1m"
#define RED    "\033[31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define RESET  "\033[0m"

/* clang-format off */
static const struct dd_text t_ready = {"READY", "準備完了"};
static const struct dd_text t_not_ready = {"NOT READY", "準備未完了"};
static const struct dd_text t_reports = {"reports", "レポート"};
static const struct dd_text t_header = {
	"Senders in the reports, {1} to {2} ({3} days covered, {4})",
	"レポート上の送信元 ({1} から {2}、{3} 日分、{4})",
};
static const struct dd_text t_totals = {
	"{1} reporters, {2} messages, {3} pass DMARC",
	"報告元 {1}、{2} 通、DMARC 合格 {3}",
};
static const struct dd_text t_columns = {"name|class|messages|pass %", "名前|分類|通数|合格率"};
static const struct dd_text t_subdomain = {"subdomain {1}", "サブドメイン {1}"};
static const struct dd_text t_fix = {"fix", "対応"};
static const struct dd_text t_disagree = {
	"The reporters judged {1} messages otherwise than the auth results show (their policy_evaluated against SPF/DKIM alignment computed here).",
	"{1} 通について、報告元の判定 (policy_evaluated) がここで計算した SPF/DKIM のアライメントと異なります。",
};
static const struct dd_text class_names[4] = {
	{"aligned", "アライン済み"},
	{"fixable", "要設定"},
	{"forwarded", "転送"},
	{"unauthenticated", "認証なし"},
};
/* clang-format on */

const struct dd_text *dd_sender_class_text(enum dd_sender_class c)
{
	return &class_names[c];
}

static void color(const struct dd_render *r, const char *code)
{
	if (r->opts.color)
		fputs(code, r->out);
}

static void put_safe(const struct dd_render *r, const char *s)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_text(&b, s, strlen(s));
	if (b.len)
		fwrite(b.s, 1, b.len, r->out);
	dd_strbuf_finish(&b);
}

/* The escaped text padded to `width` columns (a CJK character counts two). */
static void put_padded(const struct dd_render *r, const char *s, int width)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_text(&b, s, strlen(s));
	dd_text_put_padded(r->out, b.s, b.len, width);
	dd_strbuf_finish(&b);
}

static const char *tx(const struct dd_render *r, const struct dd_text *t)
{
	return dd_text_get(t, r->opts.lang);
}

void dd_text_ready(struct dd_render *r, const struct dd_advice *a)
{
	if (a->ready == DD_READY_UNKNOWN || !a->ready_why.text)
		return;
	bool yes = a->ready == DD_READY_YES;
	fputs("  ", r->out);
	put_padded(r, tx(r, &t_reports), 10);
	fputc(' ', r->out);
	color(r, yes ? GREEN : RED);
	fputs(tx(r, yes ? &t_ready : &t_not_ready), r->out);
	color(r, RESET);
	fputs("  ", r->out);
	char *why = dd_step_format(&a->ready_why, r->opts.lang);
	put_safe(r, why);
	free(why);
	fputc('\n', r->out);
}

static void day(char *out, size_t outsz, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm))
		strftime(out, outsz, "%Y-%m-%d", &tm);
	else
		snprintf(out, outsz, "?");
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void columns(struct dd_render *r)
{
	char cols[128];
	snprintf(cols, sizeof(cols), "%s", tx(r, &t_columns));
	char *name = strtok(cols, "|"), *cls = strtok(NULL, "|"), *msgs = strtok(NULL, "|"),
	     *pass = strtok(NULL, "|");
	fputs("    ", r->out);
	color(r, BOLD);
	put_padded(r, name, 36);
	put_padded(r, cls, 17);
	/* right-aligned over the counts, by columns ("通数" is 6 bytes, 4 columns) */
	for (int c = dd_text_columns(msgs, strlen(msgs)); c < 10; c++)
		fputc(' ', r->out);
	fprintf(r->out, "%s  %s", msgs, pass);
	color(r, RESET);
	fputc('\n', r->out);
}

static void sender_row(struct dd_render *r, const struct dd_evidence *e,
                       const struct dd_evidence_sender *s)
{
	static const char *const tints[4] = { GREEN, RED, YELLOW, YELLOW };
	fputs("    ", r->out);
	put_padded(r, s->name, 36);
	color(r, tints[s->cls]);
	put_padded(r, tx(r, &class_names[s->cls]), 17);
	color(r, RESET);
	fprintf(r->out, "%10llu  %5.1f\n", (unsigned long long)s->messages,
	        pct(s->dmarc_pass, s->messages));
	char *fix = dd_evidence_fix(e, s, r->opts.lang);
	if (fix) {
		fprintf(r->out, "      %s: ", tx(r, &t_fix));
		put_safe(r, fix);
		fputc('\n', r->out);
		free(fix);
	}
}

void dd_text_senders(struct dd_render *r, const struct dd_evidence *e)
{
	if (!e)
		return;
	char from[16], to[16], days[16], totals_s[3][32];
	day(from, sizeof(from), e->from);
	day(to, sizeof(to), e->to);
	snprintf(days, sizeof(days), "%u", e->days);
	snprintf(totals_s[0], sizeof(totals_s[0]), "%zu", e->reporters);
	snprintf(totals_s[1], sizeof(totals_s[1]), "%llu", (unsigned long long)e->messages);
	snprintf(totals_s[2], sizeof(totals_s[2]), "%.1f%%", pct(e->dmarc_pass, e->messages));
	char *targs[3] = { totals_s[0], totals_s[1], totals_s[2] };
	char *totals = dd_text_format(&t_totals, r->opts.lang, targs, 3);
	char *hargs[4] = { from, to, days, totals };
	char *header = dd_text_format(&t_header, r->opts.lang, hargs, 4);
	fputs("\n  ", r->out);
	put_safe(r, header);
	fputc('\n', r->out);
	free(header);
	free(totals);
	columns(r);
	const char *sub = NULL;
	for (size_t i = 0; i < e->nsenders; i++) {
		const struct dd_evidence_sender *s = &e->senders[i];
		if (s->subdomain && (!sub || strcmp(sub, s->subdomain) != 0)) {
			sub = s->subdomain;
			char *args[1] = { (char *)sub };
			char *line = dd_text_format(&t_subdomain, r->opts.lang, args, 1);
			fputs("  ", r->out);
			put_safe(r, line);
			fputc('\n', r->out);
			free(line);
		}
		sender_row(r, e, s);
	}
	if (e->disagree) {
		char n[24];
		snprintf(n, sizeof(n), "%llu", (unsigned long long)e->disagree);
		char *args[1] = { n };
		char *line = dd_text_format(&t_disagree, r->opts.lang, args, 1);
		fputs("  ", r->out);
		put_safe(r, line);
		fputc('\n', r->out);
		free(line);
	}
}

char *dd_evidence_top_blocker(const struct dd_evidence *e)
{
	const struct dd_evidence_sender *top = NULL;
	for (size_t i = 0; e && i < e->nsenders; i++) {
		const struct dd_evidence_sender *s = &e->senders[i];
		if (s->blocks &&
		    (!top || s->by_class[DD_CLASS_FIXABLE] > top->by_class[DD_CLASS_FIXABLE]))
			top = s;
	}
	if (!top)
		return NULL;
	return xasprintf("%s (%llu, %s)", top->name,
	                 (unsigned long long)top->by_class[DD_CLASS_FIXABLE],
	                 top->fix_detail ? top->fix_detail : "not aligned");
}
