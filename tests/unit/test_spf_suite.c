/*
 * test_spf_suite.c: the openspf.org RFC 7208 test suite (203 cases) through
 * check_host(), over the real gather engine and the fixture resolver.
 *
 * testdata/spf-suite/ holds the suite's zone data converted once into our
 * fixture format (convert.py, committed with its output) and the case list
 * rfc7208.cases: fixture, test id, client IP, HELO, MAIL FROM, acceptable
 * results, expected explanation. Every case must give one of its results.
 *
 * Explanations are compared without regard to case: for v-macro-ip6 the
 * suite expects %{c} in lower case but the nibbles of %{ir} in upper case,
 * which no rule of RFC 7208 asks for (its §7.4 example is lower case), and
 * DNS names are case-insensitive anyway. A fail without exp= gives the
 * suite's "DEFAULT".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "helpers.h"
#include "dd/util.h"

enum { FIXTURE, ID, HOST, HELO, MAILFROM, RESULTS, EXPLANATION, NFIELDS };

static size_t split(char *line, char *f[NFIELDS])
{
	size_t n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < NFIELDS; p++)
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

static bool accepted(const char *results, const char *got)
{
	char *copy = xstrdup(results), *save = NULL;
	bool ok = false;
	for (char *r = strtok_r(copy, ",", &save); r && !ok; r = strtok_r(NULL, ",", &save))
		ok = strcmp(r, got) == 0;
	free(copy);
	return ok;
}

/* Runs one case; returns NULL when it passes, else what went wrong. */
static char *run_case(char *f[NFIELDS], const char *fixture)
{
	struct dd_test_run run = { 0 };
	const char *mailfrom = f[MAILFROM];
	const char *at = strrchr(mailfrom, '@');
	/* RFC 7208 §2.4: with a null sender, the HELO identity is checked */
	const char *domain = *mailfrom ? (at ? at + 1 : mailfrom) : f[HELO];
	run.opts.ip = f[HOST];
	run.opts.sender = mailfrom;
	run.opts.helo = f[HELO];
	struct dd_result *r = dd_test_check(&run, fixture, domain);
	const struct dd_spf_verdict *v = &r->spf.check_host;
	char *why = NULL;
	const char *got = v->evaluated ? dd_spf_result_name(v->result) : "(not evaluated)";
	const char *exp = v->explanation ? v->explanation : "DEFAULT";
	if (!accepted(f[RESULTS], got))
		why = xasprintf("%s: got %s, want %s (%s)", f[ID], got, f[RESULTS],
		                v->reason.en ? v->reason.en : "no reason");
	else if (*f[EXPLANATION] && strcmp(got, "fail") == 0 &&
	         strcasecmp(exp, f[EXPLANATION]) != 0)
		why = xasprintf("%s: explanation \"%s\", want \"%s\"", f[ID], exp, f[EXPLANATION]);
	else if (v->reason.en && (!v->reason.ja || strcmp(v->reason.ja, v->reason.en) == 0))
		why = xasprintf("%s: no Japanese for \"%s\"", f[ID], v->reason.en);
	dd_test_run_finish(&run);
	return why;
}

static void test_rfc7208_suite(void **state)
{
	(void)state;
	char *cases = dd_test_read("spf-suite/rfc7208.cases", NULL);
	char *fixture = NULL, fixture_name[64] = "";
	size_t ran = 0, failed = 0;
	char *save = NULL;
	for (char *line = strtok_r(cases, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		char *f[NFIELDS];
		if (split(line, f) != NFIELDS)
			fail_msg("bad line in rfc7208.cases: %s", line);
		if (strcmp(fixture_name, f[FIXTURE]) != 0) {
			char path[96];
			free(fixture);
			snprintf(path, sizeof(path), "spf-suite/%s", f[FIXTURE]);
			fixture = dd_test_read(path, NULL);
			snprintf(fixture_name, sizeof(fixture_name), "%s", f[FIXTURE]);
		}
		char *why = run_case(f, fixture);
		ran++;
		if (why) {
			fprintf(stderr, "FAIL %s %s\n", f[FIXTURE], why);
			failed++;
			free(why);
		}
	}
	free(fixture);
	free(cases);
	fprintf(stderr, "%zu cases, %zu failed\n", ran, failed);
	assert_int_equal(ran, 203);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc7208_suite),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
