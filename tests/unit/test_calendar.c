/* Working days against the State Council arrangements (STANDARDS.md §4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ref/ref.h"

static yw_date D(int y, int m, int d)
{
	return (yw_date){ y, m, d };
}

static bool workday(int y, int m, int d)
{
	bool w = false;
	assert_int_equal(yw_workday_is(D(y, m, d), &w), YW_E_OK);
	return w;
}

/* yw_workdays_add that must succeed; returns the date as yyyymmdd for readable asserts. */
static int add(int y, int m, int d, int n)
{
	yw_date out = { 0, 0, 0 };
	assert_int_equal(yw_workdays_add(D(y, m, d), n, &out), YW_E_OK);
	return out.y * 10000 + out.m * 100 + out.d;
}

/* Every day of [from, to] (same month) is a day off. */
static void assert_days_off(int y, int m, int from, int to)
{
	for (int d = from; d <= to; d++)
		if (workday(y, m, d))
			fail_msg("%04d-%02d-%02d should be a day off", y, m, d);
}

static void test_coverage(void **state)
{
	(void)state;
	assert_int_equal(yw_calendar_first_year(), 2004);
	assert_int_equal(yw_calendar_last_year(), 2026);
	assert_true(yw_calendar_covers(D(2004, 1, 1)));
	assert_true(yw_calendar_covers(D(2026, 12, 31)));
	assert_false(yw_calendar_covers(D(2003, 12, 31)));
	assert_false(yw_calendar_covers(D(2027, 1, 1)));
	assert_false(yw_calendar_covers(D(2025, 2, 29)));
}

static void test_makeup_workdays_2025(void **state)
{
	(void)state;
	/* 国办发明电〔2024〕12号: all five are Saturdays or Sundays that are worked. */
	assert_true(workday(2025, 1, 26));
	assert_true(workday(2025, 2, 8));
	assert_true(workday(2025, 4, 27));
	assert_true(workday(2025, 9, 28));
	assert_true(workday(2025, 10, 11));
	assert_int_equal(yw_date_weekday(D(2025, 1, 26)), 0);
	assert_int_equal(yw_date_weekday(D(2025, 10, 11)), 6);
}

static void test_holiday_blocks(void **state)
{
	(void)state;
	/* Spring Festival 2025: 01-28 … 02-04; the days around it are worked. */
	assert_true(workday(2025, 1, 27));
	for (int d = 28; d <= 31; d++)
		assert_false(workday(2025, 1, d));
	assert_days_off(2025, 2, 1, 4);
	assert_true(workday(2025, 2, 5));
	/* Spring Festival 2026: 02-15 … 02-23, make-up days 02-14 and 02-28. */
	assert_days_off(2026, 2, 15, 23);
	assert_true(workday(2026, 2, 14));
	assert_true(workday(2026, 2, 24));
	assert_true(workday(2026, 2, 28));
	/* National Day 2025 (with Mid-Autumn): 10-01 … 10-08; 2026: 10-01 … 10-07. */
	assert_days_off(2025, 10, 1, 8);
	assert_true(workday(2025, 10, 9));
	assert_days_off(2026, 10, 1, 7);
	assert_true(workday(2026, 10, 8));
	assert_true(workday(2026, 10, 10));
	assert_false(workday(2026, 10, 11));
}

static void test_ordinary_days(void **state)
{
	(void)state;
	assert_true(workday(2025, 3, 10));   /* Monday */
	assert_true(workday(2025, 3, 14));   /* Friday */
	assert_false(workday(2025, 3, 8));   /* Saturday */
	assert_false(workday(2025, 3, 9));   /* Sunday */
	assert_true(workday(2004, 3, 1));    /* Monday in the first covered year */
	assert_false(workday(2026, 12, 27)); /* Sunday in the last */
	assert_true(workday(2026, 12, 31));  /* Thursday, last covered day */
}

static void test_add(void **state)
{
	(void)state;
	/* The case from the API contract: Oct 1–7 off, 08 and 09 worked, 10 a make-up Saturday. */
	assert_int_equal(add(2026, 9, 30, 3), 20261010);
	assert_int_equal(add(2026, 9, 30, 1), 20261008);
	/* `from` itself never counts, even when it is a working day. */
	assert_int_equal(add(2025, 3, 10, 1), 20250311);
	/* From a weekend or a holiday the count starts on the next working day. */
	assert_int_equal(add(2025, 3, 8, 1), 20250310);
	assert_int_equal(add(2025, 1, 28, 1), 20250205);
	/* Across the year boundary: 12-31 (1), 01-01…03 off, 01-04 make-up Sunday (2), 01-05 (3). */
	assert_int_equal(add(2025, 12, 30, 3), 20260105);
	assert_int_equal(add(2025, 12, 30, 2), 20260104);
	/* A whole year: 2025 has 248 working days (365 − 104 weekend days − 18 holidays on weekdays
	 * + 5 make-up days), so the 248th after 2024-12-31 is 2025-12-31. */
	assert_int_equal(add(2024, 12, 31, 248), 20251231);
	assert_int_equal(add(2024, 12, 31, 249), 20260104);
	assert_int_equal(add(2024, 12, 31, 250), 20260105);
	/* Up to the very last covered day. */
	assert_int_equal(add(2026, 12, 28, 3), 20261231);
}

