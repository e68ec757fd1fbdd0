/*
 * dnssec_policy.c: the pure pieces of the DNSSEC and DANE checks - the
 * RFC 8624 algorithm policy, the TLSA record parser and what RFC 7672 makes
 * of a TLSA record for SMTP - and the result structures' names and cleanup.
 *
 * Deliberately ignored: the validation side of RFC 8624 (what a validator
 * must still accept) - dmarc-doctor judges what a zone publishes, so it
 * applies the signing column.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/dnssec.h"
#include "dd/util.h"

bool dd_dnssec_own_type(uint16_t type)
{
	return type == DD_RR_DS || type == DD_RR_DNSKEY || type == DD_RR_TLSA;
}

/* RFC 8624 §3.1, the "DNSSEC Signing" column. */
enum dd_alg_policy dd_dnskey_alg_policy(unsigned alg)
{
	switch (alg) {
	case 1: /* RSAMD5 */
	case 3: /* DSA */
	case 6: /* DSA-NSEC3-SHA1 */
	case 12: /* ECC-GOST */ return DD_ALG_MUST_NOT;
	case 5: /* RSASHA1 */
	case 7: /* RSASHA1-NSEC3-SHA1 */
	case 10: /* RSASHA512 */ return DD_ALG_NOT_RECOMMENDED;
	case 8:  /* RSASHA256: MUST */
	case 13: /* ECDSAP256SHA256: MUST */
	case 14: /* ECDSAP384SHA384: MAY */
	case 15: /* ED25519: RECOMMENDED */
	case 16: /* ED448: MAY */ return DD_ALG_OK;
	default: return DD_ALG_UNKNOWN;
	}
}

/* RFC 8624 §3.3, the "DNSSEC Delegation" column. */
enum dd_alg_policy dd_ds_digest_policy(unsigned digest)
{
	switch (digest) {
	case 1: /* SHA-1 */ return DD_ALG_NOT_RECOMMENDED; /* MUST NOT for new DS; still seen */
	case 3: /* GOST R 34.11-94 */ return DD_ALG_MUST_NOT;
	case 2: /* SHA-256: MUST */
	case 4: /* SHA-384: MAY */ return DD_ALG_OK;
	default: return DD_ALG_UNKNOWN;
	}
}

const char *dd_dnskey_alg_name(unsigned alg)
{
	switch (alg) {
	case 1: return "RSAMD5";
	case 3: return "DSA";
	case 5: return "RSASHA1";
	case 6: return "DSA-NSEC3-SHA1";
	case 7: return "RSASHA1-NSEC3-SHA1";
	case 8: return "RSASHA256";
	case 10: return "RSASHA512";
	case 12: return "ECC-GOST";
	case 13: return "ECDSAP256SHA256";
	case 14: return "ECDSAP384SHA384";
	case 15: return "ED25519";
	case 16: return "ED448";
	default: return NULL;
	}
}

const char *dd_ds_digest_name(unsigned digest)
{
	switch (digest) {
	case 1: return "SHA-1";
	case 2: return "SHA-256";
	case 3: return "GOST R 34.11-94";
	case 4: return "SHA-384";
	default: return NULL;
	}
}

/* ---------------------------------------------------------------- TLSA */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* One decimal field of 0..255, then white space or the end: a record with
 * no certificate association data ends after its third number (RFC 6698
 * §2.1.4 gives the field no minimum length; ldns writes such a record as
 * "3 1 1"), and that is for the caller to judge. */
static bool tlsa_number(const char **s, const char *end, unsigned *out)
{
	const char *p = *s;
	unsigned v = 0;
	size_t digits = 0;
	while (p < end && *p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned)(*p++ - '0');
		if (++digits > 3 || v > 255)
			return false;
	}
	if (digits == 0 || (p < end && !is_space(*p)))
		return false;
	while (p < end && is_space(*p))
		p++;
	*s = p;
	*out = v;
	return true;
}

