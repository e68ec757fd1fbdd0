/*
 * evidence.c: each domain's aggregate reports from the store, loaded ahead
 * of the gather in a thread of its own (see evidence.h). The clock is read
 * in run.c; the checks see only the window.
 *
 * The jobs are a ring of `depth` slots: the batch pushes at the tail, the
 * thread loads at `next` (head <= next <= tail), the batch takes at the
 * head once that job is done. A job's domain is written before it is
 * queued and read by the thread only; its set and error by the thread
 * before it is marked done, and read by the batch only after. SQLite's
 * connection is the thread's alone from creation on (SQLITE_OPEN_NOMUTEX:
 * one thread at a time per connection).
 *
 * The thread is woken in batches, not per domain: it loads far faster than
 * the gather starts domains, so woken at every push it slept again after
 * each load, and its two wake-ups a domain (a push, a release) were ten
 * times the batch's context switches, taken on the one thread that drives
 * the DNS. It now sleeps until a quarter of the ring waits, until enough
 * sets are released to be worth the trip, or until the batch wants a
 * domain not loaded yet (`wanted`: head_ready, attach).
 */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "evidence.h"
#include "dd/report.h"
#include "dd/util.h"

struct job {
	char *domain;
	struct dd_report_set *set; /* NULL: no reports in the window */
	size_t rows;               /* the rows of its set */
	char *err;                 /* a database error */
	bool done;
};

struct dd_evidence_loader {
	struct dd_store *store; /* the thread's connection */
	int64_t from, to;
	struct job *jobs;
	size_t depth;
	size_t head, next, tail;      /* counters; slot = counter % depth */
	struct dd_report_set **freed; /* released by the batch, to free here */
	size_t nfreed, freedcap;
	size_t wake_at; /* queued jobs that wake the thread: a quarter of the ring */
	bool wanted;    /* the batch waits for the job at the head */
	size_t held_rows, max_held_rows; /* loaded and not taken, and the bound on it */
	bool held_full;                  /* the thread waits for the batch to take some */
	bool stop;
	bool started; /* the thread runs: destroy joins it */
	pthread_mutex_t mu;
	pthread_cond_t queued; /* a push, a release, or stop */
	pthread_cond_t loaded; /* a job is done */
	pthread_t thread;
};

static void free_set(struct dd_report_set *set) /* accepts NULL */
{
	if (set) {
		dd_report_set_finish(set);
		free(set);
	}
}

/* The reports of `domain` in the window; NULL when there are none. */
static struct dd_report_set *load(struct dd_evidence_loader *l, const char *domain, char **err)
{
	struct dd_report_set *set = xcalloc(1, sizeof(*set));
	if (dd_store_load(l->store, domain, l->from, l->to, set, err) && set->n > 0)
		return set;
	free_set(set);
	return NULL;
}

static void free_sets(struct dd_report_set **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free_set(v[i]);
	free(v);
}

#define FREE_BATCH 16 /* released report sets that wake the thread to free them */

/* Work that is worth waking the thread for (under mu). Once awake, it loads
 * every queued job and frees every released set before it sleeps again. */
static bool worth_waking(const struct dd_evidence_loader *l)
{
	return l->stop || l->nfreed >= FREE_BATCH || l->tail - l->next >= l->wake_at ||
	       (l->wanted && l->next < l->tail);
}

/* Below the DNS, as run.c's judge: at the same priority, the loads took the
 * CPU of a resolver sharing the cores (the bench's NSD), its socket
 * overflowed, and the questions lost (289 and 1 586 in two of eight runs)
 * waited for c-ares to send them again. */
#define LOADER_NICE 10

static void *run(void *arg)
{
	struct dd_evidence_loader *l = arg;
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), LOADER_NICE);
	pthread_mutex_lock(&l->mu);
	for (;;) {
		if (l->next == l->tail && l->nfreed == 0 && !l->stop)
			while (!worth_waking(l))
				pthread_cond_wait(&l->queued, &l->mu);
		if (l->nfreed) {
			struct dd_report_set **v = l->freed;
			size_t n = l->nfreed;
			l->freed = NULL;
			l->nfreed = l->freedcap = 0;
			pthread_mutex_unlock(&l->mu);
			free_sets(v, n);
			pthread_mutex_lock(&l->mu);
			continue;
		}
		if (l->stop)
			break;
		/* a bound on memory: a domain of a big sender has a month of
		 * 100 000 rows, and the ring is 256 deep; the head is always
		 * loaded, the batch waits for nothing else */
		if (l->held_rows >= l->max_held_rows && l->next != l->head) {
			l->held_full = true;
			pthread_cond_wait(&l->queued, &l->mu);
			l->held_full = false;
			continue;
		}
		struct job *j = &l->jobs[l->next % l->depth];
		pthread_mutex_unlock(&l->mu);
		char *err = NULL;
		struct dd_report_set *set = load(l, j->domain, &err);
		pthread_mutex_lock(&l->mu);
		j->set = set;
		j->err = err;
		j->rows = 0;
		for (size_t i = 0; set && i < set->n; i++)
			j->rows += set->v[i]->nrows;
		l->held_rows += j->rows;
		j->done = true;
		l->next++;
		if (l->wanted) {
			l->wanted = false;
			pthread_cond_signal(&l->loaded);
		}
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

struct dd_evidence_loader *dd_evidence_loader_create(const char *path, int64_t from, int64_t to,
                                                     size_t depth, char **err)
{
	struct dd_store *store = dd_store_open(path, err);
	if (!store)
		return NULL;
	struct dd_evidence_loader *l = xcalloc(1, sizeof(*l));
	l->store = store;
	l->from = from;
	l->to = to;
	l->depth = depth ? depth : 1;
	l->wake_at = l->depth / 4 ? l->depth / 4 : 1;
	l->max_held_rows = DD_EVIDENCE_HELD_ROWS;
	l->jobs = xcalloc(l->depth, sizeof(*l->jobs));
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->queued, NULL);
	pthread_cond_init(&l->loaded, NULL);
	l->started = pthread_create(&l->thread, NULL, run, l) == 0;
	if (!l->started) {
		*err = xasprintf("%s: cannot start the thread that reads it", path);
		dd_evidence_loader_destroy(l);
		return NULL;
	}
	return l;
}

