/*
 * lines.h: reading the domain list of -f FILE one line at a time, with a
 * cap on the line length, so that a line without end (on standard input)
 * cannot grow memory. Split out of run.c so that a fuzz harness can drive it.
 */
#ifndef DD_LINES_H
#define DD_LINES_H

#include <stdbool.h>
#include <stdio.h>

#include "dd/types.h"

/* A domain is at most 253 octets, and as a U-label at most 4 bytes a
 * character: a longer line is no domain and is not kept whole. */
#define DD_LINE_MAX 4096

struct dd_line_reader {
	FILE *file;
	unsigned long line_no; /* of the line last returned */
	char buf[DD_LINE_MAX + 1];
};

enum dd_line_status {
	DD_LINE_OK = 0,
	DD_LINE_END,
	DD_LINE_ERROR, /* a read error: errno says why */
};

/*
 * The next line that is neither empty nor only a '#' comment, with the
 * comment cut, leading and trailing blanks dropped. *bad is NULL for a
 * line to take as a domain, or says why the line cannot be one: it went on
 * past DD_LINE_MAX bytes before any comment, or it holds a NUL byte (which
 * would otherwise silently cut the name).
 */
enum dd_line_status dd_line_next(struct dd_line_reader *r, char **line, const struct dd_text **bad);

#endif
