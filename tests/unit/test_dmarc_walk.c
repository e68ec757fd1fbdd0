/*
 * test_dmarc_walk.c: DMARC policy discovery by the RFC 9989 §4.10 DNS Tree
 * Walk, over fixtures: the names asked, which record applies, and the
 * effective policy (p, sp, np).
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

static void test_walk_names(void **state)
{
	(void)state;
	char names[DD_DMARC_WALK_MAX][DD_NAME_MAX + 1];
	/* RFC 9989 §4.10: the example of the text, eight queries at most */
	size_t n = dd_dmarc_walk_names("a.b.c.d.e.f.g.h.i.j.mail.example.com", names,
	                               DD_DMARC_WALK_MAX);
	assert_int_equal(n, 8);
	assert_string_equal(names[0], "_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com");
	assert_string_equal(names[1], "_dmarc.g.h.i.j.mail.example.com");
	assert_string_equal(names[2], "_dmarc.h.i.j.mail.example.com");
	assert_string_equal(names[5], "_dmarc.mail.example.com");
	assert_string_equal(names[6], "_dmarc.example.com");
	assert_string_equal(names[7], "_dmarc.com");

	n = dd_dmarc_walk_names("example.co.jp", names, DD_DMARC_WALK_MAX);
	assert_int_equal(n, 3);
	assert_string_equal(names[1], "_dmarc.co.jp");
	assert_string_equal(names[2], "_dmarc.jp");

	/* seven labels: every one is asked; eight: the first jump is a single label */
	n = dd_dmarc_walk_names("a.b.c.d.e.f.g", names, DD_DMARC_WALK_MAX);
	assert_int_equal(n, 7);
	assert_string_equal(names[1], "_dmarc.b.c.d.e.f.g");
	n = dd_dmarc_walk_names("a.b.c.d.e.f.g.h", names, DD_DMARC_WALK_MAX);
	assert_int_equal(n, 8);
	assert_string_equal(names[1], "_dmarc.b.c.d.e.f.g.h");
	assert_string_equal(names[7], "_dmarc.h");

	/* RFC 9989 §5.1 (large organisations) example: the zone cut at b.c.d.e.f.g.example.com is never asked */
	n = dd_dmarc_walk_names("mail.a.b.c.d.e.f.g.example.com", names, DD_DMARC_WALK_MAX);
	assert_int_equal(n, 8);
	assert_string_equal(names[1], "_dmarc.c.d.e.f.g.example.com");
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(names[i], "_dmarc.b.c.d.e.f.g.example.com");

	/* a name too long to prefix with _dmarc is skipped, the walk goes on */
	char longname[DD_NAME_MAX + 1];
	memset(longname, 'a', 63);
	memcpy(longname + 63, ".", 1);
	memset(longname + 64, 'b', 63);
	memcpy(longname + 127, ".", 1);
	memset(longname + 128, 'c', 63);
	memcpy(longname + 191, ".", 1);
	memset(longname + 192, 'd', 57);
	memcpy(longname + 249, ".com", 5); /* 253 octets */
	n = dd_dmarc_walk_names(longname, names, DD_DMARC_WALK_MAX);
	assert_int_equal(n, 4);
	assert_memory_equal(names[0], "_dmarc.bbb", 10);
}

struct expect {
	enum dd_record_state state;
	const char *found_at;
	enum dd_policy policy;
	bool inherited;
	const char *org;
};

static void discover(const char *fixture, const char *domain, struct expect e)
{
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, fixture, domain);
	assert_int_equal(r->dmarc.state, e.state);
	if (e.found_at)
		assert_string_equal(r->dmarc.found_at, e.found_at);
	else
		assert_null(r->dmarc.found_at);
	if (e.state == DD_STATE_FOUND) {
		assert_int_equal(r->dmarc.policy, e.policy);
		assert_int_equal(r->dmarc.inherited, e.inherited);
	}
	if (e.org)
		assert_string_equal(r->dmarc.org_domain, e.org);
	dd_test_run_finish(&run);
}

static void test_own_record(void **state)
{
	(void)state;
	discover("_dmarc.example.com TXT \"v=DMARC1; p=reject; sp=none\"\n"
	         "example.com TXT \"v=spf1 -all\"\n",
	         "example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_REJECT, false,
	                          "example.com" });
}

