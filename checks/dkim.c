/*
 * dkim.c: DKIM key records at the probed selectors (RFC 6376 §3.6.2).
 *
 * Judges: every selector of the built-in table (dkim_selectors.c) and of
 * --selector - unless _domainkey.<domain> is NXDOMAIN (RFC 8020, see
 * early_selectors below), in two round trips at most; each key record found (after CNAMEs: Microsoft 365 and
 * most providers delegate selectors that way), judged by dkim_record.c; a
 * host name published as TXT where a CNAME was meant.
 * Also the selectors that the domain's aggregate reports show signing with
 * d= the domain (at most DD_DKIM_REPORT_SELECTORS): a domain using Amazon
 * SES tokens, which no list can guess, has its keys judged too.
 * A wildcard *._domainkey (found with a probe no signer uses) is reported
 * once, not once per guessed selector.
 * Whether "no key" is a problem depends on MX and SPF, judged before: a
 * domain that says it sends no mail needs no key. A failed lookup is never
 * "no key": the state is then undetermined.
 * Ignores: TXT records at a selector that are not key records (a wildcard
 * TXT at the apex answers every probe with, say, the SPF record); legacy
 * DomainKeys and ADSP records (RFC 4870, RFC 5617), which are not probed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim_int.h"
#include "dd/evidence.h"
#include "dd/util.h"

/* -------------------------------------------------------------- asking */

/* At most this many selectors from the reports are probed (a bound on hostile reports). */
#define DD_DKIM_REPORT_SELECTORS 16

/* head, middle and tail joined into raw[DD_NAME_MAX + 16]: the length, or 0
 * when it does not fit. Not snprintf: a batch builds some fifty names a
 * domain, and formatting them was 5 % of the DNS thread's instructions. */
static size_t join_name(char raw[DD_NAME_MAX + 16], const char *head, const char *middle,
                        const char *tail)
{
	size_t a = strlen(head), b = strlen(middle), c = strlen(tail);
	if (a + b + c >= DD_NAME_MAX + 16)
		return 0;
	memcpy(raw, head, a);
	memcpy(raw + a, middle, b);
	memcpy(raw + a + b, tail, c + 1);
	return a + b + c;
}

/* selector._domainkey.domain, normalised as the posture indexes it (lowercase). */
static bool selector_name(const char *selector, const char *domain, char *out, size_t outsz)
{
	char raw[DD_NAME_MAX + 16];
	size_t n = join_name(raw, selector, "._domainkey.", domain);
	return n > 0 && dd_name_normalize(raw, n, out, outsz);
}

static void probe(const struct dd_posture *p, const char *selector, struct dd_wants *out)
{
	char raw[DD_NAME_MAX + 16];
	if (join_name(raw, selector, "._domainkey.", p->domain))
		dd_wants_add(out, raw, DD_RR_TXT); /* which normalises it, or refuses it */
}

/*
 * RFC 8020: an NXDOMAIN at _domainkey.<domain> proves that no name below it
 * exists, so a domain that answers so has no selector and the table is not
 * probed. _domainkey is asked with the other checks' first questions, and so
 * are these "early" selectors - the most used ones and every --selector: a
 * key at one of them under an NXDOMAIN _domainkey proves the server breaks
 * RFC 8020 (it NXDOMAINs an empty non-terminal), and then every selector is
 * probed. A wildcard (*._domainkey or *.<domain>) makes _domainkey exist, so
 * it never takes the shortcut. The early selectors keep the critical path of
 * the common providers' keys at one round trip. A single domain
 * (opts->dkim_eager) asks the whole table at once instead: its wall time
 * is its critical path, which the shortcut would lengthen by one round trip
 * where DKIM is the longest chain.
 */
static const char *const early_selectors[] = { "google", "selector1", "default" };

static bool is_early(const struct dd_check_options *o, const char *selector)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(early_selectors); i++)
		if (dd_strcaseeq(early_selectors[i], selector))
			return true;
	for (size_t i = 0; o && i < o->nselectors; i++)
		if (dd_strcaseeq(o->selectors[i], selector))
			return true;
	return false;
}

