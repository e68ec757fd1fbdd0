/*
 * sarif.c: SARIF 2.1.0 (OASIS), for GitHub code scanning and other viewers
 * of static-analysis results. One run; one rule per finding id that occurs
 * (its summary, fix and RFC link, from checks/findings.c); one result per
 * finding.
 *
 * Locations: a finding from a zone file has a physicalLocation - the file
 * as a URI relative to the working directory (run the gate from the
 * repository root, and GitHub annotates the pull request) and the line.
 * dd_anchor_findings() gives every finding of a domain in a zone file a
 * line, so in a zone run every result has one. A finding about live DNS
 * only (no file) has a logicalLocation, the DNS name it is about; GitHub
 * lists such results but cannot annotate a line. No startColumn: a
 * finding's column counts in the record's text, not in the file.
 *
 * Streamed like the JSON renderer: results are written as they come, and the
 * rules they used after them (JSON object members have no order).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "render/json.h"
#include "dd/render.h"

/* The rules used so far, in order of first use (ruleIndex). */
static const struct dd_finding_def **rules;
static size_t nrules, rules_cap;
static size_t written; /* results so far, for the commas */
static char cwd[PATH_MAX];

static size_t rule_index(const struct dd_finding_def *def)
{
	for (size_t i = 0; i < nrules; i++)
		if (rules[i] == def)
			return i;
	rules = xgrow(rules, &rules_cap, nrules + 1, sizeof(*rules));
	rules[nrules] = def;
	return nrules++;
}

/* Characters a URI path may hold as they are (RFC 3986 §3.3 pchar and '/'). */
static bool uri_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("-._~!$&'()*+,;=:@/", c) != NULL;
}

/* "zones/a b.zone" -> "zones/a%20b.zone"; an absolute path under the working
 * directory becomes relative to it, any other one a file:// URI. */
static char *file_uri(const char *path)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	size_t n = strlen(cwd);
	if (path[0] == '/' && n > 1 && strncmp(path, cwd, n) == 0 && path[n] == '/')
		path += n + 1;
	else if (path[0] == '/')
		dd_strbuf_adds(&b, "file://");
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	/* a relative reference whose first segment has a ':' would read as a scheme */
	const char *colon = strchr(path, ':'), *slash = strchr(path, '/');
	if (path[0] != '/' && colon && (!slash || colon < slash))
		dd_strbuf_adds(&b, "./");
	for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
		if (uri_safe(*c))
			dd_strbuf_addc(&b, (char)*c);
		else
			dd_strbuf_addf(&b, "%%%02X", *c);
	}
	return dd_strbuf_own(&b);
}

static const char *level(enum dd_severity s)
{
	return s == DD_SEV_ERROR ? "error" : s == DD_SEV_WARNING ? "warning" : "note";
}

static cJSON *text_obj(const char *text)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "text", dd_json_str(text));
	return o;
}

/* "spf.lookup-limit" -> "SpfLookupLimit": SARIF's readable rule name. */
static char *rule_name(const char *id)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	bool up = true;
	for (const char *c = id; *c; c++) {
		if (*c == '.' || *c == '-') {
			up = true;
			continue;
		}
		dd_strbuf_addc(&b, up && *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c);
		up = false;
	}
	return dd_strbuf_own(&b);
}

static cJSON *rule_json(const struct dd_finding_def *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "id", dd_json_str(d->id));
	char *name = rule_name(d->id);
	cJSON_AddItemToObject(o, "name", dd_json_str(name));
	free(name);
	cJSON_AddItemToObject(o, "shortDescription", text_obj(d->summary.en));
	char *full = xasprintf("%s (%s).", d->summary.en, d->rfc);
	cJSON_AddItemToObject(o, "fullDescription", text_obj(full));
	free(full);
	/* the fix with its blanks shown: "Publish one TXT record at ...: ..." */
	char *blanks[DD_FINDING_MAXARGS] = { "...", "...", "...", "..." };
	char *fix = dd_text_format(&d->fix, DD_LANG_EN, blanks, DD_FINDING_MAXARGS);
	cJSON *help = cJSON_CreateObject();
	char *text = xasprintf("%s. Fix: %s See %s: %s", d->summary.en, fix, d->rfc, d->rfc_url);
	char *md = xasprintf("**%s**\n\nFix: %s\n\nSee [%s](%s).", d->summary.en, fix, d->rfc,
	                     d->rfc_url);
	cJSON_AddItemToObject(help, "text", dd_json_str(text));
	cJSON_AddItemToObject(help, "markdown", dd_json_str(md));
	cJSON_AddItemToObject(o, "help", help);
	free(text);
	free(md);
	free(fix);
	cJSON_AddItemToObject(o, "helpUri", dd_json_str(d->rfc_url));
	cJSON *conf = cJSON_AddObjectToObject(o, "defaultConfiguration");
	cJSON_AddItemToObject(conf, "level", dd_json_str(level(d->severity)));
	cJSON *props = cJSON_AddObjectToObject(o, "properties");
	cJSON *tags = cJSON_AddArrayToObject(props, "tags");
	char *area = xstrndup(d->id, strcspn(d->id, "."));
	cJSON_AddItemToArray(tags, dd_json_str("email-authentication"));
	cJSON_AddItemToArray(tags, dd_json_str(area));
	free(area);
	cJSON_AddItemToObject(props, "rfc", dd_json_str(d->rfc));
	return o;
}

