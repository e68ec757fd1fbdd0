/*
 * test_dkim.c: the DKIM check - selector discovery (all probes asked up
 * front), providers, CNAME delegation, wildcards, the parked-domain rule,
 * failed probes, copy-paste damage, tag and key judgement, and the strict
 * base64 of p=.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/util.h"

/* ------------------------------------------------------------- helpers */

/* A real public key from testdata/dkim/key-pool.txt by its label ("rsa2048"). */
static char *pool_key(const char *label)
{
	char *text = dd_test_read("dkim/key-pool.txt", NULL);
	char *found = NULL;
	size_t n = strlen(label);
	for (char *line = strtok(text, "\n"); line && !found; line = strtok(NULL, "\n"))
		if (strncmp(line, label, n) == 0 && line[n] == ' ')
			found = xstrdup(line + n + 1);
	free(text);
	if (!found)
		fail_msg("no %s key in the pool", label);
	return found;
}

/* `name TXT "record"` with the record split into 255-byte strings and escaped. */
static void add_txt(struct dd_strbuf *b, const char *name, const char *record)
{
	dd_strbuf_addf(b, "%s TXT", name);
	dd_test_add_txt_strings(b, record);
	dd_strbuf_addc(b, '\n');
}

/* A domain that sends mail: it has MX hosts and an SPF record that is not -all. */
#define SENDING "example.com MX 10 mx.example.com.\nexample.com TXT \"v=spf1 mx -all\"\n"
/* A parked domain: null MX (RFC 7505) and "v=spf1 -all". */
#define PARKED "example.com MX 0 .\nexample.com TXT \"v=spf1 -all\"\n"

static const struct dd_dkim_selector *entry(const struct dd_result *r, const char *selector)
{
	for (size_t i = 0; i < r->dkim.n; i++)
		if (strcmp(r->dkim.v[i].selector, selector) == 0)
			return &r->dkim.v[i];
	return NULL;
}

/* --------------------------------------------------------- the table */

static void test_table(void **state)
{
	(void)state;
	/* every selector the issue names is probed */
	static const char *const required[] = {
		"google",     "selector1",   "selector2",   "k1",      "k2",   "k3",    "mandrill",
		"mte1",       "s1",          "s2",          "smtpapi", "mx",   "smtp",  "mg",
		"krs",        "pm",          "zoho",        "zmail",   "fm1",  "fm2",   "fm3",
		"protonmail", "protonmail2", "protonmail3", "hs1",     "hs2",  "sf1",   "sf2",
		"s1024",      "s2048",       "default",     "dkim",    "mail", "email", "key1",
		"key2",       "selector",    "s",           "dk",
	};
	size_t n = dd_dkim_builtin_count();
	for (size_t r = 0; r < DD_ARRAY_LEN(required); r++) {
		bool found = false;
		for (size_t i = 0; i < n; i++)
			found |= strcmp(dd_dkim_builtin_selector(i), required[r]) == 0;
		if (!found)
			fail_msg("selector %s is not probed", required[r]);
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = dd_dkim_builtin_selector(i);
		/* a provider, or a generic name marked shared */
		if (!dd_dkim_builtin_provider(i))
			assert_true(dd_dkim_builtin_shared(i));
		else
			assert_true(strlen(dd_dkim_builtin_provider(i)) > 0);
		for (size_t j = 0; j < i; j++)
			if (dd_strcaseeq(s, dd_dkim_builtin_selector(j)))
				fail_msg("selector %s appears twice", s);
		/* probe names are lowercase labels the engine accepts as they are */
		for (const char *c = s; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			            *c == '-');
	}
	/* a name several signers use is marked, so its provider reads as a guess */
	for (size_t i = 0; i < n; i++)
		if (strcmp(dd_dkim_builtin_selector(i), "s1") == 0 ||
		    strcmp(dd_dkim_builtin_selector(i), "default") == 0)
			assert_true(dd_dkim_builtin_shared(i));
	assert_null(dd_dkim_builtin_selector(n));
	assert_null(dd_dkim_builtin_provider(n));
}

static void test_provider_by_target(void **state)
{
	(void)state;
	assert_string_equal(dd_dkim_provider_by_target(
	                            "selector1-example-com._domainkey.contoso.onmicrosoft.com"),
	                    "Microsoft 365");
	assert_string_equal(dd_dkim_provider_by_target("ONMICROSOFT.COM."), "Microsoft 365");
	assert_string_equal(dd_dkim_provider_by_target("x.dkim.amazonses.com"), "Amazon SES");
	assert_null(dd_dkim_provider_by_target("evilonmicrosoft.com"));
	assert_null(dd_dkim_provider_by_target("example.com"));
	assert_string_equal(dd_dkim_unguessable_by_spf_include("amazonses.com", 13), "Amazon SES");
	assert_null(dd_dkim_unguessable_by_spf_include("notamazonses.com", 16));
	assert_true(dd_dkim_unguessable_count() >= 3);
}

/* ------------------------------------------------- discovery and CNAMEs */

/*
 * _domainkey, the early selectors (google, selector1, default) and every
 * --selector are root questions; the rest of the table follows once
 * _domainkey is known to exist (RFC 8020), one round trip later.
 */
static bool early(const char *name)
{
	static const char *const v[] = { "google.", "selector1.", "default.", "custom." };
	for (size_t i = 0; i < DD_ARRAY_LEN(v); i++)
		if (strncmp(name, v[i], strlen(v[i])) == 0)
			return true;
	return false;
}

