/*
 * gather.c: the gather engine (see gather.h).
 *
 * Three pieces of state:
 *   entry  one (name, type) of the run-wide cache: pending (with the list of
 *          questions waiting for it) or answered. Answered entries sit on an
 *          LRU list and are dropped beyond the byte budget; postures keep their
 *          own reference to every answer they use, so dropping is always safe.
 *   job    one domain being gathered: its posture and how many of its
 *          questions are still open.
 *   work   (job, query, check) follow-ups to run; kept on a list instead of
 *          recursing, so an answer that fans out cannot grow the stack.
 *
 * The cache holds each name's own answer, as the server sent it. A CNAME
 * chain that an authoritative server leaves open is completed per question:
 * the question moves on to the target's entry, counting its own CNAMEs, so a
 * loop or an endless chain of new names ends after max_cname_hops whoever
 * else shares the names on the way.
 *
 * HTTPS fetches (dd/fetch.h) are part of a domain's gathering: a fetch
 * asks its host's A and AAAA as questions of the domain, starts as soon as
 * both are answered - while the rest of the batch is still being asked -
 * and counts as open until its transfer ends. At most max_fetches run at
 * once; the rest wait in order. The DNS and HTTP loops take turns in short
 * slices while both have work, so neither starves the other.
 *
 * Wall time per domain is its longest chain of dependent lookups times the
 * round trip: every question is sent as soon as it is known, up to the
 * in-flight cap, and identical questions from different domains share one
 * lookup.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gather/aimd.h"
#include "gather/gather.h"
#include "gather/ratelimit.h"
#include "dd/util.h"

struct job {
	struct dd_posture *p;
	size_t outstanding;     /* questions and fetches still open */
	size_t fetches_waiting; /* fetches whose addresses are not all in */
	dd_gather_done_cb done;
	void *arg;
	struct job *next_done;
	bool finished;
};

/* Query qi of a job waits for an entry; `chain` holds the CNAMEs it followed to get there. */
struct waiter {
	struct waiter *next;
	struct job *job;
	size_t qi;
	struct dd_answer *chain; /* NULL at the name asked */
};

struct entry {
	struct dd_gather *g; /* the resolver calls back with the entry only */
	struct entry *bucket_next;
	uint16_t type;
	uint32_t hash;
	struct dd_answer *answer; /* NULL while pending */
	struct waiter *waiters;
	size_t bytes;
	struct entry *lru_prev, *lru_next;
	struct entry *queue_next; /* waiting for an in-flight slot */
	double sent_ms;           /* when it went to the resolver */
	size_t name_len;
	char name[]; /* one allocation an entry */
};

struct work {
	struct job *job;
	size_t qi;
	unsigned check;
};

/* A fetch waiting for a slot or running: fetch fi of job. */
struct fetch_work {
	struct dd_gather *g;
	struct job *job;
	size_t fi;
	struct fetch_work *next;
};

struct dd_gather {
	struct dd_resolver *res;
	struct dd_http *http;
	size_t fetch_inflight;
	struct fetch_work *fetch_head, *fetch_tail;
	struct dd_gather_limits limits;
	struct dd_gather_stats stats;

	struct entry **buckets;
	size_t nbuckets;
	size_t nentries;

	struct entry *lru_head, *lru_tail; /* answered entries, most recent first */
	size_t cached_bytes;

	struct entry *queue_head, *queue_tail;
	size_t queued;
	size_t inflight;
	struct dd_aimd aimd;    /* how many may be in flight (aimd.c) */
	struct dd_ratelimit rl; /* --qps (ratelimit.c) */

	struct work *work;
	size_t nwork, work_cap;

	struct waiter *spare; /* waiters to reuse: one is needed for nearly every question */

	struct job **touched; /* jobs whose open count changed: check them after the work */
	size_t ntouched, touched_cap;

	struct job *done_head, *done_tail;
	size_t active;
};

