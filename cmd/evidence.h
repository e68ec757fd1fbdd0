/*
 * evidence.h: the report store as the source of each domain's report
 * evidence (checks/evidence/): the store run.c opened (--reports, --store),
 * each domain's reports of the window loaded into its posture before it is
 * gathered.
 */
#ifndef DD_CMD_EVIDENCE_H
#define DD_CMD_EVIDENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "reports/store.h"
#include "dd/types.h"

/* Loads the reports of p->domain in [from, to] into p->reports (left NULL
 * when there are none). A database error is printed and leaves it NULL. */
void dd_evidence_attach(struct dd_store *store, struct dd_posture *p, int64_t from, int64_t to);

#endif
