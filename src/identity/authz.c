/*
 * Authorization (R-ID-009): the table of roles.def turned into lookups, the pure decision, and
 * the request-level yw_authz that answers the decision's questions from the database.
 *
 * Why a pure core: the decision is where an IDOR or a privilege escalation would hide, so the
 * unit tests drive yw_authz_decide with every kind of caller against every kind of object,
 * with the department tree and the agent authorizations given as plain tables.
 */
#include <string.h>

#include "identity/internal.h"
#include "ref/ref.h"

static const struct {
	const char *name, *zh;
} actions[] = {
#define YW_ACTION(id, name, zh) [YW_ACT_##id] = { name, zh },
#include "identity/roles.def"
#undef YW_ACTION
};

static const struct {
	const char *name, *zh;
	yw_scope scope;
} roles[] = {
#define YW_ROLE(id, name, zh, scope) [YW_ROLE_##id] = { name, zh, YW_SCOPE_##scope },
#include "identity/roles.def"
#undef YW_ROLE
};

static const struct {
	yw_role role;
	yw_action action;
} grants[] = {
#define YW_GRANT(role, action) { YW_ROLE_##role, YW_ACT_##action },
#include "identity/roles.def"
#undef YW_GRANT
};

const char *yw_action_name(yw_action a) { return a < YW_ACT__COUNT ? actions[a].name : "?"; }
const char *yw_action_zh(yw_action a) { return a < YW_ACT__COUNT ? actions[a].zh : "?"; }
const char *yw_role_name(yw_role r) { return r < YW_ROLE__COUNT ? roles[r].name : "?"; }
const char *yw_role_zh(yw_role r) { return r < YW_ROLE__COUNT ? roles[r].zh : "?"; }
yw_scope yw_role_scope(yw_role r) { return r < YW_ROLE__COUNT ? roles[r].scope : YW_SCOPE_OWN; }

const char *yw_scope_name(yw_scope s)
{
	static const char *const names[] = { "own", "dept", "division", "platform" };
	return s <= YW_SCOPE_PLATFORM ? names[s] : "?";
}

bool yw_role_from_name(const char *name, yw_role *out)
{
	for (int i = 0; name && i < YW_ROLE__COUNT; i++)
		if (!strcmp(roles[i].name, name)) {
			*out = (yw_role)i;
			return true;
		}
	return false;
}

bool yw_role_grants(yw_role r, yw_action a)
{
	for (size_t i = 0; i < sizeof grants / sizeof grants[0]; i++)
		if (grants[i].role == r && grants[i].action == a)
			return true;
	return false;
}

static const yw_action delegable[] = {
#define YW_DELEGABLE(action) YW_ACT_##action,
#include "identity/roles.def"
#undef YW_DELEGABLE
	YW_ACT__COUNT   /* keeps the array non-empty while nothing is delegable */
};

bool yw_action_delegable(yw_action a)
{
	for (size_t i = 0; i < sizeof delegable / sizeof delegable[0]; i++)
		if (delegable[i] == a && a != YW_ACT__COUNT)
			return true;
	return false;
}

static const yw_action client_grantable[] = {
#define YW_CLIENT_GRANTABLE(action) YW_ACT_##action,
#include "identity/roles.def"
#undef YW_CLIENT_GRANTABLE
	YW_ACT__COUNT
};

bool yw_action_client_grantable(yw_action a)
{
	for (size_t i = 0; i < sizeof client_grantable / sizeof client_grantable[0]; i++)
		if (client_grantable[i] == a && a != YW_ACT__COUNT)
			return true;
	return false;
}

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* An applicant reaches their own objects and, for delegable actions, those of whoever made them
 * agent or handler. */
static bool person_may(const yw_caller *c, yw_action action, const yw_object *obj,
                       const yw_authz_env *env)
{
	if (!yw_role_grants(YW_ROLE_APPLICANT, action) || !obj->owner_kind || !obj->owner_id)
		return false;
	if (!strcmp(obj->owner_kind, "person") && same(obj->owner_id, c->id))
		return true;
	return yw_action_delegable(action) && env && env->acts_for &&
	       env->acts_for(env->ctx, c->id, obj->owner_kind, obj->owner_id, obj->item_code);
}

/* One assignment reaches the object when its scope covers it. An object with no department
 * or division is reached only by a PLATFORM role: no scope is the widest. */
static bool assignment_reaches(const yw_role_grant *g, const yw_object *obj,
                               const yw_authz_env *env)
{
	switch (yw_role_scope(g->role)) {
	case YW_SCOPE_PLATFORM:
		return true;
	case YW_SCOPE_DIVISION:
		return obj->division_code && yw_division_within(obj->division_code, g->division_code);
	case YW_SCOPE_DEPT:
		if (!obj->department_id || !env || !env->dept_within ||
		    !env->dept_within(env->ctx, obj->department_id, g->department_id))
			return false;
		return !obj->division_code || yw_division_within(obj->division_code, g->division_code);
	case YW_SCOPE_OWN:
		break;
	}
	return false;
}

static bool staff_may(const yw_caller *c, yw_action action, const yw_object *obj,
                      const yw_authz_env *env)
{
	if (c->password_change_required)
		return false;
	for (int i = 0; i < c->nroles && i < YW_MAX_ROLES; i++)
		if (yw_role_grants(c->roles[i].role, action) && assignment_reaches(&c->roles[i], obj, env))
			return true;
	return false;
}

