/*
 * dkim_key.c: the public key in a DKIM key record's p= tag, decoded with
 * OpenSSL 3 (RFC 6376 §3.6.1, RFC 8301 §3.2, RFC 8463 §4.2).
 *
 * Judges: whether p= is strict base64 (folding whitespace allowed between
 * characters, nothing else), and whether the bytes are a key of the type k=
 * names - RSA as SubjectPublicKeyInfo or as a bare RSAPublicKey (PKCS#1),
 * ed25519 as its 32 raw bytes - and its exact size (the modulus length in
 * bits, not the length of the base64 text).
 * Ignores: whether the key matches any signature; RSA exponent oddities.
 */
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "dd/dkim.h"
#include "dd/parse.h"
#include "dd/util.h"

const char *dd_dkim_key_type_name(enum dd_dkim_key_type t)
{
	switch (t) {
	case DD_DKIM_KEY_RSA: return "rsa";
	case DD_DKIM_KEY_ED25519: return "ed25519";
	case DD_DKIM_KEY_NONE:
	case DD_DKIM_KEY_UNKNOWN: break;
	}
	return NULL;
}

const char *dd_dkim_key_encoding_name(enum dd_dkim_key_encoding e)
{
	switch (e) {
	case DD_DKIM_ENC_SPKI: return "spki";
	case DD_DKIM_ENC_PKCS1: return "pkcs1";
	case DD_DKIM_ENC_RAW: return "raw";
	case DD_DKIM_ENC_NONE: break;
	}
	return NULL;
}

/* Why a key cannot be used, in every language we ship: dkim.malformed quotes it. */
/* clang-format off */
static const struct dd_text pad_misplaced = {"'=' padding where base64 allows none",
	"base64 では使えない位置に '=' の埋め草があります"};
static const struct dd_text not_base64 = {"a character that base64 does not use",
	"base64 では使わない文字です"};
static const struct dd_text after_padding = {"base64 text after the '=' padding",
	"'=' の埋め草の後に base64 の文字が続いています"};
static const struct dd_text partial_group = {"the base64 text ends in the middle of a 4-character group",
	"base64 の文字列が 4 文字単位の途中で終わっています"};
static const struct dd_text not_rsa_der = {"the key data is not a DER-encoded RSA public key (neither SubjectPublicKeyInfo nor RSAPublicKey)",
	"鍵のデータが DER 形式の RSA 公開鍵ではありません (SubjectPublicKeyInfo でも RSAPublicKey でもありません)"};
static const struct dd_text trailing_bytes = {"bytes follow the DER-encoded key",
	"DER 形式の鍵の後にバイトが続いています"};
static const struct dd_text rsa_is_ed25519 = {"k=rsa (or no k=), but the key is an ed25519 key",
	"k=rsa (または k= なし) ですが、鍵は ed25519 の鍵です"};
static const struct dd_text rsa_not_rsa = {"k=rsa (or no k=), but the key is not an RSA key",
	"k=rsa (または k= なし) ですが、鍵は RSA の鍵ではありません"};
static const struct dd_text ed25519_wrapped = {"the ed25519 key is wrapped in SubjectPublicKeyInfo; RFC 8463 §4.2 wants the 32 raw key bytes",
	"ed25519 の鍵が SubjectPublicKeyInfo に包まれています。RFC 8463 §4.2 は鍵そのものの 32 バイトを求めています"};
static const struct dd_text ed25519_length = {"an ed25519 key is 32 bytes, and p= does not decode to 32",
	"ed25519 の鍵は 32 バイトですが、p= をデコードすると 32 バイトになりません"};
static const struct dd_text ed25519_rejected = {"OpenSSL does not accept the ed25519 key",
	"OpenSSL がこの ed25519 の鍵を受け付けません"};
static const struct dd_text unknown_type = {"unknown key type",
	"不明な鍵の種類です"};
static const struct dd_text empty_key = {"the key data is empty",
	"鍵のデータが空です"};
/* clang-format on */

