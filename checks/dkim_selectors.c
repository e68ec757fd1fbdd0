/*
 * dkim_selectors.c: what we know about who signs with which selector.
 *
 *   probes[]       the selectors probed for every domain, each with the
 *                  provider that uses it, so the output can say "Google
 *                  Workspace key found";
 *   targets[]      CNAME targets that name their provider for certain
 *                  (selector1 -> ...onmicrosoft.com is Microsoft 365);
 *   unguessable[]  providers whose selectors are per-domain tokens, which
 *                  no list can guess (the output says so);
 *   spf_hints[]    SPF include: domains that reveal such a provider.
 *
 * DKIM keys cannot be listed from DNS (RFC 6376 §3.6.2.1): a selector
 * missing here is found only when the user names it with --selector.
 * Every entry cites where it was established. "corpus:" means a real zone
 * in /work/shared/corpus/zones (ZONES.md); "issue 4" means the selector
 * came with the issue and no public page for it was found.
 * A name several signers use is marked shared: its provider is a guess
 * unless the CNAME target confirms it.
 */
#include <stddef.h>
#include <string.h>

#include "dd/dkim.h"
#include "dd/util.h"

/* A generic name many signers use: no provider can be named. */
#define GENERIC NULL

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct {
	const char *selector;
	const char *provider; /* GENERIC (NULL) for names any signer may use */
	bool shared;          /* other signers use it too: the provider is a guess */
} probes[] = {
	/* https://support.google.com/a/answer/11611356 ("automatically set to the default, google") */
	{"google", "Google Workspace", false},
	/* https://learn.microsoft.com/en-us/defender-office-365/email-authentication-dkim-configure
	 * (MicrosoftDocs/defender-docs: "selector1._domainkey and selector2._domainkey",
	 * CNAMEs into the tenant) */
	{"selector1", "Microsoft 365", false},
	{"selector2", "Microsoft 365", false},
	/* https://netdig.tools/tools/mailchimp-dns-records (k1._domainkey CNAME dkim.mcsv.net) */
	{"k1", "Mailchimp", false},
	/* corpus: octodns/moj/justice.gov.uk.yaml, k2/k3 CNAME dkim2/dkim3.mcsv.net;
	 * issue 4 also lists both as generic names */
	{"k2", "Mailchimp", true},
	{"k3", "Mailchimp", true},
	/* https://www.suped.com/learn/dkim/a-list-of-the-most-common-dkim-selectors-and-how-to-use-them
	 * ("mandrill | Mandrill | legacy transactional mail") */
	{"mandrill", "Mailchimp Transactional (Mandrill)", false},
	/* https://mxio.io/providers/mandrill ("mte1, mte2 ... dkim1/dkim2.mandrillapp.com") */
	{"mte1", "Mailchimp Transactional (Mandrill)", false},
	{"mte2", "Mailchimp Transactional (Mandrill)", false},
	/* corpus: octodns/moj/lawcommission.gov.uk.yaml, s1/s2 CNAME *.sendgrid.net;
	 * other signers use s1/s2 too (Mailgun's API example names "s1") */
	{"s1", "SendGrid", true},
	{"s2", "SendGrid", true},
	/* suped.com list above ("smtpapi | SendGrid | older integrations") */
	{"smtpapi", "SendGrid", false},
	/* https://spfwise.com/en/article/mailgun-spf-dkim-dmarc-setup ("mx._domainkey DKIM TXT") */
	{"mx", "Mailgun", false},
	/* issue 4 (also a generic name) */
	{"smtp", "Mailgun", true},
	/* issue 4 */
	{"mg", "Mailgun", false},
	{"krs", "Mailgun", false},
	/* https://documentation.mailgun.com/docs/mailgun/user-manual/domains/dkim_security
	 * (Automatic Sender Security: pdk1/pdk2._domainkey CNAMEs) */
	{"pdk1", "Mailgun", false},
	{"pdk2", "Mailgun", false},
	/* issue 4; current Postmark selectors are dated tokens, see unguessable[] */
	{"pm", "Postmark", false},
	/* Zoho's own example "zoho._domainkey.zylker.org":
	 * https://help.extensionerp.com/portal/en/kb/articles/email-domain-verification */
	{"zoho", "Zoho", false},
	/* issue 4 */
	{"zmail", "Zoho Mail", false},
	/* https://www.fastmail.help/hc/en-us/articles/360060591153
	 * ("DKIM selectors fm1, fm2 and fm3", CNAMEs to dkim.fmhosted.com) */
	{"fm1", "Fastmail", false},
	{"fm2", "Fastmail", false},
	{"fm3", "Fastmail", false},
	/* https://proton.me/support/cname-problems and
	 * https://domainsecurityscanner.com/guides/proton-mail (three CNAMEs) */
	{"protonmail", "Proton Mail", false},
	{"protonmail2", "Proton Mail", false},
	{"protonmail3", "Proton Mail", false},
	/* issue 4; current HubSpot selectors carry the portal id, see unguessable[] */
	{"hs1", "HubSpot", false},
	{"hs2", "HubSpot", false},
	/* issue 4; Salesforce customers name their own selectors, see unguessable[] */
	{"sf1", "Salesforce", false},
	{"sf2", "Salesforce", false},
	/* https://dkim-studio.pages.dev/dkim-selectors-explained/ ("Yahoo s1024, s2048") */
	{"s1024", "Yahoo/AOL", false},
	{"s2048", "Yahoo/AOL", false},
	/* corpus: octodns/moj/justice.gov.uk.yaml, brevo1/brevo2 CNAME b1/b2.*.dkim.brevo.com */
	{"brevo1", "Brevo", false},
	{"brevo2", "Brevo", false},
	/* corpus: octodns/moj/yjb.gov.uk.yaml, eshot/eshot2 CNAME eshotdkim*.e-shot.org */
	{"eshot", "e-shot", false},
	{"eshot2", "e-shot", false},
	/* https://mxio.io/providers/zendesk ("zendesk1, zendesk2", CNAME-delegated) */
	{"zendesk1", "Zendesk", false},
	{"zendesk2", "Zendesk", false},
	/* https://dkim-studio.pages.dev/dkim-selectors-explained/ ("iCloud Mail sig1") */
	{"sig1", "iCloud Mail", false},
	/* https://help.sendmarc.com/support/solutions/articles/44001891845 */
	{"everlytickey1", "Everlytic", false},
	{"everlytickey2", "Everlytic", false},
	{"mxvault", "Global Micro", false},
	/* Japanese providers. https://kb.benchmarkemail.com/jp/what-is-dkim/
	 * (bmdeda._domainkey CNAME bmdeda._domainkey.bmsend.com) */
	{"bmdeda", "Benchmark Email", false},
	/* https://ferretone.zendesk.com/hc/ja/articles/360007133711 (ferretone-v1._domainkey) */
	{"ferretone-v1", "ferret One", false},
	/* Plesk publishes default._domainkey:
	 * https://docs.plesk.com/ja-JP/obsidian/customer-guide/メール設定/dkim-メール署名を有効にする.74718;
	 * many other signers use the name too */
	{"default", GENERIC, true},
	/* issue 4: generic names */
	{"dkim", GENERIC, true},
	{"mail", GENERIC, true},
	{"email", GENERIC, true},
	{"key1", GENERIC, true},
	{"key2", GENERIC, true},
	{"selector", GENERIC, true},
	{"s", GENERIC, true},
	{"dk", GENERIC, true},
};

