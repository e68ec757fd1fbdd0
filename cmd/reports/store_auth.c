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

/* How many items of each kind (d, s, r) the row at p holds: RS is never in
 * a field (dd_store_pack_clean), so each one starts an item. */
static void count_items(const char *p, size_t *nd, size_t *ns, size_t *nr)
{
	static const char marks[] = { DD_AUTH_ITEM, DD_PACK_ROW, '\0' };
	*nd = *ns = *nr = 0;
	for (p += strcspn(p, marks); *p == DD_AUTH_ITEM; p += strcspn(p + 1, marks) + 1) {
		*nd += p[1] == 'd';
		*ns += p[1] == 's';
		*nr += p[1] == 'r';
	}
}

const char *dd_store_auth_read(const char *p, struct dd_report_row *row, struct dd_report_set *set)
{
	/* the arrays are sized first and put in the set's arena: a malloc and
	 * a free less for each of them, in every row of a year of reports */
	size_t nd, ns, nr;
	count_items(p, &nd, &ns, &nr);
	if (nd)
		row->dkim = dd_report_set_alloc(set, nd * sizeof(*row->dkim));
	if (ns)
		row->spf = dd_report_set_alloc(set, ns * sizeof(*row->spf));
	if (nr)
		row->reasons = dd_report_set_alloc(set, nr * sizeof(*row->reasons));
	while (*p && *p != DD_PACK_ROW) {
		if (p[0] != DD_AUTH_ITEM || !p[1])
			return NULL;
		char kind = p[1];
		p += 2;
		char *f[4] = { NULL, NULL, NULL, NULL };
		switch (kind) {
		case 'd':
			if (!read_fields(set, &p, f, 4))
				return NULL;
			row->dkim[row->ndkim++] = (struct dd_report_dkim){ f[0], f[1], f[2], f[3] };
			break;
		case 's':
			if (!read_fields(set, &p, f, 4))
				return NULL;
			row->spf[row->nspf++] = (struct dd_report_spf){ f[0], f[1], f[2], f[3] };
			break;
		case 'r':
			if (!read_fields(set, &p, f, 2))
				return NULL;
			row->reasons[row->nreasons++] = (struct dd_report_reason){ f[0], f[1] };
			break;
		default: return NULL;
		}
	}
	return p;
}
