/*
 * summary.c: see summary.h.
 *
 * A finding counts once per domain however often the domain has it: "how
 * many of my clients have spf.lookup-limit" is the question. The stage is
 * advice.current; a domain without advice (its DMARC lookups failed) is
 * "unknown".
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "dd/util.h"

#define TOP 10

void dd_summary_init(struct dd_summary *s)
{
	memset(s, 0, sizeof(*s));
	dd_nameset_init(&s->findings);
	dd_nameset_init(&s->seen);
}

void dd_summary_finish(struct dd_summary *s)
{
	dd_nameset_finish(&s->findings);
	dd_nameset_finish(&s->seen);
}

/* Each id once for this domain: ids[] is scratch of n entries. */
static void add_ids(struct dd_summary *s, const char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool again = false;
		for (size_t k = 0; k < i && !again; k++)
			again = strcmp(ids[k], ids[i]) == 0;
		if (!again)
			dd_nameset_add(&s->findings, ids[i]);
	}
}

void dd_summary_add_result(struct dd_summary *s, const struct dd_result *r, bool bad_input)
{
	s->domains++;
	if (bad_input) {
		s->bad_input++;
		return;
	}
	if (r->status == DD_RESULT_ERROR)
		s->errors++;
	if (r->undetermined)
		s->undetermined++;
	s->stage[r->advice.present ? r->advice.current : DD_STAGE_UNKNOWN]++;
	const char **ids = xcalloc(r->findings.n + 1, sizeof(*ids));
	for (size_t i = 0; i < r->findings.n; i++)
		ids[i] = r->findings.v[i].def->id;
	add_ids(s, ids, r->findings.n);
	free(ids);
}

static int stage_of(const char *name)
{
	for (int i = DD_STAGE_MISSING; i <= DD_STAGE_REJECT; i++)
		if (name && strcmp(dd_stage_name((enum dd_stage)i), name) == 0)
			return i;
	return DD_STAGE_UNKNOWN;
}

bool dd_summary_add_json(struct dd_summary *s, const char *line, size_t len)
{
	cJSON *o = cJSON_ParseWithLength(line, len);
	const cJSON *domain = cJSON_GetObjectItemCaseSensitive(o, "domain");
	if (!cJSON_IsObject(o) || !cJSON_IsString(domain)) {
		cJSON_Delete(o);
		return false;
	}
	if (!dd_nameset_add(&s->seen, domain->valuestring)) {
		s->duplicates++; /* in two files: the list was split with overlap */
		cJSON_Delete(o);
		return true;
	}
	s->domains++;
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(o, "status");
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(o, "error");
	const cJSON *findings = cJSON_GetObjectItemCaseSensitive(o, "findings");
	bool failed = cJSON_IsString(status) && strcmp(status->valuestring, "error") == 0;
	if (failed && cJSON_IsString(error) &&
	    strstr(error->valuestring, "is not a valid domain")) {
		s->bad_input++;
		cJSON_Delete(o);
		return true;
	}
	if (failed)
		s->errors++;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "undetermined")))
		s->undetermined++;
	const cJSON *advice = cJSON_GetObjectItemCaseSensitive(o, "advice");
	const cJSON *current = cJSON_GetObjectItemCaseSensitive(advice, "current");
	s->stage[stage_of(cJSON_IsString(current) ? current->valuestring : NULL)]++;
	size_t n = cJSON_IsArray(findings) ? (size_t)cJSON_GetArraySize(findings) : 0;
	const char **ids = xcalloc(n + 1, sizeof(*ids));
	size_t k = 0;
	const cJSON *f, *list = cJSON_IsArray(findings) ? findings : NULL;
	cJSON_ArrayForEach(f, list)
	{
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(f, "id");
		if (cJSON_IsString(id) && k < n)
			ids[k++] = id->valuestring;
	}
	add_ids(s, ids, k);
	free(ids);
	cJSON_Delete(o);
	return true;
}

/* Most domains first, then by id: a stable order for the same numbers. */
static int by_count(const struct dd_nameset *set, size_t a, size_t b)
{
	const struct dd_nameset_entry *x = &set->v[a], *y = &set->v[b];
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(set->text + x->off, set->text + y->off);
}

