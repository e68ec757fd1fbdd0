/*
 * test_spf_repair.c: SPF repair (checks/spf_repair.c) and its proof
 * (checks/spf_proof.c) over crafted trees served by the fixture resolver:
 * the proposed record, its lookup count, and the address-set difference.
 *
 * The property test builds random trees (seeded, deterministic) and checks,
 * for random clients, that check_host() gives the published record and the
 * proposal the same result wherever the proof says nothing changes - and
 * that results differ only inside the ranges the proof lists otherwise.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/util.h"

static struct dd_test_run run;

static struct dd_result *check(const char *fixture, const char *domain)
{
	dd_test_run_finish(&run);
	memset(&run, 0, sizeof(run));
	return dd_test_check(&run, fixture, domain);
}

static const struct dd_spf_repair *repair_of(const char *fixture)
{
	struct dd_result *r = check(fixture, "example.com");
	if (!r->spf.repair)
		fail_msg("no repair proposed for %s", r->spf.record ? r->spf.record : "(none)");
	assert_non_null(dd_test_finding(r, "spf.repair"));
	return r->spf.repair;
}

static void expect(const struct dd_spf_repair *rp, const char *record, int lookups, bool equal)
{
	if (strcmp(rp->record, record) != 0 || rp->lookups != lookups || rp->proof.equal != equal)
		fail_msg("proposed \"%s\" (%d lookups, equal %d); want \"%s\" (%d, %d)", rp->record,
		         rp->lookups, rp->proof.equal, record, lookups, equal);
	if (equal) {
		assert_int_equal(rp->proof.nadded, 0);
		assert_int_equal(rp->proof.nremoved, 0);
		assert_int_equal(rp->proof.nchanged, 0);
	}
}

static bool has_change(const struct dd_spf_repair *rp, enum dd_spf_change_kind k)
{
	for (size_t i = 0; i < rp->nchanges; i++)
		if (rp->changes[i].kind == k)
			return true;
	return false;
}

static bool listed(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static void teardown_run(void)
{
	dd_test_run_finish(&run);
	memset(&run, 0, sizeof(run));
}

/* ------------------------------------------------------ crafted trees */

static void test_duplicates_and_after_all(void **state)
{
	(void)state;
	const struct dd_spf_repair *rp = repair_of(
	        "example.com TXT \"v=spf1 include:_spf.a.example include:_spf.a.example "
	        "~include:_spf.a.example -all a:late.example.com redirect=_spf.b.example\"\n"
	        "_spf.a.example TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n"
	        "_spf.b.example TXT \"v=spf1 -all\"\n"
	        "late.example.com A 192.0.2.9\n");
	expect(rp, "v=spf1 include:_spf.a.example -all", 1, true);
	assert_true(has_change(rp, DD_SPF_CH_DUPLICATE));
	assert_true(has_change(rp, DD_SPF_CH_AFTER_ALL));
	assert_true(has_change(rp, DD_SPF_CH_REDIRECT_IGNORED));
	assert_int_equal(rp->lookups_before, 4); /* redirect= beside all is not counted */
	assert_int_equal(rp->risk, DD_SPF_RISK_NONE);
}

static void test_overlapping_ranges_v4_v6(void **state)
{
	(void)state;
	const struct dd_spf_repair *rp = repair_of(
	        "example.com TXT \"v=spf1 ip4:10.0.0.0/9 ip4:10.128.0.0/9 ip4:10.1.2.3 "
	        "ip6:2001:db8::/33 ip6:2001:db8:8000::/33 ip6:2001:db8::1 ip4:192.0.2.0/25 "
	        "ip4:192.0.2.128/26 -all\"\n");
	expect(rp,
	       "v=spf1 ip4:10.0.0.0/8 ip4:192.0.2.0/25 ip4:192.0.2.128/26 ip6:2001:db8::/32 -all",
	       0, true);
	assert_true(has_change(rp, DD_SPF_CH_MERGE_RANGES));
}

static void test_nested_include_covered(void **state)
{
	(void)state;
	/* _spf.a's addresses all come back through _spf.b, which includes it */
	const struct dd_spf_repair *rp = repair_of(
	        "example.com TXT \"v=spf1 include:_spf.a.example include:_spf.b.example ~all\"\n"
	        "_spf.a.example TXT \"v=spf1 ip4:198.51.100.0/25 -all\"\n"
	        "_spf.b.example TXT \"v=spf1 include:_spf.a.example ip4:203.0.113.0/24 "
	        "ip6:2001:db8:1::/48 -all\"\n");
	expect(rp, "v=spf1 include:_spf.b.example ~all", 2, true);
	assert_true(has_change(rp, DD_SPF_CH_COVERED_INCLUDE));
}

static void test_fail_inside_include_is_respected(void **state)
{
	(void)state;
	/* -ip4 inside _spf.b excludes 198.51.100.0/25 there, so _spf.a is not covered;
	 * the duplicate range is still dropped */
	const struct dd_spf_repair *rp = repair_of(
	        "example.com TXT \"v=spf1 include:_spf.a.example include:_spf.b.example "
	        "ip4:192.0.2.1 ip4:192.0.2.1 -all\"\n"
	        "_spf.a.example TXT \"v=spf1 ip4:198.51.100.0/25 -all\"\n"
	        "_spf.b.example TXT \"v=spf1 -ip4:198.51.100.0/25 ip4:198.51.100.0/24 -all\"\n");
	expect(rp, "v=spf1 include:_spf.a.example include:_spf.b.example ip4:192.0.2.1 -all", 2,
	       true);
}