static void test_all_probes_up_front(void **state)
{
	(void)state;
	static const char *const user[] = { "custom", "google" };
	struct dd_test_run run = { 0 };
	run.opts.selectors = user;
	run.opts.nselectors = 2;
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, SENDING "selector1._domainkey.example.com CNAME "
	                            "selector1-example-com._domainkey.contoso.onmicrosoft.com.\n");
	char *key = pool_key("rsa2048");
	char *rec = xasprintf("v=DKIM1; k=rsa; p=%s", key);
	add_txt(&fx, "selector1-example-com._domainkey.contoso.onmicrosoft.com", rec);
	struct dd_result *r = dd_test_check(&run, fx.s, "example.com");

	size_t probes = 0;
	for (size_t i = 0; i < r->posture->nqueries; i++) {
		const struct dd_query *q = &r->posture->queries[i];
		if (!strstr(q->name, "._domainkey."))
			continue;
		probes++;
		assert_int_equal(q->depth, early(q->name) ? 0 : 1);
		assert_true(early(q->name) ? q->parent == -1 : q->parent >= 0);
		assert_int_equal(q->type, DD_RR_TXT);
	}
	/* the table, "custom" (google is in the table already) and the wildcard probe */
	assert_int_equal(probes, dd_dkim_builtin_count() + 2);
	assert_int_equal(r->dkim.probed, dd_dkim_builtin_count() + 1);
	for (size_t i = 0; i < dd_dkim_builtin_count(); i++) {
		char name[300];
		snprintf(name, sizeof(name), "%s._domainkey.example.com",
		         dd_dkim_builtin_selector(i));
		assert_true(dd_posture_find(r->posture, name, DD_RR_TXT) >= 0);
	}
	assert_true(dd_posture_find(r->posture, "custom._domainkey.example.com", DD_RR_TXT) >= 0);
	long parent = dd_posture_find(r->posture, "_domainkey.example.com", DD_RR_TXT);
	assert_true(parent >= 0);
	assert_int_equal(r->posture->queries[parent].depth, 0);
	assert_int_equal(r->posture->queries[parent].answer->status, DD_DNS_NODATA);
	assert_string_equal(r->dkim.domainkey, "exists");

	/* the CNAME-delegated selector resolved to its key, and says whose it is */
	const struct dd_dkim_selector *e = entry(r, "selector1");
	assert_non_null(e);
	assert_string_equal(e->found_at,
	                    "selector1-example-com._domainkey.contoso.onmicrosoft.com");
	assert_true(e->cname);
	assert_string_equal(e->provider, "Microsoft 365");
	assert_string_equal(e->provider_basis, "cname");
	assert_string_equal(e->key_type, "rsa");
	assert_int_equal(e->key_bits, 2048);
	assert_int_equal(r->dkim.usable, 1);
	assert_int_equal(r->dkim.state, DD_STATE_FOUND);
	assert_null(dd_test_finding(r, "dkim.none-found"));
	free(rec);
	free(key);
	dd_strbuf_finish(&fx);
	dd_test_run_finish(&run);
}

/* Selector probes of the posture (names with "._domainkey."). */
static size_t count_probes(const struct dd_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->posture->nqueries; i++)
		n += strstr(r->posture->queries[i].name, "._domainkey.") != NULL;
	return n;
}

/* RFC 8020: NXDOMAIN at _domainkey proves no selector exists; the table is not asked. */
static void test_rfc8020_nxdomain(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, SENDING, "example.com");
	assert_string_equal(r->dkim.domainkey, "nxdomain");
	assert_int_equal(count_probes(r), 3); /* google, selector1, default */
	assert_true(dd_posture_find(r->posture, "k1._domainkey.example.com", DD_RR_TXT) < 0);
	/* proven absent, so counted as probed: the messages say so */
	assert_int_equal(r->dkim.probed, dd_dkim_builtin_count());
	assert_int_equal(r->dkim.state, DD_STATE_MISSING);
	assert_non_null(dd_test_finding(r, "dkim.none-found"));
	dd_test_run_finish(&run);

	/* a single domain asks everything at once: the same verdict, no round trip more */
	run.opts.dkim_eager = true;
	r = dd_test_check(&run, SENDING, "example.com");
	assert_string_equal(r->dkim.domainkey, "nxdomain");
	assert_int_equal(count_probes(r), dd_dkim_builtin_count() + 1);
	for (size_t i = 0; i < r->posture->nqueries; i++)
		if (strstr(r->posture->queries[i].name, "_domainkey."))
			assert_int_equal(r->posture->queries[i].depth, 0);
	assert_int_equal(r->dkim.probed, dd_dkim_builtin_count());
	assert_int_equal(r->dkim.state, DD_STATE_MISSING);
	dd_test_run_finish(&run);
}

