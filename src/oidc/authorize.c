/*
 * The browser's side of the code flow: GET /oauth/authorize checks the request and sends the
 * person to the consent page (or to login first); the page reads GET /api/v1/oidc/authorization
 * and POSTs the decision to /api/v1/oidc/consent, which stores a single-use code for token.c to
 * redeem. An error found before the client and its exact redirect URI are known is shown to the
 * user, never redirected (RFC 6749 §4.1.2.1): otherwise the endpoint would be an open
 * redirector.
 */
#include <string.h>

#include "oidc/internal.h"

/* ---- the authorization request ----------------------------------------------------------- */

typedef struct {
	const char *client_id, *redirect_uri, *response_type, *scope, *state, *nonce, *challenge, *method;
	yw_oidc_client client;
	/* stage 2 failure, sent back to the client's redirect URI */
	const char *error, *error_description;
} authz_req;

static void authz_from_form(const yw_oidc_form *f, authz_req *q)
{
	*q = (authz_req){ .client_id = yw_oidc_form_get(f, "client_id"),
	                  .redirect_uri = yw_oidc_form_get(f, "redirect_uri"),
	                  .response_type = yw_oidc_form_get(f, "response_type"),
	                  .scope = yw_oidc_form_get(f, "scope"),
	                  .state = yw_oidc_form_get(f, "state"), .nonce = yw_oidc_form_get(f, "nonce"),
	                  .challenge = yw_oidc_form_get(f, "code_challenge"),
	                  .method = yw_oidc_form_get(f, "code_challenge_method") };
}

static void authz_from_json(json_t *b, authz_req *q)
{
	*q = (authz_req){ 0 };
	yw_json_str(b, "client_id", &q->client_id);
	yw_json_str(b, "redirect_uri", &q->redirect_uri);
	yw_json_str(b, "response_type", &q->response_type);
	yw_json_str(b, "scope", &q->scope);
	yw_json_str(b, "state", &q->state);
	yw_json_str(b, "nonce", &q->nonce);
	yw_json_str(b, "code_challenge", &q->challenge);
	yw_json_str(b, "code_challenge_method", &q->method);
	if (!q->response_type)
		q->response_type = "code";
}

/* Stage 1 (client, redirect URI): a problem shown to the user, returned as the error.
 * Stage 2 (everything else): q->error set, the caller redirects it to the client. */
static yw_err authz_validate(yw_req *r, authz_req *q, bool dup)
{
	if (!q->client_id)
		return yw_fail(r, YW_E_OIDC_CLIENT_UNKNOWN, "授权请求缺少 client_id");
	yw_err e = yw_oidc_client_get(yw_store_reader(r->app->store), r->arena, q->client_id, &q->client);
	if (e == YW_E_NOT_FOUND || (!e && q->client.disabled))
		return yw_fail(r, YW_E_OIDC_CLIENT_UNKNOWN, "对接系统 %s 未登记或已停用", q->client_id);
	if (e)
		return yw_fail(r, e, "读取对接系统失败");
	if (!q->redirect_uri)
		return yw_fail(r, YW_E_OAUTH_REQUEST_INVALID, "授权请求缺少 redirect_uri");
	if (!yw_oidc_redirect_uri_listed(q->redirect_uri, q->client.redirect_uris))
		return yw_fail(r, YW_E_REDIRECT_URI_NOT_REGISTERED,
		               "回调地址未在对接系统“%s”的登记中（须逐字一致）", q->client.name);
	if (dup) {
		q->error = "invalid_request";
		q->error_description = "授权请求中有重复或格式错误的参数";
	} else if (!q->response_type || strcmp(q->response_type, "code")) {
		q->error = "unsupported_response_type";
		q->error_description = "仅支持 response_type=code（授权码模式）";
	} else if (!q->challenge) {
		q->error = "invalid_request";
		q->error_description = "须使用 PKCE：缺少 code_challenge";
	} else if (!q->method || strcmp(q->method, "S256")) {
		q->error = "invalid_request";
		q->error_description = "code_challenge_method 须为 S256（不接受 plain）";
	} else if (!yw_b64url_shaped(q->challenge, 43)) {
		q->error = "invalid_request";
		q->error_description = "code_challenge 应为 43 位 base64url 字符";
	} else if (!q->scope || !yw_oidc_has_word(q->scope, "openid")) {
		q->error = "invalid_scope";
		q->error_description = "scope 须包含 openid";
	} else if ((q->state && strlen(q->state) > 1024) || (q->nonce && strlen(q->nonce) > 1024)) {
		q->error = "invalid_request";
		q->error_description = "state 或 nonce 过长";
	} else {
		const char *p = q->scope;
		char *w;
		while (yw_oidc_next_word(r->arena, &p, &w)) {
			if (!w || !yw_oidc_user_scope_zh(w) || !yw_oidc_json_has(q->client.scopes, w)) {
				q->error = "invalid_scope";
				q->error_description = yw_sprintf(r->arena, "该对接系统无权申请 scope %s", w ? w : "");
				break;
			}
		}
	}
	return YW_E_OK;
}

