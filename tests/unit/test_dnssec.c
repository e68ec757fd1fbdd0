/*
 * test_dnssec.c: the pure parts of the DNSSEC and DANE checks - the TLSA
 * parser and its RFC 7672 judgement, the RFC 8624 algorithm policy - and
 * the ldns validator over real signed answers: the DNS responses Knot DNS
 * gave with the DO bit, kept as the fuzz seeds (testdata/fuzz/dnssec/,
 * signed 2026-12-03 with 14 days of validity; the time is an argument, so
 * the test does not age).
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "dnssec_ldns.h"
#include "gather/wire.h"
#include "dd/dnssec.h"
#include "dd/util.h"

#define IN_VALIDITY 1796428800 /* 2026-12-05 00:00 UTC */
#define AFTER       1798761600 /* 2027-01-01 */
#define BEFORE      1793491200 /* 2026-11-01 */

static const struct dd_dnssec_ops *ops = &dd_dnssec_ldns_ops;

static void test_tlsa_parse(void **state)
{
	(void)state;
	struct dd_tlsa t;
	const struct dd_text *err = NULL;
	char good[80] = "3 1 1 ";
	for (int i = 0; i < 32; i++)
		strcat(good, "ab");
	assert_true(dd_tlsa_parse(good, strlen(good), &t, &err));
	assert_int_equal(t.usage, 3);
	assert_int_equal(t.selector, 1);
	assert_int_equal(t.mtype, 1);
	assert_int_equal(t.len, 32);
	assert_int_equal(t.data[0], 0xab);
	assert_int_equal(dd_tlsa_judge(&t), 0);
	assert_true(dd_tlsa_usable(dd_tlsa_judge(&t)));
	dd_tlsa_finish(&t);

	/* the hex may be split by white space (RFC 6698 §2.2), any case */
	const char *split = " 2\t0 2 AB cd\tEF 01 ";
	assert_true(dd_tlsa_parse(split, strlen(split), &t, &err));
	assert_int_equal(t.len, 4);
	assert_int_equal(t.data[3], 0x01);
	assert_int_equal(dd_tlsa_judge(&t), DD_TLSA_BAD_LENGTH); /* SHA2-512 is 64 octets */
	dd_tlsa_finish(&t);

	static const struct {
		const char *text, *err;
	} bad[] = {
		/* RFC 6698 §2.1.4: the three numbers alone, as ldns writes a record
		 * with no data (white space after the last is not needed) */
		{ "3 1 1", "no certificate association data" },
		{ "3 1 1 ", "no certificate association data" },
		{ "3 1", "expected three numbers" },
		{ "3 1 1abc", "expected three numbers" },
		{ "3 1 1 abc", "odd number of hex digits" },
		{ "3 1 1 xyz0", "not hexadecimal" },
		{ "256 1 1 00", "expected three numbers" },
		{ "0003 1 1 00", "expected three numbers" },
		{ "3 1 -1 00", "expected three numbers" },
		{ "", "expected three numbers" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++) {
		err = NULL;
		assert_false(dd_tlsa_parse(bad[i].text, strlen(bad[i].text), &t, &err));
		assert_null(t.data);
		assert_non_null(strstr(err->en, bad[i].err));
		assert_non_null(err->ja);
	}
}

static unsigned judge(const char *text)
{
	struct dd_tlsa t;
	const struct dd_text *err;
	assert_true(dd_tlsa_parse(text, strlen(text), &t, &err));
	unsigned f = dd_tlsa_judge(&t);
	dd_tlsa_finish(&t);
	return f;
}

static void test_tlsa_judge(void **state)
{
	(void)state;
	char sha256[80] = "", sha512[140] = "";
	for (int i = 0; i < 32; i++)
		strcat(sha256, "0f");
	for (int i = 0; i < 64; i++)
		strcat(sha512, "0f");
	char buf[200];
	/* RFC 7672 §3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP */
	snprintf(buf, sizeof(buf), "1 1 1 %s", sha256);
	assert_int_equal(judge(buf), DD_TLSA_UNUSABLE_USAGE);
	assert_false(dd_tlsa_usable(DD_TLSA_UNUSABLE_USAGE));
	snprintf(buf, sizeof(buf), "0 0 2 %s", sha512);
	assert_int_equal(judge(buf), DD_TLSA_UNUSABLE_USAGE);
	snprintf(buf, sizeof(buf), "2 0 2 %s", sha512);
	assert_int_equal(judge(buf), 0);
	snprintf(buf, sizeof(buf), "4 2 3 %s", sha256);
	assert_int_equal(judge(buf),
	                 DD_TLSA_UNKNOWN_USAGE | DD_TLSA_UNKNOWN_SELECTOR | DD_TLSA_UNKNOWN_MTYPE);
	snprintf(buf, sizeof(buf), "3 1 2 %s", sha256); /* a SHA2-256 length under SHA2-512 */
	assert_int_equal(judge(buf), DD_TLSA_BAD_LENGTH);
	/* full(0): discouraged, still usable */
	assert_int_equal(judge("3 1 0 3059301306072a8648ce3d0201"), DD_TLSA_FULL);
	assert_true(dd_tlsa_usable(DD_TLSA_FULL));
}

static void test_algorithm_policy(void **state)
{
	(void)state;
	/* RFC 8624 §3.1, DNSSEC signing */
	static const unsigned must_not[] = { 1, 3, 6, 12 }, not_rec[] = { 5, 7, 10 },
	                      ok[] = { 8, 13, 14, 15, 16 }, unknown[] = { 0, 2, 4, 9, 11, 17, 253 };
	for (size_t i = 0; i < DD_ARRAY_LEN(must_not); i++)
		assert_int_equal(dd_dnskey_alg_policy(must_not[i]), DD_ALG_MUST_NOT);
	for (size_t i = 0; i < DD_ARRAY_LEN(not_rec); i++)
		assert_int_equal(dd_dnskey_alg_policy(not_rec[i]), DD_ALG_NOT_RECOMMENDED);
	for (size_t i = 0; i < DD_ARRAY_LEN(ok); i++)
		assert_int_equal(dd_dnskey_alg_policy(ok[i]), DD_ALG_OK);
	for (size_t i = 0; i < DD_ARRAY_LEN(unknown); i++)
		assert_int_equal(dd_dnskey_alg_policy(unknown[i]), DD_ALG_UNKNOWN);
	assert_string_equal(dd_dnskey_alg_name(5), "RSASHA1");
	assert_string_equal(dd_dnskey_alg_name(7), "RSASHA1-NSEC3-SHA1");
	assert_string_equal(dd_dnskey_alg_name(13), "ECDSAP256SHA256");
	assert_null(dd_dnskey_alg_name(2));
	/* RFC 8624 §3.3, DS digests */
	assert_int_equal(dd_ds_digest_policy(1), DD_ALG_NOT_RECOMMENDED);
	assert_int_equal(dd_ds_digest_policy(2), DD_ALG_OK);
	assert_int_equal(dd_ds_digest_policy(3), DD_ALG_MUST_NOT);
	assert_int_equal(dd_ds_digest_policy(4), DD_ALG_OK);
	assert_int_equal(dd_ds_digest_policy(5), DD_ALG_UNKNOWN);
	assert_string_equal(dd_ds_digest_name(1), "SHA-1");
}

/* ----------------------------------------------- the validator on Knot's answers */

static struct dd_answer *seed(const char *file, const char *qname, uint16_t qtype)
{
	char path[128];
	snprintf(path, sizeof(path), "fuzz/dnssec/%s", file);
	size_t len;
	char *msg = dd_test_read(path, &len);
	struct dd_answer *a = dd_wire_answer(qname, qtype, (const unsigned char *)msg, len);
	free(msg);
	return a;
}

#define SEC(a) ((const char *const *)(a)->sec)

static void test_verify(void **state)
{
	(void)state;
	struct dd_answer *keys = seed("01-example.co.jp-48", "example.co.jp", DD_RR_DNSKEY);
	struct dd_answer *txt = seed("00-example.co.jp-16", "example.co.jp", DD_RR_TXT);
	assert_int_equal(keys->status, DD_DNS_OK);
	assert_true(keys->nsec >= 2); /* the key and its RRSIG */
	assert_int_equal(txt->nrrs, 1);
	assert_int_equal(txt->nsec, 2); /* the TXT record and its RRSIG */

	struct dd_sec_detail d;
	assert_int_equal(ops->verify(NULL, SEC(keys), keys->nsec, DD_RR_DNSKEY, SEC(keys),
	                             keys->nsec, IN_VALIDITY, &d),
	                 DD_SEC_SECURE);
	assert_int_equal(d.algorithm, 13);
	assert_string_equal(d.signer, "example.co.jp");
	assert_int_equal(ops->verify(NULL, SEC(txt), txt->nsec, DD_RR_TXT, SEC(keys), keys->nsec,
	                             IN_VALIDITY, &d),
	                 DD_SEC_SECURE);

	/* RFC 4035 §5.3.1: outside the validity period */
	assert_int_equal(
	        ops->verify(NULL, SEC(txt), txt->nsec, DD_RR_TXT, SEC(keys), keys->nsec, AFTER, &d),
	        DD_SEC_BOGUS);
	assert_int_equal(d.problem, DD_SEC_EXPIRED);
	assert_true(d.expiration > IN_VALIDITY && d.expiration < AFTER);
	assert_int_equal(ops->verify(NULL, SEC(txt), txt->nsec, DD_RR_TXT, SEC(keys), keys->nsec,
	                             BEFORE, &d),
	                 DD_SEC_BOGUS);
	assert_int_equal(d.problem, DD_SEC_NOT_YET);

	/* the record changed after signing */
	char *orig = NULL;
	for (size_t i = 0; i < txt->nsec; i++) {
		char *p = strstr(txt->sec[i], "v=spf1 -all");
		if (p) {
			orig = txt->sec[i];
			txt->sec[i] = xstrdup(orig);
			memcpy(strstr(txt->sec[i], "v=spf1 -all"), "v=spf1 +all", 11);
		}
	}
	assert_non_null(orig);
	assert_int_equal(ops->verify(NULL, SEC(txt), txt->nsec, DD_RR_TXT, SEC(keys), keys->nsec,
	                             IN_VALIDITY, &d),
	                 DD_SEC_BOGUS);
	assert_int_equal(d.problem, DD_SEC_BAD_SIG);
	free(orig);

	/* no RRSIG at all */
	const char *plain[] = { "example.co.jp. 300 IN TXT \"v=spf1 -all\"" };
	assert_int_equal(
	        ops->verify(NULL, plain, 1, DD_RR_TXT, SEC(keys), keys->nsec, IN_VALIDITY, &d),
	        DD_SEC_INDETERMINATE);
	/* keys of another zone */
	struct dd_answer *other = seed("07-n3.example-48", "n3.example", DD_RR_DNSKEY);
	assert_int_equal(ops->verify(NULL, SEC(txt), txt->nsec, DD_RR_TXT, SEC(other), other->nsec,
	                             IN_VALIDITY, &d),
	                 DD_SEC_BOGUS);
	dd_answer_unref(other);
	dd_answer_unref(keys);
	dd_answer_unref(txt);
}

/* A record set signed here (ECDSAP256SHA256, valid around IN_VALIDITY) and
 * answered as a DNS message, so that it comes through wire.c as a server's does. */
static struct dd_answer *signed_answer(const char *owner, const char *rr, uint16_t type, char **key)
{
	ldns_key *k = ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256, 256);
	assert_non_null(k);
	ldns_key_set_pubkey_owner(k, ldns_dname_new_frm_str("tlsa.test."));
	ldns_key_set_flags(k, 257);
	ldns_key_set_inception(k, IN_VALIDITY - 86400);
	ldns_key_set_expiration(k, IN_VALIDITY + 86400);
	ldns_rr *dnskey = ldns_key2rr(k);
	ldns_key_set_keytag(k, ldns_calc_keytag(dnskey));
	ldns_key_list *keys = ldns_key_list_new();
	ldns_key_list_push_key(keys, k);
	ldns_rr *record = NULL;
	assert_int_equal(ldns_rr_new_frm_str(&record, rr, 0, NULL, NULL), LDNS_STATUS_OK);
	ldns_rr_list *set = ldns_rr_list_new();
	ldns_rr_list_push_rr(set, record);
	ldns_rr_list *sigs = ldns_sign_public(set, keys);
	assert_int_equal(ldns_rr_list_rr_count(sigs), 1);
	ldns_pkt *pkt = ldns_pkt_query_new(ldns_dname_new_frm_str(owner), (ldns_rr_type)type,
	                                   LDNS_RR_CLASS_IN, LDNS_QR | LDNS_AA);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, record);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, ldns_rr_list_rr(sigs, 0));
	uint8_t *wire = NULL;
	size_t len = 0;
	assert_int_equal(ldns_pkt2wire(&wire, pkt, &len), LDNS_STATUS_OK);
	struct dd_answer *a = dd_wire_answer(owner, type, wire, len);
	*key = ldns_rr2str(dnskey);
	free(wire);
	ldns_pkt_free(pkt); /* frees record and the RRSIG */
	ldns_rr_list_free(set);
	ldns_rr_list_free(sigs);
	ldns_rr_free(dnskey);
	ldns_key_list_free(keys);
	return a;
}