/* The table but the early selectors, and the wildcard probe. */
static void probe_rest(const struct dd_posture *p, struct dd_wants *out)
{
	for (size_t i = 0; i < dd_dkim_builtin_count(); i++)
		if (!is_early(p->opts, dd_dkim_builtin_selector(i)))
			probe(p, dd_dkim_builtin_selector(i), out);
	probe(p, DD_DKIM_WILDCARD_PROBE, out);
}

/* _domainkey.<domain>, normalised. */
static bool parent_name(const char *domain, char *out, size_t outsz)
{
	char raw[DD_NAME_MAX + 16];
	size_t n = join_name(raw, "", "_domainkey.", domain);
	return n > 0 && dd_name_normalize(raw, n, out, outsz);
}

static void dkim_wants(const struct dd_posture *p, struct dd_wants *out)
{
	char name[DD_NAME_MAX + 16];
	if (parent_name(p->domain, name, sizeof(name)))
		dd_wants_add(out, name, DD_RR_TXT);
	for (size_t i = 0; i < DD_ARRAY_LEN(early_selectors); i++)
		probe(p, early_selectors[i], out);
	for (size_t i = 0; p->opts && i < p->opts->nselectors; i++)
		probe(p, p->opts->selectors[i], out);
	/* the selectors the aggregate reports show signing as the domain: known
	 * to be used, so asked at once whatever _domainkey answers */
	struct dd_strlist seen;
	dd_report_selectors(p->reports, p->domain, DD_DKIM_REPORT_SELECTORS, &seen);
	for (size_t i = 0; i < seen.n; i++)
		probe(p, seen.v[i], out);
	dd_strlist_finish(&seen);
	if (p->opts && p->opts->dkim_eager)
		probe_rest(p, out);
}

/* The answer to a probe, or NULL while it is in flight (or was not asked). */
static const struct dd_answer *probe_answer(const struct dd_posture *p, const char *selector)
{
	char name[DD_NAME_MAX + 16];
	if (!selector_name(selector, p->domain, name, sizeof(name)))
		return NULL;
	return dd_posture_answer(p, name, DD_RR_TXT);
}

static const struct dd_answer *parent_answer(const struct dd_posture *p)
{
	char name[DD_NAME_MAX + 16];
	return parent_name(p->domain, name, sizeof(name)) ? dd_posture_answer(p, name, DD_RR_TXT)
	                                                  : NULL;
}

enum early_verdict {
	EARLY_PENDING, /* an early answer is still out */
	EARLY_NOTHING, /* _domainkey NXDOMAIN, every early selector too: no selector exists */
	EARLY_PROBE,   /* _domainkey exists (or could not be told): probe the table */
	EARLY_BROKEN,  /* _domainkey NXDOMAIN, yet an early selector answered otherwise */
};

static enum early_verdict early_verdict(const struct dd_posture *p)
{
	const struct dd_answer *parent = parent_answer(p);
	if (!parent)
		return EARLY_PENDING;
	bool nx = parent->status == DD_DNS_NXDOMAIN && parent->ncnames == 0, contradicted = false;
	for (size_t i = 0; i < DD_ARRAY_LEN(early_selectors) + (p->opts ? p->opts->nselectors : 0);
	     i++) {
		const char *sel = i < DD_ARRAY_LEN(early_selectors)
		                          ? early_selectors[i]
		                          : p->opts->selectors[i - DD_ARRAY_LEN(early_selectors)];
		char name[DD_NAME_MAX + 16];
		if (!selector_name(sel, p->domain, name, sizeof(name)))
			continue; /* never asked */
		const struct dd_answer *a = probe_answer(p, sel);
		if (!a)
			return EARLY_PENDING;
		/* data or an empty non-terminal below an NXDOMAIN; a failed
		 * lookup contradicts nothing (it leaves DKIM undetermined) */
		contradicted |= a->status == DD_DNS_OK || a->status == DD_DNS_NODATA;
	}
	if (!nx)
		return EARLY_PROBE;
	return contradicted ? EARLY_BROKEN : EARLY_NOTHING;
}