/* redirect_uri with our answer appended (RFC 6749 §4.1.2, RFC 9207 iss). */
static char *answer_url(yw_req *r, const authz_req *q, const char *k1, const char *v1, const char *k2,
                        const char *v2)
{
	const char *sep = strchr(q->redirect_uri, '?') ? "&" : "?";
	char *u = yw_sprintf(r->arena, "%s%s%s=%s", q->redirect_uri, sep, k1, yw_oidc_pct(r->arena, v1));
	if (u && k2 && v2)
		u = yw_sprintf(r->arena, "%s&%s=%s", u, k2, yw_oidc_pct(r->arena, v2));
	if (u && q->state)
		u = yw_sprintf(r->arena, "%s&state=%s", u, yw_oidc_pct(r->arena, q->state));
	if (u)
		u = yw_sprintf(r->arena, "%s&iss=%s", u, yw_oidc_pct(r->arena, yw_oidc_issuer(r->app)));
	return u;
}

yw_err yw_oidc_authorize(yw_req *r)
{
	yw_err e = yw_oidc_need_store(r);
	if (e)
		return e;
	yw_oidc_form f;
	yw_oidc_form_parse(r->arena, r->query, strlen(r->query), &f);
	authz_req q;
	authz_from_form(&f, &q);
	if ((e = authz_validate(r, &q, f.bad)))
		return e;
	if (q.error)
		return yw_oidc_redirect(r, answer_url(r, &q, "error", q.error, "error_description",
		                                      q.error_description));
	/* The page asks the person; the query goes along unchanged and is checked again there. */
	const char *consent = yw_sprintf(r->arena, "/sso/consent?%s", r->query);
	if (yw_oidc_signed_in(r))
		return yw_oidc_redirect(r, consent);
	return yw_oidc_redirect(r, yw_sprintf(r->arena, "/login?next=%s", yw_oidc_pct(r->arena, consent)));
}

static json_t *scope_descriptions(yw_req *r, const char *scope)
{
	json_t *out = json_array();
	char *w;
	for (const char *p = scope; out && yw_oidc_next_word(r->arena, &p, &w);)
		if (w)
			json_array_append_new(out, json_pack("{s:s, s:s}", "scope", w, "description",
			                                     yw_oidc_user_scope_zh(w)));
	return out;
}

static yw_err need_person_or_staff(yw_req *r)
{
	if (!yw_oidc_signed_in(r))
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	/* R-ID-010: until the password is changed a staff session is good for nothing else */
	const yw_caller *c = r->principal.ext;
	if (c && c->password_change_required)
		return yw_fail(r, YW_E_PASSWORD_CHANGE_REQUIRED, "须先修改密码，才能授权其他系统登录");
	return YW_E_OK;
}

