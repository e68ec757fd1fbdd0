/*
 * dnssec.c: do the domain's answers validate from the trust anchor?
 *
 * wants(): the DNSKEY records of the anchor's zone and of every name from
 * there down to the domain, and the DS records of every name below the
 * anchor (example.co.jp: DNSKEY . jp co.jp example.co.jp, DS jp co.jp
 * example.co.jp) - all at once, so the chain costs one round trip, and the
 * names above the domain are shared by the whole batch through the cache.
 * Which of the names are zone cuts is read from the answers: a signed DS
 * set is a secure cut, a proven absence of DS with NS at the name an
 * insecure one, a proven absence without NS a name inside its parent's
 * zone (RFC 4035 §5.2, RFC 4035 §5.4).
 *
 * judge(): walks the chain (keys matched against the anchor or the DS set,
 * the DNSKEY set verified with those keys, the next DS set with the zone's
 * keys, ...), then verifies the mail records themselves - the SPF TXT, the
 * DMARC TXT where it was found, the MX set - with the keys of their zone:
 * "signed" means a validating resolver gets them authenticated. The crypto
 * is ldns' (cmd/dnssec_ldns.c, through dd_check_options.dnssec).
 *
 * Deliberately ignored: wildcard expansion proofs of positive answers
 * (ldns checks the RRSIG labels; the NSEC proving no closer match is not
 * asked for), and names reached through CNAMEs into other trees, whose
 * chains are not looked up (their verdict is "undetermined").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dnssec_int.h"
#include "dd/util.h"

bool dd_dnssec_under(const char *name, const char *zone)
{
	return strcmp(zone, ".") == 0 || dd_name_is_under(name, zone);
}

void dd_dnssec_format_time(uint32_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(buf, n, "%u", t);
}

/* The owner of a record in presentation form, normalised ("." for the root). */
static bool rr_owner(const char *rr, char *out, size_t n)
{
	size_t len = strcspn(rr, " \t");
	if (len == 1 && rr[0] == '.') {
		snprintf(out, n, ".");
		return true;
	}
	return dd_name_normalize(rr, len, out, n);
}

bool dd_dnssec_ctx_init(struct dd_dnssec_ctx *c, const struct dd_posture *p, const char *name)
{
	memset(c, 0, sizeof(*c));
	c->p = p;
	c->o = p->opts;
	/* --offline: the chain lies outside the zone files, and a proposed zone
	 * file is signed when it is deployed - nothing to validate */
	if (!c->o || !c->o->dnssec || c->o->ntrust_anchor == 0 || c->o->offline)
		return false;
	/* the deepest anchor above the name wins (RFC 4035 §4.4) */
	char best[DD_NAME_MAX + 1], owner[DD_NAME_MAX + 1];
	size_t best_len = 0;
	bool have = false;
	for (size_t i = 0; i < c->o->ntrust_anchor; i++) {
		if (!rr_owner(c->o->trust_anchor[i], owner, sizeof(owner)) ||
		    !dd_dnssec_under(name, owner))
			continue;
		size_t len = strcmp(owner, ".") == 0 ? 0 : strlen(owner) + 1;
		if (!have || len > best_len) {
			snprintf(best, sizeof(best), "%s", owner);
			best_len = len;
			have = true;
		}
	}
	if (!have)
		return false;
	c->anchor = xstrdup(best);
	c->anchors = xcalloc(c->o->ntrust_anchor, sizeof(*c->anchors));
	for (size_t i = 0; i < c->o->ntrust_anchor; i++)
		if (rr_owner(c->o->trust_anchor[i], owner, sizeof(owner)) &&
		    strcmp(owner, best) == 0)
			c->anchors[c->nanchors++] = c->o->trust_anchor[i];
	return true;
}

void dd_dnssec_ctx_finish(struct dd_dnssec_ctx *c)
{
	free((char *)c->anchor);
	free(c->anchors);
	memset(c, 0, sizeof(*c));
}

/* The names from just below `top` down to `name`, top first. */
static size_t names_below(const char *name, const char *top, const char **out, size_t max)
{
	size_t n = 0;
	for (const char *s = name; s && n < max; s = dd_name_parent(s)) {
		if (strcmp(s, top) == 0)
			break;
		out[n++] = s;
	}
	for (size_t i = 0; i < n / 2; i++) {
		const char *t = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = t;
	}
	return n;
}

/* wants: DNSKEY at the anchor and at every name below it down to `name`, DS below. */
void dd_dnssec_want_chain(const struct dd_dnssec_ctx *c, const char *name, struct dd_wants *out)
{
	const char *names[128];
	size_t n = names_below(name, c->anchor, names, DD_ARRAY_LEN(names));
	if (dd_posture_find(c->p, c->anchor, DD_RR_DNSKEY) < 0)
		dd_wants_add(out, c->anchor, DD_RR_DNSKEY);
	for (size_t i = 0; i < n; i++) {
		if (dd_posture_find(c->p, names[i], DD_RR_DS) < 0)
			dd_wants_add(out, names[i], DD_RR_DS);
		if (dd_posture_find(c->p, names[i], DD_RR_DNSKEY) < 0)
			dd_wants_add(out, names[i], DD_RR_DNSKEY);
	}
}

