/*
 * wire.h: DNS messages and records (ldns) turned into dd_answer, shared by
 * every resolver so that all of them present records the same way.
 */
#ifndef DD_WIRE_H
#define DD_WIRE_H

#include <ldns/ldns.h>

#include "dd/types.h"

/* Add one record (of any supported type) to an answer; returns it. */
struct dd_rr *dd_wire_add_rr(struct dd_answer *ans, const ldns_rr *rr, uint32_t line);

/*
 * A DNS response in wire format -> answer: the CNAME chain from qname is
 * followed inside the message; the records of qtype at its end are kept.
 * A response that cannot be parsed is SERVFAIL (the server sent garbage).
 */
struct dd_answer *dd_wire_answer(const char *qname, uint16_t qtype, const unsigned char *msg,
                                 size_t len);

/*
 * The question (name, type, class IN) in wire form with RD, CD and EDNS0
 * (1232-byte buffer, the DO bit set): the answers then carry the RRSIGs and
 * NSEC/NSEC3 records that checks/dnssec.c validates, and a validating
 * recursive resolver hands over a bogus answer instead of SERVFAIL, so the
 * report can say it is bogus (RFC 4035 §3.2.2: CD). *msg is malloc'd.
 */
bool dd_wire_query_dnssec(const char *name, uint16_t type, uint8_t **msg, size_t *len);

/* The longest such question: header, a 255-byte name, type and class, OPT. */
#define DD_WIRE_QUERY_MAX (12 + 255 + 4 + 11)

/* The same question written into out (DD_WIRE_QUERY_MAX bytes), no allocation. */
bool dd_wire_query_encode(const char *name, uint16_t type, uint8_t *out, size_t *len);

/* A domain name rdf in the normalised form (lowercase, no trailing dot, "." for root). */
char *dd_wire_name(const ldns_rdf *rdf);

/*
 * Around reading many records from text (a zone file, a fixture): true
 * before, false after. ldns_rr_new_frm_str() takes and frees ~200 KB of
 * buffers per record; with glibc's default trim threshold every free gives
 * the heap top back to the kernel (a brk call), which makes reading 10x
 * slower. The default comes back after, so a batch run's memory stays flat.
 * It matters for the system malloc (-Dallocator=system, the sanitizer
 * builds); jemalloc, the binary's default, ignores glibc's mallopt() and
 * keeps freed pages for reuse anyway.
 */
void dd_wire_reading_text(bool reading);

#endif
