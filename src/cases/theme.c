/*
 * One application for a theme (一件事, R-CASE-060..065): POST /api/v1/themes/{id}/cases.
 *
 * The applicant fills the theme's merged form once, gives each item's materials and one way of
 * delivery, and one write makes a parent case (theme_id set, no item, its own serial so that
 * there is one number to follow) and, under it, one case per published item of the theme, each
 * submitted exactly as a single application of that item would be (apply.c prepares and
 * stamps it: its form — the merged values its own form defines —, its materials, its serial,
 * its first task, trail, audit entry and case.submitted event).
 *
 * R-CASE-060: every item's case is checked before anything is written; one failure refuses the
 * whole application, the field errors naming the item ("items[<code>].<field>").
 * R-CASE-061: the caller must be allowed case.apply on every item's case (a window clerk files
 * a theme only when they may file each of its items).
 * R-CASE-062: the parent has no tasks of its own and takes no transitions; its state is derived
 * from its children: the least advanced live child's state (submitted before pre_review … before
 * delivered); when every child has ended, completed if any completed, else the first child's.
 * Derived when read, and also stored: each change of a child writes its parent's state and due
 * day in the same write (yw_case_theme_sync), so that 我的办件's order (what is asked of the
 * applicant first) and its state filter, which the database answers, see what the page shows.
 * R-CASE-063: 我的办件 lists the parent, not its children; the staff's lists and inbox show the
 * children (the item cases they work), never the parent.
 * R-CASE-064: public progress by the parent's serial shows each child's item, department and
 * state, and nothing personal.
 * R-CASE-065: the parent is withdrawn as a whole (work.c): each child not yet decided, in one
 * write (yw_case_changes_run, as the application itself).
 */
#include <string.h>

#include "cases/internal.h"

bool yw_case_is_theme_parent(const yw_case_row *c)
{
	return c && c->theme_id && !c->parent_id;
}

/* ---- the parent seen through its children ------------------------------------------------- */

static yw_err children_in(yw_db *db, yw_arena *a, const char *id, yw_case_row **out, int *n)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows,
	                       yw_sprintf(a, "SELECT %s FROM cases WHERE parent_id = $1 "
	                                     "ORDER BY created_at, id", yw_case_cols),
	                       YW_PARAMS(YW_VTEXT(id)));
	if (e)
		return e;
	int cnt = yw_rows_count(rows);
	yw_case_row *k = yw_zalloc(a, sizeof *k * (size_t)(cnt + 1));
	if (!k)
		return YW_E_NO_MEMORY;
	for (int i = 0; i < cnt; i++)
		yw_case_row_from(a, rows, i, 0, &k[i]);
	*out = k;
	*n = cnt;
	return YW_E_OK;
}

yw_err yw_case_theme_children(yw_req *r, const char *id, yw_case_row **out, int *n)
{
	return children_in(yw_store_reader(r->app->store), r->arena, id, out, n);
}

/* R-CASE-062 */
static void derive(yw_case_row *view, const yw_case_row *k, int n)
{
	if (!n)
		return;
	yw_case_state least = YW_CS__COUNT;
	int due = 0;
	bool completed = false;
	for (int i = 0; i < n; i++) {
		if (!yw_case_state_final(k[i].state)) {
			if (k[i].state < least)
				least = k[i].state;
			if (k[i].due_on > due)
				due = k[i].due_on;
		}
		completed = completed || k[i].state == YW_CS_COMPLETED;
	}
	view->state = least < YW_CS__COUNT ? least : completed ? YW_CS_COMPLETED : k[0].state;
	view->due_on = due;        /* the latest day a live child is due */
	view->paused_since = 0;
}

