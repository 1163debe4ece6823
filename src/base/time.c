/*
 * Time. Stored times are UTC epoch milliseconds; dates that people read (deadlines, holidays)
 * are civil dates in China Standard Time. Day arithmetic uses the days-from-civil method on the
 * proleptic Gregorian calendar, exact for any year we will meet and free of time-zone tables.
 */
#include "base.h"

#include <stdio.h>
#include <time.h>

yw_ms yw_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (yw_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t yw_now_us_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

bool yw_date_valid(yw_date d)
{
	return d.y >= 1 && d.y <= 9999 && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
	       d.d <= days_in_month(d.y, d.m);
}

bool yw_date_parse(const char *s, yw_date *out)
{
	if (!s)
		return false;
	for (int i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	}
	if (s[10] != '\0')
		return false;
	yw_date d = {
		(s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'),
		(s[5] - '0') * 10 + (s[6] - '0'),
		(s[8] - '0') * 10 + (s[9] - '0'),
	};
	if (!yw_date_valid(d))
		return false;
	*out = d;
	return true;
}

void yw_date_format(yw_date d, char out[11])
{
	/* unsigned and bounded, so the compiler can see that ten characters always suffice */
	unsigned y = (unsigned)d.y % 10000u, m = (unsigned)d.m % 100u, dd = (unsigned)d.d % 100u;
	snprintf(out, 11, "%04u-%02u-%02u", y, m, dd);
}

int64_t yw_date_to_days(yw_date d)
{
	int y = d.y - (d.m <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

yw_date yw_days_to_date(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	int y = (int)(yoe + era * 400 + (m <= 2));
	return (yw_date){ y, m, d };
}

int yw_date_weekday(yw_date d)
{
	int64_t days = yw_date_to_days(d);  /* 1970-01-01 was a Thursday */
	int64_t w = (days + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

yw_date yw_date_today_cst(void)
{
	/* China has one time zone and no daylight saving: UTC+8 is exact. */
	int64_t days = (yw_now_ms() / 1000 + 8 * 3600) / 86400;
	return yw_days_to_date(days);
}
