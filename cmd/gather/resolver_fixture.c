/*
 * resolver_fixture.c: answers from a small text file, for unit tests and
 * conformance suites. The format is in testdata/dns/README.md:
 *
 *   NAME TYPE RDATA...   a record; RDATA in zone-file syntax (parsed by ldns)
 *   NAME TYPE !STATUS    that question fails: !TIMEOUT, !SERVFAIL, !REFUSED
 *   NAME * !STATUS       every question about NAME fails that way
 *   NAME ** !STATUS      every question about NAME or a name below it fails
 *   NAME may hold zone-file escapes (\DDD, \X); RDATA "\# 0" is an empty record
 *
 * It behaves like one authoritative server for the whole namespace: a name
 * with records, or with records below it, exists (NODATA for other types);
 * any other name is NXDOMAIN; "*.parent" wildcards apply below an existing
 * parent (RFC 4592 §2.2); CNAMEs are followed inside the fixture.
 * Answers are delivered from process(), never from query().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "gather/deliveries.h"
#include "gather/wire.h"
#include "dd/resolver.h"
#include "dd/util.h"

#define MAX_CHAIN 8

struct record {
	char *owner;
	uint16_t type;
	ldns_rr *rr;
	uint32_t line;
};

struct rule {
	char *owner;
	uint16_t type; /* 0: every type */
	bool subtree;  /* also every name below owner */
	enum dd_dns_status status;
};

struct fixture {
	struct dd_resolver base;
	char *label; /* the file name, for answers' source */
	struct record *recs;
	size_t nrecs, recs_cap;
	struct rule *rules;
	size_t nrules, rules_cap;
	struct dd_deliveries ready;
};

static bool owner_exists(const struct fixture *f, const char *name)
{
	for (size_t i = 0; i < f->nrecs; i++)
		if (dd_name_is_under(f->recs[i].owner, name))
			return true;
	for (size_t i = 0; i < f->nrules; i++)
		if (dd_name_is_under(f->rules[i].owner, name))
			return true;
	return false;
}

static const struct rule *find_rule(const struct fixture *f, const char *name, uint16_t type)
{
	for (size_t i = 0; i < f->nrules; i++) {
		const struct rule *r = &f->rules[i];
		bool here =
		        r->subtree ? dd_name_is_under(name, r->owner) : strcmp(r->owner, name) == 0;
		if (here && (r->type == 0 || r->type == type))
			return r;
	}
	return NULL;
}

static bool has_owner(const struct fixture *f, const char *owner)
{
	for (size_t i = 0; i < f->nrecs; i++)
		if (strcmp(f->recs[i].owner, owner) == 0)
			return true;
	return false;
}

/* RFC 4592: the wildcard owner that synthesises `name`, or NULL. */
static char *wildcard_for(const struct fixture *f, const char *name)
{
	for (const char *p = dd_name_parent(name); p; p = dd_name_parent(p)) {
		if (!owner_exists(f, p))
			continue;
		char *wild = xasprintf("*.%s", p);
		if (has_owner(f, wild))
			return wild;
		free(wild);
		return NULL; /* the closest encloser has no wildcard */
	}
	return NULL;
}

static void add_records(const struct fixture *f, struct dd_answer *ans, const char *owner,
                        uint16_t type)
{
	for (size_t i = 0; i < f->nrecs; i++)
		if (f->recs[i].type == type && strcmp(f->recs[i].owner, owner) == 0)
			dd_wire_add_rr(ans, f->recs[i].rr, f->recs[i].line);
}

static const struct record *find_cname(const struct fixture *f, const char *owner)
{
	for (size_t i = 0; i < f->nrecs; i++)
		if (f->recs[i].type == DD_RR_CNAME && strcmp(f->recs[i].owner, owner) == 0)
			return &f->recs[i];
	return NULL;
}