yw_err yw_case_theme_sync(yw_db *tx, yw_arena *a, const yw_case_row *child, yw_ms now)
{
	if (!child->parent_id)
		return YW_E_OK;
	/* The parent's row first: on PostgreSQL two children may change at once, and whoever holds
	 * the parent's row lock reads its siblings after the other's change committed, so the last
	 * write derives from both. */
	yw_err e = yw_casedb_lock(tx, child->parent_id);
	yw_case_row *k;
	int n;
	if (e || (e = children_in(tx, a, child->parent_id, &k, &n)))
		return e;
	for (int i = 0; i < n; i++)
		if (yw_str_eq(k[i].id, child->id))
			k[i] = *child;      /* as this write leaves it (also when it was just inserted) */
	yw_case_row parent = { 0 };
	derive(&parent, k, n);
	if (!n)
		return YW_E_OK;
	return yw_db_exec(tx, "UPDATE cases SET state = $2, due_on = $3, updated_at = $4 WHERE id = $1",
	                  YW_PARAMS(YW_VTEXT(child->parent_id), YW_VTEXT(yw_case_state_name(parent.state)),
	                            parent.due_on ? YW_VINT(parent.due_on) : YW_VNULL, YW_VINT(now)),
	                  NULL);
}

json_t *yw_case_theme_view(yw_req *r, const yw_case_row *c, yw_case_row *view)
{
	yw_case_row *k;
	int n;
	if (!yw_case_is_theme_parent(c) || yw_case_theme_children(r, c->id, &k, &n))
		return NULL;
	*view = *c;
	derive(view, k, n);
	bool staff = yw_str_eq(r->principal.kind, "staff");
	json_t *arr = json_array();
	for (int i = 0; arr && i < n; i++)
		json_array_append_new(arr, yw_case_brief(r, &k[i], staff));
	return arr;
}

json_t *yw_case_theme_public(yw_req *r, yw_case_row *c)
{
	yw_case_row *k;
	int n;
	if (!yw_case_is_theme_parent(c) || yw_case_theme_children(r, c->id, &k, &n))
		return NULL;
	derive(c, k, n);
	json_t *arr = json_array();
	for (int i = 0; arr && i < n; i++) {
		const char *dept = yw_case_department_name(r, k[i].department_id);
		json_array_append_new(arr, json_pack("{s:o, s:s, s:o, s:s, s:s}", "serial",
		                                     k[i].serial ? json_string(k[i].serial) : json_null(),
		                                     "item_name", k[i].item_name, "department",
		                                     dept ? json_string(dept) : json_null(), "state",
		                                     yw_case_state_name(k[i].state), "state_name",
		                                     yw_case_state_zh(k[i].state)));
	}
	return arr;
}

/* ---- the application ----------------------------------------------------------------------- */

typedef struct {
	yw_cat_published item;
	yw_case_row c;
	yw_case_mat *mats;
	int nmats;
	yw_case_change ch;
} child;

/* The merged values that the item's own form defines. */
static json_t *form_subset(yw_arena *a, json_t *values, json_t *def)
{
	json_t *out = yw_arena_json(a, json_object());
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(def, "fields"), i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		json_t *v = name && values ? json_object_get(values, name) : NULL;
		if (v)
			json_object_set(out, name, v);
	}
	return out;
}

static bool form_has(json_t *def, const char *name)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(def, "fields"), i, f)
		if (yw_str_eq(json_string_value(json_object_get(f, "name")), name))
			return true;
	return false;
}

/* A child's refusal into the theme's: its field errors named by the item (the delivery, which
 * all share, once and as it is). */
static void collect_fields(yw_req *r, const char *code, json_t *all)
{
	json_t *fields = json_object_get(r->problem_extra, "fields");
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f) {
		const char *name = json_string_value(json_object_get(f, "field")),
			   *reason = json_string_value(json_object_get(f, "reason"));
		if (!name)
			continue;
		if (yw_str_has_prefix(name, "delivery")) {
			size_t k;
			json_t *g;
			bool seen = false;
			json_array_foreach(all, k, g)
				seen = seen || yw_str_eq(json_string_value(json_object_get(g, "field")), name);
			if (!seen)
				yw_field_error(all, name, reason ? reason : "");
		} else {
			yw_field_error(all, yw_sprintf(r->arena, "items[%s].%s", code, name),
			               reason ? reason : "");
		}
	}
	r->problem_extra = NULL;
}

