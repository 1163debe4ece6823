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

#define MAX_MATERIALS 100
#define MAX_GUIDE_BYTES 65536
#define NONE YW_CAT_NONE        /* a time limit the item does not have */

/* ---- the model --------------------------------------------------------------------------- */

/* The records are shared with db.c (internal.h); the handlers keep their short names. */
typedef yw_cat_material material;
typedef yw_cat_guide guide;
typedef yw_cat_version version;
typedef yw_cat_item item;

static const struct {
	const char *key, *zh;
} reuse_classes[] = {
	{ "always", "可永久复用" },
	{ "within_validity", "有效期内可复用" },
	{ "selective", "可选择性复用" },
	{ "never", "不可复用" },
};

static const char *reuse_zh(const char *key)
{
	for (size_t i = 0; key && i < sizeof reuse_classes / sizeof reuse_classes[0]; i++)
		if (!strcmp(reuse_classes[i].key, key))
			return reuse_classes[i].zh;
	return NULL;
}

static const char *const depth_zh[] = { NULL, "一级（事项公开）", "二级（在线预审）", "三级（在线申办）",
	                                "四级（全程网办）" };

static const char *project_type_zh(long long t)
{
	return t == 1 ? "即办件" : t == 2 ? "承诺件" : "其他";
}

/* ---- JSON out ---------------------------------------------------------------------------- */

static json_t *codes_json(const char *text)
{
	json_t *arr = json_array();
	for (const char *p = text; arr && p && *p;) {
		long long v = 0;
		while (*p >= '0' && *p <= '9')
			v = v * 10 + (*p++ - '0');
		json_array_append_new(arr, json_integer(v));
		if (*p == ',')
			p++;
		else
			break;
	}
	return arr;
}

static json_t *limit_json(long long v)
{
	return v == NONE ? json_null() : json_integer(v);
}

static json_t *division_name(const char *code)
{
	const yw_division *d;
	return code && yw_division_find(code, &d) == YW_E_OK ? json_string(yw_division_name(d))
	                                                     : json_null();
}

static json_t *department_json(yw_req *r, const char *id)
{
	yw_department d;
	if (yw_identity_department(r->app->store, r->arena, id, &d) == YW_E_OK)
		return json_pack("{s:s, s:s, s:s}", "id", d.id, "name", d.name, "uscc", d.uscc);
	return json_pack("{s:s, s:n, s:n}", "id", id, "name", "uscc");
}

static json_t *materials_json(const guide *g)
{
	json_t *arr = json_array();
	for (int i = 0; arr && i < g->nmats; i++) {
		const material *m = &g->mats[i];
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s?, s:I, s:I, s:b, s:s?, s:s, s:s?}", "name", m->name,
			               "source", m->source, "issuer", m->issuer, "originals",
			               (json_int_t)m->originals, "copies", (json_int_t)m->copies, "required",
			               m->required, "condition", m->required_when, "reuse", m->reuse,
			               "reuse_name", reuse_zh(m->reuse)));
	}
	return arr;
}

static json_t *item_json(yw_req *r, const item *it, const version *v)
{
	const guide *g = &v->g;
	json_t *j = json_pack(
		"{s:s, s:s, s:s, s:I, s:o, s:s, s:o, s:I, s:s, s:o, s:o, s:o, s:s, s:I, s:s?, s:I, s:s?, "
		"s:b, s:I, s:s, s:o, s:b, s:b, s:O, s:o}",
		"code", it->code, "basic_code", it->basic_code, "item_type", g->item_type, "level",
		(json_int_t)it->level, "department", department_json(r, it->department_id),
		"division_code", it->division_code, "division_name", division_name(it->division_code),
		"version", (json_int_t)v->version, "name", g->name, "service_objects",
		codes_json(g->service_objects), "statutory_limit", limit_json(g->statutory),
		"promised_limit", limit_json(g->promised), "limit_unit", "工作日", "online_depth",
		(json_int_t)g->online_depth, "online_depth_name",
		g->online_depth >= 1 && g->online_depth <= 4 ? depth_zh[g->online_depth] : NULL, "visits",
		(json_int_t)g->visits, "visits_reason", g->visits_reason, "at_most_once", g->visits <= 1,
		"project_type", (json_int_t)g->project_type, "project_type_name",
		project_type_zh(g->project_type), "handling_forms", codes_json(g->handling_forms),
		"charged", g->charged, "in_hall", g->in_hall, "guide", g->guide, "materials",
		materials_json(g));
	if (j) {
		json_object_set_new(j, "status", json_string(v->version == it->current ? "published"
		                                              : v->version == it->draft ? "draft"
		                                                                        : "superseded"));
		json_object_set_new(j, "published_at",
		                    v->published_at ? json_integer(v->published_at) : json_null());
		json_object_set_new(j, "updated_at", json_integer(v->updated_at));
	}
	return j;
}

