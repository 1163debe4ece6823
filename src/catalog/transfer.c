/*
 * Import and export of items (transfer.h; docs/catalog.md "Import and export"):
 *   GET  /api/v1/catalog/export?format=json|xlsx[&department=&division=]
 *        the published version of every item the caller may manage (CATALOG_MANAGE, asked
 *        per item), as the layout's JSON document or as a workbook
 *   POST /api/v1/catalog/import   the same document (application/json) or workbook (the xlsx
 *        media type): new items are created and published, an item that exists (same
 *        task_code) gets a new published version when its content differs
 *
 * The import is all or nothing. Every row is turned into the body of POST /api/v1/items and
 * checked by the same function as that route (yw_cat_new_prepare), its department found by its
 * USCC and the caller's right over it asked, all before the one write that makes every change
 * with its audit entries; any bad row refuses the file with a report naming each bad row and
 * why. What can only be known inside the write (the item was created, edited or published by
 * someone else meanwhile) fails the whole write with 409.
 *
 * Both directions go through one serialiser (layout_item), so an item exported, imported
 * elsewhere and exported again reads the same, and "content differs" is a comparison of two
 * layouts.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "catalog/transfer.h"
#include "http/http.h"
#include "identity/identity.h"
#include "ref/ref.h"
#include "store/store.h"

#define NONE YW_CAT_NONE
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

typedef yw_cat_item item;
typedef yw_cat_version version;
typedef yw_cat_guide guide;

/* ---- the layout --------------------------------------------------------------------------- */

const yw_tx_field yw_cat_tx_item_fields[] = {
	{ "task_code", "实施编码", YW_TX_TEXT },
	{ "catalog_code", "基本编码", YW_TX_TEXT },
	{ "task_name", "事项名称", YW_TX_TEXT },
	{ "task_type", "事项类型", YW_TX_TEXT },
	{ "dept_name", "实施主体", YW_TX_TEXT_NULL },
	{ "dept_code", "实施主体编码", YW_TX_TEXT },
	{ "use_level", "行使层级", YW_TX_TEXT },
	{ "anticipate_day", "法定办结时限", YW_TX_INT_NULL },
	{ "anticipate_type", "法定办结时限单位", YW_TX_TEXT_NULL },
	{ "promise_day", "承诺办结时限", YW_TX_INT_NULL },
	{ "promise_type", "承诺办结时限单位", YW_TX_TEXT_NULL },
	{ "online_handle_depth", "网上办理深度", YW_TX_TEXT },
	{ "limit_scene_num", "到办事现场次数", YW_TX_INT },
	{ "limit_scene_explain", "必须现场办理原因说明", YW_TX_TEXT_NULL },
	{ "project_type", "办件类型", YW_TX_TEXT },
	{ "handle_type", "办理形式", YW_TX_TEXT },
	{ "server_type", "服务对象", YW_TX_TEXT_NULL },
	{ "is_fee", "是否收费", YW_TX_TEXT },
	{ "is_entry_center", "是否进驻政务大厅", YW_TX_TEXT },
	{ "aliases", "别名", YW_TX_JSON },
	{ "topics", "主题分类", YW_TX_JSON },
	{ "business_items", "业务办理项", YW_TX_JSON },
	{ "guide", "办事指南其他要素", YW_TX_JSON },
	{ "form", "表单定义", YW_TX_JSON },
	{ "process", "办理流程定义", YW_TX_JSON },
	{ "materials", "材料", YW_TX_JSON },
};
const int yw_cat_tx_item_nfields = sizeof yw_cat_tx_item_fields / sizeof yw_cat_tx_item_fields[0];

const yw_tx_field yw_cat_tx_material_fields[] = {
	{ "material_name", "材料名称", YW_TX_TEXT },
	{ "source_type", "来源渠道", YW_TX_TEXT },
	{ "source_explain", "来源渠道说明（出具单位）", YW_TX_TEXT_NULL },
	{ "original_num", "原件份数", YW_TX_INT },
	{ "copy_num", "复印件份数", YW_TX_INT },
	{ "is_need", "材料必要性", YW_TX_TEXT },
	{ "need_condition", "非必要材料的提交情形", YW_TX_TEXT_NULL },
	{ "reuse", "复用类别", YW_TX_TEXT },
};
const int yw_cat_tx_material_nfields =
	sizeof yw_cat_tx_material_fields / sizeof yw_cat_tx_material_fields[0];

/* The request body's member names (yw_cat_guide_fields) and the layout's, for the report. */
static const char *const body_to_layout[][2] = {
	{ "name", "task_name" },           { "basic_name", "task_name" },
	{ "basic_code", "catalog_code" },  { "department_id", "dept_code" },
	{ "level", "use_level" },          { "online_depth", "online_handle_depth" },
	{ "visits", "limit_scene_num" },   { "visits_reason", "limit_scene_explain" },
	{ "statutory_limit", "anticipate_day" }, { "promised_limit", "promise_day" },
	{ "handling_forms", "handle_type" }, { "service_objects", "server_type" },
	{ "charged", "is_fee" },           { "in_hall", "is_entry_center" },
	{ "name", "material_name" },       { "source", "source_type" },
	{ "issuer", "source_explain" },    { "originals", "original_num" },
	{ "copies", "copy_num" },          { "required", "is_need" },
	{ "condition", "need_condition" },
};
#define FIRST_MATERIAL_KEY 14   /* body_to_layout rows from here name material members */

