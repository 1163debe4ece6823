/* Staff login rules: R-ID-010 (password policy and expiry) and R-ID-011 (TOTP, base32, the
 * otpauth URI and its QR code), against the published vectors of RFC 4226, RFC 6238 and
 * RFC 4648. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "identity/identity.h"

#define DAY ((yw_ms)24 * 3600 * 1000)
static const yw_ms T0 = 1780000000000LL;

/* The RFC 6238 Appendix B key for SHA-1, and RFC 4226 Appendix D's (the same 20 bytes). */
static const unsigned char rfc_key[] = "12345678901234567890";

/* ---- R-ID-011: HOTP and TOTP ------------------------------------------------------------- */

static void test_hotp_rfc4226(void **state)
{
	static const uint32_t want[] = { 755224, 287082, 359152, 969429, 338314,
	                                 254676, 287922, 162583, 399871, 520489 };
	for (uint64_t c = 0; c < 10; c++)
		assert_int_equal(yw_hotp(rfc_key, 20, c, 6), want[c]);
}

static void test_totp_rfc6238(void **state)
{
	static const struct {
		long long t;
		uint32_t code;
	} v[] = {
		{ 59LL, 94287082 },           { 1111111109LL, 7081804 },   { 1111111111LL, 14050471 },
		{ 1234567890LL, 89005924 },   { 2000000000LL, 69279037 },  { 20000000000LL, 65353130 },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		int64_t step = yw_totp_step((yw_ms)v[i].t * 1000);
		assert_int_equal(yw_hotp(rfc_key, 20, (uint64_t)step, 8), v[i].code);
		/* and through the matcher, as the 8-digit text the RFC prints */
		char code[9];
		snprintf(code, sizeof(code), "%08u", (unsigned)v[i].code);
		assert_int_equal(yw_totp_match(rfc_key, 20, code, 8, (yw_ms)v[i].t * 1000, -1), step);
	}
	assert_int_equal(yw_totp_step(59999), 1);
	assert_int_equal(yw_totp_step(60000), 2);
}

static void code_at(int64_t step, char out[7])
{
	snprintf(out, 7, "%06u", (unsigned)yw_hotp(rfc_key, 20, (uint64_t)step, 6));
}

static void test_totp_window(void **state)
{
	yw_ms now = T0;
	int64_t s = yw_totp_step(now);
	char c[7];
	/* ±1 step of drift is accepted, ±2 is not */
	code_at(s, c);
	assert_int_equal(yw_totp_match(rfc_key, 20, c, 6, now, 0), s);
	code_at(s - 1, c);
	assert_int_equal(yw_totp_match(rfc_key, 20, c, 6, now, 0), s - 1);
	code_at(s + 1, c);
	assert_int_equal(yw_totp_match(rfc_key, 20, c, 6, now, 0), s + 1);
	code_at(s - 2, c);
	assert_int_equal(yw_totp_match(rfc_key, 20, c, 6, now, 0), -1);
	code_at(s + 2, c);
	assert_int_equal(yw_totp_match(rfc_key, 20, c, 6, now, 0), -1);
	/* a step already taken is refused, and so is any earlier one: a code is used at most once */
	code_at(s, c);
	assert_int_equal(yw_totp_match(rfc_key, 20, c, 6, now, s), -1);
	code_at(s - 1, c);
	assert_int_equal(yw_totp_match(rfc_key, 20, c, 6, now, s - 1), -1);
	code_at(s + 1, c);
	assert_int_equal(yw_totp_match(rfc_key, 20, c, 6, now, s), s + 1);
	/* malformed codes */
	assert_int_equal(yw_totp_match(rfc_key, 20, "12345", 6, now, 0), -1);
	assert_int_equal(yw_totp_match(rfc_key, 20, "1234567", 6, now, 0), -1);
	assert_int_equal(yw_totp_match(rfc_key, 20, "12a456", 6, now, 0), -1);
	assert_int_equal(yw_totp_match(rfc_key, 20, "", 6, now, 0), -1);
	assert_int_equal(yw_totp_match(rfc_key, 20, NULL, 6, now, 0), -1);
	/* another key's code does not pass (with overwhelming likelihood for this fixed pair) */
	static const unsigned char other[] = "abcdefghijabcdefghij";
	code_at(s, c);
	bool any = false;
	for (int d = -1; d <= 1; d++)
		any |= yw_hotp(other, 20, (uint64_t)(s + d), 6) == (uint32_t)atoi(c);
	if (!any)
		assert_int_equal(yw_totp_match(other, 20, c, 6, now, 0), -1);
}

