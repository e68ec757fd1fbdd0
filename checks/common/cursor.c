/*
 * cursor.c: the bounded cursor with a sticky error, and the tag=value list
 * of RFC 6376 §3.2 that DMARC (RFC 9989 §4.7) and DKIM records share:
 *
 *   tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
 *   tag-spec  = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *   tag-name  = ALPHA *ALNUMPUNC          (ALPHA / DIGIT / "_")
 *   tag-value = [ tval *( 1*(WSP / FWS) tval ) ]
 *   tval      = 1*VALCHAR                 (%x21-3A / %x3C-7E)
 *
 * Empty specs (";;") are tolerated: real DKIM records carry them and every
 * verifier we know accepts them.
 */
#include <string.h>

#include "dd/parse.h"

/* clang-format off */
static const struct dd_text too_long = {"record too long", "レコードが長すぎます"};
static const struct dd_text tag_name_letter = {"a tag name must start with a letter",
	"タグ名は英字で始まらなければなりません"};
static const struct dd_text tag_no_equals = {"expected '=' after the tag name",
	"タグ名の後に '=' が必要です"};
static const struct dd_text tag_value_char = {"a character that is not allowed in a tag value",
	"タグの値に使えない文字があります"};
/* clang-format on */

const struct dd_text dd_taglist_broken = { "it is not a list of tag=value pairs",
	                                   "tag=value の並びになっていません" };

void dd_cursor_init(struct dd_cursor *c, const char *s, size_t len)
{
	c->s = s;
	c->len = len > DD_PARSE_MAX_RECORD ? DD_PARSE_MAX_RECORD : len;
	c->pos = 0;
	c->error = len > DD_PARSE_MAX_RECORD ? &too_long : NULL;
	c->error_pos = 0;
}

bool dd_cursor_eof(const struct dd_cursor *c)
{
	return c->pos >= c->len;
}

int dd_cursor_peek(const struct dd_cursor *c)
{
	return c->pos < c->len ? (unsigned char)c->s[c->pos] : -1;
}

void dd_cursor_fail_at(struct dd_cursor *c, size_t pos, const struct dd_text *why)
{
	if (c->error)
		return;
	c->error = why;
	c->error_pos = pos;
}

void dd_cursor_fail(struct dd_cursor *c, const struct dd_text *why)
{
	dd_cursor_fail_at(c, c->pos, why);
}

bool dd_is_fws(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

size_t dd_cursor_skip_ws(struct dd_cursor *c)
{
	size_t start = c->pos;
	while (c->pos < c->len && dd_is_fws((unsigned char)c->s[c->pos]))
		c->pos++;
	return c->pos - start;
}

bool dd_cursor_accept(struct dd_cursor *c, char ch)
{
	if (c->pos < c->len && c->s[c->pos] == ch) {
		c->pos++;
		return true;
	}
	return false;
}

static bool is_alpha(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool is_alnumpunc(int ch)
{
	return is_alpha(ch) || (ch >= '0' && ch <= '9') || ch == '_';
}

static bool is_valchar(int ch)
{
	return ch >= 0x21 && ch <= 0x7e && ch != ';';
}

static void taglist_fail(struct dd_taglist *out, struct dd_cursor *c, size_t pos,
                         const struct dd_text *why)
{
	dd_cursor_fail_at(c, pos, why);
	if (!out->error) {
		out->error = why;
		out->error_column = pos + 1;
	}
}

/* Skip to just past the next ';' after an error, so later tags are still read. */
static void skip_spec(struct dd_cursor *c)
{
	while (c->pos < c->len && c->s[c->pos] != ';')
		c->pos++;
	dd_cursor_accept(c, ';');
}

static void parse_spec(struct dd_cursor *c, struct dd_taglist *out)
{
	dd_cursor_skip_ws(c);
	if (dd_cursor_eof(c) || dd_cursor_peek(c) == ';') {
		dd_cursor_accept(c, ';'); /* empty spec */
		return;
	}
	size_t name_start = c->pos;
	if (!is_alpha(dd_cursor_peek(c))) {
		taglist_fail(out, c, c->pos, &tag_name_letter);
		skip_spec(c);
		return;
	}
	while (c->pos < c->len && is_alnumpunc((unsigned char)c->s[c->pos]))
		c->pos++;
	size_t name_end = c->pos;
	dd_cursor_skip_ws(c);
	if (!dd_cursor_accept(c, '=')) {
		taglist_fail(out, c, c->pos, &tag_no_equals);
		skip_spec(c);
		return;
	}
	dd_cursor_skip_ws(c);
	size_t value_start = c->pos, value_end = c->pos;
	while (c->pos < c->len && c->s[c->pos] != ';') {
		int ch = (unsigned char)c->s[c->pos];
		if (is_valchar(ch))
			value_end = c->pos + 1;
		else if (!dd_is_fws(ch))
			taglist_fail(out, c, c->pos, &tag_value_char);
		c->pos++;
	}
	dd_cursor_accept(c, ';');
	if (out->n == DD_PARSE_MAX_TAGS) {
		out->truncated = true;
		return;
	}
	struct dd_tag *t = &out->tags[out->n++];
	t->name = c->s + name_start;
	t->name_len = name_end - name_start;
	t->value = c->s + value_start;
	t->value_len = value_end - value_start;
	t->column = name_start + 1;
	t->value_column = value_start + 1;
}

void dd_taglist_parse(const char *s, size_t len, struct dd_taglist *out)
{
	struct dd_cursor c;
	memset(out, 0, sizeof(*out));
	dd_cursor_init(&c, s, len);
	if (c.error) {
		out->error = c.error;
		out->error_column = 1;
	}
	while (!dd_cursor_eof(&c) && !out->truncated)
		parse_spec(&c, out);
}

const struct dd_tag *dd_taglist_get(const struct dd_taglist *t, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < t->n; i++)
		if (t->tags[i].name_len == n && memcmp(t->tags[i].name, name, n) == 0)
			return &t->tags[i];
	return NULL;
}