/* ---- JSON in ----------------------------------------------------------------------------- */

static bool present(json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	return v && !json_is_null(v);
}

/* An integer member within [min, max]; false (with the field error) when wrong. */
static bool int_field(json_t *body, const char *key, long long min, long long max, long long *out,
                      json_t *fields, const char *reason)
{
	json_t *v = json_object_get(body, key);
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		yw_field_error(fields, key, reason);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

/* An array of code numbers out of `allowed`, stored as "1,2,3" in the order given. */
static const char *codes_field(yw_arena *a, json_t *body, const char *key, const int *allowed, int nallowed,
                               bool nonempty, json_t *fields, const char *reason)
{
	json_t *v = json_object_get(body, key);
	size_t n = json_array_size(v);
	if (!json_is_array(v) || (nonempty && n == 0) || n > 10) {
		yw_field_error(fields, key, reason);
		return NULL;
	}
	char buf[64] = "";
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(v, i);
		bool ok = false;
		for (int k = 0; json_is_integer(c) && k < nallowed; k++)
			ok |= json_integer_value(c) == allowed[k];
		if (!ok) {
			yw_field_error(fields, key, reason);
			return NULL;
		}
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lld", i ? "," : "",
		                        (long long)json_integer_value(c));
	}
	return yw_strdup(a, buf);
}

static const char *text_field(yw_arena *a, json_t *body, const char *key, int max, json_t *fields)
{
	json_t *v = json_object_get(body, key);
	if (!json_is_string(v) || !yw_text_ok(json_string_value(v), max)) {
		yw_field_error(fields, key, yw_sprintf(a, "应为 1 到 %d 个字符的文字", max));
		return NULL;
	}
	return json_string_value(v);
}

static void materials_field(yw_arena *a, json_t *arr, guide *g, json_t *fields)
{
	if (!json_is_array(arr) || json_array_size(arr) > MAX_MATERIALS) {
		yw_field_error(fields, "materials", "应为材料的数组，至多 100 项");
		return;
	}
	int n = (int)json_array_size(arr);
	material *m = yw_zalloc(a, sizeof *m * (size_t)(n + 1));
	if (!m)
		return;
	for (int i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, (size_t)i);
		const char *at = yw_sprintf(a, "materials[%d]", i);
		if (!json_is_object(o)) {
			yw_field_error(fields, at, "应为对象");
			continue;
		}
		json_t *f = yw_arena_json(a, json_array());   /* collected, then renamed by index */
		m[i] = (material){ .originals = 1, .copies = 0, .required = true };
		m[i].name = text_field(a, o, "name", 200, f);
		json_t *src = json_object_get(o, "source");
		if (!json_is_string(src) || (strcmp(json_string_value(src), "applicant") &&
		                             strcmp(json_string_value(src), "department")))
			yw_field_error(f, "source", "应为 applicant（申请人提供）或 department（部门核发）");
		else
			m[i].source = json_string_value(src);
		if (present(o, "issuer"))
			m[i].issuer = text_field(a, o, "issuer", 100, f);
		if (present(o, "originals"))
			int_field(o, "originals", 0, 99, &m[i].originals, f, "原件份数应为 0 到 99");
		if (present(o, "copies"))
			int_field(o, "copies", 0, 99, &m[i].copies, f, "复印件份数应为 0 到 99");
		json_t *req = json_object_get(o, "required");
		if (req && !json_is_boolean(req))
			yw_field_error(f, "required", "应为 true 或 false");
		else if (req)
			m[i].required = json_is_true(req);
		if (present(o, "condition"))
			m[i].required_when = text_field(a, o, "condition", 500, f);
		if (!m[i].required && !m[i].required_when)
			yw_field_error(f, "condition", "非必备的材料须写明在什么情形下提交");
		json_t *reuse = json_object_get(o, "reuse");
		if (!json_is_string(reuse) || !reuse_zh(json_string_value(reuse)))
			yw_field_error(f, "reuse", "复用类别应为 always、within_validity、selective、never 之一");
		else
			m[i].reuse = json_string_value(reuse);
		for (size_t k = 0; k < json_array_size(f); k++) {
			json_t *fe = json_array_get(f, k);
			yw_field_error(fields,
			               yw_sprintf(a, "%s.%s", at, json_string_value(json_object_get(fe, "field"))),
			               json_string_value(json_object_get(fe, "reason")));
		}
	}
	g->mats = m;
	g->nmats = n;
}

