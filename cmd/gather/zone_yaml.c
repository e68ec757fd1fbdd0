/*
 * zone_yaml.c: octoDNS zone files (YAML, read with libyaml).
 *
 *   '':                      the apex; other keys are names relative to the
 *     - type: MX             zone ("www", "_dmarc", "*._domainkey")
 *       value: {exchange: mx.example.com., preference: 10}
 *     - type: TXT
 *       values: [v=spf1 -all, other]
 *   _dmarc:
 *     type: TXT
 *     value: v=DMARC1\; p=none
 *
 * A key holds one record set (a mapping) or several (a sequence of them);
 * each has a type, an optional ttl, and `value` or `values`. Every record
 * keeps the line of its value, so findings point there.
 *
 * TXT values are what octoDNS publishes: a zone-file text with `\;` for ';'
 * (octoDNS refuses a bare ';'), which octoDNS quotes (a '"' in the value is
 * data, not a delimiter) and cuts into character-strings of at most 255
 * characters (record/chunked.py). We cut the same way, so string boundaries
 * are where the provider will put them.
 *
 * The origin is not in the file: `--zone FILE=ORIGIN`, or the file name
 * (NAME.yaml, as octoDNS's YamlProvider names its files). Names in values
 * (CNAME, MX, SRV targets) are absolute, with or without the final dot.
 * Provider-specific types (Route53Provider/ALIAS, ...) and structured values
 * of types no check reads (SSHFP, TLSA, ...) only make their owner exist.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "gather/wire.h"
#include "gather/zone_internal.h"
#include "dd/util.h"

struct yreader {
	struct dd_zone *z;
	struct dd_zone_error *err;
	yaml_document_t *doc;
	const char *file;
	/* Aliases let a small file name a node many times over (a "billion
	 * laughs"): a file may not give more records than a few per node in it. */
	size_t budget;
	uint32_t last_line; /* libyaml can mark a node at the end of input one line further */
};

static uint32_t line_of(const yaml_node_t *n)
{
	return (uint32_t)n->start_mark.line + 1;
}

static uint32_t column_of(const yaml_node_t *n)
{
	return (uint32_t)n->start_mark.column + 1;
}

static bool fail_at(struct yreader *y, const yaml_node_t *n, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static bool fail_at(struct yreader *y, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	uint32_t line = n ? line_of(n) : 0, column = n ? column_of(n) : 0;
	if (line > y->last_line) {
		line = y->last_line;
		column = 0;
	}
	return zone_fail(y->err, y->file, line, column, "%s", msg);
}

static yaml_node_t *node(struct yreader *y, int index)
{
	return yaml_document_get_node(y->doc, index);
}

static bool is_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

/* A scalar's text (owned), NUL bytes kept out by the caller's length. */
static char *scalar(const yaml_node_t *n)
{
	return xstrndup((const char *)n->data.scalar.value, n->data.scalar.length);
}

/* The value of `key` in a mapping node, or NULL. */
static yaml_node_t *lookup(struct yreader *y, const yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node(y, p->key);
		if (is_scalar(k) && k->data.scalar.length == strlen(key) &&
		    memcmp(k->data.scalar.value, key, strlen(key)) == 0)
			return node(y, p->value);
	}
	return NULL;
}

/* A name in a value: absolute whether or not it ends in a dot. */
static char *absolute(const char *name)
{
	size_t n = strlen(name);
	return n && name[n - 1] == '.' ? xstrdup(name) : xasprintf("%s.", name);
}

/* Zone-file unescaping of one chunk: \DDD is a byte, \X is X. */
static size_t unescape(const char *s, size_t n, uint8_t *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			out[o++] = (uint8_t)s[i];
			continue;
		}
		i++;
		if (s[i] >= '0' && s[i] <= '9') {
			unsigned v = 0, k = 0;
			while (k < 3 && i < n && s[i] >= '0' && s[i] <= '9') {
				v = v * 10 + (unsigned)(s[i] - '0');
				i++;
				k++;
			}
			i--;
			out[o++] = (uint8_t)(v > 255 ? 255 : v);
		} else {
			out[o++] = (uint8_t)s[i];
		}
	}
	return o;
}

