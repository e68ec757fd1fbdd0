/*
 * findings.c: the finding table - every id, its severity, its RFC section,
 * and its texts in every language we ship (STYLE.md habit 10) - and the
 * functions that build findings.
 *
 * Ids are a public contract: add rows, never rename one. A test compares this
 * table with docs/findings.md. Templates use {1}..{4} for the arguments a
 * check passes to dd_findings_add(), in that order.
 */
#include <stdio.h>
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
			    "{1} の SPF レコードは ptr を使っています。RFC 7208 は使用すべきでないとしています (遅く不確実で、無視する受信側もあります)。"},
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
	{
		.id = "spf.neutral-all", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7208 §8.2", .rfc_url = RFC_URL("7208", "8.2"),
		.summary = {"SPF ends in ?all (neutral)",
			    "SPF が ?all (neutral) で終わっている"},
		.message = {"The SPF record of {1} ends in ?all: hosts it does not list get neutral, which receivers treat as if there were no SPF policy.",
			    "{1} の SPF レコードは ?all で終わっています。記載のないホストは neutral となり、受信側は SPF ポリシーがないのと同じに扱います。"},
		.fix = {"End the record with ~all while you check your senders, then -all.",
			"送信元を確認する間は ~all、確認できたら -all で終えてください。"},
	},
	{
		.id = "spf.broad-range", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7208 §5.6", .rfc_url = RFC_URL("7208", "5.6"),
		.summary = {"SPF authorises a very large address range",
			    "SPF が非常に広いアドレス範囲を許可している"},
		.message = {"{2} in the SPF record at {3} authorises a whole /{4} network: every host in it may send mail as {1}.",
			    "{3} の SPF レコードの {2} は /{4} のネットワーク全体を許可しており、その中のすべてのホストが {1} としてメールを送れます。"},
		.fix = {"List only the addresses of your mail servers, or the ranges your provider documents.",
			"自社のメールサーバのアドレス、または送信サービスが案内している範囲だけを記載してください。"},
	},
	{
		.id = "spf.cidr-host-bits", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7208 §5.6", .rfc_url = RFC_URL("7208", "5.6"),
		.summary = {"SPF range with host bits set",
			    "SPF のアドレス範囲にホスト部のビットがある"},
		.message = {"{2} in the SPF record at {1} has bits set after its prefix length; receivers ignore them and authorise all of {3}.",
			    "{1} の SPF レコードの {2} はプレフィックス長より後ろのビットが立っています。受信側はそれを無視して {3} 全体を許可します。"},
		.fix = {"Write the network address ({3}) if the whole range is meant, or drop the prefix length for a single host.",
			"範囲全体のつもりならネットワークアドレス ({3}) を、1 台だけならプレフィックス長なしで書いてください。"},
	},
	{
		.id = "spf.mx-limit", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7208 §4.6.4", .rfc_url = RFC_URL("7208", "4.6.4"),
		.summary = {"SPF mx term with more than 10 MX hosts",
			    "SPF の mx が 10 を超える MX ホストを指している"},
		.message = {"{2} in the SPF record at {1} finds {3} MX hosts; receivers look up at most 10 and return permerror.",
			    "{1} の SPF レコードの {2} は MX ホストが {3} 台あります。受信側は 10 台までしか調べず permerror を返します。"},
		.fix = {"Replace the mx term with ip4:/ip6: ranges (or a: terms) of the hosts that really send mail.",
			"mx を、実際に送信するホストの ip4:/ip6: (または a:) に置き換えてください。"},
	},
	{
		.id = "spf.ptr-limit", .severity = DD_SEV_INFO,
		.rfc = "RFC 7208 §4.6.4", .rfc_url = RFC_URL("7208", "4.6.4"),
		.summary = {"Client with more than 10 PTR names",
			    "送信元に 10 を超える PTR 名がある"},
		.message = {"{1} has {2} PTR names; receivers validate only the first 10 for ptr and %{p}, so the result may differ between receivers.",
			    "{1} には PTR 名が {2} 個あります。受信側は ptr と %{p} のために最初の 10 個しか検証しないため、結果が受信側ごとに異なることがあります。"},
		.fix = {"Do not rely on ptr: list the sending addresses with ip4:/ip6:.",
			"ptr に頼らず、送信元のアドレスを ip4:/ip6: で記載してください。"},
	},
	{
		.id = "spf.record-too-long", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7208 §3.4", .rfc_url = RFC_URL("7208", "3.4"),
		.summary = {"SPF record longer than 450 octets",
			    "SPF レコードが 450 オクテットを超える"},
		.message = {"The SPF record of {1} is {2} octets; over 450 its answer may not fit a 512-octet UDP message, and some receivers fail to fetch it.",
			    "{1} の SPF レコードは {2} オクテットです。450 を超えると応答が 512 オクテットの UDP メッセージに収まらず、取得に失敗する受信側があります。"},
		.fix = {"Move address ranges into an included record (for example include:_spf.{1}) or remove terms you no longer use.",
			"アドレス範囲を include 先のレコード (例: include:_spf.{1}) に移すか、使っていない項目を削除してください。"},
	},
	{
		.id = "spf.obsolete-rr-type", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7208 §3.1", .rfc_url = RFC_URL("7208", "3.1"),
		.summary = {"Obsolete SPF-type (99) record",
			    "廃止された SPF タイプ (99) のレコード"},
		.message = {"{1} publishes an SPF-type (99) record; RFC 7208 removed that type and receivers only read the TXT record.",
			    "{1} は SPF タイプ (99) のレコードを公開しています。RFC 7208 でこのタイプは廃止され、受信側は TXT レコードしか読みません。"},
		.fix = {"Delete the SPF-type record and keep the policy in one TXT record.",
			"SPF タイプのレコードを削除し、ポリシーを 1 つの TXT レコードにしてください。"},
	},
	{
		.id = "spf.spf2-record", .severity = DD_SEV_INFO,
		.rfc = "RFC 7208 §4.5", .rfc_url = RFC_URL("7208", "4.5"),
		.summary = {"Sender ID (spf2.0) record",
			    "Sender ID (spf2.0) のレコード"},
		.message = {"{1} publishes a Sender ID record ({2}...); Sender ID is historic (RFC 6686), no receiver uses it, and SPF ignores it.",
			    "{1} は Sender ID のレコード ({2}...) を公開しています。Sender ID は廃止され (RFC 6686)、使う受信側はなく、SPF も無視します。"},
		.fix = {"Delete the spf2.0 record.",
			"spf2.0 のレコードを削除してください。"},
	},
	{
		.id = "spf.redirect-ignored", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7208 §6.1", .rfc_url = RFC_URL("7208", "6.1"),
		.summary = {"SPF redirect ignored because of all",
			    "all があるため SPF の redirect が無視される"},
		.message = {"The SPF record at {1} has both an all mechanism and redirect={2}; receivers ignore the redirect.",
			    "{1} の SPF レコードには all と redirect={2} の両方があります。受信側は redirect を無視します。"},
		.fix = {"Remove redirect=, or remove the all mechanism if {2} should decide.",
			"redirect= を削除するか、{2} に判断させたいなら all を削除してください。"},
	},
	{
		.id = "spf.duplicate-modifier", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7208 §6", .rfc_url = RFC_URL("7208", "6"),
		.summary = {"SPF modifier given twice",
			    "SPF の修飾子が 2 回ある"},
		.message = {"The SPF record at {1} has {2} more than once; receivers return permerror.",
			    "{1} の SPF レコードに {2} が複数あります。受信側は permerror を返します。"},
		.fix = {"Keep at most one redirect= and one exp=.",
			"redirect= と exp= はそれぞれ 1 つまでにしてください。"},
	},
	{
		.id = "spf.after-all", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7208 §5.1", .rfc_url = RFC_URL("7208", "5.1"),
		.summary = {"SPF terms after all are never used",
			    "all より後の SPF の項目は使われない"},
		.message = {"In the SPF record at {1}, {2} comes after the all mechanism and is never used.",
			    "{1} の SPF レコードでは {2} が all より後にあり、使われることがありません。"},
		.fix = {"Move it before the all mechanism, or delete it (a verification token belongs in its own TXT record).",
			"all より前に移すか削除してください (確認用トークンは別の TXT レコードにします)。"},
	},
	{
		.id = "spf.macro-unresolved", .severity = DD_SEV_INFO,
		.rfc = "RFC 7208 §7", .rfc_url = RFC_URL("7208", "7"),
		.summary = {"SPF term that depends on the sending host",
			    "送信元によって変わる SPF の項目"},
		.message = {"{2} in the SPF record at {1} uses a macro of the sending host: its lookup is counted but not followed, and what lies behind it is not counted.",
			    "{1} の SPF レコードの {2} は送信元のマクロを使っています。参照は数えますがたどらないため、その先は数えていません。"},
		.fix = {"Nothing to fix; run with --ip (and --sender) to evaluate it for one sending host.",
			"修正は不要です。--ip (と --sender) を付けて、特定の送信元について評価できます。"},
	},

	/* ------------------------------------------------ SPF repair (issue 13) */
	{
		.id = "spf.repair", .severity = DD_SEV_INFO,
		.rfc = "RFC 7208 §4.6.4", .rfc_url = RFC_URL("7208", "4.6.4"),
		.summary = {"A repaired SPF record, with the proof of what it changes",
			    "修復した SPF レコードと、その変更内容の証明"},
		.message = {"A repaired SPF record for {1} needs {3} DNS lookups instead of {2} and gives every client the same result: {4}",
			    "{1} の SPF レコードを修復すると DNS 参照は {2} 回から {3} 回になり、すべての送信元で結果は変わりません: {4}"},
		.fix = {"Review the changes and the proof (the SPF repair lines of the text report, or spf.repair in JSON), then publish the record; an inlined include must be refreshed when its owner changes its addresses.",
			"変更点と証明 (テキスト出力の SPF 修復の行、または JSON の spf.repair) を確認してから公開してください。展開した include は、所有者がアドレスを変えたら更新が必要です。"},
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
		.message = {"{1} holds {2} DMARC records; receivers discard them all (RFC 9989 receivers then look further up the tree, RFC 7489 receivers apply no DMARC).",
			    "{1} に DMARC レコードが {2} 個あります。受信側はすべて破棄します (RFC 9989 の受信側はさらに上位を探し、RFC 7489 の受信側は DMARC を適用しません)。"},
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
			"正規の送信元がすべて SPF または DKIM に合格し、アライメントも取れていることをレポートで確認したら、p=quarantine、次に p=reject に移行してください。"},
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
		.rfc = "RFC 9990 §4", .rfc_url = RFC_URL("9990", "4"),
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
	{
		.id = "dmarc.not-recognized", .severity = DD_SEV_ERROR,
		.rfc = "RFC 9989 §4.7", .rfc_url = RFC_URL("9989", "4.7"),
		.summary = {"A TXT record at _dmarc that receivers do not recognise as DMARC",
			    "_dmarc に受信側が DMARC と認識しない TXT レコードがある"},
		.message = {"The TXT record at {1} looks like a DMARC record but does not start with v=DMARC1; receivers ignore it.",
			    "{1} の TXT レコードは DMARC レコードのようですが v=DMARC1 で始まっていません。受信側は無視します。"},
		.fix = {"Publish the record so that it starts exactly with v=DMARC1, e.g. \"v=DMARC1; p=none; rua=mailto:<you>\".",
			"レコードが正確に v=DMARC1 で始まるよう公開してください (例: \"v=DMARC1; p=none; rua=mailto:<受信アドレス>\")。"},
	},
	{
		.id = "dmarc.other-txt", .severity = DD_SEV_INFO,
		.rfc = "RFC 9989 §4.10", .rfc_url = RFC_URL("9989", "4.10"),
		.summary = {"Other TXT records at _dmarc",
			    "_dmarc に DMARC 以外の TXT レコードがある"},
		.message = {"{1} also holds {2} TXT records that are not DMARC records; receivers ignore them.",
			    "{1} には DMARC ではない TXT レコードが {2} 個あります。受信側は無視します。"},
		.fix = {"Remove them unless another service needs them there.",
			"ほかのサービスが必要としていなければ削除してください。"},
	},
	{
		.id = "dmarc.p-missing", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9989 §4.10.1", .rfc_url = RFC_URL("9989", "4.10.1"),
		.summary = {"DMARC record without a p tag",
			    "DMARC レコードに p タグがない"},
		.message = {"The DMARC record at {1} has no p tag: RFC 9989 receivers treat it as p=none because it has a valid rua; RFC 7489 required p, and OpenDMARC ignores such a record.",
			    "{1} の DMARC レコードに p タグがありません。有効な rua があるため RFC 9989 の受信側は p=none として扱いますが、RFC 7489 では p は必須で、OpenDMARC はこのレコードを無視します。"},
		.fix = {"Add p=none (or the policy you mean) right after v=DMARC1.",
			"v=DMARC1 の直後に p=none (または意図するポリシー) を追加してください。"},
	},
	{
		.id = "dmarc.removed-tag", .severity = DD_SEV_INFO,
		.rfc = "RFC 9989 §C.5.2", .rfc_url = RFC_APPENDIX_URL("9989", "C.5.2"),
		.summary = {"rf or ri: removed in RFC 9989",
			    "rf または ri は RFC 9989 で廃止された"},
		.message = {"The DMARC record at {1} has {2}, which RFC 9989 removed; receivers ignore it.",
			    "{1} の DMARC レコードに RFC 9989 で廃止された {2} があります。受信側は無視します。"},
		.fix = {"Remove it.",
			"削除してください。"},
	},
	{
		.id = "dmarc.unknown-tag", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9989 §4.7", .rfc_url = RFC_URL("9989", "4.7"),
		.summary = {"Unknown tag in the DMARC record",
			    "DMARC レコードに不明なタグがある"},
		.message = {"The DMARC record at {1} has the unknown tag {2} (column {3}), which receivers ignore; it may be a typo.",
			    "{1} の DMARC レコードに不明なタグ {2} があります ({3} 桁目)。受信側は無視します (入力ミスの可能性があります)。"},
		.fix = {"Remove it, or correct it to one of p, sp, np, adkim, aspf, fo, rua, ruf, t, psd.",
			"削除するか、p、sp、np、adkim、aspf、fo、rua、ruf、t、psd のいずれかに直してください。"},
	},
	{
		.id = "dmarc.uri-size", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9989 §C.4", .rfc_url = RFC_APPENDIX_URL("9989", "C.4"),
		.summary = {"Report URI with a !size limit (removed in RFC 9989)",
			    "レポート URI に !size 制限がある (RFC 9989 で廃止)"},
		.message = {"{2} (column {3} of the DMARC record at {1}) carries a !size limit: RFC 9989 removed size limits and wants '!' percent-encoded, so receivers that follow it to the letter may see a broken address; RFC 7489 receivers skip the URI for bigger reports.",
			    "{1} の DMARC レコードの {2} ({3} 桁目) に !size 制限があります。RFC 9989 はサイズ制限を廃止し '!' のパーセントエンコードを求めるため、厳密な受信側は壊れたアドレスとみなすことがあります。RFC 7489 の受信側は、大きなレポートをこの URI に送りません。"},
		.fix = {"Remove the !size suffix.",
			"!size の部分を削除してください。"},
	},
	{
		.id = "dmarc.uri-scheme", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9989 §4.7", .rfc_url = RFC_URL("9989", "4.7"),
		.summary = {"Report URI that is not mailto:",
			    "レポート URI が mailto: ではない"},
		.message = {"{2} (column {3} of the DMARC record at {1}) is not a mailto: URI; receivers only have to support mailto: and ignore schemes they do not support.",
			    "{1} の DMARC レコードの {2} ({3} 桁目) は mailto: の URI ではありません。受信側が対応を求められているのは mailto: だけで、対応しない方式は無視されます。"},
		.fix = {"Use a mailto: address.",
			"mailto: のアドレスを使ってください。"},
	},
	{
		.id = "dmarc.ruf-unauthorized", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9991 §5", .rfc_url = RFC_URL("9991", "5"),
		.summary = {"External failure-report destination not authorised",
			    "外部の失敗レポート送付先が承認されていない"},
		.message = {"{2} has not authorised failure reports about {1} ({3} has no \"v=DMARC1\" record), so receivers will not send them there.",
			    "{2} は {1} の失敗レポート受信を承認していません ({3} に \"v=DMARC1\" レコードがありません)。受信側はレポートを送りません。"},
		.fix = {"Ask the operator of {2} to publish TXT \"v=DMARC1\" at {3}, or use an address in your own domain.",
			"{2} の運営者に {3} へ TXT \"v=DMARC1\" を公開してもらうか、自ドメインのアドレスを使ってください。"},
	},
	{
		.id = "dmarc.report-undeliverable", .severity = DD_SEV_WARNING,
		.rfc = "RFC 5321 §5.1", .rfc_url = RFC_URL("5321", "5.1"),
		.summary = {"Report destination domain cannot receive mail",
			    "レポート送付先のドメインがメールを受け取れない"},
		.message = {"{2} (in {3} of the DMARC record for {1}) cannot receive mail: it has no MX and no address, so every report sent there is lost.",
			    "{2} ({1} の DMARC レコードの {3}) はメールを受け取れません。MX もアドレスもないため、送られたレポートはすべて失われます。"},
		.fix = {"Send the reports to a mailbox at a domain that receives mail.",
			"メールを受け取れるドメインのメールボックスにレポートを送ってください。"},
	},
	{
		.id = "dmarc.cname", .severity = DD_SEV_INFO,
		.rfc = "RFC 1034 §3.6.2", .rfc_url = RFC_URL("1034", "3.6.2"),
		.summary = {"DMARC record delegated by CNAME",
			    "DMARC レコードが CNAME で委任されている"},
		.message = {"{1} is a CNAME to {2}: whoever controls {2} sets this DMARC policy.",
			    "{1} は {2} への CNAME です。{2} の管理者がこの DMARC ポリシーを決めます。"},
		.fix = {"Nothing to do if the delegation is intended (a DMARC service); otherwise publish the record at {1} itself.",
			"意図した委任 (DMARC サービスなど) なら対応不要です。そうでなければ {1} にレコードを直接公開してください。"},
	},
	{
		.id = "dmarc.testing", .severity = DD_SEV_INFO,
		.rfc = "RFC 9989 §4.7", .rfc_url = RFC_URL("9989", "4.7"),
		.summary = {"DMARC policy in test mode (t=y)",
			    "DMARC ポリシーが試験モード (t=y)"},
		.message = {"The DMARC record at {1} has t=y: RFC 9989 receivers apply one level less than p={2} ({3}); RFC 7489 receivers ignore t and apply p={2}.",
			    "{1} の DMARC レコードは t=y です。RFC 9989 の受信側は p={2} より一段弱い {3} を適用し、RFC 7489 の受信側は t を無視して p={2} を適用します。"},
		.fix = {"Remove t=y when the aggregate reports show no legitimate mail failing.",
			"正規のメールが失敗していないことを集計レポートで確認したら t=y を削除してください。"},
	},
	{
		.id = "dmarc.org-domain-differs", .severity = DD_SEV_INFO,
		.rfc = "RFC 9989 §4.10.2", .rfc_url = RFC_URL("9989", "4.10.2"),
		.summary = {"Tree walk and Public Suffix List disagree on the Organizational Domain",
			    "ツリーウォークと公開接尾辞リストで組織ドメインが異なる"},
		.message = {"The RFC 9989 tree walk makes {2} the Organizational Domain of {1} and the Public Suffix List that RFC 7489 receivers use makes it {3}, so they differ on relaxed alignment and on which report addresses are external.",
			    "RFC 9989 のツリーウォークでは {1} の組織ドメインは {2}、RFC 7489 の受信側が使う公開接尾辞リストでは {3} です。緩やかなアライメント (relaxed) の判定と、どのレポート送付先を外部とみなすかが両者で異なります。"},
		.fix = {"To make both agree, publish your record at {3}; a record above it without psd=y is overridden by psd=n at {3}.",
			"両者を一致させるには {3} にレコードを公開してください。上位に psd=y のないレコードがある場合は、{3} のレコードに psd=n を付けると優先されます。"},
	},
	{
		.id = "dmarc.rfc7489-differs", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9989 §C.3", .rfc_url = RFC_APPENDIX_URL("9989", "C.3"),
		.summary = {"RFC 7489 receivers apply a different policy",
			    "RFC 7489 の受信側は異なるポリシーを適用する"},
		.message = {"Receivers that still follow RFC 7489 find the record at {3} and apply {2} to {1}; RFC 9989 receivers apply {4}.",
			    "RFC 7489 に従う受信側は {3} のレコードを使い {1} に {2} を適用します。RFC 9989 の受信側は {4} を適用します。"},
		.fix = {"Publish a record at _dmarc.{1} itself: every receiver uses a domain's own record first.",
			"_dmarc.{1} に直接レコードを公開してください。どの受信側もドメイン自身のレコードを最優先します。"},
	},

	/* ------------------------------------------------------------ DKIM */
	{
		.id = "dkim.none-found", .severity = DD_SEV_WARNING,
		.rfc = "RFC 6376 §3.6.2.1", .rfc_url = RFC_URL("6376", "3.6.2.1"),
		.summary = {"No DKIM key at the probed selectors",
			    "調べたセレクタに DKIM 鍵がない"},
		.message = {"No DKIM key was found at the {1} selectors probed for {2}, which does not prove the domain signs nothing: selectors cannot be listed from DNS.",
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
		.message = {"The DKIM key at {1} is in testing mode (t=y): verifiers must not treat its mail differently from unsigned mail, even when the signature fails.",
			    "{1} の DKIM 鍵はテストモード (t=y) です。検証側は、署名の検証に失敗しても、このメールを未署名のメールと同じに扱わなければなりません。"},
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
	{
		.id = "dkim.stray-quotes", .severity = DD_SEV_ERROR,
		.rfc = "RFC 6376 §3.6.2.2", .rfc_url = RFC_URL("6376", "3.6.2.2"),
		.summary = {"Quote characters inside a DKIM record (copy-paste damage)",
			    "DKIM レコードの中に引用符がある (貼り付けミス)"},
		.message = {"The DKIM record at {1} holds a literal quote character at column {2}: the quotes of a split string were pasted as data, so verifiers cannot read it; without the quotes the key is {3}, {4} bits.",
			    "{1} の DKIM レコードの {2} 桁目に引用符がそのまま入っています。分割した文字列の引用符がデータとして貼り付けられたため、検証側は鍵を読めません (引用符を除くと {4} ビットの {3} 鍵です)。"},
		.fix = {"Publish the record again without the quote characters (a zone editor adds the quotes itself; paste each string without them).",
			"引用符を除いてレコードを公開し直してください (ゾーン編集画面は引用符を自動で付けます。各文字列は引用符なしで貼り付けてください)。"},
	},
	{
		.id = "dkim.version-not-first", .severity = DD_SEV_WARNING,
		.rfc = "RFC 6376 §3.6.1", .rfc_url = RFC_URL("6376", "3.6.1"),
		.summary = {"v=DKIM1 is not the first tag",
			    "v=DKIM1 が先頭のタグではない"},
		.message = {"The DKIM record at {1} has v= at column {2}, but it must be the first tag; strict verifiers discard the record.",
			    "{1} の DKIM レコードでは v= が {2} 桁目にありますが、先頭のタグでなければなりません。厳格な検証側はレコードを破棄します。"},
		.fix = {"Move \"v=DKIM1;\" to the start of the record, or remove it (it is optional).",
			"\"v=DKIM1;\" をレコードの先頭に移すか、削除してください (省略できます)。"},
	},
	{
		.id = "dkim.txt-hostname", .severity = DD_SEV_ERROR,
		.rfc = "RFC 6376 §3.6.2.2", .rfc_url = RFC_URL("6376", "3.6.2.2"),
		.summary = {"A host name published as TXT where a CNAME was meant",
			    "CNAME にすべきホスト名が TXT で公開されている"},
		.message = {"The TXT record at {1} holds the host name {2}, not a key: the provider asked for a CNAME to it, so verifiers find no key.",
			    "{1} の TXT レコードには鍵ではなくホスト名 {2} が入っています。送信サービスが指定したのはそのホスト名への CNAME なので、検証側は鍵を見つけられません。"},
		.fix = {"Replace the TXT record at {1} with a CNAME record pointing to {2}.",
			"{1} の TXT レコードを、{2} を指す CNAME レコードに置き換えてください。"},
	},
	{
		.id = "dkim.pkcs1-key", .severity = DD_SEV_WARNING,
		.rfc = "RFC 6376 §3.6.1", .rfc_url = RFC_URL("6376", "3.6.1"),
		.summary = {"RSA key published as a bare RSAPublicKey (PKCS#1)",
			    "RSA 鍵が RSAPublicKey (PKCS#1) 形式で公開されている"},
		.message = {"The DKIM key at {1} is a bare RSAPublicKey (PKCS#1), not the SubjectPublicKeyInfo almost every signer publishes; verifiers such as OpenDKIM and dkimpy cannot read it, so signatures fail there.",
			    "{1} の DKIM 鍵は RSAPublicKey (PKCS#1) 形式で、ほぼすべての署名者が使う SubjectPublicKeyInfo 形式ではありません。OpenDKIM や dkimpy などの検証側は読めないため、署名が失敗します。"},
		.fix = {"Publish the key as SubjectPublicKeyInfo (\"openssl rsa -pubout\" prints it; the base64 starts with MIIB or MIGf).",
			"鍵を SubjectPublicKeyInfo 形式で公開してください (\"openssl rsa -pubout\" で出力でき、base64 は MIIB または MIGf で始まります)。"},
	},
	{
		.id = "dkim.large-key", .severity = DD_SEV_INFO,
		.rfc = "RFC 8301 §3.2", .rfc_url = RFC_URL("8301", "3.2"),
		.summary = {"RSA key over 4096 bits",
			    "RSA 鍵が 4096 ビットを超える"},
		.message = {"The DKIM key at {1} is RSA {2} bits; verifiers must handle up to 4096 bits only, so some may fail its signatures.",
			    "{1} の DKIM 鍵は RSA {2} ビットです。検証側に対応が求められているのは 4096 ビットまでのため、署名が失敗する場合があります。"},
		.fix = {"Use a 2048-bit RSA key (or add an ed25519 key beside it).",
			"2048 ビットの RSA 鍵を使ってください (ed25519 鍵の併用も可能です)。"},
	},
	{
		.id = "dkim.not-for-email", .severity = DD_SEV_WARNING,
		.rfc = "RFC 6376 §3.6.1", .rfc_url = RFC_URL("6376", "3.6.1"),
		.summary = {"DKIM key not valid for email (s=)",
			    "DKIM 鍵がメールに使えない (s=)"},
		.message = {"The DKIM key at {1} is limited to the service types s={2}; without \"email\" or \"*\", mail verifiers ignore it, so signatures made with it fail.",
			    "{1} の DKIM 鍵はサービス種別 s={2} に限定されています。\"email\" または \"*\" がないため、メールの検証側はこの鍵を無視し、この鍵による署名は失敗します。"},
		.fix = {"Nothing to do if the key only signs other messages (such as TLS reports); otherwise remove s= or set s=email.",
			"メール以外 (TLS レポートなど) の署名専用なら対応不要です。そうでなければ s= を削除するか s=email にしてください。"},
	},
	{
		.id = "dkim.multiple", .severity = DD_SEV_WARNING,
		.rfc = "RFC 6376 §3.6.2.2", .rfc_url = RFC_URL("6376", "3.6.2.2"),
		.summary = {"More than one key record at a selector",
			    "1 つのセレクタに鍵レコードが複数ある"},
		.message = {"{1} has {2} DKIM key records; verifiers may use any of them, so whether a signature verifies depends on the verifier.",
			    "{1} に DKIM 鍵レコードが {2} 個あります。検証側がどれを使うかは決まっていないため、検証結果は検証側によって異なります。"},
		.fix = {"Keep one key record per selector; publish a new key under a new selector.",
			"セレクタごとに鍵レコードを 1 つにしてください。新しい鍵は新しいセレクタで公開します。"},
	},
	{
		.id = "dkim.token-selectors", .severity = DD_SEV_INFO,
		.rfc = "RFC 6376 §3.6.2.1", .rfc_url = RFC_URL("6376", "3.6.2.1"),
		.summary = {"A sender that signs with selectors no list can guess",
			    "推測できないセレクタで署名する送信サービスがある"},
		.message = {"The SPF record of {1} authorises {2} (include:{3}), which signs with per-domain selectors that cannot be guessed; its DKIM keys were not checked.",
			    "{1} の SPF レコードは {2} (include:{3}) を許可しています。このサービスはドメインごとに異なる推測できないセレクタで署名するため、その DKIM 鍵は確認していません。"},
		.fix = {"Read the s= tag of the DKIM-Signature in a message sent through {2} and run again with --selector NAME.",
			"{2} 経由で送ったメールの DKIM-Signature の s= タグを確認し、--selector NAME を付けて再実行してください。"},
	},

	/* ------------------------------------------------------- providers */
	/*
	 * Mailbox providers' rules for senders, with the date they took effect.
	 * Sources (read 2026):
	 *  Gmail: https://support.google.com/a/answer/81126 (from 1 Feb 2024,
	 *   senders of 5,000+ messages a day: SPF and DKIM, DMARC at least
	 *   p=none, From aligned with SPF or DKIM).
	 *  Yahoo: https://senders.yahooinc.com/best-practices/ (Feb 2024, the
	 *   same three for bulk senders).
	 *  Outlook.com: "Strengthening Email Ecosystem: Outlook's New
	 *   Requirements for High-Volume Senders", Microsoft Defender for Office
	 *   365 blog, 2 Apr 2025 (from 5 May 2025, 5,000+ a day to outlook.com,
	 *   hotmail.com, live.com: SPF pass, DKIM pass, DMARC at least p=none
	 *   aligned with SPF or DKIM; rejected with 550 5.7.515).
	 *  docomo: NTT docomo's spam-folder launch of 13 Feb 2025, reported by
	 *   k-tai.watch.impress.co.jp/docs/news/1662487.html and ScanNetSecurity
	 *   (2025-02-21): DMARC reject was honoured (mail refused) before;
	 *   quarantine now goes to the new spam folder for every user (all mail
	 *   from 12 Mar 2025).
	 */
	{
		.id = "provider.gmail-yahoo", .severity = DD_SEV_WARNING,
		.rfc = "Google: Email sender guidelines (and Yahoo: Sender Best Practices)",
		.rfc_url = "https://support.google.com/a/answer/81126",
		.summary = {"Misses the Gmail and Yahoo bulk-sender requirements (February 2024)",
			    "Gmail と Yahoo の一括送信者要件 (2024年2月) を満たしていない"},
		.message = {"{1} lacks {2}: since February 2024 Gmail and Yahoo require senders of more than 5,000 messages a day to have SPF and DKIM, a DMARC record of at least p=none, and a From domain aligned with SPF or DKIM (alignment cannot be seen in the DNS).",
			    "{1} には {2} がありません。Gmail と Yahoo は 2024年2月から、1日 5,000 通を超えて送る送信者に SPF と DKIM、p=none 以上の DMARC レコード、SPF または DKIM とアライメントが取れた From ドメインを求めています (アライメントは DNS からは確認できません)。"},
		.fix = {"Set up what is missing (https://support.google.com/a/answer/81126, https://senders.yahooinc.com/best-practices/).",
			"不足しているものを設定してください (https://support.google.com/a/answer/81126、https://senders.yahooinc.com/best-practices/)。"},
	},
	{
		.id = "provider.outlook", .severity = DD_SEV_WARNING,
		.rfc = "Microsoft: Outlook.com policies, practices and guidelines for senders",
		.rfc_url = "https://sendersupport.olc.protection.outlook.com/pm/policies.aspx",
		.summary = {"Misses the Outlook.com high-volume sender requirements (May 2025)",
			    "Outlook.com の大量送信者要件 (2025年5月) を満たしていない"},
		.message = {"{1} lacks {2}: since 5 May 2025 Outlook.com (outlook.com, hotmail.com, live.com) requires senders of more than 5,000 messages a day to pass SPF and DKIM and to publish DMARC of at least p=none, aligned with SPF or DKIM; other mail is rejected with 550 5.7.515.",
			    "{1} には {2} がありません。Outlook.com (outlook.com、hotmail.com、live.com) は 2025年5月5日から、1日 5,000 通を超えて送る送信者に SPF と DKIM の合格、SPF または DKIM でアライメントが取れた p=none 以上の DMARC を求め、満たさないメールは 550 5.7.515 で拒否します。"},
		.fix = {"Set up what is missing, as for Gmail and Yahoo.",
			"Gmail や Yahoo と同様に、不足しているものを設定してください。"},
	},
	{
		.id = "provider.docomo", .severity = DD_SEV_INFO,
		.rfc = "NTT docomo: spam mail measures (迷惑メール対策)",
		.rfc_url = "https://www.docomo.ne.jp/info/spam_mail/",
		.summary = {"How docomo mail treats mail that fails DMARC for the domain",
			    "ドコモメールが DMARC に失敗したメールをどう扱うか"},
		.message = {"docomo mail (docomo.ne.jp) delivers mail that fails DMARC for {1} as usual, because the policy is none; at quarantine it goes to the spam folder (since 13 February 2025), at reject it is refused.",
			    "ポリシーが none のため、ドコモメール (docomo.ne.jp) は {1} の DMARC に失敗したメールを通常どおり配送します。quarantine なら迷惑メールフォルダへ (2025年2月13日から)、reject なら受信拒否されます。"},
		.fix = {"Move on to quarantine, then reject, as the advice says.",
			"アドバイスに従って quarantine、次に reject に移行してください。"},
	},

	/* ------------------------------------------- aggregate-report evidence */
	{
		.id = "reports.sender-not-aligned", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9989 §5.1", .rfc_url = RFC_URL("9989", "5.1"),
		.summary = {"A real sender authenticates as itself, not aligned with the domain: a blocker",
			    "正規の送信元が自身のドメインで認証しており、ドメインとアラインしていない (移行の妨げ)"},
		.message = {"{2} sent {3} messages as {1} that pass only as another domain ({4}): they would fail DMARC under the next policy.",
			    "{2} は {1} として {3} 通を送信しましたが、別のドメイン ({4}) としてしか認証に合格していません。次のポリシーでは DMARC に失敗します。"},
		.fix = {"Set the service up to sign with DKIM d={1} (its custom DKIM domain) or to use a MAIL FROM under {1}, then watch the reports until its mail passes.",
			"このサービスで d={1} の DKIM 署名 (独自 DKIM ドメイン) か {1} 配下の MAIL FROM を使うよう設定し、合格するまでレポートを確認してください。"},
	},
	{
		.id = "reports.unauthenticated", .severity = DD_SEV_INFO,
		.rfc = "RFC 9989 §5.1", .rfc_url = RFC_URL("9989", "5.1"),
		.summary = {"Mail that fails SPF and DKIM for every domain: spoofing, or a sender never set up",
			    "どのドメインでも SPF と DKIM に失敗するメール (なりすまし、または未設定の送信元)"},
		.message = {"The reports show {2} messages as {1} ({3}) that authenticate as no one; the busiest sources: {4}.",
			    "レポートには、どのドメインとしても認証されていない {1} のメールが {2} 通 ({3}) あります。主な送信元: {4}。"},
		.fix = {"If one of these sources is yours, set it up to sign with DKIM d={1}; the rest is what quarantine and reject exist to stop.",
			"この中に自社の送信元があれば d={1} で DKIM 署名するよう設定してください。それ以外は quarantine と reject が止めるためのメールです。"},
	},
	{
		.id = "reports.forwarded", .severity = DD_SEV_INFO,
		.rfc = "RFC 9989 §5.1", .rfc_url = RFC_URL("9989", "5.1"),
		.summary = {"Mail that fails DMARC after forwarding or a mailing list",
			    "転送やメーリングリストを経由して DMARC に失敗するメール"},
		.message = {"The reports show {2} messages as {1} failing after forwarding or a mailing list: {3}; this does not block the next step.",
			    "レポートには、転送やメーリングリストを経由して失敗した {1} のメールが {2} 通あります: {3}。次の段階への移行を妨げるものではありません。"},
		.fix = {"Sign all mail of {1} with DKIM: an unchanged message keeps passing when forwarded; lists that rewrite From or use ARC carry the rest.",
			"{1} のすべてのメールに DKIM 署名を付けてください。変更されないメールは転送されても合格します。From を書き換えるか ARC を使うメーリングリストはそれ以外を扱います。"},
	},
	{
		.id = "reports.insufficient", .severity = DD_SEV_INFO,
		.rfc = "RFC 9990 §3", .rfc_url = RFC_URL("9990", "3"),
		.summary = {"Too little report data to judge the next step",
			    "次の段階を判断するにはレポートが少なすぎる"},
		.message = {"The reports for {1} cover {2} days from {3} reporters with {4} messages: too little to judge the next step (at least 14 days, 2 reporters and 100 messages are needed).",
			    "{1} のレポートは {2} 日分、報告元 {3}、{4} 通です。次の段階を判断するには足りません (14 日、報告元 2、100 通以上が必要です)。"},
		.fix = {"Keep rua= in the DMARC record and import reports for a few more weeks.",
			"DMARC レコードに rua= を残し、あと数週間分のレポートを取り込んでください。"},
	},
	{
		.id = "reports.policy-mismatch", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9990 §3", .rfc_url = RFC_URL("9990", "3"),
		.summary = {"Reporters saw another policy than DNS publishes now",
			    "報告元が見たポリシーと現在 DNS で公開されているポリシーが異なる"},
		.message = {"The newest report for {1} (up to {4}) shows {2}, but DNS publishes {3} now.",
			    "{1} の最新のレポート ({4} まで) では {2} ですが、現在 DNS では {3} が公開されています。"},
		.fix = {"If the record changed recently this resolves itself; otherwise check that every name server of {1} serves the same _dmarc record.",
			"最近レコードを変更したのであれば自然に解消します。そうでなければ {1} のすべてのネームサーバが同じ _dmarc レコードを返しているか確認してください。"},
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

	/* ----------------------- MX hosts, MTA-STS, TLS-RPT, BIMI (issue 12) */
	{
		.id = "mx.host-no-address", .severity = DD_SEV_ERROR,
		.rfc = "RFC 5321 §5.1", .rfc_url = RFC_URL("5321", "5.1"),
		.summary = {"An MX host has no A or AAAA record",
			    "MX ホストに A / AAAA レコードがない"},
		.message = {"The MX host {2} (preference {3}) of {1} has no A or AAAA record, so mail for it cannot be delivered there.",
			    "{1} の MX ホスト {2} (優先度 {3}) には A / AAAA レコードがないため、そこへはメールを配送できません。"},
		.fix = {"Publish A/AAAA records for {2}, or remove the MX record that names it.",
			"{2} の A / AAAA レコードを公開するか、それを指す MX レコードを削除してください。"},
	},
	{
		.id = "mx.host-cname", .severity = DD_SEV_WARNING,
		.rfc = "RFC 5321 §5.1", .rfc_url = RFC_URL("5321", "5.1"),
		.summary = {"An MX host is a CNAME",
			    "MX ホストが CNAME になっている"},
		.message = {"The MX host {2} (preference {3}) of {1} is an alias (CNAME to {4}); an MX must name a host, not an alias, and some senders refuse it.",
			    "{1} の MX ホスト {2} (優先度 {3}) は別名 (CNAME で {4}) です。MX は別名ではなくホスト名を指す必要があり、拒否する送信側もあります。"},
		.fix = {"Point the MX record at {4} directly.",
			"MX レコードが {4} を直接指すようにしてください。"},
	},
	{
		.id = "mx.ip-literal", .severity = DD_SEV_ERROR,
		.rfc = "RFC 5321 §5.1", .rfc_url = RFC_URL("5321", "5.1"),
		.summary = {"An MX record names an IP address",
			    "MX レコードが IP アドレスを指している"},
		.message = {"The MX record of {1} (preference {3}) names the address {2}; an MX holds a host name, so senders look {2} up as a name and fail.",
			    "{1} の MX レコード (優先度 {3}) はアドレス {2} を指しています。MX にはホスト名を書く必要があり、送信側は {2} を名前として引いて失敗します。"},
		.fix = {"Give the host a name with an A/AAAA record for {2} and point the MX at that name.",
			"{2} を A / AAAA レコードに持つホスト名を作り、MX がその名前を指すようにしてください。"},
	},
	{
		.id = "mx.duplicate", .severity = DD_SEV_WARNING,
		.rfc = "RFC 5321 §5.1", .rfc_url = RFC_URL("5321", "5.1"),
		.summary = {"The same MX host is listed twice",
			    "同じ MX ホストが 2 回以上ある"},
		.message = {"The MX host {2} is listed more than once for {1} (again with preference {3}); senders try it once.",
			    "{1} の MX ホスト {2} が複数回 (優先度 {3} でも) 登録されています。送信側が試すのは 1 回だけです。"},
		.fix = {"Keep one MX record for {2}.",
			"{2} の MX レコードは 1 つにしてください。"},
	},
	{
		.id = "mx.null-mixed", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7505 §3", .rfc_url = RFC_URL("7505", "3"),
		.summary = {"A null MX beside other MX records",
			    "null MX がほかの MX レコードと混在している"},
		.message = {"{1} publishes a null MX (\"0 .\") together with other MX records; a null MX must be the only one, and senders may treat the domain either way.",
			    "{1} は null MX (\"0 .\") をほかの MX レコードと一緒に公開しています。null MX は単独でなければならず、送信側の扱いが分かれます。"},
		.fix = {"Remove the null MX if {1} receives mail, or every other MX record if it does not.",
			"{1} がメールを受け取るなら null MX を、受け取らないならほかの MX レコードをすべて削除してください。"},
	},
	{
		.id = "mta-sts.multiple", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8461 §3.1", .rfc_url = RFC_URL("8461", "3.1"),
		.summary = {"More than one MTA-STS record",
			    "MTA-STS レコードが複数ある"},
		.message = {"_mta-sts.{1} has {2} \"v=STSv1\" records; senders then act as if {1} had no MTA-STS policy.",
			    "_mta-sts.{1} に \"v=STSv1\" レコードが {2} 個あります。送信側は {1} に MTA-STS ポリシーがないものとして扱います。"},
		.fix = {"Keep one TXT record \"v=STSv1; id=...\" at _mta-sts.{1}.",
			"_mta-sts.{1} の TXT レコード \"v=STSv1; id=...\" を 1 つにしてください。"},
	},
	{
		.id = "mta-sts.record-syntax", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8461 §3.1", .rfc_url = RFC_URL("8461", "3.1"),
		.summary = {"The MTA-STS TXT record does not parse",
			    "MTA-STS の TXT レコードを解釈できない"},
		.message = {"The MTA-STS record at _mta-sts.{1} is invalid: {2}.",
			    "_mta-sts.{1} の MTA-STS レコードが不正です: {2}。"},
		.fix = {"Publish \"v=STSv1; id=<1-32 letters or digits>;\" and change id whenever the policy changes.",
			"\"v=STSv1; id=<英数字 1〜32 文字>;\" を公開し、ポリシーを変えるたびに id を変えてください。"},
	},
	{
		.id = "mta-sts.wrong-place", .severity = DD_SEV_WARNING,
		.rfc = "RFC 8461 §3.1", .rfc_url = RFC_URL("8461", "3.1"),
		.summary = {"An MTA-STS record outside _mta-sts",
			    "MTA-STS レコードが _mta-sts 以外にある"},
		.message = {"{2} holds a \"v=STSv1\" record, where senders never look: MTA-STS is read only at _mta-sts.{1}.",
			    "{2} に \"v=STSv1\" レコードがありますが、送信側はそこを見ません。MTA-STS は _mta-sts.{1} だけで読まれます。"},
		.fix = {"Move the record to _mta-sts.{1}.",
			"レコードを _mta-sts.{1} に移してください。"},
	},
	{
		.id = "mta-sts.policy-unavailable", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8461 §3.3", .rfc_url = RFC_URL("8461", "3.3"),
		.summary = {"The MTA-STS policy could not be fetched",
			    "MTA-STS ポリシーを取得できない"},
		.message = {"{1} announces MTA-STS, but its policy {2} could not be fetched: {3}; senders then apply no policy.",
			    "{1} は MTA-STS を告知していますが、ポリシー {2} を取得できませんでした: {3}。送信側はポリシーを適用しません。"},
		.fix = {"Serve the policy at {2} over HTTPS with a valid certificate for mta-sts.{1}, status 200 and no redirect.",
			"{2} で、mta-sts.{1} の正しい証明書の HTTPS により、ステータス 200、リダイレクトなしでポリシーを配信してください。"},
	},
	{
		.id = "mta-sts.policy-syntax", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8461 §3.2", .rfc_url = RFC_URL("8461", "3.2"),
		.summary = {"The MTA-STS policy does not parse",
			    "MTA-STS ポリシーを解釈できない"},
		.message = {"The MTA-STS policy of {1} is invalid at line {2}: {3}.",
			    "{1} の MTA-STS ポリシーの {2} 行目が不正です: {3}。"},
		.fix = {"Write the policy as \"version: STSv1\", \"mode: enforce|testing|none\", one \"mx: <host or *.domain>\" per MX host and \"max_age: <seconds>\", one per line.",
			"ポリシーは 1 行に 1 つずつ \"version: STSv1\"、\"mode: enforce|testing|none\"、MX ホストごとの \"mx: <ホストまたは *.ドメイン>\"、\"max_age: <秒>\" と書いてください。"},
	},
	{
		.id = "mta-sts.media-type", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8461 §3.3", .rfc_url = RFC_URL("8461", "3.3"),
		.summary = {"The MTA-STS policy is not served as text/plain",
			    "MTA-STS ポリシーが text/plain で配信されていない"},
		.message = {"The MTA-STS policy of {1} is served as \"{2}\"; senders require text/plain.",
			    "{1} の MTA-STS ポリシーは \"{2}\" として配信されています。送信側は text/plain を求めます。"},
		.fix = {"Serve /.well-known/mta-sts.txt with Content-Type: text/plain.",
			"/.well-known/mta-sts.txt を Content-Type: text/plain で配信してください。"},
	},
	{
		.id = "mta-sts.max-age-low", .severity = DD_SEV_WARNING,
		.rfc = "RFC 8461 §3.2", .rfc_url = RFC_URL("8461", "3.2"),
		.summary = {"The MTA-STS max_age is short",
			    "MTA-STS の max_age が短い"},
		.message = {"The MTA-STS policy of {1} has max_age {2} seconds; a policy cached for less than a day leaves senders open to a downgrade at each refresh.",
			    "{1} の MTA-STS ポリシーの max_age は {2} 秒です。1 日未満のキャッシュでは、更新のたびにダウングレード攻撃を受ける余地が残ります。"},
		.fix = {"Once the policy works, raise max_age to weeks (e.g. 1209600) or more.",
			"ポリシーが正しく動いたら、max_age を数週間 (例: 1209600) 以上にしてください。"},
	},
	{
		.id = "mta-sts.mx-mismatch", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8461 §4.1", .rfc_url = RFC_URL("8461", "4.1"),
		.summary = {"An MX host is not covered by the MTA-STS policy",
			    "MX ホストが MTA-STS ポリシーに含まれていない"},
		.message = {"The MX host {2} of {1} matches no \"mx:\" line of its MTA-STS policy (mode {3}); senders enforcing the policy will not deliver to it.",
			    "{1} の MX ホスト {2} は MTA-STS ポリシーのどの \"mx:\" 行にも一致しません (mode {3})。ポリシーを適用する送信側はそこへ配送しません。"},
		.fix = {"Add \"mx: {2}\" (or a matching \"*.\" pattern) to the policy and change the id of _mta-sts.{1}.",
			"ポリシーに \"mx: {2}\" (または一致する \"*.\" パターン) を加え、_mta-sts.{1} の id を変えてください。"},
	},
	{
		.id = "mta-sts.testing", .severity = DD_SEV_INFO,
		.rfc = "RFC 8461 §5", .rfc_url = RFC_URL("8461", "5"),
		.summary = {"The MTA-STS policy is in testing mode",
			    "MTA-STS ポリシーがテストモード"},
		.message = {"The MTA-STS policy of {1} is mode: testing; senders deliver even when TLS fails and only report it.",
			    "{1} の MTA-STS ポリシーは mode: testing です。送信側は TLS が失敗しても配送し、報告するだけです。"},
		.fix = {"When the TLS reports show no failures, change to mode: enforce and change the id.",
			"TLS レポートに失敗がなければ mode: enforce に変え、id を変えてください。"},
	},
	{
		.id = "mta-sts.mode-none", .severity = DD_SEV_INFO,
		.rfc = "RFC 8461 §5", .rfc_url = RFC_URL("8461", "5"),
		.summary = {"The MTA-STS policy is mode none",
			    "MTA-STS ポリシーが mode: none"},
		.message = {"The MTA-STS policy of {1} is mode: none; it protects nothing (a way to withdraw a policy).",
			    "{1} の MTA-STS ポリシーは mode: none で、何も保護しません (ポリシーを取り下げる方法です)。"},
		.fix = {"Use mode: testing, then enforce, unless the policy is being withdrawn.",
			"ポリシーを取り下げるのでなければ mode: testing、次に enforce にしてください。"},
	},
	{
		.id = "tls-rpt.missing", .severity = DD_SEV_INFO,
		.rfc = "RFC 8460 §3", .rfc_url = RFC_URL("8460", "3"),
		.summary = {"No TLS-RPT record beside MTA-STS",
			    "MTA-STS があるのに TLS-RPT レコードがない"},
		.message = {"{1} has an MTA-STS policy but no TLS-RPT record at _smtp._tls.{1}, so nobody hears when senders fail to deliver over TLS.",
			    "{1} には MTA-STS ポリシーがありますが _smtp._tls.{1} に TLS-RPT レコードがないため、TLS 配送の失敗が誰にも届きません。"},
		.fix = {"Publish _smtp._tls.{1} TXT \"v=TLSRPTv1; rua=mailto:tls-reports@{1}\".",
			"_smtp._tls.{1} TXT \"v=TLSRPTv1; rua=mailto:tls-reports@{1}\" を公開してください。"},
	},
	{
		.id = "tls-rpt.multiple", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8460 §3", .rfc_url = RFC_URL("8460", "3"),
		.summary = {"More than one TLS-RPT record",
			    "TLS-RPT レコードが複数ある"},
		.message = {"_smtp._tls.{1} has {2} \"v=TLSRPTv1\" records; senders then send no reports.",
			    "_smtp._tls.{1} に \"v=TLSRPTv1\" レコードが {2} 個あります。送信側はレポートを送りません。"},
		.fix = {"Merge them into one record; rua takes several URIs separated by commas.",
			"1 つのレコードにまとめてください。rua にはカンマ区切りで複数の URI を書けます。"},
	},
	{
		.id = "tls-rpt.syntax", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8460 §3", .rfc_url = RFC_URL("8460", "3"),
		.summary = {"The TLS-RPT record does not parse",
			    "TLS-RPT レコードを解釈できない"},
		.message = {"The TLS-RPT record at _smtp._tls.{1} is invalid: {2}.",
			    "_smtp._tls.{1} の TLS-RPT レコードが不正です: {2}。"},
		.fix = {"Publish \"v=TLSRPTv1; rua=mailto:<address>\" (v first, then rua).",
			"\"v=TLSRPTv1; rua=mailto:<アドレス>\" (v を先頭に、次に rua) を公開してください。"},
	},
	{
		.id = "tls-rpt.bad-rua", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8460 §3", .rfc_url = RFC_URL("8460", "3"),
		.summary = {"A TLS-RPT rua is not a mailto: or https: URI",
			    "TLS-RPT の rua が mailto: または https: の URI でない"},
		.message = {"The TLS-RPT record of {1} has the report destination \"{2}\", which is not a mailto: address or an https: URL; reports for it are lost.",
			    "{1} の TLS-RPT レコードの送信先 \"{2}\" は mailto: アドレスでも https: URL でもないため、レポートは失われます。"},
		.fix = {"Write rua=mailto:<address> or rua=https://<host>/<path>.",
			"rua=mailto:<アドレス> または rua=https://<ホスト>/<パス> と書いてください。"},
	},
	{
		.id = "bimi.multiple", .severity = DD_SEV_ERROR,
		.rfc = "RFC 6376 §3.2", .rfc_url = RFC_URL("6376", "3.2"),
		.summary = {"More than one BIMI record",
			    "BIMI レコードが複数ある"},
		.message = {"{2} has {3} \"v=BIMI1\" records; mailbox providers then show no logo for {1}.",
			    "{2} に \"v=BIMI1\" レコードが {3} 個あります。メールボックス事業者は {1} のロゴを表示しません。"},
		.fix = {"Keep one BIMI record at {2}.",
			"{2} の BIMI レコードを 1 つにしてください。"},
	},
	{
		.id = "bimi.syntax", .severity = DD_SEV_ERROR,
		.rfc = "RFC 6376 §3.2", .rfc_url = RFC_URL("6376", "3.2"),
		.summary = {"The BIMI record does not parse",
			    "BIMI レコードを解釈できない"},
		.message = {"The BIMI record at {2} is invalid: {3}.",
			    "{2} の BIMI レコードが不正です: {3}。"},
		.fix = {"Publish \"v=BIMI1; l=https://<host>/logo.svg; a=https://<host>/vmc.pem\" (tag=value pairs, v first, https URLs).",
			"\"v=BIMI1; l=https://<ホスト>/logo.svg; a=https://<ホスト>/vmc.pem\" (tag=value の組、v を先頭、https の URL) を公開してください。"},
	},
	{
		.id = "bimi.dmarc-not-enforcing", .severity = DD_SEV_WARNING,
		.rfc = "RFC 9989 §4.7", .rfc_url = RFC_URL("9989", "4.7"),
		.summary = {"BIMI without an enforcing DMARC policy",
			    "DMARC ポリシーが強制でないのに BIMI がある"},
		.message = {"{1} publishes a BIMI record, but its DMARC policy {2} does not enforce, so no mailbox provider shows its logo.",
			    "{1} は BIMI レコードを公開していますが、DMARC ポリシー {2} は強制ではないため、どのメールボックス事業者もロゴを表示しません。"},
		.fix = {"Move DMARC to p=quarantine or p=reject (with sp not none, and no pct below 100) first; the advice shows how.",
			"先に DMARC を p=quarantine または p=reject (sp も none 以外、pct は 100 未満にしない) にしてください。手順は助言に示しています。"},
	},
	{
		.id = "bimi.logo-unavailable", .severity = DD_SEV_ERROR,
		.rfc = "RFC 6170 §5", .rfc_url = RFC_URL("6170", "5"),
		.summary = {"The BIMI logo could not be fetched",
			    "BIMI のロゴを取得できない"},
		.message = {"The BIMI logo {2} of {1} could not be fetched: {3}.",
			    "{1} の BIMI ロゴ {2} を取得できませんでした: {3}。"},
		.fix = {"Serve the SVG at {2} over HTTPS with a valid certificate, status 200 and no redirect.",
			"{2} で、正しい証明書の HTTPS により、ステータス 200、リダイレクトなしで SVG を配信してください。"},
	},
	{
		.id = "bimi.svg-invalid", .severity = DD_SEV_ERROR,
		.rfc = "RFC 6170 §5", .rfc_url = RFC_URL("6170", "5"),
		.summary = {"The BIMI logo is not SVG Tiny PS",
			    "BIMI のロゴが SVG Tiny PS でない"},
		.message = {"The BIMI logo {2} of {1} breaks the SVG Tiny PS profile: {3}.",
			    "{1} の BIMI ロゴ {2} は SVG Tiny PS の規定に反しています: {3}。"},
		.fix = {"Export the logo as SVG Tiny PS: baseProfile=\"tiny-ps\", a <title>, a square viewBox, no scripts, animation or external references, at most 32 KiB.",
			"ロゴを SVG Tiny PS で書き出してください: baseProfile=\"tiny-ps\"、<title>、正方形の viewBox、スクリプト・アニメーション・外部参照なし、32 KiB 以下。"},
	},
	{
		.id = "bimi.no-authority", .severity = DD_SEV_INFO,
		.rfc = "RFC 3709 §2", .rfc_url = RFC_URL("3709", "2"),
		.summary = {"BIMI without a mark certificate",
			    "BIMI にマーク証明書がない"},
		.message = {"The BIMI record of {1} has no a= (VMC or CMC); Gmail and Apple Mail show logos only with one.",
			    "{1} の BIMI レコードに a= (VMC または CMC) がありません。Gmail と Apple Mail は証明書がないとロゴを表示しません。"},
		.fix = {"Obtain a VMC or CMC for the logo and add a=https://<host>/<certificate>.pem.",
			"ロゴの VMC または CMC を取得し、a=https://<ホスト>/<証明書>.pem を加えてください。"},
	},
	{
		.id = "bimi.cert-unavailable", .severity = DD_SEV_ERROR,
		.rfc = "RFC 3709 §2", .rfc_url = RFC_URL("3709", "2"),
		.summary = {"The BIMI certificate could not be fetched or read",
			    "BIMI の証明書を取得または読み取りできない"},
		.message = {"The mark certificate {2} of {1} could not be used: {3}.",
			    "{1} のマーク証明書 {2} を使えませんでした: {3}。"},
		.fix = {"Serve the PEM certificate chain from your issuer at {2} over HTTPS.",
			"発行元から受け取った PEM の証明書チェーンを {2} で HTTPS 配信してください。"},
	},
	{
		.id = "bimi.cert-expired", .severity = DD_SEV_ERROR,
		.rfc = "RFC 5280 §4.1.2.5", .rfc_url = RFC_URL("5280", "4.1.2.5"),
		.summary = {"The BIMI certificate is expired or not yet valid",
			    "BIMI の証明書が期限切れまたは有効期間前"},
		.message = {"The mark certificate {2} of {1} is valid until {3}: outside its validity now.",
			    "{1} のマーク証明書 {2} の有効期限は {3} で、現在は有効期間外です。"},
		.fix = {"Renew the certificate with its issuer and replace the file at {2}.",
			"発行元で証明書を更新し、{2} のファイルを置き換えてください。"},
	},
	{
		.id = "bimi.cert-san-mismatch", .severity = DD_SEV_ERROR,
		.rfc = "RFC 5280 §4.2.1.6", .rfc_url = RFC_URL("5280", "4.2.1.6"),
		.summary = {"The BIMI certificate does not name the domain",
			    "BIMI の証明書がドメインを含まない"},
		.message = {"The mark certificate {2} does not name {1} among its subject alternative names (first: {3}).",
			    "マーク証明書 {2} の subject alternative name に {1} が含まれていません (先頭: {3})。"},
		.fix = {"Use a certificate issued for {1}.",
			"{1} 向けに発行された証明書を使ってください。"},
	},
	{
		.id = "bimi.cert-logo-mismatch", .severity = DD_SEV_ERROR,
		.rfc = "RFC 3709 §4.1", .rfc_url = RFC_URL("3709", "4.1"),
		.summary = {"The BIMI logo differs from the one in the certificate",
			    "BIMI のロゴが証明書のロゴと異なる"},
		.message = {"The logo {2} of {1} is not the image whose hash the mark certificate carries; providers show no logo.",
			    "{1} のロゴ {2} は、マーク証明書に記録されたハッシュの画像と異なります。ロゴは表示されません。"},
		.fix = {"Serve exactly the SVG that was certified, or get the certificate reissued for the new logo.",
			"証明書を取得した SVG をそのまま配信するか、新しいロゴで証明書を再発行してください。"},
	},

	/* --------------------------------------- zone files and baselines */
	{
		.id = "dns.offline", .severity = DD_SEV_INFO,
		.rfc = "RFC 7208 §4.6.4", .rfc_url = RFC_URL("7208", "4.6.4"),
		.summary = {"Names outside the zone files were not looked up (--offline)",
			    "ゾーンファイル外の名前を問い合わせていない (--offline)"},
		.message = {"Names outside the zone files were not looked up (--offline), {1} in all: {2}; lookup counts are lower bounds, and what those names hold is unknown.",
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

	/* ------------------------------ caps of the parsers (hardening) */
	{
		.id = "spf.parse-cap", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7208 §3.4", .rfc_url = RFC_URL("7208", "3.4"),
		.summary = {"SPF record longer than dmarc-doctor reads (1024 terms)",
			    "SPF レコードが dmarc-doctor の読む上限 (1024 項目) を超えている"},
		.message = {"The SPF record at {1} has more than {2} terms; dmarc-doctor reads the first {2} only, so nothing from column {3} on is judged: an all, a redirect= or lookups there are unknown, and the lookup counts are lower bounds.",
			    "{1} の SPF レコードは項目が {2} 個を超えています。dmarc-doctor が読むのは最初の {2} 個だけなので、{3} 桁目以降 (all、redirect=、DNS 参照など) は判定していません。参照回数は下限値です。"},
		.fix = {"Shorten the record: replace long ip4:/ip6: lists with a few include: of records that hold them, or with wider ranges; receivers must fetch it over TCP and many give up on records this long.",
			"レコードを短くしてください。長い ip4:/ip6: の並びは、それを持つレコードへの include: やより広い範囲にまとめます。受信側は TCP で取得する必要があり、これほど長いレコードでは多くが失敗します。"},
	},
	/* ------------------------------------------------ DNSSEC and DANE */
	{
		.id = "dnssec.unsigned", .severity = DD_SEV_INFO,
		.rfc = "RFC 4035 §4.3", .rfc_url = RFC_URL("4035", "4.3"),
		.summary = {"The domain is not signed with DNSSEC",
			    "ドメインが DNSSEC で署名されていない"},
		.message = {"{1} is not signed with DNSSEC ({2} has no DS record that validators can use): its {3} records are not signed, so a validating receiver cannot tell them from forged answers.",
			    "{1} は DNSSEC で署名されていません ({2} には検証に使える DS レコードがありません)。{3} レコードは署名されておらず、検証する受信側は偽の応答と区別できません。"},
		.fix = {"Sign the zone at your DNS provider and publish its DS record at the registrar.",
			"DNS 事業者でゾーンに署名し、その DS レコードをレジストラで登録してください。"},
	},
	{
		.id = "dnssec.bogus", .severity = DD_SEV_ERROR,
		.rfc = "RFC 4035 §4.3", .rfc_url = RFC_URL("4035", "4.3"),
		.summary = {"The DNSSEC chain of trust is broken",
			    "DNSSEC の信頼の連鎖が壊れている"},
		.message = {"The DNSSEC chain of trust of {1} is broken at {2}: {3}; validating resolvers answer SERVFAIL for its names, so mail to it is deferred and its SPF and DMARC fail as temporary errors.",
			    "{1} の DNSSEC の信頼の連鎖が {2} で壊れています: {3}。検証するリゾルバはその名前に SERVFAIL を返すため、メールの配送は保留され、SPF と DMARC は一時エラーになります。"},
		.fix = {"Re-sign the zone, or make the DS record at the parent match a current key (remove it if the zone is no longer signed).",
			"ゾーンに署名し直すか、親ゾーンの DS レコードを現在の鍵に合わせてください (署名をやめたゾーンなら DS を削除してください)。"},
	},
	{
		.id = "dnssec.signature-expired", .severity = DD_SEV_ERROR,
		.rfc = "RFC 4035 §5.3.1", .rfc_url = RFC_URL("4035", "5.3.1"),
		.summary = {"A DNSSEC signature has expired",
			    "DNSSEC 署名の有効期限が切れている"},
		.message = {"The RRSIG over the {1} records at {2} expired on {3}; validating resolvers treat the answer as bogus.",
			    "{2} の {1} レコードの RRSIG は {3} に期限切れになりました。検証するリゾルバはこの応答を不正 (bogus) として扱います。"},
		.fix = {"Re-sign the zone and check that automatic re-signing runs (the signer's clock, its cron job or service).",
			"ゾーンに署名し直し、自動再署名が動いているか (署名サーバの時計、cron やサービス) を確認してください。"},
	},
	{
		.id = "dnssec.signature-not-yet-valid", .severity = DD_SEV_ERROR,
		.rfc = "RFC 4035 §5.3.1", .rfc_url = RFC_URL("4035", "5.3.1"),
		.summary = {"A DNSSEC signature is not valid yet",
			    "DNSSEC 署名がまだ有効になっていない"},
		.message = {"The RRSIG over the {1} records at {2} is valid only from {3}; until then validating resolvers treat the answer as bogus.",
			    "{2} の {1} レコードの RRSIG は {3} からしか有効ではありません。それまで検証するリゾルバはこの応答を不正 (bogus) として扱います。"},
		.fix = {"Fix the signer's clock and re-sign the zone.",
			"署名サーバの時計を直し、ゾーンに署名し直してください。"},
	},
	{
		.id = "dnssec.record-bogus", .severity = DD_SEV_ERROR,
		.rfc = "RFC 4035 §5.3", .rfc_url = RFC_URL("4035", "5.3"),
		.summary = {"A mail record's signature does not validate",
			    "メール関連レコードの署名が検証できない"},
		.message = {"The {1} record at {2} does not validate: {3}; validating resolvers answer SERVFAIL for it.",
			    "{2} の {1} レコードは検証できません: {3}。検証するリゾルバはこれに SERVFAIL を返します。"},
		.fix = {"Re-sign the zone that holds {2}.",
			"{2} を持つゾーンに署名し直してください。"},
	},
	{
		.id = "dnssec.record-unsigned", .severity = DD_SEV_WARNING,
		.rfc = "RFC 4035 §4.3", .rfc_url = RFC_URL("4035", "4.3"),
		.summary = {"A mail record is not signed although its domain is",
			    "ドメインは署名されているがメール関連レコードが署名されていない"},
		.message = {"The {1} record at {2} is not signed: {3}.",
			    "{2} の {1} レコードは署名されていません: {3}。"},
		.fix = {"Sign the zone that holds {2} (a CNAME or delegation to an unsigned zone leaves the record unsigned).",
			"{2} を持つゾーンに署名してください (署名のないゾーンへの CNAME や委任があるとレコードは署名されません)。"},
	},
	{
		.id = "dnssec.undetermined", .severity = DD_SEV_INFO,
		.rfc = "RFC 4035 §4.3", .rfc_url = RFC_URL("4035", "4.3"),
		.summary = {"Whether the domain is signed could not be determined",
			    "署名の有無を判定できなかった"},
		.message = {"Whether the DNS answers of {1} are signed could not be determined: {2}.",
			    "{1} の DNS 応答が署名されているかを判定できませんでした: {2}。"},
		.fix = {"Run the check again with a resolver that supports DNSSEC (--resolver), or with --trust-anchor for a test zone.",
			"DNSSEC に対応したリゾルバ (--resolver) で、またはテスト用ゾーンなら --trust-anchor を付けて、もう一度実行してください。"},
	},
	{
		.id = "dnssec.algorithm-must-not", .severity = DD_SEV_ERROR,
		.rfc = "RFC 8624 §3.1", .rfc_url = RFC_URL("8624", "3.1"),
		.summary = {"Signed with an algorithm that must not be used",
			    "使ってはならないアルゴリズムで署名されている"},
		.message = {"{1} is signed with DNSSEC algorithm {2} ({3}), which RFC 8624 says must not be used for signing; validators may treat the zone as unsigned.",
			    "{1} は DNSSEC アルゴリズム {2} ({3}) で署名されています。RFC 8624 は署名に使ってはならないとしており、検証側はゾーンを未署名とみなすことがあります。"},
		.fix = {"Roll the zone's keys over to ECDSAP256SHA256 (13) or RSASHA256 (8).",
			"ゾーンの鍵を ECDSAP256SHA256 (13) または RSASHA256 (8) に切り替えてください。"},
	},
	{
		.id = "dnssec.algorithm-not-recommended", .severity = DD_SEV_WARNING,
		.rfc = "RFC 8624 §3.1", .rfc_url = RFC_URL("8624", "3.1"),
		.summary = {"Signed with a deprecated algorithm",
			    "非推奨のアルゴリズムで署名されている"},
		.message = {"{1} is signed with DNSSEC algorithm {2} ({3}), which RFC 8624 does not recommend for signing (SHA-1 based, or little supported).",
			    "{1} は DNSSEC アルゴリズム {2} ({3}) で署名されています。RFC 8624 は署名への使用を推奨していません (SHA-1 ベース、または対応が少ない)。"},
		.fix = {"Roll the zone's keys over to ECDSAP256SHA256 (13) or RSASHA256 (8).",
			"ゾーンの鍵を ECDSAP256SHA256 (13) または RSASHA256 (8) に切り替えてください。"},
	},
	{
		.id = "dnssec.ds-digest-deprecated", .severity = DD_SEV_WARNING,
		.rfc = "RFC 8624 §3.3", .rfc_url = RFC_URL("8624", "3.3"),
		.summary = {"A DS record uses a deprecated digest",
			    "DS レコードが非推奨のダイジェストを使っている"},
		.message = {"The DS record of {1} uses digest type {2} ({3}), which RFC 8624 says must not be used for new DS records.",
			    "{1} の DS レコードはダイジェスト形式 {2} ({3}) を使っています。RFC 8624 は新しい DS レコードに使ってはならないとしています。"},
		.fix = {"Publish a SHA-256 (2) DS record for the key at the registrar, then remove the old one.",
			"レジストラでその鍵の SHA-256 (2) の DS レコードを登録し、古いものを削除してください。"},
	},
	{
		.id = "dane.tlsa-unsigned", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7672 §2.2", .rfc_url = RFC_URL("7672", "2.2"),
		.summary = {"TLSA records that are not signed",
			    "署名されていない TLSA レコード"},
		.message = {"The TLSA records at {1} are not signed ({2} is not DNSSEC-signed), so sending servers ignore them.",
			    "{1} の TLSA レコードは署名されていません ({2} は DNSSEC で署名されていません)。送信サーバはこれを無視します。"},
		.fix = {"Sign the zone of the MX host, or remove the TLSA records.",
			"MX ホストのゾーンに署名するか、TLSA レコードを削除してください。"},
	},
	{
		.id = "dane.tlsa-bogus", .severity = DD_SEV_ERROR,
		.rfc = "RFC 7672 §2.2", .rfc_url = RFC_URL("7672", "2.2"),
		.summary = {"TLSA records that do not validate",
			    "検証できない TLSA レコード"},
		.message = {"The TLSA records at {1} do not validate ({2}); DANE senders defer mail to this host.",
			    "{1} の TLSA レコードは検証できません ({2})。DANE に対応した送信サーバはこのホストへのメールを保留します。"},
		.fix = {"Re-sign the zone of the MX host.",
			"MX ホストのゾーンに署名し直してください。"},
	},
	{
		.id = "dane.tlsa-pkix-usage", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7672 §3.1.3", .rfc_url = RFC_URL("7672", "3.1.3"),
		.summary = {"A TLSA record with a PKIX usage, which SMTP does not use",
			    "SMTP で使われない PKIX 用途の TLSA レコード"},
		.message = {"A TLSA record at {1} has usage {2} (PKIX-TA or PKIX-EE), which SMTP clients treat as unusable.",
			    "{1} の TLSA レコードの用途は {2} (PKIX-TA または PKIX-EE) で、SMTP クライアントは使えないものとして扱います。"},
		.fix = {"Publish usage 3 (DANE-EE) or 2 (DANE-TA) instead, e.g. \"3 1 1 <SHA-256 of the key>\".",
			"代わりに用途 3 (DANE-EE) または 2 (DANE-TA) を公開してください (例: \"3 1 1 <鍵の SHA-256>\")。"},
	},
	{
		.id = "dane.tlsa-malformed", .severity = DD_SEV_ERROR,
		.rfc = "RFC 6698 §2.1", .rfc_url = RFC_URL("6698", "2.1"),
		.summary = {"A malformed TLSA record",
			    "不正な TLSA レコード"},
		.message = {"A TLSA record at {1} is malformed: {2}.",
			    "{1} の TLSA レコードが不正です: {2}。"},
		.fix = {"Publish the record your TLSA generator gives, e.g. \"3 1 1\" with the 64 hex digits of the key's SHA-256.",
			"TLSA 生成ツールが示すレコードを公開してください (例: \"3 1 1\" と鍵の SHA-256 の 16 進 64 桁)。"},
	},
	{
		.id = "dane.tlsa-full-match", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7672 §3.1", .rfc_url = RFC_URL("7672", "3.1"),
		.summary = {"A TLSA record with matching type 0 (full)",
			    "照合形式 0 (完全一致) の TLSA レコード"},
		.message = {"A TLSA record at {1} holds the full certificate or key (matching type 0): large, and it must change with every certificate.",
			    "{1} の TLSA レコードは証明書または鍵そのもの (照合形式 0) を持っています。大きく、証明書ごとに変える必要があります。"},
		.fix = {"Publish matching type 1 (SHA2-256) instead, e.g. \"3 1 1\".",
			"代わりに照合形式 1 (SHA2-256) を公開してください (例: \"3 1 1\")。"},
	},
	{
		.id = "dane.no-usable-tlsa", .severity = DD_SEV_WARNING,
		.rfc = "RFC 7672 §2.2", .rfc_url = RFC_URL("7672", "2.2"),
		.summary = {"No usable TLSA record at an MX host",
			    "MX ホストに使える TLSA レコードがない"},
		.message = {"The signed TLSA records at {1} hold none that an SMTP client can use, so DANE senders deliver without authenticating the host.",
			    "{1} の署名された TLSA レコードには SMTP クライアントが使えるものがなく、DANE 送信サーバはホストを認証せずに配送します。"},
		.fix = {"Publish a DANE-EE record (usage 3, selector 1, matching type 1).",
			"DANE-EE のレコード (用途 3、セレクタ 1、照合形式 1) を公開してください。"},
	},
	{
		.id = "dane.none", .severity = DD_SEV_INFO,
		.rfc = "RFC 7672 §2.2", .rfc_url = RFC_URL("7672", "2.2"),
		.summary = {"Signed, but no MX host publishes TLSA",
			    "署名済みだが TLSA を公開している MX ホストがない"},
		.message = {"{1} and its MX hosts are signed, but no MX host publishes TLSA records: sending servers cannot authenticate them (DANE).",
			    "{1} とその MX ホストは署名されていますが、TLSA レコードを公開している MX ホストがありません。送信サーバはホストを認証できません (DANE)。"},
		.fix = {"Publish a TLSA record at _25._tcp.<MX host> for each MX host, e.g. \"3 1 1\" with the SHA-256 of its key.",
			"各 MX ホストの _25._tcp.<MX ホスト> に TLSA レコードを公開してください (例: \"3 1 1\" と鍵の SHA-256)。"},
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

void dd_words_set(struct dd_words *w, char *en, char *ja)
{
	free(w->en);
	free(w->ja);
	w->en = en;
	w->ja = ja;
}

void dd_words_copy(struct dd_words *dst, const struct dd_words *src)
{
	dd_words_set(dst, src->en ? xstrdup(src->en) : NULL, src->ja ? xstrdup(src->ja) : NULL);
}

const char *dd_words_get(const struct dd_words *w, enum dd_lang lang)
{
	return (lang == DD_LANG_JA && w->ja) ? w->ja : w->en;
}

void dd_words_finish(struct dd_words *w)
{
	dd_words_set(w, NULL, NULL);
}

static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *vformat(const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	char *s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	if (n >= 0)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	else
		s[0] = '\0';
	return s;
}

void dd_words_vformat(struct dd_words *w, const char *en, const char *ja, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	char *e = vformat(en, ap);
	char *j = vformat(ja, again);
	va_end(again);
	dd_words_set(w, e, j);
}

char *dd_text_format(const struct dd_text *t, enum dd_lang lang, char *const args[], size_t nargs)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	const char *s = dd_text_get(t, lang);
	while (*s) {
		/* the text up to the next brace in one piece, not byte by byte */
		const char *brace = strchr(s, '{');
		size_t run = brace ? (size_t)(brace - s) : strlen(s);
		dd_strbuf_add(&b, s, run);
		s += run;
		if (!*s)
			break;
		if (s[1] >= '1' && s[1] <= '9' && s[2] == '}') {
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

/* Frees what a finding owns; the struct itself is the caller's. */
static void finding_finish(struct dd_finding *f)
{
	for (size_t a = 0; a < DD_FINDING_MAXARGS; a++) {
		free(f->args[a]);
		free(f->args_ja[a]);
	}
	for (size_t c = 0; c < f->nchain; c++)
		free(f->chain[c]);
	free(f->chain);
	free(f->record);
}

struct dd_finding *dd_findings_add(struct dd_findings *fs, const char *id, ...)
{
	const struct dd_finding_def *def = dd_finding_def_find(id);
	if (!def)
		abort(); /* a check used an id that is not in the table */
	if (!fs->per_id)
		fs->per_id = xcalloc(dd_finding_ndefs, sizeof(*fs->per_id));
	struct dd_finding *f;
	if (fs->per_id[def - dd_finding_defs]++ >= DD_FINDINGS_PER_ID) {
		/* counted, and handed a scratch finding the caller may fill in vain */
		fs->suppressed++;
		f = &fs->overflow;
		finding_finish(f);
	} else {
		fs->v = xgrow(fs->v, &fs->cap, fs->n + 1, sizeof(*fs->v));
		f = &fs->v[fs->n++];
	}
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

void dd_finding_arg_ja(struct dd_finding *f, size_t i, const char *ja)
{
	if (i >= DD_FINDING_MAXARGS)
		abort(); /* a template has no such argument */
	free(f->args_ja[i]);
	f->args_ja[i] = ja ? xstrdup(ja) : NULL;
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

const char *dd_finding_rfc(const struct dd_finding *f)
{
	return f->rfc ? f->rfc : f->def->rfc;
}

const char *dd_finding_rfc_url(const struct dd_finding *f)
{
	return f->rfc_url ? f->rfc_url : f->def->rfc_url;
}

/* The arguments in a language: a Japanese one where the check gave it. */
static void finding_args(const struct dd_finding *f, enum dd_lang lang,
                         char *out[DD_FINDING_MAXARGS])
{
	for (size_t i = 0; i < DD_FINDING_MAXARGS; i++)
		out[i] = lang == DD_LANG_JA && f->args_ja[i] ? f->args_ja[i] : f->args[i];
}

char *dd_finding_message(const struct dd_finding *f, enum dd_lang lang)
{
	char *args[DD_FINDING_MAXARGS];
	finding_args(f, lang, args);
	return dd_text_format(f->message, lang, args, DD_FINDING_MAXARGS);
}

char *dd_finding_fix(const struct dd_finding *f, enum dd_lang lang)
{
	char *args[DD_FINDING_MAXARGS];
	finding_args(f, lang, args);
	return dd_text_format(f->fix, lang, args, DD_FINDING_MAXARGS);
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
	for (size_t i = 0; i < fs->n; i++)
		finding_finish(&fs->v[i]);
	finding_finish(&fs->overflow);
	free(fs->v);
	free(fs->per_id);
	memset(fs, 0, sizeof(*fs));
}
