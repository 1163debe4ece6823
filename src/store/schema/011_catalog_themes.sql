-- 011 themes (一件事) of the catalog (src/catalog/themes.c, docs/catalog.md "Topics and themes").
--
-- A theme bundles published items that people do together (开办企业, 新生儿出生): one row of
-- catalog_themes, and its items in their order in catalog_theme_items. The theme is offered in
-- one division (and, like an item, to the divisions under it); department_id, when set, is the
-- department that looks after it, so that its catalog administrators may edit it. topics holds
-- the keys of the life events and enterprise stages it is browsed under, as a JSON array of
-- strings like catalog_item_versions.topics. The merged form and the material list are not
-- stored: they are built from the items' published versions when the theme is read, so they
-- follow every publish.

CREATE TABLE catalog_themes (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	summary TEXT NOT NULL,
	audience TEXT NOT NULL,
	division_code TEXT NOT NULL,
	department_id TEXT,
	topics TEXT NOT NULL DEFAULT '[]',
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE INDEX catalog_themes_division ON catalog_themes (division_code);

CREATE TABLE catalog_theme_items (
	theme_id TEXT NOT NULL REFERENCES catalog_themes (id),
	seq INTEGER NOT NULL,
	item_code TEXT NOT NULL REFERENCES catalog_items (code),
	PRIMARY KEY (theme_id, seq)
);

CREATE INDEX catalog_theme_items_item ON catalog_theme_items (item_code);
