/*
 * test_unpack.c: the report containers (cmd/reports/unpack.h). Every
 * container file of the corpus (testdata/reports/corpus) yields exactly the
 * bytes of its plain sibling, every report e-mail its attachment, every
 * non-report one skip with its reason; hostile inputs built here (bombs,
 * deep nesting, thousands of members, truncation, mailboxes, Maildirs,
 * links, unreadable directories) give exactly the callbacks asserted.
 */
#define _GNU_SOURCE /* memmem */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <dirent.h>

#include "helpers.h"
#include "reports/unpack.h"
#include "dd/util.h"

#define CORPUS "reports/corpus/"

/* ---- what the sink was told ---- */

struct event {
	bool doc;
	char *origin;
	char *reason;
	enum dd_unpack_skip kind; /* of a skip */
	unsigned char *data;
	size_t len;
};

struct rec {
	struct event *v;
	size_t n, cap;
	bool keep_data;
};

static void on_doc(void *ctx, const char *origin, const unsigned char *data, size_t len)
{
	struct rec *r = ctx;
	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof(*r->v));
	struct event *e = &r->v[r->n++];
	*e = (struct event){ .doc = true, .origin = xstrdup(origin), .len = len };
	if (r->keep_data) {
		e->data = xmalloc(len ? len : 1);
		memcpy(e->data, data, len);
	}
}

static void on_skip(void *ctx, const char *origin, enum dd_unpack_skip kind,
                    const struct dd_text *reason)
{
	struct rec *r = ctx;
	/* every reason has Japanese words of its own */
	assert_non_null(reason->ja);
	assert_string_not_equal(reason->en, reason->ja);
	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof(*r->v));
	r->v[r->n++] = (struct event){
		.doc = false, .origin = xstrdup(origin), .reason = xstrdup(reason->en), .kind = kind
	};
}

static void rec_free(struct rec *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].origin);
		free(r->v[i].reason);
		free(r->v[i].data);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static struct rec run_path(const char *path, const struct dd_unpack_limits *lim)
{
	struct rec r = { .keep_data = true };
	struct dd_unpack_sink sink = { on_doc, on_skip, &r };
	dd_unpack_path(path, lim, &sink);
	return r;
}

static struct rec run_buf(const char *origin, const void *data, size_t len,
                          const struct dd_unpack_limits *lim)
{
	struct rec r = { .keep_data = true };
	struct dd_unpack_sink sink = { on_doc, on_skip, &r };
	dd_unpack_buffer(origin, data, len, lim, &sink);
	return r;
}

static void print_rec(const struct rec *r)
{
	for (size_t i = 0; i < r->n; i++)
		print_message("  %s %s%s%s\n", r->v[i].doc ? "doc " : "skip", r->v[i].origin,
		              r->v[i].doc ? "" : ": ", r->v[i].doc ? "" : r->v[i].reason);
}

/* Event i is a document from `origin` (NULL: any) */
static void assert_doc(const struct rec *r, size_t i, const char *origin)
{
	if (i >= r->n || !r->v[i].doc || (origin && strcmp(r->v[i].origin, origin) != 0)) {
		print_rec(r);
		fail_msg("event %zu is not a document from %s", i, origin ? origin : "(any)");
	}
}

/* Event i is a skip from `origin` whose reason holds `reason`. */
static void assert_skip(const struct rec *r, size_t i, const char *origin, const char *reason)
{
	if (i >= r->n || r->v[i].doc || (origin && strcmp(r->v[i].origin, origin) != 0) ||
	    !strstr(r->v[i].reason, reason)) {
		print_rec(r);
		fail_msg("event %zu is not a skip from %s with \"%s\"", i,
		         origin ? origin : "(any)", reason);
	}
}

static void assert_count(const struct rec *r, size_t n)
{
	if (r->n != n) {
		print_rec(r);
		fail_msg("%zu events, expected %zu", r->n, n);
	}
}

static char *corpus_path(const char *rel)
{
	return xasprintf("%s", dd_test_path(rel));
}

/* ---- building hostile inputs ---- */

static unsigned char *gzip_of(const void *data, size_t len, const char *fname, size_t *out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
	gz_header h;
	memset(&h, 0, sizeof(h));
	if (fname) {
		h.name = (unsigned char *)(uintptr_t)fname;
		assert_int_equal(deflateSetHeader(&z, &h), Z_OK);
	}
	size_t cap = deflateBound(&z, len) + 64;
	unsigned char *buf = xmalloc(cap);
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (unsigned)len;
	z.next_out = buf;
	z.avail_out = (unsigned)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out = z.total_out;
	deflateEnd(&z);
	return buf;
}

/* gzip of `n` zero bytes, compressed as a stream (never all in memory). */
static unsigned char *gzip_zeros(size_t n, size_t *out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
	static unsigned char zeros[1 << 16];
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	unsigned char chunk[1 << 16];
	size_t left = n;
	int flush;
	do {
		size_t take = left < sizeof(zeros) ? left : sizeof(zeros);
		left -= take;
		flush = left ? Z_NO_FLUSH : Z_FINISH;
		z.next_in = zeros;
		z.avail_in = (unsigned)take;
		do {
			z.next_out = chunk;
			z.avail_out = sizeof(chunk);
			deflate(&z, flush);
			dd_strbuf_add(&b, (char *)chunk, sizeof(chunk) - z.avail_out);
		} while (z.avail_out == 0);
	} while (flush != Z_FINISH);
	deflateEnd(&z);
	*out = b.len;
	return (unsigned char *)dd_strbuf_own(&b);
}

struct member {
	const char *name;
	const void *data;
	size_t len;
	size_t zeros; /* or this many zero bytes, written in chunks */
};

static la_ssize_t zip_write(struct archive *a, void *ctx, const void *buf, size_t n)
{
	(void)a;
	dd_strbuf_add(ctx, buf, n);
	return (la_ssize_t)n;
}

static unsigned char *zip_of_as(const struct member *m, size_t n, const char *compression,
                                size_t *out)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	struct archive *a = archive_write_new();
	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_set_format_option(a, "zip", "compression", compression),
	                 ARCHIVE_OK);
	archive_write_set_bytes_in_last_block(a, 1);
	assert_int_equal(archive_write_open(a, &b, NULL, zip_write, NULL), ARCHIVE_OK);
	static const unsigned char zeros[1 << 16];
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)(m[i].zeros ? m[i].zeros : m[i].len));
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (m[i].zeros) {
			for (size_t left = m[i].zeros; left;) {
				size_t take = left < sizeof(zeros) ? left : sizeof(zeros);
				assert_int_equal(archive_write_data(a, zeros, take),
				                 (la_ssize_t)take);
				left -= take;
			}
		} else if (m[i].len) {
			assert_int_equal(archive_write_data(a, m[i].data, m[i].len),
			                 (la_ssize_t)m[i].len);
		}
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	*out = b.len;
	return (unsigned char *)dd_strbuf_own(&b);
}

static unsigned char *zip_of(const struct member *m, size_t n, size_t *out)
{
	return zip_of_as(m, n, "deflate", out);
}

