/*
 * HTTP handlers of identity (applicants):
 *   POST /api/v1/auth/sms-codes   {mobile, purpose}                     → 202 {expires_in}
 *   POST /api/v1/auth/register    {name, id_number, mobile, password, sms_code, address?}
 *                                                                      → 201 {person, csrf_token}
 *   POST /api/v1/auth/login       {account, password}                  → 200 {person, csrf_token}
 *   POST /api/v1/auth/login/sms   {mobile, code}                       → 200 {person, csrf_token}
 *   POST /api/v1/auth/logout                                           → 204
 *   POST /api/v1/auth/recover     {mobile, code, new_password}         → 204
 *   GET  /api/v1/me                                                    → 200 the full profile
 * Every state change and its audit entry commit in one write; slow argon2id work happens
 * before that write, never inside it.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "identity/internal.h"
#include "notify/notify.h"

/* ---- helpers ----------------------------------------------------------------------------- */

/* Unseal and mask a person's numbers. full: also the plain numbers (the owner's /me only). */
static json_t *person_json(yw_req *r, const yw_idn_person *p, bool full)
{
	const char *id18 = yw_unseal(r->app->keys, r->arena, p->id_enc);
	const char *m11 = yw_unseal(r->app->keys, r->arena, p->mobile_enc);
	if (!id18 || !m11 || strlen(id18) != 18 || strlen(m11) != 11)
		return NULL;
	char idm[19], mm[12];
	yw_mask_id(id18, idm);
	yw_mask_mobile(m11, mm);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", p->id, "name", p->name,
	                      "id_number_masked", idm, "mobile_masked", mm, "gender", p->gender);
	if (j && full && yw_show_full_numbers(r->principal.id, p->id)) {   /* R-ID-006 */
		json_object_set_new(j, "id_number", json_string(id18));
		json_object_set_new(j, "mobile", json_string(m11));
		json_object_set_new(j, "birth_date", json_string(p->birth_date));
		json_object_set_new(j, "address", p->address ? json_string(p->address) : json_null());
	}
	return j;
}

static yw_err reply_session(yw_req *r, int status, const yw_idn_person *p, const char *token,
                            const char *csrf)
{
	json_t *pj = person_json(r, p, false);
	if (!pj)
		return yw_fail(r, YW_E_INTERNAL, "无法解密账户资料");
	yw_reply_header(r, "Set-Cookie", yw_idn_cookie(r, token));
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, status, json_pack("{s:o, s:s}", "person", pj, "csrf_token", csrf));
}

static void code_hash(yw_keys *k, const char *mobile_hash, const char *purpose, const char *code,
                      char out[65])
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s:%s:%s", mobile_hash, purpose, code);
	yw_lookup_hash(k, "sms-code", buf, out);
}

/* Spends a code inside tx (R-ID-005): *ok, or a wrong try is counted on the live code. */
static yw_err check_code(yw_db *tx, yw_keys *k, const char *mobile_hash, const char *purpose,
                         const char *code, bool *ok)
{
	char h[65];
	code_hash(k, mobile_hash, purpose, code, h);
	return yw_idn_code_consume(tx, mobile_hash, purpose, h, yw_now_ms(), ok);
}

/* One answer for every invalid code (wrong, used, expired, never sent, too many tries), so the
 * answer cannot tell which — and with it whether a code was ever sent to a registered number. */
static yw_err code_invalid(yw_req *r)
{
	return yw_fail(r, YW_E_SMS_CODE_INVALID, "验证码不正确或已失效，请重新获取");
}

/* ---- SMS codes --------------------------------------------------------------------------- */

typedef struct {
	yw_keys *keys;
	const char *mobile11, *mobile_hash, *purpose, *code_hash, *text, *masked;
	bool deliver;    /* false: a number nobody registered; the code is stored, never sent */
	bool sandbox;
} sms_arg;

static yw_err sms_write(yw_db *tx, void *arg)
{
	sms_arg *s = arg;
	yw_err e = yw_idn_code_insert(tx, s->mobile_hash, s->purpose, s->code_hash, yw_now_ms());
	if (!e && s->deliver)
		e = yw_notify_sms(tx, s->keys, s->sandbox, s->mobile11, s->text);
	if (e)
		return e;
	/* "sent" tells the audit reader what the requester must not learn */
	return yw_audit_add(tx, "anonymous", "sms_code.issue", "mobile", s->masked, NULL,
	                    json_pack("{s:s, s:s, s:b}", "to", s->masked, "purpose", s->purpose, "sent",
	                              s->deliver));
}

