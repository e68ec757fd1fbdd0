/*
 * store.c: the local report store (store.h) in SQLite.
 *
 * Schema (PRAGMA user_version = 5; migrations[] below, applied in order, so
 * a new database and an old one end up the same):
 *   reports(id, org, report_id, ... policy published, origin, imported_at)
 *           UNIQUE(org, report_id) - the dedupe key; org is the reporter's
 *           org_name, else its email, else '' (real reporters send an empty
 *           <org_name>).
 *   report_errors(report, seq, text)       <error> of report_metadata
 *   packs(id, report, hf_key, begin, report_end, schema, pct, nrows, data)
 *           v5: the rows of one report with one hf_key, packed with the
 *           report's own fields (store_pack.h); (hf_key, report_end) indexed
 *   documents(sha256, report, origin, imported_at)   v2: bytes already read
 *   (v1-v4 kept a table `rows`, one row a <record>, and v1-v3 the tables
 *   dkim_results, spf_results and reasons; v4 packed those three into
 *   rows.auth, v5 packs the rows. A load was a step a row and a lookup a
 *   report; it is now one step a report.)
 *
 * hf_key is header_from with its labels reversed and a dot after each
 * ("mail.example.com" -> "com.example.mail."): "example.com or below" is
 * then the index range ["com.example.", "com.example/"), never a LIKE scan.
 *
 * Settings: journal_mode=WAL and synchronous=NORMAL. One user imports and
 * reads; WAL lets a check read while a cron import writes, and NORMAL skips
 * the fsync of every commit (one report is one transaction) - a power cut
 * can lose the last reports imported, never corrupt the file, and importing
 * them again is harmless because the store dedupes. The fsyncs left are the
 * checkpoints': wal_autocheckpoint = 4096 pages (16 MiB of WAL) makes them
 * rare in a long import; cache_size 8 MiB keeps the indexes' hot pages
 * for a load, an import takes more (set_import_mode); no mmap (apply_mode).
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "reports/store.h"
#include "reports/store_auth.h"
#include "reports/store_pack.h"
#include "dd/util.h"

#define SCHEMA_VERSION   5
#define LOAD_CACHE_KIB   8192  /* set_import_mode() */
#define IMPORT_CACHE_KIB 32768 /* set_import_mode() */

struct dd_store {
	sqlite3 *db;
	char *path;
	bool batch; /* inside dd_store_begin(): each put is a savepoint */
	sqlite3_stmt *find_report, *put_report, *put_error, *put_pack, *has_doc, *put_doc;
	sqlite3_stmt *load_packs, *load_errors, *any_errors;
	sqlite3_stmt *has_subkeys, *load_packs_one;      /* dd_store_load's one-key path */
	sqlite3_stmt *savepoint, *release, *rollback_to; /* a report inside a batch */
	struct dd_strbuf pack; /* put_packs' packing, kept between reports */
	bool import_mode;      /* set_import_mode() */
	bool bad_value;        /* the put failed on a value the packing cannot hold */
};

int dd_store_schema_version(void)
{
	return SCHEMA_VERSION;
}

const char *dd_store_path(const struct dd_store *s)
{
	return s->path;
}