/*
 * A TLSA record with no certificate association data (3 1 1 and nothing,
 * RFC 6698 §2.1.4), signed: ldns writes it as "3 1 1" and cannot read that
 * back, so the validator lost the record and called the answer unsigned.
 * It must verify as the bytes that were signed.
 */
static void test_verify_empty_tlsa_data(void **state)
{
	(void)state;
	char *key = NULL;
	struct dd_answer *a =
	        signed_answer("_25._tcp.mx.tlsa.test",
	                      "_25._tcp.mx.tlsa.test. 300 IN TLSA \\# 3 030101", DD_RR_TLSA, &key);
	assert_int_equal(a->status, DD_DNS_OK);
	assert_int_equal(a->nrrs, 1);
	assert_string_equal(a->rrs[0].data, "3 1 1");
	assert_int_equal(a->nsec, 2); /* the record and its RRSIG */
	const char *keys[] = { key };
	struct dd_sec_detail d;
	assert_int_equal(ops->verify(NULL, SEC(a), a->nsec, DD_RR_TLSA, keys, 1, IN_VALIDITY, &d),
	                 DD_SEC_SECURE);
	assert_int_equal(ops->verify(NULL, SEC(a), a->nsec, DD_RR_TLSA, keys, 1, AFTER, &d),
	                 DD_SEC_BOGUS);
	/* the record as ldns writes it, which it cannot read: never left out
	 * quietly, which made the answer look unsigned */
	const char *as_written[] = { "_25._tcp.mx.tlsa.test.\t300\tIN\tTLSA\t3 1 1", NULL };
	for (size_t i = 0; i < a->nsec; i++)
		if (strstr(a->sec[i], "RRSIG"))
			as_written[1] = a->sec[i];
	assert_non_null(as_written[1]);
	assert_int_equal(ops->verify(NULL, as_written, 2, DD_RR_TLSA, keys, 1, IN_VALIDITY, &d),
	                 DD_SEC_UNREADABLE);
	assert_non_null(strstr(d.why, "could not be read back"));
	free(key);
	dd_answer_unref(a);
	/* a record with data still comes through as ldns writes it */
	a = signed_answer("_25._tcp.mx.tlsa.test", "_25._tcp.mx.tlsa.test. 300 IN TLSA 3 1 1 00FF",
	                  DD_RR_TLSA, &key);
	keys[0] = key;
	bool plain = false;
	for (size_t i = 0; i < a->nsec; i++)
		plain |= strstr(a->sec[i], "TLSA\t3 1 1 00ff") != NULL;
	assert_true(plain);
	assert_int_equal(ops->verify(NULL, SEC(a), a->nsec, DD_RR_TLSA, keys, 1, IN_VALIDITY, &d),
	                 DD_SEC_SECURE);
	free(key);
	dd_answer_unref(a);
}

