/*
 * The materials API (materials.h, docs/cases.md "Materials"); its SQL is in db.c, its files in
 * store.c:
 *   POST   /api/v1/materials?title=&for=     raw body → 201 material, 200 the same bytes again
 *   GET    /api/v1/materials[?for=]          → {items: [material…]}, newest first
 *   GET    /api/v1/materials/{id}            → material
 *   GET    /api/v1/materials/{id}/content    → the bytes
 *   DELETE /api/v1/materials/{id}            → 204 (hidden from the space, kept for cases)
 *
 * A material space belongs to a person or an organisation; its owner, their agents (代办) and
 * the organisation's representative and handlers (经办人) reach it, all through CASE_APPLY on
 * {type material, owner}. For anybody else a material does not exist (404), so ids cannot be
 * probed. Uploads check everything before the file is written, write the file durably before the
 * row, and make the row and its audit entry in one write (R-MAT-004, R-MAT-005).
 */
#include <string.h>

#include "audit/audit.h"
#include "identity/identity.h"
#include "materials/internal.h"

/* ---- helpers ----------------------------------------------------------------------------- */

static yw_err need_store(yw_req *r)
{
	if (!r->app->store || !r->app->config)
		return yw_fail(r, YW_E_UNAVAILABLE, "材料服务未配置数据库或数据目录");
	return YW_E_OK;
}

static yw_object space_object(const char *owner_kind, const char *owner_id)
{
	return (yw_object){ .type = "material", .owner_kind = owner_kind, .owner_id = owner_id };
}

/* The space the request is about: ?for=person:<id> | org:<id>, else the caller's own. The
 * caller must be allowed CASE_APPLY on it: 401 anonymous, 403 a space they do not act for. */
static yw_err request_space(yw_req *r, const char **kind, const char **id)
{
	const yw_caller *c = r->principal.ext;
	if (!c || !c->kind)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	const char *f = yw_req_query(r, "for");
	if (f && *f) {
		const char *colon = strchr(f, ':');
		if (!colon || colon[1] == '\0' || strlen(colon + 1) > 64 ||
		    !((colon - f == 6 && !memcmp(f, "person", 6)) || (colon - f == 3 && !memcmp(f, "org", 3))))
			return yw_fail(r, YW_E_BAD_PARAMETER, "for 应为 person:<用户编号> 或 org:<单位编号>");
		*kind = yw_strndup(r->arena, f, (size_t)(colon - f));
		*id = colon + 1;
		if (!*kind)
			return YW_E_NO_MEMORY;
	} else {
		if (strcmp(c->kind, "person"))
			return yw_fail(r, YW_E_FORBIDDEN, "材料库属于申请人：请用个人账号操作，或以 for 指明为谁办理");
		*kind = "person";
		*id = c->id;
	}
	yw_object obj = space_object(*kind, *id);
	return yw_authz(r, YW_ACT_CASE_APPLY, &obj);
}

/* The material of the path, live and in a space the caller reaches; one 404 for everything
 * else (missing, deleted, another applicant's). */
static yw_err path_material(yw_req *r, yw_material *m)
{
	const yw_caller *c = r->principal.ext;
	if (!c || !c->kind)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	yw_err e = yw_materials_get(yw_store_reader(r->app->store), r->arena, yw_req_param(r, "id"), m);
	if (e && e != YW_E_NOT_FOUND)
		return yw_fail(r, e, "读取材料失败");
	if (e == YW_E_OK && !m->deleted) {
		yw_object obj = space_object(m->owner_kind, m->owner_id);
		if (yw_authz_allows(r, YW_ACT_CASE_APPLY, &obj))
			return YW_E_OK;
	}
	return yw_fail(r, YW_E_NOT_FOUND, "材料不存在");
}

json_t *yw_material_json(const yw_material *m)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:I}", "id", m->id, "title", m->title, "media_type",
	                 m->media_type, "size", (json_int_t)m->size, "sha256", m->sha256, "created_at",
	                 (json_int_t)m->created_at);
}

static json_t *audit_value(const yw_material *m)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "owner_kind", m->owner_kind, "owner_id",
	                 m->owner_id, "title", m->title, "media_type", m->media_type, "sha256", m->sha256,
	                 "size", (json_int_t)m->size);
}

/* ---- uploading --------------------------------------------------------------------------- */

typedef struct {
	yw_arena *a;
	yw_material m;          /* the new material; on a twin, the one found */
	const char *actor;
	bool created;
} put_arg;

static yw_err put_write(yw_db *tx, void *arg)
{
	put_arg *g = arg;
	g->created = false;
	yw_material twin;
	yw_err e = yw_mat_live_by_sha(tx, g->a, g->m.owner_kind, g->m.owner_id, g->m.sha256, &twin);
	if (e == YW_E_OK)
		return YW_E_OK;
	if (e != YW_E_NOT_FOUND)
		return e;
	bool inserted;
	if ((e = yw_mat_insert(tx, &g->m, g->actor, &inserted)) || !inserted)
		return e;
	g->created = true;
	return yw_audit_add(tx, g->actor, "material.upload", "material", g->m.id, NULL, audit_value(&g->m));
}

