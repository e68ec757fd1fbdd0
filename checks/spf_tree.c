/*
 * spf_tree.c: the whole expanded SPF tree of a domain, walked over the
 * posture's answers, and what it costs (RFC 7208 §4.6.4).
 *
 * Counting rules (README "SPF lookup accounting" says the same for users):
 *  - lookups: every include, a, mx, ptr, exists and (effective) redirect
 *    term of every record in the tree, each time it is reached: an include
 *    referenced twice is counted twice, as a receiver evaluates it twice.
 *    The include/redirect term itself counts 1, and its target's terms are
 *    added. A DNS-querying term with a bad argument ("include:x.test~all")
 *    counts too - it is one to a hand count - but asks nothing. We keep counting past 10 so the user sees how far over it is.
 *    A redirect beside an all mechanism is ignored by receivers (§6.1) and
 *    not counted. exp= is not counted (§4.6.4). The address lookups of mx
 *    hosts and ptr names are not terms (they have their own limit of 10).
 *  - void lookups: a term whose query is answered NXDOMAIN or NODATA
 *    (§4.6.4): an include/redirect target without TXT records, an a: or
 *    exists: name without an A record, an mx: name without MX records, and
 *    each mx host without an A record (as pyspf and checkdmarc count them).
 *    Addresses are judged for IPv4 clients, which is what receivers ask for
 *    most mail: an a: whose name has only AAAA records is void (the tree
 *    says so). A null MX answers one record and is not void. A TXT answer
 *    holding only non-SPF strings is not void, but the include is still a
 *    permerror.
 *  - not resolved: a term whose domain-spec needs the sending client (%{i},
 *    %{s}, %{l}, %{h}, %{p}, ...) is counted, its lookup is not made; the
 *    void lookups of such terms and of ptr depend on the client and are not
 *    counted. An include or redirect target that is not resolved, failed
 *    (SERVFAIL, timeout), or was cut by a cap makes the counts lower bounds.
 *
 * Where the benchmark world's generator (bench/gen-zones, `truth`) differs:
 * it counts a null MX as void and mx hosts never; we follow the RFC text
 * (a null MX answers one record) and the reference implementation pyspf
 * (an mx host without an address is a void lookup).
 *
 * The walk is bounded: at most MAX_NODES include/redirect records, at most
 * MAX_PATH deep, and a name already on the path from the root is a loop.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/spf.h"

#define MAX_NODES 512
#define MAX_PATH  32

struct walk {
	const struct dd_posture *p;
	struct dd_findings *fs;
	struct dd_spf_client client; /* the posture view: no client IP */
	const char *path[MAX_PATH];  /* record names from the root to the current one */
	size_t depth;
	size_t nodes;
	/* "id|name" keys of findings already made: an open-addressing set, kept at
	 * most half full, because a hostile tree makes one key per term */
	char **reported;
	size_t nreported, reported_cap;
};

const char *dd_spf_node_status_name(enum dd_spf_node_status s)
{
	switch (s) {
	case DD_SPF_NODE_OK: return "ok";
	case DD_SPF_NODE_VOID: return "void";
	case DD_SPF_NODE_NO_RECORD: return "no-record";
	case DD_SPF_NODE_MULTIPLE: return "multiple";
	case DD_SPF_NODE_FAILED: return "failed";
	case DD_SPF_NODE_LOOP: return "loop";
	case DD_SPF_NODE_UNRESOLVED: return "unresolved";
	case DD_SPF_NODE_INVALID: return "invalid";
	case DD_SPF_NODE_NOT_FOLLOWED: return "not-followed";
	}
	return "?";
}

void dd_spf_node_finish(struct dd_spf_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nchildren; i++)
		dd_spf_node_finish(&n->children[i]);
	for (size_t i = 0; i < n->nvoids; i++)
		dd_words_finish(&n->voids[i]);
	free(n->voids);
	free(n->children);
	free(n->name);
	free(n->term);
	free(n->record);
	memset(n, 0, sizeof(*n));
}

/* The slot holding key, or the empty slot where it belongs (linear probing). */
static char **reported_slot(char **set, size_t cap, const char *key)
{
	size_t mask = cap - 1, h = dd_hash(key, strlen(key), 0) & mask;
	while (set[h] && strcmp(set[h], key) != 0)
		h = (h + 1) & mask;
	return &set[h];
}

