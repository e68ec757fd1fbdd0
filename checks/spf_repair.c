/*
 * spf_repair.c: a repaired SPF record for the domain - within the lookup
 * limits of RFC 7208 §4.6.4 and without redundant parts - and the proof of
 * what it changes (spf_proof.c evaluates both records for every client).
 *
 * Repairs, in order of least risk; each is kept only when the proof says
 * every client still gets the same result:
 *  1. mechanisms after all (never evaluated, §5.1), redirect= beside all
 *     (ignored, §6.1), a mechanism given twice (the second never matches);
 *  2. ip4:/ip6: ranges of one qualifier merged (CIDR aggregation);
 *  3. terms that decide nothing: an include whose every address is already
 *     authorised, a range inside another, an a: without addresses;
 *  4. only while the record is over a limit, includes inlined ("flattened")
 *     into the ranges they pass: those with the fewest ranges and the
 *     longest TTLs first; includes of providers that document that their
 *     addresses change are kept as includes (inside an inlined include too)
 *     and inlined themselves only when nothing else is left;
 *  0. +all and ?all made ~all - the one repair that changes results, which
 *     the proof then lists exactly; done first, so that the steps after it
 *     keep what ~all then decides.
 * The proposal is counted again by spf_tree.c as if it were published.
 *
 * Deliberately not done: ptr and terms with client macros are kept where
 * they are (their sets cannot be computed); a/mx of the domain itself are
 * kept (the owner's own hosts, resolved when mail arrives); redirect= is
 * not inlined (the target's terms would change %{d}).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf_repair_int.h"

#define MAX_ATTEMPTS 160 /* proofs one repair may try: records are bounded, so is this */
#define MAX_COUNTS   64  /* recounts of candidates (a tree walk each) while inlining */
#define MAX_IDLE     64  /* terms tried for removal (step 3) */
/* Beyond this many terms only the cheap steps run: no real sender has such a record */
#define MAX_TERMS_FULL 128
#define ZONE_STRING    255 /* RFC 1035 §3.3: one character-string */
#define UDP_RECORD     450 /* RFC 7208 §3.4 */

/*
 * Includes whose providers say to include them, not to copy their
 * addresses, because they change them: kept as includes where possible.
 */
static const struct provider {
	const char *name; /* the include, or a domain its includes are under */
	const char *provider;
	const char *url;
} providers[] = {
	{ "_spf.google.com", "Google Workspace", "https://support.google.com/a/answer/10685031" },
	{ "spf.protection.outlook.com", "Microsoft 365",
	  "https://learn.microsoft.com/en-us/defender-office-365/"
	  "email-authentication-spf-configure" },
	{ "amazonses.com", "Amazon SES",
	  "https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-spf.html" },
	{ "sendgrid.net", "SendGrid",
	  "https://www.twilio.com/docs/sendgrid/ui/account-and-settings/spf-records" },
	{ "servers.mcsv.net", "Mailchimp",
	  "https://mailchimp.com/help/set-up-email-domain-authentication/" },
	{ "spf.mandrillapp.com", "Mandrill",
	  "https://mailchimp.com/developer/transactional/docs/authentication-delivery/" },
	{ "_spf.salesforce.com", "Salesforce",
	  "https://help.salesforce.com/s/articleView?id=sf.emailadmin_spf_record.htm" },
	{ "mail.zendesk.com", "Zendesk",
	  "https://support.zendesk.com/hc/en-us/articles/4408832543770" },
	{ "mailgun.org", "Mailgun",
	  "https://documentation.mailgun.com/docs/mailgun/user-manual/get-started/" },
	{ "spf.mtasv.net", "Postmark", "https://postmarkapp.com/support/article/1092" },
	{ "spf.brevo.com", "Brevo", "https://help.brevo.com/hc/en-us/articles/12163873383186" },
};

static const struct provider *provider_of(const char *name)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(providers); i++)
		if (dd_name_is_under(name, providers[i].name))
			return &providers[i];
	return NULL;
}

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
	[DD_SPF_CH_ALL_QUALIFIER] = {
		"{1} replaced by {2}: unlisted hosts no longer get {3} (the proof lists the addresses)",
		"{1} を {2} に置き換えます。記載のないホストは {3} でなくなります (アドレスは証明に記載)"},
};
/* clang-format on */

