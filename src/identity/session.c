/*
 * Sessions (R-ID-004) and the authentication hook with its CSRF check (R-ID-008).
 *
 * The cookie yw_session carries 32 random bytes (base64url); the sessions table keeps only
 * their SHA-256, so a copy of the database cannot be replayed as a cookie. The hook looks the
 * session up on the calling thread's read connection; a dead or unknown session is simply
 * anonymous. last_seen is refreshed at most once a minute, which is a write.
 */
#include <string.h>

#include "identity/internal.h"

yw_err yw_idn_session_start(yw_db *tx, const char *kind, const char *subject_id, const char *token,
                            const char *csrf, yw_ms now)
{
	char hash[65];
	yw_sha256_hex(token, strlen(token), hash);
	yw_err e = yw_idn_session_delete_subject(tx, kind, subject_id, YW_SESSION_IDLE_MS, now, false);
	if (e)
		return e;
	yw_idn_session s = { .id_hash = hash, .subject_kind = kind, .subject_id = subject_id,
	                     .csrf = csrf, .created_at = now, .last_seen = now,
	                     .expires_at = now + YW_SESSION_ABSOLUTE_MS };
	return yw_idn_session_insert(tx, &s);
}

const char *yw_idn_cookie(yw_req *r, const char *token)
{
	const char *proto = yw_req_header(r, "X-Forwarded-Proto");
	const char *secure = proto && !strcmp(proto, "https") ? "; Secure" : "";
	if (!token)
		return yw_sprintf(r->arena, YW_SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s",
		                  secure);
	return yw_sprintf(r->arena, YW_SESSION_COOKIE "=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s",
	                  token, (long long)(YW_SESSION_ABSOLUTE_MS / 1000), secure);
}

typedef struct {
	const char *id_hash;
	yw_ms now;
} touch_arg;

static yw_err touch(yw_db *tx, void *arg)
{
	touch_arg *t = arg;
	return yw_idn_session_touch(tx, t->id_hash, t->now);
}

yw_err yw_identity_before(yw_req *r)
{
	r->principal = (yw_principal){ 0 };
	const char *token = yw_req_cookie(r, YW_SESSION_COOKIE);
	/* a cookie value we could have made: base64url, 43 characters for 32 bytes */
	if (yw_b64url_shaped(token, 43) && r->app->store) {
		char hash[65];
		yw_sha256_hex(token, strlen(token), hash);
		yw_idn_session s;
		yw_ms now = yw_now_ms();
		yw_err e = yw_idn_session_get(yw_store_reader(r->app->store), r->arena, hash, &s);
		if (e && e != YW_E_NOT_FOUND)
			return yw_fail(r, e, "读取会话失败");
		if (e == YW_E_OK && yw_session_alive(s.last_seen, s.expires_at, now)) {
			if (yw_session_needs_touch(s.last_seen, now)) {
				touch_arg t = { s.id_hash, now };
				e = yw_store_write(r->app->store, touch, &t);
				if (e)
					return yw_fail(r, e, "更新会话失败");
			}
			yw_caller *c = yw_zalloc(r->arena, sizeof *c);
			if (!c)
				return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
			*c = (yw_caller){ .kind = s.subject_kind, .id = s.subject_id };
			if (!strcmp(s.subject_kind, "staff")) {
				e = yw_idn_staff_caller(yw_store_reader(r->app->store), r->arena, s.subject_id,
				                        now, c);
				if (e == YW_E_NOT_FOUND)   /* disabled since: the session is worth nothing */
					goto csrf;
				if (e)
					return yw_fail(r, e, "读取工作人员失败");
			}
			r->principal = (yw_principal){ .kind = c->kind, .id = s.subject_id,
			                               .name = s.subject_name, .session_id = s.id_hash,
			                               .csrf = s.csrf, .ext = c };
		}
	}
csrf:
	if (!yw_csrf_ok(r->method, r->principal.kind != NULL, r->principal.csrf,
	                yw_req_header(r, "X-CSRF-Token")))
		return yw_fail(r, YW_E_CSRF_FAILED, "状态变更请求须带 X-CSRF-Token 请求头%s",
		               r->principal.kind ? "，其值为登录或 /api/v1/me 应答中的 csrf_token" : "");
	return YW_E_OK;
}
