/*
 * resolver_cares.c: live DNS through c-ares.
 *
 * Debian 12 ships c-ares 1.18, which has no event thread and no
 * ares_process_fds(): the channel tells us which sockets to watch through
 * ARES_OPT_SOCK_STATE_CB, we poll() them and hand readiness back with
 * ares_process_fd(). c-ares does the retries and the server rotation; every
 * answer is parsed by wire.c and mapped to one dd_dns_status here (STYLE.md
 * habit 6).
 *
 * A truncated answer is asked again over TCP here, not by c-ares, on a
 * channel (so a connection) of its own: c-ares 1.18 sends every TCP question
 * of a server down one connection, in the order they were truncated, and
 * when that connection breaks it fails every question of the server, UDP
 * ones too. A server that closes the connection on one name (or resets it
 * with answers still unread) then took the big answers of unrelated names
 * with it, again on every reconnection, since the order stays the same.
 */
#include <ares.h>
#include <poll.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "gather/deliveries.h"
#include "gather/wire.h"
#include "dd/resolver.h"
#include "dd/util.h"

struct chan;
struct pending;

/* One c-ares query of a question: the first try, the resend, or the TCP
 * question after a truncated answer. on_reply learns from it which one
 * answered. */
enum copy_kind { COPY_FIRST, COPY_RESEND, COPY_TCP, COPY_KINDS };
struct copy {
	struct pending *q;
};

/* One allocation a question: the name lives at its end. */
struct pending {
	struct cares *r;
	dd_resolve_cb cb;
	void *arg;
	uint16_t type;
	int reasked;      /* times asked again after a connection error (on_reply) */
	struct chan *tcp; /* its own TCP channel once an answer came truncated */
	struct copy copies[COPY_KINDS];
	int live;     /* c-ares queries of it not yet called back */
	bool settled; /* delivered, or handed to TCP: later UDP copies are ignored */
	bool delivered;
	bool resent;
	double sent_ms, resent_ms;
	struct pending *older, *newer; /* the resend queue: first tries, oldest first */
	bool queued;
	char name[];
};

/* A c-ares channel and the sockets it asked us to watch belong together. */
struct chan {
	struct cares *r;
	ares_channel channel;
	bool done; /* a TCP channel whose question ended: destroyed after processing */
};

/* The EDNS0 UDP size of our questions (wire.c asks with the same). */
#define EDNS_SIZE 1232

/* See on_reply: a connection error of one question fails the others in flight. */
#define REASK_MAX 3

struct cares {
	struct dd_resolver base;
	struct chan main;     /* UDP; truncated answers come back to us (IGNTC) */
	ares_channel channel; /* main.channel */
	/* UDP, one try a question: the copies resend_overdue sends, so that
	 * --retries N costs at most N + 2 copies of a question, not 2(N + 1) */
	struct chan again;
	struct chan **tcp; /* one channel a truncated question */
	size_t ntcp, tcp_cap;
	struct ares_options opts; /* what a TCP channel is made with */
	int opts_mask;
	char *servers; /* NULL: the system's */
	struct pollfd *fds;
	struct chan **fd_chan; /* whose fds[i] is */
	size_t nfds, fds_cap, fd_chan_cap;
	struct pollfd *polled; /* the copy poll() sees */
	struct chan **polled_chan;
	size_t polled_cap, polled_chan_cap;
	struct dd_deliveries ready;
	size_t pending;
	int tries; /* c-ares tries of one question */
	int timeout_ms;
	bool destroying;
	/* Resending overdue questions (see resend_overdue). */
	bool resend;
	double srtt_ms, rttvar_ms; /* RFC 6298 §2 estimators; srtt 0: no sample yet */
	struct pending *oldest, *newest;
};

/* An answer later than this is overdue at the earliest: a busy process on a
 * loopback path reads its answers in bursts, milliseconds apart. */
#define RESEND_MIN_MS 50.0

/* RFC 6298 §2.2-2.3, on the round trips of answers whose copy is known
 * (each copy has its own transaction id, so Karn's ambiguity does not arise). */
static void rtt_sample(struct cares *r, double rtt)
{
	if (r->srtt_ms <= 0) {
		r->srtt_ms = rtt > 0.001 ? rtt : 0.001;
		r->rttvar_ms = rtt / 2;
		return;
	}
	double d = r->srtt_ms - rtt;
	r->rttvar_ms = 0.75 * r->rttvar_ms + 0.25 * (d < 0 ? -d : d);
	r->srtt_ms = 0.875 * r->srtt_ms + 0.125 * rtt;
}