/* Provider shapes (the names they publish; addresses from the documentation ranges). */
static const char *providers_fixture =
        "_spf.google.com TXT \"v=spf1 include:_netblocks.google.com "
        "include:_netblocks2.google.com include:_netblocks3.google.com ~all\"\n"
        "_netblocks.google.com TXT \"v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 "
        "ip4:66.102.0.0/20 ~all\"\n"
        "_netblocks2.google.com TXT \"v=spf1 ip6:2001:4860:4000::/36 ip6:2404:6800:4000::/36 "
        "~all\"\n"
        "_netblocks3.google.com TXT \"v=spf1 ip4:172.217.0.0/19 ip4:108.177.96.0/19 ~all\"\n"
        "spf.protection.outlook.com TXT \"v=spf1 include:spfd.protection.outlook.com "
        "ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip6:2a01:111:f400::/48 -all\"\n"
        "spfd.protection.outlook.com TXT \"v=spf1 ip4:51.4.72.0/24 ip4:51.5.72.0/24 -all\"\n"
        "sendgrid.net TXT \"v=spf1 ip4:167.89.0.0/17 ip4:208.117.48.0/20 ~all\"\n"
        "servers.mcsv.net TXT \"v=spf1 ip4:205.201.128.0/20 ip4:198.2.128.0/18 "
        "ip4:148.105.8.0/21 ?all\"\n"
        "mail.zendesk.com TXT \"v=spf1 ip4:192.161.144.0/20 ip4:185.12.80.0/22 "
        "ip4:188.172.128.0/20 ip4:216.198.0.0/18 ~all\"\n"
        "_spf.salesforce.com TXT \"v=spf1 ip4:13.108.0.0/14 ip4:66.231.80.0/20 "
        "ip4:68.232.192.0/20 ip4:96.43.144.0/20 ip4:136.146.128.0/20 -all\"\n"
        "_spf.corp.example.net TXT \"v=spf1 include:a.corp.example.net "
        "include:b.corp.example.net include:c.corp.example.net -all\"\n"
        "a.corp.example.net TXT \"v=spf1 ip4:192.0.2.0/26 -all\"\n"
        "b.corp.example.net TXT \"v=spf1 ip4:192.0.2.64/26 -all\"\n"
        "c.corp.example.net TXT \"v=spf1 ip4:198.51.100.10 -all\"\n"
        "example.com MX 10 mx.example.com.\n"
        "mx.example.com A 203.0.113.25\n";

static void test_fifteen_lookups_of_providers(void **state)
{
	(void)state;
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com TXT \"v=spf1 mx include:_spf.google.com "
	                    "include:spf.protection.outlook.com include:sendgrid.net "
	                    "include:servers.mcsv.net include:mail.zendesk.com "
	                    "include:_spf.salesforce.com include:_spf.corp.example.net -all\"\n");
	dd_strbuf_adds(&fx, providers_fixture);
	struct dd_result *r = check(fx.s, "example.com");
	assert_int_equal(r->spf.lookups, 15);
	const struct dd_spf_repair *rp = r->spf.repair;
	assert_non_null(rp);
	/* corp first (no provider: 4 lookups), then the provider with the fewest ranges */
	expect(rp,
	       "v=spf1 mx include:_spf.google.com include:spf.protection.outlook.com "
	       "ip4:167.89.0.0/17 ip4:208.117.48.0/20 include:servers.mcsv.net "
	       "include:mail.zendesk.com include:_spf.salesforce.com ip4:192.0.2.0/25 "
	       "ip4:198.51.100.10 -all",
	       10, true);
	assert_true(rp->within_limits);
	assert_int_equal(rp->risk, DD_SPF_RISK_STALE);
	size_t inlined = 0;
	for (size_t i = 0; i < rp->nchanges; i++)
		if (rp->changes[i].kind == DD_SPF_CH_INLINE_INCLUDE) {
			inlined++;
			assert_int_equal(rp->changes[i].ttl, 300);
		}
	assert_int_equal(inlined, 2);
	assert_non_null(strstr(rp->alternative, "exists:%{i}._spf.example.com"));
	dd_strbuf_finish(&fx);
}

static void test_provider_inside_inlined_include_kept(void **state)
{
	(void)state;
	/* an agency's include wraps Google and Microsoft: inlined, they stay includes */
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com TXT \"v=spf1 include:_spf.agency.example "
	                    "include:_spf.corp.example.net include:sendgrid.net "
	                    "include:mail.zendesk.com -all\"\n"
	                    "_spf.agency.example TXT \"v=spf1 include:_spf.google.com "
	                    "include:spf.protection.outlook.com ip4:192.0.2.200 -all\"\n");
	dd_strbuf_adds(&fx, providers_fixture);
	struct dd_result *r = check(fx.s, "example.com");
	assert_int_equal(r->spf.lookups, 13);
	const struct dd_spf_repair *rp = r->spf.repair;
	assert_non_null(rp);
	expect(rp,
	       "v=spf1 include:_spf.google.com include:spf.protection.outlook.com ip4:192.0.2.200 "
	       "ip4:192.0.2.0/25 ip4:198.51.100.10 include:sendgrid.net include:mail.zendesk.com "
	       "-all",
	       8, true);
	dd_strbuf_finish(&fx);
}

