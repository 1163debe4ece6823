/*
 * Topics (life events and enterprise stages) and themes (一件事), docs/catalog.md "Topics and
 * themes":
 *   GET   /api/v1/topics                              public: the fixed list below
 *   GET   /api/v1/themes?division=&audience=&topic=   public: the themes offered there
 *   GET   /api/v1/themes/{id}                         public: a theme with its items, one merged
 *                                                     form and one deduplicated material list
 *   POST  /api/v1/themes                              CATALOG_MANAGE over the theme's division
 *   PATCH /api/v1/themes/{id}                         (and department, when it names one)
 *
 * The topics are a list in code, not a table: items, themes, search and the browse pages all
 * name them by key, and a key that changed under them would silently empty a page.
 *
 * A theme holds only published items (checked inside the write that saves it, so what is
 * checked is what commits) offered wherever the theme is: items of its own division or of one
 * above it (a city item serves a district's theme; a district item cannot serve a city's). The merged form and the material list are not
 * stored but built on each read from the items' published versions, so that they follow every
 * publish without a second copy to keep in step. Tables: 011_catalog_themes.sql; this file holds
 * all their SQL.
 */
#include <string.h>

#include "audit/audit.h"
#include "catalog/internal.h"
#include "http/http.h"
#include "identity/identity.h"
#include "ref/ref.h"

#define MAX_THEME_ITEMS 50
#define MAX_THEME_NAME 50
#define MAX_SUMMARY 500
#define MAX_THEMES_LISTED 500

/* ---- topics ------------------------------------------------------------------------------ */

static const struct {
	const char *key, *name, *kind;
} topics[] = {
	{ "birth", "出生", "life_event" },
	{ "household", "户籍", "life_event" },
	{ "school", "上学", "life_event" },
	{ "work", "就业", "life_event" },
	{ "marriage", "婚姻", "life_event" },
	{ "housing", "住房", "life_event" },
	{ "travel", "出行", "life_event" },
	{ "social_security", "社保", "life_event" },
	{ "health", "医疗", "life_event" },
	{ "retirement", "养老", "life_event" },
	{ "death", "身后", "life_event" },
	{ "startup", "开办", "enterprise_stage" },
	{ "permits", "准营", "enterprise_stage" },
	{ "operation", "经营", "enterprise_stage" },
	{ "change", "变更", "enterprise_stage" },
	{ "construction", "投资建设", "enterprise_stage" },
	{ "tax", "纳税", "enterprise_stage" },
	{ "closing", "注销", "enterprise_stage" },
};

#define NTOPICS (sizeof topics / sizeof topics[0])

const char *yw_cat_topic_name(const char *key)
{
	for (size_t i = 0; key && i < NTOPICS; i++)
		if (!strcmp(topics[i].key, key))
			return topics[i].name;
	return NULL;
}

static yw_err topics_list(yw_req *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < NTOPICS; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "key", topics[i].key, "name",
		                                     topics[i].name, "kind", topics[i].kind));
	yw_reply_header(r, "Cache-Control", "public, max-age=3600");
	return yw_reply_json(r, 200, json_pack("{s:o}", "topics", arr));
}

static json_t *topics_json(json_t *keys)
{
	json_t *arr = json_array();
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k)
		json_array_append_new(arr, json_pack("{s:s?, s:s?}", "key", json_string_value(k), "name",
		                                     yw_cat_topic_name(json_string_value(k))));
	return arr;
}

/* ---- the theme record -------------------------------------------------------------------- */

typedef struct {
	const char *id, *name, *summary, *audience, *division_code, *department_id;
	json_t *topics;     /* keys, in the arena */
	json_t *items;      /* implementation codes in order, in the arena */
	yw_ms created_at, updated_at;
	const char *created_by;
} theme;

#define THEME_COLS "t.id, t.name, t.summary, t.audience, t.division_code, t.department_id, " \
	"t.topics, t.created_at, t.created_by, t.updated_at"

static json_t *json_array_col(yw_arena *a, const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_array(j)) {
		json_decref(j);
		j = json_array();
	}
	return yw_arena_json(a, j);
}

