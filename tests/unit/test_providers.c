/*
 * test_providers.c: the mailbox providers' rules as findings - the Gmail
 * and Yahoo (February 2024) and Outlook.com (May 2025) sender requirements,
 * and what docomo mail does with mail failing DMARC. The SPF and DKIM
 * findings the rules read come from other checkers, so results are built by
 * hand as well as over fixtures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/util.h"

extern const struct dd_check dd_check_providers;

static struct dd_result *judged(struct dd_result *r)
{
	struct dd_posture *p = dd_posture_create(r->domain, r->domain, NULL);
	dd_check_providers.judge(p, r);
	dd_posture_destroy(p);
	return r;
}

static struct dd_result *base(void)
{
	struct dd_result *r = dd_result_create("example.com", "example.com");
	r->mx.state = DD_STATE_FOUND;
	r->mx.nhosts = 1;
	r->spf.state = DD_STATE_FOUND;
	r->spf.record = xstrdup("v=spf1 mx -all");
	r->dkim.probed = 39;
	r->dkim.v = xcalloc(1, sizeof(*r->dkim.v)); /* one key found */
	r->dkim.n = 1;
	r->dmarc.state = DD_STATE_FOUND;
	r->dmarc.exists = true;
	r->dmarc.policy = DD_POLICY_NONE;
	return r;
}

static char *message(const struct dd_result *r, const char *id, enum dd_lang lang)
{
	const struct dd_finding *f = dd_test_finding(r, id);
	assert_non_null(f);
	return dd_finding_message(f, lang);
}

static void test_compliant_sender(void **state)
{
	(void)state;
	struct dd_result *r = judged(base());
	assert_null(dd_test_finding(r, "provider.gmail-yahoo"));
	assert_null(dd_test_finding(r, "provider.outlook"));
	dd_result_destroy(r);
}

static void test_what_is_lacking(void **state)
{
	(void)state;
	struct dd_result *r = base();
	r->dkim.n = 0; /* no key at any selector, no probe failed */
	r->dmarc.state = DD_STATE_MISSING;
	judged(r);
	const struct dd_finding *f = dd_test_finding(r, "provider.gmail-yahoo");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_WARNING);
	assert_string_equal(f->args[1], "DKIM, DMARC");
	char *m = message(r, "provider.gmail-yahoo", DD_LANG_EN);
	assert_non_null(strstr(m, "February 2024"));
	free(m);
	m = message(r, "provider.outlook", DD_LANG_EN);
	assert_non_null(strstr(m, "5 May 2025"));
	assert_non_null(strstr(m, "550 5.7.515"));
	free(m);
	m = message(r, "provider.outlook", DD_LANG_JA);
	assert_non_null(strstr(m, "2025年5月5日"));
	free(m);
	dd_result_destroy(r);

	/* an SPF permerror counts as no SPF; a record without a usable policy as no DMARC */
	r = base();
	dd_findings_add(&r->findings, "spf.lookup-limit", "example.com", "14", NULL);
	r->dmarc.policy = DD_POLICY_INVALID;
	judged(r);
	assert_string_equal(dd_test_finding(r, "provider.outlook")->args[1], "SPF, DMARC");
	dd_result_destroy(r);
}

static void test_failures_are_not_lacks(void **state)
{
	(void)state;
	struct dd_result *r = base();
	r->dkim.n = 0;
	r->dkim.failed = 3; /* some selectors could not be asked: DKIM may exist */
	r->spf.state = DD_STATE_UNDETERMINED;
	r->dmarc.state = DD_STATE_UNDETERMINED;
	judged(r);
	assert_null(dd_test_finding(r, "provider.gmail-yahoo"));
	assert_null(dd_test_finding(r, "provider.docomo"));
	dd_result_destroy(r);
}

static void test_non_senders_are_exempt(void **state)
{
	(void)state;
	struct dd_result *r = base();
	r->mx.null_mx = true;
	free(r->spf.record);
	r->spf.record = xstrdup("v=spf1 -all");
	r->dkim.n = 0;
	r->dmarc.state = DD_STATE_MISSING;
	judged(r);
	assert_null(dd_test_finding(r, "provider.gmail-yahoo"));
	dd_result_destroy(r);

	/* a name that does not exist sends nothing legitimate */
	r = base();
	r->dmarc.exists = false;
	r->spf.state = DD_STATE_MISSING;
	judged(r);
	assert_null(dd_test_finding(r, "provider.outlook"));
	dd_result_destroy(r);
}

static void test_docomo(void **state)
{
	(void)state;
	static const struct {
		enum dd_policy policy;
		const char *en, *ja, *fix;
	} cases[] = {
		{ DD_POLICY_NONE, "as usual", "通常どおり", "Move on to quarantine, then reject" },
		{ DD_POLICY_QUARANTINE, "spam folder", "迷惑メールフォルダ", "Move on to reject" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		struct dd_result *r = base();
		r->dmarc.policy = cases[i].policy;
		judged(r);
		const struct dd_finding *f = dd_test_finding(r, "provider.docomo");
		assert_non_null(f);
		assert_int_equal(f->severity, DD_SEV_INFO);
		char *en = dd_finding_message(f, DD_LANG_EN),
		     *ja = dd_finding_message(f, DD_LANG_JA);
		assert_non_null(strstr(en, cases[i].en));
		assert_non_null(strstr(ja, cases[i].ja));
		assert_non_null(strstr(en, "example.com"));
		char *fix = dd_finding_fix(f, DD_LANG_EN);
		assert_non_null(strstr(fix, cases[i].fix)); /* the next step from here */
		free(fix);
		free(en);
		free(ja);
		dd_result_destroy(r);
	}
	/* at reject there is nothing to do: no finding to fail a --fail-on info gate */
	struct dd_result *r = base();
	r->dmarc.policy = DD_POLICY_REJECT;
	judged(r);
	assert_null(dd_test_finding(r, "provider.docomo"));
	dd_result_destroy(r);
}

static void test_fixture(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run,
	                                    "example.com MX 10 mx.example.com.\n"
	                                    "_dmarc.example.com TXT \"v=DMARC1; p=quarantine\"\n",
	                                    "example.com");
	const struct dd_finding *f = dd_test_finding(r, "provider.gmail-yahoo");
	assert_non_null(f);
	assert_string_equal(f->args[1], "SPF, DKIM");
	assert_non_null(dd_test_finding(r, "provider.docomo"));
	dd_test_run_finish(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compliant_sender),
		cmocka_unit_test(test_what_is_lacking),
		cmocka_unit_test(test_failures_are_not_lacks),
		cmocka_unit_test(test_non_senders_are_exempt),
		cmocka_unit_test(test_docomo),
		cmocka_unit_test(test_fixture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
