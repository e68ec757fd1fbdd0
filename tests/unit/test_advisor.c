/*
 * test_advisor.c: the advisor over results built by hand (dd_advise is
 * pure; the SPF and DKIM findings it reads come from other checkers) and
 * over fixtures. The record it advises is always a valid DMARC record -
 * parsed back here with the checker's own parser - and keeps the domain's
 * reporting addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/util.h"

static struct dd_result *sending(const char *domain)
{
	struct dd_result *r = dd_result_create(domain, domain);
	r->mx.state = DD_STATE_FOUND;
	r->mx.nhosts = 1;
	r->spf.state = DD_STATE_FOUND;
	r->spf.record = xstrdup("v=spf1 mx -all");
	r->spf.record_len = strlen(r->spf.record);
	r->dkim.probed = 39;
	return r;
}

static struct dd_result *parked(const char *domain)
{
	struct dd_result *r = dd_result_create(domain, domain);
	r->mx.state = DD_STATE_FOUND;
	r->mx.null_mx = true;
	r->mx.nhosts = 1;
	r->spf.state = DD_STATE_FOUND;
	r->spf.record = xstrdup("v=spf1 -all");
	r->spf.record_len = strlen(r->spf.record);
	r->dkim.probed = 39;
	return r;
}

/* The domain publishes `record` at _dmarc.<at>; `at` is the domain or its parent. */
static void record_at(struct dd_result *r, const char *at, const char *record, bool exists)
{
	struct dd_dmarc_record rec;
	assert_true(dd_dmarc_parse(record, strlen(record), &rec));
	struct dd_dmarc_info *d = &r->dmarc;
	d->state = DD_STATE_FOUND;
	d->record = xstrdup(record);
	d->record_len = strlen(record);
	d->found_at = xasprintf("_dmarc.%s", at);
	d->org_domain = xstrdup(at);
	d->inherited = strcmp(at, r->domain) != 0;
	d->exists = exists;
	d->p = rec.p;
	d->sp = rec.sp;
	d->np = rec.np;
	d->t = rec.t;
	if (!d->inherited) {
		d->policy = dd_dmarc_requested_policy(&rec);
	} else {
		enum dd_policy base = dd_dmarc_requested_policy(&rec);
		d->policy = base != rec.p                          ? base
		            : !exists && rec.np != DD_POLICY_UNSET ? rec.np
		            : rec.sp != DD_POLICY_UNSET            ? rec.sp
		                                                   : rec.p;
	}
}

static void own_record(struct dd_result *r, const char *record)
{
	record_at(r, r->domain, record, true);
}

static void no_record(struct dd_result *r)
{
	r->dmarc.state = DD_STATE_MISSING;
	r->dmarc.org_domain = xstrdup(r->domain);
	r->dmarc.exists = true;
}

static void finding(struct dd_result *r, const char *id, enum dd_severity sev)
{
	struct dd_finding *f = dd_findings_add(&r->findings, id, "x", "y", "z", NULL);
	f->severity = sev;
}

static bool has_placeholder(const char *s)
{
	for (; *s; s++)
		if (s[0] == '{' && s[1] >= '1' && s[1] <= '9' && s[2] == '}')
			return true;
	return false;
}

/* Every step reads in both languages, and one of them contains `text` (or NULL). */
static bool steps_have(const struct dd_advice *a, const char *text)
{
	bool found = text == NULL;
	for (size_t i = 0; i < a->nsteps; i++) {
		char *en = dd_step_format(&a->steps[i], DD_LANG_EN);
		char *ja = dd_step_format(&a->steps[i], DD_LANG_JA);
		assert_false(has_placeholder(en));
		assert_false(has_placeholder(ja));
		assert_true(strlen(ja) > 0);
		found |= text && strstr(en, text) != NULL;
		free(en);
		free(ja);
	}
	return found;
}

/* The advised record parses back as DMARC with no error. */
static void assert_valid_record(const char *record)
{
	struct dd_dmarc_record rec;
	if (!dd_dmarc_parse(record, strlen(record), &rec))
		fail_msg("not a DMARC record: %s", record);
	/* not even a note: nothing removed, unknown or malformed is carried over */
	for (size_t i = 0; i < rec.nproblems; i++)
		fail_msg("problem %d in the advised record %s", rec.problems[i].kind, record);
	assert_true(dd_policy_valid(rec.p));
}

static struct dd_advice advise(const struct dd_result *r)
{
	struct dd_advice a;
	dd_advise(r, &a);
	if (a.record)
		assert_valid_record(a.record);
	assert_true(steps_have(&a, NULL));
	return a;
}