static void test_match(void **state)
{
	(void)state;
	struct dd_answer *keys = seed("01-example.co.jp-48", "example.co.jp", DD_RR_DNSKEY);
	bool m[16];
	assert_true(keys->nsec <= 16);
	/* a key matches itself as a DNSKEY anchor, and its own RRSIG matches nothing */
	const char *key_only[1] = { NULL };
	for (size_t i = 0; i < keys->nsec; i++)
		if (strstr(keys->sec[i], "DNSKEY\t257") || strstr(keys->sec[i], "DNSKEY 257"))
			key_only[0] = keys->sec[i];
	assert_non_null(key_only[0]);
	assert_int_equal(ops->match(NULL, key_only, 1, SEC(keys), keys->nsec, m), 1);
	const char *wrong[] = {
		"example.co.jp. IN DS 12345 13 2 "
		"0000000000000000000000000000000000000000000000000000000000000000"
	};
	assert_int_equal(ops->match(NULL, wrong, 1, SEC(keys), keys->nsec, m), 0);
	dd_answer_unref(keys);
}

static void test_denial(void **state)
{
	(void)state;
	struct dd_sec_detail d;
	struct dd_answer *keys = seed("01-example.co.jp-48", "example.co.jp", DD_RR_DNSKEY);
	/* NSEC: sub.example.co.jp is a delegation without DS */
	struct dd_answer *ds = seed("04-sub.example.co.jp-43", "sub.example.co.jp", DD_RR_DS);
	assert_int_equal(ds->status, DD_DNS_NODATA);
	assert_int_equal(ops->denial(NULL, "sub.example.co.jp", DD_RR_DS, false, SEC(ds), ds->nsec,
	                             SEC(keys), keys->nsec, IN_VALIDITY, &d),
	                 DD_SEC_SECURE);
	assert_true(d.delegation);
	/* mx.example.co.jp has no DS and is no zone cut */
	struct dd_answer *mx = seed("06-mx.example.co.jp-43", "mx.example.co.jp", DD_RR_DS);
	assert_int_equal(ops->denial(NULL, "mx.example.co.jp", DD_RR_DS, false, SEC(mx), mx->nsec,
	                             SEC(keys), keys->nsec, IN_VALIDITY, &d),
	                 DD_SEC_SECURE);
	assert_false(d.delegation);
	/* its NSEC lists A: it cannot deny an A record */
	assert_int_equal(ops->denial(NULL, "mx.example.co.jp", DD_RR_A, false, SEC(mx), mx->nsec,
	                             SEC(keys), keys->nsec, IN_VALIDITY, &d),
	                 DD_SEC_BOGUS);
	/* an empty non-terminal: the NSEC before it points below it */
	struct dd_answer *ent =
	        seed("12-_tcp.mx.example.co.jp-43", "_tcp.mx.example.co.jp", DD_RR_DS);
	assert_int_equal(ent->status, DD_DNS_NODATA);
	assert_int_equal(ops->denial(NULL, "_tcp.mx.example.co.jp", DD_RR_DS, false, SEC(ent),
	                             ent->nsec, SEC(keys), keys->nsec, IN_VALIDITY, &d),
	                 DD_SEC_SECURE);
	assert_false(d.delegation);
	/* ... and nothing about a name outside its span */
	assert_int_equal(ops->denial(NULL, "a.example.co.jp", DD_RR_DS, false, SEC(ent), ent->nsec,
	                             SEC(keys), keys->nsec, IN_VALIDITY, &d),
	                 DD_SEC_BOGUS);
	dd_answer_unref(ent);
	/* NXDOMAIN */
	struct dd_answer *nx =
	        seed("05-nothing.example.co.jp-16", "nothing.example.co.jp", DD_RR_TXT);
	assert_int_equal(nx->status, DD_DNS_NXDOMAIN);
	assert_int_equal(ops->denial(NULL, "nothing.example.co.jp", DD_RR_TXT, true, SEC(nx),
	                             nx->nsec, SEC(keys), keys->nsec, IN_VALIDITY, &d),
	                 DD_SEC_SECURE);
	/* the same proof, expired */
	assert_int_equal(ops->denial(NULL, "nothing.example.co.jp", DD_RR_TXT, true, SEC(nx),
	                             nx->nsec, SEC(keys), keys->nsec, AFTER, &d),
	                 DD_SEC_BOGUS);
	assert_int_equal(d.problem, DD_SEC_EXPIRED);
	/* nothing to prove with */
	assert_int_equal(ops->denial(NULL, "nothing.example.co.jp", DD_RR_TXT, true, NULL, 0,
	                             SEC(keys), keys->nsec, IN_VALIDITY, &d),
	                 DD_SEC_INDETERMINATE);
	/* a record of the proof that cannot be read: no verdict when the rest
	 * proves nothing (it might have), the proof when the rest holds */
	const char *unreadable[] = { "nothing.example.co.jp. 300 IN NSEC" };
	assert_int_equal(ops->denial(NULL, "nothing.example.co.jp", DD_RR_TXT, true, unreadable, 1,
	                             SEC(keys), keys->nsec, IN_VALIDITY, &d),
	                 DD_SEC_UNREADABLE);
	assert_non_null(strstr(d.why, "could not be read back"));
	const char *with_proof[16];
	assert_true(nx->nsec < DD_ARRAY_LEN(with_proof));
	for (size_t i = 0; i < nx->nsec; i++)
		with_proof[i] = nx->sec[i];
	with_proof[nx->nsec] = unreadable[0];
	assert_int_equal(ops->denial(NULL, "nothing.example.co.jp", DD_RR_TXT, true, with_proof,
	                             nx->nsec + 1, SEC(keys), keys->nsec, IN_VALIDITY, &d),
	                 DD_SEC_SECURE);

	/* NSEC3 (RFC 5155): the delegation sub.n3.example */
	struct dd_answer *keys3 = seed("07-n3.example-48", "n3.example", DD_RR_DNSKEY);
	struct dd_answer *ds3 = seed("09-sub.n3.example-43", "sub.n3.example", DD_RR_DS);
	assert_int_equal(ops->denial(NULL, "sub.n3.example", DD_RR_DS, false, SEC(ds3), ds3->nsec,
	                             SEC(keys3), keys3->nsec, IN_VALIDITY, &d),
	                 DD_SEC_SECURE);
	assert_true(d.delegation);
	struct dd_answer *ent3 = seed("13-_tcp.mx.n3.example-43", "_tcp.mx.n3.example", DD_RR_DS);
	assert_int_equal(ops->denial(NULL, "_tcp.mx.n3.example", DD_RR_DS, false, SEC(ent3),
	                             ent3->nsec, SEC(keys3), keys3->nsec, IN_VALIDITY, &d),
	                 DD_SEC_SECURE);
	assert_false(d.delegation);
	dd_answer_unref(ent3);
	struct dd_answer *nx3 = seed("10-nothing.n3.example-16", "nothing.n3.example", DD_RR_TXT);
	assert_int_equal(ops->denial(NULL, "nothing.n3.example", DD_RR_TXT, true, SEC(nx3),
	                             nx3->nsec, SEC(keys3), keys3->nsec, IN_VALIDITY, &d),
	                 DD_SEC_SECURE);
	/* NSEC3 signed by the wrong zone's keys */
	assert_int_equal(ops->denial(NULL, "nothing.n3.example", DD_RR_TXT, true, SEC(nx3),
	                             nx3->nsec, SEC(keys), keys->nsec, IN_VALIDITY, &d),
	                 DD_SEC_BOGUS);
	dd_answer_unref(keys);
	dd_answer_unref(ds);
	dd_answer_unref(mx);
	dd_answer_unref(nx);
	dd_answer_unref(keys3);
	dd_answer_unref(ds3);
	dd_answer_unref(nx3);
}

