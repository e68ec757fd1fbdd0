/*
 * test_spf_parse.c: the SPF record parser (RFC 7208 §4.6, §5, §6, §12) and
 * macro expansion (§7), pure: no DNS.
 *
 * The syntax cases of ../shared/corpus/spf-records/CASES.md (facts from
 * checkdmarc's tests) are rows here; where checkdmarc accepts what RFC 7208
 * rejects, the RFC wins and the row says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/spf.h"

static void parse(const char *txt, struct dd_spf_record *rec)
{
	dd_spf_parse(txt, strlen(txt), rec);
}

static void valid(const char *txt, size_t nterms)
{
	struct dd_spf_record rec;
	parse(txt, &rec);
	if (rec.error)
		fail_msg("%s: unexpected error at column %zu: %s", txt, rec.error_column,
		         rec.error->en);
	if (rec.nterms != nterms)
		fail_msg("%s: %zu terms, want %zu", txt, rec.nterms, nterms);
	dd_spf_record_finish(&rec);
}

static void invalid(const char *txt, size_t column)
{
	struct dd_spf_record rec;
	parse(txt, &rec);
	if (!rec.error)
		fail_msg("%s: accepted", txt);
	if (rec.error_column != column)
		fail_msg("%s: error at column %zu (%s), want %zu", txt, rec.error_column,
		         rec.error->en, column);
	/* spf.syntax quotes the error in Japanese too */
	if (!rec.error->ja || strcmp(rec.error->ja, rec.error->en) == 0)
		fail_msg("%s: no Japanese for \"%s\"", txt, rec.error->en);
	dd_spf_record_finish(&rec);
}

static void test_is_record(void **state)
{
	(void)state;
	assert_true(dd_spf_is_record("v=spf1", 6));
	assert_true(dd_spf_is_record("v=spf1 -all", 11));
	assert_true(dd_spf_is_record("V=SPF1 -all", 11)); /* CASES: case-insensitive */
	assert_true(dd_spf_is_record("v=SpF1 ~all", 11));
	assert_false(dd_spf_is_record("v=spf10 -all", 12));
	assert_false(dd_spf_is_record("v=spf1foo -all", 14));
	assert_false(dd_spf_is_record(" v=spf1 -all", 12)); /* §4.5: must begin with it */
	assert_false(dd_spf_is_record("\tv=spf1 -all", 12));
	assert_false(dd_spf_is_record("spf2.0/pra -all", 15));
	assert_false(dd_spf_is_record("v=spf", 5));
}

static void test_terms(void **state)
{
	(void)state;
	struct dd_spf_record rec;
	parse("v=spf1 IP4:147.75.8.208 a/24 mx:mx.example.com/26//64 ?include:_spf.google.com "
	      "ip6:2001:db8::/32 ptr exists:%{i}.bl.example.org redirect=_spf.example.com "
	      "exp=explain.%{d} -ALL",
	      &rec);
	assert_null(rec.error);
	assert_int_equal(rec.nterms, 10);
	const struct dd_spf_term *t = rec.terms;
	assert_int_equal(t[0].kind, DD_SPF_IP4);
	assert_int_equal(t[0].column, 8);
	assert_int_equal(t[0].cidr4, -1);
	assert_memory_equal(t[0].addr, "\x93\x4b\x08\xd0", 4);
	assert_int_equal(t[1].kind, DD_SPF_A);
	assert_null(t[1].spec);
	assert_int_equal(t[1].cidr4, 24);
	assert_int_equal(t[2].kind, DD_SPF_MX);
	assert_int_equal(t[2].spec_len, strlen("mx.example.com"));
	assert_memory_equal(t[2].spec, "mx.example.com", t[2].spec_len);
	assert_int_equal(t[2].cidr4, 26);
	assert_int_equal(t[2].cidr6, 64);
	assert_int_equal(t[3].kind, DD_SPF_INCLUDE);
	assert_int_equal(t[3].qualifier, DD_SPF_Q_NEUTRAL);
	assert_int_equal(t[4].kind, DD_SPF_IP6);
	assert_int_equal(t[4].cidr6, 32);
	assert_int_equal(t[5].kind, DD_SPF_PTR);
	assert_int_equal(t[6].kind, DD_SPF_EXISTS);
	assert_true(t[6].macro);
	assert_int_equal(t[7].kind, DD_SPF_REDIRECT);
	assert_int_equal(t[8].kind, DD_SPF_EXP);
	assert_int_equal(t[9].kind, DD_SPF_ALL);
	assert_int_equal(t[9].qualifier, DD_SPF_Q_FAIL);
	assert_int_equal(rec.all, 9);
	assert_int_equal(rec.redirect, 7);
	assert_int_equal(rec.exp, 8);
	for (size_t i = 0; i < rec.nterms; i++)
		assert_true(dd_spf_kind_queries_dns(t[i].kind) ==
		            (i == 1 || i == 2 || i == 3 || i == 5 || i == 6 || i == 7));
	dd_spf_record_finish(&rec);
}