/* _dmarc.<domain>, where DMARC looks first; false when it is too long a name. */
static bool dmarc_name(const char *domain, char name[DD_NAME_MAX + 8])
{
	int n = snprintf(name, DD_NAME_MAX + 8, "_dmarc.%s", domain);
	return n > 0 && n <= DD_NAME_MAX;
}

static void dnssec_wants(const struct dd_posture *p, struct dd_wants *out)
{
	struct dd_dnssec_ctx c;
	if (!dd_dnssec_ctx_init(&c, p, p->domain))
		return;
	dd_dnssec_want_chain(&c, p->domain, out);
	dd_dnssec_ctx_finish(&c);
	/* asked by SPF, DMARC and MX anyway; wanted here too, so that
	 * dnssec_follow sees where their CNAMEs lead: every name of the DMARC
	 * tree walk, since the record may be the organizational domain's */
	dd_wants_add(out, p->domain, DD_RR_TXT);
	dd_wants_add(out, p->domain, DD_RR_MX);
	char walk[DD_DMARC_WALK_MAX][DD_NAME_MAX + 1];
	size_t n = dd_dmarc_walk_names(p->domain, walk, DD_DMARC_WALK_MAX);
	for (size_t i = 0; i < n; i++)
		dd_wants_add(out, walk[i], DD_RR_TXT);
}

/*
 * A mail record (SPF, DMARC, MX) whose answer a CNAME chain brought from
 * another tree is signed, or not, in the target's zone: ask that zone's
 * chain too, so that judge_record can tell signed from unsigned there
 * rather than say its zone cut was not looked up.
 */
static bool mail_record(const struct dd_posture *p, const struct dd_query *q)
{
	if (q->type == DD_RR_MX || q->type == DD_RR_TXT)
		if (strcmp(q->name, p->domain) == 0)
			return true;
	return q->type == DD_RR_TXT && strncmp(q->name, "_dmarc.", 7) == 0;
}

static void dnssec_follow(const struct dd_posture *p, size_t qi, struct dd_wants *out)
{
	const struct dd_query *q = &p->queries[qi];
	const struct dd_answer *a = q->answer;
	if (!a || a->ncnames == 0 || !mail_record(p, q))
		return;
	const char *owner = dd_answer_owner(a);
	struct dd_dnssec_ctx c;
	if (!dd_dnssec_ctx_init(&c, p, owner))
		return;
	dd_dnssec_want_chain(&c, owner, out);
	dd_dnssec_ctx_finish(&c);
}

/* ---------------------------------------------------------------- walk */

static const char *const *sec(const struct dd_answer *a)
{
	return (const char *const *)a->sec;
}

void dd_walk_finish(struct dd_walk *w)
{
	dd_words_finish(&w->reason);
}

/* Where and why the walk ends; en and ja are the reason's words, owned. */
static void walk_stop(struct dd_walk *w, enum dd_dnssec_state state, const char *at, char *en,
                      char *ja)
{
	w->state = state;
	snprintf(w->at, sizeof(w->at), "%s", at);
	dd_words_set(&w->reason, en, ja);
}

static const struct dd_text *problem_words(const struct dd_sec_detail *d)
{
	static const struct dd_text expired = { "the signature has expired",
		                                "署名の有効期限が切れています" };
	static const struct dd_text not_yet = { "the signature is not valid yet",
		                                "署名の有効期間がまだ始まっていません" };
	static const struct dd_text bad_sig = { "the signature does not verify",
		                                "署名が検証に合格しません" };
	static const struct dd_text no_key = { "no key of the zone made the signature",
		                               "署名した鍵がゾーンの鍵にありません" };
	static const struct dd_text no_proof = {
		"no NSEC or NSEC3 record proves the answer",
		"応答を証明する NSEC または NSEC3 レコードがありません"
	};
	static const struct dd_text other = { "it does not validate", "検証に合格しません" };
	switch (d->problem) {
	case DD_SEC_EXPIRED: return &expired;
	case DD_SEC_NOT_YET: return &not_yet;
	case DD_SEC_BAD_SIG: return &bad_sig;
	case DD_SEC_NO_KEY: return &no_key;
	case DD_SEC_NO_PROOF: return &no_proof;
	case DD_SEC_OK: break;
	}
	return &other;
}

/* "<what>: <problem> - <the validator's words>"; what may be NULL. The
 * validator (ldns) speaks English only: Japanese quotes it as its own. */
static void verdict_words(char **en, char **ja, const char *what_en, const char *what_ja,
                          const struct dd_sec_detail *d)
{
	const struct dd_text *pw = problem_words(d);
	*en = xasprintf("%s%s%s%s%s", what_en ? what_en : "", what_en ? ": " : "", pw->en,
	                d->why[0] ? " - " : "", d->why);
	*ja = xasprintf("%s%s%s%s%s%s", what_ja ? what_ja : "", what_ja ? ": " : "", pw->ja,
	                d->why[0] ? " (ldns: " : "", d->why, d->why[0] ? ")" : "");
}

