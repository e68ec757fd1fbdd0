/*
 * spf_proof.c: an SPF record evaluated for every client address at once -
 * the proof behind SPF repair (spf_repair.c).
 *
 * check_host() (spf_eval.c) decides for one client; here each record of the
 * gathered tree becomes a map from every IPv4 and IPv6 address to its result
 * (pass, fail, softfail, neutral, permerror, temperror), following RFC 7208
 * as check_host() does: mechanisms in order, the first match decides with
 * its qualifier (§4.6.2); include matches only where its target passes and
 * stops on its errors (§5.2); a/mx use the addresses gathered for their
 * names (A for IPv4 clients, AAAA for IPv6; §5.3, §5.4); exists without a
 * macro matches every client or none (§5.7); redirect= decides where nothing
 * matched (§6.1); no match is neutral (§4.7).
 *
 * Not computable, and kept as "unprovable": ptr, any term whose name needs
 * the client (%{i}, %{s}, %{l}, %{h}, %{p}, ...), and a term whose lookup
 * failed or was not made. Where the top-level record holds one, the map of
 * what was decided before it is kept (a snapshot): two records give the same
 * result to every client - whatever those terms do - when their snapshots
 * name the same terms in the same order with the same maps, and their final
 * maps are equal. An include with such a term below it is one unprovable
 * term of its parent. A second unprovable term equal to one already met
 * (qualifier aside) never matches - the same client gets the same answer -
 * and is skipped.
 *
 * Deliberately ignored: the lookup limits (a receiver's permerror past 10
 * lookups or 2 void lookups). The maps are what the record says; the repair
 * exists to bring the count within the limits.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf_repair_int.h"

/* ------------------------------------------------------------ painting */

/* Where nothing is decided yet, the set (1) gets v. */
static int paint_set(int a, int b, int v)
{
	return a == AM_UNDEC && b == 1 ? v : a;
}

/* include (§5.2): the target's pass matches with the qualifier's result; its errors stop. */
static int paint_include(int a, int b, int v)
{
	if (a != AM_UNDEC)
		return a;
	if (b == DD_SPF_PASS)
		return v;
	if (b == DD_SPF_PERMERROR || b == DD_SPF_TEMPERROR || b == AM_UNKNOWN)
		return b;
	return a;
}

static void paint_everything(struct amap m[2], int v)
{
	am_replace(&m[0], AM_UNDEC, v);
	am_replace(&m[1], AM_UNDEC, v);
}

static int qresult(enum dd_spf_qualifier q)
{
	static const int map[] = { DD_SPF_PASS, DD_SPF_FAIL, DD_SPF_SOFTFAIL, DD_SPF_NEUTRAL };
	return map[q];
}

/* ------------------------------------------------------------- lookups */

enum got {
	GOT_OK,
	GOT_VOID,
	GOT_UNKNOWN, /* failed or not asked */
};

static enum got get(const struct pf_ctx *c, const char *name, uint16_t type,
                    const struct dd_answer **out, uint32_t *ttl)
{
	const struct dd_answer *a = dd_posture_answer(c->p, name, type);
	*out = a;
	if (!a || a->status == DD_DNS_UNKNOWN || dd_dns_status_is_failure(a->status))
		return GOT_UNKNOWN;
	if (a->status != DD_DNS_OK || !a->nrrs)
		return GOT_VOID;
	for (size_t i = 0; ttl && i < a->nrrs; i++)
		if (a->rrs[i].ttl < *ttl)
			*ttl = a->rrs[i].ttl;
	return GOT_OK;
}

/* Add the addresses of an A or AAAA answer, within the prefix, to the set s (value 1). */
static void add_addresses(struct amap *s, const struct dd_answer *a, int prefix)
{
	for (size_t i = 0; a && i < a->nrrs; i++) {
		unsigned char buf[16];
		if (inet_pton(s->family == 4 ? AF_INET : AF_INET6, a->rrs[i].data, buf) == 1)
			am_set_cidr(s, buf, prefix, 1);
	}
}

