/*
 * test_dmarc_reports.c: report destinations of the record that applies -
 * external authorisation (RFC 9990 "Verifying External Destinations",
 * RFC 7489 §7.1), wildcard authorisation, failed lookups, and destination
 * domains that cannot receive mail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static const struct dd_dmarc_dest *dest(const struct dd_result *r, const char *host, bool ruf)
{
	for (size_t i = 0; i < r->dmarc.ndests; i++)
		if (strcmp(r->dmarc.dests[i].host, host) == 0 && r->dmarc.dests[i].ruf == ruf)
			return &r->dmarc.dests[i];
	return NULL;
}

#define RECORD(rua) "_dmarc.example.com TXT \"v=DMARC1; p=none; rua=" rua "\"\n"
#define VENDOR_MX   "vendor.example MX 10 mx.vendor.example.\n"

static void test_external_unauthorized(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run, RECORD("mailto:d@vendor.example") VENDOR_MX "vendor.example TXT \"x\"\n",
	        "example.com");
	const struct dd_dmarc_dest *d = dest(r, "vendor.example", false);
	assert_non_null(d);
	assert_true(d->external);
	assert_int_equal(d->auth, DD_REPORT_AUTH_NO);
	assert_string_equal(d->auth_name, "example.com._report._dmarc.vendor.example");
	assert_int_equal(d->mail, DD_REPORT_MAIL_YES);
	const struct dd_finding *f = dd_test_finding(r, "dmarc.rua-unauthorized");
	assert_non_null(f);
	assert_string_equal(f->args[0], "example.com");
	assert_string_equal(f->args[1], "vendor.example");
	assert_string_equal(f->args[2], "example.com._report._dmarc.vendor.example");
	assert_string_equal(f->chain[f->nchain - 1], "example.com._report._dmarc.vendor.example");
	dd_test_run_finish(&run);
}

static void test_external_authorized(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r =
	        dd_test_check(&run,
	                      RECORD("mailto:d@vendor.example") VENDOR_MX
	                      "example.com._report._dmarc.vendor.example TXT \"v=DMARC1;\"\n",
	                      "example.com");
	assert_int_equal(dest(r, "vendor.example", false)->auth, DD_REPORT_AUTH_YES);
	assert_null(dd_test_finding(r, "dmarc.rua-unauthorized"));
	dd_test_run_finish(&run);

	/* a wildcard authorises every domain (RFC 9990: *._report._dmarc.<host>) */
	r = dd_test_check(&run,
	                  RECORD("mailto:d@vendor.example") VENDOR_MX
	                  "*._report._dmarc.vendor.example TXT \"v=DMARC1\"\n",
	                  "example.com");
	assert_int_equal(dest(r, "vendor.example", false)->auth, DD_REPORT_AUTH_YES);
	assert_null(dd_test_finding(r, "dmarc.rua-unauthorized"));
	dd_test_run_finish(&run);

	/* a record there that is not v=DMARC1 authorises nothing (step 6) */
	r = dd_test_check(&run,
	                  RECORD("mailto:d@vendor.example") VENDOR_MX
	                  "example.com._report._dmarc.vendor.example TXT \"v=spf1 -all\"\n",
	                  "example.com");
	assert_int_equal(dest(r, "vendor.example", false)->auth, DD_REPORT_AUTH_NO);
	assert_non_null(dd_test_finding(r, "dmarc.rua-unauthorized"));
	dd_test_run_finish(&run);
}

static void test_failed_lookup_is_not_unauthorized(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r =
	        dd_test_check(&run,
	                      RECORD("mailto:d@vendor.example") VENDOR_MX
	                      "example.com._report._dmarc.vendor.example TXT !SERVFAIL\n",
	                      "example.com");
	assert_int_equal(dest(r, "vendor.example", false)->auth, DD_REPORT_AUTH_UNDETERMINED);
	assert_null(dd_test_finding(r, "dmarc.rua-unauthorized"));
	assert_non_null(dd_test_finding(r, "dns.temporary-failure"));
	assert_true(r->undetermined);
	dd_test_run_finish(&run);

	/* MX of the destination timed out: nobody claims it cannot receive mail */
	r = dd_test_check(&run, RECORD("mailto:d@example.com") "example.com MX !TIMEOUT\n",
	                  "example.com");
	assert_int_equal(dest(r, "example.com", false)->mail, DD_REPORT_MAIL_UNDETERMINED);
	assert_null(dd_test_finding(r, "dmarc.report-undeliverable"));
	dd_test_run_finish(&run);
}