static bool push_string(ldns_rr *rr, const uint8_t *data, size_t len)
{
	uint8_t buf[256];
	buf[0] = (uint8_t)len;
	memcpy(buf + 1, data, len);
	ldns_rdf *rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR, len + 1, buf);
	return rdf && ldns_rr_push_rdf(rr, rdf);
}

/* A TXT (or SPF) record as octoDNS would publish the value. */
static ldns_rr *txt_record(const ldns_rdf *owner, uint32_t ttl, uint16_t type, const char *value)
{
	ldns_rr *rr = ldns_rr_new();
	ldns_rr_set_owner(rr, ldns_rdf_clone(owner));
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, ttl);
	/* octoDNS: value.replace('"', '\\"'), then chunks of 255 that do not end
	 * in a backslash */
	struct dd_strbuf esc;
	dd_strbuf_init(&esc);
	for (const char *c = value; *c; c++) {
		if (*c == '"')
			dd_strbuf_addc(&esc, '\\');
		dd_strbuf_addc(&esc, *c);
	}
	const char *s = esc.s ? esc.s : "";
	size_t n = esc.len, i = 0;
	uint8_t out[256];
	bool ok = true;
	if (n == 0)
		ok = push_string(rr, out, 0);
	while (ok && i < n) {
		size_t c = n - i < 255 ? n - i : 255;
		while (c > 1 && s[i + c - 1] == '\\')
			c--;
		ok = push_string(rr, out, unescape(s + i, c, out));
		i += c;
	}
	dd_strbuf_finish(&esc);
	if (!ok || !ldns_rr_owner(rr)) {
		ldns_rr_free(rr);
		return NULL;
	}
	return rr;
}

/* A record from its presentation form, parsed by ldns ("@" is the owner). */
static ldns_rr *text_record(const ldns_rdf *owner, uint32_t ttl, const char *type,
                            const char *rdata)
{
	char *text = xasprintf("@ %u IN %s %s", ttl, type, rdata);
	ldns_rr *rr = NULL;
	ldns_status st = ldns_rr_new_frm_str(&rr, text, ttl, owner, NULL);
	free(text);
	return st == LDNS_STATUS_OK ? rr : NULL;
}

/* A field of a structured value, as text ("" when absent). */
static char *field(struct yreader *y, const yaml_node_t *map, const char *a, const char *b)
{
	yaml_node_t *v = lookup(y, map, a);
	if (!v && b)
		v = lookup(y, map, b);
	return is_scalar(v) ? scalar(v) : xstrdup("");
}

static bool is_name_type(uint16_t t)
{
	return t == LDNS_RR_TYPE_CNAME || t == LDNS_RR_TYPE_NS || t == LDNS_RR_TYPE_PTR ||
	       t == LDNS_RR_TYPE_DNAME;
}

/* The rdata of a structured value in presentation form, or NULL for a type we do not read. */
static char *structured_rdata(struct yreader *y, uint16_t t, const yaml_node_t *v)
{
	char *a, *b, *c, *d, *out = NULL;
	switch (t) {
	case LDNS_RR_TYPE_MX:
		a = field(y, v, "preference", "priority");
		b = field(y, v, "exchange", "value");
		c = absolute(b);
		out = xasprintf("%s %s", a, c);
		free(a), free(b), free(c);
		break;
	case LDNS_RR_TYPE_SRV:
		a = field(y, v, "priority", NULL);
		b = field(y, v, "weight", NULL);
		c = field(y, v, "port", NULL);
		d = field(y, v, "target", NULL);
		char *target = absolute(d);
		out = xasprintf("%s %s %s %s", a, b, c, target);
		free(a), free(b), free(c), free(d), free(target);
		break;
	case LDNS_RR_TYPE_CAA: {
		a = field(y, v, "flags", NULL);
		b = field(y, v, "tag", NULL);
		c = field(y, v, "value", NULL);
		struct dd_strbuf q;
		dd_strbuf_init(&q);
		for (const char *p = c; *p; p++) {
			if (*p == '"' || *p == '\\')
				dd_strbuf_addc(&q, '\\');
			dd_strbuf_addc(&q, *p);
		}
		out = xasprintf("%s %s \"%s\"", *a ? a : "0", b, q.s ? q.s : "");
		dd_strbuf_finish(&q);
		free(a), free(b), free(c);
		break;
	}
	default: break;
	}
	return out;
}

