-- 004 staff: departments, staff and their scoped roles; sessions serve persons and staff alike
-- (see src/identity/identity.h, "authorization").
--
-- A department belongs to one division (GB/T 2260) and may sit under a parent department:
-- the 政务服务管理局 of 宿州市 above its county bureaus. A role is granted to a staff member
-- for a department and a division; the role says which actions, the scope says which objects.

CREATE TABLE departments (
	id TEXT PRIMARY KEY,
	parent_id TEXT REFERENCES departments (id),
	name TEXT NOT NULL,
	uscc TEXT NOT NULL UNIQUE,
	division_code TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE INDEX departments_parent ON departments (parent_id);

-- Staff log in with a user name, a password (GB/T 22239 level 3 policy) and TOTP.
-- totp_secret_enc is the sealed RFC 6238 secret once enrolment is confirmed; totp_last_step is
-- the last time step accepted, so that a code is never accepted twice.
CREATE TABLE staff (
	id TEXT PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	department_id TEXT NOT NULL REFERENCES departments (id),
	password_hash TEXT NOT NULL,
	password_changed_at BIGINT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 1,
	totp_secret_enc TEXT,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);

CREATE INDEX staff_department ON staff (department_id);

-- role is a name of src/identity/roles.def; the scope is a department (with its subtree) and a
-- division (with everything under it).
CREATE TABLE staff_roles (
	staff_id TEXT NOT NULL REFERENCES staff (id),
	role TEXT NOT NULL,
	department_id TEXT NOT NULL REFERENCES departments (id),
	division_code TEXT NOT NULL,
	granted_at BIGINT NOT NULL,
	PRIMARY KEY (staff_id, role, department_id)
);

-- Sessions now belong to a subject of either kind. They are short-lived, so the old table is
-- dropped rather than copied: upgrading logs everyone out once.
DROP TABLE sessions;

CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,
	subject_kind TEXT NOT NULL,
	subject_id TEXT NOT NULL,
	csrf TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);

CREATE INDEX sessions_subject ON sessions (subject_kind, subject_id);