/* The addresses of `name` for the a/mx prefixes; false when a lookup is unknown. */
static bool host_set(const struct pf_ctx *c, const char *name, int cidr4, int cidr6,
                     struct amap set[2], uint32_t *ttl)
{
	const struct dd_answer *a4, *a6;
	enum got g4 = get(c, name, DD_RR_A, &a4, ttl);
	enum got g6 = get(c, name, DD_RR_AAAA, &a6, ttl);
	if (g4 == GOT_UNKNOWN || g6 == GOT_UNKNOWN)
		return false;
	if (g4 == GOT_OK)
		add_addresses(&set[0], a4, cidr4 < 0 ? 32 : cidr4);
	if (g6 == GOT_OK)
		add_addresses(&set[1], a6, cidr6 < 0 ? 128 : cidr6);
	return true;
}

/*
 * The addresses an mx term with these cidr-lengths matches, for the hosts of
 * the MX answer mx, added to set (value 1); false when a host's lookup is
 * unknown. Past §4.6.4's 10 hosts too: like the lookup limits, the MX host
 * limit is left out of the map of the record itself (the repair of
 * spf_repair_mx.c exists to bring such a term within it), but only where
 * every host's addresses were gathered (DD_SPF_MX_REPAIR_HOSTS); otherwise,
 * and below includes and redirects, the term stays a permerror.
 */
bool pf_mx_set(const struct pf_ctx *c, const struct dd_answer *mx, int cidr4, int cidr6,
               struct amap set[2], uint32_t *ttl)
{
	if (mx->nrrs > DD_SPF_MX_REPAIR_HOSTS)
		return false;
	for (size_t i = 0; i < mx->nrrs; i++) {
		char host[DD_NAME_MAX + 1];
		if (!dd_spf_name(mx->rrs[i].data, mx->rrs[i].len, host))
			continue; /* null MX */
		if (!host_set(c, host, cidr4, cidr6, set, ttl))
			return false;
	}
	return true;
}

/* ---------------------------------------------------------- the records */

/* What one mechanism does, for every client. */
enum how {
	HOW_SET,     /* set[] holds the addresses it matches (1) */
	HOW_VALUE,   /* it decides `value` for every undecided client */
	HOW_INCLUDE, /* target's map: its pass matches */
	HOW_OPAQUE,  /* not computable */
};

struct matcher {
	enum how how;
	struct amap set[2];
	int value;
	const struct pf_target *target;
	const struct dd_text *why; /* HOW_OPAQUE: why the term's set is not known */
};

/* clang-format off */
static const struct dd_text why_client_name = {"its name depends on the sending host",
	"名前が送信ホストによって変わります"};
static const struct dd_text why_ptr = {"ptr depends on the sending host's reverse DNS",
	"ptr は送信ホストの逆引き DNS によって変わります"};
static const struct dd_text why_lookup = {"a lookup failed or was not made",
	"問い合わせに失敗したか、問い合わせていません"};
static const struct dd_text why_client_tree = {"its tree holds a term that depends on the sending host",
	"その先に送信ホストによって変わる項目があります"};
/* clang-format on */

static const struct pf_target *target_of(struct pf_ctx *c, const char *name);

static void matcher_sets(struct matcher *mt)
{
	mt->how = HOW_SET;
	am_init(&mt->set[0], 4, 0);
	am_init(&mt->set[1], 6, 0);
}

static void matcher_finish(struct matcher *mt)
{
	if (mt->how == HOW_SET) {
		am_finish(&mt->set[0]);
		am_finish(&mt->set[1]);
	}
}

/* The name a term asks about; false (mt set) when it is unprovable or matches nothing. */
static bool name_of(struct pf_ctx *c, const struct dd_spf_term *t, const char *domain,
                    char name[DD_NAME_MAX + 1], struct matcher *mt)
{
	struct dd_spf_macro_env env = { &c->client, domain, NULL };
	bool valid = true;
	enum dd_spf_expand st = DD_SPF_EXPAND_OK;
	if (t->spec)
		st = dd_spf_target(t->spec, t->spec_len, &env, name, &valid);
	else
		valid = dd_spf_name(domain, strlen(domain), name);
	if (st == DD_SPF_EXPAND_NEEDS_CLIENT || st == DD_SPF_EXPAND_NEEDS_PTR) {
		mt->how = HOW_OPAQUE;
		mt->why = &why_client_name;
		return false;
	}
	if (st == DD_SPF_EXPAND_BAD) {
		mt->how = HOW_VALUE; /* check_host: permerror */
		mt->value = DD_SPF_PERMERROR;
		return false;
	}
	if (!valid) {
		if (t->kind == DD_SPF_INCLUDE) {
			mt->how = HOW_VALUE;
			mt->value = DD_SPF_PERMERROR;
		} else {
			matcher_sets(mt); /* no name can be formed: nothing matches */
		}
		return false;
	}
	return true;
}