/* Apply the guide members present in body onto g. On create every required member must be
 * there. Pure: the draft edit runs it again inside the write on what the write reads. Time
 * limits are checked by the caller, on the result. */
static void guide_fields(yw_arena *a, json_t *body, guide *g, bool create, json_t *fields)
{
	static const int objects[] = { 1, 2, 3, 4, 5, 6 }, forms[] = { 1, 2, 3, 4, 9 },
			 ptypes[] = { 1, 2, 9 };
	if (create || present(body, "name"))
		g->name = text_field(a, body, "name", 200, fields);
	if (create || present(body, "online_depth"))
		int_field(body, "online_depth", 1, 4, &g->online_depth, fields,
		          "网上办理深度应为 1 到 4（一级…四级）");
	if (create || present(body, "visits"))
		int_field(body, "visits", 0, 99, &g->visits, fields, "到办事现场次数应为 0 到 99");
	if (create || present(body, "project_type")) {
		json_t *v = json_object_get(body, "project_type");
		bool ok = false;
		for (int k = 0; json_is_integer(v) && k < 3; k++)
			ok |= json_integer_value(v) == ptypes[k];
		if (ok)
			g->project_type = json_integer_value(v);
		else
			yw_field_error(fields, "project_type", "办件类型应为 1（即办件）、2（承诺件）或 9（其他）");
	}
	if (create || present(body, "handling_forms"))
		g->handling_forms = codes_field(a, body, "handling_forms", forms, 5, true, fields,
		                                "办理形式应为 1 窗口、2 电脑端、3 移动端、4 快递、9 其他 的非空数组");
	if (present(body, "service_objects"))
		g->service_objects = codes_field(a, body, "service_objects", objects, 6, false, fields,
		                                 "服务对象应为 GB/T 39046 A.4 代码（1 到 6）的数组");
	json_t *v;
	/* Limits: an integer (negative ones are refused by the limit rule, with its own code), or
	 * null for none. */
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "promised_limit" : "statutory_limit";
		long long *dst = k ? &g->promised : &g->statutory;
		if (!(v = json_object_get(body, key)))
			continue;
		if (json_is_null(v))
			*dst = NONE;
		else if (json_is_integer(v) && json_integer_value(v) > -100000 &&
		         json_integer_value(v) < 100000)
			*dst = json_integer_value(v);
		else
			yw_field_error(fields, key, "应为工作日数（整数），或 null 表示无");
	}
	if ((v = json_object_get(body, "visits_reason")))
		g->visits_reason = json_is_null(v) ? NULL : text_field(a, body, "visits_reason", 500, fields);
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "in_hall" : "charged";
		if (!(v = json_object_get(body, key)))
			continue;
		if (!json_is_boolean(v))
			yw_field_error(fields, key, "应为 true 或 false");
		else if (k)
			g->in_hall = json_is_true(v);
		else
			g->charged = json_is_true(v);
	}
	if ((v = json_object_get(body, "guide"))) {
		size_t len = 0;
		if (!json_is_object(v) || !yw_json_dump(a, v, &len) || len > MAX_GUIDE_BYTES)
			yw_field_error(fields, "guide", "办事指南的其他要素应为 JSON 对象，不超过 64 KiB");
		else
			g->guide = v;
	}
	if ((v = json_object_get(body, "materials")))
		materials_field(a, v, g, fields);
}

/* The limit rule on a guide, with its detail. */
static yw_err limits_of(const guide *g, const char **why)
{
	return yw_cat_limits_check(g->statutory == NONE ? NULL : &g->statutory,
	                           g->promised == NONE ? NULL : &g->promised, why);
}

/* ---- helpers ----------------------------------------------------------------------------- */

static const char *actor_of(yw_req *r)
{
	return yw_sprintf(r->arena, "%s:%s", r->principal.kind, r->principal.id);
}

static yw_err need_store(yw_req *r)
{
	return r->app->store ? YW_E_OK : yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
}