static void stop_verdict(struct dd_walk *w, const char *at, const char *what_en,
                         const char *what_ja)
{
	char *en, *ja;
	verdict_words(&en, &ja, what_en, what_ja, &w->detail);
	walk_stop(w, DD_DNSSEC_BOGUS, at, en, ja);
}

/* A set the validator could not read back (d->unread records): no verdict.
 * "<what>: <the validator's words>"; what may be NULL. */
static void unreadable_words(char **en, char **ja, const char *what_en, const char *what_ja,
                             const struct dd_sec_detail *d)
{
	*en = xasprintf("%s%s%s", what_en ? what_en : "", what_en ? ": " : "", d->why);
	*ja = xasprintf("%s%s%u 件のレコードを読み戻せなかったため、検証していません",
	                what_ja ? what_ja : "", what_ja ? ": " : "", d->unread);
}

static void stop_unreadable(struct dd_walk *w, const char *at, const char *what_en,
                            const char *what_ja)
{
	char *en, *ja;
	unreadable_words(&en, &ja, what_en, what_ja, &w->detail);
	walk_stop(w, DD_DNSSEC_UNDETERMINED, at, en, ja);
}

/* A lookup of the walk: NULL and a stop when it gives nothing to go on. */
static const struct dd_answer *walk_answer(const struct dd_dnssec_ctx *c, struct dd_walk *w,
                                           const char *name, uint16_t type)
{
	const struct dd_answer *a = dd_posture_answer(c->p, name, type);
	if (!a) {
		walk_stop(w, DD_DNSSEC_UNDETERMINED, name,
		          xasprintf("%s %s was not looked up", name, dd_rrtype_name(type)),
		          xasprintf("%s の %s レコードは問い合わせていません", name,
		                    dd_rrtype_name(type)));
		return NULL;
	}
	if (a->status == DD_DNS_UNKNOWN) {
		walk_stop(
		        w, DD_DNSSEC_UNKNOWN, name,
		        xasprintf("%s %s was not looked up (offline)", name, dd_rrtype_name(type)),
		        xasprintf("%s の %s レコードは問い合わせていません (--offline)", name,
		                  dd_rrtype_name(type)));
		return NULL;
	}
	if (dd_dns_status_is_failure(a->status)) {
		walk_stop(w, DD_DNSSEC_UNDETERMINED, name,
		          xasprintf("the %s lookup of %s failed (%s)", dd_rrtype_name(type), name,
		                    dd_dns_status_name(a->status)),
		          xasprintf("%s の %s の問い合わせに失敗しました (%s)", name,
		                    dd_rrtype_name(type), dd_dns_status_name(a->status)));
		return NULL;
	}
	return a;
}

static void add_unique(uint8_t *v, size_t *n, size_t max, unsigned x)
{
	for (size_t i = 0; i < *n; i++)
		if (v[i] == x)
			return;
	if (*n < max)
		v[(*n)++] = (uint8_t)x;
}

static struct dd_dnssec_link *add_link(struct dd_dnssec_info *info, const char *zone,
                                       enum dd_dnssec_state state, const struct dd_answer *keys,
                                       const struct dd_answer *ds)
{
	if (!info)
		return NULL;
	info->chain = xrealloc(info->chain, (info->nchain + 1) * sizeof(*info->chain));
	struct dd_dnssec_link *l = &info->chain[info->nchain++];
	memset(l, 0, sizeof(*l));
	l->zone = xstrdup(zone);
	l->state = state;
	for (size_t i = 0; keys && i < keys->nrrs; i++) {
		unsigned flags, proto, alg;
		if (sscanf(keys->rrs[i].data, "%u %u %u", &flags, &proto, &alg) == 3)
			add_unique(l->algorithms, &l->nalgorithms, DD_ARRAY_LEN(l->algorithms),
			           alg);
	}
	for (size_t i = 0; ds && i < ds->nrrs; i++) {
		unsigned tag, alg, digest;
		if (sscanf(ds->rrs[i].data, "%u %u %u", &tag, &alg, &digest) == 3)
			add_unique(l->digests, &l->ndigests, DD_ARRAY_LEN(l->digests), digest);
	}
	return l;
}

/*
 * The algorithms the DS records name (RFC 4034 §5.1.2), for a zone the
 * validator does not follow: its DNSKEY set is never validated, so the DS
 * set is the only trusted word on how the zone is signed - and a zone
 * signed only with an algorithm RFC 8624 §3.1 forbids is just such a zone.
 */
static void link_ds_algorithms(struct dd_dnssec_link *l, const struct dd_answer *ds)
{
	for (size_t i = 0; l && i < ds->nrrs; i++) {
		unsigned tag, alg, digest;
		if (sscanf(ds->rrs[i].data, "%u %u %u", &tag, &alg, &digest) == 3)
			add_unique(l->algorithms, &l->nalgorithms, DD_ARRAY_LEN(l->algorithms),
			           alg);
	}
}

/*
 * The zone's DNSKEY set, validated by the keys that `anchors` (the trust
 * anchor, or the parent's DS set) name: RFC 4035 §5.2.
 */
