/*
 * Administration of departments, staff and roles (docs/identity.md "Administration"):
 *   GET    /api/v1/departments                         public list
 *   GET    /api/v1/departments/{id}                    public
 *   POST   /api/v1/departments  {name, uscc, division_code, parent_id?}        DEPARTMENT_MANAGE
 *   PATCH  /api/v1/departments/{id}  {name?, division_code?, parent_id?}       DEPARTMENT_MANAGE
 *   POST   /api/v1/staff  {username, name, department_id, password}            STAFF_MANAGE
 *   GET    /api/v1/staff?department_id=…               only the members the caller may STAFF_READ
 *   GET    /api/v1/staff/{id}                          STAFF_READ, else 404
 *   POST   /api/v1/staff/{id}/roles  {role, department_id, division_code?}     ROLE_GRANT (+ needs)
 *   DELETE /api/v1/staff/{id}/roles/{role}/{department_id}
 *   POST   /api/v1/staff/{id}/disable | /enable | /reset {password}            STAFF_MANAGE
 *
 * Who may touch a member is decided on the member (their department and its division); a
 * member outside the caller's reach answers 404 exactly like one that does not exist, so ids
 * cannot be probed. Beyond STAFF_MANAGE, disabling, enabling or resetting someone needs the right
 * to grant every role they hold: otherwise a department admin could reset a system admin's
 * password and TOTP and log in as them. Checks that depend on other rows (the parent's division,
 * a loop in the tree, a taken USCC or user name) run inside the write, so that what is checked is
 * what commits; the password hash is made before it.
 */
#include <string.h>

#include "audit/audit.h"
#include "identity/internal.h"
#include "ref/ref.h"

/* ---- pure rules ------------------------------------------------------------------------- */

bool yw_idn_dept_would_cycle(const char *dept, const char *new_parent,
                             const char *(*parent_of)(void *ctx, const char *id), void *ctx)
{
	const char *p = new_parent;
	for (int depth = 0; p; depth++) {
		if (!strcmp(p, dept) || depth >= 64)
			return true;
		p = parent_of(ctx, p);
	}
	return false;
}

yw_action yw_idn_grant_action(yw_role role)
{
	static const struct {
		yw_role role;
		yw_action action;
	} needs[] = {
#define YW_GRANT_NEEDS(role, action) { YW_ROLE_##role, YW_ACT_##action },
#include "identity/roles.def"
#undef YW_GRANT_NEEDS
	};
	if (role >= YW_ROLE__COUNT)
		return YW_ACT_ROLE_GRANT_PRIVILEGED;   /* a role this version does not know */
	for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++)
		if (needs[i].role == role)
			return needs[i].action;
	return YW_ACT_ROLE_GRANT;
}

/* ---- helpers ----------------------------------------------------------------------------- */

static const char *actor_of(yw_req *r)
{
	return yw_sprintf(r->arena, "%s:%s", r->principal.kind, r->principal.id);
}

/* Signed in and not held up by a required password change: checked first on every admin route,
 * so that an anonymous caller hears 401 whatever the body says. */
static yw_err gate(yw_req *r)
{
	yw_err e = yw_idn_need_store(r);
	if (e)
		return e;
	const yw_caller *c = yw_idn_caller(r);
	if (!c || !c->kind)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	if (!strcmp(c->kind, "staff") && c->password_change_required)
		return yw_fail(r, YW_E_PASSWORD_CHANGE_REQUIRED, "密码为初始密码、已被重置或已超过有效期，须先修改密码");
	return YW_E_OK;
}

/* Whether any role or scope of the caller grants the action at all, whatever the object. */
static bool may_ever(const yw_caller *c, yw_action action)
{
	if (!c || !c->kind)
		return false;
	if (!strcmp(c->kind, "staff")) {
		for (int i = 0; i < c->nroles && i < YW_MAX_ROLES; i++)
			if (yw_role_grants(c->roles[i].role, action))
				return true;
		return false;
	}
	if (!strcmp(c->kind, "client")) {
		for (int i = 0; i < c->nscopes; i++)
			if (yw_str_eq(c->scopes[i], yw_action_name(action)))
				return true;
		return false;
	}
	return !strcmp(c->kind, "person") && yw_role_grants(YW_ROLE_APPLICANT, action);
}

/* An optional string field: NULL when absent or null; a wrong type is recorded. */
static const char *opt_field(json_t *body, const char *key, json_t *fields)
{
	json_t *v = json_object_get(body, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v) || !json_string_value(v)[0]) {
		yw_field_error(fields, key, "应为非空字符串");
		return NULL;
	}
	return json_string_value(v);
}

static json_t *division_name(const char *code)
{
	const yw_division *d;
	return code && yw_division_find(code, &d) == YW_E_OK ? json_string(yw_division_name(d))
	                                                     : json_null();
}

