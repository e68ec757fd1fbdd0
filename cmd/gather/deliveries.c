/*
 * deliveries.c: see deliveries.h.
 */
#include <stdlib.h>

#include "gather/deliveries.h"
#include "dd/util.h"

void dd_deliveries_push(struct dd_deliveries *d, dd_resolve_cb cb, void *arg, struct dd_answer *ans)
{
	d->v = xgrow(d->v, &d->cap, d->n + 1, sizeof(*d->v));
	d->v[d->n++] = (struct dd_delivery){ cb, arg, ans };
}

void dd_deliveries_run(struct dd_deliveries *d)
{
	/* callbacks ask new questions, which may add deliveries: take the batch first */
	while (d->n) {
		struct dd_delivery *batch = d->v;
		size_t n = d->n;
		d->v = NULL;
		d->n = d->cap = 0;
		for (size_t i = 0; i < n; i++)
			batch[i].cb(batch[i].arg, batch[i].ans);
		free(batch);
	}
}

void dd_deliveries_finish(struct dd_deliveries *d)
{
	for (size_t i = 0; i < d->n; i++)
		dd_answer_unref(d->v[i].ans);
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}
