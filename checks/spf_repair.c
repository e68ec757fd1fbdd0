/*
 * spf_repair.c: a repaired SPF record for the domain - within the lookup
 * limits of RFC 7208 §4.6.4 and without redundant parts - and the proof of
 * what it changes (spf_proof.c evaluates both records for every client).
 *
 * Repairs, in order of least risk; each is kept only when the proof says
 * every client still gets the same result:
 *  1. mechanisms after all (never evaluated, §5.1), redirect= beside all
 *     (ignored, §6.1), a mechanism given twice (the second never matches);
 *  2. terms that decide nothing: an include whose every address is already
 *     authorised, a range inside another, an a: without addresses;
 *  3. ip4:/ip6: ranges of one qualifier merged (CIDR aggregation), then 2
 *     again (a merged range may cover more);
 *  4. only while the record is over a limit, includes inlined
 *     (spf_repair_inline.c).
 * Before 2, an mx over the MX host limit (more than 10 hosts, §4.6.4) is
 * replaced by the addresses of all its hosts (spf_repair_mx.c).
 * And +all or ?all made ~all: the one repair that changes results, which
 * the proof then lists exactly. It is done right after 1, and the steps
 * after it are proven against the record with ~all, so that they keep the
 * ranges ~all then needs (under +all every range is redundant).
 * The proposal is counted again by spf_tree.c as if it were published.
 *
 * Deliberately not done: ptr and terms with client macros are kept where
 * they are (their sets cannot be computed); a/mx of the domain itself are
 * kept (the owner's own hosts, resolved when mail arrives).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf_repair_int.h"

#define MAX_ATTEMPTS 160 /* proofs one repair may try: records are bounded, so is this */
#define MAX_IDLE     64  /* terms tried for removal (step 3) */
/* Beyond this many terms only the cheap steps run: no real sender has such a record */
#define MAX_TERMS_FULL 128
#define ZONE_STRING    255 /* RFC 1035 §3.3: one character-string */
#define UDP_RECORD     450 /* RFC 7208 §3.4 */

/* clang-format off */
static const struct dd_text why_text[] = {
	[DD_SPF_CH_AFTER_ALL] = {
		"never evaluated: it follows {1} (RFC 7208 §5.1)",
		"{1} の後にあるため評価されません (RFC 7208 §5.1)"},
	[DD_SPF_CH_REDIRECT_IGNORED] = {
		"ignored beside {1} (RFC 7208 §6.1)",
		"{1} があるため無視されます (RFC 7208 §6.1)"},
	[DD_SPF_CH_DUPLICATE] = {
		"the same mechanism comes earlier in the record, so this one never matches",
		"同じ機構がレコードの前の方にあるため、これは一致することがありません"},
	[DD_SPF_CH_MERGE_RANGES] = {
		"{1} ranges merged into {2}: exactly the same addresses",
		"{1} 個の範囲を {2} 個にまとめました。アドレスはまったく同じです"},
	[DD_SPF_CH_NEVER_MATCHES] = {
		"decides nothing: every address it matches is decided by another term first, or it matches none",
		"何も決めていません。一致するアドレスはすべて他の項目が先に決めているか、一致するアドレスがありません"},
	[DD_SPF_CH_COVERED_INCLUDE] = {
		"every address {1} authorises is already authorised by the rest of the record",
		"{1} が許可するアドレスはすべてレコードの他の部分で許可済みです"},
	[DD_SPF_CH_INLINE_INCLUDE] = {
		"inlined as the ranges it passes today ({2}), saving {3} DNS lookups; its records have a TTL of {4} s, and its owner can change these addresses without notice: the copy then goes stale",
		"現在許可している範囲 ({2} 個) に展開し、DNS 参照を {3} 回減らします。レコードの TTL は {4} 秒で、所有者は予告なくアドレスを変えられるため、その時この写しは古くなります"},
	[DD_SPF_CH_INLINE_REDIRECT] = {
		"the terms of {1} written in place of the redirect, saving 1 DNS lookup, so that its includes can be inlined too; the record no longer follows changes made at {1}",
		"リダイレクトの代わりに {1} の項目を書き、DNS 参照を 1 回減らして、その include も展開できるようにします。{1} での変更にはもう追従しません"},
	[DD_SPF_CH_INLINE_MX] = {
		"{1} has {2} MX hosts, more than the 10 a receiver looks up (RFC 7208 §4.6.4: permerror); replaced by the addresses those hosts have today ({3} ranges, the term's cidr-lengths kept), saving 1 DNS lookup; their records have a TTL of {4} s, and this list must be updated by hand whenever an MX host or its addresses change",
		"{1} の MX ホストは {2} 個で、受信側が参照する 10 個を超えています (RFC 7208 §4.6.4: permerror)。これらのホストの現在のアドレス ({3} 個の範囲、項目の CIDR 長のまま) に置き換え、DNS 参照を 1 回減らします。レコードの TTL は {4} 秒で、MX ホストやそのアドレスが変わるたびにこの一覧を手で更新する必要があります"},
	[DD_SPF_CH_ALL_QUALIFIER] = {
		"{1} replaced by {2}: unlisted hosts no longer get {3} (the proof lists the addresses)",
		"{1} を {2} に置き換えます。記載のないホストは {3} でなくなります (アドレスは証明に記載)"},
};
/* clang-format on */

