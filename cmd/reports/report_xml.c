/*
 * report_xml.c: a DMARC aggregate report document into a struct dd_report
 * (report_xml.h), streaming with expat.
 *
 * The reader goes by where an element is, never by the order of its
 * siblings: reporters put <extra_contact_info> after <report_id> and <error>
 * anywhere in <report_metadata>. Namespace prefixes are dropped (AOL's
 * ns1:, xs:), unknown elements and their subtrees are skipped (RFC 9990
 * <extensions>, stray elements), and so is text outside the fields. The
 * schema is RFC 9990 when the root declares urn:ietf:params:xml:ns:dmarc-2.0
 * or <version> says 2.x (RFC 9990 §3.1.1), RFC 7489 otherwise.
 *
 * What is refused, each with the cap or the reason in the message: a
 * DOCTYPE (so no entity is ever declared or expanded; expat's billion-laughs
 * protection is on as well), nesting over max_depth, a field over max_text
 * bytes, more than max_rows records or max_items results, a document that is
 * not well-formed or ends early, a root that is not <feedback>, no
 * report_id or date range, a date range that ends before it begins or lies
 * outside [1970, now + 1 year], a count that is negative, not a number or
 * over max_count, a source_ip that inet_pton does not read.
 */
#include <arpa/inet.h>
/* Debian's expat is built with DTD support; the header declares the
 * billion-laughs controls only when XML_DTD is defined. */
#ifndef XML_DTD
#define XML_DTD
#endif
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reports/report_xml.h"
#include "dd/check.h"
#include "dd/util.h"

#define NS_DMARC2   "urn:ietf:params:xml:ns:dmarc-2.0"
#define YEAR        (366 * 86400LL)
#define NAME_KEEP   32 /* bytes of an element name kept for messages */
#define STACK_LIMIT 64 /* the most max_depth can be */

const struct dd_report_xml_limits dd_report_xml_default_limits = {
	.max_depth = 32,
	.max_text = 8192,
	.max_rows = 100000,
	.max_items = 256,
	.max_count = 1000000000000ULL,
	.now = 0,
};

/* Where the reader is: the element kinds that hold other elements, and the
 * leaves (fields) whose text it keeps. */
enum node {
	N_ROOT,     /* before the root element */
	N_WRAPPER,  /* <xs:schema> around <feedback> */
	N_FEEDBACK, /* <feedback> */
	N_META,
	N_DATES,
	N_POLICY,
	N_RECORD,
	N_ROW,
	N_EVAL,
	N_REASON,
	N_IDS,
	N_AUTH,
	N_DKIM,
	N_SPF,
	N_SKIP, /* an unknown element: its subtree is ignored */
	N_LEAF, /* a field: its text is collected */
};

enum leaf {
	L_TEXT,  /* kept as written (trimmed) */
	L_LOWER, /* an enumerated value or a domain: lowercased */
	L_BEGIN,
	L_END,
	L_PCT,
	L_IP,
	L_COUNT,
	L_ERROR,
	L_VERSION,
};

struct frame {
	enum node node;
	char name[NAME_KEEP];
};

struct reader {
	XML_Parser xp;
	const unsigned char *data; /* the document, as fed to expat from its start */
	size_t len;
	const char *origin;
	const struct dd_report_xml_limits *lim;
	struct dd_report *r;
	struct frame stack[STACK_LIMIT];
	unsigned depth;

	/* the open leaf */
	enum leaf leaf;
	char **target;
	struct dd_strbuf text;

	/* the open record, and what it has */
	struct dd_report_row *row;
	XML_Index row_at; /* byte offset of its start tag, for messages (line_at) */
	bool row_ip, row_count;

	bool have_begin, have_end, have_feedback, feedback_done;
	XML_Index dates_at;  /* -1 until <date_range> */
	struct dd_words err; /* "origin:line: reason", in English and Japanese */
	enum dd_report_fault fault;
};

static unsigned long line(struct reader *rd)
{
	return (unsigned long)XML_GetCurrentLineNumber(rd->xp);
}

/* The line of byte `at` of the document, counted as expat counts (CR LF,
 * CR and LF each end a line). The start of every record would otherwise
 * ask expat for its line: expat then scans the whole document once more,
 * 4 % of an import, for messages almost never written. */
