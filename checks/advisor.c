/*
 * advisor.c: the next DMARC step for a domain - missing -> none ->
 * quarantine -> reject - what must be fixed first, the steps in words, and
 * the exact record to publish (advisor_record.c). Pure: the judged result
 * (posture, extracted records, findings) in, the advice out.
 *
 * The path follows RFC 9989 §5.1 (Domain Owner Actions): p=none with
 * aggregate reports first, then quarantine, then reject once the reports
 * show every legitimate sender passing aligned SPF or DKIM. RFC 9989 has no
 * pct, so there are no percentage ramps; its t=y is offered as an optional
 * soft step (RFC 7489 receivers ignore it). A domain that sends no mail
 * (dd_result_is_non_sending) goes straight to reject: nothing legitimate can
 * fail, which is also what Japanese regulators asked card companies to do
 * for every domain they own. Subdomains: np=reject for names that do not
 * exist, and a word about sp. A domain whose record is inherited from its
 * Organizational Domain is advised about that record, where it lives.
 *
 * Advice never fails a CI gate on its own; findings do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor_int.h"
#include "dmarc_int.h"
#include "dd/evidence.h"
#include "dd/util.h"

/* A table reads best one entry at a time, as written. */
/* clang-format off */
static const struct dd_text step_blockers = {
	"Fix these first, or legitimate mail will be lost when the policy tightens: {1}.",
	"先に次の指摘を修正してください。このままポリシーを強めると正規のメールが失われます: {1}。",
};
static const struct dd_text step_blockers_record = {
	"Fix these first: as published, receivers ignore the DMARC record: {1}.",
	"先に次の指摘を修正してください。現在の公開内容では、受信側は DMARC レコードを無視します: {1}。",
};
static const struct dd_text step_multiple = {
	"Leave exactly one DMARC record at {1}: while there are several, receivers ignore them all.",
	"{1} の DMARC レコードを 1 つだけにしてください。複数ある間、受信側はすべてを無視します。",
};
static const struct dd_text step_parked = {
	"{1} sends no mail (no MX or a null MX, v=spf1 -all, no DKIM key), so it can go straight to p=reject: nothing legitimate can fail. Keep v=spf1 -all. Japanese regulators asked card companies to do this for every domain they own that sends no mail.",
	"{1} はメールを送らないドメインです (MX なしまたは null MX、v=spf1 -all、DKIM 鍵なし)。正規のメールが失敗することはないため、すぐに p=reject にできます。v=spf1 -all はそのまま維持してください。国内の当局もクレジットカード会社に対し、メールを送らないすべての保有ドメインでこの設定を求めています。",
};
static const struct dd_text step_inherited = {
	"{1} has no DMARC record of its own: the policy comes from the record at {2}. The new record changes it there, for every domain it covers; to give {1} a policy of its own, publish a record at _dmarc.{1} instead.",
	"{1} には独自の DMARC レコードがなく、{2} のレコードのポリシーが適用されています。新しいレコードはそこで変更するもので、そのレコードが対象とするすべてのドメインに影響します。{1} だけに別のポリシーを設けるには、代わりに _dmarc.{1} にレコードを公開してください。",
};
static const struct dd_text step_start = {
	"Publish the new record at {1}. p=none changes no delivery; read the aggregate reports for a few weeks to find every service that sends as {2}.",
	"新しいレコードを {1} に公開してください。p=none は配送に影響しません。数週間、集計レポートを確認し、{2} として送信しているすべてのサービスを把握してください。",
};
static const struct dd_text step_fix_record = {
	"Replace the record at {1} with the new record: as published it sets no usable policy, so receivers apply no DMARC to {2}.",
	"{1} のレコードを新しいレコードに置き換えてください。現在のレコードは有効なポリシーを設定していないため、受信側は {2} に DMARC を適用しません。",
};
static const struct dd_text step_quarantine = {
	"When the aggregate reports have shown every legitimate sender passing SPF or DKIM aligned with {1} for a few weeks, replace the record at {2} with the new record: mail that fails DMARC then goes to the spam folder.",
	"正規の送信元がすべて {1} とアラインした SPF または DKIM に合格していることを数週間の集計レポートで確認したら、{2} のレコードを新しいレコードに置き換えてください。DMARC に失敗したメールは迷惑メールフォルダに入るようになります。",
};
static const struct dd_text step_reject = {
	"When a few weeks at quarantine show no legitimate mail failing, replace the record at {2} with the new record: mail that fails DMARC for {1} is then refused. RFC 9989 advises domains whose users post to mailing lists to stay at quarantine.",
	"quarantine で数週間、正規のメールが失敗していないことを確認したら、{2} のレコードを新しいレコードに置き換えてください。{1} の DMARC に失敗したメールは拒否されるようになります。利用者がメーリングリストに投稿するドメインは quarantine に留めるよう RFC 9989 は勧めています。",
};
static const struct dd_text step_reject_now = {
	"Publish the new record at {2} now.",
	"新しいレコードを今すぐ {2} に公開してください。",
};
static const struct dd_text step_remove_t = {
	"The record is in test mode (t=y): RFC 9989 receivers apply {3} instead of p={4}, RFC 7489 receivers already apply p={4}. When the reports show no legitimate mail failing, publish the new record at {2}, without t=y.",
	"このレコードは試験モード (t=y) です。RFC 9989 の受信側は p={4} の代わりに {3} を適用し、RFC 7489 の受信側はすでに p={4} を適用しています。正規のメールが失敗していないことをレポートで確認したら、t=y を除いた新しいレコードを {2} に公開してください。",
};
static const struct dd_text step_soft = {
	"Optionally, publish it first with t=y added: RFC 9989 receivers then apply one level less while you watch the reports; receivers that still follow RFC 7489 ignore t and apply the policy as written. (RFC 9989 has no pct: there are no percentage ramps.)",
	"必要なら、まず t=y を付けて公開してください。RFC 9989 の受信側はレポートを確認する間ポリシーを一段弱めて適用します。RFC 7489 に従う受信側は t を無視し、記載どおりのポリシーを適用します (RFC 9989 に pct はなく、割合による段階的な移行はありません)。",
};
static const struct dd_text step_sp_covered = {
	"Without sp, the new policy also covers existing subdomains of {1}: check in the reports that mail from them passes. If no subdomain of {1} sends mail, you can add sp=reject now.",
	"sp がないため、新しいポリシーは {1} の既存のサブドメインにも適用されます。サブドメインからのメールが合格していることをレポートで確認してください。メールを送るサブドメインがなければ、今すぐ sp=reject を追加できます。",
};
static const struct dd_text step_sp_weak = {
	"sp={2} leaves existing subdomains of {1} at {2}: raise it once the reports show their mail passing, or set sp=reject if no subdomain of {1} sends mail.",
	"sp={2} のため {1} の既存のサブドメインは {2} のままです。サブドメインのメールが合格していることをレポートで確認したら引き上げてください。メールを送るサブドメインがなければ sp=reject にしてください。",
};
static const struct dd_text step_ghost = {
	"{1} does not exist (NXDOMAIN), so no legitimate mail can use it: set np=reject in the record at {2} (the new record), which covers every subdomain that does not exist.",
	"{1} は存在しない (NXDOMAIN) ため、これを使う正規のメールはあり得ません。{2} のレコードで np=reject にしてください (新しいレコード)。存在しないすべてのサブドメインが対象になります。",
};
static const struct dd_text step_rfc7489 = {
	"Receivers that still follow RFC 7489 find another policy for {1} ({2}): publish a record at _dmarc.{1} itself so that every receiver applies the same one.",
	"RFC 7489 に従う受信側は {1} に別のポリシー ({2}) を適用します。すべての受信側が同じポリシーを使うよう、_dmarc.{1} にも直接レコードを公開してください。",
};
static const struct dd_text step_rfc7489_none = {
	"Receivers that still follow RFC 7489 apply no DMARC policy to {1}: publish a record at _dmarc.{1} itself so that every receiver applies one.",
	"RFC 7489 に従う受信側は {1} に DMARC ポリシーを適用しません。すべての受信側が適用するよう、_dmarc.{1} にも直接レコードを公開してください。",
};
static const struct dd_text step_done = {
	"{1} is at p=reject, the strongest DMARC policy: keep reading the reports and watch for new senders.",
	"{1} は最も強い DMARC ポリシー p=reject です。レポートの確認を続け、新しい送信元に注意してください。",
};
static const struct dd_text step_tidy = {
	"The policy is already reject; the new record only tidies it up (see the notes).",
	"ポリシーはすでに reject です。新しいレコードは整理のためのものです (注記を参照)。",
};
static const struct dd_text step_subdomain = {
	"If you also own {2}, publish a DMARC record there as well: it then covers {1} and every other subdomain.",
	"{2} も保有しているなら、そこにも DMARC レコードを公開してください。{1} を含むすべてのサブドメインが対象になります。",
};
static const struct dd_text step_rua_elsewhere = {
	"{1} receives no mail, so aggregate reports need an address at a domain that does; if it belongs to someone else, that domain must publish TXT \"v=DMARC1\" at {1}._report._dmarc.<its domain>.",
	"{1} はメールを受け取らないため、集計レポートには受信できるドメインのアドレスが必要です。他者のドメインであれば、そのドメインで {1}._report._dmarc.<そのドメイン> に TXT \"v=DMARC1\" を公開してもらう必要があります。",
};
static const struct dd_text step_maybe_parked = {
	"If {1} sends no mail at all, publish v=spf1 -all and go straight to p=reject instead.",
	"{1} がメールを一切送らないなら、代わりに v=spf1 -all を公開し、すぐに p=reject にしてください。",
};
/* clang-format on */

