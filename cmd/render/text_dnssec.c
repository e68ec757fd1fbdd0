/*
 * text_dnssec.c: the DNSSEC and DANE lines of the text report, one each,
 * under the MX line. Names and reasons come from DNS: they pass the escaper.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/text_dnssec.h"
#include "dd/util.h"

static const struct dd_text state_text[] = {
	[DD_DNSSEC_UNKNOWN] = { "not checked", "未確認" },
	[DD_DNSSEC_SIGNED] = { "signed", "署名あり" },
	[DD_DNSSEC_UNSIGNED] = { "not signed", "署名なし" },
	[DD_DNSSEC_BOGUS] = { "BOGUS (does not validate)", "不正 (検証できません)" },
	[DD_DNSSEC_UNDETERMINED] = { "undetermined", "判定できません" },
};
static const struct dd_text records_signed = { "signed", "署名あり" };
static const struct dd_text records_unsigned = { "not signed", "署名なし" };
static const struct dd_text records_bogus = { "BOGUS", "不正" };
static const struct dd_text dane_no_hosts = { "no MX hosts", "MX ホストがありません" };
static const struct dd_text dane_none = { "no TLSA records at the MX hosts",
	                                  "MX ホストに TLSA レコードがありません" };
static const struct dd_text dane_unknown = { "not checked", "未確認" };
static const struct dd_text dane_usable = { "usable", "利用可" };
static const struct dd_text dane_unusable = { "not usable", "利用不可" };
static const struct dd_text dane_no_tlsa = { "no TLSA", "TLSA なし" };

static void put_safe(FILE *out, const char *s)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_text(&b, s, strlen(s));
	if (b.len)
		fwrite(b.s, 1, b.len, out);
	dd_strbuf_finish(&b);
}

static void records(FILE *out, const struct dd_dnssec_info *d, enum dd_lang lang,
                    enum dd_dnssec_state want, const struct dd_text *label)
{
	bool first = true;
	for (size_t i = 0; i < d->nrecords; i++) {
		if (d->records[i].state != want)
			continue;
		const char *w = d->records[i].what;
		fputs(first ? "; " : ", ", out);
		fputs(strcmp(w, "spf") == 0     ? "SPF"
		      : strcmp(w, "dmarc") == 0 ? "DMARC"
		                                : "MX",
		      out);
		first = false;
	}
	if (!first)
		fprintf(out, " %s", dd_text_get(label, lang));
}

void dd_text_dnssec_lines(FILE *out, const struct dd_result *res, enum dd_lang lang)
{
	const struct dd_dnssec_info *d = &res->dnssec;
	fprintf(out, "  %-7s %s", "DNSSEC", dd_text_get(&state_text[d->state], lang));
	const struct dd_dnssec_link *own = NULL;
	for (size_t i = 0; i < d->nchain; i++)
		if (d->chain[i].state == DD_DNSSEC_SIGNED)
			own = &d->chain[i];
	if (d->state == DD_DNSSEC_SIGNED && own && own->nalgorithms) {
		fputs(" (", out);
		for (size_t i = 0; i < own->nalgorithms; i++) {
			const char *n = dd_dnskey_alg_name(own->algorithms[i]);
			fprintf(out, i ? ", %s" : "%s", n ? n : "?");
		}
		fputc(')', out);
	}
	if (d->nchain) {
		fputs(": ", out);
		for (size_t i = 0; i < d->nchain; i++) {
			if (i)
				fputs(" > ", out);
			put_safe(out, d->chain[i].zone);
		}
	}
	if (d->state != DD_DNSSEC_UNKNOWN) {
		records(out, d, lang, DD_DNSSEC_SIGNED, &records_signed);
		records(out, d, lang, DD_DNSSEC_UNSIGNED, &records_unsigned);
		records(out, d, lang, DD_DNSSEC_BOGUS, &records_bogus);
	}
	/* an unsigned domain's chain says where; the finding says what it means */
	if (d->reason.en && d->state != DD_DNSSEC_SIGNED && d->state != DD_DNSSEC_UNSIGNED) {
		fputs(" - ", out);
		put_safe(out, dd_words_get(&d->reason, lang));
	}
	fputc('\n', out);

	const struct dd_dane_info *a = &res->dane;
	fprintf(out, "  %-7s ", "DANE");
	if (a->state == DD_STATE_UNKNOWN) {
		fprintf(out, "%s\n", dd_text_get(&dane_unknown, lang));
		return;
	}
	if (a->state != DD_STATE_FOUND) {
		fprintf(out, "%s\n", dd_text_get(a->nhosts ? &dane_none : &dane_no_hosts, lang));
		return;
	}
	for (size_t i = 0; i < a->nhosts; i++) {
		const struct dd_dane_host *h = &a->hosts[i];
		if (i)
			fputs("; ", out);
		put_safe(out, h->host);
		if (h->state != DD_STATE_FOUND) {
			fprintf(out, ": %s", dd_text_get(&dane_no_tlsa, lang));
			continue;
		}
		fprintf(out, ": %zu TLSA (", h->ntlsa);
		for (size_t j = 0; j < h->ntlsa; j++) {
			const struct dd_dane_tlsa *t = &h->tlsa[j];
			if (j)
				fputs(", ", out);
			if (t->parsed)
				fprintf(out, "%u %u %u", t->usage, t->selector, t->mtype);
			else
				fputs("?", out);
		}
		fprintf(out, "), %s, %s", dd_text_get(&state_text[h->dnssec], lang),
		        dd_text_get(h->usable ? &dane_usable : &dane_unusable, lang));
	}
	fputc('\n', out);
}
