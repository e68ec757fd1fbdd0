/*
 * spf_repair_inline.c: step 4 of SPF repair (spf_repair.c) - includes
 * inlined ("flattened") into the ranges they pass, only while the record is
 * over a limit - and the recount of a proposal as if it were published.
 * A redirect= of a record without all is inlined first (its target's
 * terms, a/mx/ptr naming the target), so that the target's includes can be
 * inlined too.
 *
 * The include with the fewest ranges goes first, then the one with the
 * longest TTL (its copy goes stale least often). Includes of providers that
 * document that their addresses change are kept as includes, also where
 * they sit inside an include that is inlined, and inlined themselves only
 * when nothing else is left. Inlining that leaves the record over a limit
 * is undone: it would buy stale addresses and not the limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf_repair_int.h"

#define MAX_COUNTS 64 /* recounts of candidates (a tree walk each) while inlining */

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

/* --------------------------------------------------------- counting */

/* The proposal counted by spf_tree.c as a receiver would meet it, published at the domain. */
void rp_count(const struct rep *r, const struct terms *t, int *lookups, int *voids, bool *lower)
{
	char *text = rp_terms_text(t);
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

bool rp_over(int lookups, int voids)
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
	rp_terms_free(&pl->repl);
	rp_terms_free(&pl->cand);
	memset(pl, 0, sizeof(*pl));
}

/* What inlining the include at i would put in its place; false when it cannot be inlined. */
/* The DNS-querying terms below an include of `name` (spf_tree.c counts the same way). */
static int inner_cost(const struct rep *r, const char *name, int depth)
{
	const struct dd_answer *a = dd_posture_answer(r->p, name, DD_RR_TXT);
	const struct dd_rr *rr;
	if (depth > 8 || !a || a->status != DD_DNS_OK || dd_spf_records(a, &rr) != 1)
		return 0;
	struct dd_spf_record rec;
	int n = 0;
	dd_spf_parse(rr->data, rr->len, &rec);
	for (size_t i = 0; i < rec.nterms; i++) {
		const struct dd_spf_term *t = &rec.terms[i];
		char target[DD_NAME_MAX + 1];
		if (!dd_spf_kind_queries_dns(t->kind) ||
		    (t->kind == DD_SPF_REDIRECT && (rec.all >= 0 || (long)i != rec.redirect)))
			continue;
		n++;
		if ((t->kind == DD_SPF_INCLUDE || t->kind == DD_SPF_REDIRECT) && t->spec &&
		    !t->macro && dd_spf_name(t->spec, t->spec_len, target))
			n += inner_cost(r, target, depth + 1);
	}
	dd_spf_record_finish(&rec);
	return n;
}

static bool plan_inline(struct rep *r, size_t i, bool providers_too, bool keep_providers,
                        int lookups, int voids, struct plan *pl)
{
	bool voids_over = voids > DD_SPF_MAX_VOID;
	struct one o;
	memset(pl, 0, sizeof(*pl));
	if (!rp_one_parse(r->t.v[i], &o))
		return false;
	char name[DD_NAME_MAX + 1];
	bool ok = o.t->kind == DD_SPF_INCLUDE && !o.t->macro && o.t->spec &&
	          dd_spf_name(o.t->spec, o.t->spec_len, name);
	enum dd_spf_qualifier q = o.t->qualifier;
	rp_one_done(&o);
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
			strv_add(&pl->repl.v, &pl->repl.n, rp_qualified(q, inc));
			free(inc);
		}
		char **blocks = NULL;
		size_t nblocks = 0;
		am_cidrs(&rest, rp_is_one, 0, &blocks, &nblocks);
		for (size_t b = 0; b < nblocks; b++)
			strv_add(&pl->repl.v, &pl->repl.n, rp_qualified(q, blocks[b]));
		pl->ranges += nblocks;
		strv_free(blocks, nblocks);
		am_finish(&rest);
	}
	rp_terms_free(&keep);
	for (size_t k = 0; k < r->t.n; k++) {
		if (k != i) {
			strv_add(&pl->cand.v, &pl->cand.n, xstrdup(r->t.v[k]));
			continue;
		}
		for (size_t j = 0; j < pl->repl.n; j++)
			strv_add(&pl->cand.v, &pl->cand.n, xstrdup(pl->repl.v[j]));
	}
	if (!voids_over) {
		/* a cheap estimate; the plan chosen is counted exactly before it is kept */
		pl->lookups = lookups - 1 - inner_cost(r, name, 0);
		for (size_t j = 0; j < pl->repl.n; j++)
			if (strstr(pl->repl.v[j], "include:"))
				pl->lookups += 1 + inner_cost(r, strchr(pl->repl.v[j], ':') + 1, 0);
		pl->voids = voids;
		return true;
	}
	if (r->counts++ >= MAX_COUNTS) {
		plan_free(pl);
		return false;
	}
	rp_count(r, &pl->cand, &pl->lookups, &pl->voids, NULL);
	return true;
}

static void inline_steps(struct rep *r, int lookups, int voids);

/* a, mx or ptr without a name, evaluated at `target`: the same term naming it. */
static char *at_target(const struct dd_spf_term *t, const char *target)
{
	const char *kind = dd_spf_kind_name(t->kind);
	size_t skip = t->len && strchr("+-~?", t->text[0]) ? 1 : 0;
	const char *rest = t->text + skip + strlen(kind); /* "/24", "//64", or nothing */
	size_t nrest = t->len - skip - strlen(kind);
	return xasprintf("%.*s%s:%s%.*s", (int)skip, t->text, kind, target, (int)nrest, rest);
}

/*
 * redirect=X of a record without all: X's terms in its place (§6.1: they
 * decide where nothing matched). Not for a provider's record, nor one with
 * exp= or macros (their %{d} would change); the proof checks the rest.
 */