const char *dd_spf_change_kind_name(enum dd_spf_change_kind k)
{
	static const char *const names[] = {
		"after-all",       "redirect-ignored", "duplicate",      "merge-ranges",
		"never-matches",   "covered-include",  "inline-include", "all-qualifier",
		"inline-redirect", "inline-mx",
	};
	return (size_t)k < DD_ARRAY_LEN(names) ? names[k] : "?";
}

const char *dd_spf_risk_name(enum dd_spf_risk r)
{
	switch (r) {
	case DD_SPF_RISK_NONE: return "none";
	case DD_SPF_RISK_STALE: return "stale";
	case DD_SPF_RISK_CHANGES: return "changes";
	}
	return "?";
}

/* ------------------------------------------------------------ terms */

void rp_terms_free(struct terms *t)
{
	strv_free(t->v, t->n);
	memset(t, 0, sizeof(*t));
}

void rp_terms_copy(struct terms *dst, const struct terms *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->n; i++)
		strv_add(&dst->v, &dst->n, xstrdup(src->v[i]));
}

char *rp_terms_text(const struct terms *t)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_adds(&b, "v=spf1");
	for (size_t i = 0; i < t->n; i++) {
		dd_strbuf_addc(&b, ' ');
		dd_strbuf_adds(&b, t->v[i]);
	}
	return dd_strbuf_own(&b);
}

bool rp_one_parse(const char *term, struct one *o)
{
	o->text = xasprintf("v=spf1 %s", term);
	dd_spf_parse(o->text, strlen(o->text), &o->rec);
	o->t = o->rec.nterms == 1 && !o->rec.error ? &o->rec.terms[0] : NULL;
	if (!o->t) {
		dd_spf_record_finish(&o->rec);
		free(o->text);
		o->text = NULL;
	}
	return o->t != NULL;
}

void rp_one_done(struct one *o)
{
	if (!o->t)
		return;
	dd_spf_record_finish(&o->rec);
	free(o->text);
	o->t = NULL;
}

