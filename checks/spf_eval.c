/*
 * spf_eval.c: check_host(ip, domain, sender) of RFC 7208 §4-§6, evaluated
 * over the answers the gather engine collected - the receiver's view.
 *
 * Unlike the whole-tree count (spf_tree.c) it stops where a receiver stops:
 * at the first matching mechanism, after 10 DNS-querying terms or 2 void
 * lookups (permerror, §4.6.4), at more than 10 MX names (permerror), and it
 * checks only the first 10 PTR names (§4.6.4). Lookups are the ones a
 * receiver makes for this client: A for an IPv4 client, AAAA for IPv6;
 * exists: always A (§5.7).
 *
 * What it deliberately does not do: time limits (no clock in the core), and
 * asking the DNS - an answer it needs that the engine did not fetch (a cap,
 * or --offline) makes the result temperror, marked `incomplete`.
 * Void lookups are counted for the terms' own queries and for mx hosts, not
 * for the address lookups that validate PTR names: those names belong to the
 * client, not to the domain (RFC 7208 §4.6.4 makes the same point for the
 * limit on PTR names).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/spf.h"

#define MAX_STACK 16

struct eval {
	const struct dd_posture *p;
	const struct dd_spf_client *c;
	struct dd_spf_verdict *v;
	size_t path_cap;
	const char *stack[MAX_STACK]; /* include/redirect targets being evaluated */
	size_t depth;
	/* PTR validation (§5.5), computed once when ptr or %{p} needs it */
	bool validated_done;
	bool ptr_failed, ptr_void;
	size_t ptr_names;
	char validated[DD_SPF_MAX_NAMES][DD_NAME_MAX + 1];
	size_t nvalidated;
	char p_value[DD_NAME_MAX + 1];
	/* exp= of the record that decided the result (§6.2) */
	char *exp_domain, *exp_spec;
};

const char *dd_spf_result_name(enum dd_spf_result r)
{
	switch (r) {
	case DD_SPF_NONE: return "none";
	case DD_SPF_NEUTRAL: return "neutral";
	case DD_SPF_PASS: return "pass";
	case DD_SPF_FAIL: return "fail";
	case DD_SPF_SOFTFAIL: return "softfail";
	case DD_SPF_TEMPERROR: return "temperror";
	case DD_SPF_PERMERROR: return "permerror";
	}
	return "?";
}

void dd_spf_verdict_finish(struct dd_spf_verdict *v)
{
	for (size_t i = 0; i < v->npath; i++) {
		free(v->path[i].domain);
		free(v->path[i].term);
	}
	free(v->path);
	free(v->ip);
	free(v->sender);
	free(v->helo);
	free(v->explanation);
	dd_words_finish(&v->reason);
	memset(v, 0, sizeof(*v));
}

/* ------------------------------------------------------------ helpers */

/* The first reason wins: it is the one that decided. en and ja are owned. */
static enum dd_spf_result decide(struct eval *e, enum dd_spf_result r, char *en, char *ja)
{
	if (!e->v->reason.en) {
		dd_words_set(&e->v->reason, en, ja);
	} else {
		free(en);
		free(ja);
	}
	return r;
}

enum got {
	GOT_OK,
	GOT_VOID,
	GOT_FAILED,
	GOT_MISSING,
};

static enum got get(const struct eval *e, const char *name, uint16_t type,
                    const struct dd_answer **out)
{
	const struct dd_answer *a = dd_posture_answer(e->p, name, type);
	*out = a;
	if (!a || a->status == DD_DNS_UNKNOWN)
		return GOT_MISSING;
	if (dd_dns_status_is_failure(a->status))
		return GOT_FAILED;
	return a->status == DD_DNS_OK && a->nrrs ? GOT_OK : GOT_VOID;
}

static enum dd_spf_result missing(struct eval *e, const char *name, uint16_t type)
{
	e->v->incomplete = true;
	return decide(e, DD_SPF_TEMPERROR,
	              xasprintf("the %s lookup of %s was not made (a cap of the gather, or "
	                        "--offline), so the result is open",
	                        dd_rrtype_name(type), name),
	              xasprintf("%s の %s は問い合わせていない (収集の上限か --offline) ため、"
	                        "結果は決まりません",
	                        name, dd_rrtype_name(type)));
}

