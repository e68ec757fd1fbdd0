/*
 * resolver_zone.c: proposed zone files in front of live DNS (--zone).
 *
 * A name at or below a zone's origin is answered from the zone, as its
 * authoritative server would answer (zone.c); every other name - an
 * include:_spf.google.com in the proposed SPF record, a CNAME target in
 * another zone, the DMARC tree walk above the apex - goes to the next
 * resolver, so the proposal is judged against the real world. Offline there
 * is no next resolver: those names are answered DD_DNS_UNKNOWN ("not asked"),
 * never as missing.
 *
 * Zone answers are queued and delivered from process(), like every resolver
 * here: query() never calls back.
 */
#include <stdlib.h>
#include <string.h>

#include "gather/deliveries.h"
#include "gather/zone.h"
#include "dd/resolver.h"
#include "dd/util.h"

struct overlay {
	struct dd_resolver base;
	struct dd_zone **zones;
	size_t nzones;
	struct dd_resolver *next; /* NULL: offline */
	struct dd_deliveries ready;
};

/* The zone with the longest origin that holds `name`. */
static const struct dd_zone *zone_for(const struct overlay *o, const char *name)
{
	const struct dd_zone *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < o->nzones; i++) {
		const char *origin = dd_zone_origin(o->zones[i]);
		size_t len = strlen(origin);
		if (len > best_len && dd_name_is_under(name, origin)) {
			best = o->zones[i];
			best_len = len;
		}
	}
	return best;
}

static void overlay_query(struct dd_resolver *base, const char *name, uint16_t type,
                          dd_resolve_cb cb, void *arg)
{
	struct overlay *o = (struct overlay *)base;
	const struct dd_zone *z = zone_for(o, name);
	struct dd_answer *ans = z ? dd_zone_answer(z, name, type) : NULL;
	if (!ans && o->next) {
		dd_resolver_query(o->next, name, type, cb, arg);
		return;
	}
	if (!ans) {
		ans = dd_answer_create(name, type, DD_DNS_UNKNOWN);
		ans->source = DD_SOURCE_NONE;
	}
	dd_deliveries_push(&o->ready, cb, arg, ans);
}

static size_t overlay_pending(const struct dd_resolver *base)
{
	const struct overlay *o = (const struct overlay *)base;
	return o->ready.n + (o->next ? dd_resolver_pending(o->next) : 0);
}

static size_t overlay_process(struct dd_resolver *base, int timeout_ms)
{
	struct overlay *o = (struct overlay *)base;
	dd_deliveries_run(&o->ready);
	if (o->next && dd_resolver_pending(o->next)) {
		/* do not sleep on the network while zone answers wait */
		dd_resolver_process(o->next, o->ready.n ? 0 : timeout_ms);
		dd_deliveries_run(&o->ready);
	}
	return overlay_pending(base);
}

static void overlay_destroy(struct dd_resolver *base)
{
	struct overlay *o = (struct overlay *)base;
	dd_resolver_destroy(o->next);
	dd_deliveries_finish(&o->ready);
	for (size_t i = 0; i < o->nzones; i++)
		dd_zone_destroy(o->zones[i]);
	free(o->zones);
	free(o);
}

static const struct dd_resolver_impl overlay_impl = {
	.name = "zone",
	.query = overlay_query,
	.process = overlay_process,
	.pending = overlay_pending,
	.destroy = overlay_destroy,
};

struct dd_resolver *dd_resolver_zone_create(struct dd_zone **zones, size_t nzones,
                                            struct dd_resolver *next)
{
	struct overlay *o = xcalloc(1, sizeof(*o));
	o->base.impl = &overlay_impl;
	o->zones = xmalloc((nzones ? nzones : 1) * sizeof(*o->zones));
	memcpy(o->zones, zones, nzones * sizeof(*zones));
	o->nzones = nzones;
	o->next = next;
	return &o->base;
}
