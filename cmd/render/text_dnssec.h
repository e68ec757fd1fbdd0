/*
 * text_dnssec.h: the DNSSEC and DANE lines of the text report.
 */
#ifndef DD_TEXT_DNSSEC_H
#define DD_TEXT_DNSSEC_H

#include <stdio.h>

#include "dd/check.h"
#include "dd/render.h"

void dd_text_dnssec_lines(FILE *out, const struct dd_result *res, enum dd_lang lang);

#endif
