-- 012 materials: the files applicants upload (src/materials, docs/cases.md "Materials").
--
-- A file's bytes are stored once, under <data>/materials/<first two hex>/<next two hex>/<sha256>,
-- named by their SHA-256 and never by anything a client sent; material_blobs has one row per
-- stored file. A material is one holder's reference to a file: it lives in the holder's own
-- material space (a person's or an organisation's), so that the next application can pick it
-- again. The same file uploaded twice into one space is one material (the partial unique index);
-- uploaded into two spaces, it is two materials over one blob. title is the label the applicant
-- gave, shown and never used as a path. Deleting a material only hides it (deleted_at): a case
-- that was filed with it keeps it.

CREATE TABLE material_blobs (
	sha256 TEXT PRIMARY KEY,
	size BIGINT NOT NULL,
	media_type TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE materials (
	id TEXT PRIMARY KEY,
	owner_kind TEXT NOT NULL,
	owner_id TEXT NOT NULL,
	sha256 TEXT NOT NULL REFERENCES material_blobs (sha256),
	media_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	title TEXT NOT NULL,
	uploaded_by TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	deleted_at BIGINT
);

CREATE INDEX materials_owner ON materials (owner_kind, owner_id, created_at);
CREATE UNIQUE INDEX materials_owner_blob ON materials (owner_kind, owner_id, sha256)
	WHERE deleted_at IS NULL;
