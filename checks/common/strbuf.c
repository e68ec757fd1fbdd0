/*
 * strbuf.c: a growable, always NUL-terminated byte string.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/util.h"

void dd_strbuf_init(struct dd_strbuf *b)
{
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
}

static void reserve(struct dd_strbuf *b, size_t extra)
{
	b->s = xgrow(b->s, &b->cap, b->len + extra + 1, 1);
}

void dd_strbuf_add(struct dd_strbuf *b, const char *s, size_t n)
{
	reserve(b, n);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void dd_strbuf_adds(struct dd_strbuf *b, const char *s)
{
	dd_strbuf_add(b, s, strlen(s));
}

void dd_strbuf_addc(struct dd_strbuf *b, char c)
{
	dd_strbuf_add(b, &c, 1);
}

void dd_strbuf_addf(struct dd_strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *dd_strbuf_own(struct dd_strbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	dd_strbuf_init(b);
	return s;
}

void dd_strbuf_finish(struct dd_strbuf *b)
{
	free(b->s);
	dd_strbuf_init(b);
}
