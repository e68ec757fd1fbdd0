/*
 * bimi_svg.c: the SVG Tiny Portable/Secure essentials a BIMI logo must
 * meet (the BIMI Group's SVG Tiny PS profile, after RFC 6170 §5's rules for
 * images in certificates): parsed with expat, never by pattern matching.
 * Checked: well-formed XML whose root is <svg> in the SVG namespace with
 * baseProfile="tiny-ps", a <title> child of the root, a square viewBox,
 * no x/y on the root, no scripts or event attributes, no animation, no
 * external references (<image>, <foreignObject>, an href to anything but a
 * fragment of the document), at most 32 KiB.
 *
 * Entity declarations are refused outright (no expansion bombs, no
 * external entities); expat is never given a handler that loads anything.
 * Deliberately ignored: colours, fonts and the many presentation rules of
 * the profile a renderer tolerates.
 */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/mail.h"

#define SVG_NS   "http://www.w3.org/2000/svg"
#define XLINK_NS "http://www.w3.org/1999/xlink"
#define SEP      '\x01'

struct svg_state {
	XML_Parser parser;
	struct dd_svg_check *out;
	unsigned depth;
	bool root_seen;
	bool in_title;
	bool title_done;
	bool title_nonblank;
	size_t title_len;
};

static void flag(struct dd_svg_check *out, enum dd_svg_problem p, const char *detail)
{
	if (out->problems[p])
		return;
	out->problems[p] = true;
	snprintf(out->detail[p], sizeof(out->detail[p]), "%s", detail ? detail : "");
}

/* "uri\x01local" or "local": the local part, and whether the namespace is ns. */
static const char *local_name(const char *name, const char *ns, bool *in_ns)
{
	const char *sep = strchr(name, SEP);
	if (!sep) {
		*in_ns = ns == NULL;
		return name;
	}
	*in_ns = ns && (size_t)(sep - name) == strlen(ns) && memcmp(name, ns, strlen(ns)) == 0;
	return sep + 1;
}

static bool parse_viewbox(const char *v, double out[4])
{
	char *end;
	for (int i = 0; i < 4; i++) {
		while (*v == ' ' || *v == ',' || *v == '\t' || *v == '\n' || *v == '\r')
			v++;
		out[i] = strtod(v, &end);
		if (end == v)
			return false;
		v = end;
	}
	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	return *v == '\0';
}

static bool ascii_prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
		if (c != *prefix)
			return false;
	}
	return true;
}

static void root_attributes(struct svg_state *st, const char **attrs)
{
	const char *profile = NULL, *viewbox = NULL;
	for (size_t i = 0; attrs[i]; i += 2) {
		bool plain;
		const char *n = local_name(attrs[i], NULL, &plain);
		if (!plain)
			continue;
		if (strcmp(n, "baseProfile") == 0)
			profile = attrs[i + 1];
		else if (strcmp(n, "viewBox") == 0)
			viewbox = attrs[i + 1];
		else if (strcmp(n, "x") == 0 || strcmp(n, "y") == 0)
			flag(st->out, DD_SVG_X_Y, n);
	}
	if (!profile || strcmp(profile, "tiny-ps") != 0)
		flag(st->out, DD_SVG_NOT_TINY_PS, profile ? profile : "(none)");
	double vb[4];
	if (!viewbox || !parse_viewbox(viewbox, vb)) {
		flag(st->out, DD_SVG_NOT_SQUARE, viewbox ? viewbox : "no viewBox");
		return;
	}
	st->out->vb_width = vb[2];
	st->out->vb_height = vb[3];
	double d = vb[2] - vb[3];
	if (vb[2] <= 0 || vb[3] <= 0 || d > 1e-9 || d < -1e-9)
		flag(st->out, DD_SVG_NOT_SQUARE, viewbox);
}