/* The department a request names; UNKNOWN_DEPARTMENT, naming it as `what`, when there is none. */
static yw_err named_dept(yw_req *r, const char *id, const char *what, yw_idn_adm_dept *d)
{
	yw_err e = yw_idn_adm_dept_get(yw_store_reader(r->app->store), r->arena, id, d);
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, YW_E_UNKNOWN_DEPARTMENT, "%s %s 不存在", what, id);
	if (e)
		return yw_fail(r, e, "读取部门失败");
	return YW_E_OK;
}

/* ---- departments ------------------------------------------------------------------------- */

static json_t *dept_json(const yw_idn_adm_dept *d)
{
	return json_pack("{s:s, s:s?, s:s, s:s, s:s, s:o, s:I}", "id", d->id, "parent_id", d->parent_id,
	                 "name", d->name, "uscc", d->uscc, "division_code", d->division_code,
	                 "division_name", division_name(d->division_code), "created_at",
	                 (json_int_t)d->created_at);
}

typedef struct {
	yw_idn_adm_dept *d;
	int n;
} dept_table;

static const char *table_parent(void *ctx, const char *id)
{
	dept_table *t = ctx;
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->d[i].id, id))
			return t->d[i].parent_id;
	return NULL;
}

/* Whether dept is ancestor or lies under it, from a table already read. */
static bool table_within(dept_table *t, const char *dept, const char *ancestor)
{
	const char *p = dept;
	for (int depth = 0; p && depth < 64; depth++) {
		if (!strcmp(p, ancestor))
			return true;
		p = table_parent(t, p);
	}
	return false;
}

static yw_err departments_list(yw_req *r)
{
	if (!r->app->store)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
	yw_idn_adm_dept *d;
	int n;
	yw_err e = yw_idn_adm_dept_list(yw_store_reader(r->app->store), r->arena, &d, &n);
	if (e)
		return yw_fail(r, e, "读取部门失败");
	json_t *arr = json_array();
	for (int i = 0; arr && i < n; i++)
		json_array_append_new(arr, dept_json(&d[i]));
	return yw_reply_json(r, 200, json_pack("{s:o}", "departments", arr));
}

static yw_err department_get(yw_req *r)
{
	if (!r->app->store)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
	yw_idn_adm_dept d;
	yw_err e = yw_idn_adm_dept_get(yw_store_reader(r->app->store), r->arena,
	                               yw_req_param(r, "id"), &d);
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, e, "部门不存在");
	if (e)
		return yw_fail(r, e, "读取部门失败");
	return yw_reply_json(r, 200, json_pack("{s:o}", "department", dept_json(&d)));
}

typedef struct {
	yw_arena *a;
	const char *actor;
	yw_idn_adm_dept d;          /* the department as it is to be */
	bool create;
	/* an update: what changes, applied to the row as the write reads it (no lost update) */
	const char *set_name, *set_division, *set_parent;
	bool move;
	/* results */
	const char *detail;
	yw_idn_adm_dept old;
} dept_arg;

/* The rules that involve other rows, read through tx so that they hold for what commits. */
static yw_err dept_rules(yw_db *tx, dept_arg *g)
{
	yw_idn_adm_dept *all;
	int n;
	yw_err e = yw_idn_adm_dept_list(tx, g->a, &all, &n);
	if (e)
		return e;
	dept_table t = { all, n };
	if (g->d.parent_id) {
		const yw_idn_adm_dept *parent = NULL;
		for (int i = 0; i < n; i++)
			if (!strcmp(all[i].id, g->d.parent_id))
				parent = &all[i];
		if (!parent) {
			g->detail = yw_sprintf(g->a, "上级部门 %s 不存在", g->d.parent_id);
			return YW_E_UNKNOWN_DEPARTMENT;
		}
		if (!g->create && yw_idn_dept_would_cycle(g->d.id, g->d.parent_id, table_parent, &t)) {
			g->detail = yw_sprintf(g->a, "不能把部门移到它自己或它的下级部门「%s」之下", parent->name);
			return YW_E_DEPARTMENT_CYCLE;
		}
		if (!yw_division_within(g->d.division_code, parent->division_code)) {
			g->detail = yw_sprintf(g->a, "行政区划 %s 不在上级部门「%s」的行政区划 %s 之内",
			                       g->d.division_code, parent->name, parent->division_code);
			return YW_E_DIVISION_OUTSIDE_PARENT;
		}
	}
	/* Moving a department or changing its division must not leave a sub-department outside. */
	for (int i = 0; !g->create && i < n; i++)
		if (yw_str_eq(all[i].parent_id, g->d.id) &&
		    !yw_division_within(all[i].division_code, g->d.division_code)) {
			g->detail = yw_sprintf(g->a, "下级部门「%s」的行政区划 %s 将不在 %s 之内",
			                       all[i].name, all[i].division_code, g->d.division_code);
			return YW_E_DIVISION_OUTSIDE_PARENT;
		}
	return YW_E_OK;
}

