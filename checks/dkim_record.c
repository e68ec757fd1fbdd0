/*
 * dkim_record.c: the judgement of one DKIM key record found at a selector
 * (RFC 6376 §3.6.1, RFC 8301, RFC 8463): its tags (dkim_parse.c), its key
 * decoded (dkim_key.c) and sized against RFC 8301, and the copy-paste
 * damage seen in real zones - quotes pasted into the record, v= not first.
 * Which selectors are asked, and what no key at them means, is dkim.c's.
 * Ignores: whether the key matches any signature (no message is at hand).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim_int.h"
#include "dd/util.h"

/* ------------------------------------------------------------ variants */

static const struct dd_text revoked_wildcard = {
	"Every selector of {1} without a record of its own answers with a revoked key (a wildcard "
	"with an empty p=): no mail signed under such a selector verifies.",
	"{1} の個別のレコードがないセレクタは、すべて失効した鍵 (p= が空のワイルドカード) "
	"を返します。"
	"そのようなセレクタで署名したメールは検証に失敗します。",
};
static const struct dd_text revoked_wildcard_fix = {
	"Nothing to do if the domain sends no mail or signs only under selectors with their own "
	"record (this is a common way to say \"no other keys\").",
	"メールを送らないドメイン、または個別のレコードがあるセレクタだけで署名している場合は対応不"
	"要です "
	"(「ほかに鍵はない」ことを示す一般的な方法です)。",
};
static const struct dd_text quotes_no_key = {
	"The DKIM record at {1} holds a literal quote character at column {2}: the quotes of a "
	"split "
	"string were pasted as data, so verifiers cannot read the key.",
	"{1} の DKIM レコードの {2} "
	"桁目に引用符がそのまま入っています。分割した文字列の引用符がデータとして"
	"貼り付けられたため、検証側は鍵を読めません。",
};

/* ------------------------------------------------------------- judging */

struct dd_finding *dkim_finding(const struct dkim_site *s, const char *id, const char *a2,
                                const char *a3, const char *a4)
{
	struct dd_finding *f = dd_findings_add(&s->r->findings, id, s->name, a2, a3, a4, NULL);
	if (s->rr)
		dd_finding_set_record(f, s->rr->data, s->rr->len);
	/* the probe's own name: the answer that let it be asked (_domainkey or
	 * an early selector, see dkim.c) did not lead to it by its data */
	if (s->qi >= 0)
		dd_finding_add_chain(f, s->p->queries[s->qi].name);
	for (size_t i = 0; s->ans && i < s->ans->ncnames; i++)
		dd_finding_add_chain(f, s->ans->cnames[i]);
	dd_finding_locate(f, s->ans, s->rr);
	return f;
}

/* dkim.malformed with its reason in English and Japanese (both owned). */
static void malformed(const struct dkim_site *s, struct dd_dkim_selector *e, char *en, char *ja,
                      size_t column)
{
	struct dd_finding *f = dkim_finding(s, "dkim.malformed", en, NULL, NULL);
	dd_finding_arg_ja(f, 1, ja);
	f->column = (uint32_t)column;
	e->malformed = true;
	free(en);
	free(ja);
}