/* A server that NXDOMAINs the empty non-terminal while a key exists below it. */
static void test_rfc8020_broken_server(void **state)
{
	(void)state;
	char *key = pool_key("rsa2048");
	char *rec = xasprintf("v=DKIM1; p=%s", key);
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, SENDING "_domainkey.example.com TXT !NXDOMAIN\n");
	add_txt(&fx, "google._domainkey.example.com", rec);
	add_txt(&fx, "k1._domainkey.example.com", rec); /* not an early selector */
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, fx.s, "example.com");
	assert_string_equal(r->dkim.domainkey, "broken");
	assert_int_equal(count_probes(r), dd_dkim_builtin_count() + 1);
	assert_non_null(entry(r, "google"));
	assert_non_null(entry(r, "k1"));
	assert_int_equal(r->dkim.usable, 2);
	dd_test_run_finish(&run);

	/* a --selector counts as early: its key proves the server broken too */
	static const char *const user[] = { "custom" };
	run.opts.selectors = user;
	run.opts.nselectors = 1;
	dd_strbuf_finish(&fx);
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, SENDING "_domainkey.example.com TXT !NXDOMAIN\n");
	add_txt(&fx, "custom._domainkey.example.com", rec);
	add_txt(&fx, "k1._domainkey.example.com", rec);
	r = dd_test_check(&run, fx.s, "example.com");
	assert_string_equal(r->dkim.domainkey, "broken");
	assert_non_null(entry(r, "k1"));
	dd_test_run_finish(&run);
	dd_strbuf_finish(&fx);
	free(rec);
	free(key);
}

/* A wildcard makes _domainkey exist; a failed _domainkey proves nothing: probe all. */
static void test_rfc8020_wildcard_and_failure(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r =
	        dd_test_check(&run, SENDING "*.example.com TXT \"v=spf1 -all\"\n", "example.com");
	assert_string_equal(r->dkim.domainkey, "exists");
	assert_int_equal(count_probes(r), dd_dkim_builtin_count() + 1);
	dd_test_run_finish(&run);

	r = dd_test_check(&run, SENDING "_domainkey.example.com TXT !SERVFAIL\n", "example.com");
	assert_string_equal(r->dkim.domainkey, "undetermined");
	assert_int_equal(count_probes(r), dd_dkim_builtin_count() + 1);
	assert_int_equal(r->dkim.state, DD_STATE_MISSING); /* every probe answered */
	dd_test_run_finish(&run);
}

/* A shared name is a guess until its CNAME target confirms the provider. */
static void test_provider_basis(void **state)
{
	(void)state;
	char *key = pool_key("rsa2048");
	char *rec = xasprintf("v=DKIM1; p=%s", key);
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, SENDING
	               "s2._domainkey.example.com CNAME s2.domainkey.u1.wl.sendgrid.net.\n");
	add_txt(&fx, "s1._domainkey.example.com", rec);
	add_txt(&fx, "s2.domainkey.u1.wl.sendgrid.net", rec);
	add_txt(&fx, "google._domainkey.example.com", rec);
	add_txt(&fx, "default._domainkey.example.com", rec);
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, fx.s, "example.com");
	assert_null(entry(r, "default")->provider);
	assert_string_equal(entry(r, "default")->provider_basis, "generic");
	assert_string_equal(entry(r, "s1")->provider, "SendGrid");
	assert_string_equal(entry(r, "s1")->provider_basis, "selector-shared");
	assert_string_equal(entry(r, "s2")->provider_basis, "cname");
	assert_string_equal(entry(r, "google")->provider, "Google Workspace");
	assert_string_equal(entry(r, "google")->provider_basis, "selector");
	assert_int_equal(r->dkim.usable, 4);
	dd_test_run_finish(&run);
	dd_strbuf_finish(&fx);
	free(rec);
	free(key);
}

/* ------------------------------------------- none found, parked, failed */

static void test_none_found_sending(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, SENDING, "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dkim.none-found");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_WARNING);
	char *msg = dd_finding_message(f, DD_LANG_EN);
	assert_non_null(strstr(msg, "does not prove the domain signs nothing"));
	free(msg);
	assert_int_equal(r->dkim.state, DD_STATE_MISSING);
	assert_int_equal(r->dkim.n, 0);
	dd_test_run_finish(&run);
}

/* A parked domain is not told it lacks DKIM: it gets an info saying it needs none. */
static void test_parked_domain(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, PARKED, "example.com");
	assert_true(dd_result_is_non_sending(r));
	const struct dd_finding *f = dd_test_finding(r, "dkim.none-found");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_INFO);
	char *msg = dd_finding_message(f, DD_LANG_EN);
	assert_non_null(strstr(msg, "none is needed"));
	free(msg);
	msg = dd_finding_message(f, DD_LANG_JA);
	assert_non_null(strstr(msg, "必要ありません"));
	free(msg);
	for (size_t i = 0; i < r->findings.n; i++)
		if (strncmp(r->findings.v[i].def->id, "dkim.", 5) == 0)
			assert_int_equal(r->findings.v[i].severity, DD_SEV_INFO);
	dd_test_run_finish(&run);

	/* no MX at all and "v=spf1 -all" is parked too; with the revoked
	 * wildcard it has done what the fix above suggests: nothing to report */
	r = dd_test_check(&run,
	                  "example.com TXT \"v=spf1 -all\"\n"
	                  "*._domainkey.example.com TXT \"v=DKIM1; p=\"\n",
	                  "example.com");
	assert_true(dd_result_is_non_sending(r));
	assert_true(r->dkim.wildcard);
	assert_true(entry(r, "*")->revoked);
	for (size_t i = 0; i < r->findings.n; i++)
		assert_memory_not_equal(r->findings.v[i].def->id, "dkim.", 5);
	dd_test_run_finish(&run);

	/* a parked domain's key that is not a revoked wildcard is still reported */
	r = dd_test_check(&run,
	                  "example.com TXT \"v=spf1 -all\"\n"
	                  "google._domainkey.example.com TXT \"v=DKIM1; p=\"\n",
	                  "example.com");
	assert_non_null(dd_test_finding(r, "dkim.revoked"));
	f = dd_test_finding(r, "dkim.none-found");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_INFO);
	dd_test_run_finish(&run);
}

