/*
 * posture.c: every question asked for one domain, with its answer, indexed
 * by (name, type) so that checks can look records up while they judge.
 * The gather engine appends; checks only read.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/report.h"
#include "dd/util.h"

#define EMPTY_SLOT UINT32_MAX

struct dd_posture *dd_posture_create(const char *domain, const char *display,
                                     const struct dd_check_options *opts)
{
	struct dd_posture *p = xcalloc(1, sizeof(*p));
	p->domain = xstrdup(domain);
	p->display = xstrdup(display ? display : domain);
	p->opts = opts;
	return p;
}

void dd_posture_destroy(struct dd_posture *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nqueries; i++) {
		free(p->queries[i].name);
		dd_answer_unref(p->queries[i].answer);
	}
	free(p->queries);
	for (size_t i = 0; i < p->nfetches; i++) {
		struct dd_fetch *f = &p->fetches[i];
		free(f->url);
		free(f->host);
		free(f->content_type);
		free(f->body);
		free(f->error);
	}
	free(p->fetches);
	free(p->index);
	free(p->domain);
	free(p->display);
	if (p->reports) {
		dd_report_set_finish(p->reports);
		free(p->reports);
	}
	free(p);
}

static uint32_t key_hash(const char *name, uint16_t type)
{
	return dd_hash(name, strlen(name), type);
}

static void index_insert(uint32_t *index, size_t cap, const struct dd_query *queries, uint32_t qi)
{
	size_t mask = cap - 1;
	size_t h = key_hash(queries[qi].name, queries[qi].type) & mask;
	while (index[h] != EMPTY_SLOT)
		h = (h + 1) & mask;
	index[h] = qi;
}

static void index_grow(struct dd_posture *p)
{
	size_t cap = p->index_cap ? p->index_cap * 2 : 64;
	uint32_t *index = xmalloc(cap * sizeof(*index));
	memset(index, 0xff, cap * sizeof(*index));
	for (size_t i = 0; i < p->nqueries; i++)
		index_insert(index, cap, p->queries, (uint32_t)i);
	free(p->index);
	p->index = index;
	p->index_cap = cap;
}

long dd_posture_find(const struct dd_posture *p, const char *name, uint16_t type)
{
	if (!p->index_cap)
		return -1;
	size_t mask = p->index_cap - 1;
	size_t h = key_hash(name, type) & mask;
	for (; p->index[h] != EMPTY_SLOT; h = (h + 1) & mask) {
		const struct dd_query *q = &p->queries[p->index[h]];
		if (q->type == type && strcmp(q->name, name) == 0)
			return (long)p->index[h];
	}
	return -1;
}

const struct dd_answer *dd_posture_answer(const struct dd_posture *p, const char *name,
                                          uint16_t type)
{
	long qi = dd_posture_find(p, name, type);
	return qi < 0 ? NULL : p->queries[qi].answer;
}

size_t dd_posture_add(struct dd_posture *p, const char *name, uint16_t type, int32_t parent,
                      unsigned check)
{
	/* keep the index at most half full */
	if ((p->nqueries + 1) * 2 > p->index_cap)
		index_grow(p);
	p->queries = xgrow(p->queries, &p->cap, p->nqueries + 1, sizeof(*p->queries));
	struct dd_query *q = &p->queries[p->nqueries];
	memset(q, 0, sizeof(*q));
	q->name = xstrdup(name);
	q->type = type;
	q->askers = 1u << check;
	q->parent = parent;
	q->depth = parent < 0 ? 0 : (uint16_t)(p->queries[parent].depth + 1);
	index_insert(p->index, p->index_cap, p->queries, (uint32_t)p->nqueries);
	return p->nqueries++;
}

bool dd_wants_add(struct dd_wants *out, const char *name, uint16_t type)
{
	/* normalised straight into its place: no copy, no second strlen */
	out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	if (name[0] == '.' && name[1] == '\0') /* the root: DNSSEC asks for its DNSKEY */
		memcpy(out->v[out->n].name, ".", 2);
	else if (!dd_name_normalize(name, strlen(name), out->v[out->n].name,
	                            sizeof(out->v[out->n].name)))
		return false;
	out->v[out->n].type = type;
	out->n++;
	return true;
}

void dd_wants_finish(struct dd_wants *w)
{
	free(w->v);
	w->v = NULL;
	w->n = w->cap = 0;
	for (size_t i = 0; i < w->nurls; i++)
		free(w->urls[i]);
	free(w->urls);
	w->urls = NULL;
	w->nurls = w->urls_cap = 0;
}

bool dd_wants_fetch(struct dd_wants *out, const char *url, size_t len)
{
	char host[DD_NAME_MAX + 1];
	uint16_t port;
	if (!dd_url_parse_https(url, len, host, &port))
		return false;
	out->urls = xgrow(out->urls, &out->urls_cap, out->nurls + 1, sizeof(*out->urls));
	out->urls[out->nurls++] = xstrndup(url, len);
	return true;
}

const struct dd_fetch *dd_posture_fetch(const struct dd_posture *p, const char *url)
{
	for (size_t i = 0; i < p->nfetches; i++)
		if (strcmp(p->fetches[i].url, url) == 0)
			return &p->fetches[i];
	return NULL;
}

size_t dd_posture_add_fetch(struct dd_posture *p, const char *url, const char *host, uint16_t port,
                            int32_t parent, unsigned check)
{
	p->fetches = xgrow(p->fetches, &p->fetches_cap, p->nfetches + 1, sizeof(*p->fetches));
	struct dd_fetch *f = &p->fetches[p->nfetches];
	memset(f, 0, sizeof(*f));
	f->url = xstrdup(url);
	f->host = xstrdup(host);
	f->port = port;
	f->parent = parent;
	f->askers = 1u << check;
	f->addr_q[0] = f->addr_q[1] = -1;
	f->status = DD_FETCH_NOT_FETCHED;
	return p->nfetches++;
}
