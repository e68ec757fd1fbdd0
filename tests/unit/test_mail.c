/*
 * test_mail.c: the parsers of MX hosts, MTA-STS (record, policy, mx
 * patterns), TLS-RPT, BIMI (record, SVG, mark certificate) and the HTTP
 * helpers, and the gather engine's fetches over the fixture HTTP transport.
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dd/mail.h"
#include "dd/util.h"

/* ------------------------------------------------------------ helpers */

static void test_url_and_media_type(void **state)
{
	(void)state;
	char host[DD_NAME_MAX + 1], type[64], cs[32];
	uint16_t port;
	assert_true(dd_url_parse_https("https://Mta-STS.Example.COM/.well-known/mta-sts.txt", 51,
	                               host, &port));
	assert_string_equal(host, "mta-sts.example.com");
	assert_int_equal(port, 443);
	assert_true(dd_url_parse_https("https://a.example:8443", 22, host, &port));
	assert_int_equal(port, 8443);
	const char *bad[] = { "http://a.example/",    "https://user@a.example/",
		              "https://192.0.2.1/",   "https://[::1]/",
		              "https://a.example:0/", "https://a.example:99999/",
		              "https://a.example/ x", "https://localhost/",
		              "ftp://a.example/" };
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++)
		if (dd_url_parse_https(bad[i], strlen(bad[i]), host, &port))
			fail_msg("accepted %s", bad[i]);

	const char *ct = "Text/Plain; Charset=\"UTF-8\"";
	assert_true(dd_media_type_parse(ct, strlen(ct), type, sizeof(type), cs, sizeof(cs)));
	assert_string_equal(type, "text/plain");
	assert_string_equal(cs, "utf-8");
	ct = "text/plain;;format=flowed ;";
	assert_true(dd_media_type_parse(ct, strlen(ct), type, sizeof(type), cs, sizeof(cs)));
	assert_string_equal(cs, "");
	const char *badct[] = { "",
		                "text",
		                "text/",
		                "/plain",
		                "text/plain; charset",
		                "text/plain x",
		                "text/plain; a=\"unterminated" };
	for (size_t i = 0; i < DD_ARRAY_LEN(badct); i++)
		if (dd_media_type_parse(badct[i], strlen(badct[i]), type, sizeof(type), cs,
		                        sizeof(cs)))
			fail_msg("accepted %s", badct[i]);

	assert_true(dd_is_ip_literal("192.0.2.1", 9));
	assert_true(dd_is_ip_literal("[192.0.2.1]", 11));
	assert_true(dd_is_ip_literal("2001:db8::1", 11));
	assert_false(dd_is_ip_literal("mx1.example.com", 15));
	assert_false(dd_is_ip_literal("1.2.3.example", 13));
	assert_false(dd_is_ip_literal("1.2.3", 5));
}

/* ------------------------------------------------------------ MTA-STS */

static bool has_problem(const struct dd_sts_policy *p, enum dd_sts_problem_code c, uint32_t line)
{
	for (size_t i = 0; i < p->nproblems; i++)
		if (p->problems[i].code == c && p->problems[i].line == line)
			return true;
	return false;
}