static void inline_redirect(struct rep *r)
{
	long at = -1;
	char name[DD_NAME_MAX + 1];
	for (size_t i = 0; i < r->t.n; i++) {
		struct one o;
		if (!rp_one_parse(r->t.v[i], &o))
			continue;
		if (o.t->kind == DD_SPF_ALL)
			at = -2;
		else if (o.t->kind == DD_SPF_REDIRECT && at == -1 && !o.t->macro &&
		         dd_spf_name(o.t->spec, o.t->spec_len, name))
			at = (long)i;
		rp_one_done(&o);
	}
	const struct dd_answer *a = at >= 0 ? dd_posture_answer(r->p, name, DD_RR_TXT) : NULL;
	const struct dd_rr *rr;
	if (!a || a->status != DD_DNS_OK || dd_spf_records(a, &rr) != 1 || provider_of(name))
		return;
	struct dd_spf_record rec;
	struct terms cand;
	dd_spf_parse(rr->data, rr->len, &rec);
	memset(&cand, 0, sizeof(cand));
	for (size_t i = 0; i < r->t.n; i++)
		if ((long)i != at)
			strv_add(&cand.v, &cand.n, xstrdup(r->t.v[i]));
	size_t first = cand.n;
	bool ok = !rec.error && !rec.truncated && rec.exp < 0;
	for (size_t i = 0; ok && i < rec.nterms; i++) {
		const struct dd_spf_term *t = &rec.terms[i];
		if (t->macro)
			ok = false;
		else if (t->kind == DD_SPF_MODIFIER)
			continue; /* ignored by receivers (§6) */
		else if (!t->spec &&
		         (t->kind == DD_SPF_A || t->kind == DD_SPF_MX || t->kind == DD_SPF_PTR))
			strv_add(&cand.v, &cand.n, at_target(t, name));
		else
			strv_add(&cand.v, &cand.n, xstrndup(t->text, t->len));
	}
	dd_spf_record_finish(&rec);
	if (!ok || !rp_same(r, &cand)) {
		rp_terms_free(&cand);
		return;
	}
	struct dd_spf_change *c = rp_add_change(r, DD_SPF_CH_INLINE_REDIRECT);
	strv_add(&c->removed, &c->nremoved, xstrdup(r->t.v[at]));
	for (size_t i = first; i < cand.n; i++)
		strv_add(&c->added, &c->nadded, xstrdup(cand.v[i]));
	c->ttl = rr->ttl;
	rp_set_arg(c, 0, xstrdup(name));
	rp_terms_free(&r->t);
	r->t = cand;
}

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
	struct dd_spf_change *c = rp_add_change(r, DD_SPF_CH_INLINE_INCLUDE);
	strv_add(&c->removed, &c->nremoved, xstrdup(r->t.v[pl->at]));
	for (size_t j = 0; j < pl->repl.n; j++)
		strv_add(&c->added, &c->nadded, xstrdup(pl->repl.v[j]));
	c->ttl = pl->ttl;
	c->ranges = pl->ranges;
	if (pl->prov) {
		c->provider = pl->prov->provider;
		c->provider_url = pl->prov->url;
	}
	rp_set_arg(c, 0, xstrdup(pl->name));
	rp_set_arg(c, 1, xasprintf("%zu", pl->ranges));
	rp_set_arg(c, 2, xasprintf("%d", saved));
	rp_set_arg(c, 3, xasprintf("%u", pl->ttl == UINT32_MAX ? 0u : pl->ttl));
}

void rp_inline_includes(struct rep *r)
{
	int lookups = r->lookups0, voids = r->voids0;
	if (r->out->nchanges) /* the record changed: count it again */
		rp_count(r, &r->t, &lookups, &voids, NULL);
	if (!rp_over(lookups, voids))
		return;
	struct terms before;
	size_t nchanges = r->out->nchanges;
	rp_terms_copy(&before, &r->t);
	inline_redirect(r);
	rp_count(r, &r->t, &lookups, &voids, NULL);
	inline_steps(r, lookups, voids);
	rp_count(r, &r->t, &lookups, &voids, NULL);
	if (!rp_over(lookups, voids)) {
		rp_terms_free(&before);
		return;
	}
	/* still over: copying addresses would buy staleness and not the limit */
	rp_terms_free(&r->t);
	r->t = before;
	while (r->out->nchanges > nchanges)
		rp_change_finish(&r->out->changes[--r->out->nchanges]);
}

static void inline_steps(struct rep *r, int lookups, int voids)
{
	for (int phase = 0; phase < 2 && rp_over(lookups, voids);) {
		struct plan best;
		memset(&best, 0, sizeof(best));
		for (size_t i = 0; i < r->t.n; i++) {
			struct plan pl;
			if (!plan_inline(r, i, phase == 1, true, lookups, voids, &pl))
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
		if (!rp_same(r, &best.cand)) {
			/* a kept provider include passes more than the include did: inline it all */
			size_t at = best.at;
			plan_free(&best);
			if (!plan_inline(r, at, true, false, lookups, voids, &best) ||
			    !rp_same(r, &best.cand)) {
				plan_free(&best);
				break; /* cannot happen for a computable include; stop rather than loop */
			}
		}
		rp_count(r, &best.cand, &best.lookups, &best.voids, NULL); /* exactly */
		record_inline(r, &best, lookups - best.lookups);
		rp_terms_free(&r->t);
		r->t = best.cand;
		memset(&best.cand, 0, sizeof(best.cand));
		plan_free(&best);
		/* a kept provider include may now be there twice: the second never matches */
		rp_drop_duplicates(r);
		rp_count(r, &r->t, &lookups, &voids, NULL);
	}
}
