/*
 * fuzz_records.c: a TXT record from a hostile zone -> every record parser
 * (tag=value lists, DMARC, DKIM record and key, MTA-STS, TLS-RPT and BIMI
 * records, https URLs) and every escaper.
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

	/* the receiving-side records: MTA-STS, TLS-RPT, BIMI, and URLs in them */
	struct dd_sts_record sts;
	dd_sts_record_is_sts(s, size);
	dd_sts_record_parse(s, size, &sts);
	struct dd_tlsrpt_record rpt;
	dd_tlsrpt_record_is_tlsrpt(s, size);
	dd_tlsrpt_record_parse(s, size, &rpt);
	dd_tlsrpt_record_finish(&rpt);
	struct dd_bimi_record bimi;
	dd_bimi_record_is_bimi(s, size);
	dd_bimi_record_parse(s, size, &bimi);
	dd_bimi_record_finish(&bimi);
	char host[DD_NAME_MAX + 1];
	uint16_t port;
	dd_url_parse_https(s, size, host, &port);
	dd_is_ip_literal(s, size);

	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_text(&b, s, size);
	dd_escape_json(&b, s, size);
	dd_escape_csv(&b, s, size);
	dd_strbuf_finish(&b);
	return 0;
}
