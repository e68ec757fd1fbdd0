/*
 * spf_addrset.c: maps from every IPv4 or IPv6 address to a value, as sorted
 * disjoint intervals - what SPF repair uses to say exactly which clients get
 * which result - and their CIDR aggregation (the fewest blocks that cover an
 * interval: the largest aligned block at each step).
 *
 * The maps are small (a record's ranges and its includes'), so every
 * operation is one linear merge of two interval lists.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spf_repair_int.h"

static dd_u128 family_max(int family)
{
	return family == 4 ? (dd_u128)0xffffffffu : ~(dd_u128)0;
}

static int family_bits(int family)
{
	return family == 4 ? 32 : 128;
}

void strv_add(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void push(struct amap *m, dd_u128 lo, dd_u128 hi, int v)
{
	if (m->n && m->v[m->n - 1].v == v && m->v[m->n - 1].hi + 1 == lo) {
		m->v[m->n - 1].hi = hi;
		return;
	}
	m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof(*m->v));
	m->v[m->n].lo = lo;
	m->v[m->n].hi = hi;
	m->v[m->n].v = v;
	m->n++;
}

void am_init(struct amap *m, int family, int value)
{
	memset(m, 0, sizeof(*m));
	m->family = family;
	push(m, 0, family_max(family), value);
}

void am_finish(struct amap *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

void am_copy(struct amap *dst, const struct amap *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->family = src->family;
	dst->n = dst->cap = src->n;
	dst->v = xmalloc(src->n * sizeof(*dst->v));
	memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
}

bool am_equal(const struct amap *a, const struct amap *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].lo != b->v[i].lo || a->v[i].hi != b->v[i].hi || a->v[i].v != b->v[i].v)
			return false;
	return true;
}

void am_merge(struct amap *a, const struct amap *b, am_fn fn, int arg)
{
	struct amap out;
	memset(&out, 0, sizeof(out));
	out.family = a->family;
	/* the result has at most a->n + b->n intervals: one allocation, no regrowth */
	out.v = xgrow(NULL, &out.cap, a->n + b->n, sizeof(*out.v));
	size_t i = 0, j = 0;
	dd_u128 lo = 0;
	while (i < a->n && j < b->n) {
		dd_u128 hi = a->v[i].hi < b->v[j].hi ? a->v[i].hi : b->v[j].hi;
		push(&out, lo, hi, fn(a->v[i].v, b->v[j].v, arg));
		if (a->v[i].hi == hi)
			i++;
		if (b->v[j].hi == hi)
			j++;
		if (hi == family_max(a->family))
			break;
		lo = hi + 1;
	}
	free(a->v);
	*a = out;
}

static int take_b(int a, int b, int arg)
{
	(void)a;
	return b == arg ? a : b;
}

/* addr as an integer of its family */
static dd_u128 to_int(const unsigned char *addr, int family)
{
	dd_u128 x = 0;
	for (int i = 0; i < (family == 4 ? 4 : 16); i++)
		x = (x << 8) | addr[i];
	return x;
}

static void from_int(dd_u128 x, int family, unsigned char *addr)
{
	for (int i = (family == 4 ? 3 : 15); i >= 0; i--) {
		addr[i] = (unsigned char)(x & 0xff);
		x >>= 8;
	}
}

/* The host-bit mask of a prefix: 2^(bits-prefix) - 1. */
static dd_u128 host_mask(int family, int prefix)
{
	int host = family_bits(family) - prefix;
	return host >= 128 ? ~(dd_u128)0 : ((dd_u128)1 << host) - 1;
}

void am_set_cidr(struct amap *m, const unsigned char *addr, int prefix, int v)
{
	struct amap b;
	dd_u128 mask = host_mask(m->family, prefix);
	dd_u128 lo = to_int(addr, m->family) & ~mask, hi = lo | mask;
	memset(&b, 0, sizeof(b));
	b.family = m->family;
	if (lo > 0)
		push(&b, 0, lo - 1, AM_UNKNOWN - 1);
	push(&b, lo, hi, v);
	if (hi < family_max(m->family))
		push(&b, hi + 1, family_max(m->family), AM_UNKNOWN - 1);
	am_merge(m, &b, take_b, AM_UNKNOWN - 1);
	am_finish(&b);
}

void am_replace(struct amap *m, int from, int v)
{
	struct amap out;
	memset(&out, 0, sizeof(out));
	out.family = m->family;
	for (size_t i = 0; i < m->n; i++)
		push(&out, m->v[i].lo, m->v[i].hi, m->v[i].v == from ? v : m->v[i].v);
	free(m->v);
	*m = out;
}

/* Each CIDR block of [lo, hi]: the largest aligned block at lo that fits. */
static size_t cidrs_of(int family, dd_u128 lo, dd_u128 hi, char ***out, size_t *n)
{
	size_t count = 0;
	for (;;) {
		int prefix = 0;
		while (prefix < family_bits(family)) {
			dd_u128 mask = host_mask(family, prefix);
			if ((lo & mask) == 0 && hi - lo >= mask)
				break;
			prefix++;
		}
		count++;
		if (out) {
			unsigned char addr[16];
			char text[INET6_ADDRSTRLEN];
			from_int(lo, family, addr);
			inet_ntop(family == 4 ? AF_INET : AF_INET6, addr, text, sizeof(text));
			if (prefix == family_bits(family))
				strv_add(out, n, xasprintf("ip%d:%s", family, text));
			else
				strv_add(out, n, xasprintf("ip%d:%s/%d", family, text, prefix));
		}
		dd_u128 end = lo | host_mask(family, prefix);
		if (end >= hi)
			return count;
		lo = end + 1;
	}
}

static size_t cidrs(const struct amap *m, bool (*pred)(int v, int arg), int arg, char ***out,
                    size_t *n)
{
	size_t count = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (!pred(m->v[i].v, arg))
			continue;
		/* merge with the following intervals that also hold */
		dd_u128 lo = m->v[i].lo, hi = m->v[i].hi;
		while (i + 1 < m->n && pred(m->v[i + 1].v, arg))
			hi = m->v[++i].hi;
		count += cidrs_of(m->family, lo, hi, out, n);
	}
	return count;
}

void am_cidrs(const struct amap *m, bool (*pred)(int v, int arg), int arg, char ***out, size_t *n)
{
	cidrs(m, pred, arg, out, n);
}

size_t am_count_cidrs(const struct amap *m, bool (*pred)(int v, int arg), int arg)
{
	return cidrs(m, pred, arg, NULL, NULL);
}

bool am_any(const struct amap *m, bool (*pred)(int v, int arg), int arg)
{
	for (size_t i = 0; i < m->n; i++)
		if (pred(m->v[i].v, arg))
			return true;
	return false;
}
