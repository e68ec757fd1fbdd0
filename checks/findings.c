/*
 * findings.c: the finding table - every id, its severity, its RFC section,
 * and its texts in every language we ship (STYLE.md habit 10) - and the
 * functions that build findings.
 *
 * Ids are a public contract: add rows, never rename one. A test compares this
 * table with docs/findings.md. Templates use {1}..{4} for the arguments a
 * check passes to dd_findings_add(), in that order.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/util.h"

#define RFC_URL(num, sec)          "https://www.rfc-editor.org/rfc/rfc" num "#section-" sec
#define RFC_APPENDIX_URL(num, app) "https://www.rfc-editor.org/rfc/rfc" num "#appendix-" app

/* A table reads best one entry at a time, as written. */
/* clang-format off */
const struct dd_finding_def dd_finding_defs[] = {
	/* ------------------------------------------------------------- SPF */
	{
		.id = "spf.missing", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7208 §4.5", .rfc_url = RFC_URL("7208", "4.5"),
		.summary = {"No SPF record",
			    "SPF レコードがない"},
		.message = {"{1} publishes no SPF record, so receivers cannot tell its real senders from forgers.",
			    "{1} に SPF レコードがないため、受信側は正規の送信元となりすましを区別できません。"},
		.fix = {"Publish one TXT record at {1}: \"v=spf1 -all\" if it sends no mail, otherwise \"v=spf1 include:<your provider> -all\".",
			"{1} に TXT レコードを 1 つ公開してください。メールを送らないなら \"v=spf1 -all\"、送るなら \"v=spf1 include:<送信サービス> -all\" です。"},
	},
	{
		.id = "spf.multiple", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7208 §4.5", .rfc_url = RFC_URL("7208", "4.5"),
		.summary = {"More than one SPF record",
			    "SPF レコードが複数ある"},
		.message = {"{1} has {2} SPF records; receivers return permerror and SPF fails for every message.",
			    "{1} に SPF レコードが {2} 個あります。受信側は permerror を返し、すべてのメールで SPF が失敗します。"},
		.fix = {"Merge them into a single \"v=spf1 ...\" TXT record.",
			"1 つの \"v=spf1 ...\" TXT レコードにまとめてください。"},
	},
	{
		.id = "spf.syntax", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7208 §4.6", .rfc_url = RFC_URL("7208", "4.6"),
		.summary = {"SPF record syntax error",
			    "SPF レコードの構文エラー"},
		.message = {"The SPF record at {1} has a syntax error at column {2}: {3}.",
			    "{1} の SPF レコードの {2} 桁目に構文エラーがあります: {3}。"},
		.fix = {"Correct the term: receivers treat the whole record as permerror, which fails SPF for every message.",
			"該当の項目を修正してください。受信側はレコード全体を permerror とし、すべてのメールで SPF が失敗します。"},
	},
	{
		.id = "spf.lookup-limit", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7208 §4.6.4", .rfc_url = RFC_URL("7208", "4.6.4"),
		.summary = {"SPF needs more than 10 DNS lookups",
			    "SPF の DNS 参照が 10 回を超える"},
		.message = {"The SPF record of {1} needs {2} DNS lookups; receivers stop at 10 and return permerror.",
			    "{1} の SPF レコードは DNS 参照が {2} 回必要です。受信側は 10 回で打ち切り permerror を返します。"},
		.fix = {"Remove includes you no longer use, or replace them with ip4:/ip6: ranges, until the count is 10 or less.",
			"使っていない include を削除するか ip4:/ip6: に置き換えて、参照回数を 10 以下にしてください。"},
	},
	{
		.id = "spf.void-limit", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7208 §4.6.4", .rfc_url = RFC_URL("7208", "4.6.4"),
		.summary = {"More than 2 SPF lookups find nothing",
			    "結果が空の SPF 参照が 2 回を超える"},
		.message = {"{2} lookups in the SPF tree of {1} find nothing (NXDOMAIN or no data); receivers return permerror after 2.",
			    "{1} の SPF で結果が空 (NXDOMAIN または NODATA) になる参照が {2} 回あります。受信側は 2 回を超えると permerror を返します。"},
		.fix = {"Remove the terms that point at names that no longer exist.",
			"存在しなくなった名前を指す項目を削除してください。"},
	},
	{
		.id = "spf.plus-all", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7208 §5.1", .rfc_url = RFC_URL("7208", "5.1"),
		.summary = {"SPF allows every host (+all)",
			    "SPF がすべてのホストを許可している (+all)"},
		.message = {"The SPF record of {1} ends in +all, which authorises every host on the Internet to send as it.",
			    "{1} の SPF レコードは +all で終わっており、インターネット上のすべてのホストに送信を許可しています。"},
		.fix = {"End the record with -all (or ~all while you check your senders).",
			"レコードの末尾を -all (送信元の確認中は ~all) にしてください。"},
	},
	{
		.id = "spf.no-all", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7208 §4.7", .rfc_url = RFC_URL("7208", "4.7"),
		.summary = {"SPF record has no all mechanism",
			    "SPF レコードに all がない"},
		.message = {"The SPF record of {1} has no all mechanism and no redirect, so mail from unlisted hosts gets neutral.",
			    "{1} の SPF レコードには all も redirect もないため、記載のないホストからのメールは neutral になります。"},
		.fix = {"End the record with -all (or ~all).",
			"レコードの末尾に -all (または ~all) を付けてください。"},
	},
	{
		.id = "spf.ptr", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7208 §5.5", .rfc_url = RFC_URL("7208", "5.5"),
		.summary = {"SPF record uses ptr",
			    "SPF レコードが ptr を使っている"},
		.message = {"The SPF record at {1} uses ptr, which RFC 7208 says should not be used: it is slow and unreliable, and some receivers ignore it.",
			    "{1} の SPF レコードは ptr を使っています。RFC 7208 は使用しないよう定めています (遅く不確実で、無視する受信側もあります)。"},
		.fix = {"Replace ptr with ip4:/ip6: ranges or a:/mx terms.",
			"ptr を ip4:/ip6: または a:/mx に置き換えてください。"},
	},
	{
		.id = "spf.include-missing", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7208 §5.2", .rfc_url = RFC_URL("7208", "5.2"),
		.summary = {"SPF include of a name without an SPF record",
			    "SPF レコードのない名前を include している"},
		.message = {"include:{1} points at a name with no SPF record; receivers return permerror.",
			    "include:{1} の先に SPF レコードがありません。受信側は permerror を返します。"},
		.fix = {"Remove the include, or correct the name to the one your provider documents.",
			"include を削除するか、送信サービスが案内している正しい名前に直してください。"},
	},
	{
		.id = "spf.loop", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7208 §4.6.4", .rfc_url = RFC_URL("7208", "4.6.4"),
		.summary = {"SPF include or redirect loop",
			    "SPF の include / redirect がループしている"},
		.message = {"The SPF tree of {1} reaches {2} again through its own includes; receivers return permerror.",
			    "{1} の SPF は include をたどると再び {2} に戻ります。受信側は permerror を返します。"},
		.fix = {"Remove the include or redirect that points back up the tree.",
			"上位に戻る include または redirect を削除してください。"},
	},

	/* ----------------------------------------------------------- DMARC */
	{
		.id = "dmarc.missing", .severity = DD_SEV_ERROR,
		.rfc = "RFC 9989 §4.10.1", .rfc_url = RFC_URL("9989", "4.10.1"),
		.summary = {"No DMARC record",
			    "DMARC レコードがない"},
		.message = {"No DMARC record applies to {1}: receivers apply no policy and send no reports.",
			    "{1} に適用される DMARC レコードがありません。受信側はポリシーを適用せず、レポートも送りません。"},
		.fix = {"Publish a TXT record at _dmarc.{1}: \"v=DMARC1; p=none; rua=mailto:<you>\" to start collecting reports.",
			"_dmarc.{1} に TXT レコード \"v=DMARC1; p=none; rua=mailto:<受信アドレス>\" を公開し、レポートの収集を始めてください。"},
	},
	{
		.id = "dmarc.multiple", .severity = DD_SEV_ERROR,
		.rfc = "RFC 9989 §4.10", .rfc_url = RFC_URL("9989", "4.10"),
		.summary = {"More than one DMARC record",
			    "DMARC レコードが複数ある"},
		.message = {"{1} holds {2} DMARC records; receivers discard them all.",
			    "{1} に DMARC レコードが {2} 個あります。受信側はすべて破棄します。"},
		.fix = {"Keep exactly one \"v=DMARC1; ...\" TXT record at {1}.",
			"{1} の \"v=DMARC1; ...\" TXT レコードを 1 つだけにしてください。"},
	},
	{
		.id = "dmarc.syntax", .severity = DD_SEV_ERROR,
		.rfc = "RFC 9989 §4.7", .rfc_url = RFC_URL("9989", "4.7"),
		.summary = {"DMARC record syntax error",
			    "DMARC レコードの構文エラー"},
		.message = {"The DMARC record at {1} has an error in {2} at column {3}: {4}.",
			    "{1} の DMARC レコードの {2} ({3} 桁目) に誤りがあります: {4}。"},
		.fix = {"Correct the tag; receivers ignore an invalid value or the whole record.",
			"タグを修正してください。受信側は不正な値、またはレコード全体を無視します。"},
	},
	{
		.id = "dmarc.policy-none", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9989 §4.7", .rfc_url = RFC_URL("9989", "4.7"),
		.summary = {"DMARC policy is none (monitoring only)",
			    "DMARC ポリシーが none (監視のみ)"},
		.message = {"The DMARC policy for {1} is p=none: spoofed mail is still delivered.",
			    "{1} の DMARC ポリシーは p=none です。なりすましメールはそのまま配送されます。"},
		.fix = {"When reports show every legitimate sender passing aligned SPF or DKIM, move to p=quarantine, then p=reject.",
			"正規の送信元がすべてアラインした SPF または DKIM に合格していることをレポートで確認したら、p=quarantine、次に p=reject に移行してください。"},
	},
	{
		.id = "dmarc.no-rua", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9990 §3", .rfc_url = RFC_URL("9990", "3"),
		.summary = {"DMARC asks for no aggregate reports",
			    "DMARC が集計レポートを要求していない"},
		.message = {"The DMARC record of {1} has no rua tag, so nobody sees who sends mail as {1}.",
			    "{1} の DMARC レコードに rua タグがないため、誰が {1} を名乗って送信しているか分かりません。"},
		.fix = {"Add rua=mailto:<address> to receive daily aggregate reports.",
			"rua=mailto:<アドレス> を追加して、毎日の集計レポートを受け取ってください。"},
	},
	{
		.id = "dmarc.rua-unauthorized", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9990 §3.2.3", .rfc_url = RFC_URL("9990", "3.2.3"),
		.summary = {"External report destination not authorised",
			    "外部のレポート送付先が承認されていない"},
		.message = {"{2} has not authorised reports about {1} ({3} has no \"v=DMARC1\" record), so receivers will not send them there.",
			    "{2} は {1} のレポート受信を承認していません ({3} に \"v=DMARC1\" レコードがありません)。受信側はレポートを送りません。"},
		.fix = {"Ask the operator of {2} to publish TXT \"v=DMARC1\" at {3}, or use an address in your own domain.",
			"{2} の運営者に {3} へ TXT \"v=DMARC1\" を公開してもらうか、自ドメインのアドレスを使ってください。"},
	},
	{
		.id = "dmarc.pct-obsolete", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9989 §C.5.2", .rfc_url = RFC_APPENDIX_URL("9989", "C.5.2"),
		.summary = {"pct is removed in RFC 9989",
			    "pct は RFC 9989 で廃止された"},
		.message = {"pct={1} is removed in RFC 9989: new receivers apply the policy to all failing mail, RFC 7489 receivers to {1}%.",
			    "pct={1} は RFC 9989 で廃止されました。新しい受信側は失敗したメールすべてにポリシーを適用し、RFC 7489 の受信側は {1}% に適用します。"},
		.fix = {"Remove pct; use t=y for a testing step instead.",
			"pct を削除し、試験段階には t=y を使ってください。"},
	},

	/* ------------------------------------------------------------ DKIM */
	{
		.id = "dkim.none-found", .severity = DD_SEV_WARNING,
		.rfc = "RFC 6376 §3.6.2.1", .rfc_url = RFC_URL("6376", "3.6.2.1"),
		.summary = {"No DKIM key at the probed selectors",
			    "調べたセレクタに DKIM 鍵がない"},
		.message = {"No DKIM key was found at the {1} selectors probed for {2}. Selectors cannot be listed from DNS, so this does not prove the domain signs nothing.",
			    "{2} で調べた {1} 個のセレクタに DKIM 鍵は見つかりませんでした。セレクタは DNS から一覧できないため、署名していないとは限りません。"},
		.fix = {"Enable DKIM signing at every service that sends as {2}, or name your selectors with --selector.",
			"{2} として送信するすべてのサービスで DKIM 署名を有効にするか、--selector でセレクタを指定してください。"},
	},
	{
		.id = "dkim.weak-key", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8301 §3.2", .rfc_url = RFC_URL("8301", "3.2"),
		.summary = {"DKIM RSA key under 1024 bits",
			    "DKIM の RSA 鍵が 1024 ビット未満"},
		.message = {"The DKIM key at {1} is RSA {2} bits; verifiers must not accept keys under 1024 bits, so its signatures fail.",
			    "{1} の DKIM 鍵は RSA {2} ビットです。1024 ビット未満の鍵は検証側が受け入れてはならないため、署名は失敗します。"},
		.fix = {"Generate a 2048-bit RSA key, publish it under a new selector and switch the signer to it.",
			"2048 ビットの RSA 鍵を生成して新しいセレクタで公開し、署名をその鍵に切り替えてください。"},
	},
	{
		.id = "dkim.short-key", .severity = DD_SEV_WARNING,
		.rfc = "RFC 8301 §3.2", .rfc_url = RFC_URL("8301", "3.2"),
		.summary = {"DKIM RSA key shorter than 2048 bits",
			    "DKIM の RSA 鍵が 2048 ビット未満"},
		.message = {"The DKIM key at {1} is RSA {2} bits; 2048 bits are recommended.",
			    "{1} の DKIM 鍵は RSA {2} ビットです。2048 ビットが推奨されています。"},
		.fix = {"Rotate to a 2048-bit RSA key under a new selector.",
			"新しいセレクタで 2048 ビットの RSA 鍵に切り替えてください。"},
	},
	{
		.id = "dkim.testing", .severity = DD_SEV_INFO,
		.rfc = "RFC 6376 §3.6.1", .rfc_url = RFC_URL("6376", "3.6.1"),
		.summary = {"DKIM key in testing mode (t=y)",
			    "DKIM 鍵がテストモード (t=y)"},
		.message = {"The DKIM key at {1} is in testing mode (t=y); receivers may treat its failures as if the mail were unsigned.",
			    "{1} の DKIM 鍵はテストモード (t=y) です。受信側は検証失敗を未署名と同じに扱うことがあります。"},
		.fix = {"Remove t=y once signing works.",
			"署名が正しく動作したら t=y を削除してください。"},
	},
	{
		.id = "dkim.revoked", .severity = DD_SEV_INFO,
		.rfc = "RFC 6376 §3.6.1", .rfc_url = RFC_URL("6376", "3.6.1"),
		.summary = {"DKIM key revoked (empty p=)",
			    "DKIM 鍵が失効している (p= が空)"},
		.message = {"The DKIM key at {1} is revoked (empty p=); signatures with it fail.",
			    "{1} の DKIM 鍵は失効しています (p= が空)。この鍵による署名は失敗します。"},
		.fix = {"Nothing to do if the selector is retired; otherwise publish the current key.",
			"使わなくなったセレクタなら対応不要です。使っているなら現在の鍵を公開してください。"},
	},
	{
		.id = "dkim.sha1", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8301 §3.1", .rfc_url = RFC_URL("8301", "3.1"),
		.summary = {"DKIM key allows only SHA-1",
			    "DKIM 鍵が SHA-1 のみを許可している"},
		.message = {"The DKIM key at {1} allows only SHA-1 (h=sha1); verifiers must not accept SHA-1 signatures.",
			    "{1} の DKIM 鍵は SHA-1 のみを許可しています (h=sha1)。検証側は SHA-1 の署名を受け入れてはなりません。"},
		.fix = {"Remove h= or set h=sha256, and sign with rsa-sha256.",
			"h= を削除するか h=sha256 にし、rsa-sha256 で署名してください。"},
	},
	{
		.id = "dkim.malformed", .severity = DD_SEV_ERROR,
		.rfc = "RFC 6376 §3.6.1", .rfc_url = RFC_URL("6376", "3.6.1"),
		.summary = {"Malformed DKIM key record",
			    "DKIM 鍵レコードが不正"},
		.message = {"The DKIM record at {1} is malformed: {2}.",
			    "{1} の DKIM レコードが不正です: {2}。"},
		.fix = {"Publish the key record exactly as your provider or signer gives it.",
			"送信サービスまたは署名ソフトが示す鍵レコードをそのまま公開してください。"},
	},

	/* ------------------------------------------------------------- DNS */
	{
		.id = "dns.temporary-failure", .severity = DD_SEV_ERROR,
		.rfc = "RFC 2308 §7", .rfc_url = RFC_URL("2308", "7"),
		.summary = {"A DNS lookup failed",
			    "DNS の問い合わせに失敗した"},
		.message = {"The {2} lookup of {1} failed ({3}); what it would show is unknown, so it is not reported as missing.",
			    "{1} の {2} の問い合わせに失敗しました ({3})。結果が不明なため、レコードがないとは判断していません。"},
		.fix = {"Run the check again; if it keeps failing, fix the name servers of the zone that holds {1}.",
			"もう一度実行してください。失敗が続く場合は {1} を持つゾーンのネームサーバを修正してください。"},
	},

	/* --------------------------------------- zone files and baselines */
	{
		.id = "dns.offline", .severity = DD_SEV_INFO,
		.rfc = "RFC 7208 §4.6.4", .rfc_url = RFC_URL("7208", "4.6.4"),
		.summary = {"Names outside the zone files were not looked up (--offline)",
			    "ゾーンファイル外の名前を問い合わせていない (--offline)"},
		.message = {"{1} names outside the zone files were not looked up (--offline): {2}. Lookup counts are lower bounds, and what those names hold is unknown.",
			    "ゾーンファイル外の {1} 個の名前は問い合わせていません (--offline): {2}。DNS 参照回数は下限値で、これらの名前の内容は不明です。"},
		.fix = {"Run without --offline to look them up in live DNS.",
			"--offline を付けずに実行すると、実際の DNS で問い合わせます。"},
	},
	{
		.id = "baseline.policy-weaker", .severity = DD_SEV_ERROR,
		.rfc = "RFC 9989 §4.7", .rfc_url = RFC_URL("9989", "4.7"),
		.summary = {"DMARC policy weaker than in the baseline",
			    "DMARC ポリシーがベースラインより弱い"},
		.message = {"The DMARC policy for {1} is {2}; the baseline had {3}.",
			    "{1} の DMARC ポリシーは {2} です。ベースラインでは {3} でした。"},
		.fix = {"Restore p={3} unless the weaker policy is intended; then update the baseline.",
			"意図した変更でなければ p={3} に戻してください。意図した変更ならベースラインを更新してください。"},
	},
	{
		.id = "baseline.spf-lookups-increased", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7208 §4.6.4", .rfc_url = RFC_URL("7208", "4.6.4"),
		.summary = {"More SPF lookups over the limit than in the baseline",
			    "上限を超える SPF 参照回数がベースラインより増えた"},
		.message = {"The SPF record of {1} needs {2} DNS lookups, up from {3} in the baseline; receivers stop at 10.",
			    "{1} の SPF レコードは DNS 参照が {2} 回必要で、ベースラインの {3} 回から増えています。受信側は 10 回で打ち切ります。"},
		.fix = {"Remove the include that was added, or replace includes with ip4:/ip6: ranges.",
			"追加した include を削除するか、include を ip4:/ip6: に置き換えてください。"},
	},
};
/* clang-format on */

