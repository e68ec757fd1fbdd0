/*
 * fuzz.h: every parser of untrusted input has a harness with this one entry
 * point (STYLE.md habit 14). Built two ways:
 *   - with replay.c, a plain driver that `meson test` runs over the seed
 *     corpus in testdata/fuzz/<target>/ plus deterministic mutations of it;
 *   - with clang -fsanitize=fuzzer (meson -Dfuzzing=true) for real fuzzing.
 */
#ifndef DD_FUZZ_H
#define DD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
