/*
 * import.c: the report import (import.h). Each document found by the
 * unpack layer is hashed (SHA-256) first: a document imported before is a
 * duplicate without being parsed, which is what makes a re-import of a
 * mail folder or an archive directory cheap. Otherwise it is parsed and put
 * into the store, one report one transaction. Nothing here stops the run:
 * a bad input is counted, named and passed over.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reports/import.h"
#include "dd/render.h"
#include "dd/util.h"

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void dd_import_init(struct dd_import *im, struct dd_store *store, FILE *err)
{
	memset(im, 0, sizeof(*im));
	im->store = store;
	im->unpack = dd_unpack_default_limits;
	im->xml = dd_report_xml_default_limits;
	im->err = err;
	im->started = im->last_progress = now_seconds();
}

static void commit(struct dd_import *im);

void dd_import_finish(struct dd_import *im)
{
	commit(im);
	for (size_t i = 0; i < im->nskips; i++) {
		free(im->skips[i].origin);
		free(im->skips[i].reason);
	}
	free(im->skips);
	im->skips = NULL;
	im->nskips = 0;
}

const char *dd_import_kind_name(int kind)
{
	if (kind == DD_IMPORT_UNREADABLE)
		return "unreadable";
	if (kind == DD_IMPORT_STORE_FAILED)
		return "store failed";
	return dd_report_fault_name((enum dd_report_fault)kind);
}

/* The kind in the summary's language (the JSON keeps dd_import_kind_name). */
static const char *kind_words(int kind, enum dd_lang lang)
{
	static const char *const ja[DD_IMPORT_KINDS] = {
		[DD_REPORT_FAULT_NOT_A_REPORT] = "レポートでない",
		[DD_REPORT_FAULT_MALFORMED] = "整形式でない",
		[DD_REPORT_FAULT_TRUNCATED] = "途中で切れている",
		[DD_REPORT_FAULT_DTD] = "DTD かエンティティ",
		[DD_REPORT_FAULT_CAP] = "上限超え",
		[DD_REPORT_FAULT_INCOMPLETE] = "不完全",
		[DD_REPORT_FAULT_BAD_VALUE] = "ありえない値",
		[DD_IMPORT_UNREADABLE] = "読めない",
		[DD_IMPORT_STORE_FAILED] = "保存できない",
	};
	if (lang == DD_LANG_JA && kind > 0 && kind < DD_IMPORT_KINDS && ja[kind])
		return ja[kind];
	return dd_import_kind_name(kind);
}

static void clear_progress(struct dd_import *im)
{
	if (im->progress && im->err && im->last_progress > im->started)
		fputs("\r\033[K", im->err);
}

static void progress(struct dd_import *im)
{
	if (!im->progress || !im->err)
		return;
	double t = now_seconds();
	/* only once the run has taken a second, then five times a second */
	if (t - im->started < 1.0 || t - im->last_progress < 0.2)
		return;
	im->last_progress = t;
	fprintf(im->err,
	        DD_LANG_PICK(im->lang,
	                     "\r\033[Kimporting: %zu inputs, %zu new, %zu duplicates, %zu skipped",
	                     "\r\033[K取り込み中: 入力 %zu 件、新規 %zu 件、重複 %zu "
	                     "件、読み飛ばし %zu 件"),
	        im->inputs, im->new_reports, im->duplicates, im->skipped);
	fflush(im->err);
}

/* `text` (from a file name, an archive member or a report) for the terminal. */
static void print_escaped(FILE *f, const char *prefix, const char *text)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_text(&b, text, strlen(text));
	fprintf(f, "%s%s\n", prefix, b.s);
	dd_strbuf_finish(&b);
}

/*
 * One input not imported: counted, kept for the JSON with the English
 * reason, and named on err in the run's language. `said` is the whole line
 * when the reason names the origin itself (the XML reader's "origin:line:
 * reason"); NULL makes it "ORIGIN: reason".
 */
static void skip(struct dd_import *im, const char *origin, int kind, const struct dd_text *reason,
                 const struct dd_text *said)
{
	im->skipped++;
	im->by_kind[kind]++;
	if (im->nskips < DD_IMPORT_SKIPS_KEPT) {
		im->skips = xgrow(im->skips, &im->skips_cap, im->nskips + 1, sizeof(*im->skips));
		im->skips[im->nskips++] =
		        (struct dd_import_skip){ xstrdup(origin), xstrdup(reason->en), kind };
	}
	if (!im->err)
		return;
	clear_progress(im);
	const char *prefix = DD_LANG_PICK(im->lang, "dmarc-doctor: skipped ",
	                                  "dmarc-doctor: スキップしました: ");
	if (said) {
		print_escaped(im->err, prefix, dd_text_get(said, im->lang));
		return;
	}
	char *line = xasprintf("%s: %s", origin, dd_text_get(reason, im->lang));
	print_escaped(im->err, prefix, line);
	free(line);
}

