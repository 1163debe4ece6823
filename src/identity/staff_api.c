/*
 * Staff login (R-ID-010, R-ID-011): password, then a TOTP code, and only then a session.
 *   POST /api/v1/auth/staff/login     {username, password}
 *        → 200 {next: "totp", ticket} or {next: "enrol", ticket, secret, otpauth_uri, qr_svg}
 *   POST /api/v1/auth/staff/totp      {ticket, code}  → 200 {staff, csrf_token,
 *                                                            password_change_required} + cookie
 *   POST /api/v1/auth/staff/enrol     {ticket, code}  → the same; the shown secret becomes theirs
 *   POST /api/v1/auth/staff/password  {old_password, new_password}            → 204
 *   GET  /api/v1/me (staff session, through api.c)    → the member, roles, password state
 * and `yiwang staff bootstrap` (yw_staff_bootstrap), which makes the first administrator.
 *
 * The password step hands out a ticket (32 random bytes; staff_login_tickets keeps its SHA-256)
 * that lives 5 minutes and is spent by the first right code. Wrong passwords and wrong codes
 * count on the same lockout (R-ID-003, one statement), and only a whole login resets it: so a
 * thief of the password cannot interleave password steps to guess codes for ever. A code's step
 * is taken by one statement on staff.totp_last_step, so two requests with one code cannot both
 * pass. As in api.c, argon2id and HMAC work happen before the write, and each write does its
 * change and its audit entry together. Secrets and passwords never reach the audit log.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "identity/internal.h"
#include "ref/ref.h"
#include "store/store.h"

#define TICKET_MS ((yw_ms)5 * 60 * 1000)

/* R-ID-007 for staff: the password step per user name and per address, codes per address. */
static const yw_rate_rule rate_account = { "staff-login/account/15min", 20, 15 * 60 * 1000 };
static const yw_rate_rule rate_ip = { "staff-login/ip/15min", 60, 15 * 60 * 1000 };
static const yw_rate_rule rate_code_ip = { "staff-code/ip/15min", 60, 15 * 60 * 1000 };

/* ---- the SQL of staff login -------------------------------------------------------------- */

typedef struct {
	const char *id, *username, *name, *department_id, *password_hash, *totp_secret_enc;
	yw_ms password_changed_at;
	bool must_change, disabled;
	int64_t totp_last_step;
	yw_lockout lock;
} staff_rec;

static void staff_row(const yw_rows *rows, int i, void *record)
{
	staff_rec *s = record;
	*s = (staff_rec){ .id = yw_rows_text(rows, i, 0), .username = yw_rows_text(rows, i, 1),
	                  .name = yw_rows_text(rows, i, 2), .department_id = yw_rows_text(rows, i, 3),
	                  .password_hash = yw_rows_text(rows, i, 4),
	                  .totp_secret_enc = yw_rows_text(rows, i, 5),
	                  .password_changed_at = yw_rows_int(rows, i, 6),
	                  .must_change = yw_rows_int(rows, i, 7) != 0,
	                  .disabled = yw_rows_int(rows, i, 8) != 0,
	                  .totp_last_step = yw_rows_int(rows, i, 9),
	                  .lock = { (int)yw_rows_int(rows, i, 10), yw_rows_int(rows, i, 11) } };
}

static yw_err staff_by(yw_db *db, yw_arena *a, bool by_username, const char *v, staff_rec *out)
{
	return yw_idn_read_row(db, a,
	                       by_username
	                           ? "SELECT id, username, name, department_id, password_hash, totp_secret_enc, "
	                             "password_changed_at, must_change_password, disabled, totp_last_step, "
	                             "failed_logins, locked_until FROM staff WHERE username = $1"
	                           : "SELECT id, username, name, department_id, password_hash, totp_secret_enc, "
	                             "password_changed_at, must_change_password, disabled, totp_last_step, "
	                             "failed_logins, locked_until FROM staff WHERE id = $1",
	                       YW_PARAMS(YW_VTEXT(v)), staff_row, out);
}

/* R-ID-011: take a step in one statement — only if it is later than the last one taken and the
 * member is neither disabled nor locked. Enrolment also installs the secret, only if none is
 * there yet. A whole login also ends the failure count. *ok: the row changed. */
