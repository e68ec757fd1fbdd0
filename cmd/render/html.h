/*
 * html.h: the pieces of the HTML report (html.c) that other files draw:
 * the evidence from aggregate reports (html_evidence.c) and the SVG charts
 * (html_chart.c).
 */
#ifndef DD_RENDER_HTML_H
#define DD_RENDER_HTML_H

#include <stdio.h>

#include "dd/render.h"

/* Text from DNS or a report, escaped for HTML text and attribute values. */
void dd_html_put(FILE *out, const char *s, size_t len);
void dd_html_puts(FILE *out, const char *s); /* NULL writes nothing */

/* html_evidence.c */
/* 1 ready for the next stage, 0 not ready, -1 unknown (no reports). */
int dd_html_ready(const struct dd_result *res);
/* The readiness line of the headline. */
void dd_html_readiness(struct dd_render *r, const struct dd_result *res);
/* The section drawn from the aggregate reports; nothing without them. */
void dd_html_evidence(struct dd_render *r, const struct dd_result *res);

/* html_chart.c: SVG drawn here, so the file needs nothing from outside. */
struct dd_chart_series {
	const char *name;    /* legend; escaped */
	const char *color;   /* a CSS colour of ours, never from input */
	const double *value; /* one per x label; >= 0 */
};

/* Stacked bars: one bar per x label, the series stacked in order. */
void dd_chart_stacked(FILE *out, const char *title, const char *const *xlabels, size_t nx,
                      const struct dd_chart_series *series, size_t nseries);
/* A line of shares (0..1) per x label; a negative value is a gap (no data). */
void dd_chart_share(FILE *out, const char *title, const char *const *xlabels, size_t nx,
                    const double *share);

#endif
