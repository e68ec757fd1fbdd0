/*
 * test_evidence.c: the report evidence (checks/evidence/) over report sets
 * built here with known truth, run through the real gather engine, checks
 * and advisor over a fixture resolver - the PTR answers and the DKIM keys
 * at report selectors come from the fixture too. Each scenario says what
 * the advice must be: ready or not, which sender blocks, with what fix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "render/evidence.h"
#include "render/json.h"
#include "dd/evidence.h"
#include "dd/render.h"
#include "dd/report.h"
#include "dd/util.h"

#define DAY 86400
/* 2026-12-01T00:00:00Z: the tests' "now"; the window is the 30 days before it. */
#define NOW ((int64_t)1796083200)

static const char *const DOMAIN = "example.co.jp";

/* ------------------------------------------------------------- reports */

struct row_spec {
	const char *ip;
	uint64_t n;
	const char *from;   /* header_from; NULL: the domain */
	const char *dkim_d; /* NULL: no signature */
	const char *selector;
	const char *dkim_res;
	const char *spf_d; /* MAIL FROM domain */
	const char *spf_res;
	const char *reason; /* override reason, or NULL */
	const char *
	        evals; /* reporter's dkim/spf verdicts "pass/fail"; NULL: computed as receivers do */
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* A receiver's verdict with relaxed alignment by suffix (enough for these names). */
static bool relaxed(const char *auth, const char *from)
{
	return auth && (dd_name_is_under(auth, DOMAIN) && dd_name_is_under(from, DOMAIN));
}

static void add_row(struct dd_report *r, const struct row_spec *s)
{
	struct dd_report_row *row = dd_report_add_row(r);
	snprintf(row->source_ip, sizeof(row->source_ip), "%s", s->ip);
	row->count = s->n;
	row->header_from = xstrdup(s->from ? s->from : DOMAIN);
	if (s->dkim_d) {
		struct dd_report_dkim *d = dd_report_row_add_dkim(row);
		d->domain = xstrdup(s->dkim_d);
		d->selector = dup_or_null(s->selector);
		d->result = xstrdup(s->dkim_res ? s->dkim_res : "pass");
	}
	if (s->spf_d) {
		struct dd_report_spf *p = dd_report_row_add_spf(row);
		p->domain = xstrdup(s->spf_d);
		p->scope = xstrdup("mfrom");
		p->result = xstrdup(s->spf_res ? s->spf_res : "pass");
		row->envelope_from = xstrdup(s->spf_d);
	}
	if (s->reason) {
		struct dd_report_reason *rs = dd_report_row_add_reason(row);
		rs->type = xstrdup(s->reason);
	}
	bool dk, sp;
	if (s->evals) {
		dk = strncmp(s->evals, "pass", 4) == 0;
		sp = strstr(s->evals, "/pass") != NULL;
	} else {
		dk = s->dkim_d && (!s->dkim_res || strcmp(s->dkim_res, "pass") == 0) &&
		     relaxed(s->dkim_d, row->header_from);
		sp = s->spf_d && (!s->spf_res || strcmp(s->spf_res, "pass") == 0) &&
		     relaxed(s->spf_d, row->header_from);
	}
	row->dkim_eval = xstrdup(dk ? "pass" : "fail");
	row->spf_eval = xstrdup(sp ? "pass" : "fail");
	row->disposition = xstrdup(dk || sp ? "none" : strcmp(r->p, "none") ? r->p : "none");
}

static struct dd_report *report(const char *org, int64_t begin, int64_t end, const char *p,
                                const char *testing)
{
	static unsigned serial;
	struct dd_report *r = dd_report_create();
	r->org_name = xstrdup(org);
	r->report_id = xasprintf("%s-%u", org, ++serial);
	r->begin = begin;
	r->end = end;
	r->domain = xstrdup(DOMAIN);
	r->p = xstrdup(p);
	r->testing = dup_or_null(testing);
	return r;
}

/*
 * Weekly reports from each of `nreporters` reporters covering `weeks`
 * weeks up to NOW, each holding the rows (counts split evenly).
 */
static struct dd_report_set *weekly(int weeks, int nreporters, const char *p, const char *t,
                                    const struct row_spec *rows, size_t nrows)
{
	static const char *const orgs[] = { "google.com", "Yahoo", "Outlook.com", "docomo" };
	struct dd_report_set *set = xcalloc(1, sizeof(*set));
	for (int w = 0; w < weeks; w++)
		for (int k = 0; k < nreporters; k++) {
			int64_t end = NOW - (int64_t)w * 7 * DAY;
			struct dd_report *r = report(orgs[k % 4], end - 7 * DAY, end, p, t);
			for (size_t i = 0; i < nrows; i++) {
				struct row_spec s = rows[i];
				s.n = rows[i].n / (uint64_t)(weeks * nreporters);
				if (s.n == 0)
					s.n = 1;
				add_row(r, &s);
			}
			dd_report_set_add_own(set, r);
		}
	return set;
}

/* ------------------------------------------------------------- the run */

static char *fixture(const char *dmarc, const char *extra)
{
	char *key = NULL;
	char *text = dd_test_read("dkim/key-pool.txt", NULL);
	for (char *line = strtok(text, "\n"); line && !key; line = strtok(NULL, "\n"))
		if (strncmp(line, "rsa2048 ", 8) == 0)
			key = xstrdup(line + 8);
	free(text);
	assert_non_null(key);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_addf(&b,
	               "example.co.jp MX 10 mx.example.co.jp.\n"
	               "mx.example.co.jp A 192.0.2.1\n"
	               "example.co.jp TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
	               "_dmarc.example.co.jp TXT \"%s\"\n"
	               "google._domainkey.example.co.jp TXT",
	               dmarc);
	char *rec = xasprintf("v=DKIM1; k=rsa; p=%s", key);
	dd_test_add_txt_strings(&b, rec);
	free(rec);
	dd_strbuf_addf(&b, "\n%s", extra ? extra : "");
	char *f = dd_strbuf_own(&b);
	free(key);
	return f;
}

static struct dd_result *run_with(struct dd_test_run *run, const char *dmarc, const char *extra,
                                  struct dd_report_set *set)
{
	run->opts.reports_from = NOW - 30 * DAY;
	run->opts.reports_to = NOW;
	run->reports = set;
	char *f = fixture(dmarc, extra);
	struct dd_result *r = dd_test_check(run, f, DOMAIN);
	free(f);
	return r;
}

static const struct dd_evidence_sender *sender(const struct dd_result *r, const char *name)
{
	assert_non_null(r->evidence);
	for (size_t i = 0; i < r->evidence->nsenders; i++)
		if (strcmp(r->evidence->senders[i].name, name) == 0)
			return &r->evidence->senders[i];
	fail_msg("no sender %s", name);
	return NULL;
}

static bool has_blocker(const struct dd_advice *a, const char *id)
{
	for (size_t i = 0; i < a->nblockers; i++)
		if (strcmp(a->blockers[i], id) == 0)
			return true;
	return false;
}

static char *render(const char *format, const struct dd_result *r, enum dd_lang lang)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct dd_render rd = { .impl = dd_renderer_find(format), .out = out };
	rd.opts.lang = lang;
	if (rd.impl->begin)
		rd.impl->begin(&rd);
	rd.impl->result(&rd, r);
	fclose(out);
	return buf;
}

