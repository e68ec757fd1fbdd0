/*
 * spf_macro.c: the sending client of check_host() and macro expansion
 * (RFC 7208 §7).
 *
 *   %{s} sender  %{l} its local-part  %{o} its domain  %{d} the domain
 *   %{i} the IP  %{p} its validated name  %{v} "in-addr" or "ip6"
 *   %{h} the HELO name;  in exp= text only: %{c} the IP for humans,
 *   %{r} the receiver ("unknown"), %{t} a timestamp
 *   transformers: N keep the N rightmost parts, r reverse them, then the
 *   delimiters to split on (default "."); an upper-case letter URL-escapes.
 *
 * Without a client IP (the posture view) only %{d} and %{o} can be
 * expanded: the others depend on the message, and a term that needs one is
 * counted but not resolved. %{t} expands to 0: the core has no clock, and
 * the value only ever appears in explanation text.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "dd/spf.h"

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool dd_spf_client_init(struct dd_spf_client *c, const char *domain, const char *ip,
                        const char *sender, const char *helo)
{
	memset(c, 0, sizeof(*c));
	c->sender_domain = domain;
	if (!ip)
		return true; /* the posture view: only %{d} and %{o} */
	unsigned char buf[16];
	if (inet_pton(AF_INET, ip, buf) == 1) {
		c->family = 4;
		memcpy(c->ip, buf, 4);
	} else if (inet_pton(AF_INET6, ip, buf) == 1) {
		/* RFC 7208 §5: an IPv4-mapped IPv6 address is an IPv4 address */
		static const unsigned char mapped[12] = {
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
		};
		if (memcmp(buf, mapped, 12) == 0) {
			c->family = 4;
			memcpy(c->ip, buf + 12, 4);
		} else {
			c->family = 6;
			memcpy(c->ip, buf, 16);
		}
	} else {
		return false;
	}
	c->has_ip = true;
	c->helo = helo ? helo : domain;
	/* No --sender: mail from postmaster@DOMAIN, the domain being checked.
	 * RFC 7208 §4.3: the null sender ("") is postmaster@<helo>; an empty
	 * local-part is postmaster. */
	bool null_sender = sender && !*sender;
	if (!sender)
		sender = "";
	const char *at = strrchr(sender, '@');
	const char *local = at ? sender : "";
	size_t local_len = at ? (size_t)(at - sender) : 0;
	const char *sdomain = at ? at + 1 : *sender ? sender : null_sender ? c->helo : domain;
	if (local_len == 0 || local_len >= sizeof(c->local_buf)) {
		local = "postmaster";
		local_len = strlen(local);
	}
	if (!*sdomain)
		sdomain = domain;
	memcpy(c->local_buf, local, local_len);
	c->local_buf[local_len] = '\0';
	snprintf(c->sender_buf, sizeof(c->sender_buf), "%s@%s", c->local_buf, sdomain);
	c->local = c->local_buf;
	c->sender = c->sender_buf;
	c->sender_domain = strrchr(c->sender_buf, '@') + 1;
	return true;
}

static void nibbles(const unsigned char ip[16], bool reverse, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	for (int i = 0; i < 32; i++) {
		int k = reverse ? 31 - i : i;
		unsigned v = k % 2 ? ip[k / 2] & 0x0f : ip[k / 2] >> 4;
		if (i)
			out[n++] = '.';
		out[n++] = hex[v];
	}
	out[n] = '\0';
}

void dd_spf_reverse_name(const struct dd_spf_client *c, char out[DD_NAME_MAX + 1])
{
	if (c->family == 4) {
		snprintf(out, DD_NAME_MAX + 1, "%u.%u.%u.%u.in-addr.arpa", c->ip[3], c->ip[2],
		         c->ip[1], c->ip[0]);
		return;
	}
	char n[64];
	nibbles(c->ip, true, n);
	snprintf(out, DD_NAME_MAX + 1, "%s.ip6.arpa", n);
}

/* The value of a macro letter, or NULL with *missing set. */
static const char *letter_value(char letter, const struct dd_spf_macro_env *env, char *buf,
                                size_t bufsz, enum dd_spf_expand *missing)
{
	const struct dd_spf_client *c = env->client;
	*missing = DD_SPF_EXPAND_NEEDS_CLIENT;
	switch (letter) {
	case 'd': return env->domain;
	case 'o': return c->sender_domain;
	case 's': return c->sender;
	case 'l': return c->local;
	case 'h': return c->helo;
	case 'r': return "unknown";
	case 't': return "0";
	case 'i':
	case 'c':
	case 'v':
		if (!c->has_ip)
			return NULL;
		if (letter == 'v')
			return c->family == 4 ? "in-addr" : "ip6";
		if (c->family == 4 || letter == 'c')
			return inet_ntop(c->family == 4 ? AF_INET : AF_INET6, c->ip, buf,
			                 (socklen_t)bufsz);
		nibbles(c->ip, false, buf);
		return buf;
	case 'p':
		if (!c->has_ip)
			return NULL;
		*missing = DD_SPF_EXPAND_NEEDS_PTR;
		return env->validated;
	}
	return NULL;
}

