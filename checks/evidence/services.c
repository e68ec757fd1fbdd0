/*
 * services.c: the mail services a DMARC aggregate report row can be traced
 * to, kept as data: the DKIM d= a service signs with before the customer
 * sets it up, its envelope (return-path) domains, the reverse DNS of its
 * servers, the selectors it uses at the customer's domain, and the fix that
 * makes its mail align, in English and Japanese.
 *
 * Every row cites where its naming is documented. "vendor:" is the
 * service's own documentation; "page:" a third-party page that shows the
 * names (used where no vendor page was at hand); "observed:" names seen in
 * real report rows and headers, not found in a page - treat those as the
 * weakest. Matching is by domain suffix (dd_service_by_*): the longest
 * suffix in the table wins, so the order of rows does not matter.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dd/evidence.h"
#include "dd/util.h"

/* A table reads best one entry at a time, as written. */
/* clang-format off */
const struct dd_mail_service dd_mail_services[] = {
	{
		.name = "Google Workspace", .kind = DD_SERVICE_SENDER,
		/* Without a key of its own Google signs with d=<domain>.<date>.gappssmtp.com */
		.dkim_domains = "gappssmtp.com", .spf_domains = "", .ptr_domains = "google.com",
		.selectors = "google",
		.fix = {"Turn on DKIM signing for {1} in the Google Admin console (Apps > Google Workspace > Gmail > Authenticate email) and publish the google._domainkey TXT record it shows.",
			"Google 管理コンソール (アプリ > Google Workspace > Gmail > メールの認証) で {1} の DKIM 署名を有効にし、表示される google._domainkey の TXT レコードを公開してください。"},
		.source = "vendor: https://support.google.com/a/answer/174124 (DKIM, default d= gappssmtp.com until set up); https://support.google.com/a/answer/180504 (selector google)",
	},
	{
		.name = "Google Groups", .kind = DD_SERVICE_FORWARDER,
		.dkim_domains = "googlegroups.com", .spf_domains = "googlegroups.com", .ptr_domains = "",
		.selectors = "",
		.fix = {"Nothing to fix at {1}: Google Groups re-sends the mail; its own DKIM signature or ARC carries it.",
			"{1} 側での対応は不要です。Google グループがメールを再送しており、その DKIM 署名や ARC で配送されます。"},
		.source = "vendor: https://support.google.com/a/answer/175365 (Groups and DMARC: messages rewritten and signed by googlegroups.com)",
	},
	{
		.name = "Microsoft 365", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "onmicrosoft.com", .spf_domains = "", .ptr_domains = "outbound.protection.outlook.com",
		.selectors = "selector1 selector2",
		.fix = {"Enable DKIM for {1} in the Microsoft Defender portal (Email authentication settings > DKIM) after publishing the CNAMEs selector1._domainkey.{1} and selector2._domainkey.{1} it shows; until then Microsoft 365 signs with the tenant's onmicrosoft.com domain.",
			"Microsoft Defender ポータル (メール認証の設定 > DKIM) に表示される selector1._domainkey.{1} と selector2._domainkey.{1} の CNAME を公開し、{1} の DKIM を有効にしてください。それまで Microsoft 365 はテナントの onmicrosoft.com ドメインで署名します。"},
		.source = "vendor: https://learn.microsoft.com/en-us/defender-office-365/email-authentication-dkim-configure (default signing with the *.onmicrosoft.com domain; selector1/selector2 CNAMEs)",
	},
	{
		.name = "Amazon SES", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "amazonses.com", .spf_domains = "amazonses.com", .ptr_domains = "amazonses.com",
		.selectors = "",
		.fix = {"Verify {1} in Amazon SES with Easy DKIM (publish the three token CNAMEs it shows) and set a custom MAIL FROM domain (e.g. bounce.{1}, with its MX and SPF records).",
			"Amazon SES で {1} を Easy DKIM により検証し (表示される 3 つのトークン CNAME を公開)、カスタム MAIL FROM ドメイン (例: bounce.{1}、その MX と SPF レコード) を設定してください。"},
		.source = "vendor: https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dkim-easy.html; https://docs.aws.amazon.com/ses/latest/dg/mail-from.html (default MAIL FROM a subdomain of amazonses.com)",
	},
	{
		.name = "SendGrid", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "sendgrid.net", .spf_domains = "sendgrid.net", .ptr_domains = "sendgrid.net",
		.selectors = "s1 s2",
		.fix = {"Authenticate {1} in SendGrid (Settings > Sender Authentication > Domain Authentication) and publish the CNAMEs it shows (s1/s2._domainkey and the em return-path): it then signs with d={1}.",
			"SendGrid (Settings > Sender Authentication > Domain Authentication) で {1} を認証し、表示される CNAME (s1/s2._domainkey と em の Return-Path) を公開してください。以後 d={1} で署名されます。"},
		.source = "vendor: https://www.twilio.com/docs/sendgrid/ui/account-and-settings/how-to-set-up-domain-authentication (default d=sendgrid.net)",
	},
	{
		.name = "Mailchimp", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "mcsv.net mcdlv.net rsgsv.net", .spf_domains = "mcsv.net mcdlv.net rsgsv.net", .ptr_domains = "mcsv.net mcdlv.net rsgsv.net",
		.selectors = "k2 k3",
		.fix = {"Authenticate {1} in Mailchimp (Domains > Authenticate) and publish the k2/k3._domainkey CNAMEs it shows: it then signs with d={1}.",
			"Mailchimp (ドメイン > 認証) で {1} を認証し、表示される k2/k3._domainkey の CNAME を公開してください。以後 d={1} で署名されます。"},
		.source = "vendor: https://mailchimp.com/help/set-up-email-domain-authentication/ (without it mail is signed by Mailchimp's domain)",
	},
	{
		.name = "Mailchimp Transactional (Mandrill)", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "mandrillapp.com", .spf_domains = "mandrillapp.com", .ptr_domains = "mandrillapp.com",
		.selectors = "mte1 mte2",
		.fix = {"Add {1} as a sending domain in Mandrill, publish the mte1/mte2._domainkey CNAMEs and a custom return-path (mandrill.{1}) it shows.",
			"Mandrill に {1} を送信ドメインとして追加し、表示される mte1/mte2._domainkey の CNAME とカスタム Return-Path (mandrill.{1}) を公開してください。"},
		.source = "vendor: https://mailchimp.com/developer/transactional/docs/authentication-delivery/",
	},
	{
		.name = "Salesforce", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "salesforce.com exacttarget.com", .spf_domains = "salesforce.com exacttarget.com", .ptr_domains = "salesforce.com exacttarget.com",
		.selectors = "",
		.fix = {"Create a DKIM key for {1} in Salesforce Setup (DKIM Keys) and publish the two CNAMEs it shows; for Marketing Cloud set up Sender Authentication for {1}.",
			"Salesforce の設定 (DKIM 鍵) で {1} の DKIM 鍵を作成し、表示される 2 つの CNAME を公開してください。Marketing Cloud では {1} の Sender Authentication を設定してください。"},
		.source = "vendor: https://help.salesforce.com/s/articleView?id=sf.emailadmin_create_secure_dkim.htm; observed: return-path and PTR under mta.salesforce.com, exacttarget.com",
	},
	{
		.name = "HubSpot", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "hubspotemail.net hubspotstarter.net", .spf_domains = "hubspotemail.net hubspotstarter.net", .ptr_domains = "hubspotemail.net",
		.selectors = "hs1 hs2",
		.fix = {"Connect {1} as an email sending domain in HubSpot (Settings > Domains & URLs) and publish the hs1/hs2._domainkey CNAMEs it shows.",
			"HubSpot (設定 > ドメインと URL) で {1} をメール送信ドメインとして接続し、表示される hs1/hs2._domainkey の CNAME を公開してください。"},
		.source = "vendor: https://knowledge.hubspot.com/domains-and-urls/connect-your-email-sending-domain",
	},
	{
		.name = "Zendesk", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "zendesk.com zdsys.com", .spf_domains = "zendesk.com zdsys.com", .ptr_domains = "zendesk.com zdsys.com",
		.selectors = "zendesk1 zendesk2",
		.fix = {"Publish the zendesk1/zendesk2._domainkey CNAMEs for {1} and turn on digital signatures in Zendesk (Admin Center > Channels > Email); add include:mail.zendesk.com to the SPF record.",
			"{1} の zendesk1/zendesk2._domainkey の CNAME を公開し、Zendesk (管理センター > チャネル > メール) でデジタル署名を有効にしてください。SPF レコードに include:mail.zendesk.com を加えてください。"},
		.source = "vendor: https://support.zendesk.com/hc/en-us/articles/4408832257562 (digitally signing email with DKIM/DMARC)",
	},
	{
		.name = "Mailgun", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "mailgun.org mailgun.net", .spf_domains = "mailgun.org mailgun.net", .ptr_domains = "mailgun.net mailgun.org",
		.selectors = "pdk1 pdk2 krs",
		.fix = {"Add {1} (or a subdomain such as mg.{1}) as a sending domain in Mailgun and publish the DKIM record and the email CNAME it shows.",
			"Mailgun に {1} (または mg.{1} などのサブドメイン) を送信ドメインとして追加し、表示される DKIM レコードと email の CNAME を公開してください。"},
		.source = "vendor: https://documentation.mailgun.com/docs/mailgun/user-manual/domains/dkim_security",
	},
	{
		.name = "Postmark", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "mtasv.net", .spf_domains = "mtasv.net", .ptr_domains = "mtasv.net",
		.selectors = "",
		.fix = {"Verify {1} in Postmark: publish the DKIM TXT record (its dated selector) and the custom Return-Path CNAME pm-bounces.{1} -> pm.mtasv.net.",
			"Postmark で {1} を検証してください。DKIM の TXT レコード (日付入りのセレクタ) と、カスタム Return-Path の CNAME pm-bounces.{1} -> pm.mtasv.net を公開します。"},
		.source = "vendor: https://postmarkapp.com/support/article/1091-how-do-i-set-up-dkim-for-postmark; https://postmarkapp.com/support/article/910-adding-a-custom-return-path-domain",
	},
	{
		.name = "Brevo", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "sendinblue.com brevosend.com brevo.com", .spf_domains = "sendinblue.com brevosend.com", .ptr_domains = "sendinblue.com brevo.com",
		.selectors = "brevo1 brevo2",
		.fix = {"Authenticate {1} in Brevo (Senders, Domains & Dedicated IPs > Domains) and publish the brevo1/brevo2._domainkey CNAMEs it shows.",
			"Brevo (送信者・ドメイン・専用 IP > ドメイン) で {1} を認証し、表示される brevo1/brevo2._domainkey の CNAME を公開してください。"},
		.source = "vendor: https://help.brevo.com/hc/en-us/articles/12163873383186 (authenticate your domain)",
	},
	{
		.name = "Cuenote", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "cuenote.jp", .spf_domains = "cuenote.jp", .ptr_domains = "cuenote.jp",
		.selectors = "",
		.fix = {"Register a DKIM key for {1} in Cuenote (set_dkim_key) and publish its selector._domainkey.{1} TXT record: Cuenote signs with its own *.cuenote.jp domain by default.",
			"Cuenote で {1} の DKIM 鍵を登録し (set_dkim_key)、セレクタ._domainkey.{1} の TXT レコードを公開してください。標準では Cuenote 自身の *.cuenote.jp ドメインで署名されます。"},
		.source = "vendor: https://cuenote.ne.jp/fc/faq/increase-success-rate/recommendation-exchange-dkim.html (default DKIM *.cuenote.jp); https://cuenote.ne.jp/srs/faq/increase-success-rate/dkim.html",
	},
	{
		.name = "blastmail", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "bmv.jp blastmail.jp", .spf_domains = "bmv.jp", .ptr_domains = "bmv.jp",
		.selectors = "",
		.fix = {"Set up the author signature (DKIM 作成者署名) for {1} in blastmail and publish the TXT record it shows; keep include:spf.bmv.jp in the SPF record.",
			"ブラストメールで {1} の DKIM 作成者署名を設定し、表示される TXT レコードを公開してください。SPF レコードの include:spf.bmv.jp は残してください。"},
		.source = "page: https://maven.co.jp/spam01 (include:spf.bmv.jp for blastmail); observed: d= bmv.jp before the author signature",
	},
	{
		.name = "WiLL Mail", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "willap.jp", .spf_domains = "willap.jp", .ptr_domains = "willap.jp",
		.selectors = "",
		.fix = {"Complete WiLL Mail's required settings for {1}: the author DKIM signature (作成者署名) with the record it shows, SPF and DMARC.",
			"WiLL Mail の必須設定事項に従い、{1} の DKIM 作成者署名 (表示されるレコード)、SPF、DMARC を設定してください。"},
		.source = "vendor: https://willcloud.jp/security/required-settings/ (SPF, DKIM author signature, DMARC required); observed: willap.jp envelope",
	},
	{
		.name = "Benchmark Email", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "bmsend.com benchmarkemail.com", .spf_domains = "bmsend.com", .ptr_domains = "bmsend.com",
		.selectors = "",
		.fix = {"Authenticate {1} in Benchmark Email (domain authentication: the DKIM CNAME it shows) and add include:bmsend.com to the SPF record.",
			"Benchmark Email で {1} のドメイン認証 (表示される DKIM の CNAME) を行い、SPF レコードに include:bmsend.com を加えてください。"},
		.source = "vendor: https://kb.benchmarkemail.com/jp/what-are-spf-records/ (include:bmsend.com)",
	},
	{
		.name = "Xserver", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "xserver.jp xbiz.ne.jp", .spf_domains = "xserver.jp xbiz.ne.jp", .ptr_domains = "xserver.jp xbiz.ne.jp",
		.selectors = "",
		.fix = {"Turn on DKIM for {1} in the Xserver server panel (メール > DKIM設定); when the DNS of {1} is elsewhere, publish the default._domainkey TXT record it shows and include:spf.sender.xserver.jp in SPF.",
			"Xserver のサーバーパネル (メール > DKIM設定) で {1} の DKIM を有効にしてください。{1} の DNS が他社の場合は、表示される default._domainkey の TXT レコードと SPF の include:spf.sender.xserver.jp を公開してください。"},
		.source = "page: https://zenn.dev/masa5714/articles/c8f1d4f9f551c9 (include:spf.sender.xserver.jp, sv*.xbiz.ne.jp hosts)",
	},
	{
		.name = "Sakura Internet", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "sakura.ne.jp", .spf_domains = "sakura.ne.jp", .ptr_domains = "sakura.ne.jp",
		.selectors = "",
		.fix = {"Turn on DKIM signing and DMARC for {1} in the Sakura rental server control panel (メール > DKIM/DMARC) and publish the TXT record it shows when the DNS of {1} is elsewhere.",
			"さくらのレンタルサーバのコントロールパネル (メール > DKIM/DMARC) で {1} の DKIM 署名を有効にし、{1} の DNS が他社の場合は表示される TXT レコードを公開してください。"},
		.source = "vendor: https://help.sakura.ad.jp/rs/2861 (SPF, DKIM, DMARC for the rental server); page: https://memo.furyutei.com/entry/20181103/1541203626 (servers wwwNNN.sakura.ne.jp)",
	},
	{
		.name = "NTT (OCN)", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "ocn.ne.jp ocn.ad.jp", .spf_domains = "ocn.ne.jp ocn.ad.jp", .ptr_domains = "ocn.ne.jp ocn.ad.jp",
		.selectors = "",
		.fix = {"Mail for {1} relayed through OCN cannot align: send it through a server or service that signs with d={1} (OCN's own domains cannot carry {1}'s SPF or DKIM).",
			"OCN を経由した {1} のメールはアラインできません。d={1} で署名するサーバやサービスから送信してください (OCN のドメインでは {1} の SPF や DKIM を扱えません)。"},
		.source = "vendor: https://service.ocn.ne.jp/option/mail/ocnmail/meiwaku/spf.html (OCN publishes SPF for its own domains); observed: PTR *.ocn.ne.jp",
	},
	{
		.name = "NTT Communications", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "ntt.com arcstar.ne.jp", .spf_domains = "ntt.com arcstar.ne.jp", .ptr_domains = "ntt.com arcstar.ne.jp",
		.selectors = "",
		.fix = {"Ask NTT Communications to sign {1}'s mail with d={1} (its business mail service supports DKIM for customer domains) and publish the record it gives.",
			"NTT コミュニケーションズに {1} のメールを d={1} で署名するよう依頼し (法人向けメールサービスは顧客ドメインの DKIM に対応)、提示されるレコードを公開してください。"},
		.source = "observed: PTR and envelope under ntt.com and arcstar.ne.jp; no vendor page at hand",
	},
	{
		.name = "KDDI", .kind = DD_SERVICE_SENDER,
		.dkim_domains = "kddi.com kddi-webcommunications.co.jp cpi.ad.jp", .spf_domains = "kddi.com kddi-webcommunications.co.jp cpi.ad.jp", .ptr_domains = "kddi.com cpi.ad.jp",
		.selectors = "",
		.fix = {"Turn on DKIM for {1} in the KDDI (CPI) control panel and publish the selector TXT record it shows, so that mail is signed with d={1}.",
			"KDDI (CPI) のコントロールパネルで {1} の DKIM を有効にし、表示されるセレクタの TXT レコードを公開して、d={1} で署名されるようにしてください。"},
		.source = "observed: PTR and envelope under kddi.com and cpi.ad.jp (KDDI Web Communications); no vendor page at hand",
	},
	{
		.name = "Mailing list (groups.io)", .kind = DD_SERVICE_FORWARDER,
		.dkim_domains = "groups.io", .spf_domains = "groups.io", .ptr_domains = "groups.io",
		.selectors = "",
		.fix = {"Nothing to fix at {1}: groups.io re-sends list mail under its own domain.",
			"{1} 側での対応は不要です。groups.io はメーリングリストのメールを自身のドメインで再送します。"},
		.source = "vendor: https://groups.io/helpcenter/ownersmanual/1/working-with-messages/dmarc (From rewriting and signing by groups.io)",
	},
};
/* clang-format on */