/* CNAME targets (the owner after the chain) that name their provider. */
static const struct {
	const char *suffix; /* the target is this name or below it */
	const char *provider;
} targets[] = {
	/* learn.microsoft.com page above: ...onmicrosoft.com, and since 2025
	 * ...<prefix>.<char>-v1.dkim.mail.microsoft */
	{"onmicrosoft.com", "Microsoft 365"},
	{"dkim.mail.microsoft", "Microsoft 365"},
	{"mcsv.net", "Mailchimp"},
	{"mandrillapp.com", "Mailchimp Transactional (Mandrill)"},
	{"sendgrid.net", "SendGrid"},
	/* Mailgun page above: pdk1._domainkey.9d876.dkim1.mailgun.com */
	{"mailgun.com", "Mailgun"},
	{"dkim.fmhosted.com", "Fastmail"},
	/* domainsecurityscanner.com page above: ...domains.proton.ch */
	{"proton.ch", "Proton Mail"},
	{"protonmail.ch", "Proton Mail"},
	/* corpus: the octodns/moj zones */
	{"dkim.amazonses.com", "Amazon SES"},
	{"dkim.brevo.com", "Brevo"},
	{"custdkim.salesforce.com", "Salesforce"},
	{"dkim.atlassian.net", "Atlassian"},
	{"e-shot.org", "e-shot"},
	/* corpus: bind/ocf/etc/zones/db.asuc.org */
	{"dkim.custom-email-domain.stripe.com", "Stripe"},
	/* kb.benchmarkemail.com page above */
	{"bmsend.com", "Benchmark Email"},
};

