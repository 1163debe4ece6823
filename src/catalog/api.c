/*
 * The catalog's HTTP API (catalog.h, docs/catalog.md); its SQL is in db.c:
 *   GET   /api/v1/items?q=&department=&division=&limit=&cursor=   public, published only
 *   GET   /api/v1/items/{code}[?version=N]      public for published versions; a draft needs
 *                                               CATALOG_MANAGE over the item
 *   POST  /api/v1/items                         CATALOG_MANAGE over the department: a new item,
 *                                               version 1 as a draft
 *   PATCH /api/v1/items/{code}/draft            CATALOG_MANAGE: edit the draft (made from the
 *                                               published version when there is none)
 *   POST  /api/v1/items/{code}/publish {version}  CATALOG_MANAGE: the draft becomes current
 *   GET   /api/v1/items/{code}/versions         CATALOG_MANAGE: every version, drafts included
 *
 * Items are public facts, so an item outside the caller's reach answers 403, not 404. Input is
 * checked before the write; what depends on other rows (the draft the edit applies to, the
 * version being published, a taken code) is checked inside it, so what is checked is what
 * commits. Each write records its audit entry in the same transaction.
 */
#include <string.h>

#include "audit/audit.h"
#include "catalog/internal.h"
#include "http/http.h"
#include "identity/identity.h"
#include "ref/ref.h"
#include "store/store.h"

#define NONE YW_CAT_NONE        /* a time limit the item does not have */

typedef yw_cat_guide guide;
typedef yw_cat_version version;
typedef yw_cat_item item;

/* ---- helpers ----------------------------------------------------------------------------- */

static yw_object item_object(const item *it)
{
	return yw_cat_item_object(it->code, it->department_id, it->division_code);
}

/* The one answer for an item, or a version of it, that the caller may not know of: a missing
 * one, one never published, a draft. Told apart, they would say what a department is preparing. */
static yw_err not_public(yw_req *r, const char *code)
{
	return yw_fail(r, YW_E_NOT_FOUND, "没有已发布的事项 %s 或所查的版本", code);
}

/* The item named by the path: BAD_ITEM_CODE for a malformed code, NOT_FOUND when none. */
static yw_err path_item(yw_req *r, item *it)
{
	const char *code = yw_req_param(r, "code"), *why = NULL;
	yw_cat_code parts;
	if (yw_cat_impl_code_parse(code, &parts, &why))
		return yw_fail(r, YW_E_BAD_ITEM_CODE, "实施编码 %s 不正确：%s", code, why);
	yw_err e = yw_cat_item_load(yw_store_reader(r->app->store), r->arena, code, it);
	if (e == YW_E_NOT_FOUND)
		return not_public(r, code);
	return e ? yw_fail(r, e, "读取事项失败") : YW_E_OK;
}

/* The item of the path, which the caller must be allowed to manage. One never published is, to
 * anyone else, as missing as an unknown code; a published one outside their reach is a 403. */
static yw_err managed_path_item(yw_req *r, item *it)
{
	yw_err e = yw_cat_gate(r);
	if (e || (e = path_item(r, it)))
		return e;
	yw_object obj = item_object(it);
	if (!it->current && !yw_authz_allows(r, YW_ACT_CATALOG_MANAGE, &obj))
		return not_public(r, it->code);
	return yw_authz(r, YW_ACT_CATALOG_MANAGE, &obj);
}

/* ---- reads ------------------------------------------------------------------------------- */

/* A published version's answer, with a validator: the ETag names the version and when the
 * answer was rendered, so a browser revalidating an unchanged guide gets a 304. */
static yw_err reply_published(yw_req *r, long long ver, yw_ms built, const char *body, size_t len)
{
	const char *etag = yw_sprintf(r->arena, "\"%lld-%lld\"", ver, (long long)built);
	const char *inm = yw_req_header(r, "If-None-Match");
	yw_reply_header(r, "ETag", etag);
	yw_reply_header(r, "Cache-Control", "no-cache");
	if (etag && inm && strstr(inm, etag))
		return yw_reply_raw(r, 304, NULL, "", 0);
	return yw_reply_raw(r, 200, "application/json", body, len);
}