static yw_err take_step(yw_db *tx, const char *id, int64_t step, const char *enrol_secret,
                        yw_ms now, bool *ok)
{
	long long n = 0;
	yw_err e = enrol_secret
		? yw_db_exec(tx, "UPDATE staff SET totp_secret_enc = $3, totp_last_step = $2, "
		                 "failed_logins = 0, locked_until = 0 WHERE id = $1 AND totp_secret_enc IS NULL "
		                 "AND disabled = 0 AND locked_until <= $4",
		             YW_PARAMS(YW_VTEXT(id), YW_VINT(step), YW_VTEXT(enrol_secret), YW_VINT(now)), &n)
		: yw_db_exec(tx, "UPDATE staff SET totp_last_step = $2, failed_logins = 0, locked_until = 0 "
		                 "WHERE id = $1 AND totp_last_step < $2 AND totp_secret_enc IS NOT NULL "
		                 "AND disabled = 0 AND locked_until <= $3",
		             YW_PARAMS(YW_VTEXT(id), YW_VINT(step), YW_VINT(now)), &n);
	*ok = !e && n > 0;
	return e;
}

typedef struct {
	const char *staff_id, *stage, *pending_secret_enc;
	yw_ms expires_at;
	bool used;
} ticket_rec;

static void ticket_row(const yw_rows *rows, int i, void *record)
{
	ticket_rec *t = record;
	*t = (ticket_rec){ .staff_id = yw_rows_text(rows, i, 0), .stage = yw_rows_text(rows, i, 1),
	                   .pending_secret_enc = yw_rows_text(rows, i, 2),
	                   .expires_at = yw_rows_int(rows, i, 3), .used = yw_rows_int(rows, i, 4) != 0 };
}

static yw_err ticket_get(yw_db *db, yw_arena *a, const char *id_hash, ticket_rec *out)
{
	return yw_idn_read_row(db, a,
	                       "SELECT staff_id, stage, pending_secret_enc, expires_at, used "
	                       "FROM staff_login_tickets WHERE id_hash = $1",
	                       YW_PARAMS(YW_VTEXT(id_hash)), ticket_row, out);
}

/* Spent in one statement: of two requests with one ticket, one changes the row. */
static yw_err ticket_spend(yw_db *tx, const char *id_hash, yw_ms now, bool *ok)
{
	long long n = 0;
	yw_err e = yw_db_exec(tx, "UPDATE staff_login_tickets SET used = 1 WHERE id_hash = $1 AND used = 0 "
	                          "AND expires_at > $2",
	                      YW_PARAMS(YW_VTEXT(id_hash), YW_VINT(now)), &n);
	*ok = !e && n > 0;
	return e;
}

/* Every way in for one member ends: sessions, and login tickets half-way through, so that a
 * ticket taken before a reset or a disable cannot bind its own authenticator afterwards. */
yw_err yw_idn_staff_sign_out(yw_db *tx, const char *staff_id)
{
	yw_err e = yw_idn_session_delete_subject(tx, "staff", staff_id, 0, 0, true);
	if (e)
		return e;
	return yw_db_exec(tx, "DELETE FROM staff_login_tickets WHERE staff_id = $1",
	                  YW_PARAMS(YW_VTEXT(staff_id)), NULL);
}

static const char *actor_of(yw_arena *a, const char *staff_id)
{
	return yw_sprintf(a, "staff:%s", staff_id);
}

/* The member as the login answer and /me show it: department and roles, never a secret. */
static json_t *staff_json(yw_req *r, yw_db *db, const staff_rec *s)
{
	yw_rows *d = NULL, *roles = NULL;
	if (yw_db_query(db, r->arena, &d, "SELECT name FROM departments WHERE id = $1",
	                YW_PARAMS(YW_VTEXT(s->department_id))) ||
	    yw_db_query(db, r->arena, &roles,
	                "SELECT role, department_id, division_code FROM staff_roles WHERE staff_id = $1 "
	                "ORDER BY role, department_id",
	                YW_PARAMS(YW_VTEXT(s->id))))
		return NULL;
	json_t *rj = json_array();
	for (int i = 0; rj && i < yw_rows_count(roles); i++) {
		yw_role role;
		const char *name = yw_rows_text(roles, i, 0);
		json_array_append_new(rj, json_pack("{s:s, s:s, s:s, s:s}", "role", name, "role_name",
		                                    yw_role_from_name(name, &role) ? yw_role_zh(role) : name,
		                                    "department_id", yw_rows_text(roles, i, 1),
		                                    "division_code", yw_rows_text(roles, i, 2)));
	}
	/* What the roles allow somewhere (roles.def), so that a page offers only what its member
	 * can use; each object is still decided by yw_authz. */
	json_t *acts = json_array();
	for (int a = 0; acts && a < YW_ACT__COUNT; a++)
		for (int i = 0; i < yw_rows_count(roles); i++) {
			yw_role role;
			if (yw_role_from_name(yw_rows_text(roles, i, 0), &role) && yw_role_grants(role, (yw_action)a)) {
				json_array_append_new(acts, json_string(yw_action_name((yw_action)a)));
				break;
			}
		}
	const char *dname = yw_rows_count(d) ? yw_rows_text(d, 0, 0) : "";
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:o*, s:o*}", "id", s->id, "username",
	                 s->username, "name", s->name, "department", "id", s->department_id, "name",
	                 dname, "roles", rj, "actions", acts);
}

