-- 006 organisations (法人), their handlers (经办人) and personal agents (代办/委托)
-- (see src/identity/identity.h, R-ID-012, and docs/identity.md).
--
-- Persons appear only by their id: no ID or mobile number is stored here. The USCC of an
-- organisation is public data and stored as it is. An organisation registered through the API
-- is a claim of the person who registered it, not yet checked against the market-regulation
-- register: verified stays 0 until such a check exists.
--
-- valid_until is a civil date (YYYY-MM-DD) in China Standard Time, inclusive: an authorization
-- lapses at 00:00 Beijing time on the day after. items is '*' (all items) or item codes joined
-- by ','. A revoked authorization keeps its row (revoked_at set), for the record.

CREATE TABLE orgs (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	uscc TEXT NOT NULL UNIQUE,
	org_type TEXT NOT NULL,
	legal_rep_id TEXT NOT NULL REFERENCES persons (id),
	division_code TEXT NOT NULL,
	verified INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);

CREATE INDEX orgs_legal_rep ON orgs (legal_rep_id);

CREATE TABLE org_handlers (
	id TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES orgs (id),
	person_id TEXT NOT NULL REFERENCES persons (id),
	items TEXT NOT NULL,
	valid_until TEXT NOT NULL,
	granted_at BIGINT NOT NULL,
	revoked_at BIGINT
);

CREATE INDEX org_handlers_org ON org_handlers (org_id);
CREATE INDEX org_handlers_person ON org_handlers (person_id);

CREATE TABLE agent_authorizations (
	id TEXT PRIMARY KEY,
	principal_id TEXT NOT NULL REFERENCES persons (id),
	agent_id TEXT NOT NULL REFERENCES persons (id),
	items TEXT NOT NULL,
	valid_until TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	revoked_at BIGINT
);

CREATE INDEX agent_authorizations_principal ON agent_authorizations (principal_id);
CREATE INDEX agent_authorizations_agent ON agent_authorizations (agent_id);
