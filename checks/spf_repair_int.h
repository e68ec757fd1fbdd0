/*
 * spf_repair_int.h: what the SPF repair's files share - address maps
 * (spf_addrset.c) and the static evaluation of records over them
 * (spf_proof.c). Internal to checks/.
 */
#ifndef DD_SPF_REPAIR_INT_H
#define DD_SPF_REPAIR_INT_H

#include "dd/check.h"
#include "dd/spf.h"

typedef unsigned __int128 dd_u128;

/* Values of an address map: a dd_spf_result, or one of these. */
#define AM_UNDEC   (-1) /* no term has decided yet */
#define AM_UNKNOWN (-2) /* decided by something we cannot compute (an unprovable redirect) */

/* [lo, hi] (inclusive) has value v. */
struct am_ivl {
	dd_u128 lo, hi;
	int v;
};

/* A map of every address of one family to a value: sorted, disjoint, covering. */
struct amap {
	struct am_ivl *v;
	size_t n, cap;
	int family; /* 4 or 6 */
};

void am_init(struct amap *m, int family, int value);
void am_finish(struct amap *m);
void am_copy(struct amap *dst, const struct amap *src);
bool am_equal(const struct amap *a, const struct amap *b);
/* a[x] = fn(a[x], b[x]) for every address x. */
typedef int (*am_fn)(int a, int b, int arg);
void am_merge(struct amap *a, const struct amap *b, am_fn fn, int arg);
/* Set the addresses of addr/prefix to v. */
void am_set_cidr(struct amap *m, const unsigned char *addr, int prefix, int v);
/* Set every address to v where it is `from`. */
void am_replace(struct amap *m, int from, int v);
/* The minimal CIDR blocks of the addresses where pred(v, arg) holds, as
 * "ip4:..." / "ip6:..." texts, appended to *out. */
void am_cidrs(const struct amap *m, bool (*pred)(int v, int arg), int arg, char ***out, size_t *n);
/* How many CIDR blocks that would be. */
size_t am_count_cidrs(const struct amap *m, bool (*pred)(int v, int arg), int arg);
/* Does any address have a value for which pred holds? */
bool am_any(const struct amap *m, bool (*pred)(int v, int arg), int arg);

void strv_add(char ***v, size_t *n, char *s); /* takes s */
void strv_free(char **v, size_t n);

/* ------------------------------------------------ static evaluation */

/* The map at an unprovable term of the top-level record: what was decided before it. */
struct pf_snap {
	char *id; /* "domain qualifier+term" */
	struct amap m[2];
};

/* A record evaluated for every client at once. */
struct pf_eval {
	struct amap
	        m[2]; /* the result of every IPv4 and IPv6 client (no unprovable term matching) */
	struct pf_snap *snaps;
	size_t nsnaps, cap;
	char **unprovable;    /* "term (domain: why)" */
	char **unprovable_ja; /* the same in Japanese, as many */
	size_t nunprovable;
	char **seen; /* dedupe keys of unprovable terms (a second one never matches) */
	size_t nseen;
};

/* An include target evaluated on its own (cached): its result map. */
struct pf_target {
	char *name;
	struct amap m[2];
	bool opaque;    /* holds an unprovable term: its map is not known */
	uint32_t ttl;   /* the smallest TTL of the answers its map comes from */
	bool has_error; /* some clients get permerror or temperror from it */
};

struct pf_ctx {
	const struct dd_posture *p;
	struct dd_spf_client client; /* no IP: only %{d} and %{o} expand */
	struct pf_target **targets;  /* each allocated once: pointers stay valid */
	size_t ntargets, cap;
	const char *stack[24];
	size_t depth;
};

void pf_ctx_init(struct pf_ctx *c, const struct dd_posture *p);
void pf_ctx_finish(struct pf_ctx *c);
/* Evaluate a top-level record of `domain`. */
void pf_eval_record(struct pf_ctx *c, const char *domain, const char *txt, size_t len,
                    struct pf_eval *out);
void pf_eval_finish(struct pf_eval *e);
/* Same snapshots (in order) and the same final maps: every client gets the same result. */
bool pf_same(const struct pf_eval *a, const struct pf_eval *b);
/* The addresses an mx term with these cidr-lengths matches through the MX
 * answer mx (also past 10 hosts), into set (value 1); false when a host's
 * lookup is unknown or the hosts were not gathered. */
bool pf_mx_set(const struct pf_ctx *c, const struct dd_answer *mx, int cidr4, int cidr6,
               struct amap set[2], uint32_t *ttl);
/* The include target `name` (normalised) evaluated on its own. */
const struct pf_target *pf_target(struct pf_ctx *c, const char *name);

/* ------------------------------------------ the repair (spf_repair*.c) */

/* The terms of a proposal, as written. */
struct terms {
	char **v;
	size_t n;
};

/* One term parsed on its own (kind, qualifier, spec); the terms point into text. */
struct one {
	struct dd_spf_record rec;
	char *text;
	const struct dd_spf_term *t;
};

/* One repair in progress. */
struct rep {
	const struct dd_posture *p;
	const char *domain;
	struct pf_ctx ctx;
	struct pf_eval orig;
	struct terms t; /* the proposal so far */
	struct dd_spf_repair *out;
	int attempts;
	int lookups0, voids0; /* the published record's counts (spf_tree.c) */
	int counts;
};

void rp_terms_free(struct terms *t);
void rp_terms_copy(struct terms *dst, const struct terms *src);
char *rp_terms_text(const struct terms *t);
bool rp_one_parse(const char *term, struct one *o);
void rp_one_done(struct one *o);
struct dd_spf_change *rp_add_change(struct rep *r, enum dd_spf_change_kind kind);
void rp_change_finish(struct dd_spf_change *c);
void rp_set_arg(struct dd_spf_change *c, int i, char *owned);
/* Does the proposal give every client the result the published record gives? */
bool rp_same(struct rep *r, const struct terms *t);
char *rp_qualified(enum dd_spf_qualifier q, const char *term);
bool rp_is_one(int v, int arg);
void rp_drop_duplicates(struct rep *r);
/* spf_repair_inline.c: the proposal counted as published; inlining includes */
void rp_count(const struct rep *r, const struct terms *t, int *lookups, int *voids, bool *lower);
bool rp_over(int lookups, int voids);
void rp_inline_includes(struct rep *r);
/* spf_repair_mx.c: an mx over the MX host limit replaced by its hosts' addresses */
void rp_inline_mx(struct rep *r);

#endif