/* Who the application is for: the caller, whom they act for ("for"), or at a window the
 * registered person a clerk names (after the clerk is found allowed on every item). */
static yw_err applicant_of(yw_req *r, json_t *body, child *kids, int n, yw_applicant *ap,
                           const char **channel)
{
	bool staff = yw_str_eq(r->principal.kind, "staff");
	const char *kind = "person", *aid = r->principal.id;
	json_t *fields = yw_arena_json(r->arena, json_array());
	yw_err e;
	*channel = "online";
	if (staff) {
		const char *id_number = NULL, *name = NULL;
		json_t *a = json_object_get(body, "applicant");
		if (!json_is_object(a) || !yw_json_str(a, "id_number", &id_number) ||
		    !yw_json_str(a, "name", &name)) {
			yw_field_error(fields, "applicant", "窗口代为申请时须给出申请人的 id_number 和 name");
			return yw_fail_fields(r, fields);
		}
		*channel = "window";
		for (int i = 0; i < n; i++) {
			yw_object where = { .type = "case", .item_code = kids[i].item.code,
			                    .department_id = kids[i].item.department_id,
			                    .division_code = kids[i].item.division_code };
			if ((e = yw_authz(r, YW_ACT_CASE_APPLY, &where)))
				return e;
		}
		if ((e = yw_identity_person_find(r->app->store, r->app->keys, r->arena, id_number, name,
		                                 &aid)))
			return yw_fail(r, e, e == YW_E_BAD_ID_NUMBER ? "申请人的公民身份号码不正确"
			                                              : "没有与该身份证号码和姓名相符的注册用户，请申请人先注册");
	} else if (json_object_get(body, "for")) {
		json_t *fo = json_object_get(body, "for");
		if (!yw_json_str(fo, "kind", &kind) || !yw_json_str(fo, "id", &aid) ||
		    (strcmp(kind, "person") && strcmp(kind, "org")) || strlen(aid) > 64) {
			yw_field_error(fields, "for", "应为 {\"kind\": \"person\"|\"org\", \"id\": …}");
			return yw_fail_fields(r, fields);
		}
	}
	if ((e = yw_identity_applicant(r->app->store, r->app->keys, r->arena, kind, aid, ap)))
		return yw_fail(r, e, "申请人不存在");
	return YW_E_OK;
}

/* materials: [{item_code, slot, material_id}] shared out to the items' cases. */
static void share_materials(yw_req *r, json_t *m, child *kids, int n, json_t *fields)
{
	if (!m)
		return;
	if (!json_is_array(m) || json_array_size(m) > 200) {
		yw_field_error(fields, "materials", "应为至多 200 项的数组");
		return;
	}
	for (int k = 0; k < n; k++)
		kids[k].mats = yw_zalloc(r->arena, sizeof *kids[k].mats * (json_array_size(m) + 1));
	size_t i;
	json_t *e;
	json_array_foreach(m, i, e) {
		const char *code = NULL, *mid = NULL;
		long long slot;
		int k = 0;
		if (yw_json_str(e, "item_code", &code))
			for (k = 0; k < n && !yw_str_eq(kids[k].item.code, code); k++)
				;
		if (!code || k == n) {
			yw_field_error(fields, yw_sprintf(r->arena, "materials[%zu].item_code", i),
			               "应为本主题的一个事项编码");
			continue;
		}
		size_t nslots = json_array_size(kids[k].item.materials);
		if (!yw_json_int(e, "slot", &slot) || slot < 0 || (size_t)slot >= nslots)
			yw_field_error(fields, yw_sprintf(r->arena, "materials[%zu].slot", i),
			               yw_sprintf(r->arena, "应为 0 到 %zu 之间的材料序号", nslots ? nslots - 1 : 0));
		else if (!yw_json_str(e, "material_id", &mid) || strlen(mid) > 64)
			yw_field_error(fields, yw_sprintf(r->arena, "materials[%zu].material_id", i), "必填");
		else if (kids[k].mats)
			kids[k].mats[kids[k].nmats++] = (yw_case_mat){ (int)slot, mid };
	}
}

