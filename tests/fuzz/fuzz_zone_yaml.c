/*
 * fuzz_zone_yaml.c: a proposed octoDNS YAML file (--zone) -> the reader
 * (cmd/gather/zone_yaml.c), the zone model and its answers (zone.c).
 */
#include "fuzz_zone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_zone(data, size, "yaml");
	return 0;
}