static yw_err item_get(yw_req *r)
{
	item it;
	yw_err e = yw_cat_need_store(r);
	if (e || (e = path_item(r, &it)))
		return e;
	const char *vq = yw_req_query(r, "version");
	long long ver = it.current;
	if (vq && !yw_parse_int(vq, 1, 1000000, &ver))
		return yw_fail(r, YW_E_BAD_PARAMETER, "version 应为正整数");
	if (!ver)
		return not_public(r, it.code);
	/* The current version, the one every applicant reads, comes rendered when it can. */
	bool current = ver == it.current;
	yw_ms now = yw_now_ms(), built = 0;
	size_t len = 0;
	const char *body = current ? yw_cat_cache_get(r->arena, it.code, ver, now, &len, &built) : NULL;
	if (body)
		return reply_published(r, ver, built, body, len);
	version v;
	e = yw_cat_version_load(yw_store_reader(r->app->store), r->arena, it.code, ver, &v);
	if (e == YW_E_NOT_FOUND)
		return not_public(r, it.code);
	if (e)
		return yw_fail(r, e, "读取事项失败");
	json_t *j = json_pack("{s:o}", "item", yw_cat_item_json(r->app->store, r->arena, &it, &v));
	/* A draft is not yet public: only its editors may see it. */
	if (!v.published_at) {
		yw_object obj = item_object(&it);
		if (!yw_authz_allows(r, YW_ACT_CATALOG_MANAGE, &obj)) {
			json_decref(j);
			return not_public(r, it.code);
		}
		yw_reply_header(r, "Cache-Control", "no-store");
		return yw_reply_json(r, 200, j);
	}
	if (!j || !yw_arena_json(r->arena, j) || !(body = yw_json_dump(r->arena, j, &len)))
		return YW_E_NO_MEMORY;
	if (current)
		yw_cat_cache_put(it.code, ver, now, body, len);
	return reply_published(r, ver, now, body, len);
}

/* The editors' list: the items the caller may manage, drafts included, each with its newest
 * version. Reach is decided per item, so a page is filled from as many rows as it takes. */
static yw_err managed_list(yw_req *r)
{
	yw_err e = yw_cat_editor_gate(r);
	if (e)
		return e;
	const char *q = yw_req_query(r, "q"), *dept = yw_req_query(r, "department"),
		   *status = yw_req_query(r, "status"), *cursor = yw_req_query(r, "cursor"),
		   *lim = yw_req_query(r, "limit");
	long long limit = 20;
	if (lim && !yw_parse_int(lim, 1, 100, &limit))
		return yw_fail(r, YW_E_BAD_PARAMETER, "limit 应为 1 到 100 的整数");
	if (q && q[0] && !yw_text_ok(q, 50))
		return yw_fail(r, YW_E_BAD_PARAMETER, "q 至多 50 个字符");
	if (status && strcmp(status, "all") && strcmp(status, "draft") && strcmp(status, "published"))
		return yw_fail(r, YW_E_BAD_PARAMETER, "status 应为 all、draft 或 published");
	if (cursor && strlen(cursor) > YW_CAT_IMPL_LEN)
		return yw_fail(r, YW_E_BAD_PARAMETER, "cursor 不正确");
	const char *like = q && q[0] ? yw_cat_like_pattern(r->arena, q) : "";
	if (!like)
		return YW_E_NO_MEMORY;
	json_t *arr = yw_arena_json(r->arena, json_array());
	const char *after = cursor ? cursor : "";
	bool exhausted = false;
	/* Bounded: a member who may manage few of many items gets a short page and a cursor. */
	for (int round = 0; !exhausted && round < 20 && json_array_size(arr) < (size_t)limit; round++) {
		yw_rows *rows;
		e = yw_cat_managed_query(yw_store_reader(r->app->store), r->arena, after,
		                         dept ? dept : "", like, status ? status : "all", 200, &rows);
		if (e)
			return yw_fail(r, e, "读取事项失败");
		int n = yw_rows_count(rows), i;
		for (i = 0; i < n && json_array_size(arr) < (size_t)limit; i++) {
			item it;
			version v;
			yw_cat_item_row(rows, i, &it);
			after = it.code;
			yw_object obj = item_object(&it);
			if (!yw_authz_allows(r, YW_ACT_CATALOG_MANAGE, &obj))
				continue;
			yw_cat_version_row(r->arena, rows, i, YW_CAT_ITEM_NCOLS, &v);
			json_t *b = yw_cat_item_brief_json(r->app->store, r->arena, &it, &v);
			json_object_set_new(b, "current_version", it.current ? json_integer(it.current) : json_null());
			json_object_set_new(b, "draft_version", it.draft ? json_integer(it.draft) : json_null());
			json_array_append_new(arr, b);
		}
		exhausted = n < 200 && i == n;
	}
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200, json_pack("{s:O, s:o}", "items", arr, "next_cursor",
	                                       exhausted ? json_null() : json_string(after)));
}

