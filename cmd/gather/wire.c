/*
 * wire.c: see wire.h.
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "gather/wire.h"
#include "dd/util.h"

void dd_wire_reading_text(bool reading)
{
	mallopt(M_TRIM_THRESHOLD, reading ? 64 << 20 : 128 * 1024);
}

/* The slow road, for names with escapes ("\." "\065") or odd dots: ldns
 * reads the presentation format (RFC 1035 §5.1) and writes the message. */
static bool query_by_ldns(const char *name, uint16_t type, uint8_t *out, size_t *len)
{
	ldns_rdf *qname = ldns_dname_new_frm_str(name);
	if (!qname)
		return false;
	ldns_pkt *pkt = ldns_pkt_query_new(qname, (ldns_rr_type)type, LDNS_RR_CLASS_IN,
	                                   LDNS_RD | LDNS_CD); /* takes qname */
	if (!pkt)
		return false;
	ldns_pkt_set_edns_udp_size(pkt, 1232);
	ldns_pkt_set_edns_do(pkt, true);
	uint8_t *msg = NULL;
	bool ok = ldns_pkt2wire(&msg, pkt, len) == LDNS_STATUS_OK && *len <= DD_WIRE_QUERY_MAX;
	if (ok)
		memcpy(out, msg, *len);
	free(msg);
	ldns_pkt_free(pkt);
	return ok;
}

/* c-ares 1.18's ares_send() sends the id it is given: an id a question is
 * half of what an off-path spoofer must guess. arc4random() asked the
 * kernel for every one of them (getrandom: 1 % of a batch's CPU); a block of
 * ids is asked for at once. */
static uint16_t next_id(void)
{
	static _Thread_local uint16_t ids[256];
	static _Thread_local size_t left;
	if (!left) {
		arc4random_buf(ids, sizeof(ids));
		left = sizeof(ids) / sizeof(ids[0]);
	}
	return ids[--left];
}

static void set_id(uint8_t *msg)
{
	uint16_t id = next_id();
	msg[0] = (uint8_t)(id >> 8);
	msg[1] = (uint8_t)id;
}

bool dd_wire_query_encode(const char *name, uint16_t type, uint8_t *out, size_t *len)
{
	*len = 0;
	/* Building the question with ldns (a packet, rdfs, a compressing
	 * buffer: a dozen allocations) was 18 % of a batch's CPU; the message is
	 * fixed but for the name (RFC 1035 §4.1; RFC 6891 §6.1.2 for the OPT). */
	size_t n = strlen(name), at = 12;
	bool plain = n > 0 && !strchr(name, '\\');
	if (plain && !(n == 1 && name[0] == '.')) {
		if (name[n - 1] == '.')
			n--;
		const char *p = name, *end = name + n;
		while (plain && p < end) {
			const char *dot = memchr(p, '.', (size_t)(end - p));
			size_t l = (size_t)((dot ? dot : end) - p);
			if (l == 0 || l > 63 || at + 1 + l > 12 + 254) {
				plain = false;
				break;
			}
			out[at++] = (uint8_t)l;
			memcpy(out + at, p, l);
			at += l;
			p += l + (dot ? 1 : 0);
			if (dot && p == end) /* "a..": an empty label */
				plain = false;
		}
	}
	if (!plain) {
		if (!query_by_ldns(name, type, out, len))
			return false;
		set_id(out);
		return true;
	}
	out[at++] = 0; /* the root label */
	static const uint8_t head[] = {
		0, 0, 0x01 /* RD */, 0x10 /* CD */, 0, 1, 0, 0, 0, 0, 0, 1
	};
	memcpy(out, head, sizeof(head));
	uint8_t tail[4 + 11] = { (uint8_t)(type >> 8),
		                 (uint8_t)type,
		                 0,
		                 1 /* IN */,
		                 0 /* root */,
		                 0,
		                 41 /* OPT */,
		                 1232 >> 8,
		                 1232 & 0xff,
		                 0,
		                 0,
		                 0x80 /* DO */,
		                 0,
		                 0,
		                 0 };
	memcpy(out + at, tail, sizeof(tail));
	*len = at + sizeof(tail);
	set_id(out);
	return true;
}

