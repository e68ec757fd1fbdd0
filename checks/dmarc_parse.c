/*
 * dmarc_parse.c: reading a DMARC record (RFC 9989 §4.7, ABNF §4.8) and the
 * names of the DNS Tree Walk (RFC 9989 §4.10).
 *
 * What the parser accepts, and why (receivers differ; the corpus case list
 * /work/shared/corpus/dmarc-records/CASES.md names them):
 *  - "v=DMARC1" must come first and its value must be exactly DMARC1
 *    (RFC 9989 §4.7: "MUST match precisely"; mailauth rejects "v=dmarc1",
 *    OpenDMARC compares case-insensitively - such a record is reported as
 *    not recognised, because RFC 9989 receivers ignore it).
 *  - Tag names and the values of p, sp, np, adkim, aspf, t, psd and fo are
 *    read case-insensitively: the ABNF's quoted literals are
 *    case-insensitive (RFC 5234 §2.3), and OpenDMARC, mailauth, Stalwart and
 *    checkdmarc all accept "V=DMARC1; P=Reject; adkim=S".
 *  - Whitespace around '=' and ';' is allowed (RFC 9989 §4.8 "equals",
 *    "dmarc-sep"). Whitespace before "v" is not in the ABNF: OpenDMARC
 *    trims it, checkdmarc rejects the record, so it is accepted with a note.
 *  - Abbreviated policies ("p=r") are errors: OpenDMARC accepts any prefix
 *    of "reject", RFC 9989 and checkdmarc do not.
 *  - A tag given twice is an error: RFC 6376 §3.2 (whose tag=value syntax
 *    DMARC uses) makes the whole list invalid; OpenDMARC keeps the last
 *    value, this parser reports the first.
 *  - pct, rf and ri were removed by RFC 9989 (Appendix C.5.2) and are noted,
 *    not rejected; unknown tags are ignored as §4.7 requires, and noted.
 *  - rua/ruf entries are URIs; a "!size" suffix (RFC 7489 §6.2) is read and
 *    noted as removed (RFC 9989 Appendix C.4 and §4.8, which wants '!'
 *    percent-encoded). Only mailto addresses are followed further.
 */
#include <stdint.h>
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

bool dd_policy_valid(enum dd_policy p)
{
	return p == DD_POLICY_NONE || p == DD_POLICY_QUARANTINE || p == DD_POLICY_REJECT;
}

static const char *const tag_names[] = {
	[DD_DMARC_TAG_UNKNOWN] = NULL, [DD_DMARC_TAG_V] = "v",   [DD_DMARC_TAG_P] = "p",
	[DD_DMARC_TAG_SP] = "sp",      [DD_DMARC_TAG_NP] = "np", [DD_DMARC_TAG_ADKIM] = "adkim",
	[DD_DMARC_TAG_ASPF] = "aspf",  [DD_DMARC_TAG_FO] = "fo", [DD_DMARC_TAG_RUA] = "rua",
	[DD_DMARC_TAG_RUF] = "ruf",    [DD_DMARC_TAG_T] = "t",   [DD_DMARC_TAG_PSD] = "psd",
	[DD_DMARC_TAG_PCT] = "pct",    [DD_DMARC_TAG_RF] = "rf", [DD_DMARC_TAG_RI] = "ri",
};

const char *dd_dmarc_tag_name(enum dd_dmarc_tag_id id)
{
	return (size_t)id < DD_ARRAY_LEN(tag_names) ? tag_names[id] : NULL;
}

static enum dd_dmarc_tag_id tag_id(const char *name, size_t len)
{
	for (size_t i = 1; i < DD_ARRAY_LEN(tag_names); i++)
		if (strlen(tag_names[i]) == len && dd_strncaseeq(name, tag_names[i], len))
			return (enum dd_dmarc_tag_id)i;
	return DD_DMARC_TAG_UNKNOWN;
}

static bool is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * RFC 9989 §4.10 step 2: a record must start with a "v" tag naming DMARC1.
 * "v" is read case-insensitively (RFC 5234 §2.3), DMARC1 exactly (%s"DMARC1").
 */