#define P_NONE "v=DMARC1; p=none; rua=mailto:d@example.co.jp"

/* Google Workspace signing d=example.co.jp (selector google), and SPF for the domain's own servers. */
#define GOOGLE_OK                                                                                  \
	{                                                                                          \
		"209.85.220.41", 8000, NULL, "example.co.jp", "google", "pass", "example.co.jp",   \
		        "softfail", NULL, NULL                                                     \
	}
#define OWN_OK                                                                                     \
	{                                                                                          \
		"192.0.2.10", 1200, NULL, NULL, NULL, NULL, "example.co.jp", "pass", NULL, NULL    \
	}
#define SENDGRID_BAD                                                                               \
	{                                                                                          \
		"167.89.1.20", 1240, NULL, "sendgrid.net", "s1", "pass", "em123.sendgrid.net",     \
		        "pass", NULL, NULL                                                         \
	}
#define SPOOF                                                                                      \
	{                                                                                          \
		"203.0.113.66", 300, NULL, NULL, NULL, NULL, "spoofer.example", "fail", NULL, NULL \
	}

/* ----------------------------------------------------------- scenarios */

static void test_all_aligned_is_ready(void **state)
{
	(void)state;
	struct row_spec rows[] = { GOOGLE_OK, OWN_OK };
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, P_NONE, NULL, weekly(4, 2, "none", NULL, rows, 2));
	assert_non_null(r->evidence);
	assert_int_equal(r->evidence->reporters, 2);
	assert_int_equal(r->evidence->reports, 8);
	assert_true(r->evidence->days >= 28);
	assert_int_equal(r->evidence->messages, r->evidence->dmarc_pass);
	assert_int_equal(r->advice.next, DD_STAGE_QUARANTINE);
	assert_int_equal(r->advice.ready, DD_READY_YES);
	assert_false(has_blocker(&r->advice, "reports.sender-not-aligned"));
	assert_null(dd_test_finding(r, "reports.sender-not-aligned"));
	assert_null(dd_test_finding(r, "reports.insufficient"));
	const struct dd_evidence_sender *g = sender(r, "Google Workspace");
	assert_int_equal(g->cls, DD_CLASS_ALIGNED);
	assert_string_equal(g->identified_by, "selector"); /* google at d=example.co.jp */
	assert_int_equal(g->dkim_aligned, g->messages);
	/* the domain's own servers: no service, no other domain: its /24 */
	const struct dd_evidence_sender *own = sender(r, "192.0.2.0/24");
	assert_int_equal(own->spf_aligned, own->messages);
	/* longest first */
	assert_string_equal(r->evidence->senders[0].name, "Google Workspace");
	/* the advice's step says "now", not "when the reports have shown" */
	bool now = false;
	for (size_t i = 0; i < r->advice.nsteps; i++) {
		char *st = dd_step_format(&r->advice.steps[i], DD_LANG_EN);
		now |= strstr(st, "replace the record at _dmarc.example.co.jp with the new record "
		                  "now") != NULL;
		free(st);
	}
	assert_true(now);
	/* the selector in the reports is listed */
	assert_string_equal(r->evidence->selectors.v[0], "google");
	dd_test_run_finish(&run);
}

static void test_esp_misaligned_blocks_with_its_fix(void **state)
{
	(void)state;
	struct row_spec rows[] = { GOOGLE_OK, SENDGRID_BAD, SPOOF };
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, P_NONE, NULL, weekly(4, 2, "none", NULL, rows, 3));
	assert_int_equal(r->advice.ready, DD_READY_NO);
	assert_true(has_blocker(&r->advice, "reports.sender-not-aligned"));
	const struct dd_evidence_sender *sg = sender(r, "SendGrid");
	assert_int_equal(sg->cls, DD_CLASS_FIXABLE);
	assert_true(sg->blocks);
	assert_string_equal(sg->fix_detail, "DKIM d=sendgrid.net");
	assert_string_equal(sg->identified_by, "dkim");
	assert_int_equal(sg->dmarc_pass, 0);
	assert_int_equal(sg->would_fail, sg->messages);
	const struct dd_finding *f = dd_test_finding(r, "reports.sender-not-aligned");
	assert_non_null(f);
	assert_int_equal(f->severity, DD_SEV_WARNING);
	char *msg = dd_finding_message(f, DD_LANG_EN), *fix = dd_finding_fix(f, DD_LANG_EN);
	assert_non_null(strstr(msg, "SendGrid"));
	assert_non_null(strstr(msg, "d=sendgrid.net"));
	assert_non_null(strstr(fix, "Domain Authentication"));
	assert_non_null(strstr(fix, "example.co.jp"));
	free(msg);
	free(fix);
	/* the reason names the blocking sender */
	char *why = dd_step_format(&r->advice.ready_why, DD_LANG_EN);
	assert_non_null(strstr(why, "SendGrid"));
	free(why);
	char *ja = dd_step_format(&r->advice.ready_why, DD_LANG_JA);
	assert_non_null(strstr(ja, "SendGrid"));
	assert_non_null(strstr(ja, "準備"));
	free(ja);
	/* text: the verdict's next lines say not ready and who blocks; then the sender table */
	char *text = render("text", r, DD_LANG_EN);
	if (getenv("DD_SHOW"))
		fputs(text, stderr);
	char *line2 = strchr(text, '\n');
	assert_non_null(line2);
	char *ready = strstr(text, "NOT READY");
	assert_non_null(ready);
	assert_true(ready < strstr(text, "publish")); /* above the record to publish */
	assert_non_null(strstr(ready, "SendGrid"));
	char *table = strstr(text, "Senders in the reports");
	assert_non_null(table);
	char *g = strstr(table, "Google Workspace"), *s = strstr(table, "SendGrid");
	assert_true(g && s && g < s); /* longest first */
	assert_non_null(strstr(s, "fix: Authenticate example.co.jp in SendGrid"));
	free(text);
	/* JSON */
	char *json = render("json", r, DD_LANG_EN);
	cJSON *doc = cJSON_Parse(json);
	assert_non_null(doc);
	cJSON *o = cJSON_IsArray(doc) ? cJSON_GetArrayItem(doc, 0) : doc;
	cJSON *adv = cJSON_GetObjectItem(o, "advice");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(adv, "ready")));
	cJSON *ev = cJSON_GetObjectItem(o, "evidence");
	assert_true(cJSON_IsObject(ev));
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "window"), "days")->valueint,
	                 30);
	assert_int_equal(cJSON_GetObjectItem(ev, "reporters")->valueint, 2);
	cJSON *senders = cJSON_GetObjectItem(ev, "senders");
	bool found = false;
	cJSON *it;
	cJSON_ArrayForEach(it, senders)
	{
		if (strcmp(cJSON_GetObjectItem(it, "name")->valuestring, "SendGrid") != 0)
			continue;
		found = true;
		assert_string_equal(cJSON_GetObjectItem(it, "class")->valuestring, "fixable");
		assert_string_equal(
		        cJSON_GetArrayItem(cJSON_GetObjectItem(it, "dkim_domains"), 0)->valuestring,
		        "sendgrid.net");
		assert_string_equal(
		        cJSON_GetArrayItem(cJSON_GetObjectItem(it, "sources"), 0)->valuestring,
		        "167.89.1.20");
		assert_non_null(strstr(cJSON_GetObjectItem(it, "fix")->valuestring, "SendGrid"));
	}
	assert_true(found);
	cJSON_Delete(doc);
	free(json);
	/* CSV headline */
	char *csv = render("csv", r, DD_LANG_EN);
	assert_non_null(
	        strstr(csv, ",ready,report_messages,report_dmarc_pass_share,top_blocker\n"));
	assert_non_null(strstr(csv, ",false,"));
	assert_non_null(strstr(csv, "SendGrid ("));
	free(csv);
	dd_test_run_finish(&run);
}

