/*
 * test_zone.c: proposed zone files (cmd/gather/zone*.c) and the overlay
 * resolver in front of another one (resolver_zone.c).
 *
 * Each test writes its files into a fresh temporary directory, loads them
 * and asks what an authoritative server would answer - records with their
 * file:line, NXDOMAIN/NODATA, wildcards, CNAME and DNAME chains, NS cuts -
 * or checks that a broken file stops at the right FILE:LINE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gather/zone.h"
#include "helpers.h"
#include "dd/util.h"

static char dir[DD_TEST_TMPDIR_SIZE];

static int make_dir(void **state)
{
	(void)state;
	return dd_test_tmpdir_make(dir, "dd-zone");
}

static int remove_dir(void **state)
{
	(void)state;
	return dd_test_tmpdir_remove(dir);
}

static const char *put_n(const char *name, const char *text, size_t len);

/* Write `text` to dir/name; returns the full path (static buffer). */
static const char *put(const char *name, const char *text)
{
	return put_n(name, text, strlen(text));
}

static const char *put_n(const char *name, const char *text, size_t len)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	/* the directories under dir, one mkdir each (no shell) */
	for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		*slash = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fwrite(text, 1, len, f);
	fclose(f);
	return path;
}

static struct dd_zone *load_ok(const char *path, const char *origin)
{
	struct dd_zone_error err;
	struct dd_zone *z = dd_zone_load(path, origin, &err);
	if (!z)
		fail_msg("%s", dd_zone_error_format(&err));
	return z;
}

/* Loading must fail at file:line with a message containing `what`. */
static void load_fails(const char *path, const char *origin, const char *file_suffix, uint32_t line,
                       const char *what)
{
	struct dd_zone_error err;
	struct dd_zone *z = dd_zone_load(path, origin, &err);
	if (z)
		fail_msg("%s loaded, expected: %s", path, what);
	char *shown = dd_zone_error_format(&err);
	size_t n = strlen(err.file), k = strlen(file_suffix);
	if (n < k || strcmp(err.file + n - k, file_suffix) != 0 || err.line != line ||
	    !strstr(err.message, what))
		fail_msg("got \"%s\", expected %s:%u and \"%s\"", shown, file_suffix, line, what);
	assert_non_null(strstr(shown, ": error: "));
	free(shown);
	dd_zone_error_finish(&err);
}

static struct dd_answer *ask(const struct dd_zone *z, const char *name, uint16_t type)
{
	struct dd_answer *a = dd_zone_answer(z, name, type);
	assert_non_null(a);
	return a;
}

/* ------------------------------------------------------------ BIND files */

static const char basic_zone[] = "$ORIGIN example.test.\n"                              /* 1 */
                                 "$TTL 1h\n"                                            /* 2 */
                                 "@ IN SOA ns1 hostmaster ( 1 2 3 4 5 )\n"              /* 3 */
                                 "  IN NS ns1\n"                                        /* 4 */
                                 "\n"                                                   /* 5 */
                                 "; mail\n"                                             /* 6 */
                                 "@ IN MX 10 mx ; a comment\n"                          /* 7 */
                                 "@ IN TXT \"v=spf1 ip4:192.0.2.0/24\" \" -all\"\n"     /* 8 */
                                 "_dmarc IN 300 TXT \"v=DMARC1; p=none\"\n"             /* 9 */
                                 "sel._domainkey IN TXT ( \"v=DKIM1; k=rsa; \"\n"       /* 10 */
                                 "        \"p=MIIB\" )\n"                               /* 11 */
                                 "mx A 192.0.2.25\n"                                    /* 12 */
                                 "deep.empty.nonterminal TXT \"x\"\n"                   /* 13 */
                                 "escaped TXT \"semi\\;colon \\\"quoted\\\" \\059\"\n"; /* 14 */