const char *dd_spf_change_kind_name(enum dd_spf_change_kind k)
{
	static const char *const names[] = {
		"after-all",     "redirect-ignored", "duplicate",      "merge-ranges",
		"never-matches", "covered-include",  "inline-include", "all-qualifier",
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

struct terms {
	char **v;
	size_t n;
};

static void terms_free(struct terms *t)
{
	strv_free(t->v, t->n);
	memset(t, 0, sizeof(*t));
}

static void terms_copy(struct terms *dst, const struct terms *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->n; i++)
		strv_add(&dst->v, &dst->n, xstrdup(src->v[i]));
}

static char *terms_text(const struct terms *t)
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

/* One term parsed on its own (kind, qualifier, spec); the terms point into text. */
struct one {
	struct dd_spf_record rec;
	char *text;
	const struct dd_spf_term *t;
};

static bool one_parse(const char *term, struct one *o)
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

static void one_done(struct one *o)
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

/* ----------------------------------------------------------- the state */

struct rep {
	const struct dd_posture *p;
	const char *domain;
	struct pf_ctx ctx;
	struct pf_eval orig;
	struct terms t; /* the proposal so far */
	struct dd_spf_repair *out;
	int attempts;
	int counts;
};

static struct dd_spf_change *add_change(struct rep *r, enum dd_spf_change_kind kind)
{
	struct dd_spf_repair *o = r->out;
	o->changes = xrealloc(o->changes, (o->nchanges + 1) * sizeof(*o->changes));
	struct dd_spf_change *c = &o->changes[o->nchanges++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->why = &why_text[kind];
	return c;
}

static void change_finish(struct dd_spf_change *c)
{
	strv_free(c->removed, c->nremoved);
	strv_free(c->added, c->nadded);
	for (int k = 0; k < 4; k++)
		free(c->args[k]);
	memset(c, 0, sizeof(*c));
}

static void set_arg(struct dd_spf_change *c, int i, char *owned)
{
	free(c->args[i]);
	c->args[i] = owned;
}

/* Does the proposal `t` give every client the result the published record gives? */
static bool same(struct rep *r, const struct terms *t)
{
	if (r->attempts++ >= MAX_ATTEMPTS)
		return false;
	char *text = terms_text(t);
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

static void drop_unevaluated(struct rep *r)
{
	long all = -1;
	for (size_t i = 0; i < r->t.n && all < 0; i++) {
		struct one o;
		if (one_parse(r->t.v[i], &o)) {
			if (o.t->kind == DD_SPF_ALL)
				all = (long)i;
			one_done(&o);
		}
	}
	if (all < 0)
		return;
	char *all_text = xstrdup(r->t.v[all]);
	struct dd_spf_change *after = NULL, *redirect = NULL;
	for (size_t i = (size_t)all + 1; i < r->t.n;) {
		struct one o;
		if (!one_parse(r->t.v[i], &o)) {
			i++;
			continue;
		}
		enum dd_spf_kind k = o.t->kind;
		one_done(&o);
		if (k == DD_SPF_REDIRECT) {
			if (!redirect) {
				redirect = add_change(r, DD_SPF_CH_REDIRECT_IGNORED);
				set_arg(redirect, 0, xstrdup(all_text));
			}
			take(r, i, redirect);
		} else if (k < DD_SPF_REDIRECT) {
			if (!after) {
				after = add_change(r, DD_SPF_CH_AFTER_ALL);
				set_arg(after, 0, xstrdup(all_text));
			}
			take(r, i, after);
		} else {
			i++;
		}
	}
	/* a redirect= written before the all is ignored too (§6.1) */
	for (size_t i = 0; i < (size_t)all;) {
		struct one o;
		if (!one_parse(r->t.v[i], &o)) {
			i++;
			continue;
		}
		bool red = o.t->kind == DD_SPF_REDIRECT;
		one_done(&o);
		if (!red) {
			i++;
			continue;
		}
		if (!redirect) {
			redirect = add_change(r, DD_SPF_CH_REDIRECT_IGNORED);
			set_arg(redirect, 0, xstrdup(all_text));
		}
		take(r, i, redirect);
		all--;
	}
	free(all_text);
}

static void drop_duplicates(struct rep *r)
{
	struct dd_spf_change *c = NULL;
	for (size_t i = 1; i < r->t.n;) {
		struct one o;
		bool mech = one_parse(r->t.v[i], &o) && o.t->kind < DD_SPF_REDIRECT;
		one_done(&o);
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
			c = add_change(r, DD_SPF_CH_DUPLICATE);
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
		if (!one_parse(r->t.v[i], &o))
			continue;
		const struct dd_spf_term *t = o.t;
		if ((t->kind == DD_SPF_IP4 || t->kind == DD_SPF_IP6) && t->qualifier == q) {
			idx[n++] = i;
			if (t->kind == DD_SPF_IP4)
				am_set_cidr(&u[0], t->addr, t->cidr4 < 0 ? 32 : t->cidr4, 1);
			else
				am_set_cidr(&u[1], t->addr, t->cidr6 < 0 ? 128 : t->cidr6, 1);
		}
		one_done(&o);
	}
	return n;
}

static bool is_one(int v, int arg)
{
	(void)arg;
	return v == 1;
}

static char *qualified(enum dd_spf_qualifier q, const char *term)
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
		am_cidrs(&u[0], is_one, 0, &blocks, &nblocks);
		am_cidrs(&u[1], is_one, 0, &blocks, &nblocks);
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
						         qualified((enum dd_spf_qualifier)q,
						                   blocks[b]));
				continue;
			}
			strv_add(&cand.v, &cand.n, xstrdup(r->t.v[i]));
		}
		if (fewer && same(r, &cand)) {
			struct dd_spf_change *c = add_change(r, DD_SPF_CH_MERGE_RANGES);
			for (size_t k = 0; k < n; k++)
				strv_add(&c->removed, &c->nremoved, xstrdup(r->t.v[idx[k]]));
			for (size_t b = 0; b < nblocks; b++)
				strv_add(&c->added, &c->nadded,
				         qualified((enum dd_spf_qualifier)q, blocks[b]));
			set_arg(c, 0, xasprintf("%zu", n));
			set_arg(c, 1, xasprintf("%zu", nblocks));
			terms_free(&r->t);
			r->t = cand;
		} else {
			terms_free(&cand);
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
		if (!one_parse(r->t.v[i], &o))
			continue;
		enum dd_spf_kind k = o.t->kind;
		bool macro = o.t->macro;
		one_done(&o);
		if (k >= DD_SPF_REDIRECT || k == DD_SPF_ALL || k == DD_SPF_PTR || macro)
			continue; /* modifiers, the default, and what cannot be proven */
		tried++;
		struct terms cand;
		terms_copy(&cand, &r->t);
		free(cand.v[i]);
		memmove(&cand.v[i], &cand.v[i + 1], (cand.n - i - 1) * sizeof(*cand.v));
		cand.n--;
		if (!same(r, &cand)) {
			terms_free(&cand);
			continue;
		}
		struct dd_spf_change *c =
		        add_change(r, k == DD_SPF_INCLUDE ? DD_SPF_CH_COVERED_INCLUDE
		                                          : DD_SPF_CH_NEVER_MATCHES);
		set_arg(c, 0, xstrdup(r->t.v[i]));
		strv_add(&c->removed, &c->nremoved, xstrdup(r->t.v[i]));
		terms_free(&r->t);
		r->t = cand;
	}
}

