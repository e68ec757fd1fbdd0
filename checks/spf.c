/*
 * spf.c: the SPF check (RFC 7208).
 *
 * Asks: TXT and the obsolete SPF type (99) of the domain; then, as answers
 * arrive, what the records make a receiver look up - TXT of include: and
 * redirect= targets, A and AAAA of a/a: names, MX of mx/mx: names and A and
 * AAAA of their first 10 hosts, A of exists: names. With --ip also the PTR
 * of the client and the addresses of its first 10 PTR names (ptr, %{p}),
 * and the TXT of exp= targets. The engine asks each name once per domain;
 * the judge walks the tree again from the answers, and counts there.
 *
 * Judges: exactly one v=spf1 TXT record (§4.5); the whole expanded tree,
 * its lookup and void counts and the findings about its records
 * (spf_tree.c); the effective all (+all, ?all, none); the record's size
 * (§3.4); Sender ID and SPF-type records beside it; and, with --ip,
 * check_host() for that client (spf_eval.c).
 *
 * Deliberately left to others: DNS failures (the engine reports each failed
 * query as dns.temporary-failure; a failure is never a missing record - it
 * leaves SPF undetermined, or the counts lower bounds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/util.h"

/* RFC 7208 §3.4: keep the record small enough for its answer to fit 512 octets of UDP. */
#define RECORD_SIZE_LIMIT 450

const struct dd_check dd_check_spf;

static uint32_t spf_bit(void)
{
	for (size_t i = 0; i < dd_nchecks; i++)
		if (dd_checks[i] == &dd_check_spf)
			return 1u << i;
	return 0;
}

/*
 * The questions of one wants() or follow() call. A record may name a
 * thousand hosts, and follow_validated() reads every record of the tree
 * again at once, so the questions already added are found through a hash
 * index over out->v, not by scanning it.
 */
struct asks {
	const struct dd_posture *p;
	struct dd_wants *out;
	size_t *slots; /* 1 + an index into out->v; 0 when empty; at most half full */
	size_t nslots;
};

static void asks_finish(struct asks *a)
{
	free(a->slots);
}

/* The slot of (name, type) in the index: where it is, or the empty one where it belongs. */
static size_t *asks_slot(const struct asks *a, const char *name, uint16_t type)
{
	size_t mask = a->nslots - 1, h = dd_hash(name, strlen(name), type) & mask;
	for (;; h = (h + 1) & mask) {
		size_t *slot = &a->slots[h];
		const struct dd_want *w = *slot ? &a->out->v[*slot - 1] : NULL;
		if (!w || (w->type == type && strcmp(w->name, name) == 0))
			return slot;
	}
}

/*
 * Ask (name, type) unless this check asked it already, or asks it in this
 * same answer. The name is normalised with SPF's rules (a macro can put any
 * printable character in a label); one that is no DNS name is not asked.
 */
static void want(struct asks *a, const char *name, uint16_t type)
{
	char norm[DD_NAME_MAX + 1];
	if (!dd_spf_name(name, strlen(name), norm))
		return;
	long qi = dd_posture_find(a->p, norm, type);
	if (qi >= 0 && (a->p->queries[qi].askers & spf_bit()))
		return;
	struct dd_wants *out = a->out;
	if ((out->n + 1) * 2 > a->nslots) {
		free(a->slots);
		a->nslots = a->nslots ? a->nslots * 2 : 64;
		a->slots = xcalloc(a->nslots, sizeof(*a->slots));
		for (size_t i = 0; i < out->n; i++)
			*asks_slot(a, out->v[i].name, out->v[i].type) = i + 1;
	}
	size_t *slot = asks_slot(a, norm, type);
	if (*slot)
		return;
	out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	memcpy(out->v[out->n].name, norm, strlen(norm) + 1);
	out->v[out->n].type = type;
	*slot = ++out->n;
}

static void spf_wants(const struct dd_posture *p, struct dd_wants *out)
{
	struct asks a = { p, out, NULL, 0 };
	want(&a, p->domain, DD_RR_TXT);
	/* RFC 7208 §3.1: type 99 is obsolete; asked only to tell the owner to drop it */
	want(&a, p->domain, DD_RR_SPF);
	asks_finish(&a);
}

