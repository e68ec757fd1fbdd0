/*
 * render.c: the renderer table, and the user's language.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/render.h"

extern const struct dd_renderer dd_render_text;
extern const struct dd_renderer dd_render_json;
extern const struct dd_renderer dd_render_jsonl;
extern const struct dd_renderer dd_render_csv;
extern const struct dd_renderer dd_render_sarif;
extern const struct dd_renderer dd_render_junit;
extern const struct dd_renderer dd_render_html;

/* clang-format off */
static const struct dd_renderer *const renderers[] = {
	&dd_render_text,
	&dd_render_json,
	&dd_render_jsonl,
	&dd_render_csv,
	&dd_render_sarif,
	&dd_render_junit,
	&dd_render_html,
};
/* clang-format on */

const struct dd_renderer *dd_renderer_find(const char *name)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(renderers); i++)
		if (strcmp(renderers[i]->name, name) == 0)
			return renderers[i];
	return NULL;
}

/* clang-format off */
const struct dd_text dd_stage_verdicts[4] = {
	[DD_STAGE_MISSING] = {"no DMARC policy: anyone can send mail as this domain",
			      "DMARC ポリシーなし: 誰でもこのドメインを名乗ってメールを送れます"},
	[DD_STAGE_NONE] = {"DMARC p=none: monitoring only, spoofed mail is still delivered",
			   "DMARC p=none: 監視のみで、なりすましメールは配送されます"},
	[DD_STAGE_QUARANTINE] = {"DMARC p=quarantine: spoofed mail goes to spam",
				 "DMARC p=quarantine: なりすましメールは迷惑メールになります"},
	[DD_STAGE_REJECT] = {"DMARC p=reject: spoofed mail is refused",
			     "DMARC p=reject: なりすましメールは拒否されます"},
};
/* clang-format on */

bool dd_finding_fails_gate(const struct dd_finding *f, int fail_on)
{
	if (fail_on < 0 || f->known || strcmp(f->def->id, "dns.temporary-failure") == 0 ||
	    strcmp(f->def->id, "dns.offline") == 0)
		return false;
	return (int)f->severity >= fail_on;
}

const char *dd_renderer_names(void)
{
	return "text, json, jsonl, csv, sarif, junit, html";
}

/* POSIX precedence: LC_ALL, then LC_MESSAGES, then LANG; the first set one decides. */
enum dd_lang dd_lang_from_env(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < DD_ARRAY_LEN(vars); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "ja", 2) == 0 ? DD_LANG_JA : DD_LANG_EN;
	}
	return DD_LANG_EN;
}
