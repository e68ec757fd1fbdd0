/*
 * test_dkim_keys.c: every key of the corpus fixture (testdata/dkim/,
 * SOURCES.md there) gets its expected type, exact size, encoding and
 * verdict when the real engine and checks judge it from DNS - and the
 * verdicts agree with the DKIM2 test suite's own expected results.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/util.h"

/* What a key record must give. */
struct expect {
	const char *key_type; /* "rsa", "ed25519", or NULL for an unusable record */
	unsigned bits;
	const char *encoding;
	bool usable;
	const char *finding; /* an id that must be reported, or NULL */
};

/*
 * Publish the strings at test._domainkey.example.com of a domain that sends
 * mail, probe "test" with --selector, and return its judged entry.
 */
static const struct dd_dkim_selector *judge(struct dd_test_run *run, const char *const *strings,
                                            size_t n)
{
	static const char *const sel[] = { "test" };
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com MX 10 mx.example.com.\n"
	                    "example.com TXT \"v=spf1 mx -all\"\n"
	                    "test._domainkey.example.com TXT");
	for (size_t i = 0; i < n; i++) /* the given split, each cut at 255 bytes */
		dd_test_add_txt_strings(&fx, strings[i]);
	dd_strbuf_addc(&fx, '\n');
	run->opts.selectors = sel;
	run->opts.nselectors = 1;
	struct dd_result *r = dd_test_check(run, fx.s, "example.com");
	dd_strbuf_finish(&fx);
	for (size_t i = 0; i < r->dkim.n; i++)
		if (strcmp(r->dkim.v[i].selector, "test") == 0)
			return &r->dkim.v[i];
	fail_msg("no key record judged at test._domainkey");
	return NULL;
}

static void check_entry(const char *what, struct dd_test_run *run, const struct dd_dkim_selector *e,
                        const struct expect *x)
{
	const struct dd_result *r = run->result;
	if (x->key_type) {
		if (!e->key_type || strcmp(e->key_type, x->key_type) != 0)
			fail_msg("%s: key type %s, expected %s", what,
			         e->key_type ? e->key_type : "none", x->key_type);
		if (e->key_bits != x->bits)
			fail_msg("%s: %u bits, expected %u", what, e->key_bits, x->bits);
		if (!e->key_encoding || strcmp(e->key_encoding, x->encoding) != 0)
			fail_msg("%s: encoding %s, expected %s", what,
			         e->key_encoding ? e->key_encoding : "none", x->encoding);
	} else if (e->key_type || !e->malformed) {
		fail_msg("%s: expected an unusable record, got key %s", what,
		         e->key_type ? e->key_type : "none");
	}
	if ((r->dkim.usable == 1) != x->usable)
		fail_msg("%s: usable=%zu, expected %d", what, r->dkim.usable, x->usable);
	if (x->finding && !dd_test_finding(r, x->finding))
		fail_msg("%s: no %s finding", what, x->finding);
	/* a key a verifier accepts is never called weak or malformed */
	if (x->usable &&
	    (dd_test_finding(r, "dkim.weak-key") || dd_test_finding(r, "dkim.malformed")))
		fail_msg("%s: a usable key was reported weak or malformed", what);
}

static void check_record(const char *what, const char *record, const struct expect *x)
{
	struct dd_test_run run = { 0 };
	const char *strings[] = { record };
	check_entry(what, &run, judge(&run, strings, 1), x);
	dd_test_run_finish(&run);
}

/* The first line of a file, without its newline. */
static char *first_line(const char *relpath)
{
	char *s = dd_test_read(relpath, NULL);
	s[strcspn(s, "\r\n")] = '\0';
	return s;
}

