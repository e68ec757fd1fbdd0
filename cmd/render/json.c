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

#include "render/evidence.h"
#include "render/json.h"
#include "render/json_arena.h"
#include "dd/render.h"

/* Most strings need no escape (dd_escape_json_plain): quoted on the stack
 * and copied once by cJSON; a strbuf grown for each was ~1 400
 * instructions a string, a tenth of a batch's JSON (callgrind). */
cJSON *dd_json_strn(const char *s, size_t len)
{
	char quoted[256];
	if (len + 3 <= sizeof(quoted) && dd_escape_json_plain(s, len) == len) {
		quoted[0] = '"';
		memcpy(quoted + 1, s, len);
		quoted[len + 1] = '"';
		quoted[len + 2] = '\0';
		return cJSON_CreateRaw(quoted);
	}
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

/* cJSON 1.7.15 prints every number with "%1.15g" and reads it back with
 * sscanf to check the round trip, some 3 000 instructions a number; the
 * evidence alone has about 80 a domain. An integer's digits written here
 * are the ones %1.15g gives (below 10^15: no count comes near). */
cJSON *dd_json_int(int64_t v)
{
	char digits[24], *p = digits + sizeof(digits);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	*--p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return cJSON_CreateRaw(p);
}

void dd_json_add_int(cJSON *o, const char *key, int64_t v)
{
	cJSON_AddItemToObject(o, key, dd_json_int(v));
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
	dd_json_add_int(obj, "line", line);
}

/* The expanded SPF tree: each include/redirect target with its own cost. */
static cJSON *spf_node_json(const struct dd_spf_node *n)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "name", dd_json_str(n->name));
	cJSON_AddItemToObject(o, "term", dd_json_str(n->term));
	cJSON_AddItemToObject(o, "via",
	                      dd_json_str(!n->term      ? "root"
	                                  : n->redirect ? "redirect"
	                                                : "include"));
	cJSON_AddItemToObject(o, "status", dd_json_str(dd_spf_node_status_name(n->status)));
	cJSON_AddItemToObject(o, "record",
	                      n->record ? dd_json_strn(n->record, n->record_len)
	                                : cJSON_CreateNull());
	dd_json_add_int(o, "lookups", n->lookups);
	dd_json_add_int(o, "own_lookups", n->own_lookups);
	dd_json_add_int(o, "void_lookups", n->void_lookups);
	cJSON_AddBoolToObject(o, "lower_bound", n->lower_bound);
	cJSON *voids = cJSON_AddArrayToObject(o, "voids");
	for (size_t i = 0; i < n->nvoids; i++)
		cJSON_AddItemToArray(voids, dd_json_str(n->voids[i].en));
	cJSON *children = cJSON_AddArrayToObject(o, "children");
	for (size_t i = 0; i < n->nchildren; i++)
		cJSON_AddItemToArray(children, spf_node_json(&n->children[i]));
	return o;
}

/* --ip: check_host() for one client, as a receiver evaluates it. */
static cJSON *check_host_json(const struct dd_spf_verdict *v)
{
	if (!v->evaluated)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "ip", dd_json_str(v->ip));
	cJSON_AddItemToObject(o, "sender", dd_json_str(v->sender));
	cJSON_AddItemToObject(o, "helo", dd_json_str(v->helo));
	cJSON_AddItemToObject(o, "result", dd_json_str(dd_spf_result_name(v->result)));
	const struct dd_spf_step *last = v->npath ? &v->path[v->npath - 1] : NULL;
	cJSON_AddItemToObject(o, "term", dd_json_str(last ? last->term : NULL));
	cJSON_AddItemToObject(o, "term_domain", dd_json_str(last ? last->domain : NULL));
	cJSON *path = cJSON_AddArrayToObject(o, "path");
	for (size_t i = 0; i < v->npath; i++) {
		cJSON *step = cJSON_CreateObject();
		cJSON_AddItemToObject(step, "domain", dd_json_str(v->path[i].domain));
		cJSON_AddItemToObject(step, "term", dd_json_str(v->path[i].term));
		cJSON_AddItemToArray(path, step);
	}
	cJSON_AddItemToObject(o, "explanation", dd_json_str(v->explanation));
	cJSON_AddItemToObject(o, "reason", dd_json_str(v->reason.en));
	dd_json_add_int(o, "lookups", v->lookups);
	dd_json_add_int(o, "void_lookups", v->void_lookups);
	cJSON_AddBoolToObject(o, "incomplete", v->incomplete);
	return o;
}