/* CASES.md "Syntax" and "Macros": records checkdmarc (and RFC 7208) accepts. */
static void test_valid(void **state)
{
	(void)state;
	valid("v=spf1", 0);
	valid("v=spf1 -all  ", 1);  /* trailing spaces (§4.5) */
	valid("v=spf1 a  -all", 2); /* 1*SP between terms */
	valid("V=SPF1 -all", 1);
	valid("v=spf1 ip6:2001:db8::1 -all", 2);
	valid("v=spf1 a/24 -all", 2);
	valid("v=spf1 ip4:213.5.39.110 -all MS=83859DAEBD1978F9A7A67D3", 3);
	valid("v=spf1 a:%{l}.example.com -all", 2);
	valid("v=spf1 mx:%{d} -all", 2);
	valid("v=spf1 ptr:%{d} -all", 2);
	valid("v=spf1 include:%{d}._spf.example.com -all", 2);
	valid("v=spf1 exists:%{i}._spf.example.com -all", 2);
	valid("v=spf1 redirect=%{d}._spf.example.com", 1);
	valid("v=spf1 -all exp=%{d}", 2);
	valid("v=spf1 -all exp=%{S}.explain.example.com", 2);
	valid("v=spf1 exists:exists:%{i}.spf.hc0000-xx.iphmx.com ~all", 2);
	valid("v=spf1 include:include:%{ir}.%{v}.%{d}.spf.has.pphosted.com ~all", 2);
	valid("v=spf1 a:foo.example.xn--zckzah -all", 2); /* toplabel with dashes */
	valid("v=spf1 a:foo:bar/baz.example.com", 1);     /* ':' and '/' are macro-literals */
	valid("v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all", 2);
	valid("v=spf1 exists:%{l2r+-}.user.%{d2} ip4:0.0.0.0/0", 2);
	valid("v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all", 3); /* unknown modifier */
	valid("v=spf1 default=+", 1);
	valid("v=spf1 redirect=%{d}.d.spf.example.com.", 1); /* trailing dot */
}