static void test_sts_policy(void **state)
{
	(void)state;
	struct dd_sts_policy p;
	const char *good = "version: STSv1\r\nmode: enforce\r\nmx: MX1.example.com.\r\n"
	                   "mx: *.example.net\r\nmax_age: 31557600\r\nfuture_ext: yes\r\n";
	dd_sts_policy_parse(good, strlen(good), &p);
	assert_int_equal(p.nproblems, 0);
	assert_true(p.version_ok);
	assert_int_equal(p.mode, DD_STS_MODE_ENFORCE);
	assert_int_equal(p.max_age, 31557600);
	assert_int_equal(p.nmx, 2);
	assert_string_equal(p.mx[0], "mx1.example.com");
	assert_string_equal(p.mx[1], "*.example.net");
	dd_sts_policy_finish(&p);

	const char *bad = "version: STSv2\nmode: Enforce\nmax_age: 31557601\nmx: *.\nmx: a..b\n"
	                  "no colon here\nmode: none\n: empty key\n";
	dd_sts_policy_parse(bad, strlen(bad), &p);
	assert_true(has_problem(&p, DD_STS_P_BAD_VERSION, 1));
	assert_true(has_problem(&p, DD_STS_P_BAD_MODE, 2)); /* values are case-sensitive */
	assert_true(has_problem(&p, DD_STS_P_BAD_MAX_AGE, 3));
	assert_true(has_problem(&p, DD_STS_P_BAD_MX, 4));
	assert_true(has_problem(&p, DD_STS_P_BAD_MX, 5));
	assert_true(has_problem(&p, DD_STS_P_BAD_LINE, 6));
	assert_true(has_problem(&p, DD_STS_P_DUPLICATE, 7));
	assert_true(has_problem(&p, DD_STS_P_BAD_LINE, 8));
	assert_int_equal(p.max_age, -1);
	dd_sts_policy_finish(&p);

	/* nothing at all; enforce without mx; control bytes */
	dd_sts_policy_parse("", 0, &p);
	assert_true(has_problem(&p, DD_STS_P_NO_VERSION, 0));
	assert_true(has_problem(&p, DD_STS_P_NO_MODE, 0));
	assert_true(has_problem(&p, DD_STS_P_NO_MAX_AGE, 0));
	dd_sts_policy_finish(&p);
	const char *nomx = "version: STSv1\nmode: testing\nmax_age: 0\nx\0y: z\n";
	dd_sts_policy_parse(nomx, 48, &p);
	assert_true(has_problem(&p, DD_STS_P_NO_MX, 0));
	assert_true(has_problem(&p, DD_STS_P_NOT_TEXT, 4));
	assert_int_equal(p.max_age, 0);
	dd_sts_policy_finish(&p);

	/* the mx cap and the problem cap hold against a hostile policy */
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_adds(&b, "version: STSv1\nmode: enforce\nmax_age: 86400\n");
	for (int i = 0; i < 200; i++)
		dd_strbuf_addf(&b, "mx: mx%d.example.com\nbad line %d\n", i, i);
	dd_sts_policy_parse(b.s, b.len, &p);
	assert_int_equal(p.nmx, DD_STS_MAX_MX);
	assert_int_equal(p.nproblems, DD_STS_MAX_PROBLEMS);
	assert_true(p.problems_dropped > 100);
	dd_sts_policy_finish(&p);
	dd_strbuf_finish(&b);
}

static void test_sts_match_and_record(void **state)
{
	(void)state;
	assert_true(dd_sts_mx_match("*.example.com", "mx1.example.com"));
	assert_true(dd_sts_mx_match("*.example.com", "MX1.Example.COM."));
	assert_false(dd_sts_mx_match("*.example.com", "a.b.example.com"));
	assert_false(dd_sts_mx_match("*.example.com", "example.com"));
	assert_false(dd_sts_mx_match("*.example.com", "mx1.example.com.evil"));
	assert_true(dd_sts_mx_match("mx.example.com", "mx.example.com"));
	assert_false(dd_sts_mx_match("mx.example.com", "mx2.example.com"));

	struct dd_sts_record r;
	assert_true(dd_sts_record_is_sts("v=STSv1; id=1", 13));
	assert_false(dd_sts_record_is_sts("v=STSv10; id=1", 14));
	assert_false(dd_sts_record_is_sts("id=1; v=STSv1", 13));
	const char *ok = "v=STSv1; id=20160831085700Z;";
	dd_sts_record_parse(ok, strlen(ok), &r);
	assert_true(r.version_ok && r.has_id && r.id_ok && r.syntax_ok);
	assert_string_equal(r.id, "20160831085700Z");
	const char *longid = "v=STSv1; id=123456789012345678901234567890123";
	dd_sts_record_parse(longid, strlen(longid), &r);
	assert_false(r.id_ok);
	dd_sts_record_parse("v=STSv1; id=a-b", 15, &r);
	assert_false(r.id_ok);
	dd_sts_record_parse("v=STSv1;", 8, &r);
	assert_false(r.has_id);
}