static unsigned long line_at(const struct reader *rd, XML_Index at)
{
	unsigned long n = 1;
	size_t end = at < 0 ? 0 : (size_t)at < rd->len ? (size_t)at : rd->len;
	for (size_t i = 0; i < end; i++)
		if (rd->data[i] == '\n' ||
		    (rd->data[i] == '\r' && (i + 1 >= end || rd->data[i + 1] != '\n')))
			n++;
	return n;
}

/* Records the first error, in both languages, and stops expat. */
static void fail_words(struct reader *rd, enum dd_report_fault fault, unsigned long at,
                       const char *en, const char *ja)
{
	if (rd->err.en)
		return;
	rd->fault = fault;
	dd_words_set(&rd->err, xasprintf("%s:%lu: %s", rd->origin, at, en),
	             xasprintf("%s:%lu: %s", rd->origin, at, ja));
	XML_StopParser(rd->xp, XML_FALSE);
}

/* The same, from two formats of the same arguments (both checked). */
static void fail(struct reader *rd, enum dd_report_fault fault, unsigned long at, const char *en,
                 const char *ja, ...) __attribute__((format(printf, 4, 6), format(printf, 5, 6)));

static void fail(struct reader *rd, enum dd_report_fault fault, unsigned long at, const char *en,
                 const char *ja, ...)
{
	struct dd_words msg = { 0 };
	va_list ap;
	va_start(ap, ja);
	dd_words_vformat(&msg, en, ja, ap);
	va_end(ap);
	fail_words(rd, fault, at, msg.en, msg.ja);
	dd_words_finish(&msg);
}

/*
 * An error about the open field: "<count> of record 3" (Japanese "レコード 3
 * の <count>") and then the formatted tail, which starts with its own
 * separator (": 'x' is negative", " is empty").
 */
static void fail_field(struct reader *rd, enum dd_report_fault fault, const char *en,
                       const char *ja, ...)
        __attribute__((format(printf, 3, 5), format(printf, 4, 5)));

static void fail_field(struct reader *rd, enum dd_report_fault fault, const char *en,
                       const char *ja, ...)
{
	struct dd_words tail = { 0 };
	va_list ap;
	va_start(ap, ja);
	dd_words_vformat(&tail, en, ja, ap);
	va_end(ap);
	const char *leaf = rd->depth ? rd->stack[rd->depth - 1].name : "?";
	char *msg[2];
	if (rd->row) {
		msg[0] = xasprintf("<%s> of record %zu%s", leaf, rd->r->nrows, tail.en);
		msg[1] = xasprintf("レコード %zu の <%s>%s", rd->r->nrows, leaf, tail.ja);
	} else {
		msg[0] = xasprintf("<%s>%s", leaf, tail.en);
		msg[1] = xasprintf("<%s>%s", leaf, tail.ja);
	}
	fail_words(rd, fault, line(rd), msg[0], msg[1]);
	free(msg[0]);
	free(msg[1]);
	dd_words_finish(&tail);
}

static const char *local_name(const char *name)
{
	const char *colon = strrchr(name, ':');
	return colon ? colon + 1 : name;
}

static bool is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static void open_leaf(struct reader *rd, enum leaf kind, char **target)
{
	rd->leaf = kind;
	rd->target = target;
	rd->text.len = 0;
	if (rd->text.s)
		rd->text.s[0] = '\0';
}

/* Checks a count of items against max_items before one more is added;
 * what_en and what_ja name the items. */
static bool room(struct reader *rd, size_t n, const char *what_en, const char *what_ja)
{
	if (n < rd->lim->max_items)
		return true;
	char en[256], ja[256];
	snprintf(en, sizeof(en), "more than %zu %s: over the cap", rd->lim->max_items, what_en);
	snprintf(ja, sizeof(ja), "%s が上限の %zu 個を超えています", what_ja, rd->lim->max_items);
	fail_words(rd, DD_REPORT_FAULT_CAP, line(rd), en, ja);
	return false;
}