static int unpack_kind(enum dd_unpack_skip kind)
{
	switch (kind) {
	case DD_UNPACK_NOT_A_REPORT: return DD_REPORT_FAULT_NOT_A_REPORT;
	case DD_UNPACK_OVER_CAP: return DD_REPORT_FAULT_CAP;
	case DD_UNPACK_UNREADABLE: break;
	}
	return DD_IMPORT_UNREADABLE;
}

static void on_skip(void *ctx, const char *origin, enum dd_unpack_skip kind,
                    const struct dd_text *reason)
{
	struct dd_import *im = ctx;
	im->inputs++;
	skip(im, origin, unpack_kind(kind), reason, NULL);
	progress(im);
}

/*
 * Reports are committed in batches (dd_store_begin): one commit - one
 * checkpoint's worth of page writes - per batch instead of per report
 * makes a long import several times faster; each report stays atomic.
 */
#define BATCH_REPORTS 1000
#define BATCH_SECONDS 1.0

/* err is SQLite's (English only), quoted as it is. */
static void store_failed(struct dd_import *im, const char *origin, const char *err)
{
	char *en = xasprintf("%s: not stored: %s", origin, err);
	char *ja = xasprintf("%s: 保存できません: %s", origin, err);
	const struct dd_text reason = { err, err }, said = { en, ja };
	skip(im, origin, DD_IMPORT_STORE_FAILED, &reason, &said);
	free(en);
	free(ja);
}

/* Ends the open batch; when the commit fails, its new reports are lost
 * and counted as skipped. */
static void commit(struct dd_import *im)
{
	if (!im->in_batch)
		return;
	char *err = NULL;
	im->in_batch = false;
	if (!dd_store_commit(im->store, &err)) {
		char *why = xasprintf("the commit of %zu reports failed: %s", im->batch_new, err);
		store_failed(im, dd_store_path(im->store), why);
		im->new_reports -= im->batch_new;
		im->skipped += im->batch_new ? im->batch_new - 1 : 0;
		im->by_kind[DD_IMPORT_STORE_FAILED] += im->batch_new ? im->batch_new - 1 : 0;
		free(why);
		free(err);
	}
	im->batch_puts = im->batch_new = 0;
}

void dd_import_document(struct dd_import *im, const char *origin, const unsigned char *data,
                        size_t len)
{
	unsigned char sha[EVP_MAX_MD_SIZE];
	unsigned int shalen = 0;
	im->inputs++;
	im->documents++;
	im->bytes += len;
	bool hashed = EVP_Digest(data, len, sha, &shalen, EVP_sha256(), NULL) == 1 &&
	              shalen == DD_STORE_SHA256_LEN;
	if (hashed && dd_store_has_document(im->store, sha)) {
		im->duplicates++;
		im->known++;
		progress(im);
		return;
	}
	struct dd_words why = { 0 };
	enum dd_report_fault fault = DD_REPORT_FAULT_NONE;
	struct dd_report *r = dd_report_xml_parse(origin, data, len, &im->xml, &why, &fault);
	if (!r) {
		/* "origin:line: reason": the reason is what follows the line */
		const char *reason = why.en;
		size_t n = strlen(origin);
		if (strncmp(why.en, origin, n) == 0 && why.en[n] == ':') {
			const char *after = strchr(why.en + n + 1, ':');
			reason = after && after[1] == ' ' ? after + 2 : why.en + n + 1;
		}
		const struct dd_text bare = { reason, reason }, said = { why.en, why.ja };
		skip(im, origin, (int)fault, &bare, &said);
		dd_words_finish(&why);
		progress(im);
		return;
	}
	char *err = NULL;
	if (!im->in_batch) {
		if (!dd_store_begin(im->store, &err)) {
			store_failed(im, origin, err);
			free(err);
			dd_report_destroy(r);
			return;
		}
		im->in_batch = true;
		im->batch_started = now_seconds();
	}
	im->batch_puts++;
	switch (dd_store_put_document(im->store, r, origin, hashed ? sha : NULL, &err)) {
	case DD_STORE_NEW:
		im->new_reports++;
		im->batch_new++;
		break;
	case DD_STORE_DUPLICATE: im->duplicates++; break;
	case DD_STORE_FAILED:
		store_failed(im, origin, err);
		free(err);
		break;
	}
	dd_report_destroy(r);
	if (im->batch_puts >= BATCH_REPORTS || now_seconds() - im->batch_started > BATCH_SECONDS)
		commit(im);
	progress(im);
}

