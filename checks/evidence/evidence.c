/*
 * evidence.c: the report rows of a domain grouped into senders, each sender
 * classed (RFC 9989 §5.1: tighten the policy only once every legitimate
 * sender passes aligned SPF or DKIM).
 *
 * Alignment is computed here from each row's auth_results and header_from
 * (RFC 9989 §4.4; RFC 7489 §3.1): DKIM aligns when a passing signature's d=
 * is the header_from domain (adkim=s) or shares its Organizational Domain
 * (relaxed, the default); SPF likewise with the domain SPF checked for the
 * MAIL FROM (aspf), never the HELO identity. The reporter's own verdict
 * (policy_evaluated) is kept next to ours, and counted where they differ.
 *
 * A sender is a service, not an address: a row is traced to the table of
 * services (services.c) by its DKIM d=, its SPF / envelope domain, a
 * selector the table knows, or the reverse DNS of its source; failing
 * that, to the domain it authenticates as; failing that, to its /24 (IPv4)
 * or /48 (IPv6). Rows for a subdomain of the domain are kept apart.
 *
 * Ignores: rows whose header_from is not the domain or below it (another
 * domain's mail), the HELO SPF identity, DKIM results other than pass,
 * reports outside the window.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_int.h"
#include "dd/util.h"

#define MAX_LISTED  8    /* d=, SPF domains and sources kept per sender */
#define MAX_DAYS    3700 /* a window of ten years at most is counted by day */
#define MAX_SENDERS 256  /* senders kept apart; the rest are one "(other sources)" */
#define MAX_SOURCES 512  /* addresses counted per sender (the first seen) */
#define DAY         86400

const char *dd_sender_class_name(enum dd_sender_class c)
{
	switch (c) {
	case DD_CLASS_ALIGNED: return "aligned";
	case DD_CLASS_FIXABLE: return "fixable";
	case DD_CLASS_FORWARDED: return "forwarded";
	case DD_CLASS_UNAUTHENTICATED: return "unauthenticated";
	}
	return "unauthenticated";
}