static bool validate_keys(const struct dd_dnssec_ctx *c, struct dd_walk *w, const char *zone,
                          const struct dd_answer *dk, const char *const *anchors, size_t nanchors,
                          const struct dd_text *anchor_what)
{
	const struct dd_dnssec_ops *ops = c->o->dnssec;
	if (dk->status != DD_DNS_OK || dk->nsec == 0) {
		walk_stop(
		        w, DD_DNSSEC_BOGUS, zone,
		        xasprintf("%s has %s but no signed DNSKEY records", zone, anchor_what->en),
		        xasprintf("%s には %s がありますが、署名された DNSKEY レコードがありません",
		                  zone, anchor_what->ja));
		return false;
	}
	bool *matched = xcalloc(dk->nsec, sizeof(bool));
	size_t n = ops->match(c->o->dnssec_ctx, anchors, nanchors, sec(dk), dk->nsec, matched);
	const char **keys = xcalloc(n ? n : 1, sizeof(*keys));
	size_t k = 0;
	for (size_t i = 0; i < dk->nsec; i++)
		if (matched[i])
			keys[k++] = dk->sec[i];
	free(matched);
	bool ok = false;
	if (k == 0) {
		walk_stop(w, DD_DNSSEC_BOGUS, zone,
		          xasprintf("no DNSKEY record of %s matches %s", zone, anchor_what->en),
		          xasprintf("%s の DNSKEY レコードはどれも %s と一致しません", zone,
		                    anchor_what->ja));
		goto out;
	}
	memset(&w->detail, 0, sizeof(w->detail));
	enum dd_sec_verdict v = ops->verify(c->o->dnssec_ctx, sec(dk), dk->nsec, DD_RR_DNSKEY, keys,
	                                    k, c->o->now, &w->detail);
	char what_en[DD_NAME_MAX + 32], what_ja[DD_NAME_MAX + 32];
	snprintf(what_en, sizeof(what_en), "the DNSKEY records of %s", zone);
	snprintf(what_ja, sizeof(what_ja), "%s の DNSKEY レコード", zone);
	if (v == DD_SEC_UNREADABLE) {
		stop_unreadable(w, zone, what_en, what_ja);
		goto out;
	}
	if (v == DD_SEC_UNSUPPORTED) {
		/* RFC 4035 §5.2: a zone signed only with algorithms the validator does
		 * not know is treated as unsigned */
		walk_stop(w, DD_DNSSEC_UNSIGNED, zone,
		          xasprintf("%s is signed only with algorithms the validator does not "
		                    "implement",
		                    zone),
		          xasprintf("%s は検証器が実装していないアルゴリズムだけで署名されています",
		                    zone));
		goto out;
	}
	if (v != DD_SEC_SECURE) {
		stop_verdict(w, zone, what_en, what_ja);
		goto out;
	}
	ok = true;
out:
	free(keys);
	return ok;
}

/* A DS record the validator can follow: a digest ldns computes (SHA-1,
 * SHA-256, SHA-384) of a key in an algorithm it verifies. */
static bool ds_usable(const struct dd_answer *ds)
{
	for (size_t i = 0; i < ds->nrrs; i++) {
		unsigned tag, alg, digest;
		if (sscanf(ds->rrs[i].data, "%u %u %u", &tag, &alg, &digest) != 3)
			continue;
		bool alg_ok =
		        alg == 5 || alg == 7 || alg == 8 || alg == 10 || (alg >= 13 && alg <= 16);
		if (alg_ok && (digest == 1 || digest == 2 || digest == 4))
			return true;
	}
	return false;
}

void dd_dnssec_walk(const struct dd_dnssec_ctx *c, const char *target, struct dd_walk *w,
                    struct dd_dnssec_info *info)
{
	const struct dd_dnssec_ops *ops = c->o->dnssec;
	memset(w, 0, sizeof(*w));
	snprintf(w->zone, sizeof(w->zone), "%s", c->anchor);
	const struct dd_answer *dk = walk_answer(c, w, c->anchor, DD_RR_DNSKEY);
	if (!dk)
		goto fail;
	if (dk->status != DD_DNS_OK && strcmp(c->anchor, ".") == 0) {
		/* the root always has keys: a resolver that says otherwise is not one
		 * a receiver would use - an authoritative server for other zones, or
		 * a broken one. That says nothing about the domain. (An anchor for
		 * another zone that has no keys is bogus, below.) */
		walk_stop(w, DD_DNSSEC_UNDETERMINED, c->anchor,
		          xasprintf("the resolver answered %s for the DNSKEY records of %s, the "
		                    "trust anchor's zone: ask a recursive resolver",
		                    dd_dns_status_name(dk->status), c->anchor),
		          xasprintf("トラストアンカーのゾーン %s の DNSKEY レコードに、リゾルバは "
		                    "%s と答えました。再帰リゾルバに問い合わせてください",
		                    c->anchor, dd_dns_status_name(dk->status)));
		goto fail;
	}
	if (dk->nsec == 0) {
		/* a resolver that drops the DO bit: nothing can be validated */
		walk_stop(w, DD_DNSSEC_UNDETERMINED, c->anchor,
		          xasprintf("the DNSKEY records of %s came without signatures: the "
		                    "resolver may not support DNSSEC",
		                    c->anchor),
		          xasprintf("%s の DNSKEY レコードに署名が付いていません。リゾルバが "
		                    "DNSSEC に対応していない可能性があります",
		                    c->anchor));
		goto fail;
	}
	static const struct dd_text the_anchor = { "the trust anchor", "トラストアンカー" };
	if (!validate_keys(c, w, c->anchor, dk, c->anchors, c->nanchors, &the_anchor))
		goto fail;
	add_link(info, c->anchor, DD_DNSSEC_SIGNED, dk, NULL);
	w->keys = dk;

