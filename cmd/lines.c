/*
 * lines.c: the domain list of -f FILE, one line at a time (lines.h).
 */
#include <string.h>

#include "lines.h"

static const struct dd_text too_long = { "the line is longer than 4096 bytes",
	                                 "行が 4096 バイトを超えています" };
static const struct dd_text holds_nul = { "the line holds a NUL byte",
	                                  "行に NUL バイトがあります" };

enum dd_line_status dd_line_next(struct dd_line_reader *r, char **line, const struct dd_text **bad)
{
	for (;;) {
		size_t n = 0;
		bool cut = false, nul = false;
		int c;
		while ((c = getc(r->file)) != EOF && c != '\n') {
			if (c == '\0')
				nul = true;
			if (n < DD_LINE_MAX)
				r->buf[n++] = (char)c;
			else
				cut = true;
		}
		if (c == EOF && ferror(r->file))
			return DD_LINE_ERROR;
		if (c == EOF && n == 0 && !cut)
			return DD_LINE_END;
		r->buf[n] = '\0';
		r->line_no++;
		/* a NUL byte ends the C string early: find the comment in all n bytes */
		char *hash = memchr(r->buf, '#', n);
		if (hash) {
			*hash = '\0';
			n = (size_t)(hash - r->buf);
			nul = memchr(r->buf, '\0', n) != NULL;
		}
		char *s = r->buf;
		char *end = r->buf + n;
		while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
			s++;
		while (end > s && strchr(" \t\r", end[-1]) && end[-1] != '\0')
			*--end = '\0';
		*bad = NULL;
		if (cut && !hash)
			*bad = &too_long;
		else if (nul)
			*bad = &holds_nul;
		if (s < end || *bad) {
			*line = s;
			return DD_LINE_OK;
		}
	}
}