static yw_err sms_codes(yw_req *r)
{
	json_t *body;
	yw_err e = yw_idn_need_store(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *mobile = yw_req_field(body, "mobile", fields),
		   *purpose = yw_req_field(body, "purpose", fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	char m11[12];
	if (yw_mobile_check(mobile, m11))
		return yw_fail(r, YW_E_BAD_MOBILE, "手机号码应为 11 位大陆手机号");
	if (!yw_sms_purpose_valid(purpose)) {
		yw_field_error(fields, "purpose", "应为 register、login 或 recover");
		return yw_fail_fields(r, fields);
	}
	/* R-ID-007: 1 per mobile per minute, 5 per mobile per hour, 20 per address per hour. */
	const yw_rate_rule *rules[] = { &yw_rate_sms_mobile_min, &yw_rate_sms_mobile_hour,
	                                &yw_rate_sms_ip_hour };
	const char *keys[] = { m11, m11, r->client_ip };
	if ((e = yw_idn_limit(r, rules, keys, 3, "请求")))
		return e;

	char mh[65], ch[65], code[7], masked[12];
	bool deliver = true;
	yw_lookup_hash(r->app->keys, "mobile", m11, mh);
	if (strcmp(purpose, "register")) {
		/* login / recover for a number nobody registered: nothing is sent, but a code row is
		 * stored all the same, so the write, the answer and every later try at a code look
		 * exactly as for a registered number. */
		yw_idn_person p;
		e = yw_idn_person_by(yw_store_reader(r->app->store), r->arena, "mobile_hash", mh, &p);
		if (e == YW_E_NOT_FOUND)
			deliver = false;
		else if (e)
			return yw_fail(r, e, "查询账户失败");
	}
	if (yw_idn_code6(code))
		return yw_fail(r, YW_E_INTERNAL, "无法生成验证码");
	code_hash(r->app->keys, mh, purpose, code, ch);
	yw_mask_mobile(m11, masked);
	sms_arg s = { r->app->keys, m11, mh, purpose, ch,
	              yw_sprintf(r->arena, "【一网通办】验证码 %s，5 分钟内有效。", code), masked,
	              deliver, r->app->config->sandbox };
	e = yw_store_write(r->app->store, sms_write, &s);
	if (e)
		return yw_fail(r, e, "验证码发送失败");
	return yw_reply_json(r, 202, json_pack("{s:i}", "expires_in", (int)(YW_SMS_CODE_MS / 1000)));
}

/* ---- register ---------------------------------------------------------------------------- */

typedef struct {
	yw_keys *keys;
	yw_arena *a;
	yw_idn_person p;
	const char *id_hash, *mobile_hash, *code, *token, *csrf, *id_masked, *mobile_masked,
		*old_session;
	/* results */
	const char *duplicate;
	bool code_ok;
} reg_arg;

static yw_err reg_write(yw_db *tx, void *arg)
{
	reg_arg *g = arg;
	g->duplicate = NULL;
	g->code_ok = false;
	yw_idn_person other;
	yw_err e = yw_idn_person_by(tx, g->a, "id_hash", g->id_hash, &other);
	if (e == YW_E_OK) {
		g->duplicate = "id";
		return YW_E_ALREADY_REGISTERED;
	}
	if (e != YW_E_NOT_FOUND)
		return e;
	e = yw_idn_person_by(tx, g->a, "mobile_hash", g->mobile_hash, &other);
	if (e == YW_E_OK) {
		g->duplicate = "mobile";
		return YW_E_ALREADY_REGISTERED;
	}
	if (e != YW_E_NOT_FOUND)
		return e;
	/* The code was checked before the hash; spending it here, in one statement, is what stops
	 * two registrations racing on one code. */
	e = check_code(tx, g->keys, g->mobile_hash, "register", g->code, &g->code_ok);
	if (e || !g->code_ok)
		return e;
	yw_ms now = yw_now_ms();
	g->p.created_at = now;
	if ((e = yw_idn_person_insert(tx, &g->p, g->id_hash, g->mobile_hash)))
		return e;
	if (g->old_session && (e = yw_idn_session_delete(tx, g->old_session)))
		return e;
	if ((e = yw_idn_session_start(tx, "person", g->p.id, g->token, g->csrf, now)))
		return e;
	return yw_audit_add(tx, yw_sprintf(g->a, "person:%s", g->p.id), "person.register", "person",
	                    g->p.id, NULL,
	                    json_pack("{s:s, s:s, s:s}", "name", g->p.name, "id_number", g->id_masked,
	                              "mobile", g->mobile_masked));
}

typedef struct {
	const char *mobile_hash;
} try_arg;

static yw_err try_write(yw_db *tx, void *arg)
{
	try_arg *t = arg;
	return yw_idn_code_try(tx, t->mobile_hash, "register", yw_now_ms());
}

/* A read-only look at the live register code: the request goes on only when it matches. The code
 * is not spent here (reg_write spends it atomically); a wrong one counts a try, as anywhere. */
static yw_err register_code_precheck(yw_req *r, const char *mh, const char *code)
{
	yw_idn_code c;
	yw_err e = yw_idn_code_current(yw_store_reader(r->app->store), r->arena, mh, "register", &c);
	if (e == YW_E_NOT_FOUND)
		return code_invalid(r);
	if (e)
		return yw_fail(r, e, "注册失败");
	char h[65];
	code_hash(r->app->keys, mh, "register", code, h);
	yw_code_verdict v = yw_sms_code_check(strlen(c.code_hash) == 64 &&
	                                      sodium_memcmp(h, c.code_hash, 64) == 0,
	                                      c.expires_at, c.attempts, c.used, yw_now_ms());
	if (v == YW_CODE_OK)
		return YW_E_OK;
	if (v == YW_CODE_WRONG) {
		try_arg t = { mh };
		if ((e = yw_store_write(r->app->store, try_write, &t)))
			return yw_fail(r, e, "注册失败");
	}
	return code_invalid(r);
}

static yw_err do_register(yw_req *r)
{
	json_t *body;
	yw_err e = yw_idn_need_store(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *name = yw_req_field(body, "name", fields), *idn = yw_req_field(body, "id_number", fields),
		   *mobile = yw_req_field(body, "mobile", fields), *pw = yw_req_field(body, "password", fields),
		   *code = yw_req_field(body, "sms_code", fields);
	const char *address = NULL;
	json_t *addr = json_object_get(body, "address");
	if (addr && !json_is_null(addr) &&
	    (!json_is_string(addr) || yw_utf8_count(json_string_value(addr)) < 0 ||
	     yw_utf8_count(json_string_value(addr)) > 200))
		yw_field_error(fields, "address", "应为不超过 200 字的文字");
	else if (addr && json_is_string(addr) && json_string_value(addr)[0])
		address = json_string_value(addr);
	if (name && !yw_text_ok(name, 50))
		yw_field_error(fields, "name", "姓名应为 1 到 50 个字符");
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);

	char id18[19], m11[12];
	if (yw_id_check(idn, id18))
		return yw_fail(r, YW_E_BAD_ID_NUMBER, "公民身份号码校验未通过（校验码、出生日期或长度有误）");
	if (yw_mobile_check(mobile, m11))
		return yw_fail(r, YW_E_BAD_MOBILE, "手机号码应为 11 位大陆手机号");
	yw_pw_verdict pv = yw_pw_check(pw);   /* R-ID-001, R-ID-002 */
	if (pv != YW_PW_OK)
		return yw_fail(r, YW_E_WEAK_PASSWORD, "%s", yw_pw_verdict_text(pv));

	/* R-ID-007: before anything costs a hash or answers about an account. */
	const yw_rate_rule *rules[] = { &yw_rate_register_mobile, &yw_rate_register_ip };
	const char *keys[] = { m11, r->client_ip };
	if ((e = yw_idn_limit(r, rules, keys, 2, "请求")))
		return e;

	char pwhash[128], idh[65], mh[65], idm[19], mm[12], birth[11];
	yw_lookup_hash(r->app->keys, "mobile", m11, mh);
	/* Only someone holding a live code for this mobile learns whether the ID or the mobile is
	 * taken (409), and only they make us spend an argon2id hash. */
	if ((e = register_code_precheck(r, mh, code)))
		return e;
	if (yw_pw_hash(pw, pwhash))
		return yw_fail(r, YW_E_NO_MEMORY, "无法计算密码散列");
	yw_lookup_hash(r->app->keys, "id", id18, idh);
	yw_mask_id(id18, idm);
	yw_mask_mobile(m11, mm);
	yw_date b;
	yw_id_birth(id18, &b);
	yw_date_format(b, birth);
	reg_arg g = { .keys = r->app->keys, .a = r->arena, .id_hash = idh, .mobile_hash = mh,
	              .code = code, .id_masked = idm, .mobile_masked = mm,
	              .old_session = yw_idn_old_session(r) };
	const char *pid = yw_idn_new_id(r, "p");
	if (!pid || yw_idn_new_tokens(r, &g.token, &g.csrf))
		return YW_E_NO_MEMORY;
	g.p = (yw_idn_person){ .id = pid, .name = name,
	                       .id_enc = yw_seal(r->app->keys, r->arena, id18),
	                       .mobile_enc = yw_seal(r->app->keys, r->arena, m11),
	                       .gender = yw_id_is_male(id18) ? "男" : "女",
	                       .birth_date = yw_strdup(r->arena, birth), .address = address,
	                       .password_hash = yw_strdup(r->arena, pwhash) };
	if (!g.p.id_enc || !g.p.mobile_enc || !g.p.birth_date || !g.p.password_hash)
		return YW_E_NO_MEMORY;
	e = yw_store_write(r->app->store, reg_write, &g);
	if (e == YW_E_ALREADY_REGISTERED)
		return yw_fail(r, e, !strcmp(g.duplicate, "id") ? "公民身份号码 %s 已注册" : "手机号码 %s 已注册",
		               !strcmp(g.duplicate, "id") ? idm : mm);
	if (e)
		return yw_fail(r, e, "注册失败");
	if (!g.code_ok)
		return code_invalid(r);
	return reply_session(r, 201, &g.p, g.token, g.csrf);
}

/* ---- login ------------------------------------------------------------------------------- */

enum login_result { LOGIN_OK, LOGIN_WRONG, LOGIN_LOCKED };

typedef struct {
	yw_arena *a;
	yw_keys *keys;
	const char *person_id;     /* password login: known before; SMS login: found in the write */
	const char *mobile_hash, *code;   /* SMS login */
	bool verified;             /* password login: the password matched */
	const char *token, *csrf, *old_session, *method;
	/* results */
	enum login_result result;
	yw_lockout lock;
	bool code_ok;              /* SMS login: the code was right and is now spent */
	yw_idn_person p;
} login_arg;

static yw_err login_write(yw_db *tx, void *arg)
{
	login_arg *g = arg;
	g->result = LOGIN_WRONG;
	g->code_ok = true;
	yw_ms now = yw_now_ms();
	yw_err e;
	if (g->mobile_hash) {
		/* The code first, registered number or not (an unregistered one has a code row too):
		 * a lock or an account is only revealed to someone holding the right code. */
		if ((e = check_code(tx, g->keys, g->mobile_hash, "login", g->code, &g->code_ok)))
			return e;
		if (!g->code_ok)
			return YW_E_OK;     /* the counted try commits */
		e = yw_idn_person_by(tx, g->a, "mobile_hash", g->mobile_hash, &g->p);
		if (e == YW_E_NOT_FOUND) {
			g->code_ok = false;
			return YW_E_OK;
		}
	} else {
		e = yw_idn_person_by(tx, g->a, "id", g->person_id, &g->p);
	}
	if (e)
		return e;
	g->lock = g->p.lock;
	const char *actor = yw_sprintf(g->a, "person:%s", g->p.id);
	if (yw_lockout_is_locked(&g->lock, now)) {       /* R-ID-003 */
		g->result = LOGIN_LOCKED;
		return YW_E_OK;
	}
	if (!g->mobile_hash && !g->verified) {
		/* R-ID-003, counted in one statement and decided on what it stored. */
		/* Whoever typed the wrong password is not known to be the person: "anonymous". */
		bool locked_now;
		e = yw_idn_count_failure(tx, g->a, "person", g->p.id, "anonymous", "person.login_failed",
		                         NULL, now, &g->lock, &locked_now);
		g->result = yw_lockout_is_locked(&g->lock, now) ? LOGIN_LOCKED : LOGIN_WRONG;
		return e;
	}
	if ((g->p.lock.failed || g->p.lock.locked_until) &&
	    (e = yw_idn_person_set_lock(tx, g->p.id, yw_lockout_success())))
		return e;
	if (g->old_session && (e = yw_idn_session_delete(tx, g->old_session)))
		return e;
	if ((e = yw_idn_session_start(tx, "person", g->p.id, g->token, g->csrf, now)))
		return e;
	g->result = LOGIN_OK;
	return yw_audit_add(tx, actor, "person.login", "person", g->p.id, NULL,
	                    json_pack("{s:s}", "method", g->method));
}

static yw_err login_limits(yw_req *r, const char *account)
{
	const yw_rate_rule *rules[] = { &yw_rate_login_account, &yw_rate_login_ip };
	const char *keys[] = { account, r->client_ip };
	return yw_idn_limit(r, rules, keys, 2, "请求");
}

static yw_err login(yw_req *r)
{
	json_t *body;
	yw_err e = yw_idn_need_store(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *account = yw_req_field(body, "account", fields),
		   *pw = yw_req_field(body, "password", fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	char id18[19], m11[12], h[65];
	const char *column = NULL, *norm = account;
	if (yw_id_check(account, id18) == YW_E_OK) {
		yw_lookup_hash(r->app->keys, "id", id18, h);
		column = "id_hash";
		norm = id18;
	} else if (yw_mobile_check(account, m11) == YW_E_OK) {
		yw_lookup_hash(r->app->keys, "mobile", m11, h);
		column = "mobile_hash";
		norm = m11;
	}
	if ((e = login_limits(r, norm)))          /* R-ID-007 */
		return e;
	yw_idn_person p;
	e = column ? yw_idn_person_by(yw_store_reader(r->app->store), r->arena, column, h, &p)
	           : YW_E_NOT_FOUND;
	if (e && e != YW_E_NOT_FOUND)
		return yw_fail(r, e, "查询账户失败");
	if (e == YW_E_NOT_FOUND) {
		yw_pw_verify(NULL, pw);           /* the same time as a wrong password */
		return yw_fail(r, YW_E_LOGIN_FAILED, "账号或密码不正确");
	}
	if (yw_lockout_is_locked(&p.lock, yw_now_ms()))
		return yw_idn_locked(r, p.lock.locked_until, "密码");
	login_arg g = { .a = r->arena, .keys = r->app->keys, .person_id = p.id,
	                .verified = yw_pw_verify(p.password_hash, pw), .old_session = yw_idn_old_session(r),
	                .method = "password" };
	if (yw_idn_new_tokens(r, &g.token, &g.csrf))
		return YW_E_NO_MEMORY;
	if ((e = yw_store_write(r->app->store, login_write, &g)))
		return yw_fail(r, e, "登录失败");
	if (g.result == LOGIN_LOCKED)
		return yw_idn_locked(r, g.lock.locked_until, "密码");
	if (g.result != LOGIN_OK)
		return yw_fail(r, YW_E_LOGIN_FAILED, "账号或密码不正确");
	return reply_session(r, 200, &g.p, g.token, g.csrf);
}

static yw_err login_sms(yw_req *r)
{
	json_t *body;
	yw_err e = yw_idn_need_store(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *mobile = yw_req_field(body, "mobile", fields), *code = yw_req_field(body, "code", fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	char m11[12], mh[65];
	if (yw_mobile_check(mobile, m11))
		return yw_fail(r, YW_E_BAD_MOBILE, "手机号码应为 11 位大陆手机号");
	if ((e = login_limits(r, m11)))
		return e;
	yw_lookup_hash(r->app->keys, "mobile", m11, mh);
	login_arg g = { .a = r->arena, .keys = r->app->keys, .mobile_hash = mh, .code = code,
	                .old_session = yw_idn_old_session(r), .method = "sms" };
	if (yw_idn_new_tokens(r, &g.token, &g.csrf))
		return YW_E_NO_MEMORY;
	if ((e = yw_store_write(r->app->store, login_write, &g)))
		return yw_fail(r, e, "登录失败");
	if (!g.code_ok)
		return code_invalid(r);
	if (g.result == LOGIN_LOCKED)
		return yw_idn_locked(r, g.lock.locked_until, "密码");
	return reply_session(r, 200, &g.p, g.token, g.csrf);
}

/* ---- logout, recover, me ----------------------------------------------------------------- */

static yw_err logout(yw_req *r)
{
	yw_err e = yw_idn_need_store(r);
	if (e)
		return e;
	if ((e = yw_identity_end_session(r, NULL)))
		return yw_fail(r, e, "退出登录失败");
	yw_reply_header(r, "Set-Cookie", yw_idn_cookie(r, NULL));
	return yw_reply_raw(r, 204, NULL, "", 0);
}

typedef struct {
	yw_arena *a;
	yw_keys *keys;
	const char *mobile_hash, *code, *pwhash;
	bool code_ok;
} recover_arg;

static yw_err recover_write(yw_db *tx, void *arg)
{
	recover_arg *g = arg;
	/* The code first, as for SMS login: an unregistered number has a code row too. */
	yw_err e = check_code(tx, g->keys, g->mobile_hash, "recover", g->code, &g->code_ok);
	if (e || !g->code_ok)
		return e;
	yw_idn_person p;
	e = yw_idn_person_by(tx, g->a, "mobile_hash", g->mobile_hash, &p);
	if (e == YW_E_NOT_FOUND) {
		g->code_ok = false;
		return YW_E_OK;
	}
	if (e)
		return e;
	if ((e = yw_idn_person_set_password(tx, p.id, g->pwhash)))   /* also lifts a lock */
		return e;
	if ((e = yw_idn_session_delete_subject(tx, "person", p.id, 0, 0, true)))
		return e;
	return yw_audit_add(tx, yw_sprintf(g->a, "person:%s", p.id), "person.recover", "person", p.id,
	                    NULL, json_pack("{s:b}", "sessions_ended", 1));
}

static yw_err recover(yw_req *r)
{
	json_t *body;
	yw_err e = yw_idn_need_store(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *mobile = yw_req_field(body, "mobile", fields), *code = yw_req_field(body, "code", fields),
		   *pw = yw_req_field(body, "new_password", fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	char m11[12], mh[65], pwhash[128];
	if (yw_mobile_check(mobile, m11))
		return yw_fail(r, YW_E_BAD_MOBILE, "手机号码应为 11 位大陆手机号");
	yw_pw_verdict pv = yw_pw_check(pw);
	if (pv != YW_PW_OK)
		return yw_fail(r, YW_E_WEAK_PASSWORD, "%s", yw_pw_verdict_text(pv));
	if ((e = login_limits(r, m11)))
		return e;
	if (yw_pw_hash(pw, pwhash))
		return yw_fail(r, YW_E_NO_MEMORY, "无法计算密码散列");
	yw_lookup_hash(r->app->keys, "mobile", m11, mh);
	recover_arg g = { r->arena, r->app->keys, mh, code, pwhash, false };
	if ((e = yw_store_write(r->app->store, recover_write, &g)))
		return yw_fail(r, e, "重置密码失败");
	if (!g.code_ok)
		return code_invalid(r);
	if (r->principal.kind)
		yw_reply_header(r, "Set-Cookie", yw_idn_cookie(r, NULL));
	return yw_reply_raw(r, 204, NULL, "", 0);
}

static yw_err me(yw_req *r)
{
	yw_err e = yw_idn_need_store(r);
	if (e)
		return e;
	if (r->principal.kind && !strcmp(r->principal.kind, "staff"))
		return yw_idn_staff_me(r);
	if (!r->principal.kind || strcmp(r->principal.kind, "person"))
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	yw_idn_person p;
	e = yw_idn_person_by(yw_store_reader(r->app->store), r->arena, "id", r->principal.id, &p);
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	if (e)
		return yw_fail(r, e, "读取账户失败");
	json_t *j = person_json(r, &p, true);
	if (!j)
		return yw_fail(r, YW_E_INTERNAL, "无法解密账户资料");
	json_object_set_new(j, "kind", json_string("person"));
	json_object_set_new(j, "csrf_token", json_string(r->principal.csrf));
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200, j);
}

void yw_identity_routes(yw_router *rt)
{
	yw_route(rt, "POST", "/api/v1/auth/sms-codes", sms_codes);
	yw_route(rt, "POST", "/api/v1/auth/register", do_register);
	yw_route(rt, "POST", "/api/v1/auth/login", login);
	yw_route(rt, "POST", "/api/v1/auth/login/sms", login_sms);
	yw_route(rt, "POST", "/api/v1/auth/logout", logout);
	yw_route(rt, "POST", "/api/v1/auth/recover", recover);
	yw_route(rt, "GET", "/api/v1/me", me);
	yw_idn_staff_routes(rt);
	yw_idn_admin_routes(rt);
	yw_idn_org_routes(rt);
}