static struct dd_answer *lookup(const struct fixture *f, const char *qname, uint16_t type)
{
	struct dd_answer *ans = dd_answer_create(qname, type, DD_DNS_NXDOMAIN);
	ans->source = DD_SOURCE_FIXTURE;
	ans->file = f->label;
	char *cur = xstrdup(qname);
	for (int hops = 0;; hops++) {
		const struct rule *rule = find_rule(f, cur, type);
		if (rule) {
			ans->status = rule->status;
			break;
		}
		char *owner = has_owner(f, cur) ? xstrdup(cur) : wildcard_for(f, cur);
		const struct record *cname = owner ? find_cname(f, owner) : NULL;
		if (cname && type != DD_RR_CNAME) {
			free(owner);
			if (hops == MAX_CHAIN) {
				ans->status = DD_DNS_SERVFAIL;
				break;
			}
			char *target = dd_wire_name(ldns_rr_rdf(cname->rr, 0));
			dd_answer_add_cname(ans, target);
			free(cur);
			cur = target;
			continue;
		}
		if (owner) {
			add_records(f, ans, owner, type);
			ans->status = ans->nrrs ? DD_DNS_OK : DD_DNS_NODATA;
		} else {
			ans->status = owner_exists(f, cur) ? DD_DNS_NODATA : DD_DNS_NXDOMAIN;
		}
		free(owner);
		break;
	}
	free(cur);
	return ans;
}

static void fixture_query(struct dd_resolver *base, const char *name, uint16_t type,
                          dd_resolve_cb cb, void *arg)
{
	struct fixture *f = (struct fixture *)base;
	dd_deliveries_push(&f->ready, cb, arg, lookup(f, name, type));
}

static size_t fixture_process(struct dd_resolver *base, int timeout_ms)
{
	struct fixture *f = (struct fixture *)base;
	(void)timeout_ms;
	dd_deliveries_run(&f->ready);
	return 0;
}

static size_t fixture_pending(const struct dd_resolver *base)
{
	return ((const struct fixture *)base)->ready.n;
}

static void fixture_destroy(struct dd_resolver *base)
{
	struct fixture *f = (struct fixture *)base;
	dd_deliveries_finish(&f->ready);
	for (size_t i = 0; i < f->nrecs; i++) {
		free(f->recs[i].owner);
		ldns_rr_free(f->recs[i].rr);
	}
	for (size_t i = 0; i < f->nrules; i++)
		free(f->rules[i].owner);
	free(f->recs);
	free(f->rules);
	free(f->label);
	free(f);
}

static const struct dd_resolver_impl fixture_impl = {
	.name = "fixture",
	.query = fixture_query,
	.process = fixture_process,
	.pending = fixture_pending,
	.destroy = fixture_destroy,
};

static bool parse_status(const char *s, enum dd_dns_status *out)
{
	static const struct {
		const char *name;
		enum dd_dns_status status;
	} names[] = {
		{ "TIMEOUT", DD_DNS_TIMEOUT }, { "SERVFAIL", DD_DNS_SERVFAIL },
		{ "REFUSED", DD_DNS_REFUSED }, { "NXDOMAIN", DD_DNS_NXDOMAIN },
		{ "NODATA", DD_DNS_NODATA },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(names); i++)
		if (dd_strcaseeq(s, names[i].name)) {
			*out = names[i].status;
			return true;
		}
	return false;
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static const char *token(const char *s, char *out, size_t outsz)
{
	size_t n = 0;
	s = skip_space(s);
	while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
		if (n + 1 < outsz)
			out[n++] = *s;
		s++;
	}
	out[n] = '\0';
	return s;
}

/*
 * A NAME as in zone files: "\DDD" is a decimal byte and "\X" the character X
 * (except a dot, which cannot live inside a label here), so that names
 * holding spaces or other odd bytes (which SPF macros produce, RFC 7208
 * §7.3) can be written. The result is lowercase, without the
 * trailing dot, with labels of 1..63 octets and 253 octets in all; `plain`
 * gets the name as written, without its trailing dot, for ldns.
 */