/* ------------------------------------------- the check over a validator that accepts */

static enum dd_sec_verdict accept_verify(const void *ctx, const char *const *rrs, size_t nrrs,
                                         uint16_t type, const char *const *keys, size_t nkeys,
                                         int64_t now, struct dd_sec_detail *out)
{
	memset(out, 0, sizeof(*out));
	return DD_SEC_SECURE;
}

static size_t accept_match(const void *ctx, const char *const *anchors, size_t nanchors,
                           const char *const *keys, size_t nkeys, bool *matched)
{
	for (size_t i = 0; i < nkeys; i++)
		matched[i] = true;
	return nkeys;
}

static enum dd_sec_verdict accept_denial(const void *ctx, const char *qname, uint16_t qtype,
                                         bool nxdomain, const char *const *rrs, size_t nrrs,
                                         const char *const *keys, size_t nkeys, int64_t now,
                                         struct dd_sec_detail *out)
{
	memset(out, 0, sizeof(*out));
	return DD_SEC_SECURE;
}

static const struct dd_dnssec_ops accept_ops = { accept_verify, accept_match, accept_denial };

static void posture_answer(struct dd_posture *p, const char *name, uint16_t type, const char *rdata,
                           const char *sec)
{
	struct dd_answer *a = dd_answer_create(name, type, DD_DNS_OK);
	dd_answer_add_rr(a, rdata, strlen(rdata), 300);
	dd_answer_add_sec(a, sec);
	size_t qi = dd_posture_add(p, name, type, -1, 0); /* may move p->queries */
	p->queries[qi].answer = a;
}

