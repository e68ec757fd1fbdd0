/*
 * test_gather.c: the gather engine over a scripted resolver - CNAME chains
 * completed, loops and long chains ended, one lookup per question for the
 * whole run, the in-flight cap, the per-domain cap and the cache bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/util.h"

/* ------------------------------------------------ a scripted resolver */

struct script {
	const char *name;
	uint16_t type;
	enum dd_dns_status status;
	const char *txt;   /* one TXT record when status is OK */
	const char *cname; /* a chain-only answer: NODATA with this CNAME */
};

struct pending {
	dd_resolve_cb cb;
	void *arg;
	struct dd_answer *ans;
};

struct scripted {
	struct dd_resolver base;
	const struct script *script;
	struct pending *q;
	size_t nq, cap;
	size_t asked; /* questions received */
	size_t max_in_flight;
};

static struct dd_answer *answer_for(const struct scripted *s, const char *name, uint16_t type)
{
	for (const struct script *e = s->script; e->name; e++) {
		if (strcmp(e->name, name) != 0 || (e->type && e->type != type))
			continue;
		struct dd_answer *a = dd_answer_create(name, type, e->status);
		if (e->cname)
			dd_answer_add_cname(a, e->cname);
		if (e->txt && e->status == DD_DNS_OK) {
			struct dd_rr *rr = dd_answer_add_rr(a, NULL, 0, 300);
			dd_rr_add_string(rr, e->txt, strlen(e->txt));
		}
		return a;
	}
	return dd_answer_create(name, type, DD_DNS_NXDOMAIN);
}

static void s_query(struct dd_resolver *base, const char *name, uint16_t type, dd_resolve_cb cb,
                    void *arg)
{
	struct scripted *s = (struct scripted *)base;
	s->asked++;
	s->q = xgrow(s->q, &s->cap, s->nq + 1, sizeof(*s->q));
	s->q[s->nq++] = (struct pending){ cb, arg, answer_for(s, name, type) };
	if (s->nq > s->max_in_flight)
		s->max_in_flight = s->nq;
}

/* Delivers one answer per call, oldest first, so that questions overlap. */
static size_t s_process(struct dd_resolver *base, int timeout_ms)
{
	struct scripted *s = (struct scripted *)base;
	(void)timeout_ms;
	if (s->nq) {
		struct pending p = s->q[0];
		memmove(s->q, s->q + 1, (s->nq - 1) * sizeof(*s->q));
		s->nq--;
		p.cb(p.arg, p.ans);
	}
	return s->nq;
}

static size_t s_pending(const struct dd_resolver *base)
{
	return ((const struct scripted *)base)->nq;
}

static void s_destroy(struct dd_resolver *base)
{
	struct scripted *s = (struct scripted *)base;
	for (size_t i = 0; i < s->nq; i++)
		dd_answer_unref(s->q[i].ans);
	free(s->q);
}

static const struct dd_resolver_impl scripted_impl = {
	"scripted", s_query, s_process, s_pending, s_destroy,
};

/* ------------------------------------------------------------ runs */

struct done {
	struct dd_posture *p[8];
	size_t n;
};

static void on_done(void *arg, struct dd_posture *p)
{
	struct done *d = arg;
	d->p[d->n++] = p;
}

static void run_all(struct dd_gather *g)
{
	for (int i = 0; i < 100000 && dd_gather_active(g); i++)
		dd_gather_step(g, 0);
	assert_int_equal(dd_gather_active(g), 0);
}

static const struct dd_answer *answer(const struct dd_posture *p, const char *name)
{
	const struct dd_answer *a = dd_posture_answer(p, name, DD_RR_TXT);
	assert_non_null(a);
	return a;
}