/* ------------------------------------------------------------ TLS-RPT, BIMI */

static void test_tlsrpt_record(void **state)
{
	(void)state;
	struct dd_tlsrpt_record r;
	const char *ok = "v=TLSRPTv1; rua=mailto:tls@example.com, https://r.example.com/v1";
	assert_true(dd_tlsrpt_record_is_tlsrpt(ok, strlen(ok)));
	dd_tlsrpt_record_parse(ok, strlen(ok), &r);
	assert_true(r.version_ok && r.syntax_ok);
	assert_int_equal(r.nrua, 2);
	assert_string_equal(r.rua[1], "https://r.example.com/v1");
	assert_int_equal(r.bad_rua, 0);
	dd_tlsrpt_record_finish(&r);
	const char *bad = "v=TLSRPTv1; rua=mailto:nobody,http://r.example.com/,ftp://x.example/";
	dd_tlsrpt_record_parse(bad, strlen(bad), &r);
	assert_int_equal(r.bad_rua, 3);
	assert_string_equal(r.first_bad, "mailto:nobody");
	dd_tlsrpt_record_finish(&r);
	dd_tlsrpt_record_parse("v=TLSRPTv1;", 11, &r);
	assert_true(r.no_rua);
	dd_tlsrpt_record_finish(&r);
	assert_false(dd_tlsrpt_record_is_tlsrpt("v=TLSRPTv2; rua=mailto:a@b.example", 34));
}

static void test_bimi_record(void **state)
{
	(void)state;
	struct dd_bimi_record r;
	const char *ok =
	        "v=BIMI1; l=https://b.example.com/logo.svg; a=https://b.example.com/vmc.pem";
	dd_bimi_record_parse(ok, strlen(ok), &r);
	assert_true(r.version_ok && r.syntax_ok && r.l_ok && r.a_ok);
	assert_string_equal(r.l, "https://b.example.com/logo.svg");
	dd_bimi_record_finish(&r);
	dd_bimi_record_parse("v=BIMI1; l=http://b.example.com/logo.svg", 40, &r);
	assert_false(r.l_ok);
	assert_null(r.a);
	dd_bimi_record_finish(&r);
	dd_bimi_record_parse("v=BIMI1; l=; a=;", 16, &r);
	assert_true(r.l_ok && r.a_ok);
	assert_string_equal(r.l, "");
	dd_bimi_record_finish(&r);
	assert_false(dd_bimi_record_is_bimi("v=BIMI2; l=", 11));
}

static void svg(const char *text, struct dd_svg_check *out)
{
	dd_svg_check(text, strlen(text), out);
}

