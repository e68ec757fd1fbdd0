/*
 * run.c: the batch driver. Domains come from argv, then from -f FILE as a
 * stream; at most a window of them is in the gather engine at once; each
 * result is printed as soon as it and every domain before it are done
 * (input order), then freed, so memory does not grow with the number of
 * domains already printed. A bad line in a file is reported in its place and
 * the rest of the batch goes on. A domain is checked once however often the
 * input names it, and not at all when --resume found it in the output of an
 * earlier run. New domains are started while the engine keeps up: while
 * fewer questions wait than its window lets fly (gather.h).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "evidence.h"
#include "gather/gather.h"
#include "line_feed.h"
#include "lines.h"
#include "dnssec_ldns.h"
#include "nameset.h"
#include "psl.h"
#include "summary.h"
#include "gather/zone.h"
#include "reports/import.h"
#include "run.h"
#include "dd/util.h"

struct slot {
	struct batch *b;
	struct dd_posture *posture; /* gathered, for the judge's thread */
	struct dd_result *result;
	bool done; /* judged; written and read on the judge's thread only */
	bool bad_input;
};

/* A domain read from the input before it starts, so that its reports load
 * meanwhile; or a line that is not one (name NULL), reported in its place. */
struct ahead {
	char *name;
	char *display; /* NULL: the name */
	struct dd_words error;
};
#define AHEAD_MAX 256 /* run.c reads at most this many items ahead */
/* How often a batch waiting for the feed's next line looks for it between
 * its DNS answers (the DNS poll cannot wait for the feed's thread). */
#define FEED_POLL_MS 10
/* How often a batch whose next domain's reports are still loading looks
 * again between its DNS answers: a load is about 0.15 ms (issue 10). */
#define LOAD_POLL_MS 1
#define JUDGE_NICE   10 /* judge_main() */

struct batch {
	const struct dd_config *cfg;
	struct dd_check_options check;       /* cfg->check with the Public Suffix List attached */
	const struct dd_domain_arg *domains; /* argv's, or the zone origins */
	size_t ndomains;
	struct dd_baseline *baseline;
	struct dd_gather *gather;
	struct dd_render render;

	struct slot *ring;
	size_t window;
	size_t head; /* next to print: the judge's thread moves it, under mu */
	size_t tail; /* next to fill: this thread moves it, under mu */

	/* The judge's thread (judge_main) judges each gathered domain and
	 * prints the results in input order while this one drives the DNS:
	 * judging and printing were a third of a batch's one busy thread.
	 * `ready` (a ring of `window` slots) holds the slots handed over, in
	 * the order they were gathered. mu guards ready, head, tail, closed. */
	pthread_t judge;
	pthread_mutex_t mu;
	pthread_cond_t handed;  /* a slot is ready, or closed */
	pthread_cond_t printed; /* head moved */
	struct slot **ready;
	size_t ready_head, nready;
	bool closed; /* every domain is started and handed over */

	size_t next_arg;
	struct dd_line_reader lines; /* -f FILE */
	struct dd_line_feed *feed;   /* reads `lines` when FILE is not a regular file */
	FILE *file;
	const char *file_name;
	bool file_failed;
	bool input_done;               /* the input is read to its end */
	bool exhausted;                /* ... and every item of it started */
	bool awaiting_load;            /* the next domain's reports are still loading */
	struct ahead ahead[AHEAD_MAX]; /* read, not started: a ring */
	size_t ahead_head, nahead, ahead_depth;

	struct dd_run_summary sum;
	struct dd_summary summary;
	struct dd_nameset seen;    /* domains started (a duplicate is checked once) */
	struct dd_nameset resumed; /* domains in the --resume file */
	size_t total;              /* domains in the input, when known (0: standard input) */
	_Atomic size_t skipped;    /* duplicates and resumed domains (progress() reads it) */
	struct timespec started, last_progress;
	bool progress;

	/* The report store (--reports, --store), filled before the first
	 * domain starts, then closed by start_loader(); NULL without. A
	 * domain's reports are loaded ahead by the loader, on a connection of
	 * its own, and attached before it is gathered (cmd/evidence.h). */
	struct dd_store *store;
	struct dd_evidence_loader *loader;
	bool reports_skipped; /* an input of --reports was skipped: exit 2 */
};

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* To the judge's thread: a gathered domain, or a bad line's result. */
static void hand_over(struct batch *b, struct slot *s)
{
	pthread_mutex_lock(&b->mu);
	b->ready[(b->ready_head + b->nready++) % b->window] = s;
	pthread_cond_signal(&b->handed);
	pthread_mutex_unlock(&b->mu);
}

static void on_gathered(void *arg, struct dd_posture *p)
{
	struct slot *s = arg;
	s->posture = p;
	hand_over(s->b, s);
}

