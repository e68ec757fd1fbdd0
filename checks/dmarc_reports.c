/*
 * dmarc_reports.c: where the reports of the record that applies go (rua and
 * ruf, RFC 9989 §4.7), and whether they can arrive:
 *  - a destination outside the Organizational Domain must authorise the
 *    reports with a TXT record "v=DMARC1" at
 *    <policy domain>._report._dmarc.<destination host> (RFC 9990, "Verifying
 *    External Destinations"; RFC 7489 §7.1), or receivers drop the URI;
 *    a wildcard (*._report._dmarc.<host>) authorises every domain, and the
 *    DNS answers it like any other name;
 *  - the destination domain must receive mail: a null MX (RFC 7505), or no
 *    MX and no address (RFC 5321 §5.1), loses every report.
 * A failed lookup leaves the answer undetermined, never "unauthorised".
 *
 * Deliberately simplified: RFC 9990 compares the Organizational Domains of
 * the record and of the destination; here a destination at or below the
 * record's Organizational Domain is internal and any other is external
 * (a destination below it that declares itself an Organizational Domain
 * with psd=n would count as external for a receiver; that is not looked
 * up). The override of the destination by a rua in the authorisation
 * record (step 9) is not checked. Only mailto destinations are followed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc_int.h"
#include "dd/util.h"

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct dd_text msg_auth_too_long = {
	"{2} cannot authorise reports about {1}: the name {3} would be longer than the DNS allows, so receivers will not send them there.",
	"{2} は {1} のレポート受信を承認できません。{3} という名前は DNS の上限より長くなるため、受信側はレポートを送りません。",
};
static const struct dd_text msg_null_mx = {
	"{2} (in {3} of the DMARC record for {1}) cannot receive mail: it publishes a null MX (RFC 7505), so every report sent there is lost.",
	"{2} ({1} の DMARC レコードの {3}) はメールを受け取れません。null MX (RFC 7505) を公開しているため、送られたレポートはすべて失われます。",
};
/* clang-format on */

/* The domain the record that applies was found at, and its Organizational Domain. */
static const char *policy_domain(const struct dmarc_walk *w)
{
	return w->applies ? w->applies->domain : NULL;
}

static const char *org_of(const struct dmarc_walk *w)
{
	return w->org ? w->org : policy_domain(w);
}

/* <policy domain>._report._dmarc.<host>; it may be too long to be asked */
static char *auth_name(const char *pdomain, const char *host)
{
	return xasprintf("%s._report._dmarc.%s", pdomain, host);
}

static bool fits_dns(const char *name)
{
	return strlen(name) <= DD_NAME_MAX;
}

void dmarc_reports_want(const struct dd_posture *p, const struct dmarc_walk *w,
                        struct dd_wants *out)
{
	if (!w->applies)
		return;
	const struct dd_dmarc_record *rec = w->applies->rec;
	for (size_t i = 0; i < rec->nuris; i++) {
		const struct dd_dmarc_uri *u = &rec->uris[i];
		if (!u->valid || !u->mailto)
			continue;
		dd_wants_add(out, u->host, DD_RR_MX);
		if (dd_name_is_under(u->host, org_of(w)))
			continue;
		/* An external destination: its address records are asked beside
		 * its MX instead of after it, so that checking it costs one round
		 * trip, not two; for the domain's own hosts (usually with MX) they
		 * are asked only when the MX answer says they are needed. */
		dd_wants_add(out, u->host, DD_RR_A);
		dd_wants_add(out, u->host, DD_RR_AAAA);
		char *name = auth_name(policy_domain(w), u->host);
		if (fits_dns(name))
			dd_wants_add(out, name, DD_RR_TXT);
		free(name);
	}
	(void)p;
}

/* RFC 5321 §5.1: without MX records, the address records are the mail host. */
void dmarc_reports_follow(const struct dd_posture *p, size_t qi, struct dd_wants *out)
{
	const struct dd_query *q = &p->queries[qi];
	if (q->type != DD_RR_MX || !q->answer || !dd_dns_status_is_absent(q->answer->status))
		return;
	dd_wants_add(out, q->name, DD_RR_A);
	dd_wants_add(out, q->name, DD_RR_AAAA);
}

static enum dd_report_auth judge_auth(const struct dd_posture *p, const char *name)
{
	if (!fits_dns(name))
		return DD_REPORT_AUTH_NO;
	const struct dd_answer *a = dd_posture_answer(p, name, DD_RR_TXT);
	if (!a || a->status == DD_DNS_UNKNOWN)
		return DD_REPORT_AUTH_UNKNOWN; /* offline, or a cap stopped the question */
	if (dd_dns_status_is_failure(a->status))
		return DD_REPORT_AUTH_UNDETERMINED;
	/* steps 6-8: at least one record that starts with v=DMARC1 */
	for (size_t i = 0; i < a->nrrs; i++)
		if (dd_dmarc_is_record(a->rrs[i].data, a->rrs[i].len))
			return DD_REPORT_AUTH_YES;
	return DD_REPORT_AUTH_NO;
}

