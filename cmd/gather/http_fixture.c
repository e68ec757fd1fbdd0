/*
 * http_fixture.c: canned HTTPS responses for unit tests, by URL. Like the
 * real transport it answers only from process(), never from fetch(), and
 * needs the host's addresses: a fetch without any is a programming error
 * of the engine, answered connect-error so that a test sees it.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/util.h"
#include "gather/http.h"

struct canned {
	char *url;
	enum dd_fetch_status status;
	long code;
	char *ctype;
	char *body;
	size_t len;
};

struct pending {
	const struct canned *c; /* NULL: unknown URL */
	bool no_addr;
	dd_http_cb cb;
	void *arg;
};

struct http_fixture {
	struct dd_http base;
	struct canned *v;
	size_t n, cap;
	struct pending *q;
	size_t nq, qcap;
	size_t served;
	size_t peak; /* most fetches waiting at once */
	char last_addr[64];
};

static void fx_fetch(struct dd_http *base, const struct dd_http_request *req, dd_http_cb cb,
                     void *arg)
{
	struct http_fixture *h = (struct http_fixture *)base;
	const struct canned *c = NULL;
	for (size_t i = 0; i < h->n && !c; i++)
		if (strcmp(h->v[i].url, req->url) == 0)
			c = &h->v[i];
	if (req->naddrs) {
		size_t l = strlen(req->addrs[0]);
		l = l < sizeof(h->last_addr) - 1 ? l : sizeof(h->last_addr) - 1;
		memcpy(h->last_addr, req->addrs[0], l);
		h->last_addr[l] = '\0';
	}
	h->q = xgrow(h->q, &h->qcap, h->nq + 1, sizeof(*h->q));
	h->q[h->nq++] = (struct pending){ c, req->naddrs == 0, cb, arg };
	if (h->nq > h->peak)
		h->peak = h->nq;
}

static size_t fx_process(struct dd_http *base, int timeout_ms)
{
	struct http_fixture *h = (struct http_fixture *)base;
	(void)timeout_ms;
	/* callbacks may fetch again: take the batch first */
	struct pending *batch = h->q;
	size_t n = h->nq;
	h->q = NULL;
	h->nq = h->qcap = 0;
	for (size_t i = 0; i < n; i++) {
		const struct canned *c = batch[i].no_addr ? NULL : batch[i].c;
		struct dd_http_response resp = { .status = DD_FETCH_CONNECT_ERROR };
		if (c) {
			resp.status = c->status;
			resp.http_code = c->code;
			resp.content_type = c->ctype;
			if (c->status == DD_FETCH_OK) {
				resp.body = c->body;
				resp.body_len = c->len;
			}
		} else {
			resp.error = batch[i].no_addr ? "no address given" : "no such fixture URL";
		}
		h->served++;
		batch[i].cb(batch[i].arg, &resp);
	}
	free(batch);
	return h->nq;
}

static size_t fx_pending(const struct dd_http *base)
{
	return ((const struct http_fixture *)base)->nq;
}

static void fx_destroy(struct dd_http *base)
{
	struct http_fixture *h = (struct http_fixture *)base;
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].url);
		free(h->v[i].ctype);
		free(h->v[i].body);
	}
	free(h->v);
	free(h->q);
	free(h);
}

static const struct dd_http_impl fixture_impl = {
	.name = "fixture",
	.fetch = fx_fetch,
	.process = fx_process,
	.pending = fx_pending,
	.destroy = fx_destroy,
};

struct dd_http *dd_http_fixture_create(void)
{
	struct http_fixture *h = xcalloc(1, sizeof(*h));
	h->base.impl = &fixture_impl;
	return &h->base;
}

void dd_http_fixture_add(struct dd_http *base, const char *url, enum dd_fetch_status status,
                         long http_code, const char *content_type, const char *body,
                         size_t body_len)
{
	struct http_fixture *h = (struct http_fixture *)base;
	h->v = xgrow(h->v, &h->cap, h->n + 1, sizeof(*h->v));
	struct canned *c = &h->v[h->n++];
	c->url = xstrdup(url);
	c->status = status;
	c->code = http_code;
	c->ctype = content_type ? xstrdup(content_type) : NULL;
	c->body = xmalloc(body_len + 1);
	if (body_len)
		memcpy(c->body, body, body_len);
	c->body[body_len] = '\0';
	c->len = body_len;
}

size_t dd_http_fixture_served(const struct dd_http *base)
{
	return ((const struct http_fixture *)base)->served;
}

size_t dd_http_fixture_peak(const struct dd_http *base)
{
	return ((const struct http_fixture *)base)->peak;
}

const char *dd_http_fixture_last_addr(const struct dd_http *base)
{
	return ((const struct http_fixture *)base)->last_addr;
}