static enum dd_spf_result failed(struct eval *e, const struct dd_answer *a, const char *name,
                                 uint16_t type)
{
	return decide(e, DD_SPF_TEMPERROR,
	              xasprintf("the %s lookup of %s failed (%s)", dd_rrtype_name(type), name,
	                        dd_dns_status_name(a->status)),
	              xasprintf("%s の %s の問い合わせに失敗しました (%s)", name,
	                        dd_rrtype_name(type), dd_dns_status_name(a->status)));
}

/* RFC 7208 §4.6.4: more than 2 void lookups is a permerror. Returns true when over. */
static bool count_void(struct eval *e)
{
	return ++e->v->void_lookups > DD_SPF_MAX_VOID;
}

static enum dd_spf_result void_limit(struct eval *e)
{
	return decide(e, DD_SPF_PERMERROR,
	              xasprintf("more than %d void lookups (NXDOMAIN or no data; RFC 7208 "
	                        "§4.6.4)",
	                        DD_SPF_MAX_VOID),
	              xasprintf("空の参照 (NXDOMAIN か NODATA) が %d 回を超えました (RFC 7208 "
	                        "§4.6.4)",
	                        DD_SPF_MAX_VOID));
}

/* RFC 7208 §4.6.4: count the DNS-querying term t; true (with the result decided) past 10. */
static bool over_lookup_limit(struct eval *e, const struct dd_spf_term *t)
{
	if (++e->v->lookups <= DD_SPF_MAX_LOOKUPS)
		return false;
	decide(e, DD_SPF_PERMERROR,
	       xasprintf("more than %d DNS lookups: the %d-th is %.*s (RFC 7208 §4.6.4)",
	                 DD_SPF_MAX_LOOKUPS, e->v->lookups, (int)t->len, t->text),
	       xasprintf("DNS 参照が %d 回を超えました。%d 回目は %.*s です (RFC 7208 §4.6.4)",
	                 DD_SPF_MAX_LOOKUPS, e->v->lookups, (int)t->len, t->text));
	return true;
}

static size_t push_step(struct eval *e, const char *domain)
{
	struct dd_spf_verdict *v = e->v;
	v->path = xgrow(v->path, &e->path_cap, v->npath + 1, sizeof(*v->path));
	v->path[v->npath].domain = xstrdup(domain);
	v->path[v->npath].term = NULL;
	return v->npath++;
}

static void set_term(struct eval *e, size_t step, const struct dd_spf_term *t)
{
	free(e->v->path[step].term);
	e->v->path[step].term = t ? xstrndup(t->text, t->len) : NULL;
}

static void truncate_path(struct eval *e, size_t n)
{
	while (e->v->npath > n) {
		struct dd_spf_step *s = &e->v->path[--e->v->npath];
		free(s->domain);
		free(s->term);
	}
}

