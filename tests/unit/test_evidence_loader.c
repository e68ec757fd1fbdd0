/*
 * test_evidence_loader.c: the loader of cmd/evidence.h gives each domain
 * the reports dd_store_load gives it, in the order the domains were
 * pushed, while its thread runs ahead; what was pushed and never taken is
 * freed at destroy (the sanitizer build checks that); a store that does
 * not open is an error, not a loader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "evidence.h"
#include "reports/store.h"
#include "dd/util.h"

#define DAY     86400
#define NOW     1764720000 /* 2025-12-03 00:00 UTC */
#define DOMAINS 40

static char tmpdir[DD_TEST_TMPDIR_SIZE];

static int setup(void **state)
{
	(void)state;
	return dd_test_tmpdir_make(tmpdir, "dd-loader");
}

static int teardown(void **state)
{
	(void)state;
	return dd_test_tmpdir_remove(tmpdir);
}

/* Domain i has i % 4 reports (none for every fourth), report k with k + 1 rows. */
static char *store_of_domains(const char *file)
{
	char *path = xasprintf("%s/%s", tmpdir, file);
	char *err = NULL;
	struct dd_store *st = dd_store_open(path, &err);
	if (!st)
		fail_msg("%s", err);
	for (unsigned i = 0; i < DOMAINS; i++)
		for (unsigned k = 0; k < i % 4; k++) {
			struct dd_report *r = dd_report_create();
			r->org_name = xstrdup("reporter.test");
			r->report_id = xasprintf("d%u-r%u", i, k);
			r->begin = NOW - (int64_t)(k + 2) * DAY;
			r->end = r->begin + DAY - 1;
			r->domain = xasprintf("d%u.test", i);
			r->p = xstrdup("none");
			for (unsigned n = 0; n <= k; n++) {
				struct dd_report_row *row = dd_report_add_row(r);
				snprintf(row->source_ip, sizeof(row->source_ip), "192.0.2.%u",
				         n + 1);
				row->count = 10 * i + n;
				row->header_from = xasprintf("d%u.test", i);
			}
			assert_int_equal(dd_store_put(st, r, "loader.xml", &err), DD_STORE_NEW);
			dd_report_destroy(r);
		}
	dd_store_close(st);
	return path;
}

/* What the store itself says of domain i: its reports' ids and row counts. */
static void expect_same(const char *path, unsigned i, const struct dd_report_set *got)
{
	char *err = NULL;
	struct dd_store *st = dd_store_open(path, &err);
	assert_non_null(st);
	struct dd_report_set want = { 0 };
	char *name = xasprintf("d%u.test", i);
	assert_true(dd_store_load(st, name, NOW - 30 * DAY, NOW, &want, &err));
	assert_int_equal(want.n, i % 4);
	if (want.n == 0) {
		assert_null(got); /* no reports: no set, as without the loader */
	} else {
		assert_non_null(got);
		assert_int_equal(got->n, want.n);
		for (size_t k = 0; k < want.n; k++) {
			assert_string_equal(got->v[k]->report_id, want.v[k]->report_id);
			assert_int_equal(got->v[k]->nrows, want.v[k]->nrows);
			for (size_t r = 0; r < want.v[k]->nrows; r++)
				assert_int_equal(got->v[k]->rows[r].count,
				                 want.v[k]->rows[r].count);
		}
	}
	dd_report_set_finish(&want);
	free(name);
	dd_store_close(st);
}

/* The batch's pattern: push while there is room, take the oldest, push again. */
static void test_loads_in_push_order(void **state)
{
	(void)state;
	char *path = store_of_domains("order.sqlite");
	char *err = NULL;
	struct dd_evidence_loader *l =
	        dd_evidence_loader_create(path, NOW - 30 * DAY, NOW, 7, &err);
	if (!l)
		fail_msg("%s", err);
	unsigned pushed = 0;
	for (unsigned taken = 0; taken < DOMAINS; taken++) {
		while (pushed < DOMAINS && dd_evidence_loader_has_room(l)) {
			char *name = xasprintf("d%u.test", pushed++);
			dd_evidence_loader_push(l, name);
			free(name);
		}
		assert_true(pushed - taken <= 7); /* never more than the depth ahead */
		char *name = xasprintf("d%u.test", taken);
		struct dd_posture *p = dd_posture_create(name, NULL, NULL);
		dd_evidence_loader_attach(l, p);
		expect_same(path, taken, p->reports);
		dd_posture_destroy(p); /* frees the reports it was given */
		free(name);
	}
	dd_evidence_loader_destroy(l);
	free(path);
}

/* Polls head_ready for up to 10 s: true when the thread loaded the head. */
static bool head_ready_soon(struct dd_evidence_loader *l)
{
	for (unsigned polls = 0; polls < 10000; polls++) {
		if (dd_evidence_loader_head_ready(l))
			return true;
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);
	}
	return false;
}

/*
 * The thread sleeps until a quarter of the ring is queued (evidence.c);
 * fewer pushed than that are loaded as soon as the batch asks for the
 * oldest (head_ready), without attach having to wait. The sets released
 * after, fewer than a batch of frees, are freed at destroy.
 */
