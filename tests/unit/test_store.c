/*
 * test_store.c: the SQLite report store. Reports go in and come back whole
 * for their domain and its subdomains within a window; a second put of the
 * same (org, report_id) is a duplicate that changes nothing; a database
 * written at schema version 1 migrates without losing its reports, and one
 * at version 3 (results in tables of their own) gives the same reports once
 * packed into its rows at version 4; a newer
 * schema is refused; the default path follows XDG_DATA_HOME.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "reports/store.h"
#include "dd/util.h"

static char tmpdir[DD_TEST_TMPDIR_SIZE];

static int setup(void **state)
{
	(void)state;
	return dd_test_tmpdir_make(tmpdir, "dd-store");
}

static int teardown(void **state)
{
	(void)state;
	return dd_test_tmpdir_remove(tmpdir);
}

static char *db_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* A report of `org` about example.com with one row per header_from. */
static struct dd_report *sample(const char *org, const char *id, int64_t begin,
                                const char *const *froms, size_t n)
{
	struct dd_report *r = dd_report_create();
	r->org_name = org ? xstrdup(org) : NULL;
	r->email = xstrdup("noreply@reporter.test");
	r->report_id = xstrdup(id);
	r->begin = begin;
	r->end = begin + 86399;
	r->domain = xstrdup("example.com");
	r->p = xstrdup("none");
	r->pct = 100;
	r->schema = DD_REPORT_RFC9990;
	r->np = xstrdup("reject");
	r->testing = xstrdup("n");
	dd_report_add_error(r, "a sample error");
	for (size_t i = 0; i < n; i++) {
		struct dd_report_row *row = dd_report_add_row(r);
		snprintf(row->source_ip, sizeof(row->source_ip), "192.0.2.%zu", i + 1);
		row->count = 10 * (i + 1);
		row->disposition = xstrdup("none");
		row->dkim_eval = xstrdup("pass");
		row->spf_eval = xstrdup("fail");
		row->header_from = xstrdup(froms[i]);
		row->envelope_from = xstrdup("bounce.example.com");
		struct dd_report_dkim *d = dd_report_row_add_dkim(row);
		d->domain = xstrdup(froms[i]);
		d->selector = xstrdup("s1");
		d->result = xstrdup("pass");
		d = dd_report_row_add_dkim(row);
		d->domain = xstrdup("esp.test");
		d->result = xstrdup("fail");
		d->human_result = xstrdup("body hash did not verify");
		struct dd_report_spf *s = dd_report_row_add_spf(row);
		s->domain = xstrdup("bounce.example.com");
		s->scope = xstrdup("mfrom");
		s->result = xstrdup("softfail");
		struct dd_report_reason *why = dd_report_row_add_reason(row);
		why->type = xstrdup("forwarded");
		why->comment = xstrdup("list");
	}
	return r;
}

static struct dd_store *open_ok(const char *path)
{
	char *err = NULL;
	struct dd_store *s = dd_store_open(path, &err);
	if (!s)
		fail_msg("%s", err);
	return s;
}

static void put_expect(struct dd_store *s, struct dd_report *r, enum dd_store_put_result want)
{
	char *err = NULL;
	enum dd_store_put_result got = dd_store_put(s, r, "test.xml", &err);
	if (got == DD_STORE_FAILED)
		fail_msg("put: %s", err);
	assert_int_equal(got, want);
	dd_report_destroy(r);
}

/* Runs `sql` on the database file at `path` directly, outside the store
 * (an old schema, a damage, a trigger); fails the test with SQLite's
 * message. */
static void run_sql(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", path, msg);
	sqlite3_close(db);
}

static size_t rows_in(const struct dd_report_set *set)
{
	size_t n = 0;
	for (size_t i = 0; i < set->n; i++)
		n += set->v[i]->nrows;
	return n;
}

static void load(struct dd_store *s, const char *domain, int64_t since, int64_t until,
                 struct dd_report_set *set)
{
	char *err = NULL;
	memset(set, 0, sizeof(*set));
	if (!dd_store_load(s, domain, since, until, set, &err))
		fail_msg("load: %s", err);
}

