/*
 * test_result.c: what dd_judge() adds to every check - the DNS-failure
 * accounting - and the shared non-sending test.
 */
#include <string.h>

#include "helpers.h"

static bool non_sending(const char *fixture)
{
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, fixture, "example.com");
	bool v = dd_result_is_non_sending(r);
	dd_test_run_finish(&run);
	return v;
}

static void test_non_sending(void **state)
{
	(void)state;
	assert_true(non_sending("example.com MX 0 .\nexample.com TXT \"v=spf1 -all\"\n"));
	assert_true(non_sending("example.com TXT \"v=spf1   -ALL \"\n")); /* no MX at all */
	assert_false(non_sending("example.com MX 10 mx.example.com.\n"
	                         "example.com TXT \"v=spf1 -all\"\n"));
	assert_false(non_sending("example.com MX 0 .\nexample.com TXT \"v=spf1 ~all\"\n"));
	assert_false(
	        non_sending("example.com MX 0 .\nexample.com TXT \"v=spf1 -all ip4:192.0.2.1\"\n"));
	assert_false(non_sending("example.com MX 0 .\n")); /* no SPF: says nothing */
	assert_false(non_sending("example.com MX !TIMEOUT\nexample.com TXT \"v=spf1 -all\"\n"));
}

static void test_some_lookups_failed(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run,
	                                    "example.com TXT \"v=spf1 -all\"\n"
	                                    "google._domainkey.example.com TXT !SERVFAIL\n",
	                                    "example.com");
	assert_int_equal(r->status, DD_RESULT_OK);
	assert_true(r->undetermined);
	const struct dd_finding *f = dd_test_finding(r, "dns.temporary-failure");
	assert_non_null(f);
	assert_string_equal(f->args[0], "google._domainkey.example.com");
	assert_string_equal(f->args[1], "TXT");
	assert_string_equal(f->args[2], "servfail");
	assert_int_equal(r->dkim.failed, 1);
	dd_test_run_finish(&run);
}

static void test_everything_failed(void **state)
{
	(void)state;
	/* every name at or below com times out */
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, "com ** !TIMEOUT\n", "example.com");
	assert_int_equal(r->status, DD_RESULT_ERROR);
	assert_string_equal(r->error.en, "every DNS lookup failed (timeout)");
	assert_string_equal(r->error.ja, "すべての DNS 問い合わせに失敗しました (timeout)");
	/* at most 8 failures are listed one by one, the rest are counted */
	assert_true(r->posture->nqueries > 9);
	assert_int_equal(dd_test_count(r, "dns.temporary-failure"), 9);
	assert_int_equal(r->dmarc.state, DD_STATE_UNDETERMINED);
	assert_int_equal(r->spf.state, DD_STATE_UNDETERMINED);
	assert_null(dd_test_finding(r, "spf.missing"));
	dd_test_run_finish(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_non_sending),
		cmocka_unit_test(test_some_lookups_failed),
		cmocka_unit_test(test_everything_failed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