static void test_wakes_for_a_wanted_domain(void **state)
{
	(void)state;
	char *path = store_of_domains("wanted.sqlite");
	char *err = NULL;
	struct dd_evidence_loader *l =
	        dd_evidence_loader_create(path, NOW - 30 * DAY, NOW, 64, &err);
	assert_non_null(l);
	/* d0 taken first: once attach has it, the thread is asleep (it waits
	 * for more under the lock attach needed), so d1..d3 must wake it */
	dd_evidence_loader_push(l, "d0.test");
	struct dd_posture *p0 = dd_posture_create("d0.test", NULL, NULL);
	dd_evidence_loader_attach(l, p0);
	assert_null(p0->reports); /* d0 has none */
	dd_posture_destroy(p0);
	for (unsigned i = 1; i <= 3; i++) { /* each has reports */
		char *name = xasprintf("d%u.test", i);
		dd_evidence_loader_push(l, name);
		free(name);
	}
	for (unsigned i = 1; i <= 3; i++) {
		assert_true(head_ready_soon(l));
		char *name = xasprintf("d%u.test", i);
		struct dd_posture *p = dd_posture_create(name, NULL, NULL);
		dd_evidence_loader_attach(l, p);
		expect_same(path, i, p->reports);
		dd_evidence_loader_release(l, p);
		assert_null(p->reports);
		dd_posture_destroy(p);
		free(name);
	}
	dd_evidence_loader_destroy(l);
	free(path);
}

/* held_rows until it has stayed at `want` for 50 ms, or 10 s have passed. */
static size_t held_settles_at(struct dd_evidence_loader *l, size_t want)
{
	size_t n = 0;
	for (unsigned polls = 0, same = 0; polls < 10000 && same < 50; polls++) {
		n = dd_evidence_loader_held_rows(l);
		same = n == want ? same + 1 : 0;
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);
	}
	return n;
}

/*
 * The rows loaded ahead are bounded: past the bound the thread stops until
 * the batch takes some, and the domain the batch needs next is loaded
 * whatever the bound. Domain i has i % 4 reports, report k with k + 1
 * rows: d1 1 row, d2 3, d3 6, d4 none, d5 1, d6 3, d7 6, d8 none.
 */
static void test_rows_ahead_are_bounded(void **state)
{
	(void)state;
	char *path = store_of_domains("bounded.sqlite");
	char *err = NULL;
	struct dd_evidence_loader *l =
	        dd_evidence_loader_create(path, NOW - 30 * DAY, NOW, 16, &err);
	assert_non_null(l);
	dd_evidence_loader_limit_rows(l, 5);
	for (unsigned i = 1; i <= 8; i++) {
		char *name = xasprintf("d%u.test", i);
		dd_evidence_loader_push(l, name);
		free(name);
	}
	assert_true(head_ready_soon(l));
	/* d1 + d2 = 4 rows, under the bound: d3 is loaded too, then no more */
	assert_int_equal(held_settles_at(l, 10), 10);
	const size_t after_taking[] = { 9, 6, 10, 10, 9, 6, 0, 0 };
	for (unsigned i = 1; i <= 8; i++) {
		assert_true(head_ready_soon(l));
		char *name = xasprintf("d%u.test", i);
		struct dd_posture *p = dd_posture_create(name, NULL, NULL);
		dd_evidence_loader_attach(l, p);
		expect_same(path, i, p->reports);
		dd_posture_destroy(p);
		free(name);
		/* still over the bound after d1 and d2; d3 taken, the thread goes
		 * on to d4..d7 (0 + 1 + 3 = 4, under; d7 brings 10) */
		assert_int_equal(held_settles_at(l, after_taking[i - 1]), after_taking[i - 1]);
	}
	dd_evidence_loader_destroy(l);
	free(path);
}

/* A batch that stops early (a write error) leaves loads pushed and not taken. */
static void test_destroy_with_loads_not_taken(void **state)
{
	(void)state;
	char *path = store_of_domains("early.sqlite");
	char *err = NULL;
	struct dd_evidence_loader *l =
	        dd_evidence_loader_create(path, NOW - 30 * DAY, NOW, 16, &err);
	assert_non_null(l);
	for (unsigned i = 0; i < 16; i++) {
		char *name = xasprintf("d%u.test", i);
		dd_evidence_loader_push(l, name);
		free(name);
	}
	assert_false(dd_evidence_loader_has_room(l));
	struct dd_posture *p = dd_posture_create("d0.test", NULL, NULL);
	dd_evidence_loader_attach(l, p);
	assert_true(dd_evidence_loader_has_room(l));
	dd_posture_destroy(p);
	dd_evidence_loader_destroy(l); /* 15 left: loaded, loading or queued */
	free(path);
}

static void test_store_that_does_not_open(void **state)
{
	(void)state;
	char *file = xasprintf("%s/plain-file", tmpdir);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	char *path = xasprintf("%s/under/reports.sqlite", file); /* below a file */
	char *err = NULL;
	assert_null(dd_evidence_loader_create(path, 0, NOW, 4, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, file));
	free(err);
	free(path);
	free(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_in_push_order),
		cmocka_unit_test(test_wakes_for_a_wanted_domain),
		cmocka_unit_test(test_rows_ahead_are_bounded),
		cmocka_unit_test(test_destroy_with_loads_not_taken),
		cmocka_unit_test(test_store_that_does_not_open),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