/* "mail.Example.com." -> "com.example.mail." (see the comment on top). */
static char *domain_key(const char *name)
{
	size_t len = strlen(name);
	while (len && name[len - 1] == '.')
		len--;
	char *out = xmalloc(len + 2);
	size_t o = 0, end = len;
	while (end > 0) {
		size_t start = end;
		while (start > 0 && name[start - 1] != '.')
			start--;
		for (size_t i = start; i < end; i++) {
			char c = name[i];
			out[o++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		out[o++] = '.';
		end = start ? start - 1 : 0;
	}
	out[o] = '\0';
	return out;
}

/* The SQL function dd_domain_key(text), for the migration that adds hf_key. */
static void sql_domain_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *t = sqlite3_value_text(argv[0]);
	if (!t) {
		sqlite3_result_null(ctx);
		return;
	}
	char *k = domain_key((const char *)t);
	sqlite3_result_text(ctx, k, -1, free);
}

/* Version 1: reports, rows and their results. */
static const char migrate_v1[] =
        "CREATE TABLE reports ("
        " id INTEGER PRIMARY KEY,"
        " org TEXT NOT NULL,"
        " report_id TEXT NOT NULL,"
        " org_name TEXT, email TEXT, extra_contact_info TEXT, generator TEXT,"
        " schema INTEGER NOT NULL,"
        " begin INTEGER NOT NULL, end INTEGER NOT NULL,"
        " domain TEXT, p TEXT, sp TEXT, np TEXT, adkim TEXT, aspf TEXT, fo TEXT,"
        " testing TEXT, discovery_method TEXT, pct INTEGER,"
        " origin TEXT, imported_at INTEGER,"
        " UNIQUE (org, report_id));"
        "CREATE TABLE report_errors ("
        " report INTEGER NOT NULL REFERENCES reports(id), seq INTEGER NOT NULL,"
        " text TEXT, PRIMARY KEY (report, seq)) WITHOUT ROWID;"
        "CREATE TABLE rows ("
        " id INTEGER PRIMARY KEY,"
        " report INTEGER NOT NULL REFERENCES reports(id), seq INTEGER NOT NULL,"
        " source_ip TEXT NOT NULL, count INTEGER NOT NULL,"
        " disposition TEXT, dkim_eval TEXT, spf_eval TEXT,"
        " header_from TEXT, envelope_from TEXT, envelope_to TEXT);"
        "CREATE TABLE dkim_results ("
        " row INTEGER NOT NULL REFERENCES rows(id), seq INTEGER NOT NULL,"
        " domain TEXT, selector TEXT, result TEXT, human_result TEXT,"
        " PRIMARY KEY (row, seq)) WITHOUT ROWID;"
        "CREATE TABLE spf_results ("
        " row INTEGER NOT NULL REFERENCES rows(id), seq INTEGER NOT NULL,"
        " domain TEXT, scope TEXT, result TEXT, human_result TEXT,"
        " PRIMARY KEY (row, seq)) WITHOUT ROWID;"
        "CREATE TABLE reasons ("
        " row INTEGER NOT NULL REFERENCES rows(id), seq INTEGER NOT NULL,"
        " type TEXT, comment TEXT,"
        " PRIMARY KEY (row, seq)) WITHOUT ROWID;";

/* Version 2: the per-domain index key, and the digests of documents read. */
static const char migrate_v2[] = "ALTER TABLE rows ADD COLUMN hf_key TEXT;"
                                 "UPDATE rows SET hf_key = dd_domain_key(header_from);"
                                 "CREATE INDEX rows_hf_key ON rows (hf_key);"
                                 "CREATE TABLE documents ("
                                 " sha256 BLOB PRIMARY KEY, report INTEGER REFERENCES reports(id),"
                                 " origin TEXT, imported_at INTEGER) WITHOUT ROWID;";

/* Version 3: the report's end on each row, beside hf_key in one index, so
 * that a window over a long history reads only the rows inside it. */
static const char migrate_v3[] =
        "ALTER TABLE rows ADD COLUMN report_end INTEGER;"
        "UPDATE rows SET report_end = (SELECT end FROM reports WHERE reports.id = rows.report);"
        "DROP INDEX rows_hf_key;"
        "CREATE INDEX rows_hf_end ON rows (hf_key, report_end);";

/* The SQL function dd_auth_item(kind, field...), for the migration to v4:
 * one packed item (store_auth.h). */
static void sql_auth_item(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *kind = sqlite3_value_text(argv[0]);
	const char *f[4] = { NULL, NULL, NULL, NULL };
	int n = argc - 1 < 4 ? argc - 1 : 4;
	for (int i = 0; i < n; i++)
		f[i] = (const char *)sqlite3_value_text(argv[i + 1]);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_store_auth_item(&b, kind ? (char)kind[0] : '?', f, n);
	sqlite3_result_text(ctx, dd_strbuf_own(&b), -1, free);
}

/* Version 4: a row's results and reasons packed into rows.auth, in the
 * order the reader gives them (DKIM, SPF, reasons; each by seq); their
 * three tables dropped. */
static const char migrate_v4[] =
        "ALTER TABLE rows ADD COLUMN auth TEXT;"
        "UPDATE rows SET auth = (SELECT group_concat(item, '') FROM ("
        " SELECT 0 AS kind, seq, dd_auth_item('d', domain, selector, result, human_result)"
        " AS item FROM dkim_results WHERE row = rows.id"
        " UNION ALL SELECT 1, seq, dd_auth_item('s', domain, scope, result, human_result)"
        " FROM spf_results WHERE row = rows.id"
        " UNION ALL SELECT 2, seq, dd_auth_item('r', type, comment)"
        " FROM reasons WHERE row = rows.id ORDER BY 1, 2));"
        "DROP TABLE dkim_results; DROP TABLE spf_results; DROP TABLE reasons;";

/* The SQL function dd_pack_meta(org_name, ... discovery_method), for the
 * migration to v5: the report's fields that start each of its packs. */
static void sql_pack_meta(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	if (argc != DD_PACK_META_FIELDS) {
		sqlite3_result_error(ctx, "dd_pack_meta: wrong number of fields", -1);
		return;
	}
	struct dd_report r = { 0 };
	char **f[DD_PACK_META_FIELDS];
	dd_store_meta_slots(&r, f);
	for (int i = 0; i < argc; i++)
		*f[i] = (char *)sqlite3_value_text(argv[i]);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	if (!dd_store_pack_meta(&r, &b)) {
		dd_strbuf_finish(&b);
		sqlite3_result_error(ctx, "a report's field holds a control character", -1);
		return;
	}
	sqlite3_result_text(ctx, dd_strbuf_own(&b), -1, free);
}

/* The SQL aggregate dd_pack_rows(seq, source_ip, count, disposition,
 * dkim_eval, spf_eval, header_from, envelope_from, envelope_to, auth), for
 * the migration to v5: a group's rows packed in seq order, whatever order
 * SQLite feeds them in. */
struct pack_rows {
	struct packed_row {
		int64_t seq;
		char *text;
	} * v;
	size_t n, cap;
	bool failed;
};

static void sql_pack_rows_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct pack_rows *a = sqlite3_aggregate_context(ctx, sizeof(*a));
	if (!a || a->failed)
		return;
	if (argc != DD_PACK_ROW_FIELDS + 1) {
		a->failed = true;
		return;
	}
	const char *f[DD_PACK_ROW_FIELDS];
	for (int i = 0; i < DD_PACK_ROW_FIELDS; i++)
		f[i] = (const char *)sqlite3_value_text(argv[i]);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_store_pack_row_text(&b, f, (const char *)sqlite3_value_text(argv[DD_PACK_ROW_FIELDS]));
	a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof(*a->v));
	a->v[a->n++] = (struct packed_row){ sqlite3_value_int64(argv[0]), dd_strbuf_own(&b) };
}

