/* The catalog search's text rules (src/catalog/search.c): what a query and an item's texts are
 * turned into before they meet — width, case, traditional characters, runs, the terms indexed,
 * and pinyin initials. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "catalog/internal.h"

static yw_arena *A;

static int setup(void **state)
{
	(void)state;
	A = yw_arena_new(4096);
	return A ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	yw_arena_free(A);
	return 0;
}

/* The terms of a text as one string "a|b|c", sorted as the function gives them. */
static const char *terms(const char *norm, bool unigrams, bool single)
{
	const char **v;
	int n = yw_cat_search_terms(A, norm, unigrams, single, &v);
	char buf[4096] = "";
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, v[i]);
	}
	return yw_strdup(A, buf);
}

static void full_width_and_case(void **state)
{
	(void)state;
	/* ＩＣＰ１２３ with an ideographic space, and half-width upper case */
	assert_string_equal(yw_cat_search_fold(A, "ＩＣＰ１２３　备案"), "icp123 备案");
	assert_string_equal(yw_cat_search_fold(A, "ABC-def"), "abc def");
	/* full-width punctuation separates like its half-width form */
	assert_string_equal(yw_cat_search_fold(A, "户口（迁移）！"), "户口 迁移");
	assert_string_equal(yw_cat_search_fold(A, "  ，。、  "), "");
	assert_string_equal(yw_cat_search_fold(A, ""), "");
	/* a broken UTF-8 byte is a separator, not a crash */
	assert_string_equal(yw_cat_search_fold(A, "户\xff口"), "户 口");
}

static void traditional_to_simplified(void **state)
{
	(void)state;
	assert_string_equal(yw_cat_search_normalise(A, "戶口遷移"), "户口迁移");
	assert_string_equal(yw_cat_search_normalise(A, "營業執照"), "营业执照");
	assert_string_equal(yw_cat_search_normalise(A, "社會保險"), "社会保险");
	/* simplified text stays as it is; full width and case on the same way */
	assert_string_equal(yw_cat_search_normalise(A, "户口迁移"), "户口迁移");
	assert_string_equal(yw_cat_search_normalise(A, "ＨＫ　戶口"), "hk 户口");
	assert_string_equal(yw_cat_search_normalise(A, "《公積金》提取"), "公积金 提取");
}

static void bigram_terms(void **state)
{
	(void)state;
	/* indexed name: unigrams and bigrams, distinct, sorted */
	assert_string_equal(terms("公积金", true, true), "公|公积|积|积金|金");
	/* guide text: bigrams only, never across runs */
	assert_string_equal(terms("户口 迁移", false, false), "户口|迁移");
	/* a query: bigrams, and a one-character run by itself */
	assert_string_equal(terms("户", false, true), "户");
	assert_string_equal(terms("户口迁移", false, true), "口迁|户口|迁移");
	assert_string_equal(terms("icp 备案", false, true), "cp|ic|备案");
	/* repeats are one term */
	assert_string_equal(terms("证明证明", false, false), "明证|证明");
	assert_string_equal(terms("", true, true), "");
}

static void initials(void **state)
{
	(void)state;
	assert_string_equal(yw_cat_search_initials(A, "户口迁移"), "hkqy");
	/* 行 reads xíng and háng: both initials; letters and digits stand for themselves */
	assert_string_equal(yw_cat_search_initials(A, "银行"), "y[hx]");
	assert_string_equal(yw_cat_search_initials(A, "icp 备案2"), "icp ba2");
	assert_true(yw_cat_search_initials_match("hkqy", "hkqy"));
	assert_true(yw_cat_search_initials_match("hkqy", "kq"));
	assert_true(yw_cat_search_initials_match("y[hx]kh", "yhkh"));
	assert_true(yw_cat_search_initials_match("y[hx]kh", "yxkh"));
	assert_false(yw_cat_search_initials_match("y[hx]kh", "yzkh"));
	/* not across two runs, not past the end, not an empty query */
	assert_false(yw_cat_search_initials_match("hk qy", "kq"));
	assert_true(yw_cat_search_initials_match("hk qy", "qy"));
	assert_false(yw_cat_search_initials_match("hkq", "hkqy"));
	assert_false(yw_cat_search_initials_match("hkqy", ""));
	assert_false(yw_cat_search_initials_match("?k", "hk"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_width_and_case), cmocka_unit_test(traditional_to_simplified),
		cmocka_unit_test(bigram_terms), cmocka_unit_test(initials),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
