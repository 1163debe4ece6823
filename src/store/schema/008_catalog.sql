-- 008 the service catalog (src/catalog/catalog.h, docs/catalog.md).
--
-- catalog_basic_items is the 基本目录: item definitions named by their 12-digit 基本编码.
-- catalog_items is the 实施清单: one row per implementing department and basic item, named by the
-- 31-character 实施编码 (the department's USCC + 行使层级 + 基本编码, STANDARDS.md §5). The
-- department is an identity department, kept here by id only: this module asks identity for it.
--
-- Every edit of an item is a row of catalog_item_versions, kept for good. catalog_items points at
-- the published one (current_version) and at the one being edited (draft_version); publishing
-- moves draft_version into current_version in one UPDATE, so a reader sees the old version or
-- the new one and never neither. The guide elements that the reform KPIs count (STANDARDS.md
-- §10: time limits, online depth, on-site visits, 即办/承诺件, 进驻大厅, fees) are columns; the rest
-- of the guide is a JSON document in guide. Time limits are in working days (unit code 1 = 工作日,
-- the only unit verified so far); NULL means the item has none.

CREATE TABLE catalog_basic_items (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	item_type TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE catalog_items (
	code TEXT PRIMARY KEY,
	basic_code TEXT NOT NULL REFERENCES catalog_basic_items (code),
	department_id TEXT NOT NULL,
	division_code TEXT NOT NULL,
	level INTEGER NOT NULL,
	current_version INTEGER,
	draft_version INTEGER,
	latest_version INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE INDEX catalog_items_department ON catalog_items (department_id);
CREATE INDEX catalog_items_division ON catalog_items (division_code);

CREATE TABLE catalog_item_versions (
	item_code TEXT NOT NULL REFERENCES catalog_items (code),
	version INTEGER NOT NULL,
	name TEXT NOT NULL,
	item_type TEXT NOT NULL,
	service_objects TEXT NOT NULL,
	statutory_limit INTEGER,
	statutory_unit INTEGER NOT NULL DEFAULT 1,
	promised_limit INTEGER,
	promised_unit INTEGER NOT NULL DEFAULT 1,
	online_depth INTEGER NOT NULL,
	visits INTEGER NOT NULL,
	visits_reason TEXT,
	at_most_once INTEGER NOT NULL,
	project_type INTEGER NOT NULL,
	handling_forms TEXT NOT NULL,
	charged INTEGER NOT NULL,
	in_hall INTEGER NOT NULL,
	guide TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	updated_at BIGINT NOT NULL,
	published_at BIGINT,
	published_by TEXT,
	PRIMARY KEY (item_code, version)
);

CREATE TABLE catalog_materials (
	item_code TEXT NOT NULL,
	version INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	name TEXT NOT NULL,
	source TEXT NOT NULL,
	issuer TEXT,
	originals INTEGER NOT NULL,
	copies INTEGER NOT NULL,
	required INTEGER NOT NULL,
	required_when TEXT,
	reuse TEXT NOT NULL,
	PRIMARY KEY (item_code, version, seq),
	FOREIGN KEY (item_code, version) REFERENCES catalog_item_versions (item_code, version)
);