static bool fixture_name(const char *in, char owner[DD_NAME_MAX + 1], char *plain, size_t plainsz)
{
	size_t n = 0, label = 0, len = strlen(in);
	if (len && in[len - 1] == '.' && (len < 2 || in[len - 2] != '\\'))
		len--;
	if (len + 1 > plainsz)
		return false;
	memcpy(plain, in, len);
	plain[len] = '\0';
	for (size_t i = 0; i < len; i++) {
		unsigned c = (unsigned char)in[i];
		bool escaped = false;
		if (c == '\\' && i + 1 < len) {
			escaped = true;
			if (in[i + 1] >= '0' && in[i + 1] <= '9') {
				if (i + 3 >= len || in[i + 2] < '0' || in[i + 2] > '9' ||
				    in[i + 3] < '0' || in[i + 3] > '9')
					return false;
				c = (unsigned)((in[i + 1] - '0') * 100 + (in[i + 2] - '0') * 10 +
				               (in[i + 3] - '0'));
				i += 3;
			} else {
				c = (unsigned char)in[++i];
			}
		}
		/* names are compared as text, where a dot always ends a label */
		if (c == 0 || c > 255 || n >= DD_NAME_MAX || (escaped && c == '.'))
			return false;
		if (c == '.' && !escaped) {
			if (label == 0)
				return false;
			label = 0;
		} else if (++label > 63) {
			return false;
		}
		owner[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	if (n == 0 || label == 0)
		return false;
	owner[n] = '\0';
	return true;
}

static char *parse_line(struct fixture *f, const char *line, uint32_t lineno)
{
	char name[512], type[32], owner[DD_NAME_MAX + 1], plain[512];
	const char *rest = token(line, name, sizeof(name));
	if (!name[0] || name[0] == '#')
		return NULL;
	rest = skip_space(token(rest, type, sizeof(type)));
	if (!type[0])
		return xstrdup("expected NAME TYPE DATA");
	if (!fixture_name(name, owner, plain, sizeof(plain)))
		return xasprintf("'%s' is not a domain name", name);
	if (rest[0] == '!') {
		enum dd_dns_status st;
		char word[32];
		token(rest + 1, word, sizeof(word));
		if (!parse_status(word, &st))
			return xasprintf("unknown outcome '!%s'", word);
		uint16_t t = 0;
		bool subtree = strcmp(type, "**") == 0;
		if (strcmp(type, "*") != 0 && !subtree) {
			t = (uint16_t)ldns_get_rr_type_by_name(type);
			if (t == 0)
				return xasprintf("unknown type '%s'", type);
		}
		f->rules = xgrow(f->rules, &f->rules_cap, f->nrules + 1, sizeof(*f->rules));
		f->rules[f->nrules++] = (struct rule){ xstrdup(owner), t, subtree, st };
		return NULL;
	}
	char *text = xasprintf("%s. 300 IN %s %s", plain, type, rest);
	size_t n = strlen(text);
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		text[--n] = '\0';
	ldns_rr *rr = NULL;
	ldns_status st = ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL);
	free(text);
	if (st != LDNS_STATUS_OK)
		return xasprintf("%s", ldns_get_errorstr_by_id(st));
	f->recs = xgrow(f->recs, &f->recs_cap, f->nrecs + 1, sizeof(*f->recs));
	f->recs[f->nrecs++] =
	        (struct record){ xstrdup(owner), (uint16_t)ldns_rr_get_type(rr), rr, lineno };
	return NULL;
}

struct dd_resolver *dd_resolver_fixture_create_from_string(const char *text, const char *label,
                                                           char **err)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->base.impl = &fixture_impl;
	f->label = xstrdup(label ? label : "fixture");
	*err = NULL;
	uint32_t lineno = 0;
	const char *line = text;
	dd_wire_reading_text(true);
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *copy = xstrndup(line, len);
		char *why = parse_line(f, copy, ++lineno);
		free(copy);
		if (why) {
			*err = xasprintf("%s:%u: %s", f->label, lineno, why);
			free(why);
			fixture_destroy(&f->base);
			f = NULL;
			break;
		}
		line = end ? end + 1 : NULL;
	}
	dd_wire_reading_text(false);
	return f ? &f->base : NULL;
}

/* A fixture is test data: a few hundred lines; 16 MiB is far beyond any. */
#define MAX_FIXTURE_BYTES (16u << 20)

struct dd_resolver *dd_resolver_fixture_create(const char *path, char **err)
{
	char *text;
	size_t len;
	enum dd_file_status st = dd_file_read(path, MAX_FIXTURE_BYTES, &text, &len);
	if (st != DD_FILE_OK) {
		*err = xasprintf("%s: %s", path, dd_file_error(st));
		return NULL;
	}
	struct dd_resolver *r = dd_resolver_fixture_create_from_string(text, path, err);
	free(text);
	return r;
}