static bool prefix_match(const unsigned char *a, const unsigned char *b, int bits)
{
	int full = bits / 8, rest = bits % 8;
	if (memcmp(a, b, (size_t)full) != 0)
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

/* Does an address from an A or AAAA answer match the client within the prefix? */
static bool address_match(const struct eval *e, const struct dd_rr *rr, int cidr4, int cidr6)
{
	unsigned char buf[16];
	int v4 = e->c->family == 4;
	if (inet_pton(v4 ? AF_INET : AF_INET6, rr->data, buf) != 1)
		return false;
	return prefix_match(buf, e->c->ip,
	                    v4 ? (cidr4 < 0 ? 32 : cidr4) : (cidr6 < 0 ? 128 : cidr6));
}

static uint16_t address_type(const struct eval *e)
{
	return e->c->family == 4 ? DD_RR_A : DD_RR_AAAA;
}

/* ------------------------------------------------- PTR validation §5.5 */

/*
 * The validated names of the client: PTR names (the first 10) that have an
 * address equal to the client's. Returns false, with the result set, when
 * an answer it needs was not fetched.
 */
static bool validate_ptr(struct eval *e, enum dd_spf_result *err)
{
	if (e->validated_done)
		return true;
	char rev[DD_NAME_MAX + 1];
	dd_spf_reverse_name(e->c, rev);
	const struct dd_answer *a;
	switch (get(e, rev, DD_RR_PTR, &a)) {
	case GOT_MISSING: *err = missing(e, rev, DD_RR_PTR); return false;
	case GOT_FAILED: e->ptr_failed = true; break;
	case GOT_VOID: e->ptr_void = true; break;
	case GOT_OK:
		e->ptr_names = a->nrrs;
		for (size_t i = 0; i < a->nrrs && i < DD_SPF_MAX_NAMES; i++) {
			char name[DD_NAME_MAX + 1];
			const struct dd_answer *addr;
			if (!dd_spf_name(a->rrs[i].data, a->rrs[i].len, name))
				continue;
			enum got g = get(e, name, address_type(e), &addr);
			if (g == GOT_MISSING) {
				*err = missing(e, name, address_type(e));
				return false;
			}
			if (g != GOT_OK)
				continue; /* §5.5: a failed lookup skips the name */
			for (size_t k = 0; k < addr->nrrs; k++)
				if (address_match(e, &addr->rrs[k], 32, 128)) {
					memcpy(e->validated[e->nvalidated++], name, sizeof(name));
					break;
				}
		}
		break;
	}
	e->validated_done = true;
	return true;
}

/*
 * %{p} for a domain (§7.3): the domain itself if validated, else a validated
 * subdomain of it, else any validated name, else "unknown".
 */
static const char *p_macro(struct eval *e, const char *domain)
{
	const char *best = NULL;
	for (size_t i = 0; i < e->nvalidated && !best; i++)
		if (strcmp(e->validated[i], domain) == 0)
			best = e->validated[i];
	for (size_t i = 0; i < e->nvalidated && !best; i++)
		if (dd_name_is_under(e->validated[i], domain))
			best = e->validated[i];
	if (!best && e->nvalidated)
		best = e->validated[0];
	snprintf(e->p_value, sizeof(e->p_value), "%s", best ? best : "unknown");
	return e->p_value;
}

/*
 * The name a term asks about: its domain-spec expanded, or the current
 * domain. Returns false with *err set when the evaluation must stop.
 */
static bool target_name(struct eval *e, const char *spec, size_t spec_len, const char *domain,
                        char name[DD_NAME_MAX + 1], bool *valid, enum dd_spf_result *err)
{
	if (!spec) {
		*valid = dd_spf_name(domain, strlen(domain), name);
		return true;
	}
	struct dd_spf_macro_env env = { e->c, domain, NULL };
	enum dd_spf_expand st = dd_spf_target(spec, spec_len, &env, name, valid);
	if (st == DD_SPF_EXPAND_NEEDS_PTR) {
		if (!validate_ptr(e, err))
			return false;
		env.validated = p_macro(e, domain);
		st = dd_spf_target(spec, spec_len, &env, name, valid);
	}
	if (st != DD_SPF_EXPAND_OK) {
		*err = decide(e, DD_SPF_PERMERROR,
		              xasprintf("cannot expand the macros of %.*s", (int)spec_len, spec),
		              xasprintf("%.*s のマクロを展開できません", (int)spec_len, spec));
		return false;
	}
	return true;
}

/* --------------------------------------------------------- mechanisms */

enum match {
	MATCH,
	NO_MATCH,
	STOP, /* *err holds the result */
};

static enum dd_spf_result check(struct eval *e, const char *domain, bool top, bool initial);

/*
 * The lookup of a mechanism: MATCH when (name, type) has records (in *out),
 * NO_MATCH for a void lookup (counted, §4.6.4), STOP with *err set when the
 * lookup failed, was not made, or passed the void limit.
 */
static enum match lookup(struct eval *e, const char *name, uint16_t type,
                         const struct dd_answer **out, enum dd_spf_result *err)
{
	switch (get(e, name, type, out)) {
	case GOT_MISSING: *err = missing(e, name, type); return STOP;
	case GOT_FAILED: *err = failed(e, *out, name, type); return STOP;
	case GOT_VOID:
		if (count_void(e)) {
			*err = void_limit(e);
			return STOP;
		}
		return NO_MATCH;
	case GOT_OK: break;
	}
	return MATCH;
}

static enum match match_address(struct eval *e, const char *name, int cidr4, int cidr6,
                                enum dd_spf_result *err)
{
	const struct dd_answer *a;
	enum match m = lookup(e, name, address_type(e), &a, err);
	if (m != MATCH)
		return m;
	for (size_t i = 0; i < a->nrrs; i++)
		if (address_match(e, &a->rrs[i], cidr4, cidr6))
			return MATCH;
	return NO_MATCH;
}

static enum match match_mx(struct eval *e, const char *name, int cidr4, int cidr6,
                           enum dd_spf_result *err)
{
	const struct dd_answer *a;
	enum match m = lookup(e, name, DD_RR_MX, &a, err);
	if (m != MATCH)
		return m;
	if (a->nrrs > DD_SPF_MAX_NAMES) {
		*err = decide(e, DD_SPF_PERMERROR,
		              xasprintf("%s has %zu MX records; more than %d is a permerror "
		                        "(RFC 7208 §4.6.4)",
		                        name, a->nrrs, DD_SPF_MAX_NAMES),
		              xasprintf("%s の MX レコードは %zu 個です。%d 個を超えると permerror "
		                        "です (RFC 7208 §4.6.4)",
		                        name, a->nrrs, DD_SPF_MAX_NAMES));
		return STOP;
	}
	for (size_t i = 0; i < a->nrrs; i++) {
		char host[DD_NAME_MAX + 1];
		if (!dd_spf_name(a->rrs[i].data, a->rrs[i].len, host))
			continue; /* a null MX: no host */
		m = match_address(e, host, cidr4, cidr6, err);
		if (m != NO_MATCH)
			return m;
	}
	return NO_MATCH;
}

static enum match match_ptr(struct eval *e, const char *target, enum dd_spf_result *err)
{
	if (!validate_ptr(e, err))
		return STOP;
	if (e->ptr_void && count_void(e)) {
		*err = void_limit(e);
		return STOP;
	}
	for (size_t i = 0; i < e->nvalidated; i++)
		if (dd_name_is_under(e->validated[i], target))
			return MATCH;
	return NO_MATCH;
}

/* RFC 7208 §5.2: include matches on pass only; the target's exp= is never used. */
static enum match match_include(struct eval *e, const struct dd_spf_term *t, const char *domain,
                                enum dd_spf_result *err)
{
	char name[DD_NAME_MAX + 1];
	bool valid;
	if (!target_name(e, t->spec, t->spec_len, domain, name, &valid, err))
		return STOP;
	if (!valid) {
		*err = decide(e, DD_SPF_PERMERROR,
		              xasprintf("%.*s: the target is not a valid domain name", (int)t->len,
		                        t->text),
		              xasprintf("%.*s: 対象が正しいドメイン名ではありません", (int)t->len,
		                        t->text));
		return STOP;
	}
	size_t mark = e->v->npath;
	enum dd_spf_result r = check(e, name, false, false);
	switch (r) {
	case DD_SPF_PASS: return MATCH;
	case DD_SPF_FAIL:
	case DD_SPF_SOFTFAIL:
	case DD_SPF_NEUTRAL: truncate_path(e, mark); return NO_MATCH;
	case DD_SPF_TEMPERROR: *err = r; return STOP;
	case DD_SPF_PERMERROR: *err = r; return STOP;
	case DD_SPF_NONE:
		/* RFC 7208 §5.2: an include target without a record is a permerror */
		dd_words_set(&e->v->reason,
		             xasprintf("include:%s: %s has no SPF record", name, name),
		             xasprintf("include:%s: %s に SPF レコードがありません", name, name));
		*err = DD_SPF_PERMERROR;
		return STOP;
	}
	return STOP;
}

static enum match match_term(struct eval *e, const struct dd_spf_term *t, const char *domain,
                             enum dd_spf_result *err)
{
	char name[DD_NAME_MAX + 1];
	bool valid;
	const struct dd_answer *a;
	switch (t->kind) {
	case DD_SPF_ALL: return MATCH;
	case DD_SPF_INCLUDE: return match_include(e, t, domain, err);
	case DD_SPF_A:
	case DD_SPF_MX:
	case DD_SPF_EXISTS:
		if (!target_name(e, t->spec, t->spec_len, domain, name, &valid, err))
			return STOP;
		if (!valid)
			return NO_MATCH; /* no DNS name can be formed: nothing matches (pyspf) */
		if (t->kind == DD_SPF_A)
			return match_address(e, name, t->cidr4, t->cidr6, err);
		if (t->kind == DD_SPF_MX)
			return match_mx(e, name, t->cidr4, t->cidr6, err);
		/* RFC 7208 §5.7: exists asks A whatever the client's family; any address matches */
		return lookup(e, name, DD_RR_A, &a, err);
	case DD_SPF_PTR:
		if (!target_name(e, t->spec, t->spec_len, domain, name, &valid, err))
			return STOP;
		if (!valid)
			return NO_MATCH;
		return match_ptr(e, name, err);
	case DD_SPF_IP4:
		return e->c->family == 4 &&
		                       prefix_match(t->addr, e->c->ip, t->cidr4 < 0 ? 32 : t->cidr4)
		               ? MATCH
		               : NO_MATCH;
	case DD_SPF_IP6:
		return e->c->family == 6 && prefix_match(t->addr, e->c->ip,
		                                         t->cidr6 < 0 ? 128 : t->cidr6)
		               ? MATCH
		               : NO_MATCH;
	default: return NO_MATCH;
	}
}

/* ---------------------------------------------------------- records */

static bool in_stack(const struct eval *e, const char *name)
{
	for (size_t i = 0; i < e->depth; i++)
		if (strcmp(e->stack[i], name) == 0)
			return true;
	return false;
}

static void set_exp(struct eval *e, const char *domain, const struct dd_spf_record *rec)
{
	free(e->exp_domain);
	free(e->exp_spec);
	e->exp_domain = e->exp_spec = NULL;
	if (rec->exp < 0)
		return;
	const struct dd_spf_term *t = &rec->terms[rec->exp];
	e->exp_domain = xstrdup(domain);
	e->exp_spec = xstrndup(t->spec, t->spec_len);
}

static enum dd_spf_result qualifier_result(enum dd_spf_qualifier q)
{
	static const enum dd_spf_result map[] = { DD_SPF_PASS, DD_SPF_FAIL, DD_SPF_SOFTFAIL,
		                                  DD_SPF_NEUTRAL };
	return map[q];
}

static enum dd_spf_result evaluate(struct eval *e, const char *domain, size_t step,
                                   const struct dd_spf_record *rec, bool top)
{
	enum dd_spf_result err = DD_SPF_PERMERROR;
	for (size_t i = 0; i < rec->nterms; i++) {
		const struct dd_spf_term *t = &rec->terms[i];
		if (t->kind >= DD_SPF_REDIRECT)
			continue; /* modifiers act after the mechanisms */
		set_term(e, step, t);
		if (dd_spf_kind_queries_dns(t->kind) && over_lookup_limit(e, t))
			return DD_SPF_PERMERROR;
		switch (match_term(e, t, domain, &err)) {
		case MATCH:
			if (top)
				set_exp(e, domain, rec);
			return qualifier_result(t->qualifier);
		case NO_MATCH: break;
		case STOP: return err;
		}
	}
	if (rec->redirect >= 0) {
		/* RFC 7208 §6.1: only reached when no mechanism matched (so there is no all) */
		const struct dd_spf_term *t = &rec->terms[rec->redirect];
		set_term(e, step, t);
		if (over_lookup_limit(e, t))
			return DD_SPF_PERMERROR;
		char name[DD_NAME_MAX + 1];
		bool valid;
		if (!target_name(e, t->spec, t->spec_len, domain, name, &valid, &err))
			return err;
		if (!valid)
			return decide(e, DD_SPF_PERMERROR,
			              xasprintf("%.*s: the target is not a valid domain name",
			                        (int)t->len, t->text),
			              xasprintf("%.*s: 対象が正しいドメイン名ではありません",
			                        (int)t->len, t->text));
		enum dd_spf_result r = check(e, name, top, false);
		if (r == DD_SPF_NONE) {
			dd_words_set(&e->v->reason,
			             xasprintf("redirect=%s: %s has no SPF record", name, name),
			             xasprintf("redirect=%s: %s に SPF レコードがありません", name,
			                       name));
			return DD_SPF_PERMERROR; /* §6.1 */
		}
		return r;
	}
	set_term(e, step, NULL);
	if (top)
		set_exp(e, domain, rec);
	return DD_SPF_NEUTRAL; /* §4.7: no match, no redirect */
}

static enum dd_spf_result check(struct eval *e, const char *domain, bool top, bool initial)
{
	size_t step = push_step(e, domain);
	if (!initial && in_stack(e, domain))
		return decide(
		        e, DD_SPF_PERMERROR,
		        xasprintf("%s is reached again through its own include or redirect: "
		                  "a loop",
		                  domain),
		        xasprintf("%s 自身の include か redirect で %s に戻っています (ループ)",
		                  domain, domain));
	if (e->depth >= MAX_STACK)
		return decide(e, DD_SPF_PERMERROR, xstrdup("includes nested too deeply"),
		              xstrdup("include の入れ子が深すぎます"));
	const struct dd_answer *a;
	switch (get(e, domain, DD_RR_TXT, &a)) {
	case GOT_MISSING: return missing(e, domain, DD_RR_TXT);
	case GOT_FAILED: return failed(e, a, domain, DD_RR_TXT);
	case GOT_VOID:
		if (!initial && count_void(e))
			return void_limit(e);
		return decide(e, DD_SPF_NONE,
		              xasprintf("%s has no TXT records (%s)", domain,
		                        dd_dns_status_name(a->status)),
		              xasprintf("%s に TXT レコードがありません (%s)", domain,
		                        dd_dns_status_name(a->status)));
	case GOT_OK: break;
	}
	const struct dd_rr *rr;
	size_t n = dd_spf_records(a, &rr);
	if (n == 0)
		return decide(e, DD_SPF_NONE, xasprintf("%s has no SPF record", domain),
		              xasprintf("%s に SPF レコードがありません", domain));
	if (n > 1)
		return decide(e, DD_SPF_PERMERROR,
		              xasprintf("%s has %zu SPF records (RFC 7208 §4.5)", domain, n),
		              xasprintf("%s に SPF レコードが %zu 個あります (RFC 7208 §4.5)",
		                        domain, n));
	struct dd_spf_record rec;
	dd_spf_parse(rr->data, rr->len, &rec);
	enum dd_spf_result r;
	if (rec.error) {
		r = decide(e, DD_SPF_PERMERROR,
		           xasprintf("the record of %s has a syntax error at column %zu: %s",
		                     domain, rec.error_column, rec.error->en),
		           xasprintf("%s のレコードの %zu 桁目に構文エラーがあります: %s", domain,
		                     rec.error_column, rec.error->ja));
	} else if (rec.truncated) {
		e->v->incomplete = true;
		r = decide(e, DD_SPF_TEMPERROR,
		           xasprintf("the record of %s has more than %d terms; not evaluated",
		                     domain, DD_SPF_MAX_TERMS),
		           xasprintf("%s のレコードは項目が %d 個を超えるため、評価していません",
		                     domain, DD_SPF_MAX_TERMS));
	} else {
		e->stack[e->depth++] = domain;
		r = evaluate(e, domain, step, &rec, top);
		e->depth--;
	}
	dd_spf_record_finish(&rec);
	return r;
}

/*
 * RFC 7208 §6.2: the explanation of a fail, or nothing when anything goes
 * wrong. Call it with e->v on a scratch verdict: a lookup it misses or a
 * macro it cannot expand must not touch the verdict.
 */
static char *explanation(struct eval *e)
{
	char name[DD_NAME_MAX + 1];
	bool valid;
	enum dd_spf_result err;
	if (!target_name(e, e->exp_spec, strlen(e->exp_spec), e->exp_domain, name, &valid, &err) ||
	    !valid)
		return NULL;
	const struct dd_answer *a;
	if (get(e, name, DD_RR_TXT, &a) != GOT_OK || a->nrrs != 1)
		return NULL;
	struct dd_spf_macro_env env = { e->c, e->exp_domain, NULL };
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	enum dd_spf_expand st = dd_spf_expand(a->rrs[0].data, a->rrs[0].len, &env, true, &b);
	if (st == DD_SPF_EXPAND_NEEDS_PTR && validate_ptr(e, &err)) {
		env.validated = p_macro(e, e->exp_domain);
		b.len = 0;
		if (b.s)
			b.s[0] = '\0';
		st = dd_spf_expand(a->rrs[0].data, a->rrs[0].len, &env, true, &b);
	}
	if (st != DD_SPF_EXPAND_OK) {
		dd_strbuf_finish(&b);
		return NULL;
	}
	return dd_strbuf_own(&b);
}

void dd_spf_check_host(const struct dd_posture *p, const struct dd_spf_client *client,
                       struct dd_spf_verdict *out)
{
	struct eval e;
	memset(&e, 0, sizeof(e));
	memset(out, 0, sizeof(*out));
	e.p = p;
	e.c = client;
	e.v = out;
	out->evaluated = true;
	char ip[INET6_ADDRSTRLEN];
	inet_ntop(client->family == 4 ? AF_INET : AF_INET6, client->ip, ip, sizeof(ip));
	out->ip = xstrdup(ip);
	out->sender = xstrdup(client->sender ? client->sender : "");
	out->helo = xstrdup(client->helo ? client->helo : "");

	/* RFC 7208 §4.3: a malformed or single-label domain gives none */
	char domain[DD_NAME_MAX + 1];
	if (!dd_spf_name(p->domain, strlen(p->domain), domain) || dd_name_labels(domain) < 2) {
		out->result = DD_SPF_NONE;
		dd_words_set(
		        &out->reason,
		        xasprintf("%s is not a valid multi-label domain name (an empty "
		                  "label, or one over 63 octets?) (RFC 7208 §4.3)",
		                  p->domain),
		        xasprintf("%s は複数のラベルからなる正しいドメイン名ではありません "
		                  "(空のラベルか、63 オクテットを超えるラベル?) (RFC 7208 §4.3)",
		                  p->domain));
		return;
	}
	out->result = check(&e, domain, true, true);
	out->ptr_names = e.ptr_names;
	/* a permerror or temperror result, and none, keep the path to where it happened */
	if (out->result == DD_SPF_FAIL && e.exp_spec) {
		struct dd_spf_verdict scratch;
		memset(&scratch, 0, sizeof(scratch));
		e.v = &scratch;
		out->explanation = explanation(&e);
		e.v = out;
		dd_spf_verdict_finish(&scratch);
	}
	free(e.exp_domain);
	free(e.exp_spec);
}

bool dd_spf_validated_name(const struct dd_posture *p, const struct dd_spf_client *client,
                           const char *domain, char out[DD_NAME_MAX + 1])
{
	struct dd_spf_verdict scratch;
	struct eval e;
	enum dd_spf_result err;
	memset(&scratch, 0, sizeof(scratch));
	memset(&e, 0, sizeof(e));
	e.p = p;
	e.c = client;
	e.v = &scratch;
	bool done = client->has_ip && validate_ptr(&e, &err);
	if (done)
		memcpy(out, p_macro(&e, domain), DD_NAME_MAX + 1);
	dd_spf_verdict_finish(&scratch);
	return done;
}
