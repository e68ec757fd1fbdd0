/*
 * test_dmarc_checks.c: the DMARC check's findings over fixtures - the text
 * of the record (syntax with tag and column, removed and unknown tags, test
 * mode, no p), what else sits at _dmarc (several records, quotes pasted
 * into the data, other TXT, a record at the apex), CNAMEs, and where
 * receivers that follow RFC 7489 (Public Suffix List) decide differently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/util.h"

static bool message_has(const struct dd_finding *f, const char *text)
{
	char *m = dd_finding_message(f, DD_LANG_EN);
	bool has = strstr(m, text) != NULL;
	if (!has)
		fprintf(stderr, "message: %s\n", m);
	free(m);
	return has;
}

static void test_syntax_names_tag_and_column(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run, "_dmarc.example.com TXT \"v=DMARC1; p=foo; rua=mailto:dmarc@example.com\"\n",
	        "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.syntax");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_ERROR);
	assert_string_equal(f->args[0], "_dmarc.example.com");
	assert_string_equal(f->args[1], "p=foo");
	assert_string_equal(f->args[2], "13");
	assert_int_equal(f->column, 13);
	assert_string_equal(f->record, "v=DMARC1; p=foo; rua=mailto:dmarc@example.com");
	assert_true(message_has(f, "p=none if it has a valid rua"));
	/* RFC 9989 §4.10.1: an invalid p with a valid rua is p=none */
	assert_int_equal(r->dmarc.policy, DD_POLICY_NONE);
	dd_test_run_finish(&run);

	/* grammar errors name the piece that does not parse */
	r = dd_test_check(&run, "_dmarc.example.com TXT \"v=DMARC1; p=none; rua\"\n",
	                  "example.com");
	f = dd_test_finding(r, "dmarc.syntax");
	assert_non_null(f);
	assert_string_equal(f->args[1], "rua");
	dd_test_run_finish(&run);
}

static void test_notes_on_tags(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run,
	        "_dmarc.example.com TXT \"v=DMARC1; p=quarantine; pct=50; rf=afrf; ri=3600; "
	        "rua=mailto:d@example.com!10m; ruf=https://example.com/r; "
	        "rau=mailto:x@example.com\"\n",
	        "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.pct-obsolete");
	assert_non_null(f);
	assert_string_equal(f->args[0], "50");
	assert_int_equal(f->severity, DD_SEV_WARNING);
	assert_true(message_has(f, "RFC 7489 receivers to 50%"));
	assert_int_equal(dd_test_count(r, "dmarc.removed-tag"), 2);
	f = dd_test_finding(r, "dmarc.unknown-tag");
	assert_non_null(f);
	assert_string_equal(f->args[1], "rau");
	assert_non_null(dd_test_finding(r, "dmarc.uri-size"));
	assert_non_null(dd_test_finding(r, "dmarc.uri-scheme"));
	assert_null(dd_test_finding(r, "dmarc.syntax"));
	dd_test_run_finish(&run);

	/* more report URIs than the parser reads: a warning where the rest starts */
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "_dmarc.example.com TXT \"v=DMARC1; p=none; rua=mailto:r0@example.com");
	for (int i = 1; i < 17; i++)
		dd_strbuf_addf(&fx, "\" \",mailto:r%d@example.com", i);
	dd_strbuf_adds(&fx, "\"\n");
	r = dd_test_check(&run, fx.s, "example.com");
	f = dd_test_finding(r, "dmarc.syntax");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_WARNING);
	assert_true(message_has(f, "more report URIs than dmarc-doctor reads (16)"));
	assert_int_equal(f->column, strstr(r->dmarc.record, "mailto:r16@") - r->dmarc.record + 1);
	dd_test_run_finish(&run);
	dd_strbuf_finish(&fx);

	/* pct=100 means what every receiver does: information only */
	r = dd_test_check(&run, "_dmarc.example.com TXT \"v=DMARC1; p=reject; pct=100\"\n",
	                  "example.com");
	f = dd_test_finding(r, "dmarc.pct-obsolete");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_INFO);
	dd_test_run_finish(&run);
}

