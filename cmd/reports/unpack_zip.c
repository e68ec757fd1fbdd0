/*
 * unpack_zip.c: a zip archive through libarchive (zip only: no other format
 * or filter is enabled, so nothing else is parsed by accident). The archive
 * is read as a stream of its members' local headers, not through its
 * central directory: the directory of a zip of 300 000 members is never
 * loaded (libarchive's seekable reader holds all of it, some 2 s and 50 MB),
 * and reading stops at the member cap. Every member is decompressed as a
 * stream into the level's buffer and stopped at the document cap. A member
 * that cannot be read is a skip of its own and the next one is still read.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <string.h>

#include "reports/unpack_impl.h"

#define CHUNK ((size_t)64 * 1024)

/* The member's data into `out`; false after a skip. *fatal when the archive
 * cannot go on. */
static bool read_member(struct unpack_walk *w, struct archive *a, struct unpack_buf *out,
                        bool *fatal)
{
	size_t limit = w->lim.max_document;
	char cap[32];
	for (;;) {
		if (out->len == out->cap && !unpack_buf_reserve(out, CHUNK, limit + 1) &&
		    !unpack_buf_reserve(out, 1, limit + 1)) {
			unpack_skip(w, DD_UNPACK_OVER_CAP, "decompressed size over the %s cap",
			            "展開後のサイズが上限 %s を超えています",
			            unpack_size_text(limit, cap, sizeof(cap)));
			return false;
		}
		la_ssize_t n = archive_read_data(a, out->p + out->len, out->cap - out->len);
		if (n == 0)
			return true;
		if (n < 0) {
			const char *msg = archive_error_string(a);
			unpack_skip(w, DD_UNPACK_UNREADABLE, "corrupt zip member: %s",
			            "zip のメンバーが壊れています: %s",
			            msg ? msg : "unreadable data");
			*fatal = n == ARCHIVE_FATAL;
			return false;
		}
		out->len += (size_t)n;
		if (!unpack_budget_take(w, (size_t)n)) {
			*fatal = true; /* the input's budget is spent: nothing more */
			return false;
		}
		if (out->len > limit) {
			unpack_skip(w, DD_UNPACK_OVER_CAP, "decompressed size over the %s cap",
			            "展開後のサイズが上限 %s を超えています",
			            unpack_size_text(limit, cap, sizeof(cap)));
			return false;
		}
	}
}

void unpack_zip(struct unpack_walk *w, const unsigned char *data, size_t len, unsigned depth)
{
	struct unpack_buf *out = unpack_buf_at(w, depth);
	struct archive *a = archive_read_new();
	if (!a) {
		unpack_skip(w, DD_UNPACK_UNREADABLE, "cannot read zip: out of memory",
		            "zip を読めません: メモリ不足");
		return;
	}
	archive_read_support_format_zip_streamable(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		const char *msg = archive_error_string(a);
		unpack_skip(w, DD_UNPACK_UNREADABLE, "corrupt zip: %s", "壊れた zip です: %s",
		            msg ? msg : "unreadable archive");
		goto out;
	}
	size_t members = 0;
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_FATAL) {
			const char *msg = archive_error_string(a);
			if (members)
				unpack_skip(w, DD_UNPACK_UNREADABLE,
				            "corrupt zip after %zu members: %s",
				            "%zu 個のメンバーの後で zip が壊れています: %s",
				            members, msg ? msg : "unreadable archive");
			else
				unpack_skip(w, DD_UNPACK_UNREADABLE, "corrupt zip: %s",
				            "壊れた zip です: %s",
				            msg ? msg : "unreadable archive");
			goto out;
		}
		members++;
		char numbered[32];
		const char *name = archive_entry_pathname_utf8(e);
		if (!name)
			name = archive_entry_pathname(e);
		if (!name || !*name) {
			snprintf(numbered, sizeof(numbered), "member-%zu", members);
			name = numbered;
		}
		size_t old = unpack_origin_push(w, name, strlen(name));
		if (members > w->lim.max_members) {
			unpack_skip(w, DD_UNPACK_OVER_CAP,
			            "over the cap of %zu members of one archive: this one and the "
			            "rest are not read",
			            "1 つのアーカイブのメンバーが上限の %zu "
			            "個を超えています。これ以降は読みません",
			            w->lim.max_members);
			unpack_origin_pop(w, old);
			goto out;
		}
		bool fatal = false;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			const char *msg = archive_error_string(a);
			unpack_skip(w, DD_UNPACK_UNREADABLE, "corrupt zip member: %s",
			            "zip のメンバーが壊れています: %s",
			            msg ? msg : "unreadable header");
		} else if (archive_entry_filetype(e) == AE_IFDIR) {
			/* a folder holds nothing: its files are members of their own */
		} else if (archive_entry_filetype(e) != AE_IFREG) {
			unpack_skip(w, DD_UNPACK_UNREADABLE,
			            "not a regular file (a link or a device)",
			            "通常のファイルではありません (リンクかデバイス)");
		} else if (archive_entry_is_encrypted(e)) {
			unpack_skip(w, DD_UNPACK_UNREADABLE, "encrypted member: cannot be read",
			            "暗号化されたメンバーです: 読めません");
		} else {
			out->len = 0;
			if (read_member(w, a, out, &fatal))
				unpack_blob(w, out->p, out->len, depth + 1);
		}
		unpack_origin_pop(w, old);
		if (fatal)
			goto out;
	}
	if (members == 0)
		unpack_skip(w, DD_UNPACK_NOT_A_REPORT, "empty zip: no members",
		            "空の zip です: メンバーがありません");
out:
	archive_read_free(a);
}
