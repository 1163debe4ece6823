/*
 * The pure rules of the catalog: item codes (STANDARDS.md §5) and time limits. No I/O, so that
 * tests/unit/test_catalog.c can state them exactly.
 */
#include <string.h>

#include "catalog/catalog.h"
#include "ref/ref.h"

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

bool yw_cat_basic_code_ok(const char *code)
{
	if (!code || strnlen(code, YW_CAT_BASIC_LEN + 1) != YW_CAT_BASIC_LEN ||
	    !yw_str_all_digits(code, YW_CAT_BASIC_LEN))
		return false;
	int ss = two(code), tt = two(code + 2);
	/* 00000 is no item: main numbers start at 00001. */
	return (ss == 0 || (ss >= 11 && ss <= 82)) && tt <= 29 && memcmp(code + 4, "00000", 5);
}

static yw_err bad(const char **why, const char *text)
{
	if (why)
		*why = text;
	return YW_E_BAD_ITEM_CODE;
}

yw_err yw_cat_impl_code_make(const char *uscc, int level, const char *basic, char out[32],
                             const char **why)
{
	if (!uscc || yw_uscc_check(uscc))
		return bad(why, "实施主体的统一社会信用代码校验未通过");
	if (level < 1 || level > 7)
		return bad(why, "行使层级应为 1 到 7");
	if (!yw_cat_basic_code_ok(basic))
		return bad(why, "基本编码应为 12 位数字（SS TT MMMMM sss）");
	memcpy(out, uscc, 18);
	out[18] = (char)('0' + level);
	memcpy(out + 19, basic, 12);
	out[31] = '\0';
	return YW_E_OK;
}

yw_err yw_cat_impl_code_parse(const char *code, yw_cat_code *out, const char **why)
{
	if (!code || strnlen(code, YW_CAT_IMPL_LEN + 1) != YW_CAT_IMPL_LEN)
		return bad(why, "实施编码应为 31 位：统一社会信用代码 18 位 + 行使层级 1 位 + 基本编码 12 位");
	yw_cat_code c;
	memcpy(c.uscc, code, 18);
	c.uscc[18] = '\0';
	memcpy(c.basic, code + 19, 12);
	c.basic[12] = '\0';
	c.level = code[18] >= '1' && code[18] <= '7' ? code[18] - '0' : 0;
	char again[32];
	yw_err e = yw_cat_impl_code_make(c.uscc, c.level, c.basic, again, why);
	if (e)
		return e;
	*out = c;
	return YW_E_OK;
}

int yw_cat_level_of_division(const char *division_code)
{
	const yw_division *d;
	if (!division_code || yw_division_find(division_code, &d))
		return 0;
	return (int)yw_division_level(d);
}

yw_err yw_cat_limits_check(const long long *statutory, const long long *promised, const char **why)
{
	const char *w = NULL;
	if ((statutory && *statutory < 0) || (promised && *promised < 0))
		w = "办结时限不能为负数";
	else if (statutory && promised && *promised > *statutory)
		w = "承诺办结时限不能长于法定办结时限";
	if (why)
		*why = w;
	return w ? YW_E_BAD_TIME_LIMIT : YW_E_OK;
}