/* ------------------------------------------------------------ follow */

static void client_of(const struct dd_posture *p, struct dd_spf_client *c)
{
	const struct dd_check_options *o = p->opts;
	if (!o || !o->ip || !dd_spf_client_init(c, p->domain, o->ip, o->sender, o->helo))
		dd_spf_client_init(c, p->domain, NULL, NULL, NULL);
}

static void want_ptr(struct asks *a, const struct dd_spf_client *c)
{
	char rev[DD_NAME_MAX + 1];
	if (!c->has_ip)
		return;
	dd_spf_reverse_name(c, rev);
	want(a, rev, DD_RR_PTR);
}

/* The name a term asks about, when its macros can be expanded now. */
static bool term_target(struct asks *a, const struct dd_spf_client *c, const struct dd_spf_term *t,
                        const struct dd_spf_macro_env *env, char name[DD_NAME_MAX + 1])
{
	bool valid;
	if (!t->spec)
		return dd_spf_name(env->domain, strlen(env->domain), name);
	enum dd_spf_expand st = dd_spf_target(t->spec, t->spec_len, env, name, &valid);
	if (st == DD_SPF_EXPAND_NEEDS_PTR)
		want_ptr(a, c); /* asked again once the PTR names are validated */
	return st == DD_SPF_EXPAND_OK && valid;
}

static bool mentions_p(const struct dd_rr *rr)
{
	for (size_t i = 0; i + 2 < rr->len; i++)
		if (rr->data[i] == '%' && rr->data[i + 1] == '{' && (rr->data[i + 2] | 0x20) == 'p')
			return true;
	return false;
}

/* An answer to TXT <domain>: what the SPF record in it makes a receiver ask. */
static void follow_txt(struct asks *a, const struct dd_spf_client *c, const char *domain,
                       const struct dd_answer *ans)
{
	for (size_t i = 0; c->has_ip && i < ans->nrrs; i++)
		if (mentions_p(&ans->rrs[i]))
			want_ptr(a, c); /* %{p} in a record or in exp= text */
	const struct dd_rr *rr;
	if (dd_spf_records(ans, &rr) != 1)
		return; /* none, or several: permerror, nothing is evaluated */
	char validated[DD_NAME_MAX + 1];
	struct dd_spf_macro_env env = { c, domain, NULL };
	if (dd_spf_validated_name(a->p, c, domain, validated))
		env.validated = validated;
	struct dd_spf_record rec;
	dd_spf_parse(rr->data, rr->len, &rec);
	for (size_t i = 0; i < rec.nterms; i++) {
		const struct dd_spf_term *t = &rec.terms[i];
		char name[DD_NAME_MAX + 1];
		if (t->invalid)
			continue; /* nothing can be asked for it */
		switch (t->kind) {
		case DD_SPF_REDIRECT:
		case DD_SPF_INCLUDE:
			/* §6.1: a redirect beside all is ignored; a second one is an error (§6) */
			if (t->kind == DD_SPF_REDIRECT && (rec.all >= 0 || (long)i != rec.redirect))
				break;
			if (term_target(a, c, t, &env, name))
				want(a, name, DD_RR_TXT);
			break;
		case DD_SPF_A:
			if (term_target(a, c, t, &env, name)) {
				want(a, name, DD_RR_A);
				want(a, name, DD_RR_AAAA);
			}
			break;
		case DD_SPF_MX:
			if (term_target(a, c, t, &env, name))
				want(a, name, DD_RR_MX);
			break;
		case DD_SPF_EXISTS:
			if (term_target(a, c, t, &env, name))
				want(a, name, DD_RR_A); /* §5.7: always A */
			break;
		case DD_SPF_PTR: want_ptr(a, c); break;
		case DD_SPF_EXP:
			/* only check_host() shows an explanation; it does not count (§4.6.4) */
			if (c->has_ip && term_target(a, c, t, &env, name))
				want(a, name, DD_RR_TXT);
			break;
		default: break;
		}
	}
	dd_spf_record_finish(&rec);
}

