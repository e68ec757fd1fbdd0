/*
 * zone_bind.c: BIND master files (RFC 1035 §5.1), record by record.
 *
 * We split the file into entries ourselves - one record or directive, its
 * parentheses joined, comments dropped - so that every record keeps the line
 * it starts on, and so that what a server would reject gets a clear message
 * at the right place: a quote left open (reported where it opens), a
 * character-string over 255 octets (RFC 1035 §3.3), a '(' never closed.
 * ldns then parses each record (ldns_rr_new_frm_str). The directives are ours:
 *
 *   $ORIGIN name          relative names below are relative to it
 *   $TTL ttl              the default TTL (RFC 2308 §4)
 *   $INCLUDE file [name]  file relative to the including file's directory;
 *                         the origin and the previous owner come back after
 *                         it (RFC 1035 §5.1); nested at most
 *                         DD_ZONE_MAX_INCLUDES deep, never into a file that is
 *                         already being read (a loop)
 *
 * Deliberately unsupported, with an error rather than silence: $GENERATE (a
 * BIND extension: expand it first) and classes other than IN.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "gather/wire.h"
#include "gather/zone_internal.h"
#include "dd/util.h"

/* One record or directive. */
struct entry {
	uint32_t line;    /* where it starts */
	bool blank_owner; /* starts with a blank: the previous owner's record */
	struct dd_strbuf text;
};

/* A file being read, and where we are in it. */
struct source {
	const char *name; /* interned display name */
	char *data;
	size_t len, pos;
	uint32_t line;
	dev_t dev;
	ino_t ino;
};

struct reader {
	struct dd_zone *z;
	struct dd_zone_error *err;
	struct source *stack[DD_ZONE_MAX_INCLUDES + 1];
	size_t depth;
	char *first_origin; /* the first $ORIGIN seen, a fallback for the zone's origin */
	char *soa_owner;
};

/* RFC 1035 §5.1 entry syntax, one entry at a time. False on a syntax error
 * (reported); *got is false at the end of the file. */
static bool next_entry(struct reader *r, struct source *s, struct entry *e, bool *got)
{
	*got = false;
	for (;;) {
		e->text.len = 0;
		if (e->text.s)
			e->text.s[0] = '\0';
		if (s->pos >= s->len)
			return true;
		e->line = s->line;
		e->blank_owner = s->data[s->pos] == ' ' || s->data[s->pos] == '\t';
		bool in_quote = false;
		uint32_t paren_line = 0, quote_line = 0, quote_col = 0;
		int depth = 0;
		size_t octets = 0; /* of the quoted string being read */
		size_t line_start = s->pos;
		while (s->pos < s->len) {
			char c = s->data[s->pos];
			uint32_t col = (uint32_t)(s->pos - line_start) + 1;
			if (c == '\0')
				return zone_fail(r->err, s->name, s->line, col,
				                 "a NUL byte: this is not a text zone file");
			if (c == '\\' && s->pos + 1 < s->len && s->data[s->pos + 1] != '\n') {
				/* \X or \DDD: one octet of data (RFC 1035 §5.1) */
				size_t n = 2;
				if (s->data[s->pos + 1] >= '0' && s->data[s->pos + 1] <= '9')
					while (n < 4 && s->pos + n < s->len &&
					       s->data[s->pos + n] >= '0' &&
					       s->data[s->pos + n] <= '9')
						n++;
				dd_strbuf_add(&e->text, s->data + s->pos, n);
				s->pos += n;
				octets++;
				continue;
			}
			if (in_quote) {
				if (c == '\n')
					return zone_fail(
					        r->err, s->name, quote_line, quote_col,
					        "unbalanced quote: the string that starts here "
					        "is not closed on its line");
				if (c == '"') {
					in_quote = false;
					if (octets > 255)
						return zone_fail(r->err, s->name, quote_line,
						                 quote_col,
						                 "a character-string of %zu "
						                 "octets; at most 255 "
						                 "fit (RFC 1035 §3.3): split it "
						                 "into several "
						                 "quoted strings",
						                 octets);
				} else {
					octets++;
				}
				dd_strbuf_addc(&e->text, c);
				s->pos++;
				continue;
			}
			if (c == '"') {
				in_quote = true;
				quote_line = s->line;
				quote_col = col;
				octets = 0;
				dd_strbuf_addc(&e->text, c);
				s->pos++;
				continue;
			}
			if (c == ';') { /* a comment, to the end of the line */
				while (s->pos < s->len && s->data[s->pos] != '\n')
					s->pos++;
				continue;
			}
			if (c == '(') {
				if (depth++ == 0)
					paren_line = s->line;
				dd_strbuf_addc(&e->text, ' ');
				s->pos++;
				continue;
			}
			if (c == ')') {
				if (depth-- == 0)
					return zone_fail(r->err, s->name, s->line, col,
					                 "')' without a '(' before it");
				dd_strbuf_addc(&e->text, ' ');
				s->pos++;
				continue;
			}
			if (c == '\n' || (c == '\\' && s->pos + 1 < s->len)) {
				/* a line break (or an escaped one) */
				s->pos += c == '\\' ? 2 : 1;
				s->line++;
				line_start = s->pos;
				if (depth > 0 || c == '\\') {
					dd_strbuf_addc(&e->text, ' ');
					continue;
				}
				break;
			}
			dd_strbuf_addc(&e->text, c == '\r' || c == '\t' ? ' ' : c);
			s->pos++;
		}
		if (in_quote)
			return zone_fail(r->err, s->name, quote_line, quote_col,
			                 "unbalanced quote: the string that starts here is never "
			                 "closed");
		if (depth > 0)
			return zone_fail(r->err, s->name, paren_line, 0,
			                 "the '(' on this line is never closed");
		const char *t = e->text.s ? e->text.s : "";
		while (*t == ' ')
			t++;
		if (*t) {
			*got = true;
			return true;
		}
	}
}