/* Once every early answer is in: the rest of the table, unless RFC 8020 says there is none. */
static void dkim_follow(const struct dd_posture *p, size_t qi, struct dd_wants *out)
{
	if (p->queries[qi].depth != 0)
		return; /* the table's own answers lead nowhere: the engine follows CNAMEs */
	if (p->opts && p->opts->dkim_eager)
		return; /* asked already */
	enum early_verdict v = early_verdict(p);
	if (v == EARLY_PENDING || v == EARLY_NOTHING)
		return;
	probe_rest(p, out);
}

/* ------------------------------------------------------------ variants */

static const struct dd_text none_non_sending = {
	"No DKIM key was found at the {1} selectors probed for {2}, and none is needed: the domain "
	"says it sends no mail (no MX or a null MX, and \"v=spf1 -all\").",
	"{2} で調べた {1} 個のセレクタに DKIM "
	"鍵はありませんが、必要ありません。このドメインはメールを"
	"送らないことを宣言しています (MX なしまたは null MX、かつ \"v=spf1 -all\")。",
};
static const struct dd_text none_non_sending_fix = {
	"Nothing to do; to say so to verifiers too, you may publish a revoked wildcard key: "
	"*._domainkey.{2} TXT \"v=DKIM1; p=\".",
	"対応は不要です。検証側にも示すには、失効したワイルドカード鍵 *._domainkey.{2} TXT "
	"\"v=DKIM1; p=\" を公開する方法があります。",
};
static const struct dd_text none_unusable = {
	"No usable DKIM key was found at the {1} selectors probed for {2}, only revoked or broken "
	"key records, which does not prove the domain signs nothing: selectors cannot be listed "
	"from DNS.",
	"{2} で調べた {1} 個のセレクタに使える DKIM "
	"鍵はありません。見つかった鍵レコードは失効しているか"
	"壊れています。セレクタは DNS から一覧できないため、署名していないとは限りません。",
};

/* ----------------------------------------------------------- selectors */

static struct dd_dkim_selector *add_entry(struct dd_dkim_info *info, const char *selector,
                                          const char *found_at, const struct dd_answer *ans,
                                          const struct dd_rr *rr)
{
	info->v = xrealloc(info->v, (info->n + 1) * sizeof(*info->v));
	struct dd_dkim_selector *e = &info->v[info->n++];
	memset(e, 0, sizeof(*e));
	e->selector = xstrdup(selector);
	e->found_at = xstrdup(found_at);
	e->record = xstrndup(rr->data, rr->len);
	e->record_len = rr->len;
	e->cname = ans->ncnames > 0;
	if (ans->source == DD_SOURCE_ZONE) {
		/* an $INCLUDEd record lives in its own file, not the answer's */
		e->file = rr->file ? rr->file : ans->file;
		e->line = rr->line;
	}
	return e;
}

static void set_provider(struct dd_dkim_selector *e, const char *table, bool shared)
{
	const char *by_target = e->cname ? dd_dkim_provider_by_target(e->found_at) : NULL;
	if (by_target) {
		e->provider = by_target;
		e->provider_basis = "cname";
	} else if (table) {
		e->provider = table;
		e->provider_basis = shared ? "selector-shared" : "selector";
	} else if (shared) {
		e->provider_basis = "generic"; /* default, dkim, mail...: anyone's */
	}
}

/* The first key record of an answer, and how many there are. */
static const struct dd_rr *first_key(const struct dd_answer *ans, size_t *count)
{
	const struct dd_rr *first = NULL;
	*count = 0;
	for (size_t i = 0; i < ans->nrrs; i++) {
		if (!dd_dkim_looks_like_key(ans->rrs[i].data, ans->rrs[i].len))
			continue;
		if ((*count)++ == 0)
			first = &ans->rrs[i];
	}
	return first;
}

