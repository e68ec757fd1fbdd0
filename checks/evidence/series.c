/*
 * series.c: what the HTML report draws from the evidence - messages per day
 * by sender class, DMARC passes per day, and the reporters. Counted while
 * evidence.c reads the rows, so the report rows are read once.
 */
#include <stdlib.h>
#include <string.h>

#include "evidence_int.h"
#include "dd/util.h"

#define DAY      86400
#define MAX_DAYS 400 /* a chart of more days than a year and a month is not read */

void ev_series_start(struct dd_evidence *e)
{
	int64_t first = e->from - e->from % DAY;
	size_t n = e->to > first ? (size_t)((e->to - first) / DAY) + 1 : 1;
	if (n > MAX_DAYS) { /* the newest days are the ones that matter */
		first += (int64_t)(n - MAX_DAYS) * DAY;
		n = MAX_DAYS;
	}
	e->daily = xcalloc(n, sizeof(*e->daily));
	e->ndaily = n;
	for (size_t i = 0; i < n; i++)
		e->daily[i].start = first + (int64_t)i * DAY;
}

static size_t day_index(const struct dd_evidence *e, int64_t t)
{
	if (t < e->daily[0].start)
		return 0;
	size_t i = (size_t)((t - e->daily[0].start) / DAY);
	return i < e->ndaily ? i : e->ndaily - 1;
}

/* A report over several days (weekly reporters exist) is spread evenly over
 * the days of its range inside the window, the remainder on the first. */
void ev_series_row(struct dd_evidence *e, const struct dd_report *rep, enum dd_sender_class cls,
                   bool pass, uint64_t n)
{
	if (!e->ndaily)
		return;
	size_t first = day_index(e, rep->begin);
	size_t last = day_index(e, rep->end > rep->begin ? rep->end - 1 : rep->begin);
	uint64_t k = last - first + 1, each = n / k, rem = n % k;
	for (size_t i = first; i <= last; i++) {
		uint64_t part = each + (i == first ? rem : 0);
		e->daily[i].by_class[cls] += part;
		if (pass)
			e->daily[i].dmarc_pass += part;
	}
}

void ev_series_report(struct dd_evidence *e, const char *reporter, uint64_t messages)
{
	struct dd_evidence_reporter *r = NULL;
	for (size_t i = 0; i < e->nreporter_list && !r; i++)
		if (strcmp(e->reporter_list[i].name, reporter) == 0)
			r = &e->reporter_list[i];
	if (!r) {
		e->reporter_list = xrealloc(e->reporter_list,
		                            (e->nreporter_list + 1) * sizeof(*e->reporter_list));
		r = &e->reporter_list[e->nreporter_list++];
		*r = (struct dd_evidence_reporter){ xstrdup(reporter), 0, 0 };
	}
	r->reports++;
	r->messages += messages;
}

static int busiest_first(const void *a, const void *b)
{
	const struct dd_evidence_reporter *x = a, *y = b;
	if (x->messages != y->messages)
		return x->messages < y->messages ? 1 : -1;
	return strcmp(x->name, y->name);
}

void ev_series_finish(struct dd_evidence *e)
{
	qsort(e->reporter_list, e->nreporter_list, sizeof(*e->reporter_list), busiest_first);
}

void ev_series_destroy(struct dd_evidence *e)
{
	for (size_t i = 0; i < e->nreporter_list; i++)
		free(e->reporter_list[i].name);
	free(e->reporter_list);
	free(e->daily);
}
