/*
 * The pure rules of identity: no I/O, no clock (the time is an argument), unit-tested in
 * tests/unit/test_identity.c. Each rule carries its id from identity.h and docs/identity.md.
 */
#include <stdlib.h>
#include <string.h>

#include "identity/identity.h"

/* ---- R-ID-001, R-ID-002 ------------------------------------------------------------------ */

long yw_utf8_count(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;
	while (*p) {
		unsigned c = *p;
		int more;
		unsigned cp;
		if (c < 0x80) {
			more = 0;
			cp = c;
		} else if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			cp = c & 0x07;
		} else {
			return -1;
		}
		p++;
		for (int i = 0; i < more; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (*p & 0x3f);
		}
		/* overlong three- and four-byte forms, surrogates, beyond U+10FFFF */
		if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		n++;
	}
	return n;
}

static int cmp_str(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

/* R-ID-002: compared lower-cased (ASCII; the list has only ASCII). A password longer than any
 * entry cannot be one. */
bool yw_pw_is_common(const char *pw)
{
	char low[64];
	size_t n = strlen(pw);
	if (n >= sizeof(low))
		return false;
	for (size_t i = 0; i <= n; i++)
		low[i] = (pw[i] >= 'A' && pw[i] <= 'Z') ? (char)(pw[i] - 'A' + 'a') : pw[i];
	return bsearch(low, yw_common_passwords, yw_common_passwords_n, sizeof(char *), cmp_str) != NULL;
}

/* R-ID-001: 8 to 128 characters counted as Unicode code points, no composition rules;
 * R-ID-002: not among the 3000 most common. */
bool yw_text_ok(const char *s, long max)
{
	long n = yw_utf8_count(s);
	if (n < 1 || n > max)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

yw_pw_verdict yw_pw_check(const char *pw)
{
	long n = yw_utf8_count(pw);
	if (n < 0)
		return YW_PW_NOT_UTF8;
	if (n < YW_PW_MIN_CHARS)
		return YW_PW_TOO_SHORT;
	if (n > YW_PW_MAX_CHARS)
		return YW_PW_TOO_LONG;
	if (yw_pw_is_common(pw))
		return YW_PW_COMMON;
	return YW_PW_OK;
}

const char *yw_pw_verdict_text(yw_pw_verdict v)
{
	switch (v) {
	case YW_PW_OK: return "密码可用";
	case YW_PW_NOT_UTF8: return "密码含有无效字符";
	case YW_PW_TOO_SHORT: return "密码至少 8 个字符";
	case YW_PW_TOO_LONG: return "密码最多 128 个字符";
	case YW_PW_COMMON: return "该密码过于常见，容易被猜中，请换一个";
	}
	return "密码不符合要求";
}

/* ---- R-ID-003 ---------------------------------------------------------------------------- */

bool yw_lockout_is_locked(const yw_lockout *l, yw_ms now)
{
	return l->locked_until > now;
}

yw_lockout yw_lockout_fail(yw_lockout l, yw_ms now)
{
	if (l.locked_until && l.locked_until <= now)
		l = (yw_lockout){ 0, 0 };          /* an expired lock starts a fresh count */
	l.failed++;
	if (l.failed >= YW_LOCK_AFTER) {
		l.failed = 0;
		l.locked_until = now + YW_LOCK_MS;
	}
	return l;
}

yw_lockout yw_lockout_success(void)
{
	return (yw_lockout){ 0, 0 };
}

/* ---- R-ID-004 ---------------------------------------------------------------------------- */

bool yw_session_alive(yw_ms last_seen, yw_ms expires_at, yw_ms now)
{
	return now < expires_at && now - last_seen < YW_SESSION_IDLE_MS;
}

bool yw_session_needs_touch(yw_ms last_seen, yw_ms now)
{
	return now - last_seen >= YW_SESSION_TOUCH_MS;
}

/* ---- R-ID-005 ---------------------------------------------------------------------------- */

yw_code_verdict yw_sms_code_check(bool matches, yw_ms expires_at, int attempts, bool used, yw_ms now)
{
	if (used)
		return YW_CODE_USED;
	if (now >= expires_at)
		return YW_CODE_EXPIRED;
	if (attempts >= YW_SMS_MAX_TRIES)
		return YW_CODE_EXHAUSTED;
	return matches ? YW_CODE_OK : YW_CODE_WRONG;
}

bool yw_sms_purpose_valid(const char *p)
{
	return p && (!strcmp(p, "register") || !strcmp(p, "login") || !strcmp(p, "recover"));
}

/* ---- R-ID-006 ---------------------------------------------------------------------------- */

bool yw_show_full_numbers(const char *viewer, const char *owner)
{
	return viewer && owner && viewer[0] && !strcmp(viewer, owner);
}

/* ---- R-ID-007 ---------------------------------------------------------------------------- */

const yw_rate_rule yw_rate_sms_mobile_min = { "sms/mobile/60s", 1, 60 * 1000 };
const yw_rate_rule yw_rate_sms_mobile_hour = { "sms/mobile/hour", 5, 3600 * 1000 };
const yw_rate_rule yw_rate_sms_ip_hour = { "sms/ip/hour", 20, 3600 * 1000 };
const yw_rate_rule yw_rate_login_account = { "login/account/15min", 10, 15 * 60 * 1000 };
const yw_rate_rule yw_rate_login_ip = { "login/ip/15min", 30, 15 * 60 * 1000 };
/* Registration checks a code and then spends an argon2id hash: bounded like logins, so that
 * neither code guessing nor CPU can be had in bulk. */
const yw_rate_rule yw_rate_register_mobile = { "register/mobile/15min", 10, 15 * 60 * 1000 };
const yw_rate_rule yw_rate_register_ip = { "register/ip/15min", 30, 15 * 60 * 1000 };

/* A fixed window: the first event opens it, `limit` events fit, the next waits for its end. */
bool yw_rate_take(const yw_rate_rule *rule, yw_rate_counter *c, yw_ms now, int *retry_after_s)
{
	if (c->count == 0 || now - c->window_start >= rule->window_ms || now < c->window_start) {
		c->window_start = now;
		c->count = 0;
	}
	if (c->count >= rule->limit) {
		yw_ms wait = c->window_start + rule->window_ms - now;
		*retry_after_s = (int)((wait + 999) / 1000);
		if (*retry_after_s < 1)
			*retry_after_s = 1;
		return false;
	}
	c->count++;
	return true;
}

/* ---- R-ID-008 ---------------------------------------------------------------------------- */

static bool const_eq(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char d = na != nb;
	for (size_t i = 0; i < na && i < nb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

bool yw_csrf_ok(const char *method, bool has_session, const char *session_csrf, const char *header)
{
	bool unsafe = !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH") ||
	              !strcmp(method, "DELETE");
	if (!unsafe)
		return true;
	if (has_session)
		return header && session_csrf && session_csrf[0] && const_eq(header, session_csrf);
	return header && header[0];
}
