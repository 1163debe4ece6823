/*
 * Fuzz the identifier validators, the division lookup and the calendar with arbitrary strings.
 * Invariants beyond "no crash, no sanitizer report": whatever a validator accepts, it accepts
 * again in its normalised form; a division is found again by its presented code and hangs
 * under its parent; a working-day count lands on a working day after `from`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "ref/ref.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void fuzz_id(const char *s)
{
	char id[19], again[19], masked[19];
	if (yw_id_check(s, id) != YW_E_OK)
		return;
	CHECK(strlen(id) == 18);
	CHECK(yw_id_check(id, again) == YW_E_OK && !strcmp(id, again));
	CHECK(yw_id_check_char(id) == id[17]);
	yw_date birth;
	yw_id_birth(id, &birth);
	CHECK(yw_date_valid(birth));
	(void)yw_id_is_male(id);
	yw_mask_id(id, masked);
	CHECK(strlen(masked) == 18 && !memcmp(masked + 4, "**********", 10));
}

static void fuzz_mobile(const char *s)
{
	char m[12], masked[12];
	(void)yw_uscc_check(s);
	if (yw_mobile_check(s, m) != YW_E_OK)
		return;
	CHECK(strlen(m) == 11 && m[0] == '1');
	yw_mask_mobile(m, masked);
	CHECK(!memcmp(masked + 3, "****", 4));
}

static void fuzz_division(const char *s)
{
	const yw_division *d;
	yw_err e = yw_division_find(s, &d);
	CHECK(e == YW_E_OK || e == YW_E_BAD_DIVISION_CODE || e == YW_E_DIVISION_NOT_FOUND);
	if (e != YW_E_OK)
		return;
	char code[YW_DIV_CODE_MAX];
	yw_division_code(d, code);
	const yw_division *again;
	CHECK(yw_division_find(code, &again) == YW_E_OK && again == d);
	CHECK(yw_division_name(d)[0] != '\0');
	const yw_division *p = yw_division_parent(d), *kids;
	if (p) {
		size_t n = yw_division_children(p, &kids);
		CHECK(d >= kids && d < kids + n);
	}
	size_t n = yw_division_children(d, &kids);
	for (size_t i = 0; i < n; i++)
		CHECK(yw_division_parent(&kids[i]) == d);
}

static void fuzz_calendar(yw_date d, int n)
{
	bool w;
	yw_err e = yw_workday_is(d, &w);
	CHECK(e == YW_E_OK || e == YW_E_BAD_DATE || e == YW_E_CALENDAR_OUT_OF_RANGE);
	CHECK((e == YW_E_OK) == yw_calendar_covers(d));
	yw_date due;
	e = yw_workdays_add(d, n, &due);
	if (e == YW_E_OK) {
		CHECK(yw_date_to_days(due) > yw_date_to_days(d));
		CHECK(yw_workday_is(due, &w) == YW_E_OK && w);
	}
	const yw_cal_day *days;
	size_t count;
	if (yw_calendar_year(d.y, &days, &count) == YW_E_OK)
		for (size_t i = 0; i < count; i++)
			CHECK(days[i].date / 10000 == d.y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	fuzz_id(s);
	fuzz_mobile(s);
	fuzz_division(s);

	/* A parsed date with a count taken from the input, and also raw integers as a date, so that
	 * impossible and far-away dates reach the calendar too. */
	yw_date d;
	int n = size ? (int)(data[size - 1] % 64) - 8 : 1;
	if (yw_date_parse(s, &d))
		fuzz_calendar(d, n);
	if (size >= 3 * sizeof(int)) {
		int v[3];
		memcpy(v, data, sizeof v);
		fuzz_calendar((yw_date){ v[0], v[1], v[2] }, n * 97);
	}
	free(s);
	return 0;
}
