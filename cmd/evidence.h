/*
 * evidence.h: the report store as the source of each domain's report
 * evidence (checks/evidence/): opened once per run, each domain's reports
 * of the window loaded into its posture before it is gathered.
 */
#ifndef DD_CMD_EVIDENCE_H
#define DD_CMD_EVIDENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "options.h"
#include "reports/store.h"
#include "dd/types.h"

/*
 * The store of --store, or the default store when it exists (*store NULL
 * when there is none: the advice is then the DNS's alone). False with a
 * message on stderr when a store was named and cannot be read.
 */
bool dd_evidence_open(const struct dd_config *cfg, struct dd_store **store);

/* Loads the reports of p->domain in [from, to] into p->reports (left NULL
 * when there are none). A database error is printed and leaves it NULL. */
void dd_evidence_attach(struct dd_store *store, struct dd_posture *p, int64_t from, int64_t to);

#endif