static void test_redirect_inlined_when_over(void **state)
{
	(void)state;
	/* the domain redirects to its own record, which is over the limit: its terms
	 * come into the domain's record (a and mx naming the target), then its
	 * own include is inlined and the providers stay */
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com TXT \"v=spf1 redirect=_spf.example.com\"\n"
	                    "_spf.example.com TXT \"v=spf1 a mx/24 include:_spf.corp.example.net "
	                    "include:_spf.google.com include:spf.protection.outlook.com -all\"\n"
	                    "_spf.example.com A 192.0.2.30\n"
	                    "_spf.example.com MX 10 mx.example.com.\n");
	dd_strbuf_adds(&fx, providers_fixture);
	struct dd_result *r = check(fx.s, "example.com");
	assert_int_equal(r->spf.lookups, 13);
	const struct dd_spf_repair *rp = r->spf.repair;
	assert_non_null(rp);
	expect(rp,
	       "v=spf1 a:_spf.example.com mx:_spf.example.com/24 ip4:192.0.2.0/25 "
	       "ip4:198.51.100.10 include:_spf.google.com include:spf.protection.outlook.com -all",
	       8, true);
	assert_true(has_change(rp, DD_SPF_CH_INLINE_REDIRECT));
	assert_int_equal(rp->risk, DD_SPF_RISK_STALE);
	dd_strbuf_finish(&fx);
}

static void test_still_over_inlines_nothing(void **state)
{
	(void)state;
	/* 12 a: terms and one small include: inlining the include cannot reach 10, so
	 * only the pure repair is proposed, and it says it is still over */
	struct dd_strbuf fx, rec;
	dd_strbuf_init(&fx);
	dd_strbuf_init(&rec);
	dd_strbuf_adds(&rec, "v=spf1 include:_spf.a.example");
	for (int i = 0; i < 12; i++) {
		dd_strbuf_addf(&rec, " a:h%d.example.com", i);
		dd_strbuf_addf(&fx, "h%d.example.com A 192.0.2.%d\n", i, i + 1);
	}
	dd_strbuf_adds(&rec, " a:h0.example.com -all");
	dd_strbuf_adds(&fx, "_spf.a.example TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n");
	dd_strbuf_adds(&fx, "example.com TXT ");
	dd_test_add_txt_strings(&fx, rec.s);
	dd_strbuf_adds(&fx, "\n");
	const struct dd_spf_repair *rp = repair_of(fx.s);
	assert_int_equal(rp->lookups, 13);
	assert_false(rp->within_limits);
	assert_false(has_change(rp, DD_SPF_CH_INLINE_INCLUDE));
	assert_true(has_change(rp, DD_SPF_CH_DUPLICATE));
	assert_true(rp->proof.equal);
	dd_strbuf_finish(&rec);
	dd_strbuf_finish(&fx);
}

static void test_macros_and_ptr_unprovable(void **state)
{
	(void)state;
	const struct dd_spf_repair *rp = repair_of(
	        "example.com TXT \"v=spf1 ptr exists:%{i}._spf.example.com ip4:192.0.2.0/25 "
	        "ip4:192.0.2.128/25 ptr -all\"\n");
	expect(rp, "v=spf1 ptr exists:%{i}._spf.example.com ip4:192.0.2.0/24 -all", 2, true);
	assert_int_equal(rp->proof.nunprovable, 2);
	assert_non_null(strstr(rp->proof.unprovable[0], "ptr"));
	assert_non_null(strstr(rp->proof.unprovable[1], "exists:%{i}"));
	/* the same terms, why in Japanese (text under --lang ja) */
	assert_non_null(strstr(rp->proof.unprovable_ja[0], "逆引き DNS"));
	assert_non_null(strstr(rp->proof.unprovable_ja[1], "exists:%{i}"));
	assert_null(strstr(rp->proof.unprovable_ja[1], "depends on"));
}

static void test_range_across_macro_not_moved(void **state)
{
	(void)state;
	/* merging would move 192.0.2.128/25 before the exists: not provable, so nothing */
	struct dd_result *r =
	        check("example.com TXT \"v=spf1 ip4:192.0.2.0/25 -exists:%{i}.bl.example.com "
	              "ip4:192.0.2.128/25 -all\"\n",
	              "example.com");
	assert_null(r->spf.repair);
	assert_null(dd_test_finding(r, "spf.repair"));
}

static void test_plus_all_changes_listed(void **state)
{
	(void)state;
	const struct dd_spf_repair *rp =
	        repair_of("example.com TXT \"v=spf1 ip4:192.0.2.0/24 +all\"\n");
	expect(rp, "v=spf1 ip4:192.0.2.0/24 ~all", 0, false);
	assert_int_equal(rp->risk, DD_SPF_RISK_CHANGES);
	assert_true(listed(rp->proof.removed, rp->proof.nremoved, "ip4:0.0.0.0/1"));
	assert_true(listed(rp->proof.removed, rp->proof.nremoved, "ip4:192.0.3.0/24"));
	assert_false(listed(rp->proof.removed, rp->proof.nremoved, "ip4:192.0.2.0/24"));
	assert_true(listed(rp->proof.removed, rp->proof.nremoved, "ip6:::/0"));
	assert_int_equal(rp->proof.nadded, 0);
	assert_int_equal(rp->proof.nchanged, 1);
	assert_int_equal(rp->proof.changed[0].from, DD_SPF_PASS);
	assert_int_equal(rp->proof.changed[0].to, DD_SPF_SOFTFAIL);
}

