/*
 * html_chart.c: the two charts of the report as inline SVG - messages per
 * day stacked by sender class, and the DMARC pass share over time. Drawn
 * here rather than by a chart library so the file loads nothing and prints
 * the same everywhere. Sizes are in SVG user units; the viewBox scales them.
 */
#include <math.h>
#include <stdlib.h>

#include "render/html.h"

enum {
	W = 720,     /* drawing width */
	H = 220,     /* drawing height */
	LEFT = 48,   /* room for the y labels */
	BOTTOM = 24, /* room for the x labels */
	TOP = 8,
};

/* A round step for about four grid lines up to max: 1, 2 or 5 times a power of ten. */
static double grid_step(double max)
{
	if (max <= 0)
		return 1;
	double raw = max / 4, p = pow(10, floor(log10(raw)));
	double m = raw / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static void open_svg(FILE *o, const char *title, const char *klass)
{
	fprintf(o, "<figure class=\"chart %s\"><h4>", klass);
	dd_html_puts(o, title);
	fprintf(o,
	        "</h4><svg xmlns=\"http://www.w3.org/2000/svg\" "
	        "viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\"><title>",
	        W, H);
	dd_html_puts(o, title);
	fputs("</title>\n", o);
}

/* Every step-th x label, so they never overlap (at most about 12). */
static void x_labels(FILE *o, const char *const *xlabels, size_t nx, double slot)
{
	size_t every = nx > 12 ? (nx + 11) / 12 : 1;
	for (size_t i = 0; i < nx; i += every) {
		fprintf(o,
		        "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\" "
		        "fill=\"#57606a\">",
		        LEFT + slot * ((double)i + 0.5), H - 8);
		dd_html_puts(o, xlabels[i]);
		fputs("</text>\n", o);
	}
}

static void y_grid(FILE *o, double top, double step, bool percent)
{
	double plot = H - BOTTOM - TOP;
	for (double v = 0; v <= top + step / 2; v += step) {
		double y = H - BOTTOM - plot * (v / top);
		fprintf(o,
		        "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#d0d7de\"/>"
		        "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" "
		        "fill=\"#57606a\">",
		        LEFT, W, y, y, LEFT - 4, y + 3);
		if (percent)
			fprintf(o, "%.0f%%", v * 100);
		else
			fprintf(o, "%.0f", v);
		fputs("</text>\n", o);
	}
}

void dd_chart_stacked(FILE *o, const char *title, const char *const *xlabels, size_t nx,
                      const struct dd_chart_series *series, size_t nseries)
{
	double max = 0;
	for (size_t i = 0; i < nx; i++) {
		double sum = 0;
		for (size_t s = 0; s < nseries; s++)
			sum += series[s].value[i];
		max = sum > max ? sum : max;
	}
	double step = grid_step(max), top = step * ceil(max / step);
	if (top <= 0)
		top = step;
	open_svg(o, title, "stacked");
	y_grid(o, top, step, false);
	double slot = nx ? (double)(W - LEFT) / (double)nx : 0, plot = H - BOTTOM - TOP;
	for (size_t i = 0; i < nx; i++) {
		double base = H - BOTTOM;
		for (size_t s = 0; s < nseries; s++) {
			double h = plot * series[s].value[i] / top;
			if (h <= 0)
				continue;
			base -= h;
			fprintf(o,
			        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			        "fill=\"%s\"><title>",
			        LEFT + slot * (double)i + slot * 0.1, base, slot * 0.8, h,
			        series[s].color);
			dd_html_puts(o, xlabels[i]);
			fputs(" ", o);
			dd_html_puts(o, series[s].name);
			fprintf(o, ": %.0f</title></rect>\n", series[s].value[i]);
		}
	}
	x_labels(o, xlabels, nx, slot);
	fputs("</svg><figcaption>", o);
	for (size_t s = 0; s < nseries; s++) {
		fprintf(o,
		        "<span class=\"key\"><svg width=\"10\" height=\"10\"><rect width=\"10\" "
		        "height=\"10\" fill=\"%s\"/></svg> ",
		        series[s].color);
		dd_html_puts(o, series[s].name);
		fputs("</span> ", o);
	}
	fputs("</figcaption></figure>\n", o);
}

void dd_chart_share(FILE *o, const char *title, const char *const *xlabels, size_t nx,
                    const double *share)
{
	open_svg(o, title, "share");
	y_grid(o, 1, 0.25, true);
	double slot = nx ? (double)(W - LEFT) / (double)nx : 0, plot = H - BOTTOM - TOP;
	/* one polyline per run of days with data: a day without reports is a gap */
	bool open = false;
	for (size_t i = 0; i < nx; i++) {
		if (share[i] < 0) {
			if (open)
				fputs("\"/>\n", o);
			open = false;
			continue;
		}
		double x = LEFT + slot * ((double)i + 0.5), y = H - BOTTOM - plot * share[i];
		if (!open)
			fputs("<polyline fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\" "
			      "points=\"",
			      o);
		fprintf(o, "%s%.1f,%.1f", open ? " " : "", x, y);
		open = true;
	}
	if (open)
		fputs("\"/>\n", o);
	for (size_t i = 0; i < nx; i++)
		if (share[i] >= 0) {
			fprintf(o,
			        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
			        "fill=\"#1a7f37\"><title>",
			        LEFT + slot * ((double)i + 0.5), H - BOTTOM - plot * share[i]);
			dd_html_puts(o, xlabels[i]);
			fprintf(o, ": %.1f%%</title></circle>\n", share[i] * 100);
		}
	x_labels(o, xlabels, nx, slot);
	fputs("</svg></figure>\n", o);
}
