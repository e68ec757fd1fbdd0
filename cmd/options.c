/*
 * options.c: the option table and everything derived from it - getopt_long's
 * arrays, --help, the usage line - plus the checks of each value. Every bad
 * value is a usage error that names the option and the value (exit 2).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <idn2.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "dd/render.h"
#include "dd/util.h"

enum opt_id {
	OPT_HELP = 'h',
	OPT_VERSION = 'V',
	OPT_FILE = 'f',
	OPT_VERBOSE = 'v',
	OPT_OUTPUT = 'o',
	OPT_FORMAT = 256,
	OPT_RESOLVER,
	OPT_TIMEOUT,
	OPT_RETRIES,
	OPT_CONCURRENCY,
	OPT_FAIL_ON,
	OPT_SELECTOR,
	OPT_NO_COLOR,
	OPT_IP,
	OPT_SENDER,
	OPT_HELO,
	OPT_ZONE,
	OPT_OFFLINE,
	OPT_BASELINE,
	OPT_REPORTS,
	OPT_IMPORT,
	OPT_LANG,
	OPT_STORE,
	OPT_NO_HTTP,
	OPT_CA_FILE,
	OPT_BIMI_SELECTOR,
	OPT_TRUST_ANCHOR,
	OPT_NO_DNSSEC,
	OPT_QPS,
	OPT_SUMMARY,
	OPT_RESUME,
	OPT_SUMMARY_FROM,
	OPT_SINCE,
};

struct opt {
	struct dd_option_doc doc;
	int id;
};

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct opt opts[] = {
	{{"format", 0, "FORMAT", "output format: text (default), json, jsonl, csv, sarif, junit or html",
	  "出力形式: text (既定)、json、jsonl、csv、sarif、junit、html"}, OPT_FORMAT},
	{{"output", 'o', "FILE", "write the output to FILE instead of standard output",
	  "出力を標準出力ではなく FILE に書き込む"}, OPT_OUTPUT},
	{{"lang", 0, "LANG", "language of the text and HTML output: en or ja (default: from the locale)",
	  "テキストと HTML の出力の言語: en か ja (既定: ロケールから)"}, OPT_LANG},
	{{"file", 'f', "FILE", "read domains from FILE, one per line ('-' for standard input)",
	  "FILE からドメインを 1 行に 1 つずつ読む ('-' は標準入力)"}, OPT_FILE},
	{{"resolver", 0, "IP[:PORT]", "ask this DNS server instead of /etc/resolv.conf; repeatable; [v6]:port",
	  "/etc/resolv.conf ではなくこの DNS サーバーに問い合わせる。複数指定可。[v6]:port"}, OPT_RESOLVER},
	{{"timeout", 0, "MS", "wait this long for each DNS answer before retrying (default 2000)",
	  "DNS の応答をそれぞれこの時間待ってから再送する (既定 2000)"}, OPT_TIMEOUT},
	{{"retries", 0, "N", "retry a DNS question this many times (default 2)",
	  "DNS の問い合わせをこの回数まで再送する (既定 2)"}, OPT_RETRIES},
	{{"concurrency", 0, "N", "at most N DNS questions in flight; the window adapts below it (default 4096)",
	  "同時に送る DNS の問い合わせは N 個まで。その範囲で数を調整する (既定 4096)"}, OPT_CONCURRENCY},
	{{"qps", 0, "N", "send at most N DNS questions a second (for resolvers with a per-client limit)",
	  "DNS の問い合わせを毎秒 N 個までにする (クライアントごとの上限があるリゾルバ向け)"}, OPT_QPS},
	{{"summary", 0, NULL, "after a batch, print counts by DMARC stage and the ten most frequent findings to stderr",
	  "バッチの後、DMARC の段階ごとの数と多い指摘 10 種を標準エラーに出す"}, OPT_SUMMARY},
	{{"resume", 0, "FILE", "skip the domains already in FILE, the --format jsonl output of an interrupted run",
	  "中断した実行の --format jsonl の出力 FILE にあるドメインを飛ばす"}, OPT_RESUME},
	{{"summary-from", 0, "FILE", "print the summary of these --format jsonl files (FILE and the arguments after it); check nothing",
	  "これらの --format jsonl ファイル (FILE と続く引数) の集計を出す。確認はしない"}, OPT_SUMMARY_FROM},
	{{"fail-on", 0, "LEVEL", "exit 1 on a finding at LEVEL or worse: error (default), warning, info, never",
	  "LEVEL 以上の指摘があれば終了コード 1: error (既定)、warning、info、never"}, OPT_FAIL_ON},
	{{"selector", 0, "NAME", "also probe this DKIM selector; repeatable",
	  "この DKIM セレクタも調べる。複数指定可"}, OPT_SELECTOR},
	{{"zone", 0, "FILE[=ORIGIN]", "answer names in this proposed zone file (BIND, or octoDNS .yaml) from it; repeatable",
	  "提案中のこのゾーンファイル (BIND か octoDNS の .yaml) の名前はそこから答える。複数指定可"}, OPT_ZONE},
	{{"offline", 0, NULL, "with --zone: do not look up names outside the zone files (counted as unknown)",
	  "--zone と共に: ゾーンファイル外の名前は問い合わせない (不明として数える)"}, OPT_OFFLINE},
	{{"baseline", 0, "FILE", "fail only on what is worse than this saved --format json result",
	  "保存したこの --format json の結果より悪くなった点だけで失敗にする"}, OPT_BASELINE},
	{{"reports", 0, "PATH", "import DMARC aggregate reports from PATH (file, directory, '-') before checking; repeatable",
	  "確認の前に PATH (ファイル、ディレクトリ、'-') から DMARC 集計レポートを取り込む。複数指定可"}, OPT_REPORTS},
	{{"import", 0, NULL, "import the report PATHs given instead of domains into the store, and check nothing",
	  "ドメインの代わりに指定したレポートの PATH をストアに取り込み、確認はしない"}, OPT_IMPORT},
	{{"store", 0, "FILE", "the report store (default $XDG_DATA_HOME/dmarc-doctor/reports.sqlite)",
	  "レポートのストア (既定 $XDG_DATA_HOME/dmarc-doctor/reports.sqlite)"}, OPT_STORE},
	{{"no-http", 0, NULL, "fetch nothing over HTTPS (MTA-STS policy, BIMI logo): reported as unknown",
	  "HTTPS で何も取得しない (MTA-STS ポリシー、BIMI ロゴ)。不明として報告する"}, OPT_NO_HTTP},
	{{"ca-file", 0, "FILE", "trust the CA certificates in FILE (PEM) for HTTPS instead of the system's",
	  "HTTPS でシステムのものではなく FILE (PEM) の CA 証明書を信頼する"}, OPT_CA_FILE},
	{{"bimi-selector", 0, "NAME", "look up BIMI at NAME._bimi.DOMAIN (default: default)",
	  "BIMI を NAME._bimi.DOMAIN で調べる (既定: default)"}, OPT_BIMI_SELECTOR},
	{{"trust-anchor", 0, "FILE", "validate DNSSEC from the DS or DNSKEY records in FILE (default /usr/share/dns/root.key)",
	  "FILE の DS か DNSKEY レコードから DNSSEC を検証する (既定 /usr/share/dns/root.key)"}, OPT_TRUST_ANCHOR},
	{{"no-dnssec", 0, NULL, "do not check DNSSEC or DANE (no DS, DNSKEY or TLSA lookups)",
	  "DNSSEC と DANE を確認しない (DS、DNSKEY、TLSA を問い合わせない)"}, OPT_NO_DNSSEC},
	{{"since", 0, "DAYS", "with --reports or --store: judge the reports of the last DAYS days (default 30)",
	  "--reports か --store と共に: 直近 DAYS 日のレポートで判定する (既定 30)"}, OPT_SINCE},
	{{"no-color", 0, NULL, "no colour in text output (also when NO_COLOR is set)",
	  "テキスト出力に色を付けない (NO_COLOR が設定されている場合も)"}, OPT_NO_COLOR},
	{{"ip", 0, "IP", "evaluate SPF for mail from this client address (check_host, RFC 7208)",
	  "このクライアントアドレスからのメールとして SPF を評価する (check_host、RFC 7208)"}, OPT_IP},
	{{"sender", 0, "ADDRESS", "with --ip: the MAIL FROM address (default postmaster@DOMAIN)",
	  "--ip と共に: MAIL FROM のアドレス (既定 postmaster@DOMAIN)"}, OPT_SENDER},
	{{"helo", 0, "NAME", "with --ip: the HELO/EHLO name (default DOMAIN)",
	  "--ip と共に: HELO/EHLO の名前 (既定 DOMAIN)"}, OPT_HELO},
	{{"verbose", 'v', NULL, "show every DNS question and answer (JSON: \"queries\")",
	  "DNS の問い合わせと応答をすべて表示する (JSON: \"queries\")"}, OPT_VERBOSE},
	{{"help", 'h', NULL, "show this help and exit",
	  "このヘルプを表示して終了する"}, OPT_HELP},
	{{"version", 'V', NULL, "show the version and exit",
	  "バージョンを表示して終了する"}, OPT_VERSION},
};
/* clang-format on */