/* The kind of a child element `name` of a node, opening what it needs. */
static enum node child(struct reader *rd, enum node parent, const char *name)
{
	struct dd_report *r = rd->r;
	struct dd_report_row *row = rd->row;
	switch (parent) {
	case N_FEEDBACK:
		if (is(name, "report_metadata"))
			return N_META;
		if (is(name, "policy_published"))
			return N_POLICY;
		if (is(name, "record")) {
			if (r->nrows >= rd->lim->max_rows) {
				fail(rd, DD_REPORT_FAULT_CAP, line(rd),
				     "more than %zu records: over the cap",
				     "レコードが上限の %zu 個を超えています", rd->lim->max_rows);
				return N_SKIP;
			}
			rd->row = dd_report_add_row(r);
			rd->row_at = XML_GetCurrentByteIndex(rd->xp);
			rd->row_ip = rd->row_count = false;
			return N_RECORD;
		}
		if (is(name, "version"))
			return open_leaf(rd, L_VERSION, NULL), N_LEAF;
		return N_SKIP;
	case N_META:
		if (is(name, "org_name"))
			return open_leaf(rd, L_TEXT, &r->org_name), N_LEAF;
		if (is(name, "email"))
			return open_leaf(rd, L_TEXT, &r->email), N_LEAF;
		if (is(name, "extra_contact_info"))
			return open_leaf(rd, L_TEXT, &r->extra_contact_info), N_LEAF;
		if (is(name, "report_id"))
			return open_leaf(rd, L_TEXT, &r->report_id), N_LEAF;
		if (is(name, "generator"))
			return open_leaf(rd, L_TEXT, &r->generator), N_LEAF;
		if (is(name, "error"))
			return room(rd, r->nerrors, "<error> elements", "<error> 要素")
			               ? (open_leaf(rd, L_ERROR, NULL), N_LEAF)
			               : N_SKIP;
		if (is(name, "date_range"))
			return rd->dates_at = XML_GetCurrentByteIndex(rd->xp), N_DATES;
		return N_SKIP;
	case N_DATES:
		if (is(name, "begin"))
			return open_leaf(rd, L_BEGIN, NULL), N_LEAF;
		if (is(name, "end"))
			return open_leaf(rd, L_END, NULL), N_LEAF;
		return N_SKIP;
	case N_POLICY: {
		static const struct {
			const char *name;
			size_t off;
			enum leaf kind;
		} fields[] = {
			{ "domain", offsetof(struct dd_report, domain), L_LOWER },
			{ "adkim", offsetof(struct dd_report, adkim), L_LOWER },
			{ "aspf", offsetof(struct dd_report, aspf), L_LOWER },
			{ "p", offsetof(struct dd_report, p), L_LOWER },
			{ "sp", offsetof(struct dd_report, sp), L_LOWER },
			{ "np", offsetof(struct dd_report, np), L_LOWER },
			{ "fo", offsetof(struct dd_report, fo), L_TEXT },
			{ "testing", offsetof(struct dd_report, testing), L_LOWER },
			{ "discovery_method", offsetof(struct dd_report, discovery_method),
			  L_LOWER },
		};
		for (size_t i = 0; i < DD_ARRAY_LEN(fields); i++)
			if (is(name, fields[i].name))
				return open_leaf(rd, fields[i].kind,
				                 (char **)((char *)r + fields[i].off)),
				       N_LEAF;
		if (is(name, "pct"))
			return open_leaf(rd, L_PCT, NULL), N_LEAF;
		return N_SKIP;
	}
	case N_RECORD:
		if (is(name, "row"))
			return N_ROW;
		if (is(name, "identifiers"))
			return N_IDS;
		if (is(name, "auth_results"))
			return N_AUTH;
		return N_SKIP;
	case N_ROW:
		if (is(name, "source_ip"))
			return open_leaf(rd, L_IP, NULL), N_LEAF;
		if (is(name, "count"))
			return open_leaf(rd, L_COUNT, NULL), N_LEAF;
		if (is(name, "policy_evaluated"))
			return N_EVAL;
		return N_SKIP;
	case N_EVAL:
		if (is(name, "disposition"))
			return open_leaf(rd, L_LOWER, &row->disposition), N_LEAF;
		if (is(name, "dkim"))
			return open_leaf(rd, L_LOWER, &row->dkim_eval), N_LEAF;
		if (is(name, "spf"))
			return open_leaf(rd, L_LOWER, &row->spf_eval), N_LEAF;
		if (is(name, "reason")) {
			if (!room(rd, row->nreasons, "<reason> elements in a record",
			          "1 レコードの <reason> 要素"))
				return N_SKIP;
			dd_report_row_add_reason(row);
			return N_REASON;
		}
		return N_SKIP;
	case N_REASON: {
		struct dd_report_reason *why = &row->reasons[row->nreasons - 1];
		if (is(name, "type"))
			return open_leaf(rd, L_LOWER, &why->type), N_LEAF;
		if (is(name, "comment"))
			return open_leaf(rd, L_TEXT, &why->comment), N_LEAF;
		return N_SKIP;
	}
	case N_IDS:
		if (is(name, "header_from"))
			return open_leaf(rd, L_LOWER, &row->header_from), N_LEAF;
		if (is(name, "envelope_from"))
			return open_leaf(rd, L_LOWER, &row->envelope_from), N_LEAF;
		if (is(name, "envelope_to"))
			return open_leaf(rd, L_LOWER, &row->envelope_to), N_LEAF;
		return N_SKIP;
	case N_AUTH:
		if (is(name, "dkim")) {
			if (!room(rd, row->ndkim, "DKIM results in a record",
			          "1 レコードの DKIM の結果"))
				return N_SKIP;
			dd_report_row_add_dkim(row);
			return N_DKIM;
		}
		if (is(name, "spf")) {
			if (!room(rd, row->nspf, "SPF results in a record",
			          "1 レコードの SPF の結果"))
				return N_SKIP;
			dd_report_row_add_spf(row);
			return N_SPF;
		}
		return N_SKIP;
	case N_DKIM: {
		struct dd_report_dkim *d = &row->dkim[row->ndkim - 1];
		if (is(name, "domain"))
			return open_leaf(rd, L_LOWER, &d->domain), N_LEAF;
		if (is(name, "selector"))
			return open_leaf(rd, L_TEXT, &d->selector), N_LEAF;
		if (is(name, "result"))
			return open_leaf(rd, L_LOWER, &d->result), N_LEAF;
		if (is(name, "human_result"))
			return open_leaf(rd, L_TEXT, &d->human_result), N_LEAF;
		return N_SKIP;
	}
	case N_SPF: {
		struct dd_report_spf *s = &row->spf[row->nspf - 1];
		if (is(name, "domain"))
			return open_leaf(rd, L_LOWER, &s->domain), N_LEAF;
		if (is(name, "scope"))
			return open_leaf(rd, L_LOWER, &s->scope), N_LEAF;
		if (is(name, "result"))
			return open_leaf(rd, L_LOWER, &s->result), N_LEAF;
		if (is(name, "human_result"))
			return open_leaf(rd, L_TEXT, &s->human_result), N_LEAF;
		return N_SKIP;
	}
	default: return N_SKIP; /* inside a leaf or a skipped subtree */
	}
}