static enum dd_report_mail judge_addresses(const struct dd_posture *p, const char *host)
{
	static const uint16_t types[] = { DD_RR_A, DD_RR_AAAA };
	bool failed = false;
	for (size_t i = 0; i < DD_ARRAY_LEN(types); i++) {
		const struct dd_answer *a = dd_posture_answer(p, host, types[i]);
		if (!a || a->status == DD_DNS_UNKNOWN || dd_dns_status_is_failure(a->status))
			failed = true;
		else if (a->nrrs > 0)
			return DD_REPORT_MAIL_YES;
	}
	return failed ? DD_REPORT_MAIL_UNDETERMINED : DD_REPORT_MAIL_NO;
}

static enum dd_report_mail judge_mail(const struct dd_posture *p, const char *host, bool *null_mx)
{
	const struct dd_answer *a = dd_posture_answer(p, host, DD_RR_MX);
	*null_mx = false;
	if (!a || a->status == DD_DNS_UNKNOWN)
		return DD_REPORT_MAIL_UNKNOWN;
	if (dd_dns_status_is_failure(a->status))
		return DD_REPORT_MAIL_UNDETERMINED;
	if (a->nrrs == 1 && strcmp(a->rrs[0].data, ".") == 0) {
		*null_mx = true;
		return DD_REPORT_MAIL_NO;
	}
	if (a->nrrs > 0)
		return DD_REPORT_MAIL_YES;
	return judge_addresses(p, host);
}

static bool seen_before(const struct dd_dmarc_info *d, size_t upto, const char *host, bool ruf,
                        bool by_kind)
{
	for (size_t i = 0; i < upto; i++)
		if (strcmp(d->dests[i].host, host) == 0 && (!by_kind || d->dests[i].ruf == ruf))
			return true;
	return false;
}

static void dest_findings(const struct dd_posture *p, const struct dmarc_walk *w,
                          const struct dd_dmarc_dest *d, size_t di, struct dd_result *r,
                          bool null_mx)
{
	const struct dmarc_level *lv = w->applies;
	const char *tag = d->ruf ? "ruf" : "rua";
	if (d->auth == DD_REPORT_AUTH_NO && !seen_before(&r->dmarc, di, d->host, d->ruf, true)) {
		struct dd_finding *f = dmarc_finding_at(r, p, lv, lv->rr,
		                                        d->ruf ? "dmarc.ruf-unauthorized"
		                                               : "dmarc.rua-unauthorized",
		                                        lv->domain, d->host, d->auth_name, NULL);
		if (!fits_dns(d->auth_name))
			f->message = &msg_auth_too_long;
		else
			dd_finding_add_chain(f, d->auth_name);
	}
	if (d->mail == DD_REPORT_MAIL_NO && !seen_before(&r->dmarc, di, d->host, d->ruf, false)) {
		struct dd_finding *f =
		        dmarc_finding_at(r, p, lv, lv->rr, "dmarc.report-undeliverable", p->domain,
		                         d->host, tag, NULL);
		dd_finding_add_chain(f, d->host);
		if (null_mx)
			f->message = &msg_null_mx;
	}
}

void dmarc_reports_judge(const struct dd_posture *p, const struct dmarc_walk *w,
                         struct dd_result *r)
{
	if (!w->applies)
		return;
	const struct dd_dmarc_record *rec = w->applies->rec;
	struct dd_dmarc_info *info = &r->dmarc;
	info->dests = xcalloc(rec->nuris ? rec->nuris : 1, sizeof(*info->dests));
	for (size_t i = 0; i < rec->nuris; i++) {
		const struct dd_dmarc_uri *u = &rec->uris[i];
		if (!u->valid || !u->mailto)
			continue;
		struct dd_dmarc_dest *d = &info->dests[info->ndests];
		d->ruf = u->ruf;
		d->uri = xstrndup(u->text, u->uri_len);
		d->host = xstrdup(u->host);
		d->external = !dd_name_is_under(u->host, org_of(w));
		d->auth = DD_REPORT_AUTH_INTERNAL;
		if (d->external) {
			d->auth_name = auth_name(policy_domain(w), u->host);
			d->auth = judge_auth(p, d->auth_name);
		}
		bool null_mx;
		d->mail = judge_mail(p, u->host, &null_mx);
		dest_findings(p, w, d, info->ndests, r, null_mx);
		info->ndests++;
	}
}

const char *dd_report_auth_name(enum dd_report_auth a)
{
	switch (a) {
	case DD_REPORT_AUTH_INTERNAL: return "internal";
	case DD_REPORT_AUTH_YES: return "authorized";
	case DD_REPORT_AUTH_NO: return "unauthorized";
	case DD_REPORT_AUTH_UNDETERMINED: return "undetermined";
	case DD_REPORT_AUTH_UNKNOWN: return "unknown";
	}
	return "unknown";
}

const char *dd_report_mail_name(enum dd_report_mail m)
{
	switch (m) {
	case DD_REPORT_MAIL_YES: return "yes";
	case DD_REPORT_MAIL_NO: return "no";
	case DD_REPORT_MAIL_UNDETERMINED: return "undetermined";
	case DD_REPORT_MAIL_UNKNOWN: return "unknown";
	}
	return "unknown";
}
