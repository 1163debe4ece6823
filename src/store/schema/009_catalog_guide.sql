-- 009 more of the guide, versioned with the item (src/catalog, docs/catalog.md).
--
-- Each version gains the members that belong to it as JSON documents, checked by the catalog
-- before they are written: aliases (other names the search finds the item by), topics (the life
-- events and enterprise stages it is browsed under), form (the application form's definition),
-- process (the steps and parallel branches a case goes through) and business_items (the
-- 业务办理项 the item is split into, each with its two-digit number; the 33-character code is
-- the item's code and that number, never stored apart). popularity is how often the item is
-- asked for, so that search can rank the common over the rare; it is a property of the item, not
-- of a version.

ALTER TABLE catalog_items ADD COLUMN popularity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE catalog_item_versions ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]';
ALTER TABLE catalog_item_versions ADD COLUMN topics TEXT NOT NULL DEFAULT '[]';
ALTER TABLE catalog_item_versions ADD COLUMN form TEXT;
ALTER TABLE catalog_item_versions ADD COLUMN process TEXT;
ALTER TABLE catalog_item_versions ADD COLUMN business_items TEXT NOT NULL DEFAULT '[]';