void dd_evidence_loader_destroy(struct dd_evidence_loader *l)
{
	if (!l)
		return;
	if (l->started) {
		pthread_mutex_lock(&l->mu);
		l->stop = true;
		pthread_cond_signal(&l->queued);
		pthread_mutex_unlock(&l->mu);
		pthread_join(l->thread, NULL);
	}
	for (size_t c = l->head; c < l->tail; c++) {
		struct job *j = &l->jobs[c % l->depth];
		free(j->domain);
		free(j->err);
		free_set(j->set);
	}
	free(l->jobs);
	free_sets(l->freed, l->nfreed);
	pthread_cond_destroy(&l->queued);
	pthread_cond_destroy(&l->loaded);
	pthread_mutex_destroy(&l->mu);
	dd_store_close(l->store);
	free(l);
}

bool dd_evidence_loader_has_room(const struct dd_evidence_loader *l)
{
	return l->tail - l->head < l->depth; /* head and tail move on this thread only */
}

void dd_evidence_loader_push(struct dd_evidence_loader *l, const char *domain)
{
	assert(dd_evidence_loader_has_room(l));
	struct job *j = &l->jobs[l->tail % l->depth];
	*j = (struct job){ .domain = xstrdup(domain) };
	pthread_mutex_lock(&l->mu);
	l->tail++;
	if (l->tail - l->next == l->wake_at)
		pthread_cond_signal(&l->queued);
	pthread_mutex_unlock(&l->mu);
}

void dd_evidence_loader_limit_rows(struct dd_evidence_loader *l, size_t max)
{
	pthread_mutex_lock(&l->mu);
	l->max_held_rows = max;
	pthread_cond_signal(&l->queued);
	pthread_mutex_unlock(&l->mu);
}

size_t dd_evidence_loader_held_rows(struct dd_evidence_loader *l)
{
	pthread_mutex_lock(&l->mu);
	size_t n = l->held_rows;
	pthread_mutex_unlock(&l->mu);
	return n;
}

bool dd_evidence_loader_head_ready(struct dd_evidence_loader *l)
{
	assert(l->head < l->tail);
	pthread_mutex_lock(&l->mu);
	bool done = l->jobs[l->head % l->depth].done;
	if (!done && !l->wanted) {
		l->wanted = true;
		pthread_cond_signal(&l->queued);
	}
	pthread_mutex_unlock(&l->mu);
	return done;
}

void dd_evidence_loader_attach(struct dd_evidence_loader *l, struct dd_posture *p)
{
	assert(l->head < l->tail);
	struct job *j = &l->jobs[l->head % l->depth];
	assert(strcmp(j->domain, p->domain) == 0);
	pthread_mutex_lock(&l->mu);
	while (!j->done) {
		l->wanted = true;
		pthread_cond_signal(&l->queued);
		pthread_cond_wait(&l->loaded, &l->mu);
	}
	l->head++;
	l->held_rows -= j->rows;
	if (l->held_full && l->held_rows < l->max_held_rows)
		pthread_cond_signal(&l->queued);
	pthread_mutex_unlock(&l->mu);
	if (j->err)
		fprintf(stderr, "dmarc-doctor: %s: reading its reports: %s\n", p->domain, j->err);
	p->reports = j->set;
	free(j->domain);
	free(j->err);
	*j = (struct job){ 0 };
}

void dd_evidence_loader_release(struct dd_evidence_loader *l, struct dd_posture *p)
{
	if (!p->reports)
		return;
	pthread_mutex_lock(&l->mu);
	l->freed = xgrow(l->freed, &l->freedcap, l->nfreed + 1, sizeof(*l->freed));
	l->freed[l->nfreed++] = p->reports;
	if (l->nfreed == FREE_BATCH)
		pthread_cond_signal(&l->queued);
	pthread_mutex_unlock(&l->mu);
	p->reports = NULL;
}
