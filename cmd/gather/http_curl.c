/*
 * http_curl.c: HTTPS fetches through libcurl's multi interface - many
 * transfers at once on one thread, driven from the gather engine's loop.
 *
 * Every transfer: https only (also for redirects, which are never
 * followed: RFC 8461 §3.3 says a policy "MUST NOT" be fetched through one),
 * the peer's certificate and name verified against the system CAs or
 * --ca-file, no proxy from the environment, no cookies, no netrc, no
 * compression (a small body cannot become a large one), a body cap, and
 * connect and total timeouts. The host's addresses come from the caller
 * (CURLOPT_RESOLVE), so curl never asks the system resolver and
 * --resolver/--zone hold for HTTP as for DNS.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/types.h"
#include "dd/util.h"
#include "gather/http.h"

struct transfer {
	struct http_curl *h;
	struct transfer *prev, *next; /* the running transfers */
	CURL *easy;
	struct curl_slist *resolve;
	struct curl_slist *connect_to;
	dd_http_cb cb;
	void *arg;
	char *body;
	size_t len, cap, max;
	bool too_large;
	char errbuf[CURL_ERROR_SIZE];
};

struct http_curl {
	struct dd_http base;
	CURLM *multi;
	struct dd_http_curl_options opts;
	char *ca_file;
	size_t running;
	struct transfer *head;
	/* transfers that could not even start: answered from process() */
	struct failed {
		dd_http_cb cb;
		void *arg;
		char *error;
		struct failed *next;
	} * failed;
	size_t nfailed;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct transfer *t = ud;
	size_t n = size * nmemb;
	if (t->len + n > t->max) {
		t->too_large = true;
		return 0; /* CURLE_WRITE_ERROR: the transfer stops here */
	}
	t->body = xgrow(t->body, &t->cap, t->len + n + 1, 1);
	memcpy(t->body + t->len, data, n);
	t->len += n;
	t->body[t->len] = '\0';
	return n;
}

static void fail_later(struct http_curl *h, dd_http_cb cb, void *arg, const char *why)
{
	struct failed *f = xcalloc(1, sizeof(*f));
	*f = (struct failed){ cb, arg, xstrdup(why), h->failed };
	h->failed = f;
	h->nfailed++;
}

static bool set_addresses(struct transfer *t, const struct dd_http_request *req, uint16_t port)
{
	/* "host:port:addr1,addr2,[v6]" (curl 7.59+: several addresses) */
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_addf(&b, "%s:%u:", req->host, port);
	for (size_t i = 0; i < req->naddrs; i++) {
		bool v6 = strchr(req->addrs[i], ':') != NULL;
		dd_strbuf_addf(&b, "%s%s%s%s", i ? "," : "", v6 ? "[" : "", req->addrs[i],
		               v6 ? "]" : "");
	}
	t->resolve = curl_slist_append(NULL, b.s);
	dd_strbuf_finish(&b);
	return t->resolve != NULL;
}

static void curl_fetch(struct dd_http *base, const struct dd_http_request *req, dd_http_cb cb,
                       void *arg)
{
	struct http_curl *h = (struct http_curl *)base;
	struct transfer *t = xcalloc(1, sizeof(*t));
	t->h = h;
	t->cb = cb;
	t->arg = arg;
	t->max = req->max_body;
	t->easy = curl_easy_init();
	uint16_t port = h->opts.port_override ? h->opts.port_override : req->port;
	if (!t->easy || !set_addresses(t, req, port)) {
		fail_later(h, cb, arg, "out of memory");
		goto fail;
	}
	if (h->opts.port_override) {
		/* tests only: the URL's port is reached at the test server's */
		char ct[DD_NAME_MAX * 2 + 32];
		snprintf(ct, sizeof(ct), "%s:%u:%s:%u", req->host, req->port, req->host, port);
		t->connect_to = curl_slist_append(NULL, ct);
	}
	CURL *e = t->easy;
	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_RESOLVE, t->resolve);
	if (t->connect_to)
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, t->connect_to);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_file);
	curl_easy_setopt(e, CURLOPT_PROXY, ""); /* never https_proxy from the environment */
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)h->opts.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)h->opts.timeout_ms);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_body);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "dmarc-doctor/" DD_VERSION);
	/* no CURLOPT_COOKIEFILE: the cookie engine stays off */
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
		fail_later(h, cb, arg, "the transfer could not be started");
		goto fail;
	}
	h->running++;
	t->next = h->head;
	if (h->head)
		h->head->prev = t;
	h->head = t;
	return;
