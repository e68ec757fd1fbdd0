/*
 * deliveries.h: answers a resolver holds until process() hands them over,
 * so that query() never calls back and the caller is never re-entered
 * (resolver.h). Every resolver keeps one list.
 */
#ifndef DD_DELIVERIES_H
#define DD_DELIVERIES_H

#include "dd/resolver.h"

struct dd_delivery {
	dd_resolve_cb cb;
	void *arg;
	struct dd_answer *ans;
};

struct dd_deliveries {
	struct dd_delivery *v;
	size_t n, cap;
};

/* Hold `ans` (its reference is handed over) for cb. */
void dd_deliveries_push(struct dd_deliveries *d, dd_resolve_cb cb, void *arg,
                        struct dd_answer *ans);
/* Call back every held answer, and those the callbacks' new questions add. */
void dd_deliveries_run(struct dd_deliveries *d);
/* Drop what was never delivered. */
void dd_deliveries_finish(struct dd_deliveries *d);

#endif
