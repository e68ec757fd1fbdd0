/*
 * test_fixture.c: the fixture resolver answers as one authoritative server
 * for the whole namespace would (testdata/dns/README.md).
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/util.h"

static struct dd_answer *got;

static void on_answer(void *arg, struct dd_answer *ans)
{
	(void)arg;
	got = ans;
}

static struct dd_answer *ask(struct dd_resolver *r, const char *name, uint16_t type)
{
	got = NULL;
	dd_resolver_query(r, name, type, on_answer, NULL);
	assert_null(got); /* never from inside query() */
	dd_resolver_process(r, 0);
	assert_non_null(got);
	return got;
}

static const char fixture[] = "# a comment\n"
                              "example.com TXT \"v=spf1 \" \"-all\"\n"
                              "example.com MX 10 mail.example.com.\n"
                              "null.example.com MX 0 .\n"
                              "deep.below.example.com A 192.0.2.1\n"
                              "*.wild.example.com TXT \"wildcard\"\n"
                              "real.wild.example.com A 192.0.2.2\n"
                              "alias.example.com CNAME example.com.\n"
                              "slow.example.com TXT !TIMEOUT\n"
                              "broken.example.com * !SERVFAIL\n"
                              "dead.example.org ** !REFUSED\n";

static void test_answers(void **state)
{
	(void)state;
	char *err = NULL;
	struct dd_resolver *r = dd_resolver_fixture_create_from_string(fixture, "fx", &err);
	assert_non_null(r);

	struct dd_answer *a = ask(r, "example.com", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_int_equal(a->rrs[0].nstrings, 2);
	assert_string_equal(a->rrs[0].data, "v=spf1 -all");
	assert_int_equal(a->rrs[0].line, 2);
	dd_answer_unref(a);

	a = ask(r, "example.com", DD_RR_MX);
	assert_string_equal(a->rrs[0].data, "mail.example.com");
	assert_int_equal(a->rrs[0].pref, 10);
	dd_answer_unref(a);

	a = ask(r, "null.example.com", DD_RR_MX);
	assert_string_equal(a->rrs[0].data, ".");
	dd_answer_unref(a);

	a = ask(r, "example.com", DD_RR_AAAA);
	assert_int_equal(a->status, DD_DNS_NODATA);
	dd_answer_unref(a);

	a = ask(r, "below.example.com", DD_RR_TXT); /* empty non-terminal */
	assert_int_equal(a->status, DD_DNS_NODATA);
	dd_answer_unref(a);

	a = ask(r, "nothing.example.com", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_NXDOMAIN);
	dd_answer_unref(a);

	a = ask(r, "any.wild.example.com", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_string_equal(a->rrs[0].data, "wildcard");
	dd_answer_unref(a);

	a = ask(r, "real.wild.example.com", DD_RR_TXT); /* exists: no wildcard */
	assert_int_equal(a->status, DD_DNS_NODATA);
	dd_answer_unref(a);

	a = ask(r, "alias.example.com", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_int_equal(a->ncnames, 1);
	assert_string_equal(a->cnames[0], "example.com");
	dd_answer_unref(a);

	a = ask(r, "slow.example.com", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_TIMEOUT);
	dd_answer_unref(a);
	a = ask(r, "slow.example.com", DD_RR_A); /* the rule is for TXT only */
	assert_int_equal(a->status, DD_DNS_NODATA);
	dd_answer_unref(a);

	a = ask(r, "broken.example.com", DD_RR_MX);
	assert_int_equal(a->status, DD_DNS_SERVFAIL);
	dd_answer_unref(a);
	a = ask(r, "x.broken.example.com", DD_RR_MX); /* '*' is for the name only */
	assert_int_equal(a->status, DD_DNS_NXDOMAIN);
	dd_answer_unref(a);

	a = ask(r, "deep.below.dead.example.org", DD_RR_TXT); /* '**' covers the subtree */
	assert_int_equal(a->status, DD_DNS_REFUSED);
	dd_answer_unref(a);
	dd_resolver_destroy(r);
}

/* Names with zone-file escapes (SPF macros make such names) and records without strings. */
static void test_escapes_and_empty_records(void **state)
{
	(void)state;
	char *err = NULL;
	struct dd_resolver *r = dd_resolver_fixture_create_from_string(
	        "Macro%percent\\032\\032space.Example.COM. A 192.0.2.7\n"
	        "colon:slash/ok.example.com TXT \"v=spf1 -all\"\n"
	        "empty.example.com TXT \\# 0\n"
	        "nul.example.com TXT \"a\\000b\"\n",
	        "fx", &err);
	assert_non_null(r);
	struct dd_answer *a = ask(r, "macro%percent  space.example.com", DD_RR_A);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_string_equal(a->rrs[0].data, "192.0.2.7");
	dd_answer_unref(a);
	a = ask(r, "colon:slash/ok.example.com", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	dd_answer_unref(a);
	a = ask(r, "empty.example.com", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_int_equal(a->nrrs, 1);
	assert_int_equal(a->rrs[0].len, 0);
	assert_int_equal(a->rrs[0].nstrings, 0);
	dd_answer_unref(a);
	a = ask(r, "nul.example.com", DD_RR_TXT);
	assert_int_equal(a->rrs[0].len, 3);
	assert_memory_equal(a->rrs[0].data, "a\0b", 3);
	dd_answer_unref(a);
	dd_resolver_destroy(r);

	const char *bad[] = { "a\\00.example TXT \"x\"\n", "a\\000b.example TXT \"x\"\n",
		              "a\\999.example TXT \"x\"\n", "dot\\.in.example TXT \"x\"\n" };
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++) {
		assert_null(dd_resolver_fixture_create_from_string(bad[i], "fx", &err));
		assert_non_null(strstr(err, "is not a domain name"));
		free(err);
	}
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	char *err = NULL;
	assert_null(dd_resolver_fixture_create_from_string(
	        "a.example TXT \"ok\"\nb.example A 192.0.2.999\n", "fx", &err));
	assert_non_null(strstr(err, "fx:2:"));
	free(err);
	assert_null(dd_resolver_fixture_create_from_string("a..example TXT \"x\"\n", "fx", &err));
	assert_non_null(strstr(err, "fx:1: 'a..example' is not a domain name"));
	free(err);
	assert_null(dd_resolver_fixture_create_from_string("a.example TXT !LATER\n", "fx", &err));
	assert_non_null(strstr(err, "unknown outcome"));
	free(err);
	assert_null(dd_resolver_fixture_create("/nonexistent/fixture", &err));
	assert_non_null(strstr(err, "/nonexistent/fixture"));
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_escapes_and_empty_records),
		cmocka_unit_test(test_errors_name_the_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
