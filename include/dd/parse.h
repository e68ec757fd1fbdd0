/*
 * parse.h: one bounded cursor with a sticky error, shared by the SPF term
 * parser and the tag=value lists of DMARC (RFC 9989 §4.7) and DKIM
 * (RFC 6376 §3.2). Column numbers are 1-based byte offsets into the record
 * and reach the findings (STYLE.md habit 8).
 */
#ifndef DD_PARSE_H
#define DD_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "dd/types.h"

/* Hard caps: a hostile record cannot make a parser work or allocate more. */
#define DD_PARSE_MAX_RECORD 65535 /* a TXT RRset cannot carry more */
#define DD_PARSE_MAX_TAGS   64

struct dd_cursor {
	const char *s;
	size_t len;
	size_t pos;
	const struct dd_text *error; /* first error, sticky; NULL while all is well */
	size_t error_pos;
};

void dd_cursor_init(struct dd_cursor *c, const char *s, size_t len);
bool dd_cursor_eof(const struct dd_cursor *c);
int dd_cursor_peek(const struct dd_cursor *c); /* -1 at end */
/* Record the first error at the current position; later ones are ignored. */
void dd_cursor_fail(struct dd_cursor *c, const struct dd_text *why);
void dd_cursor_fail_at(struct dd_cursor *c, size_t pos, const struct dd_text *why);
/* Folding whitespace (RFC 6376 §2.8): space, tab, and the CR/LF that joined
 * TXT strings may hold. */
bool dd_is_fws(int ch);
/* Skip folding whitespace. */
size_t dd_cursor_skip_ws(struct dd_cursor *c);
bool dd_cursor_accept(struct dd_cursor *c, char ch);

/* One tag=value pair; name and value point into the record. */
struct dd_tag {
	const char *name;
	size_t name_len;
	const char *value; /* whitespace around it trimmed */
	size_t value_len;
	size_t column;       /* where the tag name starts, 1-based */
	size_t value_column; /* where the value starts, 1-based */
};

struct dd_taglist {
	struct dd_tag tags[DD_PARSE_MAX_TAGS];
	size_t n;
	bool truncated; /* more than DD_PARSE_MAX_TAGS tags */
	/* The first syntax error, or NULL; column is 1-based. */
	const struct dd_text *error;
	size_t error_column;
};

/*
 * Split "tag=value; tag=value;" (RFC 6376 §3.2: FWS allowed around tags and
 * '='; a trailing ';' and empty specs are allowed). Never fails outright: the
 * pairs it could read are kept, the first problem is reported.
 */
void dd_taglist_parse(const char *s, size_t len, struct dd_taglist *out);
/* What the records of MTA-STS, TLS-RPT and BIMI say when they are no tag list. */
extern const struct dd_text dd_taglist_broken;
/* The first tag with this name (case-sensitive, as RFC 6376 §3.2 says). */
const struct dd_tag *dd_taglist_get(const struct dd_taglist *t, const char *name);

#endif