/* A failed probe is never "no key": no dkim.none-found, the state says undetermined. */
static void test_failed_probe(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r =
	        dd_test_check(&run,
	                      SENDING "selector1._domainkey.example.com TXT !SERVFAIL\n"
	                              "k1._domainkey.example.com TXT !TIMEOUT\n",
	                      "example.com");
	assert_null(dd_test_finding(r, "dkim.none-found"));
	assert_int_equal(r->dkim.failed, 2);
	assert_int_equal(r->dkim.state, DD_STATE_UNDETERMINED);
	assert_true(r->undetermined);
	assert_non_null(dd_test_finding(r, "dns.temporary-failure"));
	dd_test_run_finish(&run);

	/* a key found elsewhere: found, still with the failure counted */
	char *key = pool_key("rsa2048");
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, SENDING "selector1._domainkey.example.com TXT !SERVFAIL\n");
	char *rec = xasprintf("v=DKIM1; p=%s", key);
	add_txt(&fx, "google._domainkey.example.com", rec);
	r = dd_test_check(&run, fx.s, "example.com");
	assert_int_equal(r->dkim.state, DD_STATE_FOUND);
	assert_int_equal(r->dkim.failed, 1);
	assert_int_equal(r->dkim.usable, 1);
	dd_test_run_finish(&run);
	dd_strbuf_finish(&fx);
	free(rec);
	free(key);
}

/* ------------------------------------------------------------- wildcard */

static void test_wildcard(void **state)
{
	(void)state;
	char *key = pool_key("rsa2048");
	char *rec = xasprintf("v=DKIM1; k=rsa; p=%s", key);
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, SENDING "*._domainkey.example.com TXT \"v=DKIM1; p=\"\n");
	add_txt(&fx, "google._domainkey.example.com", rec);
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, fx.s, "example.com");
	/* the wildcard once, the real key, and no guessed selector listed */
	assert_int_equal(r->dkim.n, 2);
	assert_true(r->dkim.wildcard);
	const struct dd_dkim_selector *w = entry(r, "*");
	assert_non_null(w);
	assert_true(w->wildcard);
	assert_true(w->revoked);
	assert_string_equal(w->found_at, "*._domainkey.example.com");
	assert_non_null(entry(r, "google"));
	assert_false(entry(r, "google")->revoked);
	assert_int_equal(dd_test_count(r, "dkim.revoked"), 1);
	char *msg = dd_finding_message(dd_test_finding(r, "dkim.revoked"), DD_LANG_EN);
	assert_non_null(strstr(msg, "wildcard"));
	free(msg);
	assert_null(dd_test_finding(r, "dkim.none-found"));
	dd_test_run_finish(&run);

	/* a sending domain with only the revoked wildcard has no usable key */
	r = dd_test_check(&run, SENDING "*._domainkey.example.com TXT \"v=DKIM1; p=\"\n",
	                  "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dkim.none-found");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_WARNING);
	msg = dd_finding_message(f, DD_LANG_EN);
	assert_non_null(strstr(msg, "revoked or broken"));
	free(msg);
	dd_test_run_finish(&run);
	dd_strbuf_finish(&fx);
	free(rec);
	free(key);
}

/*
 * A wildcard with two key records (a key rollover published at *._domainkey)
 * answers every probe with both: it is still one wildcard, reported once as
 * "*" with dkim.multiple, not once per guessed selector.
 */
static void test_wildcard_two_keys(void **state)
{
	(void)state;
	char *a = pool_key("rsa2048"), *b = pool_key("rsa1024");
	char *ra = xasprintf("v=DKIM1; p=%s", a), *rb = xasprintf("v=DKIM1; p=%s", b);
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, SENDING);
	add_txt(&fx, "*._domainkey.example.com", ra);
	add_txt(&fx, "*._domainkey.example.com", rb);
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, fx.s, "example.com");
	assert_true(r->dkim.wildcard);
	assert_int_equal(r->dkim.n, 1);
	assert_non_null(entry(r, "*"));
	assert_int_equal(dd_test_count(r, "dkim.multiple"), 1);
	assert_string_equal(dd_test_finding(r, "dkim.multiple")->args[0],
	                    "*._domainkey.example.com");
	assert_null(dd_test_finding(r, "dkim.none-found"));
	dd_test_run_finish(&run);
	dd_strbuf_finish(&fx);
	free(ra);
	free(rb);
	free(a);
	free(b);
}

/* A wildcard TXT that is no key, even one that looks like a host name, is not judged. */
static void test_wildcard_not_a_key(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run,
	                                    SENDING "*.example.com TXT \"verify.example.net\"\n"
	                                            "*.example.com TXT \"v=spf1 -all\"\n",
	                                    "example.com");
	assert_null(dd_test_finding(r, "dkim.txt-hostname"));
	assert_false(r->dkim.wildcard);
	assert_int_equal(r->dkim.n, 0);
	assert_non_null(dd_test_finding(r, "dkim.none-found"));
	dd_test_run_finish(&run);
}