bool dd_wire_query_dnssec(const char *name, uint16_t type, uint8_t **msg, size_t *len)
{
	*msg = xmalloc(DD_WIRE_QUERY_MAX);
	if (dd_wire_query_encode(name, type, *msg, len))
		return true;
	free(*msg);
	*msg = NULL;
	*len = 0;
	return false;
}

/*
 * A wire name in presentation form (RFC 1035 §5.1), lowercase, without the
 * trailing dot: the text ldns_rdf2str() writes, escapes and all ("\." for a
 * dot inside a label, "\DDD" for what is not a printable ASCII character),
 * without its printf a character. CNAME and MX targets of a batch went
 * through it; tests/unit/test_dnssec.c holds it to ldns' text.
 */
char *dd_wire_name(const ldns_rdf *rdf)
{
	const uint8_t *d = rdf ? ldns_rdf_data(rdf) : NULL;
	size_t size = rdf ? ldns_rdf_size(rdf) : 0;
	if (!d || !size || size > LDNS_MAX_DOMAINLEN)
		return xstrdup("");
	if (size == 1)
		return xstrdup(".");
	char out[LDNS_MAX_DOMAINLEN * 4 + 1]; /* "\DDD" is the longest a byte becomes */
	size_t o = 0, at = 0;
	while (at < size && d[at]) {
		size_t len = d[at++];
		for (size_t i = 0; i < len && at < size; i++, at++) {
			unsigned char c = d[at];
			if (c == '.' || c == ';' || c == '(' || c == ')' || c == '\\') {
				out[o++] = '\\';
				out[o++] = (char)c;
			} else if (c < 0x21 || c > 0x7e) {
				out[o++] = '\\';
				out[o++] = (char)('0' + c / 100);
				out[o++] = (char)('0' + c / 10 % 10);
				out[o++] = (char)('0' + c % 10);
			} else {
				out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			}
		}
		if (at < size)
			out[o++] = '.';
	}
	if (o > 1 && out[o - 1] == '.')
		o--;
	out[o] = '\0';
	return xstrdup(out);
}

static void add_name_rr(struct dd_answer *ans, struct dd_rr **out, const ldns_rdf *rdf,
                        uint32_t ttl)
{
	char *name = dd_wire_name(rdf);
	*out = dd_answer_add_rr(ans, name, strlen(name), ttl);
	free(name);
}

struct dd_rr *dd_wire_add_rr(struct dd_answer *ans, const ldns_rr *rr, uint32_t line)
{
	uint32_t ttl = ldns_rr_ttl(rr);
	struct dd_rr *out = NULL;
	const ldns_rdf *rd0 = ldns_rr_rd_count(rr) > 0 ? ldns_rr_rdf(rr, 0) : NULL;
	char buf[INET6_ADDRSTRLEN];

	switch (ldns_rr_get_type(rr)) {
	case LDNS_RR_TYPE_TXT:
	case LDNS_RR_TYPE_SPF:
		out = dd_answer_add_rr(ans, NULL, 0, ttl);
		for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
			const ldns_rdf *rdf = ldns_rr_rdf(rr, i);
			const uint8_t *d = ldns_rdf_data(rdf);
			size_t sz = ldns_rdf_size(rdf);
			if (sz == 0)
				continue;
			size_t n = d[0] < sz - 1 ? d[0] : sz - 1;
			dd_rr_add_string(out, (const char *)d + 1, n);
		}
		break;
	case LDNS_RR_TYPE_A:
	case LDNS_RR_TYPE_AAAA: {
		int af = ldns_rr_get_type(rr) == LDNS_RR_TYPE_A ? AF_INET : AF_INET6;
		size_t want = af == AF_INET ? 4 : 16;
		if (rd0 && ldns_rdf_size(rd0) == want &&
		    inet_ntop(af, ldns_rdf_data(rd0), buf, sizeof(buf)))
			out = dd_answer_add_rr(ans, buf, strlen(buf), ttl);
		break;
	}
	case LDNS_RR_TYPE_MX:
		if (ldns_rr_rd_count(rr) == 2) {
			add_name_rr(ans, &out, ldns_rr_rdf(rr, 1), ttl);
			out->pref = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
		}
		break;
	case LDNS_RR_TYPE_CNAME:
	case LDNS_RR_TYPE_PTR:
	case LDNS_RR_TYPE_NS:
		if (rd0)
			add_name_rr(ans, &out, rd0, ttl);
		break;
	default: {
		struct dd_strbuf b;
		dd_strbuf_init(&b);
		for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
			char *s = ldns_rdf2str(ldns_rr_rdf(rr, i));
			if (i)
				dd_strbuf_addc(&b, ' ');
			dd_strbuf_adds(&b, s ? s : "");
			free(s);
		}
		out = dd_answer_add_rr(ans, b.s ? b.s : "", b.len, ttl);
		dd_strbuf_finish(&b);
		break;
	}
	}
	if (out)
		out->line = line;
	return out;
}

