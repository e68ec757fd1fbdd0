/*
 * baseline.h: --baseline FILE.json - a result saved earlier with
 * --format json (one object, an array, or JSON lines) - so that a CI gate
 * fails only on what got worse:
 *
 *   a new finding     its id and subject (the DNS name it is about: the last
 *                     name of its evidence chain, else the domain) are not in
 *                     the baseline as often as now. Lines are not compared:
 *                     they move whenever a line is added above them.
 *   a weaker policy   the DMARC policy that applies is weaker than the
 *                     baseline's (reject > quarantine > none > no record):
 *                     baseline.policy-weaker
 *   more lookups      the SPF tree needs more than 10 lookups and more than
 *                     the baseline's count: baseline.spf-lookups-increased
 *
 * Findings the baseline has are marked `known`; they stay in the output but
 * never fail the gate.
 */
#ifndef DD_BASELINE_H
#define DD_BASELINE_H

#include "dd/check.h"

struct dd_baseline;

/* NULL with a message in *err (owned) when the file is missing or not a saved result. */
struct dd_baseline *dd_baseline_load(const char *path, char **err);
/* The same, from text in memory; `label` names it in errors. */
struct dd_baseline *dd_baseline_parse(const char *text, size_t len, const char *label, char **err);
void dd_baseline_destroy(struct dd_baseline *b); /* accepts NULL */

/* Mark the known findings of a judged result and add the regressions. */
void dd_baseline_apply(const struct dd_baseline *b, struct dd_result *r);

/* The name a finding is about, for matching it across runs. */
const char *dd_finding_subject(const struct dd_finding *f, const char *domain);

#endif
