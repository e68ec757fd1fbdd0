/*
 * unpack_mime.c: report e-mails through GMime 3: one message (.eml, a
 * Maildir file), or an mbox file of them (GMIME_FORMAT_MBOX). Reporters
 * attach the report (RFC 7489 §7.2.1.1, RFC 9990 §4) as application/gzip or
 * application/zip, some as text/xml or application/octet-stream with a
 * report's file name; the attachment is decoded (base64, quoted-printable)
 * into the level's buffer, at most the document cap, and then sniffed by its
 * bytes like any file. A forwarded message (message/rfc822) is a container
 * of its own. An e-mail with nothing that could be a report is one skip.
 */
#include <gmime/gmime.h>
#include <string.h>
#include <unistd.h>

#include "reports/unpack_impl.h"

#define CHUNK ((size_t)64 * 1024)

static void mime_init(void)
{
	static bool done;
	if (!done) {
		g_mime_init();
		done = true;
	}
}

/* What one message held, for the skip when nothing in it was a report. */
struct message_walk {
	size_t parts;    /* MIME parts seen (the cap counts them) */
	size_t leaves;   /* numbers nameless parts: "part-2" */
	size_t reports;  /* parts read as a possible report */
	bool stopped;    /* the part cap was reached */
	char kinds[200]; /* "text/plain, text/html" of the other parts */
};

static void read_message(struct unpack_walk *w, GMimeMessage *m, unsigned depth);

static bool type_is(GMimeContentType *ct, const char *type, const char *subtype)
{
	return ct && g_mime_content_type_is_type(ct, type, subtype);
}

/* The types reporters send a report as (RFC 9990 §4: application/gzip;
 * application/zip, text/xml and their x- forms in practice). */
static bool report_type(GMimeContentType *ct)
{
	static const char *const sub[] = { "gzip",  "x-gzip",           "zip",
		                           "x-zip", "x-zip-compressed", "x-gzip-compressed",
		                           "xml" };
	for (size_t i = 0; i < DD_ARRAY_LEN(sub); i++)
		if (type_is(ct, "application", sub[i]))
			return true;
	return type_is(ct, "text", "xml");
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && dd_strcaseeq(s + n - m, suffix);
}

static bool report_name(const char *name)
{
	return name && (ends_with(name, ".xml") || ends_with(name, ".gz") ||
	                ends_with(name, ".gzip") || ends_with(name, ".zip"));
}

static void note_kind(struct message_walk *mw, GMimeContentType *ct)
{
	char *type = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	const char *t = type ? type : "text/plain";
	size_t used = strlen(mw->kinds);
	if (strstr(mw->kinds, t) == NULL && used + strlen(t) + 3 < sizeof(mw->kinds))
		snprintf(mw->kinds + used, sizeof(mw->kinds) - used, "%s%s", used ? ", " : "", t);
	g_free(type);
}

/* The part's content, transfer encoding undone, into `out`; false after a
 * skip (the cap). */
static bool decode(struct unpack_walk *w, GMimePart *part, struct unpack_buf *out)
{
	out->len = 0;
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *src = dw ? g_mime_data_wrapper_get_stream(dw) : NULL;
	if (!src)
		return true;
	g_mime_stream_reset(src);
	GMimeStream *f = g_mime_stream_filter_new(src);
	GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding(dw);
	if (enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
	    enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		GMimeFilter *dec = g_mime_filter_basic_new(enc, FALSE);
		g_mime_stream_filter_add(GMIME_STREAM_FILTER(f), dec);
		g_object_unref(dec);
	}
	size_t limit = w->lim.max_document;
	char cap[32];
	bool ok = true;
	for (;;) {
		if (out->len == out->cap && !unpack_buf_reserve(out, CHUNK, limit + 1) &&
		    !unpack_buf_reserve(out, 1, limit + 1)) {
			unpack_skip(w, DD_UNPACK_OVER_CAP, "attachment over the %s cap",
			            "添付ファイルが上限 %s を超えています",
			            unpack_size_text(limit, cap, sizeof(cap)));
			ok = false;
			break;
		}
		ssize_t n = g_mime_stream_read(f, (char *)out->p + out->len, out->cap - out->len);
		if (n <= 0)
			break;
		out->len += (size_t)n;
		if (out->len > limit) {
			unpack_skip(w, DD_UNPACK_OVER_CAP, "attachment over the %s cap",
			            "添付ファイルが上限 %s を超えています",
			            unpack_size_text(limit, cap, sizeof(cap)));
			ok = false;
			break;
		}
	}
	g_object_unref(f);
	return ok;
}

static void read_leaf(struct unpack_walk *w, struct message_walk *mw, GMimePart *part,
                      unsigned depth)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	const char *filename = g_mime_part_get_filename(part);
	mw->leaves++;
	bool candidate = report_type(ct) || report_name(filename);
	bool octets = type_is(ct, "application", "octet-stream");
	if (!candidate && !octets) {
		note_kind(mw, ct);
		return;
	}
	char numbered[32];
	if (!filename || !*filename) {
		snprintf(numbered, sizeof(numbered), "part-%zu", mw->leaves);
		filename = numbered;
	}
	size_t old = unpack_origin_push(w, filename, strlen(filename));
	/* the message opened at `depth` decodes into that level's buffer */
	struct unpack_buf *out = unpack_buf_at(w, depth);
	if (!decode(w, part, out)) {
		mw->reports++; /* a skip said why: the e-mail had a report */
		goto out;
	}
	if (!candidate) {
		/* octet-stream under any name: a report only by its bytes */
		enum unpack_kind k = unpack_sniff(out->p, out->len);
		if (k != UNPACK_GZIP && k != UNPACK_ZIP && k != UNPACK_XML) {
			note_kind(mw, ct);
			goto out;
		}
	}
	mw->reports++;
	unpack_blob(w, out->p, out->len, depth + 1);
