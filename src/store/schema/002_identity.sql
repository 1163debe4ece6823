-- 002 identity: applicants (persons), their server-side sessions and SMS login codes
-- (see src/identity/identity.h).
--
-- ID and mobile numbers are never stored in the clear: *_enc is AES-256-GCM (yw_seal) and
-- *_hash the keyed lookup hash (HMAC-SHA256, yw_lookup_hash) that finds a person by number.
-- Ids are made in C ("p_" + random token), times are UTC epoch milliseconds.
CREATE TABLE persons (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	id_enc TEXT NOT NULL,
	id_hash TEXT NOT NULL UNIQUE,
	mobile_enc TEXT NOT NULL,
	mobile_hash TEXT NOT NULL UNIQUE,
	gender TEXT NOT NULL,
	birth_date TEXT NOT NULL,
	address TEXT,
	password_hash TEXT NOT NULL,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);

-- A session is found by the SHA-256 of its cookie token; the token itself is never stored.
CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,
	person_id TEXT NOT NULL REFERENCES persons (id),
	csrf TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);

CREATE INDEX sessions_person ON sessions (person_id);

-- One-time SMS codes, stored as SHA-256 of (mobile hash, purpose, code).
CREATE TABLE sms_codes (
	mobile_hash TEXT NOT NULL,
	purpose TEXT NOT NULL,
	code_hash TEXT NOT NULL,
	expires_at BIGINT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	used INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);

CREATE INDEX sms_codes_lookup ON sms_codes (mobile_hash, purpose, created_at);