void dd_gather_limits_default(struct dd_gather_limits *l)
{
	/* The window adapts (aimd.h): it starts where a fixed 256 served well on
	 * loopback and grows to what a long path needs - 400 domains/s through a
	 * 30 ms RTT keep about 600 questions in flight. */
	l->max_inflight = 4096;
	l->initial_inflight = 256;
	l->qps = 0;
	l->try_timeout_ms = 2000;
	/* 40-odd DKIM probes, the DMARC walk and rua checks, and an SPF tree
	 * that receivers would cut at 10 lookups: 400 leaves room to show how
	 * far over a tree is, and stops a hostile one. */
	l->max_queries = 400;
	l->max_depth = 20;
	l->max_fanout = 128;
	l->max_cname_hops = 8;
	/* Answers shared between domains (provider SPF trees, parents of the
	 * DMARC walk) are touched again and again and stay; the rest (each
	 * domain's own names) are never asked twice. Measured with scripts/bench:
	 * 4 MiB keeps peak memory flat from 1 000 to 10 000 domains (14 MB),
	 * 64 MiB let it grow to 93 MB with no gain in speed. */
	l->cache_bytes = 4u << 20;
	/* a fetch is one TLS handshake and a small body; 16 at once keep a
	 * batch window of 256 domains moving without a burst of connections */
	l->max_fetches = 16;
}

/* --------------------------------------------------------------- cache */

static uint32_t entry_hash(const char *name, size_t len, uint16_t type)
{
	return dd_hash(name, len, type * 0x9e3779b1u);
}

