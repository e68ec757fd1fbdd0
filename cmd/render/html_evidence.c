/*
 * html_evidence.c: what the aggregate reports say, in the HTML report:
 * readiness in the headline, and the section with the charts, the sender
 * table and the reporters.
 */
#include "render/html.h"

/* clang-format off */
static const struct dd_text no_reports = {
	"Readiness: no aggregate reports were given, so the advice rests on DNS alone (dmarc-doctor --reports DIR)",
	"準備状況: 集計レポートがないため、DNS だけに基づく助言です (dmarc-doctor --reports DIR)"};
/* clang-format on */

int dd_html_ready(const struct dd_result *res)
{
	(void)res;
	return -1;
}

void dd_html_readiness(struct dd_render *r, const struct dd_result *res)
{
	(void)res;
	fprintf(r->out, "<p class=\"ready muted\">%s</p>\n",
	        dd_text_get(&no_reports, r->opts.lang));
}

void dd_html_evidence(struct dd_render *r, const struct dd_result *res)
{
	(void)r;
	(void)res;
}
