/* The pure rules of identity (src/identity/rules.c), by rule id (docs/identity.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "identity/identity.h"

#define MIN ((yw_ms)60 * 1000)
#define HOUR (60 * MIN)
static const yw_ms T0 = 1780000000000LL;

/* ---- R-ID-001: length in code points ------------------------------------------------------ */

static void test_utf8_count(void **state)
{
	assert_int_equal(yw_utf8_count(""), 0);
	assert_int_equal(yw_utf8_count("abc"), 3);
	assert_int_equal(yw_utf8_count("春眠不觉晓"), 5);           /* 15 bytes, 5 characters */
	assert_int_equal(yw_utf8_count("\xf0\x9f\x94\x91"), 1);   /* U+1F511, 4 bytes */
	assert_int_equal(yw_utf8_count("\xc3\x28"), -1);          /* broken continuation */
	assert_int_equal(yw_utf8_count("\xc0\xaf"), -1);          /* overlong */
	assert_int_equal(yw_utf8_count("\xed\xa0\x80"), -1);      /* surrogate */
	assert_int_equal(yw_utf8_count("\xe4\xb8"), -1);          /* truncated */
}

static void test_password_length(void **state)
{
	assert_int_equal(yw_pw_check("Zq7!mX2"), YW_PW_TOO_SHORT);          /* 7 */
	assert_int_equal(yw_pw_check("Zq7!mX2p"), YW_PW_OK);                /* 8 */
	/* 7 Chinese characters are 21 bytes but 7 characters: too short */
	assert_int_equal(yw_pw_check("春眠不觉晓处处"), YW_PW_TOO_SHORT);
	assert_int_equal(yw_pw_check("春眠不觉晓处处闻"), YW_PW_OK);
	char max[129], over[130];
	memset(max, 'q', 128);
	max[128] = '\0';
	memset(over, 'q', 129);
	over[129] = '\0';
	assert_int_equal(yw_pw_check(max), YW_PW_OK);
	assert_int_equal(yw_pw_check(over), YW_PW_TOO_LONG);
	/* 128 four-byte characters are 512 bytes and still allowed */
	char wide[4 * 128 + 1];
	for (int i = 0; i < 128; i++)
		memcpy(wide + 4 * i, "\xf0\x9f\x94\x91", 4);
	wide[4 * 128] = '\0';
	assert_int_equal(yw_pw_check(wide), YW_PW_OK);
	assert_int_equal(yw_pw_check("abc\xff" "defghij"), YW_PW_NOT_UTF8);
	/* no composition rules: all lower case letters are fine */
	assert_int_equal(yw_pw_check("correcthorsebatterystaple"), YW_PW_OK);
	assert_non_null(yw_pw_verdict_text(YW_PW_COMMON));
}

/* ---- R-ID-002: common passwords ----------------------------------------------------------- */

static void test_common_passwords(void **state)
{
	assert_int_equal(yw_common_passwords_n, 3000);
	for (size_t i = 1; i < yw_common_passwords_n; i++)
		assert_true(strcmp(yw_common_passwords[i - 1], yw_common_passwords[i]) < 0);
	assert_true(yw_pw_is_common("password"));
	assert_true(yw_pw_is_common("PassWord"));       /* compared lower-cased */
	assert_true(yw_pw_is_common("12345678"));
	assert_true(yw_pw_is_common("qwertyuiop"));
	assert_false(yw_pw_is_common("correct horse battery"));
	assert_int_equal(yw_pw_check("Password"), YW_PW_COMMON);
	assert_int_equal(yw_pw_check("iloveyou"), YW_PW_COMMON);
	assert_int_equal(yw_pw_check("12345678"), YW_PW_COMMON);
	assert_int_equal(yw_pw_check("iloveyou, really"), YW_PW_OK);
}