static void test_dkimpy(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		struct expect x;
	} cases[] = {
		/* KEYS.md: valid, 1024 is the RFC 8301 minimum: advise 2048 */
		{ "dkim/dkimpy/test.txt", { "rsa", 1024, "spki", true, "dkim.short-key" } },
		{ "dkim/dkimpy/test2.txt", { "rsa", 1024, "spki", true, "dkim.short-key" } },
		/* k=ed25519-sha256 is not a key type */
		{ "dkim/dkimpy/badk.txt", { NULL, 0, NULL, false, "dkim.malformed" } },
		/* "v=DKIM1: g=*": v= is not DKIM1, verifiers discard the record */
		{ "dkim/dkimpy/badversion.txt", { NULL, 0, NULL, false, "dkim.malformed" } },
		/* last base64 quantum changed: the DER does not parse */
		{ "dkim/dkimpy/test_bad.txt", { NULL, 0, NULL, false, "dkim.malformed" } },
		/* s=tlsrpt: a real key, but not for email */
		{ "dkim/dkimpy/test_tlsrpt.txt",
		  { "rsa", 1024, "spki", false, "dkim.not-for-email" } },
		/* RFC 8463: 32 raw bytes; v= is optional */
		{ "dkim/dkimpy/ed25519test.dns", { "ed25519", 256, "raw", true, NULL } },
		{ "dkim/dkimpy/eximtest.dns", { "ed25519", 256, "raw", true, NULL } },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char *rec = first_line(cases[i].file);
		check_record(cases[i].file, rec, &cases[i].x);
		free(rec);
	}
}

static void test_dkimpy_reasons(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		const char *reason;
	} cases[] = {
		{ "dkim/dkimpy/badk.txt", "unknown key type k=ed25519-sha256" },
		{ "dkim/dkimpy/badversion.txt", "v= is \"DKIM1: g=*\", not \"DKIM1\"" },
		{ "dkim/dkimpy/test_bad.txt", "not a DER-encoded RSA public key" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		struct dd_test_run run = { 0 };
		char *rec = first_line(cases[i].file);
		const char *strings[] = { rec };
		judge(&run, strings, 1);
		const struct dd_finding *f = dd_test_finding(run.result, "dkim.malformed");
		assert_non_null(f);
		if (!strstr(f->args[1], cases[i].reason))
			fail_msg("%s: reason \"%s\" lacks \"%s\"", cases[i].file, f->args[1],
			         cases[i].reason);
		free(rec);
		dd_test_run_finish(&run);
	}
}

/* "name record" lines up to the first empty line (the message follows). */
static void test_stalwart(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		const char *name;
		struct expect x;
	} cases[] = {
		{ "dkim/stalwart-mail-auth/dkim-001.txt",
		  "brisbane._domainkey.football.example.com",
		  { "ed25519", 256, "raw", true, NULL } },
		{ "dkim/stalwart-mail-auth/dkim-001.txt",
		  "test._domainkey.football.example.com",
		  { "rsa", 1024, "spki", true, "dkim.short-key" } },
		/* a bare RSAPublicKey: Stalwart accepts it; flag the encoding */
		{ "dkim/stalwart-mail-auth/dkim-002.txt",
		  "newengland._domainkey.example.com",
		  { "rsa", 1024, "pkcs1", true, "dkim.pkcs1-key" } },
		{ "dkim/stalwart-mail-auth/dkim-003.txt",
		  "ietf1._domainkey.ietf.org",
		  { "rsa", 1024, "spki", true, "dkim.short-key" } },
		{ "dkim/stalwart-mail-auth/dkim-004.txt",
		  "s1024-2013-q3._domainkey.facebookmail.com",
		  { "rsa", 1024, "spki", true, "dkim.short-key" } },
		{ "dkim/stalwart-mail-auth/dkim-005.txt",
		  "sysmsg-1._domainkey.topicbox.com",
		  { "rsa", 1024, "spki", true, "dkim.short-key" } },
		{ "dkim/stalwart-mail-auth/dkim-006.txt",
		  "dk2016._domainkey.github.com",
		  { "rsa", 1024, "spki", true, "dkim.short-key" } },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char *text = dd_test_read(cases[i].file, NULL);
		char *record = NULL;
		for (char *line = text, *next; line && *line && *line != '\n'; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			size_t n = strlen(cases[i].name);
			if (strncmp(line, cases[i].name, n) == 0 && line[n] == ' ')
				record = line + n + 1;
		}
		if (!record)
			fail_msg("%s has no record for %s", cases[i].file, cases[i].name);
		check_record(cases[i].name, record, &cases[i].x);
		free(text);
	}
}

/* The flags and tags of the Stalwart records reach the entry. */
static void test_stalwart_tags(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	char *text = dd_test_read("dkim/stalwart-mail-auth/dkim-004.txt", NULL);
	text[strcspn(text, "\n")] = '\0';
	const char *strings[] = { strchr(text, ' ') + 1 };
	const struct dd_dkim_selector *e = judge(&run, strings, 1);
	assert_int_equal(e->nflags, 1);
	assert_string_equal(e->flags[0], "s");
	assert_int_equal(e->nhash_algorithms, 1);
	assert_string_equal(e->hash_algorithms[0], "sha256");
	assert_false(e->testing);
	assert_null(e->service_types);
	free(text);
	dd_test_run_finish(&run);
}