/* ---- POST /api/v1/auth/staff/login ------------------------------------------------------- */

typedef struct {
	yw_arena *a;
	const char *staff_id, *ticket_hash, *stage, *pending_enc;
	bool verified;
	/* results */
	yw_lockout lock;
	bool wrong;
} pw_arg;

static yw_err pw_write(yw_db *tx, void *arg)
{
	pw_arg *g = arg;
	yw_ms now = yw_now_ms();
	g->wrong = false;
	yw_err e;
	if (!g->verified) {
		g->wrong = true;
		bool locked_now;
		return yw_idn_count_failure(tx, g->a, "staff", g->staff_id, "anonymous", "staff.login_failed",
		                            "password", now, &g->lock, &locked_now);
	}
	/* Spent and dead tickets of this member are of no use any more. */
	if ((e = yw_db_exec(tx, "DELETE FROM staff_login_tickets WHERE staff_id = $1 AND "
	                        "(used = 1 OR expires_at <= $2)",
	                    YW_PARAMS(YW_VTEXT(g->staff_id), YW_VINT(now)), NULL)))
		return e;
	if ((e = yw_db_exec(tx, "INSERT INTO staff_login_tickets (id_hash, staff_id, stage, "
	                        "pending_secret_enc, expires_at, used, created_at) "
	                        "VALUES ($1, $2, $3, $4, $5, 0, $6)",
	                    YW_PARAMS(YW_VTEXT(g->ticket_hash), YW_VTEXT(g->staff_id), YW_VTEXT(g->stage),
	                              YW_VTEXT(g->pending_enc), YW_VINT(now + TICKET_MS), YW_VINT(now)),
	                    NULL)))
		return e;
	return yw_audit_add(tx, "anonymous", "staff.login_password_ok", "staff", g->staff_id, NULL,
	                    json_pack("{s:s}", "next", g->stage));
}