static void test_p_missing(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run, "_dmarc.example.com TXT \"v=DMARC1; rua=mailto:d@example.com\"\n",
	        "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.p-missing");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_WARNING);
	assert_int_equal(r->dmarc.policy, DD_POLICY_NONE);
	dd_test_run_finish(&run);

	r = dd_test_check(&run, "_dmarc.example.com TXT \"v=DMARC1; adkim=s\"\n", "example.com");
	f = dd_test_finding(r, "dmarc.p-missing");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_ERROR);
	assert_int_equal(r->dmarc.policy, DD_POLICY_INVALID);
	assert_int_equal(r->advice.current, DD_STAGE_MISSING);
	dd_test_run_finish(&run);
}

static void test_testing_mode(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run,
	        "_dmarc.example.com TXT \"v=DMARC1; p=reject; t=y; rua=mailto:d@example.com\"\n",
	        "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.testing");
	assert_non_null(f);
	assert_string_equal(f->args[1], "reject");
	assert_string_equal(f->args[2], "quarantine");
	assert_int_equal(r->dmarc.t, 'y');
	dd_test_run_finish(&run);
}

static void test_quoted_record(void **state)
{
	(void)state;
	/* lekwati.com (corpus zones/ZONES.md): the zone file held "\"v=DMARC1; ...\"" */
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run,
	        "example.com MX 10 mx.example.com.\n"
	        "_dmarc.example.com TXT \"\\\"v=DMARC1; p=none; rua=mailto:d@example.com\\\"\"\n",
	        "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.not-recognized");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_ERROR);
	assert_true(message_has(f, "double quote"));
	assert_int_equal(f->record[0], '"');
	assert_non_null(dd_test_finding(r, "dmarc.missing"));
	assert_null(dd_test_finding(r, "dmarc.other-txt"));
	assert_int_equal(r->dmarc.state, DD_STATE_MISSING);
	dd_test_run_finish(&run);

	/* v=dmarc1 beside a valid record: noise, a warning */
	r = dd_test_check(&run,
	                  "_dmarc.example.com TXT \"v=DMARC1; p=reject\"\n"
	                  "_dmarc.example.com TXT \"v=dmarc1; p=none\"\n",
	                  "example.com");
	f = dd_test_finding(r, "dmarc.not-recognized");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_WARNING);
	assert_true(message_has(f, "exactly DMARC1"));
	assert_int_equal(r->dmarc.policy, DD_POLICY_REJECT);
	dd_test_run_finish(&run);
}

static void test_other_txt_and_apex(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run,
	                                    "_dmarc.example.com TXT \"v=DMARC1; p=none\"\n"
	                                    "_dmarc.example.com TXT \"v=spf1 -all\"\n",
	                                    "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.other-txt");
	assert_non_null(f);
	assert_true(message_has(f, "SPF record"));
	assert_int_equal(r->dmarc.state, DD_STATE_FOUND);
	dd_test_run_finish(&run);

	/* checkdmarc: "DMARC record at root has no effect" */
	r = dd_test_check(&run,
	                  "example.com TXT \"v=spf1 -all\"\n"
	                  "example.com TXT \"v=DMARC1; p=reject\"\n",
	                  "example.com");
	f = dd_test_finding(r, "dmarc.missing");
	assert_non_null(f);
	assert_true(message_has(f, "never read"));
	assert_string_equal(f->record, "v=DMARC1; p=reject");
	dd_test_run_finish(&run);
}