static cJSON *strings_json(char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, dd_json_str(v[i]));
	return a;
}

static cJSON *result_name_json(enum dd_spf_result r, bool unknown)
{
	return dd_json_str(unknown ? "unknown" : dd_spf_result_name(r));
}

/* The proposed record of SPF repair (checks/spf_repair.c) and its proof. */
static cJSON *repair_json(const struct dd_spf_repair *rp)
{
	if (!rp)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "record", dd_json_strn(rp->record, rp->record_len));
	dd_json_add_int(o, "lookups", rp->lookups);
	dd_json_add_int(o, "void_lookups", rp->void_lookups);
	cJSON_AddBoolToObject(o, "lower_bound", rp->lower_bound);
	cJSON_AddBoolToObject(o, "within_limits", rp->within_limits);
	dd_json_add_int(o, "length", (int64_t)rp->record_len);
	cJSON_AddBoolToObject(o, "too_long", rp->too_long);
	dd_json_add_int(o, "strings", (int64_t)rp->nstrings);
	cJSON *changes = cJSON_AddArrayToObject(o, "changes");
	for (size_t i = 0; i < rp->nchanges; i++) {
		const struct dd_spf_change *c = &rp->changes[i];
		cJSON *ch = cJSON_CreateObject();
		cJSON_AddItemToObject(ch, "kind", dd_json_str(dd_spf_change_kind_name(c->kind)));
		cJSON_AddItemToObject(ch, "removed", strings_json(c->removed, c->nremoved));
		cJSON_AddItemToObject(ch, "added", strings_json(c->added, c->nadded));
		cJSON_AddItemToObject(ch, "why",
		                      json_own(dd_text_format(c->why, DD_LANG_EN, c->args, 4)));
		if (c->kind == DD_SPF_CH_INLINE_INCLUDE || c->kind == DD_SPF_CH_INLINE_REDIRECT) {
			dd_json_add_int(ch, "ttl", c->ttl == UINT32_MAX ? 0 : c->ttl);
			dd_json_add_int(ch, "ranges", (int64_t)c->ranges);
			cJSON_AddItemToObject(ch, "provider", dd_json_str(c->provider));
			cJSON_AddItemToObject(ch, "provider_url", dd_json_str(c->provider_url));
		}
		if (c->kind == DD_SPF_CH_INLINE_MX) {
			dd_json_add_int(ch, "ttl", c->ttl == UINT32_MAX ? 0 : c->ttl);
			dd_json_add_int(ch, "ranges", (int64_t)c->ranges);
			dd_json_add_int(ch, "hosts", (int64_t)c->hosts);
		}
		cJSON_AddItemToArray(changes, ch);
	}
	cJSON_AddItemToObject(o, "risk", dd_json_str(dd_spf_risk_name(rp->risk)));
	const struct dd_spf_proof *pr = &rp->proof;
	cJSON *proof = cJSON_AddObjectToObject(o, "proof");
	cJSON_AddBoolToObject(proof, "equal", pr->equal);
	cJSON_AddItemToObject(proof, "added", strings_json(pr->added, pr->nadded));
	cJSON_AddItemToObject(proof, "removed", strings_json(pr->removed, pr->nremoved));
	cJSON *changed = cJSON_AddArrayToObject(proof, "changed");
	for (size_t i = 0; i < pr->nchanged; i++) {
		const struct dd_spf_result_change *c = &pr->changed[i];
		cJSON *ch = cJSON_CreateObject();
		cJSON_AddItemToObject(ch, "from", result_name_json(c->from, c->from_unknown));
		cJSON_AddItemToObject(ch, "to", result_name_json(c->to, c->to_unknown));
		cJSON_AddItemToObject(ch, "ranges", strings_json(c->ranges, c->nranges));
		cJSON_AddItemToArray(changed, ch);
	}
	cJSON_AddItemToObject(proof, "unprovable", strings_json(pr->unprovable, pr->nunprovable));
	cJSON_AddItemToObject(o, "zone_line", dd_json_str(rp->zone_line));
	cJSON_AddItemToObject(o, "replaces", dd_json_str(rp->old_zone_line));
	cJSON_AddItemToObject(o, "alternative", dd_json_str(rp->alternative));
	add_location(o, rp->file, rp->line);
	return o;
}