/* The mechanism without its qualifier, lowercase: equal ones match the same clients. */
static char *mechanism_key(const char *text)
{
	if (*text && strchr("+-~?", *text))
		text++;
	char *k = xstrdup(text);
	for (char *s = k; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
	return k;
}

/* Two mechanisms the same for mechanism_key(): their text but the qualifier,
 * ASCII case folded. */
static bool same_mechanism(const struct dd_spf_term *a, const struct dd_spf_term *b)
{
	const char *x = a->text, *y = b->text;
	size_t nx = a->len, ny = b->len;
	if (nx && strchr("+-~?", *x))
		x++, nx--;
	if (ny && strchr("+-~?", *y))
		y++, ny--;
	if (nx != ny)
		return false;
	for (size_t i = 0; i < nx; i++) {
		char cx = x[i] >= 'A' && x[i] <= 'Z' ? (char)(x[i] + 32) : x[i];
		char cy = y[i] >= 'A' && y[i] <= 'Z' ? (char)(y[i] + 32) : y[i];
		if (cx != cy)
			return false;
	}
	return true;
}

/* ----------------------------------------------------------- the state */

struct dd_spf_change *rp_add_change(struct rep *r, enum dd_spf_change_kind kind)
{
	struct dd_spf_repair *o = r->out;
	o->changes = xrealloc(o->changes, (o->nchanges + 1) * sizeof(*o->changes));
	struct dd_spf_change *c = &o->changes[o->nchanges++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->why = &why_text[kind];
	return c;
}

void rp_change_finish(struct dd_spf_change *c)
{
	strv_free(c->removed, c->nremoved);
	strv_free(c->added, c->nadded);
	for (int k = 0; k < 4; k++)
		free(c->args[k]);
	memset(c, 0, sizeof(*c));
}

void rp_set_arg(struct dd_spf_change *c, int i, char *owned)
{
	free(c->args[i]);
	c->args[i] = owned;
}

/* Does the proposal `t` give every client the result the published record gives? */
bool rp_same(struct rep *r, const struct terms *t)
{
	if (r->attempts++ >= MAX_ATTEMPTS)
		return false;
	char *text = rp_terms_text(t);
	struct pf_eval e;
	pf_eval_record(&r->ctx, r->domain, text, strlen(text), &e);
	bool ok = pf_same(&r->orig, &e);
	pf_eval_finish(&e);
	free(text);
	return ok;
}

/* Remove term i of r->t into the change's removed list. */
static void take(struct rep *r, size_t i, struct dd_spf_change *c)
{
	strv_add(&c->removed, &c->nremoved, r->t.v[i]);
	memmove(&r->t.v[i], &r->t.v[i + 1], (r->t.n - i - 1) * sizeof(*r->t.v));
	r->t.n--;
}

/* ------------------------------------------- 1. what is never evaluated */

/* The change of this kind made by the current step, made when first needed.
 * By index: another change may move r->out->changes meanwhile. */
static struct dd_spf_change *step_change(struct rep *r, long *idx, enum dd_spf_change_kind kind,
                                         const char *all_text)
{
	if (*idx < 0) {
		*idx = (long)r->out->nchanges;
		rp_set_arg(rp_add_change(r, kind), 0, xstrdup(all_text));
	}
	return &r->out->changes[*idx];
}

static void drop_unevaluated(struct rep *r)
{
	long all = -1;
	for (size_t i = 0; i < r->t.n && all < 0; i++) {
		struct one o;
		if (rp_one_parse(r->t.v[i], &o)) {
			if (o.t->kind == DD_SPF_ALL)
				all = (long)i;
			rp_one_done(&o);
		}
	}
	if (all < 0)
		return;
	char *all_text = xstrdup(r->t.v[all]);
	long after = -1, redirect = -1;
	for (size_t i = 0; i < r->t.n;) {
		struct one o;
		if ((long)i == all || !rp_one_parse(r->t.v[i], &o)) {
			i++;
			continue;
		}
		enum dd_spf_kind k = o.t->kind;
		rp_one_done(&o);
		if (k == DD_SPF_REDIRECT) {
			/* §6.1: ignored beside all, wherever it is written */
			take(r, i, step_change(r, &redirect, DD_SPF_CH_REDIRECT_IGNORED, all_text));
			if ((long)i < all)
				all--;
		} else if (k < DD_SPF_REDIRECT && (long)i > all) {
			take(r, i, step_change(r, &after, DD_SPF_CH_AFTER_ALL, all_text));
		} else {
			i++;
		}
	}
	free(all_text);
}

void rp_drop_duplicates(struct rep *r)
{
	struct dd_spf_change *c = NULL;
	for (size_t i = 1; i < r->t.n;) {
		struct one o;
		bool mech = rp_one_parse(r->t.v[i], &o) && o.t->kind < DD_SPF_REDIRECT;
		rp_one_done(&o);
		char *key = mechanism_key(r->t.v[i]);
		bool dup = false;
		for (size_t k = 0; mech && k < i && !dup; k++) {
			char *other = mechanism_key(r->t.v[k]);
			dup = strcmp(key, other) == 0;
			free(other);
		}
		free(key);
		if (!dup) {
			i++;
			continue;
		}
		if (!c)
			c = rp_add_change(r, DD_SPF_CH_DUPLICATE);
		take(r, i, c);
	}
}

/* --------------------------------------------------- 2. merge ranges */

/* The ip4/ip6 terms of r->t with qualifier q: their indexes, and their union. */
static size_t ranges_of(struct rep *r, enum dd_spf_qualifier q, size_t *idx, struct amap u[2])
{
	size_t n = 0;
	am_init(&u[0], 4, 0);
	am_init(&u[1], 6, 0);
	for (size_t i = 0; i < r->t.n; i++) {
		struct one o;
		if (!rp_one_parse(r->t.v[i], &o))
			continue;
		const struct dd_spf_term *t = o.t;
		if ((t->kind == DD_SPF_IP4 || t->kind == DD_SPF_IP6) && t->qualifier == q) {
			idx[n++] = i;
			if (t->kind == DD_SPF_IP4)
				am_set_cidr(&u[0], t->addr, t->cidr4 < 0 ? 32 : t->cidr4, 1);
			else
				am_set_cidr(&u[1], t->addr, t->cidr6 < 0 ? 128 : t->cidr6, 1);
		}
		rp_one_done(&o);
	}
	return n;
}

bool rp_is_one(int v, int arg)
{
	(void)arg;
	return v == 1;
}

char *rp_qualified(enum dd_spf_qualifier q, const char *term)
{
	return q == DD_SPF_Q_PASS ? xstrdup(term)
	                          : xasprintf("%c%s", dd_spf_qualifier_char(q), term);
}

static void merge_ranges(struct rep *r)
{
	for (int q = DD_SPF_Q_PASS; q <= DD_SPF_Q_NEUTRAL; q++) {
		size_t *idx = xcalloc(r->t.n + 1, sizeof(*idx));
		struct amap u[2];
		size_t n = ranges_of(r, (enum dd_spf_qualifier)q, idx, u);
		char **blocks = NULL;
		size_t nblocks = 0;
		am_cidrs(&u[0], rp_is_one, 0, &blocks, &nblocks);
		am_cidrs(&u[1], rp_is_one, 0, &blocks, &nblocks);
		am_finish(&u[0]);
		am_finish(&u[1]);
		bool fewer = nblocks < n;
		/* the candidate: the blocks where the first range was, the others gone */
		struct terms cand;
		memset(&cand, 0, sizeof(cand));
		for (size_t i = 0, k = 0; fewer && i < r->t.n; i++) {
			if (k < n && idx[k] == i) {
				if (k++ == 0)
					for (size_t b = 0; b < nblocks; b++)
						strv_add(&cand.v, &cand.n,
						         rp_qualified((enum dd_spf_qualifier)q,
						                      blocks[b]));
				continue;
			}
			strv_add(&cand.v, &cand.n, xstrdup(r->t.v[i]));
		}
		if (fewer && rp_same(r, &cand)) {
			struct dd_spf_change *c = rp_add_change(r, DD_SPF_CH_MERGE_RANGES);
			for (size_t k = 0; k < n; k++)
				strv_add(&c->removed, &c->nremoved, xstrdup(r->t.v[idx[k]]));
			for (size_t b = 0; b < nblocks; b++)
				strv_add(&c->added, &c->nadded,
				         rp_qualified((enum dd_spf_qualifier)q, blocks[b]));
			rp_set_arg(c, 0, xasprintf("%zu", n));
			rp_set_arg(c, 1, xasprintf("%zu", nblocks));
			rp_terms_free(&r->t);
			r->t = cand;
		} else {
			rp_terms_free(&cand);
		}
		strv_free(blocks, nblocks);
		free(idx);
	}
}

/* ------------------------------------------- 3. terms that decide nothing */

static void drop_idle(struct rep *r)
{
	int tried = 0;
	for (size_t i = r->t.n; i-- > 0 && tried < MAX_IDLE;) {
		struct one o;
		if (!rp_one_parse(r->t.v[i], &o))
			continue;
		enum dd_spf_kind k = o.t->kind;
		bool macro = o.t->macro, pass = o.t->qualifier == DD_SPF_Q_PASS;
		rp_one_done(&o);
		if (k >= DD_SPF_REDIRECT || k == DD_SPF_ALL || k == DD_SPF_PTR || macro)
			continue; /* modifiers, the default, and what cannot be proven */
		tried++;
		struct terms cand;
		rp_terms_copy(&cand, &r->t);
		free(cand.v[i]);
		memmove(&cand.v[i], &cand.v[i + 1], (cand.n - i - 1) * sizeof(*cand.v));
		cand.n--;
		if (!rp_same(r, &cand)) {
			rp_terms_free(&cand);
			continue;
		}
		struct dd_spf_change *c =
		        rp_add_change(r, k == DD_SPF_INCLUDE && pass ? DD_SPF_CH_COVERED_INCLUDE
		                                                     : DD_SPF_CH_NEVER_MATCHES);
		rp_set_arg(c, 0, xstrdup(r->t.v[i]));
		strv_add(&c->removed, &c->nremoved, xstrdup(r->t.v[i]));
		rp_terms_free(&r->t);
		r->t = cand;
	}
}

/* ---------------------------------------------------- 5. +all, ?all */

static void soften_all(struct rep *r)
{
	for (size_t i = 0; i < r->t.n; i++) {
		struct one o;
		if (!rp_one_parse(r->t.v[i], &o))
			continue;
		bool all = o.t->kind == DD_SPF_ALL;
		enum dd_spf_qualifier q = o.t->qualifier;
		rp_one_done(&o);
		if (!all)
			continue;
		if (q != DD_SPF_Q_PASS && q != DD_SPF_Q_NEUTRAL)
			return;
		struct dd_spf_change *c = rp_add_change(r, DD_SPF_CH_ALL_QUALIFIER);
		rp_set_arg(c, 0, xstrdup(r->t.v[i]));
		rp_set_arg(c, 1, xstrdup("~all"));
		rp_set_arg(c, 2, xstrdup(q == DD_SPF_Q_PASS ? "pass" : "neutral"));
		strv_add(&c->removed, &c->nremoved, r->t.v[i]);
		strv_add(&c->added, &c->nadded, xstrdup("~all"));
		r->t.v[i] = xstrdup("~all");
		return;
	}
}

/* ------------------------------------------------------- the output */

/*
 * owner TTL IN TXT "..." "...": strings of at most 255 octets (RFC 1035
 * §3.3), cut after a space where there is one, so that no term is split
 * (receivers join the strings with nothing between them, RFC 7208 §3.3).
 */
static char *zone_line(const char *domain, uint32_t ttl, const char *rec, size_t len,
                       size_t *nstrings)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_addf(&b, "%s. %u IN TXT", domain, ttl ? ttl : 3600);
	size_t n = 0, at = 0;
	do {
		size_t end = len - at > ZONE_STRING ? at + ZONE_STRING : len;
		if (end < len)
			for (size_t k = end; k > at + ZONE_STRING / 2; k--)
				if (rec[k - 1] == ' ') {
					end = k;
					break;
				}
		dd_strbuf_adds(&b, " \"");
		for (size_t i = at; i < end; i++) {
			if (rec[i] == '"' || rec[i] == '\\')
				dd_strbuf_addc(&b, '\\');
			dd_strbuf_addc(&b, rec[i]);
		}
		dd_strbuf_addc(&b, '"');
		n++;
		at = end;
	} while (at < len);
	if (nstrings)
		*nstrings = n;
	return dd_strbuf_own(&b);
}

/* exists:%{i}._spf.<domain> in place of the inlined ranges: one lookup whatever they are. */
static char *alternative(const struct rep *r)
{
	struct terms alt;
	bool placed = false, any = false;
	memset(&alt, 0, sizeof(alt));
	for (size_t i = 0; i < r->t.n; i++) {
		bool inlined = false;
		for (size_t c = 0; c < r->out->nchanges && !inlined; c++) {
			const struct dd_spf_change *ch = &r->out->changes[c];
			if (ch->kind != DD_SPF_CH_INLINE_INCLUDE && ch->kind != DD_SPF_CH_INLINE_MX)
				continue;
			for (size_t k = 0; k < ch->nadded && !inlined; k++)
				inlined = strcmp(ch->added[k], r->t.v[i]) == 0 &&
				          strncmp(r->t.v[i], "ip", 2) == 0;
		}
		any |= inlined;
		if (inlined && !placed)
			strv_add(&alt.v, &alt.n, xasprintf("exists:%%{i}._spf.%s", r->domain));
		placed |= inlined;
		if (!inlined)
			strv_add(&alt.v, &alt.n, xstrdup(r->t.v[i]));
	}
	char *text = any ? rp_terms_text(&alt) : NULL;
	rp_terms_free(&alt);
	return text;
}

void dd_spf_repair_destroy(struct dd_spf_repair *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->nchanges; i++)
		rp_change_finish(&o->changes[i]);
	free(o->changes);
	free(o->record);
	free(o->zone_line);
	free(o->old_zone_line);
	free(o->alternative);
	dd_spf_proof_finish(&o->proof);
	free(o);
}