static bool is_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

/*
 * RFC 7208 §7.3: split the value on the delimiters, reverse if asked, keep
 * the N rightmost parts, join them with "."; an upper-case letter then
 * URL-escapes everything but the unreserved characters (RFC 3986).
 */
static void transform(struct dd_strbuf *out, const char *value, unsigned keep, bool reverse,
                      const char *delims, size_t ndelims, bool escape)
{
	enum { MAX_PARTS = 256 };
	const char *start[MAX_PARTS];
	size_t len[MAX_PARTS];
	size_t n = 0;
	const char *p = value, *part = value;
	for (;; p++) {
		bool delim = *p && (ndelims ? memchr(delims, *p, ndelims) != NULL : *p == '.');
		if (!*p || delim) {
			if (n < MAX_PARTS) {
				start[n] = part;
				len[n] = (size_t)(p - part);
				n++;
			}
			part = p + 1;
		}
		if (!*p)
			break;
	}
	if (reverse)
		for (size_t a = 0, b = n - 1; a < b; a++, b--) {
			const char *ts = start[a];
			size_t tl = len[a];
			start[a] = start[b];
			len[a] = len[b];
			start[b] = ts;
			len[b] = tl;
		}
	size_t first = keep && keep < n ? n - keep : 0;
	for (size_t i = first; i < n; i++) {
		if (i > first)
			dd_strbuf_addc(out, '.');
		for (size_t k = 0; k < len[i]; k++) {
			unsigned char c = (unsigned char)start[i][k];
			if (escape && !is_unreserved(c))
				dd_strbuf_addf(out, "%%%02X", c);
			else
				dd_strbuf_addc(out, (char)c);
		}
	}
}

enum dd_spf_expand dd_spf_expand(const char *s, size_t len, const struct dd_spf_macro_env *env,
                                 bool explain, struct dd_strbuf *out)
{
	enum dd_spf_expand pending = DD_SPF_EXPAND_OK;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != '%') {
			if ((c < 0x21 || c > 0x7e) && !(explain && c == ' '))
				return DD_SPF_EXPAND_BAD;
			dd_strbuf_addc(out, (char)c);
			continue;
		}
		if (i + 1 >= len)
			return DD_SPF_EXPAND_BAD;
		char next = s[++i];
		if (next == '%' || next == '_' || next == '-') {
			dd_strbuf_adds(out, next == '%' ? "%" : next == '_' ? " " : "%20");
			continue;
		}
		if (next != '{' || ++i >= len)
			return DD_SPF_EXPAND_BAD;
		char letter = s[i];
		char low = lower(letter);
		if (!strchr(explain ? "slodiphvcrt" : "slodiphv", low) || !low)
			return DD_SPF_EXPAND_BAD;
		unsigned keep = 0, digits = 0;
		while (i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9') {
			keep = keep * 10 + (unsigned)(s[++i] - '0');
			if (++digits > 3)
				return DD_SPF_EXPAND_BAD;
		}
		if (digits && keep == 0)
			return DD_SPF_EXPAND_BAD;
		bool reverse = false;
		if (i + 1 < len && lower(s[i + 1]) == 'r') {
			reverse = true;
			i++;
		}
		const char *delims = s + i + 1;
		size_t ndelims = 0;
		while (i + 1 < len && s[i + 1] && strchr(".-+,/_=", s[i + 1])) {
			ndelims++;
			i++;
		}
		if (i + 1 >= len || s[i + 1] != '}')
			return DD_SPF_EXPAND_BAD;
		i++;
		char buf[80];
		enum dd_spf_expand missing;
		const char *value = letter_value(low, env, buf, sizeof(buf), &missing);
		if (!value) {
			/* keep reading: a later syntax error still wins */
			if (pending != DD_SPF_EXPAND_NEEDS_CLIENT)
				pending = missing;
			continue;
		}
		transform(out, value, keep, reverse, delims, ndelims, letter != low);
	}
	return pending;
}

bool dd_spf_name(const char *in, size_t len, char out[DD_NAME_MAX + 1])
{
	return dd_name_normalize_printable(in, len, out, DD_NAME_MAX + 1);
}

enum dd_spf_expand dd_spf_target(const char *spec, size_t len, const struct dd_spf_macro_env *env,
                                 char out[DD_NAME_MAX + 1], bool *valid)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	*valid = false;
	out[0] = '\0';
	enum dd_spf_expand st = dd_spf_expand(spec, len, env, false, &b);
	if (st == DD_SPF_EXPAND_OK) {
		const char *name = b.s ? b.s : "";
		size_t n = b.len;
		if (n && name[n - 1] == '.')
			n--;
		/* RFC 7208 §7.3: over 253 octets, drop labels from the left */
		while (n > DD_NAME_MAX) {
			const char *dot = memchr(name, '.', n);
			if (!dot) {
				n = 0;
				break;
			}
			n -= (size_t)(dot + 1 - name);
			name = dot + 1;
		}
		*valid = dd_spf_name(name, n, out);
	}
	dd_strbuf_finish(&b);
	return st;
}