static bool is_sec_type(ldns_rr_type t)
{
	return t == LDNS_RR_TYPE_RRSIG || t == LDNS_RR_TYPE_NSEC || t == LDNS_RR_TYPE_NSEC3;
}

/*
 * A record in the RFC 3597 §5 generic form ("\# 3 030101"), which ldns
 * reads back to the same rdata bytes.
 */
static char *rr2str_generic(const ldns_rr *rr)
{
	ldns_buffer *wire = ldns_buffer_new(LDNS_MAX_RDFLEN);
	char *owner = ldns_rdf2str(ldns_rr_owner(rr));
	char *class = ldns_rr_class2str(ldns_rr_get_class(rr));
	char *type = ldns_rr_type2str(ldns_rr_get_type(rr));
	char *out = NULL;
	if (wire && owner && class && type &&
	    ldns_rr_rdata2buffer_wire(wire, rr) == LDNS_STATUS_OK) {
		struct dd_strbuf b;
		dd_strbuf_init(&b);
		dd_strbuf_addf(&b, "%s\t%u\t%s\t%s\t\\# %zu ", owner, ldns_rr_ttl(rr), class, type,
		               ldns_buffer_position(wire));
		for (size_t i = 0; i < ldns_buffer_position(wire); i++)
			dd_strbuf_addf(&b, "%02x", ldns_buffer_at(wire, i)[0]);
		out = dd_strbuf_own(&b);
	}
	ldns_buffer_free(wire);
	free(owner);
	free(class);
	free(type);
	return out;
}

/*
 * ldns leaves out the empty trailing rdata fields of a record - a TLSA
 * record with no certificate association data (RFC 6698 §2.1.4) comes out
 * as "3 1 1" - and then refuses its own text ("value expected"): the
 * validator would lose the record and take its signed answer for an
 * unsigned one. Such a record (fewer fields than its type has) is written
 * in the generic form instead; the RRSIG covers the same bytes.
 */
static char *sec_rr2str(const ldns_rr *rr)
{
	size_t fields = ldns_rr_descriptor_minimum(ldns_rr_descript(ldns_rr_get_type(rr)));
	size_t n = ldns_rr_rd_count(rr);
	if (n == 0 || n >= fields)
		return ldns_rr2str(rr); /* no rdata at all it writes as "\# 0" itself */
	return rr2str_generic(rr);
}

static void add_sec_rr(struct dd_answer *ans, const ldns_rr *rr)
{
	char *s = sec_rr2str(rr);
	if (!s)
		return;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	dd_answer_add_sec(ans, s);
	free(s);
}

/*
 * The DNSSEC material of a signed answer (types.h, dd_answer.sec): the
 * records of qtype at the owner with the RRSIGs covering them, and the
 * authority section's NSEC/NSEC3 proof of a negative answer. Nothing when the message
 * holds no RRSIG, NSEC or NSEC3, so unsigned answers cost nothing.
 */
