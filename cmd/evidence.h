/*
 * evidence.h: the report store as the source of each domain's report
 * evidence (checks/evidence/): the store run.c opened (--reports, --store),
 * each domain's reports of the window loaded into its posture before it is
 * gathered.
 *
 * The loads run in a thread of their own, on a connection of its own, up to
 * the depth (run.c: 256) domains ahead of the gather: a batch is bound by
 * the one thread that drives the DNS, and reading each domain's window of
 * reports was about 15 % of that thread's time (issue 10). The gather starts
 * domains in bursts (as many as the oldest slow one held back), hence the
 * depth. Domains are pushed in input order and their report sets come back
 * in the same order.
 */
#ifndef DD_CMD_EVIDENCE_H
#define DD_CMD_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reports/store.h"
#include "dd/types.h"

struct dd_evidence_loader;

/* A second connection to the store at `path` and its thread, loading the
 * window [from, to]; up to `depth` domains pushed and not yet taken. NULL
 * with *err (caller frees) when the store does not open. */
struct dd_evidence_loader *dd_evidence_loader_create(const char *path, int64_t from, int64_t to,
                                                     size_t depth, char **err);
/* Stops the thread (after the load it is in) and frees what was not taken.
 * Accepts NULL. */
void dd_evidence_loader_destroy(struct dd_evidence_loader *l);

/* The rows loaded ahead and not taken that stop the thread loading further
 * (the domain the batch needs next is loaded whatever it holds): about
 * 60 MB of report rows. */
#define DD_EVIDENCE_HELD_ROWS 200000
/* Another bound than DD_EVIDENCE_HELD_ROWS (the tests). */
void dd_evidence_loader_limit_rows(struct dd_evidence_loader *l, size_t max);
/* The rows of the loads done and not taken yet. */
size_t dd_evidence_loader_held_rows(struct dd_evidence_loader *l);

/* Room for another push: fewer than `depth` domains are pushed and not taken. */
bool dd_evidence_loader_has_room(const struct dd_evidence_loader *l);
/* Queues the load of `domain` (copied). Only when there is room. */
void dd_evidence_loader_push(struct dd_evidence_loader *l, const char *domain);
/* Whether the oldest pushed domain's load is done, so that attach will not
 * wait; when it is not, the thread is told the batch wants it now. */
bool dd_evidence_loader_head_ready(struct dd_evidence_loader *l);
/*
 * Waits for the oldest pushed domain's load and attaches it to p (whose
 * domain must be that one): p->reports is its reports, or stays NULL when
 * there are none. A database error is printed, naming the domain, and
 * leaves it NULL.
 */
void dd_evidence_loader_attach(struct dd_evidence_loader *l, struct dd_posture *p);
/* Takes p->reports once p is judged (the evidence keeps copies of what it
 * shows) and frees them on the loader's thread: freeing a year of rows was
 * the batch thread's work too. */
void dd_evidence_loader_release(struct dd_evidence_loader *l, struct dd_posture *p);

#endif