static void fail(struct dd_dkim_key *out, const struct dd_text *why, size_t offset, char bad)
{
	out->type = DD_DKIM_KEY_NONE;
	out->encoding = DD_DKIM_ENC_NONE;
	out->bits = 0;
	out->error = why;
	out->error_offset = offset;
	out->bad_char = bad;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * RFC 6376 §3.6.1: base64string = ALPHADIGITPS *([FWS] ALPHADIGITPS)
 *                                 [ [FWS] "=" [ [FWS] "=" ] ]
 * Decodes into out (room for len * 3 / 4 + 3 bytes); returns the length,
 * or (size_t)-1 after recording why and where in `key`.
 */
static size_t b64_decode(const char *s, size_t len, unsigned char *out, struct dd_dkim_key *key)
{
	size_t n = 0, chars = 0, pads = 0, last = 0;
	uint32_t acc = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (dd_is_fws(c))
			continue;
		last = i;
		int v = 0;
		if (c == '=') {
			/* padding only completes the last group: "xx==" or "xxx=" */
			if (++pads > 2 || chars % 4 < 2) {
				fail(key, &pad_misplaced, i, '=');
				return (size_t)-1;
			}
		} else if ((v = b64_value(c)) < 0) {
			fail(key, &not_base64, i, (char)c);
			return (size_t)-1;
		} else if (pads) {
			fail(key, &after_padding, i, (char)c);
			return (size_t)-1;
		}
		acc = (acc << 6) | (uint32_t)v;
		if (++chars % 4 == 0) {
			out[n++] = (unsigned char)(acc >> 16);
			out[n++] = (unsigned char)(acc >> 8);
			out[n++] = (unsigned char)acc;
			acc = 0;
		}
	}
	if (chars % 4 != 0) {
		fail(key, &partial_group, last, 0);
		return (size_t)-1;
	}
	return n - pads; /* each '=' stands for one byte that is not there */
}

/* ERR_clear_error(): a failed parse leaves errors on OpenSSL's queue. */
static EVP_PKEY *parse_spki(const unsigned char *der, size_t len, size_t *rest)
{
	const unsigned char *p = der;
	EVP_PKEY *pkey = d2i_PUBKEY(NULL, &p, (long)len);
	ERR_clear_error();
	if (pkey)
		*rest = len - (size_t)(p - der);
	return pkey;
}

/* RFC 8017 §A.1.1 RSAPublicKey ::= SEQUENCE { modulus, publicExponent } */
static EVP_PKEY *parse_pkcs1(const unsigned char *der, size_t len, size_t *rest)
{
	const unsigned char *p = der;
	EVP_PKEY *pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)len);
	ERR_clear_error();
	if (pkey)
		*rest = len - (size_t)(p - der);
	return pkey;
}

/* DER of the AlgorithmIdentifier of rsaEncryption, OID 1.2.840.113549.1.1.1
 * with NULL parameters (RFC 3279 §2.3.1): every RSA SPKI key starts so. */
static const unsigned char rsa_algorithm[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
	                                       0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };

/*
 * SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }
 * (RFC 5280 §4.1.2.7). For RSA the BIT STRING holds an RSAPublicKey; find it
 * without d2i_PUBKEY(), whose OpenSSL 3 decoder set-up costs 100 us a key
 * (150 times the parse itself: it was a third of a batch run's CPU). Only
 * the exact RSA layout is taken; anything else goes the slow, general way.
 */
static bool unwrap_rsa_spki(const unsigned char *der, size_t len, const unsigned char **key,
                            size_t *key_len)
{
	const unsigned char *p = der, *end = der + len;
	long n;
	int tag, cls;
	int r = ASN1_get_object(&p, &n, &tag, &cls, (long)len);
	if ((r & 0x80) || !(r & V_ASN1_CONSTRUCTED) || tag != V_ASN1_SEQUENCE ||
	    cls != V_ASN1_UNIVERSAL || n != end - p)
		return false;
	if ((size_t)n < sizeof(rsa_algorithm) || memcmp(p, rsa_algorithm, sizeof(rsa_algorithm)))
		return false;
	p += sizeof(rsa_algorithm);
	r = ASN1_get_object(&p, &n, &tag, &cls, (long)(end - p));
	if ((r & 0x80) || (r & V_ASN1_CONSTRUCTED) || tag != V_ASN1_BIT_STRING ||
	    cls != V_ASN1_UNIVERSAL || n != end - p || n < 1 || p[0] != 0)
		return false; /* p[0]: no unused bits */
	*key = p + 1;
	*key_len = (size_t)n - 1;
	return true;
}