struct judge_state {
	const struct dd_posture *p;
	struct dd_result *r;
	const struct dd_answer *canary; /* what the wildcard probe got, when it got records */
	size_t unknown;                 /* probes not asked (offline) */
	bool none_below;                /* RFC 8020: _domainkey is NXDOMAIN, the table not asked */
};

static bool in_answer(const struct dd_answer *ans, const struct dd_rr *rr)
{
	for (size_t i = 0; i < ans->nrrs; i++)
		if (ans->rrs[i].len == rr->len && memcmp(ans->rrs[i].data, rr->data, rr->len) == 0)
			return true;
	return false;
}

/* The records the wildcard probe got (in any order: servers rotate them),
 * synthesised by *._domainkey or a wider wildcard, not published for this
 * selector: a name with records of its own is never answered from a
 * wildcard (RFC 4592 §2.2). */
static bool from_wildcard(const struct judge_state *js, const struct dd_answer *ans)
{
	if (!js->canary || ans->ncnames > 0 || ans->nrrs != js->canary->nrrs)
		return false;
	for (size_t i = 0; i < ans->nrrs; i++)
		if (!in_answer(js->canary, &ans->rrs[i]))
			return false;
	return true;
}

/* The entry's record judged; `nkeys` key records answered its name. */
static void judge_selector(struct judge_state *js, const char *selector, const char *provider,
                           bool shared)
{
	struct dd_dkim_info *info = &js->r->dkim;
	char name[DD_NAME_MAX + 16];
	if (!selector_name(selector, js->p->domain, name, sizeof(name)))
		return;
	long qi = dd_posture_find(js->p, name, DD_RR_TXT);
	const struct dd_answer *ans = qi < 0 ? NULL : js->p->queries[qi].answer;
	if (!ans) {
		/* not asked: no name exists below _domainkey (RFC 8020), so it was
		 * as good as answered NXDOMAIN; or the engine's question cap was hit
		 * (posture->truncated) */
		if (qi < 0 && js->none_below)
			info->probed++;
		return;
	}
	if (ans->status == DD_DNS_UNKNOWN) {
		js->unknown++;
		return;
	}
	info->probed++;
	if (dd_dns_status_is_failure(ans->status)) {
		info->failed++;
		return;
	}
	/* The wildcard's own answer, synthesised for this name: judged once as "*". */
	if (from_wildcard(js, ans))
		return;
	struct dkim_site s = { js->p, js->r, name, ans, NULL, qi };
	size_t nkeys;
	const struct dd_rr *rr = first_key(ans, &nkeys);
	if (!rr) {
		for (size_t i = 0; i < ans->nrrs; i++) {
			if (!dd_dkim_looks_like_hostname(ans->rrs[i].data, ans->rrs[i].len))
				continue;
			s.rr = &ans->rrs[i];
			dkim_finding(&s, "dkim.txt-hostname", ans->rrs[i].data, NULL, NULL);
		}
		return;
	}
	s.rr = rr;
	struct dd_dkim_selector *e = add_entry(info, selector, dd_answer_owner(ans), ans, rr);
	set_provider(e, provider, shared);
	dkim_judge_record(&s, e, nkeys);
}

/* A key at a name no signer uses means *._domainkey answers every selector. */
static void judge_wildcard(struct judge_state *js)
{
	char name[DD_NAME_MAX + 16], star[DD_NAME_MAX + 16];
	if (!selector_name(DD_DKIM_WILDCARD_PROBE, js->p->domain, name, sizeof(name)) ||
	    !selector_name("*", js->p->domain, star, sizeof(star)))
		return;
	long qi = dd_posture_find(js->p, name, DD_RR_TXT);
	const struct dd_answer *ans = qi < 0 ? NULL : js->p->queries[qi].answer;
	if (!ans || ans->status != DD_DNS_OK || ans->ncnames > 0 || ans->nrrs == 0)
		return;
	js->canary = ans;
	size_t nkeys;
	const struct dd_rr *rr = first_key(ans, &nkeys);
	if (!rr)
		return; /* a wildcard TXT that is no key (an SPF record...): only skipped */
	js->r->dkim.wildcard = true;
	struct dd_dkim_selector *e = add_entry(&js->r->dkim, "*", star, ans, rr);
	e->wildcard = true;
	struct dkim_site s = { js->p, js->r, star, ans, rr, qi };
	dkim_judge_record(&s, e, nkeys);
}

