/*
 * advisor_record.c: the complete DMARC record the advisor asks the owner to
 * publish next. It keeps what the domain already publishes - rua and ruf
 * above all, then fo, adkim, aspf, sp, np, psd - changes the one policy tag
 * that moves, and leaves out what RFC 9989 removed or receivers ignore,
 * with a step saying why for each thing left out. Pure: text in, text out.
 *
 * The result is always a valid record for dd_dmarc_parse() (the tests parse
 * it back): invalid values are dropped instead of copied.
 */
#include <string.h>

#include "advisor_int.h"
#include "dd/util.h"

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct dd_text step_drop_pct = {
	"{1} is left out: RFC 9989 removed pct. RFC 9989 receivers apply the policy to all failing mail whatever pct says, RFC 7489 receivers to that percentage only; use t=y for a soft step instead.",
	"{1} は含めていません。pct は RFC 9989 で廃止されました。RFC 9989 の受信側は pct に関係なく失敗したメールすべてにポリシーを適用し、RFC 7489 の受信側はその割合にだけ適用します。段階的に進めるには t=y を使ってください。",
};
static const struct dd_text step_drop_removed = {
	"{1} is left out: RFC 9989 removed it and receivers ignore it.",
	"{1} は含めていません。RFC 9989 で廃止され、受信側は無視します。",
};
static const struct dd_text step_drop_unknown = {
	"{1} is left out: DMARC defines no such tag, so receivers ignore it (a typo?).",
	"{1} は含めていません。DMARC にこのタグはなく、受信側は無視します (入力ミスではありませんか)。",
};
static const struct dd_text step_drop_invalid = {
	"{1} is left out: not a valid value, so receivers ignore it or the whole record.",
	"{1} は含めていません。有効な値ではないため、受信側はこれを、またはレコード全体を無視します。",
};
static const struct dd_text step_drop_duplicate = {
	"{1} is left out: the tag is given twice, and a tag given twice makes the record invalid for some receivers (others take the first or the last value); the new record keeps only its first occurrence.",
	"{1} は含めていません。同じタグが 2 回あり、タグの重複はレコードを無効とする受信側があります (最初または最後の値を使う受信側もあります)。新しいレコードには最初のものだけを残しています。",
};
static const struct dd_text step_drop_scheme = {
	"{1} is left out: receivers only have to send reports by mailto:, and ignore other schemes.",
	"{1} は含めていません。受信側が対応を求められているのは mailto: によるレポート送信だけで、ほかの方式は無視されます。",
};
static const struct dd_text step_drop_size = {
	"The !size limits are left out of the report addresses: RFC 9989 removed them.",
	"レポート送付先の !size 制限は含めていません。RFC 9989 で廃止されました。",
};
static const struct dd_text step_drop_unread = {
	"The old record holds more than dmarc-doctor reads (64 tags, 16 report URIs): the new record has only what was read. Copy what you need of the rest (report addresses?) into it by hand.",
	"元のレコードには dmarc-doctor が読む上限 (タグ 64 個、レポート送付先 URI 16 個) を超える内容があります。新しいレコードには読み取れた分しか含まれていないため、残りから必要なもの (レポート送付先など) を手作業で追加してください。",
};
static const struct dd_text step_add_np = {
	"np=reject: RFC 9989 receivers refuse mail from subdomains of {1} that do not exist, which can never be legitimate; RFC 7489 receivers ignore np and use sp or p.",
	"np=reject にしています。RFC 9989 の受信側は、{1} の存在しないサブドメインからのメール (正規のものはあり得ません) を拒否します。RFC 7489 の受信側は np を無視し、sp または p を使います。",
};
static const struct dd_text step_add_rua = {
	"rua=mailto:{1} is added so that receivers send aggregate reports: create that mailbox (or use a DMARC report service) before you publish; without reports you cannot see who sends as the domain.",
	"受信側が集計レポートを送るよう rua=mailto:{1} を追加しています。公開する前にこのメールボックスを用意してください (DMARC レポートサービスでも構いません)。レポートがなければ、誰がこのドメインを名乗って送信しているか分かりません。",
};
/* clang-format on */

