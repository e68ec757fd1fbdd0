/*
 * fuzz_unpack.c: any bytes -> the report containers (cmd/reports/unpack.h):
 * sniffing, gzip (zlib), zip (libarchive), e-mails and mailboxes (GMime),
 * nesting and the caps. Every document handed out is read to its last byte
 * and every origin and reason to its NUL, so that ASan sees a bad length.
 * Caps are smaller than the defaults so that each input runs fast; they
 * are the same code paths.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "reports/unpack.h"

static size_t seen;

static void on_document(void *ctx, const char *origin, const unsigned char *data, size_t len)
{
	(void)ctx;
	unsigned char x = 0;
	for (size_t i = 0; i < len; i++)
		x ^= data[i];
	seen += x + strlen(origin);
}

static void on_skip(void *ctx, const char *origin, enum dd_unpack_skip kind,
                    const struct dd_text *reason)
{
	(void)ctx;
	if (!reason->en || !reason->ja)
		abort(); /* a skip says why, in each language */
	seen += strlen(origin) + strlen(reason->en) + strlen(reason->ja) + (size_t)kind;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dd_unpack_limits lim = {
		.max_document = (size_t)1 << 20,
		.max_nesting = 4,
		.max_members = 64,
	};
	struct dd_unpack_sink sink = { on_document, on_skip, NULL };
	dd_unpack_buffer("fuzz", data, size, &lim, &sink);
	return 0;
}
