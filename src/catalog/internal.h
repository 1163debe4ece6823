/*
 * Shared between the files of catalog only (not its public API): the records that api.c
 * answers with and db.c reads and writes, and the SQL of db.c.
 */
#ifndef YW_CATALOG_INTERNAL_H
#define YW_CATALOG_INTERNAL_H

#include "catalog/catalog.h"
#include "http/http.h"
#include "identity/identity.h"
#include "store/store.h"

#define YW_CAT_NONE (-1000000LL)         /* a time limit the item does not have */

typedef struct {
	const char *name, *source, *issuer, *required_when, *reuse;
	long long originals, copies;
	bool required;
} yw_cat_material;

/* One version of an item's guide. Limits of YW_CAT_NONE: none. The JSON members belong to the
 * arena; aliases, topics and business_items are arrays (maybe empty), form and process NULL
 * when the item has none. */
typedef struct {
	const char *name, *item_type, *service_objects, *visits_reason, *handling_forms;
	long long statutory, promised, online_depth, visits, project_type;
	bool charged, in_hall;
	json_t *guide;
	json_t *aliases;         /* ["户籍迁移", …]: other names search finds the item by */
	json_t *topics;          /* ["birth", …]: keys of yw_cat_topics (topics.c) */
	json_t *form;            /* the form definition (form.c), or NULL */
	json_t *process;         /* the process definition (process.c), or NULL */
	json_t *business_items;  /* [{"seq": 1, "name": "…"}]: the 业务办理项, code = item code + %02d */
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
	long long popularity;                           /* how often it is asked for, for ranking */
	yw_ms created_at, updated_at;
} yw_cat_item;

/* The row readers, for the rows of the list queries below. A list row holds the item's
 * columns, then its version's from YW_CAT_ITEM_NCOLS; the version's materials are not read. */
#define YW_CAT_ITEM_NCOLS 11
void yw_cat_item_row(const yw_rows *rows, int i, yw_cat_item *it);
void yw_cat_version_row(yw_arena *a, const yw_rows *rows, int i, int c, yw_cat_version *v);

/* NOT_FOUND when there is no such item. */
yw_err yw_cat_item_load(yw_db *db, yw_arena *a, const char *code, yw_cat_item *out);
/* One version with its materials; NOT_FOUND when the item has no such version. */
yw_err yw_cat_version_load(yw_db *db, yw_arena *a, const char *code, long long ver,
                           yw_cat_version *out);
/* The columns of the row readers, for the queries of other files of this module (search.c):
 * "SELECT " YW_CAT_ITEM_COLS ", " YW_CAT_VERSION_COLS " FROM catalog_items i JOIN
 * catalog_item_versions v …". */
extern const char YW_CAT_ITEM_COLS[], YW_CAT_VERSION_COLS[];
/* Items for their editors after cursor, in code order, each with its newest version (the
 * draft, else the published one): status "all", "draft" (those with a draft) or "published";
 * an empty dept or like does not filter; like is already escaped with '\'. */
yw_err yw_cat_managed_query(yw_db *db, yw_arena *a, const char *cursor, const char *dept,
                            const char *like, const char *status, long long limit, yw_rows **rows);
/* A LIKE pattern matching q anywhere, with %, _ and \ taken literally (escape '\'). */
const char *yw_cat_like_pattern(yw_arena *a, const char *q);
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

/* ---- the first steps of every handler (handler.c) ---------------------------------------- */

yw_err yw_cat_need_store(yw_req *r);      /* UNAVAILABLE without a database */
yw_err yw_cat_gate(yw_req *r);            /* … and UNAUTHENTICATED when anonymous */
/* … and FORBIDDEN unless some role of the caller grants catalog.manage somewhere: who can edit
 * no item is told so before anything is read, rather than given an empty answer. */
yw_err yw_cat_editor_gate(yw_req *r);
const char *yw_cat_actor(yw_req *r);      /* "staff:…", as the audit log names the caller */
/* An item as yw_authz sees it. */
yw_object yw_cat_item_object(const char *code, const char *department_id, const char *division_code);

/* ---- the records to and from JSON (json.c) ---------------------------------------------- */

/* The full answer for one version of an item, as GET /api/v1/items/{code} gives it. */
json_t *yw_cat_item_json(yw_store *st, yw_arena *a, const yw_cat_item *it, const yw_cat_version *v);
/* The short form of a list row: code, name, department, division, the badges' facts. */
json_t *yw_cat_item_brief_json(yw_store *st, yw_arena *a, const yw_cat_item *it,
                               const yw_cat_version *v);
json_t *yw_cat_department_json(yw_store *st, yw_arena *a, const char *id);
json_t *yw_cat_division_name(const char *code);
json_t *yw_cat_limit_json(long long v);
json_t *yw_cat_codes_json(const char *text);

bool yw_cat_present(json_t *body, const char *key);
/* Members of a request body; on a wrong one the field error goes into fields. */
bool yw_cat_int_field(json_t *body, const char *key, long long min, long long max, long long *out,
                      json_t *fields, const char *reason);
const char *yw_cat_text_field(yw_arena *a, json_t *body, const char *key, int max, json_t *fields);
/* Apply the guide members present in body onto g (on create every required member must be
 * there); each wrong member becomes a field error. The form and the process are not checked
 * here but by yw_cat_definitions_check, since they answer with codes of their own. */
void yw_cat_guide_fields(yw_arena *a, json_t *body, yw_cat_guide *g, bool create, json_t *fields);
/* BAD_FORM or BAD_PROCESS (with *why) when body's form or process is present and wrong. */
yw_err yw_cat_definitions_check(yw_arena *a, json_t *body, const char **why);
/* The limit rules on a whole version, with their detail: BAD_TIME_LIMIT (R: not negative, the
 * promised within the statutory), BAD_PROCESS (the process takes longer than the statutory). */