void dd_strlist_finish(struct dd_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static bool strlist_has(const struct dd_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (dd_strcaseeq(l->v[i], s))
			return true;
	return false;
}

static void strlist_add_unique(struct dd_strlist *l, const char *s, size_t max)
{
	if (!s || !*s || l->n >= max || strlist_has(l, s))
		return;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
}

/* ------------------------------------------------------------ alignment */

/* snprintf(out, outsz, "%s", s) without the format: a few copies a report
 * row, and snprintf was a tenth of building the evidence. */
static void copy(char *out, size_t outsz, const char *s)
{
	size_t n = strlen(s);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

void ev_org_domain(const struct dd_evidence_input *in, const char *name, char *out, size_t outsz)
{
	if (in->org_domain && in->org_domain(in->org_ctx, name, out, outsz))
		return;
	copy(out, outsz,
	     in->domain_org && dd_name_is_under(name, in->domain_org) ? in->domain_org : name);
}

/*
 * The Organizational Domains of one build, remembered: relaxed alignment
 * asks for the org domain of the header_from and of every d= and MAIL FROM
 * domain of every row, and a year of reports repeats the same few names
 * thousands of times. A direct-mapped table: a name that collides is asked
 * again, never answered wrong.
 */
#define ORG_MEMO_SLOTS 64

struct org_slot {
	bool used, ok;
	char name[DD_NAME_MAX + 1], org[DD_NAME_MAX + 1];
};

struct org_memo {
	bool (*org_domain)(const void *ctx, const char *name, char *out, size_t outsz);
	const void *org_ctx;
	struct org_slot slot[ORG_MEMO_SLOTS];
};

static bool org_memo_lookup(const void *ctx, const char *name, char *out, size_t outsz)
{
	struct org_memo *m = (struct org_memo *)ctx;
	size_t len = strlen(name);
	if (len > DD_NAME_MAX)
		return m->org_domain(m->org_ctx, name, out, outsz);
	struct org_slot *e = &m->slot[dd_hash(name, len, 0) % ORG_MEMO_SLOTS];
	if (!e->used || strcmp(e->name, name) != 0) {
		memcpy(e->name, name, len + 1);
		e->ok = m->org_domain(m->org_ctx, name, e->org, sizeof(e->org));
		e->used = true;
	}
	if (e->ok)
		copy(out, outsz, e->org);
	return e->ok;
}

/* RFC 9989 §4.4: strict is the same name; relaxed the same Organizational Domain. */
bool ev_aligned(const struct dd_evidence_input *in, const char *auth, const char *header_from,
                bool strict)
{
	if (!auth || !header_from)
		return false;
	if (dd_strcaseeq(auth, header_from))
		return true;
	if (strict)
		return false;
	char a[DD_NAME_MAX + 1], h[DD_NAME_MAX + 1];
	ev_org_domain(in, auth, a, sizeof(a));
	ev_org_domain(in, header_from, h, sizeof(h));
	return dd_strcaseeq(a, h);
}

static bool is(const char *s, const char *v)
{
	return s && strcmp(s, v) == 0;
}

/* What one row says, read once. */
struct row_view {
	const char *header_from;
	bool dkim_aligned, spf_aligned, ours, theirs;
	const char *dkim_aligned_d, *dkim_aligned_s;
	const char *dkim_other; /* a passing signature not aligned */
	const char *spf_domain; /* the MAIL FROM domain SPF checked */
	bool spf_pass;
	bool own_dkim_broken; /* a signature with an aligned d= that did not pass */
	const char *reason;   /* forwarded, mailing_list, trusted_forwarder */
};

static void read_row(const struct dd_evidence_input *in, const struct dd_report *rep,
                     const struct dd_report_row *row, struct row_view *v)
{
	memset(v, 0, sizeof(*v));
	v->header_from = row->header_from;
	bool sdkim = is(rep->adkim, "s"), sspf = is(rep->aspf, "s");
	for (size_t i = 0; i < row->ndkim; i++) {
		const struct dd_report_dkim *d = &row->dkim[i];
		if (!d->domain)
			continue;
		bool al = ev_aligned(in, d->domain, row->header_from, sdkim);
		if (is(d->result, "pass")) {
			if (al && !v->dkim_aligned) {
				v->dkim_aligned = true;
				v->dkim_aligned_d = d->domain;
				v->dkim_aligned_s = d->selector;
			} else if (!al && !v->dkim_other) {
				v->dkim_other = d->domain;
			}
		} else if (al) {
			v->own_dkim_broken = true;
		}
	}
	for (size_t i = 0; i < row->nspf; i++) {
		const struct dd_report_spf *s = &row->spf[i];
		if (is(s->scope, "helo")) /* RFC 9989 §4.4.2: DMARC uses the MAIL FROM identity */
			continue;
		if (!v->spf_domain || (is(s->result, "pass") && !v->spf_pass)) {
			v->spf_domain = s->domain;
			v->spf_pass = is(s->result, "pass");
		}
	}
	if (!v->spf_domain && row->envelope_from)
		v->spf_domain = row->envelope_from;
	v->spf_aligned = v->spf_pass && ev_aligned(in, v->spf_domain, row->header_from, sspf);
	v->ours = v->dkim_aligned || v->spf_aligned;
	v->theirs = is(row->dkim_eval, "pass") || is(row->spf_eval, "pass");
	for (size_t i = 0; i < row->nreasons; i++) {
		const char *t = row->reasons[i].type;
		if (is(t, "forwarded") || is(t, "mailing_list") || is(t, "trusted_forwarder"))
			v->reason = t;
	}
	if (v->own_dkim_broken && v->dkim_aligned)
		v->own_dkim_broken = false; /* another aligned signature passed */
}

/* ------------------------------------------------------- identification */

/* "192.0.2.0/24" or "2001:db8:1::/48"; the address itself when it does not parse. */
void ev_prefix(const char *ip, char *out, size_t outsz)
{
	unsigned char b[16];
	char txt[INET6_ADDRSTRLEN];
	const char *dot3 = strrchr(ip, '.');
	if (inet_pton(AF_INET, ip, b) == 1 && dot3) {
		/* inet_pton took four decimal octets: the /24 is the text up to
		 * the last dot (the store's addresses are canonical, inet_ntop) */
		size_t n = (size_t)(dot3 - ip);
		if (n + sizeof(".0/24") <= outsz) {
			memcpy(out, ip, n);
			memcpy(out + n, ".0/24", sizeof(".0/24"));
		} else {
			snprintf(out, outsz, "%u.%u.%u.0/24", b[0], b[1], b[2]);
		}
	} else if (inet_pton(AF_INET6, ip, b) == 1) {
		memset(b + 6, 0, 10);
		inet_ntop(AF_INET6, b, txt, sizeof(txt));
		snprintf(out, outsz, "%s/48", txt);
	} else {
		copy(out, outsz, ip);
	}
}

bool ev_row_identified(const struct dd_report_row *row)
{
	for (size_t i = 0; i < row->ndkim; i++)
		if (is(row->dkim[i].result, "pass") &&
		    (dd_service_by_dkim(row->dkim[i].domain) ||
		     dd_service_by_selector(row->dkim[i].selector)))
			return true;
	for (size_t i = 0; i < row->nspf; i++)
		if (!is(row->spf[i].scope, "helo") && dd_service_by_spf(row->spf[i].domain))
			return true;
	return row->envelope_from && dd_service_by_spf(row->envelope_from);
}

struct ident {
	const struct dd_mail_service *service;
	const char *by;
	char name[DD_NAME_MAX + 64];
};

static void identify(const struct dd_evidence_input *in, const struct dd_report_row *row,
                     const struct row_view *v, struct ident *id)
{
	memset(id, 0, sizeof(*id));
	const struct dd_mail_service *s = NULL;
	for (size_t i = 0; !s && i < row->ndkim; i++)
		if (is(row->dkim[i].result, "pass") &&
		    (s = dd_service_by_dkim(row->dkim[i].domain)))
			id->by = "dkim";
	if (!s && (s = dd_service_by_spf(v->spf_domain)))
		id->by = "spf";
	if (!s && row->envelope_from && (s = dd_service_by_spf(row->envelope_from)))
		id->by = "spf";
	if (!s && v->dkim_aligned_s && (s = dd_service_by_selector(v->dkim_aligned_s)))
		id->by = "selector";
	/* the reverse name only when nothing else named it: building it was
	 * the most of a row's identification */
	const char *ptr = !s && in->ptr ? in->ptr(in->ptr_ctx, row->source_ip) : NULL;
	if (ptr && (s = dd_service_by_ptr(ptr)))
		id->by = "ptr";
	if (s) {
		id->service = s;
		copy(id->name, sizeof(id->name), s->name);
		return;
	}
	/* not in the table: the domain it authenticates as, when not ours */
	const char *other = v->dkim_other                      ? v->dkim_other
	                    : (v->spf_pass && !v->spf_aligned) ? v->spf_domain
	                                                       : NULL;
	if (other) {
		ev_org_domain(in, other, id->name, sizeof(id->name));
		id->by = "domain";
		return;
	}
	ev_prefix(row->source_ip, id->name, sizeof(id->name));
	id->by = "prefix";
}

/* ------------------------------------------------------------ classing */

struct row_class {
	enum dd_sender_class cls;
	const char *basis;
};

static void classify(const struct dd_evidence_input *in, const struct row_view *v,
                     const struct ident *id, struct row_class *c)
{
	if (v->ours) {
		c->cls = DD_CLASS_ALIGNED;
		c->basis = v->dkim_aligned ? "DKIM passes with an aligned d="
		                           : "SPF passes for an aligned MAIL FROM domain";
		return;
	}
	c->cls = DD_CLASS_FORWARDED;
	if (id->service && id->service->kind == DD_SERVICE_FORWARDER) {
		c->basis = "a known mailing list or forwarder re-sends the mail";
		return;
	}
	if (v->reason) {
		c->basis = is(v->reason, "mailing_list") ? "the reporter says: mailing list"
		           : is(v->reason, "forwarded")  ? "the reporter says: forwarded"
		                                         : "the reporter says: trusted forwarder";
		return;
	}
	if (v->own_dkim_broken) {
		c->basis = "the domain's own DKIM signature broke in transit and SPF fails or "
		           "passes for another domain: forwarding or a mailing list";
		return;
	}
	const char *other = v->dkim_other                      ? v->dkim_other
	                    : (v->spf_pass && !v->spf_aligned) ? v->spf_domain
	                                                       : NULL;
	if (other) {
		char o[DD_NAME_MAX + 1], d[DD_NAME_MAX + 1];
		ev_org_domain(in, other, o, sizeof(o));
		ev_org_domain(in, in->domain, d, sizeof(d));
		if (id->service || dd_strcaseeq(o, d)) {
			c->cls = DD_CLASS_FIXABLE;
			c->basis = v->dkim_other
			                   ? "DKIM passes, but with another d= than the domain"
			                   : "SPF passes, but for another MAIL FROM domain";
			return;
		}
		c->cls = DD_CLASS_UNAUTHENTICATED;
		c->basis = "passes only as an unrelated domain that is not a known mail service";
		return;
	}
	c->cls = DD_CLASS_UNAUTHENTICATED;
	c->basis = "neither SPF nor DKIM passes for any domain";
}

/* -------------------------------------------------------------- grouping */

struct source_count {
	char ip[46];
	uint64_t n;
};

struct group {
	struct dd_evidence_sender s;
	const char *basis_by_class[4];
	struct source_count *src;
	size_t nsrc, srccap;
};

/* A row judged, for the rows equal to it (row_memo.c). The pointers are
 * into the report set, which outlives the build. */
#define JUDGED_SLOTS 64

struct judged {
	const struct dd_report *rep; /* NULL: a free slot */
	const struct dd_report_row *row;
	bool ours, spf_aligned, dkim_aligned, theirs;
	struct row_class c;
	size_t group; /* index in build.g, which moves as it grows */
};

struct build {
	const struct dd_evidence_input *in;
	bool quarantine; /* the report of the rows being added shows quarantine applied */
	struct group *g;
	size_t n, cap;
	struct judged judged[JUDGED_SLOTS]; /* direct-mapped: a collision judges again */
};

static struct group *find_group(struct build *b, const char *subdomain, const char *name)
{
	for (size_t i = 0; i < b->n; i++) {
		struct group *g = &b->g[i];
		bool same_sub =
		        (!g->s.subdomain && !subdomain) ||
		        (g->s.subdomain && subdomain && strcmp(g->s.subdomain, subdomain) == 0);
		if (same_sub && strcmp(g->s.name, name) == 0)
			return g;
	}
	return NULL;
}

static struct group *group_for(struct build *b, const char *subdomain, struct ident *id)
{
	struct group *g = find_group(b, subdomain, id->name);
	if (g)
		return g;
	if (b->n >= MAX_SENDERS) {
		/* a bound on hostile reports: past MAX_SENDERS, one group holds the rest */
		snprintf(id->name, sizeof(id->name), "(other sources)");
		id->service = NULL;
		id->by = "prefix";
		subdomain = NULL;
		if ((g = find_group(b, NULL, id->name)))
			return g;
	}
	b->g = xgrow(b->g, &b->cap, b->n + 1, sizeof(*b->g));
	g = &b->g[b->n++];
	memset(g, 0, sizeof(*g));
	g->s.name = xstrdup(id->name);
	g->s.subdomain = subdomain ? xstrdup(subdomain) : NULL;
	g->s.service = id->service;
	g->s.identified_by = id->by;
	return g;
}

static void add_source(struct group *g, const char *ip, uint64_t n)
{
	for (size_t i = 0; i < g->nsrc; i++)
		if (strcmp(g->src[i].ip, ip) == 0) {
			g->src[i].n += n;
			return;
		}
	if (g->nsrc >= MAX_SOURCES) /* a bound on hostile input */
		return;
	g->src = xgrow(g->src, &g->srccap, g->nsrc + 1, sizeof(*g->src));
	copy(g->src[g->nsrc].ip, sizeof(g->src[g->nsrc].ip), ip);
	g->src[g->nsrc++].n = n;
}

static void add_row(struct build *b, const struct dd_report *rep, const struct dd_report_row *row,
                    struct dd_evidence *e)
{
	const struct dd_evidence_input *in = b->in;
	struct judged *j = &b->judged[ev_row_hash(row) % JUDGED_SLOTS];
	bool again = j->rep && ev_rows_same(j->rep, j->row, rep, row);
	struct row_view v;
	if (!again) {
		struct ident id;
		read_row(in, rep, row, &v);
		identify(in, row, &v, &id);
		*j = (struct judged){ .rep = rep,
			              .row = row,
			              .ours = v.ours,
			              .spf_aligned = v.spf_aligned,
			              .dkim_aligned = v.dkim_aligned,
			              .theirs = v.theirs };
		classify(in, &v, &id, &j->c);
		const char *sub =
		        strcmp(row->header_from, in->domain) == 0 ? NULL : row->header_from;
		j->group = (size_t)(group_for(b, sub, &id) - b->g);
	}
	struct group *g = &b->g[j->group];
	struct dd_evidence_sender *s = &g->s;
	const struct row_class c = j->c;
	uint64_t n = row->count;
	s->messages += n;
	s->by_class[c.cls] += n;
	if (!g->basis_by_class[c.cls])
		g->basis_by_class[c.cls] = c.basis;
	if (j->ours) {
		s->dmarc_pass += n;
		e->dmarc_pass += n;
	}
	if (j->spf_aligned)
		s->spf_aligned += n;
	if (j->dkim_aligned)
		s->dkim_aligned += n;
	if (j->theirs) {
		s->reporter_pass += n;
		e->reporter_pass += n;
	}
	if (j->theirs != j->ours) {
		s->disagree += n;
		e->disagree += n;
	}
	e->messages += n;
	e->by_class[c.cls] += n;
	if (b->quarantine) {
		e->quarantine_messages += n;
		if (c.cls == DD_CLASS_FIXABLE)
			s->quarantine_fixable += n;
	}
	ev_series_row(e, rep, c.cls, j->ours, n);
	add_source(g, row->source_ip, n);
	if (again) /* what an equal row listed is listed: the lists only grow */
		return;
	for (size_t i = 0; i < row->ndkim; i++)
		if (is(row->dkim[i].result, "pass"))
			strlist_add_unique(&s->dkim_domains, row->dkim[i].domain, MAX_LISTED);
	if (v.spf_pass)
		strlist_add_unique(&s->spf_domains, v.spf_domain, MAX_LISTED);
	if (c.cls == DD_CLASS_FIXABLE && !s->fix_detail)
		s->fix_detail = v.dkim_other ? xasprintf("DKIM d=%s", v.dkim_other)
		                             : xasprintf("SPF %s", v.spf_domain);
	for (size_t i = 0; i < row->ndkim; i++)
		if (row->dkim[i].selector && row->dkim[i].domain &&
		    dd_strcaseeq(row->dkim[i].domain, in->domain))
			strlist_add_unique(&e->selectors, row->dkim[i].selector, 64);
}

static int by_count_desc(const void *a, const void *b)
{
	const struct source_count *x = a, *y = b;
	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->ip, y->ip);
}

/* The class of a sender: that of most of its messages; aligned only when
 * nothing else is left (a sender with some failing mail is not "aligned"). */
static void settle(struct group *g, uint64_t total, uint64_t quarantine_total)
{
	struct dd_evidence_sender *s = &g->s;
	enum dd_sender_class best = DD_CLASS_ALIGNED;
	uint64_t most = 0;
	for (int c = DD_CLASS_FIXABLE; c <= DD_CLASS_UNAUTHENTICATED; c++)
		if (s->by_class[c] > most) {
			most = s->by_class[c];
			best = (enum dd_sender_class)c;
		}
	/* a sender mostly aligned whose failures are a sliver stays aligned */
	if (s->by_class[DD_CLASS_ALIGNED] > most * 9)
		best = DD_CLASS_ALIGNED;
	/* fixable mail above the blocking share makes the sender fixable, even
	 * when most of its mail aligns: that part would be lost */
	bool big = total > 0 &&
	           s->by_class[DD_CLASS_FIXABLE] * 1000 >= total * DD_EVIDENCE_BLOCK_PERMILLE;
	if (s->by_class[DD_CLASS_FIXABLE] > 0 &&
	    (big || (best != DD_CLASS_ALIGNED && s->by_class[DD_CLASS_FIXABLE] * 2 >= most)))
		best = DD_CLASS_FIXABLE;
	s->cls = best;
	s->basis = g->basis_by_class[best];
	s->would_fail = s->messages - s->dmarc_pass;
	s->blocks = best == DD_CLASS_FIXABLE && big;
	s->blocks_reject =
	        s->quarantine_fixable > 0 &&
	        s->quarantine_fixable * 1000 >= quarantine_total * DD_EVIDENCE_BLOCK_PERMILLE;
	if (g->nsrc)
		qsort(g->src, g->nsrc, sizeof(*g->src), by_count_desc);
	for (size_t i = 0; i < g->nsrc && i < MAX_LISTED; i++) {
		strlist_add_unique(&s->sources, g->src[i].ip, MAX_LISTED);
	}
	free(g->src);
}

static int sender_order(const void *a, const void *b)
{
	const struct dd_evidence_sender *x = a, *y = b;
	if (!x->subdomain != !y->subdomain)
		return x->subdomain ? 1 : -1; /* the domain's own rows first */
	if (x->subdomain && y->subdomain) {
		int c = strcmp(x->subdomain, y->subdomain);
		if (c)
			return c;
	}
	if (x->messages != y->messages)
		return x->messages < y->messages ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* --------------------------------------------------------- day coverage */

static void mark_days(unsigned char *bits, size_t ndays, int64_t from, int64_t begin, int64_t end)
{
	if (end < begin)
		end = begin;
	int64_t first = (begin - from) / DAY, last = (end - 1 - from) / DAY;
	if (end - begin < DAY)
		last = first; /* a report of less than a day covers that day */
	if (first < 0)
		first = 0;
	for (int64_t d = first; d <= last && d < (int64_t)ndays; d++)
		bits[d] = 1;
}

static unsigned count_days(const unsigned char *bits, size_t ndays)
{
	unsigned n = 0;
	for (size_t i = 0; i < ndays; i++)
		n += bits[i];
	return n;
}

bool ev_row_concerns(const struct dd_report_row *row, const char *domain)
{
	/* most rows are the domain's own: header_from is stored lowercased */
	return row->header_from && (strcmp(row->header_from, domain) == 0 ||
	                            dd_name_is_under(row->header_from, domain));
}

/* RFC 9989 §4.7 t=y: receivers apply one level less than p. */
static bool applies_quarantine(const struct dd_report *r)
{
	bool t = is(r->testing, "y");
	return (is(r->p, "quarantine") && !t) || (is(r->p, "reject") && t);
}

struct dd_evidence *dd_evidence_build(const struct dd_report_set *set,
                                      const struct dd_evidence_input *in)
{
	if (!set || !in || !in->domain)
		return NULL;
	/* the rows are read through a copy of the input that remembers org domains */
	struct dd_evidence_input memo_in = *in;
	struct org_memo *memo = NULL;
	if (in->org_domain) {
		memo = xmalloc(sizeof(*memo)); /* 32 KiB: only the used flags need clearing */
		for (size_t i = 0; i < ORG_MEMO_SLOTS; i++)
			memo->slot[i].used = false;
		memo->org_domain = in->org_domain;
		memo->org_ctx = in->org_ctx;
		memo_in.org_domain = org_memo_lookup;
		memo_in.org_ctx = memo;
	}
	struct build b = { .in = &memo_in };
	struct dd_evidence *e = xcalloc(1, sizeof(*e));
	e->domain = xstrdup(in->domain);
	e->from = in->from;
	e->to = in->to;
	ev_series_start(e);
	size_t ndays = in->to > in->from ? (size_t)((in->to - in->from) / DAY) + 1 : 1;
	if (ndays > MAX_DAYS)
		ndays = MAX_DAYS;
	unsigned char *days = xcalloc(ndays, 1), *qdays = xcalloc(ndays, 1),
	              *tdays = xcalloc(ndays, 1);
	struct dd_strlist reporters = { 0 };
	const struct dd_report *newest = NULL;
	for (size_t i = 0; i < set->n; i++) {
		const struct dd_report *r = set->v[i];
		bool any = false;
		for (size_t k = 0; k < r->nrows && !any; k++)
			any = ev_row_concerns(&r->rows[k], in->domain);
		if (!any)
			continue;
		if (r->end < in->from || r->begin > in->to) {
			e->ignored++;
			continue;
		}
		e->reports++;
		const char *who = r->org_name ? r->org_name : r->email ? r->email : "(unnamed)";
		if (!strlist_has(&reporters, who))
			strlist_add_unique(&reporters, who, SIZE_MAX);
		b.quarantine = applies_quarantine(r);
		uint64_t messages = 0;
		for (size_t k = 0; k < r->nrows; k++)
			if (ev_row_concerns(&r->rows[k], in->domain)) {
				add_row(&b, r, &r->rows[k], e);
				messages += r->rows[k].count;
			}
		ev_series_report(e, who, messages);
		mark_days(days, ndays, in->from, r->begin, r->end);
		if (b.quarantine)
			mark_days(qdays, ndays, in->from, r->begin, r->end);
		if (is(r->testing, "y"))
			mark_days(tdays, ndays, in->from, r->begin, r->end);
		bool ours = r->domain && strcmp(r->domain, in->domain) == 0;
		bool newest_ours =
		        newest && newest->domain && strcmp(newest->domain, in->domain) == 0;
		if (!newest || (ours && !newest_ours) ||
		    (ours == newest_ours && r->end > newest->end))
			newest = r;
	}
	e->reporters = reporters.n;
	dd_strlist_finish(&reporters);
	e->days = count_days(days, ndays);
	e->quarantine_days = count_days(qdays, ndays);
	e->testing_days = count_days(tdays, ndays);
	free(days);
	free(qdays);
	free(tdays);
	free(memo);
	if (e->reports == 0) {
		dd_evidence_destroy(e);
		free(b.g);
		return NULL;
	}
	if (newest) {
		e->seen_policy = newest->p ? xstrdup(newest->p) : NULL;
		e->seen_testing = is(newest->testing, "y");
		e->seen_at = newest->end;
	}
	e->enough = e->days >= DD_EVIDENCE_MIN_DAYS && e->reporters >= DD_EVIDENCE_MIN_REPORTERS &&
	            e->messages >= DD_EVIDENCE_MIN_MESSAGES;
	e->senders = xcalloc(b.n ? b.n : 1, sizeof(*e->senders));
	for (size_t i = 0; i < b.n; i++) {
		settle(&b.g[i], e->messages, e->quarantine_messages);
		e->senders[i] = b.g[i].s;
	}
	e->nsenders = b.n;
	free(b.g);
	qsort(e->senders, e->nsenders, sizeof(*e->senders), sender_order);
	ev_series_finish(e);
	return e;
}

void dd_evidence_destroy(struct dd_evidence *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nsenders; i++) {
		struct dd_evidence_sender *s = &e->senders[i];
		free(s->name);
		free(s->subdomain);
		free(s->fix_detail);
		dd_strlist_finish(&s->dkim_domains);
		dd_strlist_finish(&s->spf_domains);
		dd_strlist_finish(&s->sources);
	}
	free(e->senders);
	dd_strlist_finish(&e->selectors);
	free(e->seen_policy);
	ev_series_destroy(e);
	free(e->domain);
	free(e);
}

char *dd_evidence_fix(const struct dd_evidence *e, const struct dd_evidence_sender *s,
                      enum dd_lang lang)
{
	if (s->cls != DD_CLASS_FIXABLE)
		return NULL;
	char *args[2] = { s->subdomain ? s->subdomain : e->domain, s->name };
	const struct dd_text *t = s->service
	                                  ? &s->service->fix
	                                  : &dd_finding_def_find("reports.sender-not-aligned")->fix;
	return dd_text_format(t, lang, args, 2);
}

/* ------------------------------------------------- for the DKIM probes */

void dd_report_selectors(const struct dd_report_set *set, const char *domain, size_t max,
                         struct dd_strlist *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; set && i < set->n; i++)
		for (size_t k = 0; k < set->v[i]->nrows; k++) {
			const struct dd_report_row *row = &set->v[i]->rows[k];
			for (size_t j = 0; j < row->ndkim; j++)
				if (row->dkim[j].selector && row->dkim[j].domain &&
				    dd_strcaseeq(row->dkim[j].domain, domain))
					strlist_add_unique(out, row->dkim[j].selector, max);
		}
}