static void root_element(struct reader *rd, const char *name, const XML_Char **attrs)
{
	for (size_t i = 0; attrs[i]; i += 2)
		if ((is(attrs[i], "xmlns") || strncmp(attrs[i], "xmlns:", 6) == 0) &&
		    is(attrs[i + 1], NS_DMARC2))
			rd->r->schema = DD_REPORT_RFC9990;
	(void)name;
}

static void XMLCALL on_start(void *arg, const XML_Char *qname, const XML_Char **attrs)
{
	struct reader *rd = arg;
	if (rd->err.en)
		return;
	const char *name = local_name(qname);
	if (rd->depth >= rd->lim->max_depth) {
		fail(rd, DD_REPORT_FAULT_CAP, line(rd),
		     "<%s>: elements nested deeper than %u: over the cap",
		     "<%s>: 要素の入れ子が上限の %u 段を超えています", name, rd->lim->max_depth);
		return;
	}
	enum node parent = rd->depth ? rd->stack[rd->depth - 1].node : N_ROOT;
	enum node node;
	if (parent == N_ROOT || (parent == N_WRAPPER && !rd->have_feedback)) {
		if (is(name, "feedback")) {
			node = N_FEEDBACK;
			rd->have_feedback = true;
			root_element(rd, name, attrs);
		} else if (parent == N_ROOT && is(name, "schema")) {
			/* real reporters wrap the report in an unclosed <xs:schema>
			 * (parsedmarc strips it): read the <feedback> inside */
			node = N_WRAPPER;
		} else {
			fail(rd, DD_REPORT_FAULT_NOT_A_REPORT, line(rd),
			     "not a DMARC aggregate report: the root element is <%s>, not "
			     "<feedback>",
			     "DMARC 集計レポートではありません: ルート要素が <feedback> ではなく "
			     "<%s> です",
			     name);
			return;
		}
	} else if (parent == N_LEAF) {
		node = N_SKIP; /* markup inside a field: ignored, its text is not the field's */
	} else {
		node = child(rd, parent, name);
		if (rd->err.en)
			return;
	}
	struct frame *f = &rd->stack[rd->depth++];
	f->node = node;
	size_t n = strlen(name); /* for messages only: a long name is cut */
	n = n < sizeof(f->name) - 1 ? n : sizeof(f->name) - 1;
	memcpy(f->name, name, n);
	f->name[n] = '\0';
}

