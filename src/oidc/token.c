/*
 * The endpoints where a client speaks for itself, authenticated by its secret (basic or post):
 * POST /oauth/token (authorization_code with PKCE, client_credentials) and POST /oauth/revoke
 * (RFC 7009). Access tokens are minted here; bearer.c checks them when they come back. Both
 * answer errors as OAuth bodies (RFC 6749 §5.2), not problem+json.
 */
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "oidc/internal.h"

/* An OAuth error body (RFC 6749 §5.2), with our stable code beside it. */
static yw_err oauth_error(yw_req *r, int status, const char *error, yw_err code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static yw_err oauth_error(yw_req *r, int status, const char *error, yw_err code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *desc = yw_vsprintf(r->arena, fmt, ap);
	va_end(ap);
	yw_reply_header(r, "Cache-Control", "no-store");
	yw_reply_header(r, "Pragma", "no-cache");
	if (status == 401)
		yw_reply_header(r, "WWW-Authenticate", "Basic realm=\"yiwang\"");
	return yw_reply_json(r, status, json_pack("{s:s, s:s, s:s}", "error", error, "error_description",
	                                          desc ? desc : "", "code", yw_err_code(code)));
}

/* ---- client authentication (token, revoke) ----------------------------------------------- */

static const char *basic_decode(yw_req *r, const char *hdr)
{
	size_t n = strlen(hdr);
	char *t = yw_alloc(r->arena, n + 1);
	if (!t)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = hdr[i];
		if (c == '=')
			break;
		t[k++] = c == '+' ? '-' : c == '/' ? '_' : c;
	}
	size_t len = 0;
	unsigned char *raw = yw_b64url_decode(r->arena, t, k, &len);
	if (!raw || strlen((char *)raw) != len)
		return NULL;
	return (const char *)raw;
}

/* Authenticates the calling client (client_secret_basic or client_secret_post, not both).
 * On failure the OAuth answer is already in r and *ok is false. */
static yw_err client_auth(yw_req *r, const yw_oidc_form *f, yw_oidc_client *c, bool *ok)
{
	*ok = false;
	const char *auth = yw_req_header(r, "Authorization");
	const char *id = yw_oidc_form_get(f, "client_id"), *secret = yw_oidc_form_get(f, "client_secret");
	if (auth && !strncasecmp(auth, "Basic ", 6)) {
		const char *dec = basic_decode(r, auth + 6);
		const char *colon = dec ? strchr(dec, ':') : NULL;
		if (!colon)
			return oauth_error(r, 401, "invalid_client", YW_E_OAUTH_CLIENT_AUTH_FAILED,
			                   "Authorization: Basic 头格式不正确");
		if (secret)
			return oauth_error(r, 400, "invalid_request", YW_E_OAUTH_REQUEST_INVALID,
			                   "只能使用一种客户端认证方式");
		/* RFC 6749 §2.3.1: both halves are form-urlencoded before base64 */
		const char *bid = yw_url_decode(r->arena, dec, (size_t)(colon - dec), true);
		secret = yw_url_decode(r->arena, colon + 1, strlen(colon + 1), true);
		if (!bid || !secret || (id && strcmp(id, bid)))
			return oauth_error(r, 401, "invalid_client", YW_E_OAUTH_CLIENT_AUTH_FAILED,
			                   "Authorization: Basic 头格式不正确");
		id = bid;
	} else if (auth) {
		return oauth_error(r, 401, "invalid_client", YW_E_OAUTH_CLIENT_AUTH_FAILED,
		                   "不支持的客户端认证方式");
	}
	if (!id || !secret)
		return oauth_error(r, 401, "invalid_client", YW_E_OAUTH_CLIENT_AUTH_FAILED,
		                   "缺少 client_id 或 client_secret");
	yw_err e = yw_oidc_client_get(yw_store_reader(r->app->store), r->arena, id, c);
	if (e && e != YW_E_NOT_FOUND)
		return yw_fail(r, e, "读取对接系统失败");
	if (e || c->disabled || !yw_oidc_client_secret_ok(c, secret))
		return oauth_error(r, 401, "invalid_client", YW_E_OAUTH_CLIENT_AUTH_FAILED,
		                   "client_id 或 client_secret 不正确，或该对接系统已停用");
	*ok = true;
	return YW_E_OK;
}

static yw_err read_form(yw_req *r, yw_oidc_form *f, bool *ok)
{
	*ok = false;
	const char *ct = yw_req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33))
		return oauth_error(r, 400, "invalid_request", YW_E_OAUTH_REQUEST_INVALID,
		                   "Content-Type 应为 application/x-www-form-urlencoded");
	yw_oidc_form_parse(r->arena, r->body, r->body_len, f);
	if (f->bad || strlen(r->body) != r->body_len)
		return oauth_error(r, 400, "invalid_request", YW_E_OAUTH_REQUEST_INVALID,
		                   "请求参数重复或格式不正确");
	*ok = true;
	return YW_E_OK;
}