static void on_document(void *ctx, const char *origin, const unsigned char *data, size_t len)
{
	dd_import_document(ctx, origin, data, len);
}

void dd_import_path(struct dd_import *im, const char *path)
{
	struct dd_unpack_sink sink = { on_document, on_skip, im };
	dd_unpack_path(path, &im->unpack, &sink);
	commit(im);
	im->seconds = now_seconds() - im->started;
	clear_progress(im);
	im->last_progress = im->started;
}

char *dd_import_summary(const struct dd_import *im)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	if (im->lang == DD_LANG_JA)
		dd_strbuf_addf(&b,
		               "入力 %zu 件: 新しいレポート %zu 件、重複 %zu 件、読み飛ばし %zu 件",
		               im->inputs, im->new_reports, im->duplicates, im->skipped);
	else
		dd_strbuf_addf(&b, "%zu input%s: %zu new report%s, %zu duplicate%s, %zu skipped",
		               im->inputs, im->inputs == 1 ? "" : "s", im->new_reports,
		               im->new_reports == 1 ? "" : "s", im->duplicates,
		               im->duplicates == 1 ? "" : "s", im->skipped);
	if (im->skipped) {
		const char *sep = " (";
		for (int k = 1; k < DD_IMPORT_KINDS; k++) {
			if (!im->by_kind[k])
				continue;
			if (im->lang == DD_LANG_JA)
				dd_strbuf_addf(&b, "%s%s %zu 件", sep, kind_words(k, im->lang),
				               im->by_kind[k]);
			else
				dd_strbuf_addf(&b, "%s%zu %s", sep, im->by_kind[k],
				               kind_words(k, im->lang));
			sep = DD_LANG_PICK(im->lang, ", ", "、");
		}
		dd_strbuf_adds(&b, ")");
	}
	dd_strbuf_addf(&b, DD_LANG_PICK(im->lang, " in %.1f s", " (%.1f 秒)"), im->seconds);
	return dd_strbuf_own(&b);
}

/* Text from files as JSON: bytes that are not UTF-8 become the text \xNN,
 * as everywhere in the JSON output. */
static void add_text(cJSON *o, const char *key, const char *text)
{
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_json(&b, text, strlen(text));
	cJSON_AddRawToObject(o, key, b.s);
	dd_strbuf_finish(&b);
}

cJSON *dd_import_json(const struct dd_import *im)
{
	cJSON *o = cJSON_CreateObject();
	add_text(o, "store", dd_store_path(im->store));
	cJSON_AddNumberToObject(o, "inputs", (double)im->inputs);
	cJSON_AddNumberToObject(o, "documents", (double)im->documents);
	cJSON_AddNumberToObject(o, "new", (double)im->new_reports);
	cJSON_AddNumberToObject(o, "duplicate", (double)im->duplicates);
	cJSON_AddNumberToObject(o, "known_documents", (double)im->known);
	cJSON_AddNumberToObject(o, "skipped", (double)im->skipped);
	cJSON *by = cJSON_AddObjectToObject(o, "skipped_by_reason");
	for (int k = 1; k < DD_IMPORT_KINDS; k++)
		if (im->by_kind[k])
			cJSON_AddNumberToObject(by, dd_import_kind_name(k), (double)im->by_kind[k]);
	cJSON *skips = cJSON_AddArrayToObject(o, "skips");
	for (size_t i = 0; i < im->nskips; i++) {
		cJSON *s = cJSON_CreateObject();
		add_text(s, "origin", im->skips[i].origin);
		add_text(s, "reason", im->skips[i].reason);
		cJSON_AddStringToObject(s, "kind", dd_import_kind_name(im->skips[i].kind));
		cJSON_AddItemToArray(skips, s);
	}
	cJSON_AddNumberToObject(o, "bytes", (double)im->bytes);
	cJSON_AddNumberToObject(o, "seconds", im->seconds);
	return o;
}
