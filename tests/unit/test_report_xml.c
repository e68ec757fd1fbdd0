/*
 * test_report_xml.c: the XML reader against the report corpus
 * (testdata/reports/corpus/, README.md there says what each file is), the
 * Stalwart parses of it (*.expected.json), and hostile documents: each one
 * is refused with a message that names the origin, the line and the cap or
 * the element, never a crash.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "reports/report_xml.h"
#include "dd/util.h"

/* the corpus table leaves the fields of a refusal out */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define NOW 1764720000 /* 2025-12-03: "now" for the date checks */

static const struct dd_report_xml_limits *limits(void)
{
	static struct dd_report_xml_limits l;
	l = dd_report_xml_default_limits;
	l.now = NOW;
	return &l;
}

/*
 * The parser, with *err its English refusal (the tests read that). Every
 * refusal also has Japanese words: checked here, on each one the tests make.
 */
static struct dd_report *parse_with(const char *origin, const unsigned char *data, size_t len,
                                    const struct dd_report_xml_limits *lim, char **err,
                                    enum dd_report_fault *fault)
{
	struct dd_words why = { 0 };
	struct dd_report *r = dd_report_xml_parse(origin, data, len, lim, &why, fault);
	*err = why.en;
	if (r) {
		assert_null(why.en);
		return r;
	}
	assert_non_null(why.en);
	assert_non_null(why.ja);
	size_t n = strlen(origin);
	if (strncmp(why.ja, origin, n) != 0 || why.ja[n] != ':' || strcmp(why.ja, why.en) == 0)
		fail_msg("'%s' has no Japanese of its own: '%s'", why.en, why.ja);
	free(why.ja);
	return NULL;
}

static struct dd_report *parse_text(const char *origin, const char *xml, char **err)
{
	return parse_with(origin, (const unsigned char *)xml, strlen(xml), limits(), err, NULL);
}

static struct dd_report *parse_file(const char *rel, char **err)
{
	size_t len;
	char *path = xasprintf("reports/corpus/%s", rel);
	char *data = dd_test_read(path, &len);
	struct dd_report *r =
	        parse_with(rel, (const unsigned char *)data, len, limits(), err, NULL);
	free(data);
	free(path);
	return r;
}

static uint64_t total(const struct dd_report *r)
{
	uint64_t n = 0;
	for (size_t i = 0; i < r->nrows; i++)
		n += r->rows[i].count;
	return n;
}

/* What the corpus README says of each plain XML file. */
struct want {
	const char *file;
	const char *error; /* a substring of the refusal; NULL: parses */
	const char *org;   /* "" for an absent org_name */
	const char *domain;
	size_t rows;
	uint64_t messages;
	int64_t begin, end;
	enum dd_report_schema schema;
};