static void test_nothing_to_repair(void **state)
{
	(void)state;
	struct dd_result *r = check("example.com TXT \"v=spf1 include:_spf.a.example -all\"\n"
	                            "_spf.a.example TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n",
	                            "example.com");
	assert_null(r->spf.repair);
}

static void test_zone_line_split(void **state)
{
	(void)state;
	/* 60 separate hosts and a duplicate: the proposal is long, split into strings */
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com TXT ");
	struct dd_strbuf rec;
	dd_strbuf_init(&rec);
	dd_strbuf_adds(&rec, "v=spf1");
	for (int i = 0; i < 60; i++)
		dd_strbuf_addf(&rec, " ip4:198.51.%d.%d", i, 2 * i + 1);
	dd_strbuf_adds(&rec, " ip4:198.51.0.1 -all");
	dd_test_add_txt_strings(&fx, rec.s);
	dd_strbuf_adds(&fx, "\n");
	const struct dd_spf_repair *rp = repair_of(fx.s);
	assert_true(rp->too_long);
	assert_true(rp->nstrings >= 3);
	assert_non_null(strstr(rp->zone_line, "example.com. 300 IN TXT \"v=spf1 "));
	/* cut after spaces: no term is split across two strings */
	for (const char *s = strstr(rp->zone_line, "\" \""); s; s = strstr(s + 1, "\" \""))
		assert_int_equal(s[-1], ' ');
	dd_strbuf_finish(&rec);
	dd_strbuf_finish(&fx);
}

/* ---------------------------------------------- the MX host limit */

/* `owner` MX with the hosts mx1..mxN.`owner` in fx (their addresses added by the test). */
static void mx_hosts(struct dd_strbuf *fx, const char *owner, int n)
{
	for (int i = 1; i <= n; i++)
		dd_strbuf_addf(fx, "%s MX %d mx%d.%s.\n", owner, i, i, owner);
}

static const struct dd_spf_change *change_of(const struct dd_spf_repair *rp,
                                             enum dd_spf_change_kind k)
{
	for (size_t i = 0; i < rp->nchanges; i++)
		if (rp->changes[i].kind == k)
			return &rp->changes[i];
	fail_msg("no %s change", dd_spf_change_kind_name(k));
	return NULL;
}

static void test_mx_limit_v4_v6_and_a_host_without_addresses(void **state)
{
	(void)state;
	/* 12 MX hosts (RFC 7208 §4.6.4: permerror): eight in 192.0.2.0/29, one with
	 * A and AAAA, one with AAAA only, one more A, and one without any address */
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com TXT \"v=spf1 mx -all\"\n");
	mx_hosts(&fx, "example.com", 12);
	for (int i = 1; i <= 8; i++)
		dd_strbuf_addf(&fx, "mx%d.example.com A 192.0.2.%d\n", i, i - 1);
	dd_strbuf_adds(&fx, "mx9.example.com A 198.51.100.9\n"
	                    "mx9.example.com AAAA 2001:db8::9\n"
	                    "mx10.example.com AAAA 2001:db8::10\n"
	                    "mx11.example.com A 198.51.100.10\n"
	                    "mx12.example.com TXT \"no address here\"\n");
	struct dd_result *r = check(fx.s, "example.com");
	assert_non_null(dd_test_finding(r, "spf.mx-limit"));
	const struct dd_spf_repair *rp = r->spf.repair;
	assert_non_null(rp);
	expect(rp,
	       "v=spf1 ip4:192.0.2.0/29 ip4:198.51.100.9 ip4:198.51.100.10 ip6:2001:db8::9 "
	       "ip6:2001:db8::10 -all",
	       0, true);
	assert_true(rp->within_limits);
	assert_int_equal(rp->risk, DD_SPF_RISK_STALE);
	const struct dd_spf_change *c = change_of(rp, DD_SPF_CH_INLINE_MX);
	assert_int_equal(c->nremoved, 1);
	assert_string_equal(c->removed[0], "mx");
	assert_int_equal(c->nadded, 5);
	assert_int_equal(c->ranges, 5);
	assert_int_equal(c->hosts, 12);
	char *why = dd_text_format(c->why, DD_LANG_EN, c->args, 4);
	assert_non_null(strstr(why, "example.com has 12 MX hosts"));
	assert_non_null(strstr(why, "updated by hand"));
	free(why);
	/* the exists:%{i} form replaces the copied ranges too */
	assert_non_null(rp->alternative);
	assert_non_null(strstr(rp->alternative, "exists:%{i}._spf.example.com"));
	dd_strbuf_finish(&fx);
}

