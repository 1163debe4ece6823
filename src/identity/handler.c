/*
 * The request pieces that every identity file serving HTTP shares (api.c, staff_api.c,
 * org_api.c, admin_api.c), kept once so that the applicant side and the staff side cannot drift
 * apart in how they refuse, limit, lock or name things.
 */
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "identity/internal.h"
#include "ref/ref.h"

yw_err yw_idn_need_store(yw_req *r)
{
	if (!r->app->store || !r->app->keys)
		return yw_fail(r, YW_E_UNAVAILABLE, "身份服务未配置数据库或密钥");
	return YW_E_OK;
}

const yw_caller *yw_idn_caller(const yw_req *r)
{
	return r->principal.ext;
}

yw_err yw_idn_limit(yw_req *r, const yw_rate_rule *const *rules, const char *const *keys, int n,
                    const char *what)
{
	int retry;
	if (yw_rate_limit(rules, keys, n, yw_now_ms(), &retry))
		return YW_E_OK;
	yw_reply_header(r, "Retry-After", yw_sprintf(r->arena, "%d", retry));
	return yw_fail(r, YW_E_RATE_LIMITED, "%s过于频繁，请 %d 秒后再试", what, retry);
}

yw_err yw_idn_locked(yw_req *r, yw_ms until, const char *what)
{
	time_t t = (time_t)(until / 1000) + 8 * 3600;    /* China Standard Time */
	struct tm tm;
	gmtime_r(&t, &tm);
	r->problem_extra = yw_arena_json(r->arena, json_pack("{s:I}", "locked_until", (json_int_t)until));
	return yw_fail(r, YW_E_ACCOUNT_LOCKED, "连续 %d 次%s错误，账号锁定至 %04d-%02d-%02d %02d:%02d（北京时间）",
	               YW_LOCK_AFTER, what, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	               tm.tm_min);
}

const char *yw_idn_today(yw_arena *a, yw_ms now)
{
	char *s = yw_alloc(a, 11);
	if (s)
		yw_date_format(yw_cst_date(now), s);
	return s;
}

yw_err yw_idn_division_arg(yw_req *r, const char *code, const char **out)
{
	const yw_division *d;
	yw_err e = yw_division_find(code, &d);
	if (e == YW_E_BAD_DIVISION_CODE)
		return yw_fail(r, e, "行政区划代码 %s 格式不正确，应为 6 位或 9 位数字", code);
	if (e)
		return yw_fail(r, YW_E_DIVISION_NOT_FOUND, "行政区划 %s 不存在（只支持到乡级）", code);
	char buf[YW_DIV_CODE_MAX];
	yw_division_code(d, buf);
	*out = yw_strdup(r->arena, buf);
	return *out ? YW_E_OK : YW_E_NO_MEMORY;
}

const char *yw_idn_token_hash(yw_arena *a, const char *token)
{
	char *h = yw_alloc(a, 65);
	if (h)
		yw_sha256_hex(token, strlen(token), h);
	return h;
}

const char *yw_idn_old_session(yw_req *r)
{
	const char *t = yw_req_cookie(r, YW_SESSION_COOKIE);
	return t ? yw_idn_token_hash(r->arena, t) : NULL;
}

yw_err yw_idn_new_tokens(yw_req *r, const char **token, const char **csrf)
{
	*token = yw_random_token(r->arena, 32);
	*csrf = yw_random_token(r->arena, 24);
	return *token && *csrf ? YW_E_OK : YW_E_NO_MEMORY;
}

const char *yw_idn_new_id(yw_req *r, const char *prefix)
{
	const char *t = yw_random_token(r->arena, 12);
	return t ? yw_sprintf(r->arena, "%s_%s", prefix, t) : NULL;
}

yw_err yw_idn_count_failure(yw_db *tx, yw_arena *a, const char *kind, const char *id,
                            const char *actor, const char *failed_action, const char *step,
                            yw_ms now, yw_lockout *lock, bool *locked_now)
{
	yw_err e = yw_idn_login_fail(tx, a, !strcmp(kind, "person") ? "persons" : kind, id, now, lock);
	if (e)
		return e;
	*locked_now = lock->locked_until == now + YW_LOCK_MS;
	return yw_audit_add(tx, actor, *locked_now ? yw_sprintf(a, "%s.lock", kind) : failed_action, kind,
	                    id, NULL,
	                    json_pack("{s:s*, s:i, s:I}", "step", step, "failed_logins", lock->failed,
	                              "locked_until", (json_int_t)lock->locked_until));
}