struct dropped {
	struct dd_strbuf removed, unknown, invalid, scheme, duplicate;
	bool pct_seen;
	bool size_seen;
};

static void add_name(struct dd_strbuf *b, const char *s, size_t len)
{
	if (b->len)
		dd_strbuf_adds(b, ", ");
	dd_strbuf_add(b, s, len);
}

static void add_tag(struct dd_strbuf *b, const struct dd_dmarc_tag *t)
{
	if (b->len)
		dd_strbuf_adds(b, ", ");
	dd_strbuf_add(b, t->name, t->name_len);
	dd_strbuf_addc(b, '=');
	dd_strbuf_add(b, t->value, t->value_len);
}

static void add_policy(struct dd_strbuf *out, const char *tag, enum dd_policy p)
{
	if (dd_policy_valid(p))
		dd_strbuf_addf(out, "; %s=%s", tag, dd_policy_name(p));
}

static void add_flag(struct dd_strbuf *out, const char *tag, char v)
{
	if (v)
		dd_strbuf_addf(out, "; %s=%c", tag, v);
}

/* The valid mailto URIs of one list, without !size suffixes; false when there is none. */
static bool add_uris(struct dd_strbuf *out, const struct dd_dmarc_record *old, bool ruf)
{
	bool any = false;
	for (size_t i = 0; old && i < old->nuris; i++) {
		const struct dd_dmarc_uri *u = &old->uris[i];
		if (u->ruf != ruf || !u->valid || !u->mailto)
			continue;
		dd_strbuf_adds(out, any ? "," : ruf ? "; ruf=" : "; rua=");
		dd_strbuf_add(out, u->text, u->uri_len);
		any = true;
	}
	return any;
}

/* Note every tag the new record does not carry over, for the steps. */
static void note_dropped(const struct dd_dmarc_record *old, struct dropped *d)
{
	for (size_t i = 1; i < old->ntags; i++) {
		const struct dd_dmarc_tag *t = &old->tags[i];
		if (t->duplicate) {
			add_tag(&d->duplicate, t);
			continue;
		}
		switch (t->id) {
		case DD_DMARC_TAG_PCT: d->pct_seen = true; break;
		case DD_DMARC_TAG_RF:
		case DD_DMARC_TAG_RI: add_tag(&d->removed, t); break;
		case DD_DMARC_TAG_UNKNOWN: add_name(&d->unknown, t->name, t->name_len); break;
		case DD_DMARC_TAG_P:
			if (!dd_policy_valid(old->p))
				add_tag(&d->invalid, t);
			break;
		case DD_DMARC_TAG_SP:
			if (!dd_policy_valid(old->sp))
				add_tag(&d->invalid, t);
			break;
		case DD_DMARC_TAG_NP:
			if (!dd_policy_valid(old->np))
				add_tag(&d->invalid, t);
			break;
		case DD_DMARC_TAG_ADKIM:
			if (!old->adkim)
				add_tag(&d->invalid, t);
			break;
		case DD_DMARC_TAG_ASPF:
			if (!old->aspf)
				add_tag(&d->invalid, t);
			break;
		case DD_DMARC_TAG_PSD:
			if (!old->psd)
				add_tag(&d->invalid, t);
			break;
		case DD_DMARC_TAG_FO:
			if (!old->fo_valid)
				add_tag(&d->invalid, t);
			break;
		case DD_DMARC_TAG_T:
			if (!old->t)
				add_tag(&d->invalid, t);
			break;
		case DD_DMARC_TAG_V:
		case DD_DMARC_TAG_RUA:
		case DD_DMARC_TAG_RUF: break;
		}
	}
	for (size_t i = 0; i < old->nuris; i++) {
		const struct dd_dmarc_uri *u = &old->uris[i];
		if (!u->valid)
			add_name(&d->invalid, u->text, u->len);
		else if (!u->mailto)
			add_name(&d->scheme, u->text, u->len);
		else if (u->size_limit)
			d->size_seen = true;
	}
}