const size_t dd_mail_nservices = DD_ARRAY_LEN(dd_mail_services);

/*
 * The suffix index: every suffix of the three lists of every row, in a
 * hash table keyed by (list, name without case), built at the first lookup
 * and kept for the process. A lookup tries the name and each of its
 * parents (a.b.c, b.c, c), one probe sequence each: the longest suffix in
 * the table wins, and of two rows listing the same suffix the first. Walking
 * every suffix of every row cost a batch with reports 5 % of its time (six
 * lookups a report row); a binary search per parent was still a fifth of
 * building a domain's evidence (callgrind, store_gen query).
 */
enum suffix_list { BY_DKIM, BY_SPF, BY_PTR };

struct suffix {
	enum suffix_list list;
	const char *name; /* into the table's string, not NUL-terminated */
	size_t len;
	const struct dd_mail_service *service;
};

static struct suffix *suffixes;
static size_t nsuffixes;
static const struct suffix **slots; /* open addressing, NULL: empty */
static size_t nslots;               /* a power of two, at least twice nsuffixes */
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

/* The slot of (list, name): the entry's, or the empty one it would take. */
static const struct suffix **slot_of(enum suffix_list list, const char *name, size_t len)
{
	size_t i = dd_hash_nocase(name, len, (uint32_t)list) & (nslots - 1); /* the list seeds it */
	for (;; i = (i + 1) & (nslots - 1)) {
		const struct suffix *e = slots[i];
		if (!e || (e->list == list && e->len == len &&
		           dd_memcasecmp(e->name, e->len, name, len) == 0))
			return &slots[i];
	}
}