static void test_mx_limit_cidr_lengths_and_qualifier(void **state)
{
	(void)state;
	/* mx:name with cidr-lengths: every host's /24 and /64, with the term's qualifier */
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com TXT \"v=spf1 ip4:203.0.113.0/25 "
	                    "~mx:mail.other.example/24//64 -all\"\n");
	mx_hosts(&fx, "mail.other.example", 11);
	for (int i = 1; i <= 10; i++)
		dd_strbuf_addf(&fx, "mx%d.mail.other.example A 192.0.2.%d\n", i, 10 * i);
	dd_strbuf_adds(&fx, "mx11.mail.other.example A 203.0.113.200\n"
	                    "mx1.mail.other.example AAAA 2001:db8:0:1::5\n"
	                    "mx2.mail.other.example AAAA 2001:db8:0:1::6\n");
	struct dd_result *r = check(fx.s, "example.com");
	const struct dd_spf_repair *rp = r->spf.repair;
	assert_non_null(rp);
	/* 203.0.113.0/25 passes before the ~ranges: the ~203.0.113.0/24 keeps it so */
	expect(rp,
	       "v=spf1 ip4:203.0.113.0/25 ~ip4:192.0.2.0/24 ~ip4:203.0.113.0/24 "
	       "~ip6:2001:db8:0:1::/64 -all",
	       0, true);
	const struct dd_spf_change *c = change_of(rp, DD_SPF_CH_INLINE_MX);
	assert_string_equal(c->removed[0], "~mx:mail.other.example/24//64");
	assert_int_equal(c->hosts, 11);
	dd_strbuf_finish(&fx);
}

static void test_mx_limit_host_fails_no_repair(void **state)
{
	(void)state;
	/* one host's lookup fails: its addresses are unknown, so nothing can be
	 * written in the mx's place, and no repair is proposed */
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com TXT \"v=spf1 mx -all\"\n");
	mx_hosts(&fx, "example.com", 12);
	for (int i = 1; i <= 11; i++)
		dd_strbuf_addf(&fx, "mx%d.example.com A 192.0.2.%d\n", i, i);
	dd_strbuf_adds(&fx, "mx12.example.com A !SERVFAIL\n");
	struct dd_result *r = check(fx.s, "example.com");
	assert_non_null(dd_test_finding(r, "spf.mx-limit"));
	assert_null(r->spf.repair);
	assert_null(dd_test_finding(r, "spf.repair"));
	dd_strbuf_finish(&fx);
}

static void test_mx_limit_within_lookups(void **state)
{
	(void)state;
	/* 10 includes and an mx over the host limit: 11 lookups. Writing the
	 * mx's addresses saves the one lookup needed; no include is inlined */
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com TXT \"v=spf1 mx");
	for (int i = 0; i < 10; i++)
		dd_strbuf_addf(&fx, " include:i%d.example", i);
	dd_strbuf_adds(&fx, " -all\"\n");
	for (int i = 0; i < 10; i++)
		dd_strbuf_addf(&fx, "i%d.example TXT \"v=spf1 ip4:198.51.%d.0/24 -all\"\n", i, i);
	mx_hosts(&fx, "example.com", 12);
	for (int i = 1; i <= 12; i++)
		dd_strbuf_addf(&fx, "mx%d.example.com A 203.0.113.%d\n", i, i + 3);
	struct dd_result *r = check(fx.s, "example.com");
	assert_int_equal(r->spf.lookups, 11);
	const struct dd_spf_repair *rp = r->spf.repair;
	assert_non_null(rp);
	assert_int_equal(rp->lookups, 10);
	assert_int_equal(rp->void_lookups, 0);
	assert_true(rp->within_limits);
	assert_true(rp->proof.equal);
	assert_true(has_change(rp, DD_SPF_CH_INLINE_MX));
	assert_false(has_change(rp, DD_SPF_CH_INLINE_INCLUDE));
	/* 203.0.113.4 to .15, in the mx's place */
	struct dd_strbuf want;
	dd_strbuf_init(&want);
	dd_strbuf_adds(&want, "v=spf1 ip4:203.0.113.4/30 ip4:203.0.113.8/29");
	for (int i = 0; i < 10; i++)
		dd_strbuf_addf(&want, " include:i%d.example", i);
	dd_strbuf_adds(&want, " -all");
	expect(rp, want.s, 10, true);
	dd_strbuf_finish(&want);
	dd_strbuf_finish(&fx);
}

static void test_mx_limit_below_an_include_kept(void **state)
{
	(void)state;
	/* below an include the mx stays a permerror, as receivers see it: the
	 * include is not inlined, and no range is moved across it */
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com TXT \"v=spf1 ip4:192.0.2.0/25 include:i.example "
	                    "ip4:192.0.2.128/25 -all\"\n"
	                    "i.example TXT \"v=spf1 mx:big.example -all\"\n");
	mx_hosts(&fx, "big.example", 12);
	for (int i = 1; i <= 12; i++)
		dd_strbuf_addf(&fx, "mx%d.big.example A 198.51.100.%d\n", i, i);
	struct dd_result *r = check(fx.s, "example.com");
	assert_non_null(dd_test_finding(r, "spf.mx-limit"));
	/* the include's permerror stops every client it reaches: the range after
	 * it is never evaluated, and that is all the repair can say */
	const struct dd_spf_repair *rp = r->spf.repair;
	assert_non_null(rp);
	expect(rp, "v=spf1 ip4:192.0.2.0/25 include:i.example -all", 2, true);
	assert_false(has_change(rp, DD_SPF_CH_INLINE_MX));
	assert_false(has_change(rp, DD_SPF_CH_INLINE_INCLUDE));
	dd_strbuf_finish(&fx);
}

/* ------------------------------------------------------ property test */

/*
 * The pre-check against the full repair: for the record r was checked with,
 * the full repair (without the pre-check) proposes the same as the repair the
 * check made, and nothing whenever the pre-check says nothing can apply.
 * Returns whether the pre-check said so.
 */