static yw_err staff_login(yw_req *r)
{
	json_t *body;
	yw_err e = yw_idn_need_store(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *username = yw_req_field(body, "username", fields),
		   *pw = yw_req_field(body, "password", fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	const yw_rate_rule *rules[] = { &rate_account, &rate_ip };
	const char *keys[] = { username, r->client_ip };
	if ((e = yw_idn_limit(r, rules, keys, 2, "请求")))
		return e;
	staff_rec s;
	e = yw_staff_username_ok(username)
		? staff_by(yw_store_reader(r->app->store), r->arena, true, username, &s)
		: YW_E_NOT_FOUND;
	if (e && e != YW_E_NOT_FOUND)
		return yw_fail(r, e, "查询账户失败");
	if (e == YW_E_NOT_FOUND) {
		yw_pw_verify(NULL, pw);           /* the same time as a wrong password */
		return yw_fail(r, YW_E_LOGIN_FAILED, "用户名或密码不正确");
	}
	if (yw_lockout_is_locked(&s.lock, yw_now_ms()))
		return yw_idn_locked(r, s.lock.locked_until, "密码或动态口令");
	pw_arg g = { .a = r->arena, .staff_id = s.id, .verified = yw_pw_verify(s.password_hash, pw) };
	const char *ticket = yw_random_token(r->arena, 32);
	if (!ticket || !(g.ticket_hash = yw_idn_token_hash(r->arena, ticket)))
		return YW_E_NO_MEMORY;
	/* A disabled member learns it only with the right password; nothing is written for them. */
	if (g.verified && s.disabled)
		return yw_fail(r, YW_E_ACCOUNT_DISABLED, "账号已停用，请联系系统管理员");
	char secret[64] = "";
	g.stage = s.totp_secret_enc ? "totp" : "enrol";
	if (!s.totp_secret_enc && g.verified) {
		unsigned char raw[YW_TOTP_SECRET_BYTES];
		randombytes_buf(raw, sizeof(raw));
		yw_base32_encode(raw, sizeof(raw), false, secret, sizeof(secret));
		sodium_memzero(raw, sizeof(raw));
		if (!(g.pending_enc = yw_seal(r->app->keys, r->arena, secret)))
			return yw_fail(r, YW_E_INTERNAL, "无法保存动态口令密钥");
	}
	if ((e = yw_store_write(r->app->store, pw_write, &g)))
		return yw_fail(r, e, "登录失败");
	if (g.wrong) {
		if (yw_lockout_is_locked(&g.lock, yw_now_ms()))
			return yw_idn_locked(r, g.lock.locked_until, "密码或动态口令");
		return yw_fail(r, YW_E_LOGIN_FAILED, "用户名或密码不正确");
	}
	if (s.totp_secret_enc)
		return yw_reply_json(r, 200, json_pack("{s:s, s:s}", "next", "totp", "ticket", ticket));
	const char *uri = yw_totp_uri(r->arena, secret, s.username);
	const char *svg = uri ? yw_qr_svg(r->arena, uri, NULL) : NULL;
	if (!svg)
		return yw_fail(r, YW_E_INTERNAL, "无法生成二维码");
	return yw_reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:s}", "next", "enrol", "ticket", ticket,
	                                       "secret", secret, "otpauth_uri", uri, "qr_svg", svg));
}

/* ---- POST /api/v1/auth/staff/totp and /enrol ---------------------------------------------- */

enum code_result { CODE_OK, CODE_WRONG, CODE_LOCKED, CODE_TICKET };

typedef struct {
	yw_arena *a;
	const char *staff_id, *ticket_hash, *enrol_secret_enc, *token, *csrf, *old_session;
	int64_t step;              /* -1: the code matched no acceptable step */
	/* results */
	enum code_result result;
	yw_lockout lock;
} code_arg;

static yw_err code_wrong(yw_db *tx, code_arg *g, yw_ms now)
{
	bool locked_now;
	yw_err e = yw_idn_count_failure(tx, g->a, "staff", g->staff_id, "anonymous", "staff.login_failed",
	                                g->enrol_secret_enc ? "enrol" : "totp", now, &g->lock,
	                                &locked_now);
	g->result = yw_lockout_is_locked(&g->lock, now) ? CODE_LOCKED : CODE_WRONG;
	return e;
}

static yw_err code_write(yw_db *tx, void *arg)
{
	code_arg *g = arg;
	yw_ms now = yw_now_ms();
	g->result = CODE_WRONG;
	if (g->step < 0)
		return code_wrong(tx, g, now);
	bool ok;
	yw_err e = take_step(tx, g->staff_id, g->step, g->enrol_secret_enc, now, &ok);
	if (e)
		return e;
	if (!ok)    /* the step was taken meanwhile (a replay), or the member was locked or disabled */
		return code_wrong(tx, g, now);
	if ((e = ticket_spend(tx, g->ticket_hash, now, &ok)))
		return e;
	if (!ok) {
		g->result = CODE_TICKET;
		return YW_E_CONFLICT;     /* undoes the step taken above */
	}
	if (g->old_session && (e = yw_idn_session_delete(tx, g->old_session)))
		return e;
	if ((e = yw_idn_session_start(tx, "staff", g->staff_id, g->token, g->csrf, now)))
		return e;
	const char *actor = actor_of(g->a, g->staff_id);
	if (g->enrol_secret_enc &&
	    (e = yw_audit_add(tx, actor, "staff.totp_enrol", "staff", g->staff_id, NULL, json_object())))
		return e;
	g->result = CODE_OK;
	return yw_audit_add(tx, actor, "staff.login", "staff", g->staff_id, NULL,
	                    json_pack("{s:s}", "method", "password+totp"));
}

