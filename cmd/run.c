/*
 * run.c: the batch driver. Domains come from argv, then from -f FILE as a
 * stream; at most a window of them is in the gather engine at once; each
 * result is printed as soon as it and every domain before it are done
 * (input order), then freed, so memory does not grow with the number of
 * domains already printed. A bad line in a file is reported in its place and
 * the rest of the batch goes on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "evidence.h"
#include "gather/gather.h"
#include "psl.h"
#include "gather/zone.h"
#include "run.h"
#include "dd/util.h"

/* A domain is at most 253 octets, and as a U-label at most 4 bytes a
 * character: a longer line is no domain and is not kept whole, so that a
 * line without end (on standard input) cannot grow memory. */
#define MAX_LINE 4096

struct slot {
	struct batch *b;
	struct dd_result *result;
	bool done;
	bool bad_input;
};

struct batch {
	const struct dd_config *cfg;
	struct dd_check_options check;       /* cfg->check with the Public Suffix List attached */
	const struct dd_domain_arg *domains; /* argv's, or the zone origins */
	size_t ndomains;
	struct dd_baseline *baseline;
	struct dd_store *store; /* the report store, NULL without one */
	struct dd_gather *gather;
	struct dd_render render;

	struct slot *ring;
	size_t window;
	size_t head; /* next to print */
	size_t tail; /* next to fill */

	size_t next_arg;
	FILE *file;
	const char *file_name;
	unsigned long file_line;
	char line[MAX_LINE + 1];
	bool file_failed;
	bool exhausted;

	struct dd_run_summary sum;
	struct timespec started, last_progress;
	bool progress;
};

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void on_gathered(void *arg, struct dd_posture *p)
{
	struct slot *s = arg;
	s->result = dd_result_create(p->domain, p->display);
	dd_judge(s->result, p);
	dd_baseline_apply(s->b->baseline, s->result);
	s->done = true;
}

/*
 * Reads the next non-empty, non-comment line into b->line; returns false at
 * the end. *too_long: the line went on past MAX_LINE before any comment.
 */
static bool next_line(struct batch *b, char **line, bool *too_long)
{
	for (;;) {
		size_t n = 0;
		bool cut = false;
		int c;
		while ((c = getc(b->file)) != EOF && c != '\n') {
			if (n < MAX_LINE)
				b->line[n++] = (char)c;
			else
				cut = true;
		}
		if (c == EOF && ferror(b->file)) {
			fprintf(stderr, "dmarc-doctor: %s: %s\n", b->file_name, strerror(errno));
			b->file_failed = true;
			return false;
		}
		if (c == EOF && n == 0)
			return false;
		b->line[n] = '\0';
		b->file_line++;
		char *hash = strchr(b->line, '#');
		if (hash)
			*hash = '\0';
		char *s = b->line;
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		*too_long = cut && !hash;
		if (*s || *too_long) {
			*line = s;
			return true;
		}
	}
}

/* Fills the slot at the tail with the next domain; false when there is none. */
static bool start_next(struct batch *b)
{
	struct slot *s = &b->ring[b->tail % b->window];
	const char *name = NULL, *display = NULL;
	char *owned = NULL, *line = NULL;
	bool too_long = false;
	memset(s, 0, sizeof(*s));
	s->b = b;

	if (b->next_arg < b->ndomains) {
		const struct dd_domain_arg *d = &b->domains[b->next_arg++];
		name = d->name;
		display = d->display;
	} else if (b->file && next_line(b, &line, &too_long)) {
		const char *why = NULL;
		char longer[64];
		size_t len = strlen(line);
		while (len && strchr(" \t\r\n", line[len - 1]))
			line[--len] = '\0';
		if (too_long) {
			snprintf(longer, sizeof(longer), "the line is longer than %d bytes",
			         MAX_LINE);
			why = longer;
		} else {
			owned = dd_domain_from_input(line, &why);
		}
		display = line;
		name = owned;
		if (!owned) {
			s->result = dd_result_create(line, line);
			s->result->status = DD_RESULT_ERROR;
			s->result->error = xasprintf("%s:%lu: '%s' is not a valid domain: %s",
			                             b->file_name, b->file_line, line, why);
			s->done = true;
			s->bad_input = true;
			b->tail++;
			return true;
		}
	} else {
		b->exhausted = true;
		return false;
	}
	struct dd_posture *p = dd_posture_create(name, display, &b->check);
	dd_evidence_attach(b->store, p, b->check.reports_from, b->check.reports_to);
	free(owned);
	b->tail++;
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
}

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
	fprintf(stderr, "\r\033[K%zu domains checked, %zu in progress, %.0f/s", b->sum.domains,
	        b->tail - b->head, t > 0 ? (double)b->sum.domains / t : 0.0);
}

static void flush_done(struct batch *b)
{
	while (b->head < b->tail) {
		struct slot *s = &b->ring[b->head % b->window];
		if (!s->done)
			break;
		count(b, s);
		progress(b, true);
		b->render.impl->result(&b->render, s->result);
		b->render.count++;
		fflush(b->render.out);
		dd_result_destroy(s->result);
		s->result = NULL;
		b->head++;
	}
}