static void test_put_load_round_trip(void **state)
{
	(void)state;
	char *path = db_path("a/b/reports.sqlite"); /* directories are created */
	struct dd_store *s = open_ok(path);
	const char *froms[] = { "example.com", "mail.example.com", "notexample.com",
		                "example.com.evil.test", "example.community" };
	put_expect(s, sample("Reporter", "r1", 1700000000, froms, 5), DD_STORE_NEW);

	struct dd_report_set set;
	load(s, "example.com", 1699990000, 1700100000, &set);
	assert_int_equal(set.n, 1);
	assert_int_equal(rows_in(&set), 2); /* the domain and its subdomain, nothing else */
	const struct dd_report *r = set.v[0];
	assert_string_equal(r->org_name, "Reporter");
	assert_string_equal(r->report_id, "r1");
	assert_int_equal(r->begin, 1700000000);
	assert_int_equal(r->end, 1700086399);
	assert_int_equal(r->pct, 100);
	assert_int_equal(r->schema, DD_REPORT_RFC9990);
	assert_string_equal(r->np, "reject");
	assert_null(r->sp);
	assert_int_equal(r->nerrors, 1);
	assert_string_equal(r->errors[0], "a sample error");
	assert_string_equal(r->rows[0].header_from, "example.com");
	assert_string_equal(r->rows[1].header_from, "mail.example.com");
	assert_string_equal(r->rows[1].source_ip, "192.0.2.2");
	assert_int_equal(r->rows[1].count, 20);
	assert_int_equal(r->rows[1].ndkim, 2);
	assert_string_equal(r->rows[1].dkim[0].selector, "s1");
	assert_null(r->rows[1].dkim[1].selector);
	assert_string_equal(r->rows[1].dkim[1].human_result, "body hash did not verify");
	assert_int_equal(r->rows[1].nspf, 1);
	assert_string_equal(r->rows[1].spf[0].scope, "mfrom");
	assert_string_equal(r->rows[1].spf[0].result, "softfail");
	assert_int_equal(r->rows[1].nreasons, 1);
	assert_string_equal(r->rows[1].reasons[0].type, "forwarded");
	dd_report_set_finish(&set);

	/* a subdomain's load sees only its own rows */
	load(s, "MAIL.example.com.", 0, INT64_MAX, &set);
	assert_int_equal(rows_in(&set), 1);
	dd_report_set_finish(&set);
	/* the window: a report that ends before `since` or begins after `until` is out */
	load(s, "example.com", 1700086400, 1800000000, &set);
	assert_int_equal(set.n, 0);
	load(s, "example.com", 0, 1699999999, &set);
	assert_int_equal(set.n, 0);
	load(s, "example.com", 1700086399, 1700086399, &set); /* touching the end is in */
	assert_int_equal(set.n, 1);
	dd_report_set_finish(&set);
	dd_store_close(s);
	free(path);
}

/* Many reports, many subdomains: the load walks the domain's keys one by
 * one and reads the results of all its rows in one statement; each row must
 * still get its own results and each report its own errors, and reports
 * outside the window stay out whatever their keys. */
static void test_load_many_keys(void **state)
{
	(void)state;
	char *path = db_path("many.sqlite");
	struct dd_store *s = open_ok(path);
	const char *froms[] = { "z.b.example.com", "example.community", "example.com",
		                "a.example.com",   "b.example.com",     "example.com.evil.test",
		                "y.a.example.com" };
	const int64_t day = 86400, t0 = 1700000000;
	for (int i = 0; i < 6; i++) {
		char id[16];
		snprintf(id, sizeof(id), "w%d", i);
		struct dd_report *r = sample("Reporter", id, t0 + i * 7 * day, froms, 7);
		dd_report_add_error(r, id);
		put_expect(s, r, DD_STORE_NEW);
	}
	struct dd_report_set set;
	/* weeks 3, 4 and 5 end after the window's start */
	load(s, "example.com", t0 + 3 * 7 * day, INT64_MAX, &set);
	assert_int_equal(set.n, 3);
	for (size_t i = 0; i < set.n; i++) {
		const struct dd_report *r = set.v[i];
		char id[16];
		snprintf(id, sizeof(id), "w%zu", i + 3);
		assert_string_equal(r->report_id, id);
		assert_int_equal(r->nerrors, 2);
		assert_string_equal(r->errors[1], id);
		assert_int_equal(r->nrows, 5); /* not example.community, not .evil.test */
		for (size_t j = 0; j < r->nrows; j++) {
			const struct dd_report_row *row = &r->rows[j];
			assert_int_equal(row->ndkim, 2);
			assert_string_equal(row->dkim[0].domain, row->header_from);
			assert_string_equal(row->dkim[1].domain, "esp.test");
			assert_int_equal(row->nspf, 1);
			assert_int_equal(row->nreasons, 1);
			if (j)
				assert_true(row->count > r->rows[j - 1].count); /* in seq order */
		}
	}
	dd_report_set_finish(&set);
	/* a subdomain with subdomains of its own */
	load(s, "a.example.com", t0 + 5 * 7 * day, t0 + 5 * 7 * day, &set);
	assert_int_equal(set.n, 1);
	assert_int_equal(rows_in(&set), 2);
	assert_string_equal(set.v[0]->rows[0].dkim[0].domain, "a.example.com");
	assert_string_equal(set.v[0]->rows[1].dkim[0].domain, "y.a.example.com");
	dd_report_set_finish(&set);
	/* a domain with no rows at all, between keys that have some */
	load(s, "aa.example.com", 0, INT64_MAX, &set);
	assert_int_equal(set.n, 0);
	dd_store_close(s);
	free(path);
}