/* When a question with no answer yet is sent once more; <= 0: never (no
 * round trip measured yet, or c-ares' own retry would come first). */
static double resend_after_ms(const struct cares *r)
{
	if (!r->resend || r->srtt_ms <= 0)
		return 0;
	double rto = r->srtt_ms + 4 * r->rttvar_ms;
	if (rto < RESEND_MIN_MS)
		rto = RESEND_MIN_MS;
	return rto < r->timeout_ms / 2.0 ? rto : 0;
}

static void unqueue(struct cares *r, struct pending *q)
{
	if (!q->queued)
		return;
	if (q->older)
		q->older->newer = q->newer;
	else
		r->oldest = q->newer;
	if (q->newer)
		q->newer->older = q->older;
	else
		r->newest = q->older;
	q->older = q->newer = NULL;
	q->queued = false;
}

static void enqueue(struct cares *r, struct pending *q)
{
	q->older = r->newest;
	q->newer = NULL;
	if (r->newest)
		r->newest->newer = q;
	else
		r->oldest = q;
	r->newest = q;
	q->queued = true;
}

static void sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct chan *c = data;
	struct cares *r = c->r;
	size_t i = 0;
	while (i < r->nfds && (r->fds[i].fd != fd || r->fd_chan[i] != c))
		i++;
	if (!readable && !writable) {
		if (i < r->nfds) {
			r->nfds--;
			r->fds[i] = r->fds[r->nfds];
			r->fd_chan[i] = r->fd_chan[r->nfds];
		}
		return;
	}
	if (i == r->nfds) {
		r->fds = xgrow(r->fds, &r->fds_cap, r->nfds + 1, sizeof(*r->fds));
		r->fd_chan = xgrow(r->fd_chan, &r->fd_chan_cap, r->nfds + 1, sizeof(*r->fd_chan));
		r->nfds++;
	}
	r->fd_chan[i] = c;
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

static void send_copy(ares_channel channel, struct pending *q, enum copy_kind kind);
static bool send_over_tcp(struct cares *r, struct pending *q);

static void deliver(struct cares *r, struct pending *q, enum copy_kind kind, int status,
                    unsigned char *abuf, int alen)
{
	struct dd_answer *ans;
	if (abuf && alen > 0 &&
	    (status == ARES_SUCCESS || status == ARES_ENODATA || status == ARES_ENOTFOUND ||
	     status == ARES_ESERVFAIL || status == ARES_EREFUSED))
		ans = dd_wire_answer(q->name, q->type, abuf, (size_t)alen);
	else
		ans = dd_answer_create(q->name, q->type, map_status(status));
	ans->source = DD_SOURCE_LIVE;
	ans->resent = q->resent;
	ans->lost_try = kind == COPY_RESEND;
	q->settled = q->delivered = true;
	r->pending--;
	dd_deliveries_push(&r->ready, q->cb, q->arg, ans);
}

