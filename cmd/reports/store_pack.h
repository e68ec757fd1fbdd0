/*
 * store_pack.h: a report's rows of one header_from key, with the report's
 * own fields, packed into one text column of the store (schema v5), so
 * that a domain's load reads one table row a report: one row a record and
 * one lookup a report for its fields were most of a load (README "Report
 * evidence" has the measurement).
 *
 * The packing: the report's PACK_META_FIELDS fields (org_name, email,
 * extra_contact_info, report_id, generator, domain, p, sp, np, adkim, aspf,
 * fo, testing, discovery_method), each US (0x1f) and the text or SUB
 * (0x1a) for an absent one; then each row: GS (0x1d), its fields (seq,
 * source_ip, count, disposition, dkim_eval, spf_eval, header_from,
 * envelope_from, envelope_to; seq and count in decimal), then its results
 * and reasons as items (store_auth.h). The report's numbers (begin, end,
 * schema, pct) are columns beside it: the load's window tests them.
 */
#ifndef DD_STORE_PACK_H
#define DD_STORE_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include "dd/report.h"
#include "dd/util.h"

#define DD_PACK_META_FIELDS 14
#define DD_PACK_ROW_FIELDS  9

/* Where r keeps its DD_PACK_META_FIELDS text fields, in the packing's order. */
void dd_store_meta_slots(struct dd_report *r, char **slots[DD_PACK_META_FIELDS]);
/* The report's fields, the start of each of its packs. False when one
 * holds a separator. */
bool dd_store_pack_meta(const struct dd_report *r, struct dd_strbuf *b);
/* One row, its place in the report `seq`. False when a value holds a
 * separator. */
bool dd_store_pack_row(const struct dd_report_row *row, size_t seq, struct dd_strbuf *b);
/* One row from text fields (the v4 -> v5 migration: a v4 row's columns and
 * its packed results, appended as they are). */
void dd_store_pack_row_text(struct dd_strbuf *b, const char *const fields[DD_PACK_ROW_FIELDS],
                            const char *auth);

/* The seq of each row read, in the order read (a report's rows split over
 * several packs are put back in seq order with them). */
struct dd_pack_seqs {
	size_t *v;
	size_t n, cap;
};

/* Reads a pack into r: the report's fields when `meta` (r's strings then
 * in `set`'s arena), and its rows appended to r's; each row's seq appended
 * to `seqs` when not NULL. False when the text is not a pack (a damaged
 * store): r keeps what was read. */
bool dd_store_unpack(const char *text, struct dd_report *r, struct dd_report_set *set, bool meta,
                     struct dd_pack_seqs *seqs);

#endif
