/*
 * dnssec_ldns.c: the validator the DNSSEC check calls (dd/dnssec.h), on
 * ldns' DNSSEC functions: ldns_verify_rrsig_keylist_time() for RRSIGs,
 * ldns_rr_compare_ds() for DS digests, ldns_dnssec_verify_denial() and
 * ldns_dnssec_verify_denial_nsec3_match() for proofs of absence.
 *
 * Why it lives in cmd/: checks/ links only libc and OpenSSL (STYLE.md), and
 * ldns is cmd/'s DNS library (wire.c, the zone reader). Every function here
 * is pure - records in, verdict out, the time an argument - so the check
 * that calls them stays a pure function of the gathered answers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "dnssec_ldns.h"
#include "gather/wire.h"
#include "dd/util.h"

/*
 * Records of the given type (0: any) from presentation form. One that ldns
 * cannot read (of a type nobody can tell then) is counted in *unread when
 * unread is not NULL: left out silently, it would turn the set verified
 * into another one than the set signed.
 */
static ldns_rr_list *rr_list(const char *const *rrs, size_t n, ldns_rr_type type, size_t *unread)
{
	ldns_rr_list *l = ldns_rr_list_new();
	for (size_t i = 0; i < n; i++) {
		ldns_rr *rr = NULL;
		if (ldns_rr_new_frm_str(&rr, rrs[i], 0, NULL, NULL) != LDNS_STATUS_OK || !rr) {
			if (unread)
				(*unread)++;
			continue;
		}
		if (type && ldns_rr_get_type(rr) != type) {
			ldns_rr_free(rr);
			continue;
		}
		ldns_rr_list_push_rr(l, rr);
	}
	return l;
}

/* RRSIGs over `covered` among rrs. */
static ldns_rr_list *sigs_over(const char *const *rrs, size_t n, ldns_rr_type covered,
                               const ldns_rdf *owner)
{
	ldns_rr_list *all = rr_list(rrs, n, LDNS_RR_TYPE_RRSIG, NULL), *out = ldns_rr_list_new();
	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *s = ldns_rr_list_rr(all, i);
		const ldns_rdf *tc = ldns_rr_rrsig_typecovered(s);
		if (tc && ldns_rdf2rr_type(tc) == covered &&
		    (!owner || ldns_dname_compare(ldns_rr_owner(s), owner) == 0))
			ldns_rr_list_push_rr(out, ldns_rr_clone(s));
	}
	ldns_rr_list_deep_free(all);
	return out;
}

static void fill_detail(struct dd_sec_detail *d, const ldns_rr *sig, ldns_status st)
{
	const ldns_rdf *alg = ldns_rr_rrsig_algorithm(sig), *exp = ldns_rr_rrsig_expiration(sig),
	               *inc = ldns_rr_rrsig_inception(sig), *signer = ldns_rr_rrsig_signame(sig);
	d->algorithm = alg ? ldns_rdf2native_int8(alg) : 0;
	d->expiration = exp ? ldns_rdf2native_time_t(exp) : 0;
	d->inception = inc ? ldns_rdf2native_time_t(inc) : 0;
	d->signer[0] = '\0';
	if (signer) {
		char *s = dd_wire_name(signer); /* lowercase, no trailing dot */
		snprintf(d->signer, sizeof(d->signer), "%s", s);
		free(s);
	}
	switch (st) {
	case LDNS_STATUS_OK: d->problem = DD_SEC_OK; break;
	case LDNS_STATUS_CRYPTO_SIG_EXPIRED: d->problem = DD_SEC_EXPIRED; break;
	case LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED: d->problem = DD_SEC_NOT_YET; break;
	case LDNS_STATUS_CRYPTO_NO_MATCHING_KEYTAG_DNSKEY:
	case LDNS_STATUS_CRYPTO_NO_DNSKEY: d->problem = DD_SEC_NO_KEY; break;
	default: d->problem = DD_SEC_BAD_SIG; break;
	}
	snprintf(d->why, sizeof(d->why), "%s",
	         st == LDNS_STATUS_OK ? "" : ldns_get_errorstr_by_id(st));
}