/* Once every PTR name is validated, the records that use %{p} can be followed. */
static void follow_validated(struct asks *a, const struct dd_spf_client *c)
{
	const struct dd_posture *p = a->p;
	char scratch[DD_NAME_MAX + 1];
	if (!dd_spf_validated_name(p, c, p->domain, scratch))
		return;
	uint32_t bit = spf_bit();
	for (size_t i = 0; i < p->nqueries; i++) {
		const struct dd_query *q = &p->queries[i];
		if (q->type == DD_RR_TXT && (q->askers & bit) && q->answer &&
		    q->answer->status == DD_DNS_OK)
			follow_txt(a, c, q->name, q->answer);
	}
}

/* Is (name, type) one of the address lookups that validate the client's PTR names? */
static bool validates_ptr(const struct dd_posture *p, const struct dd_spf_client *c,
                          const char *name, uint16_t type)
{
	char rev[DD_NAME_MAX + 1];
	if (type != (c->family == 4 ? DD_RR_A : DD_RR_AAAA))
		return false;
	dd_spf_reverse_name(c, rev);
	const struct dd_answer *a = dd_posture_answer(p, rev, DD_RR_PTR);
	for (size_t i = 0; a && i < a->nrrs && i < DD_SPF_MAX_NAMES; i++) {
		char host[DD_NAME_MAX + 1];
		if (dd_spf_name(a->rrs[i].data, a->rrs[i].len, host) && strcmp(host, name) == 0)
			return true;
	}
	return false;
}

/*
 * May the hosts of the MX answer qi (over §4.6.4's 10) be looked up for the
 * repair? Only while the over-limit MX answers met so far, this one too,
 * hold at most DD_SPF_MX_REPAIR_HOSTS hosts in all: a record of many such
 * mx terms then costs at most 2 x 50 questions, and never crowds out the
 * lookups receivers make.
 */
static bool mx_repair_budget(const struct dd_posture *p, size_t qi)
{
	uint32_t bit = spf_bit();
	size_t hosts = p->queries[qi].answer->nrrs;
	for (size_t i = 0; i < p->nqueries; i++) {
		const struct dd_query *q = &p->queries[i];
		if (i != qi && q->type == DD_RR_MX && (q->askers & bit) && q->answer &&
		    q->answer->status == DD_DNS_OK && q->answer->nrrs > DD_SPF_MAX_NAMES)
			hosts += q->answer->nrrs;
	}
	return hosts <= DD_SPF_MX_REPAIR_HOSTS;
}

static void spf_follow(const struct dd_posture *p, size_t qi, struct dd_wants *out)
{
	const struct dd_query *q = &p->queries[qi];
	const struct dd_answer *ans = q->answer;
	struct dd_spf_client c;
	client_of(p, &c);
	struct asks a = { p, out, NULL, 0 };
	bool ok = ans && ans->status == DD_DNS_OK;
	switch (q->type) {
	case DD_RR_TXT:
		if (ok)
			follow_txt(&a, &c, q->name, ans);
		break;
	case DD_RR_MX:
		/* RFC 7208 §4.6.4: over 10 MX names is a permerror and receivers look up
		 * no host; up to DD_SPF_MX_REPAIR_HOSTS are still asked for the repair,
		 * which writes their addresses in the mx's place (spf_repair_mx.c) */
		if (ok && ans->nrrs > DD_SPF_MAX_NAMES && !mx_repair_budget(p, qi))
			break;
		for (size_t i = 0; ok && i < ans->nrrs; i++) {
			want(&a, ans->rrs[i].data, DD_RR_A);
			want(&a, ans->rrs[i].data, DD_RR_AAAA);
		}
		break;
	case DD_RR_PTR:
		for (size_t i = 0; ok && i < ans->nrrs && i < DD_SPF_MAX_NAMES; i++)
			want(&a, ans->rrs[i].data, c.family == 4 ? DD_RR_A : DD_RR_AAAA);
		if (c.has_ip)
			follow_validated(&a, &c);
		break;
	case DD_RR_A:
	case DD_RR_AAAA:
		if (c.has_ip && validates_ptr(p, &c, q->name, q->type))
			follow_validated(&a, &c);
		break;
	default: break;
	}
	asks_finish(&a);
}