/*
 * The pre-check: true when no step can change the record, decided from its
 * terms alone, so that no address map is built. It must never say "nothing"
 * of a record a step would change (the unit test runs both over random
 * records). Every step is ruled out by a condition it cannot act without:
 *  1. no mechanism after `all`, no redirect= beside `all`, no mechanism twice;
 *  2. and 3. drop_idle() and merge_ranges() try only ip4/ip6/a/mx/include/
 *     exists without macros: there is none (only `all`, `ptr`, macro terms
 *     and modifiers);
 *  4. inlining runs only over a limit: the published counts are within;
 *     an mx past the MX host limit (spf_repair_mx.c): there is no mx term;
 *  5. the `all` is `-all` or `~all`.
 */
bool dd_spf_repair_needless(const struct dd_spf_record *rec, int lookups, int voids)
{
	if (rec->error || rec->truncated || rp_over(lookups, voids))
		return false;
	bool all = false;
	for (size_t i = 0; i < rec->nterms; i++) {
		const struct dd_spf_term *t = &rec->terms[i];
		if (t->kind == DD_SPF_ALL) {
			if (all ||
			    (t->qualifier != DD_SPF_Q_FAIL && t->qualifier != DD_SPF_Q_SOFTFAIL))
				return false;
			all = true;
		} else if (t->kind == DD_SPF_REDIRECT) {
			if (all)
				return false;
		} else if (t->kind < DD_SPF_REDIRECT) {
			/* an mx with a macro (mx:%{d}) may still be past the MX host limit */
			if (all || (t->kind != DD_SPF_PTR && (!t->macro || t->kind == DD_SPF_MX)))
				return false;
			for (size_t k = 0; k < i;
			     k++) /* a mechanism twice, as rp_drop_duplicates() */
				if (rec->terms[k].kind < DD_SPF_REDIRECT &&
				    same_mechanism(&rec->terms[k], t))
					return false;
		}
	}
	/* a redirect= before `all` (all set after it) */
	for (size_t i = 0; all && i < rec->nterms; i++)
		if (rec->terms[i].kind == DD_SPF_REDIRECT)
			return false;
	return true;
}