static void test_svg(void **state)
{
	(void)state;
	struct dd_svg_check c;
	size_t len;
	char *logo = dd_test_read("posture/logo.svg", &len);
	dd_svg_check(logo, len, &c);
	for (int i = 0; i < DD_SVG_PROBLEM_COUNT; i++)
		if (c.problems[i])
			fail_msg("good logo: problem %d (%s)", i, c.detail[i]);
	assert_string_equal(c.title, "Good Example");
	free(logo);

	char *bad = dd_test_read("posture/bad.svg", &len);
	dd_svg_check(bad, len, &c);
	for (int p = DD_SVG_NOT_TINY_PS; p <= DD_SVG_X_Y; p++)
		if (p != DD_SVG_TOO_LARGE && !c.problems[p])
			fail_msg("bad.svg: problem %d not seen", p);
	assert_false(c.problems[DD_SVG_NOT_XML]);
	assert_string_equal(c.detail[DD_SVG_EXTERNAL], "<image>");
	free(bad);

	svg("<svg xmlns='http://www.w3.org/2000/svg' baseProfile='tiny-ps' viewBox='0 0 5 5'>"
	    "<title>t</title><a href='https://example.com/'/></svg>",
	    &c);
	assert_true(c.problems[DD_SVG_EXTERNAL]);
	svg("<svg xmlns='http://www.w3.org/2000/svg' baseProfile='tiny-ps' viewBox='0 0 5 5'>"
	    "<title>t</title><use href='#a'/><rect fill='url(#g)'/></svg>",
	    &c);
	assert_false(c.problems[DD_SVG_EXTERNAL]);
	svg("<svg xmlns='http://www.w3.org/2000/svg' baseProfile='tiny-ps' viewBox='0 0 5 5'>"
	    "<title>t</title><rect style='x' fill='url(http://x.example/p)'/></svg>",
	    &c);
	assert_true(c.problems[DD_SVG_EXTERNAL]);
	/* a title that is only spaces, or nested deeper, is no title */
	svg("<svg xmlns='http://www.w3.org/2000/svg' baseProfile='tiny-ps' viewBox='0,0,5,5'>"
	    "<g><title>deep</title></g><title>  </title></svg>",
	    &c);
	assert_true(c.problems[DD_SVG_NO_TITLE]);
	assert_false(c.problems[DD_SVG_NOT_SQUARE]);
	/* no namespace, not XML, an entity bomb, too large */
	svg("<svg baseProfile='tiny-ps' viewBox='0 0 5 5'><title>t</title></svg>", &c);
	assert_true(c.problems[DD_SVG_NOT_SVG]);
	svg("<svg", &c);
	assert_true(c.problems[DD_SVG_NOT_XML]);
	svg("", &c);
	assert_true(c.problems[DD_SVG_NOT_XML]);
	svg("<!DOCTYPE svg [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>"
	    "<svg xmlns='http://www.w3.org/2000/svg'>&b;</svg>",
	    &c);
	assert_true(c.problems[DD_SVG_NOT_XML]);
	assert_non_null(strstr(c.detail[DD_SVG_NOT_XML], "entity"));
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_adds(&b, "<svg xmlns='http://www.w3.org/2000/svg' baseProfile='tiny-ps' "
	                   "viewBox='0 0 5 5'><title>t</title>");
	while (b.len <= DD_BIMI_SVG_MAX)
		dd_strbuf_adds(&b, "<!-- padding padding padding -->");
	dd_strbuf_adds(&b, "</svg>");
	dd_svg_check(b.s, b.len, &c);
	assert_true(c.problems[DD_SVG_TOO_LARGE]);
	assert_false(c.problems[DD_SVG_NO_TITLE]);
	dd_strbuf_finish(&b);
}

/* ------------------------------------------------------------ the mark certificate */

static unsigned char *der(unsigned char tag, const unsigned char *c, size_t n, size_t *out)
{
	unsigned char *p = xmalloc(n + 4);
	size_t h = 2;
	p[0] = tag;
	if (n < 0x80) {
		p[1] = (unsigned char)n;
	} else {
		p[1] = 0x82;
		p[2] = (unsigned char)(n >> 8);
		p[3] = (unsigned char)n;
		h = 4;
	}
	memcpy(p + h, c, n);
	*out = n + h;
	return p;
}