static yw_err code_step(yw_req *r, bool enrol)
{
	json_t *body;
	yw_err e = yw_idn_need_store(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *ticket = yw_req_field(body, "ticket", fields), *code = yw_req_field(body, "code", fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	const yw_rate_rule *rules[] = { &rate_code_ip };
	const char *keys[] = { r->client_ip };
	if ((e = yw_idn_limit(r, rules, keys, 1, "请求")))
		return e;
	yw_db *db = yw_store_reader(r->app->store);
	yw_ms now = yw_now_ms();
	code_arg g = { .a = r->arena, .ticket_hash = yw_idn_token_hash(r->arena, ticket) };
	if (!g.ticket_hash)
		return YW_E_NO_MEMORY;
	ticket_rec t = { 0 };
	staff_rec s;
	e = ticket_get(db, r->arena, g.ticket_hash, &t);
	if (e == YW_E_OK)
		e = staff_by(db, r->arena, false, t.staff_id, &s);
	if (e && e != YW_E_NOT_FOUND)
		return yw_fail(r, e, "登录失败");
	/* The stage must be the one this endpoint completes, and still make sense: an enrolment
	 * that someone else finished, or a secret an administrator cleared, ends the ticket. */
	if (e == YW_E_NOT_FOUND || t.used || t.expires_at <= now ||
	    strcmp(t.stage, enrol ? "enrol" : "totp") ||
	    (enrol ? (s.totp_secret_enc != NULL || !t.pending_secret_enc) : !s.totp_secret_enc))
		return yw_fail(r, YW_E_LOGIN_TICKET_INVALID, "登录步骤已失效，请重新输入用户名和密码");
	if (s.disabled)
		return yw_fail(r, YW_E_ACCOUNT_DISABLED, "账号已停用，请联系系统管理员");
	if (yw_lockout_is_locked(&s.lock, now))
		return yw_idn_locked(r, s.lock.locked_until, "密码或动态口令");
	const char *secret = yw_unseal(r->app->keys, r->arena, enrol ? t.pending_secret_enc : s.totp_secret_enc);
	unsigned char key[64];
	long klen = secret ? yw_base32_decode(secret, key, sizeof(key)) : -1;
	if (klen <= 0)
		return yw_fail(r, YW_E_INTERNAL, "无法读取动态口令密钥");
	g.staff_id = s.id;
	g.enrol_secret_enc = enrol ? t.pending_secret_enc : NULL;
	g.step = yw_totp_match(key, (size_t)klen, code, YW_TOTP_DIGITS, now, s.totp_last_step);
	sodium_memzero(key, sizeof(key));
	g.old_session = yw_idn_old_session(r);
	if (yw_idn_new_tokens(r, &g.token, &g.csrf))
		return YW_E_NO_MEMORY;
	e = yw_store_write(r->app->store, code_write, &g);
	if (e == YW_E_CONFLICT && g.result == CODE_TICKET)
		return yw_fail(r, YW_E_LOGIN_TICKET_INVALID, "登录步骤已失效，请重新输入用户名和密码");
	if (e)
		return yw_fail(r, e, "登录失败");
	if (g.result == CODE_LOCKED)
		return yw_idn_locked(r, g.lock.locked_until, "密码或动态口令");
	if (g.result != CODE_OK)
		return yw_fail(r, YW_E_TOTP_INVALID, "动态口令不正确或已使用过，请输入验证器中的最新口令");
	json_t *sj = staff_json(r, db, &s);
	if (!sj)
		return yw_fail(r, YW_E_INTERNAL, "读取工作人员失败");
	bool change = yw_staff_pw_change_required(s.must_change, s.password_changed_at,
	                                          yw_staff_pw_max_age_days(), now);
	yw_reply_header(r, "Set-Cookie", yw_idn_cookie(r, g.token));
	return yw_reply_json(r, 200, json_pack("{s:o, s:s, s:b}", "staff", sj, "csrf_token", g.csrf,
	                                       "password_change_required", change));
}

static yw_err staff_totp(yw_req *r)
{
	return code_step(r, false);
}

static yw_err staff_enrol(yw_req *r)
{
	return code_step(r, true);
}

/* ---- POST /api/v1/auth/staff/password ----------------------------------------------------- */

typedef struct {
	yw_arena *a;
	const char *staff_id, *old_hash, *new_hash, *session;
	bool verified;
	/* results */
	yw_lockout lock;
	bool changed;
} chg_arg;

static yw_err chg_write(yw_db *tx, void *arg)
{
	chg_arg *g = arg;
	yw_ms now = yw_now_ms();
	g->changed = false;
	yw_err e;
	const char *actor = actor_of(g->a, g->staff_id);
	if (!g->verified) {
		bool locked_now;
		if ((e = yw_idn_count_failure(tx, g->a, "staff", g->staff_id, actor,
		                              "staff.password_change_failed", NULL, now, &g->lock,
		                              &locked_now)))
			return e;
		/* A lock ends every session: whoever holds this one is guessing the password. */
		if (locked_now)
			e = yw_idn_staff_sign_out(tx, g->staff_id);
		return e;
	}
	/* Only over the hash that was verified: a concurrent change makes this one fail. */
	long long n = 0;
	if ((e = yw_db_exec(tx, "UPDATE staff SET password_hash = $2, password_changed_at = $3, "
	                        "must_change_password = 0, failed_logins = 0, locked_until = 0 "
	                        "WHERE id = $1 AND password_hash = $4 AND disabled = 0",
	                    YW_PARAMS(YW_VTEXT(g->staff_id), YW_VTEXT(g->new_hash), YW_VINT(now),
	                              YW_VTEXT(g->old_hash)),
	                    &n)))
		return e;
	if (n == 0)
		return YW_E_CONFLICT;
	/* The member's other sessions end; the one that changed the password goes on. */
	if ((e = yw_db_exec(tx, "DELETE FROM sessions WHERE subject_kind = 'staff' AND subject_id = $1 "
	                        "AND id_hash <> $2",
	                    YW_PARAMS(YW_VTEXT(g->staff_id), YW_VTEXT(g->session)), NULL)))
		return e;
	g->changed = true;
	return yw_audit_add(tx, actor, "staff.password_change", "staff", g->staff_id, NULL,
	                    json_pack("{s:I}", "password_changed_at", (json_int_t)now));
}

static yw_err staff_password(yw_req *r)
{
	json_t *body;
	yw_err e = yw_idn_need_store(r);
	if (e)
		return e;
	if (!r->principal.kind || strcmp(r->principal.kind, "staff") || !r->principal.session_id)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先以工作人员身份登录");
	if ((e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *oldpw = yw_req_field(body, "old_password", fields),
		   *newpw = yw_req_field(body, "new_password", fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	staff_rec s;
	e = staff_by(yw_store_reader(r->app->store), r->arena, false, r->principal.id, &s);
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先以工作人员身份登录");
	if (e)
		return yw_fail(r, e, "读取工作人员失败");
	yw_staff_pw_verdict v = yw_staff_pw_check(newpw, s.username);    /* R-ID-010 */
	if (v != YW_SPW_OK) {
		r->problem_extra = yw_arena_json(r->arena, json_pack("{s:[{s:s, s:s}]}", "fields", "field",
		                                                     "new_password", "reason",
		                                                     yw_staff_pw_verdict_text(v)));
		return yw_fail(r, YW_E_WEAK_PASSWORD, "%s", yw_staff_pw_verdict_text(v));
	}
	const yw_rate_rule *rules[] = { &rate_account, &rate_ip };
	const char *keys[] = { s.username, r->client_ip };
	if ((e = yw_idn_limit(r, rules, keys, 2, "请求")))
		return e;
	if (yw_lockout_is_locked(&s.lock, yw_now_ms()))
		return yw_idn_locked(r, s.lock.locked_until, "密码或动态口令");
	chg_arg g = { .a = r->arena, .staff_id = s.id, .old_hash = s.password_hash,
	              .session = r->principal.session_id,
	              .verified = yw_pw_verify(s.password_hash, oldpw) };
	char h[128];
	if (g.verified) {
		if (!strcmp(oldpw, newpw) || yw_pw_verify(s.password_hash, newpw))
			return yw_fail(r, YW_E_WEAK_PASSWORD, "新密码不能与当前密码相同");
		if (yw_pw_hash(newpw, h))
			return yw_fail(r, YW_E_NO_MEMORY, "无法计算密码散列");
		g.new_hash = h;
	}
	e = yw_store_write(r->app->store, chg_write, &g);
	if (e == YW_E_CONFLICT)
		return yw_fail(r, YW_E_CONFLICT, "密码已被同时修改，请重新登录后再试");
	if (e)
		return yw_fail(r, e, "修改密码失败");
	if (!g.verified) {
		if (yw_lockout_is_locked(&g.lock, yw_now_ms())) {
			yw_reply_header(r, "Set-Cookie", yw_idn_cookie(r, NULL));
			return yw_idn_locked(r, g.lock.locked_until, "密码或动态口令");
		}
		return yw_fail(r, YW_E_PASSWORD_INCORRECT, "当前密码不正确");
	}
	return yw_reply_raw(r, 204, NULL, "", 0);
}

/* ---- GET /api/v1/me for staff ------------------------------------------------------------ */

yw_err yw_idn_staff_me(yw_req *r)
{
	yw_db *db = yw_store_reader(r->app->store);
	staff_rec s;
	yw_err e = staff_by(db, r->arena, false, r->principal.id, &s);
	if (e == YW_E_NOT_FOUND || (!e && s.disabled))
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	if (e)
		return yw_fail(r, e, "读取账户失败");
	json_t *sj = staff_json(r, db, &s);
	if (!sj)
		return yw_fail(r, YW_E_INTERNAL, "读取工作人员失败");
	int days = yw_staff_pw_max_age_days();
	bool change = yw_staff_pw_change_required(s.must_change, s.password_changed_at, days, yw_now_ms());
	return yw_reply_json(r, 200,
	                     json_pack("{s:s, s:o, s:b, s:I, s:b, s:s}", "kind", "staff", "staff", sj,
	                               "password_change_required", change, "password_expires_at",
	                               (json_int_t)yw_staff_pw_expires_at(s.password_changed_at, days),
	                               "totp_enrolled", s.totp_secret_enc != NULL, "csrf_token",
	                               r->principal.csrf));
}

void yw_idn_staff_routes(yw_router *rt)
{
	yw_route(rt, "POST", "/api/v1/auth/staff/login", staff_login);
	yw_route(rt, "POST", "/api/v1/auth/staff/totp", staff_totp);
	yw_route(rt, "POST", "/api/v1/auth/staff/enrol", staff_enrol);
	yw_route(rt, "POST", "/api/v1/auth/staff/password", staff_password);
}

/* ---- yiwang staff bootstrap -------------------------------------------------------------- */

typedef struct {
	yw_arena *a;
	const yw_staff_bootstrap_args *in;
	const char *dept_id, *staff_id, *pwhash;
} boot_arg;

static yw_err boot_write(yw_db *tx, void *arg)
{
	boot_arg *g = arg;
	yw_rows *rows = NULL;
	yw_err e = yw_db_query(tx, g->a, &rows, "SELECT COUNT(*) FROM staff", YW_NOPARAMS);
	if (e)
		return e;
	if (yw_rows_int(rows, 0, 0) > 0)
		return YW_E_CONFLICT;
	long long n = 0;
	yw_ms now = yw_now_ms();
	const char *actor = "system:bootstrap";
	if ((e = yw_db_exec(tx, "INSERT INTO departments (id, parent_id, name, uscc, division_code, created_at) "
	                        "VALUES ($1, NULL, $2, $3, $4, $5) ON CONFLICT (uscc) DO NOTHING",
	                    YW_PARAMS(YW_VTEXT(g->dept_id), YW_VTEXT(g->in->department_name),
	                              YW_VTEXT(g->in->department_uscc), YW_VTEXT(g->in->division),
	                              YW_VINT(now)),
	                    &n)))
		return e;
	if (n == 0) {
		/* The department exists already (`yiwang demo` made the region's tree): the first
		 * administrator joins it, when it is the one named, in the division named. */
		if ((e = yw_db_query(tx, g->a, &rows, "SELECT id FROM departments WHERE uscc = $1 AND "
		                                      "name = $2 AND division_code = $3",
		                     YW_PARAMS(YW_VTEXT(g->in->department_uscc),
		                               YW_VTEXT(g->in->department_name), YW_VTEXT(g->in->division)))))
			return e;
		if (!yw_rows_count(rows))
			return YW_E_DB_CONSTRAINT;    /* that USCC is another department's */
		g->dept_id = yw_rows_text(rows, 0, 0);
	} else if ((e = yw_audit_add(tx, actor, "department.create", "department", g->dept_id, NULL,
	                             json_pack("{s:s, s:s, s:s}", "name", g->in->department_name, "uscc",
	                                       g->in->department_uscc, "division_code", g->in->division)))) {
		return e;
	}
	if ((e = yw_db_exec(tx, "INSERT INTO staff (id, username, name, department_id, password_hash, "
	                        "password_changed_at, must_change_password, created_at) "
	                        "VALUES ($1, $2, $3, $4, $5, $6, 1, $6)",
	                    YW_PARAMS(YW_VTEXT(g->staff_id), YW_VTEXT(g->in->username),
	                              YW_VTEXT(g->in->name), YW_VTEXT(g->dept_id), YW_VTEXT(g->pwhash),
	                              YW_VINT(now)),
	                    NULL)))
		return e;
	if ((e = yw_audit_add(tx, actor, "staff.create", "staff", g->staff_id, NULL,
	                      json_pack("{s:s, s:s, s:s, s:b}", "username", g->in->username, "name", g->in->name,
	                                "department_id", g->dept_id, "must_change_password", 1))))
		return e;
	if ((e = yw_db_exec(tx, "INSERT INTO staff_roles (staff_id, role, department_id, division_code, "
	                        "granted_at) VALUES ($1, $2, $3, $4, $5)",
	                    YW_PARAMS(YW_VTEXT(g->staff_id), YW_VTEXT(yw_role_name(YW_ROLE_SYSTEM_ADMIN)),
	                              YW_VTEXT(g->dept_id), YW_VTEXT(g->in->division), YW_VINT(now)),
	                    NULL)))
		return e;
	return yw_audit_add(tx, actor, "role.grant", "staff", g->staff_id, NULL,
	                    json_pack("{s:s, s:s, s:s}", "role", yw_role_name(YW_ROLE_SYSTEM_ADMIN),
	                              "department_id", g->dept_id, "division_code", g->in->division));
}

yw_err yw_staff_bootstrap(yw_store *st, const yw_staff_bootstrap_args *in, char *err, size_t errlen)
{
	const yw_division *div;
	long nn = in->name ? yw_utf8_count(in->name) : -1, dn = in->department_name ?
		yw_utf8_count(in->department_name) : -1;
	if (!yw_staff_username_ok(in->username)) {
		snprintf(err, errlen, "用户名应为 3 到 32 位英文字母、数字或 . _ -");
		return YW_E_BAD_PARAMETER;
	}
	if (nn < 1 || nn > 50 || dn < 1 || dn > 100) {
		snprintf(err, errlen, "姓名应为 1 到 50 个字符，部门名称应为 1 到 100 个字符");
		return YW_E_BAD_PARAMETER;
	}
	if (!in->department_uscc || yw_uscc_check(in->department_uscc)) {
		snprintf(err, errlen, "部门的统一社会信用代码不正确（GB 32100 校验未通过）");
		return YW_E_BAD_USCC;
	}
	if (!in->division || yw_division_find(in->division, &div)) {
		snprintf(err, errlen, "行政区划代码 %s 不存在", in->division ? in->division : "");
		return YW_E_DIVISION_NOT_FOUND;
	}
	yw_staff_pw_verdict v = yw_staff_pw_check(in->password ? in->password : "", in->username);
	if (v != YW_SPW_OK) {
		snprintf(err, errlen, "初始密码不符合要求：%s", yw_staff_pw_verdict_text(v));
		return YW_E_WEAK_PASSWORD;
	}
	char h[128];
	if (yw_pw_hash(in->password, h)) {
		snprintf(err, errlen, "无法计算密码散列");
		return YW_E_NO_MEMORY;
	}
	yw_arena *a = yw_arena_new(4096);
	if (!a)
		return YW_E_NO_MEMORY;
	const char *d = yw_random_token(a, 12), *s = yw_random_token(a, 12);
	boot_arg g = { .a = a, .in = in, .pwhash = h, .dept_id = d ? yw_sprintf(a, "d_%s", d) : NULL,
	               .staff_id = s ? yw_sprintf(a, "s_%s", s) : NULL };
	yw_err e = g.dept_id && g.staff_id ? yw_store_write(st, boot_write, &g) : YW_E_NO_MEMORY;
	if (e == YW_E_CONFLICT)
		snprintf(err, errlen, "已有工作人员，不能再初始化；请由系统管理员在管理后台新建工作人员");
	else if (e == YW_E_DB_CONSTRAINT)
		snprintf(err, errlen, "统一社会信用代码为 %s 的部门已存在，且名称或行政区划与所给的不同",
		         in->department_uscc);
	else if (e)
		snprintf(err, errlen, "写入数据库失败：%s", yw_err_title(e));
	else
		snprintf(err, errlen, "已创建系统管理员 %s（%s），首次登录须绑定动态口令并修改密码", in->username,
		         g.staff_id);
	yw_arena_free(a);
	return e;
}