/* --selector is case-insensitive, like DNS names. */
static void test_selector_case(void **state)
{
	(void)state;
	static const char *const user[] = { "MyKey" };
	char *key = pool_key("rsa2048");
	char *rec = xasprintf("v=DKIM1; p=%s", key);
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, SENDING);
	add_txt(&fx, "mykey._domainkey.example.com", rec);
	struct dd_test_run run = { 0 };
	run.opts.selectors = user;
	run.opts.nselectors = 1;
	struct dd_result *r = dd_test_check(&run, fx.s, "example.com");
	assert_non_null(entry(r, "MyKey"));
	assert_int_equal(entry(r, "MyKey")->key_bits, 2048);
	dd_test_run_finish(&run);
	dd_strbuf_finish(&fx);
	free(rec);
	free(key);
}

/* ------------------------------------------------- copy-paste damage */

/* Publish one record at google._domainkey of a sending domain and judge it. */
static struct dd_result *judge_google(struct dd_test_run *run, const char *record)
{
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, SENDING);
	add_txt(&fx, "google._domainkey.example.com", record);
	struct dd_result *r = dd_test_check(run, fx.s, "example.com");
	dd_strbuf_finish(&fx);
	return r;
}

/* justice.gov.uk: `""` inside p= (ZONES.md), and `t=s;""p=` that hides the p= tag. */
static void test_stray_quotes(void **state)
{
	(void)state;
	char *key = pool_key("rsa2048");
	char *big = pool_key("rsa4096");
	struct {
		char *record;
		size_t column;
		const char *says;
	} cases[] = {
		{ xasprintf("v=DKIM1; k=rsa; t=s; p=%.60s\"\"%s", key, key + 60), 84,
		  "key is RSA, 2048 bits" },
		{ xasprintf("v=DKIM1;t=s;\"\"p=%s", big), 13, "key is RSA, 4096 bits" },
		/* "…" "…" pasted as one string: quote, space, quote */
		{ xasprintf("v=DKIM1; p=%.100s\" \"%s", key, key + 100), 112,
		  "key is RSA, 2048 bits" },
		/* the outer quotes pasted too */
		{ xasprintf("\"v=DKIM1; p=%s\"", key), 1, "key is RSA, 2048 bits" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		struct dd_test_run run = { 0 };
		struct dd_result *r = judge_google(&run, cases[i].record);
		const struct dd_finding *f = dd_test_finding(r, "dkim.stray-quotes");
		if (!f)
			fail_msg("case %zu: no dkim.stray-quotes", i);
		assert_int_equal(f->column, cases[i].column);
		char *msg = dd_finding_message(f, DD_LANG_EN);
		if (!strstr(msg, cases[i].says))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, msg, cases[i].says);
		free(msg);
		assert_true(entry(r, "google")->malformed);
		assert_null(entry(r, "google")->key_type);
		assert_int_equal(r->dkim.usable, 0);
		assert_non_null(dd_test_finding(r, "dkim.none-found"));
		/* one finding for the damage, not a second one for the base64 it broke */
		assert_null(dd_test_finding(r, "dkim.malformed"));
		dd_test_run_finish(&run);
		free(cases[i].record);
	}
	/* quotes and nothing readable behind them */
	struct dd_test_run run = { 0 };
	struct dd_result *r = judge_google(&run, "v=DKIM1; p=\"garbage\"");
	char *msg = dd_finding_message(dd_test_finding(r, "dkim.stray-quotes"), DD_LANG_EN);
	assert_null(strstr(msg, "without the quotes"));
	free(msg);
	dd_test_run_finish(&run);
	free(key);
	free(big);
}

static void test_version_not_first(void **state)
{
	(void)state;
	char *key = pool_key("rsa2048");
	char *rec = xasprintf("k=rsa;  v=DKIM1; p=%s", key);
	struct dd_test_run run = { 0 };
	struct dd_result *r = judge_google(&run, rec);
	const struct dd_finding *f = dd_test_finding(r, "dkim.version-not-first");
	assert_non_null(f);
	assert_int_equal(f->column, 9);
	assert_string_equal(f->args[1], "9");
	/* the key itself is still judged */
	assert_int_equal(entry(r, "google")->key_bits, 2048);
	dd_test_run_finish(&run);
	free(rec);
	free(key);
}

/* justice.gov.uk / yjb.gov.uk: the CNAME target published as the TXT value. */
static void test_txt_hostname(void **state)
{
	(void)state;
	static const char *const user[] = { "fmk7xlvhjfqqruhiytlb6434lcykrduv" };
	struct dd_test_run run = { 0 };
	run.opts.selectors = user;
	run.opts.nselectors = 1;
	struct dd_result *r = dd_test_check(
	        &run,
	        SENDING "fmk7xlvhjfqqruhiytlb6434lcykrduv._domainkey.example.com TXT "
	                "\"fmk7xlvhjfqqruhiytlb6434lcykrduv.dkim.amazonses.com\"\n"
	                "selector1._domainkey.example.com TXT "
	                "\"selector1-example-com._domainkey.contoso.onmicrosoft.com\"\n",
	        "example.com");
	assert_int_equal(dd_test_count(r, "dkim.txt-hostname"), 2);
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct dd_finding *f = &r->findings.v[i];
		if (strcmp(f->def->id, "dkim.txt-hostname") != 0)
			continue;
		assert_int_equal(f->severity, DD_SEV_ERROR);
		assert_true(strstr(f->args[1], ".dkim.amazonses.com") ||
		            strstr(f->args[1], ".onmicrosoft.com"));
		assert_non_null(strstr(f->args[0], "._domainkey.example.com"));
	}
	assert_int_equal(r->dkim.n, 0);
	dd_test_run_finish(&run);
}