static void XMLCALL on_text(void *arg, const XML_Char *s, int len)
{
	struct reader *rd = arg;
	if (rd->err.en || !rd->depth || rd->stack[rd->depth - 1].node != N_LEAF)
		return;
	if (rd->text.len + (size_t)len > rd->lim->max_text) {
		fail_field(rd, DD_REPORT_FAULT_CAP, ": text longer than %zu bytes: over the cap",
		           ": テキストが上限の %zu バイトを超えています", rd->lim->max_text);
		return;
	}
	dd_strbuf_add(&rd->text, s, (size_t)len);
}

/* The text of the leaf, trimmed (in place); NULL when empty. */
static char *trimmed(struct reader *rd)
{
	if (!rd->text.s || !rd->text.len)
		return NULL;
	char *s = rd->text.s;
	size_t n = rd->text.len;
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	s[n] = '\0';
	while (*s && strchr(" \t\r\n", *s))
		s++;
	return *s ? s : NULL;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Digits, optionally a fraction ("1337270400.0": 163.com and others). */
static bool parse_uint(const char *s, bool fraction, uint64_t cap, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;
	if (*p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (cap - (uint64_t)(*p - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (fraction && *p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p)
		return false;
	*out = v;
	return true;
}

static void set_time(struct reader *rd, const char *t, bool begin)
{
	uint64_t v;
	if (!t) {
		fail_field(rd, DD_REPORT_FAULT_INCOMPLETE, " is empty", ": 値がありません");
		return;
	}
	if (*t == '-') {
		fail_field(rd, DD_REPORT_FAULT_BAD_VALUE, ": '%s' is before 1970",
		           ": '%s' は 1970 年より前です", t);
		return;
	}
	if (!parse_uint(t, true, (uint64_t)INT64_MAX / 2, &v)) {
		fail_field(rd, DD_REPORT_FAULT_BAD_VALUE,
		           ": '%s' is not a time in seconds since 1970",
		           ": '%s' は 1970 年からの秒数ではありません", t);
		return;
	}
	if (begin) {
		rd->r->begin = (int64_t)v;
		rd->have_begin = true;
	} else {
		rd->r->end = (int64_t)v;
		rd->have_end = true;
	}
}

static void set_count(struct reader *rd, const char *t)
{
	uint64_t v;
	if (!t)
		fail_field(rd, DD_REPORT_FAULT_INCOMPLETE, " is empty", ": 値がありません");
	else if (*t == '-')
		fail_field(rd, DD_REPORT_FAULT_BAD_VALUE, ": '%s' is negative",
		           ": '%s' は負の数です", t);
	else if (!parse_uint(t, false, UINT64_MAX, &v))
		fail_field(rd, DD_REPORT_FAULT_BAD_VALUE, ": '%s' is not a number",
		           ": '%s' は数ではありません", t);
	else if (v > rd->lim->max_count)
		fail_field(rd, DD_REPORT_FAULT_BAD_VALUE, ": %s is over the cap of %llu",
		           ": %s は上限の %llu を超えています", t,
		           (unsigned long long)rd->lim->max_count);
	else {
		rd->row->count = v;
		rd->row_count = true;
	}
}

static void set_ip(struct reader *rd, const char *t)
{
	unsigned char bin[sizeof(struct in6_addr)];
	int af = t && strchr(t, ':') ? AF_INET6 : AF_INET;
	if (!t) {
		fail_field(rd, DD_REPORT_FAULT_INCOMPLETE, " is empty", ": 値がありません");
		return;
	}
	if (inet_pton(af, t, bin) != 1 ||
	    !inet_ntop(af, bin, rd->row->source_ip, sizeof(rd->row->source_ip))) {
		/* the text may be anything: show a bounded, printable excerpt */
		char shown[64];
		size_t i = 0;
		for (; t[i] && i < sizeof(shown) - 1; i++)
			shown[i] = (unsigned char)t[i] < 0x20 || t[i] == 0x7f ? '?' : t[i];
		shown[i] = '\0';
		fail_field(rd, DD_REPORT_FAULT_BAD_VALUE, ": '%s' is not an IP address",
		           ": '%s' は IP アドレスではありません", shown);
		return;
	}
	rd->row_ip = true;
}

static void close_leaf(struct reader *rd)
{
	char *t = trimmed(rd);
	if (rd->leaf == L_LOWER && t)
		lower(t);
	switch (rd->leaf) {
	case L_LOWER:
	case L_TEXT:
		/* a repeated field keeps the last; the first stays in the arena,
		 * which the document's size bounds */
		*rd->target = t ? dd_report_strndup(rd->r, t, strlen(t)) : NULL;
		break;
	case L_BEGIN: set_time(rd, t, true); break;
	case L_END: set_time(rd, t, false); break;
	case L_PCT: {
		/* policy as the reporter saw it: an unreadable pct is left out */
		uint64_t v;
		rd->r->pct = t && parse_uint(t, false, 100, &v) ? (int)v : -1;
		break;
	}
	case L_IP: set_ip(rd, t); break;
	case L_COUNT: set_count(rd, t); break;
	case L_ERROR:
		if (t)
			dd_report_add_error(rd->r, t);
		break;
	case L_VERSION:
		if (t && t[0] >= '2' && t[0] <= '9') /* RFC 9990 §3.1.1: 2.0 */
			rd->r->schema = DD_REPORT_RFC9990;
		break;
	}
}

static void XMLCALL on_end(void *arg, const XML_Char *qname)
{
	struct reader *rd = arg;
	(void)qname;
	if (rd->err.en || !rd->depth)
		return;
	struct frame *f = &rd->stack[rd->depth - 1];
	if (f->node == N_LEAF)
		close_leaf(rd); /* while the leaf is on the stack: messages name it */
	rd->depth--;
	switch (f->node) {
	case N_RECORD:
		if (!rd->row_ip)
			fail(rd, DD_REPORT_FAULT_INCOMPLETE, line_at(rd, rd->row_at),
			     "record %zu has no <source_ip>",
			     "レコード %zu に <source_ip> がありません", rd->r->nrows);
		else if (!rd->row_count)
			fail(rd, DD_REPORT_FAULT_INCOMPLETE, line_at(rd, rd->row_at),
			     "record %zu has no <count>", "レコード %zu に <count> がありません",
			     rd->r->nrows);
		rd->row = NULL;
		break;
	case N_FEEDBACK:
		rd->feedback_done = true;
		/* the wrapper's end tag never comes: the report is complete */
		if (rd->depth && rd->stack[rd->depth - 1].node == N_WRAPPER)
			XML_StopParser(rd->xp, XML_FALSE);
		break;
	default: break;
	}
}

/* RFC 9990 reports carry no DTD; refusing one refuses every entity
 * declaration, so no entity is ever expanded (billion laughs, XXE). */
static void XMLCALL on_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
	struct reader *rd = arg;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	fail(rd, DD_REPORT_FAULT_DTD, line(rd),
	     "a DOCTYPE declaration (<!DOCTYPE %s>) is not allowed in a report",
	     "レポートに DOCTYPE 宣言 (<!DOCTYPE %s>) は使えません", local_name(name));
}

static void XMLCALL on_entity_decl(void *arg, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len, const XML_Char *base,
                                   const XML_Char *sysid, const XML_Char *pubid,
                                   const XML_Char *notation)
{
	struct reader *rd = arg;
	(void)is_param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	fail(rd, DD_REPORT_FAULT_DTD, line(rd),
	     "an entity declaration (%s) is not allowed in a report",
	     "レポートにエンティティ宣言 (%s) は使えません", name);
}

/* After the document: what the report must have, and plausible dates. */
static void validate(struct reader *rd)
{
	struct dd_report *r = rd->r;
	/* lines are counted only for a message: counting scans the document */
	int64_t now = rd->lim->now ? rd->lim->now : (int64_t)time(NULL);
	if (!rd->have_feedback)
		fail(rd, DD_REPORT_FAULT_NOT_A_REPORT, line(rd),
		     "not a DMARC aggregate report: no <feedback> element",
		     "DMARC 集計レポートではありません: <feedback> 要素がありません");
	else if (!r->report_id)
		fail(rd, DD_REPORT_FAULT_INCOMPLETE, line(rd),
		     "no <report_id> in <report_metadata>",
		     "<report_metadata> に <report_id> がありません");
	else if (!rd->have_begin || !rd->have_end)
		fail(rd, DD_REPORT_FAULT_INCOMPLETE,
		     rd->dates_at >= 0 ? line_at(rd, rd->dates_at) : line(rd),
		     "no <date_range> with <begin> and <end> in <report_metadata>",
		     "<report_metadata> に <begin> と <end> のある <date_range> がありません");
	else if (r->end < r->begin)
		fail(rd, DD_REPORT_FAULT_BAD_VALUE, line_at(rd, rd->dates_at),
		     "<date_range> ends (%lld) before it begins (%lld)",
		     "<date_range> の終わり (%lld) が始まり (%lld) より前です", (long long)r->end,
		     (long long)r->begin);
	else if (r->end > now + YEAR)
		fail(rd, DD_REPORT_FAULT_BAD_VALUE, line_at(rd, rd->dates_at),
		     "<date_range> ends at %lld, more than a year from now: not a plausible date",
		     "<date_range> の終わり %lld は 1 年以上先です: ありえない日付です",
		     (long long)r->end);
}

const char *dd_report_fault_name(enum dd_report_fault f)
{
	static const char *const names[] = {
		[DD_REPORT_FAULT_NONE] = "none",
		[DD_REPORT_FAULT_NOT_A_REPORT] = "not a report",
		[DD_REPORT_FAULT_MALFORMED] = "not well-formed",
		[DD_REPORT_FAULT_TRUNCATED] = "truncated",
		[DD_REPORT_FAULT_DTD] = "DTD or entity",
		[DD_REPORT_FAULT_CAP] = "over a cap",
		[DD_REPORT_FAULT_INCOMPLETE] = "incomplete",
		[DD_REPORT_FAULT_BAD_VALUE] = "impossible value",
	};
	return (size_t)f < DD_ARRAY_LEN(names) ? names[f] : "unknown";
}

struct dd_report *dd_report_xml_parse(const char *origin, const unsigned char *data, size_t len,
                                      const struct dd_report_xml_limits *lim, struct dd_words *err,
                                      enum dd_report_fault *fault)
{
	struct reader rd;
	memset(&rd, 0, sizeof(rd));
	rd.origin = origin;
	rd.data = data;
	rd.len = len;
	rd.dates_at = -1;
	rd.lim = lim ? lim : &dd_report_xml_default_limits;
	struct dd_report_xml_limits capped;
	if (rd.lim->max_depth > STACK_LIMIT) {
		capped = *rd.lim;
		capped.max_depth = STACK_LIMIT;
		rd.lim = &capped;
	}
	rd.r = dd_report_create();
	dd_strbuf_init(&rd.text);
	*err = (struct dd_words){ 0 };

	rd.xp = XML_ParserCreate(NULL);
	if (!rd.xp) {
		dd_words_set(err, xasprintf("%s: out of memory for the XML parser", origin),
		             xasprintf("%s: XML パーサのメモリが足りません", origin));
		goto fail;
	}
	XML_SetUserData(rd.xp, &rd);
	XML_SetElementHandler(rd.xp, on_start, on_end);
	XML_SetCharacterDataHandler(rd.xp, on_text);
	XML_SetStartDoctypeDeclHandler(rd.xp, on_doctype);
	XML_SetEntityDeclHandler(rd.xp, on_entity_decl);
	XML_SetParamEntityParsing(rd.xp, XML_PARAM_ENTITY_PARSING_NEVER);
#if XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 4)
	XML_SetBillionLaughsAttackProtectionMaximumAmplification(rd.xp, 10.0f);
	XML_SetBillionLaughsAttackProtectionActivationThreshold(rd.xp, 1024 * 1024);
#endif

	/* expat takes an int length: feed big documents in pieces */
	size_t off = 0;
	enum XML_Status st = XML_STATUS_OK;
	do {
		size_t n = len - off > (1u << 30) ? (1u << 30) : len - off;
		st = XML_Parse(rd.xp, (const char *)data + off, (int)n, off + n == len);
		off += n;
	} while (st == XML_STATUS_OK && off < len);

	if (rd.err.en)
		goto fail;
	if (st != XML_STATUS_OK &&
	    !(rd.feedback_done && XML_GetErrorCode(rd.xp) == XML_ERROR_ABORTED)) {
		enum XML_Error code = XML_GetErrorCode(rd.xp);
		unsigned long at = line(&rd);
		unsigned long column = (unsigned long)XML_GetCurrentColumnNumber(rd.xp) + 1;
		const char *what = XML_ErrorString(code);
		rd.fault = DD_REPORT_FAULT_MALFORMED;
		const char *inside = rd.depth ? rd.stack[rd.depth - 1].name : "?";
		if (!rd.have_feedback && rd.depth == 0) {
			rd.fault = DD_REPORT_FAULT_NOT_A_REPORT;
			dd_words_set(err,
			             xasprintf("%s:%lu: not a DMARC aggregate report: not XML (%s, "
			                       "column %lu)",
			                       origin, at, what, column),
			             xasprintf("%s:%lu: DMARC 集計レポートではありません: XML "
			                       "ではありません (expat: %s、%lu 桁目)",
			                       origin, at, what, column));
		} else if (off >= len &&
		           (code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
		            code == XML_ERROR_PARTIAL_CHAR)) {
			rd.fault = DD_REPORT_FAULT_TRUNCATED;
			dd_words_set(
			        err,
			        xasprintf("%s:%lu: the document ends early (truncated?) inside "
			                  "<%s>: %s",
			                  origin, at, inside, what),
			        xasprintf("%s:%lu: 文書が <%s> の途中で終わっています "
			                  "(切れている?、expat: %s)",
			                  origin, at, inside, what));
		} else {
			dd_words_set(
			        err,
			        xasprintf("%s:%lu: not well-formed XML: %s (column %lu, inside "
			                  "<%s>)",
			                  origin, at, what, column, inside),
			        xasprintf("%s:%lu: 整形式の XML ではありません (expat: %s、%lu "
			                  "桁目、<%s> の中)",
			                  origin, at, what, column, inside));
		}
		goto fail;
	}
	validate(&rd);
	if (rd.err.en)
		goto fail;
	XML_ParserFree(rd.xp);
	dd_strbuf_finish(&rd.text);
	if (fault)
		*fault = DD_REPORT_FAULT_NONE;
	return rd.r;
fail:
	if (fault)
		*fault = rd.fault ? rd.fault : DD_REPORT_FAULT_MALFORMED;
	if (!err->en) {
		*err = rd.err;
		rd.err = (struct dd_words){ 0 };
	}
	dd_words_finish(&rd.err);
	if (rd.xp)
		XML_ParserFree(rd.xp);
	dd_strbuf_finish(&rd.text);
	dd_report_destroy(rd.r);
	return NULL;
}
