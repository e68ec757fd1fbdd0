/*
 * store_auth.c: the packed auth results of a store row (store_auth.h).
 */
#include <string.h>

#include "reports/store_auth.h"

bool dd_store_pack_clean(const char *t)
{
	return !t || !t[strcspn(t, DD_PACK_SEPARATORS)];
}

void dd_store_pack_field(struct dd_strbuf *b, const char *t)
{
	if (!t) {
		dd_strbuf_addc(b, DD_AUTH_NULL);
		return;
	}
	dd_strbuf_addc(b, DD_AUTH_FIELD);
	dd_strbuf_adds(b, t);
}

void dd_store_auth_item(struct dd_strbuf *b, char kind, const char *const *fields, int n)
{
	dd_strbuf_addc(b, DD_AUTH_ITEM);
	dd_strbuf_addc(b, kind);
	for (int i = 0; i < n; i++)
		dd_store_pack_field(b, fields[i]);
}

/* One item of a row's packing, refused when a field holds a separator. */
static bool pack_item(struct dd_strbuf *b, char kind, const char *const *fields, int n)
{
	for (int i = 0; i < n; i++)
		if (!dd_store_pack_clean(fields[i]))
			return false;
	dd_store_auth_item(b, kind, fields, n);
	return true;
}

bool dd_store_auth_pack(const struct dd_report_row *row, struct dd_strbuf *b)
{
	for (size_t i = 0; i < row->ndkim; i++) {
		const struct dd_report_dkim *d = &row->dkim[i];
		const char *f[] = { d->domain, d->selector, d->result, d->human_result };
		if (!pack_item(b, 'd', f, (int)DD_ARRAY_LEN(f)))
			return false;
	}
	for (size_t i = 0; i < row->nspf; i++) {
		const struct dd_report_spf *d = &row->spf[i];
		const char *f[] = { d->domain, d->scope, d->result, d->human_result };
		if (!pack_item(b, 's', f, (int)DD_ARRAY_LEN(f)))
			return false;
	}
	for (size_t i = 0; i < row->nreasons; i++) {
		const struct dd_report_reason *d = &row->reasons[i];
		const char *f[] = { d->type, d->comment };
		if (!pack_item(b, 'r', f, (int)DD_ARRAY_LEN(f)))
			return false;
	}
	return true;
}

bool dd_store_read_field(struct dd_report_set *set, const char **p, char **out)
{
	const char *s = *p;
	if (*s == DD_AUTH_NULL) {
		if (out)
			*out = NULL;
		*p = s + 1;
		return true;
	}
	if (*s != DD_AUTH_FIELD)
		return false;
	s++;
	size_t len = strcspn(s, DD_PACK_SEPARATORS);
	if (out)
		*out = dd_report_set_strndup(set, s, len);
	*p = s + len;
	return true;
}

/* The fields of one item from *p (just after its kind) into out[0..n-1];
 * *p is left at the next item, row or the end. */
static bool read_fields(struct dd_report_set *set, const char **p, char **out, int n)
{
	for (int i = 0; i < n; i++)
		if (!dd_store_read_field(set, p, &out[i]))
			return false;
	return **p == '\0' || **p == DD_AUTH_ITEM || **p == DD_PACK_ROW;
}

const char *dd_store_auth_read(const char *p, struct dd_report_row *row, struct dd_report_set *set)
{
	while (*p && *p != DD_PACK_ROW) {
		if (p[0] != DD_AUTH_ITEM || !p[1])
			return NULL;
		char kind = p[1];
		p += 2;
		char *f[4] = { NULL, NULL, NULL, NULL };
		bool ok;
		switch (kind) {
		case 'd': {
			ok = read_fields(set, &p, f, 4);
			struct dd_report_dkim *d = dd_report_row_add_dkim(row);
			*d = (struct dd_report_dkim){ f[0], f[1], f[2], f[3] };
			break;
		}
		case 's': {
			ok = read_fields(set, &p, f, 4);
			struct dd_report_spf *d = dd_report_row_add_spf(row);
			*d = (struct dd_report_spf){ f[0], f[1], f[2], f[3] };
			break;
		}
		case 'r': {
			ok = read_fields(set, &p, f, 2);
			struct dd_report_reason *d = dd_report_row_add_reason(row);
			*d = (struct dd_report_reason){ f[0], f[1] };
			break;
		}
		default: return NULL;
		}
		if (!ok)
			return NULL;
	}
	return p;
}
