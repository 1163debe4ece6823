/*
 * Registered clients (department systems), managed by a system admin:
 *   POST  /api/v1/oidc/clients              {name, redirect_uris, post_logout_redirect_uris?,
 *                                            scopes, id_token_signed_response_alg?}
 *                                           → 201 {client, client_secret}  (shown this once)
 *   GET   /api/v1/oidc/clients              → 200 {clients}
 *   GET   /api/v1/oidc/clients/{id}         → 200 {client}
 *   PATCH /api/v1/oidc/clients/{id}         {name?, redirect_uris?, post_logout_redirect_uris?,
 *                                            scopes?} → 200 {client}
 *   POST  /api/v1/oidc/clients/{id}/disable → 200 {client}
 *   POST  /api/v1/oidc/clients/{id}/secret  → 200 {client, client_secret}  (the old one stops)
 * Each checks OIDC_CLIENT_MANAGE; each change and its audit entry commit in one write.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "oidc/internal.h"

static const struct {
	const char *scope, *zh;
} user_scopes[] = {
	{ "openid", "确认您的身份（平台用户标识）" },
	{ "profile", "您的姓名" },
	{ "phone", "您的手机号码" },
	{ "id_number", "您的完整公民身份号码" },
};

const char *yw_oidc_user_scope_zh(const char *scope)
{
	for (size_t i = 0; i < sizeof user_scopes / sizeof user_scopes[0]; i++)
		if (!strcmp(user_scopes[i].scope, scope))
			return user_scopes[i].zh;
	return NULL;
}

bool yw_oidc_action_scope(const char *scope)
{
	for (int a = 0; a < YW_ACT__COUNT; a++)
		if (!strcmp(yw_action_name((yw_action)a), scope))
			return yw_action_client_grantable((yw_action)a);
	return false;
}

/* ---- rows -------------------------------------------------------------------------------- */

#define CLIENT_COLS "id, name, secret_hash, redirect_uris, post_logout_redirect_uris, scopes, " \
	"id_token_alg, disabled, created_at, updated_at"

static json_t *json_list(yw_arena *a, const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_array(j)) {
		json_decref(j);
		j = json_array();
	}
	return yw_arena_json(a, j);
}

static void client_from_row(yw_arena *a, yw_rows *rows, int i, yw_oidc_client *c)
{
	*c = (yw_oidc_client){
		.id = yw_rows_text(rows, i, 0),
		.name = yw_rows_text(rows, i, 1),
		.secret_hash = yw_rows_text(rows, i, 2),
		.redirect_uris = json_list(a, yw_rows_text(rows, i, 3)),
		.post_logout_uris = json_list(a, yw_rows_text(rows, i, 4)),
		.scopes = json_list(a, yw_rows_text(rows, i, 5)),
		.id_token_alg = yw_rows_text(rows, i, 6),
		.disabled = yw_rows_int(rows, i, 7) != 0,
		.created_at = yw_rows_int(rows, i, 8),
		.updated_at = yw_rows_int(rows, i, 9),
	};
}

yw_err yw_oidc_client_get(yw_db *db, yw_arena *a, const char *id, yw_oidc_client *out)
{
	yw_rows *rows = NULL;
	yw_err e = yw_db_query(db, a, &rows, "SELECT " CLIENT_COLS " FROM oidc_clients WHERE id = $1",
	                       YW_PARAMS(YW_VTEXT(id)));
	if (e)
		return e;
	if (yw_rows_count(rows) == 0)
		return YW_E_NOT_FOUND;
	client_from_row(a, rows, 0, out);
	return YW_E_OK;
}

/* Secrets are 32 random bytes, so a plain SHA-256 is enough: a slow password hash exists to
 * make guessing low-entropy passwords expensive, and 256 random bits cannot be guessed. A slow
 * hash here would only slow every token request down. */
bool yw_oidc_client_secret_ok(const yw_oidc_client *c, const char *secret)
{
	if (!secret || !c->secret_hash || strlen(c->secret_hash) != 64)
		return false;
	char h[65];
	yw_sha256_hex(secret, strlen(secret), h);
	return CRYPTO_memcmp(h, c->secret_hash, 64) == 0;
}