/* SPF permerror causes: SPF fails for every message, so DMARC can only pass by DKIM. */
static const char *const blockers_enforce[] = {
	"spf.lookup-limit",       "spf.void-limit",      "spf.syntax",
	"spf.multiple",           "spf.include-missing", "spf.loop",
	"dkim.none-found",        "dkim.weak-key",       "dmarc.no-rua",
	"dmarc.rua-unauthorized",
};
/* A record that receivers ignore blocks every stage. */
static const char *const blockers_always[] = { "dmarc.multiple", "dmarc.syntax" };

struct plan {
	const struct dd_result *r;
	struct dd_dmarc_record *rec; /* the record that applies, parsed; NULL when none */
	bool non_sending;
	bool inherited;
	bool own_copy;           /* a non-sending subdomain gets a record of its own instead */
	bool ghost;              /* the domain does not exist (NXDOMAIN): only np applies */
	bool testing;            /* t=y on quarantine or reject */
	enum dd_stage published; /* the stage the record asks for */
	enum dd_stage target;
	enum dd_dmarc_tag_id lever;
	const char *record_domain; /* where the record is (or will be) published */
};

static enum dd_stage stage_of(enum dd_policy p)
{
	switch (p) {
	case DD_POLICY_NONE: return DD_STAGE_NONE;
	case DD_POLICY_QUARANTINE: return DD_STAGE_QUARANTINE;
	case DD_POLICY_REJECT: return DD_STAGE_REJECT;
	case DD_POLICY_UNSET:
	case DD_POLICY_INVALID: break;
	}
	return DD_STAGE_MISSING; /* a record that sets no usable policy: no DMARC applies */
}