/* On the judge's thread. */
static void judge_slot(struct batch *b, struct slot *s)
{
	if (!s->result) {
		struct dd_posture *p = s->posture;
		s->result = dd_result_create(p->domain, p->display);
		dd_judge(s->result, p);
		if (b->loader)
			dd_evidence_loader_release(b->loader, p);
		dd_baseline_apply(b->baseline, s->result);
	}
	s->done = true;
}

enum input { INPUT_ITEM, INPUT_NOT_YET, INPUT_END };

static enum input read_failed(struct batch *b, int err)
{
	fprintf(stderr, "dmarc-doctor: %s: %s\n", b->file_name, strerror(err));
	b->file_failed = true;
	return INPUT_END;
}

/*
 * The next domain line of -f FILE (lines.h), *line owned by the caller:
 * read here from a regular file, taken from the feed otherwise
 * (line_feed.h), which may have none yet.
 */
static enum input next_line(struct batch *b, char **line, const struct dd_text **bad,
                            unsigned long *line_no)
{
	if (!b->feed) {
		char *l;
		switch (dd_line_next(&b->lines, &l, bad)) {
		case DD_LINE_OK:
			*line = xstrdup(l);
			*line_no = b->lines.line_no;
			return INPUT_ITEM;
		case DD_LINE_ERROR: return read_failed(b, errno);
		case DD_LINE_END: return INPUT_END;
		}
		return INPUT_END;
	}
	int err = 0;
	switch (dd_line_feed_take(b->feed, line, bad, line_no, &err)) {
	case DD_FEED_LINE: return INPUT_ITEM;
	case DD_FEED_EMPTY: return INPUT_NOT_YET;
	case DD_FEED_ERROR: return read_failed(b, err);
	case DD_FEED_END: break;
	}
	return INPUT_END;
}

/* Checked already: earlier in this input, or in the --resume file. */
static bool already(struct batch *b, const char *name, const char *raw)
{
	if (dd_nameset_has(&b->resumed, name) || (raw && dd_nameset_has(&b->resumed, raw)) ||
	    !dd_nameset_add(&b->seen, name)) {
		b->skipped++;
		return true;
	}
	return false;
}

/* The next item of the input not checked already. */
static enum input read_input(struct batch *b, struct ahead *a)
{
	for (;;) {
		char *line = NULL;
		const struct dd_text *bad = NULL;
		unsigned long line_no = 0;
		if (b->next_arg < b->ndomains) {
			const struct dd_domain_arg *d = &b->domains[b->next_arg++];
			if (already(b, d->name, NULL))
				continue;
			*a = (struct ahead){ .name = xstrdup(d->name),
				             .display = d->display ? xstrdup(d->display) : NULL };
			return INPUT_ITEM;
		}
		enum input got = b->file ? next_line(b, &line, &bad, &line_no) : INPUT_END;
		if (got != INPUT_ITEM)
			return got;
		struct dd_words why = { 0 };
		if (bad)
			dd_words_set(&why, xstrdup(bad->en), xstrdup(bad->ja));
		char *owned = bad ? NULL : dd_domain_from_input(line, &why);
		if (already(b, owned ? owned : line, line)) {
			dd_words_finish(&why);
			free(owned);
			free(line);
			continue;
		}
		*a = (struct ahead){ .name = owned, .display = line };
		if (!owned)
			dd_words_set(&a->error,
			             xasprintf("%s:%lu: '%s' is not a valid domain: %s",
			                       b->file_name, line_no, line, why.en),
			             xasprintf("%s:%lu: '%s' はドメイン名として不正です: %s",
			                       b->file_name, line_no, line, why.ja));
		dd_words_finish(&why);
		return INPUT_ITEM;
	}
}

/* Reads the input up to b->ahead_depth items ahead, each domain's reports
 * queued for loading meanwhile (evidence.h). */
static void read_ahead(struct batch *b)
{
	while (b->nahead < b->ahead_depth && !b->input_done) {
		struct ahead *a = &b->ahead[(b->ahead_head + b->nahead) % AHEAD_MAX];
		enum input got = read_input(b, a);
		if (got == INPUT_NOT_YET)
			break;
		if (got == INPUT_END) {
			b->input_done = true;
			break;
		}
		b->nahead++;
		if (a->name && b->loader)
			dd_evidence_loader_push(b->loader, a->name);
	}
}