static size_t add_suffixes(const struct dd_mail_service *svc, enum suffix_list list,
                           const char *words, struct suffix *out)
{
	size_t n = 0;
	for (const char *p = words; *p;) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if (e > p && out)
			out[n] = (struct suffix){ list, p, (size_t)(e - p), svc };
		n += e > p;
		p = e;
	}
	return n;
}

static const char *list_of(const struct dd_mail_service *svc, enum suffix_list list)
{
	return list == BY_DKIM  ? svc->dkim_domains
	       : list == BY_SPF ? svc->spf_domains
	                        : svc->ptr_domains;
}

static void build_index(void)
{
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++) {
		n = 0;
		for (size_t i = 0; i < dd_mail_nservices; i++)
			for (enum suffix_list l = BY_DKIM; l <= BY_PTR; l++)
				n += add_suffixes(&dd_mail_services[i], l,
				                  list_of(&dd_mail_services[i], l),
				                  pass ? suffixes + n : NULL);
		if (!pass)
			suffixes = xcalloc(n ? n : 1, sizeof(*suffixes));
	}
	nsuffixes = n;
	for (nslots = 16; nslots < 2 * n; nslots *= 2)
		;
	slots = xcalloc(nslots, sizeof(*slots));
	for (size_t i = 0; i < n; i++) {
		const struct suffix **at =
		        slot_of(suffixes[i].list, suffixes[i].name, suffixes[i].len);
		if (!*at) /* a suffix listed twice: the first row keeps it */
			*at = &suffixes[i];
	}
}