static void keep_sec(struct dd_answer *ans, const ldns_pkt *pkt, const ldns_rdf *owner,
                     uint16_t qtype)
{
	ldns_rr_list *an = ldns_pkt_answer(pkt), *au = ldns_pkt_authority(pkt);
	size_t nan = an ? ldns_rr_list_rr_count(an) : 0, nau = au ? ldns_rr_list_rr_count(au) : 0;
	bool any = false;
	for (size_t i = 0; i < nan && !any; i++)
		any = is_sec_type(ldns_rr_get_type(ldns_rr_list_rr(an, i)));
	for (size_t i = 0; i < nau && !any; i++)
		any = is_sec_type(ldns_rr_get_type(ldns_rr_list_rr(au, i)));
	if (!any)
		return;
	for (size_t i = 0; owner && i < nan; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		if (ldns_dname_compare(ldns_rr_owner(rr), owner) != 0)
			continue;
		if (t == qtype || (t == LDNS_RR_TYPE_RRSIG && ldns_rr_rd_count(rr) > 0 &&
		                   ldns_rdf2rr_type(ldns_rr_rdf(rr, 0)) == qtype))
			add_sec_rr(ans, rr);
	}
	if (ans->nrrs)
		return;
	/* the proof only: NSEC/NSEC3 and their RRSIGs (the SOA is not needed, and a
	 * signed domain's DKIM probes bring dozens of negative answers) */
	for (size_t i = 0; i < nau; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(au, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		if (t == LDNS_RR_TYPE_RRSIG && ldns_rr_rd_count(rr) > 0)
			t = ldns_rdf2rr_type(ldns_rr_rdf(rr, 0));
		if (t == LDNS_RR_TYPE_NSEC || t == LDNS_RR_TYPE_NSEC3)
			add_sec_rr(ans, rr);
	}
}

/* The offset just after the name at msg[at] (RFC 1035 §4.1.4: labels up
 * to a zero length or a pointer), 0 when it runs off the message or uses
 * a label type that is not a length or a pointer. */
static size_t skip_name(const unsigned char *msg, size_t len, size_t at)
{
	for (int labels = 0; at < len && labels <= 127; labels++) {
		unsigned c = msg[at];
		if (c == 0)
			return at + 1;
		if ((c & 0xc0) == 0xc0)
			return at + 2 <= len ? at + 2 : 0;
		if (c & 0xc0)
			return 0;
		at += 1 + c;
	}
	return 0;
}

/*
 * Whether an answer with no answer records says all there is in its header:
 * its authority section holds no NSEC, NSEC3 or RRSIG (RFC 4035 §3.1.3), the
 * only records keep_sec() would take from it; an SOA (RFC 2308 §3) is not
 * read. Only the types are looked at, each record passed over by its
 * RDLENGTH (RFC 1035 §4.1.3); anything that does not add up is left to the
 * library's whole read.
 */
static bool empty_without_proof(const unsigned char *msg, size_t len)
{
	size_t qdcount = (size_t)msg[4] << 8 | msg[5], nscount = (size_t)msg[8] << 8 | msg[9];
	size_t at = 12;
	for (size_t i = 0; i < qdcount; i++) {
		at = skip_name(msg, len, at);
		if (!at || len - at < 4)
			return false;
		at += 4; /* QTYPE, QCLASS */
	}
	for (size_t i = 0; i < nscount; i++) {
		at = skip_name(msg, len, at);
		if (!at || len - at < 10)
			return false;
		unsigned type = (unsigned)msg[at] << 8 | msg[at + 1];
		size_t rdlength = (size_t)msg[at + 8] << 8 | msg[at + 9];
		if (type == LDNS_RR_TYPE_RRSIG || type == LDNS_RR_TYPE_NSEC ||
		    type == LDNS_RR_TYPE_NSEC3 || len - at - 10 < rdlength)
			return false;
		at += 10 + rdlength;
	}
	return true;
}

/*
 * Whether the authority section holds the SOA of a zone at or above `name`.
 * A negative answer carries the SOA of the zone of the last name of its
 * CNAME chain (RFC 2308 §2.1, §2.2): with it the server has answered for
 * that name. A referral or an unchased out-of-zone target has no such SOA.
 */
static bool soa_encloses(const ldns_pkt *pkt, const ldns_rdf *name)
{
	ldns_rr_list *au = ldns_pkt_authority(pkt);
	size_t n = au ? ldns_rr_list_rr_count(au) : 0;
	for (size_t i = 0; i < n; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(au, i);
		const ldns_rdf *zone = ldns_rr_owner(rr);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA &&
		    (ldns_dname_compare(zone, name) == 0 || ldns_dname_is_subdomain(name, zone)))
			return true;
	}
	return false;
}