yw_err yw_oidc_authorization_info(yw_req *r)
{
	yw_err e = yw_oidc_need_store(r);
	if (e || (e = need_person_or_staff(r)))
		return e;
	yw_oidc_form f;
	yw_oidc_form_parse(r->arena, r->query, strlen(r->query), &f);
	authz_req q;
	authz_from_form(&f, &q);
	if ((e = authz_validate(r, &q, f.bad)))
		return e;
	if (q.error)
		return yw_fail(r, YW_E_OAUTH_REQUEST_INVALID, "%s", q.error_description);
	return yw_reply_json(r, 200, json_pack("{s:{s:s, s:s}, s:o, s:s, s:{s:s, s:s?}}",
	                                       "client", "id", q.client.id, "name", q.client.name,
	                                       "scopes", scope_descriptions(r, q.scope),
	                                       "redirect_uri", q.redirect_uri,
	                                       "subject", "kind", r->principal.kind,
	                                       "name", r->principal.name));
}

typedef struct {
	yw_arena *a;
	const authz_req *q;
	const char *code_hash, *kind, *subject;
	yw_ms now;
} consent_arg;

static yw_err consent_write(yw_db *tx, void *arg)
{
	consent_arg *c = arg;
	/* codes live a minute; a day later nobody can tell a reuse from a typo, so they go */
	yw_err e = yw_db_exec(tx, "DELETE FROM oidc_codes WHERE expires_at < $1",
	                      YW_PARAMS(YW_VINT(c->now - (yw_ms)24 * 3600 * 1000)), NULL);
	if (!e)
		e = yw_db_exec(tx, "INSERT INTO oidc_codes (code_hash, client_id, subject_kind, subject_id, "
		                   "redirect_uri, scope, nonce, code_challenge, created_at, expires_at) "
		                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
		               YW_PARAMS(YW_VTEXT(c->code_hash), YW_VTEXT(c->q->client.id), YW_VTEXT(c->kind),
		                         YW_VTEXT(c->subject), YW_VTEXT(c->q->redirect_uri),
		                         YW_VTEXT(c->q->scope), YW_VTEXT(c->q->nonce),
		                         YW_VTEXT(c->q->challenge), YW_VINT(c->now),
		                         YW_VINT(c->now + YW_OIDC_CODE_MS)),
		               NULL);
	if (e)
		return e;
	return yw_audit_add(tx, yw_sprintf(c->a, "%s:%s", c->kind, c->subject), "oidc.consent",
	                    "oidc_client", c->q->client.id, NULL,
	                    json_pack("{s:s, s:s, s:s}", "client_id", c->q->client.id, "scope",
	                              c->q->scope, "redirect_uri", c->q->redirect_uri));
}

yw_err yw_oidc_consent(yw_req *r)
{
	json_t *body;
	yw_err e = yw_oidc_need_store(r);
	if (e || (e = need_person_or_staff(r)) || (e = yw_req_json(r, &body)))
		return e;
	const char *decision = NULL;
	if (!yw_json_str(body, "decision", &decision) || (strcmp(decision, "allow") && strcmp(decision, "deny"))) {
		json_t *fields = yw_arena_json(r->arena, json_array());
		yw_field_error(fields, "decision", "应为 allow 或 deny");
		return yw_fail_fields(r, fields);
	}
	authz_req q;
	authz_from_json(body, &q);
	if ((e = authz_validate(r, &q, false)))
		return e;
	if (q.error)
		return yw_fail(r, YW_E_OAUTH_REQUEST_INVALID, "%s", q.error_description);
	if (!strcmp(decision, "deny"))
		return yw_reply_json(r, 200, json_pack("{s:s}", "redirect_to",
		                                       answer_url(r, &q, "error", "access_denied", "error_description",
		                                                  "用户拒绝了授权")));
	const char *code = yw_random_token(r->arena, 32);
	char hash[65];
	if (!code)
		return YW_E_NO_MEMORY;
	yw_sha256_hex(code, strlen(code), hash);
	consent_arg c = { r->arena, &q, hash, r->principal.kind, r->principal.id, yw_now_ms() };
	if ((e = yw_store_write(r->app->store, consent_write, &c)))
		return yw_fail(r, e, "保存授权失败");
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200, json_pack("{s:s}", "redirect_to", answer_url(r, &q, "code", code, NULL, NULL)));
}