yw_err yw_materials_put(yw_req *r, const char *owner_kind, const char *owner_id, const char *title,
                        const char *actor, yw_material *out, bool *created)
{
	*created = false;
	yw_err e = need_store(r);
	if (e)
		return e;
	/* R-MAT-001 and the title, before anything is hashed or written. */
	if (!title || !*title || !yw_text_ok(title, YW_MAT_MAX_TITLE)) {
		json_t *fields = yw_arena_json(r->arena, json_array());
		yw_field_error(fields, "title", !title || !*title ? "必填：材料名称"
		                                                  : "材料名称应为 1 到 100 个字符，不含控制字符");
		return yw_fail_fields(r, fields);
	}
	if (r->body_len > YW_MAT_MAX_FILE)
		return yw_fail(r, YW_E_MATERIAL_TOO_LARGE, "单个文件不能超过 %zu MiB，此文件 %.1f MiB",
		               YW_MAT_MAX_FILE >> 20, (double)r->body_len / (1024.0 * 1024.0));
	/* R-MAT-002, R-MAT-003: the bytes decide; a claim must agree with them. */
	const char *ct = yw_req_header(r, "Content-Type");
	const char *claim = yw_mat_claim(ct), *kind = yw_mat_sniff(r->body, r->body_len);
	if (!r->body_len)
		return yw_fail(r, YW_E_BAD_MATERIAL_TYPE, "文件为空");
	if (!kind)
		return yw_fail(r, YW_E_BAD_MATERIAL_TYPE,
		               "文件内容不是 PDF、JPEG、PNG 或 OFD 格式（按文件内容判断，与文件名无关）");
	if (!claim)
		return yw_fail(r, YW_E_BAD_MATERIAL_TYPE,
		               "Content-Type 应为 application/pdf、image/jpeg、image/png、application/ofd "
		               "或 application/octet-stream");
	if (strcmp(claim, YW_MAT_ANY) && strcmp(claim, kind))
		return yw_fail(r, YW_E_BAD_MATERIAL_TYPE, "文件内容是%s，与声明的类型 %s 不符",
		               yw_mat_type_zh(kind), claim);
	char sha[65];
	yw_sha256_hex(r->body, r->body_len, sha);
	yw_db *db = yw_store_reader(r->app->store);
	/* The same bytes in this space already: that material, and nothing written. */
	e = yw_mat_live_by_sha(db, r->arena, owner_kind, owner_id, sha, out);
	if (e == YW_E_OK)
		return YW_E_OK;
	if (e != YW_E_NOT_FOUND)
		return yw_fail(r, e, "读取材料失败");
	/* R-MAT-007: a space takes in at most upload-day-limit bytes a day, deleted files counted
	 * too: a deleted file stays on disk (a case may hold it), so upload-and-delete in a loop
	 * would otherwise fill the disk. (Checked before the write, so two uploads at once may each
	 * pass just under the line: the limit is a bound on abuse, not an account balance.) */
	long long recent = 0;
	if ((e = yw_mat_recent_bytes(db, r->arena, owner_kind, owner_id, yw_now_ms() - (yw_ms)86400000,
	                             &recent)))
		return yw_fail(r, e, "读取材料失败");
	long long cap = r->app->config->upload_day_limit;
	if (recent + (long long)r->body_len > cap) {
		yw_reply_header(r, "Retry-After", "3600");
		return yw_fail(r, YW_E_RATE_LIMITED, "24 小时内上传的材料已达 %.1f MiB 上限，请稍后再传",
		               (double)cap / (1024.0 * 1024.0));
	}
	/* R-MAT-004: durable on disk before any row names it. */
	if ((e = yw_mat_blob_write(r->arena, r->app->config->data_dir, sha, r->body, r->body_len)))
		return yw_fail(r, e, "保存文件失败，请稍后重试");
	const char *token = yw_random_token(r->arena, 12);
	put_arg g = { .a = r->arena, .actor = actor,
	              .m = { .id = token ? yw_sprintf(r->arena, "m_%s", token) : NULL,
	                     .owner_kind = owner_kind, .owner_id = owner_id,
	                     .sha256 = yw_strdup(r->arena, sha), .media_type = kind, .title = title,
	                     .size = (long long)r->body_len, .created_at = yw_now_ms() } };
	if (!g.m.id || !g.m.sha256)
		return YW_E_NO_MEMORY;
	if ((e = yw_store_write(r->app->store, put_write, &g)))
		return yw_fail(r, e, "保存材料失败");
	if (g.created) {
		*out = g.m;
		*created = true;
		return YW_E_OK;
	}
	/* A twin committed between our look and our write. */
	e = yw_mat_live_by_sha(db, r->arena, owner_kind, owner_id, sha, out);
	return e ? yw_fail(r, e, "读取材料失败") : YW_E_OK;
}