static void test_bind_records_and_lines(void **state)
{
	(void)state;
	const char *path = put("basic.zone", basic_zone);
	struct dd_zone *z = load_ok(path, NULL);
	assert_string_equal(dd_zone_origin(z), "example.test");

	struct dd_answer *a = ask(z, "example.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_int_equal(a->source, DD_SOURCE_ZONE);
	assert_int_equal(a->nrrs, 1);
	assert_string_equal(a->rrs[0].data, "v=spf1 ip4:192.0.2.0/24 -all");
	assert_int_equal(a->rrs[0].nstrings, 2);
	assert_int_equal(a->rrs[0].line, 8);
	assert_string_equal(a->rrs[0].file, path);
	assert_string_equal(a->file, path);
	assert_int_equal(a->line, 3); /* the owner's first line: the SOA */
	assert_int_equal(a->rrs[0].ttl, 3600);
	dd_answer_unref(a);

	a = ask(z, "_dmarc.example.test", DD_RR_TXT); /* class before TTL */
	assert_int_equal(a->rrs[0].ttl, 300);
	assert_int_equal(a->rrs[0].line, 9);
	dd_answer_unref(a);

	a = ask(z, "sel._domainkey.example.test", DD_RR_TXT); /* a record over two lines */
	assert_string_equal(a->rrs[0].data, "v=DKIM1; k=rsa; p=MIIB");
	assert_int_equal(a->rrs[0].line, 10);
	dd_answer_unref(a);

	a = ask(z, "example.test", DD_RR_MX); /* relative names get the origin */
	assert_string_equal(a->rrs[0].data, "mx.example.test");
	assert_int_equal(a->rrs[0].pref, 10);
	dd_answer_unref(a);

	a = ask(z, "escaped.example.test", DD_RR_TXT);
	assert_string_equal(a->rrs[0].data, "semi;colon \"quoted\" ;");
	dd_answer_unref(a);
	dd_zone_destroy(z);
}

static void test_bind_negative_answers(void **state)
{
	(void)state;
	struct dd_zone *z = load_ok(put("neg.zone", basic_zone), NULL);
	struct dd_answer *a = ask(z, "nothere.example.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_NXDOMAIN);
	assert_int_equal(a->line, 3); /* where a missing record belongs: the SOA */
	dd_answer_unref(a);
	a = ask(z, "mx.example.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_NODATA);
	assert_int_equal(a->line, 12);
	dd_answer_unref(a);
	/* RFC 8020: a name with names below it exists */
	a = ask(z, "empty.nonterminal.example.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_NODATA);
	dd_answer_unref(a);
	a = ask(z, "nonterminal.example.test", DD_RR_A);
	assert_int_equal(a->status, DD_DNS_NODATA);
	dd_answer_unref(a);
	/* names outside the zone are not its business */
	assert_null(dd_zone_answer(z, "example.other", DD_RR_TXT));
	assert_null(dd_zone_answer(z, "test", DD_RR_TXT));
	dd_zone_destroy(z);
}

static void test_wildcards(void **state)
{
	(void)state;
	struct dd_zone *z = load_ok(put("wild.zone", "$ORIGIN w.test.\n"
	                                             "@ SOA ns h 1 2 3 4 5\n"
	                                             "*._domainkey TXT \"v=DKIM1; p=\"\n"
	                                             "real._domainkey TXT \"v=DKIM1; p=AB\"\n"
	                                             "*.a TXT \"wild a\"\n"
	                                             "b.a A 192.0.2.1\n"),
	                            NULL);
	struct dd_answer *a = ask(z, "any._domainkey.w.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_string_equal(a->rrs[0].data, "v=DKIM1; p=");
	assert_int_equal(a->rrs[0].line, 3);
	dd_answer_unref(a);
	a = ask(z, "real._domainkey.w.test", DD_RR_TXT); /* an existing name: no wildcard */
	assert_string_equal(a->rrs[0].data, "v=DKIM1; p=AB");
	dd_answer_unref(a);
	a = ask(z, "x.y._domainkey.w.test", DD_RR_TXT); /* several labels deep */
	assert_int_equal(a->status, DD_DNS_OK);
	dd_answer_unref(a);
	/* RFC 4592: b.a exists, so it is the closest encloser of c.b.a: *.a does not apply */
	a = ask(z, "c.b.a.w.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_NXDOMAIN);
	dd_answer_unref(a);
	a = ask(z, "b.a.w.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_NODATA);
	dd_answer_unref(a);
	a = ask(z, "q.a.w.test", DD_RR_MX); /* the wildcard's owner has no MX */
	assert_int_equal(a->status, DD_DNS_NODATA);
	dd_answer_unref(a);
	dd_zone_destroy(z);
}

static void test_cname_and_dname(void **state)
{
	(void)state;
	struct dd_zone *z = load_ok(put("c.zone", "$ORIGIN c.test.\n"
	                                          "@ SOA ns h 1 2 3 4 5\n"
	                                          "_dmarc CNAME policy\n"
	                                          "policy TXT \"v=DMARC1; p=reject\"\n"
	                                          "s1._domainkey CNAME s1.dkim.provider.example.\n"
	                                          "loop1 CNAME loop2\n"
	                                          "loop2 CNAME loop1\n"
	                                          "old DNAME new.c.test.\n"
	                                          "x.new TXT \"moved\"\n"),
	                            NULL);
	struct dd_answer *a = ask(z, "_dmarc.c.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_int_equal(a->ncnames, 1);
	assert_string_equal(a->cnames[0], "policy.c.test");
	assert_int_equal(a->rrs[0].line, 4);
	dd_answer_unref(a);
	/* a target outside the zone: the chain alone, for the engine to follow */
	a = ask(z, "s1._domainkey.c.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_NODATA);
	assert_int_equal(a->nrrs, 0);
	assert_string_equal(a->cnames[0], "s1.dkim.provider.example");
	assert_int_equal(a->line, 5);
	dd_answer_unref(a);
	/* asked for the CNAME itself, it is the answer */
	a = ask(z, "_dmarc.c.test", DD_RR_CNAME);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_string_equal(a->rrs[0].data, "policy.c.test");
	assert_int_equal(a->ncnames, 0);
	dd_answer_unref(a);
	a = ask(z, "loop1.c.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_SERVFAIL);
	dd_answer_unref(a);
	/* RFC 6672: x.old is rewritten to x.new */
	a = ask(z, "x.old.c.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_string_equal(a->cnames[0], "x.new.c.test");
	assert_string_equal(a->rrs[0].data, "moved");
	dd_answer_unref(a);
	dd_zone_destroy(z);
}

static void test_delegation(void **state)
{
	(void)state;
	struct dd_zone *z = load_ok(put("d.zone", "$ORIGIN d.test.\n"
	                                          "@ SOA ns h 1 2 3 4 5\n"
	                                          "@ NS ns.elsewhere.example.\n"
	                                          "sub NS ns.sub\n"
	                                          "ns.sub A 192.0.2.53\n"
	                                          "app CNAME x.sub\n"),
	                            NULL);
	/* the apex NS is the zone's own; sub is another zone's */
	struct dd_answer *a = ask(z, "d.test", DD_RR_NS);
	assert_int_equal(a->status, DD_DNS_OK);
	dd_answer_unref(a);
	assert_null(dd_zone_answer(z, "sub.d.test", DD_RR_TXT));
	assert_null(dd_zone_answer(z, "_dmarc.sub.d.test", DD_RR_TXT));
	assert_null(dd_zone_answer(z, "ns.sub.d.test", DD_RR_A)); /* glue is not an answer */
	/* a chain into the delegated zone stops at the cut */
	a = ask(z, "app.d.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_NODATA);
	assert_string_equal(a->cnames[0], "x.sub.d.test");
	dd_answer_unref(a);
	dd_zone_destroy(z);
}

static void test_include(void **state)
{
	(void)state;
	put("inc/parts/mail.inc", "@ TXT \"v=spf1 -all\"\n"
	                          "_dmarc TXT \"v=DMARC1; p=reject\"\n");
	put("inc/parts/sub.inc", "$ORIGIN deeper.i.test.\n"
	                         "x TXT \"in sub\"\n");
	const char *path = put("inc/zones/i.zone", "$ORIGIN i.test.\n"
	                                           "@ SOA ns h 1 2 3 4 5\n"
	                                           "$INCLUDE ../parts/mail.inc\n"
	                                           "$INCLUDE \"../parts/mail.inc\" sub.i.test.\n"
	                                           "$INCLUDE ../parts/sub.inc\n"
	                                           "after TXT \"origin is back\"\n");
	struct dd_zone *z = load_ok(path, NULL);
	struct dd_answer *a = ask(z, "_dmarc.i.test", DD_RR_TXT);
	assert_int_equal(a->rrs[0].line, 2);
	/* the included file, named from the including one, ".." folded */
	char want[256];
	snprintf(want, sizeof(want), "%s/inc/parts/mail.inc", dir);
	assert_string_equal(a->rrs[0].file, want);
	dd_answer_unref(a);
	a = ask(z, "_dmarc.sub.i.test", DD_RR_TXT); /* $INCLUDE with an origin */
	assert_int_equal(a->status, DD_DNS_OK);
	dd_answer_unref(a);
	a = ask(z, "x.deeper.i.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	dd_answer_unref(a);
	/* after an $INCLUDE its $ORIGIN is gone (RFC 1035 §5.1) */
	a = ask(z, "after.i.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_int_equal(a->rrs[0].line, 6);
	assert_string_equal(a->rrs[0].file, path);
	dd_answer_unref(a);
	dd_zone_destroy(z);
}

static void test_duplicates_are_one_record(void **state)
{
	(void)state;
	struct dd_zone *z = load_ok(put("dup.zone", "$ORIGIN dup.test.\n"
	                                            "@ TXT \"v=spf1 -all\"\n"
	                                            "@ 60 TXT \"v=spf1 -all\"\n"
	                                            "a CNAME b\n"
	                                            "a CNAME b\n"),
	                            NULL);
	struct dd_answer *a = ask(z, "dup.test", DD_RR_TXT);
	assert_int_equal(a->nrrs, 1); /* RFC 2181 §5: an RRset holds a record once */
	assert_int_equal(a->rrs[0].line, 2);
	dd_answer_unref(a);
	dd_zone_destroy(z);
}

static void test_origin_rules(void **state)
{
	(void)state;
	/* no $ORIGIN: the SOA owner decides; relative names need the file's name */
	struct dd_zone *z = load_ok(put("whatever.txt", "abs.test. SOA ns.abs.test. h 1 2 3 4 5\n"
	                                                "www.abs.test. A 192.0.2.1\n"),
	                            NULL);
	assert_string_equal(dd_zone_origin(z), "abs.test");
	dd_zone_destroy(z);
	z = load_ok(put("named.test.zone", "@ SOA ns h 1 2 3 4 5\nwww A 192.0.2.1\n"), NULL);
	assert_string_equal(dd_zone_origin(z), "named.test");
	dd_zone_destroy(z);
	z = load_ok(put("db.other.test", "@ SOA ns h 1 2 3 4 5\n"), NULL);
	assert_string_equal(dd_zone_origin(z), "other.test");
	dd_zone_destroy(z);
	/* --zone FILE=ORIGIN wins */
	z = load_ok(put("named2.test.zone", "@ SOA ns h 1 2 3 4 5\n"), "given.test");
	assert_string_equal(dd_zone_origin(z), "given.test");
	dd_zone_destroy(z);

	char *o = dd_zone_origin_from_name("zones/example.co.jp.zone");
	assert_string_equal(o, "example.co.jp");
	free(o);
	o = dd_zone_origin_from_name("/x/justice.gov.uk.yaml");
	assert_string_equal(o, "justice.gov.uk");
	free(o);
	o = dd_zone_origin_from_name("example.com.yml");
	assert_string_equal(o, "example.com");
	free(o);
	assert_null(dd_zone_origin_from_name("zone.txt"));
	assert_null(dd_zone_origin_from_name("example.com"));
	assert_null(dd_zone_origin_from_name(".zone"));
	assert_null(dd_zone_origin_from_name("bad..name.zone"));
	assert_null(dd_zone_origin_from_name("zone.yaml")); /* one label: not a guess we make */
}

/* ---------------------------------------------------- BIND file errors */

static void test_bind_errors(void **state)
{
	(void)state;
	char big[400];
	memset(big, 'a', 300);
	big[300] = '\0';
	char *long_string = xasprintf("$ORIGIN e.test.\n@ SOA ns h 1 2 3 4 5\nx TXT \"%s\"\n", big);
	load_fails(put("long.zone", long_string), NULL, "long.zone", 3,
	           "character-string of 300 octets");
	free(long_string);
	load_fails(put("quote.zone", "$ORIGIN e.test.\n"
	                             "ok TXT \"fine\"\n"
	                             "bad TXT \"v=spf1 -all\n"
	                             "next TXT \"x\"\n"),
	           NULL, "quote.zone", 3, "unbalanced quote");
	load_fails(put("quote-eof.zone", "$ORIGIN e.test.\nbad TXT \"v=spf1 -all"), NULL,
	           "quote-eof.zone", 2, "never closed");
	load_fails(put("syntax.zone", "$ORIGIN e.test.\n"
	                              "\n"
	                              "www A 300.1.2.3\n"),
	           NULL, "syntax.zone", 3, "A record");
	load_fails(put("type.zone", "$ORIGIN e.test.\nwww BOGUS 1\n"), NULL, "type.zone", 2,
	           "BOGUS record");
	load_fails(put("paren.zone", "$ORIGIN e.test.\n"
	                             "x TXT ( \"a\"\n"
	                             "\"b\"\n"),
	           NULL, "paren.zone", 2, "'(' on this line is never closed");
	load_fails(put("close.zone", "$ORIGIN e.test.\nx TXT \"a\" )\n"), NULL, "close.zone", 2,
	           "')' without a '('");
	load_fails(put("outside.zone", "$ORIGIN e.test.\n"
	                               "@ SOA ns h 1 2 3 4 5\n"
	                               "www.other.test. A 192.0.2.1\n"),
	           NULL, "outside.zone", 3, "outside the zone e.test");
	load_fails(put("soa2.zone", "$ORIGIN e.test.\n"
	                            "@ SOA ns h 1 2 3 4 5\n"
	                            "@ SOA ns h 2 2 3 4 5\n"),
	           NULL, "soa2.zone", 3, "second SOA");
	load_fails(put("cname.zone", "$ORIGIN e.test.\n"
	                             "www CNAME host\n"
	                             "www TXT \"x\"\n"),
	           NULL, "cname.zone", 3, "CNAME");
	load_fails(put("cname2.zone", "$ORIGIN e.test.\n"
	                              "www CNAME a\n"
	                              "www CNAME b\n"),
	           NULL, "cname2.zone", 3, "second CNAME");
	load_fails(put("class.zone", "$ORIGIN e.test.\nx CH TXT \"a\"\n"), NULL, "class.zone", 2,
	           "class CH");
	load_fails(put("gen.zone", "$ORIGIN e.test.\n$GENERATE 1-9 h$ A 192.0.2.$\n"), NULL,
	           "gen.zone", 2, "$GENERATE");
	load_fails(put("dir.zone", "$ORIGIN e.test.\n$FOO bar\n"), NULL, "dir.zone", 2,
	           "unknown directive");
	load_fails(put("ttl.zone", "$TTL soon\n"), NULL, "ttl.zone", 1, "$TTL");
	load_fails(put("noorigin.txt", "www A 192.0.2.1\n"), NULL, "noorigin.txt", 1,
	           "no origin is known");
	load_fails(put("noowner.zone", "$ORIGIN e.test.\n  TXT \"x\"\n"), NULL, "noowner.zone", 2,
	           "no owner name");
	static const char nul[] = "$ORIGIN e.test.\nx TXT \"a\"\n\0x TXT \"b\"\n";
	load_fails(put_n("nul.zone", nul, sizeof(nul) - 1), NULL, "nul.zone", 3, "NUL");
	struct dd_zone_error err;
	assert_null(dd_zone_load("/nonexistent/dir/x.zone", NULL, &err));
	assert_non_null(strstr(err.message, "No such file"));
	dd_zone_error_finish(&err);
}

static void test_include_errors(void **state)
{
	(void)state;
	load_fails(put("im.zone", "$ORIGIN e.test.\n\n$INCLUDE missing.inc\n"), NULL, "im.zone", 3,
	           "missing.inc: No such file");
	load_fails(put("in.zone", "$ORIGIN e.test.\n$INCLUDE\n"), NULL, "in.zone", 2,
	           "needs a file name");
	/* a file that includes itself, directly or through another */
	load_fails(put("self.zone", "$ORIGIN e.test.\n$INCLUDE self.zone\n"), NULL, "self.zone", 2,
	           "include loop");
	put("loop-b.inc", "x TXT \"b\"\n$INCLUDE loop-a.inc\n");
	put("loop-a.inc", "y TXT \"a\"\n$INCLUDE loop-b.inc\n");
	load_fails(put("loop.zone", "$ORIGIN e.test.\n$INCLUDE loop-a.inc\n"), NULL, "loop-b.inc",
	           2, "include loop");
	/* nested deeper than the cap, without a loop */
	for (int i = 0; i < 12; i++) {
		char name[32], text[64];
		snprintf(name, sizeof(name), "chain%d.inc", i);
		snprintf(text, sizeof(text), "$INCLUDE chain%d.inc\n", i + 1);
		put(name, text);
	}
	put("chain12.inc", "x TXT \"end\"\n");
	load_fails(put("chain.zone", "$ORIGIN e.test.\n$INCLUDE chain0.inc\n"), NULL, "chain6.inc",
	           1, "nested more than");
	/* an error inside an included file is reported there */
	put("bad.inc", "ok TXT \"x\"\nbad TXT \"open\n");
	load_fails(put("incbad.zone", "$ORIGIN e.test.\n$INCLUDE bad.inc\n"), NULL, "bad.inc", 2,
	           "unbalanced quote");
	/* a directory is not a zone file */
	char *sub = xasprintf("%s/adir", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	free(sub);
	load_fails(put("incdir.zone", "$ORIGIN e.test.\n$INCLUDE adir\n"), NULL, "incdir.zone", 2,
	           "directory");
}

/* ------------------------------------------------------- octoDNS YAML */

static const char octo_yaml[] = "---\n"                                                   /* 1 */
                                "'':\n"                                                   /* 2 */
                                "  - type: MX\n"                                          /* 3 */
                                "    value:\n"                                            /* 4 */
                                "      exchange: mx.octo.test.\n"                         /* 5 */
                                "      preference: 10\n"                                  /* 6 */
                                "  - ttl: 600\n"                                          /* 7 */
                                "    type: TXT\n"                                         /* 8 */
                                "    values:\n"                                           /* 9 */
                                "      - google-site-verification=abc\n"                  /* 10 */
                                "      - v=spf1 include:_spf.google.com ~all\n"           /* 11 */
                                "_dmarc:\n"                                               /* 12 */
                                "  type: TXT\n"                                           /* 13 */
                                "  value: v=DMARC1\\; p=none\\; rua=mailto:d@octo.test\n" /* 14 */
                                "Mixed-Case:\n"                                           /* 15 */
                                "  type: CNAME\n"                                         /* 16 */
                                "  value: target.example.com\n"                           /* 17 */
                                "alias:\n"                                                /* 18 */
                                "  type: Route53Provider/ALIAS\n"                         /* 19 */
                                "  value: {name: x.example., type: A}\n"                  /* 20 */
                                "list-in-value:\n"                                        /* 21 */
                                "  type: MX\n"                                            /* 22 */
                                "  value:\n"                                              /* 23 */
                                "    - exchange: a.example.\n"                            /* 24 */
                                "      preference: 10\n"                                  /* 25 */
                                "    - exchange: b.example.\n"                            /* 26 */
                                "      preference: 20\n"                                  /* 27 */
                                "_sip._tcp:\n"                                            /* 28 */
                                "  type: SRV\n"                                           /* 29 */
                                "  value: {port: 5061, priority: 1, target: sip.example.com, "
                                "weight: 2}\n"                   /* 30 */
                                "quotes:\n"                      /* 31 */
                                "  type: TXT\n"                  /* 32 */
                                "  value: k=rsa\\;p=AB\"\"CD\n"; /* 33 */

static void test_yaml_records(void **state)
{
	(void)state;
	const char *path = put("octo.test.yaml", octo_yaml);
	struct dd_zone *z = load_ok(path, NULL);
	assert_string_equal(dd_zone_origin(z), "octo.test"); /* from the file's name */

	struct dd_answer *a = ask(z, "octo.test", DD_RR_TXT);
	assert_int_equal(a->nrrs, 2);
	assert_string_equal(a->rrs[1].data, "v=spf1 include:_spf.google.com ~all");
	assert_int_equal(a->rrs[1].line, 11); /* the line of the value */
	assert_int_equal(a->rrs[1].ttl, 600);
	assert_string_equal(a->rrs[1].file, path);
	dd_answer_unref(a);

	a = ask(z, "_dmarc.octo.test", DD_RR_TXT); /* \; is octoDNS's ';' */
	assert_string_equal(a->rrs[0].data, "v=DMARC1; p=none; rua=mailto:d@octo.test");
	assert_int_equal(a->rrs[0].line, 14);
	assert_int_equal(a->rrs[0].ttl, 3600);
	dd_answer_unref(a);

	a = ask(z, "octo.test", DD_RR_MX);
	assert_string_equal(a->rrs[0].data, "mx.octo.test");
	assert_int_equal(a->rrs[0].pref, 10);
	assert_int_equal(a->rrs[0].line, 5);
	dd_answer_unref(a);

	a = ask(z, "mixed-case.octo.test",
	        DD_RR_CNAME); /* names without the final dot are absolute */
	assert_string_equal(a->rrs[0].data, "target.example.com");
	dd_answer_unref(a);

	a = ask(z, "alias.octo.test", DD_RR_A); /* a provider's type: the name exists */
	assert_int_equal(a->status, DD_DNS_NODATA);
	dd_answer_unref(a);

	a = ask(z, "list-in-value.octo.test", DD_RR_MX); /* a list under `value` */
	assert_int_equal(a->nrrs, 2);
	assert_int_equal(a->rrs[1].line, 26);
	dd_answer_unref(a);

	a = ask(z, "_sip._tcp.octo.test", 33 /* SRV */);
	assert_int_equal(a->status, DD_DNS_OK);
	dd_answer_unref(a);

	/* "" in a value is data: octoDNS escapes it before publishing */
	a = ask(z, "quotes.octo.test", DD_RR_TXT);
	assert_string_equal(a->rrs[0].data, "k=rsa;p=AB\"\"CD");
	dd_answer_unref(a);

	a = ask(z, "nothere.octo.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_NXDOMAIN);
	assert_int_equal(a->line, 5); /* the zone's anchor: the apex's first record (MX) */
	dd_answer_unref(a);
	dd_zone_destroy(z);
}

static void test_yaml_long_txt_is_cut_as_octodns_does(void **state)
{
	(void)state;
	/* 300 characters with a '"' at 250: octoDNS escapes it to \", so the first
	 * chunk is 255 characters of escaped text, 254 octets of data */
	char value[301];
	memset(value, 'k', 300);
	value[250] = '"';
	value[300] = '\0';
	char *yaml = xasprintf("dkim:\n  type: TXT\n  value: '%s'\n", value);
	struct dd_zone *z = load_ok(put("long.yaml", yaml), "long.test");
	free(yaml);
	struct dd_answer *a = ask(z, "dkim.long.test", DD_RR_TXT);
	assert_int_equal(a->rrs[0].len, 300);
	assert_memory_equal(a->rrs[0].data, value, 300);
	assert_int_equal(a->rrs[0].nstrings, 2);
	assert_int_equal(a->rrs[0].string_lens[0], 254);
	assert_int_equal(a->rrs[0].string_lens[1], 46);
	dd_answer_unref(a);
	dd_zone_destroy(z);
}

static void test_yaml_errors(void **state)
{
	(void)state;
	load_fails(put("noname.yaml", "'':\n  type: A\n  value: 192.0.2.1\n"), NULL, "noname.yaml",
	           0, "does not say its zone");
	load_fails(put("dup.test.yaml", "www:\n  type: A\n  value: 192.0.2.1\n"
	                                "www:\n  type: A\n  value: 192.0.2.2\n"),
	           NULL, "dup.test.yaml", 4, "appears twice (first at line 1)");
	/* the first key that repeats one before it, named with that first one */
	load_fails(put("dup2.test.yaml", "b:\n  type: A\n  value: 192.0.2.1\n"
	                                 "a:\n  type: A\n  value: 192.0.2.1\n"
	                                 "c:\n  type: A\n  value: 192.0.2.1\n"
	                                 "a:\n  type: A\n  value: 192.0.2.2\n"
	                                 "b:\n  type: A\n  value: 192.0.2.2\n"
	                                 "a:\n  type: A\n  value: 192.0.2.3\n"),
	           NULL, "dup2.test.yaml", 10, "'a' appears twice (first at line 4)");
	/* an error in an owner before the repeat is the one reported */
	load_fails(put("dup3.test.yaml", "www:\n  type: A\n  value: 192.0.2.1\n"
	                                 "bad:\n  type: A\n  value: 300.1.2.3\n"
	                                 "www:\n  type: A\n  value: 192.0.2.2\n"),
	           NULL, "dup3.test.yaml", 6, "does not parse");
	/* the first key given again is reported, with where it was first; a key
	 * that only sorts next to it (same length, "www" < "wwx") is no twin */
	load_fails(put("dups.test.yaml", "mail: {type: A, value: 192.0.2.1}\n"
	                                 "www: {type: A, value: 192.0.2.1}\n"
	                                 "wwx: {type: A, value: 192.0.2.1}\n"
	                                 "ftp: {type: A, value: 192.0.2.1}\n"
	                                 "www: {type: A, value: 192.0.2.2}\n"
	                                 "mail: {type: A, value: 192.0.2.2}\n"
	                                 "www: {type: A, value: 192.0.2.3}\n"),
	           NULL, "dups.test.yaml", 5, "'www' appears twice (first at line 2)");
	/* an error before the twin is the one reported */
	load_fails(put("dupbad.test.yaml", "www: {type: A, value: 192.0.2.1}\n"
	                                   "ftp: {type: A, value: 300.1.2.3}\n"
	                                   "www: {type: A, value: 192.0.2.2}\n"),
	           NULL, "dupbad.test.yaml", 2, "does not parse");
	load_fails(put("bad.test.yaml", "www:\n  type: A\n value: 192.0.2.1\n"), NULL,
	           "bad.test.yaml", 3, "YAML");
	load_fails(put("abs.test.yaml", "www.abs.test.:\n  type: A\n  value: 192.0.2.1\n"), NULL,
	           "abs.test.yaml", 1, "relative to the zone");
	load_fails(put("notype.test.yaml", "www:\n  value: 192.0.2.1\n"), NULL, "notype.test.yaml",
	           2, "without a type");
	load_fails(put("ttl.test.yaml", "www:\n  type: A\n  ttl: soon\n  value: 192.0.2.1\n"), NULL,
	           "ttl.test.yaml", 3, "ttl");
	load_fails(put("ip.test.yaml", "www:\n  type: A\n  value: 300.1.2.3\n"), NULL,
	           "ip.test.yaml", 3, "A value '300.1.2.3' does not parse");
	load_fails(put("noval.test.yaml", "www:\n  type: TXT\n"), NULL, "noval.test.yaml", 2,
	           "without value or values");
	load_fails(put("two.test.yaml", "a:\n  type: TXT\n  value: x\n---\nb: 1\n"), NULL,
	           "two.test.yaml", 5, "second YAML document");
	load_fails(put("list.test.yaml", "- a\n- b\n"), NULL, "list.test.yaml", 1,
	           "mapping of owner names");
	/* an alias bomb: 8 owners x 8 sets x 8 values from a file of ~30 nodes */
	load_fails(put("bomb.test.yaml",
	               "a: &sets\n"
	               "  - {type: TXT, values: &v [x, x, x, x, x, x, x, x]}\n"
	               "  - {type: TXT, values: *v}\n  - {type: TXT, values: *v}\n"
	               "  - {type: TXT, values: *v}\n  - {type: TXT, values: *v}\n"
	               "  - {type: TXT, values: *v}\n  - {type: TXT, values: *v}\n"
	               "  - {type: TXT, values: *v}\n"
	               "b: *sets\nc: *sets\nd: *sets\ne: *sets\nf: *sets\n"
	               "g: *sets\nh: *sets\n"),
	           NULL, "bomb.test.yaml", 2, "aliases repeat");
}

/* ------------------------------------------------------ hostile files */

static uint32_t rng = 2463534242u;

static uint32_t next_random(void)
{
	/* xorshift32: the same mutations on every run */
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Lines as an editor counts them (a last line without '\n' counts). */
static size_t count_lines(const char *s, size_t n)
{
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines + (n == 0 || s[n - 1] != '\n');
}

#define MUTATIONS 150

/* Mutate a good file many ways: it loads, or fails at a line it has; never crashes. */
static void mutate_and_load(const char *base, size_t len, const char *name)
{
	static const char specials[] = "\"();\\\n$@ \t{}[]:-'*&#.\0";
	for (int round = 0; round < MUTATIONS; round++) {
		struct dd_strbuf b;
		dd_strbuf_init(&b);
		dd_strbuf_add(&b, base, len);
		int edits = 1 + (int)(next_random() % 4);
		for (int e = 0; e < edits && b.len > 1; e++) {
			size_t at = next_random() % b.len;
			size_t span = 1 + next_random() % 40;
			if (at + span > b.len)
				span = b.len - at;
			switch (next_random() % 4) {
			case 0: b.s[at] = specials[next_random() % (sizeof(specials) - 1)]; break;
			case 1: /* delete a span */
				memmove(b.s + at, b.s + at + span, b.len - at - span);
				b.len -= span;
				break;
			case 2: { /* repeat a span */
				char *copy = xstrndup(b.s + at, span);
				dd_strbuf_add(&b, copy, span);
				free(copy);
				break;
			}
			default: b.len = at + 1; break; /* cut the file */
			}
		}
		const char *path = put_n(name, b.s, b.len);
		struct dd_zone_error err;
		struct dd_zone *z = dd_zone_load(path, NULL, &err);
		if (z) {
			dd_zone_destroy(z);
		} else {
			assert_non_null(err.message);
			assert_non_null(err.file);
			if (err.line > count_lines(b.s, b.len))
				fail_msg("%s: line %u of %zu: %s [%.*s]", name, err.line,
				         count_lines(b.s, b.len), err.message, (int)b.len, b.s);
			dd_zone_error_finish(&err);
		}
		dd_strbuf_finish(&b);
	}
}

static void test_mutated_files_never_crash(void **state)
{
	(void)state;
	mutate_and_load(basic_zone, sizeof(basic_zone) - 1, "mutant.test.zone");
	mutate_and_load(octo_yaml, sizeof(octo_yaml) - 1, "mutant.test.yaml");
	size_t len;
	char *real = dd_test_read("zones/corpus/bind/mic92/thalheim.io.zone", &len);
	mutate_and_load(real, len, "thalheim.io.zone");
	free(real);
	real = dd_test_read("zones/corpus/octodns/moj/court-service.net.yaml", &len);
	mutate_and_load(real, len, "court-service.net.yaml");
	free(real);
}

/* ------------------------------------------------- the overlay resolver */

struct got {
	struct dd_answer *ans;
	int calls;
};

static void on_answer(void *arg, struct dd_answer *ans)
{
	struct got *g = arg;
	g->ans = ans;
	g->calls++;
}

static struct dd_answer *resolve(struct dd_resolver *r, const char *name, uint16_t type)
{
	struct got g = { 0 };
	dd_resolver_query(r, name, type, on_answer, &g);
	assert_int_equal(g.calls, 0); /* never from inside query() */
	for (int i = 0; i < 100 && !g.calls; i++)
		dd_resolver_process(r, 0);
	assert_int_equal(g.calls, 1);
	return g.ans;
}

static void test_overlay_routes_names(void **state)
{
	(void)state;
	struct dd_zone *zones[2] = {
		load_ok(put("o.zone", "$ORIGIN o.test.\n@ SOA ns h 1 2 3 4 5\n"
		                      "@ TXT \"from the parent zone\"\n"
		                      "sub NS ns.elsewhere.example.\n"
		                      "cut NS ns.elsewhere.example.\n"),
		        NULL),
		load_ok(put("sub.zone", "$ORIGIN sub.o.test.\n@ TXT \"from the child zone\"\n"),
		        NULL),
	};
	char *err = NULL;
	struct dd_resolver *live = dd_resolver_fixture_create_from_string(
	        "outside.test TXT \"live\"\nx.cut.o.test TXT \"below the cut\"\n", "live", &err);
	assert_non_null(live);
	struct dd_resolver *r = dd_resolver_zone_create(zones, 2, live);

	struct dd_answer *a = resolve(r, "o.test", DD_RR_TXT);
	assert_int_equal(a->source, DD_SOURCE_ZONE);
	assert_string_equal(a->rrs[0].data, "from the parent zone");
	dd_answer_unref(a);
	a = resolve(r, "sub.o.test", DD_RR_TXT); /* the longest origin wins */
	assert_string_equal(a->rrs[0].data, "from the child zone");
	dd_answer_unref(a);
	a = resolve(r, "outside.test", DD_RR_TXT);
	assert_int_equal(a->source, DD_SOURCE_FIXTURE);
	assert_string_equal(a->rrs[0].data, "live");
	dd_answer_unref(a);
	a = resolve(r, "x.cut.o.test", DD_RR_TXT); /* delegated: the world answers */
	assert_int_equal(a->source, DD_SOURCE_FIXTURE);
	assert_string_equal(a->rrs[0].data, "below the cut");
	dd_answer_unref(a);
	dd_resolver_destroy(r);
}

static void test_overlay_offline(void **state)
{
	(void)state;
	struct dd_zone *zones[1] = { load_ok(put("off.zone", "$ORIGIN off.test.\n@ TXT \"x\"\n"),
		                             NULL) };
	struct dd_resolver *r = dd_resolver_zone_create(zones, 1, NULL);
	struct dd_answer *a = resolve(r, "off.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_OK);
	dd_answer_unref(a);
	a = resolve(r, "_dmarc.test", DD_RR_TXT);
	assert_int_equal(a->status, DD_DNS_UNKNOWN); /* not asked: never "missing" */
	assert_int_equal(a->source, DD_SOURCE_NONE);
	dd_answer_unref(a);
	assert_int_equal(dd_resolver_pending(r), 0);
	dd_resolver_destroy(r);
}

/* The engine and checks over a zone in front of a fixture "world". */
static struct dd_result *judge(struct dd_test_run *run, struct dd_resolver *res, const char *domain)
{
	return dd_test_check_with(run, res, domain);
}

static void test_checks_over_a_zone(void **state)
{
	(void)state;
	const char *path =
	        put("gate.test.zone", "$ORIGIN gate.test.\n"                           /* 1 */
	                              "@ SOA ns h 1 2 3 4 5\n"                         /* 2 */
	                              "@ MX 10 mx.provider.example.\n"                 /* 3 */
	                              "@ TXT \"v=spf1 include:_spf.p.example -all\"\n" /* 4 */
	                              "@ TXT \"v=spf1 -all\"\n"                        /* 5 */
	                              "selector1._domainkey CNAME "
	                              "selector1.dkim.provider.example.\n"); /* 6 */
	struct dd_zone *zones[1] = { load_ok(path, NULL) };
	char *err = NULL;
	struct dd_resolver *world = dd_resolver_fixture_create_from_string(
	        "selector1.dkim.provider.example TXT \"v=DKIM1; k=rsa; p=MIIB\"\n"
	        "_dmarc.test TXT !NXDOMAIN\n",
	        "world", &err);
	struct dd_test_run run = { 0 };
	struct dd_result *r = judge(&run, dd_resolver_zone_create(zones, 1, world), "gate.test");

	/* a finding about records points at the first of them */
	const struct dd_finding *f = dd_test_finding(r, "spf.multiple");
	assert_non_null(f);
	assert_string_equal(f->file, path);
	assert_int_equal(f->line, 4);
	/* one about no record points at the domain (here its SOA, its first line) */
	f = dd_test_finding(r, "dmarc.missing");
	assert_non_null(f);
	assert_string_equal(f->file, path);
	assert_int_equal(f->line, 2);
	/* the CNAME out of the zone was followed into the world */
	assert_int_equal(r->dkim.n, 1);
	assert_string_equal(r->dkim.v[0].found_at, "selector1.dkim.provider.example");
	assert_null(dd_test_finding(r, "dns.offline"));
	dd_test_run_finish(&run);
}

static void test_offline_finding(void **state)
{
	(void)state;
	const char *path = put("lone.test.zone", "$ORIGIN lone.test.\n"
	                                         "@ SOA ns h 1 2 3 4 5\n"
	                                         "@ TXT \"v=spf1 -all\"\n"
	                                         "s._domainkey CNAME s.dkim.elsewhere.example.\n");
	struct dd_zone *zones[1] = { load_ok(path, NULL) };
	struct dd_test_run run = { 0 };
	const char *sel[] = { "s" };
	run.opts.selectors = sel;
	run.opts.nselectors = 1;
	run.opts.offline = true;
	struct dd_result *r = judge(&run, dd_resolver_zone_create(zones, 1, NULL), "lone.test");
	const struct dd_finding *f = dd_test_finding(r, "dns.offline");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_INFO);
	assert_string_equal(f->file, path);
	assert_int_equal(f->line, 2);
	char *msg = dd_finding_message(f, DD_LANG_EN);
	/* the walk above the zone, and where the CNAME led (not the name asked) */
	assert_non_null(strstr(msg, "_dmarc.test"));
	assert_non_null(strstr(msg, "s.dkim.elsewhere.example"));
	assert_null(strstr(msg, "s._domainkey.lone.test"));
	free(msg);
	assert_false(r->undetermined); /* not asked is not failed */
	/* the walk above the zone was not asked: dmarc.missing says so */
	f = dd_test_finding(r, "dmarc.missing");
	assert_non_null(f);
	msg = dd_finding_message(f, DD_LANG_EN);
	assert_non_null(strstr(msg, "Not looked up (--offline): _dmarc.test,"));
	free(msg);
	dd_test_run_finish(&run);
}

static struct dd_result *offline_run(struct dd_test_run *run, const char *file, const char *text,
                                     const char *domain)
{
	struct dd_zone *zones[1] = { load_ok(put(file, text), NULL) };
	memset(run, 0, sizeof(*run));
	run->opts.offline = true;
	return judge(run, dd_resolver_zone_create(zones, 1, NULL), domain);
}

/*
 * --offline and DMARC: the names of the tree walk above the zone are not
 * asked. Above the Organizational Domain of the Public Suffix List they are
 * public suffixes and taken to hold no record, so a zone that publishes no
 * DMARC gets dmarc.missing; at the Organizational Domain a record may apply
 * to a subdomain's zone, so the policy stays unknown.
 */
static void test_offline_dmarc(void **state)
{
	(void)state;
	struct dd_test_run run;
	static const char bare[] = "$ORIGIN bare.test.\n@ SOA ns h 1 2 3 4 5\n"
	                           "@ MX 10 mx.example.\n@ TXT \"v=spf1 mx -all\"\n";
	struct dd_result *r = offline_run(&run, "bare.test.zone", bare, "bare.test");
	assert_int_equal(r->dmarc.state, DD_STATE_MISSING);
	const struct dd_finding *f = dd_test_finding(r, "dmarc.missing");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_ERROR);
	assert_int_equal(f->line, 2);
	char *en = dd_finding_message(f, DD_LANG_EN), *ja = dd_finding_message(f, DD_LANG_JA);
	assert_non_null(strstr(en, "Not looked up (--offline): _dmarc.test,"));
	assert_non_null(strstr(ja, "_dmarc.test"));
	free(en);
	free(ja);
	assert_int_equal(r->advice.current, DD_STAGE_MISSING);
	assert_non_null(r->advice.record);
	dd_test_run_finish(&run);

	/* a name inside the zone: the zone apex is its Organizational Domain */
	r = offline_run(&run, "bare.test.zone", bare, "www.bare.test");
	assert_int_equal(r->dmarc.state, DD_STATE_MISSING);
	assert_non_null(dd_test_finding(r, "dmarc.missing"));
	dd_test_run_finish(&run);

	/* the zone's record applies to a name below it; nothing above could change that */
	static const char rec[] = "$ORIGIN rec.test.\n@ SOA ns h 1 2 3 4 5\n"
	                          "_dmarc TXT \"v=DMARC1; p=reject; sp=quarantine\"\n"
	                          "www A 192.0.2.1\n";
	r = offline_run(&run, "rec.test.zone", rec, "www.rec.test");
	assert_int_equal(r->dmarc.state, DD_STATE_FOUND);
	assert_string_equal(r->dmarc.found_at, "_dmarc.rec.test");
	assert_int_equal(r->dmarc.policy, DD_POLICY_QUARANTINE);
	dd_test_run_finish(&run);

	/* a subdomain's own zone: the Organizational Domain's record would apply */
	static const char sub[] = "$ORIGIN news.bare.test.\n@ SOA ns h 1 2 3 4 5\n"
	                          "@ TXT \"v=spf1 mx -all\"\n";
	r = offline_run(&run, "news.bare.test.zone", sub, "news.bare.test");
	assert_int_equal(r->dmarc.state, DD_STATE_UNKNOWN);
	assert_null(dd_test_finding(r, "dmarc.missing"));
	dd_test_run_finish(&run);

	/* a domain no zone holds: nothing was seen at all */
	r = offline_run(&run, "bare.test.zone", bare, "other.example");
	assert_int_equal(r->dmarc.state, DD_STATE_UNKNOWN);
	assert_null(dd_test_finding(r, "dmarc.missing"));
	dd_test_run_finish(&run);

	/* without the Public Suffix List nothing says where the suffixes start */
	struct dd_zone *zones[1] = { load_ok(put("bare.test.zone", bare), NULL) };
	memset(&run, 0, sizeof(run));
	run.opts.offline = true;
	run.no_psl = true;
	r = judge(&run, dd_resolver_zone_create(zones, 1, NULL), "bare.test");
	assert_int_equal(r->dmarc.state, DD_STATE_UNKNOWN);
	assert_null(dd_test_finding(r, "dmarc.missing"));
	dd_test_run_finish(&run);
}

/*
 * No DMARC record: the finding is about the domain, so it points at the
 * domain's first line, as the domain's other findings do - not at the SOA
 * further down (Google Cloud DNS exports put the NS records first). A
 * _dmarc name the file holds, with a TXT record that is not DMARC, is
 * where the record belongs.
 */
static void test_missing_dmarc_points_at_the_domain(void **state)
{
	(void)state;
	const char *path =
	        put("nsfirst.test.zone", "nsfirst.test. 300 IN NS ns.example.\n"  /* 1 */
	                                 "nsfirst.test. 300 IN NS ns2.example.\n" /* 2 */
	                                 "nsfirst.test. 300 IN SOA ns h 1 2 3 4 5\n"
	                                 "nsfirst.test. 300 IN MX 10 mx.example.\n"
	                                 "nsfirst.test. 300 IN TXT \"v=spf1 mx -all\"\n");
	struct dd_zone *zones[1] = { load_ok(path, NULL) };
	char *err = NULL;
	struct dd_resolver *world = dd_resolver_fixture_create_from_string(
	        "_dmarc.test TXT !NXDOMAIN\n", "world", &err);
	struct dd_test_run run = { 0 };
	struct dd_result *r = judge(&run, dd_resolver_zone_create(zones, 1, world), "nsfirst.test");
	const struct dd_finding *f = dd_test_finding(r, "dmarc.missing");
	assert_non_null(f);
	assert_string_equal(f->file, path);
	assert_int_equal(f->line, 1);
	assert_int_equal(dd_test_finding(r, "provider.gmail-yahoo")->line, 1);
	dd_test_run_finish(&run);

	path = put("txt.test.zone", "$ORIGIN txt.test.\n"
	                            "@ SOA ns h 1 2 3 4 5\n"
	                            "@ TXT \"v=spf1 -all\"\n"
	                            "_dmarc TXT \"\\\"v=DMARC1; p=none\\\"\"\n"); /* 4 */
	zones[0] = load_ok(path, NULL);
	world = dd_resolver_fixture_create_from_string("_dmarc.test TXT !NXDOMAIN\n", "world",
	                                               &err);
	memset(&run, 0, sizeof(run));
	r = judge(&run, dd_resolver_zone_create(zones, 1, world), "txt.test");
	f = dd_test_finding(r, "dmarc.missing");
	assert_non_null(f);
	assert_int_equal(f->line, 4);
	dd_test_run_finish(&run);
}

/*
 * A record from an $INCLUDEd file is located in that file, even when the
 * same name has records in the including file too (the answer's file is
 * then the first record's): the SPF, DMARC and DKIM records the checks
 * keep, and the findings about them.
 */
static void test_included_records_keep_their_file(void **state)
{
	(void)state;
	char inc[256];
	snprintf(inc, sizeof(inc), "%s/incl/parts/mail.inc", dir);
	put("incl/parts/mail.inc", "@ TXT \"v=spf1 mx -all\"\n"                             /* 1 */
	                           "_dmarc TXT \"v=DMARC1; p=none; rua=mailto:d@m.test\"\n" /* 2 */
	                           "s1._domainkey TXT \"v=DKIM1; k=ed25519; "
	                           "p=V63VpKBCVBCDscTgpGU5dUPvDYCi6o/JPSRIyd9TsEg=\"\n"); /* 3 */
	const char *main = put("incl/m.test.zone", "$ORIGIN m.test.\n"
	                                           "@ SOA ns h 1 2 3 4 5\n"
	                                           "@ MX 10 mx.example.\n"
	                                           "@ TXT \"google-site-verification=abc\"\n"
	                                           "_dmarc TXT \"a note, not a policy\"\n"
	                                           "s1._domainkey TXT \"a note, not a key\"\n"
	                                           "$INCLUDE parts/mail.inc\n");
	char main_path[256];
	snprintf(main_path, sizeof(main_path), "%s", main);
	struct dd_zone *zones[1] = { load_ok(main_path, NULL) };
	struct dd_test_run run = { 0 };
	run.opts.offline = true;
	struct dd_result *r = judge(&run, dd_resolver_zone_create(zones, 1, NULL), "m.test");
	assert_string_equal(r->spf.file, inc);
	assert_int_equal(r->spf.line, 1);
	assert_string_equal(r->dmarc.file, inc);
	assert_int_equal(r->dmarc.line, 2);
	assert_int_equal(r->dkim.n, 1);
	assert_string_equal(r->dkim.v[0].file, inc);
	assert_int_equal(r->dkim.v[0].line, 3);
	const struct dd_finding *f = dd_test_finding(r, "dmarc.policy-none");
	assert_non_null(f);
	assert_string_equal(f->file, inc);
	assert_int_equal(f->line, 2);
	/* the note at _dmarc is in the including file, where it is */
	f = dd_test_finding(r, "dmarc.other-txt");
	assert_non_null(f);
	assert_string_equal(f->file, main_path);
	assert_int_equal(f->line, 5);
	dd_test_run_finish(&run);
}

/*
 * --offline: a selector whose CNAME leaves the zone may lead to the key
 * (Microsoft 365 and most providers delegate that way), so no key at the
 * other selectors is not "none found" - a name not asked is never missing.
 * With every probe answered by the zone, it is.
 */
static void test_offline_dkim_is_not_missing(void **state)
{
	(void)state;
	static const char zone[] = "$ORIGIN mail.test.\n"
	                           "@ SOA ns h 1 2 3 4 5\n"
	                           "@ MX 10 mx.provider.example.\n"
	                           "@ TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
	                           "_dmarc TXT \"v=DMARC1; p=none; rua=mailto:d@mail.test\"\n";
	struct dd_zone *zones[1] = {
		load_ok(put("mail.test.zone", zone), NULL),
	};
	struct dd_test_run run = { 0 };
	run.opts.offline = true;
	struct dd_result *r = judge(&run, dd_resolver_zone_create(zones, 1, NULL), "mail.test");
	assert_int_equal(r->dkim.state, DD_STATE_MISSING); /* every probe answered: none */
	assert_non_null(dd_test_finding(r, "dkim.none-found"));
	assert_string_equal(dd_test_finding(r, "provider.gmail-yahoo")->args[1], "DKIM");
	dd_test_run_finish(&run);

	char *with_cname =
	        xasprintf("%sselector1._domainkey CNAME selector1.dkim.provider.example.\n", zone);
	zones[0] = load_ok(put("mail.test.zone", with_cname), NULL);
	free(with_cname);
	memset(&run, 0, sizeof(run));
	run.opts.offline = true;
	r = judge(&run, dd_resolver_zone_create(zones, 1, NULL), "mail.test");
	assert_int_equal(r->dkim.state, DD_STATE_UNKNOWN);
	assert_int_equal(r->dkim.n, 0);
	assert_null(dd_test_finding(r, "dkim.none-found"));
	assert_null(dd_test_finding(r, "provider.gmail-yahoo")); /* nothing else lacks */
	assert_null(dd_test_finding(r, "provider.outlook"));
	assert_non_null(dd_test_finding(r, "dns.offline"));
	dd_test_run_finish(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind_records_and_lines),
		cmocka_unit_test(test_bind_negative_answers),
		cmocka_unit_test(test_wildcards),
		cmocka_unit_test(test_cname_and_dname),
		cmocka_unit_test(test_delegation),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_duplicates_are_one_record),
		cmocka_unit_test(test_origin_rules),
		cmocka_unit_test(test_bind_errors),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_yaml_records),
		cmocka_unit_test(test_yaml_long_txt_is_cut_as_octodns_does),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_mutated_files_never_crash),
		cmocka_unit_test(test_overlay_routes_names),
		cmocka_unit_test(test_overlay_offline),
		cmocka_unit_test(test_checks_over_a_zone),
		cmocka_unit_test(test_offline_finding),
		cmocka_unit_test(test_missing_dmarc_points_at_the_domain),
		cmocka_unit_test(test_offline_dkim_is_not_missing),
		cmocka_unit_test(test_offline_dmarc),
		cmocka_unit_test(test_included_records_keep_their_file),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
