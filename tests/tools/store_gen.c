/*
 * store_gen.c: synthetic aggregate reports straight into a report store,
 * and the time of one domain's evidence query, for scripts/bench-evidence.
 *
 *   store_gen STORE gen DOMAINS_FILE DAYS   weekly reports from three
 *       reporters over the last DAYS days for every domain of the file:
 *       Google Workspace aligned, the domain's own servers, spoofing, a
 *       mailing list, and for every third domain a misaligned SendGrid
 *   store_gen STORE query DOMAIN...          per domain: the store load of
 *       the last 30 days and the evidence built from it, in ms
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reports/store.h"
#include "dd/evidence.h"
#include "dd/report.h"
#include "dd/util.h"

#define DAY 86400

static void row(struct dd_report *r, const char *ip, uint64_t n, const char *hfrom, const char *d,
                const char *sel, const char *dres, const char *spf, const char *sres, bool aligned)
{
	struct dd_report_row *w = dd_report_add_row(r);
	snprintf(w->source_ip, sizeof(w->source_ip), "%s", ip);
	w->count = n;
	w->header_from = xstrdup(hfrom);
	w->disposition = xstrdup("none");
	w->dkim_eval = xstrdup(aligned ? "pass" : "fail");
	w->spf_eval = xstrdup("fail");
	if (d) {
		struct dd_report_dkim *k = dd_report_row_add_dkim(w);
		k->domain = xstrdup(d);
		k->selector = xstrdup(sel);
		k->result = xstrdup(dres);
	}
	struct dd_report_spf *s = dd_report_row_add_spf(w);
	s->domain = xstrdup(spf);
	s->scope = xstrdup("mfrom");
	s->result = xstrdup(sres);
	w->envelope_from = xstrdup(spf);
}

static int gen(struct dd_store *st, const char *file, int days)
{
	static const char *const orgs[] = { "google.com", "Yahoo", "Outlook.com" };
	FILE *f = fopen(file, "r");
	if (!f)
		return 2;
	char line[512];
	int64_t now = (int64_t)time(NULL);
	size_t n = 0, k = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line || *line == '#')
			continue;
		for (int w = 0; w * 7 < days; w++)
			for (size_t o = 0; o < 3; o++) {
				struct dd_report *r = dd_report_create();
				r->org_name = xstrdup(orgs[o]);
				r->report_id = xasprintf("%s-%s-%d", orgs[o], line, w);
				r->end = now - (int64_t)w * 7 * DAY;
				r->begin = r->end - 7 * DAY;
				r->domain = xstrdup(line);
				r->p = xstrdup("none");
				uint64_t base = 50 + (n * 7 + (size_t)w) % 200;
				row(r, "209.85.220.41", base * 10, line, line, "google", "pass",
				    line, "softfail", true);
				row(r, "192.0.2.20", base, line, NULL, NULL, NULL, line, "pass",
				    false);
				row(r, "203.0.113.66", base / 3 + 1, line, NULL, NULL, NULL,
				    "spoof.example", "fail", false);
				row(r, "198.51.100.99", base / 5 + 1, line, line, "google", "fail",
				    "lists.example.org", "pass", false);
				if (n % 3 == 0)
					row(r, "167.89.1.20", base * 2, line, "sendgrid.net", "s1",
					    "pass", "em1.sendgrid.net", "pass", false);
				char *err = NULL;
				if (dd_store_put(st, r, "store_gen", &err) == DD_STORE_FAILED) {
					fprintf(stderr, "%s\n", err);
					free(err);
				}
				dd_report_destroy(r);
				k++;
			}
		n++;
	}
	fclose(f);
	printf("%zu domains, %zu reports\n", n, k);
	return 0;
}

static double ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) * 1e3 + (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

static int query(struct dd_store *st, int argc, char **argv)
{
	int64_t now = (int64_t)time(NULL);
	double worst = 0, sum = 0;
	for (int i = 0; i < argc; i++) {
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct dd_report_set set = { 0 };
		char *err = NULL;
		if (!dd_store_load(st, argv[i], now - 30 * DAY, now, &set, &err)) {
			fprintf(stderr, "%s: %s\n", argv[i], err);
			free(err);
			return 1;
		}
		double load_ms = ms_since(&t0);
		struct dd_evidence_input in = { .domain = argv[i],
			                        .from = now - 30 * DAY,
			                        .to = now };
		struct dd_evidence *e = dd_evidence_build(&set, &in);
		double ms = ms_since(&t0);
		printf("%s %zu reports %zu senders load %.2f build %.2f total %.2f ms\n", argv[i],
		       set.n, e ? e->nsenders : 0, load_ms, ms - load_ms, ms);
		dd_evidence_destroy(e);
		dd_report_set_finish(&set);
		sum += ms;
		if (ms > worst)
			worst = ms;
	}
	printf("mean %.2f ms, worst %.2f ms\n", argc ? sum / argc : 0, worst);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[2], "gen") == 0 && argc != 5)) {
		fprintf(stderr,
		        "usage: store_gen STORE gen DOMAINS_FILE DAYS | STORE query DOMAIN...\n");
		return 2;
	}
	char *err = NULL;
	struct dd_store *st = dd_store_open(argv[1], &err);
	if (!st) {
		fprintf(stderr, "%s: %s\n", argv[1], err);
		free(err);
		return 2;
	}
	int rc = strcmp(argv[2], "gen") == 0 ? gen(st, argv[3], atoi(argv[4]))
	                                     : query(st, argc - 3, argv + 3);
	dd_store_close(st);
	return rc;
}
