/*
 * The sandbox SMS channel and its inbox:
 *   GET /api/v1/sandbox/sms    the 50 newest messages, newest first (only with --sandbox)
 */
#include <string.h>

#include "http/http.h"
#include "notify/notify.h"

/* How long the sandbox inbox keeps a message: long enough to read a 5-minute code, short enough
 * that the table never becomes a store of live codes. */
#define INBOX_KEEP_MS ((yw_ms)10 * 60 * 1000)

yw_err yw_notify_sms(yw_db *tx, yw_keys *k, bool sandbox, const char *mobile11, const char *text)
{
	if (!sandbox) {
		/* No real channel yet. The codes in the text must not land in a table or a log, and
		 * the number is personal data: say only that something was dropped. */
		yw_log(YW_LOG_WARN, "no SMS channel: message dropped");
		return YW_E_OK;
	}
	char masked[12], hash[65];
	yw_arena *a = yw_arena_new(512);
	if (!a)
		return YW_E_NO_MEMORY;
	yw_err e = YW_E_NO_MEMORY;
	char *id = yw_random_token(a, 12);
	if (!id)
		goto out;
	yw_ms now = yw_now_ms();
	e = yw_db_exec(tx, "DELETE FROM sandbox_sms WHERE created_at < $1",
	               YW_PARAMS(YW_VINT(now - INBOX_KEEP_MS)), NULL);
	if (e)
		goto out;
	yw_mask_mobile(mobile11, masked);
	yw_lookup_hash(k, "mobile", mobile11, hash);
	e = yw_db_exec(tx, "INSERT INTO sandbox_sms (id, to_masked, mobile_hash, body, created_at) "
	                   "VALUES ($1, $2, $3, $4, $5)",
	               YW_PARAMS(YW_VTEXT(yw_sprintf(a, "sms_%s", id)), YW_VTEXT(masked), YW_VTEXT(hash),
	                         YW_VTEXT(text), YW_VINT(now)),
	               NULL);
out:
	yw_arena_free(a);
	return e;
}

static yw_err inbox(yw_req *r)
{
	if (!r->app->config->sandbox || !r->app->store)
		return yw_fail(r, YW_E_NOT_FOUND, "沙箱短信收件箱仅在以 --sandbox 运行时可用");
	yw_rows *rows = NULL;
	yw_err e = yw_db_query(yw_store_reader(r->app->store), r->arena, &rows,
	                       "SELECT to_masked, body, created_at FROM sandbox_sms "
	                       "ORDER BY created_at DESC, id DESC LIMIT 50",
	                       YW_NOPARAMS);
	if (e)
		return yw_fail(r, e, "读取沙箱短信失败");
	json_t *items = json_array();
	for (int i = 0; items && i < yw_rows_count(rows); i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:I}", "to", yw_rows_text(rows, i, 0),
		                                       "text", yw_rows_text(rows, i, 1),
		                                       "at", (json_int_t)yw_rows_int(rows, i, 2)));
	return yw_reply_json(r, 200, json_pack("{s:o*}", "items", items));
}

void yw_notify_routes(yw_router *rt)
{
	yw_route(rt, "GET", "/api/v1/sandbox/sms", inbox);
}
