/*
 * Tokens we issued, coming back. An access token in "Authorization: Bearer" is checked here for
 * the authentication hook (yw_oidc_before, yw_oidc_bearer) and for GET|POST /oauth/userinfo; an
 * ID token comes back as the id_token_hint of GET /oauth/end-session (RP-initiated logout).
 */
#include <string.h>
#include <strings.h>

#include "oidc/internal.h"

static json_t *claim_aud(json_t *claims)
{
	return json_object_get(claims, "aud");
}

static bool aud_is(json_t *claims, const char *want)
{
	json_t *aud = claim_aud(claims);
	if (json_is_string(aud))
		return !strcmp(json_string_value(aud), want);
	return json_is_array(aud) && yw_oidc_json_has(aud, want);
}

/* ---- bearer tokens ----------------------------------------------------------------------- */

typedef struct {
	json_t *claims;
	const char *kind, *sub, *client_id, *scope;
} checked_token;

static yw_err bearer_fail(yw_req *r, yw_err e, const char *detail)
{
	yw_reply_header(r, "WWW-Authenticate",
	                yw_sprintf(r->arena, "Bearer realm=\"yiwang\", error=\"invalid_token\""));
	return yw_fail(r, e, "%s", detail);
}

/* Every check an access token must pass, in an order that names the first real fault. */
static yw_err check_access_token(yw_req *r, checked_token *t)
{
	const char *auth = yw_req_header(r, "Authorization");
	const char *tok = auth && !strncasecmp(auth, "Bearer ", 7) ? auth + 7 : NULL;
	while (tok && *tok == ' ')
		tok++;
	if (!tok || !*tok)
		return bearer_fail(r, YW_E_TOKEN_INVALID, "缺少访问令牌");
	if (!r->app->store || !r->app->keys)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
	const char *typ = NULL;
	yw_jwt_verdict v = yw_oidc_jwt_verify(r, tok, &t->claims, &typ);
	if (v != YW_JWT_OK)
		return bearer_fail(r, YW_E_TOKEN_INVALID, v == YW_JWT_MALFORMED ? "访问令牌格式不正确"
		                                                                  : "访问令牌签名无效");
	if (!yw_str_eq(yw_oidc_claim_str(t->claims, "iss"), yw_oidc_issuer(r->app)))
		return bearer_fail(r, YW_E_TOKEN_INVALID, "访问令牌不是本平台签发的");
	if (!aud_is(t->claims, yw_oidc_audience(r->app)))
		return bearer_fail(r, YW_E_TOKEN_WRONG_AUDIENCE,
		                   yw_sprintf(r->arena, "访问令牌的受众（aud）应为 %s", yw_oidc_audience(r->app)));
	if (!yw_str_eq(typ, "at+jwt"))
		return bearer_fail(r, YW_E_TOKEN_INVALID, "这不是访问令牌");
	if (yw_oidc_claim_int(t->claims, "exp") <= yw_now_ms() / 1000)
		return bearer_fail(r, YW_E_TOKEN_EXPIRED, "访问令牌已过期，请重新获取");
	t->kind = yw_oidc_claim_str(t->claims, "kind");
	t->sub = yw_oidc_claim_str(t->claims, "sub");
	t->client_id = yw_oidc_claim_str(t->claims, "client_id");
	t->scope = yw_oidc_claim_str(t->claims, "scope");
	const char *jti = yw_oidc_claim_str(t->claims, "jti");
	if (!t->kind || !t->sub || !t->client_id || !t->scope || !jti)
		return bearer_fail(r, YW_E_TOKEN_INVALID, "访问令牌缺少必要的声明");
	yw_rows *rows = NULL;
	yw_err e = yw_db_query(yw_store_reader(r->app->store), r->arena, &rows,
	                       "SELECT (SELECT COUNT(*) FROM oidc_revoked WHERE jti = $1), "
	                       "(SELECT disabled FROM oidc_clients WHERE id = $2), "
	                       "(SELECT updated_at FROM oidc_clients WHERE id = $2)",
	                       YW_PARAMS(YW_VTEXT(jti), YW_VTEXT(t->client_id)));
	if (e)
		return yw_fail(r, e, "读取令牌状态失败");
	if (yw_rows_int(rows, 0, 0) > 0)
		return bearer_fail(r, YW_E_TOKEN_REVOKED, "访问令牌已被撤销");
	if (yw_rows_is_null(rows, 0, 1) || yw_rows_int(rows, 0, 1))
		return bearer_fail(r, YW_E_TOKEN_REVOKED, "签发该令牌的对接系统已停用");
	/* Narrowed scopes or a new secret take effect at once: a token older than the last change
	 * of its client's registration is void (iat counts whole seconds). */
	if (yw_oidc_claim_int(t->claims, "iat") < yw_rows_int(rows, 0, 2) / 1000)
		return bearer_fail(r, YW_E_TOKEN_REVOKED, "对接系统的登记信息已变更，请重新获取访问令牌");
	return YW_E_OK;
}

yw_err yw_oidc_bearer(yw_req *r)
{
	r->principal = (yw_principal){ 0 };
	checked_token t;
	yw_err e = check_access_token(r, &t);
	if (e)
		return e;
	yw_caller *c = yw_zalloc(r->arena, sizeof *c);
	if (!c)
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	*c = (yw_caller){ .kind = "client", .id = t.client_id };
	/* Only machine tokens carry actions. A person's token is theirs to show at userinfo; it does
	 * not make the client that holds it that person anywhere else. */
	if (!strcmp(t.kind, "client")) {
		int n = 0;
		const char **scopes = yw_zalloc(r->arena, sizeof(char *) * (strlen(t.scope) / 2 + 2));
		if (!scopes)
			return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
		char *w;
		for (const char *p = t.scope; yw_oidc_next_word(r->arena, &p, &w);)
			scopes[n++] = w;
		c->scopes = scopes;
		c->nscopes = n;
	}
	r->principal = (yw_principal){ .kind = "client", .id = t.client_id, .name = t.client_id, .ext = c };
	return YW_E_OK;
}