static void theme_row(yw_arena *a, const yw_rows *rows, int i, theme *t)
{
	*t = (theme){ .id = yw_rows_text(rows, i, 0), .name = yw_rows_text(rows, i, 1),
	              .summary = yw_rows_text(rows, i, 2), .audience = yw_rows_text(rows, i, 3),
	              .division_code = yw_rows_text(rows, i, 4), .department_id = yw_rows_text(rows, i, 5),
	              .topics = json_array_col(a, yw_rows_text(rows, i, 6)),
	              .created_at = yw_rows_int(rows, i, 7), .created_by = yw_rows_text(rows, i, 8),
	              .updated_at = yw_rows_int(rows, i, 9) };
}

/* The theme with its item codes; NOT_FOUND when there is none. */
static yw_err theme_load(yw_db *db, yw_arena *a, const char *id, theme *t)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows, "SELECT " THEME_COLS " FROM catalog_themes t WHERE t.id = $1",
	                       YW_PARAMS(YW_VTEXT(id)));
	if (e)
		return e;
	if (!yw_rows_count(rows))
		return YW_E_NOT_FOUND;
	theme_row(a, rows, 0, t);
	if ((e = yw_db_query(db, a, &rows,
	                     "SELECT item_code FROM catalog_theme_items WHERE theme_id = $1 ORDER BY seq",
	                     YW_PARAMS(YW_VTEXT(id)))))
		return e;
	t->items = yw_arena_json(a, json_array());
	for (int i = 0; t->items && i < yw_rows_count(rows); i++)
		json_array_append_new(t->items, json_string(yw_rows_text(rows, i, 0)));
	return t->items ? YW_E_OK : YW_E_NO_MEMORY;
}

/* ---- JSON in ----------------------------------------------------------------------------- */

static bool theme_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!yw_b64url_char(s[i]))
			return false;
	return true;
}

/* The members of body present onto t (on create the required ones must be there); each wrong
 * member becomes a field error. Pure, so that the PATCH write can apply it again to what it
 * reads. allow_id: the demo loader names its themes; API callers never do. */
static void theme_apply(yw_arena *a, json_t *body, theme *t, bool create, bool allow_id,
                        json_t *fields)
{
	static const char *const known[] = { "id", "name", "summary", "audience", "division_code",
		                             "department_id", "topics", "items" };
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v) {
		bool ok = false;
		for (size_t i = allow_id ? 0 : 1; i < sizeof known / sizeof known[0]; i++)
			ok |= !strcmp(known[i], key);
		if (!ok)
			yw_field_error(fields, key, "不认识的字段");
	}
	if (allow_id && (v = json_object_get(body, "id"))) {
		if (!theme_id_ok(json_string_value(v)))
			yw_field_error(fields, "id", "应为 1 到 64 个英文字母、数字、- 或 _");
		else
			t->id = json_string_value(v);
	}
	if (create || yw_cat_present(body, "name"))
		t->name = yw_cat_text_field(a, body, "name", MAX_THEME_NAME, fields);
	if (create && !yw_cat_present(body, "summary"))
		t->summary = "";
	else if (json_object_get(body, "summary")) {
		v = json_object_get(body, "summary");
		if (json_is_null(v) || (json_is_string(v) && !json_string_length(v)))
			t->summary = "";
		else
			t->summary = yw_cat_text_field(a, body, "summary", MAX_SUMMARY, fields);
	}
	if (create || json_object_get(body, "audience")) {
		const char *s = json_string_value(json_object_get(body, "audience"));
		if (!yw_str_eq(s, "person") && !yw_str_eq(s, "organisation"))
			yw_field_error(fields, "audience", "应为 person（个人）或 organisation（法人）");
		else
			t->audience = s;
	}
	if (create || json_object_get(body, "division_code")) {
		const char *s = json_string_value(json_object_get(body, "division_code"));
		const yw_division *d;
		char buf[YW_DIV_CODE_MAX];
		if (!s || yw_division_find(s, &d) != YW_E_OK) {
			yw_field_error(fields, "division_code", "应为存在的行政区划代码");
		} else {
			yw_division_code(d, buf);
			t->division_code = yw_strdup(a, buf);
		}
	}
	if ((v = json_object_get(body, "department_id"))) {
		if (json_is_null(v))
			t->department_id = NULL;
		else if (!yw_cat_dept_id_plausible(json_string_value(v)))
			yw_field_error(fields, "department_id", "应为部门 id，或 null");
		else
			t->department_id = json_string_value(v);
	}
	if ((v = json_object_get(body, "topics"))) {
		bool ok = json_is_array(v) && json_array_size(v) <= 20;
		for (size_t i = 0; ok && i < json_array_size(v); i++) {
			json_t *k = json_array_get(v, i);
			ok = yw_cat_topic_name(json_string_value(k)) != NULL;
			for (size_t j = 0; ok && j < i; j++)
				ok = !json_equal(k, json_array_get(v, j));
		}
		if (ok)
			t->topics = v;
		else
			yw_field_error(fields, "topics", "应为至多 20 个互不相同的主题分类代码（见 GET /api/v1/topics）");
	} else if (create) {
		t->topics = yw_arena_json(a, json_array());
	}
	if (create || json_object_get(body, "items")) {
		v = json_object_get(body, "items");
		size_t n = json_array_size(v);
		if (!json_is_array(v) || n < 1 || n > MAX_THEME_ITEMS) {
			yw_field_error(fields, "items", "应为 1 到 50 个事项实施编码的数组");
			return;
		}
		for (size_t i = 0; i < n; i++) {
			const char *code = json_string_value(json_array_get(v, i)), *why = NULL;
			yw_cat_code parts;
			bool dup = false;
			for (size_t j = 0; code && j < i; j++)
				dup |= yw_str_eq(code, json_string_value(json_array_get(v, j)));
			if (!code || yw_cat_impl_code_parse(code, &parts, &why)) {
				yw_field_error(fields, yw_sprintf(a, "items[%zu]", i),
				               yw_sprintf(a, "实施编码不正确：%s", why ? why : "应为文字"));
				return;
			}
			if (dup) {
				yw_field_error(fields, yw_sprintf(a, "items[%zu]", i), "事项重复");
				return;
			}
		}
		t->items = v;
	}
}

