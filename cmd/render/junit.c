/*
 * junit.c: JUnit XML test reports, for GitLab (artifacts:reports:junit) and
 * Jenkins (the junit step).
 *
 * One <testsuite> per domain; one <testcase> per check of the registry (mx,
 * spf, dmarc, dkim, provider: a check is named as its findings' family),
 * then one per other finding family that occurs (dns, baseline), named by
 * the id's first part. Each finding at or above
 * --fail-on is a <failure> of its testcase - except those the gate ignores:
 * findings the --baseline knows, dns.offline, and dns.temporary-failure,
 * which is an <error> (the check could not run). Every other finding is
 * listed in the testcase's <system-out>. A domain that could not be checked
 * at all is one <error>.
 *
 * No timing attributes: a report that differs between two identical runs
 * only hides what changed. Text is escaped for a terminal (the DNS can send
 * anything) and then for XML.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/render.h"

#define MAX_GROUPS 16

/* XML's five, and the two code points XML 1.0 §2.2 does not allow. */
static void xml_only(struct dd_strbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		const unsigned char *c = (const unsigned char *)s + i;
		switch (*c) {
		case '&': dd_strbuf_adds(out, "&amp;"); break;
		case '<': dd_strbuf_adds(out, "&lt;"); break;
		case '>': dd_strbuf_adds(out, "&gt;"); break;
		case '"': dd_strbuf_adds(out, "&quot;"); break;
		case '\'': dd_strbuf_adds(out, "&apos;"); break;
		default:
			if (c[0] == 0xef && i + 2 < len && c[1] == 0xbf &&
			    (c[2] == 0xbe || c[2] == 0xbf)) {
				dd_strbuf_addf(out, "\\u{FFF%c}", c[2] == 0xbe ? 'E' : 'F');
				i += 2;
			} else {
				dd_strbuf_addc(out, (char)*c);
			}
		}
	}
}

/* Text that may hold DNS bytes: escaped as for a terminal, then for XML. */
static void xml_text(struct dd_strbuf *out, const char *s)
{
	struct dd_strbuf safe;
	dd_strbuf_init(&safe);
	dd_escape_text(&safe, s, strlen(s));
	xml_only(out, safe.s ? safe.s : "", safe.len);
	dd_strbuf_finish(&safe);
}

static void put_xml(struct dd_render *r, const char *s)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	xml_text(&b, s);
	if (b.len)
		fwrite(b.s, 1, b.len, r->out);
	dd_strbuf_finish(&b);
}

/* The testcase a finding belongs to: "spf.lookup-limit" -> "spf". */
static bool same_group(const char *id, const char *group)
{
	size_t n = strlen(group);
	return strncmp(id, group, n) == 0 && id[n] == '.';
}

enum outcome { PASS, FAIL, ERROR };

static enum outcome outcome_of(const struct dd_render *r, const struct dd_finding *f)
{
	if (strcmp(f->def->id, "dns.temporary-failure") == 0)
		return ERROR; /* the check could not run */
	return dd_finding_fails_gate(f, r->opts.fail_on) ? FAIL : PASS;
}

static void add_safe(struct dd_strbuf *b, const char *s)
{
	dd_escape_text(b, s, strlen(s));
}

/*
 * FILE:LINE: SEVERITY: ID: MESSAGE, then the fix (and the record), as the
 * text report says it. Each part is escaped on its own, so the line breaks
 * between them are the only ones (a record cannot forge a line).
 */
static char *finding_text(const struct dd_finding *f)
{
	char *msg = dd_finding_message(f, DD_LANG_EN);
	char *fix = dd_finding_fix(f, DD_LANG_EN);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	if (f->file) {
		add_safe(&b, f->file);
		dd_strbuf_addf(&b, ":%u: ", f->line);
	}
	dd_strbuf_addf(&b, "%s: %s: ", dd_severity_name(f->severity), f->def->id);
	add_safe(&b, msg);
	dd_strbuf_adds(&b, "\nfix: ");
	add_safe(&b, fix);
	dd_strbuf_addf(&b, " (%s)", dd_finding_rfc(f));
	if (f->known)
		dd_strbuf_adds(&b, "\nin the baseline");
	if (f->record) {
		dd_strbuf_adds(&b, "\nrecord: ");
		add_safe(&b, f->record);
	}
	free(msg);
	free(fix);
	return dd_strbuf_own(&b);
}

/* Text finding_text() made safe already: only XML's escaping is left. */
static void put_lines(struct dd_render *r, const char *s)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	xml_only(&b, s, strlen(s));
	if (b.len)
		fwrite(b.s, 1, b.len, r->out);
	dd_strbuf_finish(&b);
}