static const char *layout_key(yw_arena *a, const char *field)
{
	const char *dot = strncmp(field, "materials[", 10) ? NULL : strchr(field, '.');
	const char *key = dot ? dot + 1 : field;
	size_t from = dot ? FIRST_MATERIAL_KEY : 0,
	       to = dot ? sizeof body_to_layout / sizeof body_to_layout[0] : FIRST_MATERIAL_KEY;
	for (size_t i = from; i < to; i++)
		if (!strcmp(key, body_to_layout[i][0]))
			return dot ? yw_sprintf(a, "%.*s.%s", (int)(dot - field), field, body_to_layout[i][1])
			           : body_to_layout[i][1];
	return field;
}

static json_t *code_text(yw_arena *a, long long v)
{
	return json_string(yw_sprintf(a, "%lld", v));
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *materials_layout(const guide *g)
{
	json_t *arr = json_array();
	for (int i = 0; arr && i < g->nmats; i++) {
		const yw_cat_material *m = &g->mats[i];
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:o, s:I, s:I, s:s, s:o, s:s}", "material_name", m->name,
			               "source_type", m->source, "source_explain", text_or_null(m->issuer),
			               "original_num", (json_int_t)m->originals, "copy_num",
			               (json_int_t)m->copies, "is_need", m->required ? "1" : "0",
			               "need_condition", text_or_null(m->required_when), "reuse", m->reuse));
	}
	return arr;
}

static json_t *or_empty(json_t *j, json_t *(*make)(void))
{
	return j ? json_incref(j) : make();
}

/* One item in the layout: what the export writes and what the import compares. */
static json_t *layout_item(yw_arena *a, const item *it, const guide *g, const yw_department *d)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "task_code", json_string(it->code));
	json_object_set_new(o, "catalog_code", json_string(it->basic_code));
	json_object_set_new(o, "task_name", json_string(g->name));
	json_object_set_new(o, "task_type", json_string(g->item_type));
	json_object_set_new(o, "dept_name", text_or_null(d ? d->name : NULL));
	json_object_set_new(o, "dept_code", d ? json_string(d->uscc) : json_stringn(it->code, 18));
	json_object_set_new(o, "use_level", code_text(a, it->level));
	json_object_set_new(o, "anticipate_day", yw_cat_limit_json(g->statutory));
	json_object_set_new(o, "anticipate_type", g->statutory == NONE ? json_null() : json_string("1"));
	json_object_set_new(o, "promise_day", yw_cat_limit_json(g->promised));
	json_object_set_new(o, "promise_type", g->promised == NONE ? json_null() : json_string("1"));
	json_object_set_new(o, "online_handle_depth", code_text(a, g->online_depth));
	json_object_set_new(o, "limit_scene_num", json_integer(g->visits));
	json_object_set_new(o, "limit_scene_explain", text_or_null(g->visits_reason));
	json_object_set_new(o, "project_type", code_text(a, g->project_type));
	json_object_set_new(o, "handle_type", json_string(g->handling_forms ? g->handling_forms : ""));
	json_object_set_new(o, "server_type", json_string(g->service_objects ? g->service_objects : ""));
	json_object_set_new(o, "is_fee", json_string(g->charged ? "1" : "0"));
	json_object_set_new(o, "is_entry_center", json_string(g->in_hall ? "1" : "0"));
	json_object_set_new(o, "aliases", or_empty(g->aliases, json_array));
	json_object_set_new(o, "topics", or_empty(g->topics, json_array));
	json_object_set_new(o, "business_items", or_empty(g->business_items, json_array));
	json_object_set_new(o, "guide", or_empty(g->guide, json_object));
	json_object_set_new(o, "form", g->form ? json_incref(g->form) : json_null());
	json_object_set_new(o, "process", g->process ? json_incref(g->process) : json_null());
	json_object_set_new(o, "materials", materials_layout(g));
	return yw_arena_json(a, o);
}

/* ---- helpers ------------------------------------------------------------------------------ */

/* ---- export ------------------------------------------------------------------------------- */

/* Departments met so far, with whether the caller may manage their items: a department's
 * items share the answer, so it is asked once per department, not once per item. */
typedef struct {
	const char *key;         /* the department's id (export) or USCC (import) */
	bool allowed;
	bool known;
	yw_department d;
} dept_seen;

typedef struct {
	dept_seen *v;
	int n, cap;
} dept_cache;

static dept_seen *dept_slot(yw_req *r, dept_cache *c, const char *key, bool *fresh)
{
	*fresh = false;
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key))
			return &c->v[i];
	*fresh = true;
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 16;
		dept_seen *v = yw_alloc(r->arena, sizeof *v * (size_t)cap);
		if (!v)
			return NULL;
		if (c->n)
			memcpy(v, c->v, sizeof *v * (size_t)c->n);
		c->v = v;
		c->cap = cap;
	}
	dept_seen *s = &c->v[c->n++];
	*s = (dept_seen){ .key = key };
	return s;
}