/* The start of both endpoints where a client speaks for itself (token, revoke): the form body
 * and the client it authenticates as. On failure the answer is in r and *ok is false. */
static yw_err authed_form(yw_req *r, yw_oidc_form *f, yw_oidc_client *c, bool *ok)
{
	*ok = false;
	yw_err e = yw_oidc_need_store(r);
	if (e || (e = read_form(r, f, ok)) || !*ok)
		return e;
	return client_auth(r, f, c, ok);
}

/* ---- tokens ------------------------------------------------------------------------------ */

static char *access_token(yw_req *r, const char *sub, const char *kind, const char *client_id,
                          const char *scope, const char *jti, yw_ms now, yw_err *e)
{
	const yw_oidc_key *k = yw_oidc_signing_key(r->app, YW_OIDC_ACCESS_ALG, e);
	if (!k)
		return NULL;
	long long iat = now / 1000;
	json_t *c = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s}", "iss", yw_oidc_issuer(r->app),
	                      "sub", sub, "aud", yw_oidc_audience(r->app), "iat", (json_int_t)iat,
	                      "exp", (json_int_t)(iat + yw_oidc_ttl_s(r->app)), "jti", jti,
	                      "client_id", client_id, "scope", scope, "kind", kind);
	char *t = c ? yw_jwt_sign(r->arena, k, "at+jwt", c) : NULL;
	json_decref(c);
	if (!t)
		*e = YW_E_INTERNAL;
	return t;
}

static yw_err token_reply(yw_req *r, const char *at, const char *id_token, const char *scope)
{
	json_t *j = json_pack("{s:s, s:s, s:i, s:s}", "access_token", at, "token_type", "Bearer", "expires_in",
	                      yw_oidc_ttl_s(r->app), "scope", scope);
	if (j && id_token)
		json_object_set_new(j, "id_token", json_string(id_token));
	yw_reply_header(r, "Cache-Control", "no-store");
	yw_reply_header(r, "Pragma", "no-cache");
	return yw_reply_json(r, 200, j);
}

static yw_err client_credentials(yw_req *r, const yw_oidc_form *f, const yw_oidc_client *c)
{
	const char *asked = yw_oidc_form_get(f, "scope");
	char *granted = yw_strdup(r->arena, "");
	if (asked) {
		char *w;
		for (const char *p = asked; yw_oidc_next_word(r->arena, &p, &w);) {
			if (!w || !yw_oidc_action_scope(w) || !yw_oidc_json_has(c->scopes, w))
				return oauth_error(r, 400, "invalid_scope", YW_E_SCOPE_NOT_ALLOWED,
				                   "该对接系统无权申请 scope %s", w ? w : "");
			if (!yw_oidc_has_word(granted, w))
				granted = yw_sprintf(r->arena, "%s%s%s", granted, *granted ? " " : "", w);
		}
	} else {
		/* no scope asked: everything the registration allows for machines (RFC 6749 §3.3) */
		size_t i;
		json_t *v;
		json_array_foreach(c->scopes, i, v)
			if (yw_oidc_action_scope(json_string_value(v)))
				granted = yw_sprintf(r->arena, "%s%s%s", granted, *granted ? " " : "", json_string_value(v));
	}
	const char *jti = yw_random_token(r->arena, 16);
	yw_err e = jti ? YW_E_OK : YW_E_NO_MEMORY;
	/* Issuing is not recorded as a state change: the token is self-contained and short-lived, and
	 * a department system asks for one every few minutes; the access log has every request. */
	char *at = jti ? access_token(r, c->id, "client", c->id, granted, jti, yw_now_ms(), &e) : NULL;
	if (!at)
		return yw_fail(r, e, "签发令牌失败");
	return token_reply(r, at, NULL, granted);
}

typedef struct {
	yw_arena *a;
	const char *code_hash, *client_id, *jti, *subject;
	yw_ms now, exp;
	bool reuse;          /* in: a used code came back; out: lost a race to another redemption */
} redeem_arg;

static yw_err revoke_row(yw_db *tx, const char *jti, const char *client_id, yw_ms exp, yw_ms now)
{
	return yw_db_exec(tx, "INSERT INTO oidc_revoked (jti, client_id, expires_at, revoked_at) "
	                      "VALUES ($1, $2, $3, $4) ON CONFLICT (jti) DO NOTHING",
	                  YW_PARAMS(YW_VTEXT(jti), YW_VTEXT(client_id), YW_VINT(exp), YW_VINT(now)), NULL);
}