static yw_err versions_list(yw_req *r)
{
	item it;
	yw_err e = managed_path_item(r, &it);
	if (e)
		return e;
	yw_rows *rows;
	e = yw_cat_versions_query(yw_store_reader(r->app->store), r->arena, it.code, &rows);
	if (e)
		return yw_fail(r, e, "读取版本失败");
	json_t *arr = json_array();
	for (int i = 0; arr && i < yw_rows_count(rows); i++) {
		version v;
		yw_cat_version_row(r->arena, rows, i, 0, &v);
		const char *status = v.version == it.current ? "published"
		                     : v.version == it.draft ? "draft"
		                                             : "superseded";
		json_array_append_new(
			arr, json_pack("{s:I, s:s, s:s, s:I, s:s, s:I, s:o, s:o}", "version",
			               (json_int_t)v.version, "name", v.g.name, "status", status, "created_at",
			               (json_int_t)v.created_at, "created_by", v.created_by, "updated_at",
			               (json_int_t)v.updated_at, "published_at",
			               v.published_at ? json_integer(v.published_at) : json_null(),
			               "published_by", v.published_by ? json_string(v.published_by) : json_null()));
	}
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200,
	                     json_pack("{s:s, s:o, s:o, s:o}", "code", it.code, "current_version",
	                               it.current ? json_integer(it.current) : json_null(),
	                               "draft_version", it.draft ? json_integer(it.draft) : json_null(),
	                               "versions", arr));
}

/* ---- writes ------------------------------------------------------------------------------ */

typedef struct {
	yw_arena *a;
	const char *actor;
	yw_ms now;
	item it;
	const yw_cat_new *n;       /* create: the item to write */
	json_t *body;              /* the draft edit, applied to what the write reads */
	long long version;         /* publish: the draft's number the caller saw */
	/* results */
	const char *detail;
	version out;
} write_arg;

static json_t *audit_json(const item *it, long long ver, const guide *g)
{
	return json_pack("{s:s, s:s, s:I, s:s}", "department_id", it->department_id, "division_code",
	                 it->division_code, "version", (json_int_t)ver, "name", g->name);
}

static yw_err create_write(yw_db *tx, void *arg)
{
	write_arg *w = arg;
	return yw_cat_new_write(tx, w->a, w->n, w->actor, w->now, false, &w->detail);
}