/* An item's department by its id, for the export; the decision is the same for its items of one
 * division (a department moved to another division keeps its older items where they were). */
static dept_seen *dept_get(yw_req *r, dept_cache *c, const char *id, const char *division)
{
	bool fresh;
	const char *key = yw_sprintf(r->arena, "%s %s", id, division);
	dept_seen *s = key ? dept_slot(r, c, key, &fresh) : NULL;
	if (s && fresh) {
		yw_object obj = yw_cat_item_object(NULL, id, division);
		s->allowed = yw_authz_allows(r, YW_ACT_CATALOG_MANAGE, &obj);
		s->known = yw_identity_department(r->app->store, r->arena, id, &s->d) == YW_E_OK;
	}
	return s;
}

/* A row's department by its USCC, for the import; *e an error of the lookup itself. */
static dept_seen *dept_by_uscc(yw_req *r, dept_cache *c, const char *uscc, yw_err *e)
{
	bool fresh;
	dept_seen *s = dept_slot(r, c, uscc, &fresh);
	*e = YW_E_OK;
	if (!s || !fresh)
		return s;
	*e = yw_identity_department_by_uscc(r->app->store, r->arena, uscc, &s->d);
	s->known = *e == YW_E_OK;
	if (*e == YW_E_NOT_FOUND)
		*e = YW_E_OK;
	if (s->known) {
		yw_object obj = yw_cat_item_object(NULL, s->d.id, s->d.division_code);
		s->allowed = yw_authz_allows(r, YW_ACT_CATALOG_MANAGE, &obj);
	}
	if (*e)
		c->n--;   /* not kept: the lookup failed */
	return s;
}

typedef struct {
	const char *code;
	json_t *j;
} export_row;

static int row_cmp(const void *x, const void *y)
{
	return strcmp(((const export_row *)x)->code, ((const export_row *)y)->code);
}

/* The published version's materials of every item (of dept, when given), by item code. */
static yw_err materials_by_item(yw_db *db, yw_arena *a, const char *dept, json_t **out)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows,
	                       "SELECT m.item_code, m.name, m.source, m.issuer, m.originals, m.copies, "
	                       "m.required, m.required_when, m.reuse FROM catalog_materials m "
	                       "JOIN catalog_items i ON i.code = m.item_code AND m.version = i.current_version "
	                       "WHERE ($1 = '' OR i.department_id = $1) ORDER BY m.item_code, m.seq",
	                       YW_PARAMS(YW_VTEXT(dept)));
	if (e)
		return e;
	json_t *by = yw_arena_json(a, json_object());
	for (int i = 0; by && i < yw_rows_count(rows); i++) {
		const char *code = yw_rows_text(rows, i, 0);
		json_t *list = json_object_get(by, code);
		if (!list) {
			list = json_array();
			json_object_set_new(by, code, list);
		}
		json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:I, s:I, s:b, s:s?, s:s}", "name",
		                                      yw_rows_text(rows, i, 1), "source",
		                                      yw_rows_text(rows, i, 2), "issuer",
		                                      yw_rows_text(rows, i, 3), "originals",
		                                      (json_int_t)yw_rows_int(rows, i, 4), "copies",
		                                      (json_int_t)yw_rows_int(rows, i, 5), "required",
		                                      yw_rows_int(rows, i, 6) != 0, "condition",
		                                      yw_rows_text(rows, i, 7), "reuse",
		                                      yw_rows_text(rows, i, 8)));
	}
	*out = by;
	return by ? YW_E_OK : YW_E_NO_MEMORY;
}

static void materials_from(yw_arena *a, json_t *list, guide *g)
{
	g->nmats = (int)json_array_size(list);
	g->mats = yw_zalloc(a, sizeof *g->mats * (size_t)(g->nmats + 1));
	for (int i = 0; g->mats && i < g->nmats; i++) {
		json_t *m = json_array_get(list, (size_t)i);
		g->mats[i] = (yw_cat_material){
			.name = json_string_value(json_object_get(m, "name")),
			.source = json_string_value(json_object_get(m, "source")),
			.issuer = json_string_value(json_object_get(m, "issuer")),
			.originals = json_integer_value(json_object_get(m, "originals")),
			.copies = json_integer_value(json_object_get(m, "copies")),
			.required = json_is_true(json_object_get(m, "required")),
			.required_when = json_string_value(json_object_get(m, "condition")),
			.reuse = json_string_value(json_object_get(m, "reuse")) };
	}
	if (!g->mats)
		g->nmats = 0;
}