/* --------------------------------------------------------- counting */

/* The proposal counted by spf_tree.c as a receiver would meet it, published at the domain. */
static void count(const struct rep *r, const struct terms *t, int *lookups, int *voids, bool *lower)
{
	char *text = terms_text(t);
	struct dd_answer *a = dd_answer_create(r->domain, DD_RR_TXT, DD_DNS_OK);
	dd_answer_add_rr(a, text, strlen(text), 0);
	struct dd_spf_node root;
	struct dd_findings scratch;
	memset(&scratch, 0, sizeof(scratch));
	dd_spf_tree_build(r->p, a, &a->rrs[0], &root, &scratch);
	*lookups = root.lookups;
	*voids = root.void_lookups;
	if (lower)
		*lower = root.lower_bound;
	dd_spf_node_finish(&root);
	dd_findings_finish(&scratch);
	dd_answer_unref(a);
	free(text);
}

static bool over(int lookups, int voids)
{
	return lookups > DD_SPF_MAX_LOOKUPS || voids > DD_SPF_MAX_VOID;
}

/* ------------------------------------------------------- 4. inline */

/* Provider includes below `name` reached by pass: kept as includes when name is inlined. */
static void find_providers(struct rep *r, const char *name, int depth, struct terms *keep)
{
	const struct dd_answer *a = dd_posture_answer(r->p, name, DD_RR_TXT);
	const struct dd_rr *rr;
	if (depth > 8 || !a || a->status != DD_DNS_OK || dd_spf_records(a, &rr) != 1)
		return;
	struct dd_spf_record rec;
	dd_spf_parse(rr->data, rr->len, &rec);
	for (size_t i = 0; i < rec.nterms; i++) {
		const struct dd_spf_term *t = &rec.terms[i];
		if (t->kind == DD_SPF_ALL)
			break;
		if (t->kind != DD_SPF_INCLUDE || t->qualifier != DD_SPF_Q_PASS || t->macro ||
		    !t->spec)
			continue;
		char target[DD_NAME_MAX + 1];
		if (!dd_spf_name(t->spec, t->spec_len, target))
			continue;
		if (!provider_of(target)) {
			find_providers(r, target, depth + 1, keep);
			continue;
		}
		bool seen = false;
		for (size_t k = 0; k < keep->n && !seen; k++)
			seen = strcmp(keep->v[k], target) == 0;
		if (!seen)
			strv_add(&keep->v, &keep->n, xstrdup(target));
	}
	dd_spf_record_finish(&rec);
}

