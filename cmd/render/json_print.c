/*
 * json_print.c: cJSON's unformatted print, written into one buffer.
 *
 * cJSON_PrintUnformatted (cJSON 1.7.15) was 40 % of writing a JSON line
 * (callgrind, 300 bench domains: 45 M of 110 M instructions without the
 * store, 68 M of 159 M with it): it walks every string twice, checks its
 * buffer with ensure() at each value and escapes every key, where ours are
 * all constants. The text is byte for byte cJSON's, which the tests check
 * against cJSON itself on every kind of node (test_json_print.c):
 *   - strings escape '"', '\\', \b \f \n \r \t, other bytes below 0x20 as
 *     \u00xx (lowercase hex), and pass every other byte as it is;
 *   - a number prints as %1.15g when that reads back the same double
 *     (cJSON's compare_double), else as %1.17g; NaN and infinities as null;
 *   - raw items are copied as they are (json.c's integers and quoted plain
 *     strings); a raw item without text, which cJSON refuses to print at
 *     all, is null here.
 */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/json.h"
#include "dd/util.h"

static void put(struct dd_strbuf *b, const char *s, size_t n)
{
	dd_strbuf_add(b, s, n);
}

/* One byte: most of what a JSON line adds is a quote, a colon or a comma,
 * written in place while the buffer has room (it grows once per batch). */
static inline void put1(struct dd_strbuf *b, char c)
{
	if (b->cap - b->len <= 1) {
		dd_strbuf_addc(b, c);
		return;
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

static void put_string(struct dd_strbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	put1(b, '"');
	if (s) {
		const unsigned char *p = (const unsigned char *)s, *run = p;
		for (; *p; p++) {
			if (*p >= 0x20 && *p != '"' && *p != '\\')
				continue;
			put(b, (const char *)run, (size_t)(p - run));
			char e[6] = { '\\', (char)*p, 0, 0, 0, 0 };
			size_t n = 2;
			switch (*p) {
			case '"':
			case '\\': break;
			case '\b': e[1] = 'b'; break;
			case '\f': e[1] = 'f'; break;
			case '\n': e[1] = 'n'; break;
			case '\r': e[1] = 'r'; break;
			case '\t': e[1] = 't'; break;
			default:
				memcpy(e + 1, "u00", 3);
				e[4] = hex[*p >> 4];
				e[5] = hex[*p & 15];
				n = 6;
			}
			put(b, e, n);
			run = p + 1;
		}
		put(b, (const char *)run, (size_t)(p - run));
	}
	put1(b, '"');
}

/* cJSON's compare_double: equal within the precision of the larger. */
static bool same_double(double a, double b)
{
	double most = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
	return fabs(a - b) <= most * DBL_EPSILON;
}

/* cJSON's print_number, to the digit. */
static void put_number(struct dd_strbuf *b, const cJSON *item)
{
	char text[32];
	double d = item->valuedouble;
	int n;
	if (isnan(d) || isinf(d)) {
		n = snprintf(text, sizeof(text), "null");
	} else {
		n = snprintf(text, sizeof(text), "%1.15g", d);
		double back;
		if (sscanf(text, "%lg", &back) != 1 || !same_double(back, d))
			n = snprintf(text, sizeof(text), "%1.17g", d);
	}
	/* cJSON writes '.' whatever the locale's decimal point */
	const char *point = localeconv()->decimal_point;
	for (int i = 0; i < n && point && point[0] && point[0] != '.'; i++)
		if (text[i] == point[0])
			text[i] = '.';
	put(b, text, (size_t)n);
}

void dd_json_print(const cJSON *item, struct dd_strbuf *b)
{
	switch (item->type & 0xff) {
	case cJSON_False: put(b, "false", 5); return;
	case cJSON_True: put(b, "true", 4); return;
	case cJSON_Number: put_number(b, item); return;
	case cJSON_String: put_string(b, item->valuestring); return;
	case cJSON_Raw:
		if (item->valuestring)
			put(b, item->valuestring, strlen(item->valuestring));
		else
			put(b, "null", 4);
		return;
	case cJSON_Array:
	case cJSON_Object: {
		bool object = (item->type & 0xff) == cJSON_Object;
		put1(b, object ? '{' : '[');
		for (const cJSON *c = item->child; c; c = c->next) {
			if (c != item->child)
				put1(b, ',');
			if (object) {
				put_string(b, c->string);
				put1(b, ':');
			}
			dd_json_print(c, b);
		}
		put1(b, object ? '}' : ']');
		return;
	}
	default: put(b, "null", 4); return; /* cJSON_NULL, and an invalid node */
	}
}
