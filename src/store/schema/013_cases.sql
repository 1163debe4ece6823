-- 013 cases: applications and their handling (src/cases, docs/cases.md).
--
-- cases has one row per application (办件), a draft included (serial NULL until it is
-- submitted). Its state follows the legal lifecycle of docs/cases.md; version grows with every
-- change, so that two clerks acting on one case at once cannot both succeed. Dates that time
-- limits are counted in are civil dates in China Standard Time stored as yyyymmdd integers
-- (20261130): they order correctly and read at a glance. due_on is NULL while the clock is
-- paused (supplement, suspension) or when the calendar does not reach the due day yet.
--
-- case_tasks is the work: one row per step a department has to take (pre-review, a review, a
-- parallel branch, the decision, making the result, delivery), each with its own limit and due
-- day. The staff inbox reads the open ones through case_tasks_inbox, most urgent (earliest due)
-- first; the case's item, channel and state are copied onto each task so that the inbox filters
-- without a join over a million cases.
--
-- case_trail is the case's own history as the applicant and staff see it (the audit chain has
-- the same events, tamper-evident). case_materials says which of the holder's materials were
-- filed for which of the item's required materials. case_serials hands out serial numbers per
-- division and day. case_idempotency remembers submissions by Idempotency-Key.

CREATE TABLE cases (
	id TEXT PRIMARY KEY,
	serial TEXT UNIQUE,
	parent_id TEXT REFERENCES cases (id),
	theme_id TEXT,
	item_code TEXT,
	item_version BIGINT,
	item_name TEXT NOT NULL,
	department_id TEXT,
	division_code TEXT NOT NULL,
	applicant_kind TEXT NOT NULL,
	applicant_id TEXT NOT NULL,
	applicant_name TEXT NOT NULL,
	filed_by TEXT NOT NULL,
	channel TEXT NOT NULL,
	state TEXT NOT NULL,
	state_before TEXT,
	form TEXT NOT NULL DEFAULT '{}',
	delivery TEXT,
	name_hash TEXT,
	phone4_hash TEXT,
	project_type INTEGER NOT NULL DEFAULT 2,
	limit_days INTEGER,
	extension_days INTEGER NOT NULL DEFAULT 0,
	paused_workdays INTEGER NOT NULL DEFAULT 0,
	paused_since INTEGER,
	pause_kind TEXT,
	submitted_on INTEGER,
	accepted_on INTEGER,
	due_on INTEGER,
	supplement TEXT,
	decision TEXT,
	decision_reasons TEXT,
	decision_basis TEXT,
	delivery_record TEXT,
	close_reason TEXT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	submitted_at BIGINT,
	decided_at BIGINT,
	closed_at BIGINT,
	version BIGINT NOT NULL DEFAULT 1
);

CREATE INDEX cases_applicant ON cases (applicant_kind, applicant_id, updated_at);
CREATE INDEX cases_parent ON cases (parent_id);
CREATE INDEX cases_department ON cases (department_id, state, submitted_at);

CREATE TABLE case_tasks (
	id TEXT PRIMARY KEY,
	case_id TEXT NOT NULL REFERENCES cases (id),
	step_id TEXT NOT NULL,
	name TEXT NOT NULL,
	stage TEXT NOT NULL,
	role TEXT NOT NULL,
	department_id TEXT NOT NULL,
	division_code TEXT NOT NULL,
	split_id TEXT,
	state TEXT NOT NULL,
	limit_days INTEGER,
	started_on INTEGER NOT NULL,
	due_on INTEGER,
	paused_workdays INTEGER NOT NULL DEFAULT 0,
	item_code TEXT,
	channel TEXT NOT NULL,
	case_state TEXT NOT NULL,
	submitted_at BIGINT,
	outcome_by TEXT,
	outcome_reason TEXT,
	created_at BIGINT NOT NULL,
	closed_at BIGINT
);

CREATE INDEX case_tasks_case ON case_tasks (case_id);
-- The inbox: equality on the department, the role and the stage, then due day and id in order,
-- and the case's state, division and the task's own state inside the index (SQLite does not read
-- a partial index's condition as a column), so that a page of ids and the counts per state are read
-- from the index alone, whatever the number of closed tasks.
CREATE INDEX case_tasks_inbox ON case_tasks (department_id, role, stage, due_on, id, case_state,
	division_code, state) WHERE state = 'open';

CREATE TABLE case_trail (
	case_id TEXT NOT NULL REFERENCES cases (id),
	seq INTEGER NOT NULL,
	at BIGINT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	from_state TEXT,
	to_state TEXT,
	task_id TEXT,
	note TEXT,
	PRIMARY KEY (case_id, seq)
);

CREATE TABLE case_materials (
	case_id TEXT NOT NULL REFERENCES cases (id),
	slot INTEGER NOT NULL,
	material_id TEXT NOT NULL,
	PRIMARY KEY (case_id, slot, material_id)
);

CREATE TABLE case_serials (
	division_code TEXT NOT NULL,
	day INTEGER NOT NULL,
	last BIGINT NOT NULL,
	PRIMARY KEY (division_code, day)
);

CREATE TABLE case_idempotency (
	caller TEXT NOT NULL,
	key TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	case_id TEXT NOT NULL REFERENCES cases (id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (caller, key)
);