out:
	unpack_origin_pop(w, old);
}

static void visit(struct unpack_walk *w, struct message_walk *mw, GMimeObject *obj, unsigned depth)
{
	if (mw->stopped || !obj)
		return;
	if (++mw->parts > w->lim.max_members) {
		unpack_skip(w, DD_UNPACK_OVER_CAP,
		            "over the cap of %zu parts of one e-mail: the rest are not read",
		            "1 通のメールのパートが上限の %zu 個を超えています。残りは読みません",
		            w->lim.max_members);
		mw->stopped = true;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		for (int i = 0; i < n && !mw->stopped; i++)
			visit(w, mw, g_mime_multipart_get_part(mp, i), depth);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		/* a forwarded report e-mail: a container inside this one */
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		const char *name = g_mime_object_get_content_disposition_parameter(obj, "filename");
		char numbered[32];
		mw->leaves++;
		if (!name || !*name) {
			snprintf(numbered, sizeof(numbered), "message-%zu", mw->leaves);
			name = numbered;
		}
		mw->reports++;
		size_t old = unpack_origin_push(w, name, strlen(name));
		if (!inner)
			unpack_skip(
			        w, DD_UNPACK_NOT_A_REPORT,
			        "e-mail without a report attachment (an empty forwarded message)",
			        "レポートの添付がないメールです (空の転送メッセージ)");
		else if (unpack_may_nest(w, depth + 1))
			read_message(w, inner, depth + 1);
		unpack_origin_pop(w, old);
	} else if (GMIME_IS_PART(obj)) {
		read_leaf(w, mw, GMIME_PART(obj), depth);
	}
}

static void read_message(struct unpack_walk *w, GMimeMessage *m, unsigned depth)
{
	struct message_walk mw = { 0 };
	visit(w, &mw, g_mime_message_get_mime_part(m), depth);
	if (mw.reports == 0 && !mw.stopped)
		unpack_skip(w, DD_UNPACK_NOT_A_REPORT,
		            "e-mail without a report attachment (its parts: %s)",
		            "レポートの添付がないメールです (パート: %s)",
		            mw.kinds[0] ? mw.kinds : "none");
}

void unpack_email(struct unpack_walk *w, const unsigned char *data, size_t len, unsigned depth)
{
	mime_init();
	GMimeStream *s = g_mime_stream_mem_new_with_buffer((const char *)data, len);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	g_object_unref(s);
	g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
	if (!m)
		unpack_skip(w, DD_UNPACK_UNREADABLE, "not a readable e-mail",
		            "読めるメールではありません");
	else
		read_message(w, m, depth);
	if (m)
		g_object_unref(m);
	g_object_unref(p);
}

void unpack_mbox(struct unpack_walk *w, const unsigned char *data, size_t len, int fd,
                 unsigned depth)
{
	mime_init();
	GMimeStream *s;
	if (data) {
		s = g_mime_stream_mem_new_with_buffer((const char *)data, len);
	} else {
		int own = dup(fd);
		if (own < 0) {
			unpack_skip(w, DD_UNPACK_UNREADABLE,
			            "cannot read mbox: out of file descriptors",
			            "mbox を読めません: ファイル記述子が足りません");
			return;
		}
		s = g_mime_stream_fs_new(own); /* closes `own` when done */
	}
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	g_object_unref(s);
	g_mime_parser_set_format(p, GMIME_FORMAT_MBOX);
	/* the parts' content stays in the stream and is read from it when an
	 * attachment is decoded: memory holds the structure of one message,
	 * not the mailbox or the message's attachments */
	g_mime_parser_set_persist_stream(p, TRUE);
	size_t n = 0;
	while (!g_mime_parser_eos(p)) {
		GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
		if (!m)
			break;
		n++;
		char name[32];
		snprintf(name, sizeof(name), "message-%zu", n);
		size_t old = unpack_origin_push(w, name, strlen(name));
		if (depth > 0 && n > w->lim.max_members) {
			/* an mbox inside a container is one of its members; a file of
			 * them is read like a directory, one at a time */
			unpack_skip(w, DD_UNPACK_OVER_CAP,
			            "over the cap of %zu messages of one mbox: this one and the "
			            "rest are not read",
			            "1 つの mbox のメッセージが上限の %zu "
			            "通を超えています。これ以降は読みません",
			            w->lim.max_members);
			unpack_origin_pop(w, old);
			g_object_unref(m);
			break;
		}
		if (depth == 0)
			unpack_budget_reset(w); /* each message is an input of its own */
		if (unpack_may_nest(w, depth))
			read_message(w, m, depth);
		unpack_origin_pop(w, old);
		g_object_unref(m);
	}
	if (n == 0)
		unpack_skip(w, DD_UNPACK_UNREADABLE, "mbox without a readable message",
		            "読めるメッセージのない mbox です");
	g_object_unref(p);
}