/* The RSA record is stored as 4 strings: they are joined with nothing between. */
static void test_mailauth_dns(void **state)
{
	(void)state;
	char *json = dd_test_read("dkim/mailauth/rfc8463-dns.json", NULL);
	cJSON *root = cJSON_Parse(json);
	assert_non_null(root);
	size_t judged = 0;
	cJSON *name;
	cJSON_ArrayForEach(name, root)
	{
		if (!strstr(name->string, "._domainkey."))
			continue;
		cJSON *txt = cJSON_GetArrayItem(cJSON_GetObjectItem(name, "TXT"), 0);
		const char *strings[8];
		size_t n = 0;
		cJSON *s;
		cJSON_ArrayForEach(s, txt) if (n < 8) strings[n++] = s->valuestring;
		struct expect x = { "ed25519", 256, "raw", true, NULL };
		if (strncmp(name->string, "test.", 5) == 0)
			x = (struct expect){ "rsa", 1024, "spki", true, "dkim.short-key" };
		struct dd_test_run run = { 0 };
		check_entry(name->string, &run, judge(&run, strings, n), &x);
		dd_test_run_finish(&run);
		judged++;
	}
	assert_int_equal(judged, 2);
	cJSON_Delete(root);
	free(json);
}

/* A PEM body (the base64 between the armour lines) as a p= value. */
static char *pem_body(const char *relpath)
{
	char *pem = dd_test_read(relpath, NULL);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	for (char *line = strtok(pem, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "-----", 5) != 0)
			dd_strbuf_adds(&b, line);
	free(pem);
	return dd_strbuf_own(&b);
}

static void test_mailauth_pem(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		const char *tags;
		struct expect x;
		const char *reason;
	} cases[] = {
		{ "dkim/mailauth/public-rsa.pem",
		  "v=DKIM1; p=",
		  { "rsa", 2048, "spki", true, NULL },
		  NULL },
		/* RFC 8301 §3.2: must not be accepted */
		{ "dkim/mailauth/public-small.pem",
		  "v=DKIM1; p=",
		  { "rsa", 512, "spki", false, "dkim.weak-key" },
		  NULL },
		/* RFC 8463 wants the raw 32 bytes, not an SPKI */
		{ "dkim/mailauth/public-ed25519.pem",
		  "v=DKIM1; k=ed25519; p=",
		  { NULL, 0, NULL, false, "dkim.malformed" },
		  "wrapped in SubjectPublicKeyInfo" },
		{ "dkim/mailauth/public-ed25519.pem",
		  "v=DKIM1; p=",
		  { NULL, 0, NULL, false, "dkim.malformed" },
		  "the key is an ed25519 key" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char *body = pem_body(cases[i].file);
		char *record = xasprintf("%s%s", cases[i].tags, body);
		struct dd_test_run run = { 0 };
		const char *strings[] = { record };
		check_entry(cases[i].file, &run, judge(&run, strings, 1), &cases[i].x);
		if (cases[i].reason)
			assert_non_null(
			        strstr(dd_test_finding(run.result, "dkim.malformed")->args[1],
			               cases[i].reason));
		dd_test_run_finish(&run);
		free(record);
		free(body);
	}
}

/*
 * What a dkim2-dns.json selector name says (KEYS.md: sel1-3 and dkim2test
 * are RSA 2048; in test.dkim2.eu "rsaN" is a bare RSAPublicKey and
 * "pkix-rsaN" its SubjectPublicKeyInfo; elsewhere everything is SPKI).
 */
static struct expect dkim2_expect(const char *selector, bool pkcs1_zone)
{
	struct expect x = { "rsa", 2048, "spki", true, NULL };
	if (strcmp(selector, "ed25519") == 0)
		return (struct expect){ "ed25519", 256, "raw", true, NULL };
	const char *rsa = strstr(selector, "rsa");
	if (rsa) {
		x.bits = (unsigned)atoi(rsa + 3);
		x.encoding = pkcs1_zone && strncmp(selector, "pkix-", 5) != 0 ? "pkcs1" : "spki";
	}
	x.usable = x.bits >= 1024;
	x.finding = x.bits < 1024   ? "dkim.weak-key"
	            : x.bits < 2048 ? "dkim.short-key"
	            : x.bits > 4096 ? "dkim.large-key"
	                            : NULL;
	return x;
}