static yw_err material_upload(yw_req *r)
{
	const char *kind, *id;
	yw_err e = need_store(r);
	if (e || (e = request_space(r, &kind, &id)))
		return e;
	yw_material m;
	bool created;
	const char *actor = yw_actor_for(r->arena, r->principal.ext, kind, id);
	if (!actor)
		return YW_E_NO_MEMORY;
	if ((e = yw_materials_put(r, kind, id, yw_req_query(r, "title"), actor, &m, &created)))
		return e;
	if (created)
		yw_reply_header(r, "Location", yw_sprintf(r->arena, "/api/v1/materials/%s", m.id));
	return yw_reply_json(r, created ? 201 : 200, yw_material_json(&m));
}

/* ---- reading ----------------------------------------------------------------------------- */

static yw_err material_list(yw_req *r)
{
	const char *kind, *id;
	yw_err e = need_store(r);
	if (e || (e = request_space(r, &kind, &id)))
		return e;
	yw_material *ms;
	int n;
	if ((e = yw_mat_list(yw_store_reader(r->app->store), r->arena, kind, id, &ms, &n)))
		return yw_fail(r, e, "读取材料失败");
	json_t *arr = json_array();
	for (int i = 0; arr && i < n; i++)
		json_array_append_new(arr, yw_material_json(&ms[i]));
	return yw_reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

static yw_err material_get(yw_req *r)
{
	yw_material m;
	yw_err e = need_store(r);
	if (e || (e = path_material(r, &m)))
		return e;
	return yw_reply_json(r, 200, yw_material_json(&m));
}

yw_err yw_materials_send(yw_req *r, const yw_material *m)
{
	yw_err e = need_store(r);
	if (e)
		return e;
	const char *bytes;
	if ((e = yw_mat_blob_read(r->arena, r->app->config->data_dir, m->sha256, m->size, &bytes)))
		return yw_fail(r, e, "材料文件无法读取，请联系管理员");
	const char *disp = yw_mat_disposition(r->arena, m->title, m->media_type);
	if (!disp)
		return YW_E_NO_MEMORY;
	/* R-MAT-006: shown, never run. Our origin serves the file, so a PDF's scripts or an
	 * image's tricks get a sandbox of their own (no scripts, no same-origin), the type we
	 * stored and nothing a browser might guess instead (the server adds nosniff to every
	 * answer), and no shared cache keeps a copy. Our own case pages may frame it for a preview
	 * (no other site may); the frame itself must not be sandboxed, or the browser's PDF viewer
	 * refuses to run: the sandbox here is the document's own. */
	yw_reply_header(r, "Content-Disposition", disp);
	yw_reply_header(r, "Cache-Control", "private, no-store");
	yw_reply_header(r, "Content-Security-Policy", "sandbox; frame-ancestors 'self'");
	yw_reply_header(r, "X-Frame-Options", "SAMEORIGIN");
	return yw_reply_raw(r, 200, m->media_type, bytes, (size_t)m->size);
}

static yw_err material_content(yw_req *r)
{
	yw_material m;
	yw_err e = need_store(r);
	if (e || (e = path_material(r, &m)))
		return e;
	return yw_materials_send(r, &m);
}

/* ---- deleting ---------------------------------------------------------------------------- */

typedef struct {
	const yw_material *m;
	const char *actor;
	bool done;
} hide_arg;

static yw_err hide_write(yw_db *tx, void *arg)
{
	hide_arg *g = arg;
	yw_ms now = yw_now_ms();
	yw_err e = yw_mat_hide(tx, g->m->id, now, &g->done);
	if (e || !g->done)
		return e;
	return yw_audit_add(tx, g->actor, "material.delete", "material", g->m->id, audit_value(g->m),
	                    json_pack("{s:I}", "deleted_at", (json_int_t)now));
}

static yw_err material_delete(yw_req *r)
{
	yw_material m;
	yw_err e = need_store(r);
	if (e || (e = path_material(r, &m)))
		return e;
	hide_arg g = { .m = &m, .actor = yw_actor_for(r->arena, r->principal.ext, m.owner_kind, m.owner_id) };
	if (!g.actor)
		return YW_E_NO_MEMORY;
	if ((e = yw_store_write(r->app->store, hide_write, &g)))
		return yw_fail(r, e, "删除材料失败");
	if (!g.done)
		return yw_fail(r, YW_E_NOT_FOUND, "材料不存在");
	return yw_reply_raw(r, 204, NULL, "", 0);
}

void yw_materials_routes(yw_router *rt)
{
	yw_route(rt, "POST", "/api/v1/materials", material_upload);
	yw_route(rt, "GET", "/api/v1/materials", material_list);
	yw_route(rt, "GET", "/api/v1/materials/{id}", material_get);
	yw_route(rt, "GET", "/api/v1/materials/{id}/content", material_content);
	yw_route(rt, "DELETE", "/api/v1/materials/{id}", material_delete);
}