bool dd_ptr_name(const char *ip, char *out, size_t outsz)
{
	/* written straight into out: the evidence asks this of every row's
	 * source, and snprintf/strbuf were a fifth of dd_evidence_build() */
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	char name[DD_NAME_MAX + 1];
	size_t n = 0;
	if (inet_pton(AF_INET, ip, b) == 1) {
		for (int i = 3; i >= 0; i--) {
			unsigned v = b[i];
			if (v >= 100)
				name[n++] = (char)('0' + v / 100);
			if (v >= 10)
				name[n++] = (char)('0' + v / 10 % 10);
			name[n++] = (char)('0' + v % 10);
			name[n++] = '.';
		}
		memcpy(name + n, "in-addr.arpa", sizeof("in-addr.arpa"));
		n += sizeof("in-addr.arpa") - 1;
	} else if (inet_pton(AF_INET6, ip, b) == 1) {
		for (int i = 15; i >= 0; i--) {
			name[n++] = hex[b[i] & 0xf];
			name[n++] = '.';
			name[n++] = hex[b[i] >> 4];
			name[n++] = '.';
		}
		memcpy(name + n, "ip6.arpa", sizeof("ip6.arpa"));
		n += sizeof("ip6.arpa") - 1;
	} else {
		return false;
	}
	if (n >= outsz)
		return false;
	memcpy(out, name, n + 1);
	return true;
}