static void test_internal_destinations(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run,
	                                    RECORD("mailto:d@example.com,mailto:r@reports.example."
	                                           "com") "example.com MX 10 mx.example.com.\n"
	                                                  "reports.example.com MX 10 "
	                                                  "mx.example.com.\n",
	                                    "example.com");
	assert_int_equal(r->dmarc.ndests, 2);
	assert_int_equal(dest(r, "reports.example.com", false)->auth, DD_REPORT_AUTH_INTERNAL);
	assert_false(dest(r, "example.com", false)->external);
	assert_null(dest(r, "example.com", false)->auth_name);
	for (size_t i = 0; i < r->posture->nqueries; i++)
		assert_null(strstr(r->posture->queries[i].name, "_report._dmarc"));
	assert_null(dd_test_finding(r, "dmarc.rua-unauthorized"));
	assert_null(dd_test_finding(r, "dmarc.report-undeliverable"));
	dd_test_run_finish(&run);
}

static void test_inherited_record_asks_for_its_own_domain(void **state)
{
	(void)state;
	/* RFC 9990 step 3: the domain the policy was retrieved from */
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run, RECORD("mailto:d@vendor.example") VENDOR_MX "mail.example.com A 192.0.2.1\n",
	        "mail.example.com");
	assert_true(r->dmarc.inherited);
	assert_string_equal(dest(r, "vendor.example", false)->auth_name,
	                    "example.com._report._dmarc.vendor.example");
	assert_true(dd_posture_find(r->posture, "example.com._report._dmarc.vendor.example",
	                            DD_RR_TXT) >= 0);
	dd_test_run_finish(&run);
}

static void test_ruf(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run,
	        "_dmarc.example.com TXT \"v=DMARC1; p=none; rua=mailto:d@example.com; "
	        "ruf=mailto:f@vendor.example\"\n"
	        "example.com MX 10 mx.example.com.\n" VENDOR_MX,
	        "example.com");
	assert_non_null(dd_test_finding(r, "dmarc.ruf-unauthorized"));
	assert_null(dd_test_finding(r, "dmarc.rua-unauthorized"));
	assert_true(dest(r, "vendor.example", true)->ruf);
	dd_test_run_finish(&run);
}

static void test_undeliverable(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	/* null MX (RFC 7505) */
	struct dd_result *r = dd_test_check(
	        &run, RECORD("mailto:d@example.com") "example.com MX 0 .\n", "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.report-undeliverable");
	assert_non_null(f);
	char *m = dd_finding_message(f, DD_LANG_EN);
	assert_non_null(strstr(m, "null MX"));
	free(m);
	assert_int_equal(dest(r, "example.com", false)->mail, DD_REPORT_MAIL_NO);
	dd_test_run_finish(&run);

	/* no MX, but an address: RFC 5321 §5.1 implicit MX, deliverable */
	r = dd_test_check(&run, RECORD("mailto:d@example.com") "example.com AAAA 2001:db8::1\n",
	                  "example.com");
	assert_int_equal(dest(r, "example.com", false)->mail, DD_REPORT_MAIL_YES);
	assert_null(dd_test_finding(r, "dmarc.report-undeliverable"));
	dd_test_run_finish(&run);

	/* no MX and no address, twice the same host: one finding */
	r = dd_test_check(
	        &run,
	        RECORD("mailto:a@nomail.example,mailto:b@nomail.example") "nomail.example TXT "
	                                                                  "\"x\"\n"
	                                                                  "example.com._report._"
	                                                                  "dmarc.nomail.example "
	                                                                  "TXT \"v=DMARC1\"\n",
	        "example.com");
	assert_int_equal(dd_test_count(r, "dmarc.report-undeliverable"), 1);
	assert_int_equal(r->dmarc.ndests, 2);
	dd_test_run_finish(&run);
}

static void test_name_too_long(void **state)
{
	(void)state;
	/* RFC 9990 step 4: the constructed name exceeds DNS limits: not authorised */
	char host[256], fx[1024];
	char label[64];
	memset(label, 'a', 63);
	label[63] = '\0';
	/* 63.63.63.40 labels + "example": 240 octets, a valid host */
	snprintf(host, sizeof(host), "%s.%s.%s.%.40s.example", label, label, label, label);
	assert_int_equal(strlen(host), 240);
	snprintf(fx, sizeof(fx),
	         "_dmarc.example.com TXT \"v=DMARC1; p=none; \" \"rua=mailto:d@%s\"\n"
	         "%s MX 10 mx.%s.\n",
	         host, host, "example");
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, fx, "example.com");
	assert_int_equal(dest(r, host, false)->auth, DD_REPORT_AUTH_NO);
	const struct dd_finding *f = dd_test_finding(r, "dmarc.rua-unauthorized");
	assert_non_null(f);
	char *m = dd_finding_message(f, DD_LANG_EN);
	assert_non_null(strstr(m, "longer than the DNS allows"));
	free(m);
	dd_test_run_finish(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_external_unauthorized),
		cmocka_unit_test(test_external_authorized),
		cmocka_unit_test(test_failed_lookup_is_not_unauthorized),
		cmocka_unit_test(test_internal_destinations),
		cmocka_unit_test(test_inherited_record_asks_for_its_own_domain),
		cmocka_unit_test(test_ruf),
		cmocka_unit_test(test_undeliverable),
		cmocka_unit_test(test_name_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