/* The working days a clock ran between two days, (from, to]: what a paused case does not
 * count, and what a case has left. */
static int between(int fy, int fm, int fd, int ty, int tm, int td)
{
	int n = -1;
	assert_int_equal(yw_workdays_between(D(fy, fm, fd), D(ty, tm, td), &n), YW_E_OK);
	return n;
}

static void test_between(void **state)
{
	(void)state;
	/* Oct 1–7 2026 off, 08 and 09 worked, 10 a make-up Saturday, 11 a Sunday. */
	assert_int_equal(between(2026, 9, 30, 2026, 10, 11), 3);
	assert_int_equal(between(2026, 9, 30, 2026, 10, 7), 0);
	/* from itself never counts; to does. */
	assert_int_equal(between(2025, 3, 10, 2025, 3, 10), 0);
	assert_int_equal(between(2025, 3, 10, 2025, 3, 11), 1);
	/* to before from: nothing ran. */
	assert_int_equal(between(2025, 3, 14, 2025, 3, 10), 0);
	/* It is the inverse of yw_workdays_add: the n-th working day after d is n working days on. */
	assert_int_equal(between(2024, 12, 31, 2025, 12, 31), 248);
	assert_int_equal(between(2025, 12, 30, 2026, 1, 5), 3);
	int n = -1;
	assert_int_equal(yw_workdays_between(D(2026, 12, 1), D(2027, 1, 4), &n), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_int_equal(yw_workdays_between(D(2003, 12, 31), D(2004, 1, 5), &n), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_int_equal(yw_workdays_between(D(2025, 2, 30), D(2025, 3, 5), &n), YW_E_BAD_DATE);
	assert_int_equal(n, -1);
}

static void test_out_of_range(void **state)
{
	(void)state;
	bool w = true;
	yw_date out = D(1, 1, 1);
	assert_int_equal(yw_workday_is(D(2003, 12, 31), &w), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_int_equal(yw_workday_is(D(2027, 1, 4), &w), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_int_equal(yw_workdays_add(D(2003, 12, 31), 1, &out), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_int_equal(yw_workdays_add(D(2027, 1, 4), 1, &out), YW_E_CALENDAR_OUT_OF_RANGE);
	/* Stepping past 2026-12-31 must fail, never fall back to a Monday-to-Friday guess. */
	assert_int_equal(yw_workdays_add(D(2026, 12, 31), 1, &out), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_int_equal(yw_workdays_add(D(2026, 12, 28), 4, &out), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_int_equal(yw_workdays_add(D(2004, 1, 1), 1000000, &out), YW_E_CALENDAR_OUT_OF_RANGE);
	/* Failures leave *out alone. */
	assert_int_equal(out.y, 1);
	assert_true(w);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	yw_date out = D(1, 1, 1);
	bool w;
	assert_int_equal(yw_workdays_add(D(2025, 3, 10), 0, &out), YW_E_BAD_DAYS);
	assert_int_equal(yw_workdays_add(D(2025, 3, 10), -1, &out), YW_E_BAD_DAYS);
	assert_int_equal(yw_workdays_add(D(2025, 2, 29), 1, &out), YW_E_BAD_DATE);
	assert_int_equal(yw_workday_is(D(2025, 13, 1), &w), YW_E_BAD_DATE);
	assert_int_equal(yw_workday_is(D(2025, 4, 31), &w), YW_E_BAD_DATE);
	assert_int_equal(out.y, 1);
}

static void test_year_listing(void **state)
{
	(void)state;
	const yw_cal_day *days;
	size_t n;
	assert_int_equal(yw_calendar_year(2025, &days, &n), YW_E_OK);
	assert_int_equal(n, 33);   /* 28 days off + 5 make-up working days */
	assert_int_equal(days[0].date, 20250101);
	assert_int_equal(days[0].kind, YW_CAL_HOLIDAY);
	assert_string_equal(days[0].name, "元旦");
	assert_string_equal(days[0].name_en, "New Year's Day");
	assert_int_equal(days[1].date, 20250126);
	assert_int_equal(days[1].kind, YW_CAL_WORKDAY);
	assert_string_equal(days[1].name, "春节");
	assert_int_equal(days[n - 1].date, 20251011);
	size_t makeup = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(days[i].date / 10000 == 2025);
		if (i > 0)
			assert_true(days[i - 1].date < days[i].date);
		makeup += days[i].kind == YW_CAL_WORKDAY;
	}
	assert_int_equal(makeup, 5);

	assert_int_equal(yw_calendar_year(2003, &days, &n), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_null(days);
	assert_int_equal(n, 0);
	assert_int_equal(yw_calendar_year(2027, &days, &n), YW_E_CALENDAR_OUT_OF_RANGE);
	assert_int_equal(yw_calendar_year(2004, &days, &n), YW_E_OK);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_makeup_workdays_2025),
		cmocka_unit_test(test_holiday_blocks),
		cmocka_unit_test(test_ordinary_days),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_between),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_year_listing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
