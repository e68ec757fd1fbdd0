/*
 * tls_rpt.c: SMTP TLS Reporting (RFC 8460). The TXT record at
 * _smtp._tls.<domain> says where senders send reports of TLS failures:
 * "v=TLSRPTv1; rua=mailto:...,https://...". Judged: one record (§3: more
 * than one and senders send nothing), v first, a rua, each URI mailto: with
 * an address or https: with a valid host. Reported as missing only beside
 * MTA-STS, whose failures it reports (RFC 8461 §7 points to it).
 *
 * Deliberately ignored: whether the destinations accept reports (no mail
 * or HTTP is sent to them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/parse.h"
#include "dd/util.h"

bool dd_tlsrpt_record_is_tlsrpt(const char *txt, size_t len)
{
	/* §3: records that do not begin with "v=TLSRPTv1;" are discarded */
	return len >= 10 && memcmp(txt, "v=TLSRPTv1", 10) == 0 &&
	       (len == 10 || txt[10] == ';' || txt[10] == ' ' || txt[10] == '\t');
}

static bool mailto_ok(const char *s, size_t len)
{
	/* mailto:local@domain, an optional ?query ignored */
	const char *q = memchr(s, '?', len);
	if (q)
		len = (size_t)(q - s);
	const char *at = memchr(s, '@', len);
	if (!at || at == s)
		return false;
	for (const char *c = s; c < at; c++)
		if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f || *c == ',')
			return false;
	char host[DD_NAME_MAX + 1];
	size_t hl = len - (size_t)(at + 1 - s);
	return dd_name_normalize(at + 1, hl, host, sizeof(host)) && dd_name_labels(host) >= 2;
}

static bool uri_ok(const char *s, size_t len)
{
	char host[DD_NAME_MAX + 1];
	uint16_t port;
	if (dd_memcaseprefix(s, len, "mailto:"))
		return mailto_ok(s + 7, len - 7);
	return dd_url_parse_https(s, len, host, &port);
}

void dd_tlsrpt_record_parse(const char *txt, size_t len, struct dd_tlsrpt_record *out)
{
	memset(out, 0, sizeof(*out));
	struct dd_taglist tl;
	dd_taglist_parse(txt, len, &tl);
	out->syntax_ok = tl.error == NULL && !tl.truncated;
	out->version_ok = tl.n > 0 && tl.tags[0].name_len == 1 && tl.tags[0].name[0] == 'v' &&
	                  tl.tags[0].value_len == 8 && memcmp(tl.tags[0].value, "TLSRPTv1", 8) == 0;
	const struct dd_tag *rua = dd_taglist_get(&tl, "rua");
	if (!rua || rua->value_len == 0) {
		out->no_rua = true;
		return;
	}
	const char *s = rua->value, *end = rua->value + rua->value_len;
	while (s <= end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *e = comma ? comma : end;
		const char *a = s, *b = e;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (!uri_ok(a, (size_t)(b - a))) {
			if (!out->bad_rua++)
				out->first_bad =
				        xstrndup(a, (size_t)(b - a) > 200 ? 200 : (size_t)(b - a));
		} else if (out->nrua < DD_TLSRPT_MAX_RUA) {
			out->rua[out->nrua++] = xstrndup(a, (size_t)(b - a));
		}
		if (!comma)
			break;
		s = comma + 1;
	}
}

void dd_tlsrpt_record_finish(struct dd_tlsrpt_record *r)
{
	for (size_t i = 0; i < r->nrua; i++)
		free(r->rua[i]);
	free(r->first_bad);
	memset(r, 0, sizeof(*r));
}

void dd_tls_rpt_info_finish(struct dd_tls_rpt_info *t)
{
	free(t->record);
	for (size_t i = 0; i < t->nrua; i++)
		free(t->rua[i]);
	free(t->rua);
	memset(t, 0, sizeof(*t));
}

