/*
 * evidence_int.h: what the files of checks/evidence/ share. Not an API.
 */
#ifndef DD_EVIDENCE_INT_H
#define DD_EVIDENCE_INT_H

#include "dd/evidence.h"

/* The Organizational Domain of `name` (the PSL view, else the domain's own). */
void ev_org_domain(const struct dd_evidence_input *in, const char *name, char *out, size_t outsz);
/* DMARC identifier alignment, RFC 9989 §4.4. */
bool ev_aligned(const struct dd_evidence_input *in, const char *auth, const char *header_from,
                bool strict);
/* A row of `domain` or of a name below it (its header_from). */
bool ev_row_concerns(const struct dd_report_row *row, const char *domain);
/* A row the service table names from its DKIM or SPF results alone: its
 * source needs no reverse DNS. */
bool ev_row_identified(const struct dd_report_row *row);
/* The /24 or /48 of an address. */
void ev_prefix(const char *ip, char *out, size_t outsz);

/* row_memo.c: rows equal in every field the judgement of a row reads
 * (evidence.c: read_row, identify, classify), and a hash of those that
 * vary most, to find the equal one. */
uint32_t ev_row_hash(const struct dd_report_row *row);
bool ev_rows_same(const struct dd_report *ra, const struct dd_report_row *a,
                  const struct dd_report *rb, const struct dd_report_row *b);

/* series.c: the daily series and the reporter list of the charts. */
void ev_series_start(struct dd_evidence *e);
void ev_series_row(struct dd_evidence *e, const struct dd_report *rep, enum dd_sender_class cls,
                   bool pass, uint64_t n);
/* One report of `reporter`, with `messages` in the rows of the domain. */
void ev_series_report(struct dd_evidence *e, const char *reporter, uint64_t messages);
void ev_series_finish(struct dd_evidence *e);
void ev_series_destroy(struct dd_evidence *e);

#endif