void dd_summary_print(const struct dd_summary *s, FILE *out, double seconds,
                      const struct dd_gather_stats *stats, enum dd_lang lang)
{
#define L(en, ja) DD_LANG_PICK(lang, en, ja)
	fprintf(out, L("summary: %zu domains", "集計: %zu ドメイン"), s->domains);
	if (seconds > 0)
		fprintf(out, L(" in %.1f s (%.0f/s)", " (%.1f 秒、毎秒 %.0f)"), seconds,
		        (double)s->domains / seconds);
	fputc('\n', out);
	fprintf(out,
	        L("  DMARC now     missing %zu, none %zu, quarantine %zu, reject %zu, unknown "
	          "%zu\n",
	          "  現在の DMARC  なし %zu、none %zu、quarantine %zu、reject %zu、不明 %zu\n"),
	        s->stage[DD_STAGE_MISSING], s->stage[DD_STAGE_NONE], s->stage[DD_STAGE_QUARANTINE],
	        s->stage[DD_STAGE_REJECT], s->stage[DD_STAGE_UNKNOWN]);
	fprintf(out,
	        L("  undetermined  %zu (a DNS failure left part of the judgement open)\n",
	          "  判定できず    %zu (DNS の失敗で判定の一部が決まっていません)\n"),
	        s->undetermined);
	fprintf(out,
	        L("  errors        %zu (could not be judged), bad lines %zu\n",
	          "  エラー        %zu (判定できません)、不正な行 %zu\n"),
	        s->errors, s->bad_input);
	if (s->duplicates || s->skipped_lines)
		fprintf(out,
		        L("  merged        %zu duplicate domains counted once, %zu lines skipped\n",
		          "  統合          重複したドメイン %zu 件は 1 回と数え、%zu "
		          "行は読み飛ばしました\n"),
		        s->duplicates, s->skipped_lines);
	if (stats && s->domains)
		fprintf(out,
		        L("  DNS           %zu questions sent (%.1f a domain), %zu answered from "
		          "the cache; %zu sent again when overdue (%zu lost)\n",
		          "  DNS           質問 %zu 件 (1 ドメインあたり %.1f)、キャッシュから %zu "
		          "件、遅れた質問の再送 %zu 件 (失われたもの %zu)\n"),
		        stats->sent, (double)stats->sent / (double)s->domains, stats->cache_hits,
		        stats->resent, stats->lost);
	size_t n = s->findings.n;
	if (!n)
		return;
	size_t *order = xcalloc(n, sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	/* n is the number of distinct ids: at most the finding table's size */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && by_count(&s->findings, order[k - 1], order[k]) > 0;
		     k--) {
			size_t t = order[k];
			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	fprintf(out, L("  most frequent findings (domains):\n", "  多い指摘 (ドメイン数):\n"));
#undef L
	for (size_t i = 0; i < n && i < TOP; i++)
		fprintf(out, "    %7zu  %s\n", s->findings.v[order[i]].count,
		        dd_nameset_name(&s->findings, order[i]));
	free(order);
}

/* One file, line by line; a line without its newline (a killed run) or
 * that is not a result is skipped and said. */
static bool read_file(struct dd_summary *s, const char *path, FILE *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f) {
		fprintf(err, "dmarc-doctor: cannot read %s: %s\n", path, strerror(errno));
		return false;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long no = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		no++;
		bool complete = line[len - 1] == '\n';
		size_t n = (size_t)len;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		if (!complete || !dd_summary_add_json(s, line, n)) {
			s->skipped_lines++;
			fprintf(err, "dmarc-doctor: %s:%lu: %s, skipped\n", path, no,
			        complete ? "not a --format jsonl result"
			                 : "the last line is cut off (an interrupted run)");
		}
	}
	bool ok = !ferror(f);
	if (!ok)
		fprintf(err, "dmarc-doctor: %s: %s\n", path, strerror(errno));
	free(line);
	if (f != stdin)
		fclose(f);
	return ok;
}

int dd_summary_from_files(const char *const *files, size_t n, FILE *out, FILE *err,
                          enum dd_lang lang)
{
	struct dd_summary s;
	dd_summary_init(&s);
	bool ok = true;
	for (size_t i = 0; i < n; i++)
		ok &= read_file(&s, files[i], err);
	dd_summary_print(&s, out, 0, NULL, lang);
	dd_summary_finish(&s);
	return ok ? 0 : 2;
}