static void test_spoofing_only_is_ready_and_reported(void **state)
{
	(void)state;
	struct row_spec rows[] = { GOOGLE_OK, SPOOF };
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, P_NONE, NULL, weekly(4, 2, "none", NULL, rows, 2));
	assert_int_equal(r->advice.ready, DD_READY_YES);
	const struct dd_evidence_sender *s = sender(r, "203.0.113.0/24");
	assert_int_equal(s->cls, DD_CLASS_UNAUTHENTICATED);
	assert_string_equal(s->basis, "neither SPF nor DKIM passes for any domain");
	const struct dd_finding *f = dd_test_finding(r, "reports.unauthenticated");
	assert_non_null(f);
	assert_string_equal(f->args[1], "296"); /* 300 split over 8 reports: 37 each */
	assert_non_null(strstr(f->args[3], "203.0.113.0/24"));
	assert_int_equal(r->evidence->by_class[DD_CLASS_UNAUTHENTICATED], 296);
	char *why = dd_step_format(&r->advice.ready_why, DD_LANG_EN);
	assert_non_null(strstr(why, "Ready for p=quarantine"));
	free(why);
	dd_test_run_finish(&run);
}

static void test_mailing_list_is_forwarded_not_a_blocker(void **state)
{
	(void)state;
	struct row_spec rows[] = {
		GOOGLE_OK,
		/* Google Groups: own signature broken, the list signs and is the MAIL FROM */
		{ "209.85.220.69", 400, NULL, "googlegroups.com", "20230601", "pass",
		  "googlegroups.com", "pass", NULL, NULL },
		/* an unknown list server: the reporter says mailing_list */
		{ "198.51.100.25", 160, NULL, "example.co.jp", "google", "fail",
		  "lists.example.org", "pass", "mailing_list", NULL },
		/* forwarding with no word from the reporter: own d= broken, SPF of the forwarder */
		{ "198.51.100.99", 80, NULL, "example.co.jp", "google", "fail", "fwd.example.net",
		  "pass", NULL, NULL },
	};
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, P_NONE, NULL, weekly(4, 2, "none", NULL, rows, 4));
	assert_int_equal(r->advice.ready, DD_READY_YES);
	assert_false(has_blocker(&r->advice, "reports.sender-not-aligned"));
	const struct dd_evidence_sender *gg = sender(r, "Google Groups");
	assert_int_equal(gg->cls, DD_CLASS_FORWARDED);
	assert_string_equal(gg->basis, "a known mailing list or forwarder re-sends the mail");
	/* named by the domain they authenticate as */
	const struct dd_evidence_sender *list = sender(r, "example.org");
	assert_int_equal(list->cls, DD_CLASS_FORWARDED);
	assert_string_equal(list->basis, "the reporter says: mailing list");
	assert_int_equal(list->by_class[DD_CLASS_FORWARDED], list->messages);
	const struct dd_evidence_sender *fwd = sender(r, "example.net");
	assert_int_equal(fwd->cls, DD_CLASS_FORWARDED);
	assert_non_null(strstr(fwd->basis, "own DKIM signature broke in transit"));
	assert_non_null(dd_test_finding(r, "reports.forwarded"));
	assert_null(dd_test_finding(r, "reports.sender-not-aligned"));
	dd_test_run_finish(&run);
}

