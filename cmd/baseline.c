/*
 * baseline.c: see baseline.h.
 *
 * The baseline is read whole with cJSON (the file is what --format json
 * printed: small next to the zone it describes; capped anyway) and kept as a
 * sorted list of domains with their findings' ids and subjects, their DMARC
 * policy and their SPF lookup count. Matching a result is a binary search.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "file.h"
#include "dd/util.h"

#define MAX_BASELINE_BYTES (256u << 20)

struct base_finding {
	char *id;
	char *subject;
	char *message;
	bool used; /* matched while applying to one result (reset per result) */
};

struct base_domain {
	char *domain;
	struct base_finding *findings;
	size_t nfindings;
	int policy_rank; /* -1: unknown (undetermined, or not in the file) */
	int lookups;     /* -1: not counted */
};

struct dd_baseline {
	struct base_domain *v;
	size_t n;
};

/* reject > quarantine > none > no DMARC record at all */
static const char *const rank_names[] = { "missing", "none", "quarantine", "reject" };

static int rank_of_name(const char *policy)
{
	for (int i = 0; i < (int)DD_ARRAY_LEN(rank_names); i++)
		if (policy && strcmp(policy, rank_names[i]) == 0)
			return i;
	return -1;
}

static const char *rank_name(int rank)
{
	return rank >= 0 && rank < (int)DD_ARRAY_LEN(rank_names) ? rank_names[rank] : "unknown";
}

static int rank_of_result(const struct dd_dmarc_info *d)
{
	if (d->state == DD_STATE_MISSING)
		return 0;
	if (d->state != DD_STATE_FOUND)
		return -1;
	switch (d->policy) {
	case DD_POLICY_NONE: return 1;
	case DD_POLICY_QUARANTINE: return 2;
	case DD_POLICY_REJECT: return 3;
	default: return 0; /* no usable policy: as good as none published (advisor.c) */
	}
}

const char *dd_finding_subject(const struct dd_finding *f, const char *domain)
{
	return f->nchain ? f->chain[f->nchain - 1] : domain;
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void domain_finish(struct base_domain *d)
{
	for (size_t i = 0; i < d->nfindings; i++) {
		free(d->findings[i].id);
		free(d->findings[i].subject);
		free(d->findings[i].message);
	}
	free(d->findings);
	free(d->domain);
}

void dd_baseline_destroy(struct dd_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		domain_finish(&b->v[i]);
	free(b->v);
	free(b);
}

/* One saved result; false with *why (static) when it is not one. */
static bool read_result(const cJSON *o, struct base_domain *d, const char **why)
{
	memset(d, 0, sizeof(*d));
	d->policy_rank = d->lookups = -1;
	const char *domain = str_of(o, "domain");
	const cJSON *findings = cJSON_GetObjectItemCaseSensitive(o, "findings");
	if (!cJSON_IsObject(o) || !domain) {
		*why = "an element without a \"domain\" string";
		return false;
	}
	if (!cJSON_IsArray(findings)) {
		*why = "an element without a \"findings\" array";
		return false;
	}
	char norm[DD_NAME_MAX + 1];
	d->domain = xstrdup(dd_name_normalize(domain, strlen(domain), norm, sizeof(norm)) ? norm
	                                                                                  : domain);
	size_t n = (size_t)cJSON_GetArraySize(findings);
	d->findings = xcalloc(n ? n : 1, sizeof(*d->findings));
	const cJSON *f;
	cJSON_ArrayForEach(f, findings)
	{
		const char *id = str_of(f, "id");
		if (!id) {
			*why = "a finding without an \"id\" string";
			return false;
		}
		const cJSON *ev = cJSON_GetObjectItemCaseSensitive(f, "evidence");
		const cJSON *chain = cJSON_GetObjectItemCaseSensitive(ev, "chain");
		int len = cJSON_IsArray(chain) ? cJSON_GetArraySize(chain) : 0;
		const cJSON *last = len ? cJSON_GetArrayItem(chain, len - 1) : NULL;
		const char *subject = cJSON_IsString(last) ? last->valuestring : d->domain;
		const char *message = str_of(f, "message");
		d->findings[d->nfindings++] =
		        (struct base_finding){ xstrdup(id), xstrdup(subject),
			                       message ? xstrdup(message) : NULL, false };
	}
	const cJSON *dmarc = cJSON_GetObjectItemCaseSensitive(o, "dmarc");
	const char *state = str_of(dmarc, "state");
	const char *policy = str_of(dmarc, "policy");
	if (state && strcmp(state, "missing") == 0)
		d->policy_rank = 0;
	else if (policy)
		d->policy_rank = rank_of_name(policy);
	const cJSON *lookups = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(o, "spf"), "lookups");
	if (cJSON_IsNumber(lookups) && lookups->valuedouble >= 0 && lookups->valuedouble < 1e6)
		d->lookups = lookups->valueint;
	return true;
}

