/*
 * fuzz_http.c: what a hostile web server or record controls of the HTTP
 * layer -> Content-Type parsing (each line as a header value) and the
 * https URL splitter (the whole input as a URL).
 */
#include <string.h>

#include "fuzz.h"
#include "dd/fetch.h"
#include "dd/types.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;
	char type[128], charset[64], host[DD_NAME_MAX + 1];
	uint16_t port;
	dd_url_parse_https(s, size, host, &port);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		dd_media_type_parse(s, (size_t)(e - s), type, sizeof(type), charset,
		                    sizeof(charset));
		dd_media_type_parse(s, (size_t)(e - s), type, 2, charset, 1);
		s = nl ? nl + 1 : end;
	}
	return 0;
}
