/*
 * unpack.c: the walk from a path to report documents (see unpack.h): files,
 * directories, Maildirs, standard input; sniffing what a file holds by its
 * bytes (never by its name: Mimecast sends gzip named .xml); and the caps.
 * The formats themselves are read by libraries in unpack_gzip.c (zlib),
 * unpack_zip.c (libarchive) and unpack_mime.c (GMime).
 *
 * Memory: one reusable buffer for the file being read and one per nesting
 * level for what a container holds, each bounded by the caps; buffers that
 * grew past UNPACK_KEEP are given back after each file, so a run over many
 * files stays as small as its largest ordinary file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/unpack_impl.h"
#include "dd/check.h"

const struct dd_unpack_limits dd_unpack_default_limits = {
	.max_document = (size_t)32 << 20,
	.max_nesting = 4,
	.max_members = 1000,
};

/* Buffers larger than this are freed after each file, not kept for the next. */
#define UNPACK_KEEP ((size_t)1 << 20)
/* The nesting cap can be raised up to this. */
#define UNPACK_NESTING_MAX 64
/* Directories inside directories: deeper trees are a skip, not a crash. */
#define UNPACK_DIR_DEPTH 64

static size_t mul_sat(size_t a, size_t b)
{
	return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

/* A file may be this big: a document with room for base64 and headers. */
static size_t raw_cap(const struct unpack_walk *w)
{
	return mul_sat(w->lim.max_document, 2);
}

const char *unpack_size_text(size_t n, char *buf, size_t bufsz)
{
	if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
		snprintf(buf, bufsz, "%zu MiB", n >> 20);
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, bufsz, "%zu KiB", n >> 10);
	else
		snprintf(buf, bufsz, "%zu bytes", n);
	return buf;
}