static yw_err dept_create_write(yw_db *tx, void *arg)
{
	dept_arg *g = arg;
	g->detail = NULL;
	yw_err e = dept_rules(tx, g);
	if (e)
		return e;
	bool taken = false;
	if ((e = yw_idn_adm_dept_insert(tx, &g->d, &taken)))
		return e;
	if (taken) {
		g->detail = yw_sprintf(g->a, "统一社会信用代码 %s 已登记为其他部门", g->d.uscc);
		return YW_E_USCC_TAKEN;
	}
	return yw_audit_add(tx, g->actor, "department.create", "department", g->d.id, NULL, dept_json(&g->d));
}

static yw_err dept_update_write(yw_db *tx, void *arg)
{
	dept_arg *g = arg;
	g->detail = NULL;
	yw_err e = yw_idn_adm_dept_get(tx, g->a, g->d.id, &g->old);
	if (e)
		return e;
	g->d = g->old;
	if (g->set_name)
		g->d.name = g->set_name;
	if (g->set_division)
		g->d.division_code = g->set_division;
	if (g->move)
		g->d.parent_id = g->set_parent;
	if ((e = dept_rules(tx, g)) || (e = yw_idn_adm_dept_update(tx, &g->d)))
		return e;
	return yw_audit_add(tx, g->actor, "department.update", "department", g->d.id, dept_json(&g->old),
	                    dept_json(&g->d));
}

static yw_err department_create(yw_req *r)
{
	json_t *body;
	yw_err e = gate(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *name = yw_req_field(body, "name", fields), *uscc = yw_req_field(body, "uscc", fields),
		   *div = yw_req_field(body, "division_code", fields),
		   *parent_id = opt_field(body, "parent_id", fields);
	if (name && !yw_text_ok(name, 100))
		yw_field_error(fields, "name", "部门名称应为 1 到 100 个字符");
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	const char *code;
	if ((e = yw_idn_division_arg(r, div, &code)))
		return e;
	yw_idn_adm_dept parent;
	if (parent_id && (e = named_dept(r, parent_id, "上级部门", &parent)))
		return e;
	/* The new department will sit under its parent: whoever manages the parent may add it. */
	yw_object obj = { .type = "department", .department_id = parent_id, .division_code = code };
	if ((e = yw_authz(r, YW_ACT_DEPARTMENT_MANAGE, &obj)))
		return e;
	if (yw_uscc_check(uscc))
		return yw_fail(r, YW_E_BAD_USCC, "统一社会信用代码 %s 校验未通过（应为 18 位，含校验码）", uscc);
	dept_arg g = { .a = r->arena, .actor = actor_of(r), .create = true };
	g.d = (yw_idn_adm_dept){ .id = yw_idn_new_id(r, "d"), .parent_id = parent_id, .name = name,
	                         .uscc = uscc, .division_code = code, .created_at = yw_now_ms() };
	if (!g.d.id)
		return YW_E_NO_MEMORY;
	if ((e = yw_store_write(r->app->store, dept_create_write, &g)))
		return yw_fail(r, e, "%s", g.detail ? g.detail : "新建部门失败");
	return yw_reply_json(r, 201, json_pack("{s:o}", "department", dept_json(&g.d)));
}

static yw_err department_update(yw_req *r)
{
	json_t *body;
	yw_err e = gate(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	yw_idn_adm_dept d;
	e = yw_idn_adm_dept_get(yw_store_reader(r->app->store), r->arena, yw_req_param(r, "id"), &d);
	if (e == YW_E_NOT_FOUND)
		return yw_fail(r, e, "部门不存在");
	if (e)
		return yw_fail(r, e, "读取部门失败");
	yw_object obj = { .type = "department", .department_id = d.id,
	                  .division_code = d.division_code };
	if ((e = yw_authz(r, YW_ACT_DEPARTMENT_MANAGE, &obj)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *name = opt_field(body, "name", fields),
		   *div = opt_field(body, "division_code", fields);
	json_t *pv = json_object_get(body, "parent_id");
	if (pv && !json_is_null(pv) && (!json_is_string(pv) || !json_string_value(pv)[0]))
		yw_field_error(fields, "parent_id", "应为部门 id，或 null 表示顶级部门");
	if (name && !yw_text_ok(name, 100))
		yw_field_error(fields, "name", "部门名称应为 1 到 100 个字符");
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	dept_arg g = { .a = r->arena, .actor = actor_of(r), .set_name = name, .move = pv != NULL };
	g.d.id = d.id;
	if (div && (e = yw_idn_division_arg(r, div, &g.set_division)))
		return e;
	if (pv) {
		d.parent_id = g.set_parent = json_is_string(pv) ? json_string_value(pv) : NULL;
		if (d.parent_id) {
			yw_idn_adm_dept parent;
			if ((e = named_dept(r, d.parent_id, "上级部门", &parent)))
				return e;
		}
	}
	if (pv || g.set_division) {
		/* Moving or re-placing needs the right over the new place as well. */
		yw_object to = { .type = "department", .department_id = pv ? d.parent_id : d.id,
		                 .division_code = g.set_division ? g.set_division : d.division_code };
		if ((e = yw_authz(r, YW_ACT_DEPARTMENT_MANAGE, &to)))
			return e;
	}
	if ((e = yw_store_write(r->app->store, dept_update_write, &g)))
		return yw_fail(r, e, "%s", g.detail ? g.detail : "修改部门失败");
	return yw_reply_json(r, 200, json_pack("{s:o}", "department", dept_json(&g.d)));
}

/* ---- staff ------------------------------------------------------------------------------- */

static json_t *role_json(const yw_idn_adm_role *g)
{
	yw_role role;
	bool known = yw_role_from_name(g->role, &role);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I}", "role", g->role, "role_name",
	                 known ? yw_role_zh(role) : g->role, "department_id", g->department_id,
	                 "department_name", g->department_name, "division_code", g->division_code,
	                 "division_name", division_name(g->division_code), "granted_at",
	                 (json_int_t)g->granted_at);
}

/* A member as administrators see them: never a password hash or a TOTP secret. */
static json_t *staff_json(const yw_idn_adm_staff *s, const yw_idn_adm_role *roles, int nroles)
{
	json_t *rs = json_array();
	for (int i = 0; rs && i < nroles; i++)
		if (!strcmp(roles[i].staff_id, s->id))
			json_array_append_new(rs, role_json(&roles[i]));
	return json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:o}, "
	                 "s:b, s:b, s:b, s:I, s:I, s:I, s:o}",
	                 "id", s->id, "username", s->username, "name", s->name, "department_id",
	                 s->department_id, "department", "id", s->department_id, "name",
	                 s->department_name, "division_code", s->division_code, "division_name",
	                 division_name(s->division_code), "disabled", s->disabled, "has_totp",
	                 s->has_totp, "must_change_password", s->must_change_password,
	                 "password_changed_at", (json_int_t)s->password_changed_at, "locked_until",
	                 (json_int_t)s->locked_until, "created_at", (json_int_t)s->created_at, "roles",
	                 rs);
}