/* Split off the next blank-separated token of `*p` (quotes respected). */
static size_t token(const char **p, const char **start)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	*start = s;
	bool q = false;
	while (*s && (q || *s != ' ')) {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == '"')
			q = !q;
		s++;
	}
	*p = s;
	return (size_t)(s - *start);
}

static bool is_class(const char *t, size_t n)
{
	return (n == 2 && (dd_strncaseeq(t, "IN", 2) || dd_strncaseeq(t, "CH", 2) ||
	                   dd_strncaseeq(t, "HS", 2) || dd_strncaseeq(t, "CS", 2))) ||
	       (n > 5 && dd_strncaseeq(t, "CLASS", 5));
}

static bool is_ttl(const char *t, size_t n)
{
	return n > 0 && t[0] >= '0' && t[0] <= '9';
}

static bool absolute_name(const char *t, size_t n)
{
	/* ends in a dot that is not escaped */
	if (n == 0 || t[n - 1] != '.')
		return false;
	size_t backslashes = 0;
	for (size_t i = n - 1; i > 0 && t[i - 1] == '\\'; i--)
		backslashes++;
	return backslashes % 2 == 0;
}

static const char *ldns_reason(ldns_status st)
{
	switch (st) {
	case LDNS_STATUS_SYNTAX_TYPE_ERR: return "unknown record type";
	case LDNS_STATUS_SYNTAX_TTL_ERR: return "bad TTL";
	case LDNS_STATUS_SYNTAX_MISSING_VALUE_ERR: return "the record data is incomplete";
	case LDNS_STATUS_SYNTAX_SUPERFLUOUS_TEXT_ERR: return "text after the record data";
	case LDNS_STATUS_SYNTAX_RDATA_ERR: return "the record data does not parse";
	default: return ldns_get_errorstr_by_id(st);
	}
}

