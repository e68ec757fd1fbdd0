/*
 * test_baseline.c: --baseline. A result is saved as --format json prints
 * it, read back, and compared with a later run: known findings are marked,
 * new ones are not, and a weaker policy or more SPF lookups over the limit
 * become findings of their own. A file that is not a saved result is an
 * error that says where.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "helpers.h"
#include "render/json.h"
#include "dd/util.h"

/* --format json of one result, as a string (owned). */
static char *saved(const struct dd_result *r)
{
	cJSON *o = dd_json_result(r, false, false);
	char *s = cJSON_Print(o);
	cJSON_Delete(o);
	return s;
}

static struct dd_baseline *baseline_of(const struct dd_result *r)
{
	char *text = saved(r);
	char *err = NULL;
	struct dd_baseline *b = dd_baseline_parse(text, strlen(text), "base.json", &err);
	if (!b)
		fail_msg("%s", err);
	free(text);
	return b;
}

static const char no_dmarc[] = "bare.test TXT \"v=spf1 -all\"\n"
                               "bare.test TXT \"v=spf1 ip4:192.0.2.1 -all\"\n";

static void test_same_result_is_all_known(void **state)
{
	(void)state;
	struct dd_test_run a = { 0 }, b = { 0 };
	struct dd_baseline *base = baseline_of(dd_test_check(&a, no_dmarc, "bare.test"));
	struct dd_result *r = dd_test_check(&b, no_dmarc, "bare.test");
	size_t before = r->findings.n;
	assert_true(before >= 2); /* spf.multiple, dmarc.missing */
	dd_baseline_apply(base, r);
	assert_int_equal(r->findings.n, before); /* nothing got worse */
	for (size_t i = 0; i < r->findings.n; i++)
		assert_true(r->findings.v[i].known);
	dd_baseline_destroy(base);
	dd_test_run_finish(&a);
	dd_test_run_finish(&b);
}

static void test_new_finding_is_not_known(void **state)
{
	(void)state;
	struct dd_test_run a = { 0 }, b = { 0 };
	struct dd_baseline *base = baseline_of(dd_test_check(&a,
	                                                     "ok.test TXT \"v=spf1 -all\"\n"
	                                                     "_dmarc.ok.test TXT \"v=DMARC1; "
	                                                     "p=reject\"\n",
	                                                     "ok.test"));
	struct dd_result *r = dd_test_check(&b,
	                                    "ok.test TXT \"v=spf1 -all\"\n"
	                                    "ok.test TXT \"v=spf1 a -all\"\n"
	                                    "_dmarc.ok.test TXT \"v=DMARC1; p=reject\"\n",
	                                    "ok.test");
	dd_baseline_apply(base, r);
	const struct dd_finding *f = dd_test_finding(r, "spf.multiple");
	assert_non_null(f);
	assert_false(f->known);
	dd_baseline_destroy(base);
	dd_test_run_finish(&a);
	dd_test_run_finish(&b);
}

static void test_weaker_policy(void **state)
{
	(void)state;
	struct dd_test_run a = { 0 }, b = { 0 }, c = { 0 };
	struct dd_baseline *base = baseline_of(dd_test_check(&a,
	                                                     "w.test TXT \"v=spf1 -all\"\n"
	                                                     "_dmarc.w.test TXT \"v=DMARC1; "
	                                                     "p=reject\"\n",
	                                                     "w.test"));
	struct dd_result *r = dd_test_check(&b,
	                                    "w.test TXT \"v=spf1 -all\"\n"
	                                    "_dmarc.w.test TXT \"v=DMARC1; p=none\"\n",
	                                    "w.test");
	dd_baseline_apply(base, r);
	const struct dd_finding *f = dd_test_finding(r, "baseline.policy-weaker");
	assert_non_null(f);
	assert_false(f->known);
	assert_int_equal(f->severity, DD_SEV_ERROR);
	char *msg = dd_finding_message(f, DD_LANG_EN);
	assert_string_equal(msg, "The DMARC policy for w.test is none; the baseline had reject.");
	free(msg);
	/* no record at all is weaker still; a stronger policy is no regression */
	r = dd_test_check(&c, "w.test TXT \"v=spf1 -all\"\n", "w.test");
	struct dd_test_run d = { 0 };
	struct dd_result *stronger = dd_test_check(&d,
	                                           "w.test TXT \"v=spf1 -all\"\n"
	                                           "_dmarc.w.test TXT \"v=DMARC1; p=reject\"\n",
	                                           "w.test");
	dd_baseline_apply(base, r);
	dd_baseline_apply(base, stronger);
	assert_non_null(dd_test_finding(r, "baseline.policy-weaker"));
	assert_null(dd_test_finding(stronger, "baseline.policy-weaker"));
	dd_baseline_destroy(base);
	dd_test_run_finish(&a);
	dd_test_run_finish(&b);
	dd_test_run_finish(&c);
	dd_test_run_finish(&d);
}

