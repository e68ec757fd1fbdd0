/*
 * fuzz_wire.c: a DNS response from a hostile server -> dd_answer
 * (cmd/gather/wire.c), for every question type we ask.
 */
#include "fuzz.h"
#include "gather/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t types[] = { DD_RR_TXT,  DD_RR_MX,    DD_RR_A,
		                          DD_RR_AAAA, DD_RR_CNAME, DD_RR_PTR };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct dd_answer *a = dd_wire_answer("example.com", types[i], data, size);
		dd_answer_size(a);
		dd_answer_unref(a);
	}
	return 0;
}
