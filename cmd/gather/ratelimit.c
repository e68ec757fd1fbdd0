/*
 * ratelimit.c: the token bucket of --qps (see ratelimit.h).
 */
#include "gather/ratelimit.h"

void dd_ratelimit_init(struct dd_ratelimit *r, double qps, double now_ms)
{
	/* a burst of 1/20 s of questions: any 1 s window sees at most rate + burst */
	double burst = qps > 0 ? (double)(long)(qps / 20) : 0;
	*r = (struct dd_ratelimit){ qps > 0 ? qps : 0, burst < 1 ? 1 : burst, 1, now_ms };
}

static void refill(struct dd_ratelimit *r, double now_ms)
{
	if (now_ms > r->last_ms) {
		r->tokens += (now_ms - r->last_ms) * r->rate / 1000.0;
		if (r->tokens > r->burst)
			r->tokens = r->burst;
	}
	r->last_ms = now_ms;
}

bool dd_ratelimit_take(struct dd_ratelimit *r, double now_ms)
{
	if (r->rate <= 0)
		return true;
	refill(r, now_ms);
	if (r->tokens < 1)
		return false;
	r->tokens -= 1;
	return true;
}

int dd_ratelimit_wait_ms(const struct dd_ratelimit *r, double now_ms)
{
	if (r->rate <= 0)
		return 0;
	double tokens = r->tokens + (now_ms - r->last_ms) * r->rate / 1000.0;
	if (tokens >= 1)
		return 0;
	double ms = (1 - tokens) * 1000.0 / r->rate;
	return (int)ms + ((double)(int)ms < ms); /* rounded up: never wake too early */
}
