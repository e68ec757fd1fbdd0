/*
 * json.h: the JSON form of a result, shared by the json/jsonl renderers and
 * anything that compares results (baselines).
 */
#ifndef DD_RENDER_JSON_H
#define DD_RENDER_JSON_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "dd/check.h"

/* A JSON string of DNS-origin text (NULL gives null). */
cJSON *dd_json_str(const char *s);
cJSON *dd_json_strn(const char *s, size_t len);
/* An integer as a JSON number (a raw item: see json.c for why). */
cJSON *dd_json_int(int64_t v);
void dd_json_add_int(cJSON *o, const char *key, int64_t v);
/* json_dnssec.c: the "dnssec" and "dane" objects. */
cJSON *dd_json_dnssec(const struct dd_dnssec_info *d);
cJSON *dd_json_dane(const struct dd_dane_info *d);
/* baseline: add each finding's "baseline": "new" | "unchanged" (--baseline) */
cJSON *dd_json_result(const struct dd_result *r, bool verbose, bool baseline);
/* Appends item as cJSON_PrintUnformatted prints it, byte for byte (json_print.c). */
void dd_json_print(const cJSON *item, struct dd_strbuf *b);

/* json_mail.c: mta_sts, tls_rpt and bimi into o; --verbose: the HTTPS fetches. */
void dd_json_mail(cJSON *o, const struct dd_result *r);
cJSON *dd_json_fetches(const struct dd_posture *p);

#endif