/* CASES.md "Syntax"/"Macros" errors and the RFC 7208 suite's syntax groups, with columns. */
static void test_invalid(void **state)
{
	(void)state;
	/* space after "include:": empty domain-spec at column 39 */
	invalid("v=spf1 mx a:mail.cohaesio.net include: trustpilotservice.com ~all", 39);
	invalid("v=spf1 ip4:78.46.96.236 +a +mx +ip4:138.201.239.158 +ip4:relay.mailchannels.net "
	        "~all",
	        58);
	invalid("v=spf1 ip4:1200:0000:AB00:1234:0000:2552:7777:1313 ~all", 12);
	invalid("v=spf1 ip4:78.46.96.236/99 ~all", 25);
	invalid("v=spf1 ip6:1200:0000:AB00:1234:O000:2552:7777:1313 ~all", 12);
	invalid("v=spf1 ip6:78.46.96.236 ~all", 12);
	invalid("v=spf1 ip6:1200:0000:AB00:1234:0000:2552:7777:1313/130 ~all", 52);
	invalid("v=spf1 ip4:8.8.8.8~all", 12);
	invalid("v=spf1 ip4:%{i} -all", 12);
	invalid("v=spf1 ip6:%{i} -all", 12);
	invalid("v=spf1 a:%{?} -all", 12);
	invalid("v=spf1 mx:%{?} -all", 13);
	invalid("v=spf1 include:%{?}._spf.example.com -all", 18);
	invalid("v=spf1 redirect=%{?}._spf.example.com", 19);
	invalid("v=spf1 -all exp=%{?}", 19);
	invalid("v=spf1 -all exp=%{z}", 19);
	invalid("v=spf1 -all exp=%{r}.example.com", 19); /* c, r, t: exp text only */
	/* CASES.md says checkdmarc accepts "extra" here; RFC 7208 §4.6 and the suite
	 * (detect-errors-anywhere) make an unknown mechanism a permerror. */
	invalid("v=spf1 -all exp=exp.example extra", 29);
	invalid("v=spf1 ip4:1.2.3.4 -all moo", 25);
	invalid("v=spf1 moo.cow/far_out=man:dog/cat", 8);
	invalid("v=spf1 1up=foo", 8);
	invalid("v=spf1 =all", 8);
	invalid("v=spf1 redirect:t2.example.com", 8);
	invalid("v=spf1 -all.", 9);
	invalid("v=spf1 -all:foobar", 12);
	invalid("v=spf1 ptr/0 -all", 11);
	invalid("v=spf1 a:foo-bar -all", 10);
	invalid("v=spf1 a:museum.", 10);
	/* a lone dot is no domain-end: neither "." toplabel nor a macro-expand */
	invalid("v=spf1 include:. -all", 16);
	invalid("v=spf1 a:. -all", 10);
	invalid("v=spf1 exists:. -all", 15);
	invalid("v=spf1 redirect=.", 17);
	invalid("v=spf1 a:abc.123", 14);
	invalid("v=spf1 a:example.-com", 18);
	invalid("v=spf1 a:example.com:8080", 18);
	invalid("v=spf1 a/24/64 -all", 13); /* the "64": no ip4 prefix beyond 32 */
	invalid("v=spf1 a//129 -all", 11);
	invalid("v=spf1 include:ip5.example.com/24 -all", 28);
	invalid("v=spf1 include -all", 15);
	invalid("v=spf1 exists", 14);
	invalid("v=spf1 ip4:1.2.3.4/032", 20);
	invalid("v=spf1 ip4:1.2.3", 12);
	invalid("v=spf1 ip4:1.2.3.4//32", 20);
	invalid("v=spf1 ip6::CAFE::BABE", 12);
	invalid("v=spf1 exp= -all", 12);
	invalid("v=spf1 foo=%abc", 12);
	invalid("v=spf1 exists:foo%.sbl.example.com", 18);
	invalid("v=spf1 a:%{d0}.example.com", 13); /* §7.3: a label count is never 0 */
	invalid("v=spf1 +", 8);
	invalid("v=spf1 a:ctrl.example.com\rptr -all", 26);
	invalid("v=spf1 \x80"
	        "a:example.net -all",
	        8);
	struct dd_spf_record rec;
	dd_spf_parse("v=spf1 a:foo.example.com\0 -all", 30, &rec);
	assert_non_null(rec.error);
	assert_int_equal(rec.error_column, 25);
	dd_spf_record_finish(&rec);
}

/* A DNS-querying term with a bad argument is kept (to be counted), flagged, without a spec. */
static void test_invalid_terms_kept(void **state)
{
	(void)state;
	struct dd_spf_record rec;
	parse("v=spf1 include:_spf.example.com~all a:192.0.2.1 ip4:1.2.3 redirect=-all", &rec);
	assert_non_null(rec.error);
	assert_int_equal(rec.error_column, 29); /* the top label "com~all" */
	assert_int_equal(rec.nterms, 3);        /* not the ip4: it queries nothing */
	assert_int_equal(rec.terms[0].kind, DD_SPF_INCLUDE);
	assert_true(rec.terms[0].invalid);
	assert_null(rec.terms[0].spec);
	assert_int_equal(rec.terms[1].kind, DD_SPF_A);
	assert_true(rec.terms[1].invalid);
	assert_int_equal(rec.terms[2].kind, DD_SPF_REDIRECT);
	assert_true(rec.terms[2].invalid);
	assert_int_equal(rec.redirect, 2);
	dd_spf_record_finish(&rec);
	parse("v=spf1 include:_spf.example.com -all", &rec);
	assert_false(rec.terms[0].invalid);
	dd_spf_record_finish(&rec);
	/* a second bad term after the first error is still known to be bad */
	parse("v=spf1 ip4:1.2.3 a:192.0.2.1 mx:bad..example/99 exists:ok.example.com", &rec);
	assert_int_equal(rec.error_column, 12);
	assert_int_equal(rec.nterms, 3);
	assert_true(rec.terms[0].invalid);
	assert_true(rec.terms[1].invalid);
	assert_false(rec.terms[2].invalid);
	assert_non_null(rec.terms[2].spec);
	dd_spf_record_finish(&rec);
}