static yw_err export_items(yw_req *r)
{
	yw_err e = yw_cat_editor_gate(r);
	if (e)
		return e;
	const char *format = yw_req_query(r, "format"), *dept = yw_req_query(r, "department"),
		   *div = yw_req_query(r, "division");
	if (!format || !format[0])
		format = "json";
	if (strcmp(format, "json") && strcmp(format, "xlsx"))
		return yw_fail(r, YW_E_BAD_PARAMETER, "format 应为 json 或 xlsx");
	if (dept && strlen(dept) > 64)
		return yw_fail(r, YW_E_BAD_PARAMETER, "department 不正确");
	if (div && div[0]) {
		const yw_division *d;
		e = yw_division_find(div, &d);
		if (e == YW_E_BAD_DIVISION_CODE)
			return yw_fail(r, e, "行政区划代码 %s 格式不正确", div);
		if (e)
			return yw_fail(r, YW_E_DIVISION_NOT_FOUND, "行政区划 %s 不存在", div);
	}
	yw_db *db = yw_store_reader(r->app->store);
	const char *sql = yw_sprintf(r->arena,
	                             "SELECT %s, %s FROM catalog_items i JOIN catalog_item_versions v "
	                             "ON v.item_code = i.code AND v.version = i.current_version "
	                             "WHERE ($1 = '' OR i.department_id = $1)",
	                             YW_CAT_ITEM_COLS, YW_CAT_VERSION_COLS);
	yw_rows *rows;
	json_t *mats;
	if (!sql)
		return YW_E_NO_MEMORY;
	if ((e = yw_db_query(db, r->arena, &rows, sql, YW_PARAMS(YW_VTEXT(dept ? dept : "")))) ||
	    (e = materials_by_item(db, r->arena, dept ? dept : "", &mats)))
		return yw_fail(r, e, "读取事项失败");
	int n = yw_rows_count(rows), kept = 0;
	export_row *out = yw_alloc(r->arena, sizeof *out * (size_t)(n + 1));
	dept_cache cache = { 0 };
	if (!out)
		return YW_E_NO_MEMORY;
	for (int i = 0; i < n; i++) {
		item it;
		version v;
		yw_cat_item_row(rows, i, &it);
		if (div && div[0] && !yw_division_within(it.division_code, div))
			continue;
		dept_seen *s = dept_get(r, &cache, it.department_id, it.division_code);
		if (!s)
			return YW_E_NO_MEMORY;
		if (!s->allowed)
			continue;
		yw_cat_version_row(r->arena, rows, i, YW_CAT_ITEM_NCOLS, &v);
		materials_from(r->arena, json_object_get(mats, it.code), &v.g);
		out[kept++] = (export_row){ .code = it.code,
		                            .j = layout_item(r->arena, &it, &v.g, s->known ? &s->d : NULL) };
		if (!out[kept - 1].j)
			return YW_E_NO_MEMORY;
	}
	/* Code order whatever the database's collation, so two exports compare. */
	qsort(out, (size_t)kept, sizeof *out, row_cmp);
	json_t *items = json_array();
	for (int i = 0; items && i < kept; i++)
		json_array_append(items, out[i].j);
	json_t *doc = json_pack("{s:s, s:I, s:o}", "format", YW_CAT_TX_FORMAT, "exported_at",
	                        (json_int_t)yw_now_ms(), "items", items);
	yw_reply_header(r, "Cache-Control", "no-store");
	if (!strcmp(format, "json")) {
		yw_reply_header(r, "Content-Disposition", "attachment; filename=\"catalog.json\"");
		return yw_reply_json(r, 200, doc);
	}
	if (!doc || !yw_arena_json(r->arena, doc))
		return YW_E_NO_MEMORY;
	const char *bytes = NULL, *why = NULL;
	size_t len = 0;
	if ((e = yw_cat_xlsx_write(r->arena, doc, r->app->config ? r->app->config->data_dir : NULL,
	                           &bytes, &len, &why)))
		return yw_fail(r, e, "%s", why ? why : "导出失败");
	yw_reply_header(r, "Content-Disposition", "attachment; filename=\"catalog.xlsx\"");
	return yw_reply_raw(r, 200, XLSX_TYPE, bytes, len);
}

/* ---- import: a row into the body of POST /api/v1/items ------------------------------------ */

/* A code member: "4" as the feeds carry it (an integer is taken too, as a sheet program may
 * turn one into a number); -1 with a field error when wrong. */
static long long code_member(json_t *row, const char *key, long long min, long long max,
                             json_t *errs, const char *reason)
{
	json_t *v = json_object_get(row, key);
	long long out = -1;
	if (json_is_integer(v))
		out = json_integer_value(v);
	else if (!json_is_string(v) || !yw_parse_int(json_string_value(v), min, max, &out))
		out = -1;
	if (out < min || out > max) {
		yw_field_error(errs, key, reason);
		return -1;
	}
	return out;
}

/* "1,2,3" (or "" for none) into [1, 2, 3]; a wrong list is passed on as it is, for the item's
 * own check to name. */
static json_t *code_list(json_t *v)
{
	if (json_is_null(v) || !v)
		return json_array();
	if (!json_is_string(v))
		return json_incref(v);
	json_t *arr = json_array();
	const char *p = json_string_value(v);
	while (arr && *p) {
		char *end;
		long n = strtol(p, &end, 10);
		if (end == p || (*end && *end != ','))
			return json_decref(arr), json_incref(v);
		json_array_append_new(arr, json_integer(n));
		p = *end ? end + 1 : end;
	}
	return arr;
}

static int yes_no(json_t *row, const char *key, json_t *errs)
{
	json_t *v = json_object_get(row, key);
	const char *s = json_string_value(v);
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
		return (int)json_integer_value(v);
	if (s && (!strcmp(s, "1") || !strcmp(s, "是")))
		return 1;
	if (s && (!strcmp(s, "0") || !strcmp(s, "否")))
		return 0;
	yw_field_error(errs, key, "应为 1（是）或 0（否）");
	return -1;
}