static void testcase(struct dd_render *r, const struct dd_result *res, const char *group)
{
	const char *file = NULL;
	for (size_t i = 0; i < res->findings.n && !file; i++) {
		const struct dd_finding *f = &res->findings.v[i];
		if (same_group(f->def->id, group) && outcome_of(r, f) != PASS)
			file = f->file;
	}
	fputs("\t\t<testcase classname=\"", r->out);
	put_xml(r, res->domain);
	fputs("\" name=\"", r->out);
	put_xml(r, group);
	if (file) {
		fputs("\" file=\"", r->out);
		put_xml(r, file);
	}
	fputs("\">\n", r->out);
	struct dd_strbuf out;
	dd_strbuf_init(&out);
	for (size_t i = 0; i < res->findings.n; i++) {
		const struct dd_finding *f = &res->findings.v[i];
		if (!same_group(f->def->id, group))
			continue;
		char *text = finding_text(f);
		enum outcome o = outcome_of(r, f);
		if (o == PASS) {
			if (out.len)
				dd_strbuf_addc(&out, '\n');
			dd_strbuf_adds(&out, text);
		} else {
			char *msg = dd_finding_message(f, DD_LANG_EN);
			fprintf(r->out, "\t\t\t<%s type=\"%s\" message=\"",
			        o == FAIL ? "failure" : "error", f->def->id);
			put_xml(r, msg);
			fputs("\">", r->out);
			put_lines(r, text);
			fprintf(r->out, "</%s>\n", o == FAIL ? "failure" : "error");
			free(msg);
		}
		free(text);
	}
	if (out.len) {
		fputs("\t\t\t<system-out>", r->out);
		put_lines(r, out.s);
		fputs("</system-out>\n", r->out);
	}
	dd_strbuf_finish(&out);
	fputs("\t\t</testcase>\n", r->out);
}

static void junit_begin(struct dd_render *r)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dmarc-doctor\">\n",
	      r->out);
}

static void junit_result(struct dd_render *r, const struct dd_result *res)
{
	if (res->status == DD_RESULT_ERROR) {
		fputs("\t<testsuite name=\"", r->out);
		put_xml(r, res->domain);
		fputs("\" tests=\"1\" failures=\"0\" errors=\"1\">\n\t\t<testcase classname=\"",
		      r->out);
		put_xml(r, res->domain);
		fputs("\" name=\"dns\">\n\t\t\t<error type=\"error\" message=\"", r->out);
		put_xml(r, res->error.en ? res->error.en : "could not be checked");
		fputs("\"/>\n\t\t</testcase>\n\t</testsuite>\n", r->out);
		return;
	}
	/* the registry's checks, then every other family that has findings */
	const char *groups[MAX_GROUPS];
	char owned[MAX_GROUPS][32];
	size_t n = 0;
	for (size_t i = 0; i < dd_nchecks && n < MAX_GROUPS; i++)
		groups[n++] = dd_checks[i]->name;
	for (size_t i = 0; i < res->findings.n; i++) {
		const char *id = res->findings.v[i].def->id;
		bool seen = false;
		for (size_t g = 0; g < n && !seen; g++)
			seen = same_group(id, groups[g]);
		size_t len = strcspn(id, ".");
		if (seen || n == MAX_GROUPS || len >= sizeof(owned[0]))
			continue;
		memcpy(owned[n], id, len);
		owned[n][len] = '\0';
		groups[n] = owned[n];
		n++;
	}
	size_t failures = 0, errors = 0;
	for (size_t g = 0; g < n; g++) {
		bool failed = false, erred = false;
		for (size_t i = 0; i < res->findings.n; i++) {
			const struct dd_finding *f = &res->findings.v[i];
			if (!same_group(f->def->id, groups[g]))
				continue;
			enum outcome o = outcome_of(r, f);
			failed |= o == FAIL;
			erred |= o == ERROR;
		}
		failures += failed;
		errors += erred;
	}
	fputs("\t<testsuite name=\"", r->out);
	put_xml(r, res->domain);
	fprintf(r->out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", n, failures, errors);
	for (size_t g = 0; g < n; g++)
		testcase(r, res, groups[g]);
	fputs("\t</testsuite>\n", r->out);
}

static void junit_end(struct dd_render *r, const struct dd_run_summary *sum)
{
	(void)sum;
	fputs("</testsuites>\n", r->out);
}

const struct dd_renderer dd_render_junit = {
	.name = "junit",
	.begin = junit_begin,
	.result = junit_result,
	.end = junit_end,
};