static yw_object staff_object(const yw_idn_adm_staff *s)
{
	return (yw_object){ .type = "staff", .department_id = s->department_id,
	                    .division_code = s->division_code };
}

/* Answer a member afresh from the database (after a change). */
static yw_err reply_staff(yw_req *r, int status, const char *id)
{
	yw_db *db = yw_store_reader(r->app->store);
	yw_idn_adm_staff s;
	yw_idn_adm_role *roles;
	int n;
	yw_err e = yw_idn_adm_staff_get(db, r->arena, id, &s);
	if (!e)
		e = yw_idn_adm_roles(db, r->arena, id, &roles, &n);
	if (e)
		return yw_fail(r, e, "读取工作人员失败");
	return yw_reply_json(r, status, json_pack("{s:o}", "staff", staff_json(&s, roles, n)));
}

/* The member of the path, if the caller may see them. Someone out of reach answers the same
 * 404 as someone who does not exist. */
static yw_err load_visible(yw_req *r, yw_idn_adm_staff *s)
{
	yw_err e = gate(r);
	if (e)
		return e;
	if (!may_ever(yw_idn_caller(r), YW_ACT_STAFF_READ))
		return yw_fail(r, YW_E_FORBIDDEN, "当前账号无权%s", yw_action_zh(YW_ACT_STAFF_READ));
	e = yw_idn_adm_staff_get(yw_store_reader(r->app->store), r->arena, yw_req_param(r, "id"), s);
	if (e && e != YW_E_NOT_FOUND)
		return yw_fail(r, e, "读取工作人员失败");
	yw_object obj = staff_object(s);
	if (e == YW_E_NOT_FOUND || !yw_authz_allows(r, YW_ACT_STAFF_READ, &obj))
		return yw_fail(r, YW_E_NOT_FOUND, "工作人员不存在");
	return YW_E_OK;
}

static bool is_self(yw_req *r, const yw_idn_adm_staff *s)
{
	const yw_caller *c = yw_idn_caller(r);
	return c && yw_str_eq(c->kind, "staff") && yw_str_eq(c->id, s->id);
}

