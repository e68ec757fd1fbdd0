/*
 * import.h: paths (files, directories, "-") -> documents (unpack.h) ->
 * reports (report_xml.h) -> the store (store.h), counting what happened.
 * Every input that is not imported is named with its origin and reason on
 * `err`; the rest of the run goes on.
 */
#ifndef DD_IMPORT_H
#define DD_IMPORT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dd/check.h"
#include "reports/report_xml.h"
#include "reports/store.h"
#include "reports/unpack.h"

/* Why an input was skipped: the reader's faults, then the other layers'. */
enum dd_import_kind {
	DD_IMPORT_UNREADABLE =
	        DD_REPORT_FAULT_BAD_VALUE + 1, /* a file or container that cannot be read */
	DD_IMPORT_STORE_FAILED,                /* the database refused the report */
	DD_IMPORT_KINDS
};

/* Skips kept for the JSON of the import; past this they are only counted. */
#define DD_IMPORT_SKIPS_KEPT 1000

struct dd_import_skip {
	char *origin;
	char *reason;
	int kind; /* an enum dd_report_fault or enum dd_import_kind */
};

struct dd_import {
	struct dd_store *store;
	struct dd_unpack_limits unpack;
	struct dd_report_xml_limits xml;
	FILE *err;         /* each skip, one line; NULL: not printed */
	bool progress;     /* a progress line on `err` (a terminal) once the run takes long */
	enum dd_lang lang; /* of the progress line, the skips on err and the summary */

	size_t inputs;    /* documents, and inputs skipped before they became one */
	size_t documents; /* candidate documents found */
	size_t new_reports;
	size_t duplicates; /* reports already stored (same org and report_id) */
	size_t known;      /* of them, documents seen byte for byte before: not parsed */
	size_t skipped;
	size_t by_kind[DD_IMPORT_KINDS];
	uint64_t bytes; /* of the documents, decompressed */
	double seconds;
	struct dd_import_skip *skips;
	size_t nskips, skips_cap;

	double started, last_progress; /* internal */
	bool in_batch;
	size_t batch_puts, batch_new;
	double batch_started;
};

void dd_import_init(struct dd_import *im, struct dd_store *store, FILE *err);
void dd_import_finish(struct dd_import *im);

/* Import everything under `path`. */
void dd_import_path(struct dd_import *im, const char *path);
/* Import one document already in memory (tests, fuzzing). */
void dd_import_document(struct dd_import *im, const char *origin, const unsigned char *data,
                        size_t len);

/* "120 inputs: 100 new reports, 15 duplicates, 5 skipped (2 not
 * well-formed, 3 unreadable) in 0.4 s". Caller frees. */
char *dd_import_summary(const struct dd_import *im);
/* The same as JSON: counts, skipped_by_reason, skips[] (origin, reason, kind). */
cJSON *dd_import_json(const struct dd_import *im);
/* The name of a skip kind: a fault's name, "unreadable" or "store failed". */
const char *dd_import_kind_name(int kind);

#endif