static void test_several_records(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run,
	                                    "_dmarc.example.com TXT \"v=DMARC1; p=reject\"\n"
	                                    "_dmarc.example.com TXT \"v=DMARC1; p=none\"\n",
	                                    "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.multiple");
	assert_non_null(f);
	assert_string_equal(f->args[1], "2");
	assert_non_null(strchr(f->record, '\n'));
	/* nothing above: no policy, but "missing" is not what is wrong */
	assert_null(dd_test_finding(r, "dmarc.missing"));
	assert_int_equal(r->dmarc.state, DD_STATE_MISSING);
	assert_int_equal(r->advice.current, DD_STAGE_MISSING);
	assert_int_equal(r->advice.nblockers, 1);
	assert_string_equal(r->advice.blockers[0], "dmarc.multiple");
	dd_test_run_finish(&run);
}

static void test_cname(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r =
	        dd_test_check(&run,
	                      "_dmarc.example.com CNAME _dmarc.policy.example.net\n"
	                      "_dmarc.policy.example.net TXT \"v=DMARC1; p=quarantine\"\n",
	                      "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.cname");
	assert_non_null(f);
	assert_string_equal(f->args[1], "_dmarc.policy.example.net");
	assert_string_equal(r->dmarc.cname_target, "_dmarc.policy.example.net");
	assert_string_equal(r->dmarc.found_at, "_dmarc.example.com");
	dd_test_run_finish(&run);
}

static void test_policy_none_names_the_tag(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run,
	        "_dmarc.example.com TXT \"v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com\"\n"
	        "a.example.com A 192.0.2.1\n",
	        "a.example.com");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.policy-none");
	assert_non_null(f);
	assert_true(message_has(f, "sp=none in the record at _dmarc.example.com"));
	dd_test_run_finish(&run);
}

/* A Public Suffix List that knows one rule: every name's last two labels. */
static bool two_labels(const void *ctx, const char *domain, char *out, size_t outsz)
{
	(void)ctx;
	const char *cur = domain;
	while (dd_name_labels(cur) > 2)
		cur = dd_name_parent(cur);
	if (dd_name_labels(cur) < 2 || strlen(cur) + 1 > outsz)
		return false;
	memcpy(out, cur, strlen(cur) + 1);
	return true;
}

static struct dd_result *with_psl(struct dd_test_run *run, const char *fixture, const char *domain)
{
	run->opts.psl_org_domain = two_labels;
	return dd_test_check(run, fixture, domain);
}

static void test_psl_view(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	/* a PSD that publishes without psd=y: the walk makes it the Organizational
	 * Domain (RFC 9989, Relaxed Alignment Considerations); the PSL does not */
	struct dd_result *r = with_psl(&run,
	                               "_dmarc.example TXT \"v=DMARC1; p=reject\"\n"
	                               "shop.example MX 10 mx.shop.example.\n",
	                               "shop.example");
	assert_string_equal(r->dmarc.org_domain, "example");
	assert_string_equal(r->dmarc.psl_org_domain, "shop.example");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.org-domain-differs");
	assert_non_null(f);
	assert_string_equal(f->args[1], "example");
	assert_string_equal(f->args[2], "shop.example");
	/* RFC 7489 receivers find no record at all for shop.example */
	assert_true(r->dmarc.rfc7489_known);
	assert_int_equal(r->dmarc.rfc7489_policy, DD_POLICY_INVALID);
	f = dd_test_finding(r, "dmarc.rfc7489-differs");
	assert_non_null(f);
	assert_true(message_has(f, "apply no DMARC policy"));
	dd_test_run_finish(&run);

	/* several records: RFC 9989 walks on, RFC 7489 stops (§6.6.3 step 5) */
	r = with_psl(&run,
	             "_dmarc.a.example.com TXT \"v=DMARC1; p=none\"\n"
	             "_dmarc.a.example.com TXT \"v=DMARC1; p=reject\"\n"
	             "_dmarc.example.com TXT \"v=DMARC1; p=quarantine\"\n",
	             "a.example.com");
	assert_int_equal(r->dmarc.policy, DD_POLICY_QUARANTINE);
	assert_int_equal(r->dmarc.rfc7489_policy, DD_POLICY_INVALID);
	assert_non_null(dd_test_finding(r, "dmarc.rfc7489-differs"));
	assert_null(dd_test_finding(r, "dmarc.org-domain-differs"));
	dd_test_run_finish(&run);

	/* np is not RFC 7489's: a name that does not exist gets sp there */
	r = with_psl(&run, "_dmarc.example.com TXT \"v=DMARC1; p=reject; sp=none; np=reject\"\n",
	             "ghost.example.com");
	assert_int_equal(r->dmarc.policy, DD_POLICY_REJECT);
	assert_int_equal(r->dmarc.rfc7489_policy, DD_POLICY_NONE);
	assert_string_equal(r->dmarc.rfc7489_found_at, "_dmarc.example.com");
	f = dd_test_finding(r, "dmarc.rfc7489-differs");
	assert_non_null(f);
	assert_string_equal(f->args[1], "none");
	assert_string_equal(f->args[3], "reject");
	dd_test_run_finish(&run);

	/* both agree: nothing to say */
	r = with_psl(&run, "_dmarc.example.com TXT \"v=DMARC1; p=reject\"\n", "example.com");
	assert_null(dd_test_finding(r, "dmarc.rfc7489-differs"));
	assert_null(dd_test_finding(r, "dmarc.org-domain-differs"));
	assert_int_equal(r->dmarc.rfc7489_policy, DD_POLICY_REJECT);
	dd_test_run_finish(&run);

	/* the PSL's Organizational Domain beyond the eight walk names is asked too */
	r = with_psl(&run,
	             "_dmarc.example.com TXT \"v=DMARC1; p=reject\"\n"
	             "a.b.c.d.e.f.g.h.i.example.com A 192.0.2.1\n",
	             "a.b.c.d.e.f.g.h.i.example.com");
	assert_true(dd_posture_find(r->posture, "_dmarc.example.com", DD_RR_TXT) >= 0);
	dd_test_run_finish(&run);
}