/* a certificate for `san`, valid from nb to na, with a logotype hash of `logo` */
static char *make_cert(const char *san, int64_t nb, int64_t na, const char *logo, size_t *len)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509 *x = X509_new();
	X509_set_version(x, 2);
	ASN1_TIME_set(X509_getm_notBefore(x), (time_t)nb);
	ASN1_TIME_set(X509_getm_notAfter(x), (time_t)na);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
	                           (const unsigned char *)san, -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, key);
	char altv[300];
	snprintf(altv, sizeof(altv), "DNS:%s", san);
	X509_EXTENSION *alt = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, altv);
	X509_add_ext(x, alt, -1);
	X509_EXTENSION_free(alt);
	if (logo) {
		static const unsigned char oid_sha256[] = { 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
			                                    0x65, 0x03, 0x04, 0x02, 0x01 };
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned mdn = 0;
		EVP_Digest(logo, strlen(logo), md, &mdn, EVP_sha256(), NULL);
		assert_int_equal(mdn, 32);
		size_t n1, n2, n3, n4, n5, n6, n7, n8;
		unsigned char *alg = der(0x30, oid_sha256, sizeof(oid_sha256), &n1);
		unsigned char *val = der(0x04, md, 32, &n2);
		unsigned char *pair_in = xmalloc(n1 + n2);
		memcpy(pair_in, alg, n1);
		memcpy(pair_in + n1, val, n2);
		unsigned char *pair = der(0x30, pair_in, n1 + n2, &n3);
		unsigned char *hashes = der(0x30, pair, n3, &n4);
		unsigned char *details = der(0x30, hashes, n4, &n5);
		unsigned char *image = der(0x30, details, n5, &n6);
		unsigned char *data = der(0xA0, image, n6, &n7);
		unsigned char *extn = der(0x30, data, n7, &n8);
		ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
		ASN1_OCTET_STRING_set(os, extn, (int)n8);
		ASN1_OBJECT *oid = OBJ_txt2obj("1.3.6.1.5.5.7.1.12", 1);
		X509_EXTENSION *e = X509_EXTENSION_create_by_OBJ(NULL, oid, 0, os);
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
		ASN1_OBJECT_free(oid);
		ASN1_OCTET_STRING_free(os);
		free(alg), free(val), free(pair_in), free(pair), free(hashes), free(details),
		        free(image), free(data), free(extn);
	}
	X509_sign(x, key, EVP_sha256());
	BIO *bio = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(bio, x);
	char *mem;
	long n = BIO_get_mem_data(bio, &mem);
	char *pem = xstrndup(mem, (size_t)n);
	*len = (size_t)n;
	BIO_free(bio);
	X509_free(x);
	EVP_PKEY_free(key);
	return pem;
}

static void test_cert(void **state)
{
	(void)state;
	const int64_t now = 1800000000; /* 2027-01-15 */
	const char *logo = "<svg/>";
	struct dd_bimi_cert c;
	size_t len;
	char *pem = make_cert("brand.example", now - 86400, now + 86400, logo, &len);
	dd_bimi_cert_check(pem, len, "brand.example", "default", logo, strlen(logo), now, &c);
	assert_true(c.parsed);
	assert_true(c.san_match);
	assert_int_equal(c.logotype_match, 1);
	assert_int_equal(c.not_after, now + 86400);
	assert_false(c.expired);
	dd_bimi_cert_check(pem, len, "other.example", "default", "<svg></svg>", 11, now, &c);
	assert_false(c.san_match);
	assert_string_equal(c.san_first, "brand.example");
	assert_int_equal(c.logotype_match, 0);
	free(pem);
	pem = make_cert("default._bimi.brand.example", now - 2, now - 1, NULL, &len);
	dd_bimi_cert_check(pem, len, "brand.example", "default", logo, strlen(logo), now, &c);
	assert_true(c.san_match);
	assert_int_equal(c.logotype_match, -1);
	assert_true(c.not_after < now);
	assert_true(c.expired);
	dd_bimi_cert_check(pem, len, "brand.example", "default", logo, strlen(logo), 0, &c);
	assert_false(c.expired); /* no clock, no verdict */
	free(pem);
	dd_bimi_cert_check("not a pem", 9, "brand.example", "default", NULL, 0, now, &c);
	assert_false(c.parsed);
	assert_non_null(strstr(c.error->en, "PEM"));
	assert_non_null(strstr(c.error->ja, "PEM 形式の証明書を読めませんでした"));
}

/* ------------------------------------------------------------ the engine */

struct http_run {
	struct dd_resolver *res;
	struct dd_http *http;
	struct dd_gather *gather;
	struct dd_result *result;
	struct dd_check_options opts;
};

static void on_done(void *arg, struct dd_posture *p)
{
	struct http_run *run = arg;
	run->result = dd_result_create(p->domain, p->display);
	dd_judge(run->result, p);
}

static struct dd_result *gather(struct http_run *run, const char *fixture, const char *domain)
{
	char *err = NULL;
	run->res = dd_resolver_fixture_create_from_string(fixture, "fixture", &err);
	assert_non_null(run->res);
	run->gather = dd_gather_create(run->res, NULL);
	if (run->http)
		dd_gather_set_http(run->gather, run->http);
	struct dd_posture *p = dd_posture_create(domain, domain, &run->opts);
	dd_gather_start(run->gather, p, on_done, run);
	for (int i = 0; i < 10000 && !run->result; i++)
		dd_gather_step(run->gather, 0);
	assert_non_null(run->result);
	return run->result;
}

