/*
 * dkim.c: DKIM key records at the probed selectors (RFC 6376 §3.6.2).
 *
 * Judges: which selectors hold a key record ("v=DKIM1" first, or a "p="
 * tag), after CNAMEs (Microsoft 365 delegates selectors by CNAME).
 * Ignores: TXT records at a selector that are not key records - a wildcard
 * TXT at the apex answers every probe with, say, the SPF record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/parse.h"
#include "dd/util.h"

static bool selector_name(const char *selector, const char *domain, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%s._domainkey.%s", selector, domain);
	return n > 0 && (size_t)n < outsz;
}

static void probe(const struct dd_posture *p, const char *selector, struct dd_wants *out)
{
	char name[DD_NAME_MAX + 16];
	if (selector_name(selector, p->domain, name, sizeof(name)))
		dd_wants_add(out, name, DD_RR_TXT);
}

static void dkim_wants(const struct dd_posture *p, struct dd_wants *out)
{
	for (size_t i = 0; i < dd_dkim_builtin_count(); i++)
		probe(p, dd_dkim_builtin_selector(i), out);
	for (size_t i = 0; p->opts && i < p->opts->nselectors; i++)
		probe(p, p->opts->selectors[i], out);
}

/* A DKIM key record: v=DKIM1 first (RFC 6376 §3.6.1 says it MUST be first
 * when present), or no v= at all but a p= tag. */
static bool is_key_record(const char *txt, size_t len)
{
	struct dd_taglist tl;
	dd_taglist_parse(txt, len, &tl);
	if (tl.n == 0)
		return false;
	const struct dd_tag *first = &tl.tags[0];
	if (first->name_len == 1 && first->name[0] == 'v')
		return first->value_len == 5 && memcmp(first->value, "DKIM1", 5) == 0;
	return dd_taglist_get(&tl, "p") != NULL;
}

static void add_selector(struct dd_dkim_info *info, const char *selector, const char *provider,
                         const struct dd_answer *ans, const struct dd_rr *rr)
{
	info->v = xrealloc(info->v, (info->n + 1) * sizeof(*info->v));
	struct dd_dkim_selector *s = &info->v[info->n++];
	memset(s, 0, sizeof(*s));
	s->selector = xstrdup(selector);
	s->provider = provider;
	s->found_at = xstrdup(dd_answer_owner(ans));
	s->record = xstrndup(rr->data, rr->len);
	s->record_len = rr->len;
	if (ans->source == DD_SOURCE_ZONE) {
		s->file = ans->file;
		s->line = rr->line;
	}
}

static void judge_selector(const struct dd_posture *p, const char *selector, const char *provider,
                           struct dd_dkim_info *info)
{
	char name[DD_NAME_MAX + 16];
	if (!selector_name(selector, p->domain, name, sizeof(name)))
		return;
	const struct dd_answer *ans = dd_posture_answer(p, name, DD_RR_TXT);
	if (!ans)
		return;
	info->probed++;
	if (dd_dns_status_is_failure(ans->status)) {
		info->failed++;
		return;
	}
	for (size_t i = 0; i < ans->nrrs; i++) {
		if (is_key_record(ans->rrs[i].data, ans->rrs[i].len)) {
			add_selector(info, selector, provider, ans, &ans->rrs[i]);
			return;
		}
	}
}

static bool is_builtin(const char *selector)
{
	for (size_t i = 0; i < dd_dkim_builtin_count(); i++)
		if (dd_strcaseeq(dd_dkim_builtin_selector(i), selector))
			return true;
	return false;
}

static void dkim_judge(const struct dd_posture *p, struct dd_result *r)
{
	for (size_t i = 0; i < dd_dkim_builtin_count(); i++)
		judge_selector(p, dd_dkim_builtin_selector(i), dd_dkim_builtin_provider(i),
		               &r->dkim);
	for (size_t i = 0; p->opts && i < p->opts->nselectors; i++)
		if (!is_builtin(p->opts->selectors[i]))
			judge_selector(p, p->opts->selectors[i], NULL, &r->dkim);
}

const struct dd_check dd_check_dkim = {
	.name = "dkim",
	.wants = dkim_wants,
	.follow = NULL,
	.judge = dkim_judge,
};

void dd_dkim_info_finish(struct dd_dkim_info *info)
{
	for (size_t i = 0; i < info->n; i++) {
		free(info->v[i].selector);
		free(info->v[i].found_at);
		free(info->v[i].record);
	}
	free(info->v);
	memset(info, 0, sizeof(*info));
}