/* Fills the slot at the tail with the next domain; false when there is none. */
static bool start_next(struct batch *b)
{
	read_ahead(b);
	if (b->nahead == 0) {
		b->exhausted = b->input_done; /* else the feed has no line yet */
		return false;
	}
	/* its reports not loaded yet: the DNS of the domains in flight goes on
	 * meanwhile (the loop below looks again soon); with none in flight
	 * there is nothing else to do, and attach waits */
	b->awaiting_load = b->loader && b->ahead[b->ahead_head].name &&
	                   dd_gather_active(b->gather) && !dd_evidence_loader_head_ready(b->loader);
	if (b->awaiting_load)
		return false;
	struct ahead a = b->ahead[b->ahead_head];
	b->ahead_head = (b->ahead_head + 1) % AHEAD_MAX;
	b->nahead--;
	struct slot *s = &b->ring[b->tail % b->window];
	memset(s, 0, sizeof(*s));
	s->b = b;
	pthread_mutex_lock(&b->mu);
	b->tail++;
	pthread_mutex_unlock(&b->mu);
	if (!a.name) { /* a line that is not a domain, reported in its place */
		s->result = dd_result_create(a.display, a.display);
		s->result->status = DD_RESULT_ERROR;
		s->result->error = a.error; /* owned by the result now */
		s->bad_input = true;
		free(a.display);
		hand_over(b, s);
		return true;
	}
	struct dd_posture *p = dd_posture_create(a.name, a.display, &b->check);
	if (b->loader)
		dd_evidence_loader_attach(b->loader, p);
	free(a.name);
	free(a.display);
	dd_gather_start(b->gather, p, on_gathered, s);
	return true;
}

static bool fails_gate(const struct dd_config *cfg, const struct dd_result *r)
{
	for (size_t i = 0; i < r->findings.n; i++)
		if (dd_finding_fails_gate(&r->findings.v[i], cfg->fail_on))
			return true;
	return false;
}

static void count(struct batch *b, const struct slot *s)
{
	const struct dd_result *r = s->result;
	b->sum.domains++;
	if (s->bad_input)
		b->sum.bad_input++;
	else if (r->status == DD_RESULT_ERROR)
		b->sum.errors++;
	else if (fails_gate(b->cfg, r))
		b->sum.failing++;
	else if (r->undetermined)
		b->sum.undetermined++;
	else
		b->sum.clean++;
	dd_summary_add_result(&b->summary, r, s->bad_input);
}

/* done/total, domains/s, ETA and failures, on one line of a terminal's stderr. */
static void progress(struct batch *b, bool final)
{
	if (!b->progress)
		return;
	if (final) {
		fputs("\r\033[K", stderr);
		return;
	}
	if (seconds_since(&b->last_progress) < 0.2)
		return;
	clock_gettime(CLOCK_MONOTONIC, &b->last_progress);
	double t = seconds_since(&b->started);
	double rate = t > 0 ? (double)b->sum.domains / t : 0.0;
	size_t done = b->sum.domains + b->skipped;
	enum dd_lang lang = b->render.opts.lang;
	fprintf(stderr, "\r\033[K%zu", done);
	if (b->total)
		fprintf(stderr, "/%zu", b->total);
	fprintf(stderr, DD_LANG_PICK(lang, " domains, %.0f/s", " ドメイン、毎秒 %.0f"), rate);
	if (b->total > done && rate > 0) {
		unsigned long eta = (unsigned long)((double)(b->total - done) / rate + 0.5);
		fprintf(stderr, DD_LANG_PICK(lang, ", ETA %lu:%02lu", "、残り %lu:%02lu"), eta / 60,
		        eta % 60);
	}
	size_t failed = b->sum.errors + b->sum.undetermined + b->sum.bad_input;
	if (failed)
		fprintf(stderr,
		        DD_LANG_PICK(lang, ", %zu undetermined or failed",
		                     "、判定できずか失敗 %zu"),
		        failed);
}

/* Prints, in input order, the judged results that no earlier one waits
 * for; on the judge's thread. */
static void flush_done(struct batch *b)
{
	pthread_mutex_lock(&b->mu);
	size_t head = b->head, tail = b->tail;
	pthread_mutex_unlock(&b->mu);
	while (head < tail) {
		struct slot *s = &b->ring[head % b->window];
		if (!s->done)
			break;
		count(b, s);
		progress(b, true);
		b->render.impl->result(&b->render, s->result);
		b->render.count++;
		fflush(b->render.out);
		dd_result_destroy(s->result);
		s->result = NULL;
		head++;
		pthread_mutex_lock(&b->mu);
		b->head = head; /* the slot is this thread's no more */
		pthread_cond_signal(&b->printed);
		pthread_mutex_unlock(&b->mu);
	}
	progress(b, false);
}

/* The judge's thread: until closed and every slot handed over is printed. */
static void *judge_main(void *arg)
{
	struct batch *b = arg;
	/* below the DNS: on a machine whose resolver shares the cores (a
	 * local unbound, the bench's NSD), a judge at the same priority took
	 * the resolver's CPU, its socket overflowed and the lost questions
	 * cost c-ares timeouts; the ring holds the gathered domains meanwhile */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), JUDGE_NICE);
	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (b->nready == 0 && !b->closed)
			pthread_cond_wait(&b->handed, &b->mu);
		if (b->nready == 0)
			break;
		struct slot *s = b->ready[b->ready_head];
		b->ready_head = (b->ready_head + 1) % b->window;
		b->nready--;
		pthread_mutex_unlock(&b->mu);
		judge_slot(b, s);
		flush_done(b);
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