static void test_duplicates_and_caps(void **state)
{
	(void)state;
	struct dd_spf_record rec;
	parse("v=spf1 redirect=a.example.com -all redirect=b.example.com", &rec);
	assert_string_equal(rec.duplicate, "redirect=");
	assert_int_equal(rec.error_column, 36);
	assert_int_equal(rec.redirect, 0);
	dd_spf_record_finish(&rec);
	parse("v=spf1 exp=a.example.com -all exp=b.example.com", &rec);
	assert_string_equal(rec.duplicate, "exp=");
	dd_spf_record_finish(&rec);
	parse("v=spf1 all -all", &rec); /* two all mechanisms are allowed; the first wins */
	assert_null(rec.error);
	assert_int_equal(rec.all, 0);
	dd_spf_record_finish(&rec);

	/* more terms than the cap: the rest is not read, and that is said */
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_adds(&b, "v=spf1");
	for (int i = 0; i < DD_SPF_MAX_TERMS + 50; i++)
		dd_strbuf_adds(&b, " a");
	dd_spf_parse(b.s, b.len, &rec);
	assert_null(rec.error);
	assert_true(rec.truncated);
	assert_int_equal(rec.nterms, DD_SPF_MAX_TERMS);
	dd_spf_record_finish(&rec);
	/* longer than any TXT RRset can be: refused at column 1 */
	char *big = xmalloc(70000);
	memcpy(big, "v=spf1 ", 7);
	memset(big + 7, 'a', 70000 - 7);
	dd_spf_parse(big, 70000, &rec);
	assert_non_null(rec.error);
	assert_int_equal(rec.error_column, 1);
	dd_spf_record_finish(&rec);
	free(big);
	dd_strbuf_finish(&b);
}

/* ---------------------------------------------------------- macros */

static char *expand(const struct dd_spf_client *c, const char *domain, const char *validated,
                    const char *s, bool explain, enum dd_spf_expand want)
{
	struct dd_spf_macro_env env = { c, domain, validated };
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	enum dd_spf_expand got = dd_spf_expand(s, strlen(s), &env, explain, &b);
	if (got != want)
		fail_msg("%s: status %d, want %d", s, got, want);
	return dd_strbuf_own(&b);
}

static void expands(const struct dd_spf_client *c, const char *s, const char *want)
{
	char *got = expand(c, "email.example.com", "mx.example.org", s, true, DD_SPF_EXPAND_OK);
	if (strcmp(got, want) != 0)
		fail_msg("%s: \"%s\", want \"%s\"", s, got, want);
	free(got);
}