static yw_err redeem_write(yw_db *tx, void *arg)
{
	redeem_arg *g = arg;
	yw_err e;
	long long changed = 0;
	bool reuse = g->reuse;
	if (!reuse) {
		e = yw_db_exec(tx, "UPDATE oidc_codes SET used_at = $2, access_jti = $3 "
		                   "WHERE code_hash = $1 AND used_at IS NULL",
		               YW_PARAMS(YW_VTEXT(g->code_hash), YW_VINT(g->now), YW_VTEXT(g->jti)), &changed);
		if (e)
			return e;
		reuse = changed != 1;
	}
	if (reuse) {
		/* RFC 6749 §4.1.2: a code used twice means someone else has it; what it gave is void */
		yw_rows *rows = NULL;
		e = yw_db_query(tx, g->a, &rows, "SELECT access_jti FROM oidc_codes WHERE code_hash = $1",
		                YW_PARAMS(YW_VTEXT(g->code_hash)));
		if (e)
			return e;
		const char *old = yw_rows_count(rows) ? yw_rows_text(rows, 0, 0) : NULL;
		if (old && (e = revoke_row(tx, old, g->client_id, g->exp, g->now)))
			return e;
	}
	g->reuse = reuse;
	return yw_audit_add(tx, yw_sprintf(g->a, "client:%s", g->client_id),
	                    reuse ? "oidc.code.reused" : "oidc.token.issue", "oidc_client", g->client_id,
	                    NULL, json_pack("{s:s, s:s, s:s?}", "grant", "authorization_code", "subject",
	                                    g->subject, "jti", reuse ? NULL : g->jti));
}

static yw_err authorization_code(yw_req *r, const yw_oidc_form *f, const yw_oidc_client *c)
{
	const char *code = yw_oidc_form_get(f, "code"), *ru = yw_oidc_form_get(f, "redirect_uri"),
		   *verifier = yw_oidc_form_get(f, "code_verifier");
	if (!code || !ru || !verifier)
		return oauth_error(r, 400, "invalid_request", YW_E_OAUTH_REQUEST_INVALID,
		                   "缺少 code、redirect_uri 或 code_verifier");
	char hash[65];
	yw_sha256_hex(code, strlen(code), hash);
	yw_rows *rows = NULL;
	yw_err e = yw_db_query(yw_store_reader(r->app->store), r->arena, &rows,
	                       "SELECT client_id, subject_kind, subject_id, redirect_uri, scope, nonce, "
	                       "code_challenge, expires_at, used_at FROM oidc_codes WHERE code_hash = $1",
	                       YW_PARAMS(YW_VTEXT(hash)));
	if (e)
		return yw_fail(r, e, "读取授权码失败");
	if (!yw_rows_count(rows) || strcmp(yw_rows_text(rows, 0, 0), c->id))
		return oauth_error(r, 400, "invalid_grant", YW_E_AUTH_CODE_INVALID, "授权码无效");
	yw_ms now = yw_now_ms();
	const char *kind = yw_rows_text(rows, 0, 1), *sub = yw_rows_text(rows, 0, 2);
	redeem_arg g = { r->arena, hash, c->id, NULL, sub, now,
	                 now + (yw_ms)yw_oidc_ttl_s(r->app) * 1000, false };
	if (!yw_rows_is_null(rows, 0, 8)) {
		g.reuse = true;
		if ((e = yw_store_write(r->app->store, redeem_write, &g)))
			return yw_fail(r, e, "撤销令牌失败");
		return oauth_error(r, 400, "invalid_grant", YW_E_AUTH_CODE_REUSED,
		                   "授权码已被使用过，由它签发的访问令牌已撤销");
	}
	if (yw_rows_int(rows, 0, 7) <= now)
		return oauth_error(r, 400, "invalid_grant", YW_E_AUTH_CODE_INVALID, "授权码已过期（有效期 60 秒）");
	if (strcmp(yw_rows_text(rows, 0, 3), ru))
		return oauth_error(r, 400, "invalid_grant", YW_E_AUTH_CODE_INVALID,
		                   "redirect_uri 与授权请求中的不一致");
	if (!yw_oidc_pkce_check(verifier, yw_rows_text(rows, 0, 6)))
		return oauth_error(r, 400, "invalid_grant", YW_E_PKCE_MISMATCH,
		                   "code_verifier 与授权请求中的 code_challenge 不符");
	const char *scope = yw_rows_text(rows, 0, 4), *nonce = yw_rows_text(rows, 0, 5);
	/* The code may be a minute old: a staff member disabled since consenting gets nothing. */
	yw_subject_claims who;
	e = yw_identity_claims(r->app->store, r->app->keys, r->arena, kind, sub, &who);
	if (e == YW_E_NOT_FOUND)
		return oauth_error(r, 400, "invalid_grant", YW_E_AUTH_CODE_INVALID, "授权码所属的账号已停用或不存在");
	if (e)
		return yw_fail(r, e, "读取账号失败");
	g.jti = yw_random_token(r->arena, 16);
	if (!g.jti)
		return YW_E_NO_MEMORY;
	if ((e = yw_store_write(r->app->store, redeem_write, &g)))
		return yw_fail(r, e, "签发令牌失败");
	if (g.reuse)
		return oauth_error(r, 400, "invalid_grant", YW_E_AUTH_CODE_REUSED,
		                   "授权码已被使用过，由它签发的访问令牌已撤销");
	char *at = access_token(r, sub, kind, c->id, scope, g.jti, now, &e);
	const yw_oidc_key *ik = at ? yw_oidc_signing_key(r->app, c->id_token_alg, &e) : NULL;
	if (!ik)
		return yw_fail(r, e, "签发令牌失败");
	long long iat = now / 1000;
	json_t *ic = json_pack("{s:s, s:s, s:s, s:I, s:I}", "iss", yw_oidc_issuer(r->app), "sub", sub,
	                       "aud", c->id, "iat", (json_int_t)iat,
	                       "exp", (json_int_t)(iat + yw_oidc_ttl_s(r->app)));
	if (ic && nonce)
		json_object_set_new(ic, "nonce", json_string(nonce));
	char *idt = ic ? yw_jwt_sign(r->arena, ik, "JWT", ic) : NULL;
	json_decref(ic);
	if (!idt)
		return yw_fail(r, YW_E_INTERNAL, "签发令牌失败");
	return token_reply(r, at, idt, scope);
}