/* Room in the ring for another domain: fewer than `window` unprinted. */
static bool ring_has_room(struct batch *b)
{
	pthread_mutex_lock(&b->mu);
	bool room = b->tail - b->head < b->window;
	pthread_mutex_unlock(&b->mu);
	return room;
}

/* Nothing is in the engine and the ring is full: wait for the judge's
 * thread to print one. */
static void wait_for_room(struct batch *b)
{
	pthread_mutex_lock(&b->mu);
	while (b->tail - b->head >= b->window)
		pthread_cond_wait(&b->printed, &b->mu);
	pthread_mutex_unlock(&b->mu);
}

static int exit_code(const struct batch *b)
{
	if (b->sum.bad_input || b->file_failed || b->reports_skipped)
		return DD_EXIT_USAGE;
	if (b->sum.failing)
		return DD_EXIT_FINDINGS;
	if (b->sum.undetermined || b->sum.errors)
		return DD_EXIT_DNS;
	return DD_EXIT_OK;
}

/* Zone errors read like a compiler's (file:line: error: ...), DNS text escaped. */
static void zone_error(const struct dd_zone_error *e)
{
	char *msg = dd_zone_error_format(e);
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	dd_escape_text(&b, msg, strlen(msg));
	fprintf(stderr, "%s\n", b.s);
	dd_strbuf_finish(&b);
	free(msg);
}

/* "cannot write FILE: why" on stderr, in the run's language (a macro, so
 * that -Wformat checks both). */
#define CANNOT_WRITE(lang)                                                                         \
	DD_LANG_PICK(lang, "dmarc-doctor: cannot write %s: %s\n",                                  \
	             "dmarc-doctor: %s に書き込めません: %s\n")

/* Every --zone, loaded; NULL after reporting the first that fails. */
static struct dd_zone **load_zones(const struct dd_config *cfg)
{
	struct dd_zone **zones = xcalloc(cfg->nzones, sizeof(*zones));
	for (size_t i = 0; i < cfg->nzones; i++) {
		struct dd_zone_error e;
		zones[i] = dd_zone_load(cfg->zones[i].path, cfg->zones[i].origin, &e);
		const char *dup = NULL;
		for (size_t k = 0; zones[i] && k < i; k++)
			if (strcmp(dd_zone_origin(zones[k]), dd_zone_origin(zones[i])) == 0)
				dup = dd_zone_path(zones[k]);
		if (zones[i] && !dup)
			continue;
		if (dup)
			fprintf(stderr,
			        DD_LANG_PICK(cfg->lang,
			                     "dmarc-doctor: %s and %s are both the zone %s\n",
			                     "dmarc-doctor: %s と %s はどちらもゾーン %s です\n"),
			        dup, cfg->zones[i].path, dd_zone_origin(zones[i]));
		else
			zone_error(&e);
		dd_zone_error_finish(&e);
		for (size_t k = 0; k <= i; k++)
			dd_zone_destroy(zones[k]);
		free(zones);
		return NULL;
	}
	return zones;
}

/* Live DNS, behind the zones when there are any (it takes them). */
static struct dd_resolver *make_resolver(const struct dd_config *cfg, struct dd_zone **zones)
{
	struct dd_resolver *res = NULL;
	if (!cfg->check.offline) {
		struct dd_cares_options o = {
			.servers = cfg->resolvers,
			.timeout_ms = cfg->timeout_ms,
			.tries = cfg->retries + 1,
			.resend = cfg->qps <= 0,
		};
		char *err = NULL;
		res = dd_resolver_cares_create(&o, &err);
		if (!res) {
			fprintf(stderr, "dmarc-doctor: %s\n", err);
			free(err);
			for (size_t i = 0; i < cfg->nzones; i++)
				dd_zone_destroy(zones[i]);
			return NULL;
		}
	}
	if (cfg->nzones) /* the zones in front; offline, nothing behind them */
		res = dd_resolver_zone_create(zones, cfg->nzones, res);
	return res;
}

