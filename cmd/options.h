/*
 * options.h: the command line. One table (options.c) drives getopt_long,
 * --help and the usage line; a test checks it against dmarc-doctor.1.
 */
#ifndef DD_OPTIONS_H
#define DD_OPTIONS_H

#include <stdio.h>

#include "dd/check.h"
#include "dd/render.h"

#define DD_FAIL_NEVER (-1)

/* A domain as the user gave it, and the name we look up (A-labels). */
struct dd_domain_arg {
	char *display;
	char *name;
};

/* --zone FILE[=ORIGIN] */
struct dd_zone_arg {
	char *path;
	char *origin; /* normalised; NULL: from the file or its name */
};

struct dd_config {
	const struct dd_renderer *format;
	char *resolvers; /* comma-separated for c-ares; NULL: /etc/resolv.conf */
	int timeout_ms;
	int retries;
	size_t concurrency;
	int fail_on; /* an enum dd_severity, or DD_FAIL_NEVER */
	char **selectors;
	size_t nselectors;
	const char *domains_file; /* -f; "-" is standard input */
	struct dd_domain_arg *domains;
	size_t ndomains;
	bool no_color;
	bool verbose;
	struct dd_zone_arg *zones; /* --zone, in the order given */
	size_t nzones;
	const char *baseline;       /* --baseline FILE */
	const char *ca_file;        /* --ca-file FILE: the CAs HTTPS trusts */
	const char *trust_anchor;   /* --trust-anchor FILE; NULL: the default file */
	bool no_dnssec;             /* --no-dnssec */
	double qps;                 /* --qps; 0: no limit */
	bool summary;               /* --summary */
	const char *resume;         /* --resume FILE */
	const char **summary_files; /* --summary-from FILE...; when set, nothing is checked */
	size_t nsummary_files;
	int since_days;     /* --since DAYS: the report window (default 30) */
	const char *output; /* --output FILE; NULL: standard output */
	/* --lang, else the locale's: of the output, and of the usage errors
	 * (read from argv before getopt, so that an error before it has it too) */
	enum dd_lang lang;
	struct dd_check_options check;
	/* Aggregate reports: --reports PATH (repeatable), or with --import the
	 * PATHs of the command line; --store FILE (NULL: the default path). */
	const char **reports;
	size_t nreports;
	bool import_only;
	const char *store;
};

enum dd_parse_outcome {
	DD_PARSE_RUN = 0, /* go on and check */
	DD_PARSE_EXIT_OK, /* --help or --version was printed */
	DD_PARSE_USAGE,   /* a usage error was printed: exit 2 */
};

enum dd_parse_outcome dd_options_parse(int argc, char **argv, struct dd_config *cfg, FILE *out,
                                       FILE *err);
void dd_config_finish(struct dd_config *cfg);

/*
 * A domain from argv or a file: Unicode names become A-labels (UTS #46,
 * RFC 5891), case is folded, a trailing dot dropped. Returns NULL with the
 * reason in *why (zeroed by the caller, who finishes it) when it is not a
 * domain name.
 */
char *dd_domain_from_input(const char *in, struct dd_words *why);

/* The option table, for the man-page test. */
struct dd_option_doc {
	const char *long_name;
	char short_name; /* 0 when none */
	const char *arg; /* NULL when the option takes no argument */
	const char *help;
	const char *help_ja; /* --help under --lang ja or a Japanese locale */
};

size_t dd_option_docs(const struct dd_option_doc **out);

#endif
