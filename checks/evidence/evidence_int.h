/*
 * evidence_int.h: what the files of checks/evidence/ share. Not an API.
 */
#ifndef DD_EVIDENCE_INT_H
#define DD_EVIDENCE_INT_H

#include "dd/evidence.h"

/* The Organizational Domain of `name` (the PSL view, else the domain's own). */
void ev_org_domain(const struct dd_evidence_input *in, const char *name, char *out, size_t outsz);
/* DMARC identifier alignment, RFC 9989 §4.4. */
bool ev_aligned(const struct dd_evidence_input *in, const char *auth, const char *header_from,
                bool strict);
/* The /24 or /48 of an address. */
void ev_prefix(const char *ip, char *out, size_t outsz);

#endif