static const struct want corpus[] = {
	{ "dmarc-cat/bad.xml", "bad.xml:1: not a DMARC aggregate report: not XML" },
	{ "dmarc-cat/example.com!keltia.net!1538604008!1538690408.xml", NULL,
	  "esa1.eurocontrol.c3s2.iphmx.com", "keltia.net", 1, 1, 1538604008, 1538690408 },
	{ "dmarc-cat/google.com!keltia.net!1538438400!1538524799.xml", NULL, "google.com",
	  "keltia.net", 2, 2, 1538438400, 1538524799 },
	{ "dmarc-report-converter/test.xml", NULL, "Test Inc.", "test.net", 2, 7, 1524182400,
	  1524268799 },
	{ "dmarc-report-converter/test2.xml", NULL, "Test Inc.", "test.net", 2, 12, 1508846302,
	  1603540702 },
	{ "dmarc-report-converter/test_empty.xml", "test_empty.xml:22: <source_ip> of record 1 is "
	                                           "empty" },
	{ "dmarc-report-viewer/acme.xml", NULL, "acme.com", "example.com", 1, 2, 1335571200,
	  1335657599 },
	{ "dmarc-report-viewer/aol.xml", NULL, "AOL", "website.com", 1, 1, 1504742400, 1504828800 },
	{ "dmarc-report-viewer/gmxnet.xml", NULL, "GMX", "myserver.com", 1, 1, 1733184000,
	  1733270399, DD_REPORT_RFC9990 },
	{ "dmarc-report-viewer/google.xml", NULL, "google.com", "foo-bar.io", 1, 1, 1709683200,
	  1709769599 },
	{ "dmarc-report-viewer/hardfail.xml", NULL, "reporting org", "mydomain.org", 1, 1,
	  1727049600, 1727135999 },
	{ "dmarc-report-viewer/mailru.xml", NULL, "Mail.Ru", "foobar.de", 1, 1, 1721260800,
	  1721347200 },
	{ "dmarc-report-viewer/outlook.xml", NULL, "Outlook.com", "random.net", 2, 3, 1709683200,
	  1709769600 },
	{ "dmarc-report-viewer/solamora.xml", NULL, "solarmora.com", "bix-business.com", 1, 2,
	  1335571200, 1335657599 },
	{ "dmarc-report-viewer/webde.xml", NULL, "WEB.DE", "foobar.com", 1, 1, 1722816000,
	  1722902399, DD_REPORT_RFC9990 },
	{ "dmarc-report-viewer/yahoo.xml", NULL, "Yahoo", "random.org", 1, 1, 1709510400,
	  1709596799 },
	{ "opendmarc/163.com!example.com!1337270400!1337356799.20120518163.xml", NULL, "163.com",
	  "example.com", 50, 92, 1337270400, 1337356799 },
	{ "opendmarc/bad.com!example.com!1337140800!1337227200.xml", "unknown encoding" },
	{ "opendmarc/good.com!example.com!1337270400!1337356799.xml", NULL, "126.com",
	  "example.com", 754, 183934, 1337270400, 1337356799 },
	{ "opendmarc/yeah.net!example.com!1337270400!1337356799.20120518.xml", NULL, "yeah.net",
	  "example.com", 254, 21679, 1337270400, 1337356799 },
	{ "parsedmarc/!example.com!1538204542!1538463818.xml", NULL, "", "example.com", 1, 1,
	  1538413632, 1538413632 },
	{ "parsedmarc/!large-example.com!1711897200!1711983600.xml", NULL, "", "example.com", 2286,
	  2286, 1711897200, 1711983600 },
	{ "parsedmarc/addisonfoods.com!example.com!1536105600!1536191999.xml", NULL,
	  "addisonfoods.com", "example.com", 1, 1, 1536105600, 1536191999 },
	{ "parsedmarc/aggregate_invalid/report_with_upper_cased_pass.xml", NULL, "example.com",
	  "example.com", 1, 1, 1574955300, 1575304683 },
	{ "parsedmarc/empty.xml", "empty.xml:1: not a DMARC aggregate report: not XML" },
	{ "parsedmarc/empty_reason.xml", NULL, "example.org", "example.com", 1, 2, 1706159544,
	  1706185733 },
	{ "parsedmarc/example.net!example.com!1529366400!1529452799.xml", NULL, "example.net",
	  "example.com", 1, 1, 1529366400, 1529452799 },
	{ "parsedmarc/extract_report/changed-input.xml", NULL, "fred.com", "example.com", 20, 3047,
	  1718236800, 1718323199 },
	{ "parsedmarc/extract_report/nice-input.xml", NULL, "google.com", "example.com", 20, 3047,
	  1718236800, 1718323199 },
	{ "parsedmarc/ikea.com!example.de!1538690400!1538776800.xml", NULL, "ikea.com",
	  "example.de", 1, 1, 1538690400, 1538776800 },
	{ "parsedmarc/invalid_utf_8.xml", "invalid_utf_8.xml:31: not well-formed XML" },
	{ "parsedmarc/invalid_xml.xml", "invalid_xml.xml:5: not well-formed XML" },
	{ "parsedmarc/old_draft_from_wiki.xml", NULL, "acme.com", "example.com", 1, 2, 1335571200,
	  1335657599 },
	{ "parsedmarc/protection.outlook.com!example.com!1711756800!1711843200.xml", NULL,
	  "Outlook.com", "example.com", 1, 1, 1711756800, 1711843200 },
	{ "parsedmarc/rfc9990-example.net!example.com!1700000000!1700086399.xml", NULL,
	  "example.net", "example.com", 2, 7, 1700000000, 1700086399, DD_REPORT_RFC9990 },
	{ "parsedmarc/rfc9990-sample.xml", NULL, "Sample Reporter", "example.com", 1, 123,
	  302832000, 302918399, DD_REPORT_RFC9990 },
	{ "parsedmarc/usssa.com!example.com!1538784000!1538870399.xml", NULL, "usssa.com",
	  "example.com", 2, 2, 1538784000, 1538870399 },
	{ "parsedmarc/veeam.com!example.com!1530133200!1530219600.xml", NULL, "veeam.com",
	  "example.com", 1, 1, 1530133200, 1530219600 },
	{ "parsedmarc/zoho.com!example.com!1581753600!1581840000.xml", NULL, "zoho.com",
	  "example.com", 8, 9, 1581753600, 1581840000 },
	{ "stalwart-mail-auth/001.xml", NULL, "Sample Reporter", "example.com", 1, 123, 161212415,
	  161221511, DD_REPORT_RFC9990 },
	{ "stalwart-mail-auth/002.xml", NULL, "google.com", "example.org", 1, 2, 1661558400,
	  1661644799 },
	{ "stalwart-mail-auth/003.xml", NULL, "Fastmail Pty Ltd", "stalw.art", 4, 9, 1667347200,
	  1667433599 },
	{ "stalwart-mail-auth/004.xml", NULL, "Sample Reporter", "example.com", 1, 123, 302832000,
	  302918399, DD_REPORT_RFC9990 },
	{ "stalwart-mail-auth/005.xml", NULL, "Legacy Reporter", "example.com", 1, 1, 100, 200 },
};

