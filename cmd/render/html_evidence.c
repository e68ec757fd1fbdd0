/*
 * html_evidence.c: what the aggregate reports say, in the HTML report:
 * readiness in the headline, then a section with messages per day by sender
 * class (stacked), the DMARC pass share per day, the sender table and the
 * reporters. Sender names, domains and reporter names come from reports and
 * reverse DNS: every one passes the escaper.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/evidence.h"
#include "render/html.h"
#include "dd/evidence.h"

/* clang-format off */
static const struct dd_text t_no_reports = {
	"Readiness: no aggregate reports cover this domain, so the advice rests on DNS alone (dmarc-doctor --reports DIR)",
	"準備状況: このドメインの集計レポートがないため、DNS だけに基づく助言です (dmarc-doctor --reports DIR)"};
static const struct dd_text t_ready = {"Ready", "準備完了"};
static const struct dd_text t_not_ready = {"Not ready", "準備未完了"};
static const struct dd_text t_section = {"What the aggregate reports show", "集計レポートから分かること"};
static const struct dd_text t_window = {
	"{1} to {2}: {3} days covered by {4} reports",
	"{1} から {2} まで: {4} 件のレポートで {3} 日分"};
static const struct dd_text t_per_day = {"Messages per day by sender class", "送信元の分類ごとの日別通数"};
static const struct dd_text t_pass_rate = {"Share of messages passing DMARC, per day", "DMARC に合格した割合 (日別)"};
static const struct dd_text t_senders = {"Senders", "送信元"};
static const struct dd_text t_name = {"Sender", "送信元"};
static const struct dd_text t_class = {"Class", "分類"};
static const struct dd_text t_messages = {"Messages", "通数"};
static const struct dd_text t_pass = {"Pass DMARC", "DMARC 合格"};
static const struct dd_text t_how = {"How it authenticates", "認証"};
static const struct dd_text t_fix = {"Fix", "対処"};
static const struct dd_text t_blocks = {"blocks the next step", "次の段階を妨げています"};
static const struct dd_text t_subdomain = {"subdomain", "サブドメイン"};
static const struct dd_text t_reporters = {"Reporters", "報告元"};
static const struct dd_text t_reports = {"Reports", "レポート数"};
/* clang-format on */

/* Colours of the classes: ours, never from input. */
static const char *const class_colors[4] = { "#1a7f37", "#cf222e", "#9a6700", "#6e7781" };

static const char *tx(const struct dd_render *r, const struct dd_text *t)
{
	return dd_text_get(t, r->opts.lang);
}

int dd_html_ready(const struct dd_result *res)
{
	switch (res->advice.ready) {
	case DD_READY_YES: return 1;
	case DD_READY_NO: return 0;
	case DD_READY_UNKNOWN: break;
	}
	return -1;
}

void dd_html_readiness(struct dd_render *r, const struct dd_result *res)
{
	const struct dd_advice *a = &res->advice;
	FILE *o = r->out;
	if (a->ready == DD_READY_UNKNOWN || !a->ready_why.text) {
		fprintf(o, "<p class=\"ready muted\">%s</p>\n", tx(r, &t_no_reports));
		return;
	}
	bool yes = a->ready == DD_READY_YES;
	fprintf(o, "<p class=\"ready\" data-ready=\"%s\"><span class=\"badge %s\">%s</span> ",
	        yes ? "true" : "false", yes ? "ok" : "sev-error",
	        tx(r, yes ? &t_ready : &t_not_ready));
	char *why = dd_step_format(&a->ready_why, r->opts.lang);
	dd_html_puts(o, why);
	free(why);
	fputs("</p>\n", o);
}

static void day(char *out, size_t outsz, int64_t t, bool short_form)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm))
		strftime(out, outsz, short_form ? "%m-%d" : "%Y-%m-%d", &tm);
	else
		snprintf(out, outsz, "?");
}