static json_t *client_json(const yw_oidc_client *c)
{
	return json_pack("{s:s, s:s, s:O, s:O, s:O, s:s, s:b, s:I, s:I}", "id", c->id, "name", c->name,
	                 "redirect_uris", c->redirect_uris, "post_logout_redirect_uris", c->post_logout_uris,
	                 "scopes", c->scopes, "id_token_signed_response_alg", c->id_token_alg,
	                 "disabled", c->disabled, "created_at", (json_int_t)c->created_at,
	                 "updated_at", (json_int_t)c->updated_at);
}

/* ---- validation -------------------------------------------------------------------------- */

static json_t *uri_list(yw_req *r, json_t *body, const char *key, bool required, json_t *fields)
{
	json_t *v = json_object_get(body, key);
	if (!v) {
		if (required)
			yw_field_error(fields, key, "必填");
		return NULL;
	}
	if (!json_is_array(v) || json_array_size(v) > 20) {
		yw_field_error(fields, key, "应为不超过 20 个地址的数组");
		return NULL;
	}
	size_t i;
	json_t *u;
	json_array_foreach(v, i, u) {
		const char *why = json_is_string(u) ? yw_oidc_redirect_uri_problem(json_string_value(u))
		                                    : "应为字符串";
		if (why) {
			yw_field_error(fields, yw_sprintf(r->arena, "%s[%zu]", key, i), why);
			return NULL;
		}
	}
	return v;
}

static json_t *scope_list(yw_req *r, json_t *body, bool required, json_t *fields)
{
	json_t *v = json_object_get(body, "scopes");
	if (!v) {
		if (required)
			yw_field_error(fields, "scopes", "必填");
		return NULL;
	}
	if (!json_is_array(v) || json_array_size(v) > 50) {
		yw_field_error(fields, "scopes", "应为不超过 50 项的数组");
		return NULL;
	}
	size_t i;
	json_t *s;
	json_array_foreach(v, i, s) {
		const char *t = json_string_value(s);
		if (!t || (!yw_oidc_user_scope_zh(t) && !yw_oidc_action_scope(t))) {
			yw_field_error(fields, yw_sprintf(r->arena, "scopes[%zu]", i),
			            "应为 openid、profile、phone、id_number 或可授予对接系统的操作名（如 staff.read）");
			return NULL;
		}
	}
	return v;
}

static const char *name_field(json_t *body, bool required, json_t *fields)
{
	json_t *v = json_object_get(body, "name");
	if (!v) {
		if (required)
			yw_field_error(fields, "name", "必填");
		return NULL;
	}
	const char *s = json_string_value(v);
	if (!s || !yw_text_ok(s, 100)) {
		yw_field_error(fields, "name", "应为 1 到 100 个字符");
		return NULL;
	}
	return s;
}

static const yw_object any_client = { .type = "oidc_client" };

static const char *actor(yw_req *r)
{
	return yw_sprintf(r->arena, "%s:%s", r->principal.kind ? r->principal.kind : "anonymous",
	                  r->principal.id ? r->principal.id : "-");
}

/* ---- writes ------------------------------------------------------------------------------ */

typedef struct {
	yw_arena *a;
	const char *actor, *action;
	yw_oidc_client c;        /* the new state */
	bool insert;
} save_arg;

static char *dump(yw_arena *a, json_t *j)
{
	size_t n;
	return yw_json_dump(a, j, &n);
}