/* A domain without subdomain rows takes the one-key path (rows in the
 * index's order, no sort, no join): the reports still come back in the
 * order they were stored, each with its own rows in seq order and its own
 * errors, and a report that begins after the window stays out. */
static void test_load_one_key(void **state)
{
	(void)state;
	char *path = db_path("onekey.sqlite");
	struct dd_store *s = open_ok(path);
	const char *froms[] = { "example.org", "example.org", "example.org" };
	const int64_t day = 86400, t0 = 1700000000;
	const int weeks[] = { 4, 1, 3, 0, 2 }; /* stored out of date order */
	for (size_t i = 0; i < DD_ARRAY_LEN(weeks); i++) {
		char id[16];
		snprintf(id, sizeof(id), "w%d", weeks[i]);
		struct dd_report *r = sample("Reporter", id, t0 + weeks[i] * 7 * day, froms, 3);
		dd_report_add_error(r, id);
		put_expect(s, r, DD_STORE_NEW);
	}
	struct dd_report_set set;
	/* weeks 1, 2 and 3 overlap [start of week 1 .. the day week 4 begins - 1] */
	load(s, "example.org", t0 + 7 * day, t0 + 4 * 7 * day - 1, &set);
	const char *want[] = { "w1", "w3", "w2" }; /* store order */
	assert_int_equal(set.n, DD_ARRAY_LEN(want));
	for (size_t i = 0; i < set.n; i++) {
		const struct dd_report *r = set.v[i];
		assert_string_equal(r->report_id, want[i]);
		assert_int_equal(r->nerrors, 2);
		assert_string_equal(r->errors[1], want[i]);
		assert_int_equal(r->nrows, 3);
		for (size_t j = 1; j < r->nrows; j++)
			assert_true(r->rows[j].count > r->rows[j - 1].count); /* in seq order */
	}
	dd_report_set_finish(&set);
	dd_store_close(s);
	free(path);
}

static void test_duplicate_changes_nothing(void **state)
{
	(void)state;
	char *path = db_path("dup.sqlite");
	struct dd_store *s = open_ok(path);
	const char *froms[] = { "example.com" };
	put_expect(s, sample("Reporter", "r1", 1700000000, froms, 1), DD_STORE_NEW);
	/* same org and id, other content: still the first one */
	struct dd_report *again = sample("Reporter", "r1", 1600000000, froms, 1);
	again->rows[0].count = 999;
	put_expect(s, again, DD_STORE_DUPLICATE);
	/* the same id from another reporter is another report */
	put_expect(s, sample("Other", "r1", 1700000000, froms, 1), DD_STORE_NEW);
	/* an empty org_name: the email is the reporter */
	put_expect(s, sample(NULL, "r1", 1700000000, froms, 1), DD_STORE_NEW);
	put_expect(s, sample(NULL, "r1", 1700000000, froms, 1), DD_STORE_DUPLICATE);

	struct dd_report_set set;
	load(s, "example.com", 0, INT64_MAX, &set);
	assert_int_equal(set.n, 3);
	for (size_t i = 0; i < set.n; i++) {
		assert_int_equal(set.v[i]->begin, 1700000000);
		assert_int_equal(set.v[i]->rows[0].count, 10);
	}
	dd_report_set_finish(&set);

	/* no report_id: refused, nothing written */
	struct dd_report *bad = sample("Third", "x", 1700000000, froms, 1);
	free(bad->report_id);
	bad->report_id = NULL;
	char *err = NULL;
	assert_int_equal(dd_store_put(s, bad, "bad.xml", &err), DD_STORE_FAILED);
	assert_non_null(strstr(err, "report_id"));
	free(err);
	dd_report_destroy(bad);
	load(s, "example.com", 0, INT64_MAX, &set);
	assert_int_equal(set.n, 3);
	dd_report_set_finish(&set);
	dd_store_close(s);
	free(path);
}

static void test_document_digest(void **state)
{
	(void)state;
	char *path = db_path("docs.sqlite");
	struct dd_store *s = open_ok(path);
	unsigned char a[DD_STORE_SHA256_LEN], b[DD_STORE_SHA256_LEN];
	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));
	assert_false(dd_store_has_document(s, a));
	const char *froms[] = { "example.com" };
	struct dd_report *r = sample("Reporter", "r1", 1700000000, froms, 1);
	char *err = NULL;
	assert_int_equal(dd_store_put_document(s, r, "a.xml", a, &err), DD_STORE_NEW);
	/* the same report in other bytes (another container): a duplicate whose
	 * digest is remembered too */
	assert_int_equal(dd_store_put_document(s, r, "a.xml.gz", b, &err), DD_STORE_DUPLICATE);
	dd_report_destroy(r);
	assert_true(dd_store_has_document(s, a));
	assert_true(dd_store_has_document(s, b));
	dd_store_close(s);
	/* and they survive a reopen */
	s = open_ok(path);
	assert_true(dd_store_has_document(s, a));
	dd_store_close(s);
	free(path);
}