static void test_multiple_records(void **state)
{
	(void)state;
	char *a = pool_key("rsa2048");
	char *ra = xasprintf("v=DKIM1; p=%s", a);
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, SENDING);
	add_txt(&fx, "google._domainkey.example.com", ra);
	add_txt(&fx, "google._domainkey.example.com", "v=DKIM1; p=");
	/* a TXT that is not a key record is not counted */
	add_txt(&fx, "google._domainkey.example.com", "google-site-verification=abc");
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run, fx.s, "example.com");
	const struct dd_finding *f = dd_test_finding(r, "dkim.multiple");
	assert_non_null(f);
	assert_string_equal(f->args[1], "2");
	dd_test_run_finish(&run);
	dd_strbuf_finish(&fx);
	free(ra);
	free(a);
}

/* ------------------------------------------------------------- tags */

static void test_tags(void **state)
{
	(void)state;
	char *key = pool_key("rsa2048");
	static const struct {
		const char *tags;
		const char *finding; /* must be reported */
		bool usable;
	} cases[] = {
		{ "v=DKIM1; h=sha1; p=", "dkim.sha1", false },
		{ "v=DKIM1; h=sha1:sha256; p=", NULL, true },
		{ "v=DKIM1; h= sha 256 ; p=", NULL, true }, /* Stalwart: "sha 256" is sha256 */
		{ "v=DKIM1; h=sha512; p=", "dkim.malformed", false },
		{ "v=DKIM1; t=y; p=", "dkim.testing", true },
		{ "v=DKIM1; s=tlsrpt; p=", "dkim.not-for-email", false },
		{ "v=DKIM1; s=email:tlsrpt; p=", NULL, true },
		{ "v=DKIM1; s=*; p=", NULL, true },
		{ "v=DKIM1; k=rsa; k=rsa; p=", "dkim.malformed",
		  false }, /* RFC 6376 §3.2: duplicate */
		{ "v=DKIM1; k=dsa; p=", "dkim.malformed", false },
		{ "v=DKIM1; =x; p=", "dkim.malformed", false },
		{ "v=DKIM1; n=ignore; x=unknown tag; g=*;; p=", NULL, true },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char *rec = xasprintf("%s%s", cases[i].tags, key);
		struct dd_test_run run = { 0 };
		struct dd_result *r = judge_google(&run, rec);
		if (cases[i].finding && !dd_test_finding(r, cases[i].finding))
			fail_msg("\"%s\": no %s", cases[i].tags, cases[i].finding);
		if ((r->dkim.usable == 1) != cases[i].usable)
			fail_msg("\"%s\": usable %zu", cases[i].tags, r->dkim.usable);
		dd_test_run_finish(&run);
		free(rec);
	}
	/* what the entry shows */
	char *rec = xasprintf("v=DKIM1; t=y:s:x; h=sha256; s=email; n=hello world; p=%s", key);
	struct dd_test_run run = { 0 };
	struct dd_result *r = judge_google(&run, rec);
	const struct dd_dkim_selector *e = entry(r, "google");
	assert_true(e->testing);
	assert_int_equal(e->nflags, 3);
	assert_string_equal(e->flags[2], "x");
	assert_int_equal(e->nservice_types, 1);
	assert_string_equal(e->service_types[0], "email");
	assert_string_equal(e->notes, "hello world");
	assert_string_equal(e->key_encoding, "spki");
	dd_test_run_finish(&run);
	free(rec);
	free(key);
}

/* RFC 8301 §3.2 boundaries and the size findings. */
static void test_key_sizes(void **state)
{
	(void)state;
	static const struct {
		const char *label;
		const char *finding;
		enum dd_severity sev;
	} cases[] = {
		{ "rsa512", "dkim.weak-key", DD_SEV_ERROR },
		{ "rsa1024", "dkim.short-key", DD_SEV_WARNING },
		{ "rsa4096", NULL, DD_SEV_INFO },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char *key = pool_key(cases[i].label);
		char *rec = xasprintf("v=DKIM1; p=%s", key);
		struct dd_test_run run = { 0 };
		struct dd_result *r = judge_google(&run, rec);
		if (cases[i].finding) {
			const struct dd_finding *f = dd_test_finding(r, cases[i].finding);
			assert_non_null(f);
			assert_int_equal(f->severity, cases[i].sev);
			assert_string_equal(f->args[1], cases[i].label + 3);
		} else {
			assert_null(dd_test_finding(r, "dkim.weak-key"));
			assert_null(dd_test_finding(r, "dkim.short-key"));
			assert_null(dd_test_finding(r, "dkim.large-key"));
		}
		dd_test_run_finish(&run);
		free(rec);
		free(key);
	}
}

