/*
 * escape.c: the one escaper for text that came from the DNS.
 *
 * A TXT record can carry any byte. Written raw to a terminal, an ESC
 * sequence can rewrite the screen, set the window title or hide a record;
 * bidi overrides (U+202E) can make a record read backwards. So:
 *   - printable ASCII and well-formed, printable UTF-8 pass;
 *   - '\' is doubled, so every escape below is unambiguous;
 *   - C0 controls, DEL and undecodable bytes become \xNN;
 *   - C1 controls and bidi/formatting controls become \u{NNNN}.
 * JSON gets the same treatment for what JSON cannot carry (invalid UTF-8);
 * controls use JSON's own \u00NN there.
 */
#include <stdint.h>
#include <string.h>

#include "dd/render.h"

/* Length of the well-formed UTF-8 sequence at s (RFC 3629 §4), 0 when none. */
static size_t utf8_len(const unsigned char *s, size_t len, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n;
	uint32_t min;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2, min = 0x80, *cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3, min = 0x800, *cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4, min = 0x10000, *cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* Code points a terminal acts on instead of showing. */
static bool is_invisible_control(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||     /* C1, including 8-bit CSI */
	       cp == 0x061c ||                   /* ARABIC LETTER MARK */
	       (cp >= 0x200b && cp <= 0x200f) || /* zero width, LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202e) || /* separators, embeddings, overrides */
	       (cp >= 0x2060 && cp <= 0x206f) || /* isolates and invisible operators */
	       cp == 0xfeff;                     /* BOM / ZWNBSP */
}

/* Bytes that every escaper passes as they are: printable ASCII but '"' and '\\'. */
static size_t plain_run(const unsigned char *s, size_t len)
{
	size_t n = 0;
	while (n < len && s[n] >= 0x20 && s[n] < 0x7f && s[n] != '"' && s[n] != '\\')
		n++;
	return n;
}

size_t dd_escape_json_plain(const char *s, size_t len)
{
	return plain_run((const unsigned char *)s, len);
}

int dd_text_columns(const char *s, size_t len)
{
	int cols = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xc0) == 0x80)
			continue;
		cols += c >= 0xe0 ? 2 : 1;
	}
	return cols;
}

void dd_text_put_padded(FILE *out, const char *s, size_t len, int width)
{
	if (len)
		fwrite(s, 1, len, out);
	for (int cols = dd_text_columns(s, len); cols < width; cols++)
		fputc(' ', out);
}

void dd_escape_text(struct dd_strbuf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t run = plain_run(u + i, len - i);
		if (run) { /* most DNS text: printable ASCII, copied at once */
			dd_strbuf_add(out, s + i, run);
			i += run;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_len(u + i, len - i, &cp);
		if (n == 0 || cp < 0x20 || cp == 0x7f) {
			dd_strbuf_addf(out, "\\x%02X", u[i]);
			i++;
		} else if (cp == '\\') {
			dd_strbuf_adds(out, "\\\\");
			i++;
		} else if (is_invisible_control(cp)) {
			dd_strbuf_addf(out, "\\u{%04X}", cp);
			i += n;
		} else {
			dd_strbuf_add(out, s + i, n);
			i += n;
		}
	}
}

void dd_escape_json(struct dd_strbuf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	dd_strbuf_addc(out, '"');
	for (size_t i = 0; i < len;) {
		size_t run = plain_run(u + i, len - i);
		if (run) {
			dd_strbuf_add(out, s + i, run);
			i += run;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_len(u + i, len - i, &cp);
		if (n == 0) {
			dd_strbuf_addf(out, "\\\\x%02X", u[i]); /* the text \xNN */
			i++;
			continue;
		}
		switch (cp) {
		case '"': dd_strbuf_adds(out, "\\\""); break;
		case '\\': dd_strbuf_adds(out, "\\\\"); break;
		case '\n': dd_strbuf_adds(out, "\\n"); break;
		case '\r': dd_strbuf_adds(out, "\\r"); break;
		case '\t': dd_strbuf_adds(out, "\\t"); break;
		default:
			if (cp < 0x20 || cp == 0x7f || is_invisible_control(cp))
				dd_strbuf_addf(out, "\\u%04X", cp);
			else
				dd_strbuf_add(out, s + i, n);
		}
		i += n;
	}
	dd_strbuf_addc(out, '"');
}

void dd_escape_csv(struct dd_strbuf *out, const char *s, size_t len)
{
	struct dd_strbuf safe;
	dd_strbuf_init(&safe);
	dd_escape_text(&safe, s, len);
	bool quote = safe.len == 0 ? false : strpbrk(safe.s, ",\"") != NULL;
	/* A cell starting with = + - @ is a formula to spreadsheets: quote-prefix it. */
	bool formula = safe.len && strchr("=+-@", safe.s[0]) != NULL;
	if (quote || formula)
		dd_strbuf_addc(out, '"');
	if (formula)
		dd_strbuf_addc(out, '\'');
	for (size_t i = 0; i < safe.len; i++) {
		if (safe.s[i] == '"')
			dd_strbuf_addc(out, '"');
		dd_strbuf_addc(out, safe.s[i]);
	}
	if (quote || formula)
		dd_strbuf_addc(out, '"');
	dd_strbuf_finish(&safe);
}

void dd_escape_html(struct dd_strbuf *out, const char *s, size_t len)
{
	/* first what a terminal would need (controls, bidi overrides and invalid
	 * UTF-8 shown, not obeyed), then the five characters HTML gives meaning
	 * to - in text and in quoted attribute values alike */
	struct dd_strbuf safe;
	dd_strbuf_init(&safe);
	dd_escape_text(&safe, s, len);
	for (size_t i = 0; i < safe.len; i++) {
		switch (safe.s[i]) {
		case '&': dd_strbuf_adds(out, "&amp;"); break;
		case '<': dd_strbuf_adds(out, "&lt;"); break;
		case '>': dd_strbuf_adds(out, "&gt;"); break;
		case '"': dd_strbuf_adds(out, "&quot;"); break;
		case '\'': dd_strbuf_adds(out, "&#39;"); break;
		default: dd_strbuf_addc(out, safe.s[i]);
		}
	}
	dd_strbuf_finish(&safe);
}
