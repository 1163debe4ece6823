/*
 * The OpenID Connect endpoints and the bearer-token hook:
 *   GET  /.well-known/openid-configuration   discovery (OpenID Connect Discovery 1.0)
 *   GET  /.well-known/jwks.json              the public signing keys
 *   GET  /oauth/authorize                    code flow with PKCE S256 → consent page or login
 *   GET  /api/v1/oidc/authorization          what the consent page shows (signed-in caller)
 *   POST /api/v1/oidc/consent                the decision → {redirect_to} with code & state
 *   POST /oauth/token                        authorization_code, client_credentials
 *   GET|POST /oauth/userinfo                 claims within the granted scopes
 *   POST /oauth/revoke                       RFC 7009
 *   GET  /oauth/end-session                  RP-initiated logout
 * The OAuth endpoints answer errors the way RFC 6749/6750/7009 require ({error,
 * error_description} with a Chinese description; we add our stable "code"), while the
 * ones under /api/v1 answer problem+json like every other yiwang API. An error found before the
 * client and its exact redirect URI are known is shown to the user, never redirected
 * (RFC 6749 §4.1.2.1): otherwise the endpoint would be an open redirector.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "oidc/internal.h"

/* ---- small helpers ----------------------------------------------------------------------- */

yw_err yw_oidc_need_store(yw_req *r)
{
	if (!r->app->store || !r->app->keys)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
	return YW_E_OK;
}

/* Percent-encode everything but RFC 3986's unreserved characters. */
static char *pct(yw_arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = yw_alloc(a, n * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

/* application/x-www-form-urlencoded (a body, or a query string). A parameter given twice makes
 * the request invalid (RFC 6749 §3.1, §3.2). */
#define MAX_FORM 32
typedef struct {
	int n;
	const char *k[MAX_FORM], *v[MAX_FORM];
	bool bad;       /* a repeated parameter, a malformed escape, too many */
} form;

static void form_parse(yw_arena *a, const char *s, size_t len, form *f)
{
	*f = (form){ 0 };
	const char *p = s, *end = s + len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t l = amp ? (size_t)(amp - p) : (size_t)(end - p);
		if (l) {
			const char *eq = memchr(p, '=', l);
			size_t kl = eq ? (size_t)(eq - p) : l;
			char *k = yw_url_decode(a, p, kl, true);
			char *v = eq ? yw_url_decode(a, eq + 1, l - kl - 1, true) : yw_strdup(a, "");
			if (!k || !v || f->n == MAX_FORM) {
				f->bad = true;
				return;
			}
			for (int i = 0; i < f->n; i++)
				if (!strcmp(f->k[i], k))
					f->bad = true;
			f->k[f->n] = k;
			f->v[f->n++] = v;
		}
		p += l + 1;
	}
}

/* The value, or NULL when absent; an empty value counts as absent (RFC 6749 §3.1). */
static const char *form_get(const form *f, const char *k)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->k[i], k))
			return f->v[i][0] ? f->v[i] : NULL;
	return NULL;
}

/* Steps over the next space-separated word of *p (a scope list, RFC 6749 §3.3): false at the end;
 * else *w is the word in the arena, NULL when out of memory. */
static bool next_word(yw_arena *a, const char **p, char **w)
{
	while (**p == ' ')
		(*p)++;
	size_t l = strcspn(*p, " ");
	if (!l)
		return false;
	*w = yw_strndup(a, *p, l);
	*p += l;
	return true;
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		while (*p == ' ')
			p++;
		size_t l = strcspn(p, " ");
		if (l == n && !strncmp(p, word, n))
			return true;
		p += l;
	}
	return false;
}

static bool json_has(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return true;
	return false;
}

static yw_err redirect(yw_req *r, const char *location)
{
	yw_reply_header(r, "Location", location);
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_raw(r, 302, "text/plain; charset=utf-8", "", 0);
}

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

static json_t *claim_aud(json_t *claims)
{
	return json_object_get(claims, "aud");
}

static bool aud_is(json_t *claims, const char *want)
{
	json_t *aud = claim_aud(claims);
	if (json_is_string(aud))
		return !strcmp(json_string_value(aud), want);
	return json_is_array(aud) && json_has(aud, want);
}