static const struct dd_mail_service *by_suffix_uncached(enum suffix_list list, const char *name,
                                                        size_t nlen)
{
	for (size_t at = 0; at < nlen;) {
		const struct suffix *hit = *slot_of(list, name + at, nlen - at);
		if (hit)
			return hit->service;
		const char *dot = memchr(name + at, '.', nlen - at);
		if (!dot)
			break;
		at = (size_t)(dot - name) + 1;
	}
	return NULL;
}

/*
 * The last lookups of this thread, found or not. A domain's rows name the
 * same few domains over and over (the envelope domain of an ESP, the
 * domain itself): 79 500 lookups for 300 domains with a year of reports,
 * some 500 instructions each through the index, and most of them a name
 * just asked (callgrind). The same bytes give the same answer.
 */
#define MEMO_SLOTS 8
#define MEMO_NAME  64

struct memo {
	enum suffix_list list;
	size_t len; /* 0: empty */
	char name[MEMO_NAME];
	const struct dd_mail_service *service;
};

static _Thread_local struct memo memo[MEMO_SLOTS];
static _Thread_local unsigned memo_next;

static const struct dd_mail_service *by_suffix(enum suffix_list list, const char *name)
{
	if (!name || !*name)
		return NULL;
	pthread_once(&index_once, build_index); /* a batch judges on a thread of its own */
	size_t nlen = strlen(name);
	if (nlen >= MEMO_NAME)
		return by_suffix_uncached(list, name, nlen);
	for (unsigned i = 0; i < MEMO_SLOTS; i++)
		if (memo[i].len == nlen && memo[i].list == list &&
		    memcmp(memo[i].name, name, nlen) == 0)
			return memo[i].service;
	struct memo *m = &memo[memo_next++ % MEMO_SLOTS];
	m->list = list;
	m->len = nlen;
	memcpy(m->name, name, nlen);
	m->service = by_suffix_uncached(list, name, nlen);
	return m->service;
}

static bool word_in(const char *word, const char *list)
{
	size_t wlen = strlen(word);
	const char *s = list;
	while (*s) {
		while (*s == ' ')
			s++;
		const char *e = s;
		while (*e && *e != ' ')
			e++;
		if ((size_t)(e - s) == wlen && wlen && dd_strncaseeq(s, word, wlen))
			return true;
		s = e;
	}
	return false;
}

const struct dd_mail_service *dd_service_by_dkim(const char *domain)
{
	return by_suffix(BY_DKIM, domain);
}

const struct dd_mail_service *dd_service_by_spf(const char *domain)
{
	return by_suffix(BY_SPF, domain);
}

const struct dd_mail_service *dd_service_by_ptr(const char *name)
{
	return by_suffix(BY_PTR, name);
}

const struct dd_mail_service *dd_service_by_selector(const char *selector)
{
	for (size_t i = 0; selector && i < dd_mail_nservices; i++)
		if (word_in(selector, dd_mail_services[i].selectors))
			return &dd_mail_services[i];
	return NULL;
}