/* A name in a directive: absolute, or relative to the current origin. */
static ldns_rdf *directive_name(const char *t, size_t n, const ldns_rdf *origin)
{
	char *s = xstrndup(t, n);
	ldns_rdf *d = ldns_dname_new_frm_str(s);
	bool abs = absolute_name(t, n);
	free(s);
	if (!d)
		return NULL;
	if (!abs) {
		if (!origin || ldns_dname_cat(d, origin) != LDNS_STATUS_OK) {
			ldns_rdf_deep_free(d);
			return NULL;
		}
	}
	return d;
}

static bool read_source(struct reader *r, struct source *s, ldns_rdf **origin, uint32_t *ttl);

/* The file an $INCLUDE names, relative to the including file's directory. */
static char *include_path(const char *including, const char *name)
{
	if (name[0] == '/')
		return xstrdup(name);
	const char *slash = strrchr(including, '/');
	if (!slash)
		return xstrdup(name);
	return xasprintf("%.*s/%s", (int)(slash - including), including, name);
}

/* "a/b/../c" -> "a/c" for display; the file is opened by its literal path. */
static char *tidy_path(const char *path)
{
	char *out = xstrdup(path);
	char *parts[256];
	size_t n = 0;
	bool abs = out[0] == '/';
	for (char *tok = strtok(out, "/"); tok; tok = strtok(NULL, "/")) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0 && n > 0 && strcmp(parts[n - 1], "..") != 0) {
			n--;
			continue;
		}
		if (n < DD_ARRAY_LEN(parts))
			parts[n++] = tok;
	}
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	if (abs)
		dd_strbuf_addc(&b, '/');
	for (size_t i = 0; i < n; i++) {
		if (i)
			dd_strbuf_addc(&b, '/');
		dd_strbuf_adds(&b, parts[i]);
	}
	free(out);
	return b.s ? dd_strbuf_own(&b) : xstrdup(".");
}

static bool include(struct reader *r, struct source *s, const struct entry *e, const char *args,
                    ldns_rdf *origin, uint32_t ttl)
{
	const char *t, *p = args;
	size_t n = token(&p, &t);
	if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
		t++;
		n -= 2;
	}
	if (n == 0)
		return zone_fail(r->err, s->name, e->line, 0, "$INCLUDE needs a file name");
	char *name = xstrndup(t, n);
	const char *ot;
	size_t on = token(&p, &ot);
	ldns_rdf *inc_origin = NULL;
	if (on) {
		inc_origin = directive_name(ot, on, origin);
		if (!inc_origin) {
			free(name);
			return zone_fail(r->err, s->name, e->line, 0,
			                 "$INCLUDE: '%.*s' is not a domain name", (int)on, ot);
		}
	}
	char *path = include_path(s->name, name);
	char *shown = tidy_path(path);
	free(name);
	bool ok = false;
	struct source inc = { 0 };
	struct stat st;
	if (r->depth >= DD_ZONE_MAX_INCLUDES) {
		zone_fail(r->err, s->name, e->line, 0, "$INCLUDE nested more than %u deep",
		          DD_ZONE_MAX_INCLUDES);
		goto out;
	}
	if (stat(path, &st) != 0) {
		zone_fail(r->err, s->name, e->line, 0, "$INCLUDE %s: %s", shown, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < r->depth; i++)
		if (r->stack[i]->dev == st.st_dev && r->stack[i]->ino == st.st_ino) {
			zone_fail(r->err, s->name, e->line, 0,
			          "$INCLUDE %s would read %s again: an include loop", shown,
			          r->stack[i]->name);
			goto out;
		}
	inc.name = zone_intern_file(r->z, shown);
	if (!zone_slurp(r->z, path, inc.name, &inc.data, &inc.len, r->err)) {
		/* name the $INCLUDE line, not just the file it could not read */
		char *why = xstrdup(r->err->message);
		zone_fail(r->err, s->name, e->line, 0, "$INCLUDE %s: %s", shown, why);
		free(why);
		goto out;
	}
	inc.line = 1;
	inc.dev = st.st_dev;
	inc.ino = st.st_ino;
	ldns_rdf *o = inc_origin ? ldns_rdf_clone(inc_origin)
	              : origin   ? ldns_rdf_clone(origin)
	                         : NULL;
	uint32_t inc_ttl = ttl;
	ok = read_source(r, &inc, &o, &inc_ttl);
	ldns_rdf_deep_free(o);
out:
	free(inc.data);
	ldns_rdf_deep_free(inc_origin);
	free(path);
	free(shown);
	return ok;
}

