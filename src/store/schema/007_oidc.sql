-- OpenID Connect provider (src/oidc): signing keys, registered department systems, single-use
-- authorization codes, and the access tokens revoked before their expiry.

-- Signing keys. The private key is stored as PKCS#8 PEM sealed with the field key (yw_seal), so
-- a copy of the database alone cannot mint tokens. retired_at is NULL for the current key of an
-- algorithm; a retired key stays published in the JWKS until drop_after, when every token it
-- signed has expired, and is then deleted.
CREATE TABLE oidc_keys (
	kid TEXT PRIMARY KEY,
	alg TEXT NOT NULL,
	private_key_sealed TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	retired_at BIGINT,
	drop_after BIGINT
);

-- Registered clients. The secret is kept only as its SHA-256 (hex). URI and scope lists are
-- JSON arrays of strings.
CREATE TABLE oidc_clients (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	secret_hash TEXT NOT NULL,
	redirect_uris TEXT NOT NULL,
	post_logout_redirect_uris TEXT NOT NULL,
	scopes TEXT NOT NULL,
	id_token_alg TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

-- Authorization codes, stored as the SHA-256 of the code. used_at marks redemption (a code is
-- single-use); access_jti is the access token issued for it, revoked if the code comes back.
CREATE TABLE oidc_codes (
	code_hash TEXT PRIMARY KEY,
	client_id TEXT NOT NULL,
	subject_kind TEXT NOT NULL,
	subject_id TEXT NOT NULL,
	redirect_uri TEXT NOT NULL,
	scope TEXT NOT NULL,
	nonce TEXT,
	code_challenge TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT,
	access_jti TEXT
);

CREATE INDEX oidc_codes_expires ON oidc_codes (expires_at);

-- Access tokens are self-contained JWTs and are not stored when issued; a revoked one is
-- listed here until it would have expired anyway.
CREATE TABLE oidc_revoked (
	jti TEXT PRIMARY KEY,
	client_id TEXT NOT NULL,
	expires_at BIGINT NOT NULL,
	revoked_at BIGINT NOT NULL
);
