/*
 * catalog — the service items every channel publishes from one source (同源发布): the basic
 * catalog (基本目录, 12-digit 基本编码), each implementing department's implementation list
 * (实施清单, 31-character 实施编码), the guide (办事指南) of each item with its materials, and the
 * versions of all of it. See docs/catalog.md for what this first step holds and what it does not.
 *
 * It owns the tables catalog_basic_items, catalog_items, catalog_item_versions and
 * catalog_materials (008); db.c holds all their SQL, the only place that touches them. The
 * implementing department is an identity department, asked for through yw_identity_department;
 * this module never reads identity's tables.
 *
 * Data flows: an administrator creates an item from a basic code and a department (api.c); the
 * implementation code is built here from the department's USCC, the level and the basic code,
 * never typed. The create makes version 1 as a draft. Edits go to the draft (a new version copied
 * from the published one when there is no draft). Publishing names the draft's version number and
 * moves it into the item's current version in one statement inside the write that also records
 * the audit entry; a number that is no longer the draft (someone published or replaced it
 * meanwhile) is refused with 409. Public reads see only published versions, every version is
 * kept. Who may edit is decided by yw_authz with CATALOG_MANAGE on the item's department and
 * division.
 */
#ifndef YW_CATALOG_H
#define YW_CATALOG_H

#include "../base/base.h"
#include "../identity/identity.h"

#define YW_CAT_BASIC_LEN 12
#define YW_CAT_IMPL_LEN 31

/* A 基本编码 (STANDARDS.md §5): SS TT MMMMM sss, 12 digits; SS is 00 (national) or a province
 * code 11–82, TT an item type of GB/T 39046 A.1 (00–29), MMMMM a main item number from 00001. */
bool yw_cat_basic_code_ok(const char *code);

/* The parts of a 实施编码. */
typedef struct {
	char uscc[19];      /* the implementing department's USCC */
	int level;          /* 行使层级, GB/T 39046 A.2: 1–7 */
	char basic[13];     /* the 基本编码 */
} yw_cat_code;

/* Build the 实施编码 from its parts into out; BAD_ITEM_CODE when a part is wrong, *why (may be
 * NULL) then naming which, in Chinese. */
yw_err yw_cat_impl_code_make(const char *uscc, int level, const char *basic, char out[32],
                             const char **why);
/* Parse a 实施编码 back into its parts; BAD_ITEM_CODE (wrong length, a USCC whose check character
 * fails, a level outside 1–7, a bad basic code) with *why naming which. */
yw_err yw_cat_impl_code_parse(const char *code, yw_cat_code *out, const char **why);

/* The level (A.2) of an item implemented in a division: 2 province, 3 city, 4 county, 5
 * township; 0 when the division is unknown. */
int yw_cat_level_of_division(const char *division_code);

/* Time limits in working days; NULL means the item has none. BAD_TIME_LIMIT when one is
 * negative or the promised limit is longer than the statutory one. */
yw_err yw_cat_limits_check(const long long *statutory, const long long *promised, const char **why);

/* ---- forms and processes (form.c, process.c), versioned with the item ---------------------- */

/* A form definition (docs/catalog.md "Forms"): fields with names unique in the form, types,
 * constraints, options, conditional visibility and prefill sources. BAD_FORM with *why (in
 * Chinese, naming the field) when it is not a valid definition. */
yw_err yw_cat_form_check(yw_arena *a, json_t *form, const char **why);
/* Values filled into a valid form: each wrong or missing one becomes a field error in fields
 * ({field, reason}); BAD_PARAMETER when there is any. The cases module calls this on submit. */
yw_err yw_cat_form_values_check(yw_arena *a, json_t *form, json_t *values, json_t *fields);

/* A process definition (docs/catalog.md "Processes"): steps with role, department and limit,
 * parallel branches with a join rule (all / any / at least k). BAD_PROCESS with *why when a step
 * is unreachable, a branch never joins, a join rule cannot be met, or a member is wrong. */
yw_err yw_cat_process_check(yw_arena *a, json_t *process, const char **why);
/* The action a task step of `stage` is worked with: a process step's role must grant it, or the
 * step would wait in an inbox nobody can end it from. The cases module grants its transitions
 * by the same actions (rules.c): pre_review, accept and deliver are case.accept, review and
 * decide case.review, make_license case.result. YW_ACT__COUNT for a stage that does not exist. */
yw_action yw_cat_stage_action(const char *stage);

/* ---- for the cases module: what an application is filed against (published.c) ------------- */

struct yw_store;

/* A published version of an item, as a case needs it. Limits are -1 when the item has none.
 * materials is the JSON array of GET /api/v1/items/{code} (each {name, required, condition,
 * source, …}; a case's material slots are their indexes); form and process are NULL when the
 * version has none. Everything belongs to the arena. */
typedef struct {
	const char *code, *name, *department_id, *department_name, *division_code;
	long long version;
	long long statutory, promised;      /* working days, -1: none */
	long long project_type;             /* 1 即办件, 2 承诺件 */
	long long online_depth;
	unsigned service_objects;           /* bit k: GB/T 39046 A.4 code k (1 自然人, 2–6 法人和其他组织); 0: not stated */
	json_t *form, *process, *materials, *guide;
} yw_cat_published;

/* Version `version` of the item (0: the current one), only if it was published:
 * ITEM_NOT_APPLICABLE when the item exists but that version never was (a draft), NOT_FOUND when
 * there is no such item. */
yw_err yw_catalog_published(struct yw_store *st, yw_arena *a, const char *code, long long version,
                            yw_cat_published *out);

/* A theme (一件事) as an application for it needs it: its items' codes in order (published
 * ones only), its name and division, and the merged form (NULL when no item has a form).
 * NOT_FOUND when there is no such theme. */
typedef struct {
	const char *id, *name, *division_code;
	const char **item_codes;
	int nitems;
	json_t *form;
} yw_cat_theme_info;
yw_err yw_catalog_theme(struct yw_store *st, yw_arena *a, const char *id, yw_cat_theme_info *out);

/* ---- loaders: items and themes in bulk (load.c; `yiwang demo`) ----------------------------- */

struct yw_store;
typedef struct {
	json_t *body;            /* a POST /api/v1/items body (department_id and all) */
	long long popularity;    /* how often the item is asked for, for ranking */
	/* set by yw_catalog_load_items */
	const char *code;        /* the implementation code built from the body */
	bool created;            /* false: an item with that code existed, nothing was written */
} yw_cat_load_item;

/* Items for a loader, checked exactly as POST /api/v1/items checks them: those whose code exists
 * already are left as they are; the others are created in one write, each with its audit entry
 * by actor, its popularity, and — with publish — version 1 published at once (and indexed for
 * search). On a bad body nothing is written: its code (BAD_PARAMETER, BAD_ITEM_CODE, …), *bad
 * its index and *why what is wrong, in Chinese. Topic keys the catalog does not know are left
 * out of the bodies rather than refused; *dropped_topics (may be NULL) counts them. */
yw_err yw_catalog_load_items(struct yw_store *st, yw_arena *a, yw_cat_load_item *items, int n,
                             const char *actor, bool publish, int *bad, int *dropped_topics,
                             const char **why);

/* A theme (一件事) for a loader: the body of POST /api/v1/themes, created in its own write with
 * its audit entry unless a theme of that name exists in its division (*created false then).
 * Topic keys the catalog does not know are left out, as for items. */
yw_err yw_catalog_load_theme(struct yw_store *st, yw_arena *a, json_t *body, const char *actor,
                             bool *created, const char **why);

#endif
