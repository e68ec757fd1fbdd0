/*
 * store_pack.c: a store's packs (store_pack.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "reports/store_auth.h"
#include "reports/store_pack.h"

void dd_store_meta_slots(struct dd_report *r, char **slots[DD_PACK_META_FIELDS])
{
	char **f[DD_PACK_META_FIELDS] = { &r->org_name,
		                          &r->email,
		                          &r->extra_contact_info,
		                          &r->report_id,
		                          &r->generator,
		                          &r->domain,
		                          &r->p,
		                          &r->sp,
		                          &r->np,
		                          &r->adkim,
		                          &r->aspf,
		                          &r->fo,
		                          &r->testing,
		                          &r->discovery_method };
	memcpy(slots, f, sizeof(f));
}

bool dd_store_pack_meta(const struct dd_report *r, struct dd_strbuf *b)
{
	char **f[DD_PACK_META_FIELDS];
	dd_store_meta_slots((struct dd_report *)r, f); /* read only here */
	for (size_t i = 0; i < DD_ARRAY_LEN(f); i++)
		if (!dd_store_pack_clean(*f[i]))
			return false;
	for (size_t i = 0; i < DD_ARRAY_LEN(f); i++)
		dd_store_pack_field(b, *f[i]);
	return true;
}

void dd_store_pack_row_text(struct dd_strbuf *b, const char *const fields[DD_PACK_ROW_FIELDS],
                            const char *auth)
{
	dd_strbuf_addc(b, DD_PACK_ROW);
	for (size_t i = 0; i < DD_PACK_ROW_FIELDS; i++)
		dd_store_pack_field(b, fields[i]);
	if (auth)
		dd_strbuf_adds(b, auth);
}

bool dd_store_pack_row(const struct dd_report_row *row, size_t seq, struct dd_strbuf *b)
{
	char seq_text[24], count_text[24];
	snprintf(seq_text, sizeof(seq_text), "%zu", seq);
	snprintf(count_text, sizeof(count_text), "%" PRIu64, row->count);
	const char *f[DD_PACK_ROW_FIELDS] = {
		seq_text,         row->source_ip,     count_text,
		row->disposition, row->dkim_eval,     row->spf_eval,
		row->header_from, row->envelope_from, row->envelope_to
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(f); i++)
		if (!dd_store_pack_clean(f[i]))
			return false;
	dd_store_pack_row_text(b, f, NULL);
	return dd_store_auth_pack(row, b);
}

/* A decimal field of a row (seq, count): digits only, no overflow. */
static bool read_number(const char **p, uint64_t *out)
{
	const char *s = *p;
	if (*s != DD_AUTH_FIELD || s[1] < '0' || s[1] > '9')
		return false;
	uint64_t v = 0;
	for (s++; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*p = s;
	*out = v;
	return true;
}

static bool read_row(const char **p, struct dd_report *r, struct dd_report_set *set,
                     struct dd_pack_seqs *seqs)
{
	const char *s = *p + 1; /* past GS */
	uint64_t seq, count;
	if (!read_number(&s, &seq))
		return false;
	/* the source address is copied into the row's own array */
	if (*s != DD_AUTH_FIELD)
		return false;
	s++;
	size_t iplen = strcspn(s, DD_PACK_SEPARATORS);
	struct dd_report_row *row = dd_report_add_row(r);
	if (iplen == 0 || iplen >= sizeof(row->source_ip))
		return false;
	memcpy(row->source_ip, s, iplen);
	row->source_ip[iplen] = '\0';
	s += iplen;
	if (!read_number(&s, &count))
		return false;
	row->count = count;
	char **text[] = { &row->disposition, &row->dkim_eval,     &row->spf_eval,
		          &row->header_from, &row->envelope_from, &row->envelope_to };
	for (size_t i = 0; i < DD_ARRAY_LEN(text); i++)
		if (!dd_store_read_field(set, &s, text[i]))
			return false;
	s = dd_store_auth_read(s, row, set);
	if (!s)
		return false;
	if (seqs) {
		seqs->v = xgrow(seqs->v, &seqs->cap, seqs->n + 1, sizeof(*seqs->v));
		seqs->v[seqs->n++] = (size_t)seq;
	}
	*p = s;
	return true;
}

bool dd_store_unpack(const char *text, struct dd_report *r, struct dd_report_set *set, bool meta,
                     struct dd_pack_seqs *seqs)
{
	if (!text)
		return false;
	const char *p = text;
	char **f[DD_PACK_META_FIELDS];
	dd_store_meta_slots(r, f);
	if (meta)
		r->arena_strings = r->arena_items = true;
	for (size_t i = 0; i < DD_ARRAY_LEN(f); i++)
		if (!dd_store_read_field(set, &p, meta ? f[i] : NULL))
			return false;
	while (*p == DD_PACK_ROW)
		if (!read_row(&p, r, set, seqs))
			return false;
	return *p == '\0';
}