const size_t dd_finding_ndefs = DD_ARRAY_LEN(dd_finding_defs);

const struct dd_finding_def *dd_finding_def_find(const char *id)
{
	for (size_t i = 0; i < dd_finding_ndefs; i++)
		if (strcmp(dd_finding_defs[i].id, id) == 0)
			return &dd_finding_defs[i];
	return NULL;
}

const char *dd_severity_name(enum dd_severity sev)
{
	switch (sev) {
	case DD_SEV_INFO: return "info";
	case DD_SEV_WARNING: return "warning";
	case DD_SEV_ERROR: return "error";
	}
	return "error";
}

int dd_severity_parse(const char *s)
{
	if (strcmp(s, "error") == 0)
		return DD_SEV_ERROR;
	if (strcmp(s, "warning") == 0)
		return DD_SEV_WARNING;
	if (strcmp(s, "info") == 0)
		return DD_SEV_INFO;
	return -1;
}

const char *dd_text_get(const struct dd_text *t, enum dd_lang lang)
{
	return (lang == DD_LANG_JA && t->ja) ? t->ja : t->en;
}

char *dd_text_format(const struct dd_text *t, enum dd_lang lang, char *const args[], size_t nargs)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	const char *s = dd_text_get(t, lang);
	while (*s) {
		if (s[0] == '{' && s[1] >= '1' && s[1] <= '9' && s[2] == '}') {
			size_t i = (size_t)(s[1] - '1');
			if (i < nargs && args[i])
				dd_strbuf_adds(&b, args[i]);
			s += 3;
		} else {
			dd_strbuf_addc(&b, *s++);
		}
	}
	return dd_strbuf_own(&b);
}

