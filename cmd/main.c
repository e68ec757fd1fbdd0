/*
 * main.c: parse, run, render, clean up, exit with a named code
 * (STYLE.md habit 1). Everything else lives behind dd_run().
 */
#include <stdio.h>

#include "options.h"
#include "run.h"

int main(int argc, char **argv)
{
	struct dd_config cfg;
	int code;
	switch (dd_options_parse(argc, argv, &cfg, stdout, stderr)) {
	case DD_PARSE_EXIT_OK: code = DD_EXIT_OK; break;
	case DD_PARSE_USAGE: code = DD_EXIT_USAGE; break;
	case DD_PARSE_RUN:
	default: code = dd_run(&cfg); break;
	}
	dd_config_finish(&cfg);
	return code;
}