/* HTTPS for MTA-STS and BIMI; DMARC_DOCTOR_TEST_HTTPS_PORT is for tests only. */
static struct dd_http *make_http(const struct dd_config *cfg)
{
	struct dd_http_curl_options o = {
		.ca_file = cfg->ca_file,
		.connect_timeout_ms = cfg->timeout_ms * 2,
		.timeout_ms = cfg->timeout_ms * 4,
	};
	const char *port = getenv("DMARC_DOCTOR_TEST_HTTPS_PORT");
	if (port && *port) {
		char *end;
		long v = strtol(port, &end, 10);
		if (*end || v < 1 || v > 65535) {
			fprintf(stderr,
			        "dmarc-doctor: DMARC_DOCTOR_TEST_HTTPS_PORT '%s': not a port\n",
			        port);
			return NULL;
		}
		o.port_override = (uint16_t)v;
	}
	if (cfg->ca_file && access(cfg->ca_file, R_OK) != 0) {
		fprintf(stderr,
		        DD_LANG_PICK(cfg->lang, "dmarc-doctor: cannot read %s: %s\n",
		                     "dmarc-doctor: %s を読めません: %s\n"),
		        cfg->ca_file, strerror(errno));
		return NULL;
	}
	char *err = NULL;
	struct dd_http *h = dd_http_curl_create(&o, &err);
	if (!h) {
		fprintf(stderr, "dmarc-doctor: %s\n", err);
		free(err);
	}
	return h;
}

static bool use_color(const struct dd_config *cfg)
{
	const char *no_color = getenv("NO_COLOR");
	return !cfg->no_color && !(no_color && *no_color) && !cfg->output && isatty(STDOUT_FILENO);
}

static struct dd_store *open_store(const struct dd_config *cfg)
{
	char *path = cfg->store ? xstrdup(cfg->store) : dd_store_default_path();
	char *err = NULL;
	struct dd_store *s = dd_store_open(path, &err);
	if (!s) {
		fprintf(stderr, "dmarc-doctor: report store: %s\n", err);
		free(err);
	}
	free(path);
	return s;
}

/* Every path of --reports (or of --import) into the store; false when
 * something was skipped. Each skip is named on stderr as it happens. */
static bool import_reports(const struct dd_config *cfg, struct dd_store *s, struct dd_import *im)
{
	dd_import_init(im, s, stderr);
	im->progress = isatty(STDERR_FILENO);
	im->lang = cfg->lang;
	for (size_t i = 0; i < cfg->nreports; i++)
		dd_import_path(im, cfg->reports[i]);
	return im->skipped == 0;
}

/* --import PATH...: the summary (or its JSON) on stdout, nothing checked. */
static int run_import(const struct dd_config *cfg)
{
	struct dd_store *s = open_store(cfg);
	if (!s)
		return DD_EXIT_USAGE;
	struct dd_import im;
	bool clean = import_reports(cfg, s, &im);
	const char *fmt = cfg->format->name;
	if (strcmp(fmt, "json") == 0 || strcmp(fmt, "jsonl") == 0) {
		cJSON *o = dd_import_json(&im);
		char *text = strcmp(fmt, "json") == 0 ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
		printf("%s\n", text);
		free(text);
		cJSON_Delete(o);
	} else {
		char *line = dd_import_summary(&im);
		printf("%s\n", line);
		free(line);
	}
	fflush(stdout);
	dd_import_finish(&im);
	dd_store_close(s);
	return clean ? DD_EXIT_OK : DD_EXIT_USAGE;
}

/*
 * The DNSSEC validator and trust anchor for the checks. A --trust-anchor
 * that does not load is a usage error; without the option, a machine
 * without Debian's dns-root-data just checks no DNSSEC (reported unknown).
 * The checks validate at the run's clock (opts->now, read once by dd_run).
 */
static bool attach_dnssec(const struct dd_config *cfg, struct dd_trust_anchor *ta,
                          struct dd_check_options *opts)
{
	if (cfg->no_dnssec)
		return true;
	char *err = NULL;
	const char *path = cfg->trust_anchor ? cfg->trust_anchor : DD_DEFAULT_TRUST_ANCHOR;
	if (!dd_trust_anchor_load(path, ta, &err)) {
		bool fatal = cfg->trust_anchor != NULL;
		if (fatal)
			fprintf(stderr, "dmarc-doctor: %s\n", err);
		free(err);
		return !fatal;
	}
	opts->dnssec = &dd_dnssec_ldns_ops;
	opts->dnssec_ctx = NULL;
	opts->trust_anchor = (const char *const *)ta->rrs;
	opts->ntrust_anchor = ta->n;
	return true;
}

/* Non-empty, non-comment lines of a regular file, for the progress line. */
static size_t count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;
	bool text = false, comment = false;
	int c;
	if (!f)
		return 0;
	while ((c = getc(f)) != EOF) {
		if (c == '\n') {
			n += text;
			text = comment = false;
		} else if (c == '#') {
			comment = true;
		} else if (!comment && c != ' ' && c != '\t' && c != '\r') {
			text = true;
		}
	}
	n += text;
	fclose(f);
	return n;
}

