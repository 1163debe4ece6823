/* Division lookup: input forms, the tree around 埇桥区, and the integrity of the generated table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ref/ref.h"

static const yw_division *find_ok(const char *code)
{
	const yw_division *d = NULL;
	yw_err e = yw_division_find(code, &d);
	if (e != YW_E_OK)
		fail_msg("%s: %s", code, yw_err_code(e));
	assert_non_null(d);
	return d;
}

static void assert_division(const yw_division *d, const char *code, const char *name, yw_div_level level)
{
	char buf[YW_DIV_CODE_MAX];
	size_t n = yw_division_code(d, buf);
	assert_string_equal(buf, code);
	assert_int_equal(n, strlen(code));
	assert_string_equal(yw_division_name(d), name);
	assert_int_equal(yw_division_level(d), level);
}

static void test_yongqiao(void **state)
{
	(void)state;
	const yw_division *d = find_ok("341302");
	assert_division(d, "341302", "埇桥区", YW_DIV_COUNTY);
	const yw_division *city = yw_division_parent(d);
	assert_non_null(city);
	assert_division(city, "341300", "宿州市", YW_DIV_PREFECTURE);
	const yw_division *prov = yw_division_parent(city);
	assert_non_null(prov);
	assert_division(prov, "340000", "安徽省", YW_DIV_PROVINCE);
	assert_null(yw_division_parent(prov));

	const yw_division *kids;
	size_t n = yw_division_children(d, &kids);
	assert_int_equal(n, 38);
	assert_division(&kids[0], "341302001", "埇桥街道", YW_DIV_TOWNSHIP);
	assert_division(&kids[11], "341302100", "符离镇", YW_DIV_TOWNSHIP);
	assert_division(&kids[n - 1], "341302403", "宿州埇桥经济开发区", YW_DIV_TOWNSHIP);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(yw_division_parent(&kids[i]), d);
		const yw_division *none;
		assert_int_equal(yw_division_children(&kids[i], &none), 0);
		assert_null(none);
	}

	/* 宿州市 has 7 county-level children, 埇桥区 first. */
	n = yw_division_children(city, &kids);
	assert_int_equal(n, 7);
	assert_ptr_equal(&kids[0], d);
	assert_division(&kids[6], "341372", "宿州经济技术开发区", YW_DIV_COUNTY);
}

static void test_input_forms(void **state)
{
	(void)state;
	const yw_division *prov = find_ok("340000");
	assert_ptr_equal(find_ok("34"), prov);
	assert_ptr_equal(find_ok("3400"), prov);
	assert_ptr_equal(find_ok("340000000"), prov);
	assert_ptr_equal(find_ok("340000000000"), prov);

	const yw_division *city = find_ok("341300");
	assert_ptr_equal(find_ok("3413"), city);
	assert_ptr_equal(find_ok("341300000000"), city);
	assert_division(city, "341300", "宿州市", YW_DIV_PREFECTURE);

	const yw_division *county = find_ok("341302");
	assert_ptr_equal(find_ok("341302000"), county);
	assert_ptr_equal(find_ok("341302000000"), county);

	const yw_division *town = find_ok("341302001");
	assert_ptr_equal(find_ok("341302001000"), town);
	assert_division(town, "341302001", "埇桥街道", YW_DIV_TOWNSHIP);
	assert_ptr_equal(yw_division_parent(town), county);
}

static void test_bad_codes(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "3", "341", "34130", "3413020", "34130200", "3413020010", "34130200100",
		"3413020010000", "34a302", " 341302", "341302 ", "-34130", "+341302", "３４",
		"341302\n", "0x3413", "3413.0",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const yw_division *d = (const yw_division *)1;
		if (yw_division_find(bad[i], &d) != YW_E_BAD_DIVISION_CODE)
			fail_msg("\"%s\" should be a bad code", bad[i]);
		assert_null(d);
	}
	const yw_division *d;
	assert_int_equal(yw_division_find(NULL, &d), YW_E_BAD_DIVISION_CODE);
}

static void test_unknown_codes(void **state)
{
	(void)state;
	static const char *const unknown[] = {
		"99", "00", "000000", "000000000000", "10", "341399", "341302999", "349900",
		"341302001001",   /* a village: well formed, but villages are not loaded */
		"710000",         /* 台湾: not in the NBS tables */
	};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		const yw_division *d = (const yw_division *)1;
		if (yw_division_find(unknown[i], &d) != YW_E_DIVISION_NOT_FOUND)
			fail_msg("\"%s\" should be not found", unknown[i]);
		assert_null(d);
	}
}