/* own: t is a term of the record itself (not of an include or a redirect target) */
static void match_of(struct pf_ctx *c, const struct dd_spf_term *t, const char *domain, bool own,
                     struct matcher *mt, uint32_t *ttl)
{
	char name[DD_NAME_MAX + 1];
	const struct dd_answer *a;
	memset(mt, 0, sizeof(*mt));
	switch (t->kind) {
	case DD_SPF_ALL:
		mt->how = HOW_VALUE;
		mt->value = qresult(t->qualifier);
		return;
	case DD_SPF_IP4:
		matcher_sets(mt);
		am_set_cidr(&mt->set[0], t->addr, t->cidr4 < 0 ? 32 : t->cidr4, 1);
		return;
	case DD_SPF_IP6:
		matcher_sets(mt);
		am_set_cidr(&mt->set[1], t->addr, t->cidr6 < 0 ? 128 : t->cidr6, 1);
		return;
	case DD_SPF_PTR:
		mt->how = HOW_OPAQUE;
		mt->why = &why_ptr;
		return;
	default: break;
	}
	if (!name_of(c, t, domain, name, mt))
		return;
	switch (t->kind) {
	case DD_SPF_A:
		matcher_sets(mt);
		if (!host_set(c, name, t->cidr4, t->cidr6, mt->set, ttl)) {
			matcher_finish(mt);
			mt->how = HOW_OPAQUE;
			mt->why = &why_lookup;
		}
		return;
	case DD_SPF_EXISTS:
		switch (get(c, name, DD_RR_A, &a, ttl)) {
		case GOT_UNKNOWN:
			mt->how = HOW_OPAQUE;
			mt->why = &why_lookup;
			return;
		case GOT_VOID: matcher_sets(mt); return;
		case GOT_OK:
			mt->how = HOW_VALUE;
			mt->value = qresult(t->qualifier);
			return;
		}
		return;
	case DD_SPF_MX:
		switch (get(c, name, DD_RR_MX, &a, ttl)) {
		case GOT_UNKNOWN:
			mt->how = HOW_OPAQUE;
			mt->why = &why_lookup;
			return;
		case GOT_VOID: matcher_sets(mt); return;
		case GOT_OK: break;
		}
		matcher_sets(mt);
		/* past the MX host limit: the hosts' addresses only in the record
		 * itself, where spf_repair_mx.c replaces the term; below an include
		 * or a redirect it stays a permerror, as at receivers (§4.6.4), so
		 * that no other repair moves a range across it */
		if ((own || a->nrrs <= DD_SPF_MAX_NAMES) &&
		    pf_mx_set(c, a, t->cidr4, t->cidr6, mt->set, ttl))
			return;
		matcher_finish(mt);
		if (a->nrrs > DD_SPF_MAX_NAMES) {
			mt->how = HOW_VALUE; /* §4.6.4: permerror; hosts not all known */
			mt->value = DD_SPF_PERMERROR;
			return;
		}
		mt->how = HOW_OPAQUE;
		mt->why = &why_lookup;
		return;
	case DD_SPF_INCLUDE:
		mt->target = target_of(c, name);
		if (mt->target->opaque) {
			mt->how = HOW_OPAQUE;
			mt->why = &why_client_tree;
		} else {
			mt->how = HOW_INCLUDE;
			if (mt->target->ttl < *ttl)
				*ttl = mt->target->ttl;
		}
		return;
	default: matcher_sets(mt); return;
	}
}

static void paint(struct amap m[2], const struct matcher *mt, int v)
{
	switch (mt->how) {
	case HOW_SET:
		am_merge(&m[0], &mt->set[0], paint_set, v);
		am_merge(&m[1], &mt->set[1], paint_set, v);
		break;
	case HOW_VALUE: paint_everything(m, mt->value == DD_SPF_PERMERROR ? mt->value : v); break;
	case HOW_INCLUDE:
		am_merge(&m[0], &mt->target->m[0], paint_include, v);
		am_merge(&m[1], &mt->target->m[1], paint_include, v);
		break;
	case HOW_OPAQUE: break;
	}
}

