-- 003 notify: the sandbox SMS inbox (see src/notify/notify.h). Only the masked number is kept in
-- the clear; mobile_hash is the keyed lookup hash, for finding one recipient's messages.
CREATE TABLE sandbox_sms (
	id TEXT PRIMARY KEY,
	to_masked TEXT NOT NULL,
	mobile_hash TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE INDEX sandbox_sms_created ON sandbox_sms (created_at);