/* ---- writes ------------------------------------------------------------------------------ */

static json_t *audit_json(const theme *t)
{
	return json_pack("{s:s, s:s, s:s?, s:O}", "name", t->name, "division_code", t->division_code,
	                 "department_id", t->department_id, "items", t->items);
}

/* Every item exists, is published and is offered where the theme is. */
static yw_err items_check(yw_db *tx, yw_arena *a, const theme *t, const char **why)
{
	size_t i;
	json_t *c;
	json_array_foreach(t->items, i, c) {
		const char *code = json_string_value(c);
		yw_cat_item it;
		yw_err e = yw_cat_item_load(tx, a, code, &it);
		if (e == YW_E_NOT_FOUND || (!e && !it.current)) {
			*why = yw_sprintf(a, "事项 %s %s，不能列入一件事", code, e ? "不存在" : "尚未发布");
			return YW_E_THEME_ITEM_UNAVAILABLE;
		}
		if (e)
			return e;
		/* The theme is offered in its division and every division under it: each of its
		 * items must be offered there too, so it is the theme's division's or a division's
		 * above it, never only a part of the theme's area. */
		if (!yw_division_within(t->division_code, it.division_code)) {
			*why = yw_sprintf(a, "事项 %s 由行政区划 %s 办理，不覆盖一件事所在的行政区划 %s：一件事只能包含本级"
			                     "或上级的事项", code, it.division_code, t->division_code);
			return YW_E_THEME_ITEM_OUTSIDE_DIVISION;
		}
	}
	return YW_E_OK;
}

/* Write t: insert it, or replace the stored one (old, NULL when new) whole, with its items and
 * the audit entry. */
