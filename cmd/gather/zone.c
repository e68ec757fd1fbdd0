/*
 * zone.c: the zone model - records indexed by owner name - and how an
 * authoritative server answers from it (RFC 1034 §4.3.2):
 *
 *   a name with records of the type      OK, with each record's file:line
 *   a name with other records only       NODATA
 *   an empty non-terminal                NODATA (RFC 8020: it exists)
 *   a name that does not exist           the wildcard "*.<closest encloser>"
 *                                        if there is one (RFC 4592), else NXDOMAIN
 *   a CNAME (any other type asked)       followed inside the zone; a target
 *                                        outside it ends the chain (NODATA,
 *                                        no records) for the engine to ask
 *   a name below a DNAME                 rewritten (RFC 6672) and followed
 *   a name at or below an NS cut         not ours: NULL, the resolver asks
 *                                        the world (the child zone's data)
 *
 * Loading checks what a server would refuse to load: records outside the
 * origin, a second SOA or one below the apex, a CNAME next to other data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "gather/wire.h"
#include "gather/zone_internal.h"
#include "dd/util.h"

#define MAX_CHAIN 16 /* CNAME/DNAME steps inside one zone before calling it a loop */

void dd_zone_error_finish(struct dd_zone_error *err)
{
	free(err->file);
	free(err->message);
	memset(err, 0, sizeof(*err));
}

char *dd_zone_error_format(const struct dd_zone_error *err)
{
	const char *file = err->file ? err->file : "(zone)";
	if (err->line && err->column)
		return xasprintf("%s:%u:%u: error: %s", file, err->line, err->column, err->message);
	if (err->line)
		return xasprintf("%s:%u: error: %s", file, err->line, err->message);
	return xasprintf("%s: error: %s", file, err->message);
}

bool zone_fail(struct dd_zone_error *err, const char *file, uint32_t line, uint32_t column,
               const char *fmt, ...)
{
	dd_zone_error_finish(err);
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err->file = xstrdup(file ? file : "(zone)");
	err->line = line;
	err->column = column;
	err->message = xstrdup(msg);
	return false;
}

const char *zone_intern_file(struct dd_zone *z, const char *name)
{
	for (size_t i = 0; i < z->nfiles; i++)
		if (strcmp(z->files[i], name) == 0)
			return z->files[i];
	z->files = xrealloc(z->files, (z->nfiles + 1) * sizeof(*z->files));
	z->files[z->nfiles] = xstrdup(name);
	return z->files[z->nfiles++];
}

bool zone_add(struct dd_zone *z, char *owner_own, uint16_t type, ldns_rr *rr, const char *file,
              uint32_t line, struct dd_zone_error *err)
{
	if (z->nrecs >= DD_ZONE_MAX_RECORDS) {
		free(owner_own);
		ldns_rr_free(rr);
		return zone_fail(err, file, line, 0, "more than %u records: not a zone we check",
		                 DD_ZONE_MAX_RECORDS);
	}
	z->recs = xgrow(z->recs, &z->recs_cap, z->nrecs + 1, sizeof(*z->recs));
	z->recs[z->nrecs++] = (struct zone_record){ owner_own, type, rr, file, line };
	return true;
}

bool zone_slurp(struct dd_zone *z, const char *path, const char *display, char **out, size_t *len,
                struct dd_zone_error *err)
{
	/* one budget for the zone file and everything it includes */
	enum dd_file_status st = dd_file_read(path, DD_ZONE_MAX_BYTES - z->bytes_read, out, len);
	switch (st) {
	case DD_FILE_OK: z->bytes_read += *len; return true;
	case DD_FILE_IS_DIR:
		return zone_fail(err, display, 0, 0, "is a directory, not a zone file");
	case DD_FILE_TOO_BIG:
		return zone_fail(err, display, 0, 0,
		                 "the zone's files are larger than %u MiB together",
		                 DD_ZONE_MAX_BYTES >> 20);
	case DD_FILE_CANNOT_OPEN:
		return zone_fail(err, display, 0, 0, "cannot read: %s", dd_file_error(st));
	case DD_FILE_READ_ERROR: break;
	}
	return zone_fail(err, display, 0, 0, "read error: %s", dd_file_error(st));
}