/* Signed in, before anything about the body is said. */
static yw_err gate(yw_req *r)
{
	yw_err e = need_store(r);
	if (e)
		return e;
	return r->principal.kind ? YW_E_OK : yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
}

static yw_object item_object(const item *it)
{
	return (yw_object){ .type = "item", .item_code = it->code, .department_id = it->department_id,
	                    .division_code = it->division_code };
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
		return yw_fail(r, e, "事项 %s 不存在", code);
	return e ? yw_fail(r, e, "读取事项失败") : YW_E_OK;
}

/* ---- reads ------------------------------------------------------------------------------- */

static yw_err items_list(yw_req *r)
{
	yw_err e = need_store(r);
	if (e)
		return e;
	const char *q = yw_req_query(r, "q"), *dept = yw_req_query(r, "department"),
		   *div = yw_req_query(r, "division"), *cursor = yw_req_query(r, "cursor"),
		   *lim = yw_req_query(r, "limit");
	long long limit = 20;
	if (lim && !yw_parse_int(lim, 1, 100, &limit))
		return yw_fail(r, YW_E_BAD_PARAMETER, "limit 应为 1 到 100 的整数");
	if (q && q[0] && !yw_text_ok(q, 50))
		return yw_fail(r, YW_E_BAD_PARAMETER, "q 至多 50 个字符");
	if (cursor && strlen(cursor) > YW_CAT_IMPL_LEN)
		return yw_fail(r, YW_E_BAD_PARAMETER, "cursor 不正确");
	/* A division filter keeps the division's own items, those of the divisions under it, and
	 * those of the divisions above it that serve it (a city item serves every district). */
	const char *prefix = "", *up[3] = { "", "", "" };
	if (div && div[0]) {
		const yw_division *d;
		e = yw_division_find(div, &d);
		if (e == YW_E_BAD_DIVISION_CODE)
			return yw_fail(r, e, "行政区划代码 %s 格式不正确", div);
		if (e)
			return yw_fail(r, YW_E_DIVISION_NOT_FOUND, "行政区划 %s 不存在", div);
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
	/* A plain substring match for now; the Chinese search is the next step (docs/catalog.md). */
	const char *like = "";
	if (q && q[0]) {
		size_t n = strlen(q);
		char *esc = yw_alloc(r->arena, 2 * n + 3), *o = esc;
		if (!esc)
			return YW_E_NO_MEMORY;
		*o++ = '%';
		for (const char *p = q; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				*o++ = '\\';
			*o++ = *p;
		}
		*o++ = '%';
		*o = '\0';
		like = esc;
	}
	yw_rows *rows;
	e = yw_cat_items_query(yw_store_reader(r->app->store), r->arena, cursor ? cursor : "",
	                       dept ? dept : "", like, prefix, up, limit + 1, &rows);
	if (e)
		return yw_fail(r, e, "读取事项失败");
	int n = yw_rows_count(rows);
	json_t *arr = json_array();
	for (int i = 0; arr && i < n && i < limit; i++) {
		item it;
		version v;
		yw_cat_item_row(rows, i, &it);
		yw_cat_version_row(r->arena, rows, i, YW_CAT_ITEM_NCOLS, &v);
		json_t *dj = department_json(r, it.department_id);
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:I, s:O, s:s, s:o, s:I, s:I, s:b, s:I, s:o, s:o}", "code",
			               it.code, "name", v.g.name, "version", (json_int_t)v.version,
			               "department", dj, "division_code", it.division_code, "division_name",
			               division_name(it.division_code), "online_depth",
			               (json_int_t)v.g.online_depth, "visits", (json_int_t)v.g.visits,
			               "at_most_once", v.g.visits <= 1, "project_type",
			               (json_int_t)v.g.project_type, "statutory_limit",
			               limit_json(v.g.statutory), "promised_limit", limit_json(v.g.promised)));
		json_decref(dj);
	}
	json_t *next = n > limit ? json_string(yw_rows_text(rows, (int)limit - 1, 0)) : json_null();
	return yw_reply_json(r, 200, json_pack("{s:o, s:o}", "items", arr, "next_cursor", next));
}