static void test_real_psl(void **state)
{
	(void)state;
	/* helpers.c attaches libpsl as cmd/run.c does */
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, "_dmarc.example.co.jp TXT \"v=DMARC1; p=none\"\n",
	                                    "mail.example.co.jp");
	assert_non_null(r->dmarc.psl_org_domain);
	assert_string_equal(r->dmarc.psl_org_domain, "example.co.jp");
	assert_string_equal(r->dmarc.org_domain, "example.co.jp");
	assert_null(dd_test_finding(r, "dmarc.org-domain-differs"));
	dd_test_run_finish(&run);

	run.no_psl = true;
	r = dd_test_check(&run, "_dmarc.example.co.jp TXT \"v=DMARC1; p=none\"\n",
	                  "mail.example.co.jp");
	assert_null(r->dmarc.psl_org_domain);
	assert_false(r->dmarc.rfc7489_known);
	dd_test_run_finish(&run);
}

static bool hostile_psl(const void *ctx, const char *domain, char *out, size_t outsz)
{
	(void)ctx;
	(void)domain;
	snprintf(out, outsz, "%s", "unrelated.example");
	return true;
}

static void test_psl_answer_is_checked(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	run.opts.psl_org_domain = hostile_psl;
	struct dd_result *r =
	        dd_test_check(&run, "_dmarc.example.com TXT \"v=DMARC1; p=none\"\n", "example.com");
	assert_null(r->dmarc.psl_org_domain); /* not an ancestor: ignored */
	dd_test_run_finish(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax_names_tag_and_column),
		cmocka_unit_test(test_notes_on_tags),
		cmocka_unit_test(test_p_missing),
		cmocka_unit_test(test_testing_mode),
		cmocka_unit_test(test_quoted_record),
		cmocka_unit_test(test_other_txt_and_apex),
		cmocka_unit_test(test_several_records),
		cmocka_unit_test(test_cname),
		cmocka_unit_test(test_policy_none_names_the_tag),
		cmocka_unit_test(test_psl_view),
		cmocka_unit_test(test_real_psl),
		cmocka_unit_test(test_psl_answer_is_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