static enum dd_policy policy_of(enum dd_stage s)
{
	switch (s) {
	case DD_STAGE_QUARANTINE: return DD_POLICY_QUARANTINE;
	case DD_STAGE_REJECT: return DD_POLICY_REJECT;
	default: return DD_POLICY_NONE;
	}
}

static bool has_blocking(const struct dd_findings *fs, const char *id)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].def->id, id) == 0 &&
		    (strcmp(id, "dmarc.syntax") != 0 || fs->v[i].severity == DD_SEV_ERROR))
			return true;
	return false;
}

static void add_blocker(struct dd_advice *a, const char *id)
{
	a->blockers = xrealloc(a->blockers, (a->nblockers + 1) * sizeof(char *));
	a->blockers[a->nblockers++] = xstrdup(id);
}

static void find_blockers(const struct plan *pl, struct dd_advice *a)
{
	const struct dd_findings *fs = &pl->r->findings;
	for (size_t i = 0; i < DD_ARRAY_LEN(blockers_always); i++)
		if (has_blocking(fs, blockers_always[i]))
			add_blocker(a, blockers_always[i]);
	/* p=none changes no delivery; a domain that sends no mail has nothing to lose */
	if (pl->target <= DD_STAGE_NONE || pl->non_sending)
		return;
	for (size_t i = 0; i < DD_ARRAY_LEN(blockers_enforce); i++)
		if (has_blocking(fs, blockers_enforce[i]))
			add_blocker(a, blockers_enforce[i]);
}

/* The reports' evidence (checks/evidence/): ready or not, and each sender
 * that blocks is a blocker (its finding carries the fix for that service). */
static void evidence_readiness(const struct plan *pl, struct dd_advice *a)
{
	const struct dd_evidence *e = pl->r->evidence;
	if (!e)
		return;
	a->ready = dd_evidence_readiness(e, pl->r->domain, a->current, pl->target, &a->ready_why);
	for (size_t i = 0; i < e->nsenders; i++)
		if (e->senders[i].blocks && pl->target >= DD_STAGE_QUARANTINE) {
			add_blocker(a, "reports.sender-not-aligned");
			break;
		}
}

