/*
 * Shared between the files of catalog only (not its public API): the records that api.c
 * answers with and db.c reads and writes, and the SQL of db.c.
 */
#ifndef YW_CATALOG_INTERNAL_H
#define YW_CATALOG_INTERNAL_H

#include "catalog/catalog.h"
#include "store/store.h"

#define YW_CAT_NONE (-1000000LL)         /* a time limit the item does not have */

typedef struct {
	const char *name, *source, *issuer, *required_when, *reuse;
	long long originals, copies;
	bool required;
} yw_cat_material;

/* One version of an item's guide. Limits of YW_CAT_NONE: none. */
typedef struct {
	const char *name, *item_type, *service_objects, *visits_reason, *handling_forms;
	long long statutory, promised, online_depth, visits, project_type;
	bool charged, in_hall;
	json_t *guide;
	yw_cat_material *mats;
	int nmats;
} yw_cat_guide;

typedef struct {
	long long version;
	yw_ms created_at, updated_at, published_at;   /* published_at 0: never published */
	const char *created_by, *published_by;
	yw_cat_guide g;
} yw_cat_version;

typedef struct {
	const char *code, *basic_code, *department_id, *division_code;
	long long level, current, draft, latest;        /* current, draft 0: none */
	yw_ms created_at, updated_at;
} yw_cat_item;

/* The row readers, for the rows of the list queries below. A list row holds the item's
 * columns, then its version's from YW_CAT_ITEM_NCOLS; the version's materials are not read. */
#define YW_CAT_ITEM_NCOLS 10
void yw_cat_item_row(const yw_rows *rows, int i, yw_cat_item *it);
void yw_cat_version_row(yw_arena *a, const yw_rows *rows, int i, int c, yw_cat_version *v);

/* NOT_FOUND when there is no such item. */
yw_err yw_cat_item_load(yw_db *db, yw_arena *a, const char *code, yw_cat_item *out);
/* One version with its materials; NOT_FOUND when the item has no such version. */
yw_err yw_cat_version_load(yw_db *db, yw_arena *a, const char *code, long long ver,
                           yw_cat_version *out);
/* Published items after cursor, in code order, item and version columns (row readers above);
 * an empty dept, like or prefix does not filter. like is already escaped with '\'. */
yw_err yw_cat_items_query(yw_db *db, yw_arena *a, const char *cursor, const char *dept,
                          const char *like, const char *prefix, const char *const up[3],
                          long long limit, yw_rows **rows);
/* Every version of an item, newest first, version columns only. */
yw_err yw_cat_versions_query(yw_db *db, yw_arena *a, const char *code, yw_rows **rows);

/* Writes, inside a yw_store_write. */
/* The basic item (kept when it exists), the item and its version 1; *taken when the item's
 * code is already used, and then nothing of the item is written. */
yw_err yw_cat_item_insert(yw_db *tx, yw_arena *a, const yw_cat_item *it, const char *basic_name,
                          const yw_cat_guide *g, const char *actor, yw_ms now, bool *taken);
/* Touch the item first: on PostgreSQL that takes its row lock, so two edits of one item run one
 * after the other. */
yw_err yw_cat_item_lock(yw_db *tx, const char *code, yw_ms now);
yw_err yw_cat_version_insert(yw_db *tx, yw_arena *a, const char *code, long long ver,
                             const yw_cat_guide *g, const char *actor, yw_ms now);
/* A draft edited in place: its row and its materials replaced, its creation kept. */
yw_err yw_cat_version_replace(yw_db *tx, yw_arena *a, const char *code, long long ver,
                              const yw_cat_guide *g, yw_ms now, yw_ms created_at,
                              const char *created_by);
/* Make ver the draft and the latest version, only while latest is still the latest
 * (*changed 0 otherwise: someone else started a version meanwhile). */
yw_err yw_cat_draft_open(yw_db *tx, const char *code, long long ver, long long latest, yw_ms now,
                         long long *changed);
/* The flip: the draft becomes current, only when it is still ver (*changed 0 otherwise). */
yw_err yw_cat_publish_flip(yw_db *tx, const char *code, long long ver, yw_ms now,
                           long long *changed);
yw_err yw_cat_version_mark_published(yw_db *tx, const char *code, long long ver, yw_ms now,
                                     const char *actor);

#endif