static bool precheck_agrees(const struct dd_result *r, const char *fx)
{
	const struct dd_posture *p = r->posture;
	long qi = dd_posture_find(p, "example.com", DD_RR_TXT);
	assert_true(qi >= 0);
	const struct dd_answer *ans = p->queries[qi].answer;
	assert_true(ans->nrrs == 1);
	const struct dd_rr *rr = &ans->rrs[0];
	struct dd_spf_record rec;
	dd_spf_parse(rr->data, rr->len, &rec);
	bool needless = dd_spf_repair_needless(&rec, r->spf.lookups, r->spf.void_lookups);
	dd_spf_record_finish(&rec);
	struct dd_spf_repair *full = dd_spf_repair_create_full(p, ans, rr, &r->spf);
	if (needless && full)
		fail_msg("the pre-check skips a record the repair changes:\n%s\nrepair: %s", fx,
		         full->record);
	if (!full != !r->spf.repair || (full && strcmp(full->record, r->spf.repair->record) != 0))
		fail_msg("the repair with the pre-check differs from the full one:\n%s", fx);
	dd_spf_repair_destroy(full);
	return needless;
}

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng_state >> 33) % n);
}

static const char *qual(void)
{
	static const char *const q[] = { "", "", "", "", "-", "~", "?", "+" };
	return q[rnd(DD_ARRAY_LEN(q))];
}

/* A random range in a small pool, so that ranges overlap, nest and touch. */
static void add_range(struct dd_strbuf *b)
{
	if (rnd(4) == 0) {
		static const int p6[] = { 44, 46, 48, 64, 128 };
		dd_strbuf_addf(b, "ip6:2001:db8:%x:%x::%x/%d", rnd(4), rnd(2) * 0x100, rnd(3),
		               p6[rnd(DD_ARRAY_LEN(p6))]);
		return;
	}
	static const int p4[] = { 22, 23, 24, 25, 26, 28, 32 };
	dd_strbuf_addf(b, "ip4:10.0.%u.%u/%d", rnd(8), rnd(4) * 64, p4[rnd(DD_ARRAY_LEN(p4))]);
}

/* One term of the record of include `level` (it may include only deeper ones: no loops). */
static void add_term(struct dd_strbuf *b, int level, int nincs, bool big)
{
	dd_strbuf_adds(b, qual());
	unsigned k = big ? 3 + rnd(7) : rnd(10);
	if (k < 5 || level + 1 >= nincs) {
		add_range(b);
	} else if (k < 8) {
		dd_strbuf_addf(b, "include:inc%u.test",
		               level + 1 + rnd((unsigned)(nincs - level - 1)));
	} else if (k == 8) {
		dd_strbuf_addf(b, "a:host%u.test", rnd(4));
	} else {
		/* big.test has 12 MX hosts: over the MX host limit, with cidr-lengths */
		static const char *const other[] = {
			"mx:mail.test",       "exists:%{i}.bl.test", "mx:big.test",
			"mx:big.test/24//48", "mx:big.test//64",     "mx:big.test/26",
		};
		/* mostly in the record itself, where it is repaired: below an include
		 * it stays a permerror, and the include is not inlined */
		dd_strbuf_adds(b, other[rnd(level < 0 ? DD_ARRAY_LEN(other) : 3)]);
	}
}

static void random_tree(struct dd_strbuf *fx)
{
	bool big = rnd(3) == 0; /* over the limits, to be inlined */
	int nincs = big ? 6 + (int)rnd(6) : 1 + (int)rnd(5);
	static const char *const alls[] = { " -all", " ~all", " ?all", " -all", "", " +all" };
	for (int i = 0; i < 4; i++)
		dd_strbuf_addf(fx, "host%d.test A 10.0.%d.5\nhost%d.test AAAA 2001:db8:%d::5\n", i,
		               i * 2, i, i);
	dd_strbuf_adds(fx, "mail.test MX 10 host1.test.\nmail.test MX 20 host3.test.\n");
	/* 12 hosts: some IPv4, some IPv6, some both, one without addresses */
	for (int i = 0; i < 12; i++) {
		dd_strbuf_addf(fx, "big.test MX %d big%d.test.\n", i, i);
		if (i % 3 != 2 && i != 11)
			dd_strbuf_addf(fx, "big%d.test A 10.0.%d.%d\n", i, i % 9, 16 * i + 3);
		if (i % 3 != 0 && i != 11)
			dd_strbuf_addf(fx, "big%d.test AAAA 2001:db8:%x::%x\n", i, i % 5, i + 1);
	}
	for (int level = -1; level < nincs; level++) {
		struct dd_strbuf rec;
		dd_strbuf_init(&rec);
		dd_strbuf_adds(&rec, "v=spf1");
		int n = level < 0 ? (big ? 8 + (int)rnd(6) : 1 + (int)rnd(8)) : 1 + (int)rnd(4);
		char *prev = NULL;
		for (int t = 0; t < n; t++) {
			dd_strbuf_addc(&rec, ' ');
			size_t at = rec.len;
			if (prev && rnd(5) == 0)
				dd_strbuf_adds(&rec, prev); /* a duplicate */
			else
				add_term(&rec, level, nincs, big);
			free(prev);
			prev = xstrdup(rec.s + at);
		}
		free(prev);
		const char *all = alls[rnd(DD_ARRAY_LEN(alls))];
		dd_strbuf_adds(&rec, all);
		if (level + 1 < nincs && !*all && rnd(2))
			dd_strbuf_addf(&rec, " redirect=inc%d.test", nincs - 1);
		if (level < 0 && rnd(4) == 0)
			dd_strbuf_adds(&rec, " ip4:10.0.7.0/24"); /* after all */
		if (level < 0)
			dd_strbuf_adds(fx, "example.com TXT ");
		else
			dd_strbuf_addf(fx, "inc%d.test TXT ", level);
		dd_test_add_txt_strings(fx, rec.s);
		dd_strbuf_addc(fx, '\n');
		dd_strbuf_finish(&rec);
	}
}