static void run_finish(struct http_run *run)
{
	dd_result_destroy(run->result);
	dd_gather_destroy(run->gather);
	dd_resolver_destroy(run->res);
	dd_http_destroy(run->http);
}

static const char sts_zone[] = "example.com MX 10 mx1.example.com.\n"
                               "example.com MX 20 mx.backup.example.\n"
                               "mx1.example.com A 192.0.2.1\n"
                               "mx.backup.example A 192.0.2.2\n"
                               "_mta-sts.example.com TXT \"v=STSv1; id=7\"\n"
                               "mta-sts.example.com A 192.0.2.80\n"
                               "mta-sts.example.com AAAA 2001:db8::80\n";

static void test_fetch_through_engine(void **state)
{
	(void)state;
	static const char url[] = "https://mta-sts.example.com/.well-known/mta-sts.txt";
	static const char policy[] =
	        "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 86400\n";
	struct http_run run = { .http = dd_http_fixture_create() };
	dd_http_fixture_add(run.http, url, DD_FETCH_OK, 200, "text/plain; charset=utf-8", policy,
	                    strlen(policy));
	struct dd_result *r = gather(&run, sts_zone, "example.com");
	assert_int_equal(dd_http_fixture_served(run.http), 1);
	assert_string_equal(dd_http_fixture_last_addr(run.http), "192.0.2.80");
	const struct dd_fetch *f = dd_posture_fetch(r->posture, url);
	assert_non_null(f);
	assert_true(f->done);
	/* the host's questions are the domain's, asked after the record that led there */
	long qa = dd_posture_find(r->posture, "mta-sts.example.com", DD_RR_A);
	assert_true(qa >= 0);
	assert_int_equal(r->posture->queries[qa].depth, 1);
	assert_int_equal(r->mta_sts.policy_state, DD_STATE_FOUND);
	assert_int_equal(r->mta_sts.mode, DD_STS_MODE_ENFORCE);
	assert_int_equal(r->mta_sts.nunmatched, 1);
	assert_string_equal(r->mta_sts.unmatched[0], "mx.backup.example");
	assert_int_equal(dd_test_count(r, "mta-sts.mx-mismatch"), 1);
	assert_int_equal(dd_test_count(r, "mta-sts.media-type"), 0);
	assert_int_equal(dd_test_count(r, "tls-rpt.missing"), 1);
	run_finish(&run);

	/* no HTTP transport: the policy is unknown, never missing */
	struct http_run none = { 0 };
	r = gather(&none, sts_zone, "example.com");
	assert_int_equal(r->mta_sts.policy_state, DD_STATE_UNKNOWN);
	assert_int_equal(dd_test_count(r, "mta-sts.policy-unavailable"), 0);
	assert_int_equal(dd_posture_find(r->posture, "mta-sts.example.com", DD_RR_A), -1);
	run_finish(&none);

	/* the host's lookups fail: a temporary failure, a warning */
	struct http_run fail = { .http = dd_http_fixture_create() };
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	dd_strbuf_adds(&fx, "example.com MX 10 mx1.example.com.\nmx1.example.com A 192.0.2.1\n"
	                    "_mta-sts.example.com TXT \"v=STSv1; id=7\"\n"
	                    "mta-sts.example.com * !SERVFAIL\n");
	r = gather(&fail, fx.s, "example.com");
	assert_int_equal(dd_http_fixture_served(fail.http), 0);
	assert_int_equal(r->mta_sts.fetch_status, DD_FETCH_DNS_FAILURE);
	assert_int_equal(r->mta_sts.policy_state, DD_STATE_UNDETERMINED);
	const struct dd_finding *fi = dd_test_finding(r, "mta-sts.policy-unavailable");
	assert_non_null(fi);
	assert_int_equal(fi->severity, DD_SEV_WARNING);
	assert_true(r->undetermined);
	dd_strbuf_finish(&fx);
	run_finish(&fail);
}