static yw_err draft_write(yw_db *tx, void *arg)
{
	write_arg *w = arg;
	w->detail = NULL;
	/* Take the item's row lock before reading: on PostgreSQL two edits of one item then run one
	 * after the other, the second reading what the first committed, instead of both replacing
	 * the same draft rows. (SQLite has one writer anyway.) */
	yw_err e = yw_cat_item_lock(tx, w->it.code, w->now);
	item it;
	if (e || (e = yw_cat_item_load(tx, w->a, w->it.code, &it)))
		return e;
	long long base = it.draft ? it.draft : it.current;
	version v;
	if ((e = yw_cat_version_load(tx, w->a, it.code, base, &v)))
		return e;
	json_t *fields = yw_arena_json(w->a, json_array());
	guide g = v.g;
	yw_cat_guide_fields(w->a, w->body, &g, false, fields);
	if (json_array_size(fields))
		return YW_E_BAD_PARAMETER;   /* checked before the write: cannot happen on the same body */
	if ((e = yw_cat_guide_limits(w->a, &g, &w->detail)))
		return e;
	long long ver = base;
	if (it.draft) {
		e = yw_cat_version_replace(tx, w->a, it.code, ver, &g, w->now, v.created_at, v.created_by);
	} else {
		/* The published version stays live; the edit starts the next version. */
		ver = it.latest + 1;
		long long changed = 0;
		e = yw_cat_draft_open(tx, it.code, ver, it.latest, w->now, &changed);
		if (!e && !changed) {
			w->detail = "事项刚被他人修改，请刷新后重试";
			return YW_E_ITEM_VERSION_STALE;
		}
		if (!e)
			e = yw_cat_version_insert(tx, w->a, it.code, ver, &g, w->actor, w->now);
	}
	if (e)
		return e;
	w->it = it;
	w->it.draft = ver;
	w->it.latest = ver > it.latest ? ver : it.latest;
	w->out = (version){ .version = ver, .created_at = it.draft ? v.created_at : w->now,
	                    .updated_at = w->now, .g = g };
	return yw_audit_add(tx, w->actor, "item.draft", "item", it.code, NULL, audit_json(&it, ver, &g));
}

/* The flip, inside a write: one statement makes the draft current, and only the draft the
 * caller saw (ITEM_VERSION_STALE otherwise); the same write stamps the version, makes the search
 * index say what it says and records the audit entry. */
static yw_err publish_in(yw_db *tx, yw_arena *a, const char *code, long long ver, const char *actor,
                         yw_ms now, const char **why)
{
	item it;
	yw_err e = yw_cat_item_load(tx, a, code, &it);
	if (e)
		return e;
	long long changed = 0;
	if ((e = yw_cat_publish_flip(tx, it.code, ver, now, &changed)))
		return e;
	if (!changed) {
		*why = it.draft ? yw_sprintf(a, "第 %lld 版不是当前草稿（当前草稿为第 %lld 版），请刷新后重试",
		                             ver, it.draft)
		                : yw_sprintf(a, "第 %lld 版不是草稿：没有待发布的草稿，可能已被他人发布", ver);
		return YW_E_ITEM_VERSION_STALE;
	}
	if ((e = yw_cat_version_mark_published(tx, it.code, ver, now, actor)))
		return e;
	version v;
	json_t *old = it.current ? json_pack("{s:I}", "version", (json_int_t)it.current) : NULL;
	it.current = ver;
	it.draft = 0;
	if ((e = yw_cat_version_load(tx, a, it.code, ver, &v)) ||
	    (e = yw_cat_search_index(tx, a, &it, &v))) {
		json_decref(old);
		return e;
	}
	return yw_audit_add(tx, actor, "item.publish", "item", it.code, old,
	                    json_pack("{s:I}", "version", (json_int_t)ver));
}

static yw_err publish_write(yw_db *tx, void *arg)
{
	write_arg *w = arg;
	w->detail = NULL;
	return publish_in(tx, w->a, w->it.code, w->version, w->actor, w->now, &w->detail);
}

