/*
 * resolver_cares.c: live DNS through c-ares.
 *
 * Debian 12 ships c-ares 1.18, which has no event thread and no
 * ares_process_fds(): the channel tells us which sockets to watch through
 * ARES_OPT_SOCK_STATE_CB, we poll() them and hand readiness back with
 * ares_process_fd(). c-ares does the retries, the server rotation and the
 * TCP retry of truncated answers; every answer is parsed by wire.c and
 * mapped to one dd_dns_status here (STYLE.md habit 6).
 */
#include <ares.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "gather/deliveries.h"
#include "gather/wire.h"
#include "dd/resolver.h"
#include "dd/util.h"

/* One allocation a question: the name lives at its end. */
struct pending {
	struct cares *r;
	dd_resolve_cb cb;
	void *arg;
	uint16_t type;
	int reasked; /* times asked again after a connection error (on_reply) */
	char name[];
};

/* See on_reply: a connection error of one question fails the others in flight. */
#define REASK_MAX 3

struct cares {
	struct dd_resolver base;
	ares_channel channel;
	struct pollfd *fds;
	size_t nfds, fds_cap;
	struct pollfd *polled; /* the copy poll() sees */
	size_t polled_cap;
	struct dd_deliveries ready;
	size_t pending;
	int tries; /* c-ares tries of one question */
	bool destroying;
};

static void sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct cares *r = data;
	size_t i = 0;
	while (i < r->nfds && r->fds[i].fd != fd)
		i++;
	if (!readable && !writable) {
		if (i < r->nfds)
			r->fds[i] = r->fds[--r->nfds];
		return;
	}
	if (i == r->nfds) {
		r->fds = xgrow(r->fds, &r->fds_cap, r->nfds + 1, sizeof(*r->fds));
		r->nfds++;
	}
	r->fds[i].fd = fd;
	r->fds[i].events = (short)((readable ? POLLIN : 0) | (writable ? POLLOUT : 0));
	r->fds[i].revents = 0;
}

/* One place maps c-ares outcomes to ours. */
static enum dd_dns_status map_status(int status)
{
	switch (status) {
	case ARES_ENOTFOUND: return DD_DNS_NXDOMAIN;
	case ARES_ENODATA: return DD_DNS_NODATA;
	case ARES_EREFUSED: return DD_DNS_REFUSED;
	case ARES_ETIMEOUT:
	case ARES_ECONNREFUSED: /* nobody listens: no answer came */
	case ARES_EDESTRUCTION:
	case ARES_ECANCELLED: return DD_DNS_TIMEOUT;
	default: /* ESERVFAIL, EFORMERR, EBADRESP, ENOTIMP, ... */ return DD_DNS_SERVFAIL;
	}
}

static void send_question(struct cares *r, struct pending *q);

static void on_reply(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct pending *q = arg;
	struct cares *r = q->r;
	r->pending--;
	if (r->destroying) {
		free(q);
		return;
	}
	/* c-ares 1.18 treats a connection error on a server (a TCP connection
	 * the server closes, say after a truncated answer) as the failure of
	 * every question in flight to that server, each losing one try: one
	 * hostile name would make the unrelated names of a batch undetermined.
	 * Such a question ran out of tries without timing out on each of them
	 * (timeouts < tries), so ask it again, a bounded number of times: a
	 * silent server still costs only its timeouts, and a name that keeps
	 * failing still ends as a failure, never as a missing record. */
	bool lost_tries =
	        status == ARES_ECONNREFUSED || (status == ARES_ETIMEOUT && timeouts < r->tries);
	if (lost_tries && q->reasked < REASK_MAX) {
		q->reasked++;
		r->pending++;
		send_question(r, q);
		return;
	}
	struct dd_answer *ans;
	if (abuf && alen > 0 &&
	    (status == ARES_SUCCESS || status == ARES_ENODATA || status == ARES_ENOTFOUND ||
	     status == ARES_ESERVFAIL || status == ARES_EREFUSED))
		ans = dd_wire_answer(q->name, q->type, abuf, (size_t)alen);
	else
		ans = dd_answer_create(q->name, q->type, map_status(status));
	ans->source = DD_SOURCE_LIVE;
	dd_deliveries_push(&r->ready, q->cb, q->arg, ans);
	free(q);
}

/* Ask (again) with EDNS0 DO and CD (wire.c), so answers keep their DNSSEC records. */
static void send_question(struct cares *r, struct pending *q)
{
	uint8_t *msg = NULL;
	size_t len = 0;
	if (!dd_wire_query_dnssec(q->name, q->type, &msg, &len)) {
		/* not a name ldns can encode: no server could answer it either */
		on_reply(q, ARES_EBADNAME, 0, NULL, 0);
		return;
	}
	ares_send(r->channel, msg, (int)len, on_reply, q);
	free(msg);
}