/* A department system's token carries scopes named after actions; it acts platform-wide
 * within what its registration allows, and never beyond YW_CLIENT_GRANTABLE, whatever a token
 * or a registration row says. */
static bool client_may(const yw_caller *c, yw_action action)
{
	if (!yw_action_client_grantable(action))
		return false;
	for (int i = 0; i < c->nscopes; i++)
		if (same(c->scopes[i], yw_action_name(action)))
			return true;
	return false;
}

bool yw_authz_decide(const yw_caller *c, yw_action action, const yw_object *obj,
                     const yw_authz_env *env)
{
	static const yw_object none = { 0 };
	if (!c || !c->kind || !c->id || action >= YW_ACT__COUNT)
		return false;
	if (!obj)
		obj = &none;
	if (!strcmp(c->kind, "person"))
		return person_may(c, action, obj, env);
	if (!strcmp(c->kind, "staff"))
		return staff_may(c, action, obj, env);
	if (!strcmp(c->kind, "client"))
		return client_may(c, action);
	return false;
}

/* ---- the request-level decision ---------------------------------------------------------- */

typedef struct {
	yw_req *r;
	yw_db *db;
} env_ctx;

static bool db_dept_within(void *ctx, const char *dept, const char *ancestor)
{
	env_ctx *e = ctx;
	bool yes = false;
	return yw_idn_dept_within(e->db, e->r->arena, dept, ancestor, &yes) == YW_E_OK && yes;
}

static bool db_acts_for(void *ctx, const char *person, const char *owner_kind, const char *owner_id,
                        const char *item_code)
{
	env_ctx *e = ctx;
	bool yes = false;
	return yw_idn_acts_for(e->db, e->r->arena, person, owner_kind, owner_id, item_code,
	                       yw_now_ms(), &yes) == YW_E_OK && yes;
}

static bool decide_for(yw_req *r, const yw_caller *c, yw_action action, const yw_object *obj)
{
	if (!c || !r->app->store)
		return false;
	env_ctx ctx = { r, yw_store_reader(r->app->store) };
	yw_authz_env env = { db_dept_within, db_acts_for, &ctx };
	return yw_authz_decide(c, action, obj, &env);
}

bool yw_authz_allows(yw_req *r, yw_action action, const yw_object *obj)
{
	return decide_for(r, r->principal.ext, action, obj);
}

bool yw_authz_allows_as(yw_req *r, yw_role role, yw_action action, const yw_object *obj)
{
	const yw_caller *c = r->principal.ext;
	if (!c || !c->kind || strcmp(c->kind, "staff"))
		return false;
	yw_caller only = *c;
	only.nroles = 0;
	for (int i = 0; i < c->nroles; i++)
		if (c->roles[i].role == role)
			only.roles[only.nroles++] = c->roles[i];
	return only.nroles && decide_for(r, &only, action, obj);
}

yw_err yw_authz(yw_req *r, yw_action action, const yw_object *obj)
{
	const yw_caller *c = r->principal.ext;
	if (!c || !c->kind)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	if (!strcmp(c->kind, "staff") && c->password_change_required)
		return yw_fail(r, YW_E_PASSWORD_CHANGE_REQUIRED, "密码为初始密码、已被重置或已超过有效期，须先修改密码");
	if (!yw_authz_allows(r, action, obj))
		return yw_fail(r, YW_E_FORBIDDEN, "当前账号无权%s", yw_action_zh(action));
	return YW_E_OK;
}

/* ---- the same decision as a filter over a list ------------------------------------------- */

static const char *division_prefix(yw_arena *a, const char *code)
{
	return yw_strndup(a, code ? code : "", code ? yw_division_prefix_len(code) : 0);
}

yw_err yw_authz_reach(yw_req *r, yw_action action, yw_reach *out)
{
	const yw_caller *c = r->principal.ext;
	*out = (yw_reach){ 0 };
	if (!c || !c->kind)
		return yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
	if (!strcmp(c->kind, "client")) {
		out->platform = client_may(c, action);
		return YW_E_OK;
	}
	if (strcmp(c->kind, "staff"))
		return YW_E_OK;
	if (c->password_change_required)
		return yw_fail(r, YW_E_PASSWORD_CHANGE_REQUIRED, "密码为初始密码、已被重置或已超过有效期，须先修改密码");
	yw_db *db = yw_store_reader(r->app->store);
	for (int i = 0; i < c->nroles && i < YW_MAX_ROLES; i++) {
		const yw_role_grant *g = &c->roles[i];
		if (!yw_role_grants(g->role, action))
			continue;
		yw_scope scope = yw_role_scope(g->role);
		if (scope == YW_SCOPE_PLATFORM) {
			out->platform = true;
			continue;
		}
		yw_reach_part *p = &out->parts[out->nparts];
		*p = (yw_reach_part){ .role = g->role, .division_code = g->division_code,
		                      .division_prefix = division_prefix(r->arena, g->division_code) };
		if (!p->division_prefix)
			return yw_fail(r, YW_E_NO_MEMORY, NULL);
		if (scope == YW_SCOPE_DEPT) {
			yw_err e = yw_idn_dept_subtree(db, r->arena, g->department_id, &p->dept_ids, &p->ndepts);
			if (e)
				return yw_fail(r, e, "读取部门失败");
		}
		out->nparts++;
	}
	return YW_E_OK;
}