/* True the first time (id, name) is seen: each finding is made once per record. */
static bool first_time(struct walk *w, const char *id, const char *name)
{
	if ((w->nreported + 1) * 2 > w->reported_cap) {
		size_t cap = w->reported_cap ? w->reported_cap * 2 : 64;
		char **set = xcalloc(cap, sizeof(*set));
		for (size_t i = 0; i < w->reported_cap; i++)
			if (w->reported[i])
				*reported_slot(set, cap, w->reported[i]) = w->reported[i];
		free(w->reported);
		w->reported = set;
		w->reported_cap = cap;
	}
	char *key = xasprintf("%s|%s", id, name);
	char **slot = reported_slot(w->reported, w->reported_cap, key);
	if (*slot) {
		free(key);
		return false;
	}
	*slot = key;
	w->nreported++;
	return true;
}

static void add_chain(const struct walk *w, struct dd_finding *f, const char *last)
{
	for (size_t i = 0; i < w->depth; i++)
		dd_finding_add_chain(f, w->path[i]);
	if (last && (w->depth == 0 || strcmp(w->path[w->depth - 1], last) != 0))
		dd_finding_add_chain(f, last);
}

static void add_void(struct dd_spf_node *n, char *en, char *ja)
{
	n->voids = xrealloc(n->voids, (n->nvoids + 1) * sizeof(*n->voids));
	n->voids[n->nvoids++] = (struct dd_words){ en, ja };
	n->void_lookups++;
}

static bool on_path(const struct walk *w, const char *name)
{
	for (size_t i = 0; i < w->depth; i++)
		if (strcmp(w->path[i], name) == 0)
			return true;
	return false;
}

enum look {
	LOOK_OK,
	LOOK_VOID,    /* NXDOMAIN or NODATA */
	LOOK_FAILED,  /* SERVFAIL, timeout, refused */
	LOOK_MISSING, /* not asked: a cap, or offline */
};

static enum look look(const struct dd_answer *a)
{
	if (!a || a->status == DD_DNS_UNKNOWN)
		return LOOK_MISSING;
	if (dd_dns_status_is_failure(a->status))
		return LOOK_FAILED;
	return a->status == DD_DNS_OK && a->nrrs ? LOOK_OK : LOOK_VOID;
}

static char *term_text(const struct dd_spf_term *t)
{
	return xstrndup(t->text, t->len);
}

/* ------------------------------------------------- record findings */

static bool is_owned(const struct walk *w, const char *name)
{
	return dd_name_is_under(name, w->p->domain);
}

/* ip4/ip6 prefix: "very broad" is /0-/8 for IPv4 and /0-/32 for IPv6. */
static void check_range(struct walk *w, const char *domain, const struct dd_spf_term *t)
{
	bool v4 = t->kind == DD_SPF_IP4;
	int prefix = v4 ? t->cidr4 : t->cidr6;
	int bits = v4 ? 32 : 128;
	if (prefix < 0)
		return;
	char *text = term_text(t);
	char *key = xasprintf("%s %s", domain, text);
	char pfx[16];
	snprintf(pfx, sizeof(pfx), "%d", prefix);
	if (prefix <= (v4 ? 8 : 32) && first_time(w, "spf.broad-range", key)) {
		struct dd_finding *f = dd_findings_add(w->fs, "spf.broad-range", w->p->domain, text,
		                                       domain, pfx, NULL);
		if (prefix == 0)
			f->severity = DD_SEV_ERROR; /* the whole Internet: as bad as +all */
		add_chain(w, f, domain);
		f->column = (uint32_t)t->column;
	}
	/* host bits after the prefix: receivers ignore them, so the range is wider than it reads */
	unsigned char net[16];
	memcpy(net, t->addr, sizeof(net));
	bool host_bits = false;
	for (int b = prefix; b < bits; b++) {
		unsigned char mask = (unsigned char)(0x80 >> (b % 8));
		if (net[b / 8] & mask) {
			host_bits = true;
			net[b / 8] &= (unsigned char)~mask;
		}
	}
	if (host_bits && is_owned(w, domain) && first_time(w, "spf.cidr-host-bits", key)) {
		char addr[INET6_ADDRSTRLEN], shown[INET6_ADDRSTRLEN + 16];
		inet_ntop(v4 ? AF_INET : AF_INET6, net, addr, sizeof(addr));
		snprintf(shown, sizeof(shown), "%s/%d", addr, prefix);
		struct dd_finding *f =
		        dd_findings_add(w->fs, "spf.cidr-host-bits", domain, text, shown, NULL);
		add_chain(w, f, domain);
		f->column = (uint32_t)t->column;
	}
	free(key);
	free(text);
}

