/*
 * test_escape.c: no DNS byte reaches a terminal or a document unescaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/render.h"
#include "render/json.h"

static char *text(const char *s, size_t len)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_text(&b, s, len);
	return dd_strbuf_own(&b);
}

static char *json(const char *s, size_t len)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_json(&b, s, len);
	return dd_strbuf_own(&b);
}

#define CHECK(fn, in, want)                                                                        \
	do {                                                                                       \
		char *got = fn(in, sizeof(in) - 1);                                                \
		assert_string_equal(got, want);                                                    \
		free(got);                                                                         \
	} while (0)

static void test_terminal(void **state)
{
	(void)state;
	CHECK(text, "v=spf1 -all", "v=spf1 -all");
	CHECK(text, "\x1b[31mred\x1b[0m", "\\x1B[31mred\\x1B[0m");
	CHECK(text, "a\0b", "a\\x00b");
	CHECK(text, "back\\slash", "back\\\\slash");
	CHECK(text, "\x7f", "\\x7F");
	CHECK(text, "日本語", "日本語");
	CHECK(text,
	      "\xc2\x9b"
	      "2J",
	      "\\u{009B}2J"); /* 8-bit CSI */
	CHECK(text,
	      "abc\xe2\x80\xae"
	      "fed",
	      "abc\\u{202E}fed");                       /* RIGHT-TO-LEFT OVERRIDE */
	CHECK(text, "\xff\xfe", "\\xFF\\xFE");          /* not UTF-8 */
	CHECK(text, "\xe6\x97", "\\xE6\\x97");          /* truncated sequence */
	CHECK(text, "\xc0\xaf", "\\xC0\\xAF");          /* overlong '/' */
	CHECK(text, "\xed\xa0\x80", "\\xED\\xA0\\x80"); /* surrogate */
}

static void test_json(void **state)
{
	(void)state;
	CHECK(json, "plain", "\"plain\"");
	CHECK(json, "q\"b\\", "\"q\\\"b\\\\\"");
	CHECK(json, "a\0b\n", "\"a\\u0000b\\n\"");
	CHECK(json, "\x1b", "\"\\u001B\"");
	CHECK(json, "\xff", "\"\\\\xFF\"");
	CHECK(json, "日本", "\"日本\"");
}

static void test_csv(void **state)
{
	(void)state;
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_csv(&b, "a,b\"c", 5);
	assert_string_equal(b.s, "\"a,b\"\"c\"");
	dd_strbuf_finish(&b);
	dd_escape_csv(&b, "=HYPERLINK(1)", 13);
	assert_string_equal(b.s, "\"'=HYPERLINK(1)\"");
	dd_strbuf_finish(&b);
	dd_escape_csv(&b, "x\ny", 3);
	assert_string_equal(b.s, "x\\x0Ay");
	dd_strbuf_finish(&b);
}

/* A cJSON item as the JSON renderers print it. */
static char *printed(cJSON *item)
{
	char *s = cJSON_PrintUnformatted(item);
	cJSON_Delete(item);
	return s;
}

/* dd_json_strn's stack path (plain text up to 253 bytes) and the escaper's
 * path give the same literal; the boundary lengths take one each. */
static void test_json_items(void **state)
{
	(void)state;
	char *got = printed(dd_json_str("v=spf1 -all"));
	assert_string_equal(got, "\"v=spf1 -all\"");
	free(got);
	got = printed(dd_json_str("say \"hi\" \\ \x01"));
	assert_string_equal(got, "\"say \\\"hi\\\" \\\\ \\u0001\"");
	free(got);
	got = printed(dd_json_str(NULL));
	assert_string_equal(got, "null");
	free(got);
	for (size_t len = 250; len <= 256; len++) {
		char in[300], want[310];
		memset(in, 'a', len);
		in[len] = '\0';
		snprintf(want, sizeof(want), "\"%s\"", in);
		got = printed(dd_json_strn(in, len));
		assert_string_equal(got, want);
		free(got);
		in[len - 1] = '"'; /* needs an escape: the strbuf path, whatever the length */
		snprintf(want, sizeof(want), "\"%.*s\\\"\"", (int)len - 1, in);
		got = printed(dd_json_strn(in, len));
		assert_string_equal(got, want);
		free(got);
	}
	/* only the first len bytes, not up to the NUL */
	got = printed(dd_json_strn("abcdef", 3));
	assert_string_equal(got, "\"abc\"");
	free(got);
}

/* dd_json_int writes the digits cJSON's own numbers print. */
static void test_json_int(void **state)
{
	(void)state;
	const int64_t v[] = { 0, 7, -1, 10, 1560, -2147483648LL, 4294967296LL, 999999999999999LL };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *got = printed(dd_json_int(v[i]));
		char *want = printed(cJSON_CreateNumber((double)v[i]));
		assert_string_equal(got, want);
		free(got);
		free(want);
	}
	char *got = printed(dd_json_int(INT64_MIN));
	assert_string_equal(got, "-9223372036854775808");
	free(got);
	cJSON *o = cJSON_CreateObject();
	dd_json_add_int(o, "messages", 42);
	got = printed(o);
	assert_string_equal(got, "{\"messages\":42}");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terminal), cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),      cmocka_unit_test(test_json_items),
		cmocka_unit_test(test_json_int),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
