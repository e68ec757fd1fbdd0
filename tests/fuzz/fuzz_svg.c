/*
 * fuzz_svg.c: a BIMI logo from a hostile web server -> the SVG Tiny PS
 * checks (expat; entity declarations refused).
 */
#include "fuzz.h"
#include "dd/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_svg_check c;
	dd_svg_check((const char *)data, size, &c);
	return 0;
}