static int drop_pass(int a, int b, int arg)
{
	(void)arg;
	return b == DD_SPF_PASS ? 0 : a;
}

static int pass_to_one(int a, int b, int arg)
{
	(void)a;
	(void)arg;
	return b == DD_SPF_PASS ? 1 : 0;
}

struct plan {
	size_t at;
	char *name;
	const struct provider *prov;
	struct terms repl;
	size_t ranges;
	uint32_t ttl;
	int lookups, voids; /* of the record with the plan applied */
	struct terms cand;
};

static void plan_free(struct plan *pl)
{
	free(pl->name);
	terms_free(&pl->repl);
	terms_free(&pl->cand);
	memset(pl, 0, sizeof(*pl));
}

/* What inlining the include at i would put in its place; false when it cannot be inlined. */
static bool plan_inline(struct rep *r, size_t i, bool providers_too, bool keep_providers,
                        struct plan *pl)
{
	struct one o;
	memset(pl, 0, sizeof(*pl));
	if (!one_parse(r->t.v[i], &o))
		return false;
	char name[DD_NAME_MAX + 1];
	bool ok = o.t->kind == DD_SPF_INCLUDE && !o.t->macro && o.t->spec &&
	          dd_spf_name(o.t->spec, o.t->spec_len, name);
	enum dd_spf_qualifier q = o.t->qualifier;
	one_done(&o);
	if (!ok)
		return false;
	const struct pf_target *tg = pf_target(&r->ctx, name);
	if (tg->opaque || tg->has_error)
		return false; /* unprovable, or broken: left as it is */
	pl->prov = provider_of(name);
	if (pl->prov && !providers_too)
		return false;
	pl->at = i;
	pl->name = xstrdup(name);
	pl->ttl = tg->ttl;
	struct terms keep;
	memset(&keep, 0, sizeof(keep));
	if (!pl->prov && keep_providers)
		find_providers(r, name, 0, &keep);
	for (int f = 0; f < 2; f++) {
		struct amap rest;
		am_init(&rest, f == 0 ? 4 : 6, 0);
		am_merge(&rest, &tg->m[f], pass_to_one, 0);
		for (size_t k = 0; k < keep.n; k++) {
			const struct pf_target *kt = pf_target(&r->ctx, keep.v[k]);
			if (!kt->opaque)
				am_merge(&rest, &kt->m[f], drop_pass, 0);
		}
		for (size_t k = 0; f == 0 && k < keep.n; k++) {
			char *inc = xasprintf("include:%s", keep.v[k]);
			strv_add(&pl->repl.v, &pl->repl.n, qualified(q, inc));
			free(inc);
		}
		char **blocks = NULL;
		size_t nblocks = 0;
		am_cidrs(&rest, is_one, 0, &blocks, &nblocks);
		for (size_t b = 0; b < nblocks; b++)
			strv_add(&pl->repl.v, &pl->repl.n, qualified(q, blocks[b]));
		pl->ranges += nblocks;
		strv_free(blocks, nblocks);
		am_finish(&rest);
	}
	terms_free(&keep);
	for (size_t k = 0; k < r->t.n; k++) {
		if (k != i) {
			strv_add(&pl->cand.v, &pl->cand.n, xstrdup(r->t.v[k]));
			continue;
		}
		for (size_t j = 0; j < pl->repl.n; j++)
			strv_add(&pl->cand.v, &pl->cand.n, xstrdup(pl->repl.v[j]));
	}
	if (r->counts++ >= MAX_COUNTS) {
		plan_free(pl);
		return false;
	}
	count(r, &pl->cand, &pl->lookups, &pl->voids, NULL);
	return true;
}

