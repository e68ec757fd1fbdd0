/*
 * mta_sts_policy.c: the MTA-STS grammars (RFC 8461), pure and bounded:
 *   the _mta-sts TXT record (§3.1): "v=STSv1; id=<1-32 alphanumerics>;"
 *   the policy file (§3.2): "key: value" lines, LF or CRLF
 *   the mx pattern match (§4.1): a name, or "*." and one leftmost label.
 * Unknown policy keys and record extensions are ignored, as the RFC says.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/mail.h"
#include "dd/parse.h"
#include "dd/util.h"

const char *dd_sts_mode_name(enum dd_sts_mode m)
{
	switch (m) {
	case DD_STS_MODE_ENFORCE: return "enforce";
	case DD_STS_MODE_TESTING: return "testing";
	case DD_STS_MODE_NONE: return "none";
	case DD_STS_MODE_INVALID: return "invalid";
	case DD_STS_MODE_UNSET: break;
	}
	return "unset";
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ------------------------------------------------------------ record */

/* RFC 8461 §3.1: a record is one whose text starts with "v=STSv1" exactly. */
bool dd_sts_record_is_sts(const char *txt, size_t len)
{
	return len >= 7 && memcmp(txt, "v=STSv1", 7) == 0 &&
	       (len == 7 || txt[7] == ';' || txt[7] == ' ' || txt[7] == '\t');
}

void dd_sts_record_parse(const char *txt, size_t len, struct dd_sts_record *out)
{
	memset(out, 0, sizeof(*out));
	struct dd_taglist tl;
	dd_taglist_parse(txt, len, &tl);
	out->syntax_ok = tl.error == NULL && !tl.truncated;
	out->version_ok = tl.n > 0 && tl.tags[0].name_len == 1 && tl.tags[0].name[0] == 'v' &&
	                  tl.tags[0].value_len == 5 && memcmp(tl.tags[0].value, "STSv1", 5) == 0;
	const struct dd_tag *id = dd_taglist_get(&tl, "id");
	if (!id)
		return;
	out->has_id = true;
	out->id_ok = id->value_len >= 1 && id->value_len <= 32;
	for (size_t i = 0; i < id->value_len; i++)
		if (!is_alnum(id->value[i]))
			out->id_ok = false;
	size_t n = id->value_len < 32 ? id->value_len : 32;
	memcpy(out->id, id->value, n);
	out->id[n] = '\0';
}

/* ------------------------------------------------------------ policy */

static void problem(struct dd_sts_policy *p, enum dd_sts_problem_code code, uint32_t line,
                    const char *text, size_t len)
{
	if (p->nproblems == DD_STS_MAX_PROBLEMS) {
		p->problems_dropped++;
		return;
	}
	struct dd_sts_problem *pr = &p->problems[p->nproblems++];
	pr->code = code;
	pr->line = line;
	pr->text = text ? xstrndup(text, len > 80 ? 80 : len) : NULL;
}

static bool key_is(const char *k, size_t kl, const char *name)
{
	return kl == strlen(name) && memcmp(k, name, kl) == 0;
}

/* A name, or "*." and a name (RFC 8461 §3.2: "mx: ... wildcard ... leftmost label"). */
static bool mx_pattern_ok(const char *v, size_t len, char *out)
{
	size_t off = 0;
	if (len >= 2 && v[0] == '*' && v[1] == '.')
		off = 2;
	char norm[DD_NAME_MAX + 1];
	if (!dd_name_normalize(v + off, len - off, norm, sizeof(norm)) ||
	    dd_name_labels(norm) < (off ? 2u : 1u))
		return false;
	for (const char *c = norm; *c; c++)
		if (!(is_alnum(*c) || *c == '-' || *c == '.'))
			return false;
	memcpy(out, v, off);
	memcpy(out + off, norm, strlen(norm) + 1);
	return true;
}

static bool parse_max_age(const char *v, size_t len, long *out)
{
	/* max_age = 1*10DIGIT */
	if (len == 0 || len > 10)
		return false;
	long n = 0;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		n = n * 10 + (v[i] - '0');
	}
	if (n > DD_STS_MAX_AGE_MAX)
		return false;
	*out = n;
	return true;
}