static cJSON *spf_json(const struct dd_spf_info *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "state", dd_json_str(dd_record_state_name(s->state)));
	cJSON_AddItemToObject(o, "record",
	                      s->record ? dd_json_strn(s->record, s->record_len)
	                                : cJSON_CreateNull());
	if (s->counted) {
		dd_json_add_int(o, "lookups", s->lookups);
		dd_json_add_int(o, "void_lookups", s->void_lookups);
	} else {
		cJSON_AddNullToObject(o, "lookups");
		cJSON_AddNullToObject(o, "void_lookups");
	}
	add_location(o, s->file, s->line);
	cJSON_AddBoolToObject(o, "lower_bound", s->lower_bound);
	cJSON_AddItemToObject(o, "all", dd_json_str(s->all));
	cJSON_AddItemToObject(o, "tree", s->tree ? spf_node_json(s->tree) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "check_host", check_host_json(&s->check_host));
	cJSON_AddItemToObject(o, "repair", repair_json(s->repair));
	return o;
}

static cJSON *policy_json(enum dd_policy p)
{
	return dd_json_str(dd_policy_name(p));
}

/*
 * Added with the DMARC checker (issue 5): test mode, the CNAME target, the
 * view of RFC 7489 receivers (Public Suffix List) and the report destinations.
 */
static void dmarc_more_json(cJSON *o, const struct dd_dmarc_info *d)
{
	cJSON_AddBoolToObject(o, "testing", d->t == 'y');
	cJSON_AddItemToObject(o, "via_cname", dd_json_str(d->cname_target));
	cJSON_AddItemToObject(o, "psl_org_domain", dd_json_str(d->psl_org_domain));
	if (d->rfc7489_known) {
		cJSON *v = cJSON_AddObjectToObject(o, "rfc7489");
		cJSON_AddItemToObject(v, "policy", policy_json(d->rfc7489_policy));
		cJSON_AddItemToObject(v, "found_at", dd_json_str(d->rfc7489_found_at));
	} else {
		cJSON_AddNullToObject(o, "rfc7489");
	}
	cJSON *dests = cJSON_AddArrayToObject(o, "destinations");
	for (size_t i = 0; i < d->ndests; i++) {
		const struct dd_dmarc_dest *x = &d->dests[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddItemToObject(j, "tag", dd_json_str(x->ruf ? "ruf" : "rua"));
		cJSON_AddItemToObject(j, "uri", dd_json_str(x->uri));
		cJSON_AddItemToObject(j, "domain", dd_json_str(x->host));
		cJSON_AddBoolToObject(j, "external", x->external);
		cJSON_AddItemToObject(j, "authorization",
		                      dd_json_str(dd_report_auth_name(x->auth)));
		cJSON_AddItemToObject(j, "authorization_name", dd_json_str(x->auth_name));
		cJSON_AddItemToObject(j, "receives_mail",
		                      dd_json_str(dd_report_mail_name(x->mail)));
		cJSON_AddItemToArray(dests, j);
	}
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
	dmarc_more_json(o, d);
	return o;
}

static cJSON *string_list(char *const *v, size_t n)
{
	if (!v)
		return cJSON_CreateNull();
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, dd_json_str(v[i]));
	return a;
}