bool dd_dmarc_is_record(const char *txt, size_t len)
{
	struct dd_cursor c;
	dd_cursor_init(&c, txt, len);
	dd_cursor_skip_ws(&c);
	if (!dd_cursor_accept(&c, 'v') && !dd_cursor_accept(&c, 'V'))
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

static void add_problem(struct dd_dmarc_record *r, enum dd_dmarc_problem_kind kind, size_t tag,
                        size_t uri, size_t column)
{
	if (r->nproblems == DD_DMARC_MAX_PROBLEMS) {
		r->problems_truncated = true;
		return;
	}
	r->problems[r->nproblems++] = (struct dd_dmarc_problem){ kind, tag, uri, column };
}

/* c is one of the characters of set; a record's text may hold NUL bytes, which never are. */
static bool in_set(int c, const char *set)
{
	return c != 0 && strchr(set, c) != NULL;
}

static bool one_of(const char *v, size_t len, const char *letters)
{
	return len == 1 && in_set(v[0] | 0x20, letters);
}

/* fo: a colon-separated list of 0, 1, d and s (RFC 9989 §4.7; RFC 7489 allowed any mix). */
static bool fo_valid(const char *v, size_t len)
{
	size_t i = 0;
	if (len == 0)
		return false;
	for (;;) {
		while (i < len && is_wsp(v[i]))
			i++;
		if (i >= len || !in_set(v[i], "01dsDS"))
			return false;
		i++;
		while (i < len && is_wsp(v[i]))
			i++;
		if (i == len)
			return true;
		if (v[i++] != ':')
			return false;
	}
}

/* The value of pct as a number 0..100, or -1 (RFC 7489 §6.3: an integer 0-100). */
static long pct_value(const char *v, size_t len)
{
	long n = 0;
	if (len == 0 || len > 3)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(v[i]))
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	return n <= 100 ? n : -1;
}

/* "!" 1*DIGIT [ "k" / "m" / "g" / "t" ], whitespace tolerated as Stalwart does. */
static bool size_valid(const char *s, size_t len)
{
	size_t i = 0, digits = 0;
	while (i < len && is_wsp(s[i]))
		i++;
	while (i < len && is_digit(s[i]))
		i++, digits++;
	while (i < len && is_wsp(s[i]))
		i++;
	if (i < len && in_set(s[i], "kmgtKMGT"))
		i++;
	while (i < len && is_wsp(s[i]))
		i++;
	return digits > 0 && i == len;
}

static size_t trim_right(const char *s, size_t len)
{
	while (len && is_wsp(s[len - 1]))
		len--;
	return len;
}

/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1) */
static size_t scheme_len(const char *s, size_t len)
{
	if (len == 0 || !is_alpha(s[0]))
		return 0;
	size_t i = 1;
	while (i < len && (is_alpha(s[i]) || is_digit(s[i]) || in_set(s[i], "+-.")))
		i++;
	return i < len && s[i] == ':' ? i : 0;
}

/*
 * mailto:local@domain[?hfields] (RFC 6068): the address and its domain. A
 * URI is printable ASCII without spaces (RFC 3986 §2), which the advisor's
 * record relies on when it copies the URI.
 */
static bool read_mailto(struct dd_dmarc_uri *u, const char *rest, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)rest[i] < 0x21 || (unsigned char)rest[i] > 0x7e)
			return false;
	size_t end = 0;
	while (end < len && rest[end] != '?')
		end++;
	const char *at = NULL;
	for (size_t i = 0; i < end; i++)
		if (rest[i] == '@')
			at = rest + i;
	if (!at || at == rest)
		return false;
	u->addr = rest;
	u->addr_len = end;
	const char *dom = at + 1;
	size_t dom_len = (size_t)(rest + end - dom);
	return dd_name_normalize(dom, dom_len, u->host, sizeof(u->host));
}

