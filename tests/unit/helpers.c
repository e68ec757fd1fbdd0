/*
 * helpers.c: see helpers.h.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "helpers.h"
#include "dd/util.h"

static void on_done(void *arg, struct dd_posture *p)
{
	struct dd_test_run *run = arg;
	run->result = dd_result_create(p->domain, p->display);
	dd_judge(run->result, p);
}

struct dd_result *dd_test_check(struct dd_test_run *run, const char *fixture, const char *domain)
{
	char *err = NULL;
	struct dd_resolver *res = dd_resolver_fixture_create_from_string(fixture, "fixture", &err);
	if (!res) {
		fprintf(stderr, "fixture: %s\n", err);
		fail_msg("bad fixture: %s", err);
	}
	return dd_test_check_with(run, res, domain);
}

struct dd_result *dd_test_check_with(struct dd_test_run *run, struct dd_resolver *res,
                                     const char *domain)
{
	run->res = res;
	if (!run->limits_set)
		dd_gather_limits_default(&run->limits);
	if (!run->opts.psl_org_domain && !run->no_psl) {
		run->psl = dd_psl_open();
		dd_psl_attach(run->psl, &run->opts);
	}
	run->gather = dd_gather_create(run->res, &run->limits);
	struct dd_posture *p = dd_posture_create(domain, domain, &run->opts);
	p->reports = run->reports;
	run->reports = NULL;
	dd_gather_start(run->gather, p, on_done, run);
	for (int i = 0; i < 100000 && !run->result; i++)
		dd_gather_step(run->gather, 0);
	assert_non_null(run->result);
	return run->result;
}

void dd_test_run_finish(struct dd_test_run *run)
{
	dd_result_destroy(run->result);
	dd_gather_destroy(run->gather);
	dd_resolver_destroy(run->res);
	dd_psl_close(run->psl);
	memset(run, 0, sizeof(*run));
}

const struct dd_finding *dd_test_finding(const struct dd_result *r, const char *id)
{
	for (size_t i = 0; i < r->findings.n; i++)
		if (strcmp(r->findings.v[i].def->id, id) == 0)
			return &r->findings.v[i];
	return NULL;
}

size_t dd_test_count(const struct dd_result *r, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings.n; i++)
		n += strcmp(r->findings.v[i].def->id, id) == 0;
	return n;
}

void dd_test_add_txt_strings(struct dd_strbuf *b, const char *text)
{
	size_t len = strlen(text);
	for (size_t off = 0; off == 0 || off < len; off += 255) {
		dd_strbuf_adds(b, " \"");
		for (size_t i = off; i < len && i < off + 255; i++) {
			char c = text[i];
			if (c == '"' || c == '\\')
				dd_strbuf_addf(b, "\\%03d", c);
			else
				dd_strbuf_addc(b, c);
		}
		dd_strbuf_addc(b, '"');
	}
}

const char *dd_test_path(const char *relpath)
{
	static char path[4096];
	const char *root = getenv("DD_TESTDATA");
	snprintf(path, sizeof(path), "%s/%s", root ? root : "testdata", relpath);
	return path;
}

char *dd_test_read(const char *relpath, size_t *len)
{
	const char *path = dd_test_path(relpath);
	char *data;
	size_t n;
	enum dd_file_status st = dd_file_read(path, (size_t)1 << 30, &data, &n);
	if (st != DD_FILE_OK)
		fail_msg("cannot read %s: %s", path, dd_file_error(st));
	if (len)
		*len = n;
	return data;
}

int dd_test_tmpdir_make(char *dir, const char *prefix)
{
	snprintf(dir, DD_TEST_TMPDIR_SIZE, "/tmp/%s-XXXXXX", prefix);
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

int dd_test_tmpdir_remove(const char *dir)
{
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}
