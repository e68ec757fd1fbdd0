/*
 * test_options.c: the option table agrees with the man page, values are
 * checked, and domains from the user become A-labels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "options.h"

static void test_man_page_matches_table(void **state)
{
	(void)state;
	char *man = dd_test_read("../cmd/dmarc-doctor.1", NULL);
	const struct dd_option_doc *docs;
	size_t n = dd_option_docs(&docs);
	size_t listed = 0;
	for (size_t i = 0; i < n; i++) {
		/* roff writes '-' as '\-' */
		char want[96];
		snprintf(want, sizeof(want), "\\-\\-");
		for (const char *c = docs[i].long_name; *c; c++) {
			size_t l = strlen(want);
			if (*c == '-')
				snprintf(want + l, sizeof(want) - l, "\\-");
			else
				snprintf(want + l, sizeof(want) - l, "%c", *c);
		}
		if (!strstr(man, want))
			fail_msg("dmarc-doctor.1 does not document --%s", docs[i].long_name);
		listed++;
	}
	/* and the man page documents nothing the table lacks */
	for (const char *p = man; (p = strstr(p, "\n.B")); p++) {
		const char *opt = strstr(p, "\\-\\-");
		const char *eol = strchr(p + 1, '\n');
		if (!opt || opt > eol)
			continue;
		char name[64];
		size_t k = 0;
		for (const char *c = opt + 4; c < eol && k + 1 < sizeof(name); c++) {
			if (c[0] == '\\' && c[1] == '-') {
				name[k++] = '-';
				c++;
			} else if ((*c >= 'a' && *c <= 'z') || *c == '-') {
				name[k++] = *c;
			} else {
				break;
			}
		}
		name[k] = '\0';
		bool found = false;
		for (size_t i = 0; i < n; i++)
			found |= strcmp(docs[i].long_name, name) == 0;
		if (!found)
			fail_msg("dmarc-doctor.1 documents --%s, which is not an option", name);
	}
	assert_true(listed == n);
	free(man);
}

static enum dd_parse_outcome parse(int argc, char **argv, struct dd_config *cfg)
{
	FILE *devnull = fopen("/dev/null", "w");
	enum dd_parse_outcome o = dd_options_parse(argc, argv, cfg, devnull, devnull);
	fclose(devnull);
	return o;
}

