/*
 * store_auth.h: a row's auth results and override reasons packed into one
 * text column of the store (schema v4), so that a row is one INSERT
 * whatever its number of results.
 *
 * The packing: one item per result, in the order DKIM results, SPF
 * results, reasons, each in its report's order. An item is RS (0x1e), a
 * kind ('d' DKIM, 's' SPF, 'r' reason), then its fields in struct order
 * (DKIM: domain selector result human_result; SPF: domain scope result
 * human_result; reason: type comment), each US (0x1f) and the text, or SUB
 * (0x1a) for an absent field. XML 1.0 cannot carry these control characters
 * (not even as character references), so no reported value holds them; a
 * value that does (a struct built by hand) is refused, never mangled.
 * Since v5 these items follow their row inside a pack (store_pack.h), whose
 * rows begin with GS (0x1d), a fourth character no value may hold.
 */
#ifndef DD_STORE_AUTH_H
#define DD_STORE_AUTH_H

#include <stdbool.h>

#include "dd/report.h"
#include "dd/util.h"

#define DD_PACK_ROW   '\x1d' /* store_pack.h */
#define DD_AUTH_ITEM  '\x1e'
#define DD_AUTH_FIELD '\x1f'
#define DD_AUTH_NULL  '\x1a'
/* Every separator of the store's packings, for strcspn(). */
#define DD_PACK_SEPARATORS "\x1a\x1d\x1e\x1f"

/* Whether text (NULL: absent) can be packed: it holds no separator. */
bool dd_store_pack_clean(const char *text);
/* One field: US and the text, or SUB for NULL. */
void dd_store_pack_field(struct dd_strbuf *b, const char *text);
/* Reads one field at *p into *out (a copy in `set`'s arena, NULL for SUB;
 * out NULL: passed over) and leaves *p after it; false when *p is not a
 * field. */
bool dd_store_read_field(struct dd_report_set *set, const char **p, char **out);

/* Appends the packing of `row`'s results to `b` (b->len 0: nothing to
 * store, NULL in the column). False when a value holds a separator. */
bool dd_store_auth_pack(const struct dd_report_row *row, struct dd_strbuf *b);

/* Adds the items at p to `row` (which has none yet), up to the end of the
 * text or the next row of a pack (DD_PACK_ROW), their arrays and strings
 * in `set`'s arena (the row's report has arena_strings and arena_items).
 * Returns where the items end, NULL when the text is not a packing (a
 * damaged store); the items read before stay. */
const char *dd_store_auth_read(const char *p, struct dd_report_row *row, struct dd_report_set *set);

/* One item, for the v3 -> v4 migration's SQL function dd_auth_item(kind,
 * field, ...): appends it to `b`. */
void dd_store_auth_item(struct dd_strbuf *b, char kind, const char *const *fields, int n);

#endif