static enum dd_sec_verdict verify_set(ldns_rr_list *set, ldns_rr_list *sigs, ldns_rr_list *keys,
                                      int64_t now, struct dd_sec_detail *out)
{
	if (ldns_rr_list_rr_count(set) == 0 || ldns_rr_list_rr_count(sigs) == 0)
		return DD_SEC_INDETERMINATE;
	size_t unknown = 0;
	ldns_status first = LDNS_STATUS_OK;
	const ldns_rr *first_sig = NULL;
	for (size_t i = 0; i < ldns_rr_list_rr_count(sigs); i++) {
		const ldns_rr *sig = ldns_rr_list_rr(sigs, i);
		ldns_status st = ldns_verify_rrsig_keylist_time(set, sig, keys, (time_t)now, NULL);
		if (st == LDNS_STATUS_OK) {
			fill_detail(out, sig, st);
			return DD_SEC_SECURE;
		}
		if (st == LDNS_STATUS_CRYPTO_UNKNOWN_ALGO ||
		    st == LDNS_STATUS_CRYPTO_ALGO_NOT_IMPL) {
			unknown++;
			continue;
		}
		/* the most telling failure: a time problem over a missing key */
		if (!first_sig || first == LDNS_STATUS_CRYPTO_NO_MATCHING_KEYTAG_DNSKEY) {
			first = st;
			first_sig = sig;
		}
	}
	if (!first_sig) {
		fill_detail(out, ldns_rr_list_rr(sigs, 0), LDNS_STATUS_CRYPTO_UNKNOWN_ALGO);
		return unknown ? DD_SEC_UNSUPPORTED : DD_SEC_BOGUS;
	}
	fill_detail(out, first_sig, first);
	return DD_SEC_BOGUS;
}

static enum dd_sec_verdict ldns_verify_op(const void *ctx, const char *const *rrs, size_t nrrs,
                                          uint16_t type, const char *const *keys, size_t nkeys,
                                          int64_t now, struct dd_sec_detail *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	size_t unread = 0, unread_keys = 0;
	ldns_rr_list *set = rr_list(rrs, nrrs, (ldns_rr_type)type, &unread);
	const ldns_rdf *owner =
	        ldns_rr_list_rr_count(set) ? ldns_rr_owner(ldns_rr_list_rr(set, 0)) : NULL;
	ldns_rr_list *sigs = sigs_over(rrs, nrrs, (ldns_rr_type)type, owner);
	ldns_rr_list *k = rr_list(keys, nkeys, LDNS_RR_TYPE_DNSKEY, &unread_keys);
	enum dd_sec_verdict v = verify_set(set, sigs, k, now, out);
	/* a record or RRSIG of the answer that could not be read: whatever
	 * verified or not was not the answer (a key that could not be read
	 * matters only when no other one verifies) */
	if (unread || (unread_keys && v != DD_SEC_SECURE)) {
		v = DD_SEC_UNREADABLE;
		size_t n = unread + unread_keys;
		out->unread = (unsigned)n;
		snprintf(out->why, sizeof(out->why), "%zu %s could not be read back to be verified",
		         n, n == 1 ? "record" : "records");
	}
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(sigs);
	ldns_rr_list_deep_free(k);
	return v;
}

/* The same key: owner and rdata (the TTL of an anchor file says nothing). */
static bool same_key(const ldns_rr *a, const ldns_rr *b)
{
	if (ldns_dname_compare(ldns_rr_owner(a), ldns_rr_owner(b)) != 0 ||
	    ldns_rr_rd_count(a) != ldns_rr_rd_count(b))
		return false;
	for (size_t i = 0; i < ldns_rr_rd_count(a); i++)
		if (ldns_rdf_compare(ldns_rr_rdf(a, i), ldns_rr_rdf(b, i)) != 0)
			return false;
	return true;
}