static char **copy_items(const struct dd_dkim_item *items, size_t n)
{
	if (n == 0)
		return NULL;
	char **v = xcalloc(n, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = xstrndup(items[i].s, items[i].len);
	return v;
}

/* A byte as it can be shown inside a message: 'x', or \xNN when not printable. */
static void show_char(char c, char out[8])
{
	unsigned char u = (unsigned char)c;
	if (u >= 0x21 && u <= 0x7e)
		snprintf(out, 8, "'%c'", c);
	else
		snprintf(out, 8, "\\x%02X", u);
}

/* The record with every '"' removed: what the author meant to publish. */
static void judge_quotes(const struct dkim_site *s, struct dd_dkim_selector *e,
                         const struct dd_dkim_record *rec)
{
	char *clean = xmalloc(s->rr->len + 1);
	size_t n = 0;
	for (size_t i = 0; i < s->rr->len; i++)
		if (s->rr->data[i] != '"')
			clean[n++] = s->rr->data[i];
	clean[n] = '\0';
	struct dd_dkim_record cr;
	struct dd_dkim_key key = { 0 };
	dd_dkim_record_parse(clean, n, &cr);
	if (cr.has_p && cr.p_len > 0)
		dd_dkim_key_decode(cr.k, cr.k_len, cr.p, cr.p_len, &key);
	char col[24], bits[24];
	snprintf(col, sizeof(col), "%zu", rec->quote_column);
	snprintf(bits, sizeof(bits), "%u", key.bits);
	const char *type = key.type == DD_DKIM_KEY_RSA ? "RSA" : "ed25519";
	struct dd_finding *f = dkim_finding(s, "dkim.stray-quotes", col, type, bits);
	if (key.type == DD_DKIM_KEY_NONE || key.error)
		f->message = &quotes_no_key;
	f->column = (uint32_t)rec->quote_column;
	e->malformed = true;
	free(clean);
}

static void judge_key(const struct dkim_site *s, struct dd_dkim_selector *e,
                      const struct dd_dkim_record *rec)
{
	struct dd_dkim_key key;
	dd_dkim_key_decode(rec->k, rec->k_len, rec->p, rec->p_len, &key);
	if (key.type == DD_DKIM_KEY_UNKNOWN) {
		/* RFC 6376 §3.6.1: "Unrecognized key types MUST be ignored" - no key then */
		malformed(s, e, xasprintf("unknown key type k=%.*s", (int)rec->k_len, rec->k),
		          xasprintf("不明な鍵の種類 k=%.*s です", (int)rec->k_len, rec->k),
		          rec->k_column);
		return;
	}
	if (key.error && key.error_offset != DD_DKIM_NO_OFFSET) {
		char c[8] = "";
		if (key.bad_char)
			show_char(key.bad_char, c);
		size_t column = rec->p_column + key.error_offset;
		malformed(s, e,
		          xasprintf("p= is not valid base64 at column %zu%s%s: %s", column,
		                    c[0] ? " " : "", c, key.error->en),
		          xasprintf("p= の base64 が %zu 桁目%s%s で壊れています: %s", column,
		                    c[0] ? " " : "", c, key.error->ja),
		          column);
		return;
	}
	if (key.error) {
		malformed(s, e, xstrdup(key.error->en), xstrdup(key.error->ja), rec->p_column);
		return;
	}
	e->key_type = dd_dkim_key_type_name(key.type);
	e->key_encoding = dd_dkim_key_encoding_name(key.encoding);
	e->key_bits = key.bits;
	char bits[24];
	snprintf(bits, sizeof(bits), "%u", key.bits);
	bool usable = true;
	if (key.type == DD_DKIM_KEY_RSA) {
		/* RFC 8301 §3.2: signers MUST use >= 1024 bits, SHOULD use >= 2048;
		 * verifiers MUST handle 1024 to 4096 bits */
		if (key.bits < 1024) {
			dkim_finding(s, "dkim.weak-key", bits, NULL, NULL);
			usable = false;
		} else if (key.bits < 2048) {
			dkim_finding(s, "dkim.short-key", bits, NULL, NULL);
		} else if (key.bits > 4096) {
			dkim_finding(s, "dkim.large-key", bits, NULL, NULL);
		}
		if (key.encoding == DD_DKIM_ENC_PKCS1)
			dkim_finding(s, "dkim.pkcs1-key", NULL, NULL, NULL)->column =
			        (uint32_t)rec->p_column;
	}
	/* RFC 8301 §3.1: rsa-sha1 MUST NOT be used; a key that allows only it is unusable */
	if (rec->has_h && !rec->h_sha256) {
		if (rec->h_sha1)
			dkim_finding(s, "dkim.sha1", NULL, NULL, NULL);
		else
			malformed(s, e,
			          xstrdup("h= names no hash algorithm a verifier knows (sha256)"),
			          xstrdup("h= に検証側が知っているハッシュ方式 (sha256) "
			                  "がありません"),
			          0);
		usable = false;
	}
	if (!rec->s_email) {
		struct dd_strbuf b;
		dd_strbuf_init(&b);
		for (size_t i = 0; i < rec->ns; i++) {
			if (i)
				dd_strbuf_addc(&b, ':');
			dd_strbuf_add(&b, rec->s[i].s, rec->s[i].len);
		}
		dkim_finding(s, "dkim.not-for-email", b.s ? b.s : "", NULL, NULL);
		dd_strbuf_finish(&b);
		usable = false;
	}
	if (usable && !e->malformed)
		s->r->dkim.usable++;
}

/* The whole judgement of one key record; `e` is its new entry. */
static void judge_record(const struct dkim_site *s, struct dd_dkim_selector *e)
{
	struct dd_dkim_record rec;
	dd_dkim_record_parse(s->rr->data, s->rr->len, &rec);
	e->testing = rec.testing;
	e->hash_algorithms = copy_items(rec.h, rec.nh);
	e->nhash_algorithms = rec.nh;
	e->flags = copy_items(rec.t, rec.nt);
	e->nflags = rec.nt;
	e->service_types = copy_items(rec.s, rec.ns);
	e->nservice_types = rec.ns;
	e->notes = rec.n ? xstrndup(rec.n, rec.n_len) : NULL;

	if (rec.quote_column) {
		judge_quotes(s, e, &rec);
		return;
	}
	/* RFC 6376 §3.6.1: "Records beginning with a "v=" tag with any other
	 * value MUST be discarded." */
	if (rec.has_v && !rec.v_is_dkim1) {
		malformed(
		        s, e,
		        xasprintf("v= is \"%.*s\", not \"DKIM1\", so verifiers discard the record",
		                  (int)rec.v_len, rec.v),
		        xasprintf("v= が \"DKIM1\" ではなく \"%.*s\" のため、検証側はレコードを"
		                  "捨てます",
		                  (int)rec.v_len, rec.v),
		        rec.v_column);
		return;
	}
	if (rec.error) {
		malformed(s, e,
		          xasprintf("syntax error at column %zu: %s", rec.error_column,
		                    rec.error->en),
		          xasprintf("%zu 桁目に構文エラーがあります: %s", rec.error_column,
		                    rec.error->ja),
		          rec.error_column);
		return;
	}
	if (rec.has_v && !rec.v_first) {
		char col[24];
		snprintf(col, sizeof(col), "%zu", rec.v_tag_column);
		dkim_finding(s, "dkim.version-not-first", col, NULL, NULL)->column =
		        (uint32_t)rec.v_tag_column;
	}
	if (!rec.has_p) {
		malformed(s, e, xstrdup("there is no p= tag, so there is no key"),
		          xstrdup("p= タグがないため、鍵がありません"), 0);
		return;
	}
	if (rec.p_len == 0) {
		/* RFC 6376 §3.6.1: "An empty value means that this public key has been revoked." */
		e->revoked = true;
		/* a revoked wildcard is how a domain that sends no mail says "no
		 * keys" (what none_non_sending_fix suggests): nothing to report */
		if (e->wildcard && dd_result_is_non_sending(s->r))
			return;
		struct dd_finding *f = dkim_finding(s, "dkim.revoked", NULL, NULL, NULL);
		if (e->wildcard) {
			f->message = &revoked_wildcard;
			f->fix = &revoked_wildcard_fix;
		}
		return;
	}
	judge_key(s, e, &rec);
	if (rec.testing && !e->malformed)
		dkim_finding(s, "dkim.testing", NULL, NULL, NULL);
}

void dkim_judge_record(const struct dkim_site *s, struct dd_dkim_selector *e, size_t nkeys)
{
	judge_record(s, e);
	if (nkeys > 1) {
		char n[24];
		snprintf(n, sizeof(n), "%zu", nkeys);
		dkim_finding(s, "dkim.multiple", n, NULL, NULL);
	}
}
