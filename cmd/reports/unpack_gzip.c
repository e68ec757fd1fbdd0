/*
 * unpack_gzip.c: a gzip file (RFC 1952) through zlib, decompressed as a
 * stream into the level's buffer and stopped at the document cap, so a
 * gzip bomb costs at most the cap in memory and its decompression in time.
 * Members one after another (RFC 1952 §2.2) are one file, as gunzip reads
 * them. The member's name is the one in the gzip header (FNAME), else the
 * file's name without ".gz"; a gzip named neither way adds no name.
 */
#include <limits.h>
#include <string.h>
#include <zlib.h>

#include "reports/unpack_impl.h"

#define CHUNK ((size_t)64 * 1024)

/* The name of what a gzip holds when its header names nothing: the name of
 * the gzip without ".gz". */
static void name_from_origin(const struct unpack_walk *w, const char **name, size_t *n)
{
	const char *last = w->origin.s ? w->origin.s + w->last : "";
	size_t len = strlen(last);
	if (len > 3 && dd_strcaseeq(last + len - 3, ".gz"))
		len -= 3;
	else if (len > 5 && dd_strcaseeq(last + len - 5, ".gzip"))
		len -= 5;
	*name = last;
	*n = len;
}

void unpack_gzip(struct unpack_walk *w, const unsigned char *data, size_t len, unsigned depth)
{
	struct unpack_buf *out = unpack_buf_at(w, depth);
	size_t limit = w->lim.max_document;
	char cap[32];
	unsigned char fname[UNPACK_NAME_MAX + 1];
	gz_header head;
	memset(&head, 0, sizeof(head));
	head.name = fname;
	head.name_max = sizeof(fname);
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK) { /* 16: gzip wrapper only */
		unpack_skip(w, DD_UNPACK_UNREADABLE, "cannot read gzip: out of memory",
		            "gzip を読めません: メモリ不足");
		return;
	}
	inflateGetHeader(&z, &head);
	size_t fed = 0;
	bool ok = false;
	for (;;) {
		if (z.avail_in == 0 && fed < len) {
			size_t n = len - fed < UINT_MAX ? len - fed : UINT_MAX;
			z.next_in = (unsigned char *)(uintptr_t)(data + fed);
			z.avail_in = (unsigned)n;
			fed += n;
		}
		/* one byte past the cap tells a document at the cap from one over it */
		if (out->len == out->cap && !unpack_buf_reserve(out, CHUNK, limit + 1) &&
		    !unpack_buf_reserve(out, 1, limit + 1)) {
			unpack_skip(w, DD_UNPACK_OVER_CAP, "decompressed size over the %s cap",
			            "展開後のサイズが上限 %s を超えています",
			            unpack_size_text(limit, cap, sizeof(cap)));
			goto out;
		}
		size_t room = out->cap - out->len;
		if (room > UINT_MAX)
			room = UINT_MAX;
		z.next_out = out->p + out->len;
		z.avail_out = (unsigned)room;
		int ret = inflate(&z, Z_NO_FLUSH);
		size_t made = room - z.avail_out;
		out->len += made;
		if (!unpack_budget_take(w, made))
			goto out;
		if (out->len > limit) {
			unpack_skip(w, DD_UNPACK_OVER_CAP, "decompressed size over the %s cap",
			            "展開後のサイズが上限 %s を超えています",
			            unpack_size_text(limit, cap, sizeof(cap)));
			goto out;
		}
		if (ret == Z_STREAM_END) {
			/* another member may follow; anything else after the end
			 * (padding, junk) is not part of the file, as for gunzip */
			if (z.avail_in == 0 && fed < len) {
				size_t n = len - fed < UINT_MAX ? len - fed : UINT_MAX;
				z.next_in = (unsigned char *)(uintptr_t)(data + fed);
				z.avail_in = (unsigned)n;
				fed += n;
			}
			if (z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
				inflateReset(&z);
				continue;
			}
			ok = true;
			break;
		}
		if (ret == Z_OK)
			continue;
		if (ret == Z_BUF_ERROR) {
			/* there was room for output: the input ran out */
			unpack_skip(w, DD_UNPACK_UNREADABLE,
			            "truncated gzip: the data ends before the end of the stream",
			            "gzip が途中で切れています: "
			            "ストリームの終わりの前でデータが終わっています");
			goto out;
		}
		unpack_skip(w, DD_UNPACK_UNREADABLE, "corrupt gzip: %s", "壊れた gzip です: %s",
		            z.msg ? z.msg : "unreadable data");
		goto out;
	}
	if (ok) {
		const char *name;
		size_t n;
		bool named = true;
		if (head.done == 1 && head.name) {
			name = (const char *)fname;
			n = strnlen(name, sizeof(fname));
		} else {
			name_from_origin(w, &name, &n);
			/* "report.xml" sent gzipped (Mimecast): its name is right */
			named = name[n] != '\0';
		}
		/* the name may point into the origin itself: copy it first */
		char member[UNPACK_NAME_MAX + 1];
		if (n > UNPACK_NAME_MAX)
			n = UNPACK_NAME_MAX;
		memcpy(member, name, n);
		size_t old = w->origin.len;
		if (named)
			old = unpack_origin_push(w, member, n);
		unpack_blob(w, out->p, out->len, depth + 1);
		unpack_origin_pop(w, old);
	}
out:
	inflateEnd(&z);
}
