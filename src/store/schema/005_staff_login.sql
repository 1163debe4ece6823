-- 005 staff login: the ticket between the password step and the TOTP step of a staff login
-- (see src/identity/staff_api.c, R-ID-010 and R-ID-011 in src/identity/identity.h).
--
-- The client holds the ticket; only its SHA-256 is stored. stage is 'totp' (a code of the
-- enrolled secret is expected) or 'enrol' (pending_secret_enc holds the sealed secret shown for
-- enrolment, which becomes the staff member's only once a code of it is confirmed). A ticket
-- lives 5 minutes and is spent by the first right code; no session exists before that.
CREATE TABLE staff_login_tickets (
	id_hash TEXT PRIMARY KEY,
	staff_id TEXT NOT NULL REFERENCES staff (id),
	stage TEXT NOT NULL,
	pending_secret_enc TEXT,
	expires_at BIGINT NOT NULL,
	used INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);

CREATE INDEX staff_login_tickets_staff ON staff_login_tickets (staff_id);