struct dd_answer *dd_wire_answer(const char *qname, uint16_t qtype, const unsigned char *msg,
                                 size_t len)
{
	/* Most answers of a batch are empty - NXDOMAIN or NODATA of a selector
	 * probe, with the zone's SOA - and then their header says all there is
	 * (RFC 1035 §4.1.1): no packet to build for them (building and freeing
	 * one was 40 % of the DNS thread). An authority section holding the
	 * NSEC/NSEC3 proof DNSSEC needs is read whole. The resolver library has
	 * matched the question already. */
	if (len >= 12 && msg[6] == 0 && msg[7] == 0 &&
	    ((msg[3] & 0x0f) == 0 || (msg[3] & 0x0f) == 3) && empty_without_proof(msg, len))
		return dd_answer_create(qname, qtype,
		                        (msg[3] & 0x0f) == 3 ? DD_DNS_NXDOMAIN : DD_DNS_NODATA);
	/* read with ARCOUNT 0: nothing here reads the additional section (no
	 * glue, no EDNS option), and ldns 1.8.3 leaks every TSIG record in it
	 * but the last (ldns_wire2pkt overwrites the packet's one), which a
	 * hostile server can send by the dozen in every answer */
	unsigned char copy_on_stack[1500], *copy = copy_on_stack;
	if (len > sizeof(copy_on_stack))
		copy = xmalloc(len);
	if (len) /* msg may be NULL then */
		memcpy(copy, msg, len);
	if (len >= 12)
		copy[10] = copy[11] = 0;
	ldns_pkt *pkt = NULL;
	ldns_status parsed = ldns_wire2pkt(&pkt, copy, len);
	if (copy != copy_on_stack)
		free(copy);
	if (parsed != LDNS_STATUS_OK)
		return dd_answer_create(qname, qtype, DD_DNS_SERVFAIL);

	enum dd_dns_status status;
	switch (ldns_pkt_get_rcode(pkt)) {
	case LDNS_RCODE_NOERROR: status = DD_DNS_NODATA; break;
	case LDNS_RCODE_NXDOMAIN: status = DD_DNS_NXDOMAIN; break;
	case LDNS_RCODE_REFUSED: status = DD_DNS_REFUSED; break;
	default: status = DD_DNS_SERVFAIL; break;
	}
	struct dd_answer *ans = dd_answer_create(qname, qtype, status);
	ldns_rr_list *an = ldns_pkt_answer(pkt);
	size_t count = an ? ldns_rr_list_rr_count(an) : 0;

	/* Follow the chain inside the message, at most as many steps as records.
	 * Names are compared as ldns dnames (case-insensitive, RFC 4343): turning
	 * every owner into text was a tenth of a batch run's CPU. */
	ldns_rr_list *question = ldns_pkt_question(pkt);
	ldns_rdf *cur = question && ldns_rr_list_rr_count(question) == 1
	                        ? ldns_rdf_clone(ldns_rr_owner(ldns_rr_list_rr(question, 0)))
	                        : ldns_dname_new_frm_str(qname); /* c-ares checked the question */
	for (size_t step = 0; cur && qtype != DD_RR_CNAME && step < count; step++) {
		const ldns_rr *next = NULL;
		for (size_t i = 0; i < count && !next; i++) {
			const ldns_rr *rr = ldns_rr_list_rr(an, i);
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME &&
			    ldns_rr_rd_count(rr) > 0 &&
			    ldns_dname_compare(ldns_rr_owner(rr), cur) == 0)
				next = rr;
		}
		if (!next)
			break;
		char *target = dd_wire_name(ldns_rr_rdf(next, 0));
		dd_answer_add_cname(ans, target);
		free(target);
		ldns_rdf_deep_free(cur);
		cur = ldns_rdf_clone(ldns_rr_rdf(next, 0));
	}
	if (status == DD_DNS_NODATA && cur) {
		for (size_t i = 0; i < count; i++) {
			const ldns_rr *rr = ldns_rr_list_rr(an, i);
			if (ldns_rr_get_type(rr) == qtype &&
			    ldns_dname_compare(ldns_rr_owner(rr), cur) == 0)
				dd_wire_add_rr(ans, rr, 0);
		}
		if (ans->nrrs)
			ans->status = DD_DNS_OK;
	}
	if (ans->status == DD_DNS_NODATA && ans->ncnames && cur)
		ans->target_proven_empty = soa_encloses(pkt, cur);
	if (status == DD_DNS_NODATA || status == DD_DNS_NXDOMAIN)
		keep_sec(ans, pkt, cur, qtype);
	ldns_rdf_deep_free(cur);
	ldns_pkt_free(pkt);
	return ans;
}
