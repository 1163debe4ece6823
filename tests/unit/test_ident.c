/* Citizen ID, USCC and mobile validators and masks (STANDARDS.md §1, §2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/base.h"

/* ---- citizen ID ------------------------------------------------------------------------ */

static void assert_id_ok(const char *in, const char *want18)
{
	char out[19] = "unchanged";
	yw_err e = yw_id_check(in, out);
	if (e != YW_E_OK)
		fail_msg("%s rejected: %s", in, yw_err_code(e));
	assert_string_equal(out, want18);
}

static void assert_id_bad(const char *in)
{
	char out[19] = "unchanged";
	if (yw_id_check(in, out) != YW_E_BAD_ID_NUMBER)
		fail_msg("%s accepted", in ? in : "(null)");
	assert_string_equal(out, "unchanged");
}

/* An 18-character ID from a 17-digit body with its correct check character, so that a test
 * rejecting it can only be failing on the rule it is about. */
static void with_check(const char *body17, char out[19])
{
	memcpy(out, body17, 17);
	out[17] = yw_id_check_char(body17);
	out[18] = '\0';
}

static void test_id_standard_vectors(void **state)
{
	(void)state;
	assert_id_ok("11010519491231002X", "11010519491231002X");
	assert_id_ok("440524188001010014", "440524188001010014");
	assert_id_ok("34052419800101001X", "34052419800101001X");
	assert_id_ok("11010519491231002x", "11010519491231002X");
	assert_int_equal(yw_id_check_char("11010519491231002"), 'X');
	assert_int_equal(yw_id_check_char("44052418800101001"), '4');
	assert_int_equal(yw_id_check_char("1101051949123100A"), '\0');
}

static void test_id_15_digit_upgrade(void **state)
{
	(void)state;
	assert_id_ok("340524800101001", "34052419800101001X");
	assert_id_ok("110105491231002", "11010519491231002X");
	assert_id_bad("110105491331002");   /* month 13 */
	assert_id_bad("11010549123100X");   /* the 15-digit form has no check character */
	assert_id_bad("990105491231002");   /* province 99 */
}

static void test_id_wrong_check(void **state)
{
	(void)state;
	assert_id_bad("110105194912310021");
	assert_id_bad("440524188001010015");
	assert_id_bad("340524198001010010");
	assert_id_bad("34052419800101001Y");
}

static void test_id_birth_dates(void **state)
{
	(void)state;
	char id[19];
	with_check("11010519900230002", id);   /* 1990-02-30 */
	assert_id_bad(id);
	with_check("11010519890229002", id);   /* 1989 is not a leap year */
	assert_id_bad(id);
	with_check("11010519880229002", id);   /* 1988 is */
	assert_id_ok(id, id);
	/* The floor is 1800, not 1900: the standard's own example 440524188001010014 is from 1880. */
	with_check("11010517991231002", id);
	assert_id_bad(id);
	with_check("11010518000101002", id);
	assert_id_ok(id, id);
	with_check("11010500000101002", id);
	assert_id_bad(id);
	with_check("11010520991231002", id);   /* far future */
	assert_id_bad(id);

	/* Born today is fine, tomorrow is not. */
	yw_date today = yw_date_today_cst();
	yw_date tomorrow = yw_days_to_date(yw_date_to_days(today) + 1);
	char body[40];
	snprintf(body, sizeof body, "110105%04d%02d%02d002", today.y, today.m, today.d);
	with_check(body, id);
	assert_id_ok(id, id);
	snprintf(body, sizeof body, "110105%04d%02d%02d002", tomorrow.y, tomorrow.m, tomorrow.d);
	with_check(body, id);
	assert_id_bad(id);
}

static void test_id_shape(void **state)
{
	(void)state;
	char id[19];
	assert_id_bad(NULL);
	assert_id_bad("");
	assert_id_bad("11010519491231002");     /* 17 */
	assert_id_bad("11010519491231002X0");   /* 19 */
	assert_id_bad("1101051949123100 X");
	assert_id_bad("11010519491231O02X");    /* letter O */
	assert_id_bad(" 11010519491231002X");
	assert_id_bad("１１010519491231002X");   /* full-width digits */
	/* Province must be plausible even with a correct check character. */
	with_check("10010519491231002", id);
	assert_id_bad(id);
	with_check("99010519491231002", id);
	assert_id_bad(id);
	with_check("00010519491231002", id);
	assert_id_bad(id);
	with_check("83010519491231002", id);
	assert_id_bad(id);
	with_check("81000019491231002", id);   /* 香港 */
	assert_id_ok(id, id);
	with_check("65010519491231002", id);
	assert_id_ok(id, id);
}

static void test_id_derived(void **state)
{
	(void)state;
	yw_date b;
	yw_id_birth("11010519491231002X", &b);
	assert_int_equal(b.y, 1949);
	assert_int_equal(b.m, 12);
	assert_int_equal(b.d, 31);
	assert_false(yw_id_is_male("11010519491231002X"));   /* sequence 002: even */
	assert_true(yw_id_is_male("440524188001010014"));    /* sequence 001: odd */
	yw_id_birth("440524188001010014", &b);
	assert_int_equal(b.y, 1880);
}