/* An unknown modifier named like a mechanism ("include=..."): valid, ignored, surely a typo. */
static bool mechanism_named(const struct dd_spf_term *t)
{
	static const char *const names[] = { "all", "include", "a",   "mx",
		                             "ptr", "ip4",     "ip6", "exists" };
	for (size_t i = 0; i < DD_ARRAY_LEN(names); i++)
		if (strlen(names[i]) == t->name_len &&
		    dd_strncaseeq(t->name, names[i], t->name_len))
			return true;
	return false;
}

/* The evidence of a finding about one record of the tree: its text, the
 * chain of names to it, its place in a zone file, the column of the term
 * (0: the record as a whole). */
static void record_evidence(struct walk *w, struct dd_finding *f, const struct dd_spf_node *node,
                            const char *domain, const struct dd_answer *ans, const struct dd_rr *rr,
                            size_t column)
{
	dd_finding_set_record(f, node->record, node->record_len);
	add_chain(w, f, domain);
	dd_finding_locate(f, ans, rr);
	if (column)
		f->column = (uint32_t)column;
}

static bool modifier_typo(struct walk *w, const char *domain, const struct dd_spf_term *t,
                          const struct dd_spf_node *node, const struct dd_answer *ans,
                          const struct dd_rr *rr)
{
	static const struct dd_text typo_msg = {
		"The SPF record at {1} has \"{3}\" at column {2}: an unknown modifier, which "
		"receivers ignore (RFC 7208 §6); the mechanism with ':' was probably meant.",
		"{1} の SPF レコードの {2} 桁目の \"{3}\" は未知の修飾子で、受信側は無視します "
		"(RFC 7208 §6)。':' を使う機構のつもりだった可能性があります。",
	};
	char col[24];
	snprintf(col, sizeof(col), "%zu", t->column);
	char *text = term_text(t);
	struct dd_finding *f = dd_findings_add(w->fs, "spf.syntax", domain, col, text, NULL);
	free(text);
	f->severity = DD_SEV_WARNING;
	f->message = &typo_msg;
	record_evidence(w, f, node, domain, ans, rr, t->column);
	return true;
}

static void record_findings(struct walk *w, const char *domain, const struct dd_spf_record *rec,
                            const struct dd_spf_node *node, const struct dd_answer *ans,
                            const struct dd_rr *rr)
{
	struct dd_finding *f;
	if (rec->error) {
		char col[24];
		snprintf(col, sizeof(col), "%zu", rec->error_column);
		if (rec->duplicate) {
			f = dd_findings_add(w->fs, "spf.duplicate-modifier", domain, rec->duplicate,
			                    NULL);
		} else {
			f = dd_findings_add(w->fs, "spf.syntax", domain, col, rec->error->en, NULL);
			dd_finding_arg_ja(f, 2, rec->error->ja);
		}
		record_evidence(w, f, node, domain, ans, rr, rec->error_column);
	}
	if (rec->truncated) {
		/* a cap of ours, not of the standard: say where reading stopped */
		char cap[24], col[24];
		snprintf(cap, sizeof(cap), "%d", DD_SPF_MAX_TERMS);
		snprintf(col, sizeof(col), "%zu", rec->unread_column);
		f = dd_findings_add(w->fs, "spf.parse-cap", domain, cap, col, NULL);
		record_evidence(w, f, node, domain, ans, rr, rec->unread_column);
	}
	bool ptr = false, typo = false;
	for (size_t i = 0; i < rec->nterms; i++) {
		const struct dd_spf_term *t = &rec->terms[i];
		if (t->kind == DD_SPF_PTR)
			ptr = true;
		if (t->kind == DD_SPF_MODIFIER && !typo && mechanism_named(t))
			typo = modifier_typo(w, domain, t, node, ans, rr);
		if (t->kind == DD_SPF_IP4 || t->kind == DD_SPF_IP6)
			check_range(w, domain, t);
	}
	if (ptr) {
		f = dd_findings_add(w->fs, "spf.ptr", domain, NULL);
		record_evidence(w, f, node, domain, ans, rr, 0);
	}
	if (rec->all >= 0 && rec->redirect >= 0) {
		const struct dd_spf_term *t = &rec->terms[rec->redirect];
		char *target = xstrndup(t->spec ? t->spec : "", t->spec ? t->spec_len : 0);
		f = dd_findings_add(w->fs, "spf.redirect-ignored", domain, target, NULL);
		free(target);
		record_evidence(w, f, node, domain, ans, rr, t->column);
	}
	/* RFC 7208 §5.1: mechanisms after "all" are never evaluated */
	for (size_t i = rec->all >= 0 ? (size_t)rec->all + 1 : rec->nterms; i < rec->nterms; i++) {
		const struct dd_spf_term *t = &rec->terms[i];
		if (t->kind == DD_SPF_REDIRECT || t->kind == DD_SPF_EXP)
			continue;
		char *text = term_text(t);
		f = dd_findings_add(w->fs, "spf.after-all", domain, text, NULL);
		free(text);
		record_evidence(w, f, node, domain, ans, rr, t->column);
		break;
	}
}

