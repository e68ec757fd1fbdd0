/*
 * spf_parse.c: the SPF record grammar of RFC 7208 §12, read with the bounded
 * cursor of parse.h:
 *
 *   record     = version terms *SP              version = "v=spf1"
 *   terms      = *( 1*SP ( directive / modifier ) )
 *   directive  = [ qualifier ] mechanism        qualifier = "+" / "-" / "?" / "~"
 *   mechanism  = all / include / a / mx / ptr / ip4 / ip6 / exists
 *   modifier   = redirect / explanation / unknown-modifier
 *   unknown-modifier = name "=" macro-string
 *   name       = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
 *
 * Terms are separated by spaces only: a tab, CR or LF inside a record is a
 * syntax error (RFC 7208 §4.6.1). Names of mechanisms and modifiers are
 * case-insensitive (ABNF literals). Every error carries its 1-based column.
 *
 * Deliberately not done here: macro expansion (spf_macro.c) and anything
 * that needs the DNS. A record is parsed to the end even after an error, so
 * that its lookups can still be counted.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "dd/parse.h"
#include "dd/spf.h"

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

/* RFC 7208 §4.5: "v=spf1" (ABNF literals are case-insensitive) then SP or end. */
bool dd_spf_is_record(const char *txt, size_t len)
{
	if (!dd_memcaseprefix(txt, len, "v=spf1"))
		return false;
	return len == 6 || txt[6] == ' ';
}

size_t dd_spf_records(const struct dd_answer *a, const struct dd_rr **first)
{
	size_t n = 0;
	*first = NULL;
	for (size_t i = 0; i < a->nrrs; i++) {
		if (!dd_spf_is_record(a->rrs[i].data, a->rrs[i].len))
			continue;
		if (n++ == 0)
			*first = &a->rrs[i];
	}
	return n;
}

bool dd_spf_kind_queries_dns(enum dd_spf_kind k)
{
	return k == DD_SPF_INCLUDE || k == DD_SPF_A || k == DD_SPF_MX || k == DD_SPF_PTR ||
	       k == DD_SPF_EXISTS || k == DD_SPF_REDIRECT;
}

const char *dd_spf_kind_name(enum dd_spf_kind k)
{
	switch (k) {
	case DD_SPF_ALL: return "all";
	case DD_SPF_INCLUDE: return "include";
	case DD_SPF_A: return "a";
	case DD_SPF_MX: return "mx";
	case DD_SPF_PTR: return "ptr";
	case DD_SPF_IP4: return "ip4";
	case DD_SPF_IP6: return "ip6";
	case DD_SPF_EXISTS: return "exists";
	case DD_SPF_REDIRECT: return "redirect";
	case DD_SPF_EXP: return "exp";
	case DD_SPF_MODIFIER: return "modifier";
	}
	return "?";
}

char dd_spf_qualifier_char(enum dd_spf_qualifier q)
{
	static const char chars[] = { '+', '-', '~', '?' };
	return chars[q];
}

/* ------------------------------------------------------ macro-strings */

/*
 * RFC 7208 §7.1:
 *   macro-string = *( macro-expand / macro-literal )
 *   macro-expand = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"
 *   macro-literal = %x21-24 / %x26-7E
 *   transformers = *DIGIT [ "r" ]
 *   delimiter    = "." / "-" / "+" / "," / "/" / "_" / "="
 * The letters c, r and t are for explanation strings only (§7.1). The same
 * rules are applied again, with the values, when a string is expanded
 * (spf_macro.c); here they only decide whether the record parses.
 */
static bool is_macro_letter(int c, bool explain)
{
	c |= 0x20;
	if (strchr("slodiphv", c))
		return true;
	return explain && strchr("crt", c);
}

static bool is_delimiter(int c)
{
	return c && strchr(".-+,/_=", c) != NULL;
}

/* The syntax errors, in every language we ship: spf.syntax quotes them. */
/* clang-format off */
static const struct dd_text e_unprintable = {"a byte that is not printable ASCII",
	"印字可能な ASCII 文字でないバイトがあります"};
static const struct dd_text e_percent_end = {"'%' at the end (write %% for a percent sign)",
	"末尾に '%' があります (% そのものは %% と書きます)"};
static const struct dd_text e_percent_next = {"'%' must be followed by '{', '%', '_' or '-'",
	"'%' の後には '{'、'%'、'_'、'-' のどれかが必要です"};
