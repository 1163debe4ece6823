/*
 * The pure part of the demo's case loader (src/cases/load.c): the state drawn for case k. The
 * inbox benchmark relies on its mix (most cases completed, about a fifth open) and on the same
 * seed giving the same cases, so that a data folder kept between runs reads the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cases/cases.h"

static void same_seed_same_states(void **state)
{
	(void)state;
	for (long long k = 1; k <= 5000; k++)
		assert_int_equal(yw_cases_load_state(7, k), yw_cases_load_state(7, k));
	/* Another seed draws other cases: not all 5,000 alike. */
	int differ = 0;
	for (long long k = 1; k <= 5000; k++)
		differ += yw_cases_load_state(7, k) != yw_cases_load_state(8, k);
	assert_true(differ > 500);
}

static void the_mix(void **state)
{
	(void)state;
	long long n = 200000, count[YW_CS__COUNT] = { 0 };
	for (long long k = 1; k <= n; k++) {
		yw_case_state s = yw_cases_load_state(20261130u, k);
		assert_true(s < YW_CS__COUNT);
		count[s]++;
	}
	/* Per mille, within 0.5 percentage points of what cases.h promises. */
#define NEAR(st, pm) assert_true(count[st] * 1000 / n >= (pm) - 5 && count[st] * 1000 / n <= (pm) + 5)
	NEAR(YW_CS_COMPLETED, 800);
	NEAR(YW_CS_SUBMITTED, 60);
	NEAR(YW_CS_ACCEPTED, 50);
	NEAR(YW_CS_REVIEW, 50);
	NEAR(YW_CS_SUPPLEMENT, 30);
	NEAR(YW_CS_SUSPENDED, 10);
#undef NEAR
	/* Nothing else: no drafts, no final states other than completed. */
	assert_int_equal(count[YW_CS_DRAFT] + count[YW_CS_PRE_REVIEW] + count[YW_CS_NOT_ACCEPTED] +
	                 count[YW_CS_DECIDED] + count[YW_CS_RESULT_MADE] + count[YW_CS_DELIVERED] +
	                 count[YW_CS_WITHDRAWN] + count[YW_CS_TERMINATED], 0);
}

/* Consecutive k are not correlated: runs of one state are as short as chance makes them. */
static void neighbours_independent(void **state)
{
	(void)state;
	long long same = 0, n = 100000;
	for (long long k = 1; k < n; k++)
		same += yw_cases_load_state(1, k) == yw_cases_load_state(1, k + 1);
	/* P(two draws alike) = 0.8² + 0.06² + 2·0.05² + 0.03² + 0.01² ≈ 0.6506 */
	assert_true(same * 1000 / n >= 640 && same * 1000 / n <= 661);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_seed_same_states),
		cmocka_unit_test(the_mix),
		cmocka_unit_test(neighbours_independent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
