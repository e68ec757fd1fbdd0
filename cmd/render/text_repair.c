/*
 * text_repair.c: the SPF repair lines of the text report, under the SPF
 * line: the proposed record and its counts, each change and why, the proof
 * (what changes for which addresses), the terms that could not be proven,
 * and the zone-file line to paste - with --zone, as a -/+ pair at the file
 * and line of the record it replaces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/render.h"

enum rui {
	R_REPAIR,
	R_COUNTS,
	R_PROOF,
	R_SAME,
	R_GAINS,
	R_LOSES,
	R_CHANGES,
	R_UNPROVABLE,
	R_PUBLISH,
	R_OVER,
	R_LONG,
	R_ALTERNATIVE,
	R_ALT_NOTE,
	R_PROVIDER,
	R_MORE_RANGES,
	R_COUNT
};

/* clang-format off */
static const struct dd_text rui_text[R_COUNT] = {
	[R_REPAIR] = {"repair", "修復案"},
	[R_COUNTS] = {"{1} DNS lookups, {2} void; risk: {3}", "DNS 参照 {1} 回、空の参照 {2} 回、リスク: {3}"},
	[R_PROOF] = {"proof", "証明"},
	[R_SAME] = {"every client gets the same result from both records", "どの送信元でも両レコードの結果は同じです"},
	[R_GAINS] = {"pass added for", "pass になるアドレス"},
	[R_LOSES] = {"pass removed for", "pass でなくなるアドレス"},
	[R_CHANGES] = {"{1} -> {2} for", "{1} -> {2} になるアドレス"},
	[R_UNPROVABLE] = {"unprovable", "計算できない項目"},
	[R_PUBLISH] = {"publish", "公開"},
	[R_OVER] = {"still over the limits: the rest needs the owner's decision", "まだ上限を超えています。残りは所有者の判断が必要です"},
	[R_LONG] = {"{1} octets, over 450 (RFC 7208 §3.4): the answer may need TCP", "{1} オクテットで 450 を超えています (RFC 7208 §3.4)。応答に TCP が必要になることがあります"},
	[R_ALTERNATIVE] = {"or", "別案"},
	[R_ALT_NOTE] = {"serve the inlined ranges as A records under _spf.{1} (e.g. with rbldnsd): one lookup, and the ranges are updated there, not in the SPF record", "展開した範囲を _spf.{1} 以下の A レコードとして提供します (rbldnsd など)。参照は 1 回で、範囲の更新は SPF レコードではなくそちらで行います"},
	[R_PROVIDER] = {"{1} documents that its addresses change: {2}", "{1} はアドレスが変わることを明記しています: {2}"},
	[R_MORE_RANGES] = {"... and {1} more (all of them with -v, or in --format json)", "... ほか {1} 件 (-v か --format json ですべて表示)"},
};
/* clang-format on */

static void put(FILE *out, const char *s)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_text(&b, s, strlen(s));
	if (b.len)
		fwrite(b.s, 1, b.len, out);
	dd_strbuf_finish(&b);
}

static void put_own(FILE *out, char *s)
{
	put(out, s);
	free(s);
}

/* A label of the repair lines, padded by columns: Japanese ones align too. */
static void label(FILE *out, const char *l)
{
	fputs("          ", out);
	dd_text_put_padded(out, l, strlen(l), 11);
}

/* The ranges of one result change. Replacing ?all changes the result of
 * every address the record does not list: hundreds of ranges, which would
 * bury the report. The first few are shown, the rest counted. */
#define RANGES_SHOWN 8

static void ranges(FILE *out, char *const *v, size_t n, bool all, enum dd_lang lang)
{
	size_t shown = all || n <= RANGES_SHOWN ? n : RANGES_SHOWN;
	for (size_t i = 0; i < shown; i++) {
		if (i)
			fputc(' ', out);
		put(out, v[i]);
	}
	if (shown < n) {
		char more[24];
		snprintf(more, sizeof(more), "%zu", n - shown);
		char *ma[4] = { more, NULL, NULL, NULL };
		fputc(' ', out);
		put_own(out, dd_text_format(&rui_text[R_MORE_RANGES], lang, ma, 1));
	}
	fputc('\n', out);
}

static const char *rname(enum dd_spf_result r, bool unknown)
{
	return unknown ? "unknown" : dd_spf_result_name(r);
}

