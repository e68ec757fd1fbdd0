/*
 * readiness.c: whether the reports show that the next DMARC step is safe
 * (RFC 9989 §5.1; M3AAWG's DMARC deployment guidance: watch the reports,
 * fix every legitimate sender, then tighten).
 *
 * Ready means: enough data (DD_EVIDENCE_MIN_* in dd/evidence.h), no
 * fixable sender above the blocking share, and what still fails is
 * unauthenticated (what the policy exists to stop) or forwarded (which
 * the policy cannot fix, and ARC or local policy often spares). For
 * reject also: quarantine applied, not softened by t=y, for
 * DD_EVIDENCE_QUARANTINE_DAYS of the reports, and in those reports on
 * their own no fixable sender above the blocking share.
 *
 * Ignores: which receivers honour t=y (RFC 7489 receivers do not), and
 * the reporters' own disposition, which local policy overrides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_int.h"
#include "dd/util.h"

/* clang-format off */
static const struct dd_text why_none = {
	"The reports are not needed to start: p=none changes no delivery.",
	"開始にレポートは不要です。p=none は配送に影響しません。",
};
static const struct dd_text why_insufficient = {
	"Not enough report data to judge p={2} yet: {3}; wait for more reports.",
	"p={2} を判断するにはレポートがまだ足りません: {3}。レポートが揃うまでお待ちください。",
};
static const struct dd_text why_blocked = {
	"Not ready for p={2}: {3} of the mail would fail DMARC; first fix {4}.",
	"p={2} の準備はまだです。メールのうち {3} が DMARC に失敗します。先に次を修正してください: {4}。",
};
static const struct dd_text why_quarantine_short = {
	"Not ready for p=reject yet: the reports show quarantine applied on {3} days of the window, fewer than {4}; stay at quarantine and watch the reports.",
	"p=reject の準備はまだです。期間中に quarantine が適用された日はレポート上 {3} 日で、{4} 日に足りません。quarantine のままレポートを確認してください。",
};
static const struct dd_text why_quarantine_blocked = {
	"Not ready for p=reject: in the reports of the quarantine period {3} of the mail is from senders that are not aligned; first fix {4}.",
	"p=reject の準備はまだです。quarantine 期間のレポートでは、メールのうち {3} がアラインしていない送信者からのものです。先に次を修正してください: {4}。",
};
static const struct dd_text why_ready = {
	"Ready for p={2}: {3} of the messages pass DMARC aligned; what fails ({4}) is unauthenticated or forwarded mail, which the policy is meant to stop or cannot fix.",
	"p={2} に進めます。メールのうち {3} がアラインした DMARC に合格しています。失敗しているもの ({4}) は認証のないメールか転送されたメールで、ポリシーが止めるべきもの、または修正できないものです。",
};
/* clang-format on */

static void set_why(struct dd_step *why, const struct dd_text *t, const char *a1, const char *a2,
                    const char *a3, const char *a4)
{
	const char *args[DD_FINDING_MAXARGS] = { a1, a2, a3, a4 };
	for (size_t i = 0; i < DD_FINDING_MAXARGS; i++) {
		free(why->args[i]);
		why->args[i] = args[i] ? xstrdup(args[i]) : NULL;
	}
	why->text = t;
}

/* "12.3% (1 240 of 10 000 messages)": a share that reads the same in both languages. */
static void share(char *out, size_t outsz, uint64_t part, uint64_t whole)
{
	double pct = whole ? 100.0 * (double)part / (double)whole : 0.0;
	snprintf(out, outsz, "%.1f%% (%llu/%llu)", pct, (unsigned long long)part,
	         (unsigned long long)whole);
}

/* The quarantine period: a sender whose fixable mail is above the blocking
 * share of that period's mail (blocks_reject), though not of the whole
 * window. Names the busiest one in `b`, the share of such mail in `a3`. */
