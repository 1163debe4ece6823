/* GET /healthz: is this instance able to serve? It reads from the database through the worker's
 * own connection, so a load balancer takes an instance out when its database is gone. */
#include "http.h"
#include "../store/store.h"

static yw_err health(yw_req *r)
{
	const char *db = "none";
	if (r->app->store) {
		yw_rows *rows = NULL;
		yw_db *conn = yw_store_reader(r->app->store);
		if (!conn || yw_db_query(conn, r->arena, &rows, "SELECT 1", YW_NOPARAMS))
			return yw_fail(r, YW_E_DB_UNREACHABLE, "数据库查询失败");
		db = yw_store_backend(r->app->store);
	}
	return yw_reply_json(r, 200, json_pack("{s:s, s:s, s:s}", "status", "ok", "version", YW_VERSION,
	                                       "db", db));
}

void yw_health_routes(yw_router *rt)
{
	yw_route(rt, "GET", "/healthz", health);
}
