/*
 * test_store_evidence.c: the store's load (its strings in one arena of the
 * set, dd_report_set_strndup) gives back the same reports, and so the same
 * evidence, as the reports that went in with every string owned. A
 * generated store: eight weeks of reports from four reporters, rows for the
 * domain, its subdomains and other domains, every optional field present
 * or absent by turns, several DKIM and SPF results and reasons a row.
 */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "reports/store.h"
#include "render/evidence.h"
#include "dd/evidence.h"
#include "dd/util.h"

#define DAY    86400
#define NOW    1764720000 /* 2025-12-03 00:00 UTC */
#define DOMAIN "gen.test"

static char tmpdir[DD_TEST_TMPDIR_SIZE];

static int setup(void **state)
{
	(void)state;
	return dd_test_tmpdir_make(tmpdir, "dd-store-ev");
}

static int teardown(void **state)
{
	(void)state;
	return dd_test_tmpdir_remove(tmpdir);
}

/* A fixed sequence (xorshift): the same store every run. */
static uint32_t rng = 2463534242u;

static uint32_t next(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

static char *pick(const char *const *v, size_t n)
{
	const char *s = v[next((uint32_t)n)];
	return s ? xstrdup(s) : NULL;
}

static const char *const hfroms[] = { DOMAIN,         DOMAIN,        DOMAIN,
	                              "news." DOMAIN, "a.b." DOMAIN, "other.test" };
static const char *const dkim_domains[] = { DOMAIN,         "sendgrid.net", "amazonses.com",
	                                    "news." DOMAIN, "mcsv.net",     NULL };
static const char *const selectors[] = { "s1", "google", "selector1", "k1", NULL };
static const char *const dkim_results[] = { "pass", "fail", "none", "temperror", "Policy" };
static const char *const spf_domains[] = { DOMAIN, "bounce.sendgrid.net", "amazonses.com",
	                                   "lists.example.org", NULL };
static const char *const spf_results[] = { "pass", "fail", "softfail", "neutral", "none" };
static const char *const scopes[] = { "mfrom", "helo", NULL };
static const char *const evals[] = { "pass", "fail", NULL };
static const char *const dispositions[] = { "none", "quarantine", "reject", NULL };
static const char *const reasons[] = { "forwarded", "mailing_list", "local_policy",
	                               "trusted_forwarder", "other" };
static const char *const policies[] = { "none", "quarantine", "reject" };
static const char *const testing[] = { "y", "n", NULL };
static const char *const orgs[] = { "google.com", "Yahoo", "Outlook.com", NULL };

static struct dd_report *generated(unsigned serial, int64_t begin)
{
	struct dd_report *r = dd_report_create();
	r->org_name = pick(orgs, DD_ARRAY_LEN(orgs));
	r->email = xasprintf("dmarc%u@reporter.test", serial % 4);
	if (serial % 3 == 0)
		r->extra_contact_info = xstrdup("https://reporter.test/help");
	r->report_id = xasprintf("gen-%u", serial);
	r->begin = begin;
	r->end = begin + 7 * DAY - 1;
	if (serial % 2)
		r->generator = xstrdup("gen 1.0");
	r->domain = xstrdup(serial % 5 ? DOMAIN : "news." DOMAIN);
	r->p = pick(policies, DD_ARRAY_LEN(policies));
	r->sp = serial % 4 ? xstrdup("none") : NULL;
	r->np = serial % 3 ? xstrdup("reject") : NULL;
	r->adkim = serial % 7 == 0 ? xstrdup("s") : NULL;
	r->aspf = serial % 6 == 0 ? xstrdup("s") : NULL;
	r->fo = serial % 2 ? xstrdup("1") : NULL;
	r->testing = pick(testing, DD_ARRAY_LEN(testing));
	r->discovery_method = serial % 2 ? xstrdup("treewalk") : NULL;
	r->pct = serial % 2 ? 100 : -1;
	r->schema = serial % 2 ? DD_REPORT_RFC9990 : DD_REPORT_RFC7489;
	if (serial % 5 == 0)
		dd_report_add_error(r, "a record was dropped");
	size_t nrows = 20 + next(40);
	for (size_t i = 0; i < nrows; i++) {
		struct dd_report_row *row = dd_report_add_row(r);
		snprintf(row->source_ip, sizeof(row->source_ip),
		         next(4) ? "198.51.100.%u" : "2001:db8::%x", next(200) + 1);
		row->count = 1 + next(500);
		row->disposition = pick(dispositions, DD_ARRAY_LEN(dispositions));
		row->dkim_eval = pick(evals, DD_ARRAY_LEN(evals));
		row->spf_eval = pick(evals, DD_ARRAY_LEN(evals));
		row->header_from = pick(hfroms, DD_ARRAY_LEN(hfroms));
		row->envelope_from = pick(spf_domains, DD_ARRAY_LEN(spf_domains));
		if (next(3) == 0)
			row->envelope_to = xstrdup("example.net");
		for (uint32_t k = next(4); k > 0; k--) {
			struct dd_report_dkim *d = dd_report_row_add_dkim(row);
			d->domain = pick(dkim_domains, DD_ARRAY_LEN(dkim_domains));
			d->selector = pick(selectors, DD_ARRAY_LEN(selectors));
			d->result = pick(dkim_results, DD_ARRAY_LEN(dkim_results));
			if (next(4) == 0)
				d->human_result = xstrdup("body hash did not verify");
		}
		for (uint32_t k = next(3); k > 0; k--) {
			struct dd_report_spf *s = dd_report_row_add_spf(row);
			s->domain = pick(spf_domains, DD_ARRAY_LEN(spf_domains));
			s->scope = pick(scopes, DD_ARRAY_LEN(scopes));
			s->result = pick(spf_results, DD_ARRAY_LEN(spf_results));
		}
		if (next(5) == 0) {
			struct dd_report_reason *why = dd_report_row_add_reason(row);
			why->type = pick(reasons, DD_ARRAY_LEN(reasons));
			why->comment = next(2) ? xstrdup("list server") : NULL;
		}
	}
	return r;
}

static void str_eq(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* The rows of `in` that concern DOMAIN, as the store returns them. */
static bool concerns(const struct dd_report_row *row)
{
	return row->header_from && dd_name_is_under(row->header_from, DOMAIN);
}

static void rows_eq(const struct dd_report *in, const struct dd_report *out)
{
	size_t k = 0;
	for (size_t i = 0; i < in->nrows; i++) {
		const struct dd_report_row *a = &in->rows[i];
		if (!concerns(a))
			continue;
		assert_true(k < out->nrows);
		const struct dd_report_row *b = &out->rows[k++];
		assert_string_equal(a->source_ip, b->source_ip);
		assert_int_equal(a->count, b->count);
		str_eq(a->disposition, b->disposition);
		str_eq(a->dkim_eval, b->dkim_eval);
		str_eq(a->spf_eval, b->spf_eval);
		str_eq(a->header_from, b->header_from);
		str_eq(a->envelope_from, b->envelope_from);
		str_eq(a->envelope_to, b->envelope_to);
		assert_int_equal(a->ndkim, b->ndkim);
		for (size_t j = 0; j < a->ndkim; j++) {
			str_eq(a->dkim[j].domain, b->dkim[j].domain);
			str_eq(a->dkim[j].selector, b->dkim[j].selector);
			str_eq(a->dkim[j].result, b->dkim[j].result);
			str_eq(a->dkim[j].human_result, b->dkim[j].human_result);
		}
		assert_int_equal(a->nspf, b->nspf);
		for (size_t j = 0; j < a->nspf; j++) {
			str_eq(a->spf[j].domain, b->spf[j].domain);
			str_eq(a->spf[j].scope, b->spf[j].scope);
			str_eq(a->spf[j].result, b->spf[j].result);
		}
		assert_int_equal(a->nreasons, b->nreasons);
		for (size_t j = 0; j < a->nreasons; j++) {
			str_eq(a->reasons[j].type, b->reasons[j].type);
			str_eq(a->reasons[j].comment, b->reasons[j].comment);
		}
	}
	assert_int_equal(k, out->nrows);
}

static void report_eq(const struct dd_report *a, const struct dd_report *b)
{
	str_eq(a->org_name, b->org_name);
	str_eq(a->email, b->email);
	str_eq(a->extra_contact_info, b->extra_contact_info);
	str_eq(a->report_id, b->report_id);
	assert_int_equal(a->begin, b->begin);
	assert_int_equal(a->end, b->end);
	str_eq(a->generator, b->generator);
	str_eq(a->domain, b->domain);
	str_eq(a->p, b->p);
	str_eq(a->sp, b->sp);
	str_eq(a->np, b->np);
	str_eq(a->adkim, b->adkim);
	str_eq(a->aspf, b->aspf);
	str_eq(a->fo, b->fo);
	str_eq(a->testing, b->testing);
	str_eq(a->discovery_method, b->discovery_method);
	assert_int_equal(a->pct, b->pct);
	assert_int_equal(a->schema, b->schema);
	assert_int_equal(a->nerrors, b->nerrors);
	for (size_t i = 0; i < a->nerrors; i++)
		assert_string_equal(a->errors[i], b->errors[i]);
	rows_eq(a, b);
	assert_true(b->arena_strings); /* the loaded report is the arena's */
	assert_true(b->arena_items);
	assert_false(a->arena_strings);
	assert_false(a->arena_items);
}

static char *evidence_json(const struct dd_report_set *set, int64_t from)
{
	struct dd_evidence_input in = {
		.domain = DOMAIN,
		.from = from,
		.to = NOW,
		.domain_org = DOMAIN,
		.published_policy = "none",
	};
	struct dd_evidence *e = dd_evidence_build(set, &in);
	assert_non_null(e);
	assert_true(e->nsenders > 3); /* a comparison of something */
	cJSON *j = dd_json_evidence(e);
	char *s = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	dd_evidence_destroy(e);
	return s;
}

static void test_arena_load_gives_the_same_evidence(void **state)
{
	(void)state;
	char *path = xasprintf("%s/gen.sqlite", tmpdir);
	char *err = NULL;
	struct dd_store *st = dd_store_open(path, &err);
	if (!st)
		fail_msg("%s", err);
	struct dd_report_set whole = { 0 }; /* what went in, every string owned */
	unsigned serial = 0;
	for (int w = 0; w < 8; w++)
		for (int k = 0; k < 4; k++) {
			struct dd_report *r = generated(++serial, NOW - (8 - w) * 7 * DAY);
			assert_int_equal(dd_store_put(st, r, "gen.xml", &err), DD_STORE_NEW);
			dd_report_set_add_own(&whole, r);
		}
	/* the window: the whole eight weeks, and the last four (reports before it ignored) */
	const int64_t froms[] = { NOW - 8 * 7 * DAY, NOW - 4 * 7 * DAY + 1 };
	for (size_t f = 0; f < DD_ARRAY_LEN(froms); f++) {
		struct dd_report_set loaded = { 0 };
		if (!dd_store_load(st, DOMAIN, froms[f], NOW, &loaded, &err))
			fail_msg("load: %s", err);
		assert_non_null(loaded.arena);
		/* the store holds the reports with a row for the domain that overlap the window */
		size_t j = 0;
		struct dd_report_set sub = { 0 }; /* those of `whole`, borrowed */
		for (size_t i = 0; i < whole.n; i++) {
			const struct dd_report *r = whole.v[i];
			bool any = false;
			for (size_t k = 0; k < r->nrows && !any; k++)
				any = concerns(&r->rows[k]);
			if (!any || r->end < froms[f])
				continue;
			assert_true(j < loaded.n);
			report_eq(r, loaded.v[j++]);
			dd_report_set_add_own(&sub, whole.v[i]);
		}
		assert_int_equal(j, loaded.n);
		assert_true(loaded.n >= (f ? 12u : 28u));

		char *a = evidence_json(&sub, froms[f]);
		free(sub.v); /* borrowed: `whole` frees them */
		char *b = evidence_json(&loaded, froms[f]);
		assert_string_equal(a, b);
		free(a);
		free(b);
		dd_report_set_finish(&loaded);
		assert_null(loaded.arena);
	}
	dd_report_set_finish(&whole);
	dd_store_close(st);
	free(path);
}

/* A string longer than an arena block gets a block of its own; the strings
 * before and after it stay where they were. */
static void test_arena_outsize_string(void **state)
{
	(void)state;
	struct dd_report_set set = { 0 };
	size_t big = 40000;
	char *text = xmalloc(big + 1);
	memset(text, 'x', big);
	text[big] = '\0';
	char *a = dd_report_set_strndup(&set, "first", 5);
	char *b = dd_report_set_strndup(&set, text, big);
	char *c = dd_report_set_strndup(&set, "third", 5);
	char *d = dd_report_set_strndup(&set, "", 0);
	assert_string_equal(a, "first");
	assert_int_equal(strlen(b), big);
	assert_memory_equal(b, text, big);
	assert_string_equal(c, "third");
	assert_string_equal(d, "");
	assert_ptr_equal(c, a + 6); /* the small ones share the first block */
	free(text);
	dd_report_set_finish(&set);
}

/* The rows' arrays (dd_report_set_alloc) share the strings' blocks, each
 * aligned for any struct whatever the strings before it left; one too big
 * for a block gets its own. */
static void test_arena_arrays(void **state)
{
	(void)state;
	struct dd_report_set set = { 0 };
	char *a = dd_report_set_strndup(&set, "odd", 3); /* leaves the block at 4 */
	struct dd_report_dkim *d = dd_report_set_alloc(&set, 3 * sizeof(*d));
	assert_int_equal((uintptr_t)d % _Alignof(max_align_t), 0);
	assert_true((char *)d >= a + 4 && (char *)d < a + 4 + _Alignof(max_align_t));
	for (int i = 0; i < 3; i++)
		d[i] = (struct dd_report_dkim){ a, a, a, NULL };
	char *b = dd_report_set_strndup(&set, "after", 5);
	assert_ptr_equal(b, (char *)(d + 3)); /* right after the array */
	size_t big = 20000;
	unsigned char *v = dd_report_set_alloc(&set, big);
	assert_int_equal((uintptr_t)v % _Alignof(max_align_t), 0);
	memset(v, 0xab, big); /* the sanitizer build checks it is all ours */
	char *c = dd_report_set_strndup(&set, "still", 5);
	assert_ptr_equal(c, b + 6); /* the outsize one did not take the block's place */
	assert_string_equal(d[2].domain, "odd");
	dd_report_set_finish(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_load_gives_the_same_evidence),
		cmocka_unit_test(test_arena_arrays),
		cmocka_unit_test(test_arena_outsize_string),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