/* A limit and its unit: the unit is 1 (工作日), the only one this platform keeps. */
static json_t *limit_member(json_t *row, const char *day, const char *unit, json_t *errs)
{
	json_t *v = json_object_get(row, day), *u = json_object_get(row, unit);
	if (!v || json_is_null(v))
		return json_null();
	const char *us = json_string_value(u);
	if (u && !json_is_null(u) && !(us && !strcmp(us, "1")) &&
	    !(json_is_integer(u) && json_integer_value(u) == 1))
		yw_field_error(errs, unit, "时限单位应为 1（工作日）");
	return json_incref(v);
}

static void copy_member(json_t *to, const char *tk, json_t *from, const char *fk)
{
	json_t *v = json_object_get(from, fk);
	if (v)
		json_object_set(to, tk, v);
}

static json_t *material_body(json_t *m, const char *at, yw_arena *a, json_t *errs)
{
	if (!json_is_object(m))
		return json_incref(m);
	json_t *b = json_object();
	copy_member(b, "name", m, "material_name");
	copy_member(b, "source", m, "source_type");
	if (yw_cat_present(m, "source_explain"))
		copy_member(b, "issuer", m, "source_explain");
	copy_member(b, "originals", m, "original_num");
	copy_member(b, "copies", m, "copy_num");
	if (yw_cat_present(m, "need_condition"))
		copy_member(b, "condition", m, "need_condition");
	copy_member(b, "reuse", m, "reuse");
	if (json_object_get(m, "is_need")) {
		json_t *f = yw_arena_json(a, json_array());
		int need = yes_no(m, "is_need", f);
		if (need < 0)
			yw_field_error(errs, yw_sprintf(a, "%s.is_need", at), "材料必要性应为 1（必要）或 0（非必要）");
		else
			json_object_set_new(b, "required", json_boolean(need));
	}
	return b;
}

static json_t *row_body(yw_arena *a, json_t *row, const char *dept_id, json_t *errs)
{
	json_t *b = yw_arena_json(a, json_object());
	if (!b)
		return NULL;
	copy_member(b, "basic_code", row, "catalog_code");
	json_object_set_new(b, "department_id", json_string(dept_id ? dept_id : "-"));
	copy_member(b, "name", row, "task_name");
	long long level = code_member(row, "use_level", 1, 7, errs, "行使层级应为 1 到 7（GB/T 39046 A.2）");
	if (level > 0)
		json_object_set_new(b, "level", json_integer(level));
	json_object_set_new(b, "statutory_limit", limit_member(row, "anticipate_day", "anticipate_type", errs));
	json_object_set_new(b, "promised_limit", limit_member(row, "promise_day", "promise_type", errs));
	long long depth = code_member(row, "online_handle_depth", 1, 4, errs,
	                              "网上办理深度应为 1 到 4（一级…四级）");
	if (depth > 0)
		json_object_set_new(b, "online_depth", json_integer(depth));
	copy_member(b, "visits", row, "limit_scene_num");
	if (yw_cat_present(row, "limit_scene_explain"))
		copy_member(b, "visits_reason", row, "limit_scene_explain");
	long long pt = code_member(row, "project_type", 1, 9, errs,
	                           "办件类型应为 1（即办件）、2（承诺件）或 9（其他）");
	if (pt > 0)
		json_object_set_new(b, "project_type", json_integer(pt));
	json_object_set_new(b, "handling_forms", code_list(json_object_get(row, "handle_type")));
	json_object_set_new(b, "service_objects", code_list(json_object_get(row, "server_type")));
	int fee = yes_no(row, "is_fee", errs), hall = yes_no(row, "is_entry_center", errs);
	if (fee >= 0)
		json_object_set_new(b, "charged", json_boolean(fee));
	if (hall >= 0)
		json_object_set_new(b, "in_hall", json_boolean(hall));
	static const char *const same[] = { "aliases", "topics", "business_items", "guide" };
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		if (yw_cat_present(row, same[i]))
			copy_member(b, same[i], row, same[i]);
	copy_member(b, "form", row, "form");
	copy_member(b, "process", row, "process");
	json_t *mats = json_object_get(row, "materials");
	if (json_is_array(mats)) {
		json_t *arr = json_array(), *m;
		size_t i;
		json_array_foreach(mats, i, m)
			json_array_append_new(arr, material_body(m, yw_sprintf(a, "materials[%zu]", i), a, errs));
		json_object_set_new(b, "materials", arr);
	} else if (mats && !json_is_null(mats)) {
		yw_field_error(errs, "materials", "应为材料的数组");
	}
	return b;
}

/* ---- import: the plan and the write ------------------------------------------------------- */

typedef enum { ROW_NEW, ROW_UPDATE, ROW_SAME } row_kind;

typedef struct {
	long long row;           /* the row in the file: the item's index + 1, or its sheet row */
	const char *code;
	row_kind kind;
	yw_cat_new n;
	long long current;       /* update: the published version it replaces */
	long long version;       /* result: the version now published */
} plan_row;

typedef struct {
	yw_arena *a;
	const char *actor;
	yw_ms now;
	plan_row *rows;
	int n;
	const char *detail;
} import_arg;