static void test_testing_mode_is_understood(void **state)
{
	(void)state;
	struct row_spec rows[] = { GOOGLE_OK, SPOOF };
	/* p=reject; t=y: receivers applied quarantine for the whole window: reject is next, ready */
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, "v=DMARC1; p=reject; t=y; rua=mailto:d@example.co.jp",
	                               NULL, weekly(4, 2, "reject", "y", rows, 2));
	assert_int_equal(r->advice.current, DD_STAGE_QUARANTINE);
	assert_int_equal(r->advice.next, DD_STAGE_REJECT);
	assert_true(r->evidence->seen_testing);
	assert_true(r->evidence->testing_days >= 28);
	assert_true(r->evidence->quarantine_days >= 28);
	assert_int_equal(r->advice.ready, DD_READY_YES);
	assert_null(dd_test_finding(r, "reports.policy-mismatch"));
	dd_test_run_finish(&run);

	/* p=quarantine; t=y applied none: nothing counts as a quarantine period */
	struct dd_test_run run2 = { 0 };
	r = run_with(&run2, "v=DMARC1; p=quarantine; t=y; rua=mailto:d@example.co.jp", NULL,
	             weekly(4, 2, "quarantine", "y", rows, 2));
	assert_int_equal(r->advice.current, DD_STAGE_NONE);
	assert_int_equal(r->evidence->quarantine_days, 0);
	assert_int_equal(r->advice.ready, DD_READY_YES); /* for quarantine itself */
	dd_test_run_finish(&run2);

	/* p=quarantine in force for one week only: not yet ready for reject */
	struct dd_report_set *set = weekly(4, 2, "none", NULL, rows, 2);
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i]->end == NOW) {
			free(set->v[i]->p);
			set->v[i]->p = xstrdup("quarantine");
		}
	struct dd_test_run run3 = { 0 };
	r = run_with(&run3, "v=DMARC1; p=quarantine; rua=mailto:d@example.co.jp", NULL, set);
	assert_int_equal(r->advice.next, DD_STAGE_REJECT);
	assert_int_equal(r->evidence->quarantine_days, 7);
	assert_int_equal(r->advice.ready, DD_READY_NO);
	char *why = dd_step_format(&r->advice.ready_why, DD_LANG_EN);
	assert_non_null(strstr(why, "quarantine applied on 7 days"));
	free(why);
	dd_test_run_finish(&run3);
}

static void test_reporters_disagreeing_with_dns(void **state)
{
	(void)state;
	struct row_spec rows[] = {
		GOOGLE_OK,
		/* a reporter that calls this pass although no aligned identifier passed */
		{ "192.0.2.77", 80, NULL, NULL, NULL, NULL, "bounce.other.example", "pass", NULL,
		  "fail/pass" },
	};
	struct dd_test_run run = { 0 };
	/* DNS now says quarantine; the reports saw none */
	struct dd_result *r = run_with(&run, "v=DMARC1; p=quarantine; rua=mailto:d@example.co.jp",
	                               NULL, weekly(4, 2, "none", NULL, rows, 2));
	const struct dd_finding *f = dd_test_finding(r, "reports.policy-mismatch");
	assert_non_null(f);
	assert_string_equal(f->args[1], "p=none");
	assert_string_equal(f->args[2], "p=quarantine");
	assert_string_equal(f->args[3], "2026-12-01");
	assert_int_equal(r->evidence->disagree, 80);
	const struct dd_evidence_sender *s = sender(r, "other.example");
	assert_int_equal(s->disagree, 80);
	assert_int_equal(s->reporter_pass, 80);
	assert_int_equal(s->dmarc_pass, 0);
	char *text = render("text", r, DD_LANG_EN);
	assert_non_null(strstr(text, "The reporters judged 80 messages otherwise"));
	free(text);
	dd_test_run_finish(&run);
}

static void test_subdomain_senders_apart(void **state)
{
	(void)state;
	struct row_spec rows[] = {
		GOOGLE_OK,
		{ "205.201.128.10", 900, "news.example.co.jp", "mcsv.net", "k1", "pass",
		  "mail123.mcsv.net", "pass", NULL, NULL },
		{ "205.201.128.11", 100, "news.example.co.jp", "news.example.co.jp", "k2", "pass",
		  "mail123.mcsv.net", "pass", NULL, NULL },
	};
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, P_NONE, NULL, weekly(4, 2, "none", NULL, rows, 3));
	const struct dd_evidence *e = r->evidence;
	assert_null(e->senders[0].subdomain); /* the domain's own first */
	const struct dd_evidence_sender *mc = &e->senders[e->nsenders - 1];
	assert_string_equal(mc->name, "Mailchimp");
	assert_string_equal(mc->subdomain, "news.example.co.jp");
	assert_int_equal(mc->cls, DD_CLASS_FIXABLE);
	assert_int_equal(mc->dmarc_pass, 96); /* its k2 mail signs as the subdomain */
	assert_int_equal(r->advice.ready, DD_READY_NO);
	const struct dd_finding *f = dd_test_finding(r, "reports.sender-not-aligned");
	assert_string_equal(f->args[0], "news.example.co.jp");
	char *fix = dd_finding_fix(f, DD_LANG_JA);
	assert_non_null(strstr(fix, "news.example.co.jp"));
	assert_non_null(strstr(fix, "Mailchimp"));
	free(fix);
	char *text = render("text", r, DD_LANG_EN);
	assert_non_null(strstr(text, "subdomain news.example.co.jp"));
	free(text);
	dd_test_run_finish(&run);
}

static void test_reports_outside_the_window_are_ignored(void **state)
{
	(void)state;
	struct row_spec rows[] = { GOOGLE_OK };
	struct dd_report_set *set = weekly(4, 2, "none", NULL, rows, 1);
	/* two months ago SendGrid was misaligned: it no longer counts */
	struct row_spec old = SENDGRID_BAD;
	struct dd_report *r0 = report("google.com", NOW - 60 * DAY, NOW - 59 * DAY, "none", NULL);
	add_row(r0, &old);
	dd_report_set_add_own(set, r0);
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, P_NONE, NULL, set);
	assert_int_equal(r->evidence->ignored, 1);
	assert_int_equal(r->evidence->reports, 8);
	assert_int_equal(r->advice.ready, DD_READY_YES);
	for (size_t i = 0; i < r->evidence->nsenders; i++)
		assert_string_not_equal(r->evidence->senders[i].name, "SendGrid");
	dd_test_run_finish(&run);
}

