/*
 * zone_internal.h: what the zone readers (zone_bind.c, zone_yaml.c) share
 * with the zone model (zone.c). Not for other modules: they use zone.h.
 */
#ifndef DD_ZONE_INTERNAL_H
#define DD_ZONE_INTERNAL_H

#include <ldns/ldns.h>
#include <stdarg.h>

#include "gather/zone.h"

/* One record as read; `rr` is NULL for a type we keep only so that its
 * owner exists (an octoDNS provider type such as Route53Provider/ALIAS). */
struct zone_record {
	char *owner; /* lowercase, no trailing dot, as dd_wire_name() writes it */
	uint16_t type;
	ldns_rr *rr;
	const char *file; /* interned in the zone */
	uint32_t line;
};

/* A name of the zone: an owner of records, or an empty non-terminal. */
struct zone_node {
	char *name;
	struct zone_node *next; /* hash bucket */
	size_t *recs;           /* indexes into zone.recs, in file order */
	size_t nrecs;
	const char *first_file; /* where the owner first appears */
	uint32_t first_line;
};

struct dd_zone {
	char *path;   /* as given */
	char *origin; /* normalised */
	bool yaml;
	struct zone_record *recs;
	size_t nrecs, recs_cap;
	char **files; /* the file names answers point at, interned */
	size_t nfiles;
	size_t bytes_read; /* over all files, for DD_ZONE_MAX_BYTES */
	struct zone_node **buckets;
	size_t nbuckets;
	const char *anchor_file; /* where findings about no single record point */
	uint32_t anchor_line;
};

const char *zone_intern_file(struct dd_zone *z, const char *name);

/* Takes ownership of rr (freed on failure too). False when a limit is hit. */
bool zone_add(struct dd_zone *z, char *owner_own, uint16_t type, ldns_rr *rr, const char *file,
              uint32_t line, struct dd_zone_error *err);

bool zone_fail(struct dd_zone_error *err, const char *file, uint32_t line, uint32_t column,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Read a whole file into memory (NUL-terminated), counting it against the
 * zone's byte budget. `display` names it in errors.
 */
bool zone_slurp(struct dd_zone *z, const char *path, const char *display, char **out, size_t *len,
                struct dd_zone_error *err);

/* The readers set z->origin (unless `origin` is given) and add the records. */
bool zone_read_bind(struct dd_zone *z, const char *origin, struct dd_zone_error *err);
bool zone_read_yaml(struct dd_zone *z, const char *origin, struct dd_zone_error *err);

#endif