/* --------------------------------------------------------------- index */

static struct zone_node **bucket_of(const struct dd_zone *z, const char *name)
{
	return &z->buckets[dd_hash(name, strlen(name), 0x5a17) & (z->nbuckets - 1)];
}

static struct zone_node *node_find(const struct dd_zone *z, const char *name)
{
	if (!z->nbuckets)
		return NULL;
	for (struct zone_node *n = *bucket_of(z, name); n; n = n->next)
		if (strcmp(n->name, name) == 0)
			return n;
	return NULL;
}

static struct zone_node *node_get(struct dd_zone *z, const char *name)
{
	struct zone_node *n = node_find(z, name);
	if (n)
		return n;
	n = xcalloc(1, sizeof(*n));
	n->name = xstrdup(name);
	struct zone_node **b = bucket_of(z, name);
	n->next = *b;
	*b = n;
	return n;
}

static bool node_has(const struct dd_zone *z, const struct zone_node *n, uint16_t type)
{
	for (size_t i = 0; i < n->nrecs; i++)
		if (z->recs[n->recs[i]].type == type)
			return true;
	return false;
}

static const struct zone_record *node_first(const struct dd_zone *z, const struct zone_node *n,
                                            uint16_t type)
{
	for (size_t i = 0; i < n->nrecs; i++)
		if (z->recs[n->recs[i]].type == type)
			return &z->recs[n->recs[i]];
	return NULL;
}

/* Types that may sit next to a CNAME (RFC 2181 §10.1, RFC 4035 §2.5). */
static bool cname_companion(uint16_t type)
{
	return type == LDNS_RR_TYPE_RRSIG || type == LDNS_RR_TYPE_NSEC ||
	       type == LDNS_RR_TYPE_CNAME || type == 0;
}

static bool check_owner(const struct dd_zone *z, const struct zone_node *n,
                        struct dd_zone_error *err)
{
	const struct zone_record *cname = NULL;
	for (size_t i = 0; i < n->nrecs; i++) {
		const struct zone_record *r = &z->recs[n->recs[i]];
		if (r->type != LDNS_RR_TYPE_CNAME)
			continue;
		if (cname)
			return zone_fail(err, r->file, r->line, 0,
			                 "%s has a second CNAME (the first is at %s:%u); a name "
			                 "has at most one (RFC 1034 §3.6.2)",
			                 n->name, cname->file, cname->line);
		cname = r;
	}
	if (!cname)
		return true;
	for (size_t i = 0; i < n->nrecs; i++) {
		const struct zone_record *r = &z->recs[n->recs[i]];
		if (!cname_companion(r->type))
			return zone_fail(err, r->file, r->line, 0,
			                 "%s has a CNAME (%s:%u) and a %s record; a CNAME must be "
			                 "alone at its name (RFC 1034 §3.6.2)",
			                 n->name, cname->file, cname->line,
			                 dd_rrtype_name(r->type));
	}
	return true;
}

/* A record's type and rdata in wire form: what makes two records the same. */
struct rdata_key {
	size_t rec;
	uint16_t type;
	uint8_t *wire;
	size_t len;
};

static int by_rdata(const void *a, const void *b)
{
	const struct rdata_key *x = a, *y = b;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	int c = x->len ? memcmp(x->wire, y->wire, x->len) : 0;
	if (c)
		return c;
	return x->rec < y->rec ? -1 : x->rec > y->rec; /* the first in the file is kept */
}

