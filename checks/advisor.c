/*
 * advisor.c: the next DMARC step, none -> quarantine -> reject, and the
 * exact record to publish for it. Pure: reads the judged result only.
 *
 * The record keeps every tag the domain already publishes (its rua and ruf
 * above all) and changes only p. Advice never fails a CI gate on its own;
 * findings do.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/check.h"
#include "dd/parse.h"
#include "dd/util.h"

static const struct dd_text step_start = {
	"Publish a DMARC record with p=none at {1} and read the aggregate reports sent to {2} for "
	"a few weeks.",
	"{1} に p=none の DMARC レコードを公開し、{2} に届く集計レポートを数週間確認してください。",
};
static const struct dd_text step_fix_blockers = {
	"Fix the errors listed below first: moving on now would block legitimate mail.",
	"先に下記のエラーを修正してください。このまま進めると正規のメールが届かなくなります。",
};
static const struct dd_text step_publish = {
	"Replace the record at {1} with the one below (p={2}).",
	"{1} のレコードを下記 (p={2}) に置き換えてください。",
};
static const struct dd_text step_done = {
	"The domain is at p=reject, the strongest DMARC policy; keep the reports coming and watch "
	"for new senders.",
	"p=reject (最も強い DMARC ポリシー) "
	"です。レポートの受信を続け、新しい送信元に注意してください。",
};

static enum dd_stage stage_of(const struct dd_dmarc_info *d)
{
	switch (d->state) {
	case DD_STATE_MISSING: return DD_STAGE_MISSING;
	case DD_STATE_FOUND: break;
	case DD_STATE_UNDETERMINED:
	case DD_STATE_UNKNOWN: return DD_STAGE_UNKNOWN;
	}
	switch (d->policy) {
	case DD_POLICY_NONE: return DD_STAGE_NONE;
	case DD_POLICY_QUARANTINE: return DD_STAGE_QUARANTINE;
	case DD_POLICY_REJECT: return DD_STAGE_REJECT;
	case DD_POLICY_UNSET:
	case DD_POLICY_INVALID: break;
	}
	/* a record that sets no usable policy is treated as none by nobody: no DMARC applies */
	return DD_STAGE_MISSING;
}

/* The existing record with p replaced; every other tag kept in its order. */
static char *rewrite_record(const char *record, const char *policy)
{
	struct dd_taglist tl;
	struct dd_strbuf b;
	dd_taglist_parse(record, strlen(record), &tl);
	dd_strbuf_init(&b);
	dd_strbuf_addf(&b, "v=DMARC1; p=%s", policy);
	for (size_t i = 0; i < tl.n; i++) {
		const struct dd_tag *t = &tl.tags[i];
		if ((t->name_len == 1 && (t->name[0] == 'v' || t->name[0] == 'p')))
			continue;
		dd_strbuf_adds(&b, "; ");
		dd_strbuf_add(&b, t->name, t->name_len);
		dd_strbuf_addc(&b, '=');
		dd_strbuf_add(&b, t->value, t->value_len);
	}
	return dd_strbuf_own(&b);
}

static void add_blockers(const struct dd_result *r, struct dd_advice *a)
{
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct dd_finding *f = &r->findings.v[i];
		if (f->severity != DD_SEV_ERROR || strncmp(f->def->id, "dns.", 4) == 0)
			continue;
		bool seen = false;
		for (size_t j = 0; j < a->nblockers; j++)
			seen |= strcmp(a->blockers[j], f->def->id) == 0;
		if (seen)
			continue;
		a->blockers = xrealloc(a->blockers, (a->nblockers + 1) * sizeof(char *));
		a->blockers[a->nblockers++] = xstrdup(f->def->id);
	}
}

void dd_advise(const struct dd_result *r, struct dd_advice *a)
{
	memset(a, 0, sizeof(*a));
	enum dd_stage cur = stage_of(&r->dmarc);
	if (cur == DD_STAGE_UNKNOWN)
		return;
	a->present = true;
	a->current = cur;
	a->record_name = xasprintf("_dmarc.%s", r->domain);
	if (cur == DD_STAGE_REJECT) {
		dd_advice_add_step(a, &step_done, NULL);
		return;
	}
	a->has_next = true;
	a->next = (enum dd_stage)(cur + 1);
	if (cur != DD_STAGE_MISSING)
		add_blockers(r, a);
	if (a->nblockers)
		dd_advice_add_step(a, &step_fix_blockers, NULL);
	if (cur == DD_STAGE_MISSING) {
		char *rua = xasprintf("dmarc-reports@%s", r->domain);
		a->record = xasprintf("v=DMARC1; p=none; rua=mailto:%s", rua);
		dd_advice_add_step(a, &step_start, a->record_name, rua, NULL);
		free(rua);
		return;
	}
	a->record = rewrite_record(r->dmarc.record, dd_stage_name(a->next));
	dd_advice_add_step(a, &step_publish, a->record_name, dd_stage_name(a->next), NULL);
}
