/*
 * fuzz_mta_sts.c: an MTA-STS policy file from a hostile web server
 * (RFC 8461 §3.2) -> the policy parser, then every mx pattern it kept
 * against a few hosts and against the policy's own first line.
 */
#include <string.h>

#include "fuzz.h"
#include "dd/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_sts_policy p;
	dd_sts_policy_parse((const char *)data, size, &p);
	char first[300];
	size_t n = 0;
	while (n < size && n < sizeof(first) - 1 && data[n] != '\n' && data[n] != '\0') {
		first[n] = (char)data[n];
		n++;
	}
	first[n] = '\0';
	static const char *const hosts[] = { "mx1.example.com", "example.com", "a.b.example.com",
		                             "MX.EXAMPLE.NET." };
	for (size_t i = 0; i < p.nmx; i++) {
		for (size_t h = 0; h < sizeof(hosts) / sizeof(hosts[0]); h++)
			dd_sts_mx_match(p.mx[i], hosts[h]);
		dd_sts_mx_match(p.mx[i], first);
	}
	dd_sts_policy_finish(&p);
	return 0;
}