static int by_domain(const void *a, const void *b)
{
	return strcmp(((const struct base_domain *)a)->domain,
	              ((const struct base_domain *)b)->domain);
}

static bool add_results(struct dd_baseline *b, const cJSON *doc, const char *label, size_t line,
                        char **err)
{
	const cJSON *items = cJSON_IsArray(doc) ? doc : NULL;
	size_t n = items ? (size_t)cJSON_GetArraySize(items) : 1;
	b->v = xrealloc(b->v, (b->n + n + 1) * sizeof(*b->v));
	for (size_t i = 0; i < n; i++) {
		const cJSON *o = items ? cJSON_GetArrayItem(items, (int)i) : doc;
		const char *why = NULL;
		if (!read_result(o, &b->v[b->n], &why)) {
			domain_finish(&b->v[b->n]);
			if (line)
				*err = xasprintf("%s:%zu: not a dmarc-doctor JSON result: %s",
				                 label, line, why);
			else
				*err = xasprintf(
				        "%s: not a dmarc-doctor JSON result: %s (in element "
				        "%zu)",
				        label, why, i + 1);
			return false;
		}
		b->n++;
	}
	return true;
}

/* Line and column of a byte offset, for a parse error. */
static void position(const char *text, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static char *not_json(const char *label, const char *text, const char *at)
{
	size_t line, col;
	position(text, (size_t)(at - text), &line, &col);
	return xasprintf("%s:%zu:%zu: not JSON (save the baseline with --format json)", label, line,
	                 col);
}

/* `text` is NUL-terminated at `len`. */
struct dd_baseline *dd_baseline_parse(const char *text, size_t len, const char *label, char **err)
{
	*err = NULL;
	struct dd_baseline *b = xcalloc(1, sizeof(*b));
	const char *end = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, false);
	const char *rest = doc ? end + strspn(end, " \t\r\n") : NULL;
	bool ok;
	if (!doc) {
		*err = not_json(label, text, cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : text);
		ok = false;
	} else if (rest >= text + len) {
		ok = add_results(b, doc, label, 0, err);
	} else {
		/* more after the first value: JSON lines (--format jsonl), one result a line */
		ok = true;
		size_t lineno = 0;
		for (const char *p = text; ok && p < text + len;) {
			const char *nl = memchr(p, '\n', (size_t)(text + len - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
			lineno++;
			if (strspn(p, " \t\r") < n) {
				cJSON *one = cJSON_ParseWithLengthOpts(p, n, &end, false);
				const char *tail = one ? end + strspn(end, " \t\r") : NULL;
				if (!one || tail < p + n) {
					*err = not_json(label, text,
					                one ? tail
					                    : (cJSON_GetErrorPtr()
					                               ? cJSON_GetErrorPtr()
					                               : p));
					ok = false;
				} else {
					ok = add_results(b, one, label, lineno, err);
				}
				cJSON_Delete(one);
			}
			p += n + 1;
		}
	}
	cJSON_Delete(doc);
	if (ok && b->n == 0) {
		*err = xasprintf("%s: no results in it", label);
		ok = false;
	}
	if (!ok) {
		dd_baseline_destroy(b);
		return NULL;
	}
	qsort(b->v, b->n, sizeof(*b->v), by_domain);
	return b;
}

struct dd_baseline *dd_baseline_load(const char *path, char **err)
{
	*err = NULL;
	char *text;
	size_t len;
	enum dd_file_status st = dd_file_read(path, MAX_BASELINE_BYTES, &text, &len);
	struct dd_baseline *base = NULL;
	if (st == DD_FILE_TOO_BIG)
		*err = xasprintf("--baseline %s: larger than %u MiB", path,
		                 MAX_BASELINE_BYTES >> 20);
	else if (st != DD_FILE_OK)
		*err = xasprintf("--baseline %s: %s", path, dd_file_error(st));
	else if (len == 0)
		*err = xasprintf("--baseline %s: the file is empty", path);
	else
		base = dd_baseline_parse(text, len, path, err);
	free(text);
	return base;
}

static struct base_domain *find_domain(const struct dd_baseline *b, const char *domain)
{
	struct base_domain key = { .domain = (char *)domain };
	return bsearch(&key, b->v, b->n, sizeof(*b->v), by_domain);
}

/* Pair findings with the baseline's: same message first, then same id and subject. */
static void mark_known(struct base_domain *d, struct dd_result *r)
{
	for (size_t i = 0; i < d->nfindings; i++)
		d->findings[i].used = false;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < r->findings.n; i++) {
			struct dd_finding *f = &r->findings.v[i];
			if (f->known)
				continue;
			const char *subject = dd_finding_subject(f, r->domain);
			char *msg = pass == 0 ? dd_finding_message(f, DD_LANG_EN) : NULL;
			for (size_t k = 0; k < d->nfindings; k++) {
				struct base_finding *bf = &d->findings[k];
				if (bf->used || strcmp(bf->id, f->def->id) != 0 ||
				    strcmp(bf->subject, subject) != 0)
					continue;
				if (pass == 0 && (!bf->message || strcmp(bf->message, msg) != 0))
					continue;
				bf->used = true;
				f->known = true;
				break;
			}
			free(msg);
		}
	}
}

