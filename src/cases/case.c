/*
 * The cases module's HTTP routes, and what every handler shares: the case of the path and who
 * may see it, the clocks recomputed after each change, and the case as JSON. The common end of a
 * change (internal.h, yw_case_change) is change.c.
 *
 *   POST   /api/v1/cases                         apply.c  create (draft, or submit at once)
 *   GET    /api/v1/cases                         inbox.c  我的办件 / the staff's cases in reach
 *   GET    /api/v1/cases/{id}                    apply.c
 *   PATCH  /api/v1/cases/{id}                    apply.c  draft or supplement
 *   DELETE /api/v1/cases/{id}                    apply.c  draft only
 *   POST   /api/v1/cases/{id}/submit             apply.c
 *   POST   /api/v1/cases/{id}/materials          apply.c  upload into a slot
 *   GET    /api/v1/cases/{id}/materials/{mid}    apply.c
 *   POST   /api/v1/cases/{id}/actions/{name}     work.c   a transition
 *   POST   /api/v1/cases/{id}/tasks/{task_id}    work.c   a review task's verdict
 *   GET    /api/v1/cases/{id}/notices/{kind}     work.c   the notice PDF
 *   GET    /api/v1/inbox                         inbox.c
 *   GET    /api/v1/progress                      progress.c (public)
 *   POST   /api/v1/themes/{id}/cases             theme.c  one application for a theme (一件事)
 *
 * Who may read a case: whoever case.read reaches on the case (its applicant, their agents, the
 * staff of its department), and the staff of a department with a task on it (a parallel
 * branch's approvers). Anyone else is answered as if the case did not exist.
 */
#include <string.h>

#include "cases/internal.h"
#include "materials/materials.h"
#include "ref/ref.h"

void yw_cases_routes(struct yw_router *rt)
{
	yw_route(rt, "POST", "/api/v1/cases", yw_cases_create);
	yw_route(rt, "GET", "/api/v1/cases", yw_cases_list);
	yw_route(rt, "GET", "/api/v1/cases/{id}", yw_cases_get);
	yw_route(rt, "PATCH", "/api/v1/cases/{id}", yw_cases_patch);
	yw_route(rt, "DELETE", "/api/v1/cases/{id}", yw_cases_delete);
	yw_route(rt, "POST", "/api/v1/cases/{id}/submit", yw_cases_submit);
	yw_route(rt, "POST", "/api/v1/cases/{id}/materials", yw_cases_upload);
	yw_route(rt, "GET", "/api/v1/cases/{id}/materials/{material_id}", yw_cases_material);
	yw_route(rt, "POST", "/api/v1/cases/{id}/actions/{name}", yw_cases_action);
	yw_route(rt, "POST", "/api/v1/cases/{id}/tasks/{task_id}", yw_cases_task);
	yw_route(rt, "GET", "/api/v1/cases/{id}/notices/{kind}", yw_cases_notice);
	yw_route(rt, "GET", "/api/v1/inbox", yw_cases_inbox);
	yw_route(rt, "GET", "/api/v1/progress", yw_cases_progress);
	yw_route(rt, "POST", "/api/v1/themes/{id}/cases", yw_cases_theme_apply);
}

/* ---- small helpers ---------------------------------------------------------------------------- */

const char *yw_case_id_new(yw_arena *a, const char *prefix)
{
	const char *id = NULL;
	return yw_sortable_ids(a, prefix, &id, 1) ? NULL : id;
}

yw_object yw_case_object(const yw_case_row *c)
{
	return (yw_object){ .type = "case", .owner_kind = c->applicant_kind,
	                    .owner_id = c->applicant_id, .item_code = c->item_code,
	                    .department_id = c->department_id, .division_code = c->division_code };
}

static yw_object task_object(const yw_case_row *c, const yw_case_task_row *t)
{
	yw_object o = yw_case_object(c);
	o.department_id = t->department_id;
	o.division_code = t->division_code;
	return o;
}

