/*
 * R-ID-010: the pure rules of staff passwords and user names (GB/T 22239-2019 level 3,
 * 8.1.4.1 身份鉴别: complexity and periodic change), kept apart from staff_api.c so that the
 * unit tests reach them without a server.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "identity/identity.h"

#define DAY_MS ((yw_ms)24 * 3600 * 1000)

/* Written once by main before the server starts, read by every request afterwards. */
static int current_max_age_days = YW_STAFF_PW_MAX_AGE_DAYS;

void yw_staff_pw_set_max_age_days(int days)
{
	current_max_age_days = days < 0 ? 0 : days;
}

int yw_staff_pw_max_age_days(void)
{
	return current_max_age_days;
}

/* The four classes of the standard's "复杂度": upper, lower, digit, and anything else (ASCII
 * punctuation and any non-ASCII character such as a Chinese one). */
static int classes(const char *pw)
{
	bool up = false, low = false, dig = false, other = false;
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			up = true;
		else if (*p >= 'a' && *p <= 'z')
			low = true;
		else if (*p >= '0' && *p <= '9')
			dig = true;
		else
			other = true;
	}
	return up + low + dig + other;
}

static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return false;
	for (const char *p = hay; *p; p++)
		if (!strncasecmp(p, needle, n))
			return true;
	return false;
}

yw_staff_pw_verdict yw_staff_pw_check(const char *pw, const char *username)
{
	long n = yw_utf8_count(pw);
	if (n < 0)
		return YW_SPW_NOT_UTF8;
	if (n < YW_STAFF_PW_MIN_CHARS)
		return YW_SPW_TOO_SHORT;
	if (n > YW_PW_MAX_CHARS)
		return YW_SPW_TOO_LONG;
	if (classes(pw) < YW_STAFF_PW_MIN_CLASSES)
		return YW_SPW_FEW_CLASSES;
	/* "Password1!" has four classes and is on every list: the list still applies. */
	if (yw_pw_is_common(pw))
		return YW_SPW_COMMON;
	if (username && contains_nocase(pw, username))
		return YW_SPW_HAS_USERNAME;
	return YW_SPW_OK;
}

const char *yw_staff_pw_verdict_text(yw_staff_pw_verdict v)
{
	switch (v) {
	case YW_SPW_OK: return "密码可用";
	case YW_SPW_NOT_UTF8: return "密码含有无效字符";
	case YW_SPW_TOO_SHORT: return "工作人员密码至少 10 个字符";
	case YW_SPW_TOO_LONG: return "密码最多 128 个字符";
	case YW_SPW_FEW_CLASSES:
		return "工作人员密码须包含大写字母、小写字母、数字、其他字符中的至少 3 类";
	case YW_SPW_COMMON: return "该密码过于常见，容易被猜中，请换一个";
	case YW_SPW_HAS_USERNAME: return "密码不能包含用户名";
	}
	return "密码不符合要求";
}

bool yw_staff_username_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 3 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

yw_ms yw_staff_pw_expires_at(yw_ms changed_at, int max_age_days)
{
	return changed_at + (yw_ms)(max_age_days < 0 ? 0 : max_age_days) * DAY_MS;
}

bool yw_staff_pw_change_required(bool must_change, yw_ms changed_at, int max_age_days, yw_ms now)
{
	return must_change || now >= yw_staff_pw_expires_at(changed_at, max_age_days);
}