static yw_err theme_store(yw_db *tx, yw_arena *a, theme *t, const theme *old, const char *actor,
                          yw_ms now, const char **why)
{
	yw_err e = items_check(tx, a, t, why);
	if (e)
		return e;
	yw_rows *rows;
	if ((e = yw_db_query(tx, a, &rows,
	                     "SELECT id FROM catalog_themes WHERE division_code = $1 AND name = $2 AND id <> $3",
	                     YW_PARAMS(YW_VTEXT(t->division_code), YW_VTEXT(t->name), YW_VTEXT(t->id)))))
		return e;
	if (yw_rows_count(rows)) {
		*why = yw_sprintf(a, "行政区划 %s 已有名为「%s」的一件事", t->division_code, t->name);
		return YW_E_THEME_EXISTS;
	}
	const char *topics_text = yw_json_dump(a, t->topics, NULL);
	if (!topics_text)
		return YW_E_NO_MEMORY;
	if (old) {
		t->created_at = old->created_at;
		t->created_by = old->created_by;
		e = yw_db_exec(tx,
		               "UPDATE catalog_themes SET name = $2, summary = $3, audience = $4, "
		               "division_code = $5, department_id = $6, topics = $7, updated_at = $8 "
		               "WHERE id = $1",
		               YW_PARAMS(YW_VTEXT(t->id), YW_VTEXT(t->name), YW_VTEXT(t->summary),
		                         YW_VTEXT(t->audience), YW_VTEXT(t->division_code),
		                         YW_VTEXT(t->department_id), YW_VTEXT(topics_text), YW_VINT(now)),
		               NULL);
		if (!e)
			e = yw_db_exec(tx, "DELETE FROM catalog_theme_items WHERE theme_id = $1",
			               YW_PARAMS(YW_VTEXT(t->id)), NULL);
	} else {
		t->created_at = now;
		t->created_by = actor;
		e = yw_db_exec(tx,
		               "INSERT INTO catalog_themes (id, name, summary, audience, division_code, "
		               "department_id, topics, created_at, created_by, updated_at) "
		               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)",
		               YW_PARAMS(YW_VTEXT(t->id), YW_VTEXT(t->name), YW_VTEXT(t->summary),
		                         YW_VTEXT(t->audience), YW_VTEXT(t->division_code),
		                         YW_VTEXT(t->department_id), YW_VTEXT(topics_text), YW_VINT(now),
		                         YW_VTEXT(actor)),
		               NULL);
	}
	t->updated_at = now;
	size_t i;
	json_t *c;
	json_array_foreach(t->items, i, c) {
		if (e)
			break;
		e = yw_db_exec(tx, "INSERT INTO catalog_theme_items (theme_id, seq, item_code) VALUES ($1, $2, $3)",
		               YW_PARAMS(YW_VTEXT(t->id), YW_VINT(i + 1), YW_VTEXT(json_string_value(c))),
		               NULL);
	}
	if (e)
		return e;
	return yw_audit_add(tx, actor, old ? "theme.update" : "theme.create", "theme", t->id,
	                    old ? audit_json(old) : NULL, audit_json(t));
}

yw_err yw_cat_theme_put(yw_db *tx, yw_arena *a, json_t *body, const char *actor, yw_ms now,
                        const char **id_out, json_t *fields, const char **why)
{
	theme t = { 0 };
	*why = NULL;
	*id_out = NULL;
	theme_apply(a, body, &t, true, true, fields);
	if (json_array_size(fields))
		return YW_E_BAD_PARAMETER;
	/* Without a given id, one made from where and what the theme is: a loader run twice names
	 * the same theme the same way, and no random value is made inside a write. */
	if (!t.id) {
		char h[65];
		const char *key = yw_sprintf(a, "%s|%s", t.division_code, t.name);
		if (!key)
			return YW_E_NO_MEMORY;
		yw_sha256_hex(key, strlen(key), h);
		t.id = yw_sprintf(a, "t_%.16s", h);
	}
	theme old;
	yw_err e = theme_load(tx, a, t.id, &old);
	if (e && e != YW_E_NOT_FOUND)
		return e;
	if ((e = theme_store(tx, a, &t, e ? NULL : &old, actor, now, why)))
		return e;
	*id_out = t.id;
	return YW_E_OK;
}

/* ---- JSON out ---------------------------------------------------------------------------- */

static const char *reuse_name(const char *key)
{
	return yw_str_eq(key, "always")            ? "可永久复用"
	       : yw_str_eq(key, "within_validity") ? "有效期内可复用"
	       : yw_str_eq(key, "selective")       ? "可选择性复用"
	       : yw_str_eq(key, "never")           ? "不可复用"
	                                           : NULL;
}

static json_t *theme_brief_json(const theme *t, long long item_count)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s?, s:o, s:I}", "id", t->id, "name", t->name,
	                 "summary", t->summary, "audience", t->audience, "division_code",
	                 t->division_code, "division_name", yw_cat_division_name(t->division_code),
	                 "department_id", t->department_id, "topics", topics_json(t->topics),
	                 "item_count", (json_int_t)item_count);
}

