/*
 * test_line_feed.c: the feed of cmd/line_feed.h gives a pipe's lines in
 * order, with their line numbers and the reader's verdicts; it says
 * "empty" while the writer has written nothing more, never blocks take(),
 * ends with the pipe; and a feed stopped while its thread waits in a read
 * leaves the reader to it (the sanitizer build checks nothing leaks or is
 * used after free when that read returns).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "line_feed.h"

struct pipe_reader {
	int wfd;
	FILE *rf;
	struct dd_line_reader r;
};

static void open_pipe(struct pipe_reader *p)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	p->wfd = fds[1];
	p->rf = fdopen(fds[0], "r");
	assert_non_null(p->rf);
	memset(&p->r, 0, sizeof(p->r));
	p->r.file = p->rf;
}

static void put_n(struct pipe_reader *p, const char *s, size_t n)
{
	assert_int_equal(write(p->wfd, s, n), (ssize_t)n);
}

static void put(struct pipe_reader *p, const char *s)
{
	put_n(p, s, strlen(s));
}

/* take(), waiting first: the next status once the thread has read it. */
static enum dd_feed_status take(struct dd_line_feed *f, char **line, const struct dd_text **bad,
                                unsigned long *no)
{
	int err = 0;
	dd_line_feed_wait(f);
	return dd_line_feed_take(f, line, bad, no, &err);
}

static void test_lines_in_order_then_end(void **state)
{
	(void)state;
	struct pipe_reader p;
	open_pipe(&p);
	struct dd_line_feed *f = dd_line_feed_start(&p.r, 2); /* fewer slots than lines */
	assert_non_null(f);
	char *line = NULL;
	const struct dd_text *bad = NULL;
	unsigned long no = 0;
	int err = 0;
	/* nothing written yet: take() says so at once */
	assert_int_equal(dd_line_feed_take(f, &line, &bad, &no, &err), DD_FEED_EMPTY);
	static const char text[] = "a.example\n# a comment\n\nb.example  # after\nc.ex\0mple\n"
	                           "d.example\n";
	put_n(&p, text, sizeof(text) - 1);
	const char *want[] = { "a.example", "b.example", NULL, "d.example" };
	const unsigned long want_no[] = { 1, 4, 5, 6 };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(take(f, &line, &bad, &no), DD_FEED_LINE);
		assert_int_equal(no, want_no[i]);
		if (want[i]) {
			assert_null(bad);
			assert_string_equal(line, want[i]);
		} else {
			assert_non_null(bad); /* the NUL byte */
		}
		free(line);
	}
	assert_int_equal(dd_line_feed_take(f, &line, &bad, &no, &err), DD_FEED_EMPTY);
	close(p.wfd);
	assert_int_equal(take(f, &line, &bad, &no), DD_FEED_END);
	assert_true(dd_line_feed_stop(f)); /* the reader is free again */
	fclose(p.rf);
}

static void test_stop_while_in_a_read(void **state)
{
	(void)state;
	struct pipe_reader p;
	open_pipe(&p);
	struct dd_line_feed *f = dd_line_feed_start(&p.r, 4);
	assert_non_null(f);
	put(&p, "a.example\nb.example\n");
	char *line = NULL;
	const struct dd_text *bad = NULL;
	unsigned long no = 0;
	assert_int_equal(take(f, &line, &bad, &no), DD_FEED_LINE);
	free(line);
	/* b.example is queued, the thread waits in a read for more */
	struct timespec ms = { 0, 20 * 1000000L };
	nanosleep(&ms, NULL);
	assert_false(dd_line_feed_stop(f)); /* the thread keeps the reader */
	/* the read returns: the thread frees the feed and its queued line */
	put(&p, "c.example\n");
	close(p.wfd);
	/* by then the thread is past its last read: the file is this test's again */
	struct timespec done = { 0, 200 * 1000000L };
	nanosleep(&done, NULL);
	fclose(p.rf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_in_order_then_end),
		cmocka_unit_test(test_stop_while_in_a_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