/* ---- R-ID-011: base32 (RFC 4648 §10) ----------------------------------------------------- */

static void test_base32_rfc4648(void **state)
{
	static const char *const v[][2] = {
		{ "", "" },           { "f", "MY======" },       { "fo", "MZXQ====" },
		{ "foo", "MZXW6===" }, { "foob", "MZXW6YQ=" },   { "fooba", "MZXW6YTB" },
		{ "foobar", "MZXW6YTBOI======" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		char out[32];
		size_t n = strlen(v[i][0]);
		assert_int_equal(yw_base32_encode((const unsigned char *)v[i][0], n, true, out, sizeof(out)),
		                 strlen(v[i][1]));
		assert_string_equal(out, v[i][1]);
		unsigned char back[32];
		assert_int_equal(yw_base32_decode(v[i][1], back, sizeof(back)), (long)n);
		assert_memory_equal(back, v[i][0], n);
	}
	/* unpadded (how secrets are shown), lower case and spaced input decode the same */
	char out[64];
	assert_int_equal(yw_base32_encode((const unsigned char *)"foobar", 6, false, out, sizeof(out)), 10);
	assert_string_equal(out, "MZXW6YTBOI");
	unsigned char back[32];
	assert_int_equal(yw_base32_decode("mzxw 6ytb oi", back, sizeof(back)), 6);
	assert_memory_equal(back, "foobar", 6);
	/* the RFC 6238 key as authenticator apps are given it */
	assert_int_equal(yw_base32_encode(rfc_key, 20, false, out, sizeof(out)), 32);
	assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	/* bad input, and an output that does not fit */
	assert_int_equal(yw_base32_decode("MZXW1", back, sizeof(back)), -1);     /* 1 is not base32 */
	assert_int_equal(yw_base32_decode("MY==MY", back, sizeof(back)), -1);    /* data after padding */
	assert_int_equal(yw_base32_decode("MZXW6YTBOI", back, 3), -1);
	assert_int_equal(yw_base32_encode((const unsigned char *)"foobar", 6, true, out, 16), 0);
}

/* ---- R-ID-011: the otpauth URI and its QR code ------------------------------------------- */

static void test_otpauth_uri(void **state)
{
	yw_arena *a = yw_arena_new(1024);
	const char *u = yw_totp_uri(a, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "zhang.san");
	/* 一网通办 in UTF-8, percent-encoded, as label prefix and as issuer */
	assert_string_equal(u, "otpauth://totp/%E4%B8%80%E7%BD%91%E9%80%9A%E5%8A%9E:zhang.san"
	                       "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	                       "&issuer=%E4%B8%80%E7%BD%91%E9%80%9A%E5%8A%9E&algorithm=SHA1&digits=6&period=30");
	yw_arena_free(a);
}

static void test_qr_svg(void **state)
{
	yw_arena *a = yw_arena_new(1024);
	const char *u = yw_totp_uri(a, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "zhang.san");
	int modules = 0;
	const char *svg = yw_qr_svg(a, u, &modules);
	assert_non_null(svg);
	assert_true(yw_str_has_prefix(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(svg, "</svg>"));
	/* a QR symbol of version v is 17 + 4v modules wide; the URI needs more than version 1 */
	assert_true(modules > 21 && modules <= 177);
	assert_int_equal((modules - 17) % 4, 0);
	char vb[64];
	snprintf(vb, sizeof(vb), "viewBox=\"0 0 %d %d\"", modules + 8, modules + 8);
	assert_non_null(strstr(svg, vb));
	/* the three finder patterns: a 7-module dark run at the top left and top right of row 0,
	 * and at the left of the last row, each behind the 4-module quiet zone */
	char f[64];
	assert_non_null(strstr(svg, "M4 4h7v1h-7z"));
	snprintf(f, sizeof(f), "M%d 4h7v1h-7z", 4 + modules - 7);
	assert_non_null(strstr(svg, f));
	snprintf(f, sizeof(f), "M4 %dh7v1h-7z", 4 + modules - 1);
	assert_non_null(strstr(svg, f));
	yw_arena_free(a);
}

/* ---- R-ID-010: staff passwords ----------------------------------------------------------- */

static void test_staff_password_policy(void **state)
{
	assert_int_equal(yw_staff_pw_check("Qz7#kW2m", "zhang"), YW_SPW_TOO_SHORT);        /* 8 */
	assert_int_equal(yw_staff_pw_check("Qz7#kW2mx", "zhang"), YW_SPW_TOO_SHORT);       /* 9 */
	assert_int_equal(yw_staff_pw_check("Qz7#kW2mxp", "zhang"), YW_SPW_OK);             /* 10 */
	/* three classes of four are enough, whichever three */
	assert_int_equal(yw_staff_pw_check("qz7kw2mxpr", "zhang"), YW_SPW_FEW_CLASSES);    /* 2 */
	assert_int_equal(yw_staff_pw_check("QZKWMXPRTY", "zhang"), YW_SPW_FEW_CLASSES);    /* 1 */
	assert_int_equal(yw_staff_pw_check("qz#kw!mx-r", "zhang"), YW_SPW_FEW_CLASSES);    /* 2 */
	assert_int_equal(yw_staff_pw_check("Qz7kW2mxpr", "zhang"), YW_SPW_OK);             /* U l d */
	assert_int_equal(yw_staff_pw_check("qz7#w2mxpr", "zhang"), YW_SPW_OK);             /* l d o */
	assert_int_equal(yw_staff_pw_check("QZ7#W2MXPR", "zhang"), YW_SPW_OK);             /* U d o */
	assert_int_equal(yw_staff_pw_check("Qz#kW!mx-r", "zhang"), YW_SPW_OK);             /* U l o */
	/* a Chinese character counts as "other", and length is in characters, not bytes */
	assert_int_equal(yw_staff_pw_check("政务Ab3xyzw", "zhang"), YW_SPW_TOO_SHORT);     /* 9 chars */
	assert_int_equal(yw_staff_pw_check("政务Ab3xyzwq", "zhang"), YW_SPW_OK);           /* 10 */
	assert_int_equal(yw_staff_pw_check("政务服务abcdef", "zhang"), YW_SPW_FEW_CLASSES); /* l o */
	/* common passwords stay refused even with four classes */
	assert_true(yw_pw_is_common("password1"));
	assert_int_equal(yw_staff_pw_check("Password1!", "zhang"), yw_pw_is_common("Password1!")
	                                                             ? YW_SPW_COMMON : YW_SPW_OK);
	/* the user name, in any case */
	assert_int_equal(yw_staff_pw_check("Zhang.San#2026", "zhang.san"), YW_SPW_HAS_USERNAME);
	assert_int_equal(yw_staff_pw_check("xxZHANG.SANxx#1", "zhang.san"), YW_SPW_HAS_USERNAME);
	assert_int_equal(yw_staff_pw_check("Qz7#kW2mxp", NULL), YW_SPW_OK);
	assert_int_equal(yw_staff_pw_check("Qz7#kW2\xffmxp", "zhang"), YW_SPW_NOT_UTF8);
	char over[130];
	memset(over, 'a', 125);
	memcpy(over + 125, "A1#!", 5);
	assert_int_equal(yw_staff_pw_check(over, "zhang"), YW_SPW_TOO_LONG);       /* 129 */
	for (int v = YW_SPW_OK; v <= YW_SPW_HAS_USERNAME; v++)
		assert_non_null(yw_staff_pw_verdict_text((yw_staff_pw_verdict)v));
	assert_non_null(strstr(yw_staff_pw_verdict_text(YW_SPW_FEW_CLASSES), "3 类"));
}

static void test_staff_username(void **state)
{
	assert_true(yw_staff_username_ok("admin"));
	assert_true(yw_staff_username_ok("zhang.san_01-x"));
	assert_false(yw_staff_username_ok("ab"));
	assert_false(yw_staff_username_ok("a b c"));
	assert_false(yw_staff_username_ok("张三丰"));
	assert_false(yw_staff_username_ok(NULL));
	char long33[34];
	memset(long33, 'a', 33);
	long33[33] = '\0';
	assert_false(yw_staff_username_ok(long33));
	long33[32] = '\0';
	assert_true(yw_staff_username_ok(long33));
}

static void test_staff_password_expiry(void **state)
{
	/* 90 days by default: required from the instant the 90 days are over */
	assert_int_equal(yw_staff_pw_expires_at(T0, 90), T0 + 90 * DAY);
	assert_false(yw_staff_pw_change_required(false, T0, 90, T0 + 90 * DAY - 1));
	assert_true(yw_staff_pw_change_required(false, T0, 90, T0 + 90 * DAY));
	/* must_change (first login, reset) wins over a fresh password */
	assert_true(yw_staff_pw_change_required(true, T0, 90, T0));
	/* another period */
	assert_false(yw_staff_pw_change_required(false, T0, 30, T0 + 29 * DAY));
	assert_true(yw_staff_pw_change_required(false, T0, 30, T0 + 30 * DAY));
	/* 0: expired at once (drills, tests) */
	assert_true(yw_staff_pw_change_required(false, T0, 0, T0));
	/* the process-wide setting */
	assert_int_equal(yw_staff_pw_max_age_days(), YW_STAFF_PW_MAX_AGE_DAYS);
	yw_staff_pw_set_max_age_days(7);
	assert_int_equal(yw_staff_pw_max_age_days(), 7);
	yw_staff_pw_set_max_age_days(-3);
	assert_int_equal(yw_staff_pw_max_age_days(), 0);
	yw_staff_pw_set_max_age_days(YW_STAFF_PW_MAX_AGE_DAYS);
}

static void test_config_key(void **state)
{
	yw_config c;
	char err[256];
	yw_config_defaults(&c);
	assert_int_equal(c.staff_password_max_age_days, 90);
	assert_int_equal(yw_config_set(&c, "staff-password-max-age-days", "30", err, sizeof(err)), 0);
	assert_int_equal(c.staff_password_max_age_days, 30);
	assert_int_equal(yw_config_set(&c, "staff-password-max-age-days", "0", err, sizeof(err)), 0);
	assert_int_equal(c.staff_password_max_age_days, 0);
	assert_int_equal(yw_config_set(&c, "staff-password-max-age-days", "-1", err, sizeof(err)), -1);
	assert_int_equal(yw_config_set(&c, "staff-password-max-age-days", "ninety", err, sizeof(err)), -1);
	setenv("YW_STAFF_PASSWORD_MAX_AGE_DAYS", "45", 1);
	assert_int_equal(yw_config_load_env(&c, err, sizeof(err)), 0);
	assert_int_equal(c.staff_password_max_age_days, 45);
	unsetenv("YW_STAFF_PASSWORD_MAX_AGE_DAYS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hotp_rfc4226),
		cmocka_unit_test(test_totp_rfc6238),
		cmocka_unit_test(test_totp_window),
		cmocka_unit_test(test_base32_rfc4648),
		cmocka_unit_test(test_otpauth_uri),
		cmocka_unit_test(test_qr_svg),
		cmocka_unit_test(test_staff_password_policy),
		cmocka_unit_test(test_staff_username),
		cmocka_unit_test(test_staff_password_expiry),
		cmocka_unit_test(test_config_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