static void test_no_reports_leaves_todays_advice(void **state)
{
	(void)state;
	struct dd_test_run a = { 0 }, b = { 0 };
	struct dd_result *with = run_with(&a, P_NONE, NULL, NULL);
	char *f = fixture(P_NONE, NULL);
	struct dd_result *plain = dd_test_check(&b, f, DOMAIN);
	free(f);
	assert_null(with->evidence);
	assert_int_equal(with->advice.ready, DD_READY_UNKNOWN);
	assert_int_equal(with->advice.nsteps, plain->advice.nsteps);
	for (size_t i = 0; i < with->advice.nsteps; i++) {
		char *x = dd_step_format(&with->advice.steps[i], DD_LANG_EN);
		char *y = dd_step_format(&plain->advice.steps[i], DD_LANG_EN);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	assert_string_equal(with->advice.record, plain->advice.record);
	char *json = render("jsonl", with, DD_LANG_EN);
	assert_non_null(strstr(json, "\"ready\":null"));
	assert_non_null(strstr(json, "\"evidence\":null"));
	free(json);
	/* reports, but none for this domain: the same */
	struct row_spec other = { "192.0.2.10", 50,   "other.example", NULL,
		                  NULL,         NULL, "other.example", "pass",
		                  NULL,         NULL };
	struct dd_test_run c = { 0 };
	struct dd_result *r = run_with(&c, P_NONE, NULL, weekly(1, 1, "none", NULL, &other, 1));
	assert_null(r->evidence);
	assert_int_equal(r->advice.ready, DD_READY_UNKNOWN);
	dd_test_run_finish(&a);
	dd_test_run_finish(&b);
	dd_test_run_finish(&c);
}

static void test_too_little_data(void **state)
{
	(void)state;
	struct row_spec rows[] = { GOOGLE_OK };
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, P_NONE, NULL, weekly(1, 1, "none", NULL, rows, 1));
	assert_false(r->evidence->enough);
	assert_int_equal(r->advice.ready, DD_READY_NO);
	const struct dd_finding *f = dd_test_finding(r, "reports.insufficient");
	assert_non_null(f);
	assert_string_equal(f->args[1], "7");
	assert_string_equal(f->args[2], "1");
	dd_test_run_finish(&run);
}

static void test_reverse_dns_names_the_sender(void **state)
{
	(void)state;
	/* SPF passes for a bounce domain no table row knows; the PTR says SendGrid */
	struct row_spec rows[] = {
		GOOGLE_OK,
		{ "198.51.100.7", 800, NULL, NULL, NULL, NULL, "bounces.esp.example.net", "pass",
		  NULL, NULL },
	};
	const char *ptr = "7.100.51.198.in-addr.arpa PTR o7.ptr1234.sendgrid.net.\n";
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, P_NONE, ptr, weekly(4, 2, "none", NULL, rows, 2));
	const struct dd_evidence_sender *s = sender(r, "SendGrid");
	assert_string_equal(s->identified_by, "ptr");
	assert_int_equal(s->cls, DD_CLASS_FIXABLE);
	assert_string_equal(s->fix_detail, "SPF bounces.esp.example.net");
	/* the question was asked through the engine */
	assert_true(dd_posture_find(r->posture, "7.100.51.198.in-addr.arpa", DD_RR_PTR) >= 0);
	/* an address without PTR answers NXDOMAIN: no dns.temporary-failure, nothing undetermined */
	assert_null(dd_test_finding(r, "dns.temporary-failure"));
	assert_false(r->undetermined);
	dd_test_run_finish(&run);

	/* --offline: no PTR asked, the sender is the domain it authenticates as */
	struct dd_test_run off = { 0 };
	off.opts.offline = true;
	r = run_with(&off, P_NONE, ptr, weekly(4, 2, "none", NULL, rows, 2));
	assert_true(dd_posture_find(r->posture, "7.100.51.198.in-addr.arpa", DD_RR_PTR) < 0);
	s = sender(r, "example.net");
	assert_string_equal(s->identified_by, "domain");
	/* an unrelated domain that is no known service: not "fixable" but unauthenticated */
	assert_int_equal(s->cls, DD_CLASS_UNAUTHENTICATED);
	dd_test_run_finish(&off);
}

static void test_report_selectors_are_probed(void **state)
{
	(void)state;
	/* Amazon SES Easy DKIM: token selectors no list can guess */
	char *key = NULL;
	char *text = dd_test_read("dkim/key-pool.txt", NULL);
	for (char *line = strtok(text, "\n"); line && !key; line = strtok(NULL, "\n"))
		if (strncmp(line, "rsa2048 ", 8) == 0)
			key = xstrdup(line + 8);
	free(text);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_strbuf_adds(&b, "abcdef1234567890token._domainkey.example.co.jp CNAME "
	                   "abcdef1234567890token.dkim.amazonses.com.\n"
	                   "abcdef1234567890token.dkim.amazonses.com TXT");
	char *rec = xasprintf("p=%s", key);
	dd_test_add_txt_strings(&b, rec);
	dd_strbuf_addc(&b, '\n');
	free(rec);
	free(key);
	char *extra = dd_strbuf_own(&b);
	struct row_spec rows[] = {
		{ "54.240.8.1", 500, NULL, "example.co.jp", "abcdef1234567890token", "pass",
		  "eu-west-1.amazonses.com", "pass", NULL, NULL },
	};
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, P_NONE, extra, weekly(4, 2, "none", NULL, rows, 1));
	free(extra);
	bool found = false;
	for (size_t i = 0; i < r->dkim.n; i++)
		if (strcmp(r->dkim.v[i].selector, "abcdef1234567890token") == 0) {
			found = true;
			assert_int_equal(r->dkim.v[i].key_bits, 2048);
		}
	assert_true(found);
	/* aligned through DKIM: SES with Easy DKIM is set up */
	const struct dd_evidence_sender *s = sender(r, "Amazon SES");
	assert_int_equal(s->cls, DD_CLASS_ALIGNED);
	dd_test_run_finish(&run);
}

static void test_strict_alignment(void **state)
{
	(void)state;
	/* adkim=s and aspf=s: a subdomain's d= and MAIL FROM no longer align */
	struct row_spec rows[] = {
		{ "192.0.2.10", 1000, NULL, "mail.example.co.jp", "s2026", "pass",
		  "bounce.example.co.jp", "pass", NULL, NULL },
	};
	struct dd_report_set *set = weekly(4, 2, "none", NULL, rows, 1);
	for (size_t i = 0; i < set->n; i++) {
		set->v[i]->adkim = xstrdup("s");
		set->v[i]->aspf = xstrdup("s");
	}
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, P_NONE, NULL, set);
	assert_int_equal(r->evidence->dmarc_pass, 0);
	/* same Organizational Domain: fixable (sign with d= the domain, or relax adkim) */
	const struct dd_evidence_sender *s = sender(r, "example.co.jp");
	assert_int_equal(s->cls, DD_CLASS_FIXABLE);
	/* the reporters (computed with relaxed alignment here) disagree */
	assert_int_equal(r->evidence->disagree, r->evidence->messages);
	dd_test_run_finish(&run);

	/* relaxed (the default): they align */
	struct dd_test_run run2 = { 0 };
	r = run_with(&run2, P_NONE, NULL, weekly(4, 2, "none", NULL, rows, 1));
	assert_int_equal(r->evidence->dmarc_pass, r->evidence->messages);
	dd_test_run_finish(&run2);
}

