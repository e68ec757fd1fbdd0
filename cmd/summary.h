/*
 * summary.h: what support staff read after a batch (--summary, and at the
 * end of every batch on a terminal): how many domains stand at each DMARC
 * stage, how many are undetermined or failed, and the ten findings most
 * domains have. The same numbers come from a run's results or from merged
 * --format jsonl files (--summary-from), so that a list split over several
 * hosts sums up as one run.
 */
#ifndef DD_SUMMARY_H
#define DD_SUMMARY_H

#include <stdio.h>

#include "dd/check.h"
#include "gather/gather.h"
#include "nameset.h"

struct dd_summary {
	size_t domains;
	size_t stage[5]; /* by enum dd_stage: missing, none, quarantine, reject, unknown */
	size_t undetermined;
	size_t errors;
	size_t bad_input;
	struct dd_nameset findings; /* id -> domains that have it */
	/* --summary-from */
	struct dd_nameset seen; /* domains, so that overlapping files count once */
	size_t duplicates;
	size_t skipped_lines;
};

void dd_summary_init(struct dd_summary *s);
void dd_summary_finish(struct dd_summary *s);
void dd_summary_add_result(struct dd_summary *s, const struct dd_result *r, bool bad_input);
/* One --format jsonl line; false when it is no result (truncated, not JSON). */
bool dd_summary_add_json(struct dd_summary *s, const char *line, size_t len);
/* stats may be NULL (--summary-from: the questions were counted elsewhere).
 * The words follow --lang; the finding ids and numbers do not change. */
void dd_summary_print(const struct dd_summary *s, FILE *out, double seconds,
                      const struct dd_gather_stats *stats, enum dd_lang lang);
/* --summary-from: the exit code (0, or 2 when a file could not be read). */
int dd_summary_from_files(const char *const *files, size_t n, FILE *out, FILE *err,
                          enum dd_lang lang);

#endif