/* ------------------------------------------------------------- judge */

static const char *all_text(enum dd_spf_qualifier q)
{
	static const char *const text[] = { "+all", "-all", "~all", "?all" };
	return text[q];
}

/*
 * The record whose all decides for unlisted hosts: this one, or the one its
 * redirect leads to (§6.1; the tree holds a redirect child only where the
 * redirect is not ignored). Without an all, the last record on that way.
 */
static const struct dd_spf_node *effective_all(const struct dd_spf_node *n)
{
	for (int hops = 0; n->record && !n->has_all && hops < 16; hops++) {
		const struct dd_spf_node *next = NULL;
		for (size_t i = 0; i < n->nchildren; i++)
			if (n->children[i].redirect)
				next = &n->children[i];
		if (!next || next->status != DD_SPF_NODE_OK)
			return next ? next : n; /* a missing target is reported on its own */
		n = next;
	}
	return n;
}

/*
 * An included record ending in +all passes every host: so does the include,
 * wherever it sits - in the domain's record, an included one, or a record a
 * redirect= leads to (whose own all is judge_all's).
 */
static void plus_all_includes(const struct dd_posture *p, const struct dd_spf_node *n,
                              struct dd_result *r)
{
	static const struct dd_text include_msg = {
		"{2} in the SPF tree of {1} leads to a record ending in +all, so every host on the "
		"Internet passes SPF for {1}.",
		"{1} の SPF の {2} の先のレコードが +all で終わっているため、インターネット上の"
		"すべてのホストが {1} の SPF に合格します。",
	};
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct dd_spf_node *c = &n->children[i];
		/* -include, ~include, ?include: a pass below does not pass the host;
		 * after the all, the include is never evaluated */
		if (c->status != DD_SPF_NODE_OK || c->after_all || c->term[0] == '-' ||
		    c->term[0] == '~' || c->term[0] == '?')
			continue;
		if (c->redirect) {
			plus_all_includes(p, c, r);
			continue;
		}
		bool plus = c->has_all && c->all == DD_SPF_Q_PASS;
		if (plus && !dd_findings_has(&r->findings, "spf.plus-all")) {
			struct dd_finding *f = dd_findings_add(&r->findings, "spf.plus-all",
			                                       p->domain, c->term, NULL);
			f->message = &include_msg;
			dd_finding_add_chain(f, p->domain);
			dd_finding_add_chain(f, c->name);
			return;
		}
		plus_all_includes(p, c, r);
	}
}

static void judge_all(const struct dd_posture *p, struct dd_result *r)
{
	const struct dd_spf_node *decider = effective_all(r->spf.tree);
	struct dd_finding *f = NULL;
	if (!decider->has_all) {
		static const struct dd_text via_redirect = {
			"The SPF record of {1} redirects to {2}, which has no all mechanism, so "
			"mail "
			"from unlisted hosts gets neutral.",
			"{1} の SPF レコードのリダイレクト先 {2} に all "
			"がないため、記載のないホストから"
			"のメールは neutral になります。",
		};
		if (decider->status != DD_SPF_NODE_OK)
			return; /* a redirect that leads nowhere is reported on its own */
		if (decider->unread)
			return; /* the all may be in the part not read: spf.parse-cap says so */
		f = dd_findings_add(&r->findings, "spf.no-all", p->domain, decider->name, NULL);
		if (decider != r->spf.tree)
			f->message = &via_redirect;
	} else {
		r->spf.all = all_text(decider->all);
		if (decider->all == DD_SPF_Q_PASS)
			f = dd_findings_add(&r->findings, "spf.plus-all", p->domain, NULL);
		else if (decider->all == DD_SPF_Q_NEUTRAL)
			f = dd_findings_add(&r->findings, "spf.neutral-all", p->domain, NULL);
	}
	if (f) {
		dd_finding_set_record(f, decider->record, decider->record_len);
		dd_finding_add_chain(f, p->domain);
		if (decider != r->spf.tree)
			dd_finding_add_chain(f, decider->name);
	}
	plus_all_includes(p, r->spf.tree, r); /* the tree is bounded (spf_tree.c) */
}

