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

const char *dd_fetch_why(const struct dd_fetch *f, enum dd_lang lang, char *buf, size_t bufsz)
{
	if (f->status == DD_FETCH_HTTP_ERROR)
		snprintf(buf, bufsz, DD_LANG_PICK(lang, "HTTP status %ld", "HTTP ステータス %ld"),
		         f->http_code);
	else
		snprintf(buf, bufsz, "%s", dd_fetch_status_name(f->status));
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