static json_t *audit_json(const item *it, long long ver, const guide *g)
{
	return json_pack("{s:s, s:s, s:I, s:s, s:s}", "department_id", it->department_id,
	                 "division_code", it->division_code, "version", (json_int_t)ver, "name",
	                 g->name, "via", "import");
}

/* An existing item's next version, published at once: the steps of PATCH …/draft and POST
 * …/publish in one go, with their audit entries. The item must still be as it was read before
 * the write (published version current, no draft); otherwise ITEM_VERSION_STALE. */
static yw_err update_in(yw_db *tx, import_arg *w, plan_row *p)
{
	yw_err e = yw_cat_item_lock(tx, p->code, w->now);
	item it;
	if (e || (e = yw_cat_item_load(tx, w->a, p->code, &it)))
		return e;
	if (it.current != p->current || it.draft) {
		w->detail = yw_sprintf(w->a, "事项 %s 在导入期间被他人修改或发布，请重新导入", p->code);
		return YW_E_ITEM_VERSION_STALE;
	}
	long long ver = it.latest + 1, changed = 0;
	if ((e = yw_cat_draft_open(tx, it.code, ver, it.latest, w->now, &changed)))
		return e;
	if (!changed) {
		w->detail = yw_sprintf(w->a, "事项 %s 在导入期间被他人修改，请重新导入", p->code);
		return YW_E_ITEM_VERSION_STALE;
	}
	if ((e = yw_cat_version_insert(tx, w->a, it.code, ver, &p->n.g, w->actor, w->now)) ||
	    (e = yw_audit_add(tx, w->actor, "item.draft", "item", it.code, NULL,
	                      audit_json(&it, ver, &p->n.g))) ||
	    (e = yw_cat_publish_flip(tx, it.code, ver, w->now, &changed)))
		return e;
	if (!changed) {
		w->detail = yw_sprintf(w->a, "事项 %s 在导入期间被他人修改，请重新导入", p->code);
		return YW_E_ITEM_VERSION_STALE;
	}
	if ((e = yw_cat_version_mark_published(tx, it.code, ver, w->now, w->actor)))
		return e;
	long long old = it.current;
	it.current = ver;
	it.draft = 0;
	it.latest = ver;
	version v;
	if ((e = yw_cat_version_load(tx, w->a, it.code, ver, &v)) ||
	    (e = yw_cat_search_index(tx, w->a, &it, &v)))
		return e;
	p->version = ver;
	return yw_audit_add(tx, w->actor, "item.publish", "item", it.code,
	                    json_pack("{s:I}", "version", (json_int_t)old),
	                    json_pack("{s:I, s:s}", "version", (json_int_t)ver, "via", "import"));
}

static yw_err import_write(yw_db *tx, void *arg)
{
	import_arg *w = arg;
	w->detail = NULL;
	for (int i = 0; i < w->n; i++) {
		plan_row *p = &w->rows[i];
		yw_err e = YW_E_OK;
		if (p->kind == ROW_NEW) {
			p->version = 1;
			e = yw_cat_new_write(tx, w->a, &p->n, w->actor, w->now, true, &w->detail);
		} else if (p->kind == ROW_UPDATE) {
			e = update_in(tx, w, p);
		}
		if (e)
			return e;
	}
	return YW_E_OK;
}

/* ---- import: the handler ------------------------------------------------------------------ */

static void row_report(yw_arena *a, json_t *report, long long row, const char *code, json_t *errs)
{
	json_array_append_new(report, json_pack("{s:I, s:o, s:O}", "row", (json_int_t)row, "task_code",
	                                        text_or_null(code), "errors", errs));
}

/* Field errors of the item's own check, renamed to the layout's members; a member that already
 * has an error of the row's conversion keeps that one. */
static void merge_fields(yw_arena *a, json_t *errs, json_t *fields)
{
	size_t i;
	json_t *fe;
	json_array_foreach(fields, i, fe) {
		const char *f = layout_key(a, json_string_value(json_object_get(fe, "field")));
		bool seen = false;
		for (size_t k = 0; !seen && k < json_array_size(errs); k++)
			seen = yw_str_eq(json_string_value(json_object_get(json_array_get(errs, k), "field")), f);
		if (!seen)
			yw_field_error(errs, f, json_string_value(json_object_get(fe, "reason")));
	}
}

/* The member a check with a code of its own is about. */
static const char *error_field(yw_err e, json_t *row)
{
	json_t *st = json_object_get(row, "anticipate_day");
	switch (e) {
	case YW_E_BAD_ITEM_CODE: return "catalog_code";
	case YW_E_UNKNOWN_DEPARTMENT: return "dept_code";
	case YW_E_BAD_FORM: return "form";
	case YW_E_BAD_PROCESS: return "process";
	case YW_E_BAD_TIME_LIMIT:
		return json_is_integer(st) && json_integer_value(st) < 0 ? "anticipate_day" : "promise_day";
	default: return "task_code";
	}
}

/* The document of the body: the JSON as sent, or the workbook read into one. rows gets each
 * item's row number in the file. */