struct dd_finding *dd_findings_add(struct dd_findings *fs, const char *id, ...)
{
	const struct dd_finding_def *def = dd_finding_def_find(id);
	if (!def)
		abort(); /* a check used an id that is not in the table */
	fs->v = xgrow(fs->v, &fs->cap, fs->n + 1, sizeof(*fs->v));
	struct dd_finding *f = &fs->v[fs->n++];
	memset(f, 0, sizeof(*f));
	f->def = def;
	f->severity = def->severity;
	f->message = &def->message;
	f->fix = &def->fix;
	va_list ap;
	va_start(ap, id);
	for (size_t i = 0; i < DD_FINDING_MAXARGS; i++) {
		const char *arg = va_arg(ap, const char *);
		if (!arg)
			break;
		f->args[i] = xstrdup(arg);
	}
	va_end(ap);
	return f;
}

void dd_finding_set_record(struct dd_finding *f, const char *record, size_t len)
{
	free(f->record);
	f->record = record ? xstrndup(record, len) : NULL;
}

void dd_finding_add_chain(struct dd_finding *f, const char *name)
{
	f->chain = xrealloc(f->chain, (f->nchain + 1) * sizeof(char *));
	f->chain[f->nchain++] = xstrdup(name);
}

void dd_finding_from_query(struct dd_finding *f, const struct dd_posture *p, size_t qi)
{
	/* the chain is stored root first; walk up, then reverse */
	size_t start = f->nchain;
	for (long i = (long)qi; i >= 0; i = p->queries[i].parent)
		dd_finding_add_chain(f, p->queries[i].name);
	for (size_t a = start, b = f->nchain - 1; a < b; a++, b--) {
		char *t = f->chain[a];
		f->chain[a] = f->chain[b];
		f->chain[b] = t;
	}
}

