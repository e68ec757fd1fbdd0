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
	char **unprovable; /* "term (domain)" */
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
/* The include target `name` (normalised) evaluated on its own. */
const struct pf_target *pf_target(struct pf_ctx *c, const char *name);

#endif