static yw_err save_write(yw_db *tx, void *arg)
{
	save_arg *s = arg;
	const yw_oidc_client *c = &s->c;
	yw_err e;
	long long changed = 0;
	if (s->insert)
		e = yw_db_exec(tx, "INSERT INTO oidc_clients (" CLIENT_COLS ") VALUES "
		                   "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
		               YW_PARAMS(YW_VTEXT(c->id), YW_VTEXT(c->name), YW_VTEXT(c->secret_hash),
		                         YW_VTEXT(dump(s->a, c->redirect_uris)),
		                         YW_VTEXT(dump(s->a, c->post_logout_uris)),
		                         YW_VTEXT(dump(s->a, c->scopes)), YW_VTEXT(c->id_token_alg),
		                         YW_VINT(c->disabled), YW_VINT(c->created_at), YW_VINT(c->updated_at)),
		               &changed);
	else
		e = yw_db_exec(tx, "UPDATE oidc_clients SET name = $2, secret_hash = $3, redirect_uris = $4, "
		                   "post_logout_redirect_uris = $5, scopes = $6, disabled = $7, updated_at = $8 "
		                   "WHERE id = $1",
		               YW_PARAMS(YW_VTEXT(c->id), YW_VTEXT(c->name), YW_VTEXT(c->secret_hash),
		                         YW_VTEXT(dump(s->a, c->redirect_uris)),
		                         YW_VTEXT(dump(s->a, c->post_logout_uris)),
		                         YW_VTEXT(dump(s->a, c->scopes)), YW_VINT(c->disabled),
		                         YW_VINT(c->updated_at)),
		               &changed);
	if (e)
		return e;
	if (changed != 1)
		return YW_E_NOT_FOUND;
	return yw_audit_add(tx, s->actor, s->action, "oidc_client", c->id, NULL, client_json(c));
}

static yw_err save(yw_req *r, const char *action, yw_oidc_client *c, bool insert)
{
	save_arg s = { r->arena, actor(r), action, *c, insert };
	yw_err e = yw_store_write(r->app->store, save_write, &s);
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, e, "对接系统不存在");
	if (e)
		return yw_fail(r, e, "保存对接系统失败");
	return YW_E_OK;
}

/* A new secret: shown once, kept as its hash. */
static const char *new_secret(yw_req *r, yw_oidc_client *c)
{
	const char *secret = yw_random_token(r->arena, 32);
	char *h = yw_alloc(r->arena, 65);
	if (!secret || !h)
		return NULL;
	yw_sha256_hex(secret, strlen(secret), h);
	c->secret_hash = h;
	return secret;
}

/* ---- handlers ---------------------------------------------------------------------------- */

static yw_err create(yw_req *r)
{
	json_t *body;
	yw_err e = yw_oidc_need_store(r);
	if (e || (e = yw_authz(r, YW_ACT_OIDC_CLIENT_MANAGE, &any_client)) || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *name = name_field(body, true, fields);
	json_t *redirects = uri_list(r, body, "redirect_uris", false, fields);
	json_t *logouts = uri_list(r, body, "post_logout_redirect_uris", false, fields);
	json_t *scopes = scope_list(r, body, true, fields);
	const char *alg = "RS256";
	json_t *av = json_object_get(body, "id_token_signed_response_alg");
	if (av && (!json_is_string(av) || (strcmp(json_string_value(av), "RS256") &&
	                                   strcmp(json_string_value(av), "ES256"))))
		yw_field_error(fields, "id_token_signed_response_alg", "应为 RS256 或 ES256");
	else if (av)
		alg = json_string_value(av);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	const char *rnd = yw_random_token(r->arena, 12);
	yw_ms now = yw_now_ms();
	yw_oidc_client c = { .id = rnd ? yw_sprintf(r->arena, "c_%s", rnd) : NULL, .name = name,
	                     .id_token_alg = alg,
	                     .redirect_uris = redirects ? redirects : yw_arena_json(r->arena, json_array()),
	                     .post_logout_uris = logouts ? logouts : yw_arena_json(r->arena, json_array()),
	                     .scopes = scopes, .created_at = now, .updated_at = now };
	const char *secret = new_secret(r, &c);
	if (!c.id || !secret || !c.redirect_uris || !c.post_logout_uris)
		return YW_E_NO_MEMORY;
	if ((e = save(r, "oidc_client.create", &c, true)))
		return e;
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 201, json_pack("{s:o, s:s}", "client", client_json(&c), "client_secret", secret));
}

