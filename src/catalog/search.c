/*
 * GET /api/v1/items: the public list of published items, with its filters (search.c owns the
 * search; see docs/catalog.md "Search"). For now a plain substring match on the name; the
 * Chinese search replaces it.
 */
#include <string.h>

#include "catalog/internal.h"
#include "identity/identity.h"
#include "ref/ref.h"

static yw_err items_query(yw_db *db, yw_arena *a, const char *cursor, const char *dept,
                          const char *like, const char *prefix, const char *const up[3],
                          long long limit, yw_rows **rows)
{
	const char *sql = yw_sprintf(
		a,
		"SELECT %s, %s FROM catalog_items i "
		"JOIN catalog_item_versions v ON v.item_code = i.code AND v.version = i.current_version "
		"WHERE i.code > $1 AND ($2 = '' OR i.department_id = $2) "
		"AND ($3 = '' OR v.name LIKE $3 ESCAPE '\\') "
		"AND ($4 = '' OR i.division_code LIKE $4 OR i.division_code IN ($5, $6, $7)) "
		"ORDER BY i.code LIMIT $8",
		YW_CAT_ITEM_COLS, YW_CAT_VERSION_COLS);
	if (!sql)
		return YW_E_NO_MEMORY;
	return yw_db_query(db, a, rows, sql,
	                   YW_PARAMS(YW_VTEXT(cursor), YW_VTEXT(dept), YW_VTEXT(like), YW_VTEXT(prefix),
	                             YW_VTEXT(up[0]), YW_VTEXT(up[1]), YW_VTEXT(up[2]), YW_VINT(limit)));
}

static yw_err items_list(yw_req *r)
{
	if (!r->app->store)
		return yw_fail(r, YW_E_UNAVAILABLE, "未配置数据库");
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
		yw_err e = yw_division_find(div, &d);
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
	yw_err e = items_query(yw_store_reader(r->app->store), r->arena, cursor ? cursor : "",
	                       dept ? dept : "", like, prefix, up, limit + 1, &rows);
	if (e)
		return yw_fail(r, e, "读取事项失败");
	int n = yw_rows_count(rows);
	json_t *arr = json_array();
	for (int i = 0; arr && i < n && i < limit; i++) {
		yw_cat_item it;
		yw_cat_version v;
		yw_cat_item_row(rows, i, &it);
		yw_cat_version_row(r->arena, rows, i, YW_CAT_ITEM_NCOLS, &v);
		json_array_append_new(arr, yw_cat_item_brief_json(r->app->store, r->arena, &it, &v));
	}
	json_t *next = n > limit ? json_string(yw_rows_text(rows, (int)limit - 1, 0)) : json_null();
	return yw_reply_json(r, 200, json_pack("{s:o, s:o}", "items", arr, "next_cursor", next));
}

yw_err yw_cat_search_index(yw_db *tx, yw_arena *a, const yw_cat_item *it, const yw_cat_version *v)
{
	return YW_E_OK;   /* no index yet: the list scans the names */
}

void yw_cat_search_routes(yw_router *rt)
{
	yw_route(rt, "GET", "/api/v1/items", items_list);
}