static cJSON *dkim_selector_json(const struct dd_dkim_selector *s)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddItemToObject(j, "selector", dd_json_str(s->selector));
	cJSON_AddItemToObject(j, "provider", dd_json_str(s->provider));
	cJSON_AddItemToObject(j, "provider_basis", dd_json_str(s->provider_basis));
	cJSON_AddItemToObject(j, "found_at", dd_json_str(s->found_at));
	cJSON_AddBoolToObject(j, "cname", s->cname);
	cJSON_AddBoolToObject(j, "wildcard", s->wildcard);
	cJSON_AddItemToObject(j, "key_type", dd_json_str(s->key_type));
	if (s->key_bits)
		dd_json_add_int(j, "key_bits", s->key_bits);
	else
		cJSON_AddNullToObject(j, "key_bits");
	cJSON_AddItemToObject(j, "key_encoding", dd_json_str(s->key_encoding));
	cJSON_AddBoolToObject(j, "testing", s->testing);
	cJSON_AddBoolToObject(j, "revoked", s->revoked);
	cJSON_AddBoolToObject(j, "malformed", s->malformed);
	cJSON_AddItemToObject(j, "hash_algorithms",
	                      string_list(s->hash_algorithms, s->nhash_algorithms));
	cJSON_AddItemToObject(j, "flags", string_list(s->flags, s->nflags));
	cJSON_AddItemToObject(j, "service_types", string_list(s->service_types, s->nservice_types));
	cJSON_AddItemToObject(j, "notes", dd_json_str(s->notes));
	cJSON_AddItemToObject(j, "record", dd_json_strn(s->record, s->record_len));
	add_location(j, s->file, s->line);
	return j;
}

static cJSON *dkim_json(const struct dd_dkim_info *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "state", dd_json_str(dd_record_state_name(d->state)));
	cJSON *sels = cJSON_AddArrayToObject(o, "selectors");
	for (size_t i = 0; i < d->n; i++)
		cJSON_AddItemToArray(sels, dkim_selector_json(&d->v[i]));
	dd_json_add_int(o, "probed", (int64_t)d->probed);
	dd_json_add_int(o, "failed", (int64_t)d->failed);
	dd_json_add_int(o, "usable", (int64_t)d->usable);
	cJSON_AddBoolToObject(o, "wildcard", d->wildcard);
	cJSON_AddItemToObject(o, "domainkey", dd_json_str(d->domainkey));
	cJSON *ung = cJSON_AddArrayToObject(o, "unguessable");
	for (size_t i = 0; i < dd_dkim_unguessable_count(); i++)
		cJSON_AddItemToArray(ung, dd_json_str(dd_dkim_unguessable_provider(i)));
	cJSON_AddItemToObject(o, "note", json_own(dd_dkim_coverage_note(d, DD_LANG_EN)));
	return o;
}

static cJSON *mx_json(const struct dd_mx_info *m)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "state", dd_json_str(dd_record_state_name(m->state)));
	cJSON_AddBoolToObject(o, "null_mx", m->null_mx);
	dd_json_add_int(o, "hosts", (int64_t)m->nhosts);
	/* `hosts` stays the count (the contract); the hosts themselves: */
	cJSON *list = cJSON_AddArrayToObject(o, "host_list");
	for (size_t i = 0; i < m->nlist; i++) {
		const struct dd_mx_host *h = &m->hosts[i];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddItemToObject(e, "name", dd_json_str(h->name));
		dd_json_add_int(e, "preference", h->pref);
		cJSON_AddItemToObject(e, "addresses",
		                      dd_json_str(dd_record_state_name(h->addr_state)));
		dd_json_add_int(e, "a", (int64_t)h->nv4);
		dd_json_add_int(e, "aaaa", (int64_t)h->nv6);
		cJSON_AddItemToObject(e, "cname", dd_json_str(h->cname));
		cJSON_AddBoolToObject(e, "ip_literal", h->ip_literal);
		cJSON_AddBoolToObject(e, "duplicate", h->duplicate);
		if (h->line)
			add_location(e, h->file, h->line);
		cJSON_AddItemToArray(list, e);
	}
	return o;
}