/*
 * --resume FILE: the domains of every complete line of an earlier --format
 * jsonl run. A run that was killed may have left its last line cut off: that
 * domain is checked again, and the cut-off bytes are dropped from FILE so
 * that the new results can be appended to it (>> FILE). Nothing is lost,
 * nothing is there twice.
 */
static bool load_resume(struct batch *b, const char *path, enum dd_lang lang)
{
	FILE *f = fopen(path, "r+");
	if (!f && errno == ENOENT)
		return true; /* nothing done yet: the first run */
	if (!f)
		f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "dmarc-doctor: --resume %s: %s\n", path, strerror(errno));
		return false;
	}
	struct stat st, out;
	if (fstat(fileno(f), &st) == 0 && fstat(STDOUT_FILENO, &out) == 0 &&
	    st.st_dev == out.st_dev && st.st_ino == out.st_ino &&
	    !(fcntl(STDOUT_FILENO, F_GETFL) & O_APPEND)) {
		fprintf(stderr,
		        DD_LANG_PICK(
		                lang,
		                "dmarc-doctor: --resume %s: standard output is that file, opened "
		                "without append; use >> %s, as > empties it before the run "
		                "starts\n",
		                "dmarc-doctor: --resume %s: 標準出力がそのファイルで、追記なしで"
		                "開かれています。> は実行前にファイルを空にするので、>> %s "
		                "を使ってください\n"),
		        path, path);
		fclose(f);
		return false;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	off_t good = 0; /* the end of the last complete line */
	bool cut = false;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] != '\n') {
			cut = true;
			break;
		}
		good += (off_t)len;
		cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "domain");
		if (cJSON_IsString(d))
			dd_nameset_add(&b->resumed, d->valuestring);
		cJSON_Delete(o);
	}
	free(line);
	if (cut && S_ISREG(st.st_mode)) {
		if (ftruncate(fileno(f), good) == 0)
			fprintf(stderr,
			        DD_LANG_PICK(
			                lang,
			                "dmarc-doctor: --resume %s: dropped the cut-off last line "
			                "of an interrupted run (%lld bytes); its domain is checked "
			                "again\n",
			                "dmarc-doctor: --resume %s: 中断された実行の途中で切れた"
			                "最後の行 (%lld バイト) を削除しました。そのドメインは"
			                "もう一度確認します\n"),
			        path, (long long)(st.st_size - good));
		else
			fprintf(stderr,
			        DD_LANG_PICK(
			                lang,
			                "dmarc-doctor: --resume %s: cannot drop the cut-off last "
			                "line: %s\n",
			                "dmarc-doctor: --resume %s: 途中で切れた最後の行を削除"
			                "できません: %s\n"),
			        path, strerror(errno));
	}
	fclose(f);
	return true;
}

/*
 * The loader of the domains' reports (evidence.h), on its own connection
 * to the store; the batch's connection, done with the import, is closed.
 * The input is read ahead only where that cannot block: a regular file,
 * or the feed of a terminal or a pipe (line_feed.h), of which only the
 * lines already written are taken.
 */
static bool start_loader(struct batch *b)
{
	struct stat st;
	if (!b->file || b->feed || (fstat(fileno(b->file), &st) == 0 && S_ISREG(st.st_mode)))
		b->ahead_depth = AHEAD_MAX; /* else dd_run()'s 1 */
	char *err = NULL;
	b->loader = dd_evidence_loader_create(dd_store_path(b->store), b->check.reports_from,
	                                      b->check.reports_to, b->ahead_depth, &err);
	if (!b->loader) {
		fprintf(stderr, "dmarc-doctor: report store: %s\n", err);
		free(err);
		return false;
	}
	dd_store_close(b->store);
	b->store = NULL;
	return true;
}