static char *joined_blockers(const struct dd_advice *a)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	for (size_t i = 0; i < a->nblockers; i++) {
		if (i)
			dd_strbuf_adds(&b, ", ");
		dd_strbuf_adds(&b, a->blockers[i]);
	}
	return dd_strbuf_own(&b);
}

/* The domain receives mail at itself (an MX that is not null). */
static bool receives_mail(const struct dd_result *r)
{
	return r->mx.state == DD_STATE_FOUND && !r->mx.null_mx;
}

/* Whether the record carries np where it counts: at an Organizational Domain. */
static bool org_level(const struct plan *pl)
{
	const char *org = pl->r->dmarc.org_domain;
	if (pl->rec && pl->rec->psd == 'y')
		return false; /* a Public Suffix Operator's record: not ours to change */
	return org && strcmp(org, pl->record_domain) == 0;
}

static void main_step(const struct plan *pl, struct dd_advice *a, const char *name)
{
	const char *domain = pl->r->domain;
	if (pl->ghost) {
		dd_advice_add_step(a, &step_ghost, domain, name, NULL);
		return;
	}
	if (pl->non_sending) {
		dd_advice_add_step(a, &step_reject_now, domain, name, NULL);
		return;
	}
	if (pl->testing && pl->target == pl->published) {
		const char *applied = pl->published == DD_STAGE_REJECT ? "quarantine" : "none";
		dd_advice_add_step(a, &step_remove_t, domain, name, applied,
		                   dd_stage_name(pl->published), NULL);
		return;
	}
	switch (pl->target) {
	case DD_STAGE_NONE:
		if (pl->rec)
			dd_advice_add_step(a, &step_fix_record, name, domain, NULL);
		else
			dd_advice_add_step(a, &step_start, name, domain, NULL);
		break;
	case DD_STAGE_QUARANTINE:
		dd_advice_add_step(a, &step_quarantine, domain, name, NULL);
		break;
	case DD_STAGE_REJECT: dd_advice_add_step(a, &step_reject, domain, name, NULL); break;
	default: break;
	}
	if (pl->target >= DD_STAGE_QUARANTINE)
		dd_advice_add_step(a, &step_soft, NULL);
}

/* sp: the word about existing subdomains when the policy tightens. */
static void subdomain_steps(const struct plan *pl, struct dd_advice *a, bool moving)
{
	if (pl->lever != DD_DMARC_TAG_P || pl->own_copy || !org_level(pl))
		return;
	const char *dom = pl->record_domain;
	enum dd_policy sp = pl->rec ? pl->rec->sp : DD_POLICY_UNSET;
	if (moving && !dd_policy_valid(sp) && pl->target >= DD_STAGE_QUARANTINE && !pl->non_sending)
		dd_advice_add_step(a, &step_sp_covered, dom, NULL);
	if (dd_policy_valid(sp) && sp != DD_POLICY_REJECT && pl->target == DD_STAGE_REJECT)
		dd_advice_add_step(a, &step_sp_weak, dom, dd_policy_name(sp), NULL);
}

static const char *default_rua(const struct plan *pl, char *buf, size_t bufsz)
{
	if (pl->non_sending)
		return NULL; /* a parked domain cannot receive its own reports */
	if (!pl->inherited && !receives_mail(pl->r))
		return NULL;
	snprintf(buf, bufsz, "dmarc-reports@%s", pl->record_domain);
	return buf;
}

static void plan_read(const struct dd_result *r, struct plan *pl)
{
	const struct dd_dmarc_info *d = &r->dmarc;
	memset(pl, 0, sizeof(*pl));
	pl->r = r;
	pl->non_sending = dd_result_is_non_sending(r);
	pl->record_domain = r->domain;
	if (d->state == DD_STATE_FOUND && d->record) {
		pl->rec = xmalloc(sizeof(*pl->rec));
		dd_dmarc_parse(d->record, d->record_len, pl->rec);
		pl->inherited = d->inherited;
		if (pl->inherited && d->found_at)
			pl->record_domain = d->found_at + 7; /* past "_dmarc." */
		pl->lever = pl->inherited ? dmarc_policy_tag(pl->rec, false, d->exists)
		                          : DD_DMARC_TAG_P;
		pl->published = stage_of(d->policy);
	}
	pl->ghost = pl->inherited && !d->exists && pl->lever == DD_DMARC_TAG_NP;
	/* raising the parent's p for a subdomain that sends nothing would touch
	 * the parent's own mail: give the subdomain a record of its own */
	if (pl->inherited && pl->non_sending && pl->published < DD_STAGE_REJECT) {
		pl->own_copy = true;
		pl->record_domain = r->domain;
		pl->lever = DD_DMARC_TAG_P;
	}
	pl->testing = pl->rec && pl->rec->t == 'y' && pl->published >= DD_STAGE_QUARANTINE;
}