static void unresolved(struct walk *w, const char *domain, const struct dd_spf_term *t)
{
	char *text = term_text(t);
	if (first_time(w, "spf.macro-unresolved", domain)) {
		struct dd_finding *f =
		        dd_findings_add(w->fs, "spf.macro-unresolved", domain, text, NULL);
		add_chain(w, f, domain);
		f->column = (uint32_t)t->column;
	}
	free(text);
}

/* ----------------------------------------------------- the walk */

static void walk_record(struct walk *w, struct dd_spf_node *node, const char *domain,
                        const struct dd_answer *ans, const struct dd_rr *rr);

static void missing_target(struct walk *w, const struct dd_spf_node *child, const char *why_name)
{
	if (!first_time(w, "spf.include-missing", why_name))
		return;
	struct dd_finding *f = dd_findings_add(w->fs, "spf.include-missing", child->name, NULL);
	if (child->redirect) {
		static const struct dd_text redirect_msg = {
			"redirect={1} points at a name with no SPF record; receivers return "
			"permerror.",
			"redirect={1} の先に SPF レコードがありません。受信側は permerror "
			"を返します。",
		};
		f->message = &redirect_msg;
	}
	add_chain(w, f, child->name);
}

static void follow_target(struct walk *w, struct dd_spf_node *parent, const struct dd_spf_term *t,
                          const struct dd_spf_macro_env *env)
{
	struct dd_spf_node child;
	memset(&child, 0, sizeof(child));
	child.term = term_text(t);
	child.redirect = t->kind == DD_SPF_REDIRECT;
	child.lookups = 1;
	char name[DD_NAME_MAX + 1];
	bool valid;
	enum dd_spf_expand st = dd_spf_target(t->spec, t->spec_len, env, name, &valid);
	if (st != DD_SPF_EXPAND_OK || !valid) {
		child.name = xstrndup(t->spec, t->spec_len);
		if (st == DD_SPF_EXPAND_OK || st == DD_SPF_EXPAND_BAD) {
			child.status = DD_SPF_NODE_INVALID;
			missing_target(w, &child, child.name);
		} else {
			child.status = DD_SPF_NODE_UNRESOLVED;
			child.lower_bound = true;
			unresolved(w, env->domain, t);
		}
		goto out;
	}
	child.name = xstrdup(name);
	if (on_path(w, name)) {
		child.status = DD_SPF_NODE_LOOP;
		if (first_time(w, "spf.loop", name)) {
			struct dd_finding *f =
			        dd_findings_add(w->fs, "spf.loop", w->p->domain, name, NULL);
			add_chain(w, f, NULL);
			dd_finding_add_chain(f, name);
		}
		goto out;
	}
	const struct dd_answer *a = dd_posture_answer(w->p, name, DD_RR_TXT);
	const struct dd_rr *rr = NULL;
	size_t n;
	switch (look(a)) {
	case LOOK_MISSING:
		child.status = DD_SPF_NODE_NOT_FOLLOWED;
		child.lower_bound = true;
		break;
	case LOOK_FAILED:
		/* dns.temporary-failure comes from the engine; never "missing" */
		child.status = DD_SPF_NODE_FAILED;
		child.lower_bound = true;
		break;
	case LOOK_VOID:
		child.status = DD_SPF_NODE_VOID;
		child.void_lookups = 1;
		missing_target(w, &child, name);
		break;
	case LOOK_OK:
		n = dd_spf_records(a, &rr);
		if (n == 0) {
			child.status = DD_SPF_NODE_NO_RECORD;
			missing_target(w, &child, name);
		} else if (n > 1) {
			child.status = DD_SPF_NODE_MULTIPLE;
			if (first_time(w, "spf.multiple", name)) {
				char count[24];
				snprintf(count, sizeof(count), "%zu", n);
				struct dd_finding *f =
				        dd_findings_add(w->fs, "spf.multiple", name, count, NULL);
				add_chain(w, f, name);
				dd_finding_locate(f, a, rr);
			}
		} else if (w->nodes >= MAX_NODES || w->depth >= MAX_PATH) {
			child.status = DD_SPF_NODE_NOT_FOLLOWED;
			child.lower_bound = true;
		} else {
			child.record = xstrndup(rr->data, rr->len);
			child.record_len = rr->len;
			w->nodes++;
			w->path[w->depth++] = child.name;
			walk_record(w, &child, child.name, a, rr);
			w->depth--;
		}
		break;
	}
out:
	parent->lookups += child.lookups;
	parent->void_lookups += child.void_lookups;
	parent->lower_bound |= child.lower_bound;
	parent->children =
	        xrealloc(parent->children, (parent->nchildren + 1) * sizeof(*parent->children));
	parent->children[parent->nchildren++] = child;
}

