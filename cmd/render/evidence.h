/*
 * evidence.h: the report evidence (dd/evidence.h) as JSON and as text,
 * shared by the json, csv and text renderers.
 */
#ifndef DD_RENDER_EVIDENCE_H
#define DD_RENDER_EVIDENCE_H

#include <cjson/cJSON.h>

#include "dd/evidence.h"
#include "dd/render.h"

/* JSON "evidence": null when e is NULL. */
cJSON *dd_json_evidence(const struct dd_evidence *e);
/* "true", "false" or NULL (JSON null) for advice.ready. */
cJSON *dd_json_ready(enum dd_ready ready);
/* Text: the line under the verdict that says ready or not, and why. */
void dd_text_ready(struct dd_render *r, const struct dd_advice *a);
/* Text: the sender table, longest first, the domain's own rows then each subdomain's. */
void dd_text_senders(struct dd_render *r, const struct dd_evidence *e);
/* A sender class's name in the text and HTML reports, English and Japanese. */
const struct dd_text *dd_sender_class_text(enum dd_sender_class c);
/* CSV: the first blocking sender ("SendGrid (1240, DKIM d=sendgrid.net)"), or NULL. Caller frees. */
char *dd_evidence_top_blocker(const struct dd_evidence *e);

#endif