static int by_rec(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * An RRset holds a record once (RFC 2181 §5): a record written twice is
 * served once, so it is kept once. Sorting keeps a huge RRset n log n.
 */
static void drop_duplicates(const struct dd_zone *z, struct zone_node *n)
{
	if (n->nrecs < 2)
		return;
	struct rdata_key *keys = xcalloc(n->nrecs, sizeof(*keys));
	ldns_buffer *buf = ldns_buffer_new(512);
	size_t nkeys = 0, kept = 0;
	for (size_t i = 0; i < n->nrecs; i++) {
		const struct zone_record *r = &z->recs[n->recs[i]];
		if (!r->rr) {
			n->recs[kept++] = n->recs[i]; /* an opaque record has no rdata to compare */
			continue;
		}
		ldns_buffer_clear(buf);
		ldns_rr_rdata2buffer_wire(buf, r->rr);
		keys[nkeys].rec = n->recs[i];
		keys[nkeys].type = r->type;
		keys[nkeys].len = ldns_buffer_position(buf);
		keys[nkeys].wire = xmalloc(keys[nkeys].len + 1);
		memcpy(keys[nkeys].wire, ldns_buffer_begin(buf), keys[nkeys].len);
		nkeys++;
	}
	qsort(keys, nkeys, sizeof(*keys), by_rdata);
	for (size_t i = 0; i < nkeys; i++) {
		bool same = i > 0 && keys[i].type == keys[i - 1].type &&
		            keys[i].len == keys[i - 1].len &&
		            memcmp(keys[i].wire, keys[i - 1].wire, keys[i].len) == 0;
		if (!same)
			n->recs[kept++] = keys[i].rec;
	}
	for (size_t i = 0; i < nkeys; i++)
		free(keys[i].wire);
	free(keys);
	ldns_buffer_free(buf);
	n->nrecs = kept;
	qsort(n->recs, n->nrecs, sizeof(*n->recs), by_rec); /* back to file order */
}

/* Validate what a server would refuse, then index owners and their ancestors. */
static bool zone_finish(struct dd_zone *z, struct dd_zone_error *err)
{
	const struct zone_record *soa = NULL;
	for (size_t i = 0; i < z->nrecs; i++) {
		const struct zone_record *r = &z->recs[i];
		if (!dd_name_is_under(r->owner, z->origin))
			return zone_fail(err, r->file, r->line, 0,
			                 "%s is outside the zone %s (a record outside the origin)",
			                 r->owner, z->origin);
		if (r->type != LDNS_RR_TYPE_SOA)
			continue;
		if (strcmp(r->owner, z->origin) != 0)
			return zone_fail(err, r->file, r->line, 0,
			                 "SOA record at %s, below the zone apex %s", r->owner,
			                 z->origin);
		if (soa)
			return zone_fail(err, r->file, r->line, 0,
			                 "a second SOA record (the first is at %s:%u)", soa->file,
			                 soa->line);
		soa = r;
	}
	z->nbuckets = 64;
	while (z->nbuckets < z->nrecs)
		z->nbuckets *= 2;
	z->buckets = xcalloc(z->nbuckets, sizeof(*z->buckets));
	for (size_t i = 0; i < z->nrecs; i++) {
		const struct zone_record *r = &z->recs[i];
		struct zone_node *n = node_get(z, r->owner);
		n->recs = xrealloc(n->recs, (n->nrecs + 1) * sizeof(*n->recs));
		n->recs[n->nrecs++] = i;
		if (!n->first_file) {
			n->first_file = r->file;
			n->first_line = r->line;
		}
		/* every name between the owner and the apex exists (empty non-terminals) */
		for (const char *p = dd_name_parent(r->owner); p && dd_name_is_under(p, z->origin);
		     p = dd_name_parent(p))
			node_get(z, p);
	}
	for (size_t b = 0; b < z->nbuckets; b++)
		for (struct zone_node *n = z->buckets[b]; n; n = n->next) {
			drop_duplicates(z, n);
			if (!check_owner(z, n, err))
				return false;
		}

	/* Findings that are about no single record point at the zone apex in
	 * the file the user gave: its first record there (the SOA, usually). */
	z->anchor_file = zone_intern_file(z, z->path);
	z->anchor_line = 1;
	const struct zone_node *apex = node_find(z, z->origin);
	for (size_t i = 0; apex && i < apex->nrecs; i++) {
		const struct zone_record *r = &z->recs[apex->recs[i]];
		if (r->file == z->anchor_file) {
			z->anchor_line = r->line;
			break;
		}
	}
	if (soa && soa->file == z->anchor_file)
		z->anchor_line = soa->line;
	return true;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && dd_strcaseeq(s + n - k, suffix);
}

char *dd_zone_origin_from_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	static const char *const suffixes[] = { ".zone", ".db", ".yaml", ".yml" };
	size_t len = 0;
	const char *start = base;
	for (size_t i = 0; i < DD_ARRAY_LEN(suffixes) && !len; i++)
		if (has_suffix(base, suffixes[i]))
			len = strlen(base) - strlen(suffixes[i]);
	if (!len && dd_strncaseeq(base, "db.", 3) && base[3]) {
		start = base + 3;
		len = strlen(start);
	}
	/* one label would be a top-level domain: more likely "zone.yaml" than a TLD */
	char norm[DD_NAME_MAX + 1];
	if (!len || !dd_name_normalize(start, len, norm, sizeof(norm)) || !strchr(norm, '.'))
		return NULL;
	return xstrdup(norm);
}