static bool on_stack(const struct pf_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->depth; i++)
		if (strcmp(c->stack[i], name) == 0)
			return true;
	return false;
}

/* Both languages of an unprovable term, kept side by side (the same count). */
static void add_unprovable(char ***en, char ***ja, size_t *n, char *e, char *j)
{
	size_t n_en = *n;
	strv_add(en, &n_en, e);
	strv_add(ja, n, j);
}

static void snapshot(struct pf_eval *top, const struct amap m[2], const char *domain,
                     const struct dd_spf_term *t, const struct dd_text *why)
{
	/* the key leaves the qualifier out: a second such term never matches */
	size_t skip = t->len && strchr("+-~?", t->text[0]) ? 1 : 0;
	char *key = xasprintf("%s %.*s", domain, (int)(t->len - skip), t->text + skip);
	for (size_t i = 0; i < top->nseen; i++)
		if (strcmp(top->seen[i], key) == 0) {
			free(key);
			return;
		}
	strv_add(&top->seen, &top->nseen, key);
	top->snaps = xgrow(top->snaps, &top->cap, top->nsnaps + 1, sizeof(*top->snaps));
	struct pf_snap *s = &top->snaps[top->nsnaps++];
	s->id = xasprintf("%s %.*s", domain, (int)t->len, t->text);
	am_copy(&s->m[0], &m[0]);
	am_copy(&s->m[1], &m[1]);
	add_unprovable(&top->unprovable, &top->unprovable_ja, &top->nunprovable,
	               xasprintf("%.*s (%s: %s)", (int)t->len, t->text, domain, why->en),
	               xasprintf("%.*s (%s: %s)", (int)t->len, t->text, domain, why->ja));
}

/*
 * Evaluate the record of `domain` into m (only undecided addresses change).
 * top: the top-level record (unprovable terms become snapshots); otherwise
 * an unprovable term makes the whole record opaque: returns false.
 */
static bool eval_rec(struct pf_ctx *c, const char *domain, const char *txt, size_t len,
                     struct amap m[2], struct pf_eval *top, uint32_t *ttl)
{
	struct dd_spf_record rec;
	bool ok = true;
	dd_spf_parse(txt, len, &rec);
	if (rec.error) {
		paint_everything(m, DD_SPF_PERMERROR);
		goto out;
	}
	if (rec.truncated || c->depth >= DD_ARRAY_LEN(c->stack)) {
		ok = false;
		goto out;
	}
	c->stack[c->depth++] = domain;
	for (size_t i = 0; ok && i < rec.nterms; i++) {
		const struct dd_spf_term *t = &rec.terms[i];
		if (t->kind >= DD_SPF_REDIRECT)
			continue;
		struct matcher mt;
		match_of(c, t, domain, top && c->depth == 1, &mt, ttl);
		if (mt.how == HOW_OPAQUE) {
			if (top)
				snapshot(top, m, domain, t, mt.why);
			else
				ok = false;
		} else {
			paint(m, &mt, qresult(t->qualifier));
		}
		matcher_finish(&mt);
		if (t->kind == DD_SPF_ALL)
			break; /* §5.1: nothing after all is evaluated */
	}
	if (ok && rec.all < 0 && rec.redirect >= 0) {
		const struct dd_spf_term *t = &rec.terms[rec.redirect];
		char name[DD_NAME_MAX + 1];
		struct matcher mt;
		const struct dd_answer *a;
		memset(&mt, 0, sizeof(mt));
		const struct dd_rr *rr;
		if (!name_of(c, t, domain, name, &mt)) {
			if (mt.how == HOW_OPAQUE && top) {
				snapshot(top, m, domain, t, mt.why);
				paint_everything(m, AM_UNKNOWN);
			} else if (mt.how == HOW_OPAQUE) {
				ok = false;
			} else {
				paint_everything(m, DD_SPF_PERMERROR);
			}
			matcher_finish(&mt);
		} else if (on_stack(c, name)) {
			paint_everything(m, DD_SPF_PERMERROR); /* a loop */
		} else {
			enum got g = get(c, name, DD_RR_TXT, &a, ttl);
			if (g == GOT_UNKNOWN) {
				if (top) {
					snapshot(top, m, domain, t, &why_lookup);
					paint_everything(m, AM_UNKNOWN);
				} else {
					ok = false;
				}
			} else if (g == GOT_VOID || dd_spf_records(a, &rr) != 1) {
				paint_everything(m, DD_SPF_PERMERROR); /* §6.1 */
			} else {
				char *owned = xstrdup(name);
				ok = eval_rec(c, owned, rr->data, rr->len, m, top, ttl);
				free(owned);
			}
		}
	}
	c->depth--;
	if (ok)
		paint_everything(m, DD_SPF_NEUTRAL); /* §4.7 */
out:
	dd_spf_record_finish(&rec);
	return ok;
}

