/*
 * nameset.c: see nameset.h.
 */
#include <stdlib.h>
#include <string.h>

#include "nameset.h"
#include "dd/util.h"

void dd_nameset_init(struct dd_nameset *s)
{
	memset(s, 0, sizeof(*s));
}

void dd_nameset_finish(struct dd_nameset *s)
{
	free(s->slots);
	free(s->v);
	free(s->text);
	memset(s, 0, sizeof(*s));
}

/* The slot of name, or of the empty slot where it belongs. */
static size_t find(const struct dd_nameset *s, const char *name, uint32_t h)
{
	size_t mask = s->nslots - 1, i = h & mask;
	while (s->slots[i]) {
		const struct dd_nameset_entry *e = &s->v[s->slots[i] - 1];
		if (e->hash == h && strcmp(s->text + e->off, name) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static void grow(struct dd_nameset *s)
{
	size_t n = s->nslots ? s->nslots * 2 : 64;
	free(s->slots);
	s->slots = xcalloc(n, sizeof(*s->slots));
	s->nslots = n;
	for (size_t k = 0; k < s->n; k++) {
		size_t i = s->v[k].hash & (n - 1);
		while (s->slots[i])
			i = (i + 1) & (n - 1);
		s->slots[i] = (uint32_t)(k + 1);
	}
}

bool dd_nameset_has(const struct dd_nameset *s, const char *name)
{
	if (!s->n)
		return false;
	return s->slots[find(s, name, dd_hash(name, strlen(name), 0))] != 0;
}

bool dd_nameset_add(struct dd_nameset *s, const char *name)
{
	size_t len = strlen(name);
	uint32_t h = dd_hash(name, len, 0);
	if ((s->n + 1) * 2 > s->nslots)
		grow(s); /* at most half full */
	size_t i = find(s, name, h);
	if (s->slots[i]) {
		s->v[s->slots[i] - 1].count++;
		return false;
	}
	s->text = xgrow(s->text, &s->text_cap, s->len + len + 1, 1);
	memcpy(s->text + s->len, name, len + 1);
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n] = (struct dd_nameset_entry){ s->len, 1, h };
	s->len += len + 1;
	s->slots[i] = (uint32_t)(++s->n);
	return true;
}