/* A choice field met again: the options of both, so that a later item's visible_when on it
 * can still be met (its value may be an option only that item offers). */
static void merge_options(json_t *have, json_t *f)
{
	json_t *mine = json_object_get(have, "options"), *theirs = json_object_get(f, "options");
	if (!json_is_array(mine) || !json_is_array(theirs) ||
	    !json_equal(json_object_get(have, "type"), json_object_get(f, "type")))
		return;
	size_t i, k;
	json_t *o, *m;
	json_array_foreach(theirs, i, o) {
		bool known = false;
		json_array_foreach(mine, k, m)
			known |= json_equal(json_object_get(m, "value"), json_object_get(o, "value"));
		if (!known)
			json_array_append_new(mine, json_deep_copy(o));
	}
}

/* The fields of every item's form, each name once, in the order they first come: the first
 * definition of a name is kept, and it is required when any item requires it. */
static void merge_form(json_t *merged, json_t *form)
{
	json_t *fields = json_object_get(merged, "fields");
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(form, "fields"), i, f) {
		json_t *name = json_object_get(f, "name"), *have = NULL;
		size_t k;
		json_t *g;
		json_array_foreach(fields, k, g)
			if (json_equal(json_object_get(g, "name"), name))
				have = g;
		if (!have) {
			json_array_append_new(fields, json_deep_copy(f));
			continue;
		}
		if (json_is_true(json_object_get(f, "required")))
			json_object_set_new(have, "required", json_true());
		merge_options(have, f);
	}
}

/* Materials of the theme's items, one per name: required when any item requires it, with the
 * codes of the items that ask for it. */
static json_t *materials_json(yw_db *db, yw_arena *a, const char *id)
{
	yw_rows *rows;
	if (yw_db_query(db, a, &rows,
	                "SELECT m.item_code, m.name, m.source, m.required, m.required_when, m.reuse "
	                "FROM catalog_theme_items x JOIN catalog_items i ON i.code = x.item_code "
	                "JOIN catalog_materials m ON m.item_code = i.code AND m.version = i.current_version "
	                "WHERE x.theme_id = $1 ORDER BY x.seq, m.seq",
	                YW_PARAMS(YW_VTEXT(id))))
		return NULL;
	json_t *arr = json_array();
	for (int r = 0; arr && r < yw_rows_count(rows); r++) {
		const char *name = yw_rows_text(rows, r, 1);
		bool required = yw_rows_int(rows, r, 3) != 0;
		json_t *have = NULL;
		size_t k;
		json_t *m;
		json_array_foreach(arr, k, m)
			if (yw_str_eq(json_string_value(json_object_get(m, "name")), name))
				have = m;
		if (!have) {
			json_array_append_new(
				arr, json_pack("{s:s, s:s, s:s, s:s?, s:b, s:s?, s:[s]}", "name", name, "source",
				               yw_rows_text(rows, r, 2), "reuse", yw_rows_text(rows, r, 5),
				               "reuse_name", reuse_name(yw_rows_text(rows, r, 5)), "required",
				               required, "condition", required ? NULL : yw_rows_text(rows, r, 4),
				               "items", yw_rows_text(rows, r, 0)));
			continue;
		}
		if (required && !json_is_true(json_object_get(have, "required"))) {
			json_object_set_new(have, "required", json_true());
			json_object_del(have, "condition");
		}
		json_t *codes = json_object_get(have, "items");
		const char *code = yw_rows_text(rows, r, 0);
		if (!yw_str_eq(json_string_value(json_array_get(codes, json_array_size(codes) - 1)), code))
			json_array_append_new(codes, json_string(code));
	}
	return arr;
}

/* The whole theme: its items (list rows), the merged form (null when no item has a form) and
 * the materials. */