static bool is_error(int v, int arg)
{
	(void)arg;
	return v == DD_SPF_PERMERROR || v == DD_SPF_TEMPERROR || v == AM_UNKNOWN;
}

static const struct pf_target *target_of(struct pf_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->ntargets; i++)
		if (strcmp(c->targets[i]->name, name) == 0)
			return c->targets[i];
	struct pf_target *t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->ttl = UINT32_MAX;
	am_init(&t->m[0], 4, AM_UNDEC);
	am_init(&t->m[1], 6, AM_UNDEC);
	const struct dd_answer *a;
	const struct dd_rr *rr;
	if (on_stack(c, name)) {
		t->opaque = true; /* a loop: left as it is */
	} else {
		switch (get(c, name, DD_RR_TXT, &a, &t->ttl)) {
		case GOT_UNKNOWN: t->opaque = true; break;
		case GOT_VOID: paint_everything(t->m, DD_SPF_PERMERROR); break;
		case GOT_OK:
			if (dd_spf_records(a, &rr) != 1)
				paint_everything(t->m,
				                 DD_SPF_PERMERROR); /* none: §5.2; several: §4.5 */
			else
				t->opaque = !eval_rec(c, t->name, rr->data, rr->len, t->m, NULL,
				                      &t->ttl);
			break;
		}
	}
	t->has_error =
	        !t->opaque && (am_any(&t->m[0], is_error, 0) || am_any(&t->m[1], is_error, 0));
	c->targets = xgrow(c->targets, &c->cap, c->ntargets + 1, sizeof(*c->targets));
	c->targets[c->ntargets++] = t;
	return t;
}

const struct pf_target *pf_target(struct pf_ctx *c, const char *name)
{
	return target_of(c, name);
}

void pf_ctx_init(struct pf_ctx *c, const struct dd_posture *p)
{
	memset(c, 0, sizeof(*c));
	c->p = p;
	dd_spf_client_init(&c->client, p->domain, NULL, NULL, NULL);
}

void pf_ctx_finish(struct pf_ctx *c)
{
	for (size_t i = 0; i < c->ntargets; i++) {
		free(c->targets[i]->name);
		am_finish(&c->targets[i]->m[0]);
		am_finish(&c->targets[i]->m[1]);
		free(c->targets[i]);
	}
	free(c->targets);
	memset(c, 0, sizeof(*c));
}

void pf_eval_record(struct pf_ctx *c, const char *domain, const char *txt, size_t len,
                    struct pf_eval *out)
{
	uint32_t ttl = UINT32_MAX;
	memset(out, 0, sizeof(*out));
	am_init(&out->m[0], 4, AM_UNDEC);
	am_init(&out->m[1], 6, AM_UNDEC);
	c->depth = 0;
	if (!eval_rec(c, domain, txt, len, out->m, out, &ttl))
		paint_everything(out->m, AM_UNKNOWN); /* too deep, or over the term cap */
}

void pf_eval_finish(struct pf_eval *e)
{
	am_finish(&e->m[0]);
	am_finish(&e->m[1]);
	for (size_t i = 0; i < e->nsnaps; i++) {
		free(e->snaps[i].id);
		am_finish(&e->snaps[i].m[0]);
		am_finish(&e->snaps[i].m[1]);
	}
	free(e->snaps);
	strv_free(e->unprovable, e->nunprovable);
	strv_free(e->unprovable_ja, e->nunprovable);
	strv_free(e->seen, e->nseen);
	memset(e, 0, sizeof(*e));
}