static void test_helpers(void **state)
{
	(void)state;
	char name[DD_NAME_MAX + 1];
	assert_true(dd_ptr_name("192.0.2.7", name, sizeof(name)));
	assert_string_equal(name, "7.2.0.192.in-addr.arpa");
	assert_true(dd_ptr_name("2001:db8::1", name, sizeof(name)));
	assert_string_equal(name, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
	                          "ip6.arpa");
	assert_false(dd_ptr_name("not-an-ip", name, sizeof(name)));
	assert_true(dd_ptr_name("255.10.0.100", name, sizeof(name))); /* 1, 2 and 3 digits */
	assert_string_equal(name, "100.0.10.255.in-addr.arpa");
	char small[25]; /* one byte short of "100.0.10.255.in-addr.arpa" */
	assert_false(dd_ptr_name("255.10.0.100", small, sizeof(small)));
	char fits[26];
	assert_true(dd_ptr_name("255.10.0.100", fits, sizeof(fits)));
	assert_string_equal(dd_service_by_dkim("sendgrid.net")->name, "SendGrid");
	assert_string_equal(dd_service_by_dkim("example-com.20230601.gappssmtp.com")->name,
	                    "Google Workspace");
	assert_null(dd_service_by_dkim("notsendgrid.net"));
	assert_string_equal(dd_service_by_ptr("mail-sor-f41.google.com")->name, "Google Workspace");
	assert_string_equal(dd_service_by_spf("bounce.cuenote.jp")->name, "Cuenote");
	assert_null(dd_service_by_selector("default"));
	assert_null(dd_service_by_dkim(""));
	assert_null(dd_service_by_dkim(NULL));
	assert_null(dd_service_by_spf("net"));
	assert_string_equal(dd_service_by_spf("Bounce.CUENOTE.jp")->name, "Cuenote");
	/* every suffix of every row finds its row: itself, below it, in capitals */
	for (size_t i = 0; i < dd_mail_nservices; i++) {
		const struct dd_mail_service *svc = &dd_mail_services[i];
		const char *lists[] = { svc->dkim_domains, svc->spf_domains, svc->ptr_domains };
		const struct dd_mail_service *(*by[])(const char *) = { dd_service_by_dkim,
			                                                dd_service_by_spf,
			                                                dd_service_by_ptr };
		for (size_t l = 0; l < 3; l++) {
			char words[512];
			snprintf(words, sizeof(words), "%s", lists[l]);
			for (char *save, *w = strtok_r(words, " ", &save); w;
			     w = strtok_r(NULL, " ", &save)) {
				char below[600], upper[600];
				snprintf(below, sizeof(below), "a-1.b.%s", w);
				size_t k = 0;
				for (; w[k] && k < sizeof(upper) - 1; k++)
					upper[k] = (char)(w[k] >= 'a' && w[k] <= 'z' ? w[k] - 32
					                                             : w[k]);
				upper[k] = '\0';
				assert_ptr_equal(by[l](w), svc);
				assert_ptr_equal(by[l](below), svc);
				assert_ptr_equal(by[l](upper), svc);
			}
		}
	}
	/* the memo of recent lookups (services.c): the list is part of its key,
	 * a long name passes it by, and more names than its slots come back
	 * with the same answers on a second round */
	assert_string_equal(dd_service_by_dkim("x.gappssmtp.com")->name, "Google Workspace");
	assert_null(dd_service_by_spf("x.gappssmtp.com"));
	assert_string_equal(dd_service_by_dkim("x.gappssmtp.com")->name, "Google Workspace");
	const char *longname =
	        "a-very-long-label-that-fills-the-memo-name.b.c.d.e.f.g.sendgrid.net";
	assert_true(strlen(longname) >= 64);
	assert_string_equal(dd_service_by_dkim(longname)->name, "SendGrid");
	const struct dd_mail_service *first[3 * 12];
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < dd_mail_nservices && i < 12; i++) {
			char below[600];
			snprintf(below, sizeof(below), "m.%s", dd_mail_services[i].name);
			const char *asked[3] = { "bounce.cuenote.jp", below, "sendgrid.net" };
			for (size_t k = 0; k < 3; k++) {
				const struct dd_mail_service *got = dd_service_by_spf(asked[k]);
				if (round == 0)
					first[3 * i + k] = got;
				else
					assert_ptr_equal(got, first[3 * i + k]);
			}
		}
	assert_string_equal(first[0]->name, "Cuenote");
	/* every row cites a source and has both languages */
	for (size_t i = 0; i < dd_mail_nservices; i++) {
		assert_non_null(dd_mail_services[i].source);
		assert_true(strlen(dd_mail_services[i].source) > 10);
		assert_non_null(dd_mail_services[i].fix.ja);
	}
	/* the IPv6 prefix: a /48 */
	struct row_spec rows[] = {
		{ "2001:db8:abcd:12::1", 10, NULL, NULL, NULL, NULL, "x.invalid", "fail", NULL,
		  NULL },
	};
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, P_NONE, NULL, weekly(1, 1, "none", NULL, rows, 1));
	assert_string_equal(r->evidence->senders[0].name, "2001:db8:abcd::/48");
	dd_test_run_finish(&run);
}

/* a hostile report set: thousands of distinct sources stay bounded */
static void test_many_sources_are_bounded(void **state)
{
	(void)state;
	struct dd_report_set *set = weekly(4, 2, "none", NULL, NULL, 0);
	struct dd_report *r = report("spammer.example", NOW - 3 * DAY, NOW - 2 * DAY, "none", NULL);
	for (int i = 0; i < 3000; i++) {
		char ip[32];
		snprintf(ip, sizeof(ip), "10.%d.%d.1", i / 250, i % 250);
		struct row_spec sp = { ip,   1,           NULL,   NULL, NULL,
			               NULL, "x.invalid", "fail", NULL, NULL };
		add_row(r, &sp);
	}
	dd_report_set_add_own(set, r);
	struct dd_test_run run = { 0 };
	struct dd_result *res = run_with(&run, P_NONE, NULL, set);
	const struct dd_evidence *e = res->evidence;
	assert_int_equal(e->messages, 3000);
	assert_true(e->nsenders <= 257);
	bool other = false;
	uint64_t sum = 0;
	for (size_t i = 0; i < e->nsenders; i++) {
		other |= strcmp(e->senders[i].name, "(other sources)") == 0;
		sum += e->senders[i].messages;
		assert_true(e->senders[i].sources.n <= 8);
	}
	assert_true(other);
	assert_int_equal(sum, 3000); /* nothing lost, only grouped */
	size_t ptr = 0;
	for (size_t i = 0; i < res->posture->nqueries; i++)
		ptr += res->posture->queries[i].type == DD_RR_PTR;
	assert_int_equal(ptr, 24);
	dd_test_run_finish(&run);
}

