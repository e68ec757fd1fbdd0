/*
 * row_memo.c: which report rows say the same thing about a sender.
 *
 * A year of reports repeats the same rows: each reporter writes one a day
 * for every source address that sent, with the same results (the bench
 * store: 64 rows a domain in 30 days, 4 distinct). What evidence.c decides
 * of a row (its alignment, its service, its class: RFC 9989 §4.4, §5.1)
 * depends only on the fields compared here, so a row equal to one already
 * judged in the same build takes that judgement and adds only its count,
 * its day and its source. Equal means byte-equal: two rows that differ
 * only in case are judged twice, never judged wrong.
 */
#include <string.h>

#include "evidence_int.h"
#include "dd/util.h"

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* A string's length and its first byte: enough to spread the rows of one
 * source over the table, far cheaper than hashing every name of every row
 * (a collision only judges a row again). */
static uint32_t mix(const char *s, uint32_t h)
{
	if (!s)
		return h * 31u + 7u;
	return (h ^ ((uint32_t)strlen(s) << 8 | (unsigned char)s[0])) * 16777619u;
}

/* The fields that tell apart the rows of one source: its results, first of
 * all, so that a source whose DKIM passes on some days and fails on others
 * does not take turns in one slot of the table. */
uint32_t ev_row_hash(const struct dd_report_row *row)
{
	uint32_t h = (uint32_t)(row->ndkim * 16 + row->nspf * 4 + row->nreasons);
	h = dd_hash(row->source_ip, strlen(row->source_ip), h);
	h = mix(row->header_from, h);
	if (row->ndkim)
		h = mix(row->dkim[0].result, mix(row->dkim[0].domain, h));
	if (row->nspf)
		h = mix(row->spf[0].result, h);
	if (row->nreasons)
		h = mix(row->reasons[0].type, h);
	return h;
}

bool ev_rows_same(const struct dd_report *ra, const struct dd_report_row *a,
                  const struct dd_report *rb, const struct dd_report_row *b)
{
	/* the report's alignment modes decide strict or relaxed (RFC 9989 §4.4) */
	if (!same(ra->adkim, rb->adkim) || !same(ra->aspf, rb->aspf))
		return false;
	if (strcmp(a->source_ip, b->source_ip) != 0 || !same(a->header_from, b->header_from) ||
	    !same(a->envelope_from, b->envelope_from) || !same(a->dkim_eval, b->dkim_eval) ||
	    !same(a->spf_eval, b->spf_eval))
		return false;
	if (a->ndkim != b->ndkim || a->nspf != b->nspf || a->nreasons != b->nreasons)
		return false;
	for (size_t i = 0; i < a->ndkim; i++)
		if (!same(a->dkim[i].domain, b->dkim[i].domain) ||
		    !same(a->dkim[i].selector, b->dkim[i].selector) ||
		    !same(a->dkim[i].result, b->dkim[i].result))
			return false;
	for (size_t i = 0; i < a->nspf; i++)
		if (!same(a->spf[i].domain, b->spf[i].domain) ||
		    !same(a->spf[i].scope, b->spf[i].scope) ||
		    !same(a->spf[i].result, b->spf[i].result))
			return false;
	for (size_t i = 0; i < a->nreasons; i++)
		if (!same(a->reasons[i].type, b->reasons[i].type))
			return false;
	return true;
}