static const struct dd_text e_macro_exp_only = {"macro letters c, r and t are only allowed in exp= text",
	"マクロ文字 c、r、t は exp= の文字列でしか使えません"};
static const struct dd_text e_macro_letter = {"an unknown macro letter",
	"不明なマクロ文字です"};
static const struct dd_text e_macro_zero = {"a macro must keep at least one label (not 0)",
	"マクロが残すラベルの数は 1 以上でなければなりません (0 は不可)"};
static const struct dd_text e_macro_digits = {"a macro label count of more than three digits",
	"マクロのラベル数が 4 桁以上あります"};
static const struct dd_text e_macro_brace = {"a macro must end with '}'",
	"マクロは '}' で終わらなければなりません"};
static const struct dd_text e_empty_domain = {"an empty domain-spec",
	"domain-spec が空です"};
static const struct dd_text e_no_toplabel = {"a domain must end in a dot and a top-level label",
	"ドメインはドットとトップレベルのラベルで終わらなければなりません"};
static const struct dd_text e_bad_toplabel = {"the last label must be letters, digits and '-', and not all digits",
	"最後のラベルは英字、数字、'-' からなり、数字だけであってはなりません"};
static const struct dd_text e_cidr6_range = {"an IPv6 prefix length must be 0 to 128",
	"IPv6 のプレフィックス長は 0 から 128 でなければなりません"};
static const struct dd_text e_cidr4_range = {"an IPv4 prefix length must be 0 to 32",
	"IPv4 のプレフィックス長は 0 から 32 でなければなりません"};
static const struct dd_text e_unknown_mechanism = {"an unknown mechanism",
	"不明なメカニズムです"};
static const struct dd_text e_all_argument = {"all takes no argument",
	"all は引数を取りません"};
static const struct dd_text e_expected_domain = {"expected ':' and a domain",
	"名前の後には ':' とドメインが必要です"};
static const struct dd_text e_needs_domain = {"needs ':' and a domain",
	"':' とドメインが必要です"};
static const struct dd_text e_domain_or_prefix = {"expected ':' and a domain, or a prefix length",
	"':' とドメイン、またはプレフィックス長が必要です"};
static const struct dd_text e_ptr_prefix = {"ptr takes no prefix length",
	"ptr はプレフィックス長を取りません"};
static const struct dd_text e_needs_ip4 = {"needs ':' and an IPv4 network",
	"':' と IPv4 ネットワークが必要です"};
static const struct dd_text e_needs_ip6 = {"needs ':' and an IPv6 network",
	"':' と IPv6 ネットワークが必要です"};
static const struct dd_text e_not_ip4 = {"not an IPv4 address (four numbers 0-255, no leading zeros)",
	"IPv4 アドレスではありません (0 から 255 の数が 4 つで、先頭に 0 は付けません)"};
static const struct dd_text e_not_ip6 = {"not an IPv6 address",
	"IPv6 アドレスではありません"};
static const struct dd_text e_ip4_prefix = {"an IPv4 prefix length must be 0 to 32, no leading zeros",
	"IPv4 のプレフィックス長は 0 から 32 で、先頭に 0 は付けません"};
static const struct dd_text e_ip4_prefixes = {"ip4 takes one prefix length",
	"ip4 が取るプレフィックス長は 1 つだけです"};
static const struct dd_text e_ip6_prefix = {"an IPv6 prefix length must be 0 to 128, no leading zeros",
	"IPv6 のプレフィックス長は 0 から 128 で、先頭に 0 は付けません"};
static const struct dd_text e_ip6_prefixes = {"ip6 takes one prefix length",
	"ip6 が取るプレフィックス長は 1 つだけです"};
static const struct dd_text e_redirect_twice = {"redirect= appears twice",
	"redirect= が 2 回あります"};
static const struct dd_text e_exp_twice = {"exp= appears twice",
	"exp= が 2 回あります"};
static const struct dd_text e_separator = {"terms are separated by spaces only, not tabs or line breaks",
	"項目の区切りは空白だけで、タブや改行は使えません"};
static const struct dd_text e_nul = {"a NUL byte",
	"NUL バイトがあります"};
static const struct dd_text e_bare_qualifier = {"a qualifier without a mechanism",
	"限定子 (+、-、~、?) の後にメカニズムがありません"};