static bool directive(struct reader *r, struct source *s, const struct entry *e, ldns_rdf **origin,
                      uint32_t *ttl)
{
	const char *p = e->text.s, *t;
	size_t n = token(&p, &t);
	const char *a;
	size_t an;
	if (n == 7 && dd_strncaseeq(t, "$ORIGIN", 7)) {
		const char *rest = p;
		an = token(&rest, &a);
		ldns_rdf *o = an ? directive_name(a, an, *origin) : NULL;
		if (!o)
			return zone_fail(r->err, s->name, e->line, 0,
			                 "$ORIGIN needs an absolute domain name");
		ldns_rdf_deep_free(*origin);
		*origin = o;
		if (!r->first_origin) {
			char *name = dd_wire_name(o);
			if (strcmp(name, ".") != 0)
				r->first_origin = name;
			else
				free(name);
		}
		return true;
	}
	if (n == 4 && dd_strncaseeq(t, "$TTL", 4)) {
		const char *rest = p;
		an = token(&rest, &a);
		char *v = xstrndup(a, an);
		const char *end = NULL;
		uint32_t val = ldns_str2period(v, &end);
		bool bad = an == 0 || !end || *end || !is_ttl(a, an);
		free(v);
		if (bad)
			return zone_fail(r->err, s->name, e->line, 0,
			                 "$TTL '%.*s' is not a TTL (seconds, or like 1h30m)",
			                 (int)an, a);
		*ttl = val;
		return true;
	}
	if (n == 8 && dd_strncaseeq(t, "$INCLUDE", 8))
		return include(r, s, e, p, *origin, *ttl);
	if (n == 9 && dd_strncaseeq(t, "$GENERATE", 9))
		return zone_fail(r->err, s->name, e->line, 0,
		                 "$GENERATE is a BIND extension we do not expand: list the records "
		                 "(named-compilezone -D writes them out)");
	return zone_fail(r->err, s->name, e->line, 0, "unknown directive '%.*s'", (int)n, t);
}

/*
 * Check the owner/TTL/class of a record and hand it to ldns. RFC 1035 lets
 * the class come before the TTL; ldns wants TTL first, so we swap them.
 */