struct dd_zone *dd_zone_load(const char *path, const char *origin, struct dd_zone_error *err)
{
	memset(err, 0, sizeof(*err));
	struct dd_zone *z = xcalloc(1, sizeof(*z));
	z->path = xstrdup(path);
	z->yaml = has_suffix(path, ".yaml") || has_suffix(path, ".yml");
	dd_wire_reading_text(true);
	bool ok = z->yaml ? zone_read_yaml(z, origin, err) : zone_read_bind(z, origin, err);
	dd_wire_reading_text(false);
	if (ok && !z->origin)
		ok = zone_fail(err, path, 0, 0,
		               "no origin: the file has no $ORIGIN or SOA and its name does not "
		               "say the zone (give --zone %s=ORIGIN)",
		               path);
	if (ok)
		ok = zone_finish(z, err);
	if (!ok) {
		dd_zone_destroy(z);
		return NULL;
	}
	return z;
}

void dd_zone_destroy(struct dd_zone *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->nrecs; i++) {
		free(z->recs[i].owner);
		ldns_rr_free(z->recs[i].rr);
	}
	for (size_t b = 0; b < z->nbuckets; b++) {
		struct zone_node *n = z->buckets[b], *next;
		for (; n; n = next) {
			next = n->next;
			free(n->name);
			free(n->recs);
			free(n);
		}
	}
	for (size_t i = 0; i < z->nfiles; i++)
		free(z->files[i]);
	free(z->files);
	free(z->buckets);
	free(z->recs);
	free(z->origin);
	free(z->path);
	free(z);
}

const char *dd_zone_origin(const struct dd_zone *z)
{
	return z->origin;
}

const char *dd_zone_path(const struct dd_zone *z)
{
	return z->path;
}

size_t dd_zone_record_count(const struct dd_zone *z)
{
	return z->nrecs;
}

/* -------------------------------------------------------------- answers */

/* The NS cut (below the apex) at or above `name`, or NULL. */
static const struct zone_node *cut_above(const struct dd_zone *z, const char *name)
{
	for (const char *p = name; p && strcmp(p, z->origin) != 0; p = dd_name_parent(p)) {
		const struct zone_node *n = node_find(z, p);
		if (n && node_has(z, n, LDNS_RR_TYPE_NS))
			return n;
	}
	return NULL;
}

/* A DNAME strictly above `name` (RFC 6672 §2.3: it redirects the names below it). */
static const struct zone_node *dname_above(const struct dd_zone *z, const char *name)
{
	if (strcmp(name, z->origin) == 0)
		return NULL;
	for (const char *p = dd_name_parent(name); p && dd_name_is_under(p, z->origin);
	     p = dd_name_parent(p)) {
		const struct zone_node *n = node_find(z, p);
		if (n && node_has(z, n, LDNS_RR_TYPE_DNAME))
			return n;
	}
	return NULL;
}

/* RFC 4592 §3.3.1: the wildcard for a name that does not exist, if any. */
static const struct zone_node *wildcard_for(const struct dd_zone *z, const char *name)
{
	for (const char *p = dd_name_parent(name); p && dd_name_is_under(p, z->origin);
	     p = dd_name_parent(p)) {
		if (!node_find(z, p))
			continue;
		/* p is the closest encloser: only *.p can synthesise */
		char *wild = xasprintf("*.%s", p);
		const struct zone_node *w = node_find(z, wild);
		free(wild);
		return w;
	}
	return NULL;
}