static void inline_steps(struct rep *r, int lookups, int voids);

/* Is plan a better than plan b? Fewest ranges, then the longest TTL, then the name. */
static bool better(const struct plan *a, const struct plan *b, bool voids_first)
{
	if (!b->name)
		return true;
	if (voids_first && (a->voids < b->voids) != (b->voids < a->voids))
		return a->voids < b->voids;
	if (a->ranges != b->ranges)
		return a->ranges < b->ranges;
	if (a->ttl != b->ttl)
		return a->ttl > b->ttl;
	return strcmp(a->name, b->name) < 0;
}

static void record_inline(struct rep *r, const struct plan *pl, int saved)
{
	struct dd_spf_change *c = add_change(r, DD_SPF_CH_INLINE_INCLUDE);
	strv_add(&c->removed, &c->nremoved, xstrdup(r->t.v[pl->at]));
	for (size_t j = 0; j < pl->repl.n; j++)
		strv_add(&c->added, &c->nadded, xstrdup(pl->repl.v[j]));
	c->ttl = pl->ttl;
	c->ranges = pl->ranges;
	if (pl->prov) {
		c->provider = pl->prov->provider;
		c->provider_url = pl->prov->url;
	}
	set_arg(c, 0, xstrdup(pl->name));
	set_arg(c, 1, xasprintf("%zu", pl->ranges));
	set_arg(c, 2, xasprintf("%d", saved));
	set_arg(c, 3, xasprintf("%u", pl->ttl == UINT32_MAX ? 0u : pl->ttl));
}

static void inline_includes(struct rep *r)
{
	int lookups, voids;
	count(r, &r->t, &lookups, &voids, NULL);
	if (!over(lookups, voids))
		return;
	struct terms before;
	size_t nchanges = r->out->nchanges;
	terms_copy(&before, &r->t);
	inline_steps(r, lookups, voids);
	count(r, &r->t, &lookups, &voids, NULL);
	if (!over(lookups, voids)) {
		terms_free(&before);
		return;
	}
	/* still over: copying addresses would buy staleness and not the limit */
	terms_free(&r->t);
	r->t = before;
	while (r->out->nchanges > nchanges)
		change_finish(&r->out->changes[--r->out->nchanges]);
}

static void inline_steps(struct rep *r, int lookups, int voids)
{
	for (int phase = 0; phase < 2 && over(lookups, voids);) {
		struct plan best;
		memset(&best, 0, sizeof(best));
		for (size_t i = 0; i < r->t.n; i++) {
			struct plan pl;
			if (!plan_inline(r, i, phase == 1, true, &pl))
				continue;
			bool saves = pl.lookups < lookups || pl.voids < voids;
			if (saves && better(&pl, &best, voids > DD_SPF_MAX_VOID)) {
				plan_free(&best);
				best = pl;
			} else {
				plan_free(&pl);
			}
		}
		if (!best.name) {
			phase++;
			continue;
		}
		if (!same(r, &best.cand)) {
			/* a kept provider include passes more than the include did: inline it all */
			size_t at = best.at;
			plan_free(&best);
			if (!plan_inline(r, at, true, false, &best) || !same(r, &best.cand)) {
				plan_free(&best);
				break; /* cannot happen for a computable include; stop rather than loop */
			}
		}
		record_inline(r, &best, lookups - best.lookups);
		terms_free(&r->t);
		r->t = best.cand;
		memset(&best.cand, 0, sizeof(best.cand));
		plan_free(&best);
		/* a kept provider include may now be there twice: the second never matches */
		drop_duplicates(r);
		count(r, &r->t, &lookups, &voids, NULL);
	}
}