	const char *names[128];
	size_t n = names_below(target, c->anchor, names, DD_ARRAY_LEN(names));
	for (size_t i = 0; i < n; i++) {
		const char *name = names[i];
		const struct dd_answer *ds = dd_posture_answer(c->p, name, DD_RR_DS);
		if (!ds) {
			/* not asked (below the domain, or a CNAME target's tree): taken
			 * as inside the zone, though a zone cut may hide there */
			if (!w->unasked[0])
				snprintf(w->unasked, sizeof(w->unasked), "%s", name);
			continue;
		}
		if (!(ds = walk_answer(c, w, name, DD_RR_DS)))
			goto fail;
		memset(&w->detail, 0, sizeof(w->detail));
		if (ds->status == DD_DNS_OK) {
			enum dd_sec_verdict v =
			        ds->nsec ? ops->verify(c->o->dnssec_ctx, sec(ds), ds->nsec,
			                               DD_RR_DS, sec(w->keys), w->keys->nsec,
			                               c->o->now, &w->detail)
			                 : DD_SEC_INDETERMINATE;
			if (v != DD_SEC_SECURE) {
				char what_en[DD_NAME_MAX + 32], what_ja[DD_NAME_MAX + 32];
				snprintf(what_en, sizeof(what_en), "the DS records of %s", name);
				snprintf(what_ja, sizeof(what_ja), "%s の DS レコード", name);
				if (v == DD_SEC_INDETERMINATE)
					walk_stop(w, DD_DNSSEC_BOGUS, name,
					          xasprintf("%s in %s are not signed", what_en,
					                    w->zone),
					          xasprintf("%s にある %s に署名がありません",
					                    w->zone, what_ja));
				else if (v == DD_SEC_UNREADABLE) {
					stop_unreadable(w, name, what_en, what_ja);
					add_link(info, name, DD_DNSSEC_UNDETERMINED, NULL, ds);
					goto fail;
				} else
					stop_verdict(w, name, what_en, what_ja);
				add_link(info, name, DD_DNSSEC_BOGUS, NULL, ds);
				goto fail;
			}
			if (!ds_usable(ds)) {
				/* RFC 4035 §5.2: no DS the validator can use is as no DS at all */
				walk_stop(
				        w, DD_DNSSEC_UNSIGNED, name,
				        xasprintf("the DS records of %s use only digest types or "
				                  "algorithms the validator does not implement",
				                  name),
				        xasprintf(
				                "%s の DS レコードは、検証器が実装していない"
				                "ダイジェスト形式かアルゴリズムだけを使っています",
				                name));
				struct dd_dnssec_link *l =
				        add_link(info, name, DD_DNSSEC_UNSIGNED, NULL, ds);
				link_ds_algorithms(l, ds);
				if (l)
					dd_words_copy(&l->reason, &w->reason);
				snprintf(w->zone, sizeof(w->zone), "%s", name);
				w->keys = NULL;
				return;
			}
			const struct dd_answer *cdk = walk_answer(c, w, name, DD_RR_DNSKEY);
			if (!cdk)
				goto fail;
			char what_en[DD_NAME_MAX + 32], what_ja[DD_NAME_MAX + 32];
			snprintf(what_en, sizeof(what_en), "DS records in %s", w->zone);
			snprintf(what_ja, sizeof(what_ja), "%s の DS レコード", w->zone);
			const struct dd_text what = { what_en, what_ja };
			if (!validate_keys(c, w, name, cdk, sec(ds), ds->nsec, &what)) {
				struct dd_dnssec_link *l = add_link(info, name, w->state, cdk, ds);
				if (l)
					dd_words_copy(&l->reason, &w->reason);
				if (w->state == DD_DNSSEC_UNSIGNED)
					snprintf(w->zone, sizeof(w->zone), "%s", name);
				goto fail;
			}
			add_link(info, name, DD_DNSSEC_SIGNED, cdk, ds);
			snprintf(w->zone, sizeof(w->zone), "%s", name);
			w->unasked[0] = '\0'; /* the cut is known: here */
			w->keys = cdk;
			continue;
		}
		/* no DS: a name inside the zone, or a delegation to an unsigned zone */
		bool nx = ds->status == DD_DNS_NXDOMAIN;
		enum dd_sec_verdict v =
		        ops->denial(c->o->dnssec_ctx, name, DD_RR_DS, nx, sec(ds), ds->nsec,
		                    sec(w->keys), w->keys->nsec, c->o->now, &w->detail);
		char what_en[DD_NAME_MAX + 48], what_ja[DD_NAME_MAX + 64];
		snprintf(what_en, sizeof(what_en), "the answer that %s has no DS record", name);
		snprintf(what_ja, sizeof(what_ja), "%s に DS レコードがないという応答", name);
		if (v == DD_SEC_UNREADABLE) {
			/* neither a proof nor its failure: the cut may be here or not */
			stop_unreadable(w, name, what_en, what_ja);
			add_link(info, name, DD_DNSSEC_UNDETERMINED, NULL, NULL);
			goto fail;
		}
		if (v == DD_SEC_INDETERMINATE || v == DD_SEC_BOGUS) {
			if (v == DD_SEC_INDETERMINATE)
				w->detail.problem = DD_SEC_NO_PROOF;
			stop_verdict(w, name, what_en, what_ja);
			add_link(info, name, DD_DNSSEC_BOGUS, NULL, NULL);
			goto fail;
		}
		if (v == DD_SEC_SECURE && (w->detail.delegation || w->detail.opt_out)) {
			walk_stop(w, DD_DNSSEC_UNSIGNED, name,
			          xasprintf("%s is delegated from %s without a DS record", name,
			                    w->zone),
			          xasprintf("%s は DS レコードなしで %s から委任されています", name,
			                    w->zone));
			add_link(info, name, DD_DNSSEC_UNSIGNED, NULL, NULL);
			snprintf(w->zone, sizeof(w->zone), "%s", name);
			w->keys = NULL;
			return;
		}
		if (nx)
			break; /* nothing below exists; the answers below are denials of the zone */
	}
	w->state = DD_DNSSEC_SIGNED;
	return;
fail:
	w->keys = w->state == DD_DNSSEC_SIGNED ? w->keys : NULL;
}