static const char *const unguessable[] = {
	/* corpus: the octodns/moj zones, <32 random characters>._domainkey CNAME
	 * <same>.dkim.amazonses.com */
	"Amazon SES",
	/* https://trustyourinbox.com/kb/source-configuration/postmark
	 * ("date-based and assigned per key (something like 2026...pm._domainkey)") */
	"Postmark",
	/* https://wiredepth.com/docs/deauthorize/hubspot ("hs1-<portal-id>._domainkey") */
	"HubSpot",
	/* corpus: justice.gov.uk.yaml, jfeps._domainkey CNAME jfeps.*.custdkim.salesforce.com */
	"Salesforce",
	/* corpus: db.asuc.org, <token>._domainkey CNAME <token>.dkim.custom-email-domain.stripe.com */
	"Stripe",
	/* corpus: digital.justice.gov.uk.yaml, atlassian-<hex>._domainkey */
	"Atlassian",
};

static const struct {
	const char *suffix; /* include:<this or below> */
	const char *provider;
} spf_hints[] = {
	/* corpus: justice.gov.uk.yaml SPF records include amazonses.com */
	{"amazonses.com", "Amazon SES"},
	/* https://phishfence.io/learn/dmarc-postmark ("include:spf.mtasv.net") */
	{"mtasv.net", "Postmark"},
	/* https://wiredepth.com/docs/deauthorize/hubspot ("include:_hubspotemail.net or
	 * include:mail.hubspotemail.net") */
	{"hubspotemail.net", "HubSpot"},
};
/* clang-format on */

size_t dd_dkim_builtin_count(void)
{
	return DD_ARRAY_LEN(probes);
}

const char *dd_dkim_builtin_selector(size_t i)
{
	return i < DD_ARRAY_LEN(probes) ? probes[i].selector : NULL;
}

const char *dd_dkim_builtin_provider(size_t i)
{
	return i < DD_ARRAY_LEN(probes) ? probes[i].provider : NULL;
}

bool dd_dkim_builtin_shared(size_t i)
{
	return i < DD_ARRAY_LEN(probes) && probes[i].shared;
}

/* `name` is `suffix` or a name below it (case-insensitive, no trailing dot). */
static bool under(const char *name, size_t len, const char *suffix)
{
	if (len > 0 && name[len - 1] == '.')
		len--;
	size_t n = strlen(suffix);
	if (len < n || !dd_strncaseeq(name + len - n, suffix, n))
		return false;
	return len == n || name[len - n - 1] == '.';
}

const char *dd_dkim_provider_by_target(const char *name)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(targets); i++)
		if (under(name, strlen(name), targets[i].suffix))
			return targets[i].provider;
	return NULL;
}

size_t dd_dkim_unguessable_count(void)
{
	return DD_ARRAY_LEN(unguessable);
}

const char *dd_dkim_unguessable_provider(size_t i)
{
	return i < DD_ARRAY_LEN(unguessable) ? unguessable[i] : NULL;
}

const char *dd_dkim_unguessable_by_spf_include(const char *domain, size_t len)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(spf_hints); i++)
		if (under(domain, len, spf_hints[i].suffix))
			return spf_hints[i].provider;
	return NULL;
}