static void parse_uri(struct dd_dmarc_record *r, size_t tag, bool ruf, const char *s, size_t len,
                      size_t column)
{
	if (r->nuris == DD_DMARC_MAX_URIS) {
		if (!r->uris_truncated)
			add_problem(r, DD_DMARC_P_TOO_MANY_URIS, tag, SIZE_MAX, column);
		r->uris_truncated = true;
		return;
	}
	size_t ui = r->nuris++;
	struct dd_dmarc_uri *u = &r->uris[ui];
	memset(u, 0, sizeof(*u));
	u->ruf = ruf;
	u->text = s;
	u->len = len;
	u->column = column;
	u->uri_len = len;
	const char *bang = memchr(s, '!', len);
	if (bang) {
		u->size_limit = true;
		u->uri_len = trim_right(s, (size_t)(bang - s));
		if (!size_valid(bang + 1, len - (size_t)(bang - s) - 1)) {
			add_problem(r, DD_DMARC_P_URI_SIZE_BAD, tag, ui,
			            column + (size_t)(bang - s));
			return;
		}
		add_problem(r, DD_DMARC_P_URI_SIZE, tag, ui, column + (size_t)(bang - s));
	}
	size_t sl = scheme_len(s, u->uri_len);
	if (sl == 0 || sl + 1 == u->uri_len) {
		add_problem(r, DD_DMARC_P_URI_NO_SCHEME, tag, ui, column);
		return;
	}
	if (sl == 6 && dd_strncaseeq(s, "mailto", 6)) {
		u->mailto = true;
		if (!read_mailto(u, s + 7, u->uri_len - 7)) {
			add_problem(r, DD_DMARC_P_URI_ADDRESS, tag, ui, column);
			return;
		}
	} else {
		add_problem(r, DD_DMARC_P_URI_SCHEME, tag, ui, column);
	}
	u->valid = true;
	if (!ruf)
		r->has_rua = true;
}

/* dmarc-urilist = dmarc-uri *(*WSP "," *WSP dmarc-uri) */
static void parse_urilist(struct dd_dmarc_record *r, size_t ti)
{
	const struct dd_dmarc_tag *t = &r->tags[ti];
	bool ruf = t->id == DD_DMARC_TAG_RUF;
	size_t i = 0;
	for (;;) {
		while (i < t->value_len && is_wsp(t->value[i]))
			i++;
		size_t start = i;
		while (i < t->value_len && t->value[i] != ',')
			i++;
		size_t len = trim_right(t->value + start, i - start);
		if (len == 0)
			add_problem(r, DD_DMARC_P_BAD_VALUE, ti, SIZE_MAX, t->value_column + start);
		else
			parse_uri(r, ti, ruf, t->value + start, len, t->value_column + start);
		if (i >= t->value_len)
			return;
		i++; /* the comma */
	}
}

static void check_value(struct dd_dmarc_record *r, size_t ti)
{
	struct dd_dmarc_tag *t = &r->tags[ti];
	const char *v = t->value;
	size_t n = t->value_len;
	bool ok = true;
	switch (t->id) {
	case DD_DMARC_TAG_V: ok = false; break; /* a second v: reported as a duplicate */
	case DD_DMARC_TAG_P: ok = dd_policy_valid(r->p = dd_policy_parse(v, n)); break;
	case DD_DMARC_TAG_SP: ok = dd_policy_valid(r->sp = dd_policy_parse(v, n)); break;
	case DD_DMARC_TAG_NP: ok = dd_policy_valid(r->np = dd_policy_parse(v, n)); break;
	case DD_DMARC_TAG_ADKIM:
		if ((ok = one_of(v, n, "rs")))
			r->adkim = (char)(v[0] | 0x20);
		break;
	case DD_DMARC_TAG_ASPF:
		if ((ok = one_of(v, n, "rs")))
			r->aspf = (char)(v[0] | 0x20);
		break;
	case DD_DMARC_TAG_T:
		if ((ok = one_of(v, n, "yn")))
			r->t = (char)(v[0] | 0x20);
		break;
	case DD_DMARC_TAG_PSD:
		if ((ok = one_of(v, n, "ynu")))
			r->psd = (char)(v[0] | 0x20);
		break;
	case DD_DMARC_TAG_FO: ok = r->fo_valid = fo_valid(v, n); break;
	case DD_DMARC_TAG_RUA:
	case DD_DMARC_TAG_RUF: parse_urilist(r, ti); return;
	case DD_DMARC_TAG_PCT:
		r->pct = pct_value(v, n);
		add_problem(r, DD_DMARC_P_PCT, ti, SIZE_MAX, t->column);
		return;
	case DD_DMARC_TAG_RF:
	case DD_DMARC_TAG_RI: add_problem(r, DD_DMARC_P_REMOVED, ti, SIZE_MAX, t->column); return;
	case DD_DMARC_TAG_UNKNOWN:
		add_problem(r, DD_DMARC_P_UNKNOWN_TAG, ti, SIZE_MAX, t->column);
		return;
	}
	if (!ok)
		add_problem(r, DD_DMARC_P_BAD_VALUE, ti, SIZE_MAX, t->value_column);
}