/* RFC 7208 §7.4, the examples table. */
static void test_rfc_examples(void **state)
{
	(void)state;
	struct dd_spf_client c;
	assert_true(dd_spf_client_init(&c, "email.example.com", "192.0.2.3",
	                               "strong-bad@email.example.com", "mx.example.org"));
	expands(&c, "%{s}", "strong-bad@email.example.com");
	expands(&c, "%{o}", "email.example.com");
	expands(&c, "%{d}", "email.example.com");
	expands(&c, "%{d4}", "email.example.com");
	expands(&c, "%{d3}", "email.example.com");
	expands(&c, "%{d2}", "example.com");
	expands(&c, "%{d1}", "com");
	expands(&c, "%{dr}", "com.example.email");
	expands(&c, "%{d2r}", "example.email");
	expands(&c, "%{l}", "strong-bad");
	expands(&c, "%{l-}", "strong.bad");
	expands(&c, "%{lr}", "strong-bad");
	expands(&c, "%{lr-}", "bad.strong");
	expands(&c, "%{l1r-}", "strong");
	expands(&c, "%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com");
	expands(&c, "%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com");
	expands(&c, "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
	        "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
	expands(&c, "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
	        "3.2.0.192.in-addr.strong.lp._spf.example.com");
	expands(&c, "%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net");
	expands(&c, "%{p}", "mx.example.org");
	expands(&c, "%{h} %{c} %{r} %%%_%-", "mx.example.org 192.0.2.3 unknown % %20");

	struct dd_spf_client c6;
	assert_true(dd_spf_client_init(&c6, "email.example.com", "2001:db8::cb01",
	                               "strong-bad@email.example.com", NULL));
	expands(&c6, "%{ir}.%{v}._spf.%{d2}",
	        "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example."
	        "com");
	expands(&c6, "%{c}", "2001:db8::cb01");
	expands(&c6, "%{h}", "email.example.com"); /* --helo defaults to the domain */

	/* upper case: URL-escaped (§7.3), the RFC 7208 suite's upper-macro */
	struct dd_spf_client u;
	assert_true(dd_spf_client_init(&u, "e8.example.com", "192.0.2.1",
	                               "~jack&jill=up-a_b3.c@e8.example.com", NULL));
	expands(&u, "%{L}", "~jack%26jill%3Dup-a_b3.c");
	expands(&u, "%{S}", "~jack%26jill%3Dup-a_b3.c%40e8.example.com");
}

static void test_client(void **state)
{
	(void)state;
	struct dd_spf_client c;
	/* §5: an IPv4-mapped IPv6 address is IPv4 */
	assert_true(dd_spf_client_init(&c, "example.com", "::FFFF:1.2.3.4", NULL, NULL));
	assert_int_equal(c.family, 4);
	assert_memory_equal(c.ip, "\x01\x02\x03\x04", 4);
	assert_string_equal(c.sender, "postmaster@example.com");
	char rev[DD_NAME_MAX + 1];
	dd_spf_reverse_name(&c, rev);
	assert_string_equal(rev, "4.3.2.1.in-addr.arpa");
	/* §4.3: empty local-part is postmaster; a null sender is postmaster@HELO */
	assert_true(dd_spf_client_init(&c, "example.net", "192.0.2.1", "@example.net", NULL));
	assert_string_equal(c.sender, "postmaster@example.net");
	assert_true(
	        dd_spf_client_init(&c, "mail.example.org", "192.0.2.1", "", "mail.example.org"));
	assert_string_equal(c.sender, "postmaster@mail.example.org");
	/* no --sender at all is mail from the domain checked, whatever the HELO */
	assert_true(dd_spf_client_init(&c, "example.com", "192.0.2.1", NULL, "mx.example.net"));
	assert_string_equal(c.sender, "postmaster@example.com");
	assert_true(dd_spf_client_init(&c, "example.com", "192.0.2.1", "", "mx.example.net"));
	assert_string_equal(c.sender, "postmaster@mx.example.net");
	assert_false(dd_spf_client_init(&c, "example.com", "192.0.2", NULL, NULL));
	assert_true(dd_spf_client_init(&c, "example.com", "2001:db8::1", NULL, NULL));
	dd_spf_reverse_name(&c, rev);
	assert_string_equal(
	        rev, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
}

static void test_posture_view(void **state)
{
	(void)state;
	/* without a client only %{d} and %{o} expand */
	struct dd_spf_client c;
	assert_true(dd_spf_client_init(&c, "example.com", NULL, NULL, NULL));
	char *s = expand(&c, "_spf.example.com", NULL, "%{d2}._x.%{o}", false, DD_SPF_EXPAND_OK);
	assert_string_equal(s, "example.com._x.example.com");
	free(s);
	const char *client_macros[] = {
		"%{i}.x.com", "%{l}.x.com", "%{s}", "%{h}", "%{v}", "%{p}"
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(client_macros); i++)
		free(expand(&c, "example.com", NULL, client_macros[i], false,
		            DD_SPF_EXPAND_NEEDS_CLIENT));
	/* with a client, %{p} waits for its PTR validation */
	assert_true(dd_spf_client_init(&c, "example.com", "192.0.2.1", NULL, NULL));
	free(expand(&c, "example.com", NULL, "%{p}.x.com", false, DD_SPF_EXPAND_NEEDS_PTR));
	/* explanation-only letters and bad syntax */
	free(expand(&c, "example.com", NULL, "%{c}.x.com", false, DD_SPF_EXPAND_BAD));
	free(expand(&c, "example.com", NULL, "The %{x}-files.", true, DD_SPF_EXPAND_BAD));
	free(expand(&c, "example.com", NULL,
	            "\xef\xbb\xbf"
	            "Explanation",
	            true, DD_SPF_EXPAND_BAD));
	free(expand(&c, "example.com", NULL, "%", false, DD_SPF_EXPAND_BAD));
	free(expand(&c, "example.com", NULL, "%{d", false, DD_SPF_EXPAND_BAD));
}

static void test_target_names(void **state)
{
	(void)state;
	struct dd_spf_client c;
	char name[DD_NAME_MAX + 1];
	bool ok;
	assert_true(dd_spf_client_init(&c, "example.com", "192.0.2.1", "Macro Error@example.com",
	                               NULL));
	struct dd_spf_macro_env env = { &c, "example.com", NULL };
	/* a space from the local-part is kept; case is folded; the trailing dot dropped */
	assert_int_equal(dd_spf_target("%{l}.Example.COM.", 17, &env, name, &ok), DD_SPF_EXPAND_OK);
	assert_true(ok);
	assert_string_equal(name, "macro error.example.com");
	/* §7.3: over 253 octets, labels are dropped from the left */
	const char *spec = "foobar.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}."
	                   "%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.com";
	assert_int_equal(dd_spf_target(spec, strlen(spec), &env, name, &ok), DD_SPF_EXPAND_OK);
	assert_true(ok);
	assert_true(strlen(name) <= 253);
	assert_string_equal(name + strlen(name) - 15, "example.com.com");
	/* an empty or over-long label: no DNS name */
	assert_int_equal(dd_spf_target("mail.example...com", 18, &env, name, &ok),
	                 DD_SPF_EXPAND_OK);
	assert_false(ok);
	assert_false(dd_spf_name("a\\b.example.com", 15, name));
	char label[80];
	memset(label, 'a', 64);
	memcpy(label + 64, ".example.com", 13);
	assert_false(dd_spf_name(label, strlen(label), name));
	assert_true(dd_spf_name(label + 1, strlen(label + 1), name));
}

/*
 * Hostile input: records made of SPF-looking fragments and random bytes.
 * Nothing may crash, read out of bounds (ASan runs this in test-all), or
 * point outside the record; every error has a column inside it.
 */
static uint32_t rng = 2463534242u;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void test_random_input(void **state)
{
	(void)state;
	static const char *const bits[] = {
		" ",         "  ",      "include:", "a",       "mx",   ":",    "/",    "//",
		"ip4:",      "ip6:",    "1.2.",     "3.4",     "::",   "%{",   "}",    "%%",
		"%_",        "%-",      "d",        "i",       "r",    "2",    "0",    "p",
		"redirect=", "exp=",    "=",        "-",       "~",    "?",    "+",    "all",
		".com",      "example", "ptr",      "exists:", "\t",   "\x80", "\xff", "v=spf1",
		"%{ir}",     "%{d2}",   ".",        "..",      "_spf",
	};
	struct dd_spf_client c;
	assert_true(dd_spf_client_init(&c, "example.com", "192.0.2.1", "a b@example.com", NULL));
	struct dd_spf_macro_env env = { &c, "example.com", "mx.example.com" };
	for (int round = 0; round < 20000; round++) {
		char buf[512];
		size_t len = 0;
		if (next() % 4)
			len = (size_t)snprintf(buf, sizeof(buf), "v=spf1 ");
		size_t parts = next() % 24;
		for (size_t i = 0; i < parts && len < sizeof(buf) - 16; i++) {
			if (next() % 8 == 0) {
				buf[len++] = (char)(next() & 0xff);
				continue;
			}
			const char *b = bits[next() % DD_ARRAY_LEN(bits)];
			size_t n = strlen(b);
			memcpy(buf + len, b, n);
			len += n;
		}
		struct dd_spf_record rec;
		dd_spf_parse(buf, len, &rec);
		if (rec.error)
			assert_true(rec.error_column >= 1 && rec.error_column <= len + 1);
		for (size_t i = 0; i < rec.nterms; i++) {
			const struct dd_spf_term *t = &rec.terms[i];
			assert_true(t->text >= buf && t->text + t->len <= buf + len);
			if (!t->spec)
				continue;
			assert_true(t->spec >= buf && t->spec + t->spec_len <= buf + len);
			char name[DD_NAME_MAX + 1];
			bool ok;
			dd_spf_target(t->spec, t->spec_len, &env, name, &ok);
			if (ok)
				assert_true(strlen(name) <= DD_NAME_MAX);
		}
		struct dd_strbuf b;
		dd_strbuf_init(&b);
		dd_spf_expand(buf, len, &env, true, &b);
		dd_strbuf_finish(&b);
		dd_spf_record_finish(&rec);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_record),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_invalid_terms_kept),
		cmocka_unit_test(test_duplicates_and_caps),
		cmocka_unit_test(test_rfc_examples),
		cmocka_unit_test(test_client),
		cmocka_unit_test(test_posture_view),
		cmocka_unit_test(test_target_names),
		cmocka_unit_test(test_random_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
