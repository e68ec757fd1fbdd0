/*
 * gather.h: the engine that asks every check's questions for many domains
 * at once, follows up as answers arrive, and hands each finished posture back.
 *
 * It owns what the checks must not: the resolver, the answer cache shared by
 * the whole run, the per-domain seen-set (the posture index), and the caps
 * on depth, fan-out and questions per domain that stop a hostile DNS tree.
 */
#ifndef DD_GATHER_H
#define DD_GATHER_H

#include "dd/check.h"
#include "dd/resolver.h"
#include "gather/http.h"

struct dd_gather_limits {
	size_t max_inflight; /* questions handed to the resolver at once, at most (--concurrency) */
	size_t initial_inflight; /* where the adaptive window starts (aimd.h) */
	double qps;              /* questions sent a second, at most; 0: no limit (--qps) */
	int try_timeout_ms;      /* the resolver's per-try timeout: a longer wait was a loss */
	size_t max_queries;      /* questions per domain */
	unsigned max_depth;      /* dependent lookups in a chain */
	size_t max_fanout;       /* new questions one answer may cause */
	unsigned max_cname_hops; /* CNAMEs followed for one question */
	size_t cache_bytes;      /* answers kept for reuse; in-use answers are never dropped */
	size_t max_fetches;      /* HTTPS fetches running at once */
};

void dd_gather_limits_default(struct dd_gather_limits *l);

struct dd_gather_stats {
	size_t questions;  /* asked by checks, over all domains */
	size_t cache_hits; /* answered from the cache or joined a question in flight */
	size_t sent;       /* handed to the resolver */
	size_t resent;     /* of them, sent once more: the answer was overdue */
	size_t lost;       /* of those, the resent copy answered first */
	size_t cname_follows;
	size_t evicted;
	size_t fetches;     /* HTTPS fetches started */
	size_t window;      /* questions the adaptive window allows in flight now */
	size_t window_cuts; /* times it was halved (a loss, or queues filling up) */
	double srtt_ms;     /* smoothed round trip of the answers */
};

/* Called when every question of a domain has its answer; the posture is the caller's again. */
typedef void (*dd_gather_done_cb)(void *arg, struct dd_posture *p);

struct dd_gather;

struct dd_gather *dd_gather_create(struct dd_resolver *res, const struct dd_gather_limits *limits);
void dd_gather_destroy(struct dd_gather *g); /* accepts NULL */

/*
 * Fetch the HTTPS resources checks ask for through h (not owned; NULL, the
 * default: every fetch is DD_FETCH_NOT_FETCHED, as with --no-http).
 */
void dd_gather_set_http(struct dd_gather *g, struct dd_http *h);

/* Start gathering a domain. `done` is never called from inside this function. */
void dd_gather_start(struct dd_gather *g, struct dd_posture *p, dd_gather_done_cb done, void *arg);

/* Wait at most timeout_ms for answers, then report finished domains. */
void dd_gather_step(struct dd_gather *g, int timeout_ms);

/* Questions known and waiting for a slot in flight (or for --qps). */
size_t dd_gather_backlog(const struct dd_gather *g);

/* Domains started and not yet reported. */
size_t dd_gather_active(const struct dd_gather *g);

const struct dd_gather_stats *dd_gather_stats(const struct dd_gather *g);

#endif