/* The DNSSEC check alone over the answers of p; the result owns p. */
static struct dd_result *judge_dnssec(struct dd_posture *p)
{
	struct dd_result *r = dd_result_create(p->domain, p->domain);
	for (size_t i = 0; i < dd_nchecks; i++)
		if (strcmp(dd_checks[i]->name, "dnssec") == 0)
			dd_checks[i]->judge(p, r);
	r->posture = p;
	return r;
}

/* A posture for domain under the root anchor, with the root's keys answered;
 * the validator is `validator`. */
static struct dd_posture *accepting_posture(const char *domain,
                                            const struct dd_dnssec_ops *validator)
{
	static const char *const anchor[] = { ". IN DS 1 13 2 00" };
	static struct dd_check_options o;
	memset(&o, 0, sizeof(o));
	o.dnssec = validator;
	o.trust_anchor = anchor;
	o.ntrust_anchor = 1;
	struct dd_posture *p = dd_posture_create(domain, domain, &o);
	posture_answer(p, ".", DD_RR_DNSKEY, "257 3 13 AAAA", ". 300 IN DNSKEY 257 3 13 AAAA");
	return p;
}

/* The DNSSEC check alone over a root whose keys validate and one DS set at `domain`. */
static struct dd_result *judge_ds(const char *domain, const char *ds)
{
	struct dd_posture *p = accepting_posture(domain, &accept_ops);
	posture_answer(p, domain, DD_RR_DS, ds, "- (the validator above takes any signature)");
	return judge_dnssec(p);
}

/*
 * A record that a CNAME brings from another tree whose zone cuts were not
 * asked (dnssec_follow asks them for SPF, DMARC and MX; an --offline run or
 * a cap may leave them out): unsigned, and the reason names the first name
 * whose DS is unknown, not the domain's signed zone - in both languages.
 */
