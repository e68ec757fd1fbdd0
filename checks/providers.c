/*
 * providers.c: the big mailbox providers' rules for senders, as findings
 * with the date they took effect (sources in checks/findings.c):
 *  - Gmail and Yahoo, February 2024, and Outlook.com, 5 May 2025: senders of
 *    more than 5,000 messages a day need SPF, DKIM and DMARC (at least
 *    p=none) with alignment. Reported for a domain that may send mail and
 *    lacks one of the three as far as the DNS shows.
 *  - docomo mail: what it does with mail failing DMARC for the domain, by
 *    the domain's policy (quarantine to the spam folder since 13 February
 *    2025; none delivered); nothing at reject, where nothing is left to do.
 *
 * Ignores: volumes (the DNS cannot tell a bulk sender), alignment of real
 * mail, one-click unsubscribe, spam rates, PTR records. A domain that sends
 * no mail (null MX or no MX, "v=spf1 -all") is not a sender and gets none of
 * the sender rules. A lookup that failed is not reported as missing.
 * Runs after the SPF, DMARC and DKIM checks: it reads what they extracted.
 */
#include <string.h>

#include "dd/check.h"
#include "dd/util.h"

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct dd_text msg_docomo_quarantine = {
	"docomo mail (docomo.ne.jp) puts mail that fails DMARC for {1} into the spam folder: it honours quarantine for every user since 13 February 2025; at reject such mail would be refused.",
	"ドコモメール (docomo.ne.jp) は {1} の DMARC に失敗したメールを迷惑メールフォルダに振り分けます (2025年2月13日から全利用者で quarantine に対応)。reject なら受信拒否されます。",
};
static const struct dd_text fix_docomo_quarantine = {
	"Move on to reject, as the advice says, once the reports show no legitimate mail failing.",
	"レポートで正規のメールが失敗していないことを確かめたら、アドバイスに従って reject に移行してください。",
};
/* clang-format on */

/* SPF findings that make receivers return permerror: SPF fails for every message. */
static const char *const spf_permerror[] = {
	"spf.multiple",   "spf.syntax",          "spf.lookup-limit",
	"spf.void-limit", "spf.include-missing", "spf.loop",
};

static bool spf_lacking(const struct dd_result *r)
{
	if (r->spf.state == DD_STATE_MISSING)
		return true;
	for (size_t i = 0; i < DD_ARRAY_LEN(spf_permerror); i++)
		if (dd_findings_has(&r->findings, spf_permerror[i]))
			return true;
	return false;
}

static bool dkim_lacking(const struct dd_result *r)
{
	if (dd_findings_has(&r->findings, "dkim.none-found"))
		return true;
	/* no key at any probed selector, no probe failed and none left unasked
	 * (--offline: a selector's CNAME out of the zone may lead to the key) */
	return r->dkim.n == 0 && r->dkim.probed > 0 && r->dkim.failed == 0 &&
	       r->dkim.state != DD_STATE_UNKNOWN;
}

static bool dmarc_lacking(const struct dd_result *r)
{
	return r->dmarc.state == DD_STATE_MISSING ||
	       (r->dmarc.state == DD_STATE_FOUND && !dd_policy_valid(r->dmarc.policy));
}

static void sender_rules(const struct dd_posture *p, struct dd_result *r)
{
	struct dd_strbuf lacks;
	dd_strbuf_init(&lacks);
	if (spf_lacking(r))
		dd_strbuf_adds(&lacks, "SPF");
	if (dkim_lacking(r))
		dd_strbuf_adds(&lacks, lacks.len ? ", DKIM" : "DKIM");
	if (dmarc_lacking(r))
		dd_strbuf_adds(&lacks, lacks.len ? ", DMARC" : "DMARC");
	if (lacks.len) {
		dd_findings_add(&r->findings, "provider.gmail-yahoo", p->domain, lacks.s, NULL);
		dd_findings_add(&r->findings, "provider.outlook", p->domain, lacks.s, NULL);
	}
	dd_strbuf_finish(&lacks);
}

/*
 * At reject there is nothing to tell: docomo refuses the mail as every
 * receiver does, and a finding with nothing to do would fail every
 * --fail-on info gate of a domain that is done.
 */
static void docomo(const struct dd_posture *p, struct dd_result *r)
{
	if (r->dmarc.state != DD_STATE_FOUND || !dd_policy_valid(r->dmarc.policy) ||
	    r->dmarc.policy == DD_POLICY_REJECT)
		return;
	struct dd_finding *f = dd_findings_add(&r->findings, "provider.docomo", p->domain, NULL);
	if (r->dmarc.policy == DD_POLICY_QUARANTINE) {
		f->message = &msg_docomo_quarantine;
		f->fix = &fix_docomo_quarantine;
	}
}

static void providers_wants(const struct dd_posture *p, struct dd_wants *out)
{
	(void)p;
	(void)out;
}

static void providers_judge(const struct dd_posture *p, struct dd_result *r)
{
	/* a name that does not exist sends nothing legitimate: the DMARC check's np says so */
	bool ghost = r->dmarc.state == DD_STATE_FOUND && !r->dmarc.exists;
	if (!dd_result_is_non_sending(r) && !ghost)
		sender_rules(p, r);
	docomo(p, r);
}

const struct dd_check dd_check_providers = {
	.name = "provider", /* its findings are provider.*: one JUnit testcase */
	.wants = providers_wants,
	.follow = NULL,
	.judge = providers_judge,
};