static void steps_for_dropped(struct dd_advice *a, const struct dd_dmarc_record *old,
                              struct dropped *d)
{
	if (d->pct_seen) {
		const struct dd_dmarc_tag *t = dd_dmarc_get(old, DD_DMARC_TAG_PCT);
		struct dd_strbuf b;
		dd_strbuf_init(&b);
		add_tag(&b, t);
		dd_advice_add_step(a, &step_drop_pct, b.s, NULL);
		dd_strbuf_finish(&b);
	}
	if (d->removed.len)
		dd_advice_add_step(a, &step_drop_removed, d->removed.s, NULL);
	if (d->unknown.len)
		dd_advice_add_step(a, &step_drop_unknown, d->unknown.s, NULL);
	if (d->invalid.len)
		dd_advice_add_step(a, &step_drop_invalid, d->invalid.s, NULL);
	if (d->duplicate.len)
		dd_advice_add_step(a, &step_drop_duplicate, d->duplicate.s, NULL);
	if (d->scheme.len)
		dd_advice_add_step(a, &step_drop_scheme, d->scheme.s, NULL);
	if (d->size_seen)
		dd_advice_add_step(a, &step_drop_size, NULL);
	if (old->tags_truncated || old->uris_truncated)
		dd_advice_add_step(a, &step_drop_unread, NULL);
}

char *advisor_record(const struct dd_dmarc_record *old, const struct advisor_change *c,
                     struct dd_advice *a)
{
	struct dd_strbuf out;
	dd_strbuf_init(&out);
	enum dd_policy p = old ? old->p : DD_POLICY_UNSET;
	enum dd_policy sp = old && !c->subdomain_copy ? old->sp : DD_POLICY_UNSET;
	enum dd_policy np = old && !c->subdomain_copy ? old->np : DD_POLICY_UNSET;
	switch (c->lever) {
	case DD_DMARC_TAG_SP: sp = c->policy; break;
	case DD_DMARC_TAG_NP: np = c->policy; break;
	default: p = c->policy; break;
	}
	if (!dd_policy_valid(p)) /* an inherited record whose p was broken */
		p = DD_POLICY_NONE;
	/* np falls back to sp, then p (RFC 9989 §4.7): set it only where that is weaker */
	enum dd_policy for_nx = dd_policy_valid(np) ? np : dd_policy_valid(sp) ? sp : p;
	bool np_added = c->add_np && c->lever != DD_DMARC_TAG_NP && for_nx != DD_POLICY_REJECT;
	if (np_added)
		np = DD_POLICY_REJECT;

	dd_strbuf_adds(&out, "v=DMARC1");
	add_policy(&out, "p", p);
	add_policy(&out, "sp", sp);
	add_policy(&out, "np", np);
	if (old) {
		if (!c->subdomain_copy)
			add_flag(&out, "psd", old->psd);
		add_flag(&out, "adkim", old->adkim);
		add_flag(&out, "aspf", old->aspf);
		const struct dd_dmarc_tag *fo = dd_dmarc_get(old, DD_DMARC_TAG_FO);
		if (fo && old->fo_valid) {
			dd_strbuf_adds(&out, "; fo=");
			dd_strbuf_add(&out, fo->value, fo->value_len);
		}
	}
	bool rua = add_uris(&out, old, false);
	bool rua_added = !rua && c->default_rua;
	if (rua_added)
		dd_strbuf_addf(&out, "; rua=mailto:%s", c->default_rua);
	add_uris(&out, old, true);

	if (np_added && c->np_domain)
		dd_advice_add_step(a, &step_add_np, c->np_domain, NULL);
	if (rua_added)
		dd_advice_add_step(a, &step_add_rua, c->default_rua, NULL);
	if (old) {
		struct dropped d;
		memset(&d, 0, sizeof(d));
		dd_strbuf_init(&d.removed);
		dd_strbuf_init(&d.unknown);
		dd_strbuf_init(&d.invalid);
		dd_strbuf_init(&d.scheme);
		dd_strbuf_init(&d.duplicate);
		note_dropped(old, &d);
		steps_for_dropped(a, old, &d);
		dd_strbuf_finish(&d.removed);
		dd_strbuf_finish(&d.unknown);
		dd_strbuf_finish(&d.invalid);
		dd_strbuf_finish(&d.scheme);
		dd_strbuf_finish(&d.duplicate);
	}
	return dd_strbuf_own(&out);
}