/* SPF names a sender whose selectors are tokens: say its keys were not checked. */
static void test_token_selector_hint(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run,
	        "example.com MX 10 mx.example.com.\n"
	        "example.com TXT \"v=spf1 include:amazonses.com ~include:spf.mtasv.net "
	        "include:amazonses.com -all\"\n",
	        "example.com");
	assert_int_equal(dd_test_count(r, "dkim.token-selectors"), 2);
	const struct dd_finding *f = dd_test_finding(r, "dkim.token-selectors");
	assert_string_equal(f->args[1], "Amazon SES");
	assert_string_equal(f->args[2], "amazonses.com");
	assert_int_equal(f->severity, DD_SEV_INFO);
	dd_test_run_finish(&run);

	/* the SES key was found with --selector: nothing to say */
	static const char *const user[] = { "tok" };
	run.opts.selectors = user;
	run.opts.nselectors = 1;
	char *key = pool_key("rsa2048");
	char *rec = xasprintf("p=%s", key);
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com MX 10 mx.example.com.\n"
	                    "example.com TXT \"v=spf1 include:amazonses.com -all\"\n"
	                    "tok._domainkey.example.com CNAME tok.dkim.amazonses.com.\n");
	add_txt(&fx, "tok.dkim.amazonses.com", rec);
	r = dd_test_check(&run, fx.s, "example.com");
	assert_string_equal(entry(r, "tok")->provider, "Amazon SES");
	assert_null(dd_test_finding(r, "dkim.token-selectors"));
	dd_test_run_finish(&run);
	dd_strbuf_finish(&fx);
	free(rec);
	free(key);
}

static void test_coverage_note(void **state)
{
	(void)state;
	struct dd_dkim_info info = { .probed = 57 };
	char *en = dd_dkim_coverage_note(&info, DD_LANG_EN);
	assert_non_null(strstr(en, "57 selectors"));
	assert_non_null(strstr(en, "does not prove the domain signs nothing"));
	assert_non_null(strstr(en, "Amazon SES"));
	assert_non_null(strstr(en, "--selector"));
	char *ja = dd_dkim_coverage_note(&info, DD_LANG_JA);
	assert_non_null(strstr(ja, "Amazon SES"));
	assert_non_null(strstr(ja, "証明になりません"));
	free(en);
	free(ja);
}

/* ------------------------------------------------- key decoding, strict */

static void decode(const char *k, const char *p, struct dd_dkim_key *out)
{
	dd_dkim_key_decode(k, k ? strlen(k) : 0, p, strlen(p), out);
}