yw_err yw_cat_new_prepare(yw_store *st, yw_arena *a, json_t *body, yw_cat_new *out,
                          json_t *fields, const char **why)
{
	const char *basic = yw_req_field(body, "basic_code", fields),
		   *dept_id = yw_req_field(body, "department_id", fields), *basic_name = NULL;
	long long level = 0;
	*why = NULL;
	*out = (yw_cat_new){ 0 };
	if (yw_cat_present(body, "level"))
		yw_cat_int_field(body, "level", 1, 7, &level, fields, "行使层级应为 1 到 7（GB/T 39046 A.2）");
	if (yw_cat_present(body, "basic_name"))
		basic_name = yw_cat_text_field(a, body, "basic_name", 200, fields);
	guide g = { .statutory = NONE, .promised = NONE, .service_objects = "", .guide = NULL };
	yw_cat_guide_fields(a, body, &g, true, fields);
	if (json_array_size(fields))
		return YW_E_BAD_PARAMETER;
	yw_err e = yw_cat_definitions_check(a, body, why);
	if (e)
		return e;
	yw_department d;
	if ((e = yw_identity_department(st, a, dept_id, &d))) {
		*why = e == YW_E_NOT_FOUND ? yw_sprintf(a, "部门 %s 不存在", dept_id) : "读取部门失败";
		return e == YW_E_NOT_FOUND ? YW_E_UNKNOWN_DEPARTMENT : e;
	}
	/* Known from here on, so that the caller can ask who may before telling what else is wrong. */
	out->it.department_id = d.id;
	out->it.division_code = d.division_code;
	if (!level && !(level = yw_cat_level_of_division(d.division_code))) {
		yw_field_error(fields, "level", "无法从部门的行政区划推出行使层级，请给出 level");
		return YW_E_BAD_PARAMETER;
	}
	char code[32];
	const char *bad = NULL;
	if (yw_cat_impl_code_make(d.uscc, (int)level, basic, code, &bad)) {
		*why = yw_sprintf(a, "基本编码 %s 不正确：%s", basic, bad);
		return YW_E_BAD_ITEM_CODE;
	}
	if ((e = yw_cat_guide_limits(a, &g, why)))
		return e;
	if (!g.guide)
		g.guide = yw_arena_json(a, json_object());
	g.item_type = yw_strndup(a, basic + 2, 2);
	if (!g.mats)
		g.mats = yw_zalloc(a, sizeof *g.mats);
	out->basic_name = basic_name ? basic_name : g.name;
	out->g = g;
	out->it = (item){ .code = yw_strdup(a, code), .basic_code = basic, .department_id = d.id,
	                  .division_code = d.division_code, .level = level, .draft = 1, .latest = 1 };
	return out->it.code && g.item_type && g.mats ? YW_E_OK : YW_E_NO_MEMORY;
}

yw_err yw_cat_new_write(yw_db *tx, yw_arena *a, const yw_cat_new *n, const char *actor, yw_ms now,
                        bool publish, const char **why)
{
	bool taken = false;
	*why = NULL;
	yw_err e = yw_cat_item_insert(tx, a, &n->it, n->basic_name, &n->g, actor, now, &taken);
	if (e)
		return e;
	if (taken) {
		*why = yw_sprintf(a, "实施编码 %s 的事项已存在", n->it.code);
		return YW_E_ITEM_EXISTS;
	}
	if ((e = yw_audit_add(tx, actor, "item.create", "item", n->it.code, NULL,
	                      audit_json(&n->it, 1, &n->g))))
		return e;
	return publish ? publish_in(tx, a, n->it.code, 1, actor, now, why) : YW_E_OK;
}