static void judge_counts(const struct dd_posture *p, struct dd_result *r,
                         const struct dd_answer *ans, const struct dd_rr *rr)
{
	static const struct dd_text at_least = {
		"The SPF record of {1} needs at least {2} DNS lookups (part of its tree could not "
		"be "
		"counted); receivers stop at 10 and return permerror.",
		"{1} の SPF レコードは DNS 参照が少なくとも {2} 回必要です (一部は数えられません"
		"でした)。受信側は 10 回で打ち切り permerror を返します。",
	};
	struct dd_spf_info *info = &r->spf;
	char n[24];
	if (info->lookups > DD_SPF_MAX_LOOKUPS) {
		snprintf(n, sizeof(n), "%d", info->lookups);
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "spf.lookup-limit", p->domain, n, NULL);
		if (info->lower_bound)
			f->message = &at_least;
		dd_finding_set_record(f, info->record, info->record_len);
		dd_finding_locate(f, ans, rr);
	}
	if (info->void_lookups > DD_SPF_MAX_VOID) {
		snprintf(n, sizeof(n), "%d", info->void_lookups);
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "spf.void-limit", p->domain, n, NULL);
		dd_finding_set_record(f, info->record, info->record_len);
		dd_finding_locate(f, ans, rr);
	}
	if (info->record_len > RECORD_SIZE_LIMIT) {
		snprintf(n, sizeof(n), "%zu", info->record_len);
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "spf.record-too-long", p->domain, n, NULL);
		dd_finding_locate(f, ans, rr);
	}
}

/* Records beside the v=spf1 one that receivers ignore: Sender ID (spf2.0/) and type 99. */
static void judge_obsolete(const struct dd_posture *p, struct dd_result *r,
                           const struct dd_answer *txt)
{
	static const struct dd_text only_type99 = {
		"{1} publishes its SPF policy only as an SPF-type (99) record; RFC 7208 removed "
		"that "
		"type and receivers read TXT only, so they see no SPF record.",
		"{1} は SPF ポリシーを SPF タイプ (99) のレコードだけで公開しています。RFC 7208 で"
		"このタイプは廃止され、受信側は TXT しか読まないため SPF レコードがないものと"
		"扱われます。",
	};
	for (size_t i = 0; txt && i < txt->nrrs; i++) {
		const struct dd_rr *rr = &txt->rrs[i];
		if (!dd_memcaseprefix(rr->data, rr->len, "spf2.0/"))
			continue;
		char *text = xstrndup(rr->data, rr->len < 40 ? rr->len : 40);
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "spf.spf2-record", p->domain, text, NULL);
		free(text);
		dd_finding_set_record(f, rr->data, rr->len);
		dd_finding_locate(f, txt, rr);
		break;
	}
	const struct dd_answer *t99 = dd_posture_answer(p, p->domain, DD_RR_SPF);
	const struct dd_rr *rr99;
	if (!t99 || t99->status != DD_DNS_OK || dd_spf_records(t99, &rr99) == 0)
		return;
	struct dd_finding *f =
	        dd_findings_add(&r->findings, "spf.obsolete-rr-type", p->domain, NULL);
	if (r->spf.state == DD_STATE_MISSING)
		f->message = &only_type99;
	dd_finding_set_record(f, rr99->data, rr99->len);
	dd_finding_locate(f, t99, rr99);
}

static void judge_check_host(const struct dd_posture *p, struct dd_result *r)
{
	struct dd_spf_client c;
	const struct dd_check_options *o = p->opts;
	if (!o || !o->ip || !dd_spf_client_init(&c, p->domain, o->ip, o->sender, o->helo))
		return;
	dd_spf_check_host(p, &c, &r->spf.check_host);
	if (r->spf.check_host.ptr_names > DD_SPF_MAX_NAMES) {
		char n[24];
		snprintf(n, sizeof(n), "%zu", r->spf.check_host.ptr_names);
		dd_findings_add(&r->findings, "spf.ptr-limit", r->spf.check_host.ip, n, NULL);
	}
}

