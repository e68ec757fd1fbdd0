/*
 * render.h: one finished result -> text, JSON, JSON lines, CSV, SARIF, JUnit XML or HTML.
 *
 * Renderers read, never compute (STYLE.md habit 9); they are the only code
 * that writes to stdout. Every byte that came from the DNS goes through one
 * escaper (cmd/render/escape.c) before it reaches a terminal or a document.
 */
#ifndef DD_RENDER_H
#define DD_RENDER_H

#include <stdio.h>

#include "dd/check.h"
#include "dd/util.h"

struct dd_render_opts {
	enum dd_lang lang;
	bool color;
	bool verbose;
	bool many;     /* more than one domain may follow */
	bool baseline; /* --baseline: findings say whether they are new */
	int fail_on;   /* --fail-on: an enum dd_severity, or -1 for never (junit failures) */
};

/* What the batch driver counted, for the closing summary. */
struct dd_run_summary {
	size_t domains;
	size_t clean;        /* no finding at or above --fail-on */
	size_t failing;      /* a finding at or above --fail-on */
	size_t undetermined; /* a DNS failure left part of the judgement open */
	size_t errors;       /* could not be judged at all */
	size_t bad_input;    /* lines that were not domain names */
	double seconds;
};

struct dd_render;

struct dd_renderer {
	const char *name;
	void (*begin)(struct dd_render *r);
	void (*result)(struct dd_render *r, const struct dd_result *res);
	void (*end)(struct dd_render *r, const struct dd_run_summary *sum);
};

struct dd_render {
	const struct dd_renderer *impl;
	FILE *out;
	struct dd_render_opts opts;
	size_t count; /* results written so far */
	void *state;  /* the renderer's own, between begin and end (html: the portfolio) */
};

const struct dd_renderer *dd_renderer_find(const char *name);
/*
 * Whether a finding fails the --fail-on gate (fail_on: an enum dd_severity,
 * or -1 for never): the exit code and the JUnit failures say the same. A
 * failed lookup (exit 3's business), a name --offline did not ask and a
 * finding the --baseline has never fail it.
 */
bool dd_finding_fails_gate(const struct dd_finding *f, int fail_on);
/* Where a domain stands, in one line, by stage (missing .. reject): the
 * text and HTML reports' headline. */
extern const struct dd_text dd_stage_verdicts[4];

/* "text, json, jsonl, csv, sarif, junit, html" for usage messages. */
const char *dd_renderer_names(void);

/* The language of the user's locale (LC_ALL, LC_MESSAGES, LANG: "ja..." is Japanese). */
enum dd_lang dd_lang_from_env(void);

/* text_repair.c: the SPF repair lines of the text report (escaped); a long
 * list of proof ranges is cut short unless verbose */
void dd_text_spf_repair(FILE *out, const struct dd_spf_repair *rp, const char *domain,
                        enum dd_lang lang, bool verbose);

/* escape.c */
/* For a terminal: controls, bidi overrides and invalid UTF-8 become \xNN / \u{NNNN}. */
void dd_escape_text(struct dd_strbuf *out, const char *s, size_t len);
/* The terminal columns of UTF-8 text as our tables count them: a character
 * of three or four bytes (CJK, kana) two, any other one. */
int dd_text_columns(const char *s, size_t len);
/* s (already safe for a terminal), then spaces up to `width` columns: for
 * labels and table cells, where "%-10s" would count bytes. */
void dd_text_put_padded(FILE *out, const char *s, size_t len, int width);
/* A JSON string literal (with quotes); invalid UTF-8 bytes become the text \xNN. */
void dd_escape_json(struct dd_strbuf *out, const char *s, size_t len);
/* How many of s's first bytes every escaper passes as they are (printable
 * ASCII but '"' and '\\'): len means the text needs no escape at all. */
size_t dd_escape_json_plain(const char *s, size_t len);
/* CSV field (RFC 4180 quoting) of terminal-safe text. */
void dd_escape_csv(struct dd_strbuf *out, const char *s, size_t len);
/* HTML text or a quoted attribute value, of terminal-safe text. */
void dd_escape_html(struct dd_strbuf *out, const char *s, size_t len);

#endif
