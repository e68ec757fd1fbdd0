/*
 * store_fill.c: STORE FILE.xml... - read aggregate report XML files with the
 * report reader and put them into the report store, for the end-to-end and
 * benchmark runs of the evidence (the real --import is the report store's;
 * this drives the same two interfaces, report_xml.h and store.h). Prints
 * "N new, M duplicate" and exits 1 when a file is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report_xml.h"
#include "reports/store.h"
#include "dd/util.h"

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		dd_strbuf_add(&b, buf, n);
	fclose(f);
	*len = b.len;
	return (unsigned char *)dd_strbuf_own(&b);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: store_fill STORE FILE.xml...\n");
		return 2;
	}
	char *err = NULL;
	struct dd_store *s = dd_store_open(argv[1], &err);
	if (!s) {
		fprintf(stderr, "%s: %s\n", argv[1], err);
		free(err);
		return 2;
	}
	size_t fresh = 0, dup = 0, bad = 0;
	for (int i = 2; i < argc; i++) {
		size_t len = 0;
		unsigned char *data = slurp(argv[i], &len);
		if (!data) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			bad++;
			continue;
		}
		struct dd_report *r = dd_report_xml_parse(argv[i], data, len, NULL, &err, NULL);
		free(data);
		if (!r) {
			fprintf(stderr, "%s\n", err);
			free(err);
			err = NULL;
			bad++;
			continue;
		}
		switch (dd_store_put(s, r, argv[i], &err)) {
		case DD_STORE_NEW: fresh++; break;
		case DD_STORE_DUPLICATE: dup++; break;
		case DD_STORE_FAILED:
			fprintf(stderr, "%s: %s\n", argv[i], err);
			free(err);
			err = NULL;
			bad++;
			break;
		}
		dd_report_destroy(r);
	}
	dd_store_close(s);
	printf("%zu new, %zu duplicate, %zu refused\n", fresh, dup, bad);
	return bad ? 1 : 0;
}