static void test_cname_into_an_unasked_tree(void **state)
{
	(void)state;
	const char *sig = "- (the validator above takes any signature)";
	struct dd_posture *p = accepting_posture("signed.test", &accept_ops);
	posture_answer(p, "test", DD_RR_DS, "1 13 2 00", sig);
	posture_answer(p, "test", DD_RR_DNSKEY, "257 3 13 AAAA", sig);
	posture_answer(p, "signed.test", DD_RR_DS, "1 13 2 00", sig);
	posture_answer(p, "signed.test", DD_RR_DNSKEY, "257 3 13 AAAA", sig);
	struct dd_answer *spf = dd_answer_create("signed.test", DD_RR_TXT, DD_DNS_OK);
	dd_answer_add_cname(spf, "spf.elsewhere.example");
	dd_answer_add_rr(spf, "v=spf1 -all", 11, 300); /* no signature with it */
	size_t qi = dd_posture_add(p, "signed.test", DD_RR_TXT, -1, 0);
	p->queries[qi].answer = spf;
	struct dd_result *r = judge_dnssec(p);
	assert_int_equal(r->dnssec.state, DD_DNSSEC_SIGNED);
	const struct dd_dnssec_record *rec = &r->dnssec.records[0];
	assert_string_equal(rec->what, "spf");
	assert_int_equal(rec->state, DD_DNSSEC_UNSIGNED);
	assert_non_null(strstr(rec->reason.en, "an unsigned zone at or below example (its DS"));
	assert_null(strstr(rec->reason.en, "signed.test"));
	assert_non_null(strstr(rec->reason.ja, "example かその下の未署名のゾーン"));
	assert_int_equal(dd_test_count(r, "dnssec.record-unsigned"), 1);
	dd_result_destroy(r);
}

/*
 * A zone whose DS records name only algorithms the validator does not take
 * is insecure (RFC 4035 §5.2), and still signed with them: an algorithm
 * RFC 8624 §3.1 forbids or deprecates is a finding, read off the DS records
 * (the only ones a validator looks at).
 */
static void test_ds_algorithm_alone(void **state)
{
	(void)state;
	static const struct {
		const char *ds, *id, *alg, *name;
	} cases[] = {
		{ "12345 3 1 0123456789abcdef0123456789abcdef01234567", "dnssec.algorithm-must-not",
		  "3", "DSA" },
		{ "12345 1 2 00", "dnssec.algorithm-must-not", "1", "RSAMD5" },
		/* RSASHA1 is taken, a GOST digest is not */
		{ "12345 5 3 00", "dnssec.algorithm-not-recommended", "5", "RSASHA1" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		struct dd_result *r = judge_ds("only.test", cases[i].ds);
		assert_int_equal(r->dnssec.state, DD_DNSSEC_UNSIGNED);
		assert_int_equal(dd_test_count(r, "dnssec.unsigned"), 1);
		const struct dd_finding *f = dd_test_finding(r, cases[i].id);
		assert_non_null(f);
		assert_string_equal(f->args[0], "only.test");
		assert_string_equal(f->args[1], cases[i].alg);
		assert_string_equal(f->args[2], cases[i].name);
		const struct dd_dnssec_link *l = &r->dnssec.chain[r->dnssec.nchain - 1];
		assert_string_equal(l->zone, "only.test");
		assert_int_equal(l->nalgorithms, 1);
		assert_int_equal(l->algorithms[0], atoi(cases[i].alg));
		dd_result_destroy(r);
	}
	/* an algorithm the validator takes, under a digest it takes: signed, no finding */
	struct dd_result *r = judge_ds("only.test", "12345 13 2 00");
	assert_int_not_equal(r->dnssec.state, DD_DNSSEC_UNSIGNED);
	assert_int_equal(dd_test_count(r, "dnssec.algorithm-must-not"), 0);
	dd_result_destroy(r);
}

static enum dd_sec_verdict unreadable_denial(const void *ctx, const char *qname, uint16_t qtype,
                                             bool nxdomain, const char *const *rrs, size_t nrrs,
                                             const char *const *keys, size_t nkeys, int64_t now,
                                             struct dd_sec_detail *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->why, sizeof(out->why), "1 record of the proof could not be read back");
	out->unread = 1;
	return DD_SEC_UNREADABLE;
}

/* The proof that a zone has no DS cannot be read: the chain stops there
 * undetermined - not signed (as if the name were inside the zone above),
 * not unsigned, not bogus. */
static void test_ds_denial_unreadable(void **state)
{
	(void)state;
	static const struct dd_dnssec_ops ops_ = { accept_verify, accept_match, unreadable_denial };
	struct dd_posture *p = accepting_posture("only.test", &ops_);
	struct dd_answer *ds = dd_answer_create("only.test", DD_RR_DS, DD_DNS_NODATA);
	dd_answer_add_sec(ds, "only.test. 300 IN NSEC");
	size_t qi = dd_posture_add(p, "only.test", DD_RR_DS, -1, 0);
	p->queries[qi].answer = ds;
	struct dd_result *r = judge_dnssec(p);
	assert_int_equal(r->dnssec.state, DD_DNSSEC_UNDETERMINED);
	assert_non_null(strstr(r->dnssec.reason.en, "only.test has no DS record"));
	assert_non_null(strstr(r->dnssec.reason.en, "could not be read back"));
	/* and in Japanese, in the finding as in the reason */
	assert_non_null(strstr(r->dnssec.reason.ja, "only.test に DS レコードがないという応答"));
	assert_non_null(strstr(r->dnssec.reason.ja, "1 件のレコードを読み戻せなかった"));
	const struct dd_finding *f = NULL;
	for (size_t i = 0; i < r->findings.n; i++)
		if (strcmp(r->findings.v[i].def->id, "dnssec.undetermined") == 0)
			f = &r->findings.v[i];
	assert_non_null(f);
	char *en = dd_finding_message(f, DD_LANG_EN), *ja = dd_finding_message(f, DD_LANG_JA);
	assert_non_null(strstr(en, "could not be read back"));
	assert_null(strstr(ja, "could not be read back"));
	assert_non_null(strstr(ja, "1 件のレコードを読み戻せなかった"));
	free(en);
	free(ja);
	assert_int_equal(dd_test_count(r, "dnssec.bogus"), 0);
	assert_int_equal(dd_test_count(r, "dnssec.unsigned"), 0);
	dd_result_destroy(r);
}

