/*
 * store.h: the local report store (SQLite). Reports are imported once and
 * queried per domain and window; re-importing the same report (same
 * reporter org and report_id) changes nothing. One report is one
 * transaction: nothing is half-imported. The schema carries a version and
 * migrates forward on open.
 */
#ifndef DD_STORE_H
#define DD_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "dd/report.h"

struct dd_store;

/* The default path: $XDG_DATA_HOME/dmarc-doctor/reports.sqlite, else
 * ~/.local/share/dmarc-doctor/reports.sqlite. Caller frees. */
char *dd_store_default_path(void);

/* Opens (creating directories and the schema as needed) or returns NULL
 * with a message in *err (caller frees). */
struct dd_store *dd_store_open(const char *path, char **err);
void dd_store_close(struct dd_store *s); /* accepts NULL */

enum dd_store_put_result {
	DD_STORE_NEW = 0,
	DD_STORE_DUPLICATE, /* same org and report_id already stored: nothing changed */
	DD_STORE_FAILED,    /* *err says why; nothing was written */
};

enum dd_store_put_result dd_store_put(struct dd_store *s, const struct dd_report *r,
                                      const char *origin, char **err);

/*
 * The reports whose rows concern `domain`: rows whose header_from is the
 * domain or below it, with their report's metadata and policy. Only reports
 * whose date range overlaps [since, until] (seconds since the epoch).
 * Each report in `out` holds only those rows. Returns false with *err on a
 * database error.
 */
bool dd_store_load(struct dd_store *s, const char *domain, int64_t since, int64_t until,
                   struct dd_report_set *out, char **err);

/*
 * Added for the importer: a document is remembered by the SHA-256 of its
 * bytes, so that a re-import of files already read skips them before
 * parsing (the store still dedupes on org and report_id).
 */
#define DD_STORE_SHA256_LEN 32

/* True when a document with these bytes was imported before. */
bool dd_store_has_document(struct dd_store *s, const unsigned char sha256[DD_STORE_SHA256_LEN]);
/* dd_store_put, also remembering the document's digest (NULL: none). A
 * duplicate report still records the digest, so the next run skips it. */
enum dd_store_put_result dd_store_put_document(struct dd_store *s, const struct dd_report *r,
                                               const char *origin, const unsigned char *sha256,
                                               char **err);
/*
 * Batches, for a long import: the puts between dd_store_begin() and
 * dd_store_commit() reach the disk in one commit. Each report is still a
 * savepoint of its own, so one that fails leaves nothing behind and the
 * others go on; what a crash can lose is the uncommitted batch, which a
 * re-import brings back (the store dedupes). Readers see a batch once it
 * is committed.
 */
bool dd_store_begin(struct dd_store *s, char **err);
bool dd_store_commit(struct dd_store *s, char **err);

/* The path the store was opened at. */
const char *dd_store_path(const struct dd_store *s);
/* The schema version this build writes (PRAGMA user_version). */
int dd_store_schema_version(void);

#endif