int dd_run(const struct dd_config *cfg)
{
	struct batch b;
	struct dd_zone **zones = NULL;        /* until the resolver takes them */
	struct dd_domain_arg *origins = NULL; /* names owned by the zones */
	struct dd_resolver *res = NULL;
	struct dd_psl *psl = NULL;
	struct dd_http *http = NULL;
	struct dd_trust_anchor anchor = { 0 };
	int code = DD_EXIT_USAGE;
	FILE *out = stdout;
	enum dd_lang lang = cfg->lang;
	if (cfg->nsummary_files)
		return dd_summary_from_files(cfg->summary_files, cfg->nsummary_files, stdout,
		                             stderr, cfg->lang);
	memset(&b, 0, sizeof(b));
	pthread_mutex_init(&b.mu, NULL);
	pthread_cond_init(&b.handed, NULL);
	pthread_cond_init(&b.printed, NULL);
	if (cfg->import_only)
		return run_import(cfg);
	dd_summary_init(&b.summary);
	dd_nameset_init(&b.seen);
	dd_nameset_init(&b.resumed);
	b.cfg = cfg;
	b.ahead_depth = 1; /* one line at a time; start_loader() may read further */
	b.domains = cfg->domains;
	b.ndomains = cfg->ndomains;
	if (cfg->nreports || cfg->store) {
		/* the reports are in the store before the first domain is judged */
		if (!(b.store = open_store(cfg)))
			goto out;
		if (cfg->nreports) {
			struct dd_import im;
			b.reports_skipped = !import_reports(cfg, b.store, &im);
			char *line = dd_import_summary(&im);
			fprintf(stderr, "dmarc-doctor: reports: %s\n", line);
			free(line);
			dd_import_finish(&im);
		}
	}
	if (cfg->baseline) {
		char *err = NULL;
		if (!(b.baseline = dd_baseline_load(cfg->baseline, &err))) {
			fprintf(stderr, "dmarc-doctor: %s\n", err);
			free(err);
			goto out;
		}
	}
	if (cfg->resume && !load_resume(&b, cfg->resume, lang))
		goto out;
	if (cfg->nzones && !(zones = load_zones(cfg)))
		goto out;
	if (cfg->nzones && cfg->ndomains == 0 && !cfg->domains_file) {
		/* --zone and no domain: check the zones' origins, in order */
		origins = xcalloc(cfg->nzones, sizeof(*origins));
		for (size_t i = 0; i < cfg->nzones; i++) {
			const char *o = dd_zone_origin(zones[i]);
			origins[i] = (struct dd_domain_arg){ (char *)o, (char *)o };
		}
		b.domains = origins;
		b.ndomains = cfg->nzones;
	}
	if (cfg->domains_file) {
		bool is_stdin = strcmp(cfg->domains_file, "-") == 0;
		b.file_name = is_stdin ? "(standard input)" : cfg->domains_file;
		b.file = is_stdin ? stdin : fopen(cfg->domains_file, "r");
		if (!b.file) {
			fprintf(stderr,
			        DD_LANG_PICK(lang, "dmarc-doctor: cannot read %s: %s\n",
			                     "dmarc-doctor: %s を読めません: %s\n"),
			        cfg->domains_file, strerror(errno));
			goto out;
		}
		b.lines.file = b.file;
		struct stat st;
		if (fstat(fileno(b.file), &st) != 0 || !S_ISREG(st.st_mode))
			b.feed = dd_line_feed_start(&b.lines, AHEAD_MAX); /* NULL: read here */
	}
	/* the resolver takes the zones: they live until the results are printed */
	res = make_resolver(cfg, zones);
	free(zones);
	zones = NULL;
	if (!res)
		goto out;
	b.check = cfg->check;
	/* one domain: its wall time matters, not its questions (dkim.c) */
	b.check.dkim_eager = !cfg->domains_file && b.ndomains == 1;
	/* one clock for the run, the checks never read it: certificates and
	 * DNSSEC signatures are judged at it, the report window ends at it */
	b.check.now = (int64_t)time(NULL);
	b.check.reports_to = b.check.now;
	b.check.reports_from = b.check.reports_to - (int64_t)cfg->since_days * 86400;
	if (b.store && !start_loader(&b))
		goto out;
	psl = dd_psl_open();
	dd_psl_attach(psl, &b.check);
	if (!attach_dnssec(cfg, &anchor, &b.check))
		goto out;
	struct dd_gather_limits limits;
	dd_gather_limits_default(&limits);
	limits.max_inflight = cfg->concurrency;
	if (limits.initial_inflight > cfg->concurrency)
		limits.initial_inflight = cfg->concurrency;
	limits.qps = cfg->qps;
	limits.try_timeout_ms = cfg->timeout_ms;
	b.gather = dd_gather_create(res, &limits);
	if (!b.check.no_http && !b.check.offline) {
		if (!(http = make_http(cfg)))
			goto out;
		dd_gather_set_http(b.gather, http);
	}

	/* Room for the domains between the oldest unprinted one and the newest
	 * started: how many are really in flight is decided by the engine's
	 * backlog (the loop below), this only bounds memory. Measured on the
	 * 100 000-domain bench world: with at most 1024 the peak RSS was 62-67
	 * MiB from run to run (finished domains waiting for the judge hold all
	 * their answers), with 512 it is 47-49 MiB at the same domains/s. */
	b.window = cfg->concurrency / 4;
	b.window = b.window < 16 ? 16 : b.window > 512 ? 512 : b.window;
	b.ring = xcalloc(b.window, sizeof(*b.ring));
	b.ready = xcalloc(b.window, sizeof(*b.ready));
	if (cfg->output && !(out = fopen(cfg->output, "w"))) {
		fprintf(stderr, CANNOT_WRITE(lang), cfg->output, strerror(errno));
		out = stdout; /* nothing of ours to close */
		goto out;
	}
	b.render = (struct dd_render){
		.impl = cfg->format,
		.out = out,
		.opts = {
			.lang = cfg->lang,
			.color = use_color(cfg),
			.verbose = cfg->verbose,
			.many = cfg->domains_file != NULL || b.ndomains > 1,
			.baseline = b.baseline != NULL,
			.fail_on = cfg->fail_on,
		},
	};
	b.progress = b.render.opts.many && isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
	b.total = b.ndomains;
	if (b.progress && b.file && b.file != stdin)
		b.total += count_lines(cfg->domains_file);
	clock_gettime(CLOCK_MONOTONIC, &b.started);

	if (b.render.impl->begin)
		b.render.impl->begin(&b.render);
	if (pthread_create(&b.judge, NULL, judge_main, &b) != 0) {
		fprintf(stderr,
		        DD_LANG_PICK(lang, "dmarc-doctor: cannot start a thread: %s\n",
		                     "dmarc-doctor: スレッドを開始できません: %s\n"),
		        strerror(errno));
		goto out;
	}
	while (!b.exhausted || dd_gather_active(b.gather)) {
		b.awaiting_load = false; /* start_next() says */
		while (!b.exhausted && ring_has_room(&b) &&
		       dd_gather_backlog(b.gather) < dd_gather_stats(b.gather)->window)
			if (!start_next(&b))
				break;
		/* the feed has no line yet: look again soon, or wait for one */
		bool starved = b.feed && !b.exhausted && b.nahead == 0 && ring_has_room(&b);
		if (dd_gather_active(b.gather))
			dd_gather_step(b.gather, b.awaiting_load ? LOAD_POLL_MS
			                         : starved       ? FEED_POLL_MS
			                                         : 200);
		else if (starved)
			dd_line_feed_wait(b.feed);
		else if (!b.exhausted)
			wait_for_room(&b);
	}
	pthread_mutex_lock(&b.mu);
	b.closed = true;
	pthread_cond_signal(&b.handed);
	pthread_mutex_unlock(&b.mu);
	pthread_join(b.judge, NULL);
	progress(&b, true);
	b.sum.seconds = seconds_since(&b.started);
	if (b.render.impl->end)
		b.render.impl->end(&b.render, &b.sum);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, CANNOT_WRITE(lang),
		        cfg->output ? cfg->output
		                    : DD_LANG_PICK(lang, "standard output", "標準出力"),
		        strerror(errno));
		code = DD_EXIT_USAGE;
		goto out;
	}
	if (cfg->summary || (b.render.opts.many && isatty(STDERR_FILENO))) {
		dd_summary_print(&b.summary, stderr, b.sum.seconds, dd_gather_stats(b.gather),
		                 lang);
		fprintf(stderr,
		        DD_LANG_PICK(lang, "  --fail-on     %zu failing, %zu clean\n",
		                     "  --fail-on     不合格 %zu、合格 %zu\n"),
		        b.sum.failing, b.sum.clean);
		if (b.skipped)
			fprintf(stderr,
			        DD_LANG_PICK(lang,
			                     "  skipped       %zu (named twice, or already in "
			                     "--resume)\n",
			                     "  読み飛ばし    %zu (2 回目の指定か、--resume "
			                     "に既にあるもの)\n"),
			        b.skipped);
	}

	code = exit_code(&b);