static void random_ip(char *out, size_t len)
{
	unsigned k = rnd(8);
	if (k < 5)
		snprintf(out, len, "10.0.%u.%u", rnd(9), rnd(256));
	else if (k < 7)
		snprintf(out, len, "2001:db8:%x:%x::%x", rnd(5), rnd(2) * 0x100 + rnd(2), rnd(6));
	else
		snprintf(out, len, "%u.%u.%u.%u", 1 + rnd(223), rnd(256), rnd(256), rnd(256));
}

static bool in_range(const char *ip, const char *range)
{
	unsigned char a[16], net[16];
	int fam = strchr(ip, ':') ? 6 : 4;
	if (range[2] != (fam == 4 ? '4' : '6'))
		return false;
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", range + 4);
	char *slash = strchr(buf, '/');
	int prefix = fam == 4 ? 32 : 128;
	if (slash) {
		*slash = '\0';
		prefix = atoi(slash + 1);
	}
	inet_pton(fam == 4 ? AF_INET : AF_INET6, ip, a);
	inet_pton(fam == 4 ? AF_INET : AF_INET6, buf, net);
	for (int b = 0; b < prefix; b++)
		if ((a[b / 8] ^ net[b / 8]) & (0x80 >> (b % 8)))
			return false;
	return true;
}

static bool in_difference(const struct dd_spf_proof *pr, const char *ip)
{
	for (size_t i = 0; i < pr->nchanged; i++)
		for (size_t k = 0; k < pr->changed[i].nranges; k++)
			if (in_range(ip, pr->changed[i].ranges[k]))
				return true;
	return false;
}

static enum dd_spf_result host(struct dd_posture *p, const char *ip, char **reason)
{
	struct dd_spf_client c;
	struct dd_spf_verdict v;
	assert_true(dd_spf_client_init(&c, p->domain, ip, NULL, NULL));
	dd_spf_check_host(p, &c, &v);
	enum dd_spf_result r = v.result;
	if (reason)
		*reason = v.reason.en ? xstrdup(v.reason.en) : NULL;
	dd_spf_verdict_finish(&v);
	return r;
}

static void test_property_random_trees(void **state)
{
	(void)state;
	size_t trees = 0, repaired = 0, cases = 0, equal_cases = 0, changed = 0, inlined = 0,
	       inlined_mx = 0;
	/* fixed for CI; DD_REPAIR_SEED=N tries other trees by hand */
	rng_state =
	        getenv("DD_REPAIR_SEED") ? strtoull(getenv("DD_REPAIR_SEED"), NULL, 10) : 20261203;
	for (trees = 0; trees < 400; trees++) {
		struct dd_strbuf fx;
		dd_strbuf_init(&fx);
		random_tree(&fx);
		struct dd_result *r = check(fx.s, "example.com");
		precheck_agrees(r, fx.s);
		const struct dd_spf_repair *rp = r->spf.repair;
		if (!rp) {
			dd_strbuf_finish(&fx);
			continue;
		}
		repaired++;
		inlined += has_change(rp, DD_SPF_CH_INLINE_INCLUDE);
		inlined_mx += has_change(rp, DD_SPF_CH_INLINE_MX);
		struct dd_posture *p = r->posture;
		long qi = dd_posture_find(p, "example.com", DD_RR_TXT);
		assert_true(qi >= 0);
		struct dd_answer *orig = p->queries[qi].answer;
		struct dd_answer *prop = dd_answer_create("example.com", DD_RR_TXT, DD_DNS_OK);
		dd_answer_add_rr(prop, rp->record, rp->record_len, 300);
		for (int k = 0; k < 25; k++) {
			char ip[64], *reason = NULL;
			random_ip(ip, sizeof(ip));
			p->queries[qi].answer = orig;
			enum dd_spf_result a = host(p, ip, &reason);
			char *preason = NULL;
			p->queries[qi].answer = prop;
			enum dd_spf_result b = host(p, ip, &preason);
			p->queries[qi].answer = orig;
			cases++;
			/* within the limits as counted: receivers never stop at one */
			if (rp->within_limits && b == DD_SPF_PERMERROR && preason &&
			    (strstr(preason, "DNS lookups") || strstr(preason, "void lookups")))
				fail_msg("tree %zu, %s: the proposal hits a limit: "
				         "%s\n%s\nproposed: %s",
				         trees, ip, preason, fx.s, rp->record);
			free(preason);
			/* past the limits the published record is a permerror at receivers;
			 * the proof compares what the records say */
			bool limit = a == DD_SPF_PERMERROR && reason &&
			             (strstr(reason, "DNS lookups") || strstr(reason, "void") ||
			              strstr(reason, "MX records"));
			free(reason);
			if (limit)
				continue;
			if (rp->proof.equal) {
				equal_cases++;
				if (a != b)
					fail_msg("tree %zu, %s: %s published, %s proposed, proof "
					         "says "
					         "equal\n%s\nproposed: %s",
					         trees, ip, dd_spf_result_name(a),
					         dd_spf_result_name(b), fx.s, rp->record);
			} else if (a != b) {
				changed++;
				if (!in_difference(&rp->proof, ip) && !rp->proof.nunprovable)
					fail_msg("tree %zu, %s: %s -> %s outside the proof's "
					         "difference\n%s\nproposed: %s",
					         trees, ip, dd_spf_result_name(a),
					         dd_spf_result_name(b), fx.s, rp->record);
			}
		}
		dd_answer_unref(prop);
		dd_strbuf_finish(&fx);
	}
	/* the generator must exercise the repair, not skip it */
	print_message("%zu trees, %zu repaired (%zu by inlining, %zu an mx past the host limit), "
	              "%zu cases (%zu under an equal proof, %zu inside a listed difference)\n",
	              trees, repaired, inlined, inlined_mx, cases, equal_cases, changed);
	assert_true(repaired > 100);
	assert_true(inlined > 10);
	assert_true(inlined_mx > 10);
	assert_true(equal_cases > 1000);
}

