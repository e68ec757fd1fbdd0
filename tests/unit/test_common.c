/*
 * test_common.c: domain names, the tag=value list, the string buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/parse.h"
#include "dd/util.h"

static void normalize_ok(const char *in, const char *want)
{
	char out[DD_NAME_MAX + 1];
	assert_true(dd_name_normalize(in, strlen(in), out, sizeof(out)));
	assert_string_equal(out, want);
}

static void normalize_bad(const char *in)
{
	char out[DD_NAME_MAX + 1];
	assert_false(dd_name_normalize(in, strlen(in), out, sizeof(out)));
}

/* dd_hash_nocase: names equal but for ASCII case hash alike (as FNV-1a of
 * the lowercase name), and the seed still tells tables apart. */
static void test_hash_nocase(void **state)
{
	(void)state;
	assert_int_equal(dd_hash_nocase("SendGrid.NET", 12, 1),
	                 dd_hash_nocase("sendgrid.net", 12, 1));
	assert_int_equal(dd_hash_nocase("SendGrid.NET", 12, 1),
	                 dd_hash_fnv1a("sendgrid.net", 12, 1));
	assert_int_not_equal(dd_hash_nocase("sendgrid.net", 12, 1),
	                     dd_hash_nocase("sendgrid.net", 12, 2));
	assert_int_not_equal(dd_hash_nocase("sendgrid.net", 12, 1),
	                     dd_hash_nocase("sendgrid.nes", 12, 1));
}

/* dd_hash_fnv1a is FNV-1a to the bit (SARIF fingerprints are written with
 * it: they must not move); dd_hash tells apart every name of a small set,
 * each length of one byte repeated, and the seeds. */
static void test_hashes(void **state)
{
	(void)state;
	assert_int_equal(dd_hash_fnv1a("", 0, 0), 0x811c9dc5u); /* FNV-1a's test vectors */
	assert_int_equal(dd_hash_fnv1a("a", 1, 0), 0xe40c292cu);
	assert_int_equal(dd_hash_fnv1a("foobar", 6, 0), 0xbf9cf968u);
	uint32_t seen[64];
	size_t n = 0;
	char name[64];
	for (int i = 0; i < 26; i++) {
		snprintf(name, sizeof(name), "%c.example.co.jp", 'a' + i);
		seen[n++] = dd_hash(name, strlen(name), 7);
	}
	memset(name, 'x', sizeof(name));
	for (size_t len = 0; len < 20; len++)
		seen[n++] = dd_hash(name, len, 7);
	seen[n++] = dd_hash("example.com", 11, 8);
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			assert_int_not_equal(seen[i], seen[k]);
	assert_int_equal(dd_hash("example.com", 11, 7), dd_hash("example.com", 11, 7));
}