static void test_base64_strict(void **state)
{
	(void)state;
	char *key = pool_key("rsa2048");
	struct dd_dkim_key out;
	decode(NULL, key, &out);
	assert_null(out.error);
	assert_int_equal(out.bits, 2048);

	/* RFC 6376 §3.6.1: FWS between base64 characters is allowed */
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	for (size_t i = 0; key[i]; i++) {
		dd_strbuf_addc(&b, key[i]);
		if (i % 50 == 49)
			dd_strbuf_adds(&b, i % 100 == 99 ? "\r\n\t" : " ");
	}
	decode("rsa", b.s, &out);
	assert_null(out.error);
	assert_int_equal(out.bits, 2048);
	dd_strbuf_finish(&b);

	static const struct {
		const char *text;
		size_t offset;
		char bad;
		const char *why;
	} bad[] = {
		{ "MIIB\"\"IjAN", 4, '"', "does not use" },
		{ "MIIB;IjAN", 4, ';', "does not use" },
		{ "MII\xc2\xa0"
		  "BIjAN",
		  3, '\xc2', "does not use" }, /* a no-break space */
		{ "M=IBIjAN", 1, '=', "padding" },
		{ "MI=BIjAN", 3, 'B', "after the '=' padding" },
		{ "MIIBIj==AN", 8, 'A', "after the '=' padding" },
		{ "MIIBI", 4, 0, "middle of a 4-character group" },
		{ "====", 0, '=', "padding" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++) {
		decode("rsa", bad[i].text, &out);
		assert_non_null(out.error);
		if (!strstr(out.error->en, bad[i].why))
			fail_msg("\"%s\": \"%s\"", bad[i].text, out.error->en);
		assert_non_null(out.error->ja);
		assert_string_not_equal(out.error->ja, out.error->en);
		assert_int_equal(out.error_offset, bad[i].offset);
		assert_int_equal(out.bad_char, bad[i].bad);
	}
	/* valid base64, not a key */
	decode("rsa", "aGVsbG8gd29ybGQ=", &out);
	assert_non_null(strstr(out.error->en, "not a DER-encoded RSA public key"));
	assert_int_equal(out.error_offset, DD_DKIM_NO_OFFSET);
	/* a key followed by junk bytes: "AAAA" adds three zero bytes */
	char *junk = xasprintf("%sAAAA", key);
	decode("rsa", junk, &out);
	assert_non_null(strstr(out.error->en, "bytes follow"));
	free(junk);
	/* ed25519 of the wrong length; unknown k= */
	decode("ed25519", "AAAA", &out);
	assert_non_null(strstr(out.error->en, "32 bytes"));
	decode("ed25519", key, &out);
	assert_non_null(out.error);
	decode("RSA", key, &out); /* key types are registered lowercase */
	assert_string_equal(out.error->en, "unknown key type");
	assert_int_equal(out.type, DD_DKIM_KEY_UNKNOWN);
	free(key);
}

/* The column of a base64 error reaches the finding, counted in the record. */
static void test_base64_column(void **state)
{
	(void)state;
	char *key = pool_key("rsa2048");
	char *rec = xasprintf("v=DKIM1; p=%.20s!%s", key, key + 20);
	struct dd_test_run run = { 0 };
	struct dd_result *r = judge_google(&run, rec);
	const struct dd_finding *f = dd_test_finding(r, "dkim.malformed");
	assert_non_null(f);
	assert_int_equal(f->column, 12 + 20);
	assert_non_null(strstr(f->args[1], "column 32 '!'"));
	dd_test_run_finish(&run);
	free(rec);
	free(key);
}

/* Hostile records end in findings, never a crash or a hang. */
static void test_hostile(void **state)
{
	(void)state;
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_adds(&b, "v=DKIM1;");
	for (int i = 0; i < 200; i++)
		dd_strbuf_addf(&b, " x%d=%d;", i, i);
	dd_strbuf_adds(&b, " p=AAAA");
	const char *records[] = {
		b.s,
		"v=DKIM1; p=\\000\\001\\002",
		"p=;;;;;;;;;;;;;;;;;;;;;;;;",
		"v=DKIM1; h=:::::::::::::::::::::::::::::::::::::::::::::::::; p=",
		"v=DKIM1; t=y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y:y; p=",
		"\"\"\"\"\"\"\"\"",
		"k=",
		"v=DKIM1; p=\\255\\254",
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(records); i++) {
		struct dd_test_run run = { 0 };
		struct dd_result *r = judge_google(&run, records[i]);
		assert_int_equal(r->status, DD_RESULT_OK);
		assert_int_equal(r->dkim.usable, 0);
		dd_test_run_finish(&run);
	}
	/* a huge p= of valid base64 that is no key */
	dd_strbuf_finish(&b);
	dd_strbuf_init(&b);
	dd_strbuf_adds(&b, "v=DKIM1; p=");
	for (int i = 0; i < 4000; i++)
		dd_strbuf_adds(&b, "QUFB");
	struct dd_test_run run = { 0 };
	struct dd_result *r = judge_google(&run, b.s);
	assert_non_null(dd_test_finding(r, "dkim.malformed"));
	dd_test_run_finish(&run);
	dd_strbuf_finish(&b);
}

/* The record parser on its own: columns and lists. */
static void test_record_parse(void **state)
{
	(void)state;
	struct dd_dkim_record rec;
	const char *txt = "v=DKIM1; k=ed25519; h=sha256 : sha1; s=email:*; t=y:s; p=abc";
	dd_dkim_record_parse(txt, strlen(txt), &rec);
	assert_true(rec.has_v && rec.v_first && rec.v_is_dkim1);
	assert_int_equal(rec.k_column, 12);
	assert_int_equal(rec.nh, 2);
	assert_int_equal(rec.h[0].len, 6);
	assert_true(rec.h_sha1 && rec.h_sha256);
	assert_true(rec.s_email && rec.testing && rec.strict);
	assert_int_equal(rec.p_column, strlen(txt) - 2);
	assert_null(rec.error);
	assert_int_equal(rec.quote_column, 0);
	assert_true(dd_dkim_looks_like_key(txt, strlen(txt)));
	assert_false(dd_dkim_looks_like_key("v=DMARC1; p=reject", 18));
	assert_false(dd_dkim_looks_like_key("v=spf1 -all", 11));
	assert_true(dd_dkim_looks_like_key("v=DKIM1: g=*", 12));
	assert_true(dd_dkim_looks_like_key("p=", 2));
	assert_true(dd_dkim_looks_like_hostname("a.dkim.amazonses.com.", 21));
	assert_false(dd_dkim_looks_like_hostname("v=DKIM1", 7));
	assert_false(dd_dkim_looks_like_hostname("localhost", 9));
	assert_false(dd_dkim_looks_like_hostname("a..b", 4));

	/* lists longer than what is kept for the output are still read to the end */
	txt = "h=a:b:c:d:e:f:g:h:i:j:k:l:m:n:o:p:q:sha256; s=a:b:c:d:e:f:g:h:i:j:k:l:m:n:o:p:"
	      "email; t=a:b:c:d:e:f:g:h:i:j:k:l:m:n:o:p:y; p=abc";
	dd_dkim_record_parse(txt, strlen(txt), &rec);
	assert_int_equal(rec.nh, DD_DKIM_MAX_LIST);
	assert_true(rec.h_sha256);
	assert_true(rec.s_email);
	assert_true(rec.testing);
	assert_null(rec.error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_provider_by_target),
		cmocka_unit_test(test_all_probes_up_front),
		cmocka_unit_test(test_rfc8020_nxdomain),
		cmocka_unit_test(test_rfc8020_broken_server),
		cmocka_unit_test(test_rfc8020_wildcard_and_failure),
		cmocka_unit_test(test_provider_basis),
		cmocka_unit_test(test_none_found_sending),
		cmocka_unit_test(test_parked_domain),
		cmocka_unit_test(test_failed_probe),
		cmocka_unit_test(test_wildcard),
		cmocka_unit_test(test_wildcard_two_keys),
		cmocka_unit_test(test_wildcard_not_a_key),
		cmocka_unit_test(test_selector_case),
		cmocka_unit_test(test_stray_quotes),
		cmocka_unit_test(test_version_not_first),
		cmocka_unit_test(test_txt_hostname),
		cmocka_unit_test(test_multiple_records),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_key_sizes),
		cmocka_unit_test(test_token_selector_hint),
		cmocka_unit_test(test_coverage_note),
		cmocka_unit_test(test_base64_strict),
		cmocka_unit_test(test_base64_column),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_record_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