static bool rpt_name(const struct dd_posture *p, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "_smtp._tls.%s", p->domain);
	return n > 0 && (size_t)n < outsz;
}

static void rpt_wants(const struct dd_posture *p, struct dd_wants *out)
{
	char name[DD_NAME_MAX + 16];
	if (rpt_name(p, name, sizeof(name)))
		dd_wants_add(out, name, DD_RR_TXT);
}

static struct dd_finding *add(struct dd_result *r, const struct dd_posture *p, const char *id,
                              long qi, const struct dd_rr *rr, const char *a2)
{
	struct dd_finding *f = dd_findings_add(&r->findings, id, p->domain, a2, NULL);
	if (qi >= 0) {
		dd_finding_from_query(f, p, (size_t)qi);
		dd_finding_locate(f, p->queries[qi].answer, rr);
	}
	if (rr)
		dd_finding_set_record(f, rr->data, rr->len);
	return f;
}

static void rpt_judge(const struct dd_posture *p, struct dd_result *r)
{
	struct dd_tls_rpt_info *t = &r->tls_rpt;
	char name[DD_NAME_MAX + 16];
	long qi = rpt_name(p, name, sizeof(name)) ? dd_posture_find(p, name, DD_RR_TXT) : -1;
	const struct dd_answer *a = qi >= 0 ? p->queries[qi].answer : NULL;
	if (dd_answer_settles(a, &t->state))
		return;
	const struct dd_rr *rec;
	size_t n = dd_answer_count_records(a, dd_tlsrpt_record_is_tlsrpt, &rec);
	if (!rec) {
		t->state = DD_STATE_MISSING;
		/* MX judged before: r->mta_sts is judged after this check, so look at the record */
		char sts[DD_NAME_MAX + 16];
		snprintf(sts, sizeof(sts), "_mta-sts.%s", p->domain);
		const struct dd_rr *sts_rec;
		if (dd_answer_count_records(dd_posture_answer(p, sts, DD_RR_TXT),
		                            dd_sts_record_is_sts, &sts_rec))
			add(r, p, "tls-rpt.missing", qi, NULL, NULL);
		return;
	}
	t->state = DD_STATE_FOUND;
	t->record = xstrndup(rec->data, rec->len);
	if (n > 1) {
		char cnt[24];
		snprintf(cnt, sizeof(cnt), "%zu", n);
		add(r, p, "tls-rpt.multiple", qi, rec, cnt);
		return;
	}
	struct dd_tlsrpt_record tr;
	dd_tlsrpt_record_parse(rec->data, rec->len, &tr);
	static const struct dd_text version = { "v=TLSRPTv1 must be the first tag",
		                                "最初のタグは v=TLSRPTv1 でなければなりません" };
	static const struct dd_text no_rua = { "there is no rua (where reports go)",
		                               "rua (レポートの送り先) がありません" };
	const struct dd_text *why = !tr.version_ok  ? &version
	                            : !tr.syntax_ok ? &dd_taglist_broken
	                            : tr.no_rua     ? &no_rua
	                                            : NULL;
	if (why)
		dd_finding_arg_ja(add(r, p, "tls-rpt.syntax", qi, rec, why->en), 1, why->ja);
	if (tr.bad_rua)
		add(r, p, "tls-rpt.bad-rua", qi, rec, tr.first_bad);
	t->rua = xcalloc(tr.nrua ? tr.nrua : 1, sizeof(char *));
	for (size_t i = 0; i < tr.nrua; i++) {
		t->rua[i] = tr.rua[i];
		tr.rua[i] = NULL;
	}
	t->nrua = tr.nrua;
	tr.nrua = 0;
	dd_tlsrpt_record_finish(&tr);
}

const struct dd_check dd_check_tls_rpt = {
	.name = "tls-rpt",
	.wants = rpt_wants,
	.follow = NULL,
	.judge = rpt_judge,
};
