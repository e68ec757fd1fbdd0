/*
 * json_dnssec.c: the "dnssec" and "dane" objects of a domain (README,
 * "DNSSEC and DANE"). Keys are part of the contract: add, never rename.
 */
#include <stdio.h>

#include "render/json.h"
#include "dd/dnssec.h"

static cJSON *algorithms_json(const uint8_t *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		dd_json_add_int(o, "number", v[i]);
		cJSON_AddItemToObject(o, "name", dd_json_str(dd_dnskey_alg_name(v[i])));
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *digests_json(const uint8_t *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		dd_json_add_int(o, "number", v[i]);
		cJSON_AddItemToObject(o, "name", dd_json_str(dd_ds_digest_name(v[i])));
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

cJSON *dd_json_dnssec(const struct dd_dnssec_info *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "state", dd_json_str(dd_dnssec_state_name(d->state)));
	cJSON_AddItemToObject(o, "anchor", dd_json_str(d->anchor));
	cJSON_AddItemToObject(o, "zone", dd_json_str(d->zone));
	/* the algorithms of the domain's own zone: the last signed link; an
	 * insecure zone has none, but for one whose DS records name only
	 * algorithms the validator does not take (RFC 4035 §5.2): those */
	const struct dd_dnssec_link *own = NULL;
	for (size_t i = 0; i < d->nchain; i++)
		if (d->chain[i].state == DD_DNSSEC_SIGNED)
			own = &d->chain[i];
	if (d->state == DD_DNSSEC_UNSIGNED)
		own = d->nchain && d->chain[d->nchain - 1].state == DD_DNSSEC_UNSIGNED
		              ? &d->chain[d->nchain - 1]
		              : NULL;
	cJSON_AddItemToObject(o, "algorithms",
	                      own ? algorithms_json(own->algorithms, own->nalgorithms)
	                          : cJSON_CreateArray());
	cJSON *chain = cJSON_AddArrayToObject(o, "chain");
	for (size_t i = 0; i < d->nchain; i++) {
		const struct dd_dnssec_link *l = &d->chain[i];
		cJSON *c = cJSON_CreateObject();
		cJSON_AddItemToObject(c, "zone", dd_json_str(l->zone));
		cJSON_AddItemToObject(c, "state", dd_json_str(dd_dnssec_state_name(l->state)));
		cJSON_AddItemToObject(c, "algorithms",
		                      algorithms_json(l->algorithms, l->nalgorithms));
		cJSON_AddItemToObject(c, "ds_digests", digests_json(l->digests, l->ndigests));
		cJSON_AddItemToObject(c, "reason", dd_json_str(l->reason.en));
		cJSON_AddItemToArray(chain, c);
	}
	cJSON *recs = cJSON_AddArrayToObject(o, "records");
	for (size_t i = 0; i < d->nrecords; i++) {
		const struct dd_dnssec_record *r = &d->records[i];
		cJSON *c = cJSON_CreateObject();
		cJSON_AddItemToObject(c, "record", dd_json_str(r->what));
		cJSON_AddItemToObject(c, "name", dd_json_str(r->name));
		cJSON_AddItemToObject(c, "type", dd_json_str(dd_rrtype_name(r->type)));
		cJSON_AddItemToObject(c, "state", dd_json_str(dd_dnssec_state_name(r->state)));
		cJSON_AddItemToObject(c, "signer", dd_json_str(r->signer));
		cJSON_AddItemToObject(c, "reason", dd_json_str(r->reason.en));
		cJSON_AddItemToArray(recs, c);
	}
	cJSON_AddItemToObject(o, "reason", dd_json_str(d->reason.en));
	return o;
}

cJSON *dd_json_dane(const struct dd_dane_info *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "state", dd_json_str(dd_record_state_name(d->state)));
	cJSON *hosts = cJSON_AddArrayToObject(o, "hosts");
	for (size_t i = 0; i < d->nhosts; i++) {
		const struct dd_dane_host *h = &d->hosts[i];
		cJSON *c = cJSON_CreateObject();
		cJSON_AddItemToObject(c, "host", dd_json_str(h->host));
		cJSON_AddItemToObject(c, "name", dd_json_str(h->name));
		cJSON_AddItemToObject(c, "state", dd_json_str(dd_record_state_name(h->state)));
		cJSON_AddItemToObject(c, "dnssec", dd_json_str(dd_dnssec_state_name(h->dnssec)));
		cJSON_AddBoolToObject(c, "usable", h->usable);
		cJSON *ts = cJSON_AddArrayToObject(c, "tlsa");
		for (size_t j = 0; j < h->ntlsa; j++) {
			const struct dd_dane_tlsa *t = &h->tlsa[j];
			cJSON *x = cJSON_CreateObject();
			cJSON_AddItemToObject(x, "record", dd_json_str(t->record));
			if (t->parsed) {
				dd_json_add_int(x, "usage", t->usage);
				dd_json_add_int(x, "selector", t->selector);
				dd_json_add_int(x, "matching_type", t->mtype);
			} else {
				cJSON_AddNullToObject(x, "usage");
				cJSON_AddNullToObject(x, "selector");
				cJSON_AddNullToObject(x, "matching_type");
			}
			cJSON_AddBoolToObject(x, "usable", t->usable);
			cJSON_AddItemToArray(ts, x);
		}
		cJSON_AddItemToArray(hosts, c);
	}
	return o;
}