static void charts(struct dd_render *r, const struct dd_evidence *e)
{
	size_t n = e->ndaily;
	if (!n)
		return;
	char(*labels)[16] = xcalloc(n, sizeof(*labels));
	const char **lp = xcalloc(n, sizeof(*lp));
	double *vals = xcalloc(4 * n, sizeof(*vals)), *share = xcalloc(n, sizeof(*share));
	for (size_t i = 0; i < n; i++) {
		const struct dd_evidence_day *d = &e->daily[i];
		day(labels[i], sizeof(labels[i]), d->start, true);
		lp[i] = labels[i];
		uint64_t total = 0;
		for (int c = 0; c < 4; c++) {
			vals[(size_t)c * n + i] = (double)d->by_class[c];
			total += d->by_class[c];
		}
		share[i] = total ? (double)d->dmarc_pass / (double)total : -1;
	}
	struct dd_chart_series series[4];
	for (int c = 0; c < 4; c++)
		series[c] = (struct dd_chart_series){ tx(r, dd_sender_class_text(c)),
			                              class_colors[c], &vals[(size_t)c * n] };
	dd_chart_stacked(r->out, tx(r, &t_per_day), lp, n, series, 4);
	dd_chart_share(r->out, tx(r, &t_pass_rate), lp, n, share);
	free(labels);
	free(lp);
	free(vals);
	free(share);
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void list(FILE *o, const char *label, const struct dd_strlist *l)
{
	if (!l->n)
		return;
	fprintf(o, "<div>%s ", label);
	for (size_t i = 0; i < l->n; i++) {
		fputs(i ? ", <code>" : "<code>", o);
		dd_html_puts(o, l->v[i]);
		fputs("</code>", o);
	}
	fputs("</div>", o);
}

static void sender_row(struct dd_render *r, const struct dd_evidence *e,
                       const struct dd_evidence_sender *s)
{
	FILE *o = r->out;
	fprintf(o, "<tr class=\"sender class-%s\"><td>", dd_sender_class_name(s->cls));
	dd_html_puts(o, s->name);
	if (s->subdomain) {
		fprintf(o, "<br><span class=\"muted\">%s ", tx(r, &t_subdomain));
		dd_html_puts(o, s->subdomain);
		fputs("</span>", o);
	}
	fprintf(o,
	        "</td><td><span class=\"badge\" style=\"background:%s\">%s</span></td>"
	        "<td class=\"num\">%llu</td><td class=\"num\">%.1f%%</td><td>",
	        class_colors[s->cls], tx(r, dd_sender_class_text(s->cls)),
	        (unsigned long long)s->messages, pct(s->dmarc_pass, s->messages));
	list(o, "DKIM d=", &s->dkim_domains);
	list(o, "SPF", &s->spf_domains);
	list(o, "IP", &s->sources);
	fputs("</td></tr>\n", o);
	char *fix = dd_evidence_fix(e, s, r->opts.lang);
	if (fix) {
		fprintf(o, "<tr class=\"fix\"><td colspan=\"5\"><strong>%s:</strong> ",
		        tx(r, &t_fix));
		dd_html_puts(o, fix);
		if (s->blocks)
			fprintf(o, " <span class=\"badge sev-error\">%s</span>", tx(r, &t_blocks));
		fputs("</td></tr>\n", o);
		free(fix);
	}
}

void dd_html_evidence(struct dd_render *r, const struct dd_result *res)
{
	const struct dd_evidence *e = res->evidence;
	if (!e)
		return;
	FILE *o = r->out;
	char from[16], to[16], ndays[24], nreports[24];
	day(from, sizeof(from), e->from, false);
	day(to, sizeof(to), e->to, false);
	snprintf(ndays, sizeof(ndays), "%u", e->days);
	snprintf(nreports, sizeof(nreports), "%zu", e->reports);
	char *args[4] = { from, to, ndays, nreports };
	char *window = dd_text_format(&t_window, r->opts.lang, args, 4);
	fprintf(o, "<section class=\"evidence\"><h3>%s</h3>\n<p class=\"muted\">%s</p>\n",
	        tx(r, &t_section), window);
	free(window);
	charts(r, e);
	fprintf(o,
	        "<h4>%s</h4>\n<table class=\"senders\"><thead><tr><th>%s</th><th>%s</th>"
	        "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
	        tx(r, &t_senders), tx(r, &t_name), tx(r, &t_class), tx(r, &t_messages),
	        tx(r, &t_pass), tx(r, &t_how));
	for (size_t i = 0; i < e->nsenders; i++)
		sender_row(r, e, &e->senders[i]);
	fputs("</tbody></table>\n", o);
	fprintf(o,
	        "<h4>%s</h4>\n<table class=\"reporters\"><thead><tr><th>%s</th><th>%s</th>"
	        "<th>%s</th></tr></thead><tbody>\n",
	        tx(r, &t_reporters), tx(r, &t_reporters), tx(r, &t_reports), tx(r, &t_messages));
	for (size_t i = 0; i < e->nreporter_list; i++) {
		const struct dd_evidence_reporter *rep = &e->reporter_list[i];
		fputs("<tr><td>", o);
		dd_html_puts(o, rep->name);
		fprintf(o, "</td><td class=\"num\">%zu</td><td class=\"num\">%llu</td></tr>\n",
		        rep->reports, (unsigned long long)rep->messages);
	}
	fputs("</tbody></table></section>\n", o);
}
