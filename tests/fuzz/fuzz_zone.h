/*
 * fuzz_zone.h: what the two zone-file harnesses share. A zone is read from
 * a path ($INCLUDE is relative to it), so each input is written to
 * example.com.<suffix> in a directory of its own (removed at exit), loaded
 * (the origin comes from the file, else its name), and asked the questions
 * the checks ask: apex, _dmarc, a DKIM selector, and a deep name for
 * wildcards and DNAMEs.
 */
#ifndef DD_FUZZ_ZONE_H
#define DD_FUZZ_ZONE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "gather/zone.h"

static char fuzz_zone_dir[64], fuzz_zone_path[128];

static void fuzz_zone_cleanup(void)
{
	unlink(fuzz_zone_path);
	rmdir(fuzz_zone_dir);
}

static void fuzz_zone(const uint8_t *data, size_t size, const char *suffix)
{
	if (!fuzz_zone_path[0]) {
		/* tmpfs: rewriting a file on a disk for each input costs 10 times more */
		snprintf(fuzz_zone_dir, sizeof(fuzz_zone_dir), "/dev/shm/dd-fuzz-zone-XXXXXX");
		if (!mkdtemp(fuzz_zone_dir)) {
			snprintf(fuzz_zone_dir, sizeof(fuzz_zone_dir), "/tmp/dd-fuzz-zone-XXXXXX");
			if (!mkdtemp(fuzz_zone_dir))
				abort();
		}
		snprintf(fuzz_zone_path, sizeof(fuzz_zone_path), "%s/example.com.%s", fuzz_zone_dir,
		         suffix);
		atexit(fuzz_zone_cleanup);
	}
	FILE *f = fopen(fuzz_zone_path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();

	struct dd_zone_error err;
	struct dd_zone *z = dd_zone_load(fuzz_zone_path, NULL, &err);
	if (!z) {
		free(dd_zone_error_format(&err));
		dd_zone_error_finish(&err);
		return;
	}
	static const char *const prefixes[] = { "", "_dmarc.", "selector1._domainkey.",
		                                "a.b.c.d." };
	static const uint16_t types[] = { DD_RR_TXT, DD_RR_MX, DD_RR_A, DD_RR_CNAME };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		char name[DD_NAME_MAX + 64];
		snprintf(name, sizeof(name), "%s%s", prefixes[i], dd_zone_origin(z));
		for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
			dd_answer_unref(dd_zone_answer(z, name, types[t]));
	}
	dd_zone_destroy(z);
}

#endif
