/*
 * dmarc_parse.c: recognising a DMARC record and reading the tags policy
 * discovery needs (RFC 9989 §4.7), and the names of the DNS Tree Walk
 * (RFC 9989 §4.10). Full tag validation is the DMARC check's job.
 */
#include <string.h>

#include "dd/dmarc.h"
#include "dd/parse.h"
#include "dd/util.h"

const char *dd_policy_name(enum dd_policy p)
{
	switch (p) {
	case DD_POLICY_NONE: return "none";
	case DD_POLICY_QUARANTINE: return "quarantine";
	case DD_POLICY_REJECT: return "reject";
	case DD_POLICY_UNSET: return NULL;
	case DD_POLICY_INVALID: return NULL;
	}
	return NULL;
}

enum dd_policy dd_policy_parse(const char *s, size_t len)
{
	static const struct {
		const char *name;
		enum dd_policy policy;
	} names[] = {
		{ "none", DD_POLICY_NONE },
		{ "quarantine", DD_POLICY_QUARANTINE },
		{ "reject", DD_POLICY_REJECT },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(names); i++)
		if (strlen(names[i].name) == len && dd_strncaseeq(s, names[i].name, len))
			return names[i].policy;
	return DD_POLICY_INVALID;
}

/*
 * RFC 9989 §4.10 step 2: records that do not start with a "v=" tag naming
 * DMARC1 are discarded. Whitespace around the tag is allowed (RFC 6376 §3.2
 * tag-spec), the value must be exactly "DMARC1" (RFC 9989 §4.7).
 */
bool dd_dmarc_is_record(const char *txt, size_t len)
{
	struct dd_cursor c;
	dd_cursor_init(&c, txt, len);
	dd_cursor_skip_ws(&c);
	if (!dd_cursor_accept(&c, 'v'))
		return false;
	dd_cursor_skip_ws(&c);
	if (!dd_cursor_accept(&c, '='))
		return false;
	dd_cursor_skip_ws(&c);
	if (c.len - c.pos < 6 || memcmp(c.s + c.pos, "DMARC1", 6) != 0)
		return false;
	c.pos += 6;
	dd_cursor_skip_ws(&c);
	return dd_cursor_eof(&c) || dd_cursor_peek(&c) == ';';
}

bool dd_dmarc_record_scan(const char *txt, size_t len, struct dd_dmarc_record *out)
{
	memset(out, 0, sizeof(*out));
	if (!dd_dmarc_is_record(txt, len))
		return false;
	out->valid_version = true;
	struct dd_taglist tl;
	dd_taglist_parse(txt, len, &tl);
	const struct dd_tag *t;
	if ((t = dd_taglist_get(&tl, "p")))
		out->p = dd_policy_parse(t->value, t->value_len);
	if ((t = dd_taglist_get(&tl, "sp")))
		out->sp = dd_policy_parse(t->value, t->value_len);
	if ((t = dd_taglist_get(&tl, "np")))
		out->np = dd_policy_parse(t->value, t->value_len);
	if ((t = dd_taglist_get(&tl, "psd")) && t->value_len == 1)
		out->psd = (char)(t->value[0] | 0x20);
	if ((t = dd_taglist_get(&tl, "rua")) && t->value_len > 0)
		out->has_rua = true;
	return true;
}

/*
 * RFC 9989 §4.10: start at _dmarc.<domain>; then, with x labels left, drop
 * one label when x < 5, or jump to the last four labels when x >= 5; stop
 * when no label remains. At most five names. A name that would be too long
 * for the DNS is skipped (it cannot hold a record).
 */
size_t dd_dmarc_walk_names(const char *domain, char out[][DD_NAME_MAX + 1], size_t max)
{
	size_t n = 0;
	const char *cur = domain;
	while (cur && *cur && n < max) {
		size_t len = strlen(cur);
		if (len + 7 <= DD_NAME_MAX) {
			memcpy(out[n], "_dmarc.", 7);
			memcpy(out[n] + 7, cur, len + 1);
			n++;
		}
		size_t x = dd_name_labels(cur);
		if (x >= 5) {
			while (dd_name_labels(cur) > 4)
				cur = dd_name_parent(cur);
		} else {
			cur = dd_name_parent(cur);
		}
	}
	return n;
}
