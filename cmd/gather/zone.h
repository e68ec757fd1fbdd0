/*
 * zone.h: a proposed zone, read from a file and answered from memory as its
 * authoritative server would answer (RFC 1034 §4.3.2), with the file and line
 * of every record. Two file formats:
 *
 *   BIND master files (RFC 1035 §5: $ORIGIN, $TTL, $INCLUDE, parentheses,
 *   quoted strings), read in zone_bind.c;
 *   octoDNS YAML (top-level keys are owner names relative to the zone,
 *   '' the apex), read in zone_yaml.c.
 *
 * The overlay resolver (resolver_zone.c) asks a zone for names at or below
 * its origin; everything else goes to live DNS.
 */
#ifndef DD_ZONE_H
#define DD_ZONE_H

#include <stdbool.h>
#include <stdint.h>

#include "dd/types.h"

/* Limits that keep a hostile file from exhausting memory or recursing. */
#define DD_ZONE_MAX_BYTES    (64u << 20) /* all files of one zone together */
#define DD_ZONE_MAX_RECORDS  1000000u
#define DD_ZONE_MAX_INCLUDES 8 /* $INCLUDE nesting depth */

/* Why a zone could not be loaded: the place and the reason (owned). */
struct dd_zone_error {
	char *file;
	uint32_t line; /* 0: the file as a whole */
	uint32_t column;
	char *message;
};

void dd_zone_error_finish(struct dd_zone_error *err);
/* "FILE:LINE:COL: error: MESSAGE", as a compiler says it (owned). */
char *dd_zone_error_format(const struct dd_zone_error *err);

struct dd_zone;

/*
 * Read a zone. `origin` (normalised, may be NULL) overrides what the file
 * says; without it the origin comes from the file ($ORIGIN or the SOA owner
 * for BIND) or from its name (dd_zone_origin_from_name). Files ending in
 * .yaml or .yml are octoDNS, anything else BIND. `path` is kept as given:
 * every answer and finding names the file that way.
 * Returns NULL and fills *err on any error.
 */
struct dd_zone *dd_zone_load(const char *path, const char *origin, struct dd_zone_error *err);
void dd_zone_destroy(struct dd_zone *z); /* accepts NULL */

const char *dd_zone_origin(const struct dd_zone *z);
const char *dd_zone_path(const struct dd_zone *z);
size_t dd_zone_record_count(const struct dd_zone *z);

/*
 * The zone's answer to (qname, qtype); qname is normalised and at or below
 * the origin. NULL when the name is at or below a delegation (an NS set
 * below the apex): that data lives in another zone. A CNAME whose target is
 * outside the zone gives an answer with the chain and no records (status
 * NODATA), as an authoritative server sends it; the gather engine asks for
 * the target.
 */
struct dd_answer *dd_zone_answer(const struct dd_zone *z, const char *qname, uint16_t qtype);

/*
 * The origin a file name implies, or NULL: "NAME.zone", "NAME.db",
 * "NAME.yaml", "NAME.yml" and "db.NAME" give NAME when it is a domain name
 * of two labels or more.
 */
char *dd_zone_origin_from_name(const char *path);

#endif