static const struct dd_text e_nameless_modifier = {"a modifier needs a name before '='",
	"修飾子には '=' の前に名前が必要です"};
static const struct dd_text e_not_spf = {"not an SPF record (it must start with \"v=spf1\")",
	"SPF レコードではありません (\"v=spf1\" で始まる必要があります)"};
/* clang-format on */

struct macro_scan {
	bool macro;      /* a macro-expand was seen */
	size_t last_end; /* offset just past the last macro-expand, 0 when none */
	size_t at;       /* where the error is */
};

/* Returns NULL when s is a valid macro-string, else the error (offset in scan->at). */
static const struct dd_text *macro_scan(const char *s, size_t len, struct macro_scan *scan)
{
	memset(scan, 0, sizeof(*scan));
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		scan->at = i;
		if (c != '%') {
			if (c < 0x21 || c > 0x7e)
				return &e_unprintable;
			continue;
		}
		if (i + 1 >= len)
			return &e_percent_end;
		char next = s[i + 1];
		if (next == '%' || next == '_' || next == '-') {
			i++;
			scan->macro = true;
			scan->last_end = i + 1;
			continue;
		}
		if (next != '{')
			return &e_percent_next;
		size_t j = i + 2;
		if (j >= len || !is_macro_letter((unsigned char)s[j], false)) {
			scan->at = j < len ? j : i;
			return j < len && is_macro_letter((unsigned char)s[j], true)
			               ? &e_macro_exp_only
			               : &e_macro_letter;
		}
		j++;
		size_t digits = 0;
		bool zero = true;
		while (j < len && is_digit((unsigned char)s[j])) {
			zero &= s[j] == '0';
			digits++;
			j++;
		}
		if (digits && zero) {
			scan->at = j - 1;
			return &e_macro_zero;
		}
		if (digits > 3) {
			scan->at = j - 1;
			return &e_macro_digits;
		}
		if (j < len && (s[j] | 0x20) == 'r')
			j++;
		while (j < len && is_delimiter((unsigned char)s[j]))
			j++;
		if (j >= len || s[j] != '}') {
			scan->at = j < len ? j : len - 1;
			return &e_macro_brace;
		}
		i = j;
		scan->macro = true;
		scan->last_end = i + 1;
	}
	return NULL;
}

/*
 * toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
 */
static bool is_toplabel(const char *s, size_t len)
{
	if (len == 0 || !is_alnum((unsigned char)s[0]) || !is_alnum((unsigned char)s[len - 1]))
		return false;
	bool alpha = false, dash = false;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		if (c == '-')
			dash = true;
		else if (is_alpha(c))
			alpha = true;
		else if (!is_digit(c))
			return false;
	}
	return alpha || dash;
}

/*
 * domain-spec = macro-string domain-end
 * domain-end  = ( "." toplabel [ "." ] ) / macro-expand
 * Returns NULL or the error, with its offset in *at.
 */
static const struct dd_text *domain_spec_check(const char *s, size_t len, size_t *at, bool *macro)
{
	struct macro_scan scan;
	*at = 0;
	*macro = false;
	if (len == 0)
		return &e_empty_domain;
	const struct dd_text *why = macro_scan(s, len, &scan);
	*macro = scan.macro;
	if (why) {
		*at = scan.at;
		return why;
	}
	if (scan.macro && (scan.last_end == len || (scan.last_end == len - 1 && s[len - 1] == '.')))
		return NULL; /* ends with a macro-expand (a trailing dot is ignored, §7.3) */
	/* "." toplabel [ "." ], all after the last macro-expand */
	size_t end = len;
	if (s[end - 1] == '.')
		end--;
	size_t dot = end;
	while (dot > scan.last_end && s[dot - 1] != '.')
		dot--;
	*at = dot;
	if (dot == scan.last_end)
		return &e_no_toplabel;
	if (!is_toplabel(s + dot, end - dot))
		return &e_bad_toplabel;
	return NULL;
}

/* --------------------------------------------------------- addresses */

/* ip4-network = qnum "." qnum "." qnum "." qnum, qnum 0-255 without leading zeros. */
static bool parse_ip4(const char *s, size_t len, unsigned char out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part) {
			if (i >= len || s[i] != '.')
				return false;
			i++;
		}
		size_t start = i;
		unsigned v = 0;
		while (i < len && is_digit((unsigned char)s[i]) && i - start < 3)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return false;
		out[part] = (unsigned char)v;
	}
	return i == len;
}