/* The DKIM2 suite's verdict for a test.dkim2.eu selector: "pass", "permerror", or NULL. */
static const char *dkim2_case(cJSON *cases, const char *selector)
{
	cJSON *c;
	cJSON_ArrayForEach(c, cases)
	{
		const char *name = cJSON_GetObjectItem(c, "name")->valuestring;
		char want[64] = "";
		if (strncmp(name, "pkix_rsa", 8) == 0)
			snprintf(want, sizeof(want), "pkix-rsa%s", name + 8);
		else if (strncmp(name, "simple_rsa", 10) == 0)
			snprintf(want, sizeof(want), "rsa%s", name + 10);
		else if (strncmp(name, "too_short_rsa", 13) == 0)
			snprintf(want, sizeof(want), "rsa%s", name + 13);
		else if (strcmp(name, "simple_ed25519") == 0)
			snprintf(want, sizeof(want), "ed25519");
		if (strcmp(want, selector) == 0)
			return cJSON_GetObjectItem(c, "expected")->valuestring;
	}
	return NULL;
}

static void test_dkim2(void **state)
{
	(void)state;
	char *dns = dd_test_read("dkim/stalwart-mail-auth/dkim2-dns.json", NULL);
	char *cases_text = dd_test_read("dkim/stalwart-mail-auth/dkim2-cases.json", NULL);
	cJSON *zones = cJSON_Parse(dns), *cases = cJSON_Parse(cases_text);
	assert_non_null(zones);
	assert_non_null(cases);
	size_t judged = 0, cross_checked = 0;
	cJSON *zone;
	cJSON_ArrayForEach(zone, zones)
	{
		cJSON *name;
		cJSON_ArrayForEach(name, zone)
		{
			char selector[64];
			snprintf(selector, sizeof(selector), "%.*s",
			         (int)(strcspn(name->string, ".")), name->string);
			const char *record =
			        cJSON_GetArrayItem(cJSON_GetArrayItem(name, 0), 1)->valuestring;
			bool eu = strcmp(zone->string, "test.dkim2.eu") == 0;
			struct expect x = dkim2_expect(selector, eu);
			char what[128];
			snprintf(what, sizeof(what), "%s.%s", name->string, zone->string);
			struct dd_test_run run = { 0 };
			const char *strings[] = { record };
			check_entry(what, &run, judge(&run, strings, 1), &x);
			if (eu) {
				const char *verdict = dkim2_case(cases, selector);
				if (verdict) {
					/* the suite says pass exactly where we call the key usable */
					bool pass = strcmp(verdict, "pass") == 0;
					if (pass != (run.result->dkim.usable == 1))
						fail_msg("%s: the DKIM2 suite says %s", what,
						         verdict);
					cross_checked++;
				}
			}
			dd_test_run_finish(&run);
			judged++;
		}
	}
	assert_int_equal(judged, 38); /* every record of the file (KEYS.md says 39: it holds 38) */
	assert_int_equal(cross_checked, 14); /* pkix 6, simple 5, too_short 2, ed25519 */
	cJSON_Delete(zones);
	cJSON_Delete(cases);
	free(dns);
	free(cases_text);
}

/* The benchmark's key pool: "<type><bits> <p>" per line. */
static void test_key_pool(void **state)
{
	(void)state;
	char *text = dd_test_read("dkim/key-pool.txt", NULL);
	size_t judged = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		char label[16], p[2048];
		assert_int_equal(sscanf(line, "%15s %2047s", label, p), 2);
		struct expect x = dkim2_expect(label, false);
		char *record = xasprintf("v=DKIM1; k=%s; p=%s", x.key_type, p);
		check_record(label, record, &x);
		free(record);
		judged++;
	}
	assert_int_equal(judged, 11);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dkimpy),       cmocka_unit_test(test_dkimpy_reasons),
		cmocka_unit_test(test_stalwart),     cmocka_unit_test(test_stalwart_tags),
		cmocka_unit_test(test_mailauth_dns), cmocka_unit_test(test_mailauth_pem),
		cmocka_unit_test(test_dkim2),        cmocka_unit_test(test_key_pool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