static int exit_code(const struct batch *b)
{
	if (b->sum.bad_input || b->file_failed)
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
			fprintf(stderr, "dmarc-doctor: %s and %s are both the zone %s\n", dup,
			        cfg->zones[i].path, dd_zone_origin(zones[i]));
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

static bool use_color(const struct dd_config *cfg)
{
	const char *no_color = getenv("NO_COLOR");
	return !cfg->no_color && !(no_color && *no_color) && !cfg->output && isatty(STDOUT_FILENO);
}

int dd_run(const struct dd_config *cfg)
{
	struct batch b;
	struct dd_zone **zones = NULL;        /* until the resolver takes them */
	struct dd_domain_arg *origins = NULL; /* names owned by the zones */
	struct dd_resolver *res = NULL;
	struct dd_psl *psl = NULL;
	int code = DD_EXIT_USAGE;
	FILE *out = stdout;
	memset(&b, 0, sizeof(b));
	b.cfg = cfg;
	b.domains = cfg->domains;
	b.ndomains = cfg->ndomains;
	if (cfg->baseline) {
		char *err = NULL;
		if (!(b.baseline = dd_baseline_load(cfg->baseline, &err))) {
			fprintf(stderr, "dmarc-doctor: %s\n", err);
			free(err);
			goto out;
		}
	}
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
			fprintf(stderr, "dmarc-doctor: cannot read %s: %s\n", cfg->domains_file,
			        strerror(errno));
			goto out;
		}
	}
	/* the resolver takes the zones: they live until the results are printed */
	res = make_resolver(cfg, zones);
	free(zones);
	zones = NULL;
	if (!res)
		goto out;
	b.check = cfg->check;
	if (!dd_evidence_open(cfg, &b.store))
		goto out;
	/* the report window: the checks never read the clock */
	b.check.reports_to = (int64_t)time(NULL);
	b.check.reports_from = b.check.reports_to - (int64_t)cfg->since_days * 86400;
	psl = dd_psl_open();
	dd_psl_attach(psl, &b.check);
	struct dd_gather_limits limits;
	dd_gather_limits_default(&limits);
	limits.max_inflight = cfg->concurrency;
	b.gather = dd_gather_create(res, &limits);

	/* enough domains in flight to keep `concurrency` questions busy */
	b.window = cfg->concurrency < 16 ? 16 : cfg->concurrency;
	b.ring = xcalloc(b.window, sizeof(*b.ring));
	if (cfg->output && !(out = fopen(cfg->output, "w"))) {
		fprintf(stderr, "dmarc-doctor: cannot write %s: %s\n", cfg->output, strerror(errno));
		out = stdout; /* nothing of ours to close */
		goto out;
	}
	b.render = (struct dd_render){
		.impl = cfg->format,
		.out = out,
		.opts = {
			.lang = cfg->lang >= 0 ? (enum dd_lang)cfg->lang : dd_lang_from_env(),
			.color = use_color(cfg),
			.verbose = cfg->verbose,
			.many = cfg->domains_file != NULL || b.ndomains > 1,
			.baseline = b.baseline != NULL,
			.fail_on = cfg->fail_on,
		},
	};
	b.progress = b.render.opts.many && isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &b.started);

	if (b.render.impl->begin)
		b.render.impl->begin(&b.render);
	while (!b.exhausted || b.head < b.tail) {
		while (!b.exhausted && b.tail - b.head < b.window)
			if (!start_next(&b))
				break;
		dd_gather_step(b.gather, 200);
		flush_done(&b);
		progress(&b, false);
	}
	progress(&b, true);
	b.sum.seconds = seconds_since(&b.started);
	if (b.render.impl->end)
		b.render.impl->end(&b.render, &b.sum);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "dmarc-doctor: cannot write %s: %s\n",
		        cfg->output ? cfg->output : "standard output", strerror(errno));
		code = DD_EXIT_USAGE;
		goto out;
	}
	if (b.render.opts.many && cfg->format != dd_renderer_find("text") && isatty(STDERR_FILENO))
		fprintf(stderr,
		        "%zu domains: %zu clean, %zu failing, %zu undetermined, %zu errors, %zu "
		        "bad lines (%.1f s)\n",
		        b.sum.domains, b.sum.clean, b.sum.failing, b.sum.undetermined, b.sum.errors,
		        b.sum.bad_input, b.sum.seconds);

	code = exit_code(&b);
out:
	dd_resolver_destroy(res); /* first: it may still hold questions of the engine */
	dd_gather_destroy(b.gather);
	for (size_t i = 0; zones && i < cfg->nzones; i++)
		dd_zone_destroy(zones[i]);
	free(zones);
	dd_baseline_destroy(b.baseline);
	dd_store_close(b.store);
	free(origins);
	free(b.ring);
	dd_psl_close(psl);
	if (b.file && b.file != stdin)
		fclose(b.file);
	if (out != stdout && fclose(out) != 0 && code != DD_EXIT_USAGE) {
		fprintf(stderr, "dmarc-doctor: cannot write %s: %s\n", cfg->output, strerror(errno));
		code = DD_EXIT_USAGE;
	}
	return code;
}