static void test_values(void **state)
{
	(void)state;
	struct dd_config cfg;
	char *ok[] = { "dd",         "--format",   "jsonl",     "--resolver", "127.0.0.1:5300",
		       "--resolver", "[::1]:53",   "--timeout", "250",        "--retries",
		       "0",          "--fail-on",  "warning",   "--selector", "sel2024",
		       "-v",         "Example.COM" };
	assert_int_equal(parse(DD_ARRAY_LEN(ok), ok, &cfg), DD_PARSE_RUN);
	assert_string_equal(cfg.format->name, "jsonl");
	assert_string_equal(cfg.resolvers, "127.0.0.1:5300,[::1]:53");
	assert_int_equal(cfg.timeout_ms, 250);
	assert_int_equal(cfg.retries, 0);
	assert_int_equal(cfg.fail_on, DD_SEV_WARNING);
	assert_int_equal(cfg.nselectors, 1);
	assert_true(cfg.verbose);
	assert_int_equal(cfg.ndomains, 1);
	assert_string_equal(cfg.domains[0].name, "example.com");
	assert_string_equal(cfg.domains[0].display, "Example.COM");
	dd_config_finish(&cfg);

	char *never[] = { "dd", "--fail-on", "never", "a.example" };
	assert_int_equal(parse(4, never, &cfg), DD_PARSE_RUN);
	assert_int_equal(cfg.fail_on, DD_FAIL_NEVER);
	dd_config_finish(&cfg);

	char *bad[][3] = {
		{ "--resolver", "10.0.0.1:0", "a.example" },
		{ "--resolver", "[::1", "a.example" },
		{ "--resolver", "host.example", "a.example" },
		{ "--timeout", "0", "a.example" },
		{ "--retries", "11", "a.example" },
		{ "--concurrency", "x", "a.example" },
		{ "--selector", "a b", "a.example" },
		{ "--format", "yaml", "a.example" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++) {
		char *argv[] = { "dd", bad[i][0], bad[i][1], bad[i][2] };
		assert_int_equal(parse(4, argv, &cfg), DD_PARSE_USAGE);
		dd_config_finish(&cfg);
	}
}

/* --ip/--sender/--helo: check_host() inputs, checked here, carried in cfg.check */
static void test_check_host_options(void **state)
{
	(void)state;
	struct dd_config cfg;
	char *ok[] = {
		"dd",     "--ip",           "2001:db8::1", "--sender", "Macro Error@example.com",
		"--helo", "mx.example.com", "example.com"
	};
	assert_int_equal(parse(DD_ARRAY_LEN(ok), ok, &cfg), DD_PARSE_RUN);
	assert_string_equal(cfg.check.ip, "2001:db8::1");
	assert_string_equal(cfg.check.sender, "Macro Error@example.com");
	assert_string_equal(cfg.check.helo, "mx.example.com");
	dd_config_finish(&cfg);

	char *null_sender[] = { "dd", "--ip", "192.0.2.1", "--sender", "", "example.com" };
	assert_int_equal(parse(DD_ARRAY_LEN(null_sender), null_sender, &cfg), DD_PARSE_RUN);
	assert_string_equal(cfg.check.sender, "");
	dd_config_finish(&cfg);

	char *bad[][3] = {
		{ "--ip", "192.0.2", "a.example" },         { "--ip", "host.example", "a.example" },
		{ "--sender", "no-at-sign", "a.example" },  { "--helo", "", "a.example" },
		{ "--sender", "x@a.example", "a.example" }, /* without --ip */
		{ "--helo", "mx.a.example", "a.example" },  /* without --ip */
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++) {
		char *argv[] = { "dd", bad[i][0], bad[i][1], bad[i][2] };
		assert_int_equal(parse(4, argv, &cfg), DD_PARSE_USAGE);
		dd_config_finish(&cfg);
	}
	char *ctrl[] = { "dd", "--ip", "192.0.2.1", "--helo", "bad\x01name", "a.example" };
	assert_int_equal(parse(DD_ARRAY_LEN(ctrl), ctrl, &cfg), DD_PARSE_USAGE);
	dd_config_finish(&cfg);
}

static void input_ok(const char *in, const char *want)
{
	struct dd_words why = { 0 };
	char *got = dd_domain_from_input(in, &why);
	if (!got)
		fail_msg("%s: %s", in, why.en);
	assert_string_equal(got, want);
	free(got);
}

static void input_bad(const char *in)
{
	struct dd_words why = { 0 };
	char *got = dd_domain_from_input(in, &why);
	if (got)
		fail_msg("%s was accepted as %s", in, got);
	/* a reason in each language, and not the same words */
	assert_non_null(why.en);
	assert_non_null(why.ja);
	assert_string_not_equal(why.en, why.ja);
	dd_words_finish(&why);
}

static void test_domain_input(void **state)
{
	(void)state;
	input_ok("example.co.jp", "example.co.jp");
	input_ok("  Example.CO.JP.  ", "example.co.jp");
	input_ok("日本語.jp", "xn--wgv71a119e.jp");
	input_ok("ＥＸＡＭＰＬＥ.jp", "example.jp"); /* UTS #46 maps fullwidth letters */
	input_ok("bücher.example", "xn--bcher-kva.example");
	input_ok("faß.de", "xn--fa-hia.de"); /* non-transitional: ß stays */
	input_ok("_dmarc.example.com", "_dmarc.example.com");
	input_bad("");
	input_bad("exa mple.com");
	input_bad("-lead.example");
	input_bad("trail-.example");
	input_bad("a..b");
	input_bad("192.0.2.1");
	input_bad("ex!ample.com");
	input_bad("\xff\xfe.example"); /* not UTF-8 */
}

/* --reports, --import, --store */
static void test_reports(void **state)
{
	(void)state;
	struct dd_config cfg;
	char *with[] = {
		"dd", "--reports", "a/", "--reports", "-", "--store", "s.db", "example.com"
	};
	assert_int_equal(parse(DD_ARRAY_LEN(with), with, &cfg), DD_PARSE_RUN);
	assert_int_equal(cfg.nreports, 2);
	assert_string_equal(cfg.reports[1], "-");
	assert_string_equal(cfg.store, "s.db");
	assert_false(cfg.import_only);
	assert_int_equal(cfg.ndomains, 1);
	dd_config_finish(&cfg);

	/* --import: the operands are paths, even ones that look like domains */
	char *import[] = { "dd", "--import", "example.com", "dir/", "-" };
	assert_int_equal(parse(DD_ARRAY_LEN(import), import, &cfg), DD_PARSE_RUN);
	assert_true(cfg.import_only);
	assert_int_equal(cfg.nreports, 3);
	assert_string_equal(cfg.reports[0], "example.com");
	assert_int_equal(cfg.ndomains, 0);
	dd_config_finish(&cfg);

	char *bad[][5] = {
		{ "dd", "--import", NULL },                   /* no path */
		{ "dd", "--import", "-f", "list.txt", "x/" }, /* no domains to check */
		{ "dd", "--import", "--zone", "z.zone", "x/" },
		{ "dd", "--reports", "-", "-f", "-" }, /* stdin twice */
		{ "dd", "--import", "-", "-", NULL },
		{ "dd", "--reports", "", "a.example", NULL },
		{ "dd", "--store", "", "a.example", NULL },
		{ "dd", "--reports", "x/", NULL }, /* and no domain */
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++) {
		int argc = 0;
		while (argc < 5 && bad[i][argc])
			argc++;
		if (parse(argc, bad[i], &cfg) != DD_PARSE_USAGE)
			fail_msg("case %zu was accepted", i);
		dd_config_finish(&cfg);
	}
}

/* What the parser says, for the tests below (its output stream is memory). */
static char *parse_message(int argc, char **argv, enum dd_parse_outcome *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&text, &len);
	struct dd_config cfg;
	*o = dd_options_parse(argc, argv, &cfg, err, err);
	dd_config_finish(&cfg);
	fclose(err);
	return text;
}