static void test_missing(void **state)
{
	(void)state;
	struct dd_result *r = sending("example.com");
	no_record(r);
	finding(r, "spf.lookup-limit", DD_SEV_ERROR); /* p=none changes no delivery */
	struct dd_advice a = advise(r);
	assert_true(a.present);
	assert_int_equal(a.current, DD_STAGE_MISSING);
	assert_true(a.has_next);
	assert_int_equal(a.next, DD_STAGE_NONE);
	assert_int_equal(a.nblockers, 0);
	assert_string_equal(a.record,
	                    "v=DMARC1; p=none; np=reject; rua=mailto:dmarc-reports@example.com");
	assert_string_equal(a.record_name, "_dmarc.example.com");
	assert_true(steps_have(&a, "p=none changes no delivery"));
	assert_true(steps_have(&a, "create that mailbox"));
	dd_advice_finish(&a);
	dd_result_destroy(r);
}

static void test_none_to_quarantine(void **state)
{
	(void)state;
	struct dd_result *r = sending("example.com");
	own_record(r, "v=DMARC1; p=none; sp=none; adkim=s; aspf=r; fo=1; pct=50; rf=afrf; "
	              "ri=86400; rua=mailto:a@example.com,mailto:b@vendor.example!10m; "
	              "ruf=mailto:f@example.com; xyz=1");
	finding(r, "spf.ptr", DD_SEV_WARNING);
	finding(r, "spf.lookup-limit", DD_SEV_ERROR);
	finding(r, "dkim.none-found", DD_SEV_WARNING);
	finding(r, "dmarc.rua-unauthorized", DD_SEV_WARNING);
	finding(r, "dmarc.syntax", DD_SEV_WARNING); /* leading whitespace: a note only */
	struct dd_advice a = advise(r);
	assert_int_equal(a.current, DD_STAGE_NONE);
	assert_int_equal(a.next, DD_STAGE_QUARANTINE);
	assert_int_equal(a.nblockers, 3);
	assert_string_equal(a.blockers[0], "spf.lookup-limit");
	assert_string_equal(a.blockers[1], "dkim.none-found");
	assert_string_equal(a.blockers[2], "dmarc.rua-unauthorized");
	assert_string_equal(a.record, "v=DMARC1; p=quarantine; sp=none; np=reject; adkim=s; "
	                              "aspf=r; fo=1; rua=mailto:a@example.com,"
	                              "mailto:b@vendor.example; ruf=mailto:f@example.com");
	assert_true(steps_have(&a, "Fix these first"));
	assert_true(steps_have(&a, "pct=50 is left out"));
	assert_true(steps_have(&a, "rf=afrf, ri=86400 is left out"));
	assert_true(steps_have(&a, "xyz is left out"));
	assert_true(steps_have(&a, "!size"));
	assert_true(steps_have(&a, "t=y"));
	assert_true(steps_have(&a, "spam folder"));
	dd_advice_finish(&a);
	dd_result_destroy(r);
}

static void test_quarantine_to_reject(void **state)
{
	(void)state;
	struct dd_result *r = sending("example.co.jp");
	own_record(r, "v=DMARC1; p=quarantine; np=reject; rua=mailto:dmarc@example.co.jp");
	struct dd_advice a = advise(r);
	assert_int_equal(a.current, DD_STAGE_QUARANTINE);
	assert_int_equal(a.next, DD_STAGE_REJECT);
	assert_string_equal(a.record,
	                    "v=DMARC1; p=reject; np=reject; rua=mailto:dmarc@example.co.jp");
	assert_true(steps_have(&a, "mailing lists"));
	assert_true(steps_have(&a, "covers existing subdomains"));
	dd_advice_finish(&a);
	dd_result_destroy(r);
}

static void test_at_reject(void **state)
{
	(void)state;
	struct dd_result *r = sending("example.com");
	own_record(r, "v=DMARC1; p=reject; rua=mailto:d@example.com");
	struct dd_advice a = advise(r);
	assert_int_equal(a.current, DD_STAGE_REJECT);
	assert_false(a.has_next);
	assert_null(a.record);
	assert_int_equal(a.nsteps, 1);
	assert_true(steps_have(&a, "strongest"));
	dd_advice_finish(&a);
	dd_result_destroy(r);

	/* at reject, with something to tidy: the record, still no next stage */
	r = sending("example.com");
	own_record(r, "v=DMARC1; p=reject; sp=none; pct=100; rua=mailto:d@example.com");
	a = advise(r);
	assert_false(a.has_next);
	assert_string_equal(a.record,
	                    "v=DMARC1; p=reject; sp=none; np=reject; rua=mailto:d@example.com");
	assert_true(steps_have(&a, "only tidies"));
	assert_true(steps_have(&a, "sp=none leaves existing subdomains"));
	dd_advice_finish(&a);
	dd_result_destroy(r);
}