static int by_seq(const void *x, const void *y)
{
	const struct packed_row *a = x, *b = y;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void sql_pack_rows_final(sqlite3_context *ctx)
{
	struct pack_rows *a = sqlite3_aggregate_context(ctx, 0);
	if (!a) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	if (a->n)
		qsort(a->v, a->n, sizeof(*a->v), by_seq);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	for (size_t i = 0; i < a->n; i++) {
		dd_strbuf_adds(&b, a->v[i].text);
		free(a->v[i].text);
	}
	free(a->v);
	if (a->failed) {
		dd_strbuf_finish(&b);
		sqlite3_result_error(ctx, "dd_pack_rows: wrong number of fields", -1);
		return;
	}
	sqlite3_result_text(ctx, dd_strbuf_own(&b), -1, free);
}

/* Version 5: the rows of each (report, hf_key) packed into one row of
 * packs, with the report's fields; the table rows dropped. */
static const char migrate_v5[] =
        "CREATE TABLE packs ("
        " id INTEGER PRIMARY KEY,"
        " report INTEGER NOT NULL REFERENCES reports(id),"
        " hf_key TEXT, begin INTEGER NOT NULL, report_end INTEGER NOT NULL,"
        " schema INTEGER NOT NULL, pct INTEGER, nrows INTEGER NOT NULL,"
        " data TEXT NOT NULL);"
        "INSERT INTO packs (report, hf_key, begin, report_end, schema, pct, nrows, data)"
        " SELECT r.id, g.hf_key, r.begin, r.end, r.schema, r.pct, g.n,"
        " dd_pack_meta(r.org_name, r.email, r.extra_contact_info, r.report_id, r.generator,"
        " r.domain, r.p, r.sp, r.np, r.adkim, r.aspf, r.fo, r.testing, r.discovery_method)"
        " || g.packed FROM (SELECT report, hf_key, min(seq) AS first, count(*) AS n,"
        " dd_pack_rows(seq, source_ip, count, disposition, dkim_eval, spf_eval, header_from,"
        " envelope_from, envelope_to, auth) AS packed FROM rows GROUP BY report, hf_key) g"
        " JOIN reports r ON r.id = g.report ORDER BY r.id, g.first;"
        "DROP INDEX rows_hf_end; DROP TABLE rows;"
        "CREATE INDEX packs_hf_end ON packs (hf_key, report_end);";

static const char *const migrations[SCHEMA_VERSION] = { migrate_v1, migrate_v2, migrate_v3,
	                                                migrate_v4, migrate_v5 };

static char *db_error(sqlite3 *db, const char *what)
{
	return xasprintf("%s: %s", what, sqlite3_errmsg(db));
}

/* mkdir -p of the directories above `path` (mode 0700: reports name senders). */
static bool make_parents(const char *path, char **err)
{
	char *dir = xstrdup(path);
	bool ok = true;
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			*err = xasprintf("cannot create %s: %s", dir, strerror(errno));
			ok = false;
			break;
		}
		*p = '/';
	}
	free(dir);
	return ok;
}

char *dd_store_default_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	/* XDG Base Directory: a relative value is invalid and ignored */
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/dmarc-doctor/reports.sqlite", xdg);
	const char *home = getenv("HOME");
	if (!home || !*home)
		home = ".";
	return xasprintf("%s/.local/share/dmarc-doctor/reports.sqlite", home);
}

static int user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Brings the schema up to SCHEMA_VERSION, each step one transaction. */
static bool migrate(sqlite3 *db, const char *path, char **err)
{
	int v = user_version(db);
	if (v < 0) {
		*err = db_error(db, path);
		return false;
	}
	if (v > SCHEMA_VERSION) {
		*err = xasprintf("%s: schema version %d is newer than this dmarc-doctor "
		                 "(%d): upgrade dmarc-doctor",
		                 path, v, SCHEMA_VERSION);
		return false;
	}
	for (; v < SCHEMA_VERSION; v++) {
		char *sql = xasprintf("BEGIN IMMEDIATE; %s PRAGMA user_version = %d; COMMIT;",
		                      migrations[v], v + 1);
		char *msg = NULL;
		int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
		free(sql);
		if (rc != SQLITE_OK) {
			*err = xasprintf("%s: migrating the schema to version %d: %s", path, v + 1,
			                 msg ? msg : sqlite3_errstr(rc));
			sqlite3_free(msg);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return false;
		}
	}
	return true;
}