static void field(struct dd_sts_policy *p, const char *k, size_t kl, const char *v, size_t vl,
                  uint32_t line, unsigned *seen)
{
	if (key_is(k, kl, "version")) {
		if (*seen & 1)
			problem(p, DD_STS_P_DUPLICATE, line, k, kl);
		*seen |= 1;
		if (vl == 5 && memcmp(v, "STSv1", 5) == 0)
			p->version_ok = true;
		else
			problem(p, DD_STS_P_BAD_VERSION, line, v, vl);
	} else if (key_is(k, kl, "mode")) {
		if (*seen & 2) {
			problem(p, DD_STS_P_DUPLICATE, line, k, kl);
			return;
		}
		*seen |= 2;
		p->mode = key_is(v, vl, "enforce")   ? DD_STS_MODE_ENFORCE
		          : key_is(v, vl, "testing") ? DD_STS_MODE_TESTING
		          : key_is(v, vl, "none")    ? DD_STS_MODE_NONE
		                                     : DD_STS_MODE_INVALID;
		if (p->mode == DD_STS_MODE_INVALID)
			problem(p, DD_STS_P_BAD_MODE, line, v, vl);
	} else if (key_is(k, kl, "max_age")) {
		if (*seen & 4) {
			problem(p, DD_STS_P_DUPLICATE, line, k, kl);
			return;
		}
		*seen |= 4;
		if (!parse_max_age(v, vl, &p->max_age))
			problem(p, DD_STS_P_BAD_MAX_AGE, line, v, vl);
	} else if (key_is(k, kl, "mx")) {
		char pat[DD_NAME_MAX + 3];
		if (!mx_pattern_ok(v, vl, pat)) {
			problem(p, DD_STS_P_BAD_MX, line, v, vl);
			return;
		}
		if (p->nmx == DD_STS_MAX_MX) {
			if (!(*seen & 8))
				problem(p, DD_STS_P_TOO_MANY_MX, line, NULL, 0);
			*seen |= 8;
			return;
		}
		p->mx = xrealloc(p->mx, (p->nmx + 1) * sizeof(*p->mx));
		p->mx[p->nmx++] = xstrdup(pat);
	}
	/* other keys: extensions, ignored (RFC 8461 §3.2) */
}

static bool is_key_char(char c)
{
	/* sts-policy-field-name: 1*32(ALPHA / DIGIT / "_" / "-" / ".") */
	return is_alnum(c) || c == '_' || c == '-' || c == '.';
}

void dd_sts_policy_parse(const char *body, size_t len, struct dd_sts_policy *out)
{
	memset(out, 0, sizeof(*out));
	out->max_age = -1;
	unsigned seen = 0;
	uint32_t line = 0;
	size_t pos = 0;
	bool reported_bytes = false;
	while (pos < len) {
		size_t start = pos;
		while (pos < len && body[pos] != '\n')
			pos++;
		size_t end = pos;
		if (pos < len)
			pos++; /* the LF */
		line++;
		if (end > start && body[end - 1] == '\r')
			end--;
		/* trailing *WSP is allowed after a value */
		while (end > start && (body[end - 1] == ' ' || body[end - 1] == '\t'))
			end--;
		if (end == start)
			continue; /* a blank line: tolerated (a final newline is common) */
		bool bad = false;
		for (size_t i = start; i < end; i++)
			if ((unsigned char)body[i] < 0x20 && body[i] != '\t')
				bad = true;
		if (bad) {
			if (!reported_bytes)
				problem(out, DD_STS_P_NOT_TEXT, line, NULL, 0);
			reported_bytes = true;
			continue;
		}
		size_t k = start;
		while (k < end && is_key_char(body[k]))
			k++;
		if (k == start || k - start > 32 || k >= end || body[k] != ':') {
			problem(out, DD_STS_P_BAD_LINE, line, body + start, end - start);
			continue;
		}
		size_t v = k + 1;
		while (v < end && (body[v] == ' ' || body[v] == '\t'))
			v++;
		field(out, body + start, k - start, body + v, end - v, line, &seen);
	}
	if (!(seen & 1))
		problem(out, DD_STS_P_NO_VERSION, 0, NULL, 0);
	if (!(seen & 2))
		problem(out, DD_STS_P_NO_MODE, 0, NULL, 0);
	if (!(seen & 4))
		problem(out, DD_STS_P_NO_MAX_AGE, 0, NULL, 0);
	if ((out->mode == DD_STS_MODE_ENFORCE || out->mode == DD_STS_MODE_TESTING) && out->nmx == 0)
		problem(out, DD_STS_P_NO_MX, 0, NULL, 0);
}

void dd_sts_policy_finish(struct dd_sts_policy *p)
{
	for (size_t i = 0; i < p->nmx; i++)
		free(p->mx[i]);
	free(p->mx);
	for (size_t i = 0; i < p->nproblems; i++)
		free(p->problems[i].text);
	memset(p, 0, sizeof(*p));
}

bool dd_sts_mx_match(const char *pattern, const char *host)
{
	char h[DD_NAME_MAX + 1];
	if (!dd_name_normalize(host, strlen(host), h, sizeof(h)))
		return false;
	if (pattern[0] == '*' && pattern[1] == '.') {
		/* "*.example.com" matches "mx.example.com", not "a.b.example.com" */
		const char *dot = strchr(h, '.');
		return dot && dd_strcaseeq(dot + 1, pattern + 2);
	}
	return dd_strcaseeq(h, pattern);
}