enum dd_dnssec_state dd_dnssec_answer_state(const struct dd_dnssec_ctx *c, const struct dd_walk *w,
                                            const struct dd_answer *a, char **signer,
                                            struct dd_words *reason, struct dd_sec_detail *d)
{
	const struct dd_dnssec_ops *ops = c->o->dnssec;
	*signer = NULL;
	dd_words_finish(reason);
	memset(d, 0, sizeof(*d));
	if (a->status == DD_DNS_UNKNOWN || a->source != DD_SOURCE_LIVE) {
		if (a->source == DD_SOURCE_ZONE)
			dd_words_set(
			        reason,
			        xstrdup("the answer comes from a zone file, which carries no "
			                "signatures"),
			        xstrdup("応答はゾーンファイルから得たもので、ゾーンファイルには"
			                "署名がありません"));
		else
			dd_words_set(reason, xstrdup("the answer was not looked up in DNS"),
			             xstrdup("応答は DNS に問い合わせていません"));
		return DD_DNSSEC_UNKNOWN;
	}
	if (dd_dns_status_is_failure(a->status)) {
		const char *st = dd_dns_status_name(a->status);
		dd_words_set(reason, xasprintf("the lookup failed (%s)", st),
		             xasprintf("問い合わせに失敗しました (%s)", st));
		return DD_DNSSEC_UNDETERMINED;
	}
	if (w->state != DD_DNSSEC_SIGNED) {
		dd_words_copy(reason, &w->reason);
		return w->state;
	}
	const char *owner = dd_answer_owner(a);
	enum dd_sec_verdict v;
	if (a->status == DD_DNS_OK)
		v = a->nsec ? ops->verify(c->o->dnssec_ctx, sec(a), a->nsec, a->qtype, sec(w->keys),
		                          w->keys->nsec, c->o->now, d)
		            : DD_SEC_INDETERMINATE;
	else
		v = ops->denial(c->o->dnssec_ctx, owner, a->qtype, a->status == DD_DNS_NXDOMAIN,
		                sec(a), a->nsec, sec(w->keys), w->keys->nsec, c->o->now, d);
	if (v == DD_SEC_SECURE) {
		*signer = xstrdup(d->signer[0] ? d->signer : w->zone);
		return DD_DNSSEC_SIGNED;
	}
	if (v == DD_SEC_UNREADABLE) {
		/* neither signed nor unsigned: what was checked was not the answer */
		char *en, *ja;
		unreadable_words(&en, &ja, NULL, NULL, d);
		dd_words_set(reason, en, ja);
		return DD_DNSSEC_UNDETERMINED;
	}
	if (d->signer[0] && strcmp(d->signer, w->zone) != 0 &&
	    dd_dnssec_under(d->signer, w->zone)) {
		dd_words_set(
		        reason,
		        xasprintf("signed by %s, a zone whose keys were not looked up", d->signer),
		        xasprintf("%s が署名していますが、そのゾーンの鍵は問い合わせていません",
		                  d->signer));
		return DD_DNSSEC_UNDETERMINED;
	}
	if (v == DD_SEC_INDETERMINATE) {
		/* RFC 4035 §5.2: only a proven zone cut without DS makes it insecure;
		 * one that was not asked about may be, so w->zone is not named as
		 * the zone that left the answer unsigned */
		if (w->unasked[0] && dd_dnssec_under(owner, w->unasked))
			dd_words_set(reason,
			             xasprintf("no signature came with the answer, which may "
			                       "come from an unsigned zone at or below %s (its "
			                       "DS records were not looked up)",
			                       w->unasked),
			             xasprintf("応答に署名が付いていません。%s かその下の"
			                       "未署名のゾーンからの応答かもしれません (その DS "
			                       "レコードは問い合わせていません)",
			                       w->unasked));
		else
			dd_words_set(reason,
			             xasprintf("no signature came with the answer, although %s "
			                       "is signed",
			                       w->zone),
			             xasprintf("%s は署名されていますが、応答に署名が付いて"
			                       "いません",
			                       w->zone));
		return DD_DNSSEC_UNSIGNED;
	}
	if (v == DD_SEC_UNSUPPORTED) {
		dd_words_set(reason,
		             xstrdup("signed only with algorithms the validator does not "
		                     "implement"),
		             xstrdup("検証器が実装していないアルゴリズムだけで署名されています"));
		return DD_DNSSEC_UNSIGNED;
	}
	char *en, *ja;
	verdict_words(&en, &ja, NULL, NULL, d);
	dd_words_set(reason, en, ja);
	return DD_DNSSEC_BOGUS;
}