static yw_err item_get(yw_req *r)
{
	item it;
	yw_err e = need_store(r);
	if (e || (e = path_item(r, &it)))
		return e;
	const char *vq = yw_req_query(r, "version");
	long long ver = it.current;
	if (vq && !yw_parse_int(vq, 1, 1000000, &ver))
		return yw_fail(r, YW_E_BAD_PARAMETER, "version 应为正整数");
	if (!ver)
		return yw_fail(r, YW_E_NOT_FOUND, "事项 %s 尚未发布", it.code);
	version v;
	e = yw_cat_version_load(yw_store_reader(r->app->store), r->arena, it.code, ver, &v);
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, e, "事项 %s 没有第 %lld 版", it.code, ver);
	if (e)
		return yw_fail(r, e, "读取事项失败");
	/* A draft is not yet public: only its editors may see it. */
	if (!v.published_at) {
		yw_object obj = item_object(&it);
		if (!yw_authz_allows(r, YW_ACT_CATALOG_MANAGE, &obj))
			return yw_fail(r, YW_E_NOT_FOUND, "事项 %s 没有已发布的第 %lld 版", it.code, ver);
		yw_reply_header(r, "Cache-Control", "no-store");
	}
	return yw_reply_json(r, 200, json_pack("{s:o}", "item", item_json(r, &it, &v)));
}

