/*
 * bimi_cert.c: the mark certificate (VMC or CMC) of a BIMI record's a=,
 * read with OpenSSL: the first certificate of the PEM chain is the
 * holder's. Checked: it parses, its validity period holds `now` (RFC 5280
 * §4.1.2.5), a dNSName subject alternative name is the domain or
 * <selector>._bimi.<domain> (RFC 5280 §4.2.1.6), and the logotype
 * extension (RFC 3709, id-pe-logotype 1.3.6.1.5.5.7.1.12) holds the logo
 * served at l=: an embedded data: URI (base64, usually gzip) whose content
 * is the SVG, or a hash (SHA-1/SHA-2) of the SVG's bytes.
 *
 * Deliberately ignored: the chain to a mark verifying authority's root
 * (no trust store for marks ships with Debian) and revocation.
 * The clock comes in as `now`: this file stays pure.
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "dd/mail.h"
#include "dd/util.h"

#define MAX_LOGO (1u << 20) /* an inflated embedded logo past 1 MiB is not compared */

struct der {
	const unsigned char *p;
	size_t len;
};

/* One TLV; false at the end or on a malformed length. */
static bool der_next(struct der *d, unsigned *tag, struct der *content)
{
	if (d->len < 2)
		return false;
	*tag = d->p[0];
	size_t hdr = 2, len = d->p[1];
	if (len & 0x80) {
		size_t n = len & 0x7f;
		if (n == 0 || n > 4 || d->len < 2 + n)
			return false;
		len = 0;
		for (size_t i = 0; i < n; i++)
			len = (len << 8) | d->p[2 + i];
		hdr += n;
	}
	if (len > d->len - hdr)
		return false;
	content->p = d->p + hdr;
	content->len = len;
	d->p += hdr + len;
	d->len -= hdr + len;
	return true;
}

struct logo_scan {
	const char *svg;
	size_t svg_len;
	bool any_hash;
	bool hash_match;
	bool any_data;
	bool data_match;
	unsigned depth;
};

static const EVP_MD *md_for_oid(const struct der *oid)
{
	static const struct {
		unsigned char der[9];
		size_t len;
		const char *name;
	} known[] = {
		{ { 0x2b, 0x0e, 0x03, 0x02, 0x1a }, 5, "SHA1" },
		{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 }, 9, "SHA256" },
		{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02 }, 9, "SHA384" },
		{ { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03 }, 9, "SHA512" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(known); i++)
		if (oid->len == known[i].len && memcmp(oid->p, known[i].der, oid->len) == 0)
			return EVP_get_digestbyname(known[i].name);
	return NULL;
}

static bool digest_equals(const EVP_MD *md, const void *data, size_t len, const struct der *want)
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	return EVP_Digest(data, len, out, &n, md, NULL) && n == want->len &&
	       memcmp(out, want->p, n) == 0;
}

/* Compare embedded logo bytes (gzip or plain) with the SVG served. */
static bool embedded_is_svg(const unsigned char *data, size_t len, const char *svg, size_t svg_len)
{
	if (len < 2 || data[0] != 0x1f || data[1] != 0x8b)
		return len == svg_len && memcmp(data, svg, len) == 0;
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return false;
	unsigned char *out = xmalloc(MAX_LOGO);
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = MAX_LOGO;
	int rc = inflate(&zs, Z_FINISH);
	bool same = rc == Z_STREAM_END && zs.total_out == svg_len && memcmp(out, svg, svg_len) == 0;
	inflateEnd(&zs);
	free(out);
	return same;
}

static void scan_data_uri(struct logo_scan *s, const struct der *v)
{
	/* data:image/svg+xml;base64,<...> */
	const char *t = (const char *)v->p;
	const char *comma = memchr(t, ',', v->len);
	if (v->len < 5 || memcmp(t, "data:", 5) != 0 || !comma)
		return;
	s->any_data = true;
	size_t b64 = v->len - (size_t)(comma + 1 - t);
	if (b64 > 4 * MAX_LOGO)
		return;
	unsigned char *bin = xmalloc(b64 / 4 * 3 + 3);
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	int n1 = 0, n2 = 0;
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, bin, &n1, (const unsigned char *)comma + 1, (int)b64) >= 0 &&
	    EVP_DecodeFinal(ctx, bin + n1, &n2) >= 0 &&
	    embedded_is_svg(bin, (size_t)(n1 + n2), s->svg, s->svg_len))
		s->data_match = true;
	EVP_ENCODE_CTX_free(ctx);
	free(bin);
}

