/*
 * json_evidence.c: the "evidence" object of the JSON contract (DESIGN.md
 * "Reports and evidence"). Keys are added, never renamed. Report text
 * (names, domains, addresses) goes through the JSON escaper: a report is
 * untrusted input.
 */
#include <stdlib.h>
#include <time.h>

#include "render/evidence.h"
#include "render/json.h"

static cJSON *list_json(const struct dd_strlist *l)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < l->n; i++)
		cJSON_AddItemToArray(a, dd_json_str(l->v[i]));
	return a;
}

static cJSON *date_json(int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		return cJSON_CreateNull();
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return cJSON_CreateString(buf);
}

static cJSON *sender_json(const struct dd_evidence *e, const struct dd_evidence_sender *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "name", dd_json_str(s->name));
	cJSON_AddItemToObject(o, "class", dd_json_str(dd_sender_class_name(s->cls)));
	cJSON_AddItemToObject(o, "basis", dd_json_str(s->basis));
	cJSON_AddItemToObject(o, "subdomain", dd_json_str(s->subdomain));
	cJSON_AddItemToObject(o, "service", dd_json_str(s->service ? s->service->name : NULL));
	cJSON_AddItemToObject(o, "identified_by", dd_json_str(s->identified_by));
	dd_json_add_int(o, "messages", (int64_t)s->messages);
	dd_json_add_int(o, "dmarc_pass", (int64_t)s->dmarc_pass);
	dd_json_add_int(o, "spf_aligned", (int64_t)s->spf_aligned);
	dd_json_add_int(o, "dkim_aligned", (int64_t)s->dkim_aligned);
	dd_json_add_int(o, "reporter_pass", (int64_t)s->reporter_pass);
	dd_json_add_int(o, "disagree", (int64_t)s->disagree);
	dd_json_add_int(o, "would_fail", (int64_t)s->would_fail);
	cJSON_AddBoolToObject(o, "blocks", s->blocks);
	cJSON_AddItemToObject(o, "dkim_domains", list_json(&s->dkim_domains));
	cJSON_AddItemToObject(o, "spf_domains", list_json(&s->spf_domains));
	cJSON_AddItemToObject(o, "sources", list_json(&s->sources));
	char *fix = dd_evidence_fix(e, s, DD_LANG_EN);
	cJSON_AddItemToObject(o, "fix", fix ? dd_json_str(fix) : cJSON_CreateNull());
	free(fix);
	cJSON_AddItemToObject(o, "problem",
	                      dd_json_str(s->cls == DD_CLASS_FIXABLE ? s->fix_detail : NULL));
	cJSON_AddItemToObject(
	        o, "fix_source",
	        dd_json_str(s->service && s->cls == DD_CLASS_FIXABLE ? s->service->source : NULL));
	return o;
}

cJSON *dd_json_evidence(const struct dd_evidence *e)
{
	if (!e)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "domain", dd_json_str(e->domain));
	cJSON *w = cJSON_AddObjectToObject(o, "window");
	cJSON_AddItemToObject(w, "from", date_json(e->from));
	cJSON_AddItemToObject(w, "to", date_json(e->to));
	dd_json_add_int(w, "days", (int64_t)((e->to - e->from + 86399) / 86400));
	dd_json_add_int(w, "covered_days", e->days);
	dd_json_add_int(o, "reports", (int64_t)e->reports);
	dd_json_add_int(o, "reports_outside_window", (int64_t)e->ignored);
	dd_json_add_int(o, "reporters", (int64_t)e->reporters);
	dd_json_add_int(o, "messages", (int64_t)e->messages);
	dd_json_add_int(o, "dmarc_pass", (int64_t)e->dmarc_pass);
	dd_json_add_int(o, "reporter_pass", (int64_t)e->reporter_pass);
	dd_json_add_int(o, "disagree", (int64_t)e->disagree);
	dd_json_add_int(o, "would_fail", (int64_t)(e->messages - e->dmarc_pass));
	cJSON *by = cJSON_AddObjectToObject(o, "by_class");
	for (int c = DD_CLASS_ALIGNED; c <= DD_CLASS_UNAUTHENTICATED; c++)
		dd_json_add_int(by, dd_sender_class_name((enum dd_sender_class)c),
		                (int64_t)e->by_class[c]);
	cJSON_AddBoolToObject(o, "enough_data", e->enough);
	cJSON *seen = cJSON_AddObjectToObject(o, "policy_seen");
	cJSON_AddItemToObject(seen, "p", dd_json_str(e->seen_policy));
	cJSON_AddBoolToObject(seen, "testing", e->seen_testing);
	cJSON_AddItemToObject(seen, "until", date_json(e->seen_at));
	dd_json_add_int(seen, "quarantine_days", e->quarantine_days);
	dd_json_add_int(seen, "testing_days", e->testing_days);
	cJSON *senders = cJSON_AddArrayToObject(o, "senders");
	for (size_t i = 0; i < e->nsenders; i++)
		cJSON_AddItemToArray(senders, sender_json(e, &e->senders[i]));
	cJSON_AddItemToObject(o, "selectors", list_json(&e->selectors));
	return o;
}

cJSON *dd_json_ready(enum dd_ready ready)
{
	switch (ready) {
	case DD_READY_YES: return cJSON_CreateTrue();
	case DD_READY_NO: return cJSON_CreateFalse();
	case DD_READY_UNKNOWN: break;
	}
	return cJSON_CreateNull();
}