static struct dd_option_doc docs[DD_ARRAY_LEN(opts)];

size_t dd_option_docs(const struct dd_option_doc **out)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(opts); i++)
		docs[i] = opts[i].doc;
	*out = docs;
	return DD_ARRAY_LEN(opts);
}

static const char usage_line[] =
        "usage: dmarc-doctor [OPTIONS] DOMAIN...\n"
        "       dmarc-doctor [OPTIONS] -f FILE\n"
        "       dmarc-doctor [OPTIONS] --zone FILE[=ORIGIN]... [DOMAIN...]\n"
        "       dmarc-doctor [OPTIONS] --import PATH...\n";

static void print_help(FILE *out, enum dd_lang lang)
{
	fputs(usage_line, out);
	fputs(DD_LANG_PICK(
	              lang,
	              "\nChecks the SPF, DKIM and DMARC records of each DOMAIN and tells the "
	              "next\nsafe DMARC step (none -> quarantine -> reject) with the record to "
	              "publish.\n\nOptions:\n",
	              "\n各 DOMAIN の SPF、DKIM、DMARC のレコードを確認し、DMARC の次の安全な"
	              "段階\n(none -> quarantine -> reject) と公開するレコードを示します。\n\n"
	              "オプション:\n"),
	      out);
	for (size_t i = 0; i < DD_ARRAY_LEN(opts); i++) {
		const struct dd_option_doc *d = &opts[i].doc;
		char left[64];
		snprintf(left, sizeof(left), "%s%c%s--%s%s%s", d->short_name ? "-" : "",
		         d->short_name ? d->short_name : ' ', d->short_name ? ", " : "  ",
		         d->long_name, d->arg ? " " : "", d->arg ? d->arg : "");
		fprintf(out, "  %-28s %s\n", d->short_name ? left : left + 2,
		        DD_LANG_PICK(lang, d->help, d->help_ja));
	}
	fputs(DD_LANG_PICK(
	              lang,
	              "\nExit status: 0 nothing at or above --fail-on; 1 a finding at or above "
	              "it;\n2 bad usage or unreadable input; 3 a DNS failure left a domain "
	              "undetermined.\n",
	              "\n終了コード: 0 --fail-on 以上の指摘なし、1 --fail-on 以上の指摘あり、\n"
	              "2 使い方の誤りか読めない入力、3 DNS の失敗で判定できないドメインあり。\n"),
	      out);
}

