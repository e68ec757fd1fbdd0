/*
 * evidence.c: each domain's aggregate reports from the store (see
 * evidence.h). The clock is read in run.c; the checks see only the window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "evidence.h"
#include "dd/report.h"
#include "dd/util.h"

bool dd_evidence_open(const struct dd_config *cfg, struct dd_store **store)
{
	*store = NULL;
	char *path = cfg->store ? xstrdup(cfg->store) : dd_store_default_path();
	if (!path)
		return true;
	if (access(path, F_OK) != 0) {
		bool named = cfg->store != NULL;
		if (named) /* a typo must not become a new, empty store */
			fprintf(stderr, "dmarc-doctor: --store %s: no such report store\n", path);
		free(path);
		return !named;
	}
	char *err = NULL;
	*store = dd_store_open(path, &err);
	if (!*store) {
		fprintf(stderr, "dmarc-doctor: %s: %s\n", path, err ? err : "cannot open");
		free(err);
		free(path);
		return false;
	}
	free(path);
	return true;
}

void dd_evidence_attach(struct dd_store *store, struct dd_posture *p, int64_t from, int64_t to)
{
	if (!store)
		return;
	struct dd_report_set *set = xcalloc(1, sizeof(*set));
	char *err = NULL;
	if (!dd_store_load(store, p->domain, from, to, set, &err)) {
		fprintf(stderr, "dmarc-doctor: %s: reading its reports: %s\n", p->domain,
		        err ? err : "database error");
		free(err);
		dd_report_set_finish(set);
		free(set);
		return;
	}
	if (set->n == 0) {
		dd_report_set_finish(set);
		free(set);
		return;
	}
	p->reports = set;
}