static void add_records(const struct dd_zone *z, const struct zone_node *n, uint16_t type,
                        struct dd_answer *ans)
{
	for (size_t i = 0; i < n->nrecs; i++) {
		const struct zone_record *r = &z->recs[n->recs[i]];
		if (r->type != type || !r->rr)
			continue;
		struct dd_rr *rr = dd_wire_add_rr(ans, r->rr, r->line);
		if (rr)
			rr->file = r->file;
	}
}

static void place(struct dd_answer *ans, const char *file, uint32_t line)
{
	ans->file = file;
	ans->line = line;
}

/* A target in the zone, not below a cut: the chain goes on here. */
static bool answers_here(const struct dd_zone *z, const char *name)
{
	return dd_name_is_under(name, z->origin) && !cut_above(z, name);
}

struct dd_answer *dd_zone_answer(const struct dd_zone *z, const char *qname, uint16_t qtype)
{
	if (!dd_name_is_under(qname, z->origin) || cut_above(z, qname))
		return NULL;
	struct dd_answer *ans = dd_answer_create(qname, qtype, DD_DNS_NXDOMAIN);
	ans->source = DD_SOURCE_ZONE;
	place(ans, z->anchor_file, z->anchor_line);
	char *cur = xstrdup(qname);
	for (int hops = 0;; hops++) {
		if (hops > MAX_CHAIN) {
			ans->status = DD_DNS_SERVFAIL; /* a CNAME/DNAME loop in the zone */
			break;
		}
		char *next = NULL;
		const struct zone_record *redirect = NULL;
		const struct zone_node *n = node_find(z, cur);
		const struct zone_node *dname = n ? NULL : dname_above(z, cur);
		if (dname) {
			/* RFC 6672 §2.2: replace the DNAME owner suffix by its target */
			redirect = node_first(z, dname, LDNS_RR_TYPE_DNAME);
			char *target = dd_wire_name(ldns_rr_rdf(redirect->rr, 0));
			size_t keep = strlen(cur) - strlen(dname->name) - 1;
			next = strcmp(target, ".") == 0
			               ? xstrndup(cur, keep)
			               : xasprintf("%.*s.%s", (int)keep, cur, target);
			free(target);
		} else {
			if (!n)
				n = wildcard_for(z, cur);
			if (!n) {
				ans->status = DD_DNS_NXDOMAIN;
				place(ans, z->anchor_file, z->anchor_line);
				break;
			}
			redirect = qtype == DD_RR_CNAME ? NULL : node_first(z, n, DD_RR_CNAME);
			if (redirect && redirect->rr)
				next = dd_wire_name(ldns_rr_rdf(redirect->rr, 0));
		}
		if (!next) {
			add_records(z, n, qtype, ans);
			ans->status = ans->nrrs ? DD_DNS_OK : DD_DNS_NODATA;
			if (ans->nrrs) {
				/* the records' file, so that file + a record's line is
				 * right even where the owner started in another file */
				const char *f = ans->rrs[0].file;
				place(ans, f,
				      n->first_file == f ? n->first_line : ans->rrs[0].line);
			} else if (n->first_file)
				place(ans, n->first_file, n->first_line);
			else
				place(ans, z->anchor_file, z->anchor_line); /* empty non-terminal */
			break;
		}
		char norm[DD_NAME_MAX + 1];
		bool valid = dd_name_normalize(next, strlen(next), norm, sizeof(norm));
		dd_answer_add_cname(ans, valid ? norm : next);
		free(next);
		place(ans, redirect->file, redirect->line);
		if (!valid) {
			ans->status = DD_DNS_SERVFAIL; /* a target no resolver could ask */
			break;
		}
		if (!answers_here(z, norm)) {
			ans->status = DD_DNS_NODATA; /* the chain leaves the zone */
			break;
		}
		free(cur);
		cur = xstrdup(norm);
	}
	free(cur);
	return ans;
}