static bool is_builtin(const char *selector)
{
	for (size_t i = 0; i < dd_dkim_builtin_count(); i++)
		if (dd_strcaseeq(dd_dkim_builtin_selector(i), selector))
			return true;
	return false;
}

static bool seen_before(const struct dd_check_options *o, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (dd_strcaseeq(o->selectors[j], o->selectors[i]))
			return true;
	return false;
}

/* Named with --selector. */
static bool given(const struct dd_check_options *o, const char *selector)
{
	for (size_t j = 0; o && j < o->nselectors; j++)
		if (dd_strcaseeq(o->selectors[j], selector))
			return true;
	return false;
}

static bool provider_found(const struct dd_dkim_info *info, const char *provider)
{
	for (size_t i = 0; i < info->n; i++)
		if (info->v[i].provider && strcmp(info->v[i].provider, provider) == 0)
			return true;
	return false;
}

/*
 * SPF include:s that name a sender signing with unguessable selectors
 * (Amazon SES...): say its keys were not checked. Reads the apex SPF record
 * only; macros and nested includes are left alone.
 */
static void token_selector_hints(const struct dd_posture *p, struct dd_result *r)
{
	if (!r->spf.record)
		return;
	struct dd_spf_record rec;
	dd_spf_parse(r->spf.record, r->spf.record_len, &rec);
	const char *said[8];
	size_t nsaid = 0;
	for (size_t i = 0; i < rec.nterms; i++) {
		const struct dd_spf_term *t = &rec.terms[i];
		if (t->kind != DD_SPF_INCLUDE || !t->spec)
			continue;
		const char *prov = dd_dkim_unguessable_by_spf_include(t->spec, t->spec_len);
		bool dup = false;
		for (size_t k = 0; k < nsaid; k++)
			dup |= said[k] == prov;
		if (!prov || dup || provider_found(&r->dkim, prov) || nsaid == DD_ARRAY_LEN(said))
			continue;
		said[nsaid++] = prov;
		char *domain = xstrndup(t->spec, t->spec_len);
		struct dd_finding *f = dd_findings_add(&r->findings, "dkim.token-selectors",
		                                       p->domain, prov, domain, NULL);
		dd_finding_set_record(f, r->spf.record, r->spf.record_len);
		dd_finding_add_chain(f, p->domain);
		free(domain);
	}
	dd_spf_record_finish(&rec);
}

static void none_found(const struct dd_posture *p, struct dd_result *r)
{
	const struct dd_dkim_info *info = &r->dkim;
	char probed[24];
	snprintf(probed, sizeof(probed), "%zu", info->probed);
	struct dd_finding *f =
	        dd_findings_add(&r->findings, "dkim.none-found", probed, p->domain, NULL);
	dd_finding_add_chain(f, p->domain);
	if (dd_result_is_non_sending(r)) {
		/* a parked domain is not told it lacks DKIM: it needs none */
		f->severity = DD_SEV_INFO;
		f->message = &none_non_sending;
		f->fix = &none_non_sending_fix;
	} else if (info->n > 0) {
		f->message = &none_unusable;
	}
}

/* The wildcard *._domainkey answers with a revoked key (an empty p=). */
static bool has_revoked_wildcard(const struct dd_dkim_info *info)
{
	for (size_t i = 0; i < info->n; i++)
		if (info->v[i].wildcard && info->v[i].revoked)
			return true;
	return false;
}

