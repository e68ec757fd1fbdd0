/*
 * report_xml.h: one DMARC aggregate report document (XML) to a struct
 * dd_report, with expat, in one pass. Both schemas (RFC 7489 Appendix C,
 * RFC 9990) and what real reporters send (docs/reports.md lists what is
 * tolerated and what is refused). Every refusal is a message naming the
 * origin, the line and the element: "a.xml:12: <count> of record 3: '-5'
 * is negative".
 */
#ifndef DD_REPORT_XML_H
#define DD_REPORT_XML_H

#include <stddef.h>
#include <stdint.h>

#include "dd/report.h"
#include "dd/types.h"

struct dd_report_xml_limits {
	unsigned max_depth; /* nested elements, extensions included */
	size_t max_text;    /* bytes of one element's text */
	size_t max_rows;    /* <record> elements of one report */
	size_t max_items;   /* auth results or reasons of one record; <error>s of one report */
	uint64_t max_count; /* a row's <count> */
	/* "now" for the plausibility of dates (seconds since the epoch); 0:
	 * the clock. A date range must lie between 1970 and a year after now. */
	int64_t now;
};

extern const struct dd_report_xml_limits dd_report_xml_default_limits;

/* Why a document was refused, for the import's summary. */
enum dd_report_fault {
	DD_REPORT_FAULT_NONE = 0,
	DD_REPORT_FAULT_NOT_A_REPORT, /* not XML, or XML that is not a <feedback> */
	DD_REPORT_FAULT_MALFORMED,    /* not well-formed XML */
	DD_REPORT_FAULT_TRUNCATED,    /* the document ends early */
	DD_REPORT_FAULT_DTD,          /* a DOCTYPE or an entity declaration */
	DD_REPORT_FAULT_CAP,          /* depth, text, records or results over a cap */
	DD_REPORT_FAULT_INCOMPLETE,   /* no report_id, date range, source_ip or count */
	DD_REPORT_FAULT_BAD_VALUE,    /* negative count, dates, an IP that is not one */
};

/* "not well-formed", "over a cap", ... */
const char *dd_report_fault_name(enum dd_report_fault f);

/*
 * Returns the report, or NULL with *err (in English and Japanese; the caller
 * finishes it) saying why, starting with "ORIGIN:LINE: ", and *fault (when
 * not NULL) its class. `lim` NULL: the defaults.
 */
struct dd_report *dd_report_xml_parse(const char *origin, const unsigned char *data, size_t len,
                                      const struct dd_report_xml_limits *lim, struct dd_words *err,
                                      enum dd_report_fault *fault);

#endif