static void test_names(void **state)
{
	(void)state;
	/* every byte in the middle of a label, against the rule of domain.c */
	for (int c = 1; c < 256; c++) {
		char in[4] = { 'x', (char)c, 'y', '\0' }, out[8];
		bool host = c == '.' || (c >= 0x21 && c <= 0x7e && c != '"' && c != '\\');
		bool printable = c == '.' || (c >= 0x20 && c <= 0x7e && c != '\\');
		assert_int_equal(dd_name_normalize(in, 3, out, sizeof(out)), host);
		if (host)
			assert_int_equal(out[1], c >= 'A' && c <= 'Z' ? c + 32 : c);
		assert_int_equal(dd_name_normalize_printable(in, 3, out, sizeof(out)), printable);
		if (printable)
			assert_int_equal(out[1], c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	normalize_ok("Example.COM.", "example.com");
	normalize_ok("_dmarc.example.com", "_dmarc.example.com");
	normalize_ok("*.example.com", "*.example.com");
	normalize_bad("");
	normalize_bad(".");
	normalize_bad("a..b");
	normalize_bad(".a");
	normalize_bad("a b.com");
	normalize_bad("a\\.b");
	normalize_bad("caf\xc3\xa9.com"); /* U-labels are converted before this point */
	char label[70];
	memset(label, 'a', 64);
	strcpy(label + 64, ".com");
	normalize_bad(label); /* a 64-octet label */
	char longname[300];
	for (int i = 0; i < 127; i++)
		memcpy(longname + 2 * i, "a.", 2);
	strcpy(longname + 254, "b");
	normalize_bad(longname); /* 255 octets */

	assert_int_equal(dd_name_labels("a.b.c"), 3);
	assert_string_equal(dd_name_parent("a.b.c"), "b.c");
	assert_null(dd_name_parent("c"));
	assert_true(dd_name_is_under("a.example.com", "example.com"));
	assert_true(dd_name_is_under("example.com", "example.com"));
	assert_false(dd_name_is_under("badexample.com", "example.com"));
}

static void test_taglist(void **state)
{
	(void)state;
	struct dd_taglist tl;
	const char *rec = " v = DMARC1 ;p=reject;; rua=mailto:a@b.example\t; ";
	dd_taglist_parse(rec, strlen(rec), &tl);
	assert_null(tl.error);
	assert_int_equal(tl.n, 3);
	const struct dd_tag *p = dd_taglist_get(&tl, "p");
	assert_non_null(p);
	assert_int_equal(p->value_len, 6);
	assert_memory_equal(p->value, "reject", 6);
	assert_int_equal(p->column, 14);
	const struct dd_tag *v = dd_taglist_get(&tl, "v");
	assert_int_equal(v->value_len, 6);
	assert_int_equal(v->value_column, 6);
	assert_null(dd_taglist_get(&tl, "P")); /* tag names are case-sensitive */

	const char *bad = "v=DKIM1; =x; p=abc";
	dd_taglist_parse(bad, strlen(bad), &tl);
	assert_non_null(tl.error);
	assert_int_equal(tl.error_column, 10);
	assert_non_null(dd_taglist_get(&tl, "p")); /* later tags are still read */

	const char *noeq = "v=DKIM1; k rsa";
	dd_taglist_parse(noeq, strlen(noeq), &tl);
	assert_string_equal(tl.error->en, "expected '=' after the tag name");

	const char *ctl = "v=DKIM1; p=ab\x01"
	                  "cd";
	dd_taglist_parse(ctl, strlen(ctl), &tl);
	assert_non_null(tl.error);
	assert_int_equal(tl.error_column, 14);

	/* more tags than the cap: parsing stops, nothing overflows */
	char many[2000] = "";
	for (int i = 0; i < 100; i++)
		strcat(many, "a=b;");
	dd_taglist_parse(many, strlen(many), &tl);
	assert_true(tl.truncated);
	assert_int_equal(tl.n, DD_PARSE_MAX_TAGS);
}

static void test_strbuf(void **state)
{
	(void)state;
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_add(&b, "a\0b", 3);
	dd_strbuf_addf(&b, "%d", 42);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.s, "a\0b42", 6);
	char *s = dd_strbuf_own(&b);
	assert_null(b.s);
	free(s);
	s = dd_strbuf_own(&b);
	assert_string_equal(s, "");
	free(s);
}

static void test_text_format(void **state)
{
	(void)state;
	struct dd_text t = { "{1} needs {2} lookups; {3}", "{1} は {2} 回" };
	char *args[4] = { "example.com", "14", NULL, NULL };
	char *en = dd_text_format(&t, DD_LANG_EN, args, 4);
	assert_string_equal(en, "example.com needs 14 lookups; ");
	char *ja = dd_text_format(&t, DD_LANG_JA, args, 4);
	assert_string_equal(ja, "example.com は 14 回");
	free(en);
	free(ja);
	/* braces that are not placeholders stay as written */
	struct dd_text lit = { "{x} {1}{ {0} {9}}{", "" };
	char *l = dd_text_format(&lit, DD_LANG_EN, args, 4);
	assert_string_equal(l, "{x} example.com{ {0} }{");
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),  cmocka_unit_test(test_hash_nocase),
		cmocka_unit_test(test_hashes), cmocka_unit_test(test_taglist),
		cmocka_unit_test(test_strbuf), cmocka_unit_test(test_text_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