static bool add_value(struct yreader *y, const ldns_rdf *owner, const char *owner_norm,
                      const char *type_name, uint16_t t, uint32_t ttl, const yaml_node_t *v)
{
	ldns_rr *rr = NULL;
	char *text = NULL;
	if (y->budget-- == 0)
		return fail_at(y, v,
		               "YAML aliases repeat %s values more often than the file is "
		               "long: refused",
		               type_name);
	if (v->type == YAML_SCALAR_NODE) {
		text = scalar(v);
		if (strlen(text) != v->data.scalar.length) {
			free(text);
			return fail_at(y, v, "a NUL byte in a %s value", type_name);
		}
		if (t == LDNS_RR_TYPE_TXT || t == LDNS_RR_TYPE_SPF) {
			rr = txt_record(owner, ttl, t, text);
		} else if (!*text) {
			free(text);
			return fail_at(y, v, "an empty %s value", type_name);
		} else if (is_name_type(t)) {
			char *name = absolute(text);
			rr = text_record(owner, ttl, type_name, name);
			free(name);
		} else {
			rr = text_record(owner, ttl, type_name, text);
		}
	} else if (v->type == YAML_MAPPING_NODE) {
		text = structured_rdata(y, t, v);
		if (!text) /* a structure no check reads: the owner exists, that is all */
			return zone_add(y->z, xstrdup(owner_norm), 0, NULL, y->file, line_of(v),
			                y->err);
		rr = text_record(owner, ttl, type_name, text);
	} else {
		return fail_at(y, v, "a %s value must be a string or a mapping", type_name);
	}
	if (!rr) {
		bool r = fail_at(y, v, "%s value '%.80s' does not parse", type_name, text);
		free(text);
		return r;
	}
	free(text);
	return zone_add(y->z, xstrdup(owner_norm), t, rr, y->file, line_of(v), y->err);
}