size_t unpack_origin_push(struct unpack_walk *w, const char *name, size_t n)
{
	size_t old = w->origin.len;
	if (n > UNPACK_NAME_MAX)
		n = UNPACK_NAME_MAX;
	if (old)
		dd_strbuf_addc(&w->origin, '!');
	w->last = w->origin.len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		dd_strbuf_addc(&w->origin, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
	return old;
}

void unpack_origin_pop(struct unpack_walk *w, size_t len)
{
	w->origin.len = len;
	if (w->last > len)
		w->last = len;
	if (w->origin.s)
		w->origin.s[len] = '\0';
}

/* A path component: "dir/name" (no '!': it is still the file's path). */
static size_t origin_push_path(struct unpack_walk *w, const char *name)
{
	size_t old = w->origin.len;
	if (old && w->origin.s[old - 1] != '/')
		dd_strbuf_addc(&w->origin, '/');
	w->last = w->origin.len;
	dd_strbuf_adds(&w->origin, name);
	return old;
}

void unpack_skip(struct unpack_walk *w, enum dd_unpack_skip kind, const char *en, const char *ja,
                 ...)
{
	struct dd_words reason = { 0 };
	va_list ap;
	va_start(ap, ja);
	dd_words_vformat(&reason, en, ja, ap);
	va_end(ap);
	const struct dd_text why = { reason.en, reason.ja };
	w->sink->skip(w->sink->ctx, w->origin.s ? w->origin.s : "", kind, &why);
	dd_words_finish(&reason);
}

static void document(struct unpack_walk *w, const unsigned char *data, size_t len)
{
	char cap[32];
	if (len > w->lim.max_document) {
		unpack_skip(w, DD_UNPACK_OVER_CAP, "document size over the %s cap",
		            "文書のサイズが上限 %s を超えています",
		            unpack_size_text(w->lim.max_document, cap, sizeof(cap)));
		return;
	}
	w->sink->document(w->sink->ctx, w->origin.s ? w->origin.s : "", data, len);
}

struct unpack_buf *unpack_buf_at(struct unpack_walk *w, unsigned depth)
{
	/* containers open only below the nesting cap, and there is a buffer
	 * for each level up to it: the array never moves */
	if (depth >= w->nbufs)
		abort();
	w->bufs[depth].len = 0;
	return &w->bufs[depth];
}

bool unpack_buf_reserve(struct unpack_buf *b, size_t more, size_t limit)
{
	if (b->len > limit || more > limit - b->len)
		return false;
	size_t need = b->len + more;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64 * 1024;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
	if (cap > limit)
		cap = limit;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
	return true;
}

static void buf_trim(struct unpack_buf *b)
{
	if (b->cap > UNPACK_KEEP) {
		free(b->p);
		b->p = NULL;
		b->cap = 0;
	}
	b->len = 0;
}

bool unpack_budget_take(struct unpack_walk *w, size_t n)
{
	if (n <= w->budget) {
		w->budget -= n;
		return true;
	}
	char cap[32];
	unpack_skip(w, DD_UNPACK_OVER_CAP,
	            "decompressed size of one input over the %s cap (%u documents' worth)",
	            "1 つの入力の展開後のサイズが上限 %s (文書 %u 個分) を超えています",
	            unpack_size_text(mul_sat(w->lim.max_document, UNPACK_BUDGET_DOCUMENTS), cap,
	                             sizeof(cap)),
	            UNPACK_BUDGET_DOCUMENTS);
	w->budget = 0;
	return false;
}

void unpack_budget_reset(struct unpack_walk *w)
{
	w->budget = mul_sat(w->lim.max_document, UNPACK_BUDGET_DOCUMENTS);
}

bool unpack_may_nest(struct unpack_walk *w, unsigned depth)
{
	if (depth < w->lim.max_nesting)
		return true;
	unpack_skip(w, DD_UNPACK_OVER_CAP, "containers nested deeper than the cap of %u",
	            "コンテナの入れ子が上限の %u 段を超えています", w->lim.max_nesting);
	return false;
}

/* RFC 5322 §2.2: a header field name is printable ASCII but ':'; in practice
 * letters, digits and '-'. The first line of a message is one. */
static bool header_line(const unsigned char *d, size_t len)
{
	size_t i = 0;
	while (i < len && i < 76 &&
	       ((d[i] >= 'A' && d[i] <= 'Z') || (d[i] >= 'a' && d[i] <= 'z') ||
	        (d[i] >= '0' && d[i] <= '9') || d[i] == '-' || d[i] == '_'))
		i++;
	return i > 0 && i < len && d[i] == ':';
}

enum unpack_kind unpack_sniff(const unsigned char *d, size_t len)
{
	if (len == 0)
		return UNPACK_EMPTY;
	if (len >= 2 && d[0] == 0x1f && d[1] == 0x8b)
		return UNPACK_GZIP;
	/* local file header, empty archive, spanned archive */
	if (len >= 4 && d[0] == 'P' && d[1] == 'K' &&
	    ((d[2] == 3 && d[3] == 4) || (d[2] == 5 && d[3] == 6) || (d[2] == 7 && d[3] == 8)))
		return UNPACK_ZIP;
	if (len >= 5 && memcmp(d, "From ", 5) == 0)
		return UNPACK_MBOX;
	if (header_line(d, len))
		return UNPACK_EMAIL;
	size_t i = 0;
	if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
		i = 3; /* UTF-8 byte order mark */
	while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	if (i < len && d[i] == '<')
		return UNPACK_XML;
	return UNPACK_OTHER;
}

void unpack_blob(struct unpack_walk *w, const unsigned char *data, size_t len, unsigned depth)
{
	switch (unpack_sniff(data, len)) {
	case UNPACK_EMPTY:
		unpack_skip(w, DD_UNPACK_NOT_A_REPORT, "empty (0 bytes)", "空です (0 バイト)");
		return;
	case UNPACK_XML: document(w, data, len); return;
	case UNPACK_GZIP:
		if (unpack_may_nest(w, depth))
			unpack_gzip(w, data, len, depth);
		return;
	case UNPACK_ZIP:
		if (unpack_may_nest(w, depth))
			unpack_zip(w, data, len, depth);
		return;
	case UNPACK_EMAIL:
		if (unpack_may_nest(w, depth))
			unpack_email(w, data, len, depth);
		return;
	case UNPACK_MBOX: unpack_mbox(w, data, len, -1, depth); return;
	case UNPACK_OTHER: break;
	}
	unpack_skip(w, DD_UNPACK_NOT_A_REPORT, "not a report: neither XML, gzip, zip nor an e-mail",
	            "レポートではありません: XML、gzip、zip、メールのどれでもありません");
}

static void walk_init(struct unpack_walk *w, const struct dd_unpack_limits *lim,
                      const struct dd_unpack_sink *sink)
{
	memset(w, 0, sizeof(*w));
	w->lim = lim ? *lim : dd_unpack_default_limits;
	if (w->lim.max_document == 0)
		w->lim.max_document = dd_unpack_default_limits.max_document;
	if (w->lim.max_document > SIZE_MAX / 8)
		w->lim.max_document = SIZE_MAX / 8; /* cap + 1, 2 × cap stay sums that fit */
	if (w->lim.max_members == 0)
		w->lim.max_members = dd_unpack_default_limits.max_members;
	w->sink = sink;
	dd_strbuf_init(&w->origin);
	if (w->lim.max_nesting > UNPACK_NESTING_MAX)
		w->lim.max_nesting = UNPACK_NESTING_MAX;
	w->nbufs = w->lim.max_nesting + 1;
	w->bufs = xcalloc(w->nbufs, sizeof(*w->bufs));
}

static void walk_trim(struct unpack_walk *w)
{
	buf_trim(&w->raw);
	for (unsigned i = 0; i < w->nbufs; i++)
		buf_trim(&w->bufs[i]);
}

static void walk_finish(struct unpack_walk *w)
{
	for (unsigned i = 0; i < w->nbufs; i++)
		free(w->bufs[i].p);
	free(w->bufs);
	free(w->raw.p);
	dd_strbuf_finish(&w->origin);
}

/* Read `fd` to its end into w->raw (already holding w->raw.len bytes), at
 * most the file cap. False after a skip. */
static bool read_rest(struct unpack_walk *w, int fd)
{
	size_t limit = raw_cap(w);
	char cap[32];
	for (;;) {
		if (w->raw.len == w->raw.cap &&
		    !unpack_buf_reserve(&w->raw, 64 * 1024, limit + 1) &&
		    !unpack_buf_reserve(&w->raw, 1, limit + 1)) {
			unpack_skip(w, DD_UNPACK_OVER_CAP,
			            "file over the %s cap (twice the document cap)",
			            "ファイルが上限 %s (文書の上限の 2 倍) を超えています",
			            unpack_size_text(limit, cap, sizeof(cap)));
			return false;
		}
		ssize_t n = read(fd, w->raw.p + w->raw.len, w->raw.cap - w->raw.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			unpack_skip(w, DD_UNPACK_UNREADABLE, "cannot read: %s", "読めません: %s",
			            strerror(errno));
			return false;
		}
		if (n == 0)
			return true;
		w->raw.len += (size_t)n;
		if (w->raw.len > limit) {
			unpack_skip(w, DD_UNPACK_OVER_CAP,
			            "file over the %s cap (twice the document cap)",
			            "ファイルが上限 %s (文書の上限の 2 倍) を超えています",
			            unpack_size_text(limit, cap, sizeof(cap)));
			return false;
		}
	}
}

/* One input read from an open descriptor: a file, standard input. */
static void read_fd(struct unpack_walk *w, int fd)
{
	struct stat st;
	char cap[32];
	unpack_budget_reset(w);
	w->raw.len = 0;
	bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (regular) {
		/* an mbox file, of any size, is read a message at a time */
		unsigned char head[5];
		ssize_t n = pread(fd, head, sizeof(head), 0);
		if (n == (ssize_t)sizeof(head) && memcmp(head, "From ", 5) == 0) {
			unpack_mbox(w, NULL, 0, fd, 0);
			return;
		}
	}
	if (regular && (uintmax_t)st.st_size > raw_cap(w)) {
		unpack_skip(w, DD_UNPACK_OVER_CAP, "file over the %s cap (twice the document cap)",
		            "ファイルが上限 %s (文書の上限の 2 倍) を超えています",
		            unpack_size_text(raw_cap(w), cap, sizeof(cap)));
		return;
	}
	/* room for the whole file and one byte more, to see its end in one read */
	if (regular)
		unpack_buf_reserve(&w->raw, (size_t)st.st_size + 1, raw_cap(w) + 1);
	if (read_rest(w, fd))
		unpack_blob(w, w->raw.p, w->raw.len, 0);
}

/* A file named `name` in the directory `dirfd` (AT_FDCWD for the top). */
static void read_file(struct unpack_walk *w, int dirfd, const char *name, bool nofollow)
{
	/* inside a walk the entry was a regular file a moment ago: should it
	 * have become a link or a FIFO since, the open fails or does not block */
	int fd = openat(dirfd, name,
	                O_RDONLY | O_CLOEXEC | (nofollow ? O_NOFOLLOW | O_NONBLOCK : 0));
	if (fd < 0) {
		unpack_skip(w, DD_UNPACK_UNREADABLE, "cannot open: %s", "開けません: %s",
		            strerror(errno));
		return;
	}
	read_fd(w, fd);
	close(fd);
	walk_trim(w);
}

/* The names in one directory, in one block: sorted, they give the order. */
struct names {
	char *text;
	size_t len, cap;
	size_t *at;
	size_t n, ncap;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_subdir(int dfd, const char *name)
{
	struct stat st;
	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static void walk_dir(struct unpack_walk *w, int parent, const char *name, bool nofollow,
                     const char *root, unsigned level);

/* `path` (resolved) is `root` or below it. */
static bool inside(const char *path, const char *root)
{
	if (!root)
		return false;
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return true;
	return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* One directory entry. `maildir`: the directory is a Maildir, whose messages
 * are in cur/ and new/ (tmp/ holds deliveries not yet done) and whose
 * folders are dot-directories (Maildir++). */
static void walk_entry(struct unpack_walk *w, int dfd, const char *name, bool maildir,
                       const char *root, unsigned level)
{
	struct stat st;
	if (name[0] == '.' && !maildir)
		return; /* hidden: .git, .DS_Store, editor files */
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		unpack_skip(w, DD_UNPACK_UNREADABLE, "cannot open: %s", "開けません: %s",
		            strerror(errno));
		return;
	}
	if (maildir) {
		bool messages = strcmp(name, "cur") == 0 || strcmp(name, "new") == 0;
		if (!S_ISDIR(st.st_mode) || !(messages || name[0] == '.'))
			return; /* tmp/, dovecot-uidlist, index files: not messages */
	}
	if (S_ISDIR(st.st_mode)) {
		walk_dir(w, dfd, name, true, root, level + 1);
	} else if (S_ISREG(st.st_mode)) {
		read_file(w, dfd, name, true);
	} else if (S_ISLNK(st.st_mode)) {
		/* A link to something inside the walked directory is read where
		 * it is; one out of it is not followed. */
		char *target = realpath(w->origin.s, NULL);
		if (!target)
			unpack_skip(w, DD_UNPACK_UNREADABLE,
			            "symbolic link to nothing (%s): not followed",
			            "リンク先のないシンボリックリンクです (%s)。たどりません",
			            strerror(errno));
		else if (!inside(target, root))
			unpack_skip(w, DD_UNPACK_UNREADABLE,
			            "symbolic link out of the directory read: not followed",
			            "読んでいるディレクトリの外を指すシンボリックリンクです。たどり"
			            "ません");
		free(target);
	} else {
		unpack_skip(w, DD_UNPACK_UNREADABLE, "not a regular file or directory",
		            "通常のファイルでもディレクトリでもありません");
	}
}

static void walk_dir(struct unpack_walk *w, int parent, const char *name, bool nofollow,
                     const char *root, unsigned level)
{
	if (level > UNPACK_DIR_DEPTH) {
		unpack_skip(
		        w, DD_UNPACK_OVER_CAP, "directories nested deeper than %u levels: not read",
		        "ディレクトリの入れ子が %u 段を超えています。読みません", UNPACK_DIR_DEPTH);
		return;
	}
	int fd = openat(parent, name,
	                O_RDONLY | O_DIRECTORY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		unpack_skip(w, DD_UNPACK_UNREADABLE, "cannot read directory: %s",
		            "ディレクトリを読めません: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	struct names nm = { 0 };
	struct dirent *e;
	errno = 0;
	while ((e = readdir(dir))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t n = strlen(e->d_name) + 1;
		nm.text = xgrow(nm.text, &nm.cap, nm.len + n, 1);
		memcpy(nm.text + nm.len, e->d_name, n);
		nm.at = xgrow(nm.at, &nm.ncap, nm.n + 1, sizeof(*nm.at));
		nm.at[nm.n++] = nm.len;
		nm.len += n;
		errno = 0;
	}
	if (errno != 0) {
		unpack_skip(w, DD_UNPACK_UNREADABLE, "cannot read directory: %s",
		            "ディレクトリを読めません: %s", strerror(errno));
		goto out;
	}
	/* the block no longer moves: offsets become pointers, sorted bytewise
	 * (not by locale) so that every run reads in the same order */
	char **sorted = xcalloc(nm.n ? nm.n : 1, sizeof(*sorted));
	bool has_cur = false, has_new = false;
	for (size_t i = 0; i < nm.n; i++) {
		sorted[i] = nm.text + nm.at[i];
		has_cur = has_cur || strcmp(sorted[i], "cur") == 0;
		has_new = has_new || strcmp(sorted[i], "new") == 0;
	}
	qsort(sorted, nm.n, sizeof(*sorted), by_name);
	int dfd = dirfd(dir);
	bool maildir = has_cur && has_new && has_subdir(dfd, "cur") && has_subdir(dfd, "new");
	for (size_t i = 0; i < nm.n; i++) {
		size_t old = origin_push_path(w, sorted[i]);
		walk_entry(w, dfd, sorted[i], maildir, root, level);
		unpack_origin_pop(w, old);
	}
	free(sorted);
out:
	free(nm.text);
	free(nm.at);
	closedir(dir);
}

void dd_unpack_path(const char *path, const struct dd_unpack_limits *lim,
                    const struct dd_unpack_sink *sink)
{
	struct unpack_walk w;
	walk_init(&w, lim, sink);
	if (strcmp(path, "-") == 0) {
		dd_strbuf_adds(&w.origin, "<stdin>");
		read_fd(&w, STDIN_FILENO);
		goto out;
	}
	dd_strbuf_adds(&w.origin, path);
	const char *slash = strrchr(path, '/');
	w.last = slash && slash[1] ? (size_t)(slash + 1 - path) : 0;
	struct stat st;
	if (stat(path, &st) != 0) {
		unpack_skip(&w, DD_UNPACK_UNREADABLE, "cannot open: %s", "開けません: %s",
		            strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		/* the path the user named may be a link; links below it may not
		 * lead out of it */
		char *root = realpath(path, NULL);
		walk_dir(&w, AT_FDCWD, path, false, root, 0);
		free(root);
	} else {
		read_file(&w, AT_FDCWD, path, false);
	}
out:
	walk_finish(&w);
}

void dd_unpack_buffer(const char *origin, const unsigned char *data, size_t len,
                      const struct dd_unpack_limits *lim, const struct dd_unpack_sink *sink)
{
	struct unpack_walk w;
	walk_init(&w, lim, sink);
	dd_strbuf_adds(&w.origin, origin ? origin : "");
	const char *slash = origin ? strrchr(origin, '/') : NULL;
	w.last = slash && slash[1] ? (size_t)(slash + 1 - origin) : 0;
	unpack_budget_reset(&w);
	unpack_blob(&w, data, len, 0);
	walk_finish(&w);
}