static yw_err import_doc(yw_req *r, json_t **doc, json_t **rows, json_t **orphans)
{
	const char *ct = yw_req_header(r, "Content-Type");
	size_t xl = strlen(XLSX_TYPE);
	*orphans = NULL;
	if (ct && !strncasecmp(ct, XLSX_TYPE, xl) && (!ct[xl] || ct[xl] == ';' || ct[xl] == ' ')) {
		const char *why = NULL;
		yw_err e = yw_cat_xlsx_read(r->arena, r->body, r->body_len, doc, rows, orphans, &why);
		if (e)
			return yw_fail(r, e, "%s", why ? why : "无法读取工作簿");
		if (!yw_str_eq(json_string_value(json_object_get(*doc, "format")), YW_CAT_TX_FORMAT))
			return yw_fail(r, YW_E_BAD_IMPORT, "工作簿的格式（说明表 format）应为 \"%s\"", YW_CAT_TX_FORMAT);
		return YW_E_OK;
	}
	if (ct && strncasecmp(ct, "application/json", 16))
		return yw_fail(r, YW_E_UNSUPPORTED_MEDIA_TYPE,
		               "Content-Type 应为 application/json 或 %s，收到 %s", XLSX_TYPE, ct);
	yw_err e = yw_req_json(r, doc);
	if (e)
		return e;
	json_t *items = json_object_get(*doc, "items");
	if (!yw_str_eq(json_string_value(json_object_get(*doc, "format")), YW_CAT_TX_FORMAT))
		return yw_fail(r, YW_E_BAD_IMPORT, "format 应为 \"%s\"", YW_CAT_TX_FORMAT);
	if (!json_is_array(items))
		return yw_fail(r, YW_E_BAD_IMPORT, "items 应为事项的数组");
	*rows = yw_arena_json(r->arena, json_array());
	for (size_t i = 0; *rows && i < json_array_size(items); i++)
		json_array_append_new(*rows, json_integer((json_int_t)i + 1));
	return *rows ? YW_E_OK : YW_E_NO_MEMORY;
}

