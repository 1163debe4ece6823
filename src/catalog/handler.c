/*
 * The first steps every catalog handler shares (internal.h): a store to read, a caller, who may
 * edit, and how an item is named to yw_authz and to the audit log.
 */
#include "catalog/internal.h"
#include "identity/identity.h"

yw_err yw_cat_need_store(yw_req *r)
{
	return r->app->store ? YW_E_OK : yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
}

yw_err yw_cat_gate(yw_req *r)
{
	yw_err e = yw_cat_need_store(r);
	if (e)
		return e;
	return r->principal.kind ? YW_E_OK : yw_fail(r, YW_E_UNAUTHENTICATED, "请先登录");
}

yw_err yw_cat_editor_gate(yw_req *r)
{
	yw_err e = yw_cat_gate(r);
	if (e)
		return e;
	const yw_caller *c = r->principal.ext;
	for (int i = 0; c && i < c->nroles; i++)
		if (yw_role_grants(c->roles[i].role, YW_ACT_CATALOG_MANAGE))
			return YW_E_OK;
	return yw_fail(r, YW_E_FORBIDDEN, "没有管理事项的权限");
}

const char *yw_cat_actor(yw_req *r)
{
	return yw_sprintf(r->arena, "%s:%s", r->principal.kind, r->principal.id);
}

yw_object yw_cat_item_object(const char *code, const char *department_id, const char *division_code)
{
	return (yw_object){ .type = "item", .item_code = code, .department_id = department_id,
	                    .division_code = division_code };
}