static bool prepare(struct dd_store *s, sqlite3_stmt **st, const char *sql, char **err)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK)
		return true;
	*err = db_error(s->db, s->path);
	return false;
}

/* The packs of one domain and its subdomains (?1 <= hf_key < ?2) from
 * reports that end at or after ?3 (the window's start). hf_key is a range (the
 * subdomains), so the index on (hf_key, report_end) could not start at the
 * window's end bound: a year of rows was visited to keep 30 days. The CTE k
 * walks the distinct keys of the range instead (one index seek each, the
 * domain itself first), and each key is one seek on (hf_key = k,
 * report_end >= ?3): only the window's rows are visited. A statement that
 * uses WINDOW_ROWS starts with WINDOW_KEYS. The window's other bound (a
 * report that begins after its end) is the reports' column: dd_store_load()
 * reads each report's columns once anyway and passes such a report over. */
#define WINDOW_KEYS                                                                                \
	"WITH RECURSIVE k(key) AS (SELECT ?1 UNION ALL SELECT (SELECT MIN(hf_key) FROM packs"      \
	" INDEXED BY packs_hf_end WHERE hf_key > k.key AND hf_key < ?2) FROM k"                    \
	" WHERE k.key IS NOT NULL) "
#define WINDOW_ROWS                                                                                \
	"k JOIN packs pk INDEXED BY packs_hf_end ON pk.hf_key = k.key AND pk.report_end >= ?3"
/* The errors read the packs of WINDOW_ROWS too: those of a report that
 * begins after the window find no loaded report and are passed over. */

static bool prepare_all(struct dd_store *s, char **err)
{
	return prepare(s, &s->find_report,
	               "SELECT id FROM reports WHERE org = ?1 AND report_id = ?2", err) &&
	       prepare(s, &s->put_report,
	               "INSERT INTO reports (org, report_id, org_name, email, extra_contact_info,"
	               " generator, schema, begin, end, domain, p, sp, np, adkim, aspf, fo,"
	               " testing, discovery_method, pct, origin, imported_at) VALUES"
	               " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
	               " ?17, ?18, ?19, ?20, ?21)",
	               err) &&
	       prepare(s, &s->put_error,
	               "INSERT INTO report_errors (report, seq, text) VALUES (?1, ?2, ?3)", err) &&
	       prepare(s, &s->put_pack,
	               "INSERT INTO packs (report, hf_key, begin, report_end, schema, pct, nrows,"
	               " data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	               err) &&
	       prepare(s, &s->savepoint, "SAVEPOINT report", err) &&
	       prepare(s, &s->release, "RELEASE report", err) &&
	       prepare(s, &s->rollback_to, "ROLLBACK TO report", err) &&
	       prepare(s, &s->has_doc, "SELECT 1 FROM documents WHERE sha256 = ?1", err) &&
	       prepare(s, &s->put_doc,
	               "INSERT OR IGNORE INTO documents (sha256, report, origin, imported_at)"
	               " VALUES (?1, ?2, ?3, ?4)",
	               err) &&
	       /* the window's end bound is in the index: packs of reports that
	        * ended before `since` are passed over without reading them. A
	        * domain's load is its packs, one a report (store_pack.h); the
	        * errors of those reports, when the store holds any (any_errors). */
	       prepare(s, &s->load_packs,
	               WINDOW_KEYS "SELECT pk.report, pk.begin, pk.report_end, pk.schema, pk.pct,"
	                           " pk.data, pk.nrows FROM " WINDOW_ROWS
	                           " ORDER BY pk.report, pk.id",
	               err) &&
	       /* A domain without subdomain rows (most) is one key: its packs
	        * come in the index's own order, (report_end, id), so no sort;
	        * the reports are put back in id order after (sort_by_id). */
	       prepare(s, &s->has_subkeys,
	               "SELECT 1 FROM packs INDEXED BY packs_hf_end WHERE hf_key > ?1 AND"
	               " hf_key < ?2 LIMIT 1",
	               err) &&
	       prepare(s, &s->load_packs_one,
	               "SELECT pk.report, pk.begin, pk.report_end, pk.schema, pk.pct, pk.data,"
	               " pk.nrows FROM packs pk INDEXED BY packs_hf_end WHERE pk.hf_key = ?1"
	               " AND pk.report_end >= ?2 ORDER BY pk.report_end, pk.id",
	               err) &&
	       prepare(s, &s->any_errors, "SELECT EXISTS (SELECT 1 FROM report_errors)", err) &&
	       prepare(s, &s->load_errors,
	               WINDOW_KEYS "SELECT e.report, e.text FROM report_errors e WHERE e.report IN"
	                           " (SELECT pk.report FROM " WINDOW_ROWS
	                           ") ORDER BY e.report, e.seq",
	               err);
}

/*
 * An import writes; a load reads. The import grows the page cache to
 * IMPORT_CACHE_KIB: every pack inserts into the (hf_key, report_end) index
 * at its domain's place, so the whole index is the working set. With the
 * 8 MiB a load needs, 10 000 reports (280 000 rows, then one entry each, a
 * 10 MB index) spent a third of their import re-reading index pages from
 * the WAL. 32 MiB holds some 900 000 entries (about 36 bytes each; since
 * v5 an entry is a report's key, not a row), and the RSS stays flat below
 * 64 MiB. A load turns the import mode off again.
 *
 * Neither maps the file (mmap_size 0, set at open): a batch's loads seek
 * into a year of rows spread over the whole file, and every page they
 * touched counted in the RSS - 197 MiB for the loads of 1 000 domains from
 * the bench's 191 MB store, 12 MiB without, for the same CPU time (A/B,
 * store_gen query, 2026-12-03). The kernel's page cache holds the file
 * either way.
 */
static void apply_mode(struct dd_store *s, bool on)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d;",
	         on ? IMPORT_CACHE_KIB : LOAD_CACHE_KIB);
	sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	s->import_mode = on;
}

