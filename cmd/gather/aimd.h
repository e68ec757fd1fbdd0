/*
 * aimd.h: how many questions the gather engine keeps in flight.
 *
 * Additive increase, multiplicative decrease, as TCP does for its window
 * (RFC 5681), on answers instead of acknowledgements: the window starts at
 * `initial`, grows by one question per answer until the first sign of
 * congestion (slow start), then by one question per window of answers; a
 * lost question (it timed out, or took longer than one try: the resolver
 * sent it again) or a round trip far above the best one seen (queues filling
 * up somewhere) halves it, at most once per round trip. It never exceeds
 * `max` (--concurrency) and never falls below `min`.
 */
#ifndef DD_AIMD_H
#define DD_AIMD_H

#include <stdbool.h>
#include <stddef.h>

struct dd_aimd {
	double window;
	double ssthresh;
	size_t min, max;
	double srtt_ms;     /* smoothed round trip (RFC 6298 alpha 1/8); 0 before a sample */
	double min_rtt_ms;  /* the best round trip seen */
	double loss_rtt_ms; /* a round trip this long means a retry: a loss */
	double last_cut_ms; /* when the window was last halved */
	size_t cuts;        /* halvings, for the statistics */
};

void dd_aimd_init(struct dd_aimd *a, size_t initial, size_t min, size_t max, double loss_rtt_ms);
/* The questions that may be in flight now. */
size_t dd_aimd_window(const struct dd_aimd *a);
/* One answer came back after rtt_ms; `lost`: it timed out. now_ms: a monotonic clock. */
void dd_aimd_answer(struct dd_aimd *a, double now_ms, double rtt_ms, bool lost);

#endif
