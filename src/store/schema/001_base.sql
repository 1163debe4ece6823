-- 001 base: the hash-chained audit log (see src/audit/audit.h).
--
-- Written in the dialect SQLite and PostgreSQL both accept: BIGINT for integers that may pass
-- 2^31 (epoch milliseconds, sequence numbers), TEXT for strings, BYTEA for bytes. The
-- schema_migrations table is not here: the migrator creates it before it can run this file.

-- One row per state change. seq is given by audit_head, not by the database, so that the
-- sequence has no gaps and a gap always means a deleted entry.
CREATE TABLE audit_log (
	seq BIGINT PRIMARY KEY,
	at BIGINT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id TEXT NOT NULL,
	old_value TEXT,
	new_value TEXT,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);

CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);

-- The chain's head: the last sequence number and its hash. Every append updates this one row
-- first, which makes concurrent appenders on PostgreSQL queue behind its row lock; it also lets
-- verification notice entries deleted from the end, which leave no gap behind them.
CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL
);

INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
