/*
 * line_feed.c: a pipe's or a terminal's lines read on a thread of their own
 * (see line_feed.h).
 *
 * A ring of `depth` lines: the thread appends at the tail while there is
 * room, the batch takes at the head. mu guards the ring, the end, stop and
 * ended; the reader is the thread's alone while it runs. A feed stopped
 * while its thread still runs is freed by the thread when its read returns.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "line_feed.h"
#include "dd/util.h"

struct fed {
	char *line;
	const struct dd_text *bad;
	unsigned long line_no;
};

struct dd_line_feed {
	struct dd_line_reader *r;
	struct fed *ring;
	size_t depth, head, n;
	enum dd_line_status end; /* DD_LINE_OK until the reader ends */
	int err;                 /* errno of DD_LINE_ERROR */
	bool stop;               /* stopped: read no further, free on the way out */
	bool ended;              /* the thread is past its last read */
	pthread_mutex_t mu;
	pthread_cond_t fed;   /* a line, or the end */
	pthread_cond_t taken; /* room in the ring, or stop */
	pthread_t thread;
};

static void free_feed(struct dd_line_feed *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->ring[(f->head + i) % f->depth].line);
	free(f->ring);
	pthread_cond_destroy(&f->fed);
	pthread_cond_destroy(&f->taken);
	pthread_mutex_destroy(&f->mu);
	free(f);
}

static void *feed_main(void *arg)
{
	struct dd_line_feed *f = arg;
	for (;;) {
		char *line = NULL;
		const struct dd_text *bad = NULL;
		enum dd_line_status st = dd_line_next(f->r, &line, &bad);
		int err = errno;
		char *copy = st == DD_LINE_OK ? xstrdup(line) : NULL;
		pthread_mutex_lock(&f->mu);
		while (copy && f->n == f->depth && !f->stop)
			pthread_cond_wait(&f->taken, &f->mu);
		if (f->stop || !copy) {
			free(copy);
			f->end = f->stop ? DD_LINE_END : st;
			f->err = err;
			break; /* with mu held */
		}
		f->ring[(f->head + f->n++) % f->depth] = (struct fed){ copy, bad, f->r->line_no };
		pthread_cond_signal(&f->fed);
		pthread_mutex_unlock(&f->mu);
	}
	f->ended = true;
	bool orphan = f->stop;
	pthread_cond_signal(&f->fed);
	pthread_mutex_unlock(&f->mu);
	if (orphan)
		free_feed(f);
	return NULL;
}

struct dd_line_feed *dd_line_feed_start(struct dd_line_reader *r, size_t depth)
{
	struct dd_line_feed *f = xcalloc(1, sizeof(*f));
	f->r = r;
	f->depth = depth ? depth : 1;
	f->ring = xcalloc(f->depth, sizeof(*f->ring));
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->fed, NULL);
	pthread_cond_init(&f->taken, NULL);
	if (pthread_create(&f->thread, NULL, feed_main, f) != 0) {
		free_feed(f);
		return NULL;
	}
	return f;
}

enum dd_feed_status dd_line_feed_take(struct dd_line_feed *f, char **line,
                                      const struct dd_text **bad, unsigned long *line_no, int *err)
{
	enum dd_feed_status st = DD_FEED_EMPTY;
	pthread_mutex_lock(&f->mu);
	if (f->n) {
		struct fed *x = &f->ring[f->head];
		*line = x->line;
		*bad = x->bad;
		*line_no = x->line_no;
		f->head = (f->head + 1) % f->depth;
		f->n--;
		pthread_cond_signal(&f->taken);
		st = DD_FEED_LINE;
	} else if (f->end == DD_LINE_END) {
		st = DD_FEED_END;
	} else if (f->end == DD_LINE_ERROR) {
		*err = f->err;
		st = DD_FEED_ERROR;
	}
	pthread_mutex_unlock(&f->mu);
	return st;
}

void dd_line_feed_wait(struct dd_line_feed *f)
{
	pthread_mutex_lock(&f->mu);
	while (f->n == 0 && f->end == DD_LINE_OK)
		pthread_cond_wait(&f->fed, &f->mu);
	pthread_mutex_unlock(&f->mu);
}

bool dd_line_feed_stop(struct dd_line_feed *f)
{
	if (!f)
		return true;
	pthread_t t = f->thread;
	pthread_mutex_lock(&f->mu);
	bool ended = f->ended;
	if (!ended) {
		f->stop = true;
		pthread_cond_signal(&f->taken);
	}
	pthread_mutex_unlock(&f->mu);
	if (!ended) {
		/* in a read, or about to stop: the thread frees the feed (f may
		 * be gone already) */
		pthread_detach(t);
		return false;
	}
	pthread_join(f->thread, NULL);
	free_feed(f);
	return true;
}