fail:
	curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->resolve);
	curl_slist_free_all(t->connect_to);
	free(t);
}

static enum dd_fetch_status map_result(const struct transfer *t, CURLcode rc, long code)
{
	if (t->too_large || rc == CURLE_FILESIZE_EXCEEDED)
		return DD_FETCH_TOO_LARGE;
	switch (rc) {
	case CURLE_OK: break;
	case CURLE_OPERATION_TIMEDOUT: return DD_FETCH_TIMEOUT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH: return DD_FETCH_TLS_ERROR;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING: return DD_FETCH_CONNECT_ERROR;
	default: return DD_FETCH_CONNECT_ERROR;
	}
	if (code >= 300 && code < 400)
		return DD_FETCH_REDIRECT_REFUSED;
	if (code != 200)
		return DD_FETCH_HTTP_ERROR;
	return DD_FETCH_OK;
}

static void transfer_free(struct http_curl *h, struct transfer *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		h->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	curl_multi_remove_handle(h->multi, t->easy);
	curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->resolve);
	curl_slist_free_all(t->connect_to);
	free(t->body);
	free(t);
}

static void finish(struct http_curl *h, struct transfer *t, CURLcode rc)
{
	long code = 0;
	char *ctype = NULL;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ctype);
	struct dd_http_response resp = {
		.status = map_result(t, rc, code),
		.http_code = code,
		.content_type = ctype,
	};
	if (resp.status == DD_FETCH_OK) {
		resp.body = t->body ? t->body : "";
		resp.body_len = t->len;
	}
	if (rc != CURLE_OK && !t->too_large)
		resp.error = t->errbuf[0] ? t->errbuf : (char *)curl_easy_strerror(rc);
	h->running--;
	t->cb(t->arg, &resp); /* ctype belongs to the handle: valid until cleanup */
	transfer_free(h, t);
}

static size_t curl_process(struct dd_http *base, int timeout_ms)
{
	struct http_curl *h = (struct http_curl *)base;
	while (h->failed) {
		struct failed *f = h->failed;
		h->failed = f->next;
		h->nfailed--;
		struct dd_http_response resp = { .status = DD_FETCH_CONNECT_ERROR,
			                         .error = f->error };
		f->cb(f->arg, &resp);
		free(f->error);
		free(f);
		timeout_ms = 0;
	}
	if (!h->running)
		return 0;
	int still = 0;
	curl_multi_perform(h->multi, &still);
	if ((size_t)still == h->running && timeout_ms != 0) {
		curl_multi_poll(h->multi, NULL, 0, timeout_ms < 0 ? 1000 : timeout_ms, NULL);
		curl_multi_perform(h->multi, &still);
	}
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(h->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct transfer *t = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		finish(h, t, msg->data.result);
	}
	return h->running + h->nfailed;
}

static size_t curl_pending(const struct dd_http *base)
{
	const struct http_curl *h = (const struct http_curl *)base;
	return h->running + h->nfailed;
}

static void curl_destroy(struct dd_http *base)
{
	struct http_curl *h = (struct http_curl *)base;
	/* transfers still running are dropped without a callback */
	while (h->head)
		transfer_free(h, h->head);
	while (h->failed) {
		struct failed *f = h->failed;
		h->failed = f->next;
		free(f->error);
		free(f);
	}
	curl_multi_cleanup(h->multi);
	curl_global_cleanup();
	free(h->ca_file);
	free(h);
}

static const struct dd_http_impl curl_impl = {
	.name = "curl",
	.fetch = curl_fetch,
	.process = curl_process,
	.pending = curl_pending,
	.destroy = curl_destroy,
};

struct dd_http *dd_http_curl_create(const struct dd_http_curl_options *opts, char **err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		*err = xstrdup("libcurl could not be initialised");
		return NULL;
	}
	curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	if (!v || !(v->features & CURL_VERSION_SSL)) {
		curl_global_cleanup();
		*err = xstrdup("libcurl was built without TLS");
		return NULL;
	}
	struct http_curl *h = xcalloc(1, sizeof(*h));
	h->base.impl = &curl_impl;
	h->opts = *opts;
	if (opts->ca_file)
		h->ca_file = xstrdup(opts->ca_file);
	h->multi = curl_multi_init();
	if (!h->multi) {
		free(h->ca_file);
		free(h);
		curl_global_cleanup();
		*err = xstrdup("libcurl could not be initialised");
		return NULL;
	}
	return &h->base;
}