static long long claim_int(json_t *claims, const char *k)
{
	json_t *v = json_object_get(claims, k);
	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

static const char *claim_str(json_t *claims, const char *k)
{
	const char *s = NULL;
	return yw_json_str(claims, k, &s) ? s : NULL;
}

/* ---- discovery and keys ------------------------------------------------------------------ */

static yw_err discovery(yw_req *r)
{
	const char *iss = yw_oidc_issuer(r->app);
	json_t *scopes = json_pack("[s, s, s, s]", "openid", "profile", "phone", "id_number");
	for (int a = 0; scopes && a < YW_ACT__COUNT; a++)
		if (yw_action_client_grantable((yw_action)a))
			json_array_append_new(scopes, json_string(yw_action_name((yw_action)a)));
	json_t *d = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:[s], s:[s, s], s:[s], s:[s, s], s:[s, s],"
		" s:[s, s], s:[s], s:o, s:[s, s, s, s, s, s, s, s], s:b, s:b, s:b}",
		"issuer", iss,
		"authorization_endpoint", yw_sprintf(r->arena, "%s/oauth/authorize", iss),
		"token_endpoint", yw_sprintf(r->arena, "%s/oauth/token", iss),
		"userinfo_endpoint", yw_sprintf(r->arena, "%s/oauth/userinfo", iss),
		"jwks_uri", yw_sprintf(r->arena, "%s/.well-known/jwks.json", iss),
		"revocation_endpoint", yw_sprintf(r->arena, "%s/oauth/revoke", iss),
		"end_session_endpoint", yw_sprintf(r->arena, "%s/oauth/end-session", iss),
		"response_types_supported", "code",
		"response_modes_supported", "query",
		"grant_types_supported", "authorization_code", "client_credentials",
		"subject_types_supported", "public",
		"id_token_signing_alg_values_supported", "RS256", "ES256",
		"token_endpoint_auth_methods_supported", "client_secret_basic", "client_secret_post",
		"revocation_endpoint_auth_methods_supported", "client_secret_basic", "client_secret_post",
		"code_challenge_methods_supported", "S256",
		"scopes_supported", scopes,
		"claims_supported", "iss", "sub", "aud", "exp", "iat", "name", "phone_number", "id_number",
		"authorization_response_iss_parameter_supported", 1,
		"claims_parameter_supported", 0,
		"request_parameter_supported", 0);
	if (!d)
		return YW_E_NO_MEMORY;
	json_object_set_new(d, "access_token_audience", json_string(yw_oidc_audience(r->app)));
	yw_reply_header(r, "Cache-Control", "public, max-age=300");
	return yw_reply_json(r, 200, d);
}

static yw_err jwks(yw_req *r)
{
	yw_err e = yw_oidc_need_store(r);
	if (e)
		return e;
	json_t *j = yw_oidc_jwks(r->app, &e);
	if (!j)
		return yw_fail(r, e, "读取签名密钥失败");
	/* short: a rotated-in key must reach relying parties well before it signs their tokens' */
	yw_reply_header(r, "Cache-Control", "public, max-age=60");
	return yw_reply_json(r, 200, j);
}

/* ---- the authorization request ----------------------------------------------------------- */

typedef struct {
	const char *client_id, *redirect_uri, *response_type, *scope, *state, *nonce, *challenge, *method;
	yw_oidc_client client;
	/* stage 2 failure, sent back to the client's redirect URI */
	const char *error, *error_description;
} authz_req;

