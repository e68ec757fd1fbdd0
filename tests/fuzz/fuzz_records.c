/*
 * fuzz_records.c: a TXT record from a hostile zone -> every record parser
 * (tag=value lists, DMARC, DKIM record and key) and every escaper.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "dd/check.h"
#include "dd/parse.h"
#include "dd/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct dd_taglist tl;
	dd_taglist_parse(s, size, &tl);

	struct dd_dmarc_record dm;
	if (dd_dmarc_parse(s, size, &dm))
		dd_dmarc_requested_policy(&dm);
	dd_dmarc_near_miss(s, size);

	struct dd_dkim_record dk;
	dd_dkim_record_parse(s, size, &dk);
	dd_dkim_looks_like_key(s, size);
	dd_dkim_looks_like_hostname(s, size);
	struct dd_dkim_key key;
	dd_dkim_key_decode(NULL, 0, s, size, &key);
	dd_dkim_key_decode("ed25519", 7, s, size, &key);

	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_text(&b, s, size);
	dd_escape_json(&b, s, size);
	dd_escape_csv(&b, s, size);
	dd_strbuf_finish(&b);
	return 0;
}
