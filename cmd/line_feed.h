/*
 * line_feed.h: the lines of a pipe or a terminal (-f -), read on a thread
 * of their own.
 *
 * Reading a line blocks until the writer writes it. Read on the batch's
 * thread, that held up every domain already started: its DNS answers sat
 * in the socket until the next line came, so `producer | dmarc-doctor -f -`
 * printed each result only once the line after it was written, and a
 * domain typed at a terminal waited for the next one. The feed reads the
 * lines (lines.h) into a bounded queue; the batch takes them when they are
 * there and goes on with its DNS when they are not. A regular file never
 * waits for a writer and is read directly.
 */
#ifndef DD_CMD_LINE_FEED_H
#define DD_CMD_LINE_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "lines.h"

struct dd_line_feed;

/* Starts the thread reading `r` (which it then owns until the feed is
 * stopped), up to `depth` lines ahead. NULL when no thread starts. */
struct dd_line_feed *dd_line_feed_start(struct dd_line_reader *r, size_t depth);

enum dd_feed_status {
	DD_FEED_LINE,  /* *line (the caller frees it), *bad and *line_no are set */
	DD_FEED_EMPTY, /* nothing read yet: take again later */
	DD_FEED_END,   /* the input ended, every line taken */
	DD_FEED_ERROR, /* a read error, *err its errno; every line before it taken */
};

/* The next line, without waiting. */
enum dd_feed_status dd_line_feed_take(struct dd_line_feed *f, char **line,
                                      const struct dd_text **bad, unsigned long *line_no, int *err);
/* Waits until take() has more to say than DD_FEED_EMPTY. */
void dd_line_feed_wait(struct dd_line_feed *f);

/*
 * Frees the feed. A thread still blocked in a read (the batch stopped
 * before the input ended) is left to the process's exit, with the reader:
 * no read can be interrupted safely. Returns whether the reader is free
 * again (the input was read to its end or to an error). Accepts NULL.
 */
bool dd_line_feed_stop(struct dd_line_feed *f);

#endif
