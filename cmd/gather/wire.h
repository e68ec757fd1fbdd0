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

/* A domain name rdf in the normalised form (lowercase, no trailing dot, "." for root). */
char *dd_wire_name(const ldns_rdf *rdf);

#endif
