/*
 * json_mail.c: the JSON of the receiving-side areas - mta_sts, tls_rpt,
 * bimi - and, with --verbose, every HTTPS fetch (`fetches`). Keys are
 * added, never renamed (README.md, "MTA-STS, TLS-RPT and BIMI").
 */
#include <stdio.h>
#include <time.h>

#include "render/json.h"

static cJSON *num_or_null(bool known, int64_t v)
{
	return known ? dd_json_int(v) : cJSON_CreateNull();
}

static cJSON *list(char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, dd_json_str(v[i]));
	return a;
}

static cJSON *mta_sts_json(const struct dd_mta_sts_info *m)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "state", dd_json_str(dd_record_state_name(m->state)));
	cJSON_AddItemToObject(o, "record", dd_json_str(m->record));
	cJSON_AddItemToObject(o, "id", dd_json_str(m->id));
	cJSON_AddItemToObject(o, "policy_url", dd_json_str(m->policy_url));
	bool asked = m->policy_url != NULL;
	cJSON_AddItemToObject(o, "policy_state",
	                      asked ? dd_json_str(dd_record_state_name(m->policy_state))
	                            : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "fetch",
	                      asked ? dd_json_str(dd_fetch_status_name(m->fetch_status))
	                            : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "http_status", num_or_null(m->http_code > 0, m->http_code));
	bool moded = m->mode != DD_STS_MODE_UNSET;
	cJSON_AddItemToObject(o, "mode",
	                      moded ? dd_json_str(dd_sts_mode_name(m->mode)) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "max_age", num_or_null(m->max_age >= 0, m->max_age));
	cJSON_AddItemToObject(o, "mx", list(m->mx, m->nmx));
	cJSON_AddItemToObject(o, "unmatched_mx", list(m->unmatched, m->nunmatched));
	return o;
}

static cJSON *tls_rpt_json(const struct dd_tls_rpt_info *t)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "state", dd_json_str(dd_record_state_name(t->state)));
	cJSON_AddItemToObject(o, "record", dd_json_str(t->record));
	cJSON_AddItemToObject(o, "rua", list(t->rua, t->nrua));
	return o;
}

static cJSON *bimi_json(const struct dd_bimi_info *b)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "state", dd_json_str(dd_record_state_name(b->state)));
	cJSON_AddItemToObject(o, "selector", dd_json_str(b->selector));
	cJSON_AddItemToObject(o, "found_at", dd_json_str(b->found_at));
	cJSON_AddItemToObject(o, "record", dd_json_str(b->record));
	cJSON_AddBoolToObject(o, "dmarc_allows", b->dmarc_allows);
	cJSON_AddBoolToObject(o, "declined", b->declined);
	cJSON_AddItemToObject(o, "logo_url", dd_json_str(b->logo_url));
	cJSON_AddItemToObject(o, "logo_fetch",
	                      b->logo_url ? dd_json_str(dd_fetch_status_name(b->logo_fetch))
	                                  : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "logo_ok",
	                      b->logo_checked ? cJSON_CreateBool(b->logo_ok) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "authority_url", dd_json_str(b->authority_url));
	cJSON_AddItemToObject(o, "authority_fetch",
	                      b->authority_url ? dd_json_str(dd_fetch_status_name(b->cert_fetch))
	                                       : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "authority_ok",
	                      b->cert_checked ? cJSON_CreateBool(b->cert_ok) : cJSON_CreateNull());
	char date[32] = "";
	if (b->cert_not_after) {
		time_t t = (time_t)b->cert_not_after;
		struct tm tm;
		if (gmtime_r(&t, &tm))
			strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	cJSON_AddItemToObject(o, "authority_not_after", dd_json_str(date[0] ? date : NULL));
	return o;
}

void dd_json_mail(cJSON *o, const struct dd_result *r)
{
	cJSON_AddItemToObject(o, "mta_sts", mta_sts_json(&r->mta_sts));
	cJSON_AddItemToObject(o, "tls_rpt", tls_rpt_json(&r->tls_rpt));
	cJSON_AddItemToObject(o, "bimi", bimi_json(&r->bimi));
}

cJSON *dd_json_fetches(const struct dd_posture *p)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; p && i < p->nfetches; i++) {
		const struct dd_fetch *f = &p->fetches[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "url", dd_json_str(f->url));
		cJSON_AddItemToObject(o, "status", dd_json_str(dd_fetch_status_name(f->status)));
		cJSON_AddItemToObject(o, "http_status",
		                      num_or_null(f->http_code > 0, f->http_code));
		cJSON_AddItemToObject(o, "content_type", dd_json_str(f->content_type));
		dd_json_add_int(o, "bytes", (int64_t)f->body_len);
		cJSON_AddItemToObject(o, "error", dd_json_str(f->error));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}