static bool parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* IPv4[:port], [IPv6]:port, or a bare IPv6 address (RFC 3986 §3.2.2 brackets). */
static bool valid_resolver(const char *s)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port = NULL;
	unsigned char buf[sizeof(struct in6_addr)];
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || (size_t)(close - s - 1) >= sizeof(host))
			return false;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			return false;
		if (inet_pton(AF_INET6, host, buf) != 1)
			return false;
	} else if (strchr(s, ':') && strchr(s, ':') != strrchr(s, ':')) {
		return inet_pton(AF_INET6, s, buf) == 1; /* bare IPv6, no port */
	} else {
		const char *colon = strchr(s, ':');
		size_t n = colon ? (size_t)(colon - s) : strlen(s);
		if (n >= sizeof(host))
			return false;
		memcpy(host, s, n);
		host[n] = '\0';
		port = colon ? colon + 1 : NULL;
		if (inet_pton(AF_INET, host, buf) != 1)
			return false;
	}
	long p;
	return !port || parse_int(port, 1, 65535, &p);
}

static void add_resolver(struct dd_config *cfg, const char *s)
{
	char *joined = cfg->resolvers ? xasprintf("%s,%s", cfg->resolvers, s) : xstrdup(s);
	free(cfg->resolvers);
	cfg->resolvers = joined;
}