static bool quarantine_blocker(const struct dd_evidence *e, struct dd_strbuf *b, char *a3,
                               size_t a3sz)
{
	const struct dd_evidence_sender *top = NULL;
	uint64_t fixable = 0;
	size_t n = 0;
	for (size_t i = 0; i < e->nsenders; i++) {
		const struct dd_evidence_sender *s = &e->senders[i];
		if (!s->blocks_reject)
			continue;
		n++;
		fixable += s->quarantine_fixable;
		if (!top || s->quarantine_fixable > top->quarantine_fixable)
			top = s;
	}
	if (!top)
		return false;
	dd_strbuf_addf(b, "%s%s%s (%llu, %s)", top->name, top->subdomain ? " @" : "",
	               top->subdomain ? top->subdomain : "",
	               (unsigned long long)top->quarantine_fixable,
	               top->fix_detail ? top->fix_detail : "not aligned");
	if (n > 1)
		dd_strbuf_addf(b, "; +%zu", n - 1);
	share(a3, a3sz, fixable, e->quarantine_messages);
	return true;
}

enum dd_ready dd_evidence_readiness(const struct dd_evidence *e, const char *domain,
                                    enum dd_stage current, enum dd_stage target,
                                    struct dd_step *why)
{
	char a3[160];
	const char *tname = dd_stage_name(target);
	if (!e)
		return DD_READY_UNKNOWN;
	if (target <= DD_STAGE_NONE) {
		set_why(why, &why_none, domain, tname, NULL, NULL);
		return DD_READY_YES;
	}
	if (target > DD_STAGE_REJECT)
		return DD_READY_UNKNOWN;
	if (!e->enough) {
		snprintf(a3, sizeof(a3), "%u/%d days, %zu/%d reporters, %llu/%d messages", e->days,
		         DD_EVIDENCE_MIN_DAYS, e->reporters, DD_EVIDENCE_MIN_REPORTERS,
		         (unsigned long long)e->messages, DD_EVIDENCE_MIN_MESSAGES);
		set_why(why, &why_insufficient, domain, tname, a3, NULL);
		return DD_READY_NO;
	}
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	/* the two blocking senders with the most fixable mail, named */
	size_t nblock = 0;
	const struct dd_evidence_sender *top[2] = { NULL, NULL };
	for (size_t i = 0; i < e->nsenders; i++) {
		const struct dd_evidence_sender *s = &e->senders[i];
		if (!s->blocks)
			continue;
		nblock++;
		uint64_t n = s->by_class[DD_CLASS_FIXABLE];
		if (!top[0] || n > top[0]->by_class[DD_CLASS_FIXABLE]) {
			top[1] = top[0];
			top[0] = s;
		} else if (!top[1] || n > top[1]->by_class[DD_CLASS_FIXABLE]) {
			top[1] = s;
		}
	}
	for (size_t i = 0; i < 2 && top[i]; i++) {
		const struct dd_evidence_sender *s = top[i];
		dd_strbuf_addf(&b, "%s%s%s%s (%llu, %s)", i ? "; " : "", s->name,
		               s->subdomain ? " @" : "", s->subdomain ? s->subdomain : "",
		               (unsigned long long)s->by_class[DD_CLASS_FIXABLE],
		               s->fix_detail ? s->fix_detail : "not aligned");
	}
	if (nblock > 2)
		dd_strbuf_addf(&b, "; +%zu", nblock - 2);
	enum dd_ready ready = DD_READY_YES;
	share(a3, sizeof(a3), e->messages - e->dmarc_pass, e->messages);
	if (nblock) {
		set_why(why, &why_blocked, domain, tname, a3, b.s);
		ready = DD_READY_NO;
	} else if (target == DD_STAGE_REJECT && current == DD_STAGE_QUARANTINE &&
	           e->quarantine_days < DD_EVIDENCE_QUARANTINE_DAYS) {
		char q[16], need[16];
		snprintf(q, sizeof(q), "%u", e->quarantine_days);
		snprintf(need, sizeof(need), "%d", DD_EVIDENCE_QUARANTINE_DAYS);
		set_why(why, &why_quarantine_short, domain, tname, q, need);
		ready = DD_READY_NO;
	} else if (target == DD_STAGE_REJECT && current == DD_STAGE_QUARANTINE &&
	           quarantine_blocker(e, &b, a3, sizeof(a3))) {
		set_why(why, &why_quarantine_blocked, domain, tname, a3, b.s);
		ready = DD_READY_NO;
	} else {
		char pass[160];
		share(pass, sizeof(pass), e->dmarc_pass, e->messages);
		set_why(why, &why_ready, domain, tname, pass, a3);
	}
	dd_strbuf_finish(&b);
	return ready;
}
