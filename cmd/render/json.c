/*
 * json.c: the JSON contract of DESIGN.md, one object per domain:
 * "json" prints one object (an array when several domains may follow),
 * "jsonl" one object per line.
 *
 * Strings go through dd_escape_json() and into cJSON as raw values: cJSON
 * cannot carry a NUL byte or invalid UTF-8, and a TXT record can hold both.
 * Keys are part of the public contract: add, never rename.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "render/json.h"
#include "dd/render.h"

cJSON *dd_json_strn(const char *s, size_t len)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_json(&b, s, len);
	cJSON *item = cJSON_CreateRaw(b.s);
	dd_strbuf_finish(&b);
	return item;
}

cJSON *dd_json_str(const char *s)
{
	return s ? dd_json_strn(s, strlen(s)) : cJSON_CreateNull();
}

static cJSON *json_own(char *s)
{
	cJSON *item = dd_json_str(s);
	free(s);
	return item;
}

static void add_location(cJSON *obj, const char *file, uint32_t line)
{
	if (!file)
		return;
	cJSON_AddItemToObject(obj, "file", dd_json_str(file));
	cJSON_AddNumberToObject(obj, "line", line);
}

static cJSON *spf_json(const struct dd_spf_info *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "state", dd_json_str(dd_record_state_name(s->state)));
	cJSON_AddItemToObject(o, "record",
	                      s->record ? dd_json_strn(s->record, s->record_len)
	                                : cJSON_CreateNull());
	if (s->counted) {
		cJSON_AddNumberToObject(o, "lookups", s->lookups);
		cJSON_AddNumberToObject(o, "void_lookups", s->void_lookups);
	} else {
		cJSON_AddNullToObject(o, "lookups");
		cJSON_AddNullToObject(o, "void_lookups");
	}
	add_location(o, s->file, s->line);
	return o;
}

static cJSON *policy_json(enum dd_policy p)
{
	return dd_json_str(dd_policy_name(p));
}

static cJSON *dmarc_json(const struct dd_dmarc_info *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "state", dd_json_str(dd_record_state_name(d->state)));
	cJSON_AddItemToObject(o, "record",
	                      d->record ? dd_json_strn(d->record, d->record_len)
	                                : cJSON_CreateNull());
	cJSON_AddItemToObject(
	        o, "policy", policy_json(d->state == DD_STATE_FOUND ? d->policy : DD_POLICY_UNSET));
	cJSON_AddItemToObject(o, "found_at", dd_json_str(d->found_at));
	cJSON_AddBoolToObject(o, "inherited", d->inherited);
	cJSON_AddItemToObject(o, "p", policy_json(d->p));
	cJSON_AddItemToObject(o, "sp", policy_json(d->sp));
	cJSON_AddItemToObject(o, "np", policy_json(d->np));
	cJSON_AddItemToObject(o, "org_domain", dd_json_str(d->org_domain));
	add_location(o, d->file, d->line);
	return o;
}

static cJSON *dkim_json(const struct dd_dkim_info *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *sels = cJSON_AddArrayToObject(o, "selectors");
	for (size_t i = 0; i < d->n; i++) {
		const struct dd_dkim_selector *s = &d->v[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddItemToObject(j, "selector", dd_json_str(s->selector));
		cJSON_AddItemToObject(j, "provider", dd_json_str(s->provider));
		cJSON_AddItemToObject(j, "found_at", dd_json_str(s->found_at));
		cJSON_AddItemToObject(j, "record", dd_json_strn(s->record, s->record_len));
		add_location(j, s->file, s->line);
		cJSON_AddItemToArray(sels, j);
	}
	cJSON_AddNumberToObject(o, "probed", (double)d->probed);
	cJSON_AddNumberToObject(o, "failed", (double)d->failed);
	return o;
}

static cJSON *mx_json(const struct dd_mx_info *m)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "state", dd_json_str(dd_record_state_name(m->state)));
	cJSON_AddBoolToObject(o, "null_mx", m->null_mx);
	cJSON_AddNumberToObject(o, "hosts", (double)m->nhosts);
	return o;
}

static cJSON *finding_json(const struct dd_finding *f, bool baseline)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "id", dd_json_str(f->def->id));
	cJSON_AddItemToObject(o, "severity", dd_json_str(dd_severity_name(f->severity)));
	cJSON_AddItemToObject(o, "message", json_own(dd_finding_message(f, DD_LANG_EN)));
	cJSON_AddItemToObject(o, "fix", json_own(dd_finding_fix(f, DD_LANG_EN)));
	cJSON_AddItemToObject(o, "rfc", dd_json_str(f->def->rfc));
	cJSON_AddItemToObject(o, "rfc_url", dd_json_str(f->def->rfc_url));
	cJSON *ev = cJSON_AddObjectToObject(o, "evidence");
	cJSON_AddItemToObject(ev, "record", dd_json_str(f->record));
	cJSON *chain = cJSON_AddArrayToObject(ev, "chain");
	for (size_t i = 0; i < f->nchain; i++)
		cJSON_AddItemToArray(chain, dd_json_str(f->chain[i]));
	if (f->file) {
		cJSON *loc = cJSON_AddObjectToObject(o, "location");
		add_location(loc, f->file, f->line);
		if (f->column)
			cJSON_AddNumberToObject(loc, "column", f->column);
	}
	if (baseline) /* --baseline: SARIF's words for it */
		cJSON_AddItemToObject(o, "baseline", dd_json_str(f->known ? "unchanged" : "new"));
	return o;
}

