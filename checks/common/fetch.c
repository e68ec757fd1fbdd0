/*
 * fetch.c: the pure side of HTTPS fetches - status names (part of the JSON
 * contract), the https:// URLs checks may ask for, and Content-Type values
 * (RFC 9110 §8.3). The transport lives in cmd/gather/http_curl.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/fetch.h"
#include "dd/mail.h"
#include "dd/util.h"

const char *dd_fetch_status_name(enum dd_fetch_status s)
{
	switch (s) {
	case DD_FETCH_OK: return "ok";
	case DD_FETCH_HTTP_ERROR: return "http-error";
	case DD_FETCH_TLS_ERROR: return "tls-error";
	case DD_FETCH_TIMEOUT: return "timeout";
	case DD_FETCH_TOO_LARGE: return "too-large";
	case DD_FETCH_REDIRECT_REFUSED: return "redirect-refused";
	case DD_FETCH_CONNECT_ERROR: return "connect-error";
	case DD_FETCH_NO_ADDRESS: return "no-address";
	case DD_FETCH_DNS_FAILURE: return "dns-failure";
	case DD_FETCH_NOT_FETCHED: return "not-fetched";
	case DD_FETCH_BAD_URL: return "bad-url";
	}
	return "not-fetched";
}

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct {
	struct dd_text brief; /* for a line of the text report */
	struct dd_text why;   /* for a finding's sentence */
} status_words[] = {
	[DD_FETCH_OK] = {{"ok", "OK"}, {"it was fetched", "取得できました"}},
	[DD_FETCH_HTTP_ERROR] = {{"HTTP error", "HTTP エラー"}, {"HTTP status", "HTTP ステータス"}}, /* and the code */
	[DD_FETCH_TLS_ERROR] = {{"TLS error", "TLS エラー"},
				{"the TLS handshake or the certificate check failed",
				 "TLS のハンドシェイクか証明書の検証に失敗しました"}},
	[DD_FETCH_TIMEOUT] = {{"timeout", "タイムアウト"}, {"it timed out", "タイムアウトしました"}},
	[DD_FETCH_TOO_LARGE] = {{"too large", "大きすぎます"},
				{"the body is longer than 64 KiB", "本文が 64 KiB を超えています"}},
	[DD_FETCH_REDIRECT_REFUSED] = {{"redirected", "リダイレクト"},
				       {"the server answered with a redirect, which is not followed",
					"サーバーがリダイレクトを返しました (リダイレクトはたどりません)"}},
	[DD_FETCH_CONNECT_ERROR] = {{"connection failed", "接続失敗"},
				    {"the connection failed (refused or unreachable)",
				     "接続できませんでした (拒否されたか到達できません)"}},
	[DD_FETCH_NO_ADDRESS] = {{"no address", "アドレスなし"},
				 {"the host has no A or AAAA record",
				  "ホストに A レコードも AAAA レコードもありません"}},
	[DD_FETCH_DNS_FAILURE] = {{"DNS failure", "DNS エラー"},
				  {"the host's DNS lookups failed", "ホストの DNS 問い合わせに失敗しました"}},
	[DD_FETCH_NOT_FETCHED] = {{"not fetched", "未取得"}, {"it was not fetched", "取得していません"}},
	[DD_FETCH_BAD_URL] = {{"bad URL", "不正な URL"},
			      {"it is not an https:// URL with a valid host",
			       "有効なホストを持つ https:// の URL ではありません"}},
};
/* clang-format on */

static size_t status_index(enum dd_fetch_status s)
{
	return (size_t)s < DD_ARRAY_LEN(status_words) && status_words[s].brief.en
	               ? (size_t)s
	               : DD_FETCH_NOT_FETCHED;
}

const char *dd_fetch_status_brief(enum dd_fetch_status s, enum dd_lang lang)
{
	return dd_text_get(&status_words[status_index(s)].brief, lang);
}

/* The transport's own words (curl's), quoted as written, follow for what
 * it alone knows: which certificate check failed, what refused the
 * connection. */
static bool transport_knows(enum dd_fetch_status s)
{
	return s == DD_FETCH_TLS_ERROR || s == DD_FETCH_TIMEOUT || s == DD_FETCH_CONNECT_ERROR;
}

const char *dd_fetch_why(const struct dd_fetch *f, enum dd_lang lang, char *buf, size_t bufsz)
{
	const struct dd_text *t = &status_words[status_index(f->status)].why;
	if (f->status == DD_FETCH_HTTP_ERROR)
		snprintf(buf, bufsz, "%s %ld", dd_text_get(t, lang), f->http_code);
	else if (transport_knows(f->status) && f->error && *f->error)
		snprintf(buf, bufsz, "%s: \"%s\"", dd_text_get(t, lang), f->error);
	else
		snprintf(buf, bufsz, "%s", dd_text_get(t, lang));
	return buf;
}

