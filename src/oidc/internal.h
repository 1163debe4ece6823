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

/* flow.c: the one route list of the endpoints (which file answers which is in its opening
 * comment), discovery, and the helpers the endpoint files below share. */
void yw_oidc_flow_routes(yw_router *rt);
/* UNAVAILABLE unless a database and the field keys are configured: every endpoint but discovery
 * needs both, and the fuzzer runs without them. */
yw_err yw_oidc_need_store(yw_req *r);
/* Percent-encodes everything but RFC 3986's unreserved characters. */
char *yw_oidc_pct(yw_arena *a, const char *s);
/* application/x-www-form-urlencoded (a body, or a query string). A parameter given twice makes
 * the request invalid (RFC 6749 §3.1, §3.2). */
#define YW_OIDC_FORM_MAX 32
typedef struct {
	int n;
	const char *k[YW_OIDC_FORM_MAX], *v[YW_OIDC_FORM_MAX];
	bool bad;       /* a repeated parameter, a malformed escape, too many */
} yw_oidc_form;
void yw_oidc_form_parse(yw_arena *a, const char *s, size_t len, yw_oidc_form *f);
/* The value, or NULL when absent; an empty value counts as absent (RFC 6749 §3.1). */
const char *yw_oidc_form_get(const yw_oidc_form *f, const char *k);
/* Steps over the next space-separated word of *p (a scope list, RFC 6749 §3.3): false at the end;
 * else *w is the word in the arena, NULL when out of memory. */
bool yw_oidc_next_word(yw_arena *a, const char **p, char **w);
bool yw_oidc_has_word(const char *list, const char *word);
bool yw_oidc_json_has(const json_t *arr, const char *s);
/* A 302 to location, not cached. */
yw_err yw_oidc_redirect(yw_req *r, const char *location);
/* A JWT claim: the integer (0 when absent or not one), the string (NULL likewise). */
long long yw_oidc_claim_int(json_t *claims, const char *k);
const char *yw_oidc_claim_str(json_t *claims, const char *k);
/* A person or staff member with a session (not a bearer token, not anonymous). */
bool yw_oidc_signed_in(const yw_req *r);

/* The endpoint handlers, registered by yw_oidc_flow_routes in one list.
 * authorize.c: the browser's side of the code flow, up to a stored code. */
yw_err yw_oidc_authorize(yw_req *r);            /* GET /oauth/authorize */
yw_err yw_oidc_authorization_info(yw_req *r);   /* GET /api/v1/oidc/authorization */
yw_err yw_oidc_consent(yw_req *r);              /* POST /api/v1/oidc/consent */
/* token.c: where a client authenticates with its secret; mints access tokens. */
yw_err yw_oidc_token(yw_req *r);                /* POST /oauth/token */
yw_err yw_oidc_revoke(yw_req *r);               /* POST /oauth/revoke */
/* bearer.c: tokens coming back (besides the hook, yw_oidc_before and yw_oidc_bearer in oidc.h). */
yw_err yw_oidc_userinfo(yw_req *r);             /* GET|POST /oauth/userinfo */
yw_err yw_oidc_end_session(yw_req *r);          /* GET /oauth/end-session */

#endif