static json_t *theme_full_json(yw_store *st, yw_db *db, yw_arena *a, const theme *t)
{
	yw_rows *rows;
	const char *sql = yw_sprintf(a,
	                             "SELECT %s, %s FROM catalog_theme_items x "
	                             "JOIN catalog_items i ON i.code = x.item_code "
	                             "JOIN catalog_item_versions v ON v.item_code = i.code "
	                             "AND v.version = i.current_version "
	                             "WHERE x.theme_id = $1 ORDER BY x.seq",
	                             YW_CAT_ITEM_COLS, YW_CAT_VERSION_COLS);
	if (!sql || yw_db_query(db, a, &rows, sql, YW_PARAMS(YW_VTEXT(t->id))))
		return NULL;
	json_t *items = json_array(), *form = json_pack("{s:[]}", "fields");
	for (int i = 0; items && form && i < yw_rows_count(rows); i++) {
		yw_cat_item it;
		yw_cat_version v;
		yw_cat_item_row(rows, i, &it);
		yw_cat_version_row(a, rows, i, YW_CAT_ITEM_NCOLS, &v);
		json_array_append_new(items, yw_cat_item_brief_json(st, a, &it, &v));
		if (v.g.form)
			merge_form(form, v.g.form);
	}
	json_t *mats = materials_json(db, a, t->id);
	json_t *j = theme_brief_json(t, yw_rows_count(rows));
	if (!j || !items || !form || !mats) {
		json_decref(j);
		json_decref(items);
		json_decref(form);
		json_decref(mats);
		return NULL;
	}
	if (!json_array_size(json_object_get(form, "fields"))) {
		json_decref(form);
		form = json_null();
	}
	json_object_set_new(j, "department",
	                    t->department_id ? yw_cat_department_json(st, a, t->department_id) : json_null());
	json_object_set_new(j, "items", items);
	json_object_set_new(j, "form", form);
	json_object_set_new(j, "materials", mats);
	json_object_set_new(j, "created_at", json_integer(t->created_at));
	json_object_set_new(j, "updated_at", json_integer(t->updated_at));
	return j;
}

/* ---- handlers ---------------------------------------------------------------------------- */

static yw_object theme_object(const theme *t)
{
	return (yw_object){ .type = "theme", .department_id = t->department_id,
	                    .division_code = t->division_code };
}

static yw_err reply_theme(yw_req *r, int status, const char *id)
{
	yw_db *db = yw_store_reader(r->app->store);
	theme t;
	yw_err e = theme_load(db, r->arena, id, &t);
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, e, "一件事 %s 不存在", id);
	if (e)
		return yw_fail(r, e, "读取一件事失败");
	json_t *j = theme_full_json(r->app->store, db, r->arena, &t);
	if (!j)
		return yw_fail(r, YW_E_DB_ERROR, "读取一件事失败");
	return yw_reply_json(r, status, json_pack("{s:o}", "theme", j));
}

static yw_err themes_list(yw_req *r)
{
	yw_err e = yw_cat_need_store(r);
	if (e)
		return e;
	const char *div = yw_req_query(r, "division"), *aud = yw_req_query(r, "audience"),
		   *topic = yw_req_query(r, "topic");
	/* Like the item list: the division's own themes, those under it, and those of the
	 * divisions above it, which are offered there too. */
	const char *prefix = "", *up[3] = { "", "", "" };
	if (div && div[0]) {
		const yw_division *d;
		if ((e = yw_division_find(div, &d)))
			return e == YW_E_BAD_DIVISION_CODE ? yw_fail(r, e, "行政区划代码 %s 格式不正确", div)
			                                   : yw_fail(r, YW_E_DIVISION_NOT_FOUND, "行政区划 %s 不存在", div);
		char buf[YW_DIV_CODE_MAX];
		size_t n = yw_division_code(d, buf);
		while (n > 2 && n <= 6 && buf[n - 1] == '0' && buf[n - 2] == '0')
			n -= 2;
		buf[n] = '\0';
		prefix = yw_sprintf(r->arena, "%s%%", buf);
		int k = 0;
		for (const yw_division *p = yw_division_parent(d); p && k < 3; p = yw_division_parent(p)) {
			yw_division_code(p, buf);
			up[k++] = yw_strdup(r->arena, buf);
		}
	}
	if (aud && aud[0] && strcmp(aud, "person") && strcmp(aud, "organisation"))
		return yw_fail(r, YW_E_BAD_PARAMETER, "audience 应为 person 或 organisation");
	if (topic && topic[0] && !yw_cat_topic_name(topic))
		return yw_fail(r, YW_E_BAD_PARAMETER, "topic 不是已知的主题分类（见 GET /api/v1/topics）");
	/* topics is a JSON array of keys made only of [a-z_]: a quoted key matches exactly one. */
	const char *like = topic && topic[0] ? yw_sprintf(r->arena, "%%\"%s\"%%", topic) : "";
	yw_rows *rows;
	e = yw_db_query(yw_store_reader(r->app->store), r->arena, &rows,
	                "SELECT " THEME_COLS ", (SELECT count(*) FROM catalog_theme_items x "
	                "WHERE x.theme_id = t.id) FROM catalog_themes t "
	                "WHERE ($1 = '' OR t.division_code LIKE $1 OR t.division_code IN ($2, $3, $4)) "
	                "AND ($5 = '' OR t.audience = $5) AND ($6 = '' OR t.topics LIKE $6) "
	                "ORDER BY t.name, t.id LIMIT $7",
	                YW_PARAMS(YW_VTEXT(prefix), YW_VTEXT(up[0]), YW_VTEXT(up[1]), YW_VTEXT(up[2]),
	                          YW_VTEXT(aud ? aud : ""), YW_VTEXT(like), YW_VINT(MAX_THEMES_LISTED)));
	if (e)
		return yw_fail(r, e, "读取一件事失败");
	json_t *arr = json_array();
	for (int i = 0; arr && i < yw_rows_count(rows); i++) {
		theme t;
		theme_row(r->arena, rows, i, &t);
		json_array_append_new(arr, theme_brief_json(&t, yw_rows_int(rows, i, 10)));
	}
	return yw_reply_json(r, 200, json_pack("{s:o}", "themes", arr));
}

