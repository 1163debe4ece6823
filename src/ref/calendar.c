/* Working days over the generated holiday table (see ref.h and scripts/gen-calendar.mjs). */
#include "ref/ref.h"

static int32_t ymd(yw_date d)
{
	return (int32_t)d.y * 10000 + d.m * 100 + d.d;
}

/* Index of the first row dated on or after key (yw_cal_ndays when none). */
static uint32_t lower_bound(int32_t key)
{
	uint32_t lo = 0, hi = yw_cal_ndays;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (yw_cal_days[mid].date < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const yw_cal_day *special_day(yw_date d)
{
	int32_t key = ymd(d);
	uint32_t i = lower_bound(key);
	return i < yw_cal_ndays && yw_cal_days[i].date == key ? &yw_cal_days[i] : NULL;
}

int yw_calendar_first_year(void)
{
	return yw_cal_first_year;
}

int yw_calendar_last_year(void)
{
	return yw_cal_last_year;
}

const char *yw_calendar_source(void)
{
	return yw_cal_source;
}

bool yw_calendar_covers(yw_date d)
{
	return yw_date_valid(d) && d.y >= yw_cal_first_year && d.y <= yw_cal_last_year;
}

/* STANDARDS.md §4; d must be covered. The holiday rows already include the weekend days inside
 * a holiday block, so a weekday test is only needed for ordinary days. */
static bool is_workday(yw_date d)
{
	const yw_cal_day *s = special_day(d);
	if (s)
		return s->kind == YW_CAL_WORKDAY;
	int wd = yw_date_weekday(d);
	return wd >= 1 && wd <= 5;
}

static yw_err check_covered(yw_date d)
{
	if (!yw_date_valid(d))
		return YW_E_BAD_DATE;
	if (!yw_calendar_covers(d))
		return YW_E_CALENDAR_OUT_OF_RANGE;
	return YW_E_OK;
}

yw_err yw_workday_is(yw_date d, bool *out)
{
	yw_err e = check_covered(d);
	if (e == YW_E_OK)
		*out = is_workday(d);
	return e;
}

yw_err yw_workdays_add(yw_date from, int n, yw_date *out)
{
	if (n < 1)
		return YW_E_BAD_DAYS;
	yw_err e = check_covered(from);
	if (e != YW_E_OK)
		return e;
	/* Counting must stop at the end of the data: a day past it cannot be classified, and a
	 * deadline computed on a Monday-to-Friday guess would be wrong around the next holidays. */
	int64_t last = yw_date_to_days((yw_date){ yw_cal_last_year, 12, 31 });
	int64_t day = yw_date_to_days(from);
	while (n > 0) {
		if (++day > last)
			return YW_E_CALENDAR_OUT_OF_RANGE;
		if (is_workday(yw_days_to_date(day)))
			n--;
	}
	*out = yw_days_to_date(day);
	return YW_E_OK;
}

yw_err yw_workdays_between(yw_date from, yw_date to, int *out)
{
	yw_err e = check_covered(from);
	if (e == YW_E_OK)
		e = check_covered(to);
	if (e != YW_E_OK)
		return e;
	int64_t day = yw_date_to_days(from), end = yw_date_to_days(to);
	int n = 0;
	while (++day <= end)
		n += is_workday(yw_days_to_date(day));
	*out = n;
	return YW_E_OK;
}

yw_err yw_calendar_year(int year, const yw_cal_day **first, size_t *n)
{
	*first = NULL;
	*n = 0;
	if (year < yw_cal_first_year || year > yw_cal_last_year)
		return YW_E_CALENDAR_OUT_OF_RANGE;
	uint32_t lo = lower_bound((int32_t)year * 10000);
	uint32_t hi = lower_bound((int32_t)(year + 1) * 10000);
	*first = lo < hi ? &yw_cal_days[lo] : NULL;
	*n = hi - lo;
	return YW_E_OK;
}