static yw_err list(yw_req *r)
{
	yw_err e = yw_oidc_need_store(r);
	if (e || (e = yw_authz(r, YW_ACT_OIDC_CLIENT_MANAGE, &any_client)))
		return e;
	yw_rows *rows = NULL;
	e = yw_db_query(yw_store_reader(r->app->store), r->arena, &rows,
	                "SELECT " CLIENT_COLS " FROM oidc_clients ORDER BY created_at, id", YW_NOPARAMS);
	if (e)
		return yw_fail(r, e, "读取对接系统失败");
	json_t *out = json_array();
	for (int i = 0; out && i < yw_rows_count(rows); i++) {
		yw_oidc_client c;
		client_from_row(r->arena, rows, i, &c);
		json_array_append_new(out, client_json(&c));
	}
	return yw_reply_json(r, 200, json_pack("{s:o}", "clients", out));
}

/* Load the client of the path and check the caller may manage it. */
static yw_err load(yw_req *r, yw_oidc_client *c)
{
	yw_err e = yw_oidc_need_store(r);
	if (e)
		return e;
	e = yw_oidc_client_get(yw_store_reader(r->app->store), r->arena, yw_req_param(r, "id"), c);
	if (e == YW_E_NOT_FOUND) {
		/* who may not manage clients learns nothing of which exist */
		if ((e = yw_authz(r, YW_ACT_OIDC_CLIENT_MANAGE, &any_client)))
			return e;
		return yw_fail(r, YW_E_NOT_FOUND, "对接系统不存在");
	}
	if (e)
		return yw_fail(r, e, "读取对接系统失败");
	yw_object obj = { .type = "oidc_client" };
	return yw_authz(r, YW_ACT_OIDC_CLIENT_MANAGE, &obj);
}

static yw_err show(yw_req *r)
{
	yw_oidc_client c;
	yw_err e = load(r, &c);
	if (e)
		return e;
	return yw_reply_json(r, 200, json_pack("{s:o}", "client", client_json(&c)));
}

static yw_err update(yw_req *r)
{
	yw_oidc_client c;
	json_t *body;
	yw_err e = load(r, &c);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *name = name_field(body, false, fields);
	json_t *redirects = uri_list(r, body, "redirect_uris", false, fields);
	json_t *logouts = uri_list(r, body, "post_logout_redirect_uris", false, fields);
	json_t *scopes = scope_list(r, body, false, fields);
	const char *ro[] = { "id", "client_secret", "id_token_signed_response_alg", "disabled" };
	for (size_t i = 0; i < sizeof ro / sizeof ro[0]; i++)
		if (json_object_get(body, ro[i]))
			yw_field_error(fields, ro[i], "不能用 PATCH 修改");
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	if (name)
		c.name = name;
	if (redirects)
		c.redirect_uris = redirects;
	if (logouts)
		c.post_logout_uris = logouts;
	if (scopes)
		c.scopes = scopes;
	c.updated_at = yw_now_ms();
	if ((e = save(r, "oidc_client.update", &c, false)))
		return e;
	return yw_reply_json(r, 200, json_pack("{s:o}", "client", client_json(&c)));
}

static yw_err disable(yw_req *r)
{
	yw_oidc_client c;
	yw_err e = load(r, &c);
	if (e)
		return e;
	c.disabled = true;
	c.updated_at = yw_now_ms();
	if ((e = save(r, "oidc_client.disable", &c, false)))
		return e;
	return yw_reply_json(r, 200, json_pack("{s:o}", "client", client_json(&c)));
}

static yw_err rotate_secret(yw_req *r)
{
	yw_oidc_client c;
	yw_err e = load(r, &c);
	if (e)
		return e;
	const char *secret = new_secret(r, &c);
	if (!secret)
		return YW_E_NO_MEMORY;
	c.updated_at = yw_now_ms();
	if ((e = save(r, "oidc_client.secret", &c, false)))
		return e;
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200, json_pack("{s:o, s:s}", "client", client_json(&c), "client_secret", secret));
}

void yw_oidc_client_routes(yw_router *rt)
{
	yw_route(rt, "POST", "/api/v1/oidc/clients", create);
	yw_route(rt, "GET", "/api/v1/oidc/clients", list);
	yw_route(rt, "GET", "/api/v1/oidc/clients/{id}", show);
	yw_route(rt, "PATCH", "/api/v1/oidc/clients/{id}", update);
	yw_route(rt, "POST", "/api/v1/oidc/clients/{id}/disable", disable);
	yw_route(rt, "POST", "/api/v1/oidc/clients/{id}/secret", rotate_secret);
}