static bool is_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static const struct dd_text not_a_name = {
	"not a domain name (empty label, space, or over 253 characters)",
	"ドメイン名ではありません (空のラベル、空白、または 253 文字超)"
};
static const struct dd_text hyphen_edge = { "a label starts or ends with '-'",
	                                    "ラベルが '-' で始まるか終わっています" };
static const struct dd_text bad_char = { "only letters, digits, '-' and '_' are allowed",
	                                 "使えるのは英字、数字、'-' と '_' だけです" };
static const struct dd_text digits_only = { "looks like an IP address; give a domain name",
	                                    "IP アドレスのようです。ドメイン名を指定してください" };

static char *refuse(struct dd_words *why, const struct dd_text *t)
{
	dd_words_set(why, xstrdup(t->en), xstrdup(t->ja));
	return NULL;
}

char *dd_domain_from_input(const char *in, struct dd_words *why)
{
	while (*in == ' ' || *in == '\t')
		in++;
	size_t len = strlen(in);
	while (len && strchr(" \t\r\n", in[len - 1]))
		len--;
	char *text = xstrndup(in, len);
	char *ascii = NULL;
	bool unicode = false;
	for (size_t i = 0; i < len; i++)
		unicode |= (unsigned char)text[i] >= 0x80;
	if (unicode) {
		/* UTS #46 non-transitional processing, as browsers and IDNA2008 registries do */
		int rc = idn2_to_ascii_8z(text, &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
		free(text);
		if (rc != IDN2_OK) { /* libidn2 speaks English only: quoted */
			dd_words_set(why, xstrdup(idn2_strerror(rc)),
			             xasprintf("国際化ドメイン名として不正です (libidn2: %s)",
			                       idn2_strerror(rc)));
			return NULL;
		}
		text = xstrdup(ascii);
		idn2_free(ascii);
	}
	char norm[DD_NAME_MAX + 1];
	if (!dd_name_normalize(text, strlen(text), norm, sizeof(norm))) {
		free(text);
		return refuse(why, &not_a_name);
	}
	free(text);
	/* Hostname rules (RFC 1123 §2.1), with '_' for names like _spf. */
	size_t start = 0;
	bool digits = true;
	for (size_t i = 0;; i++) {
		char c = norm[i];
		if (c == '.' || c == '\0') {
			if (norm[start] == '-' || norm[i - 1] == '-')
				return refuse(why, &hyphen_edge);
			if (c == '\0')
				break;
			start = i + 1;
			digits = true;
			continue;
		}
		if (!is_label_char(c))
			return refuse(why, &bad_char);
		digits &= c >= '0' && c <= '9';
	}
	if (digits)
		return refuse(why, &digits_only);
	return xstrdup(norm);
}

/* A usage error's words in the language of the run (cfg in scope): the
 * --lang given anywhere on the command line, else the locale's. */
#define T(en, ja) DD_LANG_PICK(cfg->lang, en, ja)

/* argv is untrusted too: what it says is quoted through the escaper, so
 * that an escape sequence in an argument never reaches the terminal raw. */
static void vsay(FILE *err, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void vsay(FILE *err, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0) {
		va_end(again);
		return;
	}
	char *msg = xmalloc((size_t)n + 1);
	vsnprintf(msg, (size_t)n + 1, fmt, again);
	va_end(again);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_text(&b, msg, strlen(msg));
	fprintf(err, "dmarc-doctor: %s\n", b.s);
	dd_strbuf_finish(&b);
	free(msg);
}

static void say(FILE *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(FILE *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(err, fmt, ap);
	va_end(ap);
}

static bool add_domain(struct dd_config *cfg, const char *arg, FILE *err)
{
	struct dd_words why = { 0 };
	char *name = dd_domain_from_input(arg, &why);
	if (!name) {
		say(err, T("'%s' is not a valid domain: %s", "'%s' はドメイン名として不正です: %s"),
		    arg, dd_words_get(&why, cfg->lang));
		dd_words_finish(&why);
		return false;
	}
	cfg->domains = xrealloc(cfg->domains, (cfg->ndomains + 1) * sizeof(*cfg->domains));
	cfg->domains[cfg->ndomains++] = (struct dd_domain_arg){ xstrdup(arg), name };
	return true;
}

static bool valid_selector(const char *s)
{
	/* a selector is one or more labels (RFC 6376 §3.1) */
	char norm[DD_NAME_MAX + 1];
	return strlen(s) < 64 * 4 && dd_name_normalize(s, strlen(s), norm, sizeof(norm));
}

/* Printable ASCII and spaces: what a macro may copy into a query (RFC 7208 §7.3). */
static bool valid_text(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

static void defaults(struct dd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->format = dd_renderer_find("text");
	cfg->timeout_ms = 2000;
	cfg->retries = 2;
	cfg->concurrency = 4096;
	cfg->fail_on = DD_SEV_ERROR;
	cfg->since_days = 30;
}

/* The language a --lang value names; false for any other value. */
static bool lang_named(const char *v, enum dd_lang *lang)
{
	if (strcmp(v, "en") == 0)
		*lang = DD_LANG_EN;
	else if (strcmp(v, "ja") == 0)
		*lang = DD_LANG_JA;
	else
		return false;
	return true;
}

/* The --lang that getopt will find, read before it: an error about an
 * earlier argument is then in that language too. */
static enum dd_lang lang_of_argv(int argc, char **argv)
{
	enum dd_lang lang = dd_lang_from_env();
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v = strncmp(argv[i], "--lang=", 7) == 0              ? argv[i] + 7
		                : strcmp(argv[i], "--lang") == 0 && i + 1 < argc ? argv[++i]
		                                                                 : NULL;
		if (v)
			lang_named(v, &lang);
	}
	return lang;
}

static enum dd_parse_outcome usage_error(const struct dd_config *cfg, FILE *err, const char *fmt,
                                         ...) __attribute__((format(printf, 3, 4)));

static enum dd_parse_outcome usage_error(const struct dd_config *cfg, FILE *err, const char *fmt,
                                         ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(err, fmt, ap);
	va_end(ap);
	fputs(usage_line, err);
	fputs(T("Try 'dmarc-doctor --help' for more.\n",
	        "詳しくは 'dmarc-doctor --help' を参照してください。\n"),
	      err);
	return DD_PARSE_USAGE;
}

/*
 * --zone FILE or --zone FILE=ORIGIN. The origin follows the last '=', so a
 * file whose name has an '=' in it is given with its origin: a=b.zone=b.test.
 */
static enum dd_parse_outcome add_zone(struct dd_config *cfg, const char *arg, FILE *err)
{
	const char *eq = strrchr(arg, '=');
	char *path = eq ? xstrndup(arg, (size_t)(eq - arg)) : xstrdup(arg);
	char *origin = NULL;
	if (eq) {
		struct dd_words why = { 0 };
		origin = dd_domain_from_input(eq + 1, &why);
		if (!origin) {
			free(path);
			enum dd_parse_outcome o = usage_error(
			        cfg, err,
			        T("--zone '%s': the origin after '=' is not a domain: %s",
			          "--zone '%s': '=' の後のオリジンがドメイン名ではありません: %s"),
			        arg, dd_words_get(&why, cfg->lang));
			dd_words_finish(&why);
			return o;
		}
	}
	if (!*path) {
		free(path);
		free(origin);
		return usage_error(
		        cfg, err,
		        T("--zone '%s': no file name", "--zone '%s': ファイル名がありません"), arg);
	}
	cfg->zones = xrealloc(cfg->zones, (cfg->nzones + 1) * sizeof(*cfg->zones));
	cfg->zones[cfg->nzones++] = (struct dd_zone_arg){ path, origin };
	return DD_PARSE_RUN;
}

static enum dd_parse_outcome apply(struct dd_config *cfg, int id, const char *arg, FILE *out,
                                   FILE *err)
{
	long v;
	switch (id) {
	case OPT_HELP: print_help(out, cfg->lang); return DD_PARSE_EXIT_OK;
	case OPT_VERSION: fprintf(out, "dmarc-doctor %s\n", DD_VERSION); return DD_PARSE_EXIT_OK;
	case OPT_FORMAT:
		cfg->format = dd_renderer_find(arg);
		if (!cfg->format)
			return usage_error(cfg, err,
			                   T("--format '%s': choose one of %s",
			                     "--format '%s': 次のどれかを指定してください: %s"),
			                   arg, dd_renderer_names());
		break;
	case OPT_FILE: cfg->domains_file = arg; break;
	case OPT_RESOLVER:
		if (!valid_resolver(arg))
			return usage_error(
			        cfg, err, "--resolver '%s': %s", arg,
			        T("expected IPv4[:PORT], [IPv6]:PORT or IPv6",
			          "IPv4[:ポート]、[IPv6]:ポート、IPv6 のどれかを指定してください"));
		add_resolver(cfg, arg);
		break;
	case OPT_TIMEOUT:
		if (!parse_int(arg, 1, 600000, &v))
			return usage_error(cfg, err, "--timeout '%s': %s", arg,
			                   T("expected milliseconds from 1 to 600000",
			                     "1 から 600000 までのミリ秒を指定してください"));
		cfg->timeout_ms = (int)v;
		break;
	case OPT_RETRIES:
		if (!parse_int(arg, 0, 10, &v))
			return usage_error(
			        cfg, err, "--retries '%s': %s", arg,
			        T("expected 0 to 10", "0 から 10 までを指定してください"));
		cfg->retries = (int)v;
		break;
	case OPT_CONCURRENCY:
		if (!parse_int(arg, 1, 65535, &v))
			return usage_error(
			        cfg, err, "--concurrency '%s': %s", arg,
			        T("expected 1 to 65535", "1 から 65535 までを指定してください"));
		cfg->concurrency = (size_t)v;
		break;
	case OPT_QPS:
		if (!parse_int(arg, 1, 1000000, &v))
			return usage_error(cfg, err, "--qps '%s': %s", arg,
			                   T("expected 1 to 1000000",
			                     "1 から 1000000 までを指定してください"));
		cfg->qps = (double)v;
		break;
	case OPT_SUMMARY: cfg->summary = true; break;
	case OPT_RESUME: cfg->resume = arg; break;
	case OPT_SUMMARY_FROM:
		cfg->summary_files =
		        xrealloc(cfg->summary_files, (cfg->nsummary_files + 1) * sizeof(char *));
		cfg->summary_files[cfg->nsummary_files++] = arg;
		break;
	case OPT_FAIL_ON:
		if (strcmp(arg, "never") == 0) {
			cfg->fail_on = DD_FAIL_NEVER;
		} else if ((cfg->fail_on = dd_severity_parse(arg)) < 0) {
			return usage_error(
			        cfg, err, "--fail-on '%s': %s", arg,
			        T("choose error, warning, info or never",
			          "error、warning、info、never のどれかを指定してください"));
		}
		break;
	case OPT_SELECTOR:
		if (!valid_selector(arg))
			return usage_error(cfg, err, "--selector '%s': %s", arg,
			                   T("not a DNS label", "DNS のラベルではありません"));
		cfg->selectors = xrealloc(cfg->selectors, (cfg->nselectors + 1) * sizeof(char *));
		cfg->selectors[cfg->nselectors++] = xstrdup(arg);
		break;
	case OPT_ZONE: return add_zone(cfg, arg, err);
	case OPT_OFFLINE: cfg->check.offline = true; break;
	case OPT_BASELINE: cfg->baseline = arg; break;
	case OPT_OUTPUT:
		if (!*arg)
			return usage_error(cfg, err,
			                   T("--output '': no file name",
			                     "--output '': ファイル名がありません"));
		cfg->output = arg;
		break;
	case OPT_LANG:
		if (!lang_named(arg, &cfg->lang))
			return usage_error(cfg, err,
			                   T("--lang '%s': choose en or ja",
			                     "--lang '%s': en か ja を指定してください"),
			                   arg);
		break;
	case OPT_SINCE:
		if (!parse_int(arg, 1, 3650, &v))
			return usage_error(cfg, err, "--since '%s': %s", arg,
			                   T("expected days from 1 to 3650",
			                     "1 から 3650 までの日数を指定してください"));
		cfg->since_days = (int)v;
		break;
	case OPT_REPORTS:
		if (!*arg)
			return usage_error(
			        cfg, err,
			        T("--reports '': no path", "--reports '': パスがありません"));
		cfg->reports = xrealloc(cfg->reports, (cfg->nreports + 1) * sizeof(*cfg->reports));
		cfg->reports[cfg->nreports++] = arg;
		break;
	case OPT_IMPORT: cfg->import_only = true; break;
	case OPT_STORE:
		if (!*arg)
			return usage_error(cfg, err,
			                   T("--store '': no file name",
			                     "--store '': ファイル名がありません"));
		cfg->store = arg;
		break;
	case OPT_NO_HTTP: cfg->check.no_http = true; break;
	case OPT_CA_FILE: cfg->ca_file = arg; break;
	case OPT_BIMI_SELECTOR:
		if (!valid_selector(arg))
			return usage_error(cfg, err, "--bimi-selector '%s': %s", arg,
			                   T("not a DNS label", "DNS のラベルではありません"));
		cfg->check.bimi_selector = arg;
		break;
	case OPT_TRUST_ANCHOR: cfg->trust_anchor = arg; break;
	case OPT_NO_DNSSEC: cfg->no_dnssec = true; break;
	case OPT_NO_COLOR: cfg->no_color = true; break;
	case OPT_IP: {
		unsigned char buf[sizeof(struct in6_addr)];
		if (inet_pton(AF_INET, arg, buf) != 1 && inet_pton(AF_INET6, arg, buf) != 1)
			return usage_error(cfg, err, "--ip '%s': %s", arg,
			                   T("not an IPv4 or IPv6 address",
			                     "IPv4 または IPv6 のアドレスではありません"));
		cfg->check.ip = arg;
		break;
	}
	case OPT_SENDER:
		/* RFC 7208 §4.3: local@domain; empty means the null sender (postmaster@HELO) */
		if (*arg && (!strchr(arg, '@') || strlen(arg) > 320 || !valid_text(arg)))
			return usage_error(
			        cfg, err, "--sender '%s': %s", arg,
			        T("expected local-part@domain, or \"\" for the null sender",
			          "local-part@domain の形式で、null sender なら \"\" "
			          "を指定してください"));
		cfg->check.sender = arg;
		break;
	case OPT_HELO:
		if (!*arg || strlen(arg) > 253 || !valid_text(arg))
			return usage_error(cfg, err, "--helo '%s': %s", arg,
			                   T("expected a host name of at most 253 characters",
			                     "253 文字以内のホスト名を指定してください"));
		cfg->check.helo = arg;
		break;
	case OPT_VERBOSE: cfg->verbose = true; break;
	default: return usage_error(cfg, err, T("unknown option", "不明なオプションです"));
	}
	return DD_PARSE_RUN;
}

enum dd_parse_outcome dd_options_parse(int argc, char **argv, struct dd_config *cfg, FILE *out,
                                       FILE *err)
{
	enum { N = DD_ARRAY_LEN(opts) };
	struct option longopts[N + 1];
	char shortopts[2 * N + 2];
	size_t ns = 0;
	shortopts[ns++] = ':'; /* report a missing argument as ':' */
	for (size_t i = 0; i < N; i++) {
		longopts[i] = (struct option){ opts[i].doc.long_name,
			                       opts[i].doc.arg ? required_argument : no_argument,
			                       NULL, opts[i].id };
		if (opts[i].doc.short_name) {
			shortopts[ns++] = opts[i].doc.short_name;
			if (opts[i].doc.arg)
				shortopts[ns++] = ':';
		}
	}
	longopts[N] = (struct option){ 0 };
	shortopts[ns] = '\0';

	defaults(cfg);
	cfg->lang = lang_of_argv(argc, argv);
	/* 0, not 1: glibc then also forgets where it was inside a cluster of
	 * short options (-vV) of an earlier call, which may point into an argv
	 * that is gone (tests and the fuzz harness parse many times) */
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			const char *what =
			        c == ':' ? T("needs a value", "には値が必要です")
			                 : T("is not an option", "はオプションではありません");
			/* an unknown short option inside a cluster (-Zv) leaves optind on
			 * the cluster: name the letter, not the word before it */
			if (c == '?' && optopt > ' ' && optopt < 0x7f &&
			    !strchr(argv[optind - 1], optopt))
				return usage_error(cfg, err, "'-%c' %s", optopt, what);
			const char *arg = argv[optind - 1];
			return usage_error(cfg, err, "'%s' %s", arg, what);
		}
		enum dd_parse_outcome o = apply(cfg, c, optarg, out, err);
		if (o != DD_PARSE_RUN)
			return o;
	}
	if (cfg->import_only) {
		/* --import PATH...: the operands are report paths, not domains */
		if (cfg->domains_file || cfg->nzones)
			return usage_error(
			        cfg, err,
			        T("--import checks no domain: it takes neither -f nor --zone",
			          "--import はドメインを確認しません: -f も --zone "
			          "も指定できません"));
		for (int i = optind; i < argc; i++) {
			cfg->reports =
			        xrealloc(cfg->reports, (cfg->nreports + 1) * sizeof(*cfg->reports));
			cfg->reports[cfg->nreports++] = argv[i];
		}
		if (cfg->nreports == 0)
			return usage_error(
			        cfg, err,
			        T("--import needs a PATH (a file, a directory or '-')",
			          "--import にはパス (ファイル、ディレクトリ、'-') が必要です"));
	}
	if (cfg->nsummary_files) {
		/* --summary-from FILE...: the other arguments are files too */
		for (int i = optind; i < argc; i++) {
			cfg->summary_files = xrealloc(cfg->summary_files,
			                              (cfg->nsummary_files + 1) * sizeof(char *));
			cfg->summary_files[cfg->nsummary_files++] = argv[i];
		}
		if (cfg->domains_file || cfg->nzones || cfg->resume)
			return usage_error(cfg, err,
			                   T("--summary-from checks nothing: it takes no -f, "
			                     "--zone or --resume",
			                     "--summary-from は何も確認しません: "
			                     "-f、--zone、--resume は指定できません"));
		return DD_PARSE_RUN;
	}
	for (int i = optind; !cfg->import_only && i < argc; i++)
		if (!add_domain(cfg, argv[i], err))
			return DD_PARSE_USAGE;
	if (!cfg->import_only && cfg->ndomains == 0 && !cfg->domains_file && cfg->nzones == 0)
		return usage_error(cfg, err, T("no domain given", "ドメインが指定されていません"));
	size_t stdin_users = cfg->domains_file && strcmp(cfg->domains_file, "-") == 0;
	for (size_t i = 0; i < cfg->nreports; i++)
		stdin_users += strcmp(cfg->reports[i], "-") == 0;
	if (stdin_users > 1)
		return usage_error(cfg, err,
		                   T("standard input ('-') can be read only once",
		                     "標準入力 ('-') は一度しか読めません"));
	if (cfg->resume && cfg->format != dd_renderer_find("jsonl"))
		return usage_error(
		        cfg, err,
		        T("--resume reads and continues --format jsonl output: add --format jsonl",
		          "--resume は --format jsonl の出力を読んで続けます: --format jsonl "
		          "を付けてください"));
	if ((cfg->check.sender || cfg->check.helo) && !cfg->check.ip)
		return usage_error(cfg, err,
		                   T("--sender and --helo need --ip",
		                     "--sender と --helo には --ip が必要です"));
	if (cfg->check.offline && cfg->nzones == 0)
		return usage_error(
		        cfg, err,
		        T("--offline needs --zone: without a zone file nothing is left to check",
		          "--offline には --zone が必要です: "
		          "ゾーンファイルがなければ確認するものがありません"));
	cfg->check.selectors = (const char *const *)cfg->selectors;
	cfg->check.nselectors = cfg->nselectors;
	return DD_PARSE_RUN;
}

void dd_config_finish(struct dd_config *cfg)
{
	for (size_t i = 0; i < cfg->ndomains; i++) {
		free(cfg->domains[i].display);
		free(cfg->domains[i].name);
	}
	free(cfg->domains);
	for (size_t i = 0; i < cfg->nselectors; i++)
		free(cfg->selectors[i]);
	free(cfg->selectors);
	for (size_t i = 0; i < cfg->nzones; i++) {
		free(cfg->zones[i].path);
		free(cfg->zones[i].origin);
	}
	free(cfg->zones);
	free(cfg->reports);
	free(cfg->summary_files);
	free(cfg->resolvers);
	memset(cfg, 0, sizeof(*cfg));
}