static void test_test_mode(void **state)
{
	(void)state;
	struct dd_result *r = sending("example.com");
	own_record(r, "v=DMARC1; p=quarantine; t=y; rua=mailto:d@example.com");
	struct dd_advice a = advise(r);
	/* RFC 9989 receivers apply none: the step is to remove t=y */
	assert_int_equal(a.current, DD_STAGE_NONE);
	assert_int_equal(a.next, DD_STAGE_QUARANTINE);
	assert_null(strstr(a.record, "t="));
	assert_true(steps_have(&a, "test mode"));
	dd_advice_finish(&a);
	dd_result_destroy(r);

	r = sending("example.com");
	own_record(r, "v=DMARC1; p=reject; t=y; rua=mailto:d@example.com");
	a = advise(r);
	assert_int_equal(a.current, DD_STAGE_QUARANTINE);
	assert_int_equal(a.next, DD_STAGE_REJECT);
	assert_string_equal(a.record, "v=DMARC1; p=reject; rua=mailto:d@example.com");
	dd_advice_finish(&a);
	dd_result_destroy(r);
}

static void test_non_sending(void **state)
{
	(void)state;
	struct dd_result *r = parked("example.jp");
	no_record(r);
	struct dd_advice a = advise(r);
	assert_int_equal(a.current, DD_STAGE_MISSING);
	assert_int_equal(a.next, DD_STAGE_REJECT); /* straight there */
	assert_string_equal(a.record, "v=DMARC1; p=reject");
	assert_true(steps_have(&a, "Japanese regulators"));
	assert_true(steps_have(&a, "v=spf1 -all"));
	dd_advice_finish(&a);
	dd_result_destroy(r);

	/* at none, with reporting that would be lost anyway: no enforcement blockers */
	r = parked("example.jp");
	own_record(r, "v=DMARC1; p=none; rua=mailto:d@example.jp");
	finding(r, "dmarc.report-undeliverable", DD_SEV_WARNING);
	finding(r, "dkim.none-found", DD_SEV_INFO);
	a = advise(r);
	assert_int_equal(a.next, DD_STAGE_REJECT);
	assert_int_equal(a.nblockers, 0);
	assert_string_equal(a.record, "v=DMARC1; p=reject; rua=mailto:d@example.jp");
	dd_advice_finish(&a);
	dd_result_destroy(r);
}

static void test_inherited(void **state)
{
	(void)state;
	/* an existing subdomain gets sp: the record that applies is changed where it lives */
	struct dd_result *r = sending("mail.example.com");
	record_at(r, "example.com", "v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com", true);
	struct dd_advice a = advise(r);
	assert_int_equal(a.current, DD_STAGE_NONE);
	assert_int_equal(a.next, DD_STAGE_QUARANTINE);
	assert_string_equal(a.record_name, "_dmarc.example.com");
	assert_string_equal(a.record, "v=DMARC1; p=reject; sp=quarantine; np=reject; "
	                              "rua=mailto:d@example.com");
	assert_true(steps_have(&a, "comes from the record at _dmarc.example.com"));
	dd_advice_finish(&a);
	dd_result_destroy(r);

	/* a subdomain that sends nothing gets a record of its own, not a stricter parent */
	r = parked("old.example.com");
	record_at(r, "example.com", "v=DMARC1; p=none; sp=none; np=none; rua=mailto:d@example.com",
	          true);
	a = advise(r);
	assert_int_equal(a.next, DD_STAGE_REJECT);
	assert_string_equal(a.record_name, "_dmarc.old.example.com");
	assert_string_equal(a.record, "v=DMARC1; p=reject; rua=mailto:d@example.com");
	dd_advice_finish(&a);
	dd_result_destroy(r);

	/* a name that does not exist: np=reject at the Organizational Domain, at once */
	r = dd_result_create("ghost.example.com", "ghost.example.com");
	r->mx.state = DD_STATE_MISSING;
	r->spf.state = DD_STATE_MISSING;
	record_at(r, "example.com",
	          "v=DMARC1; p=reject; sp=none; np=none; rua=mailto:d@example.com", false);
	a = advise(r);
	assert_int_equal(a.current, DD_STAGE_NONE);
	assert_int_equal(a.next, DD_STAGE_REJECT);
	assert_string_equal(a.record_name, "_dmarc.example.com");
	assert_string_equal(a.record,
	                    "v=DMARC1; p=reject; sp=none; np=reject; rua=mailto:d@example.com");
	assert_true(steps_have(&a, "does not exist"));
	dd_advice_finish(&a);
	dd_result_destroy(r);
}