static void test_usage_errors_are_escaped_and_name_the_option(void **state)
{
	(void)state;
	enum dd_parse_outcome o;
	/* the unknown letter of a cluster, not the word before it */
	char *a1[] = { "dmarc-doctor", "example.com", "-Zv", NULL };
	char *msg = parse_message(3, a1, &o);
	assert_int_equal(o, DD_PARSE_USAGE);
	assert_non_null(strstr(msg, "'-Z' is not an option"));
	free(msg);
	/* argv text reaches the terminal escaped */
	char *a2[] = { "dmarc-doctor", "a\x1b]0;TITLE\x07.example", NULL };
	msg = parse_message(2, a2, &o);
	assert_int_equal(o, DD_PARSE_USAGE);
	assert_null(strchr(msg, '\x1b'));
	assert_null(strchr(msg, '\x07'));
	assert_non_null(strstr(msg, "'a\\x1B]0;TITLE\\x07.example' is not a valid domain"));
	free(msg);
	char *a3[] = { "dmarc-doctor", "--format", "\xe2\x80\xaejson", "x.example", NULL };
	msg = parse_message(4, a3, &o);
	assert_int_equal(o, DD_PARSE_USAGE);
	assert_null(strstr(msg, "\xe2\x80\xae"));
	assert_non_null(strstr(msg, "\\u{202E}json"));
	free(msg);
	/* a cluster cut short by an error, then a fresh argv: getopt starts over */
	char *a4[] = { "dmarc-doctor", "-vZV", "x.example", NULL };
	free(parse_message(3, a4, &o));
	char *a5[] = { "dmarc-doctor", "-v", "x.example", NULL };
	free(parse_message(3, a5, &o));
	assert_int_equal(o, DD_PARSE_RUN);
}

