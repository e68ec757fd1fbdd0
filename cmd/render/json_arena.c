/*
 * json_arena.c: see json_arena.h.
 */
#include <cjson/cJSON.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "render/json_arena.h"
#include "dd/util.h"

#define CHUNK (64u << 10)
#define KEEP  (1u << 20) /* chunks kept for the next result; a huge one gives the rest back */

struct chunk {
	struct chunk *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

static struct chunk *chunks; /* the current one first */
static bool active, hooked;

static bool in_arena(const void *p)
{
	for (const struct chunk *c = chunks; c; c = c->next)
		if ((const unsigned char *)p >= c->data &&
		    (const unsigned char *)p < c->data + c->size)
			return true;
	return false;
}

static void *arena_malloc(size_t n)
{
	if (!active)
		return malloc(n);
	n = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	if (!chunks || chunks->size - chunks->used < n) {
		size_t size = n > CHUNK ? n : CHUNK;
		struct chunk *c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		c->next = chunks;
		chunks = c;
	}
	void *p = chunks->data + chunks->used;
	chunks->used += n;
	return p;
}

static void arena_free(void *p)
{
	if (p && !in_arena(p))
		free(p); /* made outside begin/end */
}

void dd_json_arena_begin(void)
{
	if (!hooked) {
		cJSON_Hooks h = { arena_malloc, arena_free };
		cJSON_InitHooks(&h);
		hooked = true;
	}
	active = true;
}

void dd_json_arena_end(void)
{
	active = false;
	size_t kept = 0;
	struct chunk **pp = &chunks;
	while (*pp) {
		struct chunk *c = *pp;
		if (kept + c->size <= KEEP) {
			kept += c->size;
			c->used = 0;
			pp = &c->next;
		} else {
			*pp = c->next;
			free(c);
		}
	}
}