static void test_broken_record(void **state)
{
	(void)state;
	/* no valid p and no rua: receivers apply no DMARC (RFC 9989 §4.10.1) */
	struct dd_result *r = sending("example.com");
	own_record(r, "v=DMARC1; p=foo; adkim=x");
	finding(r, "dmarc.syntax", DD_SEV_ERROR);
	struct dd_advice a = advise(r);
	assert_int_equal(a.current, DD_STAGE_MISSING);
	assert_int_equal(a.next, DD_STAGE_NONE);
	assert_int_equal(a.nblockers, 1);
	assert_string_equal(a.blockers[0], "dmarc.syntax");
	assert_string_equal(a.record,
	                    "v=DMARC1; p=none; np=reject; rua=mailto:dmarc-reports@example.com");
	assert_true(steps_have(&a, "p=foo, adkim=x is left out"));
	assert_true(steps_have(&a, "sets no usable policy"));
	dd_advice_finish(&a);
	dd_result_destroy(r);
}

static void test_nothing_when_undetermined(void **state)
{
	(void)state;
	struct dd_result *r = sending("example.com");
	r->dmarc.state = DD_STATE_UNDETERMINED;
	struct dd_advice a;
	dd_advise(r, &a);
	assert_false(a.present);
	assert_null(a.record);
	dd_advice_finish(&a);
	dd_result_destroy(r);
}

/* A domain that cannot receive its own reports gets no invented address. */
static void test_no_mailbox_of_its_own(void **state)
{
	(void)state;
	struct dd_result *r = sending("example.com");
	r->mx.state = DD_STATE_MISSING;
	r->dkim.n = 0;
	no_record(r);
	struct dd_advice a = advise(r);
	assert_string_equal(a.record, "v=DMARC1; p=none; np=reject");
	assert_true(steps_have(&a, "receives no mail"));
	assert_true(steps_have(&a, "sends no mail at all"));
	dd_advice_finish(&a);
	dd_result_destroy(r);
}

