/*
 * util.h: small helpers every module uses (checks/common/).
 *
 * x-allocators exit on out-of-memory (STYLE.md habit 7): callers never
 * check for NULL from them.
 */
#ifndef DD_UTIL_H
#define DD_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define DD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of `size`-byte elements so it holds at least `need`. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte string, always NUL-terminated. */
struct dd_strbuf {
	char *s;
	size_t len;
	size_t cap;
};

void dd_strbuf_init(struct dd_strbuf *b);
void dd_strbuf_add(struct dd_strbuf *b, const char *s, size_t n);
void dd_strbuf_adds(struct dd_strbuf *b, const char *s);
void dd_strbuf_addc(struct dd_strbuf *b, char c);
void dd_strbuf_addf(struct dd_strbuf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Hand the string over to the caller; the buffer is empty afterwards. */
char *dd_strbuf_own(struct dd_strbuf *b);
void dd_strbuf_finish(struct dd_strbuf *b);

/* ASCII-only case-insensitive helpers (DNS and tag names are ASCII). */
bool dd_strcaseeq(const char *a, const char *b);
bool dd_strncaseeq(const char *a, const char *b, size_t n);
bool dd_memcaseprefix(const char *s, size_t len, const char *prefix);
/* An order for a sort or a binary search: <0, 0, >0 as memcmp, case-blind. */
int dd_memcasecmp(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Domain names. A normalised name is lowercase ASCII, has no trailing dot,
 * labels of 1..63 octets and at most 253 octets in all (RFC 1035 §2.3.4).
 * Normalise returns false when the name cannot be a DNS name.
 */
bool dd_name_normalize(const char *in, size_t len, char *out, size_t outsz);
/* The same, but any printable ASCII byte (space included) may be in a label:
 * SPF macros copy local-parts into names (RFC 7208 §7.3). */
bool dd_name_normalize_printable(const char *in, size_t len, char *out, size_t outsz);
size_t dd_name_labels(const char *name);
/* The name without its first label; NULL for a single label. */
const char *dd_name_parent(const char *name);
/* True when `name` is `ancestor` or below it. */
bool dd_name_is_under(const char *name, const char *ancestor);

/* A hash for the program's own tables: it may change between versions. */
uint32_t dd_hash(const void *data, size_t len, uint32_t seed);
/* FNV-1a over the bytes, whose values are written out and must stay the
 * same from one version to the next (SARIF's partialFingerprints). */
uint32_t dd_hash_fnv1a(const void *data, size_t len, uint32_t seed);
/* FNV-1a over the bytes in ASCII lower case: equal for names that
 * dd_memcasecmp() calls equal. */
uint32_t dd_hash_nocase(const char *s, size_t len, uint32_t seed);

/* A monotonic clock in milliseconds: round trips and timers of the engine. */
static inline double dd_clock_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

#endif
