/*
 * fuzz_bimi_cert.c: a BIMI mark certificate from a hostile web server ->
 * the logotype extension scanner (our own DER walk, with a data: URI
 * decoder and gunzip) and the PEM/X.509 checks through OpenSSL.
 */
#include "fuzz.h"
#include "dd/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
	dd_bimi_logotype_match(data, size, svg, sizeof(svg) - 1);
	struct dd_bimi_cert c;
	dd_bimi_cert_check((const char *)data, size, "example.com", "default", svg, sizeof(svg) - 1,
	                   1800000000, &c);
	return 0;
}