/* The tables of schema version 1 that versions 2 and 3 left as they were
 * (v4 dropped the results tables), frozen here for the schemas below. */
#define V1_REPORT_TABLES                                                                           \
	"CREATE TABLE reports (id INTEGER PRIMARY KEY, org TEXT NOT NULL,"                         \
	" report_id TEXT NOT NULL, org_name TEXT, email TEXT, extra_contact_info TEXT,"            \
	" generator TEXT, schema INTEGER NOT NULL, begin INTEGER NOT NULL,"                        \
	" end INTEGER NOT NULL, domain TEXT, p TEXT, sp TEXT, np TEXT, adkim TEXT,"                \
	" aspf TEXT, fo TEXT, testing TEXT, discovery_method TEXT, pct INTEGER,"                   \
	" origin TEXT, imported_at INTEGER, UNIQUE (org, report_id));"                             \
	"CREATE TABLE report_errors (report INTEGER NOT NULL REFERENCES reports(id),"              \
	" seq INTEGER NOT NULL, text TEXT, PRIMARY KEY (report, seq)) WITHOUT ROWID;"
#define V1_RESULT_TABLES                                                                           \
	"CREATE TABLE dkim_results (row INTEGER NOT NULL REFERENCES rows(id),"                     \
	" seq INTEGER NOT NULL, domain TEXT, selector TEXT, result TEXT,"                          \
	" human_result TEXT, PRIMARY KEY (row, seq)) WITHOUT ROWID;"                               \
	"CREATE TABLE spf_results (row INTEGER NOT NULL REFERENCES rows(id),"                      \
	" seq INTEGER NOT NULL, domain TEXT, scope TEXT, result TEXT, human_result TEXT,"          \
	" PRIMARY KEY (row, seq)) WITHOUT ROWID;"                                                  \
	"CREATE TABLE reasons (row INTEGER NOT NULL REFERENCES rows(id),"                          \
	" seq INTEGER NOT NULL, type TEXT, comment TEXT,"                                          \
	" PRIMARY KEY (row, seq)) WITHOUT ROWID;"

/* The version-1 schema as it shipped, frozen here: the migration must keep
 * what a database of that version holds. */
static const char schema_v1[] = V1_REPORT_TABLES
        "CREATE TABLE rows (id INTEGER PRIMARY KEY, report INTEGER NOT NULL"
        " REFERENCES reports(id), seq INTEGER NOT NULL, source_ip TEXT NOT NULL,"
        " count INTEGER NOT NULL, disposition TEXT, dkim_eval TEXT, spf_eval TEXT,"
        " header_from TEXT, envelope_from TEXT, envelope_to TEXT);" V1_RESULT_TABLES
        "INSERT INTO reports VALUES (1, 'Old Reporter', 'old-1', 'Old Reporter',"
        " 'old@reporter.test', NULL, NULL, 0, 1500000000, 1500086399, 'example.com',"
        " 'quarantine', NULL, NULL, 'r', NULL, NULL, NULL, NULL, 50, 'old.xml', 1500100000);"
        "INSERT INTO rows VALUES (1, 1, 0, '198.51.100.7', 42, 'quarantine', 'fail', 'fail',"
        " 'news.example.com', 'news.example.com', NULL);"
        "INSERT INTO rows VALUES (2, 1, 1, '2001:db8::1', 3, 'none', 'pass', 'fail',"
        " 'other.test', NULL, NULL);"
        "INSERT INTO dkim_results VALUES (1, 0, 'esp.test', 'k1', 'pass', NULL);"
        "INSERT INTO spf_results VALUES (1, 0, 'news.example.com', NULL, 'fail', NULL);"
        "PRAGMA user_version = 1;";

static void test_migrates_v1(void **state)
{
	(void)state;
	char *path = db_path("v1.sqlite");
	run_sql(path, schema_v1);

	struct dd_store *s = open_ok(path);
	struct dd_report_set set;
	load(s, "example.com", 1500000000, 1500000001, &set);
	assert_int_equal(set.n, 1);
	assert_int_equal(rows_in(&set), 1);
	const struct dd_report *r = set.v[0];
	assert_string_equal(r->org_name, "Old Reporter");
	assert_int_equal(r->pct, 50);
	assert_string_equal(r->rows[0].source_ip, "198.51.100.7");
	assert_int_equal(r->rows[0].count, 42);
	assert_int_equal(r->rows[0].ndkim, 1);
	assert_string_equal(r->rows[0].dkim[0].selector, "k1");
	dd_report_set_finish(&set);
	load(s, "other.test", 0, INT64_MAX, &set);
	assert_int_equal(rows_in(&set), 1);
	dd_report_set_finish(&set);
	/* the old report still dedupes; new ones go in beside it */
	const char *froms[] = { "example.com" };
	put_expect(s, sample("Old Reporter", "old-1", 1500000000, froms, 1), DD_STORE_DUPLICATE);
	put_expect(s, sample("Old Reporter", "new-1", 1500000000, froms, 1), DD_STORE_NEW);
	dd_store_close(s);

	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), dd_store_schema_version());
	sqlite3_finalize(st);
	/* the per-domain query walks the index, not the table */
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "EXPLAIN QUERY PLAN SELECT pk.id FROM packs pk"
	                                    " WHERE pk.hf_key >= 'com.example.' AND pk.hf_key <"
	                                    " 'com.example/' AND pk.report_end >= 1500000000",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	bool uses_index = false;
	while (sqlite3_step(st) == SQLITE_ROW)
		uses_index |=
		        strstr((const char *)sqlite3_column_text(st, 3), "packs_hf_end") != NULL;
	sqlite3_finalize(st);
	assert_true(uses_index);
	sqlite3_close(db);
	free(path);
}

