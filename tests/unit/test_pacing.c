/*
 * test_pacing.c: the in-flight window (cmd/gather/aimd.c) and the --qps
 * token bucket (cmd/gather/ratelimit.c), on a simulated clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gather/aimd.h"
#include "gather/ratelimit.h"

/* Slow start doubles the window every round trip, up to the maximum. */
static void test_aimd_grows_to_the_max(void **state)
{
	(void)state;
	struct dd_aimd a;
	dd_aimd_init(&a, 16, 8, 100, 2000);
	assert_int_equal(dd_aimd_window(&a), 16);
	double now = 0;
	for (int rtt = 0; rtt < 3; rtt++) {
		size_t w = dd_aimd_window(&a);
		for (size_t i = 0; i < w; i++)
			dd_aimd_answer(&a, now, 30, false);
		now += 30;
		assert_int_equal(dd_aimd_window(&a), w * 2 > 100 ? 100 : w * 2);
	}
	for (int i = 0; i < 1000; i++)
		dd_aimd_answer(&a, now, 30, false);
	assert_int_equal(dd_aimd_window(&a), 100);
}

/* A loss halves the window once a round trip, then it grows one a round trip. */
static void test_aimd_halves_on_loss(void **state)
{
	(void)state;
	struct dd_aimd a;
	dd_aimd_init(&a, 64, 8, 1000, 2000);
	dd_aimd_answer(&a, 0, 30, false);    /* 65, and a round trip measured */
	dd_aimd_answer(&a, 10, 2000, false); /* took a retry: lost */
	assert_int_equal(dd_aimd_window(&a), 32);
	dd_aimd_answer(&a, 11, 0, true); /* same round trip: no second cut */
	assert_int_equal(dd_aimd_window(&a), 32);
	dd_aimd_answer(&a, 100, 0, true); /* a later one */
	assert_int_equal(dd_aimd_window(&a), 16);
	assert_int_equal(a.cuts, 2);
	/* congestion avoidance: a window of answers adds one */
	for (int i = 0; i < 16; i++)
		dd_aimd_answer(&a, 200, 30, false);
	assert_int_equal(dd_aimd_window(&a), 17);
	/* never below the minimum */
	for (int i = 0; i < 10; i++)
		dd_aimd_answer(&a, 1000.0 * (i + 1), 0, true);
	assert_int_equal(dd_aimd_window(&a), 8);
}

/* Round trips far above the best seen are a queue filling up. */
static void test_aimd_queueing(void **state)
{
	(void)state;
	struct dd_aimd a;
	dd_aimd_init(&a, 256, 8, 4096, 2000);
	for (int i = 0; i < 10; i++)
		dd_aimd_answer(&a, i, 30, false);
	size_t before = dd_aimd_window(&a);
	for (int i = 0; i < 40; i++)
		dd_aimd_answer(&a, 100 + i, 400, false); /* 4 x 30 + 100 is the limit */
	assert_true(dd_aimd_window(&a) <= before / 2 + 40);
	assert_true(a.cuts >= 1);
	/* a path with a steady 250 ms never counts as congested */
	dd_aimd_init(&a, 256, 8, 4096, 2000);
	for (int i = 0; i < 500; i++)
		dd_aimd_answer(&a, i, 250, false);
	assert_int_equal(a.cuts, 0);
	assert_int_equal(dd_aimd_window(&a), 756);
}

/* Any one-second span sees at most rate + burst tokens. */
static void test_ratelimit(void **state)
{
	(void)state;
	struct dd_ratelimit r;
	dd_ratelimit_init(&r, 100, 0);
	int taken[3000] = { 0 }; /* by millisecond */
	for (int ms = 0; ms < 3000; ms++)
		while (dd_ratelimit_take(&r, ms))
			taken[ms]++;
	int total = 0, worst = 0;
	for (int ms = 0; ms < 3000; ms++)
		total += taken[ms];
	for (int start = 0; start + 1000 <= 3000; start++) {
		int n = 0;
		for (int ms = start; ms < start + 1000; ms++)
			n += taken[ms];
		worst = n > worst ? n : worst;
	}
	assert_true(total >= 299 && total <= 301);
	assert_true(worst <= 100 + 5);
	/* the wait says when the next token comes, never too early */
	dd_ratelimit_init(&r, 10, 0);
	assert_true(dd_ratelimit_take(&r, 0));
	assert_false(dd_ratelimit_take(&r, 0));
	int wait = dd_ratelimit_wait_ms(&r, 0);
	assert_int_equal(wait, 100);
	assert_false(dd_ratelimit_take(&r, wait - 1));
	assert_true(dd_ratelimit_take(&r, wait));
	/* no limit */
	dd_ratelimit_init(&r, 0, 0);
	for (int i = 0; i < 10000; i++)
		assert_true(dd_ratelimit_take(&r, 0));
	assert_int_equal(dd_ratelimit_wait_ms(&r, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aimd_grows_to_the_max),
		cmocka_unit_test(test_aimd_halves_on_loss),
		cmocka_unit_test(test_aimd_queueing),
		cmocka_unit_test(test_ratelimit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
