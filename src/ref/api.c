/*
 * HTTP handlers for the reference data:
 *   GET /api/v1/divisions                  the provinces
 *   GET /api/v1/divisions/{code}           one division, its parents and its children
 *   GET /api/v1/calendar/{year}            a year's holidays and make-up working days
 *   GET /api/v1/calendar/workdays?from=&days=   the n-th working day after a date
 *   POST /api/v1/calendar/workdays          the same with a JSON body {"from", "days"}
 */
#include <string.h>

#include "http/http.h"
#include "ref/ref.h"

/* Input echoed in an error detail only when it is short printable ASCII: anything else could
 * be long, or invalid UTF-8 that would make the whole detail unencodable. */
static const char *echo(const char *s)
{
	if (!s)
		return "（无）";
	size_t n = strnlen(s, 33);
	if (n == 0)
		return "（空）";
	if (n > 32)
		return "（过长，略）";
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return "（含非法字符，略）";
	return s;
}

/* ---- divisions --------------------------------------------------------------------------- */

/* These answers are written straight into the arena instead of through jansson: a county's
 * answer has dozens of objects, and building and dumping them cost ~30 times the lookup. It is
 * safe because the generator refuses any name that would need escaping in JSON. */

/* Room for one division object with every member, beyond its name. */
#define DIVISION_JSON_FIXED 96

static char *put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define PUT_LIT(p, lit) put((p), (lit), sizeof(lit) - 1)

static size_t division_json_size(const yw_division *d)
{
	return DIVISION_JSON_FIXED + strlen(yw_division_name(d));
}

/* {"code","name","level"} and, for list entries, "has_children". */
static char *division_json(char *p, const yw_division *d, bool with_has_children)
{
	char code[YW_DIV_CODE_MAX];
	size_t n = yw_division_code(d, code);
	const char *name = yw_division_name(d);
	const char *level = yw_division_level_name(yw_division_level(d));
	p = PUT_LIT(p, "{\"code\":\"");
	p = put(p, code, n);
	p = PUT_LIT(p, "\",\"name\":\"");
	p = put(p, name, strlen(name));
	p = PUT_LIT(p, "\",\"level\":\"");
	p = put(p, level, strlen(level));
	if (!with_has_children)
		return PUT_LIT(p, "\"}");
	if (d->nchildren)
		return PUT_LIT(p, "\",\"has_children\":true}");
	return PUT_LIT(p, "\",\"has_children\":false}");
}

static size_t division_list_size(const yw_division *first, size_t n)
{
	size_t size = 2;
	for (size_t i = 0; i < n; i++)
		size += division_json_size(&first[i]) + 1;
	return size;
}

static char *division_list(char *p, const yw_division *first, size_t n)
{
	*p++ = '[';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		p = division_json(p, &first[i], true);
	}
	*p++ = ']';
	return p;
}

static yw_err reply_built(yw_req *r, char *body, char *end)
{
	return yw_reply_raw(r, 200, "application/json", body, (size_t)(end - body));
}

static yw_err provinces(yw_req *r)
{
	const yw_division *first;
	size_t n = yw_division_provinces(&first);
	char *body = yw_alloc(r->arena, 16 + division_list_size(first, n));
	if (!body)
		return YW_E_NO_MEMORY;
	char *p = PUT_LIT(body, "{\"items\":");
	p = division_list(p, first, n);
	*p++ = '}';
	return reply_built(r, body, p);
}

static yw_err division(yw_req *r)
{
	const char *code = yw_req_param(r, "code");
	const yw_division *d;
	yw_err e = yw_division_find(code, &d);
	if (e == YW_E_BAD_DIVISION_CODE)
		return yw_fail(r, e, "行政区划代码应为 2、4、6、9 或 12 位数字，收到 %s", echo(code));
	if (e != YW_E_OK)
		return yw_fail(r, e, "没有代码为 %s 的行政区划（数据只到乡镇街道一级）", echo(code));

	/* Province first, immediate parent last. */
	const yw_division *chain[4];
	size_t nparents = 0;
	for (const yw_division *p = yw_division_parent(d); p && nparents < 4; p = yw_division_parent(p))
		chain[nparents++] = p;
	const yw_division *kids;
	size_t nkids = yw_division_children(d, &kids);

	size_t size = 64 + division_json_size(d) + division_list_size(kids, nkids);
	for (size_t i = 0; i < nparents; i++)
		size += division_json_size(chain[i]) + 1;
	char *body = yw_alloc(r->arena, size);
	if (!body)
		return YW_E_NO_MEMORY;

	char *p = division_json(body, d, false) - 1;   /* reopen the object */
	p = PUT_LIT(p, ",\"parents\":[");
	for (size_t i = nparents; i-- > 0;) {
		p = division_json(p, chain[i], false);
		if (i > 0)
			*p++ = ',';
	}
	p = PUT_LIT(p, "],\"children\":");
	p = division_list(p, kids, nkids);
	*p++ = '}';
	return reply_built(r, body, p);
}

/* ---- calendar ---------------------------------------------------------------------------- */

/* The calendar answers go through jansson; the strings come from the generated table, valid
 * UTF-8 by construction, hence the _nocheck constructors. */

/* Set key to v, taking the reference; false (and v released) on any failure. */
static bool set(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new_nocheck(o, key, v) == 0;
}

static bool append(json_t *a, json_t *v)
{
	return json_array_append_new(a, v) == 0;
}

static json_t *date_json(int32_t yyyymmdd)
{
	char s[11];
	yw_date_format((yw_date){ yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100 }, s);
	return json_stringn_nocheck(s, 10);
}