out:
	dd_resolver_destroy(res); /* first: it may still hold questions of the engine */
	dd_http_destroy(http);    /* likewise its fetches */
	dd_gather_destroy(b.gather);
	for (size_t i = 0; zones && i < cfg->nzones; i++)
		dd_zone_destroy(zones[i]);
	free(zones);
	dd_baseline_destroy(b.baseline);
	free(origins);
	free(b.ring);
	free(b.ready);
	pthread_cond_destroy(&b.handed);
	pthread_cond_destroy(&b.printed);
	pthread_mutex_destroy(&b.mu);
	dd_psl_close(psl);
	dd_evidence_loader_destroy(b.loader);
	dd_store_close(b.store);
	for (size_t i = 0; i < b.nahead; i++) {
		struct ahead *a = &b.ahead[(b.ahead_head + i) % AHEAD_MAX];
		free(a->name);
		free(a->display);
		dd_words_finish(&a->error);
	}
	dd_trust_anchor_finish(&anchor);
	/* a feed still in a read keeps the file (line_feed.h) */
	if (dd_line_feed_stop(b.feed) && b.file && b.file != stdin)
		fclose(b.file);
	dd_summary_finish(&b.summary);
	dd_nameset_finish(&b.seen);
	dd_nameset_finish(&b.resumed);
	if (out != stdout && fclose(out) != 0 && code != DD_EXIT_USAGE) {
		fprintf(stderr, CANNOT_WRITE(lang), cfg->output, strerror(errno));
		code = DD_EXIT_USAGE;
	}
	return code;
}
