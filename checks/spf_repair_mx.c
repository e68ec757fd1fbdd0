/*
 * spf_repair_mx.c: an mx term over the MX host limit, repaired (spf_repair.c).
 *
 * RFC 7208 §4.6.4: when the MX lookup of an mx (or mx:domain) term returns
 * more than 10 hosts, check_host() returns permerror and no host is looked
 * up; the whole record fails at receivers. The gather still asks the A and
 * AAAA of up to DD_SPF_MX_REPAIR_HOSTS hosts (checks/spf.c), so the term can
 * be replaced by the addresses it means: every host's addresses within the
 * term's cidr-lengths, merged into the fewest CIDR blocks (spf_addrset.c),
 * with the term's qualifier. The proof (spf_proof.c, which leaves the MX
 * host limit out as it leaves out the lookup limits) must find the same
 * result for every client, or the term is kept.
 *
 * Deliberately not repaired: a term whose name needs the client (a macro),
 * an MX answer past DD_SPF_MX_REPAIR_HOSTS hosts, or one where a host's A or
 * AAAA lookup failed or was not made (its addresses are not known: the
 * proof keeps the term a permerror). A host without addresses adds none.
 * Like an inlined include, the copy goes stale when the MX hosts or their
 * addresses change: the change says so, with the smallest TTL met.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf_repair_int.h"

/* The MX answer an mx term asks about, when it is over the limit; else NULL. */
static const struct dd_answer *over_limit(const struct rep *r, const struct dd_spf_term *t,
                                          char name[DD_NAME_MAX + 1])
{
	if (t->kind != DD_SPF_MX)
		return NULL;
	if (t->spec) {
		struct dd_spf_macro_env env = { &r->ctx.client, r->domain, NULL };
		bool valid = false;
		if (dd_spf_target(t->spec, t->spec_len, &env, name, &valid) != DD_SPF_EXPAND_OK ||
		    !valid)
			return NULL;
	} else if (!dd_spf_name(r->domain, strlen(r->domain), name)) {
		return NULL;
	}
	const struct dd_answer *a = dd_posture_answer(r->p, name, DD_RR_MX);
	if (!a || a->status != DD_DNS_OK || a->nrrs <= DD_SPF_MAX_NAMES)
		return NULL;
	return a;
}

/* Replace term i (an mx over the limit) by its hosts' ranges; false when it cannot be. */
static bool inline_one(struct rep *r, size_t i, const struct dd_spf_term *t, const char *name,
                       const struct dd_answer *mx, size_t *nadded)
{
	struct amap set[2];
	am_init(&set[0], 4, 0);
	am_init(&set[1], 6, 0);
	uint32_t ttl = UINT32_MAX;
	for (size_t k = 0; k < mx->nrrs; k++)
		if (mx->rrs[k].ttl < ttl)
			ttl = mx->rrs[k].ttl;
	char **blocks = NULL;
	size_t nb = 0;
	struct terms cand;
	memset(&cand, 0, sizeof(cand));
	bool ok = pf_mx_set(&r->ctx, mx, t->cidr4, t->cidr6, set, &ttl);
	if (!ok)
		goto out;
	am_cidrs(&set[0], rp_is_one, 0, &blocks, &nb);
	am_cidrs(&set[1], rp_is_one, 0, &blocks, &nb);
	for (size_t k = 0; k < r->t.n; k++) {
		if (k != i) {
			strv_add(&cand.v, &cand.n, xstrdup(r->t.v[k]));
			continue;
		}
		for (size_t b = 0; b < nb; b++)
			strv_add(&cand.v, &cand.n, rp_qualified(t->qualifier, blocks[b]));
	}
	ok = rp_same(r, &cand);
	if (!ok)
		goto out;
	struct dd_spf_change *c = rp_add_change(r, DD_SPF_CH_INLINE_MX);
	strv_add(&c->removed, &c->nremoved, xstrdup(r->t.v[i]));
	for (size_t k = i; k < i + nb; k++)
		strv_add(&c->added, &c->nadded, xstrdup(cand.v[k]));
	c->ttl = ttl;
	c->ranges = nb;
	c->hosts = mx->nrrs;
	rp_set_arg(c, 0, xstrdup(name));
	rp_set_arg(c, 1, xasprintf("%zu", mx->nrrs));
	rp_set_arg(c, 2, xasprintf("%zu", nb));
	rp_set_arg(c, 3, xasprintf("%u", ttl == UINT32_MAX ? 0u : ttl));
	rp_terms_free(&r->t);
	r->t = cand;
	memset(&cand, 0, sizeof(cand));
	*nadded = nb;
out:
	rp_terms_free(&cand);
	strv_free(blocks, nb);
	am_finish(&set[0]);
	am_finish(&set[1]);
	return ok;
}

void rp_inline_mx(struct rep *r)
{
	size_t i = 0;
	while (i < r->t.n) {
		struct one o;
		if (!rp_one_parse(r->t.v[i], &o)) {
			i++;
			continue;
		}
		char name[DD_NAME_MAX + 1];
		const struct dd_answer *mx = over_limit(r, o.t, name);
		size_t nadded = 0;
		bool done = mx && inline_one(r, i, o.t, name, mx, &nadded);
		rp_one_done(&o);
		/* the ranges put in its place are not mx terms: go on after them */
		i += done ? nadded : 1;
	}
}