static size_t ldns_match_op(const void *ctx, const char *const *anchors, size_t nanchors,
                            const char *const *keys, size_t nkeys, bool *matched)
{
	(void)ctx;
	ldns_rr_list *a = rr_list(anchors, nanchors, 0, NULL);
	size_t n = 0;
	for (size_t i = 0; i < nkeys; i++) {
		matched[i] = false;
		ldns_rr *key = NULL;
		if (ldns_rr_new_frm_str(&key, keys[i], 0, NULL, NULL) != LDNS_STATUS_OK || !key)
			continue;
		if (ldns_rr_get_type(key) == LDNS_RR_TYPE_DNSKEY) {
			for (size_t j = 0; j < ldns_rr_list_rr_count(a) && !matched[i]; j++) {
				const ldns_rr *t = ldns_rr_list_rr(a, j);
				if (ldns_rr_get_type(t) == LDNS_RR_TYPE_DS)
					matched[i] = ldns_rr_compare_ds(t, key);
				else if (ldns_rr_get_type(t) == LDNS_RR_TYPE_DNSKEY)
					matched[i] = same_key(t, key);
			}
		}
		n += matched[i];
		ldns_rr_free(key);
	}
	ldns_rr_list_deep_free(a);
	return n;
}

/* Every NSEC/NSEC3 set among rrs verifies with keys. */
static enum dd_sec_verdict verify_proof(const char *const *rrs, size_t n, ldns_rr_list *proof,
                                        ldns_rr_list *keys, int64_t now, struct dd_sec_detail *out)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(proof); i++) {
		ldns_rr *p = ldns_rr_list_rr(proof, i);
		ldns_rr_list *set = ldns_rr_list_new();
		ldns_rr_list_push_rr(set, p);
		ldns_rr_list *sigs = sigs_over(rrs, n, ldns_rr_get_type(p), ldns_rr_owner(p));
		enum dd_sec_verdict v = verify_set(set, sigs, keys, now, out);
		ldns_rr_list_free(set); /* p belongs to proof */
		ldns_rr_list_deep_free(sigs);
		if (v != DD_SEC_SECURE)
			return v;
	}
	return DD_SEC_SECURE;
}

/*
 * A NODATA answer for an empty non-terminal (a name with nothing but names
 * below it, e.g. _tcp.mx.example.com): the NSEC before it points to a name
 * below it (RFC 4035 §3.1.3.2; ldns_dnssec_verify_denial() wants a name
 * or a wildcard proof instead).
 */
static bool nsec_empty_non_terminal(const ldns_rr_list *nsec, const ldns_rdf *name)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(nsec); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(nsec, i);
		const ldns_rdf *next = ldns_rr_rd_count(rr) > 0 ? ldns_rr_rdf(rr, 0) : NULL;
		if (next && ldns_dname_compare(ldns_rr_owner(rr), name) < 0 &&
		    ldns_dname_is_subdomain(next, name))
			return true;
	}
	return false;
}

/*
 * RFC 5155 §8.5 and §8.6: a NODATA answer is proven by the NSEC3 record at
 * the hash of the name, without the type (or CNAME) in its bitmap; for DS,
 * also by an opt-out NSEC3 covering the next closer name (an unsigned
 * delegation may hide in the span). ldns_dnssec_verify_denial_nsec3_match()
 * checks the same, but ldns 1.8.3 leaks the hashed name on this path.
 * Wildcard NODATA (§8.7) is not accepted.
 */
static ldns_status nsec3_nodata(const ldns_rr *q, const ldns_rr_list *nsec3, ldns_rr_type qtype,
                                ldns_rr **match, bool *opt_out)
{
	const ldns_rr *first = ldns_rr_list_rr(nsec3, 0);
	const ldns_rdf *qname = ldns_rr_owner(q);
	ldns_rdf *zone = ldns_dname_left_chop(ldns_rr_owner(first));
	ldns_rdf *hashed = ldns_nsec3_hash_name_frm_nsec3(first, qname);
	ldns_status st = LDNS_STATUS_DNSSEC_NSEC_RR_NOT_COVERED;
	*match = NULL;
	if (!zone || !hashed || ldns_dname_cat(hashed, zone) != LDNS_STATUS_OK)
		goto out;
	for (size_t i = 0; i < ldns_rr_list_rr_count(nsec3); i++) {
		ldns_rr *rr = ldns_rr_list_rr(nsec3, i);
		if (ldns_dname_compare(hashed, ldns_rr_owner(rr)) != 0)
			continue;
		const ldns_rdf *bm =
		        ldns_nsec3_bitmap(rr); /* NULL: no types (an empty non-terminal) */
		if (!bm || (!ldns_nsec_bitmap_covers_type(bm, qtype) &&
		            !ldns_nsec_bitmap_covers_type(bm, LDNS_RR_TYPE_CNAME))) {
			*match = rr;
			st = LDNS_STATUS_OK;
		}
		goto out;
	}
	if (qtype != LDNS_RR_TYPE_DS)
		goto out;
	ldns_rdf *ce = ldns_dnssec_nsec3_closest_encloser(qname, qtype, (ldns_rr_list *)nsec3);
	if (!ce)
		goto out;
	size_t qlabels = ldns_dname_label_count(qname), celabels = ldns_dname_label_count(ce);
	if (celabels < qlabels) {
		ldns_rdf *next = ldns_dname_clone_from(qname, qlabels - (celabels + 1));
		ldns_rdf *hn = next ? ldns_nsec3_hash_name_frm_nsec3(first, next) : NULL;
		if (hn && ldns_dname_cat(hn, zone) == LDNS_STATUS_OK)
			for (size_t i = 0; i < ldns_rr_list_rr_count(nsec3) && !*match; i++) {
				ldns_rr *rr = ldns_rr_list_rr(nsec3, i);
				if (ldns_nsec3_optout(rr) && ldns_nsec_covers_name(rr, hn)) {
					*match = rr;
					*opt_out = true;
					st = LDNS_STATUS_OK;
				}
			}
		ldns_rdf_deep_free(hn);
		ldns_rdf_deep_free(next);
	}
	ldns_rdf_deep_free(ce);
out:
	ldns_rdf_deep_free(hashed);
	ldns_rdf_deep_free(zone);
	return st;
}