static const char small_xml[] = "<?xml version=\"1.0\"?>\n<feedback><report_metadata>"
                                "<org_name>test</org_name></report_metadata></feedback>\n";

/* A report e-mail with `attachments` (already MIME part text) after a text part. */
static char *email_with(const char *subject, const char *parts)
{
	return xasprintf("From: noreply-dmarc@example.net\r\n"
	                 "To: dmarc@example.com\r\n"
	                 "Subject: %s\r\n"
	                 "MIME-Version: 1.0\r\n"
	                 "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
	                 "\r\n"
	                 "--b1\r\n"
	                 "Content-Type: text/plain; charset=us-ascii\r\n"
	                 "\r\n"
	                 "This is an aggregate report.\r\n"
	                 "%s"
	                 "--b1--\r\n",
	                 subject, parts);
}

static char *base64_part(const char *type, const char *filename, const void *data, size_t len)
{
	gchar *b64 = g_base64_encode(data, len);
	/* lines of 76 characters, as RFC 2045 §6.8 wants */
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	for (size_t i = 0, n = strlen(b64); i < n; i += 76) {
		dd_strbuf_add(&b, b64 + i, n - i < 76 ? n - i : 76);
		dd_strbuf_adds(&b, "\r\n");
	}
	g_free(b64);
	char *part;
	if (filename)
		part = xasprintf("--b1\r\n"
		                 "Content-Type: %s; name=\"%s\"\r\n"
		                 "Content-Transfer-Encoding: base64\r\n"
		                 "Content-Disposition: attachment; filename=\"%s\"\r\n"
		                 "\r\n"
		                 "%s",
		                 type, filename, filename, b.s);
	else
		part = xasprintf("--b1\r\n"
		                 "Content-Type: %s\r\n"
		                 "Content-Transfer-Encoding: base64\r\n"
		                 "\r\n"
		                 "%s",
		                 type, b.s);
	dd_strbuf_finish(&b);
	return part;
}

static char tmpdir[DD_TEST_TMPDIR_SIZE];

static const char *make_tmpdir(void)
{
	assert_int_equal(dd_test_tmpdir_make(tmpdir, "dd-unpack"), 0);
	return tmpdir;
}

static void remove_tmpdir(void)
{
	assert_int_equal(dd_test_tmpdir_remove(tmpdir), 0);
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	free(path);
}

static void make_dir(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
	free(path);
}

/* ---- the corpus ---- */

/* The same report in several containers: each yields exactly the bytes of
 * the plain file, as one document, and nothing else. */