static bool parse_ip6(const char *s, size_t len, unsigned char out[16])
{
	char buf[64];
	if (len == 0 || len >= sizeof(buf))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!(is_digit((unsigned char)c) || (c >= 'a' && c <= 'f') ||
		      (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
			return false;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET6, buf, out) == 1;
}

/* ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT); ip6: 0*2DIGIT; no leading zeros. */
static bool parse_prefix(const char *s, size_t len, int max, int *out)
{
	if (len == 0 || len > 3 || (s[0] == '0' && len > 1))
		return false;
	int v = 0;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* ----------------------------------------------------------- terms */

struct parser {
	struct dd_cursor c;
	struct dd_spf_record *rec;
	size_t cap;
	bool term_failed; /* the term being read has an error (the record keeps only the first) */
};

static void fail(struct parser *ps, size_t pos, const struct dd_text *why)
{
	ps->term_failed = true;
	if (!ps->rec->error) {
		ps->rec->error = why;
		ps->rec->error_column = pos + 1;
	}
	dd_cursor_fail_at(&ps->c, pos, why);
}

static size_t offset(const struct parser *ps, const char *p)
{
	return (size_t)(p - ps->c.s);
}

static bool digits_only(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_digit((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * a and mx: [ ":" domain-spec ] [ dual-cidr-length ], where
 * dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ]. A "/" is
 * also a macro-literal, so the lengths are taken from the end: "//N", then
 * "/N" (RFC 7208 §5.3, §5.4).
 */
static bool dual_cidr(struct parser *ps, struct dd_spf_term *t, const char *rest, size_t len,
                      size_t *spec_len)
{
	size_t end = len;
	size_t i = end;
	while (i > 0 && is_digit((unsigned char)rest[i - 1]))
		i--;
	if (i < end && i >= 2 && rest[i - 1] == '/' && rest[i - 2] == '/') {
		if (!parse_prefix(rest + i, end - i, 128, &t->cidr6)) {
			fail(ps, offset(ps, rest + i), &e_cidr6_range);
			return false;
		}
		end = i - 2;
		i = end;
		while (i > 0 && is_digit((unsigned char)rest[i - 1]))
			i--;
	}
	if (i < end && i >= 1 && rest[i - 1] == '/' && (i < 2 || rest[i - 2] != '/')) {
		if (!parse_prefix(rest + i, end - i, 32, &t->cidr4)) {
			fail(ps, offset(ps, rest + i), &e_cidr4_range);
			return false;
		}
		end = i - 1;
	}
	*spec_len = end;
	return true;
}

static void set_spec(struct parser *ps, struct dd_spf_term *t, const char *spec, size_t len,
                     bool required)
{
	size_t at;
	if (len == 0 && !required)
		return;
	const struct dd_text *why = domain_spec_check(spec, len, &at, &t->macro);
	if (why) {
		fail(ps, offset(ps, spec) + (len ? at : 0), why);
		return;
	}
	t->spec = spec;
	t->spec_len = len;
}

static const struct {
	const char *name;
	enum dd_spf_kind kind;
} mechanisms[] = {
	{ "all", DD_SPF_ALL }, { "include", DD_SPF_INCLUDE }, { "a", DD_SPF_A },
	{ "mx", DD_SPF_MX },   { "ptr", DD_SPF_PTR },         { "ip4", DD_SPF_IP4 },
	{ "ip6", DD_SPF_IP6 }, { "exists", DD_SPF_EXISTS },
};

/* A mechanism: its name runs to ':' or '/' or the end of the term. */
static bool parse_mechanism(struct parser *ps, struct dd_spf_term *t, const char *s, size_t len)
{
	size_t n = 0;
	while (n < len && s[n] != ':' && s[n] != '/')
		n++;
	bool known = false;
	for (size_t i = 0; i < DD_ARRAY_LEN(mechanisms) && !known; i++) {
		if (strlen(mechanisms[i].name) == n && dd_strncaseeq(s, mechanisms[i].name, n)) {
			t->kind = mechanisms[i].kind;
			known = true;
		}
	}
	if (!known) {
		fail(ps, offset(ps, s), &e_unknown_mechanism);
		return false;
	}
	const char *rest = s + n; /* ":..." or "/..." or "" */
	size_t rlen = len - n;
	switch (t->kind) {
	case DD_SPF_ALL:
		if (rlen)
			fail(ps, offset(ps, rest), &e_all_argument);
		break;
	case DD_SPF_INCLUDE:
	case DD_SPF_EXISTS:
		/* include / exists = name ":" domain-spec (RFC 7208 §5.2, §5.7) */
		if (rlen == 0 || rest[0] != ':') {
			fail(ps, offset(ps, rest), rlen ? &e_expected_domain : &e_needs_domain);
			break;
		}
		set_spec(ps, t, rest + 1, rlen - 1, true);
		break;
	case DD_SPF_A:
	case DD_SPF_MX: {
		size_t spec_len;
		if (!dual_cidr(ps, t, rest, rlen, &spec_len))
			break;
		if (spec_len == 0)
			break;
		if (rest[0] != ':') {
			fail(ps, offset(ps, rest), &e_domain_or_prefix);
			break;
		}
		set_spec(ps, t, rest + 1, spec_len - 1, true);
		break;
	}
	case DD_SPF_PTR:
		/* ptr = "ptr" [ ":" domain-spec ] (RFC 7208 §5.5): no prefix length */
		if (rlen == 0)
			break;
		if (rest[0] != ':') {
			fail(ps, offset(ps, rest), &e_ptr_prefix);
			break;
		}
		set_spec(ps, t, rest + 1, rlen - 1, true);
		break;
	case DD_SPF_IP4:
	case DD_SPF_IP6: {
		bool v4 = t->kind == DD_SPF_IP4;
		if (rlen == 0 || rest[0] != ':') {
			fail(ps, offset(ps, rest), v4 ? &e_needs_ip4 : &e_needs_ip6);
			break;
		}
		const char *addr = rest + 1;
		size_t alen = rlen - 1;
		const char *slash = memchr(addr, '/', alen);
		size_t net_len = slash ? (size_t)(slash - addr) : alen;
		bool ok =
		        v4 ? parse_ip4(addr, net_len, t->addr) : parse_ip6(addr, net_len, t->addr);
		if (!ok) {
			fail(ps, offset(ps, addr), v4 ? &e_not_ip4 : &e_not_ip6);
			break;
		}
		if (slash) {
			const char *p = slash + 1;
			size_t plen = alen - net_len - 1;
			int *dst = v4 ? &t->cidr4 : &t->cidr6;
			if (!parse_prefix(p, plen, v4 ? 32 : 128, dst))
				fail(ps, offset(ps, p),
				     v4 ? (digits_only(p, plen) ? &e_ip4_prefix : &e_ip4_prefixes)
				        : (digits_only(p, plen) ? &e_ip6_prefix : &e_ip6_prefixes));
		}
		break;
	}
	default: break;
	}
	if (!ps->term_failed)
		return true;
	t->invalid = true; /* a known mechanism with a bad argument */
	t->spec = NULL;
	return false;
}

/* name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ); returns its length, 0 when none. */
static size_t modifier_name(const char *s, size_t len)
{
	if (len == 0 || !is_alpha((unsigned char)s[0]))
		return 0;
	size_t n = 1;
	while (n < len &&
	       (is_alnum((unsigned char)s[n]) || s[n] == '-' || s[n] == '_' || s[n] == '.'))
		n++;
	return n;
}

static bool parse_modifier(struct parser *ps, struct dd_spf_term *t, const char *s, size_t len,
                           size_t name_len)
{
	const char *value = s + name_len + 1;
	size_t vlen = len - name_len - 1;
	if (name_len == 8 && dd_strncaseeq(s, "redirect", 8)) {
		/* RFC 7208 §6.1: redirect = "redirect" "=" domain-spec */
		t->kind = DD_SPF_REDIRECT;
		set_spec(ps, t, value, vlen, true);
		t->invalid = !t->spec;
	} else if (name_len == 3 && dd_strncaseeq(s, "exp", 3)) {
		/* RFC 7208 §6.2 (and erratum): exp = "exp" "=" domain-spec; empty is an error */
		t->kind = DD_SPF_EXP;
		set_spec(ps, t, value, vlen, true);
	} else {
		/* unknown-modifier = name "=" macro-string: ignored, but must parse */
		struct macro_scan scan;
		t->kind = DD_SPF_MODIFIER;
		t->name = s;
		t->name_len = name_len;
		const struct dd_text *why = macro_scan(value, vlen, &scan);
		t->macro = scan.macro;
		if (why)
			fail(ps, offset(ps, value) + scan.at, why);
		t->spec = value;
		t->spec_len = vlen;
	}
	return !ps->term_failed;
}

static void add_term(struct parser *ps, const struct dd_spf_term *t)
{
	struct dd_spf_record *r = ps->rec;
	r->terms = xgrow(r->terms, &ps->cap, r->nterms + 1, sizeof(*r->terms));
	long idx = (long)r->nterms;
	r->terms[r->nterms++] = *t;
	long *slot = t->kind == DD_SPF_ALL        ? &r->all
	             : t->kind == DD_SPF_REDIRECT ? &r->redirect
	             : t->kind == DD_SPF_EXP      ? &r->exp
	                                          : NULL;
	if (!slot)
		return;
	if (*slot < 0) {
		*slot = idx;
	} else if (t->kind != DD_SPF_ALL && !r->error) {
		/* RFC 7208 §6: redirect and exp must not appear twice */
		fail(ps, t->column - 1,
		     t->kind == DD_SPF_REDIRECT ? &e_redirect_twice : &e_exp_twice);
		r->duplicate = t->kind == DD_SPF_REDIRECT ? "redirect=" : "exp=";
	}
}

static void parse_term(struct parser *ps, const char *s, size_t len)
{
	struct dd_spf_term t;
	memset(&t, 0, sizeof(t));
	t.text = s;
	t.len = len;
	t.column = offset(ps, s) + 1;
	t.cidr4 = t.cidr6 = -1;
	ps->term_failed = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x21 || c > 0x7e) {
			fail(ps, offset(ps, s + i),
			     c == '\t' || c == '\r' || c == '\n' ? &e_separator
			     : c == 0                            ? &e_nul
			                                         : &e_unprintable);
			return;
		}
	}
	size_t name_len = modifier_name(s, len);
	if (name_len && name_len < len && s[name_len] == '=') {
		if (parse_modifier(ps, &t, s, len, name_len) || t.invalid)
			add_term(ps, &t);
		return;
	}
	const char *m = s;
	size_t mlen = len;
	if (strchr("+-~?", s[0])) {
		t.qualifier = s[0] == '+'   ? DD_SPF_Q_PASS
		              : s[0] == '-' ? DD_SPF_Q_FAIL
		              : s[0] == '~' ? DD_SPF_Q_SOFTFAIL
		                            : DD_SPF_Q_NEUTRAL;
		m++;
		mlen--;
		if (mlen == 0) {
			fail(ps, offset(ps, s), &e_bare_qualifier);
			return;
		}
	} else if (len && s[0] == '=') {
		fail(ps, offset(ps, s), &e_nameless_modifier);
		return;
	}
	/* an invalid DNS-querying term is kept: a hand count counts it too */
	if (parse_mechanism(ps, &t, m, mlen) || (t.invalid && dd_spf_kind_queries_dns(t.kind)))
		add_term(ps, &t);
}

void dd_spf_parse(const char *txt, size_t len, struct dd_spf_record *out)
{
	struct parser ps;
	memset(out, 0, sizeof(*out));
	memset(&ps, 0, sizeof(ps));
	out->all = out->redirect = out->exp = -1;
	ps.rec = out;
	dd_cursor_init(&ps.c, txt, len);
	if (ps.c.error) {
		out->error = ps.c.error;
		out->error_column = 1;
	}
	if (!dd_spf_is_record(txt, ps.c.len)) {
		fail(&ps, 0, &e_not_spf);
		return;
	}
	ps.c.pos = 6;
	while (!dd_cursor_eof(&ps.c)) {
		/* 1*SP between terms; trailing spaces are allowed (RFC 7208 §4.5) */
		while (dd_cursor_accept(&ps.c, ' '))
			;
		if (dd_cursor_eof(&ps.c))
			break;
		size_t start = ps.c.pos;
		while (!dd_cursor_eof(&ps.c) && dd_cursor_peek(&ps.c) != ' ')
			ps.c.pos++;
		if (out->nterms == DD_SPF_MAX_TERMS) {
			out->truncated = true;
			out->unread_column = start + 1;
			break;
		}
		parse_term(&ps, ps.c.s + start, ps.c.pos - start);
	}
}

void dd_spf_record_finish(struct dd_spf_record *r)
{
	free(r->terms);
	memset(r, 0, sizeof(*r));
	r->all = r->redirect = r->exp = -1;
}