/* One record set: {type, ttl, value | values}. */
static bool add_set(struct yreader *y, const ldns_rdf *owner, const char *owner_norm,
                    const yaml_node_t *set)
{
	if (set->type != YAML_MAPPING_NODE)
		return fail_at(y, set, "a record set must be a mapping with type and value");
	yaml_node_t *type = lookup(y, set, "type");
	if (!is_scalar(type) || type->data.scalar.length == 0)
		return fail_at(y, set, "a record set without a type");
	char *type_name = scalar(type);
	for (char *c = type_name; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	uint32_t ttl = 3600; /* octoDNS's default */
	yaml_node_t *ttl_node = lookup(y, set, "ttl");
	if (ttl_node) {
		char *s = is_scalar(ttl_node) ? scalar(ttl_node) : xstrdup("");
		char *end;
		unsigned long v = strtoul(s, &end, 10);
		bool bad = !*s || *end || v > 0x7fffffffUL;
		free(s);
		if (bad) {
			free(type_name);
			return fail_at(y, ttl_node, "ttl must be a number of seconds");
		}
		ttl = (uint32_t)v;
	}
	/* a type ldns does not know (ALIAS, Route53Provider/ALIAS, ...) is a provider's */
	uint16_t t = strchr(type_name, '/') ? 0 : (uint16_t)ldns_get_rr_type_by_name(type_name);
	yaml_node_t *values = lookup(y, set, "values");
	yaml_node_t *value = lookup(y, set, "value");
	bool ok = true;
	if (t == 0) {
		ok = zone_add(y->z, xstrdup(owner_norm), 0, NULL, y->file, line_of(type), y->err);
	} else if (values || value) {
		/* octoDNS takes a list under `value` as it takes `values`, and one value
		 * under `values` as a list of one */
		yaml_node_t *v = values ? values : value;
		if (v->type == YAML_SEQUENCE_NODE) {
			for (yaml_node_item_t *i = v->data.sequence.items.start;
			     ok && i < v->data.sequence.items.top; i++)
				ok = add_value(y, owner, owner_norm, type_name, t, ttl,
				               node(y, *i));
		} else {
			ok = add_value(y, owner, owner_norm, type_name, t, ttl, v);
		}
	} else {
		ok = fail_at(y, set, "a %s record set without value or values", type_name);
	}
	free(type_name);
	return ok;
}

static bool add_owner(struct yreader *y, const yaml_node_t *key, const yaml_node_t *val)
{
	if (!is_scalar(key))
		return fail_at(y, key, "owner names must be strings");
	char *rel = scalar(key);
	bool ok = false;
	char *owner = NULL, *owner_norm = NULL;
	ldns_rdf *d = NULL;
	size_t n = strlen(rel);
	if (n != key->data.scalar.length || (n && rel[n - 1] == '.')) {
		fail_at(y, key, "'%s': owner names in octoDNS files are relative to the zone", rel);
		goto out;
	}
	owner = n ? xasprintf("%s.%s.", rel, y->z->origin) : xasprintf("%s.", y->z->origin);
	d = ldns_dname_new_frm_str(owner);
	if (!d) {
		fail_at(y, key, "'%s' is not a domain name", rel);
		goto out;
	}
	owner_norm = dd_wire_name(d);
	if (val->type == YAML_SEQUENCE_NODE) {
		ok = true;
		for (yaml_node_item_t *i = val->data.sequence.items.start;
		     ok && i < val->data.sequence.items.top; i++)
			ok = add_set(y, d, owner_norm, node(y, *i));
	} else {
		ok = add_set(y, d, owner_norm, val);
	}
out:
	ldns_rdf_deep_free(d);
	free(owner_norm);
	free(owner);
	free(rel);
	return ok;
}

/* A key of the root mapping, for finding the ones given twice. */
struct key_ref {
	const yaml_node_t *key; /* NULL: not a scalar, never a duplicate */
	size_t index;           /* in the file */
};

/* Keys by their text; those that are not scalars last. */
static int compare_text(const yaml_node_t *a, const yaml_node_t *b)
{
	if (!a || !b)
		return (a == NULL) - (b == NULL);
	size_t an = a->data.scalar.length, bn = b->data.scalar.length;
	if (an != bn)
		return an < bn ? -1 : 1;
	return memcmp(a->data.scalar.value, b->data.scalar.value, an);
}

static int by_text_then_index(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = compare_text(x->key, y->key);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * For each of the n keys, the first key before it with the same text (YAML
 * says keys are unique; octoDNS refuses duplicates too), or NULL. Sorted,
 * not compared pair by pair: a zone may have a million owners.
 */
static const yaml_node_t **earlier_twins(struct yreader *y, const yaml_node_pair_t *pairs, size_t n)
{
	struct key_ref *refs = xcalloc(n ? n : 1, sizeof(*refs));
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *k = node(y, pairs[i].key);
		refs[i] = (struct key_ref){ is_scalar(k) ? k : NULL, i };
	}
	qsort(refs, n, sizeof(*refs), by_text_then_index);
	const yaml_node_t **twin = xcalloc(n ? n : 1, sizeof(*twin));
	for (size_t i = 1, first = 0; i < n; i++) {
		if (refs[i].key && compare_text(refs[first].key, refs[i].key) == 0)
			twin[refs[i].index] = refs[first].key;
		else
			first = i;
	}
	free(refs);
	return twin;
}

static bool read_document(struct yreader *y)
{
	yaml_node_t *root = yaml_document_get_root_node(y->doc);
	if (!root || (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0))
		return true; /* an empty file (or just "---"): a zone without records */
	if (root->type != YAML_MAPPING_NODE)
		return fail_at(y, root,
		               "an octoDNS zone file is a mapping of owner names to records");
	const yaml_node_pair_t *pairs = root->data.mapping.pairs.start;
	size_t n = (size_t)(root->data.mapping.pairs.top - pairs);
	const yaml_node_t **twin = earlier_twins(y, pairs, n);
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		yaml_node_t *key = node(y, pairs[i].key);
		if (twin[i]) {
			char *name = scalar(key);
			ok = fail_at(y, key, "'%.200s' appears twice (first at line %u)", name,
			             line_of(twin[i]));
			free(name);
		} else {
			ok = add_owner(y, key, node(y, pairs[i].value));
		}
	}
	free(twin);
	return ok;
}

