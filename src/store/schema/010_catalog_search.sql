-- 010 the catalog's search index (src/catalog/search.c, docs/catalog.md "Search").
--
-- Plain tables, the same on SQLite and PostgreSQL (no full-text extension): search.c writes them
-- inside the publishing write, from the published version, so the index says what the portal
-- shows. Text is normalised first (full-width to half-width, lower case, traditional to
-- simplified by OpenCC) and cut into runs of word characters.
--
-- catalog_search_docs: one row per published item, numbered (doc) so that the postings carry a
-- small integer rather than the 31-character code — the normalised name, aliases and guide text
-- and the pinyin initials of name and aliases, against which a candidate is verified (a query
-- matches where its text occurs whole, not only its pieces); the published name for the instant
-- suggestions; and the facts the list filters on (service objects and topics as ",1,2," and
-- ",birth,work," so that a LIKE '%,2,%' picks one).
--
-- catalog_search_terms: the postings — each unigram and bigram of the name and the aliases, each
-- bigram of the guide text, and each pair of adjacent pinyin initials of the name and the
-- aliases ("^hk"), with the field they occur in (3 name, 2 alias, 1 text) and the rank the
-- search orders by: (4 - field) * 10^12 - popularity, lower first, so that name beats alias
-- beats text and the popular come first within each; equal ranks go by doc, the order in which
-- items were first published. The index on (term, rank, doc) hands
-- a query its best postings first: a page of a two-character query reads about a page of rows,
-- however many items share the bigram. rank copies catalog_items.popularity at publish time:
-- changing popularity means indexing the item again (yw_cat_search_index).

CREATE TABLE catalog_search_docs (
	item_code TEXT PRIMARY KEY,
	doc BIGINT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	name_norm TEXT NOT NULL,
	alias_norm TEXT NOT NULL,
	text_norm TEXT NOT NULL,
	name_initials TEXT NOT NULL,
	alias_initials TEXT NOT NULL,
	department_id TEXT NOT NULL,
	division_code TEXT NOT NULL,
	service_objects TEXT NOT NULL,
	topics TEXT NOT NULL,
	online_depth INTEGER NOT NULL,
	at_most_once INTEGER NOT NULL,
	rank BIGINT NOT NULL
);

CREATE INDEX catalog_search_docs_rank ON catalog_search_docs (rank, doc);

CREATE TABLE catalog_search_terms (
	doc BIGINT NOT NULL,
	field INTEGER NOT NULL,
	term TEXT NOT NULL,
	rank BIGINT NOT NULL,
	PRIMARY KEY (doc, field, term)
);

CREATE INDEX catalog_search_terms_rank ON catalog_search_terms (term, rank, doc);

-- The next doc number: one row, taken with UPDATE … RETURNING inside the publishing write (on
-- PostgreSQL the row lock makes two first publishes take two numbers).
CREATE TABLE catalog_search_seq (
	id INTEGER PRIMARY KEY,
	next_doc BIGINT NOT NULL
);

INSERT INTO catalog_search_seq (id, next_doc) VALUES (1, 0);