static void test_subdomain_gets_sp(void **state)
{
	(void)state;
	const char *fx = "_dmarc.example.com TXT \"v=DMARC1; p=reject; sp=quarantine; np=none\"\n"
	                 "mail.example.com A 192.0.2.1\n";
	discover(fx, "mail.example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_QUARANTINE, true,
	                          "example.com" });
	/* RFC 9989: np applies to a subdomain that does not exist */
	discover(fx, "ghost.example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_NONE, true,
	                          "example.com" });
}

static void test_np_falls_back_to_sp_then_p(void **state)
{
	(void)state;
	discover("_dmarc.example.com TXT \"v=DMARC1; p=none; sp=reject\"\n"
	         "example.com A 192.0.2.1\n",
	         "ghost.example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_REJECT, true,
	                          NULL });
	discover("_dmarc.example.com TXT \"v=DMARC1; p=quarantine\"\n"
	         "example.com A 192.0.2.1\n",
	         "ghost.example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_QUARANTINE, true,
	                          NULL });
}

static void test_fewest_labels_is_the_organizational_domain(void **state)
{
	(void)state;
	/* RFC 9989 §4.10.2 example: records at mail.example.com and example.com;
	 * for a.mail.example.com the Organizational Domain is example.com */
	discover("_dmarc.mail.example.com TXT \"v=DMARC1; p=none\"\n"
	         "_dmarc.example.com TXT \"v=DMARC1; p=reject; sp=quarantine\"\n"
	         "a.mail.example.com A 192.0.2.1\n",
	         "a.mail.example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_QUARANTINE, true,
	                          "example.com" });
}

static void test_psd_n_stops_the_walk(void **state)
{
	(void)state;
	discover("_dmarc.mail.example.com TXT \"v=DMARC1; p=none; sp=reject; psd=n\"\n"
	         "_dmarc.example.com TXT \"v=DMARC1; p=quarantine\"\n"
	         "a.mail.example.com A 192.0.2.1\n",
	         "a.mail.example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.mail.example.com", DD_POLICY_REJECT, true,
	                          "mail.example.com" });
}

static void test_psd_policy_applies_below(void **state)
{
	(void)state;
	/* only the public suffix publishes (psd=y): its org domain is one label
	 * below, which has no record, so the PSD policy applies (sp) */
	discover("_dmarc.example TXT \"v=DMARC1; p=reject; sp=quarantine; psd=y\"\n"
	         "shop.example A 192.0.2.1\n",
	         "shop.example",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example", DD_POLICY_QUARANTINE, true,
	                          "shop.example" });
}

static void test_several_records_are_discarded(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run,
	                                    "_dmarc.a.example.com TXT \"v=DMARC1; p=none\"\n"
	                                    "_dmarc.a.example.com TXT \"v=DMARC1; p=reject\"\n"
	                                    "_dmarc.example.com TXT \"v=DMARC1; p=quarantine\"\n",
	                                    "a.example.com");
	/* RFC 9989 §4.10 step 2: both discarded, the walk goes on */
	assert_non_null(dd_test_finding(r, "dmarc.multiple"));
	assert_int_equal(r->dmarc.state, DD_STATE_FOUND);
	assert_string_equal(r->dmarc.found_at, "_dmarc.example.com");
	assert_null(dd_test_finding(r, "dmarc.missing"));
	dd_test_run_finish(&run);
}

static void test_missing(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run,
	                                    "example.com MX 10 mx.example.com.\n"
	                                    "example.com TXT \"v=spf1 mx -all\"\n"
	                                    "_dmarc.example.com TXT \"some other text\"\n",
	                                    "example.com");
	assert_int_equal(r->dmarc.state, DD_STATE_MISSING);
	assert_non_null(dd_test_finding(r, "dmarc.missing"));
	/* RFC 9989 §4.10 step 2 discards it; it is reported, as information */
	const struct dd_finding *f = dd_test_finding(r, "dmarc.other-txt");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_INFO);
	assert_int_equal(r->advice.current, DD_STAGE_MISSING);
	assert_int_equal(r->advice.next, DD_STAGE_NONE);
	dd_test_run_finish(&run);
}