/*
 * Reject readiness looks at the quarantine period on its own: SendGrid
 * sends misaligned only in the two weeks of quarantine, 12 of their 4 612
 * messages (2.6 per mille, above the blocking share) but 0.65 per mille of
 * the whole window's, which alone would not block. Without it the same
 * reports are ready for reject.
 */
static struct dd_report_set *quarantine_period(bool with_sendgrid)
{
	struct row_spec rows[] = { GOOGLE_OK, OWN_OK };
	struct row_spec sg = SENDGRID_BAD;
	struct dd_report_set *set = weekly(4, 2, "none", NULL, rows, 2);
	for (size_t i = 0; i < set->n; i++) {
		struct dd_report *r = set->v[i];
		if (r->end > NOW - 14 * DAY) {
			free(r->p);
			r->p = xstrdup("quarantine");
			if (with_sendgrid) {
				sg.n = 3;
				add_row(r, &sg);
			}
		} else {
			for (size_t k = 0; k < r->nrows; k++)
				r->rows[k].count *= 3;
		}
	}
	return set;
}

static void test_reject_looks_at_the_quarantine_period(void **state)
{
	(void)state;
	const char *dmarc = "v=DMARC1; p=quarantine; rua=mailto:d@example.co.jp";
	struct dd_test_run run = { 0 };
	struct dd_result *r = run_with(&run, dmarc, NULL, quarantine_period(true));
	assert_int_equal(r->advice.next, DD_STAGE_REJECT);
	const struct dd_evidence *e = r->evidence;
	assert_int_equal(e->quarantine_days, 14);
	assert_int_equal(e->quarantine_messages, 4612);
	assert_int_equal(e->messages, 18412);
	const struct dd_evidence_sender *s = sender(r, "SendGrid");
	assert_int_equal(s->cls, DD_CLASS_FIXABLE);
	assert_false(s->blocks); /* below the share of the whole window */
	assert_true(s->blocks_reject);
	assert_int_equal(s->quarantine_fixable, 12);
	assert_int_equal(r->advice.ready, DD_READY_NO);
	char *why = dd_step_format(&r->advice.ready_why, DD_LANG_EN);
	assert_non_null(strstr(why, "in the reports of the quarantine period 0.3% (12/4612)"));
	assert_non_null(strstr(why, "first fix SendGrid (12, DKIM d=sendgrid.net)"));
	free(why);
	why = dd_step_format(&r->advice.ready_why, DD_LANG_JA);
	assert_non_null(strstr(why, "quarantine 期間"));
	free(why);
	dd_test_run_finish(&run);

	struct dd_test_run run2 = { 0 };
	r = run_with(&run2, dmarc, NULL, quarantine_period(false));
	assert_int_equal(r->evidence->quarantine_days, 14);
	assert_int_equal(r->advice.ready, DD_READY_YES);
	why = dd_step_format(&r->advice.ready_why, DD_LANG_EN);
	assert_non_null(strstr(why, "Ready for p=reject"));
	free(why);
	dd_test_run_finish(&run2);
}

/* An org_domain that counts its calls: the last two labels of the name. */
static unsigned org_calls;

static bool last_two_labels(const void *ctx, const char *name, char *out, size_t outsz)
{
	(void)ctx;
	org_calls++;
	const char *p = name + strlen(name), *dot = NULL;
	int dots = 0;
	while (p > name && dots < 2)
		if (*--p == '.' && ++dots == 2)
			dot = p;
	snprintf(out, outsz, "%s", dot ? dot + 1 : name);
	return true;
}

/* n rows of one header_from and one aligned d=: two names, n times over */
static void add_same_rows(struct dd_report *r, unsigned n)
{
	char from[64], d[64];
	snprintf(from, sizeof(from), "news.%s", DOMAIN);
	snprintf(d, sizeof(d), "mail.%s", DOMAIN);
	struct row_spec same = {
		"192.0.2.1", 1, from, d, "s1", NULL, NULL, NULL, NULL, "pass/fail"
	};
	for (unsigned i = 0; i < n; i++)
		add_row(r, &same);
}

/*
 * The build remembers org domains (a direct-mapped table of 64): 300 rows
 * of the same names ask for each name once; 600 distinct names collide in
 * the table and are asked again, and every row is still judged right.
 */
static void test_org_domains_remembered(void **state)
{
	(void)state;
	struct dd_report_set set = { 0 };
	struct dd_report *r = report("google.com", NOW - 7 * DAY, NOW - 1, "none", NULL);
	char from[64], d[64];
	add_same_rows(r, 300);
	for (unsigned i = 0; i < 600; i++) {
		/* even rows: a d= under the domain (aligned); odd: under another */
		snprintf(from, sizeof(from), "h%u.%s", i, DOMAIN);
		if (i % 2)
			snprintf(d, sizeof(d), "d%u.other%u.test", i, i);
		else
			snprintf(d, sizeof(d), "d%u.%s", i, DOMAIN);
		struct row_spec spec = { "192.0.2.2", 1,    from, d,    "s1",
			                 NULL,        NULL, NULL, NULL, "pass/fail" };
		add_row(r, &spec);
	}
	dd_report_set_add_own(&set, r);
	struct dd_evidence_input in = {
		.domain = DOMAIN,
		.from = NOW - 30 * DAY,
		.to = NOW,
		.org_domain = last_two_labels,
		.domain_org = "co.jp",
		.published_policy = "none",
	};
	org_calls = 0;
	struct dd_evidence *e = dd_evidence_build(&set, &in);
	assert_non_null(e);
	assert_int_equal(e->messages, 900);
	/* last two labels make every name under example.co.jp one org ("co.jp"):
	 * the 300 same rows and the 300 even rows align, the odd ones do not */
	assert_int_equal(e->dmarc_pass, 600);
	/* every distinct name was asked at least once */
	assert_true(org_calls >= 2 + 2 * 600);
	dd_evidence_destroy(e);
	dd_report_set_finish(&set);

	/* the 300 same rows alone: their two names, asked once each */
	struct dd_report_set same_set = { 0 };
	r = report("google.com", NOW - 7 * DAY, NOW - 1, "none", NULL);
	add_same_rows(r, 300);
	dd_report_set_add_own(&same_set, r);
	org_calls = 0;
	e = dd_evidence_build(&same_set, &in);
	assert_non_null(e);
	assert_int_equal(e->dmarc_pass, 300);
	assert_int_equal(org_calls, 2);
	dd_evidence_destroy(e);
	dd_report_set_finish(&same_set);
}