/* action over the member, and never on oneself: another administrator must do it (self_detail
 * says so), or one account could raise or free itself. */
static yw_err authz_other(yw_req *r, const yw_idn_adm_staff *s, yw_action action,
                          const char *self_detail)
{
	yw_object obj = staff_object(s);
	yw_err e = yw_authz(r, action, &obj);
	if (e)
		return e;
	if (is_self(r, s))
		return yw_fail(r, YW_E_SELF_ADMINISTRATION, "%s", self_detail);
	return YW_E_OK;
}

/* Whether the caller could grant every role the member holds: nobody changes the account or the
 * roles of someone above them (a department admin over the root department must not reset the
 * system admin's password and TOTP, nor take away their lesser roles). */
static yw_err not_above_caller(yw_req *r, const yw_idn_adm_staff *s, const char *what)
{
	yw_idn_adm_role *roles;
	int n;
	yw_err e = yw_idn_adm_roles(yw_store_reader(r->app->store), r->arena, s->id, &roles, &n);
	if (e)
		return yw_fail(r, e, "读取角色失败");
	for (int i = 0; i < n; i++) {
		yw_role role = YW_ROLE__COUNT;
		yw_role_from_name(roles[i].role, &role);
		yw_object ro = { .type = "staff_role", .department_id = roles[i].department_id,
		                 .division_code = roles[i].division_code };
		if (!yw_authz_allows(r, yw_idn_grant_action(role), &ro))
			return yw_fail(r, YW_E_FORBIDDEN, "该工作人员拥有您无权授予的角色（%s，%s），不能由您%s",
			               role < YW_ROLE__COUNT ? yw_role_zh(role) : roles[i].role,
			               roles[i].department_name, what);
	}
	return YW_E_OK;
}

/* STAFF_MANAGE over the member, not on oneself, and not above oneself. */
static yw_err may_manage(yw_req *r, const yw_idn_adm_staff *s)
{
	yw_err e = authz_other(r, s, YW_ACT_STAFF_MANAGE,
	                       "不能停用、启用或重置自己的账号，请由其他管理员操作");
	return e ? e : not_above_caller(r, s, "停用、启用或重置");
}

static yw_err staff_list(yw_req *r)
{
	yw_err e = gate(r);
	if (e)
		return e;
	if (!may_ever(yw_idn_caller(r), YW_ACT_STAFF_READ))
		return yw_fail(r, YW_E_FORBIDDEN, "当前账号无权%s", yw_action_zh(YW_ACT_STAFF_READ));
	yw_db *db = yw_store_reader(r->app->store);
	dept_table t;
	if ((e = yw_idn_adm_dept_list(db, r->arena, &t.d, &t.n)))
		return yw_fail(r, e, "读取部门失败");
	const char *under = yw_req_query(r, "department_id");
	if (under && under[0]) {
		bool found = false;
		for (int i = 0; i < t.n; i++)
			found |= !strcmp(t.d[i].id, under);
		if (!found)
			return yw_fail(r, YW_E_UNKNOWN_DEPARTMENT, "部门 %s 不存在", under);
	}
	yw_idn_adm_staff *s;
	yw_idn_adm_role *roles;
	int n, nroles;
	if ((e = yw_idn_adm_staff_list(db, r->arena, &s, &n)) ||
	    (e = yw_idn_adm_roles(db, r->arena, NULL, &roles, &nroles)))
		return yw_fail(r, e, "读取工作人员失败");
	json_t *arr = json_array();
	for (int i = 0; arr && i < n; i++) {
		if (under && under[0] && !table_within(&t, s[i].department_id, under))
			continue;
		yw_object obj = staff_object(&s[i]);
		if (!yw_authz_allows(r, YW_ACT_STAFF_READ, &obj))   /* each member, not the route */
			continue;
		json_array_append_new(arr, staff_json(&s[i], roles, nroles));
	}
	yw_reply_header(r, "Cache-Control", "no-store");
	return yw_reply_json(r, 200, json_pack("{s:o}", "staff", arr));
}

static yw_err staff_get(yw_req *r)
{
	yw_idn_adm_staff s;
	yw_err e = load_visible(r, &s);
	if (e)
		return e;
	yw_reply_header(r, "Cache-Control", "no-store");
	return reply_staff(r, 200, s.id);
}

typedef struct {
	yw_arena *a;
	const char *actor;
	yw_idn_adm_staff s;
	const char *pwhash;
	bool disable;
	/* results */
	const char *detail;
} staff_arg;

static json_t *staff_audit_json(const yw_idn_adm_staff *s)
{
	return json_pack("{s:s, s:s, s:s}", "username", s->username, "name", s->name, "department_id",
	                 s->department_id);
}