static void test_failure_above_leaves_it_undetermined(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run,
	                                    "mail.example.com A 192.0.2.1\n"
	                                    "_dmarc.example.com TXT !TIMEOUT\n",
	                                    "mail.example.com");
	assert_int_equal(r->dmarc.state, DD_STATE_UNDETERMINED);
	assert_null(dd_test_finding(r, "dmarc.missing"));
	assert_non_null(dd_test_finding(r, "dns.temporary-failure"));
	assert_true(r->undetermined);
	assert_int_equal(r->status, DD_RESULT_OK);
	assert_false(r->advice.present);
	dd_test_run_finish(&run);

	/* the domain's own record decides, whatever failed above it */
	r = dd_test_check(&run,
	                  "_dmarc.mail.example.com TXT \"v=DMARC1; p=reject\"\n"
	                  "_dmarc.example.com TXT !SERVFAIL\n",
	                  "mail.example.com");
	assert_int_equal(r->dmarc.state, DD_STATE_FOUND);
	assert_int_equal(r->dmarc.policy, DD_POLICY_REJECT);
	assert_null(r->dmarc.org_domain);
	dd_test_run_finish(&run);
}

static void test_rua_without_p_is_none(void **state)
{
	(void)state;
	discover("_dmarc.example.com TXT \"v=DMARC1; rua=mailto:d@example.com\"\n", "example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_NONE, false,
	                          NULL });
}

static void test_cname_in_fixture(void **state)
{
	(void)state;
	discover("_dmarc.example.com CNAME _dmarc.policy.example.net\n"
	         "_dmarc.policy.example.net TXT \"v=DMARC1; p=reject\"\n",
	         "example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_REJECT, false,
	                          NULL });
}

static void test_psd_y_on_the_first_record_stops_the_walk(void **state)
{
	(void)state;
	/* RFC 9989 §4.10 step 2: a psd tag on the first record stops the walk; the
	 * record at _dmarc.example is never asked by a receiver, so it cannot make
	 * "example" the Organizational Domain */
	discover("_dmarc.bank.example TXT \"v=DMARC1; p=reject; psd=y\"\n"
	         "_dmarc.example TXT \"v=DMARC1; p=none\"\n",
	         "bank.example",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.bank.example", DD_POLICY_REJECT, false,
	                          "bank.example" });
	/* RFC 9989 Appendix B, PSD example: the walk from giant.bank.example stops at
	 * bank.example (psd=y): the Organizational Domain is giant.bank.example */
	discover("_dmarc.giant.bank.example TXT \"v=DMARC1; p=quarantine\"\n"
	         "_dmarc.bank.example TXT \"v=DMARC1; p=reject; psd=y\"\n"
	         "_dmarc.example TXT \"v=DMARC1; p=none\"\n"
	         "mail.giant.bank.example A 192.0.2.1\n",
	         "mail.giant.bank.example",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.giant.bank.example", DD_POLICY_QUARANTINE,
	                          true, "giant.bank.example" });
}

static void test_failure_beyond_the_stop_does_not_matter(void **state)
{
	(void)state;
	/* psd=n at example.com stops the walk: _dmarc.com is never asked by a receiver */
	discover("_dmarc.example.com TXT \"v=DMARC1; p=reject; psd=n\"\n"
	         "a.example.com A 192.0.2.1\n"
	         "_dmarc.com TXT !SERVFAIL\n",
	         "a.example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_REJECT, true,
	                          "example.com" });
}

static void test_invalid_sp_or_np(void **state)
{
	(void)state;
	/* RFC 9989 §4.10.1: an invalid sp (or np) makes the record p=none when it has a
	 * valid rua, and no DMARC at all otherwise - for the domain itself too */
	discover("_dmarc.example.com TXT \"v=DMARC1; p=reject; sp=bogus; "
	         "rua=mailto:d@example.com\"\n",
	         "example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_NONE, false,
	                          NULL });
	discover("_dmarc.example.com TXT \"v=DMARC1; p=reject; np=bogus\"\n"
	         "a.example.com A 192.0.2.1\n",
	         "a.example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_INVALID, true,
	                          NULL });
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run, "_dmarc.example.com TXT \"v=DMARC1; p=reject; sp=bogus\"\n", "example.com");
	assert_int_equal(r->advice.current, DD_STAGE_MISSING);
	const struct dd_finding *f = dd_test_finding(r, "dmarc.syntax");
	assert_non_null(f);
	assert_string_equal(f->args[1], "sp=bogus");
	dd_test_run_finish(&run);
}