/* The number of the file's last line, as an editor shows it. */
static uint32_t last_line(const char *data, size_t len)
{
	uint32_t last = 0;
	for (size_t i = 0; i < len; i++)
		last += data[i] == '\n';
	if (len == 0 || data[len - 1] != '\n')
		last++;
	return last;
}

/* libyaml marks an error at the end of the input one line past the last
 * one: name the last line there is instead. */
static bool parse_error(struct dd_zone_error *err, const char *file, const yaml_parser_t *p,
                        const char *data, size_t len)
{
	uint32_t last = last_line(data, len);
	uint32_t line = (uint32_t)p->problem_mark.line + 1;
	uint32_t column = (uint32_t)p->problem_mark.column + 1;
	if (line > last) {
		line = last;
		column = 0;
	}
	return zone_fail(err, file, line, column, "YAML: %s%s%s",
	                 p->problem ? p->problem : "syntax error", p->context ? " " : "",
	                 p->context ? p->context : "");
}

static uint32_t min_line(uint32_t line, const char *data, size_t len)
{
	uint32_t last = last_line(data, len);
	return line < last ? line : last;
}

bool zone_read_yaml(struct dd_zone *z, const char *origin, struct dd_zone_error *err)
{
	const char *file = zone_intern_file(z, z->path);
	if (origin)
		z->origin = xstrdup(origin);
	else if (!(z->origin = dd_zone_origin_from_name(z->path)))
		return zone_fail(err, file, 0, 0,
		                 "an octoDNS file does not say its zone: name it ZONE.yaml or give "
		                 "--zone %s=ZONE",
		                 z->path);
	char *data;
	size_t len;
	if (!zone_slurp(z, z->path, file, &data, &len, err))
		return false;
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	bool ok;
	if (!yaml_parser_load(&parser, &doc)) {
		ok = parse_error(err, file, &parser, data, len);
	} else {
		size_t nodes = (size_t)(doc.nodes.top - doc.nodes.start);
		struct yreader y = { z, err, &doc, file, 4 * nodes + 64, last_line(data, len) };
		ok = read_document(&y);
		yaml_document_delete(&doc);
		if (ok) {
			/* a second document would be silently ignored: refuse it */
			if (!yaml_parser_load(&parser, &doc)) {
				ok = parse_error(err, file, &parser, data, len);
			} else {
				yaml_node_t *extra = yaml_document_get_root_node(&doc);
				if (extra)
					ok = zone_fail(err, file,
					               min_line(line_of(extra), data, len), 0,
					               "a second YAML document: one zone per file");
				yaml_document_delete(&doc);
			}
		}
	}
	yaml_parser_delete(&parser);
	free(data);
	return ok;
}