static void test_password_hash(void **state)
{
	char h[128];
	assert_int_equal(yw_pw_hash("春眠不觉晓处处闻啼鸟", h), 0);
	assert_true(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
	assert_true(yw_pw_verify(h, "春眠不觉晓处处闻啼鸟"));
	assert_false(yw_pw_verify(h, "春眠不觉晓处处闻啼"));
	assert_false(yw_pw_verify(NULL, "anything-at-all"));
	assert_false(yw_pw_verify("", "anything-at-all"));
}

/* ---- R-ID-003: lockout -------------------------------------------------------------------- */

static void test_lockout(void **state)
{
	yw_lockout l = { 0, 0 };
	for (int i = 1; i <= 4; i++) {
		l = yw_lockout_fail(l, T0 + i);
		assert_int_equal(l.failed, i);
		assert_false(yw_lockout_is_locked(&l, T0 + i));
	}
	l = yw_lockout_fail(l, T0 + 5);                       /* the 5th locks */
	assert_true(yw_lockout_is_locked(&l, T0 + 5));
	assert_int_equal(l.locked_until, T0 + 5 + 30 * MIN);
	assert_true(yw_lockout_is_locked(&l, T0 + 5 + 30 * MIN - 1));
	assert_false(yw_lockout_is_locked(&l, T0 + 5 + 30 * MIN));   /* and for 30 minutes only */
	/* after the lock, counting starts afresh: one failure does not lock again */
	yw_lockout after = yw_lockout_fail(l, T0 + 31 * MIN);
	assert_int_equal(after.failed, 1);
	assert_false(yw_lockout_is_locked(&after, T0 + 31 * MIN));
	/* success resets */
	yw_lockout four = { 4, 0 };
	four = yw_lockout_success();
	assert_int_equal(four.failed, 0);
	four = yw_lockout_fail(four, T0);
	assert_false(yw_lockout_is_locked(&four, T0));
}

/* ---- R-ID-004: session expiry ------------------------------------------------------------- */

static void test_session_expiry(void **state)
{
	yw_ms created = T0, expires = T0 + YW_SESSION_ABSOLUTE_MS;
	assert_int_equal(YW_SESSION_ABSOLUTE_MS, 12 * HOUR);
	assert_true(yw_session_alive(created, expires, T0 + 29 * MIN));
	assert_false(yw_session_alive(created, expires, T0 + 30 * MIN));    /* idle 30 min */
	/* kept busy, it still ends after 12 hours in all */
	assert_true(yw_session_alive(T0 + 12 * HOUR - MIN, expires, T0 + 12 * HOUR - 1));
	assert_false(yw_session_alive(T0 + 12 * HOUR - MIN, expires, T0 + 12 * HOUR));
	/* last_seen is written at most once a minute */
	assert_false(yw_session_needs_touch(T0, T0 + MIN - 1));
	assert_true(yw_session_needs_touch(T0, T0 + MIN));
}

/* ---- R-ID-005: SMS codes ------------------------------------------------------------------ */

static void test_sms_codes(void **state)
{
	yw_ms exp = T0 + YW_SMS_CODE_MS;
	assert_int_equal(YW_SMS_CODE_MS, 5 * MIN);
	assert_int_equal(yw_sms_code_check(true, exp, 0, false, T0), YW_CODE_OK);
	assert_int_equal(yw_sms_code_check(false, exp, 0, false, T0), YW_CODE_WRONG);
	assert_int_equal(yw_sms_code_check(true, exp, 0, false, exp), YW_CODE_EXPIRED);
	assert_int_equal(yw_sms_code_check(true, exp, 0, true, T0), YW_CODE_USED);
	assert_int_equal(yw_sms_code_check(true, exp, 4, false, T0), YW_CODE_OK);
	assert_int_equal(yw_sms_code_check(true, exp, 5, false, T0), YW_CODE_EXHAUSTED);
	assert_true(yw_sms_purpose_valid("register"));
	assert_true(yw_sms_purpose_valid("login"));
	assert_true(yw_sms_purpose_valid("recover"));
	assert_false(yw_sms_purpose_valid("Login"));
	assert_false(yw_sms_purpose_valid(NULL));
}

/* ---- R-ID-006: masking -------------------------------------------------------------------- */

static void test_masking_choice(void **state)
{
	assert_true(yw_show_full_numbers("p_a", "p_a"));
	assert_false(yw_show_full_numbers("p_b", "p_a"));
	assert_false(yw_show_full_numbers(NULL, "p_a"));      /* anonymous */
	assert_false(yw_show_full_numbers("", ""));
}

/* ---- R-ID-007: rate limits ---------------------------------------------------------------- */

static void test_rate_take(void **state)
{
	yw_rate_counter c = { 0, 0 };
	int retry = 0;
	for (int i = 0; i < 5; i++)
		assert_true(yw_rate_take(&yw_rate_sms_mobile_hour, &c, T0 + i * MIN, &retry));
	assert_false(yw_rate_take(&yw_rate_sms_mobile_hour, &c, T0 + 10 * MIN, &retry));
	assert_int_equal(retry, 50 * 60);
	assert_true(yw_rate_take(&yw_rate_sms_mobile_hour, &c, T0 + HOUR, &retry));   /* new window */

	yw_rate_counter m = { 0, 0 };
	assert_true(yw_rate_take(&yw_rate_sms_mobile_min, &m, T0, &retry));
	assert_false(yw_rate_take(&yw_rate_sms_mobile_min, &m, T0 + 59500, &retry));
	assert_int_equal(retry, 1);
	assert_true(yw_rate_take(&yw_rate_sms_mobile_min, &m, T0 + MIN, &retry));
}

static void test_rate_table(void **state)
{
	yw_rate_reset_all();
	const yw_rate_rule *rules[] = { &yw_rate_login_account, &yw_rate_login_ip };
	const char *k1[] = { "13800000001", "10.0.0.1" };
	const char *k2[] = { "13800000002", "10.0.0.1" };
	int retry = 0;
	for (int i = 0; i < 10; i++)
		assert_true(yw_rate_limit(rules, k1, 2, T0, &retry));
	assert_false(yw_rate_limit(rules, k1, 2, T0, &retry));        /* 10 per account */
	assert_int_equal(retry, 15 * 60);
	/* the refusal did not count against the address: 20 more fit for another account */
	for (int i = 0; i < 10; i++)
		assert_true(yw_rate_limit(rules, k2, 2, T0, &retry));
	const char *k3[] = { "13800000003", "10.0.0.1" };
	for (int i = 0; i < 10; i++)
		assert_true(yw_rate_limit(rules, k3, 2, T0, &retry));
	const char *k4[] = { "13800000004", "10.0.0.1" };
	assert_false(yw_rate_limit(rules, k4, 2, T0, &retry));        /* 30 per address */
	const char *k5[] = { "13800000004", "10.0.0.2" };
	assert_true(yw_rate_limit(rules, k5, 2, T0, &retry));
	assert_true(yw_rate_limit(rules, k4, 2, T0 + 15 * MIN, &retry));   /* the window passed */
	yw_rate_reset_all();
}

/* Registration has its own limits (it checks a code and costs an argon2id hash), apart from the
 * login counters: 10 per mobile and 30 per address per 15 minutes. */
static void test_rate_register(void **state)
{
	yw_rate_reset_all();
	const yw_rate_rule *rules[] = { &yw_rate_register_mobile, &yw_rate_register_ip };
	const char *k[] = { "13800000009", "10.0.0.9" };
	int retry = 0;
	for (int i = 0; i < 10; i++)
		assert_true(yw_rate_limit(rules, k, 2, T0, &retry));
	assert_false(yw_rate_limit(rules, k, 2, T0, &retry));
	assert_int_equal(retry, 15 * 60);
	/* a login for the same number is not held back by the registrations */
	const yw_rate_rule *login[] = { &yw_rate_login_account, &yw_rate_login_ip };
	assert_true(yw_rate_limit(login, k, 2, T0, &retry));
	assert_int_equal(yw_rate_register_ip.limit, 30);
	yw_rate_reset_all();
}

/* ---- R-ID-008: CSRF ----------------------------------------------------------------------- */

static void test_csrf(void **state)
{
	assert_true(yw_csrf_ok("GET", true, "tok", NULL));
	assert_true(yw_csrf_ok("HEAD", false, NULL, NULL));
	assert_true(yw_csrf_ok("POST", true, "tok", "tok"));
	assert_false(yw_csrf_ok("POST", true, "tok", NULL));
	assert_false(yw_csrf_ok("DELETE", true, "tok", "tok2"));
	assert_false(yw_csrf_ok("PUT", true, "tok", "to"));
	assert_false(yw_csrf_ok("PATCH", true, "", ""));
	assert_true(yw_csrf_ok("POST", false, NULL, "1"));
	assert_false(yw_csrf_ok("POST", false, NULL, ""));
	assert_false(yw_csrf_ok("POST", false, NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_count),
		cmocka_unit_test(test_password_length),
		cmocka_unit_test(test_common_passwords),
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test(test_lockout),
		cmocka_unit_test(test_session_expiry),
		cmocka_unit_test(test_sms_codes),
		cmocka_unit_test(test_masking_choice),
		cmocka_unit_test(test_rate_take),
		cmocka_unit_test(test_rate_table),
		cmocka_unit_test(test_rate_register),
		cmocka_unit_test(test_csrf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