static void authz_from_form(const form *f, authz_req *q)
{
	*q = (authz_req){ .client_id = form_get(f, "client_id"), .redirect_uri = form_get(f, "redirect_uri"),
	                  .response_type = form_get(f, "response_type"), .scope = form_get(f, "scope"),
	                  .state = form_get(f, "state"), .nonce = form_get(f, "nonce"),
	                  .challenge = form_get(f, "code_challenge"),
	                  .method = form_get(f, "code_challenge_method") };
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
	} else if (!q->scope || !has_word(q->scope, "openid")) {
		q->error = "invalid_scope";
		q->error_description = "scope 须包含 openid";
	} else if ((q->state && strlen(q->state) > 1024) || (q->nonce && strlen(q->nonce) > 1024)) {
		q->error = "invalid_request";
		q->error_description = "state 或 nonce 过长";
	} else {
		const char *p = q->scope;
		char *w;
		while (next_word(r->arena, &p, &w)) {
			if (!w || !yw_oidc_user_scope_zh(w) || !json_has(q->client.scopes, w)) {
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
	char *u = yw_sprintf(r->arena, "%s%s%s=%s", q->redirect_uri, sep, k1, pct(r->arena, v1));
	if (u && k2 && v2)
		u = yw_sprintf(r->arena, "%s&%s=%s", u, k2, pct(r->arena, v2));
	if (u && q->state)
		u = yw_sprintf(r->arena, "%s&state=%s", u, pct(r->arena, q->state));
	if (u)
		u = yw_sprintf(r->arena, "%s&iss=%s", u, pct(r->arena, yw_oidc_issuer(r->app)));
	return u;
}

static bool signed_in(const yw_req *r)
{
	return r->principal.kind && (!strcmp(r->principal.kind, "person") || !strcmp(r->principal.kind, "staff")) &&
	       r->principal.session_id;
}

static yw_err authorize(yw_req *r)
{
	yw_err e = yw_oidc_need_store(r);
	if (e)
		return e;
	form f;
	form_parse(r->arena, r->query, strlen(r->query), &f);
	authz_req q;
	authz_from_form(&f, &q);
	if ((e = authz_validate(r, &q, f.bad)))
		return e;
	if (q.error)
		return redirect(r, answer_url(r, &q, "error", q.error, "error_description", q.error_description));
	/* The page asks the person; the query goes along unchanged and is checked again there. */
	const char *consent = yw_sprintf(r->arena, "/sso/consent?%s", r->query);
	if (signed_in(r))
		return redirect(r, consent);
	return redirect(r, yw_sprintf(r->arena, "/login?next=%s", pct(r->arena, consent)));
}

static json_t *scope_descriptions(yw_req *r, const char *scope)
{
	json_t *out = json_array();
	char *w;
	for (const char *p = scope; out && next_word(r->arena, &p, &w);)
		if (w)
			json_array_append_new(out, json_pack("{s:s, s:s}", "scope", w, "description",
			                                     yw_oidc_user_scope_zh(w)));
	return out;
}

static yw_err need_person_or_staff(yw_req *r)
{
	if (!signed_in(r))
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	/* R-ID-010: until the password is changed a staff session is good for nothing else */
	const yw_caller *c = r->principal.ext;
	if (c && c->password_change_required)
		return yw_fail(r, YW_E_PASSWORD_CHANGE_REQUIRED, "须先修改密码，才能授权其他系统登录");
	return YW_E_OK;
}

static yw_err authorization_info(yw_req *r)
{
	yw_err e = yw_oidc_need_store(r);
	if (e || (e = need_person_or_staff(r)))
		return e;
	form f;
	form_parse(r->arena, r->query, strlen(r->query), &f);
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

static yw_err consent(yw_req *r)
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
static yw_err client_auth(yw_req *r, const form *f, yw_oidc_client *c, bool *ok)
{
	*ok = false;
	const char *auth = yw_req_header(r, "Authorization");
	const char *id = form_get(f, "client_id"), *secret = form_get(f, "client_secret");
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

static yw_err read_form(yw_req *r, form *f, bool *ok)
{
	*ok = false;
	const char *ct = yw_req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33))
		return oauth_error(r, 400, "invalid_request", YW_E_OAUTH_REQUEST_INVALID,
		                   "Content-Type 应为 application/x-www-form-urlencoded");
	form_parse(r->arena, r->body, r->body_len, f);
	if (f->bad || strlen(r->body) != r->body_len)
		return oauth_error(r, 400, "invalid_request", YW_E_OAUTH_REQUEST_INVALID,
		                   "请求参数重复或格式不正确");
	*ok = true;
	return YW_E_OK;
}

/* The start of both endpoints where a client speaks for itself (token, revoke): the form body
 * and the client it authenticates as. On failure the answer is in r and *ok is false. */
static yw_err authed_form(yw_req *r, form *f, yw_oidc_client *c, bool *ok)
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

static yw_err client_credentials(yw_req *r, const form *f, const yw_oidc_client *c)
{
	const char *asked = form_get(f, "scope");
	char *granted = yw_strdup(r->arena, "");
	if (asked) {
		char *w;
		for (const char *p = asked; next_word(r->arena, &p, &w);) {
			if (!w || !yw_oidc_action_scope(w) || !json_has(c->scopes, w))
				return oauth_error(r, 400, "invalid_scope", YW_E_SCOPE_NOT_ALLOWED,
				                   "该对接系统无权申请 scope %s", w ? w : "");
			if (!has_word(granted, w))
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

static yw_err authorization_code(yw_req *r, const form *f, const yw_oidc_client *c)
{
	const char *code = form_get(f, "code"), *ru = form_get(f, "redirect_uri"),
		   *verifier = form_get(f, "code_verifier");
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

static yw_err token(yw_req *r)
{
	form f;
	yw_oidc_client c;
	bool ok;
	yw_err e = authed_form(r, &f, &c, &ok);
	if (e || !ok)
		return e;
	const char *gt = form_get(&f, "grant_type");
	if (gt && !strcmp(gt, "authorization_code"))
		return authorization_code(r, &f, &c);
	if (gt && !strcmp(gt, "client_credentials"))
		return client_credentials(r, &f, &c);
	return oauth_error(r, 400, gt ? "unsupported_grant_type" : "invalid_request", YW_E_GRANT_TYPE_UNSUPPORTED,
	                   "grant_type 应为 authorization_code 或 client_credentials");
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
	if (!yw_str_eq(claim_str(t->claims, "iss"), yw_oidc_issuer(r->app)))
		return bearer_fail(r, YW_E_TOKEN_INVALID, "访问令牌不是本平台签发的");
	if (!aud_is(t->claims, yw_oidc_audience(r->app)))
		return bearer_fail(r, YW_E_TOKEN_WRONG_AUDIENCE,
		                   yw_sprintf(r->arena, "访问令牌的受众（aud）应为 %s", yw_oidc_audience(r->app)));
	if (!yw_str_eq(typ, "at+jwt"))
		return bearer_fail(r, YW_E_TOKEN_INVALID, "这不是访问令牌");
	if (claim_int(t->claims, "exp") <= yw_now_ms() / 1000)
		return bearer_fail(r, YW_E_TOKEN_EXPIRED, "访问令牌已过期，请重新获取");
	t->kind = claim_str(t->claims, "kind");
	t->sub = claim_str(t->claims, "sub");
	t->client_id = claim_str(t->claims, "client_id");
	t->scope = claim_str(t->claims, "scope");
	const char *jti = claim_str(t->claims, "jti");
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
	if (claim_int(t->claims, "iat") < yw_rows_int(rows, 0, 2) / 1000)
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
		for (const char *p = t.scope; next_word(r->arena, &p, &w);)
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

/* ---- userinfo, revoke, end-session ------------------------------------------------------- */

static yw_err userinfo(yw_req *r)
{
	checked_token t;
	yw_err e = check_access_token(r, &t);
	if (e)
		return e;
	if (strcmp(t.kind, "person") && strcmp(t.kind, "staff"))
		return bearer_fail(r, YW_E_TOKEN_INVALID, "该令牌不代表用户（客户端凭证令牌没有用户信息）");
	if (!has_word(t.scope, "openid"))
		return bearer_fail(r, YW_E_TOKEN_INVALID, "该令牌未获得 openid 授权");
	yw_subject_claims sc;
	e = yw_identity_claims(r->app->store, r->app->keys, r->arena, t.kind, t.sub, &sc);
	if (e == YW_E_NOT_FOUND)
		return bearer_fail(r, YW_E_TOKEN_REVOKED, "该用户已不存在或已停用");
	if (e)
		return yw_fail(r, e, "读取用户信息失败");
	json_t *j = json_pack("{s:s}", "sub", t.sub);
	if (j && has_word(t.scope, "profile") && sc.name)
		json_object_set_new(j, "name", json_string(sc.name));
	if (j && has_word(t.scope, "phone") && sc.mobile) {
		json_object_set_new(j, "phone_number", json_string(yw_sprintf(r->arena, "+86%s", sc.mobile)));
		json_object_set_new(j, "phone_number_verified", json_true());
	}
	if (j && has_word(t.scope, "id_number") && sc.id_number)
		json_object_set_new(j, "id_number", json_string(sc.id_number));
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200, j);
}

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

static yw_err revoke(yw_req *r)
{
	form f;
	yw_oidc_client c;
	bool ok;
	yw_err e = authed_form(r, &f, &c, &ok);
	if (e || !ok)
		return e;
	const char *tok = form_get(&f, "token");
	if (!tok)
		return oauth_error(r, 400, "invalid_request", YW_E_OAUTH_REQUEST_INVALID, "缺少 token 参数");
	json_t *claims = NULL;
	const char *typ = NULL;
	/* RFC 7009 §2.2: an unknown, expired or someone else's token is answered 200 all the same */
	if (yw_oidc_jwt_verify(r, tok, &claims, &typ) == YW_JWT_OK && yw_str_eq(typ, "at+jwt") &&
	    yw_str_eq(claim_str(claims, "client_id"), c.id) && claim_str(claims, "jti") &&
	    claim_int(claims, "exp") * 1000 > yw_now_ms()) {
		revoke_arg g = { r->arena, claim_str(claims, "jti"), c.id, claim_int(claims, "exp") * 1000, yw_now_ms() };
		if ((e = yw_store_write(r->app->store, revoke_write, &g)))
			return yw_fail(r, e, "撤销令牌失败");
	}
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_raw(r, 200, "application/json", "{}", 2);
}

static yw_err end_session(yw_req *r)
{
	yw_err e = yw_oidc_need_store(r);
	if (e)
		return e;
	form f;
	form_parse(r->arena, r->query, strlen(r->query), &f);
	const char *hint = form_get(&f, "id_token_hint"), *plr = form_get(&f, "post_logout_redirect_uri"),
		   *state = form_get(&f, "state"), *cid = form_get(&f, "client_id");
	if (f.bad)
		return yw_fail(r, YW_E_OAUTH_REQUEST_INVALID, "请求参数重复或格式不正确");
	/* Without the relying party's proof (its ID token) any page could log people out with an
	 * image tag, so the hint is required. Its expiry does not matter; its signature does. */
	if (!hint)
		return yw_fail(r, YW_E_OAUTH_REQUEST_INVALID, "缺少 id_token_hint");
	json_t *claims = NULL;
	const char *typ = NULL;
	if (yw_oidc_jwt_verify(r, hint, &claims, &typ) != YW_JWT_OK || yw_str_eq(typ, "at+jwt") ||
	    !yw_str_eq(claim_str(claims, "iss"), yw_oidc_issuer(r->app)) || !json_is_string(claim_aud(claims)))
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
	if (signed_in(r) && yw_str_eq(claim_str(claims, "sub"), r->principal.id)) {
		if ((e = yw_identity_end_session(r, "oidc.end_session")))
			return yw_fail(r, e, "退出登录失败");
		yw_reply_header(r, "Set-Cookie", yw_identity_cookie_clear(r));
	}
	if (!plr)
		return redirect(r, "/");
	const char *sep = strchr(plr, '?') ? "&" : "?";
	return redirect(r, state ? yw_sprintf(r->arena, "%s%sstate=%s", plr, sep, pct(r->arena, state)) : plr);
}

void yw_oidc_flow_routes(yw_router *rt)
{
	yw_route(rt, "GET", "/.well-known/openid-configuration", discovery);
	yw_route(rt, "GET", "/.well-known/jwks.json", jwks);
	yw_route(rt, "GET", "/oauth/authorize", authorize);
	yw_route(rt, "GET", "/api/v1/oidc/authorization", authorization_info);
	yw_route(rt, "POST", "/api/v1/oidc/consent", consent);
	yw_route(rt, "POST", "/oauth/token", token);
	yw_route(rt, "GET", "/oauth/userinfo", userinfo);
	yw_route(rt, "POST", "/oauth/userinfo", userinfo);
	yw_route(rt, "POST", "/oauth/revoke", revoke);
	yw_route(rt, "GET", "/oauth/end-session", end_session);
}

void yw_oidc_routes(yw_router *rt)
{
	yw_oidc_flow_routes(rt);
	yw_oidc_client_routes(rt);
}
