/*
 * fuzz_tlsa.c: a TLSA record's presentation rdata from a hostile zone ->
 * the TLSA parser and the RFC 7672 judgement (checks/dnssec_policy.c).
 */
#include <string.h>

#include "fuzz.h"
#include "dd/check.h"
#include "dd/dnssec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_tlsa t;
	const struct dd_text *err = NULL;
	if (dd_tlsa_parse((const char *)data, size, &t, &err)) {
		unsigned flags = dd_tlsa_judge(&t);
		dd_tlsa_usable(flags);
		if (t.len > DD_TLSA_DATA_MAX || t.usage > 255 || t.selector > 255 || t.mtype > 255)
			__builtin_trap();
		dd_tlsa_finish(&t);
	} else if (t.data || !err || !*err->en || !err->ja) {
		__builtin_trap(); /* a failed parse owns nothing and says why */
	}
	return 0;
}
