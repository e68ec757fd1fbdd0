/*
 * run.h: check every domain of the configuration and render the results.
 */
#ifndef DD_RUN_H
#define DD_RUN_H

#include "options.h"

/* The exit codes of DESIGN.md: a public contract. */
enum dd_exit {
	DD_EXIT_OK = 0,       /* nothing at or above --fail-on */
	DD_EXIT_FINDINGS = 1, /* a finding at or above --fail-on */
	DD_EXIT_USAGE = 2,    /* bad usage or unreadable input */
	DD_EXIT_DNS = 3,      /* a DNS failure left a domain undetermined */
};

int dd_run(const struct dd_config *cfg);

#endif