yw_err yw_oidc_before(yw_req *r)
{
	const char *auth = yw_req_header(r, "Authorization");
	if (auth && !strncasecmp(auth, "Bearer ", 7))
		return yw_oidc_bearer(r);
	/* The two endpoints where the client authenticates itself in the request (its secret):
	 * no cookie, so no CSRF to fear and no session to find. Exactly these two. */
	if (!strcmp(r->method, "POST") && (!strcmp(r->path, "/oauth/token") || !strcmp(r->path, "/oauth/revoke"))) {
		r->principal = (yw_principal){ 0 };
		return YW_E_OK;
	}
	return yw_identity_before(r);
}

/* ---- userinfo and end-session ------------------------------------------------------------ */

yw_err yw_oidc_userinfo(yw_req *r)
{
	checked_token t;
	yw_err e = check_access_token(r, &t);
	if (e)
		return e;
	if (strcmp(t.kind, "person") && strcmp(t.kind, "staff"))
		return bearer_fail(r, YW_E_TOKEN_INVALID, "该令牌不代表用户（客户端凭证令牌没有用户信息）");
	if (!yw_oidc_has_word(t.scope, "openid"))
		return bearer_fail(r, YW_E_TOKEN_INVALID, "该令牌未获得 openid 授权");
	yw_subject_claims sc;
	e = yw_identity_claims(r->app->store, r->app->keys, r->arena, t.kind, t.sub, &sc);
	if (e == YW_E_NOT_FOUND)
		return bearer_fail(r, YW_E_TOKEN_REVOKED, "该用户已不存在或已停用");
	if (e)
		return yw_fail(r, e, "读取用户信息失败");
	json_t *j = json_pack("{s:s}", "sub", t.sub);
	if (j && yw_oidc_has_word(t.scope, "profile") && sc.name)
		json_object_set_new(j, "name", json_string(sc.name));
	if (j && yw_oidc_has_word(t.scope, "phone") && sc.mobile) {
		json_object_set_new(j, "phone_number", json_string(yw_sprintf(r->arena, "+86%s", sc.mobile)));
		json_object_set_new(j, "phone_number_verified", json_true());
	}
	if (j && yw_oidc_has_word(t.scope, "id_number") && sc.id_number)
		json_object_set_new(j, "id_number", json_string(sc.id_number));
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200, j);
}

yw_err yw_oidc_end_session(yw_req *r)
{
	yw_err e = yw_oidc_need_store(r);
	if (e)
		return e;
	yw_oidc_form f;
	yw_oidc_form_parse(r->arena, r->query, strlen(r->query), &f);
	const char *hint = yw_oidc_form_get(&f, "id_token_hint"),
		   *plr = yw_oidc_form_get(&f, "post_logout_redirect_uri"),
		   *state = yw_oidc_form_get(&f, "state"), *cid = yw_oidc_form_get(&f, "client_id");
	if (f.bad)
		return yw_fail(r, YW_E_OAUTH_REQUEST_INVALID, "请求参数重复或格式不正确");
	/* Without the relying party's proof (its ID token) any page could log people out with an
	 * image tag, so the hint is required. Its expiry does not matter; its signature does. */
	if (!hint)
		return yw_fail(r, YW_E_OAUTH_REQUEST_INVALID, "缺少 id_token_hint");
	json_t *claims = NULL;
	const char *typ = NULL;
	if (yw_oidc_jwt_verify(r, hint, &claims, &typ) != YW_JWT_OK || yw_str_eq(typ, "at+jwt") ||
	    !yw_str_eq(yw_oidc_claim_str(claims, "iss"), yw_oidc_issuer(r->app)) ||
	    !json_is_string(claim_aud(claims)))
		return yw_fail(r, YW_E_TOKEN_INVALID, "id_token_hint 不是本平台签发的 ID 令牌");
	const char *aud = json_string_value(claim_aud(claims));
	if (cid && strcmp(cid, aud))
		return yw_fail(r, YW_E_OAUTH_REQUEST_INVALID, "client_id 与 id_token_hint 的受众不一致");
	yw_oidc_client c;
	e = yw_oidc_client_get(yw_store_reader(r->app->store), r->arena, aud, &c);
	if (e == YW_E_NOT_FOUND || (!e && c.disabled))
		return yw_fail(r, YW_E_OIDC_CLIENT_UNKNOWN, "对接系统未登记或已停用");
	if (e)
		return yw_fail(r, e, "读取对接系统失败");
	if (plr && !yw_oidc_redirect_uri_listed(plr, c.post_logout_uris))
		return yw_fail(r, YW_E_REDIRECT_URI_NOT_REGISTERED, "post_logout_redirect_uri 未在对接系统“%s”的登记中",
		               c.name);
	/* the session ends only when it is the one the token was issued to */
	if (yw_oidc_signed_in(r) && yw_str_eq(yw_oidc_claim_str(claims, "sub"), r->principal.id)) {
		if ((e = yw_identity_end_session(r, "oidc.end_session")))
			return yw_fail(r, e, "退出登录失败");
		yw_reply_header(r, "Set-Cookie", yw_identity_cookie_clear(r));
	}
	if (!plr)
		return yw_oidc_redirect(r, "/");
	const char *sep = strchr(plr, '?') ? "&" : "?";
	return yw_oidc_redirect(r, state ? yw_sprintf(r->arena, "%s%sstate=%s", plr, sep, yw_oidc_pct(r->arena, state))
	                                 : plr);
}