static void test_provinces(void **state)
{
	(void)state;
	const yw_division *p;
	size_t n = yw_division_provinces(&p);
	assert_int_equal(n, 31);
	assert_division(&p[0], "110000", "北京市", YW_DIV_PROVINCE);
	assert_division(&p[11], "340000", "安徽省", YW_DIV_PROVINCE);
	assert_division(&p[30], "650000", "新疆维吾尔自治区", YW_DIV_PROVINCE);
	for (size_t i = 0; i < n; i++) {
		const yw_division *kids;
		assert_true(yw_division_children(&p[i], &kids) > 0);
		assert_int_equal(yw_division_level(&kids[0]), YW_DIV_PREFECTURE);
	}
	assert_string_equal(yw_division_level_name(YW_DIV_PROVINCE), "province");
	assert_string_equal(yw_division_level_name(YW_DIV_PREFECTURE), "prefecture");
	assert_string_equal(yw_division_level_name(YW_DIV_COUNTY), "county");
	assert_string_equal(yw_division_level_name(YW_DIV_TOWNSHIP), "township");
}

/* Prefecture-level cities without counties: the NBS placeholder county is folded away. */
static void test_cities_without_counties(void **state)
{
	(void)state;
	const yw_division *dg = find_ok("441900");
	assert_division(dg, "441900", "东莞市", YW_DIV_PREFECTURE);
	assert_ptr_equal(find_ok("4419"), dg);
	const yw_division *kids;
	size_t n = yw_division_children(dg, &kids);
	assert_int_equal(n, 36);
	assert_int_equal(yw_division_level(&kids[0]), YW_DIV_TOWNSHIP);
	const yw_division *town = find_ok("441900003");
	assert_division(town, "441900003", "东城街道", YW_DIV_TOWNSHIP);
	assert_ptr_equal(yw_division_parent(town), dg);

	assert_division(find_ok("442000"), "442000", "中山市", YW_DIV_PREFECTURE);
	assert_division(find_ok("460400"), "460400", "儋州市", YW_DIV_PREFECTURE);
	/* 金门县's only township repeated the county; its code now names the county. */
	assert_division(find_ok("350527000"), "350527", "金门县", YW_DIV_COUNTY);
}

/* Every row can be found by its own presented code, sits inside its parent's run of children,
 * and the levels are in code order: what the binary search and the API rely on. */
static void test_table_integrity(void **state)
{
	(void)state;
	size_t counts[4] = { 0 };
	for (uint32_t i = 0; i < yw_div_nrows; i++) {
		const yw_division *d = &yw_div_rows[i];
		char code[YW_DIV_CODE_MAX];
		yw_division_code(d, code);
		const yw_division *again = NULL;
		if (yw_division_find(code, &again) != YW_E_OK || again != d)
			fail_msg("row %u (%s) is not found by its own code", i, code);
		counts[d->level - YW_DIV_PROVINCE]++;
		if (i > 0 && yw_div_rows[i - 1].level == d->level)
			assert_true(yw_div_rows[i - 1].code < d->code);
		const yw_division *p = yw_division_parent(d);
		if (p) {
			assert_true(p->level < d->level);
			assert_true(i >= p->first_child && i < p->first_child + p->nchildren);
		} else {
			assert_int_equal(d->level, YW_DIV_PROVINCE);
		}
		assert_true(yw_division_name(d)[0] != '\0');
	}
	assert_int_equal(counts[0], 31);
	assert_int_equal(counts[1], 342);
	assert_true(counts[2] > 2900 && counts[2] < 3000);
	assert_true(counts[3] > 41000 && counts[3] < 42000);
}

/* The prefix a list filter uses for "inside this division": a township ending in 00 keeps its
 * nine digits, or its filter would reach the townships numbered after it. */
static void test_prefix(void **state)
{
	(void)state;
	assert_int_equal(yw_division_prefix_len("340000"), 2);
	assert_int_equal(yw_division_prefix_len("341300"), 4);
	assert_int_equal(yw_division_prefix_len("341302"), 6);
	assert_int_equal(yw_division_prefix_len("341302100"), 9);
	assert_int_equal(yw_division_prefix_len("341302001"), 9);
	assert_true(yw_division_within("341302101", "341302"));
	assert_false(yw_division_within("341302101", "341302100"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_yongqiao),
		cmocka_unit_test(test_input_forms),
		cmocka_unit_test(test_bad_codes),
		cmocka_unit_test(test_unknown_codes),
		cmocka_unit_test(test_provinces),
		cmocka_unit_test(test_cities_without_counties),
		cmocka_unit_test(test_table_integrity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
