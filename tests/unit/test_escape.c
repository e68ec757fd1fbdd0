/*
 * test_escape.c: no DNS byte reaches a terminal or a document unescaped.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/render.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terminal),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