void dd_text_spf_repair(FILE *out, const struct dd_spf_repair *rp, const char *domain,
                        enum dd_lang lang, bool verbose)
{
	char *args[4] = { NULL, NULL, NULL, NULL };
	char n[3][24];
	if (!rp)
		return;
	label(out, dd_text_get(&rui_text[R_REPAIR], lang));
	put(out, rp->record);
	snprintf(n[0], sizeof(n[0]), "%s%d", rp->lower_bound ? ">= " : "", rp->lookups);
	snprintf(n[1], sizeof(n[1]), "%d", rp->void_lookups);
	args[0] = n[0];
	args[1] = n[1];
	args[2] = (char *)dd_spf_risk_name(rp->risk);
	fputs("  (", out);
	put_own(out, dd_text_format(&rui_text[R_COUNTS], lang, args, 3));
	fputs(")\n", out);
	for (size_t i = 0; i < rp->nchanges; i++) {
		const struct dd_spf_change *c = &rp->changes[i];
		fprintf(out, "          %-10s - %s:", "", dd_spf_change_kind_name(c->kind));
		for (size_t k = 0; k < c->nremoved; k++) {
			fputc(' ', out);
			put(out, c->removed[k]);
		}
		if (c->nadded) {
			fputs(" ->", out);
			for (size_t k = 0; k < c->nadded && k < 8; k++) {
				fputc(' ', out);
				put(out, c->added[k]);
			}
			if (c->nadded > 8)
				fprintf(out, " ... (%zu)", c->nadded);
		}
		fputs(": ", out);
		put_own(out, dd_text_format(c->why, lang, c->args, 4));
		fputc('\n', out);
		if (c->provider) {
			char *pa[4] = { (char *)c->provider, (char *)c->provider_url, NULL, NULL };
			fprintf(out, "          %-10s   ", "");
			put_own(out, dd_text_format(&rui_text[R_PROVIDER], lang, pa, 2));
			fputc('\n', out);
		}
	}
	if (!rp->within_limits) {
		label(out, "");
		fprintf(out, "%s\n", dd_text_get(&rui_text[R_OVER], lang));
	}
	if (rp->too_long) {
		snprintf(n[2], sizeof(n[2]), "%zu", rp->record_len);
		char *la[4] = { n[2], NULL, NULL, NULL };
		label(out, "");
		put_own(out, dd_text_format(&rui_text[R_LONG], lang, la, 1));
		fputc('\n', out);
	}
	const struct dd_spf_proof *pr = &rp->proof;
	label(out, dd_text_get(&rui_text[R_PROOF], lang));
	if (pr->equal) {
		fprintf(out, "%s\n", dd_text_get(&rui_text[R_SAME], lang));
	} else {
		bool first = true;
		for (size_t i = 0; i < pr->nchanged; i++) {
			const struct dd_spf_result_change *c = &pr->changed[i];
			char *ca[4] = { (char *)rname(c->from, c->from_unknown),
				        (char *)rname(c->to, c->to_unknown), NULL, NULL };
			if (!first)
				label(out, "");
			first = false;
			put_own(out, dd_text_format(&rui_text[R_CHANGES], lang, ca, 2));
			fputc(' ', out);
			ranges(out, c->ranges, c->nranges, verbose, lang);
		}
		if (first)
			fputc('\n', out);
	}
	if (pr->nunprovable) {
		label(out, dd_text_get(&rui_text[R_UNPROVABLE], lang));
		for (size_t i = 0; i < pr->nunprovable; i++) {
			if (i)
				label(out, "");
			put(out, lang == DD_LANG_JA ? pr->unprovable_ja[i] : pr->unprovable[i]);
			fputc('\n', out);
		}
	}
	if (rp->file) {
		fprintf(out, "          ");
		put(out, rp->file);
		fprintf(out, ":%u:\n         - ", rp->line);
		put(out, rp->old_zone_line);
		fputs("\n         + ", out);
		put(out, rp->zone_line);
		fputc('\n', out);
	} else {
		label(out, dd_text_get(&rui_text[R_PUBLISH], lang));
		put(out, rp->zone_line);
		fputc('\n', out);
	}
	if (rp->alternative) {
		char *aa[4] = { (char *)domain, NULL, NULL, NULL };
		label(out, dd_text_get(&rui_text[R_ALTERNATIVE], lang));
		put(out, rp->alternative);
		fputc('\n', out);
		label(out, "");
		put_own(out, dd_text_format(&rui_text[R_ALT_NOTE], lang, aa, 1));
		fputc('\n', out);
	}
}