static void regressions(const struct base_domain *d, struct dd_result *r)
{
	int now = rank_of_result(&r->dmarc);
	if (now >= 0 && d->policy_rank >= 0 && now < d->policy_rank) {
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "baseline.policy-weaker", r->domain,
		                        rank_name(now), rank_name(d->policy_rank), NULL);
		if (r->dmarc.found_at)
			dd_finding_add_chain(f, r->dmarc.found_at);
		f->file = r->dmarc.file;
		f->line = r->dmarc.line;
	}
	const struct dd_spf_info *spf = &r->spf;
	if (spf->counted && d->lookups >= 0 && spf->lookups > 10 && spf->lookups > d->lookups) {
		char now_s[24], then_s[24];
		snprintf(now_s, sizeof(now_s), "%d", spf->lookups);
		snprintf(then_s, sizeof(then_s), "%d", d->lookups);
		struct dd_finding *f =
		        dd_findings_add(&r->findings, "baseline.spf-lookups-increased", r->domain,
		                        now_s, then_s, NULL);
		if (spf->record)
			dd_finding_set_record(f, spf->record, spf->record_len);
		f->file = spf->file;
		f->line = spf->line;
	}
}

void dd_baseline_apply(const struct dd_baseline *b, struct dd_result *r)
{
	if (!b || r->status == DD_RESULT_ERROR)
		return;
	struct base_domain *d = find_domain(b, r->domain);
	if (!d)
		return; /* a domain the baseline does not know: everything is new */
	mark_known(d, r);
	regressions(d, r);
	if (r->posture)
		dd_anchor_findings(r->posture, r);
}