static void on_reply(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct copy *copy = arg;
	struct pending *q = copy->q;
	struct cares *r = q->r;
	enum copy_kind kind = (enum copy_kind)(copy - q->copies);
	q->live--;
	if (r->destroying) {
		if (q->live == 0)
			free(q);
		return;
	}
	bool got_reply = abuf && alen > 0;
	if (got_reply && kind != COPY_TCP && timeouts == 0)
		rtt_sample(r, dd_clock_ms() - (kind == COPY_RESEND ? q->resent_ms : q->sent_ms));
	if (q->delivered || (q->settled && kind != COPY_TCP)) {
		/* the other copy answered first: this one was late, not lost */
		if (q->delivered && q->live == 0)
			free(q);
		return;
	}
	if (!got_reply && q->live > 0 && kind != COPY_TCP)
		return; /* the other UDP copy may still be answered */
	unqueue(r, q);
	if (kind == COPY_TCP) {
		/* its own connection: whatever happened to it happened to this
		 * question alone, so it is final (no re-asking below) */
		q->tcp->done = true;
		deliver(r, q, kind, status, abuf, alen);
		if (q->live == 0)
			free(q);
		return;
	}
	if (status == ARES_SUCCESS && abuf && alen >= 12 &&
	    ((abuf[2] & 0x02) || alen >= EDNS_SIZE)) {
		/* truncated (TC), or longer than we asked for, which c-ares cut
		 * to EDNS_SIZE octets (IGNTC): ask again over TCP, on a connection
		 * of its own */
		q->settled = true;
		if (send_over_tcp(r, q))
			return;
		q->settled = false;
		status = ARES_ECONNREFUSED; /* no channel to ask on: no answer */
		abuf = NULL;
		alen = 0;
	}
	/* c-ares 1.18 treats a connection error on a server (a TCP connection
	 * the server closes, which no longer happens on this channel, or an
	 * error reading its UDP socket) as the failure of every question in
	 * flight to that server, each losing one try: one hostile name would
	 * make the unrelated names of a batch undetermined.
	 * Such a question ran out of tries without timing out on each of them
	 * (timeouts < tries), so ask it again, a bounded number of times: a
	 * silent server still costs only its timeouts, and a name that keeps
	 * failing still ends as a failure, never as a missing record. */
	int tries = kind == COPY_RESEND ? 1 : r->tries; /* the channel it was sent on */
	bool lost_tries = !q->tcp && (status == ARES_ECONNREFUSED ||
	                              (status == ARES_ETIMEOUT && timeouts < tries));
	if (lost_tries && q->reasked < REASK_MAX && q->live == 0) {
		q->reasked++;
		send_copy(r->channel, q, COPY_FIRST);
		return;
	}
	deliver(r, q, kind, status, abuf, alen);
	if (q->live == 0)
		free(q);
}

/* Ask (again) with EDNS0 DO and CD (wire.c), so answers keep their DNSSEC
 * records. c-ares gives every query a transaction id of its own. */
static void send_copy(ares_channel channel, struct pending *q, enum copy_kind kind)
{
	uint8_t msg[DD_WIRE_QUERY_MAX];
	size_t len = 0;
	q->copies[kind].q = q;
	q->live++;
	if (!dd_wire_query_encode(q->name, q->type, msg, &len)) {
		/* not a name that can be encoded: no server could answer it either */
		on_reply(&q->copies[kind], ARES_EBADNAME, 0, NULL, 0);
		return;
	}
	ares_send(channel, msg, (int)len, on_reply, &q->copies[kind]); /* c-ares copies it */
}

/* A channel of the main one's servers, with options o (the main one's,
 * changed); false, and c->channel NULL, when c-ares refuses it. */
static bool chan_open(struct cares *r, struct chan *c, struct ares_options o)
{
	c->r = r;
	o.sock_state_cb_data = c;
	if (ares_init_options(&c->channel, &o, r->opts_mask) != ARES_SUCCESS) {
		c->channel = NULL;
		return false;
	}
	if (r->servers && ares_set_servers_ports_csv(c->channel, r->servers) != ARES_SUCCESS) {
		ares_destroy(c->channel);
		c->channel = NULL;
		return false;
	}
	return true;
}

/* A channel of its own (USEVC: TCP only) for a question whose answer came
 * truncated; cares_process destroys it once the question has ended. */
static bool send_over_tcp(struct cares *r, struct pending *q)
{
	struct chan *c = xcalloc(1, sizeof(*c));
	struct ares_options o = r->opts;
	o.flags = (o.flags | ARES_FLAG_USEVC) & ~(ARES_FLAG_IGNTC | ARES_FLAG_STAYOPEN);
	if (!chan_open(r, c, o)) {
		free(c);
		return false;
	}
	r->tcp = xgrow(r->tcp, &r->tcp_cap, r->ntcp + 1, sizeof(*r->tcp));
	r->tcp[r->ntcp++] = c;
	q->tcp = c;
	send_copy(c->channel, q, COPY_TCP);
	return true;
}

static void cares_query(struct dd_resolver *base, const char *name, uint16_t type, dd_resolve_cb cb,
                        void *arg)
{
	struct cares *r = (struct cares *)base;
	size_t len = strlen(name);
	struct pending *q = xcalloc(1, sizeof(*q) + len + 1);
	q->r = r;
	q->cb = cb;
	q->arg = arg;
	q->type = type;
	memcpy(q->name, name, len + 1);
	r->pending++;
	q->sent_ms = dd_clock_ms();
	enqueue(r, q);
	send_copy(r->channel, q, COPY_FIRST);
}

