/*
 * oidc — the OpenID Connect provider through which department systems sign people in (single
 * sign-on) and call yiwang's API as themselves (client credentials).
 *
 * It owns the tables of 007_oidc.sql: oidc_keys (signing keys, the private half sealed with the
 * field key), oidc_clients (registered department systems; only the SHA-256 of a secret),
 * oidc_codes (single-use authorization codes) and oidc_revoked (access tokens revoked before they
 * expire). People and staff are identity's: this module asks identity's public functions for the
 * caller, for claims and to end a session, never its tables.
 *
 * Data flows:
 *   keys      created on first start (one RS256, one ES256), cached in memory with their
 *             OpenSSL handles and re-read from the table every 5 s, so a rotation made by
 *             `yiwang oidc rotate-keys` in another process reaches the server; a rotated key
 *             stays in /.well-known/jwks.json until every token it signed has expired.
 *   code flow /oauth/authorize validates the client and the exact redirect URI (errors before
 *             that are shown, never redirected), then sends the browser to the consent page
 *             /sso/consent (via /login?next= for an anonymous visitor); the page reads
 *             GET /api/v1/oidc/authorization and POSTs the decision (with CSRF) to
 *             /api/v1/oidc/consent, which stores the hash of a 60-second code and answers with
 *             the redirect URL. /oauth/token redeems the code once (PKCE S256) for an ID token
 *             and an access token; a code presented again revokes what it gave.
 *   tokens    access tokens are ES256 JWTs (typ at+jwt, aud = <issuer>/api, a jti) that are
 *             not stored; the hook checks the signature, audience, expiry and the revocation
 *             list on every request that carries "Authorization: Bearer".
 *   machines  client credentials: the scopes are action names of roles.def within what the
 *             registration allows; the hook turns such a token into a yw_caller of kind
 *             "client", and yw_authz decides as for anyone else.
 */
#ifndef YW_OIDC_H
#define YW_OIDC_H

#include "../base/base.h"
#include "../http/http.h"

struct yw_store;
struct evp_pkey_st;

/* ---- the running provider ---------------------------------------------------------------- */

/* Registers the discovery and JWKS documents, the /oauth endpoints and /api/v1/oidc on rt. */
void yw_oidc_routes(yw_router *rt);
/* At serve start, once the port is known: fixes the issuer (public-url, else
 * http://<listen host>:<port>) and loads the signing keys, creating them on a first start. */
yw_err yw_oidc_start(const yw_app *app, int port, char *err, size_t errlen);
/* Frees the cached keys (at shutdown, after the server stopped). */
void yw_oidc_stop(void);

/* The application's authentication hook: a request with "Authorization: Bearer" is decided by
 * yw_oidc_bearer alone; POST /oauth/token and /oauth/revoke, whose callers authenticate as
 * clients in the request itself, run anonymous and without the CSRF header; everything else
 * goes to yw_identity_before (session cookie and CSRF). */
yw_err yw_oidc_before(yw_req *r);
/* A bearer access token: valid → r->principal is the client (yw_caller kind "client" with the
 * token's scopes; a user's token grants no action outside userinfo); anything wrong → 401
 * problem with TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED or TOKEN_WRONG_AUDIENCE. */
yw_err yw_oidc_bearer(yw_req *r);

/* `yiwang oidc rotate-keys`: a new current key for each algorithm; the previous ones retire and
 * are dropped once every token they signed has expired. Prints nothing; *summary (static text
 * or NULL) names the new key ids. */
yw_err yw_oidc_rotate_keys(struct yw_store *s, struct yw_keys *k, const yw_config *c,
                           char *summary, size_t len);

/* ---- the pure parts (tests/unit/test_oidc.c) --------------------------------------------- */

/* PKCE (RFC 7636): a verifier is 43–128 characters of [A-Za-z0-9-._~]; S256 is
 * base64url(SHA-256(verifier)). The check compares in constant time. */
bool yw_oidc_pkce_verifier_ok(const char *verifier);
void yw_oidc_pkce_s256(const char *verifier, char out[44]);
bool yw_oidc_pkce_check(const char *verifier, const char *challenge);

/* A redirect URI a client may register: absolute, https (http only for localhost, 127.0.0.1
 * and [::1]), a host, no user info, no fragment, no spaces or control characters, at most
 * 2000 bytes. NULL when fine, else a Chinese reason. */
const char *yw_oidc_redirect_uri_problem(const char *uri);
/* Whether uri is in the registered list, compared exactly (RFC 6749 §3.1.2.3, no prefix or
 * case folding). */
bool yw_oidc_redirect_uri_listed(const char *uri, const json_t *registered);

/* A signing key with its OpenSSL handle. */
typedef struct {
	char kid[40];
	char alg[8];                  /* "RS256" or "ES256" */
	struct evp_pkey_st *pkey;
	yw_ms created_at, retired_at, drop_after;   /* retired_at 0: current */
} yw_oidc_key;

/* A fresh key of alg (RSA 2048 or P-256); 0 ok. Free with yw_oidc_key_free. */
int yw_oidc_key_generate(const char *alg, yw_oidc_key *out);
/* The private key as PKCS#8 PEM in the arena, and back. */
char *yw_oidc_key_pem(yw_arena *a, const yw_oidc_key *k);
int yw_oidc_key_from_pem(const char *pem, const char *alg, const char *kid, yw_oidc_key *out);
void yw_oidc_key_free(yw_oidc_key *k);
/* The public JWK {kty, kid, alg, use:"sig", n/e or crv/x/y} (a new reference). */
json_t *yw_oidc_key_jwk(const yw_oidc_key *k);

/* A compact JWS of claims signed with k, header {alg, kid, typ}. NULL on failure. */
char *yw_jwt_sign(yw_arena *a, const yw_oidc_key *k, const char *typ, const json_t *claims);
typedef enum { YW_JWT_OK, YW_JWT_MALFORMED, YW_JWT_UNKNOWN_KEY, YW_JWT_BAD_SIGNATURE } yw_jwt_verdict;
/* Checks the signature against the key its kid names among keys (whose alg must match the
 * header's; "none" and any other alg are refused). On YW_JWT_OK *claims is the payload (owned
 * by the arena) and *typ the header's typ (or NULL). Claims are not judged here. */
yw_jwt_verdict yw_jwt_verify(yw_arena *a, const char *jwt, const yw_oidc_key *const *keys, int nkeys,
                             json_t **claims, const char **typ);

#endif