/* ---- USCC -------------------------------------------------------------------------------- */

static void test_uscc_vectors(void **state)
{
	(void)state;
	assert_int_equal(yw_uscc_check("11450721MB15580811"), YW_E_OK);
	assert_int_equal(yw_uscc_check("114507210081153718"), YW_E_OK);
	assert_int_equal(yw_uscc_check("11450721348531435D"), YW_E_OK);
	assert_int_equal(yw_uscc_check("12441500196720244T"), YW_E_OK);
	assert_int_equal(yw_uscc_check("11100000000013338W"), YW_E_OK);
	assert_int_equal(yw_uscc_check("91350203M0001QAY9B"), YW_E_BAD_USCC);
	assert_int_equal(yw_uscc_check_char("11450721MB1558081"), '1');
	assert_int_equal(yw_uscc_check_char("11100000000013338"), 'W');
	assert_int_equal(yw_uscc_check_char("1110000000001333I"), '\0');
}

/* body17 + its MOD 31-3 check character. */
static void uscc_with_check(const char *body17, char out[19])
{
	memcpy(out, body17, 17);
	out[17] = yw_uscc_check_char(body17);
	out[18] = '\0';
}

static void test_uscc_rules(void **state)
{
	(void)state;
	char code[19];
	/* Wrong check character. */
	assert_int_equal(yw_uscc_check("11450721MB15580812"), YW_E_BAD_USCC);
	assert_int_equal(yw_uscc_check("11100000000013338X"), YW_E_BAD_USCC);
	/* Forbidden letters I O Z S V, lower case, and length. */
	static const char *const bad[] = {
		"11450721IB15580811", "11450721OB15580811", "11450721ZB15580811", "11450721SB15580811",
		"11450721VB15580811", "11450721mb15580811", "11100000000013338w", "11450721MB1558081",
		"11450721MB155808111", "", "11450721MB1558081 ",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (yw_uscc_check(bad[i]) != YW_E_BAD_USCC)
			fail_msg("%s accepted", bad[i]);
	assert_int_equal(yw_uscc_check(NULL), YW_E_BAD_USCC);
	/* A letter in the division part (positions 3–8), even with a matching check character. */
	uscc_with_check("11A50721MB1558081", code);
	assert_int_equal(yw_uscc_check(code), YW_E_BAD_USCC);
	/* The embedded organisation code must check too: position 17 changed, position 18 fixed. */
	uscc_with_check("11450721MB1558082", code);
	assert_int_equal(yw_uscc_check(code), YW_E_BAD_USCC);
	/* …and the same construction with the right organisation check passes. */
	uscc_with_check("11450721MB1558081", code);
	assert_int_equal(yw_uscc_check(code), YW_E_OK);
}

/* ---- mobile ------------------------------------------------------------------------------ */

static void test_mobile(void **state)
{
	(void)state;
	char out[12];
	assert_int_equal(yw_mobile_check("13812345678", out), YW_E_OK);
	assert_string_equal(out, "13812345678");
	assert_int_equal(yw_mobile_check("+8619912345678", out), YW_E_OK);
	assert_string_equal(out, "19912345678");
	assert_int_equal(yw_mobile_check("8615012345678", out), YW_E_OK);
	assert_string_equal(out, "15012345678");
	static const char *const bad[] = {
		"12812345678", "10012345678", "23812345678", "1381234567", "138123456789",
		"1381234567a", "+86 13812345678", "+8513812345678", "008613812345678", "+86", "86",
		"", "138-1234-5678",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcpy(out, "unchanged");
		if (yw_mobile_check(bad[i], out) != YW_E_BAD_MOBILE)
			fail_msg("%s accepted", bad[i]);
		assert_string_equal(out, "unchanged");
	}
	assert_int_equal(yw_mobile_check(NULL, out), YW_E_BAD_MOBILE);
}

/* ---- masks ------------------------------------------------------------------------------- */

static void test_masks(void **state)
{
	(void)state;
	char id[19], m[12];
	yw_mask_id("34130219800101123X", id);
	assert_string_equal(id, "3413**********123X");
	yw_mask_id("11010519491231002X", id);
	assert_string_equal(id, "1101**********002X");
	yw_mask_mobile("13812345678", m);
	assert_string_equal(m, "138****5678");
	/* Too short to hide anything: everything is starred. */
	const char short_id[19] = "12345678", short_mobile[12] = "1234567", empty[19] = "";
	yw_mask_id(short_id, id);
	assert_string_equal(id, "********");
	yw_mask_mobile(short_mobile, m);
	assert_string_equal(m, "*******");
	yw_mask_id(empty, id);
	assert_string_equal(id, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_standard_vectors),
		cmocka_unit_test(test_id_15_digit_upgrade),
		cmocka_unit_test(test_id_wrong_check),
		cmocka_unit_test(test_id_birth_dates),
		cmocka_unit_test(test_id_shape),
		cmocka_unit_test(test_id_derived),
		cmocka_unit_test(test_uscc_vectors),
		cmocka_unit_test(test_uscc_rules),
		cmocka_unit_test(test_mobile),
		cmocka_unit_test(test_masks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