bool dd_dmarc_parse(const char *txt, size_t len, struct dd_dmarc_record *out)
{
	memset(out, 0, sizeof(*out));
	out->pct = -1;
	if (!dd_dmarc_is_record(txt, len))
		return false;
	out->valid_version = true;
	if (len && (is_wsp(txt[0]) || txt[0] == '\r' || txt[0] == '\n'))
		add_problem(out, DD_DMARC_P_LEADING_SPACE, SIZE_MAX, SIZE_MAX, 1);

	struct dd_taglist tl;
	dd_taglist_parse(txt, len, &tl);
	if (tl.error)
		add_problem(out, DD_DMARC_P_GRAMMAR, SIZE_MAX, SIZE_MAX, tl.error_column);
	out->tags_truncated = tl.truncated;
	if (tl.truncated)
		add_problem(out, DD_DMARC_P_TOO_MANY_TAGS, SIZE_MAX, SIZE_MAX,
		            tl.tags[tl.n - 1].column);

	for (size_t i = 0; i < tl.n; i++) {
		struct dd_dmarc_tag *t = &out->tags[out->ntags++];
		t->id = tag_id(tl.tags[i].name, tl.tags[i].name_len);
		t->name = tl.tags[i].name;
		t->name_len = tl.tags[i].name_len;
		t->value = tl.tags[i].value;
		t->value_len = tl.tags[i].value_len;
		t->column = tl.tags[i].column;
		t->value_column = tl.tags[i].value_column;
		for (size_t j = 0; j + 1 < out->ntags && t->id != DD_DMARC_TAG_UNKNOWN; j++)
			if (out->tags[j].id == t->id)
				t->duplicate = true;
	}
	/* the first tag is v=DMARC1 (dd_dmarc_is_record); judge the rest in order */
	for (size_t i = 1; i < out->ntags; i++) {
		if (out->tags[i].duplicate) {
			add_problem(out, DD_DMARC_P_DUPLICATE, i, SIZE_MAX, out->tags[i].column);
			continue;
		}
		check_value(out, i);
	}
	if (!dd_dmarc_get(out, DD_DMARC_TAG_P))
		add_problem(out, DD_DMARC_P_NO_POLICY, SIZE_MAX, SIZE_MAX, 1);
	return true;
}

const struct dd_dmarc_tag *dd_dmarc_get(const struct dd_dmarc_record *rec, enum dd_dmarc_tag_id id)
{
	for (size_t i = 0; i < rec->ntags; i++)
		if (rec->tags[i].id == id)
			return &rec->tags[i];
	return NULL;
}

