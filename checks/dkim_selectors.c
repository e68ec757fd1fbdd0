/*
 * dkim_selectors.c: the selectors probed for every domain, each with the
 * provider known to use it, so the output can say "Google Workspace key
 * found". DKIM keys cannot be listed from DNS (RFC 6376 §3.6.2.1): a
 * selector missing from this table is never found unless the user names it
 * with --selector.
 */
#include <stddef.h>

#include "dd/dkim.h"
#include "dd/util.h"

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct {
	const char *selector;
	const char *provider; /* NULL: a generic name many signers use */
} probes[] = {
	{"google", "Google Workspace"},
	{"selector1", "Microsoft 365"},
	{"selector2", "Microsoft 365"},
	{"k1", "Mailchimp"},
	{"k2", "Mailchimp"},
	{"k3", "Mailchimp"},
	{"mandrill", "Mailchimp Transactional (Mandrill)"},
	{"mte1", "Mailchimp Transactional (Mandrill)"},
	{"s1", "SendGrid"},
	{"s2", "SendGrid"},
	{"smtpapi", "SendGrid"},
	{"mx", "Mailgun"},
	{"smtp", "Mailgun"},
	{"mg", "Mailgun"},
	{"krs", "Mailgun"},
	{"pm", "Postmark"},
	{"zoho", "Zoho Mail"},
	{"zmail", "Zoho Mail"},
	{"fm1", "Fastmail"},
	{"fm2", "Fastmail"},
	{"fm3", "Fastmail"},
	{"protonmail", "Proton Mail"},
	{"protonmail2", "Proton Mail"},
	{"protonmail3", "Proton Mail"},
	{"hs1", "HubSpot"},
	{"hs2", "HubSpot"},
	{"sf1", "Salesforce"},
	{"sf2", "Salesforce"},
	{"s1024", "Yahoo"},
	{"s2048", "Yahoo"},
	{"default", NULL},
	{"dkim", NULL},
	{"mail", NULL},
	{"email", NULL},
	{"key1", NULL},
	{"key2", NULL},
	{"selector", NULL},
	{"s", NULL},
	{"dk", NULL},
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