bool pf_same(const struct pf_eval *a, const struct pf_eval *b)
{
	if (a->nsnaps != b->nsnaps)
		return false;
	for (size_t i = 0; i < a->nsnaps; i++)
		if (strcmp(a->snaps[i].id, b->snaps[i].id) != 0 ||
		    !am_equal(&a->snaps[i].m[0], &b->snaps[i].m[0]) ||
		    !am_equal(&a->snaps[i].m[1], &b->snaps[i].m[1]))
			return false;
	return am_equal(&a->m[0], &b->m[0]) && am_equal(&a->m[1], &b->m[1]);
}

/* ----------------------------------------------------------- the proof */

static int pair(int a, int b, int arg)
{
	(void)arg;
	return (a + 8) * 16 + (b + 8); /* both values fit: -2..6 */
}

static bool is_value(int v, int arg)
{
	return v == arg;
}

static bool gains_pass(int v, int arg)
{
	(void)arg;
	int from = v / 16 - 8, to = v % 16 - 8;
	return to == DD_SPF_PASS && from != DD_SPF_PASS;
}

static bool loses_pass(int v, int arg)
{
	(void)arg;
	int from = v / 16 - 8, to = v % 16 - 8;
	return from == DD_SPF_PASS && to != DD_SPF_PASS;
}

void dd_spf_prove(const struct dd_posture *p, const char *domain, const char *original,
                  size_t original_len, const char *proposed, size_t proposed_len,
                  struct dd_spf_proof *out)
{
	struct pf_ctx c;
	struct pf_eval a, b;
	memset(out, 0, sizeof(*out));
	pf_ctx_init(&c, p);
	pf_eval_record(&c, domain, original, original_len, &a);
	pf_eval_record(&c, domain, proposed, proposed_len, &b);
	out->equal = pf_same(&a, &b);
	for (size_t i = 0; i < a.nunprovable; i++)
		add_unprovable(&out->unprovable, &out->unprovable_ja, &out->nunprovable,
		               xstrdup(a.unprovable[i]), xstrdup(a.unprovable_ja[i]));
	/* what changes where no unprovable term matches: the final maps, side by side */
	for (int f = 0; f < 2; f++) {
		struct amap d;
		am_copy(&d, &a.m[f]);
		am_merge(&d, &b.m[f], pair, 0);
		am_cidrs(&d, gains_pass, 0, &out->added, &out->nadded);
		am_cidrs(&d, loses_pass, 0, &out->removed, &out->nremoved);
		for (int from = -2; from <= DD_SPF_PERMERROR; from++)
			for (int to = -2; to <= DD_SPF_PERMERROR; to++) {
				int key = (from + 8) * 16 + (to + 8);
				if (from == to || !am_any(&d, is_value, key))
					continue;
				struct dd_spf_result_change *ch = NULL;
				for (size_t k = 0; k < out->nchanged; k++)
					if ((int)out->changed[k].from == from &&
					    (int)out->changed[k].to == to)
						ch = &out->changed[k];
				if (!ch) {
					out->changed = xrealloc(out->changed,
					                        (out->nchanged + 1) *
					                                sizeof(*out->changed));
					ch = &out->changed[out->nchanged++];
					memset(ch, 0, sizeof(*ch));
					ch->from_unknown = from < 0;
					ch->to_unknown = to < 0;
					ch->from =
					        from < 0 ? DD_SPF_NONE : (enum dd_spf_result)from;
					ch->to = to < 0 ? DD_SPF_NONE : (enum dd_spf_result)to;
				}
				am_cidrs(&d, is_value, key, &ch->ranges, &ch->nranges);
			}
		am_finish(&d);
	}
	if (!out->equal && !out->nchanged)
		/* the same final results, but not before an unprovable term */
		add_unprovable(&out->unprovable, &out->unprovable_ja, &out->nunprovable,
		               xstrdup("(the terms before an unprovable term decide differently)"),
		               xstrdup("(計算できない項目より前の項目の判定が変わります)"));
	pf_eval_finish(&a);
	pf_eval_finish(&b);
	pf_ctx_finish(&c);
}

void dd_spf_proof_finish(struct dd_spf_proof *pr)
{
	strv_free(pr->added, pr->nadded);
	strv_free(pr->removed, pr->nremoved);
	strv_free(pr->unprovable, pr->nunprovable);
	strv_free(pr->unprovable_ja, pr->nunprovable);
	for (size_t i = 0; i < pr->nchanged; i++)
		strv_free(pr->changed[i].ranges, pr->changed[i].nranges);
	free(pr->changed);
	memset(pr, 0, sizeof(*pr));
}