const char *yw_case_day_str(yw_arena *a, int ymd)
{
	if (!ymd)
		return NULL;
	char buf[11];
	yw_date_format(yw_case_date(ymd), buf);
	return yw_strdup(a, buf);
}

json_t *yw_case_str_json(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *day_json(yw_arena *a, int ymd)
{
	const char *s = yw_case_day_str(a, ymd);
	return s ? json_string(s) : json_null();
}

/* Department names for lists, kept a minute on each thread: an inbox page names the same few
 * departments on every row, and a rename showing a minute late on a list is harmless (the
 * catalog keeps them the same way). Fixed-size slots, so a thread's end leaves nothing to free. */
#define DEPT_SLOTS 64
static _Thread_local struct {
	char id[48];
	char name[512];
	yw_ms at;
} dept_names[DEPT_SLOTS];

const char *yw_case_department_name(yw_req *r, const char *id)
{
	if (!id)
		return NULL;
	yw_ms now = yw_now_ms();
	size_t h = 5381;
	for (const char *p = id; *p; p++)
		h = h * 33 + (unsigned char)*p;
	h %= DEPT_SLOTS;
	if (dept_names[h].at && now - dept_names[h].at < 60000 && !strcmp(dept_names[h].id, id))
		return yw_strdup(r->arena, dept_names[h].name);
	yw_department d;
	if (yw_identity_department(r->app->store, r->arena, id, &d))
		return NULL;
	if (strlen(id) < sizeof dept_names[h].id && strlen(d.name) < sizeof dept_names[h].name) {
		strcpy(dept_names[h].id, id);
		strcpy(dept_names[h].name, d.name);
		dept_names[h].at = now;
	}
	return d.name;
}

static bool is_staff(yw_req *r)
{
	return yw_str_eq(r->principal.kind, "staff");
}

const char *yw_case_actor(yw_req *r, const yw_case_row *c)
{
	if (is_staff(r))
		return yw_sprintf(r->arena, "staff:%s", r->principal.id);
	return yw_actor_for(r->arena, r->principal.ext, c->applicant_kind, c->applicant_id);
}

bool yw_case_readable(yw_req *r, const yw_case_row *c, const yw_case_task_row *t, int nt)
{
	/* A draft is not yet an application, and it is read only on the side writing it: an online
	 * draft is the applicant's notebook (no department, staff or system, reads it before it is
	 * submitted), a window draft the clerk's work in progress (the applicant sees the case once
	 * the clerk submits it). */
	if (c->state == YW_CS_DRAFT && !(yw_str_eq(c->channel, "window")
	                                     ? yw_str_eq(r->principal.kind, "staff")
	                                     : yw_str_eq(r->principal.kind, "person")))
		return false;
	yw_object o = yw_case_object(c);
	if (yw_authz_allows(r, YW_ACT_CASE_READ, &o))
		return true;
	for (int i = 0; i < nt; i++) {
		yw_object to = task_object(c, &t[i]);
		if (!yw_str_eq(t[i].department_id, c->department_id) &&
		    yw_authz_allows(r, YW_ACT_CASE_READ, &to))
			return true;
	}
	return false;
}

yw_err yw_case_path(yw_req *r, yw_case_row *c, yw_case_task_row **tasks, int *ntasks)
{
	if (!r->app->store)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
	if (!r->principal.kind)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	const char *id = yw_req_param(r, "id");
	yw_db *db = yw_store_reader(r->app->store);
	yw_err e = id && strlen(id) < 64 ? yw_casedb_load(db, r->arena, id, c) : YW_E_NOT_FOUND;
	yw_case_task_row *t = NULL;
	int nt = 0;
	if (!e)
		e = yw_casedb_tasks(db, r->arena, c->id, &t, &nt);
	if (e == YW_E_NOT_FOUND || (!e && !yw_case_readable(r, c, t, nt)))
		return yw_fail(r, YW_E_NOT_FOUND, "办件不存在");
	if (e)
		return yw_fail(r, e, "读取办件失败");
	if (tasks) {
		*tasks = t;
		*ntasks = nt;
	}
	return YW_E_OK;
}

bool yw_case_version_given(json_t *body)
{
	json_t *v = body ? json_object_get(body, "version") : NULL;
	return v && !json_is_null(v);
}

yw_err yw_case_version_check(yw_req *r, json_t *body, const yw_case_row *c)
{
	json_t *v = body ? json_object_get(body, "version") : NULL;
	if (!v || json_is_null(v))
		return YW_E_OK;
	if (!json_is_integer(v)) {
		json_t *fields = yw_arena_json(r->arena, json_array());
		yw_field_error(fields, "version", "应为整数：读到的办件版本 version");
		return yw_fail_fields(r, fields);
	}
	if (json_integer_value(v) != c->version)
		return yw_fail(r, YW_E_CASE_STALE, "办件已被他人处理或修改（当前版本 %lld），请刷新后重试",
		               c->version);
	return YW_E_OK;
}

static bool allows(yw_req *r, yw_action a, const yw_object *o)
{
	return a < YW_ACT__COUNT && yw_authz_allows(r, a, o);
}

bool yw_case_may(yw_req *r, const yw_case_row *c, yw_case_transition t)
{
	const yw_case_transition_def *d = yw_case_transition_get(t);
	if (!d)
		return false;
	yw_object o = yw_case_object(c);
	bool apply_side = d->action == YW_ACT_CASE_APPLY;
	bool ok = allows(r, d->action, &o);
	/* A clerk holds case.apply for window applications; on a case the applicant filed online
	 * the applicant's own steps stay the applicant's. */
	if (ok && apply_side && is_staff(r) && !yw_str_eq(c->channel, "window"))
		ok = false;
	if (!ok && d->alt_action < YW_ACT__COUNT) {
		ok = allows(r, d->alt_action, &o);
		if (ok && d->alt_action == YW_ACT_CASE_APPLY && is_staff(r) &&
		    !yw_str_eq(c->channel, "window"))
			ok = false;
	}
	return ok;
}

/* The stage whose open task a transition ends, or NULL for one tied to no task. */
static const char *stage_of(yw_case_transition t)
{
	switch (t) {
	case YW_CT_CLAIM: case YW_CT_ACCEPT: case YW_CT_REJECT: case YW_CT_REQUEST_SUPPLEMENT:
		return "pre_review";
	case YW_CT_DECIDE:
		return "decide";
	case YW_CT_MAKE_RESULT:
		return "make_license";
	case YW_CT_DELIVER:
		return "deliver";
	default:
		return NULL;
	}
}

const yw_case_task_row *yw_case_open_review(const yw_case_task_row *t, int nt)
{
	for (int i = 0; i < nt; i++)
		if (yw_str_eq(t[i].state, "open") && yw_str_eq(t[i].stage, "review"))
			return &t[i];
	return NULL;
}

/* Whether a step's role can take the action at all. A process published before the catalog
 * asked this (R-CASE-012) may give a step to a role that cannot: such a step is then ended by
 * whoever holds the action, as before, rather than by nobody. */
static bool role_may(const char *name, yw_action a)
{
	yw_role role;
	return yw_role_from_name(name, &role) && yw_role_grants(role, a);
}

/* R-CASE-012 for a review task: its role, in its own department (yw_cases_task asks the same). */
bool yw_case_may_review(yw_req *r, const yw_case_row *c, const yw_case_task_row *t)
{
	yw_role role;
	yw_object o = task_object(c, t);
	if (!yw_str_eq(r->principal.kind, "staff"))
		return false;
	if (!role_may(t->role, YW_ACT_CASE_REVIEW))
		return yw_authz_allows(r, YW_ACT_CASE_REVIEW, &o);
	return yw_role_from_name(t->role, &role) && yw_authz_allows_as(r, role, YW_ACT_CASE_REVIEW, &o);
}

/* R-CASE-012: a transition that ends a step is the step's role's. The process gives each step to
 * a role in a department (the 制证 step to the window clerks, a branch to the fire brigade); the
 * caller must hold that role with the transition's action over the case's department or the
 * task's. Without an open task of the stage (a record from before tasks) the action alone
 * decides, as for the transitions tied to no step. */
bool yw_case_may_task(yw_req *r, const yw_case_row *c, const yw_case_task_row *t, int nt,
                      yw_case_transition tr)
{
	const char *stage = stage_of(tr);
	const yw_case_transition_def *d = yw_case_transition_get(tr);
	bool step_open = false, roleless = false;
	for (int i = 0; stage && d && i < nt; i++) {
		if (!yw_str_eq(t[i].state, "open") || !yw_str_eq(t[i].stage, stage))
			continue;
		step_open = true;
		if (yw_case_may_step(r, c, &t[i], d->action))
			return true;
		roleless = roleless || !role_may(t[i].role, d->action);
	}
	return (!step_open || roleless) && yw_case_may(r, c, tr);
}

bool yw_case_may_step(yw_req *r, const yw_case_row *c, const yw_case_task_row *t, yw_action a)
{
	yw_role role;
	if (!yw_role_from_name(t->role, &role))
		return false;
	yw_object o = yw_case_object(c);
	if (yw_authz_allows_as(r, role, a, &o))
		return true;
	o = task_object(c, t);
	return !yw_str_eq(t->department_id, c->department_id) && yw_authz_allows_as(r, role, a, &o);
}

/* ---- clocks (R-CASE-020..025) --------------------------------------------------------------- */

static int due_of(const yw_case_clock *k, bool *calendar_out)
{
	int due = 0;
	yw_err e = yw_case_clock_due(k, &due);
	if (e == YW_E_CALENDAR_OUT_OF_RANGE)
		*calendar_out = true;
	return e ? 0 : due;
}

void yw_case_recompute(yw_case_row *c, yw_case_task_row *t, int nt, bool *calendar_out)
{
	*calendar_out = false;
	bool running = c->state == YW_CS_ACCEPTED || c->state == YW_CS_REVIEW ||
	               c->state == YW_CS_SUSPENDED;
	/* A 即办件 is accepted and decided in one step, never seen running: its due day (the day
	 * of acceptance for a limit of 0) is kept as any decided case keeps the one it had. */
	bool instant = c->project_type == 1 && c->accepted_on && !c->due_on &&
	               c->state == YW_CS_DECIDED;
	if (running || instant) {
		yw_case_clock k = { .limit_days = c->limit_days, .extension_days = c->extension_days,
		                    .paused_workdays = c->paused_workdays, .started_on = c->accepted_on,
		                    .paused_since = c->paused_since };
		c->due_on = c->limit_days >= 0 && c->accepted_on ? due_of(&k, calendar_out) : 0;
	}
	bool suspended = c->state == YW_CS_SUSPENDED && c->paused_since;
	for (int i = 0; i < nt; i++) {
		if (!yw_str_eq(t[i].state, "open"))
			continue;
		int before = t[i].due_on;
		if (t[i].limit_days < 0) {
			t[i].due_on = running ? c->due_on : 0;
		} else {
			yw_case_clock k = { .limit_days = t[i].limit_days,
			                    .paused_workdays = t[i].paused_workdays,
			                    .started_on = t[i].started_on,
			                    .paused_since = suspended ? c->paused_since : 0 };
			t[i].due_on = due_of(&k, calendar_out);
		}
		if (before != t[i].due_on)
			t[i].dirty = true;
	}
}

static void limits_of(int due_on, bool paused, int *left, const char **urgency)
{
	int l = 0;
	bool has = due_on && !paused && !yw_case_days_left(due_on, yw_case_today(), &l);
	*left = l;
	*urgency = yw_case_urgency_name(yw_case_urgency_of(has, l));
}

/* The case's own clock counts between acceptance and the decision: outside that (paused, decided,
 * finished) its due day stays as a record and nothing is left or late. */
static bool stopped(const yw_case_row *c)
{
	return c->paused_since != 0 || (c->state != YW_CS_ACCEPTED && c->state != YW_CS_REVIEW);
}

static json_t *left_json(int due_on, bool paused)
{
	int l;
	const char *u;
	limits_of(due_on, paused, &l, &u);
	return due_on && !paused ? json_integer(l) : json_null();
}

static const char *urgency_str(int due_on, bool paused)
{
	int l;
	const char *u;
	limits_of(due_on, paused, &l, &u);
	return u;
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static const char *actor_name(yw_req *r, const yw_case_row *c, const char *actor)
{
	if (!actor)
		return "";
	if (yw_str_has_prefix(actor, "staff:")) {
		const char *id = actor + 6, *sp = strchr(id, ' ');
		yw_subject_claims cl;
		id = sp ? yw_strndup(r->arena, id, (size_t)(sp - id)) : id;
		if (id && !yw_identity_claims(r->app->store, r->app->keys, r->arena, "staff", id, &cl) &&
		    cl.name)
			return cl.name;
		return "工作人员";
	}
	if (strstr(actor, " for ")) {
		/* "person:<id> for <owner>": the agent, handler or legal representative by name, as a
		 * trail should say who */
		bool org = c->applicant_kind && yw_str_eq(c->applicant_kind, "org");
		const char *role = org ? "经办人" : "代办人";
		const char *id = yw_str_has_prefix(actor, "person:") ? actor + 7 : NULL, *sp = id ? strchr(id, ' ') : NULL;
		id = id && sp ? yw_strndup(r->arena, id, (size_t)(sp - id)) : NULL;
		yw_applicant owner;
		if (id && org && !yw_identity_applicant(r->app->store, r->app->keys, r->arena, "org",
		                                        c->applicant_id, &owner) &&
		    yw_str_eq(owner.legal_rep_id, id))
			role = "法定代表人";
		yw_subject_claims cl;
		if (id && !yw_identity_claims(r->app->store, r->app->keys, r->arena, "person", id, &cl) &&
		    cl.name)
			return yw_sprintf(r->arena, "%s %s", role, cl.name);
		return role;
	}
	if (yw_str_has_prefix(actor, "person:") || yw_str_has_prefix(actor, "org:"))
		return "申请人";
	return "系统";
}

static const char *action_zh(const char *action)
{
	yw_case_transition t;
	if (yw_str_eq(action, "create"))
		return "保存草稿";
	if (yw_str_eq(action, "task"))
		return "审查环节办理";
	if (yw_case_transition_from_name(action, &t))
		return yw_case_transition_get(t)->zh;
	return action;
}

static json_t *masked_number(const yw_applicant *ap)
{
	if (!ap->number)
		return json_null();
	if (yw_str_eq(ap->kind, "person") && strlen(ap->number) == 18) {
		char m[19];
		yw_mask_id(ap->number, m);
		return json_string(m);
	}
	return json_string(ap->number);   /* a USCC is a public registration, not personal */
}

json_t *yw_case_brief(yw_req *r, const yw_case_row *c, bool staff)
{
	yw_case_row view;
	json_t *kids = yw_case_theme_view(r, c, &view);   /* a theme's parent: its derived state */
	if (kids) {
		json_decref(kids);
		c = &view;
	}
	bool stop = stopped(c);
	/* what the case asks of its applicant now (我的办件 lists these first: inbox.c, RANK) */
	const char *method = json_string_value(json_object_get(c->delivery, "method"));
	const char *needs = c->state == YW_CS_SUPPLEMENT ? "supplement"
	                    : c->state == YW_CS_DELIVERED ? "confirm"
	                    : c->state == YW_CS_RESULT_MADE && yw_str_eq(method, "pickup") ? "pickup"
	                                                  : NULL;
	json_t *j = json_pack(
		"{s:s, s:o, s:o, s:s, s:{s:o, s:o}, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o}", "id", c->id,
		"serial", c->serial ? json_string(c->serial) : json_null(), "item_code",
		c->item_code ? json_string(c->item_code) : json_null(), "item_name", c->item_name,
		"department", "id", c->department_id ? json_string(c->department_id) : json_null(),
		"name", yw_case_str_json(yw_case_department_name(r, c->department_id)),
		"state", yw_case_state_name(c->state), "state_name", yw_case_state_zh(c->state),
		"channel", c->channel, "submitted_at",
		c->submitted_at ? json_integer(c->submitted_at) : json_null(), "due_on",
		day_json(r->arena, c->due_on), "days_left", left_json(c->due_on, stop), "urgency",
		urgency_str(c->due_on, stop), "needs_me", needs ? json_string(needs) : json_null());
	if (j && staff)
		json_object_set_new(j, "applicant_name", json_string(c->applicant_name));
	if (j)
		json_object_set_new(j, "updated_at", json_integer(c->updated_at));
	return j;
}

static json_t *slots_json(yw_req *r, const yw_case_row *c, json_t *materials)
{
	json_t *arr = json_array();
	yw_case_mat *m = NULL;
	int nm = 0;
	yw_casedb_materials(yw_store_reader(r->app->store), r->arena, c->id, &m, &nm);
	size_t nslots = json_array_size(materials);
	for (size_t s = 0; s < nslots; s++) {
		json_t *def = json_array_get(materials, s), *files = json_array();
		for (int i = 0; i < nm; i++) {
			yw_material mat;
			if (m[i].slot == (int)s &&
			    !yw_materials_get(yw_store_reader(r->app->store), r->arena, m[i].material_id, &mat))
				json_array_append_new(files, yw_material_json(&mat));
		}
		json_array_append_new(arr, json_pack("{s:I, s:O, s:b, s:o}", "slot", (json_int_t)s, "name",
		                                     json_object_get(def, "name"), "required",
		                                     json_is_true(json_object_get(def, "required")),
		                                     "files", files));
	}
	return arr;
}

/* The notices a case has: an act of the trail, or its decision. */
static void notice_names(yw_rows *trail, const yw_case_row *c, json_t *out)
{
	bool acc = false, rej = false, sup = false;
	for (int i = 0; trail && i < yw_rows_count(trail); i++) {
		const char *act = yw_rows_text(trail, i, 3);
		acc = acc || yw_str_eq(act, "accept");
		rej = rej || yw_str_eq(act, "reject");
		sup = sup || yw_str_eq(act, "request_supplement");
	}
	if (acc)
		json_array_append_new(out, json_string("accept"));
	if (rej)
		json_array_append_new(out, json_string("reject"));
	if (sup)
		json_array_append_new(out, json_string("supplement"));
	if (c->decided_at && yw_str_eq(c->decision, "approve"))
		json_array_append_new(out, json_string("approve"));
	if (c->decided_at && yw_str_eq(c->decision, "deny"))
		json_array_append_new(out, json_string("deny"));
}

json_t *yw_case_json(yw_req *r, const yw_case_row *c, const yw_case_task_row *t, int nt)
{
	yw_case_row view;
	json_t *children = yw_case_theme_view(r, c, &view);
	if (children)
		c = &view;
	yw_arena *a = r->arena;
	yw_store *st = r->app->store;
	yw_cat_published item;
	bool have_item = c->item_code &&
	                 !yw_catalog_published(st, a, c->item_code, c->item_version, &item);
	yw_applicant ap = { .kind = c->applicant_kind, .id = c->applicant_id };
	yw_identity_applicant(st, r->app->keys, a, c->applicant_kind, c->applicant_id, &ap);
	yw_rows *trail = NULL;
	yw_casedb_trail(yw_store_reader(st), a, c->id, &trail);
	bool paused = c->paused_since != 0;

	json_t *tasks = json_array();
	for (int i = 0; i < nt; i++) {
		const yw_case_task_row *k = &t[i];
		bool open = yw_str_eq(k->state, "open");
		json_array_append_new(
			tasks,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:o}, s:o, s:s, s:o, s:o, s:o, s:o, "
			          "s:s, s:o, s:o}",
			          "id", k->id, "step_id", k->step_id, "name", k->name, "stage", k->stage,
			          "role", k->role, "department", "id", k->department_id, "name",
			          yw_case_str_json(yw_case_department_name(r, k->department_id)), "split_id",
			          yw_case_str_json(k->split_id), "state", k->state, "limit_days",
			          k->limit_days < 0 ? json_null() : json_integer(k->limit_days),
			          "started_on", day_json(a, k->started_on), "due_on",
			          day_json(a, open ? k->due_on : 0), "days_left",
			          open ? left_json(k->due_on, paused) : json_null(), "urgency",
			          open ? urgency_str(k->due_on, paused) : "none", "outcome_by",
			          yw_case_str_json(k->outcome_by ? actor_name(r, c, k->outcome_by) : NULL),
			          "outcome_reason", yw_case_str_json(k->outcome_reason)));
		/* whether the caller may pass or fail this review task now (a page offers it then) */
		json_object_set_new(json_array_get(tasks, json_array_size(tasks) - 1), "can_review",
		                    json_boolean(open && yw_str_eq(k->stage, "review") &&
		                                 yw_case_can(YW_CT_REVIEW_TASK, c->state) &&
		                                 yw_case_may_review(r, c, k)));
	}
	json_t *tr = json_array();
	for (int i = 0; trail && i < yw_rows_count(trail); i++) {
		const char *act = yw_rows_text(trail, i, 3);
		json_array_append_new(
			tr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "seq",
			              (json_int_t)yw_rows_int(trail, i, 0), "at",
			              (json_int_t)yw_rows_int(trail, i, 1), "actor_name",
			              actor_name(r, c, yw_rows_text(trail, i, 2)), "action", act,
			              "action_name", action_zh(act), "from_state",
			              yw_case_str_json(yw_rows_text(trail, i, 4)), "to_state",
			              yw_case_str_json(yw_rows_text(trail, i, 5)), "task_id",
			              yw_case_str_json(yw_rows_text(trail, i, 6)), "note",
			              yw_case_str_json(yw_rows_text(trail, i, 7))));
	}
	json_t *notices = json_array();
	notice_names(trail, c, notices);
	json_t *actions = json_array();
	for (int k = 0; k < YW_CT__COUNT; k++) {
		if (k == YW_CT_REVIEW_TASK || !yw_case_can((yw_case_transition)k, c->state))
			continue;
		/* Not offered what the step would refuse anyway (CASE_TASKS_OPEN, EXTENSION_USED). */
		if ((k == YW_CT_DECIDE && yw_case_open_review(t, nt)) || (k == YW_CT_EXTEND && c->extension_days))
			continue;
		if (yw_case_may_task(r, c, t, nt, (yw_case_transition)k))
			json_array_append_new(actions,
			                      json_string(yw_case_transition_get((yw_case_transition)k)->name));
	}
	const char *calendar_note = NULL;
	if (!c->due_on && !paused && c->accepted_on && c->limit_days >= 0 &&
	    (c->state == YW_CS_ACCEPTED || c->state == YW_CS_REVIEW)) {
		bool out = false;
		yw_case_row copy = *c;
		yw_case_recompute(&copy, NULL, 0, &out);
		if (out)
			calendar_note = "节假日日历尚未覆盖到期日，请更新日历";
	}
	json_t *decision = c->decided_at
		? json_pack("{s:o, s:o, s:o, s:I}", "decision", yw_case_str_json(c->decision), "reasons",
		            yw_case_str_json(c->decision_reasons), "legal_basis",
		            yw_case_str_json(c->decision_basis), "at", (json_int_t)c->decided_at)
		: json_null();
	const yw_division *dv = NULL;
	const char *division_name = c->division_code && !yw_division_find(c->division_code, &dv)
		? yw_division_name(dv) : NULL;
	json_t *limits = json_pack(
		"{s:o, s:i, s:i, s:o, s:o, s:o, s:o, s:s, s:b, s:o}", "limit_days",
		c->limit_days < 0 ? json_null() : json_integer(c->limit_days), "extension_days",
		c->extension_days, "paused_workdays", c->paused_workdays, "submitted_on",
		day_json(a, c->submitted_on), "accepted_on", day_json(a, c->accepted_on), "due_on",
		day_json(a, c->due_on), "days_left", left_json(c->due_on, stopped(c)), "urgency",
		urgency_str(c->due_on, stopped(c)), "paused", paused, "calendar_note",
		yw_case_str_json(calendar_note));
	json_t *j = json_pack(
		"{s:s, s:o, s:I, s:o, s:o, s:s, s:{s:o, s:o}, s:s, s:o, "
		"s:{s:s, s:s, s:s, s:o}, s:s, s:s, s:s, s:s, s:i}",
		"id", c->id, "serial", yw_case_str_json(c->serial), "version", (json_int_t)c->version,
		"item_code", yw_case_str_json(c->item_code), "item_version",
		c->item_version ? json_integer(c->item_version) : json_null(), "item_name", c->item_name,
		"department", "id", yw_case_str_json(c->department_id), "name",
		yw_case_str_json(yw_case_department_name(r, c->department_id)), "division_code",
		c->division_code, "division_name", yw_case_str_json(division_name), "applicant", "kind",
		c->applicant_kind, "id", c->applicant_id, "name", c->applicant_name, "number_masked",
		masked_number(&ap), "filed_by", actor_name(r, c, c->filed_by), "channel", c->channel,
		"state", yw_case_state_name(c->state), "state_name", yw_case_state_zh(c->state),
		"project_type", c->project_type);
	if (!j)
		return NULL;
	/* The numbers in full to the applicant's side only, masked to staff (pii.c). */
	bool full = yw_case_pii_full(r, c);
	json_t *form = c->form ? yw_case_pii_show(r, have_item ? item.form : NULL, c->form, full) : NULL,
	       *delivery = c->delivery ? yw_case_pii_show(r, yw_case_delivery_def(a), c->delivery, full)
	                               : NULL;
	json_object_set_new(j, "form", form ? json_incref(form) : json_object());
	json_object_set(j, "form_definition", have_item && item.form ? item.form : json_null());
	json_object_set_new(j, "materials", slots_json(r, c, have_item ? item.materials : NULL));
	json_object_set_new(j, "delivery", delivery ? json_incref(delivery) : json_null());
	json_object_set(j, "supplement", c->supplement ? c->supplement : json_null());
	json_object_set_new(j, "decision", decision);
	json_object_set(j, "delivery_record", c->delivery_record ? c->delivery_record : json_null());
	json_object_set_new(j, "limits", limits);
	json_object_set_new(j, "tasks", tasks);
	json_object_set_new(j, "trail", tr);
	json_object_set_new(j, "notices", notices);
	json_object_set_new(j, "actions", actions);
	json_object_set_new(j, "close_reason", yw_case_str_json(c->close_reason));
	json_object_set_new(j, "parent_id", yw_case_str_json(c->parent_id));
	json_object_set_new(j, "children", children ? children : json_array());
	if (children) {   /* a theme's parent is handled through its children, or withdrawn whole */
		json_array_clear(actions);
		if (yw_case_theme_may_withdraw(r, c))
			json_array_append_new(actions, json_string(yw_case_transition_get(YW_CT_WITHDRAW)->name));
	}
	json_object_set_new(j, "created_at", json_integer(c->created_at));
	json_object_set_new(j, "updated_at", json_integer(c->updated_at));
	json_object_set_new(j, "submitted_at",
	                    c->submitted_at ? json_integer(c->submitted_at) : json_null());
	return j;
}