static cJSON *finding_json(const struct dd_finding *f, bool baseline)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "id", dd_json_str(f->def->id));
	cJSON_AddItemToObject(o, "severity", dd_json_str(dd_severity_name(f->severity)));
	cJSON_AddItemToObject(o, "message", json_own(dd_finding_message(f, DD_LANG_EN)));
	cJSON_AddItemToObject(o, "fix", json_own(dd_finding_fix(f, DD_LANG_EN)));
	cJSON_AddItemToObject(o, "rfc", dd_json_str(dd_finding_rfc(f)));
	cJSON_AddItemToObject(o, "rfc_url", dd_json_str(dd_finding_rfc_url(f)));
	cJSON *ev = cJSON_AddObjectToObject(o, "evidence");
	cJSON_AddItemToObject(ev, "record", dd_json_str(f->record));
	cJSON *chain = cJSON_AddArrayToObject(ev, "chain");
	for (size_t i = 0; i < f->nchain; i++)
		cJSON_AddItemToArray(chain, dd_json_str(f->chain[i]));
	if (f->file) {
		cJSON *loc = cJSON_AddObjectToObject(o, "location");
		add_location(loc, f->file, f->line);
		if (f->column)
			dd_json_add_int(loc, "column", f->column);
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
	cJSON_AddItemToObject(o, "ready", dd_json_ready(a->ready));
	cJSON_AddItemToObject(o, "ready_reason",
	                      a->ready_why.text
	                              ? json_own(dd_step_format(&a->ready_why, DD_LANG_EN))
	                              : cJSON_CreateNull());
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
		dd_json_add_int(o, "depth", q->depth);
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
			dd_json_add_int(rr, "ttl", a->rrs[k].ttl);
			if (q->type == DD_RR_MX)
				dd_json_add_int(rr, "preference", a->rrs[k].pref);
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
	cJSON_AddItemToObject(o, "error", dd_json_str(r->error.en));
	cJSON_AddBoolToObject(o, "undetermined", r->undetermined);
	cJSON_AddItemToObject(o, "spf", spf_json(&r->spf));
	cJSON_AddItemToObject(o, "dmarc", dmarc_json(&r->dmarc));
	cJSON_AddItemToObject(o, "dkim", dkim_json(&r->dkim));
	cJSON_AddItemToObject(o, "mx", mx_json(&r->mx));
	dd_json_mail(o, r);
	cJSON_AddItemToObject(o, "dnssec", dd_json_dnssec(&r->dnssec));
	cJSON_AddItemToObject(o, "dane", dd_json_dane(&r->dane));
	cJSON *fs = cJSON_AddArrayToObject(o, "findings");
	for (size_t i = 0; i < r->findings.n; i++)
		cJSON_AddItemToArray(fs, finding_json(&r->findings.v[i], baseline));
	/* past DD_FINDINGS_PER_ID findings of one id, the rest are only counted */
	dd_json_add_int(o, "findings_suppressed", (int64_t)r->findings.suppressed);
	cJSON_AddItemToObject(o, "advice", advice_json(&r->advice));
	cJSON_AddItemToObject(o, "evidence", dd_json_evidence(r->evidence));
	if (verbose) {
		cJSON_AddItemToObject(o, "queries", queries_json(r->posture));
		cJSON_AddItemToObject(o, "fetches", dd_json_fetches(r->posture));
	}
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
	dd_json_arena_begin(); /* the batch format: one arena a line (json_arena.h) */
	cJSON *o = dd_json_result(res, r->opts.verbose, r->opts.baseline);
	/* one buffer for every line of the batch: the judge's thread alone writes */
	static struct dd_strbuf line;
	line.len = 0;
	dd_json_print(o, &line);
	dd_strbuf_addc(&line, '\n');
	fwrite(line.s, 1, line.len, r->out);
	dd_json_arena_end(); /* frees o */
}

const struct dd_renderer dd_render_jsonl = {
	.name = "jsonl",
	.begin = NULL,
	.result = jsonl_result,
	.end = NULL,
};