/* ---------------------------------------------------- 5. +all, ?all */

static void soften_all(struct rep *r)
{
	for (size_t i = 0; i < r->t.n; i++) {
		struct one o;
		if (!one_parse(r->t.v[i], &o))
			continue;
		bool all = o.t->kind == DD_SPF_ALL;
		enum dd_spf_qualifier q = o.t->qualifier;
		one_done(&o);
		if (!all)
			continue;
		if (q != DD_SPF_Q_PASS && q != DD_SPF_Q_NEUTRAL)
			return;
		struct dd_spf_change *c = add_change(r, DD_SPF_CH_ALL_QUALIFIER);
		set_arg(c, 0, xstrdup(r->t.v[i]));
		set_arg(c, 1, xstrdup("~all"));
		set_arg(c, 2, xstrdup(q == DD_SPF_Q_PASS ? "pass" : "neutral"));
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
			if (ch->kind != DD_SPF_CH_INLINE_INCLUDE)
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
	char *text = any ? terms_text(&alt) : NULL;
	terms_free(&alt);
	return text;
}

void dd_spf_repair_destroy(struct dd_spf_repair *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->nchanges; i++)
		change_finish(&o->changes[i]);
	free(o->changes);
	free(o->record);
	free(o->zone_line);
	free(o->old_zone_line);
	free(o->alternative);
	dd_spf_proof_finish(&o->proof);
	free(o);
}

struct dd_spf_repair *dd_spf_repair_create(const struct dd_posture *p, const struct dd_answer *ans,
                                           const struct dd_rr *rr, const struct dd_spf_info *info)
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
	r.out = xcalloc(1, sizeof(*r.out));
	pf_ctx_init(&r.ctx, p);
	pf_eval_record(&r.ctx, r.domain, rr->data, rr->len, &r.orig);

	drop_unevaluated(&r);
	/* +all/?all first: the other steps must keep what ~all then decides (with +all
	 * every listed range is redundant, and would be dropped) */
	soften_all(&r);
	if (r.out->nchanges &&
	    r.out->changes[r.out->nchanges - 1].kind == DD_SPF_CH_ALL_QUALIFIER) {
		char *text = terms_text(&r.t);
		pf_eval_finish(&r.orig);
		pf_eval_record(&r.ctx, r.domain, text, strlen(text), &r.orig);
		free(text);
	}
	drop_duplicates(&r);
	bool full = r.t.n <= MAX_TERMS_FULL;
	if (full)
		drop_idle(&r);
	merge_ranges(&r);
	if (full) {
		drop_idle(&r); /* a merged range may now cover what it did not */
		inline_includes(&r);
	}

	struct dd_spf_repair *o = r.out;
	if (!o->nchanges) {
		dd_spf_repair_destroy(o);
		o = NULL;
		goto out;
	}
	o->record = terms_text(&r.t);
	o->record_len = strlen(o->record);
	o->lookups_before = info->lookups;
	o->void_lookups_before = info->void_lookups;
	count(&r, &r.t, &o->lookups, &o->void_lookups, &o->lower_bound);
	o->within_limits = !over(o->lookups, o->void_lookups);
	o->too_long = o->record_len > UDP_RECORD;
	o->zone_line = zone_line(r.domain, rr->ttl, o->record, o->record_len, &o->nstrings);
	o->old_zone_line = zone_line(r.domain, rr->ttl, rr->data, rr->len, NULL);
	dd_spf_prove(p, r.domain, rr->data, rr->len, o->record, o->record_len, &o->proof);
	o->risk = DD_SPF_RISK_NONE;
	for (size_t i = 0; i < o->nchanges; i++)
		if (o->changes[i].kind == DD_SPF_CH_INLINE_INCLUDE)
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
	terms_free(&r.t);
	return o;
}