/*
 * The name an a, mx or exists term asks about: its domain-spec expanded, or
 * the current domain when it has none. False when nothing is asked: a macro
 * needs the client (recorded as unresolved), or the result is no DNS name
 * (nothing is asked, and nothing matches).
 */
static bool term_name(struct walk *w, const struct dd_spf_term *t,
                      const struct dd_spf_macro_env *env, char name[DD_NAME_MAX + 1])
{
	if (!t->spec)
		return dd_spf_name(env->domain, strlen(env->domain), name);
	bool valid;
	enum dd_spf_expand st = dd_spf_target(t->spec, t->spec_len, env, name, &valid);
	if (st == DD_SPF_EXPAND_NEEDS_CLIENT || st == DD_SPF_EXPAND_NEEDS_PTR) {
		unresolved(w, env->domain, t);
		return false;
	}
	return st == DD_SPF_EXPAND_OK && valid;
}

/* a and exists: an A lookup (IPv4 view); an a: with only AAAA records is still void. */
static void count_address(struct walk *w, struct dd_spf_node *node, const struct dd_spf_term *t,
                          const struct dd_spf_macro_env *env)
{
	char name[DD_NAME_MAX + 1];
	if (!term_name(w, t, env, name))
		return;
	enum look l = look(dd_posture_answer(w->p, name, DD_RR_A));
	if (l == LOOK_MISSING || l == LOOK_FAILED) {
		node->lower_bound = true;
		return;
	}
	if (l != LOOK_VOID)
		return;
	char *text = term_text(t);
	bool v6 = t->kind == DD_SPF_A && look(dd_posture_answer(w->p, name, DD_RR_AAAA)) == LOOK_OK;
	if (v6)
		add_void(
		        node,
		        xasprintf("%s (%s has only AAAA records: void for IPv4 senders)", text,
		                  name),
		        xasprintf(
		                "%s (%s には AAAA レコードしかなく、IPv4 の送信元には空の参照です)",
		                text, name));
	else
		add_void(node, xasprintf("%s (%s has no A record)", text, name),
		         xasprintf("%s (%s に A レコードがありません)", text, name));
	free(text);
}

static void count_mx(struct walk *w, struct dd_spf_node *node, const struct dd_spf_term *t,
                     const struct dd_spf_macro_env *env)
{
	char name[DD_NAME_MAX + 1];
	if (!term_name(w, t, env, name))
		return;
	const struct dd_answer *a = dd_posture_answer(w->p, name, DD_RR_MX);
	enum look l = look(a);
	char *text = term_text(t);
	if (l == LOOK_MISSING || l == LOOK_FAILED) {
		node->lower_bound = true;
	} else if (l == LOOK_VOID) {
		add_void(node, xasprintf("%s (%s has no MX records)", text, name),
		         xasprintf("%s (%s に MX レコードがありません)", text, name));
	} else if (a->nrrs > DD_SPF_MAX_NAMES) {
		/* RFC 7208 §4.6.4: more than 10 MX names is a permerror; none is looked up */
		if (first_time(w, "spf.mx-limit", name)) {
			char count[24];
			snprintf(count, sizeof(count), "%zu", a->nrrs);
			struct dd_finding *f = dd_findings_add(w->fs, "spf.mx-limit", env->domain,
			                                       text, count, NULL);
			add_chain(w, f, env->domain);
			f->column = (uint32_t)t->column;
		}
	} else {
		for (size_t i = 0; i < a->nrrs; i++) {
			char host[DD_NAME_MAX + 1];
			if (!dd_spf_name(a->rrs[i].data, a->rrs[i].len, host))
				continue; /* a null MX ("."): nothing to look up */
			enum look h = look(dd_posture_answer(w->p, host, DD_RR_A));
			if (h == LOOK_MISSING || h == LOOK_FAILED)
				node->lower_bound = true;
			else if (h == LOOK_VOID)
				add_void(node,
				         xasprintf("%s (MX host %s has no A record)", text, host),
				         xasprintf("%s (MX ホスト %s に A レコードがありません)",
				                   text, host));
		}
	}
	free(text);
}