static void test_mx_hosts(void **state)
{
	(void)state;
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(&run,
	                                    "example.com MX 20 b.example.com.\n"
	                                    "example.com MX 10 a.example.com.\n"
	                                    "example.com MX 30 b.example.com.\n"
	                                    "a.example.com CNAME real.example.net.\n"
	                                    "real.example.net A 192.0.2.5\n"
	                                    "b.example.com AAAA 2001:db8::5\n",
	                                    "example.com");
	assert_int_equal(r->mx.nhosts, 3);
	assert_int_equal(r->mx.nlist, 3);
	assert_string_equal(r->mx.hosts[0].name, "a.example.com");
	assert_string_equal(r->mx.hosts[0].cname, "real.example.net");
	assert_int_equal(r->mx.hosts[0].nv4, 1);
	assert_int_equal(r->mx.hosts[1].nv6, 1);
	assert_true(r->mx.hosts[2].duplicate);
	assert_int_equal(dd_test_count(r, "mx.host-cname"), 1);
	assert_int_equal(dd_test_count(r, "mx.duplicate"), 1);
	assert_int_equal(dd_test_count(r, "mx.host-no-address"), 0);
	dd_test_run_finish(&run);

	/* a failed address lookup is not "no address" */
	memset(&run, 0, sizeof(run));
	r = dd_test_check(&run, "example.com MX 10 a.example.com.\na.example.com * !TIMEOUT\n",
	                  "example.com");
	assert_int_equal(r->mx.hosts[0].addr_state, DD_STATE_UNDETERMINED);
	assert_int_equal(dd_test_count(r, "mx.host-no-address"), 0);
	dd_test_run_finish(&run);

	/* a null MX alone is fine; mixed it is not */
	memset(&run, 0, sizeof(run));
	r = dd_test_check(&run, "example.com MX 0 .\n", "example.com");
	assert_true(r->mx.null_mx);
	assert_int_equal(dd_test_count(r, "mx.null-mixed"), 0);
	dd_test_run_finish(&run);
	memset(&run, 0, sizeof(run));
	r = dd_test_check(&run,
	                  "example.com MX 0 .\nexample.com MX 10 a.example.com.\n"
	                  "a.example.com A 192.0.2.1\n",
	                  "example.com");
	assert_false(r->mx.null_mx);
	assert_int_equal(dd_test_count(r, "mx.null-mixed"), 1);
	dd_test_run_finish(&run);
}

struct batch_state {
	size_t done;
	size_t fetched_ok;
};

static void on_batch_done(void *arg, struct dd_posture *p)
{
	struct batch_state *b = arg;
	b->done++;
	for (size_t i = 0; i < p->nfetches; i++)
		b->fetched_ok += p->fetches[i].status == DD_FETCH_OK;
	dd_posture_destroy(p);
}

/* Fetches across a batch are bounded by max_fetches, and every one is made. */
static void test_fetches_bounded(void **state)
{
	(void)state;
	enum { DOMAINS = 40, MAX = 4 };
	struct dd_strbuf fx;
	dd_strbuf_init(&fx);
	struct dd_http *http = dd_http_fixture_create();
	static const char policy[] = "version: STSv1\nmode: none\nmax_age: 86400\n";
	for (int i = 0; i < DOMAINS; i++) {
		dd_strbuf_addf(
		        &fx,
		        "d%d.example TXT \"v=spf1 -all\"\n_mta-sts.d%d.example TXT \"v=STSv1; "
		        "id=%d\"\nmta-sts.d%d.example A 192.0.2.%d\n",
		        i, i, i, i, i + 1);
		char url[128];
		snprintf(url, sizeof(url), "https://mta-sts.d%d.example/.well-known/mta-sts.txt",
		         i);
		dd_http_fixture_add(http, url, DD_FETCH_OK, 200, "text/plain", policy,
		                    strlen(policy));
	}
	char *err = NULL;
	struct dd_resolver *res = dd_resolver_fixture_create_from_string(fx.s, "fixture", &err);
	assert_non_null(res);
	struct dd_gather_limits l;
	dd_gather_limits_default(&l);
	l.max_fetches = MAX;
	struct dd_gather *g = dd_gather_create(res, &l);
	dd_gather_set_http(g, http);
	struct dd_check_options opts = { 0 };
	struct batch_state b = { 0 };
	for (int i = 0; i < DOMAINS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "d%d.example", i);
		dd_gather_start(g, dd_posture_create(name, name, &opts), on_batch_done, &b);
	}
	for (int i = 0; i < 10000 && b.done < DOMAINS; i++)
		dd_gather_step(g, 0);
	assert_int_equal(b.done, DOMAINS);
	assert_int_equal(b.fetched_ok, DOMAINS);
	assert_int_equal(dd_http_fixture_served(http), DOMAINS);
	assert_true(dd_http_fixture_peak(http) <= MAX);
	assert_int_equal(dd_http_fixture_peak(http), MAX); /* and it does run them side by side */
	assert_int_equal(dd_gather_stats(g)->fetches, DOMAINS);
	dd_gather_destroy(g);
	dd_resolver_destroy(res);
	dd_http_destroy(http);
	dd_strbuf_finish(&fx);
}