/* Our questions: RD and CD set, and a transaction id of their own each
 * (c-ares 1.18 sends the id it is given; ldns would leave it 0). */
static void test_query_ids(void **state)
{
	(void)state;
	uint16_t first = 0;
	bool differ = false;
	for (int i = 0; i < 16; i++) {
		uint8_t *msg;
		size_t len;
		assert_true(dd_wire_query_dnssec("example.test", 16, &msg, &len));
		assert_true(len > 12);
		uint16_t id = (uint16_t)(msg[0] << 8 | msg[1]);
		assert_int_equal(msg[2] & 0x01, 0x01); /* RD */
		assert_int_equal(msg[3] & 0x10, 0x10); /* CD */
		if (i == 0)
			first = id;
		else if (id != first)
			differ = true;
		free(msg);
	}
	assert_true(differ); /* 16 equal random ids: 2^-240 */
}

/* ldns' own text of a wire name, as dd_wire_name() promises it: lowercase,
 * no trailing dot ("." for the root). */
static char *ldns_text(const ldns_rdf *rdf)
{
	char *s = ldns_rdf2str(rdf);
	size_t n = strlen(s);
	if (n > 1 && s[n - 1] == '.')
		s[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	return s;
}

static void assert_wire_name_as_ldns(const uint8_t *wire, size_t len)
{
	ldns_rdf *rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, len, wire);
	assert_non_null(rdf);
	char *ours = dd_wire_name(rdf), *theirs = ldns_text(rdf);
	assert_string_equal(ours, theirs);
	free(ours);
	free(theirs);
	ldns_rdf_deep_free(rdf);
}

/* Every byte value inside a label, at its start, middle and end; the root;
 * mixed case; and 2 000 random names of up to 255 octets. */
static void test_wire_name(void **state)
{
	(void)state;
	static const uint8_t root[] = { 0 };
	assert_wire_name_as_ldns(root, 1);
	static const uint8_t mixed[] = {
		3, 'W', 'w', 'W', 7, 'E', 'x', 'a', 'M', 'p', 'L', 'e', 0
	};
	assert_wire_name_as_ldns(mixed, sizeof(mixed));
	for (unsigned c = 0; c < 256; c++) {
		uint8_t at_start[] = { 3, (uint8_t)c, 'a', 'b', 4, 't', 'e', 's', 't', 0 };
		uint8_t inside[] = { 3, 'a', (uint8_t)c, 'b', 0 };
		uint8_t at_end[] = { 1, 'x', 2, 'a', (uint8_t)c, 0 };
		assert_wire_name_as_ldns(at_start, sizeof(at_start));
		assert_wire_name_as_ldns(inside, sizeof(inside));
		assert_wire_name_as_ldns(at_end, sizeof(at_end));
	}
	srand(8);
	for (int round = 0; round < 2000; round++) {
		uint8_t wire[255];
		size_t len = 0, limit = 1 + (size_t)rand() % 254;
		while (len + 2 <= limit) {
			size_t label = 1 + (size_t)rand() % 63;
			if (len + 1 + label + 1 > limit)
				label = limit - len - 2;
			if (!label)
				break;
			wire[len++] = (uint8_t)label;
			for (size_t i = 0; i < label; i++)
				wire[len++] =
				        (uint8_t)(rand() % 4 ? 'a' + rand() % 26 - (rand() % 2) * 32
				                             : rand() % 256);
		}
		wire[len++] = 0;
		assert_wire_name_as_ldns(wire, len);
	}
}

/* The question written by hand is the one ldns writes, byte for byte but
 * the id; names it does not take (escapes, empty labels, too long) still go
 * through ldns or are refused as ldns refuses them. */
static void test_query_encoding(void **state)
{
	(void)state;
	char long_label[80], long_name[300];
	memset(long_label, 'a', 64);
	long_label[64] = '\0';
	long_name[0] = '\0';
	for (int i = 0; i < 26; i++)
		strcat(long_name, "abcdefghi.");
	const char *names[] = { "example.test",
		                "Example.TEST.",
		                "_25._tcp.mx1.example.test",
		                "a",
		                ".",
		                "x\\.y.test",
		                "\\065b.test",
		                "a..b",
		                "",
		                long_label,
		                long_name,
		                "s1._domainkey.example.test" };
	uint16_t types[] = { 16, 1, 28, 52, 48, 43, 15 };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
			uint8_t ours[DD_WIRE_QUERY_MAX], *theirs = NULL;
			size_t len = 0, their_len = 0;
			bool ok = dd_wire_query_encode(names[i], types[t], ours, &len);
			ldns_rdf *qname = ldns_dname_new_frm_str(names[i]);
			ldns_pkt *pkt =
			        qname ? ldns_pkt_query_new(qname, (ldns_rr_type)types[t],
			                                   LDNS_RR_CLASS_IN, LDNS_RD | LDNS_CD)
			              : NULL;
			bool lok = false;
			if (pkt) {
				ldns_pkt_set_edns_udp_size(pkt, 1232);
				ldns_pkt_set_edns_do(pkt, true);
				lok = ldns_pkt2wire(&theirs, pkt, &their_len) == LDNS_STATUS_OK;
				ldns_pkt_free(pkt);
			}
			assert_int_equal(ok, lok);
			if (ok) {
				assert_int_equal(len, their_len);
				assert_memory_equal(ours + 2, theirs + 2, len - 2);
			}
			free(theirs);
		}
	}
	uint8_t msg[DD_WIRE_QUERY_MAX];
	size_t len;
	assert_false(dd_wire_query_encode(long_label, 16, msg, &len)); /* a 64-byte label */
	assert_false(dd_wire_query_encode(long_name, 16, msg, &len));  /* 261 bytes */
	assert_true(dd_wire_query_encode("example.test", 16, msg, &len));
	assert_int_equal(len, 12 + 14 + 4 + 11);
}

