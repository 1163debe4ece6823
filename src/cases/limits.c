/*
 * The clock of a case and of each of its tasks (cases.h R-CASE-020 … R-CASE-025), in working
 * days of the State Council calendar that ref carries. Pure: the clock is a small value the
 * caller stores (limit, extension, paused days, start, running pause) and the due day is always
 * recomputed from it rather than stored alone, so a pause or an extension can never leave a
 * stale due day behind.
 */
#include "cases/cases.h"
#include "ref/ref.h"

int yw_case_ymd(yw_date d)
{
	return d.y * 10000 + d.m * 100 + d.d;
}

yw_date yw_case_date(int ymd)
{
	return (yw_date){ ymd / 10000, ymd / 100 % 100, ymd % 100 };
}

int yw_case_today(void)
{
	return yw_case_ymd(yw_date_today_cst());
}

/* R-CASE-020, R-CASE-021, R-CASE-023, R-CASE-024. */
yw_err yw_case_clock_due(const yw_case_clock *c, int *due_on)
{
	*due_on = 0;
	if (c->limit_days < 0 || !c->started_on || c->paused_since)
		return YW_E_OK;
	yw_date start = yw_case_date(c->started_on);
	if (!yw_date_valid(start))
		return YW_E_BAD_DATE;
	int n = c->limit_days + c->extension_days + c->paused_workdays;
	if (n <= 0) {
		/* A limit of 0 days (即办: the same day) is due the day it starts, and the calendar
		 * must still reach that day for the answer to mean anything. */
		if (!yw_calendar_covers(start))
			return YW_E_CALENDAR_OUT_OF_RANGE;
		*due_on = c->started_on;
		return YW_E_OK;
	}
	yw_date due;
	yw_err e = yw_workdays_add(start, n, &due);
	if (e)
		return e;
	*due_on = yw_case_ymd(due);
	return YW_E_OK;
}

void yw_case_clock_pause(yw_case_clock *c, int today)
{
	if (!c->paused_since)
		c->paused_since = today;
}

/* R-CASE-023: the working days in (paused_since, today] did not count. When the calendar cannot
 * count them the pause keeps running, so that nothing is lost: resuming again once the calendar
 * is updated gives the right count. */
yw_err yw_case_clock_resume(yw_case_clock *c, int today)
{
	if (!c->paused_since)
		return YW_E_OK;
	int n = 0;
	yw_err e = yw_workdays_between(yw_case_date(c->paused_since), yw_case_date(today), &n);
	if (e)
		return e;
	c->paused_workdays += n;
	c->paused_since = 0;
	return YW_E_OK;
}

/* Counted as working days in (today, due_on]: the due day itself is one of the days left, and
 * on the due day nothing is left but that day, 0. Past it, a non-working day after the due day
 * is already overdue although no working day has passed: at least -1, so overdue is always
 * negative and red. */
yw_err yw_case_days_left(int due_on, int today, int *left)
{
	int n = 0;
	yw_err e;
	if (today <= due_on) {
		if ((e = yw_workdays_between(yw_case_date(today), yw_case_date(due_on), &n)))
			return e;
		*left = n;
		return YW_E_OK;
	}
	if ((e = yw_workdays_between(yw_case_date(due_on), yw_case_date(today), &n)))
		return e;
	*left = n > 0 ? -n : -1;
	return YW_E_OK;
}

/* R-CASE-025. */
yw_case_urgency yw_case_urgency_of(bool has_due, int days_left)
{
	if (!has_due)
		return YW_URG_NONE;
	if (days_left < 0)
		return YW_URG_RED;
	return days_left <= YW_CASE_YELLOW_DAYS ? YW_URG_YELLOW : YW_URG_GREEN;
}

const char *yw_case_urgency_name(yw_case_urgency u)
{
	switch (u) {
	case YW_URG_GREEN: return "green";
	case YW_URG_YELLOW: return "yellow";
	case YW_URG_RED: return "red";
	default: return "none";
	}
}
