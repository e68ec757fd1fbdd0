/*
 * fuzz_store_pack.c: a damaged pack of the report store (a file edited by
 * hand, a bad disk) -> dd_store_unpack() (cmd/reports/store_pack.h), as the
 * report's first pack and as a later one. What it reads back must pack
 * again (no separator slipped into a value) and read the same.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "reports/store_pack.h"

/* Packs what r holds, its rows with the seqs read, and reads that back. */
static void repack(const struct dd_report *r, const struct dd_pack_seqs *seqs)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	if (!dd_store_pack_meta(r, &b))
		abort(); /* a field read holds a separator */
	for (size_t i = 0; i < r->nrows; i++)
		if (!dd_store_pack_row(&r->rows[i], seqs->v[i], &b))
			abort();
	struct dd_report_set set = { 0 };
	struct dd_report *again = dd_report_create();
	dd_report_set_add_own(&set, again);
	if (!dd_store_unpack(b.s, again, &set, true, NULL) || again->nrows != r->nrows)
		abort();
	for (size_t i = 0; i < r->nrows; i++)
		if (strcmp(again->rows[i].source_ip, r->rows[i].source_ip) != 0 ||
		    again->rows[i].count != r->rows[i].count ||
		    again->rows[i].ndkim != r->rows[i].ndkim ||
		    again->rows[i].nspf != r->rows[i].nspf ||
		    again->rows[i].nreasons != r->rows[i].nreasons)
			abort();
	dd_report_set_finish(&set);
	dd_strbuf_finish(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1); /* a TEXT column: NUL-terminated */
	memcpy(text, data, size);
	text[size] = '\0';
	for (int meta = 0; meta < 2; meta++) {
		struct dd_report_set set = { 0 };
		struct dd_report *r = dd_report_create();
		dd_report_set_add_own(&set, r);
		r->arena_strings = r->arena_items = true; /* a later pack: its first set them */
		struct dd_pack_seqs seqs = { 0 };
		bool ok = dd_store_unpack(text, r, &set, meta, &seqs);
		if (seqs.n != r->nrows && ok)
			abort(); /* a seq for every row read */
		for (size_t i = 0; ok && i < r->nrows; i++)
			if (!r->rows[i].source_ip[0])
				abort(); /* a row without its address is a damage */
		if (ok && meta)
			repack(r, &seqs);
		free(seqs.v);
		dd_report_set_finish(&set);
	}
	free(text);
	return 0;
}