static bool record(struct reader *r, struct source *s, const struct entry *e, ldns_rdf *origin,
                   uint32_t ttl, ldns_rdf **prev)
{
	const char *p = e->text.s, *owner = NULL, *t1, *t2;
	size_t on = 0;
	if (!e->blank_owner)
		on = token(&p, &owner);
	const char *after_owner = p;
	size_t n1 = token(&p, &t1);
	size_t n2 = token(&p, &t2);
	if (e->blank_owner && !*prev)
		return zone_fail(r->err, s->name, e->line, 0,
		                 "a record with no owner name and none before it");
	if (!e->blank_owner && !origin && !absolute_name(owner, on))
		return zone_fail(r->err, s->name, e->line, 0,
		                 "'%.*s' is relative but no origin is known: add $ORIGIN, or give "
		                 "--zone %s=ORIGIN",
		                 (int)on, owner, r->z->path);
	/* the class is the first or (after a TTL or a class) the second token */
	const char *cls = is_class(t1, n1) ? t1 : is_ttl(t1, n1) && is_class(t2, n2) ? t2 : NULL;
	size_t cn = cls == t1 ? n1 : n2;
	if (cls && !(cn == 2 && dd_strncaseeq(cls, "IN", 2)))
		return zone_fail(r->err, s->name, e->line, 0,
		                 "class %.*s: only class IN records are checked", (int)cn, cls);
	struct dd_strbuf text;
	dd_strbuf_init(&text);
	if (e->blank_owner)
		dd_strbuf_addc(&text, ' ');
	else
		dd_strbuf_add(&text, owner, on);
	if (is_class(t1, n1) && is_ttl(t2, n2)) {
		dd_strbuf_addc(&text, ' ');
		dd_strbuf_add(&text, t2, n2);
		dd_strbuf_addc(&text, ' ');
		dd_strbuf_add(&text, t1, n1);
		dd_strbuf_adds(&text, p);
	} else {
		dd_strbuf_adds(&text, after_owner);
	}
	ldns_rr *rr = NULL;
	ldns_status st = ldns_rr_new_frm_str(&rr, text.s, ttl, origin, prev);
	dd_strbuf_finish(&text);
	if (st != LDNS_STATUS_OK) {
		/* name the type when we can: "TXT record: ..." reads better */
		const char *tp = t1, *rest = p;
		size_t tn = n1;
		if (is_ttl(t1, n1) || is_class(t1, n1)) {
			tp = t2;
			tn = n2;
			if (is_ttl(t2, n2) || is_class(t2, n2))
				tn = token(&rest, &tp);
		}
		return zone_fail(r->err, s->name, e->line, 0, "%.*s record: %s", (int)tn, tp,
		                 ldns_reason(st));
	}
	if (ldns_rr_get_type(rr) == 0) {
		ldns_rr_free(rr);
		return zone_fail(r->err, s->name, e->line, 0, "unknown record type");
	}
	char *name = dd_wire_name(ldns_rr_owner(rr));
	uint16_t type = (uint16_t)ldns_rr_get_type(rr);
	if (type == LDNS_RR_TYPE_SOA && !r->soa_owner)
		r->soa_owner = xstrdup(name);
	return zone_add(r->z, name, type, rr, s->name, e->line, r->err);
}

static bool read_source(struct reader *r, struct source *s, ldns_rdf **origin, uint32_t *ttl)
{
	r->stack[r->depth++] = s;
	ldns_rdf *prev = NULL;
	struct entry e = { 0 };
	dd_strbuf_init(&e.text);
	bool ok = true, got;
	while (ok && (ok = next_entry(r, s, &e, &got)) && got) {
		if (e.text.s[0] == '$')
			ok = directive(r, s, &e, origin, ttl);
		else
			ok = record(r, s, &e, *origin, *ttl, &prev);
	}
	dd_strbuf_finish(&e.text);
	ldns_rdf_deep_free(prev);
	r->depth--;
	return ok;
}

bool zone_read_bind(struct dd_zone *z, const char *origin, struct dd_zone_error *err)
{
	struct reader r = { .z = z, .err = err };
	struct source s = { .line = 1 };
	struct stat st;
	s.name = zone_intern_file(z, z->path);
	if (!zone_slurp(z, z->path, s.name, &s.data, &s.len, err))
		return false;
	if (stat(z->path, &st) == 0) {
		s.dev = st.st_dev;
		s.ino = st.st_ino;
	}
	/* relative names start from the given origin, else the file's name */
	char *from_name = origin ? NULL : dd_zone_origin_from_name(z->path);
	const char *start = origin ? origin : from_name;
	ldns_rdf *o = NULL;
	if (start) {
		char *abs = xasprintf("%s.", start);
		o = ldns_dname_new_frm_str(abs);
		free(abs);
	}
	uint32_t ttl = 3600; /* RFC 1035 gives none; BIND's default without $TTL */
	bool ok = read_source(&r, &s, &o, &ttl);
	ldns_rdf_deep_free(o);
	free(s.data);
	if (ok) {
		/* the zone is what the user said, else what the file says, else its name */
		const char *pick = origin           ? origin
		                   : r.soa_owner    ? r.soa_owner
		                   : r.first_origin ? r.first_origin
		                                    : from_name;
		if (pick)
			z->origin = xstrdup(pick);
	}
	free(from_name);
	free(r.first_origin);
	free(r.soa_owner);
	return ok;
}