static void test_existence(void **state)
{
	(void)state;
	const char *rec = "_dmarc.example.com TXT \"v=DMARC1; p=reject; sp=none; np=quarantine\"\n";
	char fx[512];
	/* a name that exists with no TXT at all (NODATA) gets sp, RFC 9989 Appendix A.4 */
	snprintf(fx, sizeof(fx), "%smail.example.com MX 10 mx.example.net.\n", rec);
	discover(fx, "mail.example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_NONE, true,
	                          NULL });
	/* NXDOMAIN: np */
	discover(rec, "ghost.example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_QUARANTINE, true,
	                          NULL });
	/* every question about the name failed and sp and np disagree: undetermined */
	snprintf(fx, sizeof(fx), "%sx.example.com * !TIMEOUT\n", rec);
	discover(fx, "x.example.com",
	         (struct expect){ DD_STATE_UNDETERMINED, NULL, 0, false, NULL });
	/* ... but when they agree it does not matter */
	snprintf(fx, sizeof(fx),
	         "_dmarc.example.com TXT \"v=DMARC1; p=reject\"\nx.example.com * !TIMEOUT\n");
	discover(fx, "x.example.com",
	         (struct expect){ DD_STATE_FOUND, "_dmarc.example.com", DD_POLICY_REJECT, true,
	                          NULL });
}

static void test_deep_name(void **state)
{
	(void)state;
	/* RFC 9989 Appendix B "Deep Tree Walk": 14 labels, eight names asked */
	struct dd_test_run run = { 0 };
	struct dd_result *r =
	        dd_test_check(&run,
	                      "_dmarc.example.com TXT \"v=DMARC1; p=reject; sp=quarantine\"\n"
	                      "a.b.c.d.e.f.g.h.i.j.k.example.com A 192.0.2.1\n",
	                      "a.b.c.d.e.f.g.h.i.j.k.example.com");
	assert_int_equal(r->dmarc.state, DD_STATE_FOUND);
	assert_string_equal(r->dmarc.found_at, "_dmarc.example.com");
	assert_string_equal(r->dmarc.org_domain, "example.com");
	assert_int_equal(r->dmarc.policy, DD_POLICY_QUARANTINE);
	size_t walk = 0;
	for (size_t i = 0; i < r->posture->nqueries; i++)
		walk += strncmp(r->posture->queries[i].name, "_dmarc.", 7) == 0;
	assert_int_equal(walk, 8);
	assert_true(dd_posture_find(r->posture, "_dmarc.g.h.i.j.k.example.com", DD_RR_TXT) >= 0);
	assert_true(dd_posture_find(r->posture, "_dmarc.f.g.h.i.j.k.example.com", DD_RR_TXT) < 0);
	dd_test_run_finish(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_names),
		cmocka_unit_test(test_own_record),
		cmocka_unit_test(test_subdomain_gets_sp),
		cmocka_unit_test(test_np_falls_back_to_sp_then_p),
		cmocka_unit_test(test_fewest_labels_is_the_organizational_domain),
		cmocka_unit_test(test_psd_n_stops_the_walk),
		cmocka_unit_test(test_psd_policy_applies_below),
		cmocka_unit_test(test_several_records_are_discarded),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_failure_above_leaves_it_undetermined),
		cmocka_unit_test(test_rua_without_p_is_none),
		cmocka_unit_test(test_cname_in_fixture),
		cmocka_unit_test(test_psd_y_on_the_first_record_stops_the_walk),
		cmocka_unit_test(test_failure_beyond_the_stop_does_not_matter),
		cmocka_unit_test(test_invalid_sp_or_np),
		cmocka_unit_test(test_existence),
		cmocka_unit_test(test_deep_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