static yw_err versions_list(yw_req *r)
{
	item it;
	yw_err e = gate(r);
	if (e || (e = path_item(r, &it)))
		return e;
	yw_object obj = item_object(&it);
	if ((e = yw_authz(r, YW_ACT_CATALOG_MANAGE, &obj)))
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
	const char *basic_name;
	guide g;
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
	w->detail = NULL;
	bool taken = false;
	yw_err e = yw_cat_item_insert(tx, w->a, &w->it, w->basic_name, &w->g, w->actor, w->now, &taken);
	if (e)
		return e;
	if (taken) {
		w->detail = yw_sprintf(w->a, "实施编码 %s 的事项已存在", w->it.code);
		return YW_E_ITEM_EXISTS;
	}
	return yw_audit_add(tx, w->actor, "item.create", "item", w->it.code, NULL,
	                    audit_json(&w->it, 1, &w->g));
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
	guide_fields(w->a, w->body, &g, false, fields);
	if (json_array_size(fields))
		return YW_E_BAD_PARAMETER;   /* checked before the write: cannot happen on the same body */
	const char *why;
	if (limits_of(&g, &why)) {
		w->detail = why;
		return YW_E_BAD_TIME_LIMIT;
	}
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

static yw_err publish_write(yw_db *tx, void *arg)
{
	write_arg *w = arg;
	w->detail = NULL;
	item it;
	yw_err e = yw_cat_item_load(tx, w->a, w->it.code, &it);
	if (e)
		return e;
	/* The flip: one statement makes the draft current, and only the draft the caller saw. */
	long long changed = 0;
	e = yw_cat_publish_flip(tx, it.code, w->version, w->now, &changed);
	if (e)
		return e;
	if (!changed) {
		w->detail = it.draft ? yw_sprintf(w->a, "第 %lld 版不是当前草稿（当前草稿为第 %lld 版），请刷新后重试",
		                                  w->version, it.draft)
		                     : yw_sprintf(w->a, "第 %lld 版不是草稿：没有待发布的草稿，可能已被他人发布",
		                                  w->version);
		return YW_E_ITEM_VERSION_STALE;
	}
	if ((e = yw_cat_version_mark_published(tx, it.code, w->version, w->now, w->actor)))
		return e;
	json_t *old = it.current ? json_pack("{s:I}", "version", (json_int_t)it.current) : NULL;
	return yw_audit_add(tx, w->actor, "item.publish", "item", it.code, old,
	                    json_pack("{s:I}", "version", (json_int_t)w->version));
}

static yw_err item_create(yw_req *r)
{
	json_t *body;
	yw_err e = gate(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *basic = yw_req_field(body, "basic_code", fields),
		   *dept_id = yw_req_field(body, "department_id", fields), *basic_name = NULL;
	long long level = 0;
	if (present(body, "level"))
		int_field(body, "level", 1, 7, &level, fields, "行使层级应为 1 到 7（GB/T 39046 A.2）");
	if (present(body, "basic_name"))
		basic_name = text_field(r->arena, body, "basic_name", 200, fields);
	guide g = { .statutory = NONE, .promised = NONE, .service_objects = "", .guide = NULL };
	guide_fields(r->arena, body, &g, true, fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	yw_department d;
	e = yw_identity_department(r->app->store, r->arena, dept_id, &d);
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, YW_E_UNKNOWN_DEPARTMENT, "部门 %s 不存在", dept_id);
	if (e)
		return yw_fail(r, e, "读取部门失败");
	yw_object obj = { .type = "item", .department_id = d.id, .division_code = d.division_code };
	if ((e = yw_authz(r, YW_ACT_CATALOG_MANAGE, &obj)))
		return e;
	if (!level && !(level = yw_cat_level_of_division(d.division_code)))
		return yw_fail(r, YW_E_BAD_PARAMETER, "无法从部门的行政区划推出行使层级，请给出 level");
	char code[32];
	const char *why = NULL;
	if (yw_cat_impl_code_make(d.uscc, (int)level, basic, code, &why))
		return yw_fail(r, YW_E_BAD_ITEM_CODE, "基本编码 %s 不正确：%s", basic, why);
	if (limits_of(&g, &why))
		return yw_fail(r, YW_E_BAD_TIME_LIMIT, "%s", why);
	if (!g.guide)
		g.guide = yw_arena_json(r->arena, json_object());
	g.item_type = yw_strndup(r->arena, basic + 2, 2);
	if (!g.mats)
		g.mats = yw_zalloc(r->arena, sizeof *g.mats);
	write_arg w = { .a = r->arena, .actor = actor_of(r), .now = yw_now_ms(),
	                .basic_name = basic_name ? basic_name : g.name, .g = g };
	w.it = (item){ .code = yw_strdup(r->arena, code), .basic_code = basic, .department_id = d.id,
	               .division_code = d.division_code, .level = level, .draft = 1, .latest = 1 };
	if (!w.it.code || !g.item_type || !g.mats)
		return YW_E_NO_MEMORY;
	if ((e = yw_store_write(r->app->store, create_write, &w)))
		return yw_fail(r, e, "%s", w.detail ? w.detail : "新建事项失败");
	version v = { .version = 1, .created_at = w.now, .updated_at = w.now, .created_by = w.actor, .g = g };
	w.it.created_at = w.it.updated_at = w.now;
	yw_reply_header(r, "Location", yw_sprintf(r->arena, "/api/v1/items/%s", code));
	return yw_reply_json(r, 201, json_pack("{s:o}", "item", item_json(r, &w.it, &v)));
}

/* The item of the path, which the caller must be allowed to manage, and the request body: the
 * start of every change to an existing item. */
static yw_err managed_item(yw_req *r, item *it, json_t **body)
{
	yw_err e = gate(r);
	if (e || (e = path_item(r, it)))
		return e;
	yw_object obj = item_object(it);
	if ((e = yw_authz(r, YW_ACT_CATALOG_MANAGE, &obj)))
		return e;
	return yw_req_json(r, body);
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
	guide_fields(r->arena, body, &probe, false, fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	write_arg w = { .a = r->arena, .actor = actor_of(r), .now = yw_now_ms(), .it = it, .body = body };
	if ((e = yw_store_write(r->app->store, draft_write, &w)))
		return yw_fail(r, e, "%s", w.detail ? w.detail : "保存草稿失败");
	w.out.created_by = w.actor;
	return yw_reply_json(r, 200, json_pack("{s:o}", "item", item_json(r, &w.it, &w.out)));
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
	int_field(body, "version", 1, 1000000, &ver, fields, "应为要发布的草稿的版本号");
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	write_arg w = { .a = r->arena, .actor = actor_of(r), .now = yw_now_ms(), .it = it, .version = ver };
	if ((e = yw_store_write(r->app->store, publish_write, &w)))
		return yw_fail(r, e, "%s", w.detail ? w.detail : "发布失败");
	if ((e = yw_cat_item_load(yw_store_reader(r->app->store), r->arena, it.code, &it)))
		return yw_fail(r, e, "读取事项失败");
	version v;
	if ((e = yw_cat_version_load(yw_store_reader(r->app->store), r->arena, it.code, ver, &v)))
		return yw_fail(r, e, "读取事项失败");
	return yw_reply_json(r, 200, json_pack("{s:o}", "item", item_json(r, &it, &v)));
}

void yw_catalog_routes(yw_router *rt)
{
	yw_route(rt, "GET", "/api/v1/items", items_list);
	yw_route(rt, "POST", "/api/v1/items", item_create);
	yw_route(rt, "GET", "/api/v1/items/{code}", item_get);
	yw_route(rt, "PATCH", "/api/v1/items/{code}/draft", draft_update);
	yw_route(rt, "POST", "/api/v1/items/{code}/publish", item_publish);
	yw_route(rt, "GET", "/api/v1/items/{code}/versions", versions_list);
}