static yw_err theme_get(yw_req *r)
{
	yw_err e = yw_cat_need_store(r);
	if (e)
		return e;
	const char *id = yw_req_param(r, "id");
	if (!theme_id_ok(id))
		return yw_fail(r, YW_E_NOT_FOUND, "一件事不存在");
	return reply_theme(r, 200, id);
}

/* A department the theme names must exist (its catalog administrators will edit it). */
static yw_err known_department(yw_req *r, const char *id)
{
	yw_department d;
	yw_err e = id ? yw_identity_department(r->app->store, r->arena, id, &d) : YW_E_OK;
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, YW_E_UNKNOWN_DEPARTMENT, "部门 %s 不存在", id);
	return e ? yw_fail(r, e, "读取部门失败") : YW_E_OK;
}

typedef struct {
	yw_arena *a;
	const char *actor;
	yw_ms now;
	theme t;            /* create: the theme; update: the theme as authorized */
	json_t *body;       /* update: the changes, applied to what the write reads */
	const char *detail;
} write_arg;

static yw_err create_write(yw_db *tx, void *arg)
{
	write_arg *w = arg;
	w->detail = NULL;
	theme t = w->t;
	return theme_store(tx, w->a, &t, NULL, w->actor, w->now, &w->detail);
}

static yw_err update_write(yw_db *tx, void *arg)
{
	write_arg *w = arg;
	w->detail = NULL;
	theme old;
	yw_err e = theme_load(tx, w->a, w->t.id, &old);
	if (e)
		return e;
	/* Who may edit was decided on where the theme was; if someone moved it meanwhile, that
	 * decision no longer holds. */
	if (!yw_str_eq(old.division_code, w->t.division_code) ||
	    !yw_str_eq(old.department_id, w->t.department_id)) {
		w->detail = "一件事刚被他人修改，请刷新后重试";
		return YW_E_CONFLICT;
	}
	theme t = old;
	json_t *fields = yw_arena_json(w->a, json_array());
	theme_apply(w->a, w->body, &t, false, false, fields);
	if (json_array_size(fields))
		return YW_E_BAD_PARAMETER;   /* checked before the write on the same body */
	return theme_store(tx, w->a, &t, &old, w->actor, w->now, &w->detail);
}