/* Every record, at every stage: the advised record is valid and keeps the addresses. */
static void test_records_round_trip(void **state)
{
	(void)state;
	static const char *const records[] = {
		"v=DMARC1; p=none",
		"v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com",
		"v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; "
		"ruf=mailto:auth-reports@thirdparty.example.net",
		"v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,"
		"mailto:tld-test@thirdparty.example.net!10m; pct=25",
		"v=DMARC1; p=reject; ri = 3600; aspf=r; adkim =r; "
		"rua=mailto:dmarc-feedback@example.com!"
		"10 K , mailto:user%20@example.com ! 2G;ignore_me= true; fo=s; rf = AfrF; ",
		"v=DMARC1; p=quarantine; rua=mailto:a@example.com,mailto:b@thirdparty.example.net; "
		"fo=s:d; t=y; psd=y;;",
		"V=DMARC1; P=Reject; ADKIM=S; sp=None; np=QUARANTINE",
		"v=DMARC1; p=none; rua=reports@dmarc.example,mailto:dmarcreports@example.gov",
		"v=DMARC1; p=bob; rua=ftp://abuse.example, mailto:ok@example.com; ruf=mailto://x",
		"v=DMARC1; p=reject; p=none; sp=invalid; np=invalid; psd=x; t=x; fo=x",
		"v=DMARC1; rua=mailto:dmarc@example.com",
		"v=DMARC1; p=none; sp=none; fo=1; pct=50; adkim=r; aspf=r; rf=afrf; ri=86400; "
		"rua=mailto:eits.dmarcrua@example.gov; ruf=mailto:eits.dmarcruf@example.gov",
		" v=DMARC1; p=reject; rua=mailto:lead@example.com",
		"v=DMARC1; p=none; rua=mailto:a@example.com!lots",
		/* bytes no URI holds: left out, the record stays valid */
		"v=DMARC1; p=none; rua=mailto:d\xe9@example.com,mailto:ok@example.com",
		"v=DMARC1; p=none; rua=mailto:a b@example.com,mailto:ok@example.com",
	};
	char many_uris[1024] = "v=DMARC1; p=none; rua=mailto:r0@example.com";
	for (int i = 1; i < 17; i++)
		snprintf(many_uris + strlen(many_uris), sizeof(many_uris) - strlen(many_uris),
		         ",mailto:r%d@example.com", i);
	char many_tags[1024] = "v=DMARC1; p=none";
	for (int i = 0; i < 63; i++)
		snprintf(many_tags + strlen(many_tags), sizeof(many_tags) - strlen(many_tags),
		         "; x%d=y", i);
	strcat(many_tags, "; rua=mailto:r@example.com");
	const char *const unread[] = { many_uris, many_tags };
	for (size_t i = 0; i < DD_ARRAY_LEN(unread); i++) {
		/* what the parser did not read cannot be kept: a step says so */
		struct dd_result *r = sending("example.com");
		own_record(r, unread[i]);
		struct dd_advice a = advise(r);
		assert_true(steps_have(&a, "more than dmarc-doctor reads"));
		dd_advice_finish(&a);
		dd_result_destroy(r);
	}

	for (size_t i = 0; i < DD_ARRAY_LEN(records); i++) {
		for (int kind = 0; kind < 3; kind++) {
			struct dd_result *r =
			        kind == 1 ? parked("example.com")
			                  : sending(kind ? "a.example.com" : "example.com");
			if (kind == 2)
				record_at(r, "example.com", records[i], true);
			else
				own_record(r, records[i]);
			struct dd_advice a = advise(r);
			struct dd_dmarc_record old;
			dd_dmarc_parse(records[i], strlen(records[i]), &old);
			for (size_t u = 0; a.record && u < old.nuris; u++) {
				char uri[512];
				snprintf(uri, sizeof(uri), "%.*s", (int)old.uris[u].uri_len,
				         old.uris[u].text);
				if (old.uris[u].valid && old.uris[u].mailto &&
				    !strstr(a.record, uri))
					fail_msg("%s lost %s: %s", records[i], uri, a.record);
			}
			dd_advice_finish(&a);
			dd_result_destroy(r);
		}
	}
}

/* Over the real engine: a fixture, the advice, the record parsed back. */
static void test_fixture(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r =
	        dd_test_check(&run,
	                      "example.co.jp MX 10 mx.example.co.jp.\n"
	                      "example.co.jp TXT \"v=spf1 mx -all\"\n"
	                      "_dmarc.example.co.jp TXT \"v=DMARC1; p=none; pct=100; "
	                      "rua=mailto:dmarc@example.co.jp; ruf=mailto:f@example.co.jp\"\n",
	                      "example.co.jp");
	assert_int_equal(r->advice.current, DD_STAGE_NONE);
	assert_int_equal(r->advice.next, DD_STAGE_QUARANTINE);
	assert_string_equal(r->advice.record, "v=DMARC1; p=quarantine; np=reject; "
	                                      "rua=mailto:dmarc@example.co.jp; "
	                                      "ruf=mailto:f@example.co.jp");
	assert_valid_record(r->advice.record);
	dd_test_run_finish(&run);
}

/* A NUL byte in the record (TXT data may hold one) never reaches the advised record. */
static void test_nul_in_record(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r =
	        dd_test_check(&run,
	                      "example.com MX 10 mx.example.com.\n"
	                      "example.com TXT \"v=spf1 mx -all\"\n"
	                      "_dmarc.example.com TXT \"v=DMARC1; p=none; fo=\\000:1; "
	                      "rua=mailto:d@example.com\"\n",
	                      "example.com");
	assert_string_equal(r->advice.record,
	                    "v=DMARC1; p=quarantine; np=reject; rua=mailto:d@example.com");
	assert_valid_record(r->advice.record);
	dd_test_run_finish(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_none_to_quarantine),
		cmocka_unit_test(test_quarantine_to_reject),
		cmocka_unit_test(test_at_reject),
		cmocka_unit_test(test_test_mode),
		cmocka_unit_test(test_non_sending),
		cmocka_unit_test(test_inherited),
		cmocka_unit_test(test_broken_record),
		cmocka_unit_test(test_nothing_when_undetermined),
		cmocka_unit_test(test_no_mailbox_of_its_own),
		cmocka_unit_test(test_records_round_trip),
		cmocka_unit_test(test_nul_in_record),
		cmocka_unit_test(test_fixture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
