/*
 * aimd.c: the in-flight window (see aimd.h).
 */
#include "gather/aimd.h"

/* Queueing this far above the best round trip is congestion, not distance:
 * 100 ms of slack keeps the window growing on any real path whose RTT
 * varies, and through a loaded resolver; four times the best RTT catches a
 * queue that doubles a long path's delay. */
#define QUEUE_FACTOR   4.0
#define QUEUE_SLACK_MS 100.0

void dd_aimd_init(struct dd_aimd *a, size_t initial, size_t min, size_t max, double loss_rtt_ms)
{
	if (max < 1)
		max = 1;
	if (min < 1)
		min = 1;
	if (min > max)
		min = max;
	if (initial < min)
		initial = min;
	if (initial > max)
		initial = max;
	*a = (struct dd_aimd){
		.window = (double)initial,
		.ssthresh = (double)max,
		.min = min,
		.max = max,
		.loss_rtt_ms = loss_rtt_ms,
		.last_cut_ms = -1e18,
	};
}

size_t dd_aimd_window(const struct dd_aimd *a)
{
	return (size_t)a->window;
}

static void cut(struct dd_aimd *a, double now_ms)
{
	/* once per round trip: the answers of one window share one cause */
	double rtt = a->srtt_ms > 0 ? a->srtt_ms : a->loss_rtt_ms;
	if (now_ms - a->last_cut_ms < rtt)
		return;
	a->last_cut_ms = now_ms;
	a->window /= 2;
	if (a->window < (double)a->min)
		a->window = (double)a->min;
	a->ssthresh = a->window;
	a->cuts++;
}

void dd_aimd_answer(struct dd_aimd *a, double now_ms, double rtt_ms, bool lost)
{
	if (lost || (a->loss_rtt_ms > 0 && rtt_ms >= a->loss_rtt_ms)) {
		cut(a, now_ms);
		return; /* a retried question's RTT says nothing about the path */
	}
	a->srtt_ms = a->srtt_ms > 0 ? a->srtt_ms + (rtt_ms - a->srtt_ms) / 8 : rtt_ms;
	if (a->min_rtt_ms <= 0 || rtt_ms < a->min_rtt_ms)
		a->min_rtt_ms = rtt_ms;
	if (a->srtt_ms > QUEUE_FACTOR * a->min_rtt_ms + QUEUE_SLACK_MS) {
		cut(a, now_ms);
		return;
	}
	if (a->window < a->ssthresh)
		a->window += 1; /* slow start: doubles every round trip */
	else
		a->window += 1 / a->window; /* one more question per round trip */
	if (a->window > (double)a->max)
		a->window = (double)a->max;
}