static yw_err theme_create(yw_req *r)
{
	json_t *body;
	yw_err e = yw_cat_gate(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	theme t = { 0 };
	theme_apply(r->arena, body, &t, true, false, fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	yw_object obj = theme_object(&t);
	if ((e = yw_authz(r, YW_ACT_CATALOG_MANAGE, &obj)) || (e = known_department(r, t.department_id)))
		return e;
	const char *tok = yw_random_token(r->arena, 12);
	if (!tok)
		return YW_E_NO_MEMORY;
	t.id = yw_sprintf(r->arena, "t_%s", tok);
	write_arg w = { .a = r->arena, .actor = yw_cat_actor(r), .now = yw_now_ms(), .t = t };
	if ((e = yw_store_write(r->app->store, create_write, &w)))
		return yw_fail(r, e, "%s", w.detail ? w.detail : "新建一件事失败");
	yw_reply_header(r, "Location", yw_sprintf(r->arena, "/api/v1/themes/%s", t.id));
	return reply_theme(r, 201, t.id);
}

static yw_err theme_update(yw_req *r)
{
	json_t *body;
	yw_err e = yw_cat_gate(r);
	if (e)
		return e;
	const char *id = yw_req_param(r, "id");
	theme t;
	e = theme_id_ok(id) ? theme_load(yw_store_reader(r->app->store), r->arena, id, &t) : YW_E_NOT_FOUND;
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, e, "一件事不存在");
	if (e)
		return yw_fail(r, e, "读取一件事失败");
	yw_object obj = theme_object(&t);
	if ((e = yw_authz(r, YW_ACT_CATALOG_MANAGE, &obj)) || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	theme changed = t;
	theme_apply(r->arena, body, &changed, false, false, fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	/* Moving the theme needs the right over where it goes as well. */
	if (!yw_str_eq(changed.division_code, t.division_code) ||
	    !yw_str_eq(changed.department_id, t.department_id)) {
		yw_object to = theme_object(&changed);
		if ((e = yw_authz(r, YW_ACT_CATALOG_MANAGE, &to)))
			return e;
		if (!yw_str_eq(changed.department_id, t.department_id) &&
		    (e = known_department(r, changed.department_id)))
			return e;
	}
	write_arg w = { .a = r->arena, .actor = yw_cat_actor(r), .now = yw_now_ms(), .t = t, .body = body };
	if ((e = yw_store_write(r->app->store, update_write, &w)))
		return yw_fail(r, e, "%s", w.detail ? w.detail : "保存一件事失败");
	return reply_theme(r, 200, id);
}

void yw_cat_theme_routes(yw_router *rt)
{
	yw_route(rt, "GET", "/api/v1/topics", topics_list);
	yw_route(rt, "GET", "/api/v1/themes", themes_list);
	yw_route(rt, "POST", "/api/v1/themes", theme_create);
	yw_route(rt, "GET", "/api/v1/themes/{id}", theme_get);
	yw_route(rt, "PATCH", "/api/v1/themes/{id}", theme_update);
}

/* ---- for the cases module (catalog.h) --------------------------------------------------- */

yw_err yw_catalog_theme(yw_store *st, yw_arena *a, const char *id, yw_cat_theme_info *out)
{
	yw_db *db = yw_store_reader(st);
	theme t;
	yw_rows *rows;
	if (!db)
		return YW_E_DB_UNREACHABLE;
	yw_err e = theme_load(db, a, id, &t);
	if (e)
		return e;
	/* Only items published now: a theme may name one whose publication was withdrawn meanwhile,
	 * and nobody can apply for that. */
	if ((e = yw_db_query(db, a, &rows,
	                     "SELECT x.item_code, v.form FROM catalog_theme_items x "
	                     "JOIN catalog_items i ON i.code = x.item_code "
	                     "JOIN catalog_item_versions v ON v.item_code = i.code "
	                     "AND v.version = i.current_version "
	                     "WHERE x.theme_id = $1 ORDER BY x.seq",
	                     YW_PARAMS(YW_VTEXT(id)))))
		return e;
	int n = yw_rows_count(rows);
	json_t *form = yw_arena_json(a, json_pack("{s:[]}", "fields"));
	const char **codes = yw_zalloc(a, sizeof *codes * (size_t)(n + 1));
	if (!form || !codes)
		return YW_E_NO_MEMORY;
	for (int i = 0; i < n; i++) {
		codes[i] = yw_rows_text(rows, i, 0);
		json_t *f = yw_rows_text(rows, i, 1) ? json_loads(yw_rows_text(rows, i, 1), 0, NULL) : NULL;
		if (json_is_object(f))
			merge_form(form, f);
		json_decref(f);
	}
	*out = (yw_cat_theme_info){ .id = t.id, .name = t.name, .division_code = t.division_code,
	                            .item_codes = codes, .nitems = n,
	                            .form = json_array_size(json_object_get(form, "fields")) ? form : NULL };
	return YW_E_OK;
}