static bool advice_mentions_bimi(const struct dd_result *r)
{
	for (size_t i = 0; i < r->advice.nsteps; i++) {
		char *s = dd_step_format(&r->advice.steps[i], DD_LANG_EN);
		bool has = strstr(s, "BIMI") != NULL;
		free(s);
		if (has)
			return true;
	}
	return false;
}

/* The advisor mentions BIMI only once the DMARC policy allows it. */
static void test_advice_bimi(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "v=DMARC1; p=none; rua=mailto:d@example.com", "no" },
		{ "v=DMARC1; p=quarantine; pct=50; rua=mailto:d@example.com", "no" },
		{ "v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com", "no" },
		{ "v=DMARC1; p=quarantine; rua=mailto:d@example.com", "yes" },
		{ "v=DMARC1; p=reject; rua=mailto:d@example.com", "yes" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		struct dd_test_run run = { 0 };
		struct dd_strbuf fx;
		dd_strbuf_init(&fx);
		dd_strbuf_addf(
		        &fx,
		        "example.com MX 10 mx.example.com.\nmx.example.com A 192.0.2.1\n"
		        "example.com TXT \"v=spf1 mx -all\"\n_dmarc.example.com TXT \"%s\"\n",
		        cases[i][0]);
		struct dd_result *r = dd_test_check(&run, fx.s, "example.com");
		if (advice_mentions_bimi(r) != (cases[i][1][0] == 'y'))
			fail_msg("%s: BIMI %s expected", cases[i][0], cases[i][1]);
		assert_int_equal(r->bimi.dmarc_allows, cases[i][1][0] == 'y');
		dd_test_run_finish(&run);
		dd_strbuf_finish(&fx);
	}
	/* a domain that already publishes BIMI is not told to */
	struct dd_test_run run = { 0 };
	struct dd_result *r = dd_test_check(
	        &run,
	        "example.com MX 10 mx.example.com.\nmx.example.com A 192.0.2.1\n"
	        "_dmarc.example.com TXT \"v=DMARC1; p=reject; rua=mailto:d@example.com\"\n"
	        "default._bimi.example.com TXT \"v=BIMI1; l=https://b.example.com/l.svg\"\n",
	        "example.com");
	assert_int_equal(r->bimi.state, DD_STATE_FOUND);
	assert_false(advice_mentions_bimi(r));
	assert_int_equal(dd_test_count(r, "bimi.no-authority"), 1);
	dd_test_run_finish(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_and_media_type),
		cmocka_unit_test(test_sts_policy),
		cmocka_unit_test(test_sts_match_and_record),
		cmocka_unit_test(test_tlsrpt_record),
		cmocka_unit_test(test_bimi_record),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_cert),
		cmocka_unit_test(test_fetch_through_engine),
		cmocka_unit_test(test_mx_hosts),
		cmocka_unit_test(test_advice_bimi),
		cmocka_unit_test(test_fetches_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