/* Stable across runs and line moves: the id, the domain, the subject, and
 * which of its kind this is. */
static char *fingerprint(const struct dd_result *res, size_t i)
{
	const struct dd_finding *f = &res->findings.v[i];
	const char *subject = dd_finding_subject(f, res->domain);
	unsigned nth = 0;
	for (size_t k = 0; k < i; k++) {
		const struct dd_finding *g = &res->findings.v[k];
		nth += g->def == f->def && strcmp(dd_finding_subject(g, res->domain), subject) == 0;
	}
	char *key = xasprintf("%s|%s|%s|%u", f->def->id, res->domain, subject, nth);
	uint32_t a = dd_hash_fnv1a(key, strlen(key), 0x5a12f00d);
	uint32_t b = dd_hash_fnv1a(key, strlen(key), 0x0ddba11);
	free(key);
	return xasprintf("%08x%08x", a, b);
}

static cJSON *location_json(const struct dd_result *res, const struct dd_finding *f)
{
	cJSON *loc = cJSON_CreateObject();
	if (f->file) {
		cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
		cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
		char *uri = file_uri(f->file);
		cJSON_AddItemToObject(art, "uri", dd_json_str(uri));
		if (strncmp(uri, "file://", 7) != 0) /* relative: to the checkout's root */
			cJSON_AddItemToObject(art, "uriBaseId", dd_json_str("%SRCROOT%"));
		free(uri);
		cJSON *region = cJSON_AddObjectToObject(phys, "region");
		cJSON_AddNumberToObject(region, "startLine", f->line ? f->line : 1);
	}
	cJSON *logical = cJSON_AddArrayToObject(loc, "logicalLocations");
	cJSON *name = cJSON_CreateObject();
	cJSON_AddItemToObject(name, "fullyQualifiedName",
	                      dd_json_str(dd_finding_subject(f, res->domain)));
	cJSON_AddItemToObject(name, "kind", dd_json_str("resource"));
	cJSON_AddItemToArray(logical, name);
	return loc;
}

/* spf.repair from a zone file: the proposed record as a SARIF fix of the record's line
 * (a region with only startLine is the whole line, SARIF 2.1.0 §3.30). */
static void add_fix(cJSON *o, const struct dd_result *res, const struct dd_finding *f)
{
	const struct dd_spf_repair *rp = res->spf.repair;
	if (strcmp(f->def->id, "spf.repair") != 0 || !rp || !rp->file)
		return;
	cJSON *fixes = cJSON_AddArrayToObject(o, "fixes");
	cJSON *fix = cJSON_CreateObject();
	cJSON_AddItemToArray(fixes, fix);
	cJSON_AddItemToObject(fix, "description", text_obj("Publish the repaired SPF record"));
	cJSON *changes = cJSON_AddArrayToObject(fix, "artifactChanges");
	cJSON *change = cJSON_CreateObject();
	cJSON_AddItemToArray(changes, change);
	cJSON *art = cJSON_AddObjectToObject(change, "artifactLocation");
	char *uri = file_uri(rp->file);
	cJSON_AddItemToObject(art, "uri", dd_json_str(uri));
	if (strncmp(uri, "file://", 7) != 0)
		cJSON_AddItemToObject(art, "uriBaseId", dd_json_str("%SRCROOT%"));
	free(uri);
	cJSON *repl = cJSON_AddArrayToObject(change, "replacements");
	cJSON *one = cJSON_CreateObject();
	cJSON_AddItemToArray(repl, one);
	cJSON *region = cJSON_AddObjectToObject(one, "deletedRegion");
	cJSON_AddNumberToObject(region, "startLine", rp->line ? rp->line : 1);
	cJSON *ins = cJSON_AddObjectToObject(one, "insertedContent");
	cJSON_AddItemToObject(ins, "text", dd_json_str(rp->zone_line));
}

