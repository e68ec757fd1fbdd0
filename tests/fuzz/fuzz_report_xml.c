/*
 * fuzz_report_xml.c: a DMARC aggregate report document (XML, as the unpack
 * layer hands it over) -> the XML reader (cmd/reports/report_xml.c). A
 * report that comes out must keep the reader's promises: a canonical
 * source IP in every row, a date range that does not end before it
 * begins, nothing over a cap; a refusal must say where.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "reports/report_xml.h"
#include "dd/check.h"

static void check(const struct dd_report *r, const struct dd_report_xml_limits *lim)
{
	if (!r->report_id || r->end < r->begin || r->nrows > lim->max_rows ||
	    r->nerrors > lim->max_items)
		abort();
	for (size_t i = 0; i < r->nrows; i++) {
		const struct dd_report_row *row = &r->rows[i];
		unsigned char bin[16];
		char back[INET6_ADDRSTRLEN];
		int af = strchr(row->source_ip, ':') ? AF_INET6 : AF_INET;
		/* canonical: reading and writing it again gives the same text */
		if (inet_pton(af, row->source_ip, bin) != 1 ||
		    !inet_ntop(af, bin, back, sizeof(back)) || strcmp(back, row->source_ip) != 0)
			abort();
		if (row->count > lim->max_count || row->ndkim > lim->max_items ||
		    row->nspf > lim->max_items || row->nreasons > lim->max_items)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_report_xml_limits lim = dd_report_xml_default_limits;
	lim.now = 1764720000; /* the same verdicts on every run */
	lim.max_rows = 2000;
	struct dd_words err = { 0 };
	enum dd_report_fault fault = DD_REPORT_FAULT_NONE;
	struct dd_report *r = dd_report_xml_parse("fuzz.xml", data, size, &lim, &err, &fault);
	if (r) {
		if (err.en || err.ja || fault != DD_REPORT_FAULT_NONE)
			abort();
		check(r, &lim);
		dd_report_destroy(r);
	} else if (!err.en || strncmp(err.en, "fuzz.xml:", 9) != 0 || !err.ja ||
	           strncmp(err.ja, "fuzz.xml:", 9) != 0 || fault == DD_REPORT_FAULT_NONE) {
		abort(); /* a refusal says where and why, in each language */
	}
	dd_words_finish(&err);
	return 0;
}
