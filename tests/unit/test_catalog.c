/* The catalog's pure rules (src/catalog/rules.c): item codes per STANDARDS.md §5 and time limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "catalog/catalog.h"

/* A valid USCC of a government body in 埇桥区 (its organisation code and its own check
 * characters valid, made by scripts/lib/codes.mjs randomUscc). */
static void uscc(char out[19])
{
	memcpy(out, "113413022422071002", 19);
	assert_int_equal(yw_uscc_check(out), YW_E_OK);
}

static void basic_codes(void **state)
{
	(void)state;
	assert_true(yw_cat_basic_code_ok("000104002000"));    /* national 行政许可 04002 */
	assert_true(yw_cat_basic_code_ok("342004002001"));    /* Anhui-added 公共服务, sub-item 001 */
	assert_false(yw_cat_basic_code_ok(NULL));
	assert_false(yw_cat_basic_code_ok(""));
	assert_false(yw_cat_basic_code_ok("00010400200"));    /* 11 digits */
	assert_false(yw_cat_basic_code_ok("0001040020000"));  /* 13 */
	assert_false(yw_cat_basic_code_ok("00010400200A"));
	assert_false(yw_cat_basic_code_ok("050104002000"));   /* SS 05: no province */
	assert_false(yw_cat_basic_code_ok("990104002000"));
	assert_false(yw_cat_basic_code_ok("003004002000"));   /* type 30 */
	assert_false(yw_cat_basic_code_ok("000100000000"));   /* main item 00000 */
}

static void impl_code_round_trip(void **state)
{
	(void)state;
	char u[19], code[32];
	uscc(u);
	const char *why = NULL;
	assert_int_equal(yw_cat_impl_code_make(u, 4, "000104002000", code, &why), YW_E_OK);
	assert_int_equal(strlen(code), 31);
	assert_memory_equal(code, u, 18);
	assert_int_equal(code[18], '4');
	assert_string_equal(code + 19, "000104002000");
	yw_cat_code c;
	assert_int_equal(yw_cat_impl_code_parse(code, &c, &why), YW_E_OK);
	assert_string_equal(c.uscc, u);
	assert_int_equal(c.level, 4);
	assert_string_equal(c.basic, "000104002000");
}

static void impl_code_refusals(void **state)
{
	(void)state;
	char u[19], code[32], bad[40];
	uscc(u);
	const char *why = NULL;
	yw_cat_code c;
	/* wrong parts when building */
	assert_int_equal(yw_cat_impl_code_make(u, 0, "000104002000", code, &why), YW_E_BAD_ITEM_CODE);
	assert_non_null(strstr(why, "行使层级"));
	assert_int_equal(yw_cat_impl_code_make(u, 8, "000104002000", code, &why), YW_E_BAD_ITEM_CODE);
	assert_int_equal(yw_cat_impl_code_make(u, 4, "0001040020", code, &why), YW_E_BAD_ITEM_CODE);
	assert_non_null(strstr(why, "基本编码"));
	char wrong[19];
	memcpy(wrong, u, 19);
	wrong[17] = wrong[17] == '0' ? '1' : '0';   /* check character no longer matches */
	assert_int_equal(yw_cat_impl_code_make(wrong, 4, "000104002000", code, &why), YW_E_BAD_ITEM_CODE);
	assert_non_null(strstr(why, "统一社会信用代码"));
	/* wrong codes when parsing */
	assert_int_equal(yw_cat_impl_code_make(u, 4, "000104002000", code, &why), YW_E_OK);
	assert_int_equal(yw_cat_impl_code_parse(NULL, &c, &why), YW_E_BAD_ITEM_CODE);
	assert_int_equal(yw_cat_impl_code_parse("000104002000", &c, &why), YW_E_BAD_ITEM_CODE);
	assert_non_null(strstr(why, "31"));
	snprintf(bad, sizeof bad, "%s0", code);                 /* 32 characters */
	assert_int_equal(yw_cat_impl_code_parse(bad, &c, &why), YW_E_BAD_ITEM_CODE);
	memcpy(bad, code, 32);
	bad[17] = bad[17] == '0' ? '1' : '0';                   /* the USCC part */
	assert_int_equal(yw_cat_impl_code_parse(bad, &c, &why), YW_E_BAD_ITEM_CODE);
	assert_non_null(strstr(why, "统一社会信用代码"));
	memcpy(bad, code, 32);
	bad[18] = '9';                                          /* the level */
	assert_int_equal(yw_cat_impl_code_parse(bad, &c, &why), YW_E_BAD_ITEM_CODE);
	memcpy(bad, code, 32);
	bad[21] = '3';                                          /* type 30 in the basic part */
	assert_int_equal(yw_cat_impl_code_parse(bad, &c, &why), YW_E_BAD_ITEM_CODE);
}

static void levels(void **state)
{
	(void)state;
	assert_int_equal(yw_cat_level_of_division("340000"), 2);
	assert_int_equal(yw_cat_level_of_division("341300"), 3);
	assert_int_equal(yw_cat_level_of_division("341302"), 4);
	assert_int_equal(yw_cat_level_of_division("nonsense"), 0);
	assert_int_equal(yw_cat_level_of_division(NULL), 0);
}

static void limits(void **state)
{
	(void)state;
	long long s20 = 20, p5 = 5, p21 = 21, neg = -1, zero = 0;
	const char *why;
	assert_int_equal(yw_cat_limits_check(&s20, &p5, &why), YW_E_OK);
	assert_int_equal(yw_cat_limits_check(&s20, &s20, &why), YW_E_OK);
	assert_int_equal(yw_cat_limits_check(NULL, &p5, &why), YW_E_OK);
	assert_int_equal(yw_cat_limits_check(&s20, NULL, &why), YW_E_OK);
	assert_int_equal(yw_cat_limits_check(NULL, NULL, &why), YW_E_OK);
	assert_int_equal(yw_cat_limits_check(&zero, &zero, &why), YW_E_OK);   /* 即办 */
	assert_int_equal(yw_cat_limits_check(&s20, &p21, &why), YW_E_BAD_TIME_LIMIT);
	assert_non_null(strstr(why, "承诺"));
	assert_int_equal(yw_cat_limits_check(&neg, NULL, &why), YW_E_BAD_TIME_LIMIT);
	assert_non_null(strstr(why, "负数"));
	assert_int_equal(yw_cat_limits_check(&s20, &neg, &why), YW_E_BAD_TIME_LIMIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(basic_codes),        cmocka_unit_test(impl_code_round_trip),
		cmocka_unit_test(impl_code_refusals), cmocka_unit_test(levels),
		cmocka_unit_test(limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