/*
 * A lost UDP question costs c-ares' whole per-try timeout (2 s by default)
 * before its retry; on a busy loopback path a burst can overflow the
 * server's socket and lose dozens at once. Like TCP's retransmission timer
 * (RFC 6298 §5), a question whose first try has gone unanswered for the
 * smoothed RTT + 4 x its variation (at least RESEND_MIN_MS) is sent once
 * more, as a query of its own; whichever copy answers first is the answer.
 * If the resent copy wins, the first was lost: the answer says so
 * (lost_try), and the window shrinks (aimd.c). If the first copy wins, it
 * was only late: its round trip raises the estimate.
 */
static void resend_overdue(struct cares *r, double now)
{
	double after = resend_after_ms(r);
	if (after <= 0)
		return;
	while (r->oldest && now - r->oldest->sent_ms >= after) {
		struct pending *q = r->oldest;
		unqueue(r, q);
		q->resent = true;
		q->resent_ms = now;
		send_copy(r->again.channel, q, COPY_RESEND);
	}
}

/* Milliseconds until the oldest question is overdue; -1: none is waiting. */
static int resend_wait_ms(const struct cares *r, double now)
{
	double after = resend_after_ms(r);
	if (after <= 0 || !r->oldest)
		return -1;
	double left = r->oldest->sent_ms + after - now;
	return left <= 0 ? 0 : (int)left + 1;
}

static int next_timeout_ms(ares_channel channel, int timeout_ms)
{
	struct timeval tv, *tvp = ares_timeout(channel, NULL, &tv);
	if (!tvp)
		return timeout_ms;
	long ms = (long)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
	if (timeout_ms < 0 || ms < timeout_ms)
		return (int)ms;
	return timeout_ms;
}

static bool watched(const struct cares *r, const struct chan *c, ares_socket_t fd)
{
	for (size_t i = 0; i < r->nfds; i++)
		if (r->fds[i].fd == fd && r->fd_chan[i] == c)
			return true;
	return false;
}

static bool is_udp(const struct cares *r, const struct chan *c)
{
	return c == &r->main || c == &r->again;
}

/* Hand a ready socket to its channel. c-ares 1.18 reads one piece of a TCP
 * answer a call (its length, then the message, maybe in parts) and checks
 * the timeouts after each, with the clock read at the call's start: a TCP
 * socket is read here until it would block, so an answer that has arrived
 * is read whole at once. Channels live until reap_tcp, after the caller's
 * loop. */
static void process_ready(struct cares *r, struct chan *c, ares_socket_t fd, short ev)
{
	ares_socket_t rfd = (ev & (POLLIN | POLLERR | POLLHUP)) ? fd : ARES_SOCKET_BAD;
	ares_socket_t wfd = (ev & POLLOUT) ? fd : ARES_SOCKET_BAD;
	ares_process_fd(c->channel, rfd, wfd);
	if (is_udp(r, c) || rfd == ARES_SOCKET_BAD)
		return;
	/* 64 pieces: a 64 KiB answer comes in far fewer */
	for (int pieces = 0; pieces < 64 && !c->done && watched(r, c, fd); pieces++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 0) != 1 || !(p.revents & (POLLIN | POLLERR | POLLHUP)))
			return;
		ares_process_fd(c->channel, fd, ARES_SOCKET_BAD);
	}
}

/* TCP channels whose question ended; never from inside their own callback. */
static void reap_tcp(struct cares *r)
{
	for (size_t i = 0; i < r->ntcp;) {
		struct chan *c = r->tcp[i];
		if (!c->done) {
			i++;
			continue;
		}
		ares_destroy(c->channel); /* its sockets leave r->fds through sock_state */
		free(c);
		r->tcp[i] = r->tcp[--r->ntcp];
	}
}

