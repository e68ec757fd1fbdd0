/*
 * test_json_print.c: dd_json_print (cmd/render/json_print.c) writes what
 * cJSON_PrintUnformatted writes, byte for byte: on each kind of node, on
 * every byte a string can hold, on numbers cJSON prints three ways, and on
 * a few thousand random trees.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "render/json.h"
#include "dd/util.h"

/* Both printers on item, which must agree; deletes item. */
static void same_as_cjson(cJSON *item)
{
	char *want = cJSON_PrintUnformatted(item);
	assert_non_null(want);
	struct dd_strbuf got;
	dd_strbuf_init(&got);
	dd_strbuf_adds(&got, "prefix:"); /* appends, after what the buffer holds */
	dd_json_print(item, &got);
	assert_string_equal(got.s + 7, want);
	assert_int_equal(got.len, 7 + strlen(want));
	dd_strbuf_finish(&got);
	free(want);
	cJSON_Delete(item);
}

static void test_each_kind(void **state)
{
	(void)state;
	same_as_cjson(cJSON_CreateNull());
	same_as_cjson(cJSON_CreateTrue());
	same_as_cjson(cJSON_CreateFalse());
	same_as_cjson(cJSON_CreateString(""));
	same_as_cjson(cJSON_CreateRaw("{\"already\":1}"));
	same_as_cjson(cJSON_CreateArray());
	same_as_cjson(cJSON_CreateObject());
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "empty", cJSON_CreateObject());
	cJSON_AddItemToObject(o, "list", cJSON_CreateArray());
	cJSON *a = cJSON_AddArrayToObject(o, "nested");
	cJSON_AddItemToArray(a, cJSON_CreateArray());
	cJSON_AddItemToArray(a, cJSON_CreateNumber(1));
	cJSON_AddItemToArray(a, cJSON_CreateString("two"));
	cJSON_AddItemToObject(o, "int", dd_json_int(-1234567890123));
	cJSON_AddItemToObject(o, "plain", dd_json_str("quoted on the stack"));
	cJSON_AddItemToObject(o, "k\"e\\y\n", cJSON_CreateNull()); /* a key that needs escaping */
	same_as_cjson(o);
	/* a string node without text prints as an empty string in both */
	cJSON *s = cJSON_CreateString("x");
	free(s->valuestring);
	s->valuestring = NULL;
	same_as_cjson(s);
}

static void test_every_byte(void **state)
{
	(void)state;
	char text[256];
	for (int c = 1; c < 256; c++)
		text[c - 1] = (char)c;
	text[255] = '\0';
	same_as_cjson(cJSON_CreateString(text)); /* controls, '"', '\\', DEL, high bytes */
	same_as_cjson(cJSON_CreateString("日本語のドメイン \xe2\x80\xae reversed"));
	same_as_cjson(cJSON_CreateString("\"\\\b\f\n\r\t\x01\x1f"));
}

static void test_numbers(void **state)
{
	(void)state;
	const double v[] = { 0,
		             -0.0,
		             1,
		             -1,
		             1.5,
		             0.1,
		             1.0 / 3,
		             2.0 / 3,
		             1e300,
		             -1e-300,
		             3.141592653589793,
		             12345678901234567890.0,
		             2147483647.0,
		             2147483648.0,
		             -2147483649.0,
		             9007199254740993.0,
		             5e-324,
		             NAN,
		             INFINITY,
		             -INFINITY,
		             100,
		             1e15,
		             1e16,
		             123.456 };
	for (size_t i = 0; i < DD_ARRAY_LEN(v); i++)
		same_as_cjson(cJSON_CreateNumber(v[i]));
}

/* A random tree of up to `depth` levels, from a fixed seed. */
static unsigned long seed = 12345;

static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)(seed >> 33) % n;
}

static void random_text(char *out, size_t max)
{
	static const char pool[] = "abc\"\\\n\t\x01\x1f\x7f\xc3\xa9 ./:{}[],";
	size_t n = rnd((unsigned)max);
	for (size_t i = 0; i < n; i++)
		out[i] = pool[rnd(sizeof(pool) - 1)];
	out[n] = '\0';
}

static cJSON *random_tree(int depth)
{
	char text[24];
	switch (rnd(depth > 0 ? 8 : 6)) {
	case 0: return cJSON_CreateNull();
	case 1: return cJSON_CreateBool(rnd(2));
	case 2: return cJSON_CreateNumber((double)rnd(100000) / (rnd(3) ? 1 : 7) - 500);
	case 3: random_text(text, sizeof(text)); return cJSON_CreateString(text);
	case 4: return dd_json_int((int64_t)rnd(1000000) - 1000);
	case 5: random_text(text, sizeof(text)); return dd_json_str(text);
	case 6: {
		cJSON *a = cJSON_CreateArray();
		for (unsigned i = rnd(5); i > 0; i--)
			cJSON_AddItemToArray(a, random_tree(depth - 1));
		return a;
	}
	default: {
		cJSON *o = cJSON_CreateObject();
		for (unsigned i = rnd(5); i > 0; i--) {
			random_text(text, 8);
			cJSON_AddItemToObject(o, text, random_tree(depth - 1));
		}
		return o;
	}
	}
}

static void test_random_trees(void **state)
{
	(void)state;
	for (int i = 0; i < 3000; i++)
		same_as_cjson(random_tree(5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_kind),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_random_trees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
