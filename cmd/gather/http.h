/*
 * http.h: one interface to fetch HTTPS resources, like the resolver's
 * (STYLE.md habit 5):
 *   http_curl.c     libcurl multi: concurrent, certificate verified, no
 *                   redirects, a body cap, timeouts, no cookies, https only
 *   http_fixture.c  canned responses, for unit tests
 *
 * The caller resolves the host (through the resolver, so --resolver and
 * --zone hold) and passes the addresses: an implementation never asks the
 * system resolver. Like the resolver, it never calls back from inside
 * fetch(): results are delivered from process().
 */
#ifndef DD_HTTP_H
#define DD_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/fetch.h"

struct dd_http;

struct dd_http_request {
	const char *url;
	const char *host;         /* the URL's host, normalised */
	uint16_t port;            /* the URL's port */
	const char *const *addrs; /* addresses of host, presentation form */
	size_t naddrs;
	size_t max_body; /* bytes; more is DD_FETCH_TOO_LARGE */
};

struct dd_http_response {
	enum dd_fetch_status status;
	long http_code;
	char *content_type; /* NULL when the response had none */
	char *body;
	size_t body_len;
	char *error;
};

/* The response is the implementation's; the callback copies what it keeps. */
typedef void (*dd_http_cb)(void *arg, const struct dd_http_response *resp);

struct dd_http_impl {
	const char *name;
	void (*fetch)(struct dd_http *h, const struct dd_http_request *req, dd_http_cb cb,
	              void *arg);
	/* Wait at most timeout_ms for transfers and deliver the finished ones;
	 * returns how many are still running. */
	size_t (*process)(struct dd_http *h, int timeout_ms);
	size_t (*pending)(const struct dd_http *h);
	void (*destroy)(struct dd_http *h);
};

struct dd_http {
	const struct dd_http_impl *impl;
};

static inline void dd_http_fetch(struct dd_http *h, const struct dd_http_request *req,
                                 dd_http_cb cb, void *arg)
{
	h->impl->fetch(h, req, cb, arg);
}

static inline size_t dd_http_process(struct dd_http *h, int timeout_ms)
{
	return h->impl->process(h, timeout_ms);
}

static inline size_t dd_http_pending(const struct dd_http *h)
{
	return h->impl->pending(h);
}

static inline void dd_http_destroy(struct dd_http *h)
{
	if (h)
		h->impl->destroy(h);
}

struct dd_http_curl_options {
	const char *ca_file; /* --ca-file: trust these CAs instead of the system's */
	int connect_timeout_ms;
	int timeout_ms; /* the whole transfer */
	/* For tests only: connect to this port whatever the URL says (the
	 * DMARC_DOCTOR_TEST_HTTPS_PORT environment variable); 0: the URL's. */
	uint16_t port_override;
};

/* Returns NULL and sets *err (owned) on failure. */
struct dd_http *dd_http_curl_create(const struct dd_http_curl_options *opts, char **err);

/* Canned responses, matched by URL; an unknown URL answers connect-error. */
struct dd_http *dd_http_fixture_create(void);
void dd_http_fixture_add(struct dd_http *h, const char *url, enum dd_fetch_status status,
                         long http_code, const char *content_type, const char *body,
                         size_t body_len);
/* How many fetches the fixture has served, and the addresses of the last one. */
size_t dd_http_fixture_served(const struct dd_http *h);
const char *dd_http_fixture_last_addr(const struct dd_http *h);
/* The most fetches that were running at once. */
size_t dd_http_fixture_peak(const struct dd_http *h);

#endif