static void test_corpus(void **state)
{
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(corpus); i++) {
		const struct want *w = &corpus[i];
		char *err;
		struct dd_report *r = parse_file(w->file, &err);
		if (w->error) {
			if (r)
				fail_msg("%s: parsed, expected '%s'", w->file, w->error);
			if (!strstr(err, w->error))
				fail_msg("%s: '%s' does not say '%s'", w->file, err, w->error);
			free(err);
			continue;
		}
		if (!r)
			fail_msg("%s: %s", w->file, err);
		assert_string_equal(r->org_name ? r->org_name : "", w->org);
		assert_string_equal(r->domain, w->domain);
		if (r->nrows != w->rows || total(r) != w->messages)
			fail_msg("%s: %zu rows, %llu messages", w->file, r->nrows,
			         (unsigned long long)total(r));
		assert_int_equal(r->begin, w->begin);
		assert_int_equal(r->end, w->end);
		if (r->schema != w->schema)
			fail_msg("%s: schema %d", w->file, r->schema);
		assert_non_null(r->report_id);
		for (size_t k = 0; k < r->nrows; k++)
			assert_true(r->rows[k].source_ip[0]);
		dd_report_destroy(r);
	}
}

/* What the corpus README singles out, one case each. */
static void test_corpus_details(void **state)
{
	(void)state;
	char *err;
	/* empty <sp></sp>: absent */
	struct dd_report *r =
	        parse_file("dmarc-cat/example.com!keltia.net!1538604008!1538690408.xml", &err);
	assert_non_null(r);
	assert_null(r->sp);
	assert_string_equal(r->p, "none");
	dd_report_destroy(r);
	/* <extra_contact_info> after <report_id>; "1524268799 " with a trailing space */
	r = parse_file("dmarc-report-converter/test.xml", &err);
	assert_non_null(r->extra_contact_info);
	assert_int_equal(r->end, 1524268799);
	dd_report_destroy(r);
	/* <error> in report_metadata */
	r = parse_file("dmarc-report-viewer/acme.xml", &err);
	assert_int_equal(r->nerrors, 1);
	assert_string_equal(r->errors[0], "There was a sample error.");
	dd_report_destroy(r);
	/* hardfail is kept as sent */
	r = parse_file("dmarc-report-viewer/hardfail.xml", &err);
	assert_string_equal(r->rows[0].spf[0].result, "hardfail");
	dd_report_destroy(r);
	/* None / Pass lowercased */
	r = parse_file("parsedmarc/aggregate_invalid/report_with_upper_cased_pass.xml", &err);
	assert_string_equal(r->rows[0].disposition, "none");
	assert_string_equal(r->rows[0].dkim_eval, "pass");
	dd_report_destroy(r);
	/* no <spf> auth result */
	r = parse_file("parsedmarc/addisonfoods.com!example.com!1536105600!1536191999.xml", &err);
	assert_int_equal(r->rows[0].nspf, 0);
	assert_true(r->rows[0].ndkim >= 1);
	dd_report_destroy(r);
	/* an empty reason type is absent, the reason kept */
	r = parse_file("parsedmarc/empty_reason.xml", &err);
	assert_int_equal(r->rows[0].nreasons, 1);
	assert_null(r->rows[0].reasons[0].type);
	dd_report_destroy(r);
	/* compressed IPv6 */
	r = parse_file("parsedmarc/extract_report/nice-input.xml", &err);
	assert_string_equal(r->rows[8].source_ip, "2607:f8b0:4864:20::132");
	dd_report_destroy(r);
	/* RFC 9990 fields without the namespace */
	r = parse_file("parsedmarc/rfc9990-example.net!example.com!1700000000!1700086399.xml",
	               &err);
	assert_non_null(r->np);
	assert_non_null(r->testing);
	assert_non_null(r->discovery_method);
	dd_report_destroy(r);
	/* generator and discovery_method in the namespace */
	r = parse_file("stalwart-mail-auth/004.xml", &err);
	assert_non_null(r->generator);
	assert_non_null(r->discovery_method);
	dd_report_destroy(r);
	/* Zoho: an <spf> result without <domain> */
	r = parse_file("parsedmarc/zoho.com!example.com!1581753600!1581840000.xml", &err);
	bool no_domain = false;
	for (size_t i = 0; i < r->nrows; i++)
		for (size_t k = 0; k < r->rows[i].nspf; k++)
			no_domain |= r->rows[i].spf[k].domain == NULL;
	assert_true(no_domain);
	dd_report_destroy(r);
}

