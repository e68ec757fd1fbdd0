/*
 * csv.c: one row per domain (RFC 4180), for audits of many domains in a
 * spreadsheet. DNS text is escaped as for a terminal, and cells that a
 * spreadsheet would run as a formula are quoted with a leading apostrophe.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/render.h"
#include "render/evidence.h"

struct row {
	struct dd_strbuf b;
	size_t cells;
};

static void separate(struct row *row)
{
	if (row->cells++)
		dd_strbuf_addc(&row->b, ',');
}

static void cell_n(struct row *row, const char *s, size_t len)
{
	separate(row);
	if (s)
		dd_escape_csv(&row->b, s, len);
}

static void cell(struct row *row, const char *s)
{
	cell_n(row, s, s ? strlen(s) : 0);
}

static void cell_num(struct row *row, long n, bool present)
{
	separate(row);
	if (present)
		dd_strbuf_addf(&row->b, "%ld", n);
}

static void csv_begin(struct dd_render *r)
{
	fputs("domain,status,error,spf_state,spf_record,spf_lookups,spf_void_lookups,"
	      "dmarc_state,dmarc_policy,dmarc_found_at,dmarc_record,dkim_selectors,"
	      "advice_current,advice_next,advice_record,errors,warnings,findings,"
	      "mx_hosts,mta_sts_state,mta_sts_mode,tls_rpt_state,bimi_state,"
	      "ready,report_messages,report_dmarc_pass_share,top_blocker\n",
	      r->out);
}

static void csv_result(struct dd_render *r, const struct dd_result *res)
{
	struct row row = { 0 };
	struct dd_strbuf list;
	dd_strbuf_init(&list);
	cell(&row, res->domain);
	cell(&row, res->status == DD_RESULT_ERROR ? "error" : "ok");
	cell(&row, res->error.en);
	cell(&row, dd_record_state_name(res->spf.state));
	cell_n(&row, res->spf.record, res->spf.record_len);
	cell_num(&row, res->spf.lookups, res->spf.counted);
	cell_num(&row, res->spf.void_lookups, res->spf.counted);
	cell(&row, dd_record_state_name(res->dmarc.state));
	cell(&row, res->dmarc.state == DD_STATE_FOUND ? dd_policy_name(res->dmarc.policy) : NULL);
	cell(&row, res->dmarc.found_at);
	cell_n(&row, res->dmarc.record, res->dmarc.record_len);
	for (size_t i = 0; i < res->dkim.n; i++) {
		if (i)
			dd_strbuf_addc(&list, ' ');
		dd_strbuf_adds(&list, res->dkim.v[i].selector);
	}
	cell(&row, list.s ? list.s : "");
	const struct dd_advice *a = &res->advice;
	cell(&row, a->present ? dd_stage_name(a->current) : NULL);
	cell(&row, a->present && a->has_next ? dd_stage_name(a->next) : NULL);
	cell(&row, a->record);
	long errors = 0, warnings = 0;
	dd_strbuf_finish(&list);
	for (size_t i = 0; i < res->findings.n; i++) {
		const struct dd_finding *f = &res->findings.v[i];
		errors += f->severity == DD_SEV_ERROR;
		warnings += f->severity == DD_SEV_WARNING;
		if (list.len)
			dd_strbuf_addc(&list, ' ');
		dd_strbuf_adds(&list, f->def->id);
	}
	cell_num(&row, errors, true);
	cell_num(&row, warnings, true);
	cell(&row, list.s ? list.s : "");
	/* the receiving side, appended (columns are added at the end, never moved) */
	list.len = 0;
	for (size_t i = 0; i < res->mx.nlist; i++) {
		if (i)
			dd_strbuf_addc(&list, ' ');
		dd_strbuf_adds(&list, res->mx.hosts[i].name);
	}
	cell_n(&row, list.s ? list.s : "", list.len);
	cell(&row, dd_record_state_name(res->mta_sts.state));
	cell(&row,
	     res->mta_sts.mode != DD_STS_MODE_UNSET ? dd_sts_mode_name(res->mta_sts.mode) : NULL);
	cell(&row, dd_record_state_name(res->tls_rpt.state));
	cell(&row, dd_record_state_name(res->bimi.state));
	/* the report evidence's headline: empty cells without reports */
	const struct dd_evidence *e = res->evidence;
	cell(&row, a->ready == DD_READY_YES ? "true" : a->ready == DD_READY_NO ? "false" : NULL);
	cell_num(&row, e ? (long)e->messages : 0, e != NULL);
	separate(&row);
	if (e && e->messages)
		dd_strbuf_addf(&row.b, "%.4f", (double)e->dmarc_pass / (double)e->messages);
	char *top = dd_evidence_top_blocker(e);
	cell(&row, top);
	free(top);
	fputs(row.b.s, r->out);
	fputc('\n', r->out);
	dd_strbuf_finish(&row.b);
	dd_strbuf_finish(&list);
}

const struct dd_renderer dd_render_csv = {
	.name = "csv",
	.begin = csv_begin,
	.result = csv_result,
	.end = NULL,
};