/* Walk the extension: HashAlgAndValue pairs and data: URIs, wherever they sit. */
static void scan(struct logo_scan *s, struct der d)
{
	if (++s->depth > 16)
		goto out;
	unsigned tag;
	struct der c;
	while (der_next(&d, &tag, &c)) {
		if (tag == 0x16) { /* IA5String */
			scan_data_uri(s, &c);
			continue;
		}
		if (!(tag & 0x20))
			continue; /* primitive */
		if (tag == 0x30) {
			/* SEQUENCE { SEQUENCE { OID, ... }, OCTET STRING }: a hash */
			struct der in = c, alg, oidc, val;
			unsigned t1, t2, t3;
			if (der_next(&in, &t1, &alg) && t1 == 0x30 && der_next(&in, &t2, &val) &&
			    t2 == 0x04 && der_next(&alg, &t3, &oidc) && t3 == 0x06) {
				const EVP_MD *md = md_for_oid(&oidc);
				if (md) {
					s->any_hash = true;
					if (digest_equals(md, s->svg, s->svg_len, &val))
						s->hash_match = true;
				}
				continue;
			}
		}
		scan(s, c);
	}
out:
	s->depth--;
}

int dd_bimi_logotype_match(const unsigned char *der, size_t len, const char *svg, size_t svg_len)
{
	struct logo_scan s = { .svg = svg, .svg_len = svg_len };
	struct der d = { der, len };
	scan(&s, d);
	if (s.hash_match || s.data_match)
		return 1;
	/* a hash over the embedded (gzip) data matches neither: the data decides */
	if (s.any_data)
		return 0;
	return s.any_hash ? 0 : -1;
}

static int logotype(X509 *x, const char *svg, size_t svg_len)
{
	ASN1_OBJECT *oid = OBJ_txt2obj("1.3.6.1.5.5.7.1.12", 1);
	int idx = oid ? X509_get_ext_by_OBJ(x, oid, -1) : -1;
	ASN1_OBJECT_free(oid);
	if (idx < 0)
		return -1;
	X509_EXTENSION *ext = X509_get_ext(x, idx);
	ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(ext);
	if (!svg)
		return -1;
	return dd_bimi_logotype_match(ASN1_STRING_get0_data(v), (size_t)ASN1_STRING_length(v), svg,
	                              svg_len);
}

static int64_t asn1_epoch(const ASN1_TIME *t)
{
	struct tm tm;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return (int64_t)timegm(&tm);
}

static bool san_matches(X509 *x, const char *domain, const char *selector, char *first,
                        size_t firstsz)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	bool ok = false;
	char alt[DD_NAME_MAX + 64];
	snprintf(alt, sizeof(alt), "%s._bimi.%s", selector, domain);
	for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		if (g->type != GEN_DNS)
			continue;
		const char *s = (const char *)ASN1_STRING_get0_data(g->d.dNSName);
		int n = ASN1_STRING_length(g->d.dNSName);
		char name[DD_NAME_MAX + 64];
		if (n <= 0 || (size_t)n >= sizeof(name) || memchr(s, '\0', (size_t)n))
			continue;
		memcpy(name, s, (size_t)n);
		name[n] = '\0';
		if (!first[0]) {
			size_t k = strlen(name) < firstsz - 1 ? strlen(name) : firstsz - 1;
			memcpy(first, name, k);
			first[k] = '\0';
		}
		if (dd_strcaseeq(name, domain) || dd_strcaseeq(name, alt))
			ok = true;
	}
	GENERAL_NAMES_free(names);
	if (!first[0])
		snprintf(first, firstsz, "(none)");
	return ok;
}

void dd_bimi_cert_check(const char *pem, size_t len, const char *domain, const char *selector,
                        const char *svg, size_t svg_len, int64_t now, struct dd_bimi_cert *out)
{
	static const struct dd_text too_large = { "too large", "大きすぎます" };
	static const struct dd_text no_pem = { "no PEM certificate could be read",
		                               "PEM 形式の証明書を読めませんでした" };
	memset(out, 0, sizeof(*out));
	out->logotype_match = -1;
	if (len > INT32_MAX) {
		out->error = &too_large;
		return;
	}
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	if (!x) {
		out->error = &no_pem;
		return;
	}
	out->parsed = true;
	out->not_after = asn1_epoch(X509_get0_notAfter(x));
	out->not_before = asn1_epoch(X509_get0_notBefore(x));
	out->san_match = san_matches(x, domain, selector, out->san_first, sizeof(out->san_first));
	out->logotype_match = logotype(x, svg, svg_len);
	out->expired = now && (now > out->not_after || now < out->not_before);
	X509_free(x);
}