/* --------------------------------------------------------------- judge */

static void bogus_finding(struct dd_result *r, const char *what, const char *name,
                          const struct dd_words *reason, const struct dd_sec_detail *d, bool record)
{
	char when[40];
	if (d->problem == DD_SEC_EXPIRED || d->problem == DD_SEC_NOT_YET) {
		dd_dnssec_format_time(d->problem == DD_SEC_EXPIRED ? d->expiration : d->inception,
		                      when, sizeof(when));
		dd_findings_add(&r->findings,
		                d->problem == DD_SEC_EXPIRED ? "dnssec.signature-expired"
		                                             : "dnssec.signature-not-yet-valid",
		                what, name, when, NULL);
		return;
	}
	const char *en = reason->en ? reason->en : "";
	struct dd_finding *f =
	        record ? dd_findings_add(&r->findings, "dnssec.record-bogus", what, name, en, NULL)
	               : dd_findings_add(&r->findings, "dnssec.bogus", r->domain, name, en, NULL);
	dd_finding_arg_ja(f, 2, reason->ja);
}

static void algorithm_findings(struct dd_result *r)
{
	const struct dd_dnssec_info *d = &r->dnssec;
	for (size_t i = 0; i < d->nchain; i++) {
		const struct dd_dnssec_link *l = &d->chain[i];
		for (size_t j = 0; j < l->nalgorithms; j++) {
			enum dd_alg_policy pol = dd_dnskey_alg_policy(l->algorithms[j]);
			const char *nm = dd_dnskey_alg_name(l->algorithms[j]);
			char num[8];
			snprintf(num, sizeof(num), "%u", l->algorithms[j]);
			if (pol == DD_ALG_MUST_NOT)
				dd_findings_add(&r->findings, "dnssec.algorithm-must-not", l->zone,
				                num, nm ? nm : "?", NULL);
			else if (pol == DD_ALG_NOT_RECOMMENDED)
				dd_findings_add(&r->findings, "dnssec.algorithm-not-recommended",
				                l->zone, num, nm ? nm : "?", NULL);
		}
		for (size_t j = 0; j < l->ndigests; j++) {
			enum dd_alg_policy pol = dd_ds_digest_policy(l->digests[j]);
			const char *nm = dd_ds_digest_name(l->digests[j]);
			char num[8];
			snprintf(num, sizeof(num), "%u", l->digests[j]);
			if (pol == DD_ALG_MUST_NOT || pol == DD_ALG_NOT_RECOMMENDED) {
				struct dd_finding *f =
				        dd_findings_add(&r->findings, "dnssec.ds-digest-deprecated",
				                        l->zone, num, nm ? nm : "?", NULL);
				if (pol == DD_ALG_MUST_NOT)
					f->severity = DD_SEV_ERROR;
			}
		}
	}
}

static void judge_record(const struct dd_dnssec_ctx *c, const struct dd_walk *w,
                         struct dd_result *r, const char *what, const char *name, uint16_t type)
{
	const struct dd_answer *a = dd_posture_answer(c->p, name, type);
	if (!a)
		return;
	struct dd_dnssec_info *d = &r->dnssec;
	d->records = xrealloc(d->records, (d->nrecords + 1) * sizeof(*d->records));
	struct dd_dnssec_record *rec = &d->records[d->nrecords++];
	memset(rec, 0, sizeof(*rec));
	rec->what = what;
	rec->name = xstrdup(name);
	rec->type = type;
	struct dd_sec_detail det;
	const struct dd_walk *use = w;
	struct dd_walk other;
	bool walked = false;
	if (a->ncnames && !dd_dnssec_under(dd_answer_owner(a), w->zone)) {
		/* the records sit in another tree: its chain is walked as far as it was asked */
		dd_dnssec_walk(c, dd_answer_owner(a), &other, NULL);
		use = &other;
		walked = true;
	}
	rec->state = dd_dnssec_answer_state(c, use, a, &rec->signer, &rec->reason, &det);
	const char *label = strcmp(what, "spf") == 0     ? "SPF"
	                    : strcmp(what, "dmarc") == 0 ? "DMARC"
	                                                 : "MX";
	if (rec->state == DD_DNSSEC_BOGUS && (use->state == DD_DNSSEC_SIGNED || use != w)) {
		/* its own signature, or the chain of the tree a CNAME led to, fails (the
		 * domain's broken chain is reported once, as dnssec.bogus) */
		bogus_finding(r, label, name, &rec->reason, &det, true);
		if (r->dnssec.state == DD_DNSSEC_SIGNED)
			r->dnssec.state = DD_DNSSEC_BOGUS;
	} else if (rec->state == DD_DNSSEC_UNSIGNED && w->state == DD_DNSSEC_SIGNED) {
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "dnssec.record-unsigned", label, name,
		                        rec->reason.en ? rec->reason.en : "", NULL);
		dd_finding_arg_ja(f, 2, rec->reason.ja);
	}
	if (walked)
		dd_walk_finish(&other);
}