/* Random short records of the terms the pre-check looks at: it must never
 * skip one the full repair changes, and it must skip some. */
static void test_precheck_random_records(void **state)
{
	(void)state;
	static const char *const vocab[] = {
		"-all",
		"~all",
		"?all",
		"+all",
		"all",
		"ptr",
		"ptr:host0.test",
		"exists:%{i}.bl.test",
		"-exists:%{i}.bl.test",
		"include:inc0.test",
		"include:inc1.test",
		"ip4:10.0.0.0/24",
		"ip4:10.0.0.0/25",
		"ip6:2001:db8::/48",
		"a:host0.test",
		"a:nohost.test",
		"mx:mail.test",
		"exists:bl.test",
		"redirect=inc0.test",
		"exp=exp.test",
		"foo=bar",
		"-include:inc0.test",
		"PTR",
		"?exists:%{l}.bl.test",
		"mx:big.%{d}", /* 12 MX hosts: past the MX host limit, repaired */
	};
	size_t skipped = 0, repaired = 0;
	rng_state = 20261204;
	for (int n = 0; n < 600; n++) {
		struct dd_strbuf fx, rec;
		dd_strbuf_init(&fx);
		dd_strbuf_init(&rec);
		dd_strbuf_adds(&fx, "host0.test A 10.0.0.5\nmail.test MX 10 host0.test.\n"
		                    "inc0.test TXT \"v=spf1 ip4:10.0.0.0/26 -all\"\n"
		                    "inc1.test TXT \"v=spf1 ip4:10.0.1.0/24 ~all\"\n"
		                    "bl.test A 127.0.0.2\nexp.test TXT \"no\"\n");
		for (int i = 1; i <= 12; i++)
			dd_strbuf_addf(&fx,
			               "big.example.com MX %d h%d.test.\nh%d.test A 10.0.2.%d\n", i,
			               i, i, i);
		dd_strbuf_adds(&rec, "v=spf1");
		/* mostly the terms the pre-check lets through, so that it is exercised */
		unsigned nterms = rnd(5);
		for (unsigned t = 0; t < nterms; t++) {
			unsigned k = rnd(3) ? rnd(9) : rnd(DD_ARRAY_LEN(vocab));
			if (k >= 5 && k < 9 && rnd(2))
				k = (unsigned)DD_ARRAY_LEN(vocab) - 1 - rnd(5);
			dd_strbuf_addf(&rec, " %s", vocab[k]);
		}
		dd_strbuf_adds(&fx, "example.com TXT ");
		dd_test_add_txt_strings(&fx, rec.s);
		dd_strbuf_addc(&fx, '\n');
		struct dd_result *r = check(fx.s, "example.com");
		if (r->spf.record) {
			skipped += precheck_agrees(r, fx.s);
			repaired += r->spf.repair != NULL;
		}
		dd_strbuf_finish(&rec);
		dd_strbuf_finish(&fx);
	}
	print_message("600 records, %zu skipped by the pre-check, %zu repaired\n", skipped,
	              repaired);
	assert_true(skipped > 50);
	assert_true(repaired > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duplicates_and_after_all),
		cmocka_unit_test(test_overlapping_ranges_v4_v6),
		cmocka_unit_test(test_nested_include_covered),
		cmocka_unit_test(test_fail_inside_include_is_respected),
		cmocka_unit_test(test_fifteen_lookups_of_providers),
		cmocka_unit_test(test_provider_inside_inlined_include_kept),
		cmocka_unit_test(test_redirect_inlined_when_over),
		cmocka_unit_test(test_still_over_inlines_nothing),
		cmocka_unit_test(test_macros_and_ptr_unprovable),
		cmocka_unit_test(test_range_across_macro_not_moved),
		cmocka_unit_test(test_plus_all_changes_listed),
		cmocka_unit_test(test_nothing_to_repair),
		cmocka_unit_test(test_zone_line_split),
		cmocka_unit_test(test_mx_limit_v4_v6_and_a_host_without_addresses),
		cmocka_unit_test(test_mx_limit_cidr_lengths_and_qualifier),
		cmocka_unit_test(test_mx_limit_host_fails_no_repair),
		cmocka_unit_test(test_mx_limit_within_lookups),
		cmocka_unit_test(test_mx_limit_below_an_include_kept),
		cmocka_unit_test(test_property_random_trees),
		cmocka_unit_test(test_precheck_random_records),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	teardown_run();
	return rc;
}