struct dd_spf_repair *dd_spf_repair_create(const struct dd_posture *p, const struct dd_answer *ans,
                                           const struct dd_rr *rr, const struct dd_spf_info *info)
{
	struct dd_spf_record rec;
	dd_spf_parse(rr->data, rr->len, &rec);
	bool needless = dd_spf_repair_needless(&rec, info->lookups, info->void_lookups);
	dd_spf_record_finish(&rec);
	return needless ? NULL : dd_spf_repair_create_full(p, ans, rr, info);
}

struct dd_spf_repair *dd_spf_repair_create_full(const struct dd_posture *p,
                                                const struct dd_answer *ans, const struct dd_rr *rr,
                                                const struct dd_spf_info *info)
{
	struct dd_spf_record rec;
	dd_spf_parse(rr->data, rr->len, &rec);
	bool broken = rec.error || rec.truncated;
	struct rep r;
	memset(&r, 0, sizeof(r));
	for (size_t i = 0; !broken && i < rec.nterms; i++)
		strv_add(&r.t.v, &r.t.n, xstrndup(rec.terms[i].text, rec.terms[i].len));
	dd_spf_record_finish(&rec);
	if (broken) /* spf.syntax says what to fix first */
		return NULL;
	r.p = p;
	r.domain = p->domain;
	r.lookups0 = info->lookups;
	r.voids0 = info->void_lookups;
	r.out = xcalloc(1, sizeof(*r.out));
	pf_ctx_init(&r.ctx, p);
	pf_eval_record(&r.ctx, r.domain, rr->data, rr->len, &r.orig);

	drop_unevaluated(&r);
	/* +all/?all first: the other steps must keep what ~all then decides (with +all
	 * every listed range is redundant, and would be dropped) */
	soften_all(&r);
	if (r.out->nchanges &&
	    r.out->changes[r.out->nchanges - 1].kind == DD_SPF_CH_ALL_QUALIFIER) {
		char *text = rp_terms_text(&r.t);
		pf_eval_finish(&r.orig);
		pf_eval_record(&r.ctx, r.domain, text, strlen(text), &r.orig);
		free(text);
	}
	rp_drop_duplicates(&r);
	bool full = r.t.n <= MAX_TERMS_FULL;
	if (full)
		rp_inline_mx(&r); /* before the ranges are merged: its ranges merge too */
	if (full)
		drop_idle(&r);
	size_t before_merge = r.out->nchanges;
	merge_ranges(&r);
	if (full) {
		if (r.out->nchanges > before_merge)
			drop_idle(&r); /* a merged range may now cover what it did not */
		rp_inline_includes(&r);
	}

	struct dd_spf_repair *o = r.out;
	if (!o->nchanges) {
		dd_spf_repair_destroy(o);
		o = NULL;
		goto out;
	}
	o->record = rp_terms_text(&r.t);
	o->record_len = strlen(o->record);
	o->lookups_before = info->lookups;
	o->void_lookups_before = info->void_lookups;
	rp_count(&r, &r.t, &o->lookups, &o->void_lookups, &o->lower_bound);
	o->within_limits = !rp_over(o->lookups, o->void_lookups);
	o->too_long = o->record_len > UDP_RECORD;
	o->zone_line = zone_line(r.domain, rr->ttl, o->record, o->record_len, &o->nstrings);
	o->old_zone_line = zone_line(r.domain, rr->ttl, rr->data, rr->len, NULL);
	dd_spf_prove(p, r.domain, rr->data, rr->len, o->record, o->record_len, &o->proof);
	o->risk = DD_SPF_RISK_NONE;
	for (size_t i = 0; i < o->nchanges; i++)
		if (o->changes[i].kind == DD_SPF_CH_INLINE_INCLUDE ||
		    o->changes[i].kind == DD_SPF_CH_INLINE_REDIRECT ||
		    o->changes[i].kind == DD_SPF_CH_INLINE_MX)
			o->risk = DD_SPF_RISK_STALE;
	if (!o->proof.equal)
		o->risk = DD_SPF_RISK_CHANGES;
	o->alternative = alternative(&r);
	if (ans->source == DD_SOURCE_ZONE) {
		o->file = rr->file ? rr->file : ans->file;
		o->line = rr->line;
	}
out:
	pf_eval_finish(&r.orig);
	pf_ctx_finish(&r.ctx);
	rp_terms_free(&r.t);
	return o;
}