/* A repaired record (spf_repair.c), when the record is over a limit or has redundant parts. */
static void judge_repair(const struct dd_posture *p, struct dd_result *r,
                         const struct dd_answer *ans, const struct dd_rr *rr)
{
	static const struct dd_text changes_msg = {
		"A repaired SPF record for {1} needs {3} DNS lookups instead of {2}, but gives "
		"some "
		"clients another result (the proof lists them): {4}",
		"{1} の SPF レコードを修復すると DNS 参照は {2} 回から {3} "
		"回になりますが、一部の送信元"
		"の結果が変わります (証明に記載): {4}",
	};
	struct dd_spf_repair *rep = dd_spf_repair_create(p, ans, rr, &r->spf);
	if (!rep)
		return;
	r->spf.repair = rep;
	char before[24], after[24];
	snprintf(before, sizeof(before), "%d", rep->lookups_before);
	snprintf(after, sizeof(after), "%d", rep->lookups);
	struct dd_finding *f = dd_findings_add(&r->findings, "spf.repair", p->domain, before, after,
	                                       rep->record, NULL);
	if (rep->risk == DD_SPF_RISK_CHANGES)
		f->message = &changes_msg;
	dd_finding_set_record(f, r->spf.record, r->spf.record_len);
	dd_finding_locate(f, ans, rr);
}

static void spf_judge(const struct dd_posture *p, struct dd_result *r)
{
	struct dd_spf_info *info = &r->spf;
	char domain[DD_NAME_MAX + 1];
	long qi = dd_spf_name(p->domain, strlen(p->domain), domain)
	                  ? dd_posture_find(p, domain, DD_RR_TXT)
	                  : -1;
	const struct dd_answer *ans = qi < 0 ? NULL : p->queries[qi].answer;
	judge_check_host(p, r);
	if (!ans || ans->status == DD_DNS_UNKNOWN) {
		info->state = DD_STATE_UNKNOWN;
		return;
	}
	if (dd_dns_status_is_failure(ans->status)) {
		info->state = DD_STATE_UNDETERMINED;
		return;
	}
	const struct dd_rr *first;
	size_t nspf = dd_spf_records(ans, &first);
	if (nspf == 0) {
		info->state = DD_STATE_MISSING;
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "spf.missing", p->domain, NULL);
		dd_finding_from_query(f, p, (size_t)qi);
		dd_finding_locate(f, ans, NULL);
		judge_obsolete(p, r, ans);
		return;
	}
	info->state = DD_STATE_FOUND;
	info->nrecords = nspf;
	if (nspf > 1) {
		char count[24];
		snprintf(count, sizeof(count), "%zu", nspf);
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "spf.multiple", p->domain, count, NULL);
		dd_finding_from_query(f, p, (size_t)qi);
		dd_finding_locate(f, ans, first);
		judge_obsolete(p, r, ans);
		return;
	}
	info->record = xstrndup(first->data, first->len);
	info->record_len = first->len;
	if (ans->source == DD_SOURCE_ZONE) {
		/* an $INCLUDEd record lives in its own file, not the answer's */
		info->file = first->file ? first->file : ans->file;
		info->line = first->line;
	}
	info->tree = xcalloc(1, sizeof(*info->tree));
	dd_spf_tree_build(p, ans, first, info->tree, &r->findings);
	info->counted = true;
	info->lookups = info->tree->lookups;
	info->void_lookups = info->tree->void_lookups;
	info->lower_bound = info->tree->lower_bound;
	judge_counts(p, r, ans, first);
	judge_all(p, r);
	judge_obsolete(p, r, ans);
	judge_repair(p, r, ans, first);
}

const struct dd_check dd_check_spf = {
	.name = "spf",
	.wants = spf_wants,
	.follow = spf_follow,
	.judge = spf_judge,
};

void dd_spf_info_finish(struct dd_spf_info *info)
{
	free(info->record);
	if (info->tree) {
		dd_spf_node_finish(info->tree);
		free(info->tree);
	}
	dd_spf_verdict_finish(&info->check_host);
	dd_spf_repair_destroy(info->repair);
	memset(info, 0, sizeof(*info));
}