bool dd_fetch_status_is_failure(enum dd_fetch_status s)
{
	return s == DD_FETCH_TIMEOUT || s == DD_FETCH_DNS_FAILURE;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool dd_is_ip_literal(const char *s, size_t len)
{
	if (len == 0)
		return false;
	if (s[0] == '[' || memchr(s, ':', len))
		return true;
	/* dotted quad: four all-digit labels (a name never ends in an all-digit TLD) */
	size_t labels = 1, digits = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (!digits)
				return false;
			labels++;
			digits = 0;
		} else if (is_digit(s[i])) {
			digits++;
		} else {
			return false;
		}
	}
	return labels == 4 && digits;
}

bool dd_url_parse_https(const char *url, size_t len, char *host, uint16_t *port)
{
	static const char scheme[] = "https://";
	if (len > DD_FETCH_URL_MAX || !dd_memcaseprefix(url, len, scheme))
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f)
			return false;
	const char *h = url + sizeof(scheme) - 1, *end = url + len;
	const char *he = h;
	while (he < end && *he != '/' && *he != '?' && *he != '#')
		he++;
	/* authority: host[:port], no userinfo (a URL with credentials is refused) */
	if (memchr(h, '@', (size_t)(he - h)) || (he > h && *h == '['))
		return false;
	const char *colon = memchr(h, ':', (size_t)(he - h));
	const char *hend = colon ? colon : he;
	*port = 443;
	if (colon) {
		unsigned long v = 0;
		const char *c = colon + 1;
		if (c == he || he - c > 5)
			return false;
		for (; c < he; c++) {
			if (!is_digit(*c))
				return false;
			v = v * 10 + (unsigned long)(*c - '0');
		}
		if (v == 0 || v > 65535)
			return false;
		*port = (uint16_t)v;
	}
	if (dd_is_ip_literal(h, (size_t)(hend - h)))
		return false;
	return dd_name_normalize(h, (size_t)(hend - h), host, DD_NAME_MAX + 1) &&
	       dd_name_labels(host) >= 2;
}

static bool is_tchar(char c)
{
	/* RFC 9110 §5.6.2 token characters */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Copy a token lowercased; false when it does not fit or is empty. */
static bool take_token(const char **s, const char *end, char *out, size_t outsz)
{
	size_t n = 0;
	while (*s < end && is_tchar(**s)) {
		if (n + 1 >= outsz)
			return false;
		out[n++] = lower(**s);
		(*s)++;
	}
	out[n] = '\0';
	return n > 0;
}

static void skip_ows(const char **s, const char *end)
{
	while (*s < end && (**s == ' ' || **s == '\t'))
		(*s)++;
}

bool dd_media_type_parse(const char *value, size_t len, char *type, size_t typesz, char *charset,
                         size_t charsetsz)
{
	const char *s = value, *end = value + len;
	char sub[128];
	if (typesz < 2 || charsetsz < 1)
		return false;
	charset[0] = '\0';
	skip_ows(&s, end);
	if (!take_token(&s, end, type, typesz) || s >= end || *s != '/')
		return false;
	s++;
	if (!take_token(&s, end, sub, sizeof(sub)) || strlen(type) + 1 + strlen(sub) + 1 > typesz)
		return false;
	size_t tl = strlen(type);
	type[tl] = '/';
	memcpy(type + tl + 1, sub, strlen(sub) + 1);
	/* parameters: *( OWS ";" OWS [ token "=" ( token / quoted-string ) ] ) */
	for (;;) {
		skip_ows(&s, end);
		if (s >= end)
			return true;
		if (*s != ';')
			return false;
		s++;
		skip_ows(&s, end);
		if (s >= end)
			return true;
		if (*s == ';')
			continue;
		char name[64], val[128];
		if (!take_token(&s, end, name, sizeof(name)) || s >= end || *s != '=')
			return false;
		s++;
		size_t n = 0;
		if (s < end && *s == '"') {
			s++;
			while (s < end && *s != '"') {
				if (*s == '\\' && s + 1 < end)
					s++;
				if ((unsigned char)*s < 0x20 && *s != '\t')
					return false;
				if (n + 1 < sizeof(val))
					val[n++] = lower(*s);
				s++;
			}
			if (s >= end)
				return false;
			s++;
			val[n] = '\0';
		} else if (!take_token(&s, end, val, sizeof(val))) {
			return false;
		}
		if (strcmp(name, "charset") == 0) {
			size_t vl = strlen(val);
			if (vl + 1 > charsetsz)
				vl = charsetsz - 1;
			memcpy(charset, val, vl);
			charset[vl] = '\0';
		}
	}
}