static yw_err import_items(yw_req *r)
{
	yw_err e = yw_cat_editor_gate(r);
	if (e)
		return e;
	if (r->body_len > YW_CAT_TX_MAX_BYTES)
		return yw_fail(r, YW_E_BODY_TOO_LARGE, "导入文件不能超过 %u MiB", YW_CAT_TX_MAX_BYTES >> 20);
	json_t *doc, *rownums, *orphans;
	if ((e = import_doc(r, &doc, &rownums, &orphans)))
		return e;
	json_t *items = json_object_get(doc, "items");
	size_t n = json_array_size(items);
	if (n == 0)
		return yw_fail(r, YW_E_BAD_IMPORT, "文件中没有事项");
	if (n > YW_CAT_TX_MAX_ITEMS)
		return yw_fail(r, YW_E_BAD_IMPORT, "一次至多导入 %d 个事项", YW_CAT_TX_MAX_ITEMS);
	yw_arena *a = r->arena;
	plan_row *plan = yw_zalloc(a, sizeof *plan * n);
	json_t *bad = yw_arena_json(a, json_array()), *forbidden = yw_arena_json(a, json_array()),
	       *codes = yw_arena_json(a, json_object());
	if (!plan || !bad || !forbidden || !codes)
		return YW_E_NO_MEMORY;
	yw_db *db = yw_store_reader(r->app->store);
	dept_cache seen = { 0 };
	for (size_t i = 0; i < n; i++) {
		json_t *row = json_array_get(items, i), *errs = yw_arena_json(a, json_array());
		plan_row *p = &plan[i];
		p->row = json_integer_value(json_array_get(rownums, i));
		if (!json_is_object(row)) {
			yw_field_error(errs, "", "应为事项对象");
			row_report(a, bad, p->row, NULL, errs);
			continue;
		}
		p->code = json_string_value(json_object_get(row, "task_code"));
		if (!p->code || !p->code[0]) {
			p->code = NULL;
			yw_field_error(errs, "task_code", "必填");
		} else if (json_object_get(codes, p->code)) {
			yw_field_error(errs, "task_code",
			               yw_sprintf(a, "与第 %lld 行的实施编码重复",
			                          (long long)json_integer_value(json_object_get(codes, p->code))));
		} else {
			json_object_set_new(codes, p->code, json_integer(p->row));
		}
		/* The department first: who may is asked before anything else is said about the row. */
		const char *uscc = json_string_value(json_object_get(row, "dept_code"));
		yw_department d = { 0 };
		bool have_dept = false;
		dept_seen *s = NULL;
		if (!uscc || !uscc[0]) {
			yw_field_error(errs, "dept_code", "必填（实施主体的统一社会信用代码）");
		} else if (!(s = dept_by_uscc(r, &seen, uscc, &e)) || e) {
			return e ? yw_fail(r, e, "读取部门失败") : YW_E_NO_MEMORY;
		} else if (s->known) {
			have_dept = true;
			d = s->d;
			if (!s->allowed) {
				json_t *fe = yw_arena_json(a, json_array());
				yw_field_error(fe, "dept_code", yw_sprintf(a, "无权管理 %s 的事项", d.name));
				row_report(a, forbidden, p->row, p->code, fe);
			}
		} else {
			yw_field_error(errs, "dept_code", yw_sprintf(a, "没有统一社会信用代码为 %s 的部门", uscc));
		}
		json_t *body = row_body(a, row, have_dept ? d.id : NULL, errs), *fields = yw_arena_json(a, json_array());
		if (!body || !fields)
			return YW_E_NO_MEMORY;
		const char *why = NULL;
		e = yw_cat_new_prepare(r->app->store, a, body, &p->n, fields, &why);
		merge_fields(a, errs, fields);
		if (e && e != YW_E_BAD_PARAMETER && !(e == YW_E_UNKNOWN_DEPARTMENT && !have_dept)) {
			if (e == YW_E_NO_MEMORY || e == YW_E_DB_ERROR || e == YW_E_DB_UNREACHABLE)
				return yw_fail(r, e, "检查事项失败");
			yw_field_error(errs, error_field(e, row), why ? why : yw_err_title(e));
		}
		if (!e) {
			if (p->code && strcmp(p->code, p->n.it.code))
				yw_field_error(errs, "task_code",
				               yw_sprintf(a, "应为 %s（实施主体编码 + 行使层级 + 基本编码）", p->n.it.code));
			const char *tt = json_string_value(json_object_get(row, "task_type"));
			if (json_object_get(row, "task_type") && !yw_str_eq(tt, p->n.g.item_type))
				yw_field_error(errs, "task_type",
				               yw_sprintf(a, "应为 %s（基本编码的第 3、4 位）", p->n.g.item_type));
		}
		if (!e && !json_array_size(errs)) {
			item it;
			yw_err le = yw_cat_item_load(db, a, p->n.it.code, &it);
			if (le == YW_E_NOT_FOUND) {
				p->kind = ROW_NEW;
			} else if (le) {
				return yw_fail(r, le, "读取事项失败");
			} else if (it.draft) {
				yw_field_error(errs, "task_code",
				               yw_sprintf(a, "事项有未发布的草稿（第 %lld 版），请先发布后再导入", it.draft));
			} else {
				version v;
				if ((le = yw_cat_version_load(db, a, it.code, it.current, &v)))
					return yw_fail(r, le, "读取事项失败");
				json_t *was = layout_item(a, &it, &v.g, &d), *now = layout_item(a, &p->n.it, &p->n.g, &d);
				if (!was || !now)
					return YW_E_NO_MEMORY;
				p->kind = json_equal(was, now) ? ROW_SAME : ROW_UPDATE;
				p->current = it.current;
				p->version = it.current;
			}
		}
		if (json_array_size(errs))
			row_report(a, bad, p->row, p->code, errs);
	}
	json_t *o;
	size_t k;
	json_array_foreach(orphans, k, o) {
		json_t *errs = yw_arena_json(a, json_array());
		yw_field_error(errs, "task_code", "材料表中这一行的实施编码不是事项表中任何事项的");
		json_array_append_new(bad, json_pack("{s:s, s:O, s:O, s:O}", "sheet", "材料", "row",
		                                     json_object_get(o, "row"), "task_code",
		                                     json_object_get(o, "task_code") ? json_object_get(o, "task_code") : json_null(),
		                                     "errors", errs));
	}
	if (json_array_size(forbidden)) {
		r->problem_extra = yw_arena_json(a, json_pack("{s:O}", "rows", forbidden));
		return yw_fail(r, YW_E_FORBIDDEN, "无权管理 %zu 行事项所属部门的事项，未导入任何事项",
		               json_array_size(forbidden));
	}
	if (json_array_size(bad)) {
		r->problem_extra = yw_arena_json(a, json_pack("{s:O}", "rows", bad));
		return yw_fail(r, YW_E_BAD_IMPORT, "%zu 行有误，未导入任何事项，请按 rows 逐行改正后重新导入",
		               json_array_size(bad));
	}
	import_arg w = { .a = a, .actor = yw_cat_actor(r), .now = yw_now_ms(), .rows = plan, .n = (int)n };
	if ((e = yw_store_write(r->app->store, import_write, &w)))
		return yw_fail(r, e, "%s", w.detail ? w.detail : "导入失败");
	json_t *results = json_array();
	long long made = 0, changed = 0, same = 0;
	for (size_t i = 0; results && i < n; i++) {
		static const char *const kinds[] = { "created", "updated", "unchanged" };
		made += plan[i].kind == ROW_NEW;
		changed += plan[i].kind == ROW_UPDATE;
		same += plan[i].kind == ROW_SAME;
		json_array_append_new(results, json_pack("{s:I, s:s, s:s, s:I}", "row", (json_int_t)plan[i].row,
		                                         "task_code", plan[i].n.it.code, "result",
		                                         kinds[plan[i].kind], "version",
		                                         (json_int_t)plan[i].version));
	}
	return yw_reply_json(r, 200, json_pack("{s:I, s:I, s:I, s:o}", "created", (json_int_t)made,
	                                       "updated", (json_int_t)changed, "unchanged",
	                                       (json_int_t)same, "rows", results));
}

void yw_cat_transfer_routes(yw_router *rt)
{
	yw_route(rt, "GET", "/api/v1/catalog/export", export_items);
	yw_route(rt, "POST", "/api/v1/catalog/import", import_items);
}