static enum dd_sec_verdict ldns_denial_op(const void *ctx, const char *qname, uint16_t qtype,
                                          bool nxdomain, const char *const *rrs, size_t nrrs,
                                          const char *const *keys, size_t nkeys, int64_t now,
                                          struct dd_sec_detail *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	size_t unread = 0; /* counted once: each rr_list() reads every record */
	ldns_rr_list *nsec = rr_list(rrs, nrrs, LDNS_RR_TYPE_NSEC, &unread);
	ldns_rr_list *nsec3 = rr_list(rrs, nrrs, LDNS_RR_TYPE_NSEC3, NULL);
	ldns_rr_list *sigs = rr_list(rrs, nrrs, LDNS_RR_TYPE_RRSIG, NULL);
	ldns_rr_list *k = rr_list(keys, nkeys, LDNS_RR_TYPE_DNSKEY, NULL);
	ldns_rr *q = ldns_rr_new();
	/* absolute: NSEC3 hashes the wire form, root label included (RFC 5155 §5) */
	char abs[DD_NAME_MAX + 2];
	snprintf(abs, sizeof(abs), "%s%s", qname,
	         strcmp(qname, ".") == 0 || !*qname || qname[strlen(qname) - 1] == '.' ? "" : ".");
	ldns_rdf *name = ldns_dname_new_frm_str(abs);
	enum dd_sec_verdict v = DD_SEC_INDETERMINATE;
	if (!name)
		goto out;
	ldns_rr_set_owner(q, name);
	ldns_rr_set_type(q, (ldns_rr_type)qtype);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	bool use3 = ldns_rr_list_rr_count(nsec) == 0;
	ldns_rr_list *proof = use3 ? nsec3 : nsec;
	if (ldns_rr_list_rr_count(proof) == 0)
		goto out; /* nothing proves it: indeterminate */
	v = verify_proof(rrs, nrrs, proof, k, now, out);
	if (v != DD_SEC_SECURE)
		goto out;
	ldns_status st;
	ldns_rr *match = NULL;
	if (!use3) {
		st = ldns_dnssec_verify_denial(q, nsec, sigs);
		if (st != LDNS_STATUS_OK && !nxdomain && nsec_empty_non_terminal(nsec, name))
			st = LDNS_STATUS_OK;
		for (size_t i = 0; st == LDNS_STATUS_OK && i < ldns_rr_list_rr_count(nsec); i++)
			if (ldns_dname_compare(ldns_rr_owner(ldns_rr_list_rr(nsec, i)), name) == 0)
				match = ldns_rr_list_rr(nsec, i);
	} else if (nxdomain) {
		st = ldns_dnssec_verify_denial_nsec3_match(q, nsec3, sigs, LDNS_RCODE_NXDOMAIN,
		                                           (ldns_rr_type)qtype, true, &match);
	} else {
		st = nsec3_nodata(q, nsec3, (ldns_rr_type)qtype, &match, &out->opt_out);
	}
	if (st != LDNS_STATUS_OK) {
		out->problem = DD_SEC_NO_PROOF;
		snprintf(out->why, sizeof(out->why), "%s", ldns_get_errorstr_by_id(st));
		v = DD_SEC_BOGUS;
		goto out;
	}
	if (match && !nxdomain && !out->opt_out) {
		/* RFC 4035 §5.2: NS without SOA at the name is a delegation */
		const ldns_rdf *bm = use3 ? ldns_nsec3_bitmap(match) : ldns_nsec_get_bitmap(match);
		if (bm)
			out->delegation = ldns_nsec_bitmap_covers_type(bm, LDNS_RR_TYPE_NS) &&
			                  !ldns_nsec_bitmap_covers_type(bm, LDNS_RR_TYPE_SOA);
	}
out:
	/* a proof that holds holds; one that fails without a record that
	 * could not be read might have held with it: no verdict then */
	if (unread && v != DD_SEC_SECURE) {
		v = DD_SEC_UNREADABLE;
		out->unread = (unsigned)unread;
		snprintf(out->why, sizeof(out->why), "%zu %s of the proof could not be read back",
		         unread, unread == 1 ? "record" : "records");
	}
	ldns_rr_free(q); /* frees name */
	ldns_rr_list_deep_free(nsec);
	ldns_rr_list_deep_free(nsec3);
	ldns_rr_list_deep_free(sigs);
	ldns_rr_list_deep_free(k);
	return v;
}

