/*
 * unpack_impl.h: what the container readers of unpack.c share (not part of
 * the interface; unpack.h is). One walk holds the caps, the sink, the origin
 * being built and one reusable output buffer per nesting level, so that a
 * run over thousands of files allocates nothing per file.
 */
#ifndef DD_UNPACK_IMPL_H
#define DD_UNPACK_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "reports/unpack.h"
#include "dd/util.h"

/* Output of one container: its decompressed or decoded bytes. */
struct unpack_buf {
	unsigned char *p;
	size_t len;
	size_t cap;
};

struct unpack_walk {
	struct dd_unpack_limits lim;
	const struct dd_unpack_sink *sink;
	struct dd_strbuf origin; /* "path!member!member" of what is being read */
	size_t last;             /* where the name pushed last starts (names hold '!') */
	/* bufs[d]: the output of the container opened at nesting depth d */
	struct unpack_buf *bufs;
	unsigned nbufs;
	struct unpack_buf raw; /* the bytes of the file being read */
	/* Decompressed bytes the current input (a file, one message of an
	 * mbox file) may still produce, in all its containers together:
	 * bounds the time and memory of archives of bombs. */
	size_t budget;
};

/* A member name longer than this is cut (origins stay small). */
#define UNPACK_NAME_MAX 255

/* The total decompressed bytes of one input: this many documents' worth. */
#define UNPACK_BUDGET_DOCUMENTS 4

/* Append "!name" (or just the name at the start) to the origin, with control
 * characters shown as '?'; returns the length to restore with origin_pop(). */
size_t unpack_origin_push(struct unpack_walk *w, const char *name, size_t n);
void unpack_origin_pop(struct unpack_walk *w, size_t len);

/* One skip, its reason in English and in Japanese: two formats of the
 * same arguments, both checked by the compiler. */
void unpack_skip(struct unpack_walk *w, enum dd_unpack_skip kind, const char *en, const char *ja,
                 ...) __attribute__((format(printf, 3, 5), format(printf, 4, 5)));

/* "32 MiB" or "1234 bytes": caps in messages read as the user set them. */
const char *unpack_size_text(size_t n, char *buf, size_t bufsz);

/* The output buffer of depth `depth`, emptied. */
struct unpack_buf *unpack_buf_at(struct unpack_walk *w, unsigned depth);

/*
 * Make room for `more` bytes at the end of `b`, growing it no further than
 * `limit` bytes in all; false when that would pass the limit.
 */
bool unpack_buf_reserve(struct unpack_buf *b, size_t more, size_t limit);

/*
 * Take `n` decompressed bytes from the input's budget; false (after a skip
 * naming the cap) when it is spent.
 */
bool unpack_budget_take(struct unpack_walk *w, size_t n);
/* A new input begins (a file, a message of an mbox file): a full budget. */
void unpack_budget_reset(struct unpack_walk *w);

/*
 * True when one more container may be opened at `depth`; otherwise a skip
 * naming the nesting cap.
 */
bool unpack_may_nest(struct unpack_walk *w, unsigned depth);

/* Sniff `data` and hand it on: a document, a container, or a skip. `depth`
 * counts the containers around it. */
void unpack_blob(struct unpack_walk *w, const unsigned char *data, size_t len, unsigned depth);

/* What the content looks like (by its bytes, never its name). */
enum unpack_kind {
	UNPACK_EMPTY,
	UNPACK_GZIP,
	UNPACK_ZIP,
	UNPACK_XML,
	UNPACK_MBOX,
	UNPACK_EMAIL,
	UNPACK_OTHER,
};
enum unpack_kind unpack_sniff(const unsigned char *data, size_t len);

/* The containers (unpack_gzip.c, unpack_zip.c, unpack_mime.c). The data is a
 * container of that kind opened at `depth` (already checked by
 * unpack_may_nest()). */
void unpack_gzip(struct unpack_walk *w, const unsigned char *data, size_t len, unsigned depth);
void unpack_zip(struct unpack_walk *w, const unsigned char *data, size_t len, unsigned depth);
void unpack_email(struct unpack_walk *w, const unsigned char *data, size_t len, unsigned depth);
/* An mbox in memory, or (data NULL) read from `fd` as it goes. Its messages
 * are at `depth`: a file of messages is like a directory of them. */
void unpack_mbox(struct unpack_walk *w, const unsigned char *data, size_t len, int fd,
                 unsigned depth);

#endif
