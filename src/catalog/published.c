/*
 * What the cases module may know of an item it files an application against (catalog.h,
 * yw_catalog_published): a published version with its form, process, materials and limits.
 *
 * Why a version and not "the current item": a case is judged by the guide it was filed under.
 * When the item is republished while the case runs, its form, materials and limits stay those
 * of its own version, so the case records the version number and asks for that one later.
 * A draft never filed anything, so only a version that was published is given out.
 */
#include "catalog/internal.h"

static long long limit_or_none(long long v)
{
	return v == YW_CAT_NONE ? -1 : v;
}

yw_err yw_catalog_published(yw_store *st, yw_arena *a, const char *code, long long version,
                            yw_cat_published *out)
{
	yw_db *db = yw_store_reader(st);
	yw_cat_item it;
	yw_cat_version v;
	if (!db)
		return YW_E_DB_UNREACHABLE;
	yw_err e = yw_cat_item_load(db, a, code, &it);
	if (e)
		return e;
	if (version == 0)
		version = it.current;
	if (version <= 0)
		return YW_E_ITEM_NOT_APPLICABLE;
	if ((e = yw_cat_version_load(db, a, code, version, &v)))
		return e == YW_E_NOT_FOUND ? YW_E_ITEM_NOT_APPLICABLE : e;
	if (!v.published_at)
		return YW_E_ITEM_NOT_APPLICABLE;
	/* The materials as the guide shows them, so that a case's slots read like the guide. */
	json_t *full = yw_arena_json(a, yw_cat_item_json(st, a, &it, &v));
	json_t *dept = full ? json_object_get(full, "department") : NULL;
	if (!full)
		return YW_E_NO_MEMORY;
	*out = (yw_cat_published){
		.code = it.code, .name = v.g.name, .department_id = it.department_id,
		.department_name = json_string_value(json_object_get(dept, "name")),
		.division_code = it.division_code, .version = v.version,
		.statutory = limit_or_none(v.g.statutory), .promised = limit_or_none(v.g.promised),
		.project_type = v.g.project_type, .online_depth = v.g.online_depth, .form = v.g.form,
		.process = v.g.process, .materials = json_object_get(full, "materials"), .guide = v.g.guide
	};
	return YW_E_OK;
}