yw_err yw_cases_theme_apply(yw_req *r)
{
	if (!r->app->store)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
	if (!r->principal.kind)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	if (!yw_str_eq(r->principal.kind, "person") && !yw_str_eq(r->principal.kind, "staff"))
		return yw_fail(r, YW_E_FORBIDDEN, "只有申请人或窗口工作人员可以申请办件");
	const char *tid = yw_req_param(r, "id");
	yw_cat_theme_info th;
	yw_err e = tid && strlen(tid) <= 64 ? yw_catalog_theme(r->app->store, r->arena, tid, &th)
	                                    : YW_E_NOT_FOUND;
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, e, "没有该主题");
	if (e)
		return yw_fail(r, e, "读取主题失败");
	json_t *body;
	if ((e = yw_req_json(r, &body)))
		return e;
	json_t *sb = json_object_get(body, "submit");
	if (!json_is_true(sb)) {
		json_t *fields = yw_arena_json(r->arena, json_array());
		yw_field_error(fields, "submit", "主题申请须一次提交（true），不保存草稿");
		return yw_fail_fields(r, fields);
	}
	bool badkey;
	const char *key = yw_case_idem_key(r, &badkey);
	if (badkey)
		return yw_fail(r, YW_E_BAD_PARAMETER, "Idempotency-Key 应为 1 到 200 个可见 ASCII 字符");
	const char *hash = yw_case_body_hash(r, yw_sprintf(r->arena, "theme %s", th.id));
	if (key) {
		bool done;
		if ((e = yw_case_idem_replay(r, key, hash, &done)) || done)
			return e;
	}
	if (!th.nitems)
		return yw_fail(r, YW_E_ITEM_NOT_APPLICABLE, "主题“%s”暂无可申请的事项", th.name);
	int n = th.nitems;
	child *kids = yw_zalloc(r->arena, sizeof *kids * (size_t)n);
	if (!kids)
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	for (int i = 0; i < n; i++)
		if ((e = yw_catalog_published(r->app->store, r->arena, th.item_codes[i], 0, &kids[i].item)))
			return yw_fail(r, e == YW_E_NOT_FOUND ? YW_E_ITEM_NOT_APPLICABLE : e,
			               "主题中的事项 %s 暂不受理申请", th.item_codes[i]);
	yw_applicant ap;
	const char *channel;
	if ((e = applicant_of(r, body, kids, n, &ap, &channel)))
		return e;
	json_t *form, *delivery;
	if ((e = yw_case_read_form_delivery(r, body, &form, &delivery)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *k;
	json_t *v;
	json_object_foreach(form, k, v)
		if (!th.form || !form_has(th.form, k))
			yw_field_error(fields, yw_sprintf(r->arena, "form.%s", k), "主题表单中没有该字段");
	share_materials(r, json_object_get(body, "materials"), kids, n, fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);

	/* the parent's copy of the delivery sealed as every case's is (pii.c); the children's are
	 * sealed by yw_case_submit_prepare */
	json_t *sealed = delivery ? yw_case_pii_seal(r, yw_case_delivery_def(r->arena), delivery, NULL)
	                          : NULL;
	if (delivery && !sealed)
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	yw_ms now = yw_now_ms();
	yw_case_row parent = { .id = yw_case_id_new(r->arena, "c_"), .theme_id = th.id,
	                       .item_name = th.name, .division_code = th.division_code,
	                       .applicant_kind = ap.kind, .applicant_id = ap.id,
	                       .applicant_name = ap.name, .channel = channel, .state = YW_CS_DRAFT,
	                       .state_before = YW_CS__COUNT,
	                       /* no values of its own: each item's case keeps those of its form,
	                        * stored (and sealed) by the one path that submits a case */
	                       .form = yw_arena_json(r->arena, json_object()),
	                       .delivery = sealed, .project_type = 2, .limit_days = -1,
	                       .created_at = now, .updated_at = now, .version = 0 };
	/* R-CASE-060/061: every item's case authorized and checked before anything is written. */
	json_t *all = yw_arena_json(r->arena, json_array());
	yw_err refusal = YW_E_OK;
	for (int i = 0; i < n; i++) {
		child *ch = &kids[i];
		const yw_cat_published *it = &ch->item;
		ch->c = (yw_case_row){ .id = yw_case_id_new(r->arena, "c_"), .parent_id = parent.id,
		                       .theme_id = th.id, .item_code = it->code,
		                       .item_version = it->version, .item_name = it->name,
		                       .department_id = it->department_id,
		                       .division_code = it->division_code,
		                       .applicant_kind = ap.kind, .applicant_id = ap.id,
		                       .applicant_name = ap.name, .channel = channel,
		                       .state = YW_CS_DRAFT, .state_before = YW_CS__COUNT,
		                       .form = form_subset(r->arena, form, it->form),
		                       .delivery = delivery, .project_type = (int)it->project_type,
		                       .limit_days = (int)(it->promised >= 0 ? it->promised : it->statutory),
		                       .created_at = now + 1 + i, .updated_at = now, .version = 0 };
		yw_object obj = yw_case_object(&ch->c);
		if ((e = yw_authz(r, YW_ACT_CASE_APPLY, &obj)))
			return e;
		yw_case_change_init(&ch->ch, r, &ch->c, "submit");
		ch->c.filed_by = ch->ch.actor;
		ch->ch.version = 0;
		ch->ch.now = now;
		ch->ch.insert = &ch->c;
		ch->ch.set_mats = true;
		ch->ch.mats = ch->mats;
		ch->ch.nmats = ch->nmats;
		e = yw_case_submit_prepare(r, &ch->ch, &ch->c, ch->mats, ch->nmats);
		if (e == YW_E_BAD_PARAMETER || e == YW_E_MATERIAL_REQUIRED) {
			collect_fields(r, it->code, all);
			if (refusal != YW_E_BAD_PARAMETER)
				refusal = e;
		} else if (e) {
			return e;
		}
	}
	if (refusal) {
		r->problem_extra = yw_arena_json(r->arena, json_pack("{s:O}", "fields", all));
		return yw_fail(r, refusal, refusal == YW_E_MATERIAL_REQUIRED
		                               ? "主题申请缺少必需的申请材料，整件未提交"
		                               : "主题申请有填写不正确的内容，整件未提交");
	}
	yw_case_change pch;
	yw_case_change_init(&pch, r, &parent, "submit");
	parent.filed_by = pch.actor;
	parent.name_hash = kids[0].c.name_hash;       /* progress by the parent's serial */
	parent.phone4_hash = kids[0].c.phone4_hash;
	pch.version = 0;
	pch.now = now;
	pch.insert = &parent;
	pch.mutate = yw_case_submit_stamp;
	if (key) {
		pch.idem_caller = yw_case_idem_caller(r);
		pch.idem_key = key;
		pch.idem_hash = hash;
	}
	/* The parent first (its Idempotency-Key too: a twin that lost the race writes nothing),
	 * then each item's case: all in one transaction. */
	yw_case_change **list = yw_zalloc(r->arena, sizeof *list * (size_t)(n + 1));
	if (!list)
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	list[0] = &pch;
	for (int i = 0; i < n; i++)
		list[i + 1] = &kids[i].ch;
	e = yw_case_changes_run(r, list, n + 1);
	if (e == YW_E_CONFLICT && pch.idem_lost) {
		bool done;
		yw_err e2 = yw_case_idem_replay(r, key, hash, &done);
		return done ? e2 : yw_fail(r, YW_E_INTERNAL, "提交记录丢失");
	}
	return e ? e : yw_case_reply(r, 201, parent.id);
}