/* ------------------------------------------------------- equal rows */

static unsigned ptr_calls;

static const char *count_ptr(const void *ctx, const char *ip)
{
	(void)ctx;
	(void)ip;
	ptr_calls++;
	return NULL;
}

static struct dd_evidence *build_counting(const struct dd_report_set *set)
{
	struct dd_evidence_input in = {
		.domain = DOMAIN,
		.from = NOW - 30 * DAY,
		.to = NOW,
		.org_domain = last_two_labels,
		.domain_org = "co.jp",
		.ptr = count_ptr,
		.published_policy = "none",
	};
	ptr_calls = 0;
	return dd_evidence_build(set, &in);
}

/* Rows A and B that differ in one field the judgement reads, in turn
 * A B A B ... over two reports: every A and every B is counted as itself. */
static void rows_apart(const struct row_spec *a, const struct row_spec *b, uint64_t a_pass,
                       uint64_t b_pass)
{
	struct dd_report_set set = { 0 };
	for (int k = 0; k < 2; k++) {
		struct dd_report *r = report("google.com", NOW - (k + 2) * DAY, NOW - (k + 1) * DAY,
		                             "none", NULL);
		for (int i = 0; i < 10; i++)
			add_row(r, i % 2 ? b : a);
		dd_report_set_add_own(&set, r);
	}
	struct dd_evidence *e = build_counting(&set);
	assert_non_null(e);
	assert_int_equal(e->messages, 10 * (a->n + b->n));
	assert_int_equal(e->dmarc_pass, 10 * (a_pass + b_pass));
	assert_int_equal(ptr_calls, 2); /* A once, B once: neither names a service */
	dd_evidence_destroy(e);
	dd_report_set_finish(&set);
}

/*
 * A year of reports repeats the same rows (row_memo.c): an equal row takes
 * the judgement of the first, a row that differs in any field the
 * judgement reads is judged again. The PTR callback counts the judgements
 * of rows that no DKIM or SPF result names.
 */
static void test_equal_rows_judged_once(void **state)
{
	(void)state;
	/* 300 equal rows over three reports: judged once, every message counted */
	struct dd_report_set set = { 0 };
	struct row_spec own = { "192.0.2.10", 2,    NULL, "mail.example.co.jp", "dd2026", NULL,
		                NULL,         NULL, NULL, "pass/fail" };
	for (int k = 0; k < 3; k++) {
		struct dd_report *r = report("google.com", NOW - (k + 2) * DAY, NOW - (k + 1) * DAY,
		                             "none", NULL);
		for (int i = 0; i < 100; i++)
			add_row(r, &own);
		dd_report_set_add_own(&set, r);
	}
	struct dd_evidence *e = build_counting(&set);
	assert_non_null(e);
	assert_int_equal(ptr_calls, 1);
	assert_int_equal(e->messages, 600);
	assert_int_equal(e->dmarc_pass, 600);
	assert_int_equal(e->nsenders, 1);
	assert_int_equal(e->senders[0].dkim_aligned, 600);
	assert_int_equal(e->senders[0].reporter_pass, 600);
	assert_int_equal(e->days, 3);        /* each row's day, not only the first's */
	assert_int_equal(e->selectors.n, 0); /* d= mail.example.co.jp: not the domain's own */
	dd_evidence_destroy(e);
	dd_report_set_finish(&set);

	/* one field apart, each judged as itself: the DKIM result ... */
	struct row_spec fail = own;
	fail.dkim_res = "fail";
	rows_apart(&own, &fail, own.n, 0);
	/* ... the d= (same org, so both align; a different name is a different row) */
	struct row_spec other_d = own;
	other_d.dkim_d = "bulk.example.co.jp";
	rows_apart(&own, &other_d, own.n, own.n);
	/* ... the header_from (a subdomain's row is its own sender) */
	struct row_spec sub = own;
	sub.from = "news.example.co.jp";
	rows_apart(&own, &sub, own.n, own.n);
	/* ... the source address */
	struct row_spec ip = own;
	ip.ip = "192.0.2.11";
	rows_apart(&own, &ip, own.n, own.n);
	/* ... an override reason (forwarded, not unauthenticated) */
	struct row_spec spoof = { "203.0.113.9",  3,      NULL, NULL,       NULL, NULL,
		                  "list.example", "pass", NULL, "fail/fail" };
	struct row_spec listed = spoof;
	listed.reason = "mailing_list";
	rows_apart(&spoof, &listed, 0, 0);

	/* ... and the report's adkim: strict in one report, relaxed in the other */
	struct dd_report_set modes = { 0 };
	for (int k = 0; k < 4; k++) {
		struct dd_report *r = report("google.com", NOW - (k + 2) * DAY, NOW - (k + 1) * DAY,
		                             "none", NULL);
		if (k % 2)
			r->adkim = xstrdup("s");
		add_row(r, &own);
		dd_report_set_add_own(&modes, r);
	}
	e = build_counting(&modes);
	assert_non_null(e);
	assert_int_equal(e->messages, 8);
	assert_int_equal(e->dmarc_pass, 4); /* the relaxed reports' rows only */
	assert_int_equal(e->by_class[DD_CLASS_FIXABLE], 4);
	dd_evidence_destroy(e);
	dd_report_set_finish(&modes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_aligned_is_ready),
		cmocka_unit_test(test_esp_misaligned_blocks_with_its_fix),
		cmocka_unit_test(test_spoofing_only_is_ready_and_reported),
		cmocka_unit_test(test_mailing_list_is_forwarded_not_a_blocker),
		cmocka_unit_test(test_testing_mode_is_understood),
		cmocka_unit_test(test_reporters_disagreeing_with_dns),
		cmocka_unit_test(test_subdomain_senders_apart),
		cmocka_unit_test(test_reports_outside_the_window_are_ignored),
		cmocka_unit_test(test_no_reports_leaves_todays_advice),
		cmocka_unit_test(test_too_little_data),
		cmocka_unit_test(test_reverse_dns_names_the_sender),
		cmocka_unit_test(test_report_selectors_are_probed),
		cmocka_unit_test(test_strict_alignment),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_org_domains_remembered),
		cmocka_unit_test(test_equal_rows_judged_once),
		cmocka_unit_test(test_many_sources_are_bounded),
		cmocka_unit_test(test_reject_looks_at_the_quarantine_period),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