static void set_import_mode(struct dd_store *s, bool on)
{
	if (s->import_mode != on)
		apply_mode(s, on);
}

struct dd_store *dd_store_open(const char *path, char **err)
{
	*err = NULL;
	if (!make_parents(path, err))
		return NULL;
	struct dd_store *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	/* one thread uses a store: no mutexes (they were 2 % of an import) */
	int rc = sqlite3_open_v2(path, &s->db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc != SQLITE_OK) {
		*err = s->db ? db_error(s->db, path)
		             : xasprintf("%s: %s", path, sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 10000); /* a cron import may hold the write lock */
	sqlite3_create_function(s->db, "dd_domain_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                        sql_domain_key, NULL, NULL);
	sqlite3_create_function(s->db, "dd_auth_item", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                        sql_auth_item, NULL, NULL);
	sqlite3_create_function(s->db, "dd_pack_meta", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                        sql_pack_meta, NULL, NULL);
	sqlite3_create_function(s->db, "dd_pack_rows", -1, SQLITE_UTF8, NULL, NULL,
	                        sql_pack_rows_step, sql_pack_rows_final);
	char *msg = NULL;
	/* quick_check reads every page: too slow for a big store; the schema
	 * read below tells a file that is not a database. */
	if (sqlite3_exec(s->db,
	                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
	                 "PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;"
	                 "PRAGMA wal_autocheckpoint = 4096;"
	                 "PRAGMA mmap_size = 0;", /* apply_mode() says why */
	                 NULL, NULL, &msg) != SQLITE_OK) {
		*err = xasprintf("%s: %s", path, msg ? msg : "cannot set up the database");
		sqlite3_free(msg);
		goto fail;
	}
	apply_mode(s, false); /* a load's page cache */
	if (!migrate(s->db, path, err) || !prepare_all(s, err))
		goto fail;
	return s;
fail:
	dd_store_close(s);
	return NULL;
}

void dd_store_close(struct dd_store *s)
{
	if (!s)
		return;
	char *err = NULL;
	dd_store_commit(s, &err);
	free(err);
	sqlite3_stmt *all[] = { s->find_report, s->put_report,    s->put_error,  s->put_pack,
		                s->has_doc,     s->put_doc,       s->load_packs, s->load_errors,
		                s->any_errors,  s->savepoint,     s->release,    s->rollback_to,
		                s->has_subkeys, s->load_packs_one };
	for (size_t i = 0; i < DD_ARRAY_LEN(all); i++)
		sqlite3_finalize(all[i]);
	dd_strbuf_finish(&s->pack);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static void bind_text(sqlite3_stmt *st, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(st, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Step a statement that returns no rows, then reset it for the next use
 * (every parameter is bound again each time: no clear_bindings). */
static bool run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE;
}

bool dd_store_has_document(struct dd_store *s, const unsigned char sha256[DD_STORE_SHA256_LEN])
{
	sqlite3_bind_blob(s->has_doc, 1, sha256, DD_STORE_SHA256_LEN, SQLITE_STATIC);
	bool found = sqlite3_step(s->has_doc) == SQLITE_ROW;
	sqlite3_reset(s->has_doc);
	sqlite3_clear_bindings(s->has_doc);
	return found;
}

static const char *org_key(const struct dd_report *r)
{
	return r->org_name ? r->org_name : r->email ? r->email : "";
}

/* Returns the report's id, 0 when absent, -1 on a database error. */
static int64_t find_report(struct dd_store *s, const struct dd_report *r)
{
	bind_text(s->find_report, 1, org_key(r));
	bind_text(s->find_report, 2, r->report_id);
	int rc = sqlite3_step(s->find_report);
	int64_t id = rc == SQLITE_ROW    ? sqlite3_column_int64(s->find_report, 0)
	             : rc == SQLITE_DONE ? 0
	                                 : -1;
	sqlite3_reset(s->find_report);
	sqlite3_clear_bindings(s->find_report);
	return id;
}

struct keyed_row {
	char *key; /* the row's hf_key, NULL without header_from */
	size_t seq;
};

/* NULL (no header_from) first, then by key */
static int key_cmp(const char *a, const char *b)
{
	return !a ? (b ? -1 : 0) : !b ? 1 : strcmp(a, b);
}

static int by_key_then_seq(const void *x, const void *y)
{
	const struct keyed_row *a = x, *b = y;
	int c = key_cmp(a->key, b->key);
	return c ? c : a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* One pack: the report's fields (meta, packed once) and rows v[0..n-1]. */
static bool put_pack(struct dd_store *s, const struct dd_report *r, int64_t report,
                     const struct dd_strbuf *meta, const struct keyed_row *v, size_t n)
{
	struct dd_strbuf *b = &s->pack;
	b->len = 0;
	dd_strbuf_add(b, meta->s, meta->len);
	for (size_t i = 0; i < n; i++)
		if (!dd_store_pack_row(&r->rows[v[i].seq], v[i].seq, b)) {
			s->bad_value = true;
			return false;
		}
	sqlite3_stmt *st = s->put_pack;
	sqlite3_bind_int64(st, 1, report);
	bind_text(st, 2, v[0].key);
	sqlite3_bind_int64(st, 3, r->begin);
	sqlite3_bind_int64(st, 4, r->end);
	sqlite3_bind_int(st, 5, (int)r->schema);
	if (r->pct >= 0)
		sqlite3_bind_int(st, 6, r->pct);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_int64(st, 7, (int64_t)n);
	sqlite3_bind_text(st, 8, b->s, (int)b->len, SQLITE_STATIC);
	return run(st);
}

/* The report's rows, one pack per hf_key (most reports: one), each pack's
 * rows in the report's order. Sorted, not compared pairwise: a report of
 * thousands of From domains stays n log n. */
static bool put_packs(struct dd_store *s, const struct dd_report *r, int64_t report)
{
	if (!r->nrows)
		return true;
	struct dd_strbuf meta;
	dd_strbuf_init(&meta);
	if (!dd_store_pack_meta(r, &meta)) {
		s->bad_value = true;
		dd_strbuf_finish(&meta);
		return false;
	}
	struct keyed_row *v = xcalloc(r->nrows, sizeof(*v));
	for (size_t i = 0; i < r->nrows; i++)
		v[i] = (struct keyed_row){
			r->rows[i].header_from ? domain_key(r->rows[i].header_from) : NULL, i
		};
	qsort(v, r->nrows, sizeof(*v), by_key_then_seq);
	bool ok = true;
	for (size_t i = 0, j; ok && i < r->nrows; i = j) {
		for (j = i + 1; j < r->nrows && key_cmp(v[j].key, v[i].key) == 0; j++)
			;
		ok = put_pack(s, r, report, &meta, v + i, j - i);
	}
	for (size_t i = 0; i < r->nrows; i++)
		free(v[i].key);
	free(v);
	dd_strbuf_finish(&meta);
	return ok;
}

static bool put_report(struct dd_store *s, const struct dd_report *r, const char *origin,
                       int64_t now, int64_t *id)
{
	sqlite3_stmt *st = s->put_report;
	bind_text(st, 1, org_key(r));
	bind_text(st, 2, r->report_id);
	bind_text(st, 3, r->org_name);
	bind_text(st, 4, r->email);
	bind_text(st, 5, r->extra_contact_info);
	bind_text(st, 6, r->generator);
	sqlite3_bind_int(st, 7, (int)r->schema);
	sqlite3_bind_int64(st, 8, r->begin);
	sqlite3_bind_int64(st, 9, r->end);
	bind_text(st, 10, r->domain);
	bind_text(st, 11, r->p);
	bind_text(st, 12, r->sp);
	bind_text(st, 13, r->np);
	bind_text(st, 14, r->adkim);
	bind_text(st, 15, r->aspf);
	bind_text(st, 16, r->fo);
	bind_text(st, 17, r->testing);
	bind_text(st, 18, r->discovery_method);
	if (r->pct >= 0)
		sqlite3_bind_int(st, 19, r->pct);
	else
		sqlite3_bind_null(st, 19);
	bind_text(st, 20, origin);
	sqlite3_bind_int64(st, 21, now);
	if (!run(st))
		return false;
	*id = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < r->nerrors; i++) {
		sqlite3_bind_int64(s->put_error, 1, *id);
		sqlite3_bind_int64(s->put_error, 2, (int64_t)i);
		bind_text(s->put_error, 3, r->errors[i]);
		if (!run(s->put_error))
			return false;
	}
	return put_packs(s, r, *id);
}

static bool put_doc(struct dd_store *s, const unsigned char *sha256, int64_t report,
                    const char *origin, int64_t now)
{
	sqlite3_bind_blob(s->put_doc, 1, sha256, DD_STORE_SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s->put_doc, 2, report);
	bind_text(s->put_doc, 3, origin);
	sqlite3_bind_int64(s->put_doc, 4, now);
	return run(s->put_doc);
}

enum dd_store_put_result dd_store_put_document(struct dd_store *s, const struct dd_report *r,
                                               const char *origin, const unsigned char *sha256,
                                               char **err)
{
	*err = NULL;
	if (!r->report_id) {
		*err = xstrdup("the report has no report_id");
		return DD_STORE_FAILED;
	}
	int64_t now = (int64_t)time(NULL);
	s->bad_value = false;
	if (s->batch ? !run(s->savepoint)
	             : sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		*err = db_error(s->db, s->path);
		return DD_STORE_FAILED;
	}
	enum dd_store_put_result res = DD_STORE_NEW;
	int64_t id = find_report(s, r);
	if (id < 0)
		goto fail;
	if (id > 0)
		res = DD_STORE_DUPLICATE;
	else if (!put_report(s, r, origin, now, &id))
		goto fail;
	if (sha256 && !put_doc(s, sha256, id, origin, now))
		goto fail;
	if (s->batch ? !run(s->release)
	             : sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return res;
fail:
	*err = s->bad_value ? xasprintf("%s: a value of the report holds a control character"
	                                " (0x1a, 0x1d, 0x1e or 0x1f) the store cannot pack",
	                                s->path)
	                    : db_error(s->db, s->path);
	if (s->batch) {
		run(s->rollback_to);
		run(s->release);
	} else {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
	return DD_STORE_FAILED;
}

bool dd_store_begin(struct dd_store *s, char **err)
{
	*err = NULL;
	if (s->batch)
		return true;
	set_import_mode(s, true);
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		*err = db_error(s->db, s->path);
		return false;
	}
	s->batch = true;
	return true;
}

bool dd_store_commit(struct dd_store *s, char **err)
{
	*err = NULL;
	if (!s->batch)
		return true;
	s->batch = false;
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		*err = db_error(s->db, s->path);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return true;
}

enum dd_store_put_result dd_store_put(struct dd_store *s, const struct dd_report *r,
                                      const char *origin, char **err)
{
	return dd_store_put_document(s, r, origin, NULL, err);
}

static void bind_window(sqlite3_stmt *st, const char *lo, const char *hi, int64_t since)
{
	sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, since);
}

/* The <error>s of the loaded reports (out->v[first..]), ordered by report
 * id as they are. */
static bool load_errors(sqlite3_stmt *st, struct dd_report_set *out, size_t first,
                        const int64_t *ids)
{
	size_t c = first;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		while (c < out->n && ids[c - first] < id)
			c++;
		if (c == out->n || ids[c - first] != id)
			continue;
		const unsigned char *t = sqlite3_column_text(st, 1);
		dd_report_add_error(out->v[c], t ? (const char *)t : "");
	}
	return rc == SQLITE_DONE;
}

/* Whether the store holds any <error>; a database error says yes, so the
 * errors' own query runs and reports it. */
static bool has_errors(struct dd_store *s)
{
	bool yes = sqlite3_step(s->any_errors) != SQLITE_ROW ||
	           sqlite3_column_int(s->any_errors, 0) != 0;
	sqlite3_reset(s->any_errors);
	return yes;
}

/* Whether rows of subdomains of the domain (keys in (lo, hi)) are stored. */
static bool has_subkeys(struct dd_store *s, const char *lo, const char *hi)
{
	sqlite3_bind_text(s->has_subkeys, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->has_subkeys, 2, hi, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s->has_subkeys);
	sqlite3_reset(s->has_subkeys);
	return rc != SQLITE_DONE; /* an error says yes: the general statement reports it */
}

struct loaded {
	int64_t id;
	struct dd_report *r;
};

static int by_id(const void *a, const void *b)
{
	const struct loaded *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The loaded reports (out->v[first..]) back in id order, as the general
 * statement gives them and load_errors() walks them. */
static void sort_by_id(struct dd_report_set *out, size_t first, int64_t *ids)
{
	size_t n = out->n - first;
	bool sorted = true;
	for (size_t i = 1; i < n && sorted; i++)
		sorted = ids[i - 1] < ids[i];
	if (sorted)
		return;
	struct loaded *v = xcalloc(n, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = (struct loaded){ ids[i], out->v[first + i] };
	qsort(v, n, sizeof(*v), by_id);
	for (size_t i = 0; i < n; i++) {
		ids[i] = v[i].id;
		out->v[first + i] = v[i].r;
	}
	free(v);
}

struct row_order {
	size_t seq, index;
};

static int by_seq_order(const void *x, const void *y)
{
	const struct row_order *a = x, *b = y;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Puts the rows of r, read from several packs (their seqs parallel to
 * them), back in the report's order. */
static void sort_rows_by_seq(struct dd_report *r, const struct dd_pack_seqs *seqs)
{
	size_t n = r->nrows;
	bool sorted = true;
	for (size_t i = 1; i < n && sorted; i++)
		sorted = seqs->v[i - 1] < seqs->v[i];
	if (sorted)
		return;
	struct row_order *order = xcalloc(n, sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = (struct row_order){ seqs->v[i], i };
	qsort(order, n, sizeof(*order), by_seq_order);
	struct dd_report_row *rows = xcalloc(n, sizeof(*rows));
	for (size_t i = 0; i < n; i++)
		rows[i] = r->rows[order[i].index];
	memcpy(r->rows, rows, n * sizeof(*rows));
	free(rows);
	free(order);
}

bool dd_store_load(struct dd_store *s, const char *domain, int64_t since, int64_t until,
                   struct dd_report_set *out, char **err)
{
	*err = NULL;
	set_import_mode(s, false);
	char *lo = domain_key(domain);
	char *hi = xstrdup(lo);
	size_t n = strlen(hi);
	if (n) /* "com.example." .. "com.example/": '/' follows '.' in ASCII */
		hi[n - 1] = '/';
	sqlite3_stmt *packs = NULL;
	bool ok = false, damaged = false;
	struct dd_report *cur = NULL;
	int64_t cur_id = 0;
	size_t cur_packs = 0;
	struct dd_pack_seqs seqs = { 0 };
	size_t first = out->n;
	int64_t *ids = NULL;
	size_t nids = 0, capids = 0;
	bool own = !s->batch; /* one read transaction, unless a batch is open */
	bool general = false;
	int rc = SQLITE_OK;
	if (own && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	if (has_subkeys(s, lo, hi)) {
		/* packs of one report under several keys come one after another */
		general = true;
		packs = s->load_packs;
		bind_window(packs, lo, hi, since);
	} else {
		packs = s->load_packs_one;
		sqlite3_bind_text(packs, 1, lo, -1, SQLITE_STATIC);
		sqlite3_bind_int64(packs, 2, since);
	}
	while ((rc = sqlite3_step(packs)) == SQLITE_ROW) {
		int64_t report_id = sqlite3_column_int64(packs, 0);
		if (sqlite3_column_int64(packs, 1) > until)
			continue; /* began after the window */
		bool same = cur && report_id == cur_id;
		if (!same) {
			if (cur && cur_packs > 1)
				sort_rows_by_seq(cur, &seqs);
			seqs.n = 0;
			cur_packs = 0;
			cur = dd_report_create();
			cur_id = report_id;
			dd_report_set_add_own(out, cur);
			cur->begin = sqlite3_column_int64(packs, 1);
			cur->end = sqlite3_column_int64(packs, 2);
			cur->schema = sqlite3_column_int(packs, 3) == DD_REPORT_RFC9990
			                      ? DD_REPORT_RFC9990
			                      : DD_REPORT_RFC7489;
			cur->pct = sqlite3_column_type(packs, 4) == SQLITE_NULL
			                   ? -1
			                   : sqlite3_column_int(packs, 4);
			if (nids == capids)
				ids = xrealloc(ids,
				               (capids = capids ? 2 * capids : 16) * sizeof(*ids));
			ids[nids++] = report_id;
		}
		cur_packs++;
		size_t before = cur->nrows;
		const char *text = (const char *)sqlite3_column_text(packs, 5);
		int64_t nrows = sqlite3_column_int64(packs, 6);
		/* the rows' room at once, when the count is one the text can hold
		 * (a packed row is more than 8 bytes): a damaged count is no
		 * reason to allocate */
		if (nrows > 0 && (uint64_t)nrows <= (uint64_t)sqlite3_column_bytes(packs, 5) / 8)
			dd_report_reserve_rows(cur, (size_t)nrows);
		/* the count beside the pack: a pack cut after a row still parses */
		if (!dd_store_unpack(text, cur, out, !same, general ? &seqs : NULL) ||
		    (int64_t)(cur->nrows - before) != nrows) {
			damaged = true;
			break;
		}
	}
	if (damaged || rc != SQLITE_DONE)
		goto out;
	if (cur && cur_packs > 1)
		sort_rows_by_seq(cur, &seqs);
	sort_by_id(out, first, ids);
	/* most stores hold no <error> at all: one seek says so, and the
	 * errors' walk over the window's packs again is saved */
	if (nids && has_errors(s)) {
		bind_window(s->load_errors, lo, hi, since);
		bool e_ok = load_errors(s->load_errors, out, first, ids);
		sqlite3_reset(s->load_errors);
		if (!e_ok)
			goto out;
	}
	ok = true;
out:
	if (!ok)
		*err = damaged ? xasprintf("%s: a pack of report rows is damaged", s->path)
		               : db_error(s->db, s->path);
	if (packs)
		sqlite3_reset(packs);
	if (own)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	free(seqs.v);
	free(ids);
	free(lo);
	free(hi);
	return ok;
}