static void dnssec_judge(const struct dd_posture *p, struct dd_result *r)
{
	struct dd_dnssec_ctx c;
	struct dd_dnssec_info *d = &r->dnssec;
	if (!dd_dnssec_ctx_init(&c, p, p->domain)) {
		d->state = DD_DNSSEC_UNKNOWN;
		if (!p->opts || !p->opts->dnssec)
			dd_words_set(&d->reason,
			             xstrdup("DNSSEC checks are off (--no-dnssec, or no trust "
			                     "anchor file)"),
			             xstrdup("DNSSEC の確認はしていません (--no-dnssec か、"
			                     "トラストアンカーのファイルがありません)"));
		else if (p->opts->offline)
			dd_words_set(&d->reason,
			             xstrdup("--offline: zone files carry no signatures"),
			             xstrdup("--offline: ゾーンファイルには署名がありません"));
		else
			dd_words_set(
			        &d->reason, xstrdup("no trust anchor covers the domain"),
			        xstrdup("このドメインを対象とするトラストアンカーがありません"));
		return;
	}
	d->anchor = xstrdup(c.anchor);
	struct dd_walk w;
	dd_dnssec_walk(&c, p->domain, &w, d);
	d->state = w.state;
	d->zone = xstrdup(w.zone);
	dd_words_copy(&d->reason, &w.reason);

	/* a proposed zone file is signed when it is deployed, not now */
	const struct dd_answer *own = dd_posture_answer(p, p->domain, DD_RR_TXT);
	if (own && own->source != DD_SOURCE_LIVE && d->state != DD_DNSSEC_UNKNOWN) {
		d->state = DD_DNSSEC_UNKNOWN;
		dd_words_set(&d->reason,
		             xstrdup("the domain's records come from a zone file, which carries "
		                     "no signatures"),
		             xstrdup("ドメインのレコードはゾーンファイルから得たもので、"
		                     "ゾーンファイルには署名がありません"));
		/* what the chain above looked like says nothing about the proposed zone */
		for (size_t i = 0; i < d->nchain; i++) {
			free(d->chain[i].zone);
			dd_words_finish(&d->chain[i].reason);
		}
		d->nchain = 0;
	}
	if (d->state == DD_DNSSEC_UNKNOWN)
		goto out;
	judge_record(&c, &w, r, "spf", p->domain, DD_RR_TXT);
	if (r->dmarc.found_at)
		judge_record(&c, &w, r, "dmarc", r->dmarc.found_at, DD_RR_TXT);
	else {
		char name[DD_NAME_MAX + 8];
		if (dmarc_name(p->domain, name))
			judge_record(&c, &w, r, "dmarc", name, DD_RR_TXT);
	}
	judge_record(&c, &w, r, "mx", p->domain, DD_RR_MX);

	switch (w.state) {
	case DD_DNSSEC_UNSIGNED: {
		struct dd_strbuf b;
		dd_strbuf_init(&b);
		for (size_t i = 0; i < d->nrecords; i++)
			if (d->records[i].state == DD_DNSSEC_UNSIGNED) {
				const char *what = d->records[i].what;
				dd_strbuf_adds(&b, b.len ? ", " : "");
				dd_strbuf_adds(&b, strcmp(what, "spf") == 0     ? "SPF"
				                   : strcmp(what, "dmarc") == 0 ? "DMARC"
				                                                : "MX");
			}
		if (d->state == DD_DNSSEC_UNSIGNED)
			dd_findings_add(&r->findings, "dnssec.unsigned", p->domain, w.zone,
			                b.len ? b.s : "SPF, DMARC, MX", NULL);
		dd_strbuf_finish(&b);
		break;
	}
	case DD_DNSSEC_BOGUS:
		bogus_finding(r, "DNSKEY/DS", w.at, &w.reason, &w.detail, false);
		break;
	case DD_DNSSEC_UNDETERMINED:
		if (d->state == DD_DNSSEC_UNDETERMINED) {
			struct dd_finding *f =
			        dd_findings_add(&r->findings, "dnssec.undetermined", p->domain,
			                        w.reason.en ? w.reason.en : "", NULL);
			dd_finding_arg_ja(f, 1, w.reason.ja);
		}
		break;
	default: break;
	}
	algorithm_findings(r);
out:
	dd_walk_finish(&w);
	dd_dnssec_ctx_finish(&c);
}

const struct dd_check dd_check_dnssec = {
	.name = "dnssec",
	.wants = dnssec_wants,
	.follow = dnssec_follow,
	.judge = dnssec_judge,
};
