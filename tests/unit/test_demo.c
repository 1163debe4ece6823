/* The demo region's pure parts (src/demo/demo.c): the embedded data is whole and valid — every
 * department's USCC passes GB 32100, every parent comes before its children, every item names a
 * department of the data and a valid basic code, and no two items share a code — and the
 * synthetic items of --scale have codes that no real item and no other k has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "catalog/catalog.h"
#include "demo/demo.h"
#include "ref/ref.h"

static json_t *load(const char *text, const char *member)
{
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);
	assert_non_null(root);
	json_t *arr = json_incref(json_object_get(root, member));
	json_decref(root);
	assert_true(json_is_array(arr));
	return arr;
}

static const char *dept_division(json_t *depts, const char *key)
{
	size_t i;
	json_t *d;
	json_array_foreach(depts, i, d)
		if (!strcmp(json_string_value(json_object_get(d, "key")), key))
			return json_string_value(json_object_get(d, "division_code"));
	return NULL;
}

static void departments_valid(void **state)
{
	(void)state;
	json_t *depts = load(yw_demo_departments_json, "departments");
	size_t i, city = 0;
	json_t *d;
	json_array_foreach(depts, i, d) {
		const char *uscc = json_string_value(json_object_get(d, "uscc")),
			   *div = json_string_value(json_object_get(d, "division_code")),
			   *parent = json_string_value(json_object_get(d, "parent"));
		const yw_division *dv;
		assert_int_equal(yw_uscc_check(uscc), YW_E_OK);
		assert_memory_equal(uscc + 2, div, 6);     /* registered where it sits */
		assert_int_equal(yw_division_find(div, &dv), YW_E_OK);
		assert_true(yw_division_within(div, "341300"));
		city += !strcmp(div, "341300");
		if (parent) {
			/* the parent is earlier in the list, and its division holds this one */
			bool earlier = false;
			for (size_t k = 0; k < i; k++)
				earlier |= !strcmp(json_string_value(json_object_get(json_array_get(depts, k), "key")), parent);
			assert_true(earlier);
			assert_true(yw_division_within(div, dept_division(depts, parent)));
		}
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(uscc, json_string_value(json_object_get(json_array_get(depts, k), "uscc")));
	}
	assert_true(city >= 30);
	json_decref(depts);
}

static void items_valid(void **state)
{
	(void)state;
	json_t *depts = load(yw_demo_departments_json, "departments"),
	       *items = load(yw_demo_items_json, "items");
	assert_true(json_array_size(items) >= 300);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *dk = json_string_value(json_object_get(it, "department")),
			   *basic = json_string_value(json_object_get(it, "basic_code"));
		assert_non_null(dept_division(depts, dk));
		assert_true(yw_cat_basic_code_ok(basic));
		json_t *st = json_object_get(it, "statutory_limit"), *pr = json_object_get(it, "promised_limit");
		assert_true(json_integer_value(pr) <= json_integer_value(st));
		assert_true(json_integer_value(json_object_get(it, "popularity")) > 0);
		/* (department, basic code) is the item's code: none twice */
		for (size_t k = 0; k < i; k++) {
			json_t *o = json_array_get(items, k);
			assert_false(!strcmp(dk, json_string_value(json_object_get(o, "department"))) &&
			             !strcmp(basic, json_string_value(json_object_get(o, "basic_code"))));
		}
	}
	json_decref(items);
	json_decref(depts);
}

static void scale_codes(void **state)
{
	(void)state;
	char a[13], b[13];
	yw_demo_scale_basic(1, "01", a);
	assert_string_equal(a, "340160000000");
	assert_true(yw_cat_basic_code_ok(a));
	yw_demo_scale_basic(1000, "07", a);
	assert_string_equal(a, "340760000999");
	yw_demo_scale_basic(1001, "07", b);
	assert_string_equal(b, "340760001000");
	yw_demo_scale_basic(YW_DEMO_SCALE_MAX, "20", a);
	assert_true(yw_cat_basic_code_ok(a));
	assert_string_equal(a, "342069999999");
	/* distinct for every k of a range, and never below the real data's main numbers */
	for (long long k = 1; k <= 5000; k++) {
		yw_demo_scale_basic(k, "01", a);
		yw_demo_scale_basic(k + 1, "01", b);
		assert_true(strcmp(a, b) < 0);
		assert_true(memcmp(a + 4, "60000", 5) >= 0);
	}
}

static void scale_bodies(void **state)
{
	(void)state;
	yw_arena *ar = yw_arena_new(4096);
	json_t *items = load(yw_demo_items_json, "items");
	json_t *tmpl = json_array_get(items, 0);
	json_t *b1 = yw_demo_scale_body(ar, tmpl, 1, "符离镇"), *b2 = yw_demo_scale_body(ar, tmpl, 2, "");
	assert_non_null(b1);
	assert_non_null(b2);
	const char *n1 = json_string_value(json_object_get(b1, "name"));
	const char *base = json_string_value(json_object_get(tmpl, "name"));
	assert_non_null(strstr(n1, base));                 /* searchable by the real name */
	assert_memory_equal(n1, "符离镇", strlen("符离镇"));
	assert_string_not_equal(n1, json_string_value(json_object_get(b2, "name")));
	assert_null(json_object_get(b1, "form"));
	assert_null(json_object_get(b1, "process"));
	assert_null(json_object_get(b1, "department"));
	assert_string_not_equal(json_string_value(json_object_get(b1, "basic_code")),
	                        json_string_value(json_object_get(b2, "basic_code")));
	/* the template is left as it was */
	assert_string_equal(json_string_value(json_object_get(tmpl, "name")), base);
	json_decref(items);
	yw_arena_free(ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(departments_valid),
		cmocka_unit_test(items_valid),
		cmocka_unit_test(scale_codes),
		cmocka_unit_test(scale_bodies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
