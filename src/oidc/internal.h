/*
 * Shared between the files of oidc only (not its public API).
 */
#ifndef YW_OIDC_INTERNAL_H
#define YW_OIDC_INTERNAL_H

#include "audit/audit.h"
#include "http/http.h"
#include "identity/identity.h"
#include "oidc/oidc.h"
#include "store/store.h"

/* The key every access token is signed with: ECDSA is cheap to sign, and clients never check
 * access tokens (only we do). ID tokens use the client's registered alg, RS256 by default. */
#define YW_OIDC_ACCESS_ALG "ES256"
#define YW_OIDC_CODE_MS ((yw_ms)60 * 1000)

/* keys.c: the in-memory key set, loaded lazily (the fuzzer never calls yw_oidc_start). */
const char *yw_oidc_issuer(const yw_app *app);
const char *yw_oidc_audience(const yw_app *app);   /* <issuer>/api */
int yw_oidc_ttl_s(const yw_app *app);
/* The current key of alg; NULL with *e set when none could be loaded or made. */
const yw_oidc_key *yw_oidc_signing_key(const yw_app *app, const char *alg, yw_err *e);
/* Verify a JWT against every published key, re-reading the table once when its kid is unknown
 * (a key another process just made). */
yw_jwt_verdict yw_oidc_jwt_verify(yw_req *r, const char *jwt, json_t **claims, const char **typ);
json_t *yw_oidc_jwks(const yw_app *app, yw_err *e);

/* clients.c */
typedef struct {
	const char *id, *name, *secret_hash, *id_token_alg;
	json_t *redirect_uris, *post_logout_uris, *scopes;
	bool disabled;
	yw_ms created_at, updated_at;
} yw_oidc_client;
/* NOT_FOUND when there is no such client (disabled ones are found; callers check). */
yw_err yw_oidc_client_get(yw_db *db, yw_arena *a, const char *id, yw_oidc_client *out);
/* Whether secret is this client's (SHA-256, constant-time compare). */
bool yw_oidc_client_secret_ok(const yw_oidc_client *c, const char *secret);
void yw_oidc_client_routes(yw_router *rt);
/* The scopes people grant (openid, profile, phone, id_number) with their Chinese text for the
 * consent page; NULL for anything else. */
const char *yw_oidc_user_scope_zh(const char *scope);
/* An action name of roles.def that YW_CLIENT_GRANTABLE lets a department system hold: the
 * scopes of client credentials. */
bool yw_oidc_action_scope(const char *scope);

/* flow.c */
void yw_oidc_flow_routes(yw_router *rt);
/* UNAVAILABLE unless a database and the field keys are configured: every endpoint but discovery
 * needs both, and the fuzzer runs without them. */
yw_err yw_oidc_need_store(yw_req *r);

#endif
