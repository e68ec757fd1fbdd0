/*
 * test_findings.c: the finding table is complete - unique ids, both
 * languages, the same placeholders in each, an RFC link - and
 * docs/findings.md lists exactly its ids, with their severities and RFC
 * sections; each check is named as its ids' family.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static unsigned placeholders(const char *s)
{
	unsigned mask = 0;
	for (; *s; s++)
		if (s[0] == '{' && s[1] >= '1' && s[1] <= '9' && s[2] == '}')
			mask |= 1u << (s[1] - '0');
	return mask;
}

static void check_text(const char *id, const char *what, const struct dd_text *t)
{
	if (!t->en || !*t->en || !t->ja || !*t->ja)
		fail_msg("%s: %s lacks a language", id, what);
	if (placeholders(t->en) != placeholders(t->ja))
		fail_msg("%s: %s has different placeholders in en and ja", id, what);
}

static void test_table(void **state)
{
	(void)state;
	assert_true(dd_finding_ndefs >= 25);
	for (size_t i = 0; i < dd_finding_ndefs; i++) {
		const struct dd_finding_def *d = &dd_finding_defs[i];
		for (const char *c = d->id; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' ||
			      *c == '-'))
				fail_msg("%s: ids are lowercase, dotted", d->id);
		assert_non_null(strchr(d->id, '.'));
		for (size_t j = 0; j < i; j++)
			if (strcmp(d->id, dd_finding_defs[j].id) == 0)
				fail_msg("%s appears twice", d->id);
		check_text(d->id, "summary", &d->summary);
		check_text(d->id, "message", &d->message);
		check_text(d->id, "fix", &d->fix);
		/* a mailbox provider's own rule cites that provider's document, not an RFC */
		if (strncmp(d->id, "provider.", 9) == 0) {
			if (strncmp(d->rfc, "RFC ", 4) == 0 ||
			    strncmp(d->rfc_url, "https://", 8) != 0 ||
			    strstr(d->rfc_url, "rfc-editor.org"))
				fail_msg("%s: cites %s (%s), not the provider's document", d->id,
				         d->rfc, d->rfc_url);
			assert_ptr_equal(dd_finding_def_find(d->id), d);
			continue;
		}
		/* "RFC 7208 §4.6.4" links to section 4.6.4 of RFC 7208 (§C.3: appendix C.3) */
		unsigned num;
		char sec[32], url[128];
		if (sscanf(d->rfc, "RFC %u §%31s", &num, sec) != 2)
			fail_msg("%s: rfc \"%s\" is not \"RFC N §S\"", d->id, d->rfc);
		snprintf(url, sizeof(url), "https://www.rfc-editor.org/rfc/rfc%u#%s-%s", num,
		         sec[0] >= 'A' && sec[0] <= 'Z' ? "appendix" : "section", sec);
		if (strcmp(d->rfc_url, url) != 0)
			fail_msg("%s: %s links to %s", d->id, d->rfc, d->rfc_url);
		assert_ptr_equal(dd_finding_def_find(d->id), d);
	}
	assert_null(dd_finding_def_find("no.such-id"));
}

static void test_documented(void **state)
{
	(void)state;
	char *doc = dd_test_read("../docs/findings.md", NULL);
	/* every id of the table is a row of the page, with its severity and RFC section */
	for (size_t i = 0; i < dd_finding_ndefs; i++) {
		char row[256];
		snprintf(row, sizeof(row), "| `%s` | %s | %s |", dd_finding_defs[i].id,
		         dd_severity_name(dd_finding_defs[i].severity), dd_finding_defs[i].rfc);
		if (!strstr(doc, row))
			fail_msg("docs/findings.md lacks the row %s", row);
	}
	/* every row of the page is an id of the table */
	size_t rows = 0;
	for (const char *p = doc; (p = strstr(p, "\n| `")); p++) {
		const char *start = p + 4, *end = strchr(start, '`');
		assert_non_null(end);
		char id[128];
		snprintf(id, sizeof(id), "%.*s", (int)(end - start), start);
		if (!dd_finding_def_find(id))
			fail_msg("docs/findings.md lists %s, which is not in the table", id);
		rows++;
	}
	assert_int_equal(rows, dd_finding_ndefs);
	free(doc);
}

/*
 * A check is named as its findings' family: JUnit has one testcase a check
 * and one a family (cmd/render/junit.c), so a check named otherwise splits
 * its findings from its testcase. Only dns.* and baseline.* belong to no check.
 */
static void test_checks_named_as_their_findings(void **state)
{
	(void)state;
	for (size_t i = 0; i < dd_finding_ndefs; i++) {
		const char *id = dd_finding_defs[i].id;
		size_t n = strcspn(id, ".");
		bool owned = (n == 3 && strncmp(id, "dns", 3) == 0) ||
		             (n == 8 && strncmp(id, "baseline", 8) == 0);
		for (size_t c = 0; c < dd_nchecks && !owned; c++)
			owned = strlen(dd_checks[c]->name) == n &&
			        strncmp(dd_checks[c]->name, id, n) == 0;
		if (!owned)
			fail_msg("%s: no check is named %.*s", id, (int)n, id);
	}
}

/* a hostile record cannot make a domain hold findings without bound */
static void test_per_id_cap(void **state)
{
	(void)state;
	struct dd_findings fs = { 0 };
	for (int i = 0; i < DD_FINDINGS_PER_ID + 10; i++) {
		char arg[16];
		snprintf(arg, sizeof(arg), "%d", i);
		struct dd_finding *f = dd_findings_add(&fs, "spf.ptr", arg, NULL);
		dd_finding_set_record(f, "v=spf1 ptr -all", 15); /* callers fill it in either way */
		dd_finding_add_chain(f, "example.com");
	}
	dd_findings_add(&fs, "spf.no-all", "example.com", NULL);
	assert_int_equal(fs.n, DD_FINDINGS_PER_ID + 1);
	assert_int_equal(fs.suppressed, 10);
	assert_string_equal(fs.v[DD_FINDINGS_PER_ID - 1].args[0], "31");
	assert_string_equal(fs.v[DD_FINDINGS_PER_ID].def->id, "spf.no-all");
	dd_findings_finish(&fs);
	assert_int_equal(fs.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_per_id_cap),
		cmocka_unit_test(test_documented),
		cmocka_unit_test(test_checks_named_as_their_findings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