static struct entry *cache_find(struct dd_gather *g, const char *name, uint16_t type, uint32_t h)
{
	for (struct entry *e = g->buckets[h & (g->nbuckets - 1)]; e; e = e->bucket_next)
		if (e->hash == h && e->type == type && strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static void cache_rehash(struct dd_gather *g)
{
	size_t n = g->nbuckets * 2;
	struct entry **b = xcalloc(n, sizeof(*b));
	for (size_t i = 0; i < g->nbuckets; i++) {
		struct entry *e = g->buckets[i], *next;
		for (; e; e = next) {
			next = e->bucket_next;
			e->bucket_next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(g->buckets);
	g->buckets = b;
	g->nbuckets = n;
}

static struct entry *cache_get(struct dd_gather *g, const char *name, uint16_t type, bool *created)
{
	size_t len = strlen(name);
	uint32_t h = entry_hash(name, len, type);
	struct entry *e = cache_find(g, name, type, h);
	*created = false;
	if (e)
		return e;
	if (g->nentries + 1 > g->nbuckets)
		cache_rehash(g);
	e = xcalloc(1, sizeof(*e) + len + 1);
	e->g = g;
	memcpy(e->name, name, len + 1);
	e->name_len = len;
	e->type = type;
	e->hash = h;
	e->bucket_next = g->buckets[h & (g->nbuckets - 1)];
	g->buckets[h & (g->nbuckets - 1)] = e;
	g->nentries++;
	*created = true;
	return e;
}

static void lru_unlink(struct dd_gather *g, struct entry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		g->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		g->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void lru_push(struct dd_gather *g, struct entry *e)
{
	e->lru_prev = NULL;
	e->lru_next = g->lru_head;
	if (g->lru_head)
		g->lru_head->lru_prev = e;
	g->lru_head = e;
	if (!g->lru_tail)
		g->lru_tail = e;
}

static void entry_free(struct entry *e)
{
	dd_answer_unref(e->answer);
	for (struct waiter *w = e->waiters, *next; w; w = next) {
		next = w->next;
		dd_answer_unref(w->chain);
		free(w);
	}
	free(e);
}

static void cache_remove(struct dd_gather *g, struct entry *e)
{
	struct entry **pp = &g->buckets[e->hash & (g->nbuckets - 1)];
	while (*pp != e)
		pp = &(*pp)->bucket_next;
	*pp = e->bucket_next;
	g->nentries--;
	lru_unlink(g, e);
	g->cached_bytes -= e->bytes;
	entry_free(e);
}

/* Only answered entries are on the LRU list, and they have no waiters. */
static void cache_trim(struct dd_gather *g)
{
	while (g->cached_bytes > g->limits.cache_bytes && g->lru_tail) {
		cache_remove(g, g->lru_tail);
		g->stats.evicted++;
	}
}

/* -------------------------------------------------------------- sending */

static void on_answer(void *arg, struct dd_answer *ans);

/* A slot in the adaptive window, and a token of --qps. */
static bool may_send(struct dd_gather *g, double now)
{
	return g->inflight < dd_aimd_window(&g->aimd) && dd_ratelimit_take(&g->rl, now);
}

static void send_now(struct dd_gather *g, struct entry *e, double now)
{
	g->inflight++;
	g->stats.sent++;
	e->sent_ms = now;
	dd_resolver_query(g->res, e->name, e->type, on_answer, e);
	/* `e` stays alive: only answered entries can be dropped */
}

static void submit(struct dd_gather *g, struct entry *e)
{
	double now = dd_clock_ms();
	if (!g->queue_head && may_send(g, now)) {
		send_now(g, e, now);
		return;
	}
	e->queue_next = NULL;
	if (g->queue_tail)
		g->queue_tail->queue_next = e;
	else
		g->queue_head = e;
	g->queue_tail = e;
	g->queued++;
}

static void pump_queue(struct dd_gather *g)
{
	double now = dd_clock_ms();
	while (g->queue_head && may_send(g, now)) {
		struct entry *e = g->queue_head;
		g->queue_head = e->queue_next;
		if (!g->queue_head)
			g->queue_tail = NULL;
		g->queued--;
		send_now(g, e, now);
	}
}

/* ---------------------------------------------------------------- jobs */

static void push_work(struct dd_gather *g, struct job *job, size_t qi, unsigned check)
{
	g->work = xgrow(g->work, &g->work_cap, g->nwork + 1, sizeof(*g->work));
	g->work[g->nwork++] = (struct work){ job, qi, check };
}

static void touch(struct dd_gather *g, struct job *job)
{
	g->touched = xgrow(g->touched, &g->touched_cap, g->ntouched + 1, sizeof(*g->touched));
	g->touched[g->ntouched++] = job;
}

static void job_maybe_done(struct dd_gather *g, struct job *job)
{
	if (job->outstanding || job->finished)
		return;
	job->finished = true;
	job->next_done = NULL;
	if (g->done_tail)
		g->done_tail->next_done = job;
	else
		g->done_head = job;
	g->done_tail = job;
}

static void add_waiter(struct dd_gather *g, struct entry *e, struct job *job, size_t qi,
                       struct dd_answer *chain)
{
	struct waiter *w = g->spare;
	if (w)
		g->spare = w->next;
	else
		w = xmalloc(sizeof(*w));
	*w = (struct waiter){ e->waiters, job, qi, chain };
	e->waiters = w;
}

/* Query qi has its answer (the reference is handed over): its askers follow up. */
static void give_answer(struct dd_gather *g, struct job *job, size_t qi, struct dd_answer *ans)
{
	struct dd_query *q = &job->p->queries[qi];
	q->answer = ans;
	for (unsigned c = 0; c < dd_nchecks; c++)
		if (q->askers & (1u << c))
			push_work(g, job, qi, c);
	job->outstanding--;
	touch(g, job);
}

/* ------------------------------------------------------------- chains */

/* The records of `target` are those of `chain` too: prefix chain's CNAMEs. */
static struct dd_answer *splice_chain(const struct dd_answer *chain, const struct dd_answer *target)
{
	struct dd_answer *a = dd_answer_create(chain->qname, chain->qtype, target->status);
	a->target_proven_empty = target->target_proven_empty;
	for (size_t i = 0; i < chain->ncnames; i++)
		dd_answer_add_cname(a, chain->cnames[i]);
	for (size_t i = 0; i < target->ncnames; i++)
		dd_answer_add_cname(a, target->cnames[i]);
	for (size_t i = 0; i < target->nrrs; i++) {
		const struct dd_rr *src = &target->rrs[i];
		struct dd_rr *rr = dd_answer_add_rr(a, src->data, src->len, src->ttl);
		if (src->nstrings) {
			rr->string_lens = xmalloc(src->nstrings * sizeof(*rr->string_lens));
			memcpy(rr->string_lens, src->string_lens,
			       src->nstrings * sizeof(*rr->string_lens));
			rr->nstrings = src->nstrings;
		}
		rr->pref = src->pref;
		rr->line = src->line;
		rr->file = src->file;
	}
	for (size_t i = 0; i < target->nsec; i++)
		dd_answer_add_sec(a, target->sec[i]);
	a->source = target->source;
	a->file = target->file;
	a->line = target->line;
	return a;
}

/* An answer that is only a CNAME chain: an authoritative server does not
 * chase a target outside its zones, so the target must be asked - unless
 * the server's SOA shows it answered for the target (a chain inside its
 * zones, or a recursive resolver's), which would only cost a round trip. */
static bool chain_is_open(const struct dd_answer *ans)
{
	return ans->qtype != DD_RR_CNAME && ans->status == DD_DNS_NODATA && ans->ncnames > 0 &&
	       ans->nrrs == 0 && !ans->target_proven_empty;
}

/* A chain that loops, runs too long or names a target no resolver could ask. */
static struct dd_answer *chain_failed(struct dd_answer *ans)
{
	struct dd_answer *a = dd_answer_create(ans->qname, ans->qtype, DD_DNS_SERVFAIL);
	a->source = ans->source;
	dd_answer_unref(ans);
	return a;
}

/*
 * Query qi of `job` has come to entry e with the CNAMEs it followed so far
 * (`chain`, owned; NULL at the name asked). It waits while e is pending; an
 * open chain moves it on to the target's entry. Each question counts its own
 * CNAMEs: a loop or an over-long chain ends as SERVFAIL, as a recursive
 * resolver ends it.
 */
static void reach(struct dd_gather *g, struct job *job, size_t qi, struct dd_answer *chain,
                  struct entry *e)
{
	while (e->answer) {
		bool open = chain_is_open(e->answer), followed = chain != NULL;
		struct dd_answer *ans =
		        followed ? splice_chain(chain, e->answer) : dd_answer_ref(e->answer);
		dd_answer_unref(chain);
		char target[DD_NAME_MAX + 1];
		const char *last = ans->ncnames ? ans->cnames[ans->ncnames - 1] : "";
		if (((open || followed) && ans->ncnames > g->limits.max_cname_hops) ||
		    (open && !dd_name_normalize(last, strlen(last), target, sizeof(target)))) {
			give_answer(g, job, qi, chain_failed(ans));
			return;
		}
		if (!open) {
			give_answer(g, job, qi, ans);
			return;
		}
		g->stats.cname_follows++;
		chain = ans;
		bool created;
		e = cache_get(g, target, ans->qtype, &created);
		if (created)
			submit(g, e);
	}
	add_waiter(g, e, job, qi, chain);
}

/* A check of `job` wants (name, type), having read the answer to `parent`. */
static void want(struct dd_gather *g, struct job *job, const struct dd_want *w, int32_t parent,
                 unsigned check)
{
	struct dd_posture *p = job->p;
	g->stats.questions++;
	long found = dd_posture_find(p, w->name, w->type);
	if (found >= 0) {
		struct dd_query *q = &p->queries[found];
		if (!(q->askers & (1u << check))) {
			q->askers |= 1u << check;
			if (q->answer)
				push_work(g, job, (size_t)found, check);
		}
		return;
	}
	unsigned depth = parent < 0 ? 0 : p->queries[parent].depth + 1u;
	if (p->nqueries >= g->limits.max_queries || depth > g->limits.max_depth) {
		p->truncated = true;
		return;
	}
	size_t qi = dd_posture_add(p, w->name, w->type, parent, check);
	bool created;
	struct entry *e = cache_get(g, w->name, w->type, &created);
	if (e->answer) {
		lru_unlink(g, e);
		lru_push(g, e);
	}
	if (created)
		submit(g, e);
	else
		g->stats.cache_hits++;
	job->outstanding++;
	reach(g, job, qi, NULL, e);
}

static void wants_reset(struct dd_wants *w)
{
	for (size_t i = 0; i < w->nurls; i++)
		free(w->urls[i]);
	w->nurls = 0;
	w->n = 0;
}

/* A check of `job` wants an HTTPS resource, having read the answer to `parent`. */
static void want_fetch(struct dd_gather *g, struct job *job, const char *url, int32_t parent,
                       unsigned check)
{
	struct dd_posture *p = job->p;
	for (size_t i = 0; i < p->nfetches; i++)
		if (strcmp(p->fetches[i].url, url) == 0) {
			p->fetches[i].askers |= 1u << check;
			return;
		}
	char host[DD_NAME_MAX + 1];
	uint16_t port;
	if (!dd_url_parse_https(url, strlen(url), host, &port))
		return;
	size_t fi = dd_posture_add_fetch(p, url, host, port, parent, check);
	if (!g->http || (p->opts && (p->opts->no_http || p->opts->offline))) {
		/* not fetched: unknown to the check, never missing */
		p->fetches[fi].done = true;
		return;
	}
	static const uint16_t types[2] = { DD_RR_A, DD_RR_AAAA };
	for (int t = 0; t < 2; t++) {
		struct dd_want w = { .type = types[t] };
		memcpy(w.name, host, strlen(host) + 1);
		want(g, job, &w, parent, check);
		p->fetches[fi].addr_q[t] = dd_posture_find(p, host, types[t]);
	}
	job->outstanding++;
	job->fetches_waiting++;
	touch(g, job);
}

static void add_wants(struct dd_gather *g, struct job *job, struct dd_wants *w, int32_t parent,
                      unsigned check)
{
	size_t n = w->n;
	if (n > g->limits.max_fanout) {
		job->p->truncated = true;
		n = g->limits.max_fanout;
	}
	for (size_t i = 0; i < n; i++)
		want(g, job, &w->v[i], parent, check);
	for (size_t i = 0; i < w->nurls; i++)
		want_fetch(g, job, w->urls[i], parent, check);
}

static void run_work(struct dd_gather *g)
{
	struct dd_wants w = { 0 };
	while (g->nwork) {
		struct work item = g->work[--g->nwork];
		const struct dd_check *check = dd_checks[item.check];
		if (!check->follow)
			continue;
		wants_reset(&w);
		check->follow(item.job->p, item.qi, &w);
		add_wants(g, item.job, &w, (int32_t)item.qi, item.check);
	}
	dd_wants_finish(&w);
}

/* ------------------------------------------------------------ fetches */

static void on_fetched(void *arg, const struct dd_http_response *resp);

static void fetch_send(struct dd_gather *g, struct fetch_work *fw)
{
	struct dd_fetch *f = &fw->job->p->fetches[fw->fi];
	const char *addrs[64];
	size_t naddrs = 0;
	for (int t = 0; t < 2; t++) {
		const struct dd_answer *a = fw->job->p->queries[f->addr_q[t]].answer;
		for (size_t i = 0; a && a->status == DD_DNS_OK && i < a->nrrs; i++)
			if (naddrs < DD_ARRAY_LEN(addrs))
				addrs[naddrs++] = a->rrs[i].data;
	}
	struct dd_http_request req = {
		.url = f->url,
		.host = f->host,
		.port = f->port,
		.addrs = addrs,
		.naddrs = naddrs,
		.max_body = DD_FETCH_MAX_BODY,
	};
	f->started = true;
	g->fetch_inflight++;
	g->stats.fetches++;
	dd_http_fetch(g->http, &req, on_fetched, fw);
}

static void fetch_pump(struct dd_gather *g)
{
	while (g->fetch_head && g->fetch_inflight < g->limits.max_fetches) {
		struct fetch_work *fw = g->fetch_head;
		g->fetch_head = fw->next;
		if (!g->fetch_head)
			g->fetch_tail = NULL;
		fetch_send(g, fw);
	}
}

static void fetch_end(struct job *job, struct dd_fetch *f, enum dd_fetch_status st, const char *why)
{
	f->status = st;
	f->done = true;
	if (why)
		f->error = xstrdup(why);
	job->outstanding--;
}

/* Fetches whose host lookups are all in: start them, or say why not. */
static void fetch_ready(struct dd_gather *g, struct job *job)
{
	struct dd_posture *p = job->p;
	for (size_t i = 0; job->fetches_waiting && i < p->nfetches; i++) {
		struct dd_fetch *f = &p->fetches[i];
		if (f->done || f->started)
			continue;
		if (f->addr_q[0] < 0 || f->addr_q[1] < 0) {
			job->fetches_waiting--;
			fetch_end(job, f, DD_FETCH_NOT_FETCHED,
			          "the question cap left its host unasked");
			continue;
		}
		const struct dd_answer *a[2] = { p->queries[f->addr_q[0]].answer,
			                         p->queries[f->addr_q[1]].answer };
		if (!a[0] || !a[1])
			continue;
		job->fetches_waiting--;
		size_t addrs = 0;
		bool failed = false, unknown = false;
		for (int t = 0; t < 2; t++) {
			if (a[t]->status == DD_DNS_OK)
				addrs += a[t]->nrrs;
			failed |= dd_dns_status_is_failure(a[t]->status);
			unknown |= a[t]->status == DD_DNS_UNKNOWN;
		}
		if (!addrs) {
			fetch_end(job, f,
			          failed    ? DD_FETCH_DNS_FAILURE
			          : unknown ? DD_FETCH_NOT_FETCHED
			                    : DD_FETCH_NO_ADDRESS,
			          NULL);
			continue;
		}
		struct fetch_work *fw = xcalloc(1, sizeof(*fw));
		*fw = (struct fetch_work){ g, job, i, NULL };
		f->started = true;
		if (g->fetch_tail)
			g->fetch_tail->next = fw;
		else
			g->fetch_head = fw;
		g->fetch_tail = fw;
	}
	fetch_pump(g);
}

/* ------------------------------------------------------------ answers */

static void entry_finish(struct dd_gather *g, struct entry *e, struct dd_answer *ans)
{
	e->answer = ans;
	e->bytes = dd_answer_size(ans) + sizeof(*e) + e->name_len;
	g->cached_bytes += e->bytes;
	lru_push(g, e);

	struct waiter *w = e->waiters;
	e->waiters = NULL;
	while (w) {
		struct waiter *next = w->next;
		reach(g, w->job, w->qi, w->chain, e);
		w->next = g->spare;
		g->spare = w;
		w = next;
	}
}

/* Follow-ups first: they may open new questions before a job counts as done. */
static void settle(struct dd_gather *g)
{
	run_work(g);
	for (size_t i = 0; i < g->ntouched; i++)
		if (g->touched[i]->fetches_waiting)
			fetch_ready(g, g->touched[i]);
	for (size_t i = 0; i < g->ntouched; i++)
		job_maybe_done(g, g->touched[i]);
	g->ntouched = 0;
}

static void on_fetched(void *arg, const struct dd_http_response *resp)
{
	struct fetch_work *fw = arg;
	struct dd_gather *g = fw->g;
	struct dd_fetch *f = &fw->job->p->fetches[fw->fi];
	g->fetch_inflight--;
	f->http_code = resp->http_code;
	if (resp->content_type)
		f->content_type = xstrdup(resp->content_type);
	if (resp->body) {
		f->body = xmalloc(resp->body_len + 1);
		memcpy(f->body, resp->body, resp->body_len);
		f->body[resp->body_len] = '\0';
		f->body_len = resp->body_len;
	}
	fetch_end(fw->job, f, resp->status, resp->error);
	touch(g, fw->job);
	free(fw);
	settle(g);
	fetch_pump(g);
}

static void on_answer(void *arg, struct dd_answer *ans)
{
	struct entry *e = arg;
	struct dd_gather *g = e->g;
	g->inflight--;
	double now = dd_clock_ms();
	dd_aimd_answer(&g->aimd, now, now - e->sent_ms,
	               ans->status == DD_DNS_TIMEOUT || ans->lost_try);
	g->stats.resent += ans->resent;
	g->stats.lost += ans->lost_try;
	g->stats.window = dd_aimd_window(&g->aimd);
	g->stats.window_cuts = g->aimd.cuts;
	g->stats.srtt_ms = g->aimd.srtt_ms;
	entry_finish(g, e, ans);
	settle(g);
	cache_trim(g);
	pump_queue(g);
}

/* ------------------------------------------------------------- public */

struct dd_gather *dd_gather_create(struct dd_resolver *res, const struct dd_gather_limits *limits)
{
	struct dd_gather *g = xcalloc(1, sizeof(*g));
	g->res = res;
	if (limits)
		g->limits = *limits;
	else
		dd_gather_limits_default(&g->limits);
	if (g->limits.max_inflight == 0)
		g->limits.max_inflight = 1;
	if (g->limits.max_fetches == 0)
		g->limits.max_fetches = 1;
	/* at least 8 in flight after a loss: one domain's first questions */
	dd_aimd_init(&g->aimd, g->limits.initial_inflight, 8, g->limits.max_inflight,
	             g->limits.try_timeout_ms);
	dd_ratelimit_init(&g->rl, g->limits.qps, dd_clock_ms());
	g->stats.window = dd_aimd_window(&g->aimd);
	g->nbuckets = 1024;
	g->buckets = xcalloc(g->nbuckets, sizeof(*g->buckets));
	return g;
}

void dd_gather_start(struct dd_gather *g, struct dd_posture *p, dd_gather_done_cb done, void *arg)
{
	struct job *job = xcalloc(1, sizeof(*job));
	job->p = p;
	job->done = done;
	job->arg = arg;
	g->active++;
	struct dd_wants w = { 0 };
	for (unsigned c = 0; c < dd_nchecks; c++) {
		wants_reset(&w);
		dd_checks[c]->wants(p, &w);
		add_wants(g, job, &w, -1, c);
	}
	dd_wants_finish(&w);
	touch(g, job);
	settle(g);
	pump_queue(g);
}

static void report_done(struct dd_gather *g)
{
	while (g->done_head) {
		struct job *job = g->done_head;
		g->done_head = job->next_done;
		if (!g->done_head)
			g->done_tail = NULL;
		g->active--;
		job->done(job->arg, job->p);
		free(job);
	}
}

void dd_gather_step(struct dd_gather *g, int timeout_ms)
{
	report_done(g);
	if (g->active == 0)
		return;
	size_t http = g->http ? dd_http_pending(g->http) : 0;
	if (g->queue_head) {
		/* questions wait for --qps: wake up for the next token */
		int wait = dd_ratelimit_wait_ms(&g->rl, dd_clock_ms());
		if (wait > 0 && (timeout_ms < 0 || wait < timeout_ms))
			timeout_ms = wait;
		/* nothing to poll for: sleep until the next token */
		if (wait > 0 && dd_resolver_pending(g->res) == 0 && !http) {
			struct timespec ts = { timeout_ms / 1000,
				               (long)(timeout_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	if (!http) {
		dd_resolver_process(g->res, timeout_ms);
	} else if (!dd_resolver_pending(g->res)) {
		dd_http_process(g->http, timeout_ms);
	} else {
		/* both busy: short turns, so that neither waits out the other's timeout */
		int slice = timeout_ms >= 0 && timeout_ms < 5 ? timeout_ms : 5;
		dd_resolver_process(g->res, slice);
		dd_http_process(g->http, 0);
	}
	pump_queue(g);
	report_done(g);
}

void dd_gather_set_http(struct dd_gather *g, struct dd_http *h)
{
	g->http = h;
}

size_t dd_gather_backlog(const struct dd_gather *g)
{
	return g->queued;
}

size_t dd_gather_active(const struct dd_gather *g)
{
	return g->active;
}

const struct dd_gather_stats *dd_gather_stats(const struct dd_gather *g)
{
	return &g->stats;
}

void dd_gather_destroy(struct dd_gather *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nbuckets; i++) {
		struct entry *e = g->buckets[i], *next;
		for (; e; e = next) {
			next = e->bucket_next;
			entry_free(e);
		}
	}
	for (struct fetch_work *fw = g->fetch_head, *next; fw; fw = next) {
		next = fw->next;
		free(fw);
	}
	for (struct waiter *w = g->spare, *next; w; w = next) {
		next = w->next;
		free(w);
	}
	free(g->buckets);
	free(g->work);
	free(g->touched);
	free(g);
}
