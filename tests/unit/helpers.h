/*
 * helpers.h: run the real gather engine and checks over a fixture resolver
 * (testdata/dns/README.md describes the fixture format), and small lookups
 * into the result for assertions.
 */
#ifndef DD_TEST_HELPERS_H
#define DD_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "gather/gather.h"
#include "psl.h"
#include "dd/check.h"
#include "dd/resolver.h"

struct dd_test_run {
	struct dd_resolver *res;
	struct dd_gather *gather;
	struct dd_result *result;
	struct dd_check_options opts;
	struct dd_gather_limits limits; /* defaults unless a test changes them before the run */
	bool limits_set;
	/* The Public Suffix List view: the real one (libpsl, as cmd/run.c does)
	 * unless the test set opts.psl_org_domain itself, or set no_psl. */
	bool no_psl;
	struct dd_psl *psl;
	/* Aggregate reports for the domain (dd/report.h), handed to the posture
	 * (which then owns them) as cmd/ does; NULL for none. */
	struct dd_report_set *reports;
};

/*
 * Gather and judge `domain` against the fixture text. The result stays
 * valid until dd_test_run_finish(). Fails the test on a fixture error.
 */
struct dd_result *dd_test_check(struct dd_test_run *run, const char *fixture, const char *domain);
/* The same over any resolver (the run takes it). */
struct dd_result *dd_test_check_with(struct dd_test_run *run, struct dd_resolver *res,
                                     const char *domain);
void dd_test_run_finish(struct dd_test_run *run);

/* The first finding with this id, or NULL; and how many there are. */
const struct dd_finding *dd_test_finding(const struct dd_result *r, const char *id);
size_t dd_test_count(const struct dd_result *r, const char *id);

/* Append `text` as the TXT rdata of a fixture line: " ..." strings of at
 * most 255 bytes each, '"' and '\' escaped. */
struct dd_strbuf;
void dd_test_add_txt_strings(struct dd_strbuf *b, const char *text);

/* A file under testdata/ (DD_TESTDATA), NUL-terminated; fails the test when unreadable. */
char *dd_test_read(const char *relpath, size_t *len);
/* The full path of a file under testdata/ (static buffer). */
const char *dd_test_path(const char *relpath);

/* A new empty directory "/tmp/<prefix>-XXXXXX", its path written into
 * `dir` (DD_TEST_TMPDIR_SIZE bytes); and its removal with all it holds.
 * Both return 0 on success and -1 otherwise, as a cmocka setup or
 * teardown does. */
#define DD_TEST_TMPDIR_SIZE 64
int dd_test_tmpdir_make(char *dir, const char *prefix);
int dd_test_tmpdir_remove(const char *dir);

#endif
