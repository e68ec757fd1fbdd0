/*
 * dkim_parse.c: a DKIM key record split into its tags (RFC 6376 §3.6.1),
 * on top of the shared tag=value list (include/dd/parse.h, RFC 6376 §3.2).
 *
 * Reads: v= (must be first, must be "DKIM1"), h= (hash algorithms), k= (key
 * type), n= (notes), p= (the key), s= (service types), t= (flags), and the
 * obsolete g= of RFC 4871 §3.6.1 that old records still carry.
 * Ignores: tags it does not know (RFC 6376 §3.6.1: "Unrecognized tags MUST
 * be ignored"), unknown h=/s=/t= list items (likewise).
 * Never fails: every problem is recorded with its column, for the findings.
 */
#include <string.h>

#include "dd/dkim.h"
#include "dd/parse.h"
#include "dd/util.h"

static bool tag_is(const struct dd_tag *t, const char *name)
{
	size_t n = strlen(name);
	return t->name_len == n && memcmp(t->name, name, n) == 0;
}

/* Equal to `word` once folding whitespace inside is dropped ("sha 256"). */
static bool item_is(const struct dd_dkim_item *it, const char *word)
{
	size_t w = 0, n = strlen(word);
	for (size_t i = 0; i < it->len; i++) {
		char c = it->s[i];
		if (dd_is_fws((unsigned char)c))
			continue;
		if (w == n || !dd_strncaseeq(&c, &word[w++], 1))
			return false;
	}
	return w == n;
}

/*
 * The next item of a colon-separated list (RFC 6376 §3.6.1: h=, s=, t= are
 * "[FWS] ':' [FWS]"-separated), trimmed, from *pos on; false at the end.
 * Empty items are skipped.
 */
static bool next_item(const char *s, size_t len, size_t *pos, struct dd_dkim_item *it)
{
	while (*pos <= len) {
		size_t a = *pos, b = a;
		while (b < len && s[b] != ':')
			b++;
		*pos = b + 1;
		while (a < b && dd_is_fws((unsigned char)s[a]))
			a++;
		while (b > a && dd_is_fws((unsigned char)s[b - 1]))
			b--;
		if (b > a) {
			*it = (struct dd_dkim_item){ s + a, b - a };
			return true;
		}
	}
	return false;
}

/* Keep an item for the output while there is room; the flags read them all. */
static void keep_item(struct dd_dkim_item *list, size_t *n, const struct dd_dkim_item *it)
{
	if (*n < DD_DKIM_MAX_LIST)
		list[(*n)++] = *it;
}

static void set_error(struct dd_dkim_record *r, const struct dd_text *why, size_t column)
{
	if (r->error)
		return;
	r->error = why;
	r->error_column = column;
}

bool dd_dkim_looks_like_key(const char *txt, size_t len)
{
	struct dd_taglist tl;
	dd_taglist_parse(txt, len, &tl);
	if (tl.n == 0)
		return false;
	const struct dd_tag *first = &tl.tags[0];
	/* "v=DMARC1; p=reject" is not a key record; "v=DKIM1: g=*" is a broken one */
	if (tag_is(first, "v"))
		return dd_memcaseprefix(first->value, first->value_len, "dkim");
	for (size_t i = 0; i < tl.n; i++)
		if (tag_is(&tl.tags[i], "p") || tag_is(&tl.tags[i], "k"))
			return true;
	return false;
}

bool dd_dkim_looks_like_hostname(const char *txt, size_t len)
{
	if (len > 0 && txt[len - 1] == '.')
		len--;
	if (len == 0 || len > DD_NAME_MAX)
		return false;
	size_t dots = 0, label = 0;
	for (size_t i = 0; i < len; i++) {
		char c = txt[i];
		if (c == '.') {
			if (label == 0)
				return false;
			dots++;
			label = 0;
			continue;
		}
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '-' || c == '_';
		if (!ok || ++label > 63)
			return false;
	}
	return dots >= 1 && label > 0;
}

static void read_tag(struct dd_dkim_record *r, const struct dd_tag *t, bool first)
{
	struct dd_dkim_item it;
	if (tag_is(t, "v")) {
		r->has_v = true;
		r->v_first = first;
		r->v = t->value;
		r->v_len = t->value_len;
		r->v_column = t->value_column;
		r->v_tag_column = t->column;
		/* RFC 6376 §3.6.1: "If specified, this tag MUST be set to "DKIM1"" */
		r->v_is_dkim1 = t->value_len == 5 && memcmp(t->value, "DKIM1", 5) == 0;
	} else if (tag_is(t, "k")) {
		r->k = t->value;
		r->k_len = t->value_len;
		r->k_column = t->value_column;
	} else if (tag_is(t, "p")) {
		r->has_p = true;
		r->p = t->value;
		r->p_len = t->value_len;
		r->p_column = t->value_column;
	} else if (tag_is(t, "h")) {
		r->has_h = true;
		r->nh = 0;
		r->h_sha1 = r->h_sha256 = false;
		for (size_t pos = 0; next_item(t->value, t->value_len, &pos, &it);) {
			keep_item(r->h, &r->nh, &it);
			r->h_sha1 |= item_is(&it, "sha1");
			r->h_sha256 |= item_is(&it, "sha256");
		}
	} else if (tag_is(t, "s")) {
		r->has_s = true;
		r->ns = 0;
		r->s_email = false;
		for (size_t pos = 0; next_item(t->value, t->value_len, &pos, &it);) {
			keep_item(r->s, &r->ns, &it);
			r->s_email |= item_is(&it, "email") || item_is(&it, "*");
		}
	} else if (tag_is(t, "t")) {
		r->has_t = true;
		r->nt = 0;
		r->testing = r->strict = false;
		for (size_t pos = 0; next_item(t->value, t->value_len, &pos, &it);) {
			keep_item(r->t, &r->nt, &it);
			r->testing |= item_is(&it, "y");
			r->strict |= item_is(&it, "s");
		}
	} else if (tag_is(t, "n")) {
		r->n = t->value;
		r->n_len = t->value_len;
	} else if (tag_is(t, "g")) {
		r->g = t->value;
		r->g_len = t->value_len;
	}
}

void dd_dkim_record_parse(const char *txt, size_t len, struct dd_dkim_record *r)
{
	static const struct dd_text too_many_tags = {
		"more than 64 tags, the most dmarc-doctor reads",
		"タグが 64 個を超えています (dmarc-doctor が読むのは 64 個まで)"
	};
	static const struct dd_text tag_twice = { "a tag appears twice",
		                                  "同じタグが 2 回あります" };
	struct dd_taglist tl;
	memset(r, 0, sizeof(*r));
	dd_taglist_parse(txt, len, &tl);
	if (tl.error)
		set_error(r, tl.error, tl.error_column);
	if (tl.truncated)
		set_error(r, &too_many_tags, 1);
	for (size_t i = 0; i < tl.n; i++) {
		/* RFC 6376 §3.2: a tag name occurring twice invalidates the whole list */
		for (size_t j = 0; j < i; j++)
			if (tl.tags[j].name_len == tl.tags[i].name_len &&
			    memcmp(tl.tags[j].name, tl.tags[i].name, tl.tags[i].name_len) == 0)
				set_error(r, &tag_twice, tl.tags[i].column);
		read_tag(r, &tl.tags[i], i == 0);
	}

	if (!r->has_s)
		r->s_email = true; /* RFC 6376 §3.6.1: s= defaults to "*" */
	const char *q = memchr(txt, '"', len);
	r->quote_column = q ? (size_t)(q - txt) + 1 : 0;
}
