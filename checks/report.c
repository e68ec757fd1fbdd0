/*
 * report.c: ownership of the aggregate-report data model (dd/report.h).
 * Parsing lives in cmd/reports/; judging in checks/evidence/.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dd/report.h"
#include "dd/util.h"

struct dd_report *dd_report_create(void)
{
	struct dd_report *r = xcalloc(1, sizeof(*r));
	r->pct = -1;
	return r;
}

/* Append one zeroed element to a (v, n) array; capacity grows in powers of two. */
static void *append_zeroed(void *v, size_t *n, size_t size)
{
	size_t cap = 1;
	while (cap < *n + 1)
		cap *= 2;
	if (*n == 0 || (*n & (*n - 1)) == 0) /* n is 0 or a power of two: grow */
		v = xrealloc(v, cap * size);
	memset((char *)v + *n * size, 0, size);
	(*n)++;
	return v;
}

struct dd_report_row *dd_report_add_row(struct dd_report *r)
{
	r->rows = xgrow(r->rows, &r->rowcap, r->nrows + 1, sizeof(*r->rows));
	struct dd_report_row *row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	return row;
}

void dd_report_reserve_rows(struct dd_report *r, size_t more)
{
	r->rows = xgrow(r->rows, &r->rowcap, r->nrows + more, sizeof(*r->rows));
}

struct dd_report_dkim *dd_report_row_add_dkim(struct dd_report_row *row)
{
	row->dkim = append_zeroed(row->dkim, &row->ndkim, sizeof(*row->dkim));
	return &row->dkim[row->ndkim - 1];
}

struct dd_report_spf *dd_report_row_add_spf(struct dd_report_row *row)
{
	row->spf = append_zeroed(row->spf, &row->nspf, sizeof(*row->spf));
	return &row->spf[row->nspf - 1];
}

struct dd_report_reason *dd_report_row_add_reason(struct dd_report_row *row)
{
	row->reasons = append_zeroed(row->reasons, &row->nreasons, sizeof(*row->reasons));
	return &row->reasons[row->nreasons - 1];
}

void dd_report_add_error(struct dd_report *r, const char *text)
{
	r->errors = append_zeroed(r->errors, &r->nerrors, sizeof(*r->errors));
	r->errors[r->nerrors - 1] = xstrdup(text);
}

static void row_strings_free(struct dd_report_row *row)
{
	for (size_t i = 0; i < row->ndkim; i++) {
		free(row->dkim[i].domain);
		free(row->dkim[i].selector);
		free(row->dkim[i].result);
		free(row->dkim[i].human_result);
	}
	for (size_t i = 0; i < row->nspf; i++) {
		free(row->spf[i].domain);
		free(row->spf[i].scope);
		free(row->spf[i].result);
		free(row->spf[i].human_result);
	}
	for (size_t i = 0; i < row->nreasons; i++) {
		free(row->reasons[i].type);
		free(row->reasons[i].comment);
	}
	free(row->disposition);
	free(row->dkim_eval);
	free(row->spf_eval);
	free(row->header_from);
	free(row->envelope_from);
	free(row->envelope_to);
}

/* The strings, and maybe the arrays, belong to an arena (report.h). */
static void row_finish(struct dd_report_row *row, bool arena_strings, bool arena_items)
{
	if (!arena_strings)
		row_strings_free(row);
	if (arena_items)
		return;
	free(row->dkim);
	free(row->spf);
	free(row->reasons);
}

/* The arena: a list of blocks, the newest first; strings are bumped in. */
struct dd_report_arena {
	struct dd_report_arena *next;
	size_t used, size;
	_Alignas(max_align_t) char bytes[]; /* dd_report_set_alloc's structs */
};

#define ARENA_BLOCK 16384

/* `len` bytes at an offset of the block aligned to `align` (a power of two;
 * the blocks themselves are malloc'd, so aligned for anything). */
static void *arena_alloc(struct dd_report_arena **top, size_t len, size_t align)
{
	struct dd_report_arena *a = *top;
	size_t at = a ? (a->used + align - 1) & ~(align - 1) : 0;
	if (!a || at > a->size || a->size - at < len) {
		size_t size = len > ARENA_BLOCK ? len : ARENA_BLOCK;
		struct dd_report_arena *b = xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		if (a &&
		    size > ARENA_BLOCK) { /* an outsize string: keep the current block on top */
			b->next = a->next;
			a->next = b;
		} else {
			b->next = a;
			*top = b;
		}
		a = b;
		at = 0;
	}
	a->used = at + len;
	return a->bytes + at;
}

static char *arena_strndup(struct dd_report_arena **top, const char *text, size_t len)
{
	char *p = arena_alloc(top, len + 1, 1);
	memcpy(p, text, len);
	p[len] = '\0';
	return p;
}

static void arena_free(struct dd_report_arena *a)
{
	for (struct dd_report_arena *next; a; a = next) {
		next = a->next;
		free(a);
	}
}

char *dd_report_set_strndup(struct dd_report_set *s, const char *text, size_t len)
{
	return arena_strndup(&s->arena, text, len);
}

void *dd_report_set_alloc(struct dd_report_set *s, size_t size)
{
	return arena_alloc(&s->arena, size, _Alignof(max_align_t));
}

char *dd_report_strndup(struct dd_report *r, const char *text, size_t len)
{
	r->arena_strings = true;
	return arena_strndup(&r->arena, text, len);
}

void dd_report_destroy(struct dd_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows; i++)
		row_finish(&r->rows[i], r->arena_strings, r->arena_items);
	for (size_t i = 0; i < r->nerrors; i++)
		free(r->errors[i]);
	free(r->errors);
	free(r->rows);
	if (r->arena_strings) {
		arena_free(r->arena);
		free(r);
		return;
	}
	char *fields[] = { r->org_name,
		           r->email,
		           r->extra_contact_info,
		           r->report_id,
		           r->generator,
		           r->domain,
		           r->p,
		           r->sp,
		           r->np,
		           r->adkim,
		           r->aspf,
		           r->fo,
		           r->testing,
		           r->discovery_method };
	for (size_t i = 0; i < DD_ARRAY_LEN(fields); i++)
		free(fields[i]);
	free(r);
}

void dd_report_set_add_own(struct dd_report_set *s, struct dd_report *r)
{
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = r;
}

void dd_report_set_finish(struct dd_report_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		dd_report_destroy(s->v[i]);
	free(s->v);
	arena_free(s->arena);
	memset(s, 0, sizeof(*s));
}