static size_t cares_process(struct dd_resolver *base, int timeout_ms)
{
	struct cares *r = (struct cares *)base;
	if (r->ready.n == 0 && r->pending > 0) {
		int t = next_timeout_ms(r->channel, timeout_ms);
		if (r->again.channel)
			t = next_timeout_ms(r->again.channel, t);
		for (size_t i = 0; i < r->ntcp; i++)
			t = next_timeout_ms(r->tcp[i]->channel, t);
		int resend_t = resend_wait_ms(r, dd_clock_ms());
		if (resend_t >= 0 && (t < 0 || resend_t < t))
			t = resend_t;
		/* poll a copy: ares_process_fd() changes the set through sock_state() */
		size_t n = r->nfds;
		r->polled = xgrow(r->polled, &r->polled_cap, n ? n : 1, sizeof(*r->polled));
		r->polled_chan = xgrow(r->polled_chan, &r->polled_chan_cap, n ? n : 1,
		                       sizeof(*r->polled_chan));
		struct pollfd *fds = r->polled;
		memcpy(fds, r->fds, n * sizeof(*fds));
		memcpy(r->polled_chan, r->fd_chan, n * sizeof(*r->polled_chan));
		int ready = poll(fds, n, t);
		if (ready > 0) {
			/* the TCP channels first, then the UDP ones: reading a burst of
			 * UDP answers can take long enough that a TCP answer which had
			 * arrived in time would be read late, and time out (below) */
			for (int pass = 0; pass < 2; pass++)
				for (size_t i = 0; i < n; i++) {
					struct chan *c = r->polled_chan[i];
					if (!fds[i].revents || is_udp(r, c) != (pass == 1))
						continue;
					process_ready(r, c, fds[i].fd, fds[i].revents);
				}
		} else {
			ares_process_fd(r->channel, ARES_SOCKET_BAD,
			                ARES_SOCKET_BAD); /* timeouts */
		}
		if (r->again.channel) /* its timeouts, when none of its sockets was ready */
			ares_process_fd(r->again.channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
		for (size_t i = 0; i < r->ntcp; i++) /* their timeouts */
			if (!r->tcp[i]->done)
				ares_process_fd(r->tcp[i]->channel, ARES_SOCKET_BAD,
				                ARES_SOCKET_BAD);
		reap_tcp(r);
		/* after every answer that had arrived was read: what is still
		 * unanswered now is overdue, not unread */
		resend_overdue(r, dd_clock_ms());
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
	for (size_t i = 0; i < r->ntcp; i++) {
		ares_destroy(r->tcp[i]->channel);
		free(r->tcp[i]);
	}
	if (r->again.channel)
		ares_destroy(r->again.channel);
	ares_destroy(r->channel);
	dd_deliveries_finish(&r->ready);
	free(r->tcp);
	free(r->servers);
	free(r->fds);
	free(r->fd_chan);
	free(r->polled);
	free(r->polled_chan);
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
	r->main.r = r;

	struct ares_options o;
	memset(&o, 0, sizeof(o));
	/* EDNS0 with a 1232-byte buffer (the DNS flag day 2020 value) keeps big
	 * TXT sets on UDP; larger answers come back truncated (IGNTC: to us) and
	 * on_reply asks them again over a TCP connection of their own. No search
	 * list: we only ask fully qualified names.
	 * NOCHECKRESP: without it c-ares 1.18 turns a SERVFAIL or REFUSED answer
	 * into "could not contact DNS servers", and the user deserves to know
	 * which it was. The price: such an answer from the first server is final
	 * (c-ares still moves on when a server does not answer at all). */
	o.flags = ARES_FLAG_EDNS | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_STAYOPEN |
	          ARES_FLAG_NOCHECKRESP | ARES_FLAG_IGNTC;
	o.ednspsz = EDNS_SIZE;
	o.timeout = opts->timeout_ms > 0 ? opts->timeout_ms : 2000;
	o.tries = opts->tries > 0 ? opts->tries : 1;
	r->tries = o.tries;
	r->timeout_ms = o.timeout;
	r->resend = opts->resend;
	o.sock_state_cb = sock_state;
	o.sock_state_cb_data = &r->main;
	o.socket_receive_buffer_size = 4 << 20; /* bursts of answers for big batches */
	int mask = ARES_OPT_FLAGS | ARES_OPT_EDNSPSZ | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
	           ARES_OPT_SOCK_STATE_CB | ARES_OPT_SOCK_RCVBUF;
	r->opts = o;
	r->opts_mask = mask;
	rc = ares_init_options(&r->channel, &o, mask);
	r->main.channel = r->channel;
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
		r->servers = xstrdup(opts->servers);
	}
	struct ares_options once = r->opts;
	once.tries = 1; /* the channel of resent copies */
	if (r->resend && !chan_open(r, &r->again, once)) {
		*err = xstrdup("cannot set up the resolver for resent questions");
		cares_destroy(&r->base);
		return NULL;
	}
	return &r->base;
}