yw_err yw_oidc_token(yw_req *r)
{
	yw_oidc_form f;
	yw_oidc_client c;
	bool ok;
	yw_err e = authed_form(r, &f, &c, &ok);
	if (e || !ok)
		return e;
	const char *gt = yw_oidc_form_get(&f, "grant_type");
	if (gt && !strcmp(gt, "authorization_code"))
		return authorization_code(r, &f, &c);
	if (gt && !strcmp(gt, "client_credentials"))
		return client_credentials(r, &f, &c);
	return oauth_error(r, 400, gt ? "unsupported_grant_type" : "invalid_request", YW_E_GRANT_TYPE_UNSUPPORTED,
	                   "grant_type 应为 authorization_code 或 client_credentials");
}

/* ---- revocation -------------------------------------------------------------------------- */

typedef struct {
	yw_arena *a;
	const char *jti, *client_id;
	yw_ms exp, now;
} revoke_arg;

static yw_err revoke_write(yw_db *tx, void *arg)
{
	revoke_arg *g = arg;
	yw_err e = yw_db_exec(tx, "DELETE FROM oidc_revoked WHERE expires_at < $1", YW_PARAMS(YW_VINT(g->now)), NULL);
	if (!e)
		e = revoke_row(tx, g->jti, g->client_id, g->exp, g->now);
	if (e)
		return e;
	return yw_audit_add(tx, yw_sprintf(g->a, "client:%s", g->client_id), "oidc.token.revoke",
	                    "oidc_client", g->client_id, NULL, json_pack("{s:s}", "jti", g->jti));
}

yw_err yw_oidc_revoke(yw_req *r)
{
	yw_oidc_form f;
	yw_oidc_client c;
	bool ok;
	yw_err e = authed_form(r, &f, &c, &ok);
	if (e || !ok)
		return e;
	const char *tok = yw_oidc_form_get(&f, "token");
	if (!tok)
		return oauth_error(r, 400, "invalid_request", YW_E_OAUTH_REQUEST_INVALID, "缺少 token 参数");
	json_t *claims = NULL;
	const char *typ = NULL;
	/* RFC 7009 §2.2: an unknown, expired or someone else's token is answered 200 all the same */
	if (yw_oidc_jwt_verify(r, tok, &claims, &typ) == YW_JWT_OK && yw_str_eq(typ, "at+jwt") &&
	    yw_str_eq(yw_oidc_claim_str(claims, "client_id"), c.id) && yw_oidc_claim_str(claims, "jti") &&
	    yw_oidc_claim_int(claims, "exp") * 1000 > yw_now_ms()) {
		revoke_arg g = { r->arena, yw_oidc_claim_str(claims, "jti"), c.id,
		                 yw_oidc_claim_int(claims, "exp") * 1000, yw_now_ms() };
		if ((e = yw_store_write(r->app->store, revoke_write, &g)))
			return yw_fail(r, e, "撤销令牌失败");
	}
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_raw(r, 200, "application/json", "{}", 2);
}
