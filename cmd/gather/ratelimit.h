/*
 * ratelimit.h: at most N questions a second (--qps), for public resolvers
 * that publish a per-client limit. A token bucket: `rate` tokens a second,
 * at most `burst` saved up; each question sent takes one. Retries that the
 * resolver library sends by itself are not counted (they follow a timeout,
 * which the in-flight window answers by halving).
 */
#ifndef DD_RATELIMIT_H
#define DD_RATELIMIT_H

#include <stdbool.h>

struct dd_ratelimit {
	double rate; /* tokens a second; 0: no limit */
	double burst;
	double tokens;
	double last_ms;
};

void dd_ratelimit_init(struct dd_ratelimit *r, double qps, double now_ms);
/* Take a token if there is one. */
bool dd_ratelimit_take(struct dd_ratelimit *r, double now_ms);
/* Milliseconds until the next token (0 when one is there or there is no limit). */
int dd_ratelimit_wait_ms(const struct dd_ratelimit *r, double now_ms);

#endif