static void invalid_target(struct dd_spf_node *parent, const struct dd_spf_term *t)
{
	parent->children =
	        xrealloc(parent->children, (parent->nchildren + 1) * sizeof(*parent->children));
	struct dd_spf_node *c = &parent->children[parent->nchildren++];
	memset(c, 0, sizeof(*c));
	c->term = term_text(t);
	c->name = xstrdup(c->term);
	c->redirect = t->kind == DD_SPF_REDIRECT;
	c->status = DD_SPF_NODE_INVALID;
	c->lookups = 1;
	parent->lookups++;
}

static void walk_record(struct walk *w, struct dd_spf_node *node, const char *domain,
                        const struct dd_answer *ans, const struct dd_rr *rr)
{
	struct dd_spf_record rec;
	dd_spf_parse(node->record, node->record_len, &rec);
	if (first_time(w, "record", domain))
		record_findings(w, domain, &rec, node, ans, rr);
	if (rec.truncated) {
		node->lower_bound = true;
		node->unread = true;
	}
	node->has_all = rec.all >= 0;
	if (node->has_all)
		node->all = rec.terms[rec.all].qualifier;
	struct dd_spf_macro_env env = { &w->client, domain, NULL };
	for (size_t i = 0; i < rec.nterms; i++) {
		const struct dd_spf_term *t = &rec.terms[i];
		if (!dd_spf_kind_queries_dns(t->kind))
			continue;
		/* RFC 7208 §6.1: a redirect beside "all" is ignored; a second one is an error */
		if (t->kind == DD_SPF_REDIRECT && (rec.all >= 0 || (long)i != rec.redirect))
			continue;
		node->own_lookups++;
		if (t->invalid) {
			/* counted as written; its syntax error is reported, nothing is asked */
			if (t->kind == DD_SPF_INCLUDE || t->kind == DD_SPF_REDIRECT)
				invalid_target(node, t);
			else
				node->lookups++;
			continue;
		}
		switch (t->kind) {
		case DD_SPF_INCLUDE:
		case DD_SPF_REDIRECT:
			follow_target(w, node, t, &env);
			node->children[node->nchildren - 1].after_all =
			        rec.all >= 0 && (long)i > rec.all;
			break;
		case DD_SPF_A:
		case DD_SPF_EXISTS:
			node->lookups++;
			count_address(w, node, t, &env);
			break;
		case DD_SPF_MX:
			node->lookups++;
			count_mx(w, node, t, &env);
			break;
		default: node->lookups++; break; /* ptr: its answers depend on the client */
		}
	}
	dd_spf_record_finish(&rec);
}

void dd_spf_tree_build(const struct dd_posture *p, const struct dd_answer *ans,
                       const struct dd_rr *rr, struct dd_spf_node *root, struct dd_findings *fs)
{
	struct walk w;
	memset(&w, 0, sizeof(w));
	w.p = p;
	w.fs = fs;
	dd_spf_client_init(&w.client, p->domain, NULL, NULL, NULL);
	memset(root, 0, sizeof(*root));
	root->name = xstrdup(p->domain);
	root->record = xstrndup(rr->data, rr->len);
	root->record_len = rr->len;
	w.path[w.depth++] = root->name;
	/* a cap of the engine shows here as answers that are missing (lower bounds) */
	walk_record(&w, root, root->name, ans, rr);
	for (size_t i = 0; i < w.reported_cap; i++)
		free(w.reported[i]);
	free(w.reported);
}