void dd_finding_locate(struct dd_finding *f, const struct dd_answer *ans, const struct dd_rr *rr)
{
	if (!ans || ans->source != DD_SOURCE_ZONE)
		return;
	if (rr && rr->line) {
		f->file = rr->file ? rr->file : ans->file;
		f->line = rr->line;
	} else {
		f->file = ans->file;
		f->line = ans->line;
	}
}

char *dd_finding_message(const struct dd_finding *f, enum dd_lang lang)
{
	return dd_text_format(f->message, lang, f->args, DD_FINDING_MAXARGS);
}

char *dd_finding_fix(const struct dd_finding *f, enum dd_lang lang)
{
	return dd_text_format(f->fix, lang, f->args, DD_FINDING_MAXARGS);
}

bool dd_findings_has(const struct dd_findings *fs, const char *id)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].def->id, id) == 0)
			return true;
	return false;
}

enum dd_severity dd_findings_worst(const struct dd_findings *fs, bool *any)
{
	enum dd_severity worst = DD_SEV_INFO;
	*any = fs->n > 0;
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].severity > worst)
			worst = fs->v[i].severity;
	return worst;
}

void dd_findings_finish(struct dd_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		struct dd_finding *f = &fs->v[i];
		for (size_t a = 0; a < DD_FINDING_MAXARGS; a++)
			free(f->args[a]);
		for (size_t c = 0; c < f->nchain; c++)
			free(f->chain[c]);
		free(f->chain);
		free(f->record);
	}
	free(fs->v);
	fs->v = NULL;
	fs->n = fs->cap = 0;
}
