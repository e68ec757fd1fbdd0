/*
 * posture.c: every question asked for one domain, with its answer, indexed
 * by (name, type) so that checks can look records up while they judge.
 * The gather engine appends; checks only read.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
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
	free(p->index);
	free(p->domain);
	free(p->display);
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
	if (!dd_name_normalize(name, strlen(name), out->v[out->n].name,
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
}