const struct dd_dnssec_ops dd_dnssec_ldns_ops = {
	.verify = ldns_verify_op,
	.match = ldns_match_op,
	.denial = ldns_denial_op,
};

/* -------------------------------------------------------- trust anchor */

bool dd_trust_anchor_load(const char *path, struct dd_trust_anchor *out, char **err)
{
	memset(out, 0, sizeof(*out));
	*err = NULL;
	FILE *f = fopen(path, "r");
	if (!f) {
		*err = xasprintf("cannot read the trust anchor %s: %s", path, strerror(errno));
		return false;
	}
	char line[8192];
	unsigned lineno = 0;
	bool ok = true;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *c = strchr(line, ';');
		if (c)
			*c = '\0';
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
		             line[n - 1] == '\t'))
			line[--n] = '\0';
		const char *s = line + strspn(line, " \t");
		if (!*s)
			continue;
		ldns_rr *rr = NULL;
		ldns_status st = ldns_rr_new_frm_str(&rr, s, 3600, NULL, NULL);
		if (st != LDNS_STATUS_OK || !rr) {
			*err = xasprintf("%s:%u: not a DS or DNSKEY record: %s", path, lineno,
			                 ldns_get_errorstr_by_id(st));
			ok = false;
			break;
		}
		ldns_rr_type t = ldns_rr_get_type(rr);
		if (t != LDNS_RR_TYPE_DS && t != LDNS_RR_TYPE_DNSKEY) {
			*err = xasprintf("%s:%u: a trust anchor is a DS or DNSKEY record", path,
			                 lineno);
			ldns_rr_free(rr);
			ok = false;
			break;
		}
		char *text = ldns_rr2str(rr);
		ldns_rr_free(rr);
		if (!text)
			continue;
		size_t tl = strlen(text);
		while (tl && (text[tl - 1] == '\n' || text[tl - 1] == ' '))
			text[--tl] = '\0';
		out->rrs = xrealloc(out->rrs, (out->n + 1) * sizeof(char *));
		out->rrs[out->n++] = xstrdup(text);
		free(text);
	}
	if (ok && ferror(f)) {
		*err = xasprintf("cannot read the trust anchor %s: %s", path, strerror(errno));
		ok = false;
	}
	fclose(f);
	if (ok && out->n == 0) {
		*err = xasprintf("%s: no DS or DNSKEY record in the trust anchor file", path);
		ok = false;
	}
	if (!ok)
		dd_trust_anchor_finish(out);
	return ok;
}

void dd_trust_anchor_finish(struct dd_trust_anchor *ta)
{
	for (size_t i = 0; i < ta->n; i++)
		free(ta->rrs[i]);
	free(ta->rrs);
	memset(ta, 0, sizeof(*ta));
}