bool dd_tlsa_parse(const char *text, size_t len, struct dd_tlsa *out, const struct dd_text **err)
{
	static const struct dd_text not_numbers = {
		"expected three numbers of 0 to 255 (usage, selector, matching type)",
		"0 から 255 の数が 3 つ (用途、セレクタ、照合形式) 必要です"
	};
	static const struct dd_text not_hex = {
		"the certificate association data is not hexadecimal",
		"証明書の関連データが 16 進数ではありません"
	};
	static const struct dd_text no_data = { "no certificate association data",
		                                "証明書の関連データがありません" };
	static const struct dd_text odd = {
		"the certificate association data has an odd number of hex digits",
		"証明書の関連データの 16 進数の桁数が奇数です"
	};
	static const struct dd_text too_long = { "the certificate association data is too long",
		                                 "証明書の関連データが長すぎます" };
	memset(out, 0, sizeof(*out));
	const char *s = text, *end = text + len;
	while (s < end && is_space(*s))
		s++;
	if (!tlsa_number(&s, end, &out->usage) || !tlsa_number(&s, end, &out->selector) ||
	    !tlsa_number(&s, end, &out->mtype)) {
		*err = &not_numbers;
		return false;
	}
	size_t digits = 0;
	for (const char *p = s; p < end; p++) {
		if (is_space(*p))
			continue;
		if (hexval(*p) < 0) {
			*err = &not_hex;
			return false;
		}
		digits++;
	}
	if (digits == 0) {
		*err = &no_data;
		return false;
	}
	if (digits % 2) {
		*err = &odd;
		return false;
	}
	if (digits / 2 > DD_TLSA_DATA_MAX) {
		*err = &too_long;
		return false;
	}
	out->data = xmalloc(digits / 2);
	int hi = -1;
	for (const char *p = s; p < end; p++) {
		if (is_space(*p))
			continue;
		int v = hexval(*p);
		if (hi < 0) {
			hi = v;
		} else {
			out->data[out->len++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return true;
}

void dd_tlsa_finish(struct dd_tlsa *t)
{
	free(t->data);
	memset(t, 0, sizeof(*t));
}

unsigned dd_tlsa_judge(const struct dd_tlsa *t)
{
	unsigned f = 0;
	/* RFC 7672 §3.1.3: SMTP clients treat PKIX-TA(0) and PKIX-EE(1) as unusable */
	if (t->usage == DD_TLSA_PKIX_TA || t->usage == DD_TLSA_PKIX_EE)
		f |= DD_TLSA_UNUSABLE_USAGE;
	else if (t->usage > DD_TLSA_DANE_EE)
		f |= DD_TLSA_UNKNOWN_USAGE;
	if (t->selector > 1) /* RFC 6698 §2.1.2: 0 full certificate, 1 SubjectPublicKeyInfo */
		f |= DD_TLSA_UNKNOWN_SELECTOR;
	if (t->mtype > 2) /* RFC 6698 §2.1.3: 0 exact, 1 SHA2-256, 2 SHA2-512 */
		f |= DD_TLSA_UNKNOWN_MTYPE;
	else if ((t->mtype == 1 && t->len != 32) || (t->mtype == 2 && t->len != 64))
		f |= DD_TLSA_BAD_LENGTH;
	else if (t->mtype == 0)
		f |= DD_TLSA_FULL;
	return f;
}

bool dd_tlsa_usable(unsigned flags)
{
	return (flags & ~(unsigned)DD_TLSA_FULL) == 0;
}

/* ------------------------------------------------------------- results */

const char *dd_dnssec_state_name(enum dd_dnssec_state s)
{
	switch (s) {
	case DD_DNSSEC_UNKNOWN: return "unknown";
	case DD_DNSSEC_SIGNED: return "signed";
	case DD_DNSSEC_UNSIGNED: return "unsigned";
	case DD_DNSSEC_BOGUS: return "bogus";
	case DD_DNSSEC_UNDETERMINED: return "undetermined";
	}
	return "unknown";
}

void dd_dnssec_info_finish(struct dd_dnssec_info *d)
{
	for (size_t i = 0; i < d->nchain; i++) {
		free(d->chain[i].zone);
		dd_words_finish(&d->chain[i].reason);
	}
	for (size_t i = 0; i < d->nrecords; i++) {
		free(d->records[i].name);
		free(d->records[i].signer);
		dd_words_finish(&d->records[i].reason);
	}
	free(d->chain);
	free(d->records);
	free(d->anchor);
	free(d->zone);
	dd_words_finish(&d->reason);
	memset(d, 0, sizeof(*d));
}

void dd_dane_info_finish(struct dd_dane_info *d)
{
	for (size_t i = 0; i < d->nhosts; i++) {
		struct dd_dane_host *h = &d->hosts[i];
		for (size_t j = 0; j < h->ntlsa; j++)
			free(h->tlsa[j].record);
		free(h->tlsa);
		free(h->host);
		free(h->name);
	}
	free(d->hosts);
	memset(d, 0, sizeof(*d));
}