/* RFC 7489 receivers (Public Suffix List) apply something weaker than the advice assumes. */
static void rfc7489_step(const struct plan *pl, struct dd_advice *a)
{
	const struct dd_dmarc_info *d = &pl->r->dmarc;
	if (!d->rfc7489_known || d->state != DD_STATE_FOUND || pl->own_copy)
		return;
	enum dd_stage theirs = stage_of(d->rfc7489_policy);
	if (theirs >= a->current)
		return;
	if (theirs == DD_STAGE_MISSING)
		dd_advice_add_step(a, &step_rfc7489_none, pl->r->domain, NULL);
	else
		dd_advice_add_step(a, &step_rfc7489, pl->r->domain, dd_stage_name(theirs), NULL);
}

static void advise_at_reject(const struct plan *pl, struct dd_advice *a)
{
	dd_advice_add_step(a, &step_done, pl->r->domain, NULL);
	rfc7489_step(pl, a);
	subdomain_steps(pl, a, false);
	struct advisor_change c = {
		.lever = pl->lever,
		.policy = DD_POLICY_REJECT,
		.add_np = org_level(pl),
		.np_domain = pl->record_domain,
	};
	size_t before = a->nsteps;
	char *record = advisor_record(pl->rec, &c, a);
	if (a->nsteps > before) { /* something to add or leave out: offer the tidied record */
		a->record = record;
		dd_advice_add_step(a, &step_tidy, NULL);
	} else {
		free(record);
	}
}

void dd_advise(const struct dd_result *r, struct dd_advice *a)
{
	memset(a, 0, sizeof(*a));
	const struct dd_dmarc_info *d = &r->dmarc;
	if (d->state == DD_STATE_UNDETERMINED || d->state == DD_STATE_UNKNOWN)
		return;
	struct plan pl;
	plan_read(r, &pl);
	a->present = true;
	a->current = pl.testing ? (enum dd_stage)(pl.published - 1) : pl.published;
	a->record_name = xasprintf("_dmarc.%s", pl.record_domain);

	if (a->current == DD_STAGE_REJECT) {
		pl.target = DD_STAGE_REJECT;
		advise_at_reject(&pl, a);
		goto out;
	}
	if (pl.non_sending || pl.ghost)
		pl.target = DD_STAGE_REJECT;
	else if (pl.testing)
		pl.target = pl.published;
	else
		pl.target = (enum dd_stage)(a->current + 1);
	a->has_next = true;
	a->next = pl.target;

	find_blockers(&pl, a);
	evidence_readiness(&pl, a);
	if (a->nblockers) {
		char *list = joined_blockers(a);
		dd_advice_add_step(
		        a, pl.target == DD_STAGE_NONE ? &step_blockers_record : &step_blockers,
		        list, NULL);
		free(list);
	}
	if (dd_findings_has(&r->findings, "dmarc.multiple") && !pl.inherited)
		dd_advice_add_step(a, &step_multiple, a->record_name, NULL);
	if (pl.non_sending)
		dd_advice_add_step(a, &step_parked, r->domain, NULL);
	if (pl.inherited && !pl.own_copy)
		dd_advice_add_step(a, &step_inherited, r->domain, d->found_at, NULL);
	main_step(&pl, a, a->record_name);
	rfc7489_step(&pl, a);
	subdomain_steps(&pl, a, true);

	char rua[DD_NAME_MAX + 32];
	struct advisor_change c = {
		.lever = pl.lever,
		.policy = policy_of(pl.target),
		.add_np = !pl.own_copy && (org_level(&pl) || !pl.rec),
		.np_domain = pl.record_domain,
		.default_rua = default_rua(&pl, rua, sizeof(rua)),
		.subdomain_copy = pl.own_copy,
	};
	a->record = advisor_record(pl.rec, &c, a);
	if (!c.default_rua && !pl.non_sending && (!pl.rec || !pl.rec->has_rua))
		dd_advice_add_step(a, &step_rua_elsewhere, r->domain, NULL);
	if (!pl.rec && d->psl_org_domain && strcmp(d->psl_org_domain, r->domain) != 0)
		dd_advice_add_step(a, &step_subdomain, r->domain, d->psl_org_domain, NULL);
	if (!pl.non_sending && !receives_mail(r) && r->dkim.n == 0 && !pl.inherited)
		dd_advice_add_step(a, &step_maybe_parked, r->domain, NULL);
out:
	free(pl.rec);
}