static void cares_query(struct dd_resolver *base, const char *name, uint16_t type, dd_resolve_cb cb,
                        void *arg)
{
	struct cares *r = (struct cares *)base;
	size_t len = strlen(name);
	struct pending *q = xmalloc(sizeof(*q) + len + 1);
	q->r = r;
	q->cb = cb;
	q->arg = arg;
	q->type = type;
	q->reasked = 0;
	memcpy(q->name, name, len + 1);
	r->pending++;
	send_question(r, q);
}

static int next_timeout_ms(struct cares *r, int timeout_ms)
{
	struct timeval tv, *tvp = ares_timeout(r->channel, NULL, &tv);
	if (!tvp)
		return timeout_ms;
	long ms = (long)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
	if (timeout_ms < 0 || ms < timeout_ms)
		return (int)ms;
	return timeout_ms;
}

static size_t cares_process(struct dd_resolver *base, int timeout_ms)
{
	struct cares *r = (struct cares *)base;
	if (r->ready.n == 0 && r->pending > 0) {
		int t = next_timeout_ms(r, timeout_ms);
		/* poll a copy: ares_process_fd() changes the set through sock_state() */
		size_t n = r->nfds;
		r->polled = xgrow(r->polled, &r->polled_cap, n ? n : 1, sizeof(*r->polled));
		struct pollfd *fds = r->polled;
		memcpy(fds, r->fds, n * sizeof(*fds));
		int ready = poll(fds, n, t);
		if (ready > 0) {
			for (size_t i = 0; i < n; i++) {
				short ev = fds[i].revents;
				if (!ev)
					continue;
				ares_socket_t rfd = (ev & (POLLIN | POLLERR | POLLHUP))
				                            ? fds[i].fd
				                            : ARES_SOCKET_BAD;
				ares_socket_t wfd = (ev & POLLOUT) ? fds[i].fd : ARES_SOCKET_BAD;
				ares_process_fd(r->channel, rfd, wfd);
			}
		} else {
			ares_process_fd(r->channel, ARES_SOCKET_BAD,
			                ARES_SOCKET_BAD); /* timeouts */
		}
	}
	dd_deliveries_run(&r->ready);
	return r->pending + r->ready.n;
}

static size_t cares_pending(const struct dd_resolver *base)
{
	const struct cares *r = (const struct cares *)base;
	return r->pending + r->ready.n;
}

static void cares_destroy(struct dd_resolver *base)
{
	struct cares *r = (struct cares *)base;
	r->destroying = true;
	ares_destroy(r->channel);
	dd_deliveries_finish(&r->ready);
	free(r->fds);
	free(r->polled);
	free(r);
	ares_library_cleanup();
}

static const struct dd_resolver_impl cares_impl = {
	.name = "c-ares",
	.query = cares_query,
	.process = cares_process,
	.pending = cares_pending,
	.destroy = cares_destroy,
};

struct dd_resolver *dd_resolver_cares_create(const struct dd_cares_options *opts, char **err)
{
	*err = NULL;
	int rc = ares_library_init(ARES_LIB_INIT_ALL);
	if (rc != ARES_SUCCESS) {
		*err = xasprintf("c-ares: %s", ares_strerror(rc));
		return NULL;
	}
	struct cares *r = xcalloc(1, sizeof(*r));
	r->base.impl = &cares_impl;

	struct ares_options o;
	memset(&o, 0, sizeof(o));
	/* EDNS0 with a 1232-byte buffer (the DNS flag day 2020 value) keeps big
	 * TXT sets on UDP; larger answers come back truncated and c-ares retries
	 * them over TCP. No search list: we only ask fully qualified names.
	 * NOCHECKRESP: without it c-ares 1.18 turns a SERVFAIL or REFUSED answer
	 * into "could not contact DNS servers", and the user deserves to know
	 * which it was. The price: such an answer from the first server is final
	 * (c-ares still moves on when a server does not answer at all). */
	o.flags = ARES_FLAG_EDNS | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_STAYOPEN |
	          ARES_FLAG_NOCHECKRESP;
	o.ednspsz = 1232;
	o.timeout = opts->timeout_ms > 0 ? opts->timeout_ms : 2000;
	o.tries = opts->tries > 0 ? opts->tries : 1;
	r->tries = o.tries;
	o.sock_state_cb = sock_state;
	o.sock_state_cb_data = r;
	o.socket_receive_buffer_size = 4 << 20; /* bursts of answers for big batches */
	int mask = ARES_OPT_FLAGS | ARES_OPT_EDNSPSZ | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
	           ARES_OPT_SOCK_STATE_CB | ARES_OPT_SOCK_RCVBUF;
	rc = ares_init_options(&r->channel, &o, mask);
	if (rc != ARES_SUCCESS) {
		*err = xasprintf("cannot set up the resolver: %s", ares_strerror(rc));
		free(r);
		ares_library_cleanup();
		return NULL;
	}
	if (opts->servers) {
		rc = ares_set_servers_ports_csv(r->channel, opts->servers);
		if (rc != ARES_SUCCESS) {
			*err = xasprintf("bad resolver address list '%s': %s", opts->servers,
			                 ares_strerror(rc));
			cares_destroy(&r->base);
			return NULL;
		}
	}
	return &r->base;
}