/* The version-3 schema as it shipped (v1 + the v2 and v3 migrations), with
 * a row of two DKIM results inserted out of order, an SPF result, two
 * reasons and absent fields, frozen here: at version 4 they come back from
 * the packed column, the same and in the same order. */
static const char schema_v3[] = V1_REPORT_TABLES
        "CREATE TABLE rows (id INTEGER PRIMARY KEY, report INTEGER NOT NULL"
        " REFERENCES reports(id), seq INTEGER NOT NULL, source_ip TEXT NOT NULL,"
        " count INTEGER NOT NULL, disposition TEXT, dkim_eval TEXT, spf_eval TEXT,"
        " header_from TEXT, envelope_from TEXT, envelope_to TEXT, hf_key TEXT,"
        " report_end INTEGER);"
        "CREATE INDEX rows_hf_end ON rows (hf_key, report_end);" V1_RESULT_TABLES
        "CREATE TABLE documents (sha256 BLOB PRIMARY KEY, report INTEGER REFERENCES"
        " reports(id), origin TEXT, imported_at INTEGER) WITHOUT ROWID;"
        "INSERT INTO reports VALUES (1, 'R3', 'v3-1', 'R3', 'r3@reporter.test', NULL,"
        " 'gen 1', 1, 1600000000, 1600086399, 'example.com', 'reject', NULL, 'none', 'r',"
        " NULL, NULL, 'n', 'psl', NULL, 'v3.xml', 1600100000);"
        "INSERT INTO report_errors VALUES (1, 0, 'e0');"
        "INSERT INTO rows VALUES (1, 1, 0, '192.0.2.9', 7, 'reject', 'fail', 'pass',"
        " 'example.com', 'example.com', 'to.test', 'com.example.', 1600086399);"
        "INSERT INTO rows VALUES (2, 1, 1, '192.0.2.10', 1, 'none', 'pass', 'pass',"
        " 'example.com', NULL, NULL, 'com.example.', 1600086399);"
        "INSERT INTO dkim_results VALUES (1, 1, 'esp.test', NULL, 'fail', 'bad sig');"
        "INSERT INTO dkim_results VALUES (1, 0, 'example.com', 's1', 'pass', NULL);"
        "INSERT INTO spf_results VALUES (1, 0, 'example.com', 'mfrom', 'pass', NULL);"
        "INSERT INTO reasons VALUES (1, 1, 'other', NULL);"
        "INSERT INTO reasons VALUES (1, 0, 'forwarded', 'list');"
        "INSERT INTO documents VALUES (x'00', 1, 'v3.xml', 1600100000);"
        "PRAGMA user_version = 3;";