bool dd_dmarc_problem_is_error(enum dd_dmarc_problem_kind kind)
{
	switch (kind) {
	case DD_DMARC_P_GRAMMAR:
	case DD_DMARC_P_BAD_VALUE:
	case DD_DMARC_P_DUPLICATE:
	case DD_DMARC_P_URI_NO_SCHEME:
	case DD_DMARC_P_URI_ADDRESS:
	case DD_DMARC_P_URI_SIZE_BAD: return true;
	case DD_DMARC_P_LEADING_SPACE:
	case DD_DMARC_P_NO_POLICY:
	case DD_DMARC_P_PCT:
	case DD_DMARC_P_REMOVED:
	case DD_DMARC_P_UNKNOWN_TAG:
	case DD_DMARC_P_URI_SIZE:
	case DD_DMARC_P_URI_SCHEME:
	case DD_DMARC_P_TOO_MANY_TAGS:
	case DD_DMARC_P_TOO_MANY_URIS: return false;
	}
	return true;
}

/*
 * RFC 9989 §4.10.1: "If a retrieved DMARC Policy Record does not contain a
 * valid p tag, or contains an sp or np tag that is not valid", a valid rua
 * makes it p=none, else no DMARC processing. RFC 7489 §6.6.3 said the same
 * for p and sp (with SHOULD); OpenDMARC rejects a record without p outright.
 */
enum dd_policy dd_dmarc_requested_policy(const struct dd_dmarc_record *rec)
{
	bool sub_ok = rec->sp != DD_POLICY_INVALID && rec->np != DD_POLICY_INVALID;
	if (dd_policy_valid(rec->p) && sub_ok)
		return rec->p;
	return rec->has_rua ? DD_POLICY_NONE : DD_POLICY_INVALID;
}

static bool contains_nocase(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (dd_memcaseprefix(s + i, len - i, needle))
			return true;
	return false;
}

/* "v" WSP "=" WSP, case-insensitive; returns the offset after it or 0. */
static size_t version_prefix(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && is_wsp(s[i]))
		i++;
	if (i >= len || (s[i] | 0x20) != 'v')
		return 0;
	i++;
	while (i < len && is_wsp(s[i]))
		i++;
	if (i >= len || s[i] != '=')
		return 0;
	i++;
	while (i < len && is_wsp(s[i]))
		i++;
	return i;
}

enum dd_dmarc_near_miss dd_dmarc_near_miss(const char *txt, size_t len)
{
	if (dd_dmarc_is_record(txt, len))
		return DD_DMARC_NOT_CLOSE;
	size_t i = 0;
	while (i < len && is_wsp(txt[i]))
		i++;
	/* quotes pasted into the data: "\"v=DMARC1; p=none\"" in a zone file */
	if (i < len && (txt[i] == '"' || txt[i] == '\'')) {
		size_t v = version_prefix(txt + i + 1, len - i - 1);
		if (v && dd_memcaseprefix(txt + i + 1 + v, len - i - 1 - v, "DMARC"))
			return DD_DMARC_QUOTED;
	}
	size_t v = version_prefix(txt, len);
	if (v && dd_memcaseprefix(txt + v, len - v, "spf1"))
		return DD_DMARC_NOT_CLOSE; /* an SPF record in the wrong place: dmarc.other-txt */
	if (v && dd_memcaseprefix(txt + v, len - v, "DMARC1"))
		return memcmp(txt + v, "DMARC1", 6) == 0 ? DD_DMARC_VERSION_GARBAGE
		                                         : DD_DMARC_VERSION_CASE;
	if (contains_nocase(txt, len, "v=dmarc1"))
		return DD_DMARC_VERSION_NOT_FIRST;
	if (v || contains_nocase(txt, len, "dmarc") || dd_memcaseprefix(txt + i, len - i, "p="))
		return DD_DMARC_VERSION_OTHER; /* a v= tag of another value, or DMARC-looking text */
	return DD_DMARC_NOT_CLOSE;
}

/*
 * RFC 9989 §4.10 steps 3-7: start at _dmarc.<domain>; with x labels left,
 * drop one label when x < 8, or jump to the last seven labels when x >= 8;
 * stop when no label remains. At most eight names. A name that would be too
 * long for the DNS is skipped (it cannot hold a record).
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
		if (dd_name_labels(cur) >= 8) {
			while (dd_name_labels(cur) > 7)
				cur = dd_name_parent(cur);
		} else {
			cur = dd_name_parent(cur);
		}
	}
	return n;
}