static yw_err item_create(yw_req *r)
{
	json_t *body;
	yw_err e = yw_cat_gate(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	yw_cat_new n;
	const char *why = NULL;
	e = yw_cat_new_prepare(r->app->store, r->arena, body, &n, fields, &why);
	if (e == YW_E_BAD_PARAMETER)
		return yw_fail_fields(r, fields);
	/* Who may is asked before saying anything else about the item. */
	yw_object obj = item_object(&n.it);
	if (n.it.department_id) {
		yw_err ae = yw_authz(r, YW_ACT_CATALOG_MANAGE, &obj);
		if (ae)
			return ae;
	}
	if (e)
		return yw_fail(r, e, "%s", why ? why : "新建事项失败");
	write_arg w = { .a = r->arena, .actor = yw_cat_actor(r), .now = yw_now_ms(), .n = &n };
	if ((e = yw_store_write(r->app->store, create_write, &w)))
		return yw_fail(r, e, "%s", w.detail ? w.detail : "新建事项失败");
	version v = { .version = 1, .created_at = w.now, .updated_at = w.now, .created_by = w.actor,
	              .g = n.g };
	n.it.created_at = n.it.updated_at = w.now;
	yw_reply_header(r, "Location", yw_sprintf(r->arena, "/api/v1/items/%s", n.it.code));
	return yw_reply_json(r, 201, json_pack("{s:o}", "item",
	                                       yw_cat_item_json(r->app->store, r->arena, &n.it, &v)));
}

/* The item of the path, which the caller must be allowed to manage, and the request body: the
 * start of every change to an existing item. */
static yw_err managed_item(yw_req *r, item *it, json_t **body)
{
	yw_err e = managed_path_item(r, it);
	return e ? e : yw_req_json(r, body);
}

static yw_err draft_update(yw_req *r)
{
	item it;
	json_t *body;
	yw_err e = managed_item(r, &it, &body);
	if (e)
		return e;
	/* Checked here on a blank guide, so that a bad body is a 400 with every field named; the
	 * write applies it again to the draft as it reads it. */
	json_t *fields = yw_arena_json(r->arena, json_array());
	guide probe = { .statutory = NONE, .promised = NONE };
	yw_cat_guide_fields(r->arena, body, &probe, false, fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	const char *why = NULL;
	if ((e = yw_cat_definitions_check(r->arena, body, &why)))
		return yw_fail(r, e, "%s", why);
	write_arg w = { .a = r->arena, .actor = yw_cat_actor(r), .now = yw_now_ms(), .it = it, .body = body };
	if ((e = yw_store_write(r->app->store, draft_write, &w)))
		return yw_fail(r, e, "%s", w.detail ? w.detail : "保存草稿失败");
	w.out.created_by = w.actor;
	return yw_reply_json(r, 200, json_pack("{s:o}", "item", yw_cat_item_json(r->app->store, r->arena, &w.it, &w.out)));
}

static yw_err item_publish(yw_req *r)
{
	item it;
	json_t *body;
	yw_err e = managed_item(r, &it, &body);
	if (e)
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	long long ver = 0;
	yw_cat_int_field(body, "version", 1, 1000000, &ver, fields, "应为要发布的草稿的版本号");
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	write_arg w = { .a = r->arena, .actor = yw_cat_actor(r), .now = yw_now_ms(), .it = it, .version = ver };
	if ((e = yw_store_write(r->app->store, publish_write, &w)))
		return yw_fail(r, e, "%s", w.detail ? w.detail : "发布失败");
	if ((e = yw_cat_item_load(yw_store_reader(r->app->store), r->arena, it.code, &it)))
		return yw_fail(r, e, "读取事项失败");
	version v;
	if ((e = yw_cat_version_load(yw_store_reader(r->app->store), r->arena, it.code, ver, &v)))
		return yw_fail(r, e, "读取事项失败");
	return yw_reply_json(r, 200, json_pack("{s:o}", "item", yw_cat_item_json(r->app->store, r->arena, &it, &v)));
}

void yw_catalog_routes(yw_router *rt)
{
	yw_cat_search_routes(rt);
	yw_route(rt, "POST", "/api/v1/items", item_create);
	yw_route(rt, "GET", "/api/v1/items/{code}", item_get);
	yw_route(rt, "PATCH", "/api/v1/items/{code}/draft", draft_update);
	yw_route(rt, "POST", "/api/v1/items/{code}/publish", item_publish);
	yw_route(rt, "GET", "/api/v1/items/{code}/versions", versions_list);
	yw_route(rt, "GET", "/api/v1/catalog/items", managed_list);
	yw_cat_theme_routes(rt);
	yw_cat_transfer_routes(rt);
}