static void test_cname_chain_completed(void **state)
{
	(void)state;
	static const struct script sc[] = {
		{ "_dmarc.a.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "policy.b.test" },
		{ "policy.b.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "final.c.test" },
		{ "final.c.test", DD_RR_TXT, DD_DNS_OK, "v=DMARC1; p=reject", NULL },
		{ NULL, 0, 0, NULL, NULL },
	};
	struct scripted s = { .base = { &scripted_impl }, .script = sc };
	struct dd_gather *g = dd_gather_create(&s.base, NULL);
	struct done d = { 0 };
	dd_gather_start(g, dd_posture_create("a.test", NULL, NULL), on_done, &d);
	assert_int_equal(d.n, 0); /* never reported from inside start() */
	run_all(g);
	assert_int_equal(d.n, 1);
	const struct dd_answer *a = answer(d.p[0], "_dmarc.a.test");
	assert_int_equal(a->status, DD_DNS_OK);
	assert_int_equal(a->ncnames, 2);
	assert_string_equal(a->cnames[0], "policy.b.test");
	assert_string_equal(a->cnames[1], "final.c.test");
	assert_string_equal(a->rrs[0].data, "v=DMARC1; p=reject");
	assert_string_equal(dd_answer_owner(a), "final.c.test");
	assert_int_equal(dd_gather_stats(g)->cname_follows, 2);
	dd_posture_destroy(d.p[0]);
	dd_gather_destroy(g);
	s_destroy(&s.base);
}

static void test_cname_loop_is_servfail(void **state)
{
	(void)state;
	static const struct script sc[] = {
		{ "_dmarc.a.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "x.b.test" },
		{ "x.b.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "y.b.test" },
		{ "y.b.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "x.b.test" },
		{ NULL, 0, 0, NULL, NULL },
	};
	struct scripted s = { .base = { &scripted_impl }, .script = sc };
	struct dd_gather *g = dd_gather_create(&s.base, NULL);
	struct done d = { 0 };
	dd_gather_start(g, dd_posture_create("a.test", NULL, NULL), on_done, &d);
	run_all(g);
	assert_int_equal(d.n, 1);
	assert_int_equal(answer(d.p[0], "_dmarc.a.test")->status, DD_DNS_SERVFAIL);
	dd_posture_destroy(d.p[0]);
	dd_gather_destroy(g);
	s_destroy(&s.base);
}

static void test_long_chain_is_servfail(void **state)
{
	(void)state;
	static const struct script sc[] = {
		{ "_dmarc.a.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "c1.test" },
		{ "c1.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "c2.test" },
		{ "c2.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "c3.test" },
		{ "c3.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "c4.test" },
		{ "c4.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "c5.test" },
		{ "c5.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "c6.test" },
		{ "c6.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "c7.test" },
		{ "c7.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "c8.test" },
		{ "c8.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "c9.test" },
		{ "c9.test", DD_RR_TXT, DD_DNS_NODATA, NULL, "c10.test" },
		{ "c10.test", DD_RR_TXT, DD_DNS_OK, "v=DMARC1; p=none", NULL },
		{ NULL, 0, 0, NULL, NULL },
	};
	struct scripted s = { .base = { &scripted_impl }, .script = sc };
	struct dd_gather *g = dd_gather_create(&s.base, NULL);
	struct done d = { 0 };
	dd_gather_start(g, dd_posture_create("a.test", NULL, NULL), on_done, &d);
	run_all(g);
	assert_int_equal(answer(d.p[0], "_dmarc.a.test")->status, DD_DNS_SERVFAIL);
	dd_posture_destroy(d.p[0]);
	dd_gather_destroy(g);
	s_destroy(&s.base);
}

/* A hostile server that answers every name with a CNAME to a new name: each
 * question follows at most max_cname_hops of them, so the domain finishes. */
static void test_endless_chain_of_new_names_ends(void **state)
{
	(void)state;
	enum { LEN = 40 };
	static char names[LEN + 1][16];
	static struct script sc[LEN + 2];
	snprintf(names[0], sizeof(names[0]), "_dmarc.a.test");
	for (int i = 1; i <= LEN; i++)
		snprintf(names[i], sizeof(names[i]), "c%d.test", i);
	for (int i = 0; i < LEN; i++)
		sc[i] = (struct script){ names[i], DD_RR_TXT, DD_DNS_NODATA, NULL, names[i + 1] };
	sc[LEN] = (struct script){ names[LEN], DD_RR_TXT, DD_DNS_OK, "v=DMARC1; p=none", NULL };
	sc[LEN + 1] = (struct script){ NULL, 0, 0, NULL, NULL };
	struct scripted s = { .base = { &scripted_impl }, .script = sc };
	struct dd_gather_limits l;
	dd_gather_limits_default(&l);
	struct dd_gather *g = dd_gather_create(&s.base, &l);
	struct done d = { 0 };
	dd_gather_start(g, dd_posture_create("a.test", NULL, NULL), on_done, &d);
	run_all(g);
	assert_int_equal(answer(d.p[0], "_dmarc.a.test")->status, DD_DNS_SERVFAIL);
	assert_int_equal(dd_gather_stats(g)->cname_follows, l.max_cname_hops);
	dd_posture_destroy(d.p[0]);
	dd_gather_destroy(g);
	s_destroy(&s.base);
}

static void test_one_lookup_per_question_per_run(void **state)
{
	(void)state;
	static const struct script sc[] = {
		{ "_dmarc.test", DD_RR_TXT, DD_DNS_OK, "v=DMARC1; p=reject; psd=y", NULL },
		{ NULL, 0, 0, NULL, NULL },
	};
	struct scripted s = { .base = { &scripted_impl }, .script = sc };
	struct dd_gather *g = dd_gather_create(&s.base, NULL);
	struct done d = { 0 };
	dd_gather_start(g, dd_posture_create("a.test", NULL, NULL), on_done, &d);
	dd_gather_start(g, dd_posture_create("b.test", NULL, NULL), on_done, &d);
	dd_gather_start(g, dd_posture_create("a.test", NULL, NULL), on_done, &d);
	run_all(g);
	assert_int_equal(d.n, 3);
	/* a.test asked everything twice; b.test shares _dmarc.test: each asked once */
	size_t per_domain = d.p[0]->nqueries;
	assert_int_equal(s.asked, 2 * per_domain - 1);
	assert_int_equal(dd_gather_stats(g)->cache_hits, per_domain + 1);
	for (size_t i = 0; i < d.n; i++) {
		assert_int_equal(answer(d.p[i], "_dmarc.test")->status, DD_DNS_OK);
		dd_posture_destroy(d.p[i]);
	}
	dd_gather_destroy(g);
	s_destroy(&s.base);
}

static void test_inflight_cap(void **state)
{
	(void)state;
	/* _domainkey exists (an empty non-terminal): the DKIM table is asked too */
	static const struct script sc[] = {
		{ "_domainkey.a.test", DD_RR_TXT, DD_DNS_NODATA, NULL, NULL },
		{ "_domainkey.b.test", DD_RR_TXT, DD_DNS_NODATA, NULL, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};
	struct scripted s = { .base = { &scripted_impl }, .script = sc };
	struct dd_gather_limits l;
	dd_gather_limits_default(&l);
	l.max_inflight = 3;
	struct dd_gather *g = dd_gather_create(&s.base, &l);
	struct done d = { 0 };
	dd_gather_start(g, dd_posture_create("a.test", NULL, NULL), on_done, &d);
	dd_gather_start(g, dd_posture_create("b.test", NULL, NULL), on_done, &d);
	run_all(g);
	assert_int_equal(d.n, 2);
	assert_int_equal(s.max_in_flight, 3);
	assert_true(s.asked > 40);
	for (size_t i = 0; i < d.n; i++)
		dd_posture_destroy(d.p[i]);
	dd_gather_destroy(g);
	s_destroy(&s.base);
}

static void test_query_cap_truncates(void **state)
{
	(void)state;
	static const struct script sc[] = {
		{ "_domainkey.a.test", DD_RR_TXT, DD_DNS_NODATA, NULL, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};
	struct scripted s = { .base = { &scripted_impl }, .script = sc };
	struct dd_gather_limits l;
	dd_gather_limits_default(&l);
	l.max_queries = 10;
	struct dd_gather *g = dd_gather_create(&s.base, &l);
	struct done d = { 0 };
	dd_gather_start(g, dd_posture_create("a.test", NULL, NULL), on_done, &d);
	run_all(g);
	assert_int_equal(d.p[0]->nqueries, 10);
	assert_true(d.p[0]->truncated);
	dd_posture_destroy(d.p[0]);
	dd_gather_destroy(g);
	s_destroy(&s.base);
}

static void test_cache_bound(void **state)
{
	(void)state;
	static const struct script sc[] = {
		{ "a.test", DD_RR_TXT, DD_DNS_OK, "v=spf1 -all", NULL },
		{ NULL, 0, 0, NULL, NULL },
	};
	struct scripted s = { .base = { &scripted_impl }, .script = sc };
	struct dd_gather_limits l;
	dd_gather_limits_default(&l);
	l.cache_bytes = 1; /* keep nothing that is not in use */
	struct dd_gather *g = dd_gather_create(&s.base, &l);
	struct done d = { 0 };
	dd_gather_start(g, dd_posture_create("a.test", NULL, NULL), on_done, &d);
	run_all(g);
	dd_gather_start(g, dd_posture_create("a.test", NULL, NULL), on_done, &d);
	run_all(g);
	assert_true(dd_gather_stats(g)->evicted > 0);
	/* the posture still holds its own answers after they left the cache */
	for (size_t i = 0; i < d.n; i++) {
		assert_string_equal(answer(d.p[i], "a.test")->rrs[0].data, "v=spf1 -all");
		dd_posture_destroy(d.p[i]);
	}
	dd_gather_destroy(g);
	s_destroy(&s.base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cname_chain_completed),
		cmocka_unit_test(test_cname_loop_is_servfail),
		cmocka_unit_test(test_long_chain_is_servfail),
		cmocka_unit_test(test_endless_chain_of_new_names_ends),
		cmocka_unit_test(test_one_lookup_per_question_per_run),
		cmocka_unit_test(test_inflight_cap),
		cmocka_unit_test(test_query_cap_truncates),
		cmocka_unit_test(test_cache_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
