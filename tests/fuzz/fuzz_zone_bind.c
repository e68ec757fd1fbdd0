/*
 * fuzz_zone_bind.c: a proposed BIND master file (--zone) -> the reader
 * (cmd/gather/zone_bind.c), the zone model and its answers (zone.c).
 */
#include "fuzz_zone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_zone(data, size, "zone");
	return 0;
}