static void test_lookups_over_the_limit(void **state)
{
	(void)state;
	static const char fx[] = "l.test TXT \"v=spf1 -all\"\n"
	                         "_dmarc.l.test TXT \"v=DMARC1; p=reject\"\n";
	static const struct {
		int then, now;
		bool worse;
	} cases[] = {
		{ 12, 14, true },  /* over and higher */
		{ 12, 12, false }, /* the same */
		{ 12, 11, false }, /* better */
		{ 8, 11, true },   /* crossed the limit */
		{ 3, 9, false },   /* higher, under the limit */
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		struct dd_test_run a = { 0 }, b = { 0 };
		struct dd_result *old = dd_test_check(&a, fx, "l.test");
		old->spf.counted = true;
		old->spf.lookups = cases[i].then;
		struct dd_baseline *base = baseline_of(old);
		struct dd_result *r = dd_test_check(&b, fx, "l.test");
		r->spf.counted = true;
		r->spf.lookups = cases[i].now;
		dd_baseline_apply(base, r);
		const struct dd_finding *f = dd_test_finding(r, "baseline.spf-lookups-increased");
		if (cases[i].worse != (f != NULL))
			fail_msg("%d -> %d lookups: expected %s", cases[i].then, cases[i].now,
			         cases[i].worse ? "a regression" : "none");
		dd_baseline_destroy(base);
		dd_test_run_finish(&a);
		dd_test_run_finish(&b);
	}
}

static void test_counts_per_subject(void **state)
{
	(void)state;
	/* the baseline has one dkim.malformed at s1; now there are two: one is new */
	struct dd_result *old = dd_result_create("c.test", "c.test");
	struct dd_finding *f = dd_findings_add(&old->findings, "dkim.malformed", "s1", "x", NULL);
	dd_finding_add_chain(f, "s1._domainkey.c.test");
	struct dd_baseline *base = baseline_of(old);
	struct dd_result *r = dd_result_create("c.test", "c.test");
	f = dd_findings_add(&r->findings, "dkim.malformed", "s1", "y", NULL);
	dd_finding_add_chain(f, "s1._domainkey.c.test");
	f = dd_findings_add(&r->findings, "dkim.malformed", "s1", "x", NULL);
	dd_finding_add_chain(f, "s1._domainkey.c.test");
	f = dd_findings_add(&r->findings, "dkim.malformed", "s2", "x", NULL);
	dd_finding_add_chain(f, "s2._domainkey.c.test");
	dd_baseline_apply(base, r);
	/* the one with the same message is the known one, whatever the order */
	assert_false(r->findings.v[0].known);
	assert_true(r->findings.v[1].known);
	assert_false(r->findings.v[2].known); /* another name: new */
	dd_baseline_destroy(base);
	dd_result_destroy(old);
	dd_result_destroy(r);
}

static void test_unknown_domain_is_all_new(void **state)
{
	(void)state;
	struct dd_test_run a = { 0 }, b = { 0 };
	struct dd_baseline *base = baseline_of(dd_test_check(&a, no_dmarc, "bare.test"));
	struct dd_result *r = dd_test_check(&b, "other.test TXT \"x\"\n", "other.test");
	dd_baseline_apply(base, r);
	for (size_t i = 0; i < r->findings.n; i++)
		assert_false(r->findings.v[i].known);
	dd_baseline_destroy(base);
	dd_test_run_finish(&a);
	dd_test_run_finish(&b);
}

static void parse_fails(const char *text, const char *want)
{
	char *err = NULL;
	struct dd_baseline *b = dd_baseline_parse(text, strlen(text), "base.json", &err);
	if (b)
		fail_msg("parsed \"%s\", expected: %s", text, want);
	if (!strstr(err, want))
		fail_msg("got \"%s\", expected \"%s\"", err, want);
	free(err);
}

static void test_forms_and_errors(void **state)
{
	(void)state;
	char *err = NULL;
	static const char array[] =
	        "[{\"domain\": \"A.test\", \"findings\": []},\n"
	        " {\"domain\": \"b.test\", \"findings\": [{\"id\": \"spf.missing\"}]}]";
	struct dd_baseline *b = dd_baseline_parse(array, strlen(array), "a.json", &err);
	assert_non_null(b);
	dd_baseline_destroy(b);
	static const char lines[] = "{\"domain\": \"a.test\", \"findings\": []}\n\n"
	                            "{\"domain\": \"b.test\", \"findings\": []}\n";
	b = dd_baseline_parse(lines, strlen(lines), "a.jsonl", &err);
	assert_non_null(b);
	dd_baseline_destroy(b);

	parse_fails("", "base.json:1:1: not JSON");
	parse_fails("{\"domain\": \"a.test\",\n \"findings\": [}", "base.json:2:");
	parse_fails("[]", "no results");
	parse_fails("{\"findings\": []}", "without a \"domain\"");
	parse_fails("{\"domain\": \"a.test\"}", "without a \"findings\" array");
	parse_fails("[{\"domain\": \"a.test\", \"findings\": [{\"severity\": \"error\"}]}]",
	            "a finding without an \"id\"");
	parse_fails(
	        "{\"domain\": \"a.test\", \"findings\": []}\n{\"domain\": 1, \"findings\": []}\n",
	        "base.json:2: not a dmarc-doctor JSON result");
	parse_fails("{\"domain\": \"a.test\", \"findings\": []}\nnot json\n", "base.json:2:1");
	parse_fails("\"just a string\"", "without a \"domain\"");

	assert_null(dd_baseline_load("/nonexistent/base.json", &err));
	assert_non_null(strstr(err, "/nonexistent/base.json"));
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_result_is_all_known),
		cmocka_unit_test(test_new_finding_is_not_known),
		cmocka_unit_test(test_weaker_policy),
		cmocka_unit_test(test_lookups_over_the_limit),
		cmocka_unit_test(test_counts_per_subject),
		cmocka_unit_test(test_unknown_domain_is_all_new),
		cmocka_unit_test(test_forms_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