static void dkim_judge(const struct dd_posture *p, struct dd_result *r)
{
	struct judge_state js = { p, r, NULL, 0, false };
	struct dd_dkim_info *info = &r->dkim;
	const struct dd_answer *parent = parent_answer(p);
	switch (early_verdict(p)) {
	case EARLY_NOTHING:
		js.none_below = true;
		info->domainkey = "nxdomain";
		break;
	case EARLY_BROKEN: info->domainkey = "broken"; break;
	case EARLY_PROBE:
		info->domainkey = dd_dns_status_is_failure(parent->status) ? "undetermined"
		                  : parent->status == DD_DNS_UNKNOWN       ? "unknown"
		                                                           : "exists";
		break;
	case EARLY_PENDING: break; /* not asked (a name too long) */
	}
	judge_wildcard(&js);
	for (size_t i = 0; i < dd_dkim_builtin_count(); i++)
		judge_selector(&js, dd_dkim_builtin_selector(i), dd_dkim_builtin_provider(i),
		               dd_dkim_builtin_shared(i));
	for (size_t i = 0; p->opts && i < p->opts->nselectors; i++)
		if (!is_builtin(p->opts->selectors[i]) && !seen_before(p->opts, i))
			judge_selector(&js, p->opts->selectors[i], NULL, false);
	struct dd_strlist seen;
	dd_report_selectors(p->reports, p->domain, DD_DKIM_REPORT_SELECTORS, &seen);
	for (size_t i = 0; i < seen.n; i++)
		if (!is_builtin(seen.v[i]) && !given(p->opts, seen.v[i]))
			judge_selector(&js, seen.v[i], NULL, false);
	dd_strlist_finish(&seen);
	token_selector_hints(p, r);

	if (info->n > 0)
		info->state = DD_STATE_FOUND;
	else if (info->failed > 0)
		info->state = DD_STATE_UNDETERMINED;
	else if (js.unknown > 0)
		info->state = DD_STATE_UNKNOWN;
	else
		info->state = DD_STATE_MISSING;
	/* No usable key is a finding only when every probe got an answer: a
	 * failed lookup may have hidden the key (the state says undetermined),
	 * and so may a selector not looked up - with --offline, a CNAME out of
	 * the zone file is where Microsoft 365 and most providers keep it. */
	if (info->usable == 0 && info->failed == 0 && js.unknown == 0 && info->probed > 0 &&
	    !(dd_result_is_non_sending(r) && has_revoked_wildcard(info)))
		none_found(p, r);
}

const struct dd_check dd_check_dkim = {
	.name = "dkim",
	.wants = dkim_wants,
	.follow = dkim_follow,
	.judge = dkim_judge,
};

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void dd_dkim_info_finish(struct dd_dkim_info *info)
{
	for (size_t i = 0; i < info->n; i++) {
		struct dd_dkim_selector *e = &info->v[i];
		free(e->selector);
		free(e->found_at);
		free(e->record);
		free_list(e->hash_algorithms, e->nhash_algorithms);
		free_list(e->flags, e->nflags);
		free_list(e->service_types, e->nservice_types);
		free(e->notes);
	}
	free(info->v);
	memset(info, 0, sizeof(*info));
}

static const struct dd_text coverage_note = {
	"Only the {1} selectors probed were checked: DKIM selectors cannot be listed from DNS, so "
	"no key at them does not prove the domain signs nothing. {2} sign with per-domain "
	"selectors that cannot be guessed: name them with --selector.",
	"調べたのは {1} 個のセレクタだけです。DKIM のセレクタは DNS "
	"から一覧できないため、そこに鍵が"
	"ないことは署名していない証明になりません。{2} はドメインごとに異なる推測できないセレクタで"
	"署名します。--selector で指定してください。",
};

char *dd_dkim_coverage_note(const struct dd_dkim_info *info, enum dd_lang lang)
{
	char probed[24];
	snprintf(probed, sizeof(probed), "%zu", info->probed);
	struct dd_strbuf who;
	dd_strbuf_init(&who);
	for (size_t i = 0; i < dd_dkim_unguessable_count(); i++) {
		if (i)
			dd_strbuf_adds(&who, lang == DD_LANG_JA ? "、" : ", ");
		dd_strbuf_adds(&who, dd_dkim_unguessable_provider(i));
	}
	char *args[2] = { probed, who.s };
	char *s = dd_text_format(&coverage_note, lang, args, 2);
	dd_strbuf_finish(&who);
	return s;
}