static json_t *special_day_json(const yw_cal_day *day)
{
	json_t *o = json_object();
	if (o && set(o, "date", date_json(day->date)) && set(o, "name", json_string_nocheck(day->name)) &&
	    set(o, "name_en", json_string_nocheck(day->name_en)))
		return o;
	json_decref(o);
	return NULL;
}

/* {"holidays": [...], "workdays": [...]} members added to body from one year's rows. */
static bool add_special_days(json_t *body, const yw_cal_day *days, size_t n)
{
	/* Both are handed to body before anything can fail, so neither can leak. */
	bool ok = set(body, "holidays", json_array());
	ok = set(body, "workdays", json_array()) && ok;
	json_t *holidays = json_object_get(body, "holidays"), *workdays = json_object_get(body, "workdays");
	if (!ok)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_t *list = days[i].kind == YW_CAL_WORKDAY ? workdays : holidays;
		if (!append(list, special_day_json(&days[i])))
			return false;
	}
	return true;
}

/* Appended to every out-of-range detail, with the covered years. */
#define RANGE_NOTE "超出节假日日历的覆盖范围（%d–%d 年），需要更新节假日日历"
#define RANGE_ARGS yw_calendar_first_year(), yw_calendar_last_year()

static yw_err calendar_year(yw_req *r)
{
	const char *s = yw_req_param(r, "year");
	long long year;
	if (!s || strlen(s) != 4 || !yw_str_all_digits(s, 4) || !yw_parse_int(s, 0, 9999, &year))
		return yw_fail(r, YW_E_BAD_PARAMETER, "年份应为 4 位数字，收到 %s", echo(s));
	const yw_cal_day *days;
	size_t n;
	if (yw_calendar_year((int)year, &days, &n) != YW_E_OK)
		return yw_fail(r, YW_E_CALENDAR_OUT_OF_RANGE, "%lld 年" RANGE_NOTE, year, RANGE_ARGS);

	json_t *body = json_object(), *covered = json_object();
	if (!body || !covered) {
		json_decref(body);
		json_decref(covered);
		return YW_E_NO_MEMORY;
	}
	bool ok = set(body, "year", json_integer(year));
	ok = set(body, "covered", covered) && ok;   /* always hands covered over */
	ok = ok && set(covered, "from", json_integer(yw_calendar_first_year())) &&
	     set(covered, "to", json_integer(yw_calendar_last_year())) && add_special_days(body, days, n);
	if (!ok) {
		json_decref(body);
		return YW_E_NO_MEMORY;
	}
	return yw_reply_json(r, 200, body);
}

/* The one answer of both forms of the working-day query, once its inputs are read. */
static yw_err answer_workdays(yw_req *r, const char *from_s, bool days_ok, long long days)
{
	yw_date from;
	if (!from_s || !yw_date_parse(from_s, &from))
		return yw_fail(r, YW_E_BAD_DATE, "from 应为 YYYY-MM-DD 格式的真实日期，收到 %s", echo(from_s));
	if (!days_ok || days < 1 || days > 366)
		return yw_fail(r, YW_E_BAD_DAYS, "days 应为 1 到 366 之间的整数");
	if (!yw_calendar_covers(from))
		return yw_fail(r, YW_E_CALENDAR_OUT_OF_RANGE, "起算日期 %s " RANGE_NOTE, from_s, RANGE_ARGS);

	yw_date due;
	yw_err e = yw_workdays_add(from, (int)days, &due);
	if (e == YW_E_CALENDAR_OUT_OF_RANGE)
		return yw_fail(r, YW_E_CALENDAR_OUT_OF_RANGE, "从 %s 起第 %lld 个工作日" RANGE_NOTE, from_s,
		               days, RANGE_ARGS);
	if (e != YW_E_OK)
		return yw_fail(r, e, "无法计算工作日");

	char from_out[11], due_out[11];
	yw_date_format(from, from_out);
	yw_date_format(due, due_out);
	return yw_reply_json(r, 200, json_pack("{s:s, s:I, s:s}", "from", from_out, "days",
	                                       (json_int_t)days, "date", due_out));
}

/* GET …/workdays?from=YYYY-MM-DD&days=N */
static yw_err calendar_workdays(yw_req *r)
{
	const char *days_s = yw_req_query(r, "days");
	long long days = 0;
	bool days_ok = days_s && yw_parse_int(days_s, 1, 366, &days);
	return answer_workdays(r, yw_req_query(r, "from"), days_ok, days);
}

/* POST …/workdays {"from": "YYYY-MM-DD", "days": N}: for department systems that speak JSON.
 * days must be a JSON integer; "3" as a string is refused like any other wrong type. */
static yw_err calendar_workdays_json(yw_req *r)
{
	json_t *body;
	yw_err e = yw_req_json(r, &body);
	if (e)
		return e;
	const char *from_s = NULL;
	long long days = 0;
	yw_json_str(body, "from", &from_s);
	bool days_ok = yw_json_int(body, "days", &days);
	return answer_workdays(r, from_s, days_ok, days);
}

void yw_ref_routes(yw_router *rt)
{
	static const struct {
		const char *pattern;
		yw_handler_fn fn;
	} routes[] = {
		{ "/api/v1/divisions", provinces },
		{ "/api/v1/divisions/{code}", division },
		{ "/api/v1/calendar/workdays", calendar_workdays },
		{ "/api/v1/calendar/{year}", calendar_year },
	};
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
		if (yw_route(rt, "GET", routes[i].pattern, routes[i].fn) != 0)
			yw_log(YW_LOG_ERROR, "ref: cannot register route %s", routes[i].pattern);
	if (yw_route(rt, "POST", "/api/v1/calendar/workdays", calendar_workdays_json) != 0)
		yw_log(YW_LOG_ERROR, "ref: cannot register route POST /api/v1/calendar/workdays");
}