static void test_corpus_siblings(void **state)
{
	(void)state;
	static const struct {
		const char *container, *plain, *member;
	} cases[] = {
		{ "parsedmarc/extract_report/nice-input.xml.gz",
		  "parsedmarc/extract_report/nice-input.xml", "!nice-input.xml" },
		{ "parsedmarc/extract_report/nice-input.xml.zip",
		  "parsedmarc/extract_report/nice-input.xml", "!nice-input.xml" },
		{ "dmarc-report-converter/test.xml.gz", "dmarc-report-converter/test.xml",
		  "!test.xml" },
		{ "dmarc-report-converter/test.xml.gz.gz", "dmarc-report-converter/test.xml",
		  "!test.xml.gz!test.xml" },
		{ "dmarc-report-converter/test.xml.zip", "dmarc-report-converter/test.xml",
		  "!test.xml" },
		{ "dmarc-cat/example.com!keltia.net!1538604008!1538690408.xml.gz",
		  "dmarc-cat/example.com!keltia.net!1538604008!1538690408.xml",
		  /* the gzip header keeps the reporter's own name */
		  "!esa1.eurocontrol.c3s2.iphmx.com!keltia.net!1538604008!1538690408.xml" },
		{ "dmarc-cat/google.com!keltia.net!1538438400!1538524799.zip",
		  "dmarc-cat/google.com!keltia.net!1538438400!1538524799.xml",
		  "!google.com!keltia.net!1538438400!1538524799.xml" },
		{ "dmarc-cat/google.com!keltia.net!1538438400!1538524799.xml",
		  "dmarc-cat/google.com!keltia.net!1538438400!1538524799.xml", "" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char rel[512];
		snprintf(rel, sizeof(rel), CORPUS "%s", cases[i].plain);
		size_t plain_len;
		char *plain = dd_test_read(rel, &plain_len);
		snprintf(rel, sizeof(rel), CORPUS "%s", cases[i].container);
		char *path = corpus_path(rel);
		struct rec r = run_path(path, NULL);
		char *origin = xasprintf("%s%s", path, cases[i].member);
		assert_count(&r, 1);
		assert_doc(&r, 0, origin);
		assert_int_equal(r.v[0].len, plain_len);
		assert_memory_equal(r.v[0].data, plain, plain_len);
		rec_free(&r);

		/* the same bytes from memory, as standard input or a fuzzer gives them */
		size_t len;
		char *raw = dd_test_read(rel, &len);
		r = run_buf("mem", raw, len, NULL);
		assert_count(&r, 1);
		assert_true(r.v[0].doc);
		assert_int_equal(r.v[0].len, plain_len);
		assert_memory_equal(r.v[0].data, plain, plain_len);
		rec_free(&r);
		free(raw);
		free(origin);
		free(path);
		free(plain);
	}
}

static bool starts_like_report(const struct event *e)
{
	return (e->len >= 5 && memcmp(e->data, "<?xml", 5) == 0) ||
	       (e->len >= 9 && memcmp(e->data, "<feedback", 9) == 0);
}

/* Every report e-mail of the corpus: one attachment, a report's XML, named
 * by the attachment and what was inside it. */
static void test_corpus_emails(void **state)
{
	(void)state;
	static const struct {
		const char *eml, *member;
	} cases[] = {
		{ "parsedmarc/"
		  "Report_domain-_borschow.com_Submitter-_google.com_Report-ID-_949348866075514174."
		  "eml",
		  "!google.com!borschow.com!1549929600!1550015999.zip!google.com!borschow.com!"
		  "1549929600!1550015999.xml" },
		/* application/gzip named .xml.gz; Mimecast's gzip names nothing inside */
		{ "parsedmarc/mimecast-weird-gzip.eml",
		  "!mimecast.org!ab.id.au!1693353600!1693439999!"
		  "157a5fe30ec76f4bc0d8bccfc96c118a167a1280fee7c7465af5115e73082e5e.xml.gz"
		  "!mimecast.org!ab.id.au!1693353600!1693439999!"
		  "157a5fe30ec76f4bc0d8bccfc96c118a167a1280fee7c7465af5115e73082e5e.xml" },
		{ "parsedmarc/twilight.eml", "!google.com!twlnet.com!1549756800!1549843199.zip!"
		                             "google.com!twlnet.com!1549756800!1549843199.xml" },
		{ "stalwart-mail-auth/100.eml", "!google.com!stalw.art!1669507200!1669593599.zip!"
		                                "google.com!stalw.art!1669507200!1669593599.xml" },
		{ "stalwart-mail-auth/101.eml",
		  "!backschues.net!stalw.art!1667948400!1668034800.xml.gz!backschues.net!stalw.art!"
		  "1667948400!1668034800.xml" },
		{ "stalwart-mail-auth/102.eml", "!mail.ru!stalw.art!1667865600!1667952000.xml.gz!"
		                                "mail.ru!stalw.art!1667865600!1667952000.xml" },
		{ "stalwart-mail-auth/103.eml",
		  "!protection.outlook.com!stalw.art!1666483200!1666569600.xml.gz!protection."
		  "outlook.com!stalw.art!1666483200!1666569600.xml" },
		{ "stalwart-mail-auth/104.eml",
		  "!amazonses.com!stalw.art!1663545600!1663632000.xml.gz!amazonses.com!stalw.art!"
		  "1663545600!1663632000.xml" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char rel[512];
		snprintf(rel, sizeof(rel), CORPUS "%s", cases[i].eml);
		char *path = corpus_path(rel);
		struct rec r = run_path(path, NULL);
		char *origin = xasprintf("%s%s", path, cases[i].member);
		assert_count(&r, 1);
		assert_doc(&r, 0, origin);
		assert_true(starts_like_report(&r.v[0]));
		assert_non_null(memmem(r.v[0].data, r.v[0].len, "</feedback>", 11));
		rec_free(&r);
		free(origin);
		free(path);
	}
	/* and no other e-mail in the corpus was missed by this table */
	size_t emls = 0;
	const char *dirs[] = { CORPUS "parsedmarc", CORPUS "stalwart-mail-auth" };
	for (size_t d = 0; d < DD_ARRAY_LEN(dirs); d++) {
		DIR *dir = opendir(dd_test_path(dirs[d]));
		assert_non_null(dir);
		struct dirent *e;
		while ((e = readdir(dir)))
			emls += strlen(e->d_name) > 4 &&
			        strcmp(e->d_name + strlen(e->d_name) - 4, ".eml") == 0;
		closedir(dir);
	}
	assert_int_equal(emls, DD_ARRAY_LEN(cases));
}

/* The zip and gzip reports without a plain sibling. */
static void test_corpus_single_containers(void **state)
{
	(void)state;
	static const char *const files[] = {
		"parsedmarc/"
		"estadocuenta1.infonacot.gob.mx!example.com!1536853302!1536939702!2940.xml.zip",
		"parsedmarc/fastmail.com!example.com!1516060800!1516147199!102675056.xml.gz",
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(files); i++) {
		char rel[512];
		snprintf(rel, sizeof(rel), CORPUS "%s", files[i]);
		struct rec r = run_path(dd_test_path(rel), NULL);
		assert_count(&r, 1);
		assert_doc(&r, 0, NULL);
		assert_true(starts_like_report(&r.v[0]));
		/* without .zip / .gz: the name of the XML inside */
		assert_non_null(strstr(r.v[0].origin, files[i] + strlen("parsedmarc/")));
		assert_string_equal(r.v[0].origin + strlen(r.v[0].origin) - 4, ".xml");
		rec_free(&r);
	}
}

/* Event i is a skip of this kind (import.c counts skips by kind). */
static void assert_kind(const struct rec *r, size_t i, enum dd_unpack_skip kind)
{
	if (i >= r->n || r->v[i].doc || r->v[i].kind != kind) {
		print_rec(r);
		fail_msg("event %zu is not a skip of kind %d", i, (int)kind);
	}
}

/* Files that hold no report: one skip each, naming the member. */
static void test_corpus_non_reports(void **state)
{
	(void)state;
	static const struct {
		const char *file, *member, *reason;
	} cases[] = {
		{ "dmarc-cat/bad.xml", "", "empty (0 bytes)" },
		{ "dmarc-cat/bad.zip", "!bad.xml", "empty (0 bytes)" },
		{ "dmarc-cat/empty.txt", "", "empty (0 bytes)" },
		{ "parsedmarc/empty.xml", "", "empty (0 bytes)" },
		{ "dmarc-cat/notempty.txt", "",
		  "not a report: neither XML, gzip, zip nor an e-mail" },
		{ "dmarc-cat/notempty.txt.gz", "!notempty.txt",
		  "not a report: neither XML, gzip, zip nor an e-mail" },
		{ "dmarc-cat/notempty.zip", "!notempty.txt",
		  "not a report: neither XML, gzip, zip nor an e-mail" },
		{ "stalwart-mail-auth/001.expected.json", "", "not a report" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char rel[512];
		snprintf(rel, sizeof(rel), CORPUS "%s", cases[i].file);
		char *path = corpus_path(rel);
		char *origin = xasprintf("%s%s", path, cases[i].member);
		struct rec r = run_path(path, NULL);
		assert_count(&r, 1);
		assert_skip(&r, 0, origin, cases[i].reason);
		assert_kind(&r, 0, DD_UNPACK_NOT_A_REPORT);
		rec_free(&r);
		free(origin);
		free(path);
	}
}

/* Every file under `dir`, in bytewise order, directories as they come. */
static void list_files(const char *dir, char ***out, size_t *n, size_t *cap)
{
	struct dirent **names;
	int k = scandir(dir, &names, NULL, NULL);
	assert_true(k >= 0);
	/* bytewise, not alphasort's locale order */
	for (int i = 1; i < k; i++)
		for (int j = i; j > 0 && strcmp(names[j - 1]->d_name, names[j]->d_name) > 0; j--) {
			struct dirent *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (int i = 0; i < k; i++) {
		if (names[i]->d_name[0] != '.') {
			char *p = xasprintf("%s/%s", dir, names[i]->d_name);
			struct stat st;
			assert_int_equal(lstat(p, &st), 0);
			if (S_ISDIR(st.st_mode)) {
				list_files(p, out, n, cap);
				free(p);
			} else {
				*out = xgrow(*out, cap, *n + 1, sizeof(**out));
				(*out)[(*n)++] = p;
			}
		}
		free(names[i]);
	}
	free(names);
}

/* A directory is the files in it, recursively, in a stable order: the walk
 * gives exactly what each file alone gives, file after file. */
static void test_corpus_directory(void **state)
{
	(void)state;
	char *root = xasprintf("%s", dd_test_path("reports/corpus"));
	struct rec all = run_path(root, NULL);
	char **files = NULL;
	size_t nfiles = 0, cap = 0;
	list_files(root, &files, &nfiles, &cap);
	assert_true(nfiles >= 80);
	size_t at = 0, docs = 0;
	for (size_t i = 0; i < nfiles; i++) {
		struct rec one = run_path(files[i], NULL);
		assert_true(one.n >= 1); /* nothing is dropped silently */
		for (size_t j = 0; j < one.n; j++, at++) {
			assert_true(at < all.n);
			assert_int_equal(all.v[at].doc, one.v[j].doc);
			assert_string_equal(all.v[at].origin, one.v[j].origin);
			if (one.v[j].doc) {
				docs++;
				assert_int_equal(all.v[at].len, one.v[j].len);
				assert_memory_equal(all.v[at].data, one.v[j].data, one.v[j].len);
			} else {
				assert_string_equal(all.v[at].reason, one.v[j].reason);
			}
		}
		rec_free(&one);
		free(files[i]);
	}
	free(files);
	assert_int_equal(at, all.n);
	/* the 66 report inputs but the 7 that hold none, and the 4 schemas
	 * (XML too: the parser tells them from reports); README, JSON and
	 * licences are skips */
	assert_int_equal(docs, 66 - 7 + 4);
	assert_int_equal(all.n - docs, 19);
	rec_free(&all);
	free(root);
}

/* "-" reads standard input, whatever it holds. */
static void test_stdin(void **state)
{
	(void)state;
	int saved = dup(STDIN_FILENO);
	int fd = open(dd_test_path(CORPUS "dmarc-report-converter/test.xml.gz.gz"), O_RDONLY);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, STDIN_FILENO);
	close(fd);
	struct rec r = run_path("-", NULL);
	dup2(saved, STDIN_FILENO);
	close(saved);
	size_t plain_len;
	char *plain = dd_test_read(CORPUS "dmarc-report-converter/test.xml", &plain_len);
	assert_count(&r, 1);
	/* the outer gzip names nothing; the inner one names test.xml */
	assert_doc(&r, 0, "<stdin>!test.xml");
	assert_int_equal(r.v[0].len, plain_len);
	assert_memory_equal(r.v[0].data, plain, plain_len);
	free(plain);
	rec_free(&r);
}

static void test_missing_path(void **state)
{
	(void)state;
	struct rec r = run_path("/nonexistent/reports", NULL);
	assert_count(&r, 1);
	assert_skip(&r, 0, "/nonexistent/reports", "cannot open: No such file or directory");
	assert_kind(&r, 0, DD_UNPACK_UNREADABLE);
	rec_free(&r);
}

/* ---- hostile inputs ---- */

static long max_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* How much a child may grow while it reads a bomb: the 32 MiB buffer and
 * change. AddressSanitizer keeps freed blocks in quarantine (the smaller
 * buffers the growing one left behind) and adds shadow memory: a looser
 * bound there, still far below the gigabyte an unbounded reader needs. */
#if defined(__SANITIZE_ADDRESS__)
#define BOMB_GROWTH_KIB (256 * 1024)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BOMB_GROWTH_KIB (256 * 1024)
#endif
#endif
#ifndef BOMB_GROWTH_KIB
#define BOMB_GROWTH_KIB (64 * 1024)
#endif

/* 1 GiB of zeros in a 1 MiB gzip file (1024 members of 1 MiB each, which
 * gunzip reads as one file): stopped at the 32 MiB cap, and the process
 * grows by about the cap, not by the gigabyte. Measured in a child, whose
 * peak is its own. */
static void test_gzip_bomb(void **state)
{
	(void)state;
	size_t one_len;
	unsigned char *one = gzip_zeros((size_t)1 << 20, &one_len);
	size_t len = one_len * 1024;
	unsigned char *bomb = xmalloc(len);
	for (size_t i = 0; i < 1024; i++)
		memcpy(bomb + i * one_len, one, one_len);
	free(one);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		long before = max_rss_kib();
		struct rec r = { .keep_data = false };
		struct dd_unpack_sink sink = { on_doc, on_skip, &r };
		dd_unpack_buffer("bomb.xml.gz", bomb, len, NULL, &sink);
		long grown = max_rss_kib() - before;
		int ok = r.n == 1 && !r.v[0].doc && strcmp(r.v[0].origin, "bomb.xml.gz") == 0 &&
		         strcmp(r.v[0].reason, "decompressed size over the 32 MiB cap") == 0;
		if (!ok)
			print_rec(&r);
		if (grown > BOMB_GROWTH_KIB)
			print_message("grew by %ld KiB\n", grown);
		_exit(ok && grown <= BOMB_GROWTH_KIB ? 0 : 1);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	free(bomb);
}

/* One gzip member of 64 MiB of zeros, and one just under the cap set. */
static void test_gzip_over_and_under_cap(void **state)
{
	(void)state;
	size_t len;
	unsigned char *bomb = gzip_zeros((size_t)64 << 20, &len);
	struct rec r = run_buf("x/bomb.xml.gz", bomb, len, NULL);
	assert_count(&r, 1);
	assert_skip(&r, 0, "x/bomb.xml.gz", "decompressed size over the 32 MiB cap");
	assert_kind(&r, 0, DD_UNPACK_OVER_CAP);
	rec_free(&r);
	free(bomb);

	/* at the cap exactly is still a document; a byte more is not */
	struct dd_unpack_limits lim = dd_unpack_default_limits;
	lim.max_document = 1000;
	char doc[1001];
	memset(doc, ' ', sizeof(doc));
	doc[0] = '<';
	unsigned char *gz = gzip_of(doc, 1000, NULL, &len);
	r = run_buf("at.xml.gz", gz, len, &lim);
	assert_count(&r, 1);
	assert_doc(&r, 0, "at.xml.gz!at.xml");
	assert_int_equal(r.v[0].len, 1000);
	rec_free(&r);
	free(gz);
	gz = gzip_of(doc, 1001, NULL, &len);
	r = run_buf("over.xml.gz", gz, len, &lim);
	assert_count(&r, 1);
	assert_skip(&r, 0, "over.xml.gz", "decompressed size over the 1000 bytes cap");
	rec_free(&r);
	free(gz);
}

static void test_zip_bomb(void **state)
{
	(void)state;
	struct member m[] = {
		{ .name = "bomb.xml", .zeros = (size_t)64 << 20 },
		{ .name = "ok.xml", .data = small_xml, .len = sizeof(small_xml) - 1 },
	};
	size_t len;
	unsigned char *zip = zip_of(m, DD_ARRAY_LEN(m), &len);
	assert_true(len < 1 << 20);
	struct rec r = run_buf("bomb.zip", zip, len, NULL);
	/* the member over the cap is skipped; the next one is still read */
	assert_count(&r, 2);
	assert_skip(&r, 0, "bomb.zip!bomb.xml", "decompressed size over the 32 MiB cap");
	assert_doc(&r, 1, "bomb.zip!ok.xml");
	assert_memory_equal(r.v[1].data, small_xml, sizeof(small_xml) - 1);
	rec_free(&r);
	free(zip);
}

/* gzip in gzip ... 10 deep: the 5th container is over the cap of 4. */
static void test_nesting(void **state)
{
	(void)state;
	size_t len = sizeof(small_xml) - 1;
	unsigned char *data = xmalloc(len);
	memcpy(data, small_xml, len);
	for (int i = 9; i >= 0; i--) {
		char name[16];
		snprintf(name, sizeof(name), "level%d", i + 1);
		size_t n;
		unsigned char *gz = gzip_of(data, len, name, &n);
		free(data);
		data = gz;
		len = n;
	}
	struct rec r = run_buf("deep.gz", data, len, NULL);
	assert_count(&r, 1);
	assert_skip(&r, 0, "deep.gz!level1!level2!level3!level4",
	            "containers nested deeper than the cap of 4");
	rec_free(&r);

	struct dd_unpack_limits lim = dd_unpack_default_limits;
	lim.max_nesting = 10;
	r = run_buf("deep.gz", data, len, &lim);
	assert_count(&r, 1);
	assert_doc(
	        &r, 0,
	        "deep.gz!level1!level2!level3!level4!level5!level6!level7!level8!level9!level10");
	assert_memory_equal(r.v[0].data, small_xml, sizeof(small_xml) - 1);
	rec_free(&r);
	free(data);

	/* zip in gzip in zip in e-mail: 4 containers, just inside the cap */
	struct member inner = { .name = "r.xml", .data = small_xml, .len = sizeof(small_xml) - 1 };
	size_t zlen, glen, z2len;
	unsigned char *zip = zip_of(&inner, 1, &zlen);
	unsigned char *gz = gzip_of(zip, zlen, "r.zip", &glen);
	struct member outer = { .name = "r.zip.gz", .data = gz, .len = glen };
	unsigned char *zip2 = zip_of(&outer, 1, &z2len);
	char *part = base64_part("application/zip", "all.zip", zip2, z2len);
	char *mail = email_with("Report", part);
	r = run_buf("m.eml", mail, strlen(mail), NULL);
	assert_count(&r, 1);
	assert_doc(&r, 0, "m.eml!all.zip!r.zip.gz!r.zip!r.xml");
	rec_free(&r);
	lim.max_nesting = 3;
	r = run_buf("m.eml", mail, strlen(mail), &lim);
	assert_count(&r, 1);
	assert_skip(&r, 0, "m.eml!all.zip!r.zip.gz!r.zip", "nested deeper than the cap of 3");
	assert_kind(&r, 0, DD_UNPACK_OVER_CAP);
	rec_free(&r);
	free(mail);
	free(part);
	free(zip2);
	free(gz);
	free(zip);
}

/* 100 000 members: the first 1000 are read, the 1001st is named in one
 * skip, the rest are not looked at; stored as a zip of that many reports
 * might be, and deflated (5000 of them). */
#define MANY 100000
static void test_many_members(void **state)
{
	(void)state;
	struct member *m = xcalloc(MANY, sizeof(*m));
	char(*names)[16] = xcalloc(MANY, sizeof(*names));
	for (size_t i = 0; i < MANY; i++) {
		snprintf(names[i], sizeof(names[i]), "m%05zu.xml", i);
		m[i] = (struct member){ .name = names[i],
			                .data = small_xml,
			                .len = sizeof(small_xml) - 1 };
	}
	static const char *const how[] = { "store", "deflate" };
	for (size_t h = 0; h < DD_ARRAY_LEN(how); h++) {
		size_t len;
		unsigned char *zip = zip_of_as(m, h ? 5000 : MANY, how[h], &len);
		struct rec r = run_buf("many.zip", zip, len, NULL);
		assert_count(&r, 1001);
		for (size_t i = 0; i < 1000; i++) {
			char origin[32];
			snprintf(origin, sizeof(origin), "many.zip!m%05zu.xml", i);
			assert_doc(&r, i, origin);
			assert_memory_equal(r.v[i].data, small_xml, sizeof(small_xml) - 1);
		}
		assert_skip(&r, 1000, "many.zip!m01000.xml",
		            "over the cap of 1000 members of one archive: this one and the rest "
		            "are not read");
		rec_free(&r);
		free(zip);
	}
	free(names);
	free(m);
}

/* All the documents of one input together: 4 documents' worth. */
static void test_input_budget(void **state)
{
	(void)state;
	struct dd_unpack_limits lim = dd_unpack_default_limits;
	lim.max_document = (size_t)1 << 20;
	char *doc = xmalloc(1000000);
	memset(doc, ' ', 1000000);
	doc[0] = '<';
	struct member m[6];
	char names[6][8];
	for (int i = 0; i < 6; i++) {
		snprintf(names[i], sizeof(names[i]), "%d.xml", i + 1);
		m[i] = (struct member){ .name = names[i], .data = doc, .len = 1000000 };
	}
	size_t len;
	unsigned char *zip = zip_of(m, 6, &len);
	struct rec r = run_buf("six.zip", zip, len, &lim);
	assert_count(&r, 5);
	for (int i = 0; i < 4; i++)
		assert_doc(&r, (size_t)i, NULL);
	assert_skip(&r, 4, "six.zip!5.xml",
	            "decompressed size of one input over the 4 MiB cap (4 documents' worth)");
	rec_free(&r);
	free(zip);
	free(doc);
}

/* Members one after another are one file (RFC 1952 §2.2), as gunzip reads
 * them; bytes after the last member that do not start one are not part of
 * the file (gunzip warns and ignores them too). */
static void test_gzip_members(void **state)
{
	(void)state;
	size_t alen, blen;
	const size_t half = 40;
	unsigned char *a = gzip_of(small_xml, half, "two.xml", &alen);
	unsigned char *b = gzip_of(small_xml + half, sizeof(small_xml) - 1 - half, NULL, &blen);
	unsigned char *both = xmalloc(alen + blen + 4);
	memcpy(both, a, alen);
	memcpy(both + alen, b, blen);
	struct rec r = run_buf("two.gz", both, alen + blen, NULL);
	assert_count(&r, 1);
	assert_doc(&r, 0, "two.gz!two.xml"); /* the first member's name */
	assert_int_equal(r.v[0].len, sizeof(small_xml) - 1);
	assert_memory_equal(r.v[0].data, small_xml, sizeof(small_xml) - 1);
	rec_free(&r);
	memcpy(both + alen, "\0\0\r\n", 4); /* padding after one member */
	r = run_buf("pad.gz", both, alen + 4, NULL);
	assert_count(&r, 1);
	assert_doc(&r, 0, "pad.gz!two.xml");
	assert_int_equal(r.v[0].len, half);
	rec_free(&r);
	free(both);
	free(a);
	free(b);
}

static void test_truncated_gzip(void **state)
{
	(void)state;
	size_t len;
	char *gz = dd_test_read(CORPUS "parsedmarc/extract_report/nice-input.xml.gz", &len);
	/* in the header, in the data, in the CRC/size trailer */
	const size_t cuts[] = { 2, 10, len / 2, len - 1, len - 8 };
	for (size_t i = 0; i < DD_ARRAY_LEN(cuts); i++) {
		struct rec r = run_buf("t.xml.gz", gz, cuts[i], NULL);
		assert_count(&r, 1);
		assert_skip(&r, 0, "t.xml.gz",
		            "truncated gzip: the data ends before the end of the stream");
		rec_free(&r);
	}
	/* a wrong CRC is corruption, not a document */
	gz[len - 6] ^= 0x55;
	struct rec r = run_buf("t.xml.gz", gz, len, NULL);
	assert_count(&r, 1);
	assert_skip(&r, 0, "t.xml.gz", "corrupt gzip: incorrect data check");
	rec_free(&r);
	free(gz);
}

static void test_corrupt_zip(void **state)
{
	(void)state;
	size_t len;
	char *zip = dd_test_read(CORPUS "parsedmarc/extract_report/nice-input.xml.zip", &len);
	/* cut in the member's data: no central directory, the data stops */
	struct rec r = run_buf("c.zip", zip, len / 2, NULL);
	assert_true(r.n >= 1);
	for (size_t i = 0; i < r.n; i++)
		assert_false(r.v[i].doc);
	assert_non_null(strstr(r.v[0].reason, "zip"));
	assert_true(strncmp(r.v[0].origin, "c.zip", 5) == 0);
	rec_free(&r);
	/* damage the compressed data itself (after the 30-byte local header,
	 * the 14-byte name and 24 bytes of extra fields) */
	for (size_t i = 100; i < 300 && i < len; i++)
		zip[i] = (char)0xa5;
	r = run_buf("c.zip", zip, len, NULL);
	assert_count(&r, 1);
	assert_skip(&r, 0, "c.zip!nice-input.xml", "corrupt zip member");
	rec_free(&r);
	free(zip);

	/* "PK\5\6" and nothing else: an archive of no members */
	static const unsigned char empty[22] = { 'P', 'K', 5, 6 };
	r = run_buf("e.zip", empty, sizeof(empty), NULL);
	assert_count(&r, 1);
	assert_skip(&r, 0, "e.zip", "empty zip: no members");
	rec_free(&r);
}

/* An mbox of 3 messages, the second without a report: two documents and one
 * skip, in order, read from a file and from memory alike. A body line that
 * begins with "From " is written ">From " in an mbox (mboxrd). */
static char *three_messages(void)
{
	size_t gzlen, ziplen;
	unsigned char *gz = gzip_of(small_xml, sizeof(small_xml) - 1, NULL, &gzlen);
	struct member m = { .name = "b.xml", .data = small_xml, .len = sizeof(small_xml) - 1 };
	unsigned char *zip = zip_of(&m, 1, &ziplen);
	char *p1 = base64_part("application/gzip", "a.xml.gz", gz, gzlen);
	char *p3 = base64_part("application/zip", "b.zip", zip, ziplen);
	char *m1 = email_with("Report domain: example.com 1", p1);
	char *m3 = email_with("Report domain: example.com 3", p3);
	char *box = xasprintf("From noreply-dmarc@example.net Mon Oct  7 00:00:01 2024\n%s\n"
	                      "From someone@example.org Mon Oct  7 00:00:02 2024\n"
	                      "From: someone@example.org\nSubject: hello\n\n"
	                      ">From the desk of someone: no report here.\n\n"
	                      "From noreply-dmarc@example.net Mon Oct  7 00:00:03 2024\n%s\n",
	                      m1, m3);
	free(m1);
	free(m3);
	free(p1);
	free(p3);
	free(gz);
	free(zip);
	return box;
}

static void assert_three_messages(const struct rec *r, const char *origin)
{
	char o[256];
	assert_count(r, 3);
	snprintf(o, sizeof(o), "%s!message-1!a.xml.gz!a.xml", origin);
	assert_doc(r, 0, o);
	assert_memory_equal(r->v[0].data, small_xml, sizeof(small_xml) - 1);
	snprintf(o, sizeof(o), "%s!message-2", origin);
	assert_skip(r, 1, o, "e-mail without a report attachment (its parts: text/plain)");
	assert_kind(r, 1, DD_UNPACK_NOT_A_REPORT);
	snprintf(o, sizeof(o), "%s!message-3!b.zip!b.xml", origin);
	assert_doc(r, 2, o);
	assert_memory_equal(r->v[2].data, small_xml, sizeof(small_xml) - 1);
}

static void test_mbox(void **state)
{
	(void)state;
	char *box = three_messages();
	const char *dir = make_tmpdir();
	write_file(dir, "inbox", box, strlen(box));
	char *path = xasprintf("%s/inbox", dir);
	struct rec r = run_path(path, NULL);
	assert_three_messages(&r, path);
	rec_free(&r);
	r = run_buf("inbox", box, strlen(box), NULL);
	assert_three_messages(&r, "inbox");
	rec_free(&r);
	/* gzipped mailbox: the same messages one level down */
	size_t gzlen;
	unsigned char *gz = gzip_of(box, strlen(box), NULL, &gzlen);
	r = run_buf("inbox.gz", gz, gzlen, NULL);
	assert_three_messages(&r, "inbox.gz!inbox");
	rec_free(&r);
	free(gz);
	remove_tmpdir();
	free(path);
	free(box);
}

/* A Maildir: messages in cur/ and new/ (and Maildir++ folders), named
 * without extensions; tmp/ and the server's index files are not messages. */
static void test_maildir(void **state)
{
	(void)state;
	const char *dir = make_tmpdir();
	size_t gzlen;
	unsigned char *gz = gzip_of(small_xml, sizeof(small_xml) - 1, NULL, &gzlen);
	char *part = base64_part("application/gzip", "r.xml.gz", gz, gzlen);
	char *mail = email_with("Report", part);
	make_dir(dir, "Maildir");
	make_dir(dir, "Maildir/cur");
	make_dir(dir, "Maildir/new");
	make_dir(dir, "Maildir/tmp");
	make_dir(dir, "Maildir/.Reports");
	make_dir(dir, "Maildir/.Reports/cur");
	make_dir(dir, "Maildir/.Reports/new");
	make_dir(dir, "Maildir/.Reports/tmp");
	write_file(dir, "Maildir/cur/1700000000.M1P1.host:2,S", mail, strlen(mail));
	write_file(dir, "Maildir/new/1700000001.M2P1.host", mail, strlen(mail));
	write_file(dir, "Maildir/tmp/1700000002.M3P1.host", mail, 10); /* being written */
	write_file(dir, "Maildir/.Reports/new/1700000003.M4P1.host", mail, strlen(mail));
	write_file(dir, "Maildir/dovecot-uidlist", "3 V1700000000 N4\n", 17);
	write_file(dir, "Maildir/dovecot.index.log", "\x01\x02", 2);
	char *root = xasprintf("%s/Maildir", dir);
	struct rec r = run_path(root, NULL);
	char o[512];
	assert_count(&r, 3);
	snprintf(o, sizeof(o), "%s/.Reports/new/1700000003.M4P1.host!r.xml.gz!r.xml", root);
	assert_doc(&r, 0, o);
	snprintf(o, sizeof(o), "%s/cur/1700000000.M1P1.host:2,S!r.xml.gz!r.xml", root);
	assert_doc(&r, 1, o);
	snprintf(o, sizeof(o), "%s/new/1700000001.M2P1.host!r.xml.gz!r.xml", root);
	assert_doc(&r, 2, o);
	for (size_t i = 0; i < 3; i++)
		assert_memory_equal(r.v[i].data, small_xml, sizeof(small_xml) - 1);
	rec_free(&r);
	/* a directory of Maildirs is walked the same way */
	r = run_path(dir, NULL);
	assert_count(&r, 3);
	rec_free(&r);
	remove_tmpdir();
	free(root);
	free(mail);
	free(part);
	free(gz);
}

/* The attachment types and encodings reporters use, and what is not one. */
static void test_mime_parts(void **state)
{
	(void)state;
	size_t gzlen, ziplen;
	unsigned char *gz = gzip_of(small_xml, sizeof(small_xml) - 1, NULL, &gzlen);
	struct member m = { .name = "z.xml", .data = small_xml, .len = sizeof(small_xml) - 1 };
	unsigned char *zip = zip_of(&m, 1, &ziplen);
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0 };
	char *octets_named = base64_part("application/octet-stream", "r1.xml.gz", gz, gzlen);
	char *octets_zip = base64_part("application/octet-stream", "attachment.bin", zip, ziplen);
	char *octets_other = base64_part("application/octet-stream", "logo.bin", png, sizeof(png));
	char *image = base64_part("image/png", "logo.png", png, sizeof(png));
	char *xgzip = base64_part("application/x-gzip", NULL, gz, gzlen);
	char *parts = xasprintf("%s%s%s%s%s"
	                        "--b1\r\n"
	                        "Content-Type: text/xml; charset=utf-8\r\n"
	                        "Content-Transfer-Encoding: quoted-printable\r\n"
	                        "Content-Disposition: attachment; filename=\"qp.xml\"\r\n"
	                        "\r\n"
	                        "<?xml version=3D\"1.0\"?>\r\n<feedback><report_metadata><org_=\r\n"
	                        "name>test</org_name></report_metadata></feedback>\r\n",
	                        octets_named, octets_zip, octets_other, image, xgzip);
	char *mail = email_with("Report", parts);
	struct rec r = run_buf("p.eml", mail, strlen(mail), NULL);
	assert_count(&r, 4);
	assert_doc(&r, 0, "p.eml!r1.xml.gz!r1.xml");
	assert_doc(&r, 1, "p.eml!attachment.bin!z.xml");
	/* the x-gzip part has no name: it is numbered among the leaves */
	assert_doc(&r, 2, "p.eml!part-6");
	assert_doc(&r, 3, "p.eml!qp.xml");
	for (size_t i = 0; i < 3; i++)
		assert_memory_equal(r.v[i].data, small_xml, sizeof(small_xml) - 1);
	static const char qp_decoded[] = "<?xml version=\"1.0\"?>\r\n<feedback><report_metadata>"
	                                 "<org_name>test</org_name></report_metadata></feedback>";
	assert_true(r.v[3].len >= sizeof(qp_decoded) - 1);
	assert_memory_equal(r.v[3].data, qp_decoded, sizeof(qp_decoded) - 1);
	rec_free(&r);
	free(mail);
	free(parts);
	free(octets_named);
	free(octets_zip);
	free(octets_other);
	free(image);
	free(xgzip);
	free(zip);
	free(gz);
}

static void test_email_without_report(void **state)
{
	(void)state;
	char *mail = email_with("Hello", "--b1\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n");
	struct rec r = run_buf("hello.eml", mail, strlen(mail), NULL);
	assert_count(&r, 1);
	assert_skip(&r, 0, "hello.eml",
	            "e-mail without a report attachment (its parts: text/plain, text/html)");
	rec_free(&r);
	free(mail);

	/* a report attachment that holds no report is that attachment's skip */
	char *part = base64_part("application/gzip", "r.xml.gz", "nope", 4);
	mail = email_with("Report", part);
	r = run_buf("bad.eml", mail, strlen(mail), NULL);
	assert_count(&r, 1);
	assert_skip(&r, 0, "bad.eml!r.xml.gz",
	            "not a report: neither XML, gzip, zip nor an e-mail");
	rec_free(&r);
	free(mail);
	free(part);
}

/* Not multipart: the whole body is the report (some reporters do this). */
static void test_single_part_email(void **state)
{
	(void)state;
	struct member m = { .name = "r.xml", .data = small_xml, .len = sizeof(small_xml) - 1 };
	size_t ziplen;
	unsigned char *zip = zip_of(&m, 1, &ziplen);
	gchar *b64 = g_base64_encode(zip, ziplen);
	char *mail = xasprintf("From: dmarc@example.net\r\nSubject: Report\r\nMIME-Version: 1.0\r\n"
	                       "Content-Type: application/zip\r\n"
	                       "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n",
	                       b64);
	struct rec r = run_buf("one.eml", mail, strlen(mail), NULL);
	assert_count(&r, 1);
	assert_doc(&r, 0, "one.eml!part-1!r.xml");
	assert_memory_equal(r.v[0].data, small_xml, sizeof(small_xml) - 1);
	rec_free(&r);
	free(mail);
	g_free(b64);
	free(zip);
}

/* An attachment decodes into at most the document cap. */
static void test_attachment_cap(void **state)
{
	(void)state;
	struct dd_unpack_limits lim = dd_unpack_default_limits;
	lim.max_document = 1024;
	char doc[2048];
	memset(doc, ' ', sizeof(doc));
	doc[0] = '<';
	char *big = base64_part("text/xml", "big.xml", doc, sizeof(doc));
	char *fits = base64_part("text/xml", "fits.xml", doc, 1024);
	char *parts = xasprintf("%s%s", big, fits);
	char *mail = email_with("Report", parts);
	struct rec r = run_buf("a.eml", mail, strlen(mail), &lim);
	assert_count(&r, 2);
	assert_skip(&r, 0, "a.eml!big.xml", "attachment over the 1 KiB cap");
	assert_doc(&r, 1, "a.eml!fits.xml");
	assert_int_equal(r.v[1].len, 1024);
	rec_free(&r);
	free(mail);
	free(parts);
	free(fits);
	free(big);
}

/* A report e-mail forwarded as message/rfc822 is read inside the outer one. */
static void test_forwarded_email(void **state)
{
	(void)state;
	size_t gzlen;
	unsigned char *gz = gzip_of(small_xml, sizeof(small_xml) - 1, "r.xml", &gzlen);
	char *part = base64_part("application/gzip", "r.xml.gz", gz, gzlen);
	char *inner = email_with("Report", part);
	/* the inner message's boundary must differ from the outer one's */
	for (char *p = inner; (p = strstr(p, "b1")); p++)
		p[1] = '2';
	char *fwd = xasprintf("--b1\r\nContent-Type: message/rfc822\r\n\r\n%s\r\n", inner);
	char *mail = email_with("Fwd: Report", fwd);
	struct rec r = run_buf("fwd.eml", mail, strlen(mail), NULL);
	assert_count(&r, 1);
	assert_doc(&r, 0, "fwd.eml!message-2!r.xml.gz!r.xml");
	assert_memory_equal(r.v[0].data, small_xml, sizeof(small_xml) - 1);
	rec_free(&r);
	free(mail);
	free(fwd);
	free(inner);
	free(part);
	free(gz);
}

/* 1200 parts: a report in the first is read, then one skip for the cap. */
static void test_parts_cap(void **state)
{
	(void)state;
	size_t gzlen;
	unsigned char *gz = gzip_of(small_xml, sizeof(small_xml) - 1, NULL, &gzlen);
	char *first = base64_part("application/gzip", "r.xml.gz", gz, gzlen);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_adds(&b, first);
	for (int i = 0; i < 1200; i++)
		dd_strbuf_adds(&b, "--b1\r\nContent-Type: text/plain\r\n\r\nx\r\n");
	char *mail = email_with("Many", b.s);
	struct rec r = run_buf("many.eml", mail, strlen(mail), NULL);
	assert_count(&r, 2);
	assert_doc(&r, 0, "many.eml!r.xml.gz!r.xml");
	assert_skip(&r, 1, "many.eml",
	            "over the cap of 1000 parts of one e-mail: the rest are not read");
	rec_free(&r);
	free(mail);
	dd_strbuf_finish(&b);
	free(first);
	free(gz);
}

/* Order, hidden files, links in and out, things that are not files. */
static void test_directory(void **state)
{
	(void)state;
	const char *dir = make_tmpdir();
	size_t gzlen;
	unsigned char *gz = gzip_of(small_xml, sizeof(small_xml) - 1, NULL, &gzlen);
	write_file(dir, "b.xml", small_xml, sizeof(small_xml) - 1);
	write_file(dir, "a.xml", small_xml, sizeof(small_xml) - 1);
	write_file(dir, "B.xml", small_xml, sizeof(small_xml) - 1);
	make_dir(dir, "sub");
	write_file(dir, "sub/c.xml.gz", gz, gzlen);
	write_file(dir, ".hidden.xml", small_xml, sizeof(small_xml) - 1);
	make_dir(dir, ".git");
	write_file(dir, ".git/config", "[core]\n", 7);
	char *p = xasprintf("%s/link-in.xml", dir);
	assert_int_equal(symlink("a.xml", p), 0);
	free(p);
	p = xasprintf("%s/link-out", dir);
	assert_int_equal(symlink("/etc", p), 0);
	free(p);
	p = xasprintf("%s/link-nowhere", dir);
	assert_int_equal(symlink("no-such-file", p), 0);
	free(p);
	p = xasprintf("%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	free(p);
	struct rec r = run_path(dir, NULL);
	char o[512];
	assert_count(&r, 7);
	snprintf(o, sizeof(o), "%s/B.xml", dir);
	assert_doc(&r, 0, o);
	snprintf(o, sizeof(o), "%s/a.xml", dir);
	assert_doc(&r, 1, o);
	snprintf(o, sizeof(o), "%s/b.xml", dir);
	assert_doc(&r, 2, o);
	snprintf(o, sizeof(o), "%s/fifo", dir);
	assert_skip(&r, 3, o, "not a regular file or directory");
	/* link-in.xml is a.xml, read where it is */
	snprintf(o, sizeof(o), "%s/link-nowhere", dir);
	assert_skip(&r, 4, o, "symbolic link to nothing");
	snprintf(o, sizeof(o), "%s/link-out", dir);
	assert_skip(&r, 5, o, "symbolic link out of the directory read: not followed");
	snprintf(o, sizeof(o), "%s/sub/c.xml.gz!c.xml", dir);
	assert_doc(&r, 6, o);
	rec_free(&r);

	/* a trailing slash makes no double slash */
	char *slash = xasprintf("%s/sub/", dir);
	r = run_path(slash, NULL);
	assert_count(&r, 1);
	snprintf(o, sizeof(o), "%s/sub/c.xml.gz!c.xml", dir);
	assert_doc(&r, 0, o);
	rec_free(&r);
	free(slash);

	/* a link named on the command line is followed: the user chose it */
	p = xasprintf("%s/link-in.xml", dir);
	r = run_path(p, NULL);
	assert_count(&r, 1);
	assert_doc(&r, 0, p);
	rec_free(&r);
	free(p);
	remove_tmpdir();
	free(gz);
}

/* A directory that cannot be read is a skip naming it; its neighbours are
 * read. Run by an unprivileged user (root reads everything). */
static void test_unreadable_directory(void **state)
{
	(void)state;
	const char *dir = make_tmpdir();
	chmod(dir, 0755);
	make_dir(dir, "closed");
	write_file(dir, "closed/x.xml", small_xml, sizeof(small_xml) - 1);
	write_file(dir, "open.xml", small_xml, sizeof(small_xml) - 1);
	write_file(dir, "secret.xml", small_xml, sizeof(small_xml) - 1);
	char *closed = xasprintf("%s/closed", dir);
	char *secret = xasprintf("%s/secret.xml", dir);
	assert_int_equal(chmod(closed, 0), 0);
	assert_int_equal(chmod(secret, 0), 0);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(3);
		struct rec r = { .keep_data = false };
		struct dd_unpack_sink sink = { on_doc, on_skip, &r };
		dd_unpack_path(dir, NULL, &sink);
		FILE *f = fdopen(fds[1], "w");
		for (size_t i = 0; i < r.n; i++)
			fprintf(f, "%s %s\t%s\n", r.v[i].doc ? "doc" : "skip", r.v[i].origin,
			        r.v[i].reason ? r.v[i].reason : "");
		fclose(f);
		_exit(0);
	}
	close(fds[1]);
	char got[4096] = { 0 };
	size_t n = 0;
	ssize_t k;
	while ((k = read(fds[0], got + n, sizeof(got) - 1 - n)) > 0)
		n += (size_t)k;
	close(fds[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	char *want = xasprintf("skip %s/closed\tcannot read directory: Permission denied\n"
	                       "doc %s/open.xml\t\n"
	                       "skip %s/secret.xml\tcannot open: Permission denied\n",
	                       dir, dir, dir);
	assert_string_equal(got, want);
	free(want);
	chmod(closed, 0755);
	free(closed);
	free(secret);
	remove_tmpdir();
}

/* A plain file over the caps, without reading it. */
static void test_plain_caps(void **state)
{
	(void)state;
	struct dd_unpack_limits lim = dd_unpack_default_limits;
	lim.max_document = 1024;
	char doc[3000];
	memset(doc, ' ', sizeof(doc));
	doc[0] = '<';
	const char *dir = make_tmpdir();
	write_file(dir, "big.xml", doc, 1500);
	write_file(dir, "huge.xml", doc, 3000);
	struct rec r = run_path(dir, &lim);
	char o[512];
	assert_count(&r, 2);
	snprintf(o, sizeof(o), "%s/big.xml", dir);
	assert_skip(&r, 0, o, "document size over the 1 KiB cap");
	snprintf(o, sizeof(o), "%s/huge.xml", dir);
	assert_skip(&r, 1, o, "file over the 2 KiB cap (twice the document cap)");
	rec_free(&r);
	remove_tmpdir();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_siblings),
		cmocka_unit_test(test_corpus_emails),
		cmocka_unit_test(test_corpus_single_containers),
		cmocka_unit_test(test_corpus_non_reports),
		cmocka_unit_test(test_corpus_directory),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_missing_path),
		cmocka_unit_test(test_gzip_bomb),
		cmocka_unit_test(test_gzip_over_and_under_cap),
		cmocka_unit_test(test_zip_bomb),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_many_members),
		cmocka_unit_test(test_input_budget),
		cmocka_unit_test(test_gzip_members),
		cmocka_unit_test(test_truncated_gzip),
		cmocka_unit_test(test_corrupt_zip),
		cmocka_unit_test(test_mbox),
		cmocka_unit_test(test_maildir),
		cmocka_unit_test(test_mime_parts),
		cmocka_unit_test(test_email_without_report),
		cmocka_unit_test(test_single_part_email),
		cmocka_unit_test(test_attachment_cap),
		cmocka_unit_test(test_forwarded_email),
		cmocka_unit_test(test_parts_cap),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_unreadable_directory),
		cmocka_unit_test(test_plain_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