static void decode_rsa(const unsigned char *der, size_t len, struct dd_dkim_key *out)
{
	size_t rest = 0;
	enum dd_dkim_key_encoding enc = DD_DKIM_ENC_SPKI;
	const unsigned char *inner;
	size_t inner_len;
	EVP_PKEY *pkey = NULL;
	if (unwrap_rsa_spki(der, len, &inner, &inner_len))
		pkey = parse_pkcs1(inner, inner_len, &rest);
	if (!pkey)
		pkey = parse_spki(der, len, &rest);
	if (!pkey) {
		enc = DD_DKIM_ENC_PKCS1;
		pkey = parse_pkcs1(der, len, &rest);
	}
	if (!pkey) {
		fail(out, &not_rsa_der, DD_DKIM_NO_OFFSET, 0);
		return;
	}
	if (rest) {
		fail(out, &trailing_bytes, DD_DKIM_NO_OFFSET, 0);
	} else if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519) {
		/* RFC 8463 §4.2 wants k=ed25519 and the raw key, not an SPKI */
		fail(out, &rsa_is_ed25519, DD_DKIM_NO_OFFSET, 0);
	} else if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		fail(out, &rsa_not_rsa, DD_DKIM_NO_OFFSET, 0);
	} else {
		out->type = DD_DKIM_KEY_RSA;
		out->encoding = enc;
		out->bits = (unsigned)EVP_PKEY_get_bits(pkey); /* bits of the modulus */
	}
	EVP_PKEY_free(pkey);
}

/* RFC 8463 §4.2: "p=" holds the 32-byte public key, base64, no ASN.1 wrapping. */
static void decode_ed25519(const unsigned char *raw, size_t len, struct dd_dkim_key *out)
{
	if (len != 32) {
		size_t rest = 0;
		EVP_PKEY *spki = parse_spki(raw, len, &rest);
		bool wrapped = spki && rest == 0 && EVP_PKEY_get_base_id(spki) == EVP_PKEY_ED25519;
		EVP_PKEY_free(spki);
		fail(out, wrapped ? &ed25519_wrapped : &ed25519_length, DD_DKIM_NO_OFFSET, 0);
		return;
	}
	EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, len);
	ERR_clear_error();
	if (!pkey) {
		fail(out, &ed25519_rejected, DD_DKIM_NO_OFFSET, 0);
		return;
	}
	out->type = DD_DKIM_KEY_ED25519;
	out->encoding = DD_DKIM_ENC_RAW;
	out->bits = (unsigned)EVP_PKEY_get_bits(pkey);
	EVP_PKEY_free(pkey);
}

void dd_dkim_key_decode(const char *k, size_t k_len, const char *p, size_t p_len,
                        struct dd_dkim_key *out)
{
	memset(out, 0, sizeof(*out));
	out->error_offset = DD_DKIM_NO_OFFSET;
	/* RFC 6376 §3.6.1: k= defaults to rsa; RFC 8463 §3 registers ed25519.
	 * Key types are compared as written (they are registered lowercase). */
	bool rsa = k_len == 0 || (k_len == 3 && memcmp(k, "rsa", 3) == 0);
	bool ed25519 = k_len == 7 && memcmp(k, "ed25519", 7) == 0;
	if (!rsa && !ed25519) {
		fail(out, &unknown_type, DD_DKIM_NO_OFFSET, 0);
		out->type = DD_DKIM_KEY_UNKNOWN;
		return;
	}
	unsigned char *der = xmalloc(p_len / 4 * 3 + 3);
	size_t len = b64_decode(p, p_len, der, out);
	if (len == (size_t)-1)
		goto out;
	if (len == 0) {
		fail(out, &empty_key, DD_DKIM_NO_OFFSET, 0);
		goto out;
	}
	if (rsa)
		decode_rsa(der, len, out);
	else
		decode_ed25519(der, len, out);
out:
	free(der);
}