static cJSON *advice_json(const struct dd_advice *a)
{
	if (!a->present)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "current", dd_json_str(dd_stage_name(a->current)));
	cJSON_AddItemToObject(
	        o, "next", a->has_next ? dd_json_str(dd_stage_name(a->next)) : cJSON_CreateNull());
	cJSON *blockers = cJSON_AddArrayToObject(o, "blockers");
	for (size_t i = 0; i < a->nblockers; i++)
		cJSON_AddItemToArray(blockers, dd_json_str(a->blockers[i]));
	cJSON *steps = cJSON_AddArrayToObject(o, "steps");
	for (size_t i = 0; i < a->nsteps; i++)
		cJSON_AddItemToArray(steps, json_own(dd_step_format(&a->steps[i], DD_LANG_EN)));
	cJSON_AddItemToObject(o, "record", dd_json_str(a->record));
	cJSON_AddItemToObject(o, "record_name", dd_json_str(a->record_name));
	return o;
}

static const char *source_name(enum dd_source s)
{
	switch (s) {
	case DD_SOURCE_LIVE: return "live";
	case DD_SOURCE_ZONE: return "zone";
	case DD_SOURCE_FIXTURE: return "fixture";
	case DD_SOURCE_NONE: return "none";
	}
	return "none";
}

/* --verbose: every question asked and its answer (the posture). */
static cJSON *queries_json(const struct dd_posture *p)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; p && i < p->nqueries; i++) {
		const struct dd_query *q = &p->queries[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "name", dd_json_str(q->name));
		cJSON_AddItemToObject(o, "type", dd_json_str(dd_rrtype_name(q->type)));
		cJSON_AddNumberToObject(o, "depth", q->depth);
		const struct dd_answer *a = q->answer;
		cJSON_AddItemToObject(
		        o, "status", dd_json_str(a ? dd_dns_status_name(a->status) : "unanswered"));
		if (a)
			cJSON_AddItemToObject(o, "source", dd_json_str(source_name(a->source)));
		if (a && a->ncnames) {
			cJSON *c = cJSON_AddArrayToObject(o, "cnames");
			for (size_t k = 0; k < a->ncnames; k++)
				cJSON_AddItemToArray(c, dd_json_str(a->cnames[k]));
		}
		cJSON *ans = cJSON_AddArrayToObject(o, "answers");
		for (size_t k = 0; a && k < a->nrrs; k++) {
			cJSON *rr = cJSON_CreateObject();
			cJSON_AddItemToObject(rr, "data",
			                      dd_json_strn(a->rrs[k].data, a->rrs[k].len));
			cJSON_AddNumberToObject(rr, "ttl", a->rrs[k].ttl);
			if (q->type == DD_RR_MX)
				cJSON_AddNumberToObject(rr, "preference", a->rrs[k].pref);
			if (a->source == DD_SOURCE_ZONE)
				add_location(rr, a->rrs[k].file ? a->rrs[k].file : a->file,
				             a->rrs[k].line);
			cJSON_AddItemToArray(ans, rr);
		}
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

cJSON *dd_json_result(const struct dd_result *r, bool verbose, bool baseline)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "domain", dd_json_str(r->domain));
	if (strcmp(r->domain, r->display) != 0)
		cJSON_AddItemToObject(o, "input", dd_json_str(r->display));
	bool error = r->status == DD_RESULT_ERROR;
	cJSON_AddItemToObject(o, "status", dd_json_str(error ? "error" : "ok"));
	cJSON_AddItemToObject(o, "error", dd_json_str(r->error));
	cJSON_AddBoolToObject(o, "undetermined", r->undetermined);
	cJSON_AddItemToObject(o, "spf", spf_json(&r->spf));
	cJSON_AddItemToObject(o, "dmarc", dmarc_json(&r->dmarc));
	cJSON_AddItemToObject(o, "dkim", dkim_json(&r->dkim));
	cJSON_AddItemToObject(o, "mx", mx_json(&r->mx));
	cJSON *fs = cJSON_AddArrayToObject(o, "findings");
	for (size_t i = 0; i < r->findings.n; i++)
		cJSON_AddItemToArray(fs, finding_json(&r->findings.v[i], baseline));
	cJSON_AddItemToObject(o, "advice", advice_json(&r->advice));
	if (verbose)
		cJSON_AddItemToObject(o, "queries", queries_json(r->posture));
	return o;
}

static void json_begin(struct dd_render *r)
{
	if (r->opts.many)
		fputs("[\n", r->out);
}

static void json_result(struct dd_render *r, const struct dd_result *res)
{
	cJSON *o = dd_json_result(res, r->opts.verbose, r->opts.baseline);
	char *s = cJSON_Print(o);
	if (r->opts.many && r->count)
		fputs(",\n", r->out);
	fputs(s, r->out);
	if (!r->opts.many)
		fputc('\n', r->out);
	free(s);
	cJSON_Delete(o);
}

static void json_end(struct dd_render *r, const struct dd_run_summary *sum)
{
	(void)sum;
	if (r->opts.many)
		fputs(r->count ? "\n]\n" : "]\n", r->out);
}

const struct dd_renderer dd_render_json = {
	.name = "json",
	.begin = json_begin,
	.result = json_result,
	.end = json_end,
};

static void jsonl_result(struct dd_render *r, const struct dd_result *res)
{
	cJSON *o = dd_json_result(res, r->opts.verbose, r->opts.baseline);
	char *s = cJSON_PrintUnformatted(o);
	fputs(s, r->out);
	fputc('\n', r->out);
	free(s);
	cJSON_Delete(o);
}

const struct dd_renderer dd_render_jsonl = {
	.name = "jsonl",
	.begin = NULL,
	.result = jsonl_result,
	.end = NULL,
};