static void XMLCALL on_start(void *ud, const char *name, const char **attrs)
{
	struct svg_state *st = ud;
	bool svg_ns;
	const char *local = local_name(name, SVG_NS, &svg_ns);
	st->depth++;
	if (!st->root_seen) {
		st->root_seen = true;
		if (!svg_ns || strcmp(local, "svg") != 0)
			flag(st->out, DD_SVG_NOT_SVG, local);
		root_attributes(st, attrs);
	} else if (st->depth == 2 && svg_ns && strcmp(local, "title") == 0 && !st->title_done) {
		st->in_title = true;
	}
	if (strcmp(local, "script") == 0)
		flag(st->out, DD_SVG_SCRIPT, "<script>");
	if (strcmp(local, "image") == 0 || strcmp(local, "foreignObject") == 0) {
		char d[96];
		snprintf(d, sizeof(d), "<%.80s>", local);
		flag(st->out, DD_SVG_EXTERNAL, d);
	}
	if (strncmp(local, "animate", 7) == 0 || strcmp(local, "set") == 0) {
		char d[96];
		snprintf(d, sizeof(d), "<%.80s>", local);
		flag(st->out, DD_SVG_ANIMATION, d);
	}
	for (size_t i = 0; attrs[i]; i += 2) {
		bool xlink, plain;
		const char *n = local_name(attrs[i], XLINK_NS, &xlink);
		local_name(attrs[i], NULL, &plain);
		const char *v = attrs[i + 1];
		if (plain && ascii_prefix_ci(n, "on")) {
			char d[96];
			snprintf(d, sizeof(d), "%.80s=", n);
			flag(st->out, DD_SVG_SCRIPT, d);
		}
		if ((xlink || plain) && strcmp(n, "href") == 0 && v[0] != '#') {
			char d[96];
			snprintf(d, sizeof(d), "href=\"%.80s\"", v);
			flag(st->out, DD_SVG_EXTERNAL, d);
		}
		/* url(...) in a presentation attribute may only point inside */
		const char *u = strstr(v, "url(");
		if (u) {
			u += 4;
			while (*u == ' ' || *u == '\'' || *u == '"')
				u++;
			if (*u != '#') {
				char d[96];
				snprintf(d, sizeof(d), "%.40s=\"%.40s\"", n, v);
				flag(st->out, DD_SVG_EXTERNAL, d);
			}
		}
	}
}

static void XMLCALL on_end(void *ud, const char *name)
{
	struct svg_state *st = ud;
	(void)name;
	if (st->in_title && st->depth == 2) {
		st->in_title = false;
		st->title_done = st->title_nonblank;
	}
	st->depth--;
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
	struct svg_state *st = ud;
	if (!st->in_title)
		return;
	for (int i = 0; i < len; i++) {
		if (st->title_len + 1 < sizeof(st->out->title))
			st->out->title[st->title_len++] = s[i];
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			st->title_nonblank = true;
	}
	st->out->title[st->title_len] = '\0';
}

/* An entity declaration: a billion laughs or an external entity. Refused. */
static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                              int value_len, const XML_Char *base, const XML_Char *system_id,
                              const XML_Char *public_id, const XML_Char *notation)
{
	struct svg_state *st = ud;
	(void)is_param, (void)value, (void)value_len, (void)base, (void)system_id, (void)public_id,
	        (void)notation;
	char d[96];
	snprintf(d, sizeof(d), "an entity declaration (%.60s)", name);
	flag(st->out, DD_SVG_NOT_XML, d);
	XML_StopParser(st->parser, XML_FALSE);
}

void dd_svg_check(const char *data, size_t len, struct dd_svg_check *out)
{
	memset(out, 0, sizeof(*out));
	if (len > DD_BIMI_SVG_MAX) {
		char d[96];
		snprintf(d, sizeof(d), "%zu bytes", len);
		flag(out, DD_SVG_TOO_LARGE, d);
	}
	struct svg_state st = { .out = out };
	XML_Parser p = XML_ParserCreateNS(NULL, SEP);
	if (!p) {
		flag(out, DD_SVG_NOT_XML, "out of memory");
		return;
	}
	st.parser = p;
	XML_SetUserData(p, &st);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetEntityDeclHandler(p, on_entity);
	/* parse in pieces: the length fits an int whatever the caller passes */
	size_t off = 0;
	enum XML_Status rc = XML_STATUS_OK;
	do {
		size_t n = len - off > 65536 ? 65536 : len - off;
		bool last = off + n == len;
		rc = XML_Parse(p, data + off, (int)n, last);
		off += n;
	} while (rc == XML_STATUS_OK && off < len);
	if (rc != XML_STATUS_OK && !out->problems[DD_SVG_NOT_XML]) {
		char d[96];
		snprintf(d, sizeof(d), "%.60s at line %lu", XML_ErrorString(XML_GetErrorCode(p)),
		         (unsigned long)XML_GetCurrentLineNumber(p));
		flag(out, DD_SVG_NOT_XML, d);
	}
	XML_ParserFree(p);
	if (!st.root_seen && !out->problems[DD_SVG_NOT_XML])
		flag(out, DD_SVG_NOT_XML, "empty document");
	if (st.root_seen && !st.title_done && !out->problems[DD_SVG_NOT_XML])
		flag(out, DD_SVG_NO_TITLE, "");
}