/* Every usage error in Japanese under --lang ja, wherever --lang stands. */
static void test_usage_errors_in_japanese(void **state)
{
	(void)state;
	char *bad[][7] = {
		{ "--timeout", "x", "a.example" },
		{ "--retries", "99", "a.example" },
		{ "--concurrency", "0", "a.example" },
		{ "--qps", "0", "a.example" },
		{ "--fail-on", "x", "a.example" },
		{ "--selector", "a..b", "a.example" },
		{ "--bimi-selector", "a..b", "a.example" },
		{ "--since", "0", "a.example" },
		{ "--ip", "x", "a.example" },
		{ "--ip", "192.0.2.1", "--sender", "x", "a.example" },
		{ "--ip", "192.0.2.1", "--helo", "", "a.example" },
		{ "--resolver", "x", "a.example" },
		{ "--format", "x", "a.example" },
		{ "--output", "", "a.example" },
		{ "--reports", "", "a.example" },
		{ "--store", "", "a.example" },
		{ "--zone", "=a.example" },
		{ "--zone", "z.zone=a..b" },
		{ "--lang", "xx", "a.example" },
		{ "-Z", "a.example" },
		{ "a.example", "--timeout" },
		{ NULL }, /* no domain */
		{ "-f", "-", "--reports", "-" },
		{ "--resume", "x", "a.example" },
		{ "--sender", "a@b.example", "a.example" },
		{ "--offline", "a.example" },
		{ "--import" },
		{ "--import", "-f", "l", "x/" },
		{ "--summary-from", "a", "-f", "l" },
		{ "a b" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++) {
		char *argv[10] = { "dmarc-doctor" };
		int argc = 1;
		/* --lang after the error for one case: it is read before getopt */
		bool last = strcmp(bad[i][0] ? bad[i][0] : "", "-Z") == 0;
		if (!last) {
			argv[argc++] = "--lang";
			argv[argc++] = "ja";
		}
		for (size_t j = 0; j < 7 && bad[i][j]; j++)
			argv[argc++] = bad[i][j];
		if (last) {
			argv[argc++] = "--lang";
			argv[argc++] = "ja";
		}
		enum dd_parse_outcome o;
		char *msg = parse_message(argc, argv, &o);
		assert_int_equal(o, DD_PARSE_USAGE);
		char *ja = strndup(msg, strcspn(msg, "\n")); /* the error, not the usage lines */
		free(msg);
		if (!strstr(ja, "ません") && !strstr(ja, "です") && !strstr(ja, "ください"))
			fail_msg("case %zu: %s", i, ja);
		/* and English without it */
		argv[last ? argc - 2 : 2] = "en";
		char *en = parse_message(argc, argv, &o);
		if (strstr(en, "ません") || strstr(en, "です") || strstr(en, "ください"))
			fail_msg("case %zu in English: %s", i, en);
		free(en);
		free(ja);
	}
}

/* --help in each language lists every option with its own words. */
static void test_help_in_japanese(void **state)
{
	(void)state;
	const struct dd_option_doc *docs;
	size_t n = dd_option_docs(&docs);
	char *argv[][3] = { { "dmarc-doctor", "--lang", "ja" },
		            { "dmarc-doctor", "--lang", "en" } };
	char *text[2];
	for (int l = 0; l < 2; l++) {
		char *help[] = { argv[l][0], argv[l][1], argv[l][2], "--help", NULL };
		size_t len = 0;
		FILE *out = open_memstream(&text[l], &len);
		struct dd_config cfg;
		assert_int_equal(dd_options_parse(4, help, &cfg, out, out), DD_PARSE_EXIT_OK);
		dd_config_finish(&cfg);
		fclose(out);
	}
	assert_non_null(strstr(text[0], "オプション:"));
	assert_non_null(strstr(text[1], "Options:"));
	for (size_t i = 0; i < n; i++) {
		assert_non_null(docs[i].help_ja);
		assert_string_not_equal(docs[i].help, docs[i].help_ja);
		if (!strstr(text[0], docs[i].help_ja) || strstr(text[0], docs[i].help))
			fail_msg("--help --lang ja: --%s", docs[i].long_name);
		if (!strstr(text[1], docs[i].help) || strstr(text[1], docs[i].help_ja))
			fail_msg("--help --lang en: --%s", docs[i].long_name);
	}
	free(text[0]);
	free(text[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_man_page_matches_table),
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_check_host_options),
		cmocka_unit_test(test_domain_input),
		cmocka_unit_test(test_usage_errors_are_escaped_and_name_the_option),
		cmocka_unit_test(test_usage_errors_in_japanese),
		cmocka_unit_test(test_help_in_japanese),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