static void test_migrates_v3(void **state)
{
	(void)state;
	char *path = db_path("v3.sqlite");
	run_sql(path, schema_v3);

	struct dd_store *s = open_ok(path);
	struct dd_report_set set;
	load(s, "example.com", 1600000000, 1600000001, &set);
	assert_int_equal(set.n, 1);
	const struct dd_report *r = set.v[0];
	assert_int_equal(r->nrows, 2);
	assert_int_equal(r->nerrors, 1);
	assert_string_equal(r->errors[0], "e0");
	const struct dd_report_row *w = &r->rows[0];
	assert_int_equal(w->ndkim, 2);
	assert_string_equal(w->dkim[0].domain, "example.com");
	assert_string_equal(w->dkim[0].selector, "s1");
	assert_string_equal(w->dkim[0].result, "pass");
	assert_null(w->dkim[0].human_result);
	assert_string_equal(w->dkim[1].domain, "esp.test");
	assert_null(w->dkim[1].selector);
	assert_string_equal(w->dkim[1].human_result, "bad sig");
	assert_int_equal(w->nspf, 1);
	assert_string_equal(w->spf[0].scope, "mfrom");
	assert_null(w->spf[0].human_result);
	assert_int_equal(w->nreasons, 2);
	assert_string_equal(w->reasons[0].type, "forwarded");
	assert_string_equal(w->reasons[0].comment, "list");
	assert_string_equal(w->reasons[1].type, "other");
	assert_null(w->reasons[1].comment);
	assert_int_equal(r->rows[1].ndkim + r->rows[1].nspf + r->rows[1].nreasons, 0);
	dd_report_set_finish(&set);
	const char *froms[] = { "example.com" };
	put_expect(s, sample("R3", "v3-1", 1600000000, froms, 1), DD_STORE_DUPLICATE);
	dd_store_close(s);

	/* the result tables and the rows are gone: one pack holds both rows */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(
	        sqlite3_prepare_v2(db,
	                           "SELECT (SELECT count(*) FROM sqlite_schema WHERE name"
	                           " IN ('dkim_results', 'spf_results', 'reasons', 'rows')),"
	                           " (SELECT count(*) FROM packs),"
	                           " (SELECT sum(nrows) FROM packs),"
	                           " (SELECT user_version FROM pragma_user_version)",
	                           -1, &st, NULL),
	        SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	assert_int_equal(sqlite3_column_int(st, 1), 1);
	assert_int_equal(sqlite3_column_int(st, 2), 2);
	assert_int_equal(sqlite3_column_int(st, 3), dd_store_schema_version());
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
}

/* The version-4 schema as it shipped (v3 + rows.auth, the result tables
 * dropped), frozen here: one report whose rows are under two keys,
 * interleaved, and one without a header_from; the first row has a DKIM
 * result and a reason packed in rows.auth. At version 5 each key is one
 * pack, and the rows come back in the report's order with their results. */
static const char schema_v4[] = V1_REPORT_TABLES
        "CREATE TABLE rows (id INTEGER PRIMARY KEY, report INTEGER NOT NULL"
        " REFERENCES reports(id), seq INTEGER NOT NULL, source_ip TEXT NOT NULL,"
        " count INTEGER NOT NULL, disposition TEXT, dkim_eval TEXT, spf_eval TEXT,"
        " header_from TEXT, envelope_from TEXT, envelope_to TEXT, hf_key TEXT,"
        " report_end INTEGER, auth TEXT);"
        "CREATE INDEX rows_hf_end ON rows (hf_key, report_end);"
        "CREATE TABLE documents (sha256 BLOB PRIMARY KEY, report INTEGER REFERENCES"
        " reports(id), origin TEXT, imported_at INTEGER) WITHOUT ROWID;"
        "INSERT INTO reports VALUES (1, 'R4', 'v4-1', 'R4', 'r4@reporter.test', 'call us',"
        " 'gen 4', 1, 1650000000, 1650086399, 'example.com', 'quarantine', 'none', NULL, 's',"
        " 'r', '1', 'y', 'treewalk', NULL, 'v4.xml', 1650100000);"
        "INSERT INTO rows VALUES (1, 1, 0, '192.0.2.1', 5, 'quarantine', 'fail', 'fail',"
        " 'a.example.com', NULL, NULL, 'com.example.a.', 1650086399,"
        " char(30) || 'd' || char(31) || 'esp.test' || char(31) || 's9' || char(31) || 'pass'"
        " || char(26) || char(30) || 'r' || char(31) || 'mailing_list' || char(26));"
        "INSERT INTO rows VALUES (2, 1, 1, '192.0.2.2', 6, 'none', 'pass', 'pass',"
        " 'example.com', 'example.com', NULL, 'com.example.', 1650086399, NULL);"
        "INSERT INTO rows VALUES (3, 1, 2, '2001:db8::3', 7, 'none', 'pass', 'fail',"
        " 'a.example.com', NULL, 'to.test', 'com.example.a.', 1650086399, NULL);"
        "INSERT INTO rows VALUES (4, 1, 3, '192.0.2.4', 8, 'none', NULL, NULL,"
        " NULL, NULL, NULL, NULL, 1650086399, NULL);"
        "PRAGMA user_version = 4;";

static void test_migrates_v4(void **state)
{
	(void)state;
	char *path = db_path("v4.sqlite");
	run_sql(path, schema_v4);

	struct dd_store *s = open_ok(path);
	struct dd_report_set set;
	load(s, "example.com", 1650000000, 1650000001, &set);
	assert_int_equal(set.n, 1);
	const struct dd_report *r = set.v[0];
	assert_string_equal(r->org_name, "R4");
	assert_string_equal(r->extra_contact_info, "call us");
	assert_string_equal(r->generator, "gen 4");
	assert_string_equal(r->sp, "none");
	assert_null(r->np);
	assert_string_equal(r->adkim, "s");
	assert_string_equal(r->fo, "1");
	assert_string_equal(r->testing, "y");
	assert_string_equal(r->discovery_method, "treewalk");
	assert_int_equal(r->pct, -1);
	assert_int_equal(r->schema, DD_REPORT_RFC9990);
	assert_int_equal(r->begin, 1650000000);
	assert_int_equal(r->end, 1650086399);
	assert_int_equal(r->nrows, 3); /* not the row without a header_from */
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(r->rows[i].count, 5 + i); /* in the report's order */
	assert_string_equal(r->rows[2].source_ip, "2001:db8::3");
	assert_string_equal(r->rows[2].envelope_to, "to.test");
	assert_null(r->rows[0].envelope_from);
	assert_int_equal(r->rows[0].ndkim, 1);
	assert_string_equal(r->rows[0].dkim[0].selector, "s9");
	assert_null(r->rows[0].dkim[0].human_result);
	assert_int_equal(r->rows[0].nreasons, 1);
	assert_string_equal(r->rows[0].reasons[0].type, "mailing_list");
	assert_int_equal(r->rows[1].ndkim + r->rows[1].nspf + r->rows[1].nreasons, 0);
	dd_report_set_finish(&set);
	load(s, "a.example.com", 0, INT64_MAX, &set);
	assert_int_equal(rows_in(&set), 2);
	dd_report_set_finish(&set);
	const char *froms[] = { "example.com" };
	put_expect(s, sample("R4", "v4-1", 1650000000, froms, 1), DD_STORE_DUPLICATE);
	dd_store_close(s);

	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT (SELECT count(*) FROM sqlite_schema WHERE name"
	                                    " IN ('rows', 'rows_hf_end')),"
	                                    " (SELECT group_concat(ifnull(hf_key, '-') || ':' ||"
	                                    " nrows, ' ') FROM (SELECT * FROM packs ORDER BY id)),"
	                                    " (SELECT user_version FROM pragma_user_version)",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	/* in the order of each key's first row */
	assert_string_equal((const char *)sqlite3_column_text(st, 1),
	                    "com.example.a.:2 com.example.:1 -:1");
	assert_int_equal(sqlite3_column_int(st, 2), dd_store_schema_version());
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
}

/* A value the packing cannot hold (a control character no XML carries) is
 * refused with a message, and nothing of its report is written. */
static void test_packing_refuses_controls(void **state)
{
	(void)state;
	char *path = db_path("controls.sqlite");
	struct dd_store *s = open_ok(path);
	const char *froms[] = { "example.com" };
	/* in a result, a row's own field, the report's fields */
	for (int where = 0; where < 3; where++) {
		struct dd_report *r = sample("C", "c1", 1700000000, froms, 1);
		char **field = where == 0   ? &r->rows[0].dkim[0].selector
		               : where == 1 ? &r->rows[0].envelope_from
		                            : &r->email;
		free(*field);
		*field = xstrdup(where == 0   ? "s\x1f"
		                                "1"
		                 : where == 1 ? "a\x1d"
		                                "b"
		                              : "c\x1a");
		char *err = NULL;
		assert_int_equal(dd_store_put(s, r, "c.xml", &err), DD_STORE_FAILED);
		assert_non_null(strstr(err, "control character"));
		free(err);
		dd_report_destroy(r);
	}
	struct dd_report_set set;
	load(s, "example.com", 0, INT64_MAX, &set);
	assert_int_equal(set.n, 0);
	dd_report_set_finish(&set);
	put_expect(s, sample("C", "c1", 1700000000, froms, 1), DD_STORE_NEW);
	dd_store_close(s);
	free(path);
}

/* A pack that is damaged (a store edited by hand, a bad disk) makes the
 * load fail with a message naming the store: the evidence must not be
 * judged from rows that lost their results. Each damage is one edit of
 * the pack a good report left. */
static void test_damaged_pack_is_an_error(void **state)
{
	(void)state;
	static const char *const damage[] = {
		"UPDATE packs SET data = 'not a packing'",
		/* cut after its first row: it parses, but holds one row of two */
		"UPDATE packs SET data = substr(data, 1, instr(data, '192.0.2.2') - 5)",
		/* a count not a number */
		"UPDATE packs SET data = replace(data, char(31) || '10' || char(31),"
		" char(31) || '1x0' || char(31))",
		/* an item of no known kind */
		"UPDATE packs SET data = replace(data, char(30) || 'd', char(30) || 'q')",
		/* a row without its seq */
		"UPDATE packs SET data = replace(data, char(29) || char(31) || '0',"
		" char(29) || char(26))",
		/* an empty row */
		"UPDATE packs SET data = data || char(29)",
		/* a row count no text of the pack can hold: refused, nothing
		 * allocated for it (the load reserves the rows it announces) */
		"UPDATE packs SET nrows = 1099511627776",
		/* one row more than the pack holds */
		"UPDATE packs SET nrows = nrows + 1",
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(damage); i++) {
		char name[32];
		snprintf(name, sizeof(name), "damaged-%zu.sqlite", i);
		char *path = db_path(name);
		struct dd_store *s = open_ok(path);
		const char *froms[] = { "example.com", "example.com" };
		put_expect(s, sample("D", "d1", 1700000000, froms, 2), DD_STORE_NEW);
		dd_store_close(s);
		run_sql(path, damage[i]);
		s = open_ok(path);
		struct dd_report_set set = { 0 };
		char *err = NULL;
		if (dd_store_load(s, "example.com", 0, INT64_MAX, &set, &err))
			fail_msg("damage %zu (%s) was loaded", i, damage[i]);
		assert_non_null(strstr(err, name));
		assert_non_null(strstr(err, "damaged"));
		free(err);
		dd_report_set_finish(&set);
		dd_store_close(s);
		free(path);
	}
}

/* A report that fails half-way leaves nothing behind, alone or in a batch,
 * and the reports around it are kept. The failure is a trigger that
 * refuses the pack holding one source address, after the report's own row
 * and its errors are written. */
static void test_failed_report_leaves_nothing(void **state)
{
	(void)state;
	for (int batch = 0; batch < 2; batch++) {
		char *path = db_path(batch ? "atomic-batch.sqlite" : "atomic.sqlite");
		struct dd_store *s = open_ok(path); /* creates the schema */
		dd_store_close(s);
		run_sql(path, "CREATE TRIGGER refuse BEFORE INSERT ON packs"
		              " WHEN instr(NEW.data, '192.0.2.3') > 0"
		              " BEGIN SELECT RAISE(ABORT, 'refused'); END;");
		s = open_ok(path);
		char *err = NULL;
		if (batch)
			assert_true(dd_store_begin(s, &err));
		const char *one[] = { "example.com" };
		const char *three[] = { "example.com", "example.com", "example.com" };
		put_expect(s, sample("A", "before", 1700000000, one, 1), DD_STORE_NEW);
		struct dd_report *bad = sample("A", "bad", 1700000000, three, 3);
		assert_int_equal(dd_store_put(s, bad, "bad.xml", &err), DD_STORE_FAILED);
		assert_non_null(strstr(err, "refused"));
		free(err);
		dd_report_destroy(bad);
		put_expect(s, sample("A", "after", 1700000000, one, 1), DD_STORE_NEW);
		if (batch)
			assert_true(dd_store_commit(s, &err));
		dd_store_close(s);

		sqlite3 *db;
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(db,
		                                    "SELECT (SELECT count(*) FROM reports),"
		                                    " (SELECT count(*) FROM packs),"
		                                    " (SELECT sum(nrows) FROM packs),"
		                                    " (SELECT count(*) FROM report_errors)",
		                                    -1, &st, NULL),
		                 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 2); /* before, after */
		assert_int_equal(sqlite3_column_int(st, 1), 2);
		assert_int_equal(sqlite3_column_int(st, 2), 2); /* one row each */
		assert_int_equal(sqlite3_column_int(st, 3), 2);
		sqlite3_finalize(st);
		sqlite3_close(db);
		free(path);
	}
}

static void test_newer_schema_refused(void **state)
{
	(void)state;
	char *path = db_path("future.sqlite");
	run_sql(path, "PRAGMA user_version = 99");
	char *err = NULL;
	assert_null(dd_store_open(path, &err));
	assert_non_null(strstr(err, "version 99"));
	free(err);
	free(path);
}

static void test_not_a_database(void **state)
{
	(void)state;
	char *path = db_path("junk.sqlite");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is not a database, but it is long enough to look like a header....\n", f);
	fclose(f);
	char *err = NULL;
	assert_null(dd_store_open(path, &err));
	assert_non_null(strstr(err, path));
	free(err);
	free(path);
}

static void test_default_path(void **state)
{
	(void)state;
	char *old_xdg = getenv("XDG_DATA_HOME") ? xstrdup(getenv("XDG_DATA_HOME")) : NULL;
	char *old_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	setenv("XDG_DATA_HOME", "/srv/data", 1);
	char *p = dd_store_default_path();
	assert_string_equal(p, "/srv/data/dmarc-doctor/reports.sqlite");
	free(p);
	setenv("XDG_DATA_HOME", "relative", 1); /* invalid: ignored */
	setenv("HOME", "/home/u", 1);
	p = dd_store_default_path();
	assert_string_equal(p, "/home/u/.local/share/dmarc-doctor/reports.sqlite");
	free(p);
	unsetenv("XDG_DATA_HOME");
	p = dd_store_default_path();
	assert_string_equal(p, "/home/u/.local/share/dmarc-doctor/reports.sqlite");
	free(p);
	if (old_xdg)
		setenv("XDG_DATA_HOME", old_xdg, 1);
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_xdg);
	free(old_home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_load_round_trip),
		cmocka_unit_test(test_load_many_keys),
		cmocka_unit_test(test_load_one_key),
		cmocka_unit_test(test_duplicate_changes_nothing),
		cmocka_unit_test(test_document_digest),
		cmocka_unit_test(test_migrates_v1),
		cmocka_unit_test(test_migrates_v3),
		cmocka_unit_test(test_migrates_v4),
		cmocka_unit_test(test_packing_refuses_controls),
		cmocka_unit_test(test_damaged_pack_is_an_error),
		cmocka_unit_test(test_failed_report_leaves_nothing),
		cmocka_unit_test(test_newer_schema_refused),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_default_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