static cJSON *result_json(struct dd_render *r, const struct dd_result *res, size_t i)
{
	const struct dd_finding *f = &res->findings.v[i];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "ruleId", dd_json_str(f->def->id));
	cJSON_AddNumberToObject(o, "ruleIndex", (double)rule_index(f->def));
	cJSON_AddItemToObject(o, "level", dd_json_str(level(f->severity)));
	char *msg = dd_finding_message(f, DD_LANG_EN);
	char *fix = dd_finding_fix(f, DD_LANG_EN);
	char *text = xasprintf("%s Fix: %s", msg, fix);
	cJSON_AddItemToObject(o, "message", text_obj(text));
	free(text);
	cJSON *locs = cJSON_AddArrayToObject(o, "locations");
	cJSON_AddItemToArray(locs, location_json(res, f));
	cJSON *fp = cJSON_AddObjectToObject(o, "partialFingerprints");
	char *hash = fingerprint(res, i);
	cJSON_AddItemToObject(fp, "dmarcDoctorFinding/v1", dd_json_str(hash));
	free(hash);
	if (r->opts.baseline)
		cJSON_AddItemToObject(o, "baselineState",
		                      dd_json_str(f->known ? "unchanged" : "new"));
	cJSON *props = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddItemToObject(props, "domain", dd_json_str(res->domain));
	cJSON_AddItemToObject(props, "severity", dd_json_str(dd_severity_name(f->severity)));
	cJSON_AddItemToObject(props, "fix", dd_json_str(fix));
	if (f->record)
		cJSON_AddItemToObject(props, "record", dd_json_str(f->record));
	if (f->column)
		cJSON_AddNumberToObject(props, "recordColumn", f->column);
	add_fix(o, res, f);
	free(msg);
	free(fix);
	return o;
}

/* cJSON prints with tabs; indent the lines after the first to sit `depth` tabs deep. */
static void put_indented(FILE *out, const char *s, int depth)
{
	for (; *s; s++) {
		fputc(*s, out);
		if (*s == '\n')
			for (int i = 0; i < depth; i++)
				fputc('\t', out);
	}
}

static void sarif_begin(struct dd_render *r)
{
	free(rules);
	rules = NULL;
	nrules = rules_cap = written = 0;
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	fputs("{\n"
	      "\t\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	      "\t\"version\": \"2.1.0\",\n"
	      "\t\"runs\": [\n"
	      "\t\t{\n"
	      "\t\t\t\"results\": [",
	      r->out);
}

static void sarif_result(struct dd_render *r, const struct dd_result *res)
{
	for (size_t i = 0; i < res->findings.n; i++) {
		cJSON *o = result_json(r, res, i);
		char *s = cJSON_Print(o);
		fputs(written++ ? ",\n\t\t\t\t" : "\n\t\t\t\t", r->out);
		put_indented(r->out, s, 4);
		free(s);
		cJSON_Delete(o);
	}
}

static void sarif_end(struct dd_render *r, const struct dd_run_summary *sum)
{
	(void)sum;
	cJSON *tool = cJSON_CreateObject();
	cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
	cJSON_AddItemToObject(driver, "name", dd_json_str("dmarc-doctor"));
	cJSON_AddItemToObject(driver, "version", dd_json_str(DD_VERSION));
	cJSON *list = cJSON_AddArrayToObject(driver, "rules");
	for (size_t i = 0; i < nrules; i++)
		cJSON_AddItemToArray(list, rule_json(rules[i]));
	char *s = cJSON_Print(tool);
	fputs(written ? "\n\t\t\t],\n\t\t\t\"tool\": " : "],\n\t\t\t\"tool\": ", r->out);
	put_indented(r->out, s, 3);
	fputs("\n\t\t}\n\t]\n}\n", r->out);
	free(s);
	cJSON_Delete(tool);
	free(rules);
	rules = NULL;
	nrules = rules_cap = written = 0;
}

const struct dd_renderer dd_render_sarif = {
	.name = "sarif",
	.begin = sarif_begin,
	.result = sarif_result,
	.end = sarif_end,
};
