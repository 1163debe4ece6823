/*
 * The OpenID Connect endpoints: their one route list, the discovery documents, and the small
 * helpers the endpoint files share (declared in internal.h). The routes, by the file that
 * answers them:
 *   flow.c       GET  /.well-known/openid-configuration   discovery (OpenID Connect Discovery 1.0)
 *                GET  /.well-known/jwks.json              the public signing keys
 *   authorize.c  GET  /oauth/authorize                    code flow with PKCE S256 → consent page or login
 *                GET  /api/v1/oidc/authorization          what the consent page shows (signed-in caller)
 *                POST /api/v1/oidc/consent                the decision → {redirect_to} with code & state
 *   token.c      POST /oauth/token                        authorization_code, client_credentials
 *                POST /oauth/revoke                       RFC 7009
 *   bearer.c     GET|POST /oauth/userinfo                 claims within the granted scopes
 *                GET  /oauth/end-session                  RP-initiated logout
 * bearer.c also holds the authentication hook (yw_oidc_before, yw_oidc_bearer). The OAuth
 * endpoints answer errors the way RFC 6749/6750/7009 require ({error, error_description} with a
 * Chinese description; we add our stable "code"), while the ones under /api/v1 answer
 * problem+json like every other yiwang API.
 */
#include <string.h>

#include "oidc/internal.h"

/* ---- shared by the endpoint files (internal.h) ------------------------------------------- */

yw_err yw_oidc_need_store(yw_req *r)
{
	if (!r->app->store || !r->app->keys)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
	return YW_E_OK;
}

char *yw_oidc_pct(yw_arena *a, const char *s)
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

void yw_oidc_form_parse(yw_arena *a, const char *s, size_t len, yw_oidc_form *f)
{
	*f = (yw_oidc_form){ 0 };
	const char *p = s, *end = s + len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t l = amp ? (size_t)(amp - p) : (size_t)(end - p);
		if (l) {
			const char *eq = memchr(p, '=', l);
			size_t kl = eq ? (size_t)(eq - p) : l;
			char *k = yw_url_decode(a, p, kl, true);
			char *v = eq ? yw_url_decode(a, eq + 1, l - kl - 1, true) : yw_strdup(a, "");
			if (!k || !v || f->n == YW_OIDC_FORM_MAX) {
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

const char *yw_oidc_form_get(const yw_oidc_form *f, const char *k)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->k[i], k))
			return f->v[i][0] ? f->v[i] : NULL;
	return NULL;
}

bool yw_oidc_next_word(yw_arena *a, const char **p, char **w)
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

bool yw_oidc_has_word(const char *list, const char *word)
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

bool yw_oidc_json_has(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return true;
	return false;
}

yw_err yw_oidc_redirect(yw_req *r, const char *location)
{
	yw_reply_header(r, "Location", location);
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_raw(r, 302, "text/plain; charset=utf-8", "", 0);
}

long long yw_oidc_claim_int(json_t *claims, const char *k)
{
	json_t *v = json_object_get(claims, k);
	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

const char *yw_oidc_claim_str(json_t *claims, const char *k)
{
	const char *s = NULL;
	return yw_json_str(claims, k, &s) ? s : NULL;
}

bool yw_oidc_signed_in(const yw_req *r)
{
	return r->principal.kind && (!strcmp(r->principal.kind, "person") || !strcmp(r->principal.kind, "staff")) &&
	       r->principal.session_id;
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

void yw_oidc_flow_routes(yw_router *rt)
{
	yw_route(rt, "GET", "/.well-known/openid-configuration", discovery);
	yw_route(rt, "GET", "/.well-known/jwks.json", jwks);
	yw_route(rt, "GET", "/oauth/authorize", yw_oidc_authorize);
	yw_route(rt, "GET", "/api/v1/oidc/authorization", yw_oidc_authorization_info);
	yw_route(rt, "POST", "/api/v1/oidc/consent", yw_oidc_consent);
	yw_route(rt, "POST", "/oauth/token", yw_oidc_token);
	yw_route(rt, "GET", "/oauth/userinfo", yw_oidc_userinfo);
	yw_route(rt, "POST", "/oauth/userinfo", yw_oidc_userinfo);
	yw_route(rt, "POST", "/oauth/revoke", yw_oidc_revoke);
	yw_route(rt, "GET", "/oauth/end-session", yw_oidc_end_session);
}

void yw_oidc_routes(yw_router *rt)
{
	yw_oidc_flow_routes(rt);
	yw_oidc_client_routes(rt);
}