/* ------------------------------------------------- empty answers, read fast */

/* An answer to (qname, type) with `rcode`, the records of `authority`
 * (presentation lines, NULL-terminated) in its authority section, as wire. */
static uint8_t *empty_answer(const char *qname, uint16_t type, ldns_pkt_rcode rcode,
                             const char *const *authority, size_t *len)
{
	ldns_pkt *pkt = ldns_pkt_query_new(ldns_dname_new_frm_str(qname), (ldns_rr_type)type,
	                                   LDNS_RR_CLASS_IN, LDNS_QR | LDNS_AA);
	ldns_pkt_set_rcode(pkt, rcode);
	for (size_t i = 0; authority && authority[i]; i++) {
		ldns_rr *rr = NULL;
		assert_int_equal(ldns_rr_new_frm_str(&rr, authority[i], 3600, NULL, NULL),
		                 LDNS_STATUS_OK);
		ldns_pkt_push_rr(pkt, LDNS_SECTION_AUTHORITY, rr);
	}
	uint8_t *wire = NULL;
	assert_int_equal(ldns_pkt2wire(&wire, pkt, len), LDNS_STATUS_OK);
	ldns_pkt_free(pkt);
	return wire;
}

/*
 * wire.c answers an empty answer from its header when its authority holds
 * no NSEC, NSEC3 or RRSIG (an SOA is passed over), and reads it whole when
 * it does, or when the sections do not add up.
 */
static void test_empty_answers(void **state)
{
	(void)state;
	static const char *const soa[] = {
		"example.co.jp. 3600 IN SOA ns.example.co.jp. host.example.co.jp. 1 7200 3600 "
		"1209600 300",
		NULL
	};
	static const char *const proof[] = {
		"example.co.jp. 3600 IN SOA ns.example.co.jp. host.example.co.jp. 1 7200 3600 "
		"1209600 300",
		"example.co.jp. 300 IN NSEC www.example.co.jp. A NS SOA TXT RRSIG NSEC",
		"example.co.jp. 300 IN RRSIG NSEC 13 3 300 20270101000000 20260101000000 12345 "
		"example.co.jp. AAAA",
		NULL
	};
	const char *q = "s1._domainkey.example.co.jp";
	size_t len;
	uint8_t *w = empty_answer(q, DD_RR_TXT, LDNS_RCODE_NXDOMAIN, soa, &len);
	struct dd_answer *a = dd_wire_answer(q, DD_RR_TXT, w, len);
	assert_int_equal(a->status, DD_DNS_NXDOMAIN);
	assert_int_equal(a->nrrs + a->nsec, 0);
	dd_answer_unref(a);
	/* cut inside the SOA's rdata: not an answer to take from its header */
	a = dd_wire_answer(q, DD_RR_TXT, w, len - 3);
	assert_int_equal(a->status, DD_DNS_SERVFAIL);
	dd_answer_unref(a);
	free(w);

	w = empty_answer(q, DD_RR_TXT, LDNS_RCODE_NOERROR, soa, &len);
	a = dd_wire_answer(q, DD_RR_TXT, w, len);
	assert_int_equal(a->status, DD_DNS_NODATA);
	dd_answer_unref(a);
	free(w);

	/* with the proof: read whole, the NSEC and its RRSIG kept */
	w = empty_answer(q, DD_RR_TXT, LDNS_RCODE_NXDOMAIN, proof, &len);
	a = dd_wire_answer(q, DD_RR_TXT, w, len);
	assert_int_equal(a->status, DD_DNS_NXDOMAIN);
	assert_int_equal(a->nsec, 2);
	dd_answer_unref(a);
	free(w);

	/* a name that points at itself (RFC 1035 §4.1.4 allows only earlier
	 * offsets): neither read loops */
	uint8_t loop[] = { 0x12, 0x34, 0x81, 0x83, 0, 1, 0, 0, 0, 1,  0, 0, /* header */
		           0xc0, 12,   0,    16,   0, 1, /* question: a pointer to itself */
		           0xc0, 12,   0,    6,    0, 1, 0, 0, 0, 60, 0, 0 };
	a = dd_wire_answer(q, DD_RR_TXT, loop, sizeof(loop));
	assert_true(a->status == DD_DNS_SERVFAIL || a->status == DD_DNS_NXDOMAIN);
	dd_answer_unref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tlsa_parse),
		cmocka_unit_test(test_tlsa_judge),
		cmocka_unit_test(test_algorithm_policy),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_verify_empty_tlsa_data),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_denial),
		cmocka_unit_test(test_ds_algorithm_alone),
		cmocka_unit_test(test_ds_denial_unreadable),
		cmocka_unit_test(test_cname_into_an_unasked_tree),
		cmocka_unit_test(test_query_ids),
		cmocka_unit_test(test_query_encoding),
		cmocka_unit_test(test_wire_name),
		cmocka_unit_test(test_empty_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