yw_err yw_cat_guide_limits(yw_arena *a, const yw_cat_guide *g, const char **why);

/* ---- a new item, shared by the API, the import and the demo (api.c) ---------------------- */

/* An item ready to be written: built from a POST /api/v1/items body and checked, codes made. */
typedef struct {
	yw_cat_item it;
	const char *basic_name;
	yw_cat_guide g;
} yw_cat_new;

/* Check body and build the item. BAD_PARAMETER with the field errors in fields; otherwise a
 * code of its own (UNKNOWN_DEPARTMENT, BAD_ITEM_CODE, BAD_TIME_LIMIT, BAD_FORM, BAD_PROCESS)
 * with *why. The department is read through identity; no authorization is asked here. */
yw_err yw_cat_new_prepare(yw_store *st, yw_arena *a, json_t *body, yw_cat_new *out,
                          json_t *fields, const char **why);
/* Inside a write: the item with version 1 as a draft, and its audit entry; with publish, version
 * 1 published at once (the import and the demo). ITEM_EXISTS (with *why) when the code is
 * taken. */
yw_err yw_cat_new_write(yw_db *tx, yw_arena *a, const yw_cat_new *n, const char *actor, yw_ms now,
                        bool publish, const char **why);

/* ---- what is kept rendered: published guides, departments (cache.c) -------------------------------------------- */

/* The answer kept for that version of the item, copied into the arena with its length and the
 * time it was built; NULL when there is none (or it is too old). */
const char *yw_cat_cache_get(yw_arena *a, const char *code, long long version, yw_ms now,
                             size_t *len, yw_ms *built);
void yw_cat_cache_put(const char *code, long long version, yw_ms now, const char *body, size_t len);
/* A department as items show it ({id, name, uscc} as JSON text), by id; NULL when not kept. */
const char *yw_cat_dept_cache_get(yw_arena *a, const char *id, yw_ms now);
void yw_cat_dept_cache_put(const char *id, yw_ms now, const char *json_text);
/* How many postings a search term has (counted up to a cap), kept for the search's planning. */
bool yw_cat_term_count_get(yw_arena *a, const char *term, yw_ms now, long long *count);
void yw_cat_term_count_put(yw_arena *a, const char *term, yw_ms now, long long count);

/* ---- the parts other files own ---------------------------------------------------------- */

/* search.c: GET /api/v1/items (search, filters, browse) and the index behind it. */
void yw_cat_search_routes(yw_router *rt);
/* Inside the publishing write: make the search index of the item say what version v says. */
yw_err yw_cat_search_index(yw_db *tx, yw_arena *a, const yw_cat_item *it, const yw_cat_version *v);

/* search.c, its pure parts (tests/unit/test_search.c). Normalised text is runs of word
 * characters (CJK, a-z, 0-9) joined by one space. */
/* Full-width forms to half-width, ASCII to lower case, cut into runs; no OpenCC. */
const char *yw_cat_search_fold(yw_arena *a, const char *in);
/* yw_cat_search_fold with traditional characters made simplified (OpenCC t2s) on the way. */
const char *yw_cat_search_normalise(yw_arena *a, const char *in);
/* The distinct terms of a normalised text, sorted: each run's bigrams, and its unigrams when
 * unigrams (or, with single, those of a run of one character). Returns the count. */
int yw_cat_search_terms(yw_arena *a, const char *norm, bool unigrams, bool single, const char ***out);
/* The pinyin initials of a normalised text, one token per character: a letter, a digit, a set
 * "[hx]" for a polyphone, '?' when unknown; runs stay apart by a space. */
const char *yw_cat_search_initials(yw_arena *a, const char *norm);
/* Whether the letters q match consecutive tokens of one run of such a pattern. */
bool yw_cat_search_initials_match(const char *pattern, const char *q);

/* topics.c and themes.c: the life events and enterprise stages, and the themes (一件事). */
void yw_cat_theme_routes(yw_router *rt);
/* The topic of that key ("birth", "startup" …), or NULL when there is none. */
const char *yw_cat_topic_name(const char *key);
/* Inside a write: create a theme from body (the members of POST /api/v1/themes), or replace the
 * theme body.id names when it exists; its audit entry in the same write. *id_out gets the id.
 * BAD_PARAMETER with the field errors in fields; THEME_ITEM_UNAVAILABLE (an item that does not
 * exist or is not published), THEME_ITEM_OUTSIDE_DIVISION or THEME_EXISTS with *why. No
 * authorization is asked here (the demo loader; the API asks before). */
yw_err yw_cat_theme_put(yw_db *tx, yw_arena *a, json_t *body, const char *actor, yw_ms now,
                        const char **id_out, json_t *fields, const char **why);

/* process.c, beyond yw_cat_process_check: the longest a case can take, in working days, when
 * every step uses its whole limit and each join waits for the branches its rule needs (BAD_PROCESS
 * with *why when the process is not valid); and the rule that this must not exceed the item's
 * statutory limit (YW_CAT_NONE: no limit, anything fits). */
yw_err yw_cat_process_days(yw_arena *a, json_t *process, long long *days, const char **why);
yw_err yw_cat_process_fits(yw_arena *a, json_t *process, long long statutory, const char **why);
/* Whether s looks like an identity department id ("d_" and base64url); existence is not asked. */
bool yw_cat_dept_id_plausible(const char *s);

/* transfer.c: import and export of items (JSON and xlsx, the national sync layout). */
void yw_cat_transfer_routes(yw_router *rt);

#endif
