/*
 * nameset.h: a set of names (domains, finding ids) with a count each, for
 * the batch driver: the domains already checked (duplicates in the input,
 * --resume) and the findings of the summary. Open addressing over entries
 * kept in the order added; the names are copied into one growing block, so
 * a set of 100 000 domains costs a few MiB and no allocation per name.
 */
#ifndef DD_NAMESET_H
#define DD_NAMESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dd_nameset_entry {
	size_t off; /* into text */
	size_t count;
	uint32_t hash;
};

struct dd_nameset {
	uint32_t *slots; /* 1 + index into v; 0: empty */
	size_t nslots;
	struct dd_nameset_entry *v;
	size_t n, cap;
	char *text;
	size_t len, text_cap;
};

void dd_nameset_init(struct dd_nameset *s);
void dd_nameset_finish(struct dd_nameset *s);
/* Counts name once more; true when it was not in the set before. */
bool dd_nameset_add(struct dd_nameset *s, const char *name);
bool dd_nameset_has(const struct dd_nameset *s, const char *name);
/* Entry i, in the order added. */
static inline const char *dd_nameset_name(const struct dd_nameset *s, size_t i)
{
	return s->text + s->v[i].off;
}

#endif