static yw_err staff_create_write(yw_db *tx, void *arg)
{
	staff_arg *g = arg;
	g->detail = NULL;
	yw_idn_adm_dept d;
	yw_err e = yw_idn_adm_dept_get(tx, g->a, g->s.department_id, &d);
	if (e == YW_E_NOT_FOUND) {
		g->detail = yw_sprintf(g->a, "部门 %s 不存在", g->s.department_id);
		return YW_E_UNKNOWN_DEPARTMENT;
	}
	bool taken = false;
	if (e || (e = yw_idn_adm_staff_insert(tx, &g->s, g->pwhash, &taken)))
		return e;
	if (taken) {
		g->detail = yw_sprintf(g->a, "用户名 %s 已被使用", g->s.username);
		return YW_E_USERNAME_TAKEN;
	}
	json_t *nv = staff_audit_json(&g->s);
	if (nv)
		json_object_set_new(nv, "must_change_password", json_true());
	return yw_audit_add(tx, g->actor, "staff.create", "staff", g->s.id, NULL, nv);
}

static yw_err staff_create(yw_req *r)
{
	json_t *body;
	yw_err e = gate(r);
	if (e || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *username = yw_req_field(body, "username", fields),
		   *name = yw_req_field(body, "name", fields),
		   *dept_id = yw_req_field(body, "department_id", fields),
		   *pw = yw_req_field(body, "password", fields);
	if (name && !yw_text_ok(name, 50))
		yw_field_error(fields, "name", "姓名应为 1 到 50 个字符");
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	yw_idn_adm_dept d;
	if ((e = named_dept(r, dept_id, "部门", &d)))
		return e;
	yw_object obj = { .type = "staff", .department_id = d.id, .division_code = d.division_code };
	if ((e = yw_authz(r, YW_ACT_STAFF_MANAGE, &obj)))
		return e;
	if (!yw_staff_username_ok(username))
		return yw_fail(r, YW_E_BAD_USERNAME, "用户名 %s 不符合要求：3 到 32 位英文字母、数字或 . _ -",
		               username);
	yw_staff_pw_verdict pv = yw_staff_pw_check(pw, username);   /* R-ID-010 */
	if (pv != YW_SPW_OK)
		return yw_fail(r, YW_E_WEAK_PASSWORD, "%s", yw_staff_pw_verdict_text(pv));
	char pwhash[128];
	if (yw_pw_hash(pw, pwhash))
		return yw_fail(r, YW_E_NO_MEMORY, "无法计算密码散列");
	staff_arg g = { .a = r->arena, .actor = actor_of(r), .pwhash = pwhash };
	g.s = (yw_idn_adm_staff){ .id = yw_idn_new_id(r, "s"), .username = username, .name = name,
	                          .department_id = d.id, .created_at = yw_now_ms() };
	if (!g.s.id)
		return YW_E_NO_MEMORY;
	if ((e = yw_store_write(r->app->store, staff_create_write, &g)))
		return yw_fail(r, e, "%s", g.detail ? g.detail : "新建工作人员失败");
	return reply_staff(r, 201, g.s.id);
}

static yw_err staff_disable_write(yw_db *tx, void *arg)
{
	staff_arg *g = arg;
	yw_err e = yw_idn_adm_staff_set_disabled(tx, g->s.id, g->disable);
	/* A disabled member's sessions already count for nothing (the hook refuses them); ending
	 * them also means enabling again does not revive an old cookie. */
	if (!e && g->disable)
		e = yw_idn_staff_sign_out(tx, g->s.id);
	if (e)
		return e;
	return yw_audit_add(tx, g->actor, g->disable ? "staff.disable" : "staff.enable", "staff", g->s.id,
	                    json_pack("{s:b}", "disabled", g->s.disabled),
	                    json_pack("{s:b}", "disabled", g->disable));
}

static yw_err set_disabled(yw_req *r, bool disable)
{
	yw_idn_adm_staff s;
	yw_err e = load_visible(r, &s);
	if (e || (e = may_manage(r, &s)))
		return e;
	staff_arg g = { .a = r->arena, .actor = actor_of(r), .s = s, .disable = disable };
	if ((e = yw_store_write(r->app->store, staff_disable_write, &g)))
		return yw_fail(r, e, disable ? "停用失败" : "启用失败");
	return reply_staff(r, 200, s.id);
}

static yw_err staff_disable(yw_req *r) { return set_disabled(r, true); }
static yw_err staff_enable(yw_req *r) { return set_disabled(r, false); }

static yw_err staff_reset_write(yw_db *tx, void *arg)
{
	staff_arg *g = arg;
	yw_err e = yw_idn_adm_staff_reset(tx, g->s.id, g->pwhash, yw_now_ms());
	if (!e)
		e = yw_idn_staff_sign_out(tx, g->s.id);
	if (e)
		return e;
	return yw_audit_add(tx, g->actor, "staff.reset", "staff", g->s.id, NULL,
	                    json_pack("{s:b, s:b, s:b}", "must_change_password", 1, "totp_cleared", 1,
	                              "sessions_ended", 1));
}

static yw_err staff_reset(yw_req *r)
{
	yw_idn_adm_staff s;
	json_t *body;
	yw_err e = load_visible(r, &s);
	if (e || (e = may_manage(r, &s)) || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *pw = yw_req_field(body, "password", fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	yw_staff_pw_verdict pv = yw_staff_pw_check(pw, s.username);
	if (pv != YW_SPW_OK)
		return yw_fail(r, YW_E_WEAK_PASSWORD, "%s", yw_staff_pw_verdict_text(pv));
	char pwhash[128];
	if (yw_pw_hash(pw, pwhash))
		return yw_fail(r, YW_E_NO_MEMORY, "无法计算密码散列");
	staff_arg g = { .a = r->arena, .actor = actor_of(r), .s = s, .pwhash = pwhash };
	if ((e = yw_store_write(r->app->store, staff_reset_write, &g)))
		return yw_fail(r, e, "重置失败");
	return reply_staff(r, 200, s.id);
}

/* ---- roles ------------------------------------------------------------------------------- */

typedef struct {
	yw_arena *a;
	const char *actor;
	yw_idn_adm_role g;
	/* results */
	const char *detail;
} role_arg;

static yw_err role_grant_write(yw_db *tx, void *arg)
{
	role_arg *g = arg;
	g->detail = NULL;
	bool existed = false;
	yw_err e = yw_idn_adm_role_insert(tx, &g->g, &existed);
	if (e)
		return e;
	if (existed) {
		g->detail = yw_sprintf(g->a, "该工作人员在「%s」已有此角色", g->g.department_name);
		return YW_E_ROLE_ALREADY_GRANTED;
	}
	return yw_audit_add(tx, g->actor, "staff_role.grant", "staff", g->g.staff_id, NULL,
	                    json_pack("{s:s, s:s, s:s}", "role", g->g.role, "department_id", g->g.department_id,
	                              "division_code", g->g.division_code));
}

static yw_err role_revoke_write(yw_db *tx, void *arg)
{
	role_arg *g = arg;
	g->detail = NULL;
	bool found = false;
	yw_err e = yw_idn_adm_role_delete(tx, g->g.staff_id, g->g.role, g->g.department_id, &found);
	if (e)
		return e;
	if (!found) {
		g->detail = "该工作人员没有此角色";
		return YW_E_NOT_FOUND;
	}
	return yw_audit_add(tx, g->actor, "staff_role.revoke", "staff", g->g.staff_id,
	                    json_pack("{s:s, s:s, s:s}", "role", g->g.role, "department_id", g->g.department_id,
	                              "division_code", g->g.division_code),
	                    json_object());
}

/* ROLE_GRANT over the member, not on oneself, and not above oneself. */
static yw_err may_change_roles(yw_req *r, const yw_idn_adm_staff *s)
{
	yw_err e = authz_other(r, s, YW_ACT_ROLE_GRANT, "不能授予或撤销自己的角色，请由其他管理员操作");
	return e ? e : not_above_caller(r, s, "变更角色");
}

/* The action the role needs over where it is granted (roles.def YW_GRANT_NEEDS). */
static yw_err may_grant_there(yw_req *r, yw_role role, const char *dept, const char *division)
{
	yw_object obj = { .type = "staff_role", .department_id = dept, .division_code = division };
	yw_action need = yw_idn_grant_action(role);
	if (yw_authz_allows(r, need, &obj))
		return YW_E_OK;
	if (need != YW_ACT_ROLE_GRANT)
		return yw_fail(r, YW_E_FORBIDDEN, "「%s」角色只能由系统管理员授予或撤销",
		               role < YW_ROLE__COUNT ? yw_role_zh(role) : "该");
	return yw_authz(r, need, &obj);
}

static yw_err role_grant(yw_req *r)
{
	yw_idn_adm_staff s;
	json_t *body;
	yw_err e = load_visible(r, &s);
	if (e || (e = may_change_roles(r, &s)) || (e = yw_req_json(r, &body)))
		return e;
	json_t *fields = yw_arena_json(r->arena, json_array());
	const char *rname = yw_req_field(body, "role", fields),
		   *dept_id = yw_req_field(body, "department_id", fields),
		   *div = opt_field(body, "division_code", fields);
	if (json_array_size(fields))
		return yw_fail_fields(r, fields);
	yw_role role;
	if (!yw_role_from_name(rname, &role) || role == YW_ROLE_APPLICANT)
		return yw_fail(r, YW_E_UNKNOWN_ROLE, "没有名为 %s 的工作人员角色", rname);
	yw_idn_adm_dept d;
	if ((e = named_dept(r, dept_id, "部门", &d)))
		return e;
	const char *code = d.division_code;
	if (div && (e = yw_idn_division_arg(r, div, &code)))
		return e;
	if (!yw_division_within(code, d.division_code))
		return yw_fail(r, YW_E_ROLE_OUTSIDE_DEPARTMENT, "行政区划 %s 不在部门「%s」的行政区划 %s 之内",
		               code, d.name, d.division_code);
	if ((e = may_grant_there(r, role, d.id, code)))
		return e;
	role_arg g = { .a = r->arena, .actor = actor_of(r) };
	g.g = (yw_idn_adm_role){ .staff_id = s.id, .role = yw_role_name(role), .department_id = d.id,
	                         .department_name = d.name, .division_code = code,
	                         .granted_at = yw_now_ms() };
	if ((e = yw_store_write(r->app->store, role_grant_write, &g)))
		return yw_fail(r, e, "%s", g.detail ? g.detail : "授予角色失败");
	return reply_staff(r, 201, s.id);
}

static yw_err role_revoke(yw_req *r)
{
	yw_idn_adm_staff s;
	yw_err e = load_visible(r, &s);
	if (e || (e = may_change_roles(r, &s)))
		return e;
	const char *rname = yw_req_param(r, "role"), *dept_id = yw_req_param(r, "department_id");
	yw_idn_adm_role *roles;
	int n;
	if ((e = yw_idn_adm_roles(yw_store_reader(r->app->store), r->arena, s.id, &roles, &n)))
		return yw_fail(r, e, "读取角色失败");
	const yw_idn_adm_role *row = NULL;
	for (int i = 0; i < n; i++)
		if (!strcmp(roles[i].role, rname) && !strcmp(roles[i].department_id, dept_id))
			row = &roles[i];
	if (!row)
		return yw_fail(r, YW_E_NOT_FOUND, "该工作人员在该部门没有 %s 角色", rname);
	yw_role role = YW_ROLE__COUNT;
	yw_role_from_name(row->role, &role);
	if ((e = may_grant_there(r, role, row->department_id, row->division_code)))
		return e;
	role_arg g = { .a = r->arena, .actor = actor_of(r), .g = *row };
	if ((e = yw_store_write(r->app->store, role_revoke_write, &g)))
		return yw_fail(r, e, "%s", g.detail ? g.detail : "撤销角色失败");
	return yw_reply_raw(r, 204, NULL, "", 0);
}

/* The roles of roles.def for the admin pages, so that no page keeps a copy of the table. Public:
 * it is the same as docs/identity.md says. The applicant role is no staff role. */
static yw_err roles_list(yw_req *r)
{
	json_t *list = json_array();
	for (int i = 0; list && i < YW_ROLE__COUNT; i++) {
		yw_role role = (yw_role)i;
		if (role == YW_ROLE_APPLICANT)
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b}", "role", yw_role_name(role),
		                                      "name", yw_role_zh(role), "scope",
		                                      yw_scope_name(yw_role_scope(role)), "privileged",
		                                      yw_idn_grant_action(role) != YW_ACT_ROLE_GRANT));
	}
	json_t *body = list ? json_pack("{s:o}", "roles", list) : NULL;
	if (!body)
		return yw_fail(r, YW_E_NO_MEMORY, "内存不足");
	return yw_reply_json(r, 200, body);
}

void yw_idn_admin_routes(yw_router *rt)
{
	yw_route(rt, "GET", "/api/v1/roles", roles_list);
	yw_route(rt, "GET", "/api/v1/departments", departments_list);
	yw_route(rt, "POST", "/api/v1/departments", department_create);
	yw_route(rt, "GET", "/api/v1/departments/{id}", department_get);
	yw_route(rt, "PATCH", "/api/v1/departments/{id}", department_update);
	yw_route(rt, "GET", "/api/v1/staff", staff_list);
	yw_route(rt, "POST", "/api/v1/staff", staff_create);
	yw_route(rt, "GET", "/api/v1/staff/{id}", staff_get);
	yw_route(rt, "POST", "/api/v1/staff/{id}/roles", role_grant);
	yw_route(rt, "DELETE", "/api/v1/staff/{id}/roles/{role}/{department_id}", role_revoke);
	yw_route(rt, "POST", "/api/v1/staff/{id}/disable", staff_disable);
	yw_route(rt, "POST", "/api/v1/staff/{id}/enable", staff_enable);
	yw_route(rt, "POST", "/api/v1/staff/{id}/reset", staff_reset);
}
