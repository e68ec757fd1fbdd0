/*
 * resolver.h: one interface to ask DNS questions, several implementations
 * (STYLE.md habit 5):
 *   resolver_cares.c    live DNS through c-ares, async
 *   resolver_fixture.c  answers from a text file, for tests
 *   resolver_zone.c     a zone file overlay in front of another resolver
 *
 * A resolver never calls back from inside query(): answers are delivered
 * from process(), so the caller's state is never re-entered.
 */
#ifndef DD_RESOLVER_H
#define DD_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/types.h"

struct dd_resolver;

/* Receives one reference to the answer; release it with dd_answer_unref. */
typedef void (*dd_resolve_cb)(void *arg, struct dd_answer *ans);

struct dd_resolver_impl {
	const char *name;
	void (*query)(struct dd_resolver *r, const char *name, uint16_t type, dd_resolve_cb cb,
	              void *arg);
	/*
	 * Wait at most timeout_ms (-1: as long as needed) for answers and deliver
	 * them. Returns how many questions are still outstanding.
	 */
	size_t (*process)(struct dd_resolver *r, int timeout_ms);
	size_t (*pending)(const struct dd_resolver *r);
	void (*destroy)(struct dd_resolver *r);
};

struct dd_resolver {
	const struct dd_resolver_impl *impl;
};

static inline void dd_resolver_query(struct dd_resolver *r, const char *name, uint16_t type,
                                     dd_resolve_cb cb, void *arg)
{
	r->impl->query(r, name, type, cb, arg);
}

static inline size_t dd_resolver_process(struct dd_resolver *r, int timeout_ms)
{
	return r->impl->process(r, timeout_ms);
}

static inline size_t dd_resolver_pending(const struct dd_resolver *r)
{
	return r->impl->pending(r);
}

static inline void dd_resolver_destroy(struct dd_resolver *r)
{
	if (r)
		r->impl->destroy(r);
}

struct dd_cares_options {
	const char *servers; /* "ip[:port],[v6]:port,..."; NULL: /etc/resolv.conf */
	int timeout_ms;      /* per try */
	int tries;           /* 1 + retries */
	/* Send a question once more when its answer is overdue by the round
	 * trips measured so far (resolver_cares.c), long before c-ares' own
	 * retry after timeout_ms. Off under --qps: a resend is one question more. */
	bool resend;
};

/* Returns NULL and sets *err (static text or owned message) on failure. */
struct dd_resolver *dd_resolver_cares_create(const struct dd_cares_options *opts, char **err);

/*
 * The zone overlay (--zone): names at or below a zone's origin are answered
 * from the zone (the longest origin wins), the others by `next` - or, when
 * next is NULL (--offline), with DD_DNS_UNKNOWN. Takes ownership of the
 * zones (their files are what answers point at: keep the resolver until the
 * results are rendered) and of next.
 */
struct dd_zone;
struct dd_resolver *dd_resolver_zone_create(struct dd_zone **zones, size_t nzones,
                                            struct dd_resolver *next);

/* A fixture file: see testdata/dns/README.md for the format. */
struct dd_resolver *dd_resolver_fixture_create(const char *path, char **err);
struct dd_resolver *dd_resolver_fixture_create_from_string(const char *text, const char *label,
                                                           char **err);

#endif