/* Stalwart's enumerations ("TrustedForwarder", "MailFrom", "Unspecified")
 * in our spelling ("trusted_forwarder", "mfrom", absent). */
static void stalwart_enum(const cJSON *v, char *out, size_t n)
{
	out[0] = '\0';
	if (!cJSON_IsString(v) || strcmp(v->valuestring, "Unspecified") == 0 || !*v->valuestring)
		return;
	const char *ours[][2] = { { "MailFrom", "mfrom" }, { "Relaxed", "r" }, { "Strict", "s" } };
	for (size_t i = 0; i < DD_ARRAY_LEN(ours); i++)
		if (strcmp(v->valuestring, ours[i][0]) == 0) {
			snprintf(out, n, "%s", ours[i][1]);
			return;
		}
	size_t o = 0;
	for (const char *s = v->valuestring; *s && o + 2 < n; s++) {
		if (*s >= 'A' && *s <= 'Z') {
			if (s != v->valuestring && s[-1] >= 'a' && s[-1] <= 'z' &&
			    strncmp(v->valuestring, "Temp", 4) &&
			    strncmp(v->valuestring, "Perm", 4))
				out[o++] = '_';
			out[o++] = (char)(*s - 'A' + 'a');
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
}

static void same_enum(const char *file, const char *what, const cJSON *expected, const char *got)
{
	char want[64];
	stalwart_enum(expected, want, sizeof(want));
	if (strcmp(want, got ? got : "") != 0)
		fail_msg("%s: %s is '%s', Stalwart says '%s'", file, what, got ? got : "(none)",
		         want);
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

static void same_str(const char *file, const char *what, const char *want, const char *got)
{
	if (strcmp(want ? want : "", got ? got : "") != 0)
		fail_msg("%s: %s is '%s', Stalwart says '%s'", file, what, got ? got : "(none)",
		         want ? want : "(none)");
}

/* Our parse of a document against Stalwart's: every field both keep. */
static void compare_stalwart(const char *file, const struct dd_report *r, const cJSON *j)
{
	const cJSON *meta = cJSON_GetObjectItem(j, "report_metadata");
	const cJSON *pol = cJSON_GetObjectItem(j, "policy_published");
	const cJSON *dates = cJSON_GetObjectItem(meta, "date_range");
	same_str(file, "org_name", str(meta, "org_name"), r->org_name);
	same_str(file, "report_id", str(meta, "report_id"), r->report_id);
	same_str(file, "email", str(meta, "email"), r->email);
	assert_int_equal(r->begin, (int64_t)cJSON_GetObjectItem(dates, "begin")->valuedouble);
	assert_int_equal(r->end, (int64_t)cJSON_GetObjectItem(dates, "end")->valuedouble);
	assert_int_equal(r->nerrors, cJSON_GetArraySize(cJSON_GetObjectItem(meta, "error")));
	same_str(file, "domain", str(pol, "domain"), r->domain);
	same_enum(file, "p", cJSON_GetObjectItem(pol, "p"), r->p);
	same_enum(file, "sp", cJSON_GetObjectItem(pol, "sp"), r->sp);
	same_enum(file, "adkim", cJSON_GetObjectItem(pol, "adkim"), r->adkim);
	same_enum(file, "aspf", cJSON_GetObjectItem(pol, "aspf"), r->aspf);
	const cJSON *records = cJSON_GetObjectItem(j, "record");
	assert_int_equal(r->nrows, cJSON_GetArraySize(records));
	size_t i = 0;
	const cJSON *rec;
	cJSON_ArrayForEach(rec, records)
	{
		const struct dd_report_row *row = &r->rows[i++];
		const cJSON *jr = cJSON_GetObjectItem(rec, "row");
		const cJSON *ev = cJSON_GetObjectItem(jr, "policy_evaluated");
		const cJSON *ids = cJSON_GetObjectItem(rec, "identifiers");
		const cJSON *auth = cJSON_GetObjectItem(rec, "auth_results");
		same_str(file, "source_ip", str(jr, "source_ip"), row->source_ip);
		assert_int_equal(row->count,
		                 (uint64_t)cJSON_GetObjectItem(jr, "count")->valuedouble);
		same_enum(file, "disposition", cJSON_GetObjectItem(ev, "disposition"),
		          row->disposition);
		same_enum(file, "dkim", cJSON_GetObjectItem(ev, "dkim"), row->dkim_eval);
		same_enum(file, "spf", cJSON_GetObjectItem(ev, "spf"), row->spf_eval);
		const cJSON *reasons = cJSON_GetObjectItem(ev, "reason");
		assert_int_equal(row->nreasons, cJSON_GetArraySize(reasons));
		for (size_t k = 0; k < row->nreasons; k++) {
			const cJSON *why = cJSON_GetArrayItem(reasons, (int)k);
			/* RFC 9990 dropped sampled_out (there is no pct); Stalwart folds
			 * it into Other, we keep what the reporter wrote */
			if (!row->reasons[k].type || strcmp(row->reasons[k].type, "sampled_out"))
				same_enum(file, "reason type", cJSON_GetObjectItem(why, "type_"),
				          row->reasons[k].type);
			else
				assert_string_equal(str(why, "type_"), "Other");
			same_str(file, "reason comment", str(why, "comment"),
			         row->reasons[k].comment);
		}
		same_str(file, "header_from", str(ids, "header_from"), row->header_from);
		same_str(file, "envelope_from", str(ids, "envelope_from"), row->envelope_from);
		same_str(file, "envelope_to", str(ids, "envelope_to"), row->envelope_to);
		const cJSON *dkim = cJSON_GetObjectItem(auth, "dkim");
		assert_int_equal(row->ndkim, cJSON_GetArraySize(dkim));
		for (size_t k = 0; k < row->ndkim; k++) {
			const cJSON *d = cJSON_GetArrayItem(dkim, (int)k);
			same_str(file, "dkim domain", str(d, "domain"), row->dkim[k].domain);
			same_str(file, "dkim selector", str(d, "selector"), row->dkim[k].selector);
			same_enum(file, "dkim result", cJSON_GetObjectItem(d, "result"),
			          row->dkim[k].result);
			same_str(file, "dkim human_result", str(d, "human_result"),
			         row->dkim[k].human_result);
		}
		const cJSON *spf = cJSON_GetObjectItem(auth, "spf");
		assert_int_equal(row->nspf, cJSON_GetArraySize(spf));
		for (size_t k = 0; k < row->nspf; k++) {
			const cJSON *d = cJSON_GetArrayItem(spf, (int)k);
			same_str(file, "spf domain", str(d, "domain"), row->spf[k].domain);
			same_enum(file, "spf scope", cJSON_GetObjectItem(d, "scope"),
			          row->spf[k].scope);
			same_enum(file, "spf result", cJSON_GetObjectItem(d, "result"),
			          row->spf[k].result);
		}
	}
}

static void test_stalwart_expected(void **state)
{
	(void)state;
	const char *files[] = { "001", "002", "003", "004", "005" };
	for (size_t i = 0; i < DD_ARRAY_LEN(files); i++) {
		char *xml = xasprintf("stalwart-mail-auth/%s.xml", files[i]);
		char *json =
		        xasprintf("reports/corpus/stalwart-mail-auth/%s.expected.json", files[i]);
		size_t len;
		char *text = dd_test_read(json, &len);
		cJSON *j = cJSON_Parse(text);
		assert_non_null(j);
		char *err;
		struct dd_report *r = parse_file(xml, &err);
		if (!r)
			fail_msg("%s: %s", xml, err);
		compare_stalwart(xml, r, j);
		dd_report_destroy(r);
		cJSON_Delete(j);
		free(text);
		free(json);
		free(xml);
	}
}

/* A small valid report with `record` as its only record and `dates`. */
static char *report_with(const char *dates, const char *record)
{
	return xasprintf("<?xml version=\"1.0\"?>\n"
	                 "<feedback>\n"
	                 "<report_metadata><org_name>R</org_name><report_id>1</report_id>\n"
	                 "%s\n"
	                 "</report_metadata>\n"
	                 "<policy_published><domain>Example.COM</domain><p>none</p>"
	                 "</policy_published>\n"
	                 "%s\n"
	                 "</feedback>\n",
	                 dates, record);
}

#define DATES  "<date_range><begin>1700000000</begin><end>1700086399</end></date_range>"
#define RECORD "<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record>"

static void expect_refused(const char *xml, const char *says)
{
	char *err;
	struct dd_report *r = parse_text("hostile.xml", xml, &err);
	if (r)
		fail_msg("parsed, expected '%s'", says);
	if (!strstr(err, says) || strncmp(err, "hostile.xml:", 12) != 0)
		fail_msg("'%s' does not say 'hostile.xml:...%s'", err, says);
	free(err);
}

static void test_refused(void **state)
{
	(void)state;
	struct {
		const char *dates, *record, *says;
	} cases[] = {
		{ DATES,
		  "<record><row><source_ip>192.0.2.1</source_ip><count>-3</count></row></record>",
		  ":7: <count> of record 1: '-3' is negative" },
		{ DATES,
		  "<record><row><source_ip>192.0.2.1</source_ip><count>12x</count></row></record>",
		  "<count> of record 1: '12x' is not a number" },
		{ DATES,
		  "<record><row><source_ip>192.0.2.1</source_ip><count>99999999999999999999</count>"
		  "</row></record>",
		  "is not a number" },
		{ DATES,
		  "<record><row><source_ip>192.0.2.1</source_ip><count>10000000000000</count>"
		  "</row></record>",
		  "over the cap of 1000000000000" },
		{ DATES,
		  "<record><row><source_ip>108r.166.27.220</source_ip><count>1</count></row></"
		  "record>",
		  "<source_ip> of record 1: '108r.166.27.220' is not an IP address" },
		{ DATES,
		  "<record><row><source_ip>2001:db8::g</source_ip><count>1</count></row></record>",
		  "is not an IP address" },
		{ DATES, "<record><row><count>1</count></row></record>",
		  ":7: record 1 has no <source_ip>" },
		{ DATES, "<record><row><source_ip>192.0.2.1</source_ip></row></record>",
		  "record 1 has no <count>" },
		{ "<date_range><begin>1700086399</begin><end>1700000000</end></date_range>", RECORD,
		  ":4: <date_range> ends (1700000000) before it begins (1700086399)" },
		{ "<date_range><begin>4102444800</begin><end>4102531199</end></date_range>", RECORD,
		  "more than a year from now" },
		{ "<date_range><begin>-100</begin><end>10</end></date_range>", RECORD,
		  "<begin>: '-100' is before 1970" },
		{ "<date_range><begin>1.5e9</begin><end>1700000000</end></date_range>", RECORD,
		  "<begin>: '1.5e9' is not a time" },
		{ "<date_range><begin>1700000000</begin></date_range>", RECORD,
		  "no <date_range> with <begin> and <end>" },
		{ "", RECORD, "no <date_range>" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char *xml = report_with(cases[i].dates, cases[i].record);
		expect_refused(xml, cases[i].says);
		free(xml);
	}
	expect_refused("<feedback><report_metadata><org_name>R</org_name>" DATES
	               "</report_metadata></feedback>",
	               "no <report_id> in <report_metadata>");
	expect_refused("<html><body>hello</body></html>",
	               ":1: not a DMARC aggregate report: the root element is <html>");
	expect_refused("this is a file\n", ":1: not a DMARC aggregate report: not XML");
	expect_refused("", "not a DMARC aggregate report: not XML");
	/* truncated: the document stops inside a record */
	char *xml = report_with(DATES, RECORD);
	xml[strlen(xml) - 30] = '\0';
	expect_refused(xml, "the document ends early (truncated?) inside <");
	free(xml);
	expect_refused("<feedback><report_metadata><email><bad@x></email>", "not well-formed XML");
	/* lines are counted as expat counts them: CR LF, CR and LF each end one */
	expect_refused("<feedback>\r\n<report_metadata><org_name>R</org_name>"
	               "<report_id>1</report_id>\r\r" DATES "</report_metadata>\n\r\n"
	               "<record><row><count>1</count></row></record></feedback>",
	               "hostile.xml:6: record 1 has no <source_ip>");
	expect_refused("<feedback>\r\n<report_metadata><report_id>1</report_id>\r"
	               "<date_range><begin>9</begin><end>1</end></date_range>"
	               "</report_metadata></feedback>",
	               "hostile.xml:3: <date_range> ends (1) before it begins (9)");
}

static void test_entities_refused(void **state)
{
	(void)state;
	/* billion laughs: refused at the DOCTYPE, nothing expanded */
	expect_refused("<?xml version=\"1.0\"?>\n"
	               "<!DOCTYPE lolz [\n"
	               " <!ENTITY lol \"lol\">\n"
	               " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	               " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	               "]>\n"
	               "<feedback><report_metadata><org_name>&lol3;</org_name></report_metadata>"
	               "</feedback>",
	               ":2: a DOCTYPE declaration (<!DOCTYPE lolz>) is not allowed");
	/* XXE */
	expect_refused("<!DOCTYPE feedback SYSTEM \"file:///etc/passwd\"><feedback/>",
	               "DOCTYPE declaration");
	/* an undeclared entity is not well-formed */
	expect_refused("<feedback><report_metadata><org_name>&x;</org_name></report_metadata>"
	               "</feedback>",
	               "not well-formed XML: undefined entity");
}

static void test_caps(void **state)
{
	(void)state;
	/* depth */
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_adds(&b, "<feedback><extensions>");
	for (int i = 0; i < 100; i++)
		dd_strbuf_adds(&b, "<x>");
	expect_refused(b.s, "<x>: elements nested deeper than 32: over the cap");
	dd_strbuf_finish(&b);
	/* a field */
	dd_strbuf_init(&b);
	dd_strbuf_adds(&b, "<feedback><report_metadata><org_name>");
	for (int i = 0; i < 9000; i++)
		dd_strbuf_addc(&b, 'a');
	dd_strbuf_adds(&b, "</org_name></report_metadata></feedback>");
	expect_refused(b.s, "<org_name>: text longer than 8192 bytes: over the cap");
	dd_strbuf_finish(&b);
	/* rows and results, with small limits */
	struct dd_report_xml_limits l = *limits();
	l.max_rows = 3;
	l.max_items = 2;
	dd_strbuf_init(&b);
	for (int i = 0; i < 4; i++)
		dd_strbuf_adds(&b, RECORD);
	char *xml = report_with(DATES, b.s);
	char *err = NULL;
	assert_null(
	        parse_with("many.xml", (const unsigned char *)xml, strlen(xml), &l, &err, NULL));
	assert_non_null(strstr(err, "more than 3 records: over the cap"));
	free(err);
	free(xml);
	dd_strbuf_finish(&b);
	xml = report_with(DATES,
	                  "<record><row><source_ip>192.0.2.1</source_ip><count>1</count>"
	                  "</row><auth_results><dkim/><dkim/><dkim/></auth_results></record>");
	assert_null(
	        parse_with("many.xml", (const unsigned char *)xml, strlen(xml), &l, &err, NULL));
	assert_non_null(strstr(err, "more than 2 DKIM results in a record: over the cap"));
	free(err);
	free(xml);
}

static void test_normalised(void **state)
{
	(void)state;
	char *xml = report_with(
	        "<date_range><begin> 1700000000.0 </begin><end>1700086399 </end></date_range>"
	        "<error>e1</error><error></error><error>e2</error>",
	        "<record><auth_results><spf><domain>Bounce.Example.COM</domain><scope>MFROM</scope>"
	        "<result>SoftFail</result></spf><dkim><selector>Sel1</selector>"
	        "<result>PASS</result><domain>Example.com</domain></dkim></auth_results>"
	        "<identifiers><header_from>News.Example.COM</header_from></identifiers>"
	        "<row><policy_evaluated><reason><type>Mailing_List</type><comment>via List"
	        "</comment></reason><disposition>Quarantine</disposition></policy_evaluated>"
	        "<count> 5 </count><source_ip> 2001:0DB8:0000:0000:0000:0000:0000:0001 </source_ip>"
	        "</row><extensions><ext><row><count>-1</count></row></ext></extensions></record>"
	        "<record><row><source_ip>::ffff:192.0.2.7</source_ip><count>0</count></row>"
	        "</record>");
	char *err;
	struct dd_report *r = parse_text("n.xml", xml, &err);
	if (!r)
		fail_msg("%s", err);
	assert_int_equal(r->begin, 1700000000);
	assert_int_equal(r->end, 1700086399);
	assert_string_equal(r->domain, "example.com");
	assert_int_equal(r->nerrors, 2);
	assert_int_equal(r->nrows, 2);
	const struct dd_report_row *row = &r->rows[0];
	assert_string_equal(row->source_ip, "2001:db8::1");
	assert_int_equal(row->count, 5);
	assert_string_equal(row->disposition, "quarantine");
	assert_string_equal(row->header_from, "news.example.com");
	assert_string_equal(row->reasons[0].type, "mailing_list");
	assert_string_equal(row->reasons[0].comment, "via List");
	assert_string_equal(row->spf[0].domain, "bounce.example.com");
	assert_string_equal(row->spf[0].scope, "mfrom");
	assert_string_equal(row->spf[0].result, "softfail");
	assert_string_equal(row->dkim[0].selector, "Sel1"); /* selectors keep their case */
	assert_string_equal(row->dkim[0].result, "pass");
	assert_string_equal(r->rows[1].source_ip, "::ffff:192.0.2.7");
	assert_int_equal(r->schema, DD_REPORT_RFC7489);
	assert_int_equal(r->pct, -1);
	dd_report_destroy(r);
	free(xml);

	/* the RFC 9990 namespace, with a prefix */
	r = parse_text(
	        "ns.xml",
	        "<d:feedback xmlns:d=\"urn:ietf:params:xml:ns:dmarc-2.0\"><d:report_metadata>"
	        "<d:org_name>R</d:org_name><d:report_id>x</d:report_id>" DATES
	        "</d:report_metadata><d:policy_published><d:domain>e.test</d:domain>"
	        "<d:p>reject</d:p><d:np>Reject</d:np><d:testing>Y</d:testing>"
	        "<d:discovery_method>treewalk</d:discovery_method><d:pct>50</d:pct>"
	        "</d:policy_published></d:feedback>",
	        &err);
	if (!r)
		fail_msg("%s", err);
	assert_int_equal(r->schema, DD_REPORT_RFC9990);
	assert_string_equal(r->np, "reject");
	assert_string_equal(r->testing, "y");
	assert_string_equal(r->discovery_method, "treewalk");
	assert_int_equal(r->pct, 50);
	assert_int_equal(r->nrows, 0);
	dd_report_destroy(r);
}

static void expect_fault(const char *xml, enum dd_report_fault want)
{
	char *err = NULL;
	enum dd_report_fault got = DD_REPORT_FAULT_NONE;
	struct dd_report *r =
	        parse_with("f.xml", (const unsigned char *)xml, strlen(xml), limits(), &err, &got);
	assert_null(r);
	if (got != want)
		fail_msg("'%s' is '%s', expected '%s'", err, dd_report_fault_name(got),
		         dd_report_fault_name(want));
	free(err);
}

static void test_fault_classes(void **state)
{
	(void)state;
	char *ok = report_with(DATES, RECORD);
	char *err = NULL;
	enum dd_report_fault f = DD_REPORT_FAULT_CAP;
	struct dd_report *r =
	        parse_with("ok.xml", (const unsigned char *)ok, strlen(ok), limits(), &err, &f);
	assert_non_null(r);
	assert_int_equal(f, DD_REPORT_FAULT_NONE);
	dd_report_destroy(r);
	ok[strlen(ok) - 20] = '\0';
	expect_fault(ok, DD_REPORT_FAULT_TRUNCATED);
	free(ok);
	expect_fault("hello", DD_REPORT_FAULT_NOT_A_REPORT);
	expect_fault("<html/>", DD_REPORT_FAULT_NOT_A_REPORT);
	expect_fault("<feedback><a></b></feedback>", DD_REPORT_FAULT_MALFORMED);
	expect_fault("<!DOCTYPE x [<!ENTITY a 'b'>]><feedback/>", DD_REPORT_FAULT_DTD);
	expect_fault("<feedback></feedback>", DD_REPORT_FAULT_INCOMPLETE);
	char *bad = report_with(DATES, "<record><row><source_ip>x</source_ip><count>1</count></row>"
	                               "</record>");
	expect_fault(bad, DD_REPORT_FAULT_BAD_VALUE);
	free(bad);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	for (int i = 0; i < 40; i++)
		dd_strbuf_adds(&b, "<feedback>");
	expect_fault(b.s, DD_REPORT_FAULT_CAP);
	dd_strbuf_finish(&b);
	assert_string_equal(dd_report_fault_name(DD_REPORT_FAULT_CAP), "over a cap");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_corpus_details),
		cmocka_unit_test(test_stalwart_expected),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_entities_refused),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_normalised),
		cmocka_unit_test(test_fault_classes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
