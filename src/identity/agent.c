/*
 * Agents (代办/委托) and organisation handlers (经办人): who may act for whom (R-ID-012).
 *
 * The rules are pure functions (tested in tests/unit/test_org.c); yw_idn_acts_for reads the
 * candidate authorizations with orgdb.c and lets yw_deleg_check decide on each, so that the
 * database narrows and the tested code decides.
 */
#include <string.h>

#include "identity/internal.h"

const yw_org_type yw_org_types[] = {
	/* USCC 9-1 (工商: 企业) and 9-3 (农民专业合作社) */
	{ "enterprise", "企业" },
	/* USCC 9-2 */
	{ "individual_business", "个体工商户" },
	/* USCC 1-2 (机构编制: 事业单位), A-1 (军队事业单位) */
	{ "public_institution", "事业单位" },
	/* USCC 5-x (民政: 社会团体、民办非企业单位、基金会), 1-3, 8-1 (工会) */
	{ "social_organization", "社会组织" },
	/* USCC 1-1 (机构编制: 机关) */
	{ "government_agency", "机关" },
	/* everything else: 律师事务所, 宗教活动场所, 集体经济组织 … */
	{ "other", "其他" },
};
const size_t yw_org_types_n = sizeof yw_org_types / sizeof yw_org_types[0];

const char *yw_org_type_zh(const char *key)
{
	for (size_t i = 0; key && i < yw_org_types_n; i++)
		if (!strcmp(yw_org_types[i].key, key))
			return yw_org_types[i].zh;
	return NULL;
}

/* 基本编码: SS TT MMMMM sss, all digits; SS is 00 (national catalog) or a province code. */
static bool basic_code_valid(const char *s)
{
	if (!yw_str_all_digits(s, 12))
		return false;
	int ss = (s[0] - '0') * 10 + (s[1] - '0');
	return ss == 0 || (ss >= 11 && ss <= 82);
}

bool yw_item_code_valid(const char *code)
{
	if (!code)
		return false;
	size_t n = strnlen(code, 34);
	if (n == 12)
		return basic_code_valid(code);
	if (n != 31 && n != 33)
		return false;
	char uscc[19];
	memcpy(uscc, code, 18);
	uscc[18] = '\0';
	if (yw_uscc_check(uscc) != YW_E_OK || code[18] < '1' || code[18] > '7')
		return false;
	char basic[13];
	memcpy(basic, code + 19, 12);
	basic[12] = '\0';
	if (!basic_code_valid(basic))
		return false;
	return n == 31 || (yw_str_all_digits(code + 31, 2) && strcmp(code + 31, "00"));
}

/* One listed code c (length cn) covers item: equal, or c is a 基本编码 that item is built on. */
static bool code_covers(const char *c, size_t cn, const char *item)
{
	size_t in = strlen(item);
	if (cn == in && !memcmp(c, item, cn))
		return true;
	return cn == 12 && (in == 31 || in == 33) && !memcmp(item + 19, c, 12);
}

bool yw_items_cover(const char *items, const char *item_code)
{
	if (!items)
		return false;
	if (!strcmp(items, "*"))
		return true;
	if (!item_code || !item_code[0])
		return false;
	for (const char *p = items; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n && code_covers(p, n, item_code))
			return true;
		p += n + (end ? 1 : 0);
	}
	return false;
}

yw_date yw_cst_date(yw_ms now)
{
	/* China has one time zone and no daylight saving: UTC+8 is exact. Floor division, so an
	 * instant before 1970 still lands on the right day. */
	int64_t s = now / 1000 - (now % 1000 < 0 ? 1 : 0) + 8 * 3600;
	int64_t days = s / 86400 - (s % 86400 < 0 ? 1 : 0);
	return yw_days_to_date(days);
}

yw_vu_verdict yw_valid_until_check(const char *s, yw_date today)
{
	yw_date d;
	if (!s || !yw_date_parse(s, &d))
		return YW_VU_BAD;
	int64_t day = yw_date_to_days(d);
	if (day < yw_date_to_days(today))
		return YW_VU_PAST;
	yw_date last = { today.y + YW_DELEG_MAX_YEARS, today.m, today.d };
	if (!yw_date_valid(last))
		last.d = 28;        /* 29 February in a year that has none */
	return day > yw_date_to_days(last) ? YW_VU_TOO_FAR : YW_VU_OK;
}

yw_deleg_verdict yw_deleg_check(const char *items, const char *valid_until, bool revoked,
                                yw_date today, const char *item_code)
{
	if (revoked)
		return YW_DELEG_REVOKED;
	yw_date until;
	/* An unreadable stored date is treated as lapsed: the safe side of a broken row. */
	if (!valid_until || !yw_date_parse(valid_until, &until) ||
	    yw_date_to_days(until) < yw_date_to_days(today))
		return YW_DELEG_EXPIRED;
	return yw_items_cover(items, item_code) ? YW_DELEG_LIVE : YW_DELEG_NOT_COVERED;
}

const char *yw_actor_for(yw_arena *a, const yw_caller *caller, const char *owner_kind,
                         const char *owner_id)
{
	if (!caller || !caller->kind || !caller->id)
		return "anonymous";
	if (!owner_kind || !owner_id ||
	    (!strcmp(owner_kind, caller->kind) && !strcmp(owner_id, caller->id)))
		return yw_sprintf(a, "%s:%s", caller->kind, caller->id);
	return yw_sprintf(a, "%s:%s for %s:%s", caller->kind, caller->id, owner_kind, owner_id);
}

static bool any_live(const yw_idn_deleg *d, int n, yw_date today, const char *item_code)
{
	for (int i = 0; i < n; i++)
		if (yw_deleg_check(d[i].items, d[i].valid_until, d[i].revoked_at != 0, today,
		                   item_code) == YW_DELEG_LIVE)
			return true;
	return false;
}

yw_err yw_idn_acts_for(yw_db *db, yw_arena *a, const char *person, const char *owner_kind,
                       const char *owner_id, const char *item_code, yw_ms now, bool *yes)
{
	*yes = false;
	if (!person || !owner_kind || !owner_id)
		return YW_E_OK;
	yw_date today = yw_cst_date(now);
	char day[11];
	yw_date_format(today, day);
	yw_idn_deleg *d = NULL;
	int n = 0;
	yw_err e;
	if (!strcmp(owner_kind, "person")) {
		if ((e = yw_idn_agents_live(db, a, owner_id, person, day, &d, &n)))
			return e;
	} else if (!strcmp(owner_kind, "org")) {
		yw_idn_org o;
		e = yw_idn_org_get(db, a, owner_id, &o);
		if (e == YW_E_NOT_FOUND)
			return YW_E_OK;
		if (e)
			return e;
		/* The legal representative acts for the organisation on every item. */
		if (!strcmp(o.legal_rep_id, person)) {
			*yes = true;
			return YW_E_OK;
		}
		if ((e = yw_idn_handlers_live(db, a, owner_id, person, day, &d, &n)))
			return e;
	} else {
		return YW_E_OK;
	}
	*yes = any_live(d, n, today, item_code);
	return YW_E_OK;
}
